//! The application workflow (申請・届出): 受付 → 審査 ⇄ 差戻し → 決定 → 結果通知, plus
//! 却下 and 取下げ. Every step is authorized by role, checked against the workflow rules,
//! versioned, and recorded (application_event + audit) in one transaction.

use super::{Result, ServiceError, Written};
use crate::domain::application::{
    ApplicationKind, ApplicationStatus, TransitionError, check_transition, parse_processing_days,
    required_documents,
};
use crate::domain::decision::{Blocker, Plan, PlannedChange};
use crate::domain::inbox::InboxRow;
use crate::domain::model::ApplicationRow;
use crate::domain::payload::Payload;
use crate::domain::permission::{Action, Actor, Provenance, Role, authorize};
use crate::domain::validate::FieldError;
use crate::store::{Store, StoreError, apply, audit, cases, facilities, inbox};
use chrono::NaiveDate;

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

fn entry(actor: &Actor, action: &str, id: i64, fields: Vec<String>, reason: &str) -> audit::Entry {
    audit::Entry {
        actor: actor.staff_id.clone(),
        action: action.to_string(),
        object_type: "application".into(),
        object_id: id.to_string(),
        fields,
        reason: reason.to_string(),
    }
}

fn current(conn: &rusqlite::Connection, id: i64) -> Result<ApplicationRow> {
    Ok(cases::application(conn, id)?
        .ok_or_else(|| StoreError::NotFound(format!("application {id}")))?)
}

/// Authorizes `actor` for moving `current` to `to`. Anyone who reviewed the case at any
/// point counts as its reviewer, not only the last one: a returned and re-reviewed case
/// must not reach its first reviewer's desk.
fn authorize_step(
    conn: &rusqlite::Connection,
    actor: &Actor,
    current: &ApplicationRow,
    to: ApplicationStatus,
) -> Result<()> {
    let reviewed_before = cases::reviewers(conn, current.id)?.contains(&actor.staff_id);
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
    Ok(())
}

/// Moves a case one step. 決定 goes through [`decide`] (the ledger change is applied in
/// the same transaction, the 事業所番号 of a 新規 case proposed); a decision that cannot
/// be taken comes back as `ServiceError::Invalid` naming each blocker.
pub fn transition(
    store: &mut Store,
    actor: &Actor,
    id: i64,
    expected_version: i64,
    to: ApplicationStatus,
    reason: &str,
) -> Result<std::result::Result<ApplicationRow, Conflict>> {
    if to == ApplicationStatus::Decided {
        return match decide(store, actor, id, expected_version, None, reason)? {
            Decision::Decided { row, .. } => Ok(Ok(row)),
            Decision::Conflict(c) => Ok(Err(c)),
            Decision::Blocked(b) => Err(blocked(&b)),
        };
    }
    let before = current(store.conn(), id)?;
    authorize_step(store.conn(), actor, &before, to)?;
    check_transition(before.status, to, reason)?;
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
                return Ok(Written::unchanged(Err(Conflict {
                    current: current(tx, id)?,
                })));
            }
            Err(e) => return Err(e.into()),
        }
        if to == ApplicationStatus::UnderReview {
            // The ledger as the reviewer sees it: a decision on a changed facility is refused.
            let seen = match inbox::row(tx, id, chrono::Local::now().date_naive())?
                .and_then(|r| r.facility_id)
            {
                Some(fid) => facilities::get(tx, fid)?.map(|f| f.version),
                None => None,
            };
            inbox::set_reviewed_facility_version(tx, id, seen)?;
        }
        let after = current(tx, id)?;
        Ok(Written::change(
            Ok(after),
            entry(
                actor,
                &format!("application.{}", to.code()),
                id,
                vec!["status".into()],
                reason,
            ),
        ))
    })
}

/// The blockers as one service error (each blocker one sentence).
pub fn blocked(blockers: &[Blocker]) -> ServiceError {
    ServiceError::Invalid(
        blockers
            .iter()
            .map(|b| FieldError::new("decision", b.message(true), b.message(false)))
            .collect(),
    )
}

