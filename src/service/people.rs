//! Adding, changing and ending 従事者 and 構成員, and changing the corporation: authorize
//! (`EditLedger`), validate, write with optimistic locking, record every field's old and
//! new value in the facility's history (personal values flagged, masked on reading) and
//! one audit record (field names only), in one transaction.

use super::{Result, ServiceError, Written, invalid};
use crate::domain::history::{Cause, FieldChange};
use crate::domain::people::{
    CorporationFields, CorporationRecord, CouncilFields, CouncilMember, Staff, StaffFields,
};
use crate::domain::permission::{Action, Actor, Provenance, authorize};
use crate::store::{Store, StoreError, audit, change_history, facilities, people};
use chrono::NaiveDate;
use rusqlite::Connection;

fn facility_exists(conn: &Connection, id: i64) -> Result<()> {
    facilities::get(conn, id)?
        .map(|_| ())
        .ok_or_else(|| StoreError::NotFound(format!("facility {id}")).into())
}

fn entry(
    actor: &Actor,
    action: &str,
    object_type: &str,
    object_id: i64,
    changes: &[FieldChange],
) -> audit::Entry {
    audit::Entry {
        actor: actor.staff_id.clone(),
        action: action.into(),
        object_type: object_type.into(),
        object_id: object_id.to_string(),
        fields: changes.iter().map(|c| c.field.clone()).collect(),
        reason: String::new(),
    }
}

fn history(
    conn: &Connection,
    facility_id: i64,
    actor: &Actor,
    command: &str,
    changes: &[FieldChange],
) -> Result<()> {
    change_history::record(
        conn,
        facility_id,
        &actor.staff_id,
        &Cause::command(command),
        changes,
    )?;
    Ok(())
}

fn end_change(
    field: &str,
    before: Option<NaiveDate>,
    after: Option<NaiveDate>,
) -> Vec<FieldChange> {
    if before == after {
        return Vec::new();
    }
    vec![FieldChange::new(
        field,
        before.map(|d| d.to_string()),
        after.map(|d| d.to_string()),
    )]
}

fn staff_row(conn: &Connection, id: i64) -> Result<Staff> {
    Ok(people::staff_member(conn, id)?
        .ok_or_else(|| StoreError::NotFound(format!("staff member {id}")))?)
}

/// Adds a 従事者 to a facility.
pub fn add_staff(
    store: &mut Store,
    actor: &Actor,
    facility_id: i64,
    form: &StaffFields,
) -> Result<Staff> {
    authorize(actor, Action::EditLedger, &Provenance::default())?;
    let clean = form.validated().map_err(ServiceError::Invalid)?;
    super::audited_write(store, |tx| {
        facility_exists(tx, facility_id)?;
        let id = people::insert_staff(tx, facility_id, &clean)?;
        let changes = StaffFields::changes(None, &clean);
        history(tx, facility_id, actor, "staff.add", &changes)?;
        Ok(Written::change(
            staff_row(tx, id)?,
            entry(actor, "staff.add", "facility", facility_id, &changes),
        ))
    })
}

/// Changes a 従事者's fields if nobody changed the row since `expected_version`
/// (else `ServiceError::Store(Conflict)`, nothing written).
pub fn update_staff(
    store: &mut Store,
    actor: &Actor,
    staff_id: i64,
    expected_version: i64,
    form: &StaffFields,
) -> Result<Staff> {
    authorize(actor, Action::EditLedger, &Provenance::default())?;
    let clean = form.validated().map_err(ServiceError::Invalid)?;
    super::audited_write(store, |tx| {
        let before = staff_row(tx, staff_id)?;
        people::update_staff(tx, staff_id, expected_version, &clean, before.ended_on)?;
        let changes = StaffFields::changes(Some(&before.fields), &clean);
        history(tx, before.facility_id, actor, "staff.update", &changes)?;
        Ok(Written::change(
            staff_row(tx, staff_id)?,
            entry(
                actor,
                "staff.update",
                "facility",
                before.facility_id,
                &changes,
            ),
        ))
    })
}

