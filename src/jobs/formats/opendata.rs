//! The 介護サービス情報公表 open data CSV (one file per service type, UTF-8 with BOM, the
//! 24-column header of DESIGN §2), read as a stream: bytes are decoded chunk by chunk
//! (UTF-8, or CP932 when the file is not UTF-8), parsed one record at a time, so memory
//! stays bounded whatever the file's size.
//!
//! Older, shorter headers are read when they have the columns reconciliation needs
//! ([`REQUIRED`]); a column not in the 24 is reported (a warning), not fatal. The
//! national 3-digit service code comes from the サービスの種類 cell (code or name) or,
//! failing that, from the file name (`…_780.csv`).

use super::input::{EncodingChoice, FileError, Problem, RowError, Warning};
use crate::domain::opendata::{Entry, NationalService, national_services};
use encoding_rs::{Decoder, DecoderResult, SHIFT_JIS, UTF_8};
use std::collections::HashMap;
use std::io::{self, Read};

/// The national header, in order.
pub const HEADER: [&str; 24] = [
    "都道府県コード又は市町村コード",
    "No",
    "都道府県名",
    "市区町村名",
    "事業所名",
    "事業所名カナ",
    "サービスの種類",
    "住所",
    "方書（ビル名等）",
    "緯度",
    "経度",
    "電話番号",
    "FAX番号",
    "法人番号",
    "法人の名称",
    "事業所番号",
    "利用可能曜日",
    "利用可能曜日特記事項",
    "定員",
    "URL",
    "高齢者の方と障害者の方が同時一体的に利用できるサービス",
    "介護保険の通常の指定基準を満たしている",
    "障害福祉の通常の指定基準を満たしている",
    "備考",
];

/// Columns without which a file cannot be reconciled.
pub const REQUIRED: [&str; 3] = ["都道府県コード又は市町村コード", "事業所名", "事業所番号"];

/// Other spellings, and what they stand for: the 自治体標準オープンデータセット
/// 「介護サービス事業所一覧」 names the same columns differently (so the ward's own
/// export reads back through this reader).
const ALIASES: [(&str, &str); 6] = [
    (
        "都道府県コード又は市区町村コード",
        "都道府県コード又は市町村コード",
    ),
    ("NO", "No"),
    ("方書", "方書（ビル名等）"),
    ("名称", "事業所名"),
    ("名称_カナ", "事業所名カナ"),
    ("実施サービス", "サービスの種類"),
];

/// Columns of the standard dataset that reconciliation does not read (known, so not
/// reported as unknown).
const STANDARD_ONLY: [&str; 4] = ["内線番号", "開始時間", "終了時間", "利用可能日時特記事項"];

/// How far the encoding sniff looks.
const SNIFF_BYTES: usize = 64 * 1024;

/// A `Read` that decodes another one to UTF-8 as it goes, refusing malformed input.
pub struct Decoding<R> {
    inner: R,
    decoder: Decoder,
    input: Vec<u8>,
    start: usize,
    end: usize,
    output: Vec<u8>,
    out_pos: usize,
    out_len: usize,
    eof: bool,
    finished: bool,
    /// Bytes of the original file consumed so far (for progress).
    pub consumed: u64,
}

impl<R: Read> Read for Decoding<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            if self.out_pos < self.out_len {
                let n = buf.len().min(self.out_len - self.out_pos);
                buf[..n].copy_from_slice(&self.output[self.out_pos..self.out_pos + n]);
                self.out_pos += n;
                return Ok(n);
            }
            if self.finished {
                return Ok(0);
            }
            if self.start == self.end && !self.eof {
                let n = self.inner.read(&mut self.input)?;
                self.eof = n == 0;
                (self.start, self.end) = (0, n);
            }
            let (result, read, written) = self.decoder.decode_to_utf8_without_replacement(
                &self.input[self.start..self.end],
                &mut self.output,
                self.eof,
            );
            self.start += read;
            self.consumed += read as u64;
            (self.out_pos, self.out_len) = (0, written);
            match result {
                DecoderResult::InputEmpty => self.finished = self.eof,
                DecoderResult::OutputFull => {}
                DecoderResult::Malformed(..) => {
                    return Err(io::Error::new(
                        io::ErrorKind::InvalidData,
                        format!("byte {}", self.consumed),
                    ));
                }
            }
        }
    }
}

