//! Issue 14 end to end: the real binary in tmux at 80×24, two logins. A reviewer filters
//! the overdue cases, opens a 変更届出, sees the diff, returns it with a typed reason,
//! records the resubmission and reviews it again; an approver (who neither keyed nor
//! reviewed it) decides it after the confirmation, and the ledger's 変更履歴 tab shows
//! the change and the case that caused it.

#![allow(clippy::unwrap_used)] // test binary: helpers outside #[test] may unwrap too

mod common;

use common::tmux::{self, Tmux};
use daicho::domain::application::{ApplicationKind, ApplicationStatus};
use daicho::domain::inbox::{InboxQuery, InboxRow};
use daicho::store::Store;
use std::path::{Path, PathBuf};
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(45);

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_daicho")
}

fn today() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()
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

/// Starts the binary logged in as `staff` (the password typed at the prompt).
fn login(name: &str, dir: &Path, db: &Path, staff: &str) -> Tmux {
    let cmd = format!(
        "cd {d} && env DAICHO_TODAY=2026-11-25 XDG_STATE_HOME={d}/state XDG_CONFIG_HOME={d}/config {bin} --db {db} --staff {staff} --ambiguous narrow; echo \"EXITED $?\"; sleep 600",
        d = dir.display(),
        db = db.display(),
        bin = bin(),
    );
    let t = Tmux::start(name, 80, 24, &cmd);
    t.wait_for("のパスワード", WAIT);
    t.type_text(&daicho::demo::demo_password(staff));
    t.keys(&["Enter"]);
    // The app opens on the overview (概況); the journeys start from the ledger.
    t.wait_for("[e]", WAIT);
    t.keys(&["1"]);
    t.wait_for("事業所番号", WAIT);
    t
}

/// The inbox list as the screen asks for it (open cases, default sort).
fn rows(db: &Path, overdue_only: bool) -> Vec<InboxRow> {
    let store = Store::open(db).unwrap();
    let query = InboxQuery {
        open_only: true,
        overdue_only,
        ..InboxQuery::default()
    };
    daicho::store::inbox::list(store.conn_for_tests(), &query, today(), 10_000)
        .unwrap()
        .rows
}

/// Moves the list cursor down to row `at` (the list opens on its first row).
fn move_to(t: &Tmux, at: usize) {
    for _ in 0..at {
        t.keys(&["Down"]);
    }
}

