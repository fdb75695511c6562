//! "Today" for deadlines, shared by the CLI, the TUI and the jobs: the local date, or
//! `DAICHO_TODAY=YYYY-MM-DD` when a test or demo pins it. `main` refuses a malformed
//! value before anything runs (`cli::pinned_today`), so an unreadable one never gets here.

use chrono::NaiveDate;

pub fn today() -> NaiveDate {
    pinned().unwrap_or_else(|| chrono::Local::now().date_naive())
}

fn pinned() -> Option<NaiveDate> {
    let value = std::env::var_os("DAICHO_TODAY")?;
    NaiveDate::parse_from_str(value.to_string_lossy().trim(), "%Y-%m-%d").ok()
}