/// Whether `sample` is UTF-8, allowing a character cut at its end.
fn looks_utf8(sample: &[u8]) -> bool {
    match std::str::from_utf8(sample) {
        Ok(_) => true,
        Err(e) => e.error_len().is_none() && sample.len() - e.valid_up_to() < 4,
    }
}

type Source<R> = Decoding<io::Chain<io::Cursor<Vec<u8>>, R>>;

/// Starts decoding `r`: a BOM means UTF-8; otherwise the first 64 KiB decide (or
/// `choice` forces one). Returns the reader and the encoding's label.
pub fn decoding<R: Read>(
    mut r: R,
    choice: EncodingChoice,
) -> Result<(Source<R>, &'static str), FileError> {
    let mut head = Vec::with_capacity(SNIFF_BYTES);
    (&mut r)
        .take(SNIFF_BYTES as u64)
        .read_to_end(&mut head)
        .map_err(|e| FileError::Io(e.to_string()))?;
    if head.is_empty() {
        return Err(FileError::Empty);
    }
    let bom = head.starts_with(b"\xEF\xBB\xBF");
    let (decoder, label) = match choice {
        EncodingChoice::Utf8 => (UTF_8.new_decoder_with_bom_removal(), "UTF-8"),
        EncodingChoice::Cp932 => (SHIFT_JIS.new_decoder_without_bom_handling(), "CP932"),
        EncodingChoice::Auto if bom => (UTF_8.new_decoder_with_bom_removal(), "UTF-8 (BOM)"),
        EncodingChoice::Auto if looks_utf8(&head) => {
            (UTF_8.new_decoder_with_bom_removal(), "UTF-8")
        }
        EncodingChoice::Auto => (SHIFT_JIS.new_decoder_without_bom_handling(), "CP932"),
    };
    Ok((
        Decoding {
            inner: io::Cursor::new(head).chain(r),
            decoder,
            input: vec![0; 16 * 1024],
            start: 0,
            end: 0,
            output: vec![0; 64 * 1024],
            out_pos: 0,
            out_len: 0,
            eof: false,
            finished: false,
            consumed: 0,
        },
        label,
    ))
}

/// One published row: its line, its municipality and national service, its fields
/// (with `service_code` the ledger kind, '' when the service is not one the ward
/// designates), and the fault of its 事業所番号 if the check digit is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishedRow {
    pub line: usize,
    pub municipality: String,
    pub national_service: String,
    pub entry: Entry,
    pub bad_number: Option<(String, String)>,
}

/// A national file being read.
pub struct OpenDataReader<R: Read> {
    csv: csv::Reader<Source<R>>,
    columns: HashMap<&'static str, usize>,
    services: Vec<NationalService>,
    file_service: Option<String>,
    record: csv::StringRecord,
    /// The line the next record starts on (the csv crate's own count drifts on CRLF).
    next_line: usize,
    pub encoding: &'static str,
    pub warnings: Vec<Warning>,
    /// How many of the 24 columns the header has (24 = the current layout).
    pub known_columns: usize,
}

/// The 3-digit code in a file name such as `jigyosho_780.csv`.
pub fn service_from_file_name(name: &str) -> Option<String> {
    let stem = name.rsplit('/').next()?.split('.').next()?;
    stem.split(|c: char| !c.is_ascii_digit())
        .find(|p| p.len() == 3)
        .map(String::from)
}

/// Opens a national file: decodes and checks the header.
pub fn open<R: Read>(
    r: R,
    choice: EncodingChoice,
    file_name: &str,
) -> Result<OpenDataReader<R>, FileError> {
    let (source, encoding) = decoding(r, choice)?;
    let mut csv = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(source);
    let mut header = csv::StringRecord::new();
    let got = csv.read_record(&mut header).map_err(syntax)?;
    if !got {
        return Err(FileError::Empty);
    }
    let mut columns = HashMap::new();
    let mut warnings = Vec::new();
    for (i, h) in header.iter().enumerate() {
        let h = h.trim().trim_start_matches('\u{FEFF}');
        let name = ALIASES.iter().find(|(a, _)| *a == h).map_or(h, |(_, n)| n);
        match HEADER.iter().find(|k| **k == name) {
            Some(k) if columns.insert(*k, i).is_some() => {
                return Err(FileError::DuplicateColumn(h.to_string()));
            }
            Some(_) => {}
            None if STANDARD_ONLY.contains(&name) => {}
            None => warnings.push(Warning::UnknownColumn(h.to_string())),
        }
    }
    if let Some(missing) = REQUIRED.iter().find(|c| !columns.contains_key(**c)) {
        return Err(FileError::MissingColumn((*missing).to_string()));
    }
    Ok(OpenDataReader {
        known_columns: columns.len(),
        csv,
        columns,
        services: national_services(),
        file_service: service_from_file_name(file_name),
        record: csv::StringRecord::new(),
        next_line: 2 + newlines(&header),
        encoding,
        warnings,
    })
}

