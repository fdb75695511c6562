//! Issue 16, the checklist screen: the matrix and an audit's items in ja and en, the
//! gap dialog's message, a full walk of the demo's interrupted audit to its signature,
//! and a colleague's concurrent mark as a clear conflict.

#![allow(clippy::unwrap_used)] // test binary

mod common;

use common::{fresh_db, harness, harness_as};
use daicho::domain::checklist::{Mark, MarkInput, Side};
use daicho::domain::permission::{Actor, Role};
use daicho::service::checklist as svc;
use daicho::store::{Store, checklist_audit};
use daicho::tui::i18n::Lang;
use daicho::tui::testing::HarnessOptions;

fn opts(lang: Lang) -> HarnessOptions {
    HarnessOptions {
        lang,
        ..Default::default()
    }
}

/// From the start screen to the LEMSCARE ward list (the demo's open audit).
const LEMSCARE_WARD: &str = "4<Down><Down><Enter>";

#[test]
fn items_of_an_open_audit_ja() {
    let db = fresh_db();
    let mut h = harness(&db, opts(Lang::Ja));
    h.press(LEMSCARE_WARD);
    insta::assert_snapshot!("checklist_items_ja", h.screen());
}

#[test]
fn items_of_an_open_audit_en() {
    let db = fresh_db();
    let mut h = harness(&db, opts(Lang::En));
    h.press(LEMSCARE_WARD);
    insta::assert_snapshot!("checklist_items_en", h.screen());
}

#[test]
fn matrix_styled() {
    let db = fresh_db();
    let mut h = harness(&db, opts(Lang::Ja));
    h.press("4");
    insta::assert_snapshot!("checklist_matrix_styled", h.styled_screen());
}

#[test]
fn gap_dialog_refuses_a_bad_date_in_the_dialog() {
    for (lang, bad, want) in [
        (
            Lang::Ja,
            "情報政策課 来月",
            "対応期限「来月」は日付として読めません",
        ),
        (Lang::En, "IT 2026-13-01", "is not a date"),
    ] {
        let db = fresh_db();
        let mut h = harness(&db, opts(lang));
        h.press(LEMSCARE_WARD);
        h.press("x");
        h.press(bad);
        h.press("<Enter>");
        let s = h.screen();
        assert!(s.contains(want), "{s}");
        let name = if lang == Lang::Ja { "ja" } else { "en" };
        insta::assert_snapshot!(format!("checklist_gap_dialog_{name}"), s);
    }
}

/// The demo's LEMSCARE ward audit resumes at item 9: marks 9–16 (one a gap with owner
/// and due date), signs after a confirmation, and the matrix shows the new counts.
#[test]
fn resume_mark_sign_and_see_the_matrix() {
    let db = fresh_db();
    let mut h = harness(&db, opts(Lang::Ja));
    h.press(LEMSCARE_WARD);
    let s = h.screen();
    assert!(s.contains("点検中 8/16"), "{s}");
    assert!(
        s.contains("▶  9") || s.contains(">  9"),
        "cursor on item 9:\n{s}"
    );
    // Signing before every item is marked is not offered: the footer leaves it out.
    assert!(!s.contains("署名"), "{s}");
    h.press("oooooon");
    h.press("x");
    h.press("情報政策課 2027-03-31<Enter>");
    let s = h.screen();
    assert!(s.contains("点検中 16/16"), "{s}");
    assert!(s.contains("情報政策課"), "{s}");
    h.press("<C-s>");
    let s = h.screen();
    assert!(s.contains("署名後は変更できず"), "{s}");
    h.press("y");
    let s = h.screen();
    assert!(s.contains("署名しました"), "{s}");
    // Signed: marks are no longer offered.
    h.press("o");
    let s = h.screen();
    assert!(s.contains("署名済み"), "{s}");
    h.press("<Esc>");
    let s = h.screen();
    let row = s.lines().find(|l| l.contains("LEMSCARE")).unwrap();
    assert!(row.contains("demo-approver"), "{row}");
    assert!(!row.contains("点検中"), "{row}");
    let store = Store::open(&db.path).unwrap();
    let c = store.conn_for_tests();
    let last = checklist_audit::latest_signed(c, "lemscare", Side::Ward)
        .unwrap()
        .unwrap();
    let counts = checklist_audit::counts(c, &last).unwrap();
    assert_eq!(counts.ok + counts.not_needed + counts.gap, 16);
    assert!(counts.gap >= 1, "{counts:?}");
}

