//! Drawing the overview: six blocks in a 2 × 3 grid that grows with the terminal. At
//! 80×24 each block keeps its most important lines; larger terminals get wider bars
//! and every line. Ambiguous-wide terminals get ASCII bars and borders.

use super::OverviewScreen;
use super::commands::{
    OVERVIEW_CHECKLIST, OVERVIEW_CONSENT, OVERVIEW_EXPIRING, OVERVIEW_INBOX, OVERVIEW_JOBS,
    OVERVIEW_MEETINGS,
};
use crate::domain::job::JobStatus;
use crate::domain::overview::{AgeBands, BANDS, Overview};
use crate::domain::wareki::format_short;
use crate::i18n::Lang;
use crate::tui::command::Command;
use crate::tui::overlay::boxed;
use crate::tui::shell::Shell;
use crate::tui::ui::Ui;
use crate::tui::widgets::text::{fit, fit_right, truncate, width};
use chrono::Datelike;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Bar, BarChart, BarGroup, Paragraph};

pub fn render(frame: &mut Frame<'_>, area: Rect, screen: &OverviewScreen, sh: &Shell) {
    let ui = &sh.ui;
    let Some(o) = screen.data.as_ref() else {
        frame.render_widget(
            Paragraph::new(Line::styled(
                ui.lang.t("  読み込み中…", "  Loading..."),
                ui.theme.dim,
            )),
            area,
        );
        return;
    };
    let rows = Layout::vertical([
        Constraint::Fill(7),
        Constraint::Fill(7),
        Constraint::Fill(6),
    ])
    .split(area);
    let cols = |r: Rect| Layout::horizontal([Constraint::Fill(1), Constraint::Fill(1)]).split(r);
    let (r0, r1, r2) = (cols(rows[0]), cols(rows[1]), cols(rows[2]));
    let key = |c: &Command| screen.key(c);
    expiring(frame, r0[0], o, ui, &key(&OVERVIEW_EXPIRING));
    let l = ui.lang;
    text_block(
        frame,
        r0[1],
        ui,
        &key(&OVERVIEW_INBOX),
        l.t("申請（処理期限まで）", "Inbox (days to deadline)"),
        |w, h| inbox_lines(o, ui, w, h),
    );
    text_block(
        frame,
        r1[0],
        ui,
        &key(&OVERVIEW_MEETINGS),
        l.t("会議・運営指導", "Meetings, inspections"),
        |w, h| meeting_lines(o, ui, w, h),
    );
    text_block(
        frame,
        r1[1],
        ui,
        &key(&OVERVIEW_CONSENT),
        l.t("区外同意（回答待ち）", "Consent (awaiting answer)"),
        |w, h| consent_lines(o, ui, w, h),
    );
    text_block(
        frame,
        r2[0],
        ui,
        &key(&OVERVIEW_CHECKLIST),
        l.t("チェックリスト ✗の数", "Checklist ✗ marks"),
        |w, h| checklist_lines(o, ui, w, h),
    );
    text_block(
        frame,
        r2[1],
        ui,
        &key(&OVERVIEW_JOBS),
        l.t("連携ジョブ（最終実行）", "Sync jobs (last run)"),
        |w, h| job_lines(o, ui, w, h),
    );
}

fn title(ui: &Ui, key: &str, text: &str) -> String {
    format!(" [{key}] {} ", text.replace('✗', ui.glyphs.mark_gap))
}

