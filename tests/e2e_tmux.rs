//! End-to-end: the real binary in tmux at 80×24 with LANG=C.UTF-8.

#![allow(clippy::unwrap_used)] // test binary: helpers outside #[test] may unwrap too

mod common;

use common::tmux::{self, Tmux};
use std::path::{Path, PathBuf};
use std::time::Duration;

// Generous: polling returns as soon as the text shows; only a stuck run waits this long.
const WAIT: Duration = Duration::from_secs(45);

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_daicho")
}

fn demo_db(dir: &Path) -> PathBuf {
    // As deployed: the database directory is private (else daicho warns on the status line).
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700)).unwrap();
    let path = dir.join("demo.db");
    let out = std::process::Command::new(bin())
        .args(["demo", "--out"])
        .arg(&path)
        .env("DAICHO_TODAY", "2026-11-25")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    path
}

/// Runs daicho, then records its exit code and the terminal modes after it.
fn command(dir: &Path, db: &Path, env: &str) -> String {
    format!(
        "cd {dir} && env DAICHO_TODAY=2026-11-25 XDG_STATE_HOME={dir}/state XDG_CONFIG_HOME={dir}/config {env} {bin} --db {db} --ambiguous narrow; \
         echo \"EXITED $?\"; stty -a > {dir}/stty.txt; echo STTY-SAVED; sleep 600",
        dir = dir.display(),
        db = db.display(),
        bin = bin(),
    )
}

/// Raw mode off again: canonical input and echo are back.
fn assert_terminal_restored(dir: &Path) {
    let stty = std::fs::read_to_string(dir.join("stty.txt")).unwrap();
    let words: Vec<&str> = stty
        .split(|c: char| c.is_whitespace() || c == ';')
        .collect();
    assert!(
        words.contains(&"icanon") && words.contains(&"echo"),
        "terminal left in raw mode:\n{stty}"
    );
}

#[test]
fn search_open_edit_with_validation_and_history() {
    if !tmux::available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let t = Tmux::start("journey", 80, 24, &command(dir.path(), &db, ""));
    // The app starts on the overview (概況); the ledger is `1`.
    t.wait_for("[e]", WAIT);
    t.keys(&["1"]);
    t.wait_for("事業所番号", WAIT);
    t.wait_for("366件", WAIT);
    // A two-character term: the trigram index cannot answer it; the fallback must.
    t.keys(&["/"]);
    t.type_text("ケア");
    let s = t.wait_for("検索: ケア", WAIT);
    assert!(s.contains("ケア"), "{s}");
    t.keys(&["Escape"]);
    t.wait_for("366件", WAIT);
    t.keys(&["/"]);
    t.type_text("新宿");
    t.wait_for("検索: 新宿", WAIT);
    t.keys(&["Escape"]);
    t.keys(&["/"]);
    t.type_text("ケアプラン");
    t.wait_for("検索: ケアプラン", WAIT);
    t.keys(&["Enter"]);
    // Open the first match and edit its phone number.
    t.keys(&["Enter"]);
    t.wait_for("基本情報", WAIT);
    t.keys(&["e"]);
    t.wait_for("事業所の編集", WAIT);
    // Name, kana, postal code, address, town, then the phone (the 事業所番号 is shown
    // above the fields, not editable).
    for _ in 0..5 {
        t.keys(&["Tab"]);
    }
    t.keys(&["End"]);
    for _ in 0..20 {
        t.keys(&["BSpace"]);
    }
    t.type_text("0312");
    t.keys(&["C-s"]);
    t.wait_for("電話番号は0から始まる10桁", WAIT);
    for _ in 0..8 {
        t.keys(&["BSpace"]);
    }
    t.type_text("03-3209-1111");
    t.keys(&["C-s"]);
    t.wait_for("保存しました", WAIT);
    t.keys(&["]", "]", "]", "]", "]"]);
    // The history shows the field by its label with old and new values.
    let history = t.wait_for("→ 03-3209-1111", WAIT);
    assert!(
        history.contains("電話番号: ") && history.contains("[台帳の編集]"),
        "{history}"
    );
    t.keys(&["q"]);
    t.wait_for("EXITED 0", WAIT);
    t.wait_for("STTY-SAVED", WAIT);
    assert_terminal_restored(dir.path());
}

#[test]
fn sighup_restores_the_terminal() {
    if !tmux::available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let t = Tmux::start("hup", 80, 24, &command(dir.path(), &db, ""));
    t.wait_for("[e]", WAIT);
    // Only the daicho process itself (its command line starts with the binary).
    let pattern = format!("^{} --db {}", bin(), db.display());
    let status = std::process::Command::new("pkill")
        .args(["-HUP", "-f", "--", &pattern])
        .status()
        .unwrap();
    assert!(status.success());
    t.wait_for("STTY-SAVED", WAIT);
    assert_terminal_restored(dir.path());
}

