//! Where a search term matches inside displayed text, after the same normalisation the
//! search uses (NFKC, kana folding, case): `ｹｱ` highlights `ケア` in a name.

use crate::domain::text::search_key;

/// Char-index ranges `[start, end)` of `text` that match `query` (already raw input).
pub fn match_ranges(text: &str, query: &str) -> Vec<(usize, usize)> {
    let q: Vec<char> = search_key(query).chars().collect();
    if q.is_empty() {
        return Vec::new();
    }
    // The normalised text, and for each of its chars the index of the source char.
    let mut key: Vec<char> = Vec::new();
    let mut owner: Vec<usize> = Vec::new();
    for (i, c) in text.chars().enumerate() {
        for k in search_key(&c.to_string()).chars() {
            key.push(k);
            owner.push(i);
        }
    }
    let mut out: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i + q.len() <= key.len() {
        if key[i..i + q.len()] == q[..] {
            let (s, e) = (owner[i], owner[i + q.len() - 1] + 1);
            match out.last_mut() {
                Some(last) if last.1 >= s => last.1 = last.1.max(e),
                _ => out.push((s, e)),
            }
            i += q.len();
        } else {
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn highlights_across_width_and_kana() {
        assert_eq!(match_ranges("新宿ケアセンター", "けあ"), vec![(2, 4)]);
        assert_eq!(match_ranges("ｹｱﾎｰﾑ", "ケア"), vec![(0, 2)]);
        assert_eq!(match_ranges("新宿区新宿", "新宿"), vec![(0, 2), (3, 5)]);
        assert!(match_ranges("abc", "").is_empty());
    }

    proptest! {
        #[test]
        fn ranges_are_in_bounds(text in "\\PC{0,20}", q in "\\PC{0,4}") {
            let n = text.chars().count();
            for (s, e) in match_ranges(&text, &q) {
                prop_assert!(s < e && e <= n);
            }
        }
    }
}
