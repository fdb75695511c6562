//! The consent queue's messages in words: what a step does, what was done, and who
//! changed a case first.

use crate::domain::consent::{ConsentStatus, Direction};
use crate::domain::consent_view::ConsentListRow;
use crate::i18n::Lang;
use crate::tui::shell::Shell;

/// What a step does, in words: the status change and its consequence.
pub(super) fn step_outcome(lang: Lang, row: &ConsentListRow, to: ConsentStatus) -> String {
    let muni = &row.municipality_name;
    let (from_ja, to_ja) = (row.status.label_ja(), to.label_ja());
    let (from_en, to_en) = (row.status.label_en(), to.label_en());
    let (ja_then, en_then) = match (to, row.direction) {
        (ConsentStatus::Requested, _) => (
            "回答の督促日が設定されます。",
            "A reminder date is set for the answer.",
        ),
        (ConsentStatus::Consented | ConsentStatus::Waived, Direction::Outgoing)
            if row.application_id.is_some() =>
        {
            (
                "紐づく申請は同意の条件を満たします。",
                "The linked application meets the consent condition.",
            )
        }
        (ConsentStatus::Refused, Direction::Outgoing) if row.application_id.is_some() => (
            "紐づく申請は決定できなくなります。",
            "The linked application cannot be decided.",
        ),
        (ConsentStatus::Withdrawn | ConsentStatus::Closed, _) => {
            ("この案件は終わります。", "The case ends.")
        }
        _ => ("", ""),
    };
    let (ja_then, en_then) = (ja_then.trim_end(), en_then.trim_end());
    let text = if lang.is_ja() {
        format!(
            "{muni}との案件（{}）を「{from_ja}」から「{to_ja}」にします。\n{ja_then}",
            row.facility_name
        )
    } else {
        format!(
            "The case with {muni} ({}) goes from {from_en} to {to_en}.\n{en_then}",
            row.facility_name
        )
    };
    text.trim_end().to_string()
}

/// "更新しました: 葛飾区 …: 同意"
pub fn transitioned(lang: Lang, row: &ConsentListRow) -> String {
    let status = if lang.is_ja() {
        row.status.label_ja()
    } else {
        row.status.label_en()
    };
    format!(
        "{} {} {}: {status}",
        lang.t("更新しました:", "updated:"),
        row.municipality_name,
        row.facility_name
    )
}

/// Someone (maybe this user, in another window) moved the case first.
pub fn conflict(sh: &Shell, row: &ConsentListRow, by: Option<String>, at: String) -> String {
    let lang = sh.lang();
    let status = if lang.is_ja() {
        row.status.label_ja()
    } else {
        row.status.label_en()
    };
    let me = by.as_deref() == Some(sh.actor.staff_id.as_str());
    match (by, lang.is_ja()) {
        (Some(_), true) if me => {
            format!(
                "あなたが別の画面で {at} にこの同意案件を更新済みです（現在: {status}）。一覧を読み直しました"
            )
        }
        (Some(_), false) if me => {
            format!(
                "you updated this consent case in another window at {at} (now {status}); the list is reloaded"
            )
        }
        (Some(by), true) => format!(
            "{by} が {at} にこの同意案件を先に更新しました（現在: {status}）。一覧を読み直しました"
        ),
        (Some(by), false) => format!(
            "{by} updated this consent case first at {at} (now {status}); the list is reloaded"
        ),
        (None, true) => format!("この同意案件は先に更新されました（現在: {status}）"),
        (None, false) => format!("this consent case was updated first (now {status})"),
    }
}
