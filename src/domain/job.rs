//! Sync jobs as data: the kinds that exist, the states a run goes through, progress, the
//! events a running job sends its caller, and the throttle that decides which progress
//! updates reach the screen. No I/O.

use crate::domain::permission::Action;
use crate::i18n::Lang;
use std::time::{Duration, Instant};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum JobKind {
    /// Recompute the audit hash chain and compare it with the anchor file.
    VerifyAudit,
    /// SQLite `quick_check`, one table at a time.
    IntegrityCheck,
    /// Files in `spool/inbox/` from the e-application system, into the inbox.
    ImportApplications,
    /// The queued outbox rows for LEMSCARE as a reflect file in `spool/outbox/`.
    ExportLemscare,
    /// The queued outbox rows for 国保連 as a 事業所異動連絡票 file in `spool/outbox/`.
    ExportKokuhoren,
    /// 同意依頼 files out, request and reply files in.
    ConsentExchange,
    /// The national 介護サービス情報公表 open data, reconciled with the ledger.
    ImportOpenData,
    /// The ward's list in the 自治体標準オープンデータセット schema.
    ExportOpenData,
}

impl JobKind {
    pub const ALL: [JobKind; 8] = [
        JobKind::VerifyAudit,
        JobKind::IntegrityCheck,
        JobKind::ImportApplications,
        JobKind::ExportLemscare,
        JobKind::ExportKokuhoren,
        JobKind::ConsentExchange,
        JobKind::ImportOpenData,
        JobKind::ExportOpenData,
    ];

    /// The name on the command line and in `sync_job.kind` / `job_lease.kind`.
    pub fn code(self) -> &'static str {
        match self {
            JobKind::VerifyAudit => "verify-audit",
            JobKind::IntegrityCheck => "integrity-check",
            JobKind::ImportApplications => "import-applications",
            JobKind::ExportLemscare => "export-lemscare",
            JobKind::ExportKokuhoren => "export-kokuhoren",
            JobKind::ConsentExchange => "consent-exchange",
            JobKind::ImportOpenData => "import-opendata",
            JobKind::ExportOpenData => "export-opendata",
        }
    }

    pub fn from_code(s: &str) -> Option<JobKind> {
        Self::ALL.into_iter().find(|k| k.code() == s)
    }

    pub fn title(self, lang: Lang) -> &'static str {
        match self {
            JobKind::VerifyAudit => lang.t("監査ログ検証", "Verify audit log"),
            JobKind::IntegrityCheck => lang.t("整合性検査", "Integrity check"),
            JobKind::ImportApplications => lang.t("電子申請の取込", "Import applications"),
            JobKind::ExportLemscare => lang.t("LEMSCARE への送出", "Export to LEMSCARE"),
            JobKind::ExportKokuhoren => lang.t("国保連への送出", "Export to 国保連"),
            JobKind::ConsentExchange => lang.t("同意依頼の送受信", "Consent exchange"),
            JobKind::ImportOpenData => lang.t("公表データの照合", "Reconcile open data"),
            JobKind::ExportOpenData => lang.t("オープンデータの書出", "Export open data"),
        }
    }

    pub fn description(self, lang: Lang) -> &'static str {
        match self {
            JobKind::VerifyAudit => lang.t(
                "監査ログのハッシュ連鎖を再計算し、アンカーファイルと照合する",
                "Recompute the audit log's hash chain and compare it with the anchor file",
            ),
            JobKind::IntegrityCheck => lang.t(
                "データベースの各表を SQLite の quick_check で検査する",
                "Check every table of the database with SQLite's quick_check",
            ),
            JobKind::ImportApplications => lang.t(
                "スプールの受信フォルダにある電子申請システムのファイルを受付箱に取り込む",
                "Import the e-application system's files in the spool inbox into the inbox",
            ),
            JobKind::ExportLemscare => lang.t(
                "承認済みの変更を LEMSCARE 反映ファイルとしてスプールの送出フォルダに書き出す",
                "Write the approved changes as a LEMSCARE reflect file into the spool outbox",
            ),
            JobKind::ExportKokuhoren => lang.t(
                "承認済みの変更を国保連の事業所異動連絡票（CP932）として送出フォルダに書き出す",
                "Write the approved changes as a 国保連 事業所異動連絡票 file (CP932) into the spool outbox",
            ),
            JobKind::ConsentExchange => lang.t(
                "依頼済の同意依頼を書き出し、受信した依頼と回答を同意の一覧に取り込む",
                "Write the requested consents out; take incoming requests and replies into the consent queue",
            ),
            JobKind::ImportOpenData => lang.t(
                "介護サービス情報公表システムのオープンデータ（spool/opendata/ の CSV）を台帳と照合する",
                "Reconcile the ledger with the 介護サービス情報公表 open data (the CSVs in spool/opendata/)",
            ),
            JobKind::ExportOpenData => lang.t(
                "区の介護サービス事業所一覧を自治体標準オープンデータセットの形式で送出フォルダに書き出す",
                "Write the ward's provider list in the standard open data schema into the spool outbox",
            ),
        }
    }

    /// What the actor must be allowed to do to start this kind. The two maintenance
    /// checks only read case data, so any signed-in role may run them; the exchanges
    /// need `Action::RunSyncJob`.
    pub fn action(self) -> Action {
        match self {
            JobKind::VerifyAudit | JobKind::IntegrityCheck => Action::View,
            JobKind::ImportApplications
            | JobKind::ExportLemscare
            | JobKind::ExportKokuhoren
            | JobKind::ConsentExchange
            | JobKind::ImportOpenData
            | JobKind::ExportOpenData => Action::RunSyncJob,
        }
    }
}

