//! Drawing one case (Enter in the inbox): the header with both deadlines and the
//! assignee, what the case changes (the 変更届出 diff, or what deciding would write),
//! documents, findings, history, notes and letters. Personal values stay masked until
//! revealed (r, with a reason).

use crate::domain::decision::field_label;
use crate::domain::inbox::CaseDetail;
use crate::domain::payload::is_personal_field;
use crate::tui::screens::cases::date;
use crate::tui::shell::Shell;
use crate::tui::ui::Ui;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

fn section(ui: &Ui, title: &str) -> Line<'static> {
    Line::styled(format!("{} {title}", ui.glyphs.bullet), ui.theme.title)
}

fn header(c: &CaseDetail, sh: &Shell) -> Vec<Line<'static>> {
    let (ui, l) = (&sh.ui, sh.lang());
    let r = &c.row;
    let pick = |ja: &'static str, en: &'static str| if l.is_ja() { ja } else { en };
    let none = l.t("なし", "none");
    let mut deadlines = vec![
        Span::raw(format!(
            "{} {}  {} {}",
            l.t("受付", "Received"),
            date(ui, r.received_on),
            l.t("届出期限", "Filing due"),
            date(ui, r.filing_due_on),
        )),
        Span::styled(
            if r.filed_late {
                l.t("(遅延)", "(late)").to_string()
            } else {
                String::new()
            },
            ui.theme.warning,
        ),
        Span::raw(format!("  {} ", l.t("処理期限", "Process by"))),
        Span::styled(
            date(ui, r.process_due_on),
            if r.overdue {
                ui.theme.error
            } else {
                ui.theme.selected
            },
        ),
    ];
    if r.overdue {
        deadlines.push(Span::styled(
            l.t(" 超過", " overdue").to_string(),
            ui.theme.error,
        ));
    }
    vec![
        Line::styled(
            format!(
                "{} {}  {}  [{}]  {}",
                l.t("案件", "Case"),
                r.id,
                pick(r.kind.label_ja(), r.kind.label_en()),
                pick(r.status.label_ja(), r.status.label_en()),
                pick(r.source.label_ja(), r.source.label_en()),
            ),
            ui.theme.title,
        ),
        Line::raw(format!("{} {}", r.provider_number, r.facility_name)),
        Line::raw(format!(
            "{} {}",
            l.t("申請者", "Applicant"),
            r.applicant_name
        )),
        Line::from(deadlines),
        Line::raw(format!(
            "{} {}  {} {}",
            l.t("担当", "Assignee"),
            r.assignee.as_deref().unwrap_or(none),
            l.t("受付入力", "Keyed by"),
            r.keyed_by,
        )),
    ]
}

/// A value shown in full only when revealed (personal fields of the facility).
fn shown(value: &str, personal: bool, revealed: bool) -> String {
    if personal && !revealed {
        crate::domain::mask::tail(value, 0)
    } else {
        value.to_string()
    }
}

fn changes(c: &CaseDetail, sh: &Shell, revealed: bool) -> Vec<Line<'static>> {
    let (ui, l) = (&sh.ui, sh.lang());
    let ja = l.is_ja();
    let mut out = Vec::new();
    if !c.diff.is_empty() {
        out.push(section(
            ui,
            l.t(
                "変更内容（台帳の現在値 -> 届出の値）",
                "Changes (ledger now -> requested)",
            ),
        ));
        for d in &c.diff {
            let p = is_personal_field(&d.field);
            out.push(Line::raw(format!(
                "  {}: {} -> {}",
                field_label(&d.field, ja),
                shown(&d.current, p, revealed),
                shown(&d.requested, p, revealed),
            )));
            if d.current != d.at_intake {
                out.push(Line::styled(
                    format!(
                        "    {} {}",
                        l.t(
                            "受付後に台帳が変わりました。受付時:",
                            "the ledger changed after intake; at intake:"
                        ),
                        shown(&d.at_intake, p, revealed)
                    ),
                    ui.theme.warning,
                ));
            }
        }
    }
    use crate::domain::application::ApplicationStatus as S;
    // A decided case already changed the ledger; a closed one never will.
    let done = match c.row.status {
        S::Decided | S::Notified => Some(l.t(
            "決定により台帳へ反映済みです（事業所の変更履歴で確認できます）",
            "The decision already changed the ledger (see the facility's history)",
        )),
        S::Withdrawn | S::Rejected => Some(l.t(
            "この申請は終わっています。台帳は変わりません",
            "This case is closed; the ledger does not change",
        )),
        _ => None,
    };
    if let Some(text) = done {
        out.push(section(ui, l.t("台帳への反映", "The ledger")));
        out.push(Line::raw(format!("  {text}")));
        return out;
    }
    out.push(section(
        ui,
        l.t(
            "決定すると台帳は次のように変わります",
            "Deciding changes the ledger as follows",
        ),
    ));
    match &c.preview {
        Ok(list) if list.is_empty() => {
            out.push(Line::raw(format!("  {}", l.t("変更なし", "no change"))))
        }
        Ok(list) => out.extend(list.iter().map(|p| {
            let (old, new) = (
                p.old.as_deref().unwrap_or("-"),
                p.new.as_deref().unwrap_or("-"),
            );
            let (old, new) = (
                crate::domain::payload::value_label(&p.field, old, ja),
                crate::domain::payload::value_label(&p.field, new, ja),
            );
            Line::raw(format!(
                "  {}: {} -> {}",
                field_label(&p.field, ja),
                shown(&old, p.personal, revealed),
                shown(&new, p.personal, revealed)
            ))
        })),
        Err(blockers) => out.extend(blockers.iter().map(|b| {
            Line::styled(
                format!(
                    "  {} {}",
                    l.t("決定できません:", "cannot decide:"),
                    b.message(ja)
                ),
                ui.theme.error,
            )
        })),
    }
    if let Some(n) = &c.proposed_provider_number {
        out.push(Line::raw(format!(
            "  {} {n}",
            l.t("付番する事業所番号:", "Provider number to assign:")
        )));
    }
    out
}

