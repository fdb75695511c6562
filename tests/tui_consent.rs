//! Issue 15's consent queue through the harness: tabs, filters, the case view masked
//! until revealed, a consent recorded after a confirmation that unblocks the linked
//! application, reasons asked inside the dialog, and a colleague's change as a conflict.

#![allow(clippy::unwrap_used)] // test binary: helpers outside #[test] may unwrap too

mod common;

use common::{fresh_db, harness};
use daicho::domain::consent::ConsentStatus;
use daicho::domain::permission::{Actor, Role};
use daicho::store::Store;
use daicho::tui::screens::consent::ConsentScreen;
use daicho::tui::testing::{Harness, HarnessOptions};

/// Puts the cursor on the first outgoing case that waits for an answer and has a linked
/// application; returns its id.
fn select_waiting_linked(h: &mut Harness) -> i64 {
    h.press("f");
    // "未完了のみ" is the second item of the filter menu.
    h.press("<Down><Enter>");
    let rows = h.app.screen_ref::<ConsentScreen>().list.rows.clone();
    let i = rows
        .iter()
        .position(|r| r.status == ConsentStatus::Requested && r.application_id.is_some())
        .expect("the demo has a linked request waiting for an answer");
    for _ in 0..i {
        h.press("<Down>");
    }
    rows[i].id
}

#[test]
fn recording_a_consent_asks_first_and_unblocks_the_linked_application() {
    let db = fresh_db();
    let mut h = harness(&db, HarnessOptions::default());
    h.press("3");
    let id = select_waiting_linked(&mut h);
    h.press("<Enter>");
    let case = h.screen();
    assert!(case.contains("区外へ依頼 ›"), "{case}");
    assert!(case.contains("＊＊"), "masked until revealed:\n{case}");
    assert!(case.contains("決定できません"), "{case}");
    // s → menu of next statuses: 受付, 同意, …; pick 同意 (the second).
    h.press("s");
    assert!(h.screen().contains("次の状態"), "{}", h.screen());
    h.press("<Down><Enter>");
    let ask = h.screen();
    assert!(ask.contains("「依頼済」から「同意」にします"), "{ask}");
    assert!(ask.contains("紐づく申請は同意の条件を満たします"), "{ask}");
    h.press("<Enter>");
    let done = h.screen();
    assert!(done.contains("決定できます"), "{done}");
    assert!(done.contains("[同意]"), "{done}");
    let store = Store::open(&db.path).unwrap();
    let row = daicho::store::consents::row(store.conn_for_tests(), id)
        .unwrap()
        .unwrap();
    assert_eq!(row.status, ConsentStatus::Consented);
}

#[test]
fn a_refusal_needs_a_reason_said_inside_the_dialog() {
    let db = fresh_db();
    let mut h = harness(&db, HarnessOptions::default());
    h.press("3");
    let id = select_waiting_linked(&mut h);
    // 不同意 is the third next status of 依頼済.
    h.press("s<Down><Down><Enter>");
    h.press("<Enter>");
    let refused = h.screen();
    assert!(
        refused.contains("不同意の理由を入力してください"),
        "{refused}"
    );
    h.press("<Esc>");
    let store = Store::open(&db.path).unwrap();
    let row = daicho::store::consents::row(store.conn_for_tests(), id)
        .unwrap()
        .unwrap();
    assert_eq!(row.status, ConsentStatus::Requested, "nothing written");
}

#[test]
fn a_colleagues_change_first_is_a_conflict_naming_them() {
    let db = fresh_db();
    let mut h = harness(&db, HarnessOptions::default());
    h.press("3");
    let id = select_waiting_linked(&mut h);
    let mut store = Store::open(&db.path).unwrap();
    let row = daicho::store::consents::row(store.conn_for_tests(), id)
        .unwrap()
        .unwrap();
    let colleague = Actor {
        staff_id: "suzuki".into(),
        role: Role::Reviewer,
    };
    let today = daicho::tui::testing::test_today();
    daicho::service::consents::transition(
        &mut store,
        &colleague,
        id,
        row.version,
        ConsentStatus::Received,
        "",
        today,
    )
    .unwrap()
    .unwrap();
    h.press("s<Down><Enter><Enter>");
    let s = h.screen();
    assert!(s.contains("suzuki が"), "{s}");
    assert!(s.contains("先に更新しました（現在: 受付）"), "{s}");
}

