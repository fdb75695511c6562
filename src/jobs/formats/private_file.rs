//! Writing an output file safely: a new temporary file beside the target, created
//! exclusively (never through an existing name or symlink) with mode 0600 (it may hold
//! personal data), fsynced, then renamed over the target and the directory fsynced — a
//! failed or killed write never leaves a half file under the real name, and only a
//! regular file is ever replaced (never a symlink, FIFO, device or directory).
//!
//! The temporary name is `.NAME.PID-RANDOM.partial`; one left by a killed process is
//! removed by the next write into the same directory.

use crate::i18n::Lang;
use crate::store::private_fs;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

/// A temporary file being written; removed when dropped unless persisted.
pub struct PartialFile {
    path: Option<PathBuf>,
    dir: PathBuf,
    file: File,
}

fn tmp_prefix(name: &str) -> String {
    format!(".{name}.")
}

const TMP_SUFFIX: &str = ".partial";

/// The pid in `.NAME.PID-HEX16.partial`.
fn partial_pid(file: &str, name: &str) -> Option<u32> {
    let middle = file
        .strip_prefix(&tmp_prefix(name))?
        .strip_suffix(TMP_SUFFIX)?;
    let (pid, random) = middle.split_once('-')?;
    if random.len() != 16 || !random.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    private_fs::pid_between(pid, "", "")
}

impl PartialFile {
    /// A new temporary file in `dir` for the file `name`; first removes the ones killed
    /// processes left for the same name.
    pub fn create(dir: &Path, name: &str) -> io::Result<PartialFile> {
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        private_fs::remove_leftovers(dir, |f| partial_pid(f, name));
        let path = dir.join(format!(
            "{}{}-{:016x}{TMP_SUFFIX}",
            tmp_prefix(name),
            std::process::id(),
            rand::random::<u64>()
        ));
        let file = private_fs::create_private_file(&path)?;
        Ok(PartialFile {
            path: Some(path),
            dir: dir.to_path_buf(),
            file,
        })
    }

    pub fn file(&mut self) -> &mut File {
        &mut self.file
    }

    pub fn path(&self) -> &Path {
        self.path.as_deref().unwrap_or(Path::new(""))
    }

    /// Renames the (fsynced) file over `target`, which must be absent or a regular file.
    pub fn persist(mut self, target: &Path, lang: Lang) -> io::Result<()> {
        self.file.sync_all()?;
        check_target(target, lang)?;
        if let Some(path) = self.path.take() {
            std::fs::rename(&path, target).inspect_err(|_| {
                let _ = std::fs::remove_file(&path);
            })?;
        }
        private_fs::sync_dir(&self.dir)
    }

    /// Links the (fsynced) file under the first of `name(0)`, `name(1)`, … that does not
    /// exist yet — never replacing a file — and returns that path.
    pub fn persist_new(mut self, name: impl Fn(u32) -> String) -> io::Result<PathBuf> {
        self.file.sync_all()?;
        let mut n = 0;
        let target = loop {
            let target = self.dir.join(name(n));
            match std::fs::hard_link(self.path(), &target) {
                Ok(()) => break target,
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists && n < 10_000 => n += 1,
                Err(e) => return Err(e),
            }
        };
        if let Some(path) = self.path.take() {
            std::fs::remove_file(path)?;
        }
        private_fs::sync_dir(&self.dir)?;
        Ok(target)
    }
}

