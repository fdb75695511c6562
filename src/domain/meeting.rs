//! 運営推進会議 (and 介護・医療連携推進会議 for 76): how often each service must hold one.
//! The interval per service type lives in `fixtures/service_types.csv`; this module only
//! does the date arithmetic.

use chrono::{Months, NaiveDate};

/// Next meeting due: last held + interval; with no meeting yet, designation + interval.
pub fn next_due(
    interval_months: Option<u32>,
    last_held: Option<NaiveDate>,
    designated_on: NaiveDate,
) -> Option<NaiveDate> {
    let months = interval_months?;
    last_held
        .unwrap_or(designated_on)
        .checked_add_months(Months::new(months))
}

pub fn is_overdue(next_due: Option<NaiveDate>, today: NaiveDate) -> bool {
    next_due.is_some_and(|d| d < today)
}

/// Minutes are kept at least two years after the meeting.
pub const MINUTES_RETENTION_YEARS: u32 = 2;

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn intervals() {
        assert_eq!(
            next_due(Some(2), Some(d(2024, 1, 20)), d(2020, 4, 1)),
            Some(d(2024, 3, 20))
        );
        assert_eq!(next_due(Some(6), None, d(2024, 4, 1)), Some(d(2024, 10, 1)));
        assert_eq!(next_due(None, Some(d(2024, 1, 20)), d(2020, 4, 1)), None);
        assert!(is_overdue(Some(d(2024, 3, 20)), d(2024, 3, 21)));
        assert!(!is_overdue(Some(d(2024, 3, 20)), d(2024, 3, 20)));
        assert!(!is_overdue(None, d(2024, 3, 21)));
    }
}
