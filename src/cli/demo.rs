//! `daicho demo`: a database of synthetic facilities, cases and checklists.

use super::Cli;
use crate::demo::{self, DemoOptions};
use crate::i18n::Lang;
use crate::store::{self, Store, backup, meta};
use anyhow::bail;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

#[derive(Debug, clap::Args)]
pub struct DemoArgs {
    /// Number of facilities (366 is Shinjuku's count on 2024-03-01).
    #[arg(long, default_value_t = 366)]
    pub facilities: usize,
    /// Output file (default: the database path from --db / DAICHO_DB).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Seed: the same seed gives the same data.
    #[arg(long, default_value_t = 20240301)]
    pub seed: u64,
    /// Replace an existing file.
    #[arg(long)]
    pub force: bool,
}

/// `--force` replaces only a daicho demo database (never another file) that no session
/// has open.
fn check_replaceable(out: &Path, lang: Lang) -> anyhow::Result<()> {
    let is_demo = out
        .symlink_metadata()
        .is_ok_and(|m| m.file_type().is_file())
        && backup::summarize(out).is_ok_and(|s| s.demo);
    if !is_demo {
        bail!(
            "{}",
            match lang {
                Lang::Ja => format!(
                    "{} はデモデータベースではないため、--force でも置き換えません。別の --out を指定してください",
                    out.display()
                ),
                Lang::En => format!(
                    "{} is not a demo database, so --force does not replace it; choose another --out",
                    out.display()
                ),
            }
        );
    }
    if backup::lock_exclusively(out)?.is_none() {
        bail!("{}", super::backup::sessions_open_message(out, lang));
    }
    Ok(())
}

/// Builds into a temporary file beside `out` and renames it into place, so a killed
/// run never leaves a half-filled database under the real name.
pub fn create(
    out: &Path,
    facilities: usize,
    seed: u64,
    force: bool,
    quiet: bool,
    lang: Lang,
) -> anyhow::Result<demo::DemoSummary> {
    if out.symlink_metadata().is_ok() {
        if !force {
            bail!(
                "{}",
                match lang {
                    Lang::Ja => format!(
                        "{} はすでにあります（デモデータベースを作り直すなら --force を付けてください）",
                        out.display()
                    ),
                    Lang::En => format!(
                        "{} already exists (use --force to replace a demo database)",
                        out.display()
                    ),
                }
            );
        }
        check_replaceable(out, lang)?;
    }
    let tmp = out.with_extension("db.building");
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", tmp.display()));
    }
    let started = Instant::now();
    let summary = {
        let mut store = Store::create(&tmp)?;
        let opts = DemoOptions {
            facilities,
            seed,
            today: super::today(),
        };
        let mut last = 0;
        let summary = demo::generate(&mut store, &opts, &mut |done, total| {
            if !quiet && (done * 10 / total.max(1) != last || done == total) {
                last = done * 10 / total.max(1);
                eprint!("\r{done}/{total} facilities");
                let _ = std::io::stderr().flush();
            }
        })?;
        if !quiet {
            eprintln!();
        }
        // Fold the WAL back so the renamed file is complete on its own.
        store
            .conn()
            .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")?;
        summary
    };
    if out.symlink_metadata().is_ok() {
        // Sessions may have opened it while the new one was built.
        check_replaceable(out, lang)?;
    }
    // The old database's audit anchor goes too: the new one starts a new chain.
    for suffix in ["", "-wal", "-shm", ".audit-head"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", out.display()));
    }
    std::fs::rename(&tmp, out)?;
    let _ = std::fs::remove_file(format!("{}-wal", tmp.display()));
    let _ = std::fs::remove_file(format!("{}-shm", tmp.display()));
    // The chain starts with the database's creation, and its anchor is written, so
    // `audit verify` has something to vouch for from the first minute.
    crate::service::maintenance::record_creation(
        &mut Store::open(out)?,
        &format!("demo database, {} facilities", summary.facilities),
    )?;
    if !quiet {
        eprintln!(
            "\r{} facilities in {:.1} s",
            summary.facilities,
            started.elapsed().as_secs_f64()
        );
    }
    Ok(summary)
}

pub fn run(cli: &Cli, args: &DemoArgs) -> anyhow::Result<()> {
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| store::resolve_db_path(cli.db.as_deref(), None));
    let summary = create(
        &out,
        args.facilities,
        args.seed,
        args.force,
        false,
        cli.lang(),
    )?;
    let lang = cli.lang();
    println!(
        "{} {}",
        lang.t("デモデータベース:", "demo database:"),
        out.display()
    );
    println!("{}", summary_text(&summary, lang));
    println!(
        "{} daicho --db {}",
        lang.t("開くには:", "open it with:"),
        out.display()
    );
    println!(
        "{} (daicho --db {} --staff ID):",
        lang.t("デモの職員IDとパスワード", "demo logins and passwords"),
        out.display()
    );
    for (id, _name, role) in demo::DEMO_USERS {
        println!(
            "  {id:<16} {role:<9} {} {}",
            lang.t("パスワード:", "password:"),
            demo::demo_password(id)
        );
    }
    Ok(())
}

/// What was generated, as one line in the UI language.
fn summary_text(s: &demo::DemoSummary, lang: Lang) -> String {
    match lang {
        Lang::Ja => format!(
            "事業所 {} 件、法人 {}、指定 {}、従事者 {}、構成員 {}、会議 {}、申請 {} 件（経過 {}）、区外同意 {}、事前同意 {}、チェックリスト監査 {}、職員アカウント {}",
            s.facilities,
            s.corporations,
            s.designations,
            s.staff,
            s.council_members,
            s.meetings,
            s.applications,
            s.application_events,
            s.consents,
            s.prior_consents,
            s.checklist_audits,
            s.users
        ),
        Lang::En => s.to_string(),
    }
}

/// `--demo`: reuse the demo database if it is one, create it otherwise.
pub fn ensure_demo_db(path: &Path, lang: Lang) -> anyhow::Result<()> {
    if path.exists() {
        let store = Store::open(path)?;
        if !meta::is_demo(store.conn())? {
            bail!(
                "{} {}",
                path.display(),
                lang.t(
                    "はデモデータベースではないため --demo では開きません",
                    "is not a demo database; refusing to open it with --demo"
                )
            );
        }
        return Ok(());
    }
    eprintln!(
        "{} {} …",
        lang.t(
            "デモデータベースを作成しています:",
            "creating demo database"
        ),
        path.display()
    );
    create(path, 366, 20240301, false, false, lang)?;
    Ok(())
}
