//! The append-only, hash-chained audit log.
//!
//! Each record's hash is SHA-256 over the previous hash and the record's fields, so
//! changing or deleting a record breaks the chain from there on. `append` must be called
//! inside the same transaction as the change it records: if it fails, the change rolls
//! back with it.

pub mod witness;

use super::{Result, StoreError};
use rusqlite::{Connection, OptionalExtension, params};
use sha2::{Digest, Sha256};
use std::fs::OpenOptions;
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

/// Hash of the (virtual) record before the first one.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

pub use crate::domain::view::{Entry, Record};

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

/// The chain head as last seen by a committed write, kept in a file outside the
/// database so that deleting the newest records (which leaves a valid chain) is noticed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Anchor {
    pub seq: i64,
    pub hash: String,
}

/// `<db>.audit-head`.
pub fn anchor_path(db_path: &Path) -> PathBuf {
    let mut s = db_path.as_os_str().to_owned();
    s.push(".audit-head");
    PathBuf::from(s)
}

/// Reads the anchor file; `Ok(None)` if it does not exist.
pub fn read_anchor(path: &Path) -> Result<Option<Anchor>> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    let mut parts = text.split_whitespace();
    let seq = parts.next().and_then(|s| s.parse::<i64>().ok());
    let hash = parts.next().filter(|h| h.len() == 64);
    match (seq, hash) {
        (Some(seq), Some(hash)) => Ok(Some(Anchor {
            seq,
            hash: hash.to_string(),
        })),
        _ => Err(StoreError::Invalid(format!(
            "audit anchor {} is not \"<seq> <sha256>\"",
            path.display()
        ))),
    }
}

/// Records `seq`/`hash` as the newest head in the anchor beside `db_path` (temp file +
/// fsync + rename, mode 0600). Never moves the anchor backwards: when two processes
/// commit at once the older head does not overwrite the newer. An in-memory database
/// has no anchor.
pub fn write_anchor(db_path: &Path, seq: i64, hash: &str) -> Result<()> {
    store_anchor(db_path, seq, hash, false)
}

/// Sets the anchor even if that moves it backwards — only after a restore, which
/// legitimately rewinds the log to the backup's head.
pub fn reset_anchor(db_path: &Path, seq: i64, hash: &str) -> Result<()> {
    store_anchor(db_path, seq, hash, true)
}

fn store_anchor(db_path: &Path, seq: i64, hash: &str, force: bool) -> Result<()> {
    if db_path.as_os_str() == ":memory:" {
        return Ok(());
    }
    let path = anchor_path(db_path);
    if !force
        && let Ok(Some(old)) = read_anchor(&path)
        && old.seq >= seq
    {
        return Ok(());
    }
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(format!(".tmp{}", std::process::id()));
    let tmp = PathBuf::from(tmp);
    {
        let mut f = OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .open(&tmp)?;
        writeln!(f, "{seq} {hash}")?;
        f.sync_all()?;
    }
    std::fs::rename(&tmp, &path)?;
    witness::emit(db_path, seq, hash, force)
}

/// The first thing wrong with the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Break {
    HashMismatch {
        seq: i64,
    },
    PrevMismatch {
        seq: i64,
    },
    Gap {
        after: i64,
    },
    /// The database ends before the anchor: newest records were deleted.
    Truncated {
        db_seq: i64,
        anchor_seq: i64,
    },
    /// The record at the anchor's seq has another hash: the chain was rewritten.
    AnchorMismatch {
        seq: i64,
    },
    /// A witnessed head has another hash in the chain: rewritten after it was witnessed.
    WitnessMismatch {
        seq: i64,
    },
    /// A witnessed head is beyond the end of the chain: newest records deleted.
    WitnessMissing {
        seq: i64,
        db_seq: i64,
    },
    /// The witness holds two hashes for one seq with no restore between.
    WitnessConflict {
        seq: i64,
    },
}

impl Break {
    /// The broken link, in the UI language.
    pub fn message(&self, lang: crate::i18n::Lang) -> String {
        if lang == crate::i18n::Lang::En {
            return self.to_string();
        }
        match self {
            Break::HashMismatch { seq } => {
                format!("seq {seq}: ハッシュが一致しません（記録が改ざんされています）")
            }
            Break::PrevMismatch { seq } => {
                format!("seq {seq}: 直前の記録 seq {} とつながっていません", seq - 1)
            }
            Break::Gap { after } => {
                format!("seq {after} の後に欠番があります（記録が削除されています）")
            }
            Break::Truncated { db_seq, anchor_seq } => format!(
                "末尾が削除されています: データベースは seq {db_seq} で終わりますが、アンカーは seq {anchor_seq} を記録しています"
            ),
            Break::AnchorMismatch { seq } => {
                format!("seq {seq}: ハッシュがアンカーと異なります（ログが書き換えられています）")
            }
            Break::WitnessMismatch { seq } => {
                format!("seq {seq}: ハッシュが証跡と異なります（ログが書き換えられています）")
            }
            Break::WitnessMissing { seq, db_seq } => format!(
                "証跡は seq {seq} を記録していますが、データベースは seq {db_seq} で終わります（末尾が削除されています）"
            ),
            Break::WitnessConflict { seq } => {
                format!("証跡に seq {seq} のハッシュが2つあり、その間に復元の記録がありません")
            }
        }
    }
}

