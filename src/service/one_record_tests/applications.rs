use super::*;
use crate::domain::application::{ApplicationKind, ApplicationStatus, required_documents};
use crate::service::applications::{self, Decision};
use crate::store::cases;

/// The first application in `status` keyed by someone other than the demo reviewer.
fn application_in(store: &Store, status: &str) -> (i64, i64) {
    let id = num(
        store,
        &format!(
            "SELECT min(id) FROM application WHERE status = '{status}' AND keyed_by <> 'demo-reviewer'"
        ),
    );
    let app = cases::application(store.conn(), id).unwrap().unwrap();
    (id, app.version)
}

fn accepted_application(store: &Store) -> (i64, i64) {
    application_in(store, "accepted")
}

/// A case under review that the demo approver may decide now (nothing blocks it).
fn decidable(store: &Store) -> (i64, i64) {
    let mut st = store
        .conn()
        .prepare("SELECT id, version FROM application WHERE status = 'under_review' ORDER BY id")
        .unwrap();
    let cases: Vec<(i64, i64)> = st
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<std::result::Result<_, _>>()
        .unwrap();
    cases
        .into_iter()
        .find(|(id, _)| {
            matches!(
                applications::decision_preview(store.conn(), *id, None),
                Ok(Ok(_))
            )
        })
        .expect("the demo has a case under review that can be decided")
}

/// A required document of the accepted case, by code.
fn document_of(store: &Store, id: i64) -> &'static str {
    let app = cases::application(store.conn(), id).unwrap().unwrap();
    required_documents(app.kind)[0].code
}

pub(super) fn rows() -> Vec<WriteFn> {
    vec![
        row(
            "applications",
            "transition",
            |s| {
                let (id, v) = accepted_application(s);
                let r = actor(Role::Reviewer);
                applications::transition(s, &r, id, v, ApplicationStatus::UnderReview, "")
                    .unwrap()
                    .unwrap();
            },
            |s| {
                let (id, v) = accepted_application(s);
                let r = actor(Role::Reviewer);
                // A stale version: the conflict is a value, and nothing is written.
                let to = ApplicationStatus::UnderReview;
                conflict(applications::transition(s, &r, id, v + 1, to, ""));
            },
        ),
        row(
            "applications",
            "decide",
            |s| {
                let (id, v) = decidable(s);
                let a = actor(Role::Approver);
                let done = applications::decide(s, &a, id, v, None, "").unwrap();
                assert!(matches!(done, Decision::Decided { .. }), "{done:?}");
            },
            |s| {
                let (id, v) = decidable(s);
                let a = actor(Role::Approver);
                let lost = applications::decide(s, &a, id, v + 1, None, "").unwrap();
                assert!(matches!(lost, Decision::Conflict(_)), "{lost:?}");
            },
        ),
        row(
            "applications",
            "assign",
            |s| {
                let (id, v) = accepted_application(s);
                let r = actor(Role::Reviewer);
                applications::assign(s, &r, id, v, Some("demo-approver"))
                    .unwrap()
                    .unwrap();
            },
            |s| {
                let (id, v) = accepted_application(s);
                let r = actor(Role::Reviewer);
                // A viewer is no assignee.
                invalid(applications::assign(s, &r, id, v, Some("demo-viewer")));
            },
        ),
        row(
            "applications",
            "add_note",
            |s| {
                let (id, _) = accepted_application(s);
                let r = actor(Role::Reviewer);
                applications::add_note(s, &r, id, "事業所に電話で確認済み").unwrap();
            },
            |s| {
                let (id, _) = accepted_application(s);
                invalid(applications::add_note(s, &actor(Role::Reviewer), id, "  "));
            },
        ),
        row(
            "applications",
            "set_document",
            |s| {
                let (id, _) = accepted_application(s);
                let (code, r) = (document_of(s, id), actor(Role::Reviewer));
                applications::set_document(s, &r, id, code, Some(today())).unwrap();
            },
            |s| {
                let (id, _) = accepted_application(s);
                let code = document_of(s, id);
                let v = actor(Role::Viewer);
                denied(applications::set_document(s, &v, id, code, Some(today())));
            },
        ),
        row(
            "applications",
            "set_processing_days",
            |s| {
                let kind = ApplicationKind::Change;
                applications::set_processing_days(s, &actor(Role::Admin), kind, "10").unwrap();
            },
            |s| {
                let (kind, r) = (ApplicationKind::Change, actor(Role::Reviewer));
                denied(applications::set_processing_days(s, &r, kind, "10"));
            },
        ),
    ]
}
