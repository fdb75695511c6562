use super::*;
use crate::domain::checklist::{EventKind, ITEMS, Mark, MarkInput, Side};
use crate::service::checklist;
use crate::store::checklist_audit as ca;

/// The demo's audit in progress (lemscare, ward side; items 1–8 marked).
fn open_audit(store: &Store) -> crate::domain::checklist::AuditDetail {
    let id = num(
        store,
        "SELECT id FROM checklist_audit WHERE signed_at IS NULL",
    );
    ca::detail(store.conn(), id).unwrap().unwrap()
}

/// Marks what is still open, so the audit can be signed.
fn mark_the_rest(s: &mut Store) {
    let audit = open_audit(s);
    let r = actor(Role::Reviewer);
    for item in audit.rows.iter().filter(|i| i.mark.is_none()) {
        let ok = MarkInput::new(Mark::Ok);
        checklist::mark_item(s, &r, audit.header.id, item.no, item.version, &ok)
            .unwrap()
            .unwrap();
    }
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

pub(super) fn rows() -> Vec<WriteFn> {
    vec![
        row(
            "checklist",
            "start_audit",
            |s| {
                let r = actor(Role::Reviewer);
                let a = checklist::start_audit(s, &r, "e_application", Side::Ward).unwrap();
                assert_eq!(a.rows.len() as i64, ITEMS);
            },
            |s| {
                denied(checklist::start_audit(
                    s,
                    &actor(Role::Viewer),
                    "kokuhoren",
                    Side::Ward,
                ))
            },
        ),
        row(
            "checklist",
            "mark_item",
            |s| {
                let a = open_audit(s);
                let item = a.rows.iter().find(|r| r.mark.is_none()).unwrap();
                let ok = MarkInput::new(Mark::Ok);
                let r = actor(Role::Reviewer);
                checklist::mark_item(s, &r, a.header.id, item.no, item.version, &ok)
                    .unwrap()
                    .unwrap();
            },
            |s| {
                let a = open_audit(s);
                let item = a.rows.iter().find(|r| r.mark.is_some()).unwrap();
                let ok = MarkInput::new(Mark::NotNeeded);
                let r = actor(Role::Reviewer);
                conflict(checklist::mark_item(
                    s,
                    &r,
                    a.header.id,
                    item.no,
                    item.version + 1,
                    &ok,
                ));
            },
        ),
        row(
            "checklist",
            "sign_audit",
            |s| {
                let a = open_audit(s);
                let p = actor(Role::Approver);
                checklist::sign_audit(s, &p, a.header.id, a.header.version)
                    .unwrap()
                    .unwrap();
            },
            |s| {
                let a = open_audit(s);
                let p = actor(Role::Approver);
                conflict(checklist::sign_audit(
                    s,
                    &p,
                    a.header.id,
                    a.header.version + 1,
                ));
            },
        )
        .after(mark_the_rest),
        row(
            "checklist",
            "record_event",
            |s| {
                let (r, kind) = (actor(Role::Reviewer), EventKind::DeletionReport);
                checklist::record_event(s, &r, "lemscare", kind, day(2026, 9, 2), "消去報告書", "")
                    .unwrap();
            },
            |s| {
                let (r, kind) = (actor(Role::Reviewer), EventKind::DeletionReport);
                let future = day(2999, 1, 1);
                invalid(checklist::record_event(
                    s,
                    &r,
                    "lemscare",
                    kind,
                    future,
                    "報告書",
                    "",
                ));
            },
        ),
        row(
            "checklist",
            "set_audit_interval",
            |s| checklist::set_audit_interval(s, &actor(Role::Admin), 6).unwrap(),
            |s| denied(checklist::set_audit_interval(s, &actor(Role::Approver), 6)),
        ),
        row(
            "checklist",
            "record_access_review",
            |s| {
                let p = actor(Role::Approver);
                checklist::record_access_review(s, &p, "2026-04", "確認済み").unwrap();
            },
            |s| {
                let r = actor(Role::Reviewer);
                denied(checklist::record_access_review(
                    s,
                    &r,
                    "2026-04",
                    "確認済み",
                ));
            },
        ),
    ]
}
