//! Every public service write leaves exactly one audit record (and none when refused).
//!
//! The table below lists every `pub fn` in `src/service/*.rs` that takes `&mut Store`;
//! `every_write_function_is_in_the_table` fails when a new one is added without a row.

use super::*;
use crate::domain::application::ApplicationStatus;
use crate::domain::model::FacilityFields;
use crate::domain::permission::{Actor, Role};
use crate::store::{cases, facilities};
use chrono::NaiveDate;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// One write function: a call that succeeds and one that is refused or conflicts.
struct WriteFn {
    module: &'static str,
    name: &'static str,
    ok: fn(&mut Store),
    refused: fn(&mut Store),
}

fn actor(role: Role) -> Actor {
    let id = match role {
        Role::Viewer => "demo-viewer",
        Role::Reviewer => "demo-reviewer",
        Role::Approver => "demo-approver",
        Role::Admin => "demo-admin",
    };
    Actor {
        staff_id: id.into(),
        role,
    }
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 1).unwrap()
}

/// A small demo database, built once; every case opens its own copy.
fn template() -> &'static Path {
    static TEMPLATE: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    let (_, path) = TEMPLATE.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("demo.db");
        let mut store = Store::create(&path).unwrap();
        let opts = crate::demo::DemoOptions {
            facilities: 8,
            seed: 7,
            today: today(),
        };
        crate::demo::generate(&mut store, &opts, &mut |_, _| {}).unwrap();
        drop(store);
        (dir, path)
    });
    path
}

fn fresh(dir: &tempfile::TempDir) -> Store {
    let path = dir.path().join("case.db");
    std::fs::copy(template(), &path).unwrap();
    Store::open(&path).unwrap()
}

fn records(store: &Store) -> i64 {
    store
        .conn()
        .query_row("SELECT count(*) FROM audit_log", [], |r| r.get(0))
        .unwrap()
}

fn first_facility(store: &Store) -> (i64, i64, FacilityFields) {
    let id: i64 = store
        .conn()
        .query_row("SELECT min(id) FROM facility", [], |r| r.get(0))
        .unwrap();
    let f = facilities::get(store.conn(), id).unwrap().unwrap();
    (id, f.version, f.fields)
}

/// An accepted application keyed by someone other than the demo reviewer.
fn accepted_application(store: &Store) -> (i64, i64) {
    let id: i64 = store
        .conn()
        .query_row(
            "SELECT min(id) FROM application WHERE status = ?1 AND keyed_by <> 'demo-reviewer'",
            [ApplicationStatus::Accepted.code()],
            |r| r.get(0),
        )
        .unwrap();
    let app = cases::application(store.conn(), id).unwrap().unwrap();
    (id, app.version)
}