impl std::fmt::Display for Break {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Break::HashMismatch { seq } => write!(f, "seq {seq}: hash mismatch"),
            Break::PrevMismatch { seq } => {
                write!(f, "seq {seq}: prev_hash does not match seq {}", seq - 1)
            }
            Break::Gap { after } => write!(f, "seq gap after {after}"),
            Break::Truncated { db_seq, anchor_seq } => write!(
                f,
                "truncated: the database ends at seq {db_seq} but the anchor records seq {anchor_seq}"
            ),
            Break::AnchorMismatch { seq } => {
                write!(
                    f,
                    "seq {seq}: hash differs from the anchor (chain rewritten)"
                )
            }
            Break::WitnessMismatch { seq } => write!(
                f,
                "seq {seq}: hash differs from the witness (chain rewritten)"
            ),
            Break::WitnessMissing { seq, db_seq } => write!(
                f,
                "the witness records seq {seq} but the database ends at seq {db_seq}"
            ),
            Break::WitnessConflict { seq } => write!(
                f,
                "the witness holds two hashes for seq {seq} without a restore between"
            ),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    pub records: i64,
    /// (seq, hash) of the last record (0, GENESIS when empty).
    pub head: (i64, String),
    pub broken: Option<Break>,
}

/// Walks the whole chain, recomputing every hash, checking `prev_hash` links and `seq`
/// continuity, then compares the head with `anchor`. Stops at the first break.
pub fn verify(conn: &Connection, anchor: Option<&Anchor>) -> Result<Verified> {
    let mut walk = ChainWalk::default();
    while walk.step(conn, 10_000)? > 0 {}
    walk.finish(conn, anchor)
}

/// The stored hash of record `seq`.
fn hash_at(conn: &Connection, seq: i64) -> Result<Option<String>> {
    Ok(conn
        .query_row("SELECT hash FROM audit_log WHERE seq = ?1", [seq], |r| {
            r.get(0)
        })
        .optional()?)
}

/// The chain check of [`verify`] a batch at a time, for the `verify-audit` job: each
/// [`ChainWalk::step`] is its own statement, so the caller can record progress, write
/// and honour a cancel between batches.
#[derive(Debug, Clone)]
pub struct ChainWalk {
    prev_seq: i64,
    prev_hash: String,
    records: i64,
    broken: Option<Break>,
}

impl Default for ChainWalk {
    fn default() -> Self {
        ChainWalk {
            prev_seq: 0,
            prev_hash: GENESIS.to_string(),
            records: 0,
            broken: None,
        }
    }
}

impl ChainWalk {
    /// Checks up to `limit` more records; returns how many were read (0: the end, or a
    /// break was found).
    pub fn step(&mut self, conn: &Connection, limit: usize) -> Result<usize> {
        if self.broken.is_some() {
            return Ok(0);
        }
        let mut st = conn.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM audit_log WHERE seq > ?1 ORDER BY seq LIMIT ?2"
        ))?;
        let mut rows = st.query(params![self.prev_seq, limit as i64])?;
        let mut read = 0;
        while let Some(row) = rows.next()? {
            let rec = record_from_row(row)?;
            read += 1;
            self.records += 1;
            if rec.seq != self.prev_seq + 1 {
                self.broken = Some(Break::Gap {
                    after: self.prev_seq,
                });
            } else if record_hash(&rec.prev_hash, rec.seq, &rec.at, &rec.entry) != rec.hash {
                self.broken = Some(Break::HashMismatch { seq: rec.seq });
            } else if rec.prev_hash != self.prev_hash {
                self.broken = Some(Break::PrevMismatch { seq: rec.seq });
            }
            self.prev_seq = rec.seq;
            self.prev_hash = rec.hash;
            if self.broken.is_some() {
                break;
            }
        }
        Ok(read)
    }

    /// Records checked so far.
    pub fn records(&self) -> i64 {
        self.records
    }

    /// The last seq checked (the resume point).
    pub fn last_seq(&self) -> i64 {
        self.prev_seq
    }

    /// The walk's result so far, with the anchor comparison of [`verify`] done once the
    /// walk has reached the end.
    pub fn finish(self, conn: &Connection, anchor: Option<&Anchor>) -> Result<Verified> {
        let ChainWalk {
            prev_seq,
            prev_hash,
            records,
            mut broken,
        } = self;
        if broken.is_none()
            && let Some(a) = anchor
        {
            if prev_seq < a.seq {
                broken = Some(Break::Truncated {
                    db_seq: prev_seq,
                    anchor_seq: a.seq,
                });
            } else if a.seq > 0 && hash_at(conn, a.seq)?.as_deref() != Some(a.hash.as_str()) {
                broken = Some(Break::AnchorMismatch { seq: a.seq });
            }
        }
        Ok(Verified {
            records,
            head: (prev_seq, prev_hash),
            broken,
        })
    }
}

