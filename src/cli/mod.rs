//! Command line: the TUI by default, and headless subcommands for cron and admin work.

pub mod admin;
pub mod audit;
pub mod backup;
pub mod checklist;
pub mod demo;
pub mod doctor;
pub mod export;
pub mod guidance;
pub mod login;
pub mod paths;
pub mod purge;
pub mod settings;
pub mod sync;
pub mod user;

use crate::domain::permission::{Actor, Role};
use crate::i18n::Lang;
use crate::store::{self, Store, meta};
use crate::tui::probe::AmbiguousWidth;
use crate::tui::theme::ColorMode;
use anyhow::Context;
use clap::{Parser, Subcommand};
use std::borrow::Cow;
use std::fmt::Write as _;
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
    #[arg(long)]
    pub keymap: Option<PathBuf>,
    /// Add the vim-flavoured bindings (j/k, g g, G).
    #[arg(long)]
    pub vim: bool,
    /// Colours: 256, 16 or mono (default: from TERM/COLORTERM; NO_COLOR gives mono).
    #[arg(long, value_name = "256|16|mono")]
    pub theme: Option<ColorMode>,
    /// East Asian Ambiguous width: wide or narrow (default: probe the terminal).
    #[arg(long, value_name = "wide|narrow")]
    pub ambiguous: Option<AmbiguousWidth>,
    /// Draw borders with ASCII characters.
    #[arg(long)]
    pub ascii_borders: bool,
    /// The screen shown first: overview (default), ledger, inbox, consent, checklist
    /// or jobs.
    #[arg(long, value_name = "SCREEN", value_parser = parse_screen)]
    pub screen: Option<crate::tui::ui::ScreenId>,
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
    /// Background jobs: run one now (headless, for cron), recent runs, the kinds.
    #[command(subcommand)]
    Sync(sync::SyncCommand),
    /// Privacy checklist: the committee's table as A4 HTML and CSV, self-checks.
    #[command(subcommand)]
    Checklist(checklist::ChecklistCommand),
    /// 運営指導 (on-site guidance): the fiscal year's plan.
    #[command(subcommand)]
    Guidance(guidance::GuidanceCommand),
    /// Settings kept in the database: the ward's municipality code and name.
    #[command(subcommand)]
    Settings(settings::SettingsCommand),
}

/// "Today" for deadlines; `DAICHO_TODAY=YYYY-MM-DD` pins it for tests and demos.
/// [`main`] refuses an unreadable value first, so this never silently ignores one.
pub fn today() -> chrono::NaiveDate {
    crate::clock::today()
}

/// `DAICHO_TODAY` as a date; unset or empty is `None`, anything else must be a real
/// `YYYY-MM-DD` date.
pub fn pinned_today(
    value: Option<std::ffi::OsString>,
    lang: Lang,
) -> anyhow::Result<Option<chrono::NaiveDate>> {
    let Some(value) = value.filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    let text = value.to_string_lossy();
    chrono::NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map(Some)
        .map_err(|_| {
            let shown = printable(&text);
            anyhow::anyhow!(
                "{}",
                if lang.is_ja() {
                    format!(
                        "環境変数 DAICHO_TODAY の値 \"{shown}\" は日付として読めません。YYYY-MM-DD 形式の実在する日付（例 2026-11-25）にするか、変数を削除してください"
                    )
                } else {
                    format!(
                        "environment variable DAICHO_TODAY is \"{shown}\", which is not a date; set it to a real date as YYYY-MM-DD (e.g. 2026-11-25) or unset it"
                    )
                }
            )
        })
}

/// `s` with control, bidi and zero-width characters shown as `\u{XXXX}`, so text
/// from files and the database cannot move the cursor or reorder a terminal line.
pub(crate) fn printable(s: &str) -> Cow<'_, str> {
    fn hidden(c: char) -> bool {
        c.is_control()
            || matches!(c,
                '\u{200B}'..='\u{200F}'   // zero-width space/joiners, LRM, RLM
                | '\u{202A}'..='\u{202E}' // bidi embeddings and overrides
                | '\u{2060}'..='\u{2064}' // word joiner, invisible operators
                | '\u{2066}'..='\u{2069}' // bidi isolates
                | '\u{061C}'               // Arabic letter mark
                | '\u{FEFF}'               // BOM / zero-width no-break space
                | '\u{FFF9}'..='\u{FFFB}' // interlinear annotation
            )
    }
    if !s.chars().any(hidden) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if hidden(c) {
            let _ = write!(out, "\\u{{{:04X}}}", c as u32);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// The text of an error for stderr: each cause once, in the UI language where the
/// error knows both (store and service errors), joined by ": ".
pub fn error_text(err: &anyhow::Error, lang: Lang) -> String {
    let mut parts: Vec<String> = Vec::new();
    for cause in err.chain() {
        use crate::service::ServiceError;
        let text = if let Some(e) = cause.downcast_ref::<store::StoreError>() {
            e.message(lang)
        } else if let Some(e) = cause.downcast_ref::<ServiceError>() {
            if matches!(e, ServiceError::Store(_)) {
                continue; // the StoreError itself comes next in the chain
            }
            e.message(lang.is_ja())
        } else {
            cause.to_string()
        };
        // A cause whose text its wrapper already printed ("x: {source}") adds nothing.
        if text.is_empty() || parts.iter().any(|p| p.contains(&text)) {
            continue;
        }
        parts.push(text);
    }
    printable(&parts.join(": ")).into_owned()
}

impl Cli {
    /// The language of every message: `--lang`, else the locale (see [`Lang::from_env`]).
    pub fn lang(&self) -> Lang {
        self.lang_arg.unwrap_or_else(Lang::from_env)
    }
}

pub fn main(cli: Cli) -> anyhow::Result<()> {
    pinned_today(std::env::var_os("DAICHO_TODAY"), cli.lang())?;
    if cli.command.is_some() {
        quiet_on_broken_pipe();
    }
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
        Some(Command::Sync(cmd)) => sync::run(&cli, cmd),
        Some(Command::Checklist(cmd)) => checklist::run(&cli, cmd),
        Some(Command::Guidance(cmd)) => guidance::run(&cli, cmd),
        Some(Command::Settings(cmd)) => settings::run(&cli, cmd),
        None => tui(&cli),
    }
}

