use super::*;
use crate::domain::consent::{ConsentStatus, Direction, InsuredPerson, WARD_CODE};
use crate::service::consents::{self, IncomingInput, OutgoingInput, PriorInput};
use crate::store::consents as cs;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn reviewer() -> Actor {
    actor(Role::Reviewer)
}

fn person() -> InsuredPerson {
    InsuredPerson {
        name: "山田 太郎".into(),
        name_kana: "ヤマダ タロウ".into(),
        sex: "男".into(),
        care_level: "22".into(),
        insured_number: "0123456789".into(),
        dob: Some(day(1940, 5, 3)),
        address: "東京都新宿区西新宿2-8-1".into(),
        service_start_on: Some(day(2027, 1, 1)),
        reason: "家族の住まいに近いため".into(),
        ..Default::default()
    }
}

/// A request to 世田谷区 for a facility not in the ledger (typed by name).
fn outgoing(municipality: &str) -> OutgoingInput {
    OutgoingInput {
        municipality_code: municipality.into(),
        facility_name: "グループホーム三軒茶屋".into(),
        service_code: "32".into(),
        person: person(),
        ..Default::default()
    }
}

fn incoming(facility_id: i64) -> IncomingInput {
    IncomingInput {
        municipality_code: "131130".into(),
        facility_id,
        service_code: "78".into(),
        received_on: Some(day(2026, 10, 28)),
        document_ref: "渋谷区介保発第1号".into(),
        person: person(),
        ..Default::default()
    }
}

/// (id, version) of the first case matching `filter`.
fn case(store: &Store, filter: &str) -> (i64, i64) {
    let id = num(
        store,
        &format!("SELECT min(id) FROM consent_request WHERE {filter}"),
    );
    (id, cs::row(store.conn(), id).unwrap().unwrap().version)
}

/// An outgoing draft not linked to an application and not naming a ledger facility.
const FREE_DRAFT: &str = "direction = 'outgoing' AND status = 'draft' AND application_id IS NULL AND facility_id IS NULL";

/// A renewal of an out-of-ward facility with residents using it under a granted consent.
fn renewal(store: &Store) -> i64 {
    num(
        store,
        "SELECT min(a.id) FROM application a JOIN consent_request c ON c.facility_id = a.facility_id
         WHERE a.kind = 'renewal' AND c.direction = 'outgoing' AND c.outcome IN ('consented','waived')",
    )
}

fn prior(municipality: &str, from: NaiveDate, to: Option<NaiveDate>) -> PriorInput {
    PriorInput {
        municipality_code: municipality.into(),
        direction: Some(Direction::Incoming),
        valid_from: Some(from),
        valid_to: to,
        excluded_services: "32".into(),
        note: "協定".into(),
    }
}

fn first_prior(store: &Store) -> (i64, i64, String) {
    let id = num(store, "SELECT min(id) FROM prior_consent");
    let p = cs::prior_consent(store.conn(), id).unwrap().unwrap();
    (id, p.version, p.municipality_code)
}

