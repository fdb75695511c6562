//! The handlers the command registry binds to its ids. `App::run` has already checked
//! that the command is enabled.

use super::app::{App, LedgerMode, ScreenId};
use super::data::Request;
use super::input::LineInput;
use super::msg::Effect;
use super::nav::Move;
use super::overlay::confirm::Confirm;
use super::overlay::menu::Menu;
use super::overlay::prompt::ReasonPrompt;
use super::overlay::{Action, Outcome};
use super::screen::Host;
use super::screens::consent::ConsentScreen;
use crate::domain::model::FacilityStatus;
use crate::jobs::formats::csv_out::CsvEncoding;

type Fx = Vec<Effect>;

/// An overlay action written against the app (this module's handlers know it).
pub fn on_app(f: impl FnOnce(&mut App) -> Fx + 'static) -> Action<dyn Host> {
    Box::new(move |h: &mut dyn Host| f(App::of_mut(h)))
}

fn item(
    menu: &mut Menu<dyn Host>,
    label: impl Into<String>,
    f: impl FnOnce(&mut App) -> Fx + 'static,
) {
    menu.item(label, move |h: &mut dyn Host| f(App::of_mut(h)));
}

pub fn quit(h: &mut dyn Host) -> Fx {
    let app = App::of_mut(h);
    if !app.ledger.has_unsaved_edit() {
        app.quit = true;
        return vec![Effect::Quit];
    }
    let message = app.lang().t(
        "保存していない編集があります。終了しますか？",
        "An edit is not saved. Quit anyway?",
    );
    app.push(Confirm::new(message, on_app(quit_now)));
    Vec::new()
}

fn quit_now(app: &mut App) -> Fx {
    app.quit = true;
    vec![Effect::Quit]
}

pub fn open_palette(h: &mut dyn Host) -> Fx {
    let app = App::of_mut(h);
    app.open_palette();
    Vec::new()
}

pub fn open_help(h: &mut dyn Host) -> Fx {
    let app = App::of_mut(h);
    app.open_help();
    Vec::new()
}

pub fn refresh(h: &mut dyn Host) -> Fx {
    let app = App::of_mut(h);
    app.refresh_command()
}

pub fn lock(h: &mut dyn Host) -> Fx {
    let app = App::of_mut(h);
    app.lock_session(true);
    Vec::new()
}

pub fn screen_ledger(h: &mut dyn Host) -> Fx {
    let app = App::of_mut(h);
    app.switch_screen(ScreenId::Ledger)
}
pub fn screen_inbox(h: &mut dyn Host) -> Fx {
    let app = App::of_mut(h);
    app.switch_screen(ScreenId::Inbox)
}
pub fn screen_consent(h: &mut dyn Host) -> Fx {
    let app = App::of_mut(h);
    app.switch_screen(ScreenId::Consent)
}
pub fn screen_checklist(h: &mut dyn Host) -> Fx {
    let app = App::of_mut(h);
    app.switch_screen(ScreenId::Checklist)
}
pub fn screen_jobs(h: &mut dyn Host) -> Fx {
    let app = App::of_mut(h);
    app.switch_screen(ScreenId::Jobs)
}
pub fn screen_next(h: &mut dyn Host) -> Fx {
    let app = App::of_mut(h);
    app.cycle_screen(true)
}
pub fn screen_prev(h: &mut dyn Host) -> Fx {
    let app = App::of_mut(h);
    app.cycle_screen(false)
}

pub fn up(h: &mut dyn Host) -> Fx {
    let app = App::of_mut(h);
    list_move(app, Move::Up)
}
pub fn down(h: &mut dyn Host) -> Fx {
    let app = App::of_mut(h);
    list_move(app, Move::Down)
}
pub fn page_up(h: &mut dyn Host) -> Fx {
    let app = App::of_mut(h);
    list_move(app, Move::PageUp)
}
pub fn page_down(h: &mut dyn Host) -> Fx {
    let app = App::of_mut(h);
    list_move(app, Move::PageDown)
}
pub fn top(h: &mut dyn Host) -> Fx {
    let app = App::of_mut(h);
    list_move(app, Move::Top)
}
pub fn bottom(h: &mut dyn Host) -> Fx {
    let app = App::of_mut(h);
    list_move(app, Move::Bottom)
}

