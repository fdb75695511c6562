//! The overview (概況): the first screen on start. What is due, as charts and small
//! tables, one block per list behind it; each block's key (in its title) opens that
//! list. One request reads every number; it is read again when the data changes.

pub mod commands;
mod view;

use crate::domain::overview::Overview;
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
pub struct OverviewScreen {
    /// The numbers, once the first read answered.
    pub data: Option<Overview>,
    /// The key of each block's command (by command id), as its title shows it.
    keys: Vec<(&'static str, String)>,
}

impl OverviewScreen {
    /// Takes each block's key from the keymap (the user's file may change them).
    pub fn set_keys(&mut self, keymap: &crate::tui::keymap::Keymap) {
        self.keys = commands::COMMANDS
            .iter()
            .map(|c| {
                let keys = keymap.keys_for(c.id, &["overview"]);
                let key = keys
                    .first()
                    .map(|k| crate::tui::keymap::display_sequence(k))
                    .unwrap_or_else(|| ":".into());
                (c.id, key)
            })
            .collect();
    }

    /// The key shown in the title of `cmd`'s block (the palette, `:`, when unbound).
    pub fn key(&self, cmd: &crate::tui::command::Command) -> String {
        self.keys
            .iter()
            .find(|(id, _)| *id == cmd.id)
            .map_or_else(|| ":".into(), |(_, k)| k.clone())
    }
}

impl Screen for OverviewScreen {
    fn id(&self) -> ScreenId {
        ScreenId::Overview
    }

    fn contexts(&self) -> Vec<&'static str> {
        vec!["overview", "global"]
    }

    fn help_contexts(&self) -> Vec<&'static str> {
        vec!["overview", "global"]
    }

    fn enter(&mut self) -> Vec<Request> {
        vec![Request::Overview]
    }

    fn set_today(&mut self, _today: chrono::NaiveDate) -> Vec<Request> {
        vec![Request::Overview]
    }

    fn on_reply(&mut self, reply: Reply, sh: &mut Shell) -> Result<Vec<Effect>, Reply> {
        match reply {
            Reply::Overview(o) => {
                if self.data.as_ref() != Some(&*o) {
                    self.data = Some(*o);
                    sh.dirty = true;
                }
                Ok(Vec::new())
            }
            other => Err(other),
        }
    }

    fn on_move(&mut self, _m: Move, _page: usize, _sh: &mut Shell) -> Vec<Effect> {
        Vec::new()
    }

    fn draw(&mut self, frame: &mut Frame<'_>, area: Rect, sh: &Shell) {
        view::render(frame, area, self, sh);
    }

    fn status(&self, sh: &Shell) -> String {
        sh.lang()
            .t(
                "概況: 各枠の見出しのキーでその一覧を開きます",
                "Overview: the key in a block's title opens its list",
            )
            .into()
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}
