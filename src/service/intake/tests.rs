//! Every kind through intake → review → decision: the ledger holds exactly the approved
//! change, with its audit record, history rows and outbox rows; illegal steps, decisions
//! by reviewers and by whoever keyed or reviewed are refused.

use super::*;
use crate::domain::application::ApplicationStatus::*;
use crate::domain::decision::Blocker;
use crate::domain::inbox::InboxQuery;
use crate::domain::model::{FacilityFields, FacilityStatus};
use crate::domain::payload::*;
use crate::domain::permission::Role;
use crate::service::applications::{self, Decision, decide, transition};
use crate::store::{apply, change_history, seed};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn today() -> NaiveDate {
    d(2026, 12, 2)
}

fn who(id: &str, role: Role) -> Actor {
    Actor {
        staff_id: id.into(),
        role,
    }
}

/// A ledger with one facility (78 and A6, period to 2027-02-28).
fn ledger() -> (Store, i64) {
    let mut store = Store::open_in_memory().unwrap();
    let id = store
        .write(|tx| {
            let id = facilities::insert(
                tx,
                &facilities::NewFacility {
                    fields: FacilityFields {
                        provider_number: "1390400024".into(),
                        name: "デイサービス若松".into(),
                        name_kana: "デイサービスワカマツ".into(),
                        address: "東京都新宿区若松町1-1".into(),
                        phone: "03-1111-2222".into(),
                        manager_name: "山田 太郎".into(),
                        ..Default::default()
                    },
                    ..Default::default()
                },
                "seed",
            )?;
            for code in ["78", "A6"] {
                seed::insert_designation(
                    tx,
                    &seed::NewDesignation {
                        facility_id: id,
                        service_code: code,
                        designated_on: d(2021, 3, 1),
                        expires_on: d(2027, 2, 28),
                        status: "active",
                    },
                )?;
            }
            facilities::refresh_summary(tx, id)?;
            for (staff, role) in [("clerk", "reviewer"), ("r1", "reviewer"), ("boss", "approver")] {
                tx.execute(
                    "INSERT INTO user_account(staff_id, display_name, role, created_at) VALUES (?1, ?1, ?2, 'x')",
                    rusqlite::params![staff, role],
                )?;
            }
            Ok(id)
        })
        .unwrap();
    (store, id)
}

fn paper(payload: Payload, number: &str) -> Intake {
    let first = crate::domain::application::required_documents(payload.kind())[0].code;
    Intake {
        source: ApplicationSource::Paper,
        external_id: None,
        provider_number: number.into(),
        applicant_name: "社会福祉法人 若松会".into(),
        received_on: d(2026, 11, 20),
        payload,
        documents: vec![first.into()],
    }
}

/// Keys the case in as clerk, reviews it as r1, decides it as boss.
fn through(store: &mut Store, case: &Intake) -> (i64, Decision) {
    let id = intake(store, &who("clerk", Role::Reviewer), case, today()).unwrap();
    let row = transition(store, &who("r1", Role::Reviewer), id, 1, UnderReview, "")
        .unwrap()
        .unwrap();
    let done = decide(
        store,
        &who("boss", Role::Approver),
        id,
        row.version,
        None,
        "",
    )
    .unwrap();
    (id, done)
}

fn facility(store: &Store, id: i64) -> crate::domain::model::Facility {
    facilities::get(store.conn(), id).unwrap().unwrap()
}

fn check_records(store: &Store, app: i64, facility_id: i64, changes: usize) {
    let log = audit::for_object(store.conn(), "application", &app.to_string(), 10).unwrap();
    assert_eq!(log[0].entry.action, "application.decided");
    assert_eq!(log[0].entry.actor, "boss");
    let outbox = apply::outbox_for_facility(store.conn(), facility_id).unwrap();
    let targets: Vec<&str> = outbox.iter().map(|o| o.0.as_str()).collect();
    assert_eq!(targets.len(), 2, "{outbox:?}");
    assert!(targets.contains(&"lemscare") && targets.contains(&"kokuhoren"));
    let rows = change_history::list(store.conn(), facility_id, true, 100).unwrap();
    assert_eq!(rows.len(), changes, "{rows:?}");
    assert!(rows.iter().all(|r| r.cause.kind == "application"
        && r.cause.id == app.to_string()
        && r.actor == "boss"));
}

