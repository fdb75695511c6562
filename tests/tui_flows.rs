//! Key journeys through the app, written as what a user types.

#![allow(clippy::unwrap_used)] // test binary: helpers outside #[test] may unwrap too

mod common;

use common::{fresh_db, harness, harness_as};
use daicho::store::Store;
use daicho::store::facilities::{self, ListQuery};
use daicho::tui::app::{LedgerMode, ScreenId};
use daicho::tui::commands::COMMANDS;
use daicho::tui::help::HelpState;
use daicho::tui::i18n::Lang;
use daicho::tui::keymap::files as keymap_files;
use daicho::tui::msg::Msg;
use daicho::tui::overlay::menu::Menu;
use daicho::tui::overlay::prompt::ReasonPrompt;
use daicho::tui::palette::PaletteState;
use daicho::tui::screen::Host;
use daicho::tui::screens::consent::ConsentScreen;
use daicho::tui::screens::inbox::InboxScreen;
use daicho::tui::screens::jobs::JobsScreen;
use daicho::tui::testing::HarnessOptions;

fn count_in_store(db: &common::TestDb, search: &str) -> usize {
    let store = Store::open(&db.path).unwrap();
    facilities::count(
        store.conn_for_tests(),
        &ListQuery {
            search: search.into(),
            ..Default::default()
        },
        1_000_000,
    )
    .unwrap()
}

#[test]
fn search_two_char_and_longer_terms_with_any_width_or_kana() {
    let db = fresh_db();
    let mut h = harness(&db, HarnessOptions::default());
    for term in ["ケア", "新宿", "ｹｱ", "けあ", "ケアプラン", "居宅介護支援"] {
        h.press("/");
        h.press("<End>");
        for _ in 0..10 {
            h.press("<Backspace>");
        }
        h.press(term);
        let expected = count_in_store(&db, term);
        assert!(expected > 0, "{term} matches nothing in the demo data");
        assert_eq!(h.app.ledger().total, Some(expected), "{term}");
        let screen = h.screen();
        assert!(
            screen.contains(&format!("{expected}件")),
            "{term}: {screen}"
        );
        h.press("<Enter>");
    }
    assert_eq!(count_in_store(&db, "ｹｱ"), count_in_store(&db, "けあ"));
    h.press("<Esc>");
    assert_eq!(h.app.ledger().total, Some(366));
}

fn clear_field(h: &mut daicho::tui::testing::Harness) {
    h.press("<End>");
    for _ in 0..40 {
        h.press("<Backspace>");
    }
}

#[test]
fn edit_phone_invalid_then_valid_and_see_it_in_history() {
    let db = fresh_db();
    let mut h = harness(&db, HarnessOptions::default());
    h.press("<Down><Enter>e");
    assert_eq!(h.app.ledger().mode, LedgerMode::Edit);
    h.press("<Tab><Tab><Tab><Tab><Tab>");
    clear_field(&mut h);
    h.press("12-34");
    h.press("<C-s>");
    let screen = h.screen();
    assert!(screen.contains("電話番号は0から始まる10桁"), "{screen}");
    assert_eq!(
        h.app.ledger().mode,
        LedgerMode::Edit,
        "an invalid save keeps the form open"
    );
    clear_field(&mut h);
    h.press("03-3209-1111<C-s>");
    assert_eq!(h.app.ledger().mode, LedgerMode::Detail);
    assert!(h.screen().contains("03-3209-1111"));
    h.press("]]]]]");
    let history = h.screen();
    assert!(
        history.contains("電話番号: ") && history.contains("→ 03-3209-1111"),
        "{history}"
    );
    assert!(history.contains("demo-approver"), "{history}");
}

#[test]
fn second_save_of_the_same_facility_shows_both_versions_and_never_overwrites() {
    let db = fresh_db();
    let mut alice = harness(&db, HarnessOptions::default());
    let mut bob = harness(&db, HarnessOptions::default());
    for h in [&mut alice, &mut bob] {
        h.press("<Down><Enter>e<Tab><Tab><Tab><Tab><Tab>");
        clear_field(h);
    }
    alice.press("03-1111-1111<C-s>");
    assert_eq!(alice.app.ledger().mode, LedgerMode::Detail);
    bob.press("03-2222-2222<C-s>");
    assert_eq!(bob.app.ledger().mode, LedgerMode::Conflict);
    let screen = bob.screen();
    assert!(
        screen.contains("03-1111-1111") && screen.contains("03-2222-2222"),
        "{screen}"
    );
    let id = alice.app.ledger().detail_id.unwrap();
    let stored = |db: &common::TestDb| {
        facilities::get(Store::open(&db.path).unwrap().conn_for_tests(), id)
            .unwrap()
            .unwrap()
    };
    assert_eq!(
        stored(&db).fields.phone,
        "03-1111-1111",
        "nothing overwritten"
    );
    // Bob reapplies his value onto Alice's version and saves deliberately.
    bob.press("<Enter>");
    assert_eq!(bob.app.ledger().mode, LedgerMode::Edit);
    bob.press("<C-s>");
    assert_eq!(bob.app.ledger().mode, LedgerMode::Detail);
    assert_eq!(stored(&db).fields.phone, "03-2222-2222");
    assert_eq!(stored(&db).version, 3);
}

#[test]
fn leaving_an_unsaved_edit_asks_first() {
    let db = fresh_db();
    let mut h = harness(&db, HarnessOptions::default());
    h.press("<Enter>e");
    h.press("x");
    h.press("<Esc>");
    assert!(h.screen().contains("変更を破棄しますか"));
    h.press("n");
    assert_eq!(h.app.ledger().mode, LedgerMode::Edit);
    h.press("<Esc>y");
    assert_eq!(h.app.ledger().mode, LedgerMode::Detail);
    h.press("e<End>z<Esc>y");
    h.press("e");
    h.press("<Esc>");
    h.press("<Esc>q");
    assert!(h.app.quit);
}