/// What stands in the way of deciding `app` beyond the ledger (which
/// `store::inbox::decision_plan` checks): the one check point for rules of other
/// workflows — today the 区外指定 consent gate.
pub fn decision_blockers(conn: &rusqlite::Connection, app: &InboxRow) -> Result<Vec<Blocker>> {
    let mut out = Vec::new();
    // 区外指定 (法78条の2第4項第4号): the other municipality's consent, recorded or
    // covered by a prior consent, before an out-of-ward facility is designated or renewed.
    if let Some(b) = super::consents::decision_blocker(conn, app.id)? {
        out.push(Blocker::Other {
            ja: b.message(true),
            en: b.message(false),
        });
    }
    Ok(out)
}

/// What deciding case `id` now would change in the ledger (old → new per field, for the
/// confirmation dialog), or every reason it cannot be decided. `provider_number` is the
/// number the approver confirmed for a 新規 case (None: the proposed one).
pub fn decision_preview(
    conn: &rusqlite::Connection,
    id: i64,
    provider_number: Option<&str>,
) -> Result<std::result::Result<Vec<PlannedChange>, Vec<Blocker>>> {
    let row = inbox::row(conn, id, chrono::Local::now().date_naive())?
        .ok_or_else(|| StoreError::NotFound(format!("application {id}")))?;
    Ok(plan_for(conn, &row, provider_number)?.map(|(plan, _)| plan.changes))
}

/// A decision's plan and the 事業所番号 it uses (新規 only).
type PlanWithNumber = (Plan, Option<String>);

/// The plan and the 事業所番号 used, or all blockers (ledger and other rules).
fn plan_for(
    conn: &rusqlite::Connection,
    row: &InboxRow,
    provider_number: Option<&str>,
) -> Result<std::result::Result<PlanWithNumber, Vec<Blocker>>> {
    let number = match (provider_number, row.kind) {
        (Some(n), _) => Some(n.trim().to_string()),
        (None, ApplicationKind::NewDesignation) if row.facility_id.is_none() => {
            let code = inbox::payload_of(conn, row.id)?
                .and_then(|(json, _, _)| Payload::parse(row.kind, &json).ok())
                .and_then(|p| p.service_code().map(str::to_string))
                .unwrap_or_else(|| row.service_code.clone());
            inbox::propose_provider_number(conn, &code)?
        }
        (None, _) => None,
    };
    let planned = inbox::decision_plan(conn, row, number.as_deref())?;
    let extra = decision_blockers(conn, row)?;
    Ok(match planned {
        Ok(plan) if extra.is_empty() => Ok((plan, number)),
        Ok(_) => Err(extra),
        Err(mut b) => {
            b.extend(extra);
            Err(b)
        }
    })
}

/// The outcome of [`decide`].
#[derive(Debug, Clone)]
pub enum Decision {
    /// Decided: the ledger holds the change (`facility_id`; created for a 新規 case).
    Decided {
        row: ApplicationRow,
        facility_id: i64,
        changes: Vec<PlannedChange>,
    },
    /// Nothing written: these stand in the way.
    Blocked(Vec<Blocker>),
    /// Someone moved the case first; nothing written.
    Conflict(Conflict),
}

