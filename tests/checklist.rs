//! Issue 16: the checklist matches the committee paper, and an audit survives a killed
//! process.

#![allow(clippy::unwrap_used)] // a test binary

mod common;

use daicho::domain::checklist::{Mark, MarkInput, Side, parse_planned};
use daicho::domain::permission::{Actor, Role};
use daicho::service::checklist as svc;
use daicho::store::{Store, checklist_audit, checklist_reference};

/// The two checklist pages of the seed, verbatim (lines 785–958 of
/// shared/seed/000_e9da498c586f2dba.txt).
const SEED: &str = include_str!("data/seed_checklist_extract.txt");

/// (planned symbol, wording) per item as the PDF text lays it out: an item starts at a
/// line beginning with ○ or ー; its wording runs over the following lines up to a blank
/// line (the first item has a blank line between the mark and its text).
fn seed_items() -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut cur: Option<(String, String)> = None;
    for line in SEED.lines() {
        let t = line.trim();
        if t.starts_with('○') || t.starts_with('ー') {
            out.extend(cur.take());
            let mark: String = t.chars().take(1).collect();
            cur = Some((
                mark,
                t.chars().skip(1).collect::<String>().trim().to_string(),
            ));
        } else if t.is_empty() {
            if cur.as_ref().is_some_and(|(_, text)| !text.is_empty()) {
                out.extend(cur.take());
            }
        } else if let Some((_, text)) = cur.as_mut() {
            text.push_str(t);
        }
    }
    out.extend(cur);
    out
}

#[test]
fn wording_and_planned_values_match_the_seed_for_every_item_of_both_lists() {
    let seed = seed_items();
    assert_eq!(seed.len(), 32, "16 items on each of the two lists");
    let (ward, partner) = seed.split_at(16);
    // The pages say which list is which.
    assert!(SEED.contains("区が行う情報保護対策") && SEED.contains("結合先に行わせる"));
    assert!(ward[0].1.contains("指導する") && partner[0].1.ends_with("準拠させる。"));
    let store = Store::open_in_memory().unwrap();
    let c = store.conn_for_tests();
    let items = checklist_reference::items(c).unwrap();
    assert_eq!(items.len(), 16);
    for (i, item) in items.iter().enumerate() {
        assert_eq!(item.no, i as i64 + 1);
        assert_eq!(item.wording(Side::Ward), ward[i].1, "ward item {}", item.no);
        assert_eq!(
            item.wording(Side::Partner),
            partner[i].1,
            "partner item {}",
            item.no
        );
    }
    // The paper covers 電子申請・届出システム and LEMSCARE ("別紙チェックリストのとおり").
    for code in ["e_application", "lemscare"] {
        for (side, list) in [(Side::Ward, ward), (Side::Partner, partner)] {
            let planned = checklist_reference::planned(c, code, side).unwrap();
            assert_eq!(planned.len(), 16, "{code} {side:?}");
            for (no, mark) in planned {
                let want = parse_planned(&list[no as usize - 1].0).unwrap();
                assert_eq!(mark, want, "{code} {side:?} item {no}");
            }
        }
    }
}

fn reviewer() -> Actor {
    Actor {
        staff_id: "k001".into(),
        role: Role::Reviewer,
    }
}

/// Child process: marks items 1–5, then dies (SIGABRT, no destructors, no clean close)
/// while item 6's transaction is open.
#[test]
fn child_marks_five_items_then_is_killed() {
    let Ok(db) = std::env::var("DAICHO_TEST_KILL_DB") else {
        return; // only meaningful when started by the test below
    };
    let mut store = Store::open(std::path::Path::new(&db)).unwrap();
    let a = svc::start_audit(&mut store, &reviewer(), "kokuhoren", Side::Partner).unwrap();
    for n in 1..=5 {
        svc::mark_item(
            &mut store,
            &reviewer(),
            a.header.id,
            n,
            0,
            &MarkInput::new(Mark::Ok),
        )
        .unwrap()
        .unwrap();
    }
    store
        .conn_for_tests()
        .execute_batch(
            "BEGIN IMMEDIATE; INSERT INTO checklist_mark(audit_id, item_no, mark) SELECT id, 6, 'ok' FROM checklist_audit WHERE signed_at IS NULL AND connection_code = 'kokuhoren';",
        )
        .unwrap();
    std::process::abort();
}

