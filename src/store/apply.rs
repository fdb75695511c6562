//! 申請内容反映 in SQL: runs a decision's [`Plan`] against the ledger, records each
//! changed value in `facility_change`, queues the change in `outbox` for LEMSCARE and
//! 国保連, and adds the 公示 entry. The caller holds the transaction (with the status
//! change and the audit record).

use super::{Result, StoreError, change_history, facilities};
use crate::domain::decision::{LedgerStep, Plan};
use crate::domain::history::{self, FieldChange};
use crate::domain::model::FacilityStatus;
use crate::store::facilities::NewFacility;
use rusqlite::{Connection, OptionalExtension, params};
use serde_json::json;

/// The outbox targets every applied change goes to.
pub const OUTBOX_TARGETS: [&str; 2] = ["lemscare", "kokuhoren"];

/// Who applies which case, when.
#[derive(Debug, Clone, Copy)]
pub struct Cause<'a> {
    pub application_id: i64,
    /// The application kind code (`change`, `new`, …): the outbox `change_kind`.
    pub kind: &'a str,
    pub actor: &'a str,
    pub at: &'a str,
}

fn bump(conn: &Connection, facility_id: i64, actor: &str, at: &str) -> Result<()> {
    conn.prepare_cached(
        "UPDATE facility SET version = version + 1, updated_at = ?1, updated_by = ?2 WHERE id = ?3",
    )?
    .execute(params![at, actor, facility_id])?;
    Ok(())
}

fn current_version(conn: &Connection, facility_id: i64) -> Result<i64> {
    conn.prepare_cached("SELECT version FROM facility WHERE id = ?1")?
        .query_row([facility_id], |r| r.get(0))
        .optional()?
        .ok_or_else(|| StoreError::NotFound(format!("facility {facility_id}")))
}

