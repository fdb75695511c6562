//! Login and session rules: argon2id password hashes, the lockout after
//! [`MAX_FAILED_ATTEMPTS`] wrong passwords (kept in `user_account`, so it survives
//! restarts), and the idle-lock period the TUI asks for.
//!
//! Every login attempt is audited (`login.ok`, `login.failed`, `login.locked`,
//! `login.refused` — the last also for unknown, disabled and password-less ids). Refusals
//! that cost nothing to repeat are rate-limited: at most one `login.refused` row per id
//! (one for all unknown ids together) per [`REFUSED_QUIET_SECONDS`]; the next row written
//! says how many attempts were counted but not written in between.
//!
//! An attempt is taken before the password is hashed: in one write transaction the
//! counter goes up and a locked account is refused, so parallel guesses get at most
//! [`MAX_FAILED_ATTEMPTS`] hash checks between them, and a right password that finishes
//! after another attempt locked the account is refused too.

use super::{Anchoring, ServiceError, Written};
use crate::domain::permission::Actor;
use crate::domain::text::escape_for_terminal;
use crate::i18n::Lang;
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
/// At most one `login.refused` row per id in this many seconds.
pub const REFUSED_QUIET_SECONDS: i64 = 60;
/// The rate-limit key shared by every unknown staff id.
const UNKNOWN_KEY: &str = "*unknown*";

