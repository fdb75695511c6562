//! Tests for loading, diagnostics, lookup and the shipped keymaps.

use super::*;

mod shipped;

pub(super) fn known(c: &str) -> bool {
    shipped::command_ids().contains(&c)
}

pub(super) fn load(layers: &[(&str, &str)]) -> (Keymap, Vec<Diagnostic>) {
    let sources: Vec<KeymapSource> = layers
        .iter()
        .map(|(n, t)| KeymapSource::new(*n, *t))
        .collect();
    Keymap::load(&sources, &known, CONTEXTS)
}

pub(super) fn msgs(diags: &[Diagnostic]) -> Vec<String> {
    diags.iter().map(ToString::to_string).collect()
}

pub(super) fn seq(s: &str) -> Vec<KeyChord> {
    parse_sequence(s).unwrap_or_else(|e| panic!("bad test notation {s:?}: {e}"))
}

pub(super) fn cmd<'a>(km: &'a Keymap, ctxs: &[&str], keys: &str) -> Lookup<'a> {
    km.lookup(ctxs, &seq(keys))
}

// ---- diagnostics -----------------------------------------------------------

#[test]
fn toml_syntax_error_skips_the_layer() {
    let user = "[list]\nbindings = [\n  { keys = [\"j\"], command = \"list.down\" },\n  { keys = [\"k\" command = \"list.up\" },\n]\n";
    let (km, diags) = load(&[("keymap.toml", user)]);
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert_eq!(diags[0].line, 4);
    assert!(
        diags[0]
            .message
            .starts_with("TOML syntax error, file ignored: "),
        "{}",
        diags[0]
    );
    assert_eq!(cmd(&km, &["list"], "j"), Lookup::NoMatch);
}

#[test]
fn unknown_context() {
    let user = "\n[lists]\nbindings = [ { keys = [\"j\"], command = \"list.down\" } ]\n";
    let (km, diags) = load(&[("keymap.toml", user)]);
    assert_eq!(
        msgs(&diags),
        vec![format!(
            "keymap.toml:2: unknown context [lists] (known: {})",
            CONTEXTS.join(", ")
        )]
    );
    assert!(km.contexts().next().is_none());
}

#[test]
fn unknown_field_in_entry_and_context() {
    let user = r#"[list]
bindings = [
  { keys = ["j"], command = "list.down", descr = "Down" },
  { keys = ["k"], command = "list.up" },
]
bindngs = []
"#;
    let (km, diags) = load(&[("keymap.toml", user)]);
    assert_eq!(
        msgs(&diags),
        vec![
            "keymap.toml:3: unknown field \"descr\" in [list] binding (expected keys, command, desc)",
            "keymap.toml:6: unknown field \"bindngs\" in [list] (expected bindings)",
        ]
    );
    assert_eq!(cmd(&km, &["list"], "j"), Lookup::NoMatch);
    assert_eq!(cmd(&km, &["list"], "k"), Lookup::Command("list.up"));
}

#[test]
fn bad_key_name() {
    let user = "[global]\nbindings = [\n  { keys = [\"Entr\"], command = \"app.quit\" },\n]\n";
    let (_, diags) = load(&[("keymap.toml", user)]);
    assert_eq!(
        msgs(&diags),
        vec!["keymap.toml:3: bad key \"Entr\" in [global]: unknown key name \"Entr\""]
    );
}

#[test]
fn unknown_command() {
    let user = "[list]\nbindings = [\n\n  { keys = [\"j\"], command = \"lst.down\" },\n]\n";
    let (_, diags) = load(&[("keymap.toml", user)]);
    assert_eq!(
        msgs(&diags),
        vec!["keymap.toml:4: unknown command \"lst.down\" in [list]"]
    );
}

#[test]
fn empty_keys_and_missing_fields() {
    let user = r#"[list]
bindings = [
  { keys = [], command = "list.down" },
  { command = "list.up" },
  { keys = ["k"] },
  "j",
  { keys = "j", command = "list.down" },
]
"#;
    let (_, diags) = load(&[("keymap.toml", user)]);
    assert_eq!(
        msgs(&diags),
        vec![
            "keymap.toml:3: empty \"keys\" in [list]",
            "keymap.toml:4: binding in [list] has no \"keys\"",
            "keymap.toml:5: binding in [list] has no \"command\"",
            "keymap.toml:6: binding in [list] must be an inline table like { keys = [\"g\"], command = \"...\" }",
            "keymap.toml:7: \"keys\" in [list] must be an array of key names, e.g. [\"g\", \"g\"]",
        ]
    );
}

