//! Deleting data whose retention period has ended (what `daicho purge` removes).
//!
//! Each category is a set of rows older than a cutoff date; deleting a consent request
//! also deletes its insured person (`ON DELETE CASCADE`).

use super::Result;
use rusqlite::{Connection, params};

/// One category of expired data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Category {
    pub key: &'static str,
    pub label_ja: &'static str,
    /// Rows that would go / went.
    pub count: i64,
    /// Oldest and newest date of the rows (the date the retention counts from).
    pub first: Option<String>,
    pub last: Option<String>,
}

/// The cutoff dates (ISO): rows dated before them are past retention.
#[derive(Debug, Clone)]
pub struct Cutoffs {
    pub consent_closed_before: String,
    pub meeting_held_before: String,
    pub application_closed_before: String,
}

struct Spec {
    key: &'static str,
    label_ja: &'static str,
    table: &'static str,
    date: &'static str,
    filter: &'static str,
}

const SPECS: [Spec; 3] = [
    Spec {
        key: "consent",
        label_ja: "区外同意（被保険者情報を含む）",
        table: "consent_request",
        date: "closed_on",
        filter: "closed_on IS NOT NULL AND closed_on < ?1",
    },
    Spec {
        key: "meeting_minutes",
        label_ja: "運営推進会議の記録",
        table: "council_meeting",
        date: "held_on",
        filter: "held_on < ?1",
    },
    Spec {
        key: "application",
        label_ja: "完結した申請",
        table: "application",
        date: "substr(updated_at, 1, 10)",
        filter: "status IN ('notified','withdrawn','rejected') AND substr(updated_at, 1, 10) < ?1",
    },
];

fn cutoff<'a>(c: &'a Cutoffs, key: &str) -> &'a str {
    match key {
        "consent" => &c.consent_closed_before,
        "meeting_minutes" => &c.meeting_held_before,
        _ => &c.application_closed_before,
    }
}

/// What would be deleted.
pub fn candidates(conn: &Connection, cutoffs: &Cutoffs) -> Result<Vec<Category>> {
    SPECS
        .iter()
        .map(|s| {
            let (count, first, last) = conn.query_row(
                &format!(
                    "SELECT count(*), min({d}), max({d}) FROM {t} WHERE {f}",
                    d = s.date,
                    t = s.table,
                    f = s.filter
                ),
                params![cutoff(cutoffs, s.key)],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )?;
            Ok(Category {
                key: s.key,
                label_ja: s.label_ja,
                count,
                first,
                last,
            })
        })
        .collect()
}

/// Deletes every category (inside the caller's transaction); returns what went.
pub fn delete(conn: &Connection, cutoffs: &Cutoffs) -> Result<Vec<Category>> {
    let found = candidates(conn, cutoffs)?;
    for s in &SPECS {
        conn.execute(
            &format!("DELETE FROM {} WHERE {}", s.table, s.filter),
            params![cutoff(cutoffs, s.key)],
        )?;
    }
    Ok(found)
}

/// Overwrite deleted content with zeros from now on (this connection).
pub fn secure_delete_on(conn: &Connection) -> Result<()> {
    conn.query_row("PRAGMA secure_delete = ON", [], |_| Ok(()))?;
    Ok(())
}

/// Rebuilds the file without free pages, then folds and truncates the WAL, so deleted
/// rows survive neither in free pages nor in old WAL frames.
pub fn vacuum(conn: &Connection) -> Result<()> {
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
    conn.execute_batch("VACUUM")?;
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
    Ok(())
}
