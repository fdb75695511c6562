//! What a screen is to the app, and what the app is to a screen.
//!
//! A [`Screen`] owns its state, its keymap contexts, its replies, its drawing and its
//! status-line text. Command handlers and overlay actions reach the app only as a
//! [`Host`]: the shared [`Shell`], the screens (by type) and the overlay stack. Neither
//! trait knows the app's type, so no screen imports `app`.

use super::command::Reason;
use super::msg::Effect;
use super::nav::Move;
use super::overlay::prompt::ReasonPrompt;
use super::overlay::{Action, Overlay};
use super::shell::Shell;
use super::ui::ScreenId;
use crate::query::{Reply, Request};
use ratatui::Frame;
use ratatui::layout::Rect;
use std::any::Any;

/// An overlay whose actions act on the app through [`Host`].
pub type HostOverlay = Box<dyn Overlay<dyn Host>>;

/// What Enter or Esc on a screen's own dialog (not an overlay) does.
pub enum Verb {
    Done(Vec<Effect>),
    /// Ask first: a confirmation with this message runs the action on yes.
    Ask(String, Action<dyn Host>),
}

pub trait Screen: Any {
    fn id(&self) -> ScreenId;
    /// Keymap contexts while it has the focus (no overlay), most specific first.
    fn contexts(&self) -> Vec<&'static str> {
        vec![self.id().context(), "list", "global"]
    }
    /// The contexts help describes for it.
    fn help_contexts(&self) -> Vec<&'static str> {
        vec![self.id().context(), "list", "global"]
    }
    /// What to load when it is switched to.
    fn enter(&mut self) -> Vec<Request> {
        Vec::new()
    }
    /// Another screen is about to be shown.
    fn leave(&mut self) {}
    /// What to reload after another process committed (only the one on screen).
    fn refresh(&mut self) -> Vec<Request> {
        self.enter()
    }
    /// What to reload when another process committed while it is not on display.
    fn refresh_hidden(&mut self) -> Vec<Request> {
        Vec::new()
    }
    /// The terminal's size changed: `body` rows are left for the screen's list.
    fn resize(&mut self, _body: usize) -> Vec<Request> {
        Vec::new()
    }
    /// The date rolled over (midnight).
    fn set_today(&mut self, _today: chrono::NaiveDate) -> Vec<Request> {
        Vec::new()
    }
    /// A data reply: applied here, or given back when it is not this screen's (also
    /// when it looked but others may need it too).
    fn on_reply(&mut self, reply: Reply, _sh: &mut Shell) -> Result<Vec<Effect>, Reply> {
        Err(reply)
    }
    /// The `list.*` keys; `page` is the number of body rows.
    fn on_move(&mut self, m: Move, page: usize, sh: &mut Shell) -> Vec<Effect>;
    /// A key no binding claimed (typing into the screen's text field, if any).
    fn on_key(&mut self, _key: crossterm::event::KeyEvent, _sh: &mut Shell) -> Vec<Effect> {
        Vec::new()
    }
    fn on_paste(&mut self, _text: &str, _sh: &mut Shell) -> Vec<Effect> {
        Vec::new()
    }
    /// Whether Enter/Esc answer something on the screen itself (a search line, a
    /// conflict); then `dialog.confirm`/`dialog.cancel` reach it.
    fn dialog(&self) -> bool {
        false
    }
    fn on_confirm(&mut self, _sh: &mut Shell) -> Verb {
        Verb::Done(Vec::new())
    }
    fn on_cancel(&mut self, _sh: &mut Shell) -> Verb {
        Verb::Done(Vec::new())
    }
    /// `view.back` (Esc where no dialog is open).
    fn on_back(&mut self, _sh: &mut Shell) -> Vec<Effect> {
        Vec::new()
    }
    /// A form has the focus: every global Ctrl/function key works there.
    fn form_open(&self) -> bool {
        false
    }
    /// Something typed would be lost by quitting.
    fn unsaved(&self) -> bool {
        false
    }
    /// `record.reveal`: the prompt for the personal data shown now, or why none.
    fn reveal(&self, _sh: &Shell) -> Result<ReasonPrompt<dyn Host>, Reason> {
        Err(Reason::new(
            "事業所の詳細表示で使えます",
            "available in a facility's detail view",
        ))
    }
    fn draw(&mut self, frame: &mut Frame<'_>, area: Rect, sh: &Shell);
    /// Draws on the status row instead of the status text (the search line); false
    /// when it does not.
    fn draw_status(&self, _frame: &mut Frame<'_>, _area: Rect, _sh: &Shell) -> bool {
        false
    }
    /// The status line when no message is shown.
    fn status(&self, sh: &Shell) -> String;
    fn as_any(&self) -> &dyn Any;
    fn as_any_mut(&mut self) -> &mut dyn Any;
}

/// The app as command handlers and overlay actions see it.
pub trait Host: Any {
    fn shell(&self) -> &Shell;
    fn shell_mut(&mut self) -> &mut Shell;
    /// Every screen in tab order.
    fn screens(&self) -> &[Box<dyn Screen>];
    /// The shell and every screen, borrowed together.
    fn screens_mut(&mut self) -> (&mut Shell, &mut [Box<dyn Screen>]);
    /// The screen on display.
    fn active(&self) -> ScreenId;
    fn push(&mut self, overlay: HostOverlay);
    /// Whether Enter/Esc answer something now (an overlay, a dialog of a screen).
    fn has_dialog(&self) -> bool;
    /// Lets the top overlay take `list.search`; false when none does.
    fn overlay_search(&mut self) -> bool;
    /// Whether the top overlay has a search of its own (help).
    fn overlay_searchable(&self) -> bool;
    /// Lets the top overlay take a `list.*` key; false when no overlay is open.
    fn overlay_move(&mut self, m: Move) -> bool;
    /// Enter/Esc on the top overlay; `None` when no overlay is open.
    fn overlay_confirm(&mut self) -> Option<Vec<Effect>>;
    fn overlay_cancel(&mut self) -> Option<Vec<Effect>>;
    /// Does what a screen's dialog asked (done, or a question first).
    fn verb(&mut self, verb: Verb) -> Vec<Effect>;
    /// Rows the screen body has for a list.
    fn body_rows(&self) -> usize;
    fn switch_screen(&mut self, id: ScreenId) -> Vec<Effect>;
    fn open_palette(&mut self);
    fn open_help(&mut self);
    fn lock(&mut self);
    /// Reloads what is on screen (F5).
    fn refresh(&mut self) -> Vec<Effect>;
    /// Leaves now.
    fn quit(&mut self) -> Vec<Effect>;
    fn as_any(&self) -> &dyn Any;
    fn as_any_mut(&mut self) -> &mut dyn Any;
}

impl dyn Host {
    /// The screen of type `S`.
    pub fn screen<S: Screen>(&self) -> Option<&S> {
        self.screens()
            .iter()
            .find_map(|s| s.as_any().downcast_ref::<S>())
    }

    /// The shell and the screen of type `S`, borrowed together.
    pub fn parts<S: Screen>(&mut self) -> Option<(&mut Shell, &mut S)> {
        let (shell, screens) = self.screens_mut();
        let s = screens
            .iter_mut()
            .find_map(|s| s.as_any_mut().downcast_mut::<S>())?;
        Some((shell, s))
    }

    pub fn push_overlay(&mut self, overlay: impl Overlay<dyn Host>) {
        self.push(Box::new(overlay));
    }
}
