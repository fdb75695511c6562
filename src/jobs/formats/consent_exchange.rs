//! 区外指定の同意依頼 and 同意 (reply) files.
//!
//! The ward's paper routes 同意依頼 / 同意 between municipalities through the national
//! e-application system; that system publishes no format, so these JSON files are
//! daicho's own (version [`FORMAT_VERSION`], documented in `docs/formats.md`), written
//! to and read from the spool folder that the e-application route uses. [`read`] and the
//! two writers are the adapter to replace when a real format exists.
//!
//! A request carries the facility, the service and the insured person (the partner
//! needs them to decide); a reply carries only the decision. Neither has a field for
//! staff or 運営推進会議構成員.

use super::fields::{Check, Entry, json_syntax, unknown_warnings};
use super::input::{
    EncodingChoice, FileError, MAX_NOTE_CHARS, Problem, ReadOutcome, RowError, check_version,
    read_text,
};
use crate::domain::exchange::ConsentDecision;
use crate::domain::{ids, model::is_care_level_code};
use chrono::NaiveDate;
use serde_json::{Map, Value, json};
use std::collections::BTreeSet;
use std::io::{self, Read, Write};

pub const FORMAT_VERSION: &str = "1.0";
pub const MAJOR: u32 = 1;
pub const REQUEST_DOCUMENT: &str = "consent_request";
pub const REPLY_DOCUMENT: &str = "consent_reply";

/// 同意依頼: "our resident wants your facility" (or theirs, when read).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsentRequest {
    pub request_id: String,
    /// 地方公共団体コード of the asking municipality.
    pub from_municipality: String,
    pub to_municipality: String,
    pub requested_on: NaiveDate,
    pub reply_by: Option<NaiveDate>,
    /// A renewal of a designation needs consent again.
    pub renewal: bool,
    pub provider_number: String,
    pub facility_name: String,
    pub service_code: String,
    pub insured_name: String,
    pub insured_name_kana: String,
    /// `男` or `女`.
    pub sex: String,
    /// 要介護状態区分 code (`21` = 要介護1).
    pub care_level: String,
    /// 被保険者番号 (10 digits).
    pub insured_number: String,
    /// 保険者番号 (6 digits).
    pub insurer_number: String,
    pub dob: Option<NaiveDate>,
    pub address: String,
    pub certification_from: Option<NaiveDate>,
    pub certification_to: Option<NaiveDate>,
    pub service_start_on: Option<NaiveDate>,
    /// Why this facility (free text, may have line breaks).
    pub reason: String,
}

/// 同意 / 不同意: the answer to one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsentReply {
    pub request_id: String,
    pub from_municipality: String,
    pub to_municipality: String,
    pub replied_on: NaiveDate,
    pub decision: ConsentDecision,
    /// Required for a refusal.
    pub reason: String,
}

const REQUEST_FIELDS: [&str; 21] = [
    "request_id",
    "from_municipality",
    "to_municipality",
    "requested_on",
    "reply_by",
    "renewal",
    "provider_number",
    "facility_name",
    "service_code",
    "insured_name",
    "insured_name_kana",
    "sex",
    "care_level",
    "insured_number",
    "insurer_number",
    "dob",
    "address",
    "certification_from",
    "certification_to",
    "service_start_on",
    "reason",
];

const REPLY_FIELDS: [&str; 6] = [
    "request_id",
    "from_municipality",
    "to_municipality",
    "replied_on",
    "decision",
    "reason",
];

/// A consent file as read: requests or replies, by its `document` member.
#[derive(Debug, Clone)]
pub enum ConsentFile {
    Requests(ReadOutcome<ConsentRequest>),
    Replies(ReadOutcome<ConsentReply>),
}

fn parse_sex(v: &str) -> Option<&'static str> {
    match v {
        "男" | "1" => Some("男"),
        "女" | "2" => Some("女"),
        _ => None,
    }
}

fn parse_bool(v: &str) -> Option<bool> {
    match v {
        "true" | "1" => Some(true),
        "false" | "0" => Some(false),
        _ => None,
    }
}

