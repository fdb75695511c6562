//! Writing a list the user asked to export (ledger, inbox): the folder is created 0700,
//! a file already there is kept as `<path>.bak` (the user said yes to replacing it), and
//! the new one is written atomically.

use super::reply::Reply;
use crate::jobs::formats::private_file;
use crate::store::{Result, StoreError};
use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};

/// Rows written and rows with characters the encoding could not hold.
pub type Written = (usize, usize);

/// Writes `path` with `write`; returns what was written and the backup made, if any.
pub fn write(
    path: &Path,
    fill: impl FnOnce(&mut BufWriter<File>) -> Result<Written>,
) -> Result<(Written, Option<PathBuf>)> {
    use std::os::unix::fs::DirBuilderExt;
    if let Some(dir) = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty() && !d.exists())
    {
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)?;
    }
    let backup = if path.exists() {
        let mut b = path.as_os_str().to_owned();
        b.push(".bak");
        let b = PathBuf::from(b);
        std::fs::copy(path, &b)?;
        Some(b)
    } else {
        None
    };
    let written = private_file::write_atomically::<_, StoreError>(path, fill)?;
    Ok((written, backup))
}

/// What the screen is told after an export.
pub fn reply(path: PathBuf, result: Result<(Written, Option<PathBuf>)>) -> Reply {
    match result {
        Ok(((rows, unmappable), backup)) => Reply::Exported {
            path,
            rows,
            unmappable,
            backup,
        },
        Err(e) => Reply::Failed {
            what: "export",
            message: format!("{}: {e}", path.display()),
        },
    }
}
