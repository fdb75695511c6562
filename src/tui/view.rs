//! Drawing the whole screen from the state. Called only when the state changed.
//!
//! Layout (top to bottom): header (who, what is due), screen tabs, the screen body,
//! key hints generated from the keymap, and the status line.

use super::app::{App, ScreenId, StatusKind};
use super::commands::{self, COMMANDS};
use super::keymap::display_sequence;
use super::overlay::{boxed, centered};
use super::screens::jobs::JobsScreen;
use super::widgets::text::{fit, truncate, width, wrap};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// Below this the app shows only a "too small" notice: the header, tabs, footer and
/// status line take four rows, and a list needs its column header and a few rows.
pub const MIN_WIDTH: u16 = 40;
pub const MIN_HEIGHT: u16 = 10;

pub fn draw(frame: &mut Frame<'_>, app: &mut App) {
    let area = frame.area();
    let lang = app.lang();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        let (w, h) = (area.width, area.height);
        let msg = if lang.is_ja() {
            format!(
                "端末が小さすぎます（今 {w}x{h}）。{MIN_WIDTH}x{MIN_HEIGHT} 以上に広げてください"
            )
        } else {
            format!("Terminal too small ({w}x{h}): make it at least {MIN_WIDTH}x{MIN_HEIGHT}")
        };
        let lines: Vec<Line<'static>> = wrap(&msg, area.width as usize)
            .into_iter()
            .map(|l| Line::raw(truncate(&l, area.width as usize, "")))
            .collect();
        frame.render_widget(Paragraph::new(lines), area);
        return;
    }
    if let Some(lock) = &app.lock {
        draw_lock(frame, area, app, lock);
        return;
    }
    let row = |y: u16| Rect::new(area.x, area.y + y, area.width, 1);
    frame.render_widget(Paragraph::new(header(app)), row(0));
    frame.render_widget(Paragraph::new(tabs(app)), row(1));
    let body = Rect::new(
        area.x,
        area.y + 2,
        area.width,
        area.height.saturating_sub(4),
    );
    draw_body(frame, body, app);
    frame.render_widget(
        Paragraph::new(hints(app, area.width as usize)),
        row(area.height - 2),
    );
    // A screen may draw on the status row (the ledger's search line).
    let status_row = row(area.height - 1);
    let drawn = app
        .active_screen()
        .is_some_and(|s| s.draw_status(frame, status_row, &app.shell));
    if !drawn {
        frame.render_widget(
            Paragraph::new(status_line(app, area.width as usize)),
            status_row,
        );
    }
    for overlay in &app.overlays {
        overlay.draw(frame, area, app);
    }
}

