//! A one-line entry the inbox asks for (a note, a date): the field, what it is for, and
//! the check that refuses a wrong value inside the box, naming what to type instead.

use crate::i18n::Lang;
use crate::tui::input::LineInput;
use crate::tui::msg::Effect;
use crate::tui::overlay::{Env, Outcome, Overlay, boxed, centered};
use crate::tui::screen::Host;
use crate::tui::widgets::clear::clear_area;
use crate::tui::widgets::text::width;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};
use std::any::Any;

/// The value as sent, or why it is refused (in the UI language).
pub type Check = Box<dyn Fn(&str, Lang) -> Result<String, String>>;
/// What Enter does with the accepted value.
pub type OnOk = Box<dyn FnOnce(&mut dyn Host, String) -> Vec<Effect>>;

pub struct TextEntry {
    pub title: String,
    pub label: String,
    pub input: LineInput,
    pub notes: Vec<String>,
    /// Why the last Enter was refused; the entry stays open with it.
    pub error: Option<String>,
    check: Check,
    on_ok: Option<OnOk>,
}

impl TextEntry {
    pub fn new(
        title: String,
        label: String,
        text: &str,
        notes: Vec<String>,
        check: Check,
        on_ok: OnOk,
    ) -> Self {
        Self {
            title,
            label,
            input: LineInput::new(text),
            notes,
            error: None,
            check,
            on_ok: Some(on_ok),
        }
    }
}

impl Overlay<dyn Host> for TextEntry {
    // Text inputs use the palette context: only Enter, Esc and arrows are keys there.
    fn contexts(&self) -> &'static [&'static str] {
        &["palette"]
    }

    fn on_confirm(&mut self, env: &dyn Env) -> Outcome<dyn Host> {
        match (self.check)(self.input.text(), env.ui().lang) {
            Ok(value) => match self.on_ok.take() {
                Some(on) => Outcome::Then(Box::new(move |h: &mut dyn Host| on(h, value))),
                None => Outcome::Close,
            },
            Err(why) => {
                self.error = Some(why);
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
        let mut lines = vec![Line::raw("")];
        if let Some(e) = &self.error {
            lines.push(Line::styled(e.clone(), ui.theme.error));
        }
        lines.extend(
            self.notes
                .iter()
                .map(|n| Line::styled(n.clone(), ui.theme.dim)),
        );
        lines.push(Line::raw(""));
        lines.push(Line::styled(
            l.t("Enter: 決定   Esc: やめる", "Enter: confirm   Esc: cancel"),
            ui.theme.footer_key,
        ));
        let r = centered(area, 70, lines.len() as u16 + 4);
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
        frame.render_widget(
            Paragraph::new(lines).wrap(Wrap { trim: false }),
            Rect::new(inner.x, inner.y + 1, inner.width, inner.height - 1),
        );
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// A date as staff type it (2026-11-25, R8.11.25, 令和8年11月25日).
pub fn date_check() -> Check {
    Box::new(|text, lang| {
        crate::domain::wareki::parse(text)
            .map(|d| d.to_string())
            .ok_or_else(|| {
                lang.t(
                    "受領日が日付として読めません。2026-11-25 や R8.11.25 の形で入力してください",
                    "The received date is not a date; type it like 2026-11-25 or R8.11.25",
                )
                .to_string()
            })
    })
}

/// A note: not empty, the free-text rule (length, no control characters).
pub fn note_check() -> Check {
    Box::new(|text, lang| {
        let body = text.trim();
        if body.is_empty() {
            return Err(lang
                .t(
                    "メモが空です。内容を入力してください",
                    "The note is empty; type its text",
                )
                .to_string());
        }
        crate::domain::text::check_free_text(
            "note",
            body,
            crate::service::applications::MAX_NOTE_CHARS,
            true,
        )
        .map(|()| body.to_string())
        .map_err(|e| if lang.is_ja() { e.ja } else { e.en })
    })
}
