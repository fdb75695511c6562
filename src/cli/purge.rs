//! `daicho purge`: delete data past its retention period and write the deletion report
//! (消去報告書).

use super::{Cli, backup, login};
use crate::service::purge as svc;
use crate::store::purge::Category;
use crate::store::{self, Store};
use anyhow::{Context, bail};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

#[derive(Debug, clap::Args)]
pub struct PurgeArgs {
    /// Only list what would be deleted.
    #[arg(long)]
    pub dry_run: bool,
    /// Where the report goes (default: the current directory).
    #[arg(long)]
    pub report_dir: Option<PathBuf>,
    /// Backup directory, to state when backups holding the data expire
    /// (default: <db dir>/backups).
    #[arg(long)]
    pub backup_dir: Option<PathBuf>,
    /// Backup generations kept (as given to `daicho backup --keep`).
    #[arg(long, default_value_t = backup::DEFAULT_KEEP)]
    pub keep: usize,
}

fn table(cats: &[Category]) -> String {
    let mut out =
        String::from("| 区分 / category | 件数 / records | 期間 / date range |\n|---|---:|---|\n");
    for c in cats {
        let _ = writeln!(
            out,
            "| {} ({}) | {} | {} |",
            c.label_ja,
            c.key,
            c.count,
            match (&c.first, &c.last) {
                (Some(a), Some(b)) => format!("{a} – {b}"),
                _ => "-".into(),
            }
        );
    }
    out
}

/// The date the last backup holding purged data is rotated out: the newest backup's
/// date plus `keep` days (one backup a day, `keep` generations).
fn backups_expire(dir: &Path, keep: usize) -> String {
    let newest = backup::generations(dir)
        .ok()
        .and_then(|g| g.last().cloned())
        .and_then(|p| p.file_name().and_then(|n| n.to_str()).map(str::to_owned))
        .and_then(|n| chrono::NaiveDate::parse_from_str(n.get(7..15)?, "%Y%m%d").ok());
    match newest {
        Some(d) => format!(
            "{} (newest backup {d} + {keep} generations × 1 day)",
            d + chrono::Days::new(keep as u64)
        ),
        None => format!("no backups found in {}", dir.display()),
    }
}

pub fn run(cli: &Cli, args: &PurgeArgs) -> anyhow::Result<()> {
    let db = store::resolve_db_path(cli.db.as_deref(), None);
    if !db.exists() {
        bail!("no database at {}", db.display());
    }
    let mut store = Store::open(&db).with_context(|| format!("opening {}", db.display()))?;
    let today = super::today();
    if args.dry_run {
        println!("retention: {:?}", svc::retention(&store));
        print!("{}", table(&svc::dry_run(&store, today)?));
        return Ok(());
    }
    let id = cli
        .staff
        .as_deref()
        .context("--staff ID is required (an approver or admin login)")?;
    let actor = login::authenticate(&mut store, id)?;
    let gone = svc::purge(&mut store, &actor, today)?;
    let backup_dir = args
        .backup_dir
        .clone()
        .unwrap_or_else(|| backup::default_backup_dir(&db));
    let now = chrono::Local::now();
    let mut md = String::new();
    let _ = writeln!(md, "# 消去報告書 / Deletion report\n");
    let _ = writeln!(md, "- 日時 / date: {}", now.format("%Y-%m-%d %H:%M:%S %z"));
    let _ = writeln!(
        md,
        "- 実施者 / operator: {} ({})",
        actor.staff_id,
        actor.role.code()
    );
    let _ = writeln!(md, "- データベース / database: {}", db.display());
    let _ = writeln!(md, "- 保存期間 / retention: {:?}\n", svc::retention(&store));
    md.push_str(&table(&gone));
    let _ = writeln!(
        md,
        "\n- 方法 / method: SQLite `PRAGMA secure_delete=ON` (deleted content overwritten with zeros), one transaction with an audit record, then `VACUUM` and WAL truncation."
    );
    let _ = writeln!(
        md,
        "- バックアップ / backups containing them expire on: {}",
        backups_expire(&backup_dir, args.keep)
    );
    let dir = args
        .report_dir
        .clone()
        .unwrap_or_else(|| PathBuf::from("."));
    let file = dir.join(format!("purge-report-{}.md", now.format("%Y%m%d-%H%M%S")));
    crate::jobs::formats::private_file::write_atomically(&file, |w| {
        use std::io::Write;
        w.write_all(md.as_bytes())
    })
    .with_context(|| format!("writing {}", file.display()))?;
    let total: i64 = gone.iter().map(|c| c.count).sum();
    println!(
        "purged {total} records from {}; report: {}",
        db.display(),
        file.display()
    );
    Ok(())
}
