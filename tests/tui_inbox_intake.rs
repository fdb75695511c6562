//! Paper intake (紙) from the inbox (issue 14): choose the kind, key the form, see the
//! ledger editor's messages under the fields, confirm what will be registered, and the
//! new case opens.

#![allow(clippy::unwrap_used)] // test binary

mod common;

use common::{fresh_db, harness, harness_as};
use daicho::domain::application::{ApplicationKind, ApplicationSource, ApplicationStatus};
use daicho::domain::permission::Role;
use daicho::tui::screens::inbox::InboxScreen;
use daicho::tui::testing::{Harness, HarnessOptions};

fn inbox(h: &Harness) -> &InboxScreen {
    h.app.screen_ref::<InboxScreen>()
}

/// A facility number from the inbox list (a facility in the ledger).
fn some_number(h: &Harness) -> String {
    inbox(h)
        .list
        .rows
        .iter()
        .find(|r| r.facility_id.is_some() && !r.provider_number.is_empty())
        .map(|r| r.provider_number.clone())
        .unwrap()
}

fn clear(h: &mut Harness) {
    h.press(&"<Backspace>".repeat(40));
}

#[test]
fn a_paper_change_notice_is_checked_confirmed_and_opens_as_a_case() {
    let db = fresh_db();
    let mut h = harness_as(&db, Role::Reviewer);
    h.press("2");
    let number = some_number(&h);
    h.press("I<Enter>");
    assert!(inbox(&h).intake.is_some(), "{}", h.screen());
    assert!(
        h.screen().contains("紙の申請を受付: 変更届出"),
        "{}",
        h.screen()
    );
    // Nothing typed: the required fields say so, under each.
    h.press("<C-s>");
    let screen = h.screen();
    assert!(screen.contains("事業所番号を入力してください"), "{screen}");
    assert!(screen.contains("変更日が日付として読めません"), "{screen}");
    assert!(!screen.contains("よろしいですか"));
    // Fill it in (the received date is today already); a bad postal code comes back
    // from the service's ledger check under its field, the form kept.
    h.press("<Home>");
    let f = |h: &Harness| inbox(h).intake.as_ref().unwrap().at;
    while f(&h) != 0 {
        h.press("<Up>");
    }
    h.press(&number);
    h.press("<Tab>株式会社かみの届<Tab><Tab>R8.11.20<Tab><Tab><Tab>12");
    h.press("<C-s>");
    assert!(h.screen().contains("よろしいですか"), "{}", h.screen());
    h.press("y");
    let form = inbox(&h).intake.as_ref().expect("the form stays open");
    let postal = form.fields.iter().find(|x| x.key == "postal_code").unwrap();
    assert!(postal.error.is_some(), "{}", h.screen());
    assert!(h.screen().contains("郵便番号"), "{}", h.screen());
    // Correct it and register.
    clear(&mut h);
    h.press("160-0022<C-s>");
    let confirm = h.screen();
    assert!(
        confirm.contains("紙の「変更届出」を受付として登録します") && confirm.contains("160-0022"),
        "{confirm}"
    );
    h.press("y");
    assert!(inbox(&h).intake.is_none());
    let case = inbox(&h).case.as_ref().expect("the new case opens");
    assert_eq!(case.row.kind, ApplicationKind::Change);
    assert_eq!(case.row.source, ApplicationSource::Paper);
    assert_eq!(case.row.status, ApplicationStatus::Accepted);
    assert_eq!(case.row.provider_number, number);
    assert_eq!(case.row.keyed_by, "demo-reviewer");
    let d = case.diff.iter().find(|d| d.field == "postal_code").unwrap();
    assert_eq!(d.requested, "160-0022");
    assert_eq!(
        d.at_intake, d.current,
        "the ledger's value at intake is stored"
    );
}

#[test]
fn an_unknown_facility_number_is_refused_under_its_field() {
    let db = fresh_db();
    let mut h = harness(&db, HarnessOptions::default());
    // 廃止届: the fifth kind.
    h.press("2I<Down><Down><Down><Down><Enter>");
    assert!(h.screen().contains("廃止届"), "{}", h.screen());
    h.press("1370199992<Tab>株式会社テスト<Tab><Tab>R8.12.31<Tab>事業の縮小<C-s>y");
    let form = inbox(&h).intake.as_ref().expect("the form stays open");
    let f = form
        .fields
        .iter()
        .find(|x| x.key == "provider_number")
        .unwrap();
    assert!(
        f.error
            .as_deref()
            .is_some_and(|e| e.contains("台帳にありません")),
        "{:?}",
        f.error
    );
    // Esc with something typed asks before discarding.
    h.press("<Esc>");
    assert!(
        h.screen().contains("入力した内容を捨てて"),
        "{}",
        h.screen()
    );
    h.press("n");
    assert!(inbox(&h).intake.is_some());
    h.press("<Esc>y");
    assert!(inbox(&h).intake.is_none());
}

