//! Online backup and restore with SQLite's backup API.
//!
//! A backup copies a consistent snapshot while other sessions keep working; the copy is
//! checked (`PRAGMA integrity_check`), fsynced and only then renamed to its final name.
//! A restore first takes an exclusive lock on the live database — which fails while any
//! other daicho session has it open — and then copies the backup *into* the live file
//! through the backup API, so the WAL and shared-memory files stay consistent.

use super::{Result, StoreError, migrations};
use rusqlite::backup::Backup;
use rusqlite::{Connection, OpenFlags};
use std::path::Path;
use std::time::Duration;

const PAGES_PER_STEP: std::ffi::c_int = 256;
const PAUSE: Duration = Duration::from_millis(5);

use super::open::create_private_file;

/// Copies the database behind `src` into the new file `dest` (created 0600).
pub fn backup_to(src: &Connection, dest: &Path) -> Result<()> {
    create_private_file(dest)?;
    let mut out = Connection::open(dest)?;
    {
        let b = Backup::new(src, &mut out)?;
        b.run_to_completion(PAGES_PER_STEP, PAUSE, None)?;
    }
    out.close().map_err(|(_, e)| StoreError::Sqlite(e))?;
    Ok(())
}

/// `PRAGMA integrity_check` of the file at `path`: Ok(()) or the problems it lists.
pub fn integrity_check(path: &Path) -> Result<()> {
    let conn =
        Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_WRITE).map_err(|source| {
            StoreError::Open {
                path: path.to_path_buf(),
                source,
            }
        })?;
    let mut st = conn.prepare("PRAGMA integrity_check")?;
    let lines: Vec<String> = st
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()
        .map_err(|source| StoreError::Open {
            path: path.to_path_buf(),
            source,
        })?;
    if lines == ["ok"] {
        Ok(())
    } else {
        Err(StoreError::Invalid(format!(
            "{}: integrity check failed: {}",
            path.display(),
            lines.join("; ")
        )))
    }
}

/// Checks that `path` is an intact daicho database this build can open; returns its
/// schema version.
pub fn check_daicho_file(path: &Path) -> Result<i64> {
    integrity_check(path)?;
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_WRITE)?;
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let tables: i64 = conn.query_row(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table'
         AND name IN ('app_meta', 'user_account', 'facility', 'audit_log')",
        [],
        |r| r.get(0),
    )?;
    if tables != 4 || version < 1 {
        return Err(StoreError::Invalid(format!(
            "{} is not a daicho database",
            path.display()
        )));
    }
    if version > migrations::latest() {
        return Err(StoreError::NewerSchema {
            found: version,
            supported: migrations::latest(),
        });
    }
    Ok(version)
}

/// Replaces the live database at `live` with the contents of `src`. Fails with a clear
/// message if another connection has `live` open.
pub fn restore_into(live: &Path, src: &Path) -> Result<()> {
    let mut dst = super::open::connect(live)?;
    dst.busy_timeout(Duration::ZERO)?;
    let locked = dst.execute_batch("PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE; COMMIT;");
    if let Err(e) = locked {
        return Err(StoreError::Invalid(format!(
            "other daicho sessions are open on {} ({e}); ask everyone to quit, then retry",
            live.display()
        )));
    }
    let from = Connection::open_with_flags(src, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    {
        let b = Backup::new(&from, &mut dst)?;
        b.run_to_completion(PAGES_PER_STEP, PAUSE, None)?;
    }
    dst.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")?;
    Ok(())
}

/// Checkpoints and truncates the WAL so the main file holds every commit.
pub fn checkpoint(conn: &Connection) -> Result<()> {
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    #[test]
    fn restore_refuses_while_another_session_is_open() {
        let dir = tempfile::tempdir().unwrap();
        let live = dir.path().join("live.db");
        let copy = dir.path().join("copy.db");
        let store = Store::create(&live).unwrap();
        backup_to(store.conn(), &copy).unwrap();
        assert_eq!(check_daicho_file(&copy).unwrap(), migrations::latest());
        let err = restore_into(&live, &copy).unwrap_err().to_string();
        assert!(err.contains("other daicho sessions are open"), "{err}");
        drop(store);
        restore_into(&live, &copy).unwrap();
    }

    #[test]
    fn a_non_daicho_file_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let other = dir.path().join("other.db");
        Connection::open(&other)
            .unwrap()
            .execute_batch("CREATE TABLE x(a)")
            .unwrap();
        let err = check_daicho_file(&other).unwrap_err().to_string();
        assert!(err.contains("not a daicho database"), "{err}");
    }
}