/// `sync_job.status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobStatus {
    Running,
    Succeeded,
    Failed,
    Cancelled,
    /// Its process stopped without finishing; another run took the lease over.
    Abandoned,
}

impl JobStatus {
    pub const ALL: [JobStatus; 5] = [
        JobStatus::Running,
        JobStatus::Succeeded,
        JobStatus::Failed,
        JobStatus::Cancelled,
        JobStatus::Abandoned,
    ];

    pub fn code(self) -> &'static str {
        match self {
            JobStatus::Running => "running",
            JobStatus::Succeeded => "succeeded",
            JobStatus::Failed => "failed",
            JobStatus::Cancelled => "cancelled",
            JobStatus::Abandoned => "abandoned",
        }
    }

    pub fn from_code(s: &str) -> Option<JobStatus> {
        Self::ALL.into_iter().find(|k| k.code() == s)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            JobStatus::Running => lang.t("実行中", "running"),
            JobStatus::Succeeded => lang.t("成功", "succeeded"),
            JobStatus::Failed => lang.t("失敗", "failed"),
            JobStatus::Cancelled => lang.t("中止", "cancelled"),
            JobStatus::Abandoned => lang.t("放棄", "abandoned"),
        }
    }
}

/// `done` of `total` units (records, tables); `total` 0 means not known yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Progress {
    pub done: i64,
    pub total: i64,
}

impl Progress {
    /// 0..=100, or None while the total is unknown.
    pub fn percent(self) -> Option<i64> {
        (self.total > 0).then(|| (self.done.clamp(0, self.total) * 100) / self.total)
    }
}

/// How a run ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JobEnd {
    Succeeded {
        message: String,
    },
    Failed {
        message: String,
    },
    Cancelled,
    /// Another run holds the lease of this kind: nothing was started.
    Busy {
        holder: String,
        /// RFC 3339 UTC.
        until: String,
    },
}

/// What a job runner reports to whoever started it (the TUI's app channel, the CLI).
/// Every run ends with exactly one `Finished`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JobEvent {
    Started {
        job_id: i64,
        kind: JobKind,
        /// The run whose lease had expired and was taken over, if any.
        took_over: Option<i64>,
    },
    Progress {
        job_id: i64,
        kind: JobKind,
        progress: Progress,
    },
    Finished {
        /// None when the run never got a `sync_job` row (lease held, no permission).
        job_id: Option<i64>,
        kind: JobKind,
        progress: Progress,
        end: JobEnd,
    },
}

/// Progress updates for the screen: only when changed, at most one per interval.
#[derive(Debug, Clone)]
pub struct ProgressThrottle {
    min_interval: Duration,
    last: Option<(Instant, Progress)>,
}

impl ProgressThrottle {
    /// At most 10 updates a second.
    pub const UI_INTERVAL: Duration = Duration::from_millis(100);

    pub fn new(min_interval: Duration) -> Self {
        ProgressThrottle {
            min_interval,
            last: None,
        }
    }

    /// True if `p` should be sent now; it then counts as sent.
    pub fn offer(&mut self, now: Instant, p: Progress) -> bool {
        let send = match self.last {
            None => true,
            Some((at, sent)) => sent != p && now.duration_since(at) >= self.min_interval,
        };
        if send {
            self.last = Some((now, p));
        }
        send
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kind_and_status_codes_round_trip() {
        for k in JobKind::ALL {
            assert_eq!(JobKind::from_code(k.code()), Some(k));
        }
        for s in JobStatus::ALL {
            assert_eq!(JobStatus::from_code(s.code()), Some(s));
        }
        assert_eq!(JobKind::from_code("nope"), None);
    }

    #[test]
    fn percent_is_clamped_and_unknown_without_total() {
        assert_eq!(Progress { done: 5, total: 0 }.percent(), None);
        assert_eq!(Progress { done: 1, total: 3 }.percent(), Some(33));
        assert_eq!(Progress { done: 9, total: 3 }.percent(), Some(100));
    }

    #[test]
    fn throttle_sends_only_changes_and_at_most_ten_a_second() {
        let mut t = ProgressThrottle::new(ProgressThrottle::UI_INTERVAL);
        let t0 = Instant::now();
        let p = |done| Progress { done, total: 100 };
        assert!(t.offer(t0, p(1)));
        // Changed, but too soon.
        assert!(!t.offer(t0 + Duration::from_millis(50), p(2)));
        // Late enough but unchanged since the last one sent.
        assert!(!t.offer(t0 + Duration::from_millis(150), p(1)));
        assert!(t.offer(t0 + Duration::from_millis(150), p(3)));
        // A thousand offers over one second get through at most 10 times.
        let mut sent = 0;
        for i in 0..1000u64 {
            if t.offer(
                t0 + Duration::from_millis(200 + i),
                p(10 + i64::try_from(i).unwrap_or(0)),
            ) {
                sent += 1;
            }
        }
        assert!((9..=10).contains(&sent), "{sent} updates in one second");
    }
}
