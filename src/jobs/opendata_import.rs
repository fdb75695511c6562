//! `import-opendata`: the national 介護サービス情報公表 CSVs (files given on the command
//! line, else every file in `spool/opendata/`), read as streams; the ward's rows of the
//! services the ward designates are kept and reconciled with the ledger, and the result
//! (kept rows and findings) replaces the last one in one audited transaction. The
//! ledger itself is never changed: staff decide on each finding in the reconciliation
//! view.

use super::formats::input::{EncodingChoice, FileError};
use super::formats::opendata::{self as codec, PublishedRow};
use super::runner::{Job, JobContext, JobError};
use super::spool::Spool;
use crate::domain::job::JobKind;
use crate::domain::opendata::{self, Entry, Reconciliation};
use crate::i18n::Lang;
use crate::store::opendata::{self as store, Finding, KeptRow};
use std::path::{Path, PathBuf};
use std::time::Instant;

#[derive(Debug, Clone, Default)]
pub struct ImportOpenData {
    pub files: Vec<PathBuf>,
    pub spool: Option<PathBuf>,
    pub dry_run: bool,
    pub encoding: EncodingChoice,
}

/// What a run read.
#[derive(Debug, Default)]
pub struct Tally {
    pub rows: usize,
    pub other_municipality: usize,
    pub not_ward_service: usize,
    pub row_errors: Vec<String>,
    pub warnings: Vec<String>,
}

/// The spool folder the job reads when no file is named.
pub fn folder(spool: &Spool) -> PathBuf {
    spool.root.join("opendata")
}

fn file_error(lang: Lang, path: &Path, e: &FileError) -> JobError {
    JobError::Failed(format!(
        "{} {}: {}",
        lang.t("公表データを読めません:", "cannot read the open data file"),
        path.display(),
        e.message(lang)
    ))
}

impl Job for ImportOpenData {
    fn kind(&self) -> JobKind {
        JobKind::ImportOpenData
    }

    fn run(&mut self, ctx: &mut JobContext<'_>) -> Result<String, JobError> {
        let lang = ctx.lang();
        let files = if self.files.is_empty() {
            let spool = Spool::resolve(self.spool.as_deref(), ctx.db_path());
            let dir = folder(&spool);
            Spool::waiting(&dir).map_err(|e| {
                JobError::Failed(format!(
                    "{} {}: {e}",
                    lang.t(
                        "公表データのフォルダを読めません:",
                        "cannot read the open data folder"
                    ),
                    dir.display()
                ))
            })?
        } else {
            self.files.clone()
        };
        if files.is_empty() {
            return Err(JobError::Failed(lang.t(
                "公表データのファイルがありません。spool/opendata/ に置くか、ファイル名を指定してください",
                "no open data file: put the CSVs in spool/opendata/ or name them",
            ).into()));
        }
        let total: u64 = files
            .iter()
            .map(|f| std::fs::metadata(f).map_or(0, |m| m.len()))
            .sum();
        ctx.set_total(total as i64);
        let ward = store::ward(ctx.conn())?;
        let mut tally = Tally::default();
        let mut kept: Vec<PublishedRow> = Vec::new();
        let mut base = 0u64;
        for path in &files {
            base += self.read_file(ctx, path, &ward.code, base, &mut kept, &mut tally)?;
        }
        let started = Instant::now();
        let ledger: Vec<(i64, Entry)> = store::ledger_entries(ctx.conn(), &ward.code)?
            .into_iter()
            .filter(|(_, e)| opendata::national_code(&e.service_code).is_some())
            .collect();
        let entries: Vec<Entry> = ledger.iter().map(|(_, e)| e.clone()).collect();
        let published: Vec<Entry> = kept.iter().map(|r| r.entry.clone()).collect();
        let rec = opendata::reconcile(&entries, &published);
        let findings = findings(&rec, &ledger, &kept);
        let took = started.elapsed();
        if !self.dry_run {
            let rows: Vec<KeptRow> = kept
                .into_iter()
                .map(|r| KeptRow {
                    line: r.line,
                    national_service: r.national_service,
                    entry: r.entry,
                })
                .collect();
            let actor = ctx.actor().clone();
            let job_id = ctx.job_id();
            crate::service::opendata::record_reconciliation(
                ctx.store(),
                &actor,
                job_id,
                &rows,
                &findings,
            )
            .map_err(|e| JobError::Failed(e.message(lang.is_ja())))?;
        }
        Ok(summary(lang, self.dry_run, &ward.name, &tally, &rec, took))
    }
}

