//! The append-only, hash-chained audit log.
//!
//! Each record's hash is SHA-256 over the previous hash and the record's fields, so
//! changing or deleting a record breaks the chain from there on. `append` must be called
//! inside the same transaction as the change it records: if it fails, the change rolls
//! back with it.

use super::Result;
use rusqlite::{Connection, OptionalExtension, params};
use sha2::{Digest, Sha256};

/// Hash of the (virtual) record before the first one.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Entry {
    pub actor: String,
    pub action: String,
    pub object_type: String,
    pub object_id: String,
    /// Names of the changed fields — never their values (they may be PII).
    pub fields: Vec<String>,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub seq: i64,
    pub at: String,
    pub entry: Entry,
    pub prev_hash: String,
    pub hash: String,
}

pub fn record_hash(prev_hash: &str, seq: i64, at: &str, e: &Entry) -> String {
    let mut h = Sha256::new();
    // Unit separators keep field boundaries unambiguous.
    for part in [
        prev_hash,
        &seq.to_string(),
        at,
        &e.actor,
        &e.action,
        &e.object_type,
        &e.object_id,
        &e.fields.join(","),
        &e.reason,
    ] {
        h.update(part.as_bytes());
        h.update([0x1f]);
    }
    format!("{:x}", h.finalize())
}

/// Appends one record; returns its hash.
pub fn append(conn: &Connection, entry: &Entry) -> Result<String> {
    let last: Option<(i64, String)> = conn
        .query_row(
            "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let (seq, prev) = match last {
        Some((s, h)) => (s + 1, h),
        None => (1, GENESIS.to_string()),
    };
    let at = super::now_utc();
    let hash = record_hash(&prev, seq, &at, entry);
    conn.execute(
        "INSERT INTO audit_log(seq, at, actor, action, object_type, object_id, fields, reason, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            seq,
            at,
            entry.actor,
            entry.action,
            entry.object_type,
            entry.object_id,
            entry.fields.join(","),
            entry.reason,
            prev,
            hash
        ],
    )?;
    Ok(hash)
}

fn record_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Record> {
    let fields: String = r.get(6)?;
    Ok(Record {
        seq: r.get(0)?,
        at: r.get(1)?,
        entry: Entry {
            actor: r.get(2)?,
            action: r.get(3)?,
            object_type: r.get(4)?,
            object_id: r.get(5)?,
            fields: if fields.is_empty() {
                Vec::new()
            } else {
                fields.split(',').map(String::from).collect()
            },
            reason: r.get(7)?,
        },
        prev_hash: r.get(8)?,
        hash: r.get(9)?,
    })
}

const COLUMNS: &str =
    "seq, at, actor, action, object_type, object_id, fields, reason, prev_hash, hash";

/// The history of one object, newest first.
pub fn for_object(
    conn: &Connection,
    object_type: &str,
    object_id: &str,
    limit: usize,
) -> Result<Vec<Record>> {
    let mut st = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM audit_log WHERE object_type = ?1 AND object_id = ?2 ORDER BY seq DESC LIMIT ?3"
    ))?;
    let rows = st.query_map(
        params![object_type, object_id, limit as i64],
        record_from_row,
    )?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

/// All records in order, streamed to `f` (for `audit verify` over large logs).
pub fn for_each(conn: &Connection, mut f: impl FnMut(Record) -> bool) -> Result<()> {
    let mut st = conn.prepare(&format!("SELECT {COLUMNS} FROM audit_log ORDER BY seq"))?;
    let mut rows = st.query([])?;
    while let Some(row) = rows.next()? {
        if !f(record_from_row(row)?) {
            break;
        }
    }
    Ok(())
}

/// The newest hash (the chain's head), or GENESIS for an empty log.
pub fn head(conn: &Connection) -> Result<(i64, String)> {
    Ok(conn
        .query_row(
            "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?
        .unwrap_or((0, GENESIS.to_string())))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    #[test]
    fn chain_links_each_record_to_the_previous() {
        let mut store = Store::open_in_memory().unwrap();
        let e = Entry {
            actor: "k001".into(),
            action: "facility.update".into(),
            object_type: "facility".into(),
            object_id: "1".into(),
            fields: vec!["phone".into()],
            reason: String::new(),
        };
        let h1 = store.write(|tx| append(tx, &e)).unwrap();
        let h2 = store.write(|tx| append(tx, &e)).unwrap();
        assert_ne!(h1, h2);
        let recs = for_object(store.conn(), "facility", "1", 10).unwrap();
        assert_eq!(recs.len(), 2);
        assert_eq!(recs[0].prev_hash, h1);
        assert_eq!(recs[1].prev_hash, GENESIS);
        assert_eq!(
            recs[0].hash,
            record_hash(&recs[0].prev_hash, recs[0].seq, &recs[0].at, &recs[0].entry)
        );
        assert_eq!(head(store.conn()).unwrap(), (2, h2));
    }
}
