//! What every importer shares: reading a file within a size limit, detecting its
//! encoding, cleaning text fields, the per-row and whole-file problems (in ja and en),
//! the schema version check, CSV tables and safe file names.
//!
//! Cells are data: a cell starting with `=`, `+`, `-` or `@` is kept exactly as text
//! (nothing here evaluates or escapes it; escaping is only for spreadsheets we write).

use crate::i18n::Lang;
use encoding_rs::SHIFT_JIS;
use std::collections::HashMap;
use std::io::Read;
use unicode_normalization::UnicodeNormalization;

/// Largest input file accepted; a larger one is refused whole, before parsing.
pub const MAX_FILE_BYTES: u64 = 32 * 1024 * 1024;
/// Longest single-line text field (names, addresses); the same limit as the forms.
pub const MAX_TEXT_CHARS: usize = crate::domain::validate::MAX_FIELD_CHARS;
/// Longest free-text field (reasons, notes).
pub const MAX_NOTE_CHARS: usize = 2000;

/// `--encoding`: auto-detect (the default) or force one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum EncodingChoice {
    #[default]
    Auto,
    Utf8,
    Cp932,
}

impl std::str::FromStr for EncodingChoice {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "auto" => Ok(Self::Auto),
            "utf8" | "utf-8" => Ok(Self::Utf8),
            "cp932" | "sjis" | "shift_jis" | "shift-jis" => Ok(Self::Cp932),
            other => Err(format!("unknown encoding {other:?} (auto, utf-8 or cp932)")),
        }
    }
}

/// The encoding a file turned out to be in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8Bom,
    Utf8,
    Cp932,
}

impl Encoding {
    pub fn label(self) -> &'static str {
        match self {
            Self::Utf8Bom => "UTF-8 (BOM)",
            Self::Utf8 => "UTF-8",
            Self::Cp932 => "CP932",
        }
    }
}

/// A whole file refused: nothing in it is used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileError {
    Io(String),
    TooLarge {
        limit: u64,
    },
    Empty,
    /// Not UTF-8 and not CP932 either (or not the encoding asked for).
    Encoding {
        offset: usize,
        tried: &'static str,
    },
    /// JSON that does not parse, or a structure that is not the documented one.
    Syntax {
        line: usize,
        detail: String,
    },
    MissingColumn(String),
    DuplicateColumn(String),
    MissingVersion,
    UnsupportedVersion {
        found: String,
        supported: u32,
    },
    WrongDocument {
        expected: &'static str,
        found: String,
    },
}

impl FileError {
    pub fn message(&self, lang: Lang) -> String {
        let ja = lang.is_ja();
        match self {
            Self::Io(e) if ja => format!("ファイルを読めません（{e}）"),
            Self::Io(e) => format!("cannot read the file ({e})"),
            Self::TooLarge { limit } if ja => format!(
                "ファイルが大きすぎます（上限 {} MB）。分割して取り込んでください",
                limit / 1024 / 1024
            ),
            Self::TooLarge { limit } => format!(
                "the file is larger than {} MB; split it and import the parts",
                limit / 1024 / 1024
            ),
            Self::Empty if ja => "ファイルが空です".into(),
            Self::Empty => "the file is empty".into(),
            Self::Encoding { offset, tried } if ja => format!(
                "{offset} バイト目が {tried} として読めません。UTF-8 か CP932（Shift_JIS）で保存し直すか --encoding を指定してください"
            ),
            Self::Encoding { offset, tried } => format!(
                "byte {offset} is not valid {tried}; save the file as UTF-8 or CP932 (Shift_JIS), or give --encoding"
            ),
            Self::Syntax { line, detail } if ja => {
                format!("{line} 行目で形式が壊れています（{detail}）。ファイル全体を取り込みません")
            }
            Self::Syntax { line, detail } => format!(
                "the file is malformed at line {line} ({detail}); nothing in it was imported"
            ),
            Self::MissingColumn(c) if ja => format!("必須の列 {c} がありません"),
            Self::MissingColumn(c) => format!("the required column {c} is missing"),
            Self::DuplicateColumn(c) if ja => format!("列 {c} が2回あります"),
            Self::DuplicateColumn(c) => format!("the column {c} appears twice"),
            Self::MissingVersion if ja => {
                "format_version がありません。どの版の形式か分からないため取り込みません".into()
            }
            Self::MissingVersion => {
                "format_version is missing, so the file's schema is unknown; nothing was imported"
                    .into()
            }
            Self::UnsupportedVersion { found, supported } if ja => format!(
                "形式の版 {found} には対応していません（対応: {supported}.x）。daicho を更新するか送り元に確認してください"
            ),
            Self::UnsupportedVersion { found, supported } => format!(
                "format version {found} is not supported (this daicho reads {supported}.x); update daicho or ask the sender"
            ),
            Self::WrongDocument { expected, found } if ja => {
                format!("文書の種類が {found} です（{expected} が必要）")
            }
            Self::WrongDocument { expected, found } => {
                format!("the document is a {found}, not a {expected}")
            }
        }
    }
}

