//! The 事前同意 editor (approver only): add or edit an agreement per counterpart and
//! direction, validity period and excluded services; it asks before saving, and a
//! colleague's save first comes back as a conflict naming them, the typed values kept.

use super::form::{CaseForm, Field, f};
use super::{ConsentScreen, Tab};
use crate::domain::consent::Direction;
use crate::domain::consent::format_service_list;
use crate::domain::consent_view::PriorConsentRow;
use crate::domain::permission::{Action, Provenance, authorize};
use crate::domain::validate::FieldError;
use crate::query::Request;
use crate::query::consent::write::{ConsentWrite, PriorDraft};
use crate::tui::command::Reason;
use crate::tui::i18n::Lang;
use crate::tui::msg::Effect;
use crate::tui::screen::{Host, Verb};
use crate::tui::shell::Shell;

/// Which agreement the form edits: `None` id adds one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PriorTarget {
    pub id: Option<i64>,
    pub version: i64,
}

const FIELDS: &[Field] = &[
    f(
        "municipality_code",
        "相手先コード",
        "Municipality",
        "6桁のコード",
        "6-digit code",
    ),
    f(
        "direction",
        "向き",
        "Direction",
        "受 または 与",
        "to us / by us",
    ),
    f(
        "valid_from",
        "有効期間 開始",
        "Valid from",
        "例 R8.4.1",
        "e.g. 2026-04-01",
    ),
    f(
        "valid_to",
        "有効期間 終了",
        "Valid to",
        "空欄: 期限なし",
        "blank: open-ended",
    ),
    f(
        "excluded_services",
        "対象外の種類",
        "Excluded",
        "例 32,73,77",
        "e.g. 32,73,77",
    ),
    f("note", "備考", "Note", "空欄可", "optional"),
];

pub fn title(form: &CaseForm, l: Lang) -> &'static str {
    match form.prior.and_then(|p| p.id) {
        Some(_) => l.t("事前同意を修正", "Edit a prior consent"),
        None => l.t("事前同意を登録", "Add a prior consent"),
    }
}

fn direction_text(d: Direction, l: Lang) -> &'static str {
    match d {
        Direction::Outgoing => l.t("受", "to us"),
        Direction::Incoming => l.t("与", "by us"),
    }
}

fn parse_direction(s: &str) -> Option<Direction> {
    let s = crate::domain::text::nfkc(s.trim()).to_lowercase();
    match s.as_str() {
        "受" | "受けた" | "当区が受けた" | "to us" | "given to us" | "1" => {
            Some(Direction::Outgoing)
        }
        "与" | "与えた" | "当区が与えた" | "by us" | "given by us" | "2" => {
            Some(Direction::Incoming)
        }
        _ => None,
    }
}

/// A new form, or one filled from `row`.
pub fn form(row: Option<&PriorConsentRow>, l: Lang) -> CaseForm {
    let mut form = CaseForm::with_fields(Direction::Outgoing, FIELDS);
    form.prior = Some(PriorTarget {
        id: row.map(|r| r.id),
        version: row.map_or(0, |r| r.version),
    });
    if let Some(r) = row {
        form.set("municipality_code", &r.municipality_code);
        form.set("direction", direction_text(r.direction, l));
        form.set("valid_from", &r.valid_from.to_string());
        form.set(
            "valid_to",
            &r.valid_to.map(|d| d.to_string()).unwrap_or_default(),
        );
        form.set(
            "excluded_services",
            &format_service_list(&r.excluded_services),
        );
        form.set("note", &r.note);
    }
    form
}

impl CaseForm {
    /// What to send for the 事前同意, or `None` with the refusals under their fields.
    pub fn prior_draft(&mut self) -> Option<PriorDraft> {
        let target = self.prior?;
        let mut errs = Vec::new();
        let direction = parse_direction(&self.value("direction"));
        if direction.is_none() {
            errs.push(FieldError::new(
                "direction",
                "向きは「受」（相手から受けた）か「与」（当区が与えた）で入力してください",
                "type 'to us' (given to us) or 'by us' (given by us)",
            ));
        }
        let mut date = |name: &'static str| {
            let text = self.value(name);
            if text.is_empty() {
                return None;
            }
            let d = crate::domain::wareki::parse(&text);
            if d.is_none() {
                errs.push(FieldError::new(
                    name,
                    format!("日付「{text}」が読めません。例 R8.4.1 または 2026-04-01 の形で入力してください"),
                    format!("cannot read the date '{text}'; type it like 2026-04-01"),
                ));
            }
            d
        };
        let valid_from = date("valid_from");
        let valid_to = date("valid_to");
        if !errs.is_empty() {
            self.set_errors(errs);
            return None;
        }
        Some(PriorDraft {
            id: target.id,
            version: target.version,
            municipality_code: self.value("municipality_code"),
            direction,
            valid_from,
            valid_to,
            excluded_services: self.value("excluded_services"),
            note: self.value("note"),
            new_municipality: self.new_code.as_ref().map(|_| {
                (
                    self.value("municipality_name"),
                    self.value("municipality_kana"),
                )
            }),
        })
    }
}

