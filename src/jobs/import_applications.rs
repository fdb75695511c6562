//! `import-applications`: every file in `spool/inbox/`, read with the e-application
//! codec and keyed in as 受付 through `service::sync`.
//!
//! Idempotent and resumable: a file whose SHA-256 is in `imported_file` is not read
//! again, and an application whose e-application id is already in the inbox is skipped,
//! so a run killed at any point and run again keys every application in exactly once.
//! Each application is its own short transaction; the file's record (its hash and its
//! quarantined rows) is one transaction at the end, written after the reason file and
//! before the file moves to `done/`.

use super::formats::eapp;
use super::formats::input::{self, EncodingChoice, FileError, sanitize_file_name};
use super::formats::private_file;
use super::runner::{Job, JobContext, JobError};
use super::spool::Spool;
use crate::domain::application::{ApplicationKind, ApplicationSource};
use crate::domain::exchange::IncomingApplication;
use crate::domain::job::JobKind;
use crate::domain::model::FacilityFields;
use crate::domain::payload::{
    AdditionPayload, CHANGEABLE_FIELDS, ChangePayload, ClosurePayload, ClosureType, FieldChange,
    NewPayload, Payload, Period, RenewalPayload, ResumptionPayload, WithdrawalPayload,
};
use crate::i18n::Lang;
use crate::service::intake::Intake;
use crate::store::sync::{ImportedFile, QuarantineRow};
use crate::store::{facilities, sync as sync_store};
use chrono::{Datelike, Months, NaiveDate};
use rusqlite::Connection;
use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Default)]
pub struct ImportApplications {
    pub spool: Option<PathBuf>,
    pub dry_run: bool,
    pub encoding: EncodingChoice,
}

/// What a run did, for its message.
#[derive(Debug, Default, Clone, Copy)]
struct Tally {
    files: usize,
    already: usize,
    imported: usize,
    skipped: usize,
    quarantined: usize,
}

