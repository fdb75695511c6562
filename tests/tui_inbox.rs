//! The inbox as a reviewer and an approver use it (issue 14): filter overdue, open a
//! 変更届出, see the diff, return it, record the resubmission, review again, and decide
//! as another user after a confirmation that lists the ledger change.

#![allow(clippy::unwrap_used)] // test binary

mod common;

use common::{fresh_db, harness, harness_as};
use daicho::domain::application::{ApplicationKind, ApplicationStatus::*};
use daicho::domain::permission::Role;
use daicho::store::Store;
use daicho::tui::screens::inbox::InboxScreen;
use daicho::tui::testing::{Harness, HarnessOptions};

fn inbox(h: &Harness) -> &InboxScreen {
    h.app.screen_ref::<InboxScreen>()
}

/// Moves the list cursor to case `id` and opens it.
fn open(h: &mut Harness, id: i64) {
    let i = inbox(h).list.rows.iter().position(|r| r.id == id).unwrap();
    h.app.screen_mut::<InboxScreen>().list.selected = i;
    h.press("<Enter>");
    assert_eq!(inbox(h).case.as_ref().map(|c| c.row.id), Some(id));
}

#[test]
fn a_change_notice_goes_from_review_to_the_ledger_through_the_case_view() {
    let db = fresh_db();
    let mut rev = harness_as(&db, Role::Reviewer);
    rev.press("2o");
    let rows = &inbox(&rev).list.rows;
    assert!(
        !rows.is_empty() && rows.iter().all(|r| r.overdue),
        "overdue filter"
    );
    assert!(rev.screen().contains("絞込: 処理期限超過、未完了"));
    rev.press("o");
    let case = inbox(&rev)
        .list
        .rows
        .iter()
        .find(|r| {
            r.kind == ApplicationKind::Change
                && r.status == UnderReview
                && r.keyed_by != "demo-approver"
                && r.reviewed_by.as_deref() != Some("demo-approver")
        })
        .cloned()
        .expect("a 変更届出 under review in the demo data");
    open(&mut rev, case.id);
    let (field, requested) = {
        let d = inbox(&rev).case.as_ref().unwrap();
        let line = d.diff.first().expect("a change notice has a diff").clone();
        (line.field, line.requested)
    };
    let screen = rev.screen();
    assert!(
        screen.contains("変更内容") && screen.contains("必要書類"),
        "{screen}"
    );
    // Return with a reason (a preset), then record the resubmission, then review again.
    rev.press("b<Down><Enter>");
    assert_eq!(inbox(&rev).case.as_ref().unwrap().row.status, Returned);
    rev.press("p");
    assert_eq!(inbox(&rev).case.as_ref().unwrap().row.status, Resubmitted);
    rev.press("v");
    assert_eq!(inbox(&rev).case.as_ref().unwrap().row.status, UnderReview);
    assert!(
        rev.screen().contains("再提出"),
        "history shows the resubmission"
    );
    // A reviewer cannot decide.
    rev.press("A");
    assert!(!rev.screen().contains("を決定します"));

    let mut appr = harness(&db, HarnessOptions::default());
    appr.press("2");
    open(&mut appr, case.id);
    appr.press("A");
    let ask = appr.screen();
    assert!(
        ask.contains("を決定します") && ask.contains("台帳の変更:"),
        "{ask}"
    );
    appr.press("n");
    assert_eq!(inbox(&appr).case.as_ref().unwrap().row.status, UnderReview);
    appr.press("Ay");
    assert_eq!(inbox(&appr).case.as_ref().unwrap().row.status, Decided);
    let store = Store::open(&db.path).unwrap();
    let f = daicho::store::facilities::get(store.conn_for_tests(), case.facility_id.unwrap())
        .unwrap()
        .unwrap();
    assert_eq!(
        f.fields.get(&field),
        requested,
        "the ledger holds the request"
    );
}

