//! Intake (受付): a case keyed in from a paper form (紙) or taken over from the
//! e-application system (電子), validated like the ledger editor. A 変更届出 stores each
//! field's ledger value at intake next to the requested one; both deadlines are set.

use super::{Result, ServiceError, Written};
use crate::domain::application::{ApplicationKind, ApplicationSource, ApplicationStatus};
use crate::domain::designation::CalendarRules;
use crate::domain::payload::Payload;
use crate::domain::permission::{Action, Actor, Provenance, authorize};
use crate::store::cases::{NewApplicationEvent, insert_application_event};
use crate::store::{Store, audit, facilities, inbox};
use chrono::NaiveDate;

/// Longest applicant name, in characters.
pub const MAX_APPLICANT_CHARS: usize = 100;

/// A case to key in.
#[derive(Debug, Clone)]
pub struct Intake {
    pub source: ApplicationSource,
    /// The e-application system's id, when there is one.
    pub external_id: Option<String>,
    /// The facility's 事業所番号 (empty for a 新規 case).
    pub provider_number: String,
    pub applicant_name: String,
    pub received_on: NaiveDate,
    pub payload: Payload,
    /// Codes of the required documents that came with it.
    pub documents: Vec<String>,
}

/// Keys in a case as 受付 (received) and returns its id. `today` bounds the received
/// date (nothing is received in the future).
pub fn intake(store: &mut Store, actor: &Actor, case: &Intake, today: NaiveDate) -> Result<i64> {
    authorize(actor, Action::ReviewApplication, &Provenance::default())?;
    intake_authorized(store, actor, case, today)
}

/// [`intake`] after the caller has authorized the actor (the import job checks
/// `RunSyncJob` instead of `ReviewApplication`).
pub(crate) fn intake_authorized(
    store: &mut Store,
    actor: &Actor,
    case: &Intake,
    today: NaiveDate,
) -> Result<i64> {
    let p = prepare(store, case, today)?;
    let at = crate::store::now_utc();
    super::audited_write(store, |tx| {
        let (id, entry) = insert(tx, actor, &p, &at)?;
        Ok(Written::change(id, entry))
    })
}

/// Validates a case against the ledger and computes its deadlines (no writes).
pub(crate) fn prepare(store: &Store, case: &Intake, today: NaiveDate) -> Result<Prepared> {
    let applicant = case.applicant_name.trim();
    if applicant.is_empty() {
        return Err(super::invalid(
            "applicant_name",
            "申請者（法人名）を入力してください",
            "enter the applicant (the corporation's name)",
        ));
    }
    super::free_text("applicant_name", applicant, MAX_APPLICANT_CHARS, false)?;
    let external = case
        .external_id
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    if let Some(x) = external {
        super::free_text("external_id", x, 40, false)?;
    }
    if case.received_on > today {
        return Err(super::invalid(
            "received_on",
            &format!(
                "受付日 {} は今日より後です。受付日を確認してください",
                case.received_on
            ),
            &format!(
                "the received date {} is after today; check it",
                case.received_on
            ),
        ));
    }
    let kind = case.payload.kind();
    let mut payload = case.payload.validated().map_err(ServiceError::Invalid)?;
    let docs = crate::domain::application::required_documents(kind);
    for code in &case.documents {
        if !docs.iter().any(|d| d.code == code) {
            return Err(super::invalid(
                "documents",
                &format!(
                    "書類コード {code} は{}の必要書類にありません",
                    kind.label_ja()
                ),
                &format!(
                    "document code {code} is not among the documents a {} needs",
                    kind.label_en().to_lowercase()
                ),
            ));
        }
    }
    // The facility: none yet for 新規, else the ledger's by number.
    let number = case.provider_number.trim();
    let facility = if kind == ApplicationKind::NewDesignation {
        None
    } else {
        // A mistyped number says what is wrong with it before "not in the ledger".
        if let Err(e) = crate::domain::ids::validate_provider_number(number) {
            return Err(super::invalid(
                "provider_number",
                &e.message(true),
                &e.message(false),
            ));
        }
        let id = facilities::id_by_provider_number(store.conn(), number)?.ok_or_else(|| {
            super::invalid(
                "provider_number",
                &format!("事業所番号 {number} の事業所は台帳にありません。番号を確認してください"),
                &format!(
                    "no facility with provider number {number} is in the ledger; check the number"
                ),
            )
        })?;
        facilities::get(store.conn(), id)?
    };
    if let (Payload::Change(p), Some(f)) = (&mut payload, &facility) {
        // The old value is the ledger's at intake, whatever the form said.
        for c in &mut p.changes {
            c.before = f.fields.get(&c.field).to_string();
        }
        crate::domain::payload::apply_changes(&f.fields, &p.changes)
            .map_err(ServiceError::Invalid)?;
    }
    let service_code = match (payload.service_code(), &facility) {
        (Some(code), _) => code.to_string(),
        (None, Some(f)) => facilities::designations(store.conn(), f.id)?
            .into_iter()
            .find(|d| d.active)
            .map(|d| d.service_code)
            .unwrap_or_default(),
        (None, None) => String::new(),
    };
    let event = payload.event_date();
    let filing_due = kind.deadline(&CalendarRules::default(), &service_code, event);
    let process_due = inbox::processing_days(store.conn())?.due(kind, case.received_on);
    let json = payload.to_json();
    Ok(Prepared {
        external: external.map(str::to_string),
        kind,
        source: case.source,
        facility_id: facility.as_ref().map(|f| f.id),
        provider_number: facility
            .as_ref()
            .map_or(String::new(), |f| f.fields.provider_number.clone()),
        applicant: applicant.to_string(),
        service_code,
        received_on: case.received_on,
        event,
        filing_due,
        process_due,
        json,
        documents: case.documents.clone(),
    })
}

