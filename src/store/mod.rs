//! Storage: the only module that speaks SQL.
//!
//! SQLite (bundled) in WAL mode, shared by several daicho processes (one per SSH login).
//! They coordinate only through the database: `BEGIN IMMEDIATE` for every write, a
//! `busy_timeout` long enough to wait out another writer, a `version` column per mutable
//! row for optimistic locking, and `PRAGMA data_version` to notice others' commits.
//!
//! Outside the crate the store is its operations: the read methods on [`Store`]
//! (`read.rs`), [`Store::write`]/[`Store::transaction`] for the service layer, and the
//! opening functions; the connection itself is crate-private. Inside, the free
//! functions take `&Connection` so that the service layer can compose several of them
//! (and the audit append) in one transaction. A server database can later implement the
//! same operations without touching screens or domain code. The types that screens
//! read (`ListQuery`, `DueCounts`, `audit::Record`, …) live in `domain::view` and are
//! re-exported here at their old paths.

pub mod apply;
pub mod audit;
pub mod backup;
pub mod cases;
pub mod change_history;
pub mod checklist;
pub mod checklist_audit;
pub mod checklist_reference;
pub mod consents;
pub mod dashboard;
pub mod facilities;
pub mod guidance;
pub mod inbox;
pub mod jobs;
pub mod meetings;
pub mod meta;
pub mod migrations;
pub mod notices;
pub mod open;
pub mod opendata;
pub mod overview;
pub mod people;
pub mod purge;
pub mod read;
pub mod reference;
pub mod reveal;
pub mod seed;
pub mod sync;
pub mod users;

use crate::i18n::Lang;
use rusqlite::{Connection, Transaction, TransactionBehavior};
use std::path::{Path, PathBuf};

/// Moved to the crate root (it is about files, not the database); kept here for callers.
pub use crate::private_fs;
pub use open::{Mode, default_db_path, resolve_db_path};
pub use read::{Interrupt, is_interrupted};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(
        "this database was written by a newer daicho (schema {found}, this build knows up to {supported}); upgrade daicho before opening it"
    )]
    NewerSchema { found: i64, supported: i64 },
    #[error("{object} was changed by someone else (your version {expected}, now {current})")]
    Conflict {
        object: String,
        expected: i64,
        current: i64,
    },
    #[error("{0} not found")]
    NotFound(String),
    #[error("{0}")]
    Invalid(String),
    #[error("database {path}: {source}")]
    Open {
        path: PathBuf,
        source: rusqlite::Error,
    },
    #[error(
        "no database at {path}; create a demo one with `daicho demo --out {path}`, or a new one with `daicho --db {path} user add ID --name NAME --role admin`"
    )]
    Missing { path: PathBuf },
    #[error("{path} is not an SQLite database file; check the --db path or DAICHO_DB")]
    NotSqlite { path: PathBuf },
    #[error(
        "{path} is an SQLite file but not a daicho database; daicho leaves it unchanged (check the --db path or DAICHO_DB)"
    )]
    NotDaicho { path: PathBuf },
    #[error(
        "database {path} was written by a newer daicho (schema {found}, this build knows up to {supported}); upgrade daicho before opening it"
    )]
    SchemaTooNew {
        path: PathBuf,
        found: i64,
        supported: i64,
    },
    #[error(
        "database {path} has the older schema {found} (this build: {supported}); open it once with `daicho --db {path}` to upgrade it, then retry"
    )]
    SchemaTooOld {
        path: PathBuf,
        found: i64,
        supported: i64,
    },
    #[error("cannot create the database file {path}: {source}")]
    Create {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(transparent)]
    Io(#[from] std::io::Error),
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
}

