//! The command registry: every action daicho can do, declared once.
//!
//! The keymap (which keys run which id), the command palette, the help screen, the
//! footer hints and `docs/commands.md` are all generated from [`COMMANDS`]. A command
//! that cannot run now says why (`enabled`), and the palette shows that reason greyed.

use super::app::{App, LedgerMode, ScreenId};
use super::dispatch;
use super::msg::Effect;
use super::screen::Host;
use crate::domain::application::ApplicationStatus;
use crate::domain::permission::{Action, Provenance, authorize};

/// Why a command cannot run now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reason {
    pub ja: String,
    pub en: String,
}

impl Reason {
    pub fn new(ja: impl Into<String>, en: impl Into<String>) -> Self {
        Self {
            ja: ja.into(),
            en: en.into(),
        }
    }
}

pub type Enabled = fn(&dyn Host) -> Result<(), Reason>;

/// Where a command belongs (its keymap context and its group in help).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Global,
    List,
    Form,
    Dialog,
    Screen(ScreenId),
}

impl Scope {
    /// Whether a command of this scope can do anything on `screen`: help and the
    /// footer list only those (a key bound in a shared context such as [list] may
    /// still run a ledger command elsewhere, and be refused with the reason).
    pub fn applies_to(self, screen: ScreenId) -> bool {
        match self {
            Scope::Global | Scope::List | Scope::Dialog => true,
            Scope::Form => screen == ScreenId::Ledger,
            Scope::Screen(s) => s == screen,
        }
    }

    pub fn context(self) -> &'static str {
        match self {
            Scope::Global => "global",
            Scope::List => "list",
            Scope::Form => "form",
            Scope::Dialog => "dialog",
            Scope::Screen(s) => s.context(),
        }
    }
}

pub struct Command {
    pub id: &'static str,
    pub title_ja: &'static str,
    pub title_en: &'static str,
    pub desc_ja: &'static str,
    pub desc_en: &'static str,
    pub scope: Scope,
    pub enabled: Enabled,
    pub run: Run,
    /// [`flags`]: footer and palette treatment.
    pub flags: u8,
}

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
        if app.consent.rows.get(app.consent.selected).is_none() {
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

/// An inbox step: a selected application that may move to `to`, by this user.
fn inbox_step(app: &App, to: ApplicationStatus) -> Result<(), Reason> {
    if app.screen != ScreenId::Inbox {
        return Err(Reason::new(
            "申請受付の画面で使えます",
            "available on the inbox screen",
        ));
    }
    let Some(row) = app.inbox.rows.get(app.inbox.selected) else {
        return Err(Reason::new(
            "申請が選択されていません",
            "no application selected",
        ));
    };
    crate::service::applications::may_transition(&app.shell.actor, row, to)
        .map_err(|e| Reason::new(e.message(true), e.message(false)))
}

fn inbox_accept(h: &dyn Host) -> Result<(), Reason> {
    let app = App::of(h);
    inbox_step(app, ApplicationStatus::Accepted)
}
fn inbox_review(h: &dyn Host) -> Result<(), Reason> {
    let app = App::of(h);
    inbox_step(app, ApplicationStatus::UnderReview)
}
fn inbox_return(h: &dyn Host) -> Result<(), Reason> {
    let app = App::of(h);
    inbox_step(app, ApplicationStatus::Returned)
}
fn inbox_approve(h: &dyn Host) -> Result<(), Reason> {
    let app = App::of(h);
    inbox_step(app, ApplicationStatus::Decided)
}
fn inbox_reject(h: &dyn Host) -> Result<(), Reason> {
    let app = App::of(h);
    inbox_step(app, ApplicationStatus::Rejected)
}
fn inbox_notify(h: &dyn Host) -> Result<(), Reason> {
    let app = App::of(h);
    inbox_step(app, ApplicationStatus::Notified)
}

fn no_job_running(h: &dyn Host) -> Result<(), Reason> {
    let app = App::of(h);
    match &app.jobs.running {
        None => Ok(()),
        Some(r) => Err(Reason::new(
            format!(
                "{}が実行中です（X で中止できます）",
                r.kind.title(crate::i18n::Lang::Ja)
            ),
            format!(
                "{} is running (X cancels it)",
                r.kind.title(crate::i18n::Lang::En)
            ),
        )),
    }
}

fn job_running(h: &dyn Host) -> Result<(), Reason> {
    let app = App::of(h);
    if app.jobs.running.is_some() {
        Ok(())
    } else {
        Err(Reason::new(
            "実行中のジョブはありません",
            "no job is running",
        ))
    }
}

/// What a command does; `App::run` has already checked `enabled`.
pub type Run = fn(&mut dyn Host) -> Vec<Effect>;

/// Registry flags: how the footer, the palette and the recent list treat a command.
pub mod flags {
    /// Never a footer hint (cursor keys, the screen numbers: shown elsewhere).
    pub const NO_HINT: u8 = 1;
    /// Always the last footer hints, so nobody is ever stuck (help, palette, quit).
    pub const PINNED: u8 = 2;
    /// Not remembered as a recent command in the palette.
    pub const NOT_RECENT: u8 = 4;
    /// Its Ctrl/function key works from any focus, even a dialog or a text field.
    pub const ANYWHERE: u8 = 8;
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
        pub static COMMANDS: &[&Command] = &[ $( &$name, )* ];
    };
}

