//! `daicho user …`: staff accounts. Runs as an admin (`--staff ADMIN_ID` + password),
//! except the very first `user add --role admin` on a database without an admin.

use super::{Cli, login};
use crate::domain::permission::{Actor, Role};
use crate::domain::text::{escape_for_terminal, pad_to_width};
use crate::i18n::Lang;
use crate::service::{ServiceError, users as svc};
use crate::store::{self, Store};
use anyhow::{Context, anyhow};
use clap::Subcommand;

fn parse_role(s: &str) -> Result<Role, String> {
    Role::from_code(s).ok_or_else(|| format!("{s:?}: expected viewer, reviewer, approver or admin"))
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add an account; the password is asked (or read from stdin).
    Add {
        staff_id: String,
        /// Display name, e.g. "審査 一郎".
        #[arg(long)]
        name: String,
        #[arg(long, value_parser = parse_role, value_name = "viewer|reviewer|approver|admin")]
        role: Role,
    },
    /// Set a new password (also clears a lockout).
    Passwd { staff_id: String },
    /// Disable an account (it can no longer log in).
    Disable { staff_id: String },
    /// Re-enable a disabled account.
    Enable { staff_id: String },
    /// Change an account's role.
    Role {
        staff_id: String,
        #[arg(value_parser = parse_role, value_name = "viewer|reviewer|approver|admin")]
        role: Role,
    },
    /// List accounts.
    List,
}

/// Logs in the admin named by `--staff`.
pub fn admin_login(cli: &Cli, store: &mut Store) -> anyhow::Result<Actor> {
    let lang = cli.lang();
    let id = cli.staff.as_deref().with_context(|| {
        lang.t(
            "このコマンドには管理者のログインが必要です: --staff ADMIN_ID で管理者の職員IDを指定してください",
            "this command needs an admin login: give the admin's staff id with --staff ADMIN_ID",
        )
    })?;
    login::authenticate_in(store, id, lang)
}

/// A service error as the one message in the UI language.
fn said(lang: Lang) -> impl Fn(ServiceError) -> anyhow::Error {
    move |e| anyhow!(e.message(lang.is_ja()))
}

fn role_label(role: Role, lang: Lang) -> &'static str {
    match lang {
        Lang::Ja => role.label_ja(),
        Lang::En => role.code(),
    }
}

pub fn run(cli: &Cli, cmd: &UserCommand) -> anyhow::Result<()> {
    let lang = cli.lang();
    let path = store::resolve_db_path(cli.db.as_deref(), None);
    let bootstrap_add = matches!(
        cmd,
        UserCommand::Add {
            role: Role::Admin,
            ..
        }
    );
    let mut store = if bootstrap_add {
        Store::create(&path)?
    } else {
        Store::open(&path)?
    };
    let id = |s: &str| escape_for_terminal(s).into_owned();
    if let UserCommand::Add {
        staff_id,
        name,
        role: Role::Admin,
    } = cmd
        && svc::needs_bootstrap(&store).map_err(said(lang))?
    {
        println!(
            "{}",
            match lang {
                Lang::Ja => format!(
                    "bootstrap: {} には管理者がいないため、最初の管理者 {} をログインなしで作成します",
                    path.display(),
                    id(staff_id)
                ),
                Lang::En => format!(
                    "bootstrap: {} has no admin yet; creating the first admin {} without login",
                    path.display(),
                    id(staff_id)
                ),
            }
        );
        let password = login::read_new_password(staff_id, lang)?;
        svc::bootstrap_admin(&mut store, staff_id, name, &password).map_err(said(lang))?;
        println!(
            "{}",
            match lang {
                Lang::Ja => format!(
                    "管理者 {} を {} に追加しました",
                    id(staff_id),
                    path.display()
                ),
                Lang::En => format!("added admin {} to {}", id(staff_id), path.display()),
            }
        );
        return Ok(());
    }
    let admin = admin_login(cli, &mut store)?;
    let done = |ja: String, en: String| println!("{}", if lang.is_ja() { ja } else { en });
    match cmd {
        UserCommand::Add {
            staff_id,
            name,
            role,
        } => {
            let password = login::read_new_password(staff_id, lang)?;
            svc::add(&mut store, &admin, staff_id, name, *role, &password).map_err(said(lang))?;
            done(
                format!(
                    "{}（{}）を {} に追加しました",
                    id(staff_id),
                    role.label_ja(),
                    path.display()
                ),
                format!(
                    "added {} ({}) to {}",
                    id(staff_id),
                    role.code(),
                    path.display()
                ),
            );
        }
        UserCommand::Passwd { staff_id } => {
            let password = login::read_new_password(staff_id, lang)?;
            svc::set_password(&mut store, &admin, staff_id, &password).map_err(said(lang))?;
            done(
                format!("{} のパスワードを変更しました", id(staff_id)),
                format!("password of {} changed", id(staff_id)),
            );
        }
        UserCommand::Disable { staff_id } => {
            svc::set_disabled(&mut store, &admin, staff_id, true).map_err(said(lang))?;
            done(
                format!("{} を無効にしました", id(staff_id)),
                format!("{} disabled", id(staff_id)),
            );
        }
        UserCommand::Enable { staff_id } => {
            svc::set_disabled(&mut store, &admin, staff_id, false).map_err(said(lang))?;
            done(
                format!("{} を有効にしました", id(staff_id)),
                format!("{} enabled", id(staff_id)),
            );
        }
        UserCommand::Role { staff_id, role } => {
            svc::set_role(&mut store, &admin, staff_id, *role).map_err(said(lang))?;
            done(
                format!("{} の権限を{}にしました", id(staff_id), role.label_ja()),
                format!("{} is now {}", id(staff_id), role.code()),
            );
        }
        UserCommand::List => {
            // Names are escaped: one stored before names were checked cannot
            // command the admin's terminal.
            for u in svc::list(&store, &admin).map_err(said(lang))? {
                println!(
                    "{} {} {}{}",
                    pad_to_width(&id(&u.staff_id), 16),
                    pad_to_width(role_label(u.role, lang), 9),
                    escape_for_terminal(&u.display_name),
                    if u.disabled {
                        lang.t("  （無効）", "  (disabled)")
                    } else {
                        ""
                    }
                );
            }
        }
    }
    Ok(())
}
