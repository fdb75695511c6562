//! `daicho doctor`: what support asks over the phone, in one screenful.
//! Read-only: the database is opened with `query_only` and never created or migrated.

use super::{Cli, paths, printable};
use crate::i18n::Lang;
use crate::store::{self, Store, migrations};
use crate::tui::keymap::files as keymap_files;
use crate::tui::probe::{self, ProbeOutcome};
use crate::tui::{commands, glyphs, theme};
use std::io::IsTerminal;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::time::Duration;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Width of the label column.
const LABEL: usize = 16;

/// One `label  value` line; the label padded by display width, the value made printable.
fn line(label: &str, value: &str) {
    let pad = LABEL.saturating_sub(label.width());
    println!("{label}{:pad$}{}", "", printable(value));
}

fn mode(path: &Path, lang: Lang) -> String {
    match std::fs::metadata(path) {
        Ok(m) => {
            let mode = m.permissions().mode() & 0o777;
            let loose = if m.is_dir() {
                mode & 0o077 != 0
            } else {
                mode & 0o177 != 0
            };
            format!(
                "{mode:04o}{}",
                if loose {
                    lang.t(
                        "  警告: 他のアカウントから読めます（ファイルは 0600、ディレクトリは 0700 にしてください）",
                        "  WARNING: readable by others (want 0600 files, 0700 dirs)",
                    )
                } else {
                    ""
                }
            )
        }
        Err(e) => format!("({e})"),
    }
}

fn env(name: &str, lang: Lang) -> String {
    std::env::var(name).unwrap_or_else(|_| lang.t("(未設定)", "(unset)").into())
}

/// Splits `text` into lines of at most `width` columns, at spaces where it can and
/// anywhere in a run without spaces (Japanese).
pub(crate) fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(10);
    let mut lines = Vec::new();
    let mut cur = String::new();
    let mut cur_w = 0;
    for word in text.split_inclusive(' ') {
        let w = word.trim_end().width();
        if cur_w + w > width && !cur.is_empty() {
            lines.push(cur.trim_end().to_string());
            cur.clear();
            cur_w = 0;
        }
        for c in word.chars() {
            let cw = c.width().unwrap_or(0);
            if cur_w + cw > width && c != ' ' {
                lines.push(cur.trim_end().to_string());
                cur.clear();
                cur_w = 0;
            }
            cur.push(c);
            cur_w += cw;
        }
    }
    if !cur.trim().is_empty() {
        lines.push(cur.trim_end().to_string());
    }
    lines
}

