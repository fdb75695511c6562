//! The application inbox and the consent queue: lists of cases with their status and
//! deadline. Insured persons' names are masked (DESIGN.md §3).

use crate::domain::mask;
use crate::domain::model::{ApplicationRow, ConsentRow};
use crate::tui::nav::Move;
use crate::tui::ui::Ui;
use crate::tui::widgets::text::{fit, width};
use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

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

    fn visible(&mut self, height: usize) -> std::ops::Range<usize> {
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if height > 0 && self.selected >= self.offset + height {
            self.offset = self.selected + 1 - height;
        }
        self.offset..(self.offset + height).min(self.rows.len())
    }
}

fn widest<'a>(labels: impl Iterator<Item = &'a str>) -> usize {
    labels.map(width).max().unwrap_or(0)
}

fn date(ui: &Ui, d: Option<NaiveDate>) -> String {
    match d {
        Some(d) if ui.lang.is_ja() => crate::domain::wareki::format_short(d),
        Some(d) => d.format("%Y-%m-%d").to_string(),
        None => "-".into(),
    }
}

fn due_style(ui: &Ui, due: Option<NaiveDate>, today: NaiveDate, open: bool) -> Style {
    match due {
        Some(d) if open && d < today => ui.theme.error,
        Some(d) if open && (d - today).num_days() <= 7 => ui.theme.warning,
        _ => Style::default(),
    }
}

fn gutter(ui: &Ui, selected: bool) -> Span<'static> {
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

pub fn render_inbox(
    frame: &mut Frame<'_>,
    area: Rect,
    list: &mut CaseList<ApplicationRow>,
    today: NaiveDate,
    ui: &Ui,
) {
    let l = ui.lang;
    let dw = if l.is_ja() { 8 } else { 10 };
    use crate::domain::application::{ApplicationKind, ApplicationStatus};
    // As wide as the longest label in the UI language ("Closure/suspension").
    let kind_w = widest(ApplicationKind::ALL.iter().map(|k| {
        if l.is_ja() {
            k.label_ja()
        } else {
            k.label_en()
        }
    }));
    let status_w = widest(ApplicationStatus::ALL.iter().map(|s| {
        if l.is_ja() {
            s.label_ja()
        } else {
            s.label_en()
        }
    }));
    let gw = width(ui.glyphs.cursor).max(1) + 1;
    let name_w = (area.width as usize).saturating_sub(gw + kind_w + status_w + 10 + dw * 2 + 6);
    let mut lines = vec![Line::styled(
        format!(
            "{}{} {} {} {} {} {}",
            " ".repeat(gw),
            fit(l.t("状態", "Status"), status_w, ""),
            fit(l.t("種類", "Kind"), kind_w, ""),
            fit(l.t("事業所番号", "Number"), 10, ""),
            fit(l.t("申請者", "Applicant"), name_w, ""),
            fit(l.t("受付日", "Received"), dw, ""),
            l.t("期限", "Due"),
        ),
        ui.theme.title,
    )];
    let height = (area.height as usize).saturating_sub(1);
    let selected = list.selected;
    for i in list.visible(height) {
        let r = &list.rows[i];
        let (kind, status) = if l.is_ja() {
            (r.kind.label_ja(), r.status.label_ja())
        } else {
            (r.kind.label_en(), r.status.label_en())
        };
        let open = r.status.is_open();
        lines.push(Line::from(vec![
            gutter(ui, i == selected),
            Span::styled(
                fit(status, status_w, ui.glyphs.ellipsis),
                if open {
                    ui.theme.selected
                } else {
                    ui.theme.dim
                },
            ),
            Span::raw(format!(
                " {} {} {} {} ",
                fit(kind, kind_w, ui.glyphs.ellipsis),
                fit(&r.provider_number, 10, ""),
                fit(&r.applicant_name, name_w, ui.glyphs.ellipsis),
                fit(&date(ui, r.received_on), dw, "")
            )),
            Span::styled(date(ui, r.due_on), due_style(ui, r.due_on, today, open)),
        ]));
    }
    if list.rows.is_empty() && list.loaded {
        lines.push(Line::styled(
            l.t("  申請はありません", "  No applications"),
            ui.theme.dim,
        ));
    }
    frame.render_widget(Paragraph::new(lines), area);
}

/// `revealed(id)`: the user gave a reason to see this case's insured person.
pub fn render_consent(
    frame: &mut Frame<'_>,
    area: Rect,
    list: &mut CaseList<ConsentRow>,
    today: NaiveDate,
    ui: &Ui,
    revealed: &dyn Fn(i64) -> bool,
) {
    let l = ui.lang;
    let dw = if l.is_ja() { 8 } else { 10 };
    let gw = width(ui.glyphs.cursor).max(1) + 1;
    let dir_w = 14;
    let status_w = widest(crate::domain::consent::ConsentStatus::ALL.iter().map(|s| {
        if l.is_ja() {
            s.label_ja()
        } else {
            s.label_en()
        }
    }));
    let muni_w = 10;
    let person_w = 12;
    let fac_w =
        (area.width as usize).saturating_sub(gw + dir_w + status_w + muni_w + person_w + dw + 5);
    let mut lines = vec![Line::styled(
        format!(
            "{}{} {} {} {} {} {}",
            " ".repeat(gw),
            fit(l.t("方向", "Direction"), dir_w, ""),
            fit(l.t("状態", "Status"), status_w, ""),
            fit(l.t("相手先", "With"), muni_w, ""),
            fit(l.t("被保険者", "Insured"), person_w, ""),
            fit(l.t("事業所", "Facility"), fac_w, ""),
            l.t("期限", "Due"),
        ),
        ui.theme.title,
    )];
    let height = (area.height as usize).saturating_sub(1);
    let selected = list.selected;
    for i in list.visible(height) {
        let r = &list.rows[i];
        let (dir, status) = if l.is_ja() {
            (r.direction.label_ja(), r.status.label_ja())
        } else {
            (r.direction.label_en(), r.status.label_en())
        };
        let open = r.status.is_open();
        lines.push(Line::from(vec![
            gutter(ui, i == selected),
            Span::raw(format!("{} ", fit(dir, dir_w, ui.glyphs.ellipsis))),
            Span::styled(
                fit(status, status_w, ui.glyphs.ellipsis),
                if open {
                    ui.theme.selected
                } else {
                    ui.theme.dim
                },
            ),
            Span::raw(format!(
                " {} ",
                fit(&r.municipality_name, muni_w, ui.glyphs.ellipsis)
            )),
            Span::styled(
                fit(
                    &if revealed(r.id) {
                        r.person_name.clone()
                    } else {
                        mask::name(&r.person_name)
                    },
                    person_w,
                    "",
                ),
                ui.theme.masked,
            ),
            Span::raw(format!(
                " {} ",
                fit(&r.facility_name, fac_w, ui.glyphs.ellipsis)
            )),
            Span::styled(date(ui, r.due_on), due_style(ui, r.due_on, today, open)),
        ]));
    }
    if list.rows.is_empty() && list.loaded {
        lines.push(Line::styled(
            l.t("  同意案件はありません", "  No consent cases"),
            ui.theme.dim,
        ));
    }
    frame.render_widget(Paragraph::new(lines), area);
}
