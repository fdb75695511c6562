//! Text normalisation for search and comparison.
//!
//! Staff type `ｹｱ`, `ケア` or `けあ` for the same thing; addresses mix full- and
//! half-width digits. The search key is NFKC (full/half width folded), hiragana folded to
//! katakana, ASCII lower-cased, and all whitespace removed.

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

/// Display width in terminal cells (East Asian Wide = 2).
pub fn width(s: &str) -> usize {
    s.width()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

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
        fn search_key_is_idempotent(s in "\\PC{0,40}") {
            let once = search_key(&s);
            prop_assert_eq!(search_key(&once), once.clone());
        }
    }
}