fn request(c: &mut Check<'_>) -> Option<ConsentRequest> {
    let request_id = c.external_id("request_id");
    let from_municipality = c.id("from_municipality", true, ids::validate_municipality_code);
    let to_municipality = c.id("to_municipality", true, ids::validate_municipality_code);
    let requested_on = c.date("requested_on", true);
    let reply_by = c.date("reply_by", false);
    let renewal = c
        .choice("renewal", false, parse_bool, "true, false")
        .unwrap_or(false);
    let provider_number = c.id("provider_number", true, ids::validate_provider_number);
    let facility_name = c.text("facility_name", true);
    let service_code = c.service_code("service_code", true);
    let insured_name = c.text("insured_name", true);
    let insured_name_kana = c.text("insured_name_kana", false);
    let sex = c
        .choice("sex", false, parse_sex, "男, 女")
        .unwrap_or_default();
    let care_level = c
        .choice(
            "care_level",
            false,
            |v| is_care_level_code(v).then(|| v.to_owned()),
            "01, 06, 12, 13, 21–25",
        )
        .unwrap_or_default();
    let insured_number = c.digits("insured_number", true, 10);
    let insurer_number = c.digits("insurer_number", false, 6);
    let dob = c.date("dob", false);
    let address = c.text("address", false);
    let certification_from = c.date("certification_from", false);
    let certification_to = c.date("certification_to", false);
    let service_start_on = c.date("service_start_on", false);
    let reason = c.text_max("reason", false, MAX_NOTE_CHARS, true);
    Some(ConsentRequest {
        request_id,
        from_municipality,
        to_municipality,
        requested_on: requested_on?,
        reply_by,
        renewal,
        provider_number,
        facility_name,
        service_code,
        insured_name,
        insured_name_kana,
        sex: sex.to_owned(),
        care_level,
        insured_number,
        insurer_number,
        dob,
        address,
        certification_from,
        certification_to,
        service_start_on,
        reason,
    })
}

fn reply(c: &mut Check<'_>) -> Option<ConsentReply> {
    let request_id = c.external_id("request_id");
    let from_municipality = c.id("from_municipality", true, ids::validate_municipality_code);
    let to_municipality = c.id("to_municipality", true, ids::validate_municipality_code);
    let replied_on = c.date("replied_on", true);
    let decision = c.choice(
        "decision",
        true,
        ConsentDecision::from_code,
        "consented, refused",
    );
    let reason = c.text_max("reason", false, MAX_NOTE_CHARS, true);
    if decision == Some(ConsentDecision::Refused) && reason.is_empty() {
        c.fail("reason", Problem::Required);
    }
    Some(ConsentReply {
        request_id,
        from_municipality,
        to_municipality,
        replied_on: replied_on?,
        decision: decision?,
        reason,
    })
}