impl ImportOpenData {
    /// Reads one file; returns its size (for progress across files).
    fn read_file(
        &self,
        ctx: &mut JobContext<'_>,
        path: &Path,
        ward: &str,
        base: u64,
        kept: &mut Vec<PublishedRow>,
        tally: &mut Tally,
    ) -> Result<u64, JobError> {
        let lang = ctx.lang();
        let file = std::fs::File::open(path)
            .map_err(|e| file_error(lang, path, &FileError::Io(e.to_string())))?;
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
        let name = name.unwrap_or_default();
        let mut reader = codec::open(std::io::BufReader::new(file), self.encoding, &name)
            .map_err(|e| file_error(lang, path, &e))?;
        tally.warnings.extend(
            reader
                .warnings
                .iter()
                .map(|w| format!("{name}: {}", w.message(lang))),
        );
        let batch = ctx.batch_size().max(1000);
        let mut n = 0usize;
        while let Some(row) = reader.next_row() {
            n += 1;
            match row {
                Err(e) => tally.row_errors.push(format!("{name} {}", e.message(lang))),
                Ok(r) if !codec::is_ward(&r.municipality, ward) => tally.other_municipality += 1,
                Ok(r) if r.entry.service_code.is_empty() => tally.not_ward_service += 1,
                Ok(r) => {
                    tally.rows += 1;
                    kept.push(r);
                }
            }
            if n.is_multiple_of(batch) {
                let done = base + reader.consumed();
                ctx.batch_done(done as i64, &format!("{name}:{n}"))?;
            }
        }
        let size = reader.consumed();
        ctx.batch_done((base + size) as i64, &format!("{name}:{n}"))?;
        Ok(size)
    }
}

/// The findings to store: differences, ledger-only, open-data-only and bad numbers.
pub fn findings(
    rec: &Reconciliation,
    ledger: &[(i64, Entry)],
    kept: &[PublishedRow],
) -> Vec<Finding> {
    let by_number: std::collections::HashMap<&str, (i64, &str)> = ledger
        .iter()
        .map(|(id, e)| (e.provider_number.as_str(), (*id, e.name.as_str())))
        .collect();
    let facility_of = |number: &str| {
        by_number
            .get(number)
            .map(|(id, name)| (*id, (*name).to_string()))
    };
    let mut out = Vec::new();
    for d in &rec.differences {
        let (id, name) = facility_of(&d.provider_number).unzip();
        out.push(Finding {
            kind: "difference".into(),
            facility_id: id,
            provider_number: d.provider_number.clone(),
            service_code: d.service_code.clone(),
            name: name.unwrap_or_default(),
            field: d.field.code().into(),
            ledger_value: d.ledger.clone(),
            opendata_value: d.opendata.clone(),
            ..Finding::default()
        });
    }
    for i in &rec.ledger_only {
        let (id, e) = &ledger[*i];
        out.push(Finding {
            kind: "ledger_only".into(),
            facility_id: Some(*id),
            provider_number: e.provider_number.clone(),
            service_code: e.service_code.clone(),
            name: e.name.clone(),
            ..Finding::default()
        });
    }
    for (kind, list) in [
        ("opendata_only", &rec.opendata_only),
        ("bad_number", &rec.bad_numbers),
    ] {
        for j in list {
            let r = &kept[*j];
            out.push(Finding {
                kind: kind.into(),
                provider_number: r.entry.provider_number.clone(),
                service_code: r.entry.service_code.clone(),
                name: r.entry.name.clone(),
                opendata_value: r
                    .bad_number
                    .as_ref()
                    .map(|(ja, _)| ja.clone())
                    .unwrap_or_default(),
                line: r.line as i64,
                ..Finding::default()
            });
        }
    }
    out
}

fn summary(
    lang: Lang,
    dry_run: bool,
    ward: &str,
    t: &Tally,
    rec: &Reconciliation,
    took: std::time::Duration,
) -> String {
    let ms = took.as_millis();
    let mut s = match lang {
        Lang::Ja => format!(
            "{}{ward}の公表 {} 件を照合（{ms} ms）: 相違 {} 件、台帳のみ {} 件、公表のみ {} 件、事業所番号の誤り {} 件。他の市区町村 {} 件・区の指定外のサービス {} 件は対象外、読めない行 {} 件",
            if dry_run {
                "（試行・書込なし）"
            } else {
                ""
            },
            t.rows,
            rec.differences.len(),
            rec.ledger_only.len(),
            rec.opendata_only.len(),
            rec.bad_numbers.len(),
            t.other_municipality,
            t.not_ward_service,
            t.row_errors.len()
        ),
        Lang::En => format!(
            "{}reconciled {} published rows of {ward} ({ms} ms): {} differences, {} only in the ledger, {} only in the open data, {} wrong provider numbers; {} rows of other municipalities and {} of services the ward does not designate skipped, {} unreadable rows",
            if dry_run {
                "(dry run, nothing written) "
            } else {
                ""
            },
            t.rows,
            rec.differences.len(),
            rec.ledger_only.len(),
            rec.opendata_only.len(),
            rec.bad_numbers.len(),
            t.other_municipality,
            t.not_ward_service,
            t.row_errors.len()
        ),
    };
    for line in t.warnings.iter().chain(t.row_errors.iter()).take(5) {
        s.push_str("\n  ");
        s.push_str(line);
    }
    s
}
