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

/// 提出済 → 受付 → 審査中 ⇄ 差戻し → 決定 → 結果通知済; 取下げ and 却下 end it early.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApplicationStatus {
    Submitted,
    Accepted,
    UnderReview,
    Returned,
    Decided,
    Notified,
    Withdrawn,
    Rejected,
}

impl ApplicationStatus {
    pub const ALL: [ApplicationStatus; 8] = [
        Self::Submitted,
        Self::Accepted,
        Self::UnderReview,
        Self::Returned,
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
            Returned => &[UnderReview, Withdrawn],
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
