//! The checklist's commands: drill down, start or resume an audit, one key per mark,
//! an item's history, and signing — each with the check that says why it cannot run.

use super::{AuditView, ChecklistScreen, ask, gap::gap_prompt};
use crate::domain::checklist::{AuditDetail, AuditHeader, Mark, MarkInput};
use crate::domain::permission::{Action, Provenance, authorize};
use crate::i18n::Lang;
use crate::query::checklist::ChecklistAsk;
use crate::tui::command::{Command, Reason, Scope};
use crate::tui::msg::Effect;
use crate::tui::overlay::confirm::Confirm;
use crate::tui::screen::Host;
use crate::tui::shell::Shell;
use crate::tui::ui::ScreenId::Checklist;

type Fx = Vec<Effect>;

macro_rules! cmd {
    ($name:ident, $id:literal, $en:expr, $run:expr, $tja:literal, $ten:literal, $dja:literal, $den:literal) => {
        pub static $name: Command = Command {
            id: $id,
            scope: Scope::Screen(Checklist),
            enabled: $en,
            run: $run,
            flags: 0,
            title_ja: $tja,
            title_en: $ten,
            desc_ja: $dja,
            desc_en: $den,
        };
    };
}

cmd!(
    CHECKLIST_OPEN,
    "checklist.open",
    |h| on_matrix(h).map(|_| ()),
    |h| {
        h.parts::<ChecklistScreen>()
            .map_or_else(Vec::new, |(_, s)| s.open_selected())
    },
    "項目を表示",
    "Show items",
    "結合先・区分の16項目と点検結果を表示する",
    "Show the 16 items of this connection and side"
);
cmd!(
    CHECKLIST_START,
    "checklist.start",
    may_start,
    start,
    "点検を開始",
    "Start audit",
    "点検を開始する（途中の点検は続きから再開）",
    "Start an audit (an interrupted one resumes where it stopped)"
);
cmd!(
    CHECKLIST_MARK_OK,
    "checklist.mark_ok",
    |h| may_mark(h),
    |h| mark(h, Mark::Ok),
    "実施",
    "In place",
    "選択中の項目を〇（実施）にする",
    "Mark the item 〇 (in place)"
);
cmd!(
    CHECKLIST_MARK_NA,
    "checklist.mark_not_needed",
    |h| may_mark(h),
    |h| mark(h, Mark::NotNeeded),
    "不要",
    "Not needed",
    "選択中の項目をー（不要）にする",
    "Mark the item ー (not needed)"
);
cmd!(
    CHECKLIST_MARK_GAP,
    "checklist.mark_gap",
    |h| may_mark(h),
    |h| mark(h, Mark::Gap),
    "未対応",
    "Gap",
    "選択中の項目を✗（未対応）にし、担当者と期限を入力する",
    "Mark the item ✗ (gap) with an owner and a due date"
);
cmd!(
    CHECKLIST_HISTORY,
    "checklist.history",
    |h| in_items(h).map(|_| ()),
    history,
    "項目の履歴",
    "Item history",
    "選択中の項目の過去の点検結果を表示する",
    "Show this item across past audits"
);
cmd!(
    CHECKLIST_SIGN,
    "checklist.sign",
    may_sign,
    sign,
    "署名",
    "Sign",
    "全項目に印の付いた点検に署名する（決裁権限）",
    "Sign an audit whose every item is marked (approver)"
);

/// The checklist's commands in registry order.
pub static COMMANDS: &[&Command] = &[
    &CHECKLIST_OPEN,
    &CHECKLIST_START,
    &CHECKLIST_MARK_OK,
    &CHECKLIST_MARK_NA,
    &CHECKLIST_MARK_GAP,
    &CHECKLIST_HISTORY,
    &CHECKLIST_SIGN,
    &super::records::CHECKLIST_SELFCHECK,
    &super::records::CHECKLIST_NOTE,
    &super::records::CHECKLIST_EVIDENCE,
    &super::records::CHECKLIST_EVENT,
    &super::records::CHECKLIST_INTERVAL,
    &super::records::CHECKLIST_REPORT,
];

pub(super) fn screen(h: &dyn Host) -> Result<&ChecklistScreen, Reason> {
    if h.active() != Checklist {
        return Err(Reason::new(
            "チェックリストの画面で使えます",
            "available on the checklist screen",
        ));
    }
    h.screen::<ChecklistScreen>()
        .ok_or_else(|| Reason::new("チェックリストがありません", "no checklist screen"))
}

fn on_matrix(h: &dyn Host) -> Result<&ChecklistScreen, Reason> {
    let s = screen(h)?;
    if s.audit.is_some() || s.selected().is_none() {
        return Err(Reason::new(
            "結合先の一覧で使えます",
            "available in the list of connections",
        ));
    }
    Ok(s)
}

