//! Open data (issue 18): the ward's own identity (municipality code and name), the
//! national service codes of the 介護サービス情報公表 open data and the ledger kinds they
//! stand for, and the reconciliation of the ledger with the published rows.
//!
//! Matching: by 事業所番号 (only a number whose check digit is right), then by 法人番号 +
//! normalised name. Nothing here changes the ledger; it only says where the two differ.

use super::ids;
use super::text::search_key;
use super::validate::FieldError;
use std::collections::HashMap;

/// The ward when no setting was stored yet (the schema's default municipality).
pub const DEFAULT_WARD_CODE: &str = "131041";
pub const DEFAULT_WARD_NAME: &str = "新宿区";
/// `app_setting` keys of the ward's code and name.
pub const WARD_CODE_KEY: &str = "ward.code";
pub const WARD_NAME_KEY: &str = "ward.name";

/// The ward this database belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ward {
    pub code: String,
    pub name: String,
}

impl Default for Ward {
    fn default() -> Self {
        Ward {
            code: DEFAULT_WARD_CODE.into(),
            name: DEFAULT_WARD_NAME.into(),
        }
    }
}

/// Checks a ward setting: a 6-digit 全国地方公共団体コード with a right check digit and a
/// name of 1–20 characters.
pub fn validate_ward(code: &str, name: &str) -> Result<Ward, FieldError> {
    let code = code.trim();
    let name = name.trim();
    ids::validate_municipality_code(code).map_err(|e| {
        FieldError::new(
            "ward_code",
            format!("区の団体コード: {}", e.message(true)),
            format!("ward code: {}", e.message(false)),
        )
    })?;
    let chars = name.chars().count();
    if chars == 0 || chars > 20 || name.chars().any(char::is_control) {
        return Err(FieldError::new(
            "ward_name",
            "区の名称は1〜20文字で入力してください",
            "the ward's name must be 1 to 20 characters",
        ));
    }
    Ok(Ward {
        code: code.into(),
        name: name.into(),
    })
}

/// One line of `fixtures/opendata_services.csv`: a national 3-digit service code and
/// the ledger kinds (2-character 種類コード) it covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NationalService {
    pub code: String,
    pub name: String,
    pub ledger: Vec<String>,
}

const SERVICE_TABLE: &str = include_str!("../../fixtures/opendata_services.csv");

/// The national service table (compiled in from the fixture).
pub fn national_services() -> Vec<NationalService> {
    SERVICE_TABLE
        .lines()
        .skip(1)
        .filter_map(|l| {
            let mut parts = l.splitn(3, ',');
            let code = parts.next()?.trim();
            let name = parts.next()?.trim();
            let ledger = parts.next()?.split_whitespace().map(String::from).collect();
            Some(NationalService {
                code: code.into(),
                name: name.into(),
                ledger,
            })
        })
        .collect()
}

/// The ledger kind a national code is reconciled against (its first, main kind).
pub fn ledger_kind(national: &str) -> Option<String> {
    national_services()
        .into_iter()
        .find(|s| s.code == national)
        .and_then(|s| s.ledger.into_iter().next())
}

/// The national code a ledger kind is published under; `None` for a kind the open data
/// does not publish on its own (介護予防支援, 総合事業, 予防 and 短期利用 variants).
pub fn national_code(ledger: &str) -> Option<String> {
    national_services()
        .into_iter()
        .find(|s| s.ledger.first().map(String::as_str) == Some(ledger))
        .map(|s| s.code)
}

/// Whether a ledger kind has a 定員 (capacity): day services, residential and
/// multi-function services do; 居宅介護支援, 予防支援, 夜間対応・定期巡回 and 総合事業 do not.
pub fn has_capacity(service_code: &str) -> bool {
    matches!(
        service_code,
        "72" | "74" | "73" | "75" | "68" | "32" | "37" | "38" | "36" | "54" | "77" | "79" | "78"
    )
}

