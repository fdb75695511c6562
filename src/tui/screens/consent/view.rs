//! Drawing the consent queue: the tab line (where you are, counts, filters), the case
//! list or the 事前同意 registry, or the open case (`case.rs`). Names arrive masked from
//! the query layer unless revealed; they are masked again here once a reveal expires.

use super::{ConsentScreen, Tab};
use crate::domain::consent::{ConsentStatus, Direction, format_service_list};
use crate::domain::mask;
use crate::i18n::Lang;
use crate::tui::screens::cases::{case_count, date, due_style, gutter, widest};
use crate::tui::shell::Shell;
use crate::tui::ui::Ui;
use crate::tui::widgets::text::{fit, width};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub fn render(frame: &mut Frame<'_>, area: Rect, s: &mut ConsentScreen, sh: &Shell) {
    if area.height < 2 {
        return;
    }
    let ui = &sh.ui;
    frame.render_widget(Paragraph::new(tab_line(s, ui)), Rect { height: 1, ..area });
    let body = Rect {
        y: area.y + 1,
        height: area.height - 1,
        ..area
    };
    if let Some(f) = &s.form {
        super::form::render(frame, body, f, ui);
        return;
    }
    if let Some(c) = &s.case {
        super::case::render(frame, body, c, sh);
        return;
    }
    match s.tab {
        Tab::Prior => {
            let editor = crate::domain::permission::authorize(
                &sh.actor,
                crate::domain::permission::Action::ManageConsentRules,
                &crate::domain::permission::Provenance::default(),
            )
            .is_ok();
            priors(frame, body, s, ui, editor)
        }
        _ => cases(frame, body, s, sh),
    }
}

/// "▶区外へ依頼 9/12  区外から依頼 5/10  事前同意 4   絞込: 未完了 検索「葛飾」"
fn tab_line(s: &ConsentScreen, ui: &Ui) -> Line<'static> {
    let l = ui.lang;
    let mut spans = Vec::new();
    for t in Tab::ALL {
        let n = match t {
            Tab::Outgoing => format!(" {}/{}", s.counts.0.open, s.counts.0.total),
            Tab::Incoming => format!(" {}/{}", s.counts.1.open, s.counts.1.total),
            Tab::Prior if s.priors.loaded => format!(" {}", s.priors.rows.len()),
            Tab::Prior => String::new(),
        };
        let text = format!(" {}{n} ", t.label(l.is_ja()));
        let style = if t == s.tab {
            ui.theme.tab_active
        } else {
            ui.theme.tab_inactive
        };
        spans.push(Span::styled(text, style));
    }
    let f = filter_text(s, l);
    if !f.is_empty() {
        spans.push(Span::styled(format!("  {f}"), ui.theme.warning));
    }
    Line::from(spans)
}

/// The filters in words, empty when none.
pub fn filter_text(s: &ConsentScreen, l: Lang) -> String {
    let f = &s.filters;
    let mut parts = Vec::new();
    if let Some(st) = f.status {
        parts.push(
            if l.is_ja() {
                st.label_ja()
            } else {
                st.label_en()
            }
            .to_string(),
        );
    }
    if f.open_only {
        parts.push(l.t("未完了", "open").to_string());
    }
    if f.overdue.is_some() {
        parts.push(l.t("期限超過", "overdue").to_string());
    }
    if let Some((_, name)) = &f.municipality {
        parts.push(name.clone());
    }
    if !f.search.trim().is_empty() {
        parts.push(format!("{}「{}」", l.t("検索", "search"), f.search.trim()));
    }
    let sort = super::settings::sort_label(f.sort, l);
    if !sort.is_empty() {
        parts.push(sort.to_string());
    }
    if parts.is_empty() {
        return String::new();
    }
    format!("{} {}", l.t("絞込:", "Filter:"), parts.join(" "))
}

