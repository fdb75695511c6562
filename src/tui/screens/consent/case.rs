//! Drawing one consent case: where it is, the counterpart and facility, the insured
//! person (masked until revealed), the linked application's gate, checks, history and
//! letters.

use crate::domain::consent::Direction;
use crate::query::consent::ConsentCase;
use crate::tui::screens::cases::date;
use crate::tui::shell::Shell;
use crate::tui::widgets::text::fit;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// The width of the labels on the left ("Application" in English).
fn label_width(ja: bool) -> usize {
    if ja { 10 } else { 12 }
}

fn pick(ja: bool, pair: &(String, String)) -> String {
    if ja { pair.0.clone() } else { pair.1.clone() }
}

pub fn render(frame: &mut Frame<'_>, area: Rect, c: &ConsentCase, sh: &Shell) {
    let ui = &sh.ui;
    let l = ui.lang;
    let ja = l.is_ja();
    let d = &c.view.detail;
    let r = &d.row;
    let lw = label_width(ja);
    let label = |s: &str| Span::styled(fit(s, lw, ""), ui.theme.title);
    let status = if ja {
        r.status.label_ja()
    } else {
        r.status.label_en()
    };
    let dir = if ja {
        r.direction.label_ja()
    } else {
        r.direction.label_en()
    };
    let mut lines = vec![
        Line::from(vec![
            Span::styled(
                format!("{dir} › {} ", r.municipality_name),
                ui.theme.header_accent,
            ),
            Span::styled(format!("[{status}]"), ui.theme.selected),
            Span::styled(
                l.t("  Esc: 一覧へ戻る", "  Esc: back to the list"),
                ui.theme.dim,
            ),
        ]),
        Line::from(vec![
            label(l.t("相手先", "With")),
            Span::raw(format!(
                "{} ({})  {} {}",
                r.municipality_name,
                r.municipality_code,
                l.t("文書番号", "Doc no."),
                if r.document_ref.is_empty() {
                    "-"
                } else {
                    &r.document_ref
                }
            )),
        ]),
        Line::from(vec![
            label(l.t("事業所", "Facility")),
            Span::raw(format!(
                "{} {}  {} {}",
                r.provider_number,
                r.facility_name,
                l.t("サービス", "service"),
                r.service_code
            )),
        ]),
        Line::from(vec![
            label(l.t("日付", "Dates")),
            Span::raw(format!(
                "{} {}  {} {}  {} {}",
                l.t("依頼", "asked"),
                date(ui, r.requested_on),
                l.t("督促", "remind"),
                date(ui, r.due_on),
                l.t("回答", "answered"),
                date(ui, r.answered_on)
            )),
        ]),
    ];
    lines.extend(person(c, sh));
    lines.extend(gate(c, sh));
    if !d.answer_reason.is_empty() {
        lines.push(Line::from(vec![
            label(l.t("理由", "Reason")),
            Span::raw(d.answer_reason.clone()),
        ]));
    }
    if let Some(d) = &c.designation {
        let svc = &r.service_code;
        let text = match d {
            Some((from, to, status)) => {
                let st = match status.as_str() {
                    "active" => l.t("有効", "active"),
                    "suspended" => l.t("休止", "suspended"),
                    "closed" => l.t("廃止", "closed"),
                    other => other,
                };
                format!(
                    "{} {svc}  {}〜{}  {st}",
                    l.t("サービス", "service"),
                    date(ui, Some(*from)),
                    date(ui, Some(*to))
                )
            }
            None => format!("{} {svc}", l.t("指定なし: サービス", "none for service")),
        };
        lines.push(Line::from(vec![
            label(l.t("指定", "Designation")),
            Span::raw(text),
        ]));
    }
    for check in &c.checks {
        lines.push(Line::from(vec![
            label(l.t("確認", "Check")),
            Span::styled(pick(ja, check), ui.theme.warning),
        ]));
    }
    lines.push(Line::styled(l.t("履歴", "History"), ui.theme.title));
    for e in d.events.iter().rev().take(4) {
        let to = if ja {
            e.to_status.label_ja()
        } else {
            e.to_status.label_en()
        };
        let at: String = e.at.chars().take(10).collect();
        let why = if e.reason.is_empty() {
            String::new()
        } else {
            format!("  {}", e.reason)
        };
        lines.push(Line::raw(format!("  {at} {to} {}{why}", e.actor)));
    }
    lines.push(Line::styled(l.t("文書", "Letters"), ui.theme.title));
    if d.documents.is_empty() {
        lines.push(Line::styled(l.t("  なし", "  none"), ui.theme.dim));
    }
    for doc in d.documents.iter().rev().take(3) {
        let kind = if ja {
            doc.kind.label_ja()
        } else {
            doc.kind.label_en()
        };
        lines.push(Line::raw(format!("  {kind}  {}", doc.text_path)));
    }
    frame.render_widget(Paragraph::new(lines), area);
}

