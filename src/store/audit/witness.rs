//! Witnesses of the chain head that the service account cannot rewrite.
//!
//! The anchor file sits beside the database with the same owner, so whoever can rewrite
//! the chain can rewrite the anchor too. Each new head is therefore also sent to the
//! system log (`/dev/log`, facility authpriv; never fatal — a missing syslog only loses
//! the witness) and, when `$DAICHO_AUDIT_WITNESS` names a file, appended to it. That file
//! must exist already and belong to another account (root, group daicho, mode 0620,
//! `chattr +a`): daicho only appends, it never creates it. `daicho audit verify --witness
//! FILE` reads such a file or a syslog extract and checks every witnessed (seq, hash).

use super::super::{Result, StoreError};
use std::collections::BTreeMap;
use std::io::Write;
use std::os::unix::net::UnixDatagram;
use std::path::{Path, PathBuf};

/// Path of the append-only witness file (unset: syslog only).
pub const ENV_WITNESS_FILE: &str = "DAICHO_AUDIT_WITNESS";
/// `off` stops sending heads to the system log (tests, machines without syslog).
pub const ENV_SYSLOG: &str = "DAICHO_AUDIT_SYSLOG";
pub const SYSLOG_SOCKET: &str = "/dev/log";
/// authpriv (10) * 8 + info (6): readable by root only on common distributions.
const SYSLOG_PRI: u8 = 86;
const MARK: &str = "daicho audit-head";

fn canonical(db: &Path) -> PathBuf {
    std::fs::canonicalize(db).unwrap_or_else(|_| db.to_path_buf())
}

/// One witness line. `reset` marks a restore, which legitimately rewinds the chain.
pub fn line(db: &Path, seq: i64, hash: &str, reset: bool) -> String {
    format!(
        "{MARK}{} seq={seq} hash={hash} db={}",
        if reset { " reset" } else { "" },
        canonical(db).display()
    )
}

/// Sends the head to syslog (errors ignored) and appends it to the witness file, if one
/// is configured (an error there is returned: the caller warns, the write stands).
pub fn emit(db: &Path, seq: i64, hash: &str, reset: bool) -> Result<()> {
    let text = line(db, seq, hash, reset);
    if std::env::var(ENV_SYSLOG).map_or(true, |v| v != "off") {
        let _ = send_syslog(Path::new(SYSLOG_SOCKET), &text);
    }
    match std::env::var_os(ENV_WITNESS_FILE) {
        Some(p) if !p.is_empty() => append(Path::new(&p), &text),
        _ => Ok(()),
    }
}

/// One RFC 3164 datagram to a syslog socket.
pub fn send_syslog(socket: &Path, text: &str) -> std::io::Result<()> {
    let sock = UnixDatagram::unbound()?;
    let ts = chrono::Local::now().format("%b %e %H:%M:%S");
    let msg = format!("<{SYSLOG_PRI}>{ts} daicho[{}]: {text}", std::process::id());
    sock.send_to(msg.as_bytes(), socket).map(|_| ())
}

fn append(path: &Path, text: &str) -> Result<()> {
    let fail = |e: std::io::Error| {
        StoreError::Invalid(format!(
            "audit witness file {} could not be appended to: {e}",
            path.display()
        ))
    };
    // Never created here: a file the service account created, it could also rewrite.
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(path)
        .map_err(fail)?;
    f.write_all(format!("{text}\n").as_bytes()).map_err(fail)?;
    f.sync_data().map_err(fail)
}

/// What a witness file says about one database.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Witnessed {
    /// seq → hash every head still expected in the chain.
    pub heads: BTreeMap<i64, String>,
    /// Seqs at which a restore rewound the chain (each also a head).
    pub resets: Vec<i64>,
    /// A seq witnessed with two hashes and no restore between: the chain forked.
    pub conflict: Option<i64>,
}

fn field<'a>(line: &'a str, key: &str) -> Option<&'a str> {
    let start = line.find(key)? + key.len();
    let rest = &line[start..];
    Some(rest.split_whitespace().next().unwrap_or(""))
}

/// Reads witness lines (from the witness file or a syslog extract; other lines are
/// skipped) that belong to `db`.
pub fn parse(text: &str, db: &Path) -> Witnessed {
    let me = canonical(db).display().to_string();
    let mut w = Witnessed::default();
    for l in text.lines() {
        let Some(at) = l.find(MARK) else { continue };
        let l = &l[at..];
        // db= is last and may contain spaces.
        if let Some(i) = l.find(" db=")
            && l[i + 4..].trim_end() != me
        {
            continue;
        }
        let seq = field(l, " seq=").and_then(|s| s.parse::<i64>().ok());
        let hash = field(l, " hash=").filter(|h| h.len() == 64);
        let (Some(seq), Some(hash)) = (seq, hash) else {
            continue;
        };
        if l[MARK.len()..].starts_with(" reset ") {
            // The chain restarted from a backup at seq-1: later heads are superseded.
            w.heads.retain(|s, _| *s < seq);
            w.resets.push(seq);
        } else if w.heads.get(&seq).is_some_and(|h| h != hash) && w.conflict.is_none() {
            w.conflict = Some(seq);
        }
        w.heads.insert(seq, hash.to_string());
    }
    w
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heads_reach_a_syslog_socket() {
        let dir = tempfile::tempdir().unwrap();
        let sock_path = dir.path().join("log");
        let server = UnixDatagram::bind(&sock_path).unwrap();
        let db = dir.path().join("d.db");
        send_syslog(&sock_path, &line(&db, 7, &"a".repeat(64), false)).unwrap();
        let mut buf = [0u8; 512];
        let n = server.recv(&mut buf).unwrap();
        let got = String::from_utf8_lossy(&buf[..n]).to_string();
        assert!(got.starts_with("<86>"), "{got}");
        let w = parse(&got, &db);
        assert_eq!(w.heads.get(&7), Some(&"a".repeat(64)));
        // No syslog at all is not an error worth failing a write for — only reported.
        assert!(send_syslog(&dir.path().join("absent"), "x").is_err());
    }

    #[test]
    fn a_restore_supersedes_later_heads_and_other_databases_are_ignored() {
        let db = Path::new("/nonexistent/d.db");
        let h = |c: char| c.to_string().repeat(64);
        let text = [
            line(db, 1, &h('a'), false),
            line(db, 2, &h('b'), false),
            line(db, 3, &h('c'), false),
            line(Path::new("/nonexistent/other.db"), 9, &h('f'), false),
            line(db, 2, &h('d'), true),
            "unrelated syslog line".to_string(),
        ]
        .join("\n");
        let w = parse(&text, db);
        assert_eq!(w.heads.keys().copied().collect::<Vec<_>>(), vec![1, 2]);
        assert_eq!(w.heads[&2], h('d'));
        assert_eq!(w.resets, vec![2]);
        assert_eq!(w.conflict, None);
        let forked = parse(
            &[line(db, 1, &h('a'), false), line(db, 1, &h('b'), false)].join("\n"),
            db,
        );
        assert_eq!(forked.conflict, Some(1));
    }

    #[test]
    fn the_witness_file_is_appended_never_created() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("witness");
        let err = append(&p, "x").unwrap_err();
        assert!(err.to_string().contains("witness"), "{err}");
        assert!(!p.exists());
        std::fs::write(&p, "first\n").unwrap();
        append(&p, "second").unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "first\nsecond\n");
    }
}
