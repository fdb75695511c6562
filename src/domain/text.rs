//! Text normalisation for search and comparison.
//!
//! Staff type `ｹｱ`, `ケア` or `けあ` for the same thing; addresses mix full- and
//! half-width digits. The search key is NFKC (full/half width folded), hiragana folded to
//! katakana, ASCII lower-cased, and all whitespace removed.
//!
//! Also the one rule for free text that a service stores ([`check_free_text`]) and the
//! one way to print stored text on a terminal ([`escape_for_terminal`]).

use super::validate::FieldError;
use std::borrow::Cow;
use unicode_normalization::UnicodeNormalization;
use unicode_width::UnicodeWidthStr;

pub fn nfkc(s: &str) -> String {
    s.nfkc().collect()
}

/// The search key of a text: what is indexed and what a query is turned into.
pub fn search_key(s: &str) -> String {
    let folded: String = s
        .nfkc()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            // Hiragana ぁ..ゖ and ゝゞ map 0x60 up to katakana.
            '\u{3041}'..='\u{3096}' | '\u{309D}'..='\u{309E}' => {
                char::from_u32(c as u32 + 0x60).unwrap_or(c)
            }
            c => c.to_ascii_lowercase(),
        })
        .collect();
    // Folding can make a composable pair (わ+゛ has no precomposed hiragana, ワ+゛ = ヷ):
    // compose again so the key is stable.
    if folded.is_ascii() {
        folded
    } else {
        folded.nfkc().collect()
    }
}

/// Half-width katakana (U+FF61–U+FF9F: `ｹｱﾌﾟﾗﾝ`, `｡｢｣､･`) as full width (`ケアプラン`), by
/// NFKC of just those characters: every stored text goes through this so names display
/// and align correctly. Everything else (full-width digits, 〇, compatibility kanji) is
/// left as typed. A sound mark after a full-width kana (`カﾞ`) composes with it (`ガ`).
pub fn fold_halfwidth_kana(s: &str) -> Cow<'_, str> {
    let is_half = |c: char| ('\u{FF61}'..='\u{FF9F}').contains(&c);
    if !s.chars().any(is_half) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    let mut run = String::new();
    let flush = |out: &mut String, run: &mut String| {
        if !run.is_empty() {
            // A run starting with ﾞ/ﾟ takes the character before it along, so they compose.
            if run.starts_with(['\u{FF9E}', '\u{FF9F}']) {
                let kana_before = out
                    .chars()
                    .next_back()
                    .is_some_and(|c| ('\u{3041}'..='\u{30FF}').contains(&c));
                if kana_before && let Some(prev) = out.pop() {
                    run.insert(0, prev);
                }
            }
            out.extend(run.nfkc());
            run.clear();
        }
    };
    for c in s.chars() {
        if is_half(c) {
            run.push(c);
        } else {
            flush(&mut out, &mut run);
            out.push(c);
        }
    }
    flush(&mut out, &mut run);
    Cow::Owned(out)
}

/// Display width in terminal cells (East Asian Wide = 2).
pub fn width(s: &str) -> usize {
    s.width()
}

/// Characters no stored text may contain: C0/C1 controls and DEL (ESC starts terminal
/// commands), bidi overrides and isolates (they reorder what is displayed), zero-width
/// and other invisible format characters, line/paragraph separators, and noncharacters.
/// Variation selectors (IVS for kanji variants) and private-use 外字 stay allowed.
pub fn is_forbidden_char(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{00AD}'
                | '\u{061C}'
                | '\u{180E}'
                | '\u{200B}'..='\u{200F}'
                | '\u{2028}'..='\u{202E}'
                | '\u{2060}'..='\u{206F}'
                | '\u{FEFF}'
                | '\u{FFF9}'..='\u{FFFB}'
                | '\u{FFFE}'
                | '\u{FFFF}'
                | '\u{E0000}'..='\u{E007F}'
        )
}

