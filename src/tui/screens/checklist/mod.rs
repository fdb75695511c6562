//! The privacy checklist for external connections: when each side was last audited
//! and the open gaps.

mod view;

pub use view::AUDIT_INTERVAL_DAYS;

use super::cases::CaseList;
use crate::domain::view::ConnectionStatus;
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
    pub list: CaseList<ConnectionStatus>,
}

impl Screen for ChecklistScreen {
    fn id(&self) -> ScreenId {
        ScreenId::Checklist
    }

    fn enter(&mut self) -> Vec<Request> {
        vec![Request::Checklist]
    }

    fn on_reply(&mut self, reply: Reply, sh: &mut Shell) -> Result<Vec<Effect>, Reply> {
        match reply {
            Reply::Checklist(rows) => {
                sh.dirty |= self.list.set_rows(rows, |_| 0);
                Ok(Vec::new())
            }
            other => Err(other),
        }
    }

    fn on_move(&mut self, m: Move, page: usize, _sh: &mut Shell) -> Vec<Effect> {
        self.list.move_cursor(m, page as isize);
        Vec::new()
    }

    fn draw(&mut self, frame: &mut Frame<'_>, area: Rect, sh: &Shell) {
        view::render(frame, area, &self.list, sh.today, &sh.ui);
    }

    fn status(&self, sh: &Shell) -> String {
        sh.lang()
            .t("結合先ごとの点検状況", "Audit state per connection")
            .into()
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}
