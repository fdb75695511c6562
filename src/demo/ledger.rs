//! The ledger part of the demo: corporations, facilities, designations, staff and
//! 運営推進会議 members and meetings, plus the facility summary columns.
//!
//! One [`Ledger`] walks the facilities in order, drawing from the shared generator, and
//! remembers a few facts per facility that the case generators (applications, consents)
//! refer to later.

use super::names::{self, Person};
use super::places::{self, Town};
use super::rng::{self, DemoRng, add_months, chance, days, pick, sub_months, weighted};
use crate::domain::designation::{expiry, first_of_month, renewal_start};
use crate::domain::ids::{corporate_check_digit, provider_check_digit};
use crate::domain::model::{FacilityFields, FacilityStatus, ServiceType};
use crate::store::facilities::{NewFacility, summarize};
use crate::store::seed::{self, NewCorporation, NewDesignation, NewStaff};
use crate::store::{Result, StoreError};
use chrono::NaiveDate;
use rand::Rng;
use rusqlite::Connection;
use std::collections::HashMap;

/// Service bundles a facility holds (main code first), with their share of facilities.
const BUNDLES: [(u32, &[&str]); 21] = [
    (30, &["43"]),
    (4, &["43", "46"]),
    (2, &["46"]),
    (12, &["78"]),
    (10, &["78", "A6"]),
    (6, &["32", "37", "38"]),
    (3, &["32", "37"]),
    (3, &["73", "75"]),
    (1, &["73", "75", "68"]),
    (1, &["77", "79"]),
    (1, &["77"]),
    (4, &["72", "74"]),
    (3, &["76"]),
    (1, &["71"]),
    (1, &["54"]),
    (1, &["36"]),
    (7, &["A2"]),
    (2, &["A2", "A3"]),
    (3, &["A6"]),
    (1, &["A6", "A7"]),
    (2, &["76", "A2"]),
];

/// 郡市区番号 used in order: Shinjuku's own first, then others once 10,000 serials of a
/// 事業所区分 are used up (only benchmark-sized ledgers get there).
fn city_code(index: u32) -> u32 {
    match index % 100 {
        0 => 4,
        i if i <= 4 => i - 1,
        i => i,
    }
}

/// 事業所区分 for a facility by its main service.
fn category(main: &str) -> (usize, char) {
    match main {
        "43" | "46" => (0, '7'),
        c if c.starts_with('A') => (2, 'A'),
        _ => (1, '9'),
    }
}

/// What later generators need to know about a facility.
#[derive(Debug, Clone)]
pub struct FacilityFact {
    pub id: i64,
    pub provider_number: String,
    pub name: String,
    pub corporation_name: String,
    pub main_code: String,
    pub status: FacilityStatus,
    pub next_expiry: Option<NaiveDate>,
    /// The day the facility was first designated.
    pub designated_on: Option<NaiveDate>,
}

#[derive(Debug, Default, Clone, Copy)]
pub struct LedgerCounts {
    pub corporations: usize,
    pub designations: usize,
    pub staff: usize,
    pub council_members: usize,
    pub meetings: usize,
}

struct CurrentCorp {
    id: i64,
    name: String,
    remaining: u32,
}

pub struct Ledger<'r> {
    rng: &'r mut DemoRng,
    today: NaiveDate,
    stamp: String,
    types: HashMap<String, ServiceType>,
    serials: [u32; 3],
    corp_serial: u32,
    corp: Option<CurrentCorp>,
    pub counts: LedgerCounts,
    pub facts: Vec<FacilityFact>,
}

impl<'r> Ledger<'r> {
    pub fn new(rng: &'r mut DemoRng, today: NaiveDate, types: Vec<ServiceType>) -> Self {
        Ledger {
            rng,
            today,
            stamp: rng::stamp(today),
            types: types.into_iter().map(|t| (t.code.clone(), t)).collect(),
            serials: [0; 3],
            corp_serial: 0,
            corp: None,
            counts: LedgerCounts::default(),
            facts: Vec::new(),
        }
    }

