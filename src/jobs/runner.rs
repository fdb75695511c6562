//! The job runner: each run gets its own thread and its own database connection.
//!
//! A run takes the lease of its kind and creates its `running` row in one
//! `BEGIN IMMEDIATE` transaction (with a `job.start` audit record), then calls the job,
//! which works in batches and calls [`JobContext::batch_done`] between them. That is
//! where progress is saved (short write transactions, at most once a second), the lease
//! is renewed (the heartbeat), progress events go to the caller (only when changed, at
//! most 10 a second) and a cancel is noticed. The end — success, failure, cancel or a
//! panic caught here — sets the row's status, releases the lease and appends `job.finish`
//! in one transaction. A process that dies keeps its lease only until it expires; the
//! next run then takes it over and marks the dead run `abandoned`.

use crate::domain::job::{JobEnd, JobEvent, JobKind, JobStatus, Progress, ProgressThrottle};
use crate::domain::permission::{self, Actor, Provenance};
use crate::i18n::Lang;
use crate::store::jobs::{self, Acquired};
use crate::store::{Store, StoreError, audit};
use rusqlite::Connection;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// One kind of background work.
pub trait Job: Send {
    fn kind(&self) -> JobKind;
    /// Does the work in batches, calling [`JobContext::batch_done`] after each; returns
    /// the message shown for a success.
    fn run(&mut self, ctx: &mut JobContext<'_>) -> Result<String, JobError>;
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JobError {
    Cancelled,
    /// The job found a problem or could not do its work; the text is for the user.
    Failed(String),
}

impl From<StoreError> for JobError {
    fn from(e: StoreError) -> Self {
        JobError::Failed(e.to_string())
    }
}

/// Timings of a run. The defaults suit production; tests shorten them.
#[derive(Debug, Clone)]
pub struct Settings {
    /// How long a lease lasts without a heartbeat.
    pub lease_ttl: Duration,
    /// How often the lease is renewed while the job runs.
    pub heartbeat_every: Duration,
    /// How often progress is written to the job row.
    pub save_progress_every: Duration,
    /// Minimum time between two progress events.
    pub event_interval: Duration,
    /// Units (records, tables) per batch.
    pub batch_size: usize,
    /// A pause after each batch — only for tests that must catch a run in progress.
    pub batch_delay: Duration,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            lease_ttl: Duration::from_secs(120),
            heartbeat_every: Duration::from_secs(20),
            save_progress_every: Duration::from_secs(1),
            event_interval: ProgressThrottle::UI_INTERVAL,
            batch_size: 1000,
            batch_delay: Duration::ZERO,
        }
    }
}

/// Who runs what, where.
#[derive(Debug, Clone)]
pub struct JobRequest {
    pub db: PathBuf,
    pub actor: Actor,
    pub lang: Lang,
    pub settings: Settings,
}

/// A run on its own thread. Dropping the handle does not stop the run; `cancel` does.
pub struct JobHandle {
    kind: JobKind,
    cancel: Arc<AtomicBool>,
    thread: JoinHandle<()>,
}

impl JobHandle {
    pub fn kind(&self) -> JobKind {
        self.kind
    }

    /// Asks the job to stop after its current batch; it then ends `Cancelled`.
    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::SeqCst);
    }

    /// The flag `cancel` sets, for a signal handler.
    pub fn cancel_flag(&self) -> Arc<AtomicBool> {
        Arc::clone(&self.cancel)
    }

    pub fn is_finished(&self) -> bool {
        self.thread.is_finished()
    }

    /// Waits for the thread (its `Finished` event has been sent by then).
    pub fn join(self) {
        let _ = self.thread.join();
    }
}

/// Starts `job` on a new thread; every event goes to `sink` (e.g. a closure that wraps
/// it in the app's message and sends it on the app channel).
pub fn spawn(
    job: Box<dyn Job>,
    req: JobRequest,
    mut sink: impl FnMut(JobEvent) + Send + 'static,
) -> std::io::Result<JobHandle> {
    let kind = job.kind();
    let cancel = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&cancel);
    let thread = std::thread::Builder::new()
        .name(format!("job {}", kind.code()))
        .spawn(move || {
            run(job, &req, &flag, &mut sink);
        })?;
    Ok(JobHandle {
        kind,
        cancel,
        thread,
    })
}

