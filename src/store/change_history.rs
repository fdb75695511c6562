//! `facility_change`: the history of field values of a facility and its related records
//! (staff, council, corporation, meetings, 運営指導). Written in the same transaction as
//! the change by the service layer; personal values are flagged and masked on reading
//! unless the reader has revealed the facility.

use super::Result;
use crate::domain::history::{Cause, FieldChange, HistoryLine, mask_value};
use rusqlite::{Connection, params};

/// Records `changes` of facility `facility_id`, made by `actor` because of `cause`, at
/// the current time. Returns how many rows were written.
pub fn record(
    conn: &Connection,
    facility_id: i64,
    actor: &str,
    cause: &Cause,
    changes: &[FieldChange],
) -> Result<usize> {
    record_at(conn, facility_id, &super::now_utc(), actor, cause, changes)
}

/// Like [`record`] with a given time (the demo uses it to stay reproducible).
pub fn record_at(
    conn: &Connection,
    facility_id: i64,
    at: &str,
    actor: &str,
    cause: &Cause,
    changes: &[FieldChange],
) -> Result<usize> {
    let mut st = conn.prepare_cached(
        "INSERT INTO facility_change(facility_id, at, actor, field, old_value, new_value, cause_kind, cause_id, personal)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?;
    for c in changes {
        st.execute(params![
            facility_id,
            at,
            actor,
            c.field,
            c.old,
            c.new,
            cause.kind,
            cause.id,
            c.personal
        ])?;
    }
    Ok(changes.len())
}

/// A facility's history, newest first (by time, then entry order), at most `limit` lines. Personal values are
/// masked unless `revealed` (the reader holds a reveal grant on the facility).
pub fn list(
    conn: &Connection,
    facility_id: i64,
    revealed: bool,
    limit: usize,
) -> Result<Vec<HistoryLine>> {
    let mut st = conn.prepare_cached(
        "SELECT c.id, c.at, c.actor, coalesce(u.display_name, c.actor), c.field, c.old_value, c.new_value,
                c.cause_kind, c.cause_id, c.personal
         FROM facility_change c LEFT JOIN user_account u ON u.staff_id = c.actor
         WHERE c.facility_id = ?1 ORDER BY c.at DESC, c.id DESC LIMIT ?2",
    )?;
    let rows = st.query_map(
        params![facility_id, i64::try_from(limit).unwrap_or(i64::MAX)],
        |r| {
            let field: String = r.get(4)?;
            let personal: bool = r.get(9)?;
            let masked = personal && !revealed;
            let shown = |v: Option<String>| {
                if masked {
                    v.map(|v| mask_value(&field, &v))
                } else {
                    v
                }
            };
            let old_value = shown(r.get(5)?);
            let new_value = shown(r.get(6)?);
            Ok(HistoryLine {
                id: r.get(0)?,
                at: r.get(1)?,
                actor: r.get(2)?,
                actor_name: r.get(3)?,
                old_value,
                new_value,
                cause: Cause {
                    kind: r.get(7)?,
                    id: r.get(8)?,
                },
                personal,
                masked,
                field,
            })
        },
    )?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

/// How many history lines a facility has.
pub fn count(conn: &Connection, facility_id: i64) -> Result<usize> {
    let n: i64 = conn
        .prepare_cached("SELECT count(*) FROM facility_change WHERE facility_id = ?1")?
        .query_row([facility_id], |r| r.get(0))?;
    Ok(usize::try_from(n).unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::history::{FieldChange, val};
    use crate::store::Store;

    #[test]
    fn personal_values_are_masked_unless_revealed() {
        let store = Store::open_in_memory().unwrap();
        let c = store.conn();
        record(
            c,
            7,
            "k001",
            &Cause::command("staff.update"),
            &[
                FieldChange::new("staff.name", val("山田 太郎"), val("山田 次郎")),
                FieldChange::new("staff.job_title", val("介護職員"), val("管理者")),
            ],
        )
        .unwrap();
        let masked = list(c, 7, false, 10).unwrap();
        assert_eq!(masked.len(), 2);
        assert_eq!(masked[0].field, "staff.job_title");
        assert_eq!(masked[0].new_value.as_deref(), Some("管理者"));
        assert!(!masked[0].masked);
        assert_eq!(masked[1].old_value.as_deref(), Some("山田 ＊＊"));
        assert!(masked[1].masked);
        let shown = list(c, 7, true, 10).unwrap();
        assert_eq!(shown[1].new_value.as_deref(), Some("山田 次郎"));
        assert_eq!(count(c, 7).unwrap(), 2);
        assert!(list(c, 8, true, 10).unwrap().is_empty());
    }
}