fn failed(lang: Lang, what: (&str, &str), path: &Path, e: impl std::fmt::Display) -> JobError {
    JobError::Failed(format!(
        "{} {}: {e}",
        lang.t(what.0, what.1),
        path.display()
    ))
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

impl Job for ImportApplications {
    fn kind(&self) -> JobKind {
        JobKind::ImportApplications
    }

    fn run(&mut self, ctx: &mut JobContext<'_>) -> Result<String, JobError> {
        let lang = ctx.lang();
        let spool = Spool::resolve(self.spool.as_deref(), ctx.db_path());
        if !self.dry_run {
            spool.ensure().map_err(|e| {
                failed(
                    lang,
                    ("スプールを作成できません:", "cannot create the spool"),
                    &spool.root,
                    e,
                )
            })?;
        }
        let files = Spool::waiting(&spool.inbox()).map_err(|e| {
            failed(
                lang,
                ("受信フォルダを読めません:", "cannot read the inbox folder"),
                &spool.inbox(),
                e,
            )
        })?;
        ctx.set_total(files.len() as i64);
        let mut tally = Tally::default();
        for (i, path) in files.iter().enumerate() {
            self.one_file(ctx, &spool, path, &mut tally)?;
            ctx.batch_done(i as i64 + 1, &path.display().to_string())?;
        }
        let (ja, en) = (
            format!(
                "{}ファイル {} 件: 申請 {} 件を取込、{} 件は取込済み、{} 件を隔離、{} ファイルは取込済み（{}）",
                if self.dry_run {
                    "（試行・書込なし）"
                } else {
                    ""
                },
                tally.files,
                tally.imported,
                tally.skipped,
                tally.quarantined,
                tally.already,
                spool.root.display()
            ),
            format!(
                "{}{} files: {} applications imported, {} already present, {} quarantined, {} files imported before ({})",
                if self.dry_run {
                    "(dry run, nothing written) "
                } else {
                    ""
                },
                tally.files,
                tally.imported,
                tally.skipped,
                tally.quarantined,
                tally.already,
                spool.root.display()
            ),
        );
        Ok(lang.t(&ja, &en).to_string())
    }
}

impl ImportApplications {
    fn one_file(
        &self,
        ctx: &mut JobContext<'_>,
        spool: &Spool,
        path: &Path,
        tally: &mut Tally,
    ) -> Result<(), JobError> {
        let lang = ctx.lang();
        let cannot_read = ("ファイルを読めません:", "cannot read the file");
        let original = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        // Read within the limit; a larger file is refused whole.
        let file = std::fs::File::open(path).map_err(|e| failed(lang, cannot_read, path, e))?;
        let read = input::read_limited(file, input::MAX_FILE_BYTES);
        // A file over the limit is hashed as a stream, never held in memory.
        let (bytes, sha) = match &read {
            Ok(b) => (b.clone(), sha256_hex(b)),
            Err(_) => {
                let mut h = Sha256::new();
                std::fs::File::open(path)
                    .and_then(|mut f| std::io::copy(&mut f, &mut h))
                    .map_err(|e| failed(lang, cannot_read, path, e))?;
                let sha = h.finalize().iter().map(|b| format!("{b:02x}")).collect();
                (Vec::new(), sha)
            }
        };
        let safe = format!("{}-{}", &sha[..12], sanitize_file_name(&original));
        tally.files += 1;
        if sync_store::is_imported(ctx.conn(), &sha)? {
            tally.already += 1;
            if !self.dry_run {
                Spool::move_into(path, &spool.done(), &safe)
                    .map_err(|e| failed(lang, cannot_read, path, e))?;
            }
            return Ok(());
        }
        let outcome = read.and_then(|b| eapp::read(&b[..], self.encoding));
        let mut quarantined = Vec::new();
        let (rows, imported, target_dir) = match outcome {
            Err(e) => {
                quarantined.push(QuarantineRow {
                    file_name: safe.clone(),
                    file_sha256: sha.clone(),
                    line: 0,
                    reason: whole_file_reason(&e, lang),
                    raw: String::new(),
                });
                (0, 0, spool.quarantine())
            }
            Ok(outcome) => {
                for e in &outcome.errors {
                    quarantined.push(QuarantineRow {
                        file_name: safe.clone(),
                        file_sha256: sha.clone(),
                        line: e.row as i64,
                        reason: e.message(lang),
                        raw: String::new(),
                    });
                }
                let rows = outcome.records.len() + outcome.errors.len();
                let mut imported = 0;
                let today = ctx.today();
                let refuse = |app: &IncomingApplication, (ja, en): Refusal| QuarantineRow {
                    file_name: safe.clone(),
                    file_sha256: sha.clone(),
                    line: 0,
                    reason: match lang {
                        Lang::Ja => format!("申請 {}: {ja}", app.application_id),
                        Lang::En => format!("application {}: {en}", app.application_id),
                    },
                    raw: String::new(),
                };
                for (n, chunk) in outcome.records.chunks(ctx.batch_size()).enumerate() {
                    let mut cases = Vec::new();
                    for app in chunk {
                        if sync_store::has_external_id(ctx.conn(), &app.application_id)? {
                            tally.skipped += 1;
                            continue;
                        }
                        match to_intake(ctx.conn(), app) {
                            Ok(case) => cases.push((app, case)),
                            Err(r) => quarantined.push(refuse(app, r)),
                        }
                    }
                    if self.dry_run {
                        imported += cases.len();
                        continue;
                    }
                    let actor = ctx.actor().clone();
                    let only: Vec<_> = cases.iter().map(|(_, c)| c.clone()).collect();
                    let results = match crate::service::sync::import_applications(
                        ctx.store(),
                        &actor,
                        &only,
                        today,
                    ) {
                        Ok(r) => r,
                        // The batch failed as a whole: one by one, to find the culprit.
                        Err(_) => only
                            .iter()
                            .map(|c| {
                                crate::service::sync::import_application(
                                    ctx.store(),
                                    &actor,
                                    c,
                                    today,
                                )
                            })
                            .collect(),
                    };
                    for ((app, _), r) in cases.iter().zip(results) {
                        match r {
                            Ok(_) => imported += 1,
                            Err(e) => {
                                quarantined.push(refuse(app, (e.message(true), e.message(false))))
                            }
                        }
                    }
                    let done = tally.files as i64 - 1;
                    let at = (n + 1) * ctx.batch_size();
                    ctx.batch_done(done, &format!("{}:{at}", path.display()))?;
                }
                (rows, imported, spool.done())
            }
        };
        tally.imported += imported;
        tally.quarantined += quarantined.len();
        if self.dry_run {
            return Ok(());
        }
        if !quarantined.is_empty() {
            let reasons = spool.quarantine().join(format!("{safe}.reasons.txt"));
            write_reasons(&reasons, &original, &quarantined, lang).map_err(|e| {
                failed(
                    lang,
                    ("理由ファイルを書けません:", "cannot write the reason file"),
                    &reasons,
                    e,
                )
            })?;
            if target_dir == spool.done() {
                // The refused rows stay with their file for correction and re-sending.
                let copy = spool.quarantine().join(&safe);
                private_file::write_atomically_in::<_, std::io::Error>(&copy, lang, |w| {
                    w.write_all(&bytes)
                })
                .map_err(|e| {
                    failed(
                        lang,
                        (
                            "隔離ファイルを書けません:",
                            "cannot write the quarantined file",
                        ),
                        &copy,
                        e,
                    )
                })?;
            }
        }
        let record = ImportedFile {
            sha256: sha.clone(),
            file_name: safe.clone(),
            job_id: Some(ctx.job_id()),
            rows: rows as i64,
            imported: imported as i64,
            quarantined: quarantined.len() as i64,
        };
        let actor = ctx.actor().clone();
        crate::service::sync::record_import(ctx.store(), &actor, &record, &quarantined)
            .map_err(|e| JobError::Failed(e.message(lang.is_ja())))?;
        Spool::move_into(path, &target_dir, &safe).map_err(|e| {
            failed(
                lang,
                ("ファイルを移動できません:", "cannot move the file"),
                path,
                e,
            )
        })?;
        Ok(())
    }
}

fn whole_file_reason(e: &FileError, lang: Lang) -> String {
    match lang {
        Lang::Ja => format!("ファイル全体を隔離: {}", e.message(lang)),
        Lang::En => format!("whole file quarantined: {}", e.message(lang)),
    }
}

/// The reason file: one line per refused row — row, field, problem.
fn write_reasons(
    path: &Path,
    original: &str,
    rows: &[QuarantineRow],
    lang: Lang,
) -> std::io::Result<()> {
    private_file::write_atomically_in::<_, std::io::Error>(path, lang, |w| {
        writeln!(
            w,
            "{} {}",
            lang.t("元のファイル名:", "original file name:"),
            original.escape_debug()
        )?;
        for r in rows {
            writeln!(w, "{}", r.reason)?;
        }
        Ok(())
    })
}

type Refusal = (String, String);

fn refuse(ja: String, en: String) -> Refusal {
    (ja, en)
}

/// The intake an incoming application becomes. The export carries the facility as the
/// applicant describes it; what each kind needs beyond that comes from the ledger (a
/// change's differing fields, a renewal's current expiry) or from the submission date.
pub fn to_intake(conn: &Connection, app: &IncomingApplication) -> Result<Intake, Refusal> {
    let f = &app.facility;
    let on = app.submitted_on;
    let ledger = || -> Result<(crate::domain::model::Facility, Vec<_>), Refusal> {
        let id = facilities::id_by_provider_number(conn, &f.provider_number)
            .ok()
            .flatten()
            .and_then(|id| facilities::get(conn, id).ok().flatten())
            .ok_or_else(|| {
                refuse(
                    format!(
                        "事業所番号 {} の事業所は台帳にありません。番号を確認してください",
                        f.provider_number
                    ),
                    format!(
                        "no facility with provider number {} is in the ledger; check the number",
                        f.provider_number
                    ),
                )
            })?;
        let designations = facilities::designations(conn, id.id).unwrap_or_default();
        Ok((id, designations))
    };
    let payload = match app.kind {
        ApplicationKind::NewDesignation => Payload::New(NewPayload {
            facility: FacilityFields {
                provider_number: String::new(),
                name: f.name.clone(),
                name_kana: f.name_kana.clone(),
                postal_code: f.postal_code.clone(),
                address: f.address.clone(),
                town: String::new(),
                phone: f.phone.clone(),
                fax: f.fax.clone(),
                email: f.email.clone(),
                manager_name: f.manager_name.clone(),
            },
            service_code: f.service_code.clone(),
            effective_on: on,
            prefecture_notified_on: None,
        }),
        ApplicationKind::Change => {
            let (facility, _) = ledger()?;
            let asked = |field: &str| match field {
                "name" => &f.name,
                "name_kana" => &f.name_kana,
                "postal_code" => &f.postal_code,
                "address" => &f.address,
                "phone" => &f.phone,
                "fax" => &f.fax,
                "email" => &f.email,
                "manager_name" => &f.manager_name,
                _ => "",
            };
            let changes: Vec<FieldChange> = CHANGEABLE_FIELDS
                .iter()
                .filter(|field| {
                    let new = asked(field);
                    !new.is_empty() && new != facility.fields.get(field)
                })
                .map(|field| FieldChange {
                    field: (*field).into(),
                    before: String::new(),
                    after: asked(field).to_string(),
                })
                .collect();
            Payload::Change(ChangePayload {
                changed_on: on,
                changes,
            })
        }
        ApplicationKind::Renewal => {
            let (_, designations) = ledger()?;
            let d = designations
                .iter()
                .find(|d| d.active && d.service_code == f.service_code)
                .ok_or_else(|| {
                    refuse(
                        format!(
                            "事業所番号 {} にサービス種類 {} の指定がありません",
                            f.provider_number, f.service_code
                        ),
                        format!(
                            "provider number {} has no designation for service type {}",
                            f.provider_number, f.service_code
                        ),
                    )
                })?;
            let from = d.expires_on.succ_opt().unwrap_or(d.expires_on);
            let to = from
                .checked_add_months(Months::new(72))
                .and_then(|t| t.pred_opt())
                .unwrap_or(from);
            Payload::Renewal(RenewalPayload {
                service_code: f.service_code.clone(),
                current_expiry: d.expires_on,
                new_period: Period { from, to },
            })
        }
        ApplicationKind::Addition => Payload::Addition(AdditionPayload {
            service_code: f.service_code.clone(),
            effective_month: next_month(on),
            items: vec![format!(
                "電子申請 {} の添付書類のとおり",
                app.application_id
            )],
        }),
        ApplicationKind::ClosureOrSuspension => Payload::Closure(ClosurePayload {
            what: ClosureType::Closure,
            on,
            reason: String::new(),
        }),
        ApplicationKind::Resumption => Payload::Resumption(ResumptionPayload { resume_on: on }),
        ApplicationKind::Withdrawal => Payload::Withdrawal(WithdrawalPayload {
            service_code: f.service_code.clone(),
            on,
            reason: String::new(),
        }),
    };
    Ok(Intake {
        source: ApplicationSource::Electronic,
        external_id: Some(app.application_id.clone()),
        provider_number: f.provider_number.clone(),
        applicant_name: app.applicant.corporation_name.clone(),
        received_on: on,
        payload,
        documents: Vec::new(),
    })
}

fn next_month(d: NaiveDate) -> NaiveDate {
    let first = d.with_day(1).unwrap_or(d);
    first.checked_add_months(Months::new(1)).unwrap_or(first)
}