pub(super) fn rows() -> Vec<WriteFn> {
    vec![
        row(
            "consents",
            "set_reminder_days",
            |s| consents::set_reminder_days(s, &actor(Role::Approver), 21).unwrap(),
            |s| invalid(consents::set_reminder_days(s, &actor(Role::Approver), 0)),
        ),
        row(
            "consents",
            "register_municipality",
            |s| {
                consents::register_municipality(s, &reviewer(), "011002", "札幌市", "サッポロシ")
                    .unwrap();
            },
            |s| {
                let viewer = actor(Role::Viewer);
                denied(consents::register_municipality(
                    s,
                    &viewer,
                    "011002",
                    "札幌市",
                    "",
                ));
            },
        ),
        row(
            "consents",
            "create_outgoing",
            |s| {
                consents::create_outgoing(s, &reviewer(), &outgoing("131121")).unwrap();
            },
            |s| {
                invalid(consents::create_outgoing(
                    s,
                    &reviewer(),
                    &outgoing(WARD_CODE),
                ))
            },
        ),
        row(
            "consents",
            "record_incoming",
            |s| {
                let ward = num(
                    s,
                    &format!(
                        "SELECT min(id) FROM facility WHERE municipality_code = '{WARD_CODE}'"
                    ),
                );
                consents::record_incoming(s, &reviewer(), &incoming(ward)).unwrap();
            },
            |s| {
                let outside = num(
                    s,
                    &format!(
                        "SELECT min(id) FROM facility WHERE municipality_code <> '{WARD_CODE}'"
                    ),
                );
                invalid(consents::record_incoming(
                    s,
                    &reviewer(),
                    &incoming(outside),
                ));
            },
        ),
        row(
            "consents",
            "transition",
            |s| {
                let (id, v) = case(s, FREE_DRAFT);
                let on = day(2026, 10, 30);
                consents::transition(s, &reviewer(), id, v, ConsentStatus::Requested, "", on)
                    .unwrap()
                    .unwrap();
            },
            |s| {
                let (id, v) = case(s, FREE_DRAFT);
                let (to, on) = (ConsentStatus::Requested, day(2026, 10, 30));
                conflict(consents::transition(s, &reviewer(), id, v + 1, to, "", on));
            },
        ),
        row(
            "consents",
            "link_application",
            |s| {
                let (id, v) = case(s, FREE_DRAFT);
                let app = num(s, "SELECT min(id) FROM application WHERE kind = 'new'");
                consents::link_application(s, &reviewer(), id, v, Some(app))
                    .unwrap()
                    .unwrap();
            },
            |s| {
                let (id, v) = case(s, FREE_DRAFT);
                let app = num(s, "SELECT min(id) FROM application WHERE kind = 'new'");
                conflict(consents::link_application(
                    s,
                    &reviewer(),
                    id,
                    v + 1,
                    Some(app),
                ));
            },
        ),
        row(
            "consents",
            "end_use",
            |s| {
                let (id, v) = case(s, "direction = 'outgoing' AND outcome = 'consented'");
                consents::end_use(s, &reviewer(), id, v, day(2026, 10, 31))
                    .unwrap()
                    .unwrap();
            },
            |s| {
                let (id, v) = case(s, "direction = 'outgoing' AND outcome = 'consented'");
                conflict(consents::end_use(
                    s,
                    &reviewer(),
                    id,
                    v + 1,
                    day(2026, 10, 31),
                ));
            },
        ),
        row(
            "consents",
            "create_renewal_requests",
            |s| {
                let app = renewal(s);
                let created = consents::create_renewal_requests(s, &reviewer(), app).unwrap();
                assert!(!created.is_empty(), "application {app} renews no consent");
            },
            |s| {
                let change = num(s, "SELECT min(id) FROM application WHERE kind = 'change'");
                invalid(consents::create_renewal_requests(s, &reviewer(), change));
            },
        ),
        row(
            "consents",
            "add_prior",
            |s| {
                let input = prior("131121", day(2026, 4, 1), None);
                consents::add_prior(s, &actor(Role::Approver), &input).unwrap();
            },
            |s| {
                // The period ends before it starts.
                let input = prior("131121", day(2026, 4, 1), Some(day(2025, 3, 31)));
                invalid(consents::add_prior(s, &actor(Role::Approver), &input));
            },
        ),
        row(
            "consents",
            "update_prior",
            |s| {
                let (id, v, code) = first_prior(s);
                let input = prior(&code, day(2025, 4, 1), Some(day(2031, 3, 31)));
                consents::update_prior(s, &actor(Role::Approver), id, v, &input)
                    .unwrap()
                    .unwrap();
            },
            |s| {
                let (id, v, code) = first_prior(s);
                let input = prior(&code, day(2025, 4, 1), Some(day(2031, 3, 31)));
                conflict(consents::update_prior(
                    s,
                    &actor(Role::Approver),
                    id,
                    v + 1,
                    &input,
                ));
            },
        ),
    ]
}
