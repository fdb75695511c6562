//! The e-application system export (電子申請・届出システム), CSV and JSON.
//!
//! The system publishes no export format, so this is daicho's own (documented in
//! `docs/formats.md`, version [`FORMAT_VERSION`]); it sits behind [`read`] and the two
//! writers, which are the only things to replace when the real format is known.

use super::fields::{Check, Entry, json_syntax, unknown_warnings};
use super::input::{
    CsvTable, EncodingChoice, FileError, Problem, ReadOutcome, RowError, check_version, read_text,
    sanitize_file_name,
};
use crate::domain::application::ApplicationKind;
use crate::domain::exchange::{
    Applicant, ApplicationCouncilMember, ApplicationFacility, ApplicationStaff, Attachment,
    IncomingApplication,
};
use crate::domain::ids;
use std::collections::BTreeSet;
use std::io::{self, Read, Write};

pub const FORMAT_VERSION: &str = "1.0";
pub const MAJOR: u32 = 1;

const COMMON: [&str; 3] = ["format_version", "record", "application_id"];
const APPLICATION: [&str; 18] = [
    "kind",
    "submitted_on",
    "corporate_number",
    "corporation_name",
    "representative_name",
    "representative_address",
    "representative_dob",
    "provider_number",
    "municipality_code",
    "service_code",
    "facility_name",
    "facility_name_kana",
    "postal_code",
    "facility_address",
    "phone",
    "fax",
    "email",
    "manager_name",
];
const STAFF: [&str; 7] = [
    "name",
    "name_kana",
    "job_title",
    "address",
    "dob",
    "qualification",
    "care_manager_number",
];
const COUNCIL: [&str; 3] = ["name", "affiliation", "title"];
const ATTACHMENT: [&str; 3] = ["file_name", "file_size", "sha256"];

/// The CSV header, in order (the record types share the person columns).
pub fn csv_header() -> Vec<&'static str> {
    let mut h: Vec<&str> = COMMON.into();
    h.extend(APPLICATION);
    h.extend(STAFF);
    h.extend(["affiliation", "title"]);
    h.extend(ATTACHMENT);
    h
}

fn parse_kind(v: &str) -> Option<ApplicationKind> {
    ApplicationKind::from_code(v)
        .or_else(|| ApplicationKind::ALL.into_iter().find(|k| k.label_ja() == v))
}

fn application_head(
    c: &mut Check<'_>,
) -> Option<(
    ApplicationKind,
    chrono::NaiveDate,
    Applicant,
    ApplicationFacility,
)> {
    let kind = c.choice(
        "kind",
        true,
        parse_kind,
        "new, renewal, change, addition, closure, resumption, withdrawal",
    );
    let submitted_on = c.date("submitted_on", true);
    let applicant = Applicant {
        corporate_number: c.id("corporate_number", false, ids::validate_corporate_number),
        corporation_name: c.text("corporation_name", true),
        representative_name: c.text("representative_name", true),
        representative_address: c.text("representative_address", false),
        representative_dob: c.date("representative_dob", false),
    };
    // A new designation has no 事業所番号 yet; every other kind names one.
    let needs_number = kind.is_some_and(|k| k != ApplicationKind::NewDesignation);
    let facility = ApplicationFacility {
        provider_number: c.id(
            "provider_number",
            needs_number,
            ids::validate_provider_number,
        ),
        municipality_code: c.id("municipality_code", false, ids::validate_municipality_code),
        service_code: c.service_code("service_code", true),
        name: c.text("facility_name", true),
        name_kana: c.text("facility_name_kana", false),
        postal_code: c.postal_code("postal_code"),
        address: c.text("facility_address", true),
        phone: c.phone("phone", false),
        fax: c.phone("fax", false),
        email: c.email("email"),
        manager_name: c.text("manager_name", false),
    };
    Some((kind?, submitted_on?, applicant, facility))
}

fn staff(c: &mut Check<'_>) -> ApplicationStaff {
    ApplicationStaff {
        name: c.text("name", true),
        name_kana: c.text("name_kana", false),
        job_title: c.text("job_title", false),
        address: c.text("address", false),
        dob: c.date("dob", false),
        qualification: c.text("qualification", false),
        care_manager_number: c.digits("care_manager_number", false, 8),
    }
}

