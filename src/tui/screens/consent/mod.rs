//! The consent queue (区外指定の同意): tabs for outgoing requests, incoming requests and
//! the 事前同意 registry; filters and search; a case view with the insured person masked
//! until revealed with a logged reason, the linked application's gate, history and
//! letters; the workflow steps (`commands.rs`).

mod case;
pub mod commands;
mod create;
pub mod form;
mod link;
mod prior;
mod replies;
mod settings;
mod view;
mod words;

use super::cases::CaseList;
use crate::domain::consent::{ConsentStatus, Direction};
use crate::domain::consent_view::{ConsentCounts, ConsentFilter, ConsentListRow, PriorConsentRow};
use crate::query::consent::ConsentCase;
use crate::query::{Reply, Request};
use crate::tui::command::Reason;
use crate::tui::msg::Effect;
use crate::tui::nav::Move;
use crate::tui::overlay::prompt::ReasonPrompt;
use crate::tui::screen::{Host, Screen, Verb};
use crate::tui::shell::Shell;
use crate::tui::ui::ScreenId;
use ratatui::Frame;
use ratatui::layout::Rect;
use std::any::Any;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Tab {
    #[default]
    Outgoing,
    Incoming,
    Prior,
}

impl Tab {
    pub const ALL: [Tab; 3] = [Tab::Outgoing, Tab::Incoming, Tab::Prior];

    pub fn label(self, ja: bool) -> &'static str {
        match (self, ja) {
            (Tab::Outgoing, true) => "区外へ依頼",
            (Tab::Outgoing, false) => "Outgoing",
            (Tab::Incoming, true) => "区外から依頼",
            (Tab::Incoming, false) => "Incoming",
            (Tab::Prior, true) => "事前同意",
            (Tab::Prior, false) => "Prior consents",
        }
    }

    fn direction(self) -> Option<Direction> {
        match self {
            Tab::Outgoing => Some(Direction::Outgoing),
            Tab::Incoming => Some(Direction::Incoming),
            Tab::Prior => None,
        }
    }
}

/// The filters of the case tabs (kept when switching tabs).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    pub status: Option<ConsentStatus>,
    pub open_only: bool,
    /// Only cases past their reminder date on this day.
    pub overdue: Option<chrono::NaiveDate>,
    pub search: String,
    /// Only cases with this municipality: (code, name).
    pub municipality: Option<(String, String)>,
    pub sort: crate::domain::consent_view::ConsentSort,
}

impl Filters {
    pub fn is_empty(&self) -> bool {
        *self == Filters::default()
    }
}

#[derive(Default)]
pub struct ConsentScreen {
    pub tab: Tab,
    pub filters: Filters,
    pub list: CaseList<ConsentListRow>,
    pub priors: CaseList<PriorConsentRow>,
    pub counts: (ConsentCounts, ConsentCounts),
    /// The case view, when open (Enter); Esc goes back to the list.
    pub case: Option<ConsentCase>,
    /// The form creating a case, when open (n / N).
    pub form: Option<form::CaseForm>,
}

fn requests(reqs: Vec<Request>) -> Vec<Effect> {
    reqs.into_iter().map(Effect::Request).collect()
}

impl ConsentScreen {
    pub fn selected(&self) -> Option<&ConsentListRow> {
        if self.tab == Tab::Prior {
            return None;
        }
        self.list.rows.get(self.list.selected)
    }

    /// The case the user is looking at: the open one, else the list's selected row. A
    /// case opened after creating it is not the list's selected row: anything acting on
    /// "this case" (reveal, step) must take it from here.
    pub fn current(&self) -> Option<&ConsentListRow> {
        match &self.case {
            Some(c) => Some(&c.view.detail.row),
            None => self.selected(),
        }
    }

    /// The query the case tab on display asks for.
    pub fn filter(&self) -> ConsentFilter {
        let f = &self.filters;
        ConsentFilter {
            direction: self.tab.direction(),
            status: f.status,
            open_only: f.open_only,
            overdue_on: f.overdue,
            search: (!f.search.trim().is_empty()).then(|| f.search.trim().to_string()),
            municipality_code: f.municipality.as_ref().map(|m| m.0.clone()),
            sort: f.sort,
            ..Default::default()
        }
    }

    /// What to re-read now: the tab on display and the case view when open.
    pub fn reload(&self) -> Vec<Request> {
        let mut out = vec![if self.tab == Tab::Prior {
            Request::ConsentPriors
        } else {
            Request::ConsentQueue {
                filter: self.filter(),
            }
        }];
        if let Some(c) = &self.case {
            out.push(Request::ConsentCase {
                id: c.view.detail.row.id,
            });
        }
        out
    }

    pub fn set_tab(&mut self, tab: Tab) -> Vec<Effect> {
        self.tab = tab;
        self.case = None;
        self.list = CaseList::default();
        requests(self.reload())
    }

    pub fn set_filters(&mut self, filters: Filters) -> Vec<Effect> {
        self.filters = filters;
        self.list.selected = 0;
        self.list.offset = 0;
        requests(self.reload())
    }
}