/// 決定 with 申請内容反映: in one transaction the ledger takes the approved change (a
/// 新規 case creates the facility under `provider_number`, or the proposed number), each
/// changed value is recorded in `facility_change`, the change is queued in `outbox` for
/// LEMSCARE and 国保連, a 公示 entry is added where the law wants one, the case becomes
/// 決定, and one audit record names the changed fields.
pub fn decide(
    store: &mut Store,
    actor: &Actor,
    id: i64,
    expected_version: i64,
    provider_number: Option<&str>,
    reason: &str,
) -> Result<Decision> {
    let to = ApplicationStatus::Decided;
    let before = current(store.conn(), id)?;
    authorize_step(store.conn(), actor, &before, to)?;
    check_transition(before.status, to, reason)?;
    let reason = reason.trim();
    super::free_text(
        "reason",
        reason,
        crate::domain::application::MAX_REASON_CHARS,
        false,
    )?;
    let today = chrono::Local::now().date_naive();
    super::audited_write(store, |tx| {
        let Some(row) = inbox::row(tx, id, today)? else {
            return Err(StoreError::NotFound(format!("application {id}")).into());
        };
        if row.version != expected_version {
            return Ok(Written::unchanged(Decision::Conflict(Conflict {
                current: current(tx, id)?,
            })));
        }
        let (plan, number) = match plan_for(tx, &row, provider_number)? {
            Ok(p) => p,
            Err(b) => return Ok(Written::unchanged(Decision::Blocked(b))),
        };
        let at = crate::store::now_utc();
        let facility_id = apply::apply_plan(
            tx,
            &plan,
            row.facility_id,
            &apply::Cause {
                application_id: id,
                kind: row.kind.code(),
                actor: &actor.staff_id,
                at: &at,
            },
        )?;
        let created = row
            .facility_id
            .is_none()
            .then_some((facility_id, number.as_deref().unwrap_or("")));
        inbox::set_decided(tx, id, today, created)?;
        cases::set_application_status(tx, id, expected_version, to, &actor.staff_id, reason)?;
        let mut fields = vec!["status".to_string()];
        fields.extend(
            plan.changes
                .iter()
                .map(|c| format!("facility.{facility_id}.{}", c.field)),
        );
        Ok(Written::change(
            Decision::Decided {
                row: current(tx, id)?,
                facility_id,
                changes: plan.changes.clone(),
            },
            entry(actor, "application.decided", id, fields, reason),
        ))
    })
}

/// Assigns the case to `assignee` (a reviewer or approver), or clears it (None).
pub fn assign(
    store: &mut Store,
    actor: &Actor,
    id: i64,
    expected_version: i64,
    assignee: Option<&str>,
) -> Result<std::result::Result<ApplicationRow, Conflict>> {
    authorize(actor, Action::ReviewApplication, &Provenance::default())?;
    if let Some(who) = assignee
        && !inbox::assignable_staff(store.conn())?
            .iter()
            .any(|(s, _)| s == who)
    {
        return Err(super::invalid(
            "assignee",
            &format!(
                "担当者 {who} は審査または決裁の権限を持つ有効な職員ではありません。職員IDを確認してください"
            ),
            &format!("assignee {who} is not an active reviewer or approver; check the staff id"),
        ));
    }
    super::audited_write(store, |tx| {
        match inbox::set_assignee(tx, id, expected_version, assignee) {
            Ok(_) => {}
            Err(StoreError::Conflict { .. }) => {
                return Ok(Written::unchanged(Err(Conflict {
                    current: current(tx, id)?,
                })));
            }
            Err(e) => return Err(e.into()),
        }
        Ok(Written::change(
            Ok(current(tx, id)?),
            entry(actor, "application.assign", id, vec!["assignee".into()], ""),
        ))
    })
}

/// Longest note on a case, in characters.
pub const MAX_NOTE_CHARS: usize = 2000;

/// Adds a note to the case's thread.
pub fn add_note(store: &mut Store, actor: &Actor, id: i64, body: &str) -> Result<i64> {
    authorize(actor, Action::ReviewApplication, &Provenance::default())?;
    let body = body.trim();
    if body.is_empty() {
        return Err(super::invalid(
            "note",
            "メモが空です。内容を入力してください",
            "the note is empty; type its text",
        ));
    }
    super::free_text("note", body, MAX_NOTE_CHARS, true)?;
    super::audited_write(store, |tx| {
        current(tx, id)?;
        let note = inbox::add_note(tx, id, &crate::store::now_utc(), &actor.staff_id, body)?;
        Ok(Written::change(
            note,
            entry(actor, "application.note", id, vec!["note".into()], ""),
        ))
    })
}