/// A plausible 定員 for a demo facility of `service_code` (the legal ceilings: 認知デイ
/// 12 a unit, 小多機・看多機 登録定員 up to 29, GH 9 a unit, 地域密着 up to 29, 密着デイ
/// up to 18); picked by the facility id so the demo stays deterministic.
pub fn demo_capacity(service_code: &str, facility_id: i64) -> Option<u32> {
    let pick = |choices: &[u32]| choices[facility_id.unsigned_abs() as usize % choices.len()];
    Some(match service_code {
        "72" | "74" => pick(&[12, 12, 24]),
        "73" | "75" | "77" => pick(&[25, 29, 29, 18]),
        "68" | "79" => pick(&[3, 5, 9]),
        "32" | "37" | "38" => pick(&[9, 18, 18, 27]),
        "36" | "54" => pick(&[29, 29, 20]),
        "78" => pick(&[10, 15, 18, 18]),
        _ => return None,
    })
}

/// Checks a 定員 typed by staff: empty (none) or a positive whole number up to 999.
pub fn parse_capacity(s: &str) -> Result<Option<u32>, FieldError> {
    let t = super::text::nfkc(s.trim());
    if t.is_empty() {
        return Ok(None);
    }
    match t.parse::<u32>() {
        Ok(n) if (1..=999).contains(&n) => Ok(Some(n)),
        _ => Err(FieldError::new(
            "capacity",
            format!("定員「{t}」は1〜999の整数で入力してください"),
            format!("capacity \"{t}\" must be a whole number from 1 to 999"),
        )),
    }
}

/// A compared field. Codes are stored in `opendata_finding.field`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    Name,
    Kana,
    Address,
    Phone,
    Fax,
    CorporateNumber,
    CorporationName,
    Capacity,
}

impl Field {
    pub const ALL: [Field; 8] = [
        Field::Name,
        Field::Kana,
        Field::Address,
        Field::Phone,
        Field::Fax,
        Field::CorporateNumber,
        Field::CorporationName,
        Field::Capacity,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Field::Name => "name",
            Field::Kana => "name_kana",
            Field::Address => "address",
            Field::Phone => "phone",
            Field::Fax => "fax",
            Field::CorporateNumber => "corporate_number",
            Field::CorporationName => "corporation_name",
            Field::Capacity => "capacity",
        }
    }

    pub fn from_code(s: &str) -> Option<Field> {
        Self::ALL.into_iter().find(|f| f.code() == s)
    }

    pub fn label(self, ja: bool) -> &'static str {
        let (j, e) = match self {
            Field::Name => ("事業所名", "name"),
            Field::Kana => ("事業所名カナ", "name (kana)"),
            Field::Address => ("住所", "address"),
            Field::Phone => ("電話番号", "phone"),
            Field::Fax => ("FAX番号", "fax"),
            Field::CorporateNumber => ("法人番号", "corporate number"),
            Field::CorporationName => ("法人の名称", "corporation name"),
            Field::Capacity => ("定員", "capacity"),
        };
        if ja { j } else { e }
    }

    /// Whether an accepted difference can go into a 変更届出 (facility fields can; the
    /// corporation's own fields and 定員 are changed by other procedures).
    pub fn changeable(self) -> bool {
        matches!(
            self,
            Field::Name | Field::Kana | Field::Address | Field::Phone | Field::Fax
        )
    }
}

/// The fields of one facility-service, from either side.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Entry {
    pub provider_number: String,
    /// The ledger kind (2 characters).
    pub service_code: String,
    pub name: String,
    pub kana: String,
    pub address: String,
    pub phone: String,
    pub fax: String,
    pub corporate_number: String,
    pub corporation_name: String,
    /// 定員 as text ('' = none).
    pub capacity: String,
}

impl Entry {
    fn value(&self, f: Field) -> &str {
        match f {
            Field::Name => &self.name,
            Field::Kana => &self.kana,
            Field::Address => &self.address,
            Field::Phone => &self.phone,
            Field::Fax => &self.fax,
            Field::CorporateNumber => &self.corporate_number,
            Field::CorporationName => &self.corporation_name,
            Field::Capacity => &self.capacity,
        }
    }
}

/// The form two values are compared in: NFKC, kana folded, no spaces; phone numbers
/// by their digits only (03-1234-5678 = 0312345678); 定員 as a number.
pub fn comparable(f: Field, v: &str) -> String {
    match f {
        Field::Phone | Field::Fax | Field::Capacity | Field::CorporateNumber => {
            let digits: String = search_key(v).chars().filter(char::is_ascii_digit).collect();
            if f == Field::Capacity {
                digits.trim_start_matches('0').to_string()
            } else {
                digits
            }
        }
        _ => search_key(v).replace(['-', 'ー', '‐', '−'], ""),
    }
}

