//! Linking an outgoing case to its application, ending a resident's use of a consented
//! facility, and the renewal follow-ups (指定更新: new requests for the residents still
//! using the facility) — each asks first and says what will change.

use super::ConsentScreen;
use super::commands::{on_list, screen};
use super::form::{CaseForm, Field, f};
use crate::domain::consent::{ConsentStatus, Direction};
use crate::domain::consent_view::ConsentListRow;
use crate::domain::permission::{Action, Provenance, authorize};
use crate::domain::validate::FieldError;
use crate::query::Request;
use crate::query::consent::write::{ConsentOutcome, ConsentWrite};
use crate::tui::command::Reason;
use crate::tui::i18n::Lang;
use crate::tui::msg::Effect;
use crate::tui::overlay::confirm::Confirm;
use crate::tui::screen::{Host, Verb};
use crate::tui::shell::Shell;

/// What the one-field form is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Single {
    Link { id: i64, version: i64 },
    Renewal,
    ReminderDays,
}

const LINK: &[Field] = &[f(
    "application_id",
    "申請番号",
    "Application",
    "空欄: 紐づけを外す",
    "blank: unlink",
)];
const RENEWAL: &[Field] = &[f(
    "application_id",
    "申請番号",
    "Application",
    "指定更新申請の番号",
    "a renewal application",
)];

pub fn title(form: &CaseForm, l: Lang) -> &'static str {
    match form.single {
        Some(Single::Link { .. }) => l.t("申請に紐づける", "Link to an application"),
        Some(Single::ReminderDays) => l.t("督促までの日数を設定", "Set the reminder days"),
        _ => l.t(
            "指定更新に伴う同意依頼を作成",
            "Consent follow-ups for a renewal",
        ),
    }
}

fn handles(h: &dyn Host) -> Result<(), Reason> {
    authorize(
        &h.shell().actor,
        Action::HandleConsent,
        &Provenance::default(),
    )
    .map_err(|d| Reason::new(d.ja, d.en))
}

/// The case open, else the one selected.
fn current(s: &ConsentScreen) -> Option<&ConsentListRow> {
    match &s.case {
        Some(c) => Some(&c.view.detail.row),
        None => s.selected(),
    }
}

pub fn can_link(h: &dyn Host) -> Result<(), Reason> {
    let s = screen(h)?;
    let Some(row) = current(s) else {
        return Err(Reason::new(
            "同意案件が選択されていません",
            "no consent case selected",
        ));
    };
    if row.direction != Direction::Outgoing {
        return Err(Reason::new(
            "申請に紐づけられるのは区外への同意依頼だけです",
            "only outgoing requests serve an application",
        ));
    }
    handles(h)
}

pub fn open_link(h: &mut dyn Host) -> Vec<Effect> {
    if let Some((sh, s)) = h.parts::<ConsentScreen>()
        && let Some(row) = current(s).cloned()
    {
        let mut form = CaseForm::with_fields(Direction::Outgoing, LINK);
        form.single = Some(Single::Link {
            id: row.id,
            version: row.version,
        });
        if let Some(app) = row.application_id {
            form.set("application_id", &app.to_string());
        }
        s.form = Some(form);
        sh.dirty = true;
    }
    Vec::new()
}

pub fn can_renew(h: &dyn Host) -> Result<(), Reason> {
    on_list(h)?;
    handles(h)
}

pub fn open_renewal(h: &mut dyn Host) -> Vec<Effect> {
    if let Some((sh, s)) = h.parts::<ConsentScreen>() {
        let mut form = CaseForm::with_fields(Direction::Outgoing, RENEWAL);
        form.single = Some(Single::Renewal);
        s.form = Some(form);
        sh.dirty = true;
    }
    Vec::new()
}

/// A granted outgoing consent whose resident may stop using the facility.
pub fn can_end_use(h: &dyn Host) -> Result<(), Reason> {
    let s = screen(h)?;
    let Some(row) = current(s) else {
        return Err(Reason::new(
            "同意案件が選択されていません",
            "no consent case selected",
        ));
    };
    let granted = matches!(
        row.status,
        ConsentStatus::Consented | ConsentStatus::Waived | ConsentStatus::Closed
    );
    if row.direction != Direction::Outgoing || !granted {
        return Err(Reason::new(
            "同意を得た区外への依頼で使えます",
            "available on a granted outgoing request",
        ));
    }
    if let Some(c) = &s.case
        && let Some(on) = c.view.detail.use_ended_on
    {
        return Err(Reason::new(
            format!("利用終了は {on} に記録済みです"),
            format!("the end of use is recorded on {on}"),
        ));
    }
    handles(h)
}

