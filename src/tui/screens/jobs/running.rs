//! The run this session started: its kind, row and progress as the runner reports them.

use crate::domain::job::{JobKind, Progress};
use crate::i18n::Lang;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Running {
    pub kind: JobKind,
    /// The `sync_job` row, once the runner has taken the lease.
    pub job_id: Option<i64>,
    pub progress: Progress,
}

impl Running {
    pub fn new(kind: JobKind) -> Self {
        Self {
            kind,
            job_id: None,
            progress: Progress::default(),
        }
    }

    /// `監査ログ検証 実行中 45%（450/1000） X で中止`, for the jobs screen and the status line.
    pub fn describe(&self, lang: Lang) -> String {
        let p = self.progress;
        let amount = match p.percent() {
            Some(pct) => format!(" {pct}% ({}/{})", p.done, p.total),
            None => String::new(),
        };
        format!(
            "{} {}{amount}  {}",
            self.kind.title(lang),
            lang.t("実行中", "running"),
            lang.t("（中止: X）", "(X cancels)")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_reads_as_percent_and_counts() {
        let mut r = Running::new(JobKind::IntegrityCheck);
        assert!(!r.describe(Lang::En).contains('%'));
        r.progress = Progress {
            done: 45,
            total: 100,
        };
        let en = r.describe(Lang::En);
        assert!(
            en.starts_with("Integrity check running 45% (45/100)"),
            "{en}"
        );
        assert!(r.describe(Lang::Ja).contains("整合性検査 実行中 45%"));
    }
}
