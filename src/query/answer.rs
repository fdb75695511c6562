//! Answering one request: reads through the store's read methods, writes through the
//! service layer. No threads here — the worker and the test harness both call it.

use super::reply::Reply;
use super::request::Request;
use super::{CASE_LIST_CAP, COUNT_CAP, DataContext, QUARANTINE_CAP};
use crate::domain::model::ApplicationRow;
use crate::domain::view::ListQuery;
use crate::jobs::formats::{csv_out::CsvEncoding, ledger_csv};
use crate::service::{self, ServiceError};
use crate::store::{StoreError, is_interrupted};
use std::path::PathBuf;

/// Re-reads the user's role and disabled flag before a write: an admin's
/// `daicho user role/disable` takes effect on the next action, not at the next login.
pub(super) fn refresh_actor(ctx: &mut DataContext) -> Option<Reply> {
    match ctx.store.user(&ctx.actor.staff_id) {
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
    answer(ctx, req).unwrap_or_else(|| Reply::Failed {
        what: "query",
        message: "interrupted".into(),
    })
}

/// [`handle`], or `None` when the read was interrupted (its reply is dropped).
pub(crate) fn answer(ctx: &mut DataContext, req: Request) -> Option<Reply> {
    if super::consent::is_consent(&req) {
        return super::consent::answer(ctx, req);
    }
    if super::opendata::is_opendata(&req) {
        return super::opendata::answer(ctx, req);
    }
    let writes = matches!(
        req,
        Request::SaveFacility { .. }
            | Request::Reveal { .. }
            | Request::Transition { .. }
            | Request::RecordMeeting { .. }
            | Request::AssignCase { .. }
            | Request::SavePerson(_)
            | Request::UpdateMeeting { .. }
    ) || matches!(&req, Request::ChecklistAudit(a) if a.is_write());
    if writes && let Some(refused) = refresh_actor(ctx) {
        return Some(refused);
    }
    let failed = |what: &'static str, e: &dyn std::fmt::Display| Reply::Failed {
        what,
        message: e.to_string(),
    };
    // A read stopped by a newer request: nobody waits for its answer.
    let read_failed = |what: &'static str, e: &StoreError| {
        if is_interrupted(e) {
            None
        } else {
            Some(failed(what, e))
        }
    };
    let reply = match req {
        Request::InboxPage { .. }
        | Request::CaseDetail { .. }
        | Request::AssignCase { .. }
        | Request::ExportInbox { .. } => {
            return super::inbox::answer(ctx, req);
        }
        Request::Overview => return super::overview::answer(ctx),
        Request::InboxWork(ask) => return super::inbox::answer_ask(ctx, ask),
        Request::LedgerPage {
            generation,
            query,
            from,
            dir,
            limit,
            merge,
        } => match ctx.store.ledger_page(&query, from.as_ref(), dir, limit) {
            Ok(rows) => Reply::LedgerPage {
                generation,
                merge,
                rows,
                limit,
            },
            Err(e) => return read_failed("ledger", &e),
        },
        Request::LedgerCount { generation, query } => {
            match ctx.store.ledger_count(&query, COUNT_CAP) {
                Ok(count) => Reply::LedgerCount { generation, count },
                Err(e) => return read_failed("ledger", &e),
            }
        }
        Request::FacilityDetail { id } => match ctx.store.facility_detail(id) {
            Ok(d) => Reply::FacilityDetail(Box::new(d)),
            Err(e) => return read_failed("detail", &e),
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
                Err(ServiceError::Anchor { path, source }) => match ctx.store.facility(id) {
                    Ok(Some(f)) => Reply::Saved {
                        facility: Box::new(f),
                        warning: Some(format!("audit anchor {path}: {source}")),
                    },
                    _ => failed("save", &format!("audit anchor {path}: {source}")),
                },
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
        Request::Account => match ctx.store.user(&ctx.actor.staff_id) {
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
            Err(e) => return read_failed("account", &e),
        },
        Request::DueCounts => {
            match ctx
                .store
                .due_counts(ctx.today, ctx.rules.expiring_alert_months)
            {
                Ok(c) => Reply::DueCounts(c),
                Err(e) => return read_failed("counts", &e),
            }
        }
        Request::Applications => match ctx.store.applications(true, CASE_LIST_CAP) {
            Ok(rows) => Reply::Applications(rows),
            Err(e) => return read_failed("inbox", &e),
        },
        Request::Consents => match ctx.store.consents(CASE_LIST_CAP) {
            Ok(rows) => Reply::Consents(rows),
            Err(e) => return read_failed("consent", &e),
        },
        Request::Checklist => match ctx.store.checklist_status() {
            Ok(rows) => Reply::Checklist(rows),
            Err(e) => return read_failed("checklist", &e),
        },
        Request::Jobs => match ctx.store.recent_jobs(200) {
            Ok(rows) => Reply::Jobs(rows),
            Err(e) => return read_failed("jobs", &e),
        },
        Request::Quarantine { job } => {
            match crate::store::sync::quarantine_entries(ctx.store.conn(), job, QUARANTINE_CAP) {
                Ok(rows) => Reply::Quarantine { job, rows },
                Err(e) => return read_failed("quarantine", &e),
            }
        }
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
                Err(ServiceError::Transition(t)) => match ctx.store.application(id) {
                    Ok(Some(now)) if now.version != version => transition_conflict(ctx, now),
                    _ => transition_refused(&t),
                },
                Err(ServiceError::Denied(d)) => Reply::SaveRefused { ja: d.ja, en: d.en },
                Err(ServiceError::Anchor { .. }) => match ctx.store.application(id) {
                    Ok(Some(row)) => Reply::Transitioned(Box::new(row)),
                    _ => failed("inbox", &"audit anchor not written"),
                },
                Err(e) => failed("inbox", &e),
            }
        }
        Request::Unlock { password } => {
            match service::session::verify_password(&mut ctx.store, &ctx.actor.staff_id, &password)
            {
                Ok(_) => Reply::Unlocked,
                Err(e) => unlock_failed(&e),
            }
        }
        Request::ChecklistAudit(ask) => match super::checklist::answer(ctx, ask)? {
            Ok(a) => Reply::ChecklistAudit(a),
            Err(message) => failed("checklist", &message),
        },
        Request::ConsentQueue { .. }
        | Request::ConsentPriors
        | Request::ConsentCase { .. }
        | Request::ConsentTransition { .. }
        | Request::ConsentWrite(_) => return None,
        Request::OpenDataFindings
        | Request::OpenDataDecide { .. }
        | Request::SetCapacity { .. } => return None,
        Request::ExportLedger {
            query,
            path,
            encoding,
            overwrite,
        } => {
            if !overwrite && path.exists() {
                return Some(Reply::ExportExists {
                    query: Box::new(query),
                    path,
                    encoding,
                });
            }
            let result = export(ctx, &query, &path, encoding);
            super::export_file::reply(path, result)
        }
        Request::FacilityUpkeep { id } => match super::upkeep::read(ctx, id) {
            Ok(u) => Reply::FacilityUpkeep(Box::new(u)),
            Err(e) => return read_failed("detail", &e),
        },
        Request::RecordMeeting {
            facility_id,
            fields,
        } => super::upkeep::record_meeting(ctx, facility_id, &fields),
        Request::SavePerson(w) => super::upkeep::save_person(ctx, &w),
        Request::GuidancePlan { fiscal_year } => {
            match crate::store::guidance::year_plan(ctx.store.conn(), fiscal_year, ctx.today) {
                Ok(p) => Reply::GuidancePlan(Box::new(p)),
                Err(e) => return read_failed("ledger", &e),
            }
        }
        Request::UpdateMeeting {
            facility_id,
            id,
            version,
            fields,
        } => super::upkeep::update_meeting(ctx, facility_id, id, version, &fields),
    };
    Some(reply)
}

pub(super) fn transition_conflict(ctx: &DataContext, row: ApplicationRow) -> Reply {
    let last = ctx
        .store
        .audit_for_object("application", &row.id.to_string(), 1)
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

/// The filtered ledger as CSV, written atomically with mode 0600. A missing folder is
/// created 0700; a file being replaced (the user said yes) is kept as `<path>.bak`.
fn export(
    ctx: &DataContext,
    q: &ListQuery,
    path: &std::path::Path,
    encoding: CsvEncoding,
) -> crate::store::Result<(super::export_file::Written, Option<PathBuf>)> {
    super::export_file::write(path, |out| {
        ledger_csv::write(ctx.store.conn(), q, out, encoding)
    })
}
