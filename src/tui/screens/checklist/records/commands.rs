//! The checklist's commands beyond the marks: run the self-checks again, an item's note
//! and evidence, the events behind items 2–5, the audit interval (admin) and the
//! committee's report — each with the check that says why it cannot run.

use super::commands::{in_items, may_audit, screen};
use super::event::{event_prompt, interval_prompt, report_prompt};
use super::note::{evidence_prompt, note_prompt};
use super::{AuditView, ChecklistScreen, ask};
use crate::domain::checklist::{EventKind, ItemRow};
use crate::domain::permission::{Action, Provenance, authorize};
use crate::query::checklist::ChecklistAsk;
use crate::tui::command::{Command, Reason, Scope};
use crate::tui::msg::Effect;
use crate::tui::overlay::menu::Menu;
use crate::tui::screen::Host;
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
    CHECKLIST_SELFCHECK,
    "checklist.selfcheck",
    |h| screen(h).map(|_| ()),
    |_| vec![ask(ChecklistAsk::SelfChecks)],
    "自己点検",
    "Self-checks",
    "ファイルの権限・バックアップ・監査ログなどの自己点検をやり直し、項目の横に結果を表示する",
    "Run the self-checks again (file modes, backups, audit log …) and show them beside their items"
);
cmd!(
    CHECKLIST_NOTE,
    "checklist.note",
    |h| marked_row(h).map(|_| ()),
    |h| edit(h, false),
    "備考",
    "Note",
    "選択中の項目の備考を書く（実施中の点検、印を付けた項目）",
    "Write the note of the selected item (open audit, marked item)"
);
cmd!(
    CHECKLIST_EVIDENCE,
    "checklist.evidence",
    |h| marked_row(h).map(|_| ()),
    |h| edit(h, true),
    "根拠資料",
    "Evidence",
    "選択中の項目の根拠資料と日付を書く（実施中の点検、印を付けた項目）",
    "Write the evidence document and date of the selected item (open audit, marked item)"
);
cmd!(
    CHECKLIST_EVENT,
    "checklist.record_event",
    |h| event_item(h).map(|_| ()),
    record_event,
    "実施・受領の記録",
    "Record event",
    "項目2〜5の記録（立入検査・状況報告、消去報告の受領、緊急連絡の取り決め、事故時の協議）を追加する",
    "Record an event of items 2-5 (inspection, status report, deletion report, contacts agreed, incident consultation)"
);
cmd!(
    CHECKLIST_INTERVAL,
    "checklist.interval",
    may_set_interval,
    set_interval,
    "点検の間隔",
    "Audit interval",
    "署名した点検が有効な月数を設定する（管理者）。次回期限がこれに従う",
    "Set how many months a signed audit stays current (admin); next due dates follow it"
);
cmd!(
    CHECKLIST_REPORT,
    "checklist.report",
    |h| has_audit(h).map(|_| ()),
    report,
    "報告書の書き出し",
    "Export report",
    "結合先・区分の点検表を A4 の HTML と CSV で書き出す（上書きしない）",
    "Write the committee's table of this connection and side as A4 HTML and CSV (never replaces a file)"
);

/// The selected item of an open audit, once it has a mark.
fn marked_row(h: &dyn Host) -> Result<(i64, &ItemRow), Reason> {
    let v = in_items(h)?;
    let Some(d) = v.open() else {
        return Err(Reason::new(
            "署名済みの点検は変更できません。s で新しい点検を開始してください",
            "a signed audit cannot be changed; press s to start a new audit",
        ));
    };
    let row = d
        .rows
        .get(v.selected)
        .filter(|r| r.mark.is_some())
        .ok_or_else(|| {
            Reason::new(
                "先に o・n・x で印を付けてから書いてください",
                "mark the item with o, n or x first",
            )
        })?;
    may_audit(h)?;
    Ok((d.header.id, row))
}

fn edit(h: &mut dyn Host, evidence: bool) -> Fx {
    let lang = h.shell().lang();
    let Ok((audit_id, row)) = marked_row(h) else {
        return Vec::new();
    };
    if evidence {
        let p = evidence_prompt(lang, audit_id, row);
        h.push_overlay(p);
    } else {
        let p = note_prompt(lang, audit_id, row);
        h.push_overlay(p);
    }
    Vec::new()
}