/// The free-text rule every service write applies to text it stores (names, addresses,
/// reasons, notes, file names): at most `max_chars` characters and no
/// [`is_forbidden_char`] (a line feed only where `multi_line`). Refused, never cleaned.
pub fn check_free_text(
    field: &'static str,
    value: &str,
    max_chars: usize,
    multi_line: bool,
) -> Result<(), FieldError> {
    // Count at most one past the cap: a 10 MB paste is refused without walking it all.
    let n = value.chars().take(max_chars + 1).count();
    if n > max_chars {
        return Err(FieldError::new(
            field,
            format!("{max_chars}文字以内で入力してください"),
            format!("at most {max_chars} characters are allowed"),
        ));
    }
    if let Some(c) = value
        .chars()
        .find(|&c| is_forbidden_char(c) && !(multi_line && c == '\n'))
    {
        let code = format!("U+{:04X}", u32::from(c));
        return Err(FieldError::new(
            field,
            format!("制御文字・書式制御文字（{code}）は使えません。取り除いて入力し直してください"),
            format!(
                "control or invisible formatting character {code} is not allowed; remove it and try again"
            ),
        ));
    }
    Ok(())
}

/// Stored text made safe to print on a terminal: every [`is_forbidden_char`] (line feeds
/// included, so one record stays one line) becomes a visible `\u{1b}`-style escape.
/// Text without such characters is returned as is.
pub fn escape_for_terminal(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_forbidden_char) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if is_forbidden_char(c) {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// `s` padded with spaces to `cells` terminal cells (East Asian Wide counts 2), for
/// plain-text tables; longer text is left as is.
pub fn pad_to_width(s: &str, cells: usize) -> String {
    let w = width(s);
    let mut out = s.to_string();
    out.extend(std::iter::repeat_n(' ', cells.saturating_sub(w)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn free_text_refuses_terminal_commands_bidi_and_length() {
        let paste = "確認\u{1b}]52;c;ZWNobyBoaQ==\u{7}\u{1b}[2J";
        assert!(check_free_text("reason", paste, 200, false).is_err());
        for name in ["山田\u{202E}太郎", "山田\u{200B}太郎", "山田\u{2066}太郎"] {
            let e = check_free_text("display_name", name, 200, false).unwrap_err();
            assert!(e.en.contains("U+2"), "{}", e.en);
        }
        let e = check_free_text("reason", &"x".repeat(201), 200, false).unwrap_err();
        assert!(e.ja.contains("200") && e.en.contains("200"), "{e:?}");
        assert!(check_free_text("reason", "書類不足\n再提出", 200, false).is_err());
        assert!(check_free_text("note", "書類不足\n再提出", 200, true).is_ok());
        // Kanji variants (IVS) and 外字 (private use) are real names.
        assert!(check_free_text("name", "葛\u{E0100}飾 \u{E000}", 200, false).is_ok());
        assert!(check_free_text("name", &"あ".repeat(200), 200, false).is_ok());
    }

    #[test]
    fn halfwidth_kana_is_stored_full_width_and_nothing_else_changes() {
        assert_eq!(fold_halfwidth_kana("ｹｱﾌﾟﾗﾝ"), "ケアプラン");
        assert_eq!(fold_halfwidth_kana("ﾃﾞｲｻｰﾋﾞｽ戸山"), "デイサービス戸山");
        assert_eq!(fold_halfwidth_kana("ｶﾌﾞｼｷｶﾞｲｼｬ｢ｱ｣"), "カブシキガイシャ「ア」");
        assert_eq!(fold_halfwidth_kana("カﾞ"), "ガ");
        // Full-width digits, 〇 and compatibility kanji stay as typed.
        assert_eq!(
            fold_halfwidth_kana("西新宿１丁目〇\u{F91D}"),
            "西新宿１丁目〇\u{F91D}"
        );
        assert!(matches!(fold_halfwidth_kana("ケア"), Cow::Borrowed(_)));
    }

    #[test]
    fn escape_makes_commands_visible() {
        assert_eq!(
            escape_for_terminal("a\u{1b}[2Jb\u{202e}"),
            "a\\u{1b}[2Jb\\u{202e}"
        );
        assert!(matches!(escape_for_terminal("審査 一郎"), Cow::Borrowed(_)));
        assert_eq!(pad_to_width("審査", 6), "審査  ");
    }

    #[test]
    fn widths_and_kana_fold_to_one_key() {
        assert_eq!(search_key("ｹｱ"), "ケア");
        assert_eq!(search_key("けあ"), "ケア");
        assert_eq!(search_key("ケア"), "ケア");
        assert_eq!(search_key("新宿区　西新宿１丁目"), "新宿区西新宿1丁目");
        assert_eq!(search_key("ＡＢＣ Care"), "abccare");
        assert_eq!(search_key("ﾃﾞｲｻｰﾋﾞｽ"), "デイサービス");
    }

    proptest! {
        #[test]
        fn free_text_accepts_exactly_the_clean_short_texts(s in "\\PC{0,30}|.{0,30}", max in 0usize..40) {
            let clean = !s.chars().any(is_forbidden_char) && s.chars().count() <= max;
            prop_assert_eq!(check_free_text("f", &s, max, false).is_ok(), clean);
        }

        #[test]
        fn escaped_text_has_nothing_a_terminal_obeys(s in any::<String>()) {
            let e = escape_for_terminal(&s);
            prop_assert!(!e.chars().any(is_forbidden_char));
            prop_assert!(check_free_text("f", &e, usize::MAX - 1, false).is_ok());
            if !s.chars().any(is_forbidden_char) {
                prop_assert_eq!(e.as_ref(), s.as_str());
            }
        }

        #[test]
        fn folded_text_has_no_halfwidth_kana_and_folds_once(s in "[ｦ-ﾟア-ンa-z0-9 漢]{0,30}") {
            let once = fold_halfwidth_kana(&s).into_owned();
            let half = once.chars().any(|c| ('\u{FF61}'..='\u{FF9F}').contains(&c));
            prop_assert!(!half);
            prop_assert_eq!(fold_halfwidth_kana(&once).into_owned(), once.clone());
            prop_assert_eq!(search_key(&once), search_key(&s));
        }

        #[test]
        fn search_key_is_idempotent(s in "\\PC{0,40}") {
            let once = search_key(&s);
            prop_assert_eq!(search_key(&once), once.clone());
        }
    }
}

/// A name from data (a case number, a facility name) made safe as one file-name
/// component: path separators, `..`, leading dots, control and invisible characters
/// become `_`, and it is cut to 80 characters. Never empty.
pub fn safe_file_stem(name: &str) -> String {
    let mut out: String = name
        .chars()
        .map(|c| {
            if c == '/' || c == '\\' || c == ':' || is_forbidden_char(c) || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .take(80)
        .collect();
    while out.contains("..") {
        out = out.replace("..", "_");
    }
    let trimmed = out.trim_start_matches(['.', ' ']).trim_end();
    if trimmed.is_empty() {
        "_".to_string()
    } else {
        trimmed.to_string()
    }
}

#[cfg(test)]
mod file_stem_tests {
    use super::safe_file_stem;
    use proptest::prelude::*;

    #[test]
    fn hostile_names_become_one_plain_component() {
        assert_eq!(safe_file_stem("../../etc/passwd"), "____etc_passwd");
        assert_eq!(safe_file_stem(".hidden"), "hidden");
        assert_eq!(safe_file_stem(""), "_");
        assert_eq!(safe_file_stem("結果通知-R8-0001"), "結果通知-R8-0001");
    }

    proptest! {
        #[test]
        fn never_a_path(name in ".*") {
            let s = safe_file_stem(&name);
            prop_assert!(!s.is_empty());
            prop_assert!(!s.contains('/') && !s.contains('\\') && !s.contains(".."));
            prop_assert!(!s.starts_with('.'));
        }
    }
}
