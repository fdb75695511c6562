//! tui

pub mod keymap;
