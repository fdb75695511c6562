//! The reconciliation view's requests (issue 18): the findings of the last
//! `import-opendata`, and a decision on one (accept into a 変更 case, or mark known
//! with a note). Reads through `store::opendata`, writes through `service::opendata`.

use super::reply::Reply;
use super::request::Request;
use super::{DataContext, answer::refresh_actor};
use crate::service::opendata as service;
use crate::store::{is_interrupted, opendata as store};

/// How many findings the view loads (the rest are in `sync status` counts).
pub const MAX_FINDINGS: usize = 5000;

pub fn is_opendata(req: &Request) -> bool {
    matches!(
        req,
        Request::OpenDataFindings | Request::OpenDataDecide { .. } | Request::SetCapacity { .. }
    )
}

/// Answers an open data request; `None` when the read was interrupted.
pub fn answer(ctx: &mut DataContext, req: Request) -> Option<Reply> {
    let reply = match req {
        Request::OpenDataFindings => match store::findings(ctx.store.conn(), MAX_FINDINGS) {
            Ok(rows) => Reply::OpenDataFindings(rows),
            Err(e) if is_interrupted(&e) => return None,
            Err(e) => Reply::Failed {
                what: "opendata",
                message: e.to_string(),
            },
        },
        Request::OpenDataDecide { id, accept, note } => {
            if let Some(refused) = refresh_actor(ctx) {
                return Some(refused);
            }
            decide(ctx, id, accept, &note)
        }
        Request::SetCapacity {
            facility_id,
            service_code,
            capacity,
        } => {
            if let Some(refused) = refresh_actor(ctx) {
                return Some(refused);
            }
            let set = service::set_capacity(
                &mut ctx.store,
                &ctx.actor,
                facility_id,
                &service_code,
                &capacity,
            );
            match set {
                Ok(Some(n)) => Reply::OpenDataDecided {
                    ja: format!("定員を {n} にしました"),
                    en: format!("capacity set to {n}"),
                },
                Ok(None) => Reply::OpenDataDecided {
                    ja: "定員を空にしました".into(),
                    en: "capacity cleared".into(),
                },
                Err(e) => Reply::OpenDataRefused {
                    ja: e.message(true),
                    en: e.message(false),
                },
            }
        }
        _ => return None,
    };
    Some(reply)
}

fn decide(ctx: &mut DataContext, id: i64, accept: bool, note: &str) -> Reply {
    let done = if accept {
        service::accept(&mut ctx.store, &ctx.actor, id, ctx.today).map(|case| {
            (
                format!("変更届出の案件 #{case} として受け付けました（受付箱で審査）"),
                format!("accepted as change case #{case} (review it in the inbox)"),
            )
        })
    } else {
        service::mark_known(&mut ctx.store, &ctx.actor, id, note).map(|()| {
            (
                "既知の相違として記録しました".to_string(),
                "recorded as a known difference".to_string(),
            )
        })
    };
    match done {
        Ok((ja, en)) => Reply::OpenDataDecided { ja, en },
        Err(e) => Reply::OpenDataRefused {
            ja: e.message(true),
            en: e.message(false),
        },
    }
}