#[test]
fn another_instance_s_change_appears_and_the_cursor_stays() {
    let db = fresh_db();
    let mut watcher = harness(&db, HarnessOptions::default());
    watcher.press("<Down><Down><Down>");
    let selected = watcher.app.ledger().selected_row().unwrap().id;
    let mut editor = harness(&db, HarnessOptions::default());
    editor.press("<Down><Down><Down><Enter>e");
    clear_field(&mut editor);
    editor.press("改名後の事業所<C-s>");
    assert_eq!(editor.app.ledger().mode, LedgerMode::Detail);
    watcher.send(Msg::DbChanged);
    assert_eq!(watcher.app.ledger().selected_row().unwrap().id, selected);
    assert!(watcher.screen().contains("改名後の事業所"));
}

#[test]
fn every_command_is_in_the_palette_and_bound_to_a_key() {
    let db = fresh_db();
    let h = harness(&db, HarnessOptions::default());
    for cmd in COMMANDS.iter() {
        let ctx = cmd.scope.context();
        let keys = h.app.keymap.keys_for(cmd.id, &[ctx]);
        assert!(!keys.is_empty(), "{} has no key in [{ctx}]", cmd.id);
    }
    let mut h = harness(&db, HarnessOptions::default());
    for cmd in COMMANDS.iter() {
        h.press("<C-p>");
        h.press(cmd.id);
        match h.app.overlay::<PaletteState>() {
            Some(p) => assert_eq!(p.chosen(), Some(*cmd), "typing {}", cmd.id),
            None => panic!("palette not open"),
        }
        h.press("<Esc>");
    }
}

#[test]
fn palette_runs_commands_and_shows_disabled_reasons() {
    let db = fresh_db();
    let mut h = harness(
        &db,
        HarnessOptions {
            lang: Lang::En,
            ..Default::default()
        },
    );
    h.press("<C-p>inbox<Enter>");
    assert_eq!(h.app.screen, ScreenId::Inbox);
    h.press("<C-p>form.save");
    assert!(h.screen().contains("(available in an edit form)"));
    h.press("<Enter>");
    assert!(h.screen().contains("Save: available in an edit form"));
}

#[test]
fn help_is_generated_and_searchable() {
    let db = fresh_db();
    let mut h = harness(
        &db,
        HarnessOptions {
            lang: Lang::En,
            ..Default::default()
        },
    );
    h.press("?");
    let all = h.screen();
    assert!(all.contains("Export CSV") && all.contains("Ledger:"));
    h.press("/sort");
    let filtered = h.screen();
    assert!(
        filtered.contains("Sort column") && !filtered.contains("Export CSV"),
        "{filtered}"
    );
    h.press("<Enter>q");
    assert!(h.app.overlays.is_empty());
}

#[test]
fn a_keymap_file_with_three_mistakes_gives_three_messages_and_the_app_runs() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("keymap.toml");
    std::fs::write(
        &path,
        "[list]\nbindings = [\n  { keys = [\"j\"], command = \"list.down\" },\n  { keys = [\"j\"], command = \"list.up\" },\n  { keys = [\"k\"], command = \"lst.up\" },\n  { keys = [\"Entr\"], command = \"list.open\" },\n]\n",
    )
    .unwrap();
    let loaded = keymap_files::load(Some(&path), false, &daicho::tui::commands::is_known);
    assert_eq!(loaded.messages.len(), 3, "{:#?}", loaded.messages);
    let file = path.display().to_string();
    assert!(
        loaded.messages[0].starts_with(&format!("{file}:4:")),
        "{}",
        loaded.messages[0]
    );
    assert!(
        loaded
            .messages
            .iter()
            .any(|m| m.contains(":5:") && m.contains("lst.up"))
    );
    assert!(
        loaded
            .messages
            .iter()
            .any(|m| m.contains(":6:") && m.contains("Entr"))
    );
    // The good binding still applies on top of the defaults.
    let j = daicho::tui::keymap::parse_sequence("j").unwrap();
    assert!(matches!(
        loaded.keymap.lookup(&["list"], &j),
        daicho::tui::keymap::Lookup::Command("list.down")
    ));
}

#[test]
fn export_writes_the_filtered_list_as_excel_csv() {
    let db = fresh_db();
    let mut h = harness(&db, HarnessOptions::default());
    h.press("/ケア<Enter>x<Enter>");
    let asked = h.screen();
    assert!(
        asked.contains("保存先:") && asked.contains("daicho-ledger-"),
        "x asks where to write:\n{asked}"
    );
    h.press("<Enter>");
    let files: Vec<_> = std::fs::read_dir(&h.export_dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".csv"))
        .collect();
    assert_eq!(files.len(), 1, "{}", h.screen());
    let bytes = std::fs::read(files[0].path()).unwrap();
    assert!(bytes.starts_with("\u{feff}事業所番号,".as_bytes()));
    let text = String::from_utf8(bytes).unwrap();
    assert_eq!(text.lines().count() - 1, count_in_store(&db, "ケア"));
    assert!(text.contains("\r\n"));
}