fn table() -> Vec<WriteFn> {
    vec![
        WriteFn {
            module: "applications",
            name: "transition",
            ok: |s| {
                let (id, v) = accepted_application(s);
                let r = actor(Role::Reviewer);
                applications::transition(s, &r, id, v, ApplicationStatus::UnderReview, "")
                    .unwrap()
                    .unwrap();
            },
            refused: |s| {
                let (id, v) = accepted_application(s);
                let r = actor(Role::Reviewer);
                // A stale version: the conflict is a value, and nothing is written.
                let conflict =
                    applications::transition(s, &r, id, v + 1, ApplicationStatus::UnderReview, "")
                        .unwrap();
                assert!(conflict.is_err());
            },
        },
        WriteFn {
            module: "ledger",
            name: "update_facility",
            ok: |s| {
                let (id, v, mut f) = first_facility(s);
                f.phone = "03-3333-4444".into();
                ledger::update_facility(s, &actor(Role::Reviewer), id, v, &f)
                    .unwrap()
                    .unwrap();
            },
            refused: |s| {
                let (id, v, mut f) = first_facility(s);
                f.phone = "03-3333-4444".into();
                let stale = ledger::update_facility(s, &actor(Role::Reviewer), id, v + 1, &f);
                assert!(stale.unwrap().is_err());
            },
        },
        WriteFn {
            module: "maintenance",
            name: "record_creation",
            ok: |s| maintenance::record_creation(s, "test").unwrap(),
            refused: |_| {}, // the service account is never refused
        },
        WriteFn {
            module: "maintenance",
            name: "record_restore",
            ok: |s| maintenance::record_restore(s, "/srv/b/d.db", None).unwrap(),
            refused: |_| {},
        },
        WriteFn {
            module: "privacy",
            name: "reveal",
            ok: |s| {
                privacy::reveal(s, &actor(Role::Reviewer), "insured_person", "1", "確認", 5)
                    .unwrap();
            },
            refused: |s| {
                let viewer = actor(Role::Viewer);
                assert!(privacy::reveal(s, &viewer, "insured_person", "1", "確認", 5).is_err());
            },
        },
        WriteFn {
            module: "privacy",
            name: "log_export",
            ok: |s| privacy::log_export(s, &actor(Role::Approver), "consent.csv", 3).unwrap(),
            refused: |s| {
                assert!(privacy::log_export(s, &actor(Role::Viewer), "consent.csv", 3).is_err());
            },
        },
        WriteFn {
            module: "privacy",
            name: "record_export",
            ok: |s| {
                let path = Path::new("/srv/out/ledger.csv");
                privacy::record_export(s, &actor(Role::Viewer), "ledger", path, 2).unwrap();
            },
            refused: |s| {
                let bad = Path::new("/tmp/x\u{1b}[2J.csv");
                assert!(privacy::record_export(s, &actor(Role::Viewer), "ledger", bad, 2).is_err());
            },
        },
        WriteFn {
            module: "privacy",
            name: "record_backup",
            ok: |s| privacy::record_backup(s, "system", Path::new("/srv/b/d.db"), 9).unwrap(),
            refused: |s| {
                let bad = Path::new("/srv/b/\u{7}.db");
                assert!(privacy::record_backup(s, "system", bad, 9).is_err());
            },
        },
        WriteFn {
            module: "purge",
            name: "purge",
            ok: |s| {
                let patience = std::time::Duration::from_millis(200);
                purge::purge(s, &actor(Role::Admin), today(), patience, |_| Ok(())).unwrap();
            },
            refused: |s| {
                let patience = std::time::Duration::from_millis(200);
                let failing = |_: &[_]| Err(std::io::Error::other("report disk full"));
                assert!(purge::purge(s, &actor(Role::Admin), today(), patience, failing).is_err());
                assert!(
                    purge::purge(s, &actor(Role::Reviewer), today(), patience, |_| Ok(())).is_err()
                );
            },
        },
        WriteFn {
            module: "session",
            name: "verify_password",
            ok: |s| {
                session::verify_password(s, "demo-viewer", "viewer-demo").unwrap();
            },
            refused: |s| {
                // A refusal is recorded too (login.refused), except inside the quiet
                // time after the last one for the same id: as if one was just written.
                let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
                let quiet = format!("{now} 0");
                crate::store::meta::set(s.conn(), "login.quiet.*unknown*", &quiet).unwrap();
                session::verify_password(s, "nobody", "x").unwrap_err();
            },
        },
        WriteFn {
            module: "session",
            name: "verify_password_at",
            ok: |s| {
                let r = session::verify_password_at(s, "demo-viewer", "wrong", chrono::Utc::now());
                assert!(matches!(r, Err(session::LoginError::WrongPassword { .. })));
            },
            refused: |_| {},
        },
        WriteFn {
            module: "users",
            name: "add",
            ok: |s| {
                let a = actor(Role::Admin);
                users::add(s, &a, "k900", "新規 職員", Role::Viewer, "long-enough-pw").unwrap();
            },
            refused: |s| {
                let a = actor(Role::Admin);
                let dup = users::add(s, &a, "demo-viewer", "重複", Role::Viewer, "long-enough-pw");
                assert!(dup.is_err());
            },
        },
        WriteFn {
            module: "users",
            name: "bootstrap_admin",
            ok: |s| {
                s.conn()
                    .execute(
                        "UPDATE user_account SET disabled = 1 WHERE role = 'admin'",
                        [],
                    )
                    .unwrap();
                users::bootstrap_admin(s, "boot", "最初 管理者", "long-enough-pw").unwrap();
            },
            refused: |s| {
                assert!(
                    users::bootstrap_admin(s, "boot", "最初 管理者", "long-enough-pw").is_err()
                );
            },
        },
        WriteFn {
            module: "users",
            name: "set_password",
            ok: |s| {
                let a = actor(Role::Admin);
                users::set_password(s, &a, "demo-viewer", "another-long-pw").unwrap();
            },
            refused: |s| {
                let a = actor(Role::Reviewer);
                assert!(users::set_password(s, &a, "demo-viewer", "another-long-pw").is_err());
            },
        },
        WriteFn {
            module: "users",
            name: "set_disabled",
            ok: |s| users::set_disabled(s, &actor(Role::Admin), "demo-viewer", true).unwrap(),
            refused: |s| {
                // The last enabled admin stays.
                assert!(users::set_disabled(s, &actor(Role::Admin), "demo-admin", true).is_err());
            },
        },
        WriteFn {
            module: "users",
            name: "set_role",
            ok: |s| {
                users::set_role(s, &actor(Role::Admin), "demo-viewer", Role::Reviewer).unwrap();
            },
            refused: |s| {
                let a = actor(Role::Admin);
                assert!(users::set_role(s, &a, "demo-admin", Role::Viewer).is_err());
            },
        },
    ]
}

