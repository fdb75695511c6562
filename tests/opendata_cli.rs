//! Open data through the real binary: the ward setting, `import-opendata` and
//! `export-opendata`.

#![allow(clippy::unwrap_used)] // a test binary

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn daicho(db: &Path, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_daicho"))
        .arg("--db")
        .arg(db)
        .arg("--lang")
        .arg("en")
        .args(args)
        .env("DAICHO_AUDIT_SYSLOG", "off")
        .env("DAICHO_TODAY", "2026-11-01")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
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

fn with_admin(dir: &Path) -> std::path::PathBuf {
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
    db
}

#[test]
fn the_ward_setting_is_checked_and_kept() {
    let dir = tempfile::tempdir().unwrap();
    let db = with_admin(dir.path());
    let o = daicho(&db, &["settings", "show"], "");
    assert!(text(&o).contains("131041 新宿区"), "{}", text(&o));
    // A wrong check digit is refused, naming the field.
    let o = daicho(
        &db,
        &["--staff", "a001", "settings", "ward", "131131", "渋谷区"],
        "admin-password\n",
    );
    assert!(!o.status.success());
    assert!(text(&o).contains("ward code"), "{}", text(&o));
    let o = daicho(
        &db,
        &["--staff", "a001", "settings", "ward", "131130", "渋谷区"],
        "admin-password\n",
    );
    assert!(o.status.success(), "{}", text(&o));
    let o = daicho(&db, &["settings", "show"], "");
    assert!(text(&o).contains("131130 渋谷区"), "{}", text(&o));
}
