//! Unbounded input: pastes, keymaps with huge numbers of bindings.
use crate::common::{fresh_db, harness};
use crate::{Case, ensure};
use daicho::tui::commands;
use daicho::tui::input::MAX_INPUT_CHARS;
use daicho::tui::keymap::files::{self as keymap_files, Loaded};
use daicho::tui::keymap::load::{MAX_BINDINGS, MAX_KEYMAP_BYTES};
use daicho::tui::msg::Msg;
use daicho::tui::testing::{Harness, HarnessOptions};
use std::time::{Duration, Instant};

pub fn cases() -> Vec<Case> {
    vec![
        Case {
            id: "11.2",
            what: "a 10 MB paste into the search line, a prompt, the palette and a form field",
            run: ten_megabyte_paste,
        },
        Case {
            id: "11.3",
            what: "a keymap file with 100,000 bindings",
            run: keymap_with_100k_bindings,
        },
    ]
}

fn paste_timed(h: &mut Harness, text: &str) -> Duration {
    let t = Instant::now();
    h.send(Msg::Paste(text.to_string()));
    h.screen();
    t.elapsed()
}

fn ten_megabyte_paste() -> Result<(), String> {
    let db = fresh_db();
    let mut h = harness(&db, HarnessOptions::default());
    // 10 MB of kana and newlines.
    let big = "ケアプランセンター\n".repeat(10 * 1024 * 1024 / 28);
    ensure!(
        big.len() >= 10_000_000,
        "test text is only {} bytes",
        big.len()
    );
    let budget = Duration::from_secs(1);

    h.press("/");
    let took = paste_timed(&mut h, &big);
    let kept = h.app.ledger().query.search.chars().count();
    ensure!(took < budget, "search paste took {took:?}");
    ensure!(kept <= MAX_INPUT_CHARS, "the search holds {kept} chars");
    ensure!(
        h.app
            .shell
            .status
            .as_ref()
            .is_some_and(|s| s.text.contains(&MAX_INPUT_CHARS.to_string())),
        "no message says the paste was cut"
    );
    h.press("<Esc>");

    // The palette.
    h.press("<C-p>");
    let took = paste_timed(&mut h, &big);
    ensure!(took < budget, "palette paste took {took:?}");
    h.press("<Esc>");

    // The reason prompt of a reveal.
    h.press("<Enter>r");
    let took = paste_timed(&mut h, &big);
    ensure!(took < budget, "prompt paste took {took:?}");
    h.press("<Esc>");

    // A form field.
    h.press("e");
    let took = paste_timed(&mut h, &big);
    ensure!(took < budget, "form paste took {took:?}");
    let longest = h
        .app
        .ledger()
        .edit
        .as_ref()
        .map(|e| e.inputs.iter().map(|i| i.text().chars().count()).max())
        .unwrap_or_default()
        .unwrap_or_default();
    ensure!(
        (1..=MAX_INPUT_CHARS).contains(&longest),
        "the form field holds {longest} chars"
    );
    Ok(())
}

/// `n` bindings in [consent], each a distinct two-key sequence.
fn keymap_text(n: usize) -> String {
    let mut text = String::from("[consent]\nbindings = [\n");
    for i in 0..n {
        let c = char::from_u32(0x4E00 + i as u32).unwrap_or('x');
        text.push_str(&format!(
            "{{keys=[\"C-x\",\"{c}\"],command=\"app.quit\"}},\n"
        ));
    }
    text.push_str("]\n");
    text
}

fn load_timed(path: &std::path::Path) -> (Duration, Loaded) {
    let t = Instant::now();
    let loaded = keymap_files::load(Some(path), false, &commands::is_known);
    (t.elapsed(), loaded)
}

fn keymap_with_100k_bindings() -> Result<(), String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let budget = Duration::from_secs(1);
    let defaults_work = |l: &Loaded| !l.keymap.keys_for("app.quit", &["global"]).is_empty();

    // 100,000 bindings (about 4 MB): refused by size, with the file named.
    let huge = dir.path().join("huge.toml");
    std::fs::write(&huge, keymap_text(100_000)).map_err(|e| e.to_string())?;
    let (took, loaded) = load_timed(&huge);
    ensure!(took < budget, "loading took {took:?}");
    ensure!(
        loaded.messages.len() == 1 && loaded.messages[0].contains(&huge.display().to_string()),
        "messages: {:?}",
        loaded.messages
    );
    ensure!(defaults_work(&loaded), "the defaults were lost");

    // Just under the size limit: several thousand bindings, read up to the cap, in
    // linear time.
    let n = MAX_KEYMAP_BYTES / 40;
    let mut text = keymap_text(n);
    while text.len() > MAX_KEYMAP_BYTES {
        text = keymap_text(text.lines().count() * 9 / 10);
    }
    ensure!(
        text.lines().count() > MAX_BINDINGS + 1000,
        "only {} lines",
        text.lines().count()
    );
    let many = dir.path().join("many.toml");
    std::fs::write(&many, &text).map_err(|e| e.to_string())?;
    let (took, loaded) = load_timed(&many);
    ensure!(
        took < budget,
        "loading {} bindings took {took:?}",
        text.lines().count()
    );
    // The user's file adds at most MAX_BINDINGS to the built-in ones.
    let built_in = keymap_files::load(None, false, &commands::is_known)
        .keymap
        .bindings_in("consent")
        .len();
    let bound = loaded.keymap.bindings_in("consent").len();
    ensure!(
        bound <= MAX_BINDINGS + built_in,
        "{bound} bindings in [consent] ({built_in} built in)"
    );
    ensure!(
        loaded.messages.len() == 1
            && loaded.messages[0].contains("many.toml")
            && loaded.messages[0].contains(&MAX_BINDINGS.to_string()),
        "messages: {:?}",
        loaded.messages
    );
    ensure!(defaults_work(&loaded), "the defaults were lost");
    Ok(())
}
