//! Maintenance writes made by the service account itself (restore), audited like any
//! other write. Cron and the administrator's shell have no staff login, so the actor is
//! [`SYSTEM_ACTOR`].

use super::{Anchoring, Result, Written};
use crate::store::{Store, audit};

fn system_entry(action: &str, reason: String) -> audit::Entry {
    audit::Entry {
        actor: SYSTEM_ACTOR.into(),
        action: action.into(),
        object_type: "database".into(),
        object_id: String::new(),
        fields: Vec::new(),
        reason,
    }
}

pub const SYSTEM_ACTOR: &str = "system";

/// The first audit record of a database that daicho built itself (the demo), and its
/// anchor: without one, `audit verify` could not tell a new log from a deleted one.
pub fn record_creation(store: &mut Store, what: &str) -> Result<()> {
    super::audited_write(store, |_| {
        Ok(Written::change(
            (),
            system_entry("db.create", what.to_string()),
        ))
    })
}

/// After a restore: records it in the restored log and moves the anchor to the new head
/// (the log legitimately went back to the backup's head; the old anchor is in the reason).
pub fn record_restore(
    store: &mut Store,
    from_file: &str,
    previous_anchor: Option<&audit::Anchor>,
) -> Result<()> {
    let reason = match previous_anchor {
        Some(a) => format!(
            "restored from {from_file}; log head before restore was seq {} {}",
            a.seq, a.hash
        ),
        None => format!("restored from {from_file}"),
    };
    let entry = system_entry("db.restore", reason);
    let ((), anchored) = super::write_inner(
        store,
        |_| Ok(Written::change((), entry)),
        |_| Ok(()),
        Anchoring::Reset,
    )?;
    anchored
}
