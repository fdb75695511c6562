//! `consent-exchange`: 同意依頼 in 依頼済 not yet sent are written as one request file to
//! `spool/outbox/`; request and reply files in `spool/inbox/consent/` go into the consent
//! queue through `service::consents` (a reply moves its case to 同意 / 不同意; a request
//! becomes an incoming case whose document reference is the partner's request id, which
//! is how a re-run knows it). Files are idempotent by SHA-256 like the import's.

use super::formats::consent_exchange::{self as codec, ConsentFile, ConsentReply, ConsentRequest};
use super::formats::input::{EncodingChoice, FileError, sanitize_file_name};
use super::formats::private_file;
use super::runner::{Job, JobContext, JobError};
use super::spool::Spool;
use crate::domain::consent::{Direction, WARD_CODE};
use crate::domain::job::JobKind;
use crate::i18n::Lang;
use crate::service::consents::{self, IncomingInput};
use crate::store::sync::{self as sync_store, ImportedFile, QuarantineRow};
use crate::store::{consents as cs, facilities};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Default)]
pub struct ConsentExchange {
    pub spool: Option<PathBuf>,
    pub dry_run: bool,
    pub encoding: EncodingChoice,
}

/// The request id of our case `id` (the partner answers with it).
pub fn request_id(id: i64) -> String {
    format!("{WARD_CODE}-{id}")
}

fn our_case(request_id: &str) -> Option<i64> {
    request_id
        .strip_prefix(WARD_CODE)?
        .strip_prefix('-')?
        .parse()
        .ok()
}

fn failed(lang: Lang, what: (&str, &str), path: &Path, e: impl std::fmt::Display) -> JobError {
    JobError::Failed(format!(
        "{} {}: {e}",
        lang.t(what.0, what.1),
        path.display()
    ))
}

impl Job for ConsentExchange {
    fn kind(&self) -> JobKind {
        JobKind::ConsentExchange
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
        let sent = self.send_requests(ctx, &spool)?;
        let files = Spool::waiting(&spool.consent_inbox()).map_err(|e| {
            failed(
                lang,
                ("受信フォルダを読めません:", "cannot read the inbox folder"),
                &spool.consent_inbox(),
                e,
            )
        })?;
        ctx.set_total(files.len() as i64);
        let (mut taken, mut quarantined) = (0, 0);
        for (i, path) in files.iter().enumerate() {
            let (t, q) = self.one_file(ctx, &spool, path)?;
            taken += t;
            quarantined += q;
            ctx.batch_done(i as i64 + 1, &path.display().to_string())?;
        }
        let dry = if self.dry_run {
            lang.t("（試行・書込なし）", "(dry run, nothing written) ")
        } else {
            ""
        };
        Ok(match lang {
            Lang::Ja => format!(
                "{dry}同意依頼 {sent} 件を送出、受信ファイル {} 件から {taken} 件を取込、{quarantined} 件を隔離",
                files.len()
            ),
            Lang::En => format!(
                "{dry}{sent} consent requests written; {taken} entries taken from {} files, {quarantined} quarantined",
                files.len()
            ),
        })
    }
}

impl ConsentExchange {
    fn send_requests(&self, ctx: &mut JobContext<'_>, spool: &Spool) -> Result<usize, JobError> {
        let lang = ctx.lang();
        let ids = sync_store::unsent_consent_requests(ctx.conn())?;
        if ids.is_empty() || self.dry_run {
            return Ok(ids.len());
        }
        // The sender is the ward of the setting (`daicho settings ward`).
        let ward = crate::store::opendata::ward(ctx.conn())?;
        let mut requests = Vec::new();
        for id in &ids {
            let Some(d) = cs::detail(ctx.conn(), *id)? else {
                continue;
            };
            let p = &d.person;
            requests.push(ConsentRequest {
                request_id: request_id(*id),
                from_municipality: ward.code.clone(),
                to_municipality: d.row.municipality_code.clone(),
                requested_on: d.row.requested_on.unwrap_or(ctx.today()),
                reply_by: d.row.due_on,
                renewal: d.renewal_of.is_some(),
                provider_number: d.row.provider_number.clone(),
                facility_name: d.row.facility_name.clone(),
                service_code: d.row.service_code.clone(),
                insured_name: p.name.clone(),
                insured_name_kana: p.name_kana.clone(),
                sex: p.sex.clone(),
                care_level: p.care_level.clone(),
                insured_number: p.insured_number.clone(),
                insurer_number: p.insurer_number.clone(),
                dob: p.dob,
                address: p.address.clone(),
                certification_from: p.cert_from,
                certification_to: p.cert_to,
                service_start_on: p.service_start_on,
                reason: p.reason.clone(),
            });
        }
        let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S");
        let name = format!("consent-request-{stamp}-j{}.json", ctx.job_id());
        let path = spool.outbox().join(&name);
        private_file::write_atomically_in(&path, lang, |w| codec::write_requests(w, &requests))
            .map_err(|e| {
                failed(
                    lang,
                    ("送出ファイルを書けません:", "cannot write the export file"),
                    &path,
                    e,
                )
            })?;
        let actor = ctx.actor().clone();
        crate::service::sync::mark_consents_sent(ctx.store(), &actor, &ids, &name)
            .map_err(|e| JobError::Failed(e.message(lang.is_ja())))?;
        Ok(ids.len())
    }

