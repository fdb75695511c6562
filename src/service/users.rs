//! Staff account administration: only an admin manages users (`Action::ManageUsers`),
//! except the bootstrap — the first admin on a database that has none.

use super::{Result, ServiceError, Written, invalid};
use crate::domain::permission::{Action, Actor, Provenance, Role, authorize};
use crate::store::{Store, audit, seed, users};

/// Longest display name, in characters.
pub const MAX_NAME_CHARS: usize = 100;
/// Minimum password length in characters.
pub const MIN_PASSWORD_CHARS: usize = 10;

/// Staff ids are `[A-Za-z0-9._-]{1,32}`: safe inside an SSH forced command.
pub fn valid_staff_id(id: &str) -> bool {
    (1..=32).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
}

fn check_staff_id(id: &str) -> Result<()> {
    // `system` is the cron identity of `sync run --as-system` and the actor of
    // maintenance records; an account of that name would be indistinguishable in the log.
    if id.eq_ignore_ascii_case(super::maintenance::SYSTEM_ACTOR) {
        return Err(invalid(
            "staff_id",
            &format!("職員ID {id} は定期実行用に予約されています。別のIDにしてください"),
            &format!("staff id {id} is reserved for scheduled jobs; choose another id"),
        ));
    }
    if valid_staff_id(id) {
        Ok(())
    } else {
        Err(invalid(
            "staff_id",
            "職員IDは英数字と . _ - の1〜32文字にしてください",
            "a staff id must be 1-32 characters of A-Z a-z 0-9 . _ -",
        ))
    }
}

fn check_password(staff_id: &str, password: &str) -> Result<()> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(invalid(
            "password",
            &format!("パスワードは{MIN_PASSWORD_CHARS}文字以上にしてください"),
            &format!("the password must have at least {MIN_PASSWORD_CHARS} characters"),
        ));
    }
    if password == staff_id {
        return Err(invalid(
            "password",
            "職員IDと同じパスワードは使えません",
            "the password must differ from the staff id",
        ));
    }
    Ok(())
}

fn entry(actor: &str, action: &str, staff_id: &str, fields: &[&str], reason: &str) -> audit::Entry {
    audit::Entry {
        actor: actor.to_string(),
        action: action.into(),
        object_type: "user".into(),
        object_id: staff_id.to_string(),
        fields: fields.iter().map(|s| s.to_string()).collect(),
        reason: reason.to_string(),
    }
}

fn manage(actor: &Actor) -> Result<()> {
    authorize(actor, Action::ManageUsers, &Provenance::default())?;
    Ok(())
}

/// True if no enabled admin exists yet (the next admin added is the bootstrap).
pub fn needs_bootstrap(store: &Store) -> Result<bool> {
    Ok(users::count_active_admins(store.conn())? == 0)
}

/// Adds an account with a password.
pub fn add(
    store: &mut Store,
    actor: &Actor,
    staff_id: &str,
    display_name: &str,
    role: Role,
    password: &str,
) -> Result<()> {
    manage(actor)?;
    insert(
        store,
        &actor.staff_id,
        staff_id,
        display_name,
        role,
        password,
        "",
    )
}

/// The first admin, on a database without one; refused once any admin exists.
pub fn bootstrap_admin(
    store: &mut Store,
    staff_id: &str,
    display_name: &str,
    password: &str,
) -> Result<()> {
    if !needs_bootstrap(store)? {
        return Err(ServiceError::Denied(crate::domain::permission::Denied {
            ja: "管理者が既にいます。管理者としてログインして追加してください".into(),
            en: "an admin already exists; add users as an admin (--staff ADMIN_ID)".into(),
        }));
    }
    insert(
        store,
        staff_id,
        staff_id,
        display_name,
        Role::Admin,
        password,
        "bootstrap: first admin",
    )
}

fn insert(
    store: &mut Store,
    by: &str,
    staff_id: &str,
    display_name: &str,
    role: Role,
    password: &str,
    reason: &str,
) -> Result<()> {
    check_staff_id(staff_id)?;
    if display_name.trim().is_empty() {
        return Err(invalid(
            "display_name",
            "氏名を入力してください",
            "a display name is required",
        ));
    }
    super::free_text("display_name", display_name.trim(), MAX_NAME_CHARS, false)?;
    check_password(staff_id, password)?;
    let hash = super::session::hash_password(password)?;
    let bootstrap = role == Role::Admin && !reason.is_empty();
    super::audited_write(store, |tx| {
        if users::get(tx, staff_id)?.is_some() {
            return Err(invalid(
                "staff_id",
                &format!("職員ID {staff_id} は既に登録されています"),
                &format!("staff id {staff_id} already exists"),
            ));
        }
        // Re-checked under the write lock: two bootstraps at once cannot both win.
        if bootstrap && users::count_active_admins(tx)? > 0 {
            return Err(invalid(
                "role",
                "管理者が既にいます。管理者としてログインして追加してください",
                "an admin already exists; add users as an admin (--staff ADMIN_ID)",
            ));
        }
        seed::insert_user(tx, staff_id, display_name.trim(), role.code(), &hash)?;
        Ok(Written::change(
            (),
            entry(by, "user.add", staff_id, &["role", "password"], reason),
        ))
    })
}

fn require_user(store: &Store, staff_id: &str) -> Result<users::User> {
    users::get(store.conn(), staff_id)?.ok_or_else(|| {
        invalid(
            "staff_id",
            &format!(
                "職員ID {} は登録されていません",
                crate::domain::text::escape_for_terminal(staff_id)
            ),
            &format!(
                "staff id {} is not registered",
                crate::domain::text::escape_for_terminal(staff_id)
            ),
        )
    })
}

