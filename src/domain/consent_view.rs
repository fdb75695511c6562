//! What the consent queue shows: list rows, counts, the case view and the 事前同意
//! registry, as the store returns them. Personal data is raw here; screens show
//! [`InsuredPerson::masked`] unless the case is revealed (`service::consents::case_view`
//! does this).

use super::consent::{ConsentStatus, Direction, InsuredPerson, LetterKind, MaskedPerson, Outcome};
use super::model::ApplicationRow;
use chrono::NaiveDate;

/// Sort orders of the queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ConsentSort {
    /// Open first, then by reminder date (earliest first), then newest.
    #[default]
    Due,
    /// Newest request first.
    Requested,
    /// By municipality code, then newest.
    Municipality,
}

/// Filters of the queue; `None` = any. `search` matches the facility name or number, the
/// municipality name or code and the document number (never personal data).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConsentFilter {
    pub direction: Option<Direction>,
    pub status: Option<ConsentStatus>,
    /// Only open cases (作成中/依頼済/受付).
    pub open_only: bool,
    pub municipality_code: Option<String>,
    /// Only cases waiting for an answer past their reminder date on this day.
    pub overdue_on: Option<NaiveDate>,
    pub search: Option<String>,
    pub application_id: Option<i64>,
    pub facility_id: Option<i64>,
    pub sort: ConsentSort,
    pub limit: usize,
    pub offset: usize,
}

/// One line of the queue. `person_name` is raw: mask it unless revealed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsentListRow {
    pub id: i64,
    pub direction: Direction,
    pub status: ConsentStatus,
    pub outcome: Option<Outcome>,
    pub municipality_code: String,
    pub municipality_name: String,
    pub facility_id: Option<i64>,
    pub provider_number: String,
    pub facility_name: String,
    pub service_code: String,
    pub requested_on: Option<NaiveDate>,
    /// The reminder date (no answer by then → 督促).
    pub due_on: Option<NaiveDate>,
    pub answered_on: Option<NaiveDate>,
    pub application_id: Option<i64>,
    pub document_ref: String,
    pub person_name: String,
    pub version: i64,
}

/// Counts for the tab headers and filter menu.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConsentCounts {
    pub total: i64,
    pub open: i64,
    pub overdue: i64,
    pub by_status: Vec<(ConsentStatus, i64)>,
}

/// One step of a case's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsentEvent {
    pub at: String,
    pub actor: String,
    pub from_status: Option<ConsentStatus>,
    pub to_status: ConsentStatus,
    pub reason: String,
}

/// A letter written for a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsentDocument {
    pub id: i64,
    pub kind: LetterKind,
    pub html_path: String,
    pub text_path: String,
    pub created_at: String,
    pub created_by: String,
}

/// The whole case as stored (raw personal data).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsentDetail {
    pub row: ConsentListRow,
    pub closed_on: Option<NaiveDate>,
    pub answer_reason: String,
    pub note: String,
    pub use_ended_on: Option<NaiveDate>,
    pub renewal_of: Option<i64>,
    pub created_by: String,
    pub person: InsuredPerson,
    pub application: Option<ApplicationRow>,
    pub events: Vec<ConsentEvent>,
    pub documents: Vec<ConsentDocument>,
}

/// The case as a screen may show it: the person masked unless revealed to this user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsentView {
    pub detail: ConsentDetail,
    pub person: MaskedPerson,
}

/// One agreement of the 事前同意 registry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PriorConsentRow {
    pub id: i64,
    pub municipality_code: String,
    pub municipality_name: String,
    pub direction: Direction,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
    pub excluded_services: Vec<String>,
    pub note: String,
    pub version: i64,
    pub updated_at: String,
    pub updated_by: String,
}

impl PriorConsentRow {
    pub fn rule(&self) -> super::consent::PriorConsent {
        super::consent::PriorConsent {
            municipality_code: self.municipality_code.clone(),
            direction: self.direction,
            valid_from: self.valid_from,
            valid_to: self.valid_to,
            excluded_services: self.excluded_services.clone(),
        }
    }

    /// In force on `on`.
    pub fn is_valid_on(&self, on: NaiveDate) -> bool {
        on >= self.valid_from && self.valid_to.is_none_or(|to| on <= to)
    }
}

/// A counterpart municipality: from the reference data, or typed once by staff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Municipality {
    pub code: String,
    pub name: String,
    pub kana: String,
    /// Typed by staff (`municipality_local`), not from the shipped reference data.
    pub local: bool,
}

/// What a reviewer checks before answering an incoming request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IncomingCheck {
    /// The facility is not in the ledger.
    FacilityUnknown,
    /// The facility is not in the ward.
    FacilityOutsideWard { municipality_code: String },
    /// The facility is suspended or closed.
    FacilityNotActive,
    /// No designation for the service.
    NotDesignated { service_code: String },
    /// The designation does not cover the requested start.
    DesignationExpired { expires_on: NaiveDate },
    /// Our prior consent covers it: no individual consent is needed.
    CoveredByPriorConsent { prior_id: i64 },
}

impl IncomingCheck {
    /// Whether this stops a consent (a prior consent is a note, not a fault).
    pub fn is_fault(&self) -> bool {
        !matches!(self, Self::CoveredByPriorConsent { .. })
    }

    pub fn message(&self, ja: bool) -> String {
        match (self, ja) {
            (Self::FacilityUnknown, true) => "事業所が台帳にありません".into(),
            (Self::FacilityUnknown, false) => "the facility is not in the ledger".into(),
            (Self::FacilityOutsideWard { municipality_code }, true) => {
                format!("事業所は区内にありません（地方公共団体コード {municipality_code}）")
            }
            (Self::FacilityOutsideWard { municipality_code }, false) => {
                format!("the facility is not in the ward (municipality {municipality_code})")
            }
            (Self::FacilityNotActive, true) => "事業所は休止中または廃止です".into(),
            (Self::FacilityNotActive, false) => "the facility is suspended or closed".into(),
            (Self::NotDesignated { service_code }, true) => {
                format!("事業所はサービス {service_code} の指定を受けていません")
            }
            (Self::NotDesignated { service_code }, false) => {
                format!("the facility holds no designation for service {service_code}")
            }
            (Self::DesignationExpired { expires_on }, true) => {
                format!("指定の有効期間（{expires_on} まで）が利用開始日を含みません")
            }
            (Self::DesignationExpired { expires_on }, false) => {
                format!(
                    "the designation (valid to {expires_on}) does not cover the requested start"
                )
            }
            (Self::CoveredByPriorConsent { .. }, true) => {
                "当区の事前同意の範囲内です（個別の同意は不要）".into()
            }
            (Self::CoveredByPriorConsent { .. }, false) => {
                "covered by our prior consent (no individual consent needed)".into()
            }
        }
    }
}
