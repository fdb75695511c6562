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
        "person_kana" => ("被保険者の氏名カナ", "insured person's name in kana"),
        "staff.name" => ("従事者の氏名", "staff member's name"),
        "staff.name_kana" => ("従事者の氏名カナ", "staff member's name in kana"),
        "staff.job_title" => ("職種", "job title"),
        "staff.address" => ("従事者の住所", "staff member's address"),
        "staff.dob" => ("従事者の生年月日", "staff member's date of birth"),
        "staff.qualification" => ("資格", "qualification"),
        "staff.care_manager_number" => ("介護支援専門員番号", "care manager number"),
        "staff.started_on" => ("従事開始日", "start date"),
        "staff.ended_on" => ("従事終了日", "end date"),
        "council.name" => ("構成員の氏名", "council member's name"),
        "council.affiliation" => ("構成員の所属", "council member's affiliation"),
        "council.title" => ("構成員の役職", "council member's title"),
        "council.ended_on" => ("構成員の終了日", "council member's end date"),
        "corporation.corporate_number" => ("法人番号", "corporate number"),
        "corporation.name" => ("法人名", "corporation name"),
        "corporation.name_kana" => ("法人名カナ", "corporation name in kana"),
        "corporation.address" => ("法人の所在地", "corporation's address"),
        "corporation.representative_name" => ("代表者の氏名", "representative's name"),
        "corporation.representative_address" => ("代表者の住所", "representative's address"),
        "corporation.representative_dob" => ("代表者の生年月日", "representative's date of birth"),
        "corporation.phone" => ("法人の電話番号", "corporation's phone number"),
        "corporation.fax" => ("法人のFAX番号", "corporation's fax number"),
        "meeting.kind" => ("会議の種類", "meeting kind"),
        "meeting.held_on" => ("会議の開催日", "meeting date"),
        "meeting.attendees" => ("出席者数", "number of attendees"),
        "meeting.minutes_received_on" => ("議事録の受領日", "minutes received date"),
        "meeting.minutes_ref" => ("議事録の保管先", "minutes reference"),
        "meeting.note" => ("会議の備考", "meeting note"),
        "guidance.planned_on" => ("運営指導の予定日", "planned guidance date"),
        "guidance.held_on" => ("運営指導の実施日", "guidance date"),
        "guidance.findings" => ("指摘事項", "findings"),
        "guidance.improvement_due_on" => ("改善報告の期限", "improvement report due date"),
        "guidance.improvement_received_on" => {
            ("改善報告の受領日", "improvement report received date")
        }
        "guidance.note" => ("運営指導の備考", "guidance note"),
        // A file's column, named by the caller before the message.
        "date" => ("日付", "date"),
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

/// What the leading digits of a Japanese number say about its length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberShape {
    /// 0AB… fixed line (市外局番 + 市内局番 + 加入者番号): 10 digits.
    Fixed,
    /// 070/080/090 携帯電話 (and 060): 11 digits.
    Mobile,
    /// 050 IP phone: 11 digits.
    Ip,
    /// 0120 free dial and 0570 navi dial: 10 digits.
    TollFree10,
    /// 0800 free dial: 11 digits.
    TollFree11,
}

impl NumberShape {
    /// The shape of a digit string starting with `0` (None for `00…`, the international
    /// prefix, or anything not starting with a single 0).
    pub fn of(digits: &str) -> Option<NumberShape> {
        let d = digits.as_bytes();
        if d.len() < 2 || d[0] != b'0' || d[1] == b'0' {
            return None;
        }
        Some(match digits {
            _ if ["070", "080", "090", "060"]
                .iter()
                .any(|p| digits.starts_with(p)) =>
            {
                Self::Mobile
            }
            _ if digits.starts_with("050") => Self::Ip,
            _ if digits.starts_with("0120") || digits.starts_with("0570") => Self::TollFree10,
            _ if digits.starts_with("0800") => Self::TollFree11,
            _ => Self::Fixed,
        })
    }

    pub fn digits(self) -> usize {
        match self {
            Self::Fixed | Self::TollFree10 => 10,
            Self::Mobile | Self::Ip | Self::TollFree11 => 11,
        }
    }

    fn label(self) -> (&'static str, &'static str) {
        match self {
            Self::Fixed => ("市外局番から始まる固定電話の番号", "a fixed-line number"),
            Self::Mobile => ("携帯電話の番号", "a mobile number"),
            Self::Ip => ("050で始まるIP電話の番号", "an 050 IP-phone number"),
            Self::TollFree10 => ("0120・0570で始まる番号", "an 0120/0570 number"),
            Self::TollFree11 => ("0800で始まる番号", "an 0800 number"),
        }
    }
}

