use super::*;
use crate::domain::model::FacilityFields;
use crate::service::ledger;
use crate::store::facilities;

fn first_facility(store: &Store) -> (i64, i64, FacilityFields) {
    let id = num(store, "SELECT min(id) FROM facility");
    let f = facilities::get(store.conn(), id).unwrap().unwrap();
    (id, f.version, f.fields)
}

pub(super) fn rows() -> Vec<WriteFn> {
    vec![row(
        "ledger",
        "update_facility",
        |s| {
            let (id, v, mut f) = first_facility(s);
            f.phone = "03-3333-4444".into();
            ledger::update_facility(s, &actor(Role::Reviewer), id, v, &f)
                .unwrap()
                .unwrap();
        },
        |s| {
            let (id, v, mut f) = first_facility(s);
            f.phone = "03-3333-4444".into();
            conflict(ledger::update_facility(
                s,
                &actor(Role::Reviewer),
                id,
                v + 1,
                &f,
            ));
        },
    )]
}
