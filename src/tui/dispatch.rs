//! The handlers of the app-wide commands (quit, palette, help, screens, moving,
//! dialogs). Screens' own commands live in their folders. Handlers see the app only
//! as a [`Host`]. `App::run` has already checked that the command is enabled.

use super::msg::Effect;
use super::nav::Move;
use super::overlay::confirm::Confirm;
use super::screen::{Host, Verb};
use super::screens::ledger::LedgerScreen;
use super::ui::ScreenId;

type Fx = Vec<Effect>;

pub fn quit(h: &mut dyn Host) -> Fx {
    if !h.screens().iter().any(|s| s.unsaved()) {
        return h.quit();
    }
    let message = h.shell().lang().t(
        "保存していない編集があります。終了しますか？",
        "An edit is not saved. Quit anyway?",
    );
    h.push_overlay(Confirm::new(message, Box::new(|h: &mut dyn Host| h.quit())));
    Vec::new()
}

pub fn open_palette(h: &mut dyn Host) -> Fx {
    h.open_palette();
    Vec::new()
}

pub fn open_help(h: &mut dyn Host) -> Fx {
    h.open_help();
    Vec::new()
}

pub fn refresh(h: &mut dyn Host) -> Fx {
    h.refresh()
}

pub fn lock(h: &mut dyn Host) -> Fx {
    h.lock();
    Vec::new()
}

/// The screen on display, with the shell, for a verb.
fn on_active<T>(
    h: &mut dyn Host,
    f: impl FnOnce(&mut dyn super::screen::Screen, &mut super::shell::Shell) -> T,
) -> Option<T> {
    let active = h.active();
    let (shell, screens) = h.screens_mut();
    let screen = screens.iter_mut().find(|s| s.id() == active)?;
    Some(f(screen.as_mut(), shell))
}

pub fn back(h: &mut dyn Host) -> Fx {
    on_active(h, |s, sh| s.on_back(sh)).unwrap_or_default()
}

pub fn screen_overview(h: &mut dyn Host) -> Fx {
    h.switch_screen(ScreenId::Overview)
}
pub fn screen_ledger(h: &mut dyn Host) -> Fx {
    h.switch_screen(ScreenId::Ledger)
}
pub fn screen_inbox(h: &mut dyn Host) -> Fx {
    h.switch_screen(ScreenId::Inbox)
}
pub fn screen_consent(h: &mut dyn Host) -> Fx {
    h.switch_screen(ScreenId::Consent)
}
pub fn screen_checklist(h: &mut dyn Host) -> Fx {
    h.switch_screen(ScreenId::Checklist)
}
pub fn screen_jobs(h: &mut dyn Host) -> Fx {
    h.switch_screen(ScreenId::Jobs)
}
pub fn screen_next(h: &mut dyn Host) -> Fx {
    cycle(h, 1)
}
pub fn screen_prev(h: &mut dyn Host) -> Fx {
    cycle(h, ScreenId::ALL.len() - 1)
}

fn cycle(h: &mut dyn Host, step: usize) -> Fx {
    let n = ScreenId::ALL.len();
    let next = ScreenId::ALL[(h.active().index() + step) % n];
    h.switch_screen(next)
}

pub fn up(h: &mut dyn Host) -> Fx {
    list_move(h, Move::Up)
}
pub fn down(h: &mut dyn Host) -> Fx {
    list_move(h, Move::Down)
}
pub fn page_up(h: &mut dyn Host) -> Fx {
    list_move(h, Move::PageUp)
}
pub fn page_down(h: &mut dyn Host) -> Fx {
    list_move(h, Move::PageDown)
}
pub fn top(h: &mut dyn Host) -> Fx {
    list_move(h, Move::Top)
}
pub fn bottom(h: &mut dyn Host) -> Fx {
    list_move(h, Move::Bottom)
}

/// `list.*` keys go to the top overlay, else to the screen on display.
fn list_move(h: &mut dyn Host, m: Move) -> Fx {
    if h.overlay_move(m) {
        return Vec::new();
    }
    let page = h.body_rows();
    on_active(h, |s, sh| s.on_move(m, page, sh)).unwrap_or_default()
}

/// `/`: help's filter when help is open, else the ledger's search line.
pub fn search(h: &mut dyn Host) -> Fx {
    if h.overlay_search() {
        return Vec::new();
    }
    if let Some((_, l)) = h.parts::<LedgerScreen>() {
        l.start_search();
    }
    Vec::new()
}

/// `record.reveal`: ask why, for the personal data the screen on display shows.
pub fn reveal(h: &mut dyn Host) -> Fx {
    let active = h.active();
    let prompt = h
        .screens()
        .iter()
        .find(|s| s.id() == active)
        .and_then(|s| s.reveal(h.shell()).ok());
    if let Some(p) = prompt {
        h.push_overlay(p);
    }
    Vec::new()
}

/// Enter: the top overlay's, else the screen's own dialog (search line, conflict).
pub fn confirm(h: &mut dyn Host) -> Fx {
    if let Some(fx) = h.overlay_confirm() {
        return fx;
    }
    let verb = on_active(h, |s, sh| s.on_confirm(sh)).unwrap_or(Verb::Done(Vec::new()));
    h.verb(verb)
}

/// Esc in a dialog: the top overlay's, else the screen's own dialog.
pub fn cancel(h: &mut dyn Host) -> Fx {
    if let Some(fx) = h.overlay_cancel() {
        return fx;
    }
    let verb = on_active(h, |s, sh| s.on_cancel(sh)).unwrap_or(Verb::Done(Vec::new()));
    h.verb(verb)
}
