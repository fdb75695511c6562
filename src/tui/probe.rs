//! East Asian Ambiguous width probe: ask the terminal how wide `─` and `○` are.
//!
//! Unicode marks characters like box drawing `─│┌`, `○`, `×`, `※`, `→`, Greek
//! and Cyrillic as East Asian *Ambiguous*: one cell in Western contexts, two
//! in East Asian ones. Terminals set up for Japanese draw them two cells wide
//! (Tera Term `UnicodeAmbiguousWidth=2`, PuTTY "CJK ambiguous wide", mlterm
//! in a ja locale, vim `ambiwidth=double` inside them). ratatui assumes one
//! cell, so borders tear and columns shift. We cannot know the setting from
//! `$TERM` or the locale, so we measure it:
//!
//! print a glyph between two Cursor Position Reports (`CSI 6n` → `ESC [ row ;
//! col R`) and take the column difference. The probe row is row 2 — never
//! row 1, because a reply `CSI 1;2R` is byte-for-byte Shift-F3 (and `1;5R`
//! Ctrl-F3), so replies on row 1 are ignored as key presses.
//!
//! We read replies ourselves with poll(2) and a short deadline instead of
//! crossterm's `cursor::position()`, which waits 2 s per query and leaves a
//! late reply in its queue to be misread later as a key. Call the probe after
//! raw mode + alternate screen and BEFORE the input thread starts reading.
//!
//! Inside tmux/screen the multiplexer answers (with its own idea of width),
//! not the user's terminal: see [`in_multiplexer`].

use std::fmt;
use std::io::{self, IsTerminal, Write};
use std::os::fd::AsFd;
use std::str::FromStr;
use std::time::{Duration, Instant};

/// How the terminal draws East Asian Ambiguous characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AmbiguousWidth {
    /// One cell (Western default; what ratatui assumes).
    Narrow,
    /// Two cells (terminals configured for Japanese).
    Wide,
}

impl fmt::Display for AmbiguousWidth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Narrow => "narrow",
            Self::Wide => "wide",
        })
    }
}

impl FromStr for AmbiguousWidth {
    type Err = String;

    /// For `--ambiguous narrow|wide` (case-insensitive).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "narrow" => Ok(Self::Narrow),
            "wide" => Ok(Self::Wide),
            other => Err(format!(
                "unknown ambiguous width {other:?}: expected \"narrow\" or \"wide\""
            )),
        }
    }
}

/// What the probe found out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProbeOutcome {
    /// The terminal answered all three position reports.
    Measured {
        /// Width of `─` (U+2500).
        box_drawing: AmbiguousWidth,
        /// Width of `○` (U+25CB).
        circle: AmbiguousWidth,
    },
    /// A tty that did not answer in time (or answered nonsense).
    NoReply,
    /// stdin or stdout is not a terminal (pipe, redirect, cron).
    NotATerminal,
}

impl ProbeOutcome {
    /// The width to draw with: Wide if either glyph was measured wide;
    /// `None` when nothing was measured (caller falls back to config/flag).
    pub fn effective(&self) -> Option<AmbiguousWidth> {
        match self {
            Self::Measured {
                box_drawing,
                circle,
            } => Some(
                if *box_drawing == AmbiguousWidth::Wide || *circle == AmbiguousWidth::Wide {
                    AmbiguousWidth::Wide
                } else {
                    AmbiguousWidth::Narrow
                },
            ),
            Self::NoReply | Self::NotATerminal => None,
        }
    }
}

/// All bytes of the probe, written in one go so nothing interleaves.
/// ESC 7 / ESC 8 (DECSC/DECRC) rather than `CSI s`, which some terminals
/// treat as "set left/right margins".
const PROBE_SEQ: &str = concat!(
    "\x1b7",            // save cursor
    "\x1b[2;1H",        // row 2, column 1 (never row 1: see module docs)
    "\x1b[6n",          // report #1: start column
    "\u{2500}",         // ─
    "\x1b[6n",          // report #2: after ─
    "\x1b[2;1H",        // back to column 1
    "\u{25CB}",         // ○
    "\x1b[6n",          // report #3: after ○
    "\x1b[2;1H\x1b[2K", // erase the probe row
    "\x1b8",            // restore cursor
);

/// How long to keep swallowing late replies after a timeout.
const DRAIN_QUIET: Duration = Duration::from_millis(30);

