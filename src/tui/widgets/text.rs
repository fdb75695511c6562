//! Display-width text helpers: wide characters take two cells and are never split.
//!
//! Everything here measures and returns text as it is drawn: half-width katakana become
//! full-width first (see [`display`]), so widths match what reaches the cells.

use std::borrow::Cow;
use unicode_normalization::UnicodeNormalization;
use unicode_width::UnicodeWidthChar;

pub fn char_width(c: char) -> usize {
    c.width().unwrap_or(0)
}

/// Width in cells of `s` as drawn (after [`display`]), counted per char the way
/// terminals advance the cursor — never per grapheme cluster.
pub fn width(s: &str) -> usize {
    display(s).chars().map(char_width).sum()
}

fn is_halfwidth_kana(c: char) -> bool {
    ('\u{FF61}'..='\u{FF9F}').contains(&c)
}

/// Text as it may be drawn: half-width katakana and punctuation (U+FF61–U+FF9F) become
/// full-width (`ｹｱﾌﾟﾗﾝ` → `ケアプラン`). Their sound marks ﾞ/ﾟ are grapheme extenders
/// that terminals nevertheless draw in a cell of their own, and ratatui merges them
/// into the previous cell, which shifts every cell after them. Only for display: the
/// stored text is never changed.
pub fn display(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_halfwidth_kana) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut String| {
        // A mark that composes with nothing stays a spacing mark (゛゜), never a
        // combining one.
        out.extend(run.nfkc().map(|c| match c {
            '\u{3099}' => '\u{309B}',
            '\u{309A}' => '\u{309C}',
            c => c,
        }));
        run.clear();
    };
    for c in s.chars() {
        if is_halfwidth_kana(c) {
            run.push(c);
        } else {
            flush(&mut run, &mut out);
            out.push(c);
        }
    }
    flush(&mut run, &mut out);
    Cow::Owned(out)
}

/// Lines built from raw text, made safe to draw (see [`display`]).
pub fn display_lines(
    lines: Vec<ratatui::text::Line<'static>>,
) -> Vec<ratatui::text::Line<'static>> {
    lines
        .into_iter()
        .map(|mut line| {
            for span in &mut line.spans {
                if let Cow::Owned(s) = display(&span.content) {
                    span.content = Cow::Owned(s);
                }
            }
            line
        })
        .collect()
}

/// Cuts `s` to at most `max` cells; a wide char that would straddle the edge is dropped
/// and the cell padded, and `ellipsis` marks the cut when there is room for it.
pub fn truncate(s: &str, max: usize, ellipsis: &str) -> String {
    let s = display(s);
    let s = s.as_ref();
    if width(s) <= max {
        return s.to_string();
    }
    let ew = width(ellipsis);
    let budget = max.saturating_sub(ew);
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = char_width(c);
        if used + w > budget {
            break;
        }
        out.push(c);
        used += w;
    }
    if ew <= max {
        out.push_str(ellipsis);
        used += ew;
    }
    out.extend(std::iter::repeat_n(' ', max.saturating_sub(used)));
    out
}

/// Breaks `s` into lines of at most `w` cells: Japanese anywhere (a closing 、。）」
/// may hang one char past the edge), ASCII words ("UTF-8", "Shift_JIS") whole where
/// they fit on a line; a longer word is cut.
pub fn wrap(s: &str, w: usize) -> Vec<String> {
    let s = display(s);
    let w = w.max(2);
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut used = 0;
    // Where the current ASCII word starts (byte offset in `line`, width before it).
    let mut word: Option<(usize, usize)> = None;
    for c in s.chars() {
        let cw = char_width(c);
        let closing = matches!(c, '、' | '。' | '）' | '」' | '，' | '．' | ')' | ',' | '.');
        if used + cw > w && !(closing && used <= w && used + cw <= w + 2) {
            let split = word
                .filter(|(at, before)| c.is_ascii_graphic() && *at > 0 && used - before + cw <= w);
            match split {
                Some((at, before)) => {
                    let rest = line.split_off(at);
                    lines.push(line.trim_end().to_string());
                    line = rest;
                    used -= before;
                    word = Some((0, 0));
                }
                None => {
                    lines.push(line.trim_end().to_string());
                    line = String::new();
                    used = 0;
                    word = None;
                }
            }
            if c == ' ' {
                continue;
            }
        }
        if !c.is_ascii_graphic() {
            word = None;
        } else if word.is_none() {
            word = Some((line.len(), used));
        }
        line.push(c);
        used += cw;
    }
    if !line.trim_end().is_empty() || lines.is_empty() {
        lines.push(line.trim_end().to_string());
    }
    lines
}

