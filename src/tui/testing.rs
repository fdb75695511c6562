//! Test harness: drives [`App`] like a user, without a terminal or threads.
//!
//! `press("<C-p>export<Enter>")` turns key notation into key events, runs the app's
//! effects synchronously against a real store (the same `query::handle` the worker
//! thread runs), and `screen()` renders into ratatui's `TestBackend` for snapshots.

use super::app::{App, AppConfig};
use super::i18n::Lang;
use super::keymap::{self, files as keymap_files};
use super::msg::{Effect, Msg};
use super::probe::AmbiguousWidth;
use super::theme::{ColorMode, Theme};
use super::ui::ScreenId;
use super::{commands, glyphs, view};
use crate::domain::designation::CalendarRules;
use crate::domain::permission::{Actor, Role};
use crate::query::{self, DataContext};
use chrono::NaiveDate;
use crossterm::event::KeyEvent;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::path::{Path, PathBuf};
use unicode_width::UnicodeWidthStr;

/// The fixed "today" of every UI test.
pub fn test_today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 25).unwrap_or_default()
}

/// Builds a demo database (366 facilities, fixed seed, dated [`test_today`]) at `path`,
/// checkpointed and closed, ready to copy.
pub fn demo_db(path: &Path) {
    crate::demo::build_test_db(path, test_today());
}

pub struct Harness {
    pub app: App,
    pub ctx: DataContext,
    pub terminal: Terminal<TestBackend>,
    pub export_dir: PathBuf,
    /// The database file (jobs open their own connection to it).
    pub db: PathBuf,
}

pub struct HarnessOptions {
    pub lang: Lang,
    pub role: Role,
    pub width: u16,
    pub height: u16,
    pub ambiguous: AmbiguousWidth,
    /// Load the vim layer of the keymap (`--vim`).
    pub vim: bool,
    /// The screen to be on after start, switched to as its number key would. The app
    /// starts on the overview; most tests drive one list, so the default is the
    /// ledger. `ScreenId::Overview` keeps the app's own first screen.
    pub first: ScreenId,
}

impl Default for HarnessOptions {
    fn default() -> Self {
        Self {
            lang: Lang::Ja,
            role: Role::Approver,
            width: 80,
            height: 24,
            ambiguous: AmbiguousWidth::Narrow,
            vim: false,
            first: ScreenId::Ledger,
        }
    }
}

impl Harness {
    /// A harness over the database at `path` (must already exist).
    pub fn open(path: &Path, opts: HarnessOptions) -> Harness {
        let actor = Actor {
            staff_id: format!("demo-{}", opts.role.code()),
            role: opts.role,
        };
        let ctx = DataContext::open(path, actor.clone(), test_today(), CalendarRules::default())
            .expect("open test database");
        let loaded = keymap_files::load_in(opts.lang, None, opts.vim, &commands::is_known);
        let export_dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let app = App::new(AppConfig {
            lang: opts.lang,
            theme: Theme::new(ColorMode::Mono),
            glyphs: glyphs::for_width(opts.ambiguous, false),
            keymap: loaded.keymap,
            keymap_messages: loaded.messages,
            startup_warnings: Vec::new(),
            actor: actor.clone(),
            db_label: "demo.db".into(),
            demo: true,
            today: test_today(),
            today_pinned: true,
            expiring_months: 3,
            service_types: ctx.service_types(),
            export_dir: export_dir.clone(),
            idle_lock: None,
            start_screen: crate::tui::ui::ScreenId::Overview,
        });
        let terminal =
            Terminal::new(TestBackend::new(opts.width, opts.height)).expect("test terminal");
        let mut h = Harness {
            app,
            ctx,
            terminal,
            export_dir,
            db: path.to_path_buf(),
        };
        let fx = h.app.start((opts.width, opts.height));
        h.run_effects(fx);
        if h.app.screen != opts.first {
            let fx = super::screen::Host::switch_screen(&mut h.app, opts.first);
            h.run_effects(fx);
        }
        h
    }

    /// Runs effects until none are left, answering data requests synchronously.
    pub fn run_effects(&mut self, mut effects: Vec<Effect>) {
        while !effects.is_empty() {
            let mut next = Vec::new();
            for fx in effects {
                match fx {
                    Effect::Request(r) => {
                        let reply = query::handle(&mut self.ctx, r);
                        next.extend(self.app.update(Msg::Data(reply)));
                    }
                    // Jobs run to the end on this thread; their events arrive in order.
                    Effect::StartJob(kind) => {
                        for e in self.run_job(kind) {
                            next.extend(self.app.update(Msg::Job(e)));
                        }
                    }
                    Effect::CancelJob | Effect::Quit => {}
                }
            }
            effects = next;
        }
    }