/// Measure the ambiguous width. `timeout` bounds the whole exchange
/// (300 ms is plenty on a LAN; replies over a slow VPN may miss it, and then
/// the caller uses the configured default). Typeahead read meanwhile is dropped.
pub fn probe(timeout: Duration) -> ProbeOutcome {
    if !io::stdin().is_terminal() || !io::stdout().is_terminal() {
        return ProbeOutcome::NotATerminal;
    }
    // Replies must not be echoed or line-buffered: ensure raw mode for the probe.
    let was_raw = crossterm::terminal::is_raw_mode_enabled().unwrap_or(false);
    if !was_raw && crossterm::terminal::enable_raw_mode().is_err() {
        return ProbeOutcome::NoReply;
    }
    let outcome = probe_raw(timeout);
    if !was_raw {
        let _ = crossterm::terminal::disable_raw_mode();
    }
    outcome
}

/// [`probe`] for commands that print on the normal screen (`daicho doctor`): the probe
/// writes on row 2 and erases it, so it runs on the alternate screen, and leaving that
/// screen restores the normal one and the cursor as they were.
pub fn probe_aside(timeout: Duration) -> ProbeOutcome {
    if !io::stdin().is_terminal() || !io::stdout().is_terminal() {
        return ProbeOutcome::NotATerminal;
    }
    let switch = |seq: &str| {
        let mut out = io::stdout().lock();
        out.write_all(seq.as_bytes()).and_then(|()| out.flush())
    };
    if switch(ENTER_ALTERNATE).is_err() {
        return ProbeOutcome::NoReply;
    }
    let outcome = probe(timeout);
    let _ = switch(LEAVE_ALTERNATE);
    outcome
}

/// xterm's 1049: save the cursor and switch to the cleared alternate screen; and back.
const ENTER_ALTERNATE: &str = "\x1b[?1049h";
const LEAVE_ALTERNATE: &str = "\x1b[?1049l";

fn probe_raw(timeout: Duration) -> ProbeOutcome {
    // Stale bytes (e.g. a reply to someone else's query) would confuse us.
    drain_stdin(Duration::ZERO);
    let mut out = io::stdout().lock();
    if out
        .write_all(PROBE_SEQ.as_bytes())
        .and_then(|()| out.flush())
        .is_err()
    {
        return ProbeOutcome::NoReply;
    }
    drop(out);

    let deadline = Instant::now() + timeout;
    let mut bytes = Vec::with_capacity(64);
    let mut buf = [0u8; 256];
    loop {
        let outcome = outcome_from_replies(&parse_cpr_replies(&bytes));
        if outcome != ProbeOutcome::NoReply {
            return outcome;
        }
        let now = Instant::now();
        if now >= deadline {
            break;
        }
        match read_stdin_timeout(&mut buf, deadline - now) {
            Ok(0) => {}
            Ok(n) => bytes.extend_from_slice(&buf[..n]),
            Err(_) => break,
        }
    }
    // Late replies would otherwise reach the app's input thread as keys.
    drain_stdin(DRAIN_QUIET);
    ProbeOutcome::NoReply
}

/// Wait up to `timeout` for stdin to be readable, then read once.
/// `Ok(0)` means nothing arrived in time. Reads the fd directly: std's Stdin
/// buffer would hide bytes from poll(2).
fn read_stdin_timeout(buf: &mut [u8], timeout: Duration) -> io::Result<usize> {
    use rustix::event::{PollFd, PollFlags, Timespec, poll};
    let stdin = io::stdin();
    let fd = stdin.as_fd();
    let ts = Timespec::try_from(timeout).unwrap_or(Timespec {
        tv_sec: 1,
        tv_nsec: 0,
    });
    let mut fds = [PollFd::from_borrowed_fd(fd, PollFlags::IN)];
    match poll(&mut fds, Some(&ts)) {
        Ok(0) | Err(rustix::io::Errno::INTR) => return Ok(0),
        Ok(_) => {}
        Err(e) => return Err(e.into()),
    }
    if fds[0].revents().intersects(PollFlags::IN) {
        match rustix::io::read(fd, buf) {
            Ok(0) => Err(io::ErrorKind::UnexpectedEof.into()),
            Ok(n) => Ok(n),
            Err(rustix::io::Errno::INTR | rustix::io::Errno::AGAIN) => Ok(0),
            Err(e) => Err(e.into()),
        }
    } else {
        // HUP/ERR: stdin is gone.
        Err(io::ErrorKind::UnexpectedEof.into())
    }
}

