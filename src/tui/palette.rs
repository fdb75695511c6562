//! The command palette (Ctrl-P, `:`): fuzzy search over every command's Japanese and
//! English titles and id, recent commands first, disabled ones greyed with the reason.

use super::overlay::{Env, Outcome, Overlay, boxed, centered};
use crate::domain::text::search_key;
use crate::tui::commands::{COMMANDS, Command};
use crate::tui::input::LineInput;
use crate::tui::keymap::display_sequence;
use crate::tui::nav::Move;
use crate::tui::widgets::clear::clear_area;
use crate::tui::widgets::text::{fit, truncate, width, wrap};
use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;
use std::any::Any;

pub struct PaletteState {
    pub input: LineInput,
    /// Indices into `COMMANDS`, best first.
    pub matches: Vec<usize>,
    pub selected: usize,
}

impl PaletteState {
    /// `enabled[i]` says whether `COMMANDS[i]` can run now.
    pub fn new(recent: &[&'static str], enabled: &[bool]) -> Self {
        let mut p = Self {
            input: LineInput::default(),
            matches: Vec::new(),
            selected: 0,
        };
        p.refilter(recent, enabled);
        p
    }

    /// Ranks matches: the typed text as a substring first, then commands that can run
    /// now, then the fuzzy score, then recent ones.
    pub fn refilter(&mut self, recent: &[&'static str], enabled: &[bool]) {
        let query = search_key(self.input.text());
        let rank = |c: &Command| recent.iter().position(|r| *r == c.id).unwrap_or(usize::MAX);
        if query.is_empty() {
            let mut all: Vec<usize> = (0..COMMANDS.len()).collect();
            all.sort_by_key(|i| rank(COMMANDS[*i]));
            self.matches = all;
            self.selected = 0;
            return;
        }
        let mut matcher = Matcher::new(Config::DEFAULT);
        let pattern = Pattern::parse(&query, CaseMatching::Ignore, Normalization::Smart);
        let mut buf = Vec::new();
        let mut scored: Vec<(usize, bool, u32)> = COMMANDS
            .iter()
            .enumerate()
            .filter_map(|(i, c)| {
                let hay = search_key(&format!(
                    "{} {} {} {}",
                    c.title_ja, c.title_en, c.id, c.desc_en
                ));
                let score =
                    pattern.score(nucleo_matcher::Utf32Str::new(&hay, &mut buf), &mut matcher)?;
                Some((i, hay.contains(&query), score))
            })
            .collect();
        let on = |i: usize| enabled.get(i).copied().unwrap_or(true);
        scored.sort_by(|a, b| {
            b.1.cmp(&a.1)
                .then(on(b.0).cmp(&on(a.0)))
                .then(b.2.cmp(&a.2))
                .then(rank(COMMANDS[a.0]).cmp(&rank(COMMANDS[b.0])))
        });
        self.matches = scored.into_iter().map(|(i, _, _)| i).collect();
        self.selected = 0;
    }

    pub fn move_by(&mut self, delta: isize) {
        let n = self.matches.len();
        if n > 0 {
            self.selected = (self.selected as isize + delta).rem_euclid(n as isize) as usize;
        }
    }

    pub fn chosen(&self) -> Option<&'static Command> {
        self.matches.get(self.selected).map(|i| COMMANDS[*i])
    }
}

/// A command's description, or why it cannot run now (in brackets), and whether it can.
fn about(cmd: &Command, env: &dyn Env) -> (String, bool) {
    let ja = env.ui().lang.is_ja();
    match env.enabled(cmd) {
        Ok(()) => (cmd.desc(ja).to_string(), true),
        Err(r) if ja => (format!("（{}）", r.ja), false),
        Err(r) => (format!("({})", r.en), false),
    }
}

impl PaletteState {
    /// Whether each registered command can run now, for ranking.
    fn enabled(env: &dyn Env) -> Vec<bool> {
        COMMANDS.iter().map(|c| env.enabled(c).is_ok()).collect()
    }

    pub fn open(env: &dyn Env) -> Self {
        Self::new(env.recent(), &Self::enabled(env))
    }