fn council(c: &mut Check<'_>) -> ApplicationCouncilMember {
    ApplicationCouncilMember {
        name: c.text("name", true),
        affiliation: c.text("affiliation", false),
        title: c.text("title", false),
    }
}

fn attachment(c: &mut Check<'_>) -> Attachment {
    let file_name = c.text("file_name", true);
    Attachment {
        safe_name: sanitize_file_name(&file_name),
        file_name,
        size: c.number("file_size"),
        sha256: c.sha256("sha256"),
    }
}

/// Reads an export, CSV or JSON (a file whose text starts with `{` is JSON).
pub fn read(
    r: impl Read,
    encoding: EncodingChoice,
) -> Result<ReadOutcome<IncomingApplication>, FileError> {
    let decoded = read_text(r, encoding)?;
    let (records, errors, warnings) = if decoded.text.trim_start().starts_with('{') {
        read_json(&decoded.text)?
    } else {
        read_csv(&decoded.text)?
    };
    Ok(ReadOutcome {
        encoding: decoded.encoding,
        records,
        errors,
        warnings,
    })
}

type Parsed = (
    Vec<IncomingApplication>,
    Vec<RowError>,
    Vec<super::input::Warning>,
);

/// One application being assembled from CSV rows.
#[derive(Default)]
struct Group {
    head: Option<(usize, IncomingApplication)>,
    rows: Vec<usize>,
    failed: bool,
    staff: Vec<ApplicationStaff>,
    council: Vec<ApplicationCouncilMember>,
    attachments: Vec<Attachment>,
}

fn group_of<'g>(
    groups: &'g mut std::collections::HashMap<String, Group>,
    order: &mut Vec<String>,
    id: &str,
) -> &'g mut Group {
    if !groups.contains_key(id) {
        order.push(id.to_owned());
    }
    groups.entry(id.to_owned()).or_default()
}

