//! The dialog for a gap (✗): who fixes it and by when, on one line ("情報政策課
//! 2026-03-31"). Wrong input stays in the dialog with one sentence saying what to fix.

use super::ask;
use crate::domain::checklist::{Mark, MarkInput};
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
use ratatui::widgets::Paragraph;
use std::any::Any;

pub struct GapPrompt {
    pub input: LineInput,
    pub title: String,
    pub error: Option<String>,
    audit_id: i64,
    item: i64,
    version: i64,
    note: String,
}

impl GapPrompt {
    pub fn new(title: String, audit_id: i64, item: i64, version: i64, note: String) -> Self {
        Self {
            input: LineInput::new(""),
            title,
            error: None,
            audit_id,
            item,
            version,
            note,
        }
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
}

impl Overlay<dyn Host> for GapPrompt {
    // Text input: only Enter, Esc and arrows are keys, so every letter can be typed.
    fn contexts(&self) -> &'static [&'static str] {
        &["palette"]
    }

    fn on_confirm(&mut self, env: &dyn Env) -> Outcome<dyn Host> {
        match Self::parse(self.input.text(), env.ui().lang) {
            Ok((owner, due)) => {
                let mut input = MarkInput::new(Mark::Gap);
                input.owner = owner;
                input.due_on = Some(due);
                input.note = self.note.clone();
                let request = ask(ChecklistAsk::Mark {
                    audit_id: self.audit_id,
                    item: self.item,
                    version: self.version,
                    input,
                });
                let item = self.item;
                Outcome::Then(Box::new(move |h: &mut dyn Host| {
                    super::advance(h, item);
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
        let block = boxed(ui, format!(" ✗ {} ", self.title));
        let inner = block.inner(r);
        frame.render_widget(block, r);
        if inner.height < 3 {
            return;
        }
        let label = format!("{} ", l.t("担当者 期限:", "Owner due:"));
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
        lines.push(Line::styled(
            l.t(
                "未対応の項目には、直す担当者と対応期限が必要です（例: 介護保険課 2026-03-31）",
                "A gap needs who fixes it and by when (e.g. Care-section 2026-03-31)",
            ),
            ui.theme.dim,
        ));
        lines.push(Line::raw(""));
        lines.push(Line::styled(
            l.t("Enter: 記録   Esc: やめる", "Enter: record   Esc: cancel"),
            ui.theme.footer_key,
        ));
        frame.render_widget(
            Paragraph::new(lines).wrap(ratatui::widgets::Wrap { trim: true }),
            Rect::new(inner.x, inner.y + 1, inner.width, inner.height - 1),
        );
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}