impl Drop for PartialFile {
    fn drop(&mut self) {
        if let Some(path) = self.path.take() {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// Refuses an output path that exists and is not a regular file.
pub fn check_target(path: &Path, lang: Lang) -> io::Result<()> {
    let meta = match std::fs::symlink_metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e),
    };
    use std::os::unix::fs::FileTypeExt;
    let t = meta.file_type();
    let what = if t.is_file() {
        return Ok(());
    } else if t.is_symlink() {
        lang.t("シンボリックリンク", "a symbolic link")
    } else if t.is_dir() {
        lang.t("ディレクトリ", "a directory")
    } else if t.is_fifo() {
        lang.t("名前付きパイプ（FIFO）", "a named pipe (FIFO)")
    } else if t.is_char_device() || t.is_block_device() {
        lang.t("デバイスファイル", "a device file")
    } else {
        lang.t("通常のファイルではないもの", "not a regular file")
    };
    Err(io::Error::new(
        io::ErrorKind::InvalidInput,
        match lang {
            Lang::Ja => format!(
                "{} は{what}のため書き出しません。通常のファイルの名前を指定してください",
                path.display()
            ),
            Lang::En => format!(
                "{} is {what}, so nothing was written to it; give the name of a regular file",
                path.display()
            ),
        },
    ))
}

/// Writes `path` through a [`PartialFile`]; messages in the locale's language.
pub fn write_atomically<T, E: From<io::Error>>(
    path: &Path,
    fill: impl FnOnce(&mut BufWriter<File>) -> Result<T, E>,
) -> Result<T, E> {
    write_atomically_in(path, Lang::from_env(), fill)
}

/// Writes `path` through a [`PartialFile`]: complete and 0600, or unchanged.
pub fn write_atomically_in<T, E: From<io::Error>>(
    path: &Path,
    lang: Lang,
    fill: impl FnOnce(&mut BufWriter<File>) -> Result<T, E>,
) -> Result<T, E> {
    check_target(path, lang)?;
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "no file name"))?;
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut partial = PartialFile::create(dir, name)?;
    let mut out = BufWriter::with_capacity(1 << 16, partial.file().try_clone()?);
    let value = fill(&mut out)?;
    out.flush()?;
    drop(out);
    partial.persist(path, lang)?;
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn private_complete_or_absent() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.csv");
        write_atomically::<_, io::Error>(&path, |w| w.write_all(b"ok")).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"ok");
        assert_eq!(
            std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o600
        );
        let failed = dir.path().join("failed.csv");
        let r: Result<(), io::Error> = write_atomically(&failed, |w| {
            w.write_all(b"half")?;
            Err(io::Error::other("disk full"))
        });
        assert!(r.is_err());
        assert!(!failed.exists());
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no partial file left"
        );
    }

    /// Regression (11.13): `NAME.partial` was opened through an attacker's symlink.
    #[test]
    fn an_old_style_partial_symlink_is_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim");
        std::fs::write(&victim, b"precious").unwrap();
        let path = dir.path().join("out.csv");
        std::os::unix::fs::symlink(&victim, dir.path().join("out.csv.partial")).unwrap();
        write_atomically::<_, io::Error>(&path, |w| w.write_all(b"csv")).unwrap();
        assert_eq!(std::fs::read(&victim).unwrap(), b"precious");
        assert_eq!(std::fs::read(&path).unwrap(), b"csv");
    }

    #[test]
    fn non_regular_targets_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim");
        std::fs::write(&victim, b"precious").unwrap();
        let link = dir.path().join("link.csv");
        std::os::unix::fs::symlink(&victim, &link).unwrap();
        let r = write_atomically_in::<_, io::Error>(&link, Lang::En, |w| w.write_all(b"x"));
        let err = r.unwrap_err().to_string();
        assert!(
            err.contains("symbolic link") && err.contains("link.csv"),
            "{err}"
        );
        assert!(link.symlink_metadata().unwrap().file_type().is_symlink());
        let r = write_atomically_in::<_, io::Error>(dir.path(), Lang::Ja, |w| w.write_all(b"x"));
        assert!(r.unwrap_err().to_string().contains("ディレクトリ"));
        let r = write_atomically_in::<_, io::Error>(Path::new("/dev/null"), Lang::En, |w| {
            w.write_all(b"x")
        });
        assert!(r.unwrap_err().to_string().contains("device file"));
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
    }

    #[test]
    fn a_dead_processes_partial_is_removed_by_the_next_write() {
        let dir = tempfile::tempdir().unwrap();
        let stale = dir.path().join(".out.csv.4194305-0123456789abcdef.partial");
        let foreign = dir.path().join(".out.csv.4194305-nothex.partial");
        std::fs::write(&stale, b"personal data").unwrap();
        std::fs::write(&foreign, b"not ours").unwrap();
        write_atomically::<_, io::Error>(&dir.path().join("out.csv"), |w| w.write_all(b"x"))
            .unwrap();
        if Path::new("/proc/self").exists() {
            assert!(!stale.exists());
        }
        assert!(foreign.exists());
    }
}
