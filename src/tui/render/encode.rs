//! Turning a buffer diff into as few bytes as the terminal needs.
//!
//! ratatui's crossterm backend writes one escape sequence per attribute, an absolute
//! cursor move for every gap, every trailing blank, and four resets after each frame.
//! Over a slow SSH link those bytes are the lag staff feel, so this encoder keeps track
//! of what the terminal already has (attributes, cursor position and visibility) and
//! writes only the difference: one combined SGR, short relative moves, EL (`CSI K`) for
//! a row that ends in blanks, nothing at all for an unchanged frame.
//!
//! The cursor position is forgotten (next write uses an absolute move) after a
//! character whose width depends on the terminal's East Asian Ambiguous setting, after
//! the last column (pending wrap), and after a scroll: a relative move is only ever made
//! from a position known for certain.

use ratatui::buffer::{Buffer, Cell};
use ratatui::layout::Position;
use ratatui::style::{Color, Modifier};
use std::fmt::Write as _;
use unicode_width::UnicodeWidthStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Pen {
    fg: Color,
    bg: Color,
    underline: Color,
    modifier: Modifier,
}

impl Pen {
    fn of(cell: &Cell) -> Pen {
        Pen {
            fg: cell.fg,
            bg: cell.bg,
            underline: cell.underline_color,
            modifier: cell.modifier,
        }
    }
}

/// What the terminal is known to have; `None` = unknown.
#[derive(Debug, Default)]
pub struct Encoder {
    pen: Option<Pen>,
    cursor: Option<(u16, u16)>,
    cursor_visible: Option<bool>,
}

const MODIFIER_CODES: [(Modifier, u8); 9] = [
    (Modifier::BOLD, 1),
    (Modifier::DIM, 2),
    (Modifier::ITALIC, 3),
    (Modifier::UNDERLINED, 4),
    (Modifier::SLOW_BLINK, 5),
    (Modifier::RAPID_BLINK, 6),
    (Modifier::REVERSED, 7),
    (Modifier::HIDDEN, 8),
    (Modifier::CROSSED_OUT, 9),
];

/// SGR parameters for a colour; `base` is 30 (foreground), 40 (background) or
/// 50 (underline, which has no 8-colour form).
fn color_params(out: &mut Vec<String>, c: Color, base: u8) {
    let named = |i: u8| -> u8 {
        // 0-7 → 30-37 / 40-47, 8-15 → 90-97 / 100-107: the same palette entries
        // as `38;5;i` in every terminal, in fewer bytes.
        if i < 8 { base + i } else { base + 60 + i - 8 }
    };
    let index = match c {
        Color::Reset => {
            out.push((base + 9).to_string());
            return;
        }
        Color::Black => 0,
        Color::Red => 1,
        Color::Green => 2,
        Color::Yellow => 3,
        Color::Blue => 4,
        Color::Magenta => 5,
        Color::Cyan => 6,
        Color::Gray => 7,
        Color::DarkGray => 8,
        Color::LightRed => 9,
        Color::LightGreen => 10,
        Color::LightYellow => 11,
        Color::LightBlue => 12,
        Color::LightMagenta => 13,
        Color::LightCyan => 14,
        Color::White => 15,
        Color::Indexed(i) => {
            out.push(format!("{};5;{i}", base + 8));
            return;
        }
        Color::Rgb(r, g, b) => {
            out.push(format!("{};2;{r};{g};{b}", base + 8));
            return;
        }
    };
    if base == 50 {
        out.push(format!("58;5;{index}"));
    } else {
        out.push(named(index).to_string());
    }
}

fn sgr(out: &mut String, from: Option<Pen>, to: Pen) {
    if from == Some(to) {
        return;
    }
    if to == Pen::default() {
        out.push_str("\x1b[m");
        return;
    }
    let mut params: Vec<String> = Vec::new();
    let from = match from {
        // Dropping an attribute: reset and rebuild (simpler, and rarely longer).
        Some(f) if f.modifier - to.modifier == Modifier::empty() => f,
        _ => {
            params.push("0".into());
            Pen::default()
        }
    };
    for (m, code) in MODIFIER_CODES {
        if to.modifier.contains(m) && !from.modifier.contains(m) {
            params.push(code.to_string());
        }
    }
    if to.fg != from.fg {
        color_params(&mut params, to.fg, 30);
    }
    if to.bg != from.bg {
        color_params(&mut params, to.bg, 40);
    }
    if to.underline != from.underline {
        color_params(&mut params, to.underline, 50);
    }
    let _ = write!(out, "\x1b[{}m", params.join(";"));
}

/// Whether a terminal may draw `s` in a different number of cells than we count.
fn width_is_uncertain(s: &str) -> bool {
    !s.is_ascii() && s.width() != s.width_cjk()
}

