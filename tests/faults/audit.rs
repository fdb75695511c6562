//! Audit evidence, logins and lockout, free-text reasons.
use crate::common::{TestDb, fresh_db};
use crate::{Case, ensure};
use daicho::domain::application::ApplicationStatus;
use daicho::domain::permission::{Actor, Role};
use daicho::service::{self, ServiceError};
use daicho::store::{Store, audit};
use std::io::Write;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};

pub fn cases() -> Vec<Case> {
    vec![
        Case {
            id: "11.1",
            what: "a reason with ESC]52 / ESC[2J or 10 MB is refused; audit report escapes what is stored",
            run: reason_with_terminal_commands,
        },
        Case {
            id: "11.1",
            what: "names with U+202E, U+200B, U+2066 are refused; user list escapes",
            run: names_with_bidi_and_invisible_chars,
        },
        Case {
            id: "11.4",
            what: "deleted anchor, zeroed anchor over a deleted log: verify exits non-zero",
            run: missing_or_zeroed_anchor,
        },
        Case {
            id: "11.4",
            what: "consistent chain rewrite plus rewritten anchor: caught by the witness",
            run: rewrite_caught_by_witness,
        },
        Case {
            id: "11.5",
            what: "logins against unknown and disabled ids are audited; a refusal loop is rate-limited",
            run: refused_logins_audited_and_rate_limited,
        },
        Case {
            id: "11.5",
            what: "backups and exports leave an audit row",
            run: backups_and_exports_audited,
        },
        Case {
            id: "11.6",
            what: "40 parallel wrong passwords and 1 right: at most 5 checked, no login after the lock",
            run: parallel_guesses,
        },
        Case {
            id: "11.16",
            what: "an unwritable anchor: the login goes on with a warning naming the anchor",
            run: unwritable_anchor,
        },
        Case {
            id: "10.4",
            what: "a reviewer, or an approver who reviewed, cannot reject (却下)",
            run: reject_is_a_decision,
        },
        Case {
            id: "10.20",
            what: "audit report names objects by 事業所番号, not internal ids",
            run: report_names_objects,
        },
        Case {
            id: "10.22",
            what: "wrong password: tries left before the lock, stated once in the UI language",
            run: tries_left_message,
        },
    ]
}

fn cmd(db: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_daicho"));
    c.arg("--db")
        .arg(db)
        .arg("--lang")
        .arg("en")
        .args(args)
        .env("DAICHO_AUDIT_SYSLOG", "off")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    c
}

fn spawn(db: &Path, args: &[&str], stdin: &str) -> Child {
    let mut child = cmd(db, args).spawn().unwrap();
    let _ = child.stdin.take().unwrap().write_all(stdin.as_bytes());
    child
}

