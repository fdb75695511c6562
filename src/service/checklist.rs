//! Checklist audits through the one write path: start (or resume), mark an item, sign,
//! record the events behind items 2–5, the audit interval, and the monthly access-log
//! review. Each write is authorized, validated and audited in one transaction.

use super::{Result, ServiceError, Written, free_text, invalid};
use crate::domain::checklist::{self as dc, AuditDetail, AuditHeader, EventKind, MarkInput, Side};
use crate::domain::permission::{Action, Actor, Provenance, authorize};
use crate::store::checklist_audit::{self as ca, NewEvent};
use crate::store::{Store, StoreError, audit, checklist_reference, now_utc};
use chrono::NaiveDate;

/// A save that lost the race: what is stored now.
#[derive(Debug, Clone)]
pub struct Conflict {
    pub current: AuditDetail,
}

fn entry(
    actor: &Actor,
    action: &str,
    object_type: &str,
    id: String,
    fields: Vec<String>,
    reason: String,
) -> audit::Entry {
    audit::Entry {
        actor: actor.staff_id.clone(),
        action: action.into(),
        object_type: object_type.into(),
        object_id: id,
        fields,
        reason,
    }
}

fn known_connection(store: &Store, code: &str) -> Result<()> {
    if checklist_reference::connection(store.conn(), code)?.is_none() {
        return Err(invalid(
            "connection",
            &format!("結合先「{code}」はありません。チェックリストの結合先から選んでください"),
            &format!("there is no connection {code:?}; choose one of the checklist's connections"),
        ));
    }
    Ok(())
}

fn signed_refusal() -> ServiceError {
    invalid(
        "audit",
        "この点検は署名済みのため変更できません。変更するには新しい点検を開始してください",
        "this audit is signed and cannot be changed; start a new audit to record changes",
    )
}

fn detail(tx: &rusqlite::Connection, audit_id: i64) -> Result<AuditDetail> {
    ca::detail(tx, audit_id)?
        .ok_or_else(|| StoreError::NotFound(format!("checklist audit {audit_id}")).into())
}

/// Starts an audit of `code` and `side`, or resumes the one in progress (an interrupted
/// audit — even a killed process — continues where it stopped: see
/// [`AuditDetail::resume_at`]). Reviewer or approver.
pub fn start_audit(
    store: &mut Store,
    actor: &Actor,
    code: &str,
    side: Side,
) -> Result<AuditDetail> {
    authorize(actor, Action::AuditChecklist, &Provenance::default())?;
    known_connection(store, code)?;
    super::audited_write(store, |tx| {
        if let Some(open) = ca::open_audit(tx, code, side)? {
            return Ok(Written::unchanged(detail(tx, open.id)?));
        }
        let id = ca::insert_audit(tx, code, side, &now_utc(), &actor.staff_id)?;
        Ok(Written::change(
            detail(tx, id)?,
            entry(
                actor,
                "checklist.start",
                "checklist_audit",
                id.to_string(),
                vec![],
                format!("{code} {}", side.code()),
            ),
        ))
    })
}

/// Marks item `item_no` of an open audit if its row is still at `expected_version`
/// (the `ItemRow::version` the screen showed; 0 when it had no mark). Returns the whole
/// audit as stored now, or the conflict with what someone else saved.
pub fn mark_item(
    store: &mut Store,
    actor: &Actor,
    audit_id: i64,
    item_no: i64,
    expected_version: i64,
    input: &MarkInput,
) -> Result<std::result::Result<AuditDetail, Conflict>> {
    authorize(actor, Action::AuditChecklist, &Provenance::default())?;
    let item_no = dc::item_no(item_no).map_err(|e| ServiceError::Invalid(vec![e]))?;
    let clean = input.validated().map_err(ServiceError::Invalid)?;
    free_text("note", &clean.note, dc::MAX_NOTE_CHARS, true)?;
    free_text("evidence", &clean.evidence, dc::MAX_EVIDENCE_CHARS, false)?;
    free_text("owner", &clean.owner, dc::MAX_OWNER_CHARS, false)?;
    super::audited_write(store, |tx| {
        let header = ca::header(tx, audit_id)?
            .ok_or_else(|| StoreError::NotFound(format!("checklist audit {audit_id}")))?;
        if header.is_signed() {
            return Err(signed_refusal());
        }
        match ca::set_mark(
            tx,
            audit_id,
            item_no,
            &clean,
            expected_version,
            &now_utc(),
            &actor.staff_id,
        ) {
            Ok(_) => {}
            Err(StoreError::Conflict { .. }) => {
                return Ok(Written::unchanged(Err(Conflict {
                    current: detail(tx, audit_id)?,
                })));
            }
            Err(e) => return Err(e.into()),
        }
        let mark = clean.mark.map(|m| m.code()).unwrap_or_default();
        Ok(Written::change(
            Ok(detail(tx, audit_id)?),
            entry(
                actor,
                "checklist.mark",
                "checklist_audit",
                audit_id.to_string(),
                vec![format!("item{item_no}")],
                mark.to_string(),
            ),
        ))
    })
}

