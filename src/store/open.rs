//! Opening the database file: where it is, its file mode, and the pragmas every
//! connection needs.

use super::{Result, StoreError};
use rusqlite::{Connection, OpenFlags};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Another writer holds the lock for at most a few short transactions; wait that long.
pub const BUSY_TIMEOUT: Duration = Duration::from_millis(10_000);

/// `--db`, then `DAICHO_DB`, then the per-user default.
pub fn resolve_db_path(flag: Option<&Path>, env: Option<String>) -> PathBuf {
    flag.map(Path::to_path_buf)
        .or_else(|| env.filter(|s| !s.is_empty()).map(PathBuf::from))
        .unwrap_or_else(default_db_path)
}

/// `$XDG_DATA_HOME/daicho/daicho.db`, else `~/.local/share/daicho/daicho.db`.
pub fn default_db_path() -> PathBuf {
    let base = std::env::var_os("XDG_DATA_HOME")
        .filter(|s| !s.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")))
        .unwrap_or_else(|| PathBuf::from("."));
    base.join("daicho").join("daicho.db")
}

/// Creates the file with mode 0600 before SQLite opens it (SQLite would use the umask),
/// and its directory with 0700 when daicho creates it.
fn create_private(path: &Path) -> Result<()> {
    if let Some(dir) = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty() && !d.exists())
    {
        super::private_fs::create_private_dir_all(dir)?;
    }
    if !path.exists() {
        create_private_file(path)?;
    }
    Ok(())
}

/// A new, empty file only the owner can read (fails if it exists).
pub(crate) fn create_private_file(path: &Path) -> Result<()> {
    super::private_fs::create_private_file(path)?;
    Ok(())
}

/// `--db-key-file`, set once at start by the CLI.
static KEY_FILE: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();

/// Uses the key in `path` (first line) for every connection of this process.
pub fn set_key_file(path: PathBuf) {
    let _ = KEY_FILE.set(path);
}

/// The encryption key: `--db-key-file`, else `$DAICHO_DB_KEY`, else none.
fn db_key() -> Result<Option<String>> {
    if let Some(p) = KEY_FILE.get() {
        let text = std::fs::read_to_string(p)
            .map_err(|e| StoreError::Invalid(format!("reading key file {}: {e}", p.display())))?;
        return Ok(text
            .lines()
            .next()
            .map(str::to_owned)
            .filter(|k| !k.is_empty()));
    }
    Ok(std::env::var("DAICHO_DB_KEY")
        .ok()
        .filter(|k| !k.is_empty()))
}

/// Applies the key before the first read (SQLCipher builds only).
fn apply_key(conn: &Connection, path: &Path) -> Result<()> {
    let Some(key) = db_key()? else {
        return Ok(());
    };
    if !cfg!(feature = "sqlcipher") {
        return Err(StoreError::Invalid(format!(
            "{}: a database key is set (DAICHO_DB_KEY or --db-key-file) but this daicho was built without encryption (cargo build --features sqlcipher)",
            path.display()
        )));
    }
    conn.pragma_update(None, "key", &key)?;
    if conn
        .query_row("SELECT count(*) FROM sqlite_master", [], |_| Ok(()))
        .is_err()
    {
        return Err(StoreError::Invalid(format!(
            "{}: cannot decrypt database: wrong key or not encrypted",
            path.display()
        )));
    }
    Ok(())
}

/// How a database file may be opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Create the file if it is missing (demo, first admin); an existing file must be a
    /// daicho database or empty.
    Create,
    /// An existing daicho database, read and written (migrated if it is older).
    ReadWrite,
    /// An existing daicho database of any schema this build knows, to be copied as it is
    /// (backup): never migrated, never written, opened read-only if the file is.
    Copy,
    /// An existing daicho database at this build's schema, never written.
    ReadOnly,
}

/// What an opened file turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// No tables and no schema version: a new (or zero-length) file.
    Empty,
    /// A daicho database at this schema version.
    Daicho(i64),
}

/// The daicho tables present since schema 1; a file without them is someone else's.
const MARKER_TABLES: [&str; 4] = ["app_meta", "user_account", "facility", "audit_log"];

/// Raw connection that creates `path` if needed and checks nothing about its contents.
/// Only restore uses it: it overwrites the live file whatever that holds.
pub fn connect(path: &Path) -> Result<Connection> {
    create_private(path)?;
    let conn = raw_open(path, Mode::ReadWrite)?;
    apply_key(&conn, path)?;
    apply_pragmas(&conn).map_err(|e| open_error(path, e))?;
    Ok(conn)
}

fn open_error(path: &Path, e: StoreError) -> StoreError {
    match e {
        StoreError::Sqlite(source) => StoreError::Open {
            path: path.to_path_buf(),
            source,
        },
        other => other,
    }
}

