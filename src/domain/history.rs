//! 変更履歴 with values: which field of a facility (or of its staff, council, corporation,
//! meetings, 運営指導) changed, from what to what, by whom, when and why. Values of
//! personal fields are stored (the history must say what changed) but flagged
//! `personal`, and shown masked unless the viewer revealed the facility.

use super::{mask, validate, wareki};
use chrono::{DateTime, FixedOffset, Local, Utc};

/// What caused a change: a command on a screen (`command`, `staff.update`) or a case
/// (`application`, its number) — the inbox issue records its own kinds the same way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cause {
    pub kind: String,
    pub id: String,
}

impl Cause {
    pub const COMMAND: &'static str = "command";
    pub const APPLICATION: &'static str = "application";

    pub fn command(id: &str) -> Cause {
        Cause {
            kind: Self::COMMAND.into(),
            id: id.into(),
        }
    }

    /// `台帳の編集` / `申請 R7-0012`, in the UI language.
    pub fn label(&self, ja: bool) -> String {
        match self.kind.as_str() {
            Self::COMMAND => command_label(&self.id)
                .map(|(j, e)| if ja { j } else { e }.to_string())
                .unwrap_or_else(|| self.id.clone()),
            Self::APPLICATION if ja => format!("申請 {}", self.id),
            Self::APPLICATION => format!("application {}", self.id),
            other => format!("{other} {}", self.id),
        }
    }
}

/// The commands of this module's writes, as staff name them.
pub fn command_label(id: &str) -> Option<(&'static str, &'static str)> {
    Some(match id {
        "ledger.edit" => ("台帳の編集", "ledger edit"),
        "meeting.record" => ("会議の記録", "meeting recorded"),
        "meeting.update" => ("会議記録の修正", "meeting record corrected"),
        "staff.add" => ("従事者の追加", "staff member added"),
        "staff.update" => ("従事者の変更", "staff member changed"),
        "staff.end" => ("従事者の終了", "staff member ended"),
        "council.add" => ("構成員の追加", "council member added"),
        "council.update" => ("構成員の変更", "council member changed"),
        "council.end" => ("構成員の終了", "council member ended"),
        "corporation.update" => ("法人情報の変更", "corporation changed"),
        "guidance.plan" => ("運営指導の予定", "guidance planned"),
        "guidance.record" => ("運営指導の結果記録", "guidance result recorded"),
        _ => return None,
    })
}

/// Fields whose values are personal data (DESIGN.md §3): masked unless revealed.
pub fn is_personal(field: &str) -> bool {
    matches!(
        field,
        "manager_name"
            | "manager_address"
            | "manager_dob"
            | "staff.name"
            | "staff.name_kana"
            | "staff.address"
            | "staff.dob"
            | "staff.care_manager_number"
            | "council.name"
            | "corporation.representative_name"
            | "corporation.representative_address"
            | "corporation.representative_dob"
    )
}

/// A personal value as shown masked: names keep the family name, addresses the town,
/// birth dates the year, numbers their last two digits.
pub fn mask_value(field: &str, value: &str) -> String {
    if value.is_empty() {
        return String::new();
    }
    if field.ends_with("dob") {
        mask::date_of_birth(value)
    } else if field.ends_with("address") {
        mask::address(value)
    } else if field.ends_with("number") {
        mask::tail(value, 2)
    } else if field.ends_with("name") || field.ends_with("name_kana") {
        mask::name(value)
    } else {
        mask::MASK.to_string().repeat(3)
    }
}

/// One field change to record. `old`/`new` are None when the row was added or removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldChange {
    pub field: String,
    pub old: Option<String>,
    pub new: Option<String>,
    pub personal: bool,
}

impl FieldChange {
    pub fn new(field: &str, old: Option<String>, new: Option<String>) -> FieldChange {
        FieldChange {
            field: field.to_string(),
            old,
            new,
            personal: is_personal(field),
        }
    }
}

/// The changes between two versions of a record, field by field (`(name, old, new)`;
/// None = no value). Equal values are left out.
pub fn diff<'a>(
    pairs: impl IntoIterator<Item = (&'a str, Option<String>, Option<String>)>,
) -> Vec<FieldChange> {
    pairs
        .into_iter()
        .filter(|(_, o, n)| o != n)
        .map(|(f, o, n)| FieldChange::new(f, o, n))
        .collect()
}

/// A text value as recorded: empty text counts as no value.
pub fn val(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_string())
}

/// One line of a facility's history, as the screen shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryLine {
    pub id: i64,
    /// RFC 3339 UTC, as stored.
    pub at: String,
    pub actor: String,
    /// The actor's display name when the account exists, else the staff id.
    pub actor_name: String,
    pub field: String,
    /// Masked already when `masked`.
    pub old_value: Option<String>,
    pub new_value: Option<String>,
    pub cause: Cause,
    pub personal: bool,
    /// True when the values are shown masked (personal and not revealed).
    pub masked: bool,
}

impl HistoryLine {
    /// The field's name as staff know it.
    pub fn label(&self, ja: bool) -> String {
        let (j, e) = validate::label(&self.field);
        if ja { j } else { e }.to_string()
    }

    /// 和暦 date and local time: `令和7年6月15日 14:03`.
    pub fn when(&self, ja: bool) -> String {
        format_at(&self.at, *Local::now().offset(), ja)
    }

