//! 区外指定の同意: outgoing requests (資料14-2), incoming requests (14-3), the 事前同意
//! registry, municipalities typed by staff, renewal follow-ups and the decision gate.
//!
//! Every write: authorize → validate (free text through `check_free_text`) → write + one
//! audit record in one transaction (`audited_write`) → anchor. Cases are audited as
//! object type `consent` (the same id the reveal grant uses).

use super::{Result, ServiceError, Written, free_text, invalid};
use crate::domain::consent::{
    self, Blocker, ConsentStatus, DEFAULT_REMINDER_DAYS, Direction, InsuredPerson,
    MAX_REASON_CHARS, WARD_CODE, check_transition, validate_municipality_name,
};
use crate::domain::consent_view::{
    ConsentListRow, ConsentView, IncomingCheck, Municipality, PriorConsentRow,
};
use crate::domain::ids::{validate_municipality_code, validate_provider_number};
use crate::domain::permission::{Action, Actor, Provenance, authorize};
use crate::store::consents::{self as cs, NewRequest, PriorFields};
use crate::store::{Store, StoreError, audit, meta};
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::Connection;

/// `app_meta` key of the reminder setting (days without an answer before 督促).
pub const META_REMINDER_DAYS: &str = "consent.reminder_days";
/// Longest note or 文書番号, in characters.
pub const MAX_NOTE_CHARS: usize = 500;

/// The case as stored now, when someone else changed it first.
#[derive(Debug, Clone)]
pub struct Conflict {
    pub current: ConsentListRow,
}

fn entry(
    actor: &Actor,
    action: &str,
    object_type: &str,
    id: i64,
    fields: &[&str],
    reason: &str,
) -> audit::Entry {
    audit::Entry {
        actor: actor.staff_id.clone(),
        action: action.into(),
        object_type: object_type.into(),
        object_id: id.to_string(),
        fields: fields.iter().map(|s| s.to_string()).collect(),
        reason: reason.to_string(),
    }
}

fn handle(actor: &Actor) -> Result<()> {
    Ok(authorize(
        actor,
        Action::HandleConsent,
        &Provenance::default(),
    )?)
}

fn not_found(what: &str, id: i64) -> ServiceError {
    ServiceError::Store(StoreError::NotFound(format!("{what} {id}")))
}

// --- the gate ---

/// The one check point for deciding an application: `Some(blocker)` when it is a new
/// designation or renewal of an out-of-ward facility and consent is neither recorded nor
/// covered by a valid prior consent given to us for that service.
pub fn decision_blocker(conn: &Connection, application_id: i64) -> Result<Option<Blocker>> {
    let cs::ApplicationFacility {
        facility_id,
        kind,
        service_code: service,
        starts_on: on,
    } = cs::application_facility(conn, application_id)?
        .ok_or_else(|| not_found("application", application_id))?;
    if !matches!(kind.as_str(), "new" | "renewal") {
        return Ok(None);
    }
    let linked = cs::linked(conn, application_id)?;
    // The facility's municipality; for a new facility not yet in the ledger, the one the
    // linked request went to.
    let place = match facility_id {
        Some(f) => cs::facility_place(conn, f)?.map(|(code, _)| code),
        None => None,
    };
    let municipality = match (place, linked.first()) {
        (Some(code), _) => code,
        (None, Some(first)) => cs::row(conn, first.id)?
            .map(|r| r.municipality_code)
            .unwrap_or_default(),
        (None, None) => return Ok(None),
    };
    let prior: Vec<_> = cs::prior_with(conn, &municipality)?
        .iter()
        .map(PriorConsentRow::rule)
        .collect();
    let on = on.unwrap_or_else(|| Utc::now().date_naive());
    Ok(consent::decision_blocker(
        &municipality,
        &service,
        on,
        &prior,
        &linked,
    ))
}

// --- settings and municipalities ---

/// Days without an answer before a request is overdue (`app_meta`, default 14).
pub fn reminder_days(conn: &Connection) -> u32 {
    meta::get(conn, META_REMINDER_DAYS)
        .ok()
        .flatten()
        .and_then(|v| v.trim().parse::<u32>().ok())
        .filter(|d| (1..=180).contains(d))
        .unwrap_or(DEFAULT_REMINDER_DAYS)
}

