//! Colour theme: 256 colours, 16 named ANSI colours, or monochrome.
//!
//! Why three modes: over SSH `COLORTERM` is usually not forwarded and Tera
//! Term says `TERM=xterm`, so 16 named colours (which follow the user's own
//! palette, chosen for their eyesight) is the safe default. `NO_COLOR`
//! (<https://no-color.org>) and `TERM=dumb` get modifiers only: bold, reverse,
//! underline, dim — no colour escape codes at all.
//!
//! Selection is NOT a full-row background: changing a row's background makes
//! the terminal repaint every cell of a row full of Japanese text (3 bytes a
//! character) on every cursor move, which is visibly slow over a VPN. Instead
//! the cursor row gets a gutter marker (`cursor_marker`) and `selected` (bold).

use std::str::FromStr;

use ratatui::style::{Color, Modifier, Style};

/// How many colours to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ColorMode {
    /// xterm 256-colour palette (`Color::Indexed`).
    Color256,
    /// The 16 named ANSI colours (follow the user's terminal palette).
    Color16,
    /// No colours, modifiers only.
    Mono,
}

impl FromStr for ColorMode {
    type Err = String;

    /// For `--theme 256|16|mono`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "256" => Ok(Self::Color256),
            "16" => Ok(Self::Color16),
            "mono" => Ok(Self::Mono),
            other => Err(format!(
                "unknown theme {other:?}: expected \"256\", \"16\" or \"mono\""
            )),
        }
    }
}

/// Pick a mode from the environment (`env` is `std::env::var(..).ok()` in the
/// app, a closure over a map in tests).
pub fn detect(env: &dyn Fn(&str) -> Option<String>) -> ColorMode {
    let var = |k: &str| env(k).unwrap_or_default();
    if !var("NO_COLOR").is_empty() {
        return ColorMode::Mono;
    }
    let colorterm = var("COLORTERM").to_ascii_lowercase();
    let term = var("TERM").to_ascii_lowercase();
    if colorterm == "truecolor" || colorterm == "24bit" || term.contains("256color") {
        ColorMode::Color256
    } else if term == "dumb" {
        ColorMode::Mono
    } else {
        ColorMode::Color16
    }
}

/// Every style the UI uses. Build with [`Theme::new`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub mode: ColorMode,
    /// Normal text.
    pub base: Style,
    /// Screen header line and column headers.
    pub header: Style,
    /// Emphasised part of the header (screen name, ward).
    pub header_accent: Style,
    /// Footer / key-help line.
    pub footer: Style,
    /// Key names inside the footer (`F2`, `Esc`).
    pub footer_key: Style,
    /// Text of the row under the cursor (bold, no background; see module docs).
    pub selected: Style,
    /// The gutter marker on the cursor row.
    pub cursor_marker: Style,
    /// Disabled menu items, read-only fields.
    pub disabled: Style,
    pub warning: Style,
    pub error: Style,
    pub ok: Style,
    /// Masked personal data (`＊＊＊`).
    pub masked: Style,
    /// Search hits inside text.
    pub highlight_match: Style,
    pub tab_active: Style,
    pub tab_inactive: Style,
    pub border: Style,
    /// Block titles.
    pub title: Style,
    /// Secondary information (timestamps, hints).
    pub dim: Style,
}

impl Theme {
    pub fn new(mode: ColorMode) -> Self {
        let bold = Modifier::BOLD;
        let plain = Style::new();
        match mode {
            ColorMode::Mono => Self {
                mode,
                base: plain,
                header: plain.add_modifier(bold),
                header_accent: plain.add_modifier(bold | Modifier::UNDERLINED),
                footer: plain,
                footer_key: plain.add_modifier(Modifier::REVERSED),
                selected: plain.add_modifier(bold),
                cursor_marker: plain.add_modifier(bold),
                disabled: plain.add_modifier(Modifier::DIM),
                warning: plain.add_modifier(bold),
                error: plain.add_modifier(bold | Modifier::REVERSED),
                ok: plain,
                masked: plain.add_modifier(Modifier::DIM),
                highlight_match: plain.add_modifier(Modifier::UNDERLINED),
                tab_active: plain.add_modifier(bold | Modifier::REVERSED),
                tab_inactive: plain,
                border: plain,
                title: plain.add_modifier(bold),
                dim: plain.add_modifier(Modifier::DIM),
            },
            ColorMode::Color16 => Self {
                mode,
                base: plain,
                header: plain.fg(Color::Cyan).add_modifier(bold),
                header_accent: plain.fg(Color::LightCyan).add_modifier(bold),
                footer: plain,
                footer_key: plain.fg(Color::Yellow).add_modifier(bold),
                selected: plain.add_modifier(bold),
                cursor_marker: plain.fg(Color::Yellow).add_modifier(bold),
                disabled: plain.fg(Color::DarkGray),
                warning: plain.fg(Color::Yellow),
                error: plain.fg(Color::LightRed).add_modifier(bold),
                ok: plain.fg(Color::Green),
                masked: plain.fg(Color::DarkGray),
                highlight_match: plain.fg(Color::Magenta).add_modifier(Modifier::UNDERLINED),
                tab_active: plain.fg(Color::Black).bg(Color::Cyan),
                tab_inactive: plain.fg(Color::Gray),
                border: plain.fg(Color::Gray),
                title: plain.fg(Color::Cyan).add_modifier(bold),
                dim: plain.fg(Color::DarkGray),
            },
            ColorMode::Color256 => Self {
                mode,
                base: plain,
                header: plain.fg(Color::Indexed(75)).add_modifier(bold),
                header_accent: plain.fg(Color::Indexed(117)).add_modifier(bold),
                footer: plain.fg(Color::Indexed(250)),
                footer_key: plain.fg(Color::Indexed(221)).add_modifier(bold),
                selected: plain.add_modifier(bold),
                cursor_marker: plain.fg(Color::Indexed(214)).add_modifier(bold),
                disabled: plain.fg(Color::Indexed(243)),
                warning: plain.fg(Color::Indexed(214)),
                error: plain.fg(Color::Indexed(203)).add_modifier(bold),
                ok: plain.fg(Color::Indexed(114)),
                masked: plain.fg(Color::Indexed(244)),
                highlight_match: plain
                    .fg(Color::Indexed(213))
                    .add_modifier(Modifier::UNDERLINED),
                tab_active: plain.fg(Color::Indexed(16)).bg(Color::Indexed(75)),
                tab_inactive: plain.fg(Color::Indexed(248)),
                border: plain.fg(Color::Indexed(240)),
                title: plain.fg(Color::Indexed(75)).add_modifier(bold),
                dim: plain.fg(Color::Indexed(244)),
            },
        }
    }

