//! Demo data tests: determinism, sizes, validity of identifiers, and the situations the
//! demo must show (expiring designations, overdue meetings, every workflow state).

use super::*;
use crate::domain::ids::{validate_corporate_number, validate_provider_number};
use crate::store::facilities::{self, ListQuery};
use chrono::Months;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 6, 15).unwrap()
}

fn build(n: usize, seed: u64) -> (Store, DemoSummary) {
    let mut store = Store::open_in_memory().unwrap();
    let opts = DemoOptions {
        facilities: n,
        seed,
        today: today(),
    };
    let summary = generate(&mut store, &opts, &mut |_, _| {}).unwrap();
    (store, summary)
}

fn strings(store: &Store, sql: &str) -> Vec<String> {
    let mut st = store.conn().prepare(sql).unwrap();
    st.query_map([], |r| r.get::<_, String>(0))
        .unwrap()
        .map(|r| r.unwrap())
        .collect()
}

fn count(store: &Store, sql: &str) -> i64 {
    store.conn().query_row(sql, [], |r| r.get(0)).unwrap()
}

const DUMP: &str =
    "SELECT provider_number || '|' || name || '|' || name_kana || '|' || address || '|' || phone
    || '|' || services || '|' || next_expiry || '|' || next_meeting_due FROM facility ORDER BY id";

#[test]
fn same_seed_same_rows_other_seed_other_rows() {
    let (a, _) = build(120, 7);
    let (b, _) = build(120, 7);
    let (c, _) = build(120, 8);
    assert_eq!(strings(&a, DUMP), strings(&b, DUMP));
    assert_ne!(strings(&a, DUMP), strings(&c, DUMP));
    let staff = "SELECT name || dob FROM staff_member ORDER BY id";
    assert_eq!(strings(&a, staff), strings(&b, staff));
}

#[test]
fn default_ledger_is_valid_and_shows_the_interesting_cases() {
    let (store, s) = build(DEFAULT_FACILITIES, 1);
    assert_eq!(count(&store, "SELECT count(*) FROM facility"), 366);
    assert_eq!(s.facilities, 366);
    for n in strings(&store, "SELECT provider_number FROM facility") {
        assert_eq!(validate_provider_number(&n), Ok(()), "{n}");
    }
    for n in strings(&store, "SELECT corporate_number FROM corporation") {
        assert_eq!(validate_corporate_number(&n), Ok(()), "{n}");
    }
    let staff = count(&store, "SELECT count(*) FROM staff_member");
    assert!((1_800..=2_300).contains(&staff), "{staff} staff");
    assert_eq!(usize::try_from(staff).unwrap(), s.staff);
    let c = store.conn();
    let horizon = today().checked_add_months(Months::new(3)).unwrap();
    let expiring = facilities::count(
        c,
        &ListQuery {
            expiring_by: Some(horizon),
            today: Some(today()),
            ..ListQuery::default()
        },
        100_000,
    )
    .unwrap();
    assert!((5..=40).contains(&expiring), "{expiring} expiring");
    let overdue = facilities::count(
        c,
        &ListQuery {
            meeting_overdue_on: Some(today()),
            ..ListQuery::default()
        },
        100_000,
    )
    .unwrap();
    assert!((10..=60).contains(&overdue), "{overdue} overdue");
    let bad_mail = count(
        &store,
        "SELECT count(*) FROM facility WHERE email <> '' AND email NOT LIKE '%@example.jp'",
    );
    assert_eq!(bad_mail, 0);
    assert_eq!(count(&store, "SELECT count(*) FROM user_account"), 5);
    assert!(meta::is_demo(c).unwrap());
}

#[test]
fn summary_matches_refresh_summary() {
    let (mut store, _) = build(60, 3);
    let before = strings(&store, DUMP);
    let ids: Vec<i64> = {
        let mut st = store.conn().prepare("SELECT id FROM facility").unwrap();
        st.query_map([], |r| r.get(0))
            .unwrap()
            .map(|r| r.unwrap())
            .collect()
    };
    store
        .write(|tx| {
            for id in &ids {
                facilities::refresh_summary(tx, *id)?;
            }
            Ok(())
        })
        .unwrap();
    assert_eq!(before, strings(&store, DUMP));
}