/// Reads a request or reply file (the `document` member says which).
pub fn read(r: impl Read, encoding: EncodingChoice) -> Result<ConsentFile, FileError> {
    let decoded = read_text(r, encoding)?;
    let root: Value = serde_json::from_str(&decoded.text).map_err(|e| json_syntax(&e))?;
    let structure = |detail: &str| FileError::Syntax {
        line: 1,
        detail: detail.to_owned(),
    };
    let root = root
        .as_object()
        .ok_or_else(|| structure("the top level must be an object"))?;
    let version = match root.get("format_version") {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => return Err(FileError::MissingVersion),
    };
    check_version(&version, MAJOR)?;
    let document = root.get("document").and_then(Value::as_str).unwrap_or("");
    let (list_key, known): (&str, &[&str]) = match document {
        REQUEST_DOCUMENT => ("requests", &REQUEST_FIELDS),
        REPLY_DOCUMENT => ("replies", &REPLY_FIELDS),
        other => {
            return Err(FileError::WrongDocument {
                expected: "consent_request / consent_reply",
                found: other.chars().take(40).collect(),
            });
        }
    };
    let list = root
        .get(list_key)
        .and_then(Value::as_array)
        .ok_or_else(|| structure(&format!("\"{list_key}\" must be a list")))?;
    let mut unknown: BTreeSet<String> = root
        .keys()
        .filter(|k| !matches!(k.as_str(), "format_version" | "document") && *k != list_key)
        .cloned()
        .collect();
    let mut errors = Vec::new();
    let mut requests = Vec::new();
    let mut replies = Vec::new();
    let mut seen = BTreeSet::new();
    for (i, item) in list.iter().enumerate() {
        let row = i + 1;
        let Some(obj) = item.as_object() else {
            errors.push(RowError::new(
                row,
                format!("{list_key}[{row}]"),
                Problem::invalid("オブジェクトでなければなりません", "must be an object"),
            ));
            continue;
        };
        let before = errors.len();
        let entry = Entry::from_json(
            row,
            format!("{list_key}[{row}]."),
            obj,
            known,
            &[],
            &mut errors,
            &mut unknown,
        );
        let mut c = Check::new(&entry);
        let id = entry.raw("request_id").trim().to_owned();
        if !id.is_empty() && !seen.insert(id.clone()) {
            c.fail("request_id", Problem::Duplicate(id));
        }
        if document == REQUEST_DOCUMENT {
            let r = request(&mut c);
            errors.append(&mut c.errors);
            if let Some(r) = r.filter(|_| errors.len() == before) {
                requests.push(r);
            }
        } else {
            let r = reply(&mut c);
            errors.append(&mut c.errors);
            if let Some(r) = r.filter(|_| errors.len() == before) {
                replies.push(r);
            }
        }
    }
    let warnings = unknown_warnings(unknown);
    Ok(if document == REQUEST_DOCUMENT {
        ConsentFile::Requests(ReadOutcome {
            encoding: decoded.encoding,
            records: requests,
            errors,
            warnings,
        })
    } else {
        ConsentFile::Replies(ReadOutcome {
            encoding: decoded.encoding,
            records: replies,
            errors,
            warnings,
        })
    })
}

fn iso(d: Option<NaiveDate>) -> Value {
    Value::String(
        d.map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_default(),
    )
}

fn s(v: &str) -> Value {
    Value::String(v.to_owned())
}

fn write_doc(mut out: impl Write, document: &str, key: &str, list: Vec<Value>) -> io::Result<()> {
    let doc = json!({ "format_version": FORMAT_VERSION, "document": document, key: list });
    serde_json::to_writer_pretty(&mut out, &doc)?;
    out.write_all(b"\n")
}

/// Writes outgoing 同意依頼 (UTF-8 JSON).
pub fn write_requests(out: impl Write, requests: &[ConsentRequest]) -> io::Result<()> {
    let list = requests
        .iter()
        .map(|r| {
            let m: Map<String, Value> = [
                ("request_id", s(&r.request_id)),
                ("from_municipality", s(&r.from_municipality)),
                ("to_municipality", s(&r.to_municipality)),
                ("requested_on", iso(Some(r.requested_on))),
                ("reply_by", iso(r.reply_by)),
                ("renewal", Value::Bool(r.renewal)),
                ("provider_number", s(&r.provider_number)),
                ("facility_name", s(&r.facility_name)),
                ("service_code", s(&r.service_code)),
                ("insured_name", s(&r.insured_name)),
                ("insured_name_kana", s(&r.insured_name_kana)),
                ("sex", s(&r.sex)),
                ("care_level", s(&r.care_level)),
                ("insured_number", s(&r.insured_number)),
                ("insurer_number", s(&r.insurer_number)),
                ("dob", iso(r.dob)),
                ("address", s(&r.address)),
                ("certification_from", iso(r.certification_from)),
                ("certification_to", iso(r.certification_to)),
                ("service_start_on", iso(r.service_start_on)),
                ("reason", s(&r.reason)),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect();
            Value::Object(m)
        })
        .collect();
    write_doc(out, REQUEST_DOCUMENT, "requests", list)
}

/// Writes outgoing 同意 / 不同意 replies (UTF-8 JSON).
pub fn write_replies(out: impl Write, replies: &[ConsentReply]) -> io::Result<()> {
    let list = replies
        .iter()
        .map(|r| {
            json!({
                "request_id": r.request_id,
                "from_municipality": r.from_municipality,
                "to_municipality": r.to_municipality,
                "replied_on": iso(Some(r.replied_on)),
                "decision": r.decision.code(),
                "reason": r.reason,
            })
        })
        .collect();
    write_doc(out, REPLY_DOCUMENT, "replies", list)
}
