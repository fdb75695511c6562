//! The exchange codecs against the files in `tests/data/` (documented outcomes, no valid
//! row lost), the samples in `fixtures/samples/`, the 国保連 framing read back by an
//! independent parser (Python's `csv` with `cp932`), what each export may carry, and
//! property tests (no panic on any bytes, write → read round trips).

#![allow(clippy::unwrap_used)] // a test binary

mod common;

use chrono::NaiveDate;
use daicho::domain::application::ApplicationKind;
use daicho::domain::exchange::{
    Applicant, ApplicationCouncilMember, ApplicationFacility, ApplicationStaff, Attachment,
    ChangeKind, ConsentDecision, IncomingApplication,
};
use daicho::domain::ids;
use daicho::i18n::Lang;
use daicho::jobs::formats::consent_exchange::{self, ConsentFile, ConsentReply, ConsentRequest};
use daicho::jobs::formats::input::{
    Encoding, EncodingChoice, FileError, MAX_TEXT_CHARS, Problem, ReadOutcome, RowError, Warning,
    sanitize_file_name,
};
use daicho::jobs::formats::{eapp, kokuhoren, lemscare};
use proptest::prelude::*;
use std::path::{Path, PathBuf};

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

fn read_eapp(name: &str) -> Result<ReadOutcome<IncomingApplication>, FileError> {
    let bytes = std::fs::read(data(name)).unwrap();
    eapp::read(&bytes[..], EncodingChoice::Auto)
}

fn ids_of(o: &ReadOutcome<IncomingApplication>) -> Vec<&str> {
    o.records
        .iter()
        .map(|a| a.application_id.as_str())
        .collect()
}

