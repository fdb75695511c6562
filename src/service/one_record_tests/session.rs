use super::*;
use crate::service::session;

pub(super) fn rows() -> Vec<WriteFn> {
    vec![
        row(
            "session",
            "verify_password",
            |s| {
                session::verify_password(s, "demo-viewer", "viewer-demo").unwrap();
            },
            |s| {
                // A refusal is recorded too (login.refused), except inside the quiet
                // time after the last one for the same id: as if one was just written.
                let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
                let quiet = format!("{now} 0");
                crate::store::meta::set(s.conn(), "login.quiet.*unknown*", &quiet).unwrap();
                session::verify_password(s, "nobody", "x").unwrap_err();
            },
        ),
        row(
            "session",
            "verify_password_at",
            |s| {
                let r = session::verify_password_at(s, "demo-viewer", "wrong", chrono::Utc::now());
                assert!(matches!(r, Err(session::LoginError::WrongPassword { .. })));
            },
            |_| {},
        ),
    ]
}
