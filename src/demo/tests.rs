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
    assert_eq!(count(&store, "SELECT count(*) FROM prior_consent"), 3);
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
        8
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
        8 * 16
    );
    let gaps = count(
        &store,
        "SELECT count(*) FROM checklist_mark WHERE mark = 'gap'",
    );
    assert!((1..=3).contains(&gaps), "{gaps} gaps");
    assert_eq!(
        meta::get(store.conn(), "demo_seed").unwrap().as_deref(),
        Some("1")
    );
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
                let rows = crate::store::history::changes_for_facility(c, fid, 100).unwrap();
                assert!(
                    rows.iter().any(|r| r.change.cause_id == row.id.to_string()),
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
