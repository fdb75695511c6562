//! The detail's 運営推進会議 and 変更履歴 tabs with the upkeep data (issue 13): each
//! meeting duty with its next due date (red when overdue), the meetings held, and the
//! history with values grouped by change, older value-less audit records below.

use crate::domain::history::{Cause, HistoryLine, format_at};
use crate::domain::meeting::MeetingKind;
use crate::domain::view::Record;
use crate::domain::wareki;
use crate::query::upkeep::Upkeep;
use crate::tui::i18n::Lang;
use crate::tui::ui::Ui;
use crate::tui::widgets::text::fit;
use chrono::{FixedOffset, NaiveDate};
use ratatui::style::Style;
use ratatui::text::{Line, Span};

fn date(lang: Lang, d: Option<NaiveDate>) -> String {
    match d {
        Some(d) if lang.is_ja() => wareki::format_long(d),
        Some(d) => d.format("%Y-%m-%d").to_string(),
        None => "-".into(),
    }
}

fn kind_label(lang: Lang, k: MeetingKind) -> &'static str {
    if lang.is_ja() {
        k.label_ja()
    } else {
        k.label_en()
    }
}

/// Each meeting duty: kind, interval, last held, next due; overdue ones in red.
pub fn duties(ui: &Ui, u: &Upkeep, today: NaiveDate) -> Vec<Line<'static>> {
    let l = ui.lang;
    if u.duties.is_empty() {
        return vec![Line::styled(
            l.t(
                "この事業所のサービスには会議の開催義務がありません",
                "this facility's services hold no meetings",
            ),
            ui.theme.dim,
        )];
    }
    let mut out = Vec::new();
    for d in &u.duties {
        let overdue = d.is_overdue(today);
        let style = if overdue {
            ui.theme.error
        } else {
            Style::default()
        };
        out.push(Line::from(vec![
            Span::styled(kind_label(l, d.kind).to_string(), ui.theme.title),
            Span::styled(
                format!(
                    "  {}{}{}",
                    l.t("", "every "),
                    d.interval_months,
                    l.t("か月ごと", " months")
                ),
                ui.theme.dim,
            ),
        ]));
        out.push(Line::raw(format!(
            "  {} {}",
            fit(l.t("前回開催", "Last held"), 10, ""),
            date(l, d.last_held)
        )));
        let mut due = format!(
            "  {} {}",
            fit(l.t("次回期限", "Next due"), 10, ""),
            date(l, d.next_due)
        );
        if overdue {
            due.push_str(l.t("  期限超過", "  OVERDUE"));
        }
        out.push(Line::styled(due, style));
    }
    out
}

/// The meetings held, newest first: date, kind, attendees, minutes received.
pub fn meetings(ui: &Ui, u: &Upkeep, sel: Option<usize>) -> Vec<Line<'static>> {
    let l = ui.lang;
    let mut out = vec![Line::styled(
        l.t("開催記録（新しい順）", "Meetings held (newest first)"),
        ui.theme.title,
    )];
    if u.meetings.is_empty() {
        out.push(Line::styled(
            l.t(
                "  記録はありません（m: 開催を記録）",
                "  none recorded (m: record a meeting)",
            ),
            ui.theme.dim,
        ));
    }
    for (i, m) in u.meetings.iter().enumerate() {
        let f = &m.fields;
        let held = NaiveDate::parse_from_str(&f.held_on, "%Y-%m-%d").ok();
        let kind = match MeetingKind::from_label(&f.kind) {
            Some(MeetingKind::Promotion) if !l.is_ja() => "promotion",
            Some(MeetingKind::MedicalLiaison) if !l.is_ja() => "liaison",
            Some(k) => k.label_ja(),
            None => f.kind.as_str(),
        };
        let attendees = if f.attendees.is_empty() {
            String::new()
        } else {
            format!(
                " {}{}{}",
                l.t("出席", ""),
                f.attendees,
                l.t("人", " attended")
            )
        };
        let received = NaiveDate::parse_from_str(&f.minutes_received_on, "%Y-%m-%d").ok();
        let minutes = match received {
            Some(d) => format!(" {} {}", l.t("議事録受領", "minutes"), date(l, Some(d))),
            None => format!(" {}", l.t("議事録未受領", "no minutes yet")),
        };
        let on = sel == Some(i);
        let marker = fit(if on { ui.glyphs.cursor } else { " " }, 2, "");
        let text = format!("{marker}{} {kind}{attendees}{minutes}", date(l, held));
        out.push(if on {
            Line::styled(text, ui.theme.selected)
        } else {
            Line::raw(text)
        });
    }
    out
}

/// The history with values, one heading per change (when, who, cause) and one line per
/// field; then the older audit records, which kept field names only.
pub fn history(ui: &Ui, u: &Upkeep, older: &[Record], offset: FixedOffset) -> Vec<Line<'static>> {
    let l = ui.lang;
    let ja = l.is_ja();
    let mut out = Vec::new();
    let mut last: Option<(&str, &str, &Cause)> = None;
    for h in &u.history {
        let key = (h.at.as_str(), h.actor.as_str(), &h.cause);
        if last != Some(key) {
            out.push(heading(ui, h, offset));
            last = Some(key);
        }
        out.push(change_line(ui, h));
    }
    if u.history.is_empty() {
        out.push(Line::styled(
            l.t(
                "値つきの変更履歴はありません",
                "No changes with values recorded",
            ),
            ui.theme.dim,
        ));
    }
    // Audit records from before values were kept (their changes are not in the list).
    let since = u.history.last().map(|h| h.at.as_str());
    let older: Vec<&Record> = older
        .iter()
        .filter(|r| since.is_none_or(|s| r.at.as_str() < s))
        .collect();
    if !older.is_empty() {
        out.push(Line::styled(
            l.t(
                "以前の記録（項目名のみ・値は記録されていません）",
                "Earlier records (field names only; values were not kept)",
            ),
            ui.theme.title,
        ));
    }
    for r in older {
        let fields: Vec<String> = r
            .entry
            .fields
            .iter()
            .map(|f| {
                let (j, e) = crate::domain::validate::label(f);
                if ja { j } else { e }.to_string()
            })
            .collect();
        let action = crate::domain::history::command_label(&r.entry.action)
            .map_or(r.entry.action.clone(), |(j, e)| {
                if ja { j } else { e }.into()
            });
        out.push(Line::styled(
            format!(
                "  {} {} {action}: {}",
                format_at(&r.at, offset, ja),
                r.entry.actor,
                fields.join(l.t("・", ", "))
            ),
            ui.theme.dim,
        ));
    }
    out
}

fn heading(ui: &Ui, h: &HistoryLine, offset: FixedOffset) -> Line<'static> {
    let ja = ui.lang.is_ja();
    Line::from(vec![
        Span::styled(
            format!("{} {}", format_at(&h.at, offset, ja), h.actor_name),
            ui.theme.title,
        ),
        Span::styled(format!(" [{}]", h.cause.label(ja)), ui.theme.dim),
    ])
}

fn change_line(ui: &Ui, h: &HistoryLine) -> Line<'static> {
    let ja = ui.lang.is_ja();
    let value = Span::raw(h.change(ja));
    let value = if h.masked {
        value.style(ui.theme.masked)
    } else {
        value
    };
    Line::from(vec![
        Span::styled(format!("  {}: ", h.label(ja)), ui.theme.dim),
        value,
    ])
}
