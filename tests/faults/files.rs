//! Files, backups, restore, purge, exports, demo --force: atomic writes, modes, leftovers.
use crate::common::{TestDb, fresh_db};
use crate::{Case, ensure};
use rusqlite::Connection;
use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Output, Stdio};

pub fn cases() -> Vec<Case> {
    vec![
        Case {
            id: "11.8",
            what: "demo --force over a database with an open session",
            run: demo_force_under_session,
        },
        Case {
            id: "11.8",
            what: "demo --force over a real (non-demo) database and a foreign file",
            run: demo_force_non_demo,
        },
        Case {
            id: "11.9",
            what: "purge --report-dir that does not exist",
            run: purge_missing_report_dir,
        },
        Case {
            id: "11.9",
            what: "two purge reports in the same second",
            run: purge_reports_unique,
        },
        Case {
            id: "11.10",
            what: "purge while another reader holds a snapshot",
            run: purge_under_reader,
        },
        Case {
            id: "11.11",
            what: "backup leftovers and rotation within one second",
            run: backup_leftovers_and_rotation,
        },
        Case {
            id: "11.12",
            what: "temp files of killed exports and anchor writes",
            run: killed_temp_files_cleaned,
        },
        Case {
            id: "11.13",
            what: "export through a symlinked .partial and onto non-regular files",
            run: export_symlink_and_special_targets,
        },
        Case {
            id: "11.14",
            what: "directories created under umask 000",
            run: directories_under_umask_000,
        },
    ]
}

/// A pid above Linux's maximum: never a live process.
const DEAD_PID: u32 = 4_194_305;

