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
