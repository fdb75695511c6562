//! The application inbox: the list with filters, search, sort and counts; the case view;
//! intake, assignment, notes, documents, letters; the processing-period settings.

use super::{Result, StoreError, date_opt, facilities};
use crate::domain::application::{
    ApplicationKind, ApplicationSource, ApplicationStatus, ProcessingDays, is_filed_late,
    is_overdue, required_documents,
};
use crate::domain::decision::{self, Blocker, LedgerState, Plan};
use crate::domain::inbox::{
    CaseDetail, CaseEvent, CaseLetter, CaseNote, DiffLine, DocumentStatus, InboxPage, InboxQuery,
    InboxRow, InboxSort,
};
use crate::domain::payload::Payload;
use crate::domain::review::{self, CaseFacts};
use crate::domain::text::search_key;
use chrono::NaiveDate;
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, params, params_from_iter};

const ROW_COLUMNS: &str = "a.id, a.external_id, a.kind, a.status, a.source, a.facility_id, a.provider_number,
    coalesce(f.name, json_extract(a.payload, '$.facility.name'), ''), a.applicant_name, a.service_code,
    a.received_on, a.due_on, a.process_due_on, a.assignee, a.keyed_by, a.reviewed_by, a.decided_by, a.version";

const FROM: &str = "application a LEFT JOIN facility f ON f.id = a.facility_id";

fn row_from(r: &rusqlite::Row<'_>, today: NaiveDate) -> rusqlite::Result<InboxRow> {
    let kind: String = r.get(2)?;
    let status: String = r.get(3)?;
    let source: String = r.get(4)?;
    let status = ApplicationStatus::from_code(&status).unwrap_or(ApplicationStatus::Submitted);
    let received_on = date_opt(r.get(10)?);
    let filing_due_on = date_opt(r.get(11)?);
    let process_due_on = date_opt(r.get(12)?);
    Ok(InboxRow {
        id: r.get(0)?,
        external_id: r.get(1)?,
        kind: ApplicationKind::from_code(&kind).unwrap_or(ApplicationKind::Change),
        status,
        source: ApplicationSource::from_code(&source).unwrap_or(ApplicationSource::Electronic),
        facility_id: r.get(5)?,
        provider_number: r.get(6)?,
        facility_name: r.get(7)?,
        applicant_name: r.get(8)?,
        service_code: r.get(9)?,
        received_on,
        filing_due_on,
        process_due_on,
        assignee: r.get(13)?,
        keyed_by: r.get(14)?,
        reviewed_by: r.get(15)?,
        decided_by: r.get(16)?,
        version: r.get(17)?,
        filed_late: is_filed_late(received_on, filing_due_on),
        overdue: is_overdue(status, process_due_on, today),
    })
}

fn sort_sql(sort: InboxSort) -> &'static str {
    match sort {
        InboxSort::ProcessDue => "a.process_due_on IS NULL, a.process_due_on",
        InboxSort::FilingDue => "a.due_on IS NULL, a.due_on",
        InboxSort::Received => "a.received_on",
        InboxSort::Kind => "a.kind",
        InboxSort::Status => "a.status",
        InboxSort::ProviderNumber => "a.provider_number",
        InboxSort::FacilityName => {
            "coalesce(f.name_kana, f.name, json_extract(a.payload, '$.facility.name_kana'), '')"
        }
        InboxSort::Applicant => "a.applicant_name",
        InboxSort::Assignee => "a.assignee IS NULL, a.assignee",
        InboxSort::Id => "a.id",
    }
}

/// Whether `row` matches the normalised search `key` (applicant, facility number or
/// name, external id).
fn matches_search(row: &InboxRow, key: &str) -> bool {
    key.is_empty()
        || [
            row.applicant_name.as_str(),
            row.provider_number.as_str(),
            row.facility_name.as_str(),
            row.external_id.as_deref().unwrap_or(""),
        ]
        .iter()
        .any(|s| search_key(s).contains(key))
}

