//! Generated documentation stays current (like helix's docgen check).

#![allow(clippy::unwrap_used)]

use daicho::tui::commands::{self, reference_markdown};
use daicho::tui::keymap::files;

#[test]
fn commands_reference_is_current() {
    let loaded = files::load(None, false, &commands::is_known);
    let text = reference_markdown(&loaded.keymap);
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/commands.md");
    if std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::write(path, &text).unwrap();
    }
    let on_disk = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        on_disk == text,
        "docs/commands.md is stale: run UPDATE_DOCS=1 cargo test --test docs"
    );
}
