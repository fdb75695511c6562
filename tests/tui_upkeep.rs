//! Issue 13 in the UI: the 運営推進会議 tab with its duties and records, the form that
//! records a meeting, and the 変更履歴 tab with values. Snapshots at 80×24 in Japanese
//! and English, and the journey written as what a user types.

#![allow(clippy::unwrap_used)] // test binary: helpers outside #[test] may unwrap too

mod common;

use common::{fresh_db, harness, harness_as};
use daicho::domain::permission::Role;
use daicho::tui::app::LedgerMode;
use daicho::tui::i18n::Lang;
use daicho::tui::testing::{Harness, HarnessOptions};

fn opts(lang: Lang) -> HarnessOptions {
    HarnessOptions {
        lang,
        ..Default::default()
    }
}

/// The alert key twice lists the facilities whose meeting is overdue; open the first
/// and go to its 運営推進会議 tab.
const OVERDUE_COUNCIL: &str = "aa<Enter>]]]]";

fn suffix(lang: Lang) -> &'static str {
    if lang == Lang::Ja { "ja" } else { "en" }
}

/// Records a meeting on the open form: the date, then C-s and yes.
fn record(h: &mut Harness, date: &str) {
    h.press("m");
    h.press(date);
    h.press("<C-s>");
    h.press("<Enter>");
}