/// The list for `q` as of `today`: at most `limit` rows in order, the total, counts per
/// status and the overdue count. Filters run in SQL; the search (the ledger's
/// normalisation, which SQLite cannot do) runs over the filtered rows here.
pub fn list(
    conn: &Connection,
    q: &InboxQuery,
    today: NaiveDate,
    limit: usize,
) -> Result<InboxPage> {
    let mut conds: Vec<&str> = Vec::new();
    let mut args: Vec<Value> = Vec::new();
    if q.open_only {
        conds.push("a.status NOT IN ('notified','withdrawn','rejected')");
    }
    if let Some(k) = q.kind {
        conds.push("a.kind = ?");
        args.push(Value::Text(k.code().into()));
    }
    if let Some(who) = &q.assignee {
        conds.push("a.assignee = ?");
        args.push(Value::Text(who.clone()));
    }
    if q.unassigned {
        conds.push("a.assignee IS NULL");
    }
    if let Some(s) = q.source {
        conds.push("a.source = ?");
        args.push(Value::Text(s.code().into()));
    }
    if q.overdue_only {
        conds.push("a.status NOT IN ('notified','withdrawn','rejected') AND a.process_due_on < ?");
        args.push(Value::Text(today.to_string()));
    }
    if q.filed_late_only {
        conds.push("a.received_on > a.due_on");
    }
    let where_sql = if conds.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", conds.join(" AND "))
    };
    let order = if q.descending { "DESC" } else { "ASC" };
    let sort = sort_sql(q.sort)
        .split(", ")
        .map(|c| format!("{c} {order}"))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!("SELECT {ROW_COLUMNS} FROM {FROM} {where_sql} ORDER BY {sort}, a.id {order}");
    let key = search_key(&q.search);
    let mut st = conn.prepare_cached(&sql)?;
    let mut rows = st.query(params_from_iter(args))?;
    let mut page = InboxPage {
        by_status: ApplicationStatus::ALL.iter().map(|s| (*s, 0)).collect(),
        ..InboxPage::default()
    };
    while let Some(r) = rows.next()? {
        let row = row_from(r, today)?;
        if !matches_search(&row, &key) {
            continue;
        }
        if let Some(slot) = page.by_status.iter_mut().find(|(s, _)| *s == row.status) {
            slot.1 += 1;
        }
        if q.status.is_some_and(|s| s != row.status) {
            continue;
        }
        if row.overdue {
            page.overdue += 1;
        }
        page.total += 1;
        if page.rows.len() < limit {
            page.rows.push(row);
        }
    }
    Ok(page)
}

/// Open cases past their processing deadline (the header count).
pub fn overdue_count(conn: &Connection, today: NaiveDate) -> Result<usize> {
    let n: i64 = conn
        .prepare_cached(
            "SELECT count(*) FROM application WHERE status NOT IN ('notified','withdrawn','rejected')
             AND process_due_on < ?1",
        )?
        .query_row([today.to_string()], |r| r.get(0))?;
    Ok(usize::try_from(n).unwrap_or(0))
}

pub fn row(conn: &Connection, id: i64, today: NaiveDate) -> Result<Option<InboxRow>> {
    Ok(conn
        .prepare_cached(&format!("SELECT {ROW_COLUMNS} FROM {FROM} WHERE a.id = ?1"))?
        .query_row([id], |r| row_from(r, today))
        .optional()?)
}

/// A case's payload JSON, event date and the facility version seen at review.
pub type StoredPayload = (String, Option<NaiveDate>, Option<i64>);

/// The stored payload text, event date and reviewed facility version of a case.
pub fn payload_of(conn: &Connection, id: i64) -> Result<Option<StoredPayload>> {
    Ok(conn
        .prepare_cached(
            "SELECT payload, event_date, reviewed_facility_version FROM application WHERE id = ?1",
        )?
        .query_row([id], |r| Ok((r.get(0)?, date_opt(r.get(1)?), r.get(2)?)))
        .optional()?)
}

/// Highest 4-digit serial in use under a 5-character 事業所番号 prefix.
pub fn highest_serial(conn: &Connection, prefix: &str) -> Result<Option<u32>> {
    let s: Option<String> = conn
        .prepare_cached(
            "SELECT max(substr(provider_number, 6, 4)) FROM facility
             WHERE substr(provider_number, 1, 5) = ?1",
        )?
        .query_row([prefix], |r| r.get(0))?;
    Ok(s.and_then(|s| s.parse().ok()))
}

