use super::*;
use crate::service::notices;

/// A returned case: its letter is the 差戻し通知書.
fn returned_case(store: &Store) -> i64 {
    num(
        store,
        "SELECT min(id) FROM application WHERE status = 'returned'",
    )
}

/// Two designations expiring within `MONTHS` of the test's today (the demo's earliest
/// end a few years out).
const MONTHS: u32 = 60;

fn due_designations(store: &Store) -> Vec<i64> {
    let due = crate::store::notices::renewals_due(store.conn(), today(), MONTHS, 2).unwrap();
    assert!(due.len() >= 2, "the demo has designations due: {due:?}");
    due.iter().take(2).map(|d| d.designation_id).collect()
}

fn dir_of(store: &Store) -> PathBuf {
    store.path().parent().unwrap().to_path_buf()
}

pub(super) fn rows() -> Vec<WriteFn> {
    vec![
        row(
            "notices",
            "write_case_letter",
            |s| {
                let (id, dir) = (returned_case(s), dir_of(s));
                let r = actor(Role::Reviewer);
                notices::write_case_letter(s, &r, id, &dir, today()).unwrap();
            },
            |s| {
                let (id, dir) = (returned_case(s), dir_of(s));
                let v = actor(Role::Viewer);
                denied(notices::write_case_letter(s, &v, id, &dir, today()));
            },
        ),
        row(
            "notices",
            "send_renewal_guidance",
            |s| {
                // Two letters in one call are still one record.
                let (ids, dir) = (due_designations(s), dir_of(s));
                let r = actor(Role::Reviewer);
                let out = notices::send_renewal_guidance(s, &r, &ids, MONTHS, &dir, today());
                assert_eq!(out.unwrap().len(), 2);
            },
            |s| {
                // An unknown id after a good one: nothing is recorded, not even the first.
                let (mut ids, dir) = (due_designations(s), dir_of(s));
                ids.push(9999);
                let r = actor(Role::Reviewer);
                invalid(notices::send_renewal_guidance(
                    s,
                    &r,
                    &ids,
                    MONTHS,
                    &dir,
                    today(),
                ));
                let sent = num(s, "SELECT count(*) FROM renewal_notice");
                assert_eq!(sent, 0, "no renewal notice is recorded");
            },
        ),
    ]
}
