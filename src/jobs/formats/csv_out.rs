//! CSV output for spreadsheets: UTF-8 with BOM (Excel opens it as UTF-8) or CP932
//! (Shift_JIS, for older Excel and the 国保連 family of files), with cells that a
//! spreadsheet would run as a formula neutralised.

use encoding_rs::SHIFT_JIS;
use std::io::{self, Write};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CsvEncoding {
    Utf8Bom,
    Cp932,
}

impl std::str::FromStr for CsvEncoding {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "utf8" | "utf-8" => Ok(Self::Utf8Bom),
            "cp932" | "sjis" | "shift_jis" => Ok(Self::Cp932),
            other => Err(format!("unknown encoding {other:?} (utf-8 or cp932)")),
        }
    }
}

/// `=1+1`, `+…`, `-…`, `@…` (and a leading tab or CR) would be evaluated by Excel or
/// LibreOffice (CSV injection); a leading apostrophe makes them text.
pub fn escape_formula(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}").into(),
        _ => cell.into(),
    }
}

/// Writes records with CRLF line ends, quoting as needed.
pub struct SheetWriter<W: Write> {
    out: csv::Writer<EncodingSink<W>>,
}

impl<W: Write> SheetWriter<W> {
    pub fn new(mut inner: W, encoding: CsvEncoding) -> io::Result<Self> {
        if encoding == CsvEncoding::Utf8Bom {
            inner.write_all("\u{feff}".as_bytes())?;
        }
        let sink = EncodingSink {
            inner,
            encoding,
            unmappable: 0,
            pending: Vec::new(),
        };
        let out = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(sink);
        Ok(Self { out })
    }

    pub fn row<'a>(&mut self, cells: impl IntoIterator<Item = &'a str>) -> io::Result<()> {
        self.out
            .write_record(cells.into_iter().map(|c| escape_formula(c).into_owned()))?;
        Ok(())
    }

    /// Flushes and returns the number of characters CP932 could not represent (written
    /// as [`CP932_REPLACEMENT`]).
    pub fn finish(self) -> io::Result<usize> {
        let mut sink = self.out.into_inner().map_err(|e| e.into_error())?;
        if !sink.pending.is_empty() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "CSV output ended inside a UTF-8 character",
            ));
        }
        sink.inner.flush()?;
        Ok(sink.unmappable)
    }
}

/// What a character outside CP932 becomes: 〓 (geta), the Japanese printer's mark for a
/// missing glyph — unlike `?`, it cannot be mistaken for data.
pub const CP932_REPLACEMENT: char = '〓';

struct EncodingSink<W: Write> {
    inner: W,
    encoding: CsvEncoding,
    unmappable: usize,
    /// The csv crate flushes its buffer wherever it fills, which can split a character:
    /// the incomplete UTF-8 tail waits here for the rest of its bytes.
    pending: Vec<u8>,
}

impl<W: Write> EncodingSink<W> {
    fn encode_cp932(&mut self, text: &str) -> io::Result<()> {
        let mut encoder = SHIFT_JIS.new_encoder();
        let mut out = Vec::with_capacity(text.len() * 2 + 16);
        let mut rest = text;
        loop {
            out.reserve(rest.len() * 2 + 16);
            let (result, read) =
                encoder.encode_from_utf8_to_vec_without_replacement(rest, &mut out, true);
            rest = &rest[read..];
            match result {
                encoding_rs::EncoderResult::InputEmpty => break,
                encoding_rs::EncoderResult::OutputFull => {}
                encoding_rs::EncoderResult::Unmappable(_) => {
                    self.unmappable += 1;
                    out.extend_from_slice(&[0x81, 0xAC]); // 〓 in CP932
                }
            }
        }
        self.inner.write_all(&out)
    }
}

impl<W: Write> Write for EncodingSink<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self.encoding {
            CsvEncoding::Utf8Bom => self.inner.write(buf),
            CsvEncoding::Cp932 => {
                self.pending.extend_from_slice(buf);
                let complete = match std::str::from_utf8(&self.pending) {
                    Ok(_) => self.pending.len(),
                    // error_len() None: the input ends inside a character; keep its bytes.
                    Err(e) if e.error_len().is_none() => e.valid_up_to(),
                    Err(e) => return Err(io::Error::new(io::ErrorKind::InvalidData, e)),
                };
                let tail = self.pending.split_off(complete);
                let head = std::mem::replace(&mut self.pending, tail);
                // Checked just above: `head` is valid UTF-8.
                let text = String::from_utf8(head)
                    .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
                self.encode_cp932(&text)?;
                Ok(buf.len())
            }
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised() {
        assert_eq!(escape_formula("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(escape_formula("-1"), "'-1");
        assert_eq!(escape_formula("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(escape_formula("03-1234-5678"), "03-1234-5678");
    }

    #[test]
    fn utf8_has_bom_and_crlf() {
        let mut buf = Vec::new();
        let mut w = SheetWriter::new(&mut buf, CsvEncoding::Utf8Bom).unwrap();
        w.row(["事業所番号", "=1+1"]).unwrap();
        assert_eq!(w.finish().unwrap(), 0);
        assert_eq!(
            String::from_utf8(buf).unwrap(),
            "\u{feff}事業所番号,'=1+1\r\n"
        );
    }

    #[test]
    fn cp932_encodes_and_counts_unmappable() {
        let mut buf = Vec::new();
        let mut w = SheetWriter::new(&mut buf, CsvEncoding::Cp932).unwrap();
        w.row(["新宿", "髙橋", "🙂"]).unwrap();
        assert_eq!(w.finish().unwrap(), 1);
        let (text, _, bad) = SHIFT_JIS.decode(&buf);
        assert!(!bad);
        assert_eq!(text, "新宿,髙橋,〓\r\n");
    }

    /// Regression (10.3): the csv crate's 8 KiB buffer split a character between two
    /// writes and the export failed with "incomplete utf-8 byte sequence".
    #[test]
    fn cp932_survives_thousands_of_rows_split_anywhere() {
        let mut buf = Vec::new();
        let mut w = SheetWriter::new(&mut buf, CsvEncoding::Cp932).unwrap();
        let mut expected = String::new();
        for i in 0..5000 {
            // Odd lengths shift the buffer boundary through every byte of a character.
            let name = format!("{}事業所{i}", "新".repeat(i % 7));
            let odd = if i % 1000 == 0 { "🙂𠮷" } else { "" };
            w.row([name.as_str(), odd, "東京都新宿区"]).unwrap();
            let shown = if odd.is_empty() { "" } else { "〓〓" };
            expected.push_str(&format!("{name},{shown},東京都新宿区\r\n"));
        }
        assert_eq!(w.finish().unwrap(), 10);
        assert!(buf.len() > 100_000);
        let (text, _, bad) = SHIFT_JIS.decode(&buf);
        assert!(!bad);
        assert_eq!(text, expected);
    }
}