fn raw_open(path: &Path, mode: Mode) -> Result<Connection> {
    let read_only_file = std::fs::metadata(path).is_ok_and(|m| m.permissions().readonly());
    let access = if mode == Mode::ReadOnly || (mode == Mode::Copy && read_only_file) {
        OpenFlags::SQLITE_OPEN_READ_ONLY
    } else {
        OpenFlags::SQLITE_OPEN_READ_WRITE
    };
    // No SQLITE_OPEN_CREATE: only `create_private` makes new files.
    let flags = access | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI;
    Connection::open_with_flags(path, flags).map_err(|source| StoreError::Open {
        path: path.to_path_buf(),
        source,
    })
}

/// Opens `path` in `mode` and says what it holds. Nothing is written to a file that is
/// not a daicho database (not even the switch to WAL), and a read-only open writes nothing.
pub fn connect_checked(path: &Path, mode: Mode) -> Result<(Connection, Kind)> {
    let full = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    if path.is_dir() {
        return Err(StoreError::NotSqlite { path: full });
    }
    if mode == Mode::Create {
        create_private(path).map_err(|e| match e {
            StoreError::Io(source) => StoreError::Create {
                path: full.clone(),
                source,
            },
            other => other,
        })?;
    } else if !path.exists() {
        return Err(StoreError::Missing { path: full });
    }
    let conn = raw_open(path, mode)?;
    apply_key(&conn, path)?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    register_functions(&conn)?;
    let kind = classify(&conn, &full)?;
    match (kind, mode) {
        (Kind::Empty, Mode::Create) => {}
        (Kind::Empty, _) => return Err(StoreError::NotDaicho { path: full }),
        (Kind::Daicho(found), _) if found > super::migrations::latest() => {
            return Err(StoreError::SchemaTooNew {
                path: full,
                found,
                supported: super::migrations::latest(),
            });
        }
        (Kind::Daicho(found), Mode::ReadOnly) if found < super::migrations::latest() => {
            return Err(StoreError::SchemaTooOld {
                path: full,
                found,
                supported: super::migrations::latest(),
            });
        }
        (Kind::Daicho(_), _) => {}
    }
    if matches!(mode, Mode::ReadOnly | Mode::Copy) {
        conn.execute_batch("PRAGMA query_only = ON; PRAGMA foreign_keys = ON;")?;
    } else {
        apply_pragmas(&conn).map_err(|e| open_error(path, e))?;
    }
    Ok((conn, kind))
}

/// Reads the header and the table list without writing anything.
fn classify(conn: &Connection, full: &Path) -> Result<Kind> {
    let probe = conn.query_row("PRAGMA schema_version", [], |r| r.get::<_, i64>(0));
    match probe {
        Err(rusqlite::Error::SqliteFailure(e, _))
            if e.code == rusqlite::ErrorCode::NotADatabase =>
        {
            return Err(StoreError::NotSqlite {
                path: full.to_path_buf(),
            });
        }
        Err(source) => {
            return Err(StoreError::Open {
                path: full.to_path_buf(),
                source,
            });
        }
        Ok(_) => {}
    }
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let objects: i64 = conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))?;
    if objects == 0 && version == 0 {
        return Ok(Kind::Empty);
    }
    let markers: i64 = conn.query_row(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN (?1, ?2, ?3, ?4)",
        MARKER_TABLES,
        |r| r.get(0),
    )?;
    if markers as usize != MARKER_TABLES.len() || version < 1 {
        return Err(StoreError::NotDaicho {
            path: full.to_path_buf(),
        });
    }
    Ok(Kind::Daicho(version))
}

pub fn apply_pragmas(conn: &Connection) -> Result<()> {
    conn.busy_timeout(BUSY_TIMEOUT)?;
    register_functions(conn)?;
    // Reading the header first turns "file is not a database" into a clear open error.
    conn.query_row("PRAGMA schema_version", [], |_| Ok(()))?;
    let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
    if mode != "wal" && mode != "memory" {
        return Err(StoreError::Invalid(format!(
            "could not switch the database to WAL (journal_mode is {mode})"
        )));
    }
    // FULL: a commit survives power loss, not only a process crash.
    conn.execute_batch(
        "PRAGMA synchronous = FULL;
         PRAGMA foreign_keys = ON;
         PRAGMA temp_store = MEMORY;
         PRAGMA cache_size = -4096;",
    )?;
    Ok(())
}

/// SQL functions the schema's triggers call. Registered on every connection daicho
/// opens; a plain `sqlite3` shell can read the database but not write facilities.
pub fn register_functions(conn: &Connection) -> Result<()> {
    use rusqlite::functions::FunctionFlags;
    conn.create_scalar_function(
        "daicho_grams",
        1,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
        |ctx| Ok(super::facilities::short_grams(&ctx.get::<String>(0)?)),
    )?;
    Ok(())
}

pub use crate::domain::view::PermissionWarning;