/// application id, status, event from, to, reason, actor, keyed_by, reviewed_by, decided_by
type EventRow = (
    i64,
    String,
    Option<String>,
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
);

#[test]
fn applications_cover_every_kind_and_status_with_consistent_history() {
    use crate::domain::application::{ApplicationKind, ApplicationStatus, check_transition};
    let (store, s) = build(DEFAULT_FACILITIES, 1);
    assert_eq!(count(&store, "SELECT count(*) FROM application"), 60);
    assert_eq!(s.applications, 60);
    let kinds = strings(&store, "SELECT DISTINCT kind FROM application");
    for k in ApplicationKind::ALL {
        assert!(kinds.iter().any(|x| x == k.code()), "no {k:?}");
    }
    let statuses = strings(&store, "SELECT DISTINCT status FROM application");
    for st in ApplicationStatus::ALL {
        assert!(statuses.iter().any(|x| x == st.code()), "no {st:?}");
    }
    let mut st = store
        .conn()
        .prepare(
            "SELECT a.id, a.status, e.from_status, e.to_status, e.reason, e.actor, a.keyed_by,
                a.reviewed_by, a.decided_by
             FROM application a JOIN application_event e ON e.application_id = a.id
             ORDER BY a.id, e.id",
        )
        .unwrap();
    let rows: Vec<EventRow> = st
        .query_map([], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
                r.get(7)?,
                r.get(8)?,
            ))
        })
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    assert_eq!(rows.len(), s.application_events);
    for (k, (id, status, from, to, reason, actor, keyed, reviewed, decided)) in
        rows.iter().enumerate()
    {
        assert!(!actor.is_empty());
        let to_s = ApplicationStatus::from_code(to).unwrap();
        match from {
            None => assert_eq!(to_s, ApplicationStatus::Submitted),
            Some(f) => {
                let f = ApplicationStatus::from_code(f).unwrap();
                assert_eq!(
                    check_transition(f, to_s, reason),
                    Ok(()),
                    "application {id}"
                );
            }
        }
        if rows.get(k + 1).is_none_or(|next| next.0 != *id) {
            assert_eq!(to, status, "application {id} ends in its status");
        }
        if decided.is_some() {
            assert_ne!(Some(keyed), decided.as_ref(), "approver keyed {id}");
            assert_ne!(reviewed, decided, "approver reviewed {id}");
        }
    }
    let overdue = count(
        &store,
        "SELECT count(*) FROM application WHERE status NOT IN ('notified','withdrawn','rejected')
         AND due_on < '2025-06-15'",
    );
    assert!(overdue > 0, "no overdue open applications");
}

#[test]
fn consents_both_directions_every_status_and_office_records() {
    use crate::domain::consent::ConsentStatus;
    use crate::domain::model::is_care_level_code;
    let (store, s) = build(DEFAULT_FACILITIES, 1);
    assert_eq!(s.consents, 25);
    assert_eq!(count(&store, "SELECT count(*) FROM consent_request"), 25);
    assert_eq!(count(&store, "SELECT count(*) FROM insured_person"), 25);
    for dir in ["outgoing", "incoming"] {
        let n = count(
            &store,
            &format!("SELECT count(*) FROM consent_request WHERE direction = '{dir}'"),
        );
        assert!(n >= 10, "{dir}: {n}");
    }
    let statuses = strings(&store, "SELECT DISTINCT status FROM consent_request");
    for st in ConsentStatus::ALL {
        assert!(statuses.iter().any(|x| x == st.code()), "no {st:?}");
    }
    assert_eq!(
        count(
            &store,
            "SELECT count(*) FROM consent_request WHERE municipality_code = '131041'"
        ),
        0
    );
    for n in strings(&store, "SELECT provider_number FROM consent_request") {
        assert_eq!(validate_provider_number(&n), Ok(()), "{n}");
    }
    for level in strings(&store, "SELECT care_level FROM insured_person") {
        assert!(is_care_level_code(&level), "{level}");
    }
    for n in strings(&store, "SELECT insured_number FROM insured_person") {
        assert_eq!(n.len(), 10);
    }
    assert_eq!(count(&store, "SELECT count(*) FROM prior_consent"), 4);
    assert_eq!(s.prior_consents, 4);
    assert_eq!(
        count(
            &store,
            "SELECT count(*) FROM prior_consent WHERE excluded_services = '32,73,77'"
        ),
        1
    );
    assert_eq!(
        count(
            &store,
            "SELECT count(*) FROM checklist_audit WHERE signed_at IS NOT NULL"
        ),
        9,
        "one per connection and side, and the superseded 電子申請 ward audit"
    );
    assert_eq!(
        count(
            &store,
            "SELECT count(*) FROM checklist_audit WHERE signed_at IS NULL"
        ),
        1
    );
    assert_eq!(
        count(
            &store,
            "SELECT count(*) FROM checklist_mark m JOIN checklist_audit a ON a.id = m.audit_id
             WHERE a.signed_at IS NOT NULL"
        ),
        9 * 16
    );
    let gaps = crate::store::checklist_audit::open_gaps(store.conn()).unwrap();
    assert!((1..=3).contains(&gaps.len()), "{} gaps", gaps.len());
    assert_eq!(
        meta::get(store.conn(), "demo_seed").unwrap().as_deref(),
        Some("1")
    );
}

