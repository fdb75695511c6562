//! What a screen is to the app, and what the app is to a screen.
//!
//! A [`Screen`] owns its state, its keymap contexts, its replies, its drawing and its
//! status-line text. Command handlers and overlay actions reach the app only as a
//! [`Host`]: the shared [`Shell`], the screens (by type) and the overlay stack. Neither
//! trait knows the app's type, so no screen imports `app`.

use super::data::{Reply, Request};
use super::msg::Effect;
use super::nav::Move;
use super::overlay::Overlay;
use super::shell::Shell;
use super::ui::ScreenId;
use ratatui::Frame;
use ratatui::layout::Rect;
use std::any::Any;

/// An overlay whose actions act on the app through [`Host`].
pub type HostOverlay = Box<dyn Overlay<dyn Host>>;

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
    /// What to reload after another process committed (only the one on screen).
    fn refresh(&mut self) -> Vec<Request> {
        self.enter()
    }
    /// A data reply: applied here, or given back when it is not this screen's.
    fn on_reply(&mut self, reply: Reply, _sh: &mut Shell) -> Result<Vec<Effect>, Reply> {
        Err(reply)
    }
    /// The `list.*` keys; `page` is the number of body rows.
    fn on_move(&mut self, m: Move, page: usize, sh: &mut Shell) -> Vec<Effect>;
    fn draw(&mut self, frame: &mut Frame<'_>, area: Rect, sh: &Shell);
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
