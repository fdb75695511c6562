//! `daicho guidance plan`: the fiscal year's 運営指導 plan, headless — printed as text,
//! or written as a printable A4 HTML page and a text file into a folder.

use super::{Cli, printable};
use crate::domain::guidance::fiscal_year;
use crate::domain::permission::{Actor, Role};
use crate::letters;
use crate::service::{maintenance::SYSTEM_ACTOR, privacy};
use crate::store::{self, Store, guidance};
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, clap::Subcommand)]
pub enum GuidanceCommand {
    /// The 運営指導 plan of a fiscal year: facilities due, by month.
    Plan(PlanArgs),
}

#[derive(Debug, clap::Args)]
pub struct PlanArgs {
    /// Fiscal year by its starting year (2025 = 令和7年度, April 2025 – March 2026);
    /// default: the current one.
    #[arg(long)]
    pub year: Option<i32>,
    /// Folder to write `運営指導計画-YYYY.html` and `.txt` into (never replacing a file);
    /// absent: print the text.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

pub fn run(cli: &Cli, cmd: &GuidanceCommand) -> anyhow::Result<()> {
    let GuidanceCommand::Plan(args) = cmd;
    let lang = cli.lang();
    let today = super::today();
    let fy = args.year.unwrap_or_else(|| fiscal_year(today));
    if !(1990..=2100).contains(&fy) {
        anyhow::bail!(
            "{}",
            lang.t(
                &format!("--year は年度の開始年（例 2025）です（{fy} は範囲外）"),
                &format!(
                    "--year is the fiscal year's starting year, e.g. 2025 ({fy} is out of range)"
                ),
            )
        );
    }
    let db = store::resolve_db_path(cli.db.as_deref(), None);
    let store = Store::open_read_only(&db)?;
    let plan = guidance::year_plan(store.conn(), fy, today)?;
    drop(store);
    let letter = letters::guidance_plan::render(&plan, today, lang)
        .map_err(|e| anyhow::anyhow!(e.message(lang)))?;
    let Some(dir) = &args.out else {
        let mut out = super::stdout();
        // Line by line: each line's control or invisible characters shown, not obeyed.
        for line in letter.text.lines() {
            writeln!(out, "{}", printable(line))?;
        }
        out.flush()?;
        return Ok(());
    };
    let written = letters::write(dir, &format!("運営指導計画-{fy}"), &letter)
        .map_err(|e| anyhow::anyhow!(e.message(lang)))?;
    let actor = Actor {
        staff_id: cli
            .staff
            .clone()
            .unwrap_or_else(|| SYSTEM_ACTOR.to_string()),
        role: Role::Viewer,
    };
    super::export::record_or_warn(
        privacy::record_export(
            &mut Store::open(&db)?,
            &actor,
            "guidance_plan",
            &written.html,
            plan.total,
        ),
        lang,
    )?;
    println!(
        "{}",
        if lang.is_ja() {
            format!(
                "{} と {} に書き出しました（{} 事業所）",
                written.html.display(),
                written.text.display(),
                plan.total
            )
        } else {
            format!(
                "wrote {} and {} ({} facilities)",
                written.html.display(),
                written.text.display(),
                plan.total
            )
        }
    );
    Ok(())
}
