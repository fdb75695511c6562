//! The ledger's records as the rest of the program sees them. Dates are ISO in storage
//! and `NaiveDate` here; PII fields are plain here and masked at the edges (screens,
//! exports) by [`super::mask`].

use super::{ids, validate, validate::FieldError};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FacilityStatus {
    Active,
    Suspended,
    Closed,
}

impl FacilityStatus {
    pub const ALL: [FacilityStatus; 3] = [Self::Active, Self::Suspended, Self::Closed];
    pub fn code(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Suspended => "suspended",
            Self::Closed => "closed",
        }
    }
    pub fn from_code(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.code() == s)
    }
    pub fn label_ja(self) -> &'static str {
        match self {
            Self::Active => "指定中",
            Self::Suspended => "休止",
            Self::Closed => "廃止",
        }
    }
    pub fn label_en(self) -> &'static str {
        match self {
            Self::Active => "Active",
            Self::Suspended => "Suspended",
            Self::Closed => "Closed",
        }
    }
}

/// Reference row from `fixtures/service_types.csv`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceType {
    pub code: String,
    pub name: String,
    pub short_name: String,
    pub meeting_interval_months: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Corporation {
    pub id: i64,
    pub corporate_number: Option<String>,
    pub name: String,
    pub name_kana: String,
    pub representative_name: String,
    pub representative_address: String,
    pub representative_dob: Option<NaiveDate>,
    pub version: i64,
}

/// The facility's own fields: what the edit form edits.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct FacilityFields {
    pub provider_number: String,
    pub name: String,
    pub name_kana: String,
    pub postal_code: String,
    pub address: String,
    pub town: String,
    pub phone: String,
    pub fax: String,
    pub email: String,
    pub manager_name: String,
}

impl FacilityFields {
    /// Field names as used in forms, audit records and conflict views.
    pub const NAMES: [&'static str; 10] = [
        "provider_number",
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

    pub fn get(&self, field: &str) -> &str {
        match field {
            "provider_number" => &self.provider_number,
            "name" => &self.name,
            "name_kana" => &self.name_kana,
            "postal_code" => &self.postal_code,
            "address" => &self.address,
            "town" => &self.town,
            "phone" => &self.phone,
            "fax" => &self.fax,
            "email" => &self.email,
            "manager_name" => &self.manager_name,
            _ => "",
        }
    }

    pub fn set(&mut self, field: &str, value: String) {
        match field {
            "provider_number" => self.provider_number = value,
            "name" => self.name = value,
            "name_kana" => self.name_kana = value,
            "postal_code" => self.postal_code = value,
            "address" => self.address = value,
            "town" => self.town = value,
            "phone" => self.phone = value,
            "fax" => self.fax = value,
            "email" => self.email = value,
            "manager_name" => self.manager_name = value,
            _ => {}
        }
    }

    /// Field names whose values differ.
    pub fn changed_fields(&self, other: &FacilityFields) -> Vec<&'static str> {
        Self::NAMES
            .into_iter()
            .filter(|f| self.get(f) != other.get(f))
            .collect()
    }

