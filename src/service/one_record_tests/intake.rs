use super::*;
use crate::domain::application::ApplicationSource;
use crate::domain::payload::{ChangePayload, FieldChange, Payload};
use crate::service::intake::{self, Intake};

/// A paper 変更届出 (a new phone number) for the demo's first facility.
fn phone_change(store: &Store, received_on: NaiveDate) -> Intake {
    let id = num(
        store,
        "SELECT min(id) FROM facility WHERE status = 'active'",
    );
    let f = crate::store::facilities::get(store.conn(), id)
        .unwrap()
        .unwrap();
    Intake {
        source: ApplicationSource::Paper,
        external_id: None,
        provider_number: f.fields.provider_number,
        applicant_name: "社会福祉法人 若松会".into(),
        received_on,
        payload: Payload::Change(ChangePayload {
            changed_on: NaiveDate::from_ymd_opt(2026, 10, 20).unwrap(),
            changes: vec![FieldChange {
                field: "phone".into(),
                before: String::new(),
                after: "03-3333-4444".into(),
            }],
        }),
        documents: vec!["notice_form".into()],
    }
}

pub(super) fn rows() -> Vec<WriteFn> {
    vec![row(
        "intake",
        "intake",
        |s| {
            let case = phone_change(s, today());
            intake::intake(s, &actor(Role::Reviewer), &case, today()).unwrap();
        },
        |s| {
            // Received tomorrow: refused.
            let case = phone_change(s, today().succ_opt().unwrap());
            invalid(intake::intake(s, &actor(Role::Reviewer), &case, today()));
        },
    )]
}
