//! Finding and taking away the inbox list: `/` search (applicant, facility number or
//! name, external id; the ledger's normalisation) and `x` CSV export of every case the
//! filters and search match, through the same path prompt, overwrite question and
//! `.bak` as the ledger's export.

use super::super::InboxScreen;
use crate::jobs::formats::csv_out::CsvEncoding;
use crate::query::Request;
use crate::tui::msg::Effect;
use crate::tui::overlay::menu::Menu;
use crate::tui::overlay::prompt::ReasonPrompt;
use crate::tui::screen::Host;
use crate::tui::screens::ledger::LedgerScreen;

type Fx = Vec<Effect>;

/// Asks for the search text, prefilled with the current one; empty clears it.
pub fn search(h: &mut dyn Host) -> Fx {
    let lang = h.shell().lang();
    let text = h
        .screen::<InboxScreen>()
        .map(|s| s.query.search.clone())
        .unwrap_or_default();
    let title = lang
        .t(
            "申請を検索（申請者・事業所番号・事業所名・外部ID）",
            "Search cases (applicant, facility number or name, external id)",
        )
        .to_string();
    let on = |h: &mut dyn Host, text: String| match h.parts::<InboxScreen>() {
        Some((_, s)) => s
            .set_search(text)
            .into_iter()
            .map(Effect::Request)
            .collect(),
        None => Vec::new(),
    };
    h.push_overlay(ReasonPrompt::search(title, &text, on));
    Vec::new()
}

/// Which encoding, then where.
pub fn export_csv(h: &mut dyn Host) -> Fx {
    let lang = h.shell().lang();
    let mut menu = Menu::new(lang.t(
        "CSV出力（絞込・検索に合う申請すべて）",
        "Export the cases matching the filters and search as CSV",
    ));
    for (label, encoding) in [
        (
            lang.t("UTF-8（BOM付き・Excel用）", "UTF-8 with BOM (Excel)"),
            CsvEncoding::Utf8Bom,
        ),
        (
            lang.t("Shift_JIS（CP932）", "Shift_JIS (CP932)"),
            CsvEncoding::Cp932,
        ),
    ] {
        menu.item(label, move |h: &mut dyn Host| ask_path(h, encoding));
    }
    h.push_overlay(menu);
    Vec::new()
}

/// The destination, shown in full and editable; the export folder is the ledger's.
fn ask_path(h: &mut dyn Host, encoding: CsvEncoding) -> Fx {
    let Some(query) = h.screen::<InboxScreen>().map(|s| s.query.clone()) else {
        return Vec::new();
    };
    let dir = h
        .screen::<LedgerScreen>()
        .map(|l| l.export_dir.clone())
        .unwrap_or_else(|| std::path::PathBuf::from("."));
    let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S");
    let default = dir.join(format!("daicho-inbox-{stamp}.csv"));
    let title = h
        .shell()
        .lang()
        .t("CSVの保存先", "Where to write the CSV")
        .into();
    let make = move |path| Request::ExportInbox {
        query,
        path,
        encoding,
        overwrite: false,
    };
    h.push_overlay(ReasonPrompt::export_path_for(&default, title, make));
    Vec::new()
}
