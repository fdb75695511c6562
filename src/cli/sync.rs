//! `daicho sync run KIND`, `sync status`, `sync list`: the background jobs, headless
//! (for cron and for checking by hand).

use super::{Cli, login};
use crate::domain::job::{JobEnd, JobEvent, JobKind, JobStatus, Progress};
use crate::domain::permission::{Actor, Role};
use crate::i18n::Lang;
use crate::jobs::runner::{self, JobRequest, Settings};
use crate::store::{self, Store, jobs, meta};
use anyhow::{Context, bail};
use clap::Subcommand;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::time::Duration;
use unicode_width::UnicodeWidthStr;

fn parse_kind(s: &str) -> Result<JobKind, String> {
    JobKind::from_code(s).ok_or_else(|| {
        let all: Vec<&str> = JobKind::ALL.iter().map(|k| k.code()).collect();
        format!("{s:?}: expected one of {}", all.join(", "))
    })
}

#[derive(Debug, Subcommand)]
pub enum SyncCommand {
    /// Run one job now and wait for it. Signs in with --staff and the password (a demo
    /// database needs none; cron uses --as-system). Exits
    /// non-zero when the job fails, is cancelled (Ctrl-C) or another process is running
    /// the same kind.
    Run(RunArgs),
    /// Recent job runs and the leases held now.
    Status {
        /// How many runs to list.
        #[arg(long, default_value_t = 20)]
        limit: usize,
    },
    /// The job kinds.
    List,
    /// Connection settings: the 国保連 control record's 保険者番号 and データ種別. With no
    /// option, shows them; setting one needs an admin (--staff).
    Settings {
        /// The ward's 6-digit 保険者番号 for the 国保連 control record.
        #[arg(long, value_name = "NUMBER")]
        insurer_number: Option<String>,
        /// The データ種別 agreed with the 国保連.
        #[arg(long, value_name = "CODE")]
        data_kind: Option<String>,
    },
}

#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// The job: verify-audit, integrity-check, import-applications, export-lemscare,
    /// export-kokuhoren (see `daicho sync list`).
    #[arg(value_parser = parse_kind, value_name = "KIND")]
    pub kind: JobKind,
    /// Units per batch (tests).
    #[arg(long, hide = true)]
    pub batch_size: Option<usize>,
    /// Pause after every batch, in milliseconds (tests that must catch a run in progress).
    #[arg(long, hide = true)]
    pub test_batch_delay_ms: Option<u64>,
    /// Report what the job would do without writing anything.
    #[arg(long)]
    pub dry_run: bool,
    /// The spool folder (default: `spool/` beside the database).
    #[arg(long, value_name = "DIR")]
    pub spool: Option<PathBuf>,
    /// Encoding of input files: auto (default), utf-8 or cp932.
    #[arg(long, default_value = "auto")]
    pub encoding: crate::jobs::formats::input::EncodingChoice,
    /// Run as the `system` account (for cron): allowed only to the account that owns the
    /// database file; no password; audited as actor `system`.
    #[arg(long)]
    pub as_system: bool,
    /// Exports: write this past batch again (its id is in the file name).
    #[arg(long, value_name = "BATCH")]
    pub resend: Option<String>,
    /// import-opendata: the national CSV files to read (default: every file in
    /// `spool/opendata/`).
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,
}

fn open_existing(cli: &Cli) -> anyhow::Result<(PathBuf, Store)> {
    // Store::open refuses a missing, foreign or newer file with its own message.
    let path = store::resolve_db_path(cli.db.as_deref(), None);
    let path = std::fs::canonicalize(&path).unwrap_or(path);
    let store = Store::open(&path)?;
    Ok((path, store))
}

