use super::*;
use crate::domain::guidance::{Guidance, GuidanceFields};
use crate::service::guidance;
use crate::store::guidance as stored;

fn first_record(store: &Store) -> Guidance {
    let id = num(store, "SELECT min(id) FROM guidance_visit");
    stored::get(store.conn(), id).unwrap().unwrap()
}

fn plan(on: &str) -> GuidanceFields {
    GuidanceFields {
        planned_on: on.into(),
        ..Default::default()
    }
}

pub(super) fn rows() -> Vec<WriteFn> {
    vec![
        row(
            "guidance",
            "record_guidance",
            |s| {
                let fid = num(s, "SELECT min(id) FROM facility");
                let r = actor(Role::Reviewer);
                guidance::record_guidance(s, &r, fid, &plan("2027-01-15"), today()).unwrap();
            },
            |s| {
                let fid = num(s, "SELECT min(id) FROM facility");
                let r = actor(Role::Reviewer);
                // Neither a planned nor a held date.
                invalid(guidance::record_guidance(s, &r, fid, &plan(""), today()));
            },
        ),
        row(
            "guidance",
            "update_guidance",
            |s| {
                let g = first_record(s);
                let mut f = g.fields.clone();
                f.note = "改善報告を確認".into();
                let r = actor(Role::Reviewer);
                guidance::update_guidance(s, &r, g.id, g.version, &f, today()).unwrap();
            },
            |s| {
                let g = first_record(s);
                let mut f = g.fields.clone();
                f.note = "改善報告を確認".into();
                let r = actor(Role::Reviewer);
                stale(guidance::update_guidance(
                    s,
                    &r,
                    g.id,
                    g.version + 1,
                    &f,
                    today(),
                ));
            },
        ),
    ]
}
