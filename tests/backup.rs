//! Backup → restore gives back exactly the same data.

#![allow(clippy::unwrap_used)] // a test binary

use daicho::cli::backup::{generations, make_backup, restore};
use daicho::demo::{DemoOptions, generate};
use daicho::store::Store;
use rusqlite::Connection;
use std::path::Path;

/// Every row of every ordinary table, ordered by rowid (the `.dump` equivalent).
fn dump(db: &Path, skip_audit_after: Option<i64>) -> Vec<String> {
    let conn = Connection::open(db).unwrap();
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut out = Vec::new();
    for t in tables {
        let filter = match (t.as_str(), skip_audit_after) {
            ("audit_log", Some(n)) => format!(" WHERE seq <= {n}"),
            _ => String::new(),
        };
        // WITHOUT ROWID tables (FTS shadow tables) sort by their key instead.
        let mut st = conn
            .prepare(&format!("SELECT * FROM \"{t}\"{filter} ORDER BY rowid"))
            .or_else(|_| conn.prepare(&format!("SELECT * FROM \"{t}\"{filter} ORDER BY 1")))
            .unwrap();
        let cols = st.column_count();
        let mut rows = st.query([]).unwrap();
        while let Some(r) = rows.next().unwrap() {
            let vals: Vec<String> = (0..cols)
                .map(|i| format!("{:?}", r.get_ref(i).unwrap()))
                .collect();
            out.push(format!("{t}: {}", vals.join("|")));
        }
    }
    out
}

#[test]
fn backup_then_restore_gives_identical_data() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("live.db");
    {
        let mut store = Store::create(&db).unwrap();
        let opts = DemoOptions {
            facilities: 8,
            seed: 7,
            today: chrono::NaiveDate::from_ymd_opt(2024, 3, 1).unwrap(),
        };
        generate(&mut store, &opts, &mut |_, _| {}).unwrap();
    }
    let before = dump(&db, None);
    let audit_rows_before = before
        .iter()
        .filter(|l| l.starts_with("audit_log:"))
        .count() as i64;
    let backups = dir.path().join("backups");
    let file = make_backup(&db, &backups, 2).unwrap();
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&file).unwrap().permissions().mode() & 0o777,
        0o600
    );
    assert_eq!(
        std::fs::metadata(&backups).unwrap().permissions().mode() & 0o777,
        0o700
    );

    // Damage the live data after the backup.
    Connection::open(&db)
        .unwrap()
        .execute_batch("UPDATE facility SET name = 'changed'; DELETE FROM council_member;")
        .unwrap();
    assert_ne!(dump(&db, None), before);

    restore(&db, &file, false, daicho::i18n::Lang::En).unwrap();
    assert_eq!(dump(&db, Some(audit_rows_before)), before);
    // …plus exactly one new audit record saying so.
    let conn = Connection::open(&db).unwrap();
    let action: String = conn
        .query_row(
            "SELECT action FROM audit_log ORDER BY seq DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(action, "db.restore");

    // Generations: only `keep` remain.
    for _ in 0..3 {
        make_backup(&db, &backups, 2).unwrap();
    }
    assert_eq!(generations(&backups).unwrap().len(), 2);
}

fn daicho(db: &Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_daicho"))
        .args(["--lang", "en", "--db"])
        .arg(db)
        .args(args)
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap()
}

fn said(o: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn facilities(db: &Path) -> i64 {
    Connection::open(db)
        .unwrap()
        .query_row("SELECT count(*) FROM facility", [], |r| r.get(0))
        .unwrap()
}

fn demo(db: &Path, n: usize) {
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_daicho"))
        .arg("demo")
        .arg("--out")
        .arg(db)
        .args(["--facilities", &n.to_string()])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", said(&o));
}

/// Regression (10.1): a backup of another database replaced this one with no question
/// and no copy.
#[test]
fn restore_asks_refuses_another_database_and_keeps_the_replaced_one() {
    let dir = tempfile::tempdir().unwrap();
    let live = dir.path().join("live.db");
    let other = dir.path().join("other.db");
    demo(&live, 5);
    demo(&other, 12);
    let bk = dir.path().join("bk");
    let other_backup = make_backup(&other, &bk, 3).unwrap();

    // No terminal and no --yes: nothing happens, and the message says what to add.
    let o = daicho(&live, &["restore", other_backup.to_str().unwrap()]);
    assert!(!o.status.success());
    let text = said(&o);
    assert!(
        text.contains("5 facilities") && text.contains("12 facilities"),
        "{text}"
    );
    // Another database's backup is refused even with --yes.
    let o = daicho(&live, &["restore", "--yes", other_backup.to_str().unwrap()]);
    assert!(!o.status.success());
    assert!(said(&o).contains("--force-other-database"), "{}", said(&o));
    assert_eq!(facilities(&live), 5);

    // A backup of this database, confirmed: restored, the replaced one kept and intact.
    let own = make_backup(&live, &bk, 3).unwrap();
    let o = daicho(&live, &["restore", own.to_str().unwrap()]);
    assert!(said(&o).contains("--yes"), "{}", said(&o));
    let o = daicho(&live, &["restore", "--yes", own.to_str().unwrap()]);
    assert!(o.status.success(), "{}", said(&o));
    let kept: Vec<_> = std::fs::read_dir(dir.path().join("backups"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(kept.len(), 1, "{kept:?}");
    assert!(said(&o).contains(kept[0].to_str().unwrap()), "{}", said(&o));

    // Told explicitly: the other database replaces this one, and this one is kept.
    let o = daicho(
        &live,
        &[
            "restore",
            "--yes",
            "--force-other-database",
            other_backup.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", said(&o));
    assert_eq!(facilities(&live), 12);
    let kept: Vec<_> = std::fs::read_dir(dir.path().join("backups"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_str().unwrap().contains("before-restore"))
        .collect();
    assert_eq!(kept.len(), 2, "{kept:?}");
    assert!(kept.iter().all(|k| facilities(k) == 5));
}

/// Regression (10.13): `--keep 0` said "keeping 0 generations" and kept one.
#[test]
fn keep_zero_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let live = dir.path().join("live.db");
    demo(&live, 2);
    let bk = dir.path().join("bk");
    let o = daicho(
        &live,
        &["backup", "--keep", "0", "--dir", bk.to_str().unwrap()],
    );
    assert!(!o.status.success());
    assert!(said(&o).contains("--keep 0"), "{}", said(&o));
    assert!(!bk.exists() || generations(&bk).unwrap().is_empty());
    assert!(make_backup(&live, &bk, 0).is_err());
}
