//! Audit evidence, logins and lockout, free-text reasons.
use crate::Case;

pub fn cases() -> Vec<Case> {
    vec![]
}
