//! One record from outside as named text values (a CSV row or a JSON object), and the
//! checks that turn its values into domain values while collecting every refused field.

use super::input::{MAX_TEXT_CHARS, Problem, RowError, Warning, clean_text};
use crate::domain::{ids::IdError, text::nfkc, validate, validate::FieldError};
use chrono::NaiveDate;
use std::collections::{BTreeSet, HashMap};

/// A record's values by column name. `prefix` goes before a column name in errors
/// (`applications[2].staff[1].` for JSON, empty for CSV).
#[derive(Debug, Default)]
pub struct Entry {
    pub row: usize,
    pub prefix: String,
    pub values: HashMap<String, String>,
}

impl Entry {
    pub fn raw(&self, column: &str) -> &str {
        self.values.get(column).map_or("", String::as_str)
    }

    /// A JSON object's scalar members as text; members that are lists or objects are
    /// left for the caller (`nested`), anything else non-scalar is an error.
    pub fn from_json(
        row: usize,
        prefix: String,
        obj: &serde_json::Map<String, serde_json::Value>,
        known: &[&str],
        nested: &[&str],
        errors: &mut Vec<RowError>,
        unknown: &mut BTreeSet<String>,
    ) -> Entry {
        let mut values = HashMap::new();
        for (k, v) in obj {
            if nested.contains(&k.as_str()) {
                continue;
            }
            if !known.contains(&k.as_str()) {
                unknown.insert(k.clone());
                continue;
            }
            let text = match v {
                serde_json::Value::Null => String::new(),
                serde_json::Value::String(s) => s.clone(),
                serde_json::Value::Number(n) => n.to_string(),
                serde_json::Value::Bool(b) => b.to_string(),
                _ => {
                    errors.push(RowError::new(
                        row,
                        format!("{prefix}{k}"),
                        Problem::invalid("文字列でなければなりません", "must be a text value"),
                    ));
                    continue;
                }
            };
            values.insert(k.clone(), text);
        }
        Entry {
            row,
            prefix,
            values,
        }
    }
}

/// Unknown JSON member names as warnings, once each.
pub fn unknown_warnings(unknown: BTreeSet<String>) -> Vec<Warning> {
    unknown.into_iter().map(Warning::UnknownColumn).collect()
}

fn from_field_error(e: FieldError) -> Problem {
    Problem::Invalid { ja: e.ja, en: e.en }
}

fn from_id_error(e: &IdError) -> Problem {
    let ja = match e {
        IdError::Length {
            what,
            expected,
            found,
        } => format!("{what}は{expected}桁です（{found}桁）"),
        IdError::BadChar {
            what,
            position,
            found,
        } => format!("{what}の{position}文字目「{found}」は使えません"),
        IdError::Prefecture { found } => {
            format!("事業所番号の都道府県番号 {found} は 01–47 ではありません")
        }
        IdError::CheckDigit {
            what,
            expected,
            found,
        } => format!("{what}の検査数字が合いません（{found}、正しくは {expected}）"),
    };
    Problem::invalid(ja, e.to_string())
}

/// Checks the values of one entry; every refused field is recorded, none stops the rest.
pub struct Check<'a> {
    pub entry: &'a Entry,
    pub errors: Vec<RowError>,
}

impl<'a> Check<'a> {
    pub fn new(entry: &'a Entry) -> Self {
        Self {
            entry,
            errors: Vec::new(),
        }
    }

    pub fn fail(&mut self, column: &str, problem: Problem) {
        self.errors.push(RowError::new(
            self.entry.row,
            format!("{}{column}", self.entry.prefix),
            problem,
        ));
    }

    pub fn ok(&self) -> bool {
        self.errors.is_empty()
    }

    /// Cleaned text within `max` characters; empty is refused when `required`.
    pub fn text_max(
        &mut self,
        column: &str,
        required: bool,
        max: usize,
        multiline: bool,
    ) -> String {
        match clean_text(self.entry.raw(column), max, multiline) {
            Ok(v) if v.is_empty() && required => {
                self.fail(column, Problem::Required);
                v
            }
            Ok(v) => v,
            Err(p) => {
                self.fail(column, p);
                String::new()
            }
        }
    }

    pub fn text(&mut self, column: &str, required: bool) -> String {
        self.text_max(column, required, MAX_TEXT_CHARS, false)
    }

    /// A value that must be non-empty, half-width and canonical (NFKC), then `rule`.
    fn coded(
        &mut self,
        column: &str,
        required: bool,
        rule: impl FnOnce(&str) -> Result<String, Problem>,
    ) -> String {
        let raw = match clean_text(self.entry.raw(column), 64, false) {
            Ok(v) => nfkc(&v),
            Err(p) => {
                self.fail(column, p);
                return String::new();
            }
        };
        if raw.is_empty() {
            if required {
                self.fail(column, Problem::Required);
            }
            return raw;
        }
        match rule(&raw) {
            Ok(v) => v,
            Err(p) => {
                self.fail(column, p);
                String::new()
            }
        }
    }

