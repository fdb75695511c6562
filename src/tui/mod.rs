//! tui — the terminal UI; knows nothing of SQL.
//!
//! - [`app`]: the state and `update(msg) -> effects`; [`dispatch`]: what each command does.
//! - [`commands`]: the one command registry; [`keymap`]: keys → command ids.
//! - [`crate::query`]: the data workers, the UI's only way to the database (outside `tui`).
//! - [`overlay`]: the overlay stack (palette, help, prompts, menus, confirmations).
//! - [`view`], [`screens`], [`widgets`]: drawing.
//! - [`run`]: the event loop and its threads (input, data, signals).
//! - [`terminal`], [`probe`], [`glyphs`], [`theme`]: terminal plumbing (restore on
//!   panic/signal, ambiguous-width probe, what to draw with).
pub mod app;
pub mod command;
pub mod commands;
pub mod dispatch;
pub mod glyphs;
pub mod help;
pub mod i18n;
pub mod input;
pub mod keymap;
pub mod msg;
pub mod nav;
pub mod overlay;
pub mod palette;
pub mod probe;
pub mod render;
pub mod run;
pub mod screen;
pub mod screens;
pub mod shell;
pub mod terminal;
#[doc(hidden)]
pub mod testing;
pub mod theme;
pub mod ui;
pub mod view;
pub mod widgets;