#[test]
fn next_and_previous_case_stay_in_the_case_view_and_esc_returns_to_the_list() {
    let db = fresh_db();
    let mut h = harness(&db, HarnessOptions::default());
    h.press("2<Enter>");
    let first = inbox(&h).case.as_ref().unwrap().row.id;
    h.press("]");
    let second = inbox(&h).case.as_ref().unwrap().row.id;
    assert_ne!(first, second);
    assert_eq!(inbox(&h).list.rows[1].id, second);
    h.press("[");
    assert_eq!(inbox(&h).case.as_ref().unwrap().row.id, first);
    h.press("<Esc>");
    assert!(inbox(&h).case.is_none());
    assert!(h.screen().contains("処理期限"));
}

#[test]
fn a_decided_case_says_the_ledger_already_changed_instead_of_previewing() {
    let db = fresh_db();
    let mut h = harness(&db, HarnessOptions::default());
    h.press("2");
    let decided = inbox(&h)
        .list
        .rows
        .iter()
        .find(|r| r.status == Decided)
        .map(|r| r.id)
        .expect("a decided case in the demo data");
    open(&mut h, decided);
    let screen = h.screen();
    assert!(
        screen.contains("台帳へ反映済み") && !screen.contains("決定すると台帳は"),
        "{screen}"
    );
}

/// `/` narrows the list to one facility by number (the ledger's normalisation: full-width
/// digits match), the filter line says so with the count, and Esc shows every case again.
#[test]
fn search_finds_a_facilitys_cases_by_its_number_and_esc_clears_it() {
    let db = fresh_db();
    let mut h = harness(&db, HarnessOptions::default());
    h.press("2");
    let all = inbox(&h).page.total;
    let number = inbox(&h).list.rows[0].provider_number.clone();
    let wide: String = number
        .chars()
        .map(|c| char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap())
        .collect();
    h.press(&format!("/{wide}<Enter>"));
    let rows = inbox(&h).list.rows.clone();
    assert!(!rows.is_empty() && rows.iter().all(|r| r.provider_number == number));
    let shown = h.screen();
    assert!(shown.contains(&format!("検索「{wide}」")), "{shown}");
    assert!(
        shown.contains(&format!("{}件の申請・届出", rows.len())),
        "{shown}"
    );
    assert!(inbox(&h).page.total < all);
    h.press("<Esc>");
    assert_eq!(inbox(&h).page.total, all);
    assert!(inbox(&h).query.search.is_empty());
}

fn search_snapshot(lang: daicho::i18n::Lang, name: &str) {
    let db = fresh_db();
    let mut h = harness(
        &db,
        HarnessOptions {
            lang,
            ..Default::default()
        },
    );
    h.press("2/ケア<Enter>");
    insta::assert_snapshot!(name, h.screen());
}

#[test]
fn search_view_ja() {
    search_snapshot(daicho::i18n::Lang::Ja, "inbox_search_ja");
}

#[test]
fn search_view_en() {
    search_snapshot(daicho::i18n::Lang::En, "inbox_search_en");
}

/// `x` writes every case the filters match (not only one page) as CSV, asks before
/// replacing a file and keeps the old one as `.bak`; the file is owner-only.
#[test]
fn export_writes_the_filtered_cases_and_never_overwrites_without_asking() {
    use daicho::tui::overlay::prompt::ReasonPrompt;
    use daicho::tui::screen::Host;
    use std::os::unix::fs::PermissionsExt;
    let db = fresh_db();
    let mut h = harness(&db, HarnessOptions::default());
    h.press("2o");
    let expected = inbox(&h).page.total;
    assert!(expected > 0);
    let target = h.export_dir.join("inbox").join("overdue.csv");
    let write_to = |h: &mut Harness| {
        h.press("x<Enter>");
        match h.app.overlay::<ReasonPrompt<dyn Host>>() {
            Some(p) => assert!(p.input.text().contains("daicho-inbox-")),
            None => panic!("no path prompt: {}", h.screen()),
        }
        h.press(&"<Backspace>".repeat(300));
        h.press(&target.display().to_string());
        h.press("<Enter>");
    };
    write_to(&mut h);
    let text = std::fs::read_to_string(&target).unwrap();
    assert!(
        text.starts_with("\u{feff}案件番号,外部ID,種類,状態"),
        "{text}"
    );
    assert_eq!(text.lines().count() - 1, expected);
    assert!(text.lines().skip(1).all(|l| l.contains(",はい,")));
    let mode = std::fs::metadata(&target).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    assert!(h.screen().contains("CSVを書き出しました"), "{}", h.screen());
    std::fs::write(&target, "mine").unwrap();
    write_to(&mut h);
    assert!(h.screen().contains("上書きしますか"), "{}", h.screen());
    h.press("n");
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "mine");
    write_to(&mut h);
    h.press("y");
    assert!(
        std::fs::read_to_string(&target)
            .unwrap()
            .contains("案件番号")
    );
    let mut bak = target.as_os_str().to_owned();
    bak.push(".bak");
    assert_eq!(std::fs::read_to_string(bak).unwrap(), "mine");
}

