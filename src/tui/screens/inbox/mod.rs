//! The application inbox: the list by status with filters and sort (処理期限 first), the
//! case view (Enter) and the workflow steps (受付, 審査開始, 差戻し, 再提出, 決定, 却下,
//! 取下げ, 結果通知), each asked first when it cannot be taken back.

mod case_view;
pub mod commands;
mod decide;
mod filters;
mod list {
    pub mod commands;
    pub mod find;
}
mod intake {
    pub mod commands;
    pub mod form;
}
pub mod notices {
    pub mod commands;
    pub mod view;
}
mod view;
mod work {
    pub mod commands;
    pub mod entry;
    pub mod handlers;
}

use super::cases::{CaseList, case_count};
use crate::domain::inbox::{CaseDetail, InboxPage, InboxQuery, InboxRow};
use crate::query::{Reply, Request};
use crate::tui::command::Reason;
use crate::tui::msg::Effect;
use crate::tui::nav::Move;
use crate::tui::overlay::prompt::ReasonPrompt;
use crate::tui::screen::{Host, Screen};
use crate::tui::shell::Shell;
use crate::tui::ui::ScreenId;
use ratatui::Frame;
use ratatui::layout::Rect;
use std::any::Any;

pub struct InboxScreen {
    pub list: CaseList<InboxRow>,
    pub query: InboxQuery,
    /// Counts of the last page: per status, total, overdue.
    pub page: InboxPage,
    generation: u64,
    /// The open case (Enter), drawn instead of the list.
    pub case: Option<Box<CaseDetail>>,
    /// The case asked for and not yet shown (the cursor moved on to it).
    opening: Option<i64>,
    pub case_scroll: usize,
    /// Who may be assigned (staff id, name), read on entering.
    pub staff: Vec<(String, String)>,
    /// The 更新案内 list (G), drawn instead of the list and the case while open.
    pub renewals: Option<notices::view::Renewals>,
    /// The paper intake form (I), drawn instead of everything else while open.
    pub intake: Option<intake::form::IntakeForm>,
}

impl Default for InboxScreen {
    /// Open cases first: closed ones are a key away (O).
    fn default() -> Self {
        Self {
            list: CaseList::default(),
            query: InboxQuery {
                open_only: true,
                ..InboxQuery::default()
            },
            page: InboxPage::default(),
            generation: 0,
            case: None,
            opening: None,
            case_scroll: 0,
            staff: Vec::new(),
            renewals: None,
            intake: None,
        }
    }
}

impl InboxScreen {
    /// The 更新案内 list or the intake form covers the list and the case.
    pub fn covered(&self) -> bool {
        self.renewals.is_some() || self.intake.is_some()
    }

    /// The case the workflow keys act on: the open case, else the list's cursor (none
    /// while the renewal list or the intake form is showing).
    pub fn selected(&self) -> Option<&InboxRow> {
        if self.covered() {
            return None;
        }
        match &self.case {
            Some(c) => Some(&c.row),
            None => self.list.rows.get(self.list.selected),
        }
    }

    pub fn case_open(&self) -> bool {
        self.case.is_some() || self.opening.is_some()
    }

    /// The list for the current filters.
    pub fn list_request(&mut self) -> Request {
        self.generation += 1;
        Request::InboxPage {
            generation: self.generation,
            query: self.query.clone(),
        }
    }

    /// Opens the case under the cursor.
    pub fn open_selected(&mut self) -> Vec<Request> {
        let Some(id) = self.list.rows.get(self.list.selected).map(|r| r.id) else {
            return Vec::new();
        };
        self.opening = Some(id);
        self.case_scroll = 0;
        vec![Request::CaseDetail { id }]
    }

    /// Next (+1) or previous (-1) case of the list, without leaving the case view.
    pub fn step_case(&mut self, by: isize) -> Vec<Request> {
        let n = self.list.rows.len() as isize;
        let at = self.list.selected as isize + by;
        if at < 0 || at >= n {
            return Vec::new();
        }
        self.list.selected = at as usize;
        self.open_selected()
    }

    fn reload(&mut self) -> Vec<Effect> {
        let mut reqs = vec![self.list_request(), Request::DueCounts];
        if let Some(id) = self.case.as_ref().map(|c| c.row.id).or(self.opening) {
            reqs.push(Request::CaseDetail { id });
        }
        if let Some(r) = &self.renewals {
            reqs.push(Request::InboxWork(crate::query::InboxAsk::Renewals {
                months: r.months,
            }));
        }
        requests(reqs)
    }
}

fn requests(reqs: Vec<Request>) -> Vec<Effect> {
    reqs.into_iter().map(Effect::Request).collect()
}

impl Screen for InboxScreen {
    fn id(&self) -> ScreenId {
        ScreenId::Inbox
    }

