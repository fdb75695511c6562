//! `daicho user …`: staff accounts. Runs as an admin (`--staff ADMIN_ID` + password),
//! except the very first `user add --role admin` on a database without an admin.

use super::{Cli, login};
use crate::domain::permission::{Actor, Role};
use crate::service::users as svc;
use crate::store::{self, Store};
use anyhow::{Context, bail};
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
    let id = cli
        .staff
        .as_deref()
        .context("--staff ADMIN_ID is required (this command needs an admin login)")?;
    login::authenticate(store, id)
}

pub fn run(cli: &Cli, cmd: &UserCommand) -> anyhow::Result<()> {
    let path = store::resolve_db_path(cli.db.as_deref(), None);
    let bootstrap_add = matches!(
        cmd,
        UserCommand::Add {
            role: Role::Admin,
            ..
        }
    );
    if !path.exists() && !bootstrap_add {
        bail!("no database at {}", path.display());
    }
    let mut store = Store::create(&path).with_context(|| format!("opening {}", path.display()))?;
    if let UserCommand::Add {
        staff_id,
        name,
        role: Role::Admin,
    } = cmd
        && svc::needs_bootstrap(&store)?
    {
        println!(
            "bootstrap: {} has no admin yet; creating the first admin {staff_id} without login / 最初の管理者を作成します",
            path.display()
        );
        let password = login::read_new_password(staff_id)?;
        svc::bootstrap_admin(&mut store, staff_id, name, &password)?;
        println!("added admin {staff_id} to {}", path.display());
        return Ok(());
    }
    let admin = admin_login(cli, &mut store)?;
    match cmd {
        UserCommand::Add {
            staff_id,
            name,
            role,
        } => {
            let password = login::read_new_password(staff_id)?;
            svc::add(&mut store, &admin, staff_id, name, *role, &password)?;
            println!("added {staff_id} ({}) to {}", role.code(), path.display());
        }
        UserCommand::Passwd { staff_id } => {
            let password = login::read_new_password(staff_id)?;
            svc::set_password(&mut store, &admin, staff_id, &password)?;
            println!("password of {staff_id} changed");
        }
        UserCommand::Disable { staff_id } => {
            svc::set_disabled(&mut store, &admin, staff_id, true)?;
            println!("{staff_id} disabled");
        }
        UserCommand::Enable { staff_id } => {
            svc::set_disabled(&mut store, &admin, staff_id, false)?;
            println!("{staff_id} enabled");
        }
        UserCommand::Role { staff_id, role } => {
            svc::set_role(&mut store, &admin, staff_id, *role)?;
            println!("{staff_id} is now {}", role.code());
        }
        UserCommand::List => {
            for u in svc::list(&store, &admin)? {
                println!(
                    "{:<16} {:<9} {}{}",
                    u.staff_id,
                    u.role.code(),
                    u.display_name,
                    if u.disabled { "  (disabled)" } else { "" }
                );
            }
        }
    }
    Ok(())
}
