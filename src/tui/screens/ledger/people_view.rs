//! The Staff, Council and Corporation tabs drawn from the upkeep read (issue 13): one
//! row per person with the cursor, ended people dimmed with their end date, personal
//! values masked unless the facility is revealed (and was when read).

use crate::domain::people::CorporationFields;
use crate::query::upkeep::Upkeep;
use crate::tui::ui::Ui;
use crate::tui::widgets::text::fit;
use chrono::NaiveDate;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

/// The corporation's fields as they may be shown: read unrevealed they are masked
/// already; read revealed they are masked again once the reveal has expired.
pub fn shown(f: &CorporationFields, read_revealed: bool, show: bool) -> CorporationFields {
    if read_revealed && !show {
        f.masked()
    } else {
        f.clone()
    }
}

fn marker(ui: &Ui, on: bool) -> String {
    fit(if on { ui.glyphs.cursor } else { " " }, 2, "")
}

fn ended(ui: &Ui, on: Option<NaiveDate>) -> String {
    on.map_or(String::new(), |d| {
        format!(" {}{d}", ui.lang.t("終了 ", "ended "))
    })
}

fn row_style(ui: &Ui, sel: bool, on: Option<NaiveDate>) -> Style {
    match (sel, on) {
        (true, _) => ui.theme.selected,
        (false, Some(_)) => ui.theme.dim,
        _ => Style::default(),
    }
}

fn empty(ui: &Ui, ja: &'static str, en: &'static str) -> Line<'static> {
    Line::styled(ui.lang.t(ja, en), ui.theme.dim)
}

/// 従事者: name, job, qualification, 介護支援専門員番号; n/c/D act on the cursor row.
pub fn staff(ui: &Ui, u: &Upkeep, sel: usize, show: bool) -> Vec<Line<'static>> {
    let l = ui.lang;
    let mut out = vec![Line::styled(
        format!(
            "  {} {} {} {}",
            fit(l.t("氏名", "Name"), 14, ""),
            fit(l.t("職種", "Role"), 16, ""),
            fit(l.t("資格", "Qualification"), 18, ""),
            l.t("介護支援専門員番号", "Care mgr no.")
        ),
        ui.theme.title,
    )];
    for (i, x) in u.staff.iter().enumerate() {
        let f = if u.revealed && !show {
            x.fields.masked()
        } else {
            x.fields.clone()
        };
        let style = row_style(ui, i == sel, x.ended_on);
        out.push(Line::from(vec![
            Span::styled(marker(ui, i == sel), style),
            Span::styled(fit(&f.name, 14, ui.glyphs.ellipsis), ui.theme.masked),
            Span::styled(
                format!(
                    " {} {} ",
                    fit(&f.job_title, 16, ui.glyphs.ellipsis),
                    fit(&f.qualification, 18, ui.glyphs.ellipsis)
                ),
                style,
            ),
            Span::styled(fit(&f.care_manager_number, 10, ""), ui.theme.masked),
            Span::styled(ended(ui, x.ended_on), ui.theme.dim),
        ]));
    }
    if u.staff.is_empty() {
        out.push(empty(
            ui,
            "  従事者の登録はありません（n: 追加）",
            "  no staff on file (n: add)",
        ));
    }
    out
}

/// 構成員: name, affiliation, title.
pub fn council(ui: &Ui, u: &Upkeep, sel: usize, show: bool) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    for (i, m) in u.council.iter().enumerate() {
        let f = if u.revealed && !show {
            m.fields.masked()
        } else {
            m.fields.clone()
        };
        let style = row_style(ui, i == sel, m.ended_on);
        out.push(Line::from(vec![
            Span::styled(marker(ui, i == sel), style),
            Span::styled(fit(&f.name, 14, ui.glyphs.ellipsis), ui.theme.masked),
            Span::styled(format!(" {} {}", f.affiliation, f.title), style),
            Span::styled(ended(ui, m.ended_on), ui.theme.dim),
        ]));
    }
    if u.council.is_empty() {
        out.push(empty(
            ui,
            "  構成員の登録はありません（n: 追加）",
            "  no members on file (n: add)",
        ));
    }
    out
}

/// The corporation's fields, labelled (c: change).
pub fn corporation(ui: &Ui, c: &CorporationFields) -> Vec<Line<'static>> {
    let ja = ui.lang.is_ja();
    // English labels are longer ("representative's date of birth").
    let w = if ja { 18 } else { 32 };
    let mut out: Vec<Line<'static>> = CorporationFields::NAMES
        .iter()
        .map(|name| {
            let (j, e) = crate::domain::validate::label(name);
            let value = Span::raw(c.get(name).to_string());
            let value = if crate::domain::history::is_personal(name) {
                value.style(ui.theme.masked)
            } else {
                value
            };
            Line::from(vec![
                Span::styled(fit(if ja { j } else { e }, w, ""), ui.theme.dim),
                value,
            ])
        })
        .collect();
    out.push(empty(ui, "c: 法人情報を変更", "c: change the corporation"));
    out
}
