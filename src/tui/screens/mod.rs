//! The screens, each in its own folder: its state, its replies, its drawing, and (in
//! `commands.rs`) its commands. The two lists below are the only places that name them
//! all; adding a screen is its folder, a line in each list and its keymap section.

pub mod cases;
pub mod checklist;
pub mod consent;
pub mod inbox;
pub mod jobs;
pub mod ledger;
pub mod opendata;
pub mod overview;

use super::command::Command;
use super::screen::Screen;

/// What screens are made with.
pub struct ScreenConfig {
    pub today: chrono::NaiveDate,
    pub expiring_months: u32,
    pub service_types: Vec<crate::domain::model::ServiceType>,
    pub export_dir: std::path::PathBuf,
}

/// Every screen, in tab order (the order of `ScreenId::ALL`).
pub fn all(cfg: ScreenConfig) -> Vec<Box<dyn Screen>> {
    let mut ledger = ledger::LedgerScreen::new(cfg.today, cfg.expiring_months);
    ledger.service_types = cfg.service_types;
    ledger.export_dir = cfg.export_dir;
    vec![
        Box::new(overview::OverviewScreen::default()),
        Box::new(ledger),
        Box::new(inbox::InboxScreen::default()),
        Box::new(consent::ConsentScreen::default()),
        Box::new(checklist::ChecklistScreen::default()),
        Box::new(jobs::JobsScreen::default()),
        Box::new(opendata::OpenDataScreen::default()),
    ]
}

/// The screens' own commands, in registry order.
pub fn commands() -> impl Iterator<Item = &'static Command> {
    [
        ledger::commands::COMMANDS,
        inbox::commands::COMMANDS,
        jobs::commands::COMMANDS,
        checklist::commands::COMMANDS,
        consent::commands::COMMANDS,
        overview::commands::COMMANDS,
        opendata::commands::COMMANDS,
    ]
    .into_iter()
    .flatten()
    .copied()
}