/// Sets the reminder days (1–180): the approver's setting.
pub fn set_reminder_days(store: &mut Store, actor: &Actor, days: u32) -> Result<()> {
    authorize(actor, Action::ManageConsentRules, &Provenance::default())?;
    if !(1..=180).contains(&days) {
        return Err(invalid(
            "reminder_days",
            "督促までの日数は1〜180日です",
            "the reminder comes 1 to 180 days after the request",
        ));
    }
    super::audited_write(store, |tx| {
        meta::set(tx, META_REMINDER_DAYS, &days.to_string())?;
        Ok(Written::change(
            (),
            audit::Entry {
                actor: actor.staff_id.clone(),
                action: "settings.update".into(),
                object_type: "settings".into(),
                object_id: META_REMINDER_DAYS.into(),
                fields: vec![META_REMINDER_DAYS.into()],
                reason: days.to_string(),
            },
        ))
    })
}

fn code_error(e: crate::domain::ids::IdError) -> ServiceError {
    ServiceError::Invalid(vec![crate::domain::validate::FieldError::new(
        "municipality_code",
        e.message(true),
        e.message(false),
    )])
}

/// A known municipality for `code`: the check digit must be right, and the name must be
/// in the reference data or typed once before ([`register_municipality`]).
pub fn known_municipality(conn: &Connection, code: &str) -> Result<Municipality> {
    let code = crate::domain::text::nfkc(code.trim());
    validate_municipality_code(&code).map_err(code_error)?;
    cs::municipality(conn, &code)?.ok_or_else(|| {
        invalid(
            "municipality_code",
            &format!("地方公共団体コード {code} の市区町村名が未登録です。名称を一度入力して登録してください"),
            &format!("municipality {code} has no name on file yet; enter its name once to register it"),
        )
    })
}

/// Registers a municipality outside the reference data: a valid code, a validated name
/// (ending in 都道府県市区町村), an optional reading. Known codes are refused.
pub fn register_municipality(
    store: &mut Store,
    actor: &Actor,
    code: &str,
    name: &str,
    kana: &str,
) -> Result<Municipality> {
    handle(actor)?;
    let code = crate::domain::text::nfkc(code.trim());
    validate_municipality_code(&code).map_err(code_error)?;
    let name = validate_municipality_name(name).map_err(|e| ServiceError::Invalid(vec![e]))?;
    let kana = kana.trim();
    free_text("municipality_kana", kana, 40, false)?;
    if let Some(m) = cs::municipality(store.conn(), &code)? {
        return Err(invalid(
            "municipality_code",
            &format!(
                "地方公共団体コード {code} は「{}」として登録済みです",
                m.name
            ),
            &format!("municipality {code} is already on file as {}", m.name),
        ));
    }
    super::audited_write(store, |tx| {
        cs::insert_local_municipality(tx, &code, &name, kana, &actor.staff_id)?;
        Ok(Written::change(
            Municipality {
                code: code.clone(),
                name: name.clone(),
                kana: kana.to_string(),
                local: true,
            },
            audit::Entry {
                actor: actor.staff_id.clone(),
                action: "municipality.add".into(),
                object_type: "municipality".into(),
                object_id: code.clone(),
                fields: vec!["name".into(), "kana".into()],
                reason: String::new(),
            },
        ))
    })
}

// --- creating cases ---

/// An outgoing request (資料14-2): our resident, a facility in `municipality_code`.
#[derive(Debug, Clone, Default)]
pub struct OutgoingInput {
    /// The application this consent serves (its facility is used when given).
    pub application_id: Option<i64>,
    pub facility_id: Option<i64>,
    pub municipality_code: String,
    pub provider_number: String,
    pub facility_name: String,
    pub service_code: String,
    pub document_ref: String,
    pub note: String,
    /// 利用開始希望日 goes in `person.service_start_on`; 理由書 in `person.reason`.
    pub person: InsuredPerson,
}

/// An incoming request (資料14-3): another municipality's resident, a ward facility.
#[derive(Debug, Clone, Default)]
pub struct IncomingInput {
    pub municipality_code: String,
    pub facility_id: i64,
    pub service_code: String,
    /// The day the request arrived.
    pub received_on: Option<NaiveDate>,
    pub document_ref: String,
    pub note: String,
    pub person: InsuredPerson,
}

fn check_texts(document_ref: &str, note: &str) -> Result<()> {
    free_text("document_ref", document_ref, 60, false)?;
    free_text("note", note, MAX_NOTE_CHARS, true)
}

