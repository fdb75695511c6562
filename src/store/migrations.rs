//! Numbered schema migrations, compiled into the binary and applied at open.
//! `PRAGMA user_version` records the schema version; a database from a newer daicho is
//! refused rather than half-understood.

use super::{Result, StoreError};
use rusqlite::{Connection, TransactionBehavior};

pub const MIGRATIONS: &[(i64, &str)] = &[
    (1, include_str!("migrations/0001_init.sql")),
    (2, include_str!("migrations/0002_search.sql")),
    (3, include_str!("migrations/0003_short_search.sql")),
    (4, include_str!("migrations/0004_database_id.sql")),
    (5, include_str!("migrations/0005_inbox.sql")),
    (6, include_str!("migrations/0006_checklist.sql")),
    (7, include_str!("migrations/0007_upkeep.sql")),
    (8, include_str!("migrations/0008_consent.sql")),
    (9, include_str!("migrations/0009_sync.sql")),
    (10, include_str!("migrations/0010_opendata.sql")),
];

pub fn latest() -> i64 {
    MIGRATIONS.last().map_or(0, |(v, _)| *v)
}

pub fn migrate(conn: &mut Connection) -> Result<()> {
    migrate_to(conn, latest())
}

/// Applies migrations up to `target` (tests use it to build an old database).
pub fn migrate_to(conn: &mut Connection, target: i64) -> Result<()> {
    let current: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if current > latest() {
        return Err(StoreError::NewerSchema {
            found: current,
            supported: latest(),
        });
    }
    for (version, sql) in MIGRATIONS
        .iter()
        .filter(|(v, _)| *v > current && *v <= target)
    {
        // Each migration and its version bump commit together or not at all.
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let now: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if now >= *version {
            continue; // another process migrated meanwhile
        }
        tx.execute_batch(sql)
            .map_err(|e| StoreError::Invalid(format!("migration {version} failed: {e}")))?;
        tx.pragma_update(None, "user_version", version)?;
        tx.commit()?;
    }
    Ok(())
}
