use super::*;
use crate::service::maintenance;

pub(super) fn rows() -> Vec<WriteFn> {
    vec![
        // The service account is never refused.
        row(
            "maintenance",
            "record_creation",
            |s| maintenance::record_creation(s, "test").unwrap(),
            |_| {},
        ),
        row(
            "maintenance",
            "record_restore",
            |s| maintenance::record_restore(s, "/srv/b/d.db", None).unwrap(),
            |_| {},
        ),
    ]
}
