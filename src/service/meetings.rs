//! Recording 運営推進会議 / 介護・医療連携推進会議: authorize (`EditLedger`), validate,
//! write the meeting, its history values and one audit record in one transaction. The
//! facility's next due date (and so the overdue alert) follows in the same transaction.

use super::{Result, ServiceError, Written, invalid};
use crate::domain::meeting::{Meeting, MeetingFields, MeetingKind};
use crate::domain::permission::{Action, Actor, Provenance, authorize};
use crate::store::{Store, StoreError, facilities, meetings};
use chrono::NaiveDate;
use rusqlite::Connection;

fn facility_exists(conn: &Connection, id: i64) -> Result<()> {
    facilities::get(conn, id)?
        .map(|_| ())
        .ok_or_else(|| StoreError::NotFound(format!("facility {id}")).into())
}

/// The kind must be one the facility's services hold.
fn check_kind(conn: &Connection, facility_id: i64, kind: &str) -> Result<()> {
    let kinds = meetings::required_kinds(conn, facility_id)?;
    if kinds.iter().any(|k| k.label_ja() == kind) {
        return Ok(());
    }
    if kinds.is_empty() {
        return Err(invalid(
            "meeting.kind",
            "この事業所のサービスには運営推進会議の開催義務がありません",
            "this facility's services hold no meetings",
        ));
    }
    let names = |f: fn(MeetingKind) -> &'static str| {
        kinds.iter().map(|k| f(*k)).collect::<Vec<_>>().join("・")
    };
    Err(invalid(
        "meeting.kind",
        &format!(
            "この事業所の会議の種類は{}です",
            names(MeetingKind::label_ja)
        ),
        &format!("this facility holds the {}", names(MeetingKind::label_en)),
    ))
}

/// Records a meeting that was held (as of `today`): the facility's next due date moves to
/// the meeting date plus its service's interval, clearing an overdue alert.
pub fn record_meeting(
    store: &mut Store,
    actor: &Actor,
    facility_id: i64,
    form: &MeetingFields,
    today: NaiveDate,
) -> Result<Meeting> {
    authorize(actor, Action::EditLedger, &Provenance::default())?;
    let clean = form.validated(today).map_err(ServiceError::Invalid)?;
    super::audited_write(store, |tx| {
        facility_exists(tx, facility_id)?;
        check_kind(tx, facility_id, &clean.kind)?;
        let id = meetings::insert(tx, facility_id, &clean, &actor.staff_id)?;
        let changes = MeetingFields::changes(None, &clean);
        let record =
            super::facility_change_record(tx, actor, facility_id, "meeting.record", &changes)?;
        let saved =
            meetings::get(tx, id)?.ok_or_else(|| StoreError::NotFound(format!("meeting {id}")))?;
        Ok(Written::change(saved, record))
    })
}

