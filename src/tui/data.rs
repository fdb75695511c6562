//! The data worker: the UI's only way to the database.
//!
//! Screens send [`Request`]s and receive [`Reply`]s as messages; they never see SQL.
//! The worker owns its own `Store` connection on its own thread, so a slow query (a
//! short-term LIKE scan over 100k rows) never blocks drawing. A burst of requests is
//! coalesced — the latest list query wins — and every 500 ms without work it checks
//! `PRAGMA data_version` to tell the UI that another daicho process committed.

use super::msg::Msg;
use crate::domain::designation::CalendarRules;
use crate::domain::model::{
    ApplicationRow, ConsentRow, Corporation, CouncilMeeting, CouncilMember, Designation, Facility,
    FacilityFields, FacilityRow, ServiceType, StaffMember,
};
use crate::domain::permission::Actor;
use crate::domain::validate::FieldError;
use crate::jobs::formats::{csv_out::CsvEncoding, ledger_csv};
use crate::service::{self, ServiceError};
use crate::store::facilities::{self, Cursor, Direction, ListQuery};
use crate::store::{Store, audit, cases, checklist, dashboard, jobs, reference};
use chrono::NaiveDate;
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::time::Duration;

/// How a fetched page joins the rows already on screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageMerge {
    Replace,
    Append,
    Prepend,
}

#[derive(Debug, Clone)]
pub enum Request {
    LedgerPage {
        generation: u64,
        query: ListQuery,
        from: Option<Cursor>,
        dir: Direction,
        limit: usize,
        merge: PageMerge,
    },
    LedgerCount {
        generation: u64,
        query: ListQuery,
    },
    FacilityDetail {
        id: i64,
    },
    SaveFacility {
        id: i64,
        version: i64,
        fields: FacilityFields,
    },
    DueCounts,
    Applications,
    Consents,
    Checklist,
    Jobs,
    ExportLedger {
        query: ListQuery,
        path: PathBuf,
        encoding: CsvEncoding,
    },
    /// Show an object's personal data for a while; the reason is logged.
    Reveal {
        object_type: String,
        object_id: String,
        reason: String,
        minutes: i64,
    },
    /// Unlock an idle-locked session with the staff password.
    Unlock {
        password: String,
    },
    /// Move an application through its workflow.
    Transition {
        id: i64,
        version: i64,
        to: crate::domain::application::ApplicationStatus,
        reason: String,
    },
}

impl Request {
    /// Requests with the same key replace each other when they queue up.
    fn coalesce_key(&self) -> Option<&'static str> {
        match self {
            Request::LedgerPage {
                merge: PageMerge::Replace,
                ..
            } => Some("ledger.page"),
            Request::LedgerCount { .. } => Some("ledger.count"),
            Request::FacilityDetail { .. } => Some("detail"),
            Request::DueCounts => Some("due"),
            Request::Applications => Some("applications"),
            Request::Consents => Some("consents"),
            Request::Checklist => Some("checklist"),
            Request::Jobs => Some("jobs"),
            _ => None,
        }
    }
}

/// Everything the detail view shows about one facility.
#[derive(Debug, Clone)]
pub struct FacilityDetail {
    pub facility: Facility,
    /// The summary the list shows (next expiry, next meeting due).
    pub summary: Option<FacilityRow>,
    pub corporation: Option<Corporation>,
    pub designations: Vec<Designation>,
    pub staff: Vec<StaffMember>,
    pub council_members: Vec<CouncilMember>,
    pub meetings: Vec<CouncilMeeting>,
    pub history: Vec<audit::Record>,
    pub applications: Vec<ApplicationRow>,
    pub consents: Vec<ConsentRow>,
}

#[derive(Debug, Clone)]
pub enum Reply {
    LedgerPage {
        generation: u64,
        merge: PageMerge,
        rows: Vec<(Cursor, FacilityRow)>,
        limit: usize,
    },
    LedgerCount {
        generation: u64,
        count: usize,
    },
    FacilityDetail(Box<FacilityDetail>),
    /// Saved; `warning` when the change committed but a follow-up (the audit anchor
    /// file) failed.
    Saved {
        facility: Box<Facility>,
        warning: Option<String>,
    },
    SaveInvalid(Vec<FieldError>),
    SaveConflict(Box<Facility>),
    SaveRefused {
        ja: String,
        en: String,
    },
    DueCounts(dashboard::DueCounts),
    Applications(Vec<ApplicationRow>),
    Consents(Vec<ConsentRow>),
    Checklist(Vec<checklist::ConnectionStatus>),
    Jobs(Vec<jobs::JobRow>),
    Exported {
        path: PathBuf,
        rows: usize,
        unmappable: usize,
    },
    Revealed {
        object_type: String,
        object_id: String,
        expires_at: chrono::DateTime<chrono::Utc>,
    },
    Unlocked,
    UnlockFailed(String),
    Transitioned(Box<ApplicationRow>),
    TransitionConflict(Box<ApplicationRow>),
    Failed {
        what: &'static str,
        message: String,
    },
}

