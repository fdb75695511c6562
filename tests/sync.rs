//! The sync jobs end to end through the binary: `sync run import-applications` on the
//! files of `tests/data/`, and a run killed (SIGKILL) at random points.

#![allow(clippy::unwrap_used)]

mod common;

use daicho::domain::application::ApplicationKind;
use daicho::domain::exchange::{Applicant, ApplicationFacility, IncomingApplication};
use daicho::jobs::formats::eapp;
use daicho::jobs::formats::input::EncodingChoice;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

const LEDGER_NUMBER: &str = "1370400036";
const TODAY: &str = "2026-11-01";

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

fn daicho(db: &Path, spool: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_daicho"));
    c.env("DAICHO_TODAY", TODAY)
        .arg("--db")
        .arg(db)
        .arg("--lang")
        .arg("ja")
        .args(["sync", "run", "import-applications", "--spool"])
        .arg(spool);
    c
}

fn conn(db: &Path) -> rusqlite::Connection {
    rusqlite::Connection::open(db).unwrap()
}

fn count(db: &Path, sql: &str) -> i64 {
    conn(db).query_row(sql, [], |r| r.get(0)).unwrap()
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .map(|d| {
            d.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

/// Every test input, with the sample's 事業所番号 replaced by one in the demo ledger (so
/// a valid 変更届出 has a facility), plus a 10 MB field and a file named like a path.
fn fill_inbox(inbox: &Path) -> Vec<(String, Vec<u8>)> {
    std::fs::create_dir_all(inbox).unwrap();
    let mut files = Vec::new();
    for entry in std::fs::read_dir(data("")).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if !name.starts_with("eapp") {
            continue;
        }
        let bytes = std::fs::read(data(&name)).unwrap();
        files.push((
            name,
            replace(&bytes, b"1391400015", LEDGER_NUMBER.as_bytes()),
        ));
    }
    let utf8 = String::from_utf8(
        files
            .iter()
            .find(|f| f.0 == "eapp-utf8.csv")
            .unwrap()
            .1
            .clone(),
    )
    .unwrap();
    let huge = utf8
        .replacen(
            "ケアプランセンターさくら",
            &"あ".repeat(10 * 1024 * 1024 / 3),
            1,
        )
        .replace("EA-000", "EA-900");
    files.push(("eapp-10mb-field.csv".into(), huge.into_bytes()));
    let named = utf8.replace("EA-000", "EA-700");
    files.push(("..\\..\\etc\\passwd".into(), named.into_bytes()));
    for (name, bytes) in &files {
        std::fs::write(inbox.join(name), bytes).unwrap();
    }
    files
}

fn replace(hay: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(hay.len());
    let mut i = 0;
    while i < hay.len() {
        if hay[i..].starts_with(from) {
            out.extend_from_slice(to);
            i += from.len();
        } else {
            out.push(hay[i]);
            i += 1;
        }
    }
    out
}

#[test]
fn every_test_file_gives_its_documented_outcome_and_no_valid_row_is_lost() {
    let db = common::fresh_db();
    let spool = db.dir.path().join("spool");
    let files = fill_inbox(&spool.join("inbox"));
    let out = daicho(&db.path, &spool).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Every application the codec reads from a file is in the inbox, exactly once.
    let mut expected = std::collections::BTreeSet::new();
    for (name, bytes) in &files {
        if let Ok(o) = eapp::read(&bytes[..], EncodingChoice::Auto) {
            for r in o.records {
                expected.insert(r.application_id);
            }
        } else {
            assert!(
                name.contains("truncated.json")
                    || name.contains("version2")
                    || name.contains("undecodable"),
                "{name} should read"
            );
        }
    }
    let c = conn(&db.path);
    for id in &expected {
        let n: i64 = c
            .query_row(
                "SELECT count(*) FROM application WHERE external_id = ?1 AND source = 'electronic'",
                [id],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(n, 1, "application {id}");
    }
    // CP932 and half-width kana: read and widened.
    let cp932: String = c
        .query_row(
            "SELECT payload FROM application WHERE external_id = 'EA-0003'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(!cp932.contains('ｹ'), "{cp932}");
    // 𠮷 and a cell starting with `=` are kept as data.
    let names: String = c
        .query_row(
            "SELECT applicant_name || payload FROM application WHERE external_id = 'EA-0100'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(names.contains('𠮷') || names.contains('='), "{names}");
    // Nothing is left in the inbox; names from outside were sanitised.
    assert!(
        files_in(&spool.join("inbox"))
            .iter()
            .all(|n| n == "consent")
    );
    let done = files_in(&spool.join("done"));
    let quarantine = files_in(&spool.join("quarantine"));
    for n in done.iter().chain(&quarantine) {
        assert!(
            !n.contains('/') && !n.contains('\\') && !n.starts_with('.'),
            "{n}"
        );
    }
    assert!(done.iter().any(|n| n.ends_with("-etc_passwd")), "{done:?}");
    // Whole files refused: moved to quarantine with a reason file naming the problem.
    for (file, words) in [
        ("eapp-version2.csv", "2.0"),
        ("eapp-truncated.json", "行目で形式が壊れています"),
        ("eapp-undecodable.csv", "バイト目"),
    ] {
        let reason = quarantine
            .iter()
            .find(|n| n.ends_with(&format!("{file}.reasons.txt")))
            .unwrap_or_else(|| panic!("{file}: {quarantine:?}"));
        let text = std::fs::read_to_string(spool.join("quarantine").join(reason)).unwrap();
        assert!(
            text.contains(words) && text.contains("ファイル全体"),
            "{text}"
        );
    }
    // Row problems: row, field and problem in the reason file and in `quarantine`.
    let ragged = quarantine
        .iter()
        .find(|n| n.ends_with("eapp-ragged.csv.reasons.txt"))
        .unwrap();
    let text = std::fs::read_to_string(spool.join("quarantine").join(ragged)).unwrap();
    assert!(text.contains("3行目"), "{text}");
    let huge = quarantine
        .iter()
        .find(|n| n.ends_with("eapp-10mb-field.csv.reasons.txt"))
        .unwrap();
    let text = std::fs::read_to_string(spool.join("quarantine").join(huge)).unwrap();
    assert!(text.contains("2行目 facility_name"), "{text}");
    assert!(count(&db.path, "SELECT count(*) FROM quarantine WHERE line = 3") > 0);
    // The unknown column is ignored: its application came in.
    assert!(expected.contains("EA-0401"));
    // A second run changes nothing.
    let apps = count(&db.path, "SELECT count(*) FROM application");
    let q = count(&db.path, "SELECT count(*) FROM quarantine");
    fill_inbox(&spool.join("inbox"));
    let out = daicho(&db.path, &spool).output().unwrap();
    assert!(out.status.success());
    assert_eq!(count(&db.path, "SELECT count(*) FROM application"), apps);
    assert_eq!(count(&db.path, "SELECT count(*) FROM quarantine"), q);
    let status = Command::new(env!("CARGO_BIN_EXE_daicho"))
        .args(["--lang", "en", "sync", "status", "--db"])
        .arg(&db.path)
        .output()
        .unwrap();
    let status = String::from_utf8_lossy(&status.stdout);
    assert!(status.contains(&format!("quarantined {q}")), "{status}");
}

#[test]
fn dry_run_writes_nothing() {
    let db = common::fresh_db();
    let spool = db.dir.path().join("spool");
    fill_inbox(&spool.join("inbox"));
    let before = count(&db.path, "SELECT count(*) FROM application");
    let out = daicho(&db.path, &spool).arg("--dry-run").output().unwrap();
    assert!(out.status.success());
    let msg = String::from_utf8_lossy(&out.stdout);
    assert!(msg.contains("試行"), "{msg}");
    assert_eq!(count(&db.path, "SELECT count(*) FROM application"), before);
    assert_eq!(count(&db.path, "SELECT count(*) FROM imported_file"), 0);
    assert!(files_in(&spool.join("done")).is_empty());
}

fn generated(n: usize) -> Vec<IncomingApplication> {
    (0..n)
        .map(|i| IncomingApplication {
            application_id: format!("EA-K{i:05}"),
            kind: ApplicationKind::NewDesignation,
            submitted_on: chrono::NaiveDate::from_ymd_opt(2026, 10, 1).unwrap(),
            applicant: Applicant {
                corporation_name: format!("社会福祉法人 試験会{i}"),
                representative_name: "山田 太郎".into(),
                ..Applicant::default()
            },
            facility: ApplicationFacility {
                service_code: "43".into(),
                name: format!("ケアプランセンター試験{i}"),
                address: "東京都新宿区西新宿7-1-1".into(),
                phone: "03-5273-4596".into(),
                ..ApplicationFacility::default()
            },
            staff: Vec::new(),
            council_members: Vec::new(),
            attachments: Vec::new(),
        })
        .collect()
}

/// A small deterministic generator (no dependency on a particular `rand` API).
struct Lcg(u64);
impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n.max(1)
    }
}

#[test]
fn import_killed_fifty_times_then_rerun_has_every_application_once() {
    let db = common::fresh_db();
    let spool = db.dir.path().join("spool");
    let inbox = spool.join("inbox");
    std::fs::create_dir_all(&inbox).unwrap();
    let apps = generated(300);
    let (a, b) = apps.split_at(150);
    for (name, part) in [("part-a.csv", a), ("part-b.csv", b)] {
        let mut bytes = Vec::new();
        eapp::write_csv(&mut bytes, part).unwrap();
        std::fs::write(inbox.join(name), bytes).unwrap();
    }
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64;
    let mut rng = Lcg(seed);
    // Bounded by attempts, not by time: a loaded machine is slow, never wrong.
    let mut kills = 0;
    let mut attempts = 0;
    while kills < 50 {
        attempts += 1;
        assert!(
            attempts <= 1_000,
            "seed {seed}: only {kills} kills in {attempts} runs"
        );
        // A killed run keeps its lease until it expires; expire it as time would.
        conn(&db.path)
            .execute(
                "UPDATE job_lease SET expires_at = '2000-01-01T00:00:00.000Z'",
                [],
            )
            .unwrap();
        let mut child = daicho(&db.path, &spool)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(rng.below(400)));
        if child.try_wait().unwrap().is_none() {
            child.kill().unwrap();
            kills += 1;
        }
        child.wait().unwrap();
        if files_in(&inbox).iter().all(|n| n == "consent") {
            // Everything got through before a kill: start over on a fresh copy of the files.
            conn(&db.path)
                .execute("DELETE FROM imported_file", [])
                .unwrap();
            for n in files_in(&spool.join("done")) {
                std::fs::rename(spool.join("done").join(&n), inbox.join(&n)).unwrap();
            }
        }
    }
    conn(&db.path)
        .execute(
            "UPDATE job_lease SET expires_at = '2000-01-01T00:00:00.000Z'",
            [],
        )
        .unwrap();
    let out = daicho(&db.path, &spool).output().unwrap();
    assert!(
        out.status.success(),
        "seed {seed}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let c = conn(&db.path);
    for app in &apps {
        let n: i64 = c
            .query_row(
                "SELECT count(*) FROM application WHERE external_id = ?1",
                [&app.application_id],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(n, 1, "seed {seed}: {}", app.application_id);
    }
    let check: String = c
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    assert_eq!(
        count(&db.path, "SELECT count(*) FROM quarantine"),
        0,
        "seed {seed}"
    );
}

fn export(db: &Path, spool: &Path, kind: &str) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_daicho"))
        .env("DAICHO_TODAY", TODAY)
        .arg("--db")
        .arg(db)
        .args(["--lang", "ja", "sync", "run", kind, "--spool"])
        .arg(spool)
        .output()
        .unwrap()
}

/// Queues one change of three demo facilities (one of them 居宅介護支援, which carries
/// the 介護支援専門員) for both targets, as a decision would.
fn queue_changes(db: &Path) {
    let c = conn(db);
    c.execute_batch(
        "INSERT INTO outbox(target, facility_id, change_kind, payload, created_at)
         SELECT t.target, f.id, 'change', '{}', '2026-10-20T01:00:00Z'
         FROM (SELECT 'lemscare' AS target UNION ALL SELECT 'kokuhoren') t,
              (SELECT DISTINCT f.id FROM facility f JOIN designation d ON d.facility_id = f.id
               WHERE f.status = 'active' AND d.service_code = '43' ORDER BY f.id LIMIT 3) f",
    )
    .unwrap();
}

#[test]
fn kokuhoren_export_is_read_back_by_python_csv_with_framing_and_count() {
    let db = common::fresh_db();
    let spool = db.dir.path().join("spool");
    queue_changes(&db.path);
    let out = export(&db.path, &spool, "export-kokuhoren");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let files = files_in(&spool.join("outbox"));
    assert_eq!(files.len(), 1, "{files:?}");
    let path = spool.join("outbox").join(&files[0]);
    let script = r#"
import csv, sys
with open(sys.argv[1], encoding="cp932", newline="") as f:
    raw = f.read()
assert raw.endswith("\r\n") and "\n" not in raw.replace("\r\n", ""), "CRLF framing"
rows = list(csv.reader(raw.splitlines()))
assert rows[0][0] == "1" and rows[-1][0] == "3", (rows[0], rows[-1])
data = [r for r in rows if r[0] == "2"]
assert len(rows) == len(data) + 2, "only control, data, end"
assert int(rows[0][3]) == len(data), (rows[0][3], len(data))
assert [int(r[1]) for r in rows] == list(range(1, len(rows) + 1)), "連番"
print(len(data))
"#;
    let py = Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(&path)
        .output()
        .unwrap();
    assert!(
        py.status.success(),
        "{}",
        String::from_utf8_lossy(&py.stderr)
    );
    let n: usize = String::from_utf8_lossy(&py.stdout).trim().parse().unwrap();
    assert!(n >= 3, "{n}");
    assert_eq!(
        count(
            &db.path,
            "SELECT count(*) FROM outbox WHERE target = 'kokuhoren' AND sent_job_id IS NULL"
        ),
        0
    );
    // Nothing queued: a second run writes no file.
    let out = export(&db.path, &spool, "export-kokuhoren");
    assert!(out.status.success());
    assert_eq!(files_in(&spool.join("outbox")).len(), 1);
}

#[test]
fn lemscare_export_carries_only_its_items_and_a_killed_run_is_not_sent_twice() {
    let db = common::fresh_db();
    let spool = db.dir.path().join("spool");
    queue_changes(&db.path);
    // A run killed after binding its rows to a batch, before writing the file.
    {
        let mut store = daicho::store::Store::open(&db.path).unwrap();
        let actor = daicho::domain::permission::Actor {
            staff_id: "demo-approver".into(),
            role: daicho::domain::permission::Role::Approver,
        };
        daicho::service::sync::open_export_batch(
            &mut store,
            &actor,
            "lemscare",
            "20261101-000000-j0",
            "lemscare-20261101-000000-j0.csv",
            None,
        )
        .unwrap();
    }
    let out = export(&db.path, &spool, "export-lemscare");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The same batch, under its recorded name; no second batch for the same rows.
    assert_eq!(
        files_in(&spool.join("outbox")),
        ["lemscare-20261101-000000-j0.csv"]
    );
    assert_eq!(count(&db.path, "SELECT count(*) FROM export_batch"), 1);
    let path = spool.join("outbox/lemscare-20261101-000000-j0.csv");
    let text = std::fs::read_to_string(&path).unwrap();
    let header: Vec<&str> = text.lines().next().unwrap().split(',').collect();
    assert_eq!(header, daicho::jobs::formats::lemscare::HEADER);
    // No 介護支援専門員 (staff) leaves for LEMSCARE, though these facilities have them.
    let c = conn(&db.path);
    let mut st = c
        .prepare(
            "SELECT care_manager_number FROM staff_member WHERE care_manager_number <> ''
             AND facility_id IN (SELECT facility_id FROM outbox)",
        )
        .unwrap();
    let numbers: Vec<String> = st
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    assert!(!numbers.is_empty());
    for n in &numbers {
        assert!(
            !text.contains(n.as_str()),
            "介護支援専門員番号 {n} left for LEMSCARE"
        );
    }
    assert_eq!(
        count(
            &db.path,
            "SELECT count(*) FROM outbox WHERE target = 'lemscare' AND sent_job_id IS NULL"
        ),
        0
    );
    // --resend writes the past batch again.
    std::fs::remove_file(&path).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_daicho"))
        .arg("--db")
        .arg(&db.path)
        .args([
            "sync",
            "run",
            "export-lemscare",
            "--resend",
            "20261101-000000-j0",
            "--spool",
        ])
        .arg(&spool)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
}

#[test]
fn consent_exchange_sends_requests_and_takes_replies_and_requests_once() {
    let db = common::fresh_db();
    let spool = db.dir.path().join("spool");
    let out = export(&db.path, &spool, "consent-exchange");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let sent = files_in(&spool.join("outbox"));
    assert_eq!(sent.len(), 1, "{sent:?}");
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(spool.join("outbox").join(&sent[0])).unwrap())
            .unwrap();
    let ids: Vec<String> = json["requests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["request_id"].as_str().unwrap().to_string())
        .collect();
    assert!(ids.len() >= 2, "{ids:?}");
    // Nothing new to send on a second run.
    assert!(
        export(&db.path, &spool, "consent-exchange")
            .status
            .success()
    );
    assert_eq!(files_in(&spool.join("outbox")).len(), 1);
    // The partners answer: one consents, one refuses.
    let reply = serde_json::json!({
        "format_version": "1.0",
        "document": "consent_reply",
        "replies": [
            {"request_id": ids[0], "from_municipality": json["requests"][0]["to_municipality"],
             "to_municipality": "131041", "replied_on": "2026-10-30", "decision": "consented", "reason": ""},
            {"request_id": ids[1], "from_municipality": json["requests"][1]["to_municipality"],
             "to_municipality": "131041", "replied_on": "2026-10-30", "decision": "refused",
             "reason": "定員に空きがないため"},
            {"request_id": "999999-1", "from_municipality": "131016",
             "to_municipality": "131041", "replied_on": "2026-10-30", "decision": "consented", "reason": ""}
        ]
    });
    let inbox = spool.join("inbox/consent");
    std::fs::write(inbox.join("reply.json"), reply.to_string()).unwrap();
    let before = count(
        &db.path,
        "SELECT count(*) FROM consent_request WHERE direction = 'incoming'",
    );
    // Another municipality asks about a ward facility (a number in the demo ledger).
    let request = replace(
        &std::fs::read(data("consent-request.json")).unwrap(),
        b"1391400023",
        b"1390400024",
    );
    std::fs::write(inbox.join("request.json"), &request).unwrap();
    let out = export(&db.path, &spool, "consent-exchange");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let status = |rid: &str| -> String {
        let id: i64 = rid.rsplit('-').next().unwrap().parse().unwrap();
        conn(&db.path)
            .query_row(
                "SELECT status FROM consent_request WHERE id = ?1",
                [id],
                |r| r.get(0),
            )
            .unwrap()
    };
    assert_eq!(status(&ids[0]), "consented");
    assert_eq!(status(&ids[1]), "refused");
    // The unknown request id is quarantined with its reason.
    let q = files_in(&spool.join("quarantine"));
    let reasons = q
        .iter()
        .find(|n| n.ends_with("reply.json.reasons.txt"))
        .unwrap();
    let text = std::fs::read_to_string(spool.join("quarantine").join(reasons)).unwrap();
    assert!(text.contains("999999-1"), "{text}");
    let incoming = count(
        &db.path,
        "SELECT count(*) FROM consent_request WHERE direction = 'incoming'",
    );
    assert_eq!(
        incoming,
        before + 1,
        "the valid incoming request became a case"
    );
    // The same files again: nothing changes.
    std::fs::write(inbox.join("reply2.json"), reply.to_string()).unwrap();
    std::fs::write(inbox.join("request2.json"), &request).unwrap();
    assert!(
        export(&db.path, &spool, "consent-exchange")
            .status
            .success()
    );
    assert_eq!(
        count(
            &db.path,
            "SELECT count(*) FROM consent_request WHERE direction = 'incoming'"
        ),
        incoming
    );
    assert_eq!(status(&ids[1]), "refused");
}

#[test]
fn as_system_runs_for_the_database_owner_and_is_audited_as_system() {
    let db = common::fresh_db();
    let spool = db.dir.path().join("spool");
    let out = Command::new(env!("CARGO_BIN_EXE_daicho"))
        .arg("--db")
        .arg(&db.path)
        .args(["sync", "run", "export-lemscare", "--as-system", "--spool"])
        .arg(&spool)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let by: String = conn(&db.path)
        .query_row(
            "SELECT started_by FROM sync_job ORDER BY id DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(by, "system");
    assert!(
        count(
            &db.path,
            "SELECT count(*) FROM audit_log WHERE actor = 'system' AND action = 'job.start'"
        ) == 1
    );
}

#[test]
fn purge_removes_quarantine_rows_and_spool_files_past_retention_and_reports_them() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("office.db");
    let run = |args: &[&str], stdin: &str| {
        let mut child = Command::new(env!("CARGO_BIN_EXE_daicho"))
            .arg("--db")
            .arg(&db)
            .args(args)
            .env("DAICHO_TODAY", "2024-03-01")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let _ = child.stdin.take().unwrap().write_all(stdin.as_bytes());
        child.wait_with_output().unwrap()
    };
    let o = run(
        &["user", "add", "a001", "--name", "管理", "--role", "admin"],
        "admin-password\n",
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let c = conn(&db);
    for at in ["2015-01-10T00:00:00Z", "2023-12-01T00:00:00Z"] {
        c.execute(
            "INSERT INTO quarantine(file_name, line, reason, created_at) VALUES ('x.csv', 3, '3行目 phone: 不正', ?1)",
            [at],
        )
        .unwrap();
    }
    let done = dir.path().join("spool/done");
    std::fs::create_dir_all(&done).unwrap();
    let old = done.join("0123456789ab-old.csv");
    let new = done.join("0123456789ab-new.csv");
    for p in [&old, &new] {
        std::fs::write(p, "x").unwrap();
    }
    std::fs::File::options()
        .write(true)
        .open(&old)
        .unwrap()
        .set_modified(std::time::UNIX_EPOCH + Duration::from_secs(1_420_070_400)) // 2015-01-01
        .unwrap();
    let o = run(
        &[
            "--staff",
            "a001",
            "purge",
            "--report-dir",
            dir.path().to_str().unwrap(),
        ],
        "admin-password\n",
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(count(&db, "SELECT count(*) FROM quarantine"), 1);
    assert!(!old.exists() && new.exists());
    let report = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("purge-report-")
        })
        .unwrap();
    let report = std::fs::read_to_string(report).unwrap();
    assert!(
        report.contains("取込で隔離した行 (quarantine) | 1 |"),
        "{report}"
    );
    assert!(report.contains("spool files deleted: 1"), "{report}");
    assert!(report.contains("0123456789ab-old.csv"), "{report}");
}

#[test]
fn a_file_over_the_size_limit_is_quarantined_whole_and_the_others_import() {
    let db = common::fresh_db();
    let spool = db.dir.path().join("spool");
    let inbox = spool.join("inbox");
    std::fs::create_dir_all(&inbox).unwrap();
    let big = std::fs::File::create(inbox.join("big.csv")).unwrap();
    big.set_len(daicho::jobs::formats::input::MAX_FILE_BYTES + 1)
        .unwrap();
    let mut bytes = Vec::new();
    eapp::write_csv(&mut bytes, &generated(2)).unwrap();
    std::fs::write(inbox.join("small.csv"), bytes).unwrap();
    let out = daicho(&db.path, &spool).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        count(
            &db.path,
            "SELECT count(*) FROM application WHERE external_id LIKE 'EA-K%'"
        ),
        2
    );
    let q = files_in(&spool.join("quarantine"));
    assert!(q.iter().any(|n| n.ends_with("-big.csv")), "{q:?}");
    let reasons = q
        .iter()
        .find(|n| n.ends_with("-big.csv.reasons.txt"))
        .unwrap();
    let text = std::fs::read_to_string(spool.join("quarantine").join(reasons)).unwrap();
    assert!(text.contains("大きすぎます"), "{text}");
}
