//! The upkeep part of the demo: meeting kinds, attendance and minutes dates; 運営指導
//! results (some with findings and a pending 改善報告), visits planned this fiscal year,
//! facilities overdue; and a few staff changes in the history with their values.
//!
//! It draws from its own generator (seeded from the demo seed), after everything else,
//! so the rest of the demo stays exactly what it was for a seed.

use super::FacilityFact;
use super::rng::{self, DemoRng, chance, date_between, days};
use crate::domain::guidance::{self, GuidanceFields};
use crate::domain::history::Cause;
use crate::domain::model::FacilityStatus;
use crate::domain::people::StaffFields;
use crate::store::{Result, change_history, guidance as store_guidance, meetings, people};
use chrono::{Days, Months, NaiveDate};
use rand::Rng;
use rusqlite::Connection;

/// Mixed into the demo seed for this generator.
pub const SEED_SALT: u64 = 0x5550_4b45_4550; // "UPKEEP"

/// Who recorded the demo's guidance results and staff changes.
pub const RECORDER: &str = "demo-reviewer";

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct UpkeepCounts {
    pub guidance_results: usize,
    pub guidance_plans: usize,
    pub staff_changes: usize,
}

const FINDINGS: [&str; 6] = [
    "運営規程と重要事項説明書の記載内容が一致していない",
    "従業者の勤務体制一覧表が作成されていない月がある",
    "個別サービス計画の同意日が記録されていない",
    "苦情処理の記録が整理されていない",
    "非常災害対策の訓練記録がない",
    "運営推進会議の議事録が公表されていない",
];

pub fn generate(
    conn: &Connection,
    rng: &mut DemoRng,
    today: NaiveDate,
    facts: &[FacilityFact],
) -> Result<UpkeepCounts> {
    meetings::seed_details(conn, today)?;
    let inputs = store_guidance::designations_and_last(conn, None)?;
    let (_, fy_end) = guidance::fiscal_year_range(guidance::fiscal_year(today));
    let mut counts = UpkeepCounts::default();
    for fact in facts {
        if fact.status == FacilityStatus::Closed {
            continue;
        }
        let Some((ds, _)) = inputs.get(&fact.id) else {
            continue;
        };
        let Some(months) = ds.iter().filter_map(|d| d.0).min() else {
            continue;
        };
        let Some(designated) = ds.iter().map(|d| d.1).min() else {
            continue;
        };
        let first_due = guidance::next_due(Some(months), None, designated).unwrap_or(designated);
        let period_start = today
            .checked_sub_months(Months::new(months))
            .unwrap_or(today)
            .max(designated);
        // Most facilities past their first due date had a visit within the interval;
        // about one in ten has let it lapse (overdue), with an older visit or none.
        let held = if first_due < today {
            if chance(rng, 0.9) {
                Some(date_between(rng, period_start + days(20), today - days(10)))
            } else if chance(rng, 0.5) && designated + days(60) < period_start - days(30) {
                Some(date_between(
                    rng,
                    designated + days(60),
                    period_start - days(30),
                ))
            } else {
                None
            }
        } else {
            None
        };
        if let Some(h) = held {
            let mut f = GuidanceFields {
                held_on: h.to_string(),
                ..Default::default()
            };
            if chance(rng, 0.4) {
                f.findings = rng::pick(rng, &FINDINGS).to_string();
                let due = h + days(rng.random_range(30..=60));
                f.improvement_due_on = due.to_string();
                // Most reports arrive by their due date; recent ones may still be open.
                if due < today && chance(rng, 0.85) {
                    f.improvement_received_on = date_between(rng, h + days(14), due).to_string();
                }
            }
            store_guidance::insert_unrefreshed(conn, fact.id, &f, RECORDER)?;
            change_history::record_at(
                conn,
                fact.id,
                &rng::office_time(rng, h.checked_add_days(Days::new(1)).unwrap_or(h)),
                RECORDER,
                &Cause::command("guidance.record"),
                &GuidanceFields::changes(None, &f),
            )?;
            counts.guidance_results += 1;
        }
        // Half the facilities due this fiscal year have their visit on the calendar.
        let due = guidance::next_due(Some(months), held, designated);
        if let Some(due) = due.filter(|d| *d <= fy_end)
            && chance(rng, 0.5)
        {
            // Overdue ones are booked within the next three months.
            let from = today + days(7);
            let by = if due < from { from + days(90) } else { due };
            let planned = date_between(rng, from, by.min(fy_end));
            let f = GuidanceFields {
                planned_on: planned.to_string(),
                ..Default::default()
            };
            store_guidance::insert_unrefreshed(conn, fact.id, &f, RECORDER)?;
            counts.guidance_plans += 1;
        }
        // A few facilities show a staff change with values (an address: personal, masked).
        if chance(rng, 0.05)
            && let Some(s) = people::staff(conn, fact.id, false)?.pop()
        {
            let mut after: StaffFields = s.fields.clone();
            after.address = format!(
                "東京都新宿区戸山{}-{}-{}",
                rng.random_range(1..=3),
                rng.random_range(1..=30),
                rng.random_range(1..=20)
            );
            after.job_title = "介護職員".into();
            people::update_staff(conn, s.id, s.version, &after, None)?;
            let when = date_between(rng, today - days(120), today - days(1));
            change_history::record_at(
                conn,
                fact.id,
                &rng::office_time(rng, when),
                RECORDER,
                &Cause::command("staff.update"),
                &StaffFields::changes(Some(&s.fields), &after),
            )?;
            counts.staff_changes += 1;
        }
    }
    store_guidance::refresh_all(conn)?;
    Ok(counts)
}
