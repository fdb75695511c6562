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

mod common;

fn data(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/opendata")
        .join(name)
}

fn conn(db: &Path) -> rusqlite::Connection {
    rusqlite::Connection::open(db).unwrap()
}

fn count(db: &Path, sql: &str) -> i64 {
    conn(db).query_row(sql, [], |r| r.get(0)).unwrap()
}

/// The facility of the test files: デイサービス戸山, 1393600018, 密着デイ (定員 18) and
/// 居宅介護支援, phone 03-1111-2222 in the ledger.
fn add_test_facility(db: &Path) {
    let store = daicho::store::Store::open(db).unwrap();
    store
        .conn_for_tests()
        .execute_batch(
            "INSERT INTO corporation(corporate_number, name, updated_at)
               VALUES ('7010001008844', '社会福祉法人 戸山会', '2026-01-01T00:00:00Z');
             INSERT INTO facility(provider_number, name, name_kana, address, phone, fax,
               manager_name, corporation_id, created_at, updated_at)
               VALUES ('1393600018', 'デイサービス戸山', 'デイサービストヤマ',
               '東京都新宿区戸山1-1-1', '03-1111-2222', '03-1111-2223', '戸山 管理者',
               (SELECT id FROM corporation WHERE corporate_number = '7010001008844'),
               '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');
             INSERT INTO designation(facility_id, service_code, designated_on, expires_on, capacity)
               SELECT id, '78', '2024-04-01', '2030-03-31', 18 FROM facility WHERE provider_number = '1393600018';
             INSERT INTO designation(facility_id, service_code, designated_on, expires_on)
               SELECT id, '43', '2024-04-01', '2030-03-31' FROM facility WHERE provider_number = '1393600018';",
        )
        .unwrap();
}

fn sync_run(db: &Path, args: &[&str]) -> Output {
    let mut all = vec!["sync", "run"];
    all.extend_from_slice(args);
    daicho(db, &all, "")
}

#[test]
fn import_reports_differences_bad_numbers_and_keeps_only_the_ward() {
    let db = common::fresh_db();
    add_test_facility(&db.path);
    let (a, b) = (data("jigyosho_780.csv"), data("old_header_430.csv"));
    let o = sync_run(
        &db.path,
        &["import-opendata", a.to_str().unwrap(), b.to_str().unwrap()],
    );
    assert!(o.status.success(), "{}", text(&o));
    // The older header's own column is reported, not fatal.
    assert!(text(&o).contains("独自項目"), "{}", text(&o));
    let findings = |kind: &str, number: &str| {
        count(
            &db.path,
            &format!(
                "SELECT count(*) FROM opendata_finding WHERE kind = '{kind}' AND provider_number = '{number}'"
            ),
        )
    };
    // The changed phone is the test facility's one difference (FAX, 定員, kana,
    // corporation and the 居宅介護支援 of the CP932 file all agree).
    let diffs: Vec<(String, String, String)> = {
        let c = conn(&db.path);
        let mut st = c
            .prepare("SELECT field, ledger_value, opendata_value FROM opendata_finding WHERE kind = 'difference' AND provider_number = '1393600018'")
            .unwrap();
        st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    assert_eq!(
        diffs,
        vec![("phone".into(), "03-1111-2222".into(), "03-3333-4444".into())]
    );
    assert_eq!(findings("ledger_only", "1393600018"), 0);
    assert_eq!(findings("bad_number", "1393600017"), 1);
    assert_eq!(findings("difference", "1393600017"), 0);
    assert_eq!(findings("opendata_only", "1373600020"), 1);
    // The other municipality's row is neither kept nor a finding.
    assert_eq!(
        count(
            &db.path,
            "SELECT count(*) FROM opendata_row WHERE provider_number = '1373600012'"
        ),
        0
    );
    assert_eq!(findings("opendata_only", "1373600012"), 0);
    assert_eq!(count(&db.path, "SELECT count(*) FROM opendata_row"), 4);

    // Accepting the difference makes a 変更 case in 受付, reviewable as any other.
    let id = count(
        &db.path,
        "SELECT id FROM opendata_finding WHERE kind = 'difference' AND field = 'phone'",
    );
    let mut store = daicho::store::Store::open(&db.path).unwrap();
    let reviewer = daicho::domain::permission::Actor {
        staff_id: "demo-reviewer".into(),
        role: daicho::domain::permission::Role::Reviewer,
    };
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 1).unwrap();
    let case = daicho::service::opendata::accept(&mut store, &reviewer, id, today).unwrap();
    drop(store);
    let (kind, status, payload): (String, String, String) = conn(&db.path)
        .query_row(
            "SELECT kind, status, payload FROM application WHERE id = ?1",
            [case],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!((kind.as_str(), status.as_str()), ("change", "accepted"));
    assert!(payload.contains("03-3333-4444"), "{payload}");
    assert_eq!(
        count(
            &db.path,
            &format!(
                "SELECT count(*) FROM opendata_finding WHERE id = {id} AND status = 'accepted' AND application_id = {case}"
            )
        ),
        1
    );
    // The ledger itself is unchanged until the case is decided.
    assert_eq!(
        count(
            &db.path,
            "SELECT count(*) FROM facility WHERE phone = '03-1111-2222' AND provider_number = '1393600018'"
        ),
        1
    );
    // Imported again, the decision stays with the same difference.
    let o = sync_run(&db.path, &["import-opendata", a.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(
        count(
            &db.path,
            "SELECT count(*) FROM opendata_finding WHERE field = 'phone' AND status = 'accepted'"
        ),
        1
    );
}

#[test]
fn the_exported_list_reimports_without_differences_and_has_no_personal_names() {
    let db = common::fresh_db();
    let spool = db.dir.path().join("spool");
    let o = sync_run(
        &db.path,
        &["export-opendata", "--spool", spool.to_str().unwrap()],
    );
    assert!(o.status.success(), "{}", text(&o));
    let outbox = spool.join("outbox");
    let file = std::fs::read_dir(&outbox)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            p.to_string_lossy()
                .contains("131041_kaigo_service_20261101")
        })
        .unwrap();
    let bytes = std::fs::read(&file).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "UTF-8 with BOM");
    let text_out = String::from_utf8(bytes[3..].to_vec()).unwrap();
    let header = text_out.lines().next().unwrap();
    assert_eq!(header, daicho::jobs::opendata_export::COLUMNS.join(","));
    let rows = text_out.lines().count() - 1;
    let designations = count(
        &db.path,
        "SELECT count(*) FROM designation d JOIN facility f ON f.id = d.facility_id
         WHERE f.status = 'active' AND d.status = 'active' AND f.municipality_code = '131041'",
    );
    assert_eq!(rows as i64, designations);
    assert!(rows > 10);
    // No manager, staff or council member name.
    let c = conn(&db.path);
    let mut st = c
        .prepare(
            "SELECT manager_name FROM facility WHERE manager_name <> ''
             UNION SELECT name FROM staff_member UNION SELECT name FROM council_member",
        )
        .unwrap();
    let names: Vec<String> = st
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert!(names.len() > 5);
    for n in &names {
        assert!(!text_out.contains(n.as_str()), "{n} is in the export");
    }
    // Round trip: zero differences, nothing only on one side.
    let o = sync_run(&db.path, &["import-opendata", file.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(
        count(&db.path, "SELECT count(*) FROM opendata_finding"),
        0,
        "{}",
        text(&o)
    );
    assert!(count(&db.path, "SELECT count(*) FROM opendata_row") > 10);
}
