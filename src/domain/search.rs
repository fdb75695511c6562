//! What the ledger search line means: several words are all required (`ケア 戸山`), a
//! quoted phrase is one term with its spaces (`"ケア ホーム"`), and every term is matched
//! on its search key ([`super::text::search_key`]: width, kana and case folded, spaces
//! removed, as the index holds it). The screen highlights each term of the parsed query.

use super::text::search_key;

/// One term of a query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// As typed (a phrase without its quotes), for highlighting.
    pub text: String,
    /// The normalised key that is searched for (never empty).
    pub key: String,
}

/// At most this many terms are used; the rest of a long paste is ignored.
pub const MAX_TERMS: usize = 8;

/// Splits the search line into terms: words are separated by spaces (half or full
/// width); `"…"` or `「…」` keeps a phrase together (an unclosed quote runs to the end).
/// Terms whose key is empty are dropped, and repeated keys kept once.
pub fn parse_query(raw: &str) -> Vec<Term> {
    let mut terms: Vec<Term> = Vec::new();
    let mut push = |text: &str| {
        let key = search_key(text);
        if !key.is_empty() && !terms.iter().any(|t| t.key == key) && terms.len() < MAX_TERMS {
            terms.push(Term {
                text: text.trim().to_string(),
                key,
            });
        }
    };
    let mut rest = raw;
    loop {
        rest = rest.trim_start();
        let Some(first) = rest.chars().next() else {
            break;
        };
        let close = match first {
            '"' | '＂' => Some(['"', '＂']),
            '「' => Some(['」', '」']),
            _ => None,
        };
        if let Some(close) = close {
            let body = &rest[first.len_utf8()..];
            let end = body.find(close).unwrap_or(body.len());
            push(&body[..end]);
            // Past the closing mark, if there is one.
            rest = match body[end..].chars().next() {
                Some(c) => &body[end + c.len_utf8()..],
                None => "",
            };
        } else {
            let end = rest
                .find(|c: char| c.is_whitespace() || c == '"' || c == '＂' || c == '「')
                .unwrap_or(rest.len());
            push(&rest[..end]);
            rest = &rest[end..];
        }
    }
    terms
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn keys(q: &str) -> Vec<String> {
        parse_query(q).into_iter().map(|t| t.key).collect()
    }

    #[test]
    fn words_phrases_and_widths() {
        assert_eq!(keys("ケア 戸山"), ["ケア", "戸山"]);
        assert_eq!(keys("ｹｱ　戸山"), ["ケア", "戸山"]);
        assert_eq!(keys("\"ケア ホーム\" 戸山"), ["ケアホーム", "戸山"]);
        assert_eq!(keys("「ケア ホーム」戸山"), ["ケアホーム", "戸山"]);
        assert_eq!(keys("＂ケア ホーム"), ["ケアホーム"]);
        assert_eq!(keys("  "), Vec::<String>::new());
        assert_eq!(keys("\"\" ケア ケア けあ"), ["ケア"]);
        assert_eq!(keys("新宿"), ["新宿"]);
        let t = parse_query("\"ケア ホーム\"");
        assert_eq!(t[0].text, "ケア ホーム");
    }

    proptest! {
        #[test]
        fn never_panics_and_keys_are_normalised(s in "[ア-ンa-z \"「」＂　]{0,40}") {
            let terms = parse_query(&s);
            prop_assert!(terms.len() <= MAX_TERMS);
            for t in terms {
                prop_assert!(!t.key.is_empty());
                prop_assert_eq!(search_key(&t.key), t.key.clone());
            }
        }

        #[test]
        fn one_word_is_its_own_key(w in "[ア-ン新宿a-z0-9]{1,12}") {
            prop_assert_eq!(keys(&w), vec![search_key(&w)]);
        }
    }
}
