//! The 運営指導 plan of the fiscal year (issue 13): which facilities are due, month by
//! month from April, overdue ones in red, planned visits shown. Opened by the
//! `guidance.plan` command (P in the ledger, the palette anywhere); Esc goes back.

use super::{LedgerMode, LedgerScreen};
use crate::domain::guidance::{PlanEntry, YearPlan, fiscal_year, fiscal_year_label};
use crate::domain::wareki;
use crate::query::Request;
use crate::tui::command::Reason;
use crate::tui::i18n::Lang;
use crate::tui::msg::Effect;
use crate::tui::screen::Host;
use crate::tui::ui::{ScreenId, Ui};
use crate::tui::widgets::text::fit;
use chrono::{Datelike, NaiveDate};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

/// Anywhere, unless a ledger form is open (its input would be hidden).
pub fn can_open(h: &dyn Host) -> Result<(), Reason> {
    match h.screen::<LedgerScreen>().map(|l| l.mode) {
        Some(
            LedgerMode::Edit | LedgerMode::Meeting | LedgerMode::Person | LedgerMode::Conflict,
        ) => Err(Reason::new(
            "台帳の入力フォームを閉じてから開いてください",
            "close the ledger's form first",
        )),
        _ => Ok(()),
    }
}

/// Shows the ledger with this fiscal year's plan.
pub fn open(h: &mut dyn Host) -> Vec<Effect> {
    let mut fx = h.switch_screen(ScreenId::Ledger);
    if let Some((_, l)) = h.parts::<LedgerScreen>() {
        l.mode = LedgerMode::Plan;
        l.search = None;
        l.detail_scroll = 0;
        fx.push(Effect::Request(Request::GuidancePlan {
            fiscal_year: fiscal_year(l.today),
        }));
    }
    fx
}

fn date(l: Lang, d: Option<NaiveDate>) -> String {
    match d {
        Some(d) if l.is_ja() => wareki::format_short(d),
        Some(d) => d.format("%Y-%m-%d").to_string(),
        None => "-".into(),
    }
}

fn entry(ui: &Ui, e: &PlanEntry) -> Line<'static> {
    let l = ui.lang;
    let planned = e.planned_on.map_or(String::new(), |d| {
        format!(" {}{}", l.t("予定", "planned "), date(l, Some(d)))
    });
    let text = format!(
        "  {} {} {} {}{}{}",
        fit(&date(l, e.next_due), 10, ""),
        e.provider_number,
        fit(&e.name, 24, ui.glyphs.ellipsis),
        fit(&e.services, 8, ui.glyphs.ellipsis),
        planned,
        if e.overdue {
            l.t(" 期限超過", " OVERDUE")
        } else {
            ""
        }
    );
    Line::styled(
        text,
        if e.overdue {
            ui.theme.error
        } else {
            Style::default()
        },
    )
}

fn body(ui: &Ui, p: &YearPlan) -> Vec<Line<'static>> {
    let l = ui.lang;
    let mut out = Vec::new();
    for (month, entries) in &p.months {
        let head = if l.is_ja() {
            format!("{}月  {}件", month.month(), entries.len())
        } else {
            format!("{}  {}", month.format("%Y-%m"), entries.len())
        };
        let style = if entries.is_empty() {
            ui.theme.dim
        } else {
            ui.theme.title
        };
        out.push(Line::styled(head, style));
        out.extend(entries.iter().map(|e| entry(ui, e)));
    }
    out
}

/// Lines above the body: the title.
const HEAD_LINES: u16 = 1;

pub fn max_scroll(p: &YearPlan, height: u16) -> u16 {
    // The body's lines are one per month plus one per entry.
    let len: usize = p.months.iter().map(|(_, e)| e.len() + 1).sum();
    let visible = usize::from(height.saturating_sub(HEAD_LINES));
    u16::try_from(len.saturating_sub(visible)).unwrap_or(u16::MAX)
}

pub fn render(frame: &mut Frame<'_>, area: Rect, s: &LedgerScreen, ui: &Ui) {
    let l = ui.lang;
    let Some(p) = &s.plan else {
        let loading = Line::styled(
            l.t("運営指導計画を読み込み中", "Loading the plan..."),
            ui.theme.dim,
        );
        frame.render_widget(Paragraph::new(loading), area);
        return;
    };
    let title = if l.is_ja() {
        format!(
            "{} 運営指導計画  対象 {}件（うち期限超過 {}件）  Esc: 一覧へ",
            fiscal_year_label(p.fiscal_year, true),
            p.total,
            p.overdue
        )
    } else {
        format!(
            "{} 運営指導 plan: {} due ({} overdue)  Esc: back",
            fiscal_year_label(p.fiscal_year, false),
            p.total,
            p.overdue
        )
    };
    let scroll = s.detail_scroll.min(max_scroll(p, area.height));
    let mut lines = vec![Line::styled(title, ui.theme.title)];
    lines.extend(body(ui, p).into_iter().skip(usize::from(scroll)));
    let lines = crate::tui::widgets::text::display_lines(lines);
    frame.render_widget(Paragraph::new(lines), area);
}