/// An open case of the demo data that a reviewer works on (under review).
fn reviewing(h: &Harness) -> i64 {
    inbox(h)
        .list
        .rows
        .iter()
        .find(|r| r.status == UnderReview)
        .map(|r| r.id)
        .expect("a case under review in the demo data")
}

fn menu_labels(h: &Harness) -> Vec<String> {
    use daicho::tui::overlay::menu::Menu;
    use daicho::tui::screen::Host;
    h.app
        .overlay::<Menu<dyn Host>>()
        .map(|m| m.labels())
        .unwrap_or_default()
}

/// `T` lists the reviewers and approvers (the current one marked) and "clear"; picking
/// one assigns the case, and the last item takes the assignee off again.
#[test]
fn assign_picks_another_reviewer_and_clears_the_assignee() {
    let db = fresh_db();
    let mut h = harness_as(&db, Role::Reviewer);
    h.press("2");
    let id = reviewing(&h);
    open(&mut h, id);
    h.press("T");
    let labels = menu_labels(&h);
    let at = labels
        .iter()
        .position(|l| l.starts_with("demo-approver"))
        .unwrap_or_else(|| panic!("approver offered: {labels:?}"));
    assert!(labels.iter().all(|l| !l.starts_with("demo-admin")));
    h.press(&"<Down>".repeat(at));
    h.press("<Enter>");
    let row = &inbox(&h).case.as_ref().unwrap().row;
    assert_eq!(row.assignee.as_deref(), Some("demo-approver"));
    assert!(h.screen().contains("担当 demo-approver"), "{}", h.screen());
    h.press("T");
    let labels = menu_labels(&h);
    assert!(labels[at].contains("（現在の担当）"), "{labels:?}");
    assert_eq!(labels.last().map(String::as_str), Some("担当を外す"));
    h.press("<End><Enter>");
    assert_eq!(inbox(&h).case.as_ref().unwrap().row.assignee, None);
}

/// `N` adds a note with who/when; an empty note is refused inside the box.
#[test]
fn a_note_is_added_to_the_thread_and_an_empty_one_is_refused() {
    let db = fresh_db();
    let mut h = harness_as(&db, Role::Reviewer);
    h.press("2");
    let id = reviewing(&h);
    open(&mut h, id);
    let before = inbox(&h).case.as_ref().unwrap().notes.len();
    h.press("N<Enter>");
    assert!(h.screen().contains("メモが空です"), "{}", h.screen());
    h.press("人員配置表の原本を電話で確認済み<Enter>");
    let notes = &inbox(&h).case.as_ref().unwrap().notes;
    assert_eq!(notes.len(), before + 1);
    let last = notes
        .iter()
        .find(|n| n.body.contains("原本を電話で"))
        .unwrap();
    assert_eq!(last.actor, "demo-reviewer");
    assert!(h.screen().contains("メモを追加しました"), "{}", h.screen());
}

