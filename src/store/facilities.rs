//! Facilities (事業所): read, page through, search, insert, update with optimistic locking.

use super::{Result, StoreError, date_opt};
use crate::domain::model::{
    CouncilMeeting, CouncilMember, Designation, Facility, FacilityFields, FacilityRow,
    FacilityStatus, StaffMember,
};
use crate::domain::{meeting, search, text};
use chrono::NaiveDate;
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, params, params_from_iter};

/// Stored in the summary date columns when there is no date, so it sorts last.
pub const NO_DATE: &str = "9999-12-31";

pub use crate::domain::view::{Cursor, Direction, ListQuery, SortKey};

/// The summary column a sort key orders by.
fn sort_column(key: SortKey) -> &'static str {
    match key {
        SortKey::ProviderNumber => "provider_number",
        SortKey::NameKana => "name_kana",
        SortKey::Town => "town",
        SortKey::NextExpiry => "next_expiry",
        SortKey::NextMeeting => "next_meeting_due",
        SortKey::Status => "status",
    }
}

/// Shortest term the trigram index can answer; shorter ones use the n-gram index.
pub const TRIGRAM_MIN_CHARS: usize = 3;

/// The distinct 1- and 2-character substrings of a search text (within one line), as
/// space-separated tokens for `facility_ngram`.
pub fn short_grams(search_text: &str) -> String {
    let mut grams: Vec<String> = Vec::new();
    for line in search_text.split('\n') {
        let chars: Vec<char> = line.chars().filter(|c| !c.is_whitespace()).collect();
        for (i, c) in chars.iter().enumerate() {
            grams.push(c.to_string());
            if let Some(next) = chars.get(i + 1) {
                grams.push(format!("{c}{next}"));
            }
        }
    }
    grams.sort_unstable();
    grams.dedup();
    grams.join(" ")
}

/// A term as an FTS5 string literal.
fn fts_phrase(key: &str) -> String {
    format!("\"{}\"", key.replace('"', "\"\""))
}