fn check_service(conn: &Connection, code: &str) -> Result<()> {
    if cs::service_known(conn, code)? {
        return Ok(());
    }
    Err(invalid(
        "service_code",
        &format!("サービス種類コード「{code}」は登録されていません（例 32, 78）"),
        &format!("service type code '{code}' is not known (e.g. 32, 78)"),
    ))
}

/// Creates an outgoing request as 作成中. With an application, the facility is the
/// application's and must lie in `municipality_code`, outside the ward.
pub fn create_outgoing(
    store: &mut Store,
    actor: &Actor,
    input: &OutgoingInput,
) -> Result<ConsentListRow> {
    handle(actor)?;
    let conn = store.conn();
    let m = known_municipality(conn, &input.municipality_code)?;
    if m.code == WARD_CODE {
        return Err(invalid(
            "municipality_code",
            "同意依頼の相手は区外の市区町村です（新宿区自身は指定できません）",
            "a consent request goes to another municipality, not the ward itself",
        ));
    }
    let person = input.person.validated().map_err(ServiceError::Invalid)?;
    born_in_the_past(&person)?;
    // The 理由書 is the heart of a 区外指定 request: the other municipality decides on it.
    if person.reason.trim().is_empty() {
        return Err(invalid(
            "reason",
            "理由書（この事業所を利用したい理由）を入力してください",
            "enter the reason (why the resident wants this facility)",
        ));
    }
    check_texts(&input.document_ref, &input.note)?;
    let mut facility_id = input.facility_id;
    let mut service = input.service_code.trim().to_string();
    if let Some(app) = input.application_id {
        let a =
            cs::application_facility(conn, app)?.ok_or_else(|| not_found("application", app))?;
        facility_id = a.facility_id.or(facility_id);
        if service.is_empty() {
            service = a.service_code;
        }
    }
    check_service(conn, &service)?;
    let (mut number, mut name) = (
        input.provider_number.trim().to_string(),
        input.facility_name.trim().to_string(),
    );
    if let Some(fid) = facility_id {
        let f =
            crate::store::facilities::get(conn, fid)?.ok_or_else(|| not_found("facility", fid))?;
        if f.municipality_code != m.code {
            return Err(invalid(
                "municipality_code",
                &format!(
                    "事業所「{}」の所在地（地方公共団体コード {}）と依頼先 {} が違います",
                    f.fields.name, f.municipality_code, m.code
                ),
                &format!(
                    "facility {} lies in municipality {}, not {}",
                    f.fields.name, f.municipality_code, m.code
                ),
            ));
        }
        number = f.fields.provider_number;
        name = f.fields.name;
    }
    if !number.is_empty() {
        validate_provider_number(&number)
            .map_err(|e| invalid("provider_number", &e.message(true), &e.message(false)))?;
    }
    free_text("facility_name", &name, 200, false)?;
    if name.is_empty() {
        return Err(invalid(
            "facility_name",
            "事業所名を入力してください",
            "enter the facility name",
        ));
    }
    let today = Utc::now().date_naive();
    super::audited_write(store, |tx| {
        let id = cs::insert_request(
            tx,
            &NewRequest {
                direction: Direction::Outgoing,
                status: ConsentStatus::Draft,
                municipality_code: &m.code,
                facility_id,
                provider_number: &number,
                facility_name: &name,
                service_code: &service,
                requested_on: today,
                due_on: None,
                document_ref: input.document_ref.trim(),
                note: input.note.trim(),
                application_id: input.application_id,
                renewal_of: None,
                person: &person,
                actor: &actor.staff_id,
            },
        )?;
        let row = cs::row(tx, id)?.ok_or_else(|| not_found("consent", id))?;
        Ok(Written::change(
            row,
            entry(
                actor,
                "consent.create",
                "consent",
                id,
                &["direction", "insured_person"],
                "outgoing",
            ),
        ))
    })
}

/// Records an incoming request as 受付. The facility must be a ward facility; the rest
/// of the check is [`check_incoming`], shown before answering.
/// A birth date after today is a typing slip (R10 for S10, say).
fn born_in_the_past(p: &crate::domain::consent::InsuredPerson) -> Result<()> {
    match p.dob {
        Some(d) if d > crate::clock::today() => Err(invalid(
            "dob",
            &format!("生年月日 {d} が今日より後になっています。元号と年を確かめてください"),
            &format!("the date of birth {d} is after today; check the era and the year"),
        )),
        _ => Ok(()),
    }
}