/// What the worker needs besides the store.
pub struct DataContext {
    pub store: Store,
    pub actor: Actor,
    pub today: NaiveDate,
    pub rules: CalendarRules,
}

/// The inbox and consent lists load this many cases (open ones first, by due date);
/// the status line says so when a list is cut there.
pub const CASE_LIST_CAP: usize = 5_000;

/// Largest count the header and list show exactly; above it, "10,000+".
pub const COUNT_CAP: usize = 1_000_000;

pub fn service_types(ctx: &DataContext) -> Vec<ServiceType> {
    reference::service_types(ctx.store.conn()).unwrap_or_default()
}

/// Re-reads the user's role and disabled flag before a write: an admin's
/// `daicho user role/disable` takes effect on the next action, not at the next login.
fn refresh_actor(ctx: &mut DataContext) -> Option<Reply> {
    match crate::store::users::get(ctx.store.conn(), &ctx.actor.staff_id) {
        Ok(Some(user)) if !user.disabled => {
            ctx.actor.role = user.role;
            None
        }
        Ok(Some(_)) => Some(Reply::SaveRefused {
            ja: "このアカウントは無効化されました".into(),
            en: "this account has been disabled".into(),
        }),
        Ok(None) => Some(Reply::SaveRefused {
            ja: "職員IDが登録されていません".into(),
            en: "unknown staff id".into(),
        }),
        Err(e) => Some(Reply::Failed {
            what: "account",
            message: e.to_string(),
        }),
    }
}

/// Answers one request. Pure over the store: tests call it directly, without threads.
pub fn handle(ctx: &mut DataContext, req: Request) -> Reply {
    let writes = matches!(
        req,
        Request::SaveFacility { .. } | Request::Reveal { .. } | Request::Transition { .. }
    );
    if writes && let Some(refused) = refresh_actor(ctx) {
        return refused;
    }
    let failed = |what: &'static str, e: &dyn std::fmt::Display| Reply::Failed {
        what,
        message: e.to_string(),
    };
    match req {
        Request::LedgerPage {
            generation,
            query,
            from,
            dir,
            limit,
            merge,
        } => match facilities::page(ctx.store.conn(), &query, from.as_ref(), dir, limit) {
            Ok(rows) => Reply::LedgerPage {
                generation,
                merge,
                rows,
                limit,
            },
            Err(e) => failed("ledger", &e),
        },
        Request::LedgerCount { generation, query } => {
            match facilities::count(ctx.store.conn(), &query, COUNT_CAP) {
                Ok(count) => Reply::LedgerCount { generation, count },
                Err(e) => failed("ledger", &e),
            }
        }
        Request::FacilityDetail { id } => match facility_detail(ctx, id) {
            Ok(d) => Reply::FacilityDetail(Box::new(d)),
            Err(e) => failed("detail", &e),
        },
        Request::SaveFacility {
            id,
            version,
            fields,
        } => {
            match service::ledger::update_facility(&mut ctx.store, &ctx.actor, id, version, &fields)
            {
                Ok(Ok(f)) => Reply::Saved {
                    facility: Box::new(f),
                    warning: None,
                },
                Err(ServiceError::Anchor { path, source }) => {
                    match facilities::get(ctx.store.conn(), id) {
                        Ok(Some(f)) => Reply::Saved {
                            facility: Box::new(f),
                            warning: Some(format!("audit anchor {path}: {source}")),
                        },
                        _ => failed("save", &format!("audit anchor {path}: {source}")),
                    }
                }
                Ok(Err(conflict)) => Reply::SaveConflict(Box::new(conflict.current)),
                Err(ServiceError::Invalid(errs)) => Reply::SaveInvalid(errs),
                Err(ServiceError::Denied(d)) => Reply::SaveRefused { ja: d.ja, en: d.en },
                Err(e) => failed("save", &e),
            }
        }
        Request::DueCounts => {
            match dashboard::due_counts(
                ctx.store.conn(),
                ctx.today,
                ctx.rules.expiring_alert_months,
            ) {
                Ok(c) => Reply::DueCounts(c),
                Err(e) => failed("counts", &e),
            }
        }
        Request::Applications => match cases::applications(ctx.store.conn(), true, CASE_LIST_CAP) {
            Ok(rows) => Reply::Applications(rows),
            Err(e) => failed("inbox", &e),
        },
        Request::Consents => match cases::consents(ctx.store.conn(), CASE_LIST_CAP) {
            Ok(rows) => Reply::Consents(rows),
            Err(e) => failed("consent", &e),
        },
        Request::Checklist => match checklist::status(ctx.store.conn()) {
            Ok(rows) => Reply::Checklist(rows),
            Err(e) => failed("checklist", &e),
        },
        Request::Jobs => match jobs::recent_jobs(ctx.store.conn(), 200) {
            Ok(rows) => Reply::Jobs(rows),
            Err(e) => failed("jobs", &e),
        },
        Request::Reveal {
            object_type,
            object_id,
            reason,
            minutes,
        } => {
            match service::privacy::reveal(
                &mut ctx.store,
                &ctx.actor,
                &object_type,
                &object_id,
                &reason,
                minutes,
            ) {
                Ok(grant) => Reply::Revealed {
                    expires_at: chrono::DateTime::parse_from_rfc3339(&grant.expires_at)
                        .map(|t| t.with_timezone(&chrono::Utc))
                        .unwrap_or_else(|_| chrono::Utc::now()),
                    object_type,
                    object_id,
                },
                Err(ServiceError::Invalid(errs)) => Reply::Failed {
                    what: "reveal",
                    message: errs
                        .iter()
                        .map(|e| format!("{} / {}", e.ja, e.en))
                        .collect::<Vec<_>>()
                        .join("; "),
                },
                Err(ServiceError::Denied(d)) => Reply::SaveRefused { ja: d.ja, en: d.en },
                Err(e) => failed("reveal", &e),
            }
        }
        Request::Transition {
            id,
            version,
            to,
            reason,
        } => {
            match service::applications::transition(
                &mut ctx.store,
                &ctx.actor,
                id,
                version,
                to,
                &reason,
            ) {
                Ok(Ok(row)) => Reply::Transitioned(Box::new(row)),
                Ok(Err(conflict)) => Reply::TransitionConflict(Box::new(conflict.current)),
                Err(ServiceError::Denied(d)) => Reply::SaveRefused { ja: d.ja, en: d.en },
                Err(ServiceError::Anchor { .. }) => {
                    match cases::application(ctx.store.conn(), id) {
                        Ok(Some(row)) => Reply::Transitioned(Box::new(row)),
                        _ => failed("inbox", &"audit anchor not written"),
                    }
                }
                Err(e) => failed("inbox", &e),
            }
        }
        Request::Unlock { password } => {
            match service::session::verify_password(&mut ctx.store, &ctx.actor.staff_id, &password)
            {
                Ok(_) => Reply::Unlocked,
                Err(e) => Reply::UnlockFailed(e.to_string()),
            }
        }
        Request::ExportLedger {
            query,
            path,
            encoding,
        } => match export(ctx, &query, &path, encoding) {
            Ok((rows, unmappable)) => Reply::Exported {
                path,
                rows,
                unmappable,
            },
            Err(e) => failed("export", &e),
        },
    }
}

