//! Applications and consent requests: the lists the inbox and consent screens show, and
//! the related cases on a facility's detail view.

use super::{Result, date_opt};
use crate::domain::application::{ApplicationKind, ApplicationStatus};
use crate::domain::consent::{ConsentStatus, Direction};
use crate::domain::model::{ApplicationRow, ConsentRow, Corporation};
use rusqlite::{Connection, OptionalExtension, params};

const APP_COLUMNS: &str =
    "id, external_id, kind, status, provider_number, applicant_name, service_code,
    received_on, due_on, keyed_by, reviewed_by, version";

fn application_from(r: &rusqlite::Row<'_>) -> rusqlite::Result<ApplicationRow> {
    let kind: String = r.get(2)?;
    let status: String = r.get(3)?;
    Ok(ApplicationRow {
        id: r.get(0)?,
        external_id: r.get(1)?,
        kind: ApplicationKind::from_code(&kind).unwrap_or(ApplicationKind::Change),
        status: ApplicationStatus::from_code(&status).unwrap_or(ApplicationStatus::Submitted),
        provider_number: r.get(4)?,
        applicant_name: r.get(5)?,
        service_code: r.get(6)?,
        received_on: date_opt(r.get(7)?),
        due_on: date_opt(r.get(8)?),
        keyed_by: r.get(9)?,
        reviewed_by: r.get(10)?,
        version: r.get(11)?,
    })
}

