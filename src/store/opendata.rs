//! Open data SQL: the ward setting, the ledger as reconciliation entries, the kept rows
//! and findings of the last `import-opendata`, and staff decisions on findings.

use super::Result;
use crate::domain::opendata::{self, Entry, Ward};
use rusqlite::{Connection, OptionalExtension, params};

/// The ward setting; the default ward when none was stored.
pub fn ward(conn: &Connection) -> Result<Ward> {
    let get = |key: &str| -> Result<Option<String>> {
        Ok(conn
            .prepare_cached("SELECT value FROM app_setting WHERE key = ?1")?
            .query_row([key], |r| r.get(0))
            .optional()?)
    };
    let mut w = Ward::default();
    if let Some(code) = get(opendata::WARD_CODE_KEY)? {
        w.code = code;
    }
    if let Some(name) = get(opendata::WARD_NAME_KEY)? {
        w.name = name;
    }
    Ok(w)
}

pub fn set_ward(conn: &Connection, ward: &Ward, at: &str, actor: &str) -> Result<()> {
    super::inbox::set_setting(conn, opendata::WARD_CODE_KEY, &ward.code, at, actor)?;
    super::inbox::set_setting(conn, opendata::WARD_NAME_KEY, &ward.name, at, actor)
}

/// Every active designation of the ward's active facilities, one entry per
/// facility-service (the ledger side of the reconciliation and the export).
pub fn ledger_entries(conn: &Connection, ward_code: &str) -> Result<Vec<(i64, Entry)>> {
    let mut st = conn.prepare_cached(
        "SELECT f.id, f.provider_number, d.service_code, f.name, f.name_kana, f.address,
                f.phone, f.fax, coalesce(c.corporate_number, ''), coalesce(c.name, ''),
                coalesce(d.capacity, '')
         FROM facility f JOIN designation d ON d.facility_id = f.id
         LEFT JOIN corporation c ON c.id = f.corporation_id
         WHERE f.municipality_code = ?1 AND f.status = 'active' AND d.status = 'active'
         ORDER BY f.provider_number, d.service_code",
    )?;
    let rows = st.query_map([ward_code], |r| {
        let cap: rusqlite::types::Value = r.get(10)?;
        Ok((
            r.get(0)?,
            Entry {
                provider_number: r.get(1)?,
                service_code: r.get(2)?,
                name: r.get(3)?,
                kana: r.get(4)?,
                address: r.get(5)?,
                phone: r.get(6)?,
                fax: r.get(7)?,
                corporate_number: r.get(8)?,
                corporation_name: r.get(9)?,
                capacity: match cap {
                    rusqlite::types::Value::Integer(n) => n.to_string(),
                    _ => String::new(),
                },
            },
        ))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// One published row as kept: its line in the file and its fields.
#[derive(Debug, Clone)]
pub struct KeptRow {
    pub line: usize,
    pub national_service: String,
    pub entry: Entry,
}

pub use crate::domain::opendata::Finding;

/// Replaces the kept rows and findings with those of run `job_id`; a finding decided
/// before (same kind, number, service, field and published value) keeps its decision.
pub fn replace(
    conn: &Connection,
    job_id: i64,
    rows: &[KeptRow],
    findings: &[Finding],
) -> Result<()> {
    conn.execute("DELETE FROM opendata_row", [])?;
    conn.execute("DELETE FROM opendata_finding", [])?;
    let mut ins = conn.prepare_cached(
        "INSERT INTO opendata_row(job_id, line, provider_number, national_service, service_code,
           name, kana, address, phone, fax, corporate_number, corporation_name, capacity)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
    )?;
    for r in rows {
        let e = &r.entry;
        ins.execute(params![
            job_id,
            r.line as i64,
            e.provider_number,
            r.national_service,
            e.service_code,
            e.name,
            e.kana,
            e.address,
            e.phone,
            e.fax,
            e.corporate_number,
            e.corporation_name,
            e.capacity
        ])?;
    }
    let mut ins = conn.prepare_cached(
        "INSERT INTO opendata_finding(job_id, kind, facility_id, provider_number, service_code,
           name, field, ledger_value, opendata_value, line, status, note, application_id)
         SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10,
                coalesce(d.status, 'open'), coalesce(d.note, ''), d.application_id
         FROM (SELECT 1) LEFT JOIN opendata_decision d
           ON d.kind = ?2 AND d.provider_number = ?4 AND d.service_code = ?5
          AND d.field = ?7 AND d.opendata_value = ?9",
    )?;
    for f in findings {
        ins.execute(params![
            job_id,
            f.kind,
            f.facility_id,
            f.provider_number,
            f.service_code,
            f.name,
            f.field,
            f.ledger_value,
            f.opendata_value,
            f.line
        ])?;
    }
    Ok(())
}

const FINDING_COLUMNS: &str = "id, kind, facility_id, provider_number, service_code, name, field,
    ledger_value, opendata_value, line, status, note, application_id, version";

fn finding_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Finding> {
    Ok(Finding {
        id: r.get(0)?,
        kind: r.get(1)?,
        facility_id: r.get(2)?,
        provider_number: r.get(3)?,
        service_code: r.get(4)?,
        name: r.get(5)?,
        field: r.get(6)?,
        ledger_value: r.get(7)?,
        opendata_value: r.get(8)?,
        line: r.get(9)?,
        status: r.get(10)?,
        note: r.get(11)?,
        application_id: r.get(12)?,
        version: r.get(13)?,
    })
}

/// The findings of the last import, by kind then 事業所番号 (at most `limit`).
pub fn findings(conn: &Connection, limit: usize) -> Result<Vec<Finding>> {
    let mut st = conn.prepare_cached(&format!(
        "SELECT {FINDING_COLUMNS} FROM opendata_finding
         ORDER BY CASE kind WHEN 'difference' THEN 0 WHEN 'ledger_only' THEN 1
                  WHEN 'opendata_only' THEN 2 ELSE 3 END, provider_number, id LIMIT ?1"
    ))?;
    let rows = st.query_map([limit as i64], finding_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn finding(conn: &Connection, id: i64) -> Result<Option<Finding>> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {FINDING_COLUMNS} FROM opendata_finding WHERE id = ?1"
        ))?
        .query_row([id], finding_row)
        .optional()?)
}

