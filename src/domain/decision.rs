//! 申請内容反映: what a decision changes in the ledger. [`plan`] turns a case's payload and
//! the facility as it is now into the ledger steps and the field-by-field changes (old →
//! new) that the confirmation dialog shows, the history records and the outbox carries —
//! one list, so what is shown is what is applied. What stands in the way of a decision is
//! a [`Blocker`].

use super::application::ApplicationKind;
use super::designation::expiry;
use super::ids;
use super::model::{Designation, Facility, FacilityFields, FacilityStatus};
use super::payload::{self, ClosureType, Payload};
use super::validate::FieldError;
use chrono::NaiveDate;
use serde::Serialize;

/// One step the decision applies to the ledger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LedgerStep {
    CreateFacility {
        fields: FacilityFields,
        service_code: String,
        designated_on: NaiveDate,
        expires_on: NaiveDate,
        prefecture_notified_on: Option<NaiveDate>,
    },
    UpdateFields(FacilityFields),
    SetStatus(FacilityStatus),
    /// A renewal: the period now ends on `expires_on` (指定年月日 stays).
    SetExpiry {
        service_code: String,
        expires_on: NaiveDate,
    },
    EndDesignation {
        service_code: String,
    },
    AddItems {
        service_code: String,
        effective_month: NaiveDate,
        items: Vec<String>,
    },
}

/// One changed value, as the dialog shows it and `facility_change` records it. Field
/// names are the facility's (`phone`), `status`, `status_on`, or per service
/// `designation.78.expires_on`, `designation.78.designated_on`, `designation.78`,
/// `addition.78`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlannedChange {
    pub field: String,
    pub old: Option<String>,
    pub new: Option<String>,
    pub personal: bool,
}

impl PlannedChange {
    fn new(field: impl Into<String>, old: Option<String>, new: Option<String>) -> Self {
        let field = field.into();
        PlannedChange {
            personal: payload::is_personal_field(&field),
            field,
            old,
            new,
        }
    }

    /// "電話番号: 03-1111-2222 → 03-3333-4444" (values as stored; the screen masks
    /// personal ones).
    pub fn describe(&self, ja: bool) -> String {
        let label = field_label(&self.field, ja);
        let none = if ja { "（なし）" } else { "(none)" };
        format!(
            "{label}: {} → {}",
            self.old.as_deref().unwrap_or(none),
            self.new.as_deref().unwrap_or(none)
        )
    }
}

/// The label of a planned-change field in the UI language.
pub fn field_label(field: &str, ja: bool) -> String {
    let pick = |(j, e): (&str, &str)| if ja { j.to_string() } else { e.to_string() };
    let mut parts = field.split('.');
    match (parts.next(), parts.next(), parts.next()) {
        (Some("designation"), Some(code), Some(f)) => {
            format!("{} {code}", pick(payload::field_label(f)))
        }
        (Some("designation"), Some(code), None) => {
            format!("{} {code}", pick(payload::field_label("designation")))
        }
        (Some("addition"), Some(code), None) => {
            format!("{} {code}", pick(payload::field_label("addition")))
        }
        _ => {
            let l = pick(payload::field_label(field));
            if l.is_empty() { field.to_string() } else { l }
        }
    }
}

/// 公示 kinds (法78条の11).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NoticeKind {
    Designation,
    Closure,
    Cancellation,
    Suspension,
}

impl NoticeKind {
    pub const ALL: [NoticeKind; 4] = [
        Self::Designation,
        Self::Closure,
        Self::Cancellation,
        Self::Suspension,
    ];
    pub fn code(self) -> &'static str {
        match self {
            Self::Designation => "designation",
            Self::Closure => "closure",
            Self::Cancellation => "cancellation",
            Self::Suspension => "suspension",
        }
    }
    pub fn from_code(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == s)
    }
    pub fn label_ja(self) -> &'static str {
        match self {
            Self::Designation => "指定",
            Self::Closure => "廃止",
            Self::Cancellation => "指定の取消し",
            Self::Suspension => "休止",
        }
    }
    pub fn label_en(self) -> &'static str {
        match self {
            Self::Designation => "designation",
            Self::Closure => "closure",
            Self::Cancellation => "cancellation",
            Self::Suspension => "suspension",
        }
    }
}

/// What a decision does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub steps: Vec<LedgerStep>,
    pub changes: Vec<PlannedChange>,
    /// The 公示 this decision needs, with its service and date.
    pub notice: Option<(NoticeKind, String, NaiveDate)>,
}

