//! 国保連 事業所異動連絡票 files, in the インタフェース仕様書 exchange framing: CSV, CRLF,
//! CP932 (strict: a character CP932 cannot encode is an error, never `?`), every text
//! field in double quotes, numeric fields bare; a control record (1), the data records
//! (2) and an end record (3), with 件数 = the number of data records.
//!
//! The 170+-item data layout of the real 連絡票 is not public: the data records carry
//! the items the ledger holds (基本・サービス・介護支援専門員), in the order documented in
//! `docs/formats.md`. This is its own CSV writer, not the spreadsheet `SheetWriter`
//! (no `'` formula escape: the reader is a machine).

use crate::domain::exchange::ChangeKind;
use crate::domain::model::{Corporation, Designation, Facility, StaffMember};
use crate::i18n::Lang;
use chrono::NaiveDate;
use encoding_rs::SHIFT_JIS;
use std::io::{self, Write};

/// Record kinds (レコード種別).
pub const CONTROL: &str = "1";
pub const DATA: &str = "2";
pub const END: &str = "3";

/// 情報区分 of a data record: 基本・サービス (one per service-type code) or one
/// 介護支援専門員 of that service.
pub const INFO_SERVICE: &str = "1";
pub const INFO_CARE_MANAGER: &str = "2";

/// Service types whose records carry the 介護支援専門員 list.
const CARE_MANAGER_SERVICES: [&str; 2] = ["43", "46"];

/// The control record's fields that are not counted from the data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ControlInfo {
    /// ボリューム通番 (1 for a single-volume file).
    pub volume: u32,
    /// データ種別. The real code for 事業所異動連絡票 is not public: configure it.
    pub data_kind: String,
    /// 福祉事務所特定番号 (empty for a 介護保険 file).
    pub welfare_office: String,
    /// 保険者番号 (6 digits) of the sending ward.
    pub insurer_number: String,
    /// 事業所番号 (empty: the sender is the 保険者, not a provider).
    pub provider_number: String,
    /// 都道府県番号 (`13` Tokyo).
    pub prefecture: String,
    /// 媒体区分 (how the file travels; configured).
    pub medium: String,
    /// 処理対象年月, `YYYYMM`.
    pub target_month: (i32, u32),
    /// ファイル管理番号 (the sender's own number for this file).
    pub file_number: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CareManager {
    /// 介護支援専門員番号 (8 digits).
    pub number: String,
    pub name: String,
}

/// One 異動 of one service-type code of one facility: what 国保連 may receive, and
/// nothing else (no staff address, date of birth or 資格証, no 運営推進会議構成員).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdoRecord {
    pub change: ChangeKind,
    pub changed_on: NaiveDate,
    pub provider_number: String,
    pub service_code: String,
    pub designated_on: NaiveDate,
    pub expires_on: NaiveDate,
    /// 廃止・休止年月日, for 終了.
    pub ended_on: Option<NaiveDate>,
    pub facility_name: String,
    pub facility_name_kana: String,
    pub postal_code: String,
    pub address: String,
    pub phone: String,
    pub fax: String,
    pub municipality_code: String,
    pub corporate_number: String,
    pub corporation_name: String,
    pub manager_name: String,
    pub care_managers: Vec<CareManager>,
}

/// The records for one facility's 異動: one per designation given (the caller passes the
/// service-type codes that changed). Staff contribute only the 介護支援専門員番号 and name
/// of those who have one, and only to 居宅介護支援 / 介護予防支援 records.
pub fn records_from_ledger(
    facility: &Facility,
    corporation: Option<&Corporation>,
    designations: &[Designation],
    staff: &[StaffMember],
    change: ChangeKind,
    changed_on: NaiveDate,
) -> Vec<IdoRecord> {
    let f = &facility.fields;
    let care_managers: Vec<CareManager> = staff
        .iter()
        .filter(|s| !s.care_manager_number.is_empty())
        .map(|s| CareManager {
            number: s.care_manager_number.clone(),
            name: s.name.clone(),
        })
        .collect();
    designations
        .iter()
        .map(|d| IdoRecord {
            change,
            changed_on,
            provider_number: f.provider_number.clone(),
            service_code: d.service_code.clone(),
            designated_on: d.designated_on,
            expires_on: d.expires_on,
            ended_on: (change == ChangeKind::End).then_some(changed_on),
            facility_name: f.name.clone(),
            facility_name_kana: f.name_kana.clone(),
            postal_code: f.postal_code.replace('-', ""),
            address: f.address.clone(),
            phone: f.phone.clone(),
            fax: f.fax.clone(),
            municipality_code: facility.municipality_code.clone(),
            corporate_number: corporation
                .and_then(|c| c.corporate_number.clone())
                .unwrap_or_default(),
            corporation_name: corporation.map(|c| c.name.clone()).unwrap_or_default(),
            manager_name: f.manager_name.clone(),
            care_managers: if CARE_MANAGER_SERVICES.contains(&d.service_code.as_str()) {
                care_managers.clone()
            } else {
                Vec::new()
            },
        })
        .collect()
}