#[test]
fn a_change_notice_changes_exactly_the_requested_field_and_keeps_the_old_value() {
    let (mut store, fid) = ledger();
    let before = facility(&store, fid);
    let p = Payload::Change(ChangePayload {
        changed_on: d(2026, 11, 15),
        changes: vec![FieldChange {
            field: "phone".into(),
            before: "typed wrong".into(),
            after: "０３－３３３３－４４４４".into(),
        }],
    });
    let (id, done) = through(&mut store, &paper(p, "1390400024"));
    assert!(matches!(done, Decision::Decided { .. }), "{done:?}");
    let after = facility(&store, fid);
    let mut expected = before.fields.clone();
    expected.phone = "03-3333-4444".into();
    assert_eq!(after.fields, expected, "only the phone changed");
    let rows = change_history::list(store.conn(), fid, true, 10).unwrap();
    assert_eq!(
        (
            rows[0].field.as_str(),
            rows[0].old_value.as_deref(),
            rows[0].new_value.as_deref()
        ),
        ("phone", Some("03-1111-2222"), Some("03-3333-4444"))
    );
    check_records(&store, id, fid, 1);
    let detail = inbox::detail(store.conn(), id, today()).unwrap().unwrap();
    assert_eq!(
        detail.diff[0].at_intake, "03-1111-2222",
        "the ledger value at intake, not the typed one"
    );
    assert_eq!(detail.row.status, Decided);
    assert_eq!(detail.row.source, ApplicationSource::Paper);
}

