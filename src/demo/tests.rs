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

/// `cargo test --release --lib demo::tests::bench_100k -- --ignored --nocapture`
#[test]
#[ignore = "benchmark: run in release"]
fn bench_100k() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("bench.db")).unwrap();
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
