//! `daicho admin …`: deployment helpers for the administrator.

use super::Cli;
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
fn shell_path(p: &Path) -> anyhow::Result<String> {
    let s = p
        .to_str()
        .with_context(|| format!("{} is not valid UTF-8", p.display()))?;
    if s.chars()
        .any(|c| matches!(c, '"' | '\'' | '\\' | '\n' | '\r') || c.is_control())
    {
        bail!("{s:?}: quotes, backslashes and control characters cannot go into a forced command");
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
pub fn check_key(text: &str, file: &Path) -> anyhow::Result<String> {
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    let [line] = lines.as_slice() else {
        bail!(
            "{}: expected exactly one public key line, found {}",
            file.display(),
            lines.len()
        );
    };
    let line = line.trim();
    if !["ssh-", "ecdsa-", "sk-"]
        .iter()
        .any(|p| line.starts_with(p))
    {
        bail!(
            "{}: not a public key (must start with ssh-, ecdsa- or sk-; options are added by daicho)",
            file.display()
        );
    }
    if line.split_whitespace().count() < 2 || line.contains('"') {
        bail!("{}: malformed public key line", file.display());
    }
    Ok(line.to_string())
}

/// The `authorized_keys` line for `staff_id`.
pub fn ssh_key_line(exe: &Path, db: &Path, staff_id: &str, key: &str) -> anyhow::Result<String> {
    if !valid_staff_id(staff_id) {
        bail!("staff id {staff_id:?} must be 1-32 characters of A-Z a-z 0-9 . _ -");
    }
    Ok(format!(
        "restrict,pty,command=\"{} --db {} --staff {staff_id}\" {key}",
        shell_path(exe)?,
        shell_path(db)?
    ))
}

pub fn run(cli: &Cli, cmd: &AdminCommand) -> anyhow::Result<()> {
    match cmd {
        AdminCommand::SshKey { key } => {
            let staff_id = cli
                .staff
                .as_deref()
                .context("--staff ID is required (the staff id this key logs in as)")?;
            let text = std::fs::read_to_string(key)
                .with_context(|| format!("reading {}", key.display()))?;
            let key_line = check_key(&text, key)?;
            let exe = std::env::current_exe()
                .and_then(|p| p.canonicalize())
                .context("locating the daicho executable")?;
            let db = store::resolve_db_path(cli.db.as_deref(), None);
            let db =
                std::path::absolute(&db).with_context(|| format!("resolving {}", db.display()))?;
            println!("{}", ssh_key_line(&exe, &db, staff_id, &key_line)?);
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
                "ssh-ed25519 A"
            )
            .is_err()
        );
        assert!(
            ssh_key_line(
                Path::new("/d"),
                Path::new("/x\".db"),
                "k001",
                "ssh-ed25519 A"
            )
            .is_err()
        );
        let spaced = ssh_key_line(
            Path::new("/d"),
            Path::new("/my data/x.db"),
            "k001",
            "ssh-ed25519 A",
        )
        .unwrap();
        assert!(spaced.contains("--db '/my data/x.db'"), "{spaced}");
    }

    #[test]
    fn keys_must_be_one_plain_line() {
        let f = Path::new("k.pub");
        assert!(check_key("ssh-ed25519 AAAA c\n", f).is_ok());
        assert!(check_key("sk-ssh-ed25519@openssh.com AAAA c", f).is_ok());
        assert!(check_key("command=\"sh\" ssh-ed25519 AAAA", f).is_err());
        assert!(check_key("ssh-ed25519 A\nssh-rsa B\n", f).is_err());
        assert!(check_key("-----BEGIN OPENSSH PRIVATE KEY-----", f).is_err());
    }
}
