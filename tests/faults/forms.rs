//! The TUI's forms and dialogs under faults (save errors, retry).
use crate::common::{fresh_db, harness};
use crate::{Case, ensure};
use daicho::store::{Store, facilities};
use daicho::tui::app::LedgerMode;
use daicho::tui::testing::HarnessOptions;
use std::time::Duration;

pub fn cases() -> Vec<Case> {
    vec![Case {
        id: "11.7",
        what: "save while another connection holds the write lock",
        run: save_under_a_held_write_lock_can_be_retried,
    }]
}

/// A transient save error (the write lock held past the busy timeout) must leave the
/// form editable, with the input, an error and a working C-s.
fn save_under_a_held_write_lock_can_be_retried() -> Result<(), String> {
    let db = fresh_db();
    let mut h = harness(&db, HarnessOptions::default());
    h.ctx
        .store
        .conn_for_tests()
        .busy_timeout(Duration::from_millis(50))
        .map_err(|e| e.to_string())?;
    h.press("<Down><Enter>e<Tab><Tab><Tab><Tab><Tab><End>");
    h.press(&"<Backspace>".repeat(40));
    h.press("03-4444-5555");
    let blocker = rusqlite::Connection::open(&db.path).map_err(|e| e.to_string())?;
    blocker
        .execute_batch("BEGIN IMMEDIATE")
        .map_err(|e| e.to_string())?;
    h.press("<C-s>");
    let screen = h.screen();
    ensure!(
        h.app.ledger().mode == LedgerMode::Edit,
        "the form closed on a failed save:\n{screen}"
    );
    ensure!(
        h.app.ledger().edit.as_ref().is_some_and(|e| !e.saving),
        "the form stays on Saving… after the error:\n{screen}"
    );
    ensure!(
        screen.contains("保存できませんでした") && screen.contains("03-4444-5555"),
        "no error, or the input is gone:\n{screen}"
    );
    blocker
        .execute_batch("ROLLBACK")
        .map_err(|e| e.to_string())?;
    h.press("<C-s>");
    ensure!(
        h.app.ledger().mode == LedgerMode::Detail,
        "C-s after the lock was released did not save:\n{}",
        h.screen()
    );
    let id = h.app.ledger().detail_id.ok_or("no facility open")?;
    let store = Store::open(&db.path).map_err(|e| e.to_string())?;
    let stored = facilities::get(store.conn_for_tests(), id)
        .map_err(|e| e.to_string())?
        .ok_or("facility gone")?;
    ensure!(
        stored.fields.phone == "03-4444-5555",
        "the retried save did not store the input ({})",
        stored.fields.phone
    );
    Ok(())
}
