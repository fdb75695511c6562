//! What screens and commands read: list queries and the rows, counts and records they
//! get back. Plain data — the store fills these, the query layer carries them, screens
//! show them; nothing here knows SQL.

use super::model::{
    ApplicationRow, ConsentRow, Corporation, CouncilMeeting, CouncilMember, Designation, Facility,
    FacilityRow, FacilityStatus, StaffMember,
};
use chrono::NaiveDate;
use std::path::PathBuf;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortKey {
    #[default]
    ProviderNumber,
    NameKana,
    Town,
    NextExpiry,
    NextMeeting,
    Status,
}

impl SortKey {
    pub const ALL: [SortKey; 6] = [
        Self::ProviderNumber,
        Self::NameKana,
        Self::Town,
        Self::NextExpiry,
        Self::NextMeeting,
        Self::Status,
    ];

    pub fn next(self) -> SortKey {
        let i = Self::ALL.iter().position(|k| *k == self).unwrap_or(0);
        Self::ALL[(i + 1) % Self::ALL.len()]
    }
}

/// What the ledger list shows: sort, search and filters.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ListQuery {
    pub sort: SortKey,
    pub descending: bool,
    /// Raw user input; the store normalises it.
    pub search: String,
    pub service_code: Option<String>,
    pub status: Option<FacilityStatus>,
    /// Designations expiring on or before this date (and not before `today`).
    pub expiring_by: Option<NaiveDate>,
    /// Next meeting due before this date (i.e. overdue as of it).
    pub meeting_overdue_on: Option<NaiveDate>,
    pub today: Option<NaiveDate>,
}

/// A position in the sorted list: the sort value and id of a row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    pub key: String,
    pub id: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Rows strictly after the cursor (or from the start).
    Forward,
    /// Rows strictly before the cursor (or from the end), returned in list order.
    Backward,
}

/// The counts the header shows on every screen: what is due.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DueCounts {
    pub expiring: usize,
    pub meetings_overdue: usize,
    pub applications_overdue: usize,
    pub checklist_gaps: usize,
    pub jobs_running: usize,
    /// 運営指導: due this fiscal year, overdue, 改善報告 overdue.
    pub guidance: super::guidance::GuidanceCounts,
}

/// One sync job, as the jobs screen lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobRow {
    pub id: i64,
    pub kind: String,
    pub status: String,
    pub started_by: String,
    pub started_at: String,
    pub finished_at: Option<String>,
    pub progress: i64,
    pub total: i64,
    pub message: String,
    /// What the run did, from the files and batches it recorded: rows read and imported
    /// from its input files, rows it quarantined, rows its sent export batches carried.
    pub counts: JobCounts,
}

/// A run's totals, for the jobs screen's columns.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct JobCounts {
    pub read: i64,
    pub imported: i64,
    pub quarantined: i64,
    pub exported: i64,
}

/// One quarantined row, as the jobs screen shows it (never the raw row: it may hold
/// personal data).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuarantineEntry {
    pub id: i64,
    pub job_id: Option<i64>,
    /// The sanitised name the file got in the spool.
    pub file_name: String,
    /// 0: the whole file.
    pub line: i64,
    /// Field and problem, in the language of the run that refused it.
    pub reason: String,
    pub created_at: String,
}

/// One audit record's content, as appended.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Entry {
    pub actor: String,
    pub action: String,
    pub object_type: String,
    pub object_id: String,
    /// Names of the changed fields — never their values (they may be PII).
    pub fields: Vec<String>,
    pub reason: String,
}

/// A stored audit record: its place in the hash chain and its content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub seq: i64,
    pub at: String,
    pub entry: Entry,
    pub prev_hash: String,
    pub hash: String,
}

/// Privacy checklist status of one external connection and side.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectionStatus {
    pub code: String,
    pub name_ja: String,
    pub name_en: String,
    pub side: String,
    /// When the latest signed audit was signed (RFC 3339), if any.
    pub last_signed_at: Option<String>,
    pub last_signed_by: Option<String>,
    /// Items marked as a gap in the latest signed audit.
    pub gaps: usize,
    pub in_progress: bool,
}

/// Everything the detail view shows about one facility.
#[derive(Debug, Clone)]
pub struct FacilityDetail {
    pub facility: Facility,
    /// The summary the list shows (next expiry, next meeting due).
    pub summary: Option<FacilityRow>,
    pub corporation: Option<Corporation>,
    pub designations: Vec<Designation>,
    pub staff: Vec<StaffMember>,
    pub council_members: Vec<CouncilMember>,
    pub meetings: Vec<CouncilMeeting>,
    pub history: Vec<Record>,
    pub applications: Vec<ApplicationRow>,
    pub consents: Vec<ConsentRow>,
}

/// A database file or directory others may read or write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PermissionWarning {
    pub path: PathBuf,
    pub mode: u32,
    /// The mode it should have (0600 files, 0700 the directory).
    pub want: u32,
    pub is_dir: bool,
}

impl PermissionWarning {
    /// One sentence in the UI language: which file, what is wrong, what to run.
    pub fn message(&self, lang: crate::i18n::Lang) -> String {
        let p = self.path.display();
        let (mode, want) = (self.mode, self.want);
        if lang.is_ja() {
            let what = if self.is_dir {
                "データベースのフォルダ"
            } else {
                "データベースのファイル"
            };
            format!(
                "{what} {p} の権限が {mode:04o} で、他のアカウントから個人情報を読まれるおそれがあります（chmod {want:04o} {p} で直してください）"
            )
        } else {
            let what = if self.is_dir {
                "database directory"
            } else {
                "database file"
            };
            format!(
                "{what} {p} has mode {mode:04o}, so other accounts may read personal data (fix: chmod {want:04o} {p})"
            )
        }
    }
}

impl std::fmt::Display for PermissionWarning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message(crate::i18n::Lang::En))
    }
}