/// The list shown, with the selected item one of 2–5.
fn event_item(h: &dyn Host) -> Result<&AuditView, Reason> {
    let v = screen(h)?
        .audit
        .as_ref()
        .ok_or_else(|| Reason::new("点検の項目一覧で使えます", "available in an audit's items"))?;
    if !(2..=5).contains(&v.selected_no()) {
        return Err(Reason::new(
            "項目2〜5（実施・受領の記録がある項目）で使えます",
            "available on items 2-5 (the ones with event records)",
        ));
    }
    may_audit(h)?;
    Ok(v)
}

/// Item 2 has two kinds (inspection, status report): a menu; 3–5 go straight on.
fn record_event(h: &mut dyn Host) -> Fx {
    let lang = h.shell().lang();
    let Ok(v) = event_item(h) else {
        return Vec::new();
    };
    let item = v.selected_no();
    let (code, name) = (
        v.connection.code.clone(),
        v.connection.name(lang).to_string(),
    );
    let kinds: Vec<EventKind> = EventKind::ALL
        .into_iter()
        .filter(|k| k.item() == item)
        .collect();
    if let [kind] = kinds[..] {
        h.push_overlay(event_prompt(lang, code, &name, kind));
        return Vec::new();
    }
    let mut menu = Menu::new(lang.t("記録の種類", "What to record"));
    for kind in kinds {
        let (code, name) = (code.clone(), name.clone());
        menu.item(kind.label(lang), move |h: &mut dyn Host| {
            let lang = h.shell().lang();
            h.push_overlay(event_prompt(lang, code, &name, kind));
            Vec::new()
        });
    }
    h.push_overlay(menu);
    Vec::new()
}

fn may_set_interval(h: &dyn Host) -> Result<(), Reason> {
    screen(h)?;
    authorize(
        &h.shell().actor,
        Action::ChangeSettings,
        &Provenance::default(),
    )
    .map_err(|d| Reason::new(d.ja, d.en))
}

fn set_interval(h: &mut dyn Host) -> Fx {
    let lang = h.shell().lang();
    let Some(s) = h.screen::<ChecklistScreen>() else {
        return Vec::new();
    };
    let p = interval_prompt(lang, s.interval_months);
    h.push_overlay(p);
    Vec::new()
}

/// The connection and side in view (the items, or the matrix's selected row) when it
/// has an audit to report on.
fn has_audit(h: &dyn Host) -> Result<(String, crate::domain::checklist::Side), Reason> {
    let s = screen(h)?;
    let none = || {
        Reason::new(
            "この結合先・区分にはまだ点検がありません",
            "this connection and side has no audit yet",
        )
    };
    match &s.audit {
        Some(v) if v.detail.is_some() => Ok((v.connection.code.clone(), v.side)),
        Some(_) => Err(none()),
        None => {
            let r = s.selected().ok_or_else(|| {
                Reason::new("結合先が選択されていません", "no connection selected")
            })?;
            if r.last.is_none() && r.open.is_none() {
                return Err(none());
            }
            Ok((r.connection.code.clone(), r.side))
        }
    }
}

fn report(h: &mut dyn Host) -> Fx {
    let lang = h.shell().lang();
    let Ok((code, side)) = has_audit(h) else {
        return Vec::new();
    };
    let dir = h
        .screen::<crate::tui::screens::ledger::LedgerScreen>()
        .map(|l| l.export_dir.clone())
        .unwrap_or_else(|| ".".into());
    let name = h
        .screen::<ChecklistScreen>()
        .and_then(|s| {
            s.matrix
                .rows
                .iter()
                .find(|r| r.connection.code == code && r.side == side)
        })
        .map(|r| format!("{} {}", r.connection.name(lang), side.label(lang)))
        .unwrap_or_else(|| code.clone());
    let p = report_prompt(lang, &name, code, side, &dir);
    h.push_overlay(p);
    Vec::new()
}