/// Sets a new password and clears any lock.
pub fn set_password(
    store: &mut Store,
    actor: &Actor,
    staff_id: &str,
    password: &str,
) -> Result<()> {
    manage(actor)?;
    require_user(store, staff_id)?;
    check_password(staff_id, password)?;
    let hash = super::session::hash_password(password)?;
    super::audited_write(store, |tx| {
        users::set_password_hash(tx, staff_id, &hash)?;
        Ok(Written::change(
            (),
            entry(&actor.staff_id, "user.passwd", staff_id, &["password"], ""),
        ))
    })
}

/// Nobody removes the last enabled admin (that would lock everyone out of user admin).
fn keep_one_admin(tx: &rusqlite::Connection, user: &users::User) -> Result<()> {
    if user.role == Role::Admin && !user.disabled && users::count_active_admins(tx)? <= 1 {
        return Err(invalid(
            "staff_id",
            &format!(
                "{} は最後の有効な管理者です。先に別の管理者を追加してください",
                user.staff_id
            ),
            &format!(
                "{} is the last enabled admin; add another admin first",
                user.staff_id
            ),
        ));
    }
    Ok(())
}

pub fn set_disabled(
    store: &mut Store,
    actor: &Actor,
    staff_id: &str,
    disabled: bool,
) -> Result<()> {
    manage(actor)?;
    let user = require_user(store, staff_id)?;
    super::audited_write(store, |tx| {
        if disabled {
            keep_one_admin(tx, &user)?;
        }
        users::set_disabled(tx, staff_id, disabled)?;
        let action = if disabled {
            "user.disable"
        } else {
            "user.enable"
        };
        Ok(Written::change(
            (),
            entry(&actor.staff_id, action, staff_id, &["disabled"], ""),
        ))
    })
}

pub fn set_role(store: &mut Store, actor: &Actor, staff_id: &str, role: Role) -> Result<()> {
    manage(actor)?;
    let user = require_user(store, staff_id)?;
    super::audited_write(store, |tx| {
        if role != Role::Admin {
            keep_one_admin(tx, &user)?;
        }
        users::set_role(tx, staff_id, role)?;
        Ok(Written::change(
            (),
            entry(
                &actor.staff_id,
                "user.role",
                staff_id,
                &["role"],
                &format!("{} -> {}", user.role.code(), role.code()),
            ),
        ))
    })
}

pub fn list(store: &Store, actor: &Actor) -> Result<Vec<users::User>> {
    manage(actor)?;
    Ok(users::list(store.conn())?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn admin() -> Actor {
        Actor {
            staff_id: "a001".into(),
            role: Role::Admin,
        }
    }

    #[test]
    fn the_system_id_is_reserved_for_scheduled_jobs() {
        let mut store = Store::open_in_memory().unwrap();
        bootstrap_admin(&mut store, "a001", "管理 一郎", "admin-password").unwrap();
        for id in ["system", "SYSTEM"] {
            let err = add(
                &mut store,
                &admin(),
                id,
                "定期 実行",
                Role::Viewer,
                "long-password",
            )
            .unwrap_err();
            assert!(err.message(true).contains("予約"), "{}", err.message(true));
            assert!(err.message(false).contains("reserved"));
        }
        assert!(store.user("system").unwrap().is_none());
    }

    #[test]
    fn bootstrap_once_then_admin_only() {
        let mut store = Store::open_in_memory().unwrap();
        assert!(needs_bootstrap(&store).unwrap());
        bootstrap_admin(&mut store, "a001", "管理 一郎", "admin-password").unwrap();
        assert!(!needs_bootstrap(&store).unwrap());
        assert!(bootstrap_admin(&mut store, "a002", "管理 二郎", "admin-password").is_err());
        add(
            &mut store,
            &admin(),
            "k001",
            "審査 一郎",
            Role::Reviewer,
            "reviewer-password",
        )
        .unwrap();
        let reviewer = Actor {
            staff_id: "k001".into(),
            role: Role::Reviewer,
        };
        let err = add(
            &mut store,
            &reviewer,
            "k002",
            "x",
            Role::Viewer,
            "viewer-password",
        )
        .unwrap_err();
        assert!(matches!(err, ServiceError::Denied(_)));
        let approver = Actor {
            staff_id: "p001".into(),
            role: Role::Approver,
        };
        assert!(matches!(
            set_role(&mut store, &approver, "k001", Role::Approver),
            Err(ServiceError::Denied(_))
        ));
    }

    #[test]
    fn bad_ids_short_passwords_and_last_admin_are_refused() {
        let mut store = Store::open_in_memory().unwrap();
        assert!(matches!(
            bootstrap_admin(&mut store, "a 001", "x", "admin-password"),
            Err(ServiceError::Invalid(_))
        ));
        assert!(matches!(
            bootstrap_admin(&mut store, "a001", "x", "short"),
            Err(ServiceError::Invalid(_))
        ));
        bootstrap_admin(&mut store, "a001", "x", "admin-password").unwrap();
        assert!(set_disabled(&mut store, &admin(), "a001", true).is_err());
        assert!(set_role(&mut store, &admin(), "a001", Role::Viewer).is_err());
        assert!(valid_staff_id("k.001_x-9"));
        assert!(!valid_staff_id("k001;rm"));
        assert!(!valid_staff_id(&"x".repeat(33)));
    }
}
