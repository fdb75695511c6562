//! The command registry: every action daicho can do, declared once.
//!
//! The keymap (which keys run which id), the command palette, the help screen, the
//! footer hints and `docs/commands.md` are all generated from [`COMMANDS`]. A command
//! that cannot run now says why (`enabled`), and the palette shows that reason greyed.

use super::app::{App, LedgerMode, ScreenId};
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

pub type Enabled = fn(&App) -> Result<(), Reason>;

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
}

fn always(_: &App) -> Result<(), Reason> {
    Ok(())
}

fn in_list(app: &App) -> Result<(), Reason> {
    match app.screen {
        ScreenId::Ledger if app.ledger.mode == LedgerMode::List => Ok(()),
        ScreenId::Ledger => Err(Reason::new(
            "一覧表示のときに使えます",
            "available in the list view",
        )),
        _ => Ok(()),
    }
}

fn ledger_list(app: &App) -> Result<(), Reason> {
    if app.screen != ScreenId::Ledger {
        return Err(Reason::new(
            "台帳画面で使えます",
            "available on the ledger screen",
        ));
    }
    in_list(app)
}

fn ledger_row_selected(app: &App) -> Result<(), Reason> {
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

fn ledger_detail(app: &App) -> Result<(), Reason> {
    if app.screen == ScreenId::Ledger && app.ledger.mode == LedgerMode::Detail {
        Ok(())
    } else {
        Err(Reason::new(
            "事業所の詳細表示で使えます",
            "available in a facility's detail view",
        ))
    }
}

fn search_enabled(app: &App) -> Result<(), Reason> {
    if matches!(app.overlay, Some(super::app::Overlay::Help(_))) {
        Ok(())
    } else {
        ledger_list(app)
    }
}

fn can_edit(app: &App) -> Result<(), Reason> {
    ledger_row_selected(app)?;
    authorize(&app.actor, Action::EditLedger, &Provenance::default())
        .map_err(|d| Reason::new(d.ja, d.en))
}

fn can_reveal(app: &App) -> Result<(), Reason> {
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
        &app.actor,
        Action::RevealPersonalData,
        &Provenance::default(),
    )
    .map_err(|_| {
        Reason::new(
            format!(
                "{}権限では個人情報を表示できません（審査・決裁権限なら可）",
                app.actor.role.label_ja()
            ),
            format!(
                "the {} role cannot reveal personal data (reviewers and approvers can)",
                app.actor.role.code()
            ),
        )
    })
}

fn in_form(app: &App) -> Result<(), Reason> {
    if app.screen == ScreenId::Ledger && app.ledger.mode == LedgerMode::Edit {
        Ok(())
    } else {
        Err(Reason::new(
            "編集フォームで使えます",
            "available in an edit form",
        ))
    }
}

fn in_dialog(app: &App) -> Result<(), Reason> {
    if app.has_dialog() {
        Ok(())
    } else {
        Err(Reason::new(
            "確認ダイアログで使えます",
            "available in a dialog",
        ))
    }
}

/// The workflow commands of later stages: reachable and documented, refused with the
/// reason until their screen lands.
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
    crate::service::applications::may_transition(&app.actor, row, to)
        .map_err(|e| Reason::new(e.message(true), e.message(false)))
}

fn inbox_accept(app: &App) -> Result<(), Reason> {
    inbox_step(app, ApplicationStatus::Accepted)
}
fn inbox_review(app: &App) -> Result<(), Reason> {
    inbox_step(app, ApplicationStatus::UnderReview)
}
fn inbox_return(app: &App) -> Result<(), Reason> {
    inbox_step(app, ApplicationStatus::Returned)
}
fn inbox_approve(app: &App) -> Result<(), Reason> {
    inbox_step(app, ApplicationStatus::Decided)
}
fn inbox_reject(app: &App) -> Result<(), Reason> {
    inbox_step(app, ApplicationStatus::Rejected)
}
fn inbox_notify(app: &App) -> Result<(), Reason> {
    inbox_step(app, ApplicationStatus::Notified)
}

fn not_in_this_build(_: &App) -> Result<(), Reason> {
    Err(Reason::new(
        "この版ではまだ使えません。今後の段階で使えるようになります",
        "not available in this build yet",
    ))
}

macro_rules! commands {
    ($( $id:literal, $scope:expr, $enabled:expr, $tja:literal, $ten:literal, $dja:literal, $den:literal; )*) => {
        pub static COMMANDS: &[Command] = &[
            $( Command { id: $id, scope: $scope, enabled: $enabled, title_ja: $tja, title_en: $ten, desc_ja: $dja, desc_en: $den }, )*
        ];
    };
}

