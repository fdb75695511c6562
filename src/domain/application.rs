//! Applications and notifications (申請・届出): kinds, the status workflow, deadlines.

use super::designation::CalendarRules;
use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApplicationKind {
    NewDesignation,
    Renewal,
    Change,
    Addition,
    ClosureOrSuspension,
    Resumption,
    Withdrawal,
}

impl ApplicationKind {
    pub const ALL: [ApplicationKind; 7] = [
        Self::NewDesignation,
        Self::Renewal,
        Self::Change,
        Self::Addition,
        Self::ClosureOrSuspension,
        Self::Resumption,
        Self::Withdrawal,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::NewDesignation => "new",
            Self::Renewal => "renewal",
            Self::Change => "change",
            Self::Addition => "addition",
            Self::ClosureOrSuspension => "closure",
            Self::Resumption => "resumption",
            Self::Withdrawal => "withdrawal",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn label_ja(self) -> &'static str {
        match self {
            Self::NewDesignation => "新規指定申請",
            Self::Renewal => "指定更新申請",
            Self::Change => "変更届出",
            Self::Addition => "加算届",
            Self::ClosureOrSuspension => "廃止・休止届出",
            Self::Resumption => "再開届出",
            Self::Withdrawal => "指定辞退届出",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            Self::NewDesignation => "New designation",
            Self::Renewal => "Renewal",
            Self::Change => "Change notice",
            Self::Addition => "Addition notice",
            Self::ClosureOrSuspension => "Closure/suspension",
            Self::Resumption => "Resumption",
            Self::Withdrawal => "Withdrawal",
        }
    }

    /// Filing deadline for an event on `event_date` (the change, the effective date, the
    /// closure, the expiry for renewals).
    pub fn deadline(
        self,
        rules: &CalendarRules,
        service_code: &str,
        event_date: NaiveDate,
    ) -> NaiveDate {
        let days = |n: u32| event_date + chrono::Duration::days(i64::from(n));
        let months_before = |n: u32| {
            event_date
                .checked_sub_months(Months::new(n))
                .unwrap_or(event_date)
        };
        match self {
            Self::NewDesignation => rules.new_designation_deadline(event_date),
            Self::Renewal => event_date,
            Self::Change | Self::Resumption => days(rules.change_notice_days),
            Self::Addition => rules.addition_deadline(service_code, event_date),
            Self::ClosureOrSuspension | Self::Withdrawal => {
                months_before(rules.closure_notice_months)
            }
        }
    }
}

/// 提出済 → 受付 → 審査中 ⇄ 差戻し (→ 再提出 → 審査中) → 決定 → 結果通知済; 取下げ and 却下
/// end it early.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApplicationStatus {
    Submitted,
    Accepted,
    UnderReview,
    Returned,
    /// The facility sent the case back corrected after 差戻し.
    Resubmitted,
    Decided,
    Notified,
    Withdrawn,
    Rejected,
}

impl ApplicationStatus {
    pub const ALL: [ApplicationStatus; 9] = [
        Self::Submitted,
        Self::Accepted,
        Self::UnderReview,
        Self::Returned,
        Self::Resubmitted,
        Self::Decided,
        Self::Notified,
        Self::Withdrawn,
        Self::Rejected,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::Submitted => "submitted",
            Self::Accepted => "accepted",
            Self::UnderReview => "under_review",
            Self::Returned => "returned",
            Self::Resubmitted => "resubmitted",
            Self::Decided => "decided",
            Self::Notified => "notified",
            Self::Withdrawn => "withdrawn",
            Self::Rejected => "rejected",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn label_ja(self) -> &'static str {
        match self {
            Self::Submitted => "提出済",
            Self::Accepted => "受付",
            Self::UnderReview => "審査中",
            Self::Returned => "差戻し",
            Self::Resubmitted => "再提出",
            Self::Decided => "決定",
            Self::Notified => "結果通知済",
            Self::Withdrawn => "取下げ",
            Self::Rejected => "却下",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            Self::Submitted => "Submitted",
            Self::Accepted => "Accepted",
            Self::UnderReview => "Under review",
            Self::Returned => "Returned",
            Self::Resubmitted => "Resubmitted",
            Self::Decided => "Decided",
            Self::Notified => "Notified",
            Self::Withdrawn => "Withdrawn",
            Self::Rejected => "Rejected",
        }
    }

