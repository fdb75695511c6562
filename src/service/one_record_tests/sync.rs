use super::*;
use crate::domain::application::ApplicationSource;
use crate::service::sync;
use crate::store::sync::{ImportedFile, QuarantineRow};

fn electronic(store: &Store) -> crate::service::intake::Intake {
    let id = num(
        store,
        "SELECT min(id) FROM facility WHERE status = 'active'",
    );
    let f = crate::store::facilities::get(store.conn(), id)
        .unwrap()
        .unwrap();
    crate::service::intake::Intake {
        source: ApplicationSource::Electronic,
        external_id: Some("EA-T-0001".into()),
        provider_number: f.fields.provider_number,
        applicant_name: "社会福祉法人 若松会".into(),
        received_on: today(),
        payload: crate::domain::payload::Payload::Resumption(
            crate::domain::payload::ResumptionPayload { resume_on: today() },
        ),
        documents: Vec::new(),
    }
}

fn file() -> ImportedFile {
    ImportedFile {
        sha256: "ab".repeat(32),
        file_name: "abababababab-eapp.csv".into(),
        job_id: None,
        rows: 2,
        imported: 1,
        quarantined: 1,
    }
}

pub(super) fn rows() -> Vec<WriteFn> {
    vec![
        row(
            "sync",
            "set_kokuhoren_control",
            |s| {
                sync::set_kokuhoren_control(s, &actor(Role::Admin), Some("131045"), Some("12"))
                    .unwrap();
                assert_eq!(
                    crate::store::meta::get(s.conn(), "kokuhoren.insurer_number").unwrap(),
                    Some("131045".into())
                );
            },
            |s| {
                invalid(sync::set_kokuhoren_control(
                    s,
                    &actor(Role::Admin),
                    Some("991045"),
                    None,
                ));
                invalid(sync::set_kokuhoren_control(
                    s,
                    &actor(Role::Admin),
                    None,
                    Some("x"),
                ));
                denied(sync::set_kokuhoren_control(
                    s,
                    &actor(Role::Approver),
                    Some("131045"),
                    None,
                ));
            },
        ),
        row(
            "sync",
            "import_application",
            |s| {
                let case = electronic(s);
                sync::import_application(s, &actor(Role::Reviewer), &case, today()).unwrap();
            },
            |s| {
                let case = electronic(s);
                denied(sync::import_application(
                    s,
                    &actor(Role::Viewer),
                    &case,
                    today(),
                ));
            },
        ),
        row(
            "sync",
            "import_applications",
            |s| {
                let case = electronic(s);
                let r =
                    sync::import_applications(s, &actor(Role::Reviewer), &[case], today()).unwrap();
                assert!(r[0].is_ok());
            },
            |s| {
                let case = electronic(s);
                denied(sync::import_applications(
                    s,
                    &actor(Role::Viewer),
                    &[case],
                    today(),
                ));
            },
        ),
        row(
            "sync",
            "record_import",
            |s| {
                let q = QuarantineRow {
                    file_name: "abababababab-eapp.csv".into(),
                    file_sha256: "ab".repeat(32),
                    line: 3,
                    reason: "3行目 phone: 電話番号が不正です".into(),
                    raw: String::new(),
                };
                sync::record_import(s, &actor(Role::Reviewer), &file(), &[q]).unwrap();
            },
            |s| denied(sync::record_import(s, &actor(Role::Admin), &file(), &[])),
        ),
        row(
            "sync",
            "open_export_batch",
            |s| {
                sync::open_export_batch(
                    s,
                    &actor(Role::Reviewer),
                    "lemscare",
                    "b1",
                    "l-b1.csv",
                    None,
                )
                .unwrap();
            },
            |s| {
                invalid(sync::open_export_batch(
                    s,
                    &actor(Role::Reviewer),
                    "elsewhere",
                    "b1",
                    "e-b1.csv",
                    None,
                ))
            },
        ),
        row(
            "sync",
            "mark_batch_sent",
            |s| sync::mark_batch_sent(s, &actor(Role::Reviewer), "b1", 1).unwrap(),
            |s| invalid(sync::mark_batch_sent(s, &actor(Role::Reviewer), "nope", 1)),
        )
        .after(|s| {
            sync::open_export_batch(
                s,
                &actor(Role::Reviewer),
                "lemscare",
                "b1",
                "l-b1.csv",
                None,
            )
            .unwrap();
        }),
        row(
            "sync",
            "mark_consents_sent",
            |s| {
                let id = num(s, "SELECT min(id) FROM consent_request");
                sync::mark_consents_sent(s, &actor(Role::Reviewer), &[id], "c.json").unwrap();
            },
            |s| {
                invalid(sync::mark_consents_sent(
                    s,
                    &actor(Role::Reviewer),
                    &[],
                    "c.json",
                ))
            },
        ),
    ]
}
