//! 運営指導: planning a visit and recording its result (date, findings, 改善報告 due and
//! received). Authorize (`EditLedger`), validate, write with the history values and one
//! audit record in one transaction; the facility's next due date follows.

use super::{Result, ServiceError, Written};
use crate::domain::guidance::{Guidance, GuidanceFields};
use crate::domain::permission::{Action, Actor, Provenance, authorize};
use crate::store::{Store, StoreError, facilities, guidance};
use chrono::NaiveDate;

/// Adds a record: a plan (planned date only) or a result (held date, findings, 改善報告).
pub fn record_guidance(
    store: &mut Store,
    actor: &Actor,
    facility_id: i64,
    form: &GuidanceFields,
    today: NaiveDate,
) -> Result<Guidance> {
    authorize(actor, Action::EditLedger, &Provenance::default())?;
    let clean = form.validated(today).map_err(ServiceError::Invalid)?;
    let command = if clean.held_on.is_empty() {
        "guidance.plan"
    } else {
        "guidance.record"
    };
    super::audited_write(store, |tx| {
        facilities::get(tx, facility_id)?
            .ok_or_else(|| StoreError::NotFound(format!("facility {facility_id}")))?;
        let id = guidance::insert(tx, facility_id, &clean, &actor.staff_id)?;
        let changes = GuidanceFields::changes(None, &clean);
        let record = super::facility_change_record(tx, actor, facility_id, command, &changes)?;
        let saved = guidance::get(tx, id)?
            .ok_or_else(|| StoreError::NotFound(format!("guidance record {id}")))?;
        Ok(Written::change(saved, record))
    })
}

/// Changes a record (the visit was held, the 改善報告 arrived) if still at
/// `expected_version`; otherwise `ServiceError::Store(Conflict)` and nothing is written.
pub fn update_guidance(
    store: &mut Store,
    actor: &Actor,
    record_id: i64,
    expected_version: i64,
    form: &GuidanceFields,
    today: NaiveDate,
) -> Result<Guidance> {
    authorize(actor, Action::EditLedger, &Provenance::default())?;
    let clean = form.validated(today).map_err(ServiceError::Invalid)?;
    super::audited_write(store, |tx| {
        let before = guidance::get(tx, record_id)?
            .ok_or_else(|| StoreError::NotFound(format!("guidance record {record_id}")))?;
        guidance::update(tx, record_id, expected_version, &clean)?;
        let changes = GuidanceFields::changes(Some(&before.fields), &clean);
        let record = super::facility_change_record(
            tx,
            actor,
            before.facility_id,
            "guidance.record",
            &changes,
        )?;
        let saved = guidance::get(tx, record_id)?
            .ok_or_else(|| StoreError::NotFound(format!("guidance record {record_id}")))?;
        Ok(Written::change(saved, record))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ids::provider_check_digit;
    use crate::domain::model::FacilityFields;
    use crate::domain::permission::Role;
    use crate::store::change_history;
    use crate::store::facilities::NewFacility;
    use crate::store::seed::{self, NewDesignation};

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    /// A GH (32: every 3 years) and a day service (78: once per 6-year period).
    fn setup() -> (Store, i64, i64) {
        let mut store = Store::open_in_memory().unwrap();
        let ids = store
            .write(|tx| {
                let mut ids = Vec::new();
                for (serial, code) in [("139100001", "32"), ("139100002", "78")] {
                    let id = facilities::insert(
                        tx,
                        &NewFacility {
                            fields: FacilityFields {
                                provider_number: format!(
                                    "{serial}{}",
                                    provider_check_digit(serial).unwrap()
                                ),
                                name: format!("事業所{code}"),
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
                            service_code: code,
                            designated_on: d(2020, 4, 1),
                            expires_on: d(2026, 3, 31),
                            status: "active",
                        },
                    )?;
                    guidance::refresh(tx, id)?;
                    ids.push(id);
                }
                Ok(ids)
            })
            .unwrap();
        (store, ids[0], ids[1])
    }

    fn who() -> Actor {
        Actor {
            staff_id: "k001".into(),
            role: Role::Reviewer,
        }
    }

    #[test]
    fn intervals_come_from_the_service_and_a_result_moves_the_due_date() {
        let (mut store, gh, day) = setup();
        let today = d(2025, 6, 15);
        let st = guidance::status(store.conn(), gh).unwrap();
        assert_eq!(st.interval_months, Some(36));
        assert_eq!(st.next_due, Some(d(2023, 3, 31)));
        assert_eq!(
            guidance::status(store.conn(), day).unwrap().next_due,
            Some(d(2026, 3, 31))
        );
        // FY2025: both are due (the GH overdue since 2023), the GH in April.
        let plan = guidance::year_plan(store.conn(), 2025, today).unwrap();
        assert_eq!(plan.total, 2);
        assert_eq!(plan.overdue, 1);
        assert_eq!(plan.months[0].1[0].facility_id, gh);
        assert_eq!(plan.months[11].1[0].facility_id, day);
        let counts = guidance::counts(store.conn(), today).unwrap();
        assert_eq!((counts.due_this_year, counts.overdue), (2, 1));

        // Plan the GH for September, then record the result.
        let plan_form = GuidanceFields {
            planned_on: "2025-09-10".into(),
            ..Default::default()
        };
        let p = record_guidance(&mut store, &who(), gh, &plan_form, today).unwrap();
        let plan = guidance::year_plan(store.conn(), 2025, today).unwrap();
        assert_eq!(plan.months[5].1[0].planned_on, Some(d(2025, 9, 10)));
        let mut result = p.fields.clone();
        result.held_on = "2025-06-12".into();
        result.findings = "個別支援計画の記載不備".into();
        result.improvement_due_on = "2025-07-31".into();
        let saved = update_guidance(&mut store, &who(), p.id, p.version, &result, today).unwrap();
        assert!(saved.fields.improvement_pending());
        assert_eq!(
            guidance::status(store.conn(), gh).unwrap().next_due,
            Some(d(2028, 6, 11))
        );
        let counts = guidance::counts(store.conn(), today).unwrap();
        assert_eq!((counts.due_this_year, counts.overdue), (1, 0));
        let hist = change_history::list(store.conn(), gh, false, 20).unwrap();
        assert!(
            hist.iter()
                .any(|h| h.field == "guidance.findings"
                    && h.cause.label(true) == "運営指導の結果記録")
        );
        // Stale version: conflict.
        let err = update_guidance(&mut store, &who(), p.id, p.version, &result, today).unwrap_err();
        assert!(matches!(
            err,
            ServiceError::Store(StoreError::Conflict { .. })
        ));
    }
}