pub fn run(cli: &Cli, cmd: &SyncCommand) -> anyhow::Result<()> {
    let lang = cli.lang();
    match cmd {
        SyncCommand::List => {
            for k in JobKind::ALL {
                println!(
                    "{}  {} — {}",
                    pad(k.code(), 16),
                    k.title(lang),
                    k.description(lang)
                );
            }
            Ok(())
        }
        SyncCommand::Status { limit } => {
            let (_, store) = open_existing(cli)?;
            print!("{}", status_text(&store, lang, *limit)?);
            Ok(())
        }
        SyncCommand::Run(args) => run_job(cli, lang, args),
        SyncCommand::Settings {
            insurer_number,
            data_kind,
        } => settings(cli, lang, insurer_number.as_deref(), data_kind.as_deref()),
    }
}

fn settings(
    cli: &Cli,
    lang: Lang,
    insurer_number: Option<&str>,
    data_kind: Option<&str>,
) -> anyhow::Result<()> {
    let (_, mut store) = open_existing(cli)?;
    if insurer_number.is_some() || data_kind.is_some() {
        let actor = if meta::is_demo(store.conn())? && cli.staff.is_none() {
            Actor {
                staff_id: "demo-admin".into(),
                role: Role::Admin,
            }
        } else {
            sign_in(cli, &mut store, lang)?
        };
        crate::service::sync::set_kokuhoren_control(&mut store, &actor, insurer_number, data_kind)
            .map_err(|e| anyhow::anyhow!(e.message(lang.is_ja())))?;
    }
    let unset = lang.t("（未設定）", "(not set)");
    for (key, label) in [
        (
            "kokuhoren.insurer_number",
            lang.t("国保連 保険者番号", "国保連 insurer number"),
        ),
        (
            "kokuhoren.data_kind",
            lang.t("国保連 データ種別", "国保連 data kind"),
        ),
    ] {
        let value = meta::get(store.conn(), key)?;
        println!("{}  {}", pad(label, 20), value.as_deref().unwrap_or(unset));
    }
    Ok(())
}

/// The `system` identity of `--as-system`: it exists only inside `sync run` (no login,
/// no screen), so it can run jobs and nothing else. Only the service account — the
/// owner of the database file — may take it.
fn system_actor(path: &std::path::Path, lang: Lang) -> anyhow::Result<Actor> {
    use std::os::unix::fs::MetadataExt;
    let owner = std::fs::metadata(path)?.uid();
    // The owner of /proc/self is this process's uid.
    let me = std::fs::metadata("/proc/self").map(|m| m.uid()).ok();
    if me != Some(owner) {
        bail!(
            "{}",
            match lang {
                Lang::Ja => format!(
                    "--as-system はデータベース {} の所有者（uid {owner}）だけが使えます。サービス用アカウントの cron から実行してください",
                    path.display()
                ),
                Lang::En => format!(
                    "--as-system is only for the owner (uid {owner}) of the database {}; run it from the service account's cron",
                    path.display()
                ),
            }
        );
    }
    Ok(Actor {
        staff_id: SYSTEM_ACTOR.into(),
        role: Role::Reviewer,
    })
}

/// The actor id of headless runs with `--as-system`.
pub const SYSTEM_ACTOR: &str = "system";

fn sign_in(cli: &Cli, store: &mut Store, lang: Lang) -> anyhow::Result<Actor> {
    if meta::is_demo(store.conn())? && cli.staff.is_none() {
        return Ok(Actor {
            staff_id: "demo-approver".into(),
            role: Role::Approver,
        });
    }
    let id = cli.staff.as_deref().with_context(|| {
        lang.t(
            "--staff で職員IDを指定してください（パスワードを尋ねます）",
            "--staff ID is required (the password is asked next)",
        )
        .to_string()
    })?;
    login::authenticate(store, id)
}

fn local(ts: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(ts)
        .map(|t| {
            t.with_timezone(&chrono::Local)
                .format("%Y-%m-%d %H:%M:%S")
                .to_string()
        })
        .unwrap_or_else(|_| ts.to_string())
}

