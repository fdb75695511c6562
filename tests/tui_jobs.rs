//! The jobs screen after a real import run: the run's counts in its row, and the
//! quarantined rows with their reasons (Enter on the run, `Q` for every run).

#![allow(clippy::unwrap_used)]

mod common;

use common::{TestDb, fresh_db, harness};
use daicho::i18n::Lang;
use daicho::tui::testing::HarnessOptions;
use std::path::Path;
use std::process::Command;

const STARTED: &str = "2026-12-02T01:00:00+00:00";

/// Runs the import on a spool holding one file with invalid rows and one that refers to
/// a facility outside the ledger, then pins the run's times so snapshots are stable.
fn imported() -> TestDb {
    let db = fresh_db();
    let inbox = db.dir.path().join("spool/inbox");
    std::fs::create_dir_all(&inbox).unwrap();
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    for name in ["eapp-invalid-rows.csv", "eapp-utf8.csv"] {
        std::fs::copy(data.join(name), inbox.join(name)).unwrap();
    }
    let out = Command::new(env!("CARGO_BIN_EXE_daicho"))
        .arg("--db")
        .arg(&db.path)
        .args(["--lang", "ja", "sync", "run", "import-applications"])
        .env("DAICHO_TODAY", "2026-12-02")
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let conn = rusqlite::Connection::open(&db.path).unwrap();
    conn.execute(
        "UPDATE sync_job SET started_at = ?1, finished_at = ?1",
        [STARTED],
    )
    .unwrap();
    conn.execute("UPDATE quarantine SET created_at = ?1", [STARTED])
        .unwrap();
    db
}

/// The screen with the pinned time written the way the machine's time zone shows it
/// replaced by a fixed one of the same width.
fn screen(h: &mut daicho::tui::testing::Harness, lang: Lang) -> String {
    let local = chrono::DateTime::parse_from_rfc3339(STARTED)
        .unwrap()
        .with_timezone(&chrono::Local);
    let shown = if lang == Lang::Ja {
        format!(
            "{} {}",
            daicho::domain::wareki::format_short(local.date_naive()),
            local.format("%H:%M")
        )
    } else {
        local.format("%Y-%m-%d %H:%M").to_string()
    };
    let fixed = if lang == Lang::Ja {
        "R8.12.02 10:00"
    } else {
        "2026-12-02 10:00"
    };
    h.screen().replace(&shown, fixed)
}

fn opts(lang: Lang) -> HarnessOptions {
    HarnessOptions {
        lang,
        ..Default::default()
    }
}

fn runs_and_reasons(lang: Lang) {
    let suffix = if lang == Lang::Ja { "ja" } else { "en" };
    let db = imported();
    let mut h = harness(&db, opts(lang));
    h.press("5");
    let list = screen(&mut h, lang);
    // One run: 11 rows read (10 quarantined, 1 imported... as the run counted them).
    assert!(
        list.contains("demo-approver") || list.contains("demo-"),
        "{list}"
    );
    insta::assert_snapshot!(format!("jobs_after_import_{suffix}"), list);
    h.press("<Enter>");
    let reasons = screen(&mut h, lang);
    assert!(reasons.contains("eapp-invalid-rows.csv"), "{reasons}");
    insta::assert_snapshot!(format!("jobs_quarantine_{suffix}"), reasons);
    h.press("<Esc>");
    assert_eq!(screen(&mut h, lang), list, "Esc goes back to the runs");
}

#[test]
fn a_run_shows_its_counts_and_its_quarantine_reasons_ja() {
    runs_and_reasons(Lang::Ja);
}

#[test]
fn a_run_shows_its_counts_and_its_quarantine_reasons_en() {
    runs_and_reasons(Lang::En);
}

#[test]
fn every_reason_is_reachable_and_the_raw_row_is_never_shown() {
    let db = imported();
    let mut h = harness(&db, opts(Lang::Ja));
    h.press("5Q");
    let first = h.screen();
    assert!(first.contains("隔離された行（全実行）"), "{first}");
    assert!(first.contains("10件"), "{first}");
    let conn = rusqlite::Connection::open(&db.path).unwrap();
    let reasons: Vec<String> = conn
        .prepare("SELECT reason FROM quarantine ORDER BY id DESC")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(reasons.len(), 10);
    // Each reason appears in full below the list when its row is selected.
    for (i, reason) in reasons.iter().enumerate() {
        if i > 0 {
            h.press("<Down>");
        }
        let s = h.screen().replace('\n', "");
        let head: String = reason.chars().take(20).collect();
        assert!(s.contains(&head), "row {i}: {head}\n{s}");
    }
    // A raw row holds personal data (names, phone numbers); none reaches the screen.
    assert!(!h.screen().contains("090-"), "raw rows stay in the spool");
}

#[test]
fn enter_on_a_run_without_quarantine_says_so() {
    let db = imported();
    let out = Command::new(env!("CARGO_BIN_EXE_daicho"))
        .arg("--db")
        .arg(&db.path)
        .args(["--lang", "ja", "sync", "run", "integrity-check"])
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut h = harness(&db, opts(Lang::Ja));
    h.press("5<Enter>");
    let s = h.screen();
    assert!(s.contains("隔離された行はありません"), "{s}");
    assert!(!s.contains("隔離された行（"), "the list stays: {s}");
}
