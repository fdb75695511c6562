//! The create form's Enter and Esc, and what the consent writes come back as: a new
//! case opened, refusals under their fields, the municipality name asked once, a letter
//! written and listed on the case.

use super::{ConsentScreen, requests};
use crate::query::Request;
use crate::query::consent::write::{ConsentOutcome, ConsentWrite};
use crate::tui::msg::Effect;
use crate::tui::screen::{Host, Verb};
use crate::tui::shell::Shell;

impl ConsentScreen {
    /// Enter in the form: refusals stay under their fields; a clean form asks first.
    pub(super) fn save_form(&mut self, sh: &mut Shell) -> Verb {
        let lang = sh.lang();
        let Some(form) = self.form.as_mut().filter(|f| !f.saving) else {
            return Verb::Done(Vec::new());
        };
        sh.dirty = true;
        let Some(draft) = form.draft() else {
            if let Some(e) = form.errors.first() {
                sh.error(if lang.is_ja() { &e.ja } else { &e.en }.clone());
            }
            return Verb::Done(Vec::new());
        };
        let message = form.summary(lang, &draft);
        let save = move |h: &mut dyn Host| {
            if let Some((_, s)) = h.parts::<ConsentScreen>()
                && let Some(f) = s.form.as_mut()
            {
                f.saving = true;
            }
            vec![Effect::Request(Request::ConsentWrite(
                ConsentWrite::Create(Box::new(draft)),
            ))]
        };
        Verb::Ask(message, Box::new(save))
    }

    /// Esc in the form: closes it, asking first when something was typed.
    pub(super) fn cancel_form(&mut self, sh: &mut Shell) -> Verb {
        if !self
            .form
            .as_ref()
            .is_some_and(super::form::CaseForm::is_dirty)
        {
            self.form = None;
            sh.dirty = true;
            return Verb::Done(Vec::new());
        }
        let message = sh
            .lang()
            .t(
                "入力した同意案件を破棄しますか？（何も保存されません）",
                "Discard the case you typed? (nothing is saved)",
            )
            .to_string();
        let discard = |h: &mut dyn Host| {
            if let Some((sh, s)) = h.parts::<ConsentScreen>() {
                s.form = None;
                sh.dirty = true;
            }
            Vec::new()
        };
        Verb::Ask(message, Box::new(discard))
    }

    pub(super) fn done(&mut self, outcome: ConsentOutcome, sh: &mut Shell) -> Vec<Effect> {
        let lang = sh.lang();
        sh.dirty = true;
        match outcome {
            ConsentOutcome::Created(row) => {
                self.form = None;
                let what = if lang.is_ja() {
                    format!(
                        "同意案件を作成しました: {} {}",
                        row.municipality_name, row.facility_name
                    )
                } else {
                    format!(
                        "consent case created: {} {}",
                        row.municipality_name, row.facility_name
                    )
                };
                sh.info(what);
                let mut r = self.reload();
                r.push(Request::ConsentCase { id: row.id });
                requests(r)
            }
            ConsentOutcome::Refused(errors) => {
                if let Some(e) = errors.first() {
                    sh.error(if lang.is_ja() { &e.ja } else { &e.en }.clone());
                }
                if let Some(f) = self.form.as_mut() {
                    f.set_errors(errors);
                }
                Vec::new()
            }
            ConsentOutcome::MunicipalityUnknown { code } => {
                if let Some(f) = self.form.as_mut() {
                    f.ask_municipality(code.clone());
                }
                sh.warn(if lang.is_ja() {
                    format!("地方公共団体コード {code} の名称を入力してください（一度だけ）")
                } else {
                    format!("type the name of municipality {code} (only once)")
                });
                Vec::new()
            }
            ConsentOutcome::LetterWritten { kind, html, .. } => {
                let k = if lang.is_ja() {
                    kind.label_ja()
                } else {
                    kind.label_en()
                };
                sh.info(format!(
                    "{k} {} {html}",
                    lang.t("を書き出しました:", "written:")
                ));
                requests(self.reload())
            }
            ConsentOutcome::PriorSaved(row) => {
                self.form = None;
                sh.info(if lang.is_ja() {
                    format!("事前同意を保存しました: {}", row.municipality_name)
                } else {
                    format!("prior consent saved: {}", row.municipality_name)
                });
                requests(self.reload())
            }
            ConsentOutcome::PriorConflict(current) => {
                self.prior_conflict(*current, sh);
                requests(self.reload())
            }
            ConsentOutcome::Linked(_)
            | ConsentOutcome::UseEnded(_)
            | ConsentOutcome::Renewed { .. } => {
                self.form = None;
                sh.info(super::link::done_text(lang, &outcome));
                let mut r = self.reload();
                r.push(Request::DueCounts);
                requests(r)
            }
            ConsentOutcome::ReminderDaysSet(days) => {
                self.form = None;
                sh.info(if lang.is_ja() {
                    format!("督促までの日数を {days} 日にしました（以後の依頼から）")
                } else {
                    format!("reminder set to {days} days (for requests from now on)")
                });
                Vec::new()
            }
            ConsentOutcome::LetterFailed { ja, en } => {
                sh.error(if lang.is_ja() { ja } else { en });
                Vec::new()
            }
        }
    }
}
