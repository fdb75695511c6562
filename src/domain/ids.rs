//! Check-digit validators for the three public identifiers the ledger holds.
//!
//! The algorithms are the published ones; the test vectors are from DESIGN.md §2
//! (never from random web pages: many published samples are invalid).

use std::fmt;

/// Why an identifier was refused. The message names the identifier and the fault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IdError {
    Length {
        what: &'static str,
        expected: usize,
        found: usize,
    },
    BadChar {
        what: &'static str,
        position: usize,
        found: char,
    },
    Prefecture {
        found: String,
    },
    CheckDigit {
        what: &'static str,
        expected: char,
        found: char,
    },
}

impl IdError {
    /// One sentence naming the identifier and the fault, in the UI language.
    pub fn message(&self, ja: bool) -> String {
        match self {
            IdError::Length {
                what,
                expected,
                found,
            } => {
                if ja {
                    format!("{what}は{expected}桁です（入力は{found}桁）")
                } else {
                    format!("the {} has {expected} characters ({found} given)", en(what))
                }
            }
            IdError::BadChar {
                what,
                position,
                found,
            } => {
                if ja {
                    format!("{what}の{position}文字目「{found}」は使えません")
                } else {
                    format!(
                        "character {position} ('{found}') of the {} is not allowed there",
                        en(what)
                    )
                }
            }
            IdError::Prefecture { found } => {
                if ja {
                    format!("{PROVIDER}の先頭2桁（都道府県番号 {found}）は 01〜47 です")
                } else {
                    format!(
                        "the provider number's first two digits (prefecture {found}) must be 01–47"
                    )
                }
            }
            IdError::CheckDigit { what, expected, .. } => {
                if ja {
                    format!("{what}のチェックディジットが違います（正しくは {expected}）")
                } else {
                    format!(
                        "the {}'s check digit is wrong (should be {expected})",
                        en(what)
                    )
                }
            }
        }
    }
}

/// The identifier's English name, for English messages.
fn en(what: &str) -> &'static str {
    match what {
        PROVIDER => "provider number",
        MUNICIPALITY => "municipality code",
        CORPORATE => "corporate number",
        _ => "identifier",
    }
}

impl fmt::Display for IdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(false))
    }
}

impl std::error::Error for IdError {}

const PROVIDER: &str = "事業所番号";
const MUNICIPALITY: &str = "地方公共団体コード";
const CORPORATE: &str = "法人番号";

/// Value of the 事業所区分 letter: A=10 … Z=32, skipping I, O and Q.
fn provider_letter_value(c: char) -> Option<u32> {
    if !c.is_ascii_uppercase() || matches!(c, 'I' | 'O' | 'Q') {
        return None;
    }
    let mut value = 10;
    for letter in 'A'..c {
        if !matches!(letter, 'I' | 'O' | 'Q') {
            value += 1;
        }
    }
    Some(value)
}

fn digits_of(what: &'static str, s: &str, len: usize) -> Result<Vec<u32>, IdError> {
    let chars: Vec<char> = s.chars().collect();
    if chars.len() != len {
        return Err(IdError::Length {
            what,
            expected: len,
            found: chars.len(),
        });
    }
    chars
        .iter()
        .enumerate()
        .map(|(i, c)| {
            c.to_digit(10).ok_or(IdError::BadChar {
                what,
                position: i + 1,
                found: *c,
            })
        })
        .collect()
}

fn digit_char(d: u32) -> char {
    char::from_digit(d, 10).unwrap_or('?')
}

/// Check digit of a 事業所番号 over its first nine characters.
///
/// Weights from the right 2,1,2,1,…; the digits of each product are added (14 → 1+4);
/// check = (10 − sum mod 10) mod 10. Only position 3 (事業所区分) may be a letter.
pub fn provider_check_digit(first_nine: &str) -> Result<char, IdError> {
    let chars: Vec<char> = first_nine.chars().collect();
    if chars.len() != 9 {
        return Err(IdError::Length {
            what: PROVIDER,
            expected: 9,
            found: chars.len(),
        });
    }
    let mut sum = 0;
    for (i, c) in chars.iter().enumerate() {
        let value = match (i, c.to_digit(10)) {
            (_, Some(d)) => d,
            (2, None) => provider_letter_value(*c).ok_or(IdError::BadChar {
                what: PROVIDER,
                position: 3,
                found: *c,
            })?,
            (_, None) => {
                return Err(IdError::BadChar {
                    what: PROVIDER,
                    position: i + 1,
                    found: *c,
                });
            }
        };
        let weight = if (9 - i) % 2 == 1 { 2 } else { 1 };
        let product = value * weight;
        sum += product / 10 + product % 10;
    }
    Ok(digit_char((10 - sum % 10) % 10))
}