pub fn run(cli: &Cli) -> anyhow::Result<()> {
    let lang = cli.lang();
    let t = |ja: &'static str, en: &'static str| lang.t(ja, en);
    println!("daicho {}", env!("CARGO_PKG_VERSION"));
    let db = if cli.demo {
        paths::demo_db_path()
    } else {
        store::resolve_db_path(cli.db.as_deref(), None)
    };
    let db = std::path::absolute(&db).unwrap_or(db);
    line(t("データベース", "database"), &db.display().to_string());
    if db.exists() {
        line(t("  ファイル権限", "  file mode"), &mode(&db, lang));
        if let Some(dir) = db.parent() {
            line(t("  ディレクトリ", "  dir mode"), &mode(dir, lang));
        }
        match Store::open_read_only(&db) {
            Ok(s) => {
                line(
                    t("  スキーマ", "  schema"),
                    &format!(
                        "{} ({} {})",
                        s.schema_version()?,
                        t("この版:", "this build:"),
                        migrations::latest()
                    ),
                );
                line(t("  ジャーナル", "  journal mode"), &s.journal_mode()?);
                let demo = crate::store::meta::is_demo(s.conn())?;
                line(
                    t("  デモ", "  demo"),
                    if demo {
                        t("はい", "yes")
                    } else {
                        t("いいえ", "no")
                    },
                );
            }
            Err(e) => line(t("  開けません", "  cannot open"), &e.message(lang)),
        }
    } else {
        println!("  {}", t("（ありません）", "(does not exist)"));
    }
    line(
        t("ログファイル", "log file"),
        &paths::log_path().display().to_string(),
    );
    line(
        t("ロケール", "locale"),
        &format!(
            "LANG={} LC_ALL={} LC_CTYPE={}",
            env("LANG", lang),
            env("LC_ALL", lang),
            env("LC_CTYPE", lang)
        ),
    );
    line(
        "TERM",
        &format!(
            "{}  COLORTERM={}  NO_COLOR={}",
            env("TERM", lang),
            env("COLORTERM", lang),
            env("NO_COLOR", lang)
        ),
    );
    let color = cli
        .theme
        .unwrap_or_else(|| theme::detect(&|k| std::env::var(k).ok()));
    line(t("色", "colours"), &format!("{color:?}"));
    let tty = std::io::stdin().is_terminal() && std::io::stdout().is_terminal();
    let size = crossterm::terminal::size().ok().filter(|_| tty);
    line(
        t("端末の大きさ", "terminal size"),
        &size.map_or_else(
            || t("(端末ではありません)", "(not a terminal)").to_string(),
            |(w, h)| format!("{w}x{h}"),
        ),
    );
    let outcome = if tty {
        probe::probe_aside(Duration::from_millis(500))
    } else {
        ProbeOutcome::NotATerminal
    };
    let measured = match &outcome {
        ProbeOutcome::Measured {
            box_drawing,
            circle,
        } => format!("{} {box_drawing}, ○ {circle}", t("罫線", "box drawing")),
        ProbeOutcome::NoReply => t("端末から応答なし", "no reply from the terminal").into(),
        ProbeOutcome::NotATerminal => t("端末ではありません", "not a terminal").into(),
    };
    line(t("曖昧幅", "ambiguous width"), &measured);
    if let Some(m) = probe::in_multiplexer() {
        line(
            "",
            &if lang.is_ja() {
                format!("{m} の中です。測ったのは {m} で、見ている端末ではありません")
            } else {
                format!("inside {m}: the probe measured {m}, not the terminal you look at")
            },
        );
    }
    let effective = cli.ambiguous.or(outcome.effective());
    line(
        t("  適用", "  in effect"),
        &format!(
            "{}{}",
            effective.map_or_else(
                || t("narrow（既定）", "narrow (default)").to_string(),
                |w| w.to_string()
            ),
            if cli.ambiguous.is_some() {
                t("（--ambiguous 指定）", " (from --ambiguous)")
            } else {
                ""
            }
        ),
    );
    let g = glyphs::for_width(
        effective.unwrap_or(probe::AmbiguousWidth::Narrow),
        cli.ascii_borders,
    );
    line(
        t("  記号", "  glyphs"),
        &format!(
            "ok {} n/a {} gap {} cursor {} border {}{}",
            g.mark_ok, g.mark_na, g.mark_gap, g.cursor, g.border.top_left, g.border.horizontal_top
        ),
    );
    let keymaps = keymap_files::load_in(
        cli.lang(),
        cli.keymap.as_deref(),
        cli.vim,
        &commands::is_known,
    );
    line(t("キーマップ", "keymaps"), &keymaps.files.join(", "));
    let user_file = cli.keymap.clone().or_else(keymap_files::user_keymap_path);
    if let Some(p) = user_file {
        let p = std::path::absolute(&p).unwrap_or(p);
        let note = match (p.exists(), cli.keymap.is_some()) {
            (true, true) => t("（--keymap 指定）", " (from --keymap)"),
            (true, false) => "",
            (false, true) => t("（--keymap 指定、ありません）", " (from --keymap; missing)"),
            (false, false) => t("（なし）", " (none)"),
        };
        line(
            t("  利用者ファイル", "  user file"),
            &format!("{}{note}", p.display()),
        );
    }
    if keymaps.messages.is_empty() {
        line(t("  問題", "  problems"), t("なし", "none"));
    }
    let width = size.map_or(80, |(w, _)| usize::from(w)).max(LABEL + 20) - LABEL;
    for m in &keymaps.messages {
        let text = printable(m);
        for (i, part) in wrap(&text, width).iter().enumerate() {
            line(
                if i == 0 {
                    t("  問題", "  problem")
                } else {
                    ""
                },
                part,
            );
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_keeps_every_character_within_the_width() {
        let text = "keymap.toml:3: unknown command \"frobnicate\" in [list] — 存在しないコマンドです、綴りを確認してください";
        let lines = wrap(text, 30);
        assert!(lines.len() > 2, "{lines:?}");
        assert!(lines.iter().all(|l| l.width() <= 30), "{lines:?}");
        let joined: String = lines.concat().chars().filter(|c| *c != ' ').collect();
        let original: String = text.chars().filter(|c| *c != ' ').collect();
        assert_eq!(joined, original);
    }
}