/// `d` marks a missing document received (today offered, editable, a wrong date refused
/// in the box) and takes a received one back to missing after asking.
#[test]
fn documents_are_marked_received_with_a_date_and_back_to_missing() {
    let db = fresh_db();
    let mut h = harness_as(&db, Role::Reviewer);
    h.press("2");
    let id = inbox(&h)
        .list
        .rows
        .iter()
        .find(|r| r.status.is_open())
        .map(|r| r.id)
        .unwrap();
    open(&mut h, id);
    let docs = inbox(&h).case.as_ref().unwrap().documents.clone();
    assert!(!docs.is_empty());
    let code = docs[0].document.code;
    if docs[0].received_on.is_some() {
        h.press("d<Enter><Down><Enter>y");
        let d = inbox(&h).case.as_ref().unwrap().documents[0].clone();
        assert_eq!(d.received_on, None);
    }
    h.press("d<Enter>");
    assert!(h.screen().contains("2026-11-25"), "today is offered");
    h.press(&"<Backspace>".repeat(20));
    h.press("11月<Enter>");
    assert!(
        h.screen().contains("日付として読めません"),
        "{}",
        h.screen()
    );
    h.press(&"<Backspace>".repeat(20));
    h.press("R8.11.20<Enter>");
    let d = &inbox(&h).case.as_ref().unwrap().documents[0];
    assert_eq!(d.document.code, code);
    assert_eq!(
        d.received_on.map(|d| d.to_string()).as_deref(),
        Some("2026-11-20")
    );
    // Back to missing asks first; "n" keeps it.
    h.press("d<Enter><Down><Enter>");
    assert!(h.screen().contains("未着に戻します"), "{}", h.screen());
    h.press("n");
    assert!(
        inbox(&h).case.as_ref().unwrap().documents[0]
            .received_on
            .is_some()
    );
}

/// `L` on a returned case writes the 差戻し letter beside the ledger's exports, shows
/// the path, lists it on the case, and a second letter never replaces the first.
#[test]
fn a_returned_case_gets_its_letter_listed_on_the_case() {
    let db = fresh_db();
    let mut h = harness_as(&db, Role::Reviewer);
    h.press("2");
    let id = reviewing(&h);
    open(&mut h, id);
    h.press("L");
    assert!(
        inbox(&h).case.as_ref().unwrap().letters.is_empty(),
        "refused before a decision"
    );
    h.press("b<Down><Enter>");
    assert_eq!(inbox(&h).case.as_ref().unwrap().row.status, Returned);
    h.press("L");
    let letters = inbox(&h).case.as_ref().unwrap().letters.clone();
    assert_eq!(letters.len(), 1);
    let html = std::path::PathBuf::from(&letters[0].html_path);
    assert!(html.starts_with(&h.export_dir), "{html:?}");
    let text = std::fs::read_to_string(&html).unwrap();
    assert!(text.contains("差戻し通知書"), "{text}");
    let status = h.app.shell.status.as_ref().map(|s| s.text.clone());
    assert!(
        status.as_deref().is_some_and(
            |s| s.contains("通知書を書き出しました") && s.contains(&html.display().to_string())
        ),
        "{status:?}"
    );
    h.press("L");
    let letters = inbox(&h).case.as_ref().unwrap().letters.clone();
    assert_eq!(letters.len(), 2);
    assert_ne!(letters[0].html_path, letters[1].html_path);
    h.press(&"<PageDown>".repeat(5));
    assert!(h.screen().contains("差戻し通知書"), "{}", h.screen());
}

fn work_snapshot(lang: daicho::i18n::Lang, keys: &str, name: &str) {
    let db = fresh_db();
    let mut h = harness(
        &db,
        HarnessOptions {
            lang,
            role: Role::Reviewer,
            ..Default::default()
        },
    );
    h.press("2");
    let id = reviewing(&h);
    open(&mut h, id);
    h.press(keys);
    insta::assert_snapshot!(name, h.screen());
}

#[test]
fn assign_menu_ja() {
    work_snapshot(daicho::i18n::Lang::Ja, "T", "inbox_assign_ja");
}

#[test]
fn assign_menu_en() {
    work_snapshot(daicho::i18n::Lang::En, "T", "inbox_assign_en");
}

#[test]
fn note_entry_ja() {
    work_snapshot(daicho::i18n::Lang::Ja, "N<Enter>", "inbox_note_ja");
}

#[test]
fn note_entry_en() {
    work_snapshot(daicho::i18n::Lang::En, "N<Enter>", "inbox_note_en");
}

#[test]
fn document_menu_ja() {
    work_snapshot(daicho::i18n::Lang::Ja, "d", "inbox_documents_ja");
}

#[test]
fn document_menu_en() {
    work_snapshot(daicho::i18n::Lang::En, "d", "inbox_documents_en");
}
