//! Bulk inserts for generated data (`daicho demo`, benchmarks, test fixtures).
//!
//! Plain `INSERT`s with cached prepared statements and no read-back: the caller owns the
//! transaction (`Store::write`) and computes derived values itself (e.g. the facility
//! summary via [`super::facilities::summarize`]). Timestamps are passed in, so the same
//! input gives the same database. These functions skip the service layer's checks and
//! audit log on purpose: they are for seeding an empty database, not for case work.

use super::Result;
use super::facilities::{NO_DATE, NewFacility, Summary};
use chrono::NaiveDate;
use rusqlite::{Connection, params};

fn date(d: Option<NaiveDate>) -> Option<String> {
    d.map(|d| d.to_string())
}

fn date_or_none(d: Option<NaiveDate>) -> String {
    d.map_or_else(|| NO_DATE.to_string(), |d| d.to_string())
}

pub struct NewCorporation<'a> {
    pub corporate_number: &'a str,
    pub name: &'a str,
    pub name_kana: &'a str,
    pub kind: &'a str,
    pub address: &'a str,
    pub representative_name: &'a str,
    pub representative_address: &'a str,
    pub representative_dob: Option<NaiveDate>,
    pub updated_at: &'a str,
}

pub fn insert_corporation(conn: &Connection, c: &NewCorporation<'_>) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO corporation(corporate_number, name, name_kana, kind, address,
            representative_name, representative_address, representative_dob, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        c.corporate_number,
        c.name,
        c.name_kana,
        c.kind,
        c.address,
        c.representative_name,
        c.representative_address,
        date(c.representative_dob),
        c.updated_at,
    ])?;
    Ok(conn.last_insert_rowid())
}

/// Like `facilities::insert`, without the per-row corporation lookup and with a given
/// timestamp (`at` is both created_at and updated_at).
pub fn insert_facility(
    conn: &Connection,
    f: &NewFacility,
    corporation_name: &str,
    at: &str,
    actor: &str,
) -> Result<i64> {
    super::facilities::insert_at(conn, f, corporation_name, at, actor)
}

/// Writes the summary columns directly (bulk alternative to `refresh_summary`).
pub fn set_facility_summary(conn: &Connection, id: i64, s: &Summary) -> Result<()> {
    conn.prepare_cached(
        "UPDATE facility SET services = ?1, service_codes = ?2, next_expiry = ?3, next_meeting_due = ?4
         WHERE id = ?5",
    )?
    .execute(params![
        s.services,
        s.service_codes,
        date_or_none(s.next_expiry),
        date_or_none(s.next_meeting_due),
        id
    ])?;
    Ok(())
}

pub struct NewDesignation<'a> {
    pub facility_id: i64,
    pub service_code: &'a str,
    pub designated_on: NaiveDate,
    pub expires_on: NaiveDate,
    /// `active` or `closed`.
    pub status: &'a str,
}

pub fn insert_designation(conn: &Connection, d: &NewDesignation<'_>) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO designation(facility_id, service_code, designated_on, expires_on, status)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![
        d.facility_id,
        d.service_code,
        d.designated_on.to_string(),
        d.expires_on.to_string(),
        d.status,
    ])?;
    Ok(conn.last_insert_rowid())
}

pub struct NewStaff<'a> {
    pub facility_id: i64,
    pub name: &'a str,
    pub name_kana: &'a str,
    pub job_title: &'a str,
    pub address: &'a str,
    pub dob: Option<NaiveDate>,
    pub qualification: &'a str,
    pub care_manager_number: &'a str,
}

pub fn insert_staff(conn: &Connection, s: &NewStaff<'_>) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO staff_member(facility_id, name, name_kana, job_title, address, dob,
            qualification, care_manager_number)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        s.facility_id,
        s.name,
        s.name_kana,
        s.job_title,
        s.address,
        date(s.dob),
        s.qualification,
        s.care_manager_number,
    ])?;
    Ok(conn.last_insert_rowid())
}

pub fn insert_council_member(
    conn: &Connection,
    facility_id: i64,
    name: &str,
    affiliation: &str,
    title: &str,
) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO council_member(facility_id, name, affiliation, title) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![facility_id, name, affiliation, title])?;
    Ok(conn.last_insert_rowid())
}

