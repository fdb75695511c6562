//! Loads `fixtures/*.csv` into the reference tables. The files are compiled in, so a
//! deployed binary carries its reference data; a content hash in `app_meta` skips the
//! reload when nothing changed.

use super::{Result, StoreError, meta};
use rusqlite::{Connection, TransactionBehavior, params};
use sha2::{Digest, Sha256};

const SERVICE_TYPES: &str = include_str!("../../fixtures/service_types.csv");
const CARE_LEVELS: &str = include_str!("../../fixtures/care_levels.csv");
const MUNICIPALITIES: &str = include_str!("../../fixtures/tokyo-municipalities.csv");
const CHECKLIST_ITEMS: &str = include_str!("../../fixtures/checklist_items.csv");
const CHECKLIST_CONNECTIONS: &str = include_str!("../../fixtures/checklist_connections.csv");
const CHECKLIST_PLANNED: &str = include_str!("../../fixtures/checklist_planned.csv");
const CHECKLIST_DATA_ITEMS: &str = include_str!("../../fixtures/checklist_data_items.csv");

fn rows(name: &str, text: &str) -> Result<Vec<csv::StringRecord>> {
    csv::Reader::from_reader(text.as_bytes())
        .records()
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| StoreError::Invalid(format!("fixtures/{name}: {e}")))
}

fn fixtures_hash() -> String {
    let mut h = Sha256::new();
    for t in [
        SERVICE_TYPES,
        CARE_LEVELS,
        MUNICIPALITIES,
        CHECKLIST_ITEMS,
        CHECKLIST_CONNECTIONS,
        CHECKLIST_PLANNED,
        CHECKLIST_DATA_ITEMS,
    ] {
        h.update(t.as_bytes());
    }
    format!("{:x}", h.finalize())
}

pub fn load(conn: &mut Connection) -> Result<()> {
    let hash = fixtures_hash();
    if meta::get(conn, "reference_hash")?.as_deref() == Some(hash.as_str()) {
        return Ok(());
    }
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    for r in rows("service_types.csv", SERVICE_TYPES)? {
        let interval: Option<i64> = r
            .get(3)
            .filter(|s| !s.is_empty())
            .and_then(|s| s.parse().ok());
        let guidance: Option<i64> = r
            .get(5)
            .filter(|s| !s.is_empty())
            .and_then(|s| s.parse().ok());
        tx.execute(
            "INSERT INTO ref_service_type(code, name, short_name, meeting_interval_months, meeting_kind, guidance_interval_months)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT(code) DO UPDATE SET name = excluded.name, short_name = excluded.short_name,
               meeting_interval_months = excluded.meeting_interval_months, meeting_kind = excluded.meeting_kind,
               guidance_interval_months = excluded.guidance_interval_months",
            params![&r[0], &r[1], &r[2], interval, r.get(4).unwrap_or(""), guidance],
        )?;
    }
    for r in rows("care_levels.csv", CARE_LEVELS)? {
        tx.execute(
            "INSERT OR REPLACE INTO ref_care_level(code, name, name_en) VALUES (?1, ?2, ?3)",
            params![&r[0], &r[1], &r[2]],
        )?;
    }
    for r in rows("tokyo-municipalities.csv", MUNICIPALITIES)? {
        tx.execute(
            "INSERT OR REPLACE INTO ref_municipality(code, name, kana) VALUES (?1, ?2, ?3)",
            params![&r[0], &r[1], &r[2]],
        )?;
    }
    super::checklist_reference::load(
        &tx,
        &rows("checklist_items.csv", CHECKLIST_ITEMS)?,
        &rows("checklist_connections.csv", CHECKLIST_CONNECTIONS)?,
        &rows("checklist_planned.csv", CHECKLIST_PLANNED)?,
        &rows("checklist_data_items.csv", CHECKLIST_DATA_ITEMS)?,
    )?;
    // The 運営指導 intervals may have changed: every facility's due date follows.
    super::guidance::refresh_all(&tx)?;
    meta::set(&tx, "reference_hash", &hash)?;
    tx.commit()?;
    Ok(())
}

/// Service types as (code, short name, meeting interval months).
pub fn service_types(conn: &Connection) -> Result<Vec<crate::domain::model::ServiceType>> {
    let mut st = conn.prepare_cached(
        "SELECT code, name, short_name, meeting_interval_months FROM ref_service_type ORDER BY code",
    )?;
    let rows = st.query_map([], |r| {
        Ok(crate::domain::model::ServiceType {
            code: r.get(0)?,
            name: r.get(1)?,
            short_name: r.get(2)?,
            meeting_interval_months: r
                .get::<_, Option<i64>>(3)?
                .and_then(|v| u32::try_from(v).ok()),
        })
    })?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

#[cfg(test)]
mod tests {
    use crate::domain::ids::validate_municipality_code;
    use crate::store::Store;

    #[test]
    fn reference_tables_are_loaded_and_valid() {
        let store = Store::open_in_memory().unwrap();
        let c = store.conn();
        let n: i64 = c
            .query_row("SELECT count(*) FROM ref_municipality", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 62);
        let mut st = c.prepare("SELECT code FROM ref_municipality").unwrap();
        for code in st.query_map([], |r| r.get::<_, String>(0)).unwrap() {
            let code = code.unwrap();
            assert_eq!(validate_municipality_code(&code), Ok(()), "{code}");
        }
        let name: String = c
            .query_row(
                "SELECT name FROM ref_municipality WHERE code='131041'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(name, "新宿区");
        let items: i64 = c
            .query_row("SELECT count(*) FROM checklist_item", [], |r| r.get(0))
            .unwrap();
        assert_eq!(items, 16);
        let gh: Option<i64> = c
            .query_row(
                "SELECT meeting_interval_months FROM ref_service_type WHERE code='32'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(gh, Some(2));
        let levels: i64 = c
            .query_row("SELECT count(*) FROM ref_care_level", [], |r| r.get(0))
            .unwrap();
        assert_eq!(levels, 9);
    }
}
