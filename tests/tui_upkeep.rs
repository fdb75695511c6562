//! Issue 13 in the UI: the 運営推進会議 tab with its duties and records, the form that
//! records a meeting, and the 変更履歴 tab with values. Snapshots at 80×24 in Japanese
//! and English, and the journey written as what a user types.

#![allow(clippy::unwrap_used)] // test binary: helpers outside #[test] may unwrap too

mod common;

use common::{fresh_db, harness, harness_as};
use daicho::domain::permission::Role;
use daicho::tui::app::LedgerMode;
use daicho::tui::i18n::Lang;
use daicho::tui::testing::{Harness, HarnessOptions};

fn opts(lang: Lang) -> HarnessOptions {
    HarnessOptions {
        lang,
        ..Default::default()
    }
}

/// The alert key twice lists the facilities whose meeting is overdue; open the first
/// and go to its 運営推進会議 tab.
const OVERDUE_COUNCIL: &str = "aa<Enter>]]]]";

fn suffix(lang: Lang) -> &'static str {
    if lang == Lang::Ja { "ja" } else { "en" }
}

/// Records a meeting on the open form: the date, then C-s and yes.
fn record(h: &mut Harness, date: &str) {
    h.press("m");
    h.press(date);
    h.press("<C-s>");
    h.press("<Enter>");
}

/// The history's headings carry the wall-clock date and time of the change (`… HH:MM`
/// before the actor): replace them.
fn without_times(screen: &str) -> String {
    screen
        .lines()
        .map(|l| {
            let b = l.as_bytes();
            let time = (0..b.len().saturating_sub(3)).find(|&i| {
                b[i] == b':'
                    && b[i + 1].is_ascii_digit()
                    && b[i + 2].is_ascii_digit()
                    && b[i + 3] == b' '
            });
            match time {
                Some(i) if l.contains('[') => format!("<when>{}", &l[i + 3..]),
                _ => l.to_string(),
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn council_snapshot(lang: Lang) {
    let db = fresh_db();
    let mut h = harness(&db, opts(lang));
    h.press(OVERDUE_COUNCIL);
    insta::assert_snapshot!(
        format!("upkeep_council_overdue_{}", suffix(lang)),
        h.screen()
    );
}

#[test]
fn council_tab_overdue_ja() {
    council_snapshot(Lang::Ja);
}

#[test]
fn council_tab_overdue_en() {
    council_snapshot(Lang::En);
}

fn form_snapshot(lang: Lang) {
    let db = fresh_db();
    let mut h = harness(&db, opts(lang));
    h.press(OVERDUE_COUNCIL);
    h.press("m2027-01-01<C-s>");
    insta::assert_snapshot!(
        format!("upkeep_meeting_form_error_{}", suffix(lang)),
        h.screen()
    );
}

#[test]
fn meeting_form_with_a_refused_date_ja() {
    form_snapshot(Lang::Ja);
}

#[test]
fn meeting_form_with_a_refused_date_en() {
    form_snapshot(Lang::En);
}

fn history_snapshot(lang: Lang) {
    let db = fresh_db();
    let mut h = harness(&db, opts(lang));
    h.press(OVERDUE_COUNCIL);
    record(&mut h, "2026-11-20");
    h.press("]");
    let screen = without_times(&h.screen());
    insta::assert_snapshot!(
        format!("upkeep_history_after_record_{}", suffix(lang)),
        screen
    );
}

#[test]
fn history_after_recording_ja() {
    history_snapshot(Lang::Ja);
}

#[test]
fn history_after_recording_en() {
    history_snapshot(Lang::En);
}

#[test]
fn the_overdue_date_is_styled_as_an_error() {
    let db = fresh_db();
    let mut h = harness(&db, HarnessOptions::default());
    h.press(OVERDUE_COUNCIL);
    insta::assert_snapshot!("styled_upkeep_council_overdue", h.styled_screen());
}

#[test]
fn recording_a_meeting_clears_the_overdue_alert_and_writes_history() {
    let db = fresh_db();
    let mut h = harness(&db, HarnessOptions::default());
    h.press(OVERDUE_COUNCIL);
    let before = h.screen();
    assert!(before.contains("期限超過"), "{before}");
    let overdue_before = h.app.due.meetings_overdue;
    // A date after today is refused inside the form, which stays open.
    h.press("m2027-01-01<C-s>");
    let refused = h.screen();
    assert!(refused.contains("今日より後の日付"), "{refused}");
    assert_eq!(h.app.ledger().mode, LedgerMode::Meeting);
    // A good date asks first, saying what will happen.
    for _ in 0..10 {
        h.press("<Backspace>");
    }
    h.press("2026-11-20<C-s>");
    let ask = h.screen();
    assert!(
        ask.contains("次回の開催期限はこの日から数え直します"),
        "{ask}"
    );
    assert_eq!(
        h.app.ledger().mode,
        LedgerMode::Meeting,
        "nothing saved yet"
    );
    h.press("<Enter>");
    assert_eq!(h.app.ledger().mode, LedgerMode::Detail);
    let after = h.screen();
    assert!(!after.contains("期限超過"), "{after}");
    assert!(after.contains("会議の開催を記録しました"), "{after}");
    assert!(after.contains("令和8年11月20日"), "{after}");
    assert_eq!(h.app.due.meetings_overdue + 1, overdue_before);
    h.press("]");
    // TestBackend keeps the cell behind a wide character from two frames back (the
    // dialog); a real terminal does not. Start from a clear screen.
    h.terminal.clear().unwrap();
    let history = h.screen();
    assert!(
        history.contains("会議の開催日: （なし） → 2026-11-20") && history.contains("[会議の記録]"),
        "{history}"
    );
}

#[test]
fn esc_in_a_typed_meeting_form_asks_before_discarding() {
    let db = fresh_db();
    let mut h = harness(&db, HarnessOptions::default());
    h.press(OVERDUE_COUNCIL);
    h.press("m");
    h.press("<Esc>");
    assert_eq!(
        h.app.ledger().mode,
        LedgerMode::Detail,
        "nothing typed: closes"
    );
    h.press("m2026-11-20<Esc>");
    assert!(h.screen().contains("破棄しますか"));
    h.press("n");
    assert_eq!(h.app.ledger().mode, LedgerMode::Meeting);
    h.press("<Esc>y");
    assert_eq!(h.app.ledger().mode, LedgerMode::Detail);
    assert!(h.screen().contains("期限超過"), "nothing was recorded");
}

#[test]
fn a_viewer_cannot_record_a_meeting_and_is_told_why() {
    let db = fresh_db();
    let mut h = harness_as(&db, Role::Viewer);
    h.press(OVERDUE_COUNCIL);
    h.press("m");
    assert_eq!(h.app.ledger().mode, LedgerMode::Detail);
    let screen = h.screen();
    assert!(!screen.contains("会議の開催を記録しました"), "{screen}");
}
