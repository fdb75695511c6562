//! The facility detail view: one tab per kind of record. Staff and insured-person
//! personal fields are masked here (DESIGN.md §3); revealing them is a logged action.

use super::LedgerScreen;
use crate::domain::{mask, wareki};
use crate::query::FacilityDetail;
use crate::tui::i18n::Lang;
use crate::tui::ui::Ui;
use crate::tui::widgets::text::{fit, fit_right};
use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub const TAB_COUNT: usize = 7;

pub fn tab_title(lang: Lang, i: usize) -> &'static str {
    match i {
        0 => lang.t("基本情報", "Basic"),
        1 => lang.t("指定", "Designations"),
        2 => lang.t("法人", "Corporation"),
        3 => lang.t("従事者", "Staff"),
        4 => lang.t("運営推進会議", "Council"),
        5 => lang.t("変更履歴", "History"),
        _ => lang.t("関連案件", "Cases"),
    }
}

fn date(lang: Lang, d: Option<NaiveDate>) -> String {
    match d {
        Some(d) if lang.is_ja() => wareki::format_long(d),
        Some(d) => d.format("%Y-%m-%d").to_string(),
        None => "-".into(),
    }
}

fn field(ui: &Ui, label: &str, value: impl Into<String>) -> Line<'static> {
    Line::from(vec![
        Span::styled(fit(label, 16, ""), ui.theme.dim),
        Span::raw(value.into()),
    ])
}

fn masked(ui: &Ui, label: &str, value: String) -> Line<'static> {
    Line::from(vec![
        Span::styled(fit(label, 16, ""), ui.theme.dim),
        Span::styled(value, ui.theme.masked),
    ])
}

fn basic(ui: &Ui, d: &FacilityDetail, pii: Pii) -> Vec<Line<'static>> {
    let l = ui.lang;
    let f = &d.facility.fields;
    let status = if l.is_ja() {
        d.facility.status.label_ja()
    } else {
        d.facility.status.label_en()
    };
    vec![
        field(
            ui,
            l.t("事業所番号", "Provider no."),
            f.provider_number.clone(),
        ),
        field(ui, l.t("事業所名", "Name"), f.name.clone()),
        field(ui, l.t("カナ", "Kana"), f.name_kana.clone()),
        field(ui, l.t("状態", "Status"), status),
        field(ui, l.t("郵便番号", "Postal code"), f.postal_code.clone()),
        field(ui, l.t("所在地", "Address"), f.address.clone()),
        field(ui, l.t("町名", "Town"), f.town.clone()),
        field(ui, l.t("電話番号", "Phone"), f.phone.clone()),
        field(ui, l.t("FAX番号", "Fax"), f.fax.clone()),
        field(ui, l.t("メール", "E-mail"), f.email.clone()),
        masked(ui, l.t("管理者", "Manager"), pii.name(&f.manager_name)),
        masked(
            ui,
            l.t("管理者住所", "Manager addr."),
            pii.address(&d.facility.manager_address),
        ),
        masked(
            ui,
            l.t("管理者生年月日", "Manager DOB"),
            d.facility.manager_dob.map_or("-".into(), |x| pii.dob(x)),
        ),
        field(
            ui,
            l.t("版", "Version"),
            format!(
                "{}  {} {}",
                d.facility.version,
                crate::tui::screens::cases::timestamp(ui, &d.facility.updated_at)
                    .unwrap_or_else(|| d.facility.updated_at.clone()),
                d.facility.updated_by
            ),
        ),
    ]
}

fn designations(ui: &Ui, s: &LedgerScreen, d: &FacilityDetail) -> Vec<Line<'static>> {
    let l = ui.lang;
    let mut out = vec![Line::styled(
        format!(
            "{} {} {} {} {}",
            fit(l.t("サービス種類", "Service"), 30, ""),
            fit(l.t("指定日", "Designated"), 16, ""),
            fit(l.t("有効期限", "Expires"), 16, ""),
            fit_right(l.t("定員", "Cap."), 4),
            l.t("残り", "Left")
        ),
        ui.theme.title,
    )];
    for x in &d.designations {
        let left = (x.expires_on - s.today).num_days();
        let style = if !x.active {
            ui.theme.dim
        } else if left < 0 {
            ui.theme.error
        } else if x.expires_on <= s.expiring_horizon() {
            ui.theme.warning
        } else {
            Style::default()
        };
        let left_text = if !x.active {
            l.t("終了", "ended").to_string()
        } else if left < 0 {
            l.t("期限切れ", "expired").to_string()
        } else {
            format!("{left}{}", l.t("日", " days"))
        };
        out.push(Line::from(vec![
            Span::raw(format!(
                "{} {} ",
                fit(
                    &format!("{} {}", x.service_code, x.service_name),
                    30,
                    ui.glyphs.ellipsis
                ),
                fit(&date(l, Some(x.designated_on)), 16, "")
            )),
            Span::styled(
                format!("{} ", fit(&date(l, Some(x.expires_on)), 16, "")),
                style,
            ),
            Span::raw(format!(
                "{} ",
                fit_right(&x.capacity.map_or("-".into(), |c| c.to_string()), 4)
            )),
            Span::styled(left_text, style),
        ]));
    }
    if d.designations.is_empty() {
        out.push(Line::styled(
            l.t("指定はありません", "No designations"),
            ui.theme.dim,
        ));
    }
    if let Some(u) = &s.upkeep {
        out.extend(super::guidance_view::section(ui, u, s.person_sel, s.today));
    }
    out
}

