//! Login and session rules: argon2id password hashes, the lockout after
//! [`MAX_FAILED_ATTEMPTS`] wrong passwords (kept in `user_account`, so it survives
//! restarts), and the idle-lock period the TUI asks for.
//!
//! Every login attempt is audited (`login.ok`, `login.failed`, `login.locked`,
//! `login.refused`) for the monthly log review.

use super::ServiceError;
use crate::domain::permission::Actor;
use crate::store::{Store, StoreError, audit, meta, users};
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use chrono::{DateTime, Duration, Local, Utc};
use rusqlite::Connection;
use sha2::{Digest, Sha256};

/// Wrong passwords in a row that lock the account.
pub const MAX_FAILED_ATTEMPTS: i64 = 5;
/// How long a lock lasts unless `app_meta.lockout_minutes` says otherwise.
pub const LOCKOUT_MINUTES: i64 = 15;
/// Idle minutes before the TUI locks unless `app_meta.idle_lock_minutes` says otherwise.
pub const IDLE_LOCK_MINUTES: u32 = 15;
pub const META_IDLE_LOCK_MINUTES: &str = "idle_lock_minutes";
pub const META_LOCKOUT_MINUTES: &str = "lockout_minutes";

#[derive(Debug, thiserror::Error)]
pub enum LoginError {
    #[error("職員ID {0} は登録されていません / unknown staff id {0}")]
    UnknownStaff(String),
    #[error("職員ID {0} は無効化されています / staff id {0} is disabled")]
    Disabled(String),
    #[error(
        "職員ID {0} はパスワードが未設定です（管理者に設定を依頼してください） / staff id {0} has no password yet (ask an admin: daicho user passwd {0})"
    )]
    NoPassword(String),
    #[error(
        "パスワードが違います (ロックまで残り{remaining}回) / wrong password ({remaining} tries left before the account locks)"
    )]
    WrongPassword { staff_id: String, remaining: i64 },
    #[error("アカウント {staff_id} はロック中です（{} まで） / account {staff_id} locked until {}", hhmm(.until), hhmm(.until))]
    Locked {
        staff_id: String,
        until: DateTime<Utc>,
    },
    #[error("{0}")]
    Service(#[from] ServiceError),
}

impl From<StoreError> for LoginError {
    fn from(e: StoreError) -> Self {
        LoginError::Service(ServiceError::Store(e))
    }
}

/// Local wall-clock time, as the user reads it on the office clock.
pub fn hhmm(t: &DateTime<Utc>) -> String {
    t.with_timezone(&Local).format("%H:%M").to_string()
}

fn argon2() -> Argon2<'static> {
    // argon2id, v19, m=19 MiB, t=2, p=1: the crate's (and OWASP's) defaults.
    Argon2::default()
}

/// A PHC string (`$argon2id$v=19$…`) with a random salt.
pub fn hash_password(password: &str) -> Result<String, ServiceError> {
    let salt_bytes: [u8; 16] = rand::random();
    hash_with_salt(password, &salt_bytes)
}

/// Same cost, salt derived from `label` — only for the reproducible demo database.
pub fn hash_password_deterministic(password: &str, label: &str) -> Result<String, ServiceError> {
    let digest = Sha256::digest(format!("daicho-demo-salt:{label}").as_bytes());
    hash_with_salt(password, &digest[..16])
}

fn hash_with_salt(password: &str, salt: &[u8]) -> Result<String, ServiceError> {
    let salt = SaltString::encode_b64(salt)
        .map_err(|e| ServiceError::Store(StoreError::Invalid(format!("password salt: {e}"))))?;
    argon2()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| ServiceError::Store(StoreError::Invalid(format!("password hash: {e}"))))
}

/// True if `password` matches the stored PHC string.
pub fn check_password(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc)
        .map(|h| argon2().verify_password(password.as_bytes(), &h).is_ok())
        .unwrap_or(false)
}

fn minutes_setting(conn: &Connection, key: &str, default: i64) -> i64 {
    meta::get(conn, key)
        .ok()
        .flatten()
        .and_then(|v| v.trim().parse::<i64>().ok())
        .filter(|m| *m > 0 && *m <= 24 * 60)
        .unwrap_or(default)
}

/// Minutes of inactivity after which the TUI locks (`app_meta.idle_lock_minutes`).
pub fn idle_lock_minutes(conn: &Connection) -> u32 {
    u32::try_from(minutes_setting(
        conn,
        META_IDLE_LOCK_MINUTES,
        i64::from(IDLE_LOCK_MINUTES),
    ))
    .unwrap_or(IDLE_LOCK_MINUTES)
}

/// How long an account stays locked (`app_meta.lockout_minutes`).
pub fn lockout_minutes(conn: &Connection) -> i64 {
    minutes_setting(conn, META_LOCKOUT_MINUTES, LOCKOUT_MINUTES)
}

