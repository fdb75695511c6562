//! Creating cases and writing letters: who may, on which tab, and the handlers.

use super::ConsentScreen;
use super::Tab;
use super::commands::{case_selected, on_list, screen};
use crate::domain::consent::{Direction, LetterKind};
use crate::domain::permission::{Action, Provenance, authorize};
use crate::query::Request;
use crate::tui::command::Reason;
use crate::tui::msg::Effect;
use crate::tui::overlay::confirm::Confirm;
use crate::tui::screen::Host;

type Fx = Vec<Effect>;

/// The case tabs, a user who handles consents; outgoing on its tab, incoming on its.
pub(super) fn can_create(h: &dyn Host, dir: Direction) -> Result<(), Reason> {
    on_list(h)?;
    authorize(
        &h.shell().actor,
        Action::HandleConsent,
        &Provenance::default(),
    )
    .map_err(|d| Reason::new(d.ja, d.en))?;
    match (screen(h)?.tab, dir) {
        (Tab::Outgoing, Direction::Outgoing) | (Tab::Incoming, Direction::Incoming) => Ok(()),
        (_, Direction::Outgoing) => Err(Reason::new(
            "「区外へ依頼」のタブで使えます",
            "available on the outgoing tab",
        )),
        (_, Direction::Incoming) => Err(Reason::new(
            "「区外から依頼」のタブで使えます",
            "available on the incoming tab",
        )),
    }
}

pub(super) fn new_case(h: &mut dyn Host, dir: Direction) -> Fx {
    if let Some((sh, s)) = h.parts::<ConsentScreen>() {
        s.form = Some(super::form::CaseForm::new(dir));
        sh.dirty = true;
    }
    Vec::new()
}

/// The letter the selected (or open) case has now, if any.
fn letter_kind(s: &ConsentScreen) -> Option<(i64, LetterKind)> {
    let row = match &s.case {
        Some(c) => &c.view.detail.row,
        None => s.selected()?,
    };
    LetterKind::for_case(row.direction, row.status, row.outcome).map(|k| (row.id, k))
}

pub(super) fn letter_available(h: &dyn Host) -> Result<(), Reason> {
    case_selected(h, false).or_else(|e| match screen(h)?.case {
        Some(_) => Ok(()),
        None => Err(e),
    })?;
    authorize(
        &h.shell().actor,
        Action::HandleConsent,
        &Provenance::default(),
    )
    .map_err(|d| Reason::new(d.ja, d.en))?;
    match letter_kind(screen(h)?) {
        Some(_) => Ok(()),
        None => Err(Reason::new(
            "この案件の文書は回答（同意・不同意）を記録してから作れます",
            "this case has a letter once its answer (consent or refusal) is recorded",
        )),
    }
}

/// Asks first, naming the letter and the folder; the file never replaces another.
pub(super) fn write_letter(h: &mut dyn Host) -> Fx {
    let Some((id, kind)) = h.screen::<ConsentScreen>().and_then(letter_kind) else {
        return Vec::new();
    };
    let dir = h
        .screen::<crate::tui::screens::ledger::LedgerScreen>()
        .map(|l| l.export_dir.clone())
        .unwrap_or_else(|| std::path::PathBuf::from("."));
    let lang = h.shell().lang();
    let message = if lang.is_ja() {
        format!(
            "{}（HTMLとテキスト）を {} に書き出し、案件に記録します。\nよろしいですか？",
            kind.label_ja(),
            dir.display()
        )
    } else {
        format!(
            "Write the {} (HTML and text) into {} and list it on the case.\nGo ahead?",
            kind.label_en(),
            dir.display()
        )
    };
    let on_yes = move |_: &mut dyn Host| {
        vec![Effect::Request(Request::ConsentWrite(
            crate::query::consent::write::ConsentWrite::Letter { id, kind, dir },
        ))]
    };
    h.push_overlay(Confirm::new(message, Box::new(on_yes)));
    Vec::new()
}
