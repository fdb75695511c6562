use super::*;
use crate::service::purge;
use std::time::Duration;

pub(super) fn rows() -> Vec<WriteFn> {
    vec![row(
        "purge",
        "purge",
        |s| {
            let patience = Duration::from_millis(200);
            purge::purge(s, &actor(Role::Admin), today(), patience, |_| Ok(())).unwrap();
        },
        |s| {
            let patience = Duration::from_millis(200);
            let failing = |_: &[_]| Err(std::io::Error::other("report disk full"));
            assert!(purge::purge(s, &actor(Role::Admin), today(), patience, failing).is_err());
            denied(purge::purge(
                s,
                &actor(Role::Reviewer),
                today(),
                patience,
                |_| Ok(()),
            ));
        },
    )]
}
