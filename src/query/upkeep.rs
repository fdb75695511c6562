//! Ledger upkeep (issue 13): what the facility detail shows beyond `FacilityDetail` —
//! meeting duties and records, the history with values — and recording a meeting.

use super::DataContext;
use super::reply::Reply;
use crate::domain::guidance::{GuidanceFields, GuidanceStatus};
use crate::domain::history::HistoryLine;
use crate::domain::meeting::{Meeting, MeetingDuty, MeetingFields};
use crate::domain::people::{
    CorporationFields, CorporationRecord, CouncilFields, CouncilMember, Staff, StaffFields,
};
use crate::service::{self, ServiceError};
use crate::store::{change_history, meetings, people};
use chrono::NaiveDate;

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
    /// 従事者, ended ones too; personal fields masked unless `revealed`.
    pub staff: Vec<Staff>,
    /// 構成員, ended ones too; names masked unless `revealed`.
    pub council: Vec<CouncilMember>,
    /// The facility's corporation; representative fields masked unless `revealed`.
    pub corporation: Option<CorporationRecord>,
    /// 運営指導: interval, last held, next due, and the records (plans and results).
    pub guidance: GuidanceStatus,
    /// Whether the reader had revealed the facility when this was read: personal values
    /// here are real only then.
    pub revealed: bool,
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
        staff: people::staff(conn, facility_id, true)?
            .into_iter()
            .map(|mut x| {
                if !revealed {
                    x.fields = x.fields.masked();
                }
                x
            })
            .collect(),
        council: people::council_members(conn, facility_id, true)?
            .into_iter()
            .map(|mut x| {
                if !revealed {
                    x.fields = x.fields.masked();
                }
                x
            })
            .collect(),
        corporation: people::corporation_of_facility(conn, facility_id)?.map(|mut c| {
            if !revealed {
                c.fields = c.fields.masked();
            }
            c
        }),
        guidance: crate::store::guidance::status(conn, facility_id)?,
        revealed,
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

macro_rules! filled {
    ($ty:ty, $w:expr, $stored:expr) => {{
        let mut f = <$ty>::default();
        for (n, v) in <$ty>::NAMES.iter().zip(&$w.values) {
            f.set(n, v.clone());
        }
        if let Some(stored) = $stored {
            for n in &$w.keep {
                f.set(n, stored.get(n).to_string());
            }
        }
        f
    }};
}

/// Whose record a person form writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PersonKind {
    Staff,
    Council,
    Corporation,
    /// A 運営指導 plan or result (same form, no personal fields).
    Guidance,
}

impl PersonKind {
    /// The form's field names, in the order of its values.
    pub fn names(self) -> &'static [&'static str] {
        match self {
            PersonKind::Staff => StaffFields::NAMES,
            PersonKind::Council => CouncilFields::NAMES,
            PersonKind::Corporation => CorporationFields::NAMES,
            PersonKind::Guidance => GuidanceFields::NAMES,
        }
    }

    /// The form's checks (the service checks again).
    pub fn validate(
        self,
        values: &[String],
        today: NaiveDate,
    ) -> Result<(), Vec<crate::domain::validate::FieldError>> {
        let w = PersonWrite {
            kind: self,
            facility_id: 0,
            target: PersonTarget::Add,
            values: values.to_vec(),
            keep: Vec::new(),
        };
        match self {
            PersonKind::Staff => filled!(StaffFields, w, None::<StaffFields>)
                .validated()
                .map(|_| ()),
            PersonKind::Council => filled!(CouncilFields, w, None::<CouncilFields>)
                .validated()
                .map(|_| ()),
            PersonKind::Corporation => filled!(CorporationFields, w, None::<CorporationFields>)
                .validated()
                .map(|_| ()),
            PersonKind::Guidance => filled!(GuidanceFields, w, None::<GuidanceFields>)
                .validated(today)
                .map(|_| ()),
        }
    }
}

/// What a person form asks to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PersonTarget {
    /// A new 従事者 or 構成員 of this facility.
    Add,
    /// Change the record `id` last read at `version`.
    Update { id: i64, version: i64 },
    /// End the record on that day (None: undo an end).
    End {
        id: i64,
        version: i64,
        ended_on: Option<NaiveDate>,
    },
}

/// One write from a person form. `values` follow `kind.names()`; the fields named in
/// `keep` were shown masked and left alone: the stored value is kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonWrite {
    pub kind: PersonKind,
    pub facility_id: i64,
    pub target: PersonTarget,
    pub values: Vec<String>,
    pub keep: Vec<&'static str>,
}

