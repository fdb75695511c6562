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
use crate::store::Result;
use crate::store::seed::{self, NewApplication, NewApplicationEvent};
use chrono::NaiveDate;
use rand::Rng;
use rand::seq::SliceRandom;
use rusqlite::Connection;
use serde_json::json;

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
        (S::UnderReview, 14),
        (S::Accepted, 10),
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

    fn application(&mut self, conn: &Connection, seq: usize, kind: K, status: S) -> Result<usize> {
        let today = self.today;
        let age = if status.is_open() {
            self.rng.random_range(1..=75)
        } else {
            self.rng.random_range(20..=240)
        };
        let received = today - days(age);
        let fact = match kind {
            K::NewDesignation => None,
            K::Renewal => self
                .fact()
                .cloned()
                .map(|drawn| self.renewal_fact(drawn, received, status.is_open())),
            _ => self.fact().cloned(),
        };
        let code = fact
            .as_ref()
            .map_or_else(|| "78".to_string(), |f| f.main_code.clone());
        let (event, payload) =
            self.event_and_payload(kind, received, fact.as_ref(), &code, status.is_open());
        let due = kind.deadline(&self.rules, &code, event);
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
        let payload = payload.to_string();
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
                payload: &payload,
                keyed_by: keyer,
                reviewed_by: reviewed,
                decided_by: decided,
                created_at: &at[0],
                updated_at: at.last().map_or(at[0].as_str(), String::as_str),
            },
        )?;
        let mut from: Option<S> = None;
        for (step, time) in steps.iter().zip(&at) {
            let actor = match step {
                S::UnderReview | S::Returned => reviewer,
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

    /// The date the filing is about, and the changed fields as JSON.
    fn event_and_payload(
        &mut self,
        kind: K,
        received: NaiveDate,
        fact: Option<&FacilityFact>,
        code: &str,
        open: bool,
    ) -> (NaiveDate, serde_json::Value) {
        match kind {
            K::NewDesignation => {
                let start = add_months(first_of_month(received), 3);
                let town = places::town(self.rng);
                let (name, kana) = names::facility(self.rng, code, (town.name, town.kana));
                let addr = places::address(self.rng, town);
                let p = json!({"name": name, "name_kana": kana, "address": addr,
                    "service_code": code, "effective_on": start.to_string()});
                (start, p)
            }
            K::Renewal => {
                let exp = fact
                    .and_then(|f| renewal_end(f, received, open).or(f.next_expiry))
                    .unwrap_or_else(|| end_of_month(add_months(received, 2)));
                let from = exp.succ_opt().unwrap_or(exp);
                let p = json!({"current_expiry": exp.to_string(),
                    "new_period": {"from": from.to_string(), "to": expiry(from).to_string()}});
                (exp, p)
            }
            K::Change => {
                let on = received - days(self.rng.random_range(0..=15));
                let p = if chance(self.rng, 0.5) {
                    let m = names::person(self.rng);
                    json!({"changes": [{"field": "manager_name", "after": m.name}], "changed_on": on.to_string()})
                } else {
                    json!({"changes": [{"field": "phone", "after": rng::phone(self.rng)}], "changed_on": on.to_string()})
                };
                (on, p)
            }
            K::Addition => {
                let on = self.rules.addition_effective(code, received);
                let name = pick(
                    self.rng,
                    &[
                        "サービス提供体制強化加算（Ⅰ）",
                        "認知症専門ケア加算（Ⅱ）",
                        "科学的介護推進体制加算",
                        "介護職員等処遇改善加算（Ⅱ）",
                    ],
                );
                (
                    on,
                    json!({"addition": name, "effective_on": on.to_string()}),
                )
            }
            K::ClosureOrSuspension => {
                let on = end_of_month(add_months(received, self.rng.random_range(1..=2)));
                let what = pick(self.rng, &["休止", "廃止"]);
                let why = pick(
                    self.rng,
                    &[
                        "人員の確保が困難なため",
                        "建物の改修工事のため",
                        "事業の再編のため",
                    ],
                );
                (
                    on,
                    json!({"type": what, "on": on.to_string(), "reason": why}),
                )
            }
            K::Resumption => {
                let on = received - days(self.rng.random_range(0..=12));
                (on, json!({"resume_on": on.to_string()}))
            }
            K::Withdrawal => {
                let on = end_of_month(add_months(received, 2));
                let reason = "法人の事業縮小のため";
                (on, json!({"on": on.to_string(), "reason": reason}))
            }
        }
    }
}
