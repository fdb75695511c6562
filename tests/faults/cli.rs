//! Command-line surface: paths that do not exist, foreign files, broken pipes, escaping.
use crate::Case;
use crate::common::fresh_db;
use crate::ensure;
use std::path::Path;
use std::process::{Command, Output, Stdio};

pub fn cases() -> Vec<Case> {
    vec![
        Case {
            id: "11.15",
            what: "export and audit verify on a mistyped path create nothing",
            run: mistyped_path_creates_nothing,
        },
        Case {
            id: "11.15",
            what: "export on another program's SQLite file leaves it unchanged",
            run: foreign_sqlite_file_unchanged,
        },
        Case {
            id: "11.17",
            what: "doctor and export into a closed pipe exit quietly",
            run: closed_pipe_is_quiet,
        },
        Case {
            id: "11.1",
            what: "doctor shows an ESC in a keymap as an escape, not raw",
            run: doctor_escapes_keymap_text,
        },
    ]
}

fn daicho(dir: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_daicho"));
    c.args(args)
        .current_dir(dir)
        .env_remove("DAICHO_DB")
        .env_remove("DAICHO_TODAY")
        .env("LANG", "C.UTF-8")
        .env("XDG_DATA_HOME", dir.join("data"))
        .env("XDG_STATE_HOME", dir.join("state"))
        .env("XDG_CONFIG_HOME", dir.join("config"))
        .stdin(Stdio::null());
    c
}

fn output(dir: &Path, args: &[&str]) -> Result<Output, String> {
    daicho(dir, args)
        .output()
        .map_err(|e| format!("running daicho {args:?}: {e}"))
}

fn mistyped_path_creates_nothing() -> Result<(), String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    for args in [
        ["--db", "typo.db", "export", "ledger"].as_slice(),
        ["--db", "typo.db", "audit", "verify"].as_slice(),
    ] {
        let out = output(dir.path(), args)?;
        let stdout = String::from_utf8_lossy(&out.stdout);
        ensure!(
            !out.status.success(),
            "{args:?} succeeded on a missing file: {stdout}"
        );
        ensure!(
            !dir.path().join("typo.db").exists(),
            "{args:?} created typo.db"
        );
    }
    Ok(())
}

fn foreign_sqlite_file_unchanged() -> Result<(), String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let path = dir.path().join("other.db");
    {
        let conn = rusqlite::Connection::open(&path).map_err(|e| e.to_string())?;
        conn.execute_batch("CREATE TABLE t(x); INSERT INTO t VALUES (1);")
            .map_err(|e| e.to_string())?;
    }
    let before = std::fs::read(&path).map_err(|e| e.to_string())?;
    let out = output(dir.path(), &["--db", "other.db", "export", "ledger"])?;
    let after = std::fs::read(&path).map_err(|e| e.to_string())?;
    ensure!(before == after, "export rewrote other.db");
    ensure!(
        !out.status.success(),
        "export accepted another program's file"
    );
    Ok(())
}

/// The reader is gone before daicho writes anything: every write fails with EPIPE.
fn closed_pipe_is_quiet() -> Result<(), String> {
    let db = fresh_db();
    let path = db.path.display().to_string();
    for args in [
        ["--db", path.as_str(), "doctor"].as_slice(),
        ["--db", path.as_str(), "export", "ledger", "--out", "-"].as_slice(),
    ] {
        let mut child = daicho(db.dir.path(), args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| e.to_string())?;
        drop(child.stdout.take());
        let out = child.wait_with_output().map_err(|e| e.to_string())?;
        let err = String::from_utf8_lossy(&out.stderr);
        ensure!(
            !err.contains("panicked") && !err.contains("Broken pipe"),
            "{args:?} into a closed pipe: {err}"
        );
        ensure!(
            out.status.code().is_some(),
            "{args:?} was killed by a signal"
        );
    }
    Ok(())
}

fn doctor_escapes_keymap_text() -> Result<(), String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    std::fs::write(
        dir.path().join("evil.toml"),
        "[list]\nbindings = [{ keys = [\"x\"], command = \"a\\u001b[2Jb\\u202e\" }]\n",
    )
    .map_err(|e| e.to_string())?;
    let out = output(dir.path(), &["--keymap", "evil.toml", "doctor"])?;
    let text = String::from_utf8_lossy(&out.stdout);
    ensure!(
        !text.contains('\u{1b}') && !text.contains('\u{202e}'),
        "raw control characters reached the terminal: {text:?}"
    );
    ensure!(
        text.contains("\\u{001B}"),
        "the ESC is not shown at all: {text}"
    );
    Ok(())
}