impl std::fmt::Display for FileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

impl std::error::Error for FileError {}

/// Why one field of one row was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    Required,
    TooLong {
        max: usize,
        found: usize,
    },
    ControlChar,
    BidiChar,
    /// A value that fails its own rule (identifier check digit, date, code list).
    Invalid {
        ja: String,
        en: String,
    },
    FieldCount {
        expected: usize,
        found: usize,
    },
    /// The last row of a file that does not end with a line end.
    Truncated,
    VersionMismatch {
        found: String,
    },
    UnknownRecord(String),
    /// A staff/council/attachment row whose application row is missing.
    Orphan(String),
    /// Another row of the same application was refused, so this one is held back too.
    HeldBack(String),
    Duplicate(String),
}

impl Problem {
    pub fn invalid(ja: impl Into<String>, en: impl Into<String>) -> Self {
        Self::Invalid {
            ja: ja.into(),
            en: en.into(),
        }
    }

    pub fn message(&self, lang: Lang) -> String {
        let ja = lang.is_ja();
        match self {
            Self::Required if ja => "必須項目が空です".into(),
            Self::Required => "required but empty".into(),
            Self::TooLong { max, found } if ja => {
                format!("{max}文字以内にしてください（{found}文字）")
            }
            Self::TooLong { max, found } => {
                format!("at most {max} characters allowed ({found} given)")
            }
            Self::ControlChar if ja => "制御文字が含まれています".into(),
            Self::ControlChar => "contains a control character".into(),
            Self::BidiChar if ja => "文字の向きを変える制御文字が含まれています".into(),
            Self::BidiChar => "contains a bidirectional control character".into(),
            Self::Invalid { ja: j, .. } if ja => j.clone(),
            Self::Invalid { en, .. } => en.clone(),
            Self::FieldCount { expected, found } if ja => {
                format!("項目数が {found} です（{expected} 必要）")
            }
            Self::FieldCount { expected, found } => {
                format!("{found} fields where {expected} are expected")
            }
            Self::Truncated if ja => {
                "最後の行が改行で終わっていません（ファイルが途中で切れています）".into()
            }
            Self::Truncated => {
                "the last row does not end with a line end (the file is cut short)".into()
            }
            Self::VersionMismatch { found } if ja => {
                format!("この行の版 {found} がファイルの版と違います")
            }
            Self::VersionMismatch { found } => {
                format!("this row's version {found} differs from the file's")
            }
            Self::UnknownRecord(r) if ja => format!("レコード種別 {r} は定義されていません"),
            Self::UnknownRecord(r) => format!("record type {r} is not defined"),
            Self::Orphan(id) if ja => format!("申請 {id} の申請行がありません"),
            Self::Orphan(id) => format!("there is no application row for {id}"),
            Self::HeldBack(id) if ja => {
                format!("申請 {id} の別の行に誤りがあるため、この行も取り込みません")
            }
            Self::HeldBack(id) => {
                format!("another row of application {id} was refused, so this one is held back")
            }
            Self::Duplicate(id) if ja => format!("{id} が2回あります"),
            Self::Duplicate(id) => format!("{id} appears twice"),
        }
    }
}

/// One refused field: the row (CSV line number, or the entry's position in a JSON
/// list), the column (or JSON path; empty for the whole row) and the problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    pub row: usize,
    pub column: String,
    pub problem: Problem,
}

impl RowError {
    pub fn new(row: usize, column: impl Into<String>, problem: Problem) -> Self {
        Self {
            row,
            column: column.into(),
            problem,
        }
    }

    pub fn message(&self, lang: Lang) -> String {
        let p = self.problem.message(lang);
        // An empty column means the whole row (wrong field count, cut short).
        if self.column.is_empty() {
            return match lang {
                Lang::Ja => format!("{}行目: {p}", self.row),
                Lang::En => format!("row {}: {p}", self.row),
            };
        }
        if lang.is_ja() {
            format!("{}行目 {}: {p}", self.row, self.column)
        } else {
            format!("row {}, {}: {p}", self.row, self.column)
        }
    }
}