fn text_block(
    frame: &mut Frame<'_>,
    area: Rect,
    ui: &Ui,
    key: &str,
    name: &str,
    lines: impl FnOnce(usize, usize) -> Vec<Line<'static>>,
) {
    let block = boxed(ui, title(ui, key, name));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let w = inner.width as usize;
    let lines: Vec<Line<'static>> = lines(w, inner.height as usize)
        .into_iter()
        .take(inner.height as usize)
        .map(|line| clip(line, w, ui))
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

/// Cuts a line to `w` cells, keeping its spans' styles.
fn clip(line: Line<'static>, w: usize, ui: &Ui) -> Line<'static> {
    let total: usize = line.spans.iter().map(|s| width(&s.content)).sum();
    if total <= w {
        return line;
    }
    let mut left = w;
    let mut out = Vec::new();
    for s in line.spans {
        let sw = width(&s.content);
        if sw <= left {
            left -= sw;
            out.push(s);
        } else {
            out.push(Span::styled(
                truncate(&s.content, left, ui.glyphs.ellipsis),
                s.style,
            ));
            break;
        }
    }
    Line::from(out)
}

/// Items side by side, as many to a line as fit in `w` cells.
fn flow(items: Vec<Vec<Span<'static>>>, w: usize) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    let mut line: Vec<Span<'static>> = Vec::new();
    let mut used = 0;
    for item in items {
        let iw: usize = item.iter().map(|s| width(&s.content)).sum();
        if used + iw > w && !line.is_empty() {
            lines.push(Line::from(std::mem::take(&mut line)));
            used = 0;
        }
        used += iw;
        line.extend(item);
    }
    if !line.is_empty() {
        lines.push(Line::from(line));
    }
    lines
}

fn warn_if(ui: &Ui, n: usize) -> Style {
    if n > 0 {
        ui.theme.warning
    } else {
        ui.theme.base
    }
}

/// A count with its label: `label n`.
fn count(ui: &Ui, label: &str, n: usize, alert: bool) -> Vec<Span<'static>> {
    vec![
        Span::raw(format!("{label} ")),
        Span::styled(
            n.to_string(),
            if alert { warn_if(ui, n) } else { ui.theme.base },
        ),
        Span::raw("  "),
    ]
}

/// The overdue column and the four bands as a two-row table.
fn band_table(ui: &Ui, late: &str, b: &AgeBands) -> Vec<Line<'static>> {
    let l = ui.lang;
    let mut head = vec![Span::styled(fit_right(late, 6), ui.theme.dim)];
    let mut vals = vec![Span::styled(
        fit_right(&b.overdue.to_string(), 6),
        warn_if(ui, b.overdue),
    )];
    for (i, (ja, en)) in BANDS.iter().enumerate() {
        head.push(Span::styled(fit_right(l.t(ja, en), 8), ui.theme.dim));
        vals.push(Span::raw(fit_right(&b.bands[i].to_string(), 8)));
    }
    vec![Line::from(head), Line::from(vals)]
}

fn inbox_lines(o: &Overview, ui: &Ui, w: usize, h: usize) -> Vec<Line<'static>> {
    let l = ui.lang;
    let mut lines = band_table(ui, l.t("超過", "late"), &o.inbox_age);
    let mut mine = count(ui, l.t("自分の担当", "Mine"), o.inbox_mine, false);
    mine.extend(count(
        ui,
        l.t("うち超過", "late"),
        o.inbox_mine_overdue,
        true,
    ));
    mine.extend(count(ui, l.t("計", "total"), o.inbox_age.total(), false));
    lines.push(Line::from(mine));
    let status: Vec<Vec<Span<'static>>> = o
        .inbox_by_status
        .iter()
        .map(|(s, n)| {
            let label = if l.is_ja() {
                s.label_ja()
            } else {
                s.label_en()
            };
            count(ui, label, *n, false)
        })
        .collect();
    if status.is_empty() {
        lines.push(Line::styled(
            l.t("処理中の申請はありません", "No open application"),
            ui.theme.dim,
        ));
    }
    if h >= lines.len() + o.inbox_by_status.len() && w >= 30 {
        lines.extend(status_bars(o, ui, w));
    } else {
        lines.extend(flow(status, w));
    }
    lines
}

/// One status a line, with a bar as long as its share of the largest (large terminals).
fn status_bars(o: &Overview, ui: &Ui, w: usize) -> Vec<Line<'static>> {
    let l = ui.lang;
    let max = o
        .inbox_by_status
        .iter()
        .map(|(_, n)| *n)
        .max()
        .unwrap_or(0)
        .max(1);
    let room = w.saturating_sub(20);
    o.inbox_by_status
        .iter()
        .map(|(s, n)| {
            let label = if l.is_ja() {
                s.label_ja()
            } else {
                s.label_en()
            };
            let len = (n * room).div_ceil(max);
            Line::from(vec![
                Span::raw(format!(
                    "{} {} ",
                    fit(label, 13, ""),
                    fit_right(&n.to_string(), 4)
                )),
                Span::styled(ui.glyphs.bar.full.repeat(len), ui.theme.header_accent),
            ])
        })
        .collect()
}

