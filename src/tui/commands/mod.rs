//! The command registry: every action daicho can do, declared once.
//!
//! The keymap (which keys run which id), the command palette, the help screen, the
//! footer hints and `docs/commands.md` are all generated from [`COMMANDS`]. A command
//! that cannot run now says why (`enabled`), and the palette shows that reason greyed.

use super::app::{App, LedgerMode, ScreenId};
pub use super::command::{Command, Enabled, Reason, Run, Scope, flags};
use super::dispatch;
use super::screen::Host;
use crate::domain::permission::{Action, Provenance, authorize};
use std::sync::LazyLock;

fn always(_: &dyn Host) -> Result<(), Reason> {
    Ok(())
}

fn in_list(h: &dyn Host) -> Result<(), Reason> {
    let app = App::of(h);
    match app.screen {
        ScreenId::Ledger if app.ledger.mode == LedgerMode::List => Ok(()),
        ScreenId::Ledger => Err(Reason::new(
            "一覧表示のときに使えます",
            "available in the list view",
        )),
        _ => Ok(()),
    }
}

fn ledger_list(h: &dyn Host) -> Result<(), Reason> {
    let app = App::of(h);
    if app.screen != ScreenId::Ledger {
        return Err(Reason::new(
            "台帳画面で使えます",
            "available on the ledger screen",
        ));
    }
    in_list(app)
}

fn ledger_row_selected(h: &dyn Host) -> Result<(), Reason> {
    let app = App::of(h);
    if app.screen != ScreenId::Ledger {
        return Err(Reason::new(
            "台帳画面で使えます",
            "available on the ledger screen",
        ));
    }
    match app.ledger.mode {
        LedgerMode::List if app.ledger.selected_row().is_none() => Err(Reason::new(
            "事業所が選択されていません",
            "no facility selected",
        )),
        LedgerMode::Edit | LedgerMode::Conflict => {
            Err(Reason::new("編集中です", "an edit is open"))
        }
        _ => Ok(()),
    }
}

fn ledger_detail(h: &dyn Host) -> Result<(), Reason> {
    let app = App::of(h);
    if app.screen == ScreenId::Ledger && app.ledger.mode == LedgerMode::Detail {
        Ok(())
    } else {
        Err(Reason::new(
            "事業所の詳細表示で使えます",
            "available in a facility's detail view",
        ))
    }
}

fn search_enabled(h: &dyn Host) -> Result<(), Reason> {
    let app = App::of(h);
    if app.overlay::<super::overlay::help::HelpState>().is_some() {
        Ok(())
    } else {
        ledger_list(app)
    }
}

fn can_edit(h: &dyn Host) -> Result<(), Reason> {
    let app = App::of(h);
    ledger_row_selected(app)?;
    authorize(&app.shell.actor, Action::EditLedger, &Provenance::default())
        .map_err(|d| Reason::new(d.ja, d.en))
}

fn can_reveal(h: &dyn Host) -> Result<(), Reason> {
    let app = App::of(h);
    if app.screen == super::app::ScreenId::Consent {
        let consent = app.screen_ref::<super::screens::consent::ConsentScreen>();
        if consent.selected().is_none() {
            return Err(Reason::new(
                "同意案件が選択されていません",
                "no consent case selected",
            ));
        }
    } else {
        ledger_detail(app)?;
    }
    // Say what is refused (seeing personal data, not "changing") and who may.
    authorize(
        &app.shell.actor,
        Action::RevealPersonalData,
        &Provenance::default(),
    )
    .map_err(|_| {
        Reason::new(
            format!(
                "{}権限では個人情報を表示できません（審査・決裁権限なら可）",
                app.shell.actor.role.label_ja()
            ),
            format!(
                "the {} role cannot reveal personal data (reviewers and approvers can)",
                app.shell.actor.role.code()
            ),
        )
    })
}

fn in_form(h: &dyn Host) -> Result<(), Reason> {
    let app = App::of(h);
    if app.screen == ScreenId::Ledger && app.ledger.mode == LedgerMode::Edit {
        Ok(())
    } else {
        Err(Reason::new(
            "編集フォームで使えます",
            "available in an edit form",
        ))
    }
}

fn in_dialog(h: &dyn Host) -> Result<(), Reason> {
    let app = App::of(h);
    if app.has_dialog() {
        Ok(())
    } else {
        Err(Reason::new(
            "確認ダイアログで使えます",
            "available in a dialog",
        ))
    }
}

const NO_HINT: u8 = flags::NO_HINT;
const PINNED: u8 = flags::PINNED;
const NOT_RECENT: u8 = flags::NOT_RECENT;
const ANYWHERE: u8 = flags::ANYWHERE;
const NAV: u8 = flags::NO_HINT | flags::NOT_RECENT;

