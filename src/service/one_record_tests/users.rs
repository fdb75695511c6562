use super::*;
use crate::service::users;

pub(super) fn rows() -> Vec<WriteFn> {
    vec![
        row(
            "users",
            "add",
            |s| {
                let a = actor(Role::Admin);
                users::add(s, &a, "k900", "新規 職員", Role::Viewer, "long-enough-pw").unwrap();
            },
            |s| {
                let a = actor(Role::Admin);
                let dup = users::add(s, &a, "demo-viewer", "重複", Role::Viewer, "long-enough-pw");
                assert!(dup.is_err());
            },
        ),
        row(
            "users",
            "bootstrap_admin",
            |s| {
                s.conn()
                    .execute(
                        "UPDATE user_account SET disabled = 1 WHERE role = 'admin'",
                        [],
                    )
                    .unwrap();
                users::bootstrap_admin(s, "boot", "最初 管理者", "long-enough-pw").unwrap();
            },
            |s| {
                assert!(
                    users::bootstrap_admin(s, "boot", "最初 管理者", "long-enough-pw").is_err()
                );
            },
        ),
        row(
            "users",
            "set_password",
            |s| {
                let a = actor(Role::Admin);
                users::set_password(s, &a, "demo-viewer", "another-long-pw").unwrap();
            },
            |s| {
                let a = actor(Role::Reviewer);
                denied(users::set_password(s, &a, "demo-viewer", "another-long-pw"));
            },
        ),
        row(
            "users",
            "set_disabled",
            |s| users::set_disabled(s, &actor(Role::Admin), "demo-viewer", true).unwrap(),
            |s| {
                // The last enabled admin stays.
                assert!(users::set_disabled(s, &actor(Role::Admin), "demo-admin", true).is_err());
            },
        ),
        row(
            "users",
            "set_role",
            |s| {
                users::set_role(s, &actor(Role::Admin), "demo-viewer", Role::Reviewer).unwrap();
            },
            |s| {
                let a = actor(Role::Admin);
                assert!(users::set_role(s, &a, "demo-admin", Role::Viewer).is_err());
            },
        ),
    ]
}
