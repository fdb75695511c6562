//! The inbox's list and case-view commands: open a case, next/previous case, filters,
//! sort, assign to me.

use super::super::InboxScreen;
use crate::query::Request;
use crate::tui::command::{Command, Reason, Scope};
use crate::tui::msg::Effect;
use crate::tui::screen::Host;
use crate::tui::ui::ScreenId::Inbox;

type Fx = Vec<Effect>;
const HERE: Scope = Scope::Screen(Inbox);

macro_rules! inbox_commands {
    ($( $name:ident = $id:literal, $enabled:expr, $run:expr,
        $tja:literal, $ten:literal, $dja:literal, $den:literal; )*) => {
        $( pub static $name: Command = Command {
            id: $id, scope: HERE, enabled: $enabled, run: $run, flags: 0,
            title_ja: $tja, title_en: $ten, desc_ja: $dja, desc_en: $den,
        }; )*
    };
}

fn reqs(r: Vec<Request>) -> Fx {
    r.into_iter().map(Effect::Request).collect()
}

fn with(h: &mut dyn Host, f: impl FnOnce(&mut InboxScreen, &str) -> Vec<Request>) -> Fx {
    let me = h.shell().actor.staff_id.clone();
    match h.parts::<InboxScreen>() {
        Some((_, s)) => reqs(f(s, &me)),
        None => Vec::new(),
    }
}

fn screen(h: &dyn Host) -> Result<&InboxScreen, Reason> {
    if h.active() != Inbox {
        return Err(Reason::new(
            "申請受付の画面で使えます",
            "available on the inbox screen",
        ));
    }
    let s = h
        .screen::<InboxScreen>()
        .ok_or_else(|| Reason::new("申請受付の画面で使えます", "available on the inbox screen"))?;
    if s.covered() {
        return Err(Reason::new(
            "一覧に戻る（Esc）と使えます",
            "go back to the list (Esc) first",
        ));
    }
    Ok(s)
}

/// The list is showing (no case open).
fn in_list(h: &dyn Host) -> Result<(), Reason> {
    if screen(h)?.case_open() {
        return Err(Reason::new(
            "案件を閉じる（Esc）と使えます",
            "close the case (Esc) first",
        ));
    }
    Ok(())
}

fn row_in_list(h: &dyn Host) -> Result<(), Reason> {
    in_list(h)?;
    if screen(h)?.list.rows.is_empty() {
        return Err(Reason::new(
            "申請が選択されていません",
            "no application selected",
        ));
    }
    Ok(())
}

fn in_case(h: &dyn Host) -> Result<(), Reason> {
    if !screen(h)?.case_open() {
        return Err(Reason::new(
            "案件を開く（Enter）と使えます",
            "open a case (Enter) first",
        ));
    }
    Ok(())
}

/// A case is selected and not assigned to this user yet.
fn may_assign(h: &dyn Host) -> Result<(), Reason> {
    let s = screen(h)?;
    let Some(row) = s.selected() else {
        return Err(Reason::new(
            "申請が選択されていません",
            "no application selected",
        ));
    };
    if row.assignee.as_deref() == Some(h.shell().actor.staff_id.as_str()) {
        return Err(Reason::new(
            "すでにあなたの担当です",
            "already assigned to you",
        ));
    }
    if !row.status.is_open() {
        return Err(Reason::new(
            "完了した申請は担当を変えられません",
            "a closed case keeps its assignee",
        ));
    }
    Ok(())
}

fn assign_me(h: &mut dyn Host) -> Fx {
    let me = h.shell().actor.staff_id.clone();
    let Some(row) = h
        .screen::<InboxScreen>()
        .and_then(|s| s.selected().cloned())
    else {
        return Vec::new();
    };
    vec![Effect::Request(Request::AssignCase {
        id: row.id,
        version: row.version,
        assignee: Some(me),
    })]
}

