//! 運営推進会議 / 介護・医療連携推進会議 records and each facility's meeting duty.
//! Writes refresh the facility's summary (`next_meeting_due`), which the list and the
//! header's overdue count read.

use super::{Result, StoreError, date_opt, facilities};
use crate::domain::meeting::{self, Meeting, MeetingDuty, MeetingFields, MeetingKind};
use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};

const COLUMNS: &str =
    "id, facility_id, kind, held_on, coalesce(attendees, ''), coalesce(minutes_received_on, ''),
    minutes_ref, note, recorded_by, version";

fn meeting_from(r: &rusqlite::Row<'_>) -> rusqlite::Result<Meeting> {
    let attendees: rusqlite::types::Value = r.get(4)?;
    Ok(Meeting {
        id: r.get(0)?,
        facility_id: r.get(1)?,
        fields: MeetingFields {
            kind: r.get(2)?,
            held_on: r.get(3)?,
            attendees: match attendees {
                rusqlite::types::Value::Integer(n) => n.to_string(),
                _ => String::new(),
            },
            minutes_received_on: r.get(5)?,
            minutes_ref: r.get(6)?,
            note: r.get(7)?,
        },
        recorded_by: r.get(8)?,
        version: r.get(9)?,
    })
}

/// A facility's meetings, newest first.
pub fn list(conn: &Connection, facility_id: i64) -> Result<Vec<Meeting>> {
    let mut st = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM council_meeting WHERE facility_id = ?1 ORDER BY held_on DESC, id DESC"
    ))?;
    let rows = st.query_map([facility_id], meeting_from)?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

pub fn get(conn: &Connection, id: i64) -> Result<Option<Meeting>> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {COLUMNS} FROM council_meeting WHERE id = ?1"
        ))?
        .query_row([id], meeting_from)
        .optional()?)
}

fn attendees(f: &MeetingFields) -> Option<i64> {
    f.attendees.parse().ok()
}

fn opt(s: &str) -> Option<&str> {
    (!s.is_empty()).then_some(s)
}

/// Inserts a validated meeting and refreshes the facility's next due date.
pub fn insert(conn: &Connection, facility_id: i64, f: &MeetingFields, actor: &str) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO council_meeting(facility_id, kind, held_on, attendees, minutes_received_on, minutes_ref, note, recorded_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        facility_id,
        f.kind,
        f.held_on,
        attendees(f),
        opt(&f.minutes_received_on),
        f.minutes_ref,
        f.note,
        actor
    ])?;
    let id = conn.last_insert_rowid();
    facilities::refresh_summary(conn, facility_id)?;
    Ok(id)
}

/// Updates a meeting if it is still at `expected_version` (else `Conflict`, nothing
/// changed); refreshes the facility's next due date. Returns the new version.
pub fn update(conn: &Connection, id: i64, expected_version: i64, f: &MeetingFields) -> Result<i64> {
    let Some(current) = get(conn, id)? else {
        return Err(StoreError::NotFound(format!("meeting {id}")));
    };
    let n = conn
        .prepare_cached(
            "UPDATE council_meeting SET kind = ?1, held_on = ?2, attendees = ?3, minutes_received_on = ?4,
                minutes_ref = ?5, note = ?6, version = version + 1
             WHERE id = ?7 AND version = ?8",
        )?
        .execute(params![
            f.kind,
            f.held_on,
            attendees(f),
            opt(&f.minutes_received_on),
            f.minutes_ref,
            f.note,
            id,
            expected_version
        ])?;
    if n != 1 {
        return Err(StoreError::Conflict {
            object: format!("meeting {id}"),
            expected: expected_version,
            current: current.version,
        });
    }
    facilities::refresh_summary(conn, current.facility_id)?;
    Ok(expected_version + 1)
}

/// The meeting kinds a facility's active services hold, with their shortest interval
/// and earliest designation: `(kind, months, designated_on)`.
fn required(conn: &Connection, facility_id: i64) -> Result<Vec<(MeetingKind, u32, NaiveDate)>> {
    let mut st = conn.prepare_cached(
        "SELECT t.meeting_kind, min(t.meeting_interval_months), min(d.designated_on)
         FROM designation d JOIN ref_service_type t ON t.code = d.service_code
         WHERE d.facility_id = ?1 AND d.status = 'active' AND t.meeting_interval_months IS NOT NULL
           AND t.meeting_kind <> ''
         GROUP BY t.meeting_kind ORDER BY t.meeting_kind",
    )?;
    let rows = st.query_map([facility_id], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, Option<String>>(2)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (kind, months, designated) = row?;
        if let (Some(kind), Ok(months), Some(designated)) = (
            MeetingKind::from_label(&kind),
            u32::try_from(months),
            date_opt(designated),
        ) {
            out.push((kind, months, designated));
        }
    }
    Ok(out)
}

/// The kinds of meeting a facility must hold (none for 43/46/71 and 総合事業).
pub fn required_kinds(conn: &Connection, facility_id: i64) -> Result<Vec<MeetingKind>> {
    Ok(required(conn, facility_id)?
        .into_iter()
        .map(|(k, _, _)| k)
        .collect())
}

/// Per kind the facility must hold: interval, last meeting of that kind, next due.
pub fn duties(conn: &Connection, facility_id: i64) -> Result<Vec<MeetingDuty>> {
    let mut out = Vec::new();
    for (kind, months, designated) in required(conn, facility_id)? {
        let last: Option<String> = conn
            .prepare_cached(
                "SELECT max(held_on) FROM council_meeting WHERE facility_id = ?1 AND (kind = ?2 OR kind = '')",
            )?
            .query_row(params![facility_id, kind.label_ja()], |r| r.get(0))?;
        let last_held = date_opt(last);
        out.push(MeetingDuty {
            kind,
            interval_months: months,
            last_held,
            next_due: meeting::next_due(Some(months), last_held, designated),
        });
    }
    Ok(out)
}

/// Gives meetings recorded without a kind the kind their facility's services hold (the
/// same rule as migration 7), and demo meetings an attendance and a minutes date that
/// follow from their id (reproducible; minutes arrive 7–27 days later, never after `today`).
pub fn seed_details(conn: &Connection, today: NaiveDate) -> Result<usize> {
    let n = conn.execute(
        "UPDATE council_meeting SET kind = coalesce(
            (SELECT t.meeting_kind FROM designation d JOIN ref_service_type t ON t.code = d.service_code
             WHERE d.facility_id = council_meeting.facility_id AND t.meeting_kind <> ''
             ORDER BY t.meeting_interval_months, t.code LIMIT 1),
            '運営推進会議'),
            attendees = 4 + id % 6,
            minutes_received_on = CASE WHEN date(held_on, '+' || (7 + id % 21) || ' days') <= ?1
                                       THEN date(held_on, '+' || (7 + id % 21) || ' days') END
         WHERE kind = ''",
        [today.to_string()],
    )?;
    Ok(n)
}
