//! Key notation: one chord (`C-p`, `Enter`, `S-Tab`, `あ`) and typed
//! sequences for tests (`"<C-p>承認<Enter>"`).
//!
//! The same normalisation is applied to parsed notation and to terminal
//! events, so a binding compares equal to the event that should trigger it.

use std::fmt;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// One key press with its modifiers, normalised (see [`KeyChord::new`]).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct KeyChord {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

/// Why a key name or sequence could not be read. The message is meant for
/// the user (it ends up in keymap diagnostics).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct KeyError {
    pub message: String,
}

impl KeyError {
    fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
        }
    }
}

impl KeyChord {
    /// Builds a normalised chord:
    /// - `Char(c)` + SHIFT drops SHIFT and upper-cases `c` (the char already
    ///   carries its case, terminals differ in whether they also report SHIFT);
    /// - `Tab` + SHIFT and `BackTab` (with or without SHIFT) become `BackTab`
    ///   without SHIFT.
    pub fn new(code: KeyCode, mods: KeyModifiers) -> Self {
        let mut code = code;
        let mut mods = mods;
        match code {
            KeyCode::Char(c) if mods.contains(KeyModifiers::SHIFT) => {
                let mut upper = c.to_uppercase();
                if let (Some(u), None) = (upper.next(), upper.next()) {
                    code = KeyCode::Char(u);
                }
                mods.remove(KeyModifiers::SHIFT);
            }
            KeyCode::Tab if mods.contains(KeyModifiers::SHIFT) => {
                code = KeyCode::BackTab;
                mods.remove(KeyModifiers::SHIFT);
            }
            KeyCode::BackTab => mods.remove(KeyModifiers::SHIFT),
            _ => {}
        }
        Self { code, mods }
    }

    /// A chord without modifiers.
    pub fn plain(code: KeyCode) -> Self {
        Self::new(code, KeyModifiers::NONE)
    }
}

/// The chord a terminal key event stands for, normalised like parsed notation.
/// The event kind is ignored: callers should pass only `Press` (and maybe
/// `Repeat`) events, or keys fire twice on terminals that report releases.
pub fn chord_from_event(ev: &KeyEvent) -> KeyChord {
    KeyChord::new(ev.code, ev.modifiers)
}

/// Named keys, matched case-insensitively. The first name of each code is the
/// one [`Display`](fmt::Display) uses.
const NAMES: &[(&str, KeyCode)] = &[
    ("Enter", KeyCode::Enter),
    ("Return", KeyCode::Enter),
    ("Esc", KeyCode::Esc),
    ("Escape", KeyCode::Esc),
    ("Tab", KeyCode::Tab),
    ("BackTab", KeyCode::BackTab),
    ("Backspace", KeyCode::Backspace),
    ("BS", KeyCode::Backspace),
    ("Delete", KeyCode::Delete),
    ("Del", KeyCode::Delete),
    ("Up", KeyCode::Up),
    ("Down", KeyCode::Down),
    ("Left", KeyCode::Left),
    ("Right", KeyCode::Right),
    ("Home", KeyCode::Home),
    ("End", KeyCode::End),
    ("PageUp", KeyCode::PageUp),
    ("PgUp", KeyCode::PageUp),
    ("PageDown", KeyCode::PageDown),
    ("PgDn", KeyCode::PageDown),
    ("Insert", KeyCode::Insert),
    ("Ins", KeyCode::Insert),
    ("Space", KeyCode::Char(' ')),
    ("lt", KeyCode::Char('<')),
    ("gt", KeyCode::Char('>')),
];

/// Highest function key accepted in notation.
const MAX_F: u8 = 24;

fn parse_modifier(name: &str) -> Option<KeyModifiers> {
    match name.to_ascii_lowercase().as_str() {
        "c" | "ctrl" | "control" => Some(KeyModifiers::CONTROL),
        "s" | "shift" => Some(KeyModifiers::SHIFT),
        "a" | "alt" => Some(KeyModifiers::ALT),
        "super" => Some(KeyModifiers::SUPER),
        "hyper" => Some(KeyModifiers::HYPER),
        "meta" => Some(KeyModifiers::META),
        _ => None,
    }
}