pub fn record_incoming(
    store: &mut Store,
    actor: &Actor,
    input: &IncomingInput,
) -> Result<ConsentListRow> {
    handle(actor)?;
    let conn = store.conn();
    let m = known_municipality(conn, &input.municipality_code)?;
    if m.code == WARD_CODE {
        return Err(invalid(
            "municipality_code",
            "依頼元は区外の市区町村です",
            "an incoming request comes from another municipality",
        ));
    }
    let person = input.person.validated().map_err(ServiceError::Invalid)?;
    born_in_the_past(&person)?;
    check_texts(&input.document_ref, &input.note)?;
    let service = input.service_code.trim().to_string();
    check_service(conn, &service)?;
    let f = crate::store::facilities::get(conn, input.facility_id)?
        .ok_or_else(|| not_found("facility", input.facility_id))?;
    if f.municipality_code != WARD_CODE {
        return Err(invalid(
            "facility_id",
            &format!("事業所「{}」は区内の事業所ではありません", f.fields.name),
            &format!("facility {} is not in the ward", f.fields.name),
        ));
    }
    let received = input.received_on.unwrap_or_else(|| Utc::now().date_naive());
    super::audited_write(store, |tx| {
        let id = cs::insert_request(
            tx,
            &NewRequest {
                direction: Direction::Incoming,
                status: ConsentStatus::Received,
                municipality_code: &m.code,
                facility_id: Some(f.id),
                provider_number: &f.fields.provider_number,
                facility_name: &f.fields.name,
                service_code: &service,
                requested_on: received,
                due_on: None,
                document_ref: input.document_ref.trim(),
                note: input.note.trim(),
                application_id: None,
                renewal_of: None,
                person: &person,
                actor: &actor.staff_id,
            },
        )?;
        let row = cs::row(tx, id)?.ok_or_else(|| not_found("consent", id))?;
        Ok(Written::change(
            row,
            entry(
                actor,
                "consent.create",
                "consent",
                id,
                &["direction", "insured_person"],
                "incoming",
            ),
        ))
    })
}

// --- steps ---

fn versioned<T>(
    result: std::result::Result<T, StoreError>,
    tx: &Connection,
    id: i64,
) -> Result<std::result::Result<T, Conflict>> {
    match result {
        Ok(v) => Ok(Ok(v)),
        Err(StoreError::Conflict { .. }) => {
            let current = cs::row(tx, id)?.ok_or_else(|| not_found("consent", id))?;
            Ok(Err(Conflict { current }))
        }
        Err(e) => Err(e.into()),
    }
}

/// Moves a case to `to` on `on` (the date of the letter or answer). 依頼済 sets the
/// reminder date from [`reminder_days`]; 同意/不同意/事前同意 keep the outcome; 不同意 and
/// 取下げ need a reason. A stale `expected_version` returns the stored row, unchanged.
pub fn transition(
    store: &mut Store,
    actor: &Actor,
    id: i64,
    expected_version: i64,
    to: ConsentStatus,
    reason: &str,
    on: NaiveDate,
) -> Result<std::result::Result<ConsentListRow, Conflict>> {
    handle(actor)?;
    let reason = reason.trim();
    free_text("reason", reason, MAX_REASON_CHARS, true)?;
    let current = cs::row(store.conn(), id)?.ok_or_else(|| not_found("consent", id))?;
    if current.version == expected_version {
        check_transition(current.direction, current.status, to, reason)
            .map_err(|e| invalid("status", &e.message(true), &e.message(false)))?;
    }
    let due = (to == ConsentStatus::Requested)
        .then(|| consent::reminder_on(on, reminder_days(store.conn())));
    super::audited_write(store, |tx| {
        let r = cs::set_status(
            tx,
            id,
            expected_version,
            current.status,
            to,
            reason,
            on,
            due,
            &actor.staff_id,
        );
        match versioned(r, tx, id)? {
            Err(c) => Ok(Written::unchanged(Err(c))),
            Ok(_) => {
                let row = cs::row(tx, id)?.ok_or_else(|| not_found("consent", id))?;
                Ok(Written::change(
                    Ok(row),
                    entry(
                        actor,
                        &format!("consent.{}", to.code()),
                        "consent",
                        id,
                        &["status"],
                        reason,
                    ),
                ))
            }
        }
    })
}

