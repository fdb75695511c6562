//! What the sync jobs remember: imported files (by SHA-256), quarantined rows, and the
//! counts `sync status` shows.

use super::Result;
use rusqlite::{Connection, OptionalExtension, params};

/// A file the import has finished with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedFile {
    pub sha256: String,
    /// The sanitised name it had in the inbox.
    pub file_name: String,
    pub job_id: Option<i64>,
    pub rows: i64,
    pub imported: i64,
    pub quarantined: i64,
}

/// One refused row (line 0: the whole file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuarantineRow {
    pub file_name: String,
    pub file_sha256: String,
    pub line: i64,
    /// Field and problem, in the UI language of the run.
    pub reason: String,
    pub raw: String,
}

pub fn is_imported(conn: &Connection, sha256: &str) -> Result<bool> {
    Ok(conn
        .query_row(
            "SELECT 1 FROM imported_file WHERE sha256 = ?1",
            [sha256],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

/// True if an application with this e-application id is already in the inbox.
pub fn has_external_id(conn: &Connection, external_id: &str) -> Result<bool> {
    Ok(conn
        .query_row(
            "SELECT 1 FROM application WHERE external_id = ?1",
            [external_id],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

/// Records a finished file and its quarantined rows (call inside one transaction).
pub fn record_import(
    conn: &Connection,
    file: &ImportedFile,
    quarantined: &[QuarantineRow],
    at: &str,
) -> Result<()> {
    conn.execute(
        "INSERT INTO imported_file(sha256, file_name, imported_at, job_id, rows, imported, quarantined)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            file.sha256,
            file.file_name,
            at,
            file.job_id,
            file.rows,
            file.imported,
            file.quarantined
        ],
    )?;
    let mut st = conn.prepare_cached(
        "INSERT INTO quarantine(job_id, file_name, line, reason, raw, created_at, file_sha256)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    for q in quarantined {
        st.execute(params![
            file.job_id,
            q.file_name,
            q.line,
            q.reason,
            q.raw,
            at,
            q.file_sha256
        ])?;
    }
    Ok(())
}

/// Totals for `sync status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counts {
    pub files: i64,
    pub read: i64,
    pub imported: i64,
    pub quarantined: i64,
    pub exported: i64,
    pub queued: i64,
}

pub fn counts(conn: &Connection) -> Result<Counts> {
    let (files, read, imported): (i64, i64, i64) = conn.query_row(
        "SELECT count(*), coalesce(sum(rows), 0), coalesce(sum(imported), 0) FROM imported_file",
        [],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    let quarantined = conn.query_row("SELECT count(*) FROM quarantine", [], |r| r.get(0))?;
    let (exported, queued) = conn.query_row(
        "SELECT count(sent_job_id), count(*) - count(sent_job_id) FROM outbox",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    Ok(Counts {
        files,
        read,
        imported,
        quarantined,
        exported,
        queued,
    })
}

/// The latest quarantined rows, newest first: (file, line, reason).
pub fn recent_quarantine(conn: &Connection, limit: usize) -> Result<Vec<(String, i64, String)>> {
    let mut st = conn.prepare_cached(
        "SELECT file_name, line, reason FROM quarantine ORDER BY id DESC LIMIT ?1",
    )?;
    let rows = st.query_map([limit as i64], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Quarantined rows, newest first: one run's (`job`), or everyone's.
pub fn quarantine_entries(
    conn: &Connection,
    job: Option<i64>,
    limit: usize,
) -> Result<Vec<crate::domain::view::QuarantineEntry>> {
    let mut st = conn.prepare_cached(
        "SELECT id, job_id, file_name, line, reason, created_at FROM quarantine
          WHERE ?1 IS NULL OR job_id = ?1 ORDER BY id DESC LIMIT ?2",
    )?;
    let rows = st.query_map(params![job, limit as i64], |r| {
        Ok(crate::domain::view::QuarantineEntry {
            id: r.get(0)?,
            job_id: r.get(1)?,
            file_name: r.get(2)?,
            line: r.get(3)?,
            reason: r.get(4)?,
            created_at: r.get(5)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// One queued change for an export file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxRow {
    pub id: i64,
    pub facility_id: Option<i64>,
    pub change_kind: String,
    pub created_at: String,
}

/// An export batch: one file of one target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportBatch {
    pub id: String,
    pub target: String,
    pub file_name: String,
    pub rows: i64,
    pub sent_at: Option<String>,
}

fn batch_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<ExportBatch> {
    Ok(ExportBatch {
        id: r.get(0)?,
        target: r.get(1)?,
        file_name: r.get(2)?,
        rows: r.get(3)?,
        sent_at: r.get(4)?,
    })
}

/// A batch of `target` that was opened but whose file was never confirmed (a killed run).
pub fn unsent_batch(conn: &Connection, target: &str) -> Result<Option<ExportBatch>> {
    Ok(conn
        .query_row(
            "SELECT id, target, file_name, rows, sent_at FROM export_batch
             WHERE target = ?1 AND sent_at IS NULL ORDER BY created_at LIMIT 1",
            [target],
            batch_from_row,
        )
        .optional()?)
}

pub fn batch(conn: &Connection, id: &str) -> Result<Option<ExportBatch>> {
    Ok(conn
        .query_row(
            "SELECT id, target, file_name, rows, sent_at FROM export_batch WHERE id = ?1",
            [id],
            batch_from_row,
        )
        .optional()?)
}

/// How many rows of `target` wait for a batch.
pub fn queued(conn: &Connection, target: &str) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT count(*) FROM outbox WHERE target = ?1 AND sent_job_id IS NULL AND batch IS NULL",
        [target],
        |r| r.get(0),
    )?)
}

/// Binds every queued row of `target` to a new batch; returns how many.
pub fn open_batch(
    conn: &Connection,
    target: &str,
    id: &str,
    file_name: &str,
    job_id: Option<i64>,
    at: &str,
) -> Result<i64> {
    let n = conn.execute(
        "UPDATE outbox SET batch = ?2 WHERE target = ?1 AND sent_job_id IS NULL AND batch IS NULL",
        params![target, id],
    )? as i64;
    conn.execute(
        "INSERT INTO export_batch(id, target, file_name, rows, created_at, job_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![id, target, file_name, n, at, job_id],
    )?;
    Ok(n)
}

pub fn batch_rows(conn: &Connection, id: &str) -> Result<Vec<OutboxRow>> {
    let mut st = conn.prepare_cached(
        "SELECT id, facility_id, change_kind, created_at FROM outbox WHERE batch = ?1 ORDER BY id",
    )?;
    let rows = st.query_map([id], |r| {
        Ok(OutboxRow {
            id: r.get(0)?,
            facility_id: r.get(1)?,
            change_kind: r.get(2)?,
            created_at: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Marks a batch's rows sent by `job_id` (a re-send keeps the first job's mark).
pub fn mark_sent(conn: &Connection, id: &str, job_id: i64, at: &str) -> Result<()> {
    conn.execute(
        "UPDATE outbox SET sent_job_id = ?2 WHERE batch = ?1 AND sent_job_id IS NULL",
        params![id, job_id],
    )?;
    conn.execute(
        "UPDATE export_batch SET sent_at = coalesce(sent_at, ?2) WHERE id = ?1",
        params![id, at],
    )?;
    Ok(())
}

/// Outgoing consent requests in 依頼済 whose request file has not been written.
pub fn unsent_consent_requests(conn: &Connection) -> Result<Vec<i64>> {
    let mut st = conn.prepare_cached(
        "SELECT c.id FROM consent_request c
         WHERE c.direction = 'outgoing' AND c.status = 'requested'
           AND NOT EXISTS (SELECT 1 FROM consent_sent s WHERE s.consent_id = c.id)
         ORDER BY c.id",
    )?;
    let rows = st.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub fn mark_consents_sent(conn: &Connection, ids: &[i64], file_name: &str, at: &str) -> Result<()> {
    let mut st = conn.prepare_cached(
        "INSERT OR IGNORE INTO consent_sent(consent_id, file_name, sent_at) VALUES (?1, ?2, ?3)",
    )?;
    for id in ids {
        st.execute(params![id, file_name, at])?;
    }
    Ok(())
}

/// The incoming consent case made from the partner's request `request_id` (kept as its
/// document reference), if any.
pub fn incoming_consent_by_ref(conn: &Connection, request_id: &str) -> Result<Option<i64>> {
    Ok(conn
        .query_row(
            "SELECT id FROM consent_request WHERE direction = 'incoming' AND document_ref = ?1",
            [request_id],
            |r| r.get(0),
        )
        .optional()?)
}