fn is_blank(c: &Cell) -> bool {
    c.symbol() == " " && Pen::of(c) == Pen::default()
}

/// First column from which row `y` of `buf` is blank to the right edge (nothing,
/// not even the right half of a wide character, reaches into it).
fn blank_from(buf: &Buffer, y: u16) -> u16 {
    let mut end = 0u16;
    for x in 0..buf.area.width {
        let c = &buf[(x, y)];
        if !is_blank(c) {
            end = end.max(x + (c.symbol().width() as u16).max(1));
        }
    }
    end
}

fn cell_width(c: &Cell) -> u16 {
    (c.symbol().width() as u16).max(1)
}

/// Writing over part of a wide character makes the terminal blank its other half,
/// in whatever colours are current; ratatui's diff assumes those cells stay as they
/// were. Adds them (or the wide character of `next` that covers them) to `updates`.
fn with_broken_halves<'a>(
    prev: &Buffer,
    next: &'a Buffer,
    mut updates: Vec<(u16, u16, &'a Cell)>,
) -> Vec<(u16, u16, &'a Cell)> {
    let width = next.area.width;
    let mut extra = Vec::new();
    let mut added = Vec::new();
    for &(x, y, cell) in &updates {
        let end = x + cell_width(cell);
        if x > 0 && cell_width(&prev[(x - 1, y)]) > 1 {
            extra.push(x - 1);
        }
        for s in x..end.min(width) {
            let old_end = s + cell_width(&prev[(s, y)]);
            extra.extend(end..old_end.min(width));
        }
        for hx in extra.drain(..) {
            let hx = if hx > 0 && cell_width(&next[(hx - 1, y)]) > 1 {
                hx - 1
            } else {
                hx
            };
            added.push((hx, y, &next[(hx, y)]));
        }
    }
    if added.is_empty() {
        return updates;
    }
    updates.extend(added);
    updates.sort_by_key(|&(x, y, _)| (y, x));
    updates.dedup_by_key(|&mut (x, y, _)| (y, x));
    updates
}

impl Encoder {
    /// The terminal ran a sequence that homes or otherwise moves the cursor.
    pub fn forget_cursor(&mut self) {
        self.cursor = None;
    }

    /// Attributes back to default before an operation that fills with the current
    /// background (EL, scrolling).
    pub fn plain(&mut self, out: &mut String) {
        sgr(out, self.pen, Pen::default());
        self.pen = Some(Pen::default());
    }

    fn move_to(&mut self, out: &mut String, x: u16, y: u16, next: &Buffer) {
        match self.cursor {
            Some(c) if c == (x, y) => {}
            Some((cx, cy)) if cy == y && x > cx => {
                let gap = x - cx;
                let cuf = if gap == 1 {
                    3
                } else {
                    3 + gap.to_string().len()
                };
                // Rewriting short runs of plain ASCII that is already there is cheaper
                // than a move.
                let fill: Option<String> = (cx..x)
                    .map(|gx| {
                        let c = &next[(gx, y)];
                        let s = c.symbol();
                        (s.len() == 1 && s.is_ascii() && Some(Pen::of(c)) == self.pen)
                            .then(|| s.to_string())
                    })
                    .collect();
                match fill {
                    Some(f) if f.len() < cuf => out.push_str(&f),
                    _ if gap == 1 => out.push_str("\x1b[C"),
                    _ => {
                        let _ = write!(out, "\x1b[{gap}C");
                    }
                }
            }
            Some((_, cy)) if x == 0 && cy + 1 == y => out.push_str("\r\n"),
            _ if x == 0 && y == 0 => out.push_str("\x1b[H"),
            _ if x == 0 => {
                let _ = write!(out, "\x1b[{}H", y + 1);
            }
            _ => {
                let _ = write!(out, "\x1b[{};{}H", y + 1, x + 1);
            }
        }
        self.cursor = Some((x, y));
    }

