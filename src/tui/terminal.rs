//! Terminal setup and guaranteed restore.
//!
//! Staff reach daicho over SSH, mostly from Tera Term. If the app dies while
//! the terminal is in raw mode + alternate screen, their session is left
//! unusable (no echo, no line editing, mouse reports typed into the shell)
//! and many users simply close the window and lose other work. So every exit
//! path restores the terminal: normal quit, a panic in *any* thread (panic
//! hook), and signals (SIGHUP when the SSH link drops, SIGTERM from an admin).
//!
//! Terminal facts this module relies on:
//! - Bracketed paste (`CSI ? 2004 h`) lets a pasted multi-line address arrive
//!   as one `Paste` event instead of a burst of key presses with Enter in it.
//! - We do NOT push kitty keyboard enhancement flags: with them some
//!   terminals deliver IME commits as key events that crossterm drops, so
//!   Japanese input committed from the IME gets lost.
//! - Mouse: only click (1000) + drag (1002) + SGR encoding (1006). No 1003
//!   "any motion" — every mouse move would be a packet over SSH.
//! - In raw mode Ctrl-C is a key, not SIGINT; SIGINT/SIGTERM/SIGHUP/SIGQUIT
//!   only come from outside (kill, sshd), and are turned into a Quit message.
//! - Frames are written by [`crate::tui::render`], which scrolls list rows with
//!   DECSTBM + LF/RI instead of resending them (see docs/ARCHITECTURE.md, "Terminal
//!   facts"); `DAICHO_NO_SCROLL=1` turns that off.
//! - `restore()` writes straight to fd 1 (bypassing std's stdout lock and
//!   buffer) so it works even when another thread is stuck mid-frame.

use std::any::Any;
use std::cell::Cell;
use std::io::{self, Write};
use std::os::fd::AsFd;
use std::os::unix::fs::OpenOptionsExt;
use std::panic::{self, AssertUnwindSafe};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::{self, JoinHandle};

use crate::tui::render::Renderer;

/// "The terminal is in app mode": set by [`enter`], cleared by the first
/// [`restore`]. Makes `restore` idempotent and race-free across threads.
static APP_MODE: AtomicBool = AtomicBool::new(false);

thread_local! {
    /// True while [`run_worker`] runs its closure: a panic there is caught
    /// and reported, so the panic hook must not tear the UI down.
    static PANIC_IS_CAUGHT: Cell<bool> = const { Cell::new(false) };
}

/// Alternate screen, clear it ourselves (ratatui's `Terminal::clear` sends a
/// `CSI 6n` and waits up to 2 s for the reply), bracketed paste on.
const ENTER_SEQ: &str = "\x1b[?1049h\x1b[H\x1b[2J\x1b[?2004h";
/// SGR reset, paste off, every mouse mode off (also ones we never enable,
/// in case a library did), cursor visible, leave the alternate screen.
const RESTORE_SEQ: &str =
    "\x1b[0m\x1b[?2004l\x1b[?1006l\x1b[?1015l\x1b[?1003l\x1b[?1002l\x1b[?1000l\x1b[?25h\x1b[?1049l";

/// Raw mode, alternate screen, bracketed paste. No mouse capture: it would break the
/// terminal's own select-and-copy, which staff use to copy numbers into Excel.
///
/// The cursor is left alone: the app positions (and shows) it every frame so
/// the terminal's IME candidate window appears at the edited field.
/// On error the terminal is restored before returning.
pub fn enter() -> io::Result<Renderer<io::Stdout>> {
    // Mark first: if anything below fails half-way, restore() still undoes it.
    APP_MODE.store(true, Ordering::SeqCst);
    let result = (|| {
        crossterm::terminal::enable_raw_mode()?;
        let mut out = io::stdout();
        out.write_all(ENTER_SEQ.as_bytes())?;
        out.flush()?;
        // No `terminal.clear()`: it queries the cursor position (see ENTER_SEQ).
        Renderer::new(io::stdout(), size()?)
    })();
    if result.is_err() {
        restore();
    }
    result
}

/// Columns and rows of the terminal (an ioctl, no round trip to the terminal).
pub fn size() -> io::Result<(u16, u16)> {
    crossterm::terminal::size()
}

