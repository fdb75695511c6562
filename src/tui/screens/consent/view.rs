//! Drawing the consent queue; the insured person stays masked until revealed.

use crate::domain::mask;
use crate::domain::model::ConsentRow;
use crate::tui::screens::cases::{CaseList, date, due_style, gutter, widest};
use crate::tui::ui::Ui;
use crate::tui::widgets::text::{fit, width};
use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// `revealed(id)`: the user gave a reason to see this case's insured person.
pub fn render(
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