#[test]
fn reveal_needs_a_reason_is_logged_and_expires() {
    let db = fresh_db();
    let mut h = harness(&db, HarnessOptions::default());
    h.press("<Enter>]]]");
    let masked = h.screen();
    assert!(masked.contains("＊＊"), "{masked}");
    h.press("r<Enter>");
    let refused = h.screen();
    assert!(
        refused.contains("表示する理由を入力してください"),
        "empty reason refused: {refused}"
    );
    assert!(
        h.app.overlay::<ReasonPrompt<dyn Host>>().is_some(),
        "the prompt stays open with the error in it"
    );
    h.press("<Down><Enter>");
    let shown = h.screen();
    assert!(shown.contains("個人情報を表示中"), "{shown}");
    assert!(
        !shown.lines().skip(4).take(6).any(|l| l.contains("＊＊")),
        "{shown}"
    );
    let id = h.app.ledger().detail_id.unwrap().to_string();
    let store = Store::open(&db.path).unwrap();
    let log =
        daicho::store::audit::for_object(store.conn_for_tests(), "facility", &id, 10).unwrap();
    assert_eq!(log[0].entry.action, "pii.reveal");
    assert_eq!(
        log[0].entry.reason,
        daicho::tui::overlay::prompt::REVEAL_REASONS[0]
    );
    // After the grant's time the masks come back on the next tick.
    let later = chrono::Utc::now() + chrono::Duration::minutes(16);
    h.app.tick(std::time::Instant::now(), later);
    assert!(h.screen().contains("＊＊"));
}

#[test]
fn a_viewer_cannot_reveal() {
    let db = fresh_db();
    let mut h = harness_as(&db, daicho::domain::permission::Role::Viewer);
    h.press("<Enter>]]]r");
    assert!(h.app.overlays.is_empty());
    let screen = h.screen();
    assert!(
        screen.contains("閲覧権限では個人情報を表示できません（審査・決裁権限なら可）")
            && !screen.contains("変更できません"),
        "{screen}"
    );
}

#[test]
fn the_session_locks_when_idle_and_unlocks_only_with_the_password() {
    let db = fresh_db();
    let mut h = harness(&db, HarnessOptions::default());
    h.app.idle_lock = Some(std::time::Duration::from_secs(60));
    h.app.last_input = std::time::Instant::now() - std::time::Duration::from_secs(61);
    h.send(Msg::Tick);
    let locked = h.screen();
    assert!(
        locked.contains("ロック中") && !locked.contains("事業所番号"),
        "no data on a locked screen:\n{locked}"
    );
    h.press("wrong-password<Enter>");
    let refused = h.screen();
    assert!(
        refused.contains("パスワードが違います。")
            && refused.contains("パスワードが違います。ロックまであと4回です")
            && !refused.contains("wrong password"),
        "{refused}"
    );
    assert!(h.app.lock.is_some());
    h.press("approver-demo<Enter>");
    assert!(h.app.lock.is_none(), "{}", h.screen());
    assert!(h.screen().contains("事業所番号"));
    h.press("<C-l>");
    assert!(h.app.lock.is_some(), "C-l locks at once");
}

#[test]
fn an_insured_person_is_masked_until_revealed_with_a_reason() {
    let db = fresh_db();
    let mut h = harness(&db, HarnessOptions::default());
    h.press("3");
    let masked = h.screen();
    let first_row = masked.lines().nth(4).unwrap().to_string();
    assert!(first_row.contains("＊＊"), "{first_row}");
    h.press("r事務処理の確認<Enter>");
    let shown = h.screen();
    let row = shown.lines().nth(4).unwrap();
    assert!(!row.contains("＊＊"), "{row}");
    let id = h.app.screen_ref::<ConsentScreen>().list.rows[0]
        .id
        .to_string();
    let store = Store::open(&db.path).unwrap();
    let log = daicho::store::audit::for_object(store.conn_for_tests(), "consent", &id, 5).unwrap();
    assert_eq!(
        (log[0].entry.action.as_str(), log[0].entry.reason.as_str()),
        ("pii.reveal", "事務処理の確認")
    );
}

#[test]
fn filter_menu_narrows_by_service_status_and_expiry() {
    let db = fresh_db();
    let mut h = harness(&db, HarnessOptions::default());
    let total = h.app.ledger().total.unwrap();
    // First service type in the menu (after "all").
    h.press("f<Down><Enter>");
    let by_service = h.app.ledger().total.unwrap();
    assert!(
        by_service > 0 && by_service < total,
        "{by_service} of {total}"
    );
    h.press("F");
    assert_eq!(h.app.ledger().total, Some(total));
    let items = |h: &daicho::tui::testing::Harness| {
        h.app
            .overlay::<Menu<dyn Host>>()
            .map(|m| m.labels())
            .unwrap_or_default()
    };
    h.press("f");
    let labels = items(&h);
    let six = labels.iter().position(|l| l.contains("6か月以内")).unwrap();
    h.press(&"<Down>".repeat(six));
    h.press("<Enter>");
    let expiring6 = h.app.ledger().total.unwrap();
    let store = Store::open(&db.path).unwrap();
    let q = daicho::store::dashboard::expiring_query(daicho::tui::testing::test_today(), 6);
    assert_eq!(
        expiring6,
        facilities::count(store.conn_for_tests(), &q, 1_000_000).unwrap()
    );
    assert!(h.screen().contains("絞込: 有効期限が次の日まで"));
}

/// Puts the inbox cursor back on application `id` (the list reloads after each step).
fn reselect(h: &mut daicho::tui::testing::Harness, id: i64) {
    h.app.screen_mut::<InboxScreen>().list.selected = h
        .app
        .screen_mut::<InboxScreen>()
        .list
        .rows
        .iter()
        .position(|a| a.id == id)
        .unwrap();
}