/// Japanese phone/fax number, its length checked by the shape of its leading digits:
/// 10 digits for fixed lines (03-5273-4596) and 0120/0570, 11 for mobile (070/080/090),
/// 050 and 0800. A FAX field (name ending in `fax`) refuses mobile numbers. Hyphens are
/// optional (not leading, trailing or doubled); full-width input is accepted. Returns it
/// with the user's hyphens kept (or none), digits in half width.
pub fn phone(field: &'static str, value: &str) -> Result<String, FieldError> {
    let s = nfkc(value.trim()).replace(['ー', '−', '‐'], "-");
    let digits: String = s.chars().filter(|c| *c != '-').collect();
    let (ja, en) = label(field);
    let well_formed = !digits.is_empty()
        && digits.chars().all(|c| c.is_ascii_digit())
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--");
    let shape = NumberShape::of(&digits).filter(|_| well_formed);
    let Some(shape) = shape else {
        return Err(FieldError::new(
            field,
            format!("{ja}は0から始まる10桁または11桁の数字です（例 03-5273-4596）"),
            format!("the {en} is 10 or 11 digits starting with 0 (e.g. 03-5273-4596)"),
        ));
    };
    let is_fax = field.ends_with("fax");
    if is_fax && shape == NumberShape::Mobile {
        return Err(FieldError::new(
            field,
            format!("{ja}に携帯電話の番号は使えません（固定電話か050の番号を入力してください）"),
            format!("the {en} cannot be a mobile number; enter a fixed-line or 050 number"),
        ));
    }
    let n = digits.len();
    if n != shape.digits() {
        let want = shape.digits();
        let (kind_ja, kind_en) = shape.label();
        return Err(FieldError::new(
            field,
            format!("{ja}は0から始まる{want}桁です（{kind_ja}は{want}桁、入力は{n}桁です）"),
            format!("the {en} is {kind_en}, which has {want} digits ({n} entered)"),
        ));
    }
    Ok(s)
}

/// A カナ field: katakana, the long-vowel mark and spaces only. Half-width katakana and
/// hiragana are turned into full-width katakana, full-width spaces into one plain space.
/// Returns the canonical text (trimmed); an empty value is returned empty.
pub fn kana(field: &'static str, value: &str) -> Result<String, FieldError> {
    let folded = super::text::fold_halfwidth_kana(value);
    let mut out = String::with_capacity(folded.len());
    for c in folded.chars() {
        let c = match c {
            // Hiragana ぁ..ゖ, ゝゞ → katakana.
            '\u{3041}'..='\u{3096}' | '\u{309D}'..='\u{309E}' => {
                char::from_u32(u32::from(c) + 0x60).unwrap_or(c)
            }
            c if c.is_whitespace() => ' ',
            c => c,
        };
        if c == ' ' && (out.is_empty() || out.ends_with(' ')) {
            continue;
        }
        out.push(c);
    }
    let out = out.trim_end().to_string();
    let bad = out.chars().find(|&c| {
        !(c == ' ' || c == 'ー' || ('\u{30A1}'..='\u{30FA}').contains(&c) || c == 'ヽ' || c == 'ヾ')
    });
    match bad {
        None => {
            bounded(field, &out)?;
            Ok(out)
        }
        Some(c) => {
            let (ja, en) = label(field);
            let shown = if super::text::is_forbidden_char(c) {
                format!("U+{:04X}", u32::from(c))
            } else {
                c.to_string()
            };
            Err(FieldError::new(
                field,
                format!(
                    "{ja}はカタカナ・長音（ー）・空白だけで入力してください（「{shown}」は使えません）"
                ),
                format!(
                    "the {en} takes katakana, the long-vowel mark and spaces only (not \"{shown}\")"
                ),
            ))
        }
    }
}

/// A stored single-line text: half-width katakana made full width, trimmed, then the
/// free-text rule ([`bounded`]). Returns the text to store.
pub fn text(field: &'static str, value: &str) -> Result<String, FieldError> {
    let v = super::text::fold_halfwidth_kana(value.trim()).into_owned();
    bounded(field, &v)?;
    Ok(v)
}

/// Like [`text`], and not blank.
pub fn required_text(field: &'static str, value: &str) -> Result<String, FieldError> {
    let v = super::text::fold_halfwidth_kana(value.trim()).into_owned();
    required(field, &v)?;
    Ok(v)
}