fn parse_time(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

fn stamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

fn login_entry(staff_id: &str, action: &str, reason: String) -> audit::Entry {
    audit::Entry {
        actor: staff_id.to_string(),
        action: action.into(),
        object_type: "user".into(),
        object_id: staff_id.to_string(),
        fields: Vec::new(),
        reason,
    }
}

/// Checks `password` for `staff_id` now; see [`verify_password_at`].
pub fn verify_password(
    store: &mut Store,
    staff_id: &str,
    password: &str,
) -> Result<Actor, LoginError> {
    verify_password_at(store, staff_id, password, Utc::now())
}

/// Checks a password and keeps the lockout books: a success clears the counter, a
/// failure increments it and the [`MAX_FAILED_ATTEMPTS`]th locks the account for
/// [`lockout_minutes`]. While locked even the right password is refused.
pub fn verify_password_at(
    store: &mut Store,
    staff_id: &str,
    password: &str,
    now: DateTime<Utc>,
) -> Result<Actor, LoginError> {
    let creds = users::credentials(store.conn(), staff_id)?
        .ok_or_else(|| LoginError::UnknownStaff(staff_id.to_string()))?;
    if creds.user.disabled {
        return Err(LoginError::Disabled(staff_id.to_string()));
    }
    if creds.password_hash.is_empty() {
        return Err(LoginError::NoPassword(staff_id.to_string()));
    }
    let locked_until = creds.locked_until.as_deref().and_then(parse_time);
    if let Some(until) = locked_until.filter(|u| *u > now) {
        store.write(|tx| {
            audit::append(
                tx,
                &login_entry(staff_id, "login.refused", "account locked".into()),
            )
        })?;
        super::anchor(store)?;
        return Err(LoginError::Locked {
            staff_id: staff_id.to_string(),
            until,
        });
    }
    // The slow hash runs outside the write lock.
    let ok = check_password(password, &creds.password_hash);
    let lock_for = lockout_minutes(store.conn());
    let outcome = store.write(|tx| {
        if ok {
            users::set_lockout(tx, staff_id, 0, None)?;
            audit::append(tx, &login_entry(staff_id, "login.ok", String::new()))?;
            return Ok(Ok(()));
        }
        // Re-read inside the transaction: another session may have failed meanwhile.
        let current = users::credentials(tx, staff_id)?
            .ok_or_else(|| StoreError::NotFound(format!("staff id {staff_id}")))?;
        let expired = current
            .locked_until
            .as_deref()
            .and_then(parse_time)
            .is_some_and(|u| u <= now);
        let failed = if expired { 0 } else { current.failed_attempts } + 1;
        if failed >= MAX_FAILED_ATTEMPTS {
            let until = now + Duration::minutes(lock_for);
            users::set_lockout(tx, staff_id, failed, Some(&stamp(until)))?;
            audit::append(
                tx,
                &login_entry(
                    staff_id,
                    "login.locked",
                    format!("{failed} wrong passwords; until {}", stamp(until)),
                ),
            )?;
            Ok(Err(LoginError::Locked {
                staff_id: staff_id.to_string(),
                until,
            }))
        } else {
            users::set_lockout(tx, staff_id, failed, None)?;
            audit::append(
                tx,
                &login_entry(staff_id, "login.failed", format!("attempt {failed}")),
            )?;
            Ok(Err(LoginError::WrongPassword {
                staff_id: staff_id.to_string(),
                remaining: MAX_FAILED_ATTEMPTS - failed,
            }))
        }
    })?;
    super::anchor(store)?;
    outcome?;
    Ok(Actor {
        staff_id: creds.user.staff_id,
        role: creds.user.role,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::seed;

    fn store_with(path: &std::path::Path, password: &str) -> Store {
        let mut store = Store::create(path).unwrap();
        let hash = hash_password(password).unwrap();
        store
            .write(|tx| seed::insert_user(tx, "k001", "審査 一郎", "reviewer", &hash))
            .unwrap();
        store
    }

    #[test]
    fn right_password_gives_the_actor_and_is_audited() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = store_with(&dir.path().join("d.db"), "correct horse");
        let actor = verify_password(&mut store, "k001", "correct horse").unwrap();
        assert_eq!(actor.role, crate::domain::permission::Role::Reviewer);
        let recs = audit::for_object(store.conn(), "user", "k001", 5).unwrap();
        assert_eq!(recs[0].entry.action, "login.ok");
        let anchor = audit::read_anchor(&audit::anchor_path(store.path()))
            .unwrap()
            .unwrap();
        assert_eq!(anchor.seq, recs[0].seq);
    }

    #[test]
    fn lockout_persists_across_restart() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("d.db");
        let now = Utc::now();
        {
            let mut store = store_with(&path, "correct horse");
            for i in 1..MAX_FAILED_ATTEMPTS {
                let err = verify_password_at(&mut store, "k001", "wrong", now).unwrap_err();
                assert!(
                    matches!(err, LoginError::WrongPassword { remaining, .. } if remaining == MAX_FAILED_ATTEMPTS - i),
                    "{err}"
                );
            }
            let err = verify_password_at(&mut store, "k001", "wrong", now).unwrap_err();
            assert!(matches!(err, LoginError::Locked { .. }), "{err}");
        }
        // A new process: the lock is still there, even for the right password.
        let mut store = Store::open(&path).unwrap();
        let err = verify_password_at(&mut store, "k001", "correct horse", now).unwrap_err();
        assert!(matches!(err, LoginError::Locked { .. }), "{err}");
        assert!(err.to_string().contains("ロック中"), "{err}");
        // After the lock period the right password works and the counter is cleared.
        let later = now + Duration::minutes(LOCKOUT_MINUTES + 1);
        verify_password_at(&mut store, "k001", "correct horse", later).unwrap();
        let creds = users::credentials(store.conn(), "k001").unwrap().unwrap();
        assert_eq!(creds.failed_attempts, 0);
        assert_eq!(creds.locked_until, None);
    }

    #[test]
    fn idle_lock_minutes_is_configurable() {
        let mut store = Store::open_in_memory().unwrap();
        assert_eq!(idle_lock_minutes(store.conn()), IDLE_LOCK_MINUTES);
        store
            .write(|tx| meta::set(tx, META_IDLE_LOCK_MINUTES, "5"))
            .unwrap();
        assert_eq!(idle_lock_minutes(store.conn()), 5);
    }

    #[test]
    fn unknown_and_disabled_accounts_are_refused() {
        let mut store = Store::open_in_memory().unwrap();
        assert!(matches!(
            verify_password(&mut store, "nobody", "x"),
            Err(LoginError::UnknownStaff(_))
        ));
    }
}