    pub fn id(
        &mut self,
        column: &str,
        required: bool,
        validator: fn(&str) -> Result<(), IdError>,
    ) -> String {
        self.coded(column, required, |v| {
            validator(v)
                .map(|_| v.to_owned())
                .map_err(|e| from_id_error(&e))
        })
    }

    pub fn date(&mut self, column: &str, required: bool) -> Option<NaiveDate> {
        let mut out = None;
        self.coded(column, required, |v| {
            let d = validate::date("date", v).map_err(from_field_error)?;
            out = Some(d);
            Ok(v.to_owned())
        });
        out
    }

    pub fn phone(&mut self, column: &str, required: bool) -> String {
        self.coded(column, required, |v| {
            // The label names the field in the message ("the fax number is …").
            let field = if column.contains("fax") {
                "fax"
            } else {
                "phone"
            };
            validate::phone(field, v).map_err(from_field_error)
        })
    }

    pub fn postal_code(&mut self, column: &str) -> String {
        self.coded(column, false, |v| {
            validate::postal_code("", v).map_err(from_field_error)
        })
    }

    pub fn email(&mut self, column: &str) -> String {
        self.coded(column, false, |v| {
            validate::email("", v)
                .map(|_| v.to_owned())
                .map_err(from_field_error)
        })
    }

    /// サービス種類コード: two characters, digits or upper-case letters (`78`, `A6`). The
    /// job checks it against the reference table.
    pub fn service_code(&mut self, column: &str, required: bool) -> String {
        self.coded(column, required, |v| {
            let ok = v.len() == 2
                && v.chars()
                    .all(|c| c.is_ascii_digit() || c.is_ascii_uppercase());
            if ok {
                Ok(v.to_owned())
            } else {
                Err(Problem::invalid(
                    "サービス種類コードは2桁です（例 78, A6）",
                    "a service-type code is 2 characters (e.g. 78, A6)",
                ))
            }
        })
    }

    /// An identifier from the other system: letters, digits, `-` and `_`, at most 40.
    pub fn external_id(&mut self, column: &str) -> String {
        self.coded(column, true, |v| {
            let ok = v.len() <= 40
                && v.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
            if ok {
                Ok(v.to_owned())
            } else {
                Err(Problem::invalid(
                    "英数字・ハイフン・下線で40文字以内にしてください",
                    "use at most 40 letters, digits, '-' or '_'",
                ))
            }
        })
    }

    /// Exactly `len` digits (被保険者番号 10, 保険者番号 6).
    pub fn digits(&mut self, column: &str, required: bool, len: usize) -> String {
        self.coded(column, required, |v| {
            if v.len() == len && v.chars().all(|c| c.is_ascii_digit()) {
                Ok(v.to_owned())
            } else {
                Err(Problem::invalid(
                    format!("{len}桁の数字にしてください"),
                    format!("must be {len} digits"),
                ))
            }
        })
    }

    pub fn number(&mut self, column: &str) -> Option<u64> {
        let mut out = None;
        self.coded(column, false, |v| {
            let n = v.parse::<u64>().map_err(|_| {
                Problem::invalid("0以上の整数にしてください", "must be a whole number ≥ 0")
            })?;
            out = Some(n);
            Ok(v.to_owned())
        });
        out
    }

    /// A value `parse` accepts; `expected` lists the accepted values for the message.
    pub fn choice<T>(
        &mut self,
        column: &str,
        required: bool,
        parse: impl FnOnce(&str) -> Option<T>,
        expected: &str,
    ) -> Option<T> {
        let mut out = None;
        self.coded(column, required, |v| match parse(v) {
            Some(t) => {
                out = Some(t);
                Ok(v.to_owned())
            }
            None => Err(Problem::invalid(
                format!("{v} は使えません（{expected}）"),
                format!("{v} is not allowed ({expected})"),
            )),
        });
        out
    }

    pub fn sha256(&mut self, column: &str) -> String {
        self.coded(column, false, |v| {
            if v.len() == 64 && v.chars().all(|c| c.is_ascii_hexdigit()) {
                Ok(v.to_ascii_lowercase())
            } else {
                Err(Problem::invalid(
                    "SHA-256 は16進64文字です",
                    "a SHA-256 is 64 hexadecimal characters",
                ))
            }
        })
    }
}

/// A JSON syntax error as a whole-file error with its (1-based) line.
pub fn json_syntax(e: &serde_json::Error) -> super::input::FileError {
    super::input::FileError::Syntax {
        line: e.line(),
        detail: e.to_string(),
    }
}
