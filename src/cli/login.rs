//! Password login before the TUI or an admin command.
//!
//! The staff id comes from `--staff` (set by the SSH forced command), never from
//! `$USER`; the password is read from the controlling terminal with echo off, or — when
//! stdin is not a terminal (scripts, tests) — as one line from stdin.

use crate::domain::permission::Actor;
use crate::service::session::{self, LoginError};
use crate::store::Store;
use anyhow::{Context, bail};
use std::io::{BufRead, IsTerminal};

/// Tries per invocation; the account itself locks after `session::MAX_FAILED_ATTEMPTS`.
pub const TRIES_PER_SESSION: i64 = 3;

/// Reads a secret: from the terminal with echo off, else one line of stdin.
pub fn read_secret(prompt: &str) -> anyhow::Result<String> {
    if std::io::stdin().is_terminal() {
        rpassword::prompt_password(prompt).context("reading the password from the terminal")
    } else {
        let mut line = String::new();
        let n = std::io::stdin()
            .lock()
            .read_line(&mut line)
            .context("reading the password from stdin")?;
        if n == 0 {
            bail!("no password on stdin / 標準入力にパスワードがありません");
        }
        Ok(line.trim_end_matches(['\r', '\n']).to_string())
    }
}

/// Asks for `staff_id`'s password (up to 3 tries) and returns the logged-in actor.
pub fn authenticate(store: &mut Store, staff_id: &str) -> anyhow::Result<Actor> {
    let interactive = std::io::stdin().is_terminal();
    let tries = if interactive { TRIES_PER_SESSION } else { 1 };
    for attempt in 1..=tries {
        let password = read_secret(&format!("{staff_id} のパスワード / password: "))?;
        match session::verify_password(store, staff_id, &password) {
            Ok(actor) => return Ok(actor),
            Err(LoginError::WrongPassword { remaining, .. }) => {
                let left = (tries - attempt).min(remaining);
                if left == 0 {
                    eprintln!("パスワードが違います / wrong password");
                    break;
                }
                eprintln!(
                    "パスワードが違います (残り{left}回) / wrong password ({left} tries left)"
                );
            }
            Err(e) => bail!("{e}"),
        }
    }
    bail!("ログインできませんでした: {staff_id} / login failed for staff id {staff_id}")
}

/// A new password, typed twice on a terminal (once on stdin).
pub fn read_new_password(staff_id: &str) -> anyhow::Result<String> {
    let first = read_secret(&format!("{staff_id} の新しいパスワード / new password: "))?;
    if std::io::stdin().is_terminal() {
        let again = read_secret("もう一度 / again: ")?;
        if again != first {
            bail!("パスワードが一致しません / the passwords do not match");
        }
    }
    Ok(first)
}