fn select_application(
    h: &mut daicho::tui::testing::Harness,
    pred: impl Fn(&daicho::domain::inbox::InboxRow) -> bool,
) -> i64 {
    let i = h
        .app
        .screen_ref::<InboxScreen>()
        .list
        .rows
        .iter()
        .position(pred)
        .expect("a matching application in the demo data");
    h.app.screen_mut::<InboxScreen>().list.selected = i;
    h.app.screen_mut::<InboxScreen>().list.rows[i].id
}

#[test]
fn inbox_review_return_and_decide_follow_roles_and_the_workflow() {
    use daicho::domain::application::ApplicationStatus::*;
    let db = fresh_db();
    let mut reviewer = harness_as(&db, daicho::domain::permission::Role::Reviewer);
    reviewer.press("2");
    let id = select_application(&mut reviewer, |a| a.status == Accepted);
    reviewer.press("v");
    let row = reviewer
        .app
        .screen_ref::<InboxScreen>()
        .list
        .rows
        .iter()
        .find(|a| a.id == id)
        .unwrap()
        .clone();
    assert_eq!(
        (row.status, row.reviewed_by.as_deref()),
        (UnderReview, Some("demo-reviewer"))
    );
    // Deciding is not a reviewer's step.
    reviewer.press("A");
    assert!(
        reviewer.screen().contains("決裁権限がありません"),
        "{}",
        reviewer.screen()
    );
    // Returning asks for a reason first.
    reselect(&mut reviewer, id);
    reviewer.press("b<Enter>");
    let refused = reviewer.screen();
    assert!(
        refused.contains("差戻しの理由を入力してください") && !refused.contains("inbox:"),
        "{refused}"
    );
    assert!(reviewer.app.overlay::<ReasonPrompt<dyn Host>>().is_some());
    reviewer.press("<Down><Enter>");
    let row = reviewer
        .app
        .screen_ref::<InboxScreen>()
        .list
        .rows
        .iter()
        .find(|a| a.id == id)
        .unwrap()
        .clone();
    assert_eq!(row.status, Returned);
    // An approver who neither keyed nor reviewed a case under review decides it.
    let mut approver = harness(&db, HarnessOptions::default());
    approver.press("2");
    let other = select_application(&mut approver, |a| {
        a.status == UnderReview
            && a.keyed_by != "demo-approver"
            && a.reviewed_by.as_deref() != Some("demo-approver")
    });
    // Deciding needs the open case: the dialog lists what the ledger will get.
    approver.press("A");
    assert!(
        approver.screen().contains("Enter で案件を開き"),
        "{}",
        approver.screen()
    );
    approver.press("<Enter>A");
    let ask = approver.screen();
    assert!(
        ask.contains("を決定します") && ask.contains("「審査中」から「決定」に変わり"),
        "deciding asks first and says what happens:\n{ask}"
    );
    approver.press("n");
    let still = approver
        .app
        .screen_ref::<InboxScreen>()
        .list
        .rows
        .iter()
        .find(|a| a.id == other)
        .unwrap();
    assert_eq!(still.status, UnderReview, "n decides nothing");
    approver.press("Ay");
    let row = approver
        .app
        .screen_ref::<InboxScreen>()
        .list
        .rows
        .iter()
        .find(|a| a.id == other)
        .unwrap()
        .clone();
    assert_eq!(row.status, Decided, "{}", approver.screen());
    let store = Store::open(&db.path).unwrap();
    let log =
        daicho::store::audit::for_object(store.conn_for_tests(), "application", &id.to_string(), 5)
            .unwrap();
    assert_eq!(log[0].entry.action, "application.returned");
    assert_eq!(log[0].entry.reason, "添付書類が不足しています");
}

#[test]
fn walking_the_whole_list_by_keyset_pages_visits_every_row_once_in_order() {
    let db = fresh_db();
    let mut h = harness(&db, HarnessOptions::default());
    h.press("s<Home>"); // by kana: a different index than the default; from its top
    assert!(h.screen().contains("名称(カナ順)"));
    let store = Store::open(&db.path).unwrap();
    let q = h.app.ledger().query.clone();
    let all: Vec<i64> = facilities::page(
        store.conn_for_tests(),
        &q,
        None,
        facilities::Direction::Forward,
        10_000,
    )
    .unwrap()
    .into_iter()
    .map(|(_, r)| r.id)
    .collect();
    assert_eq!(all.len(), 366);
    let mut down = vec![h.app.ledger().selected_row().unwrap().id];
    for _ in 1..all.len() {
        h.press("<Down>");
        down.push(h.app.ledger().selected_row().unwrap().id);
    }
    assert_eq!(down, all, "Down through the list");
    h.press("<Down>");
    assert_eq!(
        h.app.ledger().selected_row().unwrap().id,
        *all.last().unwrap(),
        "stops at the end"
    );
    let mut up = vec![h.app.ledger().selected_row().unwrap().id];
    for _ in 1..all.len() {
        h.press("<Up>");
        up.push(h.app.ledger().selected_row().unwrap().id);
    }
    up.reverse();
    assert_eq!(up, all, "Up through the list");
    // Jumps: End, then pages up past the loaded buffer, then Home.
    h.press("<End>");
    assert_eq!(
        h.app.ledger().selected_row().unwrap().id,
        *all.last().unwrap()
    );
    for _ in 0..8 {
        h.press("<PageUp>");
    }
    let at = h.app.ledger().selected_row().unwrap().id;
    let pos = all.iter().position(|x| *x == at).unwrap();
    assert!(
        pos < all.len() - 8 * 10,
        "paged up past the first fetched page (at {pos})"
    );
    h.press("<Home>");
    assert_eq!(h.app.ledger().selected_row().unwrap().id, all[0]);
}