    /// One file of `inbox/consent/`: (entries taken, rows quarantined).
    fn one_file(
        &self,
        ctx: &mut JobContext<'_>,
        spool: &Spool,
        path: &Path,
    ) -> Result<(usize, usize), JobError> {
        let lang = ctx.lang();
        let bytes = std::fs::read(path).map_err(|e| {
            failed(
                lang,
                ("ファイルを読めません:", "cannot read the file"),
                path,
                e,
            )
        })?;
        let sha: String = Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        let original = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let safe = format!("{}-{}", &sha[..12], sanitize_file_name(&original));
        if sync_store::is_imported(ctx.conn(), &sha)? {
            if !self.dry_run {
                Spool::move_into(path, &spool.done(), &safe).map_err(|e| {
                    failed(
                        lang,
                        ("ファイルを移動できません:", "cannot move the file"),
                        path,
                        e,
                    )
                })?;
            }
            return Ok((0, 0));
        }
        let mut q = Vec::new();
        let mut push = |line: usize, reason: String| {
            q.push(QuarantineRow {
                file_name: safe.clone(),
                file_sha256: sha.clone(),
                line: line as i64,
                reason,
                raw: String::new(),
            })
        };
        let mut taken = 0;
        let mut rows = 0;
        let mut whole = false;
        match codec::read(&bytes[..], self.encoding) {
            Err(e) => {
                whole = true;
                push(0, whole_file(&e, lang));
            }
            Ok(ConsentFile::Requests(o)) => {
                rows = o.records.len() + o.errors.len();
                for e in &o.errors {
                    push(e.row, e.message(lang));
                }
                for r in &o.records {
                    match self.take_request(ctx, r) {
                        Ok(true) => taken += 1,
                        Ok(false) => {}
                        Err((ja, en)) => push(0, lang_pick(lang, &r.request_id, ja, en)),
                    }
                }
            }
            Ok(ConsentFile::Replies(o)) => {
                rows = o.records.len() + o.errors.len();
                for e in &o.errors {
                    push(e.row, e.message(lang));
                }
                for r in &o.records {
                    match self.take_reply(ctx, r) {
                        Ok(true) => taken += 1,
                        Ok(false) => {}
                        Err((ja, en)) => push(0, lang_pick(lang, &r.request_id, ja, en)),
                    }
                }
            }
        }
        let n = q.len();
        if self.dry_run {
            return Ok((taken, n));
        }
        if !q.is_empty() {
            let reasons = spool.quarantine().join(format!("{safe}.reasons.txt"));
            private_file::write_atomically_in::<_, std::io::Error>(&reasons, lang, |w| {
                use std::io::Write;
                writeln!(
                    w,
                    "{} {}",
                    lang.t("元のファイル名:", "original file name:"),
                    original.escape_debug()
                )?;
                for r in &q {
                    writeln!(w, "{}", r.reason)?;
                }
                Ok(())
            })
            .map_err(|e| {
                failed(
                    lang,
                    ("理由ファイルを書けません:", "cannot write the reason file"),
                    &reasons,
                    e,
                )
            })?;
        }
        let record = ImportedFile {
            sha256: sha.clone(),
            file_name: safe.clone(),
            job_id: Some(ctx.job_id()),
            rows: rows as i64,
            imported: taken as i64,
            quarantined: n as i64,
        };
        let actor = ctx.actor().clone();
        crate::service::sync::record_import(ctx.store(), &actor, &record, &q)
            .map_err(|e| JobError::Failed(e.message(lang.is_ja())))?;
        let dir = if whole {
            spool.quarantine()
        } else {
            spool.done()
        };
        Spool::move_into(path, &dir, &safe).map_err(|e| {
            failed(
                lang,
                ("ファイルを移動できません:", "cannot move the file"),
                path,
                e,
            )
        })?;
        Ok((taken, n))
    }

