//! 更新案内 and 公示 from the inbox (issue 14): the list of designations ending within
//! N months with the notice date and whether it went out, picking several, writing the
//! letters after a confirmation, the record shown; the month's 公示 as CSV and HTML.

#![allow(clippy::unwrap_used)] // test binary

mod common;

use common::{fresh_db, harness, harness_as};
use daicho::domain::permission::Role;
use daicho::tui::screens::inbox::InboxScreen;
use daicho::tui::testing::{Harness, HarnessOptions};

fn inbox(h: &Harness) -> &InboxScreen {
    h.app.screen_ref::<InboxScreen>()
}

fn status(h: &Harness) -> String {
    h.app
        .shell
        .status
        .as_ref()
        .map(|s| s.text.clone())
        .unwrap_or_default()
}

#[test]
fn renewal_letters_are_written_for_the_picked_designations_and_recorded_as_sent() {
    let db = fresh_db();
    let mut h = harness_as(&db, Role::Reviewer);
    h.press("2G");
    let r = inbox(&h)
        .renewals
        .as_ref()
        .expect("the renewal list is open");
    assert_eq!(r.months, 3);
    assert!(r.rows.len() >= 2, "demo data has designations ending soon");
    let today = daicho::tui::testing::test_today();
    let horizon = today.checked_add_months(chrono::Months::new(3)).unwrap();
    assert!(
        r.rows
            .iter()
            .all(|x| x.expires_on >= today && x.expires_on <= horizon)
    );
    let unsent: Vec<usize> = r
        .rows
        .iter()
        .enumerate()
        .filter(|(_, x)| x.sent_on.is_none())
        .map(|(i, _)| i)
        .take(2)
        .collect();
    assert_eq!(unsent.len(), 2, "two unsent notices in the demo data");
    let ids: Vec<i64> = unsent.iter().map(|i| r.rows[*i].designation_id).collect();
    assert!(h.screen().contains("更新案内: 3か月以内に満了する指定"));
    // W needs a pick first.
    h.press("W");
    assert!(!h.screen().contains("よろしいですか"));
    for i in &unsent {
        h.press("<Home>");
        h.press(&"<Down>".repeat(*i));
        h.press("<Space>");
    }
    assert_eq!(inbox(&h).renewals.as_ref().unwrap().picked.len(), 2);
    h.press("W");
    assert!(
        h.screen().contains("次の2件の更新案内を書き出し"),
        "{}",
        h.screen()
    );
    h.press("y");
    assert!(
        status(&h).contains("更新案内を2件書き出しました"),
        "{}",
        status(&h)
    );
    let r = inbox(&h).renewals.as_ref().unwrap();
    assert!(r.picked.is_empty());
    for id in ids {
        let row = r.rows.iter().find(|x| x.designation_id == id).unwrap();
        assert_eq!(row.sent_on, Some(today), "recorded as sent");
    }
    let letters: Vec<_> = std::fs::read_dir(&h.export_dir)
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with("更新案内-"))
        .collect();
    assert_eq!(letters.len(), 4, "HTML and text for each");
    assert!(h.screen().contains("送付済"));
    // t changes the months; Esc goes back to the inbox list.
    h.press("t<Backspace>6<Enter>");
    let r = inbox(&h).renewals.as_ref().unwrap();
    assert_eq!(r.months, 6);
    h.press("<Esc>");
    assert!(inbox(&h).renewals.is_none());
}

#[test]
fn the_palette_opens_the_renewal_list_from_another_screen() {
    let db = fresh_db();
    let mut h = harness(&db, HarnessOptions::default());
    h.press("1:更新案内<Enter>");
    assert!(inbox(&h).renewals.is_some(), "{}", h.screen());
    assert!(h.screen().contains("更新案内: 3か月以内"), "{}", h.screen());
}

#[test]
fn public_notices_of_a_month_are_written_as_csv_and_html() {
    let db = fresh_db();
    let mut h = harness(&db, HarnessOptions::default());
    h.press("2K");
    assert!(h.screen().contains("2026-11"), "this month is offered");
    h.press("<Backspace><Backspace>13<Enter>");
    assert!(
        h.screen().contains("公示の月が読めません"),
        "{}",
        h.screen()
    );
    h.press("<Backspace><Backspace>11<Enter>");
    let s = status(&h);
    assert!(
        s.contains("公示") && s.contains(".csv") && s.contains(".html"),
        "{s}"
    );
    let csv = h.export_dir.join("公示-2026-11.csv");
    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(text.contains("事業所番号"), "{text}");
    assert!(h.export_dir.join("公示-2026-11.html").exists());
    // Again: a new name, the first file kept.
    h.press("K<Enter>");
    assert!(
        h.export_dir.join("公示-2026-11-1.csv").exists(),
        "{}",
        status(&h)
    );
    assert_eq!(std::fs::read_to_string(&csv).unwrap(), text);
}

fn renewals_snapshot(lang: daicho::i18n::Lang, name: &str) {
    let db = fresh_db();
    let mut h = harness(
        &db,
        HarnessOptions {
            lang,
            ..Default::default()
        },
    );
    h.press("2G<Space>");
    insta::assert_snapshot!(name, h.screen());
}

#[test]
fn renewals_view_ja() {
    renewals_snapshot(daicho::i18n::Lang::Ja, "inbox_renewals_ja");
}

#[test]
fn renewals_view_en() {
    renewals_snapshot(daicho::i18n::Lang::En, "inbox_renewals_en");
}
