//! The help overlay (`?`): the bindings of the current screen, generated from the
//! keymap and the command registry, searchable with `/`.

use super::overlay::{Env, Outcome, Overlay, boxed, centered};
use crate::domain::text::search_key;
use crate::tui::commands;
use crate::tui::i18n::Lang;
use crate::tui::input::LineInput;
use crate::tui::keymap::display_sequence;
use crate::tui::nav::Move;
use crate::tui::ui::ScreenId;
use crate::tui::widgets::clear::clear_area;
use crate::tui::widgets::text::{fit, width, wrap};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;
use std::any::Any;
use std::cell::Cell;

/// A help section's heading: what a keymap context means to the user, in words.
pub fn section_title(context: &str, l: Lang) -> String {
    let text = match context {
        "global" => l.t("どの画面でも", "On every screen"),
        "list" => l.t("一覧の移動", "Moving in a list"),
        "form" => l.t("編集フォーム", "Edit form"),
        "dialog" => l.t("確認・選択", "Dialogs"),
        "inbox_case" => l.t("申請の詳細", "An open case"),
        "inbox_renewals" => l.t("更新案内の一覧", "Renewal guidance list"),
        "inbox_intake" => l.t("紙の申請の入力", "Paper intake form"),
        "help" => l.t("ヘルプ", "Help"),
        "palette" => l.t("コマンドパレット", "Command palette"),
        ctx => ScreenId::ALL
            .iter()
            .chain([ScreenId::OpenData].iter())
            .find(|s| s.context() == ctx)
            .map_or(ctx, |s| s.title(l)),
    };
    if l.is_ja() {
        format!("【{text}】")
    } else {
        format!("{text}:")
    }
}

#[derive(Default)]
pub struct HelpState {
    pub scroll: u16,
    /// The last scroll position that still fills the box; set when help is drawn.
    max_scroll: Cell<Option<u16>>,
    pub search: Option<LineInput>,
    filter_text: String,
}

impl HelpState {
    pub fn searching(&self) -> bool {
        self.search.is_some()
    }

    pub fn start_search(&mut self) {
        self.search = Some(LineInput::default());
        self.scroll = 0;
    }

    /// Ends typing but keeps the filter text.
    pub fn stop_search(&mut self) {
        if self.search.as_ref().is_some_and(|s| s.text().is_empty()) {
            self.search = None;
            self.filter_text.clear();
        } else if let Some(s) = self.search.take() {
            self.filter_text = s.text().to_string();
        }
    }

    pub fn filter(&self) -> &str {
        self.search
            .as_ref()
            .map_or(self.filter_text.as_str(), |s| s.text())
    }

    pub fn key(&mut self, key: crossterm::event::KeyEvent) -> bool {
        let Some(search) = self.search.as_mut() else {
            return false;
        };
        let (draw, text) = search.edit(key);
        if text {
            self.scroll = 0;
        }
        draw
    }

    pub fn scroll(&mut self, m: Move) {
        let max = self.max_scroll.get().unwrap_or(u16::MAX);
        self.scroll = match m {
            Move::Up => self.scroll.saturating_sub(1),
            Move::Down => self.scroll.saturating_add(1),
            Move::PageUp => self.scroll.saturating_sub(10),
            Move::PageDown => self.scroll.saturating_add(10),
            Move::Top => 0,
            Move::Bottom => max,
        }
        .min(max);
    }

    /// Drawing tells how many lines there are and how many fit; returns the scroll
    /// position to draw at.
    pub fn fit_scroll(&self, lines: usize, height: usize) -> u16 {
        let max = u16::try_from(lines.saturating_sub(height)).unwrap_or(u16::MAX);
        self.max_scroll.set(Some(max));
        self.scroll.min(max)
    }
}

/// Keys, title, then the description wrapped in what is left of the width.
const KEYS_W: usize = 10;
const TITLE_W: usize = 20;

