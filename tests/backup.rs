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

    restore(&db, &file).unwrap();
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