    pub fn is_open(self) -> bool {
        !matches!(self, Self::Notified | Self::Withdrawn | Self::Rejected)
    }

    /// The statuses reachable from this one.
    pub fn next(self) -> &'static [ApplicationStatus] {
        use ApplicationStatus::*;
        match self {
            Submitted => &[Accepted, Withdrawn],
            Accepted => &[UnderReview, Withdrawn],
            UnderReview => &[Returned, Decided, Rejected, Withdrawn],
            Returned => &[Resubmitted, UnderReview, Withdrawn],
            Resubmitted => &[UnderReview, Withdrawn],
            Decided => &[Notified],
            Notified | Withdrawn | Rejected => &[],
        }
    }

    /// Deciding and rejecting end the review with a ruling: an approver's step.
    pub fn is_decision(self) -> bool {
        matches!(self, Self::Decided | Self::Rejected)
    }

    /// Returning, rejecting and withdrawing must say why (it goes to the facility).
    pub fn needs_reason(self) -> bool {
        matches!(self, Self::Returned | Self::Rejected | Self::Withdrawn)
    }
}

/// Longest reason for a step, in characters (it is stored in the event history and the
/// audit log and goes to the facility).
pub const MAX_REASON_CHARS: usize = 500;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TransitionError {
    NotAllowed {
        from: ApplicationStatus,
        to: ApplicationStatus,
    },
    ReasonRequired {
        to: ApplicationStatus,
    },
}

impl std::fmt::Display for TransitionError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::NotAllowed { from, to } => {
                write!(
                    f,
                    "{} から {} へは進められません",
                    from.label_ja(),
                    to.label_ja()
                )
            }
            Self::ReasonRequired { to } => write!(f, "{} には理由が必要です", to.label_ja()),
        }
    }
}

impl TransitionError {
    /// The same message in English (Display is the Japanese one).
    pub fn en(&self) -> String {
        match self {
            Self::NotAllowed { from, to } => format!(
                "an application cannot go from {} to {}",
                from.label_en(),
                to.label_en()
            ),
            Self::ReasonRequired { to } => {
                format!("{} needs a reason; enter one", to.label_en())
            }
        }
    }
}

impl std::error::Error for TransitionError {}

pub fn check_transition(
    from: ApplicationStatus,
    to: ApplicationStatus,
    reason: &str,
) -> Result<(), TransitionError> {
    if !from.next().contains(&to) {
        return Err(TransitionError::NotAllowed { from, to });
    }
    if to.needs_reason() && reason.trim().is_empty() {
        return Err(TransitionError::ReasonRequired { to });
    }
    Ok(())
}

/// How a case reached the ward: the national e-application system (電子) or paper (紙).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApplicationSource {
    Electronic,
    Paper,
}

impl ApplicationSource {
    pub const ALL: [ApplicationSource; 2] = [Self::Electronic, Self::Paper];
    pub fn code(self) -> &'static str {
        match self {
            Self::Electronic => "electronic",
            Self::Paper => "paper",
        }
    }
    pub fn from_code(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.code() == s)
    }
    pub fn label_ja(self) -> &'static str {
        match self {
            Self::Electronic => "電子",
            Self::Paper => "紙",
        }
    }
    pub fn label_en(self) -> &'static str {
        match self {
            Self::Electronic => "Electronic",
            Self::Paper => "Paper",
        }
    }
}

/// The ward's standard processing periods (処理期限), calendar days from 受付, per kind.
/// Defaults come from `fixtures/processing_days.csv`; the database may override them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProcessingDays {
    days: Vec<(ApplicationKind, u32)>,
}

