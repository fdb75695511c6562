//! Online backup and restore with SQLite's backup API.
//!
//! A backup copies a consistent snapshot while other sessions keep working; the copy is
//! checked (`PRAGMA integrity_check`), fsynced and only then renamed to its final name.
//! A restore first takes an exclusive lock on the live database — which fails while any
//! other daicho session has it open — and then copies the backup *into* the live file
//! through the backup API, so the WAL and shared-memory files stay consistent.

use super::{Result, StoreError, migrations};
use rusqlite::backup::Backup;
use rusqlite::{Connection, OpenFlags, OptionalExtension};
use std::path::Path;
use std::time::Duration;

const PAGES_PER_STEP: std::ffi::c_int = 256;
const PAUSE: Duration = Duration::from_millis(5);

use super::open::create_private_file;

/// Copies the database behind `src` into the new file `dest` (created 0600).
pub fn backup_to(src: &Connection, dest: &Path) -> Result<()> {
    create_private_file(dest)?;
    let mut out = Connection::open(dest)?;
    copy_pages(src, &mut out, STUCK_AFTER)?;
    out.close().map_err(|(_, e)| StoreError::Sqlite(e))?;
    Ok(())
}

/// How long a copy may make no progress (the other side locked) before it gives up.
const STUCK_AFTER: Duration = Duration::from_secs(30);

/// Copies every page of `src` into `dst`. Unlike rusqlite's `run_to_completion`, which
/// retries a locked database forever, this fails after `stuck_after` without progress.
fn copy_pages(src: &Connection, dst: &mut Connection, stuck_after: Duration) -> Result<()> {
    use rusqlite::backup::StepResult;
    let b = Backup::new(src, dst)?;
    let mut last_progress = std::time::Instant::now();
    loop {
        match b.step(PAGES_PER_STEP)? {
            StepResult::Done => return Ok(()),
            StepResult::More => last_progress = std::time::Instant::now(),
            StepResult::Busy | StepResult::Locked => {
                if last_progress.elapsed() >= stuck_after {
                    return Err(StoreError::Invalid(format!(
                        "the database stayed locked for {} s; close other daicho sessions and tools using it, then retry",
                        stuck_after.as_secs()
                    )));
                }
                std::thread::sleep(PAUSE);
            }
            _ => std::thread::sleep(PAUSE),
        }
    }
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

/// What a database file holds, shown before a restore replaces one with another.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    pub database_id: Option<String>,
    pub facilities: i64,
    pub demo: bool,
    /// The newest audit record: seq, time, actor, action.
    pub last_audit: Option<(i64, String, String, String)>,
}

/// Reads [`Summary`] from the daicho database at `path` without changing it.
pub fn summarize(path: &Path) -> Result<Summary> {
    let conn =
        Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY).map_err(|source| {
            StoreError::Open {
                path: path.to_path_buf(),
                source,
            }
        })?;
    let facilities = conn.query_row("SELECT count(*) FROM facility", [], |r| r.get(0))?;
    let last_audit = conn
        .query_row(
            "SELECT seq, at, actor, action FROM audit_log ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?;
    Ok(Summary {
        database_id: super::meta::database_id(&conn)?,
        facilities,
        demo: super::meta::is_demo(&conn)?,
        last_audit,
    })
}

/// Replaces the live database at `live` with the contents of `src`; `Ok(false)` (and
/// nothing changed) while another connection has `live` open. With `keep`, the replaced
/// contents are first copied there (0600) and that copy verified — under the same
/// exclusive lock, so no session can write in between.
pub fn restore_into(live: &Path, src: &Path, keep: Option<&Path>) -> Result<bool> {
    let Some(mut dst) = lock_exclusively(live)? else {
        return Ok(false);
    };
    if let Some(keep) = keep {
        backup_to(&dst, keep)?;
        if let Err(e) = integrity_check(keep) {
            let _ = std::fs::remove_file(keep);
            return Err(e);
        }
        std::fs::File::open(keep)?.sync_all()?;
    }
    let from = Connection::open_with_flags(src, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    copy_pages(&from, &mut dst, STUCK_AFTER)?;
    dst.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")?;
    Ok(true)
}

/// Opens `live` holding an exclusive lock until the connection closes; `None` at once
/// while any other connection (a daicho session) has the database open.
pub fn lock_exclusively(live: &Path) -> Result<Option<Connection>> {
    let dst = super::open::connect(live)?;
    dst.busy_timeout(Duration::ZERO)?;
    match dst.execute_batch("PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE; COMMIT;") {
        Ok(()) => Ok(Some(dst)),
        Err(rusqlite::Error::SqliteFailure(e, _))
            if matches!(
                e.code,
                rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked
            ) =>
        {
            Ok(None)
        }
        Err(e) => Err(e.into()),
    }
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
        assert!(!restore_into(&live, &copy, None).unwrap());
        drop(store);
        assert!(restore_into(&live, &copy, None).unwrap());
    }

    /// Regression (11.11): a copy into a locked database retried forever.
    #[test]
    fn a_locked_copy_gives_up() {
        let dir = tempfile::tempdir().unwrap();
        let src = Store::create(&dir.path().join("src.db")).unwrap();
        let dest = dir.path().join("dest.db");
        let holder = Connection::open(&dest).unwrap();
        holder
            .execute_batch("CREATE TABLE t(a); PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE;")
            .unwrap();
        let mut out = Connection::open(&dest).unwrap();
        out.busy_timeout(Duration::ZERO).unwrap();
        let started = std::time::Instant::now();
        let err = copy_pages(src.conn(), &mut out, Duration::from_millis(200)).unwrap_err();
        assert!(err.to_string().contains("stayed locked"), "{err}");
        assert!(started.elapsed() < Duration::from_secs(5));
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