/// Truncates and pads with spaces to exactly `w` cells.
pub fn fit(s: &str, w: usize, ellipsis: &str) -> String {
    let t = truncate(s, w, ellipsis);
    let tw = width(&t);
    format!("{t}{}", " ".repeat(w.saturating_sub(tw)))
}

/// Right-aligned to exactly `w` cells.
pub fn fit_right(s: &str, w: usize) -> String {
    let t = truncate(s, w, "");
    format!("{}{t}", " ".repeat(w.saturating_sub(width(&t))))
}

/// Cell offset of char index `chars` in `s` (for placing the terminal cursor).
pub fn width_of_prefix(s: &str, chars: usize) -> usize {
    s.chars().take(chars).map(char_width).sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn halfwidth_kana_are_drawn_full_width() {
        assert_eq!(display("ｹｱﾌﾟﾗﾝｾﾝﾀｰﾀﾞｲｺﾞ"), "ケアプランセンターダイゴ");
        assert_eq!(display("ｶﾞ ﾊﾟ ｳﾞ ｱﾞ ﾞ｡｢ｱ｣"), "ガ パ ヴ ア゛ ゛。「ア」");
        assert!(matches!(display("ケア care"), Cow::Borrowed(_)));
        assert_eq!(width("ｹｱﾌﾟ"), 6);
        assert_eq!(fit("ﾀﾞｲｺﾞ", 5, ""), "ダイ ");
        assert_eq!(fit("ﾀﾞｲｺﾞ", 5, "…"), "ダイ…");
    }

    #[test]
    fn wrap_breaks_english_at_spaces_and_japanese_anywhere() {
        assert_eq!(
            wrap("Move up one page of rows", 10),
            vec!["Move up", "one page", "of rows"]
        );
        assert_eq!(
            wrap("期限3か月以内・会議期限超過", 10),
            vec!["期限3か月", "以内・会議", "期限超過"]
        );
        // A closing mark stays on its line even one cell over.
        assert_eq!(wrap("ああああ。いい", 8), vec!["ああああ。", "いい"]);
        assert_eq!(wrap("", 5), vec![""]);
        assert_eq!(wrap("abcdefghij", 4), vec!["abcd", "efgh", "ij"]);
        assert_eq!(
            wrap("書き出す（Excel用UTF-8 / Shift_JIS）", 20),
            vec!["書き出す（Excel用", "UTF-8 / Shift_JIS）"]
        );
    }

    proptest! {
        #[test]
        fn wrapped_lines_fit(s in "[a-z あいう、。]{0,60}", w in 4usize..30) {
            for line in wrap(&s, w) {
                prop_assert!(width(&line) <= w + 2);
            }
        }
    }

    #[test]
    fn wide_chars_are_not_split() {
        assert_eq!(truncate("ケアホーム", 5, ""), "ケア ");
        assert_eq!(truncate("ケアホーム", 5, "…"), "ケア…");
        assert_eq!(fit("ab", 4, ""), "ab  ");
        assert_eq!(fit_right("12", 4), "  12");
        assert_eq!(width_of_prefix("あいa", 2), 4);
    }

    proptest! {
        #[test]
        fn fit_is_exact_width(s in "\\PC{0,30}", w in 0usize..40) {
            let out = fit(&s, w, "...");
            prop_assert_eq!(width(&out), w);
        }
    }
}