inbox_commands! {
    INBOX_OPEN = "inbox.open", row_in_list, |h| with(h, |s, _| s.open_selected()),
        "開く", "Open", "選択した申請の内容・書類・経過を開く", "Open the selected case";
    INBOX_NEXT_CASE = "inbox.next_case", in_case, |h| with(h, |s, _| s.step_case(1)),
        "次の案件", "Next case", "一覧の次の案件を開く", "Open the next case of the list";
    INBOX_PREV_CASE = "inbox.prev_case", in_case, |h| with(h, |s, _| s.step_case(-1)),
        "前の案件", "Previous case", "一覧の前の案件を開く", "Open the previous case of the list";
    INBOX_OVERDUE = "inbox.filter_overdue", in_list, |h| with(h, |s, _| s.toggle_overdue()),
        "期限超過", "Overdue", "処理期限を過ぎた申請だけを表示／解除", "Show only cases past the processing deadline, or all";
    INBOX_MINE = "inbox.filter_mine", in_list, |h| with(h, |s, me| s.toggle_mine(me)),
        "自分の担当", "Mine", "自分が担当の申請だけを表示／解除", "Show only cases assigned to you, or all";
    INBOX_OPEN_ONLY = "inbox.filter_open", in_list, |h| with(h, |s, _| s.toggle_open()),
        "未完了のみ", "Open only", "完了していない申請だけを表示／解除", "Show only open cases, or all";
    INBOX_STATUS_NEXT = "inbox.status_next", in_list, |h| with(h, |s, _| s.next_status(true)),
        "次の状態", "Next status", "状態のタブを右へ切り替える", "Show the next status tab";
    INBOX_STATUS_PREV = "inbox.status_prev", in_list, |h| with(h, |s, _| s.next_status(false)),
        "前の状態", "Previous status", "状態のタブを左へ切り替える", "Show the previous status tab";
    INBOX_KIND = "inbox.filter_kind", in_list, |h| with(h, |s, _| s.next_kind()),
        "種類", "Kind", "申請の種類で絞り込む（押すたびに次の種類）", "Filter by kind (each press the next)";
    INBOX_SOURCE = "inbox.filter_source", in_list, |h| with(h, |s, _| s.next_source()),
        "電子/紙", "Source", "受付方法（電子・紙）で絞り込む", "Filter by source (electronic, paper)";
    INBOX_SORT_NEXT = "inbox.sort_next", in_list, |h| with(h, |s, _| s.next_sort()),
        "並べ替え列", "Sort column", "並べ替えの列を切り替える", "Sort by the next column";
    INBOX_SORT_REVERSE = "inbox.sort_reverse", in_list, |h| with(h, |s, _| s.reverse_sort()),
        "昇順/降順", "Reverse sort", "並び順を反転する", "Reverse the sort order";
    INBOX_CLEAR = "inbox.clear_filters", in_list, |h| with(h, |s, _| s.clear_filters()),
        "絞込解除", "Clear filters", "すべての絞込を解除する", "Clear every filter";
    INBOX_ASSIGN_ME = "inbox.assign_me", may_assign, assign_me,
        "自分を担当に", "Assign to me", "選択した申請の担当を自分にする", "Make yourself the assignee";
    INBOX_SEARCH = "inbox.search", in_list, super::find::search,
        "検索", "Search", "申請者・事業所番号・事業所名・外部IDで探す（Escで解除）", "Search by applicant, facility number or name, external id (Esc clears)";
    INBOX_EXPORT = "inbox.export_csv", has_rows, super::find::export_csv,
        "CSV出力", "Export CSV", "絞込・検索に合う申請をCSVに書き出す", "Write the cases matching the filters and search to a CSV file";
}

/// The list is showing and has something to export.
fn has_rows(h: &dyn Host) -> Result<(), Reason> {
    in_list(h)?;
    if screen(h)?.page.total == 0 {
        return Err(Reason::new(
            "書き出す申請がありません。絞込や検索を変えてください",
            "no cases to export; change the filters or the search",
        ));
    }
    Ok(())
}
