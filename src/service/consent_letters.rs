//! The letters of a consent case — 同意依頼書 (outgoing), 同意書 and 不同意の回答
//! (incoming) — rendered from `fixtures/templates/consent_*.j2` (HTML on the A4 base
//! and plain text), written 0600 without replacing a file, and recorded on the case
//! (`consent_document` + one audit record `consent.letter`).
//!
//! A letter carries the insured person's data in full: it is the document sent to the
//! other municipality. Writing one needs the consent-handling role and is audited.

use super::{ServiceError, Written};
use crate::domain::consent::{DEFAULT_REMINDER_DAYS, LetterKind};
use crate::domain::consent_view::ConsentDetail;
use crate::domain::permission::{Action, Actor, Provenance, authorize};
use crate::domain::wareki;
use crate::i18n::Lang;
use crate::letters::{self, LetterError, Rendered, Template};
use crate::store::consents as cs;
use crate::store::{Store, StoreError, audit};
use chrono::NaiveDate;
use serde::Serialize;
use std::path::Path;

pub const REQUEST: Template = Template {
    name: "consent_request",
    html: include_str!("../../fixtures/templates/consent_request.html.j2"),
    text: include_str!("../../fixtures/templates/consent_request.txt.j2"),
};
pub const CONSENT: Template = Template {
    name: "consent_given",
    html: include_str!("../../fixtures/templates/consent_given.html.j2"),
    text: include_str!("../../fixtures/templates/consent_given.txt.j2"),
};
pub const REFUSAL: Template = Template {
    name: "consent_refused",
    html: include_str!("../../fixtures/templates/consent_refused.html.j2"),
    text: include_str!("../../fixtures/templates/consent_refused.txt.j2"),
};

pub fn template(kind: LetterKind) -> &'static Template {
    match kind {
        LetterKind::Request => &REQUEST,
        LetterKind::Consent => &CONSENT,
        LetterKind::Refusal => &REFUSAL,
    }
}

/// Why a letter was not written.
#[derive(Debug, thiserror::Error)]
pub enum LetterFailure {
    #[error("{0}")]
    Service(#[from] ServiceError),
    #[error("{0}")]
    Letter(#[from] LetterError),
}

impl From<StoreError> for LetterFailure {
    fn from(e: StoreError) -> Self {
        LetterFailure::Service(e.into())
    }
}

impl LetterFailure {
    pub fn message(&self, lang: Lang) -> String {
        match self {
            LetterFailure::Service(e) => e.message(lang.is_ja()),
            LetterFailure::Letter(e) => e.message(lang),
        }
    }
}

#[derive(Serialize)]
struct PersonCtx {
    name: String,
    name_kana: String,
    insured_number: String,
    dob: String,
    sex: String,
    address: String,
    care_level: String,
    cert: String,
    service_start_on: String,
    reason: String,
}

#[derive(Serialize)]
struct Ctx {
    title: &'static str,
    date: String,
    ward: &'static str,
    municipality: String,
    document_ref: String,
    provider_number: String,
    facility_name: String,
    service: String,
    reason: String,
    reply_by: String,
    person: PersonCtx,
}

fn long(d: Option<NaiveDate>) -> String {
    d.map(wareki::format_long).unwrap_or_default()
}

fn context(
    conn: &rusqlite::Connection,
    kind: LetterKind,
    d: &ConsentDetail,
    on: NaiveDate,
) -> Result<Ctx, StoreError> {
    let p = &d.person;
    let service_name: Option<String> = conn
        .query_row(
            "SELECT name FROM ref_service_type WHERE code = ?1",
            [&d.row.service_code],
            |r| r.get(0),
        )
        .ok();
    let cert = match (p.cert_from, p.cert_to) {
        (Some(a), Some(b)) => format!("{} 〜 {}", wareki::format_long(a), wareki::format_long(b)),
        _ => String::new(),
    };
    // A letter written (or written again) after the recorded reminder date still asks
    // for an answer after its own date, never before it.
    let fresh = crate::domain::consent::reminder_on(on, DEFAULT_REMINDER_DAYS);
    let reply_by = d.row.due_on.filter(|due| *due > on).unwrap_or(fresh);
    Ok(Ctx {
        title: kind.label_ja(),
        date: wareki::format_long(on),
        ward: "新宿区",
        municipality: d.row.municipality_name.clone(),
        document_ref: d.row.document_ref.clone(),
        provider_number: d.row.provider_number.clone(),
        facility_name: d.row.facility_name.clone(),
        service: match service_name {
            Some(n) => format!("{} {n}", d.row.service_code),
            None => d.row.service_code.clone(),
        },
        reason: d.answer_reason.clone(),
        reply_by: wareki::format_long(reply_by),
        person: PersonCtx {
            name: p.name.clone(),
            name_kana: p.name_kana.clone(),
            insured_number: p.insured_number.clone(),
            dob: long(p.dob),
            sex: p.sex.clone(),
            address: p.address.clone(),
            care_level: crate::domain::consent::care_level_label(&p.care_level, true),
            cert,
            service_start_on: long(p.service_start_on),
            reason: p.reason.clone(),
        },
    })
}

/// Renders the letter `kind` of case `id` dated `on` (no file, no record).
pub fn render(
    store: &Store,
    id: i64,
    kind: LetterKind,
    on: NaiveDate,
) -> Result<Rendered, LetterFailure> {
    let d = cs::detail(store.conn(), id)?
        .ok_or_else(|| StoreError::NotFound(format!("consent {id}")))?;
    check_kind(&d, kind)?;
    let ctx = context(store.conn(), kind, &d, on)?;
    Ok(letters::render(template(kind), &ctx)?)
}

fn check_kind(d: &ConsentDetail, kind: LetterKind) -> Result<(), ServiceError> {
    if LetterKind::for_case(d.row.direction, d.row.status, d.row.outcome) == Some(kind) {
        return Ok(());
    }
    Err(super::invalid(
        "letter",
        &format!(
            "この同意案件（{}）では{}は作れません",
            d.row.status.label_ja(),
            kind.label_ja()
        ),
        &format!(
            "a {} cannot be made for this case ({})",
            kind.label_en(),
            d.row.status.label_en()
        ),
    ))
}

/// Writes the letter into `dir` (`同意依頼書-<id>.html/.txt`, never replacing a file)
/// and records it on the case. Needs the consent-handling role.
pub fn write_letter(
    store: &mut Store,
    actor: &Actor,
    id: i64,
    kind: LetterKind,
    dir: &Path,
    on: NaiveDate,
) -> Result<letters::Written, LetterFailure> {
    authorize(actor, Action::HandleConsent, &Provenance::default()).map_err(ServiceError::from)?;
    let rendered = render(store, id, kind, on)?;
    let stem = format!("{}-{id}", kind.label_ja());
    let written = letters::write(dir, &stem, &rendered)?;
    let (html, text) = (
        written.html.display().to_string(),
        written.text.display().to_string(),
    );
    super::keep_letters_if_recorded(std::slice::from_ref(&written), || {
        super::free_text("path", &html, super::privacy::MAX_PATH_CHARS, false)?;
        super::audited_write(store, |tx| {
            cs::insert_document(tx, id, kind, &html, &text, &actor.staff_id)?;
            Ok(Written::change(
                (),
                audit::Entry {
                    actor: actor.staff_id.clone(),
                    action: "consent.letter".into(),
                    object_type: "consent".into(),
                    object_id: id.to_string(),
                    fields: vec![kind.code().into()],
                    reason: format!("file={html}"),
                },
            ))
        })
    })?;
    Ok(written)
}