/// Issue 15: out-of-ward facilities in the ledger, applications waiting on (or freed by)
/// their linked consents, residents using a consented facility, prior consents both ways,
/// and a history for every case — all agreeing with the service's own rules.
#[test]
fn out_of_ward_consents_agree_with_the_gate_and_the_ledger() {
    use crate::domain::consent::{Blocker, ConsentStatus, Direction, WARD_CODE};
    use crate::service::consents::decision_blocker;
    use crate::store::consents as cs;
    let (store, _) = build(DEFAULT_FACILITIES, 1);
    let conn = store.conn();
    let outside = count(
        &store,
        &format!("SELECT count(*) FROM facility WHERE municipality_code <> '{WARD_CODE}'"),
    );
    assert!(
        (1..=4).contains(&outside),
        "{outside} out-of-ward facilities"
    );
    for n in strings(&store, "SELECT provider_number FROM facility") {
        assert_eq!(validate_provider_number(&n), Ok(()), "{n}");
    }
    // Each outgoing request names a facility in the municipality it was sent to; each
    // incoming one a ward facility.
    assert_eq!(
        count(
            &store,
            "SELECT count(*) FROM consent_request c JOIN facility f ON f.id = c.facility_id
             WHERE (c.direction = 'outgoing' AND (f.municipality_code <> c.municipality_code OR f.municipality_code = '131041'))
                OR (c.direction = 'incoming' AND f.municipality_code <> '131041')"
        ),
        0
    );
    // The gate on every open application agrees with what the demo linked.
    let linked = strings(
        &store,
        "SELECT a.id || ':' || c.status FROM application a JOIN consent_request c ON c.application_id = a.id ORDER BY a.id",
    );
    assert!(linked.len() >= 3, "{linked:?}");
    let mut seen = Vec::new();
    for pair in &linked {
        let (app, status) = pair.split_once(':').unwrap();
        let app: i64 = app.parse().unwrap();
        let blocker = decision_blocker(conn, app).unwrap();
        match ConsentStatus::from_code(status).unwrap() {
            ConsentStatus::Requested => {
                assert!(matches!(blocker, Some(Blocker::Pending { .. })), "{pair}")
            }
            ConsentStatus::Refused => {
                assert!(matches!(blocker, Some(Blocker::Refused { .. })), "{pair}")
            }
            ConsentStatus::Consented | ConsentStatus::Waived => assert_eq!(blocker, None, "{pair}"),
            other => panic!("unexpected linked status {other:?}"),
        }
        seen.push(status.to_string());
    }
    assert!(
        seen.contains(&"requested".to_string()) && seen.contains(&"consented".to_string()),
        "{seen:?}"
    );
    // No other open renewal/new application of an out-of-ward facility is left unexplained.
    let unexplained = strings(
        &store,
        "SELECT CAST(a.id AS TEXT) FROM application a JOIN facility f ON f.id = a.facility_id
         WHERE f.municipality_code <> '131041' AND a.kind IN ('new','renewal')
           AND a.status IN ('submitted','accepted','under_review','returned')
           AND a.id NOT IN (SELECT application_id FROM consent_request WHERE application_id IS NOT NULL)",
    );
    assert!(
        unexplained.is_empty(),
        "out of ward without a consent: {unexplained:?}"
    );
    // Residents still using the consented facility (one has stopped).
    let consented_facility: i64 = conn
        .query_row(
            "SELECT facility_id FROM consent_request WHERE application_id IS NOT NULL AND status = 'consented'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let users = cs::current_users(conn, consented_facility, today()).unwrap();
    assert!(users.len() >= 2, "{users:?}");
    assert_eq!(
        count(
            &store,
            "SELECT count(*) FROM consent_request WHERE use_ended_on IS NOT NULL"
        ),
        1
    );
    // Outcomes agree with statuses; prior consents both ways; a withdrawn case; histories.
    assert_eq!(
        count(
            &store,
            "SELECT count(*) FROM consent_request WHERE
               (status IN ('consented','refused','waived') AND outcome <> status)
            OR (status IN ('draft','requested','received','withdrawn') AND outcome <> '')"
        ),
        0
    );
    for dir in [Direction::Outgoing, Direction::Incoming] {
        assert!(
            !cs::prior_consents(conn, Some(dir)).unwrap().is_empty(),
            "{dir:?}"
        );
    }
    assert_eq!(
        count(
            &store,
            "SELECT count(*) FROM consent_request WHERE status = 'withdrawn'"
        ),
        1
    );
    assert_eq!(
        count(
            &store,
            "SELECT count(*) FROM consent_request c WHERE NOT EXISTS
               (SELECT 1 FROM consent_event e WHERE e.consent_request_id = c.id AND e.to_status = c.status)"
        ),
        0
    );
    // Every open outgoing request not covered by a prior consent is needed; every
    // waived one is covered.
    for r in cs::list(conn, &Default::default()).unwrap() {
        if r.direction != Direction::Outgoing || r.status != ConsentStatus::Waived {
            continue;
        }
        let prior: Vec<_> = cs::prior_with(conn, &r.municipality_code)
            .unwrap()
            .iter()
            .map(|p| p.rule())
            .collect();
        assert!(
            !crate::domain::consent::request_needed(
                &prior,
                Direction::Outgoing,
                &r.municipality_code,
                &r.service_code,
                r.requested_on.unwrap()
            ),
            "waived case {} is not covered",
            r.id
        );
    }
}

#[test]
fn empty_and_tiny_ledgers_work() {
    let (store, s) = build(0, 1);
    assert_eq!(s.facilities, 0);
    assert_eq!(count(&store, "SELECT count(*) FROM facility"), 0);
    let (store, _) = build(5, 2);
    assert_eq!(count(&store, "SELECT count(*) FROM facility"), 5);
    assert_eq!(
        count(&store, "SELECT count(DISTINCT status) FROM application"),
        crate::domain::application::ApplicationStatus::ALL.len() as i64
    );
}

/// `cargo test --release --lib demo::tests::bench_100k -- --ignored --nocapture`
#[test]
#[ignore = "benchmark: run in release"]
fn bench_100k() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::create(&dir.path().join("bench.db")).unwrap();
    let opts = DemoOptions {
        facilities: 100_000,
        seed: 1,
        today: today(),
    };
    let start = std::time::Instant::now();
    let s = generate(&mut store, &opts, &mut |done, total| {
        eprintln!("{done}/{total} {:?}", start.elapsed());
    })
    .unwrap();
    eprintln!("100k facilities in {:?}: {s:?}", start.elapsed());
}

