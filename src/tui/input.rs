//! A one-line text input on ratatui-textarea, used by search, the palette, help search
//! and form fields. It also reports where the real terminal cursor belongs, so that an
//! IME's candidate window opens at the caret.

use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui_textarea::TextArea;

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
        let before = self.text().to_string();
        self.area.input(key);
        before != self.text()
    }

    /// Pasted text: newlines become spaces (a field is one line).
    pub fn paste(&mut self, text: &str) -> bool {
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
        frame.render_widget(&self.area, area);
        if focused {
            frame.set_cursor_position(self.caret(area));
        }
    }

    /// Screen position of the caret inside `area` (display width, after scrolling).
    pub fn caret(&self, area: Rect) -> Position {
        let sc = self.area.screen_cursor();
        let (_, scroll_col) = self.area.scroll_offset();
        let col = (sc.col as u16).saturating_sub(scroll_col);
        Position::new(area.x + col.min(area.width.saturating_sub(1)), area.y)
    }
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
}
