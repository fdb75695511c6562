//! 区外指定の同意 (介護保険法 78条の2 第4項第4号; 予防 115条の12 第2項第4号).
//!
//! Outgoing: a Shinjuku resident wants a facility elsewhere; we ask that municipality.
//! Incoming: another municipality's resident wants a Shinjuku facility; they ask us.
//! A 事前同意 (blanket prior consent) waives the per-resident request, except for the
//! service types the agreement excludes (often GH 32, 小多機 73, 看多機 77).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    Outgoing,
    Incoming,
}

impl Direction {
    pub fn code(self) -> &'static str {
        match self {
            Self::Outgoing => "outgoing",
            Self::Incoming => "incoming",
        }
    }
    pub fn from_code(s: &str) -> Option<Self> {
        [Self::Outgoing, Self::Incoming]
            .into_iter()
            .find(|d| d.code() == s)
    }
    pub fn label_ja(self) -> &'static str {
        match self {
            Self::Outgoing => "区外へ依頼",
            Self::Incoming => "区外から依頼",
        }
    }
    pub fn label_en(self) -> &'static str {
        match self {
            Self::Outgoing => "Outgoing",
            Self::Incoming => "Incoming",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsentStatus {
    Draft,
    Requested,
    Received,
    Consented,
    Refused,
    Waived,
    Closed,
}

impl ConsentStatus {
    pub const ALL: [ConsentStatus; 7] = [
        Self::Draft,
        Self::Requested,
        Self::Received,
        Self::Consented,
        Self::Refused,
        Self::Waived,
        Self::Closed,
    ];
    pub fn code(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Requested => "requested",
            Self::Received => "received",
            Self::Consented => "consented",
            Self::Refused => "refused",
            Self::Waived => "waived",
            Self::Closed => "closed",
        }
    }
    pub fn from_code(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|d| d.code() == s)
    }
    pub fn label_ja(self) -> &'static str {
        match self {
            Self::Draft => "作成中",
            Self::Requested => "依頼済",
            Self::Received => "受付",
            Self::Consented => "同意",
            Self::Refused => "不同意",
            Self::Waived => "事前同意",
            Self::Closed => "完了",
        }
    }
    pub fn label_en(self) -> &'static str {
        match self {
            Self::Draft => "Draft",
            Self::Requested => "Requested",
            Self::Received => "Received",
            Self::Consented => "Consented",
            Self::Refused => "Refused",
            Self::Waived => "Prior consent",
            Self::Closed => "Closed",
        }
    }
    pub fn is_open(self) -> bool {
        matches!(self, Self::Draft | Self::Requested | Self::Received)
    }
}

/// A blanket prior consent from one municipality.
#[derive(Debug, Clone, PartialEq)]
pub struct PriorConsent {
    pub municipality_code: String,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
    pub excluded_services: Vec<String>,
}

impl PriorConsent {
    pub fn covers(&self, municipality_code: &str, service_code: &str, on: NaiveDate) -> bool {
        self.municipality_code == municipality_code
            && on >= self.valid_from
            && self.valid_to.is_none_or(|to| on <= to)
            && !self.excluded_services.iter().any(|s| s == service_code)
    }
}

/// Whether a per-resident consent request is needed, given the prior consents on file.
pub fn request_needed(
    prior: &[PriorConsent],
    municipality_code: &str,
    service_code: &str,
    on: NaiveDate,
) -> bool {
    !prior
        .iter()
        .any(|p| p.covers(municipality_code, service_code, on))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prior_consent_waives_except_excluded_services() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        let p = PriorConsent {
            municipality_code: "131130".into(),
            valid_from: d(2024, 4, 1),
            valid_to: Some(d(2027, 3, 31)),
            excluded_services: vec!["32".into(), "73".into(), "77".into()],
        };
        let prior = [p];
        assert!(!request_needed(&prior, "131130", "78", d(2025, 1, 1)));
        assert!(request_needed(&prior, "131130", "32", d(2025, 1, 1)));
        assert!(request_needed(&prior, "131016", "78", d(2025, 1, 1)));
        assert!(request_needed(&prior, "131130", "78", d(2027, 4, 1)));
    }
}