#[derive(Debug, thiserror::Error)]
pub enum LoginError {
    #[error("{} / {}", self.message(Lang::Ja), self.message(Lang::En))]
    UnknownStaff(String),
    #[error("{} / {}", self.message(Lang::Ja), self.message(Lang::En))]
    Disabled(String),
    #[error("{} / {}", self.message(Lang::Ja), self.message(Lang::En))]
    NoPassword(String),
    /// `remaining`: wrong passwords still possible before the account locks.
    #[error("{} / {}", self.message(Lang::Ja), self.message(Lang::En))]
    WrongPassword { staff_id: String, remaining: i64 },
    #[error("{} / {}", self.message(Lang::Ja), self.message(Lang::En))]
    Locked {
        staff_id: String,
        until: DateTime<Utc>,
    },
    #[error("{0}")]
    Service(#[from] ServiceError),
}

impl LoginError {
    /// The one message for the CLI prompt and the TUI lock screen, in the UI language.
    /// Tries are always counted the same way: wrong passwords left before the lock.
    pub fn message(&self, lang: Lang) -> String {
        let id = |s: &str| escape_for_terminal(s).into_owned();
        match (self, lang) {
            (Self::UnknownStaff(s), Lang::Ja) => {
                format!(
                    "職員ID {} は登録されていません。管理者に確認してください",
                    id(s)
                )
            }
            (Self::UnknownStaff(s), Lang::En) => {
                format!("staff id {} is not registered; ask an admin", id(s))
            }
            (Self::Disabled(s), Lang::Ja) => {
                format!(
                    "職員ID {} は無効化されています。管理者に確認してください",
                    id(s)
                )
            }
            (Self::Disabled(s), Lang::En) => {
                format!("staff id {} is disabled; ask an admin", id(s))
            }
            (Self::NoPassword(s), Lang::Ja) => format!(
                "職員ID {} はパスワードが未設定です。管理者に設定を依頼してください（daicho user passwd {}）",
                id(s),
                id(s)
            ),
            (Self::NoPassword(s), Lang::En) => format!(
                "staff id {} has no password yet; ask an admin to set one (daicho user passwd {})",
                id(s),
                id(s)
            ),
            (Self::WrongPassword { remaining: 0, .. }, Lang::Ja) => {
                "パスワードが違います。アカウントはロックされました。管理者に解除を依頼してください"
                    .to_string()
            }
            (Self::WrongPassword { remaining: 0, .. }, Lang::En) => {
                "wrong password; the account is now locked: ask an admin to unlock it".to_string()
            }
            (Self::WrongPassword { remaining, .. }, Lang::Ja) => {
                format!("パスワードが違います。ロックまであと{remaining}回です")
            }
            (Self::WrongPassword { remaining, .. }, Lang::En) => format!(
                "wrong password; {remaining} {} left before the account locks",
                if *remaining == 1 { "try" } else { "tries" }
            ),
            (Self::Locked { staff_id, until }, Lang::Ja) => format!(
                "アカウント {} は {} までロックされています。時間をおくか、管理者に解除を依頼してください",
                id(staff_id),
                hhmm(until)
            ),
            (Self::Locked { staff_id, until }, Lang::En) => format!(
                "account {} is locked until {}; wait, or ask an admin to unlock it",
                id(staff_id),
                hhmm(until)
            ),
            (Self::Service(e), lang) => e.message(lang.is_ja()),
        }
    }
}

impl From<StoreError> for LoginError {
    fn from(e: StoreError) -> Self {
        LoginError::Service(ServiceError::Store(e))
    }
}

/// A successful login. `warning`: the login is recorded, but the audit anchor could not
/// be updated (`ServiceError::Anchor`) — show it and go on.
#[derive(Debug)]
pub struct LoggedIn {
    pub actor: Actor,
    pub warning: Option<ServiceError>,
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

/// An id as typed, made safe to store: a well-formed staff id as is, anything else
/// escaped and cut to 40 characters (an unknown id is attacker-chosen text).
fn logged_id(staff_id: &str) -> String {
    if super::users::valid_staff_id(staff_id) {
        staff_id.to_string()
    } else {
        escape_for_terminal(staff_id).chars().take(40).collect()
    }
}

/// The `login.refused` record to append, unless one was written for `key` in the last
/// [`REFUSED_QUIET_SECONDS`]; then only the count in `app_meta` goes up, and the next
/// row written for `key` carries it.
fn refused(
    tx: &Connection,
    key: &str,
    staff_id: &str,
    reason: &str,
    now: DateTime<Utc>,
) -> crate::store::Result<Option<audit::Entry>> {
    let meta_key = format!("login.quiet.{key}");
    let state = meta::get(tx, &meta_key)?;
    let (last, skipped) = state
        .as_deref()
        .and_then(|v| v.split_once(' '))
        .and_then(|(t, n)| Some((parse_time(t)?, n.parse::<i64>().ok()?)))
        .unwrap_or((DateTime::<Utc>::MIN_UTC, 0));
    let quiet = now >= last && now - last < Duration::seconds(REFUSED_QUIET_SECONDS);
    if quiet {
        meta::set(tx, &meta_key, &format!("{} {}", stamp(last), skipped + 1))?;
        return Ok(None);
    }
    let mut reason = reason.to_string();
    if skipped > 0 {
        reason.push_str(&format!(
            "; {skipped} more refused attempts since {} not logged one by one",
            stamp(last)
        ));
    }
    meta::set(tx, &meta_key, &format!("{} 0", stamp(now)))?;
    Ok(Some(login_entry(
        &logged_id(staff_id),
        "login.refused",
        reason,
    )))
}

/// Checks `password` for `staff_id` now; see [`verify_password_at`].
pub fn verify_password(
    store: &mut Store,
    staff_id: &str,
    password: &str,
) -> Result<LoggedIn, LoginError> {
    verify_password_at(store, staff_id, password, Utc::now())
}

#[cfg(test)]
pub(crate) static HASH_CHECKS: std::sync::Mutex<Vec<std::path::PathBuf>> =
    std::sync::Mutex::new(Vec::new());

/// Checks a password and keeps the lockout books (see the module comment): the attempt
/// is counted before the hash, a success clears the counter unless a lock was taken
/// meanwhile, the [`MAX_FAILED_ATTEMPTS`]th failure locks for [`lockout_minutes`].
pub fn verify_password_at(
    store: &mut Store,
    staff_id: &str,
    password: &str,
    now: DateTime<Utc>,
) -> Result<LoggedIn, LoginError> {
    let lock_for = Duration::minutes(lockout_minutes(store.conn()));
    let locked = |until| LoginError::Locked {
        staff_id: staff_id.to_string(),
        until,
    };
    // 1. Take the attempt. A refusal is its own audited write (or none, when quiet).
    let refuse = |e: LoginError, record| {
        Ok(Written {
            value: Err(e),
            record,
        })
    };
    let taken = super::write_inner(
        store,
        |tx| {
            let Some(creds) = users::credentials(tx, staff_id)? else {
                let record = refused(tx, UNKNOWN_KEY, staff_id, "unknown staff id", now)?;
                return refuse(LoginError::UnknownStaff(staff_id.to_string()), record);
            };
            if creds.user.disabled {
                let record = refused(tx, staff_id, staff_id, "account disabled", now)?;
                return refuse(LoginError::Disabled(staff_id.to_string()), record);
            }
            if creds.password_hash.is_empty() {
                let record = refused(tx, staff_id, staff_id, "no password set", now)?;
                return refuse(LoginError::NoPassword(staff_id.to_string()), record);
            }
            let lock = creds.locked_until.as_deref().and_then(parse_time);
            if let Some(until) = lock.filter(|u| *u > now) {
                let record = refused(tx, staff_id, staff_id, "account locked", now)?;
                return refuse(locked(until), record);
            }
            // An expired lock starts a fresh count.
            let before = if lock.is_some() {
                0
            } else {
                creds.failed_attempts
            };
            if before >= MAX_FAILED_ATTEMPTS {
                // Every try is already in flight: one more is a guess too many.
                let until = now + lock_for;
                users::set_lockout(tx, staff_id, before + 1, Some(&stamp(until)))?;
                let record = login_entry(
                    staff_id,
                    "login.locked",
                    format!("{} attempts at once; until {}", before + 1, stamp(until)),
                );
                return refuse(locked(until), Some(record));
            }
            // Counted as wrong until the hash says otherwise; the outcome is audited in 3.
            users::set_lockout(tx, staff_id, before + 1, None)?;
            Ok(Written::unchanged(Ok(creds)))
        },
        |_| Ok(()),
        Anchoring::Forward,
    );
    // A refusal is reported as such even if its anchor could not be written.
    let creds = match taken {
        Ok((Ok(creds), _)) => creds,
        Ok((Err(e), _)) => return Err(e),
        Err(e) => return Err(e.into()),
    };
    // 2. The slow hash, outside the write lock.
    #[cfg(test)]
    HASH_CHECKS
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .push(store.path().to_path_buf());
    let ok = check_password(password, &creds.password_hash);
    // 3. Settle the attempt against what happened meanwhile: exactly one record.
    let (outcome, anchored) = super::write_inner(
        store,
        |tx| {
            let current = users::credentials(tx, staff_id)?
                .ok_or_else(|| StoreError::NotFound(format!("staff id {staff_id}")))?;
            let lock = current
                .locked_until
                .as_deref()
                .and_then(parse_time)
                .filter(|u| *u > now);
            let settled = |value, action, reason| {
                Ok(Written::change(
                    value,
                    login_entry(staff_id, action, reason),
                ))
            };
            if ok {
                if let Some(until) = lock {
                    return settled(
                        Err(locked(until)),
                        "login.refused",
                        "right password, but the account was locked meanwhile".into(),
                    );
                }
                users::set_lockout(tx, staff_id, 0, None)?;
                return settled(Ok(()), "login.ok", String::new());
            }
            // A success meanwhile reset the counter; this failure still counts.
            let failed = current.failed_attempts.max(1);
            if let Some(until) = lock {
                return settled(
                    Err(locked(until)),
                    "login.failed",
                    format!("attempt {failed}; already locked"),
                );
            }
            if failed >= MAX_FAILED_ATTEMPTS {
                let until = now + lock_for;
                users::set_lockout(tx, staff_id, failed, Some(&stamp(until)))?;
                return settled(
                    Err(locked(until)),
                    "login.locked",
                    format!("{failed} wrong passwords; until {}", stamp(until)),
                );
            }
            users::set_lockout(tx, staff_id, failed, None)?;
            settled(
                Err(LoginError::WrongPassword {
                    staff_id: staff_id.to_string(),
                    remaining: MAX_FAILED_ATTEMPTS - failed,
                }),
                "login.failed",
                format!("attempt {failed}"),
            )
        },
        |_| Ok(()),
        Anchoring::Forward,
    )?;
    // The login is recorded either way; an anchor that cannot be written is a warning.
    let warning = match anchored {
        Ok(()) => None,
        Err(e @ ServiceError::Anchor { .. }) => Some(e),
        Err(e) => return Err(e.into()),
    };
    outcome?;
    Ok(LoggedIn {
        actor: Actor {
            staff_id: creds.user.staff_id,
            role: creds.user.role,
        },
        warning,
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
        let actor = verify_password(&mut store, "k001", "correct horse")
            .unwrap()
            .actor;
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
        assert!(err.message(Lang::Ja).contains("ロック"), "{err}");
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

    fn actions(store: &Store, id: &str) -> Vec<(String, String)> {
        let mut v: Vec<_> = audit::for_object(store.conn(), "user", id, 10_000)
            .unwrap()
            .into_iter()
            .map(|r| (r.entry.action, r.entry.reason))
            .collect();
        v.reverse();
        v
    }

    #[test]
    fn unknown_and_disabled_accounts_are_refused_and_audited() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = store_with(&dir.path().join("d.db"), "correct horse");
        assert!(matches!(
            verify_password(&mut store, "nobody", "x"),
            Err(LoginError::UnknownStaff(_))
        ));
        assert_eq!(
            actions(&store, "nobody"),
            vec![("login.refused".into(), "unknown staff id".into())]
        );
        store
            .write(|tx| users::set_disabled(tx, "k001", true).map(|_| ()))
            .unwrap();
        assert!(matches!(
            verify_password(&mut store, "k001", "correct horse"),
            Err(LoginError::Disabled(_))
        ));
        assert_eq!(actions(&store, "k001").last().unwrap().0, "login.refused");
        // An id that is not a staff id is stored escaped, never raw.
        let later = Utc::now() + Duration::seconds(REFUSED_QUIET_SECONDS + 1);
        let _ = verify_password_at(&mut store, "x\u{1b}[2J", "x", later);
        assert_eq!(actions(&store, "x\\u{1b}[2J").len(), 1);
    }

    #[test]
    fn a_refusal_loop_writes_one_row_a_minute_and_then_the_count() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = store_with(&dir.path().join("d.db"), "correct horse");
        let t0 = Utc::now();
        for i in 0..300 {
            let at = t0 + Duration::milliseconds(i * 100);
            let _ = verify_password_at(&mut store, "ghost", "x", at);
            let _ = verify_password_at(&mut store, &format!("ghost{i}"), "x", at);
        }
        // 600 attempts in 30 seconds against unknown ids: one row.
        let head = audit::head(store.conn()).unwrap().0;
        assert_eq!(head, 1, "{head} rows for a 30-second loop");
        let later = t0 + Duration::seconds(REFUSED_QUIET_SECONDS + 1);
        let _ = verify_password_at(&mut store, "ghost", "x", later);
        let rows = actions(&store, "ghost");
        assert_eq!(rows.len(), 2);
        assert!(rows[1].1.contains("599 more refused attempts"), "{rows:?}");
    }

    #[test]
    fn parallel_guesses_get_at_most_the_allowed_hash_checks() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("d.db");
        drop(store_with(&path, "correct horse"));
        let start = std::sync::Arc::new(std::sync::Barrier::new(41));
        let handles: Vec<_> = (0..41)
            .map(|i| {
                let path = path.clone();
                let start = start.clone();
                std::thread::spawn(move || {
                    let mut store = Store::open(&path).unwrap();
                    let pw = if i == 20 { "correct horse" } else { "wrong" };
                    start.wait();
                    verify_password(&mut store, "k001", pw).is_ok()
                })
            })
            .collect();
        let ok = handles
            .into_iter()
            .map(|h| h.join().unwrap())
            .filter(|ok| *ok)
            .count();
        let checks = HASH_CHECKS
            .lock()
            .unwrap()
            .iter()
            .filter(|p| **p == path)
            .count();
        assert!(
            checks <= MAX_FAILED_ATTEMPTS as usize,
            "{checks} passwords hashed"
        );
        // The right password never gets in after the account was locked.
        let store = Store::open(&path).unwrap();
        let log = actions(&store, "k001");
        let locked_at = log.iter().position(|(a, _)| a == "login.locked");
        let ok_at = log.iter().position(|(a, _)| a == "login.ok");
        assert!(ok <= 1);
        if let (Some(l), Some(o)) = (locked_at, ok_at) {
            assert!(o < l, "login.ok after login.locked: {log:?}");
        }
        assert!(locked_at.is_some(), "{log:?}");
    }