#[test]
fn tabs_filters_and_search_narrow_the_queue() {
    let db = fresh_db();
    let mut h = harness(&db, HarnessOptions::default());
    h.press("3");
    let all = h.app.screen_ref::<ConsentScreen>().list.rows.len();
    assert!(all > 0);
    h.press("]");
    let s = h.app.screen_ref::<ConsentScreen>();
    assert!(
        s.list
            .rows
            .iter()
            .all(|r| r.direction == daicho::domain::consent::Direction::Incoming)
    );
    h.press("]");
    let prior = h.screen();
    assert!(
        prior.contains("当区が受けた") || prior.contains("当区が与えた"),
        "{prior}"
    );
    h.press("]/葛飾<Enter>");
    let found = h.screen();
    assert!(found.contains("絞込: 検索「葛飾」"), "{found}");
    let rows = &h.app.screen_ref::<ConsentScreen>().list.rows;
    assert!(!rows.is_empty() && rows.len() < all, "{found}");
    h.press("F");
    assert_eq!(h.app.screen_ref::<ConsentScreen>().list.rows.len(), all);
}

fn one(db: &common::TestDb, sql: &str) -> String {
    let store = Store::open(&db.path).unwrap();
    store
        .conn_for_tests()
        .query_row(sql, [], |r| r.get::<_, String>(0))
        .map_err(|e| format!("{e}: {sql}"))
        .unwrap()
}

fn count(db: &common::TestDb, sql: &str) -> i64 {
    let store = Store::open(&db.path).unwrap();
    store
        .conn_for_tests()
        .query_row(sql, [], |r| r.get::<_, i64>(0))
        .unwrap()
}

#[test]
fn an_outgoing_request_is_created_from_the_form_after_a_confirmation() {
    let db = fresh_db();
    let before = count(&db, "SELECT count(*) FROM consent_request");
    let mut h = harness(&db, HarnessOptions::default());
    h.press("3n");
    assert!(h.screen().contains("新しい同意依頼"), "{}", h.screen());
    // application, provider number (none: not in the ledger), name, 世田谷区, service…
    h.press("<Tab><Tab>せたがやの家<Tab>131121<Tab>32<Tab>山田 花子<Tab>ヤマダ ハナコ");
    h.press("<Tab>1234567890<Tab>S20.4.1<Tab>R9.1.1<Tab>家族の近くで暮らすため");
    h.press("<Enter>");
    let ask = h.screen();
    assert!(ask.contains("作成中として作ります"), "{ask}");
    assert_eq!(
        count(&db, "SELECT count(*) FROM consent_request"),
        before,
        "asks first"
    );
    h.press("<Enter>");
    let done = h.screen();
    assert!(done.contains("[作成中]"), "the new case opens:\n{done}");
    assert!(done.contains("＊＊"), "masked:\n{done}");
    assert_eq!(
        count(&db, "SELECT count(*) FROM consent_request"),
        before + 1
    );
    // Reveal acts on the case on display, not on the list row under it.
    let new_id = count(&db, "SELECT max(id) FROM consent_request");
    h.press("r");
    assert!(h.screen().contains("せたがやの家"), "{}", h.screen());
    h.press("本人確認のため<Enter>");
    let revealed = count(
        &db,
        &format!(
            "SELECT count(*) FROM audit_log WHERE action = 'pii.reveal' AND object_type = 'consent' AND object_id = '{new_id}'"
        ),
    );
    assert_eq!(revealed, 1, "the reveal names the new case");
    let s = h.screen();
    assert!(
        s.contains("山田 花子"),
        "the new case's person is shown:\n{s}"
    );
}