/// One field that differs between the ledger and the open data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    pub provider_number: String,
    pub service_code: String,
    pub field: Field,
    pub ledger: String,
    pub opendata: String,
}

/// The fields of `ledger` and `published` that differ. An empty published value (a
/// column the file does not have, or left blank) is not a difference.
pub fn differences(ledger: &Entry, published: &Entry) -> Vec<Difference> {
    Field::ALL
        .into_iter()
        .filter(|f| {
            let theirs = comparable(*f, published.value(*f));
            !theirs.is_empty() && theirs != comparable(*f, ledger.value(*f))
        })
        .map(|f| Difference {
            provider_number: ledger.provider_number.clone(),
            service_code: ledger.service_code.clone(),
            field: f,
            ledger: ledger.value(f).to_string(),
            opendata: published.value(f).to_string(),
        })
        .collect()
}

/// The outcome of a reconciliation.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Reconciliation {
    pub differences: Vec<Difference>,
    /// Indexes into the ledger entries with no published row.
    pub ledger_only: Vec<usize>,
    /// Indexes into the published rows with no ledger entry.
    pub opendata_only: Vec<usize>,
    /// Indexes into the published rows whose 事業所番号 fails its check (never matched).
    pub bad_numbers: Vec<usize>,
}

fn name_key(e: &Entry) -> (String, String, String) {
    (
        e.corporate_number.trim().to_string(),
        comparable(Field::Name, &e.name),
        e.service_code.clone(),
    )
}

/// Matches published rows to ledger entries (same service kind): by 事業所番号 first,
/// then by 法人番号 + normalised name. O(n) with hash maps.
pub fn reconcile(ledger: &[Entry], published: &[Entry]) -> Reconciliation {
    let mut by_number: HashMap<(&str, &str), usize> = HashMap::with_capacity(ledger.len());
    let mut by_name: HashMap<(String, String, String), usize> = HashMap::new();
    for (i, e) in ledger.iter().enumerate() {
        by_number.insert((e.provider_number.as_str(), e.service_code.as_str()), i);
        if !e.corporate_number.trim().is_empty() {
            by_name.insert(name_key(e), i);
        }
    }
    let mut matched = vec![false; ledger.len()];
    let mut out = Reconciliation::default();
    for (j, p) in published.iter().enumerate() {
        if ids::validate_provider_number(&p.provider_number).is_err() {
            out.bad_numbers.push(j);
            continue;
        }
        let hit = by_number
            .get(&(p.provider_number.as_str(), p.service_code.as_str()))
            .copied()
            .or_else(|| {
                (!p.corporate_number.trim().is_empty())
                    .then(|| by_name.get(&name_key(p)).copied())
                    .flatten()
            });
        match hit {
            Some(i) if !matched[i] => {
                matched[i] = true;
                out.differences.extend(differences(&ledger[i], p));
            }
            _ => out.opendata_only.push(j),
        }
    }
    out.ledger_only = (0..ledger.len()).filter(|i| !matched[*i]).collect();
    out
}

