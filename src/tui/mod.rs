//! tui — the terminal UI; knows nothing of SQL.
//!
//! Terminal plumbing lives here: [`terminal`] (setup/restore, panic hook,
//! signals, workers), [`probe`] (ambiguous-width detection), [`glyphs`] and
//! [`theme`] (what to draw with), [`widgets`] (reusable pieces).
pub mod glyphs;
pub mod probe;
pub mod terminal;
pub mod theme;
pub mod widgets;