pub fn open(h: &mut dyn Host) -> Fx {
    let app = App::of_mut(h);
    App::requests(app.ledger.open_selected())
}

pub fn search(h: &mut dyn Host) -> Fx {
    let app = App::of_mut(h);
    if let Some(fx) = app.with_top(|o, _| {
        o.on_search();
        Outcome::Keep
    }) {
        return fx;
    }
    let current = app.ledger.query.search.clone();
    app.ledger.search = Some(LineInput::new(&current));
    Vec::new()
}

pub fn sort_next(h: &mut dyn Host) -> Fx {
    let app = App::of_mut(h);
    App::requests(app.ledger.next_sort())
}
pub fn sort_reverse(h: &mut dyn Host) -> Fx {
    let app = App::of_mut(h);
    App::requests(app.ledger.reverse_sort())
}

pub fn filter(h: &mut dyn Host) -> Fx {
    let app = App::of_mut(h);
    let menu = filter_menu(app);
    app.push(menu);
    Vec::new()
}

pub fn clear_filter(h: &mut dyn Host) -> Fx {
    let app = App::of_mut(h);
    App::requests(app.ledger.clear_filters())
}

pub fn export_csv(h: &mut dyn Host) -> Fx {
    let app = App::of_mut(h);
    let lang = app.lang();
    let mut menu = Menu::new(lang.t("CSV出力（表示中の一覧）", "Export the listed rows as CSV"));
    for (label, encoding) in [
        (
            lang.t("UTF-8（BOM付き・Excel用）", "UTF-8 with BOM (Excel)"),
            CsvEncoding::Utf8Bom,
        ),
        (
            lang.t("Shift_JIS（CP932）", "Shift_JIS (CP932)"),
            CsvEncoding::Cp932,
        ),
    ] {
        item(&mut menu, label, move |app: &mut App| {
            ask_export_path(app, encoding)
        });
    }
    app.push(menu);
    Vec::new()
}

/// Asks where, with the default shown in full and editable.
fn ask_export_path(app: &mut App, encoding: CsvEncoding) -> Fx {
    let title = app.lang().t("CSVの保存先", "Where to write the CSV").into();
    let prompt = ReasonPrompt::export_path(
        &app.export_path(),
        app.ledger.query.clone(),
        encoding,
        title,
    );
    app.push(prompt);
    Vec::new()
}

pub fn alerts(h: &mut dyn Host) -> Fx {
    let app = App::of_mut(h);
    App::requests(app.ledger.cycle_alert())
}

pub fn edit(h: &mut dyn Host) -> Fx {
    let app = App::of_mut(h);
    if app.ledger.mode != LedgerMode::List {
        app.start_edit();
        return Vec::new();
    }
    let reqs = app.ledger.open_selected();
    app.ledger.mode = LedgerMode::Detail;
    // Edit opens as soon as the detail arrives (see App::reply via start_edit).
    app.ledger.edit = None;
    app.pending_edit = true;
    App::requests(reqs)
}

pub fn tab_next(h: &mut dyn Host) -> Fx {
    let app = App::of_mut(h);
    app.next_tab(true);
    Vec::new()
}
pub fn tab_prev(h: &mut dyn Host) -> Fx {
    let app = App::of_mut(h);
    app.next_tab(false);
    Vec::new()
}

pub fn next_field(h: &mut dyn Host) -> Fx {
    let app = App::of_mut(h);
    if let Some(e) = app.ledger.edit.as_mut() {
        e.next_field();
    }
    Vec::new()
}
pub fn prev_field(h: &mut dyn Host) -> Fx {
    let app = App::of_mut(h);
    if let Some(e) = app.ledger.edit.as_mut() {
        e.prev_field();
    }
    Vec::new()
}