#[test]
fn reapplying_after_a_conflict_keeps_the_colleague_s_other_fields() {
    let db = fresh_db();
    let mut alice = harness(&db, HarnessOptions::default());
    let mut bob = harness(&db, HarnessOptions::default());
    // Alice edits the fax (field 7), Bob the phone (field 6).
    alice.press("<Down><Enter>e<Tab><Tab><Tab><Tab><Tab><Tab>");
    clear_field(&mut alice);
    alice.press("03-7777-7777");
    bob.press("<Down><Enter>e<Tab><Tab><Tab><Tab><Tab>");
    clear_field(&mut bob);
    bob.press("03-2222-2222<C-s>");
    alice.press("<C-s>");
    assert_eq!(alice.app.ledger().mode, LedgerMode::Conflict);
    assert!(alice.screen().contains("＊FAX"), "{}", alice.screen());
    alice.press("<Enter><C-s>");
    let screen = alice.screen();
    assert_eq!(alice.app.ledger().mode, LedgerMode::Detail, "{screen}");
    let id = alice.app.ledger().detail_id.unwrap();
    let stored = facilities::get(Store::open(&db.path).unwrap().conn_for_tests(), id)
        .unwrap()
        .unwrap();
    assert_eq!(
        stored.fields.phone, "03-2222-2222",
        "Bob's phone survives Alice's reapply"
    );
    assert_eq!(stored.fields.fax, "03-7777-7777");
}

#[test]
fn a_demoted_user_loses_write_rights_without_logging_out() {
    let db = fresh_db();
    let mut h = harness_as(&db, daicho::domain::permission::Role::Reviewer);
    h.press("<Down><Enter>e");
    h.press("x");
    {
        let mut store = Store::open(&db.path).unwrap();
        store
            .write(|tx| {
                daicho::store::users::set_role(
                    tx,
                    "demo-reviewer",
                    daicho::domain::permission::Role::Viewer,
                )
            })
            .unwrap();
    }
    h.press("<C-s>");
    assert!(
        h.screen().contains("閲覧権限では変更できません"),
        "{}",
        h.screen()
    );
}

#[test]
fn pasting_into_the_search_line_searches() {
    let db = fresh_db();
    let mut h = harness(&db, HarnessOptions::default());
    h.press("/");
    h.send(Msg::Paste("ケア".into()));
    assert_eq!(h.app.ledger().total, Some(count_in_store(&db, "ケア")));
    // A paste on the lock screen is ignored (no pasted passwords).
    h.press("<Enter><C-l>");
    h.send(Msg::Paste("approver-demo".into()));
    h.press("<Enter>");
    assert!(h.app.lock.is_some());
}

#[test]
fn edit_then_escape_does_not_open_the_form_later() {
    let db = fresh_db();
    let mut h = harness(&db, HarnessOptions::default());
    // `e` on a list row asks for the detail first; Esc before it arrives cancels.
    h.app.ledger_mut().pending_edit = true;
    h.press("<Esc>");
    h.press("<Enter>");
    assert_eq!(h.app.ledger().mode, LedgerMode::Detail);
}

#[test]
fn the_lock_screen_can_always_be_left() {
    let db = fresh_db();
    let mut h = harness(&db, HarnessOptions::default());
    h.press("<C-l>");
    assert!(h.screen().contains("C-q"));
    h.press("<C-q>");
    assert!(h.app.quit);
}

#[test]
fn changing_the_sort_shows_the_new_order_from_its_first_row() {
    let db = fresh_db();
    let mut h = harness(&db, HarnessOptions::default());
    h.press(&"<Down>".repeat(100));
    let store = Store::open(&db.path).unwrap();
    for keys in ["s", "S", "s", "s"] {
        h.press(keys);
        // The facility was far down: the list starts at the top of the new order.
        let first = facilities::page(
            store.conn_for_tests(),
            &h.app.ledger().query,
            None,
            facilities::Direction::Forward,
            1,
        )
        .unwrap();
        assert_eq!(
            h.app.ledger().selected_row().unwrap().id,
            first[0].1.id,
            "after {keys}"
        );
    }
    // With a search that excludes everything, the list is empty.
    h.press("/ZZZ-nothing<Enter>");
    h.press("s");
    assert!(h.app.ledger().rows.is_empty());
}

#[test]
fn escape_on_the_conflict_view_asks_before_discarding_my_input() {
    let db = fresh_db();
    let mut alice = harness(&db, HarnessOptions::default());
    let mut bob = harness(&db, HarnessOptions::default());
    for h in [&mut alice, &mut bob] {
        h.press("<Down><Enter>e<Tab><Tab><Tab><Tab><Tab>");
        clear_field(h);
    }
    alice.press("03-1111-1111<C-s>");
    bob.press("03-2222-2222<C-s>");
    assert_eq!(bob.app.ledger().mode, LedgerMode::Conflict);
    let view = bob.screen();
    assert!(
        view.contains("あなたが別の画面で") && !view.contains("他の職員"),
        "the same staff id elsewhere is not another colleague:\n{view}"
    );
    bob.press("<Esc>");
    assert!(
        bob.screen().contains("変更を破棄しますか"),
        "{}",
        bob.screen()
    );
    bob.press("n");
    assert_eq!(bob.app.ledger().mode, LedgerMode::Conflict, "n keeps it");
    assert!(bob.screen().contains("03-2222-2222"));
    bob.press("<Esc>y");
    assert_eq!(bob.app.ledger().mode, LedgerMode::Detail);
    assert!(bob.app.ledger().edit.is_none());
}

