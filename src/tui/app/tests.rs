use super::*;
use crate::domain::permission::Role;
use crate::domain::view::PermissionWarning;
use crate::tui::theme::ColorMode;
use crate::tui::{commands, glyphs, keymap::files, probe::AmbiguousWidth};

fn app_with(lang: Lang, startup_warnings: Vec<PermissionWarning>) -> App {
    let loaded = files::load(None, false, &commands::is_known);
    App::new(AppConfig {
        lang,
        theme: Theme::new(ColorMode::Mono),
        glyphs: glyphs::for_width(AmbiguousWidth::Narrow, false),
        keymap: loaded.keymap,
        keymap_messages: Vec::new(),
        startup_warnings,
        actor: Actor {
            staff_id: "demo-approver".into(),
            role: Role::Approver,
        },
        db_label: "demo.db".into(),
        demo: true,
        today: crate::tui::testing::test_today(),
        today_pinned: true,
        expiring_months: 3,
        service_types: Vec::new(),
        export_dir: PathBuf::from("/tmp"),
        idle_lock: None,
        start_screen: crate::tui::ui::ScreenId::Overview,
    })
}

#[test]
fn the_file_mode_warning_at_start_speaks_the_ui_language() {
    let w = PermissionWarning {
        path: PathBuf::from("/srv/daicho/daicho.db"),
        mode: 0o644,
        want: 0o600,
        is_dir: false,
    };
    let ja = app_with(Lang::Ja, vec![w.clone()])
        .shell
        .status
        .unwrap()
        .text;
    assert!(
        ja.contains("/srv/daicho/daicho.db")
            && ja.contains("0644")
            && ja.contains("他のアカウント")
            && !ja.contains("has mode"),
        "{ja}"
    );
    let en = app_with(Lang::En, vec![w]).shell.status.unwrap().text;
    assert!(
        en.starts_with("database file /srv/daicho/daicho.db has mode 0644"),
        "{en}"
    );
}
