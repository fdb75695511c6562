//! The help overlay (`?`): the bindings of the current screen, generated from the
//! keymap and the command registry, searchable with `/`.

use super::app::ScreenId;
use super::i18n::Lang;
use super::input::LineInput;
use super::nav::Move;
use std::cell::Cell;

/// A help section's heading: what a keymap context means to the user, in words.
pub fn section_title(context: &str, l: Lang) -> String {
    let text = match context {
        "global" => l.t("どの画面でも", "On every screen"),
        "list" => l.t("一覧の移動", "Moving in a list"),
        "form" => l.t("編集フォーム", "Edit form"),
        "dialog" => l.t("確認・選択", "Dialogs"),
        ctx => ScreenId::ALL
            .iter()
            .find(|s| s.context() == ctx)
            .map_or(ctx, |s| s.title(l)),
    };
    if l.is_ja() {
        format!("【{text}】")
    } else {
        format!("{text}:")
    }
}

#[derive(Default)]
pub struct HelpState {
    pub scroll: u16,
    /// The last scroll position that still fills the box; set when help is drawn.
    max_scroll: Cell<Option<u16>>,
    pub search: Option<LineInput>,
    filter_text: String,
}

impl HelpState {
    pub fn searching(&self) -> bool {
        self.search.is_some()
    }

    pub fn start_search(&mut self) {
        self.search = Some(LineInput::default());
        self.scroll = 0;
    }

    /// Ends typing but keeps the filter text.
    pub fn stop_search(&mut self) {
        if self.search.as_ref().is_some_and(|s| s.text().is_empty()) {
            self.search = None;
            self.filter_text.clear();
        } else if let Some(s) = self.search.take() {
            self.filter_text = s.text().to_string();
        }
    }

    pub fn filter(&self) -> &str {
        self.search
            .as_ref()
            .map_or(self.filter_text.as_str(), |s| s.text())
    }

    pub fn key(&mut self, key: crossterm::event::KeyEvent) -> bool {
        let changed = self.search.as_mut().is_some_and(|s| s.key(key));
        if changed {
            self.scroll = 0;
        }
        changed
    }

    pub fn scroll(&mut self, m: Move) {
        let max = self.max_scroll.get().unwrap_or(u16::MAX);
        self.scroll = match m {
            Move::Up => self.scroll.saturating_sub(1),
            Move::Down => self.scroll.saturating_add(1),
            Move::PageUp => self.scroll.saturating_sub(10),
            Move::PageDown => self.scroll.saturating_add(10),
            Move::Top => 0,
            Move::Bottom => max,
        }
        .min(max);
    }

    /// Drawing tells how many lines there are and how many fit; returns the scroll
    /// position to draw at.
    pub fn fit_scroll(&self, lines: usize, height: usize) -> u16 {
        let max = u16::try_from(lines.saturating_sub(height)).unwrap_or(u16::MAX);
        self.max_scroll.set(Some(max));
        self.scroll.min(max)
    }
}
