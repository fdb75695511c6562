//! 運営指導 records, each facility's next due date (the `next_guidance_due` summary
//! column), the fiscal-year plan and the header's counts.

use super::facilities::NO_DATE;
use super::{Result, StoreError, date_opt};
use crate::domain::guidance::{
    self, Guidance, GuidanceFields, GuidanceStatus, PlanEntry, YearPlan,
};
use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};
use std::collections::HashMap;

const COLUMNS: &str = "id, facility_id, coalesce(planned_on, ''), coalesce(held_on, ''), findings,
    coalesce(improvement_due_on, ''), coalesce(improvement_received_on, ''), note, recorded_by, version";

fn guidance_from(r: &rusqlite::Row<'_>) -> rusqlite::Result<Guidance> {
    Ok(Guidance {
        id: r.get(0)?,
        facility_id: r.get(1)?,
        fields: GuidanceFields {
            planned_on: r.get(2)?,
            held_on: r.get(3)?,
            findings: r.get(4)?,
            improvement_due_on: r.get(5)?,
            improvement_received_on: r.get(6)?,
            note: r.get(7)?,
        },
        recorded_by: r.get(8)?,
        version: r.get(9)?,
    })
}

fn opt(s: &str) -> Option<&str> {
    (!s.is_empty()).then_some(s)
}

/// A facility's records: plans not yet held first, then results newest first.
pub fn list(conn: &Connection, facility_id: i64) -> Result<Vec<Guidance>> {
    let mut st = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM guidance_visit WHERE facility_id = ?1
         ORDER BY held_on IS NOT NULL, coalesce(held_on, planned_on) DESC, id DESC"
    ))?;
    let rows = st.query_map([facility_id], guidance_from)?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

pub fn get(conn: &Connection, id: i64) -> Result<Option<Guidance>> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {COLUMNS} FROM guidance_visit WHERE id = ?1"
        ))?
        .query_row([id], guidance_from)
        .optional()?)
}

pub fn insert(conn: &Connection, facility_id: i64, f: &GuidanceFields, actor: &str) -> Result<i64> {
    let id = insert_unrefreshed(conn, facility_id, f, actor)?;
    refresh(conn, facility_id)?;
    Ok(id)
}

/// Inserts a record without refreshing the facility's due date (bulk loads call
/// [`refresh_all`] once at the end).
pub fn insert_unrefreshed(
    conn: &Connection,
    facility_id: i64,
    f: &GuidanceFields,
    actor: &str,
) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO guidance_visit(facility_id, planned_on, held_on, findings, improvement_due_on,
            improvement_received_on, note, recorded_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        facility_id,
        opt(&f.planned_on),
        opt(&f.held_on),
        f.findings,
        opt(&f.improvement_due_on),
        opt(&f.improvement_received_on),
        f.note,
        actor
    ])?;
    Ok(conn.last_insert_rowid())
}

/// Updates a record if still at `expected_version` (else `Conflict`); returns the new version.
pub fn update(
    conn: &Connection,
    id: i64,
    expected_version: i64,
    f: &GuidanceFields,
) -> Result<i64> {
    let current =
        get(conn, id)?.ok_or_else(|| StoreError::NotFound(format!("guidance record {id}")))?;
    let n = conn
        .prepare_cached(
            "UPDATE guidance_visit SET planned_on = ?1, held_on = ?2, findings = ?3, improvement_due_on = ?4,
                improvement_received_on = ?5, note = ?6, version = version + 1
             WHERE id = ?7 AND version = ?8",
        )?
        .execute(params![
            opt(&f.planned_on),
            opt(&f.held_on),
            f.findings,
            opt(&f.improvement_due_on),
            opt(&f.improvement_received_on),
            f.note,
            id,
            expected_version
        ])?;
    if n != 1 {
        return Err(StoreError::Conflict {
            object: format!("guidance record {id}"),
            expected: expected_version,
            current: current.version,
        });
    }
    refresh(conn, current.facility_id)?;
    Ok(expected_version + 1)
}

/// `(interval months, designated_on)` of a facility's active designations.
pub type Designations = Vec<(Option<u32>, NaiveDate)>;

/// Per facility (not closed; one facility or all): its active designations as
/// `(interval months, designated_on)` and its last guidance held.
pub fn designations_and_last(
    conn: &Connection,
    facility_id: Option<i64>,
) -> Result<HashMap<i64, (Designations, Option<NaiveDate>)>> {
    let mut out: HashMap<i64, (Designations, Option<NaiveDate>)> = HashMap::new();
    let mut st = conn.prepare_cached(
        "SELECT d.facility_id, t.guidance_interval_months, d.designated_on
         FROM designation d JOIN ref_service_type t ON t.code = d.service_code
         JOIN facility f ON f.id = d.facility_id
         WHERE d.status = 'active' AND f.status <> 'closed' AND (?1 IS NULL OR d.facility_id = ?1)",
    )?;
    let rows = st.query_map([facility_id], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, Option<i64>>(1)?,
            r.get::<_, Option<String>>(2)?,
        ))
    })?;
    for row in rows {
        let (id, interval, designated) = row?;
        if let Some(d) = date_opt(designated) {
            out.entry(id)
                .or_default()
                .0
                .push((interval.and_then(|v| u32::try_from(v).ok()), d));
        }
    }
    let mut st = conn.prepare_cached(
        "SELECT facility_id, max(held_on) FROM guidance_visit
         WHERE held_on IS NOT NULL AND (?1 IS NULL OR facility_id = ?1) GROUP BY facility_id",
    )?;
    let rows = st.query_map([facility_id], |r| {
        Ok((r.get::<_, i64>(0)?, r.get::<_, Option<String>>(1)?))
    })?;
    for row in rows {
        let (id, last) = row?;
        if let Some(entry) = out.get_mut(&id) {
            entry.1 = date_opt(last);
        }
    }
    Ok(out)
}