#[test]
fn a_panicking_worker_is_reported_and_the_app_keeps_running() {
    if !tmux::available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let t = Tmux::start(
        "workerpanic",
        80,
        24,
        &command(dir.path(), &db, "DAICHO_FAULT=data-panic"),
    );
    t.wait_for("injected fault: data worker", WAIT);
    t.keys(&["q"]);
    t.wait_for("EXITED 0", WAIT);
    t.wait_for("STTY-SAVED", WAIT);
    assert_terminal_restored(dir.path());
    let log = std::fs::read_to_string(dir.path().join("state/daicho/daicho.log")).unwrap();
    assert!(log.contains("injected fault: data worker"), "{log}");
}

#[test]
fn a_panic_on_the_ui_thread_restores_the_terminal_and_is_logged() {
    if !tmux::available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let t = Tmux::start(
        "uipanic",
        80,
        24,
        &command(dir.path(), &db, "DAICHO_FAULT=ui-panic"),
    );
    // The first screen (the overview) is up; the first key panics.
    t.wait_for("[e]", WAIT);
    t.keys(&["Down"]);
    let s = t.wait_for("STTY-SAVED", WAIT);
    assert!(s.contains("EXITED 101"), "{s}");
    assert_terminal_restored(dir.path());
    let log = std::fs::read_to_string(dir.path().join("state/daicho/daicho.log")).unwrap();
    assert!(log.contains("injected fault: UI thread"), "{log}");
}

#[test]
fn idle_for_five_seconds_writes_nothing() {
    if !tmux::available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let t = Tmux::start("idle", 80, 24, &command(dir.path(), &db, ""));
    // The overview (the first screen) with every number drawn.
    t.wait_for("[e]", WAIT);
    // Let the header counts and any late reply land, then listen.
    t.wait_for("更新案内", WAIT);
    t.wait_for("期限:", WAIT);
    std::thread::sleep(Duration::from_millis(500));
    let out = dir.path().join("idle.out");
    t.record_output(&out);
    std::thread::sleep(Duration::from_secs(5));
    let bytes = std::fs::metadata(&out).map(|m| m.len()).unwrap_or(0);
    assert_eq!(bytes, 0, "bytes written while idle");
    // And the recorder works: one keypress (to the ledger) produces output.
    t.keys(&["1"]);
    std::thread::sleep(Duration::from_millis(500));
    let after = std::fs::metadata(&out).map(|m| m.len()).unwrap_or(0);
    assert!(after > 0, "pipe-pane recorded nothing for a keypress");
}

/// A job started from the palette shows live progress, a second process is refused
/// while the TUI's run holds the lease, and X cancels the run.
#[test]
fn a_job_runs_with_progress_holds_its_lease_and_cancels() {
    if !tmux::available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    // One table a batch, slowed down, so the run is caught in progress.
    let env = "DAICHO_JOB_BATCH_DELAY_MS=400";
    let t = Tmux::start("job", 80, 24, &command(dir.path(), &db, env));
    // The app starts on the overview (概況); the ledger is `1`.
    t.wait_for("[e]", WAIT);
    t.keys(&["1"]);
    t.wait_for("366件", WAIT);
    t.keys(&["C-p"]);
    t.type_text("job.run_integrity_check");
    t.wait_for("整合性検査", WAIT);
    t.keys(&["Enter"]);
    t.wait_for("整合性検査 実行中", WAIT);
    t.wait_for("%", WAIT);
    let other = std::process::Command::new(bin())
        .args(["sync", "run", "integrity-check", "--db"])
        .arg(&db)
        .env("LANG", "C.UTF-8")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&other.stderr);
    assert!(!other.status.success(), "second run started: {stderr}");
    assert!(stderr.contains("demo-approver"), "{stderr}");
    t.keys(&["5"]);
    t.wait_for("（中止: X）", WAIT);
    t.keys(&["X"]);
    t.wait_for("中止しました", WAIT);
    // The list reloads: the run is recorded cancelled, nothing is running any more.
    let start = std::time::Instant::now();
    while t.screen().contains("実行中") {
        assert!(start.elapsed() < WAIT, "still running:\n{}", t.screen());
        std::thread::sleep(Duration::from_millis(50));
    }
    t.keys(&["q"]);
    t.wait_for("EXITED 0", WAIT);
    t.wait_for("STTY-SAVED", WAIT);
    assert_terminal_restored(dir.path());
}

#[test]
fn screen_option_opens_the_named_screen_first() {
    if !tmux::available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let cmd = command(dir.path(), &db, "")
        .replace(" --ambiguous narrow", " --ambiguous narrow --screen ledger");
    let t = Tmux::start("screen-option", 80, 24, &cmd);
    let s = t.wait_for("366件", WAIT);
    assert!(s.contains("事業所番号"), "the ledger is first:\n{s}");
    t.keys(&["0"]);
    t.wait_for("[e]", WAIT);
    t.keys(&["q"]);
    t.wait_for("EXITED 0", WAIT);
}
