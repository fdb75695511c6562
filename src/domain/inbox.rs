//! What the inbox screens show: a list line, the list's filters and sort, and the case
//! view. Filled by `store::inbox`; no I/O here.

use super::application::{ApplicationKind, ApplicationSource, ApplicationStatus, RequiredDocument};
use super::decision::{Blocker, PlannedChange};
use super::model::{Designation, Facility};
use super::payload::Payload;
use super::review::Finding;
use super::validate::FieldError;
use chrono::NaiveDate;

/// One line of the inbox list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InboxRow {
    pub id: i64,
    pub external_id: Option<String>,
    pub kind: ApplicationKind,
    pub status: ApplicationStatus,
    pub source: ApplicationSource,
    pub facility_id: Option<i64>,
    pub provider_number: String,
    /// The ledger's name, or the name a 新規 case asks for.
    pub facility_name: String,
    pub applicant_name: String,
    pub service_code: String,
    pub received_on: Option<NaiveDate>,
    /// 届出期限: the provider's filing deadline.
    pub filing_due_on: Option<NaiveDate>,
    /// 処理期限: the ward's own processing deadline.
    pub process_due_on: Option<NaiveDate>,
    pub assignee: Option<String>,
    pub keyed_by: String,
    pub reviewed_by: Option<String>,
    pub decided_by: Option<String>,
    pub version: i64,
    /// 届出遅延: received after the filing deadline.
    pub filed_late: bool,
    /// Open and past the processing deadline as of the query's `today`.
    pub overdue: bool,
}

/// Columns the list sorts by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum InboxSort {
    /// 処理期限 (default): the most urgent first.
    #[default]
    ProcessDue,
    FilingDue,
    Received,
    Kind,
    Status,
    ProviderNumber,
    FacilityName,
    Applicant,
    Assignee,
    Id,
}

impl InboxSort {
    pub const ALL: [InboxSort; 10] = [
        Self::ProcessDue,
        Self::FilingDue,
        Self::Received,
        Self::Kind,
        Self::Status,
        Self::ProviderNumber,
        Self::FacilityName,
        Self::Applicant,
        Self::Assignee,
        Self::Id,
    ];

    pub fn label_ja(self) -> &'static str {
        match self {
            Self::ProcessDue => "処理期限",
            Self::FilingDue => "届出期限",
            Self::Received => "受付日",
            Self::Kind => "種類",
            Self::Status => "状態",
            Self::ProviderNumber => "事業所番号",
            Self::FacilityName => "事業所名",
            Self::Applicant => "申請者",
            Self::Assignee => "担当",
            Self::Id => "番号",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            Self::ProcessDue => "processing due",
            Self::FilingDue => "filing due",
            Self::Received => "received",
            Self::Kind => "kind",
            Self::Status => "status",
            Self::ProviderNumber => "provider number",
            Self::FacilityName => "facility",
            Self::Applicant => "applicant",
            Self::Assignee => "assignee",
            Self::Id => "number",
        }
    }
}

/// The inbox list's filters, search and sort. Empty = every case, most urgent first.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct InboxQuery {
    pub status: Option<ApplicationStatus>,
    /// Only cases still open (not 結果通知済, 取下げ, 却下).
    pub open_only: bool,
    pub kind: Option<ApplicationKind>,
    /// Only this assignee's cases ("mine": the signed-in staff id).
    pub assignee: Option<String>,
    /// Only cases nobody is assigned.
    pub unassigned: bool,
    pub overdue_only: bool,
    pub filed_late_only: bool,
    pub source: Option<ApplicationSource>,
    /// Applicant, facility number or name, external id; normalised like the ledger search.
    pub search: String,
    pub sort: InboxSort,
    pub descending: bool,
}

/// A page of the list with the counts the status bar shows.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct InboxPage {
    pub rows: Vec<InboxRow>,
    /// Rows matching every filter (may exceed `rows.len()` when capped).
    pub total: usize,
    /// Matching rows per status, ignoring the status filter (for tabs).
    pub by_status: Vec<(ApplicationStatus, usize)>,
    /// Open and overdue among the rows matching the other filters.
    pub overdue: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseEvent {
    pub at: String,
    pub actor: String,
    pub from: Option<ApplicationStatus>,
    pub to: ApplicationStatus,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseNote {
    pub id: i64,
    pub at: String,
    pub actor: String,
    pub body: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentStatus {
    pub document: RequiredDocument,
    pub received_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseLetter {
    pub kind: String,
    pub html_path: String,
    pub text_path: String,
    pub at: String,
    pub actor: String,
}

/// One line of a 変更届出's diff: the ledger now, the value at intake, the request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiffLine {
    pub field: String,
    pub current: String,
    pub at_intake: String,
    pub requested: String,
}

/// Everything the case view shows.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseDetail {
    pub row: InboxRow,
    pub event_date: Option<NaiveDate>,
    pub payload: Result<Payload, FieldError>,
    pub facility: Option<Facility>,
    pub designations: Vec<Designation>,
    /// 変更届出 only: current → requested per field.
    pub diff: Vec<DiffLine>,
    pub documents: Vec<DocumentStatus>,
    pub findings: Vec<Finding>,
    /// What deciding now would change in the ledger, or why it cannot.
    pub preview: Result<Vec<PlannedChange>, Vec<Blocker>>,
    /// The 事業所番号 a 新規 case would get (the approver may change it).
    pub proposed_provider_number: Option<String>,
    pub events: Vec<CaseEvent>,
    pub notes: Vec<CaseNote>,
    pub letters: Vec<CaseLetter>,
    /// facility.version when the review started.
    pub reviewed_facility_version: Option<i64>,
}

impl CaseDetail {
    pub fn missing_documents(&self) -> Vec<&RequiredDocument> {
        self.documents
            .iter()
            .filter(|d| d.received_on.is_none())
            .map(|d| &d.document)
            .collect()
    }
}
