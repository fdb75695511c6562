//! The event loop and its threads.
//!
//! ```text
//!  input thread ──Key/Paste/Resize──┐
//!  data worker ──Data/DbChanged─────┤
//!  signal watcher ──Signal──────────┼──> one channel ──> UI thread: update → effects
//!  ticker ──Tick (timers only)──────┘                        │        └─> data requests
//!                                                            └─ draw only if dirty
//! ```
//! Nothing redraws on a clock: idle means zero bytes to the terminal.

use super::app::{App, AppConfig};
use super::glyphs;
use super::i18n::Lang;
use super::keymap::files as keymap_files;
use super::msg::{Effect, Msg};
use super::probe::{self, AmbiguousWidth};
use super::render::Renderer;
use super::terminal;
use super::theme::{self, ColorMode, Theme};
use super::{commands, view};
use crate::domain::designation::CalendarRules;
use crate::domain::job::{JobEnd, JobEvent, JobKind};
use crate::domain::permission::Actor;
use crate::jobs::runner::{self, JobHandle, JobRequest, Settings};
use crate::query::{self, DataContext};
use crossterm::event::{self, Event};
use std::path::PathBuf;
use std::sync::mpsc;
use std::time::Duration;

pub struct RunOptions {
    pub db: PathBuf,
    pub actor: Actor,
    pub demo: bool,
    pub lang: Lang,
    pub keymap: Option<PathBuf>,
    pub vim: bool,
    pub color: Option<ColorMode>,
    pub ambiguous: Option<AmbiguousWidth>,
    pub ascii_borders: bool,
    pub log_path: PathBuf,
    pub today: chrono::NaiveDate,
    pub start_screen: crate::tui::ui::ScreenId,
}

const PROBE_TIMEOUT: Duration = Duration::from_millis(300);

/// Fault injection for the end-to-end tests of terminal restoration:
/// `DAICHO_FAULT=data-panic` panics the data worker, `ui-panic` panics the UI thread
/// on the first key. Nothing else reads it.
fn fault(name: &str) -> bool {
    std::env::var("DAICHO_FAULT").is_ok_and(|v| v == name)
}

pub fn run(opts: RunOptions) -> anyhow::Result<()> {
    // Open the database before touching the terminal so that a bad path or a newer
    // schema is reported on a normal screen.
    let rules = CalendarRules::default();
    let ctx = DataContext::open(&opts.db, opts.actor.clone(), opts.today, rules.clone())?;
    let export_ctx = ctx.reopen()?;
    let service_types = ctx.store.service_types()?;
    let idle_minutes = ctx.idle_lock_minutes();
    let idle_lock = (idle_minutes > 0).then(|| Duration::from_secs(u64::from(idle_minutes) * 60));
    let keymaps = keymap_files::load_in(
        opts.lang,
        opts.keymap.as_deref(),
        opts.vim,
        &commands::is_known,
    );
    terminal::install_panic_hook(opts.log_path.clone());
    let mut term = terminal::enter()?;
    // Escape hatch for a terminal that mishandles scrolling regions: plain repaints.
    term.set_scrolling(std::env::var_os("DAICHO_NO_SCROLL").is_none());
    let width = opts
        .ambiguous
        .or_else(|| probe::probe(PROBE_TIMEOUT).effective())
        .unwrap_or(AmbiguousWidth::Narrow);
    let color = opts
        .color
        .unwrap_or_else(|| theme::detect(&|k| std::env::var(k).ok()));
    let mut app = App::new(AppConfig {
        lang: opts.lang,
        theme: Theme::new(color),
        glyphs: glyphs::for_width(width, opts.ascii_borders),
        keymap: keymaps.keymap,
        keymap_messages: keymaps.messages,
        startup_warnings: query::permission_warnings(&opts.db),
        actor: opts.actor.clone(),
        db_label: opts.db.display().to_string(),
        demo: opts.demo,
        today: opts.today,
        today_pinned: std::env::var_os("DAICHO_TODAY").is_some_and(|v| !v.is_empty()),
        expiring_months: rules.expiring_alert_months,
        service_types,
        export_dir: crate::tui::app::default_export_dir(),
        idle_lock,
        start_screen: opts.start_screen,
    });

    let (tx, rx) = mpsc::channel::<Msg>();
    spawn_input(tx.clone())?;
    let signal_tx = tx.clone();
    terminal::spawn_signal_watcher(move |sig| {
        let _ = signal_tx.send(Msg::Signal(sig));
    })?;
    let (client, workers) = query::start(ctx, export_ctx, tx.clone());
    let queries = workers.queries;
    spawn_worker(&tx, "data", move || {
        if fault("data-panic") {
            panic!("injected fault: data worker");
        }
        queries()
    })?;
    spawn_worker(&tx, "export", workers.exports)?;
    spawn_ticker(tx.clone())?;
    let mut effects = app.start(terminal::size()?);
    let mut jobs = Jobs {
        db: opts.db.clone(),
        tx: tx.clone(),
        handle: None,
    };
    let result = event_loop(&mut app, &mut term, &rx, &client, &mut effects, &mut jobs);
    terminal::restore();
    // A job still running stops at its next batch and records itself cancelled, so
    // its lease is free for the next run at once.
    jobs.stop();
    result
}