#[test]
fn duplicate_in_one_layer_first_wins() {
    let user = r#"[list]
bindings = [
  { keys = ["g", "g"], command = "list.top" },
  { keys = ["j"], command = "list.down" },
  { keys = ["g", "g"], command = "list.bottom" },
]
"#;
    let (km, diags) = load(&[("keymap.toml", user)]);
    assert_eq!(
        msgs(&diags),
        vec!["keymap.toml:5: keys \"g g\" in [list] are already bound to \"list.top\" at line 3"]
    );
    assert_eq!(cmd(&km, &["list"], "gg"), Lookup::Command("list.top"));
}

#[test]
fn same_keys_in_other_context_is_fine() {
    let user = r#"[list]
bindings = [ { keys = ["a"], command = "list.top" } ]
[ledger]
bindings = [ { keys = ["a"], command = "ledger.alerts" } ]
"#;
    let (km, diags) = load(&[("keymap.toml", user)]);
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(
        cmd(&km, &["ledger", "list"], "a"),
        Lookup::Command("ledger.alerts")
    );
    assert_eq!(cmd(&km, &["list"], "a"), Lookup::Command("list.top"));
}

#[test]
fn prefix_conflict_in_one_file() {
    let user = r#"[list]
bindings = [
  { keys = ["g", "g"], command = "list.top" },
  { keys = ["g"], command = "list.bottom" },
]
"#;
    let (km, diags) = load(&[("keymap.toml", user)]);
    assert_eq!(
        msgs(&diags),
        vec![
            "keymap.toml:4: keys \"g\" in [list] are a prefix of \"g g\", bound to \"list.top\" at line 3; \"g\" is ignored"
        ]
    );
    assert_eq!(cmd(&km, &["list"], "g"), Lookup::Prefix);
}

#[test]
fn prefix_conflict_across_layers_names_the_other_file() {
    let base = "[list]\nbindings = [ { keys = [\"g\"], command = \"list.top\" } ]\n";
    let user = "\n[list]\nbindings = [ { keys = [\"g\", \"x\"], command = \"list.bottom\" } ]\n";
    let (km, diags) = load(&[("default.toml", base), ("keymap.toml", user)]);
    assert_eq!(
        msgs(&diags),
        vec![
            "keymap.toml:3: keys \"g x\" in [list] start with \"g\", bound to \"list.top\" at default.toml:2; \"g x\" is ignored"
        ]
    );
    assert_eq!(cmd(&km, &["list"], "g"), Lookup::Command("list.top"));
    // Unbinding the short one first makes room.
    let user2 = "[list]\nbindings = [\n { keys = [\"g\"], command = \"none\" },\n { keys = [\"g\", \"x\"], command = \"list.bottom\" },\n]\n";
    let (km, diags) = load(&[("default.toml", base), ("keymap.toml", user2)]);
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(cmd(&km, &["list"], "gx"), Lookup::Command("list.bottom"));
}

#[test]
fn user_file_with_three_problems_still_applies_the_rest() {
    let user = r#"# my keymap
[global]
bindings = [
  { keys = ["C-q"], command = "app.quit", desc = "Quit" },
  { keys = ["Entr"], command = "help.open" },
]

[list]
bindings = [
  { keys = ["j"], command = "list.down" },
  { keys = ["n"], command = "lst.down" },
  { keys = ["j"], command = "list.up" },
  { keys = ["Up"], command = "none" },
  { keys = ["Down"], command = "list.bottom" },
]
"#;
    let (km, diags) = load(&[("default.toml", DEFAULT_KEYMAP), ("keymap.toml", user)]);
    assert_eq!(
        msgs(&diags),
        vec![
            "keymap.toml:5: bad key \"Entr\" in [global]: unknown key name \"Entr\"",
            "keymap.toml:11: unknown command \"lst.down\" in [list]",
            "keymap.toml:12: keys \"j\" in [list] are already bound to \"list.down\" at line 10",
        ]
    );
    let list = ["list", "global"];
    assert_eq!(cmd(&km, &list, "<C-q>"), Lookup::Command("app.quit"));
    assert_eq!(cmd(&km, &list, "q"), Lookup::Command("app.quit"));
    assert_eq!(cmd(&km, &list, "j"), Lookup::Command("list.down"));
    assert_eq!(cmd(&km, &list, "n"), Lookup::NoMatch);
    assert_eq!(cmd(&km, &list, "<Up>"), Lookup::NoMatch);
    assert_eq!(cmd(&km, &list, "<Down>"), Lookup::Command("list.bottom"));
    let down = km.bindings("list").iter().find(|b| b.keys == seq("<Down>"));
    let origin = down.map(|b| (b.origin.file.as_str(), b.origin.line));
    assert_eq!(origin, Some(("keymap.toml", 14)));
}

#[test]
fn diagnostic_display() {
    let d = Diagnostic {
        file: "keymap.toml".into(),
        line: 7,
        message: "oops".into(),
    };
    assert_eq!(d.to_string(), "keymap.toml:7: oops");
}

// ---- layering, lookup, reverse map ------------------------------------------

