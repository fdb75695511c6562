//! Letters and lists that leave the office: 結果通知書 / 却下通知書 / 差戻し通知書 for a
//! case (recorded on it), 更新案内 for expiring designations (recorded as sent), and the
//! month's 公示 list (CSV and HTML).

use super::{Result, ServiceError, Written};
use crate::domain::application::ApplicationStatus;
use crate::domain::decision::field_label;
use crate::domain::inbox::CaseLetter;
use crate::domain::permission::{Action, Actor, Provenance, authorize};
use crate::domain::wareki;
use crate::jobs::formats::csv_out::{CsvEncoding, SheetWriter};
use crate::jobs::formats::private_file::PartialFile;
use crate::letters::{self, LetterError, Template};
use crate::store::{Store, StoreError, audit, change_history, inbox, notices};
use chrono::NaiveDate;
use serde::Serialize;
use std::path::{Path, PathBuf};

pub const CASE_NOTICE: Template = Template {
    name: "case_notice",
    html: include_str!("../../fixtures/templates/case_notice.html.j2"),
    text: include_str!("../../fixtures/templates/case_notice.txt.j2"),
};

pub const RENEWAL_GUIDANCE: Template = Template {
    name: "renewal_guidance",
    html: include_str!("../../fixtures/templates/renewal_guidance.html.j2"),
    text: include_str!("../../fixtures/templates/renewal_guidance.txt.j2"),
};

pub const PUBLIC_NOTICES: Template = Template {
    name: "public_notices",
    html: include_str!("../../fixtures/templates/public_notices.html.j2"),
    text: include_str!("../../fixtures/templates/public_notices.txt.j2"),
};

/// The ward named in letters.
pub const WARD: &str = "新宿区";

fn letter_error(e: LetterError) -> ServiceError {
    match e {
        LetterError::Io(e) => ServiceError::Store(StoreError::Io(e)),
        other => ServiceError::Store(StoreError::Invalid(other.to_string())),
    }
}

#[derive(Serialize)]
struct ChangeLine {
    label: String,
    old: String,
    new: String,
}

#[derive(Serialize)]
struct CaseContext {
    title: &'static str,
    number: String,
    date: String,
    ward: &'static str,
    applicant: String,
    facility_name: String,
    provider_number: String,
    address: String,
    kind: &'static str,
    received_on: String,
    outcome: &'static str,
    outcome_sentence: &'static str,
    reason: String,
    changes: Vec<ChangeLine>,
}

/// Which letter a case in `status` gets: (file-name kind, title, outcome, sentence).
fn letter_for(
    status: ApplicationStatus,
) -> Option<(&'static str, &'static str, &'static str, &'static str)> {
    use ApplicationStatus::*;
    match status {
        Decided | Notified => Some((
            "result",
            "結果通知書",
            "決定（承認）",
            "審査の結果、次のとおり決定し台帳に反映しましたので通知します。",
        )),
        Rejected => Some((
            "rejection",
            "却下通知書",
            "却下",
            "審査の結果、次の理由により却下しましたので通知します。",
        )),
        Returned => Some((
            "return",
            "差戻し通知書",
            "差戻し（補正のお願い）",
            "次の理由により差し戻します。補正の上、再提出してください。",
        )),
        _ => None,
    }
}

