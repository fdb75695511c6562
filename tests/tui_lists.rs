//! Lists: sorting, the filter menu, help keys and drawing text the way terminals do.

#![allow(clippy::unwrap_used)] // test binary: helpers outside #[test] may unwrap too

mod common;

use common::{fresh_db, harness};
use daicho::store::Store;
use daicho::store::facilities::{self, Direction};
use daicho::tui::help::HelpState;
use daicho::tui::i18n::Lang;
use daicho::tui::overlay::menu::Menu;
use daicho::tui::probe::AmbiguousWidth;
use daicho::tui::screen::Host;
use daicho::tui::testing::{Harness, HarnessOptions};

/// Body lines of the ledger list that show a facility (a provider number after the gutter).
fn listed_rows(screen: &str) -> Vec<String> {
    screen
        .lines()
        .skip(3)
        .filter(|l| l.chars().skip(2).take(2).collect::<String>() == "13")
        .map(str::to_string)
        .collect()
}

fn first_in_store(h: &Harness, db: &common::TestDb) -> i64 {
    let store = Store::open(&db.path).unwrap();
    facilities::page(
        store.conn_for_tests(),
        &h.app.ledger().query,
        None,
        Direction::Forward,
        1,
    )
    .unwrap()[0]
        .1
        .id
}

#[test]
fn reverse_sort_on_a_fresh_start_fills_the_page_from_the_top() {
    let db = fresh_db();
    let mut h = harness(&db, HarnessOptions::default());
    h.press("S");
    let screen = h.screen();
    assert_eq!(listed_rows(&screen).len(), 19, "{screen}");
    assert_eq!(h.app.ledger().selected, 0);
    assert_eq!(
        h.app.ledger().selected_row().unwrap().id,
        first_in_store(&h, &db)
    );
    // The first key moves the cursor.
    h.press("<Down>");
    assert_eq!(h.app.ledger().selected, 1);
}

#[test]
fn a_new_sort_shows_the_top_of_the_new_order() {
    let db = fresh_db();
    let mut h = harness(&db, HarnessOptions::default());
    h.press(&"<Down>".repeat(100));
    for keys in ["s", "s", "s", "S", "s"] {
        h.press(keys);
        assert_eq!(h.app.ledger().offset, 0, "after {keys}");
        let top = first_in_store(&h, &db);
        assert_eq!(h.app.ledger().rows[0].1.id, top, "after {keys}");
        assert_eq!(listed_rows(&h.screen()).len(), 19, "after {keys}");
    }
}

#[test]
fn a_new_sort_keeps_the_cursor_on_a_facility_of_the_first_page() {
    let db = fresh_db();
    let mut h = harness(&db, HarnessOptions::default());
    h.press("/しらかば<Enter>");
    let n = h.app.ledger().rows.len();
    assert!((3..=19).contains(&n), "{n} rows");
    h.press("<Down><Down>");
    let id = h.app.ledger().selected_row().unwrap().id;
    for keys in ["S", "s", "s", "S"] {
        h.press(keys);
        assert_eq!(
            h.app.ledger().selected_row().unwrap().id,
            id,
            "after {keys}"
        );
        assert_eq!(h.app.ledger().offset, 0);
    }
}

fn header(h: &mut Harness) -> String {
    h.screen().lines().nth(2).unwrap().to_string()
}

#[test]
fn the_header_marks_the_sort_column_in_every_language_and_width() {
    for (lang, ambiguous, asc, desc) in [
        (
            Lang::Ja,
            AmbiguousWidth::Narrow,
            "事業所番号▲",
            "事業所番号▼",
        ),
        (Lang::Ja, AmbiguousWidth::Wide, "事業所番号^", "事業所番号v"),
        (Lang::En, AmbiguousWidth::Narrow, "Number▲", "Number▼"),
    ] {
        let db = fresh_db();
        let mut h = harness(
            &db,
            HarnessOptions {
                lang,
                ambiguous,
                ..Default::default()
            },
        );
        let line = header(&mut h);
        assert!(line.contains(asc), "{line}");
        h.press("S");
        let line = header(&mut h);
        assert!(line.contains(desc), "{line}");
        h.press("sss");
        let line = header(&mut h);
        assert!(!line.contains(desc), "{line}");
        assert!(line.contains(&desc[desc.len() - desc.chars().last().unwrap().len_utf8()..]));
    }
}