/// `daicho doctor | head`: when the reader of standard output goes away, the command
/// ends quietly instead of panicking in `println!` (Rust ignores SIGPIPE, so every
/// write to the closed pipe fails with EPIPE). Headless commands only.
fn quiet_on_broken_pipe() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let payload = info.payload();
        let text = payload
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| payload.downcast_ref::<&str>().copied());
        if text.is_some_and(is_stdout_epipe) {
            std::process::exit(0);
        }
        previous(info)
    }));
}

/// The panic text of `println!` on a closed pipe.
fn is_stdout_epipe(text: &str) -> bool {
    text.starts_with("failed printing to stdout")
        && text.contains(&format!("(os error {})", libc::EPIPE))
}

/// Standard output for headless commands that stream data (`export ledger --out -`):
/// a closed pipe ends the process quietly, like `println!` after [`quiet_on_broken_pipe`].
pub(crate) struct Stdout(std::io::Stdout);

pub(crate) fn stdout() -> Stdout {
    Stdout(std::io::stdout())
}

impl std::io::Write for Stdout {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        quiet_if_gone(self.0.write(buf))
    }
    fn flush(&mut self) -> std::io::Result<()> {
        quiet_if_gone(self.0.flush())
    }
}

fn quiet_if_gone<T>(r: std::io::Result<T>) -> std::io::Result<T> {
    match r {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => std::process::exit(0),
        other => other,
    }
}

fn tui(cli: &Cli) -> anyhow::Result<()> {
    let lang = cli.lang();
    let (db, actor, demo) = if cli.demo {
        let path = cli.db.clone().unwrap_or_else(paths::demo_db_path);
        demo::ensure_demo_db(&path, cli.lang())?;
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
        let mut store = Store::open(&path)?;
        for warning in store::open::check_permissions(&path) {
            eprintln!("daicho: {}", warning.message(lang));
        }
        let demo = meta::is_demo(store.conn())?;
        let actor = if demo && cli.staff.is_none() {
            Actor {
                staff_id: "demo-approver".into(),
                role: Role::Approver,
            }
        } else {
            let id = cli.staff.as_deref().with_context(|| {
                cli.lang().t(
                    "--staff で職員IDを指定してください（通常は SSH の強制コマンドが指定します）",
                    "give your staff id with --staff (normally set by the SSH forced command)",
                )
            })?;
            login::authenticate_in(&mut store, id, cli.lang())?
        };
        (path, actor, demo)
    };
    // Temp files a killed session left beside the database (the anchor's).
    store::private_fs::clean_beside_db(&db);
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
        log_path: paths::log_path(),
        today: today(),
        start_screen: cli.screen.unwrap_or(crate::tui::ui::ScreenId::Overview),
    })
}

fn parse_screen(s: &str) -> Result<crate::tui::ui::ScreenId, String> {
    use crate::tui::ui::ScreenId;
    ScreenId::ALL
        .into_iter()
        .find(|id| id.context() == s)
        .ok_or_else(|| {
            let names: Vec<&str> = ScreenId::ALL.iter().map(|id| id.context()).collect();
            format!("{s:?}: expected one of {}", names.join(", "))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printable_shows_controls_bidi_and_zero_width() {
        assert!(matches!(printable("台帳 plain"), Cow::Borrowed(_)));
        assert_eq!(
            printable("a\u{1b}[2Jb\u{202E}c\u{200B}d\te"),
            "a\\u{001B}[2Jb\\u{202E}c\\u{200B}d\\u{0009}e"
        );
    }

    #[test]
    fn daicho_today_must_be_a_real_date() {
        let date = |s: &str| pinned_today(Some(s.into()), Lang::En);
        assert_eq!(
            date("2026-11-25").unwrap(),
            chrono::NaiveDate::from_ymd_opt(2026, 11, 25)
        );
        assert_eq!(pinned_today(None, Lang::En).unwrap(), None);
        assert_eq!(date("").unwrap(), None);
        let en = date("2027-13-45").unwrap_err().to_string();
        assert!(
            en.contains("DAICHO_TODAY") && en.contains("2027-13-45") && en.contains("YYYY-MM-DD"),
            "{en}"
        );
        let ja = pinned_today(Some("2026-02-30".into()), Lang::Ja)
            .unwrap_err()
            .to_string();
        assert!(
            ja.contains("環境変数 DAICHO_TODAY") && ja.contains("2026-02-30"),
            "{ja}"
        );
    }

    #[test]
    fn each_cause_is_printed_once() {
        let io = std::io::Error::new(std::io::ErrorKind::NotFound, "No such file or directory");
        let err = anyhow::Error::new(store::StoreError::Io(io));
        assert_eq!(error_text(&err, Lang::En), "No such file or directory");
        let err = anyhow::Error::new(store::StoreError::Missing {
            path: PathBuf::from("/x/typo.db"),
        })
        .context("opening /x/typo.db");
        let ja = error_text(&err, Lang::Ja);
        assert!(
            ja.starts_with("opening /x/typo.db: データベース /x/typo.db がありません"),
            "{ja}"
        );
    }
}