/// Validates a 10-character 事業所番号 (prefecture 2 + 区分 1 + 郡市区 2 + serial 4 + check).
pub fn validate_provider_number(s: &str) -> Result<(), IdError> {
    let chars: Vec<char> = s.chars().collect();
    if chars.len() != 10 {
        return Err(IdError::Length {
            what: PROVIDER,
            expected: 10,
            found: chars.len(),
        });
    }
    let head: String = chars[..9].iter().collect();
    let expected = provider_check_digit(&head)?;
    let pref: String = chars[..2].iter().collect();
    match pref.parse::<u32>() {
        Ok(1..=47) => {}
        _ => return Err(IdError::Prefecture { found: pref }),
    }
    let found = chars[9];
    if !found.is_ascii_digit() {
        return Err(IdError::BadChar {
            what: PROVIDER,
            position: 10,
            found,
        });
    }
    if found != expected {
        return Err(IdError::CheckDigit {
            what: PROVIDER,
            expected,
            found,
        });
    }
    Ok(())
}

/// Check digit of a 全国地方公共団体コード: weights 6,5,4,3,2; (11 − sum mod 11) mod 10.
pub fn municipality_check_digit(first_five: &str) -> Result<char, IdError> {
    let digits = digits_of(MUNICIPALITY, first_five, 5)?;
    let sum: u32 = digits.iter().zip([6, 5, 4, 3, 2]).map(|(d, w)| d * w).sum();
    Ok(digit_char((11 - sum % 11) % 10))
}

pub fn validate_municipality_code(s: &str) -> Result<(), IdError> {
    let digits = digits_of(MUNICIPALITY, s, 6)?;
    let head: String = s.chars().take(5).collect();
    let expected = municipality_check_digit(&head)?;
    let found = digit_char(digits[5]);
    if found != expected {
        return Err(IdError::CheckDigit {
            what: MUNICIPALITY,
            expected,
            found,
        });
    }
    Ok(())
}

/// Check digit of a 法人番号 (it is the *first* digit): 9 − (Σ Pn×Qn mod 9) over the
/// 12 following digits, n counted from the right, Qn = 1 for odd n and 2 for even n.
pub fn corporate_check_digit(last_twelve: &str) -> Result<char, IdError> {
    let digits = digits_of(CORPORATE, last_twelve, 12)?;
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, d)| if (i + 1) % 2 == 1 { *d } else { d * 2 })
        .sum();
    Ok(digit_char(9 - sum % 9))
}