    /// Marker, title, first key and description (or reason) of row `i`, and its style.
    fn row(&self, i: usize, cmd: &Command, env: &dyn Env, ctx: &[&'static str]) -> (String, Style) {
        let ui = env.ui();
        let mut ctxs = ctx.to_vec();
        ctxs.insert(0, cmd.scope.context());
        let keys = env
            .keymap()
            .keys_for(cmd.id, &ctxs)
            .first()
            .map(|k| display_sequence(k))
            .unwrap_or_default();
        let marker = if i == self.selected {
            ui.glyphs.cursor
        } else {
            " "
        };
        let (desc, enabled) = about(cmd, env);
        let style = if enabled {
            Style::default()
        } else {
            ui.theme.disabled
        };
        let text = format!(
            "{} {} {} {}",
            fit(marker, width(ui.glyphs.cursor).max(1), ""),
            fit(cmd.title(ui.lang.is_ja()), 20, ui.glyphs.ellipsis),
            fit(&keys, 10, ui.glyphs.ellipsis),
            desc
        );
        let style = if i == self.selected {
            style.patch(ui.theme.selected)
        } else {
            style
        };
        (text, style)
    }

    /// The chosen command's whole description (or why it cannot run) below the rows,
    /// wrapped: a row has room for only the start of it.
    fn draw_about(&self, frame: &mut Frame<'_>, inner: Rect, about_h: usize, env: &dyn Env) {
        let ui = env.ui();
        let Some(cmd) = self.chosen().filter(|_| about_h > 0) else {
            return;
        };
        let (desc, _) = about(cmd, env);
        let w = inner.width as usize;
        let rule = ui.glyphs.border.horizontal_top.repeat(w);
        let mut text = vec![Line::styled(rule, ui.theme.border)];
        text.extend(
            wrap(&desc, w.saturating_sub(2))
                .into_iter()
                .take(about_h - 1)
                .map(|s| Line::styled(s, ui.theme.dim)),
        );
        let y = inner.y + inner.height - about_h as u16;
        frame.render_widget(
            Paragraph::new(text),
            Rect::new(inner.x, y, inner.width, about_h as u16),
        );
    }
}

impl<T: ?Sized + 'static> Overlay<T> for PaletteState {
    fn contexts(&self) -> &'static [&'static str] {
        &["palette"]
    }

    fn on_move(&mut self, m: Move, _env: &dyn Env) {
        self.move_by(if m == Move::Up { -1 } else { 1 });
    }

    fn on_confirm(&mut self, _env: &dyn Env) -> Outcome<T> {
        self.chosen().map_or(Outcome::Close, Outcome::Run)
    }

    fn on_key(&mut self, key: crossterm::event::KeyEvent, env: &dyn Env) -> bool {
        let (draw, text) = self.input.edit(key);
        if text {
            self.refilter(env.recent(), &Self::enabled(env));
        }
        draw
    }

    fn on_paste(&mut self, text: &str, env: &dyn Env) -> bool {
        let changed = self.input.paste(text);
        self.refilter(env.recent(), &Self::enabled(env));
        changed
    }

    fn draw(&self, frame: &mut Frame<'_>, area: Rect, env: &dyn Env) {
        let ui = env.ui();
        let r = centered(area, 76, area.height.saturating_sub(4).max(6));
        clear_area(frame.buffer_mut(), r);
        let block = boxed(ui, format!(" {} ", ui.lang.t("コマンド", "Commands")));
        let inner = block.inner(r);
        frame.render_widget(block, r);
        if inner.height == 0 {
            return;
        }
        frame.render_widget(Paragraph::new("> "), Rect::new(inner.x, inner.y, 2, 1));
        self.input.render(
            frame,
            Rect::new(inner.x + 2, inner.y, inner.width.saturating_sub(2), 1),
            true,
        );
        let about_h = if inner.height >= 8 { 3 } else { 0 };
        let rows = (inner.height as usize).saturating_sub(1 + about_h);
        let start = self.selected.saturating_sub(rows.saturating_sub(1));
        let contexts = env.screen_contexts();
        let lines: Vec<Line> = (self.matches.iter().enumerate().skip(start).take(rows))
            .map(|(i, idx)| {
                let (text, style) = self.row(i, COMMANDS[*idx], env, &contexts);
                Line::styled(
                    truncate(&text, inner.width as usize, ui.glyphs.ellipsis),
                    style,
                )
            })
            .collect();
        frame.render_widget(
            Paragraph::new(lines),
            Rect::new(inner.x, inner.y + 1, inner.width, inner.height - 1),
        );
        self.draw_about(frame, inner, about_h, env);
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::commands;
    use crate::tui::screens::ledger::commands::LIST_EXPORT_CSV;
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    fn typed(p: &mut PaletteState, s: &str) {
        for c in s.chars() {
            p.input
                .key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
        }
        p.refilter(&[], &[]);
    }

    #[test]
    fn finds_commands_in_either_language_and_by_id() {
        let mut p = PaletteState::new(&[], &[]);
        assert_eq!(p.matches.len(), COMMANDS.len());
        typed(&mut p, "export csv");
        assert_eq!(p.chosen(), Some(&LIST_EXPORT_CSV));
        let mut p = PaletteState::new(&[], &[]);
        typed(&mut p, "終了");
        assert_eq!(p.chosen(), Some(&commands::APP_QUIT));
        let mut p = PaletteState::new(&[], &[]);
        typed(&mut p, "ｺﾏﾝﾄﾞ");
        assert_eq!(p.chosen(), Some(&commands::PALETTE_OPEN));
    }

    #[test]
    fn recent_commands_come_first() {
        let recent = [LIST_EXPORT_CSV.id, commands::APP_QUIT.id];
        let p = PaletteState::new(&recent, &[]);
        assert_eq!(p.chosen(), Some(&LIST_EXPORT_CSV));
        assert_eq!(COMMANDS[p.matches[1]], &commands::APP_QUIT);
    }
}
