//! Sync job records (the jobs screen's list) and the job leases: one row per job kind
//! across all processes, taken in a `BEGIN IMMEDIATE` transaction.

use super::Result;
use chrono::{DateTime, Duration, Utc};
use rusqlite::{Connection, OptionalExtension, params};

pub use crate::domain::view::JobRow;

// The totals come from what the run recorded; each sub-select reads only its job's rows.
const JOB_COLUMNS: &str =
    "id, kind, status, started_by, started_at, finished_at, progress, total, message,
    (SELECT coalesce(sum(f.rows), 0) FROM imported_file f WHERE f.job_id = sync_job.id),
    (SELECT coalesce(sum(f.imported), 0) FROM imported_file f WHERE f.job_id = sync_job.id),
    (SELECT count(*) FROM quarantine q WHERE q.job_id = sync_job.id),
    (SELECT coalesce(sum(b.rows), 0) FROM export_batch b
      WHERE b.job_id = sync_job.id AND b.sent_at IS NOT NULL)";

fn job_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<JobRow> {
    Ok(JobRow {
        id: r.get(0)?,
        kind: r.get(1)?,
        status: r.get(2)?,
        started_by: r.get(3)?,
        started_at: r.get(4)?,
        finished_at: r.get(5)?,
        progress: r.get(6)?,
        total: r.get(7)?,
        message: r.get(8)?,
        counts: crate::domain::view::JobCounts {
            read: r.get(9)?,
            imported: r.get(10)?,
            quarantined: r.get(11)?,
            exported: r.get(12)?,
        },
    })
}

pub fn recent_jobs(conn: &Connection, limit: usize) -> Result<Vec<JobRow>> {
    let mut st = conn.prepare_cached(&format!(
        "SELECT {JOB_COLUMNS} FROM sync_job ORDER BY id DESC LIMIT ?1"
    ))?;
    let rows = st.query_map([limit as i64], job_from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The lease of one job kind: while it is held (until `expires_at`), no other run of
/// that kind starts, in this process or another.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lease {
    pub kind: String,
    /// `host:pid:staff` of the process running the job.
    pub holder: String,
    pub job_id: i64,
    /// RFC 3339 UTC.
    pub expires_at: String,
}

/// What [`acquire`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Acquired {
    /// The lease is ours and a `running` row was created.
    Started {
        job_id: i64,
        /// The run whose lease had expired, now marked `abandoned`.
        abandoned: Option<i64>,
        /// That run's `cursor`, for a job that can resume.
        resume_cursor: String,
    },
    /// Someone else holds an unexpired lease.
    Held(Lease),
}

fn stamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// An unreadable expiry counts as expired, so a damaged row cannot block a kind forever.
fn expired(lease: &Lease, now: DateTime<Utc>) -> bool {
    DateTime::parse_from_rfc3339(&lease.expires_at).map_or(true, |t| t.with_timezone(&Utc) <= now)
}

pub fn lease(conn: &Connection, kind: &str) -> Result<Option<Lease>> {
    Ok(conn
        .query_row(
            "SELECT kind, holder, job_id, expires_at FROM job_lease WHERE kind = ?1",
            [kind],
            lease_from_row,
        )
        .optional()?)
}

fn lease_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Lease> {
    Ok(Lease {
        kind: r.get(0)?,
        holder: r.get(1)?,
        job_id: r.get(2)?,
        expires_at: r.get(3)?,
    })
}

