//! The application state and `update`: the one place where messages change state.
//!
//! `update(msg)` returns effects (data requests, quit); it never blocks and never
//! touches the terminal. Drawing is `view::draw(&App)`. Tests drive `App` directly.

use super::commands::{self, Reason};
use super::glyphs::Glyphs;
use super::i18n::Lang;
use super::keymap::{self, Keymap, Lookup, Pending};
use super::msg::{Effect, Msg};
use super::overlay::Outcome;
use super::screen::{HostOverlay, Screen};
use super::screens::jobs::JobsScreen;
use super::theme::Theme;
use crate::domain::model::ServiceType;
use crate::domain::permission::Actor;
use crate::domain::view::DueCounts;
use crate::query::Request;
use crossterm::event::{KeyEvent, KeyEventKind};
use std::path::PathBuf;

pub use super::screens::ledger::LedgerMode;
pub use super::shell::{Revealed, Shell};
pub use super::ui::{ScreenId, Status, StatusKind, Ui};

/// An overlay on this app: its actions change the app through `screen::Host`.
pub type AppOverlay = HostOverlay;

pub struct AppConfig {
    pub lang: Lang,
    pub theme: Theme,
    pub glyphs: Glyphs,
    pub keymap: Keymap,
    pub keymap_messages: Vec<String>,
    /// Problems found before the TUI started (loose file modes), shown on the status line
    /// in the UI language.
    pub startup_warnings: Vec<crate::domain::view::PermissionWarning>,
    pub actor: Actor,
    pub db_label: String,
    pub demo: bool,
    pub today: chrono::NaiveDate,
    /// `DAICHO_TODAY` pins the date; otherwise it follows the clock past midnight.
    pub today_pinned: bool,
    pub expiring_months: u32,
    pub service_types: Vec<ServiceType>,
    pub export_dir: PathBuf,
    /// Lock the session after this long without a key; `None` never.
    pub idle_lock: Option<std::time::Duration>,
    /// The screen shown first (`--screen`; the overview by default).
    pub start_screen: ScreenId,
}

pub struct App {
    pub shell: Shell,
    pub keymap: Keymap,
    pending: Pending,
    pub db_label: String,
    pub demo: bool,
    pub screen: ScreenId,
    /// The screens that own themselves, in tab order (the ledger moves here next).
    pub screens: Vec<Box<dyn Screen>>,
    /// The overlay stack, top last.
    pub overlays: Vec<AppOverlay>,
    /// The top overlay is out of the stack while it handles a verb (it still counts).
    overlay_out: bool,
    pub due: DueCounts,
    pub recent: Vec<&'static str>,
    pub size: (u16, u16),
    pub lock: Option<Lock>,
    pub last_input: std::time::Instant,
    pub idle_lock: Option<std::time::Duration>,
    today_pinned: bool,
    pub quit: bool,
}

/// Fixed lines around a screen body: header, tabs, footer hints, status line.
pub const CHROME_LINES: u16 = 4;

impl App {
    pub fn new(cfg: AppConfig) -> Self {
        let mut app = Self::build(cfg);
        // The overview names the key of each block in its title, from the keymap.
        let keymap = &app.keymap;
        if let Some(o) = app.screens.iter_mut().find_map(|s| {
            s.as_any_mut()
                .downcast_mut::<super::screens::overview::OverviewScreen>()
        }) {
            o.set_keys(keymap);
        }
        app
    }

