//! The consent queue's writes beyond the workflow step (issue 15): creating an outgoing
//! (資料14-2) or incoming (資料14-3) case from the form, registering a municipality
//! typed once, and writing a letter. Writes go through `service::consents` and
//! `service::consent_letters`; facility numbers are looked up here, never in the TUI.

use crate::domain::consent::{Direction, InsuredPerson, LetterKind};
use crate::domain::consent_view::{ConsentListRow, PriorConsentRow};
use crate::domain::validate::FieldError;
use crate::query::DataContext;
use crate::query::reply::Reply;
use crate::service::consents::{self as sc, IncomingInput, OutgoingInput};
use crate::service::{ServiceError, consent_letters};
use crate::store::consents as cs;
use std::path::PathBuf;

/// What the create form sends: the fields as typed (trimmed), dates parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseDraft {
    pub direction: Direction,
    /// Outgoing only: the application the consent serves.
    pub application_id: Option<i64>,
    /// 事業所番号: the out-of-ward facility (outgoing) or the ward facility (incoming).
    pub provider_number: String,
    /// Outgoing without a facility in the ledger: its name.
    pub facility_name: String,
    /// 地方公共団体コード; outgoing may leave it blank to take the facility's.
    pub municipality_code: String,
    pub service_code: String,
    pub document_ref: String,
    pub person: InsuredPerson,
    /// A municipality not in the reference data: its name and reading, typed once.
    pub new_municipality: Option<(String, String)>,
}

/// A 事前同意 as the editor sends it: `id` none adds one; `version` is the one edited.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PriorDraft {
    pub id: Option<i64>,
    pub version: i64,
    pub municipality_code: String,
    pub direction: Option<Direction>,
    pub valid_from: Option<chrono::NaiveDate>,
    pub valid_to: Option<chrono::NaiveDate>,
    pub excluded_services: String,
    pub note: String,
    pub new_municipality: Option<(String, String)>,
}

/// A consent write other than a step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConsentWrite {
    Create(Box<CaseDraft>),
    /// Writes the letter of `kind` for case `id` into `dir` and records it.
    Letter {
        id: i64,
        kind: LetterKind,
        dir: PathBuf,
    },
    /// Adds or edits a 事前同意 (approver).
    Prior(Box<PriorDraft>),
    /// Links an outgoing case to an application (`None` unlinks).
    Link {
        id: i64,
        version: i64,
        application_id: Option<i64>,
    },
    /// The insured person stopped using the facility (not counted at renewal).
    EndUse {
        id: i64,
        version: i64,
    },
    /// Follow-up requests for the residents still using a renewed facility.
    Renewal {
        application_id: i64,
    },
    /// Days without an answer before a request is overdue (approver).
    ReminderDays(u32),
}

/// What a consent write came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConsentOutcome {
    Created(Box<ConsentListRow>),
    /// Refused fields (ja/en), shown under them; the form stays open.
    Refused(Vec<FieldError>),
    /// The code is valid but has no name on file: ask for it once.
    MunicipalityUnknown {
        code: String,
    },
    LetterWritten {
        id: i64,
        kind: LetterKind,
        html: String,
    },
    /// The letter could not be written (ja, en).
    LetterFailed {
        ja: String,
        en: String,
    },
    PriorSaved(Box<PriorConsentRow>),
    /// Someone saved the agreement first: it as stored now.
    PriorConflict(Box<PriorConsentRow>),
    Linked(Box<ConsentListRow>),
    UseEnded(Box<ConsentListRow>),
    /// The new requests' ids (none: nobody uses the facility, or all were made before).
    Renewed {
        application_id: i64,
        created: Vec<i64>,
    },
    ReminderDaysSet(u32),
}

