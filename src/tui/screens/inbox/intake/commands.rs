//! Paper intake (紙) from the inbox: I chooses the kind and opens the form (Tab/Down and
//! S-Tab/Up move between fields: the screen's typing), Ctrl-S checks and asks, Esc or
//! Ctrl-G leaves (asking when something was typed).

use super::super::InboxScreen;
use super::form::{Form, IntakeForm};
use crate::domain::permission::{Action, Provenance, authorize};
use crate::query::{InboxAsk, Request};
use crate::tui::command::{Command, Reason, Scope};
use crate::tui::msg::Effect;
use crate::tui::overlay::confirm::Confirm;
use crate::tui::overlay::menu::Menu;
use crate::tui::screen::Host;
use crate::tui::ui::ScreenId::Inbox;

type Fx = Vec<Effect>;

macro_rules! intake_commands {
    ($( $name:ident = $id:literal, $enabled:expr, $run:expr,
        $tja:literal, $ten:literal, $dja:literal, $den:literal; )*) => {
        $( pub static $name: Command = Command {
            id: $id, scope: Scope::Screen(Inbox), enabled: $enabled, run: $run, flags: 0,
            title_ja: $tja, title_en: $ten, desc_ja: $dja, desc_en: $den,
        }; )*
    };
}

intake_commands! {
    INBOX_INTAKE = "inbox.paper_intake", may_intake, choose_kind,
        "紙の受付", "Paper intake", "紙で届いた申請・届出を種類を選んで入力し、受付として登録する", "Key in an application that came on paper, choosing its kind";
    INBOX_INTAKE_SAVE = "inbox.intake_save", in_form, save,
        "登録", "Register", "入力を確かめ、確認のあと受付として登録する", "Check the form and register it after a confirmation";
    INBOX_INTAKE_CANCEL = "inbox.intake_cancel", in_form, cancel,
        "やめる", "Cancel", "入力をやめて一覧に戻る（入力があれば確認します）", "Leave the form (asks when something was typed)";
}

fn may_intake(h: &dyn Host) -> Result<(), Reason> {
    if h.active() != Inbox {
        return Err(Reason::new(
            "申請受付の画面で使えます",
            "available on the inbox screen",
        ));
    }
    authorize(
        &h.shell().actor,
        Action::ReviewApplication,
        &Provenance::default(),
    )
    .map_err(|d| Reason::new(d.ja, d.en))?;
    if h.screen::<InboxScreen>().is_some_and(InboxScreen::covered) {
        return Err(Reason::new(
            "一覧に戻る（Esc）と使えます",
            "go back to the list (Esc) first",
        ));
    }
    Ok(())
}

fn in_form(h: &dyn Host) -> Result<(), Reason> {
    let open = h
        .screen::<InboxScreen>()
        .is_some_and(|s| s.intake.is_some());
    if h.active() != Inbox || !open {
        return Err(Reason::new(
            "紙の受付の入力中に使えます",
            "available in the paper intake form",
        ));
    }
    Ok(())
}

fn choose_kind(h: &mut dyn Host) -> Fx {
    let lang = h.shell().lang();
    let mut menu = Menu::new(lang.t("紙の受付: 種類を選ぶ", "Paper intake: choose the kind"));
    for form in Form::ALL {
        menu.item(form.label(lang), move |h: &mut dyn Host| {
            let today = h.shell().today;
            if let Some((sh, s)) = h.parts::<InboxScreen>() {
                s.intake = Some(IntakeForm::new(form, today));
                sh.dirty = true;
            }
            Vec::new()
        });
    }
    h.push_overlay(menu);
    Vec::new()
}

/// Checks what needs no ledger here (errors under their fields); then asks, listing
/// what will be registered; the service checks the rest (the facility by number).
fn save(h: &mut dyn Host) -> Fx {
    let lang = h.shell().lang();
    let Some((sh, s)) = h.parts::<InboxScreen>() else {
        return Vec::new();
    };
    let Some(form) = s.intake.as_mut() else {
        return Vec::new();
    };
    sh.dirty = true;
    match form.intake() {
        Err(errors) => {
            form.set_errors(&errors, lang);
            Vec::new()
        }
        Ok(case) => {
            let text = form.summary(lang);
            let yes = move |_: &mut dyn Host| {
                vec![Effect::Request(Request::InboxWork(InboxAsk::Intake(
                    Box::new(case),
                )))]
            };
            h.push_overlay(Confirm::new(text, Box::new(yes)));
            Vec::new()
        }
    }
}

fn cancel(h: &mut dyn Host) -> Fx {
    let lang = h.shell().lang();
    let dirty = h
        .screen::<InboxScreen>()
        .and_then(|s| s.intake.as_ref())
        .is_some_and(IntakeForm::is_dirty);
    let close = |h: &mut dyn Host| {
        if let Some((sh, s)) = h.parts::<InboxScreen>() {
            s.intake = None;
            sh.dirty = true;
        }
        Vec::new()
    };
    if !dirty {
        return close(h);
    }
    let text = lang.t(
        "入力した内容を捨てて一覧に戻ります（登録されません）。よろしいですか？",
        "Discard what you typed and go back to the list (nothing is registered)?",
    );
    h.push_overlay(Confirm::new(text, Box::new(close)));
    Vec::new()
}
