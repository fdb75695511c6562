//! 運営推進会議 (and 介護・医療連携推進会議 for 76): how often each service must hold one.
//! The interval per service type lives in `fixtures/service_types.csv`; this module only
//! does the date arithmetic.

use super::text;
use super::validate::{self, FieldError};
use chrono::{Months, NaiveDate};

/// Next meeting due: last held + interval; with no meeting yet, designation + interval.
pub fn next_due(
    interval_months: Option<u32>,
    last_held: Option<NaiveDate>,
    designated_on: NaiveDate,
) -> Option<NaiveDate> {
    let months = interval_months?;
    last_held
        .unwrap_or(designated_on)
        .checked_add_months(Months::new(months))
}

pub fn is_overdue(next_due: Option<NaiveDate>, today: NaiveDate) -> bool {
    next_due.is_some_and(|d| d < today)
}

/// Minutes are kept at least two years after the meeting.
pub const MINUTES_RETENTION_YEARS: u32 = 2;

/// The two kinds of meeting; which one a service holds is reference data
/// (`ref_service_type.meeting_kind`, from `fixtures/service_types.csv`), stored by its
/// Japanese name as there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MeetingKind {
    /// 運営推進会議
    Promotion,
    /// 介護・医療連携推進会議 (76 定期巡回)
    MedicalLiaison,
}

impl MeetingKind {
    pub const ALL: [MeetingKind; 2] = [Self::Promotion, Self::MedicalLiaison];

    /// The stored name (as in the reference data).
    pub fn label_ja(self) -> &'static str {
        match self {
            Self::Promotion => "運営推進会議",
            Self::MedicalLiaison => "介護・医療連携推進会議",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            Self::Promotion => "management promotion meeting",
            Self::MedicalLiaison => "care–medical liaison meeting",
        }
    }

    pub fn from_label(s: &str) -> Option<MeetingKind> {
        Self::ALL
            .into_iter()
            .find(|k| k.label_ja() == s.trim() || k.label_en() == s.trim())
    }
}

/// A meeting record as a form edits it: kind by name, dates ISO or 和暦, attendees a
/// number (blank = not recorded).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MeetingFields {
    pub kind: String,
    pub held_on: String,
    pub attendees: String,
    pub minutes_received_on: String,
    pub minutes_ref: String,
    pub note: String,
}

super::history::fields_by_name!(
    MeetingFields,
    "meeting",
    [
        kind,
        held_on,
        attendees,
        minutes_received_on,
        minutes_ref,
        note
    ]
);

/// Longest meeting note, in characters (several lines allowed).
pub const MAX_NOTE_CHARS: usize = 1000;

impl MeetingFields {
    /// Canonical values (kind by its stored name, dates ISO), or every refused field. A
    /// meeting is recorded once held: its date and the minutes' date are not after
    /// `today`, and the minutes do not arrive before the meeting.
    pub fn validated(&self, today: NaiveDate) -> Result<MeetingFields, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut out = MeetingFields::default();
        match MeetingKind::from_label(&self.kind) {
            Some(k) => out.kind = k.label_ja().to_string(),
            None => errors.push(FieldError::new(
                "meeting.kind",
                "会議の種類は運営推進会議か介護・医療連携推進会議を選んでください",
                "choose the meeting kind: 運営推進会議 or 介護・医療連携推進会議",
            )),
        }
        let mut date = |field: &'static str, value: &str, required: bool| {
            if value.trim().is_empty() && !required {
                return None;
            }
            match validate::date(field, value) {
                Ok(d) if d > today => {
                    let (ja, en) = validate::label(field);
                    errors.push(FieldError::new(
                        field,
                        format!("{ja}に今日より後の日付は入れられません"),
                        format!("the {en} cannot be after today"),
                    ));
                    None
                }
                Ok(d) => Some(d),
                Err(e) => {
                    errors.push(e);
                    None
                }
            }
        };
        let held = date("meeting.held_on", &self.held_on, true);
        let received = date(
            "meeting.minutes_received_on",
            &self.minutes_received_on,
            false,
        );
        out.held_on = held.map_or(String::new(), |d| d.to_string());
        out.minutes_received_on = received.map_or(String::new(), |d| d.to_string());
        if let (Some(h), Some(r)) = (held, received)
            && r < h
        {
            errors.push(FieldError::new(
                "meeting.minutes_received_on",
                "議事録の受領日が会議の開催日より前です",
                "the minutes received date is before the meeting",
            ));
        }
        let attendees = text::nfkc(self.attendees.trim());
        if !attendees.is_empty() {
            match attendees.trim_end_matches(['人', '名']).parse::<u32>() {
                Ok(n) if (1..=200).contains(&n) => out.attendees = n.to_string(),
                _ => errors.push(FieldError::new(
                    "meeting.attendees",
                    "出席者数は1〜200の数字で入力してください",
                    "the number of attendees is a number from 1 to 200",
                )),
            }
        }
        match validate::text("meeting.minutes_ref", &self.minutes_ref) {
            Ok(v) => out.minutes_ref = v,
            Err(e) => errors.push(e),
        }
        let note = text::fold_halfwidth_kana(self.note.trim()).into_owned();
        match text::check_free_text("meeting.note", &note, MAX_NOTE_CHARS, true) {
            Ok(()) => out.note = note,
            Err(_) => {
                let (ja, en) = validate::label("meeting.note");
                errors.push(FieldError::new(
                    "meeting.note",
                    format!("{ja}は{MAX_NOTE_CHARS}文字以内で、制御文字を含めずに入力してください"),
                    format!("the {en} takes at most {MAX_NOTE_CHARS} characters and no control characters"),
                ));
            }
        }
        if errors.is_empty() {
            Ok(out)
        } else {
            Err(errors)
        }
    }

    pub fn held_on_date(&self) -> Option<NaiveDate> {
        NaiveDate::parse_from_str(&self.held_on, "%Y-%m-%d").ok()
    }
}