fn read_csv(text: &str) -> Result<Parsed, FileError> {
    let table = CsvTable::parse(text)?;
    let header = csv_header();
    let (cols, warnings) = table.columns(&header, &COMMON)?;
    let version_at = cols["format_version"];
    let id_at = cols["application_id"];
    if let Some(first) = table.rows.first() {
        check_version(
            first.cells.get(version_at).map_or("", String::as_str),
            MAJOR,
        )?;
    }
    let mut errors = Vec::new();
    let mut order: Vec<String> = Vec::new();
    let mut groups: std::collections::HashMap<String, Group> = Default::default();
    let last = table.rows.len().saturating_sub(1);
    for (i, row) in table.rows.iter().enumerate() {
        let id = row.cells.get(id_at).map(|s| s.trim().to_owned());
        let whole_row_problem = if table.truncated && i == last {
            Some(Problem::Truncated)
        } else if row.cells.len() != table.headers.len() {
            Some(Problem::FieldCount {
                expected: table.headers.len(),
                found: row.cells.len(),
            })
        } else {
            None
        };
        if let Some(problem) = whole_row_problem {
            errors.push(RowError::new(row.line, "", problem));
            if let Some(id) = id.filter(|id| !id.is_empty()) {
                let g = group_of(&mut groups, &mut order, &id);
                g.failed = true;
                g.rows.push(row.line);
            }
            continue;
        }
        let entry = Entry {
            row: row.line,
            prefix: String::new(),
            values: cols
                .iter()
                .map(|(name, &at)| (name.clone(), row.cells[at].clone()))
                .collect(),
        };
        let mut c = Check::new(&entry);
        let version = entry.raw("format_version").trim();
        if check_version(version, MAJOR).is_err() {
            c.fail(
                "format_version",
                Problem::VersionMismatch {
                    found: version.chars().take(20).collect(),
                },
            );
        }
        let id = c.external_id("application_id");
        let record = entry.raw("record").trim().to_owned();
        let g_key = if id.is_empty() {
            None
        } else {
            Some(id.clone())
        };
        match record.as_str() {
            "application" => {
                let head = application_head(&mut c);
                let Some(key) = g_key else {
                    errors.append(&mut c.errors);
                    continue;
                };
                let g = group_of(&mut groups, &mut order, &key);
                g.rows.push(row.line);
                if g.head.is_some() {
                    c.fail("application_id", Problem::Duplicate(key.clone()));
                }
                match head {
                    Some((kind, submitted_on, applicant, facility)) if c.ok() => {
                        g.head = Some((
                            row.line,
                            IncomingApplication {
                                application_id: key,
                                kind,
                                submitted_on,
                                applicant,
                                facility,
                                staff: Vec::new(),
                                council_members: Vec::new(),
                                attachments: Vec::new(),
                            },
                        ));
                    }
                    _ => g.failed = true,
                }
            }
            "staff" | "council_member" | "attachment" => {
                let Some(key) = g_key else {
                    errors.append(&mut c.errors);
                    continue;
                };
                let g = group_of(&mut groups, &mut order, &key);
                g.rows.push(row.line);
                match record.as_str() {
                    "staff" => g.staff.push(staff(&mut c)),
                    "council_member" => g.council.push(council(&mut c)),
                    _ => g.attachments.push(attachment(&mut c)),
                }
                if !c.ok() {
                    g.failed = true;
                }
            }
            other => {
                c.fail(
                    "record",
                    Problem::UnknownRecord(other.chars().take(40).collect()),
                );
                if let Some(key) = g_key {
                    let g = group_of(&mut groups, &mut order, &key);
                    g.rows.push(row.line);
                    g.failed = true;
                }
            }
        }
        errors.append(&mut c.errors);
    }
    let mut records = Vec::new();
    for id in order {
        let Some(g) = groups.remove(&id) else {
            continue;
        };
        match g.head {
            None => {
                for line in g.rows {
                    if !errors.iter().any(|e| e.row == line) {
                        errors.push(RowError::new(
                            line,
                            "application_id",
                            Problem::Orphan(id.clone()),
                        ));
                    }
                }
            }
            Some(_) if g.failed => {
                for line in g.rows {
                    if !errors.iter().any(|e| e.row == line) {
                        errors.push(RowError::new(
                            line,
                            "application_id",
                            Problem::HeldBack(id.clone()),
                        ));
                    }
                }
            }
            Some((_, mut app)) => {
                app.staff = g.staff;
                app.council_members = g.council;
                app.attachments = g.attachments;
                records.push(app);
            }
        }
    }
    errors.sort_by_key(|e| e.row);
    Ok((records, errors, warnings))
}