/// Declares each command once, as a `static` named for it (code refers to commands by
/// these names, never by id strings), and the list of all of them in registry order.
macro_rules! commands {
    ($( $name:ident = $id:literal, $scope:expr, $enabled:expr, $run:expr, $flags:expr,
        $tja:literal, $ten:literal, $dja:literal, $den:literal; )*) => {
        $( pub static $name: Command = Command {
            id: $id, scope: $scope, enabled: $enabled, run: $run, flags: $flags,
            title_ja: $tja, title_en: $ten, desc_ja: $dja, desc_en: $den,
        }; )*
        /// The app-wide and ledger commands, in registry order.
        static GLOBAL: &[&Command] = &[ $( &$name, )* ];
    };
}

use Scope::*;
use ScreenId::Ledger;
use dispatch as d;

commands! {
    APP_QUIT = "app.quit", Global, always, d::quit, PINNED | ANYWHERE,
        "終了", "Quit", "daicho を終了する（未保存の編集があれば確認）", "Leave daicho (asks first if an edit is unsaved)";
    PALETTE_OPEN = "palette.open", Global, always, d::open_palette, PINNED | NOT_RECENT,
        "コマンドパレット", "Command palette", "すべてのコマンドを名前で探して実行する", "Find and run any command by name";
    HELP_OPEN = "help.open", Global, always, d::open_help, PINNED,
        "ヘルプ", "Help", "この画面のキー操作を表示する", "Show the keys of this screen";
    VIEW_BACK = "view.back", Global, always, d::back, 0,
        "戻る", "Back", "詳細から一覧へ戻る・検索を解除する", "Back from detail to list; clear the search";
    VIEW_REFRESH = "view.refresh", Global, always, d::refresh, 0,
        "再読込", "Refresh", "表示中のデータを読み直す", "Reload what is on screen";
    SESSION_LOCK = "session.lock", Global, always, d::lock, ANYWHERE,
        "画面ロック", "Lock session", "離席時に画面をロックする", "Lock the screen while away";
    SCREEN_LEDGER = "screen.ledger", Global, always, d::screen_ledger, NO_HINT,
        "事業所台帳", "Facility ledger", "事業所台帳の画面へ", "Go to the facility ledger";
    SCREEN_INBOX = "screen.inbox", Global, always, d::screen_inbox, NO_HINT,
        "申請受付", "Application inbox", "申請・届出の受付画面へ", "Go to the application inbox";
    SCREEN_CONSENT = "screen.consent", Global, always, d::screen_consent, NO_HINT,
        "区外指定同意", "Consent queue", "区外指定の同意依頼・回答の画面へ", "Go to the consent queue";
    SCREEN_CHECKLIST = "screen.checklist", Global, always, d::screen_checklist, NO_HINT,
        "チェックリスト", "Checklist status", "個人情報保護対策チェックリストの状況へ", "Go to the privacy checklist status";
    SCREEN_JOBS = "screen.jobs", Global, always, d::screen_jobs, NO_HINT,
        "連携ジョブ", "Sync jobs", "外部システム連携ジョブの画面へ", "Go to the sync jobs";
    SCREEN_NEXT = "screen.next", Global, always, d::screen_next, 0,
        "次の画面", "Next screen", "右隣の画面へ", "Go to the next screen";
    SCREEN_PREV = "screen.prev", Global, always, d::screen_prev, 0,
        "前の画面", "Previous screen", "左隣の画面へ", "Go to the previous screen";
    LIST_UP = "list.up", List, always, d::up, NAV,
        "上へ", "Up", "1行上へ", "Move up one row";
    LIST_DOWN = "list.down", List, always, d::down, NAV,
        "下へ", "Down", "1行下へ", "Move down one row";
    LIST_PAGE_UP = "list.page_up", List, always, d::page_up, NO_HINT,
        "前ページ", "Page up", "1画面分上へ", "Move up one page";
    LIST_PAGE_DOWN = "list.page_down", List, always, d::page_down, NO_HINT,
        "次ページ", "Page down", "1画面分下へ", "Move down one page";
    LIST_TOP = "list.top", List, always, d::top, 0,
        "先頭へ", "First row", "一覧の先頭へ", "Go to the first row";
    LIST_BOTTOM = "list.bottom", List, always, d::bottom, 0,
        "末尾へ", "Last row", "一覧の末尾へ", "Go to the last row";
    LIST_OPEN = "list.open", Screen(Ledger), ledger_row_selected, d::open, 0,
        "開く", "Open", "選択した事業所の詳細を開く", "Open the selected facility";
    LIST_SEARCH = "list.search", Screen(Ledger), search_enabled, d::search, 0,
        "検索", "Search", "名称・カナ・住所・法人・事業所番号で絞り込む", "Filter by name, kana, address, corporation, number";
    LIST_SORT_NEXT = "list.sort_next", Screen(Ledger), ledger_list, d::sort_next, 0,
        "並べ替え列", "Sort column", "並べ替えの列を切り替える", "Sort by the next column";
    LIST_SORT_REVERSE = "list.sort_reverse", Screen(Ledger), ledger_list, d::sort_reverse, 0,
        "昇順/降順", "Reverse sort", "並び順を反転する", "Reverse the sort order";
    LIST_FILTER = "list.filter", Screen(Ledger), ledger_list, d::filter, 0,
        "絞り込み", "Filter", "サービス種類・状態・期限で絞り込む", "Filter by service, status, deadlines";
    LIST_CLEAR_FILTER = "list.clear_filter", Screen(Ledger), ledger_list, d::clear_filter, 0,
        "絞り込み解除", "Clear filter", "検索と絞り込みをすべて解除する", "Clear search and filters";
    LIST_EXPORT_CSV = "list.export_csv", Screen(Ledger), ledger_list, d::export_csv, 0,
        "CSV出力", "Export CSV", "表示中の一覧をCSVに書き出す（Excel用UTF-8 / Shift_JIS）", "Write the filtered list as CSV (UTF-8 for Excel, or Shift_JIS)";
    LEDGER_ALERTS = "ledger.alerts", Screen(Ledger), ledger_list, d::alerts, 0,
        "要対応", "Alerts", "期限3か月以内・会議期限超過・全件 を順に切り替える", "Cycle: expiring in 3 months, meeting overdue, all";
    LEDGER_EDIT = "ledger.edit", Screen(Ledger), can_edit, d::edit, 0,
        "編集", "Edit", "事業所の基本情報を編集する", "Edit the facility's basic information";
    LEDGER_TAB_NEXT = "ledger.tab_next", Screen(Ledger), ledger_detail, d::tab_next, 0,
        "次のタブ", "Next tab", "詳細の次のタブへ", "Next detail tab";
    LEDGER_TAB_PREV = "ledger.tab_prev", Screen(Ledger), ledger_detail, d::tab_prev, 0,
        "前のタブ", "Previous tab", "詳細の前のタブへ", "Previous detail tab";
    RECORD_REVEAL = "record.reveal", Screen(Ledger), can_reveal, d::reveal, 0,
        "個人情報を表示", "Reveal personal data", "理由を記録して伏せ字を一時的に外す（事業所の詳細・同意案件）", "Unmask personal data for a while, with a logged reason (facility detail, consent case)";
    FORM_NEXT_FIELD = "form.next_field", Form, in_form, d::next_field, 0,
        "次の項目", "Next field", "次の入力項目へ", "Next field";
    FORM_PREV_FIELD = "form.prev_field", Form, in_form, d::prev_field, 0,
        "前の項目", "Previous field", "前の入力項目へ", "Previous field";
    FORM_SAVE = "form.save", Form, in_form, d::save, 0,
        "保存", "Save", "入力を検証して保存する", "Validate and save";
    FORM_CANCEL = "form.cancel", Form, in_form, d::cancel_edit, 0,
        "編集をやめる", "Cancel edit", "編集を破棄する（変更があれば確認）", "Discard the edit (asks first if changed)";
    DIALOG_CONFIRM = "dialog.confirm", Dialog, in_dialog, d::confirm, NOT_RECENT,
        "決定", "Confirm", "ダイアログの選択を確定する", "Confirm the dialog";
    DIALOG_CANCEL = "dialog.cancel", Dialog, in_dialog, d::cancel, NOT_RECENT,
        "取消", "Cancel", "ダイアログを閉じる", "Close the dialog";
}