#[test]
fn each_write_leaves_exactly_one_audit_record_and_a_refusal_none() {
    for w in table() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = fresh(&dir);
        let before = records(&store);
        (w.ok)(&mut store);
        assert_eq!(
            records(&store),
            before + 1,
            "{}::{} should leave exactly one audit record",
            w.module,
            w.name
        );
        let (seq, hash) = audit::head(store.conn()).unwrap();
        let anchor = audit::read_anchor(&audit::anchor_path(store.path()))
            .unwrap()
            .unwrap();
        assert_eq!(
            (anchor.seq, anchor.hash),
            (seq, hash),
            "{}::{} moves the anchor",
            w.module,
            w.name
        );

        let mut store = fresh(&dir);
        let before = records(&store);
        (w.refused)(&mut store);
        assert_eq!(
            records(&store),
            before,
            "{}::{} refused should leave no audit record",
            w.module,
            w.name
        );
    }
}

/// `pub fn` names taking `&mut Store` in one service source file.
fn write_functions(source: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = source;
    while let Some(at) = rest.find("pub fn ") {
        let sig_start = &rest[at + "pub fn ".len()..];
        let name: String = sig_start
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        let sig_end = sig_start.find('{').unwrap_or(sig_start.len());
        if sig_start[..sig_end].contains("&mut Store") {
            found.push(name);
        }
        rest = &sig_start[sig_end..];
    }
    found
}

#[test]
fn every_write_function_is_in_the_table() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/service");
    let listed: Vec<(&str, &str)> = table().iter().map(|w| (w.module, w.name)).collect();
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let module = path.file_stem().unwrap().to_string_lossy().into_owned();
        if path.extension().is_none_or(|e| e != "rs") || module.ends_with("tests") {
            continue;
        }
        let source = std::fs::read_to_string(&path).unwrap();
        // Test modules inside the file are not write paths.
        let source = source.split("#[cfg(test)]\nmod ").next().unwrap_or("");
        if module != "mod" {
            for bypass in ["store.write(", "audit::append(", ".transaction("] {
                assert!(
                    !source.contains(bypass),
                    "service::{module} calls {bypass} directly: write through audited_write"
                );
            }
        }
        for name in write_functions(source) {
            if module == "mod" && name == "audited_write" {
                continue; // the helper itself
            }
            seen += 1;
            assert!(
                listed.contains(&(module.as_str(), name.as_str())),
                "service::{module}::{name} takes &mut Store but is not in one_record_tests::table(): add a row that calls it once"
            );
        }
    }
    assert_eq!(
        seen,
        listed.len(),
        "the table lists a function that is gone"
    );
}

#[test]
fn the_scanner_finds_multi_line_signatures() {
    let src = "pub fn a(\n    store: &mut Store,\n    x: i64,\n) -> Result<()> {\n}\npub fn b(store: &Store) -> i64 { 1 }\n";
    assert_eq!(write_functions(src), vec!["a".to_string()]);
}
