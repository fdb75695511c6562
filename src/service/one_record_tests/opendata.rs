use super::*;
use crate::service::opendata;
use crate::store::opendata::Finding;

/// One open phone difference on the ward's first designated facility.
fn with_finding(s: &mut Store) {
    let fid = num(
        s,
        "SELECT min(f.id) FROM facility f JOIN designation d ON d.facility_id = f.id
         WHERE f.status = 'active' AND d.status = 'active' AND f.municipality_code = '131041'",
    );
    let f = crate::store::facilities::get(s.conn(), fid)
        .unwrap()
        .unwrap();
    let finding = Finding {
        kind: "difference".into(),
        facility_id: Some(fid),
        provider_number: f.fields.provider_number.clone(),
        service_code: "78".into(),
        name: f.fields.name.clone(),
        field: "phone".into(),
        ledger_value: f.fields.phone.clone(),
        opendata_value: "03-9999-0000".into(),
        ..Finding::default()
    };
    opendata::record_reconciliation(s, &actor(Role::Reviewer), 1, &[], &[finding]).unwrap();
}

fn finding_id(s: &Store) -> i64 {
    num(s, "SELECT min(id) FROM opendata_finding")
}

pub(super) fn rows() -> Vec<WriteFn> {
    vec![
        row(
            "opendata",
            "set_ward",
            |s| {
                opendata::set_ward(s, &actor(Role::Admin), "131130", "渋谷区").unwrap();
            },
            |s| {
                invalid(opendata::set_ward(
                    s,
                    &actor(Role::Admin),
                    "131131",
                    "渋谷区",
                ))
            },
        ),
        row("opendata", "record_reconciliation", with_finding, |s| {
            denied(opendata::record_reconciliation(
                s,
                &actor(Role::Viewer),
                1,
                &[],
                &[],
            ))
        }),
        row(
            "opendata",
            "mark_known",
            |s| {
                let id = finding_id(s);
                opendata::mark_known(s, &actor(Role::Reviewer), id, "移転予定のため").unwrap();
            },
            |s| {
                let id = finding_id(s);
                invalid(opendata::mark_known(s, &actor(Role::Reviewer), id, " "));
            },
        )
        .after(with_finding),
        row(
            "opendata",
            "accept",
            |s| {
                let id = finding_id(s);
                opendata::accept(s, &actor(Role::Reviewer), id, today()).unwrap();
            },
            |s| {
                let id = finding_id(s);
                denied(opendata::accept(s, &actor(Role::Viewer), id, today()));
            },
        )
        .after(with_finding),
        row(
            "opendata",
            "set_capacity",
            |s| {
                let fid = num(
                    s,
                    "SELECT min(facility_id) FROM designation WHERE service_code = '78' AND status = 'active'",
                );
                opendata::set_capacity(s, &actor(Role::Reviewer), fid, "78", "15").unwrap();
            },
            |s| {
                let fid = num(
                    s,
                    "SELECT min(facility_id) FROM designation WHERE service_code = '78' AND status = 'active'",
                );
                invalid(opendata::set_capacity(
                    s,
                    &actor(Role::Reviewer),
                    fid,
                    "78",
                    "0",
                ));
            },
        ),
    ]
}
