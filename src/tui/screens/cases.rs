//! A fully loaded list of cases with a cursor, and the cells case lists share (dates,
//! deadline colours, the cursor gutter, the count on the status line).

use crate::tui::nav::Move;
use crate::tui::ui::Ui;
use crate::tui::widgets::text::width;
use chrono::NaiveDate;
use ratatui::style::Style;
use ratatui::text::Span;

/// A fully loaded list (hundreds of rows at most) with a cursor.
pub struct CaseList<T> {
    pub rows: Vec<T>,
    pub selected: usize,
    pub offset: usize,
    pub loaded: bool,
}

impl<T> Default for CaseList<T> {
    fn default() -> Self {
        Self {
            rows: Vec::new(),
            selected: 0,
            offset: 0,
            loaded: false,
        }
    }
}

impl<T> CaseList<T> {
    /// Replaces the rows, keeping the cursor on the same record when it is still there.
    pub fn set_rows(&mut self, rows: Vec<T>, id: impl Fn(&T) -> i64) -> bool {
        let keep = self.rows.get(self.selected).map(&id);
        self.selected = keep
            .and_then(|k| rows.iter().position(|r| id(r) == k))
            .unwrap_or(0);
        self.rows = rows;
        self.loaded = true;
        true
    }

    pub fn move_cursor(&mut self, m: Move, page: isize) {
        if !self.rows.is_empty() {
            self.selected = m.clamp(self.selected, self.rows.len(), page.max(1) as usize);
        }
    }

    pub(crate) fn visible(&mut self, height: usize) -> std::ops::Range<usize> {
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if height > 0 && self.selected >= self.offset + height {
            self.offset = self.selected + 1 - height;
        }
        self.offset..(self.offset + height).min(self.rows.len())
    }
}

pub(crate) fn widest<'a>(labels: impl Iterator<Item = &'a str>) -> usize {
    labels.map(width).max().unwrap_or(0)
}

pub(crate) fn date(ui: &Ui, d: Option<NaiveDate>) -> String {
    match d {
        Some(d) if ui.lang.is_ja() => crate::domain::wareki::format_short(d),
        Some(d) => d.format("%Y-%m-%d").to_string(),
        None => "-".into(),
    }
}

/// An RFC 3339 time as every screen shows time: 和暦 date and local time in Japanese
/// (`R8.12.02 16:52`), ISO date and local time in English; `None` when it is not a time.
pub(crate) fn timestamp(ui: &Ui, at: &str) -> Option<String> {
    let t = chrono::DateTime::parse_from_rfc3339(at).ok()?;
    let local = t.with_timezone(&chrono::Local);
    Some(if ui.lang.is_ja() {
        format!(
            "{} {}",
            crate::domain::wareki::format_short(local.date_naive()),
            local.format("%H:%M")
        )
    } else {
        local.format("%Y-%m-%d %H:%M").to_string()
    })
}

pub(crate) fn due_style(ui: &Ui, due: Option<NaiveDate>, today: NaiveDate, open: bool) -> Style {
    match due {
        Some(d) if open && d < today => ui.theme.error,
        Some(d) if open && (d - today).num_days() <= 7 => ui.theme.warning,
        _ => Style::default(),
    }
}

pub(crate) fn gutter(ui: &Ui, selected: bool) -> Span<'static> {
    let w = width(ui.glyphs.cursor).max(1);
    Span::styled(
        if selected {
            format!("{} ", ui.glyphs.cursor)
        } else {
            " ".repeat(w + 1)
        },
        ui.theme.cursor_marker,
    )
}

/// "60件…", saying so when the list was cut at its cap.
pub(crate) fn case_count(n: usize, what: &str, l: crate::tui::i18n::Lang) -> String {
    if n >= crate::query::CASE_LIST_CAP {
        format!(
            "{n}{what} {}",
            l.t(
                "（未処理・期限順の先頭のみ表示）",
                "(first ones only: open cases by due date)"
            )
        )
    } else {
        format!("{n}{what}")
    }
}