/// Links an outgoing case to the application it serves (or unlinks with `None`).
pub fn link_application(
    store: &mut Store,
    actor: &Actor,
    id: i64,
    expected_version: i64,
    application_id: Option<i64>,
) -> Result<std::result::Result<ConsentListRow, Conflict>> {
    handle(actor)?;
    let current = cs::row(store.conn(), id)?.ok_or_else(|| not_found("consent", id))?;
    if current.direction != Direction::Outgoing {
        return Err(invalid(
            "application_id",
            "申請に結び付けられるのは区外への同意依頼だけです",
            "only outgoing requests serve an application",
        ));
    }
    if let Some(app) = application_id {
        let fid = cs::application_facility(store.conn(), app)?
            .ok_or_else(|| not_found("application", app))?
            .facility_id;
        if current.facility_id.is_some() && fid.is_some() && fid != current.facility_id {
            return Err(invalid(
                "application_id",
                "申請の事業所と同意依頼の事業所が違います",
                "the application is about another facility than the consent request",
            ));
        }
    }
    super::audited_write(store, |tx| {
        match versioned(
            cs::set_application(tx, id, expected_version, application_id),
            tx,
            id,
        )? {
            Err(c) => Ok(Written::unchanged(Err(c))),
            Ok(_) => {
                let row = cs::row(tx, id)?.ok_or_else(|| not_found("consent", id))?;
                let why = application_id
                    .map(|a| format!("application {a}"))
                    .unwrap_or_default();
                Ok(Written::change(
                    Ok(row),
                    entry(
                        actor,
                        "consent.link",
                        "consent",
                        id,
                        &["application_id"],
                        &why,
                    ),
                ))
            }
        }
    })
}

/// Records that the insured person stopped using the facility (not counted at renewal).
pub fn end_use(
    store: &mut Store,
    actor: &Actor,
    id: i64,
    expected_version: i64,
    on: NaiveDate,
) -> Result<std::result::Result<ConsentListRow, Conflict>> {
    handle(actor)?;
    super::audited_write(store, |tx| {
        match versioned(cs::set_use_ended(tx, id, expected_version, on), tx, id)? {
            Err(c) => Ok(Written::unchanged(Err(c))),
            Ok(_) => {
                let row = cs::row(tx, id)?.ok_or_else(|| not_found("consent", id))?;
                Ok(Written::change(
                    Ok(row),
                    entry(
                        actor,
                        "consent.end_use",
                        "consent",
                        id,
                        &["use_ended_on"],
                        "",
                    ),
                ))
            }
        }
    })
}

/// Renewal of an out-of-ward facility's designation: a new 作成中 request, linked to the
/// renewal application, for each resident still using the facility (granted consent,
/// use not ended on the renewal date). Runs once per earlier consent; returns the new ids.
pub fn create_renewal_requests(
    store: &mut Store,
    actor: &Actor,
    application_id: i64,
) -> Result<Vec<i64>> {
    handle(actor)?;
    let conn = store.conn();
    let cs::ApplicationFacility {
        facility_id: fid,
        kind,
        starts_on: on,
        ..
    } = cs::application_facility(conn, application_id)?
        .ok_or_else(|| not_found("application", application_id))?;
    if kind != "renewal" {
        return Err(invalid(
            "application_id",
            "同意依頼を作り直すのは指定更新申請のときだけです",
            "follow-up consent requests are for a renewal application only",
        ));
    }
    let Some(fid) = fid else {
        return Ok(Vec::new());
    };
    let on = on.unwrap_or_else(|| Utc::now().date_naive());
    let done = cs::renewed_for(conn, application_id)?;
    let users: Vec<i64> = cs::current_users(conn, fid, on)?
        .into_iter()
        .filter(|id| !done.contains(id))
        .collect();
    if users.is_empty() {
        return Ok(Vec::new());
    }
    let today = Utc::now().date_naive();
    super::audited_write(store, |tx| {
        let mut created = Vec::new();
        for old in &users {
            let d = cs::detail(tx, *old)?.ok_or_else(|| not_found("consent", *old))?;
            let id = cs::insert_request(
                tx,
                &NewRequest {
                    direction: Direction::Outgoing,
                    status: ConsentStatus::Draft,
                    municipality_code: &d.row.municipality_code,
                    facility_id: d.row.facility_id,
                    provider_number: &d.row.provider_number,
                    facility_name: &d.row.facility_name,
                    service_code: &d.row.service_code,
                    requested_on: today,
                    due_on: None,
                    document_ref: "",
                    note: "指定更新に伴う再依頼",
                    application_id: Some(application_id),
                    renewal_of: Some(*old),
                    person: &d.person,
                    actor: &actor.staff_id,
                },
            )?;
            created.push(id);
        }
        let ids = created
            .iter()
            .map(|i| i.to_string())
            .collect::<Vec<_>>()
            .join(",");
        Ok(Written::change(
            created.clone(),
            entry(
                actor,
                "consent.renewal",
                "application",
                application_id,
                &["consent_request"],
                &format!("consent {ids}"),
            ),
        ))
    })
}