    fn build(cfg: AppConfig) -> Self {
        let mut warnings: Vec<String> = cfg
            .startup_warnings
            .iter()
            .map(|w| w.message(cfg.lang))
            .collect();
        if !cfg.keymap_messages.is_empty() {
            warnings.push(format!(
                "{} {}",
                cfg.lang.t("キーマップの問題:", "keymap problems:"),
                cfg.keymap_messages.join(" | ")
            ));
        }
        let status = (!warnings.is_empty()).then(|| Status {
            kind: StatusKind::Warning,
            text: warnings.join(" | "),
        });
        Self {
            shell: Shell {
                ui: Ui {
                    lang: cfg.lang,
                    theme: cfg.theme,
                    glyphs: cfg.glyphs,
                },
                actor: cfg.actor,
                today: cfg.today,
                revealed: Vec::new(),
                status,
                dirty: true,
            },
            keymap: cfg.keymap,
            pending: Pending::new(),
            db_label: cfg.db_label,
            demo: cfg.demo,
            screen: cfg.start_screen,
            screens: super::screens::all(super::screens::ScreenConfig {
                today: cfg.today,
                expiring_months: cfg.expiring_months,
                service_types: cfg.service_types,
                export_dir: cfg.export_dir,
            }),
            overlays: Vec::new(),
            overlay_out: false,
            due: DueCounts::default(),
            recent: Vec::new(),
            size: (80, 24),
            lock: None,
            last_input: std::time::Instant::now(),
            idle_lock: cfg.idle_lock,
            today_pinned: cfg.today_pinned,
            quit: false,
        }
    }

    /// The first requests after start: the ledger's first page and the header counts.
    pub fn start(&mut self, size: (u16, u16)) -> Vec<Effect> {
        let mut fx = self.resize(size);
        if let Some(screen) = self.active_screen_mut() {
            fx.extend(Self::requests(screen.enter()));
        }
        fx.push(Effect::Request(Request::DueCounts));
        fx
    }

    /// Whether Enter/Esc answer something: an overlay, the search line, a conflict.
    pub fn has_dialog(&self) -> bool {
        !self.overlays.is_empty()
            || self.overlay_out
            || self.active_screen().is_some_and(|s| s.dialog())
    }

    pub fn lang(&self) -> Lang {
        self.shell.lang()
    }

    pub fn info(&mut self, text: impl Into<String>) {
        self.shell.info(text);
    }

    pub fn warn(&mut self, text: impl Into<String>) {
        self.shell.warn(text);
    }

    pub fn error(&mut self, text: impl Into<String>) {
        self.shell.error(text);
    }

    fn reason_text(&self, r: &Reason) -> String {
        if self.lang().is_ja() {
            r.ja.clone()
        } else {
            r.en.clone()
        }
    }