fn facility_detail(ctx: &DataContext, id: i64) -> crate::store::Result<FacilityDetail> {
    let conn = ctx.store.conn();
    let facility = facilities::get(conn, id)?
        .ok_or_else(|| crate::store::StoreError::NotFound(format!("facility {id}")))?;
    let corporation = match facility.corporation_id {
        Some(cid) => cases::corporation(conn, cid)?,
        None => None,
    };
    Ok(FacilityDetail {
        designations: facilities::designations(conn, id)?,
        staff: facilities::staff(conn, id)?,
        council_members: facilities::council_members(conn, id)?,
        meetings: facilities::meetings(conn, id)?,
        history: audit::for_object(conn, "facility", &id.to_string(), 100)?,
        applications: cases::applications_for_facility(conn, id)?,
        consents: cases::consents_for_facility(conn, id)?,
        summary: facilities::row(conn, id)?,
        corporation,
        facility,
    })
}

/// The filtered ledger as CSV, written atomically with mode 0600.
fn export(
    ctx: &DataContext,
    q: &ListQuery,
    path: &std::path::Path,
    encoding: CsvEncoding,
) -> crate::store::Result<(usize, usize)> {
    crate::jobs::formats::private_file::write_atomically(path, |out| {
        ledger_csv::write(ctx.store.conn(), q, out, encoding)
    })
}

/// Drops queued requests that a later request of the same kind replaces.
pub fn coalesce(batch: Vec<Request>) -> Vec<Request> {
    let mut out: Vec<Request> = Vec::with_capacity(batch.len());
    for req in batch {
        if let Some(key) = req.coalesce_key() {
            out.retain(|r| r.coalesce_key() != Some(key));
        }
        out.push(req);
    }
    out
}

pub const CHANGE_POLL: Duration = Duration::from_millis(500);

/// The worker loop; returns when the UI drops its sender.
pub fn run(mut ctx: DataContext, requests: Receiver<Request>, to_ui: Sender<Msg>) {
    let mut seen_version = ctx.store.data_version().unwrap_or(0);
    loop {
        match requests.recv_timeout(CHANGE_POLL) {
            Ok(first) => {
                let mut batch = vec![first];
                batch.extend(requests.try_iter());
                for req in coalesce(batch) {
                    if to_ui.send(Msg::Data(handle(&mut ctx, req))).is_err() {
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
                    if to_ui.send(Msg::DbChanged).is_err() {
                        return;
                    }
                }
            }
            Err(RecvTimeoutError::Disconnected) => return,
        }
    }
}
