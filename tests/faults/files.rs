//! Files, backups, restore, purge, exports, demo --force: atomic writes, modes, leftovers.
use crate::Case;

pub fn cases() -> Vec<Case> {
    vec![]
}
