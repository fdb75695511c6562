//! The sync jobs' writes: an application taken over from the e-application system, and
//! the record of a finished import file with its quarantined rows.

use super::{Result, Written};
use crate::domain::application::ApplicationSource;
use crate::domain::permission::{Action, Actor, Provenance, authorize};
use crate::service::intake::{Intake, intake_authorized};
use crate::store::sync::{ImportedFile, QuarantineRow};
use crate::store::{Store, audit};
use chrono::NaiveDate;

/// Keys in one imported application (source 電子) as 受付, like [`super::intake::intake`]
/// but allowed to whoever may run sync jobs.
pub fn import_application(
    store: &mut Store,
    actor: &Actor,
    case: &Intake,
    today: NaiveDate,
) -> Result<i64> {
    authorize(actor, Action::RunSyncJob, &Provenance::default())?;
    if case.source != ApplicationSource::Electronic {
        return Err(super::invalid(
            "source",
            "取込ジョブが受け付けるのは電子申請だけです",
            "the import job only takes electronic applications",
        ));
    }
    intake_authorized(store, actor, case, today)
}

/// Records that the import finished with a file: its SHA-256 (so it is never read
/// again) and its quarantined rows, in one transaction.
pub fn record_import(
    store: &mut Store,
    actor: &Actor,
    file: &ImportedFile,
    quarantined: &[QuarantineRow],
) -> Result<()> {
    authorize(actor, Action::RunSyncJob, &Provenance::default())?;
    let at = crate::store::now_utc();
    super::audited_write(store, |tx| {
        crate::store::sync::record_import(tx, file, quarantined, &at)?;
        Ok(Written::change(
            (),
            audit::Entry {
                actor: actor.staff_id.clone(),
                action: "sync.import_file".into(),
                object_type: "imported_file".into(),
                object_id: file.sha256.clone(),
                fields: Vec::new(),
                reason: format!(
                    "{} rows, {} imported, {} quarantined",
                    file.rows, file.imported, file.quarantined
                ),
            },
        ))
    })
}

fn batch_entry(actor: &Actor, action: &str, batch: &str, reason: String) -> audit::Entry {
    audit::Entry {
        actor: actor.staff_id.clone(),
        action: action.into(),
        object_type: "export_batch".into(),
        object_id: batch.to_string(),
        fields: Vec::new(),
        reason,
    }
}

/// Binds every queued outbox row of `target` to the new batch `batch` (written as
/// `file_name`); returns how many rows it holds.
pub fn open_export_batch(
    store: &mut Store,
    actor: &Actor,
    target: &str,
    batch: &str,
    file_name: &str,
    job_id: Option<i64>,
) -> Result<i64> {
    authorize(actor, Action::RunSyncJob, &Provenance::default())?;
    if !crate::store::apply::OUTBOX_TARGETS.contains(&target) {
        return Err(super::invalid(
            "target",
            &format!("送出先 {target} はありません（lemscare か kokuhoren）"),
            &format!("there is no export target {target} (lemscare or kokuhoren)"),
        ));
    }
    let at = crate::store::now_utc();
    super::audited_write(store, |tx| {
        let n = crate::store::sync::open_batch(tx, target, batch, file_name, job_id, &at)?;
        Ok(Written::change(
            n,
            batch_entry(
                actor,
                "sync.export_open",
                batch,
                format!("{target}: {n} rows"),
            ),
        ))
    })
}

/// Records that the batch's file is in the outbox: its rows are marked sent by `job_id`.
pub fn mark_batch_sent(store: &mut Store, actor: &Actor, batch: &str, job_id: i64) -> Result<()> {
    authorize(actor, Action::RunSyncJob, &Provenance::default())?;
    let at = crate::store::now_utc();
    super::audited_write(store, |tx| {
        let Some(b) = crate::store::sync::batch(tx, batch)? else {
            return Err(super::invalid(
                "batch",
                &format!("送出バッチ {batch} はありません。daicho sync status で確認してください"),
                &format!("there is no export batch {batch}; see daicho sync status"),
            ));
        };
        let resend = b.sent_at.is_some();
        crate::store::sync::mark_sent(tx, batch, job_id, &at)?;
        Ok(Written::change(
            (),
            batch_entry(
                actor,
                if resend {
                    "sync.export_resend"
                } else {
                    "sync.export_sent"
                },
                batch,
                format!("{}: {} rows, job {job_id}", b.target, b.rows),
            ),
        ))
    })
}

