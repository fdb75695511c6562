//! The overview screen's aggregate reads that no other store module has: the open
//! cases' deadlines, the consent requests awaiting an answer, 運営指導 due by a day,
//! the last run of a job kind and the quarantine size.

use super::{Result, date_opt};
use crate::domain::view::JobRow;
use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension};

/// Processing deadline and assignee of every open application.
pub fn open_deadlines(conn: &Connection) -> Result<Vec<(Option<NaiveDate>, Option<String>)>> {
    let mut st = conn.prepare_cached(
        "SELECT process_due_on, assignee FROM application
         WHERE status NOT IN ('notified','withdrawn','rejected')",
    )?;
    let rows = st.query_map([], |r| Ok((date_opt(r.get(0)?), r.get(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Sent day and answer due day of every consent request awaiting an answer.
pub fn consents_awaiting(conn: &Connection) -> Result<Vec<(Option<NaiveDate>, Option<NaiveDate>)>> {
    let mut st = conn.prepare_cached(
        "SELECT requested_on, due_on FROM consent_request WHERE status IN ('requested','received')",
    )?;
    let rows = st.query_map([], |r| Ok((date_opt(r.get(0)?), date_opt(r.get(1)?))))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Facilities not closed whose next 運営指導 is due on or before `by`.
pub fn guidance_due_by(conn: &Connection, by: NaiveDate) -> Result<usize> {
    let n: i64 = conn
        .prepare_cached(
            "SELECT count(*) FROM facility WHERE next_guidance_due <= ?1 AND status <> 'closed'",
        )?
        .query_row([by.to_string()], |r| r.get(0))?;
    Ok(usize::try_from(n).unwrap_or(0))
}

/// The latest run of a job kind.
pub fn last_run(conn: &Connection, kind: &str) -> Result<Option<JobRow>> {
    let id: Option<i64> = conn
        .prepare_cached("SELECT max(id) FROM sync_job WHERE kind = ?1")?
        .query_row([kind], |r| r.get(0))
        .optional()?
        .flatten();
    match id {
        Some(id) => super::jobs::job(conn, id),
        None => Ok(None),
    }
}

/// Rows set aside by the imports.
pub fn quarantine_count(conn: &Connection) -> Result<usize> {
    let n: i64 = conn
        .prepare_cached("SELECT count(*) FROM quarantine")?
        .query_row([], |r| r.get(0))?;
    Ok(usize::try_from(n).unwrap_or(0))
}
