//! The privacy checklist (issue 16): a matrix of connections × side (counts ○/ー/✗,
//! differences from the plan, last audit, next due, open gaps); Enter drills down to
//! the 16 items of one list, where an audit is walked with one key per mark and signed.

pub mod commands;
mod event;
mod gap;
mod items;
mod note;
// Under a `commands.rs` name: the registry test finds command ids only in those files.
#[path = "records/commands.rs"]
mod records;
mod view;

use super::cases::CaseList;
use crate::domain::checklist::{
    AuditDetail, Connection, Event, HistoryEntry, MatrixRow, OpenGap, Side,
};
use crate::query::checklist::{ChecklistAnswer, ChecklistAsk, SelfCheck};
use crate::query::{Reply, Request};
use crate::tui::msg::Effect;
use crate::tui::nav::Move;
use crate::tui::screen::Screen;
use crate::tui::shell::Shell;
use crate::tui::ui::ScreenId;
use ratatui::Frame;
use ratatui::layout::Rect;
use std::any::Any;

#[derive(Default)]
pub struct ChecklistScreen {
    pub matrix: CaseList<MatrixRow>,
    pub gaps: Vec<OpenGap>,
    pub interval_months: u32,
    /// The drill-down into one connection and side.
    pub audit: Option<AuditView>,
    /// The self-checks' results (run by the query worker on entering and with `c`).
    pub checks: Option<Vec<SelfCheck>>,
}

/// One list of 16 items: the open audit, else the latest signed one.
pub struct AuditView {
    pub connection: Connection,
    pub side: Side,
    /// `None` until loaded, and when this list was never audited.
    pub detail: Option<AuditDetail>,
    pub loaded: bool,
    pub selected: usize,
    pub offset: usize,
    /// The history of the item shown below the list (`h`).
    pub history: Option<(i64, Vec<HistoryEntry>)>,
    /// The connection's recorded events (items 2–5), newest first.
    pub events: Vec<Event>,
}

impl AuditView {
    /// The audit in progress, if this view shows one.
    pub fn open(&self) -> Option<&AuditDetail> {
        self.detail.as_ref().filter(|d| !d.header.is_signed())
    }

    pub fn selected_no(&self) -> i64 {
        self.selected as i64 + 1
    }

    fn ask(&self) -> ChecklistAsk {
        ChecklistAsk::Audit {
            code: self.connection.code.clone(),
            side: self.side,
        }
    }

    fn ask_events(&self) -> ChecklistAsk {
        ChecklistAsk::Events {
            code: self.connection.code.clone(),
        }
    }
}

pub(crate) fn ask(a: ChecklistAsk) -> Effect {
    Effect::Request(Request::ChecklistAudit(a))
}

impl ChecklistScreen {
    pub fn selected(&self) -> Option<&MatrixRow> {
        self.matrix.rows.get(self.matrix.selected)
    }

    /// Drills down into the selected row.
    pub fn open_selected(&mut self) -> Vec<Effect> {
        let Some(row) = self.selected() else {
            return Vec::new();
        };
        let view = AuditView {
            connection: row.connection.clone(),
            side: row.side,
            detail: None,
            loaded: false,
            selected: 0,
            offset: 0,
            history: None,
            events: Vec::new(),
        };
        let fx = vec![ask(view.ask()), ask(view.ask_events())];
        self.audit = Some(view);
        fx
    }

    /// A new state of the audit on screen; the cursor goes to `at` (1-based) if given.
    fn show(&mut self, detail: AuditDetail, at: Option<i64>) {
        if let Some(v) = self.audit.as_mut() {
            if let Some(n) = at {
                v.selected = (n.clamp(1, detail.rows.len().max(1) as i64) - 1) as usize;
            }
            v.detail = Some(detail);
            v.loaded = true;
        }
    }

