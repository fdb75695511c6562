//! Retention and purge: which data has outlived its retention period (settable in
//! `app_meta`), and deleting it securely with an audit record.

use super::{Anchoring, Result, ServiceError, Written};
use crate::domain::permission::{Actor, Denied, Role};
use crate::store::purge::{self, Category, Cutoffs};
use crate::store::{Store, audit, meta};
use chrono::{Months, NaiveDate};

pub const META_CONSENT_YEARS: &str = "retention.consent_years";
pub const META_MEETING_MINUTES_YEARS: &str = "retention.meeting_minutes_years";
pub const META_APPLICATION_YEARS: &str = "retention.application_years";
pub const DEFAULT_CONSENT_YEARS: u32 = 5;
pub const DEFAULT_MEETING_MINUTES_YEARS: u32 = 2;
pub const DEFAULT_APPLICATION_YEARS: u32 = 5;

/// Retention in years per kind of data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Retention {
    pub consent_years: u32,
    pub meeting_minutes_years: u32,
    pub application_years: u32,
}

fn years(store: &Store, key: &str, default: u32) -> u32 {
    meta::get(store.conn(), key)
        .ok()
        .flatten()
        .and_then(|v| v.trim().parse::<u32>().ok())
        .filter(|y| (1..=100).contains(y))
        .unwrap_or(default)
}

impl Retention {
    /// The periods as a line of an official report, in both languages the report uses.
    pub fn describe(&self) -> String {
        format!(
            "区外同意 {c} 年・運営推進会議の記録 {m} 年・申請 {a} 年（consent cases {c} years, council meeting records {m} years, applications {a} years）",
            c = self.consent_years,
            m = self.meeting_minutes_years,
            a = self.application_years
        )
    }
}

pub fn retention(store: &Store) -> Retention {
    Retention {
        consent_years: years(store, META_CONSENT_YEARS, DEFAULT_CONSENT_YEARS),
        meeting_minutes_years: years(
            store,
            META_MEETING_MINUTES_YEARS,
            DEFAULT_MEETING_MINUTES_YEARS,
        ),
        application_years: years(store, META_APPLICATION_YEARS, DEFAULT_APPLICATION_YEARS),
    }
}

fn before(today: NaiveDate, years: u32) -> String {
    today
        .checked_sub_months(Months::new(years * 12))
        .unwrap_or(NaiveDate::MIN)
        .format("%Y-%m-%d")
        .to_string()
}

pub fn cutoffs(r: &Retention, today: NaiveDate) -> Cutoffs {
    Cutoffs {
        consent_closed_before: before(today, r.consent_years),
        meeting_held_before: before(today, r.meeting_minutes_years),
        application_closed_before: before(today, r.application_years),
    }
}

/// What `purge` would delete today.
pub fn dry_run(store: &Store, today: NaiveDate) -> Result<Vec<Category>> {
    Ok(purge::candidates(
        store.conn(),
        &cutoffs(&retention(store), today),
    )?)
}

/// What a purge did.
#[derive(Debug)]
pub struct Purged {
    pub gone: Vec<Category>,
    /// `None` when the deleted content is gone from the file and the WAL; otherwise why
    /// it may still be there (another session kept an old snapshot, VACUUM failed).
    pub incomplete: Option<String>,
}

/// Deletes expired data: approver or admin only; `secure_delete` on, one transaction
/// with a `purge` audit record (counts only), then VACUUM and a WAL truncate.
///
/// `before_commit` runs inside the transaction with what is being deleted: it writes
/// the deletion report, and if it fails nothing is deleted.
pub fn purge(
    store: &mut Store,
    actor: &Actor,
    today: NaiveDate,
    patience: std::time::Duration,
    before_commit: impl FnOnce(&[Category]) -> std::io::Result<()>,
) -> Result<Purged> {
    if !matches!(actor.role, Role::Approver | Role::Admin) {
        return Err(ServiceError::Denied(Denied {
            ja: "消去には決裁者または管理者の権限が必要です".into(),
            en: "purging data needs an approver or admin".into(),
        }));
    }
    let cut = cutoffs(&retention(store), today);
    purge::secure_delete_on(store.conn())?;
    let (gone, anchored) = super::write_inner(
        store,
        |tx| {
            let gone = purge::delete(tx, &cut)?;
            let summary = gone
                .iter()
                .map(|c| format!("{}={}", c.key, c.count))
                .collect::<Vec<_>>()
                .join(", ");
            // One record for the whole purge: the counts per kind are its details.
            let entry = audit::Entry {
                actor: actor.staff_id.clone(),
                action: "purge".into(),
                object_type: "database".into(),
                object_id: String::new(),
                fields: gone.iter().map(|c| c.key.to_string()).collect(),
                reason: format!("retention expired: {summary}"),
            };
            Ok(Written::change(gone, entry))
        },
        // The deletion report is written after the record, before the commit.
        |gone| Ok(before_commit(gone).map_err(crate::store::StoreError::from)?),
        Anchoring::Forward,
    )?;
    anchored?;
    let incomplete = purge::vacuum(store.conn(), patience)
        .err()
        .map(|e| e.to_string());
    Ok(Purged { gone, incomplete })
}
