use super::*;
use crate::domain::application::ApplicationSource;
use crate::domain::model::FacilityFields;
use crate::domain::payload::{ChangePayload, FieldChange, NewPayload, Payload};
use crate::domain::permission::Role;
use crate::service::applications::{Decision, decide, transition};
use crate::service::intake::{Intake, intake};
use std::os::unix::fs::PermissionsExt;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn who(id: &str, role: Role) -> Actor {
    Actor {
        staff_id: id.into(),
        role,
    }
}

#[test]
fn a_decided_new_designation_gets_a_result_notice_naming_facility_and_decision() {
    let mut store = Store::open_in_memory().unwrap();
    let today = d(2026, 12, 2);
    let case = Intake {
        source: ApplicationSource::Paper,
        external_id: None,
        provider_number: String::new(),
        applicant_name: "株式会社戸山ケア".into(),
        received_on: d(2026, 11, 20),
        payload: Payload::New(NewPayload {
            facility: FacilityFields {
                name: "ケアセンター戸山<b>".into(),
                address: "東京都新宿区戸山2-1".into(),
                phone: "03-5555-6666".into(),
                ..Default::default()
            },
            service_code: "78".into(),
            effective_on: d(2027, 2, 1),
            prefecture_notified_on: None,
        }),
        documents: vec![],
    };
    let clerk = who("clerk", Role::Reviewer);
    let id = intake(&mut store, &clerk, &case, today).unwrap();
    // No letter before a decision.
    let dir = tempfile::tempdir().unwrap();
    let err = write_case_letter(&mut store, &clerk, id, dir.path(), today).unwrap_err();
    assert!(
        err.message(true).contains("通知書がありません"),
        "{}",
        err.message(true)
    );
    let r = transition(
        &mut store,
        &who("r1", Role::Reviewer),
        id,
        1,
        ApplicationStatus::UnderReview,
        "",
    )
    .unwrap()
    .unwrap();
    let done = decide(
        &mut store,
        &who("boss", Role::Approver),
        id,
        r.version,
        None,
        "",
    )
    .unwrap();
    assert!(matches!(done, Decision::Decided { .. }), "{done:?}");
    let w = write_case_letter(&mut store, &clerk, id, dir.path(), today).unwrap();
    let html = std::fs::read_to_string(&w.html).unwrap();
    assert!(
        html.contains("結果通知書") && html.contains("決定（承認）"),
        "{html}"
    );
    assert!(
        html.contains("ケアセンター戸山&lt;b&gt;"),
        "escaped facility name: {html}"
    );
    assert!(html.contains("size: A4"));
    let text = std::fs::read_to_string(&w.text).unwrap();
    assert!(
        text.contains("ケアセンター戸山<b>") && text.contains("事業所番号: 139040"),
        "{text}"
    );
    for p in [&w.html, &w.text] {
        assert_eq!(
            std::fs::metadata(p).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    let letters = inbox::letters(store.conn(), id).unwrap();
    assert_eq!(
        letters[0].html_path,
        w.html.display().to_string(),
        "the path is recorded on the case"
    );
    // Written again: a new file, the first one kept.
    let again = write_case_letter(&mut store, &clerk, id, dir.path(), today).unwrap();
    assert_ne!(again.html, w.html);
    assert!(w.html.exists());
    // The month's 公示 has the designation, in CSV and HTML.
    let out = export_public_notices(&store, d(2027, 2, 1), dir.path(), today).unwrap();
    assert_eq!(out.rows, 1);
    let csv = std::fs::read_to_string(&out.csv).unwrap();
    assert!(
        csv.starts_with('\u{feff}') && csv.contains("指定") && csv.contains("ケアセンター戸山<b>"),
        "{csv}"
    );
    assert!(
        std::fs::read_to_string(&out.html)
            .unwrap()
            .contains("法第78条の11")
    );
}

#[test]
fn a_returned_case_letter_carries_the_reason_and_renewal_guidance_is_recorded() {
    let mut store = Store::open_in_memory().unwrap();
    let today = d(2026, 12, 2);
    let fid = store
        .write(|tx| {
            let id = crate::store::facilities::insert(
                tx,
                &crate::store::facilities::NewFacility {
                    fields: FacilityFields {
                        provider_number: "1390400024".into(),
                        name: "デイサービス若松".into(),
                        postal_code: "162-0056".into(),
                        address: "東京都新宿区若松町1-1".into(),
                        phone: "03-1111-2222".into(),
                        ..Default::default()
                    },
                    ..Default::default()
                },
                "seed",
            )?;
            crate::store::seed::insert_designation(
                tx,
                &crate::store::seed::NewDesignation {
                    facility_id: id,
                    service_code: "78",
                    designated_on: d(2021, 3, 1),
                    expires_on: d(2027, 2, 28),
                    status: "active",
                },
            )?;
            Ok(id)
        })
        .unwrap();
    let case = Intake {
        source: ApplicationSource::Electronic,
        external_id: Some("EA2026000001".into()),
        provider_number: "1390400024".into(),
        applicant_name: "社会福祉法人 若松会".into(),
        received_on: d(2026, 11, 20),
        payload: Payload::Change(ChangePayload {
            changed_on: d(2026, 11, 15),
            changes: vec![FieldChange {
                field: "phone".into(),
                before: String::new(),
                after: "03-3333-4444".into(),
            }],
        }),
        documents: vec![],
    };
    let clerk = who("clerk", Role::Reviewer);
    let id = intake(&mut store, &clerk, &case, today).unwrap();
    let r = transition(
        &mut store,
        &who("r1", Role::Reviewer),
        id,
        1,
        ApplicationStatus::UnderReview,
        "",
    )
    .unwrap()
    .unwrap();
    transition(
        &mut store,
        &who("r1", Role::Reviewer),
        id,
        r.version,
        ApplicationStatus::Returned,
        "変更を証する書類が不足しています",
    )
    .unwrap()
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let w = write_case_letter(&mut store, &clerk, id, dir.path(), today).unwrap();
    let text = std::fs::read_to_string(&w.text).unwrap();
    assert!(
        text.contains("差戻し通知書") && text.contains("理由: 変更を証する書類が不足しています"),
        "{text}"
    );

    let due = crate::store::notices::renewals_due(store.conn(), today, 3, 2).unwrap();
    assert_eq!(due.len(), 1);
    assert_eq!(
        (due[0].notice_due_on, due[0].sent_on),
        (d(2026, 12, 28), None)
    );
    let written = send_renewal_guidance(
        &mut store,
        &clerk,
        &[due[0].designation_id],
        3,
        dir.path(),
        today,
    )
    .unwrap();
    assert!(
        std::fs::read_to_string(&written[0].html)
            .unwrap()
            .contains("有効期間満了日")
    );
    let due = crate::store::notices::renewals_due(store.conn(), today, 3, 2).unwrap();
    assert_eq!(due[0].sent_on, Some(today));
    assert!(send_renewal_guidance(&mut store, &clerk, &[9999], 3, dir.path(), today).is_err());
    assert!(
        send_renewal_guidance(
            &mut store,
            &who("v", Role::Viewer),
            &[due[0].designation_id],
            3,
            dir.path(),
            today
        )
        .is_err()
    );
    let _ = fid;
}

#[test]
fn renewal_guidance_for_no_designation_is_refused_and_writes_no_file() {
    let mut store = Store::open_in_memory().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let err = send_renewal_guidance(
        &mut store,
        &who("clerk", Role::Reviewer),
        &[],
        3,
        dir.path(),
        d(2026, 12, 2),
    )
    .unwrap_err();
    assert!(
        err.message(true).contains("指定が選ばれていません"),
        "{}",
        err.message(true)
    );
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    assert_eq!(audit::head(store.conn()).unwrap().0, 0);
}
