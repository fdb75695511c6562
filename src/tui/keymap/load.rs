//! Reading TOML keymap layers into a [`Keymap`], with diagnostics.
//!
//! Format: one table per context, each with a `bindings` array of inline
//! tables `{ keys = ["g", "g"], command = "list.top", desc = "..." }`.
//! Later layers replace bindings of the same keys in the same context;
//! `command = "none"` removes one. Every problem is reported with its file
//! and line and only the offending part is skipped.

use crate::i18n::Lang;
use std::collections::HashMap;
use std::fmt;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::notation::{KeyChord, display_sequence, parse_key};
use super::{Binding, Keymap, Origin, UNBIND};

/// A keymap file larger than this is not read (the shipped default is about 6 KiB).
pub const MAX_KEYMAP_BYTES: usize = 256 * 1024;
/// Bindings read from one file; the rest are reported once and ignored.
pub const MAX_BINDINGS: usize = 2_000;
/// Key presses in one binding (`g g` is two).
pub const MAX_KEYS_PER_BINDING: usize = 8;

/// One keymap file's text and the name used in messages (usually its path).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeymapSource {
    pub name: String,
    pub text: String,
}

impl KeymapSource {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            text: text.into(),
        }
    }
}

/// A problem in a keymap file, shown as `file:line: message`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub file: String,
    /// 1-based.
    pub line: usize,
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.message)
    }
}

/// Byte offsets where each line starts, so a line number costs a binary search
/// rather than a scan of the file (which made big files quadratic).
fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect()
}

/// Per-layer state: the source and the diagnostics found in it.
struct Layer<'a> {
    index: usize,
    src: &'a KeymapSource,
    lines: Vec<usize>,
    /// Bindings read so far, against [`MAX_BINDINGS`].
    read: usize,
    lang: Lang,
    diags: Vec<Diagnostic>,
}

impl Layer<'_> {
    /// 1-based line of a byte offset.
    fn line(&self, offset: usize) -> usize {
        self.lines.partition_point(|start| *start <= offset).max(1)
    }

    /// The message in the UI language.
    fn t(&self, ja: String, en: String) -> String {
        if self.lang.is_ja() { ja } else { en }
    }

    fn report(&mut self, offset: usize, message: String) {
        let line = self.line(offset);
        self.diags.push(Diagnostic {
            file: self.src.name.clone(),
            line,
            message,
        });
    }

    fn origin(&self, offset: usize) -> Origin {
        Origin {
            file: self.src.name.clone(),
            line: self.line(offset),
            order: (self.index, offset),
        }
    }
}

/// One well-formed entry of a `bindings` array.
struct Entry {
    keys: Vec<KeyChord>,
    command: String,
    desc: Option<String>,
    offset: usize,
}

const FIELDS: &str = "keys, command, desc";

fn parse_entry(
    layer: &mut Layer<'_>,
    ctx: &str,
    item: &Spanned<DeValue<'_>>,
    known_command: &dyn Fn(&str) -> bool,
) -> Option<Entry> {
    let offset = item.span().start;
    let DeValue::Table(table) = item.get_ref() else {
        layer.report(
            offset,
            layer.t(
                format!("[{ctx}] の割り当ては {{ keys = [\"g\"], command = \"...\" }} のようなインラインテーブルにしてください"),
                format!(
                    "binding in [{ctx}] must be an inline table like \
                     {{ keys = [\"g\"], command = \"...\" }}"
                ),
            ),
        );
        return None;
    };
    let errors_before = layer.diags.len();
    let (mut keys, mut command, mut desc) = (None, None, None);
    for (k, v) in table.iter() {
        let at = v.span().start;
        match k.get_ref().as_ref() {
            "keys" => keys = parse_keys(layer, ctx, v),
            "command" => match v.get_ref().as_str() {
                Some(c) if c == UNBIND || known_command(c) => command = Some(c.to_owned()),
                Some(c) => layer.report(at, layer.t(format!("[{ctx}] の \"{c}\" というコマンドはありません（docs/commands.md を確認してください）"), format!("unknown command \"{c}\" in [{ctx}]"))),
                None => layer.report(at, layer.t(format!("[{ctx}] の \"command\" は文字列にしてください"), format!("\"command\" in [{ctx}] must be a string"))),
            },
            "desc" => match v.get_ref().as_str() {
                Some(d) => desc = Some(d.to_owned()),
                None => layer.report(at, layer.t(format!("[{ctx}] の \"desc\" は文字列にしてください"), format!("\"desc\" in [{ctx}] must be a string"))),
            },
            other => layer.report(
                k.span().start,
                layer.t(format!("[{ctx}] の割り当てに \"{other}\" という項目はありません（使えるのは {FIELDS}）"), format!("unknown field \"{other}\" in [{ctx}] binding (expected {FIELDS})")),
            ),
        }
    }
    let has_keys_field = table.iter().any(|(k, _)| k.get_ref().as_ref() == "keys");
    let has_command_field = table.iter().any(|(k, _)| k.get_ref().as_ref() == "command");
    if !has_keys_field {
        layer.report(
            offset,
            layer.t(
                format!("[{ctx}] の割り当てに \"keys\" がありません"),
                format!("binding in [{ctx}] has no \"keys\""),
            ),
        );
    }
    if !has_command_field {
        layer.report(
            offset,
            layer.t(
                format!("[{ctx}] の割り当てに \"command\" がありません"),
                format!("binding in [{ctx}] has no \"command\""),
            ),
        );
    }
    if layer.diags.len() > errors_before {
        return None;
    }
    Some(Entry {
        keys: keys?,
        command: command?,
        desc,
        offset,
    })
}