fn problems(o: &ReadOutcome<IncomingApplication>) -> Vec<(usize, &str, &Problem)> {
    o.errors
        .iter()
        .map(|e| (e.row, e.column.as_str(), &e.problem))
        .collect()
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

#[test]
fn utf8_lf_file_reads_every_record_with_its_children() {
    let o = read_eapp("eapp-utf8.csv").unwrap();
    assert_eq!(o.encoding, Encoding::Utf8);
    assert!(o.errors.is_empty(), "{:?}", o.errors);
    assert!(o.warnings.is_empty());
    assert_eq!(ids_of(&o), ["EA-0001", "EA-0002"]);
    let a = &o.records[0];
    assert_eq!(a.kind, ApplicationKind::Change);
    assert_eq!(a.submitted_on, d(2024, 3, 1));
    assert_eq!(a.facility.provider_number, "1391400015");
    assert_eq!(a.applicant.corporate_number, "7123456789012");
    assert_eq!(a.staff.len(), 1);
    assert_eq!(a.staff[0].care_manager_number, "13012345");
    assert_eq!(a.council_members[0].name, "高橋 正");
    assert_eq!(a.attachments[0].size, Some(48213));
    // A new designation has no provider number yet.
    let b = &o.records[1];
    assert_eq!(b.kind, ApplicationKind::NewDesignation);
    assert_eq!(b.facility.provider_number, "");
    assert_eq!(b.attachments[0].size, None);
}

#[test]
fn utf8_bom_crlf_file_reads_the_same_records() {
    let plain = read_eapp("eapp-utf8.csv").unwrap();
    let o = read_eapp("eapp-utf8-bom-crlf.csv").unwrap();
    assert_eq!(o.encoding, Encoding::Utf8Bom);
    assert!(o.errors.is_empty(), "{:?}", o.errors);
    assert_eq!(o.records, plain.records);
}

#[test]
fn cp932_file_is_detected_and_half_width_kana_widened() {
    let o = read_eapp("eapp-cp932-crlf.csv").unwrap();
    assert_eq!(o.encoding, Encoding::Cp932);
    assert!(o.errors.is_empty(), "{:?}", o.errors);
    let a = &o.records[0];
    assert_eq!(a.facility.name, "デイサービス アオゾラ");
    assert_eq!(a.facility.name_kana, "デイサービスアオゾラ");
    assert_eq!(a.staff[0].name, "髙橋 ケン");
    // Forced UTF-8 on the same bytes is refused whole, naming the first bad byte.
    let bytes = std::fs::read(data("eapp-cp932-crlf.csv")).unwrap();
    let err = eapp::read(&bytes[..], EncodingChoice::Utf8).unwrap_err();
    assert!(
        matches!(err, FileError::Encoding { tried: "UTF-8", .. }),
        "{err:?}"
    );
    // Forced CP932 reads it.
    assert_eq!(
        eapp::read(&bytes[..], EncodingChoice::Cp932)
            .unwrap()
            .records,
        o.records
    );
}

#[test]
fn wide_names_half_width_kana_outside_bmp_formulas_and_path_names() {
    let o = read_eapp("eapp-names.csv").unwrap();
    assert!(o.errors.is_empty(), "{:?}", o.errors);
    let a = &o.records[0];
    assert_eq!(a.facility.name, "ケアセンター　ひだまり");
    assert_eq!(a.facility.name_kana, "ケアセンター ヒダマリ");
    assert_eq!(a.applicant.representative_name, "𠮷田 太郎");
    assert_eq!(a.staff[0].name, "𠮷野 花子");
    // Formula-looking cells are data: kept exactly, never escaped or evaluated.
    assert_eq!(
        a.facility.manager_name,
        "=HYPERLINK(\"http://example.com\")"
    );
    assert_eq!(a.staff[0].job_title, "-介護職員");
    assert_eq!(a.staff[0].qualification, "@介護福祉士");
    assert_eq!(a.staff[0].address, "+新宿区");
    // The sender's name is kept as data; only the sanitised one is ever a path.
    assert_eq!(a.attachments[0].file_name, "../../etc/passwd");
    assert_eq!(a.attachments[0].safe_name, "etc_passwd");
    let dir = tempfile::tempdir().unwrap();
    let joined = dir.path().join(&a.attachments[0].safe_name);
    assert_eq!(joined.parent(), Some(dir.path()));
}

#[test]
fn ragged_row_is_reported_and_the_rest_parse() {
    let o = read_eapp("eapp-ragged.csv").unwrap();
    assert_eq!(ids_of(&o), ["EA-0201", "EA-0203"]);
    assert_eq!(
        problems(&o),
        [(
            3,
            "",
            &Problem::FieldCount {
                expected: 33,
                found: 30
            }
        )]
    );
    assert_eq!(
        o.errors[0].message(Lang::Ja),
        "3行目: 項目数が 30 です（33 必要）"
    );
    assert_eq!(
        o.errors[0].message(Lang::En),
        "row 3: 30 fields where 33 are expected"
    );
}

#[test]
fn truncated_csv_loses_only_its_incomplete_last_row() {
    let o = read_eapp("eapp-truncated.csv").unwrap();
    assert_eq!(ids_of(&o), ["EA-0301", "EA-0302"]);
    assert_eq!(o.records[0].staff.len(), 1);
    assert_eq!(problems(&o), [(5, "", &Problem::Truncated)]);
}

#[test]
fn truncated_json_is_an_error_for_the_whole_file() {
    let err = read_eapp("eapp-truncated.json").unwrap_err();
    assert!(matches!(err, FileError::Syntax { .. }), "{err:?}");
    assert!(
        err.message(Lang::Ja)
            .contains("ファイル全体を取り込みません")
    );
}

#[test]
fn unknown_column_is_ignored_with_a_warning() {
    let o = read_eapp("eapp-unknown-column.csv").unwrap();
    assert!(o.errors.is_empty(), "{:?}", o.errors);
    assert_eq!(ids_of(&o), ["EA-0401"]);
    assert_eq!(o.records[0].staff.len(), 1);
    assert_eq!(o.warnings, [Warning::UnknownColumn("fax_extension".into())]);
    assert_eq!(
        o.warnings[0].message(Lang::Ja),
        "列 fax_extension は定義されていないため無視しました"
    );
}

#[test]
fn invalid_rows_are_reported_by_row_field_and_problem() {
    let o = read_eapp("eapp-invalid-rows.csv").unwrap();
    assert_eq!(ids_of(&o), ["EA-0501"]);
    let got: Vec<(usize, &str)> = o
        .errors
        .iter()
        .map(|e| (e.row, e.column.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            (3, "submitted_on"),
            (3, "provider_number"),
            (3, "phone"),
            (4, "application_id"),
            (5, "name"),
            (6, "facility_name"),
            (7, "record"),
            (8, "application_id"),
        ]
    );
    let p: Vec<&Problem> = o.errors.iter().map(|e| &e.problem).collect();
    assert!(matches!(p[1], Problem::Invalid { en, .. } if en.contains("check digit")));
    assert_eq!(
        o.errors[1].message(Lang::Ja),
        "3行目 provider_number: 事業所番号の検査数字が合いません（6、正しくは 5）"
    );
    // A date column's message names what is wrong, not an empty label.
    assert_eq!(
        o.errors[0].message(Lang::Ja),
        "3行目 submitted_on: 日付は 2024-03-01 か 令和6年3月1日 の形で入力してください"
    );
    assert_eq!(p[3], &Problem::HeldBack("EA-0503".into()));
    assert_eq!(p[4], &Problem::ControlChar);
    assert_eq!(p[5], &Problem::BidiChar);
    assert_eq!(p[6], &Problem::UnknownRecord("invoice".into()));
    assert_eq!(p[7], &Problem::Orphan("EA-0599".into()));
    for e in &o.errors {
        let (ja, en) = (e.message(Lang::Ja), e.message(Lang::En));
        assert!(ja.contains(&e.column) && en.contains(&e.column));
        assert!(!ja.contains("Invalid") && !en.contains("Problem"), "{en}");
    }
}

#[test]
fn unknown_major_version_is_refused_with_a_clear_message() {
    let err = read_eapp("eapp-version2.csv").unwrap_err();
    assert_eq!(
        err,
        FileError::UnsupportedVersion {
            found: "2.0".into(),
            supported: 1
        }
    );
    assert_eq!(
        err.message(Lang::En),
        "format version 2.0 is not supported (this daicho reads 1.x); update daicho or ask the sender"
    );
}

#[test]
fn undecodable_file_names_the_byte_offset() {
    let bytes = std::fs::read(data("eapp-undecodable.csv")).unwrap();
    let at = bytes.iter().position(|b| *b == 0x81).unwrap();
    let err = eapp::read(&bytes[..], EncodingChoice::Auto).unwrap_err();
    assert_eq!(
        err,
        FileError::Encoding {
            offset: at,
            tried: "UTF-8 / CP932"
        }
    );
    assert!(err.message(Lang::Ja).contains(&format!("{at} バイト目")));
}

#[test]
fn json_export_reads_with_nested_lists() {
    let o = read_eapp("eapp.json").unwrap();
    assert!(o.errors.is_empty(), "{:?}", o.errors);
    assert_eq!(ids_of(&o), ["EA-0801", "EA-0802"]);
    let a = &o.records[0];
    assert_eq!(a.staff.len(), 1);
    assert_eq!(a.council_members.len(), 1);
    assert_eq!(a.attachments[0].file_name, "..\\..\\windows\\system.ini");
    assert_eq!(a.attachments[0].safe_name, "windows_system.ini");
    assert_eq!(a.attachments[0].size, Some(100));
}

/// A CSV export with one 10 MB field: that field is refused, the other rows parse.
#[test]
fn ten_megabyte_field_is_refused_and_other_rows_kept() {
    let text = std::fs::read_to_string(data("eapp-utf8.csv")).unwrap();
    let huge = "あ".repeat(10 * 1024 * 1024 / 3);
    let text = text.replacen("ケアプランセンターさくら", &huge, 1);
    assert!(text.len() > 10 * 1024 * 1024);
    let o = eapp::read(text.as_bytes(), EncodingChoice::Auto).unwrap();
    assert_eq!(ids_of(&o), ["EA-0002"]);
    assert_eq!(o.errors[0].row, 2);
    assert_eq!(o.errors[0].column, "facility_name");
    assert_eq!(
        o.errors[0].problem,
        Problem::TooLong {
            max: MAX_TEXT_CHARS,
            found: huge.chars().count()
        }
    );
    // Beyond the file size limit the file is refused before it is parsed.
    let endless = std::io::Read::take(std::io::repeat(b'a'), 40 * 1024 * 1024);
    assert!(matches!(
        eapp::read(endless, EncodingChoice::Auto),
        Err(FileError::TooLarge { .. })
    ));
}

#[test]
fn consent_requests_and_replies_read_with_per_entry_errors() {
    let bytes = std::fs::read(data("consent-request.json")).unwrap();
    let ConsentFile::Requests(o) =
        consent_exchange::read(&bytes[..], EncodingChoice::Auto).unwrap()
    else {
        panic!("a request file")
    };
    assert_eq!(o.records.len(), 1);
    let r = &o.records[0];
    assert_eq!(r.insured_name_kana, "ナカムラ サチコ");
    assert_eq!(
        r.reason,
        "長女が新宿区内に住んでおり、\n近くの施設を希望するため"
    );
    let cols: Vec<&str> = o.errors.iter().map(|e| e.column.as_str()).collect();
    assert_eq!(
        cols,
        ["requests[2].care_level", "requests[2].insured_number"]
    );

    let bytes = std::fs::read(data("consent-reply.json")).unwrap();
    let ConsentFile::Replies(o) = consent_exchange::read(&bytes[..], EncodingChoice::Auto).unwrap()
    else {
        panic!("a reply file")
    };
    assert_eq!(o.records.len(), 1);
    assert_eq!(o.records[0].decision, ConsentDecision::Consented);
    assert_eq!(
        o.errors,
        [RowError::new(2, "replies[2].reason", Problem::Required)]
    );
}

// ---------------------------------------------------------------------------------
// Samples (fixtures/samples/): written from the values below; DAICHO_UPDATE_SAMPLES=1
// rewrites them, otherwise a drift fails.

fn sample_applications() -> Vec<IncomingApplication> {
    vec![
        IncomingApplication {
            application_id: "EA-2024-000123".into(),
            kind: ApplicationKind::Change,
            submitted_on: d(2024, 3, 1),
            applicant: Applicant {
                corporate_number: "7123456789012".into(),
                corporation_name: "社会福祉法人さくら会".into(),
                representative_name: "山田 太郎".into(),
                representative_address: "東京都新宿区西新宿2-8-1".into(),
                representative_dob: Some(d(1960, 4, 1)),
            },
            facility: ApplicationFacility {
                provider_number: "1391400015".into(),
                municipality_code: "131041".into(),
                service_code: "43".into(),
                name: "ケアプランセンターさくら".into(),
                name_kana: "ケアプランセンターサクラ".into(),
                postal_code: "160-0023".into(),
                address: "東京都新宿区西新宿7-1-1".into(),
                phone: "03-1234-5678".into(),
                fax: "03-1234-5679".into(),
                email: "info@example.jp".into(),
                manager_name: "鈴木 花子".into(),
            },
            staff: vec![ApplicationStaff {
                name: "佐藤 一郎".into(),
                name_kana: "サトウ イチロウ".into(),
                job_title: "介護支援専門員".into(),
                address: "東京都中野区中野4-1-1".into(),
                dob: Some(d(1975, 6, 15)),
                qualification: "介護支援専門員".into(),
                care_manager_number: "13012345".into(),
            }],
            council_members: vec![ApplicationCouncilMember {
                name: "高橋 正".into(),
                affiliation: "西新宿町会".into(),
                title: "会長".into(),
            }],
            attachments: vec![Attachment {
                file_name: "運営規程.pdf".into(),
                safe_name: "運営規程.pdf".into(),
                size: Some(48213),
                sha256: String::new(),
            }],
        },
        IncomingApplication {
            application_id: "EA-2024-000124".into(),
            kind: ApplicationKind::NewDesignation,
            submitted_on: d(2024, 3, 4),
            applicant: Applicant {
                corporate_number: "8000000000001".into(),
                corporation_name: "株式会社ひまわりケア".into(),
                representative_name: "田中 次郎".into(),
                ..Default::default()
            },
            facility: ApplicationFacility {
                municipality_code: "131041".into(),
                service_code: "78".into(),
                name: "デイサービスひまわり".into(),
                address: "東京都新宿区高田馬場1-1-1".into(),
                phone: "03-2345-6789".into(),
                ..Default::default()
            },
            staff: vec![],
            council_members: vec![],
            attachments: vec![],
        },
    ]
}

fn sample_ido() -> (kokuhoren::ControlInfo, Vec<kokuhoren::IdoRecord>) {
    let control = kokuhoren::ControlInfo {
        volume: 1,
        data_kind: "99".into(),
        welfare_office: String::new(),
        insurer_number: "131045".into(),
        provider_number: String::new(),
        prefecture: "13".into(),
        medium: "1".into(),
        target_month: (2024, 4),
        file_number: "000001".into(),
    };
    let base = kokuhoren::IdoRecord {
        change: ChangeKind::New,
        changed_on: d(2024, 4, 1),
        provider_number: "1391400015".into(),
        service_code: "43".into(),
        designated_on: d(2024, 4, 1),
        expires_on: d(2030, 3, 31),
        ended_on: None,
        facility_name: "ケアプランセンターさくら".into(),
        facility_name_kana: "ケアプランセンターサクラ".into(),
        postal_code: "1600023".into(),
        address: "東京都新宿区西新宿7-1-1".into(),
        phone: "03-1234-5678".into(),
        fax: "03-1234-5679".into(),
        municipality_code: "131041".into(),
        corporate_number: "7123456789012".into(),
        corporation_name: "社会福祉法人さくら会".into(),
        manager_name: "鈴木 花子".into(),
        care_managers: vec![kokuhoren::CareManager {
            number: "13012345".into(),
            name: "佐藤 一郎".into(),
        }],
    };
    let ended = kokuhoren::IdoRecord {
        change: ChangeKind::End,
        changed_on: d(2024, 3, 31),
        provider_number: "1391400023".into(),
        service_code: "78".into(),
        designated_on: d(2018, 4, 1),
        expires_on: d(2024, 3, 31),
        ended_on: Some(d(2024, 3, 31)),
        facility_name: "デイサービス\"けやき\"".into(),
        facility_name_kana: "デイサービスケヤキ".into(),
        care_managers: vec![],
        ..base.clone()
    };
    (control, vec![base, ended])
}

fn sample_reflect() -> Vec<lemscare::ReflectRecord> {
    let (_, ido) = sample_ido();
    ido.iter()
        .map(|r| lemscare::ReflectRecord {
            change: r.change,
            changed_on: r.changed_on,
            provider_number: r.provider_number.clone(),
            service_code: r.service_code.clone(),
            designated_on: r.designated_on,
            expires_on: r.expires_on,
            ended_on: r.ended_on,
            facility_name: r.facility_name.clone(),
            facility_name_kana: r.facility_name_kana.clone(),
            postal_code: "160-0023".into(),
            address: r.address.clone(),
            phone: r.phone.clone(),
            fax: r.fax.clone(),
            municipality_code: r.municipality_code.clone(),
            corporate_number: r.corporate_number.clone(),
            corporation_name: r.corporation_name.clone(),
            manager_name: r.manager_name.clone(),
            status: if r.change == ChangeKind::End {
                "closed"
            } else {
                "active"
            },
        })
        .collect()
}

fn sample_requests() -> Vec<ConsentRequest> {
    vec![ConsentRequest {
        request_id: "CR-2024-001".into(),
        from_municipality: "131041".into(),
        to_municipality: "131130".into(),
        requested_on: d(2024, 4, 10),
        reply_by: Some(d(2024, 4, 30)),
        renewal: false,
        provider_number: "1371400050".into(),
        facility_name: "グループホームけやき渋谷".into(),
        service_code: "32".into(),
        insured_name: "中村 幸子".into(),
        insured_name_kana: "ナカムラ サチコ".into(),
        sex: "女".into(),
        care_level: "22".into(),
        insured_number: "0000123456".into(),
        insurer_number: "131045".into(),
        dob: Some(d(1940, 1, 20)),
        address: "東京都新宿区西新宿2-8-1".into(),
        certification_from: Some(d(2024, 1, 1)),
        certification_to: Some(d(2025, 12, 31)),
        service_start_on: Some(d(2024, 5, 1)),
        reason: "長女が渋谷区内に住んでおり、\n近くの施設を希望するため".into(),
    }]
}

fn sample_replies() -> Vec<ConsentReply> {
    vec![
        ConsentReply {
            request_id: "CR-2024-010".into(),
            from_municipality: "131041".into(),
            to_municipality: "131016".into(),
            replied_on: d(2024, 4, 20),
            decision: ConsentDecision::Consented,
            reason: String::new(),
        },
        ConsentReply {
            request_id: "CR-2024-011".into(),
            from_municipality: "131041".into(),
            to_municipality: "131016".into(),
            replied_on: d(2024, 4, 21),
            decision: ConsentDecision::Refused,
            reason: "定員に空きがないため".into(),
        },
    ]
}

fn samples() -> Vec<(&'static str, Vec<u8>)> {
    let mut out = Vec::new();
    let mut b = Vec::new();
    eapp::write_csv(&mut b, &sample_applications()).unwrap();
    out.push(("eapp-export.csv", std::mem::take(&mut b)));
    eapp::write_json(&mut b, &sample_applications()).unwrap();
    out.push(("eapp-export.json", std::mem::take(&mut b)));
    lemscare::write(&mut b, &sample_reflect()).unwrap();
    out.push(("lemscare-reflect.csv", std::mem::take(&mut b)));
    let (control, ido) = sample_ido();
    kokuhoren::write(&mut b, &control, &ido).unwrap();
    out.push(("kokuhoren-ido.csv", std::mem::take(&mut b)));
    consent_exchange::write_requests(&mut b, &sample_requests()).unwrap();
    out.push(("consent-request.json", std::mem::take(&mut b)));
    consent_exchange::write_replies(&mut b, &sample_replies()).unwrap();
    out.push(("consent-reply.json", std::mem::take(&mut b)));
    out
}

#[test]
fn samples_are_current_and_read_back() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/samples");
    let update = std::env::var_os("DAICHO_UPDATE_SAMPLES").is_some();
    for (name, bytes) in samples() {
        let path = dir.join(name);
        if update {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&path, &bytes).unwrap();
        }
        let on_disk = std::fs::read(&path).unwrap_or_default();
        assert!(
            on_disk == bytes,
            "{} differs from what daicho writes; run with DAICHO_UPDATE_SAMPLES=1 and review",
            path.display()
        );
    }
    for name in ["eapp-export.csv", "eapp-export.json"] {
        let o = eapp::read(
            &std::fs::read(dir.join(name)).unwrap()[..],
            EncodingChoice::Auto,
        )
        .unwrap();
        assert!(o.errors.is_empty(), "{name}: {:?}", o.errors);
        assert_eq!(o.records, sample_applications(), "{name}");
    }
    let r = consent_exchange::read(
        &std::fs::read(dir.join("consent-request.json")).unwrap()[..],
        EncodingChoice::Auto,
    )
    .unwrap();
    assert!(matches!(r, ConsentFile::Requests(o) if o.records == sample_requests()));
    let r = consent_exchange::read(
        &std::fs::read(dir.join("consent-reply.json")).unwrap()[..],
        EncodingChoice::Auto,
    )
    .unwrap();
    assert!(matches!(r, ConsentFile::Replies(o) if o.records == sample_replies()));
}

