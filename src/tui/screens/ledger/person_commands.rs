//! 従事者・構成員・法人 in the facility detail (issue 13): which record the cursor is
//! on, opening the form to add or change one, ending one (asks first; an ended one can
//! be taken back the same way), and the form's save and cancel.

use super::{LedgerMode, LedgerScreen, PersonForm};
use crate::domain::permission::{Action, Provenance, authorize};
use crate::query::Request;
use crate::query::upkeep::{PersonKind, PersonTarget, PersonWrite, Upkeep};
use crate::tui::command::Reason;
use crate::tui::i18n::Lang;
use crate::tui::msg::Effect;
use crate::tui::overlay::confirm::Confirm;
use crate::tui::screen::Host;
use crate::tui::ui::ScreenId::Ledger;

/// The detail tabs that hold people.
pub const TAB_DESIGNATIONS: usize = 1;
pub const TAB_CORPORATION: usize = 2;
pub const TAB_STAFF: usize = 3;
pub const TAB_COUNCIL: usize = 4;

/// One row of a people tab as the commands see it.
struct Picked {
    kind: PersonKind,
    id: i64,
    version: i64,
    values: Vec<String>,
    ended: bool,
    name: String,
}

impl LedgerScreen {
    /// How many people rows the current tab lists (0 on other tabs).
    pub fn people_rows(&self) -> usize {
        match (self.tab, &self.upkeep) {
            (TAB_DESIGNATIONS, Some(u)) => u.guidance.records.len(),
            (TAB_STAFF, Some(u)) => u.staff.len(),
            // Members, then the meetings held (c corrects one).
            (TAB_COUNCIL, Some(u)) => u.council.len() + u.meetings.len(),
            _ => 0,
        }
    }

    /// Up/Down on a people tab move the cursor between people.
    pub fn move_person(&mut self, delta: isize) {
        let n = self.people_rows();
        if n > 0 {
            self.person_sel = self.person_sel.saturating_add_signed(delta).min(n - 1);
        }
    }

    fn picked(&self) -> Option<Picked> {
        let u: &Upkeep = self.upkeep.as_deref()?;
        match self.tab {
            TAB_STAFF => u.staff.get(self.person_sel).map(|s| Picked {
                kind: PersonKind::Staff,
                id: s.id,
                version: s.version,
                values: values(PersonKind::Staff, |n| s.fields.get(n)),
                ended: s.ended_on.is_some(),
                name: s.fields.name.clone(),
            }),
            TAB_COUNCIL => u.council.get(self.person_sel).map(|c| Picked {
                kind: PersonKind::Council,
                id: c.id,
                version: c.version,
                values: values(PersonKind::Council, |n| c.fields.get(n)),
                ended: c.ended_on.is_some(),
                name: c.fields.name.clone(),
            }),
            TAB_DESIGNATIONS => u.guidance.records.get(self.person_sel).map(|g| Picked {
                kind: PersonKind::Guidance,
                id: g.id,
                version: g.version,
                values: values(PersonKind::Guidance, |n| g.fields.get(n)),
                ended: false,
                name: g.fields.held_on.clone(),
            }),
            TAB_CORPORATION => u.corporation.as_ref().map(|c| Picked {
                kind: PersonKind::Corporation,
                id: c.id,
                version: c.version,
                values: values(PersonKind::Corporation, |n| c.fields.get(n)),
                ended: false,
                name: c.fields.name.clone(),
            }),
            _ => None,
        }
    }

    /// The recorded meeting under the cursor on the Council tab.
    fn picked_meeting(&self) -> Option<&crate::domain::meeting::Meeting> {
        let u = self.upkeep.as_deref().filter(|_| self.tab == TAB_COUNCIL)?;
        u.meetings
            .get(self.person_sel.checked_sub(u.council.len())?)
    }

    fn facility_name(&self) -> String {
        self.detail
            .as_ref()
            .map(|d| d.facility.fields.name.clone())
            .unwrap_or_default()
    }
}

fn values<'a>(kind: PersonKind, get: impl Fn(&str) -> &'a str) -> Vec<String> {
    kind.names().iter().map(|n| get(n).to_string()).collect()
}

