//! `daicho backup` and `daicho restore`.

use super::Cli;
use crate::i18n::Lang;
use crate::service::maintenance::{self, SYSTEM_ACTOR};
use crate::service::privacy;
use crate::store::backup::Summary;
use crate::store::{self, Store, audit, backup, private_fs};
use anyhow::{Context, bail};
use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};

/// Generations kept by default: two weeks of nightly backups.
pub const DEFAULT_KEEP: usize = 14;

#[derive(Debug, clap::Args)]
pub struct BackupArgs {
    /// Backup directory (default: <db dir>/backups, created 0700).
    #[arg(long)]
    pub dir: Option<PathBuf>,
    /// Generations to keep (1 or more); older daicho-*.db files in the directory are removed.
    #[arg(long, default_value_t = DEFAULT_KEEP)]
    pub keep: usize,
}

#[derive(Debug, clap::Args)]
pub struct RestoreArgs {
    /// Backup file made by `daicho backup`.
    pub file: PathBuf,
    /// Do not ask for confirmation (scripts); the replaced database is still kept.
    #[arg(long)]
    pub yes: bool,
    /// Accept a backup taken from another database (or one too old to say which).
    #[arg(long)]
    pub force_other_database: bool,
}

/// `<db dir>/backups`.
pub fn default_backup_dir(db: &Path) -> PathBuf {
    db.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .join("backups")
}

