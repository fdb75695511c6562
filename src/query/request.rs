//! What screens ask the query layer for.

use crate::domain::model::FacilityFields;
use crate::domain::view::{Cursor, Direction, ListQuery};
use crate::jobs::formats::csv_out::CsvEncoding;
use chrono::NaiveDate;
use std::path::PathBuf;

/// How a fetched page joins the rows already on screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageMerge {
    Replace,
    Append,
    Prepend,
}

#[derive(Debug, Clone)]
pub enum Request {
    LedgerPage {
        generation: u64,
        query: ListQuery,
        from: Option<Cursor>,
        dir: Direction,
        limit: usize,
        merge: PageMerge,
    },
    LedgerCount {
        generation: u64,
        query: ListQuery,
    },
    FacilityDetail {
        id: i64,
    },
    SaveFacility {
        id: i64,
        version: i64,
        fields: FacilityFields,
    },
    DueCounts,
    Applications,
    Consents,
    Checklist,
    Jobs,
    /// Quarantined rows: one run's, or every run's (`None`).
    Quarantine {
        job: Option<i64>,
    },
    ExportLedger {
        query: ListQuery,
        path: PathBuf,
        encoding: CsvEncoding,
        /// The user said yes to replacing an existing file (kept as `<path>.bak`).
        overwrite: bool,
    },
    /// Show an object's personal data for a while; the reason is logged.
    Reveal {
        object_type: String,
        object_id: String,
        reason: String,
        minutes: i64,
    },
    /// Unlock an idle-locked session with the staff password.
    Unlock {
        password: String,
    },
    /// The date rolled over: count deadlines from this day; answers with the counts.
    Today(NaiveDate),
    /// Re-read the signed-in user's role and disabled flag (an admin may have changed
    /// them since sign-in), so the header and command enablement follow.
    Account,
    /// Move an application through its workflow.
    Transition {
        id: i64,
        version: i64,
        to: crate::domain::application::ApplicationStatus,
        reason: String,
    },
    /// The checklist screen's reads and audit writes (issue 16).
    ChecklistAudit(super::checklist::ChecklistAsk),
    /// Meeting duties, meetings and the history with values of one facility (issue 13).
    FacilityUpkeep {
        id: i64,
    },
    /// Record a 運営推進会議 that was held.
    RecordMeeting {
        facility_id: i64,
        fields: crate::domain::meeting::MeetingFields,
    },
    /// Add, change or end a 従事者 or 構成員, or change the corporation (issue 13).
    SavePerson(Box<super::upkeep::PersonWrite>),
    /// The 運営指導 plan of a fiscal year: facilities due, by month.
    GuidancePlan {
        fiscal_year: i32,
    },
    /// Correct a recorded meeting last read at `version`.
    UpdateMeeting {
        facility_id: i64,
        id: i64,
        version: i64,
        fields: crate::domain::meeting::MeetingFields,
    },
    /// The inbox list for these filters (issue 14); `generation` drops stale pages.
    InboxPage {
        generation: u64,
        query: crate::domain::inbox::InboxQuery,
    },
    /// One case with everything the case view shows, and the decision preview.
    CaseDetail {
        id: i64,
    },
    /// Assign a case (None: clear the assignee).
    AssignCase {
        id: i64,
        version: i64,
        assignee: Option<String>,
    },
    /// The consent queue: one tab under its filters (names masked unless revealed) and
    /// the counts of both directions.
    ConsentQueue {
        filter: crate::domain::consent_view::ConsentFilter,
    },
    /// The 事前同意 registry, both directions.
    ConsentPriors,
    /// One consent case with its linked application's gate.
    ConsentCase {
        id: i64,
    },
    /// Move a consent case through its workflow (同意, 不同意, 取下げ…).
    ConsentTransition {
        id: i64,
        version: i64,
        to: crate::domain::consent::ConsentStatus,
        reason: String,
    },
    /// The inbox list under `query` (every matching row, not one page) as CSV at `path`;
    /// an existing file is replaced only when `overwrite` (the old one kept as `.bak`).
    ExportInbox {
        query: crate::domain::inbox::InboxQuery,
        path: PathBuf,
        encoding: CsvEncoding,
        overwrite: bool,
    },
    /// Every number of the overview screen (概況), in one read.
    Overview,
    /// The findings of the last open data reconciliation.
    OpenDataFindings,
    /// A decision on finding `id`: accept it into a 変更 case, or mark it known (`note`).
    OpenDataDecide {
        id: i64,
        accept: bool,
        note: String,
    },
    /// Set the 定員 of a facility's designated service (text as typed).
    SetCapacity {
        facility_id: i64,
        service_code: String,
        capacity: String,
    },
    /// Create a consent case, register a municipality, write a letter (issue 15).
    ConsentWrite(super::consent::write::ConsentWrite),
    /// The inbox's assignees, notes, documents and letters (issue 14, items 3–6).
    InboxWork(super::inbox::InboxAsk),
}

