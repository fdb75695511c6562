//! Issue 16 end to end: the real binary in tmux at 80×24 (LANG=C.UTF-8). A full audit
//! of one list of 16 items with the keyboard alone, in under 40 keypresses, signed;
//! the matrix then shows the new counts.

#![allow(clippy::unwrap_used)] // test binary

mod common;

use common::tmux::{self, Tmux};
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(45);

#[test]
fn a_full_audit_by_keyboard_in_under_40_keys() {
    if !tmux::available() {
        return;
    }
    use std::os::unix::fs::PermissionsExt;
    let bin = env!("CARGO_BIN_EXE_daicho");
    let dir = tempfile::tempdir().unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o700)).unwrap();
    let db = dir.path().join("demo.db");
    let out = std::process::Command::new(bin)
        .args(["demo", "--out"])
        .arg(&db)
        .env("DAICHO_TODAY", "2026-11-25")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let cmd = format!(
        "cd {d} && env DAICHO_TODAY=2026-11-25 XDG_STATE_HOME={d}/state XDG_CONFIG_HOME={d}/config {bin} --db {db} --ambiguous narrow; echo \"EXITED $?\"; sleep 600",
        d = dir.path().display(),
        db = db.display(),
    );
    let t = Tmux::start("checklist", 80, 24, &cmd);
    // The app starts on the overview (概況).
    t.wait_for("[e]", WAIT);
    let mut presses = 0;
    let mut press = |keys: &[&str]| {
        presses += keys.len();
        t.keys(keys);
    };
    // The checklist, the first list (電子申請・届出システム, 区), a new audit.
    press(&["4"]);
    t.wait_for("結合先一覧", WAIT);
    press(&["Enter"]);
    t.wait_for("署名済み", WAIT);
    press(&["s"]);
    t.wait_for("新しい点検を開始します", WAIT);
    press(&["y"]);
    t.wait_for("点検中 0/16", WAIT);
    // 15 items in place, the last one not needed: one key each.
    for _ in 0..15 {
        press(&["o"]);
    }
    press(&["n"]);
    t.wait_for("点検中 16/16", WAIT);
    press(&["C-s"]);
    t.wait_for("署名後は変更できず", WAIT);
    press(&["y"]);
    t.wait_for("署名しました", WAIT);
    press(&["Escape"]);
    let screen = t.wait_for("結合先一覧", WAIT);
    let row = screen
        .lines()
        .find(|l| l.contains("電子申請"))
        .unwrap_or_default()
        .to_string();
    assert!(
        row.contains("15  1  0"),
        "new counts in the matrix:\n{screen}"
    );
    assert!(presses < 40, "{presses} keypresses");
    t.keys(&["q"]);
    t.wait_for("EXITED 0", WAIT);
}