/// Records that the 同意依頼 `ids` went out in the request file `file_name`.
pub fn mark_consents_sent(
    store: &mut Store,
    actor: &Actor,
    ids: &[i64],
    file_name: &str,
) -> Result<()> {
    authorize(actor, Action::RunSyncJob, &Provenance::default())?;
    if ids.is_empty() {
        return Err(super::invalid(
            "consent",
            "送った同意依頼がありません",
            "no consent request was sent",
        ));
    }
    let at = crate::store::now_utc();
    super::audited_write(store, |tx| {
        crate::store::sync::mark_consents_sent(tx, ids, file_name, &at)?;
        Ok(Written::change(
            (),
            audit::Entry {
                actor: actor.staff_id.clone(),
                action: "sync.consent_sent".into(),
                object_type: "consent_sent".into(),
                object_id: file_name.to_string(),
                fields: Vec::new(),
                reason: format!("{} requests", ids.len()),
            },
        ))
    })
}

/// [`import_application`] for many cases in one transaction (the import's speed): one
/// `application.import` record names every application keyed in; a refused case is
/// returned with its error and writes nothing. An error of the write itself fails the whole batch
/// (nothing written), and the caller retries case by case.
pub fn import_applications(
    store: &mut Store,
    actor: &Actor,
    cases: &[Intake],
    today: NaiveDate,
) -> Result<Vec<Result<i64>>> {
    authorize(actor, Action::RunSyncJob, &Provenance::default())?;
    let prepared: Vec<Result<crate::service::intake::Prepared>> = cases
        .iter()
        .map(|c| {
            if c.source != ApplicationSource::Electronic {
                return Err(super::invalid(
                    "source",
                    "取込ジョブが受け付けるのは電子申請だけです",
                    "the import job only takes electronic applications",
                ));
            }
            crate::service::intake::prepare(store, c, today)
        })
        .collect();
    let at = crate::store::now_utc();
    super::audited_write(store, |tx| {
        let mut out = Vec::with_capacity(prepared.len());
        let mut ids = Vec::new();
        for p in prepared {
            match p {
                Ok(p) => {
                    let (id, _) = crate::service::intake::insert(tx, actor, &p, &at)?;
                    ids.push(id.to_string());
                    out.push(Ok(id));
                }
                Err(e) => out.push(Err(e)),
            }
        }
        // One record for the batch, naming every application it keyed in.
        let last = (!ids.is_empty()).then(|| audit::Entry {
            actor: actor.staff_id.clone(),
            action: "application.import".into(),
            object_type: "application".into(),
            object_id: ids.first().cloned().unwrap_or_default(),
            fields: vec!["kind".into(), "source".into(), "payload".into()],
            reason: format!("{} applications: {}", ids.len(), ids.join(",")),
        });
        Ok(match last {
            Some(entry) => Written::change(out, entry),
            None => Written::unchanged(out),
        })
    })
}

/// The 国保連 control record's settings (`kokuhoren.insurer_number`: the ward's 6-digit
/// 保険者番号; `kokuhoren.data_kind`: the データ種別 agreed with the 国保連), admin only.
/// `None` leaves a value as it is.
pub fn set_kokuhoren_control(
    store: &mut Store,
    actor: &Actor,
    insurer_number: Option<&str>,
    data_kind: Option<&str>,
) -> Result<()> {
    authorize(actor, Action::ChangeSettings, &Provenance::default())?;
    let digits = |s: &str, min: usize, max: usize| {
        (min..=max).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
    };
    let mut changes = Vec::new();
    if let Some(n) = insurer_number.map(str::trim) {
        let prefecture = n.get(..2).and_then(|p| p.parse::<u32>().ok());
        if !digits(n, 6, 6) || !matches!(prefecture, Some(1..=47)) {
            return Err(super::invalid(
                "insurer_number",
                "保険者番号は都道府県番号（01〜47）で始まる6桁の数字にしてください（例 131045）",
                "the insurer number (保険者番号) must be 6 digits starting with a prefecture number 01-47 (e.g. 131045)",
            ));
        }
        changes.push(("kokuhoren.insurer_number", n));
    }
    if let Some(k) = data_kind.map(str::trim) {
        if !digits(k, 1, 4) {
            return Err(super::invalid(
                "data_kind",
                "データ種別は1〜4桁の数字にしてください（国保連との取り決めの値）",
                "the data kind must be 1-4 digits (the value agreed with the 国保連)",
            ));
        }
        changes.push(("kokuhoren.data_kind", k));
    }
    if changes.is_empty() {
        return Err(super::invalid(
            "settings",
            "変更する設定がありません（--insurer-number か --data-kind を指定してください）",
            "nothing to change (give --insurer-number or --data-kind)",
        ));
    }
    super::audited_write(store, |tx| {
        for (key, value) in &changes {
            crate::store::meta::set(tx, key, value)?;
        }
        Ok(Written::change(
            (),
            audit::Entry {
                actor: actor.staff_id.clone(),
                action: "settings.kokuhoren".into(),
                object_type: "setting".into(),
                object_id: "kokuhoren".into(),
                fields: changes.iter().map(|(k, _)| k.to_string()).collect(),
                reason: changes
                    .iter()
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect::<Vec<_>>()
                    .join(" "),
            },
        ))
    })
}
