use super::*;
use crate::domain::meeting::MeetingFields;
use crate::service::meetings;
use crate::store::meetings as stored;

/// The first facility with a recorded meeting, and that meeting.
fn first_meeting(store: &Store) -> crate::domain::meeting::Meeting {
    let id = num(store, "SELECT min(id) FROM council_meeting");
    stored::get(store.conn(), id).unwrap().unwrap()
}

fn held(kind: &str) -> MeetingFields {
    MeetingFields {
        kind: kind.into(),
        held_on: "2026-10-28".into(),
        attendees: "7".into(),
        ..Default::default()
    }
}

pub(super) fn rows() -> Vec<WriteFn> {
    vec![
        row(
            "meetings",
            "record_meeting",
            |s| {
                let m = first_meeting(s);
                let r = actor(Role::Reviewer);
                meetings::record_meeting(s, &r, m.facility_id, &held(&m.fields.kind), today())
                    .unwrap();
            },
            |s| {
                let m = first_meeting(s);
                let v = actor(Role::Viewer);
                denied(meetings::record_meeting(
                    s,
                    &v,
                    m.facility_id,
                    &held(&m.fields.kind),
                    today(),
                ));
            },
        ),
        row(
            "meetings",
            "update_meeting",
            |s| {
                let m = first_meeting(s);
                let mut f = m.fields.clone();
                f.note = "議事録を受領".into();
                let r = actor(Role::Reviewer);
                meetings::update_meeting(s, &r, m.id, m.version, &f, today()).unwrap();
            },
            |s| {
                let m = first_meeting(s);
                let mut f = m.fields.clone();
                f.note = "議事録を受領".into();
                let r = actor(Role::Reviewer);
                stale(meetings::update_meeting(
                    s,
                    &r,
                    m.id,
                    m.version + 1,
                    &f,
                    today(),
                ));
            },
        ),
    ]
}
