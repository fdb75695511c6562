//! The registry holds together: unique ids, every keymap entry resolves, every command
//! runs its own handler, and no command id is spelt out anywhere else in the UI code.

use super::*;
use crate::tui::keymap::{CONTEXTS, DEFAULT_KEYMAP, Keymap, KeymapSource, VIM_KEYMAP};
use crate::tui::testing::{Harness, HarnessOptions, demo_db};

#[test]
fn ids_are_unique_and_dotted() {
    let mut ids: Vec<_> = COMMANDS.iter().map(|c| c.id).collect();
    ids.sort();
    let n = ids.len();
    ids.dedup();
    assert_eq!(ids.len(), n, "duplicate command id");
    assert!(
        COMMANDS
            .iter()
            .all(|c| c.id.contains('.') && !c.title_ja.is_empty() && !c.title_en.is_empty())
    );
}

#[test]
fn every_shipped_binding_names_a_registered_command() {
    for layers in [vec![DEFAULT_KEYMAP], vec![DEFAULT_KEYMAP, VIM_KEYMAP]] {
        let sources: Vec<KeymapSource> = layers
            .iter()
            .map(|t| KeymapSource::new("shipped", *t))
            .collect();
        let (km, _) = Keymap::load(&sources, &|_| true, CONTEXTS);
        for ctx in CONTEXTS {
            for (_, id, _) in km.bindings_in(ctx) {
                assert!(
                    find(&id).is_some(),
                    "[{ctx}] binds {id}, not in the registry"
                );
            }
        }
    }
}

/// Runs every command from the palette on a fresh app: each one either runs its own
/// handler or is refused with its reason; none is unknown or "not available".
#[test]
fn every_command_runs_its_handler_or_says_why_not() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("demo.db");
    demo_db(&db);
    for cmd in COMMANDS.iter() {
        let mut h = Harness::open(&db, HarnessOptions::default());
        let fx = h.app.run(cmd);
        h.run_effects(fx);
        let status = h
            .app
            .shell
            .status
            .as_ref()
            .map(|s| s.text.clone())
            .unwrap_or_default();
        for bad in [
            "不明なコマンド",
            "この版ではまだ",
            "not available in this build",
        ] {
            assert!(!status.contains(bad), "{}: {status}", cmd.id);
        }
        if let Err(r) = (cmd.enabled)(&h.app) {
            assert!(!r.ja.is_empty() && !r.en.is_empty(), "{}", cmd.id);
        }
    }
}

/// Command ids live in the registry and the keymap files (and their tests) only: code names a command by
/// its `static` (a typo does not compile), never by a string.
#[test]
fn no_command_id_literal_outside_the_registry() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/tui");
    let mut files = Vec::new();
    let mut dirs = vec![root.clone()];
    while let Some(d) = dirs.pop() {
        for e in std::fs::read_dir(&d).expect("read src/tui").flatten() {
            let p = e.path();
            if p.is_dir() {
                dirs.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                files.push(p);
            }
        }
    }
    let registry = root.join("commands/mod.rs");
    let mut found = Vec::new();
    // Keymap tests are written in keymap-file syntax: they are keymap text.
    let keymap_tests = root.join("keymap/tests");
    // The registry is commands/mod.rs plus each screen's commands.rs.
    let screen_registry =
        |f: &std::path::Path| f.starts_with(root.join("screens")) && f.ends_with("commands.rs");
    let skip = |f: &std::path::Path| {
        f == registry
            || screen_registry(f)
            || f.ends_with("commands/tests.rs")
            || f.starts_with(&keymap_tests)
            || f == keymap_tests.with_extension("rs")
    };
    for f in files.iter().filter(|f| !skip(f)) {
        let text = std::fs::read_to_string(f).expect("read source");
        for (n, line) in text.lines().enumerate() {
            if line.trim_start().starts_with("//") {
                continue;
            }
            for c in COMMANDS.iter() {
                if line.contains(&format!("\"{}\"", c.id)) {
                    found.push(format!("{}:{}: {}", f.display(), n + 1, c.id));
                }
            }
        }
    }
    assert_eq!(found, Vec::<String>::new());
}

/// The layering in docs/ARCHITECTURE.md: below `app` nothing imports it (screens,
/// overlays, commands, handlers reach the app only as a `Host`).
#[test]
fn nothing_below_the_app_imports_it() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/tui");
    let mut dirs = vec![
        root.join("screens"),
        root.join("overlay"),
        root.join("commands"),
    ];
    let mut files: Vec<std::path::PathBuf> = [
        "screen.rs",
        "shell.rs",
        "command.rs",
        "dispatch.rs",
        "palette.rs",
        "help.rs",
        "ui.rs",
        "nav.rs",
        "msg.rs",
    ]
    .iter()
    .map(|f| root.join(f))
    .collect();
    while let Some(d) = dirs.pop() {
        for e in std::fs::read_dir(&d).expect("read dir").flatten() {
            let p = e.path();
            if p.is_dir() {
                dirs.push(p);
            } else {
                files.push(p);
            }
        }
    }
    let mut found = Vec::new();
    // Tests may drive the app (this file does, through the harness).
    for f in files.iter().filter(|f| !f.ends_with("tests.rs")) {
        let text = std::fs::read_to_string(f).expect("read source");
        for needle in ["super::app", "tui::app", "super::super::app"] {
            if text.contains(needle) {
                found.push(format!("{} uses {needle}", f.display()));
            }
        }
    }
    assert_eq!(found, Vec::<String>::new());
}
