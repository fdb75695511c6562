//! The LEMSCARE reflect file (東京都 cloud ledger): the facility records changed since
//! the last export, one row per service-type code.
//!
//! LEMSCARE publishes no import format, so this is daicho's own (version
//! [`FORMAT_VERSION`], documented in `docs/formats.md`) behind [`write`], the one thing
//! to replace when the real format is known. UTF-8 without BOM, CRLF, header row,
//! RFC 4180 quoting, no spreadsheet formula escaping (a machine reads it).
//!
//! What may leave: facility basics, the manager's name, the corporation, the
//! designations. [`ReflectRecord`] has no field for staff, 資格証, 運営推進会議構成員 or
//! anyone's address or date of birth.

use crate::domain::exchange::ChangeKind;
use crate::domain::model::{Corporation, Designation, Facility};
use chrono::NaiveDate;
use std::io::{self, Write};

pub const FORMAT_VERSION: &str = "1.0";

pub const HEADER: [&str; 19] = [
    "format_version",
    "change",
    "changed_on",
    "provider_number",
    "service_code",
    "designated_on",
    "expires_on",
    "ended_on",
    "facility_name",
    "facility_name_kana",
    "postal_code",
    "address",
    "phone",
    "fax",
    "municipality_code",
    "corporate_number",
    "corporation_name",
    "manager_name",
    "status",
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReflectRecord {
    pub change: ChangeKind,
    pub changed_on: NaiveDate,
    pub provider_number: String,
    pub service_code: String,
    pub designated_on: NaiveDate,
    pub expires_on: NaiveDate,
    pub ended_on: Option<NaiveDate>,
    pub facility_name: String,
    pub facility_name_kana: String,
    pub postal_code: String,
    pub address: String,
    pub phone: String,
    pub fax: String,
    pub municipality_code: String,
    pub corporate_number: String,
    pub corporation_name: String,
    pub manager_name: String,
    /// `active`, `suspended` or `closed`.
    pub status: &'static str,
}

/// The rows for one facility's approved change: one per designation given.
pub fn records_from_ledger(
    facility: &Facility,
    corporation: Option<&Corporation>,
    designations: &[Designation],
    change: ChangeKind,
    changed_on: NaiveDate,
) -> Vec<ReflectRecord> {
    let f = &facility.fields;
    designations
        .iter()
        .map(|d| ReflectRecord {
            change,
            changed_on,
            provider_number: f.provider_number.clone(),
            service_code: d.service_code.clone(),
            designated_on: d.designated_on,
            expires_on: d.expires_on,
            ended_on: (change == ChangeKind::End).then_some(changed_on),
            facility_name: f.name.clone(),
            facility_name_kana: f.name_kana.clone(),
            postal_code: f.postal_code.clone(),
            address: f.address.clone(),
            phone: f.phone.clone(),
            fax: f.fax.clone(),
            municipality_code: facility.municipality_code.clone(),
            corporate_number: corporation
                .and_then(|c| c.corporate_number.clone())
                .unwrap_or_default(),
            corporation_name: corporation.map(|c| c.name.clone()).unwrap_or_default(),
            manager_name: f.manager_name.clone(),
            status: facility.status.code(),
        })
        .collect()
}

fn iso(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// Writes the header and one row per record; returns the number of rows.
pub fn write(out: impl Write, records: &[ReflectRecord]) -> io::Result<usize> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(out);
    w.write_record(HEADER)?;
    for r in records {
        w.write_record([
            FORMAT_VERSION,
            r.change.code(),
            &iso(r.changed_on),
            &r.provider_number,
            &r.service_code,
            &iso(r.designated_on),
            &iso(r.expires_on),
            &r.ended_on.map(iso).unwrap_or_default(),
            &r.facility_name,
            &r.facility_name_kana,
            &r.postal_code,
            &r.address,
            &r.phone,
            &r.fax,
            &r.municipality_code,
            &r.corporate_number,
            &r.corporation_name,
            &r.manager_name,
            r.status,
        ])?;
    }
    w.flush()?;
    Ok(records.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_then_one_row_per_record_crlf() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        let r = ReflectRecord {
            change: ChangeKind::Change,
            changed_on: d(2024, 5, 1),
            provider_number: "1391400015".into(),
            service_code: "78".into(),
            designated_on: d(2024, 4, 1),
            expires_on: d(2030, 3, 31),
            ended_on: None,
            facility_name: "=デイ, \"西新宿\"".into(),
            facility_name_kana: String::new(),
            postal_code: "160-0023".into(),
            address: "東京都新宿区".into(),
            phone: "03-1234-5678".into(),
            fax: String::new(),
            municipality_code: "131041".into(),
            corporate_number: String::new(),
            corporation_name: "株式会社さくらケア".into(),
            manager_name: "山田 花子".into(),
            status: "active",
        };
        let mut out = Vec::new();
        assert_eq!(write(&mut out, &[r]).unwrap(), 1);
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.split_terminator("\r\n").collect();
        assert_eq!(lines[0], HEADER.join(","));
        assert!(
            lines[1].starts_with(
                "1.0,2,2024-05-01,1391400015,78,2024-04-01,2030-03-31,,\"=デイ, \"\"西新宿\"\"\","
            ),
            "{}",
            lines[1]
        );
        assert_eq!(lines.len(), 2);
    }
}
