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

pub static JOB_RUN_IMPORT: Command = Command {
    id: "job.run_import_applications",
    scope: Scope::Screen(Jobs),
    enabled: no_job_running,
    run: |h| start(h, JobKind::ImportApplications),
    flags: 0,
    title_ja: "電子申請の取込",
    title_en: "Import applications",
    desc_ja: "スプールの受信フォルダの電子申請ファイルを受付箱に取り込む（誤りのある行は隔離）",
    desc_en: "Import the e-application files in the spool inbox (invalid rows are quarantined)",
};

pub static JOB_RUN_EXPORT_LEMSCARE: Command = Command {
    id: "job.run_export_lemscare",
    scope: Scope::Screen(Jobs),
    enabled: no_job_running,
    run: |h| start(h, JobKind::ExportLemscare),
    flags: 0,
    title_ja: "LEMSCARE への送出",
    title_en: "Export to LEMSCARE",
    desc_ja: "送出待ちの変更を LEMSCARE 反映ファイルとして送出フォルダに書き出す",
    desc_en: "Write the queued changes as a LEMSCARE reflect file into the spool outbox",
};

pub static JOB_RUN_EXPORT_KOKUHOREN: Command = Command {
    id: "job.run_export_kokuhoren",
    scope: Scope::Screen(Jobs),
    enabled: no_job_running,
    run: |h| start(h, JobKind::ExportKokuhoren),
    flags: 0,
    title_ja: "国保連への送出",
    title_en: "Export to 国保連",
    desc_ja: "送出待ちの変更を事業所異動連絡票（CP932）として送出フォルダに書き出す",
    desc_en: "Write the queued changes as a 事業所異動連絡票 file (CP932) into the spool outbox",
};

pub static JOB_RUN_CONSENT_EXCHANGE: Command = Command {
    id: "job.run_consent_exchange",
    scope: Scope::Screen(Jobs),
    enabled: no_job_running,
    run: |h| start(h, JobKind::ConsentExchange),
    flags: 0,
    title_ja: "同意依頼の送受信",
    title_en: "Consent exchange",
    desc_ja: "依頼済の同意依頼を書き出し、受信した依頼と回答を同意の一覧に取り込む",
    desc_en: "Write the requested consents out; take incoming requests and replies into the consent queue",
};

pub static JOB_RUN_IMPORT_OPENDATA: Command = Command {
    id: "job.run_import_opendata",
    scope: Scope::Screen(Jobs),
    enabled: no_job_running,
    run: |h| start(h, JobKind::ImportOpenData),
    flags: 0,
    title_ja: "公表データの照合",
    title_en: "Reconcile open data",
    desc_ja: "spool/opendata/ の介護サービス情報公表オープンデータを台帳と照合する（台帳は変えない）",
    desc_en: "Reconcile the ledger with the open data CSVs in spool/opendata/ (the ledger is not changed)",
};

pub static JOB_RUN_EXPORT_OPENDATA: Command = Command {
    id: "job.run_export_opendata",
    scope: Scope::Screen(Jobs),
    enabled: no_job_running,
    run: |h| start(h, JobKind::ExportOpenData),
    flags: 0,
    title_ja: "オープンデータの書出",
    title_en: "Export open data",
    desc_ja: "区の介護サービス事業所一覧（自治体標準オープンデータセット）を送出フォルダに書き出す",
    desc_en: "Write the ward's provider list (standard open data schema) into the spool outbox",
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

pub static JOB_OPEN: Command = Command {
    id: "job.open",
    scope: Scope::Screen(Jobs),
    enabled: run_with_quarantine,
    run: |h| quarantine(h, true),
    flags: 0,
    title_ja: "隔離の理由",
    title_en: "Quarantine reasons",
    desc_ja: "選択した実行で隔離された行（ファイル・行・理由）を表示する",
    desc_en: "Show the rows the selected run quarantined: file, line and reason",
};

pub static JOB_QUARANTINE: Command = Command {
    id: "job.quarantine",
    scope: Scope::Screen(Jobs),
    enabled: on_list,
    run: |h| quarantine(h, false),
    flags: 0,
    title_ja: "隔離一覧",
    title_en: "All quarantined rows",
    desc_ja: "すべての実行で隔離された行を新しい順に表示する（保存期間を過ぎたものは消去で消えます）",
    desc_en: "Show every run's quarantined rows, newest first (purge removes those past retention)",
};

/// The jobs screen's commands in registry order.
pub static COMMANDS: &[&Command] = &[
    &JOB_RUN_VERIFY_AUDIT,
    &JOB_RUN_INTEGRITY_CHECK,
    &JOB_RUN_IMPORT,
    &JOB_RUN_EXPORT_LEMSCARE,
    &JOB_RUN_EXPORT_KOKUHOREN,
    &JOB_RUN_CONSENT_EXCHANGE,
    &JOB_CANCEL,
    &JOB_OPEN,
    &JOB_QUARANTINE,
    &JOB_RUN_IMPORT_OPENDATA,
    &JOB_RUN_EXPORT_OPENDATA,
];

fn on_list(h: &dyn Host) -> Result<(), Reason> {
    match h.screen::<JobsScreen>() {
        Some(s) if s.quarantine.is_none() => Ok(()),
        Some(_) => Err(Reason::new(
            "隔離の一覧を表示中です（Esc で戻ります）",
            "the quarantine list is open (Esc goes back)",
        )),
        None => Err(Reason::new(
            "連携ジョブの画面で使えます",
            "available on the sync jobs screen",
        )),
    }
}

fn run_with_quarantine(h: &dyn Host) -> Result<(), Reason> {
    on_list(h)?;
    match h.screen::<JobsScreen>().and_then(|s| s.selected()) {
        None => Err(Reason::new("実行が選ばれていません", "no run is selected")),
        Some(j) if j.counts.quarantined == 0 => Err(Reason::new(
            format!("実行 #{} で隔離された行はありません", j.id),
            format!("run #{} quarantined no row", j.id),
        )),
        Some(_) => Ok(()),
    }
}

fn quarantine(h: &mut dyn Host, selected_run: bool) -> Vec<Effect> {
    let Some((sh, jobs)) = h.parts::<JobsScreen>() else {
        return Vec::new();
    };
    let job = if selected_run {
        jobs.selected().map(|j| j.id)
    } else {
        None
    };
    sh.dirty = true;
    vec![Effect::Request(jobs.open_quarantine(job))]
}

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
