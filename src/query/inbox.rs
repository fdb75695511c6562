//! Answers for the inbox screens (issue 14): the filtered list, the case view with its
//! decision preview, assignment.

use super::answer::transition_conflict;
use super::reply::Reply;
use super::request::Request;
use super::{CASE_LIST_CAP, DataContext};
use crate::jobs::formats::csv_out::{CsvEncoding, SheetWriter};
use crate::service::{self, ServiceError};
use crate::store::{inbox, is_interrupted};
use std::path::PathBuf;

/// Answers the inbox requests; `None` when a read was interrupted.
pub(super) fn answer(ctx: &mut DataContext, req: Request) -> Option<Reply> {
    let failed = |e: &dyn std::fmt::Display| Reply::Failed {
        what: "inbox",
        message: e.to_string(),
    };
    Some(match req {
        Request::InboxPage { generation, query } => {
            match inbox::list(ctx.store.conn(), &query, ctx.today, CASE_LIST_CAP) {
                Ok(page) => Reply::InboxPage { generation, page },
                Err(e) if is_interrupted(&e) => return None,
                Err(e) => failed(&e),
            }
        }
        Request::CaseDetail { id } => match case_detail(ctx, id) {
            Ok(Some(d)) => Reply::CaseDetail(Box::new(d)),
            Ok(None) => failed(&format!("application {id}")),
            Err(e) if is_interrupted(&e) => return None,
            Err(e) => failed(&e),
        },
        Request::AssignCase {
            id,
            version,
            assignee,
        } => match service::applications::assign(
            &mut ctx.store,
            &ctx.actor,
            id,
            version,
            assignee.as_deref(),
        ) {
            Ok(Ok(row)) => Reply::Transitioned(Box::new(row)),
            Ok(Err(conflict)) => transition_conflict(ctx, conflict.current),
            Err(ServiceError::Denied(d)) => Reply::SaveRefused { ja: d.ja, en: d.en },
            Err(e @ ServiceError::Invalid(_)) => Reply::SaveRefused {
                ja: e.message(true),
                en: e.message(false),
            },
            Err(e) => failed(&e),
        },
        Request::ExportInbox {
            query,
            path,
            encoding,
            overwrite,
        } => {
            if !overwrite && path.exists() {
                return Some(Reply::InboxExportExists {
                    query: Box::new(query),
                    path,
                    encoding,
                });
            }
            let result = export(ctx, &query, &path, encoding);
            super::export_file::reply(path, result)
        }
        _ => return None,
    })
}

/// The CSV's columns (the list's, plus both deadlines' flags).
pub const HEADER_JA: [&str; 14] = [
    "案件番号",
    "外部ID",
    "種類",
    "状態",
    "受付方法",
    "事業所番号",
    "事業所名",
    "申請者",
    "受付日",
    "届出期限",
    "届出遅延",
    "処理期限",
    "処理期限超過",
    "担当",
];

/// Writes every row matching `q` (not only the page shown) the way the ledger export
/// does: a private folder if new, the old file kept as `.bak`, written whole or not at
/// all, owner-only. Returns ((rows, unmappable characters), the backup).
fn export(
    ctx: &DataContext,
    q: &crate::domain::inbox::InboxQuery,
    path: &std::path::Path,
    encoding: CsvEncoding,
) -> crate::store::Result<(super::export_file::Written, Option<PathBuf>)> {
    let page = inbox::list(ctx.store.conn(), q, ctx.today, usize::MAX)?;
    super::export_file::write(path, |out| Ok(write_csv(&page.rows, out, encoding)?))
}