// --- incoming check ---

/// What to check before answering an incoming request: the facility is in the ledger,
/// in the ward, active, designated for the service on the requested start; and whether
/// our prior consent covers it.
pub fn check_incoming(conn: &Connection, id: i64) -> Result<Vec<IncomingCheck>> {
    let d = cs::detail(conn, id)?.ok_or_else(|| not_found("consent", id))?;
    let mut out = Vec::new();
    let on = d
        .person
        .service_start_on
        .or(d.row.requested_on)
        .unwrap_or_else(|| Utc::now().date_naive());
    match d
        .row
        .facility_id
        .map(|f| cs::facility_place(conn, f))
        .transpose()?
        .flatten()
    {
        None => out.push(IncomingCheck::FacilityUnknown),
        Some((code, status)) => {
            if code != WARD_CODE {
                out.push(IncomingCheck::FacilityOutsideWard {
                    municipality_code: code,
                });
            }
            if status != "active" {
                out.push(IncomingCheck::FacilityNotActive);
            }
            let fid = d.row.facility_id.unwrap_or_default();
            match cs::designation(conn, fid, &d.row.service_code)? {
                None => out.push(IncomingCheck::NotDesignated {
                    service_code: d.row.service_code.clone(),
                }),
                Some((from, to, _)) if on < from || on > to => {
                    out.push(IncomingCheck::DesignationExpired { expires_on: to })
                }
                Some(_) => {}
            }
        }
    }
    if let Some(p) = cs::prior_with(conn, &d.row.municipality_code)?
        .iter()
        .find(|p| {
            p.rule().covers(
                Direction::Incoming,
                &d.row.municipality_code,
                &d.row.service_code,
                on,
            )
        })
    {
        out.push(IncomingCheck::CoveredByPriorConsent { prior_id: p.id });
    }
    Ok(out)
}

// --- prior consents ---

/// A prior consent as typed: dates ISO, services `32,73,77`.
#[derive(Debug, Clone, Default)]
pub struct PriorInput {
    pub municipality_code: String,
    pub direction: Option<Direction>,
    pub valid_from: Option<NaiveDate>,
    pub valid_to: Option<NaiveDate>,
    pub excluded_services: String,
    pub note: String,
}

fn prior_fields(conn: &Connection, p: &PriorInput) -> Result<PriorFields> {
    let m = known_municipality(conn, &p.municipality_code)?;
    let Some(direction) = p.direction else {
        return Err(invalid(
            "direction",
            "事前同意の向き（相手から受けた／当区が与えた）を選んでください",
            "choose whether the prior consent was given to us or by us",
        ));
    };
    let Some(from) = p.valid_from else {
        return Err(invalid(
            "valid_from",
            "有効期間の開始日を入力してください",
            "enter the start of the validity period",
        ));
    };
    if p.valid_to.is_some_and(|to| to < from) {
        return Err(invalid(
            "valid_to",
            "有効期間の終わりが始まりより前です",
            "the validity period ends before it starts",
        ));
    }
    let excluded = consent::parse_service_list(&p.excluded_services)
        .map_err(|e| ServiceError::Invalid(vec![e]))?;
    for code in &excluded {
        check_service(conn, code)?;
    }
    free_text("note", p.note.trim(), MAX_NOTE_CHARS, true)?;
    Ok(PriorFields {
        municipality_code: m.code,
        direction,
        valid_from: from,
        valid_to: p.valid_to,
        excluded_services: excluded,
        note: p.note.trim().to_string(),
    })
}

