//! `daicho admin …`: deployment helpers for the administrator.

use super::{Cli, printable};
use crate::i18n::Lang;
use crate::service::users::valid_staff_id;
use crate::store;
use anyhow::{Context, bail};
use clap::Subcommand;
use std::path::{Path, PathBuf};

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Print the authorized_keys line that pins an SSH key to one staff id.
    /// The staff id is the global `--staff ID`.
    SshKey {
        /// The staff member's public key file (one line: ssh-ed25519 AAAA… comment).
        #[arg(long)]
        key: PathBuf,
    },
}

/// Quotes a path for the shell that runs the forced command; refuses characters that
/// cannot be written inside `command="…"` safely.
fn shell_path(p: &Path, lang: Lang) -> anyhow::Result<String> {
    let shown = printable(&p.to_string_lossy()).into_owned();
    let s = p.to_str().with_context(|| {
        if lang.is_ja() {
            format!("パス {shown} が UTF-8 ではありません。UTF-8 の名前の場所を使ってください")
        } else {
            format!("path {shown} is not valid UTF-8; use a location with a UTF-8 name")
        }
    })?;
    if s.chars()
        .any(|c| matches!(c, '"' | '\'' | '\\' | '\n' | '\r') || c.is_control())
    {
        if lang.is_ja() {
            bail!(
                "パス {shown} には引用符・バックスラッシュ・制御文字が含まれ、強制コマンドに書けません。別の場所を使ってください"
            );
        }
        bail!(
            "path {shown} contains quotes, backslashes or control characters, which cannot go into a forced command; use another location"
        );
    }
    let plain = s
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'/' | b'.' | b'_' | b'-' | b'+'));
    Ok(if plain {
        s.to_string()
    } else {
        format!("'{s}'")
    })
}

/// Checks one public key line: `ssh-…`, `ecdsa-…` or `sk-…`, no options, one line.
pub fn check_key(text: &str, file: &Path, lang: Lang) -> anyhow::Result<String> {
    let f = printable(&file.display().to_string()).into_owned();
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    let [line] = lines.as_slice() else {
        let n = lines.len();
        if lang.is_ja() {
            bail!("公開鍵ファイル {f} には鍵を1行だけ書いてください（{n} 行あります）");
        }
        bail!("public key file {f} must hold exactly one key line (it has {n})");
    };
    let line = line.trim();
    if !["ssh-", "ecdsa-", "sk-"]
        .iter()
        .any(|p| line.starts_with(p))
    {
        if lang.is_ja() {
            bail!(
                "{f} は公開鍵ではありません。ssh-、ecdsa-、sk- で始まる .pub ファイルを指定してください（オプションは daicho が付けます）"
            );
        }
        bail!(
            "{f} is not a public key; give the .pub file, whose line starts with ssh-, ecdsa- or sk- (daicho adds the options)"
        );
    }
    if line.split_whitespace().count() < 2 || line.contains('"') {
        if lang.is_ja() {
            bail!(
                "公開鍵ファイル {f} の行の形が正しくありません。ssh-keygen が作った .pub ファイルをそのまま使ってください"
            );
        }
        bail!("public key file {f} has a malformed line; use the .pub file as ssh-keygen wrote it");
    }
    Ok(line.to_string())
}

/// The `authorized_keys` line for `staff_id`.
pub fn ssh_key_line(
    exe: &Path,
    db: &Path,
    staff_id: &str,
    key: &str,
    lang: Lang,
) -> anyhow::Result<String> {
    if !valid_staff_id(staff_id) {
        let shown = printable(staff_id);
        if lang.is_ja() {
            bail!("--staff の職員ID \"{shown}\" は A-Z a-z 0-9 . _ - の1〜32文字にしてください");
        }
        bail!("--staff id \"{shown}\" must be 1-32 characters of A-Z a-z 0-9 . _ -");
    }
    Ok(format!(
        "restrict,pty,command=\"{} --db {} --staff {staff_id}\" {key}",
        shell_path(exe, lang)?,
        shell_path(db, lang)?
    ))
}

pub fn run(cli: &Cli, cmd: &AdminCommand) -> anyhow::Result<()> {
    match cmd {
        AdminCommand::SshKey { key } => {
            let lang = cli.lang();
            let staff_id = cli.staff.as_deref().with_context(|| {
                lang.t(
                    "--staff ID（この鍵でログインする職員ID）を指定してください",
                    "--staff ID is required (the staff id this key logs in as)",
                )
                .to_string()
            })?;
            let key_path = std::path::absolute(key).unwrap_or_else(|_| key.clone());
            let text = std::fs::read_to_string(key).with_context(|| {
                let shown = printable(&key_path.display().to_string()).into_owned();
                if lang.is_ja() {
                    format!("公開鍵ファイル {shown} を読めません")
                } else {
                    format!("cannot read the public key file {shown}")
                }
            })?;
            let key_line = check_key(&text, &key_path, lang)?;
            let exe = std::env::current_exe()
                .and_then(|p| p.canonicalize())
                .with_context(|| {
                    lang.t(
                        "daicho の実行ファイルの場所が分かりません",
                        "cannot locate the daicho executable",
                    )
                    .to_string()
                })?;
            let db = store::resolve_db_path(cli.db.as_deref(), None);
            let db = std::path::absolute(&db).unwrap_or(db);
            // A key pinned to a mistyped path would only fail at the staff's first login.
            match store::Store::open_read_only(&db) {
                Ok(_) | Err(store::StoreError::SchemaTooOld { .. }) => {}
                Err(e) => return Err(e.into()),
            }
            println!("{}", ssh_key_line(&exe, &db, staff_id, &key_line, lang)?);
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_line_pins_staff_and_database() {
        let line = ssh_key_line(
            Path::new("/opt/daicho/bin/daicho"),
            Path::new("/srv/daicho/data/daicho.db"),
            "k001",
            "ssh-ed25519 AAAAC3Nza k001@pc",
            Lang::En,
        )
        .unwrap();
        assert_eq!(
            line,
            "restrict,pty,command=\"/opt/daicho/bin/daicho --db /srv/daicho/data/daicho.db --staff k001\" ssh-ed25519 AAAAC3Nza k001@pc"
        );
        assert!(
            ssh_key_line(
                Path::new("/d"),
                Path::new("/x.db"),
                "k001 --staff a",
                "ssh-ed25519 A",
                Lang::En,
            )
            .is_err()
        );
        assert!(
            ssh_key_line(
                Path::new("/d"),
                Path::new("/x\".db"),
                "k001",
                "ssh-ed25519 A",
                Lang::En,
            )
            .is_err()
        );
        let spaced = ssh_key_line(
            Path::new("/d"),
            Path::new("/my data/x.db"),
            "k001",
            "ssh-ed25519 A",
            Lang::En,
        )
        .unwrap();
        assert!(spaced.contains("--db '/my data/x.db'"), "{spaced}");
    }

    #[test]
    fn keys_must_be_one_plain_line() {
        let f = Path::new("k.pub");
        assert!(check_key("ssh-ed25519 AAAA c\n", f, Lang::En).is_ok());
        assert!(check_key("sk-ssh-ed25519@openssh.com AAAA c", f, Lang::En).is_ok());
        assert!(check_key("command=\"sh\" ssh-ed25519 AAAA", f, Lang::En).is_err());
        assert!(check_key("ssh-ed25519 A\nssh-rsa B\n", f, Lang::En).is_err());
        assert!(check_key("-----BEGIN OPENSSH PRIVATE KEY-----", f, Lang::En).is_err());
    }
}
