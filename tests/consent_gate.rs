//! Issue 15's gate, end to end through the inbox's decision path: on the demo database an
//! out-of-ward application waits for its consent, and recording the consent unblocks it.
#![allow(clippy::unwrap_used)]

mod common;

use common::fresh_db;
use daicho::domain::consent::ConsentStatus;
use daicho::domain::permission::{Actor, Role};
use daicho::service::{applications, consents};
use daicho::store::Store;

fn linked(store: &Store) -> Vec<(i64, i64)> {
    let conn = store.conn_for_tests();
    let mut st = conn
        .prepare(
            "SELECT application_id, id FROM consent_request
             WHERE application_id IS NOT NULL ORDER BY id",
        )
        .unwrap();
    st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(|r| r.unwrap())
        .collect()
}

#[test]
fn an_out_of_ward_case_is_decidable_only_once_consent_is_recorded() {
    let db = fresh_db();
    let mut store = Store::open(&db.path).unwrap();
    let pairs = linked(&store);
    assert!(pairs.len() >= 3, "demo links {} consents", pairs.len());
    let mut blocked = None;
    let mut open = 0;
    for &(app, consent) in &pairs {
        let gate = consents::decision_blocker(store.conn_for_tests(), app).unwrap();
        let preview = applications::decision_preview(store.conn_for_tests(), app, None).unwrap();
        match (&gate, &preview) {
            (Some(b), Err(blockers)) => {
                let why: Vec<String> = blockers.iter().map(|b| b.message(true)).collect();
                assert!(why.contains(&b.message(true)), "application {app}: {why:?}");
                let row = daicho::store::consents::row(store.conn_for_tests(), consent)
                    .unwrap()
                    .unwrap();
                if row.status == ConsentStatus::Requested {
                    blocked = Some((app, row));
                }
            }
            (None, _) => open += 1,
            (Some(b), Ok(_)) => panic!("application {app} decidable despite {b:?}"),
        }
    }
    assert!(open >= 1, "no linked case is decidable in the demo");
    let (app, row) = blocked.expect("the demo has a request still waiting for an answer");
    let staff = Actor {
        staff_id: "demo-reviewer".into(),
        role: Role::Reviewer,
    };
    let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 2).unwrap();
    let received = consents::transition(
        &mut store,
        &staff,
        row.id,
        row.version,
        ConsentStatus::Received,
        "",
        today,
    )
    .unwrap()
    .unwrap();
    assert!(
        applications::decision_preview(store.conn_for_tests(), app, None)
            .unwrap()
            .is_err(),
        "a request received but not answered still blocks"
    );
    consents::transition(
        &mut store,
        &staff,
        received.id,
        received.version,
        ConsentStatus::Consented,
        "",
        today,
    )
    .unwrap()
    .unwrap();
    let preview = applications::decision_preview(store.conn_for_tests(), app, None).unwrap();
    assert!(preview.is_ok(), "still blocked after consent: {preview:?}");
}
