//! Personal data: revealing masked fields (with a logged reason, for a limited time)
//! and logging exports and backups, which copy data out of the database.

use super::{Result, Written, free_text, invalid};
use crate::domain::permission::{Action, Actor, Provenance, authorize};
use crate::store::reveal::{self, Grant};
use crate::store::{Store, audit};
use chrono::{DateTime, Duration, Utc};
use rusqlite::Connection;

/// Longest accepted reason, in characters.
pub const MAX_REASON_CHARS: usize = 200;
/// Longest export name or file path recorded, in characters.
pub const MAX_PATH_CHARS: usize = 1000;
/// Longest grant: one working day.
pub const MAX_REVEAL_MINUTES: i64 = 8 * 60;

fn stamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// Lets `actor` see the object's personal data unmasked for `minutes`. Needs
/// `Action::RevealPersonalData` and a reason (non-blank, at most 200 characters); the
/// grant and its audit record (`pii.reveal`, with the reason) are written together.
pub fn reveal(
    store: &mut Store,
    actor: &Actor,
    object_type: &str,
    object_id: &str,
    reason: &str,
    minutes: i64,
) -> Result<Grant> {
    authorize(actor, Action::RevealPersonalData, &Provenance::default())?;
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(invalid(
            "reason",
            "表示する理由を入力してください",
            "a reason is required to reveal personal data",
        ));
    }
    free_text("reason", reason, MAX_REASON_CHARS, false)?;
    free_text("object_type", object_type, MAX_PATH_CHARS, false)?;
    free_text("object_id", object_id, MAX_PATH_CHARS, false)?;
    if !(1..=MAX_REVEAL_MINUTES).contains(&minutes) {
        return Err(invalid(
            "minutes",
            &format!("表示時間は1〜{MAX_REVEAL_MINUTES}分です"),
            &format!("a reveal lasts 1 to {MAX_REVEAL_MINUTES} minutes"),
        ));
    }
    let now = Utc::now();
    let grant = Grant {
        id: 0,
        staff_id: actor.staff_id.clone(),
        object_type: object_type.to_string(),
        object_id: object_id.to_string(),
        reason: reason.to_string(),
        granted_at: stamp(now),
        expires_at: stamp(now + Duration::minutes(minutes)),
    };
    super::audited_write(store, |tx| {
        let g = reveal::insert(tx, &grant)?;
        Ok(Written::change(
            g,
            audit::Entry {
                actor: actor.staff_id.clone(),
                action: "pii.reveal".into(),
                object_type: object_type.to_string(),
                object_id: object_id.to_string(),
                fields: Vec::new(),
                reason: reason.to_string(),
            },
        ))
    })
}

/// True if `staff_id` may see the object unmasked at `now`. A read error counts as
/// "not revealed": masking is the safe default.
pub fn is_revealed(
    conn: &Connection,
    staff_id: &str,
    object_type: &str,
    object_id: &str,
    now: DateTime<Utc>,
) -> bool {
    reveal::active(conn, staff_id, object_type, object_id, &stamp(now)).unwrap_or(false)
}

/// Before writing an export that contains personal data: needs an approver, and records
/// what was exported and how many rows (`pii.export`).
pub fn log_export(store: &mut Store, actor: &Actor, what: &str, rows: usize) -> Result<()> {
    authorize(actor, Action::ExportPersonalData, &Provenance::default())?;
    free_text("export", what, MAX_PATH_CHARS, false)?;
    super::audited_write(store, |_| {
        Ok(Written::change(
            (),
            audit::Entry {
                actor: actor.staff_id.clone(),
                action: "pii.export".into(),
                object_type: "export".into(),
                object_id: what.to_string(),
                fields: Vec::new(),
                reason: format!("{rows} rows"),
            },
        ))
    })
}

/// After writing an export file (CSV of the ledger or any other list): records who
/// exported what, to which file, how many rows (`data.export`). Call it once the file
/// is complete; `path` as written. A path with control characters is refused — and the
/// file should then not be written.
pub fn record_export(
    store: &mut Store,
    actor: &Actor,
    what: &str,
    path: &std::path::Path,
    rows: usize,
) -> Result<()> {
    let path = path.display().to_string();
    free_text("export", what, MAX_PATH_CHARS, false)?;
    free_text("path", &path, MAX_PATH_CHARS, false)?;
    record_copy(
        store,
        &actor.staff_id,
        "data.export",
        "export",
        what,
        format!("rows={rows} file={path}"),
    )
}

/// After a backup (a full copy of every record, personal data included) was written
/// and checked: records it (`db.backup`) with the file. `actor` is the logged-in staff
/// id, or `maintenance::SYSTEM_ACTOR` for cron.
pub fn record_backup(
    store: &mut Store,
    actor: &str,
    path: &std::path::Path,
    bytes: u64,
) -> Result<()> {
    let path = path.display().to_string();
    free_text("path", &path, MAX_PATH_CHARS, false)?;
    record_copy(
        store,
        actor,
        "db.backup",
        "database",
        "",
        format!("bytes={bytes} file={path}"),
    )
}