#[test]
fn a_paper_new_designation_registers_the_new_facility_data() {
    let db = fresh_db();
    let mut h = harness(&db, HarnessOptions::default());
    h.press("2I<Down><Enter>");
    assert!(h.screen().contains("新規指定申請"), "{}", h.screen());
    h.press("社会福祉法人かみ<Tab><Tab>");
    h.press("かみケアセンター<Tab>カミケアセンター<Tab>160-0022<Tab>新宿区新宿1-1-1<Tab>新宿<Tab>03-1234-5678<Tab><Tab><Tab>");
    h.press("<Tab>43<Tab>R9.1.1<Tab><C-s>");
    assert!(h.screen().contains("よろしいですか"), "{}", h.screen());
    h.press("y");
    let case = inbox(&h).case.as_ref().expect("the new case opens");
    assert_eq!(case.row.kind, ApplicationKind::NewDesignation);
    assert_eq!(case.row.source, ApplicationSource::Paper);
    assert!(
        case.proposed_provider_number.is_some(),
        "a number is proposed for the new facility"
    );
    assert!(h.screen().contains("かみケアセンター"), "{}", h.screen());
}

fn form_snapshot(lang: daicho::i18n::Lang, name: &str) {
    let db = fresh_db();
    let mut h = harness(
        &db,
        HarnessOptions {
            lang,
            ..Default::default()
        },
    );
    h.press("2I<Enter><Tab>x<C-s>");
    insta::assert_snapshot!(name, h.screen());
}

#[test]
fn intake_form_ja() {
    form_snapshot(daicho::i18n::Lang::Ja, "inbox_intake_ja");
}

#[test]
fn intake_form_en() {
    form_snapshot(daicho::i18n::Lang::En, "inbox_intake_en");
}

/// 再開届 and 指定更新申請 carry their dates into the case's payload.
#[test]
fn paper_resumption_and_renewal_keep_their_dates() {
    use daicho::domain::payload::Payload;
    let db = fresh_db();
    let mut h = harness(&db, HarnessOptions::default());
    h.press("2");
    let number = some_number(&h);
    // 再開届: the one before the last kind.
    h.press("I<End><Up><Enter>");
    assert!(h.screen().contains("再開届"), "{}", h.screen());
    h.press(&number);
    h.press("<Tab>株式会社さいかい<Tab><Tab>令和8年12月1日<C-s>y");
    let case = inbox(&h).case.as_ref().expect("the resumption opens");
    assert_eq!(case.row.kind, ApplicationKind::Resumption);
    match &case.payload {
        Ok(Payload::Resumption(p)) => assert_eq!(p.resume_on.to_string(), "2026-12-01"),
        other => panic!("{other:?}"),
    }
    // 指定更新申請: a period that starts before the current expiry is refused in the form.
    h.press("<Esc>I<Down><Down><Enter>");
    assert!(h.screen().contains("指定更新申請"), "{}", h.screen());
    h.press(&number);
    h.press("<Tab>株式会社こうしん<Tab><Tab>43<Tab>2027-03-31<Tab>2027-03-01<Tab>2033-02-28<C-s>");
    assert!(h.screen().contains("更新後の有効期間"), "{}", h.screen());
    assert!(inbox(&h).intake.is_some());
}

#[test]
fn paper_addition_and_withdrawal_notices_keep_their_items_and_dates() {
    use daicho::domain::payload::Payload;
    let db = fresh_db();
    let mut h = harness(&db, HarnessOptions::default());
    h.press("2");
    let number = some_number(&h);
    // 加算届: the fourth kind; a month that cannot be read stays in the form.
    h.press("I<Down><Down><Down><Enter>");
    assert!(h.screen().contains("加算届"), "{}", h.screen());
    h.press(&number);
    h.press("<Tab>株式会社かさん<Tab><Tab>43<Tab>十二月<Tab>特定事業所加算Ⅱ、ターミナルケアマネジメント加算<C-s>");
    assert!(h.screen().contains("適用月が読めません"), "{}", h.screen());
    assert!(inbox(&h).intake.is_some(), "the form stays open");
    // The cursor is on the refused field.
    for _ in 0..3 {
        h.press("<Backspace>");
    }
    h.press("2026-12<C-s>y");
    let screen = h.screen();
    let case = inbox(&h)
        .case
        .as_ref()
        .unwrap_or_else(|| panic!("the addition opens:\n{screen}"));
    assert_eq!(case.row.kind, ApplicationKind::Addition);
    match &case.payload {
        Ok(Payload::Addition(p)) => {
            assert_eq!(p.effective_month.to_string(), "2026-12-01");
            assert_eq!(
                p.items,
                ["特定事業所加算Ⅱ", "ターミナルケアマネジメント加算"]
            );
        }
        other => panic!("{other:?}"),
    }
    // 指定辞退届出: the last kind.
    h.press("<Esc>I<End><Enter>");
    assert!(h.screen().contains("指定辞退届出"), "{}", h.screen());
    h.press(&number);
    h.press("<Tab>株式会社じたい<Tab><Tab>43<Tab>R9.3.31<Tab>事業の縮小のため<C-s>y");
    let case = inbox(&h).case.as_ref().expect("the withdrawal opens");
    assert_eq!(case.row.kind, ApplicationKind::Withdrawal);
    match &case.payload {
        Ok(Payload::Withdrawal(p)) => {
            assert_eq!(
                (p.service_code.as_str(), p.on.to_string().as_str()),
                ("43", "2027-03-31")
            );
            assert_eq!(p.reason, "事業の縮小のため");
        }
        other => panic!("{other:?}"),
    }
}