/// Why a decision cannot be taken now. The consent rule (issue 15) adds its own with
/// [`Blocker::Other`] from `service::applications::decision_blockers`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Blocker {
    /// The facility changed after the review started: the reviewer saw another ledger.
    FacilityChanged {
        seen: i64,
        now: i64,
    },
    /// The case names no facility (or one that no longer exists).
    NoFacility,
    /// A 新規 case whose facility already exists.
    AlreadyApplied,
    /// The facility's status does not allow this kind of case.
    FacilityStatus {
        status: FacilityStatus,
        kind: ApplicationKind,
    },
    NoDesignation {
        service_code: String,
    },
    /// A renewal for another period than the ledger's.
    PeriodDiffers {
        service_code: String,
        ledger: NaiveDate,
        case: NaiveDate,
    },
    /// The 事業所番号 the approver confirmed is invalid, of the wrong 事業所区分 or taken.
    ProviderNumber {
        ja: String,
        en: String,
    },
    /// The payload or the values it would write are invalid.
    Invalid(Vec<FieldError>),
    Other {
        ja: String,
        en: String,
    },
}

impl Blocker {
    pub fn message(&self, ja: bool) -> String {
        match self {
            Blocker::FacilityChanged { seen, now } => {
                if ja {
                    format!(
                        "審査の開始後に事業所の台帳が変更されています（審査時の版 {seen}、現在 {now}）。変更履歴を確認し、審査し直してから決定してください"
                    )
                } else {
                    format!(
                        "the facility's ledger entry changed after the review started (version {seen} then, {now} now); check its history and review again before deciding"
                    )
                }
            }
            Blocker::NoFacility => if ja {
                "この申請の事業所が台帳にありません。事業所番号を確認してください"
            } else {
                "the facility of this case is not in the ledger; check the provider number"
            }
            .into(),
            Blocker::AlreadyApplied => if ja {
                "この新規指定申請の事業所はすでに台帳にあります"
            } else {
                "the facility of this new designation is already in the ledger"
            }
            .into(),
            Blocker::FacilityStatus { status, kind } => {
                if ja {
                    format!(
                        "事業所は「{}」のため、{}を反映できません",
                        status.label_ja(),
                        kind.label_ja()
                    )
                } else {
                    format!(
                        "the facility is {}, so a {} cannot be applied",
                        status.label_en().to_lowercase(),
                        kind.label_en().to_lowercase()
                    )
                }
            }
            Blocker::NoDesignation { service_code } => {
                if ja {
                    format!("事業所にサービス {service_code} の有効な指定がありません")
                } else {
                    format!("the facility has no active designation for service {service_code}")
                }
            }
            Blocker::PeriodDiffers {
                service_code,
                ledger,
                case,
            } => {
                if ja {
                    format!(
                        "サービス {service_code} の有効期間満了日が台帳（{ledger}）と申請（{case}）で違います。申請内容を確認してください"
                    )
                } else {
                    format!(
                        "service {service_code} expires on {ledger} in the ledger but on {case} in the case; check the application"
                    )
                }
            }
            Blocker::ProviderNumber { ja: j, en } | Blocker::Other { ja: j, en } => {
                if ja {
                    j.clone()
                } else {
                    en.clone()
                }
            }
            Blocker::Invalid(errs) => errs
                .iter()
                .map(|e| if ja { e.ja.as_str() } else { e.en.as_str() })
                .collect::<Vec<_>>()
                .join(if ja { "。" } else { "; " }),
        }
    }
}

/// The ledger as the decision finds it.
#[derive(Debug, Clone, Copy)]
pub struct LedgerState<'a> {
    pub facility: Option<&'a Facility>,
    pub designations: &'a [Designation],
}

fn active_designation<'a>(l: &LedgerState<'a>, code: &str) -> Result<&'a Designation, Blocker> {
    l.designations
        .iter()
        .find(|d| d.service_code == code && d.active)
        .ok_or_else(|| Blocker::NoDesignation {
            service_code: code.to_string(),
        })
}

fn status_ok(
    f: &Facility,
    kind: ApplicationKind,
    allowed: &[FacilityStatus],
) -> Result<(), Blocker> {
    if allowed.contains(&f.status) {
        Ok(())
    } else {
        Err(Blocker::FacilityStatus {
            status: f.status,
            kind,
        })
    }
}

fn some(s: impl ToString) -> Option<String> {
    Some(s.to_string())
}

