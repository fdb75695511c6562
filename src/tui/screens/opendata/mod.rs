//! The open data reconciliation (issue 18): what the last `import-opendata` found —
//! field differences side by side (台帳 | 公表), ledger facilities missing from the open
//! data, published rows missing from the ledger, and rows whose 事業所番号 is wrong.
//! Nothing changes by itself: `a` accepts a difference into a 変更 case (reviewed in the
//! inbox), `k` marks a finding known with a note. Reached from the palette and from the
//! jobs screen (`r`).

pub mod commands;

use super::cases::CaseList;
use crate::domain::opendata::{Field, Finding};
use crate::i18n::Lang;
use crate::query::{Reply, Request};
use crate::tui::msg::Effect;
use crate::tui::nav::Move;
use crate::tui::screen::Screen;
use crate::tui::shell::Shell;
use crate::tui::ui::{ScreenId, Ui};
use crate::tui::widgets::text::{fit, width};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;
use std::any::Any;

#[derive(Default)]
pub struct OpenDataScreen {
    pub list: CaseList<Finding>,
}

impl OpenDataScreen {
    pub fn selected(&self) -> Option<&Finding> {
        self.list.rows.get(self.list.selected)
    }
}

/// A finding's group, as staff read it.
pub fn group(kind: &str, l: Lang) -> &'static str {
    match kind {
        "difference" => l.t("相違", "Differs"),
        "ledger_only" => l.t("台帳のみ", "Ledger only"),
        "opendata_only" => l.t("公表のみ", "Published only"),
        _ => l.t("番号誤り", "Bad number"),
    }
}

fn status(s: &str, l: Lang) -> &'static str {
    match s {
        "accepted" => l.t("変更受付済", "accepted"),
        "known" => l.t("既知", "known"),
        _ => l.t("未処理", "open"),
    }
}

fn field(code: &str, l: Lang) -> &'static str {
    Field::from_code(code).map_or("", |f| f.label(l.is_ja()))
}

impl Screen for OpenDataScreen {
    fn id(&self) -> ScreenId {
        ScreenId::OpenData
    }

    fn enter(&mut self) -> Vec<Request> {
        vec![Request::OpenDataFindings]
    }

    fn refresh(&mut self) -> Vec<Request> {
        vec![Request::OpenDataFindings]
    }

    fn on_reply(&mut self, reply: Reply, sh: &mut Shell) -> Result<Vec<Effect>, Reply> {
        match reply {
            Reply::OpenDataFindings(rows) => {
                sh.dirty |= self.list.set_rows(rows, |f| f.id);
                Ok(Vec::new())
            }
            Reply::OpenDataDecided { ja, en } => {
                sh.info(if sh.lang().is_ja() { ja } else { en });
                Ok(vec![Effect::Request(Request::OpenDataFindings)])
            }
            other => Err(other),
        }
    }

    fn on_move(&mut self, m: Move, page: usize, sh: &mut Shell) -> Vec<Effect> {
        self.list.move_cursor(m, page as isize);
        sh.dirty = true;
        Vec::new()
    }

    fn draw(&mut self, frame: &mut Frame<'_>, area: Rect, sh: &Shell) {
        render(frame, area, self, &sh.ui);
    }