/// The search as FTS5 queries: every term is required (`ケア 戸山`), so the terms of one
/// index are ANDed in one MATCH (phrases side by side), and the two indexes intersect.
fn search_matches(search: &str) -> Vec<(&'static str, String)> {
    let terms = search::parse_query(search);
    let mut out: Vec<(&'static str, String)> = Vec::new();
    for table in ["facility_fts", "facility_ngram"] {
        let phrases: Vec<String> = terms
            .iter()
            .filter(|t| search_table(&t.key) == table)
            .map(|t| fts_phrase(&t.key))
            .collect();
        if !phrases.is_empty() {
            out.push((table, phrases.join(" ")));
        }
    }
    out
}

fn where_clause(q: &ListQuery) -> (String, Vec<Value>) {
    let mut conds: Vec<String> = Vec::new();
    let mut args: Vec<Value> = Vec::new();
    for (table, expr) in search_matches(&q.search) {
        // `+id` keeps SQLite from fetching every match by rowid and sorting them (50 ms
        // for 50k matches): it walks the sort index instead and probes the match set,
        // which stops after one page.
        conds.push(format!(
            "+id IN (SELECT rowid FROM {table} WHERE {table} MATCH ?)"
        ));
        args.push(Value::Text(expr));
    }
    if let Some(code) = &q.service_code {
        conds.push("instr(service_codes, ?) > 0".into());
        args.push(Value::Text(format!(",{code},")));
    }
    if let Some(status) = q.status {
        conds.push("status = ?".into());
        args.push(Value::Text(status.code().into()));
    }
    if let Some(by) = q.expiring_by {
        // Lapsed designations of a facility still active count too: a missed renewal is
        // the most urgent case of "expiring".
        conds.push("next_expiry <= ?".into());
        args.push(Value::Text(by.to_string()));
    }
    if let Some(on) = q.meeting_overdue_on {
        conds.push("next_meeting_due < ?".into());
        args.push(Value::Text(on.to_string()));
    }
    let sql = if conds.is_empty() {
        String::new()
    } else {
        conds.join(" AND ")
    };
    (sql, args)
}

const ROW_COLUMNS: &str =
    "id, provider_number, name, services, town, next_expiry, next_meeting_due, status";

fn row_from(r: &rusqlite::Row<'_>) -> rusqlite::Result<FacilityRow> {
    let status: String = r.get(7)?;
    Ok(FacilityRow {
        id: r.get(0)?,
        provider_number: r.get(1)?,
        name: r.get(2)?,
        services: r.get(3)?,
        town: r.get(4)?,
        next_expiry: date_opt(r.get(5)?),
        next_meeting_due: date_opt(r.get(6)?),
        status: FacilityStatus::from_code(&status).unwrap_or(FacilityStatus::Active),
    })
}

/// One page of the list, by keyset: an index range scan from the cursor, never OFFSET.
pub fn page(
    conn: &Connection,
    q: &ListQuery,
    from: Option<&Cursor>,
    dir: Direction,
    limit: usize,
) -> Result<Vec<(Cursor, FacilityRow)>> {
    let col = sort_column(q.sort);
    let (mut filter, mut args) = where_clause(q);
    // Walking backward over an ascending list is walking forward over a descending one.
    let ascending = q.descending == (dir == Direction::Backward);
    let (cmp, order) = if ascending {
        (">", "ASC")
    } else {
        ("<", "DESC")
    };
    if let Some(c) = from {
        if !filter.is_empty() {
            filter.push_str(" AND ");
        }
        filter.push_str(&format!("({col}, id) {cmp} (?, ?)"));
        args.push(Value::Text(c.key.clone()));
        args.push(Value::Integer(c.id));
    }
    let where_sql = if filter.is_empty() {
        String::new()
    } else {
        format!("WHERE {filter}")
    };
    let sql = format!(
        "SELECT {ROW_COLUMNS}, {col} FROM facility {where_sql} ORDER BY {col} {order}, id {order} LIMIT {limit}"
    );
    let mut st = conn.prepare_cached(&sql)?;
    let mut rows: Vec<(Cursor, FacilityRow)> = st
        .query_map(params_from_iter(args), |r| {
            let row = row_from(r)?;
            Ok((
                Cursor {
                    key: r.get(8)?,
                    id: row.id,
                },
                row,
            ))
        })?
        .collect::<Result<_, _>>()?;
    if dir == Direction::Backward {
        rows.reverse();
    }
    Ok(rows)
}

fn search_table(key: &str) -> &'static str {
    if key.chars().count() >= TRIGRAM_MIN_CHARS {
        "facility_fts"
    } else {
        "facility_ngram"
    }
}

/// Where facility `id` stands in the list `q` describes (None if the filters exclude it).
pub fn cursor_of(conn: &Connection, q: &ListQuery, id: i64) -> Result<Option<Cursor>> {
    let col = sort_column(q.sort);
    let (filter, mut args) = where_clause(q);
    let conds = if filter.is_empty() {
        "id = ?".to_string()
    } else {
        format!("{filter} AND id = ?")
    };
    args.push(Value::Integer(id));
    let sql = format!("SELECT {col} FROM facility WHERE {conds}");
    let key: Option<String> = conn
        .prepare_cached(&sql)?
        .query_row(params_from_iter(args), |r| r.get(0))
        .optional()?;
    Ok(key.map(|key| Cursor { key, id }))
}

/// The cursor just before `c` in the list order, so a strict keyset page includes `c`.
pub fn inclusive(q: &ListQuery, c: &Cursor) -> Cursor {
    Cursor {
        key: c.key.clone(),
        id: if q.descending { c.id + 1 } else { c.id - 1 },
    }
}