/// The history's headings carry the wall-clock date and time of the change (`… HH:MM`
/// before the actor): replace them.
fn without_times(screen: &str) -> String {
    screen
        .lines()
        .map(|l| {
            let b = l.as_bytes();
            let time = (0..b.len().saturating_sub(3)).find(|&i| {
                b[i] == b':'
                    && b[i + 1].is_ascii_digit()
                    && b[i + 2].is_ascii_digit()
                    && b[i + 3] == b' '
            });
            match time {
                Some(i) if l.contains('[') => format!("<when>{}", &l[i + 3..]),
                _ => l.to_string(),
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn council_snapshot(lang: Lang) {
    let db = fresh_db();
    let mut h = harness(&db, opts(lang));
    h.press(OVERDUE_COUNCIL);
    insta::assert_snapshot!(
        format!("upkeep_council_overdue_{}", suffix(lang)),
        h.screen()
    );
}

#[test]
fn council_tab_overdue_ja() {
    council_snapshot(Lang::Ja);
}

#[test]
fn council_tab_overdue_en() {
    council_snapshot(Lang::En);
}

fn form_snapshot(lang: Lang) {
    let db = fresh_db();
    let mut h = harness(&db, opts(lang));
    h.press(OVERDUE_COUNCIL);
    h.press("m2027-01-01<C-s>");
    insta::assert_snapshot!(
        format!("upkeep_meeting_form_error_{}", suffix(lang)),
        h.screen()
    );
}

#[test]
fn meeting_form_with_a_refused_date_ja() {
    form_snapshot(Lang::Ja);
}

#[test]
fn meeting_form_with_a_refused_date_en() {
    form_snapshot(Lang::En);
}

fn history_snapshot(lang: Lang) {
    let db = fresh_db();
    let mut h = harness(&db, opts(lang));
    h.press(OVERDUE_COUNCIL);
    record(&mut h, "2026-11-20");
    h.press("]");
    let screen = without_times(&h.screen());
    insta::assert_snapshot!(
        format!("upkeep_history_after_record_{}", suffix(lang)),
        screen
    );
}

#[test]
fn history_after_recording_ja() {
    history_snapshot(Lang::Ja);
}

#[test]
fn history_after_recording_en() {
    history_snapshot(Lang::En);
}

#[test]
fn the_overdue_date_is_styled_as_an_error() {
    let db = fresh_db();
    let mut h = harness(&db, HarnessOptions::default());
    h.press(OVERDUE_COUNCIL);
    insta::assert_snapshot!("styled_upkeep_council_overdue", h.styled_screen());
}

#[test]
fn recording_a_meeting_clears_the_overdue_alert_and_writes_history() {
    let db = fresh_db();
    let mut h = harness(&db, HarnessOptions::default());
    h.press(OVERDUE_COUNCIL);
    let before = h.screen();
    assert!(before.contains("期限超過"), "{before}");
    let overdue_before = h.app.due.meetings_overdue;
    // A date after today is refused inside the form, which stays open.
    h.press("m2027-01-01<C-s>");
    let refused = h.screen();
    assert!(refused.contains("今日より後の日付"), "{refused}");
    assert_eq!(h.app.ledger().mode, LedgerMode::Meeting);
    // A good date asks first, saying what will happen.
    for _ in 0..10 {
        h.press("<Backspace>");
    }
    h.press("2026-11-20<C-s>");
    let ask = h.screen();
    assert!(
        ask.contains("次回の開催期限はこの日から数え直します"),
        "{ask}"
    );
    assert_eq!(
        h.app.ledger().mode,
        LedgerMode::Meeting,
        "nothing saved yet"
    );
    h.press("<Enter>");
    assert_eq!(h.app.ledger().mode, LedgerMode::Detail);
    let after = h.screen();
    assert!(!after.contains("期限超過"), "{after}");
    assert!(after.contains("会議の開催を記録しました"), "{after}");
    assert!(after.contains("令和8年11月20日"), "{after}");
    assert_eq!(h.app.due.meetings_overdue + 1, overdue_before);
    h.press("]");
    // TestBackend keeps the cell behind a wide character from two frames back (the
    // dialog); a real terminal does not. Start from a clear screen.
    h.terminal.clear().unwrap();
    let history = h.screen();
    assert!(
        history.contains("会議の開催日: （なし） → 2026-11-20") && history.contains("[会議の記録]"),
        "{history}"
    );
}

#[test]
fn esc_in_a_typed_meeting_form_asks_before_discarding() {
    let db = fresh_db();
    let mut h = harness(&db, HarnessOptions::default());
    h.press(OVERDUE_COUNCIL);
    h.press("m");
    h.press("<Esc>");
    assert_eq!(
        h.app.ledger().mode,
        LedgerMode::Detail,
        "nothing typed: closes"
    );
    h.press("m2026-11-20<Esc>");
    assert!(h.screen().contains("破棄しますか"));
    h.press("n");
    assert_eq!(h.app.ledger().mode, LedgerMode::Meeting);
    h.press("<Esc>y");
    assert_eq!(h.app.ledger().mode, LedgerMode::Detail);
    assert!(h.screen().contains("期限超過"), "nothing was recorded");
}

#[test]
fn a_viewer_cannot_record_a_meeting_and_is_told_why() {
    let db = fresh_db();
    let mut h = harness_as(&db, Role::Viewer);
    h.press(OVERDUE_COUNCIL);
    h.press("m");
    assert_eq!(h.app.ledger().mode, LedgerMode::Detail);
    let screen = h.screen();
    assert!(!screen.contains("会議の開催を記録しました"), "{screen}");
}

/// Open the first facility of the list and go to its 従事者 tab.
const STAFF_TAB: &str = "<Enter>]]]";

fn staff_form_snapshot(lang: Lang) {
    let db = fresh_db();
    let mut h = harness(&db, opts(lang));
    h.press(STAFF_TAB);
    insta::assert_snapshot!(format!("upkeep_staff_tab_{}", suffix(lang)), h.screen());
    h.press("c");
    insta::assert_snapshot!(format!("upkeep_staff_form_{}", suffix(lang)), h.screen());
}

#[test]
fn staff_tab_and_change_form_ja() {
    staff_form_snapshot(Lang::Ja);
}

#[test]
fn staff_tab_and_change_form_en() {
    staff_form_snapshot(Lang::En);
}

/// Tab from the job title to the qualification and replace it.
fn retype_qualification(h: &mut Harness, text: &str) {
    h.press("<Tab>");
    for _ in 0..12 {
        h.press("<Backspace>");
    }
    h.press(text);
}

#[test]
fn changing_a_masked_staff_member_keeps_personal_fields_and_writes_history() {
    let db = fresh_db();
    let mut h = harness(&db, HarnessOptions::default());
    h.press(STAFF_TAB);
    h.press("<Down>c");
    assert_eq!(h.app.ledger().mode, LedgerMode::Person);
    let id = h.app.ledger().upkeep.as_ref().unwrap().staff[1].id;
    // Masked fields are locked: Tab from the job title skips address and birth date.
    retype_qualification(&mut h, "社会福祉士");
    assert_eq!(h.app.ledger().person.as_ref().unwrap().focus, 5);
    h.press("<C-s>");
    let screen = h.screen();
    assert_eq!(h.app.ledger().mode, LedgerMode::Detail, "{screen}");
    let tab = h.screen();
    assert!(
        tab.contains("保存しました") && tab.contains("社会福祉士"),
        "{tab}"
    );
    // The stored name is the real one, not the mask that was shown.
    let store = daicho::store::Store::open(&db.path).unwrap();
    let name: String = store
        .conn_for_tests()
        .query_row("SELECT name FROM staff_member WHERE id = ?1", [id], |r| {
            r.get(0)
        })
        .unwrap();
    assert!(!name.contains('＊'), "{name}");
    h.press("]]");
    h.terminal.clear().unwrap();
    let history = h.screen();
    assert!(
        history.contains("資格: 介護支援専門員 → 社会福祉士"),
        "{history}"
    );
}

#[test]
fn a_refused_care_manager_number_stays_in_the_form() {
    let db = fresh_db();
    let mut h = harness(&db, HarnessOptions::default());
    h.press(STAFF_TAB);
    h.press("n山田 花子<Tab>ﾔﾏﾀﾞ ﾊﾅｺ<Tab>介護支援専門員<Tab><Tab><Tab>介護支援専門員<Tab>123<C-s>");
    assert_eq!(h.app.ledger().mode, LedgerMode::Person);
    let form = h.screen();
    assert!(form.contains("8桁の数字"), "{form}");
    h.press("<Backspace><Backspace><Backspace>13012345<C-s>");
    let screen = h.screen();
    assert_eq!(h.app.ledger().mode, LedgerMode::Detail, "{screen}");
    let tab = h.screen();
    assert!(tab.contains("山田 ＊＊"), "masked in the list: {tab}");
}

#[test]
fn ending_a_staff_member_asks_first_and_can_be_taken_back() {
    let db = fresh_db();
    let mut h = harness(&db, HarnessOptions::default());
    h.press(STAFF_TAB);
    h.press("D");
    assert!(h.screen().contains("付で終了します"), "{}", h.screen());
    h.press("n");
    assert!(
        h.app.ledger().upkeep.as_ref().unwrap().staff[0]
            .ended_on
            .is_none()
    );
    h.press("D<Enter>");
    assert!(
        h.app.ledger().upkeep.as_ref().unwrap().staff[0]
            .ended_on
            .is_some()
    );
    h.terminal.clear().unwrap();
    assert!(h.screen().contains("終了 "), "{}", h.screen());
    // An ended member cannot be changed; D takes the end back.
    h.press("c");
    assert_eq!(h.app.ledger().mode, LedgerMode::Detail);
    h.press("D<Enter>");
    assert!(
        h.app.ledger().upkeep.as_ref().unwrap().staff[0]
            .ended_on
            .is_none()
    );
}

#[test]
fn a_staff_member_changed_elsewhere_is_not_overwritten() {
    let db = fresh_db();
    let mut h = harness(&db, HarnessOptions::default());
    h.press(STAFF_TAB);
    h.press("c");
    let id = h.app.ledger().upkeep.as_ref().unwrap().staff[0].id;
    let store = daicho::store::Store::open(&db.path).unwrap();
    store
        .conn_for_tests()
        .execute(
            "UPDATE staff_member SET version = version + 1 WHERE id = ?1",
            [id],
        )
        .unwrap();
    retype_qualification(&mut h, "看護師");
    h.press("<C-s>");
    assert_eq!(h.app.ledger().mode, LedgerMode::Person, "form kept");
    let screen = h.screen();
    assert!(screen.contains("他の職員が先に変更した"), "{screen}");
}

#[test]
fn the_corporation_form_refuses_a_bad_corporate_number() {
    let db = fresh_db();
    let mut h = harness(&db, HarnessOptions::default());
    h.press("<Enter>]]c");
    assert_eq!(h.app.ledger().mode, LedgerMode::Person);
    for _ in 0..13 {
        h.press("<Backspace>");
    }
    h.press("1234567890123<C-s>");
    assert_eq!(h.app.ledger().mode, LedgerMode::Person);
    let refused = h.screen();
    assert!(refused.contains("法人番号"), "{refused}");
}

#[test]
fn after_a_reveal_the_staff_form_unlocks_personal_fields() {
    let db = fresh_db();
    let mut h = harness(&db, HarnessOptions::default());
    h.press(STAFF_TAB);
    h.press("r<Down><Enter>");
    assert!(h.app.ledger().upkeep.as_ref().unwrap().revealed);
    h.press("c");
    let form = h.app.ledger().person.as_ref().unwrap();
    assert!(form.locked.iter().all(|l| !l));
    assert!(!h.screen().contains("＊＊"), "{}", h.screen());
}

fn corporation_form_snapshot(lang: Lang) {
    let db = fresh_db();
    let mut h = harness(&db, opts(lang));
    h.press("<Enter>]]");
    insta::assert_snapshot!(
        format!("upkeep_corporation_tab_{}", suffix(lang)),
        h.screen()
    );
    h.press("c");
    insta::assert_snapshot!(
        format!("upkeep_corporation_form_{}", suffix(lang)),
        h.screen()
    );
}

#[test]
fn corporation_tab_and_form_ja() {
    corporation_form_snapshot(Lang::Ja);
}

#[test]
fn corporation_tab_and_form_en() {
    corporation_form_snapshot(Lang::En);
}

fn council_form_snapshot(lang: Lang) {
    let db = fresh_db();
    let mut h = harness(&db, opts(lang));
    h.press(OVERDUE_COUNCIL);
    h.press("n<Tab>町会<C-s>");
    insta::assert_snapshot!(format!("upkeep_council_form_{}", suffix(lang)), h.screen());
}

#[test]
fn council_form_with_a_missing_name_ja() {
    council_form_snapshot(Lang::Ja);
}

#[test]
fn council_form_with_a_missing_name_en() {
    council_form_snapshot(Lang::En);
}

#[test]
fn adding_a_council_member_lists_them_masked_and_writes_history() {
    let db = fresh_db();
    let mut h = harness(&db, HarnessOptions::default());
    h.press(OVERDUE_COUNCIL);
    let before = h.app.ledger().upkeep.as_ref().unwrap().council.len();
    h.press("n小林 一郎<Tab>地域包括支援センター<Tab>センター長<C-s>");
    assert_eq!(h.app.ledger().mode, LedgerMode::Detail);
    let u = h.app.ledger().upkeep.as_ref().unwrap();
    assert_eq!(u.council.len(), before + 1);
    let tab = h.screen();
    assert!(
        tab.contains("小林 ＊＊") && tab.contains("地域包括支援センター"),
        "{tab}"
    );
    h.press("]");
    h.terminal.clear().unwrap();
    let history = h.screen();
    assert!(history.contains("地域包括支援センター"), "{history}");
}

#[test]
fn a_corporation_phone_change_is_saved_and_shown() {
    let db = fresh_db();
    let mut h = harness(&db, HarnessOptions::default());
    h.press("<Enter>]]c<Tab><Tab><Tab><Tab>");
    assert_eq!(h.app.ledger().person.as_ref().unwrap().focus, 4);
    for _ in 0..16 {
        h.press("<Backspace>");
    }
    h.press("03-3209-1111<C-s>");
    let screen = h.screen();
    assert_eq!(h.app.ledger().mode, LedgerMode::Detail, "{screen}");
    assert!(screen.contains("03-3209-1111"), "{screen}");
}

/// On the overdue facility's Council tab: past the members to the newest meeting.
fn to_newest_meeting(h: &mut Harness) {
    let members = h.app.ledger().upkeep.as_ref().unwrap().council.len();
    for _ in 0..members {
        h.press("<Down>");
    }
}

fn correction_snapshot(lang: Lang) {
    let db = fresh_db();
    let mut h = harness(&db, opts(lang));
    h.press(OVERDUE_COUNCIL);
    to_newest_meeting(&mut h);
    h.press("c");
    insta::assert_snapshot!(
        format!("upkeep_meeting_correction_{}", suffix(lang)),
        h.screen()
    );
}

#[test]
fn meeting_correction_form_ja() {
    correction_snapshot(Lang::Ja);
}

#[test]
fn meeting_correction_form_en() {
    correction_snapshot(Lang::En);
}

#[test]
fn correcting_a_meeting_asks_first_and_writes_the_old_value_to_history() {
    let db = fresh_db();
    let mut h = harness(&db, HarnessOptions::default());
    h.press(OVERDUE_COUNCIL);
    to_newest_meeting(&mut h);
    let count = h.app.ledger().upkeep.as_ref().unwrap().meetings.len();
    h.press("c<Tab>");
    assert_eq!(h.app.ledger().meeting.as_ref().unwrap().focus, 2);
    h.press("<Backspace>9<C-s>");
    assert!(h.screen().contains("訂正します"), "{}", h.screen());
    h.press("<Enter>");
    assert_eq!(h.app.ledger().mode, LedgerMode::Detail);
    let u = h.app.ledger().upkeep.as_ref().unwrap();
    assert_eq!(u.meetings.len(), count, "corrected, not added");
    assert_eq!(u.meetings[0].fields.attendees, "9");
    let screen = h.screen();
    assert!(screen.contains("訂正しました"), "{screen}");
    h.press("]");
    h.terminal.clear().unwrap();
    let history = h.screen();
    assert!(history.contains("7 → 9"), "{history}");
}

fn guidance_snapshot(lang: Lang) {
    let db = fresh_db();
    let mut h = harness(&db, opts(lang));
    h.press("<Enter>]");
    insta::assert_snapshot!(format!("upkeep_guidance_tab_{}", suffix(lang)), h.screen());
    h.press("n<Tab>2027-01-01<C-s>");
    insta::assert_snapshot!(format!("upkeep_guidance_form_{}", suffix(lang)), h.screen());
}

#[test]
fn guidance_section_and_refused_form_ja() {
    guidance_snapshot(Lang::Ja);
}

#[test]
fn guidance_section_and_refused_form_en() {
    guidance_snapshot(Lang::En);
}

#[test]
fn planning_then_recording_guidance_from_the_detail() {
    let db = fresh_db();
    let mut h = harness(&db, HarnessOptions::default());
    h.press("<Enter>]");
    let before = h
        .app
        .ledger()
        .upkeep
        .as_ref()
        .unwrap()
        .guidance
        .records
        .len();
    h.press("n2027-02-10<C-s>");
    let screen = h.screen();
    assert_eq!(h.app.ledger().mode, LedgerMode::Detail, "{screen}");
    let g = &h.app.ledger().upkeep.as_ref().unwrap().guidance;
    assert_eq!(g.records.len(), before + 1);
    assert!(screen.contains("令和9年2月10日 予定"), "{screen}");
    // The plan is the newest record: correct it into a result with findings.
    let at = g
        .records
        .iter()
        .position(|r| r.fields.planned_on == "2027-02-10")
        .unwrap();
    for _ in 0..at {
        h.press("<Down>");
    }
    h.press("c<Tab>2026-11-25<Tab>記録の不備<Tab>2026-12-25<C-s>");
    let screen = h.screen();
    assert_eq!(h.app.ledger().mode, LedgerMode::Detail, "{screen}");
    assert!(
        screen.contains("令和8年11月25日 実施 指摘:記録の不備 改善報告期限 令和8年12月25日"),
        "{screen}"
    );
}

fn plan_snapshot(lang: Lang) {
    let db = fresh_db();
    let mut h = harness(&db, opts(lang));
    h.press("P");
    insta::assert_snapshot!(format!("upkeep_guidance_plan_{}", suffix(lang)), h.screen());
}

#[test]
fn guidance_plan_view_ja() {
    plan_snapshot(Lang::Ja);
}

#[test]
fn guidance_plan_view_en() {
    plan_snapshot(Lang::En);
}

#[test]
fn the_guidance_plan_opens_from_another_screen_scrolls_and_goes_back() {
    let db = fresh_db();
    let mut h = harness(&db, HarnessOptions::default());
    // From the inbox, through the palette.
    h.press("2");
    h.press(":運営指導計画<Enter>");
    assert_eq!(h.app.ledger().mode, LedgerMode::Plan);
    let plan = h.app.ledger().plan.as_ref().unwrap();
    assert_eq!(plan.months.len(), 12);
    let listed: usize = plan.months.iter().map(|(_, e)| e.len()).sum();
    assert_eq!(listed, plan.total);
    let last = plan.months[11].1.last().map(|e| e.name.clone());
    let top = h.screen();
    assert!(top.contains("運営指導計画") && top.contains("4月"), "{top}");
    h.press("<End>");
    h.terminal.clear().unwrap();
    let bottom = h.screen();
    assert!(bottom.contains("3月"), "{bottom}");
    if let Some(name) = last {
        assert!(bottom.contains(&name[..6]), "{bottom}");
    }
    h.press("<Esc>");
    assert_eq!(h.app.ledger().mode, LedgerMode::List);
}

/// The cells of the first row that contains `needle`, as (symbol, underlined: the
/// search-match highlight in every theme).
fn highlighted_in_row(h: &mut Harness, needle: &str) -> Vec<(String, bool)> {
    use ratatui::style::Modifier;
    h.screen();
    let buf = h.terminal.backend().buffer().clone();
    let mut out = Vec::new();
    for y in 0..buf.area.height {
        let row: String = (0..buf.area.width)
            .map(|x| buf[(x, y)].symbol().to_string())
            .collect();
        if !row.contains(needle) {
            continue;
        }
        for x in 0..buf.area.width {
            let c = &buf[(x, y)];
            out.push((
                c.symbol().to_string(),
                c.modifier.contains(Modifier::UNDERLINED),
            ));
        }
        break;
    }
    out
}

#[test]
fn each_search_term_is_highlighted_in_the_rows() {
    let db = fresh_db();
    let mut h = harness(&db, HarnessOptions::default());
    h.press("/ケア 戸山<Enter>");
    let screen = h.screen();
    assert!(screen.contains("戸山"), "{screen}");
    // The first row of the result (an ASCII needle: wide characters take two cells).
    let cells = highlighted_in_row(&mut h, "1370400036");
    let lit: String = cells
        .iter()
        .filter(|(s, on)| *on && !s.trim().is_empty())
        .map(|(s, _)| s.as_str())
        .collect();
    assert!(
        lit.contains("ケア") && lit.contains("戸山"),
        "lit: {lit:?}\n{}",
        h.styled_screen()
    );
    insta::assert_snapshot!("styled_upkeep_search_terms", h.styled_screen());
}
