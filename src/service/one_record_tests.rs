//! Every public service write leaves exactly one audit record (and none when refused).
//!
//! The table lists every `pub fn` under `src/service/` that takes `&mut Store`, one
//! file of rows per service module (`one_record_tests/<module>.rs`);
//! `every_write_function_is_in_the_table` fails when a new one is added without a row.

use super::*;
use crate::domain::permission::{Actor, Role};
use crate::store::StoreError;
use chrono::NaiveDate;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

mod applications;
mod checklist;
mod consent_letters;
mod consents;
mod guidance;
mod intake;
mod ledger;
mod maintenance;
mod meetings;
mod notices;
mod opendata;
mod people;
mod privacy;
mod purge;
mod session;
mod sync;
mod users;

/// One write function: a call that succeeds and one that is refused or conflicts, each
/// on its own copy of the demo after `setup` (service calls whose records do not count).
struct WriteFn {
    module: &'static str,
    name: &'static str,
    setup: fn(&mut Store),
    ok: fn(&mut Store),
    refused: fn(&mut Store),
}

fn row(
    module: &'static str,
    name: &'static str,
    ok: fn(&mut Store),
    refused: fn(&mut Store),
) -> WriteFn {
    WriteFn {
        module,
        name,
        setup: |_| {},
        ok,
        refused,
    }
}

impl WriteFn {
    fn after(self, setup: fn(&mut Store)) -> Self {
        WriteFn { setup, ..self }
    }
}

fn table() -> Vec<WriteFn> {
    [
        applications::rows(),
        checklist::rows(),
        consent_letters::rows(),
        consents::rows(),
        guidance::rows(),
        intake::rows(),
        ledger::rows(),
        maintenance::rows(),
        meetings::rows(),
        notices::rows(),
        opendata::rows(),
        people::rows(),
        privacy::rows(),
        purge::rows(),
        session::rows(),
        sync::rows(),
        users::rows(),
    ]
    .into_iter()
    .flatten()
    .collect()
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

/// A copy named `name`: each call of a row gets its own file, so no WAL of an earlier
/// copy (still open) is replayed into it.
fn fresh(dir: &tempfile::TempDir, name: &str) -> Store {
    let path = dir.path().join(name);
    std::fs::copy(template(), &path).unwrap();
    Store::open(&path).unwrap()
}

fn records(store: &Store) -> i64 {
    store
        .conn()
        .query_row("SELECT count(*) FROM audit_log", [], |r| r.get(0))
        .unwrap()
}

/// The call was refused for the actor's role.
#[track_caller]
fn denied<T>(r: Result<T>) {
    refused_as(
        r,
        |e| matches!(e, ServiceError::Denied(_)),
        "a role refusal",
    );
}

/// The call was refused for its input.
#[track_caller]
fn invalid<T>(r: Result<T>) {
    refused_as(
        r,
        |e| matches!(e, ServiceError::Invalid(_)),
        "an invalid-input refusal",
    );
}

/// The call lost to a newer version, reported as an error.
#[track_caller]
fn stale<T>(r: Result<T>) {
    let want = |e: &ServiceError| matches!(e, ServiceError::Store(StoreError::Conflict { .. }));
    refused_as(r, want, "a version conflict");
}

/// The call lost to a newer version, reported as a value.
#[track_caller]
fn conflict<T, C>(r: Result<std::result::Result<T, C>>) {
    match r {
        Ok(Err(_)) => {}
        Ok(Ok(_)) => panic!("expected a version conflict, but the call succeeded"),
        Err(e) => panic!("expected a version conflict, got: {e}"),
    }
}

#[track_caller]
fn refused_as<T>(r: Result<T>, want: fn(&ServiceError) -> bool, what: &str) {
    match r {
        Ok(_) => panic!("expected {what}, but the call succeeded"),
        Err(e) => assert!(want(&e), "expected {what}, got: {e}"),
    }
}

/// One number from the demo database (ids and versions for the rows).
fn num(store: &Store, sql: &str) -> i64 {
    store
        .conn()
        .query_row(sql, [], |r| r.get(0))
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

#[test]
fn each_write_leaves_exactly_one_audit_record_and_a_refusal_none() {
    for w in table() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = fresh(&dir, "ok.db");
        (w.setup)(&mut store);
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

        let mut store = fresh(&dir, "refused.db");
        (w.setup)(&mut store);
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

/// Service source files outside the tests, with their module path (`consents`,
/// `consents::letters` for `consents/letters.rs`).
fn service_sources(dir: &Path, prefix: &str, out: &mut Vec<(String, PathBuf)>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        if stem.ends_with("tests") {
            continue;
        }
        let module = format!("{prefix}{stem}");
        if path.is_dir() {
            service_sources(&path, &format!("{module}::"), out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push((module, path));
        }
    }
}

#[test]
fn every_write_function_is_in_the_table() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/service");
    let listed: Vec<(&str, &str)> = table().iter().map(|w| (w.module, w.name)).collect();
    let mut sources = Vec::new();
    service_sources(&dir, "", &mut sources);
    assert!(sources.len() > 10, "found only {sources:?}");
    let mut seen = 0;
    for (module, path) in sources {
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
        "the table lists a function that is gone (or one twice)"
    );
}

#[test]
fn the_scanner_finds_multi_line_signatures() {
    let src = "pub fn a(\n    store: &mut Store,\n    x: i64,\n) -> Result<()> {\n}\npub fn b(store: &Store) -> i64 { 1 }\n";
    assert_eq!(write_functions(src), vec!["a".to_string()]);
}