/// Corrects a meeting record (say, the minutes arrived) if nobody changed it since
/// `expected_version`; otherwise `ServiceError::Store(Conflict)` and nothing is written.
pub fn update_meeting(
    store: &mut Store,
    actor: &Actor,
    meeting_id: i64,
    expected_version: i64,
    form: &MeetingFields,
    today: NaiveDate,
) -> Result<Meeting> {
    authorize(actor, Action::EditLedger, &Provenance::default())?;
    let clean = form.validated(today).map_err(ServiceError::Invalid)?;
    super::audited_write(store, |tx| {
        let before = meetings::get(tx, meeting_id)?
            .ok_or_else(|| StoreError::NotFound(format!("meeting {meeting_id}")))?;
        if before.fields.kind != clean.kind {
            check_kind(tx, before.facility_id, &clean.kind)?;
        }
        meetings::update(tx, meeting_id, expected_version, &clean)?;
        let changes = MeetingFields::changes(Some(&before.fields), &clean);
        let record = super::facility_change_record(
            tx,
            actor,
            before.facility_id,
            "meeting.update",
            &changes,
        )?;
        let saved = meetings::get(tx, meeting_id)?
            .ok_or_else(|| StoreError::NotFound(format!("meeting {meeting_id}")))?;
        Ok(Written::change(saved, record))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ids::provider_check_digit;
    use crate::domain::meeting::is_overdue;
    use crate::domain::model::FacilityFields;
    use crate::domain::permission::Role;
    use crate::store::facilities::NewFacility;
    use crate::store::seed::{self, NewDesignation};
    use crate::store::{audit, change_history};

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    /// A グループホーム (32, meetings every 2 months) whose last meeting was in January.
    fn setup() -> (Store, i64) {
        let mut store = Store::open_in_memory().unwrap();
        let head = "139100001";
        let id = store
            .write(|tx| {
                let id = facilities::insert(
                    tx,
                    &NewFacility {
                        fields: FacilityFields {
                            provider_number: format!(
                                "{head}{}",
                                provider_check_digit(head).unwrap()
                            ),
                            name: "グループホーム戸山".into(),
                            address: "東京都新宿区戸山1-1".into(),
                            phone: "03-1111-2222".into(),
                            ..Default::default()
                        },
                        ..Default::default()
                    },
                    "seed",
                )?;
                seed::insert_designation(
                    tx,
                    &NewDesignation {
                        facility_id: id,
                        service_code: "32",
                        designated_on: d(2020, 4, 1),
                        expires_on: d(2026, 3, 31),
                        status: "active",
                    },
                )?;
                seed::insert_meeting(tx, id, d(2025, 1, 20), "minutes/1.pdf")?;
                facilities::refresh_summary(tx, id)?;
                Ok(id)
            })
            .unwrap();
        (store, id)
    }

    fn actor(role: Role) -> Actor {
        Actor {
            staff_id: "k001".into(),
            role,
        }
    }

    fn form(held: &str) -> MeetingFields {
        MeetingFields {
            kind: "運営推進会議".into(),
            held_on: held.into(),
            attendees: "7".into(),
            ..Default::default()
        }
    }

    #[test]
    fn recording_a_meeting_clears_the_overdue_alert_and_sets_the_next_due_date() {
        let (mut store, id) = setup();
        let today = d(2025, 6, 15);
        let due = |s: &Store| {
            facilities::row(s.conn(), id)
                .unwrap()
                .unwrap()
                .next_meeting_due
        };
        assert_eq!(due(&store), Some(d(2025, 3, 20)));
        assert!(is_overdue(due(&store), today));
        let overdue = crate::store::dashboard::due_counts(store.conn(), today, 3)
            .unwrap()
            .meetings_overdue;
        assert_eq!(overdue, 1);

        let m = record_meeting(
            &mut store,
            &actor(Role::Reviewer),
            id,
            &form("令和7年6月10日"),
            today,
        )
        .unwrap();
        assert_eq!(m.fields.held_on, "2025-06-10");
        // 32 holds one every 2 months.
        assert_eq!(due(&store), Some(d(2025, 8, 10)));
        assert!(!is_overdue(due(&store), today));
        let counts = crate::store::dashboard::due_counts(store.conn(), today, 3).unwrap();
        assert_eq!(counts.meetings_overdue, 0);
        let duty = meetings::duties(store.conn(), id).unwrap();
        assert_eq!(duty.len(), 1);
        assert_eq!(duty[0].next_due, Some(d(2025, 8, 10)));

        // One audit record and the history lines with values.
        let log = audit::for_object(store.conn(), "facility", &id.to_string(), 10).unwrap();
        assert_eq!(log.len(), 1);
        assert_eq!(log[0].entry.action, "meeting.record");
        let hist = change_history::list(store.conn(), id, false, 10).unwrap();
        let held = hist.iter().find(|h| h.field == "meeting.held_on").unwrap();
        assert_eq!(held.new_value.as_deref(), Some("2025-06-10"));
        assert_eq!(held.label(true), "会議の開催日");
        assert_eq!(held.cause.label(true), "会議の記録");
    }

    #[test]
    fn each_kind_clears_only_its_own_duty() {
        let (mut store, id) = setup();
        let today = d(2025, 6, 15);
        // Add 76 (介護・医療連携推進会議 every 6 months), designated 2024-04-01: due 2024-10-01.
        store
            .write(|tx| {
                seed::insert_designation(
                    tx,
                    &NewDesignation {
                        facility_id: id,
                        service_code: "76",
                        designated_on: d(2024, 4, 1),
                        expires_on: d(2030, 3, 31),
                        status: "active",
                    },
                )?;
                // The seeded January meeting was a 運営推進会議.
                tx.execute("UPDATE council_meeting SET kind = '運営推進会議'", [])?;
                facilities::refresh_summary(tx, id)
            })
            .unwrap();
        let due = |s: &Store| {
            facilities::row(s.conn(), id)
                .unwrap()
                .unwrap()
                .next_meeting_due
        };
        record_meeting(
            &mut store,
            &actor(Role::Reviewer),
            id,
            &form("2025-06-10"),
            today,
        )
        .unwrap();
        // The 運営推進会議 does not clear the liaison meeting's duty.
        assert_eq!(due(&store), Some(d(2024, 10, 1)));
        let duties = meetings::duties(store.conn(), id).unwrap();
        let liaison = duties
            .iter()
            .find(|x| x.kind == MeetingKind::MedicalLiaison)
            .unwrap();
        assert!(liaison.is_overdue(today));
        assert!(is_overdue(due(&store), today));
        let mut liaison_form = form("2025-06-12");
        liaison_form.kind = "介護・医療連携推進会議".into();
        record_meeting(&mut store, &actor(Role::Reviewer), id, &liaison_form, today).unwrap();
        // Now both are held: the earliest next due is the GH's 2 months.
        assert_eq!(due(&store), Some(d(2025, 8, 10)));
    }

    #[test]
    fn minutes_arrive_later_with_locking_and_wrong_kinds_are_refused() {
        let (mut store, id) = setup();
        let today = d(2025, 6, 15);
        let who = actor(Role::Reviewer);
        let m = record_meeting(&mut store, &who, id, &form("2025-06-10"), today).unwrap();
        let mut later = m.fields.clone();
        later.minutes_received_on = "2025-06-14".into();
        let saved = update_meeting(&mut store, &who, m.id, m.version, &later, today).unwrap();
        assert_eq!(saved.fields.minutes_received_on, "2025-06-14");
        // The same stale version again: a conflict, nothing written.
        let mut stale = m.fields.clone();
        stale.attendees = "9".into();
        let err = update_meeting(&mut store, &who, m.id, m.version, &stale, today).unwrap_err();
        assert!(
            matches!(err, ServiceError::Store(StoreError::Conflict { .. })),
            "{err}"
        );
        assert!(err.message(true).contains("他の職員が先に保存しました"));
        assert_eq!(
            meetings::get(store.conn(), m.id)
                .unwrap()
                .unwrap()
                .fields
                .attendees,
            "7"
        );

        let mut wrong = form("2025-06-11");
        wrong.kind = "介護・医療連携推進会議".into();
        let err = record_meeting(&mut store, &who, id, &wrong, today).unwrap_err();
        assert_eq!(
            err.message(true),
            "この事業所の会議の種類は運営推進会議です"
        );
        let err = record_meeting(
            &mut store,
            &actor(Role::Viewer),
            id,
            &form("2025-06-11"),
            today,
        )
        .unwrap_err();
        assert!(matches!(err, ServiceError::Denied(_)));
        assert_eq!(meetings::list(store.conn(), id).unwrap().len(), 2);
    }
}
