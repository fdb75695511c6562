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
    pub fn new(recent: &[&'static str]) -> Self {
        let mut p = Self {
            input: LineInput::default(),
            matches: Vec::new(),
            selected: 0,
        };
        p.refilter(recent);
        p
    }

    pub fn refilter(&mut self, recent: &[&'static str]) {
        let query = search_key(self.input.text());
        let rank = |c: &Command| recent.iter().position(|r| *r == c.id).unwrap_or(usize::MAX);
        if query.is_empty() {
            let mut all: Vec<usize> = (0..COMMANDS.len()).collect();
            all.sort_by_key(|i| rank(&COMMANDS[*i]));
            self.matches = all;
        } else {
            let haystacks: Vec<(usize, String)> = COMMANDS
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    (
                        i,
                        search_key(&format!(
                            "{} {} {} {}",
                            c.title_ja, c.title_en, c.id, c.desc_en
                        )),
                    )
                })
                .collect();
            let mut matcher = Matcher::new(Config::DEFAULT);
            let pattern = Pattern::parse(&query, CaseMatching::Ignore, Normalization::Smart);
            let mut scored: Vec<(usize, u32)> = haystacks
                .iter()
                .filter_map(|(i, h)| {
                    let mut buf = Vec::new();
                    pattern
                        .score(nucleo_matcher::Utf32Str::new(h, &mut buf), &mut matcher)
                        .map(|s| (*i, s))
                })
                .collect();
            scored.sort_by(|a, b| {
                b.1.cmp(&a.1)
                    .then(rank(&COMMANDS[a.0]).cmp(&rank(&COMMANDS[b.0])))
            });
            self.matches = scored.into_iter().map(|(i, _)| i).collect();
        }
        self.selected = 0;
    }

    pub fn move_by(&mut self, delta: isize) {
        let n = self.matches.len();
        if n > 0 {
            self.selected = (self.selected as isize + delta).rem_euclid(n as isize) as usize;
        }
    }

    pub fn chosen(&self) -> Option<&'static str> {
        self.matches.get(self.selected).map(|i| COMMANDS[*i].id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    fn typed(p: &mut PaletteState, s: &str) {
        for c in s.chars() {
            p.input
                .key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
        }
        p.refilter(&[]);
    }

    #[test]
    fn finds_commands_in_either_language_and_by_id() {
        let mut p = PaletteState::new(&[]);
        assert_eq!(p.matches.len(), COMMANDS.len());
        typed(&mut p, "export csv");
        assert_eq!(p.chosen(), Some("list.export_csv"));
        let mut p = PaletteState::new(&[]);
        typed(&mut p, "終了");
        assert_eq!(p.chosen(), Some("app.quit"));
        let mut p = PaletteState::new(&[]);
        typed(&mut p, "ｺﾏﾝﾄﾞ");
        assert_eq!(p.chosen(), Some("palette.open"));
    }

    #[test]
    fn recent_commands_come_first() {
        let p = PaletteState::new(&["list.export_csv", "app.quit"]);
        assert_eq!(p.chosen(), Some("list.export_csv"));
        assert_eq!(COMMANDS[p.matches[1]].id, "app.quit");
    }
}