// ---------------------------------------------------------------------------------
// 国保連: read back by an independent parser.

const PY_CHECK: &str = r#"
import csv, json, re, sys
raw = open(sys.argv[1], 'rb').read()
assert raw.endswith(b'\r\n'), 'the file must end with CRLF'
assert b'\n' not in raw.replace(b'\r\n', b''), 'a bare LF'
assert b'\r' not in raw.replace(b'\r\n', b''), 'a bare CR'
text = raw.decode('cp932')
lines = text.split('\r\n')[:-1]
rows = list(csv.reader(open(sys.argv[1], encoding='cp932', newline=''), strict=True))
assert len(rows) == len(lines), (len(rows), len(lines))
token = re.compile(r'"(?:[^"]|"")*"|[0-9]*')
def kinds(line):
    out, pos = [], 0
    while True:
        m = token.match(line, pos)
        s = m.group(0)
        out.append('text' if s.startswith('"') else 'num')
        pos = m.end()
        if pos == len(line):
            return out
        assert line[pos] == ',', ('unexpected', line[pos:pos+10])
        pos += 1
NUM = {'1': {0, 1, 2, 3, 10}, '2': {0, 1, 4, 7, 8, 9}, '3': {0, 1}}
for line, row in zip(lines, rows):
    k = kinds(line)
    assert len(k) == len(row), (line, k, row)
    for i, kind in enumerate(k):
        want = 'num' if i in NUM[row[0]] else 'text'
        assert kind == want, ('field', i + 1, 'of', row[:3], 'is', kind)