fn run(db: &Path, args: &[&str], stdin: &str) -> Output {
    spawn(db, args, stdin).wait_with_output().unwrap()
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn actor(id: &str, role: Role) -> Actor {
    Actor {
        staff_id: id.into(),
        role,
    }
}

fn month() -> String {
    chrono::Local::now().format("%Y-%m").to_string()
}

/// A demo copy with one audited write, so it has an anchor.
fn anchored() -> TestDb {
    let db = fresh_db();
    let o = run(
        &db.path,
        &["--staff", "demo-admin", "user", "list"],
        "admin-demo\n",
    );
    assert!(o.status.success(), "{}", text(&o));
    db
}

fn open_application(store: &Store, status: ApplicationStatus) -> (i64, i64) {
    store
        .conn_for_tests()
        .query_row(
            "SELECT id, version FROM application WHERE status = ?1 AND keyed_by <> 'boss' LIMIT 1",
            [status.code()],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap()
}

fn reason_with_terminal_commands() -> Result<(), String> {
    let db = anchored();
    let mut store = Store::open(&db.path).unwrap();
    let (id, version) = open_application(&store, ApplicationStatus::UnderReview);
    let paste = "書類不足\u{1b}]52;c;ZWNobyBoaQ==\u{7}\u{1b}[2J";
    let reviewer = actor("demo-reviewer2", Role::Reviewer);
    for reason in [paste.to_string(), "x".repeat(10 * 1024 * 1024)] {
        let r = service::applications::transition(
            &mut store,
            &reviewer,
            id,
            version,
            ApplicationStatus::Returned,
            &reason,
        );
        ensure!(
            matches!(r, Err(ServiceError::Invalid(_))),
            "a return reason of {} chars with control characters was not refused",
            reason.chars().count()
        );
    }
    let r = service::privacy::reveal(&mut store, &reviewer, "consent", "1", paste, 5);
    ensure!(
        matches!(r, Err(ServiceError::Invalid(_))),
        "reveal stored the paste"
    );
    // Stored before the rule (or by another path): printed escaped, never raw.
    store
        .write(|tx| {
            audit::append(
                tx,
                &audit::Entry {
                    actor: "demo-reviewer".into(),
                    action: "pii.reveal".into(),
                    object_type: "consent".into(),
                    object_id: "1".into(),
                    fields: vec![],
                    reason: paste.into(),
                },
            )
        })
        .unwrap();
    drop(store);
    let o = run(&db.path, &["audit", "report", "--month", &month()], "");
    let t = text(&o);
    ensure!(
        !t.contains('\u{1b}') && !t.contains('\u{7}'),
        "audit report printed ESC/BEL raw"
    );
    ensure!(t.contains("\\u{1b}]52"), "the escape is not visible: {t}");
    Ok(())
}

fn names_with_bidi_and_invisible_chars() -> Result<(), String> {
    let db = anchored();
    let mut store = Store::open(&db.path).unwrap();
    let admin = actor("demo-admin", Role::Admin);
    for (i, name) in ["山田\u{202E}太郎", "山田\u{200B}太郎", "山田\u{2066}太郎"]
        .iter()
        .enumerate()
    {
        let r = service::users::add(
            &mut store,
            &admin,
            &format!("x{i}"),
            name,
            Role::Viewer,
            "long-enough-pw",
        );
        ensure!(
            matches!(r, Err(ServiceError::Invalid(_))),
            "display name {name:?} was saved"
        );
    }
    // A facility name goes through the same rule.
    let f = daicho::store::facilities::get(store.conn_for_tests(), 1)
        .unwrap()
        .unwrap();
    let mut edited = f.fields.clone();
    edited.name = format!("{}\u{202E}", f.fields.name);
    let r = service::ledger::update_facility(
        &mut store,
        &actor("demo-reviewer", Role::Reviewer),
        1,
        f.version,
        &edited,
    );
    ensure!(
        matches!(r, Err(ServiceError::Invalid(_))),
        "facility name with U+202E was saved"
    );
    // One stored the old way is listed escaped.
    store
        .conn_for_tests()
        .execute(
            "UPDATE user_account SET display_name = 'evil\u{1b}[2J\u{202E}' WHERE staff_id = 'demo-viewer'",
            [],
        )
        .unwrap();
    drop(store);
    let o = run(
        &db.path,
        &["--staff", "demo-admin", "user", "list"],
        "admin-demo\n",
    );
    let t = text(&o);
    ensure!(o.status.success(), "user list failed: {t}");
    ensure!(
        !t.contains('\u{1b}') && !t.contains('\u{202E}'),
        "user list printed the name raw"
    );
    ensure!(t.contains("evil\\u{1b}"), "no visible escape: {t}");
    Ok(())
}

fn missing_or_zeroed_anchor() -> Result<(), String> {
    let db = anchored();
    let anchor = audit::anchor_path(&db.path);
    std::fs::remove_file(&anchor).unwrap();
    let o = run(&db.path, &["audit", "verify"], "");
    ensure!(
        !o.status.success(),
        "deleted anchor: verify exited 0: {}",
        text(&o)
    );
    std::fs::write(&anchor, format!("0 {}\n", "0".repeat(64))).unwrap();
    rusqlite::Connection::open(&db.path)
        .unwrap()
        .execute("DELETE FROM audit_log", [])
        .unwrap();
    let o = run(&db.path, &["audit", "verify"], "");
    ensure!(
        !o.status.success(),
        "zeroed anchor over a deleted log: verify exited 0: {}",
        text(&o)
    );
    let o = run(&db.path, &["audit", "verify", "--allow-missing-anchor"], "");
    ensure!(o.status.success(), "--allow-missing-anchor: {}", text(&o));
    Ok(())
}

fn rewrite_caught_by_witness() -> Result<(), String> {
    let db = fresh_db();
    let witness = db.dir.path().join("witness.log");
    std::fs::write(&witness, "").unwrap();
    for _ in 0..2 {
        let o = cmd(&db.path, &["--staff", "demo-admin", "user", "list"])
            .env("DAICHO_AUDIT_WITNESS", &witness)
            .spawn()
            .and_then(|mut c| {
                let _ = c.stdin.take().unwrap().write_all(b"admin-demo\n");
                c.wait_with_output()
            })
            .unwrap();
        ensure!(o.status.success(), "{}", text(&o));
    }
    let w = witness.to_str().unwrap();
    let o = run(&db.path, &["audit", "verify", "--witness", w], "");
    ensure!(
        o.status.success(),
        "verify --witness before any rewrite: {}",
        text(&o)
    );
    // Rewrite every record consistently and the anchor with it.
    let conn = rusqlite::Connection::open(&db.path).unwrap();
    let mut prev = audit::GENESIS.to_string();
    let mut recs = Vec::new();
    audit::for_each(&conn, |r| {
        recs.push(r);
        true
    })
    .unwrap();
    for mut r in recs {
        r.entry.actor = "someone-else".into();
        let hash = audit::record_hash(&prev, r.seq, &r.at, &r.entry);
        conn.execute(
            "UPDATE audit_log SET actor = ?1, prev_hash = ?2, hash = ?3 WHERE seq = ?4",
            rusqlite::params![r.entry.actor, prev, hash, r.seq],
        )
        .unwrap();
        std::fs::write(audit::anchor_path(&db.path), format!("{} {hash}\n", r.seq)).unwrap();
        prev = hash;
    }
    drop(conn);
    let o = run(&db.path, &["audit", "verify", "--witness", w], "");
    ensure!(
        !o.status.success(),
        "rewritten chain and anchor passed verify --witness: {}",
        text(&o)
    );
    Ok(())
}

fn login_rows(db: &Path, id: &str) -> Vec<(String, String)> {
    let store = Store::open(db).unwrap();
    let mut v: Vec<_> = audit::for_object(store.conn_for_tests(), "user", id, 100_000)
        .unwrap()
        .into_iter()
        .map(|r| (r.entry.action, r.entry.reason))
        .collect();
    v.reverse();
    v
}

fn refused_logins_audited_and_rate_limited() -> Result<(), String> {
    let db = anchored();
    let o = run(&db.path, &["--staff", "nobody", "user", "list"], "x\n");
    ensure!(!o.status.success(), "unknown id logged in");
    ensure!(
        login_rows(&db.path, "nobody")
            .iter()
            .any(|(a, _)| a == "login.refused"),
        "a login against an unknown id left no audit row"
    );
    {
        let mut store = Store::open(&db.path).unwrap();
        service::users::set_disabled(
            &mut store,
            &actor("demo-admin", Role::Admin),
            "demo-viewer",
            true,
        )
        .unwrap();
    }
    let o = run(
        &db.path,
        &["--staff", "demo-viewer", "user", "list"],
        "viewer-demo\n",
    );
    ensure!(!o.status.success(), "disabled id logged in");
    ensure!(
        login_rows(&db.path, "demo-viewer")
            .iter()
            .any(|(a, _)| a == "login.refused"),
        "a login against a disabled id left no audit row"
    );
    // A loop against a locked account (what made 1,400 rows a minute).
    {
        let store = Store::open(&db.path).unwrap();
        let until = (chrono::Utc::now() + chrono::Duration::minutes(10))
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        store
            .conn_for_tests()
            .execute(
                "UPDATE user_account SET failed_attempts = 5, locked_until = ?1 WHERE staff_id = 'demo-reviewer'",
                [until],
            )
            .unwrap();
    }
    let mut store = Store::open(&db.path).unwrap();
    let before = audit::head(store.conn_for_tests()).unwrap().0;
    for _ in 0..200 {
        let _ = service::session::verify_password(&mut store, "demo-reviewer", "guess");
    }
    let rows = audit::head(store.conn_for_tests()).unwrap().0 - before;
    ensure!(
        rows <= 2,
        "200 refused attempts in a loop wrote {rows} audit rows"
    );
    Ok(())
}

fn backups_and_exports_audited() -> Result<(), String> {
    let db = anchored();
    let mut store = Store::open(&db.path).unwrap();
    let before = audit::head(store.conn_for_tests()).unwrap().0;
    service::privacy::record_backup(&mut store, "system", &db.dir.path().join("b.db"), 1)
        .map_err(|e| e.to_string())?;
    service::privacy::record_export(
        &mut store,
        &actor("demo-reviewer", Role::Reviewer),
        "ledger",
        &db.dir.path().join("l.csv"),
        366,
    )
    .map_err(|e| e.to_string())?;
    let after = audit::head(store.conn_for_tests()).unwrap().0;
    ensure!(
        after == before + 2,
        "backup and export wrote {} rows",
        after - before
    );
    Ok(())
}

fn parallel_guesses() -> Result<(), String> {
    let db = anchored();
    let children: Vec<Child> = (0..41)
        .map(|i| {
            let pw = if i == 20 {
                "reviewer-demo\n"
            } else {
                "wrong-guess\n"
            };
            spawn(&db.path, &["--staff", "demo-reviewer", "user", "list"], pw)
        })
        .collect();
    for c in children {
        let _ = c.wait_with_output();
    }
    let rows = login_rows(&db.path, "demo-reviewer");
    let hashed = rows
        .iter()
        .filter(|(a, r)| {
            a == "login.ok"
                || a == "login.failed"
                || (a == "login.locked" && r.contains("wrong passwords"))
                || r.contains("right password")
        })
        .count();
    ensure!(
        hashed <= 5,
        "{hashed} of 41 parallel attempts were checked against the hash"
    );
    let locked = rows.iter().position(|(a, _)| a == "login.locked");
    let ok = rows.iter().position(|(a, _)| a == "login.ok");
    if let (Some(l), Some(o)) = (locked, ok) {
        ensure!(
            o < l,
            "the right password logged in after the lock: {rows:?}"
        );
    }
    ensure!(
        locked.is_some(),
        "40 wrong passwords did not lock: {rows:?}"
    );
    Ok(())
}

fn unwritable_anchor() -> Result<(), String> {
    let db = anchored();
    let anchor = audit::anchor_path(&db.path);
    std::fs::remove_file(&anchor).unwrap();
    std::fs::create_dir(&anchor).unwrap();
    let o = run(
        &db.path,
        &["--staff", "demo-admin", "user", "list"],
        "admin-demo\n",
    );
    let t = text(&o);
    ensure!(o.status.success(), "login failed over the anchor: {t}");
    ensure!(
        t.contains(&anchor.display().to_string()) && t.contains("audit verify"),
        "no warning naming the anchor: {t}"
    );
    ensure!(
        login_rows(&db.path, "demo-admin")
            .last()
            .map(|r| r.0.as_str())
            == Some("login.ok"),
        "login.ok not recorded"
    );
    Ok(())
}

fn reject_is_a_decision() -> Result<(), String> {
    let db = fresh_db();
    let mut store = Store::open(&db.path).unwrap();
    let (id, version) = open_application(&store, ApplicationStatus::UnderReview);
    for who in [
        actor("demo-reviewer2", Role::Reviewer),
        actor("demo-reviewer", Role::Reviewer),
    ] {
        let r = service::applications::transition(
            &mut store,
            &who,
            id,
            version,
            ApplicationStatus::Rejected,
            "要件を満たさない",
        );
        ensure!(
            matches!(r, Err(ServiceError::Denied(_))),
            "reviewer {} could reject",
            who.staff_id
        );
    }
    let app = daicho::store::cases::application(store.conn_for_tests(), id)
        .unwrap()
        .unwrap();
    if let Some(reviewer) = app.reviewed_by {
        let r = service::applications::transition(
            &mut store,
            &actor(&reviewer, Role::Approver),
            id,
            version,
            ApplicationStatus::Rejected,
            "要件を満たさない",
        );
        ensure!(
            matches!(r, Err(ServiceError::Denied(_))),
            "the case's reviewer, as approver, could reject"
        );
    }
    Ok(())
}

fn report_names_objects() -> Result<(), String> {
    let db = anchored();
    let mut store = Store::open(&db.path).unwrap();
    let f = daicho::store::facilities::get(store.conn_for_tests(), 157)
        .unwrap()
        .unwrap();
    service::privacy::reveal(
        &mut store,
        &actor("demo-reviewer", Role::Reviewer),
        "facility",
        "157",
        "電話で本人確認",
        5,
    )
    .map_err(|e| e.to_string())?;
    drop(store);
    let o = run(&db.path, &["audit", "report", "--month", &month()], "");
    let t = text(&o);
    ensure!(
        !t.contains("facility 157"),
        "internal id in the report: {t}"
    );
    ensure!(
        t.contains(&f.fields.provider_number),
        "事業所番号 {} missing: {t}",
        f.fields.provider_number
    );
    Ok(())
}

fn tries_left_message() -> Result<(), String> {
    let db = anchored();
    let o = run(
        &db.path,
        &["--staff", "demo-approver", "user", "list"],
        "nope\n",
    );
    let t = text(&o);
    ensure!(
        t.contains("4 tries left before the account locks"),
        "not the one rule: {t}"
    );
    ensure!(!t.contains("パスワード"), "Japanese in an English run: {t}");
    Ok(())
}
