//! 運営指導 (on-site operational guidance): how often each facility is due, the fiscal
//! year plan, and the result record (date, findings, 改善報告 due and received).
//!
//! The interval per service is reference data (`guidance_interval_months` in
//! `fixtures/service_types.csv`: 72 = once within each 6-year designation period, 36 for
//! 施設・居住系 such as 32, 36, 54). A facility is due `interval` months after its last
//! guidance — or after its designation when it has had none — less a day, so a 72-month
//! interval from a designation on 2018-04-01 is due by 2024-03-31, the period's last day.

use super::validate::{self, FieldError};
use super::{text, wareki};
use chrono::{Datelike, Days, Months, NaiveDate};

/// The day by which the next guidance is due.
pub fn next_due(
    interval_months: Option<u32>,
    last_held: Option<NaiveDate>,
    designated_on: NaiveDate,
) -> Option<NaiveDate> {
    last_held
        .unwrap_or(designated_on)
        .checked_add_months(Months::new(interval_months?))?
        .checked_sub_days(Days::new(1))
}

/// A facility's due date over its active designations `(interval, designated_on)`: the
/// earliest any of its services asks for.
pub fn facility_next_due(
    designations: &[(Option<u32>, NaiveDate)],
    last_held: Option<NaiveDate>,
) -> Option<NaiveDate> {
    designations
        .iter()
        .filter_map(|(interval, designated)| next_due(*interval, last_held, *designated))
        .min()
}

/// The fiscal year (年度, April to March) a date falls in, by its starting year.
pub fn fiscal_year(d: NaiveDate) -> i32 {
    if d.month() >= 4 {
        d.year()
    } else {
        d.year() - 1
    }
}

/// First and last day of fiscal year `fy`.
pub fn fiscal_year_range(fy: i32) -> (NaiveDate, NaiveDate) {
    let start = NaiveDate::from_ymd_opt(fy, 4, 1).unwrap_or(NaiveDate::MIN);
    let end = NaiveDate::from_ymd_opt(fy + 1, 3, 31).unwrap_or(NaiveDate::MAX);
    (start, end)
}

/// `令和7年度` / `FY2025 (Reiwa 7)`.
pub fn fiscal_year_label(fy: i32, ja: bool) -> String {
    let (start, _) = fiscal_year_range(fy);
    let long = wareki::format_long(start);
    // 令和7年4月1日 → 令和7年度
    let era_year = long.split('年').next().unwrap_or(&long).to_string();
    if ja {
        format!("{era_year}年度")
    } else {
        format!(
            "FY{fy} ({})",
            wareki::format_en(start).split(" (").next().unwrap_or("")
        )
    }
}

/// The month of the plan a facility is listed under: its planned date if it has one in
/// the year, else its due date — or the year's first month when it was due before.
pub fn plan_month(
    fy: i32,
    next_due: Option<NaiveDate>,
    planned_on: Option<NaiveDate>,
) -> Option<NaiveDate> {
    let (start, end) = fiscal_year_range(fy);
    let d = match planned_on.filter(|p| (start..=end).contains(p)) {
        Some(p) => p,
        None => next_due.filter(|d| *d <= end)?.max(start),
    };
    d.with_day(1)
}

/// One facility in the yearly plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanEntry {
    pub facility_id: i64,
    pub provider_number: String,
    pub name: String,
    pub services: String,
    pub last_held: Option<NaiveDate>,
    pub next_due: Option<NaiveDate>,
    /// A scheduled visit not yet held, if any.
    pub planned_on: Option<NaiveDate>,
    /// First day of the month it is listed under.
    pub month: NaiveDate,
    /// Due before today and not yet held.
    pub overdue: bool,
}

/// The plan for a fiscal year: facilities by month (April first), each month in due order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct YearPlan {
    pub fiscal_year: i32,
    /// (first day of month, entries), all twelve months in order, empty ones included.
    pub months: Vec<(NaiveDate, Vec<PlanEntry>)>,
    pub total: usize,
    pub overdue: usize,
}

