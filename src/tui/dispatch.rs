//! The handlers of the app-wide commands (quit, palette, help, screens, moving,
//! dialogs). Screens' own commands live in their folders. `App::run` has already
//! checked that the command is enabled.

use super::app::App;
use super::msg::Effect;
use super::nav::Move;
use super::overlay::Outcome;
use super::overlay::confirm::Confirm;
use super::screen::{Host, Verb};
use super::ui::ScreenId;

type Fx = Vec<Effect>;

pub fn quit(h: &mut dyn Host) -> Fx {
    let app = App::of_mut(h);
    if !app.screens.iter().any(|s| s.unsaved()) {
        app.quit = true;
        return vec![Effect::Quit];
    }
    let message = app.lang().t(
        "保存していない編集があります。終了しますか？",
        "An edit is not saved. Quit anyway?",
    );
    let quit_now = |h: &mut dyn Host| {
        App::of_mut(h).quit = true;
        vec![Effect::Quit]
    };
    app.push(Confirm::new(message, Box::new(quit_now)));
    Vec::new()
}

pub fn open_palette(h: &mut dyn Host) -> Fx {
    App::of_mut(h).open_palette();
    Vec::new()
}

pub fn open_help(h: &mut dyn Host) -> Fx {
    App::of_mut(h).open_help();
    Vec::new()
}

pub fn refresh(h: &mut dyn Host) -> Fx {
    App::of_mut(h).refresh_command()
}

pub fn lock(h: &mut dyn Host) -> Fx {
    App::of_mut(h).lock_session(true);
    Vec::new()
}

pub fn back(h: &mut dyn Host) -> Fx {
    let app = App::of_mut(h);
    let shell = &mut app.shell;
    match app.screens.iter_mut().find(|s| s.id() == app.screen) {
        Some(s) => s.on_back(shell),
        None => Vec::new(),
    }
}

pub fn screen_ledger(h: &mut dyn Host) -> Fx {
    App::of_mut(h).switch_screen(ScreenId::Ledger)
}
pub fn screen_inbox(h: &mut dyn Host) -> Fx {
    App::of_mut(h).switch_screen(ScreenId::Inbox)
}
pub fn screen_consent(h: &mut dyn Host) -> Fx {
    App::of_mut(h).switch_screen(ScreenId::Consent)
}
pub fn screen_checklist(h: &mut dyn Host) -> Fx {
    App::of_mut(h).switch_screen(ScreenId::Checklist)
}
pub fn screen_jobs(h: &mut dyn Host) -> Fx {
    App::of_mut(h).switch_screen(ScreenId::Jobs)
}
pub fn screen_next(h: &mut dyn Host) -> Fx {
    App::of_mut(h).cycle_screen(true)
}
pub fn screen_prev(h: &mut dyn Host) -> Fx {
    App::of_mut(h).cycle_screen(false)
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
    let app = App::of_mut(h);
    if let Some(fx) = app.with_top(|o, env| {
        o.on_move(m, env);
        Outcome::Keep
    }) {
        return fx;
    }
    let body = app.size.1.saturating_sub(super::app::CHROME_LINES + 1) as usize;
    let shell = &mut app.shell;
    match app.screens.iter_mut().find(|s| s.id() == app.screen) {
        Some(screen) => screen.on_move(m, body.max(1), shell),
        None => Vec::new(),
    }
}

/// `/`: help's filter when help is open, else the ledger's search line.
pub fn search(h: &mut dyn Host) -> Fx {
    if h.overlay_search() {
        return Vec::new();
    }
    if let Some((_, l)) = h.parts::<super::screens::ledger::LedgerScreen>() {
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
    let app = App::of_mut(h);
    if let Some(fx) = app.with_top(|o, env| o.on_confirm(env)) {
        return fx;
    }
    let shell = &mut app.shell;
    let verb = match app.screens.iter_mut().find(|s| s.id() == app.screen) {
        Some(s) => s.on_confirm(shell),
        None => Verb::Done(Vec::new()),
    };
    app.verb(verb)
}

/// Esc in a dialog: the top overlay's, else the screen's own dialog.
pub fn cancel(h: &mut dyn Host) -> Fx {
    let app = App::of_mut(h);
    if let Some(fx) = app.with_top(|o, _| o.on_cancel()) {
        return fx;
    }
    let shell = &mut app.shell;
    let verb = match app.screens.iter_mut().find(|s| s.id() == app.screen) {
        Some(s) => s.on_cancel(shell),
        None => Verb::Done(Vec::new()),
    };
    app.verb(verb)
}
