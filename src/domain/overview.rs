//! What the overview screen (概況) shows: the counts behind each of its blocks, read in
//! one request. Pure types and the age-band rule; the store fills them.

use super::application::ApplicationStatus;
use super::guidance::GuidanceCounts;
use super::job::JobKind;
use super::view::JobRow;
use chrono::NaiveDate;

/// Bands of days: 0–7, 8–14, 15–30, over 30.
pub const BANDS: [(&str, &str); 4] = [
    ("0-7日", "0-7d"),
    ("8-14日", "8-14d"),
    ("15-30日", "15-30d"),
    ("30日超", "30d+"),
];

/// The band of `days` (negative counts as 0).
pub fn band(days: i64) -> usize {
    match days {
        ..=7 => 0,
        8..=14 => 1,
        15..=30 => 2,
        _ => 3,
    }
}

/// Counts past a deadline, then in each of [`BANDS`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AgeBands {
    pub overdue: usize,
    pub bands: [usize; 4],
}

impl AgeBands {
    pub fn total(&self) -> usize {
        self.overdue + self.bands.iter().sum::<usize>()
    }
}

/// One connection × side of the checklist matrix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChecklistCell {
    pub code: String,
    pub name_ja: String,
    pub name_en: String,
    pub side_ward: bool,
    /// ✗ marks in the latest signed audit; `None` when never audited.
    pub gaps: Option<usize>,
    pub overdue: bool,
}

/// The overview's numbers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Overview {
    pub today: NaiveDate,
    /// The first day of this month and the next 11, with the active designations that
    /// end in each.
    pub expiring: Vec<(NaiveDate, usize)>,
    /// Renewal notices whose day has come and that were not recorded as sent.
    pub renewal_notices_due: usize,
    /// Open applications per status (statuses with none left out).
    pub inbox_by_status: Vec<(ApplicationStatus, usize)>,
    /// Open applications by days left to the processing deadline.
    pub inbox_age: AgeBands,
    /// Open applications assigned to the signed-in user, and how many are overdue.
    pub inbox_mine: usize,
    pub inbox_mine_overdue: usize,
    pub meetings_overdue: usize,
    /// 運営指導 due by the end of this month.
    pub guidance_this_month: usize,
    pub guidance: GuidanceCounts,
    /// Consent requests awaiting an answer, by days since they were sent; `overdue` is
    /// past the answer's due date.
    pub consent_age: AgeBands,
    pub checklist: Vec<ChecklistCell>,
    pub checklist_next_due: Option<NaiveDate>,
    /// The last run of each job kind, in `JobKind::ALL` order.
    pub jobs: Vec<(JobKind, Option<JobRow>)>,
    pub quarantine: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands_cut_at_7_14_30() {
        let got: Vec<usize> = [-3, 0, 7, 8, 14, 15, 30, 31].map(band).to_vec();
        assert_eq!(got, vec![0, 0, 0, 1, 1, 2, 2, 3]);
    }
}
