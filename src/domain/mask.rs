//! Masking of personal data (DESIGN.md §3). Masked is the default on every screen and
//! export; revealing is a logged action with a reason, handled by the service layer.
//!
//! The mask character is `＊` (U+FF0A, fullwidth): unambiguous width on every terminal.

pub const MASK: char = '＊';

/// `山田 太郎` → `山田 ＊＊`: family name kept so staff can tell records apart.
pub fn name(full: &str) -> String {
    let full = full.trim();
    match full.split_once([' ', '　']) {
        // Always two marks: as many as the given name has characters would tell its
        // length (岡本 ＊ vs 坂本 ＊＊).
        Some((family, _given)) => format!("{family} {}", MASK.to_string().repeat(2)),
        None => {
            let first: String = full.chars().take(1).collect();
            format!("{first}{}", MASK.to_string().repeat(2))
        }
    }
}

/// `1985-04-12` → `1985-**-**`.
pub fn date_of_birth(iso: &str) -> String {
    match iso.get(..4) {
        Some(year) if iso.len() >= 4 => format!("{year}-**-**"),
        _ => "****-**-**".to_string(),
    }
}

/// Keeps the last `keep` characters: `0123456789` → `********89`.
pub fn tail(value: &str, keep: usize) -> String {
    let n = value.chars().count();
    value
        .chars()
        .enumerate()
        .map(|(i, c)| if i + keep >= n || c == '-' { c } else { '*' })
        .collect()
}

/// Keeps the address up to the 町名 (before the first digit) and masks the rest. An
/// address without Arabic digits (`二丁目七番地`, or none at all) keeps only the
/// municipality (up to the first 区/市/町/村): masking more is the safe side.
pub fn address(addr: &str) -> String {
    let mask = MASK.to_string().repeat(3);
    let digit = addr
        .char_indices()
        .find(|(_, c)| c.is_ascii_digit() || ('０'..='９').contains(c));
    if let Some((cut, _)) = digit {
        return format!("{}{mask}", &addr[..cut]);
    }
    // Skip the prefecture (東京都, 北海道, 大阪府…) so 京都府's 都 is not taken for it.
    let start = ["都", "道", "府", "県"]
        .iter()
        .filter_map(|p| addr.find(p).map(|i| i + p.len()))
        .filter(|i| *i <= 12)
        .min()
        .unwrap_or(0);
    match addr[start..]
        .char_indices()
        .find(|(_, c)| matches!(c, '区' | '市' | '町' | '村'))
    {
        Some((i, c)) => format!("{}{mask}", &addr[..start + i + c.len_utf8()]),
        None if addr.is_empty() => String::new(),
        None => mask,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks() {
        assert_eq!(name("山田 太郎"), "山田 ＊＊");
        assert_eq!(name("山田　花子"), "山田 ＊＊");
        assert_eq!(
            name("岡本 譲"),
            "岡本 ＊＊",
            "the given name's length is not told"
        );
        assert_eq!(name("坂本 小百合"), "坂本 ＊＊");
        assert_eq!(name("山田"), "山＊＊");
        assert_eq!(date_of_birth("1985-04-12"), "1985-**-**");
        assert_eq!(date_of_birth(""), "****-**-**");
        assert_eq!(tail("0123456789", 2), "********89");
        assert_eq!(tail("090-1234-5678", 4), "***-****-5678");
        assert_eq!(address("新宿区西新宿2-8-1"), "新宿区西新宿＊＊＊");
        assert_eq!(
            address("東京都新宿区西新宿二丁目七番地"),
            "東京都新宿区＊＊＊"
        );
        assert_eq!(address("新宿区西新宿"), "新宿区＊＊＊");
        assert_eq!(address("どこか"), "＊＊＊");
        assert_eq!(address(""), "");
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn masking_never_panics_and_never_grows_a_tail_of_digits(s in "\\PC{0,40}") {
            let a = address(&s);
            let _ = name(&s);
            let _ = date_of_birth(&s);
            let _ = tail(&s, 2);
            prop_assert!(!a.ends_with(|c: char| c.is_ascii_digit()));
        }
    }
}