const BASE: &str = r#"
[global]
bindings = [
  { keys = ["q"], command = "app.quit", desc = "Quit" },
  { keys = ["C-p"], command = "palette.open" },
  { keys = ["g", "s"], command = "screen.next" },
]
[list]
bindings = [
  { keys = ["Down"], command = "list.down", desc = "Down" },
  { keys = ["g", "g"], command = "list.top", desc = "Top" },
  { keys = ["Home"], command = "list.top", desc = "Top" },
  { keys = ["G"], command = "list.bottom" },
]
[ledger]
bindings = [
  { keys = ["Home"], command = "list.bottom" },
]
"#;

#[test]
fn later_layer_overrides_in_place_and_none_removes() {
    let user = r#"[list]
bindings = [
  { keys = ["Down"], command = "list.page_down", desc = "Faster" },
  { keys = ["G"], command = "none" },
  { keys = ["x"], command = "list.export_csv" },
]
"#;
    let (km, diags) = load(&[("base", BASE), ("user", user)]);
    assert!(diags.is_empty(), "{diags:?}");
    let names: Vec<(String, String, Option<String>)> = km
        .bindings_in("list")
        .into_iter()
        .map(|(k, c, d)| (display_sequence(&k), c, d))
        .collect();
    let s = |x: &str| x.to_owned();
    assert_eq!(
        names,
        vec![
            (s("Down"), s("list.page_down"), Some(s("Faster"))),
            (s("g g"), s("list.top"), Some(s("Top"))),
            (s("Home"), s("list.top"), Some(s("Top"))),
            (s("x"), s("list.export_csv"), None),
        ]
    );
    assert!(km.bindings_in("nope").is_empty());
}

#[test]
fn lookup_multi_key_and_context_precedence() {
    let (km, diags) = load(&[("base", BASE)]);
    assert!(diags.is_empty(), "{diags:?}");
    let ctxs = ["ledger", "list", "global"];
    assert_eq!(cmd(&km, &ctxs, "g"), Lookup::Prefix);
    assert_eq!(cmd(&km, &ctxs, "gg"), Lookup::Command("list.top"));
    // list decides on "g" (prefix), but "g s" is only in global: still found.
    assert_eq!(cmd(&km, &ctxs, "gs"), Lookup::Command("screen.next"));
    assert_eq!(cmd(&km, &ctxs, "gx"), Lookup::NoMatch);
    assert_eq!(cmd(&km, &ctxs, "<Home>"), Lookup::Command("list.bottom"));
    assert_eq!(
        cmd(&km, &["list", "global"], "<Home>"),
        Lookup::Command("list.top")
    );
    assert_eq!(cmd(&km, &ctxs, "q"), Lookup::Command("app.quit"));
    assert_eq!(cmd(&km, &ctxs, ""), Lookup::NoMatch);
    assert_eq!(cmd(&km, &["global"], "<Down>"), Lookup::NoMatch);
}

#[test]
fn keys_for_respects_shadowing() {
    let (km, _) = load(&[("base", BASE)]);
    let ctxs = ["ledger", "list", "global"];
    assert_eq!(km.keys_for("list.top", &ctxs), vec![seq("gg")]);
    assert_eq!(
        km.keys_for("list.top", &["list", "global"]),
        vec![seq("gg"), seq("<Home>")]
    );
    assert_eq!(
        km.keys_for("list.bottom", &ctxs),
        vec![seq("<Home>"), seq("G")]
    );
    assert_eq!(km.keys_for("screen.next", &ctxs), vec![seq("gs")]);
    assert_eq!(
        km.keys_for("app.quit", &["list"]),
        Vec::<Vec<KeyChord>>::new()
    );

    // A shorter binding in a more specific context hides a longer one.
    let more = "[ledger]\nbindings = [ { keys = [\"g\"], command = \"ledger.edit\" } ]\n";
    let (km, _) = load(&[("base", BASE), ("more", more)]);
    assert_eq!(km.keys_for("list.top", &ctxs), Vec::<Vec<KeyChord>>::new());
    assert_eq!(km.keys_for("ledger.edit", &ctxs), vec![seq("g")]);
    // A longer binding in a more specific context hides a shorter one.
    let longer = "[ledger]\nbindings = [ { keys = [\"q\", \"q\"], command = \"ledger.edit\" } ]\n";
    let (km, _) = load(&[("base", BASE), ("more", longer)]);
    assert_eq!(km.keys_for("app.quit", &ctxs), Vec::<Vec<KeyChord>>::new());
}

