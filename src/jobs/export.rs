//! `export-lemscare` and `export-kokuhoren`: the queued `outbox` rows of one target as
//! one file in `spool/outbox/`, written atomically (temp, fsync, rename, fsync dir).
//!
//! Crash safety: the rows are first bound to a batch id (one transaction, which also
//! records the file name), then the file is written, then a second transaction marks
//! the rows sent. A run killed in between leaves a batch without `sent_at`; the next run
//! writes that same batch again (same rows, same name) before opening a new one, so no
//! row set goes out twice under two names. `--resend BATCH` writes a past batch again.
//!
//! What leaves is only what the codecs' record types carry (see `formats::lemscare`,
//! `formats::kokuhoren`): the records are built from the ledger at export time.

use super::formats::{kokuhoren, lemscare, private_file};
use super::runner::{Job, JobContext, JobError};
use super::spool::Spool;
use crate::domain::exchange::ChangeKind;
use crate::domain::job::JobKind;
use crate::i18n::Lang;
use crate::store::sync::{self as sync_store, ExportBatch, OutboxRow};
use crate::store::{cases, facilities, meta};
use chrono::Datelike;
use rusqlite::Connection;
use std::path::PathBuf;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Lemscare,
    Kokuhoren,
}

impl Target {
    pub fn code(self) -> &'static str {
        match self {
            Target::Lemscare => "lemscare",
            Target::Kokuhoren => "kokuhoren",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Export {
    pub target: Target,
    pub spool: Option<PathBuf>,
    pub dry_run: bool,
    pub resend: Option<String>,
}

/// The outbox row's `change_kind` (an application kind code) as a 異動区分.
fn change_of(kind: &str) -> ChangeKind {
    match kind {
        "new" => ChangeKind::New,
        "closure" | "withdrawal" => ChangeKind::End,
        _ => ChangeKind::Change,
    }
}

fn changed_on(row: &OutboxRow, today: chrono::NaiveDate) -> chrono::NaiveDate {
    chrono::DateTime::parse_from_rfc3339(&row.created_at)
        .map(|t| t.with_timezone(&chrono::Local).date_naive())
        .unwrap_or(today)
}

impl Job for Export {
    fn kind(&self) -> JobKind {
        match self.target {
            Target::Lemscare => JobKind::ExportLemscare,
            Target::Kokuhoren => JobKind::ExportKokuhoren,
        }
    }

    fn run(&mut self, ctx: &mut JobContext<'_>) -> Result<String, JobError> {
        let lang = ctx.lang();
        let target = self.target.code();
        let spool = Spool::resolve(self.spool.as_deref(), ctx.db_path());
        let fail = |what: (&str, &str), path: &std::path::Path, e: &dyn std::fmt::Display| {
            JobError::Failed(format!(
                "{} {}: {e}",
                lang.t(what.0, what.1),
                path.display()
            ))
        };
        if self.dry_run {
            let n = sync_store::queued(ctx.conn(), target)?;
            let pending = sync_store::unsent_batch(ctx.conn(), target)?;
            return Ok(match lang {
                Lang::Ja => format!(
                    "（試行・書込なし）送出待ち {n} 件{}",
                    pending.map_or(String::new(), |b| format!(
                        "、未確認のバッチ {} を再作成",
                        b.id
                    ))
                ),
                Lang::En => format!(
                    "(dry run, nothing written) {n} rows queued{}",
                    pending.map_or(String::new(), |b| format!(
                        "; unconfirmed batch {} would be written again",
                        b.id
                    ))
                ),
            });
        }
        spool.ensure().map_err(|e| {
            fail(
                ("スプールを作成できません:", "cannot create the spool"),
                &spool.root,
                &e,
            )
        })?;
        let actor = ctx.actor().clone();
        let job_id = ctx.job_id();
        let mut written = Vec::new();
        let batches: Vec<ExportBatch> = if let Some(id) = &self.resend {
            let b = sync_store::batch(ctx.conn(), id)?
                .filter(|b| b.target == target)
                .ok_or_else(|| {
                    JobError::Failed(match lang {
                        Lang::Ja => format!("{target} の送出バッチ {id} はありません。daicho sync status でバッチ名を確認してください"),
                        Lang::En => format!("there is no {target} export batch {id}; see daicho sync status for the batch names"),
                    })
                })?;
            vec![b]
        } else {
            let mut v: Vec<ExportBatch> = sync_store::unsent_batch(ctx.conn(), target)?
                .into_iter()
                .collect();
            if sync_store::queued(ctx.conn(), target)? > 0 {
                let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S");
                let id = format!("{stamp}-j{job_id}");
                let file_name = format!("{target}-{id}.csv");
                crate::service::sync::open_export_batch(
                    ctx.store(),
                    &actor,
                    target,
                    &id,
                    &file_name,
                    Some(job_id),
                )
                .map_err(|e| JobError::Failed(e.message(lang.is_ja())))?;
                v.extend(sync_store::batch(ctx.conn(), &id)?);
            }
            v
        };
        ctx.set_total(batches.len() as i64);
        let mut rows_out = 0;
        for (i, b) in batches.iter().enumerate() {
            let rows = sync_store::batch_rows(ctx.conn(), &b.id)?;
            let path = spool.outbox().join(&b.file_name);
            let n = match self.target {
                Target::Lemscare => {
                    let records = lemscare_records(ctx.conn(), &rows, ctx.today())?;
                    private_file::write_atomically_in(&path, lang, |w| lemscare::write(w, &records))
                        .map_err(|e| {
                            fail(
                                ("送出ファイルを書けません:", "cannot write the export file"),
                                &path,
                                &e,
                            )
                        })?
                }
                Target::Kokuhoren => {
                    let records = kokuhoren_records(ctx.conn(), &rows, ctx.today())?;
                    let control = control_info(ctx.conn(), job_id, lang, ctx.today())?;
                    private_file::write_atomically_in::<_, std::io::Error>(&path, lang, |w| {
                        kokuhoren::write(w, &control, &records)
                            .map_err(|e| std::io::Error::other(e.message(lang)))
                    })
                    .map_err(|e| {
                        fail(
                            ("送出ファイルを書けません:", "cannot write the export file"),
                            &path,
                            &e,
                        )
                    })?
                }
            };
            crate::service::sync::mark_batch_sent(ctx.store(), &actor, &b.id, job_id)
                .map_err(|e| JobError::Failed(e.message(lang.is_ja())))?;
            rows_out += n;
            written.push(path.display().to_string());
            ctx.batch_done(i as i64 + 1, &b.id)?;
        }
        Ok(if written.is_empty() {
            lang.t("送出待ちの変更はありません", "no changes are queued")
                .to_string()
        } else {
            match lang {
                Lang::Ja => format!("{rows_out} 件を書き出しました: {}", written.join(", ")),
                Lang::En => format!("{rows_out} records written: {}", written.join(", ")),
            }
        })
    }
}

struct Ledger {
    facility: crate::domain::model::Facility,
    corporation: Option<crate::domain::model::Corporation>,
    designations: Vec<crate::domain::model::Designation>,
}

fn ledger(conn: &Connection, row: &OutboxRow) -> Result<Option<Ledger>, JobError> {
    let Some(fid) = row.facility_id else {
        return Ok(None);
    };
    let Some(facility) = facilities::get(conn, fid)? else {
        return Ok(None);
    };
    let corporation = match facility.corporation_id {
        Some(c) => cases::corporation(conn, c)?,
        None => None,
    };
    let change = change_of(&row.change_kind);
    let designations = facilities::designations(conn, fid)?
        .into_iter()
        .filter(|d| d.active || change == ChangeKind::End)
        .collect();
    Ok(Some(Ledger {
        facility,
        corporation,
        designations,
    }))
}

fn lemscare_records(
    conn: &Connection,
    rows: &[OutboxRow],
    today: chrono::NaiveDate,
) -> Result<Vec<lemscare::ReflectRecord>, JobError> {
    let mut out = Vec::new();
    for row in rows {
        if let Some(l) = ledger(conn, row)? {
            out.extend(lemscare::records_from_ledger(
                &l.facility,
                l.corporation.as_ref(),
                &l.designations,
                change_of(&row.change_kind),
                changed_on(row, today),
            ));
        }
    }
    Ok(out)
}

fn kokuhoren_records(
    conn: &Connection,
    rows: &[OutboxRow],
    today: chrono::NaiveDate,
) -> Result<Vec<kokuhoren::IdoRecord>, JobError> {
    let mut out = Vec::new();
    for row in rows {
        if let Some(l) = ledger(conn, row)? {
            let staff = facilities::staff(conn, l.facility.id)?;
            out.extend(kokuhoren::records_from_ledger(
                &l.facility,
                l.corporation.as_ref(),
                &l.designations,
                &staff,
                change_of(&row.change_kind),
                changed_on(row, today),
            ));
        }
    }
    Ok(out)
}

/// The control record's settings: `kokuhoren.insurer_number` (保険者番号) and
/// `kokuhoren.data_kind` in `meta`; a demo database uses placeholders.
fn control_info(
    conn: &Connection,
    job_id: i64,
    lang: Lang,
    today: chrono::NaiveDate,
) -> Result<kokuhoren::ControlInfo, JobError> {
    let demo = meta::is_demo(conn)?;
    let setting = |key: &str, demo_value: &str| -> Result<String, JobError> {
        match meta::get(conn, key)? {
            Some(v) => Ok(v),
            None if demo => Ok(demo_value.to_string()),
            None => Err(JobError::Failed(match lang {
                Lang::Ja => {
                    format!("国保連の設定 {key} がありません。管理者に設定を依頼してください")
                }
                Lang::En => {
                    format!("the 国保連 setting {key} is missing; ask the administrator to set it")
                }
            })),
        }
    };
    Ok(kokuhoren::ControlInfo {
        volume: 1,
        data_kind: setting("kokuhoren.data_kind", "99")?,
        welfare_office: String::new(),
        insurer_number: setting("kokuhoren.insurer_number", "131045")?,
        provider_number: String::new(),
        prefecture: "13".into(),
        medium: "1".into(),
        target_month: (today.year(), today.month()),
        file_number: format!("{:04}", job_id % 10_000),
    })
}