fn corporation(ui: &Ui, s: &LedgerScreen, d: &FacilityDetail, pii: Pii) -> Vec<Line<'static>> {
    let l = ui.lang;
    if let Some(c) = s.upkeep.as_ref().and_then(|u| {
        u.corporation
            .as_ref()
            .map(|c| super::people_view::shown(&c.fields, u.revealed, pii.show))
    }) {
        return super::people_view::corporation(ui, &c);
    }
    let Some(c) = &d.corporation else {
        return vec![Line::styled(
            l.t("法人情報なし", "No corporation"),
            ui.theme.dim,
        )];
    };
    vec![
        field(
            ui,
            l.t("法人番号", "Corporate no."),
            c.corporate_number.clone().unwrap_or_default(),
        ),
        field(ui, l.t("法人名", "Name"), c.name.clone()),
        field(ui, l.t("カナ", "Kana"), c.name_kana.clone()),
        masked(
            ui,
            l.t("代表者", "Representative"),
            pii.name(&c.representative_name),
        ),
        masked(
            ui,
            l.t("代表者住所", "Rep. address"),
            pii.address(&c.representative_address),
        ),
        masked(
            ui,
            l.t("代表者生年月日", "Rep. DOB"),
            c.representative_dob.map_or("-".into(), |x| pii.dob(x)),
        ),
    ]
}

fn staff(ui: &Ui, s: &LedgerScreen, d: &FacilityDetail, pii: Pii) -> Vec<Line<'static>> {
    let l = ui.lang;
    if let Some(u) = &s.upkeep {
        let mut out = super::people_view::staff(ui, u, s.person_sel, pii.show);
        out.push(pii_note(ui, pii));
        return out;
    }
    let mut out = vec![Line::styled(
        format!(
            "{} {} {} {}",
            fit(l.t("氏名", "Name"), 14, ""),
            fit(l.t("職種", "Role"), 16, ""),
            fit(l.t("生年月日", "DOB"), 11, ""),
            l.t("資格", "Qualification")
        ),
        ui.theme.title,
    )];
    for x in &d.staff {
        out.push(Line::from(vec![
            Span::styled(fit(&pii.name(&x.name), 14, ""), ui.theme.masked),
            Span::raw(format!(" {} ", fit(&x.job_title, 16, ""))),
            Span::styled(
                fit(&x.dob.map_or("-".into(), |b| pii.dob(b)), 11, ""),
                ui.theme.masked,
            ),
            Span::raw(format!(" {}", x.qualification)),
        ]));
    }
    out.push(pii_note(ui, pii));
    out
}

fn pii_note(ui: &Ui, pii: Pii) -> Line<'static> {
    let l = ui.lang;
    Line::styled(
        if pii.show {
            l.t(
                "個人情報を表示中（理由を記録済み・時間で自動的に伏せ字に戻ります）",
                "personal data shown (reason logged; masks again when the time is up)",
            )
        } else {
            l.t(
                "＊ 個人情報は伏せ字です（r: 理由を記録して表示）",
                "＊ personal data is masked (r: reveal with a logged reason)",
            )
        },
        ui.theme.dim,
    )
}

fn council(ui: &Ui, s: &LedgerScreen, d: &FacilityDetail, pii: Pii) -> Vec<Line<'static>> {
    let l = ui.lang;
    let mut out = vec![Line::styled(l.t("構成員", "Members"), ui.theme.title)];
    if let Some(u) = &s.upkeep {
        out.extend(super::people_view::council(ui, u, s.person_sel, pii.show));
        out.extend(super::upkeep_view::duties(ui, u, s.today));
        let sel = s.person_sel.checked_sub(u.council.len());
        out.extend(super::upkeep_view::meetings(ui, u, sel));
        return out;
    }
    for m in &d.council_members {
        out.push(Line::from(vec![
            Span::styled(fit(&pii.name(&m.name), 14, ""), ui.theme.masked),
            Span::raw(format!(" {} {}", m.affiliation, m.title)),
        ]));
    }
    if let Some(u) = &s.upkeep {
        out.extend(super::upkeep_view::duties(ui, u, s.today));
        out.extend(super::upkeep_view::meetings(ui, u, None));
        return out;
    }
    // The next due date stands on its own line before the meetings heading, so the
    // heading sits directly on its entries.
    if let Some(row) = &d.summary {
        let due = row.next_meeting_due;
        let style = if due.is_some_and(|x| x < s.today) {
            ui.theme.error
        } else {
            Style::default()
        };
        out.push(Line::styled(
            format!("{} {}", l.t("次回期限", "Next due"), date(l, due)),
            style,
        ));
    }
    out.push(Line::styled(
        l.t("開催履歴（新しい順）", "Meetings (newest first)"),
        ui.theme.title,
    ));
    for m in d.meetings.iter().take(24) {
        out.push(Line::raw(format!(
            "  {} {}",
            date(l, Some(m.held_on)),
            m.minutes_ref
        )));
    }
    out
}