/// Writes the letter for case `id` in its current status into `dir` (HTML for printing
/// and plain text, 0600, never replacing a file) and records the paths on the case.
pub fn write_case_letter(
    store: &mut Store,
    actor: &Actor,
    id: i64,
    dir: &Path,
    today: NaiveDate,
) -> Result<letters::Written> {
    authorize(actor, Action::ReviewApplication, &Provenance::default())?;
    let detail = inbox::detail(store.conn(), id, today)?
        .ok_or_else(|| StoreError::NotFound(format!("application {id}")))?;
    let row = &detail.row;
    let Some((kind, title, outcome, sentence)) = letter_for(row.status) else {
        return Err(super::invalid(
            "letter",
            &format!(
                "「{}」の申請には通知書がありません。決定・却下・差戻しの後に作成してください",
                row.status.label_ja()
            ),
            &format!(
                "a case that is {} has no letter; write one after a decision, rejection or return",
                row.status.label_en().to_lowercase()
            ),
        ));
    };
    let reason = detail
        .events
        .iter()
        .rev()
        .find(|e| {
            matches!(
                e.to,
                ApplicationStatus::Rejected | ApplicationStatus::Returned
            )
        })
        .filter(|_| {
            row.status != ApplicationStatus::Decided && row.status != ApplicationStatus::Notified
        })
        .map(|e| e.reason.clone())
        .unwrap_or_default();
    // The values the decision wrote (personal values are printed: the letter goes to
    // the facility itself).
    let changes = match row.facility_id {
        // Unmasked (`revealed`): the letter goes to the facility itself.
        Some(fid) if kind == "result" => change_history::list(store.conn(), fid, true, 200)?
            .into_iter()
            .filter(|c| c.cause.kind == "application" && c.cause.id == id.to_string())
            .rev()
            .map(|c| ChangeLine {
                label: field_label(&c.field, true),
                old: c.old_value.unwrap_or_else(|| "（なし）".into()),
                new: c.new_value.unwrap_or_else(|| "（なし）".into()),
            })
            .collect(),
        _ => Vec::new(),
    };
    let (facility_name, address) = match &detail.facility {
        Some(f) => (f.fields.name.clone(), f.fields.address.clone()),
        None => match &detail.payload {
            Ok(crate::domain::payload::Payload::New(p)) => {
                (p.facility.name.clone(), p.facility.address.clone())
            }
            _ => (row.facility_name.clone(), String::new()),
        },
    };
    let ctx = CaseContext {
        title,
        number: format!("新介指第{id}号"),
        date: wareki::format_long(today),
        ward: WARD,
        applicant: row.applicant_name.clone(),
        facility_name,
        provider_number: row.provider_number.clone(),
        address,
        kind: row.kind.label_ja(),
        received_on: row.received_on.map(wareki::format_long).unwrap_or_default(),
        outcome,
        outcome_sentence: sentence,
        reason,
        changes,
    };
    let rendered = letters::render(&CASE_NOTICE, &ctx).map_err(letter_error)?;
    let stem = format!("{title}-{id}-{}", row.provider_number);
    let written = letters::write(dir, &stem, &rendered).map_err(letter_error)?;
    let letter = CaseLetter {
        kind: kind.into(),
        html_path: written.html.display().to_string(),
        text_path: written.text.display().to_string(),
        at: crate::store::now_utc(),
        actor: actor.staff_id.clone(),
    };
    super::keep_letters_if_recorded(std::slice::from_ref(&written), || {
        super::audited_write(store, |tx| {
            inbox::record_letter(tx, id, &letter)?;
            Ok(Written::change(
                (),
                audit::Entry {
                    actor: actor.staff_id.clone(),
                    action: "application.letter".into(),
                    object_type: "application".into(),
                    object_id: id.to_string(),
                    fields: vec![format!("letter.{kind}")],
                    reason: String::new(),
                },
            ))
        })
    })?;
    Ok(written)
}

#[derive(Serialize)]
struct RenewalContext<'a> {
    title: &'static str,
    date: String,
    ward: &'static str,
    postal_code: &'a str,
    address: &'a str,
    facility_name: &'a str,
    provider_number: &'a str,
    service_code: &'a str,
    service_name: &'a str,
    expires_on: String,
}

/// Writes the 更新案内 for each selected designation (by id, from
/// `store::notices::renewals_due`) and records them as sent today, in one write with one
/// audit record: every id is checked before any letter is written. Returns the files.
pub fn send_renewal_guidance(
    store: &mut Store,
    actor: &Actor,
    designation_ids: &[i64],
    months: u32,
    dir: &Path,
    today: NaiveDate,
) -> Result<Vec<letters::Written>> {
    authorize(actor, Action::ReviewApplication, &Provenance::default())?;
    if designation_ids.is_empty() {
        return Err(super::invalid(
            "designation",
            "更新案内を送る指定が選ばれていません。一覧から指定を選んでください",
            "no designation is selected; choose the designations to send renewal guidance for",
        ));
    }
    let due = notices::renewals_due(store.conn(), today, months, 2)?;
    let mut selected = Vec::new();
    for id in designation_ids {
        let Some(d) = due.iter().find(|d| d.designation_id == *id) else {
            return Err(super::invalid(
                "designation",
                &format!("指定 {id} は{months}か月以内に満了する指定の一覧にありません"),
                &format!("designation {id} is not among those expiring within {months} months"),
            ));
        };
        if !selected
            .iter()
            .any(|s: &&notices::RenewalDue| s.designation_id == *id)
        {
            selected.push(d);
        }
    }
    let mut out = Vec::new();
    for d in &selected {
        let ctx = RenewalContext {
            title: "指定更新申請のご案内",
            date: wareki::format_long(today),
            ward: WARD,
            postal_code: &d.postal_code,
            address: &d.address,
            facility_name: &d.facility_name,
            provider_number: &d.provider_number,
            service_code: &d.service_code,
            service_name: &d.service_name,
            expires_on: wareki::format_long(d.expires_on),
        };
        let stem = format!("更新案内-{}-{}", d.provider_number, d.service_code);
        let written = letters::render(&RENEWAL_GUIDANCE, &ctx)
            .and_then(|rendered| letters::write(dir, &stem, &rendered))
            .map_err(letter_error);
        match written {
            Ok(w) => out.push(w),
            Err(e) => {
                // All or none: the letters already written would otherwise be unrecorded.
                out.iter().for_each(letters::Written::discard);
                return Err(e);
            }
        }
    }
    super::keep_letters_if_recorded(&out, || {
        super::audited_write(store, |tx| {
            for (d, written) in selected.iter().zip(&out) {
                let path = written.html.display().to_string();
                notices::record_renewal_notice(tx, d, today, &actor.staff_id, &path)?;
            }
            // One facility (the usual case) keeps the record on the facility's history.
            let mut facilities: Vec<i64> = selected.iter().map(|d| d.facility_id).collect();
            facilities.sort_unstable();
            facilities.dedup();
            let (object_type, object_id) = match facilities.as_slice() {
                [one] => ("facility", one.to_string()),
                _ => ("renewal_notice", today.to_string()),
            };
            Ok(Written::change(
                (),
                audit::Entry {
                    actor: actor.staff_id.clone(),
                    action: "designation.renewal_notice".into(),
                    object_type: object_type.into(),
                    object_id,
                    fields: selected
                        .iter()
                        .map(|d| {
                            format!(
                                "facility.{}.renewal_notice.{}",
                                d.facility_id, d.service_code
                            )
                        })
                        .collect(),
                    reason: String::new(),
                },
            ))
        })
    })?;
    Ok(out)
}