/// Number of rows matching, counted up to `cap`.
pub fn count(conn: &Connection, q: &ListQuery, cap: usize) -> Result<usize> {
    let matches = search_matches(&q.search);
    let only_search = q.service_code.is_none()
        && q.status.is_none()
        && q.expiring_by.is_none()
        && q.meeting_overdue_on.is_none();
    if let [(table, expr)] = matches.as_slice()
        && only_search
    {
        // Search in one index alone: it counts its own matches without touching facility.
        let n: i64 = conn
            .prepare_cached(&format!(
                "SELECT count(*) FROM (SELECT 1 FROM {table} WHERE {table} MATCH ?1 LIMIT {cap})"
            ))?
            .query_row([expr], |r| r.get(0))?;
        return Ok(usize::try_from(n).unwrap_or(0));
    }
    let (filter, args) = where_clause(q);
    let where_sql = if filter.is_empty() {
        String::new()
    } else {
        format!("WHERE {filter}")
    };
    let sql = format!("SELECT count(*) FROM (SELECT 1 FROM facility {where_sql} LIMIT {cap})");
    let n: i64 = conn
        .prepare_cached(&sql)?
        .query_row(params_from_iter(args), |r| r.get(0))?;
    Ok(usize::try_from(n).unwrap_or(0))
}

/// How many rows come before `c` in the list order (to show "row 1,234 of 100,000").
pub fn position(conn: &Connection, q: &ListQuery, c: &Cursor) -> Result<usize> {
    let col = sort_column(q.sort);
    let (mut filter, mut args) = where_clause(q);
    let cmp = if q.descending { ">" } else { "<" };
    if !filter.is_empty() {
        filter.push_str(" AND ");
    }
    filter.push_str(&format!("({col}, id) {cmp} (?, ?)"));
    args.push(Value::Text(c.key.clone()));
    args.push(Value::Integer(c.id));
    let sql = format!("SELECT count(*) FROM facility WHERE {filter}");
    let n: i64 = conn
        .prepare_cached(&sql)?
        .query_row(params_from_iter(args), |r| r.get(0))?;
    Ok(usize::try_from(n).unwrap_or(0))
}

const FACILITY_COLUMNS: &str = "id, provider_number, name, name_kana, postal_code, address, town, phone, fax, email,
    manager_name, status, corporation_id, municipality_code, manager_address, manager_dob, version, updated_at, updated_by";

fn facility_from(r: &rusqlite::Row<'_>) -> rusqlite::Result<Facility> {
    let status: String = r.get(11)?;
    Ok(Facility {
        id: r.get(0)?,
        fields: FacilityFields {
            provider_number: r.get(1)?,
            name: r.get(2)?,
            name_kana: r.get(3)?,
            postal_code: r.get(4)?,
            address: r.get(5)?,
            town: r.get(6)?,
            phone: r.get(7)?,
            fax: r.get(8)?,
            email: r.get(9)?,
            manager_name: r.get(10)?,
        },
        status: FacilityStatus::from_code(&status).unwrap_or(FacilityStatus::Active),
        corporation_id: r.get(12)?,
        municipality_code: r.get(13)?,
        manager_address: r.get(14)?,
        manager_dob: date_opt(r.get(15)?),
        version: r.get(16)?,
        updated_at: r.get(17)?,
        updated_by: r.get(18)?,
    })
}

pub fn get(conn: &Connection, id: i64) -> Result<Option<Facility>> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {FACILITY_COLUMNS} FROM facility WHERE id = ?1"
        ))?
        .query_row([id], facility_from)
        .optional()?)
}

pub fn id_by_provider_number(conn: &Connection, number: &str) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached("SELECT id FROM facility WHERE provider_number = ?1")?
        .query_row([number], |r| r.get(0))
        .optional()?)
}

/// The normalised text the search index holds for a facility.
pub fn search_text(fields: &FacilityFields, corporation_name: &str) -> String {
    [
        &fields.name,
        &fields.name_kana,
        &fields.address,
        corporation_name,
        &fields.provider_number,
    ]
    .iter()
    .map(|s| text::search_key(s))
    .collect::<Vec<_>>()
    .join("\n")
}

