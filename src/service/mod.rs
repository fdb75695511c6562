//! The one write path: authorize → validate → write + audit, in one transaction.
//!
//! Screens and CLI commands never write through `store` directly. Every function here
//! checks the actor's role with `domain::permission::authorize`, validates with the
//! domain validators, and appends the audit record inside the same `BEGIN IMMEDIATE`
//! transaction as the change, so a failed audit insert rolls the change back.
//! After the commit, [`anchor`] copies the new chain head to the anchor file outside the
//! database (`store::audit::write_anchor`), so truncating the log is detectable.

pub mod applications;
pub mod checklist;
pub mod consent_letters;
pub mod consents;
pub mod guidance;
pub mod intake;
pub mod ledger;
pub mod maintenance;
pub mod meetings;
pub mod notices;
pub mod opendata;
pub mod people;
pub mod privacy;
pub mod purge;
pub mod selfcheck;
pub mod session;
pub mod sync;
pub mod users;

use crate::domain::application::TransitionError;
use crate::domain::permission::Denied;
use crate::domain::validate::FieldError;
use crate::store::{Store, StoreError, audit};

#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error("{0}")]
    Denied(#[from] Denied),
    #[error("invalid input: {}", .0.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("; "))]
    Invalid(Vec<FieldError>),
    #[error("{0}")]
    Transition(#[from] TransitionError),
    #[error("{0}")]
    Store(#[from] StoreError),
    /// The change is committed, but the anchor file (or the witness file) could not be
    /// updated. Callers treat this as a warning: the write stands, the session goes on,
    /// and `daicho audit verify` reports the lagging anchor until it is fixed.
    #[error(
        "saved, but the audit anchor {path} could not be updated ({source}); `daicho audit verify` will report this until the file is writable again"
    )]
    Anchor { path: String, source: StoreError },
}

impl ServiceError {
    /// A message for the status line, in the UI language.
    pub fn message(&self, ja: bool) -> String {
        match self {
            ServiceError::Denied(d) if ja => d.ja.clone(),
            ServiceError::Denied(d) => d.en.clone(),
            // Each field message names its field: no "field:" prefix, one language.
            ServiceError::Invalid(errs) => errs
                .iter()
                .map(|e| if ja { e.ja.as_str() } else { e.en.as_str() })
                .collect::<Vec<_>>()
                .join(if ja { "。" } else { "; " }),
            ServiceError::Transition(t) if !ja => t.en(),
            ServiceError::Store(StoreError::Conflict { .. }) if ja => {
                "他の職員が先に保存しました。差分を確認してください".into()
            }
            ServiceError::Anchor { path, source } if ja => format!(
                "保存しました。ただし監査アンカー {path} を更新できませんでした（{source}）。ファイルを書き込めるようにするまで `daicho audit verify` がこの件を報告します"
            ),
            other => other.to_string(),
        }
    }
}

pub type Result<T> = std::result::Result<T, ServiceError>;

/// What one audited write did: the value for the caller and the single audit record of
/// the change, or no record when nothing was written (a version conflict that the caller
/// reports as a value, say).
pub struct Written<T> {
    pub value: T,
    pub record: Option<audit::Entry>,
}

impl<T> Written<T> {
    pub fn change(value: T, record: audit::Entry) -> Self {
        Written {
            value,
            record: Some(record),
        }
    }

    pub fn unchanged(value: T) -> Self {
        Written {
            value,
            record: None,
        }
    }
}

/// The one write path. `body` runs inside a single `BEGIN IMMEDIATE` transaction and
/// returns what it changed with the audit record that says so; the record is appended in
/// the same transaction (a failed append rolls the change back), and after the commit
/// the anchor file follows the new head. Authorize and validate before calling — or
/// inside `body` when the rule needs the stored row (who keyed a case).
pub fn audited_write<T>(
    store: &mut Store,
    body: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<Written<T>>,
) -> Result<T> {
    let (value, anchored) = write_inner(store, body, |_| Ok(()), Anchoring::Forward)?;
    anchored?;
    Ok(value)
}

/// Records letters already written to disk with `record` (an audited write). Unless the
/// record was committed — an anchor failure comes after the commit — the files are
/// removed again, so no letter is left on disk that its case does not list.
pub(crate) fn keep_letters_if_recorded<T>(
    letters: &[crate::letters::Written],
    record: impl FnOnce() -> Result<T>,
) -> Result<T> {
    let recorded = record();
    if let Err(e) = &recorded
        && !matches!(e, ServiceError::Anchor { .. })
    {
        letters.iter().for_each(crate::letters::Written::discard);
    }
    recorded
}

/// How the anchor follows a committed record.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Anchoring {
    /// Only ever forward ([`anchor`]).
    Forward,
    /// Also backwards: after a restore rewound the log to the backup's head.
    Reset,
}

