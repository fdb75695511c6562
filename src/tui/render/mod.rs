//! Writing frames to the terminal: render with ratatui into a buffer, compare with what
//! the terminal shows, scroll the terminal when rows merely moved, write the rest.
//!
//! ratatui's `Terminal` keeps its previous buffer private, so it cannot be told that
//! the terminal scrolled; here it only renders (into an [`Offscreen`] backend) and
//! this module keeps its own copy of the screen, shifts it exactly as the terminal
//! shifts its lines ([`scroll::Scroll::apply`]), and diffs against that. ratatui's
//! `scrolling-regions` feature only adds the escape sequences (used for inline
//! viewports), not this bookkeeping, so it is not needed.

pub mod encode;
pub mod scroll;

use encode::Encoder;
use ratatui::backend::{Backend, ClearType, WindowSize};
use ratatui::buffer::{Buffer, Cell};
use ratatui::layout::{Position, Rect, Size};
use ratatui::{Frame, Terminal};
use std::io::{self, Write};

/// A backend that draws nowhere and remembers where the frame wants the cursor.
#[derive(Debug, Default)]
pub struct Offscreen {
    size: Size,
    cursor: Position,
    visible: bool,
}

impl Backend for Offscreen {
    type Error = io::Error;
    fn draw<'a, I: Iterator<Item = (u16, u16, &'a Cell)>>(&mut self, _: I) -> io::Result<()> {
        Ok(())
    }
    fn hide_cursor(&mut self) -> io::Result<()> {
        self.visible = false;
        Ok(())
    }
    fn show_cursor(&mut self) -> io::Result<()> {
        self.visible = true;
        Ok(())
    }
    fn get_cursor_position(&mut self) -> io::Result<Position> {
        Ok(self.cursor)
    }
    fn set_cursor_position<P: Into<Position>>(&mut self, p: P) -> io::Result<()> {
        self.cursor = p.into();
        Ok(())
    }
    fn clear(&mut self) -> io::Result<()> {
        Ok(())
    }
    fn clear_region(&mut self, _: ClearType) -> io::Result<()> {
        Ok(())
    }
    fn size(&self) -> io::Result<Size> {
        Ok(self.size)
    }
    fn window_size(&mut self) -> io::Result<WindowSize> {
        Ok(WindowSize {
            columns_rows: self.size,
            pixels: Size::default(),
        })
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

pub struct Renderer<W: Write> {
    frames: Terminal<Offscreen>,
    /// What the terminal shows now.
    shown: Buffer,
    encoder: Encoder,
    out: W,
    scrolling: bool,
}

impl<W: Write> Renderer<W> {
    /// For a terminal of `size` that has just been cleared.
    pub fn new(out: W, size: (u16, u16)) -> io::Result<Self> {
        let backend = Offscreen {
            size: Size::new(size.0, size.1),
            ..Offscreen::default()
        };
        Ok(Renderer {
            frames: Terminal::new(backend)?,
            shown: Buffer::empty(Rect::new(0, 0, size.0, size.1)),
            encoder: Encoder::default(),
            out,
            scrolling: true,
        })
    }

    /// Off: every frame is a plain diff (for comparison in tests and the benchmark).
    pub fn set_scrolling(&mut self, on: bool) {
        self.scrolling = on;
    }

    /// What the terminal shows now (the last frame).
    pub fn shown(&self) -> &Buffer {
        &self.shown
    }

    pub fn writer(&self) -> &W {
        &self.out
    }

    pub fn writer_mut(&mut self) -> &mut W {
        &mut self.out
    }

    /// Renders a frame for a terminal of `size` and writes what changed. Returns the
    /// number of bytes written (0 for an unchanged frame).
    pub fn draw(&mut self, size: (u16, u16), render: impl FnOnce(&mut Frame)) -> io::Result<usize> {
        self.frames.backend_mut().size = Size::new(size.0, size.1);
        let next = self.frames.draw(render)?.buffer.clone();
        let b = self.frames.backend();
        let cursor = b.visible.then_some(b.cursor);
        let mut out = String::new();
        if self.shown.area != next.area {
            // Resized: terminals reflow or crop differently, so start from blank.
            self.encoder.plain(&mut out);
            out.push_str("\x1b[H\x1b[2J");
            self.encoder.forget_cursor();
            self.shown = Buffer::empty(next.area);
        }
        if self.scrolling
            && let Some(s) = scroll::detect(&self.shown, &next)
        {
            self.encoder.plain(&mut out);
            out.push_str(&s.sequence());
            self.encoder.forget_cursor();
            s.apply(&mut self.shown);
        }
        self.encoder.frame(&mut out, &self.shown, &next, cursor);
        self.shown = next;
        if !out.is_empty() {
            self.out.write_all(out.as_bytes())?;
            self.out.flush()?;
        }
        Ok(out.len())
    }
}