fn read_json(text: &str) -> Result<Parsed, FileError> {
    let root: serde_json::Value = serde_json::from_str(text).map_err(|e| json_syntax(&e))?;
    let structure = |detail: &str| FileError::Syntax {
        line: 1,
        detail: detail.to_owned(),
    };
    let root = root
        .as_object()
        .ok_or_else(|| structure("the top level must be an object"))?;
    let version = match root.get("format_version") {
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(serde_json::Value::Number(n)) => n.to_string(),
        _ => return Err(FileError::MissingVersion),
    };
    check_version(&version, MAJOR)?;
    let list = root
        .get("applications")
        .and_then(|v| v.as_array())
        .ok_or_else(|| structure("\"applications\" must be a list"))?;
    let mut unknown = BTreeSet::new();
    for k in root.keys() {
        if !matches!(k.as_str(), "format_version" | "applications") {
            unknown.insert(k.clone());
        }
    }
    let mut errors = Vec::new();
    let mut records = Vec::new();
    let mut seen = BTreeSet::new();
    let mut known_app: Vec<&str> = vec!["application_id"];
    known_app.extend(APPLICATION);
    let nested = ["staff", "council_members", "attachments"];
    for (i, item) in list.iter().enumerate() {
        let row = i + 1;
        let prefix = format!("applications[{row}].");
        let Some(obj) = item.as_object() else {
            errors.push(RowError::new(
                row,
                format!("applications[{row}]"),
                Problem::invalid("オブジェクトでなければなりません", "must be an object"),
            ));
            continue;
        };
        let before = errors.len();
        let entry = Entry::from_json(
            row,
            prefix.clone(),
            obj,
            &known_app,
            &nested,
            &mut errors,
            &mut unknown,
        );
        let mut c = Check::new(&entry);
        let id = c.external_id("application_id");
        if !id.is_empty() && !seen.insert(id.clone()) {
            c.fail("application_id", Problem::Duplicate(id.clone()));
        }
        let head = application_head(&mut c);
        errors.append(&mut c.errors);
        let mut children = |key: &str, known: &[&str]| -> Vec<Entry> {
            let mut out = Vec::new();
            match obj.get(key) {
                None | Some(serde_json::Value::Null) => {}
                Some(serde_json::Value::Array(items)) => {
                    for (j, item) in items.iter().enumerate() {
                        let path = format!("{prefix}{key}[{}]", j + 1);
                        match item.as_object() {
                            Some(o) => out.push(Entry::from_json(
                                row,
                                format!("{path}."),
                                o,
                                known,
                                &[],
                                &mut errors,
                                &mut unknown,
                            )),
                            None => errors.push(RowError::new(
                                row,
                                path,
                                Problem::invalid(
                                    "オブジェクトでなければなりません",
                                    "must be an object",
                                ),
                            )),
                        }
                    }
                }
                Some(_) => errors.push(RowError::new(
                    row,
                    format!("{prefix}{key}"),
                    Problem::invalid("リストでなければなりません", "must be a list"),
                )),
            }
            out
        };
        let staff_entries = children("staff", &STAFF);
        let council_entries = children("council_members", &COUNCIL);
        let attachment_entries = children("attachments", &ATTACHMENT);
        let mut staff_list = Vec::new();
        for e in &staff_entries {
            let mut c = Check::new(e);
            staff_list.push(staff(&mut c));
            errors.append(&mut c.errors);
        }
        let mut council_list = Vec::new();
        for e in &council_entries {
            let mut c = Check::new(e);
            council_list.push(council(&mut c));
            errors.append(&mut c.errors);
        }
        let mut attachment_list = Vec::new();
        for e in &attachment_entries {
            let mut c = Check::new(e);
            attachment_list.push(attachment(&mut c));
            errors.append(&mut c.errors);
        }
        if errors.len() > before {
            continue;
        }
        if let Some((kind, submitted_on, applicant, facility)) = head {
            records.push(IncomingApplication {
                application_id: id,
                kind,
                submitted_on,
                applicant,
                facility,
                staff: staff_list,
                council_members: council_list,
                attachments: attachment_list,
            });
        }
    }
    Ok((records, errors, unknown_warnings(unknown)))
}