impl Screen for ConsentScreen {
    fn id(&self) -> ScreenId {
        ScreenId::Consent
    }

    fn enter(&mut self) -> Vec<Request> {
        let mut r = self.reload();
        if self.tab != Tab::Prior {
            r.push(Request::ConsentPriors);
        }
        r
    }

    fn refresh(&mut self) -> Vec<Request> {
        self.reload()
    }

    fn on_reply(&mut self, reply: Reply, sh: &mut Shell) -> Result<Vec<Effect>, Reply> {
        match reply {
            Reply::ConsentQueue(q) => {
                let q = *q;
                // A page for filters no longer on display is dropped.
                if self.tab != Tab::Prior && q.filter == self.filter() {
                    self.list.set_rows(q.rows, |r| r.id);
                }
                self.counts = (q.outgoing, q.incoming);
                sh.dirty = true;
                Ok(Vec::new())
            }
            Reply::ConsentPriors(rows) => {
                sh.dirty |= self.priors.set_rows(rows, |r| r.id);
                Ok(Vec::new())
            }
            Reply::ConsentCase(c) => {
                let open = self.case.as_ref().map(|o| o.view.detail.row.id);
                if open.is_none_or(|id| id == c.view.detail.row.id) {
                    self.case = Some(*c);
                    sh.dirty = true;
                }
                Ok(Vec::new())
            }
            Reply::ConsentTransitioned(row) => {
                sh.info(commands::transitioned(sh.lang(), &row));
                let mut r = self.reload();
                r.push(Request::DueCounts);
                Ok(requests(r))
            }
            Reply::ConsentConflict { row, by, at } => {
                sh.error(commands::conflict(sh, &row, by, at.unwrap_or_default()));
                Ok(requests(self.reload()))
            }
            Reply::ConsentDone(outcome) => Ok(self.done(outcome, sh)),
            other => Err(other),
        }
    }

    fn contexts(&self) -> Vec<&'static str> {
        if self.form.is_some() {
            // Only Enter, Esc and the arrows are keys in the form: every letter is text.
            return vec!["palette"];
        }
        vec![self.id().context(), "list", "global"]
    }

    fn form_open(&self) -> bool {
        self.form.is_some()
    }

    fn dialog(&self) -> bool {
        self.form.is_some()
    }

    fn unsaved(&self) -> bool {
        self.form.as_ref().is_some_and(form::CaseForm::is_dirty)
    }

    fn on_confirm(&mut self, sh: &mut Shell) -> Verb {
        if self.form.as_ref().is_some_and(|f| f.prior.is_some()) {
            return self.save_prior(sh);
        }
        if let Some(single) = self.form.as_ref().and_then(|f| f.single) {
            return self.save_single(single, sh);
        }
        self.save_form(sh)
    }

    fn on_cancel(&mut self, sh: &mut Shell) -> Verb {
        self.cancel_form(sh)
    }

    fn on_key(&mut self, key: crossterm::event::KeyEvent, sh: &mut Shell) -> Vec<Effect> {
        if let Some(f) = self.form.as_mut() {
            sh.dirty |= f.key(key);
        }
        Vec::new()
    }

    fn on_paste(&mut self, text: &str, sh: &mut Shell) -> Vec<Effect> {
        if let Some(f) = self.form.as_mut() {
            sh.dirty |= f.paste(text);
        }
        Vec::new()
    }

    fn on_move(&mut self, m: Move, page: usize, sh: &mut Shell) -> Vec<Effect> {
        if let Some(f) = self.form.as_mut() {
            f.step(!matches!(m, Move::Up | Move::PageUp | Move::Top));
            sh.dirty = true;
            return Vec::new();
        }
        let body = page.saturating_sub(2) as isize;
        match self.tab {
            _ if self.case.is_some() => {}
            Tab::Prior => self.priors.move_cursor(m, body),
            _ => self.list.move_cursor(m, body),
        }
        Vec::new()
    }

    fn on_back(&mut self, sh: &mut Shell) -> Vec<Effect> {
        if self.case.take().is_some() {
            sh.dirty = true;
            return requests(self.reload());
        }
        Vec::new()
    }

    fn reveal(&self, sh: &Shell) -> Result<ReasonPrompt<dyn Host>, Reason> {
        let Some(c) = self.current() else {
            return Err(Reason::new(
                "同意案件が選択されていません",
                "no consent case selected",
            ));
        };
        let title = format!(
            "{} {}",
            sh.lang()
                .t("被保険者の個人情報を表示:", "Reveal the insured person:"),
            c.facility_name
        );
        // The queue masks names before they leave the query layer: read them again.
        let then = self.reload();
        Ok(ReasonPrompt::reveal_then(
            "consent",
            &c.id.to_string(),
            title,
            then,
        ))
    }

    fn draw(&mut self, frame: &mut Frame<'_>, area: Rect, sh: &Shell) {
        view::render(frame, area, self, sh);
    }

    fn status(&self, sh: &Shell) -> String {
        view::status(self, sh.lang())
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}