pub fn answer(ctx: &mut DataContext, w: ConsentWrite) -> Reply {
    let outcome = match w {
        ConsentWrite::Create(draft) => create(ctx, &draft),
        ConsentWrite::Letter { id, kind, dir } => letter(ctx, id, kind, &dir),
        ConsentWrite::Prior(d) => prior(ctx, &d),
        ConsentWrite::Link {
            id,
            version,
            application_id,
        } => match sc::link_application(&mut ctx.store, &ctx.actor, id, version, application_id) {
            Ok(Ok(row)) => Ok(ConsentOutcome::Linked(Box::new(row))),
            Ok(Err(c)) => return super::conflict_reply(ctx, c.current),
            Err(e) => Err(e),
        },
        ConsentWrite::EndUse { id, version } => {
            let on = ctx.today;
            match sc::end_use(&mut ctx.store, &ctx.actor, id, version, on) {
                Ok(Ok(row)) => Ok(ConsentOutcome::UseEnded(Box::new(row))),
                Ok(Err(c)) => return super::conflict_reply(ctx, c.current),
                Err(e) => Err(e),
            }
        }
        ConsentWrite::ReminderDays(days) => sc::set_reminder_days(&mut ctx.store, &ctx.actor, days)
            .map(|()| ConsentOutcome::ReminderDaysSet(days)),
        ConsentWrite::Renewal { application_id } => {
            sc::create_renewal_requests(&mut ctx.store, &ctx.actor, application_id).map(|created| {
                ConsentOutcome::Renewed {
                    application_id,
                    created,
                }
            })
        }
    };
    match outcome {
        Ok(o) => Reply::ConsentDone(o),
        Err(ServiceError::Denied(d)) => Reply::SaveRefused { ja: d.ja, en: d.en },
        Err(ServiceError::Invalid(errs)) => Reply::ConsentDone(ConsentOutcome::Refused(errs)),
        // The one id typed by hand is the application's.
        Err(ServiceError::Store(crate::store::StoreError::NotFound(_))) => {
            Reply::ConsentDone(refused(
                "application_id",
                "その申請番号の申請は見つかりません。受付一覧の番号を確かめてください".into(),
                "no application has that number; check it in the inbox".into(),
            ))
        }
        Err(e) => Reply::Failed {
            what: "consent",
            message: e.message(true),
        },
    }
}

fn refused(field: &'static str, ja: String, en: String) -> ConsentOutcome {
    ConsentOutcome::Refused(vec![FieldError::new(field, ja, en)])
}

fn create(ctx: &mut DataContext, d: &CaseDraft) -> crate::service::Result<ConsentOutcome> {
    let conn = ctx.store.conn();
    let number = crate::domain::text::nfkc(d.provider_number.trim());
    let facility = if number.is_empty() {
        None
    } else {
        match crate::store::facilities::id_by_provider_number(conn, &number)? {
            Some(id) => crate::store::facilities::get(conn, id)?,
            None if d.direction == Direction::Outgoing && !d.facility_name.trim().is_empty() => {
                None
            }
            None => {
                return Ok(refused(
                    "provider_number",
                    format!("事業所番号 {number} は台帳にありません。番号を確かめてください"),
                    format!("provider number {number} is not in the ledger; check the number"),
                ));
            }
        }
    };
    let mut code = crate::domain::text::nfkc(d.municipality_code.trim());
    if code.is_empty() && d.direction == Direction::Outgoing {
        let from_app = match d.application_id {
            Some(app) => cs::application_facility(conn, app)?
                .and_then(|a| a.facility_id)
                .and_then(|fid| crate::store::facilities::get(conn, fid).ok().flatten()),
            None => None,
        };
        if let Some(f) = facility.as_ref().or(from_app.as_ref()) {
            code = f.municipality_code.clone();
        }
    }
    if code.is_empty() {
        return Ok(refused(
            "municipality_code",
            "相手先の地方公共団体コード（6桁）を入力してください".into(),
            "enter the other municipality's code (6 digits)".into(),
        ));
    }
    if let Some(ask) = ensure_municipality(ctx, &code, &d.new_municipality)? {
        return Ok(ask);
    }
    let row = match d.direction {
        Direction::Outgoing => sc::create_outgoing(
            &mut ctx.store,
            &ctx.actor,
            &OutgoingInput {
                application_id: d.application_id,
                facility_id: facility.as_ref().map(|f| f.id),
                municipality_code: code,
                provider_number: number,
                facility_name: d.facility_name.trim().to_string(),
                service_code: d.service_code.trim().to_string(),
                document_ref: d.document_ref.clone(),
                note: String::new(),
                person: d.person.clone(),
            },
        )?,
        Direction::Incoming => {
            let Some(f) = facility else {
                return Ok(refused(
                    "provider_number",
                    "区内の事業所の事業所番号（10桁）を入力してください".into(),
                    "enter the ward facility's provider number (10 digits)".into(),
                ));
            };
            sc::record_incoming(
                &mut ctx.store,
                &ctx.actor,
                &IncomingInput {
                    municipality_code: code,
                    facility_id: f.id,
                    service_code: d.service_code.trim().to_string(),
                    received_on: Some(ctx.today),
                    document_ref: d.document_ref.clone(),
                    note: String::new(),
                    person: d.person.clone(),
                },
            )?
        }
    };
    Ok(ConsentOutcome::Created(Box::new(row)))
}