fn newlines(r: &csv::StringRecord) -> usize {
    r.iter().map(|c| c.matches('\n').count()).sum()
}

fn syntax(e: csv::Error) -> FileError {
    FileError::Syntax {
        line: e.position().map_or(0, |p| p.line() as usize),
        detail: e.to_string(),
    }
}

impl<R: Read> OpenDataReader<R> {
    /// Bytes of the file read so far.
    pub fn consumed(&self) -> u64 {
        self.csv.get_ref().consumed
    }

    fn cell(&self, column: &str) -> String {
        self.columns
            .get(column)
            .and_then(|i| self.record.get(*i))
            .map(|s| s.trim().to_string())
            .unwrap_or_default()
    }

    /// The national code of this row: the cell when it is a code or a known name, else
    /// the file's.
    fn national(&self) -> String {
        let cell = self.cell("サービスの種類");
        if cell.len() == 3 && cell.bytes().all(|b| b.is_ascii_digit()) {
            return cell;
        }
        self.services
            .iter()
            .find(|s| !cell.is_empty() && s.name == cell)
            .map(|s| s.code.clone())
            .or_else(|| self.file_service.clone())
            .unwrap_or(cell)
    }

    /// The next row; `None` at the end. A row that cannot be parsed is an error; the
    /// reading goes on after it.
    pub fn next_row(&mut self) -> Option<Result<PublishedRow, RowError>> {
        let line = self.next_line;
        match self.csv.read_record(&mut self.record) {
            Ok(false) => return None,
            Ok(true) => self.next_line += 1 + newlines(&self.record),
            Err(e) => {
                self.next_line += 1;
                let text = e.to_string();
                // A decoding error ends the file; a CSV error skips the row.
                if matches!(e.kind(), csv::ErrorKind::Io(_)) {
                    return Some(Err(RowError::new(
                        line,
                        "",
                        Problem::invalid(
                            format!("文字コードが読めません（{text}）。以降は読みません"),
                            format!("the text cannot be decoded ({text}); the rest is not read"),
                        ),
                    )));
                }
                return Some(Err(RowError::new(
                    line,
                    "",
                    Problem::invalid(format!("CSV の形式が違います: {text}"), text),
                )));
            }
        }
        if self.record.len() == 1 && self.record.get(0) == Some("") {
            return self.next_row();
        }
        let national = self.national();
        let service_code = self
            .services
            .iter()
            .find(|s| s.code == national)
            .and_then(|s| s.ledger.first().cloned())
            .unwrap_or_default();
        let number = self.cell("事業所番号");
        let bad_number = crate::domain::ids::validate_provider_number(&number)
            .err()
            .map(|e| (e.message(true), e.message(false)));
        let mut address = self.cell("住所");
        let building = self.cell("方書（ビル名等）");
        if !building.is_empty() {
            address = format!("{address} {building}");
        }
        Some(Ok(PublishedRow {
            line,
            municipality: self.cell("都道府県コード又は市町村コード"),
            national_service: national,
            entry: Entry {
                provider_number: number,
                service_code,
                name: self.cell("事業所名"),
                kana: self.cell("事業所名カナ"),
                address,
                phone: self.cell("電話番号"),
                fax: self.cell("FAX番号"),
                corporate_number: self.cell("法人番号"),
                corporation_name: self.cell("法人の名称"),
                capacity: self.cell("定員"),
            },
            bad_number,
        }))
    }
}

/// Whether a row's municipality is the ward's: the 6-digit code, or its first five
/// digits when a file gives the code without its check digit.
pub fn is_ward(row_code: &str, ward_code: &str) -> bool {
    let row = row_code.trim();
    row == ward_code || (row.len() == 5 && ward_code.starts_with(row))
}

#[cfg(test)]
mod tests;
