//! Issue 15 end to end: the real binary in tmux at 80×24. Open the consent queue, see the
//! insured person masked, reveal one record with a reason, record a consent (after the
//! confirmation) and see the linked application become decidable.

#![allow(clippy::unwrap_used)] // test binary: helpers outside #[test] may unwrap too

mod common;

use common::tmux::{self, Tmux};
use std::path::{Path, PathBuf};
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(45);

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_daicho")
}

fn demo_db(dir: &Path) -> PathBuf {
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

/// The row of the case view that shows the insured person.
fn insured_line(screen: &str) -> String {
    screen
        .lines()
        .find(|l| l.starts_with("被保険者"))
        .unwrap_or_default()
        .to_string()
}

#[test]
fn reveal_and_record_a_consent_that_unblocks_the_application() {
    if !tmux::available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let cmd = format!(
        "cd {d} && env DAICHO_TODAY=2026-11-25 XDG_STATE_HOME={d}/state XDG_CONFIG_HOME={d}/config {bin} --db {db} --ambiguous narrow; sleep 600",
        d = dir.path().display(),
        db = db.display(),
        bin = bin(),
    );
    let t = Tmux::start("consent", 80, 24, &cmd);
    // The app starts on the overview (概況).
    t.wait_for("[e]", WAIT);
    t.keys(&["3"]);
    t.wait_for("督促日", WAIT);
    // The linked request to 練馬区 still waits for its answer in the demo.
    t.keys(&["/"]);
    t.type_text("練馬");
    t.keys(&["Enter"]);
    t.wait_for("検索「練馬」", WAIT);
    t.keys(&["Enter"]);
    let case = t.wait_for("区外へ依頼 › 練馬区", WAIT);
    assert!(insured_line(&case).contains("＊＊"), "{case}");
    assert!(case.contains("決定できません"), "{case}");
    t.keys(&["r"]);
    t.wait_for("理由:", WAIT);
    t.type_text("区外指定の同意手続のため");
    t.keys(&["Enter"]);
    let shown = t.wait_for("表示中・記録済み", WAIT);
    assert!(!insured_line(&shown).contains('＊'), "{shown}");
    // s: the next statuses of 依頼済 are 受付, 同意, …; 同意 asks first.
    t.keys(&["s"]);
    t.wait_for("次の状態", WAIT);
    t.keys(&["Down", "Enter"]);
    let ask = t.wait_for("よろしいですか", WAIT);
    assert!(ask.contains("「依頼済」から「同意」"), "{ask}");
    t.keys(&["Enter"]);
    let done = t.wait_for("決定できます", WAIT);
    assert!(done.contains("[同意]"), "{done}");
    t.keys(&["q"]);
}
