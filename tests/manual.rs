//! The staff manual's screen captures (`docs/manual.ja.md`, `docs/manual.en.md`) are
//! real 80×24 screens of the demo database, rendered through the test harness. Each
//! capture sits between `<!-- capture:NAME -->` and `<!-- /capture -->`; this test fails
//! when one is stale, and `UPDATE_DOCS=1 cargo test --test manual` rewrites them.
//!
//! To add a capture: one row in [`CAPTURES`] (name → keys pressed from the start
//! screen, the overview) and the two markers where it belongs in both manuals.

#![allow(clippy::unwrap_used)]

mod common;

use common::{fresh_db, harness};
use daicho::domain::opendata::Finding;
use daicho::domain::permission::{Actor, Role};
use daicho::store::Store;
use daicho::tui::i18n::Lang;
use daicho::tui::testing::HarnessOptions;
use daicho::tui::ui::ScreenId;
use std::path::Path;

/// (capture name, keys from the start screen). Key notation as `Harness::press`.
const CAPTURES: &[(&str, &str)] = &[
    ("overview", ""),
    ("ledger", "1"),
    ("ledger_search", "1/ケア 戸山"),
    ("ledger_detail", "1<Enter>"),
    ("ledger_expiring", "e"),
    ("inbox", "2"),
    ("inbox_case", "2<Enter>"),
    ("consent", "3"),
    ("consent_case", "3<Enter>"),
    ("checklist", "4"),
    ("checklist_items", "4<Enter>"),
    ("jobs", "5"),
    ("export", "1x"),
    ("help", "?"),
    ("palette", "<C-p>"),
    ("opendata", "<F6>"),
    ("inbox_intake", "2I<Enter>"),
    ("inbox_renewal", "2G"),
    ("consent_new", "3n"),
    ("ledger_staff", "1<Down><Enter>]]]"),
    ("guidance_plan", "P"),
];

/// Captures that need data the demo database does not have: (capture name, setup run
/// on the fresh database before the harness opens it).
const SETUPS: &[(&str, Setup)] = &[("opendata", reconciled)];

/// Prepares the fresh database of one capture.
type Setup = fn(&Path);

/// What a reconciliation with the national open data leaves behind: a phone number
/// that differs, a service the open data does not list, and a published facility the
/// ledger does not have (the demo has no open-data files to run the import on).
fn reconciled(db: &Path) {
    let mut store = Store::open(db).unwrap();
    let (fid, number, name, phone): (i64, String, String, String) = store
        .conn_for_tests()
        .query_row(
            "SELECT f.id, f.provider_number, f.name, f.phone FROM facility f
             JOIN designation d ON d.facility_id = f.id
             WHERE f.status = 'active' AND d.status = 'active' AND d.service_code = '78'
             ORDER BY f.id LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap();
    let finding = |kind: &str, service: &str| Finding {
        kind: kind.into(),
        facility_id: Some(fid),
        provider_number: number.clone(),
        service_code: service.into(),
        name: name.clone(),
        ..Finding::default()
    };
    let findings = vec![
        Finding {
            field: "phone".into(),
            ledger_value: phone,
            opendata_value: "03-5273-0000".into(),
            ..finding("difference", "78")
        },
        finding("ledger_only", "43"),
        Finding {
            facility_id: None,
            provider_number: "1373600020".into(),
            name: "デイサービス若松".into(),
            line: 5,
            ..finding("opendata_only", "78")
        },
    ];
    let actor = Actor {
        staff_id: "demo-reviewer".into(),
        role: Role::Reviewer,
    };
    daicho::service::opendata::record_reconciliation(&mut store, &actor, 1, &[], &findings)
        .unwrap();
}

const OPEN: &str = "<!-- capture:";
const CLOSE: &str = "<!-- /capture -->";

fn capture(name: &str, lang: Lang) -> Option<String> {
    let keys = CAPTURES.iter().find(|(n, _)| *n == name)?.1;
    let db = fresh_db();
    if let Some((_, setup)) = SETUPS.iter().find(|(n, _)| *n == name) {
        setup(&db.path);
    }
    let mut h = harness(
        &db,
        HarnessOptions {
            lang,
            first: ScreenId::Overview,
            ..Default::default()
        },
    );
    h.press(keys);
    let screen: Vec<String> = h
        .screen()
        .lines()
        .map(|l| l.trim_end().to_string())
        .collect();
    Some(screen.join("\n"))
}

/// The manual with every capture block rendered now; errors name unknown captures.
fn render(text: &str, lang: Lang) -> Result<(String, Vec<String>), String> {
    let mut out = String::new();
    let mut used = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find(OPEN) {
        let after_open = &rest[start..];
        let head_end = after_open.find("-->").ok_or("unclosed capture marker")? + 3;
        let name = after_open[OPEN.len()..head_end - 3].trim().to_string();
        let body = &after_open[head_end..];
        let close = body
            .find(CLOSE)
            .ok_or(format!("capture {name}: no {CLOSE}"))?;
        let shot = capture(&name, lang).ok_or(format!("capture {name}: not in CAPTURES"))?;
        out.push_str(&rest[..start]);
        out.push_str(&after_open[..head_end]);
        out.push_str(&format!("\n```text\n{shot}\n```\n"));
        out.push_str(CLOSE);
        used.push(name);
        rest = &body[close + CLOSE.len()..];
    }
    out.push_str(rest);
    Ok((out, used))
}

fn check(file: &str, lang: Lang) {
    let path = format!("{}/docs/{file}", env!("CARGO_MANIFEST_DIR"));
    let mut on_disk = std::fs::read_to_string(&path).unwrap();
    let (fresh, used) = render(&on_disk, lang).unwrap();
    if std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::write(&path, &fresh).unwrap();
        on_disk = std::fs::read_to_string(&path).unwrap();
    }
    for (name, _) in CAPTURES {
        assert!(
            used.iter().any(|u| u == name),
            "docs/{file} has no capture {name}"
        );
    }
    assert!(
        on_disk == fresh,
        "docs/{file}: screen captures are stale: run UPDATE_DOCS=1 cargo test --test manual"
    );
}

#[test]
fn japanese_manual_captures_are_current() {
    check("manual.ja.md", Lang::Ja);
}

#[test]
fn english_manual_captures_are_current() {
    check("manual.en.md", Lang::En);
}

#[test]
fn a_stale_capture_is_found_and_rewritten() {
    let text = "before\n<!-- capture:jobs -->\nold screen\n<!-- /capture -->\nafter\n";
    let (fresh, used) = render(text, Lang::En).unwrap();
    assert_ne!(fresh, text);
    assert_eq!(used, vec!["jobs".to_string()]);
    assert!(fresh.contains("Sync job history"), "{fresh}");
    assert!(fresh.starts_with("before\n") && fresh.ends_with("after\n"));
    // Rendering again changes nothing: a current manual passes.
    assert_eq!(render(&fresh, Lang::En).unwrap().0, fresh);
    assert!(render("<!-- capture:nope -->x<!-- /capture -->", Lang::En).is_err());
}