impl YearPlan {
    /// Groups `entries` (already chosen for `fy`) into the twelve months.
    pub fn new(fy: i32, mut entries: Vec<PlanEntry>) -> YearPlan {
        entries.sort_by(|a, b| {
            (a.month, a.planned_on.or(a.next_due), a.facility_id).cmp(&(
                b.month,
                b.planned_on.or(b.next_due),
                b.facility_id,
            ))
        });
        let (start, _) = fiscal_year_range(fy);
        let total = entries.len();
        let overdue = entries.iter().filter(|e| e.overdue).count();
        let mut months: Vec<(NaiveDate, Vec<PlanEntry>)> = (0..12)
            .filter_map(|i| start.checked_add_months(Months::new(i)))
            .map(|m| (m, Vec::new()))
            .collect();
        for e in entries {
            if let Some(slot) = months.iter_mut().find(|(m, _)| *m == e.month) {
                slot.1.push(e);
            }
        }
        YearPlan {
            fiscal_year: fy,
            months,
            total,
            overdue,
        }
    }
}

/// A guidance record as a form edits it (dates ISO or 和暦).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct GuidanceFields {
    pub planned_on: String,
    pub held_on: String,
    pub findings: String,
    pub improvement_due_on: String,
    pub improvement_received_on: String,
    pub note: String,
}

super::history::fields_by_name!(
    GuidanceFields,
    "guidance",
    [
        planned_on,
        held_on,
        findings,
        improvement_due_on,
        improvement_received_on,
        note
    ]
);

/// Longest findings or note text, in characters (several lines allowed).
pub const MAX_TEXT_CHARS: usize = 2000;

impl GuidanceFields {
    /// Canonical values or every refused field. A record is a plan (a planned date) or
    /// a result (the date held, not after `today`); the 改善報告 is due and received on
    /// or after that date, and received not after `today`.
    pub fn validated(&self, today: NaiveDate) -> Result<GuidanceFields, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut date =
            |field: &'static str, value: &str| match validate::optional_date(field, value) {
                Ok(d) => d,
                Err(e) => {
                    errors.push(e);
                    None
                }
            };
        let planned = date("guidance.planned_on", &self.planned_on);
        let held = date("guidance.held_on", &self.held_on);
        let due = date("guidance.improvement_due_on", &self.improvement_due_on);
        let received = date(
            "guidance.improvement_received_on",
            &self.improvement_received_on,
        );
        let mut refuse = |field: &'static str, ja: &str, en: &str| {
            errors.push(FieldError::new(field, ja, en));
        };
        if planned.is_none()
            && held.is_none()
            && self.planned_on.trim().is_empty()
            && self.held_on.trim().is_empty()
        {
            refuse(
                "guidance.held_on",
                "運営指導の実施日か予定日を入力してください",
                "enter the date the guidance was held or is planned",
            );
        }
        if held.is_some_and(|h| h > today) {
            refuse(
                "guidance.held_on",
                "運営指導の実施日に今日より後の日付は入れられません（予定なら予定日に入力してください）",
                "the guidance date cannot be after today (enter a future date as the planned date)",
            );
        }
        if (due.is_some() || received.is_some()) && held.is_none() {
            refuse(
                "guidance.improvement_due_on",
                "改善報告は運営指導の実施日を入力してから記録してください",
                "record the improvement report after entering the guidance date",
            );
        }
        if let (Some(h), Some(d)) = (held, due)
            && d < h
        {
            refuse(
                "guidance.improvement_due_on",
                "改善報告の期限が運営指導の実施日より前です",
                "the improvement report is due before the guidance date",
            );
        }
        if let Some(r) = received {
            if held.is_some_and(|h| r < h) {
                refuse(
                    "guidance.improvement_received_on",
                    "改善報告の受領日が運営指導の実施日より前です",
                    "the improvement report was received before the guidance date",
                );
            } else if r > today {
                refuse(
                    "guidance.improvement_received_on",
                    "改善報告の受領日に今日より後の日付は入れられません",
                    "the improvement report received date cannot be after today",
                );
            }
        }
        let mut long_text = |field: &'static str, value: &str| {
            let v = text::fold_halfwidth_kana(value.trim()).into_owned();
            match text::check_free_text(field, &v, MAX_TEXT_CHARS, true) {
                Ok(()) => v,
                Err(_) => {
                    let (ja, en) = validate::label(field);
                    errors.push(FieldError::new(
                        field,
                        format!("{ja}は{MAX_TEXT_CHARS}文字以内で、制御文字を含めずに入力してください"),
                        format!("the {en} takes at most {MAX_TEXT_CHARS} characters and no control characters"),
                    ));
                    String::new()
                }
            }
        };
        let findings = long_text("guidance.findings", &self.findings);
        let note = long_text("guidance.note", &self.note);
        let iso = |d: Option<NaiveDate>| d.map_or(String::new(), |d| d.to_string());
        let out = GuidanceFields {
            planned_on: iso(planned),
            held_on: iso(held),
            findings,
            improvement_due_on: iso(due),
            improvement_received_on: iso(received),
            note,
        };
        if errors.is_empty() {
            Ok(out)
        } else {
            Err(errors)
        }
    }

    fn date(s: &str) -> Option<NaiveDate> {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
    }

    pub fn held_on_date(&self) -> Option<NaiveDate> {
        Self::date(&self.held_on)
    }

    pub fn planned_on_date(&self) -> Option<NaiveDate> {
        Self::date(&self.planned_on)
    }

    /// An 改善報告 is due and not yet received.
    pub fn improvement_pending(&self) -> bool {
        !self.improvement_due_on.is_empty() && self.improvement_received_on.is_empty()
    }
}