/// [`audited_write`] in full: `before_commit` runs after the record is appended, still
/// inside the transaction (a failure rolls everything back); the anchor's own outcome is
/// returned apart from the committed value, for callers that treat it as a warning.
pub(crate) fn write_inner<T>(
    store: &mut Store,
    body: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<Written<T>>,
    before_commit: impl FnOnce(&T) -> Result<()>,
    anchoring: Anchoring,
) -> Result<(T, Result<()>)> {
    let (value, wrote) = store.transaction(|tx| {
        let written = body(tx)?;
        let wrote = match &written.record {
            Some(entry) => {
                audit::append(tx, entry)?;
                true
            }
            None => false,
        };
        before_commit(&written.value)?;
        Ok::<_, ServiceError>((written.value, wrote))
    })?;
    let anchored = match (wrote, anchoring) {
        (false, _) => Ok(()),
        (true, Anchoring::Forward) => anchor(store),
        (true, Anchoring::Reset) => reset_anchor(store),
    };
    Ok((value, anchored))
}

fn reset_anchor(store: &Store) -> Result<()> {
    let (seq, hash) = audit::head(store.conn())?;
    audit::reset_anchor(store.path(), seq, &hash).map_err(|source| ServiceError::Anchor {
        path: audit::anchor_path(store.path()).display().to_string(),
        source,
    })
}

/// For a write to a facility's own records (meetings, 運営指導): records the old → new
/// values in the facility's history and returns the one audit record that says so, both
/// inside the caller's `audited_write` transaction.
pub(crate) fn facility_change_record(
    tx: &rusqlite::Transaction<'_>,
    actor: &crate::domain::permission::Actor,
    facility_id: i64,
    command: &str,
    changes: &[crate::domain::history::FieldChange],
) -> Result<audit::Entry> {
    crate::store::change_history::record(
        tx,
        facility_id,
        &actor.staff_id,
        &crate::domain::history::Cause::command(command),
        changes,
    )?;
    Ok(audit::Entry {
        actor: actor.staff_id.clone(),
        action: command.into(),
        object_type: "facility".into(),
        object_id: facility_id.to_string(),
        fields: changes.iter().map(|c| c.field.clone()).collect(),
        reason: String::new(),
    })
}

/// Call after a committed write that appended audit records: copies the chain head to
/// the anchor file (`<db>.audit-head`).
pub fn anchor(store: &Store) -> Result<()> {
    let (seq, hash) = audit::head(store.conn())?;
    audit::write_anchor(store.path(), seq, &hash).map_err(|source| ServiceError::Anchor {
        path: audit::anchor_path(store.path()).display().to_string(),
        source,
    })
}

/// The shared free-text rule ([`crate::domain::text::check_free_text`]) as a service
/// error: every text a service function stores goes through here or `validate::bounded`.
pub(crate) fn free_text(
    field: &'static str,
    value: &str,
    max_chars: usize,
    multi_line: bool,
) -> Result<()> {
    crate::domain::text::check_free_text(field, value, max_chars, multi_line)
        .map_err(|e| ServiceError::Invalid(vec![e]))
}

/// One invalid field, for `ServiceError::Invalid`.
pub(crate) fn invalid(field: &'static str, ja: &str, en: &str) -> ServiceError {
    ServiceError::Invalid(vec![crate::domain::validate::FieldError::new(
        field, ja, en,
    )])
}

#[cfg(test)]
mod one_record_tests;

#[cfg(test)]
mod letter_record_tests {
    use super::*;
    use crate::letters::Written as Letter;

    fn letter(dir: &std::path::Path, n: u32) -> Letter {
        let l = Letter {
            html: dir.join(format!("l{n}.html")),
            text: dir.join(format!("l{n}.txt")),
        };
        std::fs::write(&l.html, "h").unwrap();
        std::fs::write(&l.text, "t").unwrap();
        l
    }

    #[test]
    fn letters_go_when_their_record_fails_and_stay_when_it_committed() {
        let dir = tempfile::tempdir().unwrap();
        let all = |ls: &[Letter]| ls.iter().all(|l| l.html.exists() && l.text.exists());
        let none = |ls: &[Letter]| ls.iter().all(|l| !l.html.exists() && !l.text.exists());

        let refused = [letter(dir.path(), 1), letter(dir.path(), 2)];
        let r: Result<()> = keep_letters_if_recorded(&refused, || Err(invalid("x", "誤り", "bad")));
        assert!(
            r.is_err() && none(&refused),
            "a refused record takes its letters away"
        );

        let committed = [letter(dir.path(), 3)];
        let r: Result<()> = keep_letters_if_recorded(&committed, || {
            Err(ServiceError::Anchor {
                path: "/srv/daicho.db.anchor".into(),
                source: StoreError::NotFound("anchor".into()),
            })
        });
        assert!(
            r.is_err() && all(&committed),
            "after the commit the letter stands"
        );

        let kept = [letter(dir.path(), 4)];
        keep_letters_if_recorded(&kept, || Ok(())).unwrap();
        assert!(all(&kept));
    }
}