fn records(c: &CaseDetail, sh: &Shell) -> Vec<Line<'static>> {
    let (ui, l) = (&sh.ui, sh.lang());
    let ja = l.is_ja();
    let mut out = vec![section(ui, l.t("必要書類", "Required documents"))];
    for d in &c.documents {
        let name = if ja {
            d.document.name_ja
        } else {
            d.document.name_en
        };
        out.push(match d.received_on {
            Some(on) => Line::raw(format!(
                "  {} {name} ({})",
                ui.glyphs.check_on,
                date(ui, Some(on))
            )),
            None => Line::styled(
                format!(
                    "  {} {name} {}",
                    ui.glyphs.check_off,
                    l.t("未着", "missing")
                ),
                ui.theme.warning,
            ),
        });
    }
    out.push(section(ui, l.t("確認事項", "Findings")));
    if c.findings.is_empty() {
        out.push(Line::raw(format!("  {}", l.t("なし", "none"))));
    }
    out.extend(
        c.findings
            .iter()
            .map(|f| Line::styled(format!("  {}", f.message(ja)), ui.theme.warning)),
    );
    out.push(section(ui, l.t("経過", "History")));
    for e in &c.events {
        let to = if ja { e.to.label_ja() } else { e.to.label_en() };
        let reason = if e.reason.is_empty() {
            String::new()
        } else {
            format!(" 「{}」", e.reason)
        };
        out.push(Line::raw(format!(
            "  {} {} {to}{reason}",
            short_time(&e.at),
            e.actor
        )));
    }
    out.push(section(ui, l.t("メモ", "Notes")));
    if c.notes.is_empty() {
        out.push(Line::raw(format!("  {}", l.t("なし", "none"))));
    }
    out.extend(
        c.notes
            .iter()
            .map(|n| Line::raw(format!("  {} {} {}", short_time(&n.at), n.actor, n.body))),
    );
    if !c.letters.is_empty() {
        out.push(section(ui, l.t("通知書", "Letters")));
        out.extend(c.letters.iter().map(|x| {
            Line::raw(format!(
                "  {} {} {} {}",
                short_time(&x.at),
                x.actor,
                super::work::handlers::letter_label(&x.kind, l),
                x.html_path
            ))
        }));
    }
    out
}

/// "2026-11-20T01:02:03Z" → "2026-11-20 10:02" in the local time zone (as the ledger's
/// history shows times), stored text when it is not a timestamp.
fn short_time(at: &str) -> String {
    local_time(at, *chrono::Local::now().offset())
}

fn local_time(at: &str, offset: chrono::FixedOffset) -> String {
    match chrono::DateTime::parse_from_rfc3339(at) {
        Ok(t) => t
            .with_timezone(&offset)
            .format("%Y-%m-%d %H:%M")
            .to_string(),
        Err(_) => at.get(..16).unwrap_or(at).replace('T', " "),
    }
}

/// Draws the case scrolled to `scroll`; returns the scroll clamped to the content.
pub fn render(
    frame: &mut Frame<'_>,
    area: Rect,
    c: &CaseDetail,
    scroll: usize,
    sh: &Shell,
) -> usize {
    let revealed = c
        .row
        .facility_id
        .is_some_and(|id| sh.is_revealed("facility", &id.to_string()));
    let mut lines = header(c, sh);
    lines.extend(changes(c, sh, revealed));
    lines.extend(records(c, sh));
    let height = area.height as usize;
    let scroll = scroll.min(lines.len().saturating_sub(height));
    let visible: Vec<Line<'static>> = lines.into_iter().skip(scroll).take(height).collect();
    // Long lines wrap rather than cut a wide character at the edge.
    frame.render_widget(Paragraph::new(visible).wrap(Wrap { trim: false }), area);
    scroll
}

#[cfg(test)]
mod tests {
    /// Stored UTC times are shown in the office's time zone (JST is 9 hours ahead).
    #[test]
    fn event_times_are_local() {
        let jst = chrono::FixedOffset::east_opt(9 * 3600).unwrap();
        assert_eq!(
            super::local_time("2026-11-20T16:02:03Z", jst),
            "2026-11-21 01:02"
        );
        assert_eq!(
            super::local_time("2026-11-20 16:02", jst),
            "2026-11-20 16:02"
        );
    }
}
