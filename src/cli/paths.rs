//! Per-user file locations (XDG base directories).

use std::path::PathBuf;

fn xdg(var: &str, fallback: &str) -> PathBuf {
    std::env::var_os(var)
        .filter(|s| !s.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(fallback)))
        .unwrap_or_else(|| PathBuf::from("."))
        .join("daicho")
}

pub fn demo_db_path() -> PathBuf {
    xdg("XDG_DATA_HOME", ".local/share").join("demo.db")
}

/// Panic reports and worker failures go here, not to the alternate screen.
pub fn log_path() -> PathBuf {
    xdg("XDG_STATE_HOME", ".local/state").join("daicho.log")
}
