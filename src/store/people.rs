//! 従事者, 運営推進会議の構成員 and corporations: read, add, change (optimistic locking
//! by `version`) and end. Values are validated by the service layer before they get here.

use super::{Result, StoreError, date_opt, facilities};
use crate::domain::people::{
    CorporationFields, CorporationRecord, CouncilFields, CouncilMember, Staff, StaffFields,
};
use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};

fn opt(s: &str) -> Option<&str> {
    (!s.is_empty()).then_some(s)
}

fn conflict(what: &str, id: i64, expected: i64, current: i64) -> StoreError {
    StoreError::Conflict {
        object: format!("{what} {id}"),
        expected,
        current,
    }
}

const STAFF_COLUMNS: &str =
    "id, facility_id, name, name_kana, job_title, address, coalesce(dob, ''),
    qualification, care_manager_number, ended_on, version";

fn staff_from(r: &rusqlite::Row<'_>) -> rusqlite::Result<Staff> {
    Ok(Staff {
        id: r.get(0)?,
        facility_id: r.get(1)?,
        fields: StaffFields {
            name: r.get(2)?,
            name_kana: r.get(3)?,
            job_title: r.get(4)?,
            address: r.get(5)?,
            dob: r.get(6)?,
            qualification: r.get(7)?,
            care_manager_number: r.get(8)?,
        },
        ended_on: date_opt(r.get(9)?),
        version: r.get(10)?,
    })
}

/// A facility's 従事者 in entry order; those who ended only with `include_ended`.
pub fn staff(conn: &Connection, facility_id: i64, include_ended: bool) -> Result<Vec<Staff>> {
    let mut st = conn.prepare_cached(&format!(
        "SELECT {STAFF_COLUMNS} FROM staff_member
         WHERE facility_id = ?1 AND (?2 OR ended_on IS NULL) ORDER BY id"
    ))?;
    let rows = st.query_map(params![facility_id, include_ended], staff_from)?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

pub fn staff_member(conn: &Connection, id: i64) -> Result<Option<Staff>> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {STAFF_COLUMNS} FROM staff_member WHERE id = ?1"
        ))?
        .query_row([id], staff_from)
        .optional()?)
}

pub fn insert_staff(conn: &Connection, facility_id: i64, f: &StaffFields) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO staff_member(facility_id, name, name_kana, job_title, address, dob, qualification, care_manager_number)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        facility_id,
        f.name,
        f.name_kana,
        f.job_title,
        f.address,
        opt(&f.dob),
        f.qualification,
        f.care_manager_number
    ])?;
    Ok(conn.last_insert_rowid())
}

/// Changes a 従事者's fields and end date if still at `expected_version`.
pub fn update_staff(
    conn: &Connection,
    id: i64,
    expected_version: i64,
    f: &StaffFields,
    ended_on: Option<NaiveDate>,
) -> Result<i64> {
    let current = staff_member(conn, id)?
        .ok_or_else(|| StoreError::NotFound(format!("staff member {id}")))?;
    let n = conn
        .prepare_cached(
            "UPDATE staff_member SET name = ?1, name_kana = ?2, job_title = ?3, address = ?4, dob = ?5,
                qualification = ?6, care_manager_number = ?7, ended_on = ?8, version = version + 1
             WHERE id = ?9 AND version = ?10",
        )?
        .execute(params![
            f.name,
            f.name_kana,
            f.job_title,
            f.address,
            opt(&f.dob),
            f.qualification,
            f.care_manager_number,
            ended_on.map(|d| d.to_string()),
            id,
            expected_version
        ])?;
    if n != 1 {
        return Err(conflict(
            "staff member",
            id,
            expected_version,
            current.version,
        ));
    }
    Ok(expected_version + 1)
}

const COUNCIL_COLUMNS: &str = "id, facility_id, name, affiliation, title, ended_on, version";

fn council_from(r: &rusqlite::Row<'_>) -> rusqlite::Result<CouncilMember> {
    Ok(CouncilMember {
        id: r.get(0)?,
        facility_id: r.get(1)?,
        fields: CouncilFields {
            name: r.get(2)?,
            affiliation: r.get(3)?,
            title: r.get(4)?,
        },
        ended_on: date_opt(r.get(5)?),
        version: r.get(6)?,
    })
}

/// A facility's 構成員 in entry order; those who ended only with `include_ended`.
pub fn council_members(
    conn: &Connection,
    facility_id: i64,
    include_ended: bool,
) -> Result<Vec<CouncilMember>> {
    let mut st = conn.prepare_cached(&format!(
        "SELECT {COUNCIL_COLUMNS} FROM council_member
         WHERE facility_id = ?1 AND (?2 OR ended_on IS NULL) ORDER BY id"
    ))?;
    let rows = st.query_map(params![facility_id, include_ended], council_from)?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

pub fn council_member(conn: &Connection, id: i64) -> Result<Option<CouncilMember>> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {COUNCIL_COLUMNS} FROM council_member WHERE id = ?1"
        ))?
        .query_row([id], council_from)
        .optional()?)
}

