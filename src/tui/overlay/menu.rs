//! A list of choices (filters, export encodings); each item carries its action.

use super::{Action, Env, Outcome, Overlay, boxed, centered};
use crate::tui::nav::Move;
use crate::tui::widgets::clear::clear_area;
use crate::tui::widgets::text::{display_lines, fit, width};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;
use std::any::Any;

pub struct Menu<T: ?Sized> {
    pub title: String,
    pub items: Vec<(String, Option<Action<T>>)>,
    pub selected: usize,
}

impl<T: ?Sized> Menu<T> {
    pub fn new(title: impl Into<String>) -> Self {
        Self {
            title: title.into(),
            items: Vec::new(),
            selected: 0,
        }
    }

    pub fn item(
        &mut self,
        label: impl Into<String>,
        action: impl FnOnce(&mut T) -> Vec<crate::tui::msg::Effect> + 'static,
    ) {
        self.items.push((label.into(), Some(Box::new(action))));
    }

    pub fn labels(&self) -> Vec<String> {
        self.items.iter().map(|(l, _)| l.clone()).collect()
    }
}

impl<T: ?Sized + 'static> Overlay<T> for Menu<T> {
    fn contexts(&self) -> &'static [&'static str] {
        &["dialog", "list"]
    }

    fn on_move(&mut self, m: Move, env: &dyn Env) {
        // The menu box shows at most the screen height less its frame and margin.
        let page = (env.size().1 as usize).saturating_sub(4).max(1);
        self.selected = m.wrap(self.selected, self.items.len(), page);
    }

    fn on_confirm(&mut self, _env: &dyn Env) -> Outcome<T> {
        match self
            .items
            .get_mut(self.selected)
            .and_then(|(_, a)| a.take())
        {
            Some(action) => Outcome::Then(action),
            None => Outcome::Close,
        }
    }

    fn draw(&self, frame: &mut Frame<'_>, area: Rect, env: &dyn Env) {
        let ui = env.ui();
        let h = (self.items.len() as u16 + 2).min(area.height.saturating_sub(2));
        let r = centered(area, 60, h);
        clear_area(frame.buffer_mut(), r);
        let block = boxed(ui, format!(" {} ", self.title));
        let inner = block.inner(r);
        frame.render_widget(block, r);
        let rows = inner.height as usize;
        let start = self.selected.saturating_sub(rows.saturating_sub(1));
        let marker_w = width(ui.glyphs.cursor).max(1);
        let lines: Vec<Line<'static>> = self
            .items
            .iter()
            .enumerate()
            .skip(start)
            .take(rows)
            .map(|(i, (label, _))| {
                let on = i == self.selected;
                let marker = if on { ui.glyphs.cursor } else { " " };
                let style = if on {
                    ui.theme.selected
                } else {
                    Style::default()
                };
                Line::styled(format!("{} {label}", fit(marker, marker_w, "")), style)
            })
            .collect();
        frame.render_widget(Paragraph::new(display_lines(lines)), inner);
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}