/// A colleague marks the item on screen first: the mark is not written over, the
/// message names who and what is stored, and the screen shows it.
#[test]
fn a_colleagues_mark_is_a_conflict() {
    let db = fresh_db();
    let mut h = harness(&db, opts(Lang::Ja));
    h.press(LEMSCARE_WARD);
    {
        let mut store = Store::open(&db.path).unwrap();
        let other = Actor {
            staff_id: "k777".into(),
            role: Role::Reviewer,
        };
        let a = checklist_audit::open_audit(store.conn_for_tests(), "lemscare", Side::Ward)
            .unwrap()
            .unwrap();
        svc::mark_item(
            &mut store,
            &other,
            a.id,
            9,
            0,
            &MarkInput::new(Mark::NotNeeded),
        )
        .unwrap()
        .unwrap();
    }
    h.press("o");
    let s = h.screen();
    assert!(s.contains("k777 が先に項目 9 を記録しました"), "{s}");
}

/// In an ambiguous-wide terminal no view of the checklist (matrix, items, gap dialog,
/// the sign confirmation) draws an ambiguous-width character.
#[test]
fn nothing_ambiguous_in_wide_mode() {
    use daicho::tui::glyphs::is_east_asian_ambiguous;
    use daicho::tui::probe::AmbiguousWidth;
    let db = fresh_db();
    let mut h = harness(
        &db,
        HarnessOptions {
            ambiguous: AmbiguousWidth::Wide,
            ..Default::default()
        },
    );
    for keys in ["4", "<Down><Down><Enter>", "x", "<Esc>oooooooo", "<C-s>"] {
        h.press(keys);
        let text = h.screen();
        let bad: Vec<char> = text
            .chars()
            .filter(|c| is_east_asian_ambiguous(*c))
            .collect();
        assert!(bad.is_empty(), "after {keys}: {bad:?} in\n{text}");
    }
    assert!(h.screen().contains("署名後は変更できず"), "{}", h.screen());
}

/// `<C-u>` in these tests: clear a one-line input (caret to the end, then erase).
fn keys(s: &str) -> String {
    s.replace("<C-u>", &format!("<End>{}", "<BS>".repeat(60)))
}

fn paste(h: &mut daicho::tui::testing::Harness, text: &str) {
    h.send(daicho::tui::msg::Msg::Paste(text.into()));
}