/// One person, one set of facts: the 管理者 on 従事者 is the manager on 基本情報.
#[test]
fn the_manager_has_one_birth_date_and_address() {
    for seed in [1, 20240301] {
        let (store, _) = build(DEFAULT_FACILITIES, seed);
        let mismatched = count(
            &store,
            "SELECT count(*) FROM facility f JOIN staff_member s ON s.facility_id = f.id
             WHERE s.name = f.manager_name
               AND (s.dob IS NOT f.manager_dob OR s.address <> f.manager_address)",
        );
        assert_eq!(mismatched, 0, "seed {seed}");
        let managers = count(
            &store,
            "SELECT count(*) FROM facility f JOIN staff_member s ON s.facility_id = f.id
             WHERE s.job_title = '管理者' AND s.name = f.manager_name",
        );
        assert_eq!(
            managers, 366,
            "seed {seed}: every facility lists its manager"
        );
    }
}

/// id, status, received, due, event date, current_expiry, facility status, period end.
type RenewalRow = (i64, String, String, String, String, String, String, String);

/// A renewal is filed shortly before a real designation end, and that end is its deadline.
#[test]
fn renewals_are_due_on_the_facilitys_real_designation_end() {
    use crate::domain::designation::expiry;
    for seed in [1, 20240301] {
        let (store, _) = build(DEFAULT_FACILITIES, seed);
        let mut st = store
            .conn()
            .prepare(
                "SELECT a.id, a.status, a.received_on, a.due_on, a.event_date,
                        json_extract(a.payload, '$.current_expiry'), f.status,
                        (SELECT max(d.expires_on) FROM designation d WHERE d.facility_id = f.id)
                 FROM application a JOIN facility f ON f.id = a.facility_id
                 WHERE a.kind = 'renewal'",
            )
            .unwrap();
        let rows: Vec<RenewalRow> = st
            .query_map([], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                    r.get(7)?,
                ))
            })
            .unwrap()
            .map(|r| r.unwrap())
            .collect();
        assert!(rows.len() >= 12, "seed {seed}: {} renewals", rows.len());
        let date = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        for (id, status, received, due, event, current, f_status, expires) in rows {
            let what = format!("seed {seed} application {id} ({status})");
            assert_eq!(due, current, "{what}: deadline is not the designation end");
            assert_eq!(event, current, "{what}");
            assert_eq!(
                f_status, "active",
                "{what}: renewal for a facility not in business"
            );
            let (received, end, expires) = (date(&received), date(&current), date(&expires));
            assert!(
                end >= received && end <= received.checked_add_months(Months::new(4)).unwrap(),
                "{what}: received {received}, designation ends {end}"
            );
            let renewed = expiry(end.succ_opt().unwrap());
            assert!(
                expires == end || expires == renewed,
                "{what}: the ledger's period ends {expires}, the renewal says {end}"
            );
        }
    }
}