/// The data record's items, in order (after レコード種別 and 連番).
pub const DATA_ITEMS: [&str; 20] = [
    "情報区分",
    "異動区分",
    "異動年月日",
    "事業所番号",
    "サービス種類コード",
    "指定年月日",
    "指定有効期間満了日",
    "廃止・休止年月日",
    "事業所名称",
    "事業所名称カナ",
    "郵便番号",
    "所在地",
    "電話番号",
    "FAX番号",
    "所在地市町村コード",
    "法人番号",
    "開設者名称",
    "管理者氏名",
    "介護支援専門員番号",
    "介護支援専門員氏名",
];

pub const CONTROL_ITEMS: [&str; 12] = [
    "レコード種別",
    "連番",
    "ボリューム通番",
    "件数",
    "データ種別",
    "福祉事務所特定番号",
    "保険者番号",
    "事業所番号",
    "都道府県番号",
    "媒体区分",
    "処理対象年月",
    "ファイル管理番号",
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KokuhorenError {
    /// A character CP932 cannot encode.
    Unencodable {
        record: usize,
        provider_number: String,
        field: &'static str,
        ch: char,
    },
    /// A line break or other control character in a text field.
    Control {
        record: usize,
        provider_number: String,
        field: &'static str,
    },
    /// A control-record setting that is not what the framing needs.
    Setting {
        field: &'static str,
        value: String,
    },
    Io(String),
}

impl KokuhorenError {
    pub fn message(&self, lang: Lang) -> String {
        let ja = lang.is_ja();
        match self {
            Self::Unencodable {
                record,
                provider_number,
                field,
                ch,
            } if ja => format!(
                "{record}件目のレコード（事業所番号 {provider_number}）の{field}に Shift_JIS（CP932）で書けない文字「{ch}」(U+{:04X}) があります。台帳で代わりの字に直してから出力してください",
                u32::from(*ch)
            ),
            Self::Unencodable {
                record,
                provider_number,
                field,
                ch,
            } => format!(
                "record {record} (provider {provider_number}): {field} contains \"{ch}\" (U+{:04X}), which CP932 cannot encode; replace it in the ledger and export again",
                u32::from(*ch)
            ),
            Self::Control {
                record,
                provider_number,
                field,
            } if ja => format!(
                "{record}件目のレコード（事業所番号 {provider_number}）の{field}に改行か制御文字があります。台帳で直してから出力してください"
            ),
            Self::Control {
                record,
                provider_number,
                field,
            } => format!(
                "record {record} (provider {provider_number}): {field} contains a line break or control character; fix it in the ledger and export again"
            ),
            Self::Setting { field, value } if ja => {
                format!("国保連ファイルの設定 {field} の値「{value}」が正しくありません")
            }
            Self::Setting { field, value } => {
                format!("the 国保連 file setting {field} has an invalid value \"{value}\"")
            }
            Self::Io(e) if ja => format!("書き込めません（{e}）"),
            Self::Io(e) => format!("cannot write ({e})"),
        }
    }
}

impl std::fmt::Display for KokuhorenError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

impl std::error::Error for KokuhorenError {}

enum Item<'a> {
    /// Written bare; digits only (may be empty).
    Num(String),
    /// Written in double quotes.
    Text(&'a str),
}

fn date8(d: NaiveDate) -> String {
    d.format("%Y%m%d").to_string()
}

/// Builds the file in memory (so a refused record leaves nothing half-written), then
/// writes it to `out`. Returns the number of data records (the 件数).
pub fn write(
    mut out: impl Write,
    control: &ControlInfo,
    records: &[IdoRecord],
) -> Result<usize, KokuhorenError> {
    check_control(control)?;
    let mut lines: Vec<Vec<u8>> = Vec::new();
    // Data records first, so the count is known; the control record goes in front.
    let mut seq = 1; // the control record is 連番 1
    for (n, r) in records.iter().enumerate() {
        let mut items: Vec<(&'static str, Item<'_>)> = Vec::with_capacity(22);
        let base = |info: &'static str| -> Vec<Item<'_>> {
            vec![
                Item::Text(info),
                Item::Text(r.change.code()),
                Item::Num(date8(r.changed_on)),
                Item::Text(&r.provider_number),
                Item::Text(&r.service_code),
                Item::Num(date8(r.designated_on)),
                Item::Num(date8(r.expires_on)),
                Item::Num(r.ended_on.map(date8).unwrap_or_default()),
            ]
        };
        let full = base(INFO_SERVICE).into_iter().chain([
            Item::Text(&r.facility_name),
            Item::Text(&r.facility_name_kana),
            Item::Text(&r.postal_code),
            Item::Text(&r.address),
            Item::Text(&r.phone),
            Item::Text(&r.fax),
            Item::Text(&r.municipality_code),
            Item::Text(&r.corporate_number),
            Item::Text(&r.corporation_name),
            Item::Text(&r.manager_name),
            Item::Text(""),
            Item::Text(""),
        ]);
        items.extend(DATA_ITEMS.into_iter().zip(full));
        seq += 1;
        lines.push(encode_record(DATA, seq, items, n + 1, &r.provider_number)?);
        for cm in &r.care_managers {
            let mut items: Vec<(&'static str, Item<'_>)> = Vec::with_capacity(22);
            let blank = std::iter::repeat_with(|| Item::Text("")).take(10);
            let cm_items = base(INFO_CARE_MANAGER)
                .into_iter()
                .chain(blank)
                .chain([Item::Text(&cm.number), Item::Text(&cm.name)]);
            items.extend(DATA_ITEMS.into_iter().zip(cm_items));
            seq += 1;
            lines.push(encode_record(DATA, seq, items, n + 1, &r.provider_number)?);
        }
    }
    let count = lines.len();
    let (y, m) = control.target_month;
    let head_items: Vec<(&'static str, Item<'_>)> = CONTROL_ITEMS[2..]
        .iter()
        .copied()
        .zip([
            Item::Num(control.volume.to_string()),
            Item::Num(count.to_string()),
            Item::Text(&control.data_kind),
            Item::Text(&control.welfare_office),
            Item::Text(&control.insurer_number),
            Item::Text(&control.provider_number),
            Item::Text(&control.prefecture),
            Item::Text(&control.medium),
            Item::Num(format!("{y:04}{m:02}")),
            Item::Text(&control.file_number),
        ])
        .collect();
    let head = encode_record(CONTROL, 1, head_items, 0, "")?;
    let end = encode_record(END, seq + 1, Vec::new(), 0, "")?;
    let mut file = head;
    for l in lines {
        file.extend(l);
    }
    file.extend(end);
    out.write_all(&file)
        .and_then(|_| out.flush())
        .map_err(|e: io::Error| KokuhorenError::Io(e.to_string()))?;
    Ok(count)
}

fn check_control(c: &ControlInfo) -> Result<(), KokuhorenError> {
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    let bad = |field: &'static str, value: &str| {
        Err(KokuhorenError::Setting {
            field,
            value: value.to_owned(),
        })
    };
    if !digits(&c.insurer_number, 6) {
        return bad("保険者番号", &c.insurer_number);
    }
    if !digits(&c.prefecture, 2) {
        return bad("都道府県番号", &c.prefecture);
    }
    let (y, m) = c.target_month;
    if !(1..=12).contains(&m) || !(1900..=9999).contains(&y) {
        return bad("処理対象年月", &format!("{y}{m:02}"));
    }
    for (field, v) in [
        ("データ種別", &c.data_kind),
        ("媒体区分", &c.medium),
        ("ファイル管理番号", &c.file_number),
        ("福祉事務所特定番号", &c.welfare_office),
        ("事業所番号", &c.provider_number),
    ] {
        if !v.is_ascii() || v.chars().any(|ch| ch.is_ascii_control() || ch == '"') {
            return bad(field, v);
        }
    }
    Ok(())
}