#[test]
fn refusals_stay_under_their_fields_and_nothing_is_written() {
    let db = fresh_db();
    let before = count(&db, "SELECT count(*) FROM consent_request");
    let mut h = harness(&db, HarnessOptions::default());
    h.press("3n<Tab><Tab><Tab><Tab><Tab>山田 花子<Tab><Tab>123<Tab>昨日<Enter>");
    let s = h.screen();
    assert!(s.contains("被保険者番号は10桁の数字です"), "{s}");
    assert!(s.contains("日付「昨日」が読めません"), "{s}");
    assert!(s.contains("新しい同意依頼"), "the form stays open:\n{s}");
    // Esc with something typed asks before dropping it.
    h.press("<Esc>");
    assert!(h.screen().contains("破棄しますか"), "{}", h.screen());
    h.press("<Enter>");
    assert!(!h.screen().contains("新しい同意依頼"), "{}", h.screen());
    assert_eq!(count(&db, "SELECT count(*) FROM consent_request"), before);
}

#[test]
fn an_incoming_request_from_an_unknown_municipality_asks_its_name_once() {
    let db = fresh_db();
    let number = one(
        &db,
        "SELECT provider_number FROM facility WHERE municipality_code = '131041' ORDER BY id LIMIT 1",
    );
    let svc = one(
        &db,
        &format!(
            "SELECT service_code FROM designation WHERE facility_id = \
             (SELECT id FROM facility WHERE provider_number = '{number}') LIMIT 1"
        ),
    );
    let mut h = harness(&db, HarnessOptions::default());
    h.press("3]N");
    assert!(
        h.screen().contains("区外からの同意依頼を記録"),
        "{}",
        h.screen()
    );
    // 141003: 横浜市, a valid code outside the reference data.
    h.press(&format!(
        "141003<Tab>{number}<Tab>{svc}<Tab>佐藤 一郎<Tab><Tab>0000012345"
    ));
    h.press("<Enter><Enter>");
    let ask = h.screen();
    assert!(ask.contains("141003 の名称が未登録です"), "{ask}");
    h.press("横浜市<Enter>");
    let confirm = h.screen();
    assert!(confirm.contains("「横浜市」として登録します"), "{confirm}");
    h.press("<Enter>");
    let case = h.screen();
    assert!(case.contains("[受付]"), "{case}");
    assert!(case.contains("横浜市"), "{case}");
    // The incoming check: the ward facility and its designation for the service.
    assert!(case.contains(&number), "{case}");
    let shown = h.app.screen_ref::<ConsentScreen>().case.clone().unwrap();
    assert!(matches!(shown.designation, Some(Some(_))), "{case}");
    assert!(case.contains("有効"), "{case}");
    assert_eq!(
        one(
            &db,
            "SELECT name FROM municipality_local WHERE code = '141003'"
        ),
        "横浜市"
    );
}

#[test]
fn a_letter_is_written_after_a_confirmation_and_listed_on_the_case() {
    let db = fresh_db();
    let before = count(&db, "SELECT count(*) FROM consent_document");
    let mut h = harness(&db, HarnessOptions::default());
    h.press("3<Enter>l");
    assert!(
        h.screen().contains("同意依頼書（HTMLとテキスト）"),
        "{}",
        h.screen()
    );
    h.press("<Enter>");
    let s = h.screen();
    assert!(s.contains("を書き出しました"), "{s}");
    assert_eq!(
        count(&db, "SELECT count(*) FROM consent_document"),
        before + 1
    );
    let path = one(
        &db,
        "SELECT text_path FROM consent_document ORDER BY id DESC LIMIT 1",
    );
    assert!(std::path::Path::new(&path).exists(), "{path}");
}

