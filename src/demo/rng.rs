//! Small helpers over the seeded generator: dates, weighted picks, timestamps.
//!
//! Everything draws from one `ChaCha8Rng` in a fixed order, so a seed names a database.

use chrono::{Datelike, Duration, Months, NaiveDate};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

pub type DemoRng = ChaCha8Rng;

/// Uniform pick from a non-empty slice (callers pass constant, non-empty tables).
pub fn pick<T: Copy>(rng: &mut DemoRng, items: &[T]) -> T {
    items[rng.random_range(0..items.len())]
}

/// Pick by integer weights (the slice must be non-empty with a positive total).
pub fn weighted<'a, T>(rng: &mut DemoRng, items: &'a [(u32, T)]) -> &'a T {
    let total: u32 = items.iter().map(|(w, _)| *w).sum();
    let mut x = rng.random_range(0..total.max(1));
    for (w, item) in items {
        if x < *w {
            return item;
        }
        x -= *w;
    }
    &items[items.len() - 1].1
}

pub fn chance(rng: &mut DemoRng, p: f64) -> bool {
    rng.random_bool(p.clamp(0.0, 1.0))
}

pub fn days(n: i64) -> Duration {
    Duration::days(n)
}

pub fn add_months(d: NaiveDate, n: u32) -> NaiveDate {
    d.checked_add_months(Months::new(n)).unwrap_or(d)
}

pub fn sub_months(d: NaiveDate, n: u32) -> NaiveDate {
    d.checked_sub_months(Months::new(n)).unwrap_or(d)
}

/// A uniformly random date in `from..=to` (or `from` if the range is empty).
pub fn date_between(rng: &mut DemoRng, from: NaiveDate, to: NaiveDate) -> NaiveDate {
    let span = (to - from).num_days();
    if span <= 0 {
        return from;
    }
    from + days(rng.random_range(0..=span))
}

/// A date of birth between the given years.
pub fn dob(rng: &mut DemoRng, from_year: i32, to_year: i32) -> NaiveDate {
    let from = NaiveDate::from_ymd_opt(from_year, 1, 1).unwrap_or_default();
    let to = NaiveDate::from_ymd_opt(to_year, 12, 31).unwrap_or_default();
    date_between(rng, from, to)
}

/// Office-hours timestamp on `d` (09:00–17:59 JST), stored as UTC like `now_utc`.
pub fn office_time(rng: &mut DemoRng, d: NaiveDate) -> String {
    let hour_jst = rng.random_range(9..18);
    let minute = rng.random_range(0..60);
    let second = rng.random_range(0..60);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{minute:02}:{second:02}Z",
        d.year(),
        d.month(),
        d.day(),
        hour_jst - 9
    )
}

/// Midnight JST of `d` as a UTC timestamp: the fixed "created" time of seeded rows.
pub fn stamp(d: NaiveDate) -> String {
    let prev = d.pred_opt().unwrap_or(d);
    format!("{prev}T15:00:00Z")
}

/// `n` random digits.
pub fn digits(rng: &mut DemoRng, n: usize) -> String {
    (0..n)
        .map(|_| char::from(b'0' + rng.random_range(0..10u8)))
        .collect()
}

/// A fictional Tokyo number in the 03-5xxx-xxxx range (no real line is implied).
pub fn phone(rng: &mut DemoRng) -> String {
    format!("03-5{}-{}", digits(rng, 3), digits(rng, 4))
}