#[test]
fn the_filter_menu_jumps_with_home_end_and_the_page_keys() {
    let db = fresh_db();
    let mut h = harness(&db, HarnessOptions::default());
    h.press("f");
    let selected = |h: &Harness| match h.app.overlay::<Menu<dyn Host>>() {
        Some(m) => (m.selected, m.items.len()),
        None => panic!("the filter menu is not open"),
    };
    let (_, n) = selected(&h);
    assert!(n > 25, "{n} items");
    h.press("<End>");
    assert_eq!(selected(&h).0, n - 1);
    h.press("<Home>");
    assert_eq!(selected(&h).0, 0);
    h.press("<PageDown>");
    let page = selected(&h).0;
    assert!(page > 1, "PageDown moved {page}");
    h.press("<PageUp>");
    assert_eq!(selected(&h).0, 0);
    h.press("<End><PageUp>");
    assert_eq!(selected(&h).0, n - 1 - page);
    h.press("<PageDown><PageDown>");
    assert_eq!(selected(&h).0, n - 1);
    // Up and Down still wrap around.
    h.press("<Home><Up>");
    assert_eq!(selected(&h).0, n - 1);
    h.press("<Down>");
    assert_eq!(selected(&h).0, 0);
}

#[test]
fn vim_g_and_gg_scroll_help_to_the_end_and_back() {
    let db = fresh_db();
    let mut h = harness(
        &db,
        HarnessOptions {
            vim: true,
            ..Default::default()
        },
    );
    let scroll = |h: &Harness| match h.app.overlay::<HelpState>() {
        Some(s) => s.scroll,
        None => panic!("help is not open"),
    };
    h.press("?");
    let first = h.screen();
    assert!(
        !first.contains("表示幅"),
        "help is longer than the screen: {first}"
    );
    h.press("G");
    let bottom = h.screen();
    assert!(bottom.contains("表示幅"), "{bottom}");
    let end = scroll(&h);
    assert!(end > 0);
    // Down at the end stays at the end; Up moves back one line.
    h.press("j");
    assert_eq!(scroll(&h), end);
    h.press("k");
    assert_eq!(scroll(&h), end - 1);
    h.press("gg");
    assert_eq!(scroll(&h), 0);
    // End does the same without the vim layer.
    let mut h = harness(&db, HarnessOptions::default());
    h.press("?");
    h.screen();
    h.press("<End>");
    assert!(h.screen().contains("表示幅"));
}

const HALF: &str = "ｹｱﾌﾟﾗﾝｾﾝﾀｰﾀﾞｲｺﾞ";

/// Every cell as the terminal will draw it: no half-width kana, no cell holding more
/// than one char's worth of width, and each row exactly as wide as the screen.
fn assert_cells_are_terminal_safe(h: &mut Harness) {
    use unicode_width::UnicodeWidthChar;
    h.screen();
    let buf = h.terminal.backend().buffer().clone();
    for y in 0..buf.area.height {
        let mut x = 0;
        while x < buf.area.width {
            let sym = buf[(x, y)].symbol();
            assert!(
                !sym.chars().any(|c| ('\u{FF61}'..='\u{FF9F}').contains(&c)),
                "half-width kana in cell {x},{y}: {sym:?}"
            );
            let per_char: usize = sym.chars().map(|c| c.width().unwrap_or(0)).sum();
            assert!(
                sym.chars().count() == 1 || per_char <= 1,
                "cell {x},{y} merges {sym:?}"
            );
            x += per_char.max(1) as u16;
        }
    }
}