fn parse_code(name: &str, whole: &str) -> Result<KeyCode, KeyError> {
    let mut chars = name.chars();
    match (chars.next(), chars.next()) {
        (None, _) if name == whole => return Err(KeyError::new("empty key")),
        (None, _) => {
            return Err(KeyError::new(format!(
                "missing key after modifier in \"{whole}\""
            )));
        }
        (Some(c), None) => return Ok(KeyCode::Char(c)),
        _ => {}
    }
    if let Some((_, code)) = NAMES.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)) {
        return Ok(*code);
    }
    if let Some(num) = name.strip_prefix(['F', 'f'])
        && !num.is_empty()
        && num.bytes().all(|b| b.is_ascii_digit())
    {
        return match num.parse::<u8>() {
            Ok(n) if (1..=MAX_F).contains(&n) => Ok(KeyCode::F(n)),
            _ => Err(KeyError::new(format!(
                "no function key \"{name}\" (F1 to F{MAX_F})"
            ))),
        };
    }
    let hint = if name.chars().any(char::is_whitespace) {
        " (write one key per array element, e.g. [\"g\", \"g\"])"
    } else if name.contains('+') {
        " (write modifiers with '-', e.g. \"C-p\")"
    } else {
        ""
    };
    Err(KeyError::new(format!("unknown key name \"{name}\"{hint}")))
}

/// Parses one key in TOML notation: `a`, `G`, `?`, `あ`, `C-p`, `C-S-x`,
/// `A-x`, `Enter`, `S-Tab`, `Space`, `F5`. Names are case-insensitive, a
/// single character is taken literally (case-sensitive).
pub fn parse_key(s: &str) -> Result<KeyChord, KeyError> {
    let mut mods = KeyModifiers::NONE;
    let mut rest = s;
    // `X-rest` where X is a word of letters is a modifier; `-` alone or
    // `C--` (Ctrl+minus) keep the dash as the key.
    while let Some(idx) = rest.find('-')
        && idx > 0
    {
        let (prefix, after) = (&rest[..idx], &rest[idx + 1..]);
        if !prefix.chars().all(|c| c.is_ascii_alphabetic()) {
            break;
        }
        let Some(m) = parse_modifier(prefix) else {
            return Err(KeyError::new(format!(
                "unknown modifier \"{prefix}\" in \"{s}\""
            )));
        };
        if mods.contains(m) {
            return Err(KeyError::new(format!(
                "modifier \"{prefix}\" given twice in \"{s}\""
            )));
        }
        mods |= m;
        rest = after;
    }
    let code = parse_code(rest, s)?;
    Ok(KeyChord::new(code, mods))
}

/// Parses typed notation used in tests: plain characters are keys, `<...>` is
/// a named key or chord (`<C-p>`, `<Enter>`, `<lt>` for a literal `<`).
/// `"<C-p>承認<Enter>"` is Ctrl+P, 承, 認, Enter.
pub fn parse_sequence(notation: &str) -> Result<Vec<KeyChord>, KeyError> {
    let mut out = Vec::new();
    let mut rest = notation;
    while let Some(c) = rest.chars().next() {
        if c != '<' {
            out.push(KeyChord::plain(KeyCode::Char(c)));
            rest = &rest[c.len_utf8()..];
            continue;
        }
        let body = &rest[1..];
        let Some(mut end) = body.find('>') else {
            return Err(KeyError::new(format!(
                "unclosed \"<\" in \"{notation}\" (write <lt> for a literal <)"
            )));
        };
        // `<C->>` is Ctrl+'>': the first '>' is the key, not the closer.
        if body[..end].ends_with('-') && body[end + 1..].starts_with('>') {
            end += 1;
        }
        out.push(parse_key(&body[..end])?);
        rest = &body[end + 1..];
    }
    Ok(out)
}

fn code_name(code: KeyCode) -> Option<&'static str> {
    match code {
        KeyCode::BackTab => Some("Tab"),
        KeyCode::Char(' ') => Some("Space"),
        KeyCode::Char(_) => None,
        _ => NAMES.iter().find(|(_, c)| *c == code).map(|(n, _)| *n),
    }
}