/// The next free 事業所番号 for a new facility of `service_code`.
pub fn propose_provider_number(conn: &Connection, service_code: &str) -> Result<Option<String>> {
    let prefix = decision::provider_prefix(service_code);
    Ok(decision::propose_provider_number(
        service_code,
        highest_serial(conn, &prefix)?,
    ))
}

/// What deciding case `id` would do now, or what stands in the way in the ledger: the
/// facility changed since the review started, the payload no longer fits, the number
/// confirmed for a 新規 case is invalid or taken. (Consent and other rules are the
/// service's `decision_blockers`.)
pub fn decision_plan(
    conn: &Connection,
    row: &InboxRow,
    provider_number: Option<&str>,
) -> Result<std::result::Result<Plan, Vec<Blocker>>> {
    let Some((json, _, reviewed_version)) = payload_of(conn, row.id)? else {
        return Err(StoreError::NotFound(format!("application {}", row.id)));
    };
    let payload = match Payload::parse(row.kind, &json) {
        Ok(p) => p,
        Err(e) => return Ok(Err(vec![Blocker::Invalid(vec![e])])),
    };
    let facility = match row.facility_id {
        Some(fid) => facilities::get(conn, fid)?,
        None => None,
    };
    let designations = match &facility {
        Some(f) => facilities::designations(conn, f.id)?,
        None => Vec::new(),
    };
    let mut blockers = Vec::new();
    if let (Some(f), Some(seen)) = (&facility, reviewed_version)
        && f.version != seen
    {
        blockers.push(Blocker::FacilityChanged {
            seen,
            now: f.version,
        });
    }
    if let Some(n) = provider_number.filter(|_| matches!(payload, Payload::New(_)))
        && facilities::id_by_provider_number(conn, n.trim())?.is_some()
    {
        blockers.push(decision::provider_number_taken(n.trim()));
    }
    let ledger = LedgerState {
        facility: facility.as_ref(),
        designations: &designations,
    };
    match decision::plan(&payload, &ledger, provider_number) {
        Ok(plan) if blockers.is_empty() => Ok(Ok(plan)),
        Ok(_) => Ok(Err(blockers)),
        Err(more) => {
            blockers.extend(more);
            Ok(Err(blockers))
        }
    }
}

/// The case view.
pub fn detail(conn: &Connection, id: i64, today: NaiveDate) -> Result<Option<CaseDetail>> {
    let Some(row) = row(conn, id, today)? else {
        return Ok(None);
    };
    let (json, event_date, reviewed_facility_version) = payload_of(conn, id)?.unwrap_or_default();
    let payload = Payload::parse(row.kind, &json);
    let facility = match row.facility_id {
        Some(fid) => facilities::get(conn, fid)?,
        None => None,
    };
    let designations = match &facility {
        Some(f) => facilities::designations(conn, f.id)?,
        None => Vec::new(),
    };
    let diff = match (&payload, &facility) {
        (Ok(Payload::Change(p)), Some(f)) => p
            .changes
            .iter()
            .map(|c| DiffLine {
                field: c.field.clone(),
                current: f.fields.get(&c.field).to_string(),
                at_intake: c.before.clone(),
                requested: c.after.clone(),
            })
            .collect(),
        _ => Vec::new(),
    };
    let ledger = LedgerState {
        facility: facility.as_ref(),
        designations: &designations,
    };
    let findings = review::findings(
        &CaseFacts {
            kind: row.kind,
            provider_number: &row.provider_number,
            received_on: row.received_on,
            filing_due_on: row.filing_due_on,
            decidable: !matches!(
                row.status,
                ApplicationStatus::Decided
                    | ApplicationStatus::Notified
                    | ApplicationStatus::Rejected
                    | ApplicationStatus::Withdrawn
            ),
        },
        payload.as_ref(),
        &ledger,
        today,
    );
    let proposed_provider_number = match &payload {
        Ok(Payload::New(p)) if facility.is_none() => {
            propose_provider_number(conn, &p.service_code)?
        }
        _ => None,
    };
    let preview =
        decision_plan(conn, &row, proposed_provider_number.as_deref())?.map(|plan| plan.changes);
    Ok(Some(CaseDetail {
        documents: documents(conn, id, row.kind)?,
        events: events(conn, id)?,
        notes: notes(conn, id)?,
        letters: letters(conn, id)?,
        row,
        event_date,
        payload,
        facility,
        designations,
        diff,
        findings,
        preview,
        proposed_provider_number,
        reviewed_facility_version,
    }))
}