    #[test]
    fn a_success_does_not_clear_a_lock_taken_meanwhile() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("d.db");
        let mut store = store_with(&path, "correct horse");
        let now = Utc::now();
        // Four attempts are already taken (in flight); a fifth takes the last try.
        store
            .write(|tx| users::set_lockout(tx, "k001", MAX_FAILED_ATTEMPTS, None))
            .unwrap();
        let err = verify_password_at(&mut store, "k001", "correct horse", now).unwrap_err();
        assert!(matches!(err, LoginError::Locked { .. }), "{err}");
        let creds = users::credentials(store.conn(), "k001").unwrap().unwrap();
        assert!(creds.locked_until.is_some());
    }

    #[test]
    fn wrong_password_messages_count_tries_before_the_lock() {
        let e = LoginError::WrongPassword {
            staff_id: "k001".into(),
            remaining: 1,
        };
        assert_eq!(
            e.message(Lang::En),
            "wrong password; 1 try left before the account locks"
        );
        assert_eq!(
            e.message(Lang::Ja),
            "パスワードが違います。ロックまであと1回です"
        );
    }

    #[test]
    fn an_unwritable_anchor_does_not_stop_the_login() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("d.db");
        let mut store = store_with(&path, "correct horse");
        // A directory where the anchor file should be: it cannot be replaced.
        std::fs::create_dir(audit::anchor_path(&path)).unwrap();
        let done = verify_password(&mut store, "k001", "correct horse").unwrap();
        assert_eq!(done.actor.staff_id, "k001");
        let w = done.warning.expect("a warning").message(false);
        assert!(
            w.contains(&audit::anchor_path(&path).display().to_string())
                && w.contains("audit verify"),
            "{w}"
        );
        assert_eq!(actions(&store, "k001").last().unwrap().0, "login.ok");
    }
}