assert rows[0][0] == '1' and rows[-1][0] == '3', 'control first, end last'
assert all(r[0] == '2' for r in rows[1:-1]), 'data in between'
assert [int(r[1]) for r in rows] == list(range(1, len(rows) + 1)), '連番'
assert len(rows[0]) == 12 and len(rows[-1]) == 2
data = rows[1:-1]
assert all(len(r) == 22 for r in data), 'data record length'
print(json.dumps({'count': int(rows[0][3]), 'data': len(data), 'insurer': rows[0][6],
                  'month': rows[0][10], 'names': sorted({r[10] for r in data if r[2] == '1'}),
                  'care_managers': sorted({r[21] for r in data if r[2] == '2'})}, ensure_ascii=False))
"#;

fn python_reads(path: &Path) -> Option<serde_json::Value> {
    let out = match std::process::Command::new("python3")
        .arg("-c")
        .arg(PY_CHECK)
        .arg(path)
        .output()
    {
        Ok(out) => out,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            println!("NOTICE: python3 not found; the independent 国保連 check is skipped");
            return None;
        }
        Err(e) => panic!("python3: {e}"),
    };
    assert!(
        out.status.success(),
        "python rejected {}: {}",
        path.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    Some(serde_json::from_slice(&out.stdout).unwrap())
}