/// Pads to `width` display cells (Japanese labels are two cells a character).
fn pad(s: &str, width: usize) -> String {
    let w = UnicodeWidthStr::width(s);
    format!("{s}{}", " ".repeat(width.saturating_sub(w)))
}

pub fn status_text(store: &Store, lang: Lang, limit: usize) -> anyhow::Result<String> {
    let mut out = String::new();
    let leases = jobs::leases(store.conn())?;
    out.push_str(lang.t("実行権（リース）\n", "Leases\n"));
    if leases.is_empty() {
        out.push_str(lang.t("  なし\n", "  none\n"));
    }
    let now = chrono::Utc::now();
    for l in &leases {
        let expired = chrono::DateTime::parse_from_rfc3339(&l.expires_at)
            .map_or(true, |t| t.with_timezone(&chrono::Utc) <= now);
        out.push_str(&format!(
            "  {}  {}  #{}  {} {}{}\n",
            pad(&l.kind, 16),
            l.holder,
            l.job_id,
            lang.t("期限", "until"),
            local(&l.expires_at),
            if expired {
                lang.t("（期限切れ）", " (expired)")
            } else {
                ""
            }
        ));
    }
    let c = store::sync::counts(store.conn())?;
    out.push_str(&match lang {
        Lang::Ja => format!(
            "\n取込と送出\n  読込 {} 件（{} ファイル）  取込 {} 件  隔離 {} 件  送出 {} 件  送出待ち {} 件\n",
            c.read, c.files, c.imported, c.quarantined, c.exported, c.queued
        ),
        Lang::En => format!(
            "\nImports and exports\n  read {} ({} files)  imported {}  quarantined {}  exported {}  queued {}\n",
            c.read, c.files, c.imported, c.quarantined, c.exported, c.queued
        ),
    });
    out.push_str(lang.t("\n最近の実行\n", "\nRecent runs\n"));
    let rows = jobs::recent_jobs(store.conn(), limit)?;
    if rows.is_empty() {
        out.push_str(lang.t("  なし\n", "  none\n"));
    }
    for r in rows {
        let status = JobStatus::from_code(&r.status).map_or(r.status.as_str(), |s| s.label(lang));
        out.push_str(&format!(
            "  #{:<5} {}  {}  {}  {}  {}  {}/{}  {}\n",
            r.id,
            pad(&r.kind, 16),
            pad(status, 10),
            pad(&r.started_by, 14),
            local(&r.started_at),
            pad(&r.finished_at.as_deref().map(local).unwrap_or_default(), 19),
            r.progress,
            r.total,
            r.message
        ));
    }
    Ok(out)
}

/// Progress on stderr: a redrawn bar on a terminal, else one line per 10 %.
struct ProgressOut {
    tty: bool,
    title: String,
    last_tenth: Option<i64>,
    last: Option<Progress>,
    drawn: bool,
}

impl ProgressOut {
    fn show(&mut self, p: Progress) {
        if self.last.replace(p) == Some(p) {
            return;
        }
        let mut err = std::io::stderr().lock();
        match (self.tty, p.percent()) {
            (true, Some(pct)) => {
                let filled = usize::try_from(pct * 30 / 100).unwrap_or(0);
                let _ = write!(
                    err,
                    "\r{} [{}{}] {pct:>3}% {}/{}\x1b[K",
                    self.title,
                    "#".repeat(filled),
                    "-".repeat(30 - filled),
                    p.done,
                    p.total
                );
                let _ = err.flush();
                self.drawn = true;
            }
            (false, Some(pct)) => {
                let tenth = pct / 10;
                if self.last_tenth.is_none_or(|t| tenth > t) {
                    self.last_tenth = Some(tenth);
                    let _ = writeln!(err, "{}: {pct}% ({}/{})", self.title, p.done, p.total);
                }
            }
            _ => {}
        }
    }