/// The rows as a spreadsheet (formula-escaped, in `encoding`).
pub fn write_csv(
    rows: &[crate::domain::inbox::InboxRow],
    out: impl std::io::Write,
    encoding: CsvEncoding,
) -> std::io::Result<(usize, usize)> {
    use crate::domain::wareki;
    let day = |d: Option<chrono::NaiveDate>| d.map(wareki::format_long).unwrap_or_default();
    let flag = |b: bool| if b { "はい" } else { "" };
    let mut w = SheetWriter::new(out, encoding)?;
    w.row(HEADER_JA)?;
    for r in rows {
        let id = r.id.to_string();
        let (received, filing, process) = (
            day(r.received_on),
            day(r.filing_due_on),
            day(r.process_due_on),
        );
        w.row([
            id.as_str(),
            r.external_id.as_deref().unwrap_or(""),
            r.kind.label_ja(),
            r.status.label_ja(),
            r.source.label_ja(),
            &r.provider_number,
            &r.facility_name,
            &r.applicant_name,
            &received,
            &filing,
            flag(r.filed_late),
            &process,
            flag(r.overdue),
            r.assignee.as_deref().unwrap_or(""),
        ])?;
    }
    Ok((rows.len(), w.finish()?))
}

/// The case view, with the preview the service would use (the ledger plan plus the
/// rules of other workflows, such as the 区外同意 gate).
fn case_detail(
    ctx: &DataContext,
    id: i64,
) -> crate::store::Result<Option<crate::domain::inbox::CaseDetail>> {
    let Some(mut d) = inbox::detail(ctx.store.conn(), id, ctx.today)? else {
        return Ok(None);
    };
    if let Ok(preview) = service::applications::decision_preview(ctx.store.conn(), id, None) {
        d.preview = preview;
    }
    Ok(Some(d))
}

/// The inbox's further asks (issue 14, items 3–6): who may be assigned, notes,
/// documents, letters. Reads and writes; writes go through `service`.
#[derive(Debug, Clone)]
pub enum InboxAsk {
    /// Reviewers and approvers who may be assigned a case.
    Staff,
    /// Add a note to case `id`'s thread.
    Note { id: i64, body: String },
    /// Mark a required document received on `on`, or missing (None).
    Document {
        id: i64,
        code: String,
        on: Option<chrono::NaiveDate>,
    },
    /// Write the letter for the case's status (結果通知書, 却下, 差戻し) into `dir`.
    Letter { id: i64, dir: PathBuf },
    /// Designations expiring within `months` months (更新案内).
    Renewals { months: u32 },
    /// Write the 更新案内 for these designations into `dir` and record them as sent.
    SendRenewals {
        ids: Vec<i64>,
        months: u32,
        dir: PathBuf,
    },
    /// The 公示 list of `month` as CSV and HTML into `dir`.
    PublicNotices {
        month: chrono::NaiveDate,
        dir: PathBuf,
    },
    /// Register a case keyed in from paper (受付).
    Intake(Box<service::intake::Intake>),
}

/// A designation whose period ends soon, as the 更新案内 list shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenewalLine {
    pub designation_id: i64,
    pub provider_number: String,
    pub facility_name: String,
    pub service_code: String,
    pub service_name: String,
    pub expires_on: chrono::NaiveDate,
    /// The day the notice should go out.
    pub notice_due_on: chrono::NaiveDate,
    /// When the notice for this period was recorded as sent.
    pub sent_on: Option<chrono::NaiveDate>,
}

/// Notices go out this many months before a designation ends (DESIGN: about 2).
pub const NOTICE_MONTHS: u32 = 2;

impl InboxAsk {
    pub fn is_write(&self) -> bool {
        !matches!(self, InboxAsk::Staff | InboxAsk::Renewals { .. })
    }
}

/// Answers to [`InboxAsk`].
#[derive(Debug, Clone)]
pub enum InboxDone {
    /// (staff id, display name) of everyone assignable.
    Staff(Vec<(String, String)>),
    /// A note was added to case `id`.
    Noted {
        id: i64,
    },
    /// A document of case `id` was marked.
    Document {
        id: i64,
        code: String,
        on: Option<chrono::NaiveDate>,
    },
    /// The letter of case `id` was written here.
    Letter {
        id: i64,
        html: PathBuf,
    },
    Renewals {
        months: u32,
        rows: Vec<RenewalLine>,
    },
    /// `count` 更新案内 were written (the first one here) and recorded as sent.
    RenewalsSent {
        count: usize,
        first: PathBuf,
    },
    /// A paper case was registered as case `id`.
    Intaken {
        id: i64,
    },
    /// The paper case was refused: the fields at fault.
    IntakeInvalid(Vec<crate::domain::validate::FieldError>),
    /// The month's 公示 list was written.
    PublicNotices {
        csv: PathBuf,
        html: PathBuf,
        rows: usize,
    },
}

