//! The queue's order and its municipality filter, and the reminder days (approver):
//! how many days without an answer before a request is overdue (督促).

use super::commands::{on_list, screen};
use super::form::{CaseForm, Field, f};
use super::link::Single;
use super::{ConsentScreen, Tab};
use crate::domain::consent::Direction;
use crate::domain::consent_view::ConsentSort;
use crate::domain::permission::{Action, Provenance, authorize};
use crate::domain::validate::FieldError;
use crate::query::Request;
use crate::query::consent::write::ConsentWrite;
use crate::tui::command::Reason;
use crate::tui::i18n::Lang;
use crate::tui::msg::Effect;
use crate::tui::overlay::menu::Menu;
use crate::tui::screen::{Host, Verb};
use crate::tui::shell::Shell;

const DAYS: &[Field] = &[f(
    "reminder_days",
    "督促までの日数",
    "Reminder days",
    "1〜180日",
    "1 to 180 days",
)];

/// The order in words; empty for the default (open first, by reminder date).
pub fn sort_label(s: ConsentSort, l: Lang) -> &'static str {
    match s {
        ConsentSort::Due => "",
        ConsentSort::Requested => l.t("新しい依頼順", "newest first"),
        ConsentSort::Municipality => l.t("相手先順", "by municipality"),
    }
}

pub fn on_case_list(h: &dyn Host) -> Result<(), Reason> {
    on_list(h)?;
    match screen(h)?.tab {
        Tab::Prior => Err(Reason::new(
            "依頼のタブで使えます",
            "available on the request tabs",
        )),
        _ => Ok(()),
    }
}

/// o: 督促日順 → 新しい依頼順 → 相手先順.
pub fn next_sort(h: &mut dyn Host) -> Vec<Effect> {
    let Some((sh, s)) = h.parts::<ConsentScreen>() else {
        return Vec::new();
    };
    let mut filters = s.filters.clone();
    filters.sort = match filters.sort {
        ConsentSort::Due => ConsentSort::Requested,
        ConsentSort::Requested => ConsentSort::Municipality,
        ConsentSort::Municipality => ConsentSort::Due,
    };
    let label = sort_label(filters.sort, sh.lang());
    sh.info(if label.is_empty() {
        sh.lang().t("督促日順", "by reminder date").to_string()
    } else {
        label.to_string()
    });
    s.set_filters(filters)
}

/// m: the municipalities of the cases listed, each with its count.
pub fn municipality_menu(h: &mut dyn Host) -> Vec<Effect> {
    let lang = h.shell().lang();
    let Some(s) = h.screen::<ConsentScreen>() else {
        return Vec::new();
    };
    let mut seen: Vec<(String, String, usize)> = Vec::new();
    for r in &s.list.rows {
        match seen.iter_mut().find(|m| m.0 == r.municipality_code) {
            Some(m) => m.2 += 1,
            None => seen.push((r.municipality_code.clone(), r.municipality_name.clone(), 1)),
        }
    }
    seen.sort();
    let mut menu: Menu<dyn Host> = Menu::new(lang.t("相手先で絞込", "Filter by municipality"));
    menu.item(
        lang.t("すべての相手先", "Any municipality"),
        |h: &mut dyn Host| set_municipality(h, None),
    );
    for (code, name, n) in seen {
        let label = format!("{name} ({code})  {n}");
        menu.item(label, move |h: &mut dyn Host| {
            set_municipality(h, Some((code, name)))
        });
    }
    h.push_overlay(menu);
    Vec::new()
}

fn set_municipality(h: &mut dyn Host, m: Option<(String, String)>) -> Vec<Effect> {
    let Some((sh, s)) = h.parts::<ConsentScreen>() else {
        return Vec::new();
    };
    let mut filters = s.filters.clone();
    filters.municipality = m;
    sh.dirty = true;
    s.set_filters(filters)
}

pub fn can_set_days(h: &dyn Host) -> Result<(), Reason> {
    on_list(h)?;
    authorize(
        &h.shell().actor,
        Action::ManageConsentRules,
        &Provenance::default(),
    )
    .map_err(|d| Reason::new(d.ja, d.en))
}

pub fn open_days(h: &mut dyn Host) -> Vec<Effect> {
    if let Some((sh, s)) = h.parts::<ConsentScreen>() {
        let mut form = CaseForm::with_fields(Direction::Outgoing, DAYS);
        form.single = Some(Single::ReminderDays);
        s.form = Some(form);
        sh.dirty = true;
    }
    Vec::new()
}

/// Enter in the reminder form: a number 1–180, then a confirmation saying what changes.
pub fn save_days(form: &mut CaseForm, sh: &mut Shell) -> Verb {
    let lang = sh.lang();
    let text = crate::domain::text::nfkc(&form.value("reminder_days"));
    let days = text.parse::<u32>().ok().filter(|d| (1..=180).contains(d));
    let Some(days) = days else {
        let e = FieldError::new(
            "reminder_days",
            "督促までの日数は1〜180の数字で入力してください",
            "enter the reminder days as a number from 1 to 180",
        );
        sh.error(if lang.is_ja() { &e.ja } else { &e.en }.clone());
        form.set_errors(vec![e]);
        return Verb::Done(Vec::new());
    };
    let message = if lang.is_ja() {
        format!(
            "督促までの日数を {days} 日にします。\n以後「依頼済」にする依頼の督促日がこの日数で決まります（記録されます）。\nよろしいですか？"
        )
    } else {
        format!(
            "Set the reminder to {days} days.\nRequests sent from now on get their reminder date from it (logged).\nGo ahead?"
        )
    };
    let save = move |h: &mut dyn Host| {
        if let Some((_, s)) = h.parts::<ConsentScreen>()
            && let Some(f) = s.form.as_mut()
        {
            f.saving = true;
        }
        vec![Effect::Request(Request::ConsentWrite(
            ConsentWrite::ReminderDays(days),
        ))]
    };
    Verb::Ask(message, Box::new(save))
}
