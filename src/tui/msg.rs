//! Everything that happens to the UI arrives as one [`Msg`] on one channel: input,
//! data replies, other processes' commits, timers, signals, worker failures.

use crate::domain::job::{JobEvent, JobKind};
use crate::query::{Reply, Request};
use crossterm::event::KeyEvent;

#[derive(Debug)]
pub enum Msg {
    Key(KeyEvent),
    Paste(String),
    Resize(u16, u16),
    Data(Reply),
    /// Another daicho process committed to the database.
    DbChanged,
    /// A timer fired (session lock, status-message expiry); not a redraw clock.
    Tick,
    /// SIGTERM/SIGHUP/SIGINT/SIGQUIT: save nothing half-done, restore, leave.
    Signal(i32),
    WorkerFailed {
        worker: String,
        message: String,
    },
    /// A background job this session started reports (throttled to 10 a second).
    Job(JobEvent),
}

/// What `App::update` asks the outside world to do. Few are alive at once, so the
/// size of a request inline is cheaper than a box per keystroke.
#[derive(Debug)]
#[allow(clippy::large_enum_variant)]
pub enum Effect {
    Request(Request),
    /// Start a background job of this kind on its own thread.
    StartJob(JobKind),
    /// Ask the running job to stop after its current batch.
    CancelJob,
    Quit,
}

impl From<crate::query::Event> for Msg {
    fn from(e: crate::query::Event) -> Self {
        match e {
            crate::query::Event::Reply(r) => Msg::Data(r),
            crate::query::Event::DbChanged => Msg::DbChanged,
        }
    }
}
