//! Issue 16, the checklist screen: the matrix and an audit's items in ja and en, the
//! gap dialog's message, a full walk of the demo's interrupted audit to its signature,
//! and a colleague's concurrent mark as a clear conflict.

#![allow(clippy::unwrap_used)] // test binary

mod common;

use common::{fresh_db, harness};
use daicho::domain::checklist::{Mark, MarkInput, Side};
use daicho::domain::permission::{Actor, Role};
use daicho::service::checklist as svc;
use daicho::store::{Store, checklist_audit};
use daicho::tui::i18n::Lang;
use daicho::tui::testing::HarnessOptions;

fn opts(lang: Lang) -> HarnessOptions {
    HarnessOptions {
        lang,
        ..Default::default()
    }
}

/// From the start screen to the LEMSCARE ward list (the demo's open audit).
const LEMSCARE_WARD: &str = "4<Down><Down><Enter>";

#[test]
fn items_of_an_open_audit_ja() {
    let db = fresh_db();
    let mut h = harness(&db, opts(Lang::Ja));
    h.press(LEMSCARE_WARD);
    insta::assert_snapshot!("checklist_items_ja", h.screen());
}

#[test]
fn items_of_an_open_audit_en() {
    let db = fresh_db();
    let mut h = harness(&db, opts(Lang::En));
    h.press(LEMSCARE_WARD);
    insta::assert_snapshot!("checklist_items_en", h.screen());
}

#[test]
fn matrix_styled() {
    let db = fresh_db();
    let mut h = harness(&db, opts(Lang::Ja));
    h.press("4");
    insta::assert_snapshot!("checklist_matrix_styled", h.styled_screen());
}

#[test]
fn gap_dialog_refuses_a_bad_date_in_the_dialog() {
    for (lang, bad, want) in [
        (
            Lang::Ja,
            "情報政策課 来月",
            "対応期限「来月」は日付として読めません",
        ),
        (Lang::En, "IT 2026-13-01", "is not a date"),
    ] {
        let db = fresh_db();
        let mut h = harness(&db, opts(lang));
        h.press(LEMSCARE_WARD);
        h.press("x");
        h.press(bad);
        h.press("<Enter>");
        let s = h.screen();
        assert!(s.contains(want), "{s}");
        let name = if lang == Lang::Ja { "ja" } else { "en" };
        insta::assert_snapshot!(format!("checklist_gap_dialog_{name}"), s);
    }
}

/// The demo's LEMSCARE ward audit resumes at item 9: marks 9–16 (one a gap with owner
/// and due date), signs after a confirmation, and the matrix shows the new counts.
#[test]
fn resume_mark_sign_and_see_the_matrix() {
    let db = fresh_db();
    let mut h = harness(&db, opts(Lang::Ja));
    h.press(LEMSCARE_WARD);
    let s = h.screen();
    assert!(s.contains("点検中 8/16"), "{s}");
    assert!(
        s.contains("▶  9") || s.contains(">  9"),
        "cursor on item 9:\n{s}"
    );
    // Signing before every item is marked is not offered: the footer leaves it out.
    assert!(!s.contains("署名"), "{s}");
    h.press("oooooon");
    h.press("x");
    h.press("情報政策課 2027-03-31<Enter>");
    let s = h.screen();
    assert!(s.contains("点検中 16/16"), "{s}");
    assert!(s.contains("情報政策課"), "{s}");
    h.press("<C-s>");
    let s = h.screen();
    assert!(s.contains("署名後は変更できず"), "{s}");
    h.press("y");
    let s = h.screen();
    assert!(s.contains("署名しました"), "{s}");
    // Signed: marks are no longer offered.
    h.press("o");
    let s = h.screen();
    assert!(s.contains("署名済み"), "{s}");
    h.press("<Esc>");
    let s = h.screen();
    let row = s.lines().find(|l| l.contains("LEMSCARE")).unwrap();
    assert!(row.contains("demo-approver"), "{row}");
    assert!(!row.contains("点検中"), "{row}");
    let store = Store::open(&db.path).unwrap();
    let c = store.conn_for_tests();
    let last = checklist_audit::latest_signed(c, "lemscare", Side::Ward)
        .unwrap()
        .unwrap();
    let counts = checklist_audit::counts(c, &last).unwrap();
    assert_eq!(counts.ok + counts.not_needed + counts.gap, 16);
    assert!(counts.gap >= 1, "{counts:?}");
}

/// A colleague marks the item on screen first: the mark is not written over, the
/// message names who and what is stored, and the screen shows it.
#[test]
fn a_colleagues_mark_is_a_conflict() {
    let db = fresh_db();
    let mut h = harness(&db, opts(Lang::Ja));
    h.press(LEMSCARE_WARD);
    {
        let mut store = Store::open(&db.path).unwrap();
        let other = Actor {
            staff_id: "k777".into(),
            role: Role::Reviewer,
        };
        let a = checklist_audit::open_audit(store.conn_for_tests(), "lemscare", Side::Ward)
            .unwrap()
            .unwrap();
        svc::mark_item(
            &mut store,
            &other,
            a.id,
            9,
            0,
            &MarkInput::new(Mark::NotNeeded),
        )
        .unwrap()
        .unwrap();
    }
    h.press("o");
    let s = h.screen();
    assert!(s.contains("k777 が先に項目 9 を記録しました"), "{s}");
}

/// In an ambiguous-wide terminal no view of the checklist (matrix, items, gap dialog,
/// the sign confirmation) draws an ambiguous-width character.
#[test]
fn nothing_ambiguous_in_wide_mode() {
    use daicho::tui::glyphs::is_east_asian_ambiguous;
    use daicho::tui::probe::AmbiguousWidth;
    let db = fresh_db();
    let mut h = harness(
        &db,
        HarnessOptions {
            ambiguous: AmbiguousWidth::Wide,
            ..Default::default()
        },
    );
    for keys in ["4", "<Down><Down><Enter>", "x", "<Esc>oooooooo", "<C-s>"] {
        h.press(keys);
        let text = h.screen();
        let bad: Vec<char> = text
            .chars()
            .filter(|c| is_east_asian_ambiguous(*c))
            .collect();
        assert!(bad.is_empty(), "after {keys}: {bad:?} in\n{text}");
    }
    assert!(h.screen().contains("署名後は変更できず"), "{}", h.screen());
}