/// Signs an open audit whose every item is marked (approver). From then on it is
/// immutable; it supersedes the previous signed audit of its connection and side.
/// `expected_version` is the header version the signer saw: a mark saved since then
/// makes this a conflict, so nobody signs what they have not seen.
pub fn sign_audit(
    store: &mut Store,
    actor: &Actor,
    audit_id: i64,
    expected_version: i64,
) -> Result<std::result::Result<AuditHeader, Conflict>> {
    authorize(actor, Action::SignChecklist, &Provenance::default())?;
    super::audited_write(store, |tx| {
        let current = detail(tx, audit_id)?;
        if current.header.is_signed() {
            return Err(signed_refusal());
        }
        if current.header.version != expected_version {
            return Ok(Written::unchanged(Err(Conflict { current })));
        }
        let marked: Vec<i64> = current
            .rows
            .iter()
            .filter(|r| r.mark.is_some())
            .map(|r| r.no)
            .collect();
        if let Some(e) = dc::sign_blocker(&marked) {
            return Err(ServiceError::Invalid(vec![e]));
        }
        let previous = ca::sign(
            tx,
            &current.header,
            expected_version,
            &now_utc(),
            &actor.staff_id,
        )?;
        let header = ca::header(tx, audit_id)?
            .ok_or_else(|| StoreError::NotFound(format!("checklist audit {audit_id}")))?;
        Ok(Written::change(
            Ok(header),
            entry(
                actor,
                "checklist.sign",
                "checklist_audit",
                audit_id.to_string(),
                vec![],
                match previous {
                    Some(p) => format!("supersedes {p}"),
                    None => String::new(),
                },
            ),
        ))
    })
}

/// Records an event behind items 2–5 (an inspection, a status report, the deletion
/// report received, contacts agreed, an incident consultation). Reviewer or approver.
pub fn record_event(
    store: &mut Store,
    actor: &Actor,
    code: &str,
    kind: EventKind,
    occurred_on: NaiveDate,
    document: &str,
    note: &str,
) -> Result<i64> {
    authorize(actor, Action::AuditChecklist, &Provenance::default())?;
    known_connection(store, code)?;
    let (document, note) = (document.trim(), note.trim());
    free_text("document", document, dc::MAX_EVIDENCE_CHARS, false)?;
    free_text("note", note, dc::MAX_NOTE_CHARS, true)?;
    let today = chrono::Local::now().date_naive();
    if occurred_on > today {
        return Err(invalid(
            "occurred_on",
            "記録する日付が未来になっています。実施・受領した日を入力してください",
            "the date is in the future; enter the day it happened",
        ));
    }
    super::audited_write(store, |tx| {
        let id = ca::insert_event(
            tx,
            &NewEvent {
                connection_code: code,
                kind,
                occurred_on,
                document,
                note,
            },
            &now_utc(),
            &actor.staff_id,
        )?;
        Ok(Written::change(
            id,
            entry(
                actor,
                "checklist.event",
                "checklist_event",
                id.to_string(),
                vec![kind.code().to_string()],
                format!("{code} {occurred_on}"),
            ),
        ))
    })
}

/// Sets how many months an audit stays current (1–60; admin).
pub fn set_audit_interval(store: &mut Store, actor: &Actor, months: u32) -> Result<()> {
    authorize(actor, Action::ChangeSettings, &Provenance::default())?;
    let months =
        dc::parse_interval(&months.to_string()).map_err(|e| ServiceError::Invalid(vec![e]))?;
    super::audited_write(store, |tx| {
        let before = ca::interval_months(tx)?;
        ca::set_interval_months(tx, months)?;
        Ok(Written::change(
            (),
            entry(
                actor,
                "settings.change",
                "setting",
                dc::META_INTERVAL_MONTHS.to_string(),
                vec![],
                format!("{before} -> {months}"),
            ),
        ))
    })
}