/// Applies `plan` to facility `facility_id` (None for a 新規 case, which creates it) and
/// returns the facility's id.
pub fn apply_plan(
    conn: &Connection,
    plan: &Plan,
    facility_id: Option<i64>,
    cause: &Cause<'_>,
) -> Result<i64> {
    let mut id = facility_id;
    let mut summary_stale = false;
    for step in &plan.steps {
        match step {
            LedgerStep::CreateFacility {
                fields,
                service_code,
                designated_on,
                expires_on,
                prefecture_notified_on,
            } => {
                let new_id = facilities::insert(
                    conn,
                    &NewFacility {
                        fields: fields.clone(),
                        status: Some(FacilityStatus::Active),
                        ..Default::default()
                    },
                    cause.actor,
                )?;
                conn.prepare_cached(
                    "INSERT INTO designation(facility_id, service_code, designated_on, expires_on, status, prefecture_notified_on)
                     VALUES (?1, ?2, ?3, ?4, 'active', ?5)",
                )?
                .execute(params![
                    new_id,
                    service_code,
                    designated_on.to_string(),
                    expires_on.to_string(),
                    prefecture_notified_on.map(|d| d.to_string())
                ])?;
                id = Some(new_id);
                summary_stale = true;
            }
            LedgerStep::UpdateFields(fields) => {
                let fid = need(id)?;
                let v = current_version(conn, fid)?;
                facilities::update_fields(conn, fid, v, fields, cause.actor)?;
            }
            LedgerStep::SetStatus(status) => {
                let fid = need(id)?;
                conn.prepare_cached(
                    "UPDATE facility SET status = ?1, version = version + 1, updated_at = ?2, updated_by = ?3 WHERE id = ?4",
                )?
                .execute(params![status.code(), cause.at, cause.actor, fid])?;
            }
            LedgerStep::SetExpiry {
                service_code,
                expires_on,
            } => {
                let fid = need(id)?;
                let n = conn
                    .prepare_cached(
                        "UPDATE designation SET expires_on = ?1, version = version + 1
                         WHERE facility_id = ?2 AND service_code = ?3 AND status = 'active'",
                    )?
                    .execute(params![expires_on.to_string(), fid, service_code])?;
                if n != 1 {
                    return Err(StoreError::NotFound(format!(
                        "designation {service_code} of facility {fid}"
                    )));
                }
                bump(conn, fid, cause.actor, cause.at)?;
                summary_stale = true;
            }
            LedgerStep::EndDesignation { service_code } => {
                let fid = need(id)?;
                conn.prepare_cached(
                    "UPDATE designation SET status = 'ended', version = version + 1
                     WHERE facility_id = ?1 AND service_code = ?2 AND status = 'active'",
                )?
                .execute(params![fid, service_code])?;
                bump(conn, fid, cause.actor, cause.at)?;
                summary_stale = true;
            }
            LedgerStep::AddItems {
                service_code,
                effective_month,
                items,
            } => {
                let fid = need(id)?;
                for item in items {
                    conn.prepare_cached(
                        "INSERT INTO facility_addition(facility_id, service_code, item, effective_month, application_id)
                         VALUES (?1, ?2, ?3, ?4, ?5)",
                    )?
                    .execute(params![
                        fid,
                        service_code,
                        item,
                        effective_month.format("%Y-%m").to_string(),
                        cause.application_id
                    ])?;
                }
                bump(conn, fid, cause.actor, cause.at)?;
            }
        }
    }
    let fid = need(id)?;
    if summary_stale {
        facilities::refresh_summary(conn, fid)?;
    }
    let changes: Vec<FieldChange> = plan
        .changes
        .iter()
        .map(|c| FieldChange {
            field: c.field.clone(),
            old: c.old.clone(),
            new: c.new.clone(),
            personal: c.personal,
        })
        .collect();
    change_history::record_at(
        conn,
        fid,
        cause.at,
        cause.actor,
        &history::Cause {
            kind: history::Cause::APPLICATION.into(),
            id: cause.application_id.to_string(),
        },
        &changes,
    )?;
    let facility = facilities::get(conn, fid)?
        .ok_or_else(|| StoreError::NotFound(format!("facility {fid}")))?;
    if !plan.changes.is_empty() {
        let payload = json!({
            "application_id": cause.application_id,
            "kind": cause.kind,
            "provider_number": facility.fields.provider_number,
            "changes": plan.changes.iter().map(|c| json!({"field": c.field, "old": c.old, "new": c.new})).collect::<Vec<_>>(),
        })
        .to_string();
        queue_outbox(conn, fid, cause.kind, &payload, cause.at)?;
    }
    if let Some((kind, service, on)) = &plan.notice {
        conn.prepare_cached(
            "INSERT INTO public_notice(kind, facility_id, provider_number, name, address, service_code, effective_on, application_id, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )?
        .execute(params![
            kind.code(),
            fid,
            facility.fields.provider_number,
            facility.fields.name,
            facility.fields.address,
            service,
            on.to_string(),
            cause.application_id,
            cause.at
        ])?;
    }
    Ok(fid)
}

/// Queues one change of facility `fid` for every outside system (LEMSCARE, 国保連); the
/// export jobs build their records from the ledger when they run.
pub fn queue_outbox(
    conn: &Connection,
    fid: i64,
    change_kind: &str,
    payload: &str,
    at: &str,
) -> Result<()> {
    for target in OUTBOX_TARGETS {
        conn.prepare_cached(
            "INSERT INTO outbox(target, facility_id, change_kind, payload, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?
        .execute(params![target, fid, change_kind, payload, at])?;
    }
    Ok(())
}

fn need(id: Option<i64>) -> Result<i64> {
    id.ok_or_else(|| StoreError::Invalid("the decision names no facility".into()))
}

/// Outbox rows for a facility (newest first), for tests and the sync screen.
pub fn outbox_for_facility(
    conn: &Connection,
    facility_id: i64,
) -> Result<Vec<(String, String, String)>> {
    let mut st = conn.prepare_cached(
        "SELECT target, change_kind, payload FROM outbox WHERE facility_id = ?1 ORDER BY id DESC",
    )?;
    let rows = st.query_map([facility_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}