    /// An incoming 同意依頼: a new incoming case, unless one with its id exists.
    fn take_request(
        &self,
        ctx: &mut JobContext<'_>,
        r: &ConsentRequest,
    ) -> Result<bool, (String, String)> {
        let store_err = |e: crate::store::StoreError| (e.to_string(), e.to_string());
        if sync_store::incoming_consent_by_ref(ctx.conn(), &r.request_id)
            .map_err(store_err)?
            .is_some()
        {
            return Ok(false);
        }
        let facility_id = facilities::id_by_provider_number(ctx.conn(), &r.provider_number)
            .map_err(store_err)?
            .ok_or_else(|| {
                (
                    format!(
                        "事業所番号 {} の事業所は台帳にありません",
                        r.provider_number
                    ),
                    format!(
                        "no facility with provider number {} is in the ledger",
                        r.provider_number
                    ),
                )
            })?;
        if self.dry_run {
            return Ok(true);
        }
        let input = IncomingInput {
            municipality_code: r.from_municipality.clone(),
            facility_id,
            service_code: r.service_code.clone(),
            received_on: Some(ctx.today()),
            document_ref: r.request_id.clone(),
            note: String::new(),
            person: crate::domain::consent::InsuredPerson {
                name: r.insured_name.clone(),
                name_kana: r.insured_name_kana.clone(),
                sex: r.sex.clone(),
                care_level: r.care_level.clone(),
                insured_number: r.insured_number.clone(),
                dob: r.dob,
                address: r.address.clone(),
                service_start_on: r.service_start_on,
                cert_from: r.certification_from,
                cert_to: r.certification_to,
                insurer_number: r.insurer_number.clone(),
                reason: r.reason.clone(),
                ..Default::default()
            },
        };
        let actor = ctx.actor().clone();
        consents::record_incoming(ctx.store(), &actor, &input)
            .map(|_| true)
            .map_err(|e| (e.message(true), e.message(false)))
    }

    /// A reply to one of our requests: the case moves to 同意 / 不同意 (once).
    fn take_reply(
        &self,
        ctx: &mut JobContext<'_>,
        r: &ConsentReply,
    ) -> Result<bool, (String, String)> {
        let unknown = || {
            (
                format!("依頼番号 {} はこの区の同意依頼ではありません", r.request_id),
                format!(
                    "request {} is not one of this ward's consent requests",
                    r.request_id
                ),
            )
        };
        let id = our_case(&r.request_id).ok_or_else(unknown)?;
        let row = cs::row(ctx.conn(), id)
            .map_err(|e| (e.to_string(), e.to_string()))?
            .filter(|row| row.direction == Direction::Outgoing)
            .ok_or_else(unknown)?;
        let to = r.decision.status();
        if row.status == to {
            return Ok(false);
        }
        if self.dry_run {
            return Ok(true);
        }
        let actor = ctx.actor().clone();
        match consents::transition(
            ctx.store(),
            &actor,
            id,
            row.version,
            to,
            &r.reason,
            r.replied_on,
        ) {
            Ok(Ok(_)) => Ok(true),
            Ok(Err(_)) => Err((
                "他の職員が同時に更新しました。もう一度実行してください".into(),
                "another user changed the case at the same time; run the job again".into(),
            )),
            Err(e) => Err((e.message(true), e.message(false))),
        }
    }
}

fn lang_pick(lang: Lang, id: &str, ja: String, en: String) -> String {
    match lang {
        Lang::Ja => format!("{id}: {ja}"),
        Lang::En => format!("{id}: {en}"),
    }
}

fn whole_file(e: &FileError, lang: Lang) -> String {
    match lang {
        Lang::Ja => format!("ファイル全体を隔離: {}", e.message(lang)),
        Lang::En => format!("whole file quarantined: {}", e.message(lang)),
    }
}