/// Marks a required document received on `on`, or not received (None).
pub fn set_document(
    store: &mut Store,
    actor: &Actor,
    id: i64,
    code: &str,
    on: Option<NaiveDate>,
) -> Result<()> {
    authorize(actor, Action::ReviewApplication, &Provenance::default())?;
    let app = current(store.conn(), id)?;
    if !required_documents(app.kind).iter().any(|d| d.code == code) {
        return Err(super::invalid(
            "document",
            &format!(
                "書類コード {code} は{}の必要書類にありません",
                app.kind.label_ja()
            ),
            &format!(
                "document code {code} is not among the documents a {} needs",
                app.kind.label_en().to_lowercase()
            ),
        ));
    }
    super::audited_write(store, |tx| {
        inbox::set_document(tx, id, code, on, &actor.staff_id)?;
        Ok(Written::change(
            (),
            entry(
                actor,
                "application.document",
                id,
                vec![format!("document.{code}")],
                "",
            ),
        ))
    })
}

/// Changes the ward's processing period (処理期限) for `kind`: administrators only; new
/// cases get the new period, cases already received keep theirs.
pub fn set_processing_days(
    store: &mut Store,
    actor: &Actor,
    kind: ApplicationKind,
    days: &str,
) -> Result<u32> {
    if actor.role != Role::Admin {
        return Err(ServiceError::Denied(crate::domain::permission::Denied {
            ja: "処理期限の設定は管理者のみが変更できます".into(),
            en: "only an admin changes the processing periods".into(),
        }));
    }
    let n = parse_processing_days(days).map_err(|e| ServiceError::Invalid(vec![e]))?;
    super::audited_write(store, |tx| {
        let key = inbox::processing_key(kind);
        inbox::set_setting(
            tx,
            &key,
            &n.to_string(),
            &crate::store::now_utc(),
            &actor.staff_id,
        )?;
        Ok(Written::change(
            n,
            audit::Entry {
                actor: actor.staff_id.clone(),
                action: "setting.update".into(),
                object_type: "app_setting".into(),
                object_id: key,
                fields: vec!["value".into()],
                reason: String::new(),
            },
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::application::ApplicationStatus::*;
    use crate::domain::permission::Role;

    /// A 変更届出 (phone 03-1111-2222 → 03-3333-4444) on a facility, at `status`.
    fn setup(status: ApplicationStatus, keyed_by: &str, reviewed_by: Option<&str>) -> (Store, i64) {
        let mut store = Store::open_in_memory().unwrap();
        let fid = facility(&mut store);
        let payload = r#"{"changed_on":"2026-11-01","changes":[{"field":"phone","before":"03-1111-2222","after":"03-3333-4444"}]}"#;
        let id = store
            .write(|tx| {
                tx.execute(
                    "INSERT INTO application(kind, status, received_on, keyed_by, reviewed_by, created_at, updated_at, facility_id, payload)
                     VALUES ('change', ?1, '2026-11-01', ?2, ?3, 'x', 'x', ?4, ?5)",
                    rusqlite::params![status.code(), keyed_by, reviewed_by, fid, payload],
                )?;
                Ok(tx.last_insert_rowid())
            })
            .unwrap();
        (store, id)
    }

    fn facility(store: &mut Store) -> i64 {
        use crate::domain::model::FacilityFields;
        store
            .write(|tx| {
                crate::store::facilities::insert(
                    tx,
                    &crate::store::facilities::NewFacility {
                        fields: FacilityFields {
                            provider_number: "1390400024".into(),
                            name: "デイサービス若松".into(),
                            address: "東京都新宿区若松町1-1".into(),
                            phone: "03-1111-2222".into(),
                            ..Default::default()
                        },
                        ..Default::default()
                    },
                    "seed",
                )
            })
            .unwrap()
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