/// Ends a 従事者 on `ended_on` (they stay on file, listed as ended); `None` undoes an
/// end entered by mistake.
pub fn end_staff(
    store: &mut Store,
    actor: &Actor,
    staff_id: i64,
    expected_version: i64,
    ended_on: Option<NaiveDate>,
) -> Result<Staff> {
    authorize(actor, Action::EditLedger, &Provenance::default())?;
    super::audited_write(store, |tx| {
        let before = staff_row(tx, staff_id)?;
        people::update_staff(tx, staff_id, expected_version, &before.fields, ended_on)?;
        let changes = end_change("staff.ended_on", before.ended_on, ended_on);
        history(tx, before.facility_id, actor, "staff.end", &changes)?;
        Ok(Written::change(
            staff_row(tx, staff_id)?,
            entry(actor, "staff.end", "facility", before.facility_id, &changes),
        ))
    })
}

fn council_row(conn: &Connection, id: i64) -> Result<CouncilMember> {
    Ok(people::council_member(conn, id)?
        .ok_or_else(|| StoreError::NotFound(format!("council member {id}")))?)
}

/// Adds a 運営推進会議の構成員.
pub fn add_council_member(
    store: &mut Store,
    actor: &Actor,
    facility_id: i64,
    form: &CouncilFields,
) -> Result<CouncilMember> {
    authorize(actor, Action::EditLedger, &Provenance::default())?;
    let clean = form.validated().map_err(ServiceError::Invalid)?;
    super::audited_write(store, |tx| {
        facility_exists(tx, facility_id)?;
        let id = people::insert_council_member(tx, facility_id, &clean)?;
        let changes = CouncilFields::changes(None, &clean);
        history(tx, facility_id, actor, "council.add", &changes)?;
        Ok(Written::change(
            council_row(tx, id)?,
            entry(actor, "council.add", "facility", facility_id, &changes),
        ))
    })
}

pub fn update_council_member(
    store: &mut Store,
    actor: &Actor,
    member_id: i64,
    expected_version: i64,
    form: &CouncilFields,
) -> Result<CouncilMember> {
    authorize(actor, Action::EditLedger, &Provenance::default())?;
    let clean = form.validated().map_err(ServiceError::Invalid)?;
    super::audited_write(store, |tx| {
        let before = council_row(tx, member_id)?;
        people::update_council_member(tx, member_id, expected_version, &clean, before.ended_on)?;
        let changes = CouncilFields::changes(Some(&before.fields), &clean);
        history(tx, before.facility_id, actor, "council.update", &changes)?;
        Ok(Written::change(
            council_row(tx, member_id)?,
            entry(
                actor,
                "council.update",
                "facility",
                before.facility_id,
                &changes,
            ),
        ))
    })
}

/// Ends a 構成員's membership on `ended_on`; `None` undoes it.
pub fn end_council_member(
    store: &mut Store,
    actor: &Actor,
    member_id: i64,
    expected_version: i64,
    ended_on: Option<NaiveDate>,
) -> Result<CouncilMember> {
    authorize(actor, Action::EditLedger, &Provenance::default())?;
    super::audited_write(store, |tx| {
        let before = council_row(tx, member_id)?;
        people::update_council_member(tx, member_id, expected_version, &before.fields, ended_on)?;
        let changes = end_change("council.ended_on", before.ended_on, ended_on);
        history(tx, before.facility_id, actor, "council.end", &changes)?;
        Ok(Written::change(
            council_row(tx, member_id)?,
            entry(
                actor,
                "council.end",
                "facility",
                before.facility_id,
                &changes,
            ),
        ))
    })
}

