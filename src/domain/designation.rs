//! Designation (指定) periods and the calendar rules staff live by.
//!
//! A designation is valid six years (介護保険法 78条の12 / 115条の21 etc.): designated
//! 2018-04-01 → expires 2024-03-31. Renewal notices go out about two months before
//! expiry. Local practice varies, so the lead times are in [`CalendarRules`] and can be
//! configured.

use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};

pub const VALIDITY_YEARS: u32 = 6;

/// Last day of validity for a designation (or renewal) starting on `from`.
pub fn expiry(from: NaiveDate) -> NaiveDate {
    from.checked_add_months(Months::new(VALIDITY_YEARS * 12))
        .and_then(|d| d.pred_opt())
        .unwrap_or(NaiveDate::MAX)
}

/// The renewal period starts the day after the old one ends.
pub fn renewal_start(old_expiry: NaiveDate) -> NaiveDate {
    old_expiry.succ_opt().unwrap_or(old_expiry)
}

/// Local rules that differ between municipalities. Defaults are Shinjuku practice.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct CalendarRules {
    /// Renewal notice this many months before expiry.
    pub renewal_notice_months: u32,
    /// "Expiring soon" alert window.
    pub expiring_alert_months: u32,
    /// 加算届 filed on or before this day of the month takes effect next month.
    pub addition_cutoff_day: u32,
    /// Service codes whose 加算届 must arrive by the 1st of the month (GH, 地域密着型特養).
    pub addition_first_day_services: Vec<String>,
    /// 変更届出 / 再開届出: within this many days after the change.
    pub change_notice_days: u32,
    /// 廃止・休止 / 指定辞退: this many months before the date.
    pub closure_notice_months: u32,
    /// New designations: the application must be in by the end of the month this many
    /// months before the month it takes effect.
    pub new_designation_lead_months: u32,
}

impl Default for CalendarRules {
    fn default() -> Self {
        Self {
            renewal_notice_months: 2,
            expiring_alert_months: 3,
            addition_cutoff_day: 15,
            addition_first_day_services: ["32", "37", "38", "54"].map(String::from).to_vec(),
            change_notice_days: 10,
            closure_notice_months: 1,
            new_designation_lead_months: 2,
        }
    }
}

pub fn first_of_month(d: NaiveDate) -> NaiveDate {
    d.with_day(1).unwrap_or(d)
}

pub fn end_of_month(d: NaiveDate) -> NaiveDate {
    first_of_month(d)
        .checked_add_months(Months::new(1))
        .and_then(|n| n.pred_opt())
        .unwrap_or(d)
}

impl CalendarRules {
    pub fn renewal_notice_date(&self, expiry: NaiveDate) -> NaiveDate {
        expiry
            .checked_sub_months(Months::new(self.renewal_notice_months))
            .unwrap_or(expiry)
    }

    pub fn is_expiring(&self, expiry: NaiveDate, today: NaiveDate) -> bool {
        let horizon = today
            .checked_add_months(Months::new(self.expiring_alert_months))
            .unwrap_or(today);
        expiry >= today && expiry <= horizon
    }

    /// When a 加算届 filed on `filed` takes effect: filed by the 15th → the 1st of next
    /// month, otherwise the month after. For the services in
    /// `addition_first_day_services` the cutoff is the 1st.
    pub fn addition_effective(&self, service_code: &str, filed: NaiveDate) -> NaiveDate {
        let cutoff = if self
            .addition_first_day_services
            .iter()
            .any(|s| s == service_code)
        {
            1
        } else {
            self.addition_cutoff_day
        };
        let months = if filed.day() <= cutoff { 1 } else { 2 };
        first_of_month(filed)
            .checked_add_months(Months::new(months))
            .unwrap_or(filed)
    }

    /// Last filing day for a 加算届 that should take effect on `effective` (a 1st).
    pub fn addition_deadline(&self, service_code: &str, effective: NaiveDate) -> NaiveDate {
        let prev = first_of_month(effective)
            .checked_sub_months(Months::new(1))
            .unwrap_or(effective);
        if self
            .addition_first_day_services
            .iter()
            .any(|s| s == service_code)
        {
            prev
        } else {
            prev.with_day(self.addition_cutoff_day).unwrap_or(prev)
        }
    }

    /// Last day to apply for a new designation taking effect on `effective`.
    pub fn new_designation_deadline(&self, effective: NaiveDate) -> NaiveDate {
        let m = first_of_month(effective)
            .checked_sub_months(Months::new(self.new_designation_lead_months))
            .unwrap_or(effective);
        end_of_month(m)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn six_year_validity() {
        assert_eq!(expiry(d(2018, 4, 1)), d(2024, 3, 31));
        assert_eq!(renewal_start(d(2024, 3, 31)), d(2024, 4, 1));
        assert_eq!(expiry(d(2024, 4, 1)), d(2030, 3, 31));
        // Leap day: 2020-02-29 + 6 years = 2026-02-28, minus one day.
        assert_eq!(expiry(d(2020, 2, 29)), d(2026, 2, 27));
    }

    #[test]
    fn addition_filing_cutoffs() {
        let r = CalendarRules::default();
        assert_eq!(r.addition_effective("78", d(2024, 3, 15)), d(2024, 4, 1));
        assert_eq!(r.addition_effective("78", d(2024, 3, 16)), d(2024, 5, 1));
        assert_eq!(r.addition_effective("32", d(2024, 3, 1)), d(2024, 4, 1));
        assert_eq!(r.addition_effective("32", d(2024, 3, 2)), d(2024, 5, 1));
        assert_eq!(r.addition_deadline("78", d(2024, 4, 1)), d(2024, 3, 15));
        assert_eq!(r.addition_deadline("54", d(2024, 4, 1)), d(2024, 3, 1));
    }

    #[test]
    fn renewal_and_alerts() {
        let r = CalendarRules::default();
        assert_eq!(r.renewal_notice_date(d(2024, 3, 31)), d(2024, 1, 31));
        assert!(r.is_expiring(d(2024, 3, 31), d(2024, 1, 1)));
        assert!(!r.is_expiring(d(2024, 6, 30), d(2024, 1, 1)));
        assert!(!r.is_expiring(d(2023, 12, 31), d(2024, 1, 1)));
        assert_eq!(r.new_designation_deadline(d(2024, 4, 1)), d(2024, 2, 29));
    }
}