/// Adds a 事前同意 (approver).
pub fn add_prior(store: &mut Store, actor: &Actor, input: &PriorInput) -> Result<PriorConsentRow> {
    authorize(actor, Action::ManageConsentRules, &Provenance::default())?;
    let fields = prior_fields(store.conn(), input)?;
    super::audited_write(store, |tx| {
        let id = cs::insert_prior(tx, &fields, &actor.staff_id)?;
        let row = cs::prior_consent(tx, id)?.ok_or_else(|| not_found("prior_consent", id))?;
        Ok(Written::change(
            row,
            entry(
                actor,
                "prior_consent.add",
                "prior_consent",
                id,
                &[
                    "municipality_code",
                    "direction",
                    "valid_from",
                    "valid_to",
                    "excluded_services",
                    "note",
                ],
                "",
            ),
        ))
    })
}

/// The stored agreement, when someone else changed it first.
#[derive(Debug, Clone)]
pub struct PriorConflict {
    pub current: PriorConsentRow,
}

/// Edits a 事前同意 (approver) at `expected_version`; the audit lists the changed fields.
pub fn update_prior(
    store: &mut Store,
    actor: &Actor,
    id: i64,
    expected_version: i64,
    input: &PriorInput,
) -> Result<std::result::Result<PriorConsentRow, PriorConflict>> {
    authorize(actor, Action::ManageConsentRules, &Provenance::default())?;
    let fields = prior_fields(store.conn(), input)?;
    super::audited_write(store, |tx| {
        let before = cs::prior_consent(tx, id)?.ok_or_else(|| not_found("prior_consent", id))?;
        match cs::update_prior(tx, id, expected_version, &fields, &actor.staff_id) {
            Ok(_) => {}
            Err(StoreError::Conflict { .. }) => {
                return Ok(Written::unchanged(Err(PriorConflict { current: before })));
            }
            Err(e) => return Err(e.into()),
        }
        let after = cs::prior_consent(tx, id)?.ok_or_else(|| not_found("prior_consent", id))?;
        let mut changed = Vec::new();
        for (name, differs) in [
            (
                "municipality_code",
                before.municipality_code != after.municipality_code,
            ),
            ("direction", before.direction != after.direction),
            ("valid_from", before.valid_from != after.valid_from),
            ("valid_to", before.valid_to != after.valid_to),
            (
                "excluded_services",
                before.excluded_services != after.excluded_services,
            ),
            ("note", before.note != after.note),
        ] {
            if differs {
                changed.push(name);
            }
        }
        Ok(Written::change(
            Ok(after),
            entry(
                actor,
                "prior_consent.update",
                "prior_consent",
                id,
                &changed,
                "",
            ),
        ))
    })
}

// --- reading for screens ---

/// True when `staff_id` holds a live reveal grant on the case.
pub fn is_revealed(conn: &Connection, staff_id: &str, id: i64, now: DateTime<Utc>) -> bool {
    super::privacy::is_revealed(conn, staff_id, "consent", &id.to_string(), now)
}

/// The case for a screen: the insured person masked unless revealed to `staff_id`
/// (reveal with `service::privacy::reveal(store, actor, "consent", id, reason, minutes)`).
pub fn case_view(
    conn: &Connection,
    staff_id: &str,
    id: i64,
    now: DateTime<Utc>,
) -> Result<Option<ConsentView>> {
    let Some(mut detail) = cs::detail(conn, id)? else {
        return Ok(None);
    };
    let revealed = is_revealed(conn, staff_id, id, now);
    let person = if revealed {
        detail.person.shown()
    } else {
        detail.person.masked()
    };
    if !revealed {
        detail.row.person_name = person.name.clone();
        detail.person = InsuredPerson::default();
    }
    Ok(Some(ConsentView { detail, person }))
}

/// List rows with each insured person's name masked unless revealed to `staff_id`.
pub fn mask_rows(
    conn: &Connection,
    staff_id: &str,
    rows: &mut [ConsentListRow],
    now: DateTime<Utc>,
) {
    for r in rows {
        if !is_revealed(conn, staff_id, r.id, now) {
            r.person_name = crate::domain::mask::name(&r.person_name);
        }
    }
}

#[cfg(test)]
mod tests;