/// One record as CP932 bytes with CRLF: レコード種別, 連番, then `items`.
fn encode_record(
    kind: &str,
    seq: usize,
    items: Vec<(&'static str, Item<'_>)>,
    record: usize,
    provider_number: &str,
) -> Result<Vec<u8>, KokuhorenError> {
    let mut line = format!("{kind},{seq}");
    for (field, item) in items {
        line.push(',');
        match item {
            Item::Num(n) => line.push_str(&n),
            Item::Text(t) => {
                if t.chars().any(char::is_control) {
                    return Err(KokuhorenError::Control {
                        record,
                        provider_number: provider_number.to_owned(),
                        field,
                    });
                }
                if let Some(ch) = t.chars().find(|ch| !cp932_can_encode(*ch)) {
                    return Err(KokuhorenError::Unencodable {
                        record,
                        provider_number: provider_number.to_owned(),
                        field,
                        ch,
                    });
                }
                line.push('"');
                line.push_str(&t.replace('"', "\"\""));
                line.push('"');
            }
        }
    }
    line.push_str("\r\n");
    let (bytes, _, unmappable) = SHIFT_JIS.encode(&line);
    if unmappable {
        // Every text field was checked above; this is only reachable through a bug.
        return Err(KokuhorenError::Io("CP932 encoding failed".into()));
    }
    Ok(bytes.into_owned())
}

