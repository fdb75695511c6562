//! The inbox's commands: the workflow steps, each with its handler and the check that
//! says why it cannot run now.

use super::InboxScreen;
use crate::domain::application::ApplicationStatus;
use crate::domain::inbox::InboxRow;
use crate::domain::model::ApplicationRow;
use crate::i18n::Lang;
use crate::query::Request;
use crate::tui::command::{Command, Reason, Scope};
use crate::tui::msg::Effect;
use crate::tui::overlay::confirm::Confirm;
use crate::tui::overlay::prompt::ReasonPrompt;
use crate::tui::screen::Host;
use crate::tui::shell::Shell;
use crate::tui::ui::ScreenId::Inbox;

type Fx = Vec<Effect>;

macro_rules! step {
    ($name:ident, $id:literal, $to:ident, $tja:literal, $ten:literal, $dja:literal, $den:literal) => {
        pub static $name: Command = Command {
            id: $id,
            scope: Scope::Screen(Inbox),
            enabled: |h| may(h, ApplicationStatus::$to),
            run: |h| step(h, ApplicationStatus::$to),
            flags: 0,
            title_ja: $tja,
            title_en: $ten,
            desc_ja: $dja,
            desc_en: $den,
        };
    };
}

step!(
    INBOX_ACCEPT,
    "inbox.accept",
    Accepted,
    "受付",
    "Accept",
    "提出された申請を受け付ける",
    "Accept a submitted application"
);
step!(
    INBOX_START_REVIEW,
    "inbox.start_review",
    UnderReview,
    "審査開始",
    "Start review",
    "審査を開始する",
    "Start the review"
);
step!(
    INBOX_RETURN,
    "inbox.return",
    Returned,
    "差戻し",
    "Return",
    "理由を付けて申請者へ差し戻す",
    "Return to the applicant with a reason"
);
step!(
    INBOX_APPROVE,
    "inbox.approve",
    Decided,
    "決定",
    "Approve",
    "審査済みの申請を決定する（決裁権限）",
    "Approve a reviewed application (approver)"
);
step!(
    INBOX_REJECT,
    "inbox.reject",
    Rejected,
    "却下",
    "Reject",
    "理由を付けて却下する",
    "Reject with a reason"
);
step!(
    INBOX_WITHDRAW,
    "inbox.withdraw",
    Withdrawn,
    "取下げ",
    "Withdraw",
    "申請者の申出により申請を取り下げる（理由を記録）",
    "Withdraw at the applicant's request (with a reason)"
);
step!(
    INBOX_RESUBMIT,
    "inbox.resubmit",
    Resubmitted,
    "再提出",
    "Resubmitted",
    "差し戻した申請の再提出を記録する",
    "Record that a returned application was sent back corrected"
);
step!(
    INBOX_NOTIFY,
    "inbox.notify",
    Notified,
    "結果通知",
    "Send notice",
    "結果通知を記録する",
    "Record the result notice"
);

/// The inbox's commands in registry order.
pub static COMMANDS: &[&Command] = &[
    &INBOX_ACCEPT,
    &INBOX_START_REVIEW,
    &INBOX_RETURN,
    &INBOX_APPROVE,
    &INBOX_REJECT,
    &INBOX_NOTIFY,
    &INBOX_WITHDRAW,
    &INBOX_RESUBMIT,
    &super::list::commands::INBOX_OPEN,
    &super::list::commands::INBOX_NEXT_CASE,
    &super::list::commands::INBOX_PREV_CASE,
    &super::list::commands::INBOX_OVERDUE,
    &super::list::commands::INBOX_MINE,
    &super::list::commands::INBOX_OPEN_ONLY,
    &super::list::commands::INBOX_STATUS_NEXT,
    &super::list::commands::INBOX_STATUS_PREV,
    &super::list::commands::INBOX_KIND,
    &super::list::commands::INBOX_SOURCE,
    &super::list::commands::INBOX_SORT_NEXT,
    &super::list::commands::INBOX_SORT_REVERSE,
    &super::list::commands::INBOX_CLEAR,
    &super::list::commands::INBOX_ASSIGN_ME,
    &super::list::commands::INBOX_SEARCH,
    &super::list::commands::INBOX_EXPORT,
    &super::work::commands::INBOX_ASSIGN,
    &super::work::commands::INBOX_NOTE,
    &super::work::commands::INBOX_DOCUMENT,
    &super::work::commands::INBOX_LETTER,
    &super::notices::commands::INBOX_RENEWALS,
    &super::notices::commands::INBOX_RENEWAL_PICK,
    &super::notices::commands::INBOX_RENEWAL_MONTHS,
    &super::notices::commands::INBOX_RENEWAL_SEND,
    &super::notices::commands::INBOX_PUBLIC_NOTICES,
    &super::intake::commands::INBOX_INTAKE,
    &super::intake::commands::INBOX_INTAKE_SAVE,
    &super::intake::commands::INBOX_INTAKE_CANCEL,
];

