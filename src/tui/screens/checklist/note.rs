//! One-line dialogs of the checklist: an item's note, its evidence ("契約書第12条
//! 2025-04-01"), an event of items 2–5, the audit interval and the report's folder. Each
//! checks what was typed (the free-text rule, dates) and, when it is wrong, stays open
//! with one sentence naming the field and what to do.

use super::ask;
use crate::domain::checklist::{ItemRow, MAX_EVIDENCE_CHARS, MAX_NOTE_CHARS, MarkInput};
use crate::domain::text::check_free_text;
use crate::query::checklist::ChecklistAsk;
use crate::tui::i18n::Lang;
use crate::tui::input::LineInput;
use crate::tui::overlay::{Env, Outcome, Overlay, boxed, centered};
use crate::tui::screen::Host;
use crate::tui::widgets::clear::clear_area;
use crate::tui::widgets::text::width;
use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};
use std::any::Any;

/// What was typed, read into a request, or the sentence saying what is wrong.
pub type Parse = Box<dyn Fn(&str, Lang) -> Result<ChecklistAsk, String>>;

pub struct LinePrompt {
    pub input: LineInput,
    pub title: String,
    pub label: String,
    pub hint: String,
    pub error: Option<String>,
    parse: Parse,
    /// What Enter does, in the footer (ja, en).
    confirm: (&'static str, &'static str),
    /// The item whose next one the audit walk moves to once this is sent.
    advance: Option<i64>,
}

impl LinePrompt {
    pub fn new(title: String, label: &str, hint: &str, text: &str, parse: Parse) -> Self {
        Self {
            input: LineInput::new(text),
            title,
            label: label.into(),
            hint: hint.into(),
            error: None,
            parse,
            confirm: ("保存", "save"),
            advance: None,
        }
    }

    /// Names what Enter does in the footer ("記録" for a mark).
    pub fn confirming(mut self, ja: &'static str, en: &'static str) -> Self {
        self.confirm = (ja, en);
        self
    }

    /// After sending, the audit walk moves on from `item` (as marking with one key does).
    pub fn then_advance(mut self, item: i64) -> Self {
        self.advance = Some(item);
        self
    }
}