/// Something noted but not refused (an unknown column is ignored, not an error).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Warning {
    UnknownColumn(String),
}

impl Warning {
    pub fn message(&self, lang: Lang) -> String {
        match self {
            Self::UnknownColumn(c) if lang.is_ja() => {
                format!("列 {c} は定義されていないため無視しました")
            }
            Self::UnknownColumn(c) => format!("the column {c} is not defined and was ignored"),
        }
    }
}

/// What a reader returns for a file it could parse: the valid records, every refused
/// field, and notes. A record with any refused field is not among `records`.
#[derive(Debug, Clone)]
pub struct ReadOutcome<T> {
    pub encoding: Encoding,
    pub records: Vec<T>,
    pub errors: Vec<RowError>,
    pub warnings: Vec<Warning>,
}

/// Reads at most [`MAX_FILE_BYTES`]; a larger input is refused without reading it all.
pub fn read_limited(r: impl Read, limit: u64) -> Result<Vec<u8>, FileError> {
    let mut buf = Vec::new();
    r.take(limit + 1)
        .read_to_end(&mut buf)
        .map_err(|e| FileError::Io(e.to_string()))?;
    if buf.len() as u64 > limit {
        return Err(FileError::TooLarge { limit });
    }
    Ok(buf)
}

/// A file's text and the encoding it was read as.
#[derive(Debug, Clone)]
pub struct Decoded {
    pub text: String,
    pub encoding: Encoding,
}

/// BOM → UTF-8; else valid UTF-8 → UTF-8; else strict CP932; else an error naming the
/// first byte that is neither (the UTF-8 offset: CP932 is the fallback).
pub fn decode(bytes: &[u8], choice: EncodingChoice) -> Result<Decoded, FileError> {
    const BOM: &[u8] = b"\xEF\xBB\xBF";
    let utf8 = |b: &[u8]| {
        std::str::from_utf8(b)
            .map(str::to_owned)
            .map_err(|e| e.valid_up_to())
    };
    match choice {
        EncodingChoice::Cp932 => cp932(bytes).map(|text| Decoded {
            text,
            encoding: Encoding::Cp932,
        }),
        EncodingChoice::Utf8 => {
            let (body, encoding, skip) = match bytes.strip_prefix(BOM) {
                Some(b) => (b, Encoding::Utf8Bom, BOM.len()),
                None => (bytes, Encoding::Utf8, 0),
            };
            utf8(body)
                .map(|text| Decoded { text, encoding })
                .map_err(|at| FileError::Encoding {
                    offset: at + skip,
                    tried: "UTF-8",
                })
        }
        EncodingChoice::Auto => {
            if let Some(body) = bytes.strip_prefix(BOM) {
                return utf8(body)
                    .map(|text| Decoded {
                        text,
                        encoding: Encoding::Utf8Bom,
                    })
                    .map_err(|at| FileError::Encoding {
                        offset: at + BOM.len(),
                        tried: "UTF-8",
                    });
            }
            match utf8(bytes) {
                Ok(text) => Ok(Decoded {
                    text,
                    encoding: Encoding::Utf8,
                }),
                Err(at) => cp932(bytes)
                    .map(|text| Decoded {
                        text,
                        encoding: Encoding::Cp932,
                    })
                    .map_err(|_| FileError::Encoding {
                        offset: at,
                        tried: "UTF-8 / CP932",
                    }),
            }
        }
    }
}

/// Strict CP932: a malformed byte sequence is an error naming its offset.
fn cp932(bytes: &[u8]) -> Result<String, FileError> {
    let mut decoder = SHIFT_JIS.new_decoder_without_bom_handling();
    let mut text = String::with_capacity(bytes.len() * 3 / 2 + 16);
    let mut consumed = 0;
    loop {
        let (result, read) =
            decoder.decode_to_string_without_replacement(&bytes[consumed..], &mut text, true);
        consumed += read;
        match result {
            encoding_rs::DecoderResult::InputEmpty => return Ok(text),
            encoding_rs::DecoderResult::OutputFull => {
                text.reserve(bytes.len() - consumed + 16);
            }
            encoding_rs::DecoderResult::Malformed(bad, after) => {
                return Err(FileError::Encoding {
                    offset: consumed - usize::from(bad) - usize::from(after),
                    tried: "CP932",
                });
            }
        }
    }
}

