//! Command line: the TUI by default, and headless subcommands for cron and admin work.

pub mod admin;
pub mod audit;
pub mod backup;
pub mod demo;
pub mod doctor;
pub mod export;
pub mod login;
pub mod paths;
pub mod purge;
pub mod user;

use crate::domain::permission::{Actor, Role};
use crate::i18n::Lang;
use crate::store::{self, Store, meta};
use crate::tui::probe::AmbiguousWidth;
use crate::tui::theme::ColorMode;
use anyhow::{Context, bail};
use clap::{Parser, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "daicho",
    version,
    about = "事業所台帳 — facility ledger and designation workflow (TUI)"
)]
pub struct Cli {
    /// Database file (else $DAICHO_DB, else ~/.local/share/daicho/daicho.db).
    #[arg(long, global = true, env = "DAICHO_DB")]
    pub db: Option<PathBuf>,
    /// File holding the database encryption key (builds with --features sqlcipher);
    /// else $DAICHO_DB_KEY.
    #[arg(long, global = true)]
    pub db_key_file: Option<PathBuf>,
    /// UI language: ja or en (default: English only for an English LANG, else ja).
    #[arg(long = "lang", global = true, value_name = "ja|en")]
    pub lang_arg: Option<Lang>,
    /// Open a demo database (created on first use) as the demo approver.
    #[arg(long)]
    pub demo: bool,
    /// Staff id; set by the SSH forced command, never taken from $USER.
    #[arg(long, global = true)]
    pub staff: Option<String>,
    /// Your keymap file (default: $XDG_CONFIG_HOME/daicho/keymap.toml if present).
    #[arg(long, global = true)]
    pub keymap: Option<PathBuf>,
    /// Add the vim-flavoured bindings (j/k, g g, G).
    #[arg(long, global = true)]
    pub vim: bool,
    /// Colours: 256, 16 or mono (default: from TERM/COLORTERM; NO_COLOR gives mono).
    #[arg(long, value_name = "256|16|mono")]
    pub theme: Option<ColorMode>,
    /// East Asian Ambiguous width: wide or narrow (default: probe the terminal).
    #[arg(long, global = true, value_name = "wide|narrow")]
    pub ambiguous: Option<AmbiguousWidth>,
    /// Draw borders with ASCII characters.
    #[arg(long)]
    pub ascii_borders: bool,
    /// Enable mouse clicks.
    #[arg(long)]
    pub mouse: bool,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a database filled with synthetic demo data.
    Demo(demo::DemoArgs),
    /// Print what support needs to know about this installation and terminal.
    Doctor,
    /// Write data as files (the ledger list as CSV).
    Export(export::ExportArgs),
    /// Staff accounts (admin login required, except the first admin).
    #[command(subcommand)]
    User(user::UserCommand),
    /// Administration helpers (SSH forced-command lines).
    #[command(subcommand)]
    Admin(admin::AdminCommand),
    /// Audit log: verify the hash chain, monthly report.
    #[command(subcommand)]
    Audit(audit::AuditCommand),
    /// Online backup to a dated file, keeping N generations.
    Backup(backup::BackupArgs),
    /// Replace the database with a verified backup (no other sessions may be open).
    Restore(backup::RestoreArgs),
    /// Delete data past its retention period and write the deletion report.
    Purge(purge::PurgeArgs),
}

/// "Today" for deadlines; `DAICHO_TODAY=YYYY-MM-DD` pins it for tests and demos.
pub fn today() -> chrono::NaiveDate {
    std::env::var("DAICHO_TODAY")
        .ok()
        .and_then(|s| chrono::NaiveDate::parse_from_str(&s, "%Y-%m-%d").ok())
        .unwrap_or_else(|| chrono::Local::now().date_naive())
}

impl Cli {
    /// The language of every message: `--lang`, else the locale (see [`Lang::from_env`]).
    pub fn lang(&self) -> Lang {
        self.lang_arg.unwrap_or_else(Lang::from_env)
    }
}

pub fn main(cli: Cli) -> anyhow::Result<()> {
    if let Some(key_file) = &cli.db_key_file {
        store::open::set_key_file(key_file.clone());
    }
    match &cli.command {
        Some(Command::Demo(args)) => demo::run(&cli, args),
        Some(Command::Doctor) => doctor::run(&cli),
        Some(Command::Export(args)) => export::run(&cli, args),
        Some(Command::User(cmd)) => user::run(&cli, cmd),
        Some(Command::Admin(cmd)) => admin::run(&cli, cmd),
        Some(Command::Audit(cmd)) => audit::run(&cli, cmd),
        Some(Command::Backup(args)) => backup::run_backup(&cli, args),
        Some(Command::Restore(args)) => backup::run_restore(&cli, args),
        Some(Command::Purge(args)) => purge::run(&cli, args),
        None => tui(&cli),
    }
}

fn tui(cli: &Cli) -> anyhow::Result<()> {
    let (db, actor, demo) = if cli.demo {
        let path = cli.db.clone().unwrap_or_else(paths::demo_db_path);
        demo::ensure_demo_db(&path)?;
        (
            path,
            Actor {
                staff_id: "demo-approver".into(),
                role: Role::Approver,
            },
            true,
        )
    } else {
        let path = store::resolve_db_path(cli.db.as_deref(), None);
        if !path.exists() {
            bail!(
                "no database at {} (create one with `daicho demo --out {}` or try `daicho --demo`)",
                path.display(),
                path.display()
            );
        }
        for warning in store::open::check_permissions(&path) {
            eprintln!("daicho: {}", warning.message(cli.lang()));
        }
        let mut store = Store::open(&path)?;
        let demo = meta::is_demo(store.conn())?;
        let actor = if demo && cli.staff.is_none() {
            Actor {
                staff_id: "demo-approver".into(),
                role: Role::Approver,
            }
        } else {
            let id = cli
                .staff
                .as_deref()
                .context("--staff ID is required (set by the SSH forced command)")?;
            login::authenticate(&mut store, id)?
        };
        (path, actor, demo)
    };
    crate::tui::run::run(crate::tui::run::RunOptions {
        db,
        actor,
        demo,
        lang: cli.lang(),
        keymap: cli.keymap.clone(),
        vim: cli.vim,
        color: cli.theme,
        ambiguous: cli.ambiguous,
        ascii_borders: cli.ascii_borders,
        mouse: cli.mouse,
        log_path: paths::log_path(),
        today: today(),
    })
}
