//! The spool: the folders the sync jobs read from and write to. By default
//! `<folder of the database>/spool`, all 0700:
//! `inbox/` (files to import; `inbox/consent/` for consent files), `done/` (imported
//! files), `quarantine/` (refused files and rows with their reason files), `outbox/`
//! (export files).

use crate::jobs::formats::private_file;
use crate::private_fs;
use std::io;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone)]
pub struct Spool {
    pub root: PathBuf,
}

impl Spool {
    /// `dir`, else `spool/` beside the database.
    pub fn resolve(dir: Option<&Path>, db: &Path) -> Spool {
        let root = dir.map(Path::to_path_buf).unwrap_or_else(|| {
            db.parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new("."))
                .join("spool")
        });
        Spool { root }
    }

    pub fn inbox(&self) -> PathBuf {
        self.root.join("inbox")
    }
    pub fn consent_inbox(&self) -> PathBuf {
        self.root.join("inbox").join("consent")
    }
    pub fn done(&self) -> PathBuf {
        self.root.join("done")
    }
    pub fn quarantine(&self) -> PathBuf {
        self.root.join("quarantine")
    }
    pub fn outbox(&self) -> PathBuf {
        self.root.join("outbox")
    }

    /// Creates every folder (0700) that is missing.
    pub fn ensure(&self) -> io::Result<()> {
        for d in [
            self.consent_inbox(),
            self.done(),
            self.quarantine(),
            self.outbox(),
        ] {
            private_fs::create_private_dir_all(&d)?;
        }
        Ok(())
    }

    /// The regular files waiting in `dir`, by name; names ending in `.part` or `.tmp` (a
    /// sender's file still being written) and anything not a regular file are left alone.
    pub fn waiting(dir: &Path) -> io::Result<Vec<PathBuf>> {
        let mut out = Vec::new();
        let entries = match std::fs::read_dir(dir) {
            Ok(e) => e,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(out),
            Err(e) => return Err(e),
        };
        for entry in entries {
            let entry = entry?;
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if name.ends_with(".part") || name.ends_with(".tmp") {
                continue;
            }
            if entry.file_type()?.is_file() {
                out.push(entry.path());
            }
        }
        out.sort();
        Ok(out)
    }

    /// Moves `from` into `dir` as `name` (replacing a file of that name left by a run
    /// that was killed after the move's copy), then syncs the folder.
    pub fn move_into(from: &Path, dir: &Path, name: &str) -> io::Result<PathBuf> {
        let target = dir.join(name);
        private_file::check_target(&target, crate::i18n::Lang::from_env())?;
        std::fs::rename(from, &target)?;
        private_fs::sync_dir(dir)?;
        if let Some(src_dir) = from.parent() {
            private_fs::sync_dir(src_dir)?;
        }
        Ok(target)
    }
}

impl Spool {
    /// Files in `done/`, `quarantine/` and `outbox/` last changed before `cutoff` (ISO
    /// date, local time): they hold personal data past retention (the outbox's consent
    /// requests name insured persons; its 国保連 files name care managers). Files still
    /// waiting in `inbox/` are not touched: nothing has read them yet.
    pub fn expired_files(&self, cutoff: &str) -> Vec<PathBuf> {
        let mut out = Vec::new();
        for dir in [self.done(), self.quarantine(), self.outbox()] {
            for path in Self::waiting(&dir).unwrap_or_default() {
                let old = std::fs::metadata(&path)
                    .and_then(|m| m.modified())
                    .map(|t| {
                        chrono::DateTime::<chrono::Local>::from(t)
                            .format("%Y-%m-%d")
                            .to_string()
                            .as_str()
                            < cutoff
                    })
                    .unwrap_or(false);
                if old {
                    out.push(path);
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn default_spool_is_beside_the_database_and_private() {
        let dir = tempfile::tempdir().unwrap();
        let s = Spool::resolve(None, &dir.path().join("daicho.db"));
        assert_eq!(s.root, dir.path().join("spool"));
        s.ensure().unwrap();
        for d in [
            s.root.clone(),
            s.inbox(),
            s.done(),
            s.quarantine(),
            s.outbox(),
        ] {
            let mode = std::fs::metadata(&d).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o700, "{}", d.display());
        }
        std::fs::write(s.inbox().join("c.csv.part"), "x").unwrap();
        std::fs::write(s.inbox().join("..\\etc"), "x").unwrap();
        std::fs::write(s.inbox().join("b.csv"), "x").unwrap();
        std::fs::write(s.inbox().join("a.csv"), "x").unwrap();
        let names: Vec<_> = Spool::waiting(&s.inbox())
            .unwrap()
            .into_iter()
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["..\\etc", "a.csv", "b.csv"]);
    }

    #[test]
    fn files_past_retention_are_found_in_every_folder_but_the_inbox() {
        let dir = tempfile::tempdir().unwrap();
        let s = Spool::resolve(None, &dir.path().join("daicho.db"));
        s.ensure().unwrap();
        let old = std::time::SystemTime::now() - std::time::Duration::from_secs(400 * 86_400);
        let mut expected = Vec::new();
        for (folder, name) in [
            (s.done(), "d.csv"),
            (s.quarantine(), "q.csv"),
            (s.outbox(), "consent-request-1.json"),
            (s.inbox(), "waiting.csv"),
            (s.consent_inbox(), "reply.json"),
        ] {
            let p = folder.join(name);
            std::fs::write(&p, "x").unwrap();
            std::fs::File::options()
                .write(true)
                .open(&p)
                .unwrap()
                .set_modified(old)
                .unwrap();
            if folder != s.inbox() && folder != s.consent_inbox() {
                expected.push(p);
            }
        }
        std::fs::write(s.outbox().join("new.csv"), "x").unwrap();
        let cutoff = (chrono::Local::now().date_naive() - chrono::Duration::days(30))
            .format("%Y-%m-%d")
            .to_string();
        let mut found = s.expired_files(&cutoff);
        found.sort();
        expected.sort();
        assert_eq!(found, expected);
    }
}
