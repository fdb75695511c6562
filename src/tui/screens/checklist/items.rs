//! Drawing one list of 16 items: where you are (connection › side › audit state), per
//! item the plan, the mark and whether they differ, the note or the gap's owner and due
//! date; below, the selected item in the list's own wording and (h) its history.

use super::AuditView;
use super::view::side_short;
use crate::domain::checklist::{Event, ItemRow, Mark};
use crate::query::checklist::SelfCheck;
use crate::tui::i18n::Lang;
use crate::tui::screens::cases::{date, due_style, gutter};
use crate::tui::shell::Shell;
use crate::tui::ui::Ui;
use crate::tui::widgets::text::{fit, width};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

fn symbol(ui: &Ui, m: Option<Mark>) -> &'static str {
    match m {
        Some(Mark::Ok) => ui.glyphs.mark_ok,
        Some(Mark::NotNeeded) => ui.glyphs.mark_na,
        Some(Mark::Gap) => ui.glyphs.mark_gap,
        None => ".",
    }
}

fn state(l: Lang, v: &AuditView) -> String {
    match &v.detail {
        None if !v.loaded => l.t("読み込み中", "loading").into(),
        None => l
            .t("点検の記録なし（s で開始）", "never audited (s starts one)")
            .into(),
        Some(d) if d.header.is_signed() => format!(
            "{} {} {}",
            l.t("署名済み", "signed"),
            d.header
                .signed_at
                .as_deref()
                .and_then(|t| t.get(..10))
                .unwrap_or(""),
            d.header.signed_by.as_deref().unwrap_or("")
        ),
        Some(d) => format!(
            "{} {}/16",
            l.t("点検中", "audit open"),
            d.rows.iter().filter(|r| r.mark.is_some()).count()
        ),
    }
}

/// The status line: where the audit stands.
pub fn status(l: Lang, v: &AuditView) -> String {
    format!(
        "{} {} › {}",
        v.connection.name(l),
        v.side.label(l),
        state(l, v)
    )
}

/// The self-checks' verdict for an item: `None` when no check backs it.
fn verdict(checks: &[SelfCheck], item: i64) -> Option<(bool, Vec<&SelfCheck>)> {
    let mine: Vec<&SelfCheck> = checks.iter().filter(|c| c.item_no == item).collect();
    (!mine.is_empty()).then(|| (mine.iter().all(|c| c.passed), mine))
}

fn verdict_word(l: Lang, passed: bool) -> &'static str {
    if passed {
        l.t("OK", "pass")
    } else {
        l.t("NG", "FAIL")
    }
}

fn check_cell(ui: &Ui, checks: &[SelfCheck], item: i64) -> Span<'static> {
    match verdict(checks, item) {
        None => Span::raw("     "),
        Some((passed, _)) => Span::styled(
            format!("{:<4} ", verdict_word(ui.lang, passed)),
            if passed { ui.theme.ok } else { ui.theme.error },
        ),
    }
}

fn row_line<'a>(
    ui: &Ui,
    sh: &Shell,
    r: &'a ItemRow,
    selected: bool,
    checks: &[SelfCheck],
) -> Line<'a> {
    let l = ui.lang;
    let label = if l.is_ja() { &r.label_ja } else { &r.label_en };
    let mark_style = match r.mark {
        Some(Mark::Ok) => ui.theme.ok,
        Some(Mark::Gap) => ui.theme.warning,
        _ => ui.theme.dim,
    };
    let mut spans = vec![
        gutter(ui, selected),
        Span::raw(format!("{:>2} ", r.no)),
        Span::styled(
            format!("{} ", fit(symbol(ui, r.planned), 2, "")),
            ui.theme.dim,
        ),
        Span::styled(format!("{} ", fit(symbol(ui, r.mark), 2, "")), mark_style),
        Span::styled(
            if r.differs_from_plan() { "* " } else { "  " },
            ui.theme.warning,
        ),
        check_cell(ui, checks, r.no),
        Span::raw(format!("{} ", fit(label, 34, ui.glyphs.ellipsis))),
    ];
    if r.mark == Some(Mark::Gap) {
        spans.push(Span::raw(format!(
            "{} ",
            fit(&r.owner, 10, ui.glyphs.ellipsis)
        )));
        spans.push(Span::styled(
            date(ui, r.due_on),
            due_style(ui, r.due_on, sh.today, true),
        ));
    } else {
        spans.push(Span::styled(r.note.clone(), ui.theme.dim));
    }
    Line::from(spans)
}