fn header(app: &App) -> Line<'static> {
    let l = app.lang();
    let t = &app.shell.ui.theme;
    let mut left = vec![
        Span::styled(" daicho ", t.header_accent),
        Span::styled(
            format!(
                " {} ({}) ",
                app.shell.actor.staff_id,
                if l.is_ja() {
                    app.shell.actor.role.label_ja()
                } else {
                    app.shell.actor.role.code()
                }
            ),
            t.header,
        ),
    ];
    if app.demo {
        left.push(Span::styled(l.t(" デモ ", " DEMO "), t.warning));
    }
    let d = &app.due;
    // (words, abbreviation, one character), per count.
    let counts = [
        (
            ("更新期限", "expiring"),
            ("期限", "exp"),
            ("期", "e"),
            d.expiring,
        ),
        (
            ("会議超過", "meetings late"),
            ("会議", "mtg"),
            ("会", "m"),
            d.meetings_overdue,
        ),
        (
            ("運営指導", "guidance due"),
            ("指導", "guid"),
            ("指", "d"),
            d.guidance.due_this_year,
        ),
        (
            ("申請超過", "applications late"),
            ("申請", "late"),
            ("申", "l"),
            d.applications_overdue,
        ),
        (
            ("改善", "gaps"),
            ("改善", "gaps"),
            ("改", "g"),
            d.checklist_gaps,
        ),
    ];
    let g = &app.shell.ui.glyphs;
    // Tier 0: words (`更新期限 17 │ 会議超過 28`); 1: `期限:17`; 2: `期:17`.
    let right = |tier: u8| -> Vec<Span<'static>> {
        let mut out: Vec<Span<'static>> = Vec::new();
        for (i, (long, mid, short, n)) in counts.into_iter().enumerate() {
            let style = if n > 0 { t.warning } else { t.header };
            let text = match tier {
                0 => {
                    let sep = if i > 0 {
                        format!(" {}", g.sep)
                    } else {
                        String::new()
                    };
                    format!("{sep} {} {n}", l.t(long.0, long.1))
                }
                1 => format!(" {}:{n}", l.t(mid.0, mid.1)),
                _ => format!(" {}:{n}", l.t(short.0, short.1)),
            };
            out.push(Span::styled(text, style));
        }
        if d.jobs_running > 0 {
            let label = match tier {
                0 => l.t("ジョブ実行中", "jobs running"),
                1 => l.t("ジョブ", "jobs"),
                _ => l.t("ジ", "j"),
            };
            let sep = if tier == 0 {
                format!(" {}", g.sep)
            } else {
                String::new()
            };
            out.push(Span::styled(
                format!(
                    "{sep} {label}{}{}",
                    if tier == 0 { " " } else { ":" },
                    d.jobs_running
                ),
                t.header_accent,
            ));
        }
        out.push(Span::raw(" "));
        out
    };
    let spans_w =
        |spans: &[Span<'static>]| -> usize { spans.iter().map(|s| width(&s.content)).sum() };
    let total = app.size.0 as usize;
    // The counts are what is due: they stay. When the line is too narrow the labels
    // shorten first (words, then abbreviations), then the user and the name give way.
    // Words are worth more than the app's name: drop it before abbreviating.
    let mut right_spans = right(0);
    let fits = |l: &[Span<'static>], r: &[Span<'static>]| spans_w(l) + spans_w(r) <= total;
    if !fits(&left, &right_spans) && fits(&left[1..], &right_spans) {
        left.remove(0);
    }
    for tier in 1..=2 {
        if !fits(&left, &right_spans) {
            right_spans = right(tier);
        }
    }
    // The app name goes first, then the user; the demo mark stays longest.
    while spans_w(&left) + spans_w(&right_spans) > total && !left.is_empty() {
        left.remove(0);
    }
    let used = spans_w(&left) + spans_w(&right_spans);
    left.push(Span::styled(
        " ".repeat(total.saturating_sub(used)),
        t.header,
    ));
    left.extend(right_spans);
    Line::from(left)
}

fn tabs(app: &App) -> Line<'static> {
    let l = app.lang();
    let t = &app.shell.ui.theme;
    let mut spans = Vec::new();
    for (i, s) in ScreenId::ALL.iter().enumerate() {
        let style = if *s == app.screen {
            t.tab_active
        } else {
            t.tab_inactive
        };
        spans.push(Span::styled(format!(" {} {} ", i, s.title(l)), style));
    }
    let used: usize = spans.iter().map(|s| width(&s.content)).sum();
    let room = (app.size.0 as usize).saturating_sub(used + 1);
    if room > 6 {
        spans.push(Span::styled(
            format!(" {}", fit(&app.db_label, room, "...")),
            t.dim,
        ));
    }
    Line::from(spans)
}

fn draw_body(frame: &mut Frame<'_>, area: Rect, app: &mut App) {
    let shell = &app.shell;
    if let Some(screen) = app.screens.iter_mut().find(|s| s.id() == app.screen) {
        screen.draw(frame, area, shell);
    }
}

