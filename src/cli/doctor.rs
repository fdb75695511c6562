//! `daicho doctor`: what support asks over the phone, in one screenful.

use super::{Cli, paths};
use crate::store::{self, Store, migrations};
use crate::tui::keymap::files as keymap_files;
use crate::tui::probe::{self, ProbeOutcome};
use crate::tui::{commands, glyphs, theme};
use std::io::IsTerminal;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::time::Duration;

fn mode(path: &Path) -> String {
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
                    "  WARNING: readable by others (want 0600 files, 0700 dirs)"
                } else {
                    ""
                }
            )
        }
        Err(e) => format!("({e})"),
    }
}

fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| "(unset)".into())
}

pub fn run(cli: &Cli) -> anyhow::Result<()> {
    println!("daicho {}", env!("CARGO_PKG_VERSION"));
    let db = if cli.demo {
        paths::demo_db_path()
    } else {
        store::resolve_db_path(cli.db.as_deref(), None)
    };
    println!("database        {}", db.display());
    if db.exists() {
        println!("  file mode     {}", mode(&db));
        if let Some(dir) = db.parent() {
            println!("  dir mode      {}", mode(dir));
        }
        match Store::open(&db) {
            Ok(s) => {
                println!(
                    "  schema        {} (this build: {})",
                    s.schema_version()?,
                    migrations::latest()
                );
                println!("  journal mode  {}", s.journal_mode()?);
                println!("  demo          {}", crate::store::meta::is_demo(s.conn())?);
            }
            Err(e) => println!("  cannot open   {e}"),
        }
    } else {
        println!("  (does not exist)");
    }
    println!("log file        {}", paths::log_path().display());
    println!(
        "locale          LANG={} LC_ALL={} LC_CTYPE={}",
        env("LANG"),
        env("LC_ALL"),
        env("LC_CTYPE")
    );
    println!(
        "TERM            {}  COLORTERM={}  NO_COLOR={}",
        env("TERM"),
        env("COLORTERM"),
        env("NO_COLOR")
    );
    let color = cli
        .theme
        .unwrap_or_else(|| theme::detect(&|k| std::env::var(k).ok()));
    println!("colours         {color:?}");
    let tty = std::io::stdin().is_terminal() && std::io::stdout().is_terminal();
    match crossterm::terminal::size() {
        Ok((w, h)) if tty => println!("terminal size   {w}x{h}"),
        _ => println!("terminal size   (not a terminal)"),
    }
    let outcome = if tty {
        probe::probe(Duration::from_millis(500))
    } else {
        ProbeOutcome::NotATerminal
    };
    let measured = match &outcome {
        ProbeOutcome::Measured {
            box_drawing,
            circle,
        } => format!("box drawing {box_drawing}, ○ {circle}"),
        ProbeOutcome::NoReply => "no reply from the terminal".into(),
        ProbeOutcome::NotATerminal => "not a terminal".into(),
    };
    println!("ambiguous width {measured}");
    if let Some(m) = probe::in_multiplexer() {
        println!(
            "                inside {m}: the probe measured {m}, not the terminal you look at"
        );
    }
    let effective = cli.ambiguous.or(outcome.effective());
    println!(
        "  in effect     {}{}",
        effective.map_or("narrow (default)".to_string(), |w| w.to_string()),
        if cli.ambiguous.is_some() {
            " (from --ambiguous)"
        } else {
            ""
        }
    );
    let g = glyphs::for_width(
        effective.unwrap_or(probe::AmbiguousWidth::Narrow),
        cli.ascii_borders,
    );
    println!(
        "  glyphs        ok {} n/a {} gap {} cursor {} border {}{}",
        g.mark_ok, g.mark_na, g.mark_gap, g.cursor, g.border.top_left, g.border.horizontal_top
    );
    let keymaps = keymap_files::load(cli.keymap.as_deref(), cli.vim, &commands::is_known);
    println!("keymaps         {}", keymaps.files.join(", "));
    if let Some(p) = keymap_files::user_keymap_path() {
        println!(
            "  user file     {}{}",
            p.display(),
            if p.exists() { "" } else { " (none)" }
        );
    }
    if keymaps.messages.is_empty() {
        println!("  problems      none");
    }
    for m in &keymaps.messages {
        println!("  problem       {m}");
    }
    Ok(())
}
