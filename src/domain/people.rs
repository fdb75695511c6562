//! People and corporations of a facility: 従事者 (staff), 運営推進会議の構成員 (council
//! members) and the corporation (法人). Each has a form type of plain strings (what a form
//! edits, field by field) whose `validated()` returns the canonical values to store or
//! every refused field. Dates are ISO in the canonical form (和暦 input accepted).
//! Personal fields are masked at the edges ([`super::history::mask_value`]).

use super::history::fields_by_name;
use super::{ids, validate, validate::FieldError};
use chrono::NaiveDate;

/// Collects field errors and canonical values.
struct Check {
    errors: Vec<FieldError>,
}

impl Check {
    fn new() -> Self {
        Check { errors: Vec::new() }
    }

    fn take<T: Default>(&mut self, r: Result<T, FieldError>) -> T {
        r.unwrap_or_else(|e| {
            self.errors.push(e);
            T::default()
        })
    }

    fn finish<T>(self, value: T) -> Result<T, Vec<FieldError>> {
        if self.errors.is_empty() {
            Ok(value)
        } else {
            Err(self.errors)
        }
    }
}

/// A date field as canonical ISO text (blank stays blank).
fn iso_date(field: &'static str, value: &str) -> Result<String, FieldError> {
    Ok(validate::optional_date(field, value)?.map_or(String::new(), |d| d.to_string()))
}

/// An optional phone field.
fn optional_phone(field: &'static str, value: &str) -> Result<String, FieldError> {
    if value.trim().is_empty() {
        Ok(String::new())
    } else {
        validate::phone(field, value)
    }
}

/// 従事者 as a form edits it. `dob` is ISO (or 和暦 before validation).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct StaffFields {
    pub name: String,
    pub name_kana: String,
    pub job_title: String,
    pub address: String,
    pub dob: String,
    pub qualification: String,
    pub care_manager_number: String,
}

fields_by_name!(
    StaffFields,
    "staff",
    [
        name,
        name_kana,
        job_title,
        address,
        dob,
        qualification,
        care_manager_number
    ]
);

/// 介護支援専門員番号: 8 digits (2 for the prefecture, 6 more).
pub fn care_manager_number(field: &'static str, value: &str) -> Result<String, FieldError> {
    let v = super::text::nfkc(value.trim()).replace('-', "");
    if v.len() == 8 && v.chars().all(|c| c.is_ascii_digit()) {
        return Ok(v);
    }
    let (ja, en) = validate::label(field);
    Err(FieldError::new(
        field,
        format!("{ja}は8桁の数字です（例 13012345）"),
        format!("the {en} is 8 digits (e.g. 13012345)"),
    ))
}

impl StaffFields {
    /// Canonical values, or every refused field. The 介護支援専門員番号 is required when
    /// the qualification is 介護支援専門員.
    pub fn validated(&self) -> Result<StaffFields, Vec<FieldError>> {
        let mut c = Check::new();
        let number = if self.care_manager_number.trim().is_empty() {
            String::new()
        } else {
            c.take(care_manager_number(
                "staff.care_manager_number",
                &self.care_manager_number,
            ))
        };
        let out = StaffFields {
            name: c.take(validate::required_text("staff.name", &self.name)),
            name_kana: c.take(validate::kana("staff.name_kana", &self.name_kana)),
            job_title: c.take(validate::required_text("staff.job_title", &self.job_title)),
            address: c.take(validate::text("staff.address", &self.address)),
            dob: c.take(iso_date("staff.dob", &self.dob)),
            qualification: c.take(validate::text("staff.qualification", &self.qualification)),
            care_manager_number: number,
        };
        if out.qualification.contains("介護支援専門員")
            && self.care_manager_number.trim().is_empty()
        {
            c.errors.push(FieldError::new(
                "staff.care_manager_number",
                "資格が介護支援専門員のときは介護支援専門員番号（8桁）を入力してください",
                "enter the care manager number (8 digits) for a 介護支援専門員",
            ));
        }
        c.finish(out)
    }
}

/// A 従事者 as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Staff {
    pub id: i64,
    pub facility_id: i64,
    pub fields: StaffFields,
    /// The day the person stopped working here; None while they do.
    pub ended_on: Option<NaiveDate>,
    pub version: i64,
}

/// 運営推進会議の構成員 as a form edits it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CouncilFields {
    pub name: String,
    pub affiliation: String,
    pub title: String,
}

fields_by_name!(CouncilFields, "council", [name, affiliation, title]);