#[test]
fn halfwidth_kana_with_sound_marks_draw_full_width_everywhere() {
    let db = fresh_db();
    {
        let store = Store::open(&db.path).unwrap();
        store
            .conn_for_tests()
            .execute(
                &format!(
                    "UPDATE facility SET name = '{HALF}' WHERE id IN \
                     (SELECT id FROM facility ORDER BY provider_number LIMIT 3)"
                ),
                [],
            )
            .unwrap();
    }
    let mut h = harness(&db, HarnessOptions::default());
    let screen = h.screen();
    assert_cells_are_terminal_safe(&mut h);
    // The status column stays where it is on every row.
    let rows = listed_rows(&screen);
    let status_at: Vec<usize> = rows
        .iter()
        .map(|r| {
            let col = r
                .find("指定中")
                .or_else(|| r.find("廃止"))
                .or_else(|| r.find("休止"));
            unicode_width::UnicodeWidthStr::width(&r[..col.unwrap()])
        })
        .collect();
    assert!(status_at.windows(2).all(|w| w[0] == w[1]), "{screen}");
    assert_eq!(rows.len(), 19, "{screen}");
    // The search line and the status line.
    h.press(&format!("/{HALF}"));
    let screen = h.screen();
    assert!(
        screen.contains("検索: ケアプランセンターダイゴ"),
        "{screen}"
    );
    assert_cells_are_terminal_safe(&mut h);
    h.press("<Esc><Home>");
    // The detail view.
    h.press("<Enter>");
    let screen = h.screen();
    assert!(screen.contains("ケアプランセンターダイゴ"), "{screen}");
    assert_cells_are_terminal_safe(&mut h);
}

fn opts(lang: Lang) -> HarnessOptions {
    HarnessOptions {
        lang,
        ..Default::default()
    }
}

#[test]
fn other_screens_neither_list_nor_refuse_the_ledger_s_list_keys() {
    let db = fresh_db();
    let mut h = harness(&db, HarnessOptions::default());
    for (screen, title) in [
        ("2", "【申請受付】"),
        // The consent queue binds / s f F Enter itself (tests/tui_consent.rs).
        // The checklist's own `s` (start audit) and Enter (items) are skipped below.
        ("4", "【チェック】"),
        ("5", "【連携ジョブ】"),
    ] {
        h.press(screen);
        for key in ["/", "s", "S", "f", "F", "x", "<Enter>"] {
            // The checklist's own `s`/Enter and the inbox's Enter are their own commands
            // (their flow tests cover them).
            // The inbox searches (`/`), exports (`x`) and clears its filters (`F`) with
            // its own commands (tests/tui_inbox.rs).
            if (screen == "4" && ["s", "<Enter>"].contains(&key))
                || (screen == "2" && ["<Enter>", "/", "x", "F"].contains(&key))
            {
                continue;
            }
            h.press(key);
            let text = h.screen();
            assert!(
                !text.contains("台帳画面で使えます"),
                "{screen} {key}: {text}"
            );
            assert!(h.app.overlays.is_empty(), "{screen} {key}");
            h.press("<Esc>");
        }
        h.press("?");
        let help = h.screen();
        for ledger_only in ["並べ替え列", "絞り込み解除", "CSV出力", "検索"] {
            // The inbox sorts its own list (inbox.sort_next), with its own command.
            if screen == "2" && ledger_only == "並べ替え列" {
                assert!(help.contains("処理期限を過ぎた申請だけを表示"), "{help}");
                continue;
            }
            // …and has its own search and export (tests/tui_inbox.rs).
            if screen == "2" && ["検索", "CSV出力"].contains(&ledger_only) {
                continue;
            }
            assert!(!help.contains(ledger_only), "{screen}: {help}");
        }
        assert!(help.contains(title), "{help}");
        h.press("q");
    }
    // On the ledger they are listed and work.
    h.press("1?");
    let help = h.screen();
    assert!(
        help.contains("並べ替え列") && help.contains("【事業所台帳】"),
        "{help}"
    );
}

