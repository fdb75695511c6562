//! Every glyph the UI draws comes from here, chosen for the terminal's
//! East Asian Ambiguous width (see [`crate::tui::probe`]).
//!
//! In a terminal set up for Japanese (Tera Term `UnicodeAmbiguousWidth=2`,
//! PuTTY "CJK ambiguous wide") box drawing `─│┌`, `○`, `×`, `…`, `▲`, `●`
//! occupy two cells while ratatui counts one, so every border and every
//! column after such a glyph is shifted. The Wide set therefore uses only
//! ASCII (always 1 cell) or fullwidth/Japanese characters (East Asian Wide,
//! always 2 cells in every terminal): `〇` U+3007, `ー` U+30FC, `Ｘ` U+FF38,
//! `＊` U+FF0A.
//!
//! Fullwidth marks are 2 cells wide. Callers must measure glyphs with
//! `unicode-width` (or [`Glyphs::mark_width`]) and never assume 1 cell.

use std::borrow::Cow;

use ratatui::symbols::border;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use crate::tui::probe::AmbiguousWidth;

/// The glyph set for one terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Glyphs {
    /// Block borders.
    pub border: border::Set<'static>,
    /// Checklist: item satisfied (適).
    pub mark_ok: &'static str,
    /// Checklist: not applicable (該当なし).
    pub mark_na: &'static str,
    /// Checklist: missing / deficient (不備).
    pub mark_gap: &'static str,
    /// Gutter marker of the row the cursor is on.
    pub cursor: &'static str,
    /// Column / footer separator.
    pub sep: &'static str,
    /// Marks truncated text.
    pub ellipsis: &'static str,
    /// Replaces each character of masked personal data.
    pub masked_char: char,
    /// Scrollbar thumb and track.
    pub scroll_thumb: &'static str,
    pub scroll_track: &'static str,
    /// Sort direction in a column header.
    pub sort_asc: &'static str,
    pub sort_desc: &'static str,
    /// List bullet.
    pub bullet: &'static str,
    /// Multi-select checkbox, on / off.
    pub check_on: &'static str,
    pub check_off: &'static str,
    /// "More content" hints at the ends of a scrolled view / tab strip.
    pub more_left: &'static str,
    pub more_right: &'static str,
    /// Bar chart levels (the overview's chart).
    pub bar: &'static ratatui::symbols::bar::Set<'static>,
}

/// ASCII bar levels: 1 cell in every terminal.
pub const ASCII_BARS: ratatui::symbols::bar::Set<'static> = ratatui::symbols::bar::Set {
    full: "#",
    seven_eighths: "#",
    three_quarters: "#",
    five_eighths: "=",
    half: "=",
    three_eighths: "=",
    one_quarter: "_",
    one_eighth: "_",
    empty: " ",
};

/// ASCII border: 1 cell in every terminal and every font.
pub const ASCII_BORDER: border::Set<'static> = border::Set {
    top_left: "+",
    top_right: "+",
    bottom_left: "+",
    bottom_right: "+",
    vertical_left: "|",
    vertical_right: "|",
    horizontal_top: "-",
    horizontal_bottom: "-",
};

const NARROW: Glyphs = Glyphs {
    border: border::PLAIN,
    mark_ok: "○",
    mark_na: "-",
    mark_gap: "×",
    cursor: "▶",
    sep: "│",
    ellipsis: "…",
    masked_char: '●',
    scroll_thumb: "█",
    scroll_track: "│",
    sort_asc: "▲",
    sort_desc: "▼",
    bullet: "•",
    check_on: "[x]",
    check_off: "[ ]",
    more_left: "◀",
    more_right: "▶",
    bar: &ratatui::symbols::bar::NINE_LEVELS,
};

const WIDE: Glyphs = Glyphs {
    border: ASCII_BORDER,
    mark_ok: "〇",
    mark_na: "ー",
    mark_gap: "Ｘ",
    cursor: ">",
    sep: "|",
    ellipsis: "...",
    masked_char: '＊',
    scroll_thumb: "#",
    scroll_track: "|",
    sort_asc: "^",
    sort_desc: "v",
    bullet: "*",
    check_on: "[x]",
    check_off: "[ ]",
    more_left: "<",
    more_right: ">",
    bar: &ASCII_BARS,
};

