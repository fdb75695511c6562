//! `daicho audit verify`, `daicho user` and login through the real binary.

#![allow(clippy::unwrap_used)] // a test binary

use rusqlite::Connection;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn daicho(db: &Path, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_daicho"))
        .arg("--db")
        .arg(db)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The process may exit before reading (refused early): ignore a broken pipe.
    let _ = child.stdin.take().unwrap().write_all(stdin.as_bytes());
    child.wait_with_output().unwrap()
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// A database with an admin and a reviewer made through `daicho user`.
fn setup(dir: &Path) -> std::path::PathBuf {
    let db = dir.join("office.db");
    let o = daicho(
        &db,
        &[
            "user",
            "add",
            "a001",
            "--name",
            "管理 一郎",
            "--role",
            "admin",
        ],
        "admin-password\n",
    );
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("bootstrap"), "{}", text(&o));
    let o = daicho(
        &db,
        &[
            "--staff",
            "a001",
            "user",
            "add",
            "k001",
            "--name",
            "審査 一郎",
            "--role",
            "reviewer",
        ],
        "admin-password\nreviewer-password\n",
    );
    assert!(o.status.success(), "{}", text(&o));
    db
}

#[test]
fn user_commands_need_an_admin_after_bootstrap() {
    let dir = tempfile::tempdir().unwrap();
    let db = setup(dir.path());
    // A second "bootstrap" is not one: it needs an admin login.
    let o = daicho(
        &db,
        &["user", "add", "a002", "--name", "x", "--role", "admin"],
        "pw-pw-pw-pw\n",
    );
    assert!(!o.status.success());
    assert!(text(&o).contains("--staff ADMIN_ID"), "{}", text(&o));
    // The reviewer logs in fine but may not manage users.
    let o = daicho(
        &db,
        &["--staff", "k001", "user", "list"],
        "reviewer-password\n",
    );
    assert!(!o.status.success());
    assert!(text(&o).contains("only an admin"), "{}", text(&o));
    // A wrong admin password is refused with the bilingual message.
    let o = daicho(&db, &["--staff", "a001", "user", "list"], "nope\n");
    assert!(!o.status.success());
    assert!(text(&o).contains("wrong password"), "{}", text(&o));
    let o = daicho(
        &db,
        &["--staff", "a001", "user", "list"],
        "admin-password\n",
    );
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains("k001") && text(&o).contains("reviewer"),
        "{}",
        text(&o)
    );
}

#[test]
fn verify_passes_then_detects_an_altered_row() {
    let dir = tempfile::tempdir().unwrap();
    let db = setup(dir.path());
    let o = daicho(&db, &["audit", "verify"], "");
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("OK"), "{}", text(&o));
    Connection::open(&db)
        .unwrap()
        .execute(
            "UPDATE audit_log SET actor = 'someone-else' WHERE seq = 1",
            [],
        )
        .unwrap();
    let o = daicho(&db, &["audit", "verify"], "");
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("seq 1: hash mismatch"), "{}", text(&o));
}

#[test]
fn verify_detects_a_rewritten_link_and_a_gap() {
    let dir = tempfile::tempdir().unwrap();
    let db = setup(dir.path());
    let conn = Connection::open(&db).unwrap();
    let max: i64 = conn
        .query_row("SELECT max(seq) FROM audit_log", [], |r| r.get(0))
        .unwrap();
    assert!(max >= 3);
    conn.execute("DELETE FROM audit_log WHERE seq = 2", [])
        .unwrap();
    let o = daicho(&db, &["audit", "verify"], "");
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o).contains("seq gap after 1"), "{}", text(&o));
}

#[test]
fn verify_detects_deleted_newest_rows_through_the_anchor() {
    let dir = tempfile::tempdir().unwrap();
    let db = setup(dir.path());
    let conn = Connection::open(&db).unwrap();
    let max: i64 = conn
        .query_row("SELECT max(seq) FROM audit_log", [], |r| r.get(0))
        .unwrap();
    // The chain that remains is perfectly valid; only the anchor tells.
    conn.execute("DELETE FROM audit_log WHERE seq >= ?1", [max - 1])
        .unwrap();
    drop(conn);
    let o = daicho(&db, &["audit", "verify"], "");
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("truncated"), "{}", text(&o));
    assert!(
        text(&o).contains(&format!("anchor records seq {max}")),
        "{}",
        text(&o)
    );
}

#[test]
fn monthly_report_lists_failed_logins() {
    let dir = tempfile::tempdir().unwrap();
    let db = setup(dir.path());
    let _ = daicho(&db, &["--staff", "k001", "user", "list"], "bad-password\n");
    let month = chrono::Local::now().format("%Y-%m").to_string();
    let o = daicho(&db, &["audit", "report", "--month", &month], "");
    assert!(o.status.success(), "{}", text(&o));
    let t = text(&o);
    assert!(t.contains("login.failed") && t.contains("k001"), "{t}");
    assert!(t.contains("user.add") && t.contains("a001"), "{t}");
}
