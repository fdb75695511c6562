//! Ledger writes: editing a facility's own fields.

use super::{Result, ServiceError, Written};
use crate::domain::history::{self, Cause};
use crate::domain::model::{Facility, FacilityFields};
use crate::domain::permission::{Action, Actor, Provenance, authorize};
use crate::store::{Store, StoreError, audit, change_history, facilities};

/// Outcome of a save that lost the race: what is stored now, so the user can compare.
#[derive(Debug, Clone)]
pub struct Conflict {
    pub current: Facility,
}

/// Saves edited fields if nobody changed the facility since `expected_version`.
/// On a version mismatch nothing is written and `Err(Conflict)` carries the stored row.
pub fn update_facility(
    store: &mut Store,
    actor: &Actor,
    id: i64,
    expected_version: i64,
    edited: &FacilityFields,
) -> Result<std::result::Result<Facility, Conflict>> {
    authorize(actor, Action::EditLedger, &Provenance::default())?;
    let clean = edited.validated().map_err(ServiceError::Invalid)?;
    super::audited_write(store, |tx| {
        let before = facilities::get(tx, id)?
            .ok_or_else(|| StoreError::NotFound(format!("facility {id}")))?;
        // The 事業所番号 is the facility's key in LEMSCARE, the 国保連 and the national
        // system, fixed at designation: an edit must not renumber it.
        if clean.provider_number != before.fields.provider_number {
            return Err(super::invalid(
                "provider_number",
                "事業所番号は台帳の編集では変えられません（指定で決まる番号です。誤りは管理者に相談してください）",
                "the provider number cannot be changed by editing (it is fixed at designation; ask the administrator about a mistake)",
            ));
        }
        let changed = before.fields.changed_fields(&clean);
        match facilities::update_fields(tx, id, expected_version, &clean, &actor.staff_id) {
            Ok(_) => {}
            Err(StoreError::Conflict { .. }) => {
                return Ok(Written::unchanged(Err(Conflict { current: before })));
            }
            Err(e) => return Err(e.into()),
        }
        let after = facilities::get(tx, id)?
            .ok_or_else(|| StoreError::NotFound(format!("facility {id}")))?;
        let values = history::diff(FacilityFields::NAMES.iter().map(|&f| {
            (
                f,
                history::val(before.fields.get(f)),
                history::val(after.fields.get(f)),
            )
        }));
        change_history::record(
            tx,
            id,
            &actor.staff_id,
            &Cause::command("ledger.edit"),
            &values,
        )?;
        // A direct edit reaches the outside systems like a decided 変更届出 does.
        if !changed.is_empty() {
            let payload = serde_json::json!({
                "command": "ledger.edit",
                "provider_number": after.fields.provider_number,
                "changes": values.iter().map(|c| serde_json::json!({"field": c.field})).collect::<Vec<_>>(),
            })
            .to_string();
            crate::store::apply::queue_outbox(
                tx,
                id,
                "change",
                &payload,
                &crate::store::now_utc(),
            )?;
        }
        Ok(Written::change(
            Ok(after),
            audit::Entry {
                actor: actor.staff_id.clone(),
                action: "facility.update".into(),
                object_type: "facility".into(),
                object_id: id.to_string(),
                fields: changed.iter().map(|s| s.to_string()).collect(),
                reason: String::new(),
            },
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ids::provider_check_digit;
    use crate::domain::permission::Role;
    use crate::store::facilities::NewFacility;

    fn setup() -> (Store, i64) {
        let mut store = Store::open_in_memory().unwrap();
        let head = "137100001";
        let fields = FacilityFields {
            provider_number: format!("{head}{}", provider_check_digit(head).unwrap()),
            name: "ケアホーム若松".into(),
            address: "東京都新宿区若松町1-1".into(),
            phone: "03-1111-2222".into(),
            ..Default::default()
        };
        let id = store
            .write(|tx| {
                facilities::insert(
                    tx,
                    &NewFacility {
                        fields,
                        ..Default::default()
                    },
                    "seed",
                )
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

    #[test]
    fn edit_writes_row_and_audit_together() {
        let (mut store, id) = setup();
        let f = facilities::get(store.conn(), id).unwrap().unwrap();
        let mut edited = f.fields.clone();
        edited.phone = "０３－３３３３－４４４４".into();
        let saved = update_facility(&mut store, &actor(Role::Reviewer), id, f.version, &edited)
            .unwrap()
            .unwrap();
        assert_eq!(saved.fields.phone, "03-3333-4444");
        let history = audit::for_object(store.conn(), "facility", &id.to_string(), 10).unwrap();
        assert_eq!(history.len(), 1);
        assert_eq!(history[0].entry.fields, vec!["phone"]);
        assert_eq!(history[0].entry.actor, "k001");
        // The history with values, in the same transaction.
        let values = change_history::list(store.conn(), id, false, 10).unwrap();
        assert_eq!(values.len(), 1);
        assert_eq!(values[0].field, "phone");
        assert_eq!(values[0].old_value.as_deref(), Some("03-1111-2222"));
        assert_eq!(values[0].new_value.as_deref(), Some("03-3333-4444"));
        assert_eq!(values[0].cause, Cause::command("ledger.edit"));
        assert_eq!(values[0].label(true), "電話番号");
        // Queued for LEMSCARE and the 国保連, like a decided 変更届出.
        let queued = crate::store::apply::outbox_for_facility(store.conn(), id).unwrap();
        assert_eq!(queued.len(), 2, "{queued:?}");
    }

    #[test]
    fn an_edit_never_renumbers_the_facility() {
        let (mut store, id) = setup();
        let f = facilities::get(store.conn(), id).unwrap().unwrap();
        let mut edited = f.fields.clone();
        let head = "137100002";
        edited.provider_number = format!("{head}{}", provider_check_digit(head).unwrap());
        let err = update_facility(&mut store, &actor(Role::Approver), id, f.version, &edited)
            .unwrap_err();
        assert!(
            err.message(true)
                .contains("事業所番号は台帳の編集では変えられません")
        );
        let stored = facilities::get(store.conn(), id).unwrap().unwrap();
        assert_eq!(stored.fields.provider_number, f.fields.provider_number);
        assert!(
            crate::store::apply::outbox_for_facility(store.conn(), id)
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn half_width_katakana_is_stored_full_width_and_bad_input_is_refused() {
        let (mut store, id) = setup();
        let f = facilities::get(store.conn(), id).unwrap().unwrap();
        let mut edited = f.fields.clone();
        edited.name = "ｹｱﾌﾟﾗﾝ若松".into();
        edited.name_kana = "ｹｱﾌﾟﾗﾝ ﾜｶﾏﾂ".into();
        let saved = update_facility(&mut store, &actor(Role::Reviewer), id, f.version, &edited)
            .unwrap()
            .unwrap();
        assert_eq!(saved.fields.name, "ケアプラン若松");
        assert_eq!(saved.fields.name_kana, "ケアプラン ワカマツ");
        let stored = facilities::get(store.conn(), id).unwrap().unwrap();
        assert_eq!(stored.fields.name, "ケアプラン若松");
        // An 11-digit 03 number and a kana field in letters and kanji: one message each.
        let mut bad = stored.fields.clone();
        bad.phone = "03-1234-56789".into();
        bad.name_kana = "abc漢字".into();
        let err = update_facility(&mut store, &actor(Role::Reviewer), id, stored.version, &bad)
            .unwrap_err();
        let ja = err.message(true);
        assert!(
            ja.contains("事業所名カナはカタカナ・長音（ー）・空白だけで入力してください"),
            "{ja}"
        );
        assert!(ja.contains("電話番号は0から始まる10桁です"), "{ja}");
        let en = err.message(false);
        assert!(
            en.contains(
                "the phone number is a fixed-line number, which has 10 digits (11 entered)"
            ),
            "{en}"
        );
    }

    #[test]
    fn viewer_is_refused_and_nothing_changes() {
        let (mut store, id) = setup();
        let f = facilities::get(store.conn(), id).unwrap().unwrap();
        let mut edited = f.fields.clone();
        edited.phone = "03-9999-9999".into();
        let err =
            update_facility(&mut store, &actor(Role::Viewer), id, f.version, &edited).unwrap_err();
        assert!(matches!(err, ServiceError::Denied(_)));
        assert_eq!(
            facilities::get(store.conn(), id)
                .unwrap()
                .unwrap()
                .fields
                .phone,
            "03-1111-2222"
        );
    }

    #[test]
    fn invalid_input_lists_fields() {
        let (mut store, id) = setup();
        let f = facilities::get(store.conn(), id).unwrap().unwrap();
        let mut edited = f.fields.clone();
        edited.phone = "12".into();
        let err = update_facility(&mut store, &actor(Role::Reviewer), id, f.version, &edited)
            .unwrap_err();
        assert!(
            matches!(&err, ServiceError::Invalid(e) if e[0].field == "phone"),
            "{err}"
        );
    }

    #[test]
    fn stale_version_returns_conflict_with_current_row() {
        let (mut store, id) = setup();
        let f = facilities::get(store.conn(), id).unwrap().unwrap();
        let mut first = f.fields.clone();
        first.phone = "03-1000-0001".into();
        update_facility(&mut store, &actor(Role::Reviewer), id, f.version, &first)
            .unwrap()
            .unwrap();
        let mut second = f.fields.clone();
        second.phone = "03-2000-0002".into();
        let conflict = update_facility(&mut store, &actor(Role::Approver), id, f.version, &second)
            .unwrap()
            .unwrap_err();
        assert_eq!(conflict.current.fields.phone, "03-1000-0001");
        assert_eq!(
            facilities::get(store.conn(), id)
                .unwrap()
                .unwrap()
                .fields
                .phone,
            "03-1000-0001"
        );
        assert_eq!(
            audit::for_object(store.conn(), "facility", &id.to_string(), 10)
                .unwrap()
                .len(),
            1
        );
    }

    #[test]
    fn failed_audit_insert_rolls_back_the_change() {
        let (mut store, id) = setup();
        let f = facilities::get(store.conn(), id).unwrap().unwrap();
        // Sabotage the audit table so the append fails inside the transaction.
        store.conn().execute_batch("CREATE TRIGGER no_audit BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'audit disk full'); END;").unwrap();
        let mut edited = f.fields.clone();
        edited.phone = "03-5555-5555".into();
        let err = update_facility(&mut store, &actor(Role::Reviewer), id, f.version, &edited)
            .unwrap_err();
        assert!(err.to_string().contains("audit disk full"), "{err}");
        let now = facilities::get(store.conn(), id).unwrap().unwrap();
        assert_eq!(now.fields.phone, "03-1111-2222");
        assert_eq!(now.version, f.version);
        assert_eq!(change_history::count(store.conn(), id).unwrap(), 0);
    }
}
