//! Applications (申請・届出) for the demo, with their status history.
//!
//! Counts scale with the ledger (60 per 366 facilities, never fewer than 60); the
//! patterns interleave kinds and statuses so every one of them appears.

use super::ledger::FacilityFact;
use super::names;
use super::places;
use super::rng::{self, DemoRng, add_months, chance, days, pick, sub_months};
use crate::domain::application::{ApplicationKind as K, ApplicationStatus as S};
use crate::domain::designation::{
    CalendarRules, VALIDITY_YEARS, end_of_month, expiry, first_of_month,
};
use crate::domain::payload::{
    AdditionPayload, ChangePayload, ClosurePayload, ClosureType, FieldChange, NewPayload, Payload,
    Period, RenewalPayload, ResumptionPayload, WithdrawalPayload,
};
use crate::store::Result;
use crate::store::seed::{self, NewApplication, NewApplicationEvent};
use chrono::NaiveDate;
use rand::Rng;
use rand::seq::SliceRandom;
use rusqlite::Connection;

/// Kinds for 60 applications, most common first in weight; every kind appears early.
fn kind_pattern() -> Vec<K> {
    let counts = [
        (K::Change, 18),
        (K::Addition, 14),
        (K::Renewal, 12),
        (K::NewDesignation, 6),
        (K::ClosureOrSuspension, 5),
        (K::Resumption, 3),
        (K::Withdrawal, 2),
    ];
    spread(&counts)
}

/// Statuses for 60 applications: most open ones 受付/審査中.
fn status_pattern() -> Vec<S> {
    let counts = [
        (S::UnderReview, 13),
        (S::Accepted, 9),
        (S::Resubmitted, 2),
        (S::Notified, 12),
        (S::Submitted, 6),
        (S::Returned, 6),
        (S::Decided, 5),
        (S::Rejected, 4),
        (S::Withdrawn, 3),
    ];
    spread(&counts)
}

/// Round-robin over the items, so each appears before any repeats and the totals hold.
fn spread<T: Copy>(counts: &[(T, usize)]) -> Vec<T> {
    let mut left: Vec<usize> = counts.iter().map(|c| c.1).collect();
    let mut out = Vec::new();
    while left.iter().any(|n| *n > 0) {
        for (i, (item, _)) in counts.iter().enumerate() {
            if left[i] > 0 {
                left[i] -= 1;
                out.push(*item);
            }
        }
    }
    out
}

/// The status path from 提出済 to `end`, consistent with `ApplicationStatus::next`.
fn path(rng: &mut DemoRng, end: S) -> Vec<S> {
    let returned_once = chance(rng, 0.3);
    let mut p = vec![S::Submitted];
    let review = |p: &mut Vec<S>| {
        p.extend([S::Accepted, S::UnderReview]);
        if returned_once {
            p.extend([S::Returned, S::UnderReview]);
        }
    };
    match end {
        S::Submitted => {}
        S::Accepted => p.push(S::Accepted),
        S::UnderReview => review(&mut p),
        S::Returned => p.extend([S::Accepted, S::UnderReview, S::Returned]),
        S::Resubmitted => p.extend([S::Accepted, S::UnderReview, S::Returned, S::Resubmitted]),
        S::Decided => {
            review(&mut p);
            p.push(S::Decided);
        }
        S::Notified => {
            review(&mut p);
            p.extend([S::Decided, S::Notified]);
        }
        S::Rejected => {
            review(&mut p);
            p.push(S::Rejected);
        }
        S::Withdrawn => {
            p.push(S::Accepted);
            if chance(rng, 0.5) {
                p.push(S::UnderReview);
            }
            p.push(S::Withdrawn);
        }
    }
    p
}

fn reason(rng: &mut DemoRng, to: S) -> &'static str {
    match to {
        S::Returned => pick(
            rng,
            &[
                "添付書類（勤務形態一覧表）が不足しています",
                "平面図と運営規程の定員が一致しません",
                "管理者の兼務先と勤務時間の記載が必要です",
            ],
        ),
        S::Rejected => pick(
            rng,
            &[
                "人員基準（看護職員の配置）を満たしていないため",
                "提出期限を過ぎており、遡って算定できないため",
            ],
        ),
        S::Withdrawn => pick(
            rng,
            &[
                "事業者から取下げの申出（開設時期の延期）",
                "届出内容に誤りがあり再提出するため",
            ],
        ),
        _ => "",
    }
}

pub struct Cases<'r> {
    pub rng: &'r mut DemoRng,
    pub today: NaiveDate,
    pub facts: &'r [FacilityFact],
    pub rules: CalendarRules,
}

