//! The consent queue (区外指定の同意): requests and answers with their deadlines; the
//! insured person is masked until revealed with a logged reason.

mod view;

use super::cases::{CaseList, case_count};
use crate::domain::model::ConsentRow;
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

#[derive(Default)]
pub struct ConsentScreen {
    pub list: CaseList<ConsentRow>,
}

impl ConsentScreen {
    pub fn selected(&self) -> Option<&ConsentRow> {
        self.list.rows.get(self.list.selected)
    }
}

impl Screen for ConsentScreen {
    fn id(&self) -> ScreenId {
        ScreenId::Consent
    }

    fn enter(&mut self) -> Vec<Request> {
        vec![Request::Consents]
    }

    fn on_reply(&mut self, reply: Reply, sh: &mut Shell) -> Result<Vec<Effect>, Reply> {
        match reply {
            Reply::Consents(rows) => {
                sh.dirty |= self.list.set_rows(rows, |r| r.id);
                Ok(Vec::new())
            }
            other => Err(other),
        }
    }

    fn on_move(&mut self, m: Move, page: usize, _sh: &mut Shell) -> Vec<Effect> {
        self.list.move_cursor(m, page as isize);
        Vec::new()
    }

    fn reveal(&self, sh: &Shell) -> Result<ReasonPrompt<dyn Host>, Reason> {
        let Some(c) = self.selected() else {
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
        Ok(ReasonPrompt::reveal("consent", &c.id.to_string(), title))
    }

    fn draw(&mut self, frame: &mut Frame<'_>, area: Rect, sh: &Shell) {
        let is_revealed = |id: i64| sh.is_revealed("consent", &id.to_string());
        view::render(frame, area, &mut self.list, sh.today, &sh.ui, &is_revealed);
    }

    fn status(&self, sh: &Shell) -> String {
        let l = sh.lang();
        case_count(
            self.list.rows.len(),
            l.t("件の同意案件", " consent cases"),
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