/// Checks every witnessed head against the chain (call after [`verify`] passed).
pub fn check_witness(conn: &Connection, w: &witness::Witnessed) -> Result<Option<Break>> {
    if let Some(seq) = w.conflict {
        return Ok(Some(Break::WitnessConflict { seq }));
    }
    let mut broken = None;
    let mut last = 0i64;
    for_each(conn, |rec| {
        last = rec.seq;
        if w.heads.get(&rec.seq).is_some_and(|h| *h != rec.hash) {
            broken = Some(Break::WitnessMismatch { seq: rec.seq });
        }
        broken.is_none()
    })?;
    if broken.is_none()
        && let Some((&seq, _)) = w.heads.last_key_value()
        && seq > last
    {
        broken = Some(Break::WitnessMissing { seq, db_seq: last });
    }
    Ok(broken)
}

/// How staff know an audited object, for the monthly report: the 事業所番号 and, for a
/// case, its own reference (申請 external id or 受付日; 同意 相手先 and 依頼日).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ObjectRef {
    pub provider_number: String,
    pub case_ref: Option<String>,
    pub date: Option<String>,
}

/// `None` when the object is unknown or gone (purged).
pub fn object_ref(
    conn: &Connection,
    object_type: &str,
    object_id: &str,
) -> Result<Option<ObjectRef>> {
    let Ok(id) = object_id.parse::<i64>() else {
        return Ok(None);
    };
    let sql = match object_type {
        "facility" => "SELECT provider_number, NULL, NULL FROM facility WHERE id = ?1",
        "application" => {
            "SELECT provider_number, external_id, received_on FROM application WHERE id = ?1"
        }
        "consent" | "insured_person" => {
            "SELECT provider_number, municipality_code, requested_on FROM consent_request WHERE id = ?1"
        }
        _ => return Ok(None),
    };
    Ok(conn
        .prepare_cached(sql)?
        .query_row([id], |r| {
            Ok(ObjectRef {
                provider_number: r.get(0)?,
                case_ref: r.get(1)?,
                date: r.get(2)?,
            })
        })
        .optional()?)
}

/// Records with `from <= at < to` (RFC 3339 strings), in order, for the monthly report.
pub fn between(conn: &Connection, from: &str, to: &str) -> Result<Vec<Record>> {
    let mut st = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM audit_log WHERE at >= ?1 AND at < ?2 ORDER BY seq"
    ))?;
    let rows = st.query_map(params![from, to], record_from_row)?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
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

    #[test]
    fn the_batched_walk_finds_what_verify_finds() {
        let mut store = Store::open_in_memory().unwrap();
        let e = Entry {
            actor: "k001".into(),
            action: "facility.update".into(),
            ..Entry::default()
        };
        for _ in 0..7 {
            store.write(|tx| append(tx, &e)).unwrap();
        }
        let walk_all = |conn: &Connection, anchor: Option<&Anchor>| {
            let mut walk = ChainWalk::default();
            let mut batches = 0;
            while walk.step(conn, 2).unwrap() > 0 {
                batches += 1;
            }
            (batches, walk.finish(conn, anchor).unwrap())
        };
        let (batches, v) = walk_all(store.conn(), None);
        assert_eq!(batches, 4);
        assert_eq!(v, verify(store.conn(), None).unwrap());
        assert_eq!((v.records, v.broken), (7, None));
        let anchor = Anchor {
            seq: 9,
            hash: v.head.1.clone(),
        };
        assert_eq!(
            walk_all(store.conn(), Some(&anchor)).1.broken,
            Some(Break::Truncated {
                db_seq: 7,
                anchor_seq: 9
            })
        );
        store
            .conn()
            .execute("UPDATE audit_log SET actor = 'x' WHERE seq = 4", [])
            .unwrap();
        let (_, v) = walk_all(store.conn(), None);
        assert_eq!(v.broken, Some(Break::HashMismatch { seq: 4 }));
        assert_eq!(v, verify(store.conn(), None).unwrap());
    }
}