impl fmt::Display for KeyChord {
    /// Short ASCII notation (`C-p`, `S-Tab`, `Down`, `g`); `parse_key`
    /// reads it back.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (flag, name) in [
            (KeyModifiers::CONTROL, "C-"),
            (KeyModifiers::ALT, "A-"),
            (KeyModifiers::SHIFT, "S-"),
            (KeyModifiers::SUPER, "Super-"),
            (KeyModifiers::HYPER, "Hyper-"),
            (KeyModifiers::META, "Meta-"),
        ] {
            if self.mods.contains(flag) {
                f.write_str(name)?;
            }
        }
        if self.code == KeyCode::BackTab {
            f.write_str("S-")?;
        }
        if let Some(name) = code_name(self.code) {
            return f.write_str(name);
        }
        match self.code {
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::F(n) => write!(f, "F{n}"),
            other => write!(f, "{other:?}"),
        }
    }
}

/// Chords joined with a space: `g g`, `C-x C-s`.
pub fn display_sequence(keys: &[KeyChord]) -> String {
    keys.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn k(code: KeyCode, mods: KeyModifiers) -> KeyChord {
        KeyChord::new(code, mods)
    }

    #[test]
    fn single_chars_are_literal_and_case_sensitive() {
        assert_eq!(parse_key("a"), Ok(KeyChord::plain(KeyCode::Char('a'))));
        assert_eq!(parse_key("G"), Ok(KeyChord::plain(KeyCode::Char('G'))));
        for c in ["?", ":", "/", "-", "<", "あ", "1"] {
            let ch = c.chars().next().unwrap_or(' ');
            assert_eq!(parse_key(c), Ok(KeyChord::plain(KeyCode::Char(ch))), "{c}");
        }
    }

    #[test]
    fn names_are_case_insensitive() {
        for s in ["Enter", "enter", "ENTER", "Return"] {
            assert_eq!(parse_key(s), Ok(KeyChord::plain(KeyCode::Enter)), "{s}");
        }
        assert_eq!(parse_key("space"), Ok(KeyChord::plain(KeyCode::Char(' '))));
        assert_eq!(parse_key("f12"), Ok(KeyChord::plain(KeyCode::F(12))));
        assert_eq!(
            parse_key("PageDown"),
            Ok(KeyChord::plain(KeyCode::PageDown))
        );
    }

    #[test]
    fn modifiers() {
        let c = KeyModifiers::CONTROL;
        assert_eq!(parse_key("C-p"), Ok(k(KeyCode::Char('p'), c)));
        assert_eq!(parse_key("C-S-x"), Ok(k(KeyCode::Char('X'), c)));
        assert_eq!(parse_key("S-a"), Ok(KeyChord::plain(KeyCode::Char('A'))));
        assert_eq!(
            parse_key("A-x"),
            Ok(k(KeyCode::Char('x'), KeyModifiers::ALT))
        );
        assert_eq!(parse_key("C--"), Ok(k(KeyCode::Char('-'), c)));
        assert_eq!(parse_key("ctrl-Enter"), Ok(k(KeyCode::Enter, c)));
    }

    #[test]
    fn backtab_is_shift_tab() {
        let bt = KeyChord::plain(KeyCode::BackTab);
        assert_eq!(parse_key("S-Tab"), Ok(bt));
        assert_eq!(parse_key("BackTab"), Ok(bt));
        assert_eq!(k(KeyCode::BackTab, KeyModifiers::SHIFT), bt);
        assert_eq!(bt.to_string(), "S-Tab");
    }

    #[test]
    fn error_messages() {
        let msg = |s: &str| parse_key(s).map_err(|e| e.to_string()).err();
        assert_eq!(msg("Entr").as_deref(), Some("unknown key name \"Entr\""));
        assert_eq!(msg("").as_deref(), Some("empty key"));
        assert_eq!(
            msg("X-a").as_deref(),
            Some("unknown modifier \"X\" in \"X-a\"")
        );
        assert_eq!(
            msg("C-").as_deref(),
            Some("missing key after modifier in \"C-\"")
        );
        assert_eq!(
            msg("C-C-x").as_deref(),
            Some("modifier \"C\" given twice in \"C-C-x\"")
        );
        assert_eq!(msg("F13x").as_deref(), Some("unknown key name \"F13x\""));
        assert_eq!(
            msg("F99").as_deref(),
            Some("no function key \"F99\" (F1 to F24)")
        );
        assert!(msg("g g").is_some_and(|m| m.contains("one key per array element")));
        assert_eq!(
            msg("Ctrl+p").as_deref(),
            Some("unknown key name \"Ctrl+p\" (write modifiers with '-', e.g. \"C-p\")")
        );
    }

    #[test]
    fn display_is_short_ascii() {
        let cases = [
            ("C-p", "C-p"),
            ("enter", "Enter"),
            ("Down", "Down"),
            ("S-Tab", "S-Tab"),
            ("g", "g"),
            ("Space", "Space"),
            ("F5", "F5"),
            ("C-S-Up", "C-S-Up"),
            ("lt", "<"),
        ];
        for (input, shown) in cases {
            let chord = parse_key(input);
            assert_eq!(
                chord.map(|c| c.to_string()).as_deref(),
                Ok(shown),
                "{input}"
            );
        }
        let gg = parse_sequence("gg").unwrap_or_default();
        assert_eq!(display_sequence(&gg), "g g");
    }

    #[test]
    fn sequences() {
        let seq = parse_sequence("<C-p>appr<Enter>").unwrap_or_default();
        assert_eq!(seq.len(), 6);
        assert_eq!(seq[0], k(KeyCode::Char('p'), KeyModifiers::CONTROL));
        assert_eq!(seq[5], KeyChord::plain(KeyCode::Enter));
        let jp = parse_sequence("<C-p>承認<Enter>").unwrap_or_default();
        assert_eq!(jp[1], KeyChord::plain(KeyCode::Char('承')));
        assert_eq!(jp.len(), 4);
        assert_eq!(
            parse_sequence("<lt>>"),
            Ok(vec![
                KeyChord::plain(KeyCode::Char('<')),
                KeyChord::plain(KeyCode::Char('>'))
            ])
        );
        assert_eq!(
            parse_sequence("<C->>"),
            Ok(vec![k(KeyCode::Char('>'), KeyModifiers::CONTROL)])
        );
        assert_eq!(parse_sequence("<Down><Down>").map(|s| s.len()), Ok(2));
        assert!(parse_sequence("<C-p").is_err());
        assert!(parse_sequence("<Entr>").is_err());
        assert_eq!(parse_sequence(""), Ok(vec![]));
    }

    #[test]
    fn events_are_normalised() {
        let ev = KeyEvent::new(KeyCode::Char('a'), KeyModifiers::SHIFT);
        assert_eq!(chord_from_event(&ev), KeyChord::plain(KeyCode::Char('A')));
        let ev = KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT);
        assert_eq!(chord_from_event(&ev), KeyChord::plain(KeyCode::BackTab));
    }

    fn code_strategy() -> impl Strategy<Value = KeyCode> {
        let named: Vec<KeyCode> = NAMES.iter().map(|(_, c)| *c).collect();
        prop_oneof![
            any::<char>().prop_map(KeyCode::Char),
            (1..=MAX_F).prop_map(KeyCode::F),
            proptest::sample::select(named),
        ]
    }

    fn mods_strategy() -> impl Strategy<Value = KeyModifiers> {
        (0u8..64).prop_map(|bits| {
            let mut m = KeyModifiers::NONE;
            for (i, flag) in [
                KeyModifiers::CONTROL,
                KeyModifiers::ALT,
                KeyModifiers::SHIFT,
                KeyModifiers::SUPER,
                KeyModifiers::HYPER,
                KeyModifiers::META,
            ]
            .into_iter()
            .enumerate()
            {
                if bits & (1 << i) != 0 {
                    m |= flag;
                }
            }
            m
        })
    }

    proptest! {
        #[test]
        fn parse_key_round_trips(code in code_strategy(), mods in mods_strategy()) {
            let chord = KeyChord::new(code, mods);
            let shown = chord.to_string();
            prop_assert!(
                !shown.contains(['←', '→', '↑', '↓']),
                "arrow glyph in {shown}"
            );
            prop_assert_eq!(parse_key(&shown), Ok(chord), "{}", shown);
        }

        #[test]
        fn parse_sequence_never_panics(s in any::<String>()) {
            let _ = parse_sequence(&s);
        }

        #[test]
        fn parse_sequence_never_panics_on_notation_like(s in "[<>a-zC\\-SA あ]{0,12}") {
            let _ = parse_sequence(&s);
        }

        #[test]
        fn parse_key_never_panics(s in any::<String>()) {
            let _ = parse_key(&s);
        }
    }
}
