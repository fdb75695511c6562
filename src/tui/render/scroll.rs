//! Finding a vertical scroll between two frames, so the terminal can move the rows
//! itself (DECSTBM + SU/SD) instead of receiving them again.
//!
//! Screen-agnostic on purpose: every list (ledger, inbox, consent, jobs, audit, help)
//! gets it without telling the renderer anything. The region always spans full lines,
//! so whatever sits left or right of a list inside those lines moves too; a column that
//! is not identical after the shift (a scrollbar thumb, a changed border) simply shows
//! up as changed cells in the diff that follows and is rewritten. The choice is a pure
//! cost estimate: it can make a frame cheaper or not, never wrong, because the caller
//! shifts its copy of the screen exactly as the terminal does before diffing.

use ratatui::buffer::{Buffer, Cell};
use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

/// Rows `top..bottom` (0-based, `bottom` exclusive) move up by `delta` rows
/// (negative: down). The rows that come into view are blank.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scroll {
    pub top: u16,
    pub bottom: u16,
    pub delta: i16,
}

/// A scroll must save at least this many changed cells: the escape sequences cost about
/// 15 bytes plus one per row, and the first write after them needs an absolute move.
const MIN_GAIN: i64 = 24;
/// How many candidate distances get the exact per-cell cost.
const CANDIDATES: usize = 3;

impl Scroll {
    /// The bytes that make the terminal do it: set the region, then line feeds at its
    /// bottom (or reverse index at its top) — the VT100 way, which every terminal and
    /// multiplexer has, unlike SU/SD (missing on the Linux console). The region is reset
    /// at once; DECSTBM homes the cursor, so the caller must treat it as unknown after.
    pub fn sequence(&self) -> String {
        let n = self.delta.unsigned_abs() as usize;
        let row = |r: u16| {
            if r == 1 {
                "\x1b[H".to_string()
            } else {
                format!("\x1b[{r}H")
            }
        };
        let (at, step) = if self.delta > 0 {
            (row(self.bottom), "\n")
        } else {
            (row(self.top + 1), "\x1bM")
        };
        format!(
            "\x1b[{};{}r{at}{}\x1b[r",
            self.top + 1,
            self.bottom,
            step.repeat(n)
        )
    }

    /// Does to `buf` what the terminal does to the screen: rows shift inside the
    /// region, the rows that come into view are blank (default colours).
    pub fn apply(&self, buf: &mut Buffer) {
        let w = buf.area.width as usize;
        let (top, bottom) = (self.top as usize, self.bottom as usize);
        let n = self.delta.unsigned_abs() as usize;
        let rows = &mut buf.content[top * w..bottom * w];
        if self.delta > 0 {
            rows.rotate_left(n * w);
            let len = rows.len();
            rows[len - n * w..].fill(Cell::EMPTY);
        } else {
            rows.rotate_right(n * w);
            rows[..n * w].fill(Cell::EMPTY);
        }
    }
}

fn row(buf: &Buffer, y: usize) -> &[Cell] {
    let w = buf.area.width as usize;
    &buf.content[y * w..(y + 1) * w]
}

fn row_hash(cells: &[Cell]) -> u64 {
    let mut h = DefaultHasher::new();
    cells.hash(&mut h);
    h.finish()
}

fn changed(a: &[Cell], b: &[Cell]) -> i64 {
    a.iter().zip(b).filter(|(x, y)| x != y).count() as i64
}

/// Cells to write when the row is drawn onto a blank line.
fn drawn(cells: &[Cell]) -> i64 {
    cells.iter().filter(|c| **c != Cell::EMPTY).count() as i64
}

/// The scroll that saves the most cells going from `prev` (on the terminal) to
/// `next`, if it saves enough to pay for itself.
pub fn detect(prev: &Buffer, next: &Buffer) -> Option<Scroll> {
    if prev.area != next.area || prev.area.height < 3 || prev.area.width == 0 {
        return None;
    }
    let h = prev.area.height as usize;
    let old: Vec<u64> = (0..h).map(|y| row_hash(row(prev, y))).collect();
    let new: Vec<u64> = (0..h).map(|y| row_hash(row(next, y))).collect();
    if old == new {
        return None;
    }
    // Distances at which whole rows reappear; blank or repeated rows that also match in
    // place prove nothing, so only rows that changed in place count.
    let mut votes: Vec<(usize, i16)> = Vec::new();
    for d in 1..h as i16 {
        for delta in [d, -d] {
            let hits = (0..h)
                .filter(|&y| new[y] != old[y])
                .filter(|&y| {
                    let src = y as i64 + i64::from(delta);
                    (0..h as i64).contains(&src) && new[y] == old[src as usize]
                })
                .count();
            if hits >= 2 {
                votes.push((hits, delta));
            }
        }
    }
    votes.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.abs().cmp(&b.1.abs())));
    let base: Vec<i64> = (0..h)
        .map(|y| changed(row(prev, y), row(next, y)))
        .collect();
    let blank: Vec<i64> = (0..h).map(|y| drawn(row(next, y))).collect();
    let mut best: Option<(i64, Scroll)> = None;
    for &(_, delta) in votes.iter().take(CANDIDATES) {
        if let Some((gain, s)) = best_region(prev, next, delta, &base, &blank)
            && best.is_none_or(|(g, _)| gain > g)
        {
            best = Some((gain, s));
        }
    }
    best.filter(|(gain, _)| *gain >= MIN_GAIN).map(|(_, s)| s)
}