fn corporation_name(conn: &Connection, id: Option<i64>) -> Result<String> {
    let Some(id) = id else {
        return Ok(String::new());
    };
    Ok(conn
        .prepare_cached("SELECT name FROM corporation WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?
        .unwrap_or_default())
}

#[derive(Debug, Clone, Default)]
pub struct NewFacility {
    pub fields: FacilityFields,
    pub status: Option<FacilityStatus>,
    pub corporation_id: Option<i64>,
    pub manager_address: String,
    pub manager_dob: Option<NaiveDate>,
}

pub fn insert(conn: &Connection, f: &NewFacility, actor: &str) -> Result<i64> {
    let corp = corporation_name(conn, f.corporation_id)?;
    insert_at(conn, f, &corp, &super::now_utc(), actor)
}

/// Inserts with a given corporation name (for the search text) and time; bulk loads
/// use it to skip the per-row lookup and to stay reproducible.
pub fn insert_at(
    conn: &Connection,
    f: &NewFacility,
    corporation_name: &str,
    at: &str,
    actor: &str,
) -> Result<i64> {
    let x = &f.fields;
    conn.prepare_cached(
        "INSERT INTO facility(provider_number, name, name_kana, postal_code, address, town, phone, fax, email,
            manager_name, manager_address, manager_dob, corporation_id, status, search_text, created_at, updated_at, updated_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?16, ?17)",
    )?
    .execute(params![
        x.provider_number,
        x.name,
        x.name_kana,
        x.postal_code,
        x.address,
        x.town,
        x.phone,
        x.fax,
        x.email,
        x.manager_name,
        f.manager_address,
        f.manager_dob.map(|d| d.to_string()),
        f.corporation_id,
        f.status.unwrap_or(FacilityStatus::Active).code(),
        search_text(x, corporation_name),
        at,
        actor,
    ])?;
    Ok(conn.last_insert_rowid())
}

/// Updates the editable fields if the row is still at `expected_version`; otherwise
/// returns `StoreError::Conflict` and changes nothing. Returns the new version.
pub fn update_fields(
    conn: &Connection,
    id: i64,
    expected_version: i64,
    x: &FacilityFields,
    actor: &str,
) -> Result<i64> {
    let current: Option<(i64, Option<i64>)> = conn
        .prepare_cached("SELECT version, corporation_id FROM facility WHERE id = ?1")?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let Some((version, corporation_id)) = current else {
        return Err(StoreError::NotFound(format!("facility {id}")));
    };
    if version != expected_version {
        return Err(StoreError::Conflict {
            object: format!("facility {id}"),
            expected: expected_version,
            current: version,
        });
    }
    let corp = corporation_name(conn, corporation_id)?;
    let n = conn.prepare_cached(
        "UPDATE facility SET provider_number = ?1, name = ?2, name_kana = ?3, postal_code = ?4, address = ?5,
            town = ?6, phone = ?7, fax = ?8, email = ?9, manager_name = ?10, search_text = ?11,
            version = version + 1, updated_at = ?12, updated_by = ?13
         WHERE id = ?14 AND version = ?15",
    )?
    .execute(params![
        x.provider_number,
        x.name,
        x.name_kana,
        x.postal_code,
        x.address,
        x.town,
        x.phone,
        x.fax,
        x.email,
        x.manager_name,
        search_text(x, &corp),
        super::now_utc(),
        actor,
        id,
        expected_version
    ])?;
    if n != 1 {
        return Err(StoreError::Conflict {
            object: format!("facility {id}"),
            expected: expected_version,
            current: version,
        });
    }
    Ok(expected_version + 1)
}

/// The list line of one facility (its summary columns), for the detail view.
pub fn row(conn: &Connection, id: i64) -> Result<Option<FacilityRow>> {
    Ok(conn
        .prepare_cached(&format!("SELECT {ROW_COLUMNS} FROM facility WHERE id = ?1"))?
        .query_row([id], row_from)
        .optional()?)
}