fn meeting_lines(o: &Overview, ui: &Ui, _w: usize, _h: usize) -> Vec<Line<'static>> {
    let l = ui.lang;
    let g = &o.guidance;
    vec![
        Line::from(count(
            ui,
            l.t("運営推進会議 期限超過", "Council meetings overdue"),
            o.meetings_overdue,
            true,
        )),
        Line::from(count(
            ui,
            l.t("運営指導 今月まで", "Inspections due this month"),
            o.guidance_this_month,
            false,
        )),
        Line::from(
            [
                count(
                    ui,
                    l.t("　　　 年度内", "  this fiscal year"),
                    g.due_this_year,
                    false,
                ),
                count(ui, l.t("超過", "overdue"), g.overdue, true),
            ]
            .concat(),
        ),
        Line::from(count(
            ui,
            l.t("改善報告 期限超過", "Improvement reports overdue"),
            g.improvement_overdue,
            true,
        )),
    ]
}

fn consent_lines(o: &Overview, ui: &Ui, _w: usize, _h: usize) -> Vec<Line<'static>> {
    let l = ui.lang;
    let mut lines = band_table(ui, l.t("超過", "late"), &o.consent_age);
    lines.push(Line::from(count(
        ui,
        l.t("回答待ち 計", "Awaiting, total"),
        o.consent_age.total(),
        false,
    )));
    lines.push(Line::styled(
        l.t(
            "（依頼を送ってからの日数）",
            "(days since the request was sent)",
        ),
        ui.theme.dim,
    ));
    lines
}

fn checklist_lines(o: &Overview, ui: &Ui, w: usize, h: usize) -> Vec<Line<'static>> {
    let l = ui.lang;
    let mut lines = Vec::new();
    let next = o
        .checklist_next_due
        .map_or_else(|| l.t("未実施", "none yet").to_string(), |d| date(d, l));
    lines.push(Line::from(vec![
        Span::raw(format!("{} ", l.t("次回監査", "Next audit"))),
        Span::raw(next),
    ]));
    // Pairs of sides per connection: `CODE 区n/相n`; several to a line.
    let mut cells: Vec<Vec<Span<'static>>> = Vec::new();
    for pair in o.checklist.chunks(2) {
        let mut spans = {
            let name = l.t(&pair[0].name_ja, &pair[0].name_en);
            vec![Span::raw(format!(
                "{} ",
                truncate(name, 12, ui.glyphs.ellipsis)
            ))]
        };
        for (i, c) in pair.iter().enumerate() {
            let text = c.gaps.map_or_else(|| "-".to_string(), |n| n.to_string());
            let style = if c.overdue || c.gaps.is_some_and(|n| n > 0) {
                ui.theme.warning
            } else {
                ui.theme.base
            };
            if i > 0 {
                spans.push(Span::raw("/"));
            }
            spans.push(Span::styled(text, style));
        }
        spans.push(Span::raw("  "));
        cells.push(spans);
    }
    if h >= 2 + o.checklist.len().div_ceil(2) && w >= 40 {
        lines.extend(checklist_table(o, ui));
        return lines;
    }
    lines.push(Line::styled(
        l.t("接続 区/相手（-: 未監査）", "link ward/partner (-: none)"),
        ui.theme.dim,
    ));
    lines.extend(flow(cells, w));
    lines
}

/// The matrix as a table: a connection a row, the ward's and the partner's ✗ counts.
fn checklist_table(o: &Overview, ui: &Ui) -> Vec<Line<'static>> {
    let l = ui.lang;
    let mut lines = vec![Line::styled(
        format!(
            "{} {} {}",
            fit(l.t("結合先", "Connection"), 24, ""),
            fit_right(l.t("区", "Ward"), 8),
            fit_right(l.t("相手", "Partner"), 8)
        ),
        ui.theme.dim,
    )];
    for pair in o.checklist.chunks(2) {
        let name = l.t(&pair[0].name_ja, &pair[0].name_en);
        let mut spans = vec![Span::raw(fit(name, 24, ui.glyphs.ellipsis))];
        for c in pair {
            let text = c.gaps.map_or_else(|| "-".to_string(), |n| n.to_string());
            let style = if c.overdue || c.gaps.is_some_and(|n| n > 0) {
                ui.theme.warning
            } else {
                ui.theme.base
            };
            spans.push(Span::styled(format!(" {}", fit_right(&text, 8)), style));
        }
        lines.push(Line::from(spans));
    }
    lines
}

