//! Sync jobs: the recent runs, the run this session started with its live progress,
//! and what can be started (from the palette or the keys shown in the footer).

pub mod commands;
mod running;

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
use crate::tui::ui::{ScreenId, Status, StatusKind, Ui};
use crate::tui::widgets::text::fit;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;
use std::any::Any;

#[derive(Default)]
pub struct JobsScreen {
    pub list: CaseList<JobRow>,
    /// The run this session started, until its `Finished` event.
    pub running: Option<Running>,
}

impl JobsScreen {
    pub fn set_rows(&mut self, rows: Vec<JobRow>) -> bool {
        self.list.set_rows(rows, |r| r.id)
    }

    pub fn move_cursor(&mut self, m: Move, page: isize) {
        self.list.move_cursor(m, page);
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
        vec![Request::Jobs]
    }

    fn on_reply(&mut self, reply: Reply, sh: &mut Shell) -> Result<Vec<Effect>, Reply> {
        match reply {
            Reply::Jobs(rows) => {
                sh.dirty |= self.set_rows(rows);
                Ok(Vec::new())
            }
            other => Err(other),
        }
    }

    fn on_move(&mut self, m: Move, page: usize, _sh: &mut Shell) -> Vec<Effect> {
        self.move_cursor(m, page as isize);
        Vec::new()
    }

    fn draw(&mut self, frame: &mut Frame<'_>, area: Rect, sh: &Shell) {
        render(frame, area, self, &sh.ui);
    }

    fn status(&self, sh: &Shell) -> String {
        sh.lang().t("連携ジョブの履歴", "Sync job history").into()
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

pub fn render(frame: &mut Frame<'_>, area: Rect, screen: &JobsScreen, ui: &Ui) {
    let l = ui.lang;
    let mut lines = Vec::new();
    if let Some(r) = &screen.running {
        lines.push(Line::styled(r.describe(l), ui.theme.header_accent));
    }
    lines.push(Line::styled(
        format!(
            "{} {} {} {} {}",
            fit("#", 5, ""),
            fit(l.t("種類", "Kind"), 24, ""),
            fit(l.t("状態", "Status"), 10, ""),
            fit(l.t("開始", "Started"), 20, ""),
            l.t("進捗", "Progress")
        ),
        ui.theme.title,
    ));
    for j in &screen.list.rows {
        let kind = JobKind::from_code(&j.kind).map_or(j.kind.as_str(), |k| k.title(l));
        let status = crate::domain::job::JobStatus::from_code(&j.status)
            .map_or(j.status.as_str(), |s| s.label(l));
        lines.push(Line::raw(format!(
            "{} {} {} {} {}/{} {}",
            fit(&j.id.to_string(), 5, ""),
            fit(kind, 24, ""),
            fit(status, 10, ""),
            fit(&started(&j.started_at), 20, ""),
            j.progress,
            j.total,
            j.message
        )));
    }
    if screen.list.rows.is_empty() {
        lines.push(Line::styled(
            l.t("  実行履歴はありません", "  No job has run yet"),
            ui.theme.dim,
        ));
    }
    frame.render_widget(Paragraph::new(lines), area);
}

/// When a run started, as every other screen shows time: 和暦 date and local time
/// (`R8.12.02 16:52`); text that is not a time is shown as it is.
fn started(at: &str) -> String {
    match chrono::DateTime::parse_from_rfc3339(at) {
        Ok(t) => {
            let local = t.with_timezone(&chrono::Local);
            format!(
                "{} {}",
                crate::domain::wareki::format_short(local.date_naive()),
                local.format("%H:%M")
            )
        }
        Err(_) => at.to_string(),
    }
}