/// Two lines: name, 被保険者番号, birth and care level — masked unless revealed now.
fn person(c: &ConsentCase, sh: &Shell) -> Vec<Line<'static>> {
    let ui = &sh.ui;
    let l = ui.lang;
    let p = &c.view.person;
    let id = c.view.detail.row.id.to_string();
    let shown = p.revealed && sh.is_revealed("consent", &id);
    let style = if shown {
        Style::default()
    } else {
        ui.theme.masked
    };
    let name = if shown {
        p.name.clone()
    } else {
        crate::domain::mask::name(&p.name)
    };
    let hidden = || crate::domain::mask::MASK.to_string().repeat(3);
    let number = if shown || !p.revealed {
        p.insured_number.clone()
    } else {
        hidden()
    };
    let dob = if shown || !p.revealed {
        p.dob.clone()
    } else {
        hidden()
    };
    let hint = if shown {
        l.t("（表示中・記録済み）", " (shown, logged)")
    } else {
        l.t("（r: 理由を記録して表示）", " (r: reveal with a reason)")
    };
    vec![
        Line::from(vec![
            Span::styled(
                fit(l.t("被保険者", "Insured"), label_width(l.is_ja()), ""),
                ui.theme.title,
            ),
            Span::styled(name, style),
            Span::raw("  "),
            Span::styled(format!("{} {number}", l.t("番号", "No.")), style),
            Span::styled(hint, ui.theme.dim),
        ]),
        Line::from(vec![
            Span::raw(" ".repeat(label_width(l.is_ja()))),
            Span::styled(format!("{} {dob}", l.t("生年月日", "Born")), style),
            Span::raw(format!(
                "  {} {}",
                l.t("要介護度", "Care level"),
                crate::domain::consent::care_level_label(&p.care_level, l.is_ja())
            )),
        ]),
    ]
}

/// The linked application and whether it can be decided now.
fn gate(c: &ConsentCase, sh: &Shell) -> Vec<Line<'static>> {
    let ui = &sh.ui;
    let l = ui.lang;
    let lw = label_width(l.is_ja());
    let head = Span::styled(fit(l.t("申請", "Application"), lw, ""), ui.theme.title);
    let app = c.view.detail.application.as_ref();
    let what = app.map(|a| {
        let status = if l.is_ja() {
            a.status.label_ja()
        } else {
            a.status.label_en()
        };
        format!("{} {} ({status})  ", a.provider_number, a.applicant_name)
    });
    let pad = || Span::raw(" ".repeat(lw));
    match (&c.gate, what) {
        (Some(Ok(())), Some(what)) => vec![
            Line::from(vec![head, Span::raw(what)]),
            Line::from(vec![
                pad(),
                Span::styled(
                    l.t(
                        "同意の条件を満たし、決定できます",
                        "consent in place: it can be decided",
                    ),
                    ui.theme.ok,
                ),
            ]),
        ],
        (Some(Err(why)), Some(what)) => vec![
            Line::from(vec![head, Span::raw(what)]),
            Line::from(vec![
                pad(),
                Span::styled(
                    format!(
                        "{} {}",
                        l.t("決定できません:", "cannot be decided:"),
                        why.first().map(|w| pick(l.is_ja(), w)).unwrap_or_default()
                    ),
                    ui.theme.warning,
                ),
            ]),
        ],
        _ if c.view.detail.row.direction == Direction::Incoming => vec![Line::from(vec![
            head,
            Span::styled(
                l.t(
                    "他の自治体の申請（当区の申請なし）",
                    "the other municipality's",
                ),
                ui.theme.dim,
            ),
        ])],
        _ => vec![Line::from(vec![
            head,
            Span::styled(
                l.t("紐づく申請はありません", "no linked application"),
                ui.theme.dim,
            ),
        ])],
    }
}
