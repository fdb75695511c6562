//! A one-line text input on ratatui-textarea, used by search, the palette, help search
//! and form fields. It also reports where the real terminal cursor belongs, so that an
//! IME's candidate window opens at the caret.

use super::widgets::text::display;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui_textarea::TextArea;
use std::borrow::Cow;

/// The most characters a one-line input holds (search, palette, prompts, form fields);
/// a longer paste is cut here before anything else looks at it. Form fields accept 200
/// (`domain::validate::MAX_FIELD_CHARS`): the margin lets validation still refuse a
/// too-long paste rather than letting a silently shortened one through.
pub const MAX_INPUT_CHARS: usize = 1000;

/// `Some(prefix)` when `text` is longer than [`MAX_INPUT_CHARS`]: its first ones.
/// Looks at no more than the cap, however long the paste.
pub fn clip_paste(text: &str) -> Option<&str> {
    text.char_indices()
        .nth(MAX_INPUT_CHARS)
        .map(|(at, _)| &text[..at])
}

#[derive(Debug, Clone)]
pub struct LineInput {
    area: TextArea<'static>,
}

impl Default for LineInput {
    fn default() -> Self {
        Self::new("")
    }
}

impl LineInput {
    pub fn new(text: &str) -> Self {
        let mut area = TextArea::new(vec![text.replace(['\n', '\r'], " ")]);
        area.set_cursor_line_style(Style::default());
        area.move_cursor(ratatui_textarea::CursorMove::End);
        Self { area }
    }

    pub fn text(&self) -> &str {
        self.area.lines().first().map_or("", String::as_str)
    }

    pub fn set_text(&mut self, text: &str) {
        *self = Self::new(text);
    }

    /// Feeds a key that the keymap did not claim. Returns true when the text changed.
    /// Enter and Tab never reach a one-line input.
    pub fn key(&mut self, key: crossterm::event::KeyEvent) -> bool {
        use crossterm::event::KeyCode;
        if matches!(key.code, KeyCode::Enter | KeyCode::Tab | KeyCode::BackTab) {
            return false;
        }
        if matches!(key.code, KeyCode::Char(_)) && self.len() >= MAX_INPUT_CHARS {
            return false;
        }
        let before = self.text().to_string();
        self.area.input(key);
        before != self.text()
    }

    /// The caret's column in characters: a key that moves only the caret changes it,
    /// and the frame must be drawn again to move the terminal cursor (and the IME).
    pub fn caret_col(&self) -> usize {
        self.area.cursor().1
    }

    /// Feeds a key like [`LineInput::key`]; true when the text or the caret moved
    /// (something to draw), with the text change as the second value.
    pub fn edit(&mut self, key: crossterm::event::KeyEvent) -> (bool, bool) {
        let caret = self.caret_col();
        let text = self.key(key);
        (text || caret != self.caret_col(), text)
    }

    fn len(&self) -> usize {
        self.text().chars().count()
    }

    /// Pasted text: newlines become spaces (a field is one line). Only what fits under
    /// [`MAX_INPUT_CHARS`] is inserted.
    pub fn paste(&mut self, text: &str) -> bool {
        let room = MAX_INPUT_CHARS.saturating_sub(self.len());
        let text = text
            .char_indices()
            .nth(room)
            .map_or(text, |(at, _)| &text[..at]);
        self.area
            .insert_str(text.replace("\r\n", " ").replace(['\n', '\r'], " "))
    }

    /// Shows every character as `c` (password fields).
    pub fn mask(&mut self, c: char) {
        self.area.set_mask_char(c);
    }

    pub fn set_style(&mut self, style: Style, cursor: Style) {
        self.area.set_style(style);
        self.area.set_cursor_style(cursor);
    }

    pub fn render(&self, frame: &mut ratatui::Frame<'_>, area: Rect, focused: bool) {
        let shown = self.shown();
        let ta = shown.as_ref().unwrap_or(&self.area);
        frame.render_widget(ta, area);
        if focused {
            frame.set_cursor_position(caret_of(ta, area));
        }
    }

