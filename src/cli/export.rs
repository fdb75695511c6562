//! `daicho export ledger`: the ledger list as CSV, headless (cron, benchmarks).

use super::{Cli, printable};
use crate::domain::permission::{Actor, Role};
use crate::jobs::formats::{csv_out::CsvEncoding, ledger_csv};
use crate::service::{self, ServiceError, maintenance::SYSTEM_ACTOR, privacy};
use crate::store::facilities::ListQuery;
use crate::store::{self, Store};
use std::io::{IsTerminal, Write};
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
    let lang = cli.lang();
    let db = store::resolve_db_path(cli.db.as_deref(), None);
    let store = Store::open_read_only(&db)?;
    let q = ListQuery {
        search: args.search.clone(),
        ..Default::default()
    };
    let (rows, unmappable) = match args.out.as_deref().filter(|p| p.as_os_str() != "-") {
        Some(path) => crate::jobs::formats::private_file::write_atomically_in(path, lang, |w| {
            ledger_csv::write(store.conn(), &q, w, args.encoding)
        })?,
        None if std::io::stdout().is_terminal() => {
            let mut buf = Vec::new();
            let r = ledger_csv::write(store.conn(), &q, &mut buf, args.encoding)?;
            let mut out = super::stdout();
            out.write_all(for_terminal(&buf, args.encoding).as_bytes())?;
            out.flush()?;
            r
        }
        None => {
            let mut w = std::io::BufWriter::with_capacity(1 << 16, super::stdout());
            let r = ledger_csv::write(store.conn(), &q, &mut w, args.encoding)?;
            w.flush()?;
            r
        }
    };
    // A copy of personal data left the database: audited like a reveal (checklist item 13).
    drop(store);
    let target = args
        .out
        .clone()
        .filter(|p| p.as_os_str() != "-")
        .unwrap_or_else(|| PathBuf::from("(stdout)"));
    let actor = Actor {
        staff_id: cli
            .staff
            .clone()
            .unwrap_or_else(|| SYSTEM_ACTOR.to_string()),
        role: Role::Viewer,
    };
    record_or_warn(
        privacy::record_export(&mut Store::open(&db)?, &actor, "ledger", &target, rows),
        lang,
    )?;
    let mut summary = if lang.is_ja() {
        format!("{rows} 件を出力しました")
    } else {
        format!("{rows} rows written")
    };
    if unmappable > 0 {
        summary.push_str(&if lang.is_ja() {
            format!("（CP932 にない {unmappable} 文字は 〓 にしました）")
        } else {
            format!(", {unmappable} characters not in CP932 written as 〓")
        });
    }
    eprintln!("{summary}");
    Ok(())
}

/// A write that stands but whose anchor could not be updated is a warning, not a failure
/// (the same rule as a login: `audit verify` reports the lagging anchor).
pub(crate) fn record_or_warn(
    r: service::Result<()>,
    lang: crate::i18n::Lang,
) -> anyhow::Result<()> {
    match r {
        Ok(()) => Ok(()),
        Err(e @ ServiceError::Anchor { .. }) => {
            eprintln!("{}", e.message(lang.is_ja()));
            Ok(())
        }
        Err(e) => Err(e.into()),
    }
}

/// CSV bytes as a terminal may show them: decoded, line breaks kept, every other
/// control, bidi or zero-width character made visible.
fn for_terminal(csv: &[u8], encoding: CsvEncoding) -> String {
    let text = match encoding {
        CsvEncoding::Utf8Bom => String::from_utf8_lossy(csv).into_owned(),
        CsvEncoding::Cp932 => encoding_rs::SHIFT_JIS.decode(csv).0.into_owned(),
    };
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(&text);
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let (body, end) = match line.strip_suffix("\r\n") {
            Some(b) => (b, "\r\n"),
            None => line.strip_suffix('\n').map_or((line, ""), |b| (b, "\n")),
        };
        out.push_str(&printable(body));
        out.push_str(end);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_output_shows_escapes_not_control_codes() {
        let csv = "\u{FEFF}番号,名前\r\n1,\u{1b}[2J消す\u{202E}逆\r\n".as_bytes();
        let shown = for_terminal(csv, CsvEncoding::Utf8Bom);
        assert_eq!(shown, "番号,名前\r\n1,\\u{001B}[2J消す\\u{202E}逆\r\n");
    }
}