pub fn insert_meeting(
    conn: &Connection,
    facility_id: i64,
    held_on: NaiveDate,
    minutes_ref: &str,
) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO council_meeting(facility_id, held_on, minutes_ref) VALUES (?1, ?2, ?3)",
    )?
    .execute(params![facility_id, held_on.to_string(), minutes_ref])?;
    Ok(conn.last_insert_rowid())
}

pub struct NewApplication<'a> {
    pub external_id: Option<&'a str>,
    pub kind: &'a str,
    pub status: &'a str,
    pub facility_id: Option<i64>,
    pub provider_number: &'a str,
    pub applicant_name: &'a str,
    pub service_code: &'a str,
    pub received_on: NaiveDate,
    pub event_date: Option<NaiveDate>,
    pub due_on: Option<NaiveDate>,
    /// JSON object text.
    pub payload: &'a str,
    pub keyed_by: &'a str,
    pub reviewed_by: Option<&'a str>,
    pub decided_by: Option<&'a str>,
    pub created_at: &'a str,
    pub updated_at: &'a str,
}

pub fn insert_application(conn: &Connection, a: &NewApplication<'_>) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO application(external_id, kind, status, facility_id, provider_number, applicant_name,
            service_code, received_on, event_date, due_on, payload, keyed_by, reviewed_by, decided_by,
            created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
    )?
    .execute(params![
        a.external_id,
        a.kind,
        a.status,
        a.facility_id,
        a.provider_number,
        a.applicant_name,
        a.service_code,
        a.received_on.to_string(),
        date(a.event_date),
        date(a.due_on),
        a.payload,
        a.keyed_by,
        a.reviewed_by,
        a.decided_by,
        a.created_at,
        a.updated_at,
    ])?;
    Ok(conn.last_insert_rowid())
}

pub use super::cases::{NewApplicationEvent, insert_application_event};

pub struct NewConsentRequest<'a> {
    /// `outgoing` or `incoming`.
    pub direction: &'a str,
    pub municipality_code: &'a str,
    pub facility_id: Option<i64>,
    pub provider_number: &'a str,
    pub facility_name: &'a str,
    pub service_code: &'a str,
    pub status: &'a str,
    pub requested_on: NaiveDate,
    pub due_on: Option<NaiveDate>,
    pub answered_on: Option<NaiveDate>,
    pub closed_on: Option<NaiveDate>,
    pub document_ref: &'a str,
    pub note: &'a str,
    pub created_at: &'a str,
    pub updated_at: &'a str,
}

pub fn insert_consent_request(conn: &Connection, c: &NewConsentRequest<'_>) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO consent_request(direction, municipality_code, facility_id, provider_number,
            facility_name, service_code, status, requested_on, due_on, answered_on, closed_on,
            document_ref, note, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
    )?
    .execute(params![
        c.direction,
        c.municipality_code,
        c.facility_id,
        c.provider_number,
        c.facility_name,
        c.service_code,
        c.status,
        c.requested_on.to_string(),
        date(c.due_on),
        date(c.answered_on),
        date(c.closed_on),
        c.document_ref,
        c.note,
        c.created_at,
        c.updated_at,
    ])?;
    Ok(conn.last_insert_rowid())
}

pub struct NewInsuredPerson<'a> {
    pub consent_request_id: i64,
    pub name: &'a str,
    pub name_kana: &'a str,
    pub sex: &'a str,
    pub care_level: &'a str,
    pub insured_number: &'a str,
    pub dob: Option<NaiveDate>,
    pub address: &'a str,
    pub phone: &'a str,
    pub family_relation: &'a str,
    pub family_name: &'a str,
    pub care_manager_name: &'a str,
    pub service_start_on: Option<NaiveDate>,
    pub cert_from: Option<NaiveDate>,
    pub cert_to: Option<NaiveDate>,
    pub insurer_number: &'a str,
    pub reason: &'a str,
}

pub fn insert_insured_person(conn: &Connection, p: &NewInsuredPerson<'_>) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO insured_person(consent_request_id, name, name_kana, sex, care_level, insured_number,
            dob, address, phone, family_relation, family_name, care_manager_name, service_start_on,
            cert_from, cert_to, insurer_number, reason)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
    )?
    .execute(params![
        p.consent_request_id,
        p.name,
        p.name_kana,
        p.sex,
        p.care_level,
        p.insured_number,
        date(p.dob),
        p.address,
        p.phone,
        p.family_relation,
        p.family_name,
        p.care_manager_name,
        date(p.service_start_on),
        date(p.cert_from),
        date(p.cert_to),
        p.insurer_number,
        p.reason,
    ])?;
    Ok(conn.last_insert_rowid())
}