/// Records a decision on finding `f` (at its version; a changed row is a conflict).
pub fn decide(
    conn: &Connection,
    f: &Finding,
    status: &str,
    note: &str,
    application_id: Option<i64>,
    at: &str,
    actor: &str,
) -> Result<()> {
    let n = conn
        .prepare_cached(
            "UPDATE opendata_finding SET status = ?2, note = ?3, application_id = ?4,
               version = version + 1
             WHERE id = ?1 AND version = ?5 AND status = 'open'",
        )?
        .execute(params![f.id, status, note, application_id, f.version])?;
    if n == 0 {
        let current = conn
            .query_row(
                "SELECT version FROM opendata_finding WHERE id = ?1",
                [f.id],
                |r| r.get(0),
            )
            .optional()?
            .unwrap_or(0);
        return Err(super::StoreError::Conflict {
            object: format!("opendata_finding {}", f.id),
            expected: f.version,
            current,
        });
    }
    conn.prepare_cached(
        "INSERT OR REPLACE INTO opendata_decision(kind, provider_number, service_code, field,
           opendata_value, status, note, application_id, decided_at, decided_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?
    .execute(params![
        f.kind,
        f.provider_number,
        f.service_code,
        f.field,
        f.opendata_value,
        status,
        note,
        application_id,
        at,
        actor
    ])?;
    Ok(())
}

/// Sets a designation's 定員 (`None` = none).
pub fn set_capacity(conn: &Connection, designation_id: i64, capacity: Option<u32>) -> Result<()> {
    conn.prepare_cached("UPDATE designation SET capacity = ?2 WHERE id = ?1")?
        .execute(params![designation_id, capacity])?;
    Ok(())
}

/// The ledger's service kinds: code → name.
pub fn service_names(conn: &Connection) -> Result<std::collections::HashMap<String, String>> {
    let mut st = conn.prepare_cached("SELECT code, name FROM ref_service_type")?;
    let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Sets the 定員 of a facility's active designation of `service_code`; false when there
/// is no such designation.
pub fn set_capacity_of(
    conn: &Connection,
    facility_id: i64,
    service_code: &str,
    capacity: Option<u32>,
) -> Result<bool> {
    let n = conn
        .prepare_cached(
            "UPDATE designation SET capacity = ?3, version = version + 1
             WHERE facility_id = ?1 AND service_code = ?2 AND status = 'active'",
        )?
        .execute(params![facility_id, service_code, capacity])?;
    Ok(n > 0)
}