/// A meeting as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meeting {
    pub id: i64,
    pub facility_id: i64,
    pub fields: MeetingFields,
    pub recorded_by: String,
    pub version: i64,
}

/// A facility's meeting duty: which kinds its active services hold and how often, the
/// last meeting of each kind and when the next is due.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingDuty {
    pub kind: MeetingKind,
    pub interval_months: u32,
    pub last_held: Option<NaiveDate>,
    pub next_due: Option<NaiveDate>,
}

impl MeetingDuty {
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        is_overdue(self.next_due, today)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn intervals() {
        assert_eq!(
            next_due(Some(2), Some(d(2024, 1, 20)), d(2020, 4, 1)),
            Some(d(2024, 3, 20))
        );
        assert_eq!(next_due(Some(6), None, d(2024, 4, 1)), Some(d(2024, 10, 1)));
        assert_eq!(next_due(None, Some(d(2024, 1, 20)), d(2020, 4, 1)), None);
        assert!(is_overdue(Some(d(2024, 3, 20)), d(2024, 3, 21)));
        assert!(!is_overdue(Some(d(2024, 3, 20)), d(2024, 3, 20)));
        assert!(!is_overdue(None, d(2024, 3, 21)));
    }

    fn form(held: &str) -> MeetingFields {
        MeetingFields {
            kind: "運営推進会議".into(),
            held_on: held.into(),
            attendees: "８名".into(),
            minutes_received_on: String::new(),
            minutes_ref: String::new(),
            note: "ｹｱﾌﾟﾗﾝ説明\n質疑".into(),
        }
    }

    #[test]
    fn meeting_forms() {
        let today = d(2025, 6, 15);
        let ok = form("令和7年6月10日").validated(today).unwrap();
        assert_eq!(ok.held_on, "2025-06-10");
        assert_eq!(ok.attendees, "8");
        assert_eq!(ok.note, "ケアプラン説明\n質疑");
        assert_eq!(ok.held_on_date(), Some(d(2025, 6, 10)));
        let mut f = form("2025-06-16");
        f.kind = "会議".into();
        f.minutes_received_on = "2025-06-01".into();
        f.attendees = "0".into();
        let errs = f.validated(today).unwrap_err();
        let fields: Vec<_> = errs.iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            ["meeting.kind", "meeting.held_on", "meeting.attendees"]
        );
        assert_eq!(errs[1].ja, "会議の開催日に今日より後の日付は入れられません");
        let mut f = form("2025-06-10");
        f.minutes_received_on = "2025-06-01".into();
        assert_eq!(
            f.validated(today).unwrap_err()[0].field,
            "meeting.minutes_received_on"
        );
        assert_eq!(
            MeetingKind::from_label("介護・医療連携推進会議"),
            Some(MeetingKind::MedicalLiaison)
        );
    }
}