impl Overlay<dyn Host> for LinePrompt {
    // Text input: only Enter, Esc and arrows are keys, so every letter can be typed.
    fn contexts(&self) -> &'static [&'static str] {
        &["palette"]
    }

    fn on_confirm(&mut self, env: &dyn Env) -> Outcome<dyn Host> {
        match (self.parse)(self.input.text(), env.ui().lang) {
            Ok(a) => {
                let request = ask(a);
                let advance = self.advance;
                Outcome::Then(Box::new(move |h: &mut dyn Host| {
                    if let Some(item) = advance {
                        super::advance(h, item);
                    }
                    vec![request]
                }))
            }
            Err(e) => {
                self.error = Some(e);
                Outcome::Keep
            }
        }
    }

    fn on_key(&mut self, key: crossterm::event::KeyEvent, _env: &dyn Env) -> bool {
        let (draw, text) = self.input.edit(key);
        if text {
            self.error = None;
        }
        draw
    }

    fn on_paste(&mut self, text: &str, _env: &dyn Env) -> bool {
        self.input.paste(text)
    }

    fn draw(&self, frame: &mut Frame<'_>, area: Rect, env: &dyn Env) {
        let ui = env.ui();
        let l = ui.lang;
        let r = centered(area, 76, 11);
        clear_area(frame.buffer_mut(), r);
        let block = boxed(ui, format!(" {} ", self.title));
        let inner = block.inner(r);
        frame.render_widget(block, r);
        if inner.height < 3 {
            return;
        }
        let label = format!("{} ", self.label);
        let lw = width(&label) as u16;
        frame.render_widget(Paragraph::new(label), Rect::new(inner.x, inner.y, lw, 1));
        self.input.render(
            frame,
            Rect::new(inner.x + lw, inner.y, inner.width.saturating_sub(lw), 1),
            true,
        );
        let mut lines = vec![Line::raw("")];
        if let Some(e) = &self.error {
            lines.push(Line::styled(e.clone(), ui.theme.error));
        }
        lines.push(Line::styled(self.hint.clone(), ui.theme.dim));
        lines.push(Line::raw(""));
        let (ja, en) = self.confirm;
        lines.push(Line::styled(
            if l.is_ja() {
                format!("Enter: {ja}   Esc: やめる")
            } else {
                format!("Enter: {en}   Esc: cancel")
            },
            ui.theme.footer_key,
        ));
        frame.render_widget(
            Paragraph::new(lines).wrap(Wrap { trim: true }),
            Rect::new(inner.x, inner.y + 1, inner.width, inner.height - 1),
        );
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// The free-text rule, with the field's name in front of the sentence.
pub fn free_text(lang: Lang, name: &str, text: &str, max: usize) -> Result<(), String> {
    check_free_text("text", text, max, false)
        .map_err(|e| format!("{name}: {}", if lang.is_ja() { e.ja } else { e.en }))
}

/// A date as every other form reads one (2025-04-01, 2025/04/01, R7.4.1, 令和7年4月1日),
/// or the sentence naming the field.
pub fn date(lang: Lang, name: &str, text: &str) -> Result<NaiveDate, String> {
    let t = text.trim();
    crate::domain::wareki::parse(&t.replace('/', "-")).ok_or_else(|| {
        if lang.is_ja() {
            format!(
                "{name}「{t}」は日付として読めません。2025-04-01 か R7.4.1 の形で入力してください"
            )
        } else {
            format!("{name} {t:?} is not a date; enter it as 2025-04-01 or R7.4.1")
        }
    })
}

/// The item's current mark, owner and due date, with what the dialog changes.
fn keep(row: &ItemRow) -> MarkInput {
    MarkInput {
        mark: row.mark,
        note: row.note.clone(),
        evidence: row.evidence.clone(),
        evidence_date: row.evidence_date,
        owner: row.owner.clone(),
        due_on: row.due_on,
    }
}

fn note_ask(audit_id: i64, row: &ItemRow, input: MarkInput) -> ChecklistAsk {
    ChecklistAsk::Note {
        audit_id,
        item: row.no,
        version: row.version,
        input,
    }
}

/// The note dialog for `row` of audit `audit_id`, prefilled with its note.
pub fn note_prompt(lang: Lang, audit_id: i64, row: &ItemRow) -> LinePrompt {
    let r = row.clone();
    let parse: Parse = Box::new(move |text, lang| {
        let name = lang.t("備考", "Note");
        free_text(lang, name, text.trim(), MAX_NOTE_CHARS)?;
        let mut input = keep(&r);
        input.note = text.trim().to_string();
        Ok(note_ask(audit_id, &r, input))
    });
    LinePrompt::new(
        format!(
            "{} {}: {}",
            lang.t("項目", "Item"),
            row.no,
            lang.t("備考", "note")
        ),
        lang.t("備考:", "Note:"),
        lang.t(
            "空にすると備考を消します（500文字まで）",
            "Leave it empty to clear the note (up to 500 characters)",
        ),
        &row.note,
        parse,
    )
}

/// "契約書第12条 2025-04-01": the document, then its date if the last word is one.
pub fn parse_evidence(text: &str, lang: Lang) -> Result<(String, Option<NaiveDate>), String> {
    let text = text.trim();
    let (doc, day) = match text.rsplit_once(char::is_whitespace) {
        // The last word is the date when it looks like one (2025-04-01, R7.4.1, 令和…).
        Some((d, last))
            if last.chars().next().is_some_and(|c| c.is_ascii_digit())
                || crate::domain::wareki::parse(last).is_some() =>
        {
            (
                d.trim(),
                Some(date(lang, lang.t("資料の日付", "The evidence date"), last)?),
            )
        }
        _ => (text, None),
    };
    free_text(
        lang,
        lang.t("根拠資料", "Evidence"),
        doc,
        MAX_EVIDENCE_CHARS,
    )?;
    Ok((doc.to_string(), day))
}

/// The evidence dialog: document and date on one line, prefilled.
pub fn evidence_prompt(lang: Lang, audit_id: i64, row: &ItemRow) -> LinePrompt {
    let r = row.clone();
    let parse: Parse = Box::new(move |text, lang| {
        let (doc, day) = parse_evidence(text, lang)?;
        let mut input = keep(&r);
        input.evidence = doc;
        input.evidence_date = day;
        Ok(note_ask(audit_id, &r, input))
    });
    let text = match row.evidence_date {
        Some(d) => format!("{} {d}", row.evidence),
        None => row.evidence.clone(),
    };
    LinePrompt::new(
        format!(
            "{} {}: {}",
            lang.t("項目", "Item"),
            row.no,
            lang.t("根拠資料", "evidence")
        ),
        lang.t("資料 日付:", "Document date:"),
        lang.t(
            "資料名と日付を空白で区切って入力（例: 委託契約書第12条 2025-04-01）。日付は省略可、空にすると消します",
            "The document and its date, separated by a space (e.g. Contract-art.12 2025-04-01); the date may be left out, empty clears it",
        ),
        text.trim(),
        parse,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_as_in_every_other_form() {
        let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd);
        assert_eq!(
            parse_evidence("委託契約書 第12条 R8.4.1", Lang::Ja).unwrap(),
            ("委託契約書 第12条".to_string(), d(2026, 4, 1))
        );
        assert_eq!(
            parse_evidence("委託契約書 2025/04/01", Lang::Ja).unwrap().1,
            d(2025, 4, 1)
        );
        assert_eq!(
            parse_evidence("委託契約書 第12条", Lang::Ja).unwrap(),
            ("委託契約書 第12条".to_string(), None)
        );
        assert!(parse_evidence("委託契約書 2025-13-01", Lang::Ja).is_err());
        assert_eq!(
            super::super::gap::parse("介護保険課 R9.1.31", Lang::Ja).unwrap(),
            ("介護保険課".to_string(), d(2027, 1, 31).unwrap())
        );
        let e = super::super::gap::parse("介護保険課 いつか", Lang::Ja).unwrap_err();
        assert!(e.contains("R9.3.31"), "{e}");
    }
}
