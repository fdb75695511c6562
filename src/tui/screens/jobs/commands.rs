//! The jobs screen's commands: start a job, cancel the running one.

use super::JobsScreen;
use crate::domain::job::JobKind;
use crate::i18n::Lang;
use crate::tui::command::{Command, Reason, Scope};
use crate::tui::msg::Effect;
use crate::tui::screen::Host;
use crate::tui::ui::ScreenId::Jobs;

pub static JOB_RUN_VERIFY_AUDIT: Command = Command {
    id: "job.run_verify_audit",
    scope: Scope::Screen(Jobs),
    enabled: no_job_running,
    run: |h| start(h, JobKind::VerifyAudit),
    flags: 0,
    title_ja: "監査ログ検証",
    title_en: "Verify audit log",
    desc_ja: "監査ログのハッシュ連鎖を再計算し、アンカーファイルと照合する（バックグラウンド）",
    desc_en: "Recompute the audit log's hash chain and compare it with the anchor file (in the background)",
};

pub static JOB_RUN_INTEGRITY_CHECK: Command = Command {
    id: "job.run_integrity_check",
    scope: Scope::Screen(Jobs),
    enabled: no_job_running,
    run: |h| start(h, JobKind::IntegrityCheck),
    flags: 0,
    title_ja: "整合性検査",
    title_en: "Integrity check",
    desc_ja: "データベースの各表を quick_check で検査する（バックグラウンド）",
    desc_en: "Check every table of the database with quick_check (in the background)",
};

pub static JOB_CANCEL: Command = Command {
    id: "job.cancel",
    scope: Scope::Screen(Jobs),
    enabled: job_running,
    run: cancel,
    flags: 0,
    title_ja: "ジョブ中止",
    title_en: "Cancel job",
    desc_ja: "実行中のジョブを今の区切りで中止する",
    desc_en: "Stop the running job after its current batch",
};

/// The jobs screen's commands in registry order.
pub static COMMANDS: &[&Command] = &[&JOB_RUN_VERIFY_AUDIT, &JOB_RUN_INTEGRITY_CHECK, &JOB_CANCEL];

fn running(h: &dyn Host) -> Option<JobKind> {
    h.screen::<JobsScreen>()?.running.as_ref().map(|r| r.kind)
}

fn no_job_running(h: &dyn Host) -> Result<(), Reason> {
    match running(h) {
        None => Ok(()),
        Some(kind) => Err(Reason::new(
            format!("{}が実行中です（X で中止できます）", kind.title(Lang::Ja)),
            format!("{} is running (X cancels it)", kind.title(Lang::En)),
        )),
    }
}

fn job_running(h: &dyn Host) -> Result<(), Reason> {
    match running(h) {
        Some(_) => Ok(()),
        None => Err(Reason::new(
            "実行中のジョブはありません",
            "no job is running",
        )),
    }
}

fn start(h: &mut dyn Host, kind: JobKind) -> Vec<Effect> {
    let Some((sh, jobs)) = h.parts::<JobsScreen>() else {
        return Vec::new();
    };
    jobs.starting(kind);
    let lang = sh.lang();
    sh.info(format!(
        "{}: {}",
        kind.title(lang),
        lang.t("開始しました", "started")
    ));
    vec![Effect::StartJob(kind)]
}

fn cancel(h: &mut dyn Host) -> Vec<Effect> {
    let sh = h.shell_mut();
    let text = sh.lang().t(
        "中止を依頼しました。今の区切りで止まります",
        "cancelling: the job stops after its current batch",
    );
    sh.info(text);
    vec![Effect::CancelJob]
}
