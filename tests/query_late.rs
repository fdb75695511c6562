//! The UI against a worker that answers late and out of order: whatever the order, the
//! ledger ends up showing the latest query's rows and count, and a burst of keystrokes
//! is answered once per kind.

#![allow(clippy::unwrap_used)] // a test binary: helpers outside #[test] may unwrap too

mod common;

use common::{fresh_db, harness};
use crossterm::event::KeyEvent;
use daicho::domain::view::Direction;
use daicho::query::Request;
use daicho::query::testing::{LateTransport, Order};
use daicho::tui::msg::{Effect, Msg};
use daicho::tui::testing::{Harness, HarnessOptions};

/// Types `notation`, holding every data request in `late` instead of answering it.
fn type_late(h: &mut Harness, late: &mut LateTransport, notation: &str) {
    for chord in daicho::tui::keymap::parse_sequence(notation).unwrap() {
        let effects = h
            .app
            .update(Msg::Key(KeyEvent::new(chord.code, chord.mods)));
        for fx in effects {
            if let Effect::Request(r) = fx {
                late.send(r);
            }
        }
    }
}

/// Hands the late replies to the app; whatever they ask next is answered at once.
fn deliver(h: &mut Harness, replies: Vec<daicho::query::Reply>) {
    for reply in replies {
        h.send(Msg::Data(reply));
    }
}

fn ledger_requests(late: &LateTransport) -> usize {
    late.held()
        .iter()
        .filter(|r| matches!(r, Request::LedgerPage { .. } | Request::LedgerCount { .. }))
        .count()
}

/// The ids on screen are the store's first rows for the query on screen, and the count
/// is the store's count for it.
fn shows_the_latest_query(h: &Harness, what: &str) {
    let q = h.app.ledger().query.clone();
    assert_eq!(
        q.search, "ケアプラン",
        "{what}: the query typed last is on screen"
    );
    let n = h.app.ledger().rows.len();
    assert!(n > 0, "{what}: no rows shown");
    let expected: Vec<i64> = h
        .ctx
        .store
        .ledger_page(&q, None, Direction::Forward, n)
        .unwrap()
        .into_iter()
        .map(|(_, r)| r.id)
        .collect();
    let shown: Vec<i64> = h.app.ledger().rows.iter().map(|(_, r)| r.id).collect();
    assert_eq!(shown, expected, "{what}: rows of a stale query applied");
    let count = h.ctx.store.ledger_count(&q, 1_000_000).unwrap();
    assert_eq!(
        h.app.ledger().total,
        Some(count),
        "{what}: stale count applied"
    );
    assert!(count < 366, "{what}: the search did not narrow the list");
}

#[test]
fn replies_arriving_in_any_order_leave_the_latest_query_on_screen() {
    for order in [
        Order::AsAsked,
        Order::Reversed,
        Order::Shuffled(1),
        Order::Shuffled(2),
        Order::Shuffled(5),
    ] {
        let db = fresh_db();
        let mut h = harness(&db, HarnessOptions::default());
        let mut late = LateTransport::default();
        type_late(&mut h, &mut late, "/ケアプラン");
        assert!(
            ledger_requests(&late) >= 8,
            "each keystroke asks again ({} requests)",
            ledger_requests(&late)
        );
        // Every request answered, as if each reached the worker before the next.
        let replies = late.answer_each(&mut h.ctx, order);
        deliver(&mut h, replies);
        shows_the_latest_query(&h, &format!("{order:?}"));
    }
}

#[test]
fn a_burst_of_keystrokes_is_answered_once_per_kind() {
    let db = fresh_db();
    let mut h = harness(&db, HarnessOptions::default());
    let mut late = LateTransport::default();
    type_late(&mut h, &mut late, "/ケアプラン");
    let asked = ledger_requests(&late);
    let replies = late.answer_coalesced(&mut h.ctx, Order::Reversed);
    let answered = replies
        .iter()
        .filter(|r| {
            matches!(
                r,
                daicho::query::Reply::LedgerPage { .. } | daicho::query::Reply::LedgerCount { .. }
            )
        })
        .count();
    assert_eq!(answered, 2, "one page and one count for {asked} requests");
    deliver(&mut h, replies);
    shows_the_latest_query(&h, "coalesced");
}