/// Each gap on a checklist carries a finding about that item, not another item's.
#[test]
fn checklist_gap_notes_fit_their_item() {
    let mut gaps = 0;
    for seed in [1, 2, 3, 4, 5, 20240301] {
        let (store, _) = build(20, seed);
        let mut st = store
            .conn()
            .prepare("SELECT item_no, note FROM checklist_mark WHERE mark = 'gap'")
            .unwrap();
        let rows: Vec<(i64, String)> = st
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(|r| r.unwrap())
            .collect();
        for (item, note) in rows {
            gaps += 1;
            assert!(
                office::gap_notes(item).contains(&note.as_str()),
                "seed {seed}: item {item} carries {note:?}"
            );
        }
    }
    assert!(gaps > 0);
    // Spot checks that the table itself matches the checklist's wording.
    assert!(
        office::gap_notes(3)
            .iter()
            .any(|n| n.contains("消去報告書"))
    );
    assert!(office::gap_notes(16).iter().all(|n| !n.contains("消去")));
    assert!(office::gap_notes(13).iter().any(|n| n.contains("ログ")));
}

/// The checklist demo agrees with itself: every signed audit has all 16 marks and was
/// signed by an approver after it started; each gap has an owner and a due date after
/// its audit; ー is used only on the ward's list for items 14–16 with a fitting reason;
/// the superseded audit is older than the one that replaced it; events back items 2–5;
/// the access log of last month was reviewed.
#[test]
fn checklist_demo_is_consistent() {
    use crate::domain::checklist::{Mark, Side};
    use crate::store::checklist_audit as ca;
    for seed in [1, 7, 20240301] {
        let (store, _) = build(20, seed);
        let c = store.conn();
        let matrix = ca::matrix(c, today(), 12).unwrap();
        assert_eq!(matrix.len(), 8);
        let mut superseding = 0;
        for row in &matrix {
            let last = row.last.as_ref().expect("every cell has a signed audit");
            assert_eq!(last.signed_by.as_deref(), Some("demo-approver"));
            assert!(last.signed_at.as_deref() > Some(last.started_at.as_str()));
            assert_eq!(last.marked, 16);
            assert!(!row.overdue, "signed within the last year");
            let d = ca::detail(c, last.id).unwrap().unwrap();
            for r in &d.rows {
                let what = format!(
                    "seed {seed} {} {:?} item {}",
                    row.connection.code, row.side, r.no
                );
                match r.mark {
                    Some(Mark::Gap) => {
                        assert!(!r.owner.is_empty(), "{what}");
                        let due = r.due_on.expect("gap has a due date");
                        assert!(due.to_string().as_str() > &last.started_at[..10], "{what}");
                        assert!(office::gap_notes(r.no).contains(&r.note.as_str()), "{what}");
                    }
                    Some(Mark::NotNeeded) => {
                        assert_eq!(row.side, Side::Ward, "{what}");
                        assert!(r.no >= 14, "{what}");
                        assert_eq!(r.note, office::not_needed_note(r.no), "{what}");
                    }
                    Some(Mark::Ok) => {
                        assert!(
                            !r.evidence.is_empty() && r.evidence_date.is_some(),
                            "{what}"
                        );
                        assert!(r.owner.is_empty() && r.due_on.is_none(), "{what}");
                    }
                    None => panic!("{what}: signed audit with an unmarked item"),
                }
            }
            if let Some(old) = last.supersedes {
                superseding += 1;
                let old = ca::header(c, old).unwrap().unwrap();
                assert!(old.signed_at < last.signed_at);
                assert_eq!(
                    (old.connection_code.as_str(), old.side),
                    (row.connection.code.as_str(), row.side)
                );
            }
        }
        assert_eq!(superseding, 1, "seed {seed}");
        let open: Vec<_> = matrix.iter().filter_map(|r| r.open.as_ref()).collect();
        assert_eq!(open.len(), 1);
        let resume = ca::detail(c, open[0].id).unwrap().unwrap().resume_at();
        assert_eq!(
            resume,
            Some(9),
            "the demo audit in progress resumes at item 9"
        );
        for code in office::CONNECTIONS {
            for e in ca::events(c, code, None).unwrap() {
                assert_eq!(
                    e.kind.item(),
                    match e.kind.code() {
                        "inspection" | "status_report" => 2,
                        "deletion_report" => 3,
                        "contacts_agreed" => 4,
                        _ => 5,
                    }
                );
                assert!(e.occurred_on <= today());
            }
        }
        let last_month = crate::domain::checklist::month_due_for_review(today());
        assert_eq!(
            ca::access_reviews(c, &last_month).unwrap().len(),
            1,
            "seed {seed}"
        );
    }
}
#[test]
fn guidance_due_dates_agree_with_the_records_and_the_plan_shows_the_year() {
    use crate::domain::guidance::{fiscal_year, fiscal_year_range};
    use crate::store::guidance;
    let (store, s) = build(DEFAULT_FACILITIES, 1);
    let c = store.conn();
    assert_eq!(
        usize::try_from(count(
            &store,
            "SELECT count(*) FROM guidance_visit WHERE held_on IS NOT NULL"
        ))
        .unwrap(),
        s.guidance_results
    );
    assert!(s.guidance_results > 150, "{} results", s.guidance_results);
    // The summary column is what the records and the intervals give.
    let mut st = c
        .prepare("SELECT id, next_guidance_due, status FROM facility ORDER BY id")
        .unwrap();
    let rows: Vec<(i64, String, String)> = st
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    for (id, due, status) in rows {
        let computed = guidance::status(c, id).unwrap().next_due;
        let stored = crate::store::date_opt(Some(due));
        assert_eq!(stored, computed, "facility {id}");
        if status == "closed" {
            assert_eq!(stored, None, "closed facility {id} is never due");
        }
    }
    let fy = fiscal_year(today());
    let plan = guidance::year_plan(c, fy, today()).unwrap();
    let counts = guidance::counts(c, today()).unwrap();
    assert_eq!(plan.total, counts.due_this_year);
    assert!(
        (40..=160).contains(&plan.total),
        "{} due this year",
        plan.total
    );
    assert!((5..=60).contains(&plan.overdue), "{} overdue", plan.overdue);
    assert_eq!(plan.overdue, counts.overdue);
    let planned = plan
        .months
        .iter()
        .flat_map(|(_, e)| e)
        .filter(|e| e.planned_on.is_some())
        .count();
    assert!(planned >= 10, "{planned} planned");
    let months_used = plan.months.iter().filter(|(_, e)| !e.is_empty()).count();
    assert!(months_used >= 8, "{months_used} months with visits");
    let (start, end) = fiscal_year_range(fy);
    for (month, entries) in &plan.months {
        for e in entries {
            assert_eq!(e.month, *month);
            assert!(e.month >= start && e.month <= end);
        }
    }
    // 改善報告: received between the visit and today; some still open, some overdue.
    assert_eq!(
        count(
            &store,
            "SELECT count(*) FROM guidance_visit WHERE improvement_received_on < held_on
               OR improvement_received_on > '2025-06-15' OR improvement_due_on < held_on
               OR held_on > '2025-06-15' OR planned_on <= '2025-06-15'"
        ),
        0
    );
    assert!(counts.improvement_overdue >= 1);
    assert!(
        count(
            &store,
            "SELECT count(*) FROM guidance_visit WHERE improvement_received_on IS NOT NULL"
        ) >= 10
    );
}