/// The list line as the workflow rules read it.
pub fn app_row(r: &InboxRow) -> ApplicationRow {
    ApplicationRow {
        id: r.id,
        external_id: r.external_id.clone(),
        kind: r.kind,
        status: r.status,
        provider_number: r.provider_number.clone(),
        applicant_name: r.applicant_name.clone(),
        service_code: r.service_code.clone(),
        received_on: r.received_on,
        due_on: r.filing_due_on,
        keyed_by: r.keyed_by.clone(),
        reviewed_by: r.reviewed_by.clone(),
        version: r.version,
    }
}

/// A step: a selected application that may move to `to`, by this user.
fn may(h: &dyn Host, to: ApplicationStatus) -> Result<(), Reason> {
    if h.active() != Inbox {
        return Err(Reason::new(
            "申請受付の画面で使えます",
            "available on the inbox screen",
        ));
    }
    let Some(row) = h.screen::<InboxScreen>().and_then(InboxScreen::selected) else {
        return Err(Reason::new(
            "申請が選択されていません",
            "no application selected",
        ));
    };
    crate::service::applications::may_transition(&h.shell().actor, &app_row(row), to)
        .map_err(|e| Reason::new(e.message(true), e.message(false)))?;
    // A decision shows what it writes to the ledger: that needs the open case.
    let case = h.screen::<InboxScreen>().and_then(|s| s.case.as_ref());
    match case {
        None if to == ApplicationStatus::Decided => Err(Reason::new(
            "Enter で案件を開き、台帳の変更内容を確かめてから決定してください",
            "open the case with Enter and check the ledger changes before deciding",
        )),
        Some(c) if to == ApplicationStatus::Decided => {
            super::decide::blocked(c).map_or(Ok(()), Err)
        }
        _ => Ok(()),
    }
}

/// Steps that must say why (return, reject) ask for a reason first; deciding and the
/// result notice ask for a yes, saying what will happen; the others go now.
fn step(h: &mut dyn Host, to: ApplicationStatus) -> Fx {
    let Some(row) = h
        .screen::<InboxScreen>()
        .and_then(|s| s.selected().cloned())
    else {
        return Vec::new();
    };
    let lang = h.shell().lang();
    let mut outcome = step_outcome(lang, &row, to);
    if to == ApplicationStatus::Decided
        && let Some(case) = h.screen::<InboxScreen>().and_then(|s| s.case.as_ref())
    {
        outcome = Some(super::decide::confirm_text(
            lang,
            case,
            outcome.unwrap_or_default(),
        ));
    }
    if to.needs_reason() {
        let label = if lang.is_ja() {
            to.label_ja()
        } else {
            to.label_en()
        };
        let title = format!("{label}: {} {}", row.provider_number, row.applicant_name);
        let mut prompt = ReasonPrompt::transition(row.id, row.version, to, title);
        prompt.outcome = outcome;
        h.push_overlay(prompt);
        return Vec::new();
    }
    let request = Request::Transition {
        id: row.id,
        version: row.version,
        to,
        reason: String::new(),
    };
    if let Some(message) = outcome {
        let message = format!("{message}\n{}", lang.t("よろしいですか？", "Go ahead?"));
        let on_yes = move |_: &mut dyn Host| vec![Effect::Request(request)];
        h.push_overlay(Confirm::new(message, Box::new(on_yes)));
        return Vec::new();
    }
    vec![Effect::Request(request)]
}

