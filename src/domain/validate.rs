//! Field validators used by forms and importers. Each returns a message that says
//! what is wrong in words staff understand (Japanese first, the English in `FieldError`).

use super::text::nfkc;
use chrono::NaiveDate;

/// A refused field: which field, and why (ja/en).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: &'static str,
    pub ja: String,
    pub en: String,
}

impl FieldError {
    pub fn new(field: &'static str, ja: impl Into<String>, en: impl Into<String>) -> Self {
        Self {
            field,
            ja: ja.into(),
            en: en.into(),
        }
    }
}

/// Each message names its field, so it stands alone on a status line.
impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.en)
    }
}

/// A field's name as staff know it (Japanese, English); unknown names are shown as given.
pub fn label(field: &str) -> (&str, &str) {
    match field {
        "provider_number" => ("事業所番号", "provider number"),
        "name" => ("事業所名", "name"),
        "name_kana" => ("事業所名カナ", "name in kana"),
        "postal_code" => ("郵便番号", "postal code"),
        "address" => ("所在地", "address"),
        "town" => ("町名", "town"),
        "phone" => ("電話番号", "phone number"),
        "fax" => ("FAX番号", "fax number"),
        "email" => ("メールアドレス", "e-mail address"),
        "manager_name" => ("管理者名", "manager's name"),
        "reason" => ("理由", "reason"),
        other => (other, other),
    }
}

/// Longest text any free field accepts; longer input is refused, never truncated.
pub const MAX_FIELD_CHARS: usize = 200;

pub fn required(field: &'static str, value: &str) -> Result<(), FieldError> {
    if value.trim().is_empty() {
        let (ja, en) = label(field);
        return Err(FieldError::new(
            field,
            format!("{ja}を入力してください"),
            format!("enter the {en}"),
        ));
    }
    bounded(field, value)
}

/// A single-line free-text field: the shared rule ([`super::text::check_free_text`]) with
/// [`MAX_FIELD_CHARS`].
pub fn bounded(field: &'static str, value: &str) -> Result<(), FieldError> {
    let (ja, en) = label(field);
    // The shared rule decides; the message names the field in one sentence.
    match super::text::check_free_text(field, value, MAX_FIELD_CHARS, false) {
        Ok(()) => Ok(()),
        Err(_) if value.chars().take(MAX_FIELD_CHARS + 1).count() > MAX_FIELD_CHARS => {
            Err(FieldError::new(
                field,
                format!("{ja}は{MAX_FIELD_CHARS}文字以内で入力してください"),
                format!("the {en} takes at most {MAX_FIELD_CHARS} characters"),
            ))
        }
        Err(_) => {
            let code = value
                .chars()
                .find(|&c| super::text::is_forbidden_char(c))
                .map(|c| format!("U+{:04X}", u32::from(c)))
                .unwrap_or_default();
            Err(FieldError::new(
                field,
                format!(
                    "{ja}に使えない制御文字・書式制御文字（{code}）があります。取り除いてください"
                ),
                format!("the {en} contains a control or invisible character ({code}); remove it"),
            ))
        }
    }
}

/// 郵便番号: 7 digits, written `160-8484` or `1608484`; returns the canonical `160-8484`.
pub fn postal_code(field: &'static str, value: &str) -> Result<String, FieldError> {
    let s = nfkc(value.trim()).replace(['-', 'ー', '−'], "");
    let s = s.strip_prefix('〒').unwrap_or(&s);
    if s.len() == 7 && s.chars().all(|c| c.is_ascii_digit()) {
        Ok(format!("{}-{}", &s[..3], &s[3..]))
    } else {
        let (ja, en) = label(field);
        Err(FieldError::new(
            field,
            format!("{ja}は7桁の数字です（例 160-8484）"),
            format!("the {en} is 7 digits (e.g. 160-8484)"),
        ))
    }
}

