//! `daicho settings …`: settings kept in the database. `settings ward CODE NAME` sets the
//! ward's municipality code (全国地方公共団体コード, check digit validated) and name, used
//! by the jobs (open data import and export, consent exchange); `settings show` prints
//! them. Changing a setting needs an admin login (`--staff ADMIN_ID`).

use super::Cli;
use crate::service::opendata;
use crate::store::{self, Store};
use anyhow::anyhow;

#[derive(Debug, clap::Subcommand)]
pub enum SettingsCommand {
    /// Set the ward's municipality code (6 digits with check digit) and name.
    Ward {
        /// 全国地方公共団体コード, e.g. 131041.
        code: String,
        /// The ward's name, e.g. 新宿区.
        name: String,
    },
    /// Print the settings.
    Show,
}

pub fn run(cli: &Cli, cmd: &SettingsCommand) -> anyhow::Result<()> {
    let lang = cli.lang();
    let db = store::resolve_db_path(cli.db.as_deref(), None);
    match cmd {
        SettingsCommand::Show => {
            let store = Store::open_read_only(&db)?;
            let w = store::opendata::ward(store.conn())?;
            println!("{}: {} {}", lang.t("区", "ward"), w.code, w.name);
            Ok(())
        }
        SettingsCommand::Ward { code, name } => {
            let mut store = Store::open(&db)?;
            let actor = super::user::admin_login(cli, &mut store)?;
            let w = opendata::set_ward(&mut store, &actor, code, name)
                .map_err(|e| anyhow!(e.message(lang.is_ja())))?;
            println!(
                "{}",
                lang.t(
                    &format!("区を {} {} に設定しました", w.code, w.name),
                    &format!("ward set to {} {}", w.code, w.name),
                )
            );
            Ok(())
        }
    }
}