pub fn save(h: &mut dyn Host) -> Fx {
    let app = App::of_mut(h);
    match app.ledger.edit.as_mut() {
        Some(e) if !e.saving => vec![Effect::Request(e.save_request())],
        _ => Vec::new(),
    }
}

pub fn cancel_edit(h: &mut dyn Host) -> Fx {
    let app = App::of_mut(h);
    if app.ledger.has_unsaved_edit() {
        let message = app
            .lang()
            .t("変更を破棄しますか？", "Discard your changes?");
        app.push(Confirm::new(message, on_app(discard_edit)));
    } else {
        app.ledger.edit = None;
        app.ledger.mode = LedgerMode::Detail;
    }
    Vec::new()
}

fn discard_edit(app: &mut App) -> Fx {
    app.ledger.edit = None;
    app.ledger.mode = LedgerMode::Detail;
    Vec::new()
}

pub fn reveal(h: &mut dyn Host) -> Fx {
    let app = App::of_mut(h);
    let lang = app.lang();
    let prompt = if app.screen == ScreenId::Consent {
        let consent = app.screen_ref::<ConsentScreen>();
        consent.selected().map(|c| {
            let title = format!(
                "{} {}",
                lang.t("被保険者の個人情報を表示:", "Reveal the insured person:"),
                c.facility_name
            );
            ReasonPrompt::reveal("consent", &c.id.to_string(), title)
        })
    } else {
        app.ledger.detail.as_ref().map(|d| {
            let title = format!(
                "{} {}",
                lang.t("個人情報を表示:", "Reveal personal data:"),
                d.facility.fields.name
            );
            ReasonPrompt::reveal("facility", &d.facility.id.to_string(), title)
        })
    };
    if let Some(p) = prompt {
        app.push(p);
    }
    Vec::new()
}

pub fn back(h: &mut dyn Host) -> Vec<Effect> {
    let app = App::of_mut(h);
    app.pending_edit = false;
    if app.screen != ScreenId::Ledger {
        return Vec::new();
    }
    match app.ledger.mode {
        LedgerMode::Detail => {
            app.ledger.mode = LedgerMode::List;
            Vec::new()
        }
        LedgerMode::List if !app.ledger.query.search.is_empty() => {
            App::requests(app.ledger.set_search(""))
        }
        _ => Vec::new(),
    }
}

fn list_move(app: &mut App, m: Move) -> Vec<Effect> {
    if let Some(fx) = app.with_top(|o, env| {
        o.on_move(m, env);
        Outcome::Keep
    }) {
        return fx;
    }
    let page = app.ledger.viewport.max(1) as isize;
    let delta = m.delta(page);
    match app.screen {
        ScreenId::Ledger if app.ledger.mode == LedgerMode::Detail => {
            let height = app.size.1.saturating_sub(super::app::CHROME_LINES);
            let max = super::screens::ledger::detail_max_scroll(&app.ledger, &app.shell.ui, height);
            let s = &mut app.ledger.detail_scroll;
            *s = match m {
                Move::Top => 0,
                Move::Bottom => max,
                _ => (*s as isize + delta).clamp(0, max as isize) as u16,
            };
            Vec::new()
        }
        ScreenId::Ledger => App::requests(match m {
            Move::Top => app.ledger.top(),
            Move::Bottom => app.ledger.bottom(),
            _ => app.ledger.move_by(delta),
        }),
        _ => {
            let body = app.size.1.saturating_sub(super::app::CHROME_LINES + 1) as usize;
            let shell = &mut app.shell;
            match app.screens.iter_mut().find(|s| s.id() == app.screen) {
                Some(screen) => screen.on_move(m, body.max(1), shell),
                None => Vec::new(),
            }
        }
    }
}