fn date_text(d: Option<chrono::NaiveDate>) -> String {
    d.map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

/// Writes applications as the CSV export (UTF-8, CRLF, header row).
pub fn write_csv(out: impl Write, apps: &[IncomingApplication]) -> io::Result<()> {
    let header = csv_header();
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(out);
    w.write_record(&header)?;
    let mut put = |record: &str, id: &str, values: &[(&str, String)]| -> io::Result<()> {
        let cells: Vec<&str> = header
            .iter()
            .map(|h| match *h {
                "format_version" => FORMAT_VERSION,
                "record" => record,
                "application_id" => id,
                h => values
                    .iter()
                    .find(|(k, _)| *k == h)
                    .map_or("", |(_, v)| v.as_str()),
            })
            .collect();
        w.write_record(cells)?;
        Ok(())
    };
    for a in apps {
        let (p, f) = (&a.applicant, &a.facility);
        put(
            "application",
            &a.application_id,
            &[
                ("kind", a.kind.code().into()),
                ("submitted_on", date_text(Some(a.submitted_on))),
                ("corporate_number", p.corporate_number.clone()),
                ("corporation_name", p.corporation_name.clone()),
                ("representative_name", p.representative_name.clone()),
                ("representative_address", p.representative_address.clone()),
                ("representative_dob", date_text(p.representative_dob)),
                ("provider_number", f.provider_number.clone()),
                ("municipality_code", f.municipality_code.clone()),
                ("service_code", f.service_code.clone()),
                ("facility_name", f.name.clone()),
                ("facility_name_kana", f.name_kana.clone()),
                ("postal_code", f.postal_code.clone()),
                ("facility_address", f.address.clone()),
                ("phone", f.phone.clone()),
                ("fax", f.fax.clone()),
                ("email", f.email.clone()),
                ("manager_name", f.manager_name.clone()),
            ],
        )?;
        for s in &a.staff {
            put("staff", &a.application_id, &staff_values(s))?;
        }
        for m in &a.council_members {
            put(
                "council_member",
                &a.application_id,
                &[
                    ("name", m.name.clone()),
                    ("affiliation", m.affiliation.clone()),
                    ("title", m.title.clone()),
                ],
            )?;
        }
        for t in &a.attachments {
            put("attachment", &a.application_id, &attachment_values(t))?;
        }
    }
    w.flush()
}

fn staff_values(s: &ApplicationStaff) -> [(&'static str, String); 7] {
    [
        ("name", s.name.clone()),
        ("name_kana", s.name_kana.clone()),
        ("job_title", s.job_title.clone()),
        ("address", s.address.clone()),
        ("dob", date_text(s.dob)),
        ("qualification", s.qualification.clone()),
        ("care_manager_number", s.care_manager_number.clone()),
    ]
}

fn attachment_values(t: &Attachment) -> [(&'static str, String); 3] {
    [
        ("file_name", t.file_name.clone()),
        (
            "file_size",
            t.size.map(|n| n.to_string()).unwrap_or_default(),
        ),
        ("sha256", t.sha256.clone()),
    ]
}

/// Writes applications as the JSON export (UTF-8, pretty-printed).
pub fn write_json(mut out: impl Write, apps: &[IncomingApplication]) -> io::Result<()> {
    use serde_json::{Map, Value, json};
    let obj = |pairs: &[(&str, String)]| -> Value {
        Value::Object(
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), Value::String(v.clone())))
                .collect::<Map<_, _>>(),
        )
    };
    let list: Vec<Value> = apps
        .iter()
        .map(|a| {
            let (p, f) = (&a.applicant, &a.facility);
            let mut m = match obj(&[
                ("application_id", a.application_id.clone()),
                ("kind", a.kind.code().into()),
                ("submitted_on", date_text(Some(a.submitted_on))),
                ("corporate_number", p.corporate_number.clone()),
                ("corporation_name", p.corporation_name.clone()),
                ("representative_name", p.representative_name.clone()),
                ("representative_address", p.representative_address.clone()),
                ("representative_dob", date_text(p.representative_dob)),
                ("provider_number", f.provider_number.clone()),
                ("municipality_code", f.municipality_code.clone()),
                ("service_code", f.service_code.clone()),
                ("facility_name", f.name.clone()),
                ("facility_name_kana", f.name_kana.clone()),
                ("postal_code", f.postal_code.clone()),
                ("facility_address", f.address.clone()),
                ("phone", f.phone.clone()),
                ("fax", f.fax.clone()),
                ("email", f.email.clone()),
                ("manager_name", f.manager_name.clone()),
            ]) {
                Value::Object(m) => m,
                _ => Map::new(),
            };
            m.insert(
                "staff".into(),
                a.staff.iter().map(|s| obj(&staff_values(s))).collect(),
            );
            m.insert(
                "council_members".into(),
                a.council_members
                    .iter()
                    .map(|c| {
                        obj(&[
                            ("name", c.name.clone()),
                            ("affiliation", c.affiliation.clone()),
                            ("title", c.title.clone()),
                        ])
                    })
                    .collect(),
            );
            m.insert(
                "attachments".into(),
                a.attachments
                    .iter()
                    .map(|t| obj(&attachment_values(t)))
                    .collect(),
            );
            Value::Object(m)
        })
        .collect();
    let doc = json!({ "format_version": FORMAT_VERSION, "applications": list });
    serde_json::to_writer_pretty(&mut out, &doc)?;
    out.write_all(b"\n")
}