/// Glyphs for a terminal. `Narrow` gets box drawing and `○`; `Wide`, or
/// `ascii_borders` (fonts without box drawing, or a user who prefers it),
/// gets the set free of ambiguous characters.
pub fn for_width(w: AmbiguousWidth, ascii_borders: bool) -> Glyphs {
    match (w, ascii_borders) {
        (AmbiguousWidth::Narrow, false) => NARROW,
        _ => WIDE,
    }
}

impl Glyphs {
    /// Cells needed for a checklist mark column (widest of ok/na/gap).
    pub fn mark_width(&self) -> usize {
        [self.mark_ok, self.mark_na, self.mark_gap]
            .iter()
            .map(|s| s.width())
            .max()
            .unwrap_or(1)
    }

    /// Every glyph with its field name (for `daicho doctor` and tests).
    pub fn named(&self) -> Vec<(&'static str, String)> {
        let b = &self.border;
        let strs = [
            ("border.top_left", b.top_left),
            ("border.top_right", b.top_right),
            ("border.bottom_left", b.bottom_left),
            ("border.bottom_right", b.bottom_right),
            ("border.vertical_left", b.vertical_left),
            ("border.vertical_right", b.vertical_right),
            ("border.horizontal_top", b.horizontal_top),
            ("border.horizontal_bottom", b.horizontal_bottom),
            ("mark_ok", self.mark_ok),
            ("mark_na", self.mark_na),
            ("mark_gap", self.mark_gap),
            ("cursor", self.cursor),
            ("sep", self.sep),
            ("ellipsis", self.ellipsis),
            ("scroll_thumb", self.scroll_thumb),
            ("scroll_track", self.scroll_track),
            ("sort_asc", self.sort_asc),
            ("sort_desc", self.sort_desc),
            ("bullet", self.bullet),
            ("check_on", self.check_on),
            ("check_off", self.check_off),
            ("more_left", self.more_left),
            ("more_right", self.more_right),
        ];
        let mut all: Vec<(&'static str, String)> =
            strs.iter().map(|(n, s)| (*n, (*s).to_string())).collect();
        all.push(("masked_char", self.masked_char.to_string()));
        all
    }
}

/// East Asian Width "A" (Ambiguous), for characters that take space.
///
/// unicode-width's `width_cjk` counts Ambiguous as 2 and `width` as 1 — except
/// for ambiguous *letters* (Greek, Cyrillic, `é`...), which it keeps at 1; those
/// come from the small `AMBIGUOUS_LETTERS` table. Checked against Python's
/// `unicodedata` (Unicode 14): every EAW=A character that takes space is
/// reported; the only extras are a few `Line_Break=AI` symbols (`⅓`, `①`-style
/// dingbats) that CJK fonts also draw wide.
/// Zero-width ambiguous characters (combining marks, variation selectors)
/// report false: they do not move the cursor either way.
pub fn is_east_asian_ambiguous(c: char) -> bool {
    c.width_cjk() != c.width()
        || AMBIGUOUS_LETTERS
            .binary_search_by(|&(lo, hi)| {
                if hi < c {
                    std::cmp::Ordering::Less
                } else if lo > c {
                    std::cmp::Ordering::Greater
                } else {
                    std::cmp::Ordering::Equal
                }
            })
            .is_ok()
}

/// EAW=A characters of General_Category Letter or Modifier_Symbol (Latin-1
/// letters, Greek, Cyrillic, spacing accents): unicode-width 0.2 counts them
/// 1 cell even in `width_cjk`, but Tera Term/PuTTY with ambiguous=wide draw
/// them 2 cells. Generated from EastAsianWidth.txt (Unicode 14) + categories.
const AMBIGUOUS_LETTERS: &[(char, char)] = &[
    ('\u{00A8}', '\u{00A8}'),
    ('\u{00AA}', '\u{00AA}'),
    ('\u{00B4}', '\u{00B4}'),
    ('\u{00B8}', '\u{00B8}'),
    ('\u{00BA}', '\u{00BA}'),
    ('\u{00C6}', '\u{00C6}'),
    ('\u{00D0}', '\u{00D0}'),
    ('\u{00D8}', '\u{00D8}'),
    ('\u{00DE}', '\u{00E1}'),
    ('\u{00E6}', '\u{00E6}'),
    ('\u{00E8}', '\u{00EA}'),
    ('\u{00EC}', '\u{00ED}'),
    ('\u{00F0}', '\u{00F0}'),
    ('\u{00F2}', '\u{00F3}'),
    ('\u{00F8}', '\u{00FA}'),
    ('\u{00FC}', '\u{00FC}'),
    ('\u{00FE}', '\u{00FE}'),
    ('\u{0101}', '\u{0101}'),
    ('\u{0111}', '\u{0111}'),
    ('\u{0113}', '\u{0113}'),
    ('\u{011B}', '\u{011B}'),
    ('\u{0126}', '\u{0127}'),
    ('\u{012B}', '\u{012B}'),
    ('\u{0131}', '\u{0133}'),
    ('\u{0138}', '\u{0138}'),
    ('\u{013F}', '\u{0142}'),
    ('\u{0144}', '\u{0144}'),
    ('\u{0148}', '\u{014B}'),
    ('\u{014D}', '\u{014D}'),
    ('\u{0152}', '\u{0153}'),
    ('\u{0166}', '\u{0167}'),
    ('\u{016B}', '\u{016B}'),
    ('\u{01CE}', '\u{01CE}'),
    ('\u{01D0}', '\u{01D0}'),
    ('\u{01D2}', '\u{01D2}'),
    ('\u{01D4}', '\u{01D4}'),
    ('\u{01D6}', '\u{01D6}'),
    ('\u{01D8}', '\u{01D8}'),
    ('\u{01DA}', '\u{01DA}'),
    ('\u{01DC}', '\u{01DC}'),
    ('\u{0251}', '\u{0251}'),
    ('\u{0261}', '\u{0261}'),
    ('\u{02C4}', '\u{02C4}'),
    ('\u{02C7}', '\u{02C7}'),
    ('\u{02C9}', '\u{02CB}'),
    ('\u{02CD}', '\u{02CD}'),
    ('\u{02D0}', '\u{02D0}'),
    ('\u{02D8}', '\u{02DB}'),
    ('\u{02DD}', '\u{02DD}'),
    ('\u{02DF}', '\u{02DF}'),
    ('\u{0391}', '\u{03A1}'),
    ('\u{03A3}', '\u{03A9}'),
    ('\u{03B1}', '\u{03C1}'),
    ('\u{03C3}', '\u{03C9}'),
    ('\u{0401}', '\u{0401}'),
    ('\u{0410}', '\u{044F}'),
    ('\u{0451}', '\u{0451}'),
    ('\u{207F}', '\u{207F}'),
    ('\u{2113}', '\u{2113}'),
    ('\u{2126}', '\u{2126}'),
    ('\u{212B}', '\u{212B}'),
];

/// Characters common in ledger *data* (imported from Excel/CSV) that are
/// Ambiguous, with a replacement that is not.
const DATA_REPLACEMENTS: &[(char, &str)] = &[
    ('○', "〇"),
    ('◯', "〇"),
    ('×', "Ｘ"),
    ('※', "＊"),
    ('→', "＞"),
    ('←', "＜"),
    ('─', "ー"),
    ('━', "ー"),
    ('―', "ー"),
    ('‐', "-"),
    ('–', "-"),
    ('—', "ー"),
    ('…', "..."),
    ('‥', ".."),
    ('“', "\""),
    ('”', "\""),
    ('‘', "'"),
    ('’', "'"),
    ('・', "・"), // U+30FB is Wide already: listed so nobody "fixes" it
];

/// Make data text safe to draw. When `wide` (ambiguous chars are 2 cells in
/// this terminal), replace the common ambiguous characters from
/// `DATA_REPLACEMENTS` with unambiguous look-alikes; otherwise, or when
/// there is nothing to replace, return the input unchanged (no allocation).
/// Other ambiguous characters (Greek, `±`, `§`, `●`, ...) pass through;
/// check with [`is_east_asian_ambiguous`] where that matters.
pub fn sanitize_for_terminal(s: &str, wide: bool) -> Cow<'_, str> {
    let lookup = |c: char| {
        DATA_REPLACEMENTS
            .iter()
            .find(|(from, to)| *from == c && to.chars().ne([c]))
            .map(|(_, to)| *to)
    };
    if !wide || !s.chars().any(|c| lookup(c).is_some()) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match lookup(c) {
            Some(to) => out.push_str(to),
            None => out.push(c),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ambiguous_detection_matches_known_characters() {
        for c in [
            '─', '│', '┌', '○', '×', '※', '→', '…', '▲', '●', '■', '◆', '★', '①', 'α', 'Д', '°',
            '±', '§', '█',
        ] {
            assert!(is_east_asian_ambiguous(c), "{c} (U+{:04X})", c as u32);
        }
        for c in [
            'a', '+', '-', '|', 'あ', 'ア', '漢', '〇', 'ー', 'Ｘ', '＊', '＞', '・', '〓', 'ｱ',
        ] {
            assert!(!is_east_asian_ambiguous(c), "{c} (U+{:04X})", c as u32);
        }
    }

    #[test]
    fn wide_set_has_no_ambiguous_characters() {
        for glyphs in [
            for_width(AmbiguousWidth::Wide, false),
            for_width(AmbiguousWidth::Narrow, true),
        ] {
            for (name, s) in glyphs.named() {
                assert!(!s.is_empty(), "{name} is empty");
                for c in s.chars() {
                    assert!(
                        !is_east_asian_ambiguous(c),
                        "{name}: {c:?} (U+{:04X}) is ambiguous",
                        c as u32
                    );
                }
            }
        }
    }

    #[test]
    fn wide_border_is_ascii_and_narrow_is_box_drawing() {
        let wide = for_width(AmbiguousWidth::Wide, false);
        assert_eq!(wide.border, ASCII_BORDER);
        assert_eq!(wide.mark_ok, "〇");
        assert_eq!(wide.masked_char, '＊');
        let narrow = for_width(AmbiguousWidth::Narrow, false);
        assert_eq!(narrow.border, border::PLAIN);
        assert_eq!(narrow.mark_ok, "○");
    }

    #[test]
    fn mark_width_accounts_for_fullwidth() {
        assert_eq!(for_width(AmbiguousWidth::Wide, false).mark_width(), 2);
        assert_eq!(for_width(AmbiguousWidth::Narrow, false).mark_width(), 1);
    }

    #[test]
    fn every_narrow_glyph_is_one_cell_or_ascii() {
        // In a Narrow terminal ambiguous chars are 1 cell, like `width()` says.
        for (name, s) in for_width(AmbiguousWidth::Narrow, false).named() {
            assert_eq!(s.width(), s.chars().count(), "{name}");
        }
    }

    #[test]
    fn sanitize_replaces_only_when_wide() {
        let s = "書類○ 期限×※要確認 → 2025年…";
        assert_eq!(sanitize_for_terminal(s, false), s);
        assert!(matches!(sanitize_for_terminal(s, false), Cow::Borrowed(_)));
        let out = sanitize_for_terminal(s, true);
        assert_eq!(out, "書類〇 期限Ｘ＊要確認 ＞ 2025年...");
        assert!(!out.chars().any(is_east_asian_ambiguous));
    }

    #[test]
    fn sanitize_borrows_when_nothing_to_do() {
        for s in ["", "介護老人福祉施設・ケアハウス", "abc 123", "ー〇"] {
            assert!(
                matches!(sanitize_for_terminal(s, true), Cow::Borrowed(_)),
                "{s}"
            );
        }
        assert_eq!(sanitize_for_terminal("“A”─B", true), "\"A\"ーB");
    }
}
