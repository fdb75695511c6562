//! The command palette (Ctrl-P, `:`): fuzzy search over every command's Japanese and
//! English titles and id, recent commands first, disabled ones greyed with the reason.

use super::commands::{COMMANDS, Command};
use super::input::LineInput;
use crate::domain::text::search_key;
use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher};

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::commands;
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
        assert_eq!(p.chosen(), Some(&commands::LIST_EXPORT_CSV));
        let mut p = PaletteState::new(&[], &[]);
        typed(&mut p, "終了");
        assert_eq!(p.chosen(), Some(&commands::APP_QUIT));
        let mut p = PaletteState::new(&[], &[]);
        typed(&mut p, "ｺﾏﾝﾄﾞ");
        assert_eq!(p.chosen(), Some(&commands::PALETTE_OPEN));
    }

    #[test]
    fn recent_commands_come_first() {
        let recent = [commands::LIST_EXPORT_CSV.id, commands::APP_QUIT.id];
        let p = PaletteState::new(&recent, &[]);
        assert_eq!(p.chosen(), Some(&commands::LIST_EXPORT_CSV));
        assert_eq!(COMMANDS[p.matches[1]], &commands::APP_QUIT);
    }
}