fn may_write(h: &dyn Host) -> Result<&LedgerScreen, Reason> {
    let l = match h.screen::<LedgerScreen>() {
        Some(l) if h.active() == Ledger && l.mode == LedgerMode::Detail => l,
        _ => {
            return Err(Reason::new(
                "事業所の詳細表示で使えます",
                "available in a facility's detail view",
            ));
        }
    };
    if l.upkeep.is_none() {
        return Err(Reason::new("読み込み中です", "still loading"));
    }
    authorize(&h.shell().actor, Action::EditLedger, &Provenance::default())
        .map_err(|d| Reason::new(d.ja, d.en))?;
    Ok(l)
}

pub(super) fn can_add(h: &dyn Host) -> Result<(), Reason> {
    match may_write(h)?.tab {
        TAB_DESIGNATIONS | TAB_STAFF | TAB_COUNCIL => Ok(()),
        _ => Err(Reason::new(
            "指定（運営指導）・従事者・運営推進会議のタブで使えます",
            "available on the Designations (guidance), Staff and Council tabs",
        )),
    }
}

pub(super) fn can_change(h: &dyn Host) -> Result<(), Reason> {
    let l = may_write(h)?;
    if l.picked_meeting().is_some() {
        return Ok(());
    }
    match l.picked() {
        Some(p) if !p.ended => Ok(()),
        Some(_) => Err(Reason::new(
            "終了した人は変更できません（D で終了を取り消せます）",
            "an ended record cannot be changed (D takes the end back)",
        )),
        None => Err(Reason::new(
            "法人・従事者・構成員のタブで、変更する行を選んでください",
            "pick a row on the Corporation, Staff or Council tab",
        )),
    }
}

pub(super) fn can_end(h: &dyn Host) -> Result<(), Reason> {
    match may_write(h)?.picked() {
        Some(p) if matches!(p.kind, PersonKind::Staff | PersonKind::Council) => Ok(()),
        _ => Err(Reason::new(
            "従事者・構成員のタブで、終了する行を選んでください",
            "pick a row on the Staff or Council tab",
        )),
    }
}

pub(super) fn add(h: &mut dyn Host) -> Vec<Effect> {
    if let Some((_, l)) = h.parts::<LedgerScreen>() {
        let kind = match l.tab {
            TAB_STAFF => PersonKind::Staff,
            TAB_DESIGNATIONS => PersonKind::Guidance,
            _ => PersonKind::Council,
        };
        let id = l.detail_id.unwrap_or_default();
        let blank = vec![String::new(); kind.names().len()];
        let name = l.facility_name();
        l.person = Some(PersonForm::new(
            kind,
            id,
            &name,
            PersonTarget::Add,
            blank,
            false,
        ));
        l.mode = LedgerMode::Person;
    }
    Vec::new()
}

pub(super) fn change(h: &mut dyn Host) -> Vec<Effect> {
    if let Some((_, l)) = h.parts::<LedgerScreen>()
        && let Some(m) = l.picked_meeting()
    {
        l.meeting = Some(super::MeetingForm::correct(&l.facility_name(), m));
        l.mode = LedgerMode::Meeting;
        return Vec::new();
    }
    if let Some((_, l)) = h.parts::<LedgerScreen>()
        && let Some(p) = l.picked()
    {
        let masked = !l.upkeep.as_ref().is_some_and(|u| u.revealed);
        let target = PersonTarget::Update {
            id: p.id,
            version: p.version,
        };
        let id = l.detail_id.unwrap_or_default();
        let name = l.facility_name();
        l.person = Some(PersonForm::new(p.kind, id, &name, target, p.values, masked));
        l.mode = LedgerMode::Person;
    }
    Vec::new()
}

fn who(lang: Lang, kind: PersonKind) -> &'static str {
    match kind {
        PersonKind::Staff => lang.t("従事者", "staff member"),
        _ => lang.t("構成員", "council member"),
    }
}

/// D: ends the person today, or takes back an end; asks first either way.
pub(super) fn end(h: &mut dyn Host) -> Vec<Effect> {
    let Some((sh, l)) = h.parts::<LedgerScreen>() else {
        return Vec::new();
    };
    let Some(p) = l.picked() else {
        return Vec::new();
    };
    let lang = sh.lang();
    let today = l.today;
    let facility_id = l.detail_id.unwrap_or_default();
    let ended_on = (!p.ended).then_some(today);
    let message = match (ended_on, lang.is_ja()) {
        (Some(d), true) => format!(
            "{} {} を {d} 付で終了します。\n記録は残り、一覧に「終了」と表示されます（D で取り消せます）。",
            who(lang, p.kind),
            p.name
        ),
        (Some(d), false) => format!(
            "End {} {} as of {d}?\nThe record stays, listed as ended (D takes it back).",
            who(lang, p.kind),
            p.name
        ),
        (None, true) => format!("{} {} の終了を取り消します。", who(lang, p.kind), p.name),
        (None, false) => format!("Take back the end of {} {}?", who(lang, p.kind), p.name),
    };
    let write = PersonWrite {
        kind: p.kind,
        facility_id,
        target: PersonTarget::End {
            id: p.id,
            version: p.version,
            ended_on,
        },
        values: Vec::new(),
        keep: Vec::new(),
    };
    let go = move |_: &mut dyn Host| vec![Effect::Request(Request::SavePerson(Box::new(write)))];
    h.push_overlay(Confirm::new(message, Box::new(go)));
    Vec::new()
}

