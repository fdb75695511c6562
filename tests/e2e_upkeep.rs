//! End-to-end (issue 13): the real binary in tmux at 80×24 — open a facility whose
//! 運営推進会議 is overdue, record the meeting, and see the alert clear and the history
//! line appear.

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

fn command(dir: &Path, db: &Path) -> String {
    format!(
        "cd {dir} && env DAICHO_TODAY=2026-11-25 XDG_STATE_HOME={dir}/state XDG_CONFIG_HOME={dir}/config {bin} --db {db} --ambiguous narrow; \
         echo \"EXITED $?\"; sleep 600",
        dir = dir.display(),
        db = db.display(),
        bin = bin(),
    )
}

/// The header's overdue-meeting count (`会議:N`: abbreviated at 80 columns, where the
/// five counts do not fit in words).
fn meetings_overdue(screen: &str) -> usize {
    let header = screen.lines().next().unwrap_or_default();
    let at = header.find("会議:").unwrap() + "会議:".len();
    header[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .unwrap()
}

#[test]
fn record_an_overdue_meeting_and_see_the_alert_clear_and_the_history_line() {
    if !tmux::available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let t = Tmux::start("upkeep", 80, 24, &command(dir.path(), &db));
    // The app starts on the overview (概況); the ledger is `1`.
    t.wait_for("[e]", WAIT);
    t.keys(&["1"]);
    let start = t.wait_for("366件", WAIT);
    let overdue = meetings_overdue(&start);
    // The alert key twice: the facilities whose meeting is overdue; open the first.
    t.keys(&["a"]);
    t.wait_for("絞込: 有効期限", WAIT);
    t.keys(&["a"]);
    t.wait_for("絞込: 運営推進会議の期限超過", WAIT);
    t.keys(&["Enter"]);
    t.wait_for("基本情報", WAIT);
    t.keys(&["]", "]", "]", "]"]);
    t.wait_for("期限超過", WAIT);
    t.wait_for("開催記録（新しい順）", WAIT);
    t.keys(&["m"]);
    t.wait_for("会議の開催を記録:", WAIT);
    t.type_text("2026-11-20");
    t.keys(&["C-s"]);
    t.wait_for("次回の開催期限はこの日から数え直します", WAIT);
    t.keys(&["Enter"]);
    t.wait_for("会議の開催を記録しました", WAIT);
    // The message comes first; the reloaded tab (last held: the new date) follows.
    t.wait_for("令和8年11月20日", WAIT);
    let after = t.wait_for(&format!("会議:{}", overdue - 1), WAIT);
    let body: Vec<&str> = after.lines().skip(2).take(20).collect();
    assert!(
        !body
            .iter()
            .any(|l| l.contains("期限超過") && !l.contains("絞込")),
        "the overdue alert is gone:\n{after}"
    );
    t.keys(&["]"]);
    let history = t.wait_for("会議の開催日: （なし） → 2026-11-20", WAIT);
    assert!(history.contains("[会議の記録]"), "{history}");
    t.keys(&["q"]);
    t.wait_for("EXITED 0", WAIT);
}