#[test]
fn global_keys_work_inside_the_edit_form() {
    let db = fresh_db();
    let mut h = harness(&db, HarnessOptions::default());
    h.press("<Enter>e<End>qz");
    assert_eq!(h.app.ledger().mode, LedgerMode::Edit);
    let typed = h.app.ledger().edit.as_ref().unwrap().inputs[0]
        .text()
        .to_string();
    assert!(typed.ends_with("qz"), "q and z are typed: {typed}");
    h.press("<F1>");
    assert!(h.app.overlay::<HelpState>().is_some());
    h.press("<Esc><C-p>");
    assert!(h.app.overlay::<PaletteState>().is_some());
    h.press("<Esc><F5>");
    assert_eq!(h.app.ledger().mode, LedgerMode::Edit);
    // C-l locks from the form; the typed text is there after unlocking.
    h.press("<C-l>");
    assert!(h.app.lock.is_some(), "C-l locks from the form");
    h.press("approver-demo<Enter>");
    assert!(h.app.lock.is_none());
    assert_eq!(h.app.ledger().mode, LedgerMode::Edit);
    assert_eq!(
        h.app.ledger().edit.as_ref().unwrap().inputs[0].text(),
        typed
    );
    // C-c asks about the unsaved edit, then quits.
    h.press("<C-c>");
    assert!(h.screen().contains("保存していない編集があります"));
    assert!(!h.app.quit);
    h.press("y");
    assert!(h.app.quit);
    // C-c also works from a dialog and the search line.
    let mut h = harness(&db, HarnessOptions::default());
    h.press("/ケア<C-c>");
    assert!(h.app.quit, "C-c on the search line");
}

#[test]
fn reject_and_result_notice_say_what_will_happen_before_they_act() {
    use daicho::domain::application::ApplicationStatus::*;
    let db = fresh_db();
    let mut h = harness_as(&db, daicho::domain::permission::Role::Reviewer);
    h.press("2O"); // every case, closed ones too: the notified one stays in view
    let decided = select_application(&mut h, |a| a.status == Decided);
    h.press("n");
    let ask = h.screen();
    assert!(
        ask.contains("結果通知を記録します") && ask.contains("「決定」から「結果通知済」"),
        "{ask}"
    );
    h.press("<Esc>");
    reselect(&mut h, decided);
    let inbox = h.app.screen_ref::<InboxScreen>();
    assert_eq!(inbox.list.rows[inbox.list.selected].status, Decided);
    h.press("ny");
    let row = h
        .app
        .screen_mut::<InboxScreen>()
        .list
        .rows
        .iter()
        .find(|a| a.id == decided)
        .unwrap();
    assert_eq!(row.status, Notified);
    // 却下 is a decision: an approver's, never a reviewer's.
    select_application(&mut h, |a| a.status == UnderReview);
    h.press("R");
    assert!(
        !h.screen().contains("を却下します"),
        "a reviewer was offered 却下:\n{}",
        h.screen()
    );
    let mut h = harness_as(&db, daicho::domain::permission::Role::Approver);
    h.press("2");
    select_application(&mut h, |a| a.status == UnderReview);
    h.press("R");
    let ask = h.screen();
    assert!(
        ask.contains("を却下します") && ask.contains("この申請は終わります"),
        "{ask}"
    );
}

#[test]
fn a_wrong_check_digit_is_one_sentence_in_the_ui_language() {
    let db = fresh_db();
    for (lang, want) in [
        (
            Lang::Ja,
            "事業所番号のチェックディジットが違います（正しくは ",
        ),
        (
            Lang::En,
            "the provider number's check digit is wrong (should be ",
        ),
    ] {
        let mut h = harness(
            &db,
            HarnessOptions {
                lang,
                ..Default::default()
            },
        );
        // The ledger's own number is not editable (fixed at designation): the paper
        // intake of a 変更届出 is where staff type one.
        let number = h
            .app
            .ledger()
            .selected_row()
            .unwrap()
            .provider_number
            .clone();
        let last = number.chars().last().unwrap().to_digit(10).unwrap();
        let wrong = format!("{}{}", &number[..9], (last + 1) % 10);
        h.press(&format!(
            "2I<Enter>{wrong}<Tab>株式会社テスト<Tab><Tab>R8.11.20<Tab>新しい事業所名<C-s>y"
        ));
        let screen = h.screen();
        assert!(screen.contains(&format!("{want}{last}")), "{screen}");
        assert!(
            !screen.contains("入力を確認") && !screen.contains("check the input"),
            "{screen}"
        );
    }
    // The service's own message for a refused input: one sentence, no field prefix.
    let mut store = Store::open(&db.path).unwrap();
    let actor = daicho::domain::permission::Actor {
        staff_id: "demo-approver".into(),
        role: daicho::domain::permission::Role::Approver,
    };
    let e =
        daicho::service::privacy::reveal(&mut store, &actor, "facility", "1", " ", 5).unwrap_err();
    assert_eq!(e.message(true), "表示する理由を入力してください");
    assert_eq!(
        e.message(false),
        "a reason is required to reveal personal data"
    );
}

#[test]
fn a_step_someone_took_first_says_who_and_when() {
    use daicho::domain::application::ApplicationStatus::*;
    let db = fresh_db();
    let mut reviewer = harness_as(&db, daicho::domain::permission::Role::Reviewer);
    let mut approver = harness(&db, HarnessOptions::default());
    let mut approver2 = harness(&db, HarnessOptions::default());
    for h in [&mut reviewer, &mut approver, &mut approver2] {
        h.press("2");
    }
    let id = select_application(&mut reviewer, |a| a.status == Decided);
    reselect(&mut approver, id);
    reselect(&mut approver2, id);
    reviewer.press("ny");
    approver.press("ny");
    let told = approver.screen();
    assert!(
        told.contains("demo-reviewer が ")
            && told.contains("にこの申請を先に更新しました（現在: 結果通知済）"),
        "{told}"
    );
    assert!(!told.contains("進められません"), "{told}");
    // The same staff id in another window is "you", not another colleague.
    let id2 = select_application(&mut approver, |a| a.status == Decided);
    reselect(&mut approver2, id2);
    approver.press("ny");
    approver2.press("ny");
    let told = approver2.screen();
    assert!(told.contains("あなたが別の画面で"), "{told}");
}

