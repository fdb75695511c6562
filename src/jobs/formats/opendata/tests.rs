use super::*;
use proptest::prelude::*;

/// A row of the 24 columns with the fields reconciliation reads.
pub(crate) fn row(code: &str, number: &str, name: &str, phone: &str) -> Vec<String> {
    let mut r = vec![String::new(); 24];
    r[0] = code.into();
    r[1] = "1".into();
    r[2] = "東京都".into();
    r[3] = "新宿区".into();
    r[4] = name.into();
    r[5] = "デイサービストヤマ".into();
    r[6] = "地域密着型通所介護".into();
    r[7] = "東京都新宿区戸山1-1-1".into();
    r[11] = phone.into();
    r[13] = "7010001008844".into();
    r[14] = "社会福祉法人 戸山会".into();
    r[15] = number.into();
    r[18] = "18".into();
    r
}

fn csv_text(header: &[&str], rows: &[Vec<String>], eol: &str) -> String {
    let quote = |c: &str| {
        if c.contains([',', '"', '\n', '\r']) {
            format!("\"{}\"", c.replace('"', "\"\""))
        } else {
            c.to_string()
        }
    };
    let mut s = header.join(",") + eol;
    for r in rows {
        s += &r.iter().map(|c| quote(c)).collect::<Vec<_>>().join(",");
        s += eol;
    }
    s
}

/// Reads one byte per call: every decoder and parser boundary is exercised.
struct Trickle<'a>(&'a [u8]);

impl Read for Trickle<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match (self.0.split_first(), buf.is_empty()) {
            (Some((b, rest)), false) => {
                buf[0] = *b;
                self.0 = rest;
                Ok(1)
            }
            _ => Ok(0),
        }
    }
}

fn read_all<R: Read>(r: &mut OpenDataReader<R>) -> (Vec<PublishedRow>, Vec<RowError>) {
    let (mut ok, mut bad) = (Vec::new(), Vec::new());
    while let Some(r) = r.next_row() {
        match r {
            Ok(row) => ok.push(row),
            Err(e) => bad.push(e),
        }
    }
    (ok, bad)
}

#[test]
fn reads_the_published_layout_with_bom_and_crlf() {
    let text = csv_text(
        &HEADER,
        &[
            row("131041", "1393600018", "デイサービス戸山", "03-1111-2222"),
            row("131130", "1373600012", "渋谷のデイ", "03-5555-6666"),
        ],
        "\r\n",
    );
    let bytes = [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat();
    let mut r = open(bytes.as_slice(), EncodingChoice::Auto, "jigyosho_780.csv").unwrap();
    assert_eq!(r.encoding, "UTF-8 (BOM)");
    assert_eq!(r.known_columns, 24);
    assert!(r.warnings.is_empty());
    let (rows, errors) = read_all(&mut r);
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].line, 2);
    assert_eq!(rows[0].national_service, "780");
    assert_eq!(rows[0].entry.service_code, "78");
    assert_eq!(rows[0].entry.phone, "03-1111-2222");
    assert_eq!(rows[0].entry.capacity, "18");
    assert!(rows[0].bad_number.is_none());
    assert!(is_ward(&rows[0].municipality, "131041"));
    assert!(!is_ward(&rows[1].municipality, "131041"));
    assert_eq!(r.consumed(), bytes.len() as u64);
}

#[test]
fn a_wrong_check_digit_is_reported_on_the_row() {
    let text = csv_text(&HEADER, &[row("131041", "1393600017", "x", "")], "\n");
    let mut r = open(text.as_bytes(), EncodingChoice::Auto, "a.csv").unwrap();
    let (rows, _) = read_all(&mut r);
    let (ja, en) = rows[0].bad_number.clone().unwrap();
    assert!(ja.contains("チェックディジット"), "{ja}");
    assert!(en.contains("check digit"), "{en}");
}