/// `key:title` pairs for the focused context, most specific first, as many as fit;
/// help, palette and quit are always shown last so nobody is ever stuck.
fn hints(app: &App, w: usize) -> Line<'static> {
    let l = app.lang();
    let t = &app.shell.ui.theme;
    let contexts = app.contexts();
    let hint = |cmd: &commands::Command| -> Option<(String, &'static str)> {
        (cmd.enabled)(app).ok()?;
        // The first binding in keymap order: the one the file lists as primary.
        let keys = app.keymap.keys_for(cmd.id, &contexts);
        Some((display_sequence(keys.first()?), cmd.title(l.is_ja())))
    };
    let item_w = |(k, title): &(String, &str)| width(k) + 1 + width(title) + 2;
    // Pinned last, in reverse registry order: help, palette, quit.
    let pinned = COMMANDS
        .iter()
        .rev()
        .filter(|c| c.has(commands::flags::PINNED));
    let tail: Vec<(String, &str)> = pinned.filter_map(|c| hint(c)).collect();
    let reserve: usize = tail.iter().map(item_w).sum();
    let mut items: Vec<(String, &str)> = Vec::new();
    let mut used = 0;
    let mut seen: Vec<String> = Vec::new();
    'outer: for ctx in &contexts {
        for (_, command, _) in app.keymap.bindings_in(ctx) {
            if seen.contains(&command) {
                continue;
            }
            seen.push(command.clone());
            let Some(cmd) = commands::find(&command) else {
                continue;
            };
            let footer = !cmd.has(commands::flags::NO_HINT | commands::flags::PINNED);
            if !footer || !commands::listed(cmd, ctx, app.screen) {
                continue;
            }
            let Some(item) = hint(cmd) else { continue };
            if used + item_w(&item) + reserve > w {
                break 'outer;
            }
            used += item_w(&item);
            items.push(item);
        }
    }
    items.extend(tail);
    let mut spans = Vec::new();
    for (keys, title) in items {
        spans.push(Span::styled(keys, t.footer_key));
        spans.push(Span::styled(format!(":{title}  "), t.footer));
    }
    Line::from(spans)
}

fn status_line(app: &App, w: usize) -> Line<'static> {
    let t = &app.shell.ui.theme;
    // A running job's progress outranks an info message, not a warning or an error.
    let info = app
        .shell
        .status
        .as_ref()
        .is_none_or(|s| s.kind == StatusKind::Info);
    let jobs = app.screen_ref::<JobsScreen>();
    if let (Some(r), true) = (&jobs.running, info) {
        let text = r.describe(app.lang());
        return Line::styled(
            truncate(&text, w, app.shell.ui.glyphs.ellipsis),
            t.header_accent,
        );
    }
    if let Some(s) = &app.shell.status {
        let style = match s.kind {
            StatusKind::Info => t.ok,
            StatusKind::Warning => t.warning,
            StatusKind::Error => t.error,
        };
        return Line::styled(truncate(&s.text, w, app.shell.ui.glyphs.ellipsis), style);
    }
    let text = app
        .active_screen()
        .map(|s| s.status(&app.shell))
        .unwrap_or_default();
    Line::styled(truncate(&text, w, app.shell.ui.glyphs.ellipsis), t.dim)
}

/// A locked session shows nothing of the data: only who is locked and the password.
fn draw_lock(frame: &mut Frame<'_>, area: Rect, app: &App, lock: &super::app::Lock) {
    let l = app.lang();
    let ui = &app.shell.ui;
    let r = centered(area, 60, 8);
    let block = boxed(ui, format!(" daicho: {} ", l.t("ロック中", "locked")));
    let inner = block.inner(r);
    frame.render_widget(block, r);
    if inner.height < 4 {
        return;
    }
    let mut lines = vec![
        Line::raw(format!(
            "{} {}",
            l.t("職員ID:", "Staff id:"),
            app.shell.actor.staff_id
        )),
        Line::styled(
            if lock.manual {
                l.t("ロックしました。C-q で終了できます", "Locked. C-q quits")
            } else {
                l.t(
                    "しばらく操作がなかったためロックしました（C-q で終了）",
                    "Locked after a while without input (C-q quits)",
                )
            },
            ui.theme.dim,
        ),
    ];
    // One row per sentence of the error (the box is narrow).
    for part in lock.error.iter().flat_map(|e| e.lines()) {
        lines.push(Line::styled(
            truncate(part, inner.width as usize, "..."),
            ui.theme.error,
        ));
    }
    frame.render_widget(
        Paragraph::new(lines),
        Rect::new(inner.x, inner.y, inner.width, inner.height),
    );
    let label = format!("{} ", l.t("パスワード:", "Password:"));
    let lw = width(&label) as u16;
    let y = inner.y + inner.height - 1;
    frame.render_widget(Paragraph::new(label), Rect::new(inner.x, y, lw, 1));
    lock.input.render(
        frame,
        Rect::new(inner.x + lw, y, inner.width.saturating_sub(lw), 1),
        true,
    );
}
