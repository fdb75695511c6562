//! Drawing the inbox: status, kind, number, applicant, received and due dates.

use crate::domain::model::ApplicationRow;
use crate::tui::screens::cases::{CaseList, date, due_style, gutter, widest};
use crate::tui::ui::Ui;
use crate::tui::widgets::text::{fit, width};
use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub fn render(
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