fn history(ui: &Ui, s: &LedgerScreen, d: &FacilityDetail) -> Vec<Line<'static>> {
    let l = ui.lang;
    if let Some(u) = &s.upkeep {
        let offset = *chrono::Local::now().offset();
        return super::upkeep_view::history(ui, u, &d.history, offset);
    }
    if d.history.is_empty() {
        return vec![Line::styled(
            l.t("変更履歴はありません", "No changes recorded"),
            ui.theme.dim,
        )];
    }
    d.history
        .iter()
        .map(|r| {
            Line::raw(format!(
                "{} {} {} {}",
                r.at.replace('T', " ").trim_end_matches('Z'),
                fit(&r.entry.actor, 14, ""),
                r.entry.action,
                r.entry.fields.join(",")
            ))
        })
        .collect()
}

fn cases(ui: &Ui, d: &FacilityDetail) -> Vec<Line<'static>> {
    let l = ui.lang;
    let mut out = vec![Line::styled(
        l.t("申請・届出", "Applications"),
        ui.theme.title,
    )];
    for a in &d.applications {
        let (kind, status) = if l.is_ja() {
            (a.kind.label_ja(), a.status.label_ja())
        } else {
            (a.kind.label_en(), a.status.label_en())
        };
        out.push(Line::raw(format!(
            "  {} {} {}",
            date(l, a.received_on),
            fit(kind, 16, ""),
            status
        )));
    }
    out.push(Line::styled(
        l.t("区外指定の同意", "Consent cases"),
        ui.theme.title,
    ));
    for c in &d.consents {
        let status = if l.is_ja() {
            c.status.label_ja()
        } else {
            c.status.label_en()
        };
        out.push(Line::raw(format!(
            "  {} {} {}",
            date(l, c.requested_on),
            fit(&c.municipality_name, 12, ""),
            status
        )));
    }
    out
}

/// Personal fields: masked, unless the user revealed this facility (logged, timed).
#[derive(Debug, Clone, Copy)]
pub struct Pii {
    pub show: bool,
}

impl Pii {
    fn name(self, v: &str) -> String {
        if self.show {
            v.to_string()
        } else {
            mask::name(v)
        }
    }
    fn address(self, v: &str) -> String {
        if self.show {
            v.to_string()
        } else {
            mask::address(v)
        }
    }
    fn dob(self, d: NaiveDate) -> String {
        if self.show {
            d.to_string()
        } else {
            mask::date_of_birth(&d.to_string())
        }
    }
}

fn body(ui: &Ui, s: &LedgerScreen, d: &FacilityDetail, pii: Pii) -> Vec<Line<'static>> {
    match s.tab {
        0 => basic(ui, d, pii),
        1 => designations(ui, s, d),
        2 => corporation(ui, s, d, pii),
        3 => staff(ui, s, d, pii),
        4 => council(ui, s, d, pii),
        5 => history(ui, s, d),
        _ => cases(ui, d),
    }
}

/// Lines above a tab's body: the tab bar and the facility's title.
const HEAD_LINES: u16 = 2;

/// How far the current tab can scroll in an area `height` rows high: until its last
/// line is at the bottom, never past it.
pub fn max_scroll(s: &LedgerScreen, ui: &Ui, height: u16) -> u16 {
    let Some(d) = &s.detail else { return 0 };
    let len = body(ui, s, d, Pii { show: false }).len();
    let visible = usize::from(height.saturating_sub(HEAD_LINES));
    u16::try_from(len.saturating_sub(visible)).unwrap_or(u16::MAX)
}

pub fn render(frame: &mut Frame<'_>, area: Rect, s: &LedgerScreen, ui: &Ui, pii: Pii) {
    let l = ui.lang;
    let mut tabs: Vec<Span<'static>> = Vec::new();
    for i in 0..TAB_COUNT {
        let style = if i == s.tab {
            ui.theme.tab_active
        } else {
            ui.theme.tab_inactive
        };
        tabs.push(Span::styled(format!(" {} ", tab_title(l, i)), style));
    }
    let mut lines = vec![Line::from(tabs)];
    match &s.detail {
        None => lines.push(Line::styled(l.t("読み込み中", "Loading..."), ui.theme.dim)),
        Some(d) => {
            let title = format!(
                "{}  {}",
                d.facility.fields.provider_number, d.facility.fields.name
            );
            lines.push(Line::styled(title, ui.theme.title));
            let scroll = s.detail_scroll.min(max_scroll(s, ui, area.height));
            lines.extend(body(ui, s, d, pii).into_iter().skip(usize::from(scroll)));
        }
    }
    let lines = crate::tui::widgets::text::display_lines(lines);
    frame.render_widget(Paragraph::new(lines), area);
}
