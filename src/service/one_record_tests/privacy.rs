use super::*;
use crate::service::privacy;

pub(super) fn rows() -> Vec<WriteFn> {
    vec![
        row(
            "privacy",
            "reveal",
            |s| {
                privacy::reveal(s, &actor(Role::Reviewer), "insured_person", "1", "確認", 5)
                    .unwrap();
            },
            |s| {
                let viewer = actor(Role::Viewer);
                denied(privacy::reveal(
                    s,
                    &viewer,
                    "insured_person",
                    "1",
                    "確認",
                    5,
                ));
            },
        ),
        row(
            "privacy",
            "log_export",
            |s| privacy::log_export(s, &actor(Role::Approver), "consent.csv", 3).unwrap(),
            |s| {
                denied(privacy::log_export(
                    s,
                    &actor(Role::Viewer),
                    "consent.csv",
                    3,
                ))
            },
        ),
        row(
            "privacy",
            "record_export",
            |s| {
                let path = Path::new("/srv/out/ledger.csv");
                privacy::record_export(s, &actor(Role::Viewer), "ledger", path, 2).unwrap();
            },
            |s| {
                let bad = Path::new("/tmp/x\u{1b}[2J.csv");
                invalid(privacy::record_export(
                    s,
                    &actor(Role::Viewer),
                    "ledger",
                    bad,
                    2,
                ));
            },
        ),
        row(
            "privacy",
            "record_backup",
            |s| privacy::record_backup(s, "system", Path::new("/srv/b/d.db"), 9).unwrap(),
            |s| {
                let bad = Path::new("/srv/b/\u{7}.db");
                invalid(privacy::record_backup(s, "system", bad, 9));
            },
        ),
    ]
}
