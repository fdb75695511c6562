//! tui — the terminal UI; knows nothing of SQL.
//!
//! Terminal plumbing lives here: [`terminal`] (setup/restore, panic hook,
//! signals, workers), [`probe`] (ambiguous-width detection), [`glyphs`] and
//! [`theme`] (what to draw with), [`widgets`] (reusable pieces), [`keymap`]
//! (key notation and TOML keymaps).
pub mod glyphs;
pub mod keymap;
pub mod probe;
pub mod terminal;
pub mod theme;
pub mod widgets;