#[test]
fn return_resubmit_and_approve_a_change_notice_as_another_user() {
    if !tmux::available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    // An overdue 変更届出 under review that the approver neither keyed nor reviewed.
    let overdue = rows(&db, true);
    let at = overdue
        .iter()
        .position(|r| {
            r.kind == ApplicationKind::Change
                && r.status == ApplicationStatus::UnderReview
                && r.facility_id.is_some()
        })
        .expect("an overdue 変更届出 under review in the demo data");
    let case = overdue[at].clone();
    let reviewer = case.reviewed_by.clone().unwrap();
    assert_ne!(reviewer, "demo-approver");

    let t = login("inbox-review", dir.path(), &db, &reviewer);
    t.keys(&["2"]);
    t.wait_for("処理期限", WAIT);
    t.keys(&["o"]);
    let list = t.wait_for("絞込: 処理期限超過", WAIT);
    assert!(list.contains("変更届出"), "{list}");
    move_to(&t, at);
    t.keys(&["Enter"]);
    let opened = t.wait_for(&format!("案件 {}", case.id), WAIT);
    assert!(opened.contains("変更内容"), "the diff heading: {opened}");
    assert!(opened.contains("->"), "current -> requested: {opened}");
    assert!(opened.contains("[審査中]"), "{opened}");

    // 差戻し with a typed reason, then 再提出, then 審査開始 again.
    t.keys(&["b"]);
    t.wait_for("理由", WAIT);
    t.type_text("添付書類の不足のため");
    t.keys(&["Enter"]);
    t.wait_for("[差戻し]", WAIT);
    t.keys(&["p"]);
    t.wait_for("[再提出]", WAIT);
    t.keys(&["v"]);
    let again = t.wait_for("[審査中]", WAIT);
    assert!(again.contains("更新しました"), "{again}");
    // A reviewer cannot decide: the key says why instead of asking.
    t.keys(&["A"]);
    std::thread::sleep(Duration::from_millis(300));
    assert!(!t.screen().contains("を決定します"), "{}", t.screen());
    drop(t);

    // The approver finds the same case in the open list and decides it.
    let open = rows(&db, false);
    let at = open.iter().position(|r| r.id == case.id).unwrap();
    let history = {
        let store = Store::open(&db).unwrap();
        let d = daicho::store::inbox::detail(store.conn_for_tests(), case.id, today())
            .unwrap()
            .unwrap();
        assert!(
            d.events.iter().any(|e| e.reason == "添付書類の不足のため"),
            "the return reason is on the case"
        );
        d.diff.first().unwrap().clone()
    };
    let t = login("inbox-approve", dir.path(), &db, "demo-approver");
    t.keys(&["2"]);
    t.wait_for("処理期限", WAIT);
    move_to(&t, at);
    t.keys(&["Enter"]);
    let opened = t.wait_for(&format!("案件 {}", case.id), WAIT);
    assert!(opened.contains("差戻し"), "history in the case: {opened}");
    t.keys(&["A"]);
    let ask = t.wait_for("よろしいですか", WAIT);
    assert!(
        ask.contains("を決定します") && ask.contains("台帳の変更:"),
        "{ask}"
    );
    t.keys(&["y"]);
    t.wait_for("[決定]", WAIT);

    // The ledger: the facility's 変更履歴 tab names the case and the new value.
    t.keys(&["1"]);
    t.wait_for("事業所番号", WAIT);
    t.keys(&["/"]);
    t.type_text(&case.provider_number);
    t.keys(&["Enter"]);
    t.wait_for(&format!("1件  検索: {}", case.provider_number), WAIT);
    t.keys(&["Enter"]);
    t.wait_for("基本情報", WAIT);
    for _ in 0..5 {
        t.keys(&["]"]);
    }
    let tab = t.wait_for(&format!("申請 {}", case.id), WAIT);
    let (label, _) = daicho::domain::validate::label(&history.field);
    assert!(tab.contains(&format!("{label}: ")), "{label}: {tab}");
    assert!(tab.contains("→"), "old → new: {tab}");
    t.keys(&["q"]);
}

/// Paper intake at 80×24 in the real terminal: the kind menu, the form (Tab between
/// fields, Ctrl-S), the confirmation, and the new case opening; stored as 紙.
#[test]
fn a_paper_change_notice_is_keyed_in_and_opens_as_a_case() {
    if !tmux::available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let number = rows(&db, false)
        .into_iter()
        .find(|r| r.facility_id.is_some())
        .map(|r| r.provider_number)
        .unwrap();
    let t = login("inbox-intake", dir.path(), &db, "demo-reviewer");
    t.keys(&["2"]);
    t.wait_for("処理期限", WAIT);
    t.keys(&["I"]);
    t.wait_for("種類を選ぶ", WAIT);
    t.keys(&["Enter"]);
    t.wait_for("紙の申請を受付: 変更届出", WAIT);
    t.type_text(&number);
    t.keys(&["Tab"]);
    t.type_text("株式会社かみの届");
    t.keys(&["Tab", "Tab"]);
    t.type_text("R8.11.20");
    for _ in 0..6 {
        t.keys(&["Tab"]);
    }
    t.type_text("03-3333-4444");
    t.keys(&["C-s"]);
    let ask = t.wait_for("よろしいですか", WAIT);
    assert!(ask.contains("03-3333-4444"), "{ask}");
    t.keys(&["y"]);
    let opened = t.wait_for("紙の申請を受付けました", WAIT);
    assert!(
        opened.contains("[受付]") && opened.contains("紙"),
        "{opened}"
    );
    t.keys(&["q"]);
    let store = Store::open(&db).unwrap();
    let paper: Vec<InboxRow> = daicho::store::inbox::list(
        store.conn_for_tests(),
        &InboxQuery {
            search: number.clone(),
            ..InboxQuery::default()
        },
        today(),
        100,
    )
    .unwrap()
    .rows
    .into_iter()
    .filter(|r| r.applicant_name == "株式会社かみの届")
    .collect();
    assert_eq!(paper.len(), 1);
    assert_eq!(
        paper[0].source,
        daicho::domain::application::ApplicationSource::Paper
    );
}
