//! What each command does. `App::run` has already checked that it is enabled.

use super::app::{App, Confirmed, LedgerMode, Menu, MenuAction, Overlay, ScreenId};
use super::input::LineInput;
use super::msg::Effect;
use super::prompt::ReasonPrompt;
use crate::domain::application::ApplicationStatus;
use crate::domain::model::FacilityStatus;
use crate::jobs::formats::csv_out::CsvEncoding;
use crate::query::Request;

pub fn run(app: &mut App, id: &str) -> Vec<Effect> {
    let lang = app.lang();
    match id {
        "app.quit" => {
            if app.ledger.has_unsaved_edit() {
                app.overlay = Some(Overlay::Confirm {
                    message: lang
                        .t(
                            "保存していない編集があります。終了しますか？",
                            "An edit is not saved. Quit anyway?",
                        )
                        .into(),
                    on_confirm: Confirmed::Quit,
                });
                Vec::new()
            } else {
                app.quit = true;
                vec![Effect::Quit]
            }
        }
        "palette.open" => {
            app.open_palette();
            Vec::new()
        }
        "help.open" => {
            app.open_help();
            Vec::new()
        }
        "view.back" => back(app),
        "view.refresh" => app.refresh_command(),
        "screen.ledger" => app.switch_screen(ScreenId::Ledger),
        "screen.inbox" => app.switch_screen(ScreenId::Inbox),
        "screen.consent" => app.switch_screen(ScreenId::Consent),
        "screen.checklist" => app.switch_screen(ScreenId::Checklist),
        "screen.jobs" => app.switch_screen(ScreenId::Jobs),
        "screen.next" => app.cycle_screen(true),
        "screen.prev" => app.cycle_screen(false),
        "list.up" | "list.down" | "list.page_up" | "list.page_down" | "list.top"
        | "list.bottom" => list_move(app, id),
        "list.open" => App::requests(app.ledger.open_selected()),
        "list.search" if matches!(app.overlay, Some(Overlay::Help(_))) => {
            if let Some(Overlay::Help(h)) = &mut app.overlay {
                h.start_search();
            }
            Vec::new()
        }
        "list.search" => {
            let current = app.ledger.query.search.clone();
            app.ledger.search = Some(LineInput::new(&current));
            Vec::new()
        }
        "list.sort_next" => App::requests(app.ledger.next_sort()),
        "list.sort_reverse" => App::requests(app.ledger.reverse_sort()),
        "list.filter" => {
            app.overlay = Some(Overlay::Menu(filter_menu(app)));
            Vec::new()
        }
        "list.clear_filter" => App::requests(app.ledger.clear_filters()),
        "list.export_csv" => {
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
        "ledger.alerts" => App::requests(app.ledger.cycle_alert()),
        "ledger.edit" => {
            if app.ledger.mode == LedgerMode::List {
                let reqs = app.ledger.open_selected();
                app.ledger.mode = LedgerMode::Detail;
                // Edit opens as soon as the detail arrives (see App::reply via start_edit).
                app.ledger.edit = None;
                app.pending_edit = true;
                App::requests(reqs)
            } else {
                app.start_edit();
                Vec::new()
            }
        }
        "ledger.tab_next" => {
            app.next_tab(true);
            Vec::new()
        }
        "ledger.tab_prev" => {
            app.next_tab(false);
            Vec::new()
        }
        "form.next_field" => {
            if let Some(e) = app.ledger.edit.as_mut() {
                e.next_field();
            }
            Vec::new()
        }
        "form.prev_field" => {
            if let Some(e) = app.ledger.edit.as_mut() {
                e.prev_field();
            }
            Vec::new()
        }
        "form.save" => match app.ledger.edit.as_mut() {
            Some(e) if !e.saving => vec![Effect::Request(e.save_request())],
            _ => Vec::new(),
        },
        "form.cancel" => {
            if app.ledger.has_unsaved_edit() {
                app.overlay = Some(Overlay::Confirm {
                    message: lang
                        .t("変更を破棄しますか？", "Discard your changes?")
                        .into(),
                    on_confirm: Confirmed::DiscardEdit,
                });
            } else {
                app.ledger.edit = None;
                app.ledger.mode = LedgerMode::Detail;
            }
            Vec::new()
        }
        "session.lock" => {
            app.lock_session(true);
            Vec::new()
        }
        "record.reveal" if app.screen == ScreenId::Consent => {
            if let Some(c) = app.consent.rows.get(app.consent.selected) {
                let title = format!(
                    "{} {}",
                    lang.t("被保険者の個人情報を表示:", "Reveal the insured person:"),
                    c.facility_name
                );
                app.overlay = Some(Overlay::Reason(ReasonPrompt::reveal(
                    "consent",
                    &c.id.to_string(),
                    title,
                )));
            }
            Vec::new()
        }
        "record.reveal" => {
            if let Some(d) = &app.ledger.detail {
                let title = format!(
                    "{} {}",
                    lang.t("個人情報を表示:", "Reveal personal data:"),
                    d.facility.fields.name
                );
                app.overlay = Some(Overlay::Reason(ReasonPrompt::reveal(
                    "facility",
                    &d.facility.id.to_string(),
                    title,
                )));
            }
            Vec::new()
        }
        "inbox.accept" => inbox_step(app, ApplicationStatus::Accepted),
        "inbox.start_review" => inbox_step(app, ApplicationStatus::UnderReview),
        "inbox.return" => inbox_step(app, ApplicationStatus::Returned),
        "inbox.approve" => inbox_step(app, ApplicationStatus::Decided),
        "inbox.reject" => inbox_step(app, ApplicationStatus::Rejected),
        "inbox.notify" => inbox_step(app, ApplicationStatus::Notified),
        "dialog.confirm" => confirm(app),
        "dialog.cancel" => cancel(app),
        _ => {
            app.warn(format!(
                "{id}: {}",
                lang.t(
                    "この版ではまだ使えません",
                    "not available in this build yet"
                )
            ));
            Vec::new()
        }
    }
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

fn back(app: &mut App) -> Vec<Effect> {
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

fn list_move(app: &mut App, id: &str) -> Vec<Effect> {
    if let Some(Overlay::Palette(p)) = &mut app.overlay {
        p.move_by(if id == "list.up" { -1 } else { 1 });
        return Vec::new();
    }
    if let Some(Overlay::Reason(p)) = &mut app.overlay {
        p.cycle(id != "list.up");
        return Vec::new();
    }
    if let Some(Overlay::Help(h)) = &mut app.overlay {
        h.scroll(id);
        return Vec::new();
    }
    // The menu box shows at most the screen height less its frame and margin.
    let menu_page = (app.size.1 as usize).saturating_sub(4).max(1);
    if let Some(Overlay::Menu(m)) = &mut app.overlay {
        m.selected = menu_move(m.selected, m.items.len(), id, menu_page);
        return Vec::new();
    }
    let page = app.ledger.viewport.max(1) as isize;
    let delta = match id {
        "list.up" => -1,
        "list.down" => 1,
        "list.page_up" => -page,
        "list.page_down" => page,
        _ => 0,
    };
    match app.screen {
        ScreenId::Ledger if app.ledger.mode == LedgerMode::Detail => {
            let height = app.size.1.saturating_sub(super::app::CHROME_LINES);
            let max = super::screens::ledger::detail_max_scroll(&app.ledger, &app.ui, height);
            let s = &mut app.ledger.detail_scroll;
            *s = match id {
                "list.top" => 0,
                "list.bottom" => max,
                _ => (*s as isize + delta).clamp(0, max as isize) as u16,
            };
            Vec::new()
        }
        ScreenId::Ledger => App::requests(match id {
            "list.top" => app.ledger.top(),
            "list.bottom" => app.ledger.bottom(),
            _ => app.ledger.move_by(delta),
        }),
        ScreenId::Inbox => {
            app.inbox.move_cursor(id, page);
            Vec::new()
        }
        ScreenId::Consent => {
            app.consent.move_cursor(id, page);
            Vec::new()
        }
        ScreenId::Checklist => {
            app.checklist.move_cursor(id, page);
            Vec::new()
        }
        ScreenId::Jobs => {
            app.jobs.move_cursor(id, page);
            Vec::new()
        }
    }
}

/// Up and Down wrap around; Home, End and the page keys stop at the ends.
fn menu_move(selected: usize, len: usize, id: &str, page: usize) -> usize {
    let last = len.saturating_sub(1);
    match id {
        "list.up" if selected == 0 => last,
        "list.up" => selected - 1,
        "list.down" if selected >= last => 0,
        "list.down" => selected + 1,
        "list.page_up" => selected.saturating_sub(page),
        "list.page_down" => (selected + page).min(last),
        "list.top" => 0,
        "list.bottom" => last,
        _ => selected,
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

fn confirm(app: &mut App) -> Vec<Effect> {
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
            Some(id) => app.run(id),
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

fn cancel(app: &mut App) -> Vec<Effect> {
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
