//! Command-line surface: paths that do not exist, foreign files, broken pipes, escaping.
use crate::Case;

pub fn cases() -> Vec<Case> {
    vec![]
}