#[derive(Serialize)]
struct NoticeLine {
    kind: &'static str,
    provider_number: String,
    name: String,
    address: String,
    service: String,
    date: String,
}

#[derive(Serialize)]
struct NoticesContext {
    title: String,
    date: String,
    ward: &'static str,
    notices: Vec<NoticeLine>,
}

/// Where the 公示 export went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoticeExport {
    pub csv: PathBuf,
    pub html: PathBuf,
    pub text: PathBuf,
    pub rows: usize,
}

/// Writes the 公示 list of `month` into `dir` as CSV (UTF-8 with BOM) and printable
/// HTML plus text. Public information: not audited as a personal-data export.
pub fn export_public_notices(
    store: &Store,
    month: NaiveDate,
    dir: &Path,
    today: NaiveDate,
) -> Result<NoticeExport> {
    let list = notices::public_notices(store.conn(), month)?;
    let lines: Vec<NoticeLine> = list
        .iter()
        .map(|n| NoticeLine {
            kind: n.kind.label_ja(),
            provider_number: n.provider_number.clone(),
            name: n.name.clone(),
            address: n.address.clone(),
            service: format!("{} {}", n.service_code, n.service_name),
            date: n.effective_on.map(wareki::format_long).unwrap_or_default(),
        })
        .collect();
    let ym = month.format("%Y-%m").to_string();
    crate::store::private_fs::create_private_dir_all(dir).map_err(StoreError::Io)?;
    let mut part = PartialFile::create(dir, &format!("公示-{ym}.csv")).map_err(StoreError::Io)?;
    {
        let mut w = SheetWriter::new(part.file(), CsvEncoding::Utf8Bom).map_err(StoreError::Io)?;
        w.row([
            "区分",
            "事業所番号",
            "事業所名",
            "所在地",
            "サービス",
            "年月日",
        ])
        .map_err(StoreError::Io)?;
        for (n, l) in list.iter().zip(&lines) {
            let date = n.effective_on.map(|d| d.to_string()).unwrap_or_default();
            w.row([
                l.kind,
                &l.provider_number,
                &l.name,
                &l.address,
                &l.service,
                &date,
            ])
            .map_err(StoreError::Io)?;
        }
        w.finish().map_err(StoreError::Io)?;
    }
    let csv = part
        .persist_new(|n| {
            if n == 0 {
                format!("公示-{ym}.csv")
            } else {
                format!("公示-{ym}-{n}.csv")
            }
        })
        .map_err(StoreError::Io)?;
    let ctx = NoticesContext {
        title: format!("公示（{}）", month.format("%Y年%m月")),
        date: wareki::format_long(today),
        ward: WARD,
        notices: lines,
    };
    let rendered = letters::render(&PUBLIC_NOTICES, &ctx).map_err(letter_error)?;
    let written = letters::write(dir, &format!("公示-{ym}"), &rendered).map_err(letter_error)?;
    Ok(NoticeExport {
        csv,
        html: written.html,
        text: written.text,
        rows: list.len(),
    })
}

#[cfg(test)]
mod tests;