use Scope::*;
use ScreenId::{Checklist, Consent, Inbox, Jobs, Ledger};

commands! {
    "app.quit", Global, always, "終了", "Quit", "daicho を終了する（未保存の編集があれば確認）", "Leave daicho (asks first if an edit is unsaved)";
    "palette.open", Global, always, "コマンドパレット", "Command palette", "すべてのコマンドを名前で探して実行する", "Find and run any command by name";
    "help.open", Global, always, "ヘルプ", "Help", "この画面のキー操作を表示する", "Show the keys of this screen";
    "view.back", Global, always, "戻る", "Back", "詳細から一覧へ戻る・検索を解除する", "Back from detail to list; clear the search";
    "view.refresh", Global, always, "再読込", "Refresh", "表示中のデータを読み直す", "Reload what is on screen";
    "session.lock", Global, always, "画面ロック", "Lock session", "離席時に画面をロックする", "Lock the screen while away";
    "screen.ledger", Global, always, "事業所台帳", "Facility ledger", "事業所台帳の画面へ", "Go to the facility ledger";
    "screen.inbox", Global, always, "申請受付", "Application inbox", "申請・届出の受付画面へ", "Go to the application inbox";
    "screen.consent", Global, always, "区外指定同意", "Consent queue", "区外指定の同意依頼・回答の画面へ", "Go to the consent queue";
    "screen.checklist", Global, always, "チェックリスト", "Checklist status", "個人情報保護対策チェックリストの状況へ", "Go to the privacy checklist status";
    "screen.jobs", Global, always, "連携ジョブ", "Sync jobs", "外部システム連携ジョブの画面へ", "Go to the sync jobs";
    "screen.next", Global, always, "次の画面", "Next screen", "右隣の画面へ", "Go to the next screen";
    "screen.prev", Global, always, "前の画面", "Previous screen", "左隣の画面へ", "Go to the previous screen";
    "list.up", List, always, "上へ", "Up", "1行上へ", "Move up one row";
    "list.down", List, always, "下へ", "Down", "1行下へ", "Move down one row";
    "list.page_up", List, always, "前ページ", "Page up", "1画面分上へ", "Move up one page";
    "list.page_down", List, always, "次ページ", "Page down", "1画面分下へ", "Move down one page";
    "list.top", List, always, "先頭へ", "First row", "一覧の先頭へ", "Go to the first row";
    "list.bottom", List, always, "末尾へ", "Last row", "一覧の末尾へ", "Go to the last row";
    "list.open", Screen(Ledger), ledger_row_selected, "開く", "Open", "選択した事業所の詳細を開く", "Open the selected facility";
    "list.search", Screen(Ledger), search_enabled, "検索", "Search", "名称・カナ・住所・法人・事業所番号で絞り込む", "Filter by name, kana, address, corporation, number";
    "list.sort_next", Screen(Ledger), ledger_list, "並べ替え列", "Sort column", "並べ替えの列を切り替える", "Sort by the next column";
    "list.sort_reverse", Screen(Ledger), ledger_list, "昇順/降順", "Reverse sort", "並び順を反転する", "Reverse the sort order";
    "list.filter", Screen(Ledger), ledger_list, "絞り込み", "Filter", "サービス種類・状態・期限で絞り込む", "Filter by service, status, deadlines";
    "list.clear_filter", Screen(Ledger), ledger_list, "絞り込み解除", "Clear filter", "検索と絞り込みをすべて解除する", "Clear search and filters";
    "list.export_csv", Screen(Ledger), ledger_list, "CSV出力", "Export CSV", "表示中の一覧をCSVに書き出す（Excel用UTF-8 / Shift_JIS）", "Write the filtered list as CSV (UTF-8 for Excel, or Shift_JIS)";
    "ledger.alerts", Screen(Ledger), ledger_list, "要対応", "Alerts", "期限3か月以内・会議期限超過・全件 を順に切り替える", "Cycle: expiring in 3 months, meeting overdue, all";
    "ledger.edit", Screen(Ledger), can_edit, "編集", "Edit", "事業所の基本情報を編集する", "Edit the facility's basic information";
    "ledger.tab_next", Screen(Ledger), ledger_detail, "次のタブ", "Next tab", "詳細の次のタブへ", "Next detail tab";
    "ledger.tab_prev", Screen(Ledger), ledger_detail, "前のタブ", "Previous tab", "詳細の前のタブへ", "Previous detail tab";
    "record.reveal", Screen(Ledger), can_reveal, "個人情報を表示", "Reveal personal data", "理由を記録して伏せ字を一時的に外す（事業所の詳細・同意案件）", "Unmask personal data for a while, with a logged reason (facility detail, consent case)";
    "form.next_field", Form, in_form, "次の項目", "Next field", "次の入力項目へ", "Next field";
    "form.prev_field", Form, in_form, "前の項目", "Previous field", "前の入力項目へ", "Previous field";
    "form.save", Form, in_form, "保存", "Save", "入力を検証して保存する", "Validate and save";
    "form.cancel", Form, in_form, "編集をやめる", "Cancel edit", "編集を破棄する（変更があれば確認）", "Discard the edit (asks first if changed)";
    "dialog.confirm", Dialog, in_dialog, "決定", "Confirm", "ダイアログの選択を確定する", "Confirm the dialog";
    "dialog.cancel", Dialog, in_dialog, "取消", "Cancel", "ダイアログを閉じる", "Close the dialog";
    "inbox.accept", Screen(Inbox), inbox_accept, "受付", "Accept", "提出された申請を受け付ける", "Accept a submitted application";
    "inbox.start_review", Screen(Inbox), inbox_review, "審査開始", "Start review", "審査を開始する", "Start the review";
    "inbox.return", Screen(Inbox), inbox_return, "差戻し", "Return", "理由を付けて申請者へ差し戻す", "Return to the applicant with a reason";
    "inbox.approve", Screen(Inbox), inbox_approve, "決定", "Approve", "審査済みの申請を決定する（決裁権限）", "Approve a reviewed application (approver)";
    "inbox.reject", Screen(Inbox), inbox_reject, "却下", "Reject", "理由を付けて却下する", "Reject with a reason";
    "inbox.notify", Screen(Inbox), inbox_notify, "結果通知", "Send notice", "結果通知を記録する", "Record the result notice";
    "consent.send_request", Screen(Consent), not_in_this_build, "同意依頼", "Send request", "他区市町村へ同意依頼を出す", "Send a consent request";
    "consent.record_answer", Screen(Consent), not_in_this_build, "回答記録", "Record answer", "同意・不同意を記録する", "Record consent or refusal";
    "checklist.mark_ok", Screen(Checklist), not_in_this_build, "〇 実施", "Mark in place", "項目を実施済み（〇）にする", "Mark the item in place";
    "checklist.mark_na", Screen(Checklist), not_in_this_build, "ー 不要", "Mark not needed", "項目を対象外（ー）にする", "Mark the item not needed";
    "checklist.mark_gap", Screen(Checklist), not_in_this_build, "未対応", "Mark gap", "項目を未対応（要改善）にする", "Mark the item as a gap";
    "checklist.sign", Screen(Checklist), not_in_this_build, "点検完了", "Sign audit", "点検結果に署名して確定する", "Sign and close the audit";
    "job.run_import", Screen(Jobs), not_in_this_build, "電子申請取込", "Import applications", "spool/inbox の電子申請データを取り込む", "Import e-application files from spool/inbox";
    "job.run_export_ledger", Screen(Jobs), not_in_this_build, "LEMSCARE出力", "Export to LEMSCARE", "未送信の反映内容を LEMSCARE 用に書き出す", "Write unsent changes for LEMSCARE";
    "job.run_export_kokuhoren", Screen(Jobs), not_in_this_build, "国保連出力", "Export to Kokuhoren", "事業所異動連絡票を書き出す", "Write provider change records for the Kokuhoren";
    "job.run_consent_exchange", Screen(Jobs), not_in_this_build, "同意ファイル交換", "Consent exchange", "同意依頼を書き出し、回答を読み込む", "Write consent requests, read answers";
    "job.cancel", Screen(Jobs), not_in_this_build, "ジョブ中止", "Cancel job", "実行中のジョブを中止する", "Cancel the running job";
}

pub fn find(id: &str) -> Option<&'static Command> {
    COMMANDS.iter().find(|c| c.id == id)
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

impl Command {
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
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_dotted() {
        let mut ids: Vec<_> = COMMANDS.iter().map(|c| c.id).collect();
        ids.sort();
        let n = ids.len();
        ids.dedup();
        assert_eq!(ids.len(), n, "duplicate command id");
        assert!(
            COMMANDS
                .iter()
                .all(|c| c.id.contains('.') && !c.title_ja.is_empty() && !c.title_en.is_empty())
        );
    }
}
