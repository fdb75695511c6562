//! Small key/value settings stored in the database (`app_meta`).

use super::Result;
use rusqlite::{Connection, OptionalExtension, params};

pub fn get(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row("SELECT value FROM app_meta WHERE key = ?1", [key], |r| {
            r.get(0)
        })
        .optional()?)
}

pub fn set(conn: &Connection, key: &str, value: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO app_meta(key, value) VALUES (?1, ?2)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        params![key, value],
    )?;
    Ok(())
}

pub const DEMO: &str = "demo";

pub fn is_demo(conn: &Connection) -> Result<bool> {
    Ok(get(conn, DEMO)?.as_deref() == Some("1"))
}

/// A random id given to the database at creation (migration 4); copies and backups keep it.
pub const DATABASE_ID: &str = "database_id";

pub fn database_id(conn: &Connection) -> Result<Option<String>> {
    get(conn, DATABASE_ID)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{Store, migrations};

    #[test]
    fn every_database_gets_its_own_id_old_ones_at_their_next_migration() {
        let a = Store::open_in_memory().unwrap();
        let b = Store::open_in_memory().unwrap();
        let id_a = database_id(a.conn()).unwrap().unwrap();
        assert_eq!(id_a.len(), 32);
        assert_ne!(Some(id_a), database_id(b.conn()).unwrap());

        let mut old = Connection::open_in_memory().unwrap();
        crate::store::open::apply_pragmas(&old).unwrap();
        migrations::migrate_to(&mut old, 3).unwrap();
        assert_eq!(database_id(&old).unwrap(), None);
        migrations::migrate(&mut old).unwrap();
        assert!(database_id(&old).unwrap().is_some());
    }
}