    /// Every style with its name (for tests and `daicho doctor`).
    pub fn styles(&self) -> [(&'static str, Style); 18] {
        [
            ("base", self.base),
            ("header", self.header),
            ("header_accent", self.header_accent),
            ("footer", self.footer),
            ("footer_key", self.footer_key),
            ("selected", self.selected),
            ("cursor_marker", self.cursor_marker),
            ("disabled", self.disabled),
            ("warning", self.warning),
            ("error", self.error),
            ("ok", self.ok),
            ("masked", self.masked),
            ("highlight_match", self.highlight_match),
            ("tab_active", self.tab_active),
            ("tab_inactive", self.tab_inactive),
            ("border", self.border),
            ("title", self.title),
            ("dim", self.dim),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |k| {
            pairs
                .iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn detect_modes() {
        let d = |p| detect(&env(p));
        assert_eq!(
            d(&[("NO_COLOR", "1"), ("TERM", "xterm-256color")]),
            ColorMode::Mono
        );
        assert_eq!(
            d(&[("NO_COLOR", ""), ("TERM", "xterm")]),
            ColorMode::Color16
        );
        assert_eq!(d(&[("TERM", "xterm-256color")]), ColorMode::Color256);
        assert_eq!(
            d(&[("TERM", "xterm"), ("COLORTERM", "truecolor")]),
            ColorMode::Color256
        );
        assert_eq!(d(&[("COLORTERM", "24bit")]), ColorMode::Color256);
        assert_eq!(d(&[("TERM", "dumb")]), ColorMode::Mono);
        assert_eq!(
            d(&[("TERM", "xterm")]),
            ColorMode::Color16,
            "Tera Term default"
        );
        assert_eq!(d(&[]), ColorMode::Color16);
    }

    #[test]
    fn parse_theme_flag() {
        assert_eq!("256".parse(), Ok(ColorMode::Color256));
        assert_eq!("16".parse(), Ok(ColorMode::Color16));
        assert_eq!("MONO".parse(), Ok(ColorMode::Mono));
        assert!("8".parse::<ColorMode>().is_err());
    }

    #[test]
    fn mono_has_no_colours() {
        let t = Theme::new(ColorMode::Mono);
        for (name, s) in t.styles() {
            assert_eq!(s.fg, None, "{name} fg");
            assert_eq!(s.bg, None, "{name} bg");
        }
        assert_ne!(
            t.cursor_marker,
            Style::new(),
            "cursor must be visible in mono"
        );
    }

    #[test]
    fn palette_matches_mode() {
        let named = |c: Option<Color>| !matches!(c, Some(Color::Indexed(_) | Color::Rgb(..)));
        for (name, s) in Theme::new(ColorMode::Color16).styles() {
            assert!(named(s.fg) && named(s.bg), "{name} uses a non-16 colour");
        }
        for (name, s) in Theme::new(ColorMode::Color256).styles() {
            let ok = |c: Option<Color>| matches!(c, None | Some(Color::Indexed(_)));
            assert!(ok(s.fg) && ok(s.bg), "{name} is not Indexed");
        }
    }

    #[test]
    fn selection_is_not_a_row_background() {
        for mode in [ColorMode::Color256, ColorMode::Color16, ColorMode::Mono] {
            let t = Theme::new(mode);
            assert_eq!(t.selected.bg, None);
            assert!(!t.selected.add_modifier.contains(Modifier::REVERSED));
        }
    }
}
