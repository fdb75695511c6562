//! 運営指導 in the facility detail (issue 13), under the designations: the interval, the
//! last held and next due date (red when past), then each record, newest first — a plan
//! (planned date) or a result (date held, findings, 改善報告 due and received).

use crate::domain::guidance::Guidance;
use crate::domain::wareki;
use crate::query::upkeep::Upkeep;
use crate::tui::i18n::Lang;
use crate::tui::ui::Ui;
use crate::tui::widgets::text::fit;
use chrono::NaiveDate;
use ratatui::style::Style;
use ratatui::text::Line;

fn date(lang: Lang, d: Option<NaiveDate>) -> String {
    match d {
        Some(d) if lang.is_ja() => wareki::format_long(d),
        Some(d) => d.format("%Y-%m-%d").to_string(),
        None => "-".into(),
    }
}

fn iso(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

/// One record as a line: plan or result, and where its 改善報告 stands.
fn record(l: Lang, g: &Guidance, today: NaiveDate) -> (String, bool) {
    let f = &g.fields;
    let mut text = match (iso(&f.held_on), iso(&f.planned_on)) {
        (Some(h), _) => format!("{} {}", date(l, Some(h)), l.t("実施", "held")),
        (None, p) => format!("{} {}", date(l, p), l.t("予定", "planned")),
    };
    if !f.findings.is_empty() {
        text.push_str(&format!(" {}{}", l.t("指摘:", "findings: "), f.findings));
    }
    let due = iso(&f.improvement_due_on);
    let received = iso(&f.improvement_received_on);
    let late = received.is_none() && due.is_some_and(|d| d < today);
    match (due, received) {
        (_, Some(r)) => text.push_str(&format!(
            " {} {}",
            l.t("改善報告受領", "report received"),
            date(l, Some(r))
        )),
        (Some(d), None) => text.push_str(&format!(
            " {} {}",
            l.t("改善報告期限", "report due"),
            date(l, Some(d))
        )),
        _ => {}
    }
    (text, late)
}

pub fn section(ui: &Ui, u: &Upkeep, sel: usize, today: NaiveDate) -> Vec<Line<'static>> {
    let l = ui.lang;
    let g = &u.guidance;
    let mut out = vec![Line::styled(
        match g.interval_months {
            Some(m) => format!(
                "{}  {}{m}{}",
                l.t("運営指導", "運営指導 (guidance)"),
                l.t("", "every "),
                l.t("か月ごと", " months")
            ),
            None => l.t("運営指導", "運営指導 (guidance)").to_string(),
        },
        ui.theme.title,
    )];
    out.push(Line::raw(format!(
        "  {} {}",
        fit(l.t("前回実施", "Last held"), 10, ""),
        date(l, g.last_held)
    )));
    let overdue = g.next_due.is_some_and(|d| d < today);
    out.push(Line::styled(
        format!(
            "  {} {}{}",
            fit(l.t("次回期限", "Next due"), 10, ""),
            date(l, g.next_due),
            if overdue {
                l.t("  期限超過", "  OVERDUE")
            } else {
                ""
            }
        ),
        if overdue {
            ui.theme.error
        } else {
            Style::default()
        },
    ));
    for (i, r) in g.records.iter().enumerate() {
        let (text, late) = record(l, r, today);
        let on = i == sel;
        let marker = fit(if on { ui.glyphs.cursor } else { " " }, 2, "");
        let style = match (on, late) {
            (true, _) => ui.theme.selected,
            (false, true) => ui.theme.error,
            _ => Style::default(),
        };
        out.push(Line::styled(format!("{marker}{text}"), style));
    }
    if g.records.is_empty() {
        out.push(Line::styled(
            l.t(
                "  記録はありません（n: 記録・予定を追加）",
                "  none recorded (n: record or plan)",
            ),
            ui.theme.dim,
        ));
    }
    out
}
