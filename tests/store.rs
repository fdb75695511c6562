//! Store behaviour across connections and processes' worth of threads.

#![allow(clippy::unwrap_used)] // a test binary: helpers outside #[test] may unwrap too

use daicho::domain::ids::provider_check_digit;
use daicho::domain::model::FacilityFields;
use daicho::store::facilities::{self, Direction, ListQuery, NewFacility};
use daicho::store::{Store, StoreError, migrations};
use rusqlite::Connection;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

fn fields(n: u32) -> FacilityFields {
    let head = format!("137{n:06}");
    FacilityFields {
        provider_number: format!(
            "{head}{}",
            provider_check_digit(&head).expect("nine valid characters")
        ),
        name: format!("テスト事業所{n}"),
        name_kana: format!("テストジギョウショ{n}"),
        address: "東京都新宿区歌舞伎町1-4-1".into(),
        phone: "03-0000-0000".into(),
        ..Default::default()
    }
}

#[test]
fn fresh_database_is_at_latest_schema() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::create(&dir.path().join("a.db")).unwrap();
    assert_eq!(store.schema_version().unwrap(), migrations::latest());
    assert_eq!(store.journal_mode().unwrap(), "wal");
}

#[test]
fn upgrade_from_v1_keeps_rows_and_builds_the_search_index() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    {
        let mut conn = Connection::open(&path).unwrap();
        migrations::migrate_to(&mut conn, 1).unwrap();
        conn.execute(
            "INSERT INTO facility(provider_number, name, search_text, created_at, updated_at)
             VALUES ('1370000012', '旧データ事業所', 'キュウデータジギョウショ', 'x', 'x')",
            [],
        )
        .unwrap();
        let v: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(v, 1);
    }
    let store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), migrations::latest());
    let q = ListQuery {
        search: "データ".into(),
        ..Default::default()
    };
    assert_eq!(
        facilities::count(store.conn_for_tests(), &q, 10).unwrap(),
        1
    );
    let q = ListQuery {
        search: "データジギョウ".into(),
        ..Default::default()
    };
    let rows = facilities::page(store.conn_for_tests(), &q, None, Direction::Forward, 5).unwrap();
    assert_eq!(
        rows.len(),
        1,
        "trigram index rebuilt over pre-existing rows"
    );
}

#[test]
fn newer_schema_is_refused_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new.db");
    drop(Store::create(&path).unwrap());
    {
        let conn = Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", 99).unwrap();
    }
    let err = Store::open(&path).err().unwrap();
    assert!(matches!(err, StoreError::SchemaTooNew { found: 99, .. }));
    assert!(err.to_string().contains("newer daicho"), "{err}");
}

/// 4 writer threads × 500 short write transactions while 2 readers page the list:
/// no SQLITE_BUSY reaches the caller and every row lands.
#[test]
fn concurrent_writers_and_readers_on_one_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = Arc::new(dir.path().join("c.db"));
    drop(Store::create(&path).unwrap());
    let done = Arc::new(AtomicBool::new(false));
    let readers: Vec<_> = (0..2)
        .map(|_| {
            let (path, done) = (path.clone(), done.clone());
            std::thread::spawn(move || {
                let store = Store::open(&path).unwrap();
                let mut reads = 0u64;
                while !done.load(Ordering::Relaxed) {
                    facilities::page(
                        store.conn_for_tests(),
                        &ListQuery::default(),
                        None,
                        Direction::Forward,
                        20,
                    )
                    .unwrap();
                    facilities::count(store.conn_for_tests(), &ListQuery::default(), 10_000)
                        .unwrap();
                    reads += 1;
                }
                reads
            })
        })
        .collect();
    let writers: Vec<_> = (0..4u32)
        .map(|t| {
            let path = path.clone();
            std::thread::spawn(move || {
                let mut store = Store::open(&path).unwrap();
                for i in 0..500u32 {
                    let n = t * 10_000 + i;
                    store
                        .write(|tx| {
                            facilities::insert(
                                tx,
                                &NewFacility {
                                    fields: fields(n),
                                    ..Default::default()
                                },
                                "w",
                            )
                        })
                        .unwrap_or_else(|e| panic!("writer {t} row {i}: {e}"));
                }
            })
        })
        .collect();
    for w in writers {
        w.join().unwrap();
    }
    done.store(true, Ordering::Relaxed);
    for r in readers {
        assert!(r.join().unwrap() > 0);
    }
    let store = Store::open(&path).unwrap();
    assert_eq!(
        facilities::count(store.conn_for_tests(), &ListQuery::default(), 100_000).unwrap(),
        2000
    );
}

/// The demo builds its search indexes in one pass at the end; they must then agree
/// with a plain scan, and later inserts must be indexed again by the triggers.
#[test]
fn search_indexes_after_a_bulk_demo_load_match_a_full_scan() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demo.db");
    daicho::tui::testing::demo_db(&path);
    let mut store = Store::open(&path).unwrap();
    let triggers: i64 = store
        .conn_for_tests()
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'facility'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(triggers, 6, "index triggers restored after the bulk load");
    let scan = |store: &Store, term: &str| -> usize {
        let key = daicho::domain::text::search_key(term);
        let n: i64 = store
            .conn_for_tests()
            .query_row(
                "SELECT count(*) FROM facility WHERE instr(search_text, ?1) > 0",
                [key],
                |r| r.get(0),
            )
            .unwrap();
        n as usize
    };
    for term in [
        "ケ",
        "ケア",
        "新宿",
        "居宅",
        "ケアプラン",
        "デイサービス",
        "1370400",
    ] {
        let q = ListQuery {
            search: term.into(),
            ..Default::default()
        };
        assert_eq!(
            facilities::count(store.conn_for_tests(), &q, 1_000_000).unwrap(),
            scan(&store, term),
            "{term}"
        );
    }
    store
        .write(|tx| {
            facilities::insert(
                tx,
                &NewFacility {
                    fields: fields(424_242),
                    ..Default::default()
                },
                "t",
            )
        })
        .unwrap();
    for term in ["テスト事業所424242", "テス"] {
        let q = ListQuery {
            search: term.into(),
            ..Default::default()
        };
        assert_eq!(
            facilities::count(store.conn_for_tests(), &q, 1_000_000).unwrap(),
            scan(&store, term),
            "{term}"
        );
    }
}
