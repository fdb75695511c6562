//! Keymap TOML files are user input: loading any text must not panic.
#![no_main]

use daicho::tui::keymap::notation::parse_sequence;
use daicho::tui::keymap::{CONTEXTS, Keymap, KeymapSource};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = parse_sequence(text);
    let layers = [
        KeymapSource::new("default.toml", daicho::tui::keymap::DEFAULT_KEYMAP),
        KeymapSource::new("fuzz.toml", text),
    ];
    let _ = Keymap::load(&layers, &daicho::tui::commands::is_known, CONTEXTS);
});
