//! The screens, each in its own folder: its state, its replies, its drawing, and (in
//! `commands.rs`) its commands. The two lists below are the only places that name them
//! all; adding a screen is its folder, a line in each list and its keymap section.

pub mod cases;
pub mod checklist;
pub mod consent;
pub mod inbox;
pub mod jobs;
pub mod ledger;

use super::command::Command;
use super::screen::Screen;

/// The screens that own themselves, in tab order after the ledger.
pub fn all() -> Vec<Box<dyn Screen>> {
    vec![
        Box::new(inbox::InboxScreen::default()),
        Box::new(consent::ConsentScreen::default()),
        Box::new(checklist::ChecklistScreen::default()),
        Box::new(jobs::JobsScreen::default()),
    ]
}

/// The screens' own commands, in registry order.
pub fn commands() -> impl Iterator<Item = &'static Command> {
    [inbox::commands::COMMANDS, jobs::commands::COMMANDS]
        .into_iter()
        .flatten()
        .copied()
}