impl StoreError {
    /// The message in the UI language (opening errors; others keep their English text).
    pub fn message(&self, lang: Lang) -> String {
        if !lang.is_ja() {
            return self.to_string();
        }
        match self {
            StoreError::Missing { path } => {
                let p = path.display();
                format!(
                    "データベース {p} がありません。デモ用は `daicho demo --out {p}`、新規は `daicho --db {p} user add ID --name 氏名 --role admin` で作成してください"
                )
            }
            StoreError::NotSqlite { path } => format!(
                "{} は SQLite のデータベースファイルではありません。--db または DAICHO_DB のパスを確認してください",
                path.display()
            ),
            StoreError::NotDaicho { path } => format!(
                "{} は daicho のデータベースではない SQLite ファイルです（変更していません）。--db または DAICHO_DB のパスを確認してください",
                path.display()
            ),
            StoreError::SchemaTooNew {
                path,
                found,
                supported,
            } => format!(
                "データベース {} は新しい daicho で作られています（スキーマ {found}、この版は {supported} まで）。daicho を更新してから開いてください",
                path.display()
            ),
            StoreError::NewerSchema { found, supported } => format!(
                "データベースは新しい daicho で作られています（スキーマ {found}、この版は {supported} まで）。daicho を更新してから開いてください"
            ),
            StoreError::SchemaTooOld {
                path,
                found,
                supported,
            } => {
                let p = path.display();
                format!(
                    "データベース {p} は古いスキーマ {found} です（この版は {supported}）。一度 `daicho --db {p}` で開いて更新してから再実行してください"
                )
            }
            StoreError::Create { path, source } => format!(
                "データベースファイル {} を作成できません: {source}",
                path.display()
            ),
            StoreError::Open { path, source } => {
                format!("データベース {} を開けません: {source}", path.display())
            }
            other => other.to_string(),
        }
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// One connection to the daicho database.
pub struct Store {
    conn: Connection,
    path: PathBuf,
}

impl Store {
    /// Opens an existing daicho database for reading and writing, migrating it if it
    /// has an older schema. A missing file, a file that is not SQLite, another
    /// program's SQLite file and a newer schema are refused, untouched.
    pub fn open(path: &Path) -> Result<Store> {
        Self::open_mode(path, Mode::ReadWrite)
    }

    /// Creates the database (mode 0600) if `path` does not exist, then opens it like
    /// [`Store::open`]. Only the demo and the first admin's `user add` create files.
    pub fn create(path: &Path) -> Result<Store> {
        Self::open_mode(path, Mode::Create)
    }

    /// Opens an existing daicho database read-only (`query_only`): never creates,
    /// migrates or writes. An older schema is refused rather than upgraded.
    pub fn open_read_only(path: &Path) -> Result<Store> {
        Self::open_mode(path, Mode::ReadOnly)
    }

    fn open_mode(path: &Path, mode: Mode) -> Result<Store> {
        let (conn, _) = open::connect_checked(path, mode)?;
        let mut store = Store {
            conn,
            path: path.to_path_buf(),
        };
        if mode != Mode::ReadOnly {
            store.migrate()?;
        }
        Ok(store)
    }

    /// An in-memory database, for tests.
    pub fn open_in_memory() -> Result<Store> {
        let conn = Connection::open_in_memory()?;
        open::apply_pragmas(&conn)?;
        let mut store = Store {
            conn,
            path: PathBuf::from(":memory:"),
        };
        store.migrate()?;
        Ok(store)
    }

    fn migrate(&mut self) -> Result<()> {
        migrations::migrate(&mut self.conn)?;
        reference::load(&mut self.conn)?;
        Ok(())
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The connection, for the store's own free functions composed by the service layer
    /// and the commands. Outside the crate the store is its methods (`read.rs`).
    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }

    /// The raw connection for integration tests and fault cases that must set up or
    /// inspect rows no operation reaches. Not an interface: nothing in `src/` uses it.
    #[doc(hidden)]
    pub fn conn_for_tests(&self) -> &Connection {
        &self.conn
    }

    /// Runs `f` in a `BEGIN IMMEDIATE` transaction: the write lock is taken up front, so
    /// a concurrent writer waits in `busy_timeout` instead of failing mid-transaction
    /// with SQLITE_BUSY (which a deferred read→write upgrade cannot retry).
    pub fn write<T>(&mut self, f: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let value = f(&tx)?;
        tx.commit()?;
        Ok(value)
    }

    /// Like [`Store::write`], for callers whose own error type carries store errors (the
    /// service layer's): one `BEGIN IMMEDIATE` transaction, rolled back on any error.
    pub fn transaction<T, E: From<StoreError>>(
        &mut self,
        f: impl FnOnce(&Transaction<'_>) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(StoreError::from)?;
        let value = f(&tx)?;
        tx.commit().map_err(StoreError::from)?;
        Ok(value)
    }

    /// Changes whenever another connection commits (`PRAGMA data_version`).
    pub fn data_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("PRAGMA data_version", [], |r| r.get(0))?)
    }

    pub fn schema_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }

    pub fn journal_mode(&self) -> Result<String> {
        Ok(self
            .conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))?)
    }
}

/// Current time as stored: RFC 3339 UTC with seconds.
pub fn now_utc() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// Maps an ISO date column (NULL or sentinel → None).
pub(crate) fn date_opt(s: Option<String>) -> Option<chrono::NaiveDate> {
    s.filter(|s| s.as_str() != facilities::NO_DATE)
        .and_then(|s| chrono::NaiveDate::parse_from_str(&s, "%Y-%m-%d").ok())
}
