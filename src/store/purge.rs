//! Deleting data whose retention period has ended (what `daicho purge` removes).
//!
//! Each category is a set of rows older than a cutoff date; deleting a consent request
//! also deletes its insured person (`ON DELETE CASCADE`).

use super::{Result, StoreError};
use rusqlite::{Connection, params};
use std::time::{Duration, Instant};

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

const SPECS: [Spec; 5] = [
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
    // Rows the import refused hold what the sender wrote: kept as long as applications.
    Spec {
        key: "quarantine",
        label_ja: "取込で隔離した行",
        table: "quarantine",
        date: "substr(created_at, 1, 10)",
        filter: "created_at <> '' AND substr(created_at, 1, 10) < ?1",
    },
    // The history's old and new values of personal fields (staff addresses, managers'
    // birth dates): the change itself stays in the audit log, its values go with the
    // application retention.
    Spec {
        key: "change_history_personal",
        label_ja: "変更履歴の個人情報の値",
        table: "facility_change",
        date: "substr(at, 1, 10)",
        filter: "personal = 1 AND substr(at, 1, 10) < ?1",
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
/// rows survive neither in free pages nor in old WAL frames. A session reading an older
/// snapshot keeps the checkpoint from finishing: this retries for up to `patience`, then
/// fails saying so.
pub fn vacuum(conn: &Connection, patience: Duration) -> Result<()> {
    truncate_wal(conn, patience)?;
    conn.execute_batch("VACUUM")?;
    truncate_wal(conn, patience)
}

/// `PRAGMA wal_checkpoint(TRUNCATE)` until it reports the WAL fully copied and emptied.
pub fn truncate_wal(conn: &Connection, patience: Duration) -> Result<()> {
    // Each try waits briefly for readers; the loop below is the real patience.
    conn.busy_timeout(Duration::from_millis(100))?;
    let result = truncate_wal_tries(conn, patience);
    conn.busy_timeout(super::open::BUSY_TIMEOUT)?;
    result
}

fn truncate_wal_tries(conn: &Connection, patience: Duration) -> Result<()> {
    let started = Instant::now();
    loop {
        let (busy, log, done): (i64, i64, i64) =
            conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?;
        // TRUNCATE leaves log = 0 on success; -1 means not in WAL mode (in memory).
        if busy == 0 && log <= 0 {
            return Ok(());
        }
        if started.elapsed() >= patience {
            return Err(StoreError::Invalid(format!(
                "the WAL could not be emptied ({done} of {log} pages copied): another session is still reading"
            )));
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}