impl CouncilFields {
    pub fn validated(&self) -> Result<CouncilFields, Vec<FieldError>> {
        let mut c = Check::new();
        let out = CouncilFields {
            name: c.take(validate::required_text("council.name", &self.name)),
            affiliation: c.take(validate::required_text(
                "council.affiliation",
                &self.affiliation,
            )),
            title: c.take(validate::text("council.title", &self.title)),
        };
        c.finish(out)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CouncilMember {
    pub id: i64,
    pub facility_id: i64,
    pub fields: CouncilFields,
    pub ended_on: Option<NaiveDate>,
    pub version: i64,
}

/// The corporation (法人) as a form edits it. `representative_dob` is ISO.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CorporationFields {
    pub corporate_number: String,
    pub name: String,
    pub name_kana: String,
    pub address: String,
    pub phone: String,
    pub fax: String,
    pub representative_name: String,
    pub representative_address: String,
    pub representative_dob: String,
}

fields_by_name!(
    CorporationFields,
    "corporation",
    [
        corporate_number,
        name,
        name_kana,
        address,
        phone,
        fax,
        representative_name,
        representative_address,
        representative_dob
    ]
);

impl CorporationFields {
    /// Canonical values, or every refused field. The 法人番号 is optional (some
    /// corporations have none on file) but checked when given.
    pub fn validated(&self) -> Result<CorporationFields, Vec<FieldError>> {
        let mut c = Check::new();
        let number = super::text::nfkc(self.corporate_number.trim()).replace('-', "");
        if !number.is_empty()
            && let Err(e) = ids::validate_corporate_number(&number)
        {
            c.errors.push(FieldError::new(
                "corporation.corporate_number",
                e.message(true),
                e.message(false),
            ));
        }
        let out = CorporationFields {
            corporate_number: number,
            name: c.take(validate::required_text("corporation.name", &self.name)),
            name_kana: c.take(validate::kana("corporation.name_kana", &self.name_kana)),
            address: c.take(validate::text("corporation.address", &self.address)),
            phone: c.take(optional_phone("corporation.phone", &self.phone)),
            fax: c.take(optional_phone("corporation.fax", &self.fax)),
            representative_name: c.take(validate::text(
                "corporation.representative_name",
                &self.representative_name,
            )),
            representative_address: c.take(validate::text(
                "corporation.representative_address",
                &self.representative_address,
            )),
            representative_dob: c.take(iso_date(
                "corporation.representative_dob",
                &self.representative_dob,
            )),
        };
        c.finish(out)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorporationRecord {
    pub id: i64,
    pub fields: CorporationFields,
    pub version: i64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn staff() -> StaffFields {
        StaffFields {
            name: "山田 太郎".into(),
            name_kana: "ﾔﾏﾀﾞ ﾀﾛｳ".into(),
            job_title: "介護支援専門員".into(),
            address: "東京都新宿区西新宿2-8-1".into(),
            dob: "昭和60年4月12日".into(),
            qualification: "介護支援専門員".into(),
            care_manager_number: "１３０１２３４５".into(),
        }
    }

    #[test]
    fn staff_is_canonicalised() {
        let s = staff().validated().unwrap();
        assert_eq!(s.name_kana, "ヤマダ タロウ");
        assert_eq!(s.dob, "1985-04-12");
        assert_eq!(s.care_manager_number, "13012345");
        let m = s.masked();
        assert_eq!(m.name, "山田 ＊＊");
        assert_eq!(m.dob, "1985-**-**");
        assert_eq!(m.job_title, "介護支援専門員");
    }

    #[test]
    fn staff_errors_are_all_listed_with_field_names() {
        let mut s = staff();
        s.name = " ".into();
        s.name_kana = "abc漢字".into();
        s.care_manager_number = String::new();
        s.dob = "someday".into();
        let errs = s.validated().unwrap_err();
        let fields: Vec<_> = errs.iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            [
                "staff.name",
                "staff.name_kana",
                "staff.dob",
                "staff.care_manager_number"
            ]
        );
        assert_eq!(errs[0].ja, "従事者の氏名を入力してください");
        assert!(
            errs[1].ja.starts_with("従事者の氏名カナはカタカナ"),
            "{}",
            errs[1].ja
        );
    }

    #[test]
    fn corporation_number_and_phones_are_checked() {
        let c = CorporationFields {
            corporate_number: "7123456789012".into(),
            name: "社会福祉法人ｹｱ会".into(),
            name_kana: "ケアカイ".into(),
            phone: "03-1234-5678".into(),
            fax: "03-1234-56789".into(),
            ..Default::default()
        };
        let errs = c.validated().unwrap_err();
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].field, "corporation.fax");
        assert!(
            errs[0].ja.starts_with("法人のFAX番号は0から始まる10桁"),
            "{}",
            errs[0].ja
        );
        let mut ok = c.clone();
        ok.fax = String::new();
        assert_eq!(ok.validated().unwrap().name, "社会福祉法人ケア会");
        ok.corporate_number = "7123456789013".into();
        let e = ok.validated().unwrap_err();
        assert!(e[0].ja.starts_with("法人番号"), "{}", e[0].ja);
    }

    #[test]
    fn changes_name_each_field() {
        let a = staff().validated().unwrap();
        let mut b = a.clone();
        b.job_title = "管理者".into();
        b.address = "東京都中野区本町1-2-3".into();
        let ch = StaffFields::changes(Some(&a), &b);
        let names: Vec<_> = ch.iter().map(|c| (c.field.as_str(), c.personal)).collect();
        assert_eq!(names, [("staff.job_title", false), ("staff.address", true)]);
        let added = CouncilFields::changes(
            None,
            &CouncilFields {
                name: "佐藤 花子".into(),
                affiliation: "町会".into(),
                title: String::new(),
            },
        );
        assert_eq!(added.len(), 2);
        assert!(added[0].old.is_none());
    }

    proptest! {
        #[test]
        fn validation_never_panics(s in "\\PC{0,30}") {
            let f = StaffFields { name: s.clone(), name_kana: s.clone(), dob: s.clone(), care_manager_number: s.clone(), ..Default::default() };
            let _ = f.validated();
            let c = CorporationFields { corporate_number: s.clone(), phone: s.clone(), representative_dob: s.clone(), ..Default::default() };
            let _ = c.validated();
        }
    }
}
