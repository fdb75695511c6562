//! Answers for the inbox screens (issue 14): the filtered list, the case view with its
//! decision preview, assignment.

use super::answer::transition_conflict;
use super::reply::Reply;
use super::request::Request;
use super::{CASE_LIST_CAP, DataContext};
use crate::service::{self, ServiceError};
use crate::store::{inbox, is_interrupted};

/// Answers the inbox requests; `None` when a read was interrupted.
pub(super) fn answer(ctx: &mut DataContext, req: Request) -> Option<Reply> {
    let failed = |e: &dyn std::fmt::Display| Reply::Failed {
        what: "inbox",
        message: e.to_string(),
    };
    Some(match req {
        Request::InboxPage { generation, query } => {
            match inbox::list(ctx.store.conn(), &query, ctx.today, CASE_LIST_CAP) {
                Ok(page) => Reply::InboxPage { generation, page },
                Err(e) if is_interrupted(&e) => return None,
                Err(e) => failed(&e),
            }
        }
        Request::CaseDetail { id } => match case_detail(ctx, id) {
            Ok(Some(d)) => Reply::CaseDetail(Box::new(d)),
            Ok(None) => failed(&format!("application {id}")),
            Err(e) if is_interrupted(&e) => return None,
            Err(e) => failed(&e),
        },
        Request::AssignCase {
            id,
            version,
            assignee,
        } => match service::applications::assign(
            &mut ctx.store,
            &ctx.actor,
            id,
            version,
            assignee.as_deref(),
        ) {
            Ok(Ok(row)) => Reply::Transitioned(Box::new(row)),
            Ok(Err(conflict)) => transition_conflict(ctx, conflict.current),
            Err(ServiceError::Denied(d)) => Reply::SaveRefused { ja: d.ja, en: d.en },
            Err(e @ ServiceError::Invalid(_)) => Reply::SaveRefused {
                ja: e.message(true),
                en: e.message(false),
            },
            Err(e) => failed(&e),
        },
        _ => return None,
    })
}

/// The case view, with the preview the service would use (the ledger plan plus the
/// rules of other workflows, such as the 区外同意 gate).
fn case_detail(
    ctx: &DataContext,
    id: i64,
) -> crate::store::Result<Option<crate::domain::inbox::CaseDetail>> {
    let Some(mut d) = inbox::detail(ctx.store.conn(), id, ctx.today)? else {
        return Ok(None);
    };
    if let Ok(preview) = service::applications::decision_preview(ctx.store.conn(), id, None) {
        d.preview = preview;
    }
    Ok(Some(d))
}