fn record_copy(
    store: &mut Store,
    actor: &str,
    action: &str,
    object_type: &str,
    object_id: &str,
    reason: String,
) -> Result<()> {
    super::audited_write(store, |_| {
        Ok(Written::change(
            (),
            audit::Entry {
                actor: actor.to_string(),
                action: action.into(),
                object_type: object_type.into(),
                object_id: object_id.to_string(),
                fields: Vec::new(),
                reason,
            },
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::permission::Role;
    use crate::service::ServiceError;

    fn actor(id: &str, role: Role) -> Actor {
        Actor {
            staff_id: id.into(),
            role,
        }
    }

    #[test]
    fn reveal_without_reason_is_refused() {
        let mut store = Store::open_in_memory().unwrap();
        let r = actor("k001", Role::Reviewer);
        for reason in [
            "",
            "   ",
            &"x".repeat(201),
            "確認\u{1b}]52;c;ZWNobyBoaQ==\u{7}\u{1b}[2J",
            "確認\u{202e}",
        ] {
            let err = reveal(&mut store, &r, "insured_person", "1", reason, 10).unwrap_err();
            assert!(matches!(err, ServiceError::Invalid(_)), "{err}");
        }
        assert!(!is_revealed(
            store.conn(),
            "k001",
            "insured_person",
            "1",
            Utc::now()
        ));
        assert_eq!(audit::head(store.conn()).unwrap().0, 0);
    }

    #[test]
    fn reveal_grants_for_a_while_and_is_audited_with_reason() {
        let mut store = Store::open_in_memory().unwrap();
        let r = actor("k001", Role::Reviewer);
        let g = reveal(&mut store, &r, "insured_person", "7", "電話で本人確認", 10).unwrap();
        assert!(g.id > 0);
        let now = Utc::now();
        assert!(is_revealed(
            store.conn(),
            "k001",
            "insured_person",
            "7",
            now
        ));
        assert!(!is_revealed(
            store.conn(),
            "k002",
            "insured_person",
            "7",
            now
        ));
        assert!(!is_revealed(
            store.conn(),
            "k001",
            "insured_person",
            "7",
            now + Duration::minutes(11)
        ));
        let recs = audit::for_object(store.conn(), "insured_person", "7", 5).unwrap();
        assert_eq!(recs[0].entry.action, "pii.reveal");
        assert_eq!(recs[0].entry.reason, "電話で本人確認");
    }

    #[test]
    fn viewer_and_admin_cannot_reveal_and_only_approver_exports() {
        let mut store = Store::open_in_memory().unwrap();
        for role in [Role::Viewer, Role::Admin] {
            let err = reveal(
                &mut store,
                &actor("x", role),
                "insured_person",
                "1",
                "確認",
                5,
            )
            .unwrap_err();
            assert!(matches!(err, ServiceError::Denied(_)));
        }
        for role in [Role::Viewer, Role::Reviewer, Role::Admin] {
            assert!(matches!(
                log_export(&mut store, &actor("x", role), "consent.csv", 3),
                Err(ServiceError::Denied(_))
            ));
        }
        log_export(&mut store, &actor("p001", Role::Approver), "consent.csv", 3).unwrap();
        assert_eq!(audit::head(store.conn()).unwrap().0, 1);
    }

    #[test]
    fn exports_and_backups_are_audited_with_their_file() {
        let mut store = Store::open_in_memory().unwrap();
        let k = actor("k001", Role::Reviewer);
        let path = std::path::Path::new("/srv/out/ledger.csv");
        record_export(&mut store, &k, "ledger", path, 42).unwrap();
        record_backup(
            &mut store,
            "system",
            std::path::Path::new("/srv/b/d.db"),
            4096,
        )
        .unwrap();
        let recs = audit::between(store.conn(), "0", "9").unwrap();
        assert_eq!(recs.len(), 2);
        assert_eq!(
            (recs[0].entry.action.as_str(), recs[0].entry.actor.as_str()),
            ("data.export", "k001")
        );
        assert!(
            recs[0].entry.reason.contains("rows=42")
                && recs[0].entry.reason.contains("/srv/out/ledger.csv")
        );
        assert_eq!(recs[1].entry.action, "db.backup");
        assert!(recs[1].entry.reason.contains("/srv/b/d.db"));
        // A file name that would command the reviewer's terminal is refused, not logged.
        let bad = std::path::Path::new("/tmp/x\u{1b}[2J.csv");
        assert!(matches!(
            record_export(&mut store, &k, "ledger", bad, 1),
            Err(ServiceError::Invalid(_))
        ));
        assert_eq!(audit::head(store.conn()).unwrap().0, 2);
    }
}