/// `host:pid:staff`, the lease holder named when another run is refused.
pub fn holder(staff_id: &str) -> String {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "localhost".into());
    format!("{host}:{}:{staff_id}", std::process::id())
}

fn anchor(store: &Store) -> Result<(), JobError> {
    crate::service::anchor(store).map_err(|e| JobError::Failed(e.to_string()))
}

fn panic_text(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_default()
}

/// Runs `job` on the calling thread and returns how it ended (also sent to `sink` as
/// the `Finished` event).
pub fn run(
    mut job: Box<dyn Job>,
    req: &JobRequest,
    cancel: &AtomicBool,
    sink: &mut dyn FnMut(JobEvent),
) -> JobEnd {
    let kind = job.kind();
    let lang = req.lang;
    let end_early = |sink: &mut dyn FnMut(JobEvent), end: JobEnd| {
        sink(JobEvent::Finished {
            job_id: None,
            kind,
            progress: Progress::default(),
            end: end.clone(),
        });
        end
    };
    if let Err(d) = permission::authorize(&req.actor, kind.action(), &Provenance::default()) {
        let message = lang.t(&d.ja, &d.en).to_string();
        return end_early(sink, JobEnd::Failed { message });
    }
    let mut store = match Store::open(&req.db) {
        Ok(s) => s,
        Err(e) => {
            let message = format!(
                "{} {}: {e}",
                lang.t("データベースを開けません:", "cannot open the database"),
                req.db.display()
            );
            return end_early(sink, JobEnd::Failed { message });
        }
    };
    let staff = req.actor.staff_id.clone();
    let holder = holder(&staff);
    let ttl = chrono::Duration::from_std(req.settings.lease_ttl)
        .unwrap_or_else(|_| chrono::Duration::seconds(120));
    let abandoned_message = lang.t(
        "実行していたプロセスが止まったため、期限切れの実行権を次の実行が引き継ぎました",
        "the process running it stopped; the next run took over its expired lease",
    );
    let acquired = store.write(|tx| {
        let a = jobs::acquire(
            tx,
            kind.code(),
            &holder,
            &staff,
            chrono::Utc::now(),
            ttl,
            abandoned_message,
        )?;
        if let Acquired::Started {
            job_id, abandoned, ..
        } = &a
        {
            let reason = match abandoned {
                Some(old) => format!("{}; took over abandoned job {old}", kind.code()),
                None => kind.code().to_string(),
            };
            audit::append(tx, &job_entry(&staff, "job.start", *job_id, reason))?;
        }
        Ok(a)
    });
    let (job_id, abandoned, resume_cursor) = match acquired {
        Ok(Acquired::Started {
            job_id,
            abandoned,
            resume_cursor,
        }) => (job_id, abandoned, resume_cursor),
        Ok(Acquired::Held(lease)) => {
            return end_early(
                sink,
                JobEnd::Busy {
                    holder: lease.holder,
                    until: lease.expires_at,
                },
            );
        }
        Err(e) => {
            let message = format!(
                "{} {}: {e}",
                lang.t("ジョブを開始できません:", "cannot start the job in"),
                req.db.display()
            );
            return end_early(sink, JobEnd::Failed { message });
        }
    };
    sink(JobEvent::Started {
        job_id,
        kind,
        took_over: abandoned,
    });
    let now = Instant::now();
    let mut ctx = JobContext {
        store: &mut store,
        actor: &req.actor,
        kind,
        job_id,
        holder: &holder,
        lang,
        settings: &req.settings,
        cancel,
        sink: &mut *sink,
        throttle: ProgressThrottle::new(req.settings.event_interval),
        progress: Progress::default(),
        saved: (Progress::default(), None),
        renewed: now,
        resume_cursor,
        cursor: String::new(),
        today: crate::clock::today(),
    };
    let outcome = match anchor(ctx.store) {
        Err(e) => Ok(Err(e)),
        Ok(()) => std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| job.run(&mut ctx))),
    };
    let (progress, cursor) = (ctx.progress, std::mem::take(&mut ctx.cursor));
    drop(ctx);
    let (status, mut end) = match outcome {
        Ok(Ok(message)) => (JobStatus::Succeeded, JobEnd::Succeeded { message }),
        Ok(Err(JobError::Cancelled)) => (JobStatus::Cancelled, JobEnd::Cancelled),
        Ok(Err(JobError::Failed(message))) => (JobStatus::Failed, JobEnd::Failed { message }),
        Err(payload) => (
            JobStatus::Failed,
            JobEnd::Failed {
                message: format!(
                    "{} {}",
                    lang.t(
                        "ジョブが予期せず停止しました:",
                        "the job stopped unexpectedly:"
                    ),
                    panic_text(payload.as_ref())
                ),
            },
        ),
    };
    let row_message = match &end {
        JobEnd::Succeeded { message } | JobEnd::Failed { message } => message.clone(),
        JobEnd::Cancelled => lang.t("中止されました", "cancelled").to_string(),
        JobEnd::Busy { .. } => String::new(),
    };
    let finished = store.write(|tx| {
        if !cursor.is_empty() {
            jobs::record_progress(tx, job_id, progress.done, progress.total, &cursor)?;
        }
        jobs::finish(
            tx,
            kind.code(),
            job_id,
            status.code(),
            progress.done,
            progress.total,
            &row_message,
            chrono::Utc::now(),
        )?;
        audit::append(
            tx,
            &job_entry(
                &staff,
                "job.finish",
                job_id,
                format!("{}: {}", kind.code(), status.code()),
            ),
        )?;
        Ok(())
    });
    match finished
        .map_err(JobError::from)
        .and_then(|()| anchor(&store))
    {
        Ok(()) => {}
        Err(JobError::Failed(e)) => {
            end = JobEnd::Failed {
                message: format!(
                    "{} {}: {e}",
                    lang.t(
                        "ジョブの終了を記録できません:",
                        "cannot record the job's end in"
                    ),
                    req.db.display()
                ),
            }
        }
        Err(JobError::Cancelled) => {}
    }
    sink(JobEvent::Finished {
        job_id: Some(job_id),
        kind,
        progress,
        end: end.clone(),
    });
    end
}

