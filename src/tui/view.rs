//! Drawing the whole screen from the state. Called only when the state changed.
//!
//! Layout (top to bottom): header (who, what is due), screen tabs, the screen body,
//! key hints generated from the keymap, and the status line.

use super::app::{App, LedgerMode, Overlay, ScreenId, StatusKind, Ui};
use super::commands::{self, COMMANDS};
use super::keymap::display_sequence;
use super::screens::{cases, checklist, jobs, ledger};
use super::widgets::clear::clear_area;
use super::widgets::text::{display, display_lines, fit, truncate, width, wrap};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

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
    // The search line takes the status row (like `/` in less): opening it does not
    // shift the list, so it costs a few bytes, not a repaint.
    match (&app.ledger.search, app.screen, app.ledger.mode) {
        (Some(search), ScreenId::Ledger, LedgerMode::List) => {
            let label = format!("{} ", app.lang().t("検索:", "Search:"));
            let lw = width(&label) as u16;
            let y = area.y + area.height - 1;
            frame.render_widget(
                Paragraph::new(Span::styled(label, app.ui.theme.title)),
                Rect::new(area.x, y, lw, 1),
            );
            let count = match app.ledger.total {
                Some(n) => format!(" {n}{}", app.lang().t("件", " found")),
                None => String::new(),
            };
            let cw = width(&count) as u16;
            let input = Rect::new(area.x + lw, y, area.width.saturating_sub(lw + cw), 1);
            search.render(frame, input, true);
            frame.render_widget(
                Paragraph::new(Span::styled(count, app.ui.theme.dim)),
                Rect::new(area.x + area.width.saturating_sub(cw), y, cw, 1),
            );
        }
        _ => frame.render_widget(
            Paragraph::new(status_line(app, area.width as usize)),
            row(area.height - 1),
        ),
    }
    if let Some(overlay) = &app.overlay {
        draw_overlay(frame, area, app, overlay);
    }
}

