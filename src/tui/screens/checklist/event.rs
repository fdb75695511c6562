//! The dialogs behind items 2–5 (an event recorded for a connection), the audit interval
//! (admin) and the folder the committee's report is written to.

use super::note::{LinePrompt, Parse, date, free_text};
use crate::domain::checklist::{EventKind, MAX_EVIDENCE_CHARS, MAX_NOTE_CHARS, Side};
use crate::query::checklist::ChecklistAsk;
use crate::tui::i18n::Lang;
use chrono::NaiveDate;
use std::path::{Path, PathBuf};

/// "2025-04-01 委託先報告書 / 備考": the day, the document, and after " / " a note.
pub fn parse_event(text: &str, lang: Lang) -> Result<(NaiveDate, String, String), String> {
    let text = text.trim();
    let (day, rest) = text.split_once(char::is_whitespace).unwrap_or((text, ""));
    if day.is_empty() {
        return Err(lang
            .t(
                "実施・受領した日を先頭に入力してください（例: 2025-04-01 委託先報告書）",
                "Start with the day it happened (e.g. 2025-04-01 Status-report)",
            )
            .into());
    }
    let day = date(lang, lang.t("日付", "The date"), day)?;
    let (doc, note) = rest.split_once(" / ").unwrap_or((rest, ""));
    let (doc, note) = (doc.trim(), note.trim());
    if doc.is_empty() {
        return Err(lang
            .t(
                "資料名を日付の後に入力してください（例: 2025-04-01 委託先報告書）",
                "Enter the document after the date (e.g. 2025-04-01 Status-report)",
            )
            .into());
    }
    free_text(lang, lang.t("資料名", "Document"), doc, MAX_EVIDENCE_CHARS)?;
    free_text(lang, lang.t("備考", "Note"), note, MAX_NOTE_CHARS)?;
    Ok((day, doc.to_string(), note.to_string()))
}

/// The dialog recording one `kind` of event for connection `code`.
pub fn event_prompt(lang: Lang, code: String, name: &str, kind: EventKind) -> LinePrompt {
    let parse: Parse = Box::new(move |text, lang| {
        let (date, document, note) = parse_event(text, lang)?;
        Ok(ChecklistAsk::RecordEvent {
            code: code.clone(),
            kind,
            date,
            document,
            note,
        })
    });
    LinePrompt::new(
        format!(
            "{name}: {} ({} {})",
            kind.label(lang),
            lang.t("項目", "item"),
            kind.item()
        ),
        lang.t("日付 資料:", "Date document:"),
        lang.t(
            "実施・受領した日と資料名、備考は「 / 」の後に（例: 2025-04-01 委託先報告書 / 年次報告）",
            "The day and the document, a note after \" / \" (e.g. 2025-04-01 Status-report / yearly)",
        ),
        "",
        parse,
    )
}

/// The audit interval in months (1–60), prefilled with the current one.
pub fn interval_prompt(lang: Lang, months: u32) -> LinePrompt {
    let parse: Parse = Box::new(|text, lang| {
        crate::domain::checklist::parse_interval(text)
            .map(|months| ChecklistAsk::SetInterval { months })
            .map_err(|e| if lang.is_ja() { e.ja } else { e.en })
    });
    LinePrompt::new(
        lang.t("点検の間隔", "Audit interval").into(),
        lang.t("月数:", "Months:"),
        lang.t(
            "署名した点検が有効な月数（1〜60）。各結合先の次回期限がこれで決まります",
            "How many months a signed audit stays current (1-60); it sets every next due date",
        ),
        &months.to_string(),
        parse,
    )
}

/// The folder for the committee's table (HTML, text, CSV); files are never replaced.
pub fn report_prompt(lang: Lang, what: &str, code: String, side: Side, dir: &Path) -> LinePrompt {
    let parse: Parse = Box::new(move |text, lang| {
        let t = text.trim();
        if t.is_empty() {
            return Err(lang
                .t(
                    "保存先のフォルダを入力してください",
                    "Enter the folder to write the report to",
                )
                .into());
        }
        free_text(lang, lang.t("保存先", "Folder"), t, 1000)?;
        Ok(ChecklistAsk::Report {
            code: code.clone(),
            side,
            dir: PathBuf::from(t),
        })
    });
    LinePrompt::new(
        format!("{what}: {}", lang.t("報告書の書き出し", "export the report")),
        lang.t("フォルダ:", "Folder:"),
        lang.t(
            "A4 の HTML・テキスト・CSV を書き出します。同じ名前のファイルがあれば -1, -2 … を付け、上書きはしません",
            "Writes A4 HTML, text and CSV; an existing file is never replaced (a new name gets -1, -2 …)",
        ),
        &dir.display().to_string(),
        parse,
    )
}
