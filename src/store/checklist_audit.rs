//! Checklist audits: start, mark (one row per item, optimistic locking), sign, the
//! status matrix, open gaps, an item's history, event records (items 2–5), the audit
//! interval and the monthly access reviews. Signed audits are immutable in the schema
//! itself (triggers in migration 0006).

use super::{Result, StoreError, date_opt, meta};
use crate::domain::checklist::{
    self as dc, AuditDetail, AuditHeader, Category, Counts, Event, EventKind, HistoryEntry,
    ItemRow, Mark, MarkInput, MatrixRow, OpenGap, Side,
};
use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};

const HEADER_COLUMNS: &str = "a.id, a.connection_code, a.side, a.started_at, a.started_by,
    a.signed_at, a.signed_by, a.supersedes, a.version,
    (SELECT count(*) FROM checklist_mark m WHERE m.audit_id = a.id)";

fn header_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<AuditHeader> {
    let side: String = r.get(2)?;
    Ok(AuditHeader {
        id: r.get(0)?,
        connection_code: r.get(1)?,
        side: Side::from_code(&side).unwrap_or(Side::Ward),
        started_at: r.get(3)?,
        started_by: r.get(4)?,
        signed_at: r.get(5)?,
        signed_by: r.get(6)?,
        supersedes: r.get(7)?,
        version: r.get(8)?,
        marked: r.get(9)?,
    })
}

fn one_header(
    conn: &Connection,
    filter: &str,
    p: impl rusqlite::Params,
) -> Result<Option<AuditHeader>> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {HEADER_COLUMNS} FROM checklist_audit a WHERE {filter}"
        ))?
        .query_row(p, header_row)
        .optional()?)
}

pub fn header(conn: &Connection, audit_id: i64) -> Result<Option<AuditHeader>> {
    one_header(conn, "a.id = ?1", [audit_id])
}

/// The audit in progress for a connection and side (at most one).
pub fn open_audit(conn: &Connection, code: &str, side: Side) -> Result<Option<AuditHeader>> {
    one_header(
        conn,
        "a.connection_code = ?1 AND a.side = ?2 AND a.signed_at IS NULL",
        params![code, side.code()],
    )
}

/// The newest signed audit (the one in force) for a connection and side.
pub fn latest_signed(conn: &Connection, code: &str, side: Side) -> Result<Option<AuditHeader>> {
    one_header(
        conn,
        "a.connection_code = ?1 AND a.side = ?2 AND a.signed_at IS NOT NULL
         ORDER BY a.signed_at DESC, a.id DESC LIMIT 1",
        params![code, side.code()],
    )
}

