//! Drawing the jobs screen: the run in progress, the recent runs as a table (kind, who,
//! start, what each read, imported, quarantined and exported) and the selected run's end
//! and message.

use super::JobsScreen;
use crate::domain::job::{JobKind, JobStatus};
use crate::domain::view::JobRow;
use crate::i18n::Lang;
use crate::tui::screens::cases::{gutter, widest};
use crate::tui::shell::Shell;
use crate::tui::widgets::text::{fit, fit_right, width, wrap};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

const COUNT_W: usize = 5;

pub fn render(frame: &mut Frame<'_>, area: Rect, screen: &mut JobsScreen, sh: &Shell) {
    if let Some(q) = &mut screen.quarantine {
        super::quarantine::render(frame, area, q, sh);
        return;
    }
    let ui = &sh.ui;
    let l = ui.lang;
    let (w, h) = (area.width as usize, area.height as usize);
    let mut lines = Vec::new();
    if let Some(r) = &screen.running {
        lines.push(Line::styled(r.describe(l), ui.theme.header_accent));
    }
    let kind_w = widest(JobKind::ALL.iter().map(|k| k.title(l)));
    let status_w = widest(JobStatus::ALL.iter().map(|s| s.label(l)));
    let start_w = if l.is_ja() { 14 } else { 16 };
    let gw = width(ui.glyphs.cursor).max(1) + 1;
    let fixed = gw + 4 + 1 + kind_w + 1 + status_w + 1 + start_w + 4 * (COUNT_W + 1);
    // Who ran it gets a column when there is room for a whole staff id; at 80 columns
    // it is on the selected run's line below instead.
    let who_w = match w.saturating_sub(fixed + 1) {
        n if n >= 12 => 12,
        _ => 0,
    };
    let who = |s: &str| {
        if who_w == 0 {
            String::new()
        } else {
            format!("{} ", fit(s, who_w, ui.glyphs.ellipsis))
        }
    };
    let counts = [
        l.t("読込", "Read"),
        l.t("取込", "Imp."),
        l.t("隔離", "Quar."),
        l.t("送出", "Sent"),
    ]
    .map(|c| fit_right(c, COUNT_W))
    .join(" ");
    lines.push(Line::styled(
        format!(
            "{}{} {} {} {}{} {counts}",
            " ".repeat(gw),
            fit_right("#", 4),
            fit(l.t("種類", "Kind"), kind_w, ""),
            fit(l.t("状態", "Status"), status_w, ""),
            who(l.t("実行者", "By")),
            fit(l.t("開始", "Started"), start_w, ""),
        ),
        ui.theme.title,
    ));
    let detail_h = 2;
    let rows_h = h.saturating_sub(lines.len() + detail_h);
    let el = ui.glyphs.ellipsis;
    let selected = screen.list.selected;
    for i in screen.list.visible(rows_h) {
        let j = &screen.list.rows[i];
        let kind = JobKind::from_code(&j.kind).map_or(j.kind.as_str(), |k| k.title(l));
        let status = JobStatus::from_code(&j.status);
        let style = match status {
            Some(JobStatus::Failed | JobStatus::Abandoned) => ui.theme.error,
            Some(JobStatus::Cancelled) => ui.theme.warning,
            _ => ratatui::style::Style::default(),
        };
        let c = j.counts;
        let quarantined = fit_right(&count(c.quarantined), COUNT_W);
        lines.push(Line::from(vec![
            gutter(ui, i == selected),
            Span::raw(format!(
                "{} {} ",
                fit_right(&j.id.to_string(), 4),
                fit(kind, kind_w, el)
            )),
            Span::styled(
                fit(
                    status.map_or(j.status.as_str(), |s| s.label(l)),
                    status_w,
                    el,
                ),
                style,
            ),
            Span::raw(format!(
                " {}{} {} {} ",
                who(&j.started_by),
                fit(&when(&j.started_at, l).unwrap_or_default(), start_w, ""),
                fit_right(&count(c.read), COUNT_W),
                fit_right(&count(c.imported), COUNT_W),
            )),
            Span::styled(
                quarantined,
                if c.quarantined > 0 {
                    ui.theme.warning
                } else {
                    ratatui::style::Style::default()
                },
            ),
            Span::raw(format!(" {}", fit_right(&count(c.exported), COUNT_W))),
        ]));
    }
    if screen.list.loaded && screen.list.rows.is_empty() {
        lines.push(Line::styled(
            l.t(
                "  実行履歴はありません。下の行のキーでジョブを開始できます",
                "  No job has run yet; the keys below start one",
            ),
            ui.theme.dim,
        ));
    }
    while lines.len() < h.saturating_sub(detail_h) {
        lines.push(Line::raw(""));
    }
    if let Some(j) = screen.list.rows.get(selected) {
        lines.extend(detail(j, w, sh).into_iter().take(detail_h));
    }
    frame.render_widget(Paragraph::new(lines), area);
}

fn count(n: i64) -> String {
    if n == 0 { "-".into() } else { n.to_string() }
}

/// The selected run's end and message, and where its quarantined rows are.
fn detail(j: &JobRow, w: usize, sh: &Shell) -> Vec<Line<'static>> {
    let ui = &sh.ui;
    let l = ui.lang;
    let ended = match j.finished_at.as_deref().and_then(|t| when(t, l)) {
        Some(t) => format!("{} {t}", l.t("終了", "ended")),
        None => l.t("実行中または中断", "running or interrupted").into(),
    };
    let hint = if j.counts.quarantined > 0 {
        l.t("  Enter: 隔離の理由", "  Enter: quarantine reasons")
    } else {
        ""
    };
    let by = format!("{} {}", l.t("実行者", "by"), j.started_by);
    let mut out = vec![Line::styled(
        fit(&format!("#{} {by}  {ended}{hint}", j.id), w, ""),
        ui.theme.dim,
    )];
    if let Some(first) = wrap(&j.message, w).into_iter().next() {
        out.push(Line::raw(first));
    }
    out
}

/// An RFC 3339 time as every other screen shows time: 和暦 date and local time
/// (`R8.12.02 16:52`; `2026-12-02 16:52` in English); `None` when it is not a time.
pub fn when(at: &str, l: Lang) -> Option<String> {
    let t = chrono::DateTime::parse_from_rfc3339(at).ok()?;
    let local = t.with_timezone(&chrono::Local);
    Some(if l.is_ja() {
        format!(
            "{} {}",
            crate::domain::wareki::format_short(local.date_naive()),
            local.format("%H:%M")
        )
    } else {
        local.format("%Y-%m-%d %H:%M").to_string()
    })
}