#[test]
fn pending_accumulates_and_resets() {
    let (km, _) = load(&[("base", BASE)]);
    let ctxs = ["list", "global"];
    let mut p = Pending::new();
    let k = |s: &str| seq(s)[0];
    assert_eq!(p.feed(&km, &ctxs, k("g")), Lookup::Prefix);
    assert_eq!(p.keys(), &[k("g")]);
    assert_eq!(p.feed(&km, &ctxs, k("g")), Lookup::Command("list.top"));
    assert!(p.is_empty());
    // A broken-off sequence retries the new key on its own.
    assert_eq!(p.feed(&km, &ctxs, k("g")), Lookup::Prefix);
    assert_eq!(
        p.feed(&km, &ctxs, k("<Down>")),
        Lookup::Command("list.down")
    );
    assert!(p.is_empty());
    assert_eq!(p.feed(&km, &ctxs, k("g")), Lookup::Prefix);
    assert_eq!(p.feed(&km, &ctxs, k("z")), Lookup::NoMatch);
    assert!(p.is_empty());
    assert_eq!(p.feed(&km, &ctxs, k("z")), Lookup::NoMatch);
    assert_eq!(p.feed(&km, &ctxs, k("g")), Lookup::Prefix);
    p.clear();
    assert!(p.keys().is_empty());
}

#[test]
fn typing_notation_drives_pending() {
    let (km, _) = load(&[("default.toml", DEFAULT_KEYMAP)]);
    let mut p = Pending::new();
    let got: Vec<String> = seq("<C-p>承<Enter>")
        .into_iter()
        .map(|c| format!("{:?}", p.feed(&km, &["ledger", "list", "global"], c)))
        .collect();
    assert_eq!(
        got,
        vec![
            "Command(\"palette.open\")",
            "NoMatch",
            "Command(\"list.open\")"
        ]
    );
}

#[test]
fn wrong_value_types() {
    let user = r#"[list]
bindings = [
  { keys = [1], command = "list.down" },
  { keys = ["j"], command = 2 },
  { keys = ["k"], command = "list.up", desc = false },
]
[ledger]
bindings = "a"
[dialog]
[[inbox]]
"#;
    let (km, diags) = load(&[("keymap.toml", user)]);
    assert_eq!(
        msgs(&diags),
        vec![
            "keymap.toml:3: \"keys\" in [list] must contain strings",
            "keymap.toml:4: \"command\" in [list] must be a string",
            "keymap.toml:5: \"desc\" in [list] must be a string",
            "keymap.toml:8: \"bindings\" in [ledger] must be an array of inline tables",
            "keymap.toml:10: [inbox] must be a table with a \"bindings\" array",
        ]
    );
    assert!(km.bindings_in("list").is_empty());
}

#[test]
fn array_of_tables_form_works_too() {
    let user = r#"[[list.bindings]]
keys = ["j"]
command = "list.down"

[[list.bindings]]
keys = ["Entr"]
command = "list.open"
"#;
    let (km, diags) = load(&[("keymap.toml", user)]);
    assert_eq!(
        msgs(&diags),
        vec!["keymap.toml:6: bad key \"Entr\" in [list]: unknown key name \"Entr\""]
    );
    assert_eq!(cmd(&km, &["list"], "j"), Lookup::Command("list.down"));
    assert_eq!(km.bindings("list")[0].origin.line, 1);
}

#[test]
fn limits_on_keys_bindings_and_size_are_reported_with_file_and_line() {
    let long = r#"[list]
bindings = [
  { keys = ["a", "b", "c", "d", "e", "f", "g", "h", "i"], command = "list.top" },
  { keys = ["z"], command = "list.top" },
]
"#;
    let (km, diags) = load(&[("user.toml", long)]);
    assert_eq!(
        msgs(&diags),
        vec!["user.toml:3: \"keys\" in [list] has 9 key presses; at most 8 are allowed"]
    );
    assert_eq!(cmd(&km, &["list"], "z"), Lookup::Command("list.top"));

    let mut many = String::from("[list]\nbindings = [\n");
    for i in 0..load::MAX_BINDINGS + 5 {
        let c = char::from_u32(0x4E00 + i as u32).unwrap();
        many.push_str(&format!(
            "{{ keys = [\"{c}\"], command = \"list.top\" }},\n"
        ));
    }
    many.push_str("]\n");
    let (km, diags) = load(&[("many.toml", &many)]);
    assert_eq!(km.bindings_in("list").len(), load::MAX_BINDINGS);
    assert_eq!(
        msgs(&diags),
        vec![format!(
            "many.toml:{}: more than {} bindings in this file; this one and all after it are ignored",
            load::MAX_BINDINGS + 3,
            load::MAX_BINDINGS
        )]
    );

    let huge = format!("# {}\n", "x".repeat(load::MAX_KEYMAP_BYTES));
    let (_, diags) = load(&[("huge.toml", &huge)]);
    assert_eq!(
        msgs(&diags),
        vec![
            "huge.toml:1: the file is 257 KiB, more than the 256 KiB a keymap may be; file ignored"
        ]
    );
}
