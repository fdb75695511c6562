//! 区外指定の同意: the queue (filters, counts, the case view), the 事前同意 registry,
//! municipalities typed by staff, and the writes the consent service composes.

use super::{Result, StoreError, date_opt};
use crate::domain::consent::{
    ConsentStatus, Direction, InsuredPerson, LetterKind, LinkedConsent, Outcome, parse_service_list,
};
use crate::domain::consent_view::{
    ConsentCounts, ConsentDetail, ConsentDocument, ConsentEvent, ConsentFilter, ConsentListRow,
    ConsentSort, Municipality, PriorConsentRow,
};
use chrono::NaiveDate;
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, params, params_from_iter};

const ROW_COLUMNS: &str = "c.id, c.direction, c.status, c.outcome, c.municipality_code,
    coalesce(m.name, l.name, ''), c.facility_id, c.provider_number, c.facility_name,
    c.service_code, c.requested_on, c.due_on, c.answered_on, c.application_id, c.document_ref,
    coalesce(p.name, ''), c.version";

const FROM: &str = "FROM consent_request c
    LEFT JOIN ref_municipality m ON m.code = c.municipality_code
    LEFT JOIN municipality_local l ON l.code = c.municipality_code
    LEFT JOIN insured_person p ON p.consent_request_id = c.id";

fn row_from(r: &rusqlite::Row<'_>) -> rusqlite::Result<ConsentListRow> {
    let direction: String = r.get(1)?;
    let status: String = r.get(2)?;
    let outcome: String = r.get(3)?;
    Ok(ConsentListRow {
        id: r.get(0)?,
        direction: Direction::from_code(&direction).unwrap_or(Direction::Incoming),
        status: ConsentStatus::from_code(&status).unwrap_or(ConsentStatus::Draft),
        outcome: Outcome::from_code(&outcome),
        municipality_code: r.get(4)?,
        municipality_name: r.get(5)?,
        facility_id: r.get(6)?,
        provider_number: r.get(7)?,
        facility_name: r.get(8)?,
        service_code: r.get(9)?,
        requested_on: date_opt(r.get(10)?),
        due_on: date_opt(r.get(11)?),
        answered_on: date_opt(r.get(12)?),
        application_id: r.get(13)?,
        document_ref: r.get(14)?,
        person_name: r.get(15)?,
        version: r.get(16)?,
    })
}

fn day(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn opt_day(d: Option<NaiveDate>) -> Option<String> {
    d.map(day)
}

/// The WHERE clause and its parameters for `f`.
fn filter_sql(f: &ConsentFilter) -> (String, Vec<Value>) {
    let mut clauses: Vec<String> = Vec::new();
    let mut values: Vec<Value> = Vec::new();
    // `{}` in a clause stands for the parameter just pushed (every occurrence).
    fn push(clauses: &mut Vec<String>, values: &mut Vec<Value>, clause: &str, v: Value) {
        values.push(v);
        clauses.push(clause.replace("{}", &format!("?{}", values.len())));
    }
    if let Some(d) = f.direction {
        push(
            &mut clauses,
            &mut values,
            "c.direction = {}",
            Value::Text(d.code().into()),
        );
    }
    if let Some(s) = f.status {
        push(
            &mut clauses,
            &mut values,
            "c.status = {}",
            Value::Text(s.code().into()),
        );
    }
    if f.open_only {
        clauses.push("c.status IN ('draft','requested','received')".into());
    }
    if let Some(code) = &f.municipality_code {
        push(
            &mut clauses,
            &mut values,
            "c.municipality_code = {}",
            Value::Text(code.clone()),
        );
    }
    if let Some(today) = f.overdue_on {
        push(
            &mut clauses,
            &mut values,
            "(c.status IN ('requested','received') AND c.due_on < {})",
            Value::Text(day(today)),
        );
    }
    if let Some(app) = f.application_id {
        push(
            &mut clauses,
            &mut values,
            "c.application_id = {}",
            Value::Integer(app),
        );
    }
    if let Some(fac) = f.facility_id {
        push(
            &mut clauses,
            &mut values,
            "c.facility_id = {}",
            Value::Integer(fac),
        );
    }
    let q = f
        .search
        .as_deref()
        .map(|q| crate::domain::text::nfkc(q).trim().to_lowercase())
        .unwrap_or_default();
    if !q.is_empty() {
        push(
            &mut clauses,
            &mut values,
            "(instr(lower(c.facility_name), {}) > 0 OR instr(c.provider_number, {}) > 0
              OR instr(c.municipality_code, {}) > 0 OR instr(coalesce(m.name, l.name, ''), {}) > 0
              OR instr(lower(c.document_ref), {}) > 0)",
            Value::Text(q),
        );
    }
    let sql = if clauses.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", clauses.join(" AND "))
    };
    (sql, values)
}

