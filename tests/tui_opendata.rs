//! The open data reconciliation view: snapshots in ja and en, accepting a difference
//! (it becomes a 変更 case in the inbox) and marking a finding known with a note.

#![allow(clippy::unwrap_used)] // a test binary

mod common;

use common::{fresh_db, harness};
use daicho::domain::opendata::Finding;
use daicho::domain::permission::{Actor, Role};
use daicho::store::Store;
use daicho::tui::glyphs::is_east_asian_ambiguous;
use daicho::tui::i18n::Lang;
use daicho::tui::probe::AmbiguousWidth;
use daicho::tui::testing::HarnessOptions;
use std::path::Path;

/// A phone difference on the ward's first designated facility, that facility's FAX
/// as a 定員-less ledger-only finding, and a published row missing from the ledger.
fn seed(db: &Path) -> (i64, String) {
    let mut store = Store::open(db).unwrap();
    let (fid, number, name, phone): (i64, String, String, String) = store
        .conn_for_tests()
        .query_row(
            "SELECT f.id, f.provider_number, f.name, f.phone FROM facility f
             JOIN designation d ON d.facility_id = f.id
             WHERE f.status = 'active' AND d.status = 'active' AND d.service_code = '78'
               AND f.municipality_code = '131041' ORDER BY f.id LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap();
    let findings = vec![
        Finding {
            kind: "difference".into(),
            facility_id: Some(fid),
            provider_number: number.clone(),
            service_code: "78".into(),
            name: name.clone(),
            field: "phone".into(),
            ledger_value: phone,
            opendata_value: "03-9999-0000".into(),
            ..Finding::default()
        },
        Finding {
            kind: "ledger_only".into(),
            facility_id: Some(fid),
            provider_number: number.clone(),
            service_code: "43".into(),
            name: name.clone(),
            ..Finding::default()
        },
        Finding {
            kind: "opendata_only".into(),
            provider_number: "1373600020".into(),
            service_code: "78".into(),
            name: "デイ若松".into(),
            line: 5,
            ..Finding::default()
        },
    ];
    let actor = Actor {
        staff_id: "demo-reviewer".into(),
        role: Role::Reviewer,
    };
    daicho::service::opendata::record_reconciliation(&mut store, &actor, 1, &[], &findings)
        .unwrap();
    (fid, name)
}

fn opts(lang: Lang) -> HarnessOptions {
    HarnessOptions {
        lang,
        role: Role::Reviewer,
        ..Default::default()
    }
}

#[test]
fn the_view_in_japanese_and_english() {
    for (lang, suffix) in [(Lang::Ja, "ja"), (Lang::En, "en")] {
        let db = fresh_db();
        seed(&db.path);
        let mut h = harness(&db, opts(lang));
        h.press("5r");
        insta::assert_snapshot!(format!("opendata_{suffix}"), h.screen());
    }
}

#[test]
fn accepting_a_difference_makes_a_change_case_in_the_inbox() {
    let db = fresh_db();
    let (fid, _) = seed(&db.path);
    let mut h = harness(&db, opts(Lang::En));
    h.press("5r");
    h.press("a");
    let asked = h.screen();
    assert!(
        asked.contains("03-9999-0000") && asked.contains("Go ahead?"),
        "{asked}"
    );
    h.press("y");
    let done = h.screen();
    assert!(done.contains("accepted as change case"), "{done}");
    assert!(done.contains("accepted"), "{done}");
    let c = rusqlite::Connection::open(&db.path).unwrap();
    let (kind, status, payload): (String, String, String) = c
        .query_row(
            "SELECT kind, status, payload FROM application WHERE facility_id = ?1
             ORDER BY id DESC LIMIT 1",
            [fid],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!((kind.as_str(), status.as_str()), ("change", "accepted"));
    assert!(payload.contains("03-9999-0000"), "{payload}");
    // A second accept of the same finding is refused with its reason.
    h.press("a");
    assert!(
        h.screen().contains("already been decided"),
        "{}",
        h.screen()
    );
}

#[test]
fn marking_known_needs_a_note_and_keeps_it() {
    let db = fresh_db();
    seed(&db.path);
    let mut h = harness(&db, opts(Lang::Ja));
    h.press("5r<Down>k");
    h.press("<Enter>");
    assert!(
        h.screen().contains("メモを入力してください"),
        "{}",
        h.screen()
    );
    h.press("閉鎖予定<Enter>");
    assert!(
        h.screen().contains("既知の相違として記録しました"),
        "{}",
        h.screen()
    );
    let c = rusqlite::Connection::open(&db.path).unwrap();
    let (status, note): (String, String) = c
        .query_row(
            "SELECT status, note FROM opendata_finding WHERE kind = 'ledger_only'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((status.as_str(), note.as_str()), ("known", "閉鎖予定"));
    // Only a field difference can be accepted: the footer's `a` says why not here.
    h.press("a");
    assert!(h.screen().contains("処理済み"), "{}", h.screen());
}

#[test]
fn wide_mode_draws_no_ambiguous_width_character() {
    let db = fresh_db();
    seed(&db.path);
    let mut h = harness(
        &db,
        HarnessOptions {
            ambiguous: AmbiguousWidth::Wide,
            role: Role::Reviewer,
            ..Default::default()
        },
    );
    h.press("5r");
    let text = h.screen();
    let bad: Vec<char> = text
        .chars()
        .filter(|c| is_east_asian_ambiguous(*c))
        .collect();
    assert!(bad.is_empty(), "ambiguous {bad:?} in\n{text}");
}

#[test]
fn capacity_is_set_from_the_facility_detail_and_checked() {
    let db = fresh_db();
    let (fid, _) = seed(&db.path);
    let c = rusqlite::Connection::open(&db.path).unwrap();
    let number: String = c
        .query_row(
            "SELECT provider_number FROM facility WHERE id = ?1",
            [fid],
            |r| r.get(0),
        )
        .unwrap();
    let mut h = harness(&db, opts(Lang::En));
    h.press(&format!("/{number}<Enter><Enter>"));
    h.press("C");
    let menu = h.screen();
    assert!(menu.contains("Capacity of which service"), "{menu}");
    // The services with a capacity are offered; pick 地域密着型通所介護.
    let items = menu
        .lines()
        .filter(|l| l.contains("地域密着型通所介護"))
        .count();
    assert_eq!(items, 1, "{menu}");
    h.press("<Enter>");
    assert!(
        h.screen().contains("地域密着型通所介護 — capacity"),
        "{}",
        h.screen()
    );
    // The field starts from the current capacity.
    let before: Option<i64> = c
        .query_row(
            "SELECT capacity FROM designation WHERE facility_id = ?1 AND service_code = '78'",
            [fid],
            |r| r.get(0),
        )
        .unwrap();
    let shown = h.screen();
    if let Some(n) = before {
        assert!(shown.contains(&format!("Capacity: {n}")), "{shown}");
    }
    h.press("<End><Backspace><Backspace><Backspace><Backspace>0<Enter>");
    assert!(
        h.screen().contains("whole number from 1 to 999"),
        "{}",
        h.screen()
    );
    let cap = |c: &rusqlite::Connection| -> Option<i64> {
        c.query_row(
            "SELECT capacity FROM designation WHERE facility_id = ?1 AND service_code = '78'",
            [fid],
            |r| r.get(0),
        )
        .unwrap()
    };
    let before = cap(&c);
    assert_ne!(before, Some(0));
    h.press("C<Enter><End><Backspace><Backspace><Backspace><Backspace>17<Enter>");
    assert!(h.screen().contains("capacity set to 17"), "{}", h.screen());
    assert_eq!(cap(&c), Some(17));
}