    /// Bytes that turn the screen showing `prev` into `next` (same area), cursor and
    /// attributes included. Leaves the attributes at default.
    pub fn frame(
        &mut self,
        out: &mut String,
        prev: &Buffer,
        next: &Buffer,
        cursor: Option<Position>,
    ) {
        let width = next.area.width;
        let updates = with_broken_halves(prev, next, prev.diff(next));
        let mut covered: (u16, u16) = (u16::MAX, 0); // (row, first column not under a wide char)
        let mut row_cleared: Option<(u16, u16)> = None;
        let mut blank: Option<(u16, u16)> = None; // (row, blank_from) of the last row asked
        for (i, &(x, y, cell)) in updates.iter().enumerate() {
            if row_cleared.is_some_and(|(ry, rx)| ry == y && x >= rx)
                || (covered.0 == y && x < covered.1)
            {
                continue;
            }
            let rest_of_row = updates[i..].iter().take_while(|u| u.1 == y).count();
            let mut blank_from = |y| match blank {
                Some((by, from)) if by == y => from,
                _ => {
                    let from = blank_from(next, y);
                    blank = Some((y, from));
                    from
                }
            };
            if rest_of_row > 3 && x >= blank_from(y) {
                // The rest of the row is blank: erase it instead of writing spaces.
                self.move_to(out, x, y, next);
                self.plain(out);
                out.push_str("\x1b[K");
                row_cleared = Some((y, x));
                continue;
            }
            self.move_to(out, x, y, next);
            let pen = Pen::of(cell);
            sgr(out, self.pen, pen);
            self.pen = Some(pen);
            let symbol = cell.symbol();
            out.push_str(symbol);
            let end = x + (symbol.width() as u16).max(1);
            covered = (y, end);
            self.cursor = (end < width && !width_is_uncertain(symbol)).then_some((end, y));
        }
        self.plain(out);
        match cursor {
            Some(p) => {
                if self.cursor_visible != Some(true) {
                    out.push_str("\x1b[?25h");
                    self.cursor_visible = Some(true);
                }
                self.move_to(out, p.x, p.y, next);
            }
            None => {
                if self.cursor_visible != Some(false) {
                    out.push_str("\x1b[?25l");
                    self.cursor_visible = Some(false);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::layout::Rect;
    use ratatui::style::Style;

    fn buf(lines: &[&str]) -> Buffer {
        Buffer::with_lines(lines.iter().copied())
    }

    fn encode(e: &mut Encoder, prev: &Buffer, next: &Buffer) -> String {
        let mut out = String::new();
        e.frame(&mut out, prev, next, None);
        out
    }

    #[test]
    fn an_unchanged_frame_writes_nothing_once_the_cursor_is_hidden() {
        let mut e = Encoder::default();
        let b = buf(&["abc", "def"]);
        assert_eq!(encode(&mut e, &b, &b), "\x1b[m\x1b[?25l");
        assert_eq!(encode(&mut e, &b, &b), "");
    }

    #[test]
    fn styles_are_one_sequence_and_reset_once() {
        let mut e = Encoder::default();
        let prev = Buffer::empty(Rect::new(0, 0, 4, 1));
        let mut next = prev.clone();
        let s = Style::default().fg(Color::Indexed(214)).bold();
        next.set_string(0, 0, "▶", s);
        next.set_string(1, 0, "x", Style::default().fg(Color::Red));
        let out = encode(&mut e, &prev, &next);
        assert_eq!(
            out,
            "\x1b[H\x1b[0;1;38;5;214m▶\x1b[1;2H\x1b[0;31mx\x1b[m\x1b[?25l"
        );
    }

    #[test]
    fn small_gaps_are_rewritten_or_skipped_and_trailing_blanks_erased() {
        let mut e = Encoder::default();
        let prev = buf(&["a b c defgh         ", "xxxxxxxxxxxxxxxxxxxx"]);
        let next = buf(&["A b C defgH         ", "x                   "]);
        let out = encode(&mut e, &prev, &next);
        assert_eq!(out, "\x1b[H\x1b[mA b C\x1b[5CH\x1b[2;2H\x1b[K\x1b[?25l");
    }

    #[test]
    fn a_wide_character_is_never_half_erased() {
        let mut e = Encoder::default();
        let prev = buf(&["ab事      "]);
        let next = buf(&["a 事      "]);
        assert_eq!(blank_from(&next, 0), 4);
        let out = encode(&mut e, &prev, &next);
        assert_eq!(out, "\x1b[1;2H\x1b[m \x1b[?25l");
    }

    #[test]
    fn the_right_half_of_an_overwritten_wide_character_is_rewritten() {
        let mut e = Encoder::default();
        let prev = buf(&["事x"]);
        let mut next = buf(&["  x"]);
        next.set_string(0, 0, "a", Style::default().fg(Color::Red));
        // Only cell 0 differs, but the terminal blanks cell 1 in red.
        let out = encode(&mut e, &prev, &next);
        assert_eq!(out, "\x1b[H\x1b[0;31ma\x1b[m \x1b[?25l");
    }

    #[test]
    fn after_an_ambiguous_width_glyph_the_next_write_moves_absolutely() {
        let mut e = Encoder::default();
        let prev = buf(&["      "]);
        let next = buf(&["○x    "]);
        let out = encode(&mut e, &prev, &next);
        assert_eq!(out, "\x1b[H\x1b[m○\x1b[1;2Hx\x1b[?25l");
    }
}
