//! Reveal grants (`reveal_grant`): who may see which object's personal data unmasked,
//! until when, and why.

use super::Result;
use rusqlite::{Connection, params};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    pub id: i64,
    pub staff_id: String,
    pub object_type: String,
    pub object_id: String,
    pub reason: String,
    /// RFC 3339 UTC.
    pub granted_at: String,
    /// RFC 3339 UTC; the grant is void from this instant.
    pub expires_at: String,
}

/// Inserts a grant and returns it with its id.
pub fn insert(conn: &Connection, g: &Grant) -> Result<Grant> {
    conn.prepare_cached(
        "INSERT INTO reveal_grant(staff_id, object_type, object_id, reason, granted_at, expires_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        g.staff_id,
        g.object_type,
        g.object_id,
        g.reason,
        g.granted_at,
        g.expires_at
    ])?;
    Ok(Grant {
        id: conn.last_insert_rowid(),
        ..g.clone()
    })
}

/// True if `staff_id` holds a grant on the object that has not expired at `now`
/// (RFC 3339 UTC, same format as stored, so text comparison orders correctly).
pub fn active(
    conn: &Connection,
    staff_id: &str,
    object_type: &str,
    object_id: &str,
    now: &str,
) -> Result<bool> {
    Ok(conn
        .prepare_cached(
            "SELECT EXISTS(SELECT 1 FROM reveal_grant WHERE staff_id = ?1 AND object_type = ?2
             AND object_id = ?3 AND expires_at > ?4)",
        )?
        .query_row(params![staff_id, object_type, object_id, now], |r| {
            r.get::<_, bool>(0)
        })?)
}