/// A guidance record as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Guidance {
    pub id: i64,
    pub facility_id: i64,
    pub fields: GuidanceFields,
    pub recorded_by: String,
    pub version: i64,
}

/// A facility's guidance status for its detail view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GuidanceStatus {
    pub last_held: Option<NaiveDate>,
    pub next_due: Option<NaiveDate>,
    /// The shortest interval among its active services, in months.
    pub interval_months: Option<u32>,
    /// Records, newest first.
    pub records: Vec<Guidance>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn due_within_the_period_or_three_years() {
        // Once within each 6-year period: designated 2018-04-01 → by 2024-03-31.
        assert_eq!(
            next_due(Some(72), None, d(2018, 4, 1)),
            Some(d(2024, 3, 31))
        );
        assert_eq!(
            next_due(Some(72), Some(d(2021, 10, 5)), d(2018, 4, 1)),
            Some(d(2027, 10, 4))
        );
        assert_eq!(
            next_due(Some(36), None, d(2018, 4, 1)),
            Some(d(2021, 3, 31))
        );
        assert_eq!(next_due(None, None, d(2018, 4, 1)), None);
        // A GH with a day service: the GH's 3 years decide.
        assert_eq!(
            facility_next_due(
                &[(Some(72), d(2018, 4, 1)), (Some(36), d(2018, 4, 1))],
                None
            ),
            Some(d(2021, 3, 31))
        );
    }

    #[test]
    fn fiscal_years_and_plan_months() {
        assert_eq!(fiscal_year(d(2025, 3, 31)), 2024);
        assert_eq!(fiscal_year(d(2025, 4, 1)), 2025);
        assert_eq!(fiscal_year_range(2025), (d(2025, 4, 1), d(2026, 3, 31)));
        assert_eq!(fiscal_year_label(2025, true), "令和7年度");
        assert_eq!(fiscal_year_label(2025, false), "FY2025 (Reiwa 7)");
        assert_eq!(
            plan_month(2025, Some(d(2025, 9, 30)), None),
            Some(d(2025, 9, 1))
        );
        // Overdue from last year: the first month.
        assert_eq!(
            plan_month(2025, Some(d(2024, 12, 1)), None),
            Some(d(2025, 4, 1))
        );
        // Planned earlier than due: the planned month.
        assert_eq!(
            plan_month(2025, Some(d(2026, 3, 31)), Some(d(2025, 11, 12))),
            Some(d(2025, 11, 1))
        );
        assert_eq!(plan_month(2025, Some(d(2026, 4, 1)), None), None);
    }

    #[test]
    fn year_plan_groups_by_month() {
        let e = |id: i64, due: NaiveDate, overdue: bool| PlanEntry {
            facility_id: id,
            provider_number: String::new(),
            name: String::new(),
            services: String::new(),
            last_held: None,
            next_due: Some(due),
            planned_on: None,
            month: plan_month(2025, Some(due), None).unwrap(),
            overdue,
        };
        let plan = YearPlan::new(
            2025,
            vec![
                e(2, d(2025, 9, 3), false),
                e(1, d(2024, 1, 1), true),
                e(3, d(2025, 9, 1), false),
            ],
        );
        assert_eq!(plan.months.len(), 12);
        assert_eq!(plan.total, 3);
        assert_eq!(plan.overdue, 1);
        assert_eq!(plan.months[0].1[0].facility_id, 1);
        let sept: Vec<i64> = plan.months[5].1.iter().map(|x| x.facility_id).collect();
        assert_eq!(sept, [3, 2]);
    }

    #[test]
    fn result_records() {
        let today = d(2025, 6, 15);
        let ok = GuidanceFields {
            held_on: "R7.6.2".into(),
            findings: "ｹｱﾌﾟﾗﾝの記載不備\n研修記録".into(),
            improvement_due_on: "2025-07-31".into(),
            ..Default::default()
        }
        .validated(today)
        .unwrap();
        assert_eq!(ok.held_on, "2025-06-02");
        assert!(ok.findings.starts_with("ケアプラン"));
        assert!(ok.improvement_pending());
        let errs = GuidanceFields::default().validated(today).unwrap_err();
        assert_eq!(errs[0].ja, "運営指導の実施日か予定日を入力してください");
        let errs = GuidanceFields {
            held_on: "2025-06-20".into(),
            ..Default::default()
        }
        .validated(today)
        .unwrap_err();
        assert_eq!(errs[0].field, "guidance.held_on");
        let errs = GuidanceFields {
            held_on: "2025-06-02".into(),
            improvement_due_on: "2025-05-01".into(),
            improvement_received_on: "2025-05-02".into(),
            ..Default::default()
        }
        .validated(today)
        .unwrap_err();
        let fields: Vec<_> = errs.iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            [
                "guidance.improvement_due_on",
                "guidance.improvement_received_on"
            ]
        );
        assert!(
            GuidanceFields {
                planned_on: "2025-09-10".into(),
                ..Default::default()
            }
            .validated(today)
            .is_ok()
        );
    }

    proptest! {
        #[test]
        fn due_is_after_the_base_and_within_the_interval(days in 0u64..20_000, months in 1u32..120) {
            let base = d(1990, 1, 1) + Days::new(days);
            let due = next_due(Some(months), Some(base), d(1980, 1, 1)).unwrap();
            prop_assert!(due >= base);
            prop_assert!(due < base.checked_add_months(Months::new(months)).unwrap());
        }

        #[test]
        fn plan_month_is_in_the_year(days in 0u64..5_000, fy in 2019i32..2030) {
            let due = d(2015, 1, 1) + Days::new(days);
            if let Some(m) = plan_month(fy, Some(due), None) {
                let (s, e) = fiscal_year_range(fy);
                prop_assert!(m >= s && m <= e && m.day() == 1);
            }
        }
    }
}

/// What the header counts for 運営指導.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GuidanceCounts {
    /// Facilities due by the end of the current fiscal year (overdue included).
    pub due_this_year: usize,
    /// Facilities whose due date has passed.
    pub overdue: usize,
    /// Results whose 改善報告 is past due and not received.
    pub improvement_overdue: usize,
}