/// Runs a per-facility query (`?1` = facility id) and maps every row.
fn rows_of_facility<T>(
    conn: &Connection,
    sql: &str,
    facility_id: i64,
    map: impl FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
) -> Result<Vec<T>> {
    let mut st = conn.prepare_cached(sql)?;
    let rows = st.query_map([facility_id], map)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub fn designations(conn: &Connection, facility_id: i64) -> Result<Vec<Designation>> {
    rows_of_facility(
        conn,
        "SELECT d.id, d.facility_id, d.service_code, d.designated_on, d.expires_on, d.version,
                coalesce(t.name, ''), d.status, d.capacity
         FROM designation d LEFT JOIN ref_service_type t ON t.code = d.service_code
         WHERE d.facility_id = ?1 ORDER BY d.service_code",
        facility_id,
        |r| {
            Ok(Designation {
                id: r.get(0)?,
                facility_id: r.get(1)?,
                service_code: r.get(2)?,
                designated_on: date_opt(r.get(3)?).unwrap_or_default(),
                expires_on: date_opt(r.get(4)?).unwrap_or_default(),
                version: r.get(5)?,
                service_name: r.get(6)?,
                active: r.get::<_, String>(7)? == "active",
                capacity: r.get(8)?,
            })
        },
    )
}

pub fn staff(conn: &Connection, facility_id: i64) -> Result<Vec<StaffMember>> {
    rows_of_facility(
        conn,
        "SELECT id, facility_id, name, name_kana, job_title, address, dob, qualification, care_manager_number
         FROM staff_member WHERE facility_id = ?1 ORDER BY id",
        facility_id,
        |r| {
        Ok(StaffMember {
            id: r.get(0)?,
            facility_id: r.get(1)?,
            name: r.get(2)?,
            name_kana: r.get(3)?,
            job_title: r.get(4)?,
            address: r.get(5)?,
            dob: date_opt(r.get(6)?),
            qualification: r.get(7)?,
            care_manager_number: r.get(8)?,
        })
        },
    )
}

pub fn council_members(conn: &Connection, facility_id: i64) -> Result<Vec<CouncilMember>> {
    rows_of_facility(
        conn,
        "SELECT id, facility_id, name, affiliation, title FROM council_member WHERE facility_id = ?1 ORDER BY id",
        facility_id,
        |r| {
            Ok(CouncilMember {
                id: r.get(0)?,
                facility_id: r.get(1)?,
                name: r.get(2)?,
                affiliation: r.get(3)?,
                title: r.get(4)?,
            })
        },
    )
}

pub fn meetings(conn: &Connection, facility_id: i64) -> Result<Vec<CouncilMeeting>> {
    rows_of_facility(
        conn,
        "SELECT id, facility_id, held_on, minutes_ref FROM council_meeting WHERE facility_id = ?1 ORDER BY held_on DESC",
        facility_id,
        |r| {
            Ok(CouncilMeeting {
                id: r.get(0)?,
                facility_id: r.get(1)?,
                held_on: date_opt(r.get(2)?).unwrap_or_default(),
                minutes_ref: r.get(3)?,
            })
        },
    )
}

/// Summary columns derived from designations and meetings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    pub services: String,
    pub service_codes: String,
    pub next_expiry: Option<NaiveDate>,
    pub next_meeting_due: Option<NaiveDate>,
}

/// Computes the summary from (service code, short name, interval, designated, expires)
/// and the last meeting date. Pure, so the demo generator uses it too.
pub fn summarize(
    designations: &[(String, String, Option<u32>, NaiveDate, NaiveDate)],
    last_meeting: Option<NaiveDate>,
) -> Summary {
    let services = designations
        .iter()
        .map(|d| d.1.as_str())
        .collect::<Vec<_>>()
        .join("・");
    let service_codes = format!(
        ",{},",
        designations
            .iter()
            .map(|d| d.0.as_str())
            .collect::<Vec<_>>()
            .join(",")
    );
    let next_expiry = designations.iter().map(|d| d.4).min();
    let next_meeting_due = designations
        .iter()
        .filter_map(|d| meeting::next_due(d.2, last_meeting, d.3))
        .min();
    Summary {
        services,
        service_codes,
        next_expiry,
        next_meeting_due,
    }
}