fn chmod(p: &std::path::Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// The line of the items list for item `n`.
fn item_line(s: &str, n: i64) -> String {
    let key = format!("{n:>2} ");
    s.lines()
        .find(|l| {
            let t = l.trim_start_matches(['▶', '>', ' ']);
            l.len() > 4 && t.starts_with(key.trim_start()) && l.contains(&key)
        })
        .unwrap_or_default()
        .to_string()
}

/// Issue 16's done-when: a 0644 database fails the file check shown beside item 12 with
/// the reason naming the file; after chmod 0600 and `c` (run again) it passes.
#[test]
fn self_check_beside_item_12_fails_on_0644_and_passes_on_0600() {
    let db = fresh_db();
    chmod(&db.path, 0o644);
    let mut h = harness(&db, opts(Lang::Ja));
    h.press(LEMSCARE_WARD);
    h.press("<Down><Down><Down>");
    let s = h.screen();
    let row = item_line(&s, 12);
    assert!(row.contains("NG"), "item 12 fails:\n{s}");
    assert!(!item_line(&s, 11).contains("NG"), "{s}");
    assert!(s.contains("自己点検 NG ファイルの権限と所有者"), "{s}");
    assert!(s.contains("demo.db"), "the reason names the file:\n{s}");
    let tmp = db.path.parent().unwrap().to_str().unwrap();
    insta::assert_snapshot!("checklist_selfcheck_fail_ja", s.replace(tmp, "/tmp/DB"));
    chmod(db.path.parent().unwrap(), 0o700);
    for suffix in ["", "-wal", "-shm"] {
        let p = format!("{}{suffix}", db.path.display());
        if std::path::Path::new(&p).exists() {
            chmod(std::path::Path::new(&p), 0o600);
        }
    }
    h.press("c");
    let s = h.screen();
    assert!(item_line(&s, 12).contains("OK"), "item 12 passes:\n{s}");
    assert!(s.contains("自己点検 OK ファイルの権限と所有者"), "{s}");
    assert!(s.contains("自己点検を実行しました"), "{s}");
}

#[test]
fn self_check_en() {
    let db = fresh_db();
    chmod(&db.path, 0o644);
    let mut h = harness(&db, opts(Lang::En));
    h.press(LEMSCARE_WARD);
    h.press("<Down><Down><Down>");
    let s = h.screen();
    assert!(item_line(&s, 12).contains("FAIL"), "{s}");
    let tmp = db.path.parent().unwrap().to_str().unwrap();
    insta::assert_snapshot!("checklist_selfcheck_fail_en", s.replace(tmp, "/tmp/DB"));
}

/// Note and evidence of a marked item (item 8 of the demo's open audit): the dialog
/// refuses a control character and a bad date in place, saves, and the item shows both.
#[test]
fn note_and_evidence_of_an_item() {
    let db = fresh_db();
    let mut h = harness(&db, opts(Lang::Ja));
    h.press(LEMSCARE_WARD);
    h.press("<Up>");
    // Item 9 has no mark yet: the footer does not offer e; item 8 is marked.
    h.press("e");
    h.press(&keys("<C-u>委託先の年次報告で確認"));
    h.press("<Enter>");
    let s = h.screen();
    assert!(s.contains("項目 8 の備考・根拠を保存しました"), "{s}");
    assert!(item_line(&s, 8).contains("委託先の年次報告で確認"), "{s}");
    h.press(&keys("v<C-u>委託契約書第12条 2025-13-01<Enter>"));
    let s = h.screen();
    assert!(
        s.contains("資料の日付「2025-13-01」は日付として読めません"),
        "{s}"
    );
    insta::assert_snapshot!("checklist_evidence_dialog_ja", s);
    h.press(&keys("<C-u>委託契約書第12条 2025-04-01<Enter>"));
    let s = h.screen();
    assert!(s.contains("根拠: 委託契約書第12条"), "{s}");
    let store = Store::open(&db.path).unwrap();
    let a = checklist_audit::open_audit(store.conn_for_tests(), "lemscare", Side::Ward)
        .unwrap()
        .unwrap();
    let d = checklist_audit::detail(store.conn_for_tests(), a.id)
        .unwrap()
        .unwrap();
    let row = &d.rows[7];
    assert_eq!(row.note, "委託先の年次報告で確認");
    assert_eq!(row.evidence, "委託契約書第12条");
    assert_eq!(
        row.evidence_date,
        chrono::NaiveDate::from_ymd_opt(2025, 4, 1)
    );
}

#[test]
fn evidence_dialog_en_and_free_text_rule() {
    let db = fresh_db();
    let mut h = harness(&db, opts(Lang::En));
    h.press(LEMSCARE_WARD);
    h.press(&keys("<Up>e<C-u>"));
    paste(&mut h, "a\u{202e}b");
    h.press("<Enter>");
    let s = h.screen();
    assert!(s.contains("Note: control or invisible"), "{s}");
    h.press("<Esc>v");
    insta::assert_snapshot!("checklist_evidence_dialog_en", h.screen());
}

/// A colleague changed the item after it was shown: the note is not written over.
#[test]
fn a_note_after_a_colleagues_change_is_a_conflict() {
    let db = fresh_db();
    let mut h = harness(&db, opts(Lang::Ja));
    h.press(LEMSCARE_WARD);
    h.press("<Up>");
    {
        let mut store = Store::open(&db.path).unwrap();
        let other = Actor {
            staff_id: "k777".into(),
            role: Role::Reviewer,
        };
        let c = store.conn_for_tests();
        let a = checklist_audit::open_audit(c, "lemscare", Side::Ward)
            .unwrap()
            .unwrap();
        let d = checklist_audit::detail(c, a.id).unwrap().unwrap();
        let v = d.rows[7].version;
        let mut input = MarkInput::new(Mark::Ok);
        input.note = "k777 の備考".into();
        svc::mark_item(&mut store, &other, a.id, 8, v, &input)
            .unwrap()
            .unwrap();
    }
    h.press(&keys("e<C-u>私の備考<Enter>"));
    let s = h.screen();
    assert!(s.contains("k777 が先に項目 8 を記録しました"), "{s}");
    assert!(item_line(&s, 8).contains("k777 の備考"), "{s}");
}

/// Items 2–5 carry event records: item 2 asks which kind, a wrong date stays in the
/// dialog, and the record shows under the item.
#[test]
fn record_an_inspection_under_item_2() {
    let db = fresh_db();
    let mut h = harness(&db, opts(Lang::Ja));
    h.press(LEMSCARE_WARD);
    h.press("<Home>");
    // Item 1 has no events: r is not offered there.
    h.press("r");
    assert!(!h.screen().contains("記録の種類"), "{}", h.screen());
    h.press("<Down>r");
    let s = h.screen();
    assert!(s.contains("記録の種類"), "{s}");
    h.press("<Enter>");
    h.press("2025-13-40 立入検査報告書<Enter>");
    let s = h.screen();
    assert!(
        s.contains("日付「2025-13-40」は日付として読めません"),
        "{s}"
    );
    // A second harness draws only the result (the test backend's diff leaves traces of
    // a closed box over wide characters).
    let mut h = harness(&db, opts(Lang::Ja));
    h.press(LEMSCARE_WARD);
    h.press("<Home><Down>r<Enter>2025-06-02 立入検査報告書 / 年次の立入検査<Enter>");
    let s = h.screen();
    assert!(s.contains("を記録しました（項目 2）"), "{s}");
    assert!(s.contains("立入検査報告書 年次の立入検査"), "{s}");
    insta::assert_snapshot!("checklist_event_ja", s);
}

#[test]
fn record_a_deletion_report_en() {
    let db = fresh_db();
    let mut h = harness(&db, opts(Lang::En));
    h.press(LEMSCARE_WARD);
    h.press("<Home><Down><Down>r2025-05-10 Deletion-report<Enter>");
    let s = h.screen();
    assert!(s.contains("(item 3)"), "{s}");
    insta::assert_snapshot!("checklist_event_en", s);
}

/// The interval is an admin's, from the palette; the matrix's next due follows it.
#[test]
fn interval_from_the_palette_moves_next_due() {
    let db = fresh_db();
    let mut h = harness_as(&db, Role::Admin);
    h.press("4");
    let before = h.screen();
    assert!(before.contains("点検間隔 12か月"), "{before}");
    h.press(":点検の間隔<Enter>");
    h.press(&keys("<C-u>99<Enter>"));
    let s = h.screen();
    assert!(s.contains("1〜60 の月数で入力してください"), "{s}");
    insta::assert_snapshot!("checklist_interval_dialog_ja", s);
    h.press(&keys("<C-u>6<Enter>"));
    let s = h.screen();
    assert!(s.contains("点検間隔 6か月"), "{s}");
    assert_ne!(
        before.lines().nth(4),
        s.lines().nth(4),
        "next due moved:\n{before}\n{s}"
    );
    let store = Store::open(&db.path).unwrap();
    assert_eq!(
        checklist_audit::interval_months(store.conn_for_tests()).unwrap(),
        6
    );
}

#[test]
fn interval_is_refused_to_an_approver() {
    let db = fresh_db();
    let mut h = harness(&db, opts(Lang::En));
    h.press("4:Audit interval<Enter>");
    assert!(!h.screen().contains("Months:"), "{}", h.screen());
}

/// The committee's table from the screen: HTML and CSV in the folder typed, a second
/// export beside the first, never over it.
#[test]
fn report_export_never_replaces() {
    let db = fresh_db();
    let out = db.dir.path().join("out");
    for lang in [Lang::Ja, Lang::En] {
        let mut h = harness(&db, opts(lang));
        h.press(&keys("4<Down><Down>p<C-u>"));
        paste(&mut h, out.to_str().unwrap());
        h.press("<Enter>");
        let s = h.screen();
        assert!(
            s.contains("報告書を書き出しました") || s.contains("report written"),
            "{s}"
        );
    }
    let mut names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(names.iter().filter(|n| n.ends_with(".html")).count(), 2);
    assert_eq!(names.iter().filter(|n| n.ends_with(".csv")).count(), 2);
    let csv =
        std::fs::read_to_string(out.join(names.iter().find(|n| n.ends_with(".csv")).unwrap()))
            .unwrap();
    assert!(csv.contains("情報保護対策"), "{csv}");
}

#[test]
fn report_dialog_snapshots() {
    for (lang, name) in [(Lang::Ja, "ja"), (Lang::En, "en")] {
        let db = fresh_db();
        let mut h = harness(&db, opts(lang));
        h.press(&keys("4<Down><Down>p<C-u>/tmp/report"));
        insta::assert_snapshot!(format!("checklist_report_dialog_{name}"), h.screen());
    }
}