fn header(app: &App) -> Line<'static> {
    let l = app.lang();
    let t = &app.ui.theme;
    let mut left = vec![
        Span::styled(" daicho ", t.header_accent),
        Span::styled(
            format!(
                " {} ({}) ",
                app.actor.staff_id,
                if l.is_ja() {
                    app.actor.role.label_ja()
                } else {
                    app.actor.role.code()
                }
            ),
            t.header,
        ),
    ];
    if app.demo {
        left.push(Span::styled(l.t(" デモ ", " DEMO "), t.warning));
    }
    let d = &app.due;
    let counts = [
        (("期限", "exp"), ("期", "e"), d.expiring),
        (("会議", "mtg"), ("会", "m"), d.meetings_overdue),
        (("申請", "late"), ("申", "l"), d.applications_overdue),
        (("改善", "gaps"), ("改", "g"), d.checklist_gaps),
    ];
    let right = |short: bool| -> Vec<Span<'static>> {
        let mut out: Vec<Span<'static>> = Vec::new();
        for ((ja, en), (sja, sen), n) in counts {
            let style = if n > 0 { t.warning } else { t.header };
            let label = if short { l.t(sja, sen) } else { l.t(ja, en) };
            out.push(Span::styled(format!(" {label}:{n}"), style));
        }
        if d.jobs_running > 0 {
            let label = if short {
                l.t("ジ", "j")
            } else {
                l.t("ジョブ", "jobs")
            };
            out.push(Span::styled(
                format!(" {label}:{}", d.jobs_running),
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
    // shorten first, then the user and the name give way.
    let mut right_spans = right(false);
    if spans_w(&left) + spans_w(&right_spans) > total {
        right_spans = right(true);
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
    let t = &app.ui.theme;
    let mut spans = Vec::new();
    for (i, s) in ScreenId::ALL.iter().enumerate() {
        let style = if *s == app.screen {
            t.tab_active
        } else {
            t.tab_inactive
        };
        spans.push(Span::styled(format!(" {} {} ", i + 1, s.title(l)), style));
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
    let today = app.ledger.today;
    match app.screen {
        ScreenId::Ledger => match app.ledger.mode {
            LedgerMode::List => ledger::render_list(frame, area, &app.ledger, &app.ui),
            LedgerMode::Detail => {
                let show = app
                    .ledger
                    .detail_id
                    .is_some_and(|id| app.is_revealed("facility", &id.to_string()));
                ledger::render_detail(frame, area, &app.ledger, &app.ui, ledger::Pii { show });
            }
            LedgerMode::Edit => {
                if let Some(e) = &app.ledger.edit {
                    ledger::render_edit(frame, area, e, &app.ui);
                }
            }
            LedgerMode::Conflict => {
                if let (Some(e), Some(c)) = (&app.ledger.edit, &app.ledger.conflict) {
                    ledger::render_conflict(frame, area, e, c, &app.actor.staff_id, &app.ui);
                }
            }
        },
        ScreenId::Inbox => cases::render_inbox(frame, area, &mut app.inbox, today, &app.ui),
        ScreenId::Consent => {
            let revealed: Vec<String> = app
                .revealed
                .iter()
                .filter(|r| r.object_type == "consent")
                .map(|r| r.object_id.clone())
                .collect();
            let is_revealed = |id: i64| revealed.contains(&id.to_string());
            cases::render_consent(frame, area, &mut app.consent, today, &app.ui, &is_revealed);
        }
        ScreenId::Checklist => checklist::render(frame, area, &app.checklist, today, &app.ui),
        ScreenId::Jobs => jobs::render(frame, area, &app.jobs, &app.ui),
    }
}

/// `key:title` pairs for the focused context, most specific first, as many as fit;
/// help, palette and quit are always shown last so nobody is ever stuck.
fn hints(app: &App, w: usize) -> Line<'static> {
    let l = app.lang();
    let t = &app.ui.theme;
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
    let t = &app.ui.theme;
    if let Some(s) = &app.status {
        let style = match s.kind {
            StatusKind::Info => t.ok,
            StatusKind::Warning => t.warning,
            StatusKind::Error => t.error,
        };
        return Line::styled(truncate(&s.text, w, app.ui.glyphs.ellipsis), style);
    }
    let l = app.lang();
    let text = match app.screen {
        ScreenId::Ledger => {
            let q = &app.ledger.query;
            let mut parts = vec![match app.ledger.total {
                Some(n) => format!("{n}{}", l.t("件", " facilities")),
                None => l.t("読み込み中", "loading...").to_string(),
            }];
            if !q.search.is_empty() {
                parts.push(format!("{} {}", l.t("検索:", "search:"), q.search));
            }
            match app.ledger.alert {
                ledger::AlertFilter::Expiring => parts.push(
                    l.t(
                        "絞込: 有効期限3か月以内",
                        "filter: expiring within 3 months",
                    )
                    .into(),
                ),
                ledger::AlertFilter::MeetingOverdue => parts.push(
                    l.t("絞込: 運営推進会議の期限超過", "filter: meeting overdue")
                        .into(),
                ),
                ledger::AlertFilter::None => {
                    if let Some(by) = q.expiring_by {
                        parts.push(format!(
                            "{} {by}",
                            l.t("絞込: 有効期限が次の日まで", "filter: expiring by")
                        ));
                    }
                }
            }
            if let Some(code) = &q.service_code {
                parts.push(format!("{} {code}", l.t("サービス:", "service:")));
            }
            if let Some(s) = q.status {
                parts.push(format!(
                    "{} {}",
                    l.t("状態:", "status:"),
                    if l.is_ja() {
                        s.label_ja()
                    } else {
                        s.label_en()
                    }
                ));
            }
            parts.join("  ")
        }
        ScreenId::Inbox => case_count(
            app.inbox.rows.len(),
            l.t("件の申請・届出", " applications"),
            l,
        ),
        ScreenId::Consent => case_count(
            app.consent.rows.len(),
            l.t("件の同意案件", " consent cases"),
            l,
        ),
        ScreenId::Checklist => l
            .t("結合先ごとの点検状況", "Audit state per connection")
            .into(),
        ScreenId::Jobs => l.t("連携ジョブの履歴", "Sync job history").into(),
    };
    Line::styled(truncate(&text, w, app.ui.glyphs.ellipsis), t.dim)
}

/// A locked session shows nothing of the data: only who is locked and the password.
fn draw_lock(frame: &mut Frame<'_>, area: Rect, app: &App, lock: &super::app::Lock) {
    let l = app.lang();
    let ui = &app.ui;
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
            app.actor.staff_id
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

/// "60件…", saying so when the list was cut at its cap.
fn case_count(n: usize, what: &str, l: super::i18n::Lang) -> String {
    if n >= super::data::CASE_LIST_CAP {
        format!(
            "{n}{what} {}",
            l.t(
                "（未処理・期限順の先頭のみ表示）",
                "(first ones only: open cases by due date)"
            )
        )
    } else {
        format!("{n}{what}")
    }
}

fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

fn boxed<'a>(ui: &Ui, title: String) -> Block<'a> {
    Block::default()
        .borders(Borders::ALL)
        .border_set(ui.glyphs.border)
        .border_style(ui.theme.border)
        .title(Span::styled(display(&title).into_owned(), ui.theme.title))
}

fn draw_overlay(frame: &mut Frame<'_>, area: Rect, app: &App, overlay: &Overlay) {
    let ui = &app.ui;
    let l = ui.lang;
    match overlay {
        Overlay::Reason(p) => {
            let notes = p.notes(l);
            let r = centered(area, 70, notes.len() as u16 + 7);
            clear_area(frame.buffer_mut(), r);
            let block = boxed(ui, format!(" {} ", p.title));
            let inner = block.inner(r);
            frame.render_widget(block, r);
            if inner.height < 3 {
                return;
            }
            let label = format!("{} ", p.label(l));
            let lw = width(&label) as u16;
            frame.render_widget(Paragraph::new(label), Rect::new(inner.x, inner.y, lw, 1));
            p.input.render(
                frame,
                Rect::new(inner.x + lw, inner.y, inner.width.saturating_sub(lw), 1),
                true,
            );
            let mut lines = vec![Line::raw("")];
            let error = p.error.is_some();
            lines.extend(notes.into_iter().enumerate().map(|(i, n)| {
                let style = if error && i == 0 {
                    ui.theme.error
                } else {
                    ui.theme.dim
                };
                Line::styled(n, style)
            }));
            lines.push(Line::raw(""));
            lines.push(Line::styled(
                l.t("Enter: 決定   Esc: やめる", "Enter: confirm   Esc: cancel"),
                ui.theme.footer_key,
            ));
            frame.render_widget(
                Paragraph::new(lines),
                Rect::new(inner.x, inner.y + 1, inner.width, inner.height - 1),
            );
        }
        Overlay::Palette(p) => {
            let r = centered(area, 76, area.height.saturating_sub(4).max(6));
            clear_area(frame.buffer_mut(), r);
            let block = boxed(ui, format!(" {} ", l.t("コマンド", "Commands")));
            let inner = block.inner(r);
            frame.render_widget(block, r);
            if inner.height == 0 {
                return;
            }
            let prompt = "> ";
            frame.render_widget(Paragraph::new(prompt), Rect::new(inner.x, inner.y, 2, 1));
            p.input.render(
                frame,
                Rect::new(inner.x + 2, inner.y, inner.width.saturating_sub(2), 1),
                true,
            );
            // The chosen command's whole description (or why it cannot run) below the
            // rows, wrapped: a row has room for only the start of it.
            let about_h = if inner.height >= 8 { 3 } else { 0 };
            let rows = (inner.height as usize).saturating_sub(1 + about_h);
            let start = p.selected.saturating_sub(rows.saturating_sub(1));
            let contexts = app.screen_contexts();
            let mut lines = Vec::new();
            let tw = 20usize;
            let kw = 10usize;
            let about = |cmd: &commands::Command| match (cmd.enabled)(app) {
                Ok(()) => (cmd.desc(l.is_ja()).to_string(), true),
                Err(r) if l.is_ja() => (format!("（{}）", r.ja), false),
                Err(r) => (format!("({})", r.en), false),
            };
            for (i, idx) in p.matches.iter().enumerate().skip(start).take(rows) {
                let cmd = COMMANDS[*idx];
                let mut ctxs = contexts.clone();
                ctxs.insert(0, cmd.scope.context());
                let keys = app
                    .keymap
                    .keys_for(cmd.id, &ctxs)
                    .first()
                    .map(|k| display_sequence(k))
                    .unwrap_or_default();
                let marker = if i == p.selected {
                    ui.glyphs.cursor
                } else {
                    " "
                };
                let (desc, enabled) = about(cmd);
                let style = if enabled {
                    Style::default()
                } else {
                    ui.theme.disabled
                };
                let text = format!(
                    "{} {} {} {}",
                    fit(marker, width(ui.glyphs.cursor).max(1), ""),
                    fit(cmd.title(l.is_ja()), tw, ui.glyphs.ellipsis),
                    fit(&keys, kw, ui.glyphs.ellipsis),
                    desc
                );
                let style = if i == p.selected {
                    style.patch(ui.theme.selected)
                } else {
                    style
                };
                lines.push(Line::styled(
                    truncate(&text, inner.width as usize, ui.glyphs.ellipsis),
                    style,
                ));
            }
            frame.render_widget(
                Paragraph::new(lines),
                Rect::new(inner.x, inner.y + 1, inner.width, inner.height - 1),
            );
            let chosen = p.matches.get(p.selected).map(|i| COMMANDS[*i]);
            if let (true, Some(cmd)) = (about_h > 0, chosen) {
                let (desc, _) = about(cmd);
                let w = inner.width as usize;
                let rule = ui.glyphs.border.horizontal_top.repeat(w);
                let mut text = vec![Line::styled(rule, ui.theme.border)];
                text.extend(
                    wrap(&desc, w.saturating_sub(2))
                        .into_iter()
                        .take(about_h - 1)
                        .map(|s| Line::styled(s, ui.theme.dim)),
                );
                frame.render_widget(
                    Paragraph::new(text),
                    Rect::new(
                        inner.x,
                        inner.y + inner.height - about_h as u16,
                        inner.width,
                        about_h as u16,
                    ),
                );
            }
        }
        Overlay::Help(h) => {
            let r = centered(
                area,
                area.width.saturating_sub(4),
                area.height.saturating_sub(2),
            );
            clear_area(frame.buffer_mut(), r);
            let probe = format!(" {}: {} ", l.t("ヘルプ", "Help"), app.screen.title(l));
            let block = boxed(ui, probe);
            let inner = block.inner(r);
            frame.render_widget(block, r);
            let mut lines = Vec::new();
            let filter = crate::domain::text::search_key(h.filter());
            // Keys, title, then the description wrapped in what is left of the width.
            let (kw, tw) = (10, 20);
            let dw = (inner.width as usize).saturating_sub(kw + tw + 2).max(12);
            let indent = " ".repeat(kw + tw + 2);
            for ctx in app.screen_contexts() {
                let mut section = Vec::new();
                for (keys, command, _) in app.keymap.bindings_in(ctx) {
                    let Some(cmd) = commands::find(&command) else {
                        continue;
                    };
                    if !commands::listed(cmd, ctx, app.screen) {
                        continue;
                    }
                    let keys = display_sequence(&keys);
                    let (title, desc) = (cmd.title(l.is_ja()), cmd.desc(l.is_ja()));
                    if !filter.is_empty()
                        && !crate::domain::text::search_key(&format!(
                            "{keys} {title} {desc} {}",
                            cmd.id
                        ))
                        .contains(&filter)
                    {
                        continue;
                    }
                    let style = if (cmd.enabled)(app).is_ok() {
                        Style::default()
                    } else {
                        ui.theme.disabled
                    };
                    let head = format!(
                        "{} {} ",
                        fit(&keys, kw, ui.glyphs.ellipsis),
                        fit(title, tw, ui.glyphs.ellipsis)
                    );
                    for (i, part) in wrap(desc, dw.saturating_sub(2)).into_iter().enumerate() {
                        let lead = if i == 0 { head.as_str() } else { &indent };
                        section.push(Line::styled(format!("{lead}{part}"), style));
                    }
                }
                if !section.is_empty() {
                    lines.push(Line::styled(
                        crate::tui::help::section_title(ctx, l),
                        ui.theme.title,
                    ));
                    lines.extend(section);
                }
            }
            lines.push(Line::styled(
                format!(
                    "{}: {}",
                    l.t("表示幅", "ambiguous width"),
                    if width(ui.glyphs.mark_ok) == 2 {
                        l.t("全角（ASCII罫線）", "wide (ASCII borders)")
                    } else {
                        l.t("半角", "narrow")
                    }
                ),
                ui.theme.dim,
            ));
            let mut y = inner.y;
            if let Some(s) = &h.search {
                frame.render_widget(Paragraph::new("/"), Rect::new(inner.x, y, 1, 1));
                s.render(
                    frame,
                    Rect::new(inner.x + 1, y, inner.width.saturating_sub(1), 1),
                    true,
                );
                y += 1;
            }
            let body = Rect::new(
                inner.x,
                y,
                inner.width,
                inner.height.saturating_sub(y - inner.y),
            );
            let scroll = h.fit_scroll(lines.len(), body.height as usize);
            frame.render_widget(Paragraph::new(lines).scroll((scroll, 0)), body);
        }
        Overlay::Confirm { message, .. } => {
            // One line per sentence of the message, wrapped to the dialog's width.
            let w = (message.lines().map(width).max().unwrap_or(0) as u16 + 4)
                .clamp(40, area.width.max(1));
            let text_w = usize::from(w.saturating_sub(2)).max(1);
            let rows: usize = message
                .lines()
                .map(|m| width(m).div_ceil(text_w).max(1))
                .sum();
            let r = centered(area, w, rows as u16 + 4);
            clear_area(frame.buffer_mut(), r);
            let block = boxed(ui, format!(" {} ", l.t("確認", "Confirm")));
            let inner = block.inner(r);
            frame.render_widget(block, r);
            let mut lines: Vec<Line> = message
                .lines()
                .map(|m| Line::raw(display(m).into_owned()))
                .collect();
            lines.push(Line::raw(""));
            lines.push(Line::styled(
                l.t("Enter/y: はい   Esc/n: いいえ", "Enter/y: yes   Esc/n: no"),
                ui.theme.footer_key,
            ));
            frame.render_widget(
                Paragraph::new(lines).wrap(ratatui::widgets::Wrap { trim: false }),
                inner,
            );
        }
        Overlay::Menu(m) => {
            let h = (m.items.len() as u16 + 2).min(area.height.saturating_sub(2));
            let r = centered(area, 60, h);
            clear_area(frame.buffer_mut(), r);
            let block = boxed(ui, format!(" {} ", m.title));
            let inner = block.inner(r);
            frame.render_widget(block, r);
            let rows = inner.height as usize;
            let start = m.selected.saturating_sub(rows.saturating_sub(1));
            let lines: Vec<Line<'static>> = m
                .items
                .iter()
                .enumerate()
                .skip(start)
                .take(rows)
                .map(|(i, (label, _))| {
                    let marker = if i == m.selected {
                        ui.glyphs.cursor
                    } else {
                        " "
                    };
                    let style = if i == m.selected {
                        ui.theme.selected
                    } else {
                        Style::default()
                    };
                    Line::styled(
                        format!(
                            "{} {label}",
                            fit(marker, width(ui.glyphs.cursor).max(1), "")
                        ),
                        style,
                    )
                })
                .collect();
            frame.render_widget(Paragraph::new(display_lines(lines)), inner);
        }
    }
}
