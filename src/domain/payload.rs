//! What an application asks for (its payload), one shape per kind, stored as JSON in
//! `application.payload`. A 変更届出 keeps each field's ledger value at intake next to the
//! requested one, so the case view can show current → requested and the history what
//! was replaced.

use super::application::ApplicationKind;
use super::model::FacilityFields;
use super::validate::FieldError;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// Longest free text in a payload (reasons, 体制 items), in characters.
pub const MAX_PAYLOAD_TEXT: usize = 200;
/// Most 体制 items one 加算届 may carry.
pub const MAX_ADDITION_ITEMS: usize = 30;

/// ISO dates (YYYY-MM-DD) in payload JSON, without chrono's serde feature.
mod iso {
    use chrono::NaiveDate;
    use serde::{Deserialize, Deserializer, Serializer, de::Error};

    pub fn serialize<S: Serializer>(d: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&d.format("%Y-%m-%d"))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
        let s = String::deserialize(d)?;
        NaiveDate::parse_from_str(&s, "%Y-%m-%d")
            .map_err(|_| D::Error::custom(format!("date {s:?} is not YYYY-MM-DD")))
    }

    pub mod opt {
        use super::*;

        pub fn serialize<S: Serializer>(d: &Option<NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
            match d {
                Some(d) => super::serialize(d, s),
                None => s.serialize_none(),
            }
        }

        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
            match Option::<String>::deserialize(d)? {
                Some(s) => NaiveDate::parse_from_str(&s, "%Y-%m-%d")
                    .map(Some)
                    .map_err(|_| D::Error::custom(format!("date {s:?} is not YYYY-MM-DD"))),
                None => Ok(None),
            }
        }
    }
}

/// One changed field of a 変更届出: the ledger value at intake and the requested one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldChange {
    pub field: String,
    #[serde(default)]
    pub before: String,
    pub after: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangePayload {
    #[serde(with = "iso")]
    pub changed_on: NaiveDate,
    pub changes: Vec<FieldChange>,
}

/// 新規指定申請: the whole new facility. `provider_number` stays empty until the
/// approver confirms one at the decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewPayload {
    pub facility: FacilityFields,
    pub service_code: String,
    #[serde(with = "iso")]
    pub effective_on: NaiveDate,
    /// The day the 都 was told of the planned designation (法78条の2第2項).
    #[serde(default, with = "iso::opt")]
    pub prefecture_notified_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    #[serde(with = "iso")]
    pub from: NaiveDate,
    #[serde(with = "iso")]
    pub to: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RenewalPayload {
    pub service_code: String,
    #[serde(with = "iso")]
    pub current_expiry: NaiveDate,
    pub new_period: Period,
}

/// 加算届: the 体制 items and the month they take effect (its first day).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdditionPayload {
    pub service_code: String,
    #[serde(with = "iso")]
    pub effective_month: NaiveDate,
    pub items: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClosureType {
    /// 廃止
    Closure,
    /// 休止
    Suspension,
}

