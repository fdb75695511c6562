//! Issue 15's consent queue through the harness: tabs, filters, the case view masked
//! until revealed, a consent recorded after a confirmation that unblocks the linked
//! application, reasons asked inside the dialog, and a colleague's change as a conflict.

#![allow(clippy::unwrap_used)] // test binary: helpers outside #[test] may unwrap too

mod common;

use common::{fresh_db, harness};
use daicho::domain::consent::ConsentStatus;
use daicho::domain::permission::{Actor, Role};
use daicho::store::Store;
use daicho::tui::screens::consent::ConsentScreen;
use daicho::tui::testing::{Harness, HarnessOptions};

/// Puts the cursor on the first outgoing case that waits for an answer and has a linked
/// application; returns its id.
fn select_waiting_linked(h: &mut Harness) -> i64 {
    h.press("f");
    // "未完了のみ" is the second item of the filter menu.
    h.press("<Down><Enter>");
    let rows = h.app.screen_ref::<ConsentScreen>().list.rows.clone();
    let i = rows
        .iter()
        .position(|r| r.status == ConsentStatus::Requested && r.application_id.is_some())
        .expect("the demo has a linked request waiting for an answer");
    for _ in 0..i {
        h.press("<Down>");
    }
    rows[i].id
}

#[test]
fn recording_a_consent_asks_first_and_unblocks_the_linked_application() {
    let db = fresh_db();
    let mut h = harness(&db, HarnessOptions::default());
    h.press("3");
    let id = select_waiting_linked(&mut h);
    h.press("<Enter>");
    let case = h.screen();
    assert!(case.contains("区外へ依頼 ›"), "{case}");
    assert!(case.contains("＊＊"), "masked until revealed:\n{case}");
    assert!(case.contains("決定できません"), "{case}");
    // s → menu of next statuses: 受付, 同意, …; pick 同意 (the second).
    h.press("s");
    assert!(h.screen().contains("次の状態"), "{}", h.screen());
    h.press("<Down><Enter>");
    let ask = h.screen();
    assert!(ask.contains("「依頼済」から「同意」にします"), "{ask}");
    assert!(ask.contains("紐づく申請は同意の条件を満たします"), "{ask}");
    h.press("<Enter>");
    let done = h.screen();
    assert!(done.contains("決定できます"), "{done}");
    assert!(done.contains("[同意]"), "{done}");
    let store = Store::open(&db.path).unwrap();
    let row = daicho::store::consents::row(store.conn_for_tests(), id)
        .unwrap()
        .unwrap();
    assert_eq!(row.status, ConsentStatus::Consented);
}

#[test]
fn a_refusal_needs_a_reason_said_inside_the_dialog() {
    let db = fresh_db();
    let mut h = harness(&db, HarnessOptions::default());
    h.press("3");
    let id = select_waiting_linked(&mut h);
    // 不同意 is the third next status of 依頼済.
    h.press("s<Down><Down><Enter>");
    h.press("<Enter>");
    let refused = h.screen();
    assert!(
        refused.contains("不同意の理由を入力してください"),
        "{refused}"
    );
    h.press("<Esc>");
    let store = Store::open(&db.path).unwrap();
    let row = daicho::store::consents::row(store.conn_for_tests(), id)
        .unwrap()
        .unwrap();
    assert_eq!(row.status, ConsentStatus::Requested, "nothing written");
}

#[test]
fn a_colleagues_change_first_is_a_conflict_naming_them() {
    let db = fresh_db();
    let mut h = harness(&db, HarnessOptions::default());
    h.press("3");
    let id = select_waiting_linked(&mut h);
    let mut store = Store::open(&db.path).unwrap();
    let row = daicho::store::consents::row(store.conn_for_tests(), id)
        .unwrap()
        .unwrap();
    let colleague = Actor {
        staff_id: "suzuki".into(),
        role: Role::Reviewer,
    };
    let today = daicho::tui::testing::test_today();
    daicho::service::consents::transition(
        &mut store,
        &colleague,
        id,
        row.version,
        ConsentStatus::Received,
        "",
        today,
    )
    .unwrap()
    .unwrap();
    h.press("s<Down><Enter><Enter>");
    let s = h.screen();
    assert!(s.contains("suzuki が"), "{s}");
    assert!(s.contains("先に更新しました（現在: 受付）"), "{s}");
}

#[test]
fn tabs_filters_and_search_narrow_the_queue() {
    let db = fresh_db();
    let mut h = harness(&db, HarnessOptions::default());
    h.press("3");
    let all = h.app.screen_ref::<ConsentScreen>().list.rows.len();
    assert!(all > 0);
    h.press("]");
    let s = h.app.screen_ref::<ConsentScreen>();
    assert!(
        s.list
            .rows
            .iter()
            .all(|r| r.direction == daicho::domain::consent::Direction::Incoming)
    );
    h.press("]");
    let prior = h.screen();
    assert!(
        prior.contains("当区が受けた") || prior.contains("当区が与えた"),
        "{prior}"
    );
    h.press("]/葛飾<Enter>");
    let found = h.screen();
    assert!(found.contains("絞込: 検索「葛飾」"), "{found}");
    let rows = &h.app.screen_ref::<ConsentScreen>().list.rows;
    assert!(!rows.is_empty() && rows.len() < all, "{found}");
    h.press("F");
    assert_eq!(h.app.screen_ref::<ConsentScreen>().list.rows.len(), all);
}
