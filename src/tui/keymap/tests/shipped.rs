//! The shipped keymaps load cleanly and cover every command.

use super::*;
use crossterm::event::{KeyCode, KeyModifiers};

/// Every command id the app registers (kept in step with the registry).
/// The command ids the app's registry declares.
pub(super) fn command_ids() -> Vec<&'static str> {
    crate::tui::commands::COMMANDS
        .iter()
        .map(|c| c.id)
        .collect()
}

#[test]
fn shipped_keymaps_load_without_diagnostics() {
    let (_, diags) = load(&[("default.toml", DEFAULT_KEYMAP)]);
    assert_eq!(msgs(&diags), Vec::<String>::new());
    let (_, diags) = load(&[("default.toml", DEFAULT_KEYMAP), ("vim.toml", VIM_KEYMAP)]);
    assert_eq!(msgs(&diags), Vec::<String>::new());
}

#[test]
fn every_command_has_a_default_binding() {
    let (km, _) = load(&[("default.toml", DEFAULT_KEYMAP)]);
    let bound: Vec<String> = CONTEXTS
        .iter()
        .flat_map(|c| km.bindings_in(c))
        .map(|(_, cmd, _)| cmd)
        .collect();
    let missing: Vec<&str> = command_ids()
        .iter()
        .copied()
        .filter(|c| !bound.iter().any(|b| b == c))
        .collect();
    assert_eq!(missing, Vec::<&str>::new());
}

#[test]
fn shipped_bindings_have_desc_and_no_alt_or_esc_prefix() {
    for (name, text) in [("default", DEFAULT_KEYMAP), ("vim", VIM_KEYMAP)] {
        let (km, _) = load(&[(name, text)]);
        for ctx in CONTEXTS {
            for (keys, command, desc) in km.bindings_in(ctx) {
                let shown = display_sequence(&keys);
                assert!(desc.is_some(), "{name} [{ctx}] {shown} has no desc");
                assert!(
                    !keys.iter().any(|k| k.mods.contains(KeyModifiers::ALT)),
                    "{name} [{ctx}] {shown} uses Alt"
                );
                let esc = KeyChord::plain(KeyCode::Esc);
                assert!(
                    keys.len() == 1 || keys[0] != esc,
                    "{name} [{ctx}] {shown} ({command}) starts with Esc"
                );
                assert!(shown.is_ascii(), "{name} [{ctx}] {shown} is not ASCII");
            }
        }
    }
}

#[test]
fn shipped_typical_keys() {
    let (km, _) = load(&[("default.toml", DEFAULT_KEYMAP), ("vim.toml", VIM_KEYMAP)]);
    let ledger = ["ledger", "list", "global"];
    assert_eq!(cmd(&km, &ledger, "<C-p>"), Lookup::Command("palette.open"));
    assert_eq!(cmd(&km, &ledger, "g"), Lookup::Prefix);
    assert_eq!(cmd(&km, &ledger, "gg"), Lookup::Command("list.top"));
    assert_eq!(cmd(&km, &ledger, "j"), Lookup::Command("list.down"));
    assert_eq!(
        cmd(&km, &["form", "global"], "<Tab>"),
        Lookup::Command("form.next_field")
    );
    assert_eq!(
        cmd(&km, &["jobs", "list", "global"], "k"),
        Lookup::Command("list.up")
    );
    assert_eq!(
        km.keys_for("list.top", &ledger),
        vec![seq("<Home>"), seq("gg")]
    );
    assert_eq!(km.first_keys("list.top", &ledger).as_deref(), Some("Home"));
}

/// On each screen, every command bound in its contexts stays reachable
/// (no key of a screen context hides a list or global binding entirely),
/// except screen switching by Tab inside a form.
#[test]
fn shipped_commands_stay_reachable_on_every_screen() {
    let stacks: &[&[&str]] = &[
        &["ledger", "list", "global"],
        &["inbox", "list", "global"],
        &["consent", "list", "global"],
        &["checklist", "list", "global"],
        &["jobs", "list", "global"],
        &["form"],
        &["dialog"],
        &["palette"],
        &["help"],
    ];
    for layers in [
        vec![("default.toml", DEFAULT_KEYMAP)],
        vec![("default.toml", DEFAULT_KEYMAP), ("vim.toml", VIM_KEYMAP)],
    ] {
        let (km, _) = load(&layers);
        for stack in stacks {
            for ctx in *stack {
                for (keys, command, _) in km.bindings_in(ctx) {
                    // In a form Tab/S-Tab move between fields, by design.
                    let form_tab = stack[0] == "form" && command.starts_with("screen.");
                    assert!(
                        form_tab || !km.keys_for(&command, stack).is_empty(),
                        "{command} ({} in [{ctx}]) unreachable in {stack:?} with {}",
                        display_sequence(&keys),
                        layers.len()
                    );
                }
            }
        }
    }
}