pub struct NewPriorConsent<'a> {
    pub municipality_code: &'a str,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
    /// Comma-separated service codes, e.g. `32,73,77`.
    pub excluded_services: &'a str,
    pub note: &'a str,
}

pub fn insert_prior_consent(conn: &Connection, p: &NewPriorConsent<'_>) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO prior_consent(municipality_code, valid_from, valid_to, excluded_services, note)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![
        p.municipality_code,
        p.valid_from.to_string(),
        date(p.valid_to),
        p.excluded_services,
        p.note
    ])?;
    Ok(conn.last_insert_rowid())
}

pub struct NewChecklistAudit<'a> {
    pub connection_code: &'a str,
    /// `ward` or `partner`.
    pub side: &'a str,
    pub started_at: &'a str,
    pub started_by: &'a str,
    pub signed_at: Option<&'a str>,
    pub signed_by: Option<&'a str>,
}

pub fn insert_checklist_audit(conn: &Connection, a: &NewChecklistAudit<'_>) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO checklist_audit(connection_code, side, started_at, started_by, signed_at, signed_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        a.connection_code,
        a.side,
        a.started_at,
        a.started_by,
        a.signed_at,
        a.signed_by
    ])?;
    Ok(conn.last_insert_rowid())
}

pub struct NewChecklistMark<'a> {
    pub audit_id: i64,
    pub item_no: i64,
    /// `ok`, `na` or `gap`.
    pub mark: &'a str,
    pub note: &'a str,
    pub evidence: &'a str,
}

pub fn insert_checklist_mark(conn: &Connection, m: &NewChecklistMark<'_>) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO checklist_mark(audit_id, item_no, mark, note, evidence) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![m.audit_id, m.item_no, m.mark, m.note, m.evidence])?;
    Ok(())
}

/// Adds a login. `password_hash` may be empty (no password set yet); `role_code` is a
/// `Role::code()`. `created_at` is now.
pub fn insert_user(
    conn: &Connection,
    staff_id: &str,
    display_name: &str,
    role_code: &str,
    password_hash: &str,
) -> Result<()> {
    insert_user_at(
        conn,
        staff_id,
        display_name,
        role_code,
        password_hash,
        &super::now_utc(),
    )
}

/// [`insert_user`] with a given `created_at`, for reproducible demo data.
pub fn insert_user_at(
    conn: &Connection,
    staff_id: &str,
    display_name: &str,
    role_code: &str,
    password_hash: &str,
    created_at: &str,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO user_account(staff_id, display_name, role, password_hash, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![
        staff_id,
        display_name,
        role_code,
        password_hash,
        created_at
    ])?;
    Ok(())
}

/// The triggers that feed the search indexes on every facility insert.
const INDEX_INSERT_TRIGGERS: [&str; 2] = ["facility_fts_insert", "facility_ngram_insert"];

/// Bulk loading: drops the per-row search-index triggers and returns their SQL so
/// [`resume_search_index`] can rebuild both indexes once and put the triggers back.
/// For 100,000 facilities one rebuild takes about 3 s, the per-row triggers about 12 s.
pub fn pause_search_index(conn: &Connection) -> Result<Vec<String>> {
    let mut saved = Vec::new();
    for name in INDEX_INSERT_TRIGGERS {
        let sql: String = conn.query_row(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?1",
            [name],
            |r| r.get(0),
        )?;
        conn.execute_batch(&format!("DROP TRIGGER {name};"))?;
        saved.push(sql);
    }
    Ok(saved)
}

/// Rebuilds both search indexes from the facility table and restores the triggers.
pub fn resume_search_index(conn: &Connection, triggers: &[String]) -> Result<()> {
    conn.execute_batch(
        "INSERT INTO facility_fts(facility_fts) VALUES ('rebuild');
         INSERT INTO facility_ngram(facility_ngram) VALUES ('delete-all');
         INSERT INTO facility_ngram(rowid, grams) SELECT id, daicho_grams(search_text) FROM facility;",
    )?;
    for sql in triggers {
        conn.execute_batch(sql)?;
    }
    Ok(())
}