/// Every command: the app's, then each screen's (`screens::commands`).
pub static COMMANDS: LazyLock<Vec<&'static Command>> = LazyLock::new(|| {
    GLOBAL
        .iter()
        .copied()
        .chain(super::screens::commands())
        .collect()
});

pub fn find(id: &str) -> Option<&'static Command> {
    COMMANDS.iter().copied().find(|c| c.id == id)
}

/// Whether help and the footer list a binding of `context` for `cmd` on `screen`: a
/// screen's own context, an overlay's, or a shared one ([list], [global]) when the
/// command's scope applies there.
pub fn listed(cmd: &Command, context: &str, screen: ScreenId) -> bool {
    !matches!(context, "list" | "global") || cmd.scope.applies_to(screen)
}

pub fn is_known(id: &str) -> bool {
    find(id).is_some()
}

/// `docs/commands.md`: every command with its keys in the default keymap. A test keeps
/// the file in step with the registry.
pub fn reference_markdown(keymap: &super::keymap::Keymap) -> String {
    let mut out = String::from(
        "# daicho commands\n\nGenerated from the command registry (`src/tui/commands.rs`) and \
         `keymaps/default.toml` by `UPDATE_DOCS=1 cargo test --test docs`. Every command is \
         also in the command palette (`C-p` or `:`).\n\n| id | 日本語 | English | keys | context | what it does |\n|---|---|---|---|---|---|\n",
    );
    for c in COMMANDS.iter() {
        let ctx = c.scope.context();
        let keys: Vec<String> = keymap
            .keys_for(c.id, &[ctx])
            .iter()
            .map(|k| format!("`{}`", super::keymap::display_sequence(k)))
            .collect();
        out.push_str(&format!(
            "| `{}` | {} | {} | {} | {} | {} |\n",
            c.id,
            c.title_ja,
            c.title_en,
            keys.join(" "),
            ctx,
            c.desc_en
        ));
    }
    out
}

#[cfg(test)]
mod tests;