/// Records that `actor` reviewed the access-log report of `month` (YYYY-MM; not a
/// future month). Approver or admin. Reviewing again renews the record.
pub fn record_access_review(
    store: &mut Store,
    actor: &Actor,
    month: &str,
    note: &str,
) -> Result<()> {
    authorize(actor, Action::ReviewAccessLog, &Provenance::default())?;
    let first = dc::parse_month(month).map_err(|e| ServiceError::Invalid(vec![e]))?;
    let note = note.trim();
    free_text("note", note, dc::MAX_NOTE_CHARS, true)?;
    if first > chrono::Local::now().date_naive() {
        return Err(invalid(
            "month",
            &format!("{month} はまだ始まっていない月です。確認した報告の年月を指定してください"),
            &format!("{month} has not begun; give the month of the report you reviewed"),
        ));
    }
    let month = first.format("%Y-%m").to_string();
    super::audited_write(store, |tx| {
        ca::upsert_access_review(tx, &month, &now_utc(), &actor.staff_id, note)?;
        Ok(Written::change(
            (),
            entry(
                actor,
                "audit.review",
                "audit_month",
                month.clone(),
                vec![],
                note.to_string(),
            ),
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::checklist::Mark;
    use crate::domain::permission::Role;

    fn actor(id: &str, role: Role) -> Actor {
        Actor {
            staff_id: id.into(),
            role,
        }
    }

    fn mark_all(store: &mut Store, who: &Actor, id: i64) -> AuditDetail {
        let mut last = None;
        for n in 1..=dc::ITEMS {
            last = Some(
                mark_item(store, who, id, n, 0, &MarkInput::new(Mark::Ok))
                    .unwrap()
                    .unwrap(),
            );
        }
        last.unwrap()
    }

    #[test]
    fn walk_sign_and_supersede() {
        let mut store = Store::open_in_memory().unwrap();
        let r = actor("k001", Role::Reviewer);
        let p = actor("p001", Role::Approver);
        let a = start_audit(&mut store, &r, "lemscare", Side::Partner).unwrap();
        assert_eq!(a.rows.len(), 16);
        assert!(
            a.rows[0].wording.ends_with("準拠させる。"),
            "{}",
            a.rows[0].wording
        );
        assert_eq!(a.resume_at(), Some(1));
        // Starting again resumes the same audit.
        assert_eq!(
            start_audit(&mut store, &r, "lemscare", Side::Partner)
                .unwrap()
                .header
                .id,
            a.header.id
        );
        let done = mark_all(&mut store, &r, a.header.id);
        assert_eq!(done.resume_at(), None);
        // A reviewer cannot sign.
        let err = sign_audit(&mut store, &r, a.header.id, done.header.version).unwrap_err();
        assert!(matches!(err, ServiceError::Denied(_)));
        let signed = sign_audit(&mut store, &p, a.header.id, done.header.version)
            .unwrap()
            .unwrap();
        assert_eq!(signed.signed_by.as_deref(), Some("p001"));
        assert_eq!(signed.supersedes, None);
        let b = start_audit(&mut store, &r, "lemscare", Side::Partner).unwrap();
        assert_ne!(b.header.id, a.header.id);
        let done = mark_all(&mut store, &r, b.header.id);
        let second = sign_audit(&mut store, &p, b.header.id, done.header.version)
            .unwrap()
            .unwrap();
        assert_eq!(second.supersedes, Some(a.header.id));
        let history = ca::item_history(store.conn(), "lemscare", Side::Partner, 3).unwrap();
        assert_eq!(history.len(), 2);
        assert_eq!(history[0].audit_id, b.header.id);
        let trail = audit::for_object(
            store.conn(),
            "checklist_audit",
            &a.header.id.to_string(),
            50,
        )
        .unwrap();
        assert_eq!(trail.len(), 18, "start + 16 marks + sign");
    }

    #[test]
    fn a_signed_audit_cannot_be_changed() {
        let mut store = Store::open_in_memory().unwrap();
        let r = actor("k001", Role::Reviewer);
        let p = actor("p001", Role::Approver);
        let a = start_audit(&mut store, &r, "e_application", Side::Ward).unwrap();
        let done = mark_all(&mut store, &r, a.header.id);
        sign_audit(&mut store, &p, a.header.id, done.header.version)
            .unwrap()
            .unwrap();
        let v = done.rows[2].version;
        let err = mark_item(
            &mut store,
            &r,
            a.header.id,
            3,
            v,
            &MarkInput::new(Mark::NotNeeded),
        )
        .unwrap_err();
        assert!(
            err.message(true).contains("署名済み"),
            "{}",
            err.message(true)
        );
        let err = sign_audit(&mut store, &p, a.header.id, done.header.version + 1).unwrap_err();
        assert!(
            err.message(false).contains("signed"),
            "{}",
            err.message(false)
        );
        // Not even the sqlite3 shell: the schema refuses.
        let raw = store.conn().execute(
            "UPDATE checklist_mark SET mark = 'gap' WHERE audit_id = ?1 AND item_no = 3",
            [a.header.id],
        );
        assert!(raw.is_err());
        assert!(
            store
                .conn()
                .execute("DELETE FROM checklist_audit WHERE id = ?1", [a.header.id])
                .is_err()
        );
        assert!(
            store
                .conn()
                .execute(
                    "UPDATE checklist_audit SET signed_by = 'x' WHERE id = ?1",
                    [a.header.id]
                )
                .is_err()
        );
        let now = ca::detail(store.conn(), a.header.id).unwrap().unwrap();
        assert_eq!(now.rows[2].mark, Some(Mark::Ok));
    }

    #[test]
    fn unfinished_stale_or_invalid_input_is_refused() {
        let mut store = Store::open_in_memory().unwrap();
        let r = actor("k001", Role::Reviewer);
        let p = actor("p001", Role::Approver);
        let a = start_audit(&mut store, &r, "kokuhoren", Side::Ward).unwrap();
        let one = mark_item(&mut store, &r, a.header.id, 1, 0, &MarkInput::new(Mark::Ok))
            .unwrap()
            .unwrap();
        let err = sign_audit(&mut store, &p, a.header.id, one.header.version).unwrap_err();
        assert!(err.message(true).contains("2, 3"), "{}", err.message(true));
        // Someone else changed item 1 meanwhile: a conflict with the stored row.
        let conflict = mark_item(
            &mut store,
            &p,
            a.header.id,
            1,
            0,
            &MarkInput::new(Mark::NotNeeded),
        )
        .unwrap()
        .unwrap_err();
        assert_eq!(conflict.current.rows[0].mark, Some(Mark::Ok));
        // A gap without owner and due date, control characters, unknown connection.
        let err = mark_item(
            &mut store,
            &r,
            a.header.id,
            2,
            0,
            &MarkInput::new(Mark::Gap),
        )
        .unwrap_err();
        assert!(
            matches!(&err, ServiceError::Invalid(e) if e.len() == 2),
            "{err}"
        );
        let mut bad = MarkInput::new(Mark::Ok);
        bad.note = "ok\u{1b}[2J".into();
        let err = mark_item(&mut store, &r, a.header.id, 2, 0, &bad).unwrap_err();
        assert!(
            matches!(&err, ServiceError::Invalid(e) if e[0].field == "note"),
            "{err}"
        );
        assert!(
            mark_item(
                &mut store,
                &r,
                a.header.id,
                17,
                0,
                &MarkInput::new(Mark::Ok)
            )
            .is_err()
        );
        assert!(start_audit(&mut store, &r, "nowhere", Side::Ward).is_err());
        let viewer = actor("v", Role::Viewer);
        assert!(matches!(
            start_audit(&mut store, &viewer, "kokuhoren", Side::Ward),
            Err(ServiceError::Denied(_))
        ));
        let mut gap = MarkInput::new(Mark::Gap);
        gap.owner = "情報係".into();
        gap.due_on = NaiveDate::from_ymd_opt(2030, 3, 31);
        gap.note = "ログの定期分析が未実施".into();
        let d = mark_item(&mut store, &r, a.header.id, 13, 0, &gap)
            .unwrap()
            .unwrap();
        assert_eq!(d.rows[12].owner, "情報係");
        assert!(d.rows[12].differs_from_plan());
    }

    #[test]
    fn events_interval_and_access_review() {
        let mut store = Store::open_in_memory().unwrap();
        let r = actor("k001", Role::Reviewer);
        let p = actor("p001", Role::Approver);
        let admin = actor("a001", Role::Admin);
        let day = NaiveDate::from_ymd_opt(2024, 9, 2).unwrap();
        let id = record_event(
            &mut store,
            &r,
            "lemscare",
            EventKind::DeletionReport,
            day,
            "消去報告書 R6-3",
            "",
        )
        .unwrap();
        let ev = ca::events(store.conn(), "lemscare", Some(3)).unwrap();
        assert_eq!(ev.len(), 1);
        assert_eq!(ev[0].id, id);
        assert!(
            ca::events(store.conn(), "lemscare", Some(2))
                .unwrap()
                .is_empty()
        );
        assert_eq!(ca::interval_months(store.conn()).unwrap(), 12);
        assert!(matches!(
            set_audit_interval(&mut store, &p, 6),
            Err(ServiceError::Denied(_))
        ));
        set_audit_interval(&mut store, &admin, 6).unwrap();
        assert_eq!(ca::interval_months(store.conn()).unwrap(), 6);
        assert!(set_audit_interval(&mut store, &admin, 0).is_err());
        assert!(matches!(
            record_access_review(&mut store, &r, "2024-08", ""),
            Err(ServiceError::Denied(_))
        ));
        record_access_review(&mut store, &p, "2024-08", "確認済み").unwrap();
        assert_eq!(
            ca::access_reviews(store.conn(), "2024-08").unwrap().len(),
            1
        );
        assert!(record_access_review(&mut store, &p, "2999-01", "").is_err());
        assert!(record_access_review(&mut store, &p, "2024-8", "").is_err());
        let trail = audit::for_object(store.conn(), "audit_month", "2024-08", 5).unwrap();
        assert_eq!(trail[0].entry.actor, "p001");
    }
}
