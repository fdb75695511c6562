//! The overview screen (概況): the first screen, its snapshots (ja/en, 80×24 and
//! 120×40, ambiguous-wide), its numbers against the store's counts on the demo
//! database, its keys opening the lists behind the blocks, and live refresh.

#![allow(clippy::unwrap_used)] // test binary: helpers outside #[test] may unwrap too

mod common;

use common::{fresh_db, harness};
use daicho::domain::inbox::InboxQuery;
use daicho::tui::glyphs::is_east_asian_ambiguous;
use daicho::tui::i18n::Lang;
use daicho::tui::probe::AmbiguousWidth;
use daicho::tui::screens::overview::OverviewScreen;
use daicho::tui::testing::{HarnessOptions, test_today};
use daicho::tui::ui::ScreenId;

fn opts(lang: Lang, width: u16, height: u16, ambiguous: AmbiguousWidth) -> HarnessOptions {
    HarnessOptions {
        lang,
        width,
        height,
        ambiguous,
        first: ScreenId::Overview,
        ..Default::default()
    }
}

fn shot(name: &str, o: HarnessOptions) {
    let db = fresh_db();
    let mut h = harness(&db, o);
    assert_eq!(h.app.screen, ScreenId::Overview);
    insta::assert_snapshot!(name, h.screen());
}

#[test]
fn overview_80x24_ja() {
    shot(
        "overview_80x24_ja",
        opts(Lang::Ja, 80, 24, AmbiguousWidth::Narrow),
    );
}
#[test]
fn overview_80x24_en() {
    shot(
        "overview_80x24_en",
        opts(Lang::En, 80, 24, AmbiguousWidth::Narrow),
    );
}
#[test]
fn overview_120x40_ja() {
    shot(
        "overview_120x40_ja",
        opts(Lang::Ja, 120, 40, AmbiguousWidth::Narrow),
    );
}
#[test]
fn overview_120x40_en() {
    shot(
        "overview_120x40_en",
        opts(Lang::En, 120, 40, AmbiguousWidth::Narrow),
    );
}
#[test]
fn overview_wide_ja() {
    shot(
        "overview_wide_ja",
        opts(Lang::Ja, 80, 24, AmbiguousWidth::Wide),
    );
}

#[test]
fn wide_mode_overview_has_no_ambiguous_character() {
    for (w, hgt) in [(80, 24), (120, 40)] {
        let db = fresh_db();
        let mut h = harness(&db, opts(Lang::Ja, w, hgt, AmbiguousWidth::Wide));
        let text = h.screen();
        let bad: Vec<char> = text
            .chars()
            .filter(|c| is_east_asian_ambiguous(*c))
            .collect();
        assert!(bad.is_empty(), "{w}x{hgt}: {bad:?}\n{text}");
    }
}