fn job_entry(staff: &str, action: &str, job_id: i64, reason: String) -> audit::Entry {
    audit::Entry {
        actor: staff.to_string(),
        action: action.into(),
        object_type: "sync_job".into(),
        object_id: job_id.to_string(),
        fields: Vec::new(),
        reason,
    }
}

/// What a running job sees: its connection, its language, and `batch_done`.
pub struct JobContext<'a> {
    store: &'a mut Store,
    actor: &'a Actor,
    kind: JobKind,
    job_id: i64,
    holder: &'a str,
    lang: Lang,
    settings: &'a Settings,
    cancel: &'a AtomicBool,
    sink: &'a mut dyn FnMut(JobEvent),
    throttle: ProgressThrottle,
    progress: Progress,
    /// What was last written to the row, and when (None: not yet).
    saved: (Progress, Option<Instant>),
    renewed: Instant,
    resume_cursor: String,
    cursor: String,
    /// The date the run started on: one run keeps one "today" across midnight.
    today: chrono::NaiveDate,
}

impl JobContext<'_> {
    /// The run's date, for deadlines and record dates.
    pub fn today(&self) -> chrono::NaiveDate {
        self.today
    }

    /// The run's own connection, for reads between batches.
    pub fn conn(&self) -> &Connection {
        self.store.conn()
    }

    /// The run's own store, for jobs that write through `service`.
    pub fn store(&mut self) -> &mut Store {
        self.store
    }

    /// Who runs the job (the audited actor of its writes).
    pub fn actor(&self) -> &Actor {
        self.actor
    }

    pub fn db_path(&self) -> &Path {
        self.store.path()
    }

    pub fn lang(&self) -> Lang {
        self.lang
    }

    pub fn job_id(&self) -> i64 {
        self.job_id
    }

    pub fn batch_size(&self) -> usize {
        self.settings.batch_size.max(1)
    }

    /// The cursor of the abandoned run this one took over ("" if none), for jobs that
    /// can continue where a crashed run stopped.
    pub fn resume_cursor(&self) -> &str {
        &self.resume_cursor
    }

    pub fn is_cancelled(&self) -> bool {
        self.cancel.load(Ordering::SeqCst)
    }

    /// Sets how many units the whole run has.
    pub fn set_total(&mut self, total: i64) {
        self.progress.total = total.max(self.progress.done);
        self.offer_progress();
    }

    fn offer_progress(&mut self) {
        if self.throttle.offer(Instant::now(), self.progress) {
            (self.sink)(JobEvent::Progress {
                job_id: self.job_id,
                kind: self.kind,
                progress: self.progress,
            });
        }
    }

    /// Between batches: `done` units so far and where to resume. Sends progress, saves
    /// it, renews the lease when due, and returns `Err(Cancelled)` once cancel was asked.
    pub fn batch_done(&mut self, done: i64, cursor: &str) -> Result<(), JobError> {
        if !self.settings.batch_delay.is_zero() {
            std::thread::sleep(self.settings.batch_delay);
        }
        self.progress.done = done;
        self.progress.total = self.progress.total.max(done);
        cursor.clone_into(&mut self.cursor);
        self.offer_progress();
        let now = Instant::now();
        let renew = now.duration_since(self.renewed) >= self.settings.heartbeat_every;
        let save = self.progress != self.saved.0
            && self
                .saved
                .1
                .is_none_or(|at| now.duration_since(at) >= self.settings.save_progress_every);
        if renew || save {
            let (kind, job_id, holder, p) = (self.kind, self.job_id, self.holder, self.progress);
            let ttl = chrono::Duration::from_std(self.settings.lease_ttl)
                .unwrap_or_else(|_| chrono::Duration::seconds(120));
            let ours = self.store.write(|tx| {
                if save {
                    jobs::record_progress(tx, job_id, p.done, p.total, cursor)?;
                }
                if renew {
                    jobs::renew(tx, kind.code(), job_id, holder, chrono::Utc::now(), ttl)
                } else {
                    Ok(true)
                }
            })?;
            if save {
                self.saved = (p, Some(now));
            }
            if renew {
                self.renewed = now;
            }
            if !ours {
                return Err(JobError::Failed(
                    self.lang
                        .t(
                            "実行権の期限が切れ、別の実行に引き継がれたため中断しました",
                            "stopped: the lease expired and another run took it over",
                        )
                        .to_string(),
                ));
            }
        }
        if self.is_cancelled() {
            return Err(JobError::Cancelled);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::permission::Role;

    /// Counts to `n` in batches of one; panics at `panic_at`; cancels itself at
    /// `cancel_at` through the flag it is given.
    struct Counter {
        n: i64,
        panic_at: Option<i64>,
        cancel_at: Option<(i64, Arc<AtomicBool>)>,
    }

    impl Job for Counter {
        fn kind(&self) -> JobKind {
            JobKind::IntegrityCheck
        }
        fn run(&mut self, ctx: &mut JobContext<'_>) -> Result<String, JobError> {
            ctx.set_total(self.n);
            for i in 1..=self.n {
                if self.panic_at == Some(i) {
                    panic!("boom at {i}");
                }
                if let Some((at, flag)) = &self.cancel_at
                    && *at == i
                {
                    flag.store(true, Ordering::SeqCst);
                }
                ctx.batch_done(i, &i.to_string())?;
            }
            Ok(format!("counted {}", self.n))
        }
    }

    fn counter(n: i64) -> Box<Counter> {
        Box::new(Counter {
            n,
            panic_at: None,
            cancel_at: None,
        })
    }

    fn request(db: &Path) -> JobRequest {
        JobRequest {
            db: db.to_path_buf(),
            actor: Actor {
                staff_id: "k001".into(),
                role: Role::Reviewer,
            },
            lang: Lang::En,
            settings: Settings::default(),
        }
    }

    fn db() -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("d.db");
        Store::create(&path).unwrap();
        (dir, path)
    }

    fn run_collect(job: Box<dyn Job>, req: &JobRequest, cancel: &AtomicBool) -> Vec<JobEvent> {
        let mut events = Vec::new();
        run(job, req, cancel, &mut |e| events.push(e));
        events
    }

    #[test]
    fn a_run_records_its_row_audits_and_releases_the_lease() {
        let (_dir, path) = db();
        let events = run_collect(counter(3), &request(&path), &AtomicBool::new(false));
        let Some(JobEvent::Finished {
            job_id: Some(id),
            end,
            progress,
            ..
        }) = events.last()
        else {
            panic!("{events:?}")
        };
        assert_eq!(
            end,
            &JobEnd::Succeeded {
                message: "counted 3".into()
            }
        );
        assert_eq!(*progress, Progress { done: 3, total: 3 });
        let store = Store::open(&path).unwrap();
        let row = jobs::job(store.conn(), *id).unwrap().unwrap();
        assert_eq!(
            (row.status.as_str(), row.progress, row.total),
            ("succeeded", 3, 3)
        );
        assert_eq!(row.started_by, "k001");
        assert!(jobs::leases(store.conn()).unwrap().is_empty());
        let recs = audit::for_object(store.conn(), "sync_job", &id.to_string(), 5).unwrap();
        let actions: Vec<&str> = recs.iter().map(|r| r.entry.action.as_str()).collect();
        assert_eq!(actions, ["job.finish", "job.start"]);
        assert!(audit::verify(store.conn(), None).unwrap().broken.is_none());
    }

    #[test]
    fn cancel_marks_the_row_cancelled_and_releases_the_lease() {
        let (_dir, path) = db();
        let flag = Arc::new(AtomicBool::new(false));
        let job = Box::new(Counter {
            n: 10,
            panic_at: None,
            cancel_at: Some((4, Arc::clone(&flag))),
        });
        let events = run_collect(job, &request(&path), &flag);
        let Some(JobEvent::Finished {
            job_id: Some(id),
            end,
            progress,
            ..
        }) = events.last()
        else {
            panic!("{events:?}")
        };
        assert_eq!(end, &JobEnd::Cancelled);
        assert_eq!(
            progress.done, 4,
            "stops after the batch it was cancelled in"
        );
        let store = Store::open(&path).unwrap();
        let row = jobs::job(store.conn(), *id).unwrap().unwrap();
        assert_eq!(row.status, "cancelled");
        assert_eq!(jobs::cursor(store.conn(), *id).unwrap(), "4");
        assert!(jobs::leases(store.conn()).unwrap().is_empty());
    }

    #[test]
    fn a_panic_fails_the_run_and_still_releases_the_lease() {
        let (_dir, path) = db();
        let job = Box::new(Counter {
            n: 10,
            panic_at: Some(3),
            cancel_at: None,
        });
        let events = run_collect(job, &request(&path), &AtomicBool::new(false));
        let Some(JobEvent::Finished {
            job_id: Some(id),
            end: JobEnd::Failed { message },
            ..
        }) = events.last()
        else {
            panic!("{events:?}")
        };
        assert!(message.contains("boom at 3"), "{message}");
        let store = Store::open(&path).unwrap();
        assert_eq!(
            jobs::job(store.conn(), *id).unwrap().unwrap().status,
            "failed"
        );
        assert!(jobs::leases(store.conn()).unwrap().is_empty());
    }

    #[test]
    fn a_held_lease_refuses_and_an_expired_one_is_taken_over() {
        let (_dir, path) = db();
        let mut store = Store::open(&path).unwrap();
        let now = chrono::Utc::now();
        let kind = JobKind::IntegrityCheck.code();
        // Another process holds the lease for another minute.
        let Acquired::Started { job_id: other, .. } = store
            .write(|tx| {
                jobs::acquire(
                    tx,
                    kind,
                    "host:1:k002",
                    "k002",
                    now,
                    chrono::Duration::seconds(60),
                    "",
                )
            })
            .unwrap()
        else {
            panic!("lease should be free")
        };
        store
            .write(|tx| jobs::record_progress(tx, other, 5, 10, "5"))
            .unwrap();
        let events = run_collect(counter(2), &request(&path), &AtomicBool::new(false));
        assert!(
            matches!(events.as_slice(), [JobEvent::Finished { job_id: None, end: JobEnd::Busy { holder, .. }, .. }] if holder == "host:1:k002"),
            "{events:?}"
        );
        assert_eq!(
            jobs::job(store.conn(), other).unwrap().unwrap().status,
            "running"
        );
        // That process died: its lease ran out a minute ago.
        store
            .write(|tx| {
                Ok(tx.execute(
                    "UPDATE job_lease SET expires_at = ?1",
                    [(now - chrono::Duration::seconds(60)).to_rfc3339()],
                )?)
            })
            .unwrap();
        let events = run_collect(counter(2), &request(&path), &AtomicBool::new(false));
        assert!(
            matches!(events.first(), Some(JobEvent::Started { took_over: Some(o), .. }) if *o == other),
            "{events:?}"
        );
        assert!(matches!(
            events.last(),
            Some(JobEvent::Finished {
                end: JobEnd::Succeeded { .. },
                ..
            })
        ));
        let old = jobs::job(store.conn(), other).unwrap().unwrap();
        assert_eq!(old.status, "abandoned");
        assert!(old.finished_at.is_some());
        assert!(jobs::leases(store.conn()).unwrap().is_empty());
    }

    #[test]
    fn a_run_that_lost_its_lease_stops_and_leaves_the_new_holder_alone() {
        let (_dir, path) = db();
        let mut req = request(&path);
        req.settings.heartbeat_every = Duration::ZERO;
        struct Thief;
        impl Job for Thief {
            fn kind(&self) -> JobKind {
                JobKind::IntegrityCheck
            }
            fn run(&mut self, ctx: &mut JobContext<'_>) -> Result<String, JobError> {
                // Another process took the lease over (this one stalled past its expiry).
                let path = ctx.db_path().to_path_buf();
                let mut other = Store::open(&path)?;
                other.write(|tx| {
                    Ok(tx.execute(
                        "UPDATE job_lease SET holder = 'host:2:k002', job_id = job_id + 100",
                        [],
                    )?)
                })?;
                ctx.batch_done(1, "1")?;
                Ok("should not get here".into())
            }
        }
        let events = run_collect(Box::new(Thief), &req, &AtomicBool::new(false));
        assert!(
            matches!(events.last(), Some(JobEvent::Finished { end: JobEnd::Failed { message }, .. }) if message.contains("lease expired")),
            "{events:?}"
        );
        let store = Store::open(&path).unwrap();
        let leases = jobs::leases(store.conn()).unwrap();
        assert_eq!(leases.len(), 1, "the new holder's lease stays");
        assert_eq!(leases[0].holder, "host:2:k002");
    }

    #[test]
    fn progress_events_are_throttled_and_only_sent_on_change() {
        let (_dir, path) = db();
        let mut req = request(&path);
        req.settings.batch_delay = Duration::from_millis(2);
        let started = Instant::now();
        let mut stamped = Vec::new();
        run(counter(300), &req, &AtomicBool::new(false), &mut |e| {
            if let JobEvent::Progress { progress, .. } = e {
                stamped.push((started.elapsed(), progress));
            }
        });
        let took = started.elapsed();
        assert!(stamped.len() >= 2, "{stamped:?}");
        // At most 10 a second (+1 for the first one), never the same value twice.
        let allowed = took.as_millis() / 100 + 1;
        assert!(
            stamped.len() as u128 <= allowed,
            "{} events in {took:?}",
            stamped.len()
        );
        for pair in stamped.windows(2) {
            assert_ne!(pair[0].1, pair[1].1);
            assert!(
                pair[1].0 - pair[0].0 >= Duration::from_millis(100),
                "{pair:?}"
            );
        }
    }

    #[test]
    fn maintenance_checks_are_open_to_a_viewer() {
        // Maintenance checks are open to every role; nothing else is defined yet.
        let (_dir, path) = db();
        let mut req = request(&path);
        req.actor.role = Role::Viewer;
        let events = run_collect(counter(1), &req, &AtomicBool::new(false));
        assert!(matches!(
            events.last(),
            Some(JobEvent::Finished {
                end: JobEnd::Succeeded { .. },
                ..
            })
        ));
    }
}