fn parse_keys(
    layer: &mut Layer<'_>,
    ctx: &str,
    value: &Spanned<DeValue<'_>>,
) -> Option<Vec<KeyChord>> {
    let at = value.span().start;
    let DeValue::Array(items) = value.get_ref() else {
        layer.report(
            at,
            layer.t(
                format!("[{ctx}] の \"keys\" はキー名の配列にしてください（例 [\"g\", \"g\"]）"),
                format!("\"keys\" in [{ctx}] must be an array of key names, e.g. [\"g\", \"g\"]"),
            ),
        );
        return None;
    };
    if items.is_empty() {
        layer.report(
            at,
            layer.t(
                format!("[{ctx}] の \"keys\" が空です"),
                format!("empty \"keys\" in [{ctx}]"),
            ),
        );
        return None;
    }
    if items.len() > MAX_KEYS_PER_BINDING {
        layer.report(
            at,
            layer.t(
                format!("[{ctx}] の \"keys\" は {} 打鍵あります。{MAX_KEYS_PER_BINDING} 打鍵までにしてください", items.len()),
                format!(
                    "\"keys\" in [{ctx}] has {} key presses; at most {MAX_KEYS_PER_BINDING} are allowed",
                    items.len()
                ),
            ),
        );
        return None;
    }
    let mut out = Vec::with_capacity(items.len());
    let mut ok = true;
    for item in items.iter() {
        let at = item.span().start;
        match item.get_ref().as_str() {
            Some(name) => match parse_key(name) {
                Ok(chord) => out.push(chord),
                Err(e) => {
                    layer.report(
                        at,
                        layer.t(
                            format!("[{ctx}] のキー \"{name}\" を読めません（{e}）"),
                            format!("bad key \"{name}\" in [{ctx}]: {e}"),
                        ),
                    );
                    ok = false;
                }
            },
            None => {
                layer.report(
                    at,
                    layer.t(
                        format!("[{ctx}] の \"keys\" には文字列を並べてください"),
                        format!("\"keys\" in [{ctx}] must contain strings"),
                    ),
                );
                ok = false;
            }
        }
    }
    ok.then_some(out)
}

impl Keymap {
    /// Merges `layers` in order (built-in default first, user file last).
    ///
    /// Returns the keymap and every problem found; a bad file, context or
    /// entry is skipped and everything else still applies. `contexts` lists
    /// the valid context table names, `known_command` the valid command ids
    /// (`"none"` is always accepted and unbinds).
    pub fn load(
        layers: &[KeymapSource],
        known_command: &dyn Fn(&str) -> bool,
        contexts: &[&str],
    ) -> (Keymap, Vec<Diagnostic>) {
        Self::load_in(Lang::En, layers, known_command, contexts)
    }

    /// [`Keymap::load`] with the messages in `lang`.
    pub fn load_in(
        lang: Lang,
        layers: &[KeymapSource],
        known_command: &dyn Fn(&str) -> bool,
        contexts: &[&str],
    ) -> (Keymap, Vec<Diagnostic>) {
        let mut keymap = Keymap::default();
        let mut diags = Vec::new();
        for (index, src) in layers.iter().enumerate() {
            let mut layer = Layer {
                index,
                src,
                lines: line_starts(&src.text),
                read: 0,
                lang,
                diags: Vec::new(),
            };
            keymap.apply_layer(&mut layer, known_command, contexts);
            // Contexts are visited in key order, not file order.
            layer.diags.sort_by_key(|d| d.line);
            diags.append(&mut layer.diags);
        }
        diags.extend(keymap.drop_prefix_conflicts(lang));
        (keymap, diags)
    }

