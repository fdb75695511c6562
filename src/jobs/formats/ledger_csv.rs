//! The ledger list as a spreadsheet (`x` on the ledger screen, `daicho export ledger`).
//! Facility information only — the public 事業所 data, no personal fields.

use super::csv_out::{CsvEncoding, SheetWriter};
use crate::domain::wareki;
use crate::store::facilities::{self, ListQuery};
use crate::store::{Result, StoreError};
use std::io::Write;

pub const HEADER_JA: [&str; 9] = [
    "事業所番号",
    "事業所名",
    "サービス",
    "町名",
    "住所",
    "電話番号",
    "指定有効期限",
    "次回運営推進会議",
    "状態",
];

/// Streams the rows matching `q` into `out`; returns (rows, unmappable characters).
pub fn write(
    conn: &rusqlite::Connection,
    q: &ListQuery,
    out: impl Write,
    encoding: CsvEncoding,
) -> Result<(usize, usize)> {
    let mut w = SheetWriter::new(out, encoding)?;
    w.row(HEADER_JA)?;
    let mut failure = None;
    let n = facilities::for_each_row(conn, q, |row, address, phone| {
        let expiry = row.next_expiry.map(wareki::format_long).unwrap_or_default();
        let meeting = row
            .next_meeting_due
            .map(wareki::format_long)
            .unwrap_or_default();
        let r = w.row([
            row.provider_number.as_str(),
            &row.name,
            &row.services,
            &row.town,
            address,
            phone,
            &expiry,
            &meeting,
            row.status.label_ja(),
        ]);
        match r {
            Ok(()) => true,
            Err(e) => {
                failure = Some(e);
                false
            }
        }
    })?;
    if let Some(e) = failure {
        return Err(StoreError::Io(e));
    }
    let unmappable = w.finish()?;
    Ok((n, unmappable))
}