/// One context's bindings as help lines (empty when none is listed or matches).
fn section(ctx: &'static str, filter: &str, width_: u16, env: &dyn Env) -> Vec<Line<'static>> {
    let ui = env.ui();
    let ja = ui.lang.is_ja();
    let dw = (width_ as usize)
        .saturating_sub(KEYS_W + TITLE_W + 2)
        .max(12);
    let indent = " ".repeat(KEYS_W + TITLE_W + 2);
    let mut out = Vec::new();
    for (keys, command, _) in env.keymap().bindings_in(ctx) {
        let Some(cmd) = commands::find(&command) else {
            continue;
        };
        if !commands::listed(cmd, ctx, env.screen()) {
            continue;
        }
        let keys = display_sequence(&keys);
        let (title, desc) = (cmd.title(ja), cmd.desc(ja));
        let hay = search_key(&format!("{keys} {title} {desc} {}", cmd.id));
        if !filter.is_empty() && !hay.contains(filter) {
            continue;
        }
        let style = if env.enabled(cmd).is_ok() {
            Style::default()
        } else {
            ui.theme.disabled
        };
        let head = format!(
            "{} {} ",
            fit(&keys, KEYS_W, ui.glyphs.ellipsis),
            fit(title, TITLE_W, ui.glyphs.ellipsis)
        );
        for (i, part) in wrap(desc, dw.saturating_sub(2)).into_iter().enumerate() {
            let lead = if i == 0 { head.as_str() } else { &indent };
            out.push(Line::styled(format!("{lead}{part}"), style));
        }
    }
    if !out.is_empty() {
        out.insert(0, Line::styled(section_title(ctx, ui.lang), ui.theme.title));
    }
    out
}

/// What the header's counts are: their words, abbreviations and meaning.
pub const HEADER_LEGEND: [(&str, &str, &str, &str); 6] = [
    (
        "更新期限 / 期限 / 期",
        "expiring / exp / e",
        "指定の有効期限が近い事業所（既定は3か月以内）",
        "facilities whose designation ends soon (within 3 months by default)",
    ),
    (
        "会議超過 / 会議 / 会",
        "meetings late / mtg / m",
        "運営推進会議の開催期限を過ぎた事業所",
        "facilities past the deadline of their council meeting",
    ),
    (
        "運営指導 / 指導 / 指",
        "guidance due / guid / d",
        "今年度中に運営指導（実地指導）の時期が来る事業所（期限を過ぎたものを含む。P で年間計画）",
        "facilities due for on-site guidance (運営指導) by the end of this fiscal year, overdue included (P shows the plan)",
    ),
    (
        "申請超過 / 申請 / 申",
        "applications late / late / l",
        "処理期限を過ぎた処理中の申請",
        "open applications past their processing deadline",
    ),
    (
        "改善 / 改",
        "gaps / g",
        "最新の署名済みチェックリストで不備（×）の項目",
        "items marked as gaps in the latest signed checklist audits",
    ),
    (
        "ジョブ実行中 / ジョブ / ジ",
        "jobs running / jobs / j",
        "実行中の連携ジョブ（0 のときは表示しません）",
        "sync jobs running now (not shown when none)",
    ),
];

/// The legend of the header's counts, as help lines (those matching `filter`).
fn header_legend(filter: &str, width_: u16, l: Lang, title: Style) -> Vec<Line<'static>> {
    let w = (width_ as usize).saturating_sub(4).max(12);
    let mut out = Vec::new();
    for (ja, en, dja, den) in HEADER_LEGEND {
        let text = format!("{}: {}", l.t(ja, en), l.t(dja, den));
        if !filter.is_empty() && !search_key(&text).contains(filter) {
            continue;
        }
        for (i, part) in wrap(&text, w).into_iter().enumerate() {
            out.push(Line::raw(format!(
                "{}{part}",
                if i == 0 { "" } else { "  " }
            )));
        }
    }
    if !out.is_empty() {
        let head = l.t("【画面上部の数】", "Header counts:");
        out.insert(0, Line::styled(head.to_string(), title));
    }
    out
}

impl<T: ?Sized + 'static> Overlay<T> for HelpState {
    fn contexts(&self) -> &'static [&'static str] {
        // While typing a filter, letters are text (the palette context has none).
        if self.searching() {
            &["palette"]
        } else {
            &["help"]
        }
    }

    fn on_move(&mut self, m: Move, _env: &dyn Env) {
        self.scroll(m);
    }

    fn on_confirm(&mut self, _env: &dyn Env) -> Outcome<T> {
        self.stop_search();
        Outcome::Keep
    }

    fn on_cancel(&mut self) -> Outcome<T> {
        if self.searching() {
            self.stop_search();
            return Outcome::Keep;
        }
        Outcome::Close
    }

    fn on_search(&mut self) -> bool {
        self.start_search();
        true
    }

    fn searchable(&self) -> bool {
        true
    }

    fn on_key(&mut self, key: crossterm::event::KeyEvent, _env: &dyn Env) -> bool {
        self.key(key)
    }

    fn on_paste(&mut self, text: &str, _env: &dyn Env) -> bool {
        self.search.as_mut().is_some_and(|s| s.paste(text))
    }

    fn draw(&self, frame: &mut Frame<'_>, area: Rect, env: &dyn Env) {
        let ui = env.ui();
        let l = ui.lang;
        let r = centered(
            area,
            area.width.saturating_sub(4),
            area.height.saturating_sub(2),
        );
        clear_area(frame.buffer_mut(), r);
        let title = format!(" {}: {} ", l.t("ヘルプ", "Help"), env.screen().title(l));
        let block = boxed(ui, title);
        let inner = block.inner(r);
        frame.render_widget(block, r);
        let filter = search_key(self.filter());
        let mut lines: Vec<Line> = env
            .screen_contexts()
            .into_iter()
            .flat_map(|ctx| section(ctx, &filter, inner.width, env))
            .collect();
        lines.extend(header_legend(&filter, inner.width, l, ui.theme.title));
        let wide = if width(ui.glyphs.mark_ok) == 2 {
            l.t("全角（ASCII罫線）", "wide (ASCII borders)")
        } else {
            l.t("半角", "narrow")
        };
        lines.push(Line::styled(
            format!("{}: {wide}", l.t("表示幅", "ambiguous width")),
            ui.theme.dim,
        ));
        let mut y = inner.y;
        if let Some(s) = &self.search {
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
        let scroll = self.fit_scroll(lines.len(), body.height as usize);
        frame.render_widget(Paragraph::new(lines).scroll((scroll, 0)), body);
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}