#[test]
fn numbers_equal_the_stores_counts() {
    let db = fresh_db();
    let h = harness(&db, opts(Lang::Ja, 80, 24, AmbiguousWidth::Narrow));
    let o = h.app.screen_ref::<OverviewScreen>().data.clone().unwrap();
    let conn = daicho::store::Store::open(&db.path).unwrap();
    let c = conn.conn_for_tests();
    let today = test_today();
    // Expiring: renewals_due over 12 months, by month.
    let due = daicho::store::notices::renewals_due(c, today, 12, 2).unwrap();
    let charted: usize = o.expiring.iter().map(|(_, n)| n).sum();
    let in_chart = due
        .iter()
        .filter(|r| {
            o.expiring.iter().any(|(m, _)| {
                r.expires_on.format("%Y-%m").to_string() == m.format("%Y-%m").to_string()
            })
        })
        .count();
    assert_eq!(charted, in_chart);
    assert!(
        charted > 0,
        "the demo has designations ending within a year"
    );
    assert_eq!(o.expiring.len(), 12);
    // Inbox: per status from inbox::list, overdue from the header's count.
    let page = daicho::store::inbox::list(
        c,
        &InboxQuery {
            open_only: true,
            ..InboxQuery::default()
        },
        today,
        0,
    )
    .unwrap();
    for (s, n) in &o.inbox_by_status {
        let want = page.by_status.iter().find(|(t, _)| t == s).unwrap().1;
        assert_eq!(*n, want, "{s:?}");
    }
    let open: usize = o.inbox_by_status.iter().map(|(_, n)| n).sum();
    assert_eq!(open, page.total);
    assert_eq!(o.inbox_age.total(), page.total);
    let counts = daicho::store::dashboard::due_counts(c, today, 3).unwrap();
    assert_eq!(o.inbox_age.overdue, counts.applications_overdue);
    assert_eq!(o.meetings_overdue, counts.meetings_overdue);
    assert_eq!(o.guidance, counts.guidance);
    // Consent: awaiting an answer = requested + received; late = the store's overdue.
    let cc = daicho::store::consents::counts(c, None, today).unwrap();
    let awaiting: i64 = cc
        .by_status
        .iter()
        .filter(|(s, _)| matches!(s.code(), "requested" | "received"))
        .map(|(_, n)| n)
        .sum();
    assert_eq!(o.consent_age.total() as i64, awaiting);
    assert_eq!(o.consent_age.overdue as i64, cc.overdue);
    // Checklist: one cell per connection × side; gaps sum to the header's count.
    let gaps: usize = o.checklist.iter().filter_map(|c| c.gaps).sum();
    assert_eq!(gaps, counts.checklist_gaps);
    assert_eq!(o.jobs.len(), daicho::domain::job::JobKind::ALL.len());
}

#[test]
fn block_keys_open_the_lists_and_zero_returns() {
    let db = fresh_db();
    let mut h = harness(&db, opts(Lang::Ja, 80, 24, AmbiguousWidth::Narrow));
    for (key, screen) in [
        ("a", ScreenId::Inbox),
        ("c", ScreenId::Consent),
        ("p", ScreenId::Checklist),
        ("s", ScreenId::Jobs),
        ("e", ScreenId::Ledger),
        ("m", ScreenId::Ledger),
    ] {
        h.press("0");
        assert_eq!(h.app.screen, ScreenId::Overview);
        h.press(key);
        assert_eq!(h.app.screen, screen, "key {key}");
    }
    // `m` left the ledger filtered to overdue meetings.
    assert!(h.screen().contains("会議"), "{}", h.screen());
    h.press("0");
    assert!(h.screen().contains("[e]"));
}

#[test]
fn numbers_follow_a_change_in_the_data() {
    let db = fresh_db();
    let mut h = harness(&db, opts(Lang::Ja, 80, 24, AmbiguousWidth::Narrow));
    let before = h.app.screen_ref::<OverviewScreen>().data.clone().unwrap();
    let conn = daicho::store::Store::open(&db.path).unwrap();
    conn.conn_for_tests()
        .execute(
            "INSERT INTO quarantine(job_id, file_name, line, reason, raw) VALUES (NULL, 'x.csv', 1, 'bad', '')",
            [],
        )
        .unwrap();
    let fx = h.app.update(daicho::tui::msg::Msg::DbChanged);
    h.run_effects(fx);
    let after = h.app.screen_ref::<OverviewScreen>().data.clone().unwrap();
    assert_eq!(after.quarantine, before.quarantine + 1);
}

#[test]
fn help_explains_the_header_counts() {
    let db = fresh_db();
    let mut h = harness(&db, opts(Lang::Ja, 80, 24, AmbiguousWidth::Narrow));
    h.press("?<End>");
    let s = h.screen();
    assert!(s.contains("【画面上部の数】"), "{s}");
    assert!(s.contains("処理期限を過ぎた処理中の申請"), "{s}");
}

#[test]
fn header_uses_words_when_wide_and_abbreviations_when_narrow() {
    let db = fresh_db();
    let wide = harness(&db, opts(Lang::En, 120, 40, AmbiguousWidth::Narrow)).screen();
    assert!(
        wide.lines().next().unwrap().contains("meetings late 28"),
        "{wide}"
    );
    let narrow = harness(&db, opts(Lang::En, 80, 24, AmbiguousWidth::Narrow)).screen();
    assert!(
        narrow.lines().next().unwrap().contains("mtg:28"),
        "{narrow}"
    );
}
