//! What overlays (Env) and command handlers and screens' actions (Host) see of the app.

use super::App;
use crate::tui::command::{Command, Reason};
use crate::tui::keymap::Keymap;
use crate::tui::msg::Effect;
use crate::tui::nav::Move;
use crate::tui::overlay::{Env, Outcome};
use crate::tui::screen::{Host, HostOverlay, Screen, Verb};
use crate::tui::screens::ledger::LedgerScreen;
use crate::tui::shell::Shell;
use crate::tui::ui::{ScreenId, Ui};

impl Env for App {
    fn ui(&self) -> &Ui {
        &self.shell.ui
    }
    fn keymap(&self) -> &Keymap {
        &self.keymap
    }
    fn enabled(&self, cmd: &Command) -> Result<(), Reason> {
        (cmd.enabled)(self)
    }

    fn recent(&self) -> &[&'static str] {
        &self.recent
    }
    fn screen(&self) -> ScreenId {
        self.screen
    }
    fn screen_contexts(&self) -> Vec<&'static str> {
        App::screen_contexts(self)
    }
    fn size(&self) -> (u16, u16) {
        self.size
    }
}

impl Host for App {
    fn shell(&self) -> &Shell {
        &self.shell
    }
    fn shell_mut(&mut self) -> &mut Shell {
        &mut self.shell
    }
    fn screens(&self) -> &[Box<dyn Screen>] {
        &self.screens
    }
    fn screens_mut(&mut self) -> (&mut Shell, &mut [Box<dyn Screen>]) {
        (&mut self.shell, &mut self.screens)
    }
    fn active(&self) -> ScreenId {
        self.screen
    }
    fn push(&mut self, overlay: HostOverlay) {
        self.overlays.push(overlay);
        self.shell.dirty = true;
    }
    fn has_dialog(&self) -> bool {
        App::has_dialog(self)
    }
    fn overlay_searchable(&self) -> bool {
        self.overlays.last().is_some_and(|o| o.searchable())
    }
    fn overlay_move(&mut self, m: Move) -> bool {
        self.with_top(|o, env| {
            o.on_move(m, env);
            Outcome::Keep
        })
        .is_some()
    }
    fn overlay_confirm(&mut self) -> Option<Vec<Effect>> {
        self.with_top(|o, env| o.on_confirm(env))
    }
    fn overlay_cancel(&mut self) -> Option<Vec<Effect>> {
        self.with_top(|o, _| o.on_cancel())
    }
    fn verb(&mut self, verb: Verb) -> Vec<Effect> {
        App::verb(self, verb)
    }
    fn body_rows(&self) -> usize {
        (self.size.1.saturating_sub(super::CHROME_LINES + 1) as usize).max(1)
    }
    fn switch_screen(&mut self, id: ScreenId) -> Vec<Effect> {
        App::switch_screen(self, id)
    }
    fn open_palette(&mut self) {
        App::open_palette(self);
    }
    fn open_help(&mut self) {
        App::open_help(self);
    }
    fn lock(&mut self) {
        self.lock_session(true);
    }
    fn refresh(&mut self) -> Vec<Effect> {
        self.refresh_command()
    }
    fn quit(&mut self) -> Vec<Effect> {
        self.quit = true;
        vec![Effect::Quit]
    }
    fn overlay_search(&mut self) -> bool {
        let mut found = false;
        self.with_top(|o, _| {
            found = o.on_search();
            Outcome::Keep
        });
        found
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
    fn as_any_mut(&mut self) -> &mut dyn std::any::Any {
        self
    }
}

/// The screens, by what is on display or by type.
impl App {
    /// The screen on display.
    pub fn active_screen(&self) -> Option<&dyn Screen> {
        self.screens
            .iter()
            .find(|s| s.id() == self.screen)
            .map(|s| s.as_ref())
    }

    pub fn active_screen_mut(&mut self) -> Option<&mut Box<dyn Screen>> {
        let id = self.screen;
        self.screens.iter_mut().find(|s| s.id() == id)
    }

    /// The screen of type `S` (tests and app-level handlers).
    pub fn screen_ref<S: Screen>(&self) -> &S {
        self.screens
            .iter()
            .find_map(|s| s.as_any().downcast_ref::<S>())
            .expect("every screen type is in screens::all")
    }

    pub fn screen_mut<S: Screen>(&mut self) -> &mut S {
        self.screens
            .iter_mut()
            .find_map(|s| s.as_any_mut().downcast_mut::<S>())
            .expect("every screen type is in screens::all")
    }

    /// The ledger (tests read its state).
    pub fn ledger(&self) -> &LedgerScreen {
        self.screen_ref::<LedgerScreen>()
    }

    pub fn ledger_mut(&mut self) -> &mut LedgerScreen {
        self.screen_mut::<LedgerScreen>()
    }
}