    /// `旧 → 新` with `（なし）` for a missing value.
    pub fn change(&self, ja: bool) -> String {
        let none = if ja { "（なし）" } else { "(none)" };
        format!(
            "{} → {}",
            self.old_value.as_deref().unwrap_or(none),
            self.new_value.as_deref().unwrap_or(none)
        )
    }

    /// The whole line: when, who, field, old → new, cause.
    pub fn line(&self, ja: bool) -> String {
        format!(
            "{} {} {}: {} [{}]",
            self.when(ja),
            self.actor_name,
            self.label(ja),
            self.change(ja),
            self.cause.label(ja)
        )
    }
}

/// An RFC 3339 time in the given offset: `令和7年6月15日 14:03` (ja) or
/// `Reiwa 7 (2025-06-15) 14:03` (en). Unparsable text is returned as is.
pub fn format_at(at: &str, offset: FixedOffset, ja: bool) -> String {
    let Ok(t) = DateTime::parse_from_rfc3339(at) else {
        return at.to_string();
    };
    let local = t.with_timezone(&Utc).with_timezone(&offset);
    let date = local.date_naive();
    let day = if ja {
        wareki::format_long(date)
    } else {
        wareki::format_en(date)
    };
    format!("{day} {}", local.format("%H:%M"))
}

/// Name-based access for a form type of string fields (`prefix.field` names), so a form
/// edits fields by name, plus the history diff and the masked copy.
macro_rules! fields_by_name {
    ($ty:ident, $prefix:literal, [$($f:ident),+ $(,)?]) => {
        impl $ty {
            /// Field names as used in forms, messages (`validate::label`) and history.
            pub const NAMES: &'static [&'static str] = &[$(concat!($prefix, ".", stringify!($f))),+];

            pub fn get(&self, field: &str) -> &str {
                match field.strip_prefix(concat!($prefix, ".")).unwrap_or(field) {
                    $(stringify!($f) => &self.$f,)+
                    _ => "",
                }
            }

            pub fn set(&mut self, field: &str, value: String) {
                match field.strip_prefix(concat!($prefix, ".")).unwrap_or(field) {
                    $(stringify!($f) => self.$f = value,)+
                    _ => {}
                }
            }

            /// Field changes from `self` (before; None = the record is new) to `after`.
            pub fn changes(before: Option<&$ty>, after: &$ty) -> Vec<$crate::domain::history::FieldChange> {
                $crate::domain::history::diff(Self::NAMES.iter().map(|&name| {
                    (
                        name,
                        before.and_then(|b| $crate::domain::history::val(b.get(name))),
                        $crate::domain::history::val(after.get(name)),
                    )
                }))
            }

            /// The same fields with personal values masked (for lists and forms).
            pub fn masked(&self) -> $ty {
                let mut out = self.clone();
                for &name in Self::NAMES {
                    if $crate::domain::history::is_personal(name) {
                        out.set(name, $crate::domain::history::mask_value(name, self.get(name)));
                    }
                }
                out
            }
        }
    };
}

pub(crate) use fields_by_name;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_wareki_in_local_time() {
        let jst = FixedOffset::east_opt(9 * 3600).unwrap();
        assert_eq!(
            format_at("2025-06-14T23:30:00Z", jst, true),
            "令和7年6月15日 08:30"
        );
        assert_eq!(
            format_at("2025-06-14T23:30:00Z", jst, false),
            "Reiwa 7 (2025-06-15) 08:30"
        );
        assert_eq!(format_at("garbage", jst, true), "garbage");
    }

    #[test]
    fn personal_values_mask_by_kind() {
        assert!(is_personal("staff.name") && !is_personal("staff.job_title"));
        assert_eq!(mask_value("staff.name", "山田 太郎"), "山田 ＊＊");
        assert_eq!(mask_value("staff.dob", "1985-04-12"), "1985-**-**");
        assert_eq!(
            mask_value("staff.address", "新宿区西新宿2-8-1"),
            "新宿区西新宿＊＊＊"
        );
        assert_eq!(
            mask_value("staff.care_manager_number", "13123456"),
            "******56"
        );
        assert_eq!(mask_value("staff.name", ""), "");
    }

    #[test]
    fn diff_keeps_only_changes_and_labels_read_well() {
        let d = diff([
            ("staff.name", val("山田 太郎"), val("山田 次郎")),
            ("staff.job_title", val("介護職員"), val("介護職員")),
        ]);
        assert_eq!(d.len(), 1);
        assert!(d[0].personal);
        let line = HistoryLine {
            id: 1,
            at: "2025-06-14T23:30:00Z".into(),
            actor: "k001".into(),
            actor_name: "審査 一郎".into(),
            field: "staff.job_title".into(),
            old_value: None,
            new_value: Some("看護職員".into()),
            cause: Cause::command("staff.add"),
            personal: false,
            masked: false,
        };
        assert!(
            line.line(true)
                .ends_with("審査 一郎 職種: （なし） → 看護職員 [従事者の追加]")
        );
        assert!(
            line.line(false)
                .contains("job title: (none) → 看護職員 [staff member added]")
        );
        let app = Cause {
            kind: Cause::APPLICATION.into(),
            id: "R7-0012".into(),
        };
        assert_eq!(app.label(true), "申請 R7-0012");
    }
}