/// Reads and decodes a whole input within the size limit.
pub fn read_text(r: impl Read, choice: EncodingChoice) -> Result<Decoded, FileError> {
    let bytes = read_limited(r, MAX_FILE_BYTES)?;
    if bytes.is_empty() {
        return Err(FileError::Empty);
    }
    decode(&bytes, choice)
}

/// Bidirectional controls (they can make a name display as something else).
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Half-width katakana (U+FF61–U+FF9F) to full width, combining ﾞ/ﾟ with the kana before
/// them (NFKC of that range only; nothing else is normalised).
pub fn widen_halfwidth_kana(s: &str) -> std::borrow::Cow<'_, str> {
    let half = |c: char| ('\u{FF61}'..='\u{FF9F}').contains(&c);
    if !s.chars().any(half) {
        return s.into();
    }
    let mut out = String::with_capacity(s.len());
    let mut run = String::new();
    for c in s.chars() {
        if half(c) {
            run.push(c);
        } else {
            out.extend(run.nfkc());
            run.clear();
            out.push(c);
        }
    }
    out.extend(run.nfkc());
    // A ﾞ/ﾟ with nothing to combine with stays a visible mark, not a combining one.
    out.replace('\u{3099}', "\u{309B}")
        .replace('\u{309A}', "\u{309C}")
        .into()
}

/// Cleans one text field from outside: trims surrounding spaces, refuses control and
/// bidi characters (a newline is allowed only in `multiline` fields, CRLF becomes LF),
/// widens half-width kana, and refuses more than `max` characters (never truncates).
pub fn clean_text(value: &str, max: usize, multiline: bool) -> Result<String, Problem> {
    let found = value.chars().count();
    if found > max {
        return Err(Problem::TooLong { max, found });
    }
    let value = if multiline {
        std::borrow::Cow::Owned(value.replace("\r\n", "\n"))
    } else {
        std::borrow::Cow::Borrowed(value)
    };
    let value = value.trim_matches(|c: char| c == ' ' || c == '\u{3000}' || c == '\t');
    for c in value.chars() {
        if is_bidi_control(c) {
            return Err(Problem::BidiChar);
        }
        if c.is_control() && !(multiline && c == '\n') {
            return Err(Problem::ControlChar);
        }
    }
    Ok(widen_halfwidth_kana(value).into_owned())
}

/// Checks a `format_version` such as `1`, `1.0` or `1.3` against the major version this
/// build reads; any other major, or a value that is not a version, is refused.
pub fn check_version(found: &str, supported: u32) -> Result<(), FileError> {
    let found = found.trim();
    if found.is_empty() {
        return Err(FileError::MissingVersion);
    }
    let mut parts = found.split('.');
    let major = parts.next().and_then(|m| m.parse::<u32>().ok());
    let minor_ok = parts.all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()));
    match major {
        Some(m) if m == supported && minor_ok => Ok(()),
        _ => Err(FileError::UnsupportedVersion {
            found: found.chars().take(20).collect(),
            supported,
        }),
    }
}

/// A name from outside (an attachment's file name) made safe to use as ONE path
/// component: path separators and characters Windows refuses become `_`, control and
/// bidi characters are dropped, leading dots and spaces are removed (so `..` and hidden
/// files cannot result), and it is cut to 100 characters. Never empty.
pub fn sanitize_file_name(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_control() || is_bidi_control(c) {
            continue;
        }
        let c = match c {
            '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' => '_',
            c => c,
        };
        if c == '_' && out.ends_with('_') {
            continue;
        }
        out.push(c);
    }
    let trimmed = out
        .trim_start_matches(['.', '_', ' ', '\u{3000}'])
        .trim_end_matches(['.', ' ', '\u{3000}']);
    let mut safe: String = trimmed.chars().take(100).collect();
    let stem = safe
        .split('.')
        .next()
        .unwrap_or_default()
        .to_ascii_uppercase();
    let reserved = matches!(stem.as_str(), "CON" | "PRN" | "AUX" | "NUL")
        || ((stem.starts_with("COM") || stem.starts_with("LPT"))
            && stem.len() == 4
            && stem.as_bytes()[3].is_ascii_digit());
    if safe.is_empty() || reserved {
        safe.insert_str(0, "file_");
    }
    safe
}