/// Put the terminal back the way the shell expects it. Idempotent, callable
/// from any thread (panic hook, signal watcher, normal exit); errors ignored.
pub fn restore() {
    restore_with(&mut |bytes| {
        let _ = write_all_fd1(bytes);
    });
}

/// Restore the terminal and exit with the conventional `128 + signal` code.
/// The signal watcher calls this when a second signal arrives (the app did
/// not react to the first one, so it is stuck).
pub fn restore_and_exit(sig: i32) -> ! {
    restore();
    std::process::exit(128 + sig)
}

/// Core of [`restore`], with the output sink injectable for tests.
/// Returns whether this call did the work (false: already restored).
fn restore_with(write: &mut dyn FnMut(&[u8])) -> bool {
    if !APP_MODE.swap(false, Ordering::SeqCst) {
        return false;
    }
    write(RESTORE_SEQ.as_bytes());
    let _ = crossterm::terminal::disable_raw_mode();
    true
}

/// Write to fd 1 directly: no std lock (a stuck thread may hold it), no buffer.
fn write_all_fd1(mut bytes: &[u8]) -> io::Result<()> {
    let stdout = io::stdout();
    let fd = stdout.as_fd();
    while !bytes.is_empty() {
        match rustix::io::write(fd, bytes) {
            Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
            Ok(n) => bytes = &bytes[n..],
            Err(rustix::io::Errno::INTR) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(())
}

/// Text of a panic payload (`&str` or `String`; anything else is opaque).
pub fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "Box<dyn Any> (non-string panic payload)".to_string()
    }
}

/// Install a panic hook (chained before the previous one) that restores the
/// terminal, appends a report to `log_path` (mode 0600: it may contain
/// facility names), and tells the user on stderr where the report is.
///
/// Panics inside [`run_worker`] are caught and shown by the app, so for those
/// the hook only writes the log: it neither restores the terminal nor prints
/// to stderr (which would scribble over the running UI).
pub fn install_panic_hook(log_path: PathBuf) {
    let previous = panic::take_hook();
    panic::set_hook(Box::new(move |info| {
        let caught = PANIC_IS_CAUGHT.with(Cell::get);
        if !caught {
            restore();
        }
        let location = info
            .location()
            .map_or_else(|| "<unknown>".to_string(), |l| l.to_string());
        let report = format_report(
            &chrono::Local::now().to_rfc3339(),
            thread::current().name().unwrap_or("<unnamed>"),
            &panic_message(info.payload()),
            &location,
            &std::backtrace::Backtrace::force_capture().to_string(),
        );
        let logged = append_log(&log_path, &report);
        if caught {
            return;
        }
        match logged {
            Ok(()) => eprintln!(
                "daicho: 内部エラーで終了しました / internal error. Report written to {}",
                log_path.display()
            ),
            Err(e) => eprintln!(
                "daicho: internal error; could not write {}: {e}",
                log_path.display()
            ),
        }
        previous(info);
    }));
}

fn format_report(
    timestamp: &str,
    thread: &str,
    message: &str,
    location: &str,
    backtrace: &str,
) -> String {
    format!(
        "=== panic at {timestamp}\nthread: {thread}\nmessage: {message}\nlocation: {location}\nbacktrace:\n{backtrace}\n"
    )
}

fn append_log(path: &std::path::Path, report: &str) -> io::Result<()> {
    if let Some(dir) = path.parent() {
        crate::private_fs::create_private_dir_all(dir)?;
    }
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .mode(0o600)
        .open(path)?;
    f.write_all(report.as_bytes())
}

/// Watch SIGTERM, SIGHUP, SIGINT, SIGQUIT on a thread named `signals`.
///
/// The first signal calls `on_signal(sig)` (the app turns it into Quit and
/// restores on its way out). A second signal means the app is stuck: the
/// watcher calls [`restore_and_exit`] with that signal.
pub fn spawn_signal_watcher(on_signal: impl Fn(i32) + Send + 'static) -> io::Result<()> {
    use signal_hook::consts::signal::{SIGHUP, SIGINT, SIGQUIT, SIGTERM};
    let mut signals = signal_hook::iterator::Signals::new([SIGTERM, SIGHUP, SIGINT, SIGQUIT])?;
    thread::Builder::new()
        .name("signals".to_string())
        .spawn(move || {
            let mut seen = 0usize;
            for sig in signals.forever() {
                seen += 1;
                if seen >= 2 {
                    restore_and_exit(sig);
                }
                on_signal(sig);
            }
        })?;
    Ok(())
}