/// A service refusal as the status line shows it.
fn refused(e: ServiceError) -> Reply {
    match e {
        ServiceError::Denied(d) => Reply::SaveRefused { ja: d.ja, en: d.en },
        other => Reply::SaveRefused {
            ja: other.message(true),
            en: other.message(false),
        },
    }
}

pub(super) fn answer_ask(ctx: &mut DataContext, ask: InboxAsk) -> Option<Reply> {
    if ask.is_write()
        && let Some(refused) = super::answer::refresh_actor(ctx)
    {
        return Some(refused);
    }
    let done = |d: InboxDone| Reply::InboxWork(Box::new(d));
    Some(match ask {
        InboxAsk::Staff => match inbox::assignable_staff(ctx.store.conn()) {
            Ok(staff) => done(InboxDone::Staff(staff)),
            Err(e) if is_interrupted(&e) => return None,
            Err(e) => Reply::Failed {
                what: "inbox",
                message: e.to_string(),
            },
        },
        InboxAsk::Note { id, body } => {
            match service::applications::add_note(&mut ctx.store, &ctx.actor, id, &body) {
                Ok(_) => done(InboxDone::Noted { id }),
                Err(e) => refused(e),
            }
        }
        InboxAsk::Document { id, code, on } => {
            match service::applications::set_document(&mut ctx.store, &ctx.actor, id, &code, on) {
                Ok(()) => done(InboxDone::Document { id, code, on }),
                Err(e) => refused(e),
            }
        }
        InboxAsk::Letter { id, dir } => {
            let today = ctx.today;
            match service::notices::write_case_letter(&mut ctx.store, &ctx.actor, id, &dir, today) {
                Ok(w) => done(InboxDone::Letter { id, html: w.html }),
                Err(e) => refused(e),
            }
        }
        InboxAsk::Renewals { months } => {
            let today = ctx.today;
            match crate::store::notices::renewals_due(
                ctx.store.conn(),
                today,
                months,
                NOTICE_MONTHS,
            ) {
                Ok(rows) => done(InboxDone::Renewals {
                    months,
                    rows: rows.into_iter().map(renewal_line).collect(),
                }),
                Err(e) if is_interrupted(&e) => return None,
                Err(e) => Reply::Failed {
                    what: "inbox",
                    message: e.to_string(),
                },
            }
        }
        InboxAsk::SendRenewals { ids, months, dir } => {
            let today = ctx.today;
            match service::notices::send_renewal_guidance(
                &mut ctx.store,
                &ctx.actor,
                &ids,
                months,
                &dir,
                today,
            ) {
                Ok(written) => done(InboxDone::RenewalsSent {
                    count: written.len(),
                    first: written.first().map(|w| w.html.clone()).unwrap_or(dir),
                }),
                Err(e) => refused(e),
            }
        }
        InboxAsk::Intake(case) => {
            let today = ctx.today;
            match service::intake::intake(&mut ctx.store, &ctx.actor, &case, today) {
                Ok(id) => done(InboxDone::Intaken { id }),
                Err(ServiceError::Invalid(errors)) => done(InboxDone::IntakeInvalid(errors)),
                Err(e) => refused(e),
            }
        }
        InboxAsk::PublicNotices { month, dir } => {
            let today = ctx.today;
            match service::notices::export_public_notices(&ctx.store, month, &dir, today) {
                Ok(x) => done(InboxDone::PublicNotices {
                    csv: x.csv,
                    html: x.html,
                    rows: x.rows,
                }),
                Err(e) => refused(e),
            }
        }
    })
}

fn renewal_line(d: crate::store::notices::RenewalDue) -> RenewalLine {
    RenewalLine {
        designation_id: d.designation_id,
        provider_number: d.provider_number,
        facility_name: d.facility_name,
        service_code: d.service_code,
        service_name: d.service_name,
        expires_on: d.expires_on,
        notice_due_on: d.notice_due_on,
        sent_on: d.sent_on,
    }
}