/// Warnings when the database file, its WAL/SHM/anchor companions or its directory are
/// readable or writable by others (expected: files 0600, directory 0700).
pub fn check_permissions(path: &Path) -> Vec<PermissionWarning> {
    let mut warnings = Vec::new();
    let mut check = |p: &Path, want: u32, is_dir: bool| {
        if let Ok(meta) = std::fs::metadata(p) {
            let mode = meta.permissions().mode() & 0o777;
            if mode & 0o077 != 0 {
                warnings.push(PermissionWarning {
                    path: p.to_path_buf(),
                    mode,
                    want,
                    is_dir,
                });
            }
        }
    };
    check(path, 0o600, false);
    for suffix in ["-wal", "-shm", ".audit-head"] {
        let mut s = path.as_os_str().to_owned();
        s.push(suffix);
        check(Path::new(&s), 0o600, false);
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        check(dir, 0o700, true);
    }
    warnings
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn path_precedence() {
        let flag = PathBuf::from("/a.db");
        assert_eq!(resolve_db_path(Some(&flag), Some("/b.db".into())), flag);
        assert_eq!(
            resolve_db_path(None, Some("/b.db".into())),
            PathBuf::from("/b.db")
        );
        assert!(resolve_db_path(None, Some(String::new())).ends_with("daicho/daicho.db"));
    }

    #[test]
    fn new_file_is_private_and_wal() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/d.db");
        let conn = connect(&path).unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        let dmode = std::fs::metadata(path.parent().unwrap())
            .unwrap()
            .permissions()
            .mode()
            & 0o777;
        assert_eq!(dmode, 0o700);
        let jm: String = conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        assert_eq!(jm, "wal");
        let bt: i64 = conn
            .query_row("PRAGMA busy_timeout", [], |r| r.get(0))
            .unwrap();
        assert!(bt >= 5000);
        let sync: i64 = conn
            .query_row("PRAGMA synchronous", [], |r| r.get(0))
            .unwrap();
        assert_eq!(sync, 2);
    }

    #[test]
    fn loose_modes_are_reported() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("d.db");
        drop(connect(&path).unwrap());
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o700)).unwrap();
        assert!(
            check_permissions(&path).is_empty(),
            "{:?}",
            check_permissions(&path)
        );
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        let w = check_permissions(&path);
        assert_eq!(w.len(), 2, "{w:?}");
        let ja = w[0].message(crate::i18n::Lang::Ja);
        assert!(
            ja.contains("0644") && ja.contains(&path.display().to_string()),
            "{ja}"
        );
        assert!(!ja.contains("has mode"), "{ja}");
    }

    #[test]
    fn garbage_file_gives_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bad.db");
        std::fs::write(
            &path,
            b"this is not a database, just text that is long enough to be a header....",
        )
        .unwrap();
        let err = connect(&path).unwrap_err().to_string();
        assert!(
            err.contains("bad.db") && err.contains("not a database"),
            "{err}"
        );
    }

    #[test]
    fn only_create_makes_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nope.db");
        for mode in [Mode::ReadWrite, Mode::ReadOnly] {
            let err = connect_checked(&path, mode).unwrap_err();
            assert!(matches!(err, StoreError::Missing { .. }), "{err}");
            assert!(!path.exists(), "{mode:?} created the file");
        }
        let (_, kind) = connect_checked(&path, Mode::Create).unwrap();
        assert_eq!(kind, Kind::Empty);
        assert!(path.exists());
    }

    #[test]
    fn a_foreign_sqlite_file_is_refused_untouched_in_every_mode() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("other.db");
        {
            let conn = Connection::open(&path).unwrap();
            conn.execute_batch("CREATE TABLE t(x); PRAGMA user_version = 7;")
                .unwrap();
        }
        let before = std::fs::read(&path).unwrap();
        for mode in [Mode::Create, Mode::ReadWrite, Mode::ReadOnly] {
            let err = connect_checked(&path, mode).unwrap_err();
            assert!(
                matches!(err, StoreError::NotDaicho { .. }),
                "{mode:?}: {err}"
            );
            assert!(err.to_string().contains("other.db"), "{err}");
            assert_eq!(std::fs::read(&path).unwrap(), before, "{mode:?} wrote");
        }
    }

    #[test]
    fn read_only_open_of_a_daicho_database_cannot_write() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("d.db");
        drop(crate::store::Store::create(&path).unwrap());
        let store = crate::store::Store::open_read_only(&path).unwrap();
        assert!(
            store
                .conn()
                .execute("INSERT INTO app_meta(key, value) VALUES ('x', 'y')", [])
                .is_err()
        );
        let n: i64 = store
            .conn()
            .query_row("SELECT count(*) FROM facility", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 0);
    }

    #[test]
    fn opening_messages_follow_the_language() {
        let err = StoreError::Missing {
            path: PathBuf::from("/srv/daicho/typo.db"),
        };
        let ja = err.message(Lang::Ja);
        assert!(
            ja.contains("/srv/daicho/typo.db") && ja.contains("daicho demo"),
            "{ja}"
        );
        assert!(ja.contains("ありません"), "{ja}");
        let en = err.message(Lang::En);
        assert!(en.starts_with("no database at /srv/daicho/typo.db"), "{en}");
    }
}