/// Every audit of a connection and side, newest first (the one in progress on top).
pub fn audits(conn: &Connection, code: &str, side: Side) -> Result<Vec<AuditHeader>> {
    let mut st = conn.prepare_cached(&format!(
        "SELECT {HEADER_COLUMNS} FROM checklist_audit a
         WHERE a.connection_code = ?1 AND a.side = ?2
         ORDER BY a.signed_at IS NOT NULL, a.signed_at DESC, a.id DESC"
    ))?;
    let rows = st.query_map(params![code, side.code()], header_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// An audit with its 16 rows: each item's wording on the audit's side, the plan and
/// the mark (if any).
pub fn detail(conn: &Connection, audit_id: i64) -> Result<Option<AuditDetail>> {
    let Some(header) = header(conn, audit_id)? else {
        return Ok(None);
    };
    let mut st = conn.prepare_cached(
        "SELECT i.no, i.text_ja, i.text_en,
                CASE WHEN ?2 = 'ward' THEN i.ward_text_ja ELSE i.partner_text_ja END,
                p.planned, m.mark, m.note, m.evidence, m.evidence_date, m.owner, m.due_on,
                m.marked_at, m.marked_by, m.version
         FROM checklist_item i
         LEFT JOIN checklist_planned p ON p.connection_code = ?3 AND p.side = ?2 AND p.item_no = i.no
         LEFT JOIN checklist_mark m ON m.audit_id = ?1 AND m.item_no = i.no
         ORDER BY i.no",
    )?;
    let rows = st.query_map(
        params![audit_id, header.side.code(), header.connection_code],
        |r| {
            let no: i64 = r.get(0)?;
            let text = |i: usize| -> rusqlite::Result<String> {
                Ok(r.get::<_, Option<String>>(i)?.unwrap_or_default())
            };
            Ok(ItemRow {
                no,
                category: Category::of(no),
                label_ja: r.get(1)?,
                label_en: r.get(2)?,
                wording: r.get(3)?,
                planned: r
                    .get::<_, Option<String>>(4)?
                    .and_then(|s| Mark::from_code(&s)),
                mark: r
                    .get::<_, Option<String>>(5)?
                    .and_then(|s| Mark::from_code(&s)),
                note: text(6)?,
                evidence: text(7)?,
                evidence_date: date_opt(r.get(8)?),
                owner: text(9)?,
                due_on: date_opt(r.get(10)?),
                marked_at: text(11)?,
                marked_by: text(12)?,
                version: r.get::<_, Option<i64>>(13)?.unwrap_or(0),
            })
        },
    )?;
    Ok(Some(AuditDetail {
        header,
        rows: rows.collect::<Result<_, _>>()?,
    }))
}

/// ○/ー/✗ counts of an audit and how many marks differ from the plan.
pub fn counts(conn: &Connection, audit: &AuditHeader) -> Result<Counts> {
    let mut st = conn.prepare_cached(
        "SELECT m.mark, p.planned FROM checklist_mark m
         LEFT JOIN checklist_planned p
           ON p.connection_code = ?2 AND p.side = ?3 AND p.item_no = m.item_no
         WHERE m.audit_id = ?1",
    )?;
    let rows = st.query_map(
        params![audit.id, audit.connection_code, audit.side.code()],
        |r| Ok((r.get::<_, String>(0)?, r.get::<_, Option<String>>(1)?)),
    )?;
    let mut c = Counts::default();
    for row in rows {
        let (mark, planned) = row?;
        match Mark::from_code(&mark) {
            Some(Mark::Ok) => c.ok += 1,
            Some(Mark::NotNeeded) => c.not_needed += 1,
            Some(Mark::Gap) => c.gap += 1,
            None => {}
        }
        if planned.is_some_and(|p| p != mark) {
            c.differs += 1;
        }
    }
    Ok(c)
}

/// The status matrix: every connection × side with the counts of its latest signed
/// audit, when the next audit is due (`interval_months` after signing) and the audit in
/// progress.
pub fn matrix(conn: &Connection, today: NaiveDate, interval_months: u32) -> Result<Vec<MatrixRow>> {
    let mut out = Vec::new();
    for connection in super::checklist_reference::connections(conn)? {
        for side in Side::ALL {
            let last = latest_signed(conn, &connection.code, side)?;
            let counts = match &last {
                Some(a) => counts(conn, a)?,
                None => Counts::default(),
            };
            let signed_on = last
                .as_ref()
                .and_then(|a| a.signed_at.as_deref())
                .and_then(signed_date);
            out.push(MatrixRow {
                open: open_audit(conn, &connection.code, side)?,
                connection: connection.clone(),
                side,
                last,
                counts,
                next_due: dc::next_due(signed_on, interval_months),
                overdue: dc::is_overdue(signed_on, interval_months, today),
            });
        }
    }
    Ok(out)
}

/// The date part of a stored RFC 3339 time.
pub fn signed_date(at: &str) -> Option<NaiveDate> {
    at.get(..10)
        .and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
}

/// Gaps of the audits in force (the latest signed per connection and side), soonest
/// due first.
pub fn open_gaps(conn: &Connection) -> Result<Vec<OpenGap>> {
    let mut st = conn.prepare_cached(
        "SELECT a.id, a.connection_code, c.name_ja, a.side, m.item_no, i.text_ja, m.note, m.owner, m.due_on
         FROM checklist_mark m
         JOIN checklist_audit a ON a.id = m.audit_id
         JOIN checklist_connection c ON c.code = a.connection_code
         JOIN checklist_item i ON i.no = m.item_no
         WHERE m.mark = 'gap' AND a.signed_at IS NOT NULL
           AND a.id = (SELECT b.id FROM checklist_audit b
                       WHERE b.connection_code = a.connection_code AND b.side = a.side
                         AND b.signed_at IS NOT NULL
                       ORDER BY b.signed_at DESC, b.id DESC LIMIT 1)
         ORDER BY m.due_on IS NULL, m.due_on, c.rowid, a.side DESC, m.item_no",
    )?;
    let rows = st.query_map([], |r| {
        Ok(OpenGap {
            audit_id: r.get(0)?,
            connection_code: r.get(1)?,
            connection_name_ja: r.get(2)?,
            side: Side::from_code(&r.get::<_, String>(3)?).unwrap_or(Side::Ward),
            item_no: r.get(4)?,
            label_ja: r.get(5)?,
            note: r.get(6)?,
            owner: r.get(7)?,
            due_on: date_opt(r.get(8)?),
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// One item across the audits of a connection and side, newest first.
pub fn item_history(
    conn: &Connection,
    code: &str,
    side: Side,
    item_no: i64,
) -> Result<Vec<HistoryEntry>> {
    let mut st = conn.prepare_cached(
        "SELECT a.id, a.signed_at, a.signed_by, m.mark, m.note, m.evidence, m.evidence_date,
                m.owner, m.due_on, m.marked_by
         FROM checklist_mark m JOIN checklist_audit a ON a.id = m.audit_id
         WHERE a.connection_code = ?1 AND a.side = ?2 AND m.item_no = ?3
         ORDER BY a.signed_at IS NOT NULL, a.signed_at DESC, a.id DESC",
    )?;
    let rows = st.query_map(params![code, side.code(), item_no], |r| {
        Ok(HistoryEntry {
            audit_id: r.get(0)?,
            signed_at: r.get(1)?,
            signed_by: r.get(2)?,
            mark: Mark::from_code(&r.get::<_, String>(3)?).unwrap_or(Mark::Gap),
            note: r.get(4)?,
            evidence: r.get(5)?,
            evidence_date: date_opt(r.get(6)?),
            owner: r.get(7)?,
            due_on: date_opt(r.get(8)?),
            marked_by: r.get(9)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Event records of a connection (all items 2–5, or one), newest first.
pub fn events(conn: &Connection, code: &str, item_no: Option<i64>) -> Result<Vec<Event>> {
    let mut st = conn.prepare_cached(
        "SELECT id, connection_code, kind, occurred_on, document, note, recorded_at, recorded_by
         FROM checklist_event WHERE connection_code = ?1 AND (?2 IS NULL OR item_no = ?2)
         ORDER BY occurred_on DESC, id DESC",
    )?;
    let rows = st.query_map(params![code, item_no], |r| {
        Ok(Event {
            id: r.get(0)?,
            connection_code: r.get(1)?,
            kind: EventKind::from_code(&r.get::<_, String>(2)?).unwrap_or(EventKind::StatusReport),
            occurred_on: date_opt(r.get(3)?).unwrap_or_default(),
            document: r.get(4)?,
            note: r.get(5)?,
            recorded_at: r.get(6)?,
            recorded_by: r.get(7)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The audit interval in months kept in the database (default 12).
pub fn interval_months(conn: &Connection) -> Result<u32> {
    Ok(meta::get(conn, dc::META_INTERVAL_MONTHS)?
        .and_then(|v| dc::parse_interval(&v).ok())
        .unwrap_or(dc::DEFAULT_INTERVAL_MONTHS))
}

pub fn set_interval_months(conn: &Connection, months: u32) -> Result<()> {
    meta::set(conn, dc::META_INTERVAL_MONTHS, &months.to_string())
}

/// Who reviewed the access-log report of `month` (YYYY-MM), and when.
pub fn access_reviews(conn: &Connection, month: &str) -> Result<Vec<(String, String)>> {
    let mut st = conn.prepare_cached(
        "SELECT reviewed_at, reviewed_by FROM access_review WHERE month = ?1 ORDER BY reviewed_at",
    )?;
    let rows = st.query_map([month], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

// ---- writes (inside the service's transaction) ----

pub fn insert_audit(conn: &Connection, code: &str, side: Side, at: &str, by: &str) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO checklist_audit(connection_code, side, started_at, started_by) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![code, side.code(), at, by])?;
    Ok(conn.last_insert_rowid())
}

fn date_text(d: Option<NaiveDate>) -> Option<String> {
    d.map(|d| d.to_string())
}

/// Sets one item's mark if its row is still at `expected_version` (0 = not marked yet);
/// bumps the audit's version too, so a signature covers what the signer saw. Returns the
/// row's new version; a signed audit is refused by the schema.
pub fn set_mark(
    conn: &Connection,
    audit_id: i64,
    item_no: i64,
    input: &MarkInput,
    expected_version: i64,
    at: &str,
    by: &str,
) -> Result<i64> {
    let mark = input.mark.unwrap_or(Mark::Gap).code();
    let current: i64 = conn
        .prepare_cached("SELECT version FROM checklist_mark WHERE audit_id = ?1 AND item_no = ?2")?
        .query_row(params![audit_id, item_no], |r| r.get(0))
        .optional()?
        .unwrap_or(0);
    if current != expected_version {
        return Err(StoreError::Conflict {
            object: format!("checklist item {item_no}"),
            expected: expected_version,
            current,
        });
    }
    let values = params![
        audit_id,
        item_no,
        mark,
        input.note,
        input.evidence,
        date_text(input.evidence_date),
        input.owner,
        date_text(input.due_on),
        at,
        by
    ];
    if current == 0 {
        conn.prepare_cached(
            "INSERT INTO checklist_mark(audit_id, item_no, mark, note, evidence, evidence_date, owner, due_on, marked_at, marked_by, version)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 1)",
        )?
        .execute(values)?;
    } else {
        conn.prepare_cached(
            "UPDATE checklist_mark SET mark = ?3, note = ?4, evidence = ?5, evidence_date = ?6, owner = ?7,
               due_on = ?8, marked_at = ?9, marked_by = ?10, version = version + 1
             WHERE audit_id = ?1 AND item_no = ?2",
        )?
        .execute(values)?;
    }
    conn.prepare_cached("UPDATE checklist_audit SET version = version + 1 WHERE id = ?1")?
        .execute([audit_id])?;
    Ok(current + 1)
}

/// Signs an open audit at `expected_version`; it supersedes the connection and side's
/// latest signed audit, whose id is returned.
pub fn sign(
    conn: &Connection,
    audit: &AuditHeader,
    expected_version: i64,
    at: &str,
    by: &str,
) -> Result<Option<i64>> {
    if audit.version != expected_version {
        return Err(StoreError::Conflict {
            object: format!("checklist audit {}", audit.id),
            expected: expected_version,
            current: audit.version,
        });
    }
    let previous = latest_signed(conn, &audit.connection_code, audit.side)?.map(|a| a.id);
    let n = conn
        .prepare_cached(
            "UPDATE checklist_audit SET signed_at = ?2, signed_by = ?3, supersedes = ?4, version = version + 1
             WHERE id = ?1 AND version = ?5 AND signed_at IS NULL",
        )?
        .execute(params![audit.id, at, by, previous, expected_version])?;
    if n != 1 {
        return Err(StoreError::Conflict {
            object: format!("checklist audit {}", audit.id),
            expected: expected_version,
            current: audit.version,
        });
    }
    Ok(previous)
}

pub struct NewEvent<'a> {
    pub connection_code: &'a str,
    pub kind: EventKind,
    pub occurred_on: NaiveDate,
    pub document: &'a str,
    pub note: &'a str,
}

pub fn insert_event(conn: &Connection, e: &NewEvent<'_>, at: &str, by: &str) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO checklist_event(connection_code, kind, item_no, occurred_on, document, note, recorded_at, recorded_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        e.connection_code,
        e.kind.code(),
        e.kind.item(),
        e.occurred_on.to_string(),
        e.document,
        e.note,
        at,
        by
    ])?;
    Ok(conn.last_insert_rowid())
}

/// Records (or renews) `by`'s review of the access log of `month`.
pub fn upsert_access_review(
    conn: &Connection,
    month: &str,
    at: &str,
    by: &str,
    note: &str,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO access_review(month, reviewed_at, reviewed_by, note) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT(month, reviewed_by) DO UPDATE SET reviewed_at = excluded.reviewed_at, note = excluded.note",
    )?
    .execute(params![month, at, by, note])?;
    Ok(())
}
