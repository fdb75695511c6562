use super::*;
use crate::domain::consent::LetterKind;
use crate::service::consent_letters::{self, LetterFailure};

/// An outgoing request not withdrawn: its letter is the 同意依頼書.
fn outgoing_case(store: &Store) -> i64 {
    num(
        store,
        "SELECT min(id) FROM consent_request WHERE direction = 'outgoing' AND status = 'draft'",
    )
}

pub(super) fn rows() -> Vec<WriteFn> {
    vec![row(
        "consent_letters",
        "write_letter",
        |s| {
            let (id, dir) = (outgoing_case(s), s.path().parent().unwrap().to_path_buf());
            let r = actor(Role::Reviewer);
            consent_letters::write_letter(s, &r, id, LetterKind::Request, &dir, today()).unwrap();
        },
        |s| {
            let (id, dir) = (outgoing_case(s), s.path().parent().unwrap().to_path_buf());
            let v = actor(Role::Viewer);
            let r = consent_letters::write_letter(s, &v, id, LetterKind::Request, &dir, today());
            match r {
                Err(LetterFailure::Service(e)) => denied::<()>(Err(e)),
                Err(e) => panic!("expected a role refusal, got: {e}"),
                Ok(_) => panic!("expected a role refusal, but the letter was written"),
            }
        },
    )]
}