pub fn events(conn: &Connection, id: i64) -> Result<Vec<CaseEvent>> {
    let mut st = conn.prepare_cached(
        "SELECT at, actor, from_status, to_status, reason FROM application_event
         WHERE application_id = ?1 ORDER BY id",
    )?;
    let rows = st.query_map([id], |r| {
        let from: Option<String> = r.get(2)?;
        let to: String = r.get(3)?;
        Ok(CaseEvent {
            at: r.get(0)?,
            actor: r.get(1)?,
            from: from.as_deref().and_then(ApplicationStatus::from_code),
            to: ApplicationStatus::from_code(&to).unwrap_or(ApplicationStatus::Submitted),
            reason: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub fn notes(conn: &Connection, id: i64) -> Result<Vec<CaseNote>> {
    let mut st = conn.prepare_cached(
        "SELECT id, at, actor, body FROM application_note WHERE application_id = ?1 ORDER BY id",
    )?;
    let rows = st.query_map([id], |r| {
        Ok(CaseNote {
            id: r.get(0)?,
            at: r.get(1)?,
            actor: r.get(2)?,
            body: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub fn add_note(conn: &Connection, id: i64, at: &str, actor: &str, body: &str) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO application_note(application_id, at, actor, body) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![id, at, actor, body])?;
    Ok(conn.last_insert_rowid())
}

/// The required documents of `kind` with the day each was received (None = missing).
pub fn documents(conn: &Connection, id: i64, kind: ApplicationKind) -> Result<Vec<DocumentStatus>> {
    let mut st = conn.prepare_cached(
        "SELECT code, received_on FROM application_document WHERE application_id = ?1",
    )?;
    let got: Vec<(String, Option<String>)> = st
        .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    Ok(required_documents(kind)
        .into_iter()
        .map(|document| DocumentStatus {
            received_on: got
                .iter()
                .find(|(c, _)| c == document.code)
                .and_then(|(_, d)| date_opt(d.clone())),
            document,
        })
        .collect())
}

/// Marks a document received on `on`, or (None) not received.
pub fn set_document(
    conn: &Connection,
    id: i64,
    code: &str,
    on: Option<NaiveDate>,
    actor: &str,
) -> Result<()> {
    match on {
        Some(d) => conn
            .prepare_cached(
                "INSERT INTO application_document(application_id, code, received_on, actor) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT(application_id, code) DO UPDATE SET received_on = excluded.received_on, actor = excluded.actor",
            )?
            .execute(params![id, code, d.to_string(), actor])?,
        None => conn
            .prepare_cached("DELETE FROM application_document WHERE application_id = ?1 AND code = ?2")?
            .execute(params![id, code])?,
    };
    Ok(())
}

pub fn letters(conn: &Connection, id: i64) -> Result<Vec<CaseLetter>> {
    let mut st = conn.prepare_cached(
        "SELECT kind, html_path, text_path, at, actor FROM application_letter WHERE application_id = ?1 ORDER BY id",
    )?;
    let rows = st.query_map([id], |r| {
        Ok(CaseLetter {
            kind: r.get(0)?,
            html_path: r.get(1)?,
            text_path: r.get(2)?,
            at: r.get(3)?,
            actor: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub fn record_letter(conn: &Connection, id: i64, letter: &CaseLetter) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO application_letter(application_id, kind, html_path, text_path, at, actor)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        id,
        letter.kind,
        letter.html_path,
        letter.text_path,
        letter.at,
        letter.actor
    ])?;
    Ok(())
}

fn version_check(conn: &Connection, id: i64, expected: i64) -> Result<()> {
    let now: Option<i64> = conn
        .prepare_cached("SELECT version FROM application WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?;
    match now {
        None => Err(StoreError::NotFound(format!("application {id}"))),
        Some(v) if v != expected => Err(StoreError::Conflict {
            object: format!("application {id}"),
            expected,
            current: v,
        }),
        Some(_) => Ok(()),
    }
}

/// Sets (or clears) the assignee if the case is still at `expected_version`.
pub fn set_assignee(
    conn: &Connection,
    id: i64,
    expected_version: i64,
    assignee: Option<&str>,
) -> Result<i64> {
    version_check(conn, id, expected_version)?;
    conn.prepare_cached(
        "UPDATE application SET assignee = ?1, version = version + 1, updated_at = ?2 WHERE id = ?3",
    )?
    .execute(params![assignee, super::now_utc(), id])?;
    Ok(expected_version + 1)
}

/// Records the facility version the reviewer sees as the review starts.
pub fn set_reviewed_facility_version(
    conn: &Connection,
    id: i64,
    version: Option<i64>,
) -> Result<()> {
    conn.prepare_cached("UPDATE application SET reviewed_facility_version = ?1 WHERE id = ?2")?
        .execute(params![version, id])?;
    Ok(())
}

/// After a decision: the day, and the facility a 新規 case created.
pub fn set_decided(
    conn: &Connection,
    id: i64,
    on: NaiveDate,
    facility: Option<(i64, &str)>,
) -> Result<()> {
    conn.prepare_cached("UPDATE application SET decided_on = ?1 WHERE id = ?2")?
        .execute(params![on.to_string(), id])?;
    if let Some((fid, number)) = facility {
        conn.prepare_cached(
            "UPDATE application SET facility_id = ?1, provider_number = ?2 WHERE id = ?3",
        )?
        .execute(params![fid, number, id])?;
    }
    Ok(())
}

/// A case keyed in (paper) or imported.
#[derive(Debug, Clone)]
pub struct NewCase<'a> {
    pub external_id: Option<&'a str>,
    pub kind: ApplicationKind,
    pub status: ApplicationStatus,
    pub source: ApplicationSource,
    pub facility_id: Option<i64>,
    pub provider_number: &'a str,
    pub applicant_name: &'a str,
    pub service_code: &'a str,
    pub received_on: NaiveDate,
    pub event_date: NaiveDate,
    pub filing_due_on: NaiveDate,
    pub process_due_on: NaiveDate,
    pub payload: &'a str,
    pub keyed_by: &'a str,
    pub at: &'a str,
}

pub fn insert_case(conn: &Connection, c: &NewCase<'_>) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO application(external_id, kind, status, source, facility_id, provider_number, applicant_name,
            service_code, received_on, event_date, due_on, process_due_on, payload, keyed_by, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?15)",
    )?
    .execute(params![
        c.external_id,
        c.kind.code(),
        c.status.code(),
        c.source.code(),
        c.facility_id,
        c.provider_number,
        c.applicant_name,
        c.service_code,
        c.received_on.to_string(),
        c.event_date.to_string(),
        c.filing_due_on.to_string(),
        c.process_due_on.to_string(),
        c.payload,
        c.keyed_by,
        c.at,
    ])?;
    Ok(conn.last_insert_rowid())
}

/// Setting key of the processing period of `kind`.
pub fn processing_key(kind: ApplicationKind) -> String {
    format!("processing_days.{}", kind.code())
}

/// The processing periods: the fixture's defaults, overridden by `app_setting`.
pub fn processing_days(conn: &Connection) -> Result<ProcessingDays> {
    let mut days = ProcessingDays::default();
    let mut st = conn
        .prepare_cached("SELECT key, value FROM app_setting WHERE key LIKE 'processing_days.%'")?;
    let rows: Vec<(String, String)> = st
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    for (key, value) in rows {
        let kind = key
            .strip_prefix("processing_days.")
            .and_then(ApplicationKind::from_code);
        if let (Some(k), Ok(n)) = (kind, value.parse::<u32>()) {
            days.set(k, n);
        }
    }
    Ok(days)
}

pub fn set_setting(conn: &Connection, key: &str, value: &str, at: &str, actor: &str) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO app_setting(key, value, updated_at, updated_by) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at,
           updated_by = excluded.updated_by",
    )?
    .execute(params![key, value, at, actor])?;
    Ok(())
}

/// Staff who may be assigned cases (reviewers and approvers, not disabled).
pub fn assignable_staff(conn: &Connection) -> Result<Vec<(String, String)>> {
    let mut st = conn.prepare_cached(
        "SELECT staff_id, display_name FROM user_account
         WHERE disabled = 0 AND role IN ('reviewer', 'approver') ORDER BY staff_id",
    )?;
    let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}