#[test]
fn the_forms_in_both_languages() {
    use daicho::tui::i18n::Lang;
    for (lang, keys, name) in [
        (Lang::Ja, "3n", "consent_new_outgoing_ja"),
        (Lang::En, "3n", "consent_new_outgoing_en"),
        (Lang::Ja, "3]N", "consent_new_incoming_ja"),
        (Lang::En, "3]N", "consent_new_incoming_en"),
        (Lang::Ja, "3]]e", "consent_prior_edit_ja"),
        (Lang::En, "3]]e", "consent_prior_edit_en"),
        (Lang::Ja, "3L", "consent_link_ja"),
        (Lang::En, "3L", "consent_link_en"),
        (Lang::Ja, "3D", "consent_reminder_days_ja"),
        (Lang::En, "3D", "consent_reminder_days_en"),
    ] {
        let db = fresh_db();
        let mut h = harness(
            &db,
            HarnessOptions {
                lang,
                ..Default::default()
            },
        );
        h.press(keys);
        insta::assert_snapshot!(name, h.screen());
    }
}

#[test]
fn an_approver_adds_a_prior_consent_after_a_confirmation() {
    let db = fresh_db();
    let before = count(&db, "SELECT count(*) FROM prior_consent");
    let mut h = harness(&db, HarnessOptions::default());
    h.press("3]]a");
    assert!(h.screen().contains("事前同意を登録"), "{}", h.screen());
    h.press("131130<Tab>どちら<Tab>R8.4.1<Tab><Tab>32,77<Enter>");
    let s = h.screen();
    assert!(s.contains("向きは「受」"), "refused under its field:\n{s}");
    // The focus is on the refused field.
    h.press("<BS><BS><BS>受<Enter>");
    let ask = h.screen();
    assert!(ask.contains("事前同意を登録します"), "{ask}");
    assert!(ask.contains("相手先 131130"), "{ask}");
    h.press("<Enter>");
    assert!(
        h.screen().contains("事前同意を保存しました"),
        "{}",
        h.screen()
    );
    assert_eq!(count(&db, "SELECT count(*) FROM prior_consent"), before + 1);
}

#[test]
fn a_colleagues_save_first_is_a_conflict_and_the_typed_values_stay() {
    let db = fresh_db();
    let mut h = harness(&db, HarnessOptions::default());
    h.press("3]]");
    let row = h.app.screen_ref::<ConsentScreen>().priors.rows[0].clone();
    h.press("e");
    assert!(h.screen().contains("事前同意を修正"), "{}", h.screen());
    let mut store = Store::open(&db.path).unwrap();
    let colleague = Actor {
        staff_id: "suzuki".into(),
        role: Role::Approver,
    };
    let input = daicho::service::consents::PriorInput {
        municipality_code: row.municipality_code.clone(),
        direction: Some(row.direction),
        valid_from: Some(row.valid_from),
        valid_to: row.valid_to,
        excluded_services: "32".into(),
        note: "先に修正".into(),
    };
    daicho::service::consents::update_prior(&mut store, &colleague, row.id, row.version, &input)
        .unwrap()
        .unwrap();
    // The note is the sixth field.
    h.press("<Up>私のメモ<Enter><Enter>");
    let s = h.screen();
    assert!(s.contains("suzuki が"), "{s}");
    assert!(s.contains("先に修正しました"), "{s}");
    assert!(s.contains("私のメモ"), "typed values kept:\n{s}");
    // Saving again (after the look) replaces the colleague's.
    h.press("<Enter><Enter>");
    let note = one(
        &db,
        &format!("SELECT note FROM prior_consent WHERE id = {}", row.id),
    );
    assert!(note.ends_with("私のメモ"), "{note}");
}