pub fn validate_corporate_number(s: &str) -> Result<(), IdError> {
    let digits = digits_of(CORPORATE, s, 13)?;
    let tail: String = s.chars().skip(1).collect();
    let expected = corporate_check_digit(&tail)?;
    let found = digit_char(digits[0]);
    if found != expected {
        return Err(IdError::CheckDigit {
            what: CORPORATE,
            expected,
            found,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn messages_are_one_sentence_in_one_language() {
        let e = validate_provider_number("1493600158").unwrap_err();
        assert_eq!(
            e.message(true),
            "事業所番号のチェックディジットが違います（正しくは 7）"
        );
        assert_eq!(
            e.message(false),
            "the provider number's check digit is wrong (should be 7)"
        );
        let e = validate_provider_number("149360015").unwrap_err();
        assert_eq!(e.message(true), "事業所番号は10桁です（入力は9桁）");
    }

    #[test]
    fn provider_vectors() {
        for v in ["04A0700017", "1493600157", "0110113719"] {
            assert_eq!(validate_provider_number(v), Ok(()), "{v}");
        }
        assert_eq!(
            validate_provider_number("1493600158"),
            Err(IdError::CheckDigit {
                what: PROVIDER,
                expected: '7',
                found: '8'
            })
        );
        assert!(matches!(
            validate_provider_number("14I3600157"),
            Err(IdError::BadChar { .. })
        ));
        assert!(matches!(
            validate_provider_number("149360015"),
            Err(IdError::Length { .. })
        ));
        assert!(matches!(
            validate_provider_number("9970000000"),
            Err(IdError::Prefecture { .. })
        ));
        // A letter is allowed only in position 3, upper case, not I/O/Q.
        assert!(validate_provider_number("04a0700017").is_err());
        assert!(validate_provider_number("0A40700017").is_err());
    }

    #[test]
    fn provider_letter_values_skip_i_o_q() {
        assert_eq!(provider_letter_value('A'), Some(10));
        assert_eq!(provider_letter_value('H'), Some(17));
        assert_eq!(provider_letter_value('J'), Some(18));
        assert_eq!(provider_letter_value('P'), Some(23));
        assert_eq!(provider_letter_value('R'), Some(24));
        assert_eq!(provider_letter_value('Z'), Some(32));
        assert_eq!(provider_letter_value('I'), None);
        assert_eq!(provider_letter_value('O'), None);
        assert_eq!(provider_letter_value('Q'), None);
    }

    #[test]
    fn municipality_vectors() {
        for v in ["131041", "131016", "131130", "011002", "130001"] {
            assert_eq!(validate_municipality_code(v), Ok(()), "{v}");
        }
        assert!(validate_municipality_code("131042").is_err());
        assert!(validate_municipality_code("13104").is_err());
    }

    #[test]
    fn corporate_vectors() {
        assert_eq!(validate_corporate_number("7123456789012"), Ok(()));
        assert!(validate_corporate_number("6123456789012").is_err());
        assert!(validate_corporate_number("712345678901").is_err());
    }

    fn provider_head() -> impl Strategy<Value = String> {
        (
            1u32..=47,
            prop::sample::select(vec!['0', '7', '8', '9', 'A']),
            0u32..100,
            0u32..10_000,
        )
            .prop_map(|(p, k, city, serial)| format!("{p:02}{k}{city:02}{serial:04}"))
    }

    proptest! {
        #[test]
        fn generated_provider_numbers_validate(head in provider_head()) {
            let full = format!("{head}{}", provider_check_digit(&head).unwrap());
            prop_assert_eq!(validate_provider_number(&full), Ok(()));
        }

        /// The 2-1 weighting with digit sums detects every single-digit substitution.
        #[test]
        fn provider_single_digit_change_rejected(head in provider_head(), pos in 0usize..10, delta in 1u32..10) {
            let full = format!("{head}{}", provider_check_digit(&head).unwrap());
            let mut chars: Vec<char> = full.chars().collect();
            let Some(d) = chars[pos].to_digit(10) else { return Ok(()) };
            chars[pos] = char::from_digit((d + delta) % 10, 10).unwrap();
            let changed: String = chars.into_iter().collect();
            prop_assert!(validate_provider_number(&changed).is_err(), "{} accepted", changed);
        }

        #[test]
        fn generated_municipality_codes_validate(n in 0u32..100_000) {
            let head = format!("{n:05}");
            let full = format!("{head}{}", municipality_check_digit(&head).unwrap());
            prop_assert_eq!(validate_municipality_code(&full), Ok(()));
        }

        /// A single-digit change is rejected except in the one case the published
        /// algorithm cannot see: remainders 0 and 10 both fold to check digit 1.
        #[test]
        fn municipality_single_digit_change_rejected(n in 0u32..100_000, pos in 0usize..6, delta in 1u32..10) {
            let head = format!("{n:05}");
            let full = format!("{head}{}", municipality_check_digit(&head).unwrap());
            let mut chars: Vec<char> = full.chars().collect();
            let d = chars[pos].to_digit(10).unwrap();
            chars[pos] = char::from_digit((d + delta) % 10, 10).unwrap();
            let changed: String = chars.into_iter().collect();
            let remainder = |s: &str| -> u32 {
                s.chars().take(5).zip([6, 5, 4, 3, 2]).map(|(c, w)| c.to_digit(10).unwrap() * w).sum::<u32>() % 11
            };
            let folded = pos < 5 && {
                let (a, b) = (remainder(&full), remainder(&changed));
                (a == 0 && b == 10) || (a == 10 && b == 0)
            };
            prop_assert_eq!(validate_municipality_code(&changed).is_err(), !folded, "{}", changed);
        }

        #[test]
        fn generated_corporate_numbers_validate(n in 0u64..1_000_000_000_000) {
            let tail = format!("{n:012}");
            let full = format!("{}{tail}", corporate_check_digit(&tail).unwrap());
            prop_assert_eq!(validate_corporate_number(&full), Ok(()));
        }

        /// Mod 9 cannot see a 0↔9 swap in the body (9 ≡ 0 and 18 ≡ 0 mod 9);
        /// every other single-digit change is rejected.
        #[test]
        fn corporate_single_digit_change_rejected(n in 0u64..1_000_000_000_000, pos in 0usize..13, delta in 1u32..10) {
            let tail = format!("{n:012}");
            let full = format!("{}{tail}", corporate_check_digit(&tail).unwrap());
            let mut chars: Vec<char> = full.chars().collect();
            let d = chars[pos].to_digit(10).unwrap();
            let new = (d + delta) % 10;
            chars[pos] = char::from_digit(new, 10).unwrap();
            let changed: String = chars.into_iter().collect();
            let invisible = pos > 0 && d.abs_diff(new) == 9;
            prop_assert_eq!(validate_corporate_number(&changed).is_err(), !invisible, "{}", changed);
        }
    }
}
