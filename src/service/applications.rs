//! The application workflow (申請・届出): 受付 → 審査 ⇄ 差戻し → 決定 → 結果通知, plus
//! 却下 and 取下げ. Every step is authorized by role, checked against the workflow rules,
//! versioned, and recorded (application_event + audit) in one transaction.

use super::{Result, ServiceError, Written};
use crate::domain::application::{ApplicationStatus, TransitionError, check_transition};
use crate::domain::model::ApplicationRow;
use crate::domain::permission::{Action, Actor, Provenance, authorize};
use crate::store::{Store, StoreError, audit, cases};

/// The application as stored now, when someone else moved it first.
#[derive(Debug, Clone)]
pub struct Conflict {
    pub current: ApplicationRow,
}

/// Which permission a step needs: deciding (決定) and rejecting (却下) are decisions —
/// the approver's, and never on a case the approver keyed or reviewed; every other step
/// is a reviewer's.
pub fn action_for(to: ApplicationStatus) -> Action {
    if to.is_decision() {
        Action::ApproveApplication
    } else {
        Action::ReviewApplication
    }
}

/// Whether `actor` may move `app` to `to` now (for enabling commands); the same checks
/// `transition` makes, without the reason.
pub fn may_transition(
    actor: &Actor,
    app: &ApplicationRow,
    to: ApplicationStatus,
) -> std::result::Result<(), ServiceError> {
    let provenance = Provenance {
        keyed_by: Some(app.keyed_by.as_str()),
        reviewed_by: app.reviewed_by.as_deref(),
    };
    authorize(actor, action_for(to), &provenance)?;
    if !app.status.next().contains(&to) {
        return Err(ServiceError::Transition(TransitionError::NotAllowed {
            from: app.status,
            to,
        }));
    }
    Ok(())
}