/// What deciding `payload` does to the ledger now. `provider_number` is the 事業所番号
/// the approver confirmed for a 新規 case (checked by [`check_provider_number`] and for
/// uniqueness by the caller).
pub fn plan(
    payload: &Payload,
    ledger: &LedgerState<'_>,
    provider_number: Option<&str>,
) -> Result<Plan, Vec<Blocker>> {
    use FacilityStatus::*;
    let payload = payload.validated().map_err(|e| vec![Blocker::Invalid(e)])?;
    let kind = payload.kind();
    if let Payload::New(p) = &payload {
        if ledger.facility.is_some() {
            return Err(vec![Blocker::AlreadyApplied]);
        }
        let number = provider_number.unwrap_or("").trim();
        check_provider_number(number, &p.service_code).map_err(|b| vec![b])?;
        let mut fields = p.facility.clone();
        fields.provider_number = number.to_string();
        let expires_on = expiry(p.effective_on);
        let mut changes: Vec<PlannedChange> = FacilityFields::NAMES
            .iter()
            .filter(|f| !fields.get(f).is_empty())
            .map(|f| PlannedChange::new(*f, None, some(fields.get(f))))
            .collect();
        changes.push(PlannedChange::new("status", None, some(Active.code())));
        let code = &p.service_code;
        changes.push(PlannedChange::new(
            format!("designation.{code}.designated_on"),
            None,
            some(p.effective_on),
        ));
        changes.push(PlannedChange::new(
            format!("designation.{code}.expires_on"),
            None,
            some(expires_on),
        ));
        return Ok(Plan {
            steps: vec![LedgerStep::CreateFacility {
                fields,
                service_code: code.clone(),
                designated_on: p.effective_on,
                expires_on,
                prefecture_notified_on: p.prefecture_notified_on,
            }],
            changes,
            notice: Some((NoticeKind::Designation, code.clone(), p.effective_on)),
        });
    }
    let f = ledger.facility.ok_or_else(|| vec![Blocker::NoFacility])?;
    let one = |b: Blocker| vec![b];
    match &payload {
        Payload::New(_) => unreachable!("handled above"),
        Payload::Change(p) => {
            status_ok(f, kind, &[Active, Suspended]).map_err(one)?;
            let next = payload::apply_changes(&f.fields, &p.changes)
                .map_err(|e| vec![Blocker::Invalid(e)])?;
            let changes: Vec<PlannedChange> = f
                .fields
                .changed_fields(&next)
                .into_iter()
                .map(|field| {
                    PlannedChange::new(field, some(f.fields.get(field)), some(next.get(field)))
                })
                .collect();
            let steps = if changes.is_empty() {
                vec![]
            } else {
                vec![LedgerStep::UpdateFields(next)]
            };
            Ok(Plan {
                steps,
                changes,
                notice: None,
            })
        }
        Payload::Renewal(p) => {
            status_ok(f, kind, &[Active, Suspended]).map_err(one)?;
            let d = active_designation(ledger, &p.service_code).map_err(one)?;
            if d.expires_on != p.current_expiry {
                return Err(one(Blocker::PeriodDiffers {
                    service_code: p.service_code.clone(),
                    ledger: d.expires_on,
                    case: p.current_expiry,
                }));
            }
            // 6 years from the day after the current period ends, whatever the form said.
            let from = d.expires_on.succ_opt().unwrap_or(d.expires_on);
            let to = expiry(from);
            let code = &p.service_code;
            Ok(Plan {
                steps: vec![LedgerStep::SetExpiry {
                    service_code: code.clone(),
                    expires_on: to,
                }],
                changes: vec![PlannedChange::new(
                    format!("designation.{code}.expires_on"),
                    some(d.expires_on),
                    some(to),
                )],
                notice: None,
            })
        }
        Payload::Addition(p) => {
            status_ok(f, kind, &[Active]).map_err(one)?;
            active_designation(ledger, &p.service_code).map_err(one)?;
            let month = p.effective_month.format("%Y-%m").to_string();
            Ok(Plan {
                steps: vec![LedgerStep::AddItems {
                    service_code: p.service_code.clone(),
                    effective_month: p.effective_month,
                    items: p.items.clone(),
                }],
                changes: vec![PlannedChange::new(
                    format!("addition.{}", p.service_code),
                    None,
                    Some(format!("{}（{month}〜）", p.items.join("、"))),
                )],
                notice: None,
            })
        }
        Payload::Closure(p) => {
            let (to, notice) = match p.what {
                ClosureType::Suspension => (Suspended, NoticeKind::Suspension),
                ClosureType::Closure => (Closed, NoticeKind::Closure),
            };
            let allowed: &[FacilityStatus] = match p.what {
                ClosureType::Suspension => &[Active],
                ClosureType::Closure => &[Active, Suspended],
            };
            status_ok(f, kind, allowed).map_err(one)?;
            let mut steps = vec![LedgerStep::SetStatus(to)];
            let mut changes = vec![
                PlannedChange::new("status", some(f.status.code()), some(to.code())),
                PlannedChange::new("status_on", None, some(p.on)),
            ];
            if to == Closed {
                for d in ledger.designations.iter().filter(|d| d.active) {
                    steps.push(LedgerStep::EndDesignation {
                        service_code: d.service_code.clone(),
                    });
                    changes.push(PlannedChange::new(
                        format!("designation.{}", d.service_code),
                        some("active"),
                        some("ended"),
                    ));
                }
            }
            let service = main_service(ledger);
            Ok(Plan {
                steps,
                changes,
                notice: Some((notice, service, p.on)),
            })
        }
        Payload::Resumption(p) => {
            status_ok(f, kind, &[Suspended]).map_err(one)?;
            Ok(Plan {
                steps: vec![LedgerStep::SetStatus(Active)],
                changes: vec![
                    PlannedChange::new("status", some(f.status.code()), some(Active.code())),
                    PlannedChange::new("status_on", None, some(p.resume_on)),
                ],
                notice: None,
            })
        }
        Payload::Withdrawal(p) => {
            status_ok(f, kind, &[Active, Suspended]).map_err(one)?;
            active_designation(ledger, &p.service_code).map_err(one)?;
            let mut steps = vec![LedgerStep::EndDesignation {
                service_code: p.service_code.clone(),
            }];
            let mut changes = vec![PlannedChange::new(
                format!("designation.{}", p.service_code),
                some("active"),
                some("ended"),
            )];
            let others = ledger
                .designations
                .iter()
                .filter(|d| d.active && d.service_code != p.service_code)
                .count();
            if others == 0 {
                steps.push(LedgerStep::SetStatus(Closed));
                changes.push(PlannedChange::new(
                    "status",
                    some(f.status.code()),
                    some(Closed.code()),
                ));
                changes.push(PlannedChange::new("status_on", None, some(p.on)));
            }
            Ok(Plan {
                steps,
                changes,
                notice: Some((NoticeKind::Closure, p.service_code.clone(), p.on)),
            })
        }
    }
}