/// A CSV file with a header row: the header and each data record with its line number.
#[derive(Debug)]
pub struct CsvTable {
    pub headers: Vec<String>,
    pub rows: Vec<CsvRow>,
    /// True when the file does not end with a line end: its last row is incomplete.
    pub truncated: bool,
}

#[derive(Debug)]
pub struct CsvRow {
    pub line: usize,
    pub cells: Vec<String>,
}

impl CsvTable {
    /// Parses `text` (CRLF or LF). Fails only for a file with no header.
    pub fn parse(text: &str) -> Result<CsvTable, FileError> {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        let mut records = Vec::new();
        // The csv crate's own line numbers drift on CRLF files: count LFs before each
        // record's first byte instead.
        let (mut line, mut counted) = (1usize, 0usize);
        let bytes = text.as_bytes();
        for record in reader.records() {
            let record = record.map_err(|e| FileError::Syntax {
                line: e.position().map_or(0, |p| p.line() as usize),
                detail: e.to_string(),
            })?;
            let mut start = record
                .position()
                .map_or(counted, |p| (p.byte() as usize).min(bytes.len()));
            // After a CR the csv crate starts the next record at the LF.
            if start > 0 && bytes.get(start) == Some(&b'\n') && bytes[start - 1] == b'\r' {
                start += 1;
            }
            line += bytes[counted..start.max(counted)]
                .iter()
                .filter(|b| **b == b'\n')
                .count();
            counted = start.max(counted);
            records.push(CsvRow {
                line,
                cells: record.iter().map(str::to_owned).collect(),
            });
        }
        let mut records = records.into_iter();
        let header = records.next().ok_or(FileError::Empty)?;
        let headers: Vec<String> = header.cells.iter().map(|h| h.trim().to_owned()).collect();
        let rows: Vec<CsvRow> = records
            .filter(|r| !(r.cells.len() == 1 && r.cells[0].is_empty()))
            .collect();
        Ok(CsvTable {
            headers,
            truncated: !text.ends_with('\n') && !rows.is_empty(),
            rows,
        })
    }

