//! Lists: sorting, the filter menu, help keys and drawing text the way terminals do.

#![allow(clippy::unwrap_used)] // test binary: helpers outside #[test] may unwrap too

mod common;

use common::{fresh_db, harness};
use daicho::store::Store;
use daicho::store::facilities::{self, Direction};
use daicho::tui::i18n::Lang;
use daicho::tui::probe::AmbiguousWidth;
use daicho::tui::testing::{Harness, HarnessOptions};

/// Body lines of the ledger list that show a facility (a provider number after the gutter).
fn listed_rows(screen: &str) -> Vec<String> {
    screen
        .lines()
        .skip(3)
        .filter(|l| l.chars().skip(2).take(2).collect::<String>() == "13")
        .map(str::to_string)
        .collect()
}

fn first_in_store(h: &Harness, db: &common::TestDb) -> i64 {
    let store = Store::open(&db.path).unwrap();
    facilities::page(
        store.conn(),
        &h.app.ledger.query,
        None,
        Direction::Forward,
        1,
    )
    .unwrap()[0]
        .1
        .id
}

#[test]
fn reverse_sort_on_a_fresh_start_fills_the_page_from_the_top() {
    let db = fresh_db();
    let mut h = harness(&db, HarnessOptions::default());
    h.press("S");
    let screen = h.screen();
    assert_eq!(listed_rows(&screen).len(), 19, "{screen}");
    assert_eq!(h.app.ledger.selected, 0);
    assert_eq!(
        h.app.ledger.selected_row().unwrap().id,
        first_in_store(&h, &db)
    );
    // The first key moves the cursor.
    h.press("<Down>");
    assert_eq!(h.app.ledger.selected, 1);
}

#[test]
fn a_new_sort_shows_the_top_of_the_new_order() {
    let db = fresh_db();
    let mut h = harness(&db, HarnessOptions::default());
    h.press(&"<Down>".repeat(100));
    for keys in ["s", "s", "s", "S", "s"] {
        h.press(keys);
        assert_eq!(h.app.ledger.offset, 0, "after {keys}");
        let top = first_in_store(&h, &db);
        assert_eq!(h.app.ledger.rows[0].1.id, top, "after {keys}");
        assert_eq!(listed_rows(&h.screen()).len(), 19, "after {keys}");
    }
}

#[test]
fn a_new_sort_keeps_the_cursor_on_a_facility_of_the_first_page() {
    let db = fresh_db();
    let mut h = harness(&db, HarnessOptions::default());
    h.press("/しらかば<Enter>");
    let n = h.app.ledger.rows.len();
    assert!((3..=19).contains(&n), "{n} rows");
    h.press("<Down><Down>");
    let id = h.app.ledger.selected_row().unwrap().id;
    for keys in ["S", "s", "s", "S"] {
        h.press(keys);
        assert_eq!(h.app.ledger.selected_row().unwrap().id, id, "after {keys}");
        assert_eq!(h.app.ledger.offset, 0);
    }
}

fn header(h: &mut Harness) -> String {
    h.screen().lines().nth(2).unwrap().to_string()
}

#[test]
fn the_header_marks_the_sort_column_in_every_language_and_width() {
    for (lang, ambiguous, asc, desc) in [
        (
            Lang::Ja,
            AmbiguousWidth::Narrow,
            "事業所番号▲",
            "事業所番号▼",
        ),
        (Lang::Ja, AmbiguousWidth::Wide, "事業所番号^", "事業所番号v"),
        (Lang::En, AmbiguousWidth::Narrow, "Number▲", "Number▼"),
    ] {
        let db = fresh_db();
        let mut h = harness(
            &db,
            HarnessOptions {
                lang,
                ambiguous,
                ..Default::default()
            },
        );
        let line = header(&mut h);
        assert!(line.contains(asc), "{line}");
        h.press("S");
        let line = header(&mut h);
        assert!(line.contains(desc), "{line}");
        h.press("sss");
        let line = header(&mut h);
        assert!(!line.contains(desc), "{line}");
        assert!(line.contains(&desc[desc.len() - desc.chars().last().unwrap().len_utf8()..]));
    }
}
