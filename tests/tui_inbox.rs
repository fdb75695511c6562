//! The inbox as a reviewer and an approver use it (issue 14): filter overdue, open a
//! 変更届出, see the diff, return it, record the resubmission, review again, and decide
//! as another user after a confirmation that lists the ledger change.

#![allow(clippy::unwrap_used)] // test binary

mod common;

use common::{fresh_db, harness, harness_as};
use daicho::domain::application::{ApplicationKind, ApplicationStatus::*};
use daicho::domain::permission::Role;
use daicho::store::Store;
use daicho::tui::screens::inbox::InboxScreen;
use daicho::tui::testing::{Harness, HarnessOptions};

fn inbox(h: &Harness) -> &InboxScreen {
    h.app.screen_ref::<InboxScreen>()
}

/// Moves the list cursor to case `id` and opens it.
fn open(h: &mut Harness, id: i64) {
    let i = inbox(h).list.rows.iter().position(|r| r.id == id).unwrap();
    h.app.screen_mut::<InboxScreen>().list.selected = i;
    h.press("<Enter>");
    assert_eq!(inbox(h).case.as_ref().map(|c| c.row.id), Some(id));
}

#[test]
fn a_change_notice_goes_from_review_to_the_ledger_through_the_case_view() {
    let db = fresh_db();
    let mut rev = harness_as(&db, Role::Reviewer);
    rev.press("2o");
    let rows = &inbox(&rev).list.rows;
    assert!(
        !rows.is_empty() && rows.iter().all(|r| r.overdue),
        "overdue filter"
    );
    assert!(rev.screen().contains("絞込: 処理期限超過、未完了"));
    rev.press("o");
    let case = inbox(&rev)
        .list
        .rows
        .iter()
        .find(|r| {
            r.kind == ApplicationKind::Change
                && r.status == UnderReview
                && r.keyed_by != "demo-approver"
                && r.reviewed_by.as_deref() != Some("demo-approver")
        })
        .cloned()
        .expect("a 変更届出 under review in the demo data");
    open(&mut rev, case.id);
    let (field, requested) = {
        let d = inbox(&rev).case.as_ref().unwrap();
        let line = d.diff.first().expect("a change notice has a diff").clone();
        (line.field, line.requested)
    };
    let screen = rev.screen();
    assert!(
        screen.contains("変更内容") && screen.contains("必要書類"),
        "{screen}"
    );
    // Return with a reason (a preset), then record the resubmission, then review again.
    rev.press("b<Down><Enter>");
    assert_eq!(inbox(&rev).case.as_ref().unwrap().row.status, Returned);
    rev.press("p");
    assert_eq!(inbox(&rev).case.as_ref().unwrap().row.status, Resubmitted);
    rev.press("v");
    assert_eq!(inbox(&rev).case.as_ref().unwrap().row.status, UnderReview);
    assert!(
        rev.screen().contains("再提出"),
        "history shows the resubmission"
    );
    // A reviewer cannot decide.
    rev.press("A");
    assert!(!rev.screen().contains("を決定します"));

    let mut appr = harness(&db, HarnessOptions::default());
    appr.press("2");
    open(&mut appr, case.id);
    appr.press("A");
    let ask = appr.screen();
    assert!(
        ask.contains("を決定します") && ask.contains("台帳の変更:"),
        "{ask}"
    );
    appr.press("n");
    assert_eq!(inbox(&appr).case.as_ref().unwrap().row.status, UnderReview);
    appr.press("Ay");
    assert_eq!(inbox(&appr).case.as_ref().unwrap().row.status, Decided);
    let store = Store::open(&db.path).unwrap();
    let f = daicho::store::facilities::get(store.conn_for_tests(), case.facility_id.unwrap())
        .unwrap()
        .unwrap();
    assert_eq!(
        f.fields.get(&field),
        requested,
        "the ledger holds the request"
    );
}

#[test]
fn next_and_previous_case_stay_in_the_case_view_and_esc_returns_to_the_list() {
    let db = fresh_db();
    let mut h = harness(&db, HarnessOptions::default());
    h.press("2<Enter>");
    let first = inbox(&h).case.as_ref().unwrap().row.id;
    h.press("]");
    let second = inbox(&h).case.as_ref().unwrap().row.id;
    assert_ne!(first, second);
    assert_eq!(inbox(&h).list.rows[1].id, second);
    h.press("[");
    assert_eq!(inbox(&h).case.as_ref().unwrap().row.id, first);
    h.press("<Esc>");
    assert!(inbox(&h).case.is_none());
    assert!(h.screen().contains("処理期限"));
}

#[test]
fn a_decided_case_says_the_ledger_already_changed_instead_of_previewing() {
    let db = fresh_db();
    let mut h = harness(&db, HarnessOptions::default());
    h.press("2");
    let decided = inbox(&h)
        .list
        .rows
        .iter()
        .find(|r| r.status == Decided)
        .map(|r| r.id)
        .expect("a decided case in the demo data");
    open(&mut h, decided);
    let screen = h.screen();
    assert!(
        screen.contains("台帳へ反映済み") && !screen.contains("決定すると台帳は"),
        "{screen}"
    );
}
