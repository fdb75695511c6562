//! `daicho purge`: delete data past its retention period and write the deletion report
//! (消去報告書).

use super::{Cli, backup, login};
use crate::i18n::Lang;
use crate::jobs::formats::private_file::PartialFile;
use crate::service::purge as svc;
use crate::store::purge::Category;
use crate::store::{self, Store, private_fs};
use anyhow::{Context, bail};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

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
    /// Seconds to wait for other sessions to finish reading before the deleted content
    /// is wiped from the file and its WAL (else the purge reports it incomplete).
    #[arg(long, default_value_t = 10)]
    pub wait: u64,
}

fn expired_spool_files(store: &Store, db: &Path, today: chrono::NaiveDate) -> Vec<PathBuf> {
    let cut = svc::cutoffs(&svc::retention(store), today);
    crate::jobs::spool::Spool::resolve(None, db).expired_files(&cut.application_closed_before)
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

/// Free bytes for unprivileged users on the filesystem holding `path`.
fn free_bytes(path: &Path) -> Option<u64> {
    let st = rustix::fs::statvfs(path).ok()?;
    Some(st.f_bavail.saturating_mul(st.f_frsize))
}

/// Everything the purge needs, checked before anything is deleted: the report
/// directory exists and takes a file, and the database's filesystem has room for
/// VACUUM (it rewrites the whole database into the WAL).
fn preconditions(db: &Path, report_dir: &Path, lang: Lang) -> anyhow::Result<PartialFile> {
    if !report_dir.is_dir() {
        bail!(
            "{}",
            match lang {
                Lang::Ja => format!(
                    "報告書の保存先 {} がありません。作成してから実行してください（何も消去していません）",
                    report_dir.display()
                ),
                Lang::En => format!(
                    "the report directory {} does not exist; create it and run again (nothing was deleted)",
                    report_dir.display()
                ),
            }
        );
    }
    let partial = PartialFile::create(report_dir, "purge-report.md").map_err(|e| {
        anyhow::anyhow!(
            "{}",
            match lang {
                Lang::Ja => format!(
                    "報告書の保存先 {} に書き込めません（{e}）。何も消去していません",
                    report_dir.display()
                ),
                Lang::En => format!(
                    "cannot write to the report directory {} ({e}); nothing was deleted",
                    report_dir.display()
                ),
            }
        )
    })?;
    let db_dir = db
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let need = std::fs::metadata(db).map(|m| m.len()).unwrap_or(0) + (1 << 20);
    for (dir, need) in [(db_dir, need), (report_dir, 1 << 20)] {
        if let Some(free) = free_bytes(dir)
            && free < need
        {
            bail!(
                "{}",
                match lang {
                    Lang::Ja => format!(
                        "{} の空き容量が足りません（{} KiB 必要、{} KiB 空き）。空けてから実行してください（何も消去していません）",
                        dir.display(),
                        need / 1024,
                        free / 1024
                    ),
                    Lang::En => format!(
                        "not enough free space in {} ({} KiB needed, {} KiB free); free some and run again (nothing was deleted)",
                        dir.display(),
                        need / 1024,
                        free / 1024
                    ),
                }
            );
        }
    }
    Ok(partial)
}

pub fn run(cli: &Cli, args: &PurgeArgs) -> anyhow::Result<()> {
    let lang = cli.lang();
    let db = store::resolve_db_path(cli.db.as_deref(), None);
    private_fs::clean_beside_db(&db);
    let mut store = Store::open(&db)?;
    let today = super::today();
    if args.dry_run {
        println!(
            "{} {}",
            lang.t("保存期間:", "retention:"),
            svc::retention(&store).describe()
        );
        print!("{}", table(&svc::dry_run(&store, today)?));
        let spool = expired_spool_files(&store, &db, today);
        println!(
            "{} {}",
            lang.t(
                "保存期間を過ぎたスプールのファイル:",
                "spool files past retention:"
            ),
            spool.len()
        );
        return Ok(());
    }
    let id = cli.staff.as_deref().with_context(|| {
        lang.t(
            "--staff で職員IDを指定してください（消去は決裁権限か管理者のログインが必要です）",
            "give your staff id with --staff (a purge needs an approver or admin login)",
        )
        .to_string()
    })?;
    let dir = args
        .report_dir
        .clone()
        .unwrap_or_else(|| PathBuf::from("."));
    let mut partial = preconditions(&db, &dir, lang)?;
    let actor = login::authenticate_in(&mut store, id, lang)?;
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
    let _ = writeln!(
        md,
        "- 保存期間 / retention: {}\n",
        svc::retention(&store).describe()
    );
    // The table of what went comes between `md` and `tail`.
    let mut tail = String::new();
    let _ = writeln!(
        tail,
        "\n- 方法 / method: SQLite `PRAGMA secure_delete=ON` (deleted content overwritten with zeros), one transaction with an audit record, then `VACUUM` and WAL truncation."
    );
    let _ = writeln!(
        tail,
        "- バックアップ / backups containing them expire on: {}",
        backups_expire(&backup_dir, args.keep)
    );
    // Spool files (imported and quarantined inputs) past retention: listed, then removed
    // once the database part is committed.
    let spool_files = expired_spool_files(&store, &db, today);
    let _ = writeln!(
        tail,
        "- スプールのファイル / spool files deleted: {}",
        spool_files.len()
    );
    for p in &spool_files {
        let _ = writeln!(tail, "  - {}", p.display());
    }
    // The report is written and fsynced inside the purge's transaction: if it cannot
    // be, nothing is deleted.
    let file = partial.file().try_clone()?;
    let purged = svc::purge(
        &mut store,
        &actor,
        today,
        Duration::from_secs(args.wait),
        |gone| {
            use std::io::Write;
            let mut f = &file;
            f.write_all(md.as_bytes())?;
            f.write_all(table(gone).as_bytes())?;
            f.write_all(tail.as_bytes())?;
            f.sync_all()
        },
    )?;
    for p in &spool_files {
        let _ = std::fs::remove_file(p);
    }
    let total: i64 = purged.gone.iter().map(|c| c.count).sum();
    if let Some(why) = &purged.incomplete {
        use std::io::Write;
        let mut f = &file;
        writeln!(
            f,
            "\n**消去未完了 / secure deletion incomplete**: {why}. 消去した内容がデータベースファイルまたは WAL に残っています。他のセッションを終了させて同じコマンドを再実行してください / the deleted content may remain in the database file or its WAL; close the other sessions and run the same command again."
        )?;
    }
    let stamp = now.format("%Y%m%d-%H%M%S").to_string();
    let report = partial
        .persist_new(|n| match n {
            0 => format!("purge-report-{stamp}.md"),
            n => format!("purge-report-{stamp}-{n}.md"),
        })
        .with_context(|| {
            format!(
                "{} {}",
                lang.t(
                    "消去は完了しましたが報告書を保存できませんでした:",
                    "the purge is committed but its report could not be saved in"
                ),
                dir.display()
            )
        })?;
    match lang {
        Lang::Ja => println!(
            "{} から {total} 件を消去しました。報告書: {}",
            db.display(),
            report.display()
        ),
        Lang::En => println!(
            "purged {total} records from {}; report: {}",
            db.display(),
            report.display()
        ),
    }
    if purged.incomplete.is_some() {
        bail!(
            "{}",
            match lang {
                Lang::Ja => format!(
                    "安全な消去が完了していません。{} を開いている他のセッションが古い内容を読んでいるため、消去した内容がまだファイルに残っています。全員に終了してもらい、同じ purge コマンドを再実行してください（新たに消すものがなくても VACUUM と WAL の切り詰めをやり直します）",
                    db.display()
                ),
                Lang::En => format!(
                    "secure deletion is incomplete: other sessions reading {} keep the deleted content in the file; ask everyone to quit, then run the same purge command again (it redoes VACUUM and the WAL truncation even when nothing new is deleted)",
                    db.display()
                ),
            }
        );
    }
    Ok(())
}
