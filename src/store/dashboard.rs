//! The counts the header shows on every screen: what is due.

use super::Result;
use super::facilities::{self, ListQuery};
use chrono::{Months, NaiveDate};
use rusqlite::Connection;

pub use crate::domain::view::DueCounts;

pub fn expiring_query(today: NaiveDate, months: u32) -> ListQuery {
    ListQuery {
        expiring_by: today.checked_add_months(Months::new(months)),
        today: Some(today),
        ..Default::default()
    }
}

pub fn overdue_meetings_query(today: NaiveDate) -> ListQuery {
    ListQuery {
        meeting_overdue_on: Some(today),
        ..Default::default()
    }
}

pub fn due_counts(conn: &Connection, today: NaiveDate, expiring_months: u32) -> Result<DueCounts> {
    let cap = usize::MAX >> 1;
    let expiring = facilities::count(conn, &expiring_query(today, expiring_months), cap)?;
    let meetings_overdue = facilities::count(conn, &overdue_meetings_query(today), cap)?;
    // Overdue is the ward's processing deadline (処理期限), not the filing one.
    let applications_overdue = super::inbox::overdue_count(conn, today)?;
    // Gaps in the latest signed audit of each connection and side.
    let checklist_gaps: i64 = conn.prepare_cached(
        "SELECT count(*) FROM checklist_mark m
         JOIN checklist_audit a ON a.id = m.audit_id
         WHERE m.mark = 'gap' AND a.signed_at IS NOT NULL
           AND a.id = (SELECT b.id FROM checklist_audit b
                       WHERE b.connection_code = a.connection_code AND b.side = a.side AND b.signed_at IS NOT NULL
                       ORDER BY b.signed_at DESC, b.id DESC LIMIT 1)",
    )?
    .query_row([], |r| r.get(0))?;
    let jobs_running: i64 = conn
        .prepare_cached("SELECT count(*) FROM sync_job WHERE status = 'running'")?
        .query_row([], |r| r.get(0))?;
    let n = |v: i64| usize::try_from(v).unwrap_or(0);
    Ok(DueCounts {
        expiring,
        meetings_overdue,
        applications_overdue,
        checklist_gaps: n(checklist_gaps),
        jobs_running: n(jobs_running),
        guidance: super::guidance::counts(conn, today)?,
    })
}
