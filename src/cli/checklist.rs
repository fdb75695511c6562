//! `daicho checklist report` (the committee's table as A4 HTML, text and CSV) and
//! `daicho checklist selfcheck` (what daicho verifies itself, pass/fail and why).

use super::Cli;
use crate::domain::checklist::Side;
use crate::domain::permission::{Actor, Role};
use crate::i18n::Lang;
use crate::letters::checklist_report;
use crate::service::maintenance::SYSTEM_ACTOR;
use crate::service::{privacy, selfcheck};
use crate::store::{self, Store, checklist_reference};
use anyhow::{Context, bail};
use clap::Subcommand;
use std::path::{Path, PathBuf};

#[derive(Debug, Subcommand)]
pub enum ChecklistCommand {
    /// Write the checklist table of a connection and side (the latest signed audit, or
    /// the one in progress) as A4 HTML, text and CSV.
    Report {
        /// Connection code (e_application, lemscare, kokuhoren, municipalities).
        #[arg(long)]
        connection: String,
        /// ward (区が行う) or partner (結合先に行わせる).
        #[arg(long, value_name = "ward|partner")]
        side: String,
        /// A particular audit (default: the latest signed one).
        #[arg(long)]
        audit: Option<i64>,
        /// Output directory (created 0700; files 0600, never replaced).
        #[arg(long)]
        out: PathBuf,
    },
    /// Run the self-checks; exit 1 if any fails.
    Selfcheck {
        /// Backup directory (default: <db dir>/backups).
        #[arg(long)]
        backup_dir: Option<PathBuf>,
    },
}

fn options(db: &Path, backup_dir: Option<PathBuf>) -> selfcheck::Options {
    selfcheck::Options {
        backup_dir: backup_dir.unwrap_or_else(|| super::backup::default_backup_dir(db)),
        max_backup_age_hours: selfcheck::DEFAULT_MAX_BACKUP_AGE_HOURS,
        today: super::today(),
        now: chrono::Utc::now(),
    }
}

pub fn run(cli: &Cli, cmd: &ChecklistCommand) -> anyhow::Result<()> {
    let lang = cli.lang();
    let db = store::resolve_db_path(cli.db.as_deref(), None);
    match cmd {
        ChecklistCommand::Report {
            connection,
            side,
            audit,
            out,
        } => report(cli, &db, connection, side, *audit, out, lang),
        ChecklistCommand::Selfcheck { backup_dir } => {
            let store = Store::open_read_only(&db)?;
            let checks = selfcheck::run_all(&store, &db, &options(&db, backup_dir.clone()));
            let mut failed = 0;
            for c in &checks {
                if !c.passed {
                    failed += 1;
                }
                println!(
                    "{} {:>2} {}: {}",
                    if c.passed {
                        lang.t("合格  ", "pass")
                    } else {
                        lang.t("不合格", "FAIL")
                    },
                    c.item_no,
                    c.title(lang),
                    crate::domain::text::escape_for_terminal(c.why(lang))
                );
            }
            if failed > 0 {
                bail!(
                    "{}",
                    match lang {
                        Lang::Ja =>
                            format!("{} の自己点検で {failed} 件が不合格です", db.display()),
                        Lang::En => format!("{failed} self-checks of {} failed", db.display()),
                    }
                );
            }
            Ok(())
        }
    }
}

fn report(
    cli: &Cli,
    db: &Path,
    code: &str,
    side: &str,
    audit: Option<i64>,
    out: &Path,
    lang: Lang,
) -> anyhow::Result<()> {
    let Some(side) = Side::from_code(side) else {
        bail!(
            "{}",
            match lang {
                Lang::Ja => format!(
                    "--side {side}: ward（区が行う）か partner（結合先に行わせる）を指定してください"
                ),
                Lang::En => format!("--side {side}: give ward or partner"),
            }
        );
    };
    let store = Store::open_read_only(db)?;
    if checklist_reference::connection(store.conn(), code)?.is_none() {
        let known: Vec<String> = checklist_reference::connections(store.conn())?
            .into_iter()
            .map(|c| c.code)
            .collect();
        bail!(
            "{}",
            match lang {
                Lang::Ja => format!(
                    "--connection {code}: その結合先はありません（{}）",
                    known.join(", ")
                ),
                Lang::En => format!(
                    "--connection {code}: no such connection ({})",
                    known.join(", ")
                ),
            }
        );
    }
    let Some(mut data) = checklist_report::load(store.conn(), code, side, audit)? else {
        bail!(
            "{}",
            match lang {
                Lang::Ja => format!(
                    "{code} の{}にはまだ点検がありません（--audit の番号も確認してください）",
                    side.label(lang)
                ),
                Lang::En => format!(
                    "{code} has no audit of the {} yet (check the --audit number too)",
                    side.label(lang)
                ),
            }
        );
    };
    data.checks = selfcheck::run_all(&store, db, &options(db, None));
    drop(store);
    let written = checklist_report::write(out, &data, super::today())
        .map_err(|e| anyhow::anyhow!(e.message(lang)))
        .with_context(|| format!("{}", out.display()))?;
    let actor = Actor {
        staff_id: cli
            .staff
            .clone()
            .unwrap_or_else(|| SYSTEM_ACTOR.to_string()),
        role: Role::Viewer,
    };
    // Who took the committee table out of daicho, like any other export.
    let mut store = Store::open(db)?;
    privacy::record_export(
        &mut store,
        &actor,
        "checklist",
        &written.html,
        data.audit.rows.len(),
    )?;
    for p in [&written.html, &written.text, &written.csv] {
        println!("{}", p.display());
    }
    Ok(())
}