#[test]
fn renewal_addition_suspension_resumption_withdrawal_and_closure_apply_to_the_ledger() {
    let (mut store, fid) = ledger();
    // 更新: 78 is renewed for six years; A6 keeps its period.
    let (id, done) = through(
        &mut store,
        &paper(
            Payload::Renewal(RenewalPayload {
                service_code: "78".into(),
                current_expiry: d(2027, 2, 28),
                new_period: Period {
                    from: d(2027, 3, 1),
                    to: d(2033, 2, 28),
                },
            }),
            "1390400024",
        ),
    );
    assert!(matches!(done, Decision::Decided { .. }), "{done:?}");
    let ds = facilities::designations(store.conn(), fid).unwrap();
    let period = |code: &str| {
        ds.iter()
            .find(|x| x.service_code == code)
            .map(|x| (x.designated_on, x.expires_on))
            .unwrap()
    };
    assert_eq!(
        period("78"),
        (d(2021, 3, 1), d(2033, 2, 28)),
        "指定年月日 stays"
    );
    assert_eq!(period("A6"), (d(2021, 3, 1), d(2027, 2, 28)));
    check_records(&store, id, fid, 1);

    // 加算届: the items with their month.
    let (_, done) = through(
        &mut store,
        &paper(
            Payload::Addition(AdditionPayload {
                service_code: "78".into(),
                effective_month: d(2027, 1, 15),
                items: vec!["科学的介護推進体制加算".into()],
            }),
            "1390400024",
        ),
    );
    assert!(matches!(done, Decision::Decided { .. }), "{done:?}");
    let (item, month): (String, String) = store
        .conn()
        .query_row(
            "SELECT item, effective_month FROM facility_addition WHERE facility_id = ?1",
            [fid],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(
        (item.as_str(), month.as_str()),
        ("科学的介護推進体制加算", "2027-01")
    );

    // 休止 then 再開.
    let suspend = Payload::Closure(ClosurePayload {
        what: ClosureType::Suspension,
        on: d(2026, 12, 31),
        reason: "改修工事のため".into(),
    });
    let (_, done) = through(&mut store, &paper(suspend, "1390400024"));
    assert!(matches!(done, Decision::Decided { .. }), "{done:?}");
    assert_eq!(facility(&store, fid).status, FacilityStatus::Suspended);
    let notices = crate::store::notices::public_notices(store.conn(), d(2026, 12, 1)).unwrap();
    assert_eq!(notices.len(), 1);
    assert_eq!(notices[0].name, "デイサービス若松");
    let (_, done) = through(
        &mut store,
        &paper(
            Payload::Resumption(ResumptionPayload {
                resume_on: d(2026, 11, 15),
            }),
            "1390400024",
        ),
    );
    assert!(matches!(done, Decision::Decided { .. }), "{done:?}");
    assert_eq!(facility(&store, fid).status, FacilityStatus::Active);

    // 指定辞退 of A6: 78 stays, the facility stays open.
    let withdraw = Payload::Withdrawal(WithdrawalPayload {
        service_code: "A6".into(),
        on: d(2027, 1, 31),
        reason: "事業縮小".into(),
    });
    let (_, done) = through(&mut store, &paper(withdraw, "1390400024"));
    assert!(matches!(done, Decision::Decided { .. }), "{done:?}");
    let ds = facilities::designations(store.conn(), fid).unwrap();
    assert_eq!(ds.iter().filter(|x| x.active).count(), 1);
    assert_eq!(facility(&store, fid).status, FacilityStatus::Active);

    // 廃止: status closed, the last designation ends, a 公示 entry.
    let close = Payload::Closure(ClosurePayload {
        what: ClosureType::Closure,
        on: d(2027, 1, 31),
        reason: "事業の再編".into(),
    });
    let (_, done) = through(&mut store, &paper(close, "1390400024"));
    assert!(matches!(done, Decision::Decided { .. }), "{done:?}");
    assert_eq!(facility(&store, fid).status, FacilityStatus::Closed);
    assert!(
        facilities::designations(store.conn(), fid)
            .unwrap()
            .iter()
            .all(|x| !x.active)
    );
    let jan = crate::store::notices::public_notices(store.conn(), d(2027, 1, 1)).unwrap();
    assert_eq!(jan.len(), 2, "辞退 and 廃止 are announced");
}

#[test]
fn a_new_designation_creates_a_facility_with_the_next_valid_unique_number() {
    let (mut store, _) = ledger();
    let new = Payload::New(NewPayload {
        facility: FacilityFields {
            name: "ケアセンター戸山".into(),
            name_kana: "ケアセンタートヤマ".into(),
            address: "東京都新宿区戸山2-1".into(),
            phone: "03-5555-6666".into(),
            ..Default::default()
        },
        service_code: "78".into(),
        effective_on: d(2027, 2, 1),
        prefecture_notified_on: Some(d(2026, 12, 1)),
    });
    let mut case = paper(new, "");
    case.documents = vec!["application_form".into(), "floor_plan".into()];
    let id = intake(&mut store, &who("clerk", Role::Reviewer), &case, today()).unwrap();
    let detail = inbox::detail(store.conn(), id, today()).unwrap().unwrap();
    let proposed = detail.proposed_provider_number.clone().unwrap();
    assert_eq!(
        proposed,
        format!(
            "139040003{}",
            crate::domain::ids::provider_check_digit("139040003").unwrap()
        )
    );
    assert_eq!(detail.missing_documents().len(), 6);
    let row = transition(
        &mut store,
        &who("r1", Role::Reviewer),
        id,
        1,
        UnderReview,
        "",
    )
    .unwrap()
    .unwrap();
    // A taken number is refused, the proposed one is used.
    let taken = decide(
        &mut store,
        &who("boss", Role::Approver),
        id,
        row.version,
        Some("1390400024"),
        "",
    )
    .unwrap();
    assert!(
        matches!(&taken, Decision::Blocked(b) if b.iter().any(|x| x.message(true).contains("すでに台帳"))),
        "{taken:?}"
    );
    let done = decide(
        &mut store,
        &who("boss", Role::Approver),
        id,
        row.version,
        Some(&proposed),
        "",
    )
    .unwrap();
    let Decision::Decided { facility_id, .. } = done else {
        panic!("{done:?}")
    };
    let f = facility(&store, facility_id);
    assert_eq!(
        (f.fields.provider_number.as_str(), f.fields.name.as_str()),
        (proposed.as_str(), "ケアセンター戸山")
    );
    let ds = facilities::designations(store.conn(), facility_id).unwrap();
    assert_eq!(
        (ds[0].designated_on, ds[0].expires_on),
        (d(2027, 2, 1), d(2033, 1, 31))
    );
    let notified: Option<String> = store
        .conn()
        .query_row(
            "SELECT prefecture_notified_on FROM designation WHERE facility_id = ?1",
            [facility_id],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(notified.as_deref(), Some("2026-12-01"));
    let app = crate::store::cases::application(store.conn(), id)
        .unwrap()
        .unwrap();
    assert_eq!(
        app.provider_number, proposed,
        "the case now names its facility"
    );
    check_records(
        &store,
        id,
        facility_id,
        change_history::list(store.conn(), facility_id, true, 100)
            .unwrap()
            .len(),
    );
    assert_eq!(
        crate::store::notices::public_notices(store.conn(), d(2027, 2, 1)).unwrap()[0]
            .provider_number,
        proposed
    );
}

#[test]
fn illegal_steps_self_decisions_and_reviewer_decisions_are_refused_and_write_nothing() {
    let (mut store, fid) = ledger();
    let p = Payload::Change(ChangePayload {
        changed_on: d(2026, 11, 15),
        changes: vec![FieldChange {
            field: "manager_name".into(),
            before: String::new(),
            after: "佐藤 花子".into(),
        }],
    });
    let id = intake(
        &mut store,
        &who("clerk", Role::Reviewer),
        &paper(p, "1390400024"),
        today(),
    )
    .unwrap();
    // 受付 → 決定 skips the review.
    let err = decide(&mut store, &who("boss", Role::Approver), id, 1, None, "").unwrap_err();
    assert!(matches!(err, ServiceError::Transition(_)), "{err}");
    transition(
        &mut store,
        &who("r1", Role::Reviewer),
        id,
        1,
        UnderReview,
        "",
    )
    .unwrap()
    .unwrap();
    for (actor, what) in [
        (who("r1", Role::Reviewer), "a reviewer"),
        (who("r1", Role::Approver), "the reviewer as approver"),
        (who("clerk", Role::Approver), "whoever keyed it"),
        (who("admin", Role::Admin), "an admin"),
    ] {
        let err = decide(&mut store, &actor, id, 2, None, "").unwrap_err();
        assert!(matches!(err, ServiceError::Denied(_)), "{what}: {err}");
        let err = transition(&mut store, &actor, id, 2, Rejected, "不備").unwrap_err();
        assert!(
            matches!(err, ServiceError::Denied(_)),
            "{what} rejecting: {err}"
        );
    }
    assert_eq!(facility(&store, fid).fields.manager_name, "山田 太郎");
    assert!(
        change_history::list(store.conn(), fid, true, 10)
            .unwrap()
            .is_empty()
    );
    assert!(
        apply::outbox_for_facility(store.conn(), fid)
            .unwrap()
            .is_empty()
    );
}

#[test]
fn a_facility_changed_after_the_review_started_blocks_the_decision() {
    let (mut store, fid) = ledger();
    let p = Payload::Change(ChangePayload {
        changed_on: d(2026, 11, 15),
        changes: vec![FieldChange {
            field: "phone".into(),
            before: String::new(),
            after: "03-3333-4444".into(),
        }],
    });
    let id = intake(
        &mut store,
        &who("clerk", Role::Reviewer),
        &paper(p, "1390400024"),
        today(),
    )
    .unwrap();
    transition(
        &mut store,
        &who("r1", Role::Reviewer),
        id,
        1,
        UnderReview,
        "",
    )
    .unwrap()
    .unwrap();
    let f = facility(&store, fid);
    let mut edited = f.fields.clone();
    edited.fax = "03-1111-2223".into();
    crate::service::ledger::update_facility(
        &mut store,
        &who("r1", Role::Reviewer),
        fid,
        f.version,
        &edited,
    )
    .unwrap()
    .unwrap();
    let preview = applications::decision_preview(store.conn(), id, None)
        .unwrap()
        .unwrap_err();
    assert!(
        matches!(preview[0], Blocker::FacilityChanged { .. }),
        "{preview:?}"
    );
    let done = decide(&mut store, &who("boss", Role::Approver), id, 2, None, "").unwrap();
    assert!(
        matches!(&done, Decision::Blocked(b) if b[0].message(true).contains("審査し直して")),
        "{done:?}"
    );
    assert_eq!(facility(&store, fid).fields.phone, "03-1111-2222");
    // Through `transition` (what the screen calls) the blocker is an Invalid error naming it.
    let err = transition(&mut store, &who("boss", Role::Approver), id, 2, Decided, "").unwrap_err();
    assert!(
        err.message(false).contains("review again"),
        "{}",
        err.message(false)
    );
    // Returned, resubmitted and reviewed again, the decision goes through.
    let r = transition(
        &mut store,
        &who("r1", Role::Reviewer),
        id,
        2,
        Returned,
        "管理者の変更日が不明",
    )
    .unwrap()
    .unwrap();
    let r = transition(
        &mut store,
        &who("r1", Role::Reviewer),
        id,
        r.version,
        Resubmitted,
        "補正書類を受領",
    )
    .unwrap()
    .unwrap();
    let r = transition(
        &mut store,
        &who("r1", Role::Reviewer),
        id,
        r.version,
        UnderReview,
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
    assert_eq!(facility(&store, fid).fields.phone, "03-3333-4444");
    let events = inbox::events(store.conn(), id).unwrap();
    assert!(
        events
            .iter()
            .any(|e| e.to == Resubmitted && e.reason == "補正書類を受領")
    );
}

#[test]
fn intake_refuses_unknown_facilities_future_dates_bad_values_and_viewers() {
    let (mut store, _) = ledger();
    let p = Payload::Change(ChangePayload {
        changed_on: d(2026, 11, 15),
        changes: vec![FieldChange {
            field: "phone".into(),
            before: String::new(),
            after: "12".into(),
        }],
    });
    let clerk = who("clerk", Role::Reviewer);
    let err = intake(&mut store, &clerk, &paper(p.clone(), "1390400024"), today()).unwrap_err();
    assert!(
        matches!(&err, ServiceError::Invalid(e) if e[0].field == "phone"),
        "{err}"
    );
    let ok = Payload::Resumption(ResumptionPayload {
        resume_on: d(2026, 11, 1),
    });
    let err = intake(
        &mut store,
        &clerk,
        &paper(ok.clone(), "1390400032"),
        today(),
    )
    .unwrap_err();
    assert!(
        err.message(true).contains("1390400032"),
        "{}",
        err.message(true)
    );
    let mut future = paper(ok.clone(), "1390400024");
    future.received_on = d(2026, 12, 3);
    assert!(intake(&mut store, &clerk, &future, today()).is_err());
    let mut hostile = paper(ok.clone(), "1390400024");
    hostile.applicant_name = "若松会\u{1b}[2J".into();
    assert!(matches!(
        intake(&mut store, &clerk, &hostile, today()),
        Err(ServiceError::Invalid(_))
    ));
    let err = intake(
        &mut store,
        &who("v", Role::Viewer),
        &paper(ok, "1390400024"),
        today(),
    )
    .unwrap_err();
    assert!(matches!(err, ServiceError::Denied(_)));
    assert_eq!(
        audit::head(store.conn()).unwrap().0,
        0,
        "nothing was written"
    );
}

#[test]
fn overdue_is_the_processing_deadline_and_the_list_filters_and_searches() {
    let (mut store, _) = ledger();
    let clerk = who("clerk", Role::Reviewer);
    let mut late = paper(
        Payload::Resumption(ResumptionPayload {
            resume_on: d(2026, 10, 1),
        }),
        "1390400024",
    );
    late.received_on = d(2026, 11, 1); // filed after 10 days: 届出遅延; processing due 11-15
    let a = intake(&mut store, &clerk, &late, today()).unwrap();
    let mut fresh = paper(
        Payload::Resumption(ResumptionPayload {
            resume_on: d(2026, 11, 28),
        }),
        "1390400024",
    );
    fresh.received_on = d(2026, 12, 1);
    fresh.source = ApplicationSource::Electronic;
    fresh.external_id = Some("EA2026000123".into());
    let b = intake(&mut store, &clerk, &fresh, today()).unwrap();
    let all = inbox::list(store.conn(), &InboxQuery::default(), today(), 100).unwrap();
    assert_eq!(
        all.rows.iter().map(|r| r.id).collect::<Vec<_>>(),
        vec![a, b],
        "most urgent first"
    );
    assert!(all.rows[0].overdue && all.rows[0].filed_late);
    assert!(!all.rows[1].overdue && !all.rows[1].filed_late);
    assert_eq!(all.overdue, 1);
    assert_eq!(inbox::overdue_count(store.conn(), today()).unwrap(), 1);
    let q = |store: &Store, q: InboxQuery| {
        inbox::list(store.conn(), &q, today(), 100)
            .unwrap()
            .rows
            .iter()
            .map(|r| r.id)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        q(
            &store,
            InboxQuery {
                overdue_only: true,
                ..Default::default()
            }
        ),
        vec![a]
    );
    assert_eq!(
        q(
            &store,
            InboxQuery {
                source: Some(ApplicationSource::Paper),
                ..Default::default()
            }
        ),
        vec![a]
    );
    assert_eq!(
        q(
            &store,
            InboxQuery {
                search: "ｅａ２０２６".into(),
                ..Default::default()
            }
        ),
        vec![b]
    );
    assert_eq!(
        q(
            &store,
            InboxQuery {
                search: "でいさーびす".into(),
                ..Default::default()
            }
        ),
        vec![a, b]
    );
    assert_eq!(
        q(
            &store,
            InboxQuery {
                descending: true,
                ..Default::default()
            }
        ),
        vec![b, a]
    );
    // Assigning: to self, to another reviewer; "mine"; nobody who cannot review.
    let row = applications::assign(&mut store, &clerk, a, 1, Some("r1"))
        .unwrap()
        .unwrap();
    assert_eq!(
        q(
            &store,
            InboxQuery {
                assignee: Some("r1".into()),
                ..Default::default()
            }
        ),
        vec![a]
    );
    assert!(applications::assign(&mut store, &clerk, a, row.version, Some("nobody")).is_err());
    let page = inbox::list(
        store.conn(),
        &InboxQuery {
            status: Some(UnderReview),
            ..Default::default()
        },
        today(),
        100,
    )
    .unwrap();
    assert_eq!(
        (
            page.total,
            page.by_status.iter().find(|s| s.0 == Accepted).unwrap().1
        ),
        (0, 2)
    );
    // The processing period is the admin's to change; new cases get it.
    assert!(
        applications::set_processing_days(&mut store, &clerk, ApplicationKind::Resumption, "7")
            .is_err()
    );
    let admin = who("admin", Role::Admin);
    assert!(
        applications::set_processing_days(&mut store, &admin, ApplicationKind::Resumption, "400")
            .is_err()
    );
    applications::set_processing_days(&mut store, &admin, ApplicationKind::Resumption, "７")
        .unwrap();
    let c = intake(&mut store, &clerk, &fresh_case(), today()).unwrap();
    assert_eq!(
        inbox::row(store.conn(), c, today())
            .unwrap()
            .unwrap()
            .process_due_on,
        Some(d(2026, 12, 8))
    );
}

fn fresh_case() -> Intake {
    let mut c = paper(
        Payload::Resumption(ResumptionPayload {
            resume_on: d(2026, 11, 28),
        }),
        "1390400024",
    );
    c.received_on = d(2026, 12, 1);
    c
}

#[test]
fn notes_and_documents_are_recorded_and_audited() {
    let (mut store, _) = ledger();
    let clerk = who("clerk", Role::Reviewer);
    let id = intake(&mut store, &clerk, &fresh_case(), today()).unwrap();
    applications::add_note(
        &mut store,
        &clerk,
        id,
        "電話で勤務表の差替えを依頼\n12/5 までに提出予定",
    )
    .unwrap();
    assert!(applications::add_note(&mut store, &clerk, id, "  ").is_err());
    assert!(applications::add_note(&mut store, &clerk, id, "x\u{202e}").is_err());
    applications::set_document(&mut store, &clerk, id, "rota", Some(d(2026, 12, 2))).unwrap();
    assert!(
        applications::set_document(&mut store, &clerk, id, "floor_plan", Some(d(2026, 12, 2)))
            .is_err()
    );
    let detail = inbox::detail(store.conn(), id, today()).unwrap().unwrap();
    assert_eq!(detail.notes.len(), 1);
    assert!(
        detail.missing_documents().is_empty(),
        "{:?}",
        detail.documents
    );
    let log = audit::for_object(store.conn(), "application", &id.to_string(), 10).unwrap();
    let actions: Vec<&str> = log.iter().map(|e| e.entry.action.as_str()).collect();
    assert!(
        actions.contains(&"application.note")
            && actions.contains(&"application.document")
            && actions.contains(&"application.intake"),
        "{actions:?}"
    );
}
