//! Ledger upkeep (issue 13): what the facility detail shows beyond `FacilityDetail` —
//! meeting duties and records, the history with values — and recording a meeting.

use super::DataContext;
use super::reply::Reply;
use crate::domain::history::HistoryLine;
use crate::domain::meeting::{Meeting, MeetingDuty, MeetingFields};
use crate::service::{self, ServiceError};
use crate::store::{change_history, meetings};

/// How many history lines the tab shows.
pub const HISTORY_LIMIT: usize = 200;

/// A facility's meeting duties, meetings and history with values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upkeep {
    pub facility_id: i64,
    pub duties: Vec<MeetingDuty>,
    pub meetings: Vec<Meeting>,
    /// Newest first; personal values masked unless the reader revealed the facility.
    pub history: Vec<HistoryLine>,
}

pub(super) fn read(ctx: &DataContext, facility_id: i64) -> crate::store::Result<Upkeep> {
    let conn = ctx.store.conn();
    let revealed = service::privacy::is_revealed(
        conn,
        &ctx.actor.staff_id,
        "facility",
        &facility_id.to_string(),
        chrono::Utc::now(),
    );
    Ok(Upkeep {
        facility_id,
        duties: meetings::duties(conn, facility_id)?,
        meetings: meetings::list(conn, facility_id)?,
        history: change_history::list(conn, facility_id, revealed, HISTORY_LIMIT)?,
    })
}

/// Records a meeting held through the service; refusals in both languages.
pub(super) fn record_meeting(
    ctx: &mut DataContext,
    facility_id: i64,
    form: &MeetingFields,
) -> Reply {
    let today = ctx.today;
    match service::meetings::record_meeting(&mut ctx.store, &ctx.actor, facility_id, form, today) {
        Ok(m) => Reply::MeetingRecorded {
            facility_id,
            held_on: m.fields.held_on,
            warning: None,
        },
        Err(ServiceError::Anchor { path, source }) => Reply::MeetingRecorded {
            facility_id,
            held_on: form.held_on.clone(),
            warning: Some(format!("audit anchor {path}: {source}")),
        },
        Err(ServiceError::Invalid(errs)) => Reply::SaveInvalid(errs),
        Err(ServiceError::Denied(d)) => Reply::SaveRefused { ja: d.ja, en: d.en },
        Err(e) => Reply::SaveFailed {
            ja: e.message(true),
            en: e.message(false),
        },
    }
}