fn store_due(conn: &Connection, facility_id: i64, due: Option<NaiveDate>) -> Result<()> {
    conn.prepare_cached("UPDATE facility SET next_guidance_due = ?1 WHERE id = ?2")?
        .execute(params![
            due.map_or(NO_DATE.to_string(), |d| d.to_string()),
            facility_id
        ])?;
    Ok(())
}

/// Recomputes one facility's next 運営指導 due date (after a record, a designation or a
/// status change).
pub fn refresh(conn: &Connection, facility_id: i64) -> Result<()> {
    let all = designations_and_last(conn, Some(facility_id))?;
    let due = all
        .get(&facility_id)
        .and_then(|(ds, last)| guidance::facility_next_due(ds, *last));
    store_due(conn, facility_id, due)
}

/// Recomputes every facility's due date (after the intervals changed, and for the demo).
pub fn refresh_all(conn: &Connection) -> Result<()> {
    let all = designations_and_last(conn, None)?;
    conn.execute(
        "UPDATE facility SET next_guidance_due = ?1 WHERE next_guidance_due <> ?1",
        [NO_DATE],
    )?;
    for (id, (ds, last)) in &all {
        store_due(conn, *id, guidance::facility_next_due(ds, *last))?;
    }
    Ok(())
}

/// A facility's status for its detail view.
pub fn status(conn: &Connection, facility_id: i64) -> Result<GuidanceStatus> {
    let all = designations_and_last(conn, Some(facility_id))?;
    let (ds, last) = all.get(&facility_id).cloned().unwrap_or_default();
    Ok(GuidanceStatus {
        last_held: last,
        next_due: guidance::facility_next_due(&ds, last),
        interval_months: ds.iter().filter_map(|d| d.0).min(),
        records: list(conn, facility_id)?,
    })
}

/// The plan for fiscal year `fy`: every facility (not closed) due by the year's end or
/// with a visit planned in it, by month. `today` marks the overdue ones.
pub fn year_plan(conn: &Connection, fy: i32, today: NaiveDate) -> Result<YearPlan> {
    let (start, end) = guidance::fiscal_year_range(fy);
    let mut st = conn.prepare_cached(
        "SELECT f.id, f.provider_number, f.name, f.services, f.next_guidance_due,
                (SELECT max(g.held_on) FROM guidance_visit g WHERE g.facility_id = f.id AND g.held_on IS NOT NULL),
                (SELECT min(g.planned_on) FROM guidance_visit g
                  WHERE g.facility_id = f.id AND g.held_on IS NULL AND g.planned_on BETWEEN ?1 AND ?2)
         FROM facility f
         WHERE f.status <> 'closed'
           AND (f.next_guidance_due <= ?2
                OR EXISTS (SELECT 1 FROM guidance_visit g WHERE g.facility_id = f.id AND g.held_on IS NULL
                           AND g.planned_on BETWEEN ?1 AND ?2))
         ORDER BY f.next_guidance_due, f.id",
    )?;
    let rows = st.query_map(params![start.to_string(), end.to_string()], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, Option<String>>(4)?,
            r.get::<_, Option<String>>(5)?,
            r.get::<_, Option<String>>(6)?,
        ))
    })?;
    let mut entries = Vec::new();
    for row in rows {
        let (id, number, name, services, due, last, planned) = row?;
        let next_due = date_opt(due);
        let planned_on = date_opt(planned);
        let Some(month) = guidance::plan_month(fy, next_due, planned_on) else {
            continue;
        };
        entries.push(PlanEntry {
            facility_id: id,
            provider_number: number,
            name,
            services,
            last_held: date_opt(last),
            next_due,
            planned_on,
            month,
            overdue: next_due.is_some_and(|d| d < today),
        });
    }
    Ok(YearPlan::new(fy, entries))
}

pub use crate::domain::guidance::GuidanceCounts;

pub fn counts(conn: &Connection, today: NaiveDate) -> Result<GuidanceCounts> {
    let (_, end) = guidance::fiscal_year_range(guidance::fiscal_year(today));
    let n = |sql: &str, p: &str| -> Result<usize> {
        let v: i64 = conn.prepare_cached(sql)?.query_row([p], |r| r.get(0))?;
        Ok(usize::try_from(v).unwrap_or(0))
    };
    Ok(GuidanceCounts {
        due_this_year: n(
            "SELECT count(*) FROM facility WHERE next_guidance_due <= ?1 AND status <> 'closed'",
            &end.to_string(),
        )?,
        overdue: n(
            "SELECT count(*) FROM facility WHERE next_guidance_due < ?1 AND status <> 'closed'",
            &today.to_string(),
        )?,
        improvement_overdue: n(
            "SELECT count(*) FROM guidance_visit WHERE improvement_due_on < ?1 AND improvement_received_on IS NULL",
            &today.to_string(),
        )?,
    })
}