impl ClosureType {
    pub fn label_ja(self) -> &'static str {
        match self {
            Self::Closure => "廃止",
            Self::Suspension => "休止",
        }
    }
    pub fn label_en(self) -> &'static str {
        match self {
            Self::Closure => "closure",
            Self::Suspension => "suspension",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClosurePayload {
    #[serde(rename = "type")]
    pub what: ClosureType,
    #[serde(with = "iso")]
    pub on: NaiveDate,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResumptionPayload {
    #[serde(with = "iso")]
    pub resume_on: NaiveDate,
}

/// 指定辞退: one service's designation ends on `on`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WithdrawalPayload {
    pub service_code: String,
    #[serde(with = "iso")]
    pub on: NaiveDate,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
// One payload per case, read and written one at a time: size does not matter here.
#[allow(clippy::large_enum_variant)]
pub enum Payload {
    New(NewPayload),
    Renewal(RenewalPayload),
    Change(ChangePayload),
    Addition(AdditionPayload),
    Closure(ClosurePayload),
    Resumption(ResumptionPayload),
    Withdrawal(WithdrawalPayload),
}

fn bad(ja: &str, en: &str) -> FieldError {
    FieldError::new("payload", ja, en)
}

/// Facility fields a 変更届出 may change (the 事業所番号 never changes by notice).
pub const CHANGEABLE_FIELDS: [&str; 9] = [
    "name",
    "name_kana",
    "postal_code",
    "address",
    "town",
    "phone",
    "fax",
    "email",
    "manager_name",
];

#[cfg(test)]
mod value_label_tests {
    #[test]
    fn a_status_reads_as_its_name() {
        assert_eq!(super::value_label("status", "suspended", true), "休止");
        assert_eq!(super::value_label("status", "active", false), "Active");
        assert_eq!(super::value_label("phone", "suspended", true), "suspended");
    }
}

/// Fields whose values name a person: their history rows are marked personal.
pub fn is_personal_field(field: &str) -> bool {
    matches!(field, "manager_name")
}

/// Japanese and English label of a facility field, for diffs and letters.
pub fn field_label(field: &str) -> (&'static str, &'static str) {
    match field {
        "provider_number" => ("事業所番号", "provider number"),
        "name" => ("事業所名", "name"),
        "name_kana" => ("事業所名カナ", "name (kana)"),
        "postal_code" => ("郵便番号", "postal code"),
        "address" => ("所在地", "address"),
        "town" => ("町名", "town"),
        "phone" => ("電話番号", "phone"),
        "fax" => ("FAX番号", "fax"),
        "email" => ("メールアドレス", "e-mail"),
        "manager_name" => ("管理者氏名", "manager"),
        "status" => ("状態", "status"),
        "status_on" => ("状態の変更日", "status date"),
        "designated_on" => ("指定年月日", "designated on"),
        "expires_on" => ("有効期間満了日", "expires on"),
        "addition" => ("体制等（加算）", "care structure items"),
        "designation" => ("指定", "designation"),
        _ => ("", ""),
    }
}

/// A stored value as staff read it: the facility's status by its name (休止, not
/// `suspended`); every other value as it is.
pub fn value_label(field: &str, value: &str, ja: bool) -> String {
    match (field, super::model::FacilityStatus::from_code(value)) {
        ("status", Some(st)) if ja => st.label_ja().to_string(),
        ("status", Some(st)) => st.label_en().to_string(),
        _ => value.to_string(),
    }
}

impl Payload {
    pub fn kind(&self) -> ApplicationKind {
        match self {
            Payload::New(_) => ApplicationKind::NewDesignation,
            Payload::Renewal(_) => ApplicationKind::Renewal,
            Payload::Change(_) => ApplicationKind::Change,
            Payload::Addition(_) => ApplicationKind::Addition,
            Payload::Closure(_) => ApplicationKind::ClosureOrSuspension,
            Payload::Resumption(_) => ApplicationKind::Resumption,
            Payload::Withdrawal(_) => ApplicationKind::Withdrawal,
        }
    }

    /// Reads the stored JSON of an application of `kind`.
    pub fn parse(kind: ApplicationKind, json: &str) -> Result<Payload, FieldError> {
        fn de<T: for<'a> Deserialize<'a>>(json: &str) -> Result<T, FieldError> {
            serde_json::from_str(json).map_err(|e| {
                bad(
                    &format!("申請内容を読めません（{e}）。申請を受け付け直してください"),
                    &format!(
                        "the application's contents cannot be read ({e}); key the case in again"
                    ),
                )
            })
        }
        Ok(match kind {
            ApplicationKind::NewDesignation => Payload::New(de(json)?),
            ApplicationKind::Renewal => Payload::Renewal(de(json)?),
            ApplicationKind::Change => Payload::Change(de(json)?),
            ApplicationKind::Addition => Payload::Addition(de(json)?),
            ApplicationKind::ClosureOrSuspension => Payload::Closure(de(json)?),
            ApplicationKind::Resumption => Payload::Resumption(de(json)?),
            ApplicationKind::Withdrawal => Payload::Withdrawal(de(json)?),
        })
    }

    pub fn to_json(&self) -> String {
        let v = match self {
            Payload::New(p) => serde_json::to_value(p),
            Payload::Renewal(p) => serde_json::to_value(p),
            Payload::Change(p) => serde_json::to_value(p),
            Payload::Addition(p) => serde_json::to_value(p),
            Payload::Closure(p) => serde_json::to_value(p),
            Payload::Resumption(p) => serde_json::to_value(p),
            Payload::Withdrawal(p) => serde_json::to_value(p),
        };
        v.map(|v| v.to_string()).unwrap_or_else(|_| "{}".into())
    }

    /// The date the filing deadline counts from (DESIGN §2): the change, the effective
    /// date, the closure, the end of the current period.
    pub fn event_date(&self) -> NaiveDate {
        match self {
            Payload::New(p) => p.effective_on,
            Payload::Renewal(p) => p.current_expiry,
            Payload::Change(p) => p.changed_on,
            Payload::Addition(p) => p.effective_month,
            Payload::Closure(p) => p.on,
            Payload::Resumption(p) => p.resume_on,
            Payload::Withdrawal(p) => p.on,
        }
    }

    /// The service the case is about, when it names one.
    pub fn service_code(&self) -> Option<&str> {
        match self {
            Payload::New(p) => Some(&p.service_code),
            Payload::Renewal(p) => Some(&p.service_code),
            Payload::Addition(p) => Some(&p.service_code),
            Payload::Withdrawal(p) => Some(&p.service_code),
            _ => None,
        }
    }

    /// Checks the payload on its own (the ledger-dependent checks are the decision
    /// plan's) and returns it canonicalised: every text through the free-text rule,
    /// facility fields through the ledger editor's validation, dates in order.
    pub fn validated(&self) -> Result<Payload, Vec<FieldError>> {
        let mut errors = Vec::new();
        fn text(errors: &mut Vec<FieldError>, field: &'static str, v: &str) {
            if let Err(e) = super::text::check_free_text(field, v, MAX_PAYLOAD_TEXT, false) {
                errors.push(e);
            }
        }
        let out = match self {
            Payload::New(p) => {
                let mut p = p.clone();
                text(&mut errors, "service_code", &p.service_code);
                let mut fields = p.facility.clone();
                // The number is the approver's to confirm; validate the rest now.
                let blank_number = fields.provider_number.trim().is_empty();
                if blank_number {
                    // A valid vector (DESIGN §2) stands in while the number is blank.
                    fields.provider_number = "1493600157".into();
                }
                match fields.validated() {
                    Ok(mut ok) => {
                        if blank_number {
                            ok.provider_number.clear();
                        }
                        p.facility = ok;
                    }
                    Err(e) => errors.extend(e),
                }
                Payload::New(p)
            }
            Payload::Renewal(p) => {
                text(&mut errors, "service_code", &p.service_code);
                if p.new_period.from <= p.current_expiry || p.new_period.to < p.new_period.from {
                    errors.push(bad(
                        "更新後の有効期間は現在の満了日の翌日以降に始まり、終わりが始まり以降である必要があります",
                        "the renewed period must start after the current expiry and end after it starts",
                    ));
                }
                Payload::Renewal(p.clone())
            }
            Payload::Change(p) => {
                if p.changes.is_empty() {
                    errors.push(bad(
                        "変更する項目がありません。変更内容を1つ以上入力してください",
                        "the change notice changes nothing; enter at least one changed field",
                    ));
                }
                for c in &p.changes {
                    if !CHANGEABLE_FIELDS.contains(&c.field.as_str()) {
                        errors.push(bad(
                            &format!("「{}」は変更届出で変えられる項目ではありません", c.field),
                            &format!("'{}' is not a field a change notice can change", c.field),
                        ));
                    }
                    text(&mut errors, "before", &c.before);
                    text(&mut errors, "after", &c.after);
                }
                Payload::Change(p.clone())
            }
            Payload::Addition(p) => {
                text(&mut errors, "service_code", &p.service_code);
                if p.items.is_empty() || p.items.len() > MAX_ADDITION_ITEMS {
                    errors.push(bad(
                        &format!("体制等の項目を1〜{MAX_ADDITION_ITEMS}件入力してください"),
                        &format!("enter 1 to {MAX_ADDITION_ITEMS} care structure items"),
                    ));
                }
                for i in &p.items {
                    if i.trim().is_empty() {
                        errors.push(bad(
                            "体制等の項目が空です",
                            "a care structure item is empty",
                        ));
                    }
                    text(&mut errors, "items", i);
                }
                let mut p = p.clone();
                p.effective_month = p.effective_month.with_day(1).unwrap_or(p.effective_month);
                p.items = p.items.iter().map(|i| i.trim().to_string()).collect();
                Payload::Addition(p)
            }
            Payload::Closure(p) => {
                text(&mut errors, "reason", &p.reason);
                Payload::Closure(p.clone())
            }
            Payload::Resumption(p) => Payload::Resumption(p.clone()),
            Payload::Withdrawal(p) => {
                text(&mut errors, "service_code", &p.service_code);
                text(&mut errors, "reason", &p.reason);
                Payload::Withdrawal(p.clone())
            }
        };
        if errors.is_empty() {
            Ok(out)
        } else {
            Err(errors)
        }
    }
}

/// The facility's fields with `changes` applied, validated like the ledger editor: an
/// error names the field the notice wants to change.
pub fn apply_changes(
    current: &FacilityFields,
    changes: &[FieldChange],
) -> Result<FacilityFields, Vec<FieldError>> {
    let mut next = current.clone();
    for c in changes {
        next.set(&c.field, c.after.clone());
    }
    let changed: Vec<&str> = changes.iter().map(|c| c.field.as_str()).collect();
    match next.validated() {
        Ok(v) => Ok(v),
        Err(errs) => {
            let own: Vec<FieldError> = errs
                .into_iter()
                .filter(|e| changed.contains(&e.field))
                .collect();
            if own.is_empty() {
                // The current ledger row itself is invalid; let the requested values stand.
                Ok(next)
            } else {
                Err(own)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn facility() -> FacilityFields {
        FacilityFields {
            provider_number: "1390400024".into(),
            name: "デイサービス若松".into(),
            address: "東京都新宿区若松町1-1".into(),
            phone: "03-1111-2222".into(),
            manager_name: "山田 太郎".into(),
            ..Default::default()
        }
    }

    #[test]
    fn every_kind_round_trips_through_json() {
        let all = [
            Payload::New(NewPayload {
                facility: facility(),
                service_code: "78".into(),
                effective_on: d(2027, 2, 1),
                prefecture_notified_on: Some(d(2026, 12, 10)),
            }),
            Payload::Renewal(RenewalPayload {
                service_code: "78".into(),
                current_expiry: d(2027, 2, 28),
                new_period: Period {
                    from: d(2027, 3, 1),
                    to: d(2033, 2, 28),
                },
            }),
            Payload::Change(ChangePayload {
                changed_on: d(2026, 11, 11),
                changes: vec![FieldChange {
                    field: "phone".into(),
                    before: "03-1111-2222".into(),
                    after: "03-3333-4444".into(),
                }],
            }),
            Payload::Addition(AdditionPayload {
                service_code: "78".into(),
                effective_month: d(2027, 1, 1),
                items: vec!["科学的介護推進体制加算".into()],
            }),
            Payload::Closure(ClosurePayload {
                what: ClosureType::Suspension,
                on: d(2026, 12, 31),
                reason: "改修工事".into(),
            }),
            Payload::Resumption(ResumptionPayload {
                resume_on: d(2026, 11, 1),
            }),
            Payload::Withdrawal(WithdrawalPayload {
                service_code: "A6".into(),
                on: d(2027, 1, 31),
                reason: "事業縮小".into(),
            }),
        ];
        for p in all {
            let back = Payload::parse(p.kind(), &p.to_json()).unwrap();
            assert_eq!(back, p);
            assert_eq!(back.validated().unwrap(), p, "{:?}", p.kind());
        }
    }

    #[test]
    fn wrong_shapes_and_fields_are_refused_with_a_sentence() {
        let e = Payload::parse(ApplicationKind::Change, r#"{"changes": 3}"#).unwrap_err();
        assert!(e.ja.contains("申請内容を読めません") && e.en.contains("cannot be read"));
        let p = Payload::Change(ChangePayload {
            changed_on: d(2026, 1, 1),
            changes: vec![FieldChange {
                field: "provider_number".into(),
                before: String::new(),
                after: "1390400032".into(),
            }],
        });
        let errs = p.validated().unwrap_err();
        assert!(errs[0].ja.contains("provider_number"), "{errs:?}");
        let p = Payload::Closure(ClosurePayload {
            what: ClosureType::Closure,
            on: d(2026, 1, 1),
            reason: "理由\u{1b}[2J".into(),
        });
        assert_eq!(p.validated().unwrap_err()[0].field, "reason");
        let p = Payload::Renewal(RenewalPayload {
            service_code: "78".into(),
            current_expiry: d(2027, 2, 28),
            new_period: Period {
                from: d(2027, 2, 1),
                to: d(2033, 1, 31),
            },
        });
        assert!(p.validated().is_err());
    }

    #[test]
    fn a_new_facility_is_validated_like_the_ledger_editor_number_left_to_the_approver() {
        let mut f = facility();
        f.provider_number.clear();
        f.phone = "０３－５５５５－６６６６".into();
        let p = Payload::New(NewPayload {
            facility: f.clone(),
            service_code: "78".into(),
            effective_on: d(2027, 2, 1),
            prefecture_notified_on: None,
        });
        let Payload::New(ok) = p.validated().unwrap() else {
            panic!()
        };
        assert_eq!(ok.facility.phone, "03-5555-6666");
        assert!(ok.facility.provider_number.is_empty());
        f.phone = "12".into();
        let p = Payload::New(NewPayload {
            facility: f,
            service_code: "78".into(),
            effective_on: d(2027, 2, 1),
            prefecture_notified_on: None,
        });
        assert_eq!(p.validated().unwrap_err()[0].field, "phone");
    }

    #[test]
    fn applying_changes_validates_only_the_changed_fields() {
        let now = facility();
        let ok = apply_changes(
            &now,
            &[FieldChange {
                field: "phone".into(),
                before: now.phone.clone(),
                after: "０３－９９９９－００００".into(),
            }],
        )
        .unwrap();
        assert_eq!(ok.phone, "03-9999-0000");
        assert_eq!(ok.name, now.name);
        let errs = apply_changes(
            &now,
            &[FieldChange {
                field: "email".into(),
                before: String::new(),
                after: "not an address".into(),
            }],
        )
        .unwrap_err();
        assert_eq!(errs[0].field, "email");
    }

    proptest! {
        // Whatever JSON arrives, parsing never panics, and what parses validates or is
        // refused with named fields.
        #[test]
        fn parsing_any_text_never_panics(s in ".{0,200}", k in 0usize..7) {
            let kind = ApplicationKind::ALL[k];
            if let Ok(p) = Payload::parse(kind, &s) {
                prop_assert_eq!(p.kind(), kind);
                if let Err(errs) = p.validated() {
                    prop_assert!(errs.iter().all(|e| !e.ja.is_empty() && !e.en.is_empty()));
                }
            }
        }

        #[test]
        fn change_payloads_round_trip(field in 0usize..9, after in "[0-9a-zア-ン]{0,20}") {
            let p = Payload::Change(ChangePayload {
                changed_on: d(2026, 1, 1),
                changes: vec![FieldChange { field: CHANGEABLE_FIELDS[field].into(), before: String::new(), after }],
            });
            prop_assert_eq!(Payload::parse(ApplicationKind::Change, &p.to_json()).unwrap(), p);
        }
    }
}
