//! Answers for the inbox screens (issue 14): the filtered list, the case view with its
//! decision preview, assignment.

use super::answer::transition_conflict;
use super::reply::Reply;
use super::request::Request;
use super::{CASE_LIST_CAP, DataContext};
use crate::jobs::formats::csv_out::{CsvEncoding, SheetWriter};
use crate::jobs::formats::private_file;
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
            match export(ctx, &query, &path, encoding) {
                Ok(((rows, unmappable), backup)) => Reply::Exported {
                    path,
                    rows,
                    unmappable,
                    backup,
                },
                Err(e) => Reply::Failed {
                    what: "export",
                    message: format!("{}: {e}", path.display()),
                },
            }
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
) -> crate::store::Result<((usize, usize), Option<PathBuf>)> {
    use std::os::unix::fs::DirBuilderExt;
    if let Some(dir) = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty() && !d.exists())
    {
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)?;
    }
    let backup = if path.exists() {
        let mut b = path.as_os_str().to_owned();
        b.push(".bak");
        let b = PathBuf::from(b);
        std::fs::copy(path, &b)?;
        Some(b)
    } else {
        None
    };
    let page = inbox::list(ctx.store.conn(), q, ctx.today, usize::MAX)?;
    let written = private_file::write_atomically(path, |out| write_csv(&page.rows, out, encoding))?;
    Ok((written, backup))
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
