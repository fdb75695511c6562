//! Drawing the facility list. The selected row is marked by a gutter glyph only — not
//! a full-row highlight — so moving the cursor rewrites two cells instead of a whole
//! row of Japanese text (this matters over a slow SSH link).

use super::{AlertFilter, LedgerScreen};
use crate::domain::model::FacilityStatus;
use crate::domain::search::{Term, parse_query};
use crate::domain::view::SortKey;
use crate::tui::ui::Ui;
use crate::tui::widgets::highlight::match_ranges;
use crate::tui::widgets::text::{fit, width};
use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

struct Columns {
    name: usize,
    services: usize,
    town: usize,
    date: usize,
    meeting: bool,
    status: usize,
}

fn columns(total: usize, ui: &Ui) -> Columns {
    let gutter = width(ui.glyphs.cursor).max(1) + 1;
    let date = if ui.lang.is_ja() { 9 } else { 10 };
    let status = if ui.lang.is_ja() { 6 } else { 9 };
    let mut town = 10;
    let mut meeting = true;
    let fixed = |town: usize, meeting: bool| {
        gutter + 10 + 1 + town + 1 + date + 1 + if meeting { date + 1 } else { 0 } + status + 1
    };
    if total < fixed(town, meeting) + 24 {
        meeting = false;
    }
    if total < fixed(town, meeting) + 20 {
        town = 0;
    }
    let flex = total.saturating_sub(fixed(town, meeting) + 1);
    // Narrow: the name takes all the room rather than two columns of "…".
    let name = if flex < 20 {
        flex
    } else {
        (flex * 3 / 5).max(8)
    };
    Columns {
        name,
        services: flex.saturating_sub(name),
        town,
        date,
        meeting,
        status,
    }
}

fn date_text(ui: &Ui, d: Option<NaiveDate>) -> String {
    match d {
        Some(d) if ui.lang.is_ja() => crate::domain::wareki::format_short(d),
        Some(d) => d.format("%Y-%m-%d").to_string(),
        None => "-".into(),
    }
}

fn status_text(ui: &Ui, s: FacilityStatus) -> &'static str {
    if ui.lang.is_ja() {
        s.label_ja()
    } else {
        s.label_en()
    }
}

fn header_line(ui: &Ui, c: &Columns, sort: SortKey, descending: bool) -> Line<'static> {
    let l = ui.lang;
    let mark = if descending {
        ui.glyphs.sort_desc
    } else {
        ui.glyphs.sort_asc
    };
    // A column `w` cells wide and the space after it. The sort mark follows the label;
    // when the label fills the column (事業所番号) the mark takes the space, so it is
    // never cut off.
    let col = |k: Option<SortKey>, text: &str, w: usize| -> String {
        if k != Some(sort) {
            return format!("{} ", fit(text, w, ""));
        }
        let with_mark = format!("{text}{mark}");
        if width(&with_mark) <= w {
            format!("{} ", fit(&with_mark, w, ""))
        } else {
            let cell = fit(text, (w + 1).saturating_sub(width(mark)), "");
            fit(&format!("{cell}{mark}"), w + 1, "")
        }
    };
    let gutter = " ".repeat(width(ui.glyphs.cursor).max(1) + 1);
    let mut s = gutter;
    s.push_str(&col(
        Some(SortKey::ProviderNumber),
        l.t("事業所番号", "Number"),
        10,
    ));
    // Names sort by their kana reading; say so when that is the order.
    let name = if sort == SortKey::NameKana {
        l.t("名称(カナ順)", "Name (kana)")
    } else {
        l.t("事業所名", "Name")
    };
    s.push_str(&col(Some(SortKey::NameKana), name, c.name));
    if c.services > 0 {
        s.push_str(&col(None, l.t("サービス", "Services"), c.services));
    }
    if c.town > 0 {
        s.push_str(&col(Some(SortKey::Town), l.t("町名", "Town"), c.town));
    }
    s.push_str(&col(
        Some(SortKey::NextExpiry),
        l.t("有効期限", "Expires"),
        c.date,
    ));
    if c.meeting {
        s.push_str(&col(
            Some(SortKey::NextMeeting),
            l.t("次回会議", "Meeting"),
            c.date,
        ));
    }
    s.push_str(&col(Some(SortKey::Status), l.t("状態", "Status"), c.status));
    Line::styled(s, ui.theme.title)
}

/// Where any of the search terms matches in `cell` (char ranges, sorted, merged): each
/// word of `ケア 戸山` and each quoted phrase is highlighted on its own.
fn term_ranges(cell: &str, terms: &[Term]) -> Vec<(usize, usize)> {
    let mut all: Vec<(usize, usize)> = terms
        .iter()
        .flat_map(|t| match_ranges(cell, &t.text))
        .collect();
    all.sort_unstable();
    let mut out: Vec<(usize, usize)> = Vec::new();
    for (s, e) in all {
        match out.last_mut() {
            Some(last) if last.1 >= s => last.1 = last.1.max(e),
            _ => out.push((s, e)),
        }
    }
    out
}