/// Every lease row, expired or not.
pub fn leases(conn: &Connection) -> Result<Vec<Lease>> {
    let mut st = conn
        .prepare_cached("SELECT kind, holder, job_id, expires_at FROM job_lease ORDER BY kind")?;
    let rows = st.query_map([], lease_from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Takes the lease of `kind` for `ttl` and creates the `running` job row — call inside a
/// `BEGIN IMMEDIATE` transaction, so two processes cannot both see the lease free. An
/// expired lease is taken over: its job row, if still `running`, becomes `abandoned`
/// with `abandoned_message`.
pub fn acquire(
    conn: &Connection,
    kind: &str,
    holder: &str,
    started_by: &str,
    now: DateTime<Utc>,
    ttl: Duration,
    abandoned_message: &str,
) -> Result<Acquired> {
    let mut abandoned = None;
    let mut resume_cursor = String::new();
    if let Some(old) = lease(conn, kind)? {
        if !expired(&old, now) {
            return Ok(Acquired::Held(old));
        }
        let n = conn.execute(
            "UPDATE sync_job SET status = 'abandoned', finished_at = ?2, message = ?3
             WHERE id = ?1 AND status = 'running'",
            params![old.job_id, stamp(now), abandoned_message],
        )?;
        if n > 0 {
            abandoned = Some(old.job_id);
        }
        resume_cursor = cursor(conn, old.job_id)?;
    }
    conn.execute(
        "INSERT INTO sync_job(kind, status, started_by, started_at) VALUES (?1, 'running', ?2, ?3)",
        params![kind, started_by, stamp(now)],
    )?;
    let job_id = conn.last_insert_rowid();
    conn.execute(
        "INSERT INTO job_lease(kind, holder, job_id, expires_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT(kind) DO UPDATE SET holder = excluded.holder, job_id = excluded.job_id,
             expires_at = excluded.expires_at",
        params![kind, holder, job_id, stamp(now + ttl)],
    )?;
    Ok(Acquired::Started {
        job_id,
        abandoned,
        resume_cursor,
    })
}

/// Heartbeat: moves our lease's expiry to `now + ttl`. False if the lease is no longer
/// ours (it expired and another run took it over).
pub fn renew(
    conn: &Connection,
    kind: &str,
    job_id: i64,
    holder: &str,
    now: DateTime<Utc>,
    ttl: Duration,
) -> Result<bool> {
    let n = conn.execute(
        "UPDATE job_lease SET expires_at = ?4 WHERE kind = ?1 AND job_id = ?2 AND holder = ?3",
        params![kind, job_id, holder, stamp(now + ttl)],
    )?;
    Ok(n == 1)
}

/// Records progress and the resume cursor of a running job.
pub fn record_progress(
    conn: &Connection,
    job_id: i64,
    done: i64,
    total: i64,
    cursor: &str,
) -> Result<()> {
    conn.execute(
        "UPDATE sync_job SET progress = ?2, total = ?3, cursor = ?4
         WHERE id = ?1 AND status = 'running'",
        params![job_id, done, total, cursor],
    )?;
    Ok(())
}

/// Ends a run: its row gets `status` (unless a takeover already marked it abandoned)
/// and its lease, if still its own, is released. True if the row was still running.
#[allow(clippy::too_many_arguments)]
pub fn finish(
    conn: &Connection,
    kind: &str,
    job_id: i64,
    status: &str,
    done: i64,
    total: i64,
    message: &str,
    now: DateTime<Utc>,
) -> Result<bool> {
    let n = conn.execute(
        "UPDATE sync_job SET status = ?2, finished_at = ?3, progress = ?4, total = ?5, message = ?6
         WHERE id = ?1 AND status = 'running'",
        params![job_id, status, stamp(now), done, total, message],
    )?;
    conn.execute(
        "DELETE FROM job_lease WHERE kind = ?1 AND job_id = ?2",
        params![kind, job_id],
    )?;
    Ok(n == 1)
}

/// One job row.
pub fn job(conn: &Connection, id: i64) -> Result<Option<JobRow>> {
    Ok(conn
        .query_row(
            &format!("SELECT {JOB_COLUMNS} FROM sync_job WHERE id = ?1"),
            [id],
            job_from_row,
        )
        .optional()?)
}

/// The cursor a run recorded (for resuming).
pub fn cursor(conn: &Connection, id: i64) -> Result<String> {
    Ok(conn
        .query_row("SELECT cursor FROM sync_job WHERE id = ?1", [id], |r| {
            r.get(0)
        })
        .optional()?
        .unwrap_or_default())
}

/// The tables `integrity-check` goes through, in name order.
pub fn table_names(conn: &Connection) -> Result<Vec<String>> {
    let mut st = conn.prepare(
        "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
         ORDER BY name",
    )?;
    let rows = st.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// `PRAGMA quick_check(table)`: the problems found (empty when the table is fine).
pub fn quick_check_table(conn: &Connection, table: &str) -> Result<Vec<String>> {
    let mut st = conn.prepare(&format!(
        "PRAGMA quick_check(\"{}\")",
        table.replace('"', "\"\"")
    ))?;
    let rows = st.query_map([], |r| r.get::<_, String>(0))?;
    let lines: Vec<String> = rows.collect::<Result<_, _>>()?;
    Ok(lines.into_iter().filter(|l| l != "ok").collect())
}