pub(super) fn in_items(h: &dyn Host) -> Result<&AuditView, Reason> {
    screen(h)?
        .audit
        .as_ref()
        .filter(|v| v.detail.is_some())
        .ok_or_else(|| Reason::new("点検の項目一覧で使えます", "available in an audit's items"))
}

pub(super) fn may_audit(h: &dyn Host) -> Result<(), Reason> {
    authorize(
        &h.shell().actor,
        Action::AuditChecklist,
        &Provenance::default(),
    )
    .map_err(|d| Reason::new(d.ja, d.en))
}

/// Start from the matrix, or from a list that has no open audit.
fn may_start(h: &dyn Host) -> Result<(), Reason> {
    let s = screen(h)?;
    if let Some(v) = &s.audit
        && v.open().is_some()
    {
        return Err(Reason::new(
            "この点検は実施中です。項目に印を付けてください",
            "this audit is open already; mark its items",
        ));
    }
    if s.audit.is_none() && s.selected().is_none() {
        return Err(Reason::new(
            "結合先が選択されていません",
            "no connection selected",
        ));
    }
    may_audit(h)
}

/// Resuming changes nothing and goes at once; a new audit asks first.
fn start(h: &mut dyn Host) -> Fx {
    let lang = h.shell().lang();
    let Some((_, s)) = h.parts::<ChecklistScreen>() else {
        return Vec::new();
    };
    let mut fx = Vec::new();
    if s.audit.is_none() {
        fx = s.open_selected();
    }
    let Some(v) = s.audit.as_ref() else {
        return fx;
    };
    let (code, side) = (v.connection.code.clone(), v.side);
    let open = s
        .matrix
        .rows
        .iter()
        .any(|r| r.connection.code == code && r.side == side && r.open.is_some());
    let request = ask(ChecklistAsk::Start { code, side });
    if open {
        fx.push(request);
        return fx;
    }
    let what = format!("{} {}", v.connection.name(lang), v.side.label(lang));
    let message = if lang.is_ja() {
        format!(
            "{what} の新しい点検を開始します。\n前回の署名済みの点検は残り、署名した時点で新しい点検に置き換わります。\nよろしいですか？"
        )
    } else {
        format!(
            "Start a new audit of {what}.\nThe last signed audit stays until this one is signed and supersedes it.\nGo ahead?"
        )
    };
    h.push_overlay(Confirm::new(message, Box::new(move |_| vec![request])));
    fx
}

fn may_mark(h: &dyn Host) -> Result<(), Reason> {
    let v = in_items(h)?;
    if v.open().is_none() {
        return Err(Reason::new(
            "署名済みの点検は変更できません。s で新しい点検を開始してください",
            "a signed audit cannot be changed; press s to start a new audit",
        ));
    }
    may_audit(h)
}

/// One key per mark; a gap asks for its owner and due date; replacing a different mark
/// asks first.
fn mark(h: &mut dyn Host, m: Mark) -> Fx {
    let lang = h.shell().lang();
    let Some(v) = h.screen::<ChecklistScreen>().and_then(|s| s.audit.as_ref()) else {
        return Vec::new();
    };
    let Some(d) = v.open() else {
        return Vec::new();
    };
    let Some(row) = d.rows.get(v.selected) else {
        return Vec::new();
    };
    let (audit_id, item, version) = (d.header.id, row.no, row.version);
    if m == Mark::Gap {
        let title = format!("{} {item}: {}", lang.t("項目", "Item"), label(lang, row));
        h.push_overlay(gap_prompt(
            lang,
            title,
            audit_id,
            item,
            version,
            row.note.clone(),
        ));
        return Vec::new();
    }
    let mut input = MarkInput::new(m);
    input.note = row.note.clone();
    input.evidence = row.evidence.clone();
    input.evidence_date = row.evidence_date;
    let request = ask(ChecklistAsk::Mark {
        audit_id,
        item,
        version,
        input,
    });
    match row.mark {
        Some(old) if old != m => {
            let message = if lang.is_ja() {
                format!(
                    "項目 {item} の印を {} から {} に変えます。\nよろしいですか？",
                    sym(old),
                    sym(m)
                )
            } else {
                format!(
                    "Change item {item} from {} to {}.\nGo ahead?",
                    sym(old),
                    sym(m)
                )
            };
            let on_yes = move |h: &mut dyn Host| {
                super::advance(h, item);
                vec![request]
            };
            h.push_overlay(Confirm::new(message, Box::new(on_yes)));
            Vec::new()
        }
        _ => {
            super::advance(h, item);
            vec![request]
        }
    }
}

pub(super) fn label(lang: Lang, row: &crate::domain::checklist::ItemRow) -> &str {
    if lang.is_ja() {
        &row.label_ja
    } else {
        &row.label_en
    }
}

