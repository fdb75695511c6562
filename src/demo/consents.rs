//! 区外指定 consent requests for the demo, in both directions, each with the insured
//! person it concerns (synthetic: random name, 10-digit number, Tokyo address).
//!
//! 25 per 366 facilities (never fewer than 25); the pattern puts every status and both
//! directions in its first rows.

use super::cases::Cases;
use super::names;
use super::places::{self, Municipality};
use super::rng::{self, add_months, days, pick, sub_months};
use crate::domain::consent::{ConsentStatus as C, Direction};
use crate::domain::designation::{end_of_month, first_of_month};
use crate::store::Result;
use crate::store::seed::{self, NewConsentRequest, NewInsuredPerson};
use chrono::NaiveDate;
use rand::Rng;
use rusqlite::Connection;

impl Cases<'_> {
    /// Inserts `n` consent requests with their insured persons.
    pub fn consents(
        &mut self,
        conn: &Connection,
        n: usize,
        partners: &[Municipality],
    ) -> Result<usize> {
        if partners.is_empty() {
            return Ok(0);
        }
        let pattern = consent_pattern();
        for i in 0..n {
            let (dir, status) = pattern[i % pattern.len()];
            self.consent(conn, i, dir, status, partners)?;
        }
        Ok(n)
    }

    fn consent(
        &mut self,
        conn: &Connection,
        seq: usize,
        dir: Direction,
        status: C,
        partners: &[Municipality],
    ) -> Result<()> {
        let today = self.today;
        // A waived request names a municipality with a prior consent (中野区, no exclusions).
        let i = if status == C::Waived {
            partners
                .iter()
                .position(|m| m.code == "131148")
                .unwrap_or(0)
        } else {
            self.rng.random_range(0..partners.len())
        };
        let m = &partners[i];
        let requested = if status.is_open() {
            today - days(self.rng.random_range(2..=40))
        } else {
            today - days(self.rng.random_range(30..=200))
        };
        let answered = matches!(status, C::Consented | C::Refused | C::Closed)
            .then(|| (requested + days(self.rng.random_range(5..=20))).min(today));
        let closed = match (status, answered) {
            (C::Closed, Some(a)) => Some((a + days(self.rng.random_range(1..=10))).min(today)),
            (C::Waived, _) => Some(requested),
            _ => None,
        };
        let (facility_id, number, fname, code) = match dir {
            Direction::Incoming => match self.fact().cloned() {
                Some(f)
                    if !matches!(f.main_code.as_str(), "43" | "46")
                        && !f.main_code.starts_with('A') =>
                {
                    (Some(f.id), f.provider_number, f.name, f.main_code)
                }
                Some(f) => (Some(f.id), f.provider_number, f.name, "78".to_string()),
                None => (None, String::new(), String::new(), "78".to_string()),
            },
            Direction::Outgoing => self.outside_facility(seq, m),
        };
        let doc = match dir {
            Direction::Outgoing => format!("新宿介保第{}号", 1200 + seq),
            Direction::Incoming => format!("{}介保発第{}号", m.name, 300 + seq),
        };
        let note = if status == C::Waived {
            "事前同意の範囲内のため個別の同意は不要"
        } else {
            ""
        };
        let created = rng::office_time(self.rng, requested);
        let id = seed::insert_consent_request(
            conn,
            &NewConsentRequest {
                direction: dir.code(),
                municipality_code: &m.code,
                facility_id,
                provider_number: &number,
                facility_name: &fname,
                service_code: &code,
                status: status.code(),
                requested_on: requested,
                due_on: Some(requested + days(14)),
                answered_on: answered,
                closed_on: closed,
                document_ref: &doc,
                note,
                created_at: &created,
                updated_at: &created,
            },
        )?;
        self.insured(conn, id, dir, m, requested)
    }

    /// A facility in another municipality, for an outgoing request.
    fn outside_facility(
        &mut self,
        seq: usize,
        m: &Municipality,
    ) -> (Option<i64>, String, String, String) {
        let code = pick(self.rng, &["32", "73", "77", "78", "72"]).to_string();
        let city = &m.code[2..4];
        let head = format!("139{city}{:04}", (5000 + seq) % 10_000);
        let check = crate::domain::ids::provider_check_digit(&head).unwrap_or('0');
        let stem = (
            m.name.trim_end_matches(['区', '市']),
            m.kana.trim_end_matches(['ク', 'シ']),
        );
        let (name, _) = names::facility(self.rng, &code, stem);
        (None, format!("{head}{check}"), name, code)
    }

    fn insured(
        &mut self,
        conn: &Connection,
        consent_id: i64,
        dir: Direction,
        m: &Municipality,
        requested: NaiveDate,
    ) -> Result<()> {
        let p = names::person(self.rng);
        let level = pick(
            self.rng,
            &["01", "06", "12", "13", "21", "22", "23", "24", "25"],
        );
        let number = rng::digits(self.rng, 10);
        let dob = rng::dob(self.rng, 1930, 1955);
        let resident = dir == Direction::Outgoing;
        let address = if resident {
            places::any_address(self.rng)
        } else {
            places::address_in(self.rng, m)
        };
        let phone = if resident {
            rng::phone(self.rng)
        } else {
            String::new()
        };
        let family = if resident {
            names::person(self.rng).name
        } else {
            String::new()
        };
        let relation = if resident {
            pick(self.rng, &["長男", "長女", "妻", "夫", "次女"])
        } else {
            ""
        };
        let cm = names::person(self.rng).name;
        let cert_from = first_of_month(sub_months(requested, self.rng.random_range(1..=11)));
        let insurer = if resident { "131041" } else { m.code.as_str() };
        let why = pick(
            self.rng,
            &[
                "家族の住まいに近い事業所を利用したいため",
                "主治医の勧めにより医療連携のある事業所を希望",
                "以前住んでいた地域の馴染みの事業所を利用したいため",
                "区内に空きがなく、通所可能な範囲の事業所を希望",
            ],
        );
        seed::insert_insured_person(
            conn,
            &NewInsuredPerson {
                consent_request_id: consent_id,
                name: &p.name,
                name_kana: &p.kana,
                sex: p.sex,
                care_level: level,
                insured_number: &number,
                dob: Some(dob),
                address: &address,
                phone: &phone,
                family_relation: relation,
                family_name: &family,
                care_manager_name: &cm,
                service_start_on: Some(first_of_month(add_months(requested, 1))),
                cert_from: Some(cert_from),
                cert_to: Some(end_of_month(add_months(cert_from, 11))),
                // The insurer's 地方公共団体コード stands in for its 保険者番号 here.
                insurer_number: insurer,
                reason: why,
            },
        )?;
        Ok(())
    }
}

/// (direction, status) for 25 requests: every status and both directions early on.
fn consent_pattern() -> Vec<(Direction, C)> {
    use Direction::{Incoming as In, Outgoing as Out};
    vec![
        (Out, C::Requested),
        (In, C::Received),
        (Out, C::Consented),
        (In, C::Refused),
        (Out, C::Draft),
        (In, C::Waived),
        (Out, C::Closed),
        (In, C::Consented),
        (Out, C::Refused),
        (In, C::Closed),
        (Out, C::Waived),
        (In, C::Received),
        (Out, C::Requested),
        (In, C::Consented),
        (Out, C::Consented),
        (In, C::Received),
        (Out, C::Requested),
        (In, C::Closed),
        (Out, C::Draft),
        (In, C::Received),
        (Out, C::Requested),
        (In, C::Consented),
        (Out, C::Closed),
        (In, C::Closed),
        (Out, C::Consented),
    ]
}