#[test]
fn meetings_have_their_services_kind_and_minutes_after_the_meeting() {
    use crate::store::meetings;
    let (store, _) = build(DEFAULT_FACILITIES, 1);
    let c = store.conn();
    assert_eq!(
        count(
            &store,
            "SELECT count(*) FROM council_meeting WHERE kind = ''"
        ),
        0
    );
    assert_eq!(
        count(
            &store,
            "SELECT count(*) FROM council_meeting WHERE minutes_received_on < held_on
               OR minutes_received_on > '2025-06-15' OR attendees NOT BETWEEN 1 AND 200"
        ),
        0
    );
    assert!(
        count(
            &store,
            "SELECT count(*) FROM council_meeting WHERE kind = '介護・医療連携推進会議'"
        ) > 0
    );
    let ids: Vec<i64> = {
        let mut st = c
            .prepare("SELECT DISTINCT facility_id FROM council_meeting")
            .unwrap();
        st.query_map([], |r| r.get(0))
            .unwrap()
            .map(|r| r.unwrap())
            .collect()
    };
    for id in ids {
        let kinds = meetings::required_kinds(c, id).unwrap();
        for m in meetings::list(c, id).unwrap() {
            // Closed facilities keep their meetings but hold no more.
            if !kinds.is_empty() {
                assert!(
                    kinds.iter().any(|k| k.label_ja() == m.fields.kind),
                    "facility {id}: {}",
                    m.fields.kind
                );
            }
        }
        // The list's overdue alert and the per-kind duty agree on a one-kind facility.
        let duties = meetings::duties(c, id).unwrap();
        if let [duty] = duties.as_slice() {
            let row = facilities::row(c, id).unwrap().unwrap();
            assert_eq!(row.next_meeting_due, duty.next_due, "facility {id}");
        }
    }
}

