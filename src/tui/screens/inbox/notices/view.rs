//! The 更新案内 list: designations expiring within N months (3 unless changed), with
//! the day the notice is due and whether it went out; Space picks several, t changes the months, W writes
//! their letters. Drawn instead of the inbox list while open.

use crate::query::{InboxDone, RenewalLine};
use crate::tui::screens::cases::date;
use crate::tui::shell::Shell;
use crate::tui::widgets::text::{fit, width};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use std::collections::BTreeSet;

/// How far ahead the list looks unless changed (issue 14: 3 months).
pub const DEFAULT_MONTHS: u32 = 3;

#[derive(Debug, Clone, Default)]
pub struct Renewals {
    pub months: u32,
    pub rows: Vec<RenewalLine>,
    /// Designation ids picked with Space.
    pub picked: BTreeSet<i64>,
    pub cursor: usize,
    /// Rows above the first one shown.
    pub top: usize,
    /// The list has arrived at least once.
    pub loaded: bool,
}

impl Renewals {
    pub fn new(months: u32) -> Self {
        Self {
            months,
            ..Self::default()
        }
    }

    /// A fresh list: keep the picks still in it and the cursor in range.
    pub fn set(&mut self, months: u32, rows: Vec<RenewalLine>) {
        self.months = months;
        self.picked
            .retain(|id| rows.iter().any(|r| r.designation_id == *id));
        self.cursor = self.cursor.min(rows.len().saturating_sub(1));
        self.rows = rows;
        self.loaded = true;
    }

    pub fn toggle(&mut self) {
        if let Some(id) = self.rows.get(self.cursor).map(|r| r.designation_id)
            && !self.picked.remove(&id)
        {
            self.picked.insert(id);
        }
    }

    pub fn picked_rows(&self) -> Vec<&RenewalLine> {
        self.rows
            .iter()
            .filter(|r| self.picked.contains(&r.designation_id))
            .collect()
    }
}

/// Takes the renewal answers; the others go back.
pub fn on_done(r: &mut Renewals, done: InboxDone) -> Result<(), InboxDone> {
    match done {
        InboxDone::Renewals { months, rows } => {
            r.set(months, rows);
            Ok(())
        }
        other => Err(other),
    }
}

/// Cells of the date, sent and number columns (dates are 和暦 in Japanese).
fn widths(ja: bool) -> (usize, usize) {
    if ja { (8, 12) } else { (10, 13) }
}

fn row_line(r: &RenewalLine, picked: bool, at: bool, sh: &Shell, w: usize) -> Line<'static> {
    let (ui, l) = (&sh.ui, sh.lang());
    let (dw, sw) = widths(l.is_ja());
    let mark = if picked {
        ui.glyphs.check_on
    } else {
        ui.glyphs.check_off
    };
    let gutter = if at { ui.glyphs.cursor } else { " " };
    let (sent, style) = match r.sent_on {
        Some(on) => (
            format!("{} {}", l.t("送付済", "sent"), date(ui, Some(on))),
            ui.theme.dim,
        ),
        None if r.notice_due_on <= sh.today => (
            l.t("未送付(期日)", "due, not sent").to_string(),
            ui.theme.warning,
        ),
        None => (l.t("未送付", "not sent").to_string(), ui.theme.base),
    };
    let head = format!(
        "{gutter}{mark} {} {} ",
        fit(&date(ui, Some(r.expires_on)), dw, ui.glyphs.ellipsis),
        fit(&date(ui, Some(r.notice_due_on)), dw, ui.glyphs.ellipsis),
    );
    // What is left after the number goes to the facility name, then the service.
    let rest = w.saturating_sub(width(&head) + sw + 12);
    let name_w = (rest * 3 / 5).max(6);
    let line = Line::from(vec![
        Span::raw(head),
        Span::styled(fit(&sent, sw, ui.glyphs.ellipsis), style),
        Span::raw(format!(
            " {} {} {}",
            fit(&r.provider_number, 10, ui.glyphs.ellipsis),
            fit(&r.facility_name, name_w, ui.glyphs.ellipsis),
            fit(
                &r.service_name,
                rest.saturating_sub(name_w + 1),
                ui.glyphs.ellipsis
            ),
        )),
    ]);
    if at {
        line.style(ui.theme.selected)
    } else {
        line
    }
}

fn column_titles(sh: &Shell, w: usize) -> String {
    let l = sh.lang();
    let (dw, sw) = widths(l.is_ja());
    let e = sh.ui.glyphs.ellipsis;
    let head = 5 + 2 * (dw + 1);
    let rest = w.saturating_sub(head + sw + 12);
    let name_w = (rest * 3 / 5).max(6);
    format!(
        "     {} {} {} {} {} {}",
        fit(l.t("満了日", "Ends"), dw, e),
        fit(l.t("案内期日", "Notice by"), dw, e),
        fit(l.t("送付", "Sent"), sw, e),
        fit(l.t("事業所番号", "Number"), 10, e),
        fit(l.t("事業所名", "Facility"), name_w, e),
        l.t("サービス", "Service"),
    )
}

pub fn render(frame: &mut Frame<'_>, area: Rect, r: &mut Renewals, sh: &Shell) {
    let (ui, l) = (&sh.ui, sh.lang());
    let title = if l.is_ja() {
        format!(
            "更新案内: {}か月以内に満了する指定 {}件（選択 {}件）",
            r.months,
            r.rows.len(),
            r.picked.len()
        )
    } else {
        format!(
            "Renewal guidance: designations ending within {} months: {} ({} picked)",
            r.months,
            r.rows.len(),
            r.picked.len()
        )
    };
    let mut lines = vec![
        Line::styled(title, ui.theme.title),
        Line::styled(column_titles(sh, area.width as usize), ui.theme.dim),
    ];
    if r.loaded && r.rows.is_empty() {
        lines.push(Line::raw(l.t(
            "  この期間に満了する指定はありません（t で月数を変えられます）",
            "  No designation ends in this period (t changes the months)",
        )));
    }
    let height = (area.height as usize).saturating_sub(lines.len()).max(1);
    if r.cursor < r.top {
        r.top = r.cursor;
    } else if r.cursor >= r.top + height {
        r.top = r.cursor + 1 - height;
    }
    lines.extend(
        r.rows
            .iter()
            .enumerate()
            .skip(r.top)
            .take(height)
            .map(|(i, row)| {
                row_line(
                    row,
                    r.picked.contains(&row.designation_id),
                    i == r.cursor,
                    sh,
                    area.width as usize,
                )
            }),
    );
    frame.render_widget(Paragraph::new(lines), area);
}
