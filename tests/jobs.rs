//! `daicho sync run/status/list` through the real binary: the lease across processes,
//! Ctrl-C, takeover after a crash, failures and exit codes.

#![allow(clippy::unwrap_used)] // a test binary

mod common;

use daicho::store::{Store, audit};
use rusqlite::{Connection, OptionalExtension};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

fn daicho(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_daicho"))
        .arg("--db")
        .arg(db)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// `n` more audit records, so that a run in batches of one takes a while.
fn add_audit_records(db: &Path, n: usize) {
    let mut store = Store::open(db).unwrap();
    store
        .write(|tx| {
            for i in 0..n {
                audit::append(
                    tx,
                    &audit::Entry {
                        actor: "k001".into(),
                        action: "facility.update".into(),
                        object_type: "facility".into(),
                        object_id: i.to_string(),
                        fields: vec!["phone".into()],
                        reason: String::new(),
                    },
                )?;
            }
            Ok(())
        })
        .unwrap();
}

/// A slow `sync run verify-audit` in the background (one record per batch, 25 ms each).
fn slow_run(db: &Path) -> Child {
    Command::new(env!("CARGO_BIN_EXE_daicho"))
        .arg("--db")
        .arg(db)
        .args([
            "--lang",
            "en",
            "sync",
            "run",
            "verify-audit",
            "--batch-size",
            "1",
            "--test-batch-delay-ms",
            "25",
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn lease_holder(db: &Path, kind: &str) -> Option<String> {
    let conn = Connection::open(db).unwrap();
    conn.busy_timeout(Duration::from_secs(5)).unwrap();
    conn.query_row(
        "SELECT holder FROM job_lease WHERE kind = ?1",
        [kind],
        |r| r.get(0),
    )
    .optional()
    .unwrap()
}

fn wait_for_lease(db: &Path, kind: &str) -> String {
    let start = Instant::now();
    loop {
        if let Some(h) = lease_holder(db, kind) {
            return h;
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "no lease for {kind} appeared"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// (status, message) of the newest run of `kind`.
fn last_run(db: &Path, kind: &str) -> (String, String) {
    let conn = Connection::open(db).unwrap();
    conn.query_row(
        "SELECT status, message FROM sync_job WHERE kind = ?1 ORDER BY id DESC LIMIT 1",
        [kind],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .unwrap()
}

fn signal(child: &Child, sig: &str) {
    let ok = Command::new("kill")
        .args([sig, &child.id().to_string()])
        .status()
        .unwrap();
    assert!(ok.success());
}

#[test]
fn a_second_process_is_refused_while_the_lease_is_held_and_ctrl_c_cancels_cleanly() {
    let db = common::fresh_db();
    // 20 s of batches: ample time for the checks below on a busy machine; Ctrl-C ends it.
    add_audit_records(&db.path, 800);
    let child = slow_run(&db.path);
    let holder = wait_for_lease(&db.path, "verify-audit");
    assert!(
        holder.contains(&format!(":{}:demo-approver", child.id())),
        "{holder}"
    );

    let o = daicho(&db.path, &["--lang", "en", "sync", "run", "verify-audit"]);
    assert!(!o.status.success(), "{}", text(&o));
    let msg = String::from_utf8_lossy(&o.stderr);
    assert!(msg.contains("another process"), "{msg}");
    assert!(msg.contains(&holder), "names the holder: {msg}");
    assert!(msg.contains("until"), "says until when: {msg}");
    let o = daicho(&db.path, &["sync", "run", "verify-audit"]);
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("別のプロセス"),
        "Japanese by default: {}",
        text(&o)
    );
    // The lease is per kind: another kind runs meanwhile.
    let o = daicho(&db.path, &["sync", "run", "integrity-check"]);
    assert!(o.status.success(), "{}", text(&o));
    // Status shows the lease and the running row.
    let o = daicho(&db.path, &["--lang", "en", "sync", "status"]);
    assert!(o.status.success(), "{}", text(&o));
    let status = String::from_utf8_lossy(&o.stdout);
    assert!(status.contains(&holder), "{status}");
    assert!(status.contains("running"), "{status}");

    // Ctrl-C: the run is recorded as cancelled and the lease released.
    signal(&child, "-INT");
    let out = child.wait_with_output().unwrap();
    assert!(!out.status.success(), "{}", text(&out));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("cancelled"),
        "{}",
        text(&out)
    );
    assert_eq!(last_run(&db.path, "verify-audit").0, "cancelled");
    assert_eq!(lease_holder(&db.path, "verify-audit"), None);
    // And the kind can run again.
    let o = daicho(&db.path, &["sync", "run", "verify-audit"]);
    assert!(o.status.success(), "{}", text(&o));
}

#[test]
fn the_lease_of_a_killed_process_is_taken_over_after_it_expires() {
    let db = common::fresh_db();
    add_audit_records(&db.path, 400);
    let mut child = slow_run(&db.path);
    wait_for_lease(&db.path, "verify-audit");
    signal(&child, "-KILL");
    child.wait().unwrap();
    // The dead process still holds the lease until it expires.
    assert!(lease_holder(&db.path, "verify-audit").is_some());
    let o = daicho(&db.path, &["--lang", "en", "sync", "run", "verify-audit"]);
    assert!(!o.status.success(), "{}", text(&o));

    let conn = Connection::open(&db.path).unwrap();
    conn.execute(
        "UPDATE job_lease SET expires_at = '2000-01-01T00:00:00.000Z'",
        [],
    )
    .unwrap();
    let o = daicho(&db.path, &["--lang", "en", "sync", "run", "verify-audit"]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("taken over"), "{}", text(&o));
    let statuses: Vec<String> = conn
        .prepare("SELECT status FROM sync_job WHERE kind = 'verify-audit' ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(statuses, ["abandoned", "succeeded"]);
    assert_eq!(lease_holder(&db.path, "verify-audit"), None);
}

#[test]
fn a_broken_audit_chain_fails_verify_audit_with_a_non_zero_exit() {
    let db = common::fresh_db();
    add_audit_records(&db.path, 5);
    let o = daicho(&db.path, &["--lang", "en", "sync", "run", "verify-audit"]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains("intact"));

    let conn = Connection::open(&db.path).unwrap();
    conn.execute(
        "UPDATE audit_log SET actor = 'someone-else' WHERE seq = 2",
        [],
    )
    .unwrap();
    let o = daicho(&db.path, &["--lang", "en", "sync", "run", "verify-audit"]);
    assert!(!o.status.success(), "{}", text(&o));
    let msg = String::from_utf8_lossy(&o.stderr);
    assert!(msg.contains("broken"), "{msg}");
    assert!(msg.contains("seq 2"), "names the record: {msg}");
    assert!(
        msg.contains(&db.path.canonicalize().unwrap().display().to_string()),
        "names the database: {msg}"
    );
    let (status, message) = last_run(&db.path, "verify-audit");
    assert_eq!(status, "failed");
    assert!(message.contains("seq 2"), "{message}");
    assert_eq!(lease_holder(&db.path, "verify-audit"), None);

    let o = daicho(&db.path, &["sync", "run", "verify-audit"]);
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("監査ログが壊れています"),
        "{}",
        text(&o)
    );
}

#[test]
fn without_a_terminal_progress_is_a_plain_line_per_tenth() {
    let db = common::fresh_db();
    add_audit_records(&db.path, 100);
    let o = daicho(
        &db.path,
        &[
            "--lang",
            "en",
            "sync",
            "run",
            "verify-audit",
            "--batch-size",
            "1",
            "--test-batch-delay-ms",
            "10",
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
    let err = String::from_utf8_lossy(&o.stderr);
    let lines: Vec<&str> = err.lines().filter(|l| l.contains('%')).collect();
    assert!(!err.contains('\r'), "no redrawn bar: {err:?}");
    assert!(lines.len() >= 3 && lines.len() <= 11, "{lines:?}");
    assert!(lines.last().unwrap().contains("100%"), "{lines:?}");
}

#[test]
fn a_real_database_needs_a_staff_login() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("office.db");
    Store::create(&db).unwrap();
    let o = daicho(&db, &["--lang", "en", "sync", "run", "verify-audit"]);
    assert!(!o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("--staff"), "{}", text(&o));
    let o = daicho(&db, &["--staff", "nobody", "sync", "run", "verify-audit"]);
    assert!(!o.status.success(), "{}", text(&o));
}

#[test]
fn list_and_help_name_the_kinds_and_the_cron_account() {
    let db = common::fresh_db();
    let o = daicho(&db.path, &["--lang", "en", "sync", "list"]);
    assert!(o.status.success(), "{}", text(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains("verify-audit") && out.contains("integrity-check"),
        "{out}"
    );
    let o = daicho(&db.path, &["sync", "run", "--help"]);
    assert!(String::from_utf8_lossy(&o.stdout).contains("system"));
    let o = daicho(&db.path, &["sync", "run", "nonsense"]);
    assert!(!o.status.success());
    assert!(text(&o).contains("verify-audit"), "{}", text(&o));
}