#[test]
fn history_values_match_the_rows_they_describe() {
    use crate::store::{change_history, people};
    let (store, s) = build(DEFAULT_FACILITIES, 1);
    let c = store.conn();
    let changed: Vec<i64> = {
        let mut st = c
            .prepare(
                "SELECT DISTINCT facility_id FROM facility_change WHERE cause_id = 'staff.update'",
            )
            .unwrap();
        st.query_map([], |r| r.get(0))
            .unwrap()
            .map(|r| r.unwrap())
            .collect()
    };
    assert!(changed.len() >= 5, "{} staff changes", changed.len());
    for id in changed {
        let lines = change_history::list(c, id, true, 200).unwrap();
        let addr = lines
            .iter()
            .find(|l| l.field == "staff.address")
            .expect("an address change");
        assert!(addr.personal && !addr.masked);
        let staff = people::staff(c, id, true).unwrap();
        assert!(
            staff
                .iter()
                .any(|m| Some(m.fields.address.as_str()) == addr.new_value.as_deref()),
            "facility {id}"
        );
        let masked = change_history::list(c, id, false, 200).unwrap();
        let m = masked.iter().find(|l| l.field == "staff.address").unwrap();
        assert!(
            m.masked
                && m.new_value
                    .as_deref()
                    .is_some_and(|v| v.ends_with("＊＊＊"))
        );
        assert_eq!(m.actor_name, "審査 デモ1");
    }
    // Same seed, same upkeep rows.
    let (again, s2) = build(DEFAULT_FACILITIES, 1);
    assert_eq!(s, s2);
    let q = "SELECT facility_id || coalesce(held_on, '') || coalesce(planned_on, '') || findings FROM guidance_visit ORDER BY id";
    assert_eq!(strings(&store, q), strings(&again, q));
}

