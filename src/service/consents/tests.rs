use super::*;
use crate::domain::consent::Outcome;
use crate::domain::ids::provider_check_digit;
use crate::domain::model::FacilityFields;
use crate::domain::permission::Role;
use crate::store::facilities::{self, NewFacility};

fn actor(id: &str, role: Role) -> Actor {
    Actor {
        staff_id: id.into(),
        role,
    }
}

fn reviewer() -> Actor {
    actor("k001", Role::Reviewer)
}

fn approver() -> Actor {
    actor("p001", Role::Approver)
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn facility(store: &mut Store, serial: u32, municipality: &str) -> i64 {
    let head = format!("139{}{serial:04}", &municipality[3..5]);
    let fields = FacilityFields {
        provider_number: format!("{head}{}", provider_check_digit(&head).unwrap()),
        name: format!("グループホーム{serial}"),
        address: "東京都渋谷区本町1-2-3".into(),
        phone: "03-1111-2222".into(),
        ..Default::default()
    };
    let id = store
        .write(|tx| {
            facilities::insert(
                tx,
                &NewFacility {
                    fields,
                    ..Default::default()
                },
                "seed",
            )
        })
        .unwrap();
    store
        .conn()
        .execute(
            "UPDATE facility SET municipality_code = ?1 WHERE id = ?2",
            rusqlite::params![municipality, id],
        )
        .unwrap();
    store
        .conn()
        .execute(
            "INSERT INTO designation(facility_id, service_code, designated_on, expires_on) VALUES (?1, '32', '2020-04-01', '2026-03-31')",
            [id],
        )
        .unwrap();
    id
}

fn application(store: &Store, facility_id: i64, kind: &str, service: &str, on: &str) -> i64 {
    store
        .conn()
        .execute(
            "INSERT INTO application(kind, status, facility_id, service_code, received_on, event_date, keyed_by, created_at, updated_at)
             VALUES (?1, 'under_review', ?2, ?3, ?4, ?4, 'clerk', 'x', 'x')",
            rusqlite::params![kind, facility_id, service, on],
        )
        .unwrap();
    store.conn().last_insert_rowid()
}

fn person() -> InsuredPerson {
    InsuredPerson {
        name: "山田 太郎".into(),
        name_kana: "ヤマダ タロウ".into(),
        sex: "男".into(),
        care_level: "22".into(),
        insured_number: "0123456789".into(),
        dob: Some(d(1940, 5, 3)),
        address: "東京都新宿区西新宿2-8-1".into(),
        service_start_on: Some(d(2025, 5, 1)),
        reason: "家族の住まいに近いため".into(),
        ..Default::default()
    }
}

fn outgoing(store: &mut Store, app: Option<i64>, fid: i64, code: &str) -> ConsentListRow {
    create_outgoing(
        store,
        &reviewer(),
        &OutgoingInput {
            application_id: app,
            facility_id: Some(fid),
            municipality_code: code.into(),
            service_code: "32".into(),
            document_ref: "新宿介保第1号".into(),
            person: person(),
            ..Default::default()
        },
    )
    .unwrap()
}

fn prior(
    store: &mut Store,
    direction: Direction,
    to: Option<NaiveDate>,
    excluded: &str,
) -> PriorConsentRow {
    add_prior(
        store,
        &approver(),
        &PriorInput {
            municipality_code: "131130".into(),
            direction: Some(direction),
            valid_from: Some(d(2024, 4, 1)),
            valid_to: to,
            excluded_services: excluded.into(),
            note: String::new(),
        },
    )
    .unwrap()
}

fn step(
    store: &mut Store,
    row: &ConsentListRow,
    to: ConsentStatus,
    reason: &str,
) -> ConsentListRow {
    transition(
        store,
        &reviewer(),
        row.id,
        row.version,
        to,
        reason,
        d(2025, 3, 1),
    )
    .unwrap()
    .unwrap()
}

#[test]
fn an_out_of_ward_application_waits_for_a_recorded_consent() {
    let mut store = Store::open_in_memory().unwrap();
    let fid = facility(&mut store, 1, "131130");
    let app = application(&store, fid, "new", "32", "2025-05-01");
    assert!(matches!(
        decision_blocker(store.conn(), app).unwrap(),
        Some(Blocker::NoRequest { .. })
    ));
    let c = outgoing(&mut store, Some(app), fid, "131130");
    assert_eq!(c.status, ConsentStatus::Draft);
    assert!(matches!(
        decision_blocker(store.conn(), app).unwrap(),
        Some(Blocker::Pending {
            status: ConsentStatus::Draft,
            ..
        })
    ));
    let c = step(&mut store, &c, ConsentStatus::Requested, "");
    assert_eq!(c.due_on, Some(d(2025, 3, 15)), "reminder after 14 days");
    assert!(decision_blocker(store.conn(), app).unwrap().is_some());
    let c = step(&mut store, &c, ConsentStatus::Consented, "");
    assert_eq!(decision_blocker(store.conn(), app).unwrap(), None);
    // Closing keeps the consent.
    step(&mut store, &c, ConsentStatus::Closed, "");
    assert_eq!(decision_blocker(store.conn(), app).unwrap(), None);
    let log = audit::for_object(store.conn(), "consent", &c.id.to_string(), 10).unwrap();
    assert_eq!(log.len(), 4, "create, requested, consented, closed");
    // A change notice or an in-ward facility never waits.
    let change = application(&store, fid, "change", "32", "2025-05-01");
    assert_eq!(decision_blocker(store.conn(), change).unwrap(), None);
    let inward = facility(&mut store, 2, WARD_CODE);
    let app2 = application(&store, inward, "new", "32", "2025-05-01");
    assert_eq!(decision_blocker(store.conn(), app2).unwrap(), None);
}

#[test]
fn a_refusal_blocks_and_a_withdrawn_request_does_not_count() {
    let mut store = Store::open_in_memory().unwrap();
    let fid = facility(&mut store, 1, "131130");
    let app = application(&store, fid, "new", "32", "2025-05-01");
    let c = outgoing(&mut store, Some(app), fid, "131130");
    let c = step(&mut store, &c, ConsentStatus::Requested, "");
    let err = transition(
        &mut store,
        &reviewer(),
        c.id,
        c.version,
        ConsentStatus::Refused,
        " ",
        d(2025, 3, 2),
    )
    .unwrap_err();
    assert!(err.message(true).contains("理由"), "{}", err.message(true));
    let r = step(
        &mut store,
        &c,
        ConsentStatus::Refused,
        "定員に空きがないため",
    );
    assert_eq!(r.outcome, Some(Outcome::Refused));
    assert_eq!(
        decision_blocker(store.conn(), app).unwrap(),
        Some(Blocker::Refused { consent_id: c.id })
    );
    let second = outgoing(&mut store, Some(app), fid, "131130");
    step(&mut store, &second, ConsentStatus::Withdrawn, "本人が辞退");
    assert_eq!(
        decision_blocker(store.conn(), app).unwrap(),
        Some(Blocker::Refused { consent_id: c.id })
    );
}

#[test]
fn a_matching_prior_consent_unblocks_but_not_expired_other_direction_or_excluded() {
    let on = "2025-05-01";
    for (direction, to, excluded, service, blocked) in [
        (Direction::Outgoing, None, "", "32", false),
        (
            Direction::Outgoing,
            Some(d(2027, 3, 31)),
            "73,77",
            "32",
            false,
        ),
        (Direction::Outgoing, Some(d(2025, 3, 31)), "", "32", true),
        (Direction::Incoming, None, "", "32", true),
        (Direction::Outgoing, None, "32,73,77", "32", true),
    ] {
        let mut store = Store::open_in_memory().unwrap();
        let fid = facility(&mut store, 1, "131130");
        let app = application(&store, fid, "renewal", service, on);
        prior(&mut store, direction, to, excluded);
        assert_eq!(
            decision_blocker(store.conn(), app).unwrap().is_some(),
            blocked,
            "{direction:?} {to:?} {excluded}"
        );
    }
}

#[test]
fn renewal_creates_follow_up_requests_for_residents_still_using_the_facility() {
    let mut store = Store::open_in_memory().unwrap();
    let fid = facility(&mut store, 1, "131130");
    let first = application(&store, fid, "new", "32", "2019-04-01");
    let mut ids = Vec::new();
    for (i, number) in ["0000000001", "0000000002", "0000000003"]
        .iter()
        .enumerate()
    {
        let mut p = person();
        p.insured_number = number.to_string();
        p.name = format!("利用 者{i}");
        let c = create_outgoing(
            &mut store,
            &reviewer(),
            &OutgoingInput {
                application_id: Some(first),
                facility_id: Some(fid),
                municipality_code: "131130".into(),
                service_code: "32".into(),
                person: p,
                ..Default::default()
            },
        )
        .unwrap();
        let c = step(&mut store, &c, ConsentStatus::Requested, "");
        ids.push(step(&mut store, &c, ConsentStatus::Consented, ""));
    }
    // The second resident left the facility; the third's request was refused.
    end_use(
        &mut store,
        &reviewer(),
        ids[1].id,
        ids[1].version,
        d(2024, 12, 31),
    )
    .unwrap()
    .unwrap();
    let renewal = application(&store, fid, "renewal", "32", "2026-04-01");
    let created = create_renewal_requests(&mut store, &reviewer(), renewal).unwrap();
    assert_eq!(created.len(), 2, "{created:?}");
    let rows = cs::list(
        store.conn(),
        &crate::domain::consent_view::ConsentFilter {
            application_id: Some(renewal),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(rows.len(), 2);
    assert!(
        rows.iter()
            .all(|r| r.status == ConsentStatus::Draft && r.facility_id == Some(fid))
    );
    let detail = cs::detail(store.conn(), created[0]).unwrap().unwrap();
    assert_eq!(detail.renewal_of, Some(ids[0].id));
    assert_eq!(detail.person.insured_number, "0000000001");
    // The renewal now waits for these requests; running it again creates nothing.
    assert!(matches!(
        decision_blocker(store.conn(), renewal).unwrap(),
        Some(Blocker::Pending { .. })
    ));
    assert!(
        create_renewal_requests(&mut store, &reviewer(), renewal)
            .unwrap()
            .is_empty()
    );
    assert!(
        create_renewal_requests(&mut store, &reviewer(), first).is_err(),
        "not a renewal"
    );
}

#[test]
fn municipality_codes_are_checked_and_unknown_names_typed_once() {
    let mut store = Store::open_in_memory().unwrap();
    let fid = facility(&mut store, 1, "131130");
    let mut input = OutgoingInput {
        facility_id: Some(fid),
        municipality_code: "131131".into(),
        service_code: "32".into(),
        person: person(),
        ..Default::default()
    };
    let err = create_outgoing(&mut store, &reviewer(), &input).unwrap_err();
    assert_eq!(
        err.message(true),
        "地方公共団体コードのチェックディジットが違います（正しくは 0）"
    );
    assert_eq!(
        err.message(false),
        "the municipality code's check digit is wrong (should be 0)"
    );
    // 札幌市 is valid but not in the Tokyo reference data: its name is asked for once.
    input.municipality_code = "011002".into();
    input.facility_id = None;
    input.facility_name = "グループホーム札幌".into();
    let err = create_outgoing(&mut store, &reviewer(), &input).unwrap_err();
    assert!(
        err.message(true).contains("011002") && err.message(true).contains("名称を一度入力"),
        "{}",
        err.message(true)
    );
    assert!(register_municipality(&mut store, &reviewer(), "011002", "Sapporo", "").is_err());
    assert!(
        register_municipality(
            &mut store,
            &actor("v", Role::Viewer),
            "011002",
            "札幌市",
            ""
        )
        .is_err()
    );
    let m = register_municipality(
        &mut store,
        &reviewer(),
        "０１１００２",
        "札幌市",
        "サッポロシ",
    )
    .unwrap();
    assert!(m.local);
    assert!(
        register_municipality(&mut store, &reviewer(), "011002", "札幌市", "").is_err(),
        "known now"
    );
    let row = create_outgoing(&mut store, &reviewer(), &input).unwrap();
    assert_eq!(row.municipality_name, "札幌市");
    let log = audit::for_object(store.conn(), "municipality", "011002", 5).unwrap();
    assert_eq!(log[0].entry.action, "municipality.add");
    // A facility in another municipality than the one asked is refused.
    input.facility_id = Some(fid);
    let err = create_outgoing(&mut store, &reviewer(), &input).unwrap_err();
    assert!(
        err.message(true).contains("131130"),
        "{}",
        err.message(true)
    );
}

#[test]
fn prior_consents_are_the_approvers_and_audited_with_changed_fields() {
    let mut store = Store::open_in_memory().unwrap();
    let input = PriorInput {
        municipality_code: "131130".into(),
        direction: Some(Direction::Outgoing),
        valid_from: Some(d(2024, 4, 1)),
        valid_to: None,
        excluded_services: "32,73".into(),
        note: String::new(),
    };
    assert!(matches!(
        add_prior(&mut store, &reviewer(), &input),
        Err(ServiceError::Denied(_))
    ));
    let bad = PriorInput {
        excluded_services: "32,GH".into(),
        ..input.clone()
    };
    assert!(matches!(
        add_prior(&mut store, &approver(), &bad),
        Err(ServiceError::Invalid(_))
    ));
    let row = add_prior(&mut store, &approver(), &input).unwrap();
    assert_eq!(row.excluded_services, vec!["32", "73"]);
    let edited = PriorInput {
        excluded_services: "32,73,77".into(),
        ..input.clone()
    };
    let after = update_prior(&mut store, &approver(), row.id, row.version, &edited)
        .unwrap()
        .unwrap();
    assert_eq!(after.version, row.version + 1);
    let stale = update_prior(&mut store, &approver(), row.id, row.version, &input)
        .unwrap()
        .unwrap_err();
    assert_eq!(stale.current.excluded_services, vec!["32", "73", "77"]);
    let log = audit::for_object(store.conn(), "prior_consent", &row.id.to_string(), 5).unwrap();
    assert_eq!(log.len(), 2);
    assert_eq!(
        log.iter()
            .find(|r| r.entry.action == "prior_consent.update")
            .unwrap()
            .entry
            .fields,
        vec!["excluded_services"]
    );
    assert!(set_reminder_days(&mut store, &reviewer(), 21).is_err());
    set_reminder_days(&mut store, &approver(), 21).unwrap();
    assert_eq!(reminder_days(store.conn()), 21);
}

#[test]
fn viewers_cannot_act_and_stale_versions_conflict() {
    let mut store = Store::open_in_memory().unwrap();
    let fid = facility(&mut store, 1, "131130");
    let c = outgoing(&mut store, None, fid, "131130");
    let v = actor("v", Role::Viewer);
    assert!(matches!(
        transition(
            &mut store,
            &v,
            c.id,
            c.version,
            ConsentStatus::Requested,
            "",
            d(2025, 1, 1)
        ),
        Err(ServiceError::Denied(_))
    ));
    step(&mut store, &c, ConsentStatus::Requested, "");
    let conflict = transition(
        &mut store,
        &reviewer(),
        c.id,
        c.version,
        ConsentStatus::Withdrawn,
        "x",
        d(2025, 1, 1),
    )
    .unwrap()
    .unwrap_err();
    assert_eq!(conflict.current.status, ConsentStatus::Requested);
    let bad = transition(
        &mut store,
        &reviewer(),
        c.id,
        c.version + 1,
        ConsentStatus::Closed,
        "",
        d(2025, 1, 1),
    )
    .unwrap_err();
    assert!(
        bad.message(true).contains("依頼済"),
        "{}",
        bad.message(true)
    );
    let hostile = transition(
        &mut store,
        &reviewer(),
        c.id,
        c.version + 1,
        ConsentStatus::Refused,
        "理由\u{1b}[2J",
        d(2025, 1, 1),
    );
    assert!(matches!(hostile, Err(ServiceError::Invalid(_))));
}

#[test]
fn the_case_is_masked_until_revealed_with_a_reason() {
    let mut store = Store::open_in_memory().unwrap();
    let fid = facility(&mut store, 1, "131130");
    let c = outgoing(&mut store, None, fid, "131130");
    let now = Utc::now();
    let view = case_view(store.conn(), "k001", c.id, now).unwrap().unwrap();
    assert_eq!(view.person.name, "山田 ＊＊");
    assert_eq!(view.person.insured_number, "******6789");
    assert_eq!(view.person.dob, "1940-**-**");
    assert_eq!(view.detail.row.person_name, "山田 ＊＊");
    assert_eq!(
        view.detail.person,
        InsuredPerson::default(),
        "no raw data in a masked view"
    );
    let mut rows = cs::list(store.conn(), &Default::default()).unwrap();
    mask_rows(store.conn(), "k001", &mut rows, now);
    assert_eq!(rows[0].person_name, "山田 ＊＊");
    super::super::privacy::reveal(
        &mut store,
        &reviewer(),
        "consent",
        &c.id.to_string(),
        "電話で本人確認",
        10,
    )
    .unwrap();
    let view = case_view(store.conn(), "k001", c.id, Utc::now())
        .unwrap()
        .unwrap();
    assert!(view.person.revealed);
    assert_eq!(
        (view.person.name.as_str(), view.person.dob.as_str()),
        ("山田 太郎", "1940-05-03")
    );
    let other = case_view(store.conn(), "k002", c.id, Utc::now())
        .unwrap()
        .unwrap();
    assert_eq!(other.person.name, "山田 ＊＊");
}

#[test]
fn incoming_requests_are_checked_answered_and_replied_to() {
    let mut store = Store::open_in_memory().unwrap();
    let ours = facility(&mut store, 1, WARD_CODE);
    let outside = facility(&mut store, 2, "131130");
    let input = IncomingInput {
        municipality_code: "131130".into(),
        facility_id: outside,
        service_code: "32".into(),
        received_on: Some(d(2025, 3, 1)),
        document_ref: "渋谷区介保発第300号".into(),
        person: person(),
        ..Default::default()
    };
    assert!(
        record_incoming(&mut store, &reviewer(), &input).is_err(),
        "not a ward facility"
    );
    let c = record_incoming(
        &mut store,
        &reviewer(),
        &IncomingInput {
            facility_id: ours,
            ..input.clone()
        },
    )
    .unwrap();
    assert_eq!(c.status, ConsentStatus::Received);
    assert_eq!(check_incoming(store.conn(), c.id).unwrap(), Vec::new());
    let late = record_incoming(
        &mut store,
        &reviewer(),
        &IncomingInput {
            facility_id: ours,
            service_code: "78".into(),
            person: InsuredPerson {
                service_start_on: Some(d(2026, 5, 1)),
                ..person()
            },
            ..input.clone()
        },
    )
    .unwrap();
    assert_eq!(
        check_incoming(store.conn(), late.id).unwrap(),
        vec![IncomingCheck::NotDesignated {
            service_code: "78".into()
        }]
    );
    prior(&mut store, Direction::Incoming, None, "");
    assert!(matches!(
        check_incoming(store.conn(), c.id).unwrap()[..],
        [IncomingCheck::CoveredByPriorConsent { .. }]
    ));
    let dir = tempfile::tempdir().unwrap();
    let letters = dir.path().join("letters");
    // No reply before the answer.
    let early = super::super::consent_letters::write_letter(
        &mut store,
        &reviewer(),
        c.id,
        crate::domain::consent::LetterKind::Consent,
        &letters,
        d(2025, 3, 3),
    );
    assert!(early.is_err());
    let answered = step(&mut store, &c, ConsentStatus::Refused, "定員超過のため");
    let w = super::super::consent_letters::write_letter(
        &mut store,
        &reviewer(),
        answered.id,
        crate::domain::consent::LetterKind::Refusal,
        &letters,
        d(2025, 3, 3),
    )
    .unwrap();
    let text = std::fs::read_to_string(&w.text).unwrap();
    assert!(
        text.contains("不同意回答書")
            && text.contains("定員超過のため")
            && text.contains("渋谷区長 様"),
        "{text}"
    );
    let html = std::fs::read_to_string(&w.html).unwrap();
    assert!(html.contains("size: A4") && html.contains("山田 太郎"));
    let detail = cs::detail(store.conn(), c.id).unwrap().unwrap();
    assert_eq!(detail.documents.len(), 1);
    assert_eq!(detail.documents[0].html_path, w.html.display().to_string());
    assert_eq!(detail.events.len(), 2);
    let log = audit::for_object(store.conn(), "consent", &c.id.to_string(), 5).unwrap();
    assert!(log.iter().any(|r| r.entry.action == "consent.letter"));
}

#[test]
fn an_outgoing_request_letter_names_the_person_and_the_reply_date() {
    let mut store = Store::open_in_memory().unwrap();
    let fid = facility(&mut store, 1, "131130");
    let c = outgoing(&mut store, None, fid, "131130");
    let c = step(&mut store, &c, ConsentStatus::Requested, "");
    let r = super::super::consent_letters::render(
        &store,
        c.id,
        crate::domain::consent::LetterKind::Request,
        d(2025, 3, 1),
    )
    .unwrap();
    assert!(
        r.text.contains("同意依頼書")
            && r.text.contains("0123456789")
            && r.text.contains("家族の住まいに近いため"),
        "{}",
        r.text
    );
    assert!(r.text.contains("渋谷区長 様"), "{}", r.text);
    assert!(r.html.contains("<h1>同意依頼書</h1>"), "{}", r.html);
    assert!(
        r.text.contains("要介護2"),
        "the care level in words:\n{}",
        r.text
    );
    // Written again long after its reminder date, it asks for an answer after its own
    // date, not before it.
    let late = super::super::consent_letters::render(
        &store,
        c.id,
        crate::domain::consent::LetterKind::Request,
        d(2031, 6, 1),
    )
    .unwrap();
    assert!(late.text.contains("回答は 令和13年6月"), "{}", late.text);
}

#[test]
fn queue_filters_counts_and_search() {
    let mut store = Store::open_in_memory().unwrap();
    let fid = facility(&mut store, 1, "131130");
    let a = outgoing(&mut store, None, fid, "131130");
    let a = step(&mut store, &a, ConsentStatus::Requested, "");
    outgoing(&mut store, None, fid, "131130");
    let ours = facility(&mut store, 2, WARD_CODE);
    record_incoming(
        &mut store,
        &reviewer(),
        &IncomingInput {
            municipality_code: "131148".into(),
            facility_id: ours,
            service_code: "32".into(),
            person: person(),
            ..Default::default()
        },
    )
    .unwrap();
    use crate::domain::consent_view::ConsentFilter;
    let all = cs::list(store.conn(), &ConsentFilter::default()).unwrap();
    assert_eq!(all.len(), 3);
    let out = ConsentFilter {
        direction: Some(Direction::Outgoing),
        ..Default::default()
    };
    assert_eq!(cs::count(store.conn(), &out).unwrap(), 2);
    let overdue = ConsentFilter {
        overdue_on: Some(a.due_on.unwrap() + chrono::Duration::days(1)),
        ..Default::default()
    };
    assert_eq!(
        cs::list(store.conn(), &overdue)
            .unwrap()
            .iter()
            .map(|r| r.id)
            .collect::<Vec<_>>(),
        vec![a.id]
    );
    let nakano = ConsentFilter {
        search: Some("中野".into()),
        ..Default::default()
    };
    assert_eq!(cs::count(store.conn(), &nakano).unwrap(), 1);
    let by_name = ConsentFilter {
        search: Some("山田".into()),
        ..Default::default()
    };
    assert_eq!(
        cs::count(store.conn(), &by_name).unwrap(),
        0,
        "no search on personal data"
    );
    let counts = cs::counts(
        store.conn(),
        Some(Direction::Outgoing),
        a.due_on.unwrap() + chrono::Duration::days(1),
    )
    .unwrap();
    assert_eq!((counts.total, counts.open, counts.overdue), (2, 2, 1));
    assert_eq!(cs::municipalities(store.conn()).unwrap().len(), 62);
}

#[test]
fn an_outgoing_request_needs_a_reason_and_a_birth_date_in_the_past() {
    let mut store = Store::open_in_memory().unwrap();
    let fid = facility(&mut store, 1, "131130");
    let with = |person: InsuredPerson| OutgoingInput {
        facility_id: Some(fid),
        municipality_code: "131130".into(),
        service_code: "32".into(),
        person,
        ..Default::default()
    };
    let no_reason = InsuredPerson {
        reason: " ".into(),
        ..person()
    };
    let e = create_outgoing(&mut store, &reviewer(), &with(no_reason)).unwrap_err();
    assert!(e.message(true).contains("理由書"), "{}", e.message(true));
    let unborn = InsuredPerson {
        dob: Some(crate::clock::today() + chrono::Duration::days(400)),
        ..person()
    };
    let e = create_outgoing(&mut store, &reviewer(), &with(unborn)).unwrap_err();
    assert!(
        e.message(true).contains("今日より後"),
        "{}",
        e.message(true)
    );
    let n: i64 = store
        .conn()
        .query_row("SELECT count(*) FROM consent_request", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 0, "nothing written");
    assert!(create_outgoing(&mut store, &reviewer(), &with(person())).is_ok());
}