/// Open applications first, then by due date (earliest first), then newest.
pub fn applications(
    conn: &Connection,
    include_closed: bool,
    limit: usize,
) -> Result<Vec<ApplicationRow>> {
    let filter = if include_closed {
        ""
    } else {
        "WHERE status NOT IN ('notified','withdrawn','rejected')"
    };
    let mut st = conn.prepare_cached(&format!(
        "SELECT {APP_COLUMNS} FROM application {filter}
         ORDER BY status IN ('notified','withdrawn','rejected'), due_on IS NULL, due_on, id DESC LIMIT ?1"
    ))?;
    let rows = st.query_map([limit as i64], application_from)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub fn applications_for_facility(
    conn: &Connection,
    facility_id: i64,
) -> Result<Vec<ApplicationRow>> {
    let mut st = conn.prepare_cached(&format!(
        "SELECT {APP_COLUMNS} FROM application WHERE facility_id = ?1 ORDER BY received_on DESC LIMIT 50"
    ))?;
    let rows = st.query_map([facility_id], application_from)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

const CONSENT_COLUMNS: &str =
    "c.id, c.direction, c.status, c.municipality_code, coalesce(m.name, ''), c.provider_number,
    c.facility_name, c.service_code, c.requested_on, c.due_on, coalesce(p.name, ''), c.version";

fn consent_from(r: &rusqlite::Row<'_>) -> rusqlite::Result<ConsentRow> {
    let direction: String = r.get(1)?;
    let status: String = r.get(2)?;
    Ok(ConsentRow {
        id: r.get(0)?,
        direction: Direction::from_code(&direction).unwrap_or(Direction::Incoming),
        status: ConsentStatus::from_code(&status).unwrap_or(ConsentStatus::Draft),
        municipality_code: r.get(3)?,
        municipality_name: r.get(4)?,
        provider_number: r.get(5)?,
        facility_name: r.get(6)?,
        service_code: r.get(7)?,
        requested_on: date_opt(r.get(8)?),
        due_on: date_opt(r.get(9)?),
        person_name: r.get(10)?,
        version: r.get(11)?,
    })
}

pub fn consents(conn: &Connection, limit: usize) -> Result<Vec<ConsentRow>> {
    let mut st = conn.prepare_cached(&format!(
        "SELECT {CONSENT_COLUMNS} FROM consent_request c
         LEFT JOIN ref_municipality m ON m.code = c.municipality_code
         LEFT JOIN insured_person p ON p.consent_request_id = c.id
         ORDER BY c.status NOT IN ('draft','requested','received'), c.due_on IS NULL, c.due_on, c.id DESC LIMIT ?1"
    ))?;
    let rows = st.query_map([limit as i64], consent_from)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub fn consents_for_facility(conn: &Connection, facility_id: i64) -> Result<Vec<ConsentRow>> {
    let mut st = conn.prepare_cached(&format!(
        "SELECT {CONSENT_COLUMNS} FROM consent_request c
         LEFT JOIN ref_municipality m ON m.code = c.municipality_code
         LEFT JOIN insured_person p ON p.consent_request_id = c.id
         WHERE c.facility_id = ?1 ORDER BY c.requested_on DESC LIMIT 50"
    ))?;
    let rows = st.query_map(params![facility_id], consent_from)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub fn corporation(conn: &Connection, id: i64) -> Result<Option<Corporation>> {
    Ok(conn
        .prepare_cached(
            "SELECT id, corporate_number, name, name_kana, representative_name, representative_address,
                    representative_dob, version FROM corporation WHERE id = ?1",
        )?
        .query_row([id], |r| {
            Ok(Corporation {
                id: r.get(0)?,
                corporate_number: r.get(1)?,
                name: r.get(2)?,
                name_kana: r.get(3)?,
                representative_name: r.get(4)?,
                representative_address: r.get(5)?,
                representative_dob: date_opt(r.get(6)?),
                version: r.get(7)?,
            })
        })
        .optional()?)
}

/// Everyone who ever started or returned a review of this application.
pub fn reviewers(conn: &Connection, id: i64) -> Result<Vec<String>> {
    let mut st = conn.prepare_cached(
        "SELECT DISTINCT actor FROM application_event
         WHERE application_id = ?1 AND to_status IN ('under_review', 'returned', 'rejected')",
    )?;
    let rows = st.query_map([id], |r| r.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub fn application(conn: &Connection, id: i64) -> Result<Option<ApplicationRow>> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {APP_COLUMNS} FROM application WHERE id = ?1"
        ))?
        .query_row([id], application_from)
        .optional()?)
}

/// Moves an application to `to` if it is still at `expected_version`, recording who and
/// why in `application_event`. Returns the new version, or `Conflict` with nothing written.
pub fn set_application_status(
    conn: &Connection,
    id: i64,
    expected_version: i64,
    to: ApplicationStatus,
    actor: &str,
    reason: &str,
) -> Result<i64> {
    let Some(current) = application(conn, id)? else {
        return Err(super::StoreError::NotFound(format!("application {id}")));
    };
    if current.version != expected_version {
        return Err(super::StoreError::Conflict {
            object: format!("application {id}"),
            expected: expected_version,
            current: current.version,
        });
    }
    let now = super::now_utc();
    // The reviewer is whoever starts the review; the decider whoever decides.
    let reviewed_by = if to == ApplicationStatus::UnderReview {
        Some(actor)
    } else {
        current.reviewed_by.as_deref()
    };
    let decided_by = (to == ApplicationStatus::Decided).then_some(actor);
    conn.prepare_cached(
        "UPDATE application SET status = ?1, reviewed_by = ?2, decided_by = coalesce(?3, decided_by),
            version = version + 1, updated_at = ?4 WHERE id = ?5 AND version = ?6",
    )?
    .execute(params![to.code(), reviewed_by, decided_by, now, id, expected_version])?;
    insert_application_event(
        conn,
        &NewApplicationEvent {
            application_id: id,
            at: &now,
            actor,
            from_status: Some(current.status.code()),
            to_status: to.code(),
            reason,
        },
    )?;
    Ok(expected_version + 1)
}

/// One step of an application's history.
pub struct NewApplicationEvent<'a> {
    pub application_id: i64,
    pub at: &'a str,
    pub actor: &'a str,
    pub from_status: Option<&'a str>,
    pub to_status: &'a str,
    pub reason: &'a str,
}

pub fn insert_application_event(conn: &Connection, e: &NewApplicationEvent<'_>) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO application_event(application_id, at, actor, from_status, to_status, reason)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        e.application_id,
        e.at,
        e.actor,
        e.from_status,
        e.to_status,
        e.reason
    ])?;
    Ok(conn.last_insert_rowid())
}
