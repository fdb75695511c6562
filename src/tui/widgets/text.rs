//! Display-width text helpers: wide characters take two cells and are never split.

use unicode_width::UnicodeWidthChar;

pub fn char_width(c: char) -> usize {
    c.width().unwrap_or(0)
}

pub fn width(s: &str) -> usize {
    s.chars().map(char_width).sum()
}

/// Cuts `s` to at most `max` cells; a wide char that would straddle the edge is dropped
/// and the cell padded, and `ellipsis` marks the cut when there is room for it.
pub fn truncate(s: &str, max: usize, ellipsis: &str) -> String {
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
