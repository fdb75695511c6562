//! Sync job records (the jobs screen's list).

use super::Result;
use rusqlite::Connection;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobRow {
    pub id: i64,
    pub kind: String,
    pub status: String,
    pub started_by: String,
    pub started_at: String,
    pub finished_at: Option<String>,
    pub progress: i64,
    pub total: i64,
    pub message: String,
}

pub fn recent_jobs(conn: &Connection, limit: usize) -> Result<Vec<JobRow>> {
    let mut st = conn.prepare_cached(
        "SELECT id, kind, status, started_by, started_at, finished_at, progress, total, message
         FROM sync_job ORDER BY id DESC LIMIT ?1",
    )?;
    let rows = st.query_map([limit as i64], |r| {
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
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}