/// A cell with search matches highlighted, exactly `w` cells wide.
fn name_spans(ui: &Ui, name: &str, terms: &[Term], w: usize, ellipsis: &str) -> Vec<Span<'static>> {
    let cell = fit(name, w, ellipsis);
    let ranges = term_ranges(&cell, terms);
    if ranges.is_empty() {
        return vec![Span::raw(cell)];
    }
    let chars: Vec<char> = cell.chars().collect();
    let mut spans = Vec::new();
    let mut pos = 0;
    for (s, e) in ranges {
        if s > pos {
            spans.push(Span::raw(chars[pos..s].iter().collect::<String>()));
        }
        spans.push(Span::styled(
            chars[s..e].iter().collect::<String>(),
            ui.theme.highlight_match,
        ));
        pos = e;
    }
    if pos < chars.len() {
        spans.push(Span::raw(chars[pos..].iter().collect::<String>()));
    }
    spans
}

pub fn render(frame: &mut Frame<'_>, area: Rect, s: &LedgerScreen, ui: &Ui) {
    if area.height == 0 {
        return;
    }
    let c = columns(area.width as usize, ui);
    let mut lines: Vec<Line<'static>> = vec![header_line(ui, &c, s.query.sort, s.query.descending)];
    let body = (area.height as usize).saturating_sub(1);
    let terms = parse_query(&s.query.search);
    let gutter_w = width(ui.glyphs.cursor).max(1);
    for (i, (_, row)) in s.rows.iter().enumerate().skip(s.offset).take(body) {
        let selected = i == s.selected;
        let marker = if selected {
            ui.glyphs.cursor.to_string()
        } else {
            " ".repeat(gutter_w)
        };
        let lapsed = row.next_expiry.is_some_and(|d| d < s.today);
        let expiring = row.next_expiry.is_some_and(|d| d <= s.expiring_horizon());
        let overdue = row.next_meeting_due.is_some_and(|d| d < s.today);
        // Only the gutter changes when the cursor moves: a ↓ rewrites two cells.
        let marker_style = if selected {
            ui.theme.cursor_marker
        } else {
            Style::default()
        };
        let mut spans = vec![
            Span::styled(marker, marker_style),
            Span::raw(" "),
            Span::raw(fit(&row.provider_number, 10, "")),
            Span::raw(" "),
        ];
        spans.extend(name_spans(
            ui,
            &row.name,
            &terms,
            c.name,
            ui.glyphs.ellipsis,
        ));
        spans.push(Span::raw(" "));
        if c.services > 0 {
            spans.push(Span::raw(format!(
                "{} ",
                fit(&row.services, c.services, ui.glyphs.ellipsis)
            )));
        }
        if c.town > 0 {
            spans.extend(name_spans(ui, &row.town, &terms, c.town, ""));
            spans.push(Span::raw(" "));
        }
        spans.push(Span::styled(
            fit(&date_text(ui, row.next_expiry), c.date, ""),
            if lapsed {
                ui.theme.error
            } else if expiring {
                ui.theme.warning
            } else {
                Style::default()
            },
        ));
        spans.push(Span::raw(" "));
        if c.meeting {
            spans.push(Span::styled(
                fit(&date_text(ui, row.next_meeting_due), c.date, ""),
                if overdue {
                    ui.theme.error
                } else {
                    Style::default()
                },
            ));
            spans.push(Span::raw(" "));
        }
        let status_style = if row.status == FacilityStatus::Active {
            Style::default()
        } else {
            ui.theme.dim
        };
        spans.push(Span::styled(
            fit(status_text(ui, row.status), c.status, ""),
            status_style,
        ));
        lines.push(Line::from(spans));
    }
    if s.rows.is_empty() && s.loaded_once {
        let msg = if s.query.search.is_empty() && s.alert == AlertFilter::None {
            ui.lang.t("事業所がありません", "No facilities")
        } else {
            ui.lang.t(
                "条件に合う事業所はありません（F で解除）",
                "No facility matches (F clears the filter)",
            )
        };
        lines.push(Line::styled(format!("  {msg}"), ui.theme.dim));
    }
    frame.render_widget(Paragraph::new(lines), area);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_term_is_found_and_touching_ranges_merge() {
        let terms = parse_query("ケア 戸山");
        assert_eq!(term_ranges("戸山ケアマネジ", &terms), vec![(0, 4)]);
        assert_eq!(term_ranges("ケアプラン戸山", &terms), vec![(0, 2), (5, 7)]);
        assert!(term_ranges("新宿", &terms).is_empty());
    }

    #[test]
    fn a_quoted_phrase_is_one_range_across_its_space() {
        let terms = parse_query("\"プラン セン\"");
        assert_eq!(terms.len(), 1);
        assert_eq!(term_ranges("ケアプラン センター", &terms), vec![(2, 8)]);
    }
}