pub fn transition(
    store: &mut Store,
    actor: &Actor,
    id: i64,
    expected_version: i64,
    to: ApplicationStatus,
    reason: &str,
) -> Result<std::result::Result<ApplicationRow, Conflict>> {
    let current = cases::application(store.conn(), id)?
        .ok_or_else(|| StoreError::NotFound(format!("application {id}")))?;
    // Anyone who reviewed the case at any point counts as its reviewer, not only the
    // last one: a returned and re-reviewed case must not reach its first reviewer's desk.
    let reviewed_before = cases::reviewers(store.conn(), id)?.contains(&actor.staff_id);
    let reviewed_by = if reviewed_before {
        Some(actor.staff_id.as_str())
    } else {
        current.reviewed_by.as_deref()
    };
    let provenance = Provenance {
        keyed_by: Some(current.keyed_by.as_str()),
        reviewed_by,
    };
    authorize(actor, action_for(to), &provenance)?;
    check_transition(current.status, to, reason)?;
    let reason = reason.trim();
    // The reason goes to the facility, the event history and the audit log.
    super::free_text(
        "reason",
        reason,
        crate::domain::application::MAX_REASON_CHARS,
        false,
    )?;
    super::audited_write(store, |tx| {
        match cases::set_application_status(tx, id, expected_version, to, &actor.staff_id, reason) {
            Ok(_) => {}
            Err(StoreError::Conflict { .. }) => {
                let now = cases::application(tx, id)?
                    .ok_or_else(|| StoreError::NotFound(format!("application {id}")))?;
                return Ok(Written::unchanged(Err(Conflict { current: now })));
            }
            Err(e) => return Err(e.into()),
        }
        let after = cases::application(tx, id)?
            .ok_or_else(|| StoreError::NotFound(format!("application {id}")))?;
        Ok(Written::change(
            Ok(after),
            audit::Entry {
                actor: actor.staff_id.clone(),
                action: format!("application.{}", to.code()),
                object_type: "application".into(),
                object_id: id.to_string(),
                fields: vec!["status".into()],
                reason: reason.to_string(),
            },
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::application::ApplicationStatus::*;
    use crate::domain::permission::Role;

    fn setup(status: ApplicationStatus, keyed_by: &str, reviewed_by: Option<&str>) -> (Store, i64) {
        let mut store = Store::open_in_memory().unwrap();
        let id = store
            .write(|tx| {
                tx.execute(
                    "INSERT INTO application(kind, status, received_on, keyed_by, reviewed_by, created_at, updated_at)
                     VALUES ('change', ?1, '2026-11-01', ?2, ?3, 'x', 'x')",
                    rusqlite::params![status.code(), keyed_by, reviewed_by],
                )?;
                Ok(tx.last_insert_rowid())
            })
            .unwrap();
        (store, id)
    }

    fn actor(id: &str, role: Role) -> Actor {
        Actor {
            staff_id: id.into(),
            role,
        }
    }

    #[test]
    fn a_review_records_the_reviewer_event_and_audit() {
        let (mut store, id) = setup(Accepted, "clerk", None);
        let after = transition(
            &mut store,
            &actor("r1", Role::Reviewer),
            id,
            1,
            UnderReview,
            "",
        )
        .unwrap()
        .unwrap();
        assert_eq!(
            (after.status, after.reviewed_by.as_deref(), after.version),
            (UnderReview, Some("r1"), 2)
        );
        let log = audit::for_object(store.conn(), "application", &id.to_string(), 5).unwrap();
        assert_eq!(log[0].entry.action, "application.under_review");
        let events: i64 = store
            .conn()
            .query_row(
                "SELECT count(*) FROM application_event WHERE application_id = ?1",
                [id],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(events, 1);
    }

    #[test]
    fn returning_needs_a_reason_and_viewers_cannot_act() {
        let (mut store, id) = setup(UnderReview, "clerk", Some("r1"));
        let err = transition(
            &mut store,
            &actor("r1", Role::Reviewer),
            id,
            1,
            Returned,
            " ",
        )
        .unwrap_err();
        assert!(matches!(err, ServiceError::Transition(_)), "{err}");
        let err = transition(
            &mut store,
            &actor("v", Role::Viewer),
            id,
            1,
            Returned,
            "書類不足",
        )
        .unwrap_err();
        assert!(matches!(err, ServiceError::Denied(_)));
        transition(
            &mut store,
            &actor("r1", Role::Reviewer),
            id,
            1,
            Returned,
            "書類不足",
        )
        .unwrap()
        .unwrap();
    }

    #[test]
    fn deciding_is_for_an_approver_who_neither_keyed_nor_reviewed() {
        let (mut store, id) = setup(UnderReview, "clerk", Some("r1"));
        for who in [
            actor("r1", Role::Reviewer),
            actor("a", Role::Admin),
            actor("r1", Role::Approver),
            actor("clerk", Role::Approver),
        ] {
            let err = transition(&mut store, &who, id, 1, Decided, "").unwrap_err();
            assert!(matches!(err, ServiceError::Denied(_)), "{who:?}");
        }
        let done = transition(
            &mut store,
            &actor("boss", Role::Approver),
            id,
            1,
            Decided,
            "",
        )
        .unwrap()
        .unwrap();
        assert_eq!(done.status, Decided);
    }

    #[test]
    fn rejecting_is_a_decision_for_an_approver_who_neither_keyed_nor_reviewed() {
        let (mut store, id) = setup(UnderReview, "clerk", Some("r1"));
        for who in [
            actor("r1", Role::Reviewer),
            actor("r2", Role::Reviewer),
            actor("r1", Role::Approver),
            actor("clerk", Role::Approver),
            actor("a", Role::Admin),
        ] {
            let err =
                transition(&mut store, &who, id, 1, Rejected, "要件を満たさない").unwrap_err();
            assert!(matches!(err, ServiceError::Denied(_)), "{who:?}: {err}");
        }
        let done = transition(
            &mut store,
            &actor("boss", Role::Approver),
            id,
            1,
            Rejected,
            "要件を満たさない",
        )
        .unwrap()
        .unwrap();
        assert_eq!(done.status, Rejected);
    }

    #[test]
    fn an_approver_who_reviewed_earlier_cannot_reject() {
        let (mut store, id) = setup(Accepted, "clerk", None);
        let p1 = actor("p1", Role::Approver);
        transition(&mut store, &p1, id, 1, UnderReview, "")
            .unwrap()
            .unwrap();
        transition(&mut store, &p1, id, 2, Returned, "書類不足")
            .unwrap()
            .unwrap();
        transition(
            &mut store,
            &actor("r2", Role::Reviewer),
            id,
            3,
            UnderReview,
            "",
        )
        .unwrap()
        .unwrap();
        let err = transition(&mut store, &p1, id, 4, Rejected, "不備").unwrap_err();
        assert!(matches!(err, ServiceError::Denied(_)), "{err}");
    }

    #[test]
    fn reasons_with_terminal_commands_or_too_long_are_refused_and_not_stored() {
        let (mut store, id) = setup(UnderReview, "clerk", Some("r1"));
        let cap = crate::domain::application::MAX_REASON_CHARS;
        for reason in [
            "書類不足\u{1b}]52;c;ZWNobyBoaQ==\u{7}\u{1b}[2J".to_string(),
            "書類不足\u{202e}".to_string(),
            "x".repeat(cap + 1),
        ] {
            let err = transition(
                &mut store,
                &actor("r1", Role::Reviewer),
                id,
                1,
                Returned,
                &reason,
            )
            .unwrap_err();
            assert!(matches!(err, ServiceError::Invalid(_)), "{err}");
        }
        let long = transition(
            &mut store,
            &actor("r1", Role::Reviewer),
            id,
            1,
            Returned,
            &"x".repeat(cap + 1),
        )
        .unwrap_err();
        assert!(
            long.message(false).contains(&cap.to_string()),
            "{}",
            long.message(false)
        );
        assert_eq!(audit::head(store.conn()).unwrap().0, 0);
        transition(
            &mut store,
            &actor("r1", Role::Reviewer),
            id,
            1,
            Returned,
            &"x".repeat(cap),
        )
        .unwrap()
        .unwrap();
    }

    #[test]
    fn an_earlier_reviewer_cannot_decide_after_someone_else_re_reviews() {
        let (mut store, id) = setup(Accepted, "clerk", None);
        let first = actor("p1", Role::Approver);
        transition(&mut store, &first, id, 1, UnderReview, "")
            .unwrap()
            .unwrap();
        transition(&mut store, &first, id, 2, Returned, "書類不足")
            .unwrap()
            .unwrap();
        transition(
            &mut store,
            &actor("r2", Role::Reviewer),
            id,
            3,
            UnderReview,
            "",
        )
        .unwrap()
        .unwrap();
        let err = transition(&mut store, &first, id, 4, Decided, "").unwrap_err();
        assert!(matches!(err, ServiceError::Denied(_)), "{err}");
        transition(&mut store, &actor("p2", Role::Approver), id, 4, Decided, "")
            .unwrap()
            .unwrap();
    }

    #[test]
    fn skipping_a_step_is_refused_and_a_stale_version_is_a_conflict() {
        let (mut store, id) = setup(Submitted, "clerk", None);
        let err =
            transition(&mut store, &actor("r1", Role::Reviewer), id, 1, Decided, "").unwrap_err();
        assert!(matches!(
            err,
            ServiceError::Denied(_) | ServiceError::Transition(_)
        ));
        transition(
            &mut store,
            &actor("r1", Role::Reviewer),
            id,
            1,
            Accepted,
            "",
        )
        .unwrap()
        .unwrap();
        let conflict = transition(
            &mut store,
            &actor("r2", Role::Reviewer),
            id,
            1,
            Withdrawn,
            "申請者から",
        )
        .unwrap()
        .unwrap_err();
        assert_eq!(conflict.current.status, Accepted);
    }
}
