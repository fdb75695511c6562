//! The ledger's history with values (`facility_change`): per changed field, the old and
//! the new value, who, when, and what caused it (a decided case, an edit, an import).
//! Written in the same transaction as the change itself.

use super::Result;
use rusqlite::{Connection, params};

/// One changed field, as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldChange {
    pub facility_id: i64,
    pub at: String,
    pub actor: String,
    pub field: String,
    pub old_value: Option<String>,
    pub new_value: Option<String>,
    /// `application`, `edit`, `import`, …
    pub cause_kind: String,
    pub cause_id: String,
    /// The values name a person: masked on screen unless revealed.
    pub personal: bool,
}

/// A recorded change with its row id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeRow {
    pub id: i64,
    pub change: FieldChange,
}

pub fn record_change(conn: &Connection, c: &FieldChange) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO facility_change(facility_id, at, actor, field, old_value, new_value, cause_kind, cause_id, personal)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        c.facility_id,
        c.at,
        c.actor,
        c.field,
        c.old_value,
        c.new_value,
        c.cause_kind,
        c.cause_id,
        c.personal
    ])?;
    Ok(conn.last_insert_rowid())
}

/// The facility's changes, newest first.
pub fn changes_for_facility(
    conn: &Connection,
    facility_id: i64,
    limit: usize,
) -> Result<Vec<ChangeRow>> {
    let mut st = conn.prepare_cached(
        "SELECT id, facility_id, at, actor, field, old_value, new_value, cause_kind, cause_id, personal
         FROM facility_change WHERE facility_id = ?1 ORDER BY id DESC LIMIT ?2",
    )?;
    let rows = st.query_map(params![facility_id, limit as i64], |r| {
        Ok(ChangeRow {
            id: r.get(0)?,
            change: FieldChange {
                facility_id: r.get(1)?,
                at: r.get(2)?,
                actor: r.get(3)?,
                field: r.get(4)?,
                old_value: r.get(5)?,
                new_value: r.get(6)?,
                cause_kind: r.get(7)?,
                cause_id: r.get(8)?,
                personal: r.get(9)?,
            },
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    #[test]
    fn changes_come_back_newest_first_with_their_cause() {
        let store = Store::open_in_memory().unwrap();
        let c = store.conn();
        for (i, (old, new)) in [("03-1", "03-2"), ("03-2", "03-3")].into_iter().enumerate() {
            record_change(
                c,
                &FieldChange {
                    facility_id: 9,
                    at: format!("2026-12-0{}T01:00:00Z", i + 1),
                    actor: "boss".into(),
                    field: "phone".into(),
                    old_value: Some(old.into()),
                    new_value: Some(new.into()),
                    cause_kind: "application".into(),
                    cause_id: "41".into(),
                    personal: false,
                },
            )
            .unwrap();
        }
        let rows = changes_for_facility(c, 9, 10).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].change.new_value.as_deref(), Some("03-3"));
        assert_eq!(
            (
                rows[1].change.cause_kind.as_str(),
                rows[1].change.cause_id.as_str()
            ),
            ("application", "41")
        );
        assert!(changes_for_facility(c, 8, 10).unwrap().is_empty());
        assert_eq!(changes_for_facility(c, 9, 1).unwrap().len(), 1);
    }
}
