//! `daicho purge`: expired rows go, the report lists them, and the bytes are gone.

#![allow(clippy::unwrap_used)] // a test binary

use rusqlite::{Connection, params};
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn daicho(db: &Path, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_daicho"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env("DAICHO_TODAY", "2024-03-01")
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

fn consent(conn: &Connection, closed_on: Option<&str>, name: &str) {
    conn.execute(
        "INSERT INTO consent_request(direction, municipality_code, service_code, status, requested_on, closed_on, created_at, updated_at)
         VALUES ('incoming', '131016', '32', 'closed', '2014-01-01', ?1, 'x', 'x')",
        params![closed_on],
    )
    .unwrap();
    let id = conn.last_insert_rowid();
    conn.execute(
        "INSERT INTO insured_person(consent_request_id, name) VALUES (?1, ?2)",
        params![id, name],
    )
    .unwrap();
}

const GONE_ADDRESS: &str = "消去対象QQZX町1-2-3";
const KEPT_ADDRESS: &str = "保存対象RRWY町4-5-6";

#[test]
fn purge_removes_expired_rows_reports_them_and_leaves_no_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("office.db");
    let o = daicho(
        &db,
        &["user", "add", "a001", "--name", "管理", "--role", "admin"],
        "admin-password\n",
    );
    assert!(o.status.success(), "{}", text(&o));
    let o = daicho(
        &db,
        &[
            "--staff", "a001", "user", "add", "k001", "--name", "審査", "--role", "reviewer",
        ],
        "admin-password\nreviewer-password\n",
    );
    assert!(o.status.success(), "{}", text(&o));
    let gone_name = "消去対象ZQXJ被保険者";
    let kept_name = "保存対象WVKP被保険者";
    {
        let conn = Connection::open(&db).unwrap();
        // The facility triggers call daicho's search-index function.
        daicho::store::open::register_functions(&conn).unwrap();
        consent(&conn, Some("2015-06-30"), gone_name);
        consent(&conn, Some("2023-06-30"), kept_name);
        conn.execute(
            "INSERT INTO facility(provider_number, name, created_at, updated_at) VALUES ('1370000012', 'f', 'x', 'x')",
            [],
        )
        .unwrap();
        conn.execute(
            "INSERT INTO council_meeting(facility_id, held_on) VALUES (1, '2020-01-10')",
            [],
        )
        .unwrap();
        conn.execute(
            "INSERT INTO council_meeting(facility_id, held_on) VALUES (1, '2023-12-10')",
            [],
        )
        .unwrap();
        // The history's personal values age like applications; other values stay.
        for (at, field, old, personal) in [
            ("2015-03-01T00:00:00Z", "staff.address", GONE_ADDRESS, 1),
            ("2015-03-01T00:00:00Z", "phone", "03-1111-2222", 0),
            ("2023-03-01T00:00:00Z", "staff.address", KEPT_ADDRESS, 1),
        ] {
            conn.execute(
                "INSERT INTO facility_change(facility_id, at, actor, field, old_value, new_value, cause_kind, cause_id, personal)
                 VALUES (1, ?1, 'k001', ?2, ?3, 'x', 'command', 'staff.update', ?4)",
                rusqlite::params![at, field, old, personal],
            )
            .unwrap();
        }
    }

    let o = daicho(&db, &["purge", "--dry-run"], "");
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains("| 1 | 2015-06-30 – 2015-06-30 |"),
        "{}",
        text(&o)
    );

    // A reviewer may not purge; nothing changes.
    let o = daicho(
        &db,
        &[
            "--staff",
            "k001",
            "purge",
            "--report-dir",
            dir.path().to_str().unwrap(),
        ],
        "reviewer-password\n",
    );
    assert!(!o.status.success());
    assert!(text(&o).contains("approver or admin"), "{}", text(&o));

    let o = daicho(
        &db,
        &[
            "--staff",
            "a001",
            "purge",
            "--report-dir",
            dir.path().to_str().unwrap(),
        ],
        "admin-password\n",
    );
    assert!(o.status.success(), "{}", text(&o));

    let conn = Connection::open(&db).unwrap();
    let names: Vec<String> = conn
        .prepare("SELECT name FROM insured_person")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(names, vec![kept_name.to_string()]);
    let meetings: i64 = conn
        .query_row("SELECT count(*) FROM council_meeting", [], |r| r.get(0))
        .unwrap();
    assert_eq!(meetings, 1);
    let history: Vec<String> = conn
        .prepare("SELECT old_value FROM facility_change ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(history, ["03-1111-2222", KEPT_ADDRESS]);
    let action: String = conn
        .query_row(
            "SELECT action FROM audit_log ORDER BY seq DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(action, "purge");
    drop(conn);

    let report = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| {
            p.file_name()
                .unwrap()
                .to_str()
                .unwrap()
                .starts_with("purge-report-")
        })
        .expect("a purge report file");
    let report = std::fs::read_to_string(report).unwrap();
    assert!(report.contains("消去報告書"), "{report}");
    assert!(
        report
            .contains("| 区外同意（被保険者情報を含む） (consent) | 1 | 2015-06-30 – 2015-06-30 |"),
        "{report}"
    );
    assert!(
        report.contains("(meeting_minutes) | 1 | 2020-01-10"),
        "{report}"
    );
    assert!(
        report.contains("secure_delete") && report.contains("VACUUM"),
        "{report}"
    );
    assert!(report.contains("operator: a001"), "{report}");
    assert!(
        report.contains("(change_history_personal) | 1 | 2015-03-01"),
        "{report}"
    );
    assert!(report.contains("expire on"), "{report}");

    // Not in the file, nor in a WAL beside it.
    let mut bytes = std::fs::read(&db).unwrap();
    if let Ok(wal) = std::fs::read(format!("{}-wal", db.display())) {
        bytes.extend(wal);
    }
    let has = |s: &str| bytes.windows(s.len()).any(|w| w == s.as_bytes());
    assert!(!has(gone_name), "purged name still in the database file");
    assert!(!has(GONE_ADDRESS), "purged history value still in the file");
    assert!(
        has(kept_name),
        "sanity: the kept name is found by the same scan"
    );
}