/// C-s in the person form: refusals under their fields; a clean form saves.
pub(super) fn save(h: &mut dyn Host) -> Vec<Effect> {
    let Some((sh, l)) = h.parts::<LedgerScreen>() else {
        return Vec::new();
    };
    let lang = sh.lang();
    let today = l.today;
    let Some(form) = l.person.as_mut().filter(|f| !f.saving) else {
        return Vec::new();
    };
    if !form.check(today) {
        if let Some(e) = form.errors.first() {
            sh.error(if lang.is_ja() {
                e.ja.clone()
            } else {
                e.en.clone()
            });
        }
        return Vec::new();
    }
    vec![Effect::Request(form.save_request())]
}

/// Esc in the person form: back to the detail; asks first when something was typed.
pub(super) fn cancel(h: &mut dyn Host) -> Vec<Effect> {
    let Some((sh, l)) = h.parts::<LedgerScreen>() else {
        return Vec::new();
    };
    let close = |l: &mut LedgerScreen| {
        l.person = None;
        l.mode = LedgerMode::Detail;
    };
    if !l.person.as_ref().is_some_and(PersonForm::is_dirty) {
        close(l);
        return Vec::new();
    }
    let message = sh.lang().t(
        "入力した内容を破棄しますか？（何も保存されません）",
        "Discard what you typed? (nothing is saved)",
    );
    let discard = move |h: &mut dyn Host| {
        if let Some((_, l)) = h.parts::<LedgerScreen>() {
            close(l);
        }
        Vec::new()
    };
    h.push_overlay(Confirm::new(message, Box::new(discard)));
    Vec::new()
}

impl LedgerScreen {
    /// Saved: back to the detail, reloaded (the tab and its history).
    pub(super) fn person_saved(
        &mut self,
        facility_id: i64,
        kind: PersonKind,
        warning: Option<String>,
        sh: &mut crate::tui::shell::Shell,
    ) -> Vec<Effect> {
        let lang = sh.lang();
        self.person = None;
        if self.mode == LedgerMode::Person {
            self.mode = LedgerMode::Detail;
        }
        let what = match kind {
            PersonKind::Corporation => lang.t("法人情報", "corporation"),
            PersonKind::Guidance => lang.t("運営指導の記録", "guidance record"),
            k => who(lang, k),
        };
        match warning {
            None => sh.info(format!("{}: {what}", lang.t("保存しました", "Saved"))),
            Some(w) => sh.warn(format!(
                "{}: {what} ({w})",
                lang.t(
                    "保存しました。ただし監査の控えを書けません",
                    "Saved, but the audit anchor could not be written"
                )
            )),
        }
        vec![
            Effect::Request(Request::FacilityDetail { id: facility_id }),
            Effect::Request(Request::DueCounts),
        ]
    }

    /// Someone changed the record first: nothing was written; the form keeps what was
    /// typed and the detail reloads behind it.
    pub(super) fn person_conflict(
        &mut self,
        facility_id: i64,
        kind: PersonKind,
        sh: &mut crate::tui::shell::Shell,
    ) -> Vec<Effect> {
        let lang = sh.lang();
        if let Some(p) = self.person.as_mut() {
            p.saving = false;
        }
        let what = match kind {
            PersonKind::Corporation => lang.t("法人情報", "the corporation"),
            PersonKind::Guidance => lang.t("運営指導の記録", "guidance record"),
            k => who(lang, k),
        };
        sh.error(if lang.is_ja() {
            format!(
                "この{what}は他の職員が先に変更したため保存していません。Esc で閉じて開き直し、最新の内容を確認してください"
            )
        } else {
            format!(
                "Not saved: someone changed this {what} first. Press Esc and open it again to see the current values"
            )
        });
        vec![Effect::Request(Request::FacilityDetail { id: facility_id })]
    }
}