/// Throw away input until stdin has been quiet for `quiet` (at most ~1 s).
fn drain_stdin(quiet: Duration) {
    let mut buf = [0u8; 256];
    let give_up = Instant::now() + Duration::from_secs(1);
    while Instant::now() < give_up {
        match read_stdin_timeout(&mut buf, quiet) {
            Ok(n) if n > 0 => {}
            _ => break,
        }
    }
}

/// Every complete `ESC [ row ; col R` in `bytes`, in order, as `(row, col)`.
/// Anything else (typeahead keys, truncated replies) is skipped.
pub fn parse_cpr_replies(bytes: &[u8]) -> Vec<(u16, u16)> {
    fn number(bytes: &[u8], mut i: usize) -> Option<(u16, usize)> {
        let start = i;
        let mut value: u32 = 0;
        while let Some(d) = bytes.get(i).filter(|b| b.is_ascii_digit()) {
            value = value * 10 + u32::from(d - b'0');
            if value > u32::from(u16::MAX) {
                return None;
            }
            i += 1;
        }
        u16::try_from(value)
            .ok()
            .filter(|_| i > start)
            .map(|v| (v, i))
    }
    let mut replies = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == 0x1b && bytes.get(i + 1) == Some(&b'[') {
            let parsed = number(bytes, i + 2).and_then(|(row, j)| {
                (bytes.get(j) == Some(&b';'))
                    .then_some(())
                    .and_then(|()| number(bytes, j + 1))
                    .filter(|(_, k)| bytes.get(*k) == Some(&b'R'))
                    .map(|(col, k)| (row, col, k + 1))
            });
            if let Some((row, col, next)) = parsed {
                replies.push((row, col));
                i = next;
                continue;
            }
        }
        i += 1;
    }
    replies
}

/// Turn parsed replies into an outcome. Replies on row 1 are modified F3 key
/// presses (`CSI 1;2R` = Shift-F3), not ours; of the rest the last three are
/// ours (anything older is stale).
pub fn outcome_from_replies(replies: &[(u16, u16)]) -> ProbeOutcome {
    let cols: Vec<u16> = replies
        .iter()
        .filter(|(row, _)| *row != 1)
        .map(|&(_, col)| col)
        .collect();
    match cols.as_slice() {
        [.., start, after_box, after_circle] => {
            outcome_from_columns(*start, *after_box, *after_circle)
        }
        _ => ProbeOutcome::NoReply,
    }
}

/// Widths from the three reported columns: start, after `─`, after `○`
/// (both glyphs are printed from `start`). A difference of 1 is Narrow, 2 or
/// more Wide; 0 or negative (cursor pinned at the margin) is unusable.
pub fn outcome_from_columns(start: u16, after_box: u16, after_circle: u16) -> ProbeOutcome {
    let width = |after: u16| match after.checked_sub(start) {
        Some(1) => Some(AmbiguousWidth::Narrow),
        Some(d) if d >= 2 => Some(AmbiguousWidth::Wide),
        _ => None,
    };
    match (width(after_box), width(after_circle)) {
        (Some(box_drawing), Some(circle)) => ProbeOutcome::Measured {
            box_drawing,
            circle,
        },
        _ => ProbeOutcome::NoReply,
    }
}

/// `Some("tmux")` / `Some("screen")` when running inside a multiplexer: then
/// the probe measured the multiplexer's width setting, not the terminal's.
pub fn in_multiplexer() -> Option<&'static str> {
    multiplexer_from(&|k| std::env::var_os(k).map(|v| v.to_string_lossy().into_owned()))
}