#[test]
fn kokuhoren_sample_is_read_back_by_python_csv_cp932() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/samples/kokuhoren-ido.csv");
    let Some(v) = python_reads(&path) else { return };
    assert_eq!(v["count"], 3);
    assert_eq!(v["data"], 3);
    assert_eq!(v["insurer"], "131045");
    assert_eq!(v["month"], "202404");
    assert_eq!(
        v["names"],
        serde_json::json!(["ケアプランセンターさくら", "デイサービス\"けやき\""])
    );
    assert_eq!(v["care_managers"], serde_json::json!(["佐藤 一郎"]));
}

/// Everything the demo ledger knows about some facilities: the exports built from it
/// must carry nothing the connection may not have.
struct LedgerSample {
    facility: daicho::domain::model::Facility,
    corporation: Option<daicho::domain::model::Corporation>,
    designations: Vec<daicho::domain::model::Designation>,
    staff: Vec<daicho::domain::model::StaffMember>,
    council: Vec<daicho::domain::model::CouncilMember>,
}

fn ledger_samples() -> Vec<LedgerSample> {
    use daicho::store::{Store, cases, facilities};
    let db = common::fresh_db();
    let store = Store::open(&db.path).unwrap();
    let conn = store.conn_for_tests();
    // Facilities with council members, and ones with care managers.
    let ids: Vec<i64> = conn
        .prepare(
            "SELECT id FROM facility WHERE id IN (SELECT facility_id FROM council_member) \
             OR id IN (SELECT facility_id FROM staff_member WHERE care_manager_number <> '') \
             ORDER BY id LIMIT 60",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert!(ids.len() >= 20, "the demo ledger has too few facilities");
    ids.into_iter()
        .map(|id| {
            let facility = facilities::get(conn, id).unwrap().unwrap();
            let corporation = facility
                .corporation_id
                .and_then(|c| cases::corporation(conn, c).unwrap());
            LedgerSample {
                designations: facilities::designations(conn, id).unwrap(),
                staff: facilities::staff(conn, id).unwrap(),
                council: facilities::council_members(conn, id).unwrap(),
                corporation,
                facility,
            }
        })
        .collect()
}

/// What an export may legitimately contain, from every sampled facility (a council
/// member of one facility may share a name with the manager of another).
fn permitted(samples: &[LedgerSample], care_managers_allowed: bool) -> Vec<String> {
    let mut out = Vec::new();
    for s in samples {
        let f = &s.facility.fields;
        out.extend([
            f.name.clone(),
            f.name_kana.clone(),
            f.address.clone(),
            f.manager_name.clone(),
        ]);
        if let Some(c) = &s.corporation {
            out.push(c.name.clone());
        }
        if care_managers_allowed {
            out.extend(
                s.staff
                    .iter()
                    .filter(|m| !m.care_manager_number.is_empty())
                    .map(|m| m.name.clone()),
            );
        }
    }
    out
}

/// Personal data of `s` that an export must not carry, unless the same text is also a
/// permitted value.
fn forbidden(s: &LedgerSample, care_managers_allowed: bool, permitted: &[String]) -> Vec<String> {
    let f = &s.facility;
    let mut out = Vec::new();
    for m in &s.council {
        out.push(m.name.clone());
    }
    for m in &s.staff {
        out.push(m.name.clone());
        out.push(m.address.clone());
        if let Some(dob) = m.dob {
            out.push(dob.format("%Y-%m-%d").to_string());
            out.push(dob.format("%Y%m%d").to_string());
        }
        if !care_managers_allowed && !m.care_manager_number.is_empty() {
            out.push(m.care_manager_number.clone());
        }
    }
    out.push(f.manager_address.clone());
    if let Some(dob) = f.manager_dob {
        out.push(dob.format("%Y%m%d").to_string());
    }
    out.retain(|x| x.chars().count() >= 2 && !permitted.iter().any(|p| p.contains(x.as_str())));
    out
}

#[test]
fn each_export_carries_only_what_its_connection_may() {
    let samples = ledger_samples();
    let on = d(2024, 4, 1);
    let mut reflect = Vec::new();
    let mut ido = Vec::new();
    for s in &samples {
        reflect.extend(lemscare::records_from_ledger(
            &s.facility,
            s.corporation.as_ref(),
            &s.designations,
            ChangeKind::Change,
            on,
        ));
        ido.extend(kokuhoren::records_from_ledger(
            &s.facility,
            s.corporation.as_ref(),
            &s.designations,
            &s.staff,
            ChangeKind::Change,
            on,
        ));
    }
    let mut lems = Vec::new();
    lemscare::write(&mut lems, &reflect).unwrap();
    let lems = String::from_utf8(lems).unwrap();
    let (control, _) = sample_ido();
    let mut koku = Vec::new();
    let count = kokuhoren::write(&mut koku, &control, &ido).unwrap();
    let (koku_text, _, bad) = encoding_rs::SHIFT_JIS.decode(&koku);
    assert!(!bad);
    // A consent request about each facility (the insured person may leave; staff and
    // council members may not).
    let requests: Vec<ConsentRequest> = samples
        .iter()
        .map(|s| ConsentRequest {
            provider_number: s.facility.fields.provider_number.clone(),
            facility_name: s.facility.fields.name.clone(),
            ..sample_requests().remove(0)
        })
        .collect();
    let mut consent = Vec::new();
    consent_exchange::write_requests(&mut consent, &requests).unwrap();
    let consent = String::from_utf8(consent).unwrap();

    let (without_cm, with_cm) = (permitted(&samples, false), permitted(&samples, true));
    let mut checked = 0;
    for s in &samples {
        for x in forbidden(s, false, &without_cm) {
            assert!(!lems.contains(&x), "LEMSCARE file carries {x}");
            assert!(!consent.contains(&x), "consent request carries {x}");
            checked += 1;
        }
        for x in forbidden(s, true, &with_cm) {
            assert!(!koku_text.contains(&x), "国保連 file carries {x}");
        }
    }
    assert!(checked > 50, "the scan looked at too little: {checked}");
    // Care managers do go to 国保連 (their number and name), and only there.
    let cm = samples
        .iter()
        .flat_map(|s| &s.staff)
        .find(|m| !m.care_manager_number.is_empty())
        .unwrap();
    assert!(koku_text.contains(&cm.care_manager_number));
    assert!(!lems.contains(&cm.care_manager_number));
    // The same demo data written by daicho reads back in Python with the right 件数.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ido.csv");
    std::fs::write(&path, &koku).unwrap();
    if let Some(v) = python_reads(&path) {
        assert_eq!(v["count"], count);
        assert_eq!(v["data"], count);
    }
}

// ---------------------------------------------------------------------------------
// Properties.

fn text(min: usize) -> impl Strategy<Value = String> {
    proptest::string::string_regex(&format!(
        "[ぁ-んァ-ヶ一-龠a-zA-Z0-9=+@\"',𠮷髙-][ぁ-んァ-ヶ一-龠a-zA-Z0-9=+@\"',𠮷髙 　-]{{{},10}}[ぁ-んァ-ヶ一-龠a-z0-9𠮷]",
        min.saturating_sub(2)
    ))
    .unwrap()
}

fn opt_text() -> impl Strategy<Value = String> {
    prop_oneof![Just(String::new()), text(2)]
}

fn date() -> impl Strategy<Value = NaiveDate> {
    (0i64..30_000).prop_map(|n| d(1940, 1, 1) + chrono::Duration::days(n))
}

fn provider() -> impl Strategy<Value = String> {
    (
        1u32..=47,
        prop::sample::select(vec!['0', '7', '9', 'A']),
        0u32..100,
        0u32..10_000,
    )
        .prop_map(|(p, k, c, s)| {
            let head = format!("{p:02}{k}{c:02}{s:04}");
            format!("{head}{}", ids::provider_check_digit(&head).unwrap())
        })
}

fn corporate() -> impl Strategy<Value = String> {
    (0u64..1_000_000_000_000).prop_map(|n| {
        let tail = format!("{n:012}");
        format!("{}{tail}", ids::corporate_check_digit(&tail).unwrap())
    })
}

fn municipality() -> impl Strategy<Value = String> {
    (0u32..100_000).prop_map(|n| {
        let head = format!("{n:05}");
        format!("{head}{}", ids::municipality_check_digit(&head).unwrap())
    })
}

fn maybe(s: impl Strategy<Value = String>) -> impl Strategy<Value = String> {
    prop_oneof![Just(String::new()), s]
}

fn application() -> impl Strategy<Value = IncomingApplication> {
    let applicant = (
        maybe(corporate()),
        text(1),
        text(1),
        opt_text(),
        prop::option::of(date()),
    )
        .prop_map(
            |(
                corporate_number,
                corporation_name,
                representative_name,
                representative_address,
                representative_dob,
            )| Applicant {
                corporate_number,
                corporation_name,
                representative_name,
                representative_address,
                representative_dob,
            },
        );
    let facility = (
        (
            provider(),
            maybe(municipality()),
            prop::sample::select(vec!["43", "78", "A6", "32"]),
        ),
        (
            text(1),
            opt_text(),
            maybe("[0-9]{3}-[0-9]{4}".prop_map(String::from)),
            text(1),
        ),
        (
            maybe("0[3-4]-[0-9]{4}-[0-9]{4}".prop_map(String::from)),
            maybe("0[3-4]-[0-9]{4}-[0-9]{4}".prop_map(String::from)),
            maybe("[a-z]{1,8}@example\\.jp".prop_map(String::from)),
            opt_text(),
        ),
    )
        .prop_map(
            |(
                (provider_number, municipality_code, service_code),
                (name, name_kana, postal_code, address),
                (phone, fax, email, manager_name),
            )| ApplicationFacility {
                provider_number,
                municipality_code,
                service_code: service_code.into(),
                name,
                name_kana,
                postal_code,
                address,
                phone,
                fax,
                email,
                manager_name,
            },
        );
    let staff = (
        text(1),
        opt_text(),
        opt_text(),
        opt_text(),
        prop::option::of(date()),
        opt_text(),
        maybe("[0-9]{8}".prop_map(String::from)),
    )
        .prop_map(
            |(name, name_kana, job_title, address, dob, qualification, care_manager_number)| {
                ApplicationStaff {
                    name,
                    name_kana,
                    job_title,
                    address,
                    dob,
                    qualification,
                    care_manager_number,
                }
            },
        );
    let council = (text(1), opt_text(), opt_text()).prop_map(|(name, affiliation, title)| {
        ApplicationCouncilMember {
            name,
            affiliation,
            title,
        }
    });
    let attachment = (
        prop_oneof![
            text(1),
            Just("../../etc/passwd".to_string()),
            Just("a\\b:c.pdf".to_string())
        ],
        prop::option::of(0u64..u64::MAX),
        maybe("[0-9a-f]{64}".prop_map(String::from)),
    )
        .prop_map(|(file_name, size, sha256)| Attachment {
            safe_name: sanitize_file_name(&file_name),
            file_name,
            size,
            sha256,
        });
    (
        "[A-Z]{2}-[0-9]{1,8}",
        prop::sample::select(ApplicationKind::ALL.to_vec()),
        date(),
        applicant,
        facility,
        prop::collection::vec(staff, 0..3),
        prop::collection::vec(council, 0..3),
        prop::collection::vec(attachment, 0..3),
    )
        .prop_map(
            |(id, kind, submitted_on, applicant, facility, staff, council_members, attachments)| {
                IncomingApplication {
                    application_id: id,
                    kind,
                    submitted_on,
                    applicant,
                    facility,
                    staff,
                    council_members,
                    attachments,
                }
            },
        )
}

fn unique_ids(mut apps: Vec<IncomingApplication>) -> Vec<IncomingApplication> {
    for (i, a) in apps.iter_mut().enumerate() {
        a.application_id = format!("{}-{i}", a.application_id);
    }
    apps
}

fn consent_request() -> impl Strategy<Value = ConsentRequest> {
    (
        (
            "[A-Z]{2}-[0-9]{1,8}",
            municipality(),
            municipality(),
            date(),
            prop::option::of(date()),
            any::<bool>(),
        ),
        (
            provider(),
            text(1),
            prop::sample::select(vec!["32", "73", "77"]),
        ),
        (
            text(1),
            opt_text(),
            prop::sample::select(vec!["", "男", "女"]),
            prop::sample::select(vec!["", "01", "12", "25"]),
            "[0-9]{10}",
            maybe("[0-9]{6}".prop_map(String::from)),
        ),
        (
            prop::option::of(date()),
            opt_text(),
            prop::option::of(date()),
            prop::option::of(date()),
            prop::option::of(date()),
            prop_oneof![
                Just(String::new()),
                text(1),
                Just("一行目\n二行目".to_string())
            ],
        ),
    )
        .prop_map(
            |(
                (request_id, from_municipality, to_municipality, requested_on, reply_by, renewal),
                (provider_number, facility_name, service_code),
                (insured_name, insured_name_kana, sex, care_level, insured_number, insurer_number),
                (dob, address, certification_from, certification_to, service_start_on, reason),
            )| ConsentRequest {
                request_id,
                from_municipality,
                to_municipality,
                requested_on,
                reply_by,
                renewal,
                provider_number,
                facility_name,
                service_code: service_code.into(),
                insured_name,
                insured_name_kana,
                sex: sex.into(),
                care_level: care_level.into(),
                insured_number,
                insurer_number,
                dob,
                address,
                certification_from,
                certification_to,
                service_start_on,
                reason,
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic_the_readers(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        let _ = eapp::read(&bytes[..], EncodingChoice::Auto);
        let _ = eapp::read(&bytes[..], EncodingChoice::Cp932);
        let _ = consent_exchange::read(&bytes[..], EncodingChoice::Auto);
    }

    /// Bytes after a valid header and version reach the row checks, not just the decoder.
    #[test]
    fn arbitrary_rows_never_panic(tail in prop::collection::vec(any::<u8>(), 0..600), json_tail in "\\PC{0,200}") {
        let mut bytes = eapp::csv_header().join(",").into_bytes();
        bytes.extend(b"\n1.0,application,");
        bytes.extend(&tail);
        let _ = eapp::read(&bytes[..], EncodingChoice::Auto);
        let doc = format!("{{\"format_version\":\"1.0\",\"document\":\"consent_request\",\"requests\":[{{\"request_id\":{json_tail}");
        let _ = consent_exchange::read(doc.as_bytes(), EncodingChoice::Auto);
        let doc = format!("{{\"format_version\":\"1\",\"applications\":[{{\"kind\":\"{json_tail}\",\"staff\":[{json_tail}]}}]}}");
        let _ = eapp::read(doc.as_bytes(), EncodingChoice::Auto);
    }

    #[test]
    fn eapp_csv_and_json_round_trip(apps in prop::collection::vec(application(), 0..4)) {
        let apps = unique_ids(apps);
        let mut csv = Vec::new();
        eapp::write_csv(&mut csv, &apps).unwrap();
        let o = eapp::read(&csv[..], EncodingChoice::Auto).unwrap();
        prop_assert!(o.errors.is_empty(), "{:?}", o.errors);
        prop_assert_eq!(&o.records, &apps);
        let mut json = Vec::new();
        eapp::write_json(&mut json, &apps).unwrap();
        let o = eapp::read(&json[..], EncodingChoice::Auto).unwrap();
        prop_assert!(o.errors.is_empty(), "{:?}", o.errors);
        prop_assert_eq!(&o.records, &apps);
    }

    #[test]
    fn consent_files_round_trip(requests in prop::collection::vec(consent_request(), 0..4), refused in any::<bool>(), day in date()) {
        let requests: Vec<ConsentRequest> = requests.into_iter().enumerate().map(|(i, mut r)| { r.request_id = format!("{}-{i}", r.request_id); r }).collect();
        let mut out = Vec::new();
        consent_exchange::write_requests(&mut out, &requests).unwrap();
        match consent_exchange::read(&out[..], EncodingChoice::Auto).unwrap() {
            ConsentFile::Requests(o) => {
                prop_assert!(o.errors.is_empty(), "{:?}", o.errors);
                prop_assert_eq!(&o.records, &requests);
            }
            ConsentFile::Replies(_) => prop_assert!(false, "a request file read as replies"),
        }
        let replies: Vec<ConsentReply> = requests.iter().map(|r| ConsentReply {
            request_id: r.request_id.clone(),
            from_municipality: r.to_municipality.clone(),
            to_municipality: r.from_municipality.clone(),
            replied_on: day,
            decision: if refused { ConsentDecision::Refused } else { ConsentDecision::Consented },
            reason: if refused { "定員超過のため".into() } else { String::new() },
        }).collect();
        let mut out = Vec::new();
        consent_exchange::write_replies(&mut out, &replies).unwrap();
        match consent_exchange::read(&out[..], EncodingChoice::Auto).unwrap() {
            ConsentFile::Replies(o) => {
                prop_assert!(o.errors.is_empty(), "{:?}", o.errors);
                prop_assert_eq!(&o.records, &replies);
            }
            ConsentFile::Requests(_) => prop_assert!(false, "a reply file read as requests"),
        }
    }
}