/// What a step that cannot be taken back does, in words: the status change and what
/// comes next. `None` for the everyday steps (受付, 審査開始), which go on one key.
fn step_outcome(lang: Lang, row: &InboxRow, to: ApplicationStatus) -> Option<String> {
    let case = row.external_id.as_deref().unwrap_or(&row.provider_number);
    let (from_ja, to_ja) = (row.status.label_ja(), to.label_ja());
    let (from_en, to_en) = (row.status.label_en(), to.label_en());
    let (ja, en) = match to {
        ApplicationStatus::Decided => (
            format!(
                "申請 {case}（{}）を決定します。\n状態が「{from_ja}」から「{to_ja}」に変わり、次は結果通知の記録です。",
                row.applicant_name
            ),
            format!(
                "Decide application {case} ({}).\nIts status goes from {from_en} to {to_en}; recording the result notice comes next.",
                row.applicant_name
            ),
        ),
        ApplicationStatus::Withdrawn => (
            format!(
                "申請 {case} を取り下げます。\n状態が「{from_ja}」から「{to_ja}」に変わり、この申請は終わります（台帳は変わりません）。"
            ),
            format!(
                "Withdraw application {case}.\nIts status goes from {from_en} to {to_en} and the case ends (the ledger is not changed)."
            ),
        ),
        ApplicationStatus::Rejected => (
            format!(
                "申請 {case} を却下します。\n状態が「{from_ja}」から「{to_ja}」に変わり、この申請は終わります。"
            ),
            format!(
                "Reject application {case}.\nIts status goes from {from_en} to {to_en} and the case ends."
            ),
        ),
        ApplicationStatus::Notified => (
            format!(
                "申請 {case}（{}）の結果通知を記録します。\n状態が「{from_ja}」から「{to_ja}」に変わり、この申請は完了します。",
                row.applicant_name
            ),
            format!(
                "Record the result notice of application {case} ({}).\nIts status goes from {from_en} to {to_en} and the case is complete.",
                row.applicant_name
            ),
        ),
        _ => return None,
    };
    Some(if lang.is_ja() { ja } else { en })
}

/// "更新しました: 1370100012 新規指定申請: 受付済"
pub fn transitioned(lang: Lang, row: &ApplicationRow) -> String {
    let (kind, status) = if lang.is_ja() {
        (row.kind.label_ja(), row.status.label_ja())
    } else {
        (row.kind.label_en(), row.status.label_en())
    };
    format!(
        "{} {} {kind}: {status}",
        lang.t("更新しました:", "updated:"),
        row.provider_number
    )
}

/// Someone (maybe this user, in another window) moved the application first.
pub fn conflict(sh: &Shell, row: &ApplicationRow, by: Option<String>, at: String) -> String {
    let lang = sh.lang();
    let status = if lang.is_ja() {
        row.status.label_ja()
    } else {
        row.status.label_en()
    };
    let me = by.as_deref() == Some(sh.actor.staff_id.as_str());
    match (by, lang.is_ja()) {
        (Some(_), true) if me => {
            format!("あなたが別の画面で {at} にこの申請を更新済みです（現在: {status}）")
        }
        (Some(_), false) if me => {
            format!("you updated this application in another window at {at} (now {status})")
        }
        (Some(by), true) => format!("{by} が {at} にこの申請を先に更新しました（現在: {status}）"),
        (Some(by), false) => format!("{by} updated this application first at {at} (now {status})"),
        (None, true) => format!("この申請は先に更新されました（現在: {status}）"),
        (None, false) => format!("this application was updated first (now {status})"),
    }
}
