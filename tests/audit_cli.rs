//! `daicho audit verify`, `daicho user` and login through the real binary.

#![allow(clippy::unwrap_used)] // a test binary

use rusqlite::Connection;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

/// Runs daicho in English (`--lang en`), without syslog.
fn daicho(db: &Path, args: &[&str], stdin: &str) -> Output {
    daicho_env(db, args, stdin, &[])
}

fn daicho_env(db: &Path, args: &[&str], stdin: &str, env: &[(&str, &str)]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_daicho"))
        .arg("--db")
        .arg(db)
        .arg("--lang")
        .arg("en")
        .args(args)
        .env("DAICHO_AUDIT_SYSLOG", "off")
        .envs(env.iter().copied())
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
    assert!(
        text(&o).contains("4 tries left before the account locks"),
        "{}",
        text(&o)
    );
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

#[test]
fn a_missing_or_zeroed_anchor_fails_verify_unless_allowed() {
    let dir = tempfile::tempdir().unwrap();
    let db = setup(dir.path());
    let anchor = dir.path().join("office.db.audit-head");
    std::fs::remove_file(&anchor).unwrap();
    let o = daicho(&db, &["audit", "verify"], "");
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("missing or zeroed"), "{}", text(&o));
    let o = daicho(&db, &["audit", "verify", "--allow-missing-anchor"], "");
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("warning: no anchor"), "{}", text(&o));
    // The whole log deleted and the anchor zeroed: that is not "OK".
    Connection::open(&db)
        .unwrap()
        .execute("DELETE FROM audit_log", [])
        .unwrap();
    std::fs::write(&anchor, format!("0 {}\n", "0".repeat(64))).unwrap();
    let o = daicho(&db, &["audit", "verify"], "");
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    // In Japanese by default, once.
    let o = Command::new(env!("CARGO_BIN_EXE_daicho"))
        .args(["--db", db.to_str().unwrap(), "audit", "verify"])
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", "ja_JP.UTF-8")
        .output()
        .unwrap();
    assert!(text(&o).contains("アンカー"), "{}", text(&o));
    assert!(!text(&o).contains("missing or zeroed"), "{}", text(&o));
}

/// Rewrites the chain consistently from `from_seq` on (new actor, recomputed hashes), as
/// someone with the service account's rights could, and moves the anchor along.
fn rewrite_chain(db: &Path, from_seq: i64) {
    use daicho::store::audit;
    let conn = Connection::open(db).unwrap();
    let mut recs = Vec::new();
    audit::for_each(&conn, |r| {
        recs.push(r);
        true
    })
    .unwrap();
    let mut prev = audit::GENESIS.to_string();
    let mut last = (0, String::new());
    for mut r in recs {
        if r.seq >= from_seq {
            r.entry.actor = "someone-else".into();
        }
        let hash = audit::record_hash(&prev, r.seq, &r.at, &r.entry);
        conn.execute(
            "UPDATE audit_log SET actor = ?1, prev_hash = ?2, hash = ?3 WHERE seq = ?4",
            rusqlite::params![r.entry.actor, prev, hash, r.seq],
        )
        .unwrap();
        prev = hash.clone();
        last = (r.seq, hash);
    }
    std::fs::write(audit::anchor_path(db), format!("{} {}\n", last.0, last.1)).unwrap();
}

#[test]
fn a_consistent_rewrite_with_a_new_anchor_is_caught_by_the_witness() {
    let dir = tempfile::tempdir().unwrap();
    let witness = dir.path().join("witness");
    std::fs::write(&witness, "").unwrap();
    let env = [("DAICHO_AUDIT_WITNESS", witness.to_str().unwrap())];
    let db = dir.path().join("office.db");
    let o = daicho_env(
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
        &env,
    );
    assert!(o.status.success(), "{}", text(&o));
    let o = daicho_env(
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
        &env,
    );
    assert!(o.status.success(), "{}", text(&o));
    let w = witness.to_str().unwrap();
    let o = daicho(&db, &["audit", "verify", "--witness", w], "");
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("witnessed heads"), "{}", text(&o));
    // Chain and anchor agree after the rewrite: only the witness tells.
    rewrite_chain(&db, 1);
    let o = daicho(&db, &["audit", "verify"], "");
    assert!(
        o.status.success(),
        "without a witness the rewrite passes: {}",
        text(&o)
    );
    let o = daicho(&db, &["audit", "verify", "--witness", w], "");
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(
        text(&o).contains("differs from the witness"),
        "{}",
        text(&o)
    );
}

#[test]
fn the_report_escapes_stored_text_and_names_objects_as_staff_do() {
    let dir = tempfile::tempdir().unwrap();
    let db = setup(dir.path());
    {
        let mut store = daicho::store::Store::open(&db).unwrap();
        // Written before reasons were checked: the report must still not obey it.
        store
            .write(|tx| {
                daicho::store::audit::append(
                    tx,
                    &daicho::store::audit::Entry {
                        actor: "k001".into(),
                        action: "pii.reveal".into(),
                        object_type: "export".into(),
                        object_id: "x".into(),
                        fields: vec![],
                        reason: "確認\u{1b}]52;c;ZWNobyBoaQ==\u{7}\u{1b}[2J".into(),
                    },
                )
            })
            .unwrap();
    }
    let month = chrono::Local::now().format("%Y-%m").to_string();
    let o = daicho(&db, &["audit", "report", "--month", &month], "");
    let t = text(&o);
    assert!(!t.contains('\u{1b}') && !t.contains('\u{7}'), "{t:?}");
    assert!(t.contains("\\u{1b}]52"), "{t}");
    assert!(t.contains("staff k001"), "{t}");
    assert!(!t.contains("個人情報"), "English only with --lang en: {t}");
}
