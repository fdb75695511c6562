//! The application inbox: submitted applications and notices by status and deadline,
//! and the workflow steps (受付, 審査開始, 差戻し, 決定, 却下, 結果通知).

pub mod commands;
mod view;

use super::cases::{CaseList, case_count};
use crate::domain::model::ApplicationRow;
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
pub struct InboxScreen {
    pub list: CaseList<ApplicationRow>,
}

impl InboxScreen {
    pub fn selected(&self) -> Option<&ApplicationRow> {
        self.list.rows.get(self.list.selected)
    }
}

fn requests(reqs: Vec<Request>) -> Vec<Effect> {
    reqs.into_iter().map(Effect::Request).collect()
}

impl Screen for InboxScreen {
    fn id(&self) -> ScreenId {
        ScreenId::Inbox
    }

    fn enter(&mut self) -> Vec<Request> {
        vec![Request::Applications]
    }

    fn on_reply(&mut self, reply: Reply, sh: &mut Shell) -> Result<Vec<Effect>, Reply> {
        match reply {
            Reply::Applications(rows) => {
                sh.dirty |= self.list.set_rows(rows, |r| r.id);
                Ok(Vec::new())
            }
            Reply::Transitioned(row) => {
                sh.info(commands::transitioned(sh.lang(), &row));
                Ok(requests(vec![Request::Applications, Request::DueCounts]))
            }
            Reply::TransitionConflict { row, by, at } => {
                let text = commands::conflict(sh, &row, by, at.unwrap_or_default());
                sh.error(text);
                Ok(requests(vec![Request::Applications]))
            }
            other => Err(other),
        }
    }

    fn on_move(&mut self, m: Move, page: usize, _sh: &mut Shell) -> Vec<Effect> {
        self.list.move_cursor(m, page as isize);
        Vec::new()
    }

    fn draw(&mut self, frame: &mut Frame<'_>, area: Rect, sh: &Shell) {
        view::render(frame, area, &mut self.list, sh.today, &sh.ui);
    }

    fn status(&self, sh: &Shell) -> String {
        let l = sh.lang();
        case_count(
            self.list.rows.len(),
            l.t("件の申請・届出", " applications"),
            l,
        )
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}
