//! What the form keys do while recording a meeting: check, ask, save; or ask before
//! dropping what was typed.

use super::{LedgerMode, LedgerScreen};
use crate::tui::msg::Effect;
use crate::tui::overlay::confirm::Confirm;
use crate::tui::screen::Host;

impl LedgerScreen {
    /// Tab / S-Tab in whichever form is open.
    pub fn form_step(&mut self, forward: bool) {
        if let (LedgerMode::Person, Some(p)) = (self.mode, self.person.as_mut()) {
            p.step(forward);
            return;
        }
        match (self.mode, self.meeting.as_mut(), self.edit.as_mut()) {
            (LedgerMode::Meeting, Some(m), _) => m.step(forward),
            (_, _, Some(e)) if forward => e.next_field(),
            (_, _, Some(e)) => e.prev_field(),
            _ => {}
        }
    }
}

/// C-s: refusals go under their fields; a clean form asks first, saying what happens.
pub(super) fn save_meeting(h: &mut dyn Host) -> Vec<Effect> {
    let Some((sh, l)) = h.parts::<LedgerScreen>() else {
        return Vec::new();
    };
    let lang = sh.lang();
    let today = l.today;
    let Some(form) = l.meeting.as_mut().filter(|m| !m.saving) else {
        return Vec::new();
    };
    let Some(clean) = form.check(today) else {
        let first = form.errors.first().map(|e| {
            if lang.is_ja() {
                e.ja.clone()
            } else {
                e.en.clone()
            }
        });
        sh.error(first.unwrap_or_default());
        return Vec::new();
    };
    let message = if form.correcting.is_some() {
        if lang.is_ja() {
            format!(
                "{} の会議の記録を訂正します（開催日 {}）。\n次回の開催期限は記録から計算し直します。変更前の値は変更履歴に残ります。",
                form.facility_name, clean.held_on
            )
        } else {
            format!(
                "Correct the meeting record of {} (held on {}).\nThe next due date is recomputed; the old values stay in the history.",
                form.facility_name, clean.held_on
            )
        }
    } else if lang.is_ja() {
        format!(
            "{} に {} の{}を記録します。\n次回の開催期限はこの日から数え直します。",
            form.facility_name, clean.held_on, clean.kind
        )
    } else {
        format!(
            "Record a meeting held on {} for {}.\nThe next due date is counted from that day.",
            clean.held_on, form.facility_name
        )
    };
    let save = move |h: &mut dyn Host| {
        h.parts::<LedgerScreen>()
            .and_then(|(_, l)| l.meeting.as_mut().map(|m| m.save_request(clean)))
            .map(|r| vec![Effect::Request(r)])
            .unwrap_or_default()
    };
    h.push_overlay(Confirm::new(message, Box::new(save)));
    Vec::new()
}

/// Esc: back to the detail; asks first when something was typed.
pub(super) fn cancel_meeting(h: &mut dyn Host) -> Vec<Effect> {
    let Some((sh, l)) = h.parts::<LedgerScreen>() else {
        return Vec::new();
    };
    let close = |l: &mut LedgerScreen| {
        l.meeting = None;
        l.mode = LedgerMode::Detail;
    };
    if !l.meeting.as_ref().is_some_and(super::MeetingForm::is_dirty) {
        close(l);
        return Vec::new();
    }
    let message = sh.lang().t(
        "入力した会議の記録を破棄しますか？（何も保存されません）",
        "Discard the meeting you typed? (nothing is saved)",
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