pub fn insert_council_member(
    conn: &Connection,
    facility_id: i64,
    f: &CouncilFields,
) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO council_member(facility_id, name, affiliation, title) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![facility_id, f.name, f.affiliation, f.title])?;
    Ok(conn.last_insert_rowid())
}

pub fn update_council_member(
    conn: &Connection,
    id: i64,
    expected_version: i64,
    f: &CouncilFields,
    ended_on: Option<NaiveDate>,
) -> Result<i64> {
    let current = council_member(conn, id)?
        .ok_or_else(|| StoreError::NotFound(format!("council member {id}")))?;
    let n = conn
        .prepare_cached(
            "UPDATE council_member SET name = ?1, affiliation = ?2, title = ?3, ended_on = ?4,
                version = version + 1 WHERE id = ?5 AND version = ?6",
        )?
        .execute(params![
            f.name,
            f.affiliation,
            f.title,
            ended_on.map(|d| d.to_string()),
            id,
            expected_version
        ])?;
    if n != 1 {
        return Err(conflict(
            "council member",
            id,
            expected_version,
            current.version,
        ));
    }
    Ok(expected_version + 1)
}

const CORP_COLUMNS: &str =
    "id, coalesce(corporate_number, ''), name, name_kana, address, phone, fax,
    representative_name, representative_address, coalesce(representative_dob, ''), version";

fn corporation_from(r: &rusqlite::Row<'_>) -> rusqlite::Result<CorporationRecord> {
    Ok(CorporationRecord {
        id: r.get(0)?,
        fields: CorporationFields {
            corporate_number: r.get(1)?,
            name: r.get(2)?,
            name_kana: r.get(3)?,
            address: r.get(4)?,
            phone: r.get(5)?,
            fax: r.get(6)?,
            representative_name: r.get(7)?,
            representative_address: r.get(8)?,
            representative_dob: r.get(9)?,
        },
        version: r.get(10)?,
    })
}

pub fn corporation(conn: &Connection, id: i64) -> Result<Option<CorporationRecord>> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {CORP_COLUMNS} FROM corporation WHERE id = ?1"
        ))?
        .query_row([id], corporation_from)
        .optional()?)
}

/// The corporation running a facility, if one is on file.
pub fn corporation_of_facility(
    conn: &Connection,
    facility_id: i64,
) -> Result<Option<CorporationRecord>> {
    let id: Option<i64> = conn
        .prepare_cached("SELECT corporation_id FROM facility WHERE id = ?1")?
        .query_row([facility_id], |r| r.get(0))
        .optional()?
        .flatten();
    match id {
        Some(id) => corporation(conn, id),
        None => Ok(None),
    }
}

/// Another corporation holding `number`, if any (法人番号 is unique).
pub fn corporation_by_number(conn: &Connection, number: &str) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached("SELECT id FROM corporation WHERE corporate_number = ?1")?
        .query_row([number], |r| r.get(0))
        .optional()?)
}

/// The facilities a corporation runs, by id.
pub fn facilities_of_corporation(conn: &Connection, corporation_id: i64) -> Result<Vec<i64>> {
    let mut st =
        conn.prepare_cached("SELECT id FROM facility WHERE corporation_id = ?1 ORDER BY id")?;
    let rows = st.query_map([corporation_id], |r| r.get(0))?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

/// Changes a corporation if still at `expected_version`; its facilities' search text
/// follows a new name (the search finds facilities by corporation name).
pub fn update_corporation(
    conn: &Connection,
    id: i64,
    expected_version: i64,
    f: &CorporationFields,
) -> Result<i64> {
    let current =
        corporation(conn, id)?.ok_or_else(|| StoreError::NotFound(format!("corporation {id}")))?;
    let n = conn
        .prepare_cached(
            "UPDATE corporation SET corporate_number = ?1, name = ?2, name_kana = ?3, address = ?4, phone = ?5,
                fax = ?6, representative_name = ?7, representative_address = ?8, representative_dob = ?9,
                version = version + 1, updated_at = ?10
             WHERE id = ?11 AND version = ?12",
        )?
        .execute(params![
            opt(&f.corporate_number),
            f.name,
            f.name_kana,
            f.address,
            f.phone,
            f.fax,
            f.representative_name,
            f.representative_address,
            opt(&f.representative_dob),
            super::now_utc(),
            id,
            expected_version
        ])?;
    if n != 1 {
        return Err(conflict(
            "corporation",
            id,
            expected_version,
            current.version,
        ));
    }
    if current.fields.name != f.name {
        for facility_id in facilities_of_corporation(conn, id)? {
            if let Some(fac) = facilities::get(conn, facility_id)? {
                conn.prepare_cached("UPDATE facility SET search_text = ?1 WHERE id = ?2")?
                    .execute(params![
                        facilities::search_text(&fac.fields, &f.name),
                        facility_id
                    ])?;
            }
        }
    }
    Ok(expected_version + 1)
}