/// Recomputes the summary columns after designations or meetings changed.
pub fn refresh_summary(conn: &Connection, facility_id: i64) -> Result<()> {
    let mut st = conn.prepare_cached(
        "SELECT d.service_code, t.short_name, t.meeting_interval_months, d.designated_on, d.expires_on,
                t.meeting_kind
         FROM designation d JOIN ref_service_type t ON t.code = d.service_code
         WHERE d.facility_id = ?1 AND d.status = 'active' ORDER BY d.service_code",
    )?;
    let mut kinds: Vec<String> = Vec::new();
    let ds: Vec<(String, String, Option<u32>, NaiveDate, NaiveDate)> = st
        .query_map([facility_id], |r| {
            Ok((
                (
                    r.get(0)?,
                    r.get(1)?,
                    r.get::<_, Option<i64>>(2)?
                        .and_then(|v| u32::try_from(v).ok()),
                    date_opt(r.get(3)?).unwrap_or_default(),
                    date_opt(r.get(4)?).unwrap_or_default(),
                ),
                r.get::<_, String>(5)?,
            ))
        })?
        .map(|row| {
            row.map(|(d, kind)| {
                kinds.push(kind);
                d
            })
        })
        .collect::<Result<_, _>>()?;
    let mut s = summarize(&ds, None);
    // Each service's duty is cleared by a meeting of its own kind (a 76 with a 78 holds
    // both); a meeting recorded without a kind counts for any.
    let mut last_of = conn.prepare_cached(
        "SELECT max(held_on) FROM council_meeting WHERE facility_id = ?1 AND (kind = ?2 OR kind = '')",
    )?;
    let mut next_meeting_due: Option<NaiveDate> = None;
    for (d, kind) in ds.iter().zip(&kinds) {
        let last: Option<String> = last_of.query_row(params![facility_id, kind], |r| r.get(0))?;
        if let Some(due) = meeting::next_due(d.2, date_opt(last), d.3) {
            next_meeting_due = Some(next_meeting_due.map_or(due, |n| n.min(due)));
        }
    }
    s.next_meeting_due = next_meeting_due;
    conn.prepare_cached(
        "UPDATE facility SET services = ?1, service_codes = ?2, next_expiry = ?3, next_meeting_due = ?4 WHERE id = ?5",
    )?
    .execute(params![
        s.services,
        s.service_codes,
        s.next_expiry.map_or(NO_DATE.to_string(), |d| d.to_string()),
        s.next_meeting_due.map_or(NO_DATE.to_string(), |d| d.to_string()),
        facility_id
    ])?;
    // Designations decide the 運営指導 due date too.
    super::guidance::refresh(conn, facility_id)?;
    Ok(())
}

/// Streams every row matching `q` in list order to `f` without collecting them
/// (the 100k export runs in bounded memory). `f` returns false to stop.
pub fn for_each_row(
    conn: &Connection,
    q: &ListQuery,
    mut f: impl FnMut(&FacilityRow, &str, &str) -> bool,
) -> Result<usize> {
    let col = sort_column(q.sort);
    let (filter, args) = where_clause(q);
    let where_sql = if filter.is_empty() {
        String::new()
    } else {
        format!("WHERE {filter}")
    };
    let order = if q.descending { "DESC" } else { "ASC" };
    let sql = format!(
        "SELECT {ROW_COLUMNS}, address, phone FROM facility {where_sql} ORDER BY {col} {order}, id {order}"
    );
    let mut st = conn.prepare(&sql)?;
    let mut rows = st.query(params_from_iter(args))?;
    let mut n = 0;
    while let Some(r) = rows.next()? {
        let row = row_from(r)?;
        let address: String = r.get(8)?;
        let phone: String = r.get(9)?;
        n += 1;
        if !f(&row, &address, &phone) {
            break;
        }
    }
    Ok(n)
}

#[cfg(test)]
mod tests;