fn job_lines(o: &Overview, ui: &Ui, _w: usize, h: usize) -> Vec<Line<'static>> {
    let l = ui.lang;
    let mut lines = vec![Line::from(count(
        ui,
        l.t("隔離された行", "Quarantined rows"),
        o.quarantine,
        true,
    ))];
    // Short of rows, the kinds never run are one line at the end.
    let compact = h < 1 + o.jobs.len();
    let never = o.jobs.iter().filter(|(_, r)| r.is_none()).count();
    for (kind, run) in &o.jobs {
        if compact && run.is_none() {
            continue;
        }
        let (text, style) = match run {
            None => (l.t("未実行", "never").to_string(), ui.theme.dim),
            Some(r) => {
                let status = JobStatus::from_code(&r.status);
                let label = status.map_or(r.status.as_str(), |s| s.label(l));
                let when = started(&r.started_at, l);
                let style = match status {
                    Some(JobStatus::Failed | JobStatus::Abandoned) => ui.theme.error,
                    _ => ui.theme.base,
                };
                (format!("{label} {when}"), style)
            }
        };
        lines.push(Line::from(vec![
            Span::raw(format!(
                "{} ",
                crate::tui::widgets::text::fit(kind.title(l), 18, "")
            )),
            Span::styled(text, style),
        ]));
    }
    if compact && never > 0 {
        let text = if l.is_ja() {
            format!("未実行のジョブ {never} 種類")
        } else {
            format!("{never} kinds never run")
        };
        lines.push(Line::styled(text, ui.theme.dim));
    }
    lines
}

fn date(d: chrono::NaiveDate, l: Lang) -> String {
    if l.is_ja() {
        format_short(d)
    } else {
        d.format("%Y-%m-%d").to_string()
    }
}

fn started(at: &str, l: Lang) -> String {
    chrono::DateTime::parse_from_rfc3339(at)
        .map(|t| date(t.with_timezone(&chrono::Local).date_naive(), l))
        .unwrap_or_else(|_| at.to_string())
}

/// The bar chart of designations ending per month, under the notices line.
fn expiring(frame: &mut Frame<'_>, area: Rect, o: &Overview, ui: &Ui, key: &str) {
    let l = ui.lang;
    let block = boxed(
        ui,
        title(
            ui,
            key,
            l.t("有効期限（月別 12か月）", "Expiring by month (12)"),
        ),
    );
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.height == 0 {
        return;
    }
    let total: usize = o.expiring.iter().map(|(_, n)| n).sum();
    let head = Line::from(
        [
            count(
                ui,
                l.t("更新案内 未送付", "Renewal notices due"),
                o.renewal_notices_due,
                true,
            ),
            count(ui, l.t("計", "total"), total, false),
        ]
        .concat(),
    );
    frame.render_widget(
        Paragraph::new(clip(head, inner.width as usize, ui)),
        Rect { height: 1, ..inner },
    );
    let chart_area = Rect {
        y: inner.y + 1,
        height: inner.height.saturating_sub(1),
        ..inner
    };
    let n = o.expiring.len().max(1) as u16;
    // Bars, then a row of numbers and a row of months.
    let bar_width = (chart_area.width.saturating_sub(n - 1) / n).clamp(1, 5);
    let bars: Vec<Bar<'static>> = o
        .expiring
        .iter()
        .map(|(m, v)| {
            Bar::default()
                .value(*v as u64)
                .label(Line::from(m.month().to_string()))
                .text_value(String::new())
        })
        .collect();
    let chart = BarChart::default()
        .data(BarGroup::default().bars(&bars))
        .bar_width(bar_width)
        .bar_gap(1)
        .bar_set(ui.glyphs.bar.clone())
        .bar_style(ui.theme.header_accent)
        .value_style(ui.theme.tab_active);
    frame.render_widget(chart, chart_area);
    // The numbers on the row above the month labels, right under each bar.
    if chart_area.height >= 3 {
        let y = chart_area.y + chart_area.height - 2;
        let bw = bar_width as usize;
        let mut row = String::new();
        for (_, v) in &o.expiring {
            let t = v.to_string();
            let t = if t.len() > bw { "+".repeat(bw) } else { t };
            row.push_str(&fit_right(&t, bw));
            row.push(' ');
        }
        frame.render_widget(
            Paragraph::new(Line::styled(row, ui.theme.base)),
            Rect {
                y,
                height: 1,
                ..chart_area
            },
        );
    }
}