/// How long before the end of a designation period a renewal is filed, at most.
pub const RENEWAL_LEAD_MONTHS: u32 = 4;

/// The designation end a renewal received on `received` is about: the facility's
/// current period end, or (once decided, the facility now being in the new period)
/// the previous one, whichever falls within the filing window after `received`.
pub fn renewal_end(f: &FacilityFact, received: NaiveDate, open: bool) -> Option<NaiveDate> {
    if f.status != crate::domain::model::FacilityStatus::Active {
        return None;
    }
    let current = f.next_expiry?;
    let previous = current
        .succ_opt()
        .map(|start| sub_months(start, VALIDITY_YEARS * 12))
        .and_then(|start| start.pred_opt());
    let window = |e: &NaiveDate| *e >= received && *e <= add_months(received, RENEWAL_LEAD_MONTHS);
    std::iter::once(current)
        .chain(previous.filter(|_| !open))
        .find(window)
}

impl Cases<'_> {
    /// The facility a renewal is for: `drawn`, or the next one whose designation
    /// actually ends within the filing window (so the deadline is a real end date).
    fn renewal_fact(&self, drawn: FacilityFact, received: NaiveDate, open: bool) -> FacilityFact {
        let start = self
            .facts
            .iter()
            .position(|f| f.id == drawn.id)
            .unwrap_or(0);
        let n = self.facts.len();
        (0..n)
            .map(|k| &self.facts[(start + k) % n])
            .find(|f| renewal_end(f, received, open).is_some())
            .cloned()
            .unwrap_or(drawn)
    }

    pub(super) fn fact(&mut self) -> Option<&FacilityFact> {
        if self.facts.is_empty() {
            return None;
        }
        let i = self.rng.random_range(0..self.facts.len());
        self.facts.get(i)
    }

    /// Inserts `n` applications; returns (applications, events).
    pub fn applications(&mut self, conn: &Connection, n: usize) -> Result<(usize, usize)> {
        let (kinds, statuses) = (kind_pattern(), status_pattern());
        let mut order: Vec<usize> = (0..n).collect();
        order.shuffle(self.rng);
        let mut events = 0;
        for (seq, i) in order.into_iter().enumerate() {
            let kind = kinds[i % kinds.len()];
            // 13 is coprime to 60: over each 60 the pairs differ but the totals hold.
            let status = statuses[(i * 13) % statuses.len()];
            events += self.application(conn, seq, kind, status)?;
        }
        Ok((n, events))
    }

    /// A facility for a case of `kind`: one in the state the case needs (open cases
    /// find the ledger as it was when the case arrived; decided ones find it changed).
    fn fact_for(&mut self, kind: K, status: S) -> Option<FacilityFact> {
        use crate::domain::model::FacilityStatus as F;
        let applied = matches!(status, S::Decided | S::Notified);
        let wanted: &[F] = match (kind, applied) {
            (K::Resumption, false) => &[F::Suspended],
            (K::ClosureOrSuspension, true) => &[F::Suspended, F::Closed],
            (K::Withdrawal, true) => &[F::Closed],
            _ => &[F::Active],
        };
        let n = self.facts.len();
        if n == 0 {
            return None;
        }
        let start = self.rng.random_range(0..n);
        (0..n)
            .map(|k| &self.facts[(start + k) % n])
            .find(|f| wanted.contains(&f.status))
            .cloned()
    }

    fn application(&mut self, conn: &Connection, seq: usize, kind: K, status: S) -> Result<usize> {
        let today = self.today;
        // Most open cases are recent; some have waited long (those are overdue).
        let age = if status.is_open() {
            if chance(self.rng, 0.2) {
                self.rng.random_range(15..=60)
            } else {
                self.rng.random_range(1..=14)
            }
        } else {
            self.rng.random_range(20..=240)
        };
        let mut received = today - days(age);
        let applied = matches!(status, S::Decided | S::Notified);
        let fact = match kind {
            K::NewDesignation if applied => self.recently_designated(),
            K::NewDesignation => None,
            K::Renewal => self
                .fact_for(kind, status)
                .map(|drawn| self.renewal_fact(drawn, received, status.is_open())),
            _ => self.fact_for(kind, status),
        };
        let facility = match &fact {
            Some(f) => crate::store::facilities::get(conn, f.id)?,
            None => None,
        };
        let designations = match &fact {
            Some(f) => crate::store::facilities::designations(conn, f.id)?,
            None => Vec::new(),
        };
        if let (K::NewDesignation, Some(d)) = (kind, designations.first()) {
            // Received about two months before the designation took effect.
            received = sub_months(d.designated_on, 2).min(today);
        }
        let code = fact
            .as_ref()
            .map_or_else(|| "78".to_string(), |f| f.main_code.clone());
        let payload = self.payload(
            kind,
            received,
            fact.as_ref(),
            facility.as_ref(),
            &designations,
            &code,
            status,
        );
        let event = payload.event_date();
        let code = payload.service_code().map_or(code, str::to_string);
        let due = kind.deadline(&self.rules, &code, event);
        let process_due = crate::domain::application::ProcessingDays::default().due(kind, received);
        let (keyer, reviewer) = if chance(self.rng, 0.5) {
            ("demo-reviewer", "demo-reviewer2")
        } else {
            ("demo-reviewer2", "demo-reviewer")
        };
        let steps = path(self.rng, status);
        let mut at = Vec::with_capacity(steps.len());
        let mut day = received;
        for (i, _) in steps.iter().enumerate() {
            if i > 0 {
                day = (day + days(self.rng.random_range(0..=6))).min(today);
            }
            at.push(rng::office_time(self.rng, day));
        }
        let reviewed = steps.contains(&S::UnderReview).then_some(reviewer);
        let decided = steps
            .iter()
            .any(|s| matches!(s, S::Decided | S::Rejected))
            .then_some("demo-approver");
        let external =
            chance(self.rng, 0.7).then(|| format!("EA{}{:06}", received.format("%Y"), seq + 1));
        let applicant = fact.as_ref().map_or_else(
            || names::corporation(self.rng).name,
            |f| f.corporation_name.clone(),
        );
        let json = payload.to_json();
        let id = seed::insert_application(
            conn,
            &NewApplication {
                external_id: external.as_deref(),
                kind: kind.code(),
                status: status.code(),
                facility_id: fact.as_ref().map(|f| f.id),
                provider_number: fact.as_ref().map_or("", |f| f.provider_number.as_str()),
                applicant_name: &applicant,
                service_code: &code,
                received_on: received,
                event_date: Some(event),
                due_on: Some(due),
                payload: &json,
                keyed_by: keyer,
                reviewed_by: reviewed,
                decided_by: decided,
                created_at: &at[0],
                updated_at: at.last().map_or(at[0].as_str(), String::as_str),
            },
        )?;
        let assignee = (status.is_open() && chance(self.rng, 0.7)).then_some(reviewer);
        let source = if external.is_some() {
            "electronic"
        } else {
            "paper"
        };
        conn.execute(
            "UPDATE application SET source = ?1, assignee = ?2, process_due_on = ?3,
                reviewed_facility_version = ?4, decided_on = ?5 WHERE id = ?6",
            rusqlite::params![
                source,
                assignee,
                process_due.to_string(),
                reviewed.and(facility.as_ref().map(|f| f.version)),
                applied.then(|| day.to_string()),
                id
            ],
        )?;
        // Documents: all for a decided case; a returned one misses the one it was
        // returned for; others mostly complete.
        for (i, doc) in crate::domain::application::required_documents(kind)
            .iter()
            .enumerate()
        {
            let have = applied || (status != S::Returned || i != 1) && chance(self.rng, 0.9);
            if have {
                crate::store::inbox::set_document(conn, id, doc.code, Some(received), keyer)?;
            }
        }
        if chance(self.rng, 0.35) {
            let note = pick(
                self.rng,
                &[
                    "事業者に電話で確認済み。書類は郵送で追送予定",
                    "管理者の兼務先の勤務時間を確認中",
                    "前回の実地指導での指摘事項を確認すること",
                    "窓口で受領。原本は書庫に保管",
                ],
            );
            crate::store::inbox::add_note(conn, id, &at[0], reviewer, note)?;
        }
        if applied && let Some(f) = &facility {
            self.history(conn, id, &payload, f, &at[at.len() - 1])?;
        }
        let mut from: Option<S> = None;
        for (step, time) in steps.iter().zip(&at) {
            let actor = match step {
                S::UnderReview | S::Returned | S::Resubmitted => reviewer,
                S::Decided | S::Rejected => "demo-approver",
                _ => keyer,
            };
            let why = reason(self.rng, *step);
            seed::insert_application_event(
                conn,
                &NewApplicationEvent {
                    application_id: id,
                    at: time,
                    actor,
                    from_status: from.map(S::code),
                    to_status: step.code(),
                    reason: why,
                },
            )?;
            from = Some(*step);
        }
        Ok(steps.len())
    }

    /// A facility whose designation took effect in the months before today, for a
    /// decided 新規 case (the facility the case created).
    fn recently_designated(&mut self) -> Option<FacilityFact> {
        let n = self.facts.len();
        if n == 0 {
            return None;
        }
        let start = self.rng.random_range(0..n);
        let (from, to) = (sub_months(self.today, 7), self.today);
        (0..n)
            .map(|k| &self.facts[(start + k) % n])
            .find(|f| {
                f.status == crate::domain::model::FacilityStatus::Active
                    && f.designated_on.is_some_and(|d| d >= from && d <= to)
            })
            .cloned()
    }

    /// The history rows of a decided case: the ledger already holds its outcome, so
    /// the rows lead from the earlier value to today's.
    fn history(
        &mut self,
        conn: &Connection,
        id: i64,
        payload: &Payload,
        f: &crate::domain::model::Facility,
        at: &str,
    ) -> Result<()> {
        let mut rows: Vec<(String, Option<String>, Option<String>)> = Vec::new();
        match payload {
            Payload::Change(p) => {
                for c in &p.changes {
                    rows.push((
                        c.field.clone(),
                        Some(c.before.clone()),
                        Some(c.after.clone()),
                    ));
                }
            }
            Payload::Renewal(p) => {
                rows.push((
                    format!("designation.{}.expires_on", p.service_code),
                    Some(p.current_expiry.to_string()),
                    Some(p.new_period.to.to_string()),
                ));
            }
            Payload::Addition(p) => {
                for item in &p.items {
                    conn.execute(
                        "INSERT INTO facility_addition(facility_id, service_code, item, effective_month, application_id)
                         VALUES (?1, ?2, ?3, ?4, ?5)",
                        rusqlite::params![f.id, p.service_code, item, p.effective_month.format("%Y-%m").to_string(), id],
                    )?;
                }
                rows.push((
                    format!("addition.{}", p.service_code),
                    None,
                    Some(p.items.join("、")),
                ));
            }
            Payload::Closure(_) | Payload::Withdrawal(_) => {
                rows.push((
                    "status".into(),
                    Some("active".into()),
                    Some(f.status.code().into()),
                ));
            }
            Payload::Resumption(_) => {
                rows.push((
                    "status".into(),
                    Some("suspended".into()),
                    Some("active".into()),
                ));
            }
            Payload::New(p) => {
                for field in crate::domain::model::FacilityFields::NAMES {
                    let v = f.fields.get(field);
                    if !v.is_empty() {
                        rows.push((field.to_string(), None, Some(v.to_string())));
                    }
                }
                rows.push((
                    format!("designation.{}.designated_on", p.service_code),
                    None,
                    Some(p.effective_on.to_string()),
                ));
            }
        }
        let notice = match payload {
            Payload::New(p) => Some(("designation", p.service_code.clone(), p.effective_on)),
            Payload::Closure(p) => Some((
                if f.status == crate::domain::model::FacilityStatus::Closed {
                    "closure"
                } else {
                    "suspension"
                },
                self.main_code_of(f.id),
                p.on,
            )),
            Payload::Withdrawal(p) => Some(("closure", p.service_code.clone(), p.on)),
            _ => None,
        };
        if let Some((what, service, on)) = notice {
            conn.execute(
                "INSERT INTO public_notice(kind, facility_id, provider_number, name, address, service_code, effective_on, application_id, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                rusqlite::params![what, f.id, f.fields.provider_number, f.fields.name, f.fields.address, service, on.to_string(), id, at],
            )?;
        }
        let changes: Vec<crate::domain::history::FieldChange> = rows
            .into_iter()
            .map(|(field, old, new)| crate::domain::history::FieldChange {
                personal: crate::domain::payload::is_personal_field(&field),
                field,
                old,
                new,
            })
            .collect();
        crate::store::change_history::record_at(
            conn,
            f.id,
            at,
            "demo-approver",
            &crate::domain::history::Cause {
                kind: crate::domain::history::Cause::APPLICATION.into(),
                id: id.to_string(),
            },
            &changes,
        )?;
        Ok(())
    }

    fn main_code_of(&self, facility_id: i64) -> String {
        self.facts
            .iter()
            .find(|f| f.id == facility_id)
            .map_or_else(String::new, |f| f.main_code.clone())
    }

    /// What the case asks for, consistent with the ledger: an open case's old values
    /// are the ledger's; a decided case's new values are (the ledger holds its outcome).
    #[allow(clippy::too_many_arguments)]
    fn payload(
        &mut self,
        kind: K,
        received: NaiveDate,
        fact: Option<&FacilityFact>,
        facility: Option<&crate::domain::model::Facility>,
        designations: &[crate::domain::model::Designation],
        code: &str,
        status: S,
    ) -> Payload {
        let open = status.is_open() && status != S::Decided;
        let applied = matches!(status, S::Decided | S::Notified);
        let main = designations
            .iter()
            .find(|d| d.service_code == code && d.active)
            .or_else(|| designations.iter().find(|d| d.active))
            .or(designations.first());
        match kind {
            K::NewDesignation => match (facility, main) {
                (Some(f), Some(d)) => Payload::New(NewPayload {
                    facility: f.fields.clone(),
                    service_code: d.service_code.clone(),
                    effective_on: d.designated_on,
                    prefecture_notified_on: Some(received + days(7)),
                }),
                _ => {
                    let start = add_months(first_of_month(received), 3);
                    let town = places::town(self.rng);
                    let (name, kana) = names::facility(self.rng, code, (town.name, town.kana));
                    let addr = places::address(self.rng, town);
                    Payload::New(NewPayload {
                        facility: crate::domain::model::FacilityFields {
                            name,
                            name_kana: kana,
                            address: addr,
                            town: town.name.to_string(),
                            phone: rng::phone(self.rng),
                            manager_name: names::person(self.rng).name,
                            ..Default::default()
                        },
                        service_code: code.to_string(),
                        effective_on: start,
                        prefecture_notified_on: chance(self.rng, 0.6).then(|| received + days(5)),
                    })
                }
            },
            K::Renewal => {
                let exp = fact
                    .and_then(|f| renewal_end(f, received, open))
                    .or(fact.and_then(|f| f.next_expiry))
                    .unwrap_or_else(|| end_of_month(add_months(received, 2)));
                let service = designations
                    .iter()
                    .find(|d| {
                        d.expires_on == exp || d.expires_on == expiry(exp.succ_opt().unwrap_or(exp))
                    })
                    .map_or_else(|| code.to_string(), |d| d.service_code.clone());
                let from = exp.succ_opt().unwrap_or(exp);
                Payload::Renewal(RenewalPayload {
                    service_code: service,
                    current_expiry: exp,
                    new_period: Period {
                        from,
                        to: expiry(from),
                    },
                })
            }
            K::Change => {
                let on = received - days(self.rng.random_range(0..=15));
                let (field, other) = if chance(self.rng, 0.5) {
                    ("manager_name", names::person(self.rng).name)
                } else {
                    ("phone", rng::phone(self.rng))
                };
                let ledger = facility.map_or_else(String::new, |f| f.fields.get(field).to_string());
                let (before, after) = if applied {
                    (other, ledger)
                } else {
                    (ledger, other)
                };
                Payload::Change(ChangePayload {
                    changed_on: on,
                    changes: vec![FieldChange {
                        field: field.into(),
                        before,
                        after,
                    }],
                })
            }
            K::Addition => {
                let service = main.map_or_else(|| code.to_string(), |d| d.service_code.clone());
                let on = self.rules.addition_effective(&service, received);
                let name = pick(
                    self.rng,
                    &[
                        "サービス提供体制強化加算（Ⅰ）",
                        "認知症専門ケア加算（Ⅱ）",
                        "科学的介護推進体制加算",
                        "介護職員等処遇改善加算（Ⅱ）",
                    ],
                );
                Payload::Addition(AdditionPayload {
                    service_code: service,
                    effective_month: on,
                    items: vec![name.to_string()],
                })
            }
            K::ClosureOrSuspension => {
                let on = end_of_month(add_months(received, self.rng.random_range(1..=2)));
                let what = match facility.map(|f| f.status) {
                    Some(crate::domain::model::FacilityStatus::Closed) => ClosureType::Closure,
                    Some(crate::domain::model::FacilityStatus::Suspended) => {
                        ClosureType::Suspension
                    }
                    _ if chance(self.rng, 0.5) => ClosureType::Suspension,
                    _ => ClosureType::Closure,
                };
                let why = pick(
                    self.rng,
                    &[
                        "人員の確保が困難なため",
                        "建物の改修工事のため",
                        "事業の再編のため",
                    ],
                );
                Payload::Closure(ClosurePayload {
                    what,
                    on,
                    reason: why.into(),
                })
            }
            K::Resumption => {
                let on = received - days(self.rng.random_range(0..=12));
                Payload::Resumption(ResumptionPayload { resume_on: on })
            }
            K::Withdrawal => {
                let on = end_of_month(add_months(received, 2));
                let service = main.map_or_else(|| code.to_string(), |d| d.service_code.clone());
                Payload::Withdrawal(WithdrawalPayload {
                    service_code: service,
                    on,
                    reason: "法人の事業縮小のため".into(),
                })
            }
        }
    }
}
