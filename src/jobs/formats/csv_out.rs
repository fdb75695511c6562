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

    /// Flushes and returns the number of characters CP932 could not represent (written as `?`).
    pub fn finish(self) -> io::Result<usize> {
        let sink = self
            .out
            .into_inner()
            .map_err(|e| io::Error::other(e.to_string()))?;
        let mut sink = sink;
        sink.inner.flush()?;
        Ok(sink.unmappable)
    }
}

struct EncodingSink<W: Write> {
    inner: W,
    encoding: CsvEncoding,
    unmappable: usize,
}

impl<W: Write> Write for EncodingSink<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self.encoding {
            CsvEncoding::Utf8Bom => self.inner.write(buf),
            CsvEncoding::Cp932 => {
                // The csv writer flushes whole records, so `buf` holds complete UTF-8.
                let text = std::str::from_utf8(buf)
                    .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
                let mut encoder = SHIFT_JIS.new_encoder();
                let mut out = Vec::with_capacity(buf.len());
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
                            out.push(b'?');
                        }
                    }
                }
                self.inner.write_all(&out)?;
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
        assert_eq!(text, "新宿,髙橋,?\r\n");
    }
}