/// What saving the agreement does, in words.
fn summary(l: Lang, d: &PriorDraft) -> String {
    let to = d
        .valid_to
        .map(|t| t.to_string())
        .unwrap_or_else(|| l.t("期限なし", "open-ended").to_string());
    let from = d.valid_from.map(|t| t.to_string()).unwrap_or_default();
    let excluded = if d.excluded_services.is_empty() {
        "-"
    } else {
        &d.excluded_services
    };
    let head = match (d.id, l.is_ja()) {
        (Some(_), true) => "事前同意を修正します",
        (None, true) => "事前同意を登録します",
        (Some(_), false) => "Save the changed prior consent",
        (None, false) => "Add the prior consent",
    };
    let body = if l.is_ja() {
        format!(
            "相手先 {}  有効 {from}〜{to}  対象外 {excluded}",
            d.municipality_code
        )
    } else {
        format!(
            "with {}  valid {from} to {to}  excluded {excluded}",
            d.municipality_code
        )
    };
    let then = l.t(
        "以後の区外同意の判定に使われます（記録されます）。よろしいですか？",
        "Consent checks use it from now on (logged). Go ahead?",
    );
    format!("{head}\n{body}\n{then}")
}

impl ConsentScreen {
    /// Enter in the 事前同意 form: refusals under fields; a clean form asks first.
    pub(super) fn save_prior(&mut self, sh: &mut Shell) -> Verb {
        let lang = sh.lang();
        let Some(form) = self.form.as_mut().filter(|f| !f.saving) else {
            return Verb::Done(Vec::new());
        };
        sh.dirty = true;
        let Some(draft) = form.prior_draft() else {
            if let Some(e) = form.errors.first() {
                sh.error(if lang.is_ja() { &e.ja } else { &e.en }.clone());
            }
            return Verb::Done(Vec::new());
        };
        let message = summary(lang, &draft);
        let save = move |h: &mut dyn Host| {
            if let Some((_, s)) = h.parts::<ConsentScreen>()
                && let Some(f) = s.form.as_mut()
            {
                f.saving = true;
            }
            vec![Effect::Request(Request::ConsentWrite(ConsentWrite::Prior(
                Box::new(draft),
            )))]
        };
        Verb::Ask(message, Box::new(save))
    }

    /// A colleague saved the agreement first: say who and when, keep what was typed,
    /// and let the next save (after a look) replace theirs.
    pub(super) fn prior_conflict(&mut self, current: PriorConsentRow, sh: &mut Shell) {
        let at: String = current.updated_at.chars().take(16).collect();
        sh.error(if sh.lang().is_ja() {
            format!(
                "{} が {at} にこの事前同意を先に修正しました。入力はそのままです。内容を確かめ、上書きするなら Enter で保存してください",
                current.updated_by
            )
        } else {
            format!(
                "{} changed this prior consent first at {at}; your input is kept. Check it, then Enter saves over theirs",
                current.updated_by
            )
        });
        if let Some(f) = self.form.as_mut() {
            f.saving = false;
            f.prior = Some(PriorTarget {
                id: Some(current.id),
                version: current.version,
            });
        }
    }
}

/// The 事前同意 tab, a rule editor (approver); says why not otherwise.
pub fn can_edit(h: &dyn Host, need_row: bool) -> Result<(), Reason> {
    let s = super::commands::on_list_screen(h)?;
    if s.tab != Tab::Prior {
        return Err(Reason::new(
            "事前同意のタブで使えます",
            "available on the prior consents tab",
        ));
    }
    authorize(
        &h.shell().actor,
        Action::ManageConsentRules,
        &Provenance::default(),
    )
    .map_err(|d| Reason::new(d.ja, d.en))?;
    if need_row && s.priors.rows.get(s.priors.selected).is_none() {
        return Err(Reason::new(
            "事前同意が選択されていません",
            "no prior consent selected",
        ));
    }
    Ok(())
}

pub fn open(h: &mut dyn Host, edit: bool) -> Vec<Effect> {
    if let Some((sh, s)) = h.parts::<ConsentScreen>() {
        let row = edit.then(|| s.priors.rows.get(s.priors.selected)).flatten();
        s.form = Some(form(row, sh.lang()));
        sh.dirty = true;
    }
    Vec::new()
}