#[test]
fn an_audit_resumes_after_the_process_is_killed_mid_way() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("d.db");
    drop(Store::create(&db).unwrap());
    let status = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "child_marks_five_items_then_is_killed",
            "--nocapture",
        ])
        .env("DAICHO_TEST_KILL_DB", &db)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(!status.success(), "the child was meant to die: {status:?}");
    let mut store = Store::open(&db).unwrap();
    let open = checklist_audit::open_audit(store.conn_for_tests(), "kokuhoren", Side::Partner)
        .unwrap()
        .expect("the interrupted audit is still open");
    assert_eq!(open.marked, 5, "the uncommitted 6th mark is gone");
    // Starting again resumes the same audit at item 6.
    let resumed = svc::start_audit(&mut store, &reviewer(), "kokuhoren", Side::Partner).unwrap();
    assert_eq!(resumed.header.id, open.id);
    assert_eq!(resumed.resume_at(), Some(6));
    let d = svc::mark_item(
        &mut store,
        &reviewer(),
        open.id,
        6,
        0,
        &MarkInput::new(Mark::Ok),
    )
    .unwrap()
    .unwrap();
    assert_eq!(d.resume_at(), Some(7));
}

fn daicho(db: &std::path::Path, args: &[&str], stdin: &str) -> std::process::Output {
    use std::io::Write;
    use std::process::{Command, Stdio};
    // "Today" is the demo's today, which its records (reviews, audits) are dated from.
    let today = Store::open_read_only(db)
        .ok()
        .and_then(|s| {
            daicho::store::meta::get(s.conn_for_tests(), "demo_today")
                .ok()
                .flatten()
        })
        .unwrap_or_default();
    let mut child = Command::new(env!("CARGO_BIN_EXE_daicho"))
        .env("DAICHO_TODAY", today)
        .arg("--db")
        .arg(db)
        .args(args)
        .env("DAICHO_AUDIT_SYSLOG", "off")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let _ = child.stdin.take().unwrap().write_all(stdin.as_bytes());
    child.wait_with_output().unwrap()
}

fn text(o: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[test]
fn audit_report_reviewed_records_who_reviewed_and_the_self_check_sees_it() {
    let db = common::fresh_db();
    let month = (chrono::Local::now().date_naive() - chrono::Months::new(13))
        .format("%Y-%m")
        .to_string();
    // A reviewer may read the report but not record the review.
    let o = daicho(
        &db.path,
        &[
            "--lang",
            "en",
            "--staff",
            "demo-reviewer",
            "audit",
            "report",
            "--month",
            &month,
            "--reviewed",
        ],
        "reviewer-demo\n",
    );
    assert!(!o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("approver or admin"), "{}", text(&o));
    let o = daicho(
        &db.path,
        &[
            "--lang",
            "en",
            "audit",
            "report",
            "--month",
            &month,
            "--reviewed",
        ],
        "",
    );
    assert!(!o.status.success());
    assert!(text(&o).contains("--staff"), "{}", text(&o));
    let o = daicho(
        &db.path,
        &[
            "--lang",
            "ja",
            "--staff",
            "demo-approver",
            "audit",
            "report",
            "--month",
            &month,
            "--reviewed",
            "--note",
            "不審な操作なし",
        ],
        "approver-demo\n",
    );
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains("demo-approver が確認したことを記録しました"),
        "{}",
        text(&o)
    );
    let store = Store::open(&db.path).unwrap();
    let reviews = checklist_audit::access_reviews(store.conn_for_tests(), &month).unwrap();
    assert_eq!(reviews.len(), 1);
    assert_eq!(reviews[0].1, "demo-approver");
    let trail =
        daicho::store::audit::for_object(store.conn_for_tests(), "audit_month", &month, 5).unwrap();
    assert_eq!(trail[0].entry.action, "audit.review");
}

#[test]
fn checklist_report_and_selfcheck_from_the_command_line() {
    let db = common::fresh_db();
    let out = db.dir.path().join("reports");
    let o = daicho(
        &db.path,
        &[
            "--lang",
            "en",
            "checklist",
            "report",
            "--connection",
            "lemscare",
            "--side",
            "partner",
            "--out",
            out.to_str().unwrap(),
        ],
        "",
    );
    assert!(o.status.success(), "{}", text(&o));
    let files: Vec<String> = String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(str::to_string)
        .collect();
    assert_eq!(files.len(), 3, "{files:?}");
    let html = std::fs::read_to_string(&files[0]).unwrap();
    assert!(
        html.contains("結合先に行わせる情報保護対策") && html.contains("demo-approver"),
        "{html}"
    );
    assert!(html.contains("自動点検"), "self-checks beside their items");
    assert!(files[2].ends_with(".csv"));
    let o = daicho(
        &db.path,
        &[
            "--lang",
            "en",
            "checklist",
            "report",
            "--connection",
            "nowhere",
            "--side",
            "ward",
            "--out",
            out.to_str().unwrap(),
        ],
        "",
    );
    assert!(!o.status.success());
    assert!(
        text(&o).contains("--connection nowhere") && text(&o).contains("lemscare"),
        "{}",
        text(&o)
    );
    // The demo has no backups yet: the self-check says so and exits 1.
    let o = daicho(&db.path, &["--lang", "en", "checklist", "selfcheck"], "");
    assert!(!o.status.success());
    let t = text(&o);
    assert!(t.contains("FAIL 14 backups: no backup in"), "{t}");
    assert!(t.contains("pass 13 monthly access-log review"), "{t}");
}