/// The background job this session started (one at a time).
struct Jobs {
    db: PathBuf,
    tx: mpsc::Sender<Msg>,
    handle: Option<JobHandle>,
}

impl Jobs {
    fn start(&mut self, kind: JobKind, app: &App) {
        let tx = self.tx.clone();
        let req = JobRequest {
            db: self.db.clone(),
            actor: app.shell.actor.clone(),
            lang: app.lang(),
            settings: job_settings(),
        };
        let spawned = runner::spawn(crate::jobs::job_for(kind), req, move |e| {
            let _ = tx.send(Msg::Job(e));
        });
        match spawned {
            Ok(h) => self.handle = Some(h),
            Err(e) => {
                let _ = self.tx.send(Msg::Job(JobEvent::Finished {
                    job_id: None,
                    kind,
                    progress: Default::default(),
                    end: JobEnd::Failed {
                        message: e.to_string(),
                    },
                }));
            }
        }
    }

    fn cancel(&self) {
        if let Some(h) = &self.handle {
            h.cancel();
        }
    }

    fn stop(&mut self) {
        if let Some(h) = self.handle.take() {
            h.cancel();
            h.join();
        }
    }
}

/// Runner timings; `DAICHO_JOB_BATCH_DELAY_MS` slows batches down so the end-to-end
/// tests can see a run in progress and cancel it.
fn job_settings() -> Settings {
    let mut s = Settings::default();
    if let Some(ms) = std::env::var("DAICHO_JOB_BATCH_DELAY_MS")
        .ok()
        .and_then(|v| v.parse().ok())
    {
        s.batch_delay = Duration::from_millis(ms);
        s.batch_size = 1;
    }
    s
}

/// Runs a worker body on its own thread; a panic becomes `Msg::WorkerFailed`.
fn spawn_worker(
    tx: &mpsc::Sender<Msg>,
    name: &'static str,
    body: impl FnOnce() + Send + 'static,
) -> std::io::Result<()> {
    let failed_tx = tx.clone();
    terminal::run_worker(name, body, move |r| {
        if let Err(message) = r {
            let _ = failed_tx.send(Msg::WorkerFailed {
                worker: name.into(),
                message,
            });
        }
    })?;
    Ok(())
}

/// Effects out, one frame if something changed, then block for the next messages.
fn event_loop(
    app: &mut App,
    term: &mut Renderer<std::io::Stdout>,
    rx: &mpsc::Receiver<Msg>,
    data_tx: &query::Client,
    effects: &mut Vec<Effect>,
    jobs: &mut Jobs,
) -> anyhow::Result<()> {
    let mut size = terminal::size()?;
    loop {
        for fx in effects.drain(..) {
            match fx {
                Effect::Request(r) => {
                    if data_tx.send(r).is_err() {
                        app.error(app.lang().t(
                            "データの読み書きを受け持つスレッドが止まりました。daicho を起動し直してください",
                            "the data worker stopped: restart daicho",
                        ));
                    }
                }
                Effect::StartJob(kind) => jobs.start(kind, app),
                Effect::CancelJob => jobs.cancel(),
                Effect::Quit => return Ok(()),
            }
        }
        if app.quit {
            return Ok(());
        }
        if app.shell.dirty {
            size = terminal::size().unwrap_or(size);
            term.draw(size, |f| view::draw(f, app))?;
            app.shell.dirty = false;
        }
        // Block until something happens, then take everything already queued before
        // drawing again: a burst of keys or replies costs one frame.
        let Ok(first) = rx.recv() else { return Ok(()) };
        if matches!(first, Msg::Key(_)) && fault("ui-panic") {
            panic!("injected fault: UI thread");
        }
        effects.extend(app.update(first));
        while let Ok(more) = rx.try_recv() {
            effects.extend(app.update(more));
        }
    }
}

/// Timers only (idle lock, end of a reveal): a tick redraws nothing unless the state
/// changed, so an idle screen still writes zero bytes.
pub const TICK: Duration = Duration::from_secs(5);

fn spawn_ticker(tx: mpsc::Sender<Msg>) -> std::io::Result<()> {
    std::thread::Builder::new()
        .name("ticker".into())
        .spawn(move || {
            while tx.send(Msg::Tick).is_ok() {
                std::thread::sleep(TICK);
            }
        })?;
    Ok(())
}

fn spawn_input(tx: mpsc::Sender<Msg>) -> std::io::Result<()> {
    std::thread::Builder::new()
        .name("input".into())
        .spawn(move || {
            loop {
                let msg = match event::read() {
                    Ok(Event::Key(k)) => Msg::Key(k),
                    Ok(Event::Paste(s)) => Msg::Paste(s),
                    Ok(Event::Resize(w, h)) => Msg::Resize(w, h),
                    Ok(_) => continue,
                    Err(e) => Msg::WorkerFailed {
                        worker: "input".into(),
                        message: e.to_string(),
                    },
                };
                let stop = matches!(msg, Msg::WorkerFailed { .. });
                if tx.send(msg).is_err() || stop {
                    return;
                }
            }
        })?;
    Ok(())
}