#[test]
fn export_asks_for_the_path_and_never_overwrites_without_asking() {
    let db = fresh_db();
    let mut h = harness(&db, HarnessOptions::default());
    let dir = h.export_dir.join("exports");
    let target = dir.join("ledger.csv");
    let write_to = |h: &mut daicho::tui::testing::Harness| {
        h.press("x<Enter>");
        match h.app.overlay::<ReasonPrompt<dyn Host>>() {
            Some(p) => {
                assert!(
                    p.input.text().starts_with('/'),
                    "the default is a full path: {}",
                    p.input.text()
                )
            }
            _ => panic!("no path prompt: {}", h.screen()),
        }
        h.press(&"<Backspace>".repeat(300));
        h.press(&target.display().to_string());
        h.press("<Enter>");
    };
    write_to(&mut h);
    assert!(target.exists(), "{}", h.screen());
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&dir).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o700, "a new export folder is private");
    std::fs::write(&target, "mine").unwrap();
    write_to(&mut h);
    let asked = h.screen();
    assert!(
        asked.contains("は既にあります") && asked.contains("上書きしますか"),
        "{asked}"
    );
    h.press("n");
    assert_eq!(
        std::fs::read_to_string(&target).unwrap(),
        "mine",
        "n keeps the file"
    );
    write_to(&mut h);
    h.press("y");
    assert!(
        std::fs::read(&target)
            .unwrap()
            .starts_with("\u{feff}".as_bytes())
    );
    let mut bak = target.as_os_str().to_owned();
    bak.push(".bak");
    assert_eq!(
        std::fs::read_to_string(bak).unwrap(),
        "mine",
        "the old file is kept"
    );
}

#[test]
fn detail_tabs_stop_scrolling_at_their_end_and_the_council_heading_sits_on_its_meetings() {
    let db = fresh_db();
    let mut h = harness(&db, HarnessOptions::default());
    h.press("<Enter>");
    let top = h.screen();
    h.press(&"<Down>".repeat(5));
    assert_eq!(h.screen(), top, "a tab that fits does not scroll away");
    h.press("]]]]");
    let council = h.screen();
    let lines: Vec<&str> = council.lines().collect();
    let heading = lines
        .iter()
        .position(|l| l.contains("開催記録（新しい順）"))
        .unwrap_or_else(|| panic!("{council}"));
    let due = lines.iter().position(|l| l.contains("次回期限"));
    assert!(
        due.is_none_or(|d| d < heading),
        "次回期限 before the heading:\n{council}"
    );
    if let Some(next) = lines.get(heading + 1) {
        assert!(!next.contains("次回期限"), "{council}");
    }
    // A long tab scrolls until its last line is at the bottom, then stops.
    h.press(&"<Down>".repeat(200));
    let bottom = h.screen();
    h.press("<Down>");
    assert_eq!(h.screen(), bottom, "Down past the end changes nothing");
    h.press("<Up>");
    let max = h.app.ledger().detail_scroll + 1;
    assert!(
        max <= 40,
        "the scroll stopped near the end of the tab, not at an arbitrary cap ({max})"
    );
}

#[test]
fn a_job_started_from_the_palette_runs_and_lands_in_the_list() {
    let db = fresh_db();
    let mut h = harness(&db, HarnessOptions::default());
    h.press("5<C-p>job.run_integrity_check<Enter>");
    let status = h
        .app
        .shell
        .status
        .clone()
        .map(|s| s.text)
        .unwrap_or_default();
    assert!(status.starts_with("整合性検査: "), "{status}");
    assert!(h.app.screen_ref::<JobsScreen>().running.is_none());
    let screen = h.screen();
    assert!(
        screen.contains("整合性検査") && screen.contains("成功"),
        "{screen}"
    );
}

#[test]
fn a_job_shows_live_progress_and_cancels_from_its_key() {
    use daicho::domain::job::{JobEvent, JobKind, Progress};
    use daicho::tui::msg::Effect;
    let db = fresh_db();
    let mut h = harness(&db, HarnessOptions::default());
    h.press("5");
    h.app
        .screen_mut::<JobsScreen>()
        .starting(JobKind::VerifyAudit);
    h.send(Msg::Job(JobEvent::Progress {
        job_id: 7,
        kind: JobKind::VerifyAudit,
        progress: Progress {
            done: 450,
            total: 1000,
        },
    }));
    let screen = h.screen();
    let status = screen.lines().last().unwrap_or_default().to_string();
    assert!(
        status.contains("監査ログ検証 実行中 45% (450/1000)"),
        "{screen}"
    );
    // Another job cannot start meanwhile; X asks the runner to stop.
    h.press("i");
    let refused = h
        .app
        .shell
        .status
        .clone()
        .map(|s| s.text)
        .unwrap_or_default();
    assert!(refused.contains("監査ログ検証が実行中です"), "{refused}");
    let fx = h.app.update(Msg::Key(crossterm::event::KeyEvent::new(
        crossterm::event::KeyCode::Char('X'),
        crossterm::event::KeyModifiers::SHIFT,
    )));
    assert!(fx.iter().any(|e| matches!(e, Effect::CancelJob)), "{fx:?}");
}