#[test]
fn others_read_prior_consents_and_are_told_why_they_cannot_edit() {
    let db = fresh_db();
    let mut h = common::harness_as(&db, Role::Reviewer);
    h.press("3]]");
    let s = h.screen();
    assert!(s.contains("閲覧のみ"), "{s}");
    h.press("a");
    assert!(h.screen().contains("決裁権限が必要です"), "{}", h.screen());
    assert!(h.app.screen_ref::<ConsentScreen>().form.is_none());
}

/// Makes an outgoing case with no facility in the ledger; returns its id.
fn loose_case(db: &common::TestDb) -> i64 {
    let mut store = Store::open(&db.path).unwrap();
    let me = Actor {
        staff_id: "demo-approver".into(),
        role: Role::Approver,
    };
    let input = daicho::service::consents::OutgoingInput {
        municipality_code: "131121".into(),
        facility_name: "せたがやの家".into(),
        service_code: "32".into(),
        person: daicho::domain::consent::InsuredPerson {
            name: "山田 花子".into(),
            reason: "家族の近くで暮らすため".into(),
            ..Default::default()
        },
        ..Default::default()
    };
    daicho::service::consents::create_outgoing(&mut store, &me, &input)
        .unwrap()
        .id
}

#[test]
fn a_case_is_linked_to_an_application_after_a_confirmation() {
    let db = fresh_db();
    let id = loose_case(&db);
    let app = count(&db, "SELECT min(id) FROM application");
    let mut h = harness(&db, HarnessOptions::default());
    h.press("3/せたがや<Enter>L");
    assert!(h.screen().contains("申請に紐づける"), "{}", h.screen());
    h.press("999999<Enter>");
    h.press("<Enter>");
    let s = h.screen();
    assert!(s.contains("その申請番号の申請は見つかりません"), "{s}");
    h.press("<BS><BS><BS><BS><BS><BS>");
    h.press(&format!("{app}<Enter>"));
    assert!(
        h.screen().contains("同意が記録されるまで決定できません"),
        "{}",
        h.screen()
    );
    h.press("<Enter>");
    assert!(
        h.screen().contains(&format!("申請 {app} に紐づけました")),
        "{}",
        h.screen()
    );
    let linked = count(
        &db,
        &format!("SELECT application_id FROM consent_request WHERE id = {id}"),
    );
    assert_eq!(linked, app);
}

#[test]
fn the_end_of_use_is_recorded_after_a_confirmation() {
    let db = fresh_db();
    let mut h = harness(&db, HarnessOptions::default());
    h.press("3");
    // Filter menu: any, open, overdue, then the statuses; 同意 is the fourth status.
    h.press("f<Down><Down><Down><Down><Down><Down><Enter>");
    let row = h.app.screen_ref::<ConsentScreen>().list.rows[0].clone();
    assert_eq!(row.status, ConsentStatus::Consented);
    h.press("u");
    assert!(
        h.screen().contains("終了として記録します"),
        "{}",
        h.screen()
    );
    h.press("<Enter>");
    assert!(
        h.screen().contains("利用終了を記録しました"),
        "{}",
        h.screen()
    );
    let ended = count(
        &db,
        &format!(
            "SELECT count(*) FROM consent_request WHERE id = {} AND use_ended_on IS NOT NULL",
            row.id
        ),
    );
    assert_eq!(ended, 1);
}