    fn status(&self, sh: &Shell) -> String {
        let l = sh.lang();
        let open = self.list.rows.iter().filter(|f| f.status == "open").count();
        if l.is_ja() {
            format!(
                "公表データ照合: {} 件（未処理 {open} 件）",
                self.list.rows.len()
            )
        } else {
            format!(
                "Open data reconciliation: {} findings ({open} open)",
                self.list.rows.len()
            )
        }
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}

const KINDS: [&str; 4] = ["difference", "ledger_only", "opendata_only", "bad_number"];

fn counts(rows: &[Finding], l: Lang) -> String {
    KINDS
        .iter()
        .map(|k| {
            format!(
                "{} {}",
                group(k, l),
                rows.iter().filter(|f| f.kind == *k).count()
            )
        })
        .collect::<Vec<_>>()
        .join("  ")
}

/// The selected finding in full: 台帳 on the left, 公表 on the right.
fn detail(f: &Finding, ui: &Ui, half: usize) -> Vec<Line<'static>> {
    let (l, g) = (ui.lang, &ui.glyphs);
    let what = match f.kind.as_str() {
        "difference" => field(&f.field, l).to_string(),
        "ledger_only" => l.t("公表データにありません", "not in the open data").into(),
        "opendata_only" => l.t("台帳にありません", "not in the ledger").into(),
        _ => f.opendata_value.clone(),
    };
    let (ours, theirs) = match f.kind.as_str() {
        "difference" => (f.ledger_value.clone(), f.opendata_value.clone()),
        "ledger_only" => (f.name.clone(), String::new()),
        _ => (
            String::new(),
            format!("{} ({} {})", f.name, l.t("行", "line"), f.line),
        ),
    };
    let mut lines = vec![
        Line::raw(format!("{} {}  {what}", f.provider_number, f.name)),
        Line::raw(format!(
            "{}{}{}",
            fit(
                &format!("{} {ours}", l.t("台帳:", "Ledger:")),
                half.saturating_sub(1),
                g.ellipsis
            ),
            g.sep,
            fit(
                &format!(" {} {theirs}", l.t("公表:", "Open data:")),
                half,
                g.ellipsis
            ),
        )),
    ];
    if !f.note.is_empty() || f.application_id.is_some() {
        let case = f
            .application_id
            .map(|id| format!("#{id} "))
            .unwrap_or_default();
        lines.push(Line::raw(format!(
            "{} {case}{}",
            status(&f.status, l),
            f.note
        )));
    }
    lines
}

pub fn render(frame: &mut Frame<'_>, area: Rect, screen: &mut OpenDataScreen, ui: &Ui) {
    let l = ui.lang;
    let w = area.width as usize;
    let mut lines = vec![Line::styled(
        format!(
            "{}  {}",
            l.t("公表データ照合", "Open data"),
            counts(&screen.list.rows, l)
        ),
        ui.theme.title,
    )];
    if screen.list.rows.is_empty() {
        lines.push(Line::styled(
            l.t(
                "  照合結果はありません（連携ジョブ画面の o で公表データを照合します）",
                "  No findings (o on the jobs screen reconciles the open data)",
            ),
            ui.theme.dim,
        ));
        frame.render_widget(Paragraph::new(lines), area);
        return;
    }
    let height = (area.height as usize).saturating_sub(5);
    let gw_group = super::cases::widest(KINDS.iter().map(|k| group(k, l)));
    let range = screen.list.visible(height);
    for i in range {
        let f = &screen.list.rows[i];
        let marker = super::cases::gutter(ui, i == screen.list.selected);
        let change = if f.kind == "difference" {
            format!(
                "{}: {} => {}",
                field(&f.field, l),
                f.ledger_value,
                f.opendata_value
            )
        } else {
            String::new()
        };
        let row = format!(
            "{} {} {} {} {}",
            fit(group(&f.kind, l), gw_group, ""),
            fit(&f.provider_number, 10, ""),
            fit(status(&f.status, l), 10, ""),
            fit(&f.name, 20, ui.glyphs.ellipsis),
            change
        );
        let gw = width(ui.glyphs.cursor).max(1) + 1;
        lines.push(Line::from(vec![
            marker,
            ratatui::text::Span::raw(fit(&row, w.saturating_sub(gw), ui.glyphs.ellipsis)),
        ]));
    }
    if let Some(f) = screen.selected() {
        lines.push(Line::raw(""));
        lines.extend(detail(f, ui, w / 2));
    }
    frame.render_widget(Paragraph::new(lines), area);
}
