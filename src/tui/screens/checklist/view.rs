//! Drawing the checklist. 外部結合に係る個人情報保護対策チェックリスト: per connection and side, when it was last
//! audited, whether an audit is overdue (yearly), and the open gaps.

use crate::domain::view::ConnectionStatus;
use crate::tui::screens::cases::CaseList;
use crate::tui::ui::Ui;
use crate::tui::widgets::text::{fit, width};
use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// An audit older than this is overdue (the committee reviews yearly).
pub const AUDIT_INTERVAL_DAYS: i64 = 365;

pub fn render(
    frame: &mut Frame<'_>,
    area: Rect,
    list: &CaseList<ConnectionStatus>,
    today: NaiveDate,
    ui: &Ui,
) {
    let l = ui.lang;
    let gw = width(ui.glyphs.cursor).max(1) + 1;
    let name_w = 26;
    let side_w = 16;
    let mut lines = vec![Line::styled(
        format!(
            "{}{} {} {} {} {}",
            " ".repeat(gw),
            fit(l.t("結合先", "Connection"), name_w, ""),
            fit(l.t("区分", "Side"), side_w, ""),
            fit(l.t("最終点検", "Last audit"), 12, ""),
            fit(l.t("未対応", "Gaps"), 6, ""),
            l.t("状況", "State"),
        ),
        ui.theme.title,
    )];
    for (i, r) in list.rows.iter().enumerate() {
        let side = match (r.side.as_str(), l.is_ja()) {
            ("ward", true) => "区が行う",
            ("ward", false) => "Ward",
            (_, true) => "結合先に行わせる",
            (_, false) => "Partner",
        };
        let signed = r
            .last_signed_at
            .as_deref()
            .and_then(|s| s.get(..10))
            .and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok());
        let overdue = signed.is_none_or(|d| (today - d).num_days() > AUDIT_INTERVAL_DAYS);
        let mut state = Vec::new();
        if overdue {
            state.push(Span::styled(
                l.t("点検期限超過 ", "audit overdue "),
                ui.theme.error,
            ));
        }
        if r.gaps > 0 {
            state.push(Span::styled(
                format!("{}{} ", ui.glyphs.mark_gap, l.t("要改善", " gaps open")),
                ui.theme.warning,
            ));
        }
        if r.in_progress {
            state.push(Span::styled(l.t("点検中", "audit open"), ui.theme.dim));
        }
        if state.is_empty() {
            state.push(Span::styled(
                format!("{} {}", ui.glyphs.mark_ok, l.t("良好", "ok")),
                ui.theme.ok,
            ));
        }
        let name = if l.is_ja() { &r.name_ja } else { &r.name_en };
        let mut spans = vec![
            Span::styled(
                if i == list.selected {
                    format!("{} ", ui.glyphs.cursor)
                } else {
                    " ".repeat(gw)
                },
                ui.theme.cursor_marker,
            ),
            Span::raw(format!(
                "{} {} {} {} ",
                fit(name, name_w, ui.glyphs.ellipsis),
                fit(side, side_w, ""),
                fit(&signed_text(l, signed), 12, ""),
                fit(&r.gaps.to_string(), 6, "")
            )),
        ];
        spans.extend(state);
        lines.push(Line::from(spans));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        l.t(
            "点検の記録（〇/ー/未対応の入力と署名）はこの版ではまだ使えません",
            "Recording audits (marks and sign-off) is not available in this build yet",
        ),
        ui.theme.dim,
    ));
    frame.render_widget(Paragraph::new(lines), area);
}

/// 和暦 in Japanese like every other screen, ISO dates in English.
fn signed_text(l: crate::tui::i18n::Lang, d: Option<NaiveDate>) -> String {
    match d {
        Some(d) if l.is_ja() => crate::domain::wareki::format_short(d),
        Some(d) => d.format("%Y-%m-%d").to_string(),
        None => "-".into(),
    }
}
