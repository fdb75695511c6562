//! Issue 20: scrolling the terminal instead of repainting must never show a wrong
//! screen. Every frame daicho writes while a staff member scrolls, searches, opens a
//! facility and tabs through the screens is replayed into a terminal emulator (`vt100`)
//! and compared with a full repaint of the same state, in the narrow and the
//! ambiguous-wide glyph sets; the byte budgets of the issue are checked on the way.

#![allow(clippy::unwrap_used)] // test binary: helpers outside #[test] may unwrap too

mod common;

use common::{fresh_db, harness};
use daicho::tui::probe::AmbiguousWidth;
use daicho::tui::render::Renderer;
use daicho::tui::testing::{Harness, HarnessOptions, buffer_text};
use daicho::tui::view;

const SIZE: (u16, u16) = (80, 24);

fn emulator() -> vt100::Parser {
    let n = |v: u16| std::num::NonZeroU16::new(v).unwrap();
    vt100::Parser::new(n(SIZE.1), n(SIZE.0), 0)
}

/// What a person sees in each cell: the character (an erased cell and a written
/// space look the same) and its colours and attributes.
fn cells(s: &vt100::Screen) -> Vec<String> {
    let mut out = Vec::new();
    for row in 0..SIZE.1 {
        for col in 0..SIZE.0 {
            let c = s.cell(row, col).unwrap();
            let text = if c.has_contents() { c.contents() } else { " " };
            out.push(format!(
                "{row},{col} {text:?} {:?}/{:?} b{} d{} i{} u{} r{} w{}",
                c.fgcolor(),
                c.bgcolor(),
                c.bold(),
                c.dim(),
                c.italic(),
                c.underline(),
                c.inverse(),
                c.is_wide_continuation(),
            ));
        }
    }
    out
}

struct Replay {
    _db: common::TestDb,
    h: Harness,
    renderer: Renderer<Vec<u8>>,
    /// The terminal as it is after everything daicho wrote, frame after frame.
    term: vt100::Parser,
    /// How many frames used a scrolling region.
    scrolled: usize,
    frames: usize,
}

impl Replay {
    fn new(ambiguous: AmbiguousWidth) -> Replay {
        let db = fresh_db();
        let h = harness(
            &db,
            HarnessOptions {
                ambiguous,
                ..Default::default()
            },
        );
        let mut r = Replay {
            _db: db,
            h,
            renderer: Renderer::new(Vec::new(), SIZE).unwrap(),
            term: emulator(),
            scrolled: 0,
            frames: 0,
        };
        r.frame();
        r
    }

    /// Draws one frame, feeds its bytes to the emulator, checks the screen, returns
    /// the bytes written.
    fn frame(&mut self) -> Vec<u8> {
        self.renderer
            .draw(SIZE, |f| view::draw(f, &mut self.h.app))
            .unwrap();
        let bytes = std::mem::take(self.renderer.writer_mut());
        if bytes.windows(3).any(|w| w == b"\x1b[r") {
            self.scrolled += 1;
        }
        self.term.process(&bytes);

        // The same state painted on a blank terminal.
        let mut fresh = Renderer::new(Vec::new(), SIZE).unwrap();
        fresh.set_scrolling(false);
        fresh
            .draw(SIZE, |f| view::draw(f, &mut self.h.app))
            .unwrap();
        let mut full = emulator();
        full.process(fresh.writer());

        let (got, want) = (self.term.screen(), full.screen());
        let text = buffer_text(self.renderer.shown());
        let wrong: Vec<(String, String)> = cells(got)
            .into_iter()
            .zip(cells(want))
            .filter(|(g, w)| g != w)
            .take(6)
            .collect();
        assert!(
            wrong.is_empty(),
            "frame {}: replayed screen differs from a full repaint (got, want): {wrong:#?}\nbytes: {:?}\nexpected:\n{text}\nshown:\n{}",
            self.frames,
            String::from_utf8_lossy(&bytes),
            got.contents()
        );
        self.frames += 1;
        assert_eq!(got.hide_cursor(), want.hide_cursor(), "cursor visibility");
        if !want.hide_cursor() {
            assert_eq!(got.cursor_position(), want.cursor_position(), "cursor");
        }
        // And the full repaint is the buffer itself (catches an encoder bug both share).
        let rows: Vec<String> = want.rows(0, SIZE.0).collect();
        let mut buf_rows: Vec<String> = text.lines().map(|l| l.trim_end().to_string()).collect();
        buf_rows.resize(SIZE.1 as usize, String::new());
        let rows: Vec<String> = rows.iter().map(|l| l.trim_end().to_string()).collect();
        assert_eq!(rows, buf_rows, "emulator text vs buffer");
        bytes
    }

    fn press(&mut self, keys: &str) -> usize {
        self.h.press(keys);
        self.frame().len()
    }
}

fn session(ambiguous: AmbiguousWidth) {
    let mut r = Replay::new(ambiguous);
    // Cursor-only moves down to the last visible row.
    for _ in 0..17 {
        let n = r.press("<Down>");
        assert!(n <= 60, "cursor-only Down wrote {n} B");
    }
    // From here every Down scrolls the list.
    let before = r.scrolled;
    for i in 0..30 {
        let n = r.press("<Down>");
        assert!(i < 3 || n <= 200, "scrolling Down {i} wrote {n} B");
    }
    assert!(
        r.scrolled - before >= 25,
        "Down at the bottom scrolls the terminal"
    );
    for _ in 0..25 {
        r.press("<Up>");
    }
    for keys in [
        "<PageDown>",
        "<PageDown>",
        "<PageUp>",
        "<End>",
        "<Up>",
        "<Home>",
    ] {
        r.press(keys);
    }
    for keys in [
        "/", "ケ", "ア", "<Enter>", "<Down>", "<Down>", "<Enter>", "]", "]", "[", "<Esc>",
    ] {
        r.press(keys);
    }
    for _ in 0..25 {
        r.press("<Down>");
    }
    // Every other long list goes through the same renderer.
    for screen in ["2", "3", "4", "5", "1"] {
        r.press(screen);
        for _ in 0..30 {
            r.press("<Down>");
        }
        for _ in 0..10 {
            r.press("<Up>");
        }
    }
    assert_eq!(r.press(""), 0, "an unchanged frame writes nothing");
}

#[test]
fn scrolling_replays_to_the_same_screen_as_a_repaint_narrow() {
    session(AmbiguousWidth::Narrow);
}

#[test]
fn scrolling_replays_to_the_same_screen_as_a_repaint_ambiguous_wide() {
    session(AmbiguousWidth::Wide);
}