fn letter(
    ctx: &mut DataContext,
    id: i64,
    kind: LetterKind,
    dir: &std::path::Path,
) -> crate::service::Result<ConsentOutcome> {
    let on = ctx.today;
    match consent_letters::write_letter(&mut ctx.store, &ctx.actor, id, kind, dir, on) {
        Ok(w) => Ok(ConsentOutcome::LetterWritten {
            id,
            kind,
            html: w.html.display().to_string(),
        }),
        Err(e) => {
            use crate::i18n::Lang;
            Ok(ConsentOutcome::LetterFailed {
                ja: e.message(Lang::Ja),
                en: e.message(Lang::En),
            })
        }
    }
}

/// A valid code with no name on file: registers the name typed (audited), or asks for
/// it. An invalid code is left to the service's own message.
fn ensure_municipality(
    ctx: &mut DataContext,
    code: &str,
    typed: &Option<(String, String)>,
) -> crate::service::Result<Option<ConsentOutcome>> {
    let valid = crate::domain::ids::validate_municipality_code(code).is_ok();
    if !valid || cs::municipality(ctx.store.conn(), code)?.is_some() {
        return Ok(None);
    }
    match typed {
        Some((name, kana)) => {
            sc::register_municipality(&mut ctx.store, &ctx.actor, code, name, kana)?;
            Ok(None)
        }
        None => Ok(Some(ConsentOutcome::MunicipalityUnknown {
            code: code.to_string(),
        })),
    }
}

fn prior(ctx: &mut DataContext, d: &PriorDraft) -> crate::service::Result<ConsentOutcome> {
    let code = crate::domain::text::nfkc(d.municipality_code.trim());
    // Only an approver may register rules: ask nothing of anyone else.
    crate::domain::permission::authorize(
        &ctx.actor,
        crate::domain::permission::Action::ManageConsentRules,
        &crate::domain::permission::Provenance::default(),
    )?;
    if let Some(ask) = ensure_municipality(ctx, &code, &d.new_municipality)? {
        return Ok(ask);
    }
    let input = sc::PriorInput {
        municipality_code: code,
        direction: d.direction,
        valid_from: d.valid_from,
        valid_to: d.valid_to,
        excluded_services: d.excluded_services.clone(),
        note: d.note.clone(),
    };
    Ok(match d.id {
        None => {
            ConsentOutcome::PriorSaved(Box::new(sc::add_prior(&mut ctx.store, &ctx.actor, &input)?))
        }
        Some(id) => match sc::update_prior(&mut ctx.store, &ctx.actor, id, d.version, &input)? {
            Ok(row) => ConsentOutcome::PriorSaved(Box::new(row)),
            Err(c) => ConsentOutcome::PriorConflict(Box::new(c.current)),
        },
    })
}
