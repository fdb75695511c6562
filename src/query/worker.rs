//! The query layer's threads.
//!
//! ```text
//!  UI ──Client::send──┬─ exports ──────────> export thread (own connection) ──┐
//!                     │                                                       ├─> Event
//!                     └─ everything else ──> query thread (own connection) ───┘
//!                        (a newer request for the same list, or another
//!                         screen's list, interrupts the running query)
//! ```
//! The query thread takes every request already queued, drops those a later one of the
//! same kind replaces (latest wins), and answers the rest in order. A query stopped by
//! an interrupt sends nothing. Every 500 ms without work it checks `PRAGMA
//! data_version` and tells the UI when another daicho process committed. Generation
//! counters in the requests let the UI drop a reply that arrives after a newer one.

use super::answer::answer;
use super::{DataContext, Reply, Request, coalesce};
use crate::store::Interrupt;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

pub const CHANGE_POLL: Duration = Duration::from_millis(500);

/// What the workers tell the UI.
#[derive(Debug)]
pub enum Event {
    Reply(Reply),
    /// Another daicho process committed to the database.
    DbChanged,
}

/// The request now running on the query thread, if it may be interrupted.
type Running = Arc<Mutex<Option<Request>>>;

/// The UI's end: sends requests to the right thread and interrupts the query that a
/// new request makes pointless.
pub struct Client {
    queries: Sender<Request>,
    exports: Sender<Request>,
    running: Running,
    interrupt: Interrupt,
}

/// The workers stopped (their receiving end is gone).
#[derive(Debug)]
pub struct Stopped;

impl Client {
    pub fn send(&self, req: Request) -> Result<(), Stopped> {
        if req.is_export() {
            return self.exports.send(req).map_err(|_| Stopped);
        }
        {
            // Held while interrupting, so the query thread cannot move on to the next
            // request in between: the interrupt reaches the query it was meant for (or,
            // if that just finished, nothing — SQLite clears it for the next statement).
            let running = self.running.lock().unwrap_or_else(PoisonError::into_inner);
            if running.as_ref().is_some_and(|r| req.supersedes(r)) {
                self.interrupt.interrupt();
            }
        }
        self.queries.send(req).map_err(|_| Stopped)
    }
}

/// The two thread bodies, for the caller to spawn (with its own panic handling).
pub struct Workers {
    pub queries: Box<dyn FnOnce() + Send>,
    pub exports: Box<dyn FnOnce() + Send>,
}

/// Wires the workers: `ctx` answers queries and writes, `export_ctx` (a second
/// connection, [`DataContext::reopen`]) answers exports. Events go to `to_ui`.
pub fn start<M>(ctx: DataContext, export_ctx: DataContext, to_ui: Sender<M>) -> (Client, Workers)
where
    M: From<Event> + Send + 'static,
{
    let (queries, query_rx) = mpsc::channel();
    let (exports, export_rx) = mpsc::channel();
    let running: Running = Arc::default();
    let client = Client {
        queries,
        exports,
        running: running.clone(),
        interrupt: ctx.store.interrupt_handle(),
    };
    let export_tx = to_ui.clone();
    let workers = Workers {
        queries: Box::new(move || {
            serve_queries(ctx, query_rx, &running, |e| to_ui.send(M::from(e)).is_ok())
        }),
        exports: Box::new(move || {
            serve_exports(export_ctx, export_rx, |e| {
                export_tx.send(M::from(e)).is_ok()
            })
        }),
    };
    (client, workers)
}

/// The query loop; returns when the client is dropped or `send` says the UI is gone.
pub fn serve_queries(
    mut ctx: DataContext,
    requests: Receiver<Request>,
    running: &Mutex<Option<Request>>,
    mut send: impl FnMut(Event) -> bool,
) {
    let mut seen_version = ctx.store.data_version().unwrap_or(0);
    let set_running = |r: Option<Request>| {
        *running.lock().unwrap_or_else(PoisonError::into_inner) = r;
    };
    loop {
        match requests.recv_timeout(CHANGE_POLL) {
            Ok(first) => {
                let mut batch = vec![first];
                batch.extend(requests.try_iter());
                for req in coalesce(batch) {
                    set_running(req.coalesce_key().map(|_| req.clone()));
                    let reply = answer(&mut ctx, req);
                    set_running(None);
                    if let Some(reply) = reply
                        && !send(Event::Reply(reply))
                    {
                        return;
                    }
                }
                // Our own commits never move this connection's data_version, so nothing
                // to resync here: a change seen now is another process's.
            }
            Err(RecvTimeoutError::Timeout) => {
                let now = ctx.store.data_version().unwrap_or(seen_version);
                if now != seen_version {
                    seen_version = now;
                    if !send(Event::DbChanged) {
                        return;
                    }
                }
            }
            Err(RecvTimeoutError::Disconnected) => return,
        }
    }
}

/// The export loop: one export at a time, in order, never coalesced.
pub fn serve_exports(
    mut ctx: DataContext,
    requests: Receiver<Request>,
    mut send: impl FnMut(Event) -> bool,
) {
    for req in requests {
        if let Some(reply) = answer(&mut ctx, req)
            && !send(Event::Reply(reply))
        {
            return;
        }
    }
}

#[cfg(test)]
mod tests;