fn cp932_can_encode(ch: char) -> bool {
    let mut buf = [0u8; 4];
    let (_, _, unmappable) = SHIFT_JIS.encode(ch.encode_utf8(&mut buf));
    !unmappable
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
    }

    pub fn control() -> ControlInfo {
        ControlInfo {
            volume: 1,
            data_kind: "99".into(),
            welfare_office: String::new(),
            insurer_number: "131045".into(),
            provider_number: String::new(),
            prefecture: "13".into(),
            medium: "1".into(),
            target_month: (2024, 4),
            file_number: "0001".into(),
        }
    }

    fn record(name: &str) -> IdoRecord {
        IdoRecord {
            change: ChangeKind::New,
            changed_on: d(2024, 4, 1),
            provider_number: "1391400015".into(),
            service_code: "43".into(),
            designated_on: d(2024, 4, 1),
            expires_on: d(2030, 3, 31),
            ended_on: None,
            facility_name: name.into(),
            facility_name_kana: "ケア".into(),
            postal_code: "1600023".into(),
            address: "東京都新宿区西新宿7-1-1".into(),
            phone: "03-1234-5678".into(),
            fax: String::new(),
            municipality_code: "131041".into(),
            corporate_number: "7123456789012".into(),
            corporation_name: "社会福祉法人さくら会".into(),
            manager_name: "山田 花子".into(),
            care_managers: vec![CareManager {
                number: "13012345".into(),
                name: "佐藤 一郎".into(),
            }],
        }
    }

    #[test]
    fn framing_and_count() {
        let mut out = Vec::new();
        let n = write(&mut out, &control(), &[record("ケアセンター\"髙\"")]).unwrap();
        assert_eq!(n, 2);
        let (text, _, bad) = SHIFT_JIS.decode(&out);
        assert!(!bad);
        let lines: Vec<&str> = text.split_terminator("\r\n").collect();
        assert_eq!(lines.len(), 4);
        assert!(!text.replace("\r\n", "").contains('\n'));
        assert_eq!(
            lines[0],
            "1,1,1,2,\"99\",\"\",\"131045\",\"\",\"13\",\"1\",202404,\"0001\""
        );
        assert!(lines[1].starts_with("2,2,\"1\",\"1\",20240401,\"1391400015\",\"43\",20240401,20300331,,\"ケアセンター\"\"髙\"\"\","));
        assert!(
            lines[2].starts_with("2,3,\"2\",\"1\",20240401,"),
            "{}",
            lines[2]
        );
        assert!(lines[2].ends_with(",\"13012345\",\"佐藤 一郎\""));
        assert_eq!(lines[3], "3,4");
    }

    #[test]
    fn unencodable_character_names_record_and_field() {
        let mut out = Vec::new();
        let err = write(&mut out, &control(), &[record("ケア"), record("𠮷野ケア")]).unwrap_err();
        assert_eq!(
            err,
            KokuhorenError::Unencodable {
                record: 2,
                provider_number: "1391400015".into(),
                field: "事業所名称",
                ch: '𠮷'
            }
        );
        assert!(
            out.is_empty(),
            "nothing is written when a record is refused"
        );
        let msg = err.message(Lang::Ja);
        assert!(msg.contains("事業所名称") && msg.contains("2件目"), "{msg}");
        let mut r = record("ケア");
        r.address = "新宿\n区".into();
        assert!(matches!(
            write(Vec::new(), &control(), &[r]),
            Err(KokuhorenError::Control {
                field: "所在地",
                ..
            })
        ));
    }

    #[test]
    fn bad_settings_are_refused() {
        let mut c = control();
        c.insurer_number = "13104".into();
        assert!(matches!(
            write(Vec::new(), &c, &[]),
            Err(KokuhorenError::Setting {
                field: "保険者番号",
                ..
            })
        ));
        let mut out = Vec::new();
        assert_eq!(write(&mut out, &control(), &[]).unwrap(), 0);
        assert!(String::from_utf8(out).unwrap().ends_with("\r\n3,2\r\n"));
    }
}
