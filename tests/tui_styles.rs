//! Snapshots that keep the styles: which row is selected, which text is masked, which
//! command is disabled. Text alone cannot show these; a lost modifier would pass a
//! plain snapshot. One snapshot per test.

#![allow(clippy::unwrap_used)] // test binary: helpers outside #[test] may unwrap too

mod common;

use common::{fresh_db, harness};
use daicho::tui::testing::HarnessOptions;

#[test]
fn the_selected_ledger_row_is_marked_and_bold() {
    let db = fresh_db();
    let mut h = harness(&db, HarnessOptions::default());
    h.press("<Down><Down>");
    insta::assert_snapshot!("styled_ledger_selected_row", h.styled_screen());
}

#[test]
fn the_insured_person_is_masked_and_dim_on_the_consent_screen() {
    let db = fresh_db();
    let mut h = harness(&db, HarnessOptions::default());
    h.press("3");
    insta::assert_snapshot!("styled_consent_masked", h.styled_screen());
}

#[test]
fn the_consent_case_view_masks_the_insured_person() {
    let db = fresh_db();
    let mut h = harness(&db, HarnessOptions::default());
    h.press("3<Enter>");
    insta::assert_snapshot!("styled_consent_case_masked", h.styled_screen());
}

#[test]
fn commands_that_cannot_run_are_dim_in_the_palette() {
    let db = fresh_db();
    let mut h = harness(&db, HarnessOptions::default());
    // form.* cannot run outside the edit form; list.* can.
    h.press("<C-p>form");
    insta::assert_snapshot!("styled_palette_disabled", h.styled_screen());
}
