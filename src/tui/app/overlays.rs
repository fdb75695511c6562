//! The overlay stack on the app: opening, reading the top, and letting the top one
//! handle a verb; and the questions screens ask (`Verb::Ask`).

use super::App;
use crate::tui::help::HelpState;
use crate::tui::msg::Effect;
use crate::tui::overlay::confirm::Confirm;
use crate::tui::overlay::{Outcome, Overlay};
use crate::tui::palette::PaletteState;
use crate::tui::screen::{Host, Verb};

impl App {
    pub(crate) fn open_palette(&mut self) {
        let palette = PaletteState::open(self);
        self.push(palette);
    }

    pub(crate) fn open_help(&mut self) {
        self.push(HelpState::default());
    }

    /// Puts an overlay on top of the stack.
    pub fn push(&mut self, overlay: impl Overlay<dyn Host>) {
        self.overlays.push(Box::new(overlay));
        self.shell.dirty = true;
    }

    /// The top overlay, if it is an `O`.
    pub fn overlay<O: 'static>(&self) -> Option<&O> {
        self.overlays.last()?.as_any().downcast_ref()
    }

    /// Lets the top overlay handle a verb, then does what it asks; `None` when no
    /// overlay is open.
    pub(crate) fn with_top(
        &mut self,
        verb: impl FnOnce(&mut dyn Overlay<dyn Host>, &App) -> Outcome<dyn Host>,
    ) -> Option<Vec<Effect>> {
        let mut top = self.overlays.pop()?;
        self.overlay_out = true;
        let outcome = verb(top.as_mut(), self);
        self.overlay_out = false;
        if !matches!(outcome, Outcome::Keep) {
            self.shell.dirty = true;
        }
        Some(match outcome {
            Outcome::Keep => {
                self.overlays.push(top);
                Vec::new()
            }
            Outcome::Close => Vec::new(),
            Outcome::Then(action) => action(self),
            Outcome::Run(cmd) => self.run(cmd),
        })
    }

    /// What a screen's own dialog asked for: done, or a question first.
    pub(crate) fn verb(&mut self, verb: Verb) -> Vec<Effect> {
        match verb {
            Verb::Done(fx) => fx,
            Verb::Ask(message, on_yes) => {
                self.push(Confirm::new(message, on_yes));
                Vec::new()
            }
        }
    }
}
