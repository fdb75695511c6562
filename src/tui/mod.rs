//! tui
pub mod probe;
pub mod terminal;
