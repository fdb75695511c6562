//! Prefix clashes: a binding that is a strict prefix of another in the same context
//! makes one of them unreachable; the later one is dropped and reported.

use super::load::Diagnostic;
use super::{KeyChord, Keymap, display_sequence};
use crate::i18n::Lang;
use std::collections::HashMap;

impl Keymap {
    /// A binding that is a strict prefix of another in the same context
    /// makes one of them unreachable. The one written earlier (by layer, then
    /// position) wins; the later one is dropped and reported.
    pub(super) fn drop_prefix_conflicts(&mut self, lang: Lang) -> Vec<Diagnostic> {
        let mut diags: Vec<((usize, usize), Diagnostic)> = Vec::new();
        for (ctx, bindings) in &mut self.contexts {
            let mut by_age: Vec<usize> = (0..bindings.len()).collect();
            by_age.sort_by_key(|i| bindings[*i].origin.order);
            // Kept key sequences, and every strict prefix of one, each with the kept
            // binding it belongs to: a clash is a lookup per prefix, not a scan.
            let mut kept: HashMap<&[KeyChord], usize> = HashMap::new();
            let mut prefixes: HashMap<&[KeyChord], usize> = HashMap::new();
            let mut dropped: Vec<(usize, Diagnostic)> = Vec::new();
            for i in by_age {
                let b = &bindings[i];
                let clash = (1..b.keys.len())
                    .find_map(|n| kept.get(&b.keys[..n]))
                    .or_else(|| prefixes.get(b.keys.as_slice()))
                    .map(|j| &bindings[*j]);
                let Some(other) = clash else {
                    kept.insert(&b.keys, i);
                    for n in 1..b.keys.len() {
                        prefixes.entry(&b.keys[..n]).or_insert(i);
                    }
                    continue;
                };
                let keys = display_sequence(&b.keys);
                let other_keys = display_sequence(&other.keys);
                let ja = lang.is_ja();
                let at = match (other.origin.file == b.origin.file, ja) {
                    (true, true) => format!("{} 行目", other.origin.line),
                    (true, false) => format!("line {}", other.origin.line),
                    (false, _) => format!("{}:{}", other.origin.file, other.origin.line),
                };
                let prefix = b.keys.len() < other.keys.len();
                let message = match (ja, prefix) {
                    (true, true) => format!(
                        "[{ctx}] のキー \"{keys}\" は {at} の \"{other_keys}\"（\"{}\"）の先頭と重なるため無視します",
                        other.command
                    ),
                    (true, false) => format!(
                        "[{ctx}] のキー \"{keys}\" は {at} の \"{other_keys}\"（\"{}\"）で始まるため無視します",
                        other.command
                    ),
                    (false, p) => format!(
                        "keys \"{keys}\" in [{ctx}] {} \"{other_keys}\", bound to \"{}\" \
                         at {at}; \"{keys}\" is ignored",
                        if p { "are a prefix of" } else { "start with" },
                        other.command
                    ),
                };
                let diag = Diagnostic {
                    file: b.origin.file.clone(),
                    line: b.origin.line,
                    message,
                };
                dropped.push((i, diag));
            }
            let mut drop = vec![false; bindings.len()];
            for (i, d) in dropped {
                drop[i] = true;
                diags.push((bindings[i].origin.order, d));
            }
            let mut i = 0;
            bindings.retain(|_| {
                i += 1;
                !drop[i - 1]
            });
        }
        diags.sort_by_key(|(order, _)| *order);
        diags.into_iter().map(|(_, d)| d).collect()
    }
}