/// Changes a corporation's data. The history line goes to every facility it runs; a
/// 法人番号 another corporation holds is refused.
pub fn update_corporation(
    store: &mut Store,
    actor: &Actor,
    corporation_id: i64,
    expected_version: i64,
    form: &CorporationFields,
) -> Result<CorporationRecord> {
    authorize(actor, Action::EditLedger, &Provenance::default())?;
    let clean = form.validated().map_err(ServiceError::Invalid)?;
    super::audited_write(store, |tx| {
        let before = people::corporation(tx, corporation_id)?
            .ok_or_else(|| StoreError::NotFound(format!("corporation {corporation_id}")))?;
        if !clean.corporate_number.is_empty()
            && people::corporation_by_number(tx, &clean.corporate_number)?
                .is_some_and(|other| other != corporation_id)
        {
            return Err(invalid(
                "corporation.corporate_number",
                "この法人番号は別の法人に登録されています。番号を確認してください",
                "another corporation already has this corporate number; check the number",
            ));
        }
        people::update_corporation(tx, corporation_id, expected_version, &clean)?;
        let changes = CorporationFields::changes(Some(&before.fields), &clean);
        for facility_id in people::facilities_of_corporation(tx, corporation_id)? {
            history(tx, facility_id, actor, "corporation.update", &changes)?;
        }
        let saved = people::corporation(tx, corporation_id)?
            .ok_or_else(|| StoreError::NotFound(format!("corporation {corporation_id}")))?;
        Ok(Written::change(
            saved,
            entry(
                actor,
                "corporation.update",
                "corporation",
                corporation_id,
                &changes,
            ),
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ids::provider_check_digit;
    use crate::domain::model::FacilityFields;
    use crate::domain::permission::Role;
    use crate::store::facilities::NewFacility;
    use crate::store::seed::{self, NewCorporation};

    fn setup() -> (Store, i64, i64) {
        let mut store = Store::open_in_memory().unwrap();
        let (fid, cid) = store
            .write(|tx| {
                let cid = seed::insert_corporation(
                    tx,
                    &NewCorporation {
                        corporate_number: "7123456789012",
                        name: "社会福祉法人戸山会",
                        name_kana: "トヤマカイ",
                        kind: "社会福祉法人",
                        address: "東京都新宿区戸山1-1",
                        representative_name: "戸山 一郎",
                        representative_address: "東京都新宿区戸山2-2-2",
                        representative_dob: None,
                        updated_at: "2025-01-01T00:00:00Z",
                    },
                )?;
                let head = "139100001";
                let fid = facilities::insert(
                    tx,
                    &NewFacility {
                        fields: FacilityFields {
                            provider_number: format!(
                                "{head}{}",
                                provider_check_digit(head).unwrap()
                            ),
                            name: "ケアホーム若松".into(),
                            address: "東京都新宿区若松町1-1".into(),
                            phone: "03-1111-2222".into(),
                            ..Default::default()
                        },
                        corporation_id: Some(cid),
                        ..Default::default()
                    },
                    "seed",
                )?;
                Ok((fid, cid))
            })
            .unwrap();
        (store, fid, cid)
    }

    fn actor(role: Role) -> Actor {
        Actor {
            staff_id: "k001".into(),
            role,
        }
    }

    fn staff_form() -> StaffFields {
        StaffFields {
            name: "山田 太郎".into(),
            name_kana: "ﾔﾏﾀﾞ ﾀﾛｳ".into(),
            job_title: "介護職員".into(),
            address: "東京都中野区本町1-2-3".into(),
            dob: "1985-04-12".into(),
            qualification: "介護福祉士".into(),
            care_manager_number: String::new(),
        }
    }

    #[test]
    fn a_staff_change_is_audited_with_masked_old_and_new_values() {
        let (mut store, fid, _) = setup();
        let who = actor(Role::Reviewer);
        let s = add_staff(&mut store, &who, fid, &staff_form()).unwrap();
        assert_eq!(s.fields.name_kana, "ヤマダ タロウ");
        let mut changed = s.fields.clone();
        changed.name = "山田 次郎".into();
        changed.address = "東京都新宿区戸山3-3-3".into();
        let saved = update_staff(&mut store, &who, s.id, s.version, &changed).unwrap();
        assert_eq!(saved.version, s.version + 1);

        // The audit record names the fields, never the values.
        let log = audit::for_object(store.conn(), "facility", &fid.to_string(), 10).unwrap();
        assert_eq!(log[0].entry.action, "staff.update");
        assert_eq!(log[0].entry.fields, ["staff.name", "staff.address"]);
        assert!(!log[0].entry.reason.contains("山田"));
        // The history has the values, masked unless revealed.
        let masked = change_history::list(store.conn(), fid, false, 50).unwrap();
        let name = masked
            .iter()
            .find(|h| h.field == "staff.name" && h.old_value.is_some())
            .unwrap();
        assert!(name.masked);
        assert_eq!(name.old_value.as_deref(), Some("山田 ＊＊"));
        assert_eq!(name.new_value.as_deref(), Some("山田 ＊＊"));
        let addr = masked
            .iter()
            .find(|h| h.field == "staff.address" && h.old_value.is_some())
            .unwrap();
        assert_eq!(addr.old_value.as_deref(), Some("東京都中野区本町＊＊＊"));
        let shown = change_history::list(store.conn(), fid, true, 50).unwrap();
        let name = shown
            .iter()
            .find(|h| h.field == "staff.name" && h.old_value.is_some())
            .unwrap();
        assert_eq!(name.change(true), "山田 太郎 → 山田 次郎");
        assert_eq!(name.cause.label(true), "従事者の変更");

        // A stale version is a conflict; nothing changes.
        let err = update_staff(&mut store, &who, s.id, s.version, &staff_form()).unwrap_err();
        assert!(matches!(
            err,
            ServiceError::Store(StoreError::Conflict { .. })
        ));
        assert_eq!(
            people::staff_member(store.conn(), s.id)
                .unwrap()
                .unwrap()
                .fields
                .name,
            "山田 次郎"
        );
    }

    #[test]
    fn ending_keeps_the_row_and_can_be_undone() {
        let (mut store, fid, _) = setup();
        let who = actor(Role::Approver);
        let s = add_staff(&mut store, &who, fid, &staff_form()).unwrap();
        let end = NaiveDate::from_ymd_opt(2025, 6, 30);
        let ended = end_staff(&mut store, &who, s.id, s.version, end).unwrap();
        assert_eq!(ended.ended_on, end);
        assert!(people::staff(store.conn(), fid, false).unwrap().is_empty());
        assert_eq!(people::staff(store.conn(), fid, true).unwrap().len(), 1);
        let back = end_staff(&mut store, &who, s.id, ended.version, None).unwrap();
        assert_eq!(back.ended_on, None);
        let m = add_council_member(
            &mut store,
            &who,
            fid,
            &CouncilFields {
                name: "佐藤 花子".into(),
                affiliation: "町会".into(),
                title: "会長".into(),
            },
        )
        .unwrap();
        end_council_member(&mut store, &who, m.id, m.version, end).unwrap();
        assert!(
            people::council_members(store.conn(), fid, false)
                .unwrap()
                .is_empty()
        );
        let err = add_staff(&mut store, &actor(Role::Viewer), fid, &staff_form()).unwrap_err();
        assert!(matches!(err, ServiceError::Denied(_)));
        let mut bad = staff_form();
        bad.name_kana = "abc漢字".into();
        let err = add_staff(&mut store, &who, fid, &bad).unwrap_err();
        assert!(
            err.message(true).starts_with("従事者の氏名カナはカタカナ"),
            "{}",
            err.message(true)
        );
    }

    #[test]
    fn corporation_changes_follow_into_search_and_every_facility_history() {
        let (mut store, fid, cid) = setup();
        let who = actor(Role::Reviewer);
        let c = people::corporation(store.conn(), cid).unwrap().unwrap();
        let mut f = c.fields.clone();
        f.name = "社会福祉法人ｹｱ会".into();
        f.name_kana = "ケアカイ".into();
        f.phone = "03-5273-4596".into();
        f.fax = "03-5273-459".into();
        let err = update_corporation(&mut store, &who, cid, c.version, &f).unwrap_err();
        assert!(
            err.message(true)
                .starts_with("法人のFAX番号は0から始まる10桁"),
            "{}",
            err.message(true)
        );
        f.fax = "03-5273-4597".into();
        let saved = update_corporation(&mut store, &who, cid, c.version, &f).unwrap();
        assert_eq!(saved.fields.name, "社会福祉法人ケア会");
        let q = crate::store::facilities::ListQuery {
            search: "ケア会".into(),
            ..Default::default()
        };
        assert_eq!(
            crate::store::facilities::count(store.conn(), &q, 10).unwrap(),
            1
        );
        let hist = change_history::list(store.conn(), fid, false, 50).unwrap();
        assert!(
            hist.iter().any(|h| h.field == "corporation.phone"
                && h.new_value.as_deref() == Some("03-5273-4596"))
        );
        let log = audit::for_object(store.conn(), "corporation", &cid.to_string(), 5).unwrap();
        assert_eq!(log.len(), 1);
    }
}
