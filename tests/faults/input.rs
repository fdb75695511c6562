//! Unbounded input: pastes, keymaps with huge numbers of bindings.
use crate::Case;

pub fn cases() -> Vec<Case> {
    vec![]
}