    fn run_job(&self, kind: crate::domain::job::JobKind) -> Vec<crate::domain::job::JobEvent> {
        let req = crate::jobs::runner::JobRequest {
            db: self.db.clone(),
            actor: self.app.shell.actor.clone(),
            lang: self.app.lang(),
            settings: Default::default(),
        };
        let mut events = Vec::new();
        let cancel = std::sync::atomic::AtomicBool::new(false);
        let job = crate::jobs::job_for(kind);
        crate::jobs::runner::run(job, &req, &cancel, &mut |e| events.push(e));
        events
    }

    pub fn send(&mut self, msg: Msg) {
        let fx = self.app.update(msg);
        self.run_effects(fx);
    }

    /// Types keys written in key notation: `"/ケア<Enter>"`, `"<C-p>export<Enter>"`.
    pub fn press(&mut self, notation: &str) {
        let chords = keymap::parse_sequence(notation)
            .unwrap_or_else(|e| panic!("bad key notation {notation:?}: {e}"));
        for chord in chords {
            self.send(Msg::Key(KeyEvent::new(chord.code, chord.mods)));
        }
    }

    /// The screen as text, one line per row, wide characters once.
    ///
    /// Read from the frame just drawn, not from the TestBackend: the backend only gets
    /// ratatui's diff, and where a wide character replaced two narrow ones it keeps the
    /// second one, which a real terminal overwrites (stray characters after a dialog
    /// closed over Japanese text). The bytes a real terminal gets are checked by the
    /// vt100 replay test (`tests/scroll_replay.rs`).
    pub fn screen(&mut self) -> String {
        let frame = self
            .terminal
            .draw(|f| view::draw(f, &mut self.app))
            .expect("draw");
        buffer_text(frame.buffer)
    }

    /// The screen with its styles (see [`styled_text`]), from the frame just drawn.
    pub fn styled_screen(&mut self) -> String {
        let frame = self
            .terminal
            .draw(|f| view::draw(f, &mut self.app))
            .expect("draw");
        styled_text(frame.buffer)
    }

    pub fn resize(&mut self, width: u16, height: u16) {
        self.terminal.backend_mut().resize(width, height);
        self.send(Msg::Resize(width, height));
    }
}

/// The screen as text with its styles: each row, then (when any cell of it is styled)
/// a row of marks under the styled cells, one per column; a legend at the end says
/// what each mark means (`a: BOLD`). Colours are left out: tests draw in mono, where
/// modifiers carry the meaning (selection, masking, disabled).
pub fn styled_text(buf: &ratatui::buffer::Buffer) -> String {
    use ratatui::style::Modifier;
    let text = buffer_text(buf);
    let mut legend: Vec<Modifier> = Vec::new();
    let mut out = String::new();
    for (y, line) in text.lines().enumerate() {
        out.push_str(line);
        out.push('\n');
        let mut marks = String::new();
        let mut skip = 0;
        for x in 0..buf.area.width {
            let cell = &buf[(x, y as u16)];
            // The second column of a wide character takes its first column's mark.
            if skip > 0 {
                skip -= 1;
                let last = marks.chars().last().unwrap_or(' ');
                marks.push(last);
                continue;
            }
            skip = cell.symbol().width().saturating_sub(1);
            let m = cell.modifier;
            if m.is_empty() {
                marks.push(' ');
                continue;
            }
            let i = legend.iter().position(|l| *l == m).unwrap_or_else(|| {
                legend.push(m);
                legend.len() - 1
            });
            marks.push(char::from(b'a' + (i % 26) as u8));
        }
        if !marks.trim().is_empty() {
            out.push_str("~ ");
            out.push_str(marks.trim_end());
            out.push('\n');
        }
    }
    for (i, m) in legend.iter().enumerate() {
        out.push_str(&format!("{}: {m:?}\n", char::from(b'a' + (i % 26) as u8)));
    }
    out
}

pub fn buffer_text(buf: &ratatui::buffer::Buffer) -> String {
    let mut out = String::new();
    for y in 0..buf.area.height {
        let mut skip = 0;
        let mut line = String::new();
        for x in 0..buf.area.width {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let sym = buf[(x, y)].symbol();
            line.push_str(sym);
            skip = sym.width().saturating_sub(1);
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}