    /// Keymap contexts for the current focus, most specific first.
    pub fn contexts(&self) -> Vec<&'static str> {
        if self.lock.is_some() {
            return vec!["palette"];
        }
        if let Some(top) = self.overlays.last() {
            return top.contexts().to_vec();
        }
        self.active_screen()
            .map(|s| s.contexts())
            .unwrap_or_default()
    }

    /// The contexts of the screen under any overlay (what help describes).
    pub fn screen_contexts(&self) -> Vec<&'static str> {
        self.active_screen()
            .map(|s| s.help_contexts())
            .unwrap_or_default()
    }

    pub fn resize(&mut self, size: (u16, u16)) -> Vec<Effect> {
        self.size = size;
        self.shell.dirty = true;
        let body = size.1.saturating_sub(CHROME_LINES) as usize;
        let reqs = self
            .screens
            .iter_mut()
            .flat_map(|s| s.resize(body))
            .collect();
        Self::requests(reqs)
    }

    pub fn update(&mut self, msg: Msg) -> Vec<Effect> {
        match msg {
            Msg::Key(key) if key.kind != KeyEventKind::Release => self.key(key),
            Msg::Key(_) => Vec::new(),
            Msg::Paste(text) => self.paste(&text),
            Msg::Resize(w, h) => self.resize((w, h)),
            Msg::Data(reply) => self.reply(reply),
            Msg::DbChanged => self.refresh_views(),
            Msg::Tick => {
                self.tick(std::time::Instant::now(), chrono::Utc::now());
                if self.today_pinned {
                    return Vec::new();
                }
                self.set_today(chrono::Local::now().date_naive())
            }
            Msg::Signal(_) => {
                self.quit = true;
                vec![Effect::Quit]
            }
            // Without input there is nobody to serve (stdin closed: the SSH link dropped).
            Msg::WorkerFailed { worker, .. } if worker == "input" => {
                self.quit = true;
                vec![Effect::Quit]
            }
            Msg::Job(event) => self.job_event(event),
            Msg::WorkerFailed { worker, message } => {
                self.error(format!("{worker}: {message}"));
                Vec::new()
            }
        }
    }

    fn key(&mut self, key: KeyEvent) -> Vec<Effect> {
        self.last_input = std::time::Instant::now();
        if self.lock.is_some() {
            return self.lock_key(key);
        }
        // A message stays until the next key, then the status line shows the list's
        // count and filters again (what the command just did may set a new message).
        if self.shell.status.take().is_some() {
            self.shell.dirty = true;
        }
        let chord = keymap::chord_from_event(&key);
        let contexts = self.contexts();
        let lookup = self.pending.feed(&self.keymap, &contexts, chord);
        match lookup {
            Lookup::Command(id) => {
                let id = id.to_string();
                self.run_id(&id)
            }
            Lookup::Prefix => Vec::new(),
            Lookup::NoMatch => match self.global_fallback(chord) {
                Some(cmd) => self.run(cmd),
                None => self.text_key(key),
            },
        }
    }

    /// Global keys that cannot be typed (Ctrl chords, function keys) also work where the
    /// focus has no [global] context: all of them in the edit form, quit and lock
    /// everywhere else (dialogs, palette, search line). Letters stay text.
    fn global_fallback(&self, chord: keymap::KeyChord) -> Option<&'static commands::Command> {
        use crossterm::event::{KeyCode, KeyModifiers};
        if self.contexts().contains(&"global") {
            return None;
        }
        let typed =
            !chord.mods.contains(KeyModifiers::CONTROL) && !matches!(chord.code, KeyCode::F(_));
        if typed {
            return None;
        }
        let Lookup::Command(id) = self.keymap.lookup(&["global"], &[chord]) else {
            return None;
        };
        let in_form =
            self.overlays.is_empty() && self.active_screen().is_some_and(|s| s.form_open());
        let cmd = commands::find(id)?;
        (in_form || cmd.has(commands::flags::ANYWHERE)).then_some(cmd)
    }

    /// Timers: the idle lock and the end of reveals. Redraws only if something changed.
    pub fn tick(&mut self, now: std::time::Instant, utc: chrono::DateTime<chrono::Utc>) {
        let before = self.shell.revealed.len();
        self.shell.revealed.retain(|r| r.until > utc);
        if self.shell.revealed.len() != before {
            self.shell.dirty = true;
        }
        if self.lock.is_none()
            && self
                .idle_lock
                .is_some_and(|limit| now.duration_since(self.last_input) >= limit)
        {
            self.lock_session(false);
        }
    }

    /// The ticker noticed the date: when it changed (midnight), deadlines, the header
    /// counts and the lists count from the new day.
    pub fn set_today(&mut self, today: chrono::NaiveDate) -> Vec<Effect> {
        if today == self.shell.today {
            return Vec::new();
        }
        self.shell.dirty = true;
        self.shell.today = today;
        let mut reqs = vec![Request::Today(today)];
        for screen in &mut self.screens {
            reqs.extend(screen.set_today(today));
        }
        Self::requests(reqs)
    }

    /// Keys no binding claimed go to whatever text input has focus.
    fn text_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        if !self.overlays.is_empty() {
            let mut changed = false;
            let fx = self.with_top(|o, env| {
                changed = o.on_key(key, env);
                Outcome::Keep
            });
            self.shell.dirty |= changed;
            return fx.unwrap_or_default();
        }
        let shell = &mut self.shell;
        match self.screens.iter_mut().find(|s| s.id() == self.screen) {
            Some(screen) => screen.on_key(key, shell),
            None => Vec::new(),
        }
    }

    /// Bracketed paste (on by default in Tera Term) goes to the focused text field.
    fn paste(&mut self, text: &str) -> Vec<Effect> {
        self.last_input = std::time::Instant::now();
        if self.lock.is_some() {
            return Vec::new(); // never paste a password
        }
        // Cut before any work: a 10 MB paste must not cost seconds of redraws and search.
        let text = match super::input::clip_paste(text) {
            Some(kept) => {
                let cap = super::input::MAX_INPUT_CHARS;
                self.warn(self.lang().t(
                    &format!("貼り付けた文字が長すぎるため、先頭の{cap}文字だけを入れました"),
                    &format!(
                        "The pasted text was too long: only its first {cap} characters were kept"
                    ),
                ));
                kept
            }
            None => text,
        };
        if !self.overlays.is_empty() {
            let mut changed = false;
            let fx = self.with_top(|o, env| {
                changed = o.on_paste(text, env);
                Outcome::Keep
            });
            self.shell.dirty |= changed;
            return fx.unwrap_or_default();
        }
        let shell = &mut self.shell;
        match self.screens.iter_mut().find(|s| s.id() == self.screen) {
            Some(screen) => screen.on_paste(text, shell),
            None => Vec::new(),
        }
    }

    /// Runs a command by its keymap id if it is enabled now; otherwise says why.
    pub fn run_id(&mut self, id: &str) -> Vec<Effect> {
        match commands::find(id) {
            Some(cmd) => self.run(cmd),
            None => {
                let text = format!(
                    "{} {id}",
                    self.lang().t("不明なコマンド:", "unknown command:")
                );
                self.error(text);
                Vec::new()
            }
        }
    }

    /// Runs a command if it is enabled now; otherwise says why.
    pub fn run(&mut self, cmd: &'static commands::Command) -> Vec<Effect> {
        if let Err(reason) = (cmd.enabled)(self) {
            let text = format!(
                "{}: {}",
                cmd.title(self.lang().is_ja()),
                self.reason_text(&reason)
            );
            self.warn(text);
            return Vec::new();
        }
        self.shell.dirty = true;
        if !cmd.has(commands::flags::NOT_RECENT) {
            self.recent.retain(|r| *r != cmd.id);
            self.recent.insert(0, cmd.id);
            self.recent.truncate(8);
        }
        (cmd.run)(self)
    }

    pub(crate) fn requests(reqs: Vec<Request>) -> Vec<Effect> {
        reqs.into_iter().map(Effect::Request).collect()
    }

    pub(crate) fn switch_screen(&mut self, s: ScreenId) -> Vec<Effect> {
        if let Some(old) = self.active_screen_mut() {
            old.leave();
        }
        self.screen = s;
        self.pending.clear();
        match self.active_screen_mut() {
            Some(screen) => Self::requests(screen.enter()),
            None => Vec::new(),
        }
    }

    fn refresh_views(&mut self) -> Vec<Effect> {
        // Another process committed: maybe an admin changed this user's role.
        let mut reqs = vec![Request::DueCounts, Request::Account];
        for screen in &mut self.screens {
            if screen.id() == self.screen {
                reqs.extend(screen.refresh());
            } else {
                reqs.extend(screen.refresh_hidden());
            }
        }
        Self::requests(reqs)
    }

    pub(crate) fn refresh_command(&mut self) -> Vec<Effect> {
        self.refresh_views()
    }

    /// A runner event: live progress, or the end of the run (refresh the list).
    fn job_event(&mut self, event: crate::domain::job::JobEvent) -> Vec<Effect> {
        self.shell.dirty = true;
        let lang = self.lang();
        let jobs = self.screen_mut::<JobsScreen>();
        match jobs.apply(event, lang) {
            Some(status) => {
                let mut reload = jobs.refresh();
                self.shell.status = Some(status);
                reload.push(Request::DueCounts);
                Self::requests(reload)
            }
            None => Vec::new(),
        }
    }
}

/// The user's own export folder, `~/daicho-exports` (created 0700 on the first export),
/// for `AppConfig::export_dir`.
pub fn default_export_dir() -> PathBuf {
    std::env::var_os("HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("."))
        .join("daicho-exports")
}

mod host;
mod lock;
mod overlays;
mod replies;

pub use lock::Lock;

#[cfg(test)]
mod tests;