    fn on_answer(&mut self, a: ChecklistAnswer, sh: &mut Shell) -> Vec<Effect> {
        let l = sh.lang();
        sh.dirty = true;
        match a {
            ChecklistAnswer::Matrix {
                rows,
                gaps,
                interval_months,
            } => {
                self.matrix
                    .set_rows(rows, |r| matrix_key(&r.connection.code, r.side));
                self.gaps = gaps;
                self.interval_months = interval_months;
            }
            ChecklistAnswer::Audit { code, side, detail } => {
                let same = self
                    .audit
                    .as_ref()
                    .is_some_and(|v| v.connection.code == code && v.side == side);
                if same {
                    let first = self.audit.as_ref().is_some_and(|v| !v.loaded);
                    let at = detail
                        .as_ref()
                        .filter(|d| first && !d.header.is_signed())
                        .and_then(|d| d.resume_at());
                    match detail {
                        Some(d) => self.show(*d, at),
                        None => {
                            if let Some(v) = self.audit.as_mut() {
                                v.loaded = true;
                                v.detail = None;
                            }
                        }
                    }
                }
            }
            ChecklistAnswer::History { item, entries } => {
                if let Some(v) = self.audit.as_mut() {
                    v.history = Some((item, entries));
                }
            }
            ChecklistAnswer::Started(d) => {
                let at = d.resume_at();
                sh.info(commands::started(l, &d, at));
                self.show(*d, at);
                return vec![ask(ChecklistAsk::Matrix)];
            }
            // The cursor moved on when the key was pressed (see `advance`).
            ChecklistAnswer::Marked { detail, .. } => {
                if detail.resume_at().is_none() {
                    sh.info(l.t(
                        "全項目に印を付けました。内容を確認して C-s で署名してください",
                        "Every item is marked; check them and press C-s to sign",
                    ));
                }
                self.show(*detail, None);
            }
            ChecklistAnswer::Conflict { item, detail } => {
                sh.error(commands::conflict(sh, item, &detail));
                self.show(*detail, item);
            }
            ChecklistAnswer::Signed(h) => {
                sh.info(commands::signed(l, &h));
                let mut fx = vec![ask(ChecklistAsk::Matrix)];
                if let Some(v) = &self.audit {
                    fx.push(ask(v.ask()));
                }
                return fx;
            }
            ChecklistAnswer::SelfChecks(checks) => {
                let failed = checks.iter().filter(|c| !c.passed).count();
                if self.checks.is_some() {
                    sh.info(if l.is_ja() {
                        format!("自己点検を実行しました（不合格 {failed} 件）")
                    } else {
                        format!("self-checks run: {failed} failed")
                    });
                }
                self.checks = Some(checks);
            }
            ChecklistAnswer::Noted { item, detail } => {
                sh.info(if l.is_ja() {
                    format!("項目 {item} の備考・根拠を保存しました")
                } else {
                    format!("saved the note and evidence of item {item}")
                });
                self.show(*detail, None);
            }
            ChecklistAnswer::Events { code, events } => {
                if let Some(v) = self.audit.as_mut()
                    && v.connection.code == code
                {
                    v.events = events;
                }
            }
            ChecklistAnswer::EventRecorded { code, kind } => {
                sh.info(if l.is_ja() {
                    format!("{}を記録しました（項目 {}）", kind.label(l), kind.item())
                } else {
                    format!("recorded the {} (item {})", kind.label(l), kind.item())
                });
                return vec![ask(ChecklistAsk::Events { code })];
            }
            ChecklistAnswer::IntervalSet(months) => {
                sh.info(if l.is_ja() {
                    format!("点検間隔を {months} か月にしました。次回期限を計算し直しました")
                } else {
                    format!("audits are now due every {months} months; next due dates recomputed")
                });
                return vec![ask(ChecklistAsk::Matrix)];
            }
            ChecklistAnswer::Reported(paths) => {
                let list: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
                sh.info(format!(
                    "{} {}",
                    l.t("報告書を書き出しました:", "report written:"),
                    list.join(" ")
                ));
            }
            ChecklistAnswer::NothingToReport => {
                sh.error(l.t(
                    "この結合先・区分にはまだ点検がありません。s で点検を開始してから書き出してください",
                    "this list has no audit yet; start one with s before exporting",
                ));
            }
            ChecklistAnswer::Refused { ja, en } => {
                sh.error(if l.is_ja() { ja } else { en });
            }
        }
        Vec::new()
    }
}

