//! tui
pub mod glyphs;
pub mod probe;
pub mod terminal;
pub mod theme;
