//! Open data writes: the ward setting, a reconciliation's findings (written by
//! `import-opendata`), and staff decisions on a finding — accept a difference into a
//! 変更 case (normal review in the inbox) or mark it known with a note. Nothing here
//! changes the ledger itself.

use super::{Result, Written};
use crate::domain::application::ApplicationSource;
use crate::domain::opendata::{self, Field, Ward};
use crate::domain::payload::{ChangePayload, FieldChange, Payload};
use crate::domain::permission::{Action, Actor, Provenance, authorize};
use crate::store::opendata::{self as od, Finding, KeptRow};
use crate::store::{Store, audit};
use chrono::NaiveDate;

/// Longest note on a finding marked known.
pub const MAX_NOTE_CHARS: usize = 200;

fn entry(
    actor: &Actor,
    action: &str,
    object_type: &str,
    id: String,
    fields: &[&str],
) -> audit::Entry {
    audit::Entry {
        actor: actor.staff_id.clone(),
        action: action.into(),
        object_type: object_type.into(),
        object_id: id,
        fields: fields.iter().map(|f| f.to_string()).collect(),
        reason: String::new(),
    }
}

/// Sets the ward's municipality code and name (administrators only; the code's check
/// digit is validated).
pub fn set_ward(store: &mut Store, actor: &Actor, code: &str, name: &str) -> Result<Ward> {
    authorize(actor, Action::ChangeSettings, &Provenance::default())?;
    let ward =
        opendata::validate_ward(code, name).map_err(|e| super::ServiceError::Invalid(vec![e]))?;
    let at = crate::store::now_utc();
    super::audited_write(store, |tx| {
        od::set_ward(tx, &ward, &at, &actor.staff_id)?;
        Ok(Written::change(
            ward.clone(),
            entry(
                actor,
                "setting.update",
                "app_setting",
                "ward".into(),
                &["code", "name"],
            ),
        ))
    })
}

/// Stores the kept rows and findings of import run `job_id` (replacing the last ones).
pub fn record_reconciliation(
    store: &mut Store,
    actor: &Actor,
    job_id: i64,
    rows: &[KeptRow],
    findings: &[Finding],
) -> Result<usize> {
    authorize(actor, Action::RunSyncJob, &Provenance::default())?;
    super::audited_write(store, |tx| {
        od::replace(tx, job_id, rows, findings)?;
        Ok(Written::change(
            findings.len(),
            entry(
                actor,
                "opendata.reconcile",
                "sync_job",
                job_id.to_string(),
                &["opendata_row", "opendata_finding"],
            ),
        ))
    })
}

fn open_finding(store: &Store, id: i64) -> Result<Finding> {
    let f = od::finding(store.conn(), id)?.ok_or_else(|| {
        super::invalid(
            "finding",
            "この相違は見つかりません。照合結果を開き直してください",
            "this finding no longer exists; open the reconciliation again",
        )
    })?;
    if f.status != "open" {
        return Err(super::invalid(
            "finding",
            "この相違は処理済みです",
            "this finding has already been decided",
        ));
    }
    Ok(f)
}

/// Marks finding `id` known (a difference staff accept as it is), with a note.
pub fn mark_known(store: &mut Store, actor: &Actor, id: i64, note: &str) -> Result<()> {
    authorize(actor, Action::ReviewApplication, &Provenance::default())?;
    let note = note.trim();
    if note.is_empty() {
        return Err(super::invalid(
            "note",
            "既知とする理由をメモに入力してください",
            "enter a note saying why this is known",
        ));
    }
    super::free_text("note", note, MAX_NOTE_CHARS, false)?;
    let f = open_finding(store, id)?;
    let at = crate::store::now_utc();
    super::audited_write(store, |tx| {
        od::decide(tx, &f, "known", note, None, &at, &actor.staff_id)?;
        let mut record = entry(
            actor,
            "opendata.known",
            "opendata_finding",
            id.to_string(),
            &["status", "note"],
        );
        record.reason = note.to_string();
        Ok(Written::change((), record))
    })
}

/// Accepts difference `id` into a 変更 case (受付, normal review in the inbox): the
/// published value becomes the requested one. Returns the case id. Only facility
/// fields a 変更届出 changes can be accepted.
pub fn accept(store: &mut Store, actor: &Actor, id: i64, today: NaiveDate) -> Result<i64> {
    authorize(actor, Action::ReviewApplication, &Provenance::default())?;
    let f = open_finding(store, id)?;
    let field = Field::from_code(&f.field).filter(|_| f.kind == "difference");
    let Some(field) = field.filter(|f| f.changeable()) else {
        return Err(super::invalid(
            "finding",
            "この項目は変更届出で変えられません。既知として記録するか、所定の手続で直してください",
            "this item is not changed by a change notice; mark it known or correct it by its own procedure",
        ));
    };
    let case = super::intake::Intake {
        source: ApplicationSource::Paper,
        external_id: None,
        provider_number: f.provider_number.clone(),
        applicant_name: applicant(store, &f)?,
        received_on: today,
        payload: Payload::Change(ChangePayload {
            changed_on: today,
            changes: vec![FieldChange {
                field: field.code().into(),
                before: f.ledger_value.clone(),
                after: f.opendata_value.clone(),
            }],
        }),
        documents: Vec::new(),
    };
    let prepared = super::intake::prepare(store, &case, today)?;
    let at = crate::store::now_utc();
    super::audited_write(store, |tx| {
        let (case_id, mut record) = super::intake::insert(tx, actor, &prepared, &at)?;
        od::decide(tx, &f, "accepted", "", Some(case_id), &at, &actor.staff_id)?;
        record.reason = "opendata".into();
        Ok(Written::change(case_id, record))
    })
}

/// The applicant of an accepted difference: the facility's corporation, else its name.
fn applicant(store: &Store, f: &Finding) -> Result<String> {
    let entries = od::ledger_entries(store.conn(), &od::ward(store.conn())?.code)?;
    Ok(entries
        .into_iter()
        .find(|(_, e)| e.provider_number == f.provider_number)
        .map(|(_, e)| {
            if e.corporation_name.trim().is_empty() {
                e.name
            } else {
                e.corporation_name
            }
        })
        .unwrap_or_else(|| f.name.clone()))
}

/// Sets the 定員 of a facility's designated service (ledger editors; a positive whole
/// number, or empty for none). Refused for a service without 定員.
pub fn set_capacity(
    store: &mut Store,
    actor: &Actor,
    facility_id: i64,
    service_code: &str,
    text: &str,
) -> Result<Option<u32>> {
    authorize(actor, Action::EditLedger, &Provenance::default())?;
    if !opendata::has_capacity(service_code) {
        return Err(super::invalid(
            "capacity",
            "このサービスには定員がありません",
            "this service has no capacity",
        ));
    }
    let cap = opendata::parse_capacity(text).map_err(|e| super::ServiceError::Invalid(vec![e]))?;
    super::audited_write(store, |tx| {
        if !od::set_capacity_of(tx, facility_id, service_code, cap)? {
            return Err(super::invalid(
                "capacity",
                "この事業所にはそのサービスの有効な指定がありません",
                "the facility has no active designation of that service",
            ));
        }
        let mut record = entry(
            actor,
            "designation.capacity",
            "facility",
            facility_id.to_string(),
            &["capacity"],
        );
        record.reason = service_code.to_string();
        Ok(Written::change(cap, record))
    })
}
