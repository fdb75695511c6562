//! The consent queue's requests (issue 15): the queue per tab with names masked unless
//! revealed, the 事前同意 registry, one case with its linked application's gate, and the
//! workflow step. Reads go through `store::consents`, writes through `service::consents`.

pub mod write;

use super::reply::Reply;
use super::request::Request;
use super::{DataContext, answer::refresh_actor};
use crate::domain::consent::{ConsentStatus, Direction};
use crate::domain::consent_view::{ConsentCounts, ConsentListRow, ConsentView};
use crate::service::{self, ServiceError};
use crate::store::{consents as cs, is_interrupted};

/// One case as the case view shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsentCase {
    /// The insured person masked unless revealed to this user.
    pub view: ConsentView,
    /// Whether the linked application may be decided now, or why not (ja, en); `None`
    /// without a linked application.
    pub gate: Option<Result<(), Vec<(String, String)>>>,
    /// What a reviewer checks before answering an incoming request (ja, en).
    pub checks: Vec<(String, String)>,
    /// Incoming: the ward facility's designation for the service asked, `Some(None)`
    /// when it holds none: (designated on, expires on, status code).
    pub designation: Option<Option<(chrono::NaiveDate, chrono::NaiveDate, String)>>,
}

/// One tab of the queue: the rows for `filter` and the counts of both directions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsentQueue {
    pub filter: crate::domain::consent_view::ConsentFilter,
    pub rows: Vec<ConsentListRow>,
    pub outgoing: ConsentCounts,
    pub incoming: ConsentCounts,
}

/// Whether `req` is one of the consent queue's.
pub fn is_consent(req: &Request) -> bool {
    matches!(
        req,
        Request::ConsentQueue { .. }
            | Request::ConsentPriors
            | Request::ConsentCase { .. }
            | Request::ConsentTransition { .. }
            | Request::ConsentWrite(_)
    )
}

/// Answers a consent request; `None` when the read was interrupted.
pub fn answer(ctx: &mut DataContext, req: Request) -> Option<Reply> {
    let failed = |e: &dyn std::fmt::Display| Reply::Failed {
        what: "consent",
        message: e.to_string(),
    };
    let reply = match req {
        Request::ConsentQueue { filter } => match queue(ctx, &filter) {
            Ok((rows, outgoing, incoming)) => Reply::ConsentQueue(Box::new(ConsentQueue {
                filter,
                rows,
                outgoing,
                incoming,
            })),
            Err(e) if is_interrupted(&e) => return None,
            Err(e) => failed(&e),
        },
        Request::ConsentPriors => match cs::prior_consents(ctx.store.conn(), None) {
            Ok(rows) => Reply::ConsentPriors(rows),
            Err(e) if is_interrupted(&e) => return None,
            Err(e) => failed(&e),
        },
        Request::ConsentCase { id } => match case(ctx, id) {
            Ok(Some(c)) => Reply::ConsentCase(Box::new(c)),
            Ok(None) => failed(&format!("#{id}")),
            Err(e) => failed(&e),
        },
        Request::ConsentTransition {
            id,
            version,
            to,
            reason,
        } => {
            if let Some(refused) = refresh_actor(ctx) {
                return Some(refused);
            }
            transition(ctx, id, version, to, &reason)
        }
        Request::ConsentWrite(w) => {
            if let Some(refused) = refresh_actor(ctx) {
                return Some(refused);
            }
            write::answer(ctx, w)
        }
        _ => return None,
    };
    Some(reply)
}

type Queue = (Vec<ConsentListRow>, ConsentCounts, ConsentCounts);

fn queue(
    ctx: &DataContext,
    filter: &crate::domain::consent_view::ConsentFilter,
) -> crate::store::Result<Queue> {
    let conn = ctx.store.conn();
    let mut rows = cs::list(conn, filter)?;
    service::consents::mask_rows(conn, &ctx.actor.staff_id, &mut rows, chrono::Utc::now());
    let outgoing = cs::counts(conn, Some(Direction::Outgoing), ctx.today)?;
    let incoming = cs::counts(conn, Some(Direction::Incoming), ctx.today)?;
    Ok((rows, outgoing, incoming))
}

fn both(m: impl Fn(bool) -> String) -> (String, String) {
    (m(true), m(false))
}

fn case(ctx: &DataContext, id: i64) -> service::Result<Option<ConsentCase>> {
    let conn = ctx.store.conn();
    let now = chrono::Utc::now();
    let Some(view) = service::consents::case_view(conn, &ctx.actor.staff_id, id, now)? else {
        return Ok(None);
    };
    let gate = match view.detail.row.application_id {
        Some(app) => Some(
            service::applications::decision_preview(conn, app, None)?
                .map(|_| ())
                .map_err(|bs| bs.iter().map(|b| both(|ja| b.message(ja))).collect()),
        ),
        None => None,
    };
    let checks = if view.detail.row.direction == Direction::Incoming {
        service::consents::check_incoming(conn, id)?
            .iter()
            .map(|c| both(|ja| c.message(ja)))
            .collect()
    } else {
        Vec::new()
    };
    let r = &view.detail.row;
    let designation = match (r.direction, r.facility_id) {
        (Direction::Incoming, Some(fid)) => Some(cs::designation(conn, fid, &r.service_code)?),
        _ => None,
    };
    Ok(Some(ConsentCase {
        view,
        gate,
        checks,
        designation,
    }))
}

fn transition(
    ctx: &mut DataContext,
    id: i64,
    version: i64,
    to: ConsentStatus,
    reason: &str,
) -> Reply {
    let on = ctx.today;
    match service::consents::transition(&mut ctx.store, &ctx.actor, id, version, to, reason, on) {
        Ok(Ok(row)) => Reply::ConsentTransitioned(Box::new(row)),
        Ok(Err(conflict)) => conflict_reply(ctx, conflict.current),
        Err(ServiceError::Denied(d)) => Reply::SaveRefused { ja: d.ja, en: d.en },
        Err(e @ ServiceError::Invalid(_)) => Reply::SaveRefused {
            ja: e.message(true),
            en: e.message(false),
        },
        Err(ServiceError::Anchor { .. }) => match cs::row(ctx.store.conn(), id) {
            Ok(Some(row)) => Reply::ConsentTransitioned(Box::new(row)),
            _ => Reply::Failed {
                what: "consent",
                message: "audit anchor not written".into(),
            },
        },
        Err(e) => Reply::Failed {
            what: "consent",
            message: e.message(true),
        },
    }
}

/// Someone moved the case first: it as stored now (name masked), and who did it when.
fn conflict_reply(ctx: &DataContext, mut row: ConsentListRow) -> Reply {
    let conn = ctx.store.conn();
    service::consents::mask_rows(
        conn,
        &ctx.actor.staff_id,
        std::slice::from_mut(&mut row),
        chrono::Utc::now(),
    );
    let last = ctx
        .store
        .audit_for_object("consent", &row.id.to_string(), 1)
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
    Reply::ConsentConflict {
        row: Box::new(row),
        by: last.map(|r| r.entry.actor),
        at,
    }
}
