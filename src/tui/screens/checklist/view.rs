//! Drawing the status matrix: 外部結合に係る個人情報保護対策チェックリスト per connection
//! and side — counts ○/ー/✗ of the audit in force, differences from the committee's
//! plan, last audit and signer, next due (the interval kept in the database), and the
//! open gaps with owner and due date.

use super::ChecklistScreen;
use crate::domain::checklist::Side;
use crate::tui::screens::cases::{date, due_style};
use crate::tui::shell::Shell;
use crate::tui::ui::Ui;
use crate::tui::widgets::text::fit;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub(super) fn side_short(ui: &Ui, side: Side) -> &'static str {
    match side {
        Side::Ward => ui.lang.t("区", "Ward"),
        Side::Partner => ui.lang.t("結合先", "Partner"),
    }
}

pub fn render(frame: &mut Frame<'_>, area: Rect, s: &ChecklistScreen, sh: &Shell) {
    let ui = &sh.ui;
    let (l, g) = (ui.lang, &ui.glyphs);
    let gw = crate::tui::widgets::text::width(g.cursor).max(1) + 1;
    let title = if l.is_ja() {
        format!(
            "個人情報保護対策チェックリスト › 結合先一覧（点検間隔 {}か月）",
            s.interval_months
        )
    } else {
        format!(
            "Privacy checklist › connections (audit every {} months)",
            s.interval_months
        )
    };
    let mut lines = vec![
        Line::styled(title, ui.theme.title),
        Line::styled(
            format!(
                "{}{} {} {}{}{} {} {} {} {} {}",
                " ".repeat(gw),
                fit(l.t("結合先", "Connection"), 14, ""),
                fit(l.t("区分", "Side"), 7, ""),
                fit(g.mark_ok, 3, ""),
                fit(g.mark_na, 3, ""),
                fit(g.mark_gap, 3, ""),
                fit(l.t("差", "Df"), 2, ""),
                fit(l.t("最終点検", "Last"), 10, ""),
                fit(l.t("署名者", "Signer"), 13, ""),
                fit(l.t("次回期限", "Next due"), 10, ""),
                l.t("状況", "State"),
            ),
            ui.theme.dim,
        ),
    ];
    if !s.matrix.loaded {
        lines.push(Line::styled(l.t("読み込み中", "Loading"), ui.theme.dim));
    }
    for (i, r) in s.matrix.rows.iter().enumerate() {
        let audited = r.last.is_some();
        let num = |n: usize| {
            if audited {
                format!("{n:>2} ")
            } else {
                " - ".into()
            }
        };
        let last = r.last.as_ref();
        let signed = last
            .and_then(|a| a.signed_at.as_deref())
            .and_then(|t| t.get(..10))
            .and_then(|t| chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d").ok());
        let mut state = Vec::new();
        if r.overdue {
            state.push(Span::styled(l.t("期限超過 ", "overdue "), ui.theme.error));
        }
        if r.open.is_some() {
            state.push(Span::styled(l.t("点検中", "open"), ui.theme.warning));
        }
        let cursor = if i == s.matrix.selected {
            format!("{} ", g.cursor)
        } else {
            " ".repeat(gw)
        };
        let mut spans = vec![
            Span::styled(cursor, ui.theme.cursor_marker),
            Span::raw(format!(
                "{} {} ",
                fit(r.connection.name(l), 14, g.ellipsis),
                fit(side_short(ui, r.side), 7, ""),
            )),
            Span::styled(num(r.counts.ok), ui.theme.ok),
            Span::raw(num(r.counts.not_needed)),
            Span::styled(
                num(r.counts.gap),
                if r.counts.gap > 0 {
                    ui.theme.warning
                } else {
                    ui.theme.dim
                },
            ),
            Span::styled(
                format!("{} ", fit(&num(r.counts.differs), 2, "")),
                if r.counts.differs > 0 {
                    ui.theme.warning
                } else {
                    ui.theme.dim
                },
            ),
            Span::raw(format!(
                "{} {} ",
                fit(&date(ui, signed), 10, ""),
                fit(
                    last.and_then(|a| a.signed_by.as_deref()).unwrap_or("-"),
                    13,
                    g.ellipsis
                ),
            )),
            Span::styled(
                format!("{} ", fit(&date(ui, r.next_due), 10, "")),
                due_style(ui, r.next_due, sh.today, true),
            ),
        ];
        spans.extend(state);
        lines.push(Line::from(spans));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        format!(
            "{}{}",
            l.t("未対応の項目（担当・期限）: ", "Open gaps (owner, due): "),
            s.gaps.len()
        ),
        ui.theme.title,
    ));
    let room = (area.height as usize).saturating_sub(lines.len());
    for gap in s.gaps.iter().take(room) {
        let name = if l.is_ja() {
            &gap.connection_name_ja
        } else {
            &gap.connection_code
        };
        lines.push(Line::from(vec![
            Span::styled(format!("{} ", g.mark_gap), ui.theme.warning),
            Span::raw(format!(
                "{} {} {}{:>2} {} ",
                fit(name, 12, g.ellipsis),
                fit(side_short(ui, gap.side), 6, ""),
                l.t("項目", "item "),
                gap.item_no,
                fit(&gap.owner, 14, g.ellipsis),
            )),
            Span::styled(
                format!("{} ", date(ui, gap.due_on)),
                due_style(ui, gap.due_on, sh.today, true),
            ),
            Span::styled(gap.note.clone(), ui.theme.dim),
        ]));
    }
    frame.render_widget(Paragraph::new(lines), area);
}
