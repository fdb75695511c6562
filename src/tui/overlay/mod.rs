//! The overlay stack: palette, help, prompts, menus and confirmations drawn over the
//! screen. Each item owns its keys (as keymap contexts and the generic verbs below) and
//! its drawing, and carries what happens when it is confirmed.
//!
//! Overlays are generic over the state their actions change (`T`, the app): this
//! module knows nothing of the app, the screens or the command registry. The palette
//! and help, which list the registry, are `tui::palette` and `tui::help`.

pub mod confirm;
pub mod menu;
pub mod prompt;

use super::commands::{Command, Reason};
use super::keymap::Keymap;
use super::msg::Effect;
use super::nav::Move;
use super::ui::{ScreenId, Ui};
use super::widgets::text::display;
use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Span;
use ratatui::widgets::{Block, Borders};
use std::any::Any;

/// What confirming an overlay does to the state under it.
pub type Action<T> = Box<dyn FnOnce(&mut T) -> Vec<Effect>>;

/// What an overlay asks of the stack after a verb.
pub enum Outcome<T: ?Sized> {
    /// Stay open.
    Keep,
    /// Close, doing nothing.
    Close,
    /// Close, then act.
    Then(Action<T>),
    /// Close, then run this command (the palette).
    Run(&'static Command),
}

/// What overlays may read of the app while handling keys and drawing.
pub trait Env {
    fn ui(&self) -> &Ui;
    fn keymap(&self) -> &Keymap;
    fn enabled(&self, cmd: &Command) -> Result<(), Reason>;
    fn recent(&self) -> &[&'static str];
    fn screen(&self) -> ScreenId;
    /// The keymap contexts of the screen under the overlays (what help describes).
    fn screen_contexts(&self) -> Vec<&'static str>;
    fn size(&self) -> (u16, u16);
}

pub trait Overlay<T: ?Sized + 'static>: Any {
    /// Keymap contexts while this overlay is on top, most specific first.
    fn contexts(&self) -> &'static [&'static str];
    /// `list.*` keys.
    fn on_move(&mut self, _m: Move, _env: &dyn Env) {}
    /// Enter / `dialog.confirm`.
    fn on_confirm(&mut self, env: &dyn Env) -> Outcome<T>;
    /// Esc / `dialog.cancel`.
    fn on_cancel(&mut self) -> Outcome<T> {
        Outcome::Close
    }
    /// `list.search`; false when the overlay has no search.
    fn on_search(&mut self) -> bool {
        false
    }
    /// Whether `list.search` means something here.
    fn searchable(&self) -> bool {
        false
    }
    /// A key no binding claimed (typing); true when something visible changed.
    fn on_key(&mut self, _key: KeyEvent, _env: &dyn Env) -> bool {
        false
    }
    fn on_paste(&mut self, _text: &str, _env: &dyn Env) -> bool {
        false
    }
    fn draw(&self, frame: &mut Frame<'_>, area: Rect, env: &dyn Env);
    fn as_any(&self) -> &dyn Any;
}

/// A box of `w`×`h` in the middle of `area`, never larger than it.
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

/// The frame every overlay is drawn in.
pub fn boxed<'a>(ui: &Ui, title: String) -> Block<'a> {
    Block::default()
        .borders(Borders::ALL)
        .border_set(ui.glyphs.border)
        .border_style(ui.theme.border)
        .title(Span::styled(display(&title).into_owned(), ui.theme.title))
}