/// The facility's first active service (for a closure's 公示).
fn main_service(ledger: &LedgerState<'_>) -> String {
    ledger
        .designations
        .iter()
        .find(|d| d.active)
        .or(ledger.designations.first())
        .map(|d| d.service_code.clone())
        .unwrap_or_default()
}

/// 事業所区分 for a facility designated for `service_code` by the ward: `7` 指定 for
/// 居宅介護支援 and 介護予防支援, `A` for 総合事業 (A1–AF), `9` 地域密着 otherwise.
pub fn provider_class(service_code: &str) -> char {
    match service_code {
        "43" | "46" => '7',
        c if c.starts_with('A') => 'A',
        _ => '9',
    }
}

/// 都道府県 (13, Tokyo) + 郡市区番号 of the ward (04, Shinjuku).
pub const WARD_PREFIX: &str = "13";
pub const WARD_CITY: &str = "04";

/// The first five characters of numbers for `service_code`.
pub fn provider_prefix(service_code: &str) -> String {
    format!("{WARD_PREFIX}{}{WARD_CITY}", provider_class(service_code))
}

/// The next free 事業所番号 for `service_code` after the highest serial in use under its
/// prefix, with its check digit; None when the 4-digit serials are used up.
pub fn propose_provider_number(service_code: &str, highest_serial: Option<u32>) -> Option<String> {
    let serial = highest_serial.map_or(1, |s| s + 1);
    if serial > 9999 {
        return None;
    }
    let head = format!("{}{serial:04}", provider_prefix(service_code));
    let check = ids::provider_check_digit(&head).ok()?;
    Some(format!("{head}{check}"))
}

/// A 事業所番号 the approver confirmed for a new designation: valid, and of the
/// 事業所区分 the service needs. Uniqueness is the store's to check.
pub fn check_provider_number(number: &str, service_code: &str) -> Result<(), Blocker> {
    if let Err(e) = ids::validate_provider_number(number) {
        return Err(Blocker::ProviderNumber {
            ja: e.message(true),
            en: e.message(false),
        });
    }
    let class = provider_class(service_code);
    if number.chars().nth(2) != Some(class) {
        return Err(Blocker::ProviderNumber {
            ja: format!(
                "事業所番号 {number} の3桁目（事業所区分）はサービス {service_code} では {class} です"
            ),
            en: format!(
                "the third character (事業所区分) of provider number {number} must be {class} for service {service_code}"
            ),
        });
    }
    Ok(())
}

