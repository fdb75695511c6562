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
        let city = &m.code[3..5]; // 郡市区番号: 131041 新宿区 → 04
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

/// What [`link_out_of_ward`] arranged, for the summary and the demo's own tests.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OutOfWard {
    /// Ledger facilities placed in another municipality (区外指定).
    pub facilities: Vec<i64>,
    /// (application, consent, status the consent was given) pairs.
    pub links: Vec<(i64, i64, C)>,
}

/// Services a ward designates outside its area (地域密着型).
const LOCAL_SERVICES: &str = "('32','36','54','71','72','73','76','77','78')";

/// Issue 15's part of the demo, drawn from its own generator so the rest of the demo
/// stays as it was: a few open renewals of 地域密着型 facilities become 区外指定 — the
/// facility moves to another municipality and an outgoing request (依頼済 / 同意 /
/// 不同意 / 事前同意) is linked to the application; the granted closed requests become
/// residents using the consented facility (one has ended); the mutual prior consent with
/// 中野区 gets its other direction; one draft is withdrawn; every case gets its history.
pub fn link_out_of_ward(
    conn: &Connection,
    rng: &mut rng::DemoRng,
    today: NaiveDate,
    partners: &[Municipality],
) -> Result<OutOfWard> {
    let mut out = OutOfWard::default();
    // The seed writes statuses only; the answer is kept in `outcome` (closed = consented).
    conn.execute(
        "UPDATE consent_request SET outcome = CASE status
            WHEN 'consented' THEN 'consented' WHEN 'refused' THEN 'refused'
            WHEN 'waived' THEN 'waived' WHEN 'closed' THEN 'consented' ELSE '' END",
        [],
    )?;
    let by_name = |n: &str| partners.iter().find(|m| m.name == n).cloned();
    let open_apps = |kind_filter: &str| -> Result<Vec<(i64, Option<i64>, String)>> {
        let mut st = conn.prepare(&format!(
            "SELECT a.id, a.facility_id, a.service_code FROM application a LEFT JOIN facility f ON f.id = a.facility_id
             WHERE a.status IN ('accepted','under_review','returned') AND a.service_code IN {LOCAL_SERVICES}
               AND {kind_filter}
             ORDER BY a.status <> 'under_review', a.id"
        ))?;
        let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    };
    // Renewals of ledger facilities first (the facility moves out of the ward), then new
    // designations of facilities not yet in the ledger (only the request names them).
    // Only a facility with no other open new/renewal case moves: every open case of an
    // out-of-ward facility then has its consent.
    let mut renewals = open_apps(
        "a.kind = 'renewal' AND f.status = 'active'
         AND (SELECT count(*) FROM application b WHERE b.facility_id = a.facility_id
              AND b.kind IN ('new','renewal')
              AND b.status IN ('submitted','accepted','under_review','returned')) = 1",
    )?
    .into_iter();
    let mut news = open_apps("a.kind = 'new' AND a.facility_id IS NULL")?.into_iter();
    // (consent status to link, counterpart): 中野区 has a prior consent for everything.
    let plan = [
        (C::Consented, "世田谷区"),
        (C::Requested, "練馬区"),
        (C::Refused, "杉並区"),
        (C::Waived, "中野区"),
    ];
    // One facility moves once: two open renewals of the same facility must not send it
    // to two municipalities.
    let mut used = std::collections::HashSet::new();
    for (k, (status, place)) in plan.iter().enumerate() {
        let Some((app, fid, service)) = renewals
            .by_ref()
            .find(|(_, fid, _)| fid.is_none_or(|f| !used.contains(&f)))
            .or_else(|| news.next())
        else {
            break;
        };
        if let Some(f) = fid {
            used.insert(f);
        }
        let (Some(m), Some(consent)) = (
            by_name(place),
            conn.query_row(
                "SELECT id FROM consent_request WHERE direction = 'outgoing' AND status = ?1
                   AND application_id IS NULL ORDER BY id LIMIT 1",
                [status.code()],
                |r| r.get::<_, i64>(0),
            )
            .ok(),
        ) else {
            continue;
        };
        let head = format!("139{}{:04}", &m.code[3..5], 9000 + k);
        let check = crate::domain::ids::provider_check_digit(&head).unwrap_or('0');
        let mut number = format!("{head}{check}");
        let name = match fid {
            Some(fid) => {
                if crate::store::facilities::id_by_provider_number(conn, &number)?.is_some() {
                    number = conn.query_row(
                        "SELECT provider_number FROM facility WHERE id = ?1",
                        [fid],
                        |r| r.get(0),
                    )?;
                }
                let address = places::address_in(rng, &m);
                crate::store::consents::relocate_facility(
                    conn, fid, &m.code, &number, &address, &m.name,
                )?;
                out.facilities.push(fid);
                conn.query_row("SELECT name FROM facility WHERE id = ?1", [fid], |r| {
                    r.get(0)
                })?
            }
            None => {
                let stem = (
                    m.name.trim_end_matches(['区', '市']),
                    m.kana.trim_end_matches(['ク', 'シ']),
                );
                names::facility(rng, &service, stem).0
            }
        };
        conn.execute(
            "UPDATE application SET provider_number = ?1 WHERE id = ?2",
            rusqlite::params![number, app],
        )?;
        conn.execute(
            "UPDATE consent_request SET facility_id = ?1, provider_number = ?2, facility_name = ?3,
                service_code = ?4, municipality_code = ?5, application_id = ?6 WHERE id = ?7",
            rusqlite::params![fid, number, name, service, m.code, app, consent],
        )?;
        out.links.push((app, consent, *status));
    }
    // Residents using the consented facility: the granted, closed outgoing requests.
    if let Some(&(_, consented, _)) = out
        .links
        .first()
        .filter(|(_, _, s)| *s == C::Consented && !out.facilities.is_empty())
    {
        let (fid, number, name, service, code): (i64, String, String, String, String) = conn
            .query_row(
            "SELECT facility_id, provider_number, facility_name, service_code, municipality_code
             FROM consent_request WHERE id = ?1",
            [consented],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )?;
        let closed: Vec<i64> = {
            let mut st = conn.prepare(
                "SELECT id FROM consent_request WHERE direction = 'outgoing' AND status = 'closed' ORDER BY id",
            )?;
            st.query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?
        };
        for (i, id) in closed.iter().enumerate() {
            conn.execute(
                "UPDATE consent_request SET facility_id = ?1, provider_number = ?2, facility_name = ?3,
                    service_code = ?4, municipality_code = ?5 WHERE id = ?6",
                rusqlite::params![fid, number, name, service, code, id],
            )?;
            if i == 0 {
                let ended = today - days(rng.random_range(10..=60));
                conn.execute(
                    "UPDATE consent_request SET use_ended_on = ?1 WHERE id = ?2",
                    rusqlite::params![ended.to_string(), id],
                )?;
            }
        }
    }
    // The other half of 中野区's mutual agreement: our consent to its residents.
    let (from, note): (String, String) = conn.query_row(
        "SELECT valid_from, note FROM prior_consent WHERE municipality_code = '131148' ORDER BY id LIMIT 1",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    conn.execute(
        "INSERT INTO prior_consent(municipality_code, direction, valid_from, valid_to, excluded_services, note)
         VALUES ('131148', 'incoming', ?1, NULL, '', ?2)",
        rusqlite::params![from, note],
    )?;
    // One draft withdrawn (取下げ).
    conn.execute(
        "UPDATE consent_request SET status = 'withdrawn', closed_on = requested_on,
            note = '本人が区内の事業所に決めたため取下げ'
         WHERE id = (SELECT max(id) FROM consent_request WHERE direction = 'outgoing' AND status = 'draft')",
        [],
    )?;
    history(conn)?;
    Ok(out)
}

/// id, direction, status, requested_on, answered_on, closed_on, created_at.
type CaseDates = (
    i64,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    String,
);

/// Each case's history from its dates: how it began, and the step to where it is now.
fn history(conn: &Connection) -> Result<()> {
    let rows: Vec<CaseDates> = {
        let mut st = conn.prepare(
            "SELECT id, direction, status, requested_on, answered_on, closed_on, created_at FROM consent_request ORDER BY id",
        )?;
        st.query_map([], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
            ))
        })?
        .collect::<rusqlite::Result<_>>()?
    };
    let insert = |id: i64, at: &str, from: Option<C>, to: C, reason: &str| {
        crate::store::consents::insert_event(conn, id, at, "demo-reviewer", from, to, reason)
    };
    for (id, dir, status, requested, answered, closed, created) in rows {
        let status = C::from_code(&status).unwrap_or(C::Draft);
        let first = if dir == "incoming" {
            C::Received
        } else {
            C::Draft
        };
        insert(id, &created, None, first, "")?;
        let mut at = first;
        if dir == "outgoing" && status != C::Draft && status != C::Withdrawn {
            insert(
                id,
                &format!("{requested}T01:00:00Z"),
                Some(at),
                C::Requested,
                "",
            )?;
            at = C::Requested;
        }
        let answer = match status {
            C::Closed => Some(C::Consented),
            s if s.outcome().is_some() => Some(s),
            _ => None,
        };
        if let Some(a) = answer {
            let day = answered
                .clone()
                .or(closed.clone())
                .unwrap_or(requested.clone());
            let reason = if a == C::Refused {
                "定員に空きがないため"
            } else {
                ""
            };
            insert(id, &format!("{day}T02:00:00Z"), Some(at), a, reason)?;
            at = a;
        }
        if matches!(status, C::Closed | C::Withdrawn) {
            let day = closed.unwrap_or(requested);
            let reason = if status == C::Withdrawn {
                "本人が区内の事業所に決めたため"
            } else {
                ""
            };
            insert(id, &format!("{day}T03:00:00Z"), Some(at), status, reason)?;
        }
    }
    conn.execute(
        "UPDATE consent_request SET answer_reason = '定員に空きがないため' WHERE status = 'refused'",
        [],
    )?;
    Ok(())
}