    fn provider_number(&mut self, main: &str) -> Result<String> {
        let (slot, letter) = category(main);
        self.serials[slot] += self.rng.random_range(1..=2);
        let n = self.serials[slot];
        let head = format!("13{letter}{:02}{:04}", city_code(n / 10_000), n % 10_000);
        let check = provider_check_digit(&head).map_err(|e| StoreError::Invalid(e.to_string()))?;
        Ok(format!("{head}{check}"))
    }

    fn corporate_number(&mut self, kind: &str) -> Result<String> {
        // 登記所 code + 会社法人等 kind + serial; the serial only grows, so numbers are unique.
        self.corp_serial += self.rng.random_range(1..=40);
        let office = 111 + self.corp_serial / 1_000_000;
        let form = if kind.contains("会社") { 1 } else { 5 };
        let tail = format!("{office:04}{form:02}{:06}", self.corp_serial % 1_000_000);
        let check = corporate_check_digit(&tail).map_err(|e| StoreError::Invalid(e.to_string()))?;
        Ok(format!("{check}{tail}"))
    }

    /// The corporation for the next facility: the current one while it has facilities
    /// left to run, else a new one running 1–4.
    fn corporation(&mut self, conn: &Connection) -> Result<(i64, String)> {
        if let Some(c) = self.corp.as_mut().filter(|c| c.remaining > 0) {
            c.remaining -= 1;
            return Ok((c.id, c.name.clone()));
        }
        let org = names::corporation(self.rng);
        let number = self.corporate_number(org.kind)?;
        let rep = names::person(self.rng);
        let address = places::any_address(self.rng);
        let rep_address = places::any_address(self.rng);
        let dob = rng::dob(self.rng, 1945, 1985);
        let id = seed::insert_corporation(
            conn,
            &NewCorporation {
                corporate_number: &number,
                name: &org.name,
                name_kana: &org.kana,
                kind: org.kind,
                address: &address,
                representative_name: &rep.name,
                representative_address: &rep_address,
                representative_dob: Some(dob),
                updated_at: &self.stamp,
            },
        )?;
        self.counts.corporations += 1;
        let remaining = *weighted(self.rng, &[(50, 0), (25, 1), (15, 2), (10, 3)]);
        self.corp = Some(CurrentCorp {
            id,
            name: org.name.clone(),
            remaining,
        });
        Ok((id, org.name))
    }

    /// First designation date (1st of a month in the last 12 years) and the start of the
    /// period containing today. ~5% are made to expire within three months.
    fn designation_dates(&mut self) -> (NaiveDate, NaiveDate) {
        let today = self.today;
        if chance(self.rng, 0.05) {
            let start = add_months(
                first_of_month(sub_months(today, 72)),
                self.rng.random_range(1..=3),
            );
            let first = if chance(self.rng, 0.5) {
                sub_months(start, 72)
            } else {
                start
            };
            return (first, start);
        }
        let horizon = add_months(today, 3);
        loop {
            let back = self.rng.random_range(1..=144);
            let first = first_of_month(sub_months(today, back));
            let mut start = first;
            while expiry(start) < today {
                start = renewal_start(expiry(start));
            }
            if expiry(start) > horizon {
                return (first, start);
            }
        }
    }

    fn status(&mut self) -> FacilityStatus {
        *weighted(
            self.rng,
            &[
                (970, FacilityStatus::Active),
                (15, FacilityStatus::Suspended),
                (15, FacilityStatus::Closed),
            ],
        )
    }

