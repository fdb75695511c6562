use super::*;
use crate::domain::application::ApplicationStatus;
use crate::service::applications;
use crate::store::cases;

/// An accepted application keyed by someone other than the demo reviewer.
fn accepted_application(store: &Store) -> (i64, i64) {
    let id = num(
        store,
        "SELECT min(id) FROM application WHERE status = 'accepted' AND keyed_by <> 'demo-reviewer'",
    );
    let app = cases::application(store.conn(), id).unwrap().unwrap();
    (id, app.version)
}

pub(super) fn rows() -> Vec<WriteFn> {
    vec![row(
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
    )]
}
