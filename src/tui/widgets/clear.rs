//! Clearing an area without leaving half of a wide character behind.
//!
//! ratatui's `Clear` (issue #2526) resets only the cells inside the area.
//! In a Japanese ledger almost every character is 2 cells wide, so a popup
//! edge often cuts one in half:
//! - Left edge: the cell left of the area holds `い` and its right half is
//!   inside the area. The buffer still says `い` at that cell, so the diff
//!   sends nothing there, but the terminal erases the whole glyph as soon as
//!   the popup's border overwrites its right half: a stray blank (or half a
//!   glyph) stays on screen and ratatui never repaints it.
//! - Right edge: the last cell of the area holds the first half of a wide
//!   character whose continuation cell lies outside the area.
//!
//! [`clear_area`] resets those straddling cells too, so the buffer matches
//! what the terminal will really show and the diff repaints them.

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use unicode_width::UnicodeWidthStr;

/// Reset every cell of `area` (clipped to the buffer) and any wide character
/// straddling its left or right edge.
pub fn clear_area(buf: &mut Buffer, area: Rect) {
    let area = area.intersection(buf.area);
    if area.is_empty() {
        return;
    }
    let buf_left = buf.area.left();
    let buf_right = buf.area.right();
    for y in area.top()..area.bottom() {
        // Right edge: a character starting inside the area and reaching past it.
        let mut reset_to = area.right();
        for x in area.left()..area.right() {
            let w = symbol_width(buf, x, y);
            reset_to = reset_to.max(x.saturating_add(w).min(buf_right));
        }
        // Left edge: a character starting up to 2 cells left of the area and
        // reaching into it (2 covers CJK; wider clusters are rare but handled).
        let mut reset_from = area.left();
        for back in 1..=2u16 {
            let Some(x) = area.left().checked_sub(back).filter(|x| *x >= buf_left) else {
                break;
            };
            if symbol_width(buf, x, y) > back {
                reset_from = x;
            }
        }
        for x in reset_from..reset_to {
            if let Some(cell) = buf.cell_mut(Position::new(x, y)) {
                cell.reset();
            }
        }
    }
}

fn symbol_width(buf: &Buffer, x: u16, y: u16) -> u16 {
    buf.cell(Position::new(x, y))
        .map_or(1, |c| u16::try_from(c.symbol().width()).unwrap_or(u16::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(buf: &Buffer, y: u16) -> String {
        (buf.area.left()..buf.area.right())
            .map(|x| buf[(x, y)].symbol().to_string())
            .collect()
    }

    fn kana() -> Buffer {
        // あ at 0-1, い at 2-3, う at 4-5, then "ab".
        let mut buf = Buffer::empty(Rect::new(0, 0, 8, 2));
        buf.set_string(0, 0, "あいうab", ratatui::style::Style::new());
        buf.set_string(0, 1, "あいうab", ratatui::style::Style::new());
        buf
    }

    #[test]
    fn left_edge_cutting_a_wide_char_resets_it() {
        let mut buf = kana();
        // Area starts at 3: the right half of い.
        clear_area(&mut buf, Rect::new(3, 0, 1, 1));
        assert_eq!(row(&buf, 0), "あ   う ab", "い fully cleared, う untouched");
        assert_eq!(buf[(2, 0)].symbol(), " ");
        assert_eq!(row(&buf, 1), "あ い う ab", "other rows untouched");
    }

    #[test]
    fn right_edge_cutting_a_wide_char_resets_its_continuation() {
        let mut buf = kana();
        // Area covers 1..=4: right half of あ, い, first half of う.
        clear_area(&mut buf, Rect::new(1, 0, 4, 1));
        assert_eq!(buf[(0, 0)].symbol(), " ", "あ straddled the left edge");
        assert_eq!(buf[(4, 0)].symbol(), " ");
        assert_eq!(buf[(5, 0)].symbol(), " ", "continuation of う");
        assert_eq!(row(&buf, 0), "      ab");
    }

    #[test]
    fn aligned_area_only_touches_its_cells() {
        let mut buf = kana();
        clear_area(&mut buf, Rect::new(2, 0, 2, 1));
        assert_eq!(row(&buf, 0), "あ   う ab");
        assert_eq!(buf[(0, 0)].symbol(), "あ");
        assert_eq!(buf[(4, 0)].symbol(), "う");
    }

    #[test]
    fn narrow_text_is_cleared_exactly() {
        let mut buf = Buffer::empty(Rect::new(0, 0, 6, 1));
        buf.set_string(0, 0, "abcdef", ratatui::style::Style::new());
        clear_area(&mut buf, Rect::new(2, 0, 2, 1));
        assert_eq!(row(&buf, 0), "ab  ef");
    }

    #[test]
    fn area_outside_or_at_buffer_edges_is_safe() {
        let mut buf = kana();
        clear_area(&mut buf, Rect::new(20, 5, 3, 3));
        clear_area(&mut buf, Rect::new(0, 0, 0, 0));
        assert_eq!(row(&buf, 0), "あ い う ab");
        clear_area(&mut buf, Rect::new(7, 0, 10, 1));
        assert_eq!(row(&buf, 0), "あ い う a ");
        clear_area(&mut buf, Rect::new(0, 1, 1, 1));
        assert_eq!(row(&buf, 1), "  い う ab");
    }

    #[test]
    fn diff_repaints_the_straddling_cell() {
        let prev = kana();
        let mut next = kana();
        clear_area(&mut next, Rect::new(3, 0, 1, 1));
        let changed: Vec<(u16, u16)> = prev.diff(&next).iter().map(|(x, y, _)| (*x, *y)).collect();
        assert!(
            changed.contains(&(2, 0)),
            "cell of い must be redrawn: {changed:?}"
        );
    }
}