pub fn end_use(h: &mut dyn Host) -> Vec<Effect> {
    let Some(row) = h.screen::<ConsentScreen>().and_then(current).cloned() else {
        return Vec::new();
    };
    let lang = h.shell().lang();
    let today = h.shell().today;
    let message = if lang.is_ja() {
        format!(
            "{} の利用を {today} で終了として記録します。\n指定更新のときの同意依頼の対象から外れます。\nよろしいですか？",
            row.facility_name
        )
    } else {
        format!(
            "Record that the resident stopped using {} on {today}.\nRenewals no longer ask consent for them.\nGo ahead?",
            row.facility_name
        )
    };
    let (id, version) = (row.id, row.version);
    let on_yes = move |_: &mut dyn Host| {
        vec![Effect::Request(Request::ConsentWrite(
            ConsentWrite::EndUse { id, version },
        ))]
    };
    h.push_overlay(Confirm::new(message, Box::new(on_yes)));
    Vec::new()
}

impl ConsentScreen {
    /// Enter in a one-field form: the number is read here, the rest asks first.
    pub(super) fn save_single(&mut self, single: Single, sh: &mut Shell) -> Verb {
        let lang = sh.lang();
        let Some(form) = self.form.as_mut().filter(|f| !f.saving) else {
            return Verb::Done(Vec::new());
        };
        sh.dirty = true;
        if single == Single::ReminderDays {
            return super::settings::save_days(form, sh);
        }
        let text = crate::domain::text::nfkc(&form.value("application_id"));
        let number: Option<i64> = text.trim_start_matches('#').parse().ok();
        let blank_link = text.is_empty() && matches!(single, Single::Link { .. });
        if number.is_none() && !blank_link {
            let e = FieldError::new(
                "application_id",
                "申請番号を数字で入力してください（受付一覧の番号）",
                "enter the application number (as in the inbox)",
            );
            sh.error(if lang.is_ja() { &e.ja } else { &e.en }.clone());
            form.set_errors(vec![e]);
            return Verb::Done(Vec::new());
        }
        let (message, write) = match (single, number) {
            (Single::Link { id, version }, app) => (
                match (app, lang.is_ja()) {
                    (Some(a), true) => format!(
                        "この同意依頼を申請 {a} に紐づけます。\n申請は同意が記録されるまで決定できません。\nよろしいですか？"
                    ),
                    (Some(a), false) => format!(
                        "Link this request to application {a}.\nIt cannot be decided until consent is recorded.\nGo ahead?"
                    ),
                    (None, true) => "申請との紐づけを外します。\nよろしいですか？".to_string(),
                    (None, false) => "Unlink the application.\nGo ahead?".to_string(),
                },
                ConsentWrite::Link {
                    id,
                    version,
                    application_id: app,
                },
            ),
            (Single::ReminderDays, _) => return Verb::Done(Vec::new()),
            (Single::Renewal, app) => {
                let a = app.unwrap_or_default();
                (
                    if lang.is_ja() {
                        format!(
                            "申請 {a}（指定更新）の事業所を今も使っている被保険者ごとに、同意依頼を作成中として作ります。\nよろしいですか？"
                        )
                    } else {
                        format!(
                            "Create a draft consent request for each resident still using the facility of renewal application {a}.\nGo ahead?"
                        )
                    },
                    ConsentWrite::Renewal { application_id: a },
                )
            }
        };
        let save = move |h: &mut dyn Host| {
            if let Some((_, s)) = h.parts::<ConsentScreen>()
                && let Some(f) = s.form.as_mut()
            {
                f.saving = true;
            }
            vec![Effect::Request(Request::ConsentWrite(write))]
        };
        Verb::Ask(message, Box::new(save))
    }
}

/// The status line after a link, an end of use or renewal follow-ups.
pub fn done_text(l: Lang, o: &ConsentOutcome) -> String {
    match (o, l.is_ja()) {
        (ConsentOutcome::Linked(r), true) => match r.application_id {
            Some(a) => format!("申請 {a} に紐づけました: {}", r.facility_name),
            None => format!("申請との紐づけを外しました: {}", r.facility_name),
        },
        (ConsentOutcome::Linked(r), false) => match r.application_id {
            Some(a) => format!("linked to application {a}: {}", r.facility_name),
            None => format!("unlinked: {}", r.facility_name),
        },
        (ConsentOutcome::UseEnded(r), true) => {
            format!("利用終了を記録しました: {}", r.facility_name)
        }
        (ConsentOutcome::UseEnded(r), false) => format!("end of use recorded: {}", r.facility_name),
        (
            ConsentOutcome::Renewed {
                application_id,
                created,
            },
            true,
        ) if created.is_empty() => format!(
            "作成する同意依頼はありません（申請 {application_id} の事業所の利用者なし・作成済み）"
        ),
        (
            ConsentOutcome::Renewed {
                application_id,
                created,
            },
            false,
        ) if created.is_empty() => format!(
            "no request to create (application {application_id}: no current users, or made before)"
        ),
        (ConsentOutcome::Renewed { created, .. }, true) => {
            format!("同意依頼を {} 件作成しました（作成中）", created.len())
        }
        (ConsentOutcome::Renewed { created, .. }, false) => {
            format!("{} consent requests created (draft)", created.len())
        }
        _ => String::new(),
    }
}