fn filter_menu(app: &App) -> Menu<dyn Host> {
    let lang = app.lang();
    let mut menu = Menu::new(lang.t("絞り込み", "Filter"));
    item(
        &mut menu,
        lang.t("サービス種類: すべて", "Service: all"),
        |app: &mut App| App::requests(app.ledger.filter_service(None)),
    );
    for s in &app.service_types {
        let label = format!(
            "{}: {} {}",
            lang.t("サービス種類", "Service"),
            s.code,
            s.name
        );
        let code = s.code.clone();
        item(&mut menu, label, move |app: &mut App| {
            App::requests(app.ledger.filter_service(Some(code)))
        });
    }
    item(
        &mut menu,
        lang.t("状態: すべて", "Status: all"),
        |app: &mut App| App::requests(app.ledger.filter_status(None)),
    );
    for s in FacilityStatus::ALL {
        let name = if lang.is_ja() {
            s.label_ja()
        } else {
            s.label_en()
        };
        item(
            &mut menu,
            format!("{}: {name}", lang.t("状態", "Status")),
            move |app: &mut App| App::requests(app.ledger.filter_status(Some(s))),
        );
    }
    for months in [1, 3, 6, 12] {
        let label = format!(
            "{} {months}{}",
            lang.t("有効期限:", "Expiring within"),
            lang.t("か月以内", " months")
        );
        item(&mut menu, label, move |app: &mut App| {
            App::requests(app.ledger.filter_expiring(months))
        });
    }
    item(
        &mut menu,
        lang.t("有効期限: 条件なし", "Expiry: any"),
        |app: &mut App| App::requests(app.ledger.filter_expiring(0)),
    );
    item(
        &mut menu,
        lang.t("運営推進会議: 期限超過", "Council meeting overdue"),
        |app: &mut App| App::requests(app.ledger.filter_meeting_overdue()),
    );
    menu
}

pub fn confirm(h: &mut dyn Host) -> Vec<Effect> {
    let app = App::of_mut(h);
    app.with_top(|o, env| o.on_confirm(env))
        .unwrap_or_else(|| conflict_or_search_confirm(app))
}

fn conflict_or_search_confirm(app: &mut App) -> Vec<Effect> {
    if app.ledger.mode == LedgerMode::Conflict {
        // Reapply: keep my input, now based on the stored version; the user saves again.
        if let (Some(current), Some(edit)) = (app.ledger.conflict.take(), app.ledger.edit.as_mut())
        {
            edit.rebase(&current);
        }
        app.ledger.mode = LedgerMode::Edit;
        app.info(app.lang().t(
            "自分の入力を現在の版に重ねました。確認して C-s で保存",
            "yours now sit on the stored version: check, then C-s",
        ));
        return Vec::new();
    }
    // Enter on the search line: keep the filter, give focus back to the list.
    app.ledger.search = None;
    Vec::new()
}

/// Discard mine after a conflict: show what is stored now.
fn discard_conflict(app: &mut App) -> Vec<Effect> {
    app.ledger.edit = None;
    app.ledger.mode = LedgerMode::Detail;
    let id = app
        .ledger
        .conflict
        .take()
        .map(|c| c.id)
        .or(app.ledger.detail_id);
    id.map(|id| vec![Effect::Request(Request::FacilityDetail { id })])
        .unwrap_or_default()
}

pub fn cancel(h: &mut dyn Host) -> Vec<Effect> {
    let app = App::of_mut(h);
    if let Some(fx) = app.with_top(|o, _| o.on_cancel()) {
        return fx;
    }
    match () {
        _ if app.ledger.mode == LedgerMode::Conflict => {
            // Discarding what the user typed asks first, as Esc in the form does.
            let message = app.lang().t(
                "変更を破棄しますか？（現在の保存内容を表示します）",
                "Discard your changes? (the stored version is shown)",
            );
            app.push(Confirm::new(message, on_app(discard_conflict)));
            Vec::new()
        }
        _ => {
            // Esc on the search line clears it.
            app.ledger.search = None;
            App::requests(app.ledger.set_search(""))
        }
    }
}