/// When a generation was made: its name's `YYYYMMDD-HHMMSS` and sequence (`-N` for a
/// second backup in the same second). `None` for names that are not ours.
fn generation_key(name: &str) -> Option<(String, u32)> {
    let rest = name.strip_prefix("daicho-")?.strip_suffix(".db")?;
    let (stamp, seq) = match rest.get(15..) {
        Some("") => (rest, 0),
        Some(tail) => (rest.get(..15)?, tail.strip_prefix('-')?.parse().ok()?),
        None => return None,
    };
    let ok = stamp.len() == 15
        && stamp.bytes().enumerate().all(|(i, b)| {
            if i == 8 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    ok.then(|| (stamp.to_string(), seq))
}

/// Backup files in `dir`, oldest first — by the time and sequence in their names, not
/// the names' bytes (`-1.db` sorts before `.db`).
pub fn generations(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut files: Vec<(String, u32, PathBuf)> = std::fs::read_dir(dir)
        .with_context(|| dir.display().to_string())?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter_map(|p| {
            let (stamp, seq) = generation_key(p.file_name()?.to_str()?)?;
            Some((stamp, seq, p))
        })
        .collect();
    files.sort();
    Ok(files.into_iter().map(|(_, _, p)| p).collect())
}

/// `.daicho-backup-<pid>.tmp`: the copy being made, renamed when verified.
const TMP_PREFIX: &str = ".daicho-backup-";
const TMP_SUFFIX: &str = ".tmp";

/// Removes a temporary file when dropped, unless disarmed.
struct TempGuard(Option<PathBuf>);

impl Drop for TempGuard {
    fn drop(&mut self) {
        if let Some(p) = self.0.take() {
            let _ = std::fs::remove_file(p);
        }
    }
}

/// Makes one backup of `db` in `dir`, keeps `keep` generations; returns the new file.
pub fn make_backup(db: &Path, dir: &Path, keep: usize) -> anyhow::Result<PathBuf> {
    make_backup_in(db, dir, keep, Lang::Ja)
}

fn make_backup_in(db: &Path, dir: &Path, keep: usize, lang: Lang) -> anyhow::Result<PathBuf> {
    if keep == 0 {
        bail!(
            "{}",
            lang.t(
                "--keep 0 は指定できません。残す世代数を1以上で指定してください",
                "--keep 0 would keep no backup at all; give 1 or more generations"
            )
        );
    }
    if !db.is_file() {
        bail!(
            "{} {}",
            lang.t("データベースがありません:", "no database at"),
            db.display()
        );
    }
    private_fs::create_private_dir_all(dir).with_context(|| {
        format!(
            "{} {}",
            lang.t("作成できません:", "creating"),
            dir.display()
        )
    })?;
    // What a killed or failed earlier backup left (a full copy, personal data included).
    private_fs::remove_leftovers(dir, |n| private_fs::pid_between(n, TMP_PREFIX, TMP_SUFFIX));
    let tmp = dir.join(format!("{TMP_PREFIX}{}{TMP_SUFFIX}", std::process::id()));
    let _ = std::fs::remove_file(&tmp);
    let guard = TempGuard(Some(tmp.clone()));
    // No migration: a backup copies the file as it is (and works on a read-only one).
    // Mode::Copy refuses another program's file untouched (not even switched to WAL).
    let (src, _) = store::open::connect_checked(db, store::open::Mode::Copy)?;
    backup::backup_to(&src, &tmp).with_context(|| {
        format!(
            "{} {} → {}",
            lang.t("コピーできませんでした:", "copying failed:"),
            db.display(),
            tmp.display()
        )
    })?;
    drop(src);
    if let Err(e) = backup::integrity_check(&tmp) {
        bail!(
            "{} ({e})",
            lang.t(
                "バックアップのコピーが整合性検査に失敗したため削除しました",
                "the backup copy failed its integrity check and was removed"
            )
        );
    }
    std::fs::File::open(&tmp)?.sync_all()?;
    let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S").to_string();
    // A hard link never replaces an existing file, so two backups in the same second
    // (even from two processes) get different names.
    let mut n = 0;
    let target = loop {
        let name = if n == 0 {
            format!("daicho-{stamp}.db")
        } else {
            format!("daicho-{stamp}-{n}.db")
        };
        let target = dir.join(name);
        match std::fs::hard_link(&tmp, &target) {
            Ok(()) => break target,
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && n < 10_000 => n += 1,
            Err(e) => {
                return Err(e).with_context(|| {
                    format!(
                        "{} {}",
                        lang.t("書き込めません:", "cannot write"),
                        target.display()
                    )
                });
            }
        }
    };
    drop(guard); // the temporary name goes; the backup keeps its own link
    private_fs::sync_dir(dir)?;
    let files = generations(dir)?;
    let excess = files.len().saturating_sub(keep);
    for old in &files[..excess] {
        std::fs::remove_file(old).with_context(|| {
            format!(
                "{} {}",
                lang.t(
                    "古いバックアップを削除できません:",
                    "cannot remove the old backup"
                ),
                old.display()
            )
        })?;
    }
    Ok(target)
}

pub fn run_backup(cli: &Cli, args: &BackupArgs) -> anyhow::Result<()> {
    let lang = cli.lang();
    let db = store::resolve_db_path(cli.db.as_deref(), None);
    private_fs::clean_beside_db(&db);
    let dir = args.dir.clone().unwrap_or_else(|| default_backup_dir(&db));
    let file = make_backup_in(&db, &dir, args.keep, lang)?;
    // A full copy of every record: audited (checklist item 13).
    let bytes = std::fs::metadata(&file).map(|m| m.len()).unwrap_or(0);
    let actor = cli.staff.as_deref().unwrap_or(SYSTEM_ACTOR);
    // The copy exists whatever happens next, so a failure to record it is said, not fatal
    // (a read-only database can be backed up but not written to).
    let recorded = Store::open(&db)
        .map_err(anyhow::Error::from)
        .and_then(|mut s| {
            super::export::record_or_warn(privacy::record_backup(&mut s, actor, &file, bytes), lang)
        });
    if let Err(e) = recorded {
        eprintln!(
            "{} {}",
            lang.t(
                "警告: バックアップを監査ログに記録できませんでした:",
                "warning: the backup could not be recorded in the audit log:"
            ),
            super::error_text(&e, lang)
        );
    }
    println!(
        "{}",
        match lang {
            Lang::Ja => format!(
                "{} のバックアップを {} に書き出しました（{} 世代を保存）",
                db.display(),
                file.display(),
                args.keep
            ),
            Lang::En => format!(
                "backup of {} written to {} (keeping {} generations)",
                db.display(),
                file.display(),
                args.keep
            ),
        }
    );
    Ok(())
}

/// What a restore would replace with what.
#[derive(Debug)]
pub struct RestorePlan {
    pub version: i64,
    /// `None` when there is no database at the target yet.
    pub current: Option<Summary>,
    pub incoming: Summary,
}

impl RestorePlan {
    /// Both files carry the same database id.
    pub fn same_database(&self) -> bool {
        match &self.current {
            None => true,
            Some(c) => c.database_id.is_some() && c.database_id == self.incoming.database_id,
        }
    }
}

/// Checks `file` and reads what it and the live database hold; changes nothing.
pub fn plan_restore(db: &Path, file: &Path, lang: Lang) -> anyhow::Result<RestorePlan> {
    if !file.is_file() {
        bail!(
            "{} {}",
            lang.t("バックアップファイルがありません:", "no backup file at"),
            file.display()
        );
    }
    let version =
        backup::check_daicho_file(file).with_context(|| format!("checking {}", file.display()))?;
    let incoming = backup::summarize(file)?;
    let current = if db.exists() {
        Some(backup::summarize(db).with_context(|| format!("reading {}", db.display()))?)
    } else {
        None
    };
    Ok(RestorePlan {
        version,
        current,
        incoming,
    })
}

fn describe(s: &Summary, lang: Lang) -> String {
    let audit = match &s.last_audit {
        Some((seq, at, actor, action)) => format!("#{seq} {at} {actor} {action}"),
        None => lang.t("なし", "none").to_string(),
    };
    let id = s.database_id.clone().unwrap_or_else(|| {
        lang.t("なし（古い形式）", "none (older format)")
            .to_string()
    });
    match lang {
        Lang::Ja => format!(
            "事業所 {} 件、最後の監査記録 {audit}、データベースID {id}{}",
            s.facilities,
            if s.demo { "（デモ）" } else { "" }
        ),
        Lang::En => format!(
            "{} facilities, last audit record {audit}, database id {id}{}",
            s.facilities,
            if s.demo { " (demo)" } else { "" }
        ),
    }
}

/// The lines shown before a restore.
pub fn plan_text(db: &Path, file: &Path, plan: &RestorePlan, lang: Lang) -> String {
    let current = match &plan.current {
        Some(c) => describe(c, lang),
        None => lang
            .t("（まだありません）", "(does not exist yet)")
            .to_string(),
    };
    format!(
        "{} {}\n  {current}\n{} {}\n  {}\n",
        lang.t("置き換えるデータベース:", "database to be replaced:"),
        db.display(),
        lang.t("復元するバックアップ:", "backup to restore:"),
        file.display(),
        describe(&plan.incoming, lang)
    )
}

/// What a restore did.
#[derive(Debug)]
pub struct Restored {
    pub version: i64,
    /// The verified copy of the replaced database.
    pub kept: Option<PathBuf>,
}

/// `<backup dir>/before-restore-YYYYMMDD-HHMMSS[-N].db`: not a generation, so backup
/// rotation never removes it.
fn keep_path(dir: &Path) -> PathBuf {
    let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S").to_string();
    let mut path = dir.join(format!("before-restore-{stamp}.db"));
    let mut n = 1;
    while path.symlink_metadata().is_ok() {
        path = dir.join(format!("before-restore-{stamp}-{n}.db"));
        n += 1;
    }
    path
}

/// Replaces the live database with the verified backup `file`, keeping the replaced one
/// as a verified copy in `<db dir>/backups`, and audits the restore. Refuses a backup of
/// another database unless `force_other_database`. The caller has asked for confirmation.
pub fn restore(
    db: &Path,
    file: &Path,
    force_other_database: bool,
    lang: Lang,
) -> anyhow::Result<Restored> {
    let plan = plan_restore(db, file, lang)?;
    if !plan.same_database() && !force_other_database {
        bail!("{}", other_database_message(db, file, &plan, lang));
    }
    let kept = match &plan.current {
        Some(_) => {
            let dir = default_backup_dir(db);
            private_fs::create_private_dir_all(&dir)
                .with_context(|| format!("creating {}", dir.display()))?;
            Some(keep_path(&dir))
        }
        None => None,
    };
    let previous = audit::read_anchor(&audit::anchor_path(db)).ok().flatten();
    let done = backup::restore_into(db, file, kept.as_deref())
        .with_context(|| format!("restoring {} into {}", file.display(), db.display()))?;
    if !done {
        bail!("{}", sessions_open_message(db, lang));
    }
    let mut store = Store::open(db)?;
    let mut from = file.display().to_string();
    if let Some(id) = &plan.incoming.database_id {
        from.push_str(&format!(" (database id {id})"));
    }
    if let Some(k) = &kept {
        from.push_str(&format!("; replaced database kept as {}", k.display()));
    }
    maintenance::record_restore(&mut store, &from, previous.as_ref())?;
    Ok(Restored {
        version: plan.version,
        kept,
    })
}

fn other_database_message(db: &Path, file: &Path, plan: &RestorePlan, lang: Lang) -> String {
    let id = |s: Option<&Summary>| {
        s.and_then(|s| s.database_id.clone())
            .unwrap_or_else(|| lang.t("なし", "none").to_string())
    };
    match lang {
        Lang::Ja => format!(
            "{} は別のデータベース（ID {}）のバックアップで、{}（ID {}）のものではないため復元しません。上の内容を確かめ、それでも置き換えるなら --force-other-database を付けてください",
            file.display(),
            id(Some(&plan.incoming)),
            db.display(),
            id(plan.current.as_ref())
        ),
        Lang::En => format!(
            "{} is a backup of another database (id {}), not of {} (id {}); check the summary above and add --force-other-database if it should replace it anyway",
            file.display(),
            id(Some(&plan.incoming)),
            db.display(),
            id(plan.current.as_ref())
        ),
    }
}

/// Refusal while other sessions have the database open (restore, demo --force).
pub fn sessions_open_message(db: &Path, lang: Lang) -> String {
    match lang {
        Lang::Ja => format!(
            "{} を開いている daicho のセッションがあります。全員に終了してもらってからやり直してください",
            db.display()
        ),
        Lang::En => format!(
            "other daicho sessions have {} open; ask everyone to quit, then retry",
            db.display()
        ),
    }
}

/// Asks on the terminal; without one, refuses and says to add `--yes`.
pub fn confirm(question: &str, lang: Lang) -> anyhow::Result<()> {
    if !std::io::stdin().is_terminal() {
        bail!(
            "{}",
            lang.t(
                "確認できる端末がないため中止しました。スクリプトから実行するときは --yes を付けてください",
                "no terminal to confirm on, so nothing was done; add --yes when running from a script"
            )
        );
    }
    eprint!("{question} [y/N] ");
    std::io::stderr().flush()?;
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    if !matches!(line.trim().to_ascii_lowercase().as_str(), "y" | "yes") {
        bail!(
            "{}",
            lang.t("中止しました", "cancelled; nothing was changed")
        );
    }
    Ok(())
}

pub fn run_restore(cli: &Cli, args: &RestoreArgs) -> anyhow::Result<()> {
    let lang = cli.lang();
    let db = store::resolve_db_path(cli.db.as_deref(), None);
    private_fs::clean_beside_db(&db);
    let plan = plan_restore(&db, &args.file, lang)?;
    print!("{}", plan_text(&db, &args.file, &plan, lang));
    if !plan.same_database() && !args.force_other_database {
        bail!("{}", other_database_message(&db, &args.file, &plan, lang));
    }
    if !args.yes {
        confirm(
            lang.t(
                "このバックアップでデータベースを置き換えますか？",
                "Replace the database with this backup?",
            ),
            lang,
        )?;
    }
    let done = restore(&db, &args.file, args.force_other_database, lang)?;
    match lang {
        Lang::Ja => println!(
            "{} を {} から復元しました（スキーマ {}）。監査ログに記録しました",
            db.display(),
            args.file.display(),
            done.version
        ),
        Lang::En => println!(
            "restored {} from {} (schema {}); the restore is recorded in the audit log",
            db.display(),
            args.file.display(),
            done.version
        ),
    }
    if let Some(k) = &done.kept {
        println!(
            "{} {}",
            lang.t(
                "置き換える前のデータベースの確認済みコピー:",
                "verified copy of the replaced database:"
            ),
            k.display()
        );
    }
    Ok(())
}