#[test]
fn renewal_follow_ups_are_created_from_the_palette() {
    let db = fresh_db();
    // A renewal application for an out-of-ward facility a resident uses under a
    // granted consent.
    let fid = count(&db, "SELECT min(id) FROM facility");
    let app = count(
        &db,
        "SELECT min(id) FROM application WHERE kind = 'renewal'",
    );
    let mut store = Store::open(&db.path).unwrap();
    store
        .conn_for_tests()
        .execute_batch(&format!(
            "UPDATE facility SET municipality_code = '131121' WHERE id = {fid};
             UPDATE application SET facility_id = {fid} WHERE id = {app};"
        ))
        .unwrap();
    let me = Actor {
        staff_id: "demo-approver".into(),
        role: Role::Approver,
    };
    let mut row = daicho::service::consents::create_outgoing(
        &mut store,
        &me,
        &daicho::service::consents::OutgoingInput {
            facility_id: Some(fid),
            municipality_code: "131121".into(),
            service_code: "32".into(),
            person: daicho::domain::consent::InsuredPerson {
                name: "利用 者".into(),
                reason: "家族の近くで暮らすため".into(),
                ..Default::default()
            },
            ..Default::default()
        },
    )
    .unwrap();
    let today = daicho::tui::testing::test_today();
    for to in [ConsentStatus::Requested, ConsentStatus::Consented] {
        row = daicho::service::consents::transition(
            &mut store,
            &me,
            row.id,
            row.version,
            to,
            "",
            today,
        )
        .unwrap()
        .unwrap();
    }
    drop(store);
    let before = count(&db, "SELECT count(*) FROM consent_request");
    let mut h = harness(&db, HarnessOptions::default());
    h.press("3<C-p>");
    h.press("指定更新の同意依頼<Enter>");
    assert!(
        h.screen().contains("指定更新に伴う同意依頼を作成"),
        "{}",
        h.screen()
    );
    h.press(&format!("{app}<Enter>"));
    assert!(h.screen().contains("被保険者ごとに"), "{}", h.screen());
    h.press("<Enter>");
    let s = h.screen();
    assert!(s.contains("件作成しました"), "{s}");
    assert!(count(&db, "SELECT count(*) FROM consent_request") > before);
    // A second run finds them made already.
    h.press("<C-p>指定更新の同意依頼<Enter>");
    h.press(&format!("{app}<Enter><Enter>"));
    assert!(
        h.screen().contains("作成する同意依頼はありません"),
        "{}",
        h.screen()
    );
}

#[test]
fn the_queue_sorts_by_column_and_filters_by_municipality() {
    let db = fresh_db();
    let mut h = harness(&db, HarnessOptions::default());
    h.press("3o");
    assert!(h.screen().contains("新しい依頼順"), "{}", h.screen());
    let rows = h.app.screen_ref::<ConsentScreen>().list.rows.clone();
    assert!(
        rows.windows(2)
            .all(|w| w[0].requested_on >= w[1].requested_on)
    );
    h.press("o");
    let rows = h.app.screen_ref::<ConsentScreen>().list.rows.clone();
    assert!(
        rows.windows(2)
            .all(|w| w[0].municipality_code <= w[1].municipality_code)
    );
    h.press("m");
    assert!(h.screen().contains("相手先で絞込"), "{}", h.screen());
    h.press("<Down><Enter>");
    let rows = h.app.screen_ref::<ConsentScreen>().list.rows.clone();
    assert!(!rows.is_empty());
    assert!(
        rows.iter()
            .all(|r| r.municipality_code == rows[0].municipality_code)
    );
    assert!(
        h.screen()
            .contains(&format!("絞込: {}", rows[0].municipality_name))
    );
}

#[test]
fn an_approver_sets_the_reminder_days_after_a_confirmation() {
    let db = fresh_db();
    let mut h = harness(&db, HarnessOptions::default());
    h.press("3D0<Enter>");
    assert!(h.screen().contains("1〜180の数字で"), "{}", h.screen());
    h.press("<BS>30<Enter>");
    assert!(h.screen().contains("30 日にします"), "{}", h.screen());
    h.press("<Enter>");
    assert!(h.screen().contains("日にしました"), "{}", h.screen());
    let store = Store::open(&db.path).unwrap();
    assert_eq!(
        daicho::service::consents::reminder_days(store.conn_for_tests()),
        30
    );
    let db = fresh_db();
    let mut h = common::harness_as(&db, Role::Reviewer);
    h.press("3D");
    assert!(h.screen().contains("決裁"), "{}", h.screen());
    assert!(h.app.screen_ref::<ConsentScreen>().form.is_none());
}
