//! The inbox's case-work commands: assignee, notes, documents, letters; each with the
//! check that says why it cannot run now (handlers in `handlers`).

use super::handlers::{may_assign, may_document, may_letter, may_note};
use crate::tui::command::{Command, Scope};
use crate::tui::ui::ScreenId::Inbox;

macro_rules! work_commands {
    ($( $name:ident = $id:literal, $enabled:expr, $run:expr,
        $tja:literal, $ten:literal, $dja:literal, $den:literal; )*) => {
        $( pub static $name: Command = Command {
            id: $id, scope: Scope::Screen(Inbox), enabled: $enabled, run: $run, flags: 0,
            title_ja: $tja, title_en: $ten, desc_ja: $dja, desc_en: $den,
        }; )*
    };
}

work_commands! {
    INBOX_ASSIGN = "inbox.assignee", may_assign, super::handlers::assign_menu,
        "担当を選ぶ", "Assign", "審査・決裁の職員から担当を選ぶ（担当を外すこともできます）", "Choose the assignee among reviewers and approvers, or clear it";
    INBOX_NOTE = "inbox.note", may_note, super::handlers::note,
        "メモを追加", "Add note", "開いた案件にメモを書き足す（記入者と日時が残ります）", "Add a note to the open case (who and when are kept)";
    INBOX_DOCUMENT = "inbox.document", may_document, super::handlers::document_menu,
        "書類の受領", "Documents", "必要書類を受領済み（日付）または未着にする", "Mark a required document received (with its date) or missing";
    INBOX_LETTER = "inbox.letter", may_letter, super::handlers::letter,
        "通知書を作成", "Write letter", "結果通知書・却下通知書・差戻し通知書を書き出す（上書きしません）", "Write the result, rejection or return letter (never over a file)";
}
