//! The dialog for a gap (✗): who fixes it and by when, on one line ("情報政策課
//! 2026-03-31"). Wrong input stays in the dialog with one sentence saying what to fix.
//! It is the checklist's one-line dialog ([`LinePrompt`]) with the gap's reading.

use super::note::{LinePrompt, Parse};
use crate::domain::checklist::{Mark, MarkInput};
use crate::query::checklist::ChecklistAsk;
use crate::tui::i18n::Lang;
use chrono::NaiveDate;

/// The ✗ dialog of `item`: sends the gap with its owner and due date, keeping the item's
/// note, then moves the walk on like the other marks.
pub fn gap_prompt(
    lang: Lang,
    title: String,
    audit_id: i64,
    item: i64,
    version: i64,
    note: String,
) -> LinePrompt {
    let read: Parse = Box::new(move |text, lang| {
        let (owner, due) = parse(text, lang)?;
        let mut input = MarkInput::new(Mark::Gap);
        input.owner = owner;
        input.due_on = Some(due);
        input.note = note.clone();
        Ok(ChecklistAsk::Mark {
            audit_id,
            item,
            version,
            input,
        })
    });
    LinePrompt::new(
        format!("✗ {title}"),
        lang.t("担当者 期限:", "Owner due:"),
        lang.t(
            "未対応の項目には、直す担当者と対応期限が必要です（例: 介護保険課 2026-03-31）",
            "A gap needs who fixes it and by when (e.g. Care-section 2026-03-31)",
        ),
        "",
        read,
    )
    .confirming("記録", "record")
    .then_advance(item)
}

/// The owner and due date typed, or the one sentence saying what is wrong.
pub fn parse(text: &str, lang: Lang) -> Result<(String, NaiveDate), String> {
    let text = text.trim();
    let Some((owner, date)) = text.rsplit_once(char::is_whitespace) else {
        return Err(lang
            .t(
                "担当者と対応期限を空白で区切って入力してください（例: 介護保険課 2026-03-31）",
                "Enter the owner and the due date separated by a space (e.g. Care-section 2026-03-31)",
            )
            .into());
    };
    let date = date.trim();
    match crate::domain::wareki::parse(&date.replace('/', "-")) {
        Some(d) => Ok((owner.trim().to_string(), d)),
        None => Err(if lang.is_ja() {
            format!(
                "対応期限「{date}」は日付として読めません。2027-03-31 か R9.3.31 の形で入力してください"
            )
        } else {
            format!("The due date {date:?} is not a date; enter it as 2027-03-31 or R9.3.31")
        }),
    }
}