    fn done(&mut self) {
        if self.drawn {
            let _ = writeln!(std::io::stderr());
            self.drawn = false;
        }
    }
}

fn run_job(cli: &Cli, lang: Lang, args: &RunArgs) -> anyhow::Result<()> {
    let (path, mut store) = open_existing(cli)?;
    let actor = if args.as_system {
        system_actor(&path, lang)?
    } else {
        sign_in(cli, &mut store, lang)?
    };
    drop(store);
    let mut settings = Settings::default();
    if let Some(n) = args.batch_size {
        settings.batch_size = n;
    }
    if let Some(ms) = args.test_batch_delay_ms {
        settings.batch_delay = Duration::from_millis(ms);
    }
    let kind = args.kind;
    let (tx, rx) = std::sync::mpsc::channel();
    let handle = runner::spawn(
        crate::jobs::job_with(
            kind,
            &crate::jobs::JobOptions {
                spool: args.spool.clone(),
                dry_run: args.dry_run,
                encoding: args.encoding,
                resend: args.resend.clone(),
                files: args.files.clone(),
            },
        ),
        JobRequest {
            db: path.clone(),
            actor,
            lang,
            settings,
        },
        move |e| {
            let _ = tx.send(e);
        },
    )
    .context(lang.t(
        "ジョブのスレッドを起動できません",
        "cannot start the job thread",
    ))?;
    // First Ctrl-C (or SIGTERM) cancels cleanly; a second one exits at once.
    let flag = handle.cancel_flag();
    for sig in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        signal_hook::flag::register_conditional_shutdown(sig, 130, flag.clone())?;
        signal_hook::flag::register(sig, flag.clone())?;
    }
    let mut out = ProgressOut {
        tty: std::io::stderr().is_terminal(),
        title: kind.title(lang).to_string(),
        last_tenth: None,
        last: None,
        drawn: false,
    };
    let mut end = None;
    for event in rx {
        match event {
            JobEvent::Started {
                took_over: Some(old),
                ..
            } => eprintln!(
                "{}",
                match lang {
                    Lang::Ja => format!(
                        "実行 #{old} のプロセスは止まっていたため、期限切れの実行権を引き継ぎました（#{old} は「放棄」として記録）"
                    ),
                    Lang::En => format!(
                        "run #{old} had stopped; its expired lease was taken over (#{old} is recorded as abandoned)"
                    ),
                }
            ),
            JobEvent::Started { .. } => {}
            JobEvent::Progress { progress, .. } => out.show(progress),
            JobEvent::Finished {
                progress,
                end: e,
                job_id,
                ..
            } => {
                if job_id.is_some() {
                    out.show(progress);
                }
                end = Some(e);
            }
        }
    }
    out.done();
    handle.join();
    match end {
        Some(JobEnd::Succeeded { message }) => {
            println!("{message}");
            Ok(())
        }
        Some(JobEnd::Failed { message }) => bail!("{}: {message}", kind.code()),
        Some(JobEnd::Cancelled) => bail!(
            "{}: {}",
            kind.code(),
            lang.t(
                "中止しました（記録は「中止」、実行権は解放済み）",
                "cancelled (the run is recorded as cancelled and its lease released)"
            )
        ),
        Some(JobEnd::Busy { holder, until }) => {
            let until = local(&until);
            bail!(
                "{}: {}",
                kind.code(),
                match lang {
                    Lang::Ja => format!(
                        "別のプロセス（{holder}）が実行中です（実行権の期限 {until}）。終わってからもう一度実行してください"
                    ),
                    Lang::En => format!(
                        "another process ({holder}) is running it (its lease runs until {until}); run it again when that one has finished"
                    ),
                }
            )
        }
        None => bail!(
            "{}: {}",
            kind.code(),
            lang.t(
                "ジョブのスレッドが結果を返さずに終わりました",
                "the job thread ended without a result"
            )
        ),
    }
}