fn cases(frame: &mut Frame<'_>, area: Rect, s: &mut ConsentScreen, sh: &Shell) {
    let ui = &sh.ui;
    let l = ui.lang;
    let dw = if l.is_ja() { 8 } else { 10 };
    let gw = width(ui.glyphs.cursor).max(1) + 1;
    let status_w = widest(ConsentStatus::ALL.iter().map(|s| {
        if l.is_ja() {
            s.label_ja()
        } else {
            s.label_en()
        }
    }));
    let (muni_w, person_w, svc_w) = (10, 12, 4);
    let fac_w =
        (area.width as usize).saturating_sub(gw + status_w + muni_w + person_w + svc_w + dw + 5);
    let mut lines = vec![Line::styled(
        format!(
            "{}{} {} {} {} {} {}",
            " ".repeat(gw),
            fit(l.t("状態", "Status"), status_w, ""),
            fit(l.t("相手先", "With"), muni_w, ""),
            fit(l.t("被保険者", "Insured"), person_w, ""),
            fit(l.t("事業所", "Facility"), fac_w, ""),
            fit(l.t("種類", "Svc"), svc_w, ""),
            l.t("督促日", "Remind"),
        ),
        ui.theme.title,
    )];
    let height = (area.height as usize).saturating_sub(1);
    let selected = s.list.selected;
    let el = ui.glyphs.ellipsis;
    for i in s.list.visible(height) {
        let r = &s.list.rows[i];
        let status = if l.is_ja() {
            r.status.label_ja()
        } else {
            r.status.label_en()
        };
        let open = r.status.is_open();
        let name = if sh.is_revealed("consent", &r.id.to_string()) {
            r.person_name.clone()
        } else {
            mask::name(&r.person_name)
        };
        lines.push(Line::from(vec![
            gutter(ui, i == selected),
            Span::styled(
                fit(status, status_w, el),
                if open {
                    ui.theme.selected
                } else {
                    ui.theme.dim
                },
            ),
            Span::raw(format!(" {} ", fit(&r.municipality_name, muni_w, el))),
            Span::styled(fit(&name, person_w, ""), ui.theme.masked),
            Span::raw(format!(
                " {} {} ",
                fit(&r.facility_name, fac_w, el),
                fit(&r.service_code, svc_w, "")
            )),
            Span::styled(date(ui, r.due_on), due_style(ui, r.due_on, sh.today, open)),
        ]));
    }
    if s.list.rows.is_empty() && s.list.loaded {
        lines.push(Line::styled(
            l.t(
                "  該当する同意案件はありません（F で絞込を解除）",
                "  No matching consent cases (F clears the filter)",
            ),
            ui.theme.dim,
        ));
    }
    frame.render_widget(Paragraph::new(lines), area);
}

/// `editor`: the user may add and edit (approver); others read, told why.
fn priors(frame: &mut Frame<'_>, area: Rect, s: &mut ConsentScreen, ui: &Ui, editor: bool) {
    let l = ui.lang;
    // R10.03.31: the registry reaches past 令和9.
    let dw = if l.is_ja() { 9 } else { 10 };
    let gw = width(ui.glyphs.cursor).max(1) + 1;
    let (muni_w, dir_w) = (12, 12);
    let ex_w = (area.width as usize).saturating_sub(gw + muni_w + dir_w + dw * 2 + 5);
    let mut lines = Vec::new();
    if !editor {
        lines.push(Line::styled(
            l.t(
                "閲覧のみ: 事前同意の登録・修正は決裁者が行います",
                "Read only: an approver adds and edits prior consents",
            ),
            ui.theme.dim,
        ));
    }
    lines.push(Line::styled(
        format!(
            "{}{} {} {} {} {}",
            " ".repeat(gw),
            fit(l.t("相手先", "Municipality"), muni_w, ""),
            fit(l.t("方向", "Direction"), dir_w, ""),
            fit(l.t("開始", "From"), dw, ""),
            fit(l.t("終了", "To"), dw, ""),
            l.t("対象外サービス", "Excluded services"),
        ),
        ui.theme.title,
    ));
    let height = (area.height as usize).saturating_sub(lines.len());
    let selected = s.priors.selected;
    let el = ui.glyphs.ellipsis;
    for i in s.priors.visible(height) {
        let r = &s.priors.rows[i];
        let excluded = format_service_list(&r.excluded_services);
        lines.push(Line::from(vec![
            gutter(ui, i == selected),
            Span::raw(format!(
                "{} {} {} {} {}",
                fit(&r.municipality_name, muni_w, el),
                fit(prior_direction(r.direction, l), dir_w, el),
                fit(&date(ui, Some(r.valid_from)), dw, ""),
                fit(&date(ui, r.valid_to), dw, ""),
                fit(if excluded.is_empty() { "-" } else { &excluded }, ex_w, el),
            )),
        ]));
    }
    if s.priors.rows.is_empty() && s.priors.loaded {
        lines.push(Line::styled(
            l.t("  事前同意はありません", "  No prior consents"),
            ui.theme.dim,
        ));
    }
    frame.render_widget(Paragraph::new(lines), area);
}

pub fn status(s: &ConsentScreen, l: Lang) -> String {
    if let Some(f) = &s.form {
        return super::form::title(f, l).to_string();
    }
    if let Some(c) = &s.case {
        let r = &c.view.detail.row;
        return format!(
            "{} {} {}",
            l.t("同意案件", "Consent case"),
            r.municipality_name,
            r.facility_name
        );
    }
    match s.tab {
        Tab::Prior => case_count(
            s.priors.rows.len(),
            l.t("件の事前同意", " prior consents"),
            l,
        ),
        _ => case_count(s.list.rows.len(), l.t("件の同意案件", " consent cases"), l),
    }
}

/// Short labels of the registry's two directions.
fn prior_direction(d: Direction, l: Lang) -> &'static str {
    match d {
        Direction::Outgoing => l.t("当区が受けた", "Given to us"),
        Direction::Incoming => l.t("当区が与えた", "Given by us"),
    }
}