const PROCESSING_DAYS_CSV: &str = include_str!("../../fixtures/processing_days.csv");

/// Longest processing period accepted, in days (a typo of 3650 is refused).
pub const MAX_PROCESSING_DAYS: u32 = 365;

impl Default for ProcessingDays {
    fn default() -> Self {
        let mut days = Vec::new();
        for line in PROCESSING_DAYS_CSV.lines().skip(1) {
            let mut cols = line.split(',');
            let kind = cols.next().and_then(ApplicationKind::from_code);
            let n = cols.next().and_then(|d| d.trim().parse::<u32>().ok());
            if let (Some(k), Some(n)) = (kind, n) {
                days.push((k, n));
            }
        }
        ProcessingDays { days }
    }
}

impl ProcessingDays {
    /// The period for `kind` (30 days if neither the fixture nor the database names it).
    pub fn days(&self, kind: ApplicationKind) -> u32 {
        self.days
            .iter()
            .find(|(k, _)| *k == kind)
            .map_or(30, |(_, n)| *n)
    }

    pub fn set(&mut self, kind: ApplicationKind, days: u32) {
        self.days.retain(|(k, _)| *k != kind);
        self.days.push((kind, days));
    }

    /// 処理期限 of a case of `kind` received on `received`.
    pub fn due(&self, kind: ApplicationKind, received: NaiveDate) -> NaiveDate {
        received + chrono::Duration::days(i64::from(self.days(kind)))
    }
}

/// Parses a processing period typed by an administrator: 1..=365 days.
pub fn parse_processing_days(s: &str) -> Result<u32, super::validate::FieldError> {
    let t = super::text::nfkc(s.trim());
    match t.parse::<u32>() {
        Ok(n) if (1..=MAX_PROCESSING_DAYS).contains(&n) => Ok(n),
        _ => Err(super::validate::FieldError::new(
            "processing_days",
            format!(
                "処理期限の日数は 1〜{MAX_PROCESSING_DAYS} の整数で入力してください（入力: {s}）"
            ),
            format!(
                "the processing period must be a whole number of days from 1 to {MAX_PROCESSING_DAYS} (given: {s})"
            ),
        )),
    }
}

/// 届出遅延: the case arrived after the provider's filing deadline.
pub fn is_filed_late(received: Option<NaiveDate>, filing_due: Option<NaiveDate>) -> bool {
    matches!((received, filing_due), (Some(r), Some(d)) if r > d)
}

/// Overdue: still open and past the ward's processing deadline (not the filing deadline).
pub fn is_overdue(
    status: ApplicationStatus,
    process_due: Option<NaiveDate>,
    today: NaiveDate,
) -> bool {
    status.is_open() && process_due.is_some_and(|d| d < today)
}

/// One document a kind of application needs (`fixtures/required_documents.csv`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RequiredDocument {
    pub code: &'static str,
    pub name_ja: &'static str,
    pub name_en: &'static str,
}

const REQUIRED_DOCUMENTS_CSV: &str = include_str!("../../fixtures/required_documents.csv");

/// The documents `kind` needs, in the fixture's order.
pub fn required_documents(kind: ApplicationKind) -> Vec<RequiredDocument> {
    REQUIRED_DOCUMENTS_CSV
        .lines()
        .skip(1)
        .filter_map(|line| {
            let mut c = line.splitn(4, ',');
            let (k, code, ja, en) = (c.next()?, c.next()?, c.next()?, c.next()?);
            (k == kind.code()).then_some(RequiredDocument {
                code,
                name_ja: ja,
                name_en: en.trim_end(),
            })
        })
        .collect()
}

