//! A yes/no question; yes runs the action it carries.

use super::{Action, Env, Outcome, Overlay, boxed, centered};
use crate::tui::widgets::clear::clear_area;
use crate::tui::widgets::text::{display, width};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;
use std::any::Any;

pub struct Confirm<T: ?Sized> {
    pub message: String,
    on_yes: Option<Action<T>>,
}

impl<T: ?Sized> Confirm<T> {
    pub fn new(message: impl Into<String>, on_yes: Action<T>) -> Self {
        Self {
            message: message.into(),
            on_yes: Some(on_yes),
        }
    }
}

impl<T: ?Sized + 'static> Overlay<T> for Confirm<T> {
    fn contexts(&self) -> &'static [&'static str] {
        &["dialog"]
    }

    fn on_confirm(&mut self, _env: &dyn Env) -> Outcome<T> {
        self.on_yes.take().map_or(Outcome::Close, Outcome::Then)
    }

    fn draw(&self, frame: &mut Frame<'_>, area: Rect, env: &dyn Env) {
        let ui = env.ui();
        let l = ui.lang;
        let message = &self.message;
        // One line per sentence of the message, wrapped to the dialog's width.
        let w =
            (message.lines().map(width).max().unwrap_or(0) as u16 + 4).clamp(40, area.width.max(1));
        let text_w = usize::from(w.saturating_sub(2)).max(1);
        let rows: usize = message
            .lines()
            .map(|m| width(m).div_ceil(text_w).max(1))
            .sum();
        let r = centered(area, w, rows as u16 + 4);
        clear_area(frame.buffer_mut(), r);
        let block = boxed(ui, format!(" {} ", l.t("確認", "Confirm")));
        let inner = block.inner(r);
        frame.render_widget(block, r);
        let mut lines: Vec<Line> = message
            .lines()
            .map(|m| Line::raw(display(m).into_owned()))
            .collect();
        lines.push(Line::raw(""));
        lines.push(Line::styled(
            l.t("Enter/y: はい   Esc/n: いいえ", "Enter/y: yes   Esc/n: no"),
            ui.theme.footer_key,
        ));
        frame.render_widget(
            Paragraph::new(lines).wrap(ratatui::widgets::Wrap { trim: false }),
            inner,
        );
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}
