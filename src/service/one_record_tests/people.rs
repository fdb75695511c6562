use super::*;
use crate::domain::people::{CorporationRecord, CouncilMember, Staff};
use crate::service::people;
use crate::store::people as stored;

fn first_staff(store: &Store) -> Staff {
    let id = num(store, "SELECT min(id) FROM staff_member");
    stored::staff_member(store.conn(), id).unwrap().unwrap()
}

fn first_member(store: &Store) -> CouncilMember {
    let id = num(store, "SELECT min(id) FROM council_member");
    stored::council_member(store.conn(), id).unwrap().unwrap()
}

fn first_corporation(store: &Store) -> CorporationRecord {
    let id = num(store, "SELECT min(id) FROM corporation");
    stored::corporation(store.conn(), id).unwrap().unwrap()
}

fn ended() -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(2026, 10, 31)
}

pub(super) fn rows() -> Vec<WriteFn> {
    vec![
        row(
            "people",
            "add_staff",
            |s| {
                let st = first_staff(s);
                people::add_staff(s, &actor(Role::Reviewer), st.facility_id, &st.fields).unwrap();
            },
            |s| {
                let st = first_staff(s);
                let v = actor(Role::Viewer);
                denied(people::add_staff(s, &v, st.facility_id, &st.fields));
            },
        ),
        row(
            "people",
            "update_staff",
            |s| {
                let st = first_staff(s);
                let mut f = st.fields.clone();
                f.address = "東京都新宿区戸山1-1-1".into();
                let a = actor(Role::Reviewer);
                people::update_staff(s, &a, st.id, st.version, &f).unwrap();
            },
            |s| {
                let st = first_staff(s);
                let a = actor(Role::Reviewer);
                stale(people::update_staff(
                    s,
                    &a,
                    st.id,
                    st.version + 1,
                    &st.fields,
                ));
            },
        ),
        row(
            "people",
            "end_staff",
            |s| {
                let st = first_staff(s);
                let a = actor(Role::Reviewer);
                people::end_staff(s, &a, st.id, st.version, ended()).unwrap();
            },
            |s| {
                let st = first_staff(s);
                let a = actor(Role::Reviewer);
                stale(people::end_staff(s, &a, st.id, st.version + 1, ended()));
            },
        ),
        row(
            "people",
            "add_council_member",
            |s| {
                let m = first_member(s);
                let a = actor(Role::Reviewer);
                people::add_council_member(s, &a, m.facility_id, &m.fields).unwrap();
            },
            |s| {
                let m = first_member(s);
                let mut f = m.fields.clone();
                f.name = String::new();
                let a = actor(Role::Reviewer);
                invalid(people::add_council_member(s, &a, m.facility_id, &f));
            },
        ),
        row(
            "people",
            "update_council_member",
            |s| {
                let m = first_member(s);
                let mut f = m.fields.clone();
                f.title = "副会長".into();
                let a = actor(Role::Reviewer);
                people::update_council_member(s, &a, m.id, m.version, &f).unwrap();
            },
            |s| {
                let m = first_member(s);
                let a = actor(Role::Reviewer);
                stale(people::update_council_member(
                    s,
                    &a,
                    m.id,
                    m.version + 1,
                    &m.fields,
                ));
            },
        ),
        row(
            "people",
            "end_council_member",
            |s| {
                let m = first_member(s);
                let a = actor(Role::Reviewer);
                people::end_council_member(s, &a, m.id, m.version, ended()).unwrap();
            },
            |s| {
                let m = first_member(s);
                let a = actor(Role::Reviewer);
                stale(people::end_council_member(
                    s,
                    &a,
                    m.id,
                    m.version + 1,
                    ended(),
                ));
            },
        ),
        row(
            "people",
            "update_corporation",
            |s| {
                let c = first_corporation(s);
                let mut f = c.fields.clone();
                f.phone = "03-3333-4444".into();
                let a = actor(Role::Reviewer);
                people::update_corporation(s, &a, c.id, c.version, &f).unwrap();
            },
            |s| {
                let c = first_corporation(s);
                let a = actor(Role::Reviewer);
                stale(people::update_corporation(
                    s,
                    &a,
                    c.id,
                    c.version + 1,
                    &c.fields,
                ));
            },
        ),
    ]
}