/// The inbox agrees with the ledger: every open case could be decided as it stands
/// (old values are the ledger's, the facility is in the right state, the reviewed
/// version is current), every decided case left its history, both deadlines are set,
/// and the documents and notes belong to their case's kind.
#[test]
fn open_cases_fit_the_ledger_and_decided_ones_left_their_history() {
    use crate::domain::application::ApplicationStatus as S;
    use crate::domain::inbox::InboxQuery;
    use crate::store::inbox;
    for seed in [1, 20240301] {
        let (store, _) = build(DEFAULT_FACILITIES, seed);
        let c = store.conn();
        let page = inbox::list(c, &InboxQuery::default(), today(), 1000).unwrap();
        assert_eq!(page.total, 60);
        let mut open_checked = 0;
        for row in &page.rows {
            let what = format!(
                "seed {seed} application {} ({:?} {:?})",
                row.id, row.kind, row.status
            );
            assert!(
                row.process_due_on.is_some() && row.filing_due_on.is_some(),
                "{what}"
            );
            let detail = inbox::detail(c, row.id, today()).unwrap().unwrap();
            assert!(detail.payload.is_ok(), "{what}: {:?}", detail.payload);
            for d in &detail.diff {
                if row.status.is_open() && row.status != S::Decided {
                    assert_eq!(
                        d.current, d.at_intake,
                        "{what}: old value is not the ledger's"
                    );
                } else if matches!(row.status, S::Decided | S::Notified) {
                    assert_eq!(
                        d.current, d.requested,
                        "{what}: the ledger lacks the decided value"
                    );
                }
            }
            if matches!(
                row.status,
                S::Accepted | S::UnderReview | S::Resubmitted | S::Returned
            ) {
                assert!(detail.preview.is_ok(), "{what}: {:?}", detail.preview);
                open_checked += 1;
            }
            if matches!(row.status, S::Decided | S::Notified) {
                let fid = row
                    .facility_id
                    .unwrap_or_else(|| panic!("{what}: decided without facility"));
                let rows = crate::store::change_history::list(c, fid, true, 100).unwrap();
                assert!(
                    rows.iter().any(|r| r.cause.id == row.id.to_string()),
                    "{what}: no history row"
                );
            }
        }
        assert!(open_checked >= 20, "seed {seed}: {open_checked}");
        let overdue = page.overdue;
        let late = page
            .rows
            .iter()
            .filter(|r| r.status.is_open() && r.filed_late)
            .count();
        assert!(
            (1..=15).contains(&overdue),
            "seed {seed}: {overdue} overdue"
        );
        assert!(late >= 1, "seed {seed}: no open case filed late");
        let notes = count(&store, "SELECT count(*) FROM application_note");
        assert!(notes > 0);
        let sources = strings(&store, "SELECT DISTINCT source FROM application ORDER BY 1");
        assert_eq!(sources, vec!["electronic", "paper"]);
    }
}
