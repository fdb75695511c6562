//! The handlers the command registry binds to its ids. `App::run` has already checked
//! that the command is enabled.

use super::app::{App, Confirmed, LedgerMode, Menu, MenuAction, Overlay, ScreenId};
use super::data::Request;
use super::input::LineInput;
use super::msg::Effect;
use super::nav::Move;
use super::prompt::ReasonPrompt;
use crate::domain::application::ApplicationStatus;
use crate::domain::model::FacilityStatus;
use crate::jobs::formats::csv_out::CsvEncoding;

type Fx = Vec<Effect>;

pub fn quit(app: &mut App) -> Fx {
    if !app.ledger.has_unsaved_edit() {
        app.quit = true;
        return vec![Effect::Quit];
    }
    let message = app.lang().t(
        "保存していない編集があります。終了しますか？",
        "An edit is not saved. Quit anyway?",
    );
    app.overlay = Some(Overlay::Confirm {
        message: message.into(),
        on_confirm: Confirmed::Quit,
    });
    Vec::new()
}

pub fn open_palette(app: &mut App) -> Fx {
    app.open_palette();
    Vec::new()
}

pub fn open_help(app: &mut App) -> Fx {
    app.open_help();
    Vec::new()
}

pub fn refresh(app: &mut App) -> Fx {
    app.refresh_command()
}

pub fn lock(app: &mut App) -> Fx {
    app.lock_session(true);
    Vec::new()
}

pub fn screen_ledger(app: &mut App) -> Fx {
    app.switch_screen(ScreenId::Ledger)
}
pub fn screen_inbox(app: &mut App) -> Fx {
    app.switch_screen(ScreenId::Inbox)
}
pub fn screen_consent(app: &mut App) -> Fx {
    app.switch_screen(ScreenId::Consent)
}
pub fn screen_checklist(app: &mut App) -> Fx {
    app.switch_screen(ScreenId::Checklist)
}
pub fn screen_jobs(app: &mut App) -> Fx {
    app.switch_screen(ScreenId::Jobs)
}
pub fn screen_next(app: &mut App) -> Fx {
    app.cycle_screen(true)
}
pub fn screen_prev(app: &mut App) -> Fx {
    app.cycle_screen(false)
}

pub fn up(app: &mut App) -> Fx {
    list_move(app, Move::Up)
}
pub fn down(app: &mut App) -> Fx {
    list_move(app, Move::Down)
}
pub fn page_up(app: &mut App) -> Fx {
    list_move(app, Move::PageUp)
}
pub fn page_down(app: &mut App) -> Fx {
    list_move(app, Move::PageDown)
}
pub fn top(app: &mut App) -> Fx {
    list_move(app, Move::Top)
}
pub fn bottom(app: &mut App) -> Fx {
    list_move(app, Move::Bottom)
}

pub fn open(app: &mut App) -> Fx {
    App::requests(app.ledger.open_selected())
}

pub fn search(app: &mut App) -> Fx {
    if let Some(Overlay::Help(h)) = &mut app.overlay {
        h.start_search();
    } else {
        let current = app.ledger.query.search.clone();
        app.ledger.search = Some(LineInput::new(&current));
    }
    Vec::new()
}

pub fn sort_next(app: &mut App) -> Fx {
    App::requests(app.ledger.next_sort())
}
pub fn sort_reverse(app: &mut App) -> Fx {
    App::requests(app.ledger.reverse_sort())
}

pub fn filter(app: &mut App) -> Fx {
    app.overlay = Some(Overlay::Menu(filter_menu(app)));
    Vec::new()
}

pub fn clear_filter(app: &mut App) -> Fx {
    App::requests(app.ledger.clear_filters())
}

pub fn export_csv(app: &mut App) -> Fx {
    let lang = app.lang();
    app.overlay = Some(Overlay::Menu(Menu {
        title: lang
            .t("CSV出力（表示中の一覧）", "Export the listed rows as CSV")
            .into(),
        items: vec![
            (
                lang.t("UTF-8（BOM付き・Excel用）", "UTF-8 with BOM (Excel)")
                    .into(),
                MenuAction::Export(CsvEncoding::Utf8Bom),
            ),
            (
                lang.t("Shift_JIS（CP932）", "Shift_JIS (CP932)").into(),
                MenuAction::Export(CsvEncoding::Cp932),
            ),
        ],
        selected: 0,
    }));
    Vec::new()
}