    fn apply_layer(
        &mut self,
        layer: &mut Layer<'_>,
        known_command: &dyn Fn(&str) -> bool,
        contexts: &[&str],
    ) {
        if layer.src.text.len() > MAX_KEYMAP_BYTES {
            let size = layer.src.text.len().div_ceil(1024);
            let max = MAX_KEYMAP_BYTES / 1024;
            layer.report(
                0,
                layer.t(
                    format!("ファイルが {size} KiB あり、キーマップの上限 {max} KiB を超えるため読み込みません"),
                    format!("the file is {size} KiB, more than the {max} KiB a keymap may be; file ignored"),
                ),
            );
            return;
        }
        let doc = match DeTable::parse(&layer.src.text) {
            Ok(doc) => doc,
            Err(e) => {
                let offset = e.span().map_or(0, |s| s.start);
                let msg = e.message().trim().to_owned();
                layer.report(
                    offset,
                    layer.t(
                        format!(
                            "TOML の書き方に誤りがあるため、このファイルは読み込みません（{msg}）"
                        ),
                        format!("TOML syntax error, file ignored: {msg}"),
                    ),
                );
                return;
            }
        };
        for (ctx_key, ctx_val) in doc.get_ref().iter() {
            let ctx = ctx_key.get_ref().as_ref();
            let at = ctx_key.span().start;
            if !contexts.contains(&ctx) {
                let known = contexts.join(", ");
                layer.report(
                    at,
                    layer.t(
                        format!("[{ctx}] という場面はありません（使えるのは {known}）"),
                        format!("unknown context [{ctx}] (known: {known})"),
                    ),
                );
                continue;
            }
            let DeValue::Table(table) = ctx_val.get_ref() else {
                layer.report(
                    at,
                    layer.t(
                        format!("[{ctx}] は \"bindings\" 配列を持つテーブルにしてください"),
                        format!("[{ctx}] must be a table with a \"bindings\" array"),
                    ),
                );
                continue;
            };
            for (k, v) in table.iter() {
                let name = k.get_ref().as_ref();
                if name != "bindings" {
                    layer.report(
                        k.span().start,
                        layer.t(format!("[{ctx}] に \"{name}\" という項目はありません（使えるのは bindings）"), format!("unknown field \"{name}\" in [{ctx}] (expected bindings)")),
                    );
                    continue;
                }
                let DeValue::Array(items) = v.get_ref() else {
                    layer.report(
                        v.span().start,
                        layer.t(
                            format!(
                                "[{ctx}] の \"bindings\" はインラインテーブルの配列にしてください"
                            ),
                            format!("\"bindings\" in [{ctx}] must be an array of inline tables"),
                        ),
                    );
                    continue;
                };
                self.apply_bindings(layer, ctx, items.iter(), known_command);
            }
        }
    }

    fn apply_bindings<'v, 'i: 'v>(
        &mut self,
        layer: &mut Layer<'_>,
        ctx: &str,
        items: impl Iterator<Item = &'v Spanned<DeValue<'i>>>,
        known_command: &dyn Fn(&str) -> bool,
    ) {
        // Keys already bound in this context by this layer: (command, line).
        let mut seen: HashMap<Vec<KeyChord>, (String, usize)> = HashMap::new();
        let bindings = self.contexts.entry(ctx.to_owned()).or_default();
        // Where each key sequence sits in `bindings`: one lookup per entry, not a scan.
        let mut index: HashMap<Vec<KeyChord>, usize> = bindings
            .iter()
            .enumerate()
            .map(|(i, b)| (b.keys.clone(), i))
            .collect();
        let mut removed = vec![false; bindings.len()];
        for item in items {
            if layer.read == MAX_BINDINGS {
                layer.read += 1;
                let msg = layer.t(
                    format!("割り当てが {MAX_BINDINGS} 件を超えたため、これ以降は読み込みません"),
                    format!("more than {MAX_BINDINGS} bindings in this file; this one and all after it are ignored"),
                );
                layer.report(item.span().start, msg);
            }
            if layer.read > MAX_BINDINGS {
                continue;
            }
            layer.read += 1;
            let Some(entry) = parse_entry(layer, ctx, item, known_command) else {
                continue;
            };
            if let Some((cmd, line)) = seen.get(&entry.keys) {
                let keys = display_sequence(&entry.keys);
                let msg = layer.t(
                    format!(
                        "[{ctx}] のキー \"{keys}\" は {line} 行目で \"{cmd}\" に割り当て済みです"
                    ),
                    format!(
                        "keys \"{keys}\" in [{ctx}] are already bound to \"{cmd}\" at line {line}"
                    ),
                );
                layer.report(entry.offset, msg);
                continue;
            }
            let line = layer.line(entry.offset);
            seen.insert(entry.keys.clone(), (entry.command.clone(), line));
            let existing = index.get(&entry.keys).copied();
            if entry.command == UNBIND {
                if let Some(i) = existing {
                    removed[i] = true;
                    index.remove(&entry.keys);
                }
                continue;
            }
            let binding = Binding {
                keys: entry.keys,
                command: entry.command,
                desc: entry.desc,
                origin: layer.origin(entry.offset),
            };
            match existing {
                Some(i) => bindings[i] = binding,
                None => {
                    index.insert(binding.keys.clone(), bindings.len());
                    bindings.push(binding);
                    removed.push(false);
                }
            }
        }
        if removed.contains(&true) {
            let mut i = 0;
            bindings.retain(|_| {
                i += 1;
                !removed[i - 1]
            });
        }
    }
}
