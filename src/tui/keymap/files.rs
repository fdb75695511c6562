//! Which keymap files are loaded, in which order: the built-in default, the optional
//! vim layer, then the user's file (`--keymap`, else `$XDG_CONFIG_HOME/daicho/keymap.toml`).

use super::load::MAX_KEYMAP_BYTES;
use super::{CONTEXTS, DEFAULT_KEYMAP, Keymap, KeymapSource, VIM_KEYMAP};
use crate::i18n::Lang;
use std::io::Read;
use std::path::{Path, PathBuf};

/// The file's bytes, or `None` when it is larger than a keymap may be. Reads at most one
/// byte past the limit, so a huge file (or `/dev/zero`) costs nothing.
fn read_bounded(path: &Path) -> std::io::Result<Option<Vec<u8>>> {
    let mut bytes = Vec::new();
    std::fs::File::open(path)?
        .take(MAX_KEYMAP_BYTES as u64 + 1)
        .read_to_end(&mut bytes)?;
    Ok((bytes.len() <= MAX_KEYMAP_BYTES).then_some(bytes))
}

pub struct Loaded {
    pub keymap: Keymap,
    /// `file:line: message` for every problem; the app still starts.
    pub messages: Vec<String>,
    /// The layers actually read, for `daicho doctor`.
    pub files: Vec<String>,
}

pub fn user_keymap_path() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CONFIG_HOME")
        .filter(|s| !s.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))?;
    Some(base.join("daicho").join("keymap.toml"))
}

pub fn load(explicit: Option<&Path>, vim: bool, known_command: &dyn Fn(&str) -> bool) -> Loaded {
    load_in(Lang::En, explicit, vim, known_command)
}

/// [`load`] with every problem reported in `lang` (the UI language).
pub fn load_in(
    lang: Lang,
    explicit: Option<&Path>,
    vim: bool,
    known_command: &dyn Fn(&str) -> bool,
) -> Loaded {
    let t = |ja: String, en: String| if lang.is_ja() { ja } else { en };
    let mut layers = vec![KeymapSource::new("<built-in default.toml>", DEFAULT_KEYMAP)];
    let mut files = vec!["<built-in default.toml>".to_string()];
    let mut messages = Vec::new();
    if vim {
        layers.push(KeymapSource::new("<built-in vim.toml>", VIM_KEYMAP));
        files.push("<built-in vim.toml>".into());
    }
    let user = explicit
        .map(Path::to_path_buf)
        .or_else(|| user_keymap_path().filter(|p| p.exists()));
    if let Some(path) = user {
        match read_bounded(&path) {
            Ok(None) => messages.push(t(
                format!(
                    "{}: キーマップの上限 {} KiB を超えるため読み込まず、既定のキーを使います",
                    path.display(),
                    MAX_KEYMAP_BYTES / 1024
                ),
                format!(
                    "{}: the file is larger than the {} KiB a keymap may be; ignored, using the defaults",
                    path.display(),
                    MAX_KEYMAP_BYTES / 1024
                ),
            )),
            Ok(Some(bytes)) => match String::from_utf8(bytes) {
                Ok(text) => {
                    files.push(path.display().to_string());
                    layers.push(KeymapSource::new(path.display().to_string(), text));
                }
                Err(e) => messages.push(t(
                    format!(
                        "{}: UTF-8 のテキストではないため読み込みません（{e}）",
                        path.display()
                    ),
                    format!("{}: not UTF-8 text ({e}); ignored", path.display()),
                )),
            },
            Err(e) => messages.push(t(
                format!(
                    "{}: 読み込めないため既定のキーを使います（{e}）",
                    path.display()
                ),
                format!("{}: cannot read ({e}); using the defaults", path.display()),
            )),
        }
    }
    let (keymap, diagnostics) = Keymap::load_in(lang, &layers, known_command, CONTEXTS);
    messages.extend(diagnostics.iter().map(ToString::to_string));
    Loaded {
        keymap,
        messages,
        files,
    }
}
