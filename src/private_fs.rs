//! Files and directories daicho creates: owner-only whatever the umask, never through a
//! symlink, and the temporary files of a killed run found and removed by the next one.
//!
//! Leftover detection is Linux-only (`/proc`): elsewhere nothing is removed.

use std::fs::{DirBuilder, File, OpenOptions};
use std::io;
use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

/// A new, empty file only the owner can read and write; fails if anything (file,
/// symlink, FIFO) already has that name.
pub fn create_private_file(path: &Path) -> io::Result<File> {
    let file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC)
        .mode(0o600)
        .open(path)?;
    file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    Ok(file)
}

/// Creates `dir` and any missing parents with mode 0700 regardless of the umask.
/// Directories that already exist keep their mode.
pub fn create_private_dir_all(dir: &Path) -> io::Result<()> {
    if dir.as_os_str().is_empty() || dir.is_dir() {
        return Ok(());
    }
    if let Some(parent) = dir.parent() {
        create_private_dir_all(parent)?;
    }
    match DirBuilder::new().mode(0o700).create(dir) {
        Ok(()) => std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700)),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists && dir.is_dir() => Ok(()),
        Err(e) => Err(e),
    }
}

/// `Some(alive)` when the process table can be read (`/proc`), else `None`.
fn process_alive(pid: u32) -> Option<bool> {
    if !Path::new("/proc/self").exists() {
        return None;
    }
    Some(Path::new(&format!("/proc/{pid}")).exists())
}

fn own_uid() -> Option<u32> {
    std::fs::metadata("/proc/self").ok().map(|m| m.uid())
}

/// Removes the files in `dir` that a dead daicho process left: `pid_of(name)` returns
/// the creating process's id for names in one of our exact temporary patterns; only
/// regular files owned by this account whose process is gone are removed.
/// Returns the removed paths.
pub fn remove_leftovers(dir: &Path, pid_of: impl Fn(&str) -> Option<u32>) -> Vec<PathBuf> {
    let mut removed = Vec::new();
    let (Some(uid), Ok(entries)) = (own_uid(), std::fs::read_dir(dir)) else {
        return removed;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(&pid_of) else {
            continue;
        };
        if pid == std::process::id() || process_alive(pid) != Some(false) {
            continue;
        }
        let path = entry.path();
        let Ok(meta) = std::fs::symlink_metadata(&path) else {
            continue;
        };
        if meta.file_type().is_file() && meta.uid() == uid && std::fs::remove_file(&path).is_ok() {
            removed.push(path);
        }
    }
    removed
}

/// The pid in `<prefix><pid><suffix>` where `<pid>` is decimal digits only.
pub fn pid_between(name: &str, prefix: &str, suffix: &str) -> Option<u32> {
    let digits = name.strip_prefix(prefix)?.strip_suffix(suffix)?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// Removes what killed runs left beside the database `db`: the audit anchor's
/// temporary files (`<db>.audit-head.tmp<pid>`).
pub fn clean_beside_db(db: &Path) -> Vec<PathBuf> {
    let Some(name) = db.file_name().and_then(|n| n.to_str()) else {
        return Vec::new();
    };
    let dir = db
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let prefix = format!("{name}.audit-head.tmp");
    remove_leftovers(dir, |n| pid_between(n, &prefix, ""))
}

/// fsyncs a directory so a rename or unlink in it survives power loss.
pub fn sync_dir(dir: &Path) -> io::Result<()> {
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    File::open(dir)?.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_directories_are_0700() {
        // (umask 000 is tried in the fault matrix, 11.14: the umask is process-wide.)
        let dir = tempfile::tempdir().unwrap();
        let deep = dir.path().join("a/b/c");
        create_private_dir_all(&deep).unwrap();
        for d in ["a", "a/b", "a/b/c"] {
            let mode = std::fs::metadata(dir.path().join(d))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o700, "{d}");
        }
        create_private_dir_all(&deep).unwrap();
    }

    #[test]
    fn private_file_refuses_an_existing_symlink() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim");
        std::fs::write(&victim, b"keep").unwrap();
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&victim, &link).unwrap();
        assert!(create_private_file(&link).is_err());
        assert_eq!(std::fs::read(&victim).unwrap(), b"keep");
    }

    #[test]
    fn only_dead_processes_files_in_our_pattern_go() {
        let dir = tempfile::tempdir().unwrap();
        // A pid above the kernel's maximum is never alive.
        let dead = 4_194_305u32;
        let mine = std::process::id();
        let stale = dir.path().join(format!("x.db.audit-head.tmp{dead}"));
        let live = dir.path().join(format!("x.db.audit-head.tmp{mine}"));
        let other = dir.path().join(format!("x.db.audit-head.tmp{dead}x"));
        for p in [&stale, &live, &other] {
            std::fs::write(p, b"1 abc").unwrap();
        }
        let removed = clean_beside_db(&dir.path().join("x.db"));
        if Path::new("/proc/self").exists() {
            assert_eq!(removed, vec![stale.clone()]);
            assert!(!stale.exists());
        }
        assert!(live.exists() && other.exists());
    }
}
