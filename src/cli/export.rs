//! `daicho export ledger`: the ledger list as CSV, headless (cron, benchmarks).

use super::Cli;
use crate::jobs::formats::{csv_out::CsvEncoding, ledger_csv};
use crate::store::facilities::ListQuery;
use crate::store::{self, Store};
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// What to export (only the ledger list for now).
    #[arg(value_parser = ["ledger"])]
    pub what: String,
    /// Output file; `-` or absent writes to standard output.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// utf-8 (with BOM, for Excel) or cp932 (Shift_JIS).
    #[arg(long, default_value = "utf-8")]
    pub encoding: CsvEncoding,
    /// Only facilities matching this search text (same rules as `/` in the TUI).
    #[arg(long, default_value = "")]
    pub search: String,
}

pub fn run(cli: &Cli, args: &ExportArgs) -> anyhow::Result<()> {
    let db = store::resolve_db_path(cli.db.as_deref(), None);
    let store = Store::open(&db)?;
    let q = ListQuery {
        search: args.search.clone(),
        ..Default::default()
    };
    let (rows, unmappable) = match args.out.as_deref().filter(|p| p.as_os_str() != "-") {
        Some(path) => {
            crate::jobs::formats::private_file::write_atomically_in(path, cli.lang(), |w| {
                ledger_csv::write(store.conn(), &q, w, args.encoding)
            })?
        }
        None => {
            let stdout = std::io::stdout();
            let mut w = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
            let r = ledger_csv::write(store.conn(), &q, &mut w, args.encoding)?;
            w.flush()?;
            r
        }
    };
    let lang = cli.lang();
    eprintln!(
        "{rows}{}{}",
        lang.t("件", " rows"),
        if unmappable > 0 {
            format!(
                "{}{unmappable}{}",
                lang.t("、Shift_JISにない文字 ", ", "),
                lang.t(
                    " 字を 〓 にしました",
                    " characters not in CP932 written as 〓"
                )
            )
        } else {
            String::new()
        }
    );
    Ok(())
}
