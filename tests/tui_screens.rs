//! Every screen at 80×24 in Japanese and English, as insta snapshots, plus the
//! layout rules: nothing panics down to 20×5, nothing ambiguous in wide mode.

#![allow(clippy::unwrap_used)] // test binary: helpers outside #[test] may unwrap too

mod common;

use common::{fresh_db, harness, harness_as};
use daicho::domain::permission::Role;
use daicho::tui::glyphs::is_east_asian_ambiguous;
use daicho::tui::i18n::Lang;
use daicho::tui::probe::AmbiguousWidth;
use daicho::tui::testing::HarnessOptions;

fn opts(lang: Lang) -> HarnessOptions {
    HarnessOptions {
        lang,
        ..Default::default()
    }
}

/// (snapshot name, keys from the start screen)
const SCREENS: &[(&str, &str)] = &[
    ("ledger_list", ""),
    ("ledger_detail", "<Enter>"),
    ("ledger_designations", "<Enter>]"),
    ("ledger_staff", "<Enter>]]]"),
    ("ledger_edit", "<Down><Enter>e"),
    ("inbox", "2"),
    ("consent", "3"),
    ("checklist", "4"),
    ("jobs", "5"),
    ("palette", "<C-p>"),
    ("help", "?"),
    ("filter_menu", "f"),
    ("alerts_expiring", "a"),
    ("inbox_case", "2<Enter>"),
    ("consent_case", "3<Enter>"),
    ("consent_prior", "3]]"),
];

/// One snapshot per test, so one mismatch does not hide the others.
fn snapshot(name: &str, lang: Lang) {
    let keys = SCREENS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, k)| *k)
        .unwrap();
    let suffix = if lang == Lang::Ja { "ja" } else { "en" };
    let db = fresh_db();
    let mut h = harness(&db, opts(lang));
    h.press(keys);
    insta::assert_snapshot!(format!("{name}_{suffix}"), h.screen());
}

macro_rules! screen_snapshots {
    ($( $test:ident: $name:literal, $lang:ident; )*) => {
        $( #[test] fn $test() { snapshot($name, Lang::$lang); } )*
        /// Every entry of SCREENS has its two tests above.
        #[test]
        fn every_screen_has_its_snapshot_tests() {
            let tested = [$( $name ),*];
            for (name, _) in SCREENS {
                assert_eq!(tested.iter().filter(|t| *t == name).count(), 2, "{name}");
            }
        }
    };
}

screen_snapshots! {
    ledger_list_ja: "ledger_list", Ja;
    ledger_list_en: "ledger_list", En;
    ledger_detail_ja: "ledger_detail", Ja;
    ledger_detail_en: "ledger_detail", En;
    ledger_designations_ja: "ledger_designations", Ja;
    ledger_designations_en: "ledger_designations", En;
    ledger_staff_ja: "ledger_staff", Ja;
    ledger_staff_en: "ledger_staff", En;
    ledger_edit_ja: "ledger_edit", Ja;
    ledger_edit_en: "ledger_edit", En;
    inbox_ja: "inbox", Ja;
    inbox_en: "inbox", En;
    inbox_case_ja: "inbox_case", Ja;
    inbox_case_en: "inbox_case", En;
    consent_ja: "consent", Ja;
    consent_en: "consent", En;
    checklist_ja: "checklist", Ja;
    checklist_en: "checklist", En;
    jobs_ja: "jobs", Ja;
    jobs_en: "jobs", En;
    palette_ja: "palette", Ja;
    palette_en: "palette", En;
    help_ja: "help", Ja;
    help_en: "help", En;
    filter_menu_ja: "filter_menu", Ja;
    filter_menu_en: "filter_menu", En;
    alerts_expiring_ja: "alerts_expiring", Ja;
    alerts_expiring_en: "alerts_expiring", En;
    consent_case_ja: "consent_case", Ja;
    consent_case_en: "consent_case", En;
    consent_prior_ja: "consent_prior", Ja;
    consent_prior_en: "consent_prior", En;
}

#[test]
fn no_panic_at_any_size_and_too_small_notice() {
    let db = fresh_db();
    let mut h = harness(&db, opts(Lang::Ja));
    for (w, hgt) in [
        (60, 20),
        (40, 10),
        (20, 5),
        (19, 5),
        (20, 4),
        (1, 1),
        (200, 60),
        (80, 24),
    ] {
        h.resize(w, hgt);
        for (_, keys) in SCREENS {
            h.press("<Esc><Esc>1");
            h.press(keys);
            let text = h.screen();
            if w < 20 || hgt < 5 {
                assert!(
                    text.contains("端末が小さすぎます") || w < 18,
                    "{w}x{hgt}: {text}"
                );
            }
        }
    }
}

#[test]
fn wide_mode_draws_no_ambiguous_width_character() {
    for (name, keys) in SCREENS {
        let db = fresh_db();
        let mut h = harness(
            &db,
            HarnessOptions {
                ambiguous: AmbiguousWidth::Wide,
                ..Default::default()
            },
        );
        h.press(keys);
        let text = h.screen();
        let bad: Vec<char> = text
            .chars()
            .filter(|c| is_east_asian_ambiguous(*c))
            .collect();
        assert!(
            bad.is_empty(),
            "{name}: ambiguous characters {bad:?} in\n{text}"
        );
    }
}

#[test]
fn viewer_sees_edit_refused_with_reason() {
    let db = fresh_db();
    let mut h = harness_as(&db, Role::Viewer);
    h.press("<Enter>e");
    let text = h.screen();
    assert!(text.contains("閲覧権限では変更できません"), "{text}");
}