fn multiplexer_from(env: &dyn Fn(&str) -> Option<String>) -> Option<&'static str> {
    let set = |k: &str| env(k).is_some_and(|v| !v.is_empty());
    if set("TMUX") {
        Some("tmux")
    } else if set("STY") {
        Some("screen")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use AmbiguousWidth::{Narrow, Wide};

    #[test]
    fn parses_single_and_multiple_replies() {
        assert_eq!(parse_cpr_replies(b"\x1b[2;1R"), vec![(2, 1)]);
        assert_eq!(
            parse_cpr_replies(b"\x1b[2;1R\x1b[2;3R\x1b[2;2R"),
            vec![(2, 1), (2, 3), (2, 2)]
        );
        assert_eq!(parse_cpr_replies(b"\x1b[48;200R"), vec![(48, 200)]);
    }

    #[test]
    fn skips_interleaved_keys_and_garbage() {
        // 'a', Up arrow, a Japanese char, a bare ESC, and ESC [ without digits.
        let mut bytes = b"a\x1b[2;1R\x1b[A".to_vec();
        bytes.extend_from_slice("あ".as_bytes());
        bytes.extend_from_slice(b"\x1b\x1b[2;2R\x1b[;R\x1b[2;x\x1b[2;3R q");
        assert_eq!(parse_cpr_replies(&bytes), vec![(2, 1), (2, 2), (2, 3)]);
    }

    #[test]
    fn truncated_reply_is_not_parsed_until_complete() {
        let mut bytes = b"\x1b[2;1R\x1b[2;".to_vec();
        assert_eq!(parse_cpr_replies(&bytes), vec![(2, 1)]);
        bytes.extend_from_slice(b"3R");
        assert_eq!(parse_cpr_replies(&bytes), vec![(2, 1), (2, 3)]);
        assert!(parse_cpr_replies(b"\x1b[").is_empty());
        assert!(
            parse_cpr_replies(b"\x1b[99999999;1R").is_empty(),
            "overflow"
        );
    }

    #[test]
    fn columns_to_outcome() {
        assert_eq!(
            outcome_from_columns(1, 2, 2),
            ProbeOutcome::Measured {
                box_drawing: Narrow,
                circle: Narrow
            }
        );
        assert_eq!(
            outcome_from_columns(1, 3, 3),
            ProbeOutcome::Measured {
                box_drawing: Wide,
                circle: Wide
            }
        );
        assert_eq!(outcome_from_columns(1, 1, 2), ProbeOutcome::NoReply);
        assert_eq!(outcome_from_columns(5, 4, 6), ProbeOutcome::NoReply);
    }

    #[test]
    fn replies_to_outcome_ignores_shift_f3_and_stale() {
        // Shift-F3 typed during the probe, plus a stale reply before ours.
        let replies = [(7, 9), (2, 1), (1, 2), (2, 2), (2, 3)];
        assert_eq!(
            outcome_from_replies(&replies),
            ProbeOutcome::Measured {
                box_drawing: Narrow,
                circle: Wide
            }
        );
        assert_eq!(
            outcome_from_replies(&[(2, 1), (2, 2)]),
            ProbeOutcome::NoReply
        );
        assert_eq!(outcome_from_replies(&[]), ProbeOutcome::NoReply);
    }

    #[test]
    fn effective_is_wide_if_either_is_wide() {
        let m = |b, c| ProbeOutcome::Measured {
            box_drawing: b,
            circle: c,
        };
        assert_eq!(m(Narrow, Narrow).effective(), Some(Narrow));
        assert_eq!(m(Wide, Narrow).effective(), Some(Wide));
        assert_eq!(m(Narrow, Wide).effective(), Some(Wide));
        assert_eq!(ProbeOutcome::NoReply.effective(), None);
        assert_eq!(ProbeOutcome::NotATerminal.effective(), None);
    }

    #[test]
    fn width_parses_and_displays() {
        assert_eq!("wide".parse::<AmbiguousWidth>(), Ok(Wide));
        assert_eq!(" Narrow ".parse::<AmbiguousWidth>(), Ok(Narrow));
        assert!("double".parse::<AmbiguousWidth>().is_err());
        assert_eq!(Wide.to_string(), "wide");
        assert_eq!(Narrow.to_string(), "narrow");
    }

    #[test]
    fn probe_sequence_never_uses_row_one() {
        assert!(!PROBE_SEQ.contains("\x1b[1;"));
        assert_eq!(PROBE_SEQ.matches("\x1b[6n").count(), 3);
    }

    #[test]
    fn multiplexer_detection() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| v.to_string())
            }
        };
        assert_eq!(
            multiplexer_from(&env(&[("TMUX", "/tmp/t,1,0")])),
            Some("tmux")
        );
        assert_eq!(
            multiplexer_from(&env(&[("STY", "123.pts")])),
            Some("screen")
        );
        assert_eq!(multiplexer_from(&env(&[("TMUX", "")])), None);
        assert_eq!(multiplexer_from(&env(&[])), None);
    }

    #[test]
    fn probe_without_tty_says_so() {
        // Under `cargo test` stdout is captured/piped in CI; only assert when so.
        if !io::stdin().is_terminal() || !io::stdout().is_terminal() {
            assert_eq!(probe(Duration::from_millis(10)), ProbeOutcome::NotATerminal);
        }
    }
}
