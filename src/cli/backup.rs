//! `daicho backup` and `daicho restore`.

use super::Cli;
use crate::service::maintenance;
use crate::store::{self, Store, audit, backup};
use anyhow::{Context, bail};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

/// Generations kept by default: two weeks of nightly backups.
pub const DEFAULT_KEEP: usize = 14;

#[derive(Debug, clap::Args)]
pub struct BackupArgs {
    /// Backup directory (default: <db dir>/backups, created 0700).
    #[arg(long)]
    pub dir: Option<PathBuf>,
    /// Generations to keep; older daicho-*.db files in the directory are removed.
    #[arg(long, default_value_t = DEFAULT_KEEP)]
    pub keep: usize,
}

#[derive(Debug, clap::Args)]
pub struct RestoreArgs {
    /// Backup file made by `daicho backup`.
    pub file: PathBuf,
}

/// `<db dir>/backups`.
pub fn default_backup_dir(db: &Path) -> PathBuf {
    db.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .join("backups")
}

fn ensure_private_dir(dir: &Path) -> anyhow::Result<()> {
    if !dir.exists() {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
    }
    Ok(())
}

/// Backup files in `dir`, oldest first (names sort by time).
pub fn generations(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("daicho-") && n.ends_with(".db"))
        })
        .collect();
    files.sort();
    Ok(files)
}

/// Makes one backup of `db` in `dir`, keeps `keep` generations; returns the new file.
pub fn make_backup(db: &Path, dir: &Path, keep: usize) -> anyhow::Result<PathBuf> {
    if !db.exists() {
        bail!("no database at {}", db.display());
    }
    ensure_private_dir(dir)?;
    let tmp = dir.join(format!(".daicho-backup-{}.tmp", std::process::id()));
    let _ = std::fs::remove_file(&tmp);
    let src = Store::open(db).with_context(|| format!("opening {}", db.display()))?;
    backup::backup_to(src.conn(), &tmp)
        .with_context(|| format!("copying {} to {}", db.display(), tmp.display()))?;
    drop(src);
    if let Err(e) = backup::integrity_check(&tmp) {
        let _ = std::fs::remove_file(&tmp);
        bail!("backup copy failed its integrity check, removed: {e}");
    }
    std::fs::File::open(&tmp)?.sync_all()?;
    let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S").to_string();
    let mut target = dir.join(format!("daicho-{stamp}.db"));
    let mut n = 1;
    while target.exists() {
        target = dir.join(format!("daicho-{stamp}-{n}.db"));
        n += 1;
    }
    std::fs::rename(&tmp, &target)?;
    std::fs::File::open(dir)?.sync_all()?;
    let files = generations(dir)?;
    let excess = files.len().saturating_sub(keep.max(1));
    for old in &files[..excess] {
        std::fs::remove_file(old)
            .with_context(|| format!("removing old backup {}", old.display()))?;
    }
    Ok(target)
}

/// Verifies `file`, replaces the live database with it and audits the restore.
pub fn restore(db: &Path, file: &Path) -> anyhow::Result<i64> {
    if !file.exists() {
        bail!("no backup file at {}", file.display());
    }
    let version =
        backup::check_daicho_file(file).with_context(|| format!("checking {}", file.display()))?;
    let previous = audit::read_anchor(&audit::anchor_path(db)).ok().flatten();
    backup::restore_into(db, file)
        .with_context(|| format!("restoring {} into {}", file.display(), db.display()))?;
    let mut store = Store::open(db)?;
    maintenance::record_restore(&mut store, &file.display().to_string(), previous.as_ref())?;
    Ok(version)
}

pub fn run_backup(cli: &Cli, args: &BackupArgs) -> anyhow::Result<()> {
    let db = store::resolve_db_path(cli.db.as_deref(), None);
    let dir = args.dir.clone().unwrap_or_else(|| default_backup_dir(&db));
    let file = make_backup(&db, &dir, args.keep)?;
    println!(
        "backup of {} written to {} (keeping {} generations)",
        db.display(),
        file.display(),
        args.keep
    );
    Ok(())
}

pub fn run_restore(cli: &Cli, args: &RestoreArgs) -> anyhow::Result<()> {
    let db = store::resolve_db_path(cli.db.as_deref(), None);
    let version = restore(&db, &args.file)?;
    println!(
        "restored {} from {} (schema {version}); the restore is recorded in the audit log",
        db.display(),
        args.file.display()
    );
    Ok(())
}