#[test]
fn a_job_whose_lease_another_process_holds_says_who_and_until_when() {
    let db = fresh_db();
    {
        let store = Store::open(&db.path).unwrap();
        let now = chrono::Utc::now();
        daicho::store::jobs::acquire(
            store.conn_for_tests(),
            "verify-audit",
            "host-b:4242:demo-reviewer",
            "demo-reviewer",
            now,
            chrono::Duration::seconds(120),
            "",
        )
        .unwrap();
    }
    let mut h = harness(&db, HarnessOptions::default());
    h.press("<C-p>job.run_verify_audit<Enter>");
    let status = h
        .app
        .shell
        .status
        .clone()
        .map(|s| s.text)
        .unwrap_or_default();
    assert!(
        status.contains("host-b:4242:demo-reviewer") && status.contains("まで実行権を持っています"),
        "{status}"
    );
    assert!(
        h.app.screen_ref::<JobsScreen>().running.is_none(),
        "the refused run is not shown as running"
    );
}

#[test]
fn a_role_changed_by_an_admin_shows_in_the_header_and_in_what_may_run() {
    let db = fresh_db();
    let mut h = harness(&db, HarnessOptions::default());
    assert!(h.screen().contains("demo-approver (決裁)"));
    {
        let store = Store::open(&db.path).unwrap();
        daicho::store::users::set_role(
            store.conn_for_tests(),
            "demo-approver",
            daicho::domain::permission::Role::Viewer,
        )
        .unwrap();
    }
    // The data worker notices another process's commit.
    h.send(Msg::DbChanged);
    let screen = h.screen();
    assert!(screen.contains("demo-approver (閲覧)"), "{screen}");
    h.press("e");
    let status = h
        .app
        .shell
        .status
        .clone()
        .map(|s| s.text)
        .unwrap_or_default();
    assert!(
        status.starts_with("編集:"),
        "edit is refused for a viewer: {status}"
    );
}

#[test]
fn deadlines_roll_over_when_the_date_changes() {
    let db = fresh_db();
    let mut h = harness(&db, HarnessOptions::default());
    let header = |h: &mut daicho::tui::testing::Harness| {
        h.screen().lines().next().unwrap_or_default().to_string()
    };
    let before = header(&mut h);
    let today = daicho::tui::testing::test_today();
    assert!(h.app.set_today(today).is_empty(), "same day: nothing to do");
    // Two months on: other designations are within three months of expiry.
    let later = today + chrono::Duration::days(61);
    let fx = h.app.set_today(later);
    h.run_effects(fx);
    assert_eq!(h.app.ledger().today, later);
    assert_eq!(h.app.ledger().query.today, Some(later));
    let after = header(&mut h);
    assert_ne!(before, after, "header counts follow the new day");
}

/// `--mouse` captured the mouse and then dropped every event, which only broke the
/// terminal's select-and-copy: it is gone, and asking for it is an error.
#[test]
fn there_is_no_mouse_option_that_only_breaks_copying() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_daicho"))
        .args(["--mouse", "--help"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let help = std::process::Command::new(env!("CARGO_BIN_EXE_daicho"))
        .arg("--help")
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&help.stdout).contains("--mouse"));
}

/// Left/Right in a text field move only the caret: that is a frame to draw (else the
/// terminal cursor, and the IME window with it, stays behind).
#[test]
fn moving_the_caret_in_a_field_redraws_and_moves_the_cursor() {
    let db = fresh_db();
    let mut h = harness(&db, HarnessOptions::default());
    h.press("/ケア");
    h.screen();
    let at_end = h.terminal.get_cursor_position().unwrap();
    for (key, field) in [("<Left>", "search"), ("<Esc><C-p>abc<Left>", "palette")] {
        h.app.shell.dirty = false;
        h.press(key);
        assert!(h.app.shell.dirty, "{field}: caret move not drawn");
    }
    h.press("<Esc>/ケア");
    h.screen();
    h.app.shell.dirty = false;
    h.press("<Left>");
    assert!(h.app.shell.dirty);
    h.screen();
    let moved = h.terminal.get_cursor_position().unwrap();
    assert_eq!(moved.x + 2, at_end.x, "one wide character to the left");
}

/// Keymap problems are reported in the UI language (issue 10): Japanese by default.
#[test]
fn keymap_problems_are_in_the_ui_language() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("keymap.toml");
    std::fs::write(
        &path,
        "[list]\nbindings = [\n  { keys = [\"j\"], command = \"list.down\" },\n  { keys = [\"j\"], command = \"list.up\" },\n  { keys = [\"k\"], command = \"lst.up\" },\n]\n[lst]\nbindings = []\n",
    )
    .unwrap();
    let known = &daicho::tui::commands::is_known;
    let ja = keymap_files::load_in(Lang::Ja, Some(&path), false, known).messages;
    let en = keymap_files::load_in(Lang::En, Some(&path), false, known).messages;
    assert_eq!(ja.len(), 3, "{ja:#?}");
    assert!(
        ja[0].contains("3 行目で \"list.down\" に割り当て済みです"),
        "{ja:#?}"
    );
    assert!(
        ja.iter()
            .any(|m| m.contains("\"lst.up\" というコマンドはありません")),
        "{ja:#?}"
    );
    assert!(
        ja.iter()
            .any(|m| m.contains("[lst] という場面はありません")),
        "{ja:#?}"
    );
    assert!(
        ja.iter()
            .all(|m| !m.contains("unknown") && !m.contains("already")),
        "{ja:#?}"
    );
    assert!(
        en[0].contains("already bound to \"list.down\" at line 3"),
        "{en:#?}"
    );
}