#[cfg(test)]
mod intake_tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn processing_deadline_counts_from_receipt_and_differs_from_the_filing_one() {
        let p = ProcessingDays::default();
        assert_eq!(p.days(ApplicationKind::NewDesignation), 60);
        assert_eq!(
            p.due(ApplicationKind::Change, d(2026, 11, 20)),
            d(2026, 12, 4)
        );
        let mut q = p.clone();
        q.set(ApplicationKind::Change, 7);
        assert_eq!(
            q.due(ApplicationKind::Change, d(2026, 11, 20)),
            d(2026, 11, 27)
        );
        // Filed on time, processing overdue; filed late, processing on time.
        assert!(!is_filed_late(Some(d(2026, 11, 1)), Some(d(2026, 11, 5))));
        assert!(is_filed_late(Some(d(2026, 11, 6)), Some(d(2026, 11, 5))));
        let today = d(2026, 12, 2);
        assert!(is_overdue(
            ApplicationStatus::UnderReview,
            Some(d(2026, 12, 1)),
            today
        ));
        assert!(!is_overdue(
            ApplicationStatus::UnderReview,
            Some(d(2026, 12, 2)),
            today
        ));
        assert!(!is_overdue(
            ApplicationStatus::Notified,
            Some(d(2026, 1, 1)),
            today
        ));
    }

    #[test]
    fn processing_days_parse_within_bounds() {
        assert_eq!(parse_processing_days("１４"), Ok(14));
        assert_eq!(parse_processing_days(" 365 "), Ok(365));
        for bad in ["0", "366", "-1", "2週間", ""] {
            let e = parse_processing_days(bad).unwrap_err();
            assert!(
                e.ja.contains("処理期限") && e.en.contains("processing period"),
                "{bad}"
            );
        }
    }

    #[test]
    fn every_kind_has_required_documents_and_a_period() {
        for k in ApplicationKind::ALL {
            let docs = required_documents(k);
            assert!(!docs.is_empty(), "{k:?}");
            assert!(
                docs.iter()
                    .all(|x| !x.code.is_empty() && !x.name_ja.is_empty() && !x.name_en.is_empty())
            );
            let mut codes: Vec<_> = docs.iter().map(|x| x.code).collect();
            codes.dedup();
            assert_eq!(codes.len(), docs.len(), "{k:?}: duplicate document codes");
            assert!(
                ProcessingDays::default().days.iter().any(|(x, _)| *x == k),
                "{k:?}"
            );
        }
        assert_eq!(
            required_documents(ApplicationKind::Change)[0].name_ja,
            "変更届出書"
        );
        assert!(
            ApplicationSource::ALL
                .iter()
                .all(|s| ApplicationSource::from_code(s.code()) == Some(*s))
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ApplicationStatus::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn workflow() {
        assert!(check_transition(Submitted, Accepted, "").is_ok());
        assert!(check_transition(UnderReview, Returned, "").is_err());
        assert!(check_transition(UnderReview, Returned, "添付書類不足").is_ok());
        assert!(check_transition(Returned, UnderReview, "").is_ok());
        assert!(check_transition(Submitted, Decided, "").is_err());
        assert!(check_transition(Notified, Withdrawn, "x").is_err());
        assert!(Decided.is_decision() && Rejected.is_decision());
        assert!(!Returned.is_decision() && !Withdrawn.is_decision());
        for s in ApplicationStatus::ALL {
            assert_eq!(ApplicationStatus::from_code(s.code()), Some(s));
            assert_eq!(s.is_open(), !s.next().is_empty());
        }
    }

    #[test]
    fn deadlines() {
        let r = CalendarRules::default();
        assert_eq!(
            ApplicationKind::Change.deadline(&r, "78", d(2024, 3, 1)),
            d(2024, 3, 11)
        );
        assert_eq!(
            ApplicationKind::ClosureOrSuspension.deadline(&r, "78", d(2024, 6, 30)),
            d(2024, 5, 30)
        );
        assert_eq!(
            ApplicationKind::Addition.deadline(&r, "78", d(2024, 4, 1)),
            d(2024, 3, 15)
        );
        for k in ApplicationKind::ALL {
            assert_eq!(ApplicationKind::from_code(k.code()), Some(k));
        }
    }
}
