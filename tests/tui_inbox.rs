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