/// The region that gains most for one distance (brute force over top and bottom,
/// with prefix sums: screens are tens of rows).
fn best_region(
    prev: &Buffer,
    next: &Buffer,
    delta: i16,
    base: &[i64],
    blank: &[i64],
) -> Option<(i64, Scroll)> {
    let h = base.len();
    let n = delta.unsigned_abs() as usize;
    // moved[y]: cost of row y when it comes from prev row y + delta.
    let moved: Vec<i64> = (0..h)
        .map(|y| {
            let src = y as i64 + i64::from(delta);
            if (0..h as i64).contains(&src) {
                changed(row(prev, src as usize), row(next, y))
            } else {
                0 // never inside a region: its source row is off screen
            }
        })
        .collect();
    let prefix = |v: &[i64]| -> Vec<i64> {
        let mut p = vec![0];
        for x in v {
            p.push(p.last().copied().unwrap_or(0) + x);
        }
        p
    };
    let (pb, pm, pz) = (prefix(base), prefix(&moved), prefix(blank));
    let sum = |p: &[i64], a: usize, b: usize| p[b] - p[a];
    let mut best: Option<(i64, Scroll)> = None;
    for top in 0..h {
        for bottom in top + n + 1..=h {
            let (moving, entering) = if delta > 0 {
                ((top, bottom - n), (bottom - n, bottom))
            } else {
                ((top + n, bottom), (top, top + n))
            };
            let cost = sum(&pm, moving.0, moving.1) + sum(&pz, entering.0, entering.1);
            let gain = sum(&pb, top, bottom) - cost;
            if best.is_none_or(|(g, _)| gain > g) {
                let s = Scroll {
                    top: top as u16,
                    bottom: bottom as u16,
                    delta,
                };
                best = Some((gain, s));
            }
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::layout::Rect;
    use ratatui::style::{Color, Style};

    /// A 20x10 screen: header row, 8 list rows showing items `first..`, a footer.
    fn screen(first: usize) -> Buffer {
        let mut b = Buffer::empty(Rect::new(0, 0, 20, 10));
        b.set_string(0, 0, "header", Style::default().fg(Color::Yellow));
        for i in 0..8 {
            // Neighbouring rows share little, like real facility rows.
            let n = first + i;
            let text: String = (0..7)
                .map(|j| char::from(b'a' + ((n * 7 + j * 5 + n * j) % 26) as u8))
                .collect();
            b.set_string(
                0,
                1 + i as u16,
                format!("{n:03} {text} 事業所"),
                Style::default(),
            );
        }
        b.set_string(0, 9, "footer", Style::default());
        b
    }

    #[test]
    fn one_row_down_the_list_is_a_one_row_scroll_of_the_list_rows() {
        let s = detect(&screen(10), &screen(11)).expect("a scroll");
        assert_eq!(
            s,
            Scroll {
                top: 1,
                bottom: 9,
                delta: 1
            }
        );
        assert_eq!(s.sequence(), "\x1b[2;9r\x1b[9H\n\x1b[r");
        let up = detect(&screen(11), &screen(10)).expect("a scroll back");
        assert_eq!(
            up,
            Scroll {
                top: 1,
                bottom: 9,
                delta: -1
            }
        );
        assert_eq!(up.sequence(), "\x1b[2;9r\x1b[2H\x1bM\x1b[r");
    }

    #[test]
    fn applying_the_scroll_leaves_only_the_new_row_to_draw() {
        let (prev, next) = (screen(10), screen(13));
        let s = detect(&prev, &next).expect("a scroll");
        assert_eq!(s.delta, 3);
        let mut shifted = prev.clone();
        s.apply(&mut shifted);
        let rows: Vec<u16> = shifted.diff(&next).iter().map(|(_, y, _)| *y).collect();
        assert!(
            rows.iter().all(|y| (6..9).contains(y)),
            "only rows 6-8: {rows:?}"
        );
        let mut back = next.clone();
        Scroll { delta: -3, ..s }.apply(&mut back);
        let rows: Vec<u16> = back.diff(&prev).iter().map(|(_, y, _)| *y).collect();
        assert!(
            rows.iter().all(|y| (1..4).contains(y)),
            "only rows 1-3: {rows:?}"
        );
    }

    #[test]
    fn no_scroll_when_nothing_moved_or_everything_changed() {
        assert_eq!(detect(&screen(10), &screen(10)), None);
        // A jump of a whole page: no row survives, scrolling saves nothing.
        assert_eq!(detect(&screen(10), &screen(40)), None);
        let mut cursor = screen(10);
        cursor.set_string(19, 3, "<", Style::default());
        assert_eq!(detect(&screen(10), &cursor), None);
    }

    #[test]
    fn a_column_that_changes_while_scrolling_does_not_prevent_it() {
        // A scrollbar at the right edge moves its thumb while the list scrolls.
        let bar = |first: usize, thumb: u16| {
            let mut b = screen(first);
            for y in 1..9 {
                let g = if y == thumb { "█" } else { "│" };
                b.set_string(19, y, g, Style::default());
            }
            b
        };
        let s = detect(&bar(10, 2), &bar(11, 3)).expect("a scroll");
        assert_eq!((s.top, s.bottom, s.delta), (1, 9, 1));
    }
}