/// Below the list: the selected item's wording, evidence, self-checks (pass or fail and
/// why), the events recorded for it (items 2–5) and its history (`h`).
fn info_lines(ui: &Ui, v: &AuditView, r: &ItemRow, checks: &[SelfCheck]) -> Vec<Line<'static>> {
    let l = ui.lang;
    let mut info = vec![Line::styled(
        format!("{} {}: {}", r.category.label(l), r.no, r.wording),
        ui.theme.dim,
    )];
    if !r.evidence.is_empty() {
        info.push(Line::raw(format!(
            "{} {} {}",
            l.t("根拠:", "Evidence:"),
            r.evidence,
            date(ui, r.evidence_date)
        )));
    }
    if let Some((_, mine)) = verdict(checks, r.no) {
        for c in mine {
            info.push(Line::styled(
                format!(
                    "{} {} {}: {}",
                    l.t("自己点検", "Self-check"),
                    verdict_word(l, c.passed),
                    c.title(l),
                    crate::domain::text::escape_for_terminal(c.why(l))
                ),
                if c.passed {
                    ui.theme.ok
                } else {
                    ui.theme.error
                },
            ));
        }
    }
    let events: Vec<&Event> = v.events.iter().filter(|e| e.kind.item() == r.no).collect();
    for e in events.iter().take(3) {
        info.push(Line::raw(format!(
            "{} {} {} {} {}",
            l.t("記録", "Record"),
            date(ui, Some(e.occurred_on)),
            e.kind.label(l),
            e.document,
            e.note
        )));
    }
    if events.len() > 3 {
        info.push(Line::styled(
            if l.is_ja() {
                format!("ほか {} 件", events.len() - 3)
            } else {
                format!("and {} more", events.len() - 3)
            },
            ui.theme.dim,
        ));
    }
    if let Some((item, entries)) = &v.history
        && *item == r.no
    {
        info.push(Line::styled(
            format!("{} {}", l.t("履歴 項目", "History of item"), item),
            ui.theme.title,
        ));
        if entries.is_empty() {
            info.push(Line::raw(l.t("記録はありません", "no records")));
        }
        for e in entries {
            let when = e.signed_at.as_deref().and_then(|t| t.get(..10));
            info.push(Line::raw(format!(
                "{} {} {} {} {}",
                symbol(ui, Some(e.mark)),
                when.unwrap_or(l.t("点検中", "open")),
                e.signed_by.as_deref().unwrap_or(&e.marked_by),
                e.owner,
                e.note
            )));
        }
    }
    info
}

pub fn render(
    frame: &mut Frame<'_>,
    area: Rect,
    v: &mut AuditView,
    sh: &Shell,
    checks: &[SelfCheck],
) {
    let ui = &sh.ui;
    let l = ui.lang;
    let title = format!(
        "{} › {} › {} › {}",
        l.t("チェックリスト", "Checklist"),
        v.connection.name(l),
        side_short(ui, v.side),
        state(l, v)
    );
    let mut lines = vec![
        Line::styled(title, ui.theme.title),
        Line::styled(
            format!(
                "     {} {}    {}",
                l.t("予定", "Pl"),
                l.t("結果", "Mk"),
                l.t(
                    "自動 項目（* 予定と異なる）",
                    "Auto Item (* differs from plan)"
                )
            ),
            ui.theme.dim,
        ),
    ];
    let Some(d) = &v.detail else {
        frame.render_widget(Paragraph::new(lines), area);
        return;
    };
    let info = d
        .rows
        .get(v.selected)
        .map(|r| info_lines(ui, v, r, checks))
        .unwrap_or_default();
    // Rows the detail takes once wrapped (a wrap may break early: one row spare).
    let cols = (area.width as usize).max(1);
    let detail_rows: usize = info
        .iter()
        .map(|l| {
            let w: usize = l.spans.iter().map(|s| width(&s.content)).sum();
            w.div_ceil(cols).max(1)
        })
        .sum::<usize>()
        + 1;
    let height = (area.height as usize)
        .saturating_sub(lines.len() + detail_rows)
        .max(3);
    if v.selected < v.offset {
        v.offset = v.selected;
    } else if height > 0 && v.selected >= v.offset + height {
        v.offset = v.selected + 1 - height;
    }
    for (i, r) in d.rows.iter().enumerate().skip(v.offset).take(height) {
        lines.push(row_line(ui, sh, r, i == v.selected, checks));
    }
    let list_h = lines.len() as u16;
    frame.render_widget(Paragraph::new(lines), area);
    let below = Rect::new(
        area.x,
        area.y + list_h,
        area.width,
        area.height.saturating_sub(list_h),
    );
    frame.render_widget(Paragraph::new(info).wrap(Wrap { trim: true }), below);
}
