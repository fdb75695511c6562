//! Sync jobs: the recent runs, the run this session started with its live progress,
//! and what can be started (from the palette or the keys shown in the footer).

pub mod commands;
mod quarantine;
mod running;
mod view;

pub use quarantine::QuarantineView;
pub use running::Running;

use super::cases::CaseList;
use crate::domain::job::{JobEnd, JobEvent, JobKind};
use crate::domain::view::JobRow;
use crate::i18n::Lang;
use crate::query::{Reply, Request};
use crate::tui::msg::Effect;
use crate::tui::nav::Move;
use crate::tui::screen::Screen;
use crate::tui::shell::Shell;
use crate::tui::ui::{ScreenId, Status, StatusKind};
use ratatui::Frame;
use ratatui::layout::Rect;
use std::any::Any;

#[derive(Default)]
pub struct JobsScreen {
    pub list: CaseList<JobRow>,
    /// The run this session started, until its `Finished` event.
    pub running: Option<Running>,
    /// The quarantined rows shown over the list (Enter on a run, or `Q`).
    pub quarantine: Option<QuarantineView>,
}

impl JobsScreen {
    pub fn set_rows(&mut self, rows: Vec<JobRow>) -> bool {
        self.list.set_rows(rows, |r| r.id)
    }

    pub fn move_cursor(&mut self, m: Move, page: isize) {
        match &mut self.quarantine {
            Some(q) => q.list.move_cursor(m, page),
            None => self.list.move_cursor(m, page),
        }
    }

    pub fn selected(&self) -> Option<&JobRow> {
        self.list.rows.get(self.list.selected)
    }

    /// Shows the quarantined rows of run `job` (every run's: `None`).
    pub fn open_quarantine(&mut self, job: Option<i64>) -> Request {
        self.quarantine = Some(QuarantineView::new(job));
        Request::Quarantine { job }
    }

    /// Marks `kind` as starting (before the runner's first event arrives).
    pub fn starting(&mut self, kind: JobKind) {
        self.running = Some(Running::new(kind));
    }

    /// Applies a runner event; returns the message for the status line when the run
    /// ended (or was refused).
    pub fn apply(&mut self, event: JobEvent, lang: Lang) -> Option<Status> {
        match event {
            JobEvent::Started { job_id, kind, .. } => {
                let r = self.running.get_or_insert_with(|| Running::new(kind));
                r.job_id = Some(job_id);
                None
            }
            JobEvent::Progress { progress, kind, .. } => {
                let r = self.running.get_or_insert_with(|| Running::new(kind));
                r.progress = progress;
                None
            }
            JobEvent::Finished { kind, end, .. } => {
                self.running = None;
                Some(finished(kind, &end, lang))
            }
        }
    }
}

impl Screen for JobsScreen {
    fn id(&self) -> ScreenId {
        ScreenId::Jobs
    }

    fn enter(&mut self) -> Vec<Request> {
        self.refresh()
    }

    fn refresh(&mut self) -> Vec<Request> {
        let mut out = vec![Request::Jobs];
        if let Some(q) = &self.quarantine {
            out.push(Request::Quarantine { job: q.job });
        }
        out
    }

    fn on_reply(&mut self, reply: Reply, sh: &mut Shell) -> Result<Vec<Effect>, Reply> {
        match reply {
            Reply::Jobs(rows) => {
                sh.dirty |= self.set_rows(rows);
                Ok(Vec::new())
            }
            Reply::Quarantine { job, rows } => {
                if let Some(q) = self.quarantine.as_mut().filter(|q| q.job == job) {
                    q.list.set_rows(rows, |r| r.id);
                    sh.dirty = true;
                }
                Ok(Vec::new())
            }
            other => Err(other),
        }
    }

    fn on_move(&mut self, m: Move, page: usize, _sh: &mut Shell) -> Vec<Effect> {
        self.move_cursor(m, page as isize);
        Vec::new()
    }

    fn on_back(&mut self, sh: &mut Shell) -> Vec<Effect> {
        if self.quarantine.take().is_some() {
            sh.dirty = true;
        }
        Vec::new()
    }

    fn draw(&mut self, frame: &mut Frame<'_>, area: Rect, sh: &Shell) {
        view::render(frame, area, self, sh);
    }

    fn status(&self, sh: &Shell) -> String {
        let l = sh.lang();
        match &self.quarantine {
            Some(_) => l.t("連携ジョブ › 隔離された行", "Sync jobs › quarantined rows"),
            None => l.t("連携ジョブの履歴", "Sync job history"),
        }
        .into()
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}

/// What the status line says when a run ends.
fn finished(kind: JobKind, end: &JobEnd, lang: Lang) -> Status {
    let title = kind.title(lang);
    let (kind_, text) = match end {
        JobEnd::Succeeded { message } => (StatusKind::Info, format!("{title}: {message}")),
        JobEnd::Failed { message } => (StatusKind::Error, format!("{title}: {message}")),
        JobEnd::Cancelled => (
            StatusKind::Warning,
            format!(
                "{title}: {}",
                lang.t(
                    "中止しました（記録は「中止」、実行権は解放済み）",
                    "cancelled (recorded as cancelled, lease released)"
                )
            ),
        ),
        JobEnd::Busy { holder, until } => {
            let until = local_time(until);
            let text = if lang.is_ja() {
                format!(
                    "{title}: 別のプロセス（{holder}）が {until} まで実行権を持っています。終わってからもう一度実行してください"
                )
            } else {
                format!(
                    "{title}: held by {holder} until {until}; run it again when that one has finished"
                )
            };
            (StatusKind::Error, text)
        }
    };
    Status { kind: kind_, text }
}

/// An RFC 3339 time as local `HH:MM:SS` (the date is today's for a lease).
fn local_time(ts: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(ts)
        .map(|t| {
            t.with_timezone(&chrono::Local)
                .format("%H:%M:%S")
                .to_string()
        })
        .unwrap_or_else(|_| ts.to_string())
}
