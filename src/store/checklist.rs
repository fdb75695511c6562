//! Privacy checklist status per external connection and side.

use super::Result;
use rusqlite::Connection;

pub use crate::domain::view::ConnectionStatus;

pub fn status(conn: &Connection) -> Result<Vec<ConnectionStatus>> {
    let mut st = conn.prepare_cached(
        "WITH sides(side) AS (VALUES ('ward'), ('partner')),
         latest AS (
           SELECT a.connection_code, a.side, a.id, a.signed_at, a.signed_by,
                  row_number() OVER (PARTITION BY a.connection_code, a.side ORDER BY a.signed_at DESC, a.id DESC) AS rn
           FROM checklist_audit a WHERE a.signed_at IS NOT NULL)
         SELECT c.code, c.name_ja, c.name_en, s.side, l.signed_at, l.signed_by,
                (SELECT count(*) FROM checklist_mark m WHERE m.audit_id = l.id AND m.mark = 'gap'),
                EXISTS (SELECT 1 FROM checklist_audit o WHERE o.connection_code = c.code AND o.side = s.side AND o.signed_at IS NULL)
         FROM checklist_connection c CROSS JOIN sides s
         LEFT JOIN latest l ON l.connection_code = c.code AND l.side = s.side AND l.rn = 1
         ORDER BY c.rowid, s.side DESC",
    )?;
    let rows = st.query_map([], |r| {
        Ok(ConnectionStatus {
            code: r.get(0)?,
            name_ja: r.get(1)?,
            name_en: r.get(2)?,
            side: r.get(3)?,
            last_signed_at: r.get(4)?,
            last_signed_by: r.get(5)?,
            gaps: usize::try_from(r.get::<_, i64>(6)?).unwrap_or(0),
            in_progress: r.get(7)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}