    fn contexts(&self) -> Vec<&'static str> {
        if self.intake.is_some() {
            vec!["inbox_intake"]
        } else if self.renewals.is_some() {
            vec!["inbox_renewals", "list", "global"]
        } else if self.case_open() {
            vec!["inbox_case", "list", "global"]
        } else {
            vec!["inbox", "list", "global"]
        }
    }

    fn help_contexts(&self) -> Vec<&'static str> {
        if self.intake.is_some() {
            return vec!["inbox_intake", "global"];
        }
        self.contexts()
    }

    /// Typing into the intake form's field.
    fn on_key(&mut self, key: crossterm::event::KeyEvent, sh: &mut Shell) -> Vec<Effect> {
        use crossterm::event::KeyCode;
        if let Some(f) = self.intake.as_mut() {
            // Moving between fields is part of typing into the form.
            match key.code {
                KeyCode::Tab | KeyCode::Down => f.step(true),
                KeyCode::BackTab | KeyCode::Up => f.step(false),
                _ => {
                    sh.dirty |= f.key(key);
                    return Vec::new();
                }
            }
            sh.dirty = true;
        }
        Vec::new()
    }

    fn on_paste(&mut self, text: &str, sh: &mut Shell) -> Vec<Effect> {
        if let Some(f) = self.intake.as_mut() {
            sh.dirty |= f.paste(text);
        }
        Vec::new()
    }

    fn enter(&mut self) -> Vec<Request> {
        let mut reqs = vec![
            self.list_request(),
            Request::InboxWork(crate::query::InboxAsk::Staff),
        ];
        if let Some(c) = &self.case {
            reqs.push(Request::CaseDetail { id: c.row.id });
        }
        reqs
    }

    fn on_reply(&mut self, reply: Reply, sh: &mut Shell) -> Result<Vec<Effect>, Reply> {
        match reply {
            Reply::InboxPage { generation, page } => {
                if generation == self.generation {
                    self.page = page;
                    let rows = std::mem::take(&mut self.page.rows);
                    sh.dirty |= self.list.set_rows(rows, |r| r.id);
                }
                Ok(Vec::new())
            }
            Reply::CaseDetail(d) => {
                let wanted = self.opening.or(self.case.as_ref().map(|c| c.row.id));
                if wanted == Some(d.row.id) {
                    if self.case.as_ref().map(|c| c.row.id) != Some(d.row.id) {
                        self.case_scroll = 0;
                    }
                    self.opening = None;
                    self.case = Some(d);
                    sh.dirty = true;
                }
                Ok(Vec::new())
            }
            Reply::Transitioned(row) => {
                sh.info(commands::transitioned(sh.lang(), &row));
                Ok(self.reload())
            }
            Reply::TransitionConflict { row, by, at } => {
                let text = commands::conflict(sh, &row, by, at.unwrap_or_default());
                sh.error(text);
                Ok(self.reload())
            }
            Reply::InboxWork(done) => {
                let done = match self.renewals.as_mut() {
                    Some(r) => match notices::view::on_done(r, *done) {
                        Ok(()) => {
                            sh.dirty = true;
                            return Ok(Vec::new());
                        }
                        Err(other) => other,
                    },
                    None => *done,
                };
                Ok(self.on_work(done, sh))
            }
            other => Err(other),
        }
    }

    fn on_move(&mut self, m: Move, page: usize, sh: &mut Shell) -> Vec<Effect> {
        if let Some(r) = self.renewals.as_mut() {
            r.cursor = m.clamp(r.cursor, r.rows.len(), page.max(1));
            sh.dirty = true;
        } else if self.case_open() {
            self.case_scroll = m.clamp(self.case_scroll, 400, page.max(1));
            sh.dirty = true;
        } else {
            self.list.move_cursor(m, page as isize);
        }
        Vec::new()
    }

    /// Esc closes the case; on the list it clears the search.
    fn on_back(&mut self, sh: &mut Shell) -> Vec<Effect> {
        if self.renewals.take().is_some() {
            sh.dirty = true;
        } else if self.case_open() {
            self.case = None;
            self.opening = None;
            sh.dirty = true;
        } else if !self.query.search.is_empty() {
            return requests(self.set_search(String::new()));
        }
        Vec::new()
    }

    fn reveal(&self, sh: &Shell) -> Result<ReasonPrompt<dyn Host>, Reason> {
        let Some(fid) = self.case.as_ref().and_then(|c| c.row.facility_id) else {
            return Err(Reason::new(
                "台帳にある事業所の申請を開いたときに使えます",
                "available in a case about a facility in the ledger",
            ));
        };
        let name = &self
            .case
            .as_ref()
            .map(|c| c.row.facility_name.clone())
            .unwrap_or_default();
        let title = format!(
            "{} {name}",
            sh.lang().t("個人情報を表示:", "Reveal personal data:")
        );
        Ok(ReasonPrompt::reveal("facility", &fid.to_string(), title))
    }

    fn draw(&mut self, frame: &mut Frame<'_>, area: Rect, sh: &Shell) {
        if let Some(f) = self.intake.as_mut() {
            return intake::form::render(frame, area, f, sh);
        }
        if let Some(r) = self.renewals.as_mut() {
            return notices::view::render(frame, area, r, sh);
        }
        match &self.case {
            Some(case) => {
                self.case_scroll = case_view::render(frame, area, case, self.case_scroll, sh);
            }
            None => view::render(frame, area, self, sh),
        }
    }

    fn status(&self, sh: &Shell) -> String {
        let l = sh.lang();
        if let Some(f) = &self.intake {
            return format!("{} {}", l.t("紙の受付:", "Paper intake:"), f.form.label(l));
        }
        if let Some(r) = &self.renewals {
            return format!("{} ({})", l.t("更新案内", "Renewal guidance"), r.rows.len());
        }
        if let Some(c) = &self.case {
            let at = self.list.selected + 1;
            return if l.is_ja() {
                format!("案件 {} ({at}/{})", c.row.id, self.list.rows.len())
            } else {
                format!("Case {} ({at}/{})", c.row.id, self.list.rows.len())
            };
        }
        case_count(self.page.total, l.t("件の申請・届出", " applications"), l)
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}
