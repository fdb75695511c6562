//! What the query layer answers.

use super::request::PageMerge;
use crate::domain::model::{ApplicationRow, ConsentRow, Facility, FacilityRow};
use crate::domain::validate::FieldError;
use crate::domain::view::{ConnectionStatus, Cursor, DueCounts, FacilityDetail, JobRow, ListQuery};
use crate::jobs::formats::csv_out::CsvEncoding;
use std::path::PathBuf;

#[derive(Debug, Clone)]
pub enum Reply {
    LedgerPage {
        generation: u64,
        merge: PageMerge,
        rows: Vec<(Cursor, FacilityRow)>,
        limit: usize,
    },
    LedgerCount {
        generation: u64,
        count: usize,
    },
    FacilityDetail(Box<FacilityDetail>),
    /// Saved; `warning` when the change committed but a follow-up (the audit anchor
    /// file) failed.
    Saved {
        facility: Box<Facility>,
        warning: Option<String>,
    },
    SaveInvalid(Vec<FieldError>),
    SaveConflict(Box<Facility>),
    SaveRefused {
        ja: String,
        en: String,
    },
    /// Nothing was written (database busy, disk full…); the form stays as typed.
    SaveFailed {
        ja: String,
        en: String,
    },
    DueCounts(DueCounts),
    Applications(Vec<ApplicationRow>),
    Consents(Vec<ConsentRow>),
    Checklist(Vec<ConnectionStatus>),
    Jobs(Vec<JobRow>),
    Quarantine {
        job: Option<i64>,
        rows: Vec<crate::domain::view::QuarantineEntry>,
    },
    Exported {
        path: PathBuf,
        rows: usize,
        unmappable: usize,
        /// Where the replaced file was kept.
        backup: Option<PathBuf>,
    },
    /// The file is there already; nothing written. The UI asks before replacing it.
    ExportExists {
        query: Box<ListQuery>,
        path: PathBuf,
        encoding: CsvEncoding,
    },
    Revealed {
        object_type: String,
        object_id: String,
        expires_at: chrono::DateTime<chrono::Utc>,
    },
    /// The signed-in user's current role and whether the account is disabled.
    Account {
        role: crate::domain::permission::Role,
        disabled: bool,
    },
    Unlocked,
    UnlockFailed {
        ja: String,
        en: String,
    },
    Transitioned(Box<ApplicationRow>),
    /// Someone moved the application first: it as stored now, and who did it when
    /// (from the audit log; local time).
    TransitionConflict {
        row: Box<ApplicationRow>,
        by: Option<String>,
        at: Option<String>,
    },
    Failed {
        what: &'static str,
        message: String,
    },
    /// The checklist screen's answers (issue 16).
    ChecklistAudit(super::checklist::ChecklistAnswer),
    FacilityUpkeep(Box<super::upkeep::Upkeep>),
    /// A meeting was recorded; `warning` when the audit anchor could not be written.
    MeetingRecorded {
        facility_id: i64,
        held_on: String,
        warning: Option<String>,
    },
    /// A person form's write was saved; `warning` when the audit anchor failed.
    PersonSaved {
        facility_id: i64,
        kind: super::upkeep::PersonKind,
        warning: Option<String>,
    },
    /// The 運営指導 plan of a fiscal year.
    GuidancePlan(Box<crate::domain::guidance::YearPlan>),
    /// Someone changed that 従事者/構成員/法人 first: nothing was written.
    PersonConflict {
        facility_id: i64,
        kind: super::upkeep::PersonKind,
    },
    InboxPage {
        generation: u64,
        page: crate::domain::inbox::InboxPage,
    },
    CaseDetail(Box<crate::domain::inbox::CaseDetail>),
    /// The consent queue for `filter` (drop it when the screen asks for another now).
    ConsentQueue(Box<super::consent::ConsentQueue>),
    ConsentPriors(Vec<crate::domain::consent_view::PriorConsentRow>),
    ConsentCase(Box<super::consent::ConsentCase>),
    ConsentTransitioned(Box<crate::domain::consent_view::ConsentListRow>),
    /// Someone moved the consent case first: it as stored now, who did it and when.
    ConsentConflict {
        row: Box<crate::domain::consent_view::ConsentListRow>,
        by: Option<String>,
        at: Option<String>,
    },
    /// The inbox export's file exists: ask before replacing it.
    InboxExportExists {
        query: Box<crate::domain::inbox::InboxQuery>,
        path: PathBuf,
        encoding: CsvEncoding,
    },
    /// Every number of the overview screen (概況).
    Overview(Box<crate::domain::overview::Overview>),
    /// The findings of the last open data reconciliation.
    OpenDataFindings(Vec<crate::domain::opendata::Finding>),
    /// A decision on a finding was recorded (the message for the status line).
    OpenDataDecided {
        ja: String,
        en: String,
    },
    /// A decision was refused (why, in both languages).
    OpenDataRefused {
        ja: String,
        en: String,
    },
    /// What a consent write (create, letter) came to.
    ConsentDone(super::consent::write::ConsentOutcome),
    /// What an inbox ask did (assignees, a note, a document, a letter).
    InboxWork(Box<super::inbox::InboxDone>),
}