    /// Column name → position; requires `required` and rejects duplicates. Columns not in
    /// `known` are returned as warnings (and ignored).
    pub fn columns(
        &self,
        known: &[&str],
        required: &[&str],
    ) -> Result<(HashMap<String, usize>, Vec<Warning>), FileError> {
        let mut map = HashMap::new();
        let mut warnings = Vec::new();
        for (i, h) in self.headers.iter().enumerate() {
            if map.insert(h.clone(), i).is_some() {
                return Err(FileError::DuplicateColumn(h.clone()));
            }
            if !known.contains(&h.as_str()) {
                warnings.push(Warning::UnknownColumn(h.clone()));
            }
        }
        if let Some(missing) = required.iter().find(|c| !map.contains_key(**c)) {
            return Err(FileError::MissingColumn((*missing).to_owned()));
        }
        Ok((map, warnings))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_each_encoding() {
        let text = "事業所,ｹｱ\r\n";
        let bom = [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat();
        assert_eq!(
            decode(&bom, EncodingChoice::Auto).unwrap().encoding,
            Encoding::Utf8Bom
        );
        assert_eq!(
            decode(text.as_bytes(), EncodingChoice::Auto)
                .unwrap()
                .encoding,
            Encoding::Utf8
        );
        let (sjis, _, bad) = SHIFT_JIS.encode(text);
        assert!(!bad);
        let d = decode(&sjis, EncodingChoice::Auto).unwrap();
        assert_eq!((d.encoding, d.text.as_str()), (Encoding::Cp932, text));
        // Forcing UTF-8 on CP932 bytes names the first bad byte.
        assert_eq!(
            decode(&sjis, EncodingChoice::Utf8).unwrap_err(),
            FileError::Encoding {
                offset: 0,
                tried: "UTF-8"
            }
        );
    }

    #[test]
    fn undecodable_bytes_name_their_offset() {
        // 0x81 0x20 is not CP932 (bad trail byte) and not UTF-8.
        let bytes = b"abc\x81\x20def";
        assert_eq!(
            decode(bytes, EncodingChoice::Auto).unwrap_err(),
            FileError::Encoding {
                offset: 3,
                tried: "UTF-8 / CP932"
            }
        );
        assert_eq!(
            decode(bytes, EncodingChoice::Cp932).unwrap_err(),
            FileError::Encoding {
                offset: 3,
                tried: "CP932"
            }
        );
    }

    #[test]
    fn half_width_kana_widen_with_voicing_marks() {
        assert_eq!(widen_halfwidth_kana("ﾃﾞｲｻｰﾋﾞｽ123"), "デイサービス123");
        // Only the kana range: full-width digits and ASCII stay as they are.
        assert_eq!(widen_halfwidth_kana("１ﾊﾟA"), "１パA");
        assert_eq!(widen_halfwidth_kana("Aﾞ ﾟ"), "A゛ ゜");
        assert!(matches!(
            widen_halfwidth_kana("ケア"),
            std::borrow::Cow::Borrowed(_)
        ));
    }

    #[test]
    fn text_fields_are_cleaned_or_refused() {
        assert_eq!(clean_text("  ｹｱ　", 10, false).unwrap(), "ケア");
        assert_eq!(clean_text("=1+1", 10, false).unwrap(), "=1+1");
        assert_eq!(clean_text("a\u{7}", 10, false), Err(Problem::ControlChar));
        assert_eq!(clean_text("a\nb", 10, false), Err(Problem::ControlChar));
        assert_eq!(clean_text("a\r\nb", 10, true).unwrap(), "a\nb");
        assert_eq!(clean_text("ab\u{202E}c", 10, false), Err(Problem::BidiChar));
        assert_eq!(
            clean_text("あいう", 2, false),
            Err(Problem::TooLong { max: 2, found: 3 })
        );
        assert_eq!(clean_text("𠮷野家", 3, false).unwrap(), "𠮷野家");
    }

    #[test]
    fn versions() {
        assert!(check_version("1", 1).is_ok());
        assert!(check_version("1.0", 1).is_ok());
        assert!(check_version("1.12", 1).is_ok());
        assert_eq!(check_version(" ", 1), Err(FileError::MissingVersion));
        for bad in ["2.0", "0.9", "1.x", "v1", "1.", "abc"] {
            assert!(
                matches!(
                    check_version(bad, 1),
                    Err(FileError::UnsupportedVersion { .. })
                ),
                "{bad}"
            );
        }
        let msg = check_version("2.0", 1).unwrap_err().message(Lang::Ja);
        assert!(msg.contains("2.0") && msg.contains("1.x"), "{msg}");
    }

    #[test]
    fn file_names_become_one_safe_component() {
        assert_eq!(sanitize_file_name("../../etc/passwd"), "etc_passwd");
        assert_eq!(sanitize_file_name("..\\..\\boot.ini"), "boot.ini");
        assert_eq!(sanitize_file_name("/etc/shadow"), "etc_shadow");
        assert_eq!(sanitize_file_name(".."), "file_");
        assert_eq!(sanitize_file_name(""), "file_");
        assert_eq!(sanitize_file_name("CON.txt"), "file_CON.txt");
        assert_eq!(sanitize_file_name("申請書\u{202E}fdp.exe"), "申請書fdp.exe");
        assert_eq!(
            sanitize_file_name("運営規程（案）.pdf"),
            "運営規程（案）.pdf"
        );
        assert_eq!(sanitize_file_name(&"あ".repeat(300)).chars().count(), 100);
        for evil in ["../x", "a/../../b", ".hidden", "a\0b", "C:\\x"] {
            let s = sanitize_file_name(evil);
            assert!(
                !s.contains(['/', '\\', '\0', ':']) && !s.starts_with('.'),
                "{evil} -> {s}"
            );
        }
    }

    #[test]
    fn size_limit_refuses_without_reading_everything() {
        let big = std::io::repeat(b'a').take(100);
        assert_eq!(
            read_limited(big, 10).unwrap_err(),
            FileError::TooLarge { limit: 10 }
        );
        assert_eq!(read_limited(&b"abc"[..], 3).unwrap(), b"abc");
    }

    #[test]
    fn csv_tables_flag_a_missing_final_line_end() {
        let t = CsvTable::parse("a,b\r\n1,2\r\n3,").unwrap();
        assert!(t.truncated);
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.rows[1].line, 3);
        let t = CsvTable::parse("a,b\n1,2\n").unwrap();
        assert!(!t.truncated);
        let (cols, warnings) = t.columns(&["a"], &["a"]).unwrap();
        assert_eq!(cols["b"], 1);
        assert_eq!(warnings, vec![Warning::UnknownColumn("b".into())]);
        assert_eq!(
            t.columns(&["a", "b", "c"], &["c"]).unwrap_err(),
            FileError::MissingColumn("c".into())
        );
    }
}