/// A stored finding of the last reconciliation (kind: difference, ledger_only,
/// opendata_only, bad_number; status: open, accepted, known).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Finding {
    pub id: i64,
    pub kind: String,
    pub facility_id: Option<i64>,
    pub provider_number: String,
    pub service_code: String,
    pub name: String,
    pub field: String,
    pub ledger_value: String,
    pub opendata_value: String,
    pub line: i64,
    pub status: String,
    pub note: String,
    pub application_id: Option<i64>,
    pub version: i64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn entry(number: &str, phone: &str) -> Entry {
        Entry {
            provider_number: number.into(),
            service_code: "78".into(),
            name: "デイサービス戸山".into(),
            kana: "デイサービストヤマ".into(),
            address: "東京都新宿区戸山1-1-1".into(),
            phone: phone.into(),
            corporate_number: "7010001008844".into(),
            corporation_name: "社会福祉法人 戸山会".into(),
            capacity: "18".into(),
            ..Entry::default()
        }
    }

    #[test]
    fn capacity_is_a_positive_whole_number() {
        assert_eq!(parse_capacity(" １８ ").unwrap(), Some(18));
        assert_eq!(parse_capacity("").unwrap(), None);
        for bad in ["0", "-3", "1.5", "千", "1000"] {
            let e = parse_capacity(bad).unwrap_err();
            assert!(e.ja.contains("定員"), "{bad}: {}", e.ja);
        }
        assert_eq!(demo_capacity("43", 1), None);
        assert!(demo_capacity("78", 7).is_some_and(|c| (1..=18).contains(&c)));
        for code in ["72", "73", "32", "36", "54", "77", "78"] {
            assert!(
                has_capacity(code) && demo_capacity(code, 3).is_some(),
                "{code}"
            );
        }
    }

    #[test]
    fn ward_codes_are_checked_by_their_check_digit() {
        assert_eq!(validate_ward("131041", "新宿区").unwrap().code, "131041");
        assert!(validate_ward("131130", " 渋谷区 ").is_ok());
        let e = validate_ward("131042", "新宿区").unwrap_err();
        assert!(e.ja.contains("区の団体コード"), "{}", e.ja);
        assert!(validate_ward("13104", "新宿区").is_err());
        assert!(validate_ward("131041", "").is_err());
    }

    #[test]
    fn every_ledger_kind_of_the_table_is_a_service_type() {
        let kinds = include_str!("../../fixtures/service_types.csv");
        for s in national_services() {
            assert_eq!(s.code.len(), 3, "{s:?}");
            for k in &s.ledger {
                assert!(
                    kinds.contains(&format!("\n{k},")),
                    "{k} not in service_types"
                );
            }
        }
        assert_eq!(ledger_kind("780").as_deref(), Some("78"));
        assert_eq!(national_code("78").as_deref(), Some("780"));
        // Not published on their own: 介護予防支援, 総合事業, 予防 variants.
        for unpublished in ["46", "A2", "A6", "74"] {
            assert_eq!(national_code(unpublished), None, "{unpublished}");
        }
    }

    #[test]
    fn a_changed_phone_is_the_only_difference() {
        let ours = entry("1393600018", "03-1111-2222");
        let mut theirs = entry("1393600018", "03-3333-4444");
        theirs.address = "東京都新宿区戸山１－１－１".into(); // full-width: same address
        let r = reconcile(&[ours], &[theirs]);
        assert_eq!(r.differences.len(), 1, "{r:?}");
        assert_eq!(r.differences[0].field, Field::Phone);
        assert_eq!(r.differences[0].opendata, "03-3333-4444");
        assert!(r.ledger_only.is_empty() && r.opendata_only.is_empty());
    }

    #[test]
    fn a_wrong_check_digit_is_reported_and_never_matched() {
        let ours = entry("1393600018", "03-1111-2222");
        let theirs = entry("1393600017", "03-1111-2222");
        let r = reconcile(std::slice::from_ref(&ours), &[theirs]);
        assert_eq!(r.bad_numbers, vec![0]);
        assert_eq!(r.ledger_only, vec![0]);
        assert!(r.differences.is_empty());
    }

    #[test]
    fn without_the_number_the_corporation_and_name_match() {
        let ours = entry("1393600018", "03-1111-2222");
        let mut theirs = entry("1373600012", "03-1111-2222");
        theirs.name = "デイサービス　戸山".into();
        let r = reconcile(&[ours], &[theirs]);
        assert!(
            r.ledger_only.is_empty() && r.opendata_only.is_empty(),
            "{r:?}"
        );
    }

    proptest! {
        #[test]
        fn an_entry_reconciles_with_itself_without_differences(
            name in "[ァ-ヶ一-龥a-z0-9 ]{1,20}",
            phone in "0[0-9]{1,4}-[0-9]{1,4}-[0-9]{4}",
            cap in 1u32..200,
        ) {
            let mut e = entry("1393600018", &phone);
            e.name = name;
            e.capacity = cap.to_string();
            let r = reconcile(std::slice::from_ref(&e), std::slice::from_ref(&e));
            prop_assert!(r.differences.is_empty());
            prop_assert!(r.ledger_only.is_empty() && r.opendata_only.is_empty());
        }
    }
}