use Scope::*;
use ScreenId::{Inbox, Jobs, Ledger};
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
    INBOX_ACCEPT = "inbox.accept", Screen(Inbox), inbox_accept, d::inbox_accept, 0,
        "受付", "Accept", "提出された申請を受け付ける", "Accept a submitted application";
    INBOX_START_REVIEW = "inbox.start_review", Screen(Inbox), inbox_review, d::inbox_review, 0,
        "審査開始", "Start review", "審査を開始する", "Start the review";
    INBOX_RETURN = "inbox.return", Screen(Inbox), inbox_return, d::inbox_return, 0,
        "差戻し", "Return", "理由を付けて申請者へ差し戻す", "Return to the applicant with a reason";
    INBOX_APPROVE = "inbox.approve", Screen(Inbox), inbox_approve, d::inbox_approve, 0,
        "決定", "Approve", "審査済みの申請を決定する（決裁権限）", "Approve a reviewed application (approver)";
    INBOX_REJECT = "inbox.reject", Screen(Inbox), inbox_reject, d::inbox_reject, 0,
        "却下", "Reject", "理由を付けて却下する", "Reject with a reason";
    INBOX_NOTIFY = "inbox.notify", Screen(Inbox), inbox_notify, d::inbox_notify, 0,
        "結果通知", "Send notice", "結果通知を記録する", "Record the result notice";
    JOB_RUN_VERIFY_AUDIT = "job.run_verify_audit", Screen(Jobs), no_job_running, d::run_verify_audit, 0,
        "監査ログ検証", "Verify audit log", "監査ログのハッシュ連鎖を再計算し、アンカーファイルと照合する（バックグラウンド）", "Recompute the audit log's hash chain and compare it with the anchor file (in the background)";
    JOB_RUN_INTEGRITY_CHECK = "job.run_integrity_check", Screen(Jobs), no_job_running, d::run_integrity_check, 0,
        "整合性検査", "Integrity check", "データベースの各表を quick_check で検査する（バックグラウンド）", "Check every table of the database with quick_check (in the background)";
    JOB_CANCEL = "job.cancel", Screen(Jobs), job_running, d::cancel_job, 0,
        "ジョブ中止", "Cancel job", "実行中のジョブを今の区切りで中止する", "Stop the running job after its current batch";
}

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

impl std::fmt::Debug for Command {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Command({})", self.id)
    }
}

impl PartialEq for Command {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
    }
}

impl Command {
    pub fn has(&self, flag: u8) -> bool {
        self.flags & flag != 0
    }
    pub fn title(&self, ja: bool) -> &'static str {
        if ja { self.title_ja } else { self.title_en }
    }
    pub fn desc(&self, ja: bool) -> &'static str {
        if ja { self.desc_ja } else { self.desc_en }
    }
}

/// `docs/commands.md`: every command with its keys in the default keymap. A test keeps
/// the file in step with the registry.
pub fn reference_markdown(keymap: &super::keymap::Keymap) -> String {
    let mut out = String::from(
        "# daicho commands\n\nGenerated from the command registry (`src/tui/commands.rs`) and \
         `keymaps/default.toml` by `UPDATE_DOCS=1 cargo test --test docs`. Every command is \
         also in the command palette (`C-p` or `:`).\n\n| id | 日本語 | English | keys | context | what it does |\n|---|---|---|---|---|---|\n",
    );
    for c in COMMANDS {
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