fn daicho(db: &Path, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_daicho"))
        .args(["--lang", "en", "--db"])
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

fn said(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn count(db: &Path, sql: &str) -> i64 {
    Connection::open(db)
        .unwrap()
        .query_row(sql, [], |r| r.get(0))
        .unwrap()
}

fn demo_force_under_session() -> Result<(), String> {
    let db = fresh_db();
    let before = count(&db.path, "SELECT count(*) FROM facility");
    let session = daicho::store::Store::open(&db.path).map_err(|e| e.to_string())?;
    let o = daicho(
        &db.path,
        &[
            "demo",
            "--out",
            db.path.to_str().unwrap(),
            "--force",
            "--facilities",
            "3",
        ],
        "",
    );
    ensure!(
        !o.status.success(),
        "replaced under an open session: {}",
        said(&o)
    );
    ensure!(said(&o).contains("sessions"), "message: {}", said(&o));
    let wal = Path::new(&format!("{}-wal", db.path.display())).exists();
    ensure!(wal, "the open session's WAL was deleted");
    drop(session);
    ensure!(
        count(&db.path, "SELECT count(*) FROM facility") == before,
        "database changed"
    );
    // With no session it is a demo database and may be rebuilt.
    let o = daicho(
        &db.path,
        &[
            "demo",
            "--out",
            db.path.to_str().unwrap(),
            "--force",
            "--facilities",
            "3",
        ],
        "",
    );
    ensure!(
        o.status.success(),
        "refused a closed demo database: {}",
        said(&o)
    );
    Ok(())
}

fn demo_force_non_demo() -> Result<(), String> {
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("office.db");
    daicho::store::Store::create(&real).map_err(|e| e.to_string())?;
    let foreign = dir.path().join("notes.txt");
    std::fs::write(&foreign, b"not a database").unwrap();
    for target in [&real, &foreign] {
        let before = std::fs::read(target).unwrap();
        let o = daicho(
            &real,
            &["demo", "--out", target.to_str().unwrap(), "--force"],
            "",
        );
        ensure!(!o.status.success(), "{} replaced", target.display());
        ensure!(
            said(&o).contains("not a demo database"),
            "message: {}",
            said(&o)
        );
        ensure!(
            std::fs::read(target).unwrap() == before,
            "{} changed",
            target.display()
        );
    }
    Ok(())
}

/// A demo copy with one consent closed in 2015 (past retention on 2024-03-01).
fn purgeable() -> TestDb {
    let db = fresh_db();
    let conn = Connection::open(&db.path).unwrap();
    conn.execute(
        "INSERT INTO consent_request(direction, municipality_code, service_code, status, requested_on, closed_on, created_at, updated_at)
         VALUES ('incoming', '131016', '32', 'closed', '2014-01-01', '2015-06-30', 'x', 'x')",
        [],
    )
    .unwrap();
    let id = conn.last_insert_rowid();
    conn.execute(
        "INSERT INTO insured_person(consent_request_id, name, insured_number) VALUES (?1, '消去ZQXJ', 'H99887766')",
        [id],
    )
    .unwrap();
    db
}

fn purge(db: &Path, report_dir: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "--staff",
        "demo-approver",
        "purge",
        "--report-dir",
        report_dir.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    daicho(
        db,
        &args,
        &format!("{}\n", daicho::demo::demo_password("demo-approver")),
    )
}

const PURGEABLE: &str = "SELECT count(*) FROM insured_person WHERE name = '消去ZQXJ'";

fn purge_missing_report_dir() -> Result<(), String> {
    let db = purgeable();
    let missing = db.dir.path().join("no-such-dir");
    let o = purge(&db.path, &missing, &[]);
    ensure!(
        !o.status.success(),
        "succeeded without a report: {}",
        said(&o)
    );
    ensure!(
        said(&o).contains("no-such-dir") && said(&o).contains("nothing was deleted"),
        "message: {}",
        said(&o)
    );
    ensure!(
        count(&db.path, PURGEABLE) == 1,
        "data deleted without a report"
    );
    Ok(())
}

fn reports(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("purge-report-"))
        .collect();
    v.sort();
    v
}

fn purge_reports_unique() -> Result<(), String> {
    let db = purgeable();
    let dir = db.dir.path().join("reports");
    std::fs::create_dir(&dir).unwrap();
    for _ in 0..3 {
        let o = purge(&db.path, &dir, &[]);
        ensure!(o.status.success(), "purge failed: {}", said(&o));
    }
    let names = reports(&dir);
    ensure!(names.len() == 3, "reports overwritten: {names:?}");
    ensure!(count(&db.path, PURGEABLE) == 0, "not purged");
    let leftovers = std::fs::read_dir(&dir).unwrap().count() - names.len();
    ensure!(
        leftovers == 0,
        "temporary files left in the report directory"
    );
    Ok(())
}

fn purge_under_reader() -> Result<(), String> {
    let db = purgeable();
    let dir = db.dir.path().to_path_buf();
    // Another session in the middle of a read: its snapshot pins the old pages.
    let reader = Connection::open(&db.path).unwrap();
    reader.execute_batch("BEGIN").unwrap();
    let _: i64 = reader
        .query_row("SELECT count(*) FROM insured_person", [], |r| r.get(0))
        .unwrap();
    let o = purge(&db.path, &dir, &["--wait", "1"]);
    ensure!(
        !o.status.success(),
        "reported success while a reader kept the data: {}",
        said(&o)
    );
    let text = said(&o);
    ensure!(
        text.contains("incomplete") && text.contains("run the same purge command again"),
        "message: {text}"
    );
    let report = std::fs::read_to_string(dir.join(&reports(&dir)[0])).unwrap();
    ensure!(
        report.contains("incomplete"),
        "report claims a complete deletion"
    );
    reader.execute_batch("COMMIT").unwrap();
    drop(reader);
    // Re-running as told finishes the job.
    let o = purge(&db.path, &dir, &["--wait", "1"]);
    ensure!(o.status.success(), "re-run failed: {}", said(&o));
    let mut bytes = std::fs::read(&db.path).unwrap();
    if let Ok(wal) = std::fs::read(format!("{}-wal", db.path.display())) {
        bytes.extend(wal);
    }
    let needle = "H99887766".as_bytes();
    ensure!(
        !bytes.windows(needle.len()).any(|w| w == needle),
        "purged insured number still in the file after the re-run"
    );
    Ok(())
}

fn backup_leftovers_and_rotation() -> Result<(), String> {
    let db = fresh_db();
    let bk = db.dir.path().join("bk");
    std::fs::create_dir(&bk).unwrap();
    std::fs::set_permissions(&bk, std::fs::Permissions::from_mode(0o700)).unwrap();
    let stale = bk.join(format!(".daicho-backup-{DEAD_PID}.tmp"));
    std::fs::write(&stale, b"a full copy with personal data").unwrap();
    for name in [
        "daicho-20240301-115959.db",
        "daicho-20240301-120000.db",
        "daicho-20240301-120000-1.db",
        "daicho-20240301-120000-2.db",
    ] {
        std::fs::copy(&db.path, bk.join(name)).unwrap();
    }
    let o = daicho(
        &db.path,
        &["backup", "--dir", bk.to_str().unwrap(), "--keep", "2"],
        "",
    );
    ensure!(o.status.success(), "backup failed: {}", said(&o));
    ensure!(!stale.exists(), "a dead backup's temp copy was left");
    let mut left: Vec<String> = std::fs::read_dir(&bk)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    ensure!(
        left.len() == 2 && left.contains(&"daicho-20240301-120000-2.db".to_string()),
        "rotation kept the wrong generations: {left:?}"
    );
    Ok(())
}

fn killed_temp_files_cleaned() -> Result<(), String> {
    let db = fresh_db();
    let dir = db.dir.path();
    let anchor_tmp = dir.join(format!("demo.db.audit-head.tmp{DEAD_PID}"));
    let partial = dir.join(format!(".out.csv.{DEAD_PID}-00000000deadbeef.partial"));
    let live_partial = dir.join(format!(
        ".out.csv.{}-00000000deadbeef.partial",
        std::process::id()
    ));
    let not_ours = dir.join("out.csv.partial.keep");
    for p in [&anchor_tmp, &partial, &live_partial, &not_ours] {
        std::fs::write(p, b"personal data").unwrap();
    }
    let out = dir.join("out.csv");
    let o = daicho(
        &db.path,
        &["export", "ledger", "--out", out.to_str().unwrap()],
        "",
    );
    ensure!(o.status.success(), "export failed: {}", said(&o));
    ensure!(!partial.exists(), "a killed export's .partial was left");
    ensure!(
        live_partial.exists(),
        "a live process's temp file was removed"
    );
    ensure!(not_ours.exists(), "a file outside our pattern was removed");
    let o = daicho(
        &db.path,
        &["backup", "--dir", dir.join("bk").to_str().unwrap()],
        "",
    );
    ensure!(o.status.success(), "backup failed: {}", said(&o));
    ensure!(
        !anchor_tmp.exists(),
        "a killed anchor write's temp file was left"
    );
    Ok(())
}

fn export_symlink_and_special_targets() -> Result<(), String> {
    let db = fresh_db();
    let dir = db.dir.path();
    let victim = dir.join("victim.txt");
    std::fs::write(&victim, b"precious").unwrap();
    let out = dir.join("ledger.csv");
    std::os::unix::fs::symlink(&victim, dir.join("ledger.csv.partial")).unwrap();
    let o = daicho(
        &db.path,
        &["export", "ledger", "--out", out.to_str().unwrap()],
        "",
    );
    ensure!(o.status.success(), "export failed: {}", said(&o));
    ensure!(
        std::fs::read(&victim).unwrap() == b"precious",
        "the CSV went through the symlink into the victim file"
    );
    let mode = std::fs::metadata(&out).unwrap().permissions().mode() & 0o777;
    ensure!(mode == 0o600, "export mode {mode:o}");

    let link = dir.join("link.csv");
    std::os::unix::fs::symlink(&victim, &link).unwrap();
    let fifo = dir.join("fifo.csv");
    let made = Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success());
    let mut targets = vec![link.clone(), dir.to_path_buf()];
    if made {
        targets.push(fifo.clone());
    }
    for t in &targets {
        let o = daicho(
            &db.path,
            &["export", "ledger", "--out", t.to_str().unwrap()],
            "",
        );
        ensure!(!o.status.success(), "wrote onto {}", t.display());
        ensure!(
            said(&o).contains("regular file"),
            "message for {}: {}",
            t.display(),
            said(&o)
        );
    }
    ensure!(
        link.symlink_metadata().unwrap().file_type().is_symlink(),
        "symlink replaced"
    );
    if made {
        use std::os::unix::fs::FileTypeExt;
        ensure!(
            fifo.symlink_metadata().unwrap().file_type().is_fifo(),
            "FIFO replaced"
        );
    }
    Ok(())
}

fn directories_under_umask_000() -> Result<(), String> {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("a/b/demo.db");
    let state = dir.path().join("state");
    let script = format!(
        "umask 000; \"$0\" demo --out '{}' --facilities 2 && \"$0\" --db '{}' backup",
        db.display(),
        db.display()
    );
    let o = Command::new("sh")
        .arg("-c")
        .arg(&script)
        .arg(env!("CARGO_BIN_EXE_daicho"))
        .env("XDG_STATE_HOME", &state)
        .output()
        .unwrap();
    ensure!(o.status.success(), "demo/backup failed: {}", said(&o));
    for d in ["a", "a/b", "a/b/backups"] {
        let mode = std::fs::metadata(dir.path().join(d))
            .unwrap()
            .permissions()
            .mode()
            & 0o777;
        ensure!(mode == 0o700, "{d} is {mode:04o} under umask 000");
    }
    let file = std::fs::metadata(&db).unwrap().permissions().mode() & 0o777;
    ensure!(file == 0o600, "database is {file:04o} under umask 000");
    Ok(())
}