/// The taken-number blocker, for the store's uniqueness check.
pub fn provider_number_taken(number: &str) -> Blocker {
    Blocker::ProviderNumber {
        ja: format!("事業所番号 {number} はすでに台帳で使われています。別の番号を確認してください"),
        en: format!("provider number {number} is already in the ledger; confirm another number"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::payload::{
        ChangePayload, ClosurePayload, ClosureType, FieldChange, NewPayload, Period,
        RenewalPayload, ResumptionPayload, WithdrawalPayload,
    };

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn facility(status: FacilityStatus) -> Facility {
        Facility {
            id: 7,
            fields: FacilityFields {
                provider_number: "1390400024".into(),
                name: "デイサービス若松".into(),
                address: "東京都新宿区若松町1-1".into(),
                phone: "03-1111-2222".into(),
                manager_name: "山田 太郎".into(),
                ..Default::default()
            },
            status,
            corporation_id: None,
            municipality_code: "131041".into(),
            manager_address: String::new(),
            manager_dob: None,
            version: 3,
            updated_at: String::new(),
            updated_by: String::new(),
        }
    }

    fn designation(code: &str, from: NaiveDate, to: NaiveDate) -> Designation {
        Designation {
            id: 1,
            facility_id: 7,
            service_code: code.into(),
            designated_on: from,
            expires_on: to,
            version: 1,
            service_name: String::new(),
            active: true,
            capacity: None,
        }
    }

    #[test]
    fn a_change_plans_exactly_the_changed_fields_with_ledger_old_values() {
        let f = facility(FacilityStatus::Active);
        let p = Payload::Change(ChangePayload {
            changed_on: d(2026, 11, 1),
            changes: vec![
                FieldChange {
                    field: "phone".into(),
                    before: "03-1111-2222".into(),
                    after: "03-3333-4444".into(),
                },
                FieldChange {
                    field: "name".into(),
                    before: "デイサービス若松".into(),
                    after: "デイサービス若松".into(),
                },
            ],
        });
        let plan = plan(
            &p,
            &LedgerState {
                facility: Some(&f),
                designations: &[],
            },
            None,
        )
        .unwrap();
        assert_eq!(plan.changes.len(), 1);
        assert_eq!(
            plan.changes[0].describe(true),
            "電話番号: 03-1111-2222 → 03-3333-4444"
        );
        assert!(
            matches!(&plan.steps[0], LedgerStep::UpdateFields(x) if x.phone == "03-3333-4444" && x.name == f.fields.name)
        );
        let closed = facility(FacilityStatus::Closed);
        let err = super::plan(
            &p,
            &LedgerState {
                facility: Some(&closed),
                designations: &[],
            },
            None,
        )
        .unwrap_err();
        assert!(
            err[0].message(true).contains("廃止"),
            "{}",
            err[0].message(true)
        );
    }

    #[test]
    fn a_renewal_is_six_years_from_the_day_after_the_ledger_period() {
        let f = facility(FacilityStatus::Active);
        let ds = [designation("78", d(2021, 3, 1), d(2027, 2, 28))];
        let p = Payload::Renewal(RenewalPayload {
            service_code: "78".into(),
            current_expiry: d(2027, 2, 28),
            new_period: Period {
                from: d(2027, 3, 1),
                to: d(2033, 2, 28),
            },
        });
        let l = LedgerState {
            facility: Some(&f),
            designations: &ds,
        };
        let plan = plan(&p, &l, None).unwrap();
        assert_eq!(
            plan.steps,
            vec![LedgerStep::SetExpiry {
                service_code: "78".into(),
                expires_on: d(2033, 2, 28)
            }]
        );
        assert_eq!(
            plan.changes[0].describe(false),
            "expires on 78: 2027-02-28 → 2033-02-28"
        );
        let other = [designation("78", d(2020, 3, 1), d(2026, 2, 28))];
        let err = super::plan(
            &p,
            &LedgerState {
                facility: Some(&f),
                designations: &other,
            },
            None,
        )
        .unwrap_err();
        assert!(matches!(err[0], Blocker::PeriodDiffers { .. }));
    }

    #[test]
    fn closures_suspensions_resumptions_and_withdrawals_set_status_and_notices() {
        let ds = [
            designation("78", d(2021, 3, 1), d(2027, 2, 28)),
            designation("A6", d(2021, 3, 1), d(2027, 2, 28)),
        ];
        let active = facility(FacilityStatus::Active);
        let l = LedgerState {
            facility: Some(&active),
            designations: &ds,
        };
        let suspend = Payload::Closure(ClosurePayload {
            what: ClosureType::Suspension,
            on: d(2026, 12, 31),
            reason: "改修".into(),
        });
        let p = plan(&suspend, &l, None).unwrap();
        assert_eq!(
            p.steps,
            vec![LedgerStep::SetStatus(FacilityStatus::Suspended)]
        );
        assert_eq!(
            p.notice,
            Some((NoticeKind::Suspension, "78".into(), d(2026, 12, 31)))
        );
        let close = Payload::Closure(ClosurePayload {
            what: ClosureType::Closure,
            on: d(2026, 12, 31),
            reason: "再編".into(),
        });
        let p = plan(&close, &l, None).unwrap();
        assert_eq!(p.steps.len(), 3, "status and both designations end");
        let resume = Payload::Resumption(ResumptionPayload {
            resume_on: d(2026, 11, 1),
        });
        assert!(
            plan(&resume, &l, None).is_err(),
            "an active facility cannot resume"
        );
        let suspended = facility(FacilityStatus::Suspended);
        let p = plan(
            &resume,
            &LedgerState {
                facility: Some(&suspended),
                designations: &ds,
            },
            None,
        )
        .unwrap();
        assert_eq!(p.steps, vec![LedgerStep::SetStatus(FacilityStatus::Active)]);
        let withdraw = Payload::Withdrawal(WithdrawalPayload {
            service_code: "A6".into(),
            on: d(2027, 1, 31),
            reason: "縮小".into(),
        });
        let p = plan(&withdraw, &l, None).unwrap();
        assert_eq!(
            p.steps,
            vec![LedgerStep::EndDesignation {
                service_code: "A6".into()
            }],
            "78 stays, so the facility stays open"
        );
        let last = [ds[1].clone()];
        let p = plan(
            &withdraw,
            &LedgerState {
                facility: Some(&active),
                designations: &last,
            },
            None,
        )
        .unwrap();
        assert!(
            p.steps
                .contains(&LedgerStep::SetStatus(FacilityStatus::Closed))
        );
    }

    #[test]
    fn a_new_designation_needs_a_valid_number_of_the_right_class() {
        let mut fields = facility(FacilityStatus::Active).fields;
        fields.provider_number.clear();
        let p = Payload::New(NewPayload {
            facility: fields,
            service_code: "78".into(),
            effective_on: d(2027, 2, 1),
            prefecture_notified_on: Some(d(2026, 12, 1)),
        });
        let none = LedgerState {
            facility: None,
            designations: &[],
        };
        let proposed = propose_provider_number("78", Some(41)).unwrap();
        assert_eq!(&proposed[..9], "139040042");
        assert_eq!(ids::validate_provider_number(&proposed), Ok(()));
        let plan = plan(&p, &none, Some(&proposed)).unwrap();
        assert!(
            matches!(&plan.steps[0], LedgerStep::CreateFacility { fields, expires_on, .. } if fields.provider_number == proposed && *expires_on == d(2033, 1, 31))
        );
        assert_eq!(plan.notice.unwrap().0, NoticeKind::Designation);
        // Wrong check digit, wrong class, missing.
        let mut wrong = proposed.clone();
        let last = wrong.pop().unwrap();
        wrong.push(if last == '0' { '1' } else { '0' });
        for n in [Some(wrong.as_str()), Some("1370400010"), None] {
            let err = super::plan(&p, &none, n).unwrap_err();
            assert!(matches!(err[0], Blocker::ProviderNumber { .. }), "{n:?}");
        }
        assert!(propose_provider_number("A6", Some(9999)).is_none());
        assert_eq!(
            &propose_provider_number("43", None).unwrap()[..9],
            "137040001"
        );
    }

    #[test]
    fn labels_name_the_service() {
        assert_eq!(
            field_label("designation.78.expires_on", true),
            "有効期間満了日 78"
        );
        assert_eq!(field_label("addition.32", false), "care structure items 32");
        assert_eq!(field_label("manager_name", true), "管理者氏名");
        assert!(PlannedChange::new("manager_name", None, None).personal);
    }
}