pub fn alerts(app: &mut App) -> Fx {
    App::requests(app.ledger.cycle_alert())
}

pub fn edit(app: &mut App) -> Fx {
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

pub fn tab_next(app: &mut App) -> Fx {
    app.next_tab(true);
    Vec::new()
}
pub fn tab_prev(app: &mut App) -> Fx {
    app.next_tab(false);
    Vec::new()
}

pub fn next_field(app: &mut App) -> Fx {
    if let Some(e) = app.ledger.edit.as_mut() {
        e.next_field();
    }
    Vec::new()
}
pub fn prev_field(app: &mut App) -> Fx {
    if let Some(e) = app.ledger.edit.as_mut() {
        e.prev_field();
    }
    Vec::new()
}

pub fn save(app: &mut App) -> Fx {
    match app.ledger.edit.as_mut() {
        Some(e) if !e.saving => vec![Effect::Request(e.save_request())],
        _ => Vec::new(),
    }
}

pub fn cancel_edit(app: &mut App) -> Fx {
    if app.ledger.has_unsaved_edit() {
        let message = app
            .lang()
            .t("変更を破棄しますか？", "Discard your changes?");
        app.overlay = Some(Overlay::Confirm {
            message: message.into(),
            on_confirm: Confirmed::DiscardEdit,
        });
    } else {
        app.ledger.edit = None;
        app.ledger.mode = LedgerMode::Detail;
    }
    Vec::new()
}

pub fn reveal(app: &mut App) -> Fx {
    let lang = app.lang();
    let prompt = if app.screen == ScreenId::Consent {
        app.consent.rows.get(app.consent.selected).map(|c| {
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
        app.overlay = Some(Overlay::Reason(p));
    }
    Vec::new()
}

pub fn inbox_accept(app: &mut App) -> Fx {
    inbox_step(app, ApplicationStatus::Accepted)
}
pub fn inbox_review(app: &mut App) -> Fx {
    inbox_step(app, ApplicationStatus::UnderReview)
}
pub fn inbox_return(app: &mut App) -> Fx {
    inbox_step(app, ApplicationStatus::Returned)
}
pub fn inbox_approve(app: &mut App) -> Fx {
    inbox_step(app, ApplicationStatus::Decided)
}
pub fn inbox_reject(app: &mut App) -> Fx {
    inbox_step(app, ApplicationStatus::Rejected)
}
pub fn inbox_notify(app: &mut App) -> Fx {
    inbox_step(app, ApplicationStatus::Notified)
}

/// Steps that must say why (return, reject) ask for a reason first; deciding and the
/// result notice ask for a yes, saying what will happen; the others go now.
fn inbox_step(app: &mut App, to: ApplicationStatus) -> Vec<Effect> {
    let Some(row) = app.inbox.rows.get(app.inbox.selected) else {
        return Vec::new();
    };
    let lang = app.lang();
    let outcome = step_outcome(lang, row, to);
    if to.needs_reason() {
        let label = if lang.is_ja() {
            to.label_ja()
        } else {
            to.label_en()
        };
        let title = format!("{label}: {} {}", row.provider_number, row.applicant_name);
        let mut prompt = ReasonPrompt::transition(row.id, row.version, to, title);
        prompt.outcome = outcome;
        app.overlay = Some(Overlay::Reason(prompt));
        return Vec::new();
    }
    if let Some(message) = outcome {
        app.overlay = Some(Overlay::Confirm {
            message: format!("{message}\n{}", lang.t("よろしいですか？", "Go ahead?")),
            on_confirm: Confirmed::Transition {
                id: row.id,
                version: row.version,
                to,
            },
        });
        return Vec::new();
    }
    vec![Effect::Request(Request::Transition {
        id: row.id,
        version: row.version,
        to,
        reason: String::new(),
    })]
}

/// What a step that cannot be taken back does, in words: the status change and what
/// comes next. `None` for the everyday steps (受付, 審査開始), which go on one key.
fn step_outcome(
    lang: crate::i18n::Lang,
    row: &crate::domain::model::ApplicationRow,
    to: ApplicationStatus,
) -> Option<String> {
    let case = row.external_id.as_deref().unwrap_or(&row.provider_number);
    let (from_ja, to_ja) = (row.status.label_ja(), to.label_ja());
    let (from_en, to_en) = (row.status.label_en(), to.label_en());
    let (ja, en) = match to {
        ApplicationStatus::Decided => (
            format!(
                "申請 {case}（{}）を決定します。\n状態が「{from_ja}」から「{to_ja}」に変わり、次は結果通知の記録です。",
                row.applicant_name
            ),
            format!(
                "Decide application {case} ({}).\nIts status goes from {from_en} to {to_en}; recording the result notice comes next.",
                row.applicant_name
            ),
        ),
        ApplicationStatus::Rejected => (
            format!(
                "申請 {case} を却下します。\n状態が「{from_ja}」から「{to_ja}」に変わり、この申請は終わります。"
            ),
            format!(
                "Reject application {case}.\nIts status goes from {from_en} to {to_en} and the case ends."
            ),
        ),
        ApplicationStatus::Notified => (
            format!(
                "申請 {case}（{}）の結果通知を記録します。\n状態が「{from_ja}」から「{to_ja}」に変わり、この申請は完了します。",
                row.applicant_name
            ),
            format!(
                "Record the result notice of application {case} ({}).\nIts status goes from {from_en} to {to_en} and the case is complete.",
                row.applicant_name
            ),
        ),
        _ => return None,
    };
    Some(if lang.is_ja() { ja } else { en })
}

pub fn back(app: &mut App) -> Vec<Effect> {
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
    // The menu box shows at most the screen height less its frame and margin.
    let menu_page = (app.size.1 as usize).saturating_sub(4).max(1);
    match &mut app.overlay {
        Some(Overlay::Palette(p)) => {
            p.move_by(if m == Move::Up { -1 } else { 1 });
            return Vec::new();
        }
        Some(Overlay::Reason(p)) => {
            p.cycle(m != Move::Up);
            return Vec::new();
        }
        Some(Overlay::Help(h)) => {
            h.scroll(m);
            return Vec::new();
        }
        Some(Overlay::Menu(menu)) => {
            menu.selected = m.wrap(menu.selected, menu.items.len(), menu_page);
            return Vec::new();
        }
        _ => {}
    }
    let page = app.ledger.viewport.max(1) as isize;
    let delta = m.delta(page);
    match app.screen {
        ScreenId::Ledger if app.ledger.mode == LedgerMode::Detail => {
            let height = app.size.1.saturating_sub(super::app::CHROME_LINES);
            let max = super::screens::ledger::detail_max_scroll(&app.ledger, &app.ui, height);
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
        ScreenId::Inbox => {
            app.inbox.move_cursor(m, page);
            Vec::new()
        }
        ScreenId::Consent => {
            app.consent.move_cursor(m, page);
            Vec::new()
        }
        ScreenId::Checklist => {
            app.checklist.move_cursor(m, page);
            Vec::new()
        }
        ScreenId::Jobs => {
            app.jobs.move_cursor(m, page);
            Vec::new()
        }
    }
}

fn filter_menu(app: &App) -> Menu {
    let lang = app.lang();
    let mut items = vec![(
        lang.t("サービス種類: すべて", "Service: all").to_string(),
        MenuAction::AllServices,
    )];
    items.extend(app.service_types.iter().enumerate().map(|(i, s)| {
        (
            format!(
                "{}: {} {}",
                lang.t("サービス種類", "Service"),
                s.code,
                s.name
            ),
            MenuAction::Service(i),
        )
    }));
    items.push((
        lang.t("状態: すべて", "Status: all").into(),
        MenuAction::Status(None),
    ));
    for s in FacilityStatus::ALL {
        items.push((
            format!(
                "{}: {}",
                lang.t("状態", "Status"),
                if lang.is_ja() {
                    s.label_ja()
                } else {
                    s.label_en()
                }
            ),
            MenuAction::Status(Some(s)),
        ));
    }
    for months in [1, 3, 6, 12] {
        items.push((
            format!(
                "{} {months}{}",
                lang.t("有効期限:", "Expiring within"),
                lang.t("か月以内", " months")
            ),
            MenuAction::ExpiringWithin(months),
        ));
    }
    items.push((
        lang.t("有効期限: 条件なし", "Expiry: any").into(),
        MenuAction::ExpiringWithin(0),
    ));
    items.push((
        lang.t("運営推進会議: 期限超過", "Council meeting overdue")
            .into(),
        MenuAction::MeetingOverdue,
    ));
    Menu {
        title: lang.t("絞り込み", "Filter").into(),
        items,
        selected: 0,
    }
}

pub fn confirm(app: &mut App) -> Vec<Effect> {
    match app.overlay.take() {
        Some(Overlay::Confirm {
            on_confirm: Confirmed::Quit,
            ..
        }) => {
            app.quit = true;
            vec![Effect::Quit]
        }
        Some(Overlay::Confirm {
            on_confirm: Confirmed::DiscardEdit,
            ..
        }) => {
            app.ledger.edit = None;
            app.ledger.mode = LedgerMode::Detail;
            Vec::new()
        }
        Some(Overlay::Confirm {
            on_confirm: Confirmed::DiscardConflict,
            ..
        }) => discard_conflict(app),
        Some(Overlay::Confirm {
            on_confirm:
                Confirmed::Overwrite {
                    query,
                    path,
                    encoding,
                },
            ..
        }) => vec![Effect::Request(Request::ExportLedger {
            query: *query,
            path,
            encoding,
            overwrite: true,
        })],
        Some(Overlay::Confirm {
            on_confirm: Confirmed::Transition { id, version, to },
            ..
        }) => vec![Effect::Request(Request::Transition {
            id,
            version,
            to,
            reason: String::new(),
        })],
        Some(Overlay::Menu(m)) => match m.items.get(m.selected).map(|(_, a)| *a) {
            Some(MenuAction::AllServices) => App::requests(app.ledger.filter_service(None)),
            Some(MenuAction::Service(i)) => {
                let code = app.service_types.get(i).map(|s| s.code.clone());
                App::requests(app.ledger.filter_service(code))
            }
            Some(MenuAction::Status(s)) => App::requests(app.ledger.filter_status(s)),
            Some(MenuAction::ExpiringWithin(months)) => {
                App::requests(app.ledger.filter_expiring(months))
            }
            Some(MenuAction::MeetingOverdue) => App::requests(app.ledger.filter_meeting_overdue()),
            Some(MenuAction::Export(encoding)) => {
                // Ask where, with the default shown in full and editable.
                let title = app.lang().t("CSVの保存先", "Where to write the CSV").into();
                app.overlay = Some(Overlay::Reason(ReasonPrompt::export_path(
                    &app.export_path(),
                    app.ledger.query.clone(),
                    encoding,
                    title,
                )));
                Vec::new()
            }
            None => Vec::new(),
        },
        Some(other) => {
            app.overlay = Some(other);
            overlay_confirm(app)
        }
        None => conflict_or_search_confirm(app),
    }
}

/// Enter in the palette runs the chosen command; elsewhere it is not a dialog.
fn overlay_confirm(app: &mut App) -> Vec<Effect> {
    match app.overlay.take() {
        Some(Overlay::Reason(mut p)) => match p.submit(app.lang()) {
            Some(request) => vec![Effect::Request(request)],
            None => {
                app.overlay = Some(Overlay::Reason(p));
                Vec::new()
            }
        },
        Some(Overlay::Palette(p)) => match p.chosen() {
            Some(cmd) => app.run(cmd),
            None => Vec::new(),
        },
        Some(Overlay::Help(mut h)) => {
            h.stop_search();
            app.overlay = Some(Overlay::Help(h));
            Vec::new()
        }
        other => {
            app.overlay = other;
            Vec::new()
        }
    }
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

pub fn cancel(app: &mut App) -> Vec<Effect> {
    match app.overlay.take() {
        Some(Overlay::Help(mut h)) if h.searching() => {
            h.stop_search();
            app.overlay = Some(Overlay::Help(h));
            Vec::new()
        }
        Some(_) => Vec::new(),
        None if app.ledger.mode == LedgerMode::Conflict => {
            // Discarding what the user typed asks first, as Esc in the form does.
            app.overlay = Some(Overlay::Confirm {
                message: app
                    .lang()
                    .t(
                        "変更を破棄しますか？（現在の保存内容を表示します）",
                        "Discard your changes? (the stored version is shown)",
                    )
                    .into(),
                on_confirm: Confirmed::DiscardConflict,
            });
            Vec::new()
        }
        None => {
            // Esc on the search line clears it.
            app.ledger.search = None;
            App::requests(app.ledger.set_search(""))
        }
    }
}