/// Japanese phone/fax number: 10 digits (fixed line) or 11 (mobile, 050/070/080/090,
/// 0120 is 10), starting with 0, hyphens optional. Returns it with the user's hyphens
/// kept (or none), digits in half width.
pub fn phone(field: &'static str, value: &str) -> Result<String, FieldError> {
    let s = nfkc(value.trim()).replace(['ー', '−', '‐'], "-");
    let digits: String = s.chars().filter(|c| *c != '-').collect();
    let ok = digits.chars().all(|c| c.is_ascii_digit())
        && digits.starts_with('0')
        && (digits.len() == 10 || digits.len() == 11)
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--");
    if ok {
        Ok(s)
    } else {
        let (ja, en) = label(field);
        Err(FieldError::new(
            field,
            format!("{ja}は0から始まる10桁または11桁です（例 03-5273-4596）"),
            format!("the {en} is 10 or 11 digits starting with 0 (e.g. 03-5273-4596)"),
        ))
    }
}

pub fn email(field: &'static str, value: &str) -> Result<(), FieldError> {
    let v = value.trim();
    let valid = v.split_once('@').is_some_and(|(local, domain)| {
        !local.is_empty()
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
    }) && v.is_ascii()
        && !v.contains(char::is_whitespace);
    if valid {
        Ok(())
    } else {
        let (ja, en) = label(field);
        Err(FieldError::new(
            field,
            format!("{ja}の形式が正しくありません（例 kaigo@example.jp）"),
            format!("the {en} is not an e-mail address (e.g. kaigo@example.jp)"),
        ))
    }
}

/// Date fields accept ISO and 和暦 input.
pub fn date(field: &'static str, value: &str) -> Result<NaiveDate, FieldError> {
    super::wareki::parse(value).ok_or_else(|| {
        let (ja, en) = label(field);
        FieldError::new(
            field,
            format!("{ja}は 2024-03-01 か 令和6年3月1日 の形で入力してください"),
            format!("write the {en} as 2024-03-01 or 令和6年3月1日"),
        )
    })
}

pub fn dates_in_order(
    field: &'static str,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<(), FieldError> {
    if from <= to {
        Ok(())
    } else {
        let (ja, en) = label(field);
        Err(FieldError::new(
            field,
            format!("{ja}の終了日が開始日より前です"),
            format!("the {en} ends before it starts"),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn phone_numbers() {
        assert_eq!(phone("電話", "03-5273-4596").unwrap(), "03-5273-4596");
        assert_eq!(
            phone("電話", "０３－５２７３－４５９６").unwrap(),
            "03-5273-4596"
        );
        assert_eq!(phone("電話", "09012345678").unwrap(), "09012345678");
        assert!(phone("電話", "03-5273-459").is_err());
        assert!(phone("電話", "3-5273-45967").is_err());
        assert!(phone("電話", "03--52734596").is_err());
        assert!(phone("電話", "abc").is_err());
    }

    #[test]
    fn postal_codes() {
        assert_eq!(postal_code("郵便番号", "1608484").unwrap(), "160-8484");
        assert_eq!(
            postal_code("郵便番号", "〒１６０－８４８４").unwrap(),
            "160-8484"
        );
        assert!(postal_code("郵便番号", "160-848").is_err());
    }

    #[test]
    fn required_and_bounded() {
        assert!(required("名称", "  ").is_err());
        assert!(required("名称", "ケアセンター").is_ok());
        assert!(bounded("名称", &"あ".repeat(201)).is_err());
        assert!(bounded("名称", "a\u{7}b").is_err());
    }

    #[test]
    fn messages_name_their_field_once_in_the_ui_language() {
        let e = phone("fax", "12").unwrap_err();
        assert!(e.ja.starts_with("FAX番号は"), "{}", e.ja);
        assert!(e.en.starts_with("the fax number"), "{}", e.en);
        let e = required("name", " ").unwrap_err();
        assert_eq!(e.ja, "事業所名を入力してください");
        assert_eq!(e.to_string(), "enter the name");
    }

    #[test]
    fn emails() {
        assert!(email("メール", "kaigo@example.jp").is_ok());
        assert!(email("メール", "kaigo@example").is_err());
        assert!(email("メール", "@example.jp").is_err());
    }

    proptest! {
        #[test]
        fn validators_never_panic(s in "\\PC{0,40}") {
            let _ = phone("p", &s);
            let _ = postal_code("p", &s);
            let _ = email("e", &s);
            let _ = date("d", &s);
            let _ = required("r", &s);
        }

        #[test]
        fn any_ten_digit_zero_number_is_a_phone(n in 0u64..1_000_000_000) {
            let s = format!("0{n:09}");
            prop_assert!(phone("p", &s).is_ok());
        }
    }
}
