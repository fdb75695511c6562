//! Keymaps: key notation, TOML keymap files with line-numbered diagnostics,
//! and lookup of (multi-key) sequences by context.
//!
//! - [`notation`]: `KeyChord`, `parse_key("C-p")`, `parse_sequence("<C-p>gg")`,
//!   ASCII display for footer/help.
//! - [`load`]: layered TOML files (built-in default, optional vim layer, the
//!   user's file) merged into one [`Keymap`]; every problem becomes a
//!   [`Diagnostic`] (`file:line: message`) and the rest still loads.
//! - this file: the merged [`Keymap`], [`Lookup`] by active contexts (most
//!   specific first), the reverse map for palette/help, and [`Pending`] for
//!   multi-key sequences.
//!
//! Command ids are opaque strings here; the app's command registry decides
//! which ids exist (passed to [`Keymap::load`] as `known_command`).

pub mod files;
pub mod load;
pub mod notation;
mod prefix;

#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

pub use load::{Diagnostic, KeymapSource};
pub use notation::{
    KeyChord, KeyError, chord_from_event, display_sequence, parse_key, parse_sequence,
};

/// The built-in keymap, always the first layer.
pub const DEFAULT_KEYMAP: &str = include_str!("../../../keymaps/default.toml");
/// Optional vim-flavoured layer (`j`/`k`, `g g`/`G`) on top of the default.
pub const VIM_KEYMAP: &str = include_str!("../../../keymaps/vim.toml");

/// The contexts the app uses; pass to [`Keymap::load`].
pub const CONTEXTS: &[&str] = &[
    "global",
    "list",
    "form",
    "dialog",
    "ledger",
    "inbox",
    "consent",
    "checklist",
    "jobs",
    "palette",
    "help",
    "inbox_case",
    "overview",
    "opendata",
    "inbox_renewals",
    "inbox_intake",
];

/// The command id that removes a binding inherited from an earlier layer.
pub const UNBIND: &str = "none";

/// Where a binding was defined.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Origin {
    pub file: String,
    pub line: usize,
    /// (layer index, byte offset): the order bindings were written in.
    pub(crate) order: (usize, usize),
}

/// One binding in one context of the merged keymap.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Binding {
    pub keys: Vec<KeyChord>,
    pub command: String,
    pub desc: Option<String>,
    pub origin: Origin,
}

/// The merged keymap: per context, bindings in the order they appear.
#[derive(Clone, Debug, Default)]
pub struct Keymap {
    contexts: BTreeMap<String, Vec<Binding>>,
}

/// Result of looking up the keys typed so far.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lookup<'a> {
    /// The keys are bound to this command.
    Command(&'a str),
    /// The keys start a longer binding; wait for more.
    Prefix,
    /// Nothing is bound to these keys.
    NoMatch,
}

impl Keymap {
    /// Looks up `pending` in `active_contexts`, most specific first. The first
    /// context with a match (command or prefix) decides.
    pub fn lookup(&self, active_contexts: &[&str], pending: &[KeyChord]) -> Lookup<'_> {
        if pending.is_empty() {
            return Lookup::NoMatch;
        }
        for ctx in active_contexts {
            let Some(bindings) = self.contexts.get(*ctx) else {
                continue;
            };
            if let Some(b) = bindings.iter().find(|b| b.keys == pending) {
                return Lookup::Command(&b.command);
            }
            if bindings
                .iter()
                .any(|b| b.keys.len() > pending.len() && b.keys.starts_with(pending))
            {
                return Lookup::Prefix;
            }
        }
        Lookup::NoMatch
    }

    /// Key sequences that run `command` in `active_contexts`, as the user
    /// would reach them: a sequence hidden by a more specific context (same
    /// keys, a shorter bound prefix, or a longer binding starting with it) is
    /// left out. Most specific context first, then file order.
    pub fn keys_for(&self, command: &str, active_contexts: &[&str]) -> Vec<Vec<KeyChord>> {
        let mut out: Vec<Vec<KeyChord>> = Vec::new();
        for ctx in active_contexts {
            let Some(bindings) = self.contexts.get(*ctx) else {
                continue;
            };
            for b in bindings.iter().filter(|b| b.command == command) {
                if out.contains(&b.keys) {
                    continue;
                }
                let prefixes_wait = (1..b.keys.len())
                    .all(|n| self.lookup(active_contexts, &b.keys[..n]) == Lookup::Prefix);
                if prefixes_wait
                    && self.lookup(active_contexts, &b.keys) == Lookup::Command(command)
                {
                    out.push(b.keys.clone());
                }
            }
        }
        out
    }

    /// All bindings of one context in the order they appear (an overriding
    /// binding keeps the place of the one it replaced).
    pub fn bindings_in(&self, context: &str) -> Vec<(Vec<KeyChord>, String, Option<String>)> {
        self.contexts
            .get(context)
            .map(|bs| {
                bs.iter()
                    .map(|b| (b.keys.clone(), b.command.clone(), b.desc.clone()))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Full binding records (with origin) of one context, in order.
    pub fn bindings(&self, context: &str) -> &[Binding] {
        self.contexts.get(context).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Context names that have at least one binding.
    pub fn contexts(&self) -> impl Iterator<Item = &str> {
        self.contexts.keys().map(String::as_str)
    }

    /// Shortest reachable key sequence for `command`, for footer hints.
    pub fn first_keys(&self, command: &str, active_contexts: &[&str]) -> Option<String> {
        self.keys_for(command, active_contexts)
            .into_iter()
            .min_by_key(Vec::len)
            .map(|k| display_sequence(&k))
    }
}

/// Keys typed so far of a multi-key sequence.
///
/// Feed every key press; on `Command` or `NoMatch` the buffer resets. When a
/// sequence breaks off (`g` then `Down` with only `g g` bound), the new key is
/// tried again on its own, so `Down` still moves instead of being swallowed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Pending {
    keys: Vec<KeyChord>,
}

impl Pending {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `chord` and looks up the sequence.
    pub fn feed<'k>(
        &mut self,
        keymap: &'k Keymap,
        active_contexts: &[&str],
        chord: KeyChord,
    ) -> Lookup<'k> {
        self.keys.push(chord);
        match keymap.lookup(active_contexts, &self.keys) {
            Lookup::Prefix => Lookup::Prefix,
            Lookup::Command(c) => {
                self.keys.clear();
                Lookup::Command(c)
            }
            Lookup::NoMatch if self.keys.len() > 1 => {
                self.keys.clear();
                self.feed(keymap, active_contexts, chord)
            }
            Lookup::NoMatch => {
                self.keys.clear();
                Lookup::NoMatch
            }
        }
    }

    /// The keys waiting for completion (for a "g-" hint in the footer).
    pub fn keys(&self) -> &[KeyChord] {
        &self.keys
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// Drops the waiting keys (e.g. when the screen or focus changes).
    pub fn clear(&mut self) {
        self.keys.clear();
    }
}
