//! Validation findings the case view lists for the reviewer: check digits, date rules,
//! expired designations, the facility's status, and anything that would block the
//! decision. Findings inform; only [`super::decision::Blocker`]s stop a decision.

use super::application::{ApplicationKind, is_filed_late};
use super::decision::{self, LedgerState};
use super::ids;
use super::payload::Payload;
use chrono::NaiveDate;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub ja: String,
    pub en: String,
}

impl Finding {
    fn new(ja: impl Into<String>, en: impl Into<String>) -> Self {
        Finding {
            ja: ja.into(),
            en: en.into(),
        }
    }
    pub fn message(&self, ja: bool) -> &str {
        if ja { &self.ja } else { &self.en }
    }
}

/// What the case view needs to know about the case itself.
#[derive(Debug, Clone, Copy)]
pub struct CaseFacts<'a> {
    pub kind: ApplicationKind,
    pub provider_number: &'a str,
    pub received_on: Option<NaiveDate>,
    pub filing_due_on: Option<NaiveDate>,
    /// The case can still be decided. Once decided (or closed), what would block a
    /// decision is no finding: the ledger already holds the decided values.
    pub decidable: bool,
}

pub fn findings(
    case: &CaseFacts<'_>,
    payload: Result<&Payload, &super::validate::FieldError>,
    ledger: &LedgerState<'_>,
    today: NaiveDate,
) -> Vec<Finding> {
    let mut out = Vec::new();
    let number = case.provider_number.trim();
    if !number.is_empty()
        && let Err(e) = ids::validate_provider_number(number)
    {
        out.push(Finding::new(e.message(true), e.message(false)));
    }
    if is_filed_late(case.received_on, case.filing_due_on) {
        let (r, d) = (
            case.received_on.unwrap_or_default(),
            case.filing_due_on.unwrap_or_default(),
        );
        out.push(Finding::new(
            format!("届出遅延: 届出期限 {d} を過ぎて {r} に受け付けています"),
            format!("filed late: received on {r}, after the filing deadline {d}"),
        ));
    }
    for d in ledger.designations.iter().filter(|d| d.active) {
        if d.expires_on < today {
            out.push(Finding::new(
                format!(
                    "サービス {} の指定は {} に有効期間が満了しています",
                    d.service_code, d.expires_on
                ),
                format!(
                    "the designation for service {} expired on {}",
                    d.service_code, d.expires_on
                ),
            ));
        }
    }
    if let Some(f) = ledger.facility
        && f.status != super::model::FacilityStatus::Active
        && case.kind != ApplicationKind::Resumption
    {
        out.push(Finding::new(
            format!("事業所は「{}」です", f.status.label_ja()),
            format!("the facility is {}", f.status.label_en().to_lowercase()),
        ));
    }
    let payload = match payload {
        Ok(p) => p,
        Err(e) => {
            out.push(Finding::new(e.ja.clone(), e.en.clone()));
            return out;
        }
    };
    if let (Payload::Change(p), Some(f)) = (payload, ledger.facility) {
        for c in &p.changes {
            let now = f.fields.get(&c.field);
            if now != c.before && super::payload::is_personal_field(&c.field) {
                // Personal values stay masked: the diff shows them once revealed.
                out.push(Finding::new(
                    format!(
                        "{}は受付後に台帳で変わっています（値は変更内容の欄で確認してください）",
                        decision::field_label(&c.field, true)
                    ),
                    format!(
                        "{} changed in the ledger after intake (see the values under Changes)",
                        decision::field_label(&c.field, false)
                    ),
                ));
            } else if now != c.before {
                out.push(Finding::new(
                    format!(
                        "{}は受付後に台帳で変わっています（受付時 {}、現在 {now}）",
                        decision::field_label(&c.field, true),
                        c.before
                    ),
                    format!(
                        "{} changed in the ledger after intake ({} then, {now} now)",
                        decision::field_label(&c.field, false),
                        c.before
                    ),
                ));
            }
        }
    }
    if let Payload::Renewal(p) = payload {
        let from = p.current_expiry.succ_opt().unwrap_or(p.current_expiry);
        let six = super::designation::expiry(from);
        if p.new_period.from != from || p.new_period.to != six {
            out.push(Finding::new(
                format!(
                    "申請の更新後期間（{}〜{}）は規定の6年（{from}〜{six}）と違います。決定では規定の期間で更新します",
                    p.new_period.from, p.new_period.to
                ),
                format!(
                    "the renewed period in the case ({} to {}) is not the statutory six years ({from} to {six}); the decision renews for six years",
                    p.new_period.from, p.new_period.to
                ),
            ));
        }
    }
    // What would block the decision, except the number a 新規 case gets at the decision.
    let number = matches!(payload, Payload::New(_)).then_some("1390400024");
    if !case.decidable {
        return out;
    }
    if let Err(blockers) = decision::plan(payload, ledger, number) {
        for b in blockers {
            if !matches!(b, decision::Blocker::ProviderNumber { .. }) {
                out.push(Finding::new(b.message(true), b.message(false)));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::model::{Designation, Facility, FacilityFields, FacilityStatus};
    use crate::domain::payload::{ChangePayload, FieldChange};

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn late_filing_stale_before_values_expired_designations_and_bad_numbers_are_found() {
        let f = Facility {
            id: 1,
            fields: FacilityFields {
                provider_number: "1390400024".into(),
                name: "若松".into(),
                address: "東京都新宿区若松町1-1".into(),
                phone: "03-1111-2222".into(),
                ..Default::default()
            },
            status: FacilityStatus::Suspended,
            corporation_id: None,
            municipality_code: "131041".into(),
            manager_address: String::new(),
            manager_dob: None,
            version: 1,
            updated_at: String::new(),
            updated_by: String::new(),
        };
        let ds = [Designation {
            id: 1,
            facility_id: 1,
            service_code: "78".into(),
            designated_on: d(2020, 4, 1),
            expires_on: d(2026, 3, 31),
            version: 1,
            service_name: String::new(),
            active: true,
            capacity: None,
        }];
        let p = Payload::Change(ChangePayload {
            changed_on: d(2026, 11, 1),
            changes: vec![FieldChange {
                field: "phone".into(),
                before: "03-0000-0000".into(),
                after: "03-3333-4444".into(),
            }],
        });
        let case = CaseFacts {
            kind: ApplicationKind::Change,
            provider_number: "1390400025",
            received_on: Some(d(2026, 11, 20)),
            filing_due_on: Some(d(2026, 11, 11)),
            decidable: true,
        };
        let found = findings(
            &case,
            Ok(&p),
            &LedgerState {
                facility: Some(&f),
                designations: &ds,
            },
            d(2026, 12, 2),
        );
        let all: Vec<&str> = found.iter().map(|x| x.ja.as_str()).collect();
        assert!(
            all.iter().any(|m| m.contains("チェックディジット")),
            "{all:?}"
        );
        assert!(all.iter().any(|m| m.starts_with("届出遅延")), "{all:?}");
        assert!(all.iter().any(|m| m.contains("満了")), "{all:?}");
        assert!(all.iter().any(|m| m.contains("休止")), "{all:?}");
        assert!(
            all.iter().any(|m| m.contains("受付時 03-0000-0000")),
            "{all:?}"
        );
        assert!(found.iter().all(|x| !x.en.is_empty()));
        // Once decided, what would block a decision is no finding any more (the ledger
        // holds the decided values); the case's own facts stay.
        let decided = findings(
            &CaseFacts {
                decidable: false,
                ..case
            },
            Ok(&p),
            &LedgerState {
                facility: Some(&f),
                designations: &ds,
            },
            d(2026, 12, 2),
        );
        assert_eq!(decided, found, "a change notice has no blocker here");
        // A renewal whose current expiry differs from the ledger: a blocker, shown while
        // the case is open, gone once it is decided (the ledger then holds the new one).
        let renewal = Payload::Renewal(crate::domain::payload::RenewalPayload {
            service_code: "78".into(),
            current_expiry: d(2027, 1, 31),
            new_period: crate::domain::payload::Period {
                from: d(2027, 2, 1),
                to: d(2033, 1, 31),
            },
        });
        let ledger = LedgerState {
            facility: Some(&f),
            designations: &ds,
        };
        let renewal_case = CaseFacts {
            kind: ApplicationKind::Renewal,
            ..case
        };
        let open = findings(&renewal_case, Ok(&renewal), &ledger, d(2026, 12, 2));
        assert!(
            open.iter().any(|x| x.ja.contains("有効期間満了日が台帳")),
            "{open:?}"
        );
        let done = findings(
            &CaseFacts {
                decidable: false,
                ..renewal_case
            },
            Ok(&renewal),
            &ledger,
            d(2026, 12, 2),
        );
        assert!(
            !done.iter().any(|x| x.ja.contains("有効期間満了日が台帳")),
            "{done:?}"
        );
    }

    /// A personal field changed since intake is named, its values not shown (they are
    /// masked in the diff until revealed).
    #[test]
    fn a_stale_personal_value_is_named_without_its_values() {
        let f = Facility {
            id: 1,
            fields: FacilityFields {
                provider_number: "1390400024".into(),
                manager_name: "中山 美香".into(),
                ..Default::default()
            },
            status: FacilityStatus::Active,
            corporation_id: None,
            municipality_code: "131041".into(),
            manager_address: String::new(),
            manager_dob: None,
            version: 1,
            updated_at: String::new(),
            updated_by: String::new(),
        };
        let p = Payload::Change(ChangePayload {
            changed_on: d(2026, 11, 1),
            changes: vec![FieldChange {
                field: "manager_name".into(),
                before: "中川 麻衣".into(),
                after: "山田 花子".into(),
            }],
        });
        let case = CaseFacts {
            kind: ApplicationKind::Change,
            provider_number: "1390400024",
            received_on: Some(d(2026, 11, 1)),
            filing_due_on: Some(d(2026, 11, 11)),
            decidable: true,
        };
        let ledger = LedgerState {
            facility: Some(&f),
            designations: &[],
        };
        let found = findings(&case, Ok(&p), &ledger, d(2026, 11, 5));
        let stale: Vec<&Finding> = found.iter().filter(|x| x.ja.contains("受付後")).collect();
        assert_eq!(stale.len(), 1, "{found:?}");
        for text in [&stale[0].ja, &stale[0].en] {
            assert!(!text.contains("中川") && !text.contains("中山"), "{text}");
        }
    }
}