/// An optional date field: blank is None, else ISO or 和暦 ([`date`]).
pub fn optional_date(field: &'static str, value: &str) -> Result<Option<NaiveDate>, FieldError> {
    if value.trim().is_empty() {
        Ok(None)
    } else {
        date(field, value).map(Some)
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
    fn phone_lengths_follow_the_area_code_shape() {
        // An 11-digit 03 number is refused, naming the field and the rule.
        let e = phone("phone", "03-5273-45961").unwrap_err();
        assert!(
            e.ja.starts_with("電話番号は0から始まる10桁です"),
            "{}",
            e.ja
        );
        assert!(
            e.ja.contains("固定電話") && e.ja.contains("入力は11桁"),
            "{}",
            e.ja
        );
        assert_eq!(e.ja.matches('。').count(), 0, "one sentence: {}", e.ja);
        assert!(
            e.en.contains("fixed-line") && e.en.contains("11 entered"),
            "{}",
            e.en
        );
        assert!(phone("phone", "090-1234-567").is_err());
        assert_eq!(phone("phone", "090-1234-5678").unwrap(), "090-1234-5678");
        assert_eq!(phone("phone", "050-1234-5678").unwrap(), "050-1234-5678");
        assert_eq!(phone("phone", "0120-123-456").unwrap(), "0120-123-456");
        assert!(phone("phone", "0120-123-4567").is_err());
        assert_eq!(phone("phone", "0800-123-4567").unwrap(), "0800-123-4567");
        assert_eq!(phone("phone", "0570-123-456").unwrap(), "0570-123-456");
        assert_eq!(phone("phone", "042-123-4567").unwrap(), "042-123-4567");
        assert!(phone("phone", "00-1234-5678").is_err());
        // Mobile numbers are not FAX numbers; 050 is.
        let e = phone("fax", "090-1234-5678").unwrap_err();
        assert!(e.ja.starts_with("FAX番号に携帯電話"), "{}", e.ja);
        assert!(phone("corporation.fax", "050-1234-5678").is_ok());
    }

    #[test]
    fn kana_fields_take_katakana_only_and_fold_half_width() {
        let e = kana("name_kana", "abc漢字").unwrap_err();
        assert_eq!(e.field, "name_kana");
        assert!(e.ja.starts_with("事業所名カナはカタカナ"), "{}", e.ja);
        assert!(e.ja.contains("「a」"), "{}", e.ja);
        assert!(e.en.contains("katakana"), "{}", e.en);
        assert_eq!(kana("name_kana", "ｹｱﾌﾟﾗﾝ").unwrap(), "ケアプラン");
        assert_eq!(
            kana("name_kana", "やまだ　たろう").unwrap(),
            "ヤマダ タロウ"
        );
        assert_eq!(
            kana("name_kana", " ヴィラ  ケアー ").unwrap(),
            "ヴィラ ケアー"
        );
        assert_eq!(kana("name_kana", "").unwrap(), "");
        assert!(kana("name_kana", "ケア1").is_err());
        assert!(
            kana("name_kana", "ケア\u{1b}")
                .unwrap_err()
                .ja
                .contains("U+001B")
        );
    }

    #[test]
    fn stored_text_is_folded_to_full_width() {
        assert_eq!(text("name", "ｹｱﾌﾟﾗﾝ戸山").unwrap(), "ケアプラン戸山");
        assert!(required_text("name", "  ").is_err());
        assert_eq!(optional_date("staff.ended_on", " ").unwrap(), None);
        assert!(optional_date("staff.ended_on", "R7.4.1").unwrap().is_some());
    }

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
            let _ = kana("k", &s);
            let _ = text("t", &s);
        }

        #[test]
        fn length_is_right_exactly_for_the_shape(n in 0u64..100_000_000_000, len in 8usize..13) {
            let digits = format!("0{n:011}")[..len].to_string();
            let ok = phone("p", &digits).is_ok();
            let expected = NumberShape::of(&digits).is_some_and(|s| s.digits() == len);
            prop_assert_eq!(ok, expected, "{}", digits);
        }

        #[test]
        fn fixed_lines_take_ten_digits(a in 1u8..10, rest in 0u64..100_000_000) {
            let s = format!("0{a}{rest:08}");
            prop_assume!(NumberShape::of(&s) == Some(NumberShape::Fixed));
            prop_assert!(phone("p", &s).is_ok());
            let e = phone("p", &format!("{s}1"));
            prop_assert!(e.is_err());
        }

        #[test]
        fn kana_accepts_exactly_katakana_and_spaces(s in "[ァ-ヺー a-zあ-ん漢ｦ-ﾝ]{0,20}") {
            let r = kana("k", &s);
            let expected = !s.chars().any(|c| c.is_ascii_lowercase() || c == '漢');
            prop_assert_eq!(r.is_ok(), expected);
            if let Ok(k) = r {
                let all_kana = k.chars().all(|c| c == ' ' || c == 'ー' || ('\u{30A1}'..='\u{30FA}').contains(&c));
                prop_assert!(all_kana);
            }
        }
    }
}