    /// Validates and canonicalises every field; returns all errors, not just the first.
    pub fn validated(&self) -> Result<FacilityFields, Vec<FieldError>> {
        let mut out = self.clone();
        let mut errors = Vec::new();
        let mut check = |r: Result<(), FieldError>| {
            if let Err(e) = r {
                errors.push(e);
            }
        };
        check(
            ids::validate_provider_number(self.provider_number.trim())
                .map_err(|e| FieldError::new("provider_number", e.message(true), e.message(false))),
        );
        out.provider_number = self.provider_number.trim().to_string();
        // Half-width katakana in any stored text becomes full width (NFKC of those only).
        for (field, slot, needed) in [
            ("name", &mut out.name, true),
            ("address", &mut out.address, true),
            ("town", &mut out.town, false),
            ("manager_name", &mut out.manager_name, false),
        ] {
            let r = if needed {
                validate::required_text(field, slot)
            } else {
                validate::text(field, slot)
            };
            match r {
                Ok(v) => *slot = v,
                Err(e) => check(Err(e)),
            }
        }
        match validate::kana("name_kana", &self.name_kana) {
            Ok(v) => out.name_kana = v,
            Err(e) => check(Err(e)),
        }
        match validate::postal_code("postal_code", &self.postal_code) {
            Ok(v) => out.postal_code = v,
            Err(e) if !self.postal_code.trim().is_empty() => check(Err(e)),
            Err(_) => {}
        }
        match validate::phone("phone", &self.phone) {
            Ok(v) => out.phone = v,
            Err(e) => check(Err(e)),
        }
        if !self.fax.trim().is_empty() {
            match validate::phone("fax", &self.fax) {
                Ok(v) => out.fax = v,
                Err(e) => check(Err(e)),
            }
        }
        if !self.email.trim().is_empty() {
            check(validate::email("email", &self.email));
        }
        if errors.is_empty() {
            Ok(out)
        } else {
            Err(errors)
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facility {
    pub id: i64,
    pub fields: FacilityFields,
    pub status: FacilityStatus,
    pub corporation_id: Option<i64>,
    pub municipality_code: String,
    pub manager_address: String,
    pub manager_dob: Option<NaiveDate>,
    pub version: i64,
    pub updated_at: String,
    pub updated_by: String,
}

/// One line of the ledger list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FacilityRow {
    pub id: i64,
    pub provider_number: String,
    pub name: String,
    pub services: String,
    pub town: String,
    pub next_expiry: Option<NaiveDate>,
    pub next_meeting_due: Option<NaiveDate>,
    pub status: FacilityStatus,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Designation {
    pub id: i64,
    pub facility_id: i64,
    pub service_code: String,
    pub designated_on: NaiveDate,
    pub expires_on: NaiveDate,
    pub version: i64,
    /// From the reference table, for display.
    pub service_name: String,
    /// False once the facility closed or withdrew this service.
    pub active: bool,
    /// 定員 (capacity), for the services that have one.
    pub capacity: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffMember {
    pub id: i64,
    pub facility_id: i64,
    pub name: String,
    pub name_kana: String,
    pub job_title: String,
    pub address: String,
    pub dob: Option<NaiveDate>,
    pub qualification: String,
    pub care_manager_number: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CouncilMember {
    pub id: i64,
    pub facility_id: i64,
    pub name: String,
    pub affiliation: String,
    pub title: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CouncilMeeting {
    pub id: i64,
    pub facility_id: i64,
    pub held_on: NaiveDate,
    pub minutes_ref: String,
}

/// 要介護状態区分 codes: 01 非該当, 06 事業対象者, 12/13 要支援1–2, 21–25 要介護1–5.
pub fn is_care_level_code(code: &str) -> bool {
    matches!(
        code,
        "01" | "06" | "12" | "13" | "21" | "22" | "23" | "24" | "25"
    )
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct InsuredPerson {
    pub name: String,
    pub name_kana: String,
    pub sex: String,
    pub care_level: String,
    pub insured_number: String,
    pub dob: Option<NaiveDate>,
    pub address: String,
    pub phone: String,
    pub insurer_number: String,
    pub reason: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> FacilityFields {
        FacilityFields {
            provider_number: "1391400015".into(),
            name: "ケアホーム西新宿".into(),
            name_kana: "ケアホームニシシンジュク".into(),
            postal_code: "1600023".into(),
            address: "東京都新宿区西新宿7-1-1".into(),
            town: "西新宿".into(),
            phone: "03-1234-5678".into(),
            ..Default::default()
        }
    }

    #[test]
    fn validation_collects_all_errors_and_canonicalises() {
        let mut f = sample();
        f.provider_number = format!(
            "139140001{}",
            ids::provider_check_digit("139140001").unwrap()
        );
        let ok = f.validated().unwrap();
        assert_eq!(ok.postal_code, "160-0023");
        f.phone = "12".into();
        f.name = " ".into();
        f.provider_number = "1391400010".into();
        let errs = f.validated().unwrap_err();
        let fields: Vec<_> = errs.iter().map(|e| e.field).collect();
        assert!(
            fields.contains(&"phone") && fields.contains(&"name"),
            "{fields:?}"
        );
        assert_eq!(
            fields.contains(&"provider_number"),
            ids::validate_provider_number("1391400010").is_err()
        );
    }

    #[test]
    fn half_width_kana_is_stored_full_width_and_kana_is_checked() {
        let mut f = sample();
        f.provider_number = format!(
            "139140001{}",
            ids::provider_check_digit("139140001").unwrap()
        );
        f.name = "ｹｱﾌﾟﾗﾝ西新宿".into();
        f.name_kana = "ｹｱﾌﾟﾗﾝﾆｼｼﾝｼﾞｭｸ".into();
        let ok = f.validated().unwrap();
        assert_eq!(ok.name, "ケアプラン西新宿");
        assert_eq!(ok.name_kana, "ケアプランニシシンジュク");
        f.name_kana = "abc漢字".into();
        let errs = f.validated().unwrap_err();
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].field, "name_kana");
        assert!(
            errs[0].ja.starts_with("事業所名カナはカタカナ"),
            "{}",
            errs[0].ja
        );
    }

    #[test]
    fn changed_fields_and_care_levels() {
        let a = sample();
        let mut b = a.clone();
        b.set("phone", "03-0000-0000".into());
        assert_eq!(a.changed_fields(&b), vec!["phone"]);
        assert!(is_care_level_code("21") && !is_care_level_code("26"));
    }
}

/// One line of the application inbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApplicationRow {
    pub id: i64,
    pub external_id: Option<String>,
    pub kind: super::application::ApplicationKind,
    pub status: super::application::ApplicationStatus,
    pub provider_number: String,
    pub applicant_name: String,
    pub service_code: String,
    pub received_on: Option<NaiveDate>,
    pub due_on: Option<NaiveDate>,
    pub keyed_by: String,
    pub reviewed_by: Option<String>,
    pub version: i64,
}

/// One line of the consent queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsentRow {
    pub id: i64,
    pub direction: super::consent::Direction,
    pub status: super::consent::ConsentStatus,
    pub municipality_code: String,
    pub municipality_name: String,
    pub provider_number: String,
    pub facility_name: String,
    pub service_code: String,
    pub requested_on: Option<NaiveDate>,
    pub due_on: Option<NaiveDate>,
    /// The insured person's name (PII: masked on screen unless revealed).
    pub person_name: String,
    pub version: i64,
}