    /// Generates and inserts facility number `index` (0-based) with everything it holds.
    pub fn facility(&mut self, conn: &Connection, index: usize) -> Result<()> {
        let &codes = weighted(self.rng, &BUNDLES);
        let main = codes[0];
        let (corp_id, corp_name) = self.corporation(conn)?;
        let town: &Town = places::town(self.rng);
        let (name, name_kana) = names::facility(self.rng, main, (town.name, town.kana));
        let provider_number = self.provider_number(main)?;
        let phone = rng::phone(self.rng);
        let fax = if chance(self.rng, 0.7) {
            rng::phone(self.rng)
        } else {
            String::new()
        };
        let email = if chance(self.rng, 0.75) {
            format!("office{:06}@example.jp", index + 1)
        } else {
            String::new()
        };
        let manager = names::person(self.rng);
        let status = self.status();
        // Same draw order as the fields below always had: the data for a seed is stable.
        let address = places::address(self.rng, town);
        let manager_address = places::any_address(self.rng);
        let manager_dob = rng::dob(self.rng, 1955, 1990);
        let f = NewFacility {
            fields: FacilityFields {
                provider_number: provider_number.clone(),
                name: name.clone(),
                name_kana,
                postal_code: town.postal.to_string(),
                address,
                town: town.name.to_string(),
                phone,
                fax,
                email,
                manager_name: manager.name.clone(),
            },
            status: Some(status),
            corporation_id: Some(corp_id),
            manager_address: manager_address.clone(),
            manager_dob: Some(manager_dob),
        };
        let id = seed::insert_facility(conn, &f, &corp_name, &self.stamp, "demo")?;
        let (first, start) = self.designation_dates();
        let expires = expiry(start);
        let mut sorted: Vec<&str> = codes.to_vec();
        sorted.sort_unstable();
        let d_status = if status == FacilityStatus::Closed {
            "closed"
        } else {
            "active"
        };
        let mut ds = Vec::new();
        for code in &sorted {
            let did = seed::insert_designation(
                conn,
                &NewDesignation {
                    facility_id: id,
                    service_code: code,
                    designated_on: first,
                    expires_on: expires,
                    status: d_status,
                },
            )?;
            // 定員 from the facility id, not the random stream (the rest of the demo
            // stays as it was).
            if let Some(cap) = crate::domain::opendata::demo_capacity(code, id) {
                crate::store::opendata::set_capacity(conn, did, Some(cap))?;
            }
            self.counts.designations += 1;
            let t = self.types.get(*code);
            ds.push((
                (*code).to_string(),
                t.map(|t| t.short_name.clone()).unwrap_or_default(),
                t.and_then(|t| t.meeting_interval_months),
                first,
                expires,
            ));
        }
        self.staff(conn, id, main, (&manager, &manager_address, manager_dob))?;
        let interval = ds.iter().filter_map(|d| d.2).min();
        let last = match interval {
            Some(months) => self.council(conn, id, &provider_number, months, first)?,
            None => None,
        };
        if status == FacilityStatus::Closed {
            ds.clear();
        }
        let summary = summarize(&ds, last);
        seed::set_facility_summary(conn, id, &summary)?;
        self.facts.push(FacilityFact {
            id,
            provider_number,
            name,
            corporation_name: corp_name,
            main_code: main.to_string(),
            status,
            next_expiry: summary.next_expiry,
            designated_on: Some(first),
        });
        Ok(())
    }

    /// 管理者 plus 3–6 others whose jobs fit the service.
    fn staff(
        &mut self,
        conn: &Connection,
        facility_id: i64,
        main: &str,
        manager: (&Person, &str, NaiveDate),
    ) -> Result<()> {
        let (person, address, dob) = manager;
        // The 管理者 on 従事者 is the manager on 基本情報: same address and birth date.
        self.staff_member(
            conn,
            facility_id,
            person,
            "管理者",
            main,
            Some((address, dob)),
        )?;
        let others = self.rng.random_range(3..=6);
        for _ in 0..others {
            let person = names::person(self.rng);
            let title = self.job_title(main);
            self.staff_member(conn, facility_id, &person, title, main, None)?;
        }
        Ok(())
    }

