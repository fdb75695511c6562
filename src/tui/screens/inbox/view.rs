//! Drawing the inbox list: the status tabs with counts, the filter line, then status,
//! kind, number, applicant, received, 処理期限 and the 届出遅延 flag per case.

use super::InboxScreen;
use crate::domain::application::{ApplicationKind, ApplicationStatus};
use crate::tui::screens::cases::{date, due_style, gutter, widest};
use crate::tui::shell::Shell;
use crate::tui::widgets::text::{fit, width};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// "[全 60] 提出済 8  受付 12 …": the selected tab highlighted, empty statuses left out.
fn tabs(s: &InboxScreen, sh: &Shell, room: usize) -> Line<'static> {
    let (ui, l) = (&sh.ui, sh.lang());
    let all: usize = s.page.by_status.iter().map(|(_, n)| n).sum();
    let mut spans = vec![Span::styled(
        format!(" {} {all} ", l.t("全", "All")),
        if s.query.status.is_none() {
            ui.theme.selected
        } else {
            ui.theme.dim
        },
    )];
    for (st, n) in &s.page.by_status {
        if *n == 0 && s.query.status != Some(*st) {
            continue;
        }
        let label = if l.is_ja() {
            st.label_ja()
        } else {
            st.label_en()
        };
        let style = if s.query.status == Some(*st) {
            ui.theme.selected
        } else {
            ui.theme.dim
        };
        let text = format!(" {label} {n} ");
        // Whole tabs only: a wide character cut at the edge would leave half a cell.
        if spans.iter().map(|x| width(&x.content)).sum::<usize>() + width(&text) > room {
            break;
        }
        spans.push(Span::styled(text, style));
    }
    let overdue = format!(" {} {}", l.t("超過", "overdue"), s.page.overdue);
    if s.page.overdue > 0
        && spans.iter().map(|x| width(&x.content)).sum::<usize>() + width(&overdue) <= room
    {
        spans.push(Span::styled(overdue, ui.theme.error));
    }
    Line::from(spans)
}

pub fn render(frame: &mut Frame<'_>, area: Rect, s: &mut InboxScreen, sh: &Shell) {
    let (ui, l, today) = (&sh.ui, sh.lang(), sh.today);
    let dw = if l.is_ja() { 8 } else { 10 };
    let pick = |ja: &'static str, en: &'static str| if l.is_ja() { ja } else { en };
    let kind_w = widest(
        ApplicationKind::ALL
            .iter()
            .map(|k| pick(k.label_ja(), k.label_en())),
    );
    let status_w = widest(
        ApplicationStatus::ALL
            .iter()
            .map(|s| pick(s.label_ja(), s.label_en())),
    );
    let late = l.t("遅延", "late");
    let gw = width(ui.glyphs.cursor).max(1) + 1;
    let fixed = gw + kind_w + status_w + 10 + dw * 2 + width(late) + 7;
    let name_w = (area.width as usize).saturating_sub(fixed);
    let mut lines = vec![
        tabs(s, sh, area.width as usize),
        Line::styled(
            fit(
                &s.filter_line(l, &ui.glyphs),
                area.width as usize,
                ui.glyphs.ellipsis,
            ),
            ui.theme.dim,
        ),
        Line::styled(
            format!(
                "{}{} {} {} {} {} {}",
                " ".repeat(gw),
                fit(l.t("状態", "Status"), status_w, ""),
                fit(l.t("種類", "Kind"), kind_w, ""),
                fit(l.t("事業所番号", "Number"), 10, ""),
                fit(l.t("申請者", "Applicant"), name_w, ""),
                fit(l.t("受付日", "Received"), dw, ""),
                l.t("処理期限", "Process by"),
            ),
            ui.theme.title,
        ),
    ];
    let height = (area.height as usize).saturating_sub(3);
    let selected = s.list.selected;
    for i in s.list.visible(height) {
        let r = &s.list.rows[i];
        let open = r.status.is_open();
        lines.push(Line::from(vec![
            gutter(ui, i == selected),
            Span::styled(
                fit(
                    pick(r.status.label_ja(), r.status.label_en()),
                    status_w,
                    ui.glyphs.ellipsis,
                ),
                if open {
                    ui.theme.selected
                } else {
                    ui.theme.dim
                },
            ),
            Span::raw(format!(
                " {} {} {} {} ",
                fit(
                    pick(r.kind.label_ja(), r.kind.label_en()),
                    kind_w,
                    ui.glyphs.ellipsis
                ),
                fit(&r.provider_number, 10, ""),
                fit(&r.applicant_name, name_w, ui.glyphs.ellipsis),
                fit(&date(ui, r.received_on), dw, "")
            )),
            Span::styled(
                fit(&date(ui, r.process_due_on), dw, ""),
                due_style(ui, r.process_due_on, today, open),
            ),
            Span::styled(
                if r.filed_late {
                    format!(" {late}")
                } else {
                    String::new()
                },
                ui.theme.warning,
            ),
        ]));
    }
    if s.list.rows.is_empty() && s.list.loaded {
        lines.push(Line::styled(
            l.t(
                "  条件に合う申請はありません（x で絞込を解除）",
                "  No applications match (x clears the filters)",
            ),
            ui.theme.dim,
        ));
    }
    frame.render_widget(Paragraph::new(lines), area);
}