/// Which screen a read request feeds: a request for another screen's list means the
/// user left the screen whose query is running.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Ledger,
    Inbox,
    Consent,
    Checklist,
    Jobs,
    Overview,
}

impl Request {
    /// Requests with the same key replace each other when they queue up, and a newer
    /// one interrupts an older one that is still running.
    pub fn coalesce_key(&self) -> Option<&'static str> {
        match self {
            Request::LedgerPage {
                merge: PageMerge::Replace,
                ..
            } => Some("ledger.page"),
            Request::LedgerCount { .. } => Some("ledger.count"),
            Request::FacilityDetail { .. } => Some("detail"),
            Request::DueCounts => Some("due"),
            Request::Applications => Some("applications"),
            Request::Consents => Some("consents"),
            Request::Checklist => Some("checklist"),
            Request::Jobs => Some("jobs"),
            Request::Quarantine { .. } => Some("jobs.quarantine"),
            Request::Account => Some("account"),
            Request::ChecklistAudit(a) => a.coalesce_key(),
            Request::FacilityUpkeep { .. } => Some("upkeep"),
            Request::InboxPage { .. } => Some("inbox.page"),
            Request::CaseDetail { .. } => Some("inbox.case"),
            Request::ConsentQueue { .. } => Some("consent.queue"),
            Request::ConsentPriors => Some("consent.priors"),
            Request::ConsentCase { .. } => Some("consent.case"),
            Request::Overview => Some("overview"),
            Request::OpenDataFindings => Some("opendata.findings"),
            Request::InboxWork(super::inbox::InboxAsk::Staff) => Some("inbox.staff"),
            Request::InboxWork(super::inbox::InboxAsk::Renewals { .. }) => Some("inbox.renewals"),
            _ => None,
        }
    }

    /// The screen a read serves; `None` for writes and for what every screen shows.
    pub fn screen(&self) -> Option<Screen> {
        match self {
            Request::LedgerPage { .. }
            | Request::LedgerCount { .. }
            | Request::FacilityDetail { .. }
            | Request::FacilityUpkeep { .. } => Some(Screen::Ledger),
            Request::Applications => Some(Screen::Inbox),
            Request::Consents => Some(Screen::Consent),
            Request::Checklist => Some(Screen::Checklist),
            Request::Jobs | Request::Quarantine { .. } => Some(Screen::Jobs),
            Request::ChecklistAudit(a) if !a.is_write() => Some(Screen::Checklist),
            Request::InboxPage { .. } | Request::CaseDetail { .. } => Some(Screen::Inbox),
            Request::ConsentQueue { .. } | Request::ConsentPriors | Request::ConsentCase { .. } => {
                Some(Screen::Consent)
            }
            Request::Overview => Some(Screen::Overview),
            _ => None,
        }
    }

    /// Whether this request, arriving while `running` runs, makes it pointless: the
    /// same query asked again (the user typed again) or another screen's list (the user
    /// left). Writes and exports are never interrupted.
    pub fn supersedes(&self, running: &Request) -> bool {
        let Some(key) = running.coalesce_key() else {
            return false;
        };
        if self.coalesce_key() == Some(key) {
            return true;
        }
        matches!((self.screen(), running.screen()), (Some(a), Some(b)) if a != b)
    }

    /// Exports run on their own thread so that a long one does not hold up the lists.
    pub fn is_export(&self) -> bool {
        matches!(self, Request::ExportLedger { .. })
    }
}

/// Drops queued requests that a later request of the same kind replaces.
pub fn coalesce(batch: Vec<Request>) -> Vec<Request> {
    let mut out: Vec<Request> = Vec::with_capacity(batch.len());
    for req in batch {
        if let Some(key) = req.coalesce_key() {
            out.retain(|r| r.coalesce_key() != Some(key));
        }
        out.push(req);
    }
    out
}