fn history(h: &mut dyn Host) -> Fx {
    let Some(v) = h.screen::<ChecklistScreen>().and_then(|s| s.audit.as_ref()) else {
        return Vec::new();
    };
    vec![ask(ChecklistAsk::History {
        code: v.connection.code.clone(),
        side: v.side,
        item: v.selected_no(),
    })]
}

fn may_sign(h: &dyn Host) -> Result<(), Reason> {
    let v = in_items(h)?;
    let Some(d) = v.open() else {
        return Err(Reason::new(
            "署名できる実施中の点検がありません",
            "no open audit to sign",
        ));
    };
    let marked: Vec<i64> = d
        .rows
        .iter()
        .filter(|r| r.mark.is_some())
        .map(|r| r.no)
        .collect();
    if let Some(e) = crate::domain::checklist::sign_blocker(&marked) {
        return Err(Reason::new(e.ja, e.en));
    }
    authorize(
        &h.shell().actor,
        Action::SignChecklist,
        &Provenance::default(),
    )
    .map_err(|d| Reason::new(d.ja, d.en))
}

/// Signing cannot be undone: say what it does, with the counts, and ask.
fn sign(h: &mut dyn Host) -> Fx {
    let lang = h.shell().lang();
    let Some(v) = h.screen::<ChecklistScreen>().and_then(|s| s.audit.as_ref()) else {
        return Vec::new();
    };
    let Some(d) = v.open() else {
        return Vec::new();
    };
    let count = |m: Mark| d.rows.iter().filter(|r| r.mark == Some(m)).count();
    let (ok, na, gap) = (count(Mark::Ok), count(Mark::NotNeeded), count(Mark::Gap));
    let what = format!("{} {}", v.connection.name(lang), v.side.label(lang));
    let message = if lang.is_ja() {
        format!(
            "{what} の点検に署名します（〇{ok} ー{na} ✗{gap}）。\n署名後は変更できず、前回の点検に置き換わります。\nよろしいですか？"
        )
    } else {
        format!(
            "Sign the audit of {what} (〇{ok} ー{na} ✗{gap}).\nIt cannot be changed afterwards and supersedes the last one.\nGo ahead?"
        )
    };
    let request = ask(ChecklistAsk::Sign {
        audit_id: d.header.id,
        version: d.header.version,
    });
    h.push_overlay(Confirm::new(message, Box::new(move |_| vec![request])));
    Vec::new()
}

/// "点検を開始しました: 項目 9 から" after start or resume.
pub fn started(lang: Lang, d: &AuditDetail, at: Option<i64>) -> String {
    let resumed = d.header.marked > 0;
    match (at, lang.is_ja()) {
        (Some(n), true) if resumed => format!("中断した点検を再開しました。項目 {n} から続けます"),
        (Some(n), false) if resumed => format!("resumed the interrupted audit at item {n}"),
        (_, true) => "点検を開始しました。o/n/x で印を付けてください".into(),
        (_, false) => "audit started; mark items with o/n/x".into(),
    }
}

pub fn signed(lang: Lang, h: &AuditHeader) -> String {
    let by = h.signed_by.as_deref().unwrap_or("-");
    if lang.is_ja() {
        format!("署名しました（{by}）。この点検は以後変更できません")
    } else {
        format!("signed by {by}; this audit can no longer be changed")
    }
}

/// Someone saved first: who, what is stored now, and what to do.
pub fn conflict(sh: &Shell, item: Option<i64>, d: &AuditDetail) -> String {
    let lang = sh.lang();
    let Some(row) = item.and_then(|n| d.rows.iter().find(|r| r.no == n)) else {
        return lang
            .t(
                "署名の前に他の職員が印を変更しました。最新の内容を表示したので、確認してからもう一度署名してください",
                "someone changed a mark before you signed; the latest marks are shown, check them and sign again",
            )
            .into();
    };
    let now = row.mark.map_or("-", sym);
    let by = if row.marked_by == sh.actor.staff_id {
        lang.t("あなた（別の画面）", "you (in another window)")
            .to_string()
    } else {
        row.marked_by.clone()
    };
    if lang.is_ja() {
        format!(
            "{by} が先に項目 {} を記録しました（現在: {now}）。最新の内容を表示したので、確認してから入力し直してください",
            row.no
        )
    } else {
        format!(
            "{by} recorded item {} first (now {now}); the latest is shown, check it and mark again",
            row.no
        )
    }
}

/// The paper's symbols in characters of one width everywhere (〇 not ○: ○ is
/// ambiguous-width and would break the layout in a wide terminal).
fn sym(m: Mark) -> &'static str {
    match m {
        Mark::Ok => "〇",
        Mark::NotNeeded => "ー",
        Mark::Gap => "✗",
    }
}
