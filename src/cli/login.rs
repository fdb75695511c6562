//! Password login before the TUI or an admin command.
//!
//! The staff id comes from `--staff` (set by the SSH forced command), never from
//! `$USER`; the password is read from the controlling terminal with echo off, or — when
//! stdin is not a terminal (scripts, tests) — as one line from stdin.

use crate::domain::permission::Actor;
use crate::domain::text::escape_for_terminal;
use crate::i18n::Lang;
use crate::service::session::{self, LoginError};
use crate::store::Store;
use anyhow::{anyhow, bail};
use std::io::{BufRead, IsTerminal};

/// Prompts per invocation (the account itself locks after
/// `session::MAX_FAILED_ATTEMPTS` wrong passwords; that is the count users are told).
pub const TRIES_PER_SESSION: i64 = 3;

/// Reads a secret: from the terminal with echo off, else one line of stdin.
pub fn read_secret(prompt: &str, lang: Lang) -> anyhow::Result<String> {
    if std::io::stdin().is_terminal() {
        rpassword::prompt_password(prompt).map_err(|e| {
            anyhow!(match lang {
                Lang::Ja => format!("端末からパスワードを読めません（{e}）"),
                Lang::En => format!("cannot read the password from the terminal ({e})"),
            })
        })
    } else {
        let mut line = String::new();
        let n = std::io::stdin().lock().read_line(&mut line).map_err(|e| {
            anyhow!(match lang {
                Lang::Ja => format!("標準入力からパスワードを読めません（{e}）"),
                Lang::En => format!("cannot read the password from stdin ({e})"),
            })
        })?;
        if n == 0 {
            bail!(
                "{}",
                lang.t(
                    "標準入力にパスワードがありません。1行で渡してください",
                    "no password on stdin; pass it as one line"
                )
            );
        }
        Ok(line.trim_end_matches(['\r', '\n']).to_string())
    }
}

/// [`authenticate_in`] in the locale's language, for callers without `--lang` at hand.
pub fn authenticate(store: &mut Store, staff_id: &str) -> anyhow::Result<Actor> {
    authenticate_in(store, staff_id, Lang::from_env())
}

/// Asks for `staff_id`'s password (up to 3 prompts) and returns the logged-in actor.
/// Each wrong password is answered with the service's one message: tries left before
/// the account locks.
pub fn authenticate_in(store: &mut Store, staff_id: &str, lang: Lang) -> anyhow::Result<Actor> {
    let interactive = std::io::stdin().is_terminal();
    let prompts = if interactive { TRIES_PER_SESSION } else { 1 };
    let shown = escape_for_terminal(staff_id);
    let prompt = match lang {
        Lang::Ja => format!("{shown} のパスワード: "),
        Lang::En => format!("password for {shown}: "),
    };
    let mut last = None;
    for _ in 0..prompts {
        let password = read_secret(&prompt, lang)?;
        match session::verify_password(store, staff_id, &password) {
            Ok(done) => {
                if let Some(w) = done.warning {
                    eprintln!("daicho: {}", w.message(lang.is_ja()));
                }
                return Ok(done.actor);
            }
            Err(e @ LoginError::WrongPassword { .. }) => {
                let text = e.message(lang);
                if interactive {
                    eprintln!("{text}");
                }
                last = Some(text);
            }
            Err(e) => bail!("{}", e.message(lang)),
        }
    }
    bail!(
        "{}",
        last.unwrap_or_else(|| lang.t("ログインできませんでした", "login failed").into())
    )
}

/// A new password, typed twice on a terminal (once on stdin).
pub fn read_new_password(staff_id: &str, lang: Lang) -> anyhow::Result<String> {
    let shown = escape_for_terminal(staff_id);
    let first = read_secret(
        &match lang {
            Lang::Ja => format!("{shown} の新しいパスワード: "),
            Lang::En => format!("new password for {shown}: "),
        },
        lang,
    )?;
    if std::io::stdin().is_terminal() {
        let again = read_secret(lang.t("もう一度: ", "again: "), lang)?;
        if again != first {
            bail!(
                "{}",
                lang.t(
                    "2回のパスワードが一致しません。もう一度やり直してください",
                    "the two passwords differ; start again"
                )
            );
        }
    }
    Ok(first)
}
