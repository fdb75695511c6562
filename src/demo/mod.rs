//! `daicho demo`: a deterministic, realistic, synthetic ledger for demos and benchmarks.
//!
//! The same [`DemoOptions`] (facility count, seed, "today") always give the same rows:
//! everything is drawn from one `ChaCha8Rng` in a fixed order and every timestamp is
//! derived from `today`. Nothing is real: people are random combinations of common
//! names, phone numbers are fictional 03-5xxx-xxxx, e-mail is `@example.jp`, addresses
//! are real 新宿区 towns with random block numbers. Identifiers (事業所番号, 法人番号) carry
//! valid check digits so the validators accept them.
//!
//! Rows are written through `store::seed` in a few large `BEGIN IMMEDIATE` transactions
//! (5,000 facilities each), so 100,000 facilities take seconds, not minutes.

mod cases;
mod consents;
mod ledger;
mod names;
mod office;
mod places;
mod rng;
mod upkeep;

use crate::domain::designation::CalendarRules;
use crate::store::{Result, Store, meta, reference, seed};
use chrono::NaiveDate;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

pub use ledger::FacilityFact;

/// Mixed into the seed for the out-of-ward consent links ([`consents::link_out_of_ward`]).
const OUT_OF_WARD_SALT: u64 = 0x15c0_25e7;

/// Facilities per write transaction (and per progress report).
pub const BATCH: usize = 5_000;

/// Shinjuku's ledger size on 2024-03-01 (DESIGN.md §1): the default demo.
pub const DEFAULT_FACILITIES: usize = 366;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoOptions {
    pub facilities: usize,
    pub seed: u64,
    /// The date the data is "as of": expiries, overdue meetings and deadlines are
    /// arranged around it.
    pub today: NaiveDate,
}

/// How many rows of each kind were written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DemoSummary {
    pub corporations: usize,
    pub facilities: usize,
    pub designations: usize,
    pub staff: usize,
    pub council_members: usize,
    pub meetings: usize,
    pub applications: usize,
    pub application_events: usize,
    pub consents: usize,
    pub prior_consents: usize,
    pub checklist_audits: usize,
    pub users: usize,
    /// 運営指導 results and visits planned.
    pub guidance_results: usize,
    pub guidance_plans: usize,
}

impl std::fmt::Display for DemoSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} facilities, {} corporations, {} designations, {} staff, {} council members, {} meetings, \
             {} applications ({} events), {} consent cases, {} prior consents, {} checklist audits, {} users, \
             {} guidance results, {} guidance visits planned",
            self.facilities,
            self.corporations,
            self.designations,
            self.staff,
            self.council_members,
            self.meetings,
            self.applications,
            self.application_events,
            self.consents,
            self.prior_consents,
            self.checklist_audits,
            self.users,
            self.guidance_results,
            self.guidance_plans
        )
    }
}

pub use office::USERS as DEMO_USERS;
pub use office::demo_password;

/// Applications for a ledger of `facilities`: 60 per 366, at least 60, at most 20,000.
pub fn application_count(facilities: usize) -> usize {
    if facilities == 0 {
        return 0;
    }
    (facilities * 60 / DEFAULT_FACILITIES).clamp(60, 20_000)
}

/// Consent requests: 25 per 366, at least 25, at most 10,000.
pub fn consent_count(facilities: usize) -> usize {
    (facilities * 25 / DEFAULT_FACILITIES).clamp(25, 10_000)
}

/// Fills an empty database with demo data. `progress(done, total)` is called after
/// each batch of facilities (total = facility count).
pub fn generate(
    store: &mut Store,
    opts: &DemoOptions,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<DemoSummary> {
    let types = reference::service_types(store.conn())?;
    let mut rng = ChaCha8Rng::seed_from_u64(opts.seed);
    let mut ledger = ledger::Ledger::new(&mut rng, opts.today, types);
    let total = opts.facilities;
    let mut done = 0;
    // The demo builds into a fresh file (a killed run leaves nothing behind), so the
    // search indexes can be built once at the end instead of row by row.
    let triggers = store.write(|tx| seed::pause_search_index(tx))?;
    while done < total {
        let end = (done + BATCH).min(total);
        store.write(|tx| {
            for i in done..end {
                ledger.facility(tx, i)?;
            }
            Ok(())
        })?;
        done = end;
        progress(done, total);
    }
    store.write(|tx| seed::resume_search_index(tx, &triggers))?;
    let counts = ledger.counts;
    let facts = std::mem::take(&mut ledger.facts);
    drop(ledger);
    let mut summary = DemoSummary {
        corporations: counts.corporations,
        facilities: total,
        designations: counts.designations,
        staff: counts.staff,
        council_members: counts.council_members,
        meetings: counts.meetings,
        ..DemoSummary::default()
    };
    let partners = places::partner_municipalities();
    let mut cases = cases::Cases {
        rng: &mut rng,
        today: opts.today,
        facts: &facts,
        rules: CalendarRules::default(),
    };
    store.write(|tx| {
        let (apps, events) = cases.applications(tx, application_count(total))?;
        summary.applications = apps;
        summary.application_events = events;
        summary.consents = cases.consents(tx, consent_count(total), &partners)?;
        summary.prior_consents = office::prior_consents(tx, opts.today)?;
        summary.checklist_audits = office::checklist(tx, cases.rng, opts.today)?;
        summary.users = office::users(tx, opts.today)?;
        // Issue 15's additions draw from their own generator: the rows above stay as they were.
        let mut extra = ChaCha8Rng::seed_from_u64(opts.seed ^ OUT_OF_WARD_SALT);
        consents::link_out_of_ward(tx, &mut extra, opts.today, &partners)?;
        summary.prior_consents += 1;
        meta::set(tx, meta::DEMO, "1")?;
        meta::set(tx, "demo_seed", &opts.seed.to_string())?;
        meta::set(tx, "demo_today", &opts.today.to_string())?;
        Ok(())
    })?;
    // Its own generator, so adding it left every row above as it was for a seed.
    let mut upkeep_rng = ChaCha8Rng::seed_from_u64(opts.seed ^ upkeep::SEED_SALT);
    let up = store.write(|tx| upkeep::generate(tx, &mut upkeep_rng, opts.today, &facts))?;
    summary.guidance_results = up.guidance_results;
    summary.guidance_plans = up.guidance_plans;
    if total == 0 {
        progress(0, 0);
    }
    Ok(summary)
}

/// The UI tests' demo database at `path`: 366 facilities, a fixed seed, dated `today`;
/// checkpointed and closed, so the file can be copied. Panics on failure (tests only).
#[doc(hidden)]
pub fn build_test_db(path: &std::path::Path, today: NaiveDate) {
    let mut store = Store::create(path).expect("create test database");
    let opts = DemoOptions {
        facilities: DEFAULT_FACILITIES,
        seed: 20240301,
        today,
    };
    generate(&mut store, &opts, &mut |_, _| {}).expect("demo data");
    store
        .conn()
        .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
        .expect("checkpoint test database");
}

#[cfg(test)]
mod tests;
