//! Staff accounts (`user_account`): identity, role, password hash and lockout state.
//!
//! Passwords are never stored here in clear; the service layer hashes them with
//! argon2id and keeps the lockout counters (`failed_attempts`, `locked_until`) here so
//! that a lock survives a restart of every daicho process.

use super::Result;
use crate::domain::permission::Role;
use rusqlite::{Connection, OptionalExtension, params};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub staff_id: String,
    pub display_name: String,
    pub role: Role,
    pub disabled: bool,
}

/// What login needs: the account plus its password hash and lockout counters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credentials {
    pub user: User,
    /// PHC string (`$argon2id$…`); empty = no password set yet.
    pub password_hash: String,
    pub failed_attempts: i64,
    /// RFC 3339 UTC, or None when not locked.
    pub locked_until: Option<String>,
}

fn user_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<User> {
    let role: String = r.get(2)?;
    Ok(User {
        staff_id: r.get(0)?,
        display_name: r.get(1)?,
        role: Role::from_code(&role).unwrap_or(Role::Viewer),
        disabled: r.get::<_, i64>(3)? != 0,
    })
}

pub fn get(conn: &Connection, staff_id: &str) -> Result<Option<User>> {
    Ok(conn
        .prepare_cached(
            "SELECT staff_id, display_name, role, disabled FROM user_account WHERE staff_id = ?1",
        )?
        .query_row([staff_id], user_from_row)
        .optional()?)
}

/// All accounts, by staff id.
pub fn list(conn: &Connection) -> Result<Vec<User>> {
    let mut st = conn.prepare_cached(
        "SELECT staff_id, display_name, role, disabled FROM user_account ORDER BY staff_id",
    )?;
    let rows = st.query_map([], user_from_row)?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

pub fn credentials(conn: &Connection, staff_id: &str) -> Result<Option<Credentials>> {
    Ok(conn
        .prepare_cached(
            "SELECT staff_id, display_name, role, disabled, password_hash, failed_attempts, locked_until
             FROM user_account WHERE staff_id = ?1",
        )?
        .query_row([staff_id], |r| {
            Ok(Credentials {
                user: user_from_row(r)?,
                password_hash: r.get(4)?,
                failed_attempts: r.get(5)?,
                locked_until: r.get(6)?,
            })
        })
        .optional()?)
}

/// Stores the lockout counters after a failed or successful login.
pub fn set_lockout(
    conn: &Connection,
    staff_id: &str,
    failed_attempts: i64,
    locked_until: Option<&str>,
) -> Result<()> {
    conn.prepare_cached(
        "UPDATE user_account SET failed_attempts = ?2, locked_until = ?3 WHERE staff_id = ?1",
    )?
    .execute(params![staff_id, failed_attempts, locked_until])?;
    Ok(())
}

/// Sets a new password hash and clears any lock. Returns false if there is no such account.
pub fn set_password_hash(conn: &Connection, staff_id: &str, hash: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached(
            "UPDATE user_account SET password_hash = ?2, failed_attempts = 0, locked_until = NULL,
             version = version + 1 WHERE staff_id = ?1",
        )?
        .execute(params![staff_id, hash])?
        == 1)
}

pub fn set_disabled(conn: &Connection, staff_id: &str, disabled: bool) -> Result<bool> {
    Ok(conn
        .prepare_cached(
            "UPDATE user_account SET disabled = ?2, version = version + 1 WHERE staff_id = ?1",
        )?
        .execute(params![staff_id, i64::from(disabled)])?
        == 1)
}

pub fn set_role(conn: &Connection, staff_id: &str, role: Role) -> Result<bool> {
    Ok(conn
        .prepare_cached(
            "UPDATE user_account SET role = ?2, version = version + 1 WHERE staff_id = ?1",
        )?
        .execute(params![staff_id, role.code()])?
        == 1)
}

/// Enabled admin accounts (0 = the next `user add --role admin` is the bootstrap).
pub fn count_active_admins(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT count(*) FROM user_account WHERE role = 'admin' AND disabled = 0",
        [],
        |r| r.get(0),
    )?)
}