    /// Half-width katakana are drawn full-width (see `widgets::text::display`): a copy
    /// of the input with the display text and the caret at the same place. `None` when
    /// the text is drawn as it is.
    fn shown(&self) -> Option<TextArea<'static>> {
        if self.area.mask_char().is_some() {
            return None;
        }
        let text = self.text();
        let Cow::Owned(shown) = display(text) else {
            return None;
        };
        let before: String = text.chars().take(self.area.cursor().1).collect();
        let col = display(&before).chars().count();
        let mut ta = TextArea::new(vec![shown]);
        ta.set_style(self.area.style());
        ta.set_cursor_style(self.area.cursor_style());
        ta.set_cursor_line_style(self.area.cursor_line_style());
        ta.move_cursor(ratatui_textarea::CursorMove::Jump(
            0,
            u16::try_from(col).unwrap_or(u16::MAX),
        ));
        Some(ta)
    }

    /// Screen position of the caret inside `area` (display width, after scrolling).
    pub fn caret(&self, area: Rect) -> Position {
        caret_of(&self.area, area)
    }
}

fn caret_of(ta: &TextArea<'_>, area: Rect) -> Position {
    let sc = ta.screen_cursor();
    let (_, scroll_col) = ta.scroll_offset();
    let col = (sc.col as u16).saturating_sub(scroll_col);
    Position::new(area.x + col.min(area.width.saturating_sub(1)), area.y)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    fn key(c: KeyCode) -> KeyEvent {
        KeyEvent::new(c, KeyModifiers::NONE)
    }

    #[test]
    fn typing_editing_and_paste() {
        let mut i = LineInput::default();
        assert!(i.key(key(KeyCode::Char('ケ'))));
        assert!(i.key(key(KeyCode::Char('ア'))));
        assert!(!i.key(key(KeyCode::Enter)));
        assert_eq!(i.text(), "ケア");
        assert!(i.key(key(KeyCode::Backspace)));
        assert_eq!(i.text(), "ケ");
        i.paste("ア\nホーム");
        assert_eq!(i.text(), "ケア ホーム");
    }

    #[test]
    fn caret_counts_wide_chars_as_two_cells() {
        let backend = ratatui::backend::TestBackend::new(20, 1);
        let mut term = ratatui::Terminal::new(backend).unwrap();
        let mut i = LineInput::new("あい");
        i.key(key(KeyCode::Char('a')));
        let area = Rect::new(2, 0, 10, 1);
        term.draw(|f| i.render(f, area, true)).unwrap();
        assert_eq!(i.caret(area), Position::new(2 + 5, 0));
    }

    #[test]
    fn moving_the_caret_is_a_change_to_draw_but_not_to_the_text() {
        let mut i = LineInput::new("ケア");
        assert_eq!(i.edit(key(KeyCode::Left)), (true, false));
        assert_eq!(i.caret_col(), 1);
        assert_eq!(i.edit(key(KeyCode::Home)), (true, false));
        assert_eq!(i.edit(key(KeyCode::Home)), (false, false), "already there");
        assert_eq!(i.edit(key(KeyCode::Char('x'))), (true, true));
        assert_eq!(i.text(), "xケア");
    }

    #[test]
    fn input_holds_at_most_the_cap() {
        let mut i = LineInput::new("ab");
        let long = "ケ".repeat(MAX_INPUT_CHARS * 3);
        assert_eq!(
            clip_paste(&long).map(|s| s.chars().count()),
            Some(MAX_INPUT_CHARS)
        );
        assert_eq!(clip_paste("short"), None);
        assert!(i.paste(&long));
        assert_eq!(i.text().chars().count(), MAX_INPUT_CHARS);
        assert!(!i.key(key(KeyCode::Char('x'))));
        assert!(i.key(key(KeyCode::Backspace)));
        assert!(i.key(key(KeyCode::Char('x'))));
        assert_eq!(i.text().chars().count(), MAX_INPUT_CHARS);
    }

    #[test]
    fn halfwidth_kana_are_drawn_full_width_with_the_caret_after_them() {
        let backend = ratatui::backend::TestBackend::new(20, 1);
        let mut term = ratatui::Terminal::new(backend).unwrap();
        let i = LineInput::new("ｹｱﾌﾟﾗﾝ");
        let area = Rect::new(0, 0, 20, 1);
        term.draw(|f| i.render(f, area, true)).unwrap();
        let text = crate::tui::testing::buffer_text(term.backend().buffer());
        assert_eq!(text.trim_end(), "ケアプラン");
        term.backend_mut()
            .assert_cursor_position(Position::new(10, 0));
        assert_eq!(i.text(), "ｹｱﾌﾟﾗﾝ", "the input itself is unchanged");
    }
}