/// After a mark is sent for `item`, the cursor goes to the next item at once, so that
/// marks typed ahead of the replies land on the items they were meant for.
pub(crate) fn advance(h: &mut dyn crate::tui::screen::Host, item: i64) {
    if let Some((sh, s)) = h.parts::<ChecklistScreen>()
        && let Some(v) = s.audit.as_mut()
    {
        let len = v.detail.as_ref().map_or(0, |d| d.rows.len());
        if v.selected_no() == item && (item as usize) < len {
            v.selected += 1;
            v.history = None;
            sh.dirty = true;
        }
    }
}

/// A stable id for a matrix row (keeps the cursor across reloads).
fn matrix_key(code: &str, side: Side) -> i64 {
    let h = code
        .bytes()
        .fold(7i64, |h, b| h.wrapping_mul(31).wrapping_add(b as i64));
    h.wrapping_mul(2) + (side == Side::Partner) as i64
}

impl Screen for ChecklistScreen {
    fn id(&self) -> ScreenId {
        ScreenId::Checklist
    }

    /// The matrix, the list on screen and the self-checks (files, chain, backups).
    fn enter(&mut self) -> Vec<Request> {
        let mut out = self.refresh();
        out.push(Request::ChecklistAudit(ChecklistAsk::SelfChecks));
        out
    }

    /// Another process committed: the data again, not the self-checks (`c` runs them).
    fn refresh(&mut self) -> Vec<Request> {
        let mut out = vec![Request::ChecklistAudit(ChecklistAsk::Matrix)];
        if let Some(v) = &self.audit {
            out.push(Request::ChecklistAudit(v.ask()));
            out.push(Request::ChecklistAudit(v.ask_events()));
        }
        out
    }

    fn on_reply(&mut self, reply: Reply, sh: &mut Shell) -> Result<Vec<Effect>, Reply> {
        match reply {
            Reply::ChecklistAudit(a) => Ok(self.on_answer(a, sh)),
            other => Err(other),
        }
    }

    fn on_move(&mut self, m: Move, page: usize, sh: &mut Shell) -> Vec<Effect> {
        sh.dirty = true;
        match self.audit.as_mut() {
            Some(v) => {
                let n = v.detail.as_ref().map_or(0, |d| d.rows.len());
                if n > 0 {
                    v.selected = m.clamp(v.selected, n, page.max(1));
                    v.history = None;
                }
            }
            None => self.matrix.move_cursor(m, page as isize),
        }
        Vec::new()
    }

    fn on_back(&mut self, sh: &mut Shell) -> Vec<Effect> {
        if self.audit.take().is_some() {
            sh.dirty = true;
            return vec![ask(ChecklistAsk::Matrix)];
        }
        Vec::new()
    }

    fn draw(&mut self, frame: &mut Frame<'_>, area: Rect, sh: &Shell) {
        match self.audit.as_mut() {
            Some(v) => items::render(frame, area, v, sh, self.checks.as_deref().unwrap_or(&[])),
            None => view::render(frame, area, self, sh),
        }
    }

    fn status(&self, sh: &Shell) -> String {
        let l = sh.lang();
        match &self.audit {
            Some(v) => items::status(l, v),
            None => l
                .t(
                    "Enter: 項目を表示  s: 点検を開始・再開",
                    "Enter: show the items  s: start or resume an audit",
                )
                .into(),
        }
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}
