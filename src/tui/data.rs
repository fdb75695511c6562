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
        /// The user said yes to replacing an existing file (kept as `<path>.bak`).
        overwrite: bool,
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
    /// The date rolled over: count deadlines from this day; answers with the counts.
    Today(NaiveDate),
    /// Re-read the signed-in user's role and disabled flag (an admin may have changed
    /// them since sign-in), so the header and command enablement follow.
    Account,
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
            Request::Account => Some("account"),
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
    /// The signed-in user's current role and whether the account is disabled.
    Account {
        role: crate::domain::permission::Role,
        disabled: bool,
    },
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
    /// Nothing was written (database busy, disk full…); the form stays as typed.
    SaveFailed {
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
        /// Where the replaced file was kept.
        backup: Option<PathBuf>,
    },
    /// The file is there already; nothing written. The UI asks before replacing it.
    ExportExists {
        query: Box<ListQuery>,
        path: PathBuf,
        encoding: CsvEncoding,
    },
    Revealed {
        object_type: String,
        object_id: String,
        expires_at: chrono::DateTime<chrono::Utc>,
    },
    Unlocked,
    UnlockFailed {
        ja: String,
        en: String,
    },
    Transitioned(Box<ApplicationRow>),
    /// Someone moved the application first: it as stored now, and who did it when
    /// (from the audit log; local time).
    TransitionConflict {
        row: Box<ApplicationRow>,
        by: Option<String>,
        at: Option<String>,
    },
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
                Err(e) => save_failed(&e),
            }
        }
        Request::Today(day) => {
            ctx.today = day;
            handle(ctx, Request::DueCounts)
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
                Err(e @ ServiceError::Invalid(_)) => Reply::SaveRefused {
                    ja: e.message(true),
                    en: e.message(false),
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
                Ok(Err(conflict)) => transition_conflict(ctx, conflict.current),
                // Refused because the case moved on since this list was read: that is
                // someone else's change, not a wrong step by this user.
                Err(ServiceError::Transition(t)) => {
                    match cases::application(ctx.store.conn(), id) {
                        Ok(Some(now)) if now.version != version => transition_conflict(ctx, now),
                        _ => transition_refused(&t),
                    }
                }
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
        Request::Account => match crate::store::users::get(ctx.store.conn(), &ctx.actor.staff_id) {
            Ok(Some(user)) => {
                ctx.actor.role = user.role;
                Reply::Account {
                    role: user.role,
                    disabled: user.disabled,
                }
            }
            // Not a registered user (the demo's built-in one): nothing to follow.
            Ok(None) => Reply::Account {
                role: ctx.actor.role,
                disabled: false,
            },
            Err(e) => failed("account", &e),
        },
        Request::Unlock { password } => {
            match service::session::verify_password(&mut ctx.store, &ctx.actor.staff_id, &password)
            {
                Ok(_) => Reply::Unlocked,
                Err(e) => unlock_failed(&e),
            }
        }
        Request::ExportLedger {
            query,
            path,
            encoding,
            overwrite,
        } => {
            if !overwrite && path.exists() {
                return Reply::ExportExists {
                    query: Box::new(query),
                    path,
                    encoding,
                };
            }
            match export(ctx, &query, &path, encoding) {
                Ok(((rows, unmappable), backup)) => Reply::Exported {
                    path,
                    rows,
                    unmappable,
                    backup,
                },
                Err(e) => Reply::Failed {
                    what: "export",
                    message: format!("{}: {e}", path.display()),
                },
            }
        }
    }
}

fn transition_conflict(ctx: &DataContext, row: ApplicationRow) -> Reply {
    let last = audit::for_object(ctx.store.conn(), "application", &row.id.to_string(), 1)
        .ok()
        .and_then(|mut v| (!v.is_empty()).then(|| v.remove(0)));
    let at = last.as_ref().map(|r| {
        chrono::DateTime::parse_from_rfc3339(&r.at)
            .map(|t| {
                t.with_timezone(&chrono::Local)
                    .format("%m/%d %H:%M")
                    .to_string()
            })
            .unwrap_or_else(|_| r.at.clone())
    });
    Reply::TransitionConflict {
        row: Box::new(row),
        by: last.map(|r| r.entry.actor),
        at,
    }
}

/// A workflow step the rules refuse, in both languages, without prefixes.
fn transition_refused(t: &crate::domain::application::TransitionError) -> Reply {
    use crate::domain::application::TransitionError as T;
    match t {
        T::NotAllowed { from, to } => Reply::SaveRefused {
            ja: format!(
                "「{}」の申請は「{}」にできません",
                from.label_ja(),
                to.label_ja()
            ),
            en: format!(
                "an application that is {} cannot become {}",
                from.label_en(),
                to.label_en()
            ),
        },
        T::ReasonRequired { to } => Reply::SaveRefused {
            ja: format!("{}の理由を入力してください", to.label_ja()),
            en: format!("enter the reason for {}", to.label_en()),
        },
    }
}

/// Why the lock screen's password was refused: the service's one wording, as at the
/// start prompt (tries left before the account locks).
fn unlock_failed(e: &service::session::LoginError) -> Reply {
    use crate::i18n::Lang;
    Reply::UnlockFailed {
        ja: e.message(Lang::Ja),
        en: e.message(Lang::En),
    }
}

/// A save that did not happen: why, and that the input is kept for another C-s.
fn save_failed(e: &ServiceError) -> Reply {
    let busy = matches!(
        e,
        ServiceError::Store(crate::store::StoreError::Sqlite(rusqlite::Error::SqliteFailure(f, _)))
            if matches!(f.code, rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    );
    if busy {
        return Reply::SaveFailed {
            ja: "保存できませんでした。データベースを他の処理が使用中です。入力はそのままなので、少し待って C-s で保存し直してください".into(),
            en: "Not saved: another process is using the database. Your input is kept; wait a moment and press C-s again".into(),
        };
    }
    Reply::SaveFailed {
        ja: format!(
            "保存できませんでした（{e}）。入力はそのままなので、原因を解消して C-s で保存し直してください"
        ),
        en: format!("Not saved ({e}). Your input is kept; fix the cause and press C-s again"),
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

/// The filtered ledger as CSV, written atomically with mode 0600. A missing folder is
/// created 0700; a file being replaced (the user said yes) is kept as `<path>.bak`.
fn export(
    ctx: &DataContext,
    q: &ListQuery,
    path: &std::path::Path,
    encoding: CsvEncoding,
) -> crate::store::Result<((usize, usize), Option<PathBuf>)> {
    use std::os::unix::fs::DirBuilderExt;
    if let Some(dir) = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty() && !d.exists())
    {
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)?;
    }
    let backup = if path.exists() {
        let mut b = path.as_os_str().to_owned();
        b.push(".bak");
        let b = PathBuf::from(b);
        std::fs::copy(path, &b)?;
        Some(b)
    } else {
        None
    };
    let written = crate::jobs::formats::private_file::write_atomically(path, |out| {
        ledger_csv::write(ctx.store.conn(), q, out, encoding)
    })?;
    Ok((written, backup))
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
