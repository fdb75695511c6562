//! The command registry: every action daicho can do, declared once.
//!
//! The keymap (which keys run which id), the command palette, the help screen, the
//! footer hints and `docs/commands.md` are all generated from [`COMMANDS`]. A command
//! that cannot run now says why (`enabled`), and the palette shows that reason greyed.

pub use super::command::{Command, Enabled, Reason, Run, Scope, flags};
use super::dispatch;
use super::screen::Host;
use super::screens::ledger::commands as ledger_commands;
use super::ui::ScreenId;
use crate::domain::permission::{Action, Provenance, authorize};
use std::sync::LazyLock;

fn always(_: &dyn Host) -> Result<(), Reason> {
    Ok(())
}

/// `/`: help's filter, or the ledger's search line.
fn search_enabled(h: &dyn Host) -> Result<(), Reason> {
    if h.overlay_searchable() {
        Ok(())
    } else {
        ledger_commands::in_list(h)
    }
}

/// What the screen on display can reveal, and whether this user may.
fn can_reveal(h: &dyn Host) -> Result<(), Reason> {
    let active = h.active();
    let screen = h.screens().iter().find(|s| s.id() == active);
    match screen.map(|s| s.reveal(h.shell())) {
        Some(Ok(_)) => {}
        Some(Err(r)) => return Err(r),
        None => return Err(Reason::new("", "")),
    }
    let actor = &h.shell().actor;
    // Say what is refused (seeing personal data, not "changing") and who may.
    authorize(actor, Action::RevealPersonalData, &Provenance::default()).map_err(|_| {
        Reason::new(
            format!(
                "{}権限では個人情報を表示できません（審査・決裁権限なら可）",
                actor.role.label_ja()
            ),
            format!(
                "the {} role cannot reveal personal data (reviewers and approvers can)",
                actor.role.code()
            ),
        )
    })
}

fn in_dialog(h: &dyn Host) -> Result<(), Reason> {
    if h.has_dialog() {
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
    SCREEN_OVERVIEW = "screen.overview", Global, always, d::screen_overview, NO_HINT,
        "概況", "Overview", "概況（期限・申請・同意・チェック・ジョブの状況）の画面へ", "Go to the overview of what is due";
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
    LIST_SEARCH = "list.search", Screen(Ledger), search_enabled, d::search, 0,
        "検索", "Search", "名称・カナ・住所・法人・事業所番号で絞り込む", "Filter by name, kana, address, corporation, number";
    RECORD_REVEAL = "record.reveal", Screen(Ledger), can_reveal, d::reveal, 0,
        "個人情報を表示", "Reveal personal data", "理由を記録して伏せ字を一時的に外す（事業所の詳細・同意案件）", "Unmask personal data for a while, with a logged reason (facility detail, consent case)";
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