fn person_result<T>(r: service::Result<T>, facility_id: i64, kind: PersonKind) -> Reply {
    match r {
        Ok(_) => Reply::PersonSaved {
            facility_id,
            kind,
            warning: None,
        },
        Err(ServiceError::Anchor { path, source }) => Reply::PersonSaved {
            facility_id,
            kind,
            warning: Some(format!("audit anchor {path}: {source}")),
        },
        Err(ServiceError::Invalid(errs)) => Reply::SaveInvalid(errs),
        Err(ServiceError::Denied(d)) => Reply::SaveRefused { ja: d.ja, en: d.en },
        Err(ServiceError::Store(crate::store::StoreError::Conflict { .. })) => {
            Reply::PersonConflict { facility_id, kind }
        }
        Err(e) => Reply::SaveFailed {
            ja: e.message(true),
            en: e.message(false),
        },
    }
}

/// Adds, changes or ends a 従事者 or 構成員, or changes the corporation, through the
/// service; masked fields left alone keep their stored values.
pub(super) fn save_person(ctx: &mut DataContext, w: &PersonWrite) -> Reply {
    use service::people as sp;
    let today = ctx.today;
    let (store, actor) = (&mut ctx.store, &ctx.actor);
    let r: service::Result<()> = match (w.kind, &w.target) {
        (PersonKind::Staff, PersonTarget::Add) => sp::add_staff(
            store,
            actor,
            w.facility_id,
            &filled!(StaffFields, w, None::<StaffFields>),
        )
        .map(|_| ()),
        (PersonKind::Staff, PersonTarget::Update { id, version }) => {
            let stored = people::staff_member(store.conn(), *id)
                .ok()
                .flatten()
                .map(|s| s.fields);
            let f = filled!(StaffFields, w, stored);
            sp::update_staff(store, actor, *id, *version, &f).map(|_| ())
        }
        (
            PersonKind::Staff,
            PersonTarget::End {
                id,
                version,
                ended_on,
            },
        ) => sp::end_staff(store, actor, *id, *version, *ended_on).map(|_| ()),
        (PersonKind::Council, PersonTarget::Add) => sp::add_council_member(
            store,
            actor,
            w.facility_id,
            &filled!(CouncilFields, w, None::<CouncilFields>),
        )
        .map(|_| ()),
        (PersonKind::Council, PersonTarget::Update { id, version }) => {
            let stored = people::council_member(store.conn(), *id)
                .ok()
                .flatten()
                .map(|s| s.fields);
            let f = filled!(CouncilFields, w, stored);
            sp::update_council_member(store, actor, *id, *version, &f).map(|_| ())
        }
        (
            PersonKind::Council,
            PersonTarget::End {
                id,
                version,
                ended_on,
            },
        ) => sp::end_council_member(store, actor, *id, *version, *ended_on).map(|_| ()),
        (PersonKind::Corporation, PersonTarget::Update { id, version }) => {
            let stored = people::corporation(store.conn(), *id)
                .ok()
                .flatten()
                .map(|s| s.fields);
            let f = filled!(CorporationFields, w, stored);
            sp::update_corporation(store, actor, *id, *version, &f).map(|_| ())
        }
        (PersonKind::Guidance, PersonTarget::Add) => service::guidance::record_guidance(
            store,
            actor,
            w.facility_id,
            &filled!(GuidanceFields, w, None::<GuidanceFields>),
            today,
        )
        .map(|_| ()),
        (PersonKind::Guidance, PersonTarget::Update { id, version }) => {
            let f = filled!(GuidanceFields, w, None::<GuidanceFields>);
            service::guidance::update_guidance(store, actor, *id, *version, &f, today).map(|_| ())
        }
        (PersonKind::Guidance, PersonTarget::End { .. }) => Err(ServiceError::Invalid(vec![
            crate::domain::validate::FieldError::new(
                "guidance.held_on",
                "運営指導の記録は終了できません。訂正は c で行います",
                "a guidance record cannot be ended; correct it with c",
            ),
        ])),
        (PersonKind::Corporation, _) => Err(ServiceError::Invalid(vec![
            crate::domain::validate::FieldError::new(
                "corporation.name",
                "法人は追加・終了できません。変更のみできます",
                "a corporation can only be changed here, not added or ended",
            ),
        ])),
    };
    person_result(r, w.facility_id, w.kind)
}

/// Corrects a recorded meeting through the service; a conflict writes nothing.
pub(super) fn update_meeting(
    ctx: &mut DataContext,
    facility_id: i64,
    id: i64,
    version: i64,
    form: &MeetingFields,
) -> Reply {
    let today = ctx.today;
    let r = service::meetings::update_meeting(&mut ctx.store, &ctx.actor, id, version, form, today);
    match r {
        Err(ServiceError::Store(crate::store::StoreError::Conflict { .. })) => Reply::SaveFailed {
            ja: "この会議の記録は他の職員が先に変更したため保存していません。Esc で閉じて開き直し、最新の内容を確認してください".into(),
            en: "Not saved: someone changed this meeting record first. Press Esc and open it again to see the current values".into(),
        },
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
