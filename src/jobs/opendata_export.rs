//! `export-opendata`: the ward's provider list in the 自治体標準オープンデータセット
//! 「介護サービス事業所一覧」 schema — UTF-8 with BOM, CRLF, its column names in its
//! order — one row per active designation of the ward's active facilities, written to
//! `spool/outbox/<ward code>_kaigo_service_<YYYYMMDD>.csv` (never replacing a file).
//!
//! No personal data: the columns are the facility's public ones (name, kana, service,
//! address, phone, FAX, 法人番号 and 法人の名称, 事業所番号, 定員); managers, staff,
//! e-mail and representatives are never read.

use super::formats::csv_out::{CsvEncoding, SheetWriter};
use super::formats::private_file::PartialFile;
use super::runner::{Job, JobContext, JobError};
use super::spool::Spool;
use crate::domain::job::JobKind;
use crate::domain::opendata::national_services;
use crate::i18n::Lang;
use crate::store::opendata as store;
use std::collections::HashMap;
use std::path::PathBuf;

/// The standard's columns, in its order (required: 名称, 名称_カナ, 実施サービス, 住所,
/// 電話番号).
pub const COLUMNS: [&str; 24] = [
    "都道府県コード又は市区町村コード",
    "NO",
    "都道府県名",
    "市区町村名",
    "名称",
    "名称_カナ",
    "実施サービス",
    "住所",
    "方書",
    "緯度",
    "経度",
    "電話番号",
    "内線番号",
    "FAX番号",
    "法人番号",
    "法人の名称",
    "事業所番号",
    "利用可能曜日",
    "開始時間",
    "終了時間",
    "利用可能日時特記事項",
    "定員",
    "URL",
    "備考",
];

#[derive(Debug, Clone, Default)]
pub struct ExportOpenData {
    pub spool: Option<PathBuf>,
    pub dry_run: bool,
}

/// 都道府県名 of a municipality code (the ward's prefecture).
fn prefecture(code: &str) -> &'static str {
    match code.get(..2) {
        Some("13") => "東京都",
        _ => "",
    }
}

fn io_failed(lang: Lang, e: std::io::Error) -> JobError {
    JobError::Failed(format!(
        "{} {e}",
        lang.t(
            "オープンデータのファイルを書けません:",
            "cannot write the open data file:"
        )
    ))
}

impl Job for ExportOpenData {
    fn kind(&self) -> JobKind {
        JobKind::ExportOpenData
    }

    fn run(&mut self, ctx: &mut JobContext<'_>) -> Result<String, JobError> {
        let lang = ctx.lang();
        let ward = store::ward(ctx.conn())?;
        let entries = store::ledger_entries(ctx.conn(), &ward.code)?;
        ctx.set_total(entries.len() as i64);
        if self.dry_run {
            return Ok(lang
                .t(
                    &format!("（試行・書込なし）{} 件を書き出します", entries.len()),
                    &format!(
                        "(dry run, nothing written) {} rows would be written",
                        entries.len()
                    ),
                )
                .to_string());
        }
        // 実施サービス: the national name where the open data has the service, else the
        // ward's own name of it (介護予防支援, 総合事業 …).
        let mut names: HashMap<String, String> = store::service_names(ctx.conn())?;
        for s in national_services().into_iter().rev() {
            if let Some(first) = s.ledger.first() {
                names.insert(first.clone(), s.name);
            }
        }
        let spool = Spool::resolve(self.spool.as_deref(), ctx.db_path());
        spool.ensure().map_err(|e| io_failed(lang, e))?;
        let name = format!("{}_kaigo_service", ward.code);
        let mut part =
            PartialFile::create(&spool.outbox(), &name).map_err(|e| io_failed(lang, e))?;
        let mut out =
            SheetWriter::new(part.file(), CsvEncoding::Utf8Bom).map_err(|e| io_failed(lang, e))?;
        out.row(COLUMNS).map_err(|e| io_failed(lang, e))?;
        let pref = prefecture(&ward.code);
        for (i, (_, e)) in entries.iter().enumerate() {
            let no = (i + 1).to_string();
            let service = names.get(&e.service_code).map_or("", String::as_str);
            let cells: [&str; 24] = [
                &ward.code,
                &no,
                pref,
                &ward.name,
                &e.name,
                &e.kana,
                service,
                &e.address,
                "",
                "",
                "",
                &e.phone,
                "",
                &e.fax,
                &e.corporate_number,
                &e.corporation_name,
                &e.provider_number,
                "",
                "",
                "",
                "",
                &e.capacity,
                "",
                "",
            ];
            out.row(cells).map_err(|e| io_failed(lang, e))?;
            if (i + 1).is_multiple_of(ctx.batch_size()) {
                ctx.batch_done(i as i64 + 1, &no)?;
            }
        }
        out.finish().map_err(|e| io_failed(lang, e))?;
        let day = crate::cli::today().format("%Y%m%d");
        let path = part
            .persist_new(|n| match n {
                0 => format!("{name}_{day}.csv"),
                n => format!("{name}_{day}-{n}.csv"),
            })
            .map_err(|e| io_failed(lang, e))?;
        ctx.batch_done(entries.len() as i64, "")?;
        Ok(lang
            .t(
                &format!(
                    "{}の介護サービス事業所一覧 {} 件を {} に書き出しました",
                    ward.name,
                    entries.len(),
                    path.display()
                ),
                &format!(
                    "wrote {} rows of {}'s provider list to {}",
                    entries.len(),
                    ward.name,
                    path.display()
                ),
            )
            .to_string())
    }
}
