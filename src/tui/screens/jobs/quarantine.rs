//! The rows an import refused, with their reasons: one run's (Enter on a run) or every
//! run's (`Q`). The raw row is never shown here — it may hold personal data; the reason
//! names the row and the field, and the file itself is in `spool/quarantine/`.

use super::super::cases::{CaseList, gutter};
use crate::domain::view::QuarantineEntry;
use crate::tui::shell::Shell;
use crate::tui::widgets::text::{fit, fit_right, wrap};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub struct QuarantineView {
    /// The run asked for; `None`: every run.
    pub job: Option<i64>,
    pub list: CaseList<QuarantineEntry>,
}

impl QuarantineView {
    pub fn new(job: Option<i64>) -> Self {
        Self {
            job,
            list: CaseList::default(),
        }
    }
}

pub fn render(frame: &mut Frame<'_>, area: Rect, v: &mut QuarantineView, sh: &Shell) {
    let ui = &sh.ui;
    let l = ui.lang;
    let (w, h) = (area.width as usize, area.height as usize);
    if h < 4 {
        return;
    }
    let whose = match v.job {
        Some(id) if l.is_ja() => format!("実行 #{id} で隔離された行"),
        Some(id) => format!("Rows quarantined by run #{id}"),
        None => l
            .t("隔離された行（全実行）", "Quarantined rows (all runs)")
            .into(),
    };
    let count = if v.list.loaded {
        if l.is_ja() {
            format!("  {}件", v.list.rows.len())
        } else {
            format!("  {} rows", v.list.rows.len())
        }
    } else {
        l.t("  読込中…", "  loading…").into()
    };
    let mut lines = vec![
        Line::from(vec![
            Span::styled(whose, ui.theme.title),
            Span::raw(count),
            Span::styled(l.t("  Esc: 戻る", "  Esc: back"), ui.theme.dim),
        ]),
        Line::styled(
            format!(
                "  {} {} {}",
                fit(l.t("ファイル", "File"), 26, ""),
                fit_right(l.t("行", "Line"), 5),
                l.t("理由", "Reason"),
            ),
            ui.theme.title,
        ),
    ];
    // The selected row's whole reason goes below the list (reasons are long).
    let detail_h = 3;
    let rows_h = h.saturating_sub(2 + detail_h);
    let reason_w = w.saturating_sub(2 + 26 + 1 + 5 + 1);
    let el = ui.glyphs.ellipsis;
    let selected = v.list.selected;
    for i in v.list.visible(rows_h) {
        let r = &v.list.rows[i];
        let line = if r.line == 0 {
            l.t("全体", "all").to_string()
        } else {
            r.line.to_string()
        };
        lines.push(Line::from(vec![
            gutter(ui, i == selected),
            Span::raw(format!(
                "{} {} {}",
                fit(original_name(&r.file_name), 26, el),
                fit_right(&line, 5),
                fit(&r.reason, reason_w, el)
            )),
        ]));
    }
    if v.list.loaded && v.list.rows.is_empty() {
        lines.push(Line::styled(
            l.t("  隔離された行はありません", "  No row was quarantined"),
            ui.theme.dim,
        ));
    }
    while lines.len() < h.saturating_sub(detail_h) {
        lines.push(Line::raw(""));
    }
    if let Some(r) = v.list.rows.get(selected) {
        let head = format!(
            "{} {}{}",
            r.file_name,
            if r.line == 0 {
                l.t("（ファイル全体）", "(whole file)").to_string()
            } else if l.is_ja() {
                format!("{}行目", r.line)
            } else {
                format!("line {}", r.line)
            },
            super::view::when(&r.created_at, l)
                .map(|t| format!("  {t}"))
                .unwrap_or_default()
        );
        lines.push(Line::styled(fit(&head, w, el), ui.theme.dim));
        for part in wrap(&r.reason, w).into_iter().take(detail_h - 1) {
            lines.push(Line::raw(part));
        }
    }
    frame.render_widget(Paragraph::new(lines), area);
}

/// The name the file came with: the spool prefixes it with 12 hex digits of its SHA-256
/// (`1d3bc4afcbf1-eapp.csv`) so two files of one name never collide; the list shows the
/// name staff know, the line below the list the whole one.
fn original_name(stored: &str) -> &str {
    match stored.split_once('-') {
        Some((hash, rest))
            if hash.len() == 12
                && hash.bytes().all(|b| b.is_ascii_hexdigit())
                && !rest.is_empty() =>
        {
            rest
        }
        _ => stored,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_hash_prefix_is_dropped_only_when_it_is_one() {
        assert_eq!(super::original_name("1d3bc4afcbf1-eapp.csv"), "eapp.csv");
        assert_eq!(super::original_name("eapp-invalid.csv"), "eapp-invalid.csv");
        assert_eq!(
            super::original_name("1d3bc4afcbfz-x.csv"),
            "1d3bc4afcbfz-x.csv"
        );
        assert_eq!(super::original_name("1d3bc4afcbf1-"), "1d3bc4afcbf1-");
    }
}