#[test]
fn help_sections_are_words_and_descriptions_wrap() {
    for lang in [Lang::Ja, Lang::En] {
        let db = fresh_db();
        let mut h = harness(&db, opts(lang));
        h.press("?");
        let mut text = h.screen();
        h.press("<End>");
        text.push_str(&h.screen());
        for config_name in ["[ledger]", "[list]", "[global]"] {
            assert!(!text.contains(config_name), "{text}");
        }
        // The reveal description is longer than one line: its end is on the next.
        let end = lang.t("所の詳細・同意案件）", "case)");
        assert!(text.contains(end), "{text}");
    }
}

#[test]
fn the_palette_shows_whole_reasons_in_the_ui_language_s_brackets() {
    let db = fresh_db();
    let mut h = harness(&db, HarnessOptions::default());
    h.press("<C-p>form.save");
    let text = h.screen();
    assert!(text.contains("（編集フォームで使えます）"), "{text}");
    assert!(!text.contains("(編集"), "{text}");
    // A viewer opens a facility; the reveal refusal is too long for its row, and the
    // whole reason is under the list.
    let mut h = harness(
        &db,
        HarnessOptions {
            role: daicho::domain::permission::Role::Viewer,
            ..Default::default()
        },
    );
    h.press("<Enter><C-p>record.reveal");
    let text = h.screen();
    assert!(
        text.contains("（閲覧権限では個人情報を表示できません（審査・決裁権限なら可））"),
        "{text}"
    );
}

#[test]
fn english_labels_are_whole_and_checklist_dates_are_wareki() {
    let db = fresh_db();
    let mut h = harness(&db, opts(Lang::En));
    h.press("2");
    let inbox = h.screen();
    assert!(
        inbox.contains("Addition notice ") && inbox.contains("Under review "),
        "{inbox}"
    );
    h.press("3");
    let consent = h.screen();
    assert!(
        consent.contains("Requested ") && consent.contains("Prior consent "),
        "{consent}"
    );
    let mut h = harness(&db, HarnessOptions::default());
    h.press("4");
    let checklist = h.screen();
    assert!(
        checklist.contains("R8.") && !checklist.contains("2026-"),
        "{checklist}"
    );
}

#[test]
fn small_terminals_keep_the_counts_and_tiny_ones_say_how_big_to_be() {
    let db = fresh_db();
    for lang in [Lang::Ja, Lang::En] {
        let mut h = harness(&db, opts(lang));
        for (w, hgt) in [(80, 24), (60, 20), (40, 10)] {
            h.resize(w, hgt);
            let screen = h.screen();
            let header = screen.lines().next().unwrap();
            let d = &h.app.due;
            assert!(d.expiring > 0 && d.meetings_overdue > 0, "{d:?}");
            for n in [
                d.expiring,
                d.meetings_overdue,
                d.applications_overdue,
                d.checklist_gaps,
            ] {
                // `更新期限 17` in words, `期限:17` abbreviated: the number stays.
                let n = n.to_string();
                let numbers: Vec<&str> = header
                    .split(|c: char| !c.is_ascii_digit())
                    .filter(|s| !s.is_empty())
                    .collect();
                assert!(
                    numbers.contains(&n.as_str()),
                    "{w}x{hgt}: {n} missing in {header}"
                );
            }
            let columns = screen.lines().nth(2).unwrap();
            assert!(!columns.contains('…'), "{w}x{hgt}: {columns}");
            let rows = listed_rows(&screen);
            assert_eq!(rows.len(), hgt as usize - 5, "{w}x{hgt}: {screen}");
        }
        for (w, hgt) in [(39, 10), (40, 9), (20, 5), (12, 3)] {
            h.resize(w, hgt);
            let screen: String = h.screen().split_whitespace().collect();
            let expected = lang
                .t(
                    &format!("端末が小さすぎます（今{w}x{hgt}）。40x10以上"),
                    &format!("Terminaltoosmall({w}x{hgt}):makeitatleast40x10"),
                )
                .to_string();
            let shown: String = screen.chars().take(expected.chars().count()).collect();
            if w >= 20 {
                assert_eq!(shown, expected, "{w}x{hgt}");
            } else {
                assert!(
                    screen.starts_with(lang.t("端末", "Term")),
                    "{w}x{hgt}: {screen}"
                );
            }
        }
    }
}