fn order_sql(sort: ConsentSort) -> &'static str {
    match sort {
        ConsentSort::Due => {
            "ORDER BY c.status NOT IN ('draft','requested','received'), c.due_on IS NULL, c.due_on, c.id DESC"
        }
        ConsentSort::Requested => "ORDER BY c.requested_on DESC, c.id DESC",
        ConsentSort::Municipality => "ORDER BY c.municipality_code, c.requested_on DESC, c.id DESC",
    }
}

/// The queue: rows matching `f`, sorted, `f.limit` (0 = 500) from `f.offset`.
pub fn list(conn: &Connection, f: &ConsentFilter) -> Result<Vec<ConsentListRow>> {
    let (filter, mut values) = filter_sql(f);
    let limit = if f.limit == 0 { 500 } else { f.limit };
    values.push(Value::Integer(limit as i64));
    values.push(Value::Integer(f.offset as i64));
    let (nl, no) = (values.len() - 1, values.len());
    let sql = format!(
        "SELECT {ROW_COLUMNS} {FROM} {filter} {} LIMIT ?{nl} OFFSET ?{no}",
        order_sql(f.sort)
    );
    let mut st = conn.prepare(&sql)?;
    let rows = st.query_map(params_from_iter(values), row_from)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// How many rows match `f` (ignoring limit and offset).
pub fn count(conn: &Connection, f: &ConsentFilter) -> Result<i64> {
    let (filter, values) = filter_sql(f);
    Ok(conn.query_row(
        &format!("SELECT count(*) {FROM} {filter}"),
        params_from_iter(values),
        |r| r.get(0),
    )?)
}

/// Counts per status, open and overdue (on `today`), for one direction or both.
pub fn counts(
    conn: &Connection,
    direction: Option<Direction>,
    today: NaiveDate,
) -> Result<ConsentCounts> {
    let dir = direction.map(|d| d.code()).unwrap_or("");
    let mut st = conn.prepare_cached(
        "SELECT status, count(*) FROM consent_request WHERE (?1 = '' OR direction = ?1) GROUP BY status",
    )?;
    let found: Vec<(String, i64)> = st
        .query_map([dir], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    let by_status: Vec<(ConsentStatus, i64)> = ConsentStatus::ALL
        .into_iter()
        .map(|s| {
            let n = found
                .iter()
                .find(|(c, _)| c == s.code())
                .map_or(0, |(_, n)| *n);
            (s, n)
        })
        .collect();
    let overdue = conn.query_row(
        "SELECT count(*) FROM consent_request WHERE (?1 = '' OR direction = ?1)
         AND status IN ('requested','received') AND due_on < ?2",
        params![dir, day(today)],
        |r| r.get(0),
    )?;
    Ok(ConsentCounts {
        total: by_status.iter().map(|(_, n)| n).sum(),
        open: by_status
            .iter()
            .filter(|(s, _)| s.is_open())
            .map(|(_, n)| n)
            .sum(),
        overdue,
        by_status,
    })
}

pub fn row(conn: &Connection, id: i64) -> Result<Option<ConsentListRow>> {
    Ok(conn
        .prepare_cached(&format!("SELECT {ROW_COLUMNS} {FROM} WHERE c.id = ?1"))?
        .query_row([id], row_from)
        .optional()?)
}

fn person(conn: &Connection, consent_id: i64) -> Result<InsuredPerson> {
    Ok(conn
        .prepare_cached(
            "SELECT name, name_kana, sex, care_level, insured_number, dob, address, phone,
                family_relation, family_name, care_manager_name, service_start_on, cert_from,
                cert_to, insurer_number, reason
             FROM insured_person WHERE consent_request_id = ?1",
        )?
        .query_row([consent_id], |r| {
            Ok(InsuredPerson {
                name: r.get(0)?,
                name_kana: r.get(1)?,
                sex: r.get(2)?,
                care_level: r.get(3)?,
                insured_number: r.get(4)?,
                dob: date_opt(r.get(5)?),
                address: r.get(6)?,
                phone: r.get(7)?,
                family_relation: r.get(8)?,
                family_name: r.get(9)?,
                care_manager_name: r.get(10)?,
                service_start_on: date_opt(r.get(11)?),
                cert_from: date_opt(r.get(12)?),
                cert_to: date_opt(r.get(13)?),
                insurer_number: r.get(14)?,
                reason: r.get(15)?,
            })
        })
        .optional()?
        .unwrap_or_default())
}

pub fn events(conn: &Connection, consent_id: i64) -> Result<Vec<ConsentEvent>> {
    let mut st = conn.prepare_cached(
        "SELECT at, actor, from_status, to_status, reason FROM consent_event
         WHERE consent_request_id = ?1 ORDER BY id",
    )?;
    let rows = st.query_map([consent_id], |r| {
        let from: Option<String> = r.get(2)?;
        let to: String = r.get(3)?;
        Ok(ConsentEvent {
            at: r.get(0)?,
            actor: r.get(1)?,
            from_status: from.as_deref().and_then(ConsentStatus::from_code),
            to_status: ConsentStatus::from_code(&to).unwrap_or(ConsentStatus::Draft),
            reason: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub fn documents(conn: &Connection, consent_id: i64) -> Result<Vec<ConsentDocument>> {
    let mut st = conn.prepare_cached(
        "SELECT id, kind, html_path, text_path, created_at, created_by FROM consent_document
         WHERE consent_request_id = ?1 ORDER BY id",
    )?;
    let rows = st.query_map([consent_id], |r| {
        let kind: String = r.get(1)?;
        Ok(ConsentDocument {
            id: r.get(0)?,
            kind: LetterKind::from_code(&kind).unwrap_or(LetterKind::Request),
            html_path: r.get(2)?,
            text_path: r.get(3)?,
            created_at: r.get(4)?,
            created_by: r.get(5)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The case view: request, insured person (raw), linked application, history, letters.
pub fn detail(conn: &Connection, id: i64) -> Result<Option<ConsentDetail>> {
    let Some(row) = row(conn, id)? else {
        return Ok(None);
    };
    let (closed_on, answer_reason, note, use_ended_on, renewal_of, created_by) = conn
        .prepare_cached(
            "SELECT closed_on, answer_reason, note, use_ended_on, renewal_of, created_by
             FROM consent_request WHERE id = ?1",
        )?
        .query_row([id], |r| {
            Ok((
                date_opt(r.get(0)?),
                r.get(1)?,
                r.get(2)?,
                date_opt(r.get(3)?),
                r.get(4)?,
                r.get(5)?,
            ))
        })?;
    let application = match row.application_id {
        Some(a) => super::cases::application(conn, a)?,
        None => None,
    };
    Ok(Some(ConsentDetail {
        person: person(conn, id)?,
        application,
        events: events(conn, id)?,
        documents: documents(conn, id)?,
        closed_on,
        answer_reason,
        note,
        use_ended_on,
        renewal_of,
        created_by,
        row,
    }))
}

/// The outgoing requests linked to an application, for the decision gate.
pub fn linked(conn: &Connection, application_id: i64) -> Result<Vec<LinkedConsent>> {
    let mut st = conn.prepare_cached(
        "SELECT id, status, outcome FROM consent_request
         WHERE application_id = ?1 AND direction = 'outgoing' ORDER BY id",
    )?;
    let rows = st.query_map([application_id], |r| {
        let status: String = r.get(1)?;
        let outcome: String = r.get(2)?;
        Ok(LinkedConsent {
            id: r.get(0)?,
            status: ConsentStatus::from_code(&status).unwrap_or(ConsentStatus::Draft),
            outcome: Outcome::from_code(&outcome),
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The granted outgoing consents for a facility whose use has not ended by `on`: who
/// still uses it (one per 被保険者番号, the latest consent), for renewal.
pub fn current_users(conn: &Connection, facility_id: i64, on: NaiveDate) -> Result<Vec<i64>> {
    let mut st = conn.prepare_cached(
        "SELECT max(c.id) FROM consent_request c JOIN insured_person p ON p.consent_request_id = c.id
         WHERE c.facility_id = ?1 AND c.direction = 'outgoing' AND c.outcome IN ('consented','waived')
           AND c.status <> 'withdrawn' AND (c.use_ended_on IS NULL OR c.use_ended_on > ?2)
         GROUP BY CASE WHEN p.insured_number = '' THEN 'id' || c.id ELSE p.insured_number END
         ORDER BY 1",
    )?;
    let rows = st.query_map(params![facility_id, day(on)], |r| r.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Earlier consents already renewed for `application_id` (so renewal runs once).
pub fn renewed_for(conn: &Connection, application_id: i64) -> Result<Vec<i64>> {
    let mut st = conn.prepare_cached(
        "SELECT renewal_of FROM consent_request WHERE application_id = ?1 AND renewal_of IS NOT NULL",
    )?;
    let rows = st.query_map([application_id], |r| r.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// A new case with its insured person.
#[derive(Debug, Clone)]
pub struct NewRequest<'a> {
    pub direction: Direction,
    pub status: ConsentStatus,
    pub municipality_code: &'a str,
    pub facility_id: Option<i64>,
    pub provider_number: &'a str,
    pub facility_name: &'a str,
    pub service_code: &'a str,
    pub requested_on: NaiveDate,
    pub due_on: Option<NaiveDate>,
    pub document_ref: &'a str,
    pub note: &'a str,
    pub application_id: Option<i64>,
    pub renewal_of: Option<i64>,
    pub person: &'a InsuredPerson,
    pub actor: &'a str,
}

pub fn insert_request(conn: &Connection, n: &NewRequest<'_>) -> Result<i64> {
    let now = super::now_utc();
    conn.prepare_cached(
        "INSERT INTO consent_request(direction, municipality_code, facility_id, provider_number,
            facility_name, service_code, status, requested_on, due_on, document_ref, note,
            application_id, renewal_of, created_by, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?15)",
    )?
    .execute(params![
        n.direction.code(),
        n.municipality_code,
        n.facility_id,
        n.provider_number,
        n.facility_name,
        n.service_code,
        n.status.code(),
        day(n.requested_on),
        opt_day(n.due_on),
        n.document_ref,
        n.note,
        n.application_id,
        n.renewal_of,
        n.actor,
        now,
    ])?;
    let id = conn.last_insert_rowid();
    let p = n.person;
    conn.prepare_cached(
        "INSERT INTO insured_person(consent_request_id, name, name_kana, sex, care_level, insured_number,
            dob, address, phone, family_relation, family_name, care_manager_name, service_start_on,
            cert_from, cert_to, insurer_number, reason)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
    )?
    .execute(params![
        id,
        p.name,
        p.name_kana,
        p.sex,
        p.care_level,
        p.insured_number,
        opt_day(p.dob),
        p.address,
        p.phone,
        p.family_relation,
        p.family_name,
        p.care_manager_name,
        opt_day(p.service_start_on),
        opt_day(p.cert_from),
        opt_day(p.cert_to),
        p.insurer_number,
        p.reason,
    ])?;
    insert_event(conn, id, &now, n.actor, None, n.status, "")?;
    Ok(id)
}

pub fn insert_event(
    conn: &Connection,
    consent_id: i64,
    at: &str,
    actor: &str,
    from: Option<ConsentStatus>,
    to: ConsentStatus,
    reason: &str,
) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO consent_event(consent_request_id, at, actor, from_status, to_status, reason)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        consent_id,
        at,
        actor,
        from.map(|s| s.code()),
        to.code(),
        reason
    ])?;
    Ok(conn.last_insert_rowid())
}

fn check_version(conn: &Connection, table: &str, id: i64, expected: i64) -> Result<()> {
    let current: Option<i64> = conn
        .query_row(
            &format!("SELECT version FROM {table} WHERE id = ?1"),
            [id],
            |r| r.get(0),
        )
        .optional()?;
    match current {
        None => Err(StoreError::NotFound(format!("{table} {id}"))),
        Some(v) if v != expected => Err(StoreError::Conflict {
            object: format!("{table} {id}"),
            expected,
            current: v,
        }),
        Some(_) => Ok(()),
    }
}

/// One status step of a case, at `expected_version`: sets the dates it implies
/// (依頼 → requested_on and the reminder date; an answer → answered_on and outcome;
/// 完了/取下げ → closed_on) and records the event. Returns the new version.
#[allow(clippy::too_many_arguments)]
pub fn set_status(
    conn: &Connection,
    id: i64,
    expected_version: i64,
    from: ConsentStatus,
    to: ConsentStatus,
    reason: &str,
    on: NaiveDate,
    due_on: Option<NaiveDate>,
    actor: &str,
) -> Result<i64> {
    check_version(conn, "consent_request", id, expected_version)?;
    let now = super::now_utc();
    let on = day(on);
    let outcome = to.outcome().map(|o| o.code());
    let requested = (to == ConsentStatus::Requested).then_some(on.clone());
    let answered = outcome.is_some().then_some(on.clone());
    let closed = matches!(to, ConsentStatus::Closed | ConsentStatus::Withdrawn).then_some(on);
    let answer_reason = to.outcome().map(|_| reason);
    conn.prepare_cached(
        "UPDATE consent_request SET status = ?1, outcome = coalesce(?2, outcome),
            requested_on = coalesce(?3, requested_on), due_on = coalesce(?4, due_on),
            answered_on = coalesce(?5, answered_on), closed_on = coalesce(?6, closed_on),
            answer_reason = coalesce(?7, answer_reason),
            version = version + 1, updated_at = ?8 WHERE id = ?9 AND version = ?10",
    )?
    .execute(params![
        to.code(),
        outcome,
        requested,
        opt_day(due_on),
        answered,
        closed,
        answer_reason,
        now,
        id,
        expected_version
    ])?;
    insert_event(conn, id, &now, actor, Some(from), to, reason)?;
    Ok(expected_version + 1)
}

/// Links (or unlinks) the application the case serves.
pub fn set_application(
    conn: &Connection,
    id: i64,
    expected_version: i64,
    application_id: Option<i64>,
) -> Result<i64> {
    check_version(conn, "consent_request", id, expected_version)?;
    conn.prepare_cached(
        "UPDATE consent_request SET application_id = ?1, version = version + 1, updated_at = ?2 WHERE id = ?3",
    )?
    .execute(params![application_id, super::now_utc(), id])?;
    Ok(expected_version + 1)
}

/// Records that the insured person stopped using the facility on `on`.
pub fn set_use_ended(
    conn: &Connection,
    id: i64,
    expected_version: i64,
    on: NaiveDate,
) -> Result<i64> {
    check_version(conn, "consent_request", id, expected_version)?;
    conn.prepare_cached(
        "UPDATE consent_request SET use_ended_on = ?1, version = version + 1, updated_at = ?2 WHERE id = ?3",
    )?
    .execute(params![day(on), super::now_utc(), id])?;
    Ok(expected_version + 1)
}

pub fn insert_document(
    conn: &Connection,
    consent_id: i64,
    kind: LetterKind,
    html_path: &str,
    text_path: &str,
    actor: &str,
) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO consent_document(consent_request_id, kind, html_path, text_path, created_at, created_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![consent_id, kind.code(), html_path, text_path, super::now_utc(), actor])?;
    Ok(conn.last_insert_rowid())
}

// --- 事前同意 ---

const PRIOR_COLUMNS: &str = "pc.id, pc.municipality_code, coalesce(m.name, l.name, ''), pc.direction,
    pc.valid_from, pc.valid_to, pc.excluded_services, pc.note, pc.version, pc.updated_at, pc.updated_by";

const PRIOR_FROM: &str = "FROM prior_consent pc
    LEFT JOIN ref_municipality m ON m.code = pc.municipality_code
    LEFT JOIN municipality_local l ON l.code = pc.municipality_code";

fn prior_from(r: &rusqlite::Row<'_>) -> rusqlite::Result<PriorConsentRow> {
    let direction: String = r.get(3)?;
    let excluded: String = r.get(6)?;
    Ok(PriorConsentRow {
        id: r.get(0)?,
        municipality_code: r.get(1)?,
        municipality_name: r.get(2)?,
        direction: Direction::from_code(&direction).unwrap_or(Direction::Outgoing),
        valid_from: date_opt(r.get(4)?).unwrap_or(NaiveDate::MIN),
        valid_to: date_opt(r.get(5)?),
        excluded_services: parse_service_list(&excluded).unwrap_or_default(),
        note: r.get(7)?,
        version: r.get(8)?,
        updated_at: r.get(9)?,
        updated_by: r.get(10)?,
    })
}

/// The registry, by municipality code then direction then start; one direction or both.
pub fn prior_consents(
    conn: &Connection,
    direction: Option<Direction>,
) -> Result<Vec<PriorConsentRow>> {
    let dir = direction.map(|d| d.code()).unwrap_or("");
    let mut st = conn.prepare_cached(&format!(
        "SELECT {PRIOR_COLUMNS} {PRIOR_FROM} WHERE (?1 = '' OR pc.direction = ?1)
         ORDER BY pc.municipality_code, pc.direction DESC, pc.valid_from DESC, pc.id"
    ))?;
    let rows = st.query_map([dir], prior_from)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub fn prior_consent(conn: &Connection, id: i64) -> Result<Option<PriorConsentRow>> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {PRIOR_COLUMNS} {PRIOR_FROM} WHERE pc.id = ?1"
        ))?
        .query_row([id], prior_from)
        .optional()?)
}

/// The prior consents with one municipality (both directions).
pub fn prior_with(conn: &Connection, municipality_code: &str) -> Result<Vec<PriorConsentRow>> {
    let mut st = conn.prepare_cached(&format!(
        "SELECT {PRIOR_COLUMNS} {PRIOR_FROM} WHERE pc.municipality_code = ?1 ORDER BY pc.id"
    ))?;
    let rows = st.query_map([municipality_code], prior_from)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Fields of a prior consent as saved (validated by the service).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PriorFields {
    pub municipality_code: String,
    pub direction: Direction,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
    pub excluded_services: Vec<String>,
    pub note: String,
}

pub fn insert_prior(conn: &Connection, p: &PriorFields, actor: &str) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO prior_consent(municipality_code, direction, valid_from, valid_to, excluded_services,
            note, updated_at, updated_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        p.municipality_code,
        p.direction.code(),
        day(p.valid_from),
        opt_day(p.valid_to),
        p.excluded_services.join(","),
        p.note,
        super::now_utc(),
        actor
    ])?;
    Ok(conn.last_insert_rowid())
}

pub fn update_prior(
    conn: &Connection,
    id: i64,
    expected_version: i64,
    p: &PriorFields,
    actor: &str,
) -> Result<i64> {
    check_version(conn, "prior_consent", id, expected_version)?;
    conn.prepare_cached(
        "UPDATE prior_consent SET municipality_code = ?1, direction = ?2, valid_from = ?3, valid_to = ?4,
            excluded_services = ?5, note = ?6, updated_at = ?7, updated_by = ?8, version = version + 1
         WHERE id = ?9 AND version = ?10",
    )?
    .execute(params![
        p.municipality_code,
        p.direction.code(),
        day(p.valid_from),
        opt_day(p.valid_to),
        p.excluded_services.join(","),
        p.note,
        super::now_utc(),
        actor,
        id,
        expected_version
    ])?;
    Ok(expected_version + 1)
}

// --- municipalities ---

/// A municipality by code: the shipped reference data first, then those typed by staff.
pub fn municipality(conn: &Connection, code: &str) -> Result<Option<Municipality>> {
    Ok(conn
        .prepare_cached(
            "SELECT code, name, kana, 0 FROM ref_municipality WHERE code = ?1
             UNION ALL SELECT code, name, kana, 1 FROM municipality_local WHERE code = ?1 LIMIT 1",
        )?
        .query_row([code], |r| {
            Ok(Municipality {
                code: r.get(0)?,
                name: r.get(1)?,
                kana: r.get(2)?,
                local: r.get(3)?,
            })
        })
        .optional()?)
}

/// Every known municipality, by code (for a picker).
pub fn municipalities(conn: &Connection) -> Result<Vec<Municipality>> {
    let mut st = conn.prepare_cached(
        "SELECT code, name, kana, 0 FROM ref_municipality
         UNION ALL SELECT code, name, kana, 1 FROM municipality_local
           WHERE code NOT IN (SELECT code FROM ref_municipality)
         ORDER BY 1",
    )?;
    let rows = st.query_map([], |r| {
        Ok(Municipality {
            code: r.get(0)?,
            name: r.get(1)?,
            kana: r.get(2)?,
            local: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub fn insert_local_municipality(
    conn: &Connection,
    code: &str,
    name: &str,
    kana: &str,
    actor: &str,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO municipality_local(code, name, kana, added_by, added_at) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![code, name, kana, actor, super::now_utc()])?;
    Ok(())
}

/// The facility's municipality code and status, for the gate and the incoming check.
pub fn facility_place(conn: &Connection, facility_id: i64) -> Result<Option<(String, String)>> {
    Ok(conn
        .prepare_cached("SELECT municipality_code, status FROM facility WHERE id = ?1")?
        .query_row([facility_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?)
}

/// What the consent rules need of an application.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApplicationFacility {
    pub facility_id: Option<i64>,
    /// `ApplicationKind::code` (`new`, `renewal`, …).
    pub kind: String,
    pub service_code: String,
    /// When the designation would start: the event date, else the received date.
    pub starts_on: Option<NaiveDate>,
}

/// The facility an application is about, its kind, service and start date.
pub fn application_facility(
    conn: &Connection,
    application_id: i64,
) -> Result<Option<ApplicationFacility>> {
    Ok(conn
        .prepare_cached(
            "SELECT facility_id, kind, service_code, coalesce(event_date, received_on) FROM application WHERE id = ?1",
        )?
        .query_row([application_id], |r| {
            Ok(ApplicationFacility {
                facility_id: r.get(0)?,
                kind: r.get(1)?,
                service_code: r.get(2)?,
                starts_on: date_opt(r.get(3)?),
            })
        })
        .optional()?)
}

/// The designation of a facility for a service: (designated_on, expires_on, status).
pub fn designation(
    conn: &Connection,
    facility_id: i64,
    service_code: &str,
) -> Result<Option<(NaiveDate, NaiveDate, String)>> {
    Ok(conn
        .prepare_cached(
            "SELECT designated_on, expires_on, status FROM designation WHERE facility_id = ?1 AND service_code = ?2",
        )?
        .query_row(params![facility_id, service_code], |r| {
            Ok((
                date_opt(r.get(0)?).unwrap_or(NaiveDate::MIN),
                date_opt(r.get(1)?).unwrap_or(NaiveDate::MIN),
                r.get(2)?,
            ))
        })
        .optional()?)
}

/// Demo only: places a ledger facility in another municipality (its 区外指定).
/// The town column shows the municipality (it holds 新宿区's 町名 for ward facilities).
pub fn relocate_facility(
    conn: &Connection,
    facility_id: i64,
    municipality_code: &str,
    provider_number: &str,
    address: &str,
    town: &str,
) -> Result<()> {
    conn.prepare_cached(
        "UPDATE facility SET municipality_code = ?1, provider_number = ?2, address = ?3, town = ?4 WHERE id = ?5",
    )?
    .execute(params![municipality_code, provider_number, address, town, facility_id])?;
    super::facilities::refresh_summary(conn, facility_id)
}

/// Whether `code` is a known サービス種類コード.
pub fn service_known(conn: &Connection, code: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT EXISTS(SELECT 1 FROM ref_service_type WHERE code = ?1)")?
        .query_row([code], |r| r.get(0))?)
}