#[test]
fn an_older_shorter_header_is_read_and_unknown_columns_are_reported() {
    let header: Vec<&str> = HEADER[..20].iter().copied().chain(["独自列"]).collect();
    let mut cells = row("131041", "1393600018", "デイサービス戸山", "03-1111-2222");
    cells.truncate(20);
    cells.push("x".into());
    let text = csv_text(&header, &[cells], "\n");
    let mut r = open(text.as_bytes(), EncodingChoice::Auto, "780.csv").unwrap();
    assert_eq!(r.known_columns, 20);
    assert_eq!(r.warnings, vec![Warning::UnknownColumn("独自列".into())]);
    let (rows, errors) = read_all(&mut r);
    assert!(errors.is_empty());
    assert_eq!(rows[0].entry.name, "デイサービス戸山");
}

#[test]
fn a_header_without_the_provider_number_is_refused() {
    let text = "都道府県コード又は市町村コード,事業所名\n131041,x\n";
    let e = open(text.as_bytes(), EncodingChoice::Auto, "a.csv")
        .err()
        .unwrap();
    assert_eq!(e, FileError::MissingColumn("事業所番号".into()));
}

#[test]
fn cp932_is_tolerated() {
    let text = csv_text(
        &HEADER,
        &[row(
            "131041",
            "1393600018",
            "デイサービス戸山",
            "03-1111-2222",
        )],
        "\r\n",
    );
    let (bytes, _, _) = SHIFT_JIS.encode(&text);
    let mut r = open(Trickle(&bytes), EncodingChoice::Auto, "x_780.csv").unwrap();
    assert_eq!(r.encoding, "CP932");
    let (rows, errors) = read_all(&mut r);
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(rows[0].entry.name, "デイサービス戸山");
}

#[test]
fn the_service_comes_from_the_cell_or_the_file_name() {
    assert_eq!(
        service_from_file_name("dir/jigyosho_430.csv").as_deref(),
        Some("430")
    );
    assert_eq!(service_from_file_name("list.csv"), None);
    let mut cells = row("131041", "1393600018", "x", "");
    cells[6] = String::new();
    let text = csv_text(&HEADER, &[cells], "\n");
    let mut r = open(text.as_bytes(), EncodingChoice::Auto, "jigyosho_430.csv").unwrap();
    let (rows, _) = read_all(&mut r);
    assert_eq!(rows[0].entry.service_code, "43");
}

#[test]
fn malformed_utf8_after_the_sniff_is_an_error_not_garbage() {
    let mut bytes = csv_text(&HEADER, &[], "\n").into_bytes();
    bytes.extend(std::iter::repeat_n(b'a', SNIFF_BYTES));
    bytes.extend(b",\xFF\xFE\n");
    let mut r = open(bytes.as_slice(), EncodingChoice::Auto, "a.csv").unwrap();
    let (_, errors) = read_all(&mut r);
    assert_eq!(errors.len(), 1, "{errors:?}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    /// Whatever the cells hold (commas, quotes, line ends, kana), written as the
    /// national CSV and read back byte by byte, each row comes back as it was.
    #[test]
    fn rows_round_trip_through_the_reader(
        names in prop::collection::vec("[ァ-ヶ一-龥a-z0-9 ,\"\n]{1,12}", 1..6),
        crlf in any::<bool>(),
        bom in any::<bool>(),
    ) {
        let rows: Vec<Vec<String>> = names
            .iter()
            .map(|n| row("131041", "1393600018", n, "03-1111-2222"))
            .collect();
        let text = csv_text(&HEADER, &rows, if crlf { "\r\n" } else { "\n" });
        let bytes = if bom {
            [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat()
        } else {
            text.into_bytes()
        };
        let mut r = open(Trickle(&bytes), EncodingChoice::Auto, "780.csv").unwrap();
        let (got, errors) = read_all(&mut r);
        prop_assert!(errors.is_empty());
        let got: Vec<String> = got.into_iter().map(|r| r.entry.name).collect();
        let want: Vec<String> = names.iter().map(|n| n.trim().to_string()).collect();
        prop_assert_eq!(got, want);
    }
}
