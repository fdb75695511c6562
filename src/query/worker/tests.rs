//! The worker threads against a real database: bursts coalesce, a superseded query is
//! interrupted and its reply dropped, exports do not hold up lists.

use super::*;
use crate::domain::designation::CalendarRules;
use crate::domain::permission::{Actor, Role};
use crate::domain::view::{Direction, ListQuery};
use crate::jobs::formats::csv_out::CsvEncoding;
use crate::query::PageMerge;
use chrono::NaiveDate;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 1).unwrap()
}

fn template() -> &'static Path {
    static TEMPLATE: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    let (_, path) = TEMPLATE.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("demo.db");
        let mut store = crate::store::Store::create(&path).unwrap();
        let opts = crate::demo::DemoOptions {
            facilities: 30,
            seed: 3,
            today: today(),
        };
        crate::demo::generate(&mut store, &opts, &mut |_, _| {}).unwrap();
        drop(store);
        (dir, path)
    });
    path
}

fn context(dir: &tempfile::TempDir) -> DataContext {
    let path = dir.path().join("w.db");
    std::fs::copy(template(), &path).unwrap();
    let actor = Actor {
        staff_id: "demo-approver".into(),
        role: Role::Approver,
    };
    DataContext::open(&path, actor, today(), CalendarRules::default()).unwrap()
}

/// A ledger query that calls `instr` once per row (the service filter).
fn filtered() -> ListQuery {
    ListQuery {
        service_code: Some("11".into()),
        ..Default::default()
    }
}

fn page(generation: u64, query: ListQuery) -> Request {
    Request::LedgerPage {
        generation,
        query,
        from: None,
        dir: Direction::Forward,
        limit: 20,
        merge: PageMerge::Replace,
    }
}

fn count(generation: u64) -> Request {
    Request::LedgerCount {
        generation,
        query: filtered(),
    }
}

/// Makes every ledger query on `ctx` that filters by service hold in its first row
/// until `release` is set; `entered` says a query is holding.
struct Gate {
    entered: Arc<AtomicBool>,
    release: Arc<AtomicBool>,
}

impl Gate {
    fn install(ctx: &DataContext) -> Gate {
        use rusqlite::functions::FunctionFlags;
        let entered = Arc::new(AtomicBool::new(false));
        let release = Arc::new(AtomicBool::new(false));
        let (e, r) = (entered.clone(), release.clone());
        // Replaces the built-in for this connection only, with the same result.
        ctx.store
            .conn()
            .create_scalar_function("instr", 2, FunctionFlags::SQLITE_UTF8, move |f| {
                e.store(true, Ordering::SeqCst);
                while !r.load(Ordering::SeqCst) {
                    std::thread::sleep(Duration::from_millis(2));
                }
                let (hay, needle) = (f.get::<String>(0)?, f.get::<String>(1)?);
                Ok(hay
                    .find(&needle)
                    .map_or(0, |i| hay[..i].chars().count() as i64 + 1))
            })
            .unwrap();
        Gate { entered, release }
    }

    fn wait_entered(&self) {
        let start = std::time::Instant::now();
        while !self.entered.load(Ordering::SeqCst) {
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "query never started"
            );
            std::thread::sleep(Duration::from_millis(2));
        }
    }

    fn open(&self) {
        self.release.store(true, Ordering::SeqCst);
    }
}

/// Replies until none came for a while.
fn replies(rx: &Receiver<Event>) -> Vec<Reply> {
    let mut out = Vec::new();
    while let Ok(e) = rx.recv_timeout(Duration::from_millis(1500)) {
        if let Event::Reply(r) = e {
            out.push(r);
        }
    }
    out
}

fn describe(r: &Reply) -> String {
    match r {
        Reply::LedgerPage { generation, .. } => format!("page {generation}"),
        Reply::LedgerCount { generation, .. } => format!("count {generation}"),
        Reply::Applications(_) => "applications".into(),
        Reply::DueCounts(_) => "due".into(),
        Reply::Exported { .. } => "exported".into(),
        Reply::Failed { what, message } => format!("failed {what}: {message}"),
        other => format!("{other:?}").chars().take(40).collect(),
    }
}