    fn job_title(&mut self, main: &str) -> &'static str {
        let table: &[(u32, &'static str)] = match main {
            "43" | "46" => &[(9, "介護支援専門員"), (1, "介護職員")],
            "32" | "73" => &[(2, "計画作成担当者"), (7, "介護職員"), (1, "看護職員")],
            "77" => &[(2, "計画作成担当者"), (4, "介護職員"), (4, "看護職員")],
            "76" | "71" | "54" => &[(7, "介護職員"), (3, "看護職員")],
            _ => &[(8, "介護職員"), (2, "看護職員")],
        };
        let &title = weighted(self.rng, table);
        title
    }

    fn staff_member(
        &mut self,
        conn: &Connection,
        facility_id: i64,
        p: &Person,
        title: &str,
        main: &str,
        known: Option<(&str, NaiveDate)>,
    ) -> Result<()> {
        let care_manager = matches!(title, "介護支援専門員" | "計画作成担当者")
            || (title == "管理者" && matches!(main, "43" | "46"));
        let qualification = if care_manager {
            "介護支援専門員"
        } else if title == "看護職員" {
            pick(self.rng, &["看護師", "看護師", "准看護師"])
        } else {
            pick(
                self.rng,
                &[
                    "介護福祉士",
                    "介護福祉士",
                    "実務者研修",
                    "初任者研修",
                    "社会福祉士",
                ],
            )
        };
        let number = if care_manager {
            format!("13{}", rng::digits(self.rng, 6))
        } else {
            String::new()
        };
        let address = if chance(self.rng, 0.6) {
            places::any_address(self.rng)
        } else {
            let towns = ["中野区", "杉並区", "豊島区", "練馬区", "板橋区"];
            format!(
                "東京都{}本町{}-{}-{}",
                pick(self.rng, &towns),
                self.rng.random_range(1..=5),
                self.rng.random_range(1..=30),
                self.rng.random_range(1..=20)
            )
        };
        let dob = rng::dob(self.rng, 1955, 2000);
        // Drawn above either way, so every later row stays what it was for a seed.
        let (address, dob) = known.map_or((address, dob), |(a, d)| (a.to_string(), d));
        seed::insert_staff(
            conn,
            &NewStaff {
                facility_id,
                name: &p.name,
                name_kana: &p.kana,
                job_title: title,
                address: &address,
                dob: Some(dob),
                qualification,
                care_manager_number: &number,
            },
        )?;
        self.counts.staff += 1;
        Ok(())
    }

    /// Members (3–6) and two years of meetings at `months` intervals; ~17% of these
    /// facilities (≈8% of all) have let the last one lapse. Returns the last meeting.
    fn council(
        &mut self,
        conn: &Connection,
        facility_id: i64,
        provider_number: &str,
        months: u32,
        designated: NaiveDate,
    ) -> Result<Option<NaiveDate>> {
        const ROLES: [(&str, &str); 6] = [
            ("利用者家族", "家族代表"),
            ("町会", "会長"),
            ("民生委員・児童委員協議会", "民生委員"),
            ("高齢者総合相談センター", "社会福祉士"),
            ("新宿区介護保険課", "主査"),
            ("地域の医療機関", "医師"),
        ];
        let n = self.rng.random_range(3..=6);
        for (affiliation, title) in ROLES.iter().take(n) {
            let p = names::person(self.rng);
            seed::insert_council_member(conn, facility_id, &p.name, affiliation, title)?;
            self.counts.council_members += 1;
        }
        let today = self.today;
        let span = i64::from(months) * 30;
        let last = if chance(self.rng, 0.17) {
            sub_months(today, months) - days(self.rng.random_range(7..=120))
        } else {
            today - days(self.rng.random_range(0..span - 5))
        };
        if last < designated {
            return Ok(None);
        }
        let oldest = sub_months(today, 24).max(designated);
        let mut held = last;
        let mut dates = Vec::new();
        while held >= oldest {
            dates.push(held);
            held = sub_months(held, months) + days(self.rng.random_range(-10..=5));
        }
        for d in dates.iter().rev() {
            let minutes = format!("minutes/{provider_number}/{d}.pdf");
            seed::insert_meeting(conn, facility_id, *d, &minutes)?;
            self.counts.meetings += 1;
        }
        Ok(Some(last))
    }
}