/// A validated intake, ready to insert.
pub(crate) struct Prepared {
    external: Option<String>,
    kind: ApplicationKind,
    source: crate::domain::application::ApplicationSource,
    facility_id: Option<i64>,
    provider_number: String,
    applicant: String,
    service_code: String,
    received_on: NaiveDate,
    event: NaiveDate,
    filing_due: NaiveDate,
    process_due: NaiveDate,
    json: String,
    documents: Vec<String>,
}

/// Inserts a prepared case (inside the caller's transaction); returns its id and the
/// audit record of the intake.
pub(crate) fn insert(
    tx: &rusqlite::Transaction<'_>,
    actor: &Actor,
    p: &Prepared,
    at: &str,
) -> Result<(i64, audit::Entry)> {
    let id = inbox::insert_case(
        tx,
        &inbox::NewCase {
            external_id: p.external.as_deref(),
            kind: p.kind,
            status: ApplicationStatus::Accepted,
            source: p.source,
            facility_id: p.facility_id,
            provider_number: &p.provider_number,
            applicant_name: &p.applicant,
            service_code: &p.service_code,
            received_on: p.received_on,
            event_date: p.event,
            filing_due_on: p.filing_due,
            process_due_on: p.process_due,
            payload: &p.json,
            keyed_by: &actor.staff_id,
            at,
        },
    )?;
    for (from, to) in [
        (None, ApplicationStatus::Submitted),
        (
            Some(ApplicationStatus::Submitted),
            ApplicationStatus::Accepted,
        ),
    ] {
        insert_application_event(
            tx,
            &NewApplicationEvent {
                application_id: id,
                at,
                actor: &actor.staff_id,
                from_status: from.map(ApplicationStatus::code),
                to_status: to.code(),
                reason: "",
            },
        )?;
    }
    for code in &p.documents {
        inbox::set_document(tx, id, code, Some(p.received_on), &actor.staff_id)?;
    }
    Ok((
        id,
        audit::Entry {
            actor: actor.staff_id.clone(),
            action: "application.intake".into(),
            object_type: "application".into(),
            object_id: id.to_string(),
            fields: vec!["kind".into(), "source".into(), "payload".into()],
            reason: String::new(),
        },
    ))
}

#[cfg(test)]
mod tests;