/// Starts the query and export threads over `ctx`; returns the client and the events.
fn start_workers(ctx: DataContext, gate_exports: bool) -> (Client, Receiver<Event>, Option<Gate>) {
    let export_ctx = ctx.reopen().unwrap();
    let gate = gate_exports.then(|| Gate::install(&export_ctx));
    let (tx, rx) = mpsc::channel::<Event>();
    let (client, workers) = start(ctx, export_ctx, tx);
    std::thread::spawn(workers.queries);
    std::thread::spawn(workers.exports);
    (client, rx, gate)
}

#[test]
fn a_queued_burst_is_coalesced_to_the_latest_of_each_kind() {
    let dir = tempfile::tempdir().unwrap();
    let ctx = context(&dir);
    let (tx, rx) = mpsc::channel();
    for g in 1..=20 {
        tx.send(page(g, ListQuery::default())).unwrap();
        tx.send(count(g)).unwrap();
        tx.send(Request::DueCounts).unwrap();
    }
    drop(tx);
    let mut got = Vec::new();
    serve_queries(ctx, rx, &Mutex::new(None), |e| {
        if let Event::Reply(r) = e {
            got.push(describe(&r));
        }
        true
    });
    assert_eq!(got, vec!["page 20", "count 20", "due"]);
}

#[test]
fn typing_again_interrupts_the_running_query_and_drops_its_reply() {
    let dir = tempfile::tempdir().unwrap();
    let ctx = context(&dir);
    let gate = Gate::install(&ctx);
    let (client, rx, _) = start_workers(ctx, false);
    client.send(count(1)).unwrap();
    gate.wait_entered();
    client.send(count(2)).unwrap();
    gate.open();
    let got: Vec<String> = replies(&rx).iter().map(describe).collect();
    assert_eq!(got, vec!["count 2"], "only the newer count is answered");
}

#[test]
fn leaving_the_screen_interrupts_its_query() {
    let dir = tempfile::tempdir().unwrap();
    let ctx = context(&dir);
    let gate = Gate::install(&ctx);
    let (client, rx, _) = start_workers(ctx, false);
    client.send(page(1, filtered())).unwrap();
    gate.wait_entered();
    client.send(Request::Applications).unwrap();
    gate.open();
    let got: Vec<String> = replies(&rx).iter().map(describe).collect();
    assert_eq!(got, vec!["applications"]);
}

#[test]
fn a_request_that_does_not_supersede_lets_the_query_finish() {
    let dir = tempfile::tempdir().unwrap();
    let ctx = context(&dir);
    let gate = Gate::install(&ctx);
    let (client, rx, _) = start_workers(ctx, false);
    client.send(count(1)).unwrap();
    gate.wait_entered();
    // The header's counts are on every screen: asking for them is not leaving.
    client.send(Request::DueCounts).unwrap();
    gate.open();
    let got: Vec<String> = replies(&rx).iter().map(describe).collect();
    assert_eq!(got, vec!["count 1", "due"]);
}

#[test]
fn an_export_runs_beside_the_lists() {
    let dir = tempfile::tempdir().unwrap();
    let ctx = context(&dir);
    let out = dir.path().join("ledger.csv");
    let (client, rx, gate) = start_workers(ctx, true);
    let gate = gate.unwrap();
    client
        .send(Request::ExportLedger {
            query: filtered(),
            path: out.clone(),
            encoding: CsvEncoding::Utf8Bom,
            overwrite: false,
        })
        .unwrap();
    gate.wait_entered();
    // The export is held mid-file; the list still answers.
    client.send(page(1, ListQuery::default())).unwrap();
    let first = rx.recv_timeout(Duration::from_secs(20)).unwrap();
    assert!(
        matches!(
            &first,
            Event::Reply(Reply::LedgerPage { generation: 1, .. })
        ),
        "{first:?}"
    );
    // A newer list query does not interrupt the export either.
    client.send(page(2, filtered())).unwrap();
    gate.open();
    let mut got: Vec<String> = replies(&rx).iter().map(describe).collect();
    got.sort();
    assert_eq!(got, vec!["exported", "page 2"]);
    assert!(out.exists());
}
