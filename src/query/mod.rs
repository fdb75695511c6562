//! The application query layer: the UI's only way to the database.
//!
//! Screens send [`Request`]s and receive [`Reply`]s as messages; they never see SQL or
//! the store. [`answer`] answers one request (reads through the store's read methods,
//! writes through `service`); [`worker`] runs it on threads: one for queries and writes,
//! one for exports, with coalescing, interruption and the change poll.

mod answer;
pub mod checklist;
pub mod consent;
mod export_file;
mod inbox;
pub mod opendata;
pub mod overview;
pub mod reply;
pub mod request;
pub mod testing;
pub mod upkeep;
pub mod worker;

pub use crate::domain::view::FacilityDetail;
pub use answer::handle;
pub use reply::Reply;
pub use request::{PageMerge, Request, Screen, coalesce};
pub use worker::{Client, Event, Workers, start};

use crate::domain::designation::CalendarRules;
use crate::domain::model::ServiceType;
use crate::domain::permission::Actor;
use crate::domain::view::PermissionWarning;
use crate::store::{Result, Store};
use chrono::NaiveDate;
use std::path::Path;

/// What answering needs besides the request: a store connection of its own, who
/// asks, and the calendar.
pub struct DataContext {
    pub store: Store,
    pub actor: Actor,
    pub today: NaiveDate,
    pub rules: CalendarRules,
}

impl DataContext {
    /// Opens the database at `db` (migrating an older schema) for `actor`.
    pub fn open(db: &Path, actor: Actor, today: NaiveDate, rules: CalendarRules) -> Result<Self> {
        Ok(DataContext {
            store: Store::open(db)?,
            actor,
            today,
            rules,
        })
    }

    /// A second connection to the same database, for another thread (exports).
    pub fn reopen(&self) -> Result<Self> {
        Ok(DataContext {
            store: Store::open(self.store.path())?,
            actor: self.actor.clone(),
            today: self.today,
            rules: self.rules.clone(),
        })
    }

    /// The service types for the filter menu (none if the table cannot be read).
    pub fn service_types(&self) -> Vec<ServiceType> {
        self.store.service_types().unwrap_or_default()
    }

    /// Minutes of inactivity before the UI locks (`app_meta.idle_lock_minutes`).
    pub fn idle_lock_minutes(&self) -> u32 {
        crate::service::session::idle_lock_minutes(self.store.conn())
    }
}

/// Files of the database at `db` that others may read or write.
pub fn permission_warnings(db: &Path) -> Vec<PermissionWarning> {
    crate::store::open::check_permissions(db)
}

/// The inbox and consent lists load this many cases (open ones first, by due date);
/// the status line says so when a list is cut there.
pub const CASE_LIST_CAP: usize = 5_000;

/// The jobs screen's quarantine view loads this many rows, newest first.
pub const QUARANTINE_CAP: usize = 2_000;

/// Largest count the header and list show exactly; above it, "10,000+".
pub const COUNT_CAP: usize = 1_000_000;

pub use inbox::{InboxAsk, InboxDone, RenewalLine};
