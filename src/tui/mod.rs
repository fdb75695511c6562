//! tui
pub mod terminal;