/// Run `f` on a named thread; report its value, or `Err(panic message)` if it
/// panicked, to `on_done` (e.g. send a message to the UI loop). The panic hook
/// still logs the panic with its backtrace, but leaves the UI up.
///
/// Returns `Err` only if the OS refuses to start a thread.
pub fn run_worker<T: Send + 'static>(
    name: &str,
    f: impl FnOnce() -> T + Send + 'static,
    on_done: impl FnOnce(Result<T, String>) + Send + 'static,
) -> io::Result<JoinHandle<()>> {
    thread::Builder::new()
        .name(name.to_string())
        .spawn(move || {
            PANIC_IS_CAUGHT.with(|c| c.set(true));
            let result = panic::catch_unwind(AssertUnwindSafe(f)).map_err(|p| panic_message(&*p));
            PANIC_IS_CAUGHT.with(|c| c.set(false));
            on_done(result);
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;

    #[test]
    fn panic_message_from_str_and_string_payloads() {
        let p: Box<dyn Any + Send> = Box::new("静的な文字列");
        assert_eq!(panic_message(&*p), "静的な文字列");
        let p: Box<dyn Any + Send> = Box::new(format!("件数 {}", 3));
        assert_eq!(panic_message(&*p), "件数 3");
        let p: Box<dyn Any + Send> = Box::new(42u32);
        assert!(panic_message(&*p).contains("non-string"));
    }

    #[test]
    fn restore_is_idempotent() {
        // The only test touching APP_MODE (it is process-global).
        APP_MODE.store(true, Ordering::SeqCst);
        let mut out = Vec::new();
        assert!(restore_with(&mut |b| out.extend_from_slice(b)));
        let text = String::from_utf8(out.clone()).expect("ascii");
        assert!(text.contains("\x1b[?1049l"), "leaves alt screen");
        assert!(text.contains("\x1b[?2004l"), "paste off");
        assert!(text.contains("\x1b[?1000l"), "mouse off");
        assert!(text.contains("\x1b[?25h"), "cursor shown");
        for _ in 0..3 {
            assert!(!restore_with(&mut |b| out.extend_from_slice(b)));
        }
        assert_eq!(out.len(), RESTORE_SEQ.len(), "second call wrote nothing");
        restore(); // flag clear: must be a no-op, not write to the test's stdout
    }

    #[test]
    fn run_worker_reports_value() {
        let (tx, rx) = mpsc::channel();
        let h = run_worker("w-ok", || 6 * 7, move |r| tx.send(r).expect("send")).expect("spawn");
        h.join().expect("join");
        assert_eq!(rx.recv().expect("recv"), Ok(42));
    }

    #[test]
    fn run_worker_reports_panic_as_err_with_message() {
        let (tx, rx) = mpsc::channel();
        let h = run_worker(
            "w-panic",
            || -> u32 { panic!("取込失敗: 行 {}", 12) },
            move |r| {
                tx.send((thread::current().name().map(str::to_string), r))
                    .expect("send")
            },
        )
        .expect("spawn");
        h.join().expect("worker thread itself must not die");
        let (name, r) = rx.recv().expect("recv");
        assert_eq!(name.as_deref(), Some("w-panic"));
        assert_eq!(r, Err("取込失敗: 行 12".to_string()));
    }

    #[test]
    fn log_is_appended_with_mode_0600() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("nested/logs/panic.log");
        let report = format_report(
            "2025-04-01T09:00:00+09:00",
            "main",
            "boom",
            "a.rs:1:2",
            "bt",
        );
        append_log(&path, &report).expect("first");
        append_log(&path, &report).expect("second");
        let text = std::fs::read_to_string(&path).expect("read");
        assert_eq!(text.matches("=== panic at").count(), 2);
        assert!(text.contains("thread: main") && text.contains("location: a.rs:1:2"));
        let mode = std::fs::metadata(&path).expect("meta").permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}
