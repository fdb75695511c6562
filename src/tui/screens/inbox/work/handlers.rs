//! Working a case beyond its status: choose the assignee (担当) or clear it, add a note
//! to the thread, mark a required document received or missing, write the case's
//! letter (結果通知書 / 却下 / 差戻し) beside the ledger's exports.

use super::super::InboxScreen;
use super::entry::{TextEntry, date_check, note_check};
use crate::domain::application::ApplicationStatus as S;
use crate::domain::permission::{Action, Provenance, authorize};
use crate::i18n::Lang;
use crate::query::{InboxAsk, InboxDone, Request};
use crate::tui::command::Reason;
use crate::tui::msg::Effect;
use crate::tui::overlay::confirm::Confirm;
use crate::tui::overlay::menu::Menu;
use crate::tui::screen::Host;
use crate::tui::screens::ledger::LedgerScreen;
use crate::tui::shell::Shell;
use crate::tui::ui::ScreenId::Inbox;

type Fx = Vec<Effect>;

fn reqs(r: InboxAsk) -> Fx {
    vec![Effect::Request(Request::InboxWork(r))]
}

/// On the inbox, as a reviewer or approver.
fn here(h: &dyn Host) -> Result<&InboxScreen, Reason> {
    let not_here = || Reason::new("申請受付の画面で使えます", "available on the inbox screen");
    if h.active() != Inbox {
        return Err(not_here());
    }
    authorize(
        &h.shell().actor,
        Action::ReviewApplication,
        &Provenance::default(),
    )
    .map_err(|d| Reason::new(d.ja, d.en))?;
    let s = h.screen::<InboxScreen>().ok_or_else(not_here)?;
    if s.covered() {
        return Err(Reason::new(
            "一覧に戻る（Esc）と使えます",
            "go back to the list (Esc) first",
        ));
    }
    Ok(s)
}

pub fn may_assign(h: &dyn Host) -> Result<(), Reason> {
    let s = here(h)?;
    let Some(row) = s.selected() else {
        return Err(Reason::new(
            "申請が選択されていません",
            "no application selected",
        ));
    };
    if !row.status.is_open() {
        return Err(Reason::new(
            "完了した申請は担当を変えられません",
            "a closed case keeps its assignee",
        ));
    }
    if s.staff.is_empty() {
        return Err(Reason::new(
            "担当にできる職員（審査・決裁）が登録されていません",
            "no reviewer or approver is registered to assign",
        ));
    }
    Ok(())
}

/// Each assignable person (the current one marked), then "clear".
pub fn assign_menu(h: &mut dyn Host) -> Fx {
    let lang = h.shell().lang();
    let Some((row, staff)) = h
        .screen::<InboxScreen>()
        .and_then(|s| Some((s.selected()?.clone(), s.staff.clone())))
    else {
        return Vec::new();
    };
    let mut menu = Menu::new(format!(
        "{} {} {}",
        lang.t("担当:", "Assignee:"),
        row.provider_number,
        row.applicant_name
    ));
    let ask = move |who: Option<String>| {
        move |_: &mut dyn Host| {
            vec![Effect::Request(Request::AssignCase {
                id: row.id,
                version: row.version,
                assignee: who,
            })]
        }
    };
    let current = row.assignee.clone();
    for (id, name) in staff {
        let mark = if current.as_deref() == Some(id.as_str()) {
            lang.t("（現在の担当）", " (current)")
        } else {
            ""
        };
        menu.item(format!("{id} {name}{mark}"), ask(Some(id)));
    }
    if current.is_some() {
        menu.item(lang.t("担当を外す", "Clear the assignee"), ask(None));
    }
    h.push_overlay(menu);
    Vec::new()
}

fn open_case(h: &dyn Host) -> Result<&crate::domain::inbox::CaseDetail, Reason> {
    here(h)?
        .case
        .as_deref()
        .ok_or_else(|| Reason::new("案件を開く（Enter）と使えます", "open a case (Enter) first"))
}

pub fn may_note(h: &dyn Host) -> Result<(), Reason> {
    open_case(h).map(|_| ())
}

pub fn note(h: &mut dyn Host) -> Fx {
    let lang = h.shell().lang();
    let Ok(id) = open_case(h).map(|c| c.row.id) else {
        return Vec::new();
    };
    let notes = vec![
        lang.t(
            "記入者と日時とともに案件のメモ欄に残ります（消せません）",
            "Kept in the case's notes with who and when (notes are not deleted)",
        )
        .to_string(),
    ];
    let on = Box::new(move |_: &mut dyn Host, body: String| reqs(InboxAsk::Note { id, body }));
    h.push_overlay(TextEntry::new(
        format!("{} {id}", lang.t("メモを追加: 案件", "Add a note: case")),
        lang.t("メモ:", "Note:").to_string(),
        "",
        notes,
        note_check(),
        on,
    ));
    Vec::new()
}

pub fn may_document(h: &dyn Host) -> Result<(), Reason> {
    let c = open_case(h)?;
    if c.documents.is_empty() {
        return Err(Reason::new(
            "この種類の申請には必要書類がありません",
            "this kind of application needs no documents",
        ));
    }
    Ok(())
}

/// Pick a document; a missing one asks its received date (today first), a received
/// one offers a corrected date or "missing" (asked first).
pub fn document_menu(h: &mut dyn Host) -> Fx {
    let (lang, today) = (h.shell().lang(), h.shell().today);
    let Ok(c) = open_case(h) else {
        return Vec::new();
    };
    let (id, docs) = (c.row.id, c.documents.clone());
    let mut menu = Menu::new(lang.t("必要書類の受領", "Required documents"));
    for d in docs {
        let name = if lang.is_ja() {
            d.document.name_ja
        } else {
            d.document.name_en
        };
        let state = match d.received_on {
            Some(on) => format!("{} {on}", lang.t("受領", "received")),
            None => lang.t("未着", "missing").to_string(),
        };
        let code = d.document.code.to_string();
        let received = d.received_on;
        menu.item(
            format!("[{state}] {name}"),
            move |h: &mut dyn Host| match received {
                None => ask_date(h, id, code, name, today),
                Some(on) => received_menu(h, id, code, name, on),
            },
        );
    }
    h.push_overlay(menu);
    Vec::new()
}

fn ask_date(h: &mut dyn Host, id: i64, code: String, name: &str, on: chrono::NaiveDate) -> Fx {
    let lang = h.shell().lang();
    let notes = vec![
        lang.t(
            "受領した日を入力してください（今日の日付が入っています）",
            "Type the day it arrived (today is filled in)",
        )
        .to_string(),
    ];
    let on_ok = Box::new(move |_: &mut dyn Host, day: String| {
        let on = chrono::NaiveDate::parse_from_str(&day, "%Y-%m-%d").ok();
        reqs(InboxAsk::Document { id, code, on })
    });
    h.push_overlay(TextEntry::new(
        format!("{} {name}", lang.t("受領:", "Received:")),
        lang.t("受領日:", "Received on:").to_string(),
        &on.to_string(),
        notes,
        date_check(),
        on_ok,
    ));
    Vec::new()
}

fn received_menu(
    h: &mut dyn Host,
    id: i64,
    code: String,
    name: &'static str,
    on: chrono::NaiveDate,
) -> Fx {
    let lang = h.shell().lang();
    let mut menu = Menu::new(format!("{name} ({} {on})", lang.t("受領", "received")));
    let c2 = code.clone();
    menu.item(
        lang.t("受領日を直す", "Correct the received date"),
        move |h: &mut dyn Host| ask_date(h, id, c2, name, on),
    );
    menu.item(
        lang.t("未着に戻す", "Mark as missing"),
        move |h: &mut dyn Host| {
            let lang = h.shell().lang();
            let text = if lang.is_ja() {
                format!(
                    "「{name}」の受領（{on}）を取り消し、未着に戻します。\n受領日を入れ直せば元に戻せます。よろしいですか？"
                )
            } else {
                format!(
                    "Mark \"{name}\" (received {on}) as missing.\nEntering the date again restores it. Go ahead?"
                )
            };
            let yes = move |_: &mut dyn Host| reqs(InboxAsk::Document { id, code, on: None });
            h.push_overlay(Confirm::new(text, Box::new(yes)));
            Vec::new()
        },
    );
    h.push_overlay(menu);
    Vec::new()
}

pub fn may_letter(h: &dyn Host) -> Result<(), Reason> {
    let c = open_case(h)?;
    if !matches!(
        c.row.status,
        S::Decided | S::Notified | S::Rejected | S::Returned
    ) {
        return Err(Reason::new(
            "通知書は決定・却下・差戻しの後に作成できます",
            "a letter can be written after a decision, rejection or return",
        ));
    }
    Ok(())
}

/// Writes the letter into the folder the ledger exports to (a new name, never over a
/// file).
pub fn letter(h: &mut dyn Host) -> Fx {
    let Ok(id) = open_case(h).map(|c| c.row.id) else {
        return Vec::new();
    };
    let dir = h
        .screen::<LedgerScreen>()
        .map(|l| l.export_dir.clone())
        .unwrap_or_else(|| std::path::PathBuf::from("."));
    reqs(InboxAsk::Letter { id, dir })
}

/// The letter's name in the case view: 結果通知書, 却下通知書, 差戻し通知書.
pub fn letter_label(kind: &str, lang: Lang) -> &'static str {
    match (kind, lang.is_ja()) {
        ("result", true) => "結果通知書",
        ("result", false) => "Result notice",
        ("rejection", true) => "却下通知書",
        ("rejection", false) => "Rejection notice",
        ("return", true) => "差戻し通知書",
        ("return", false) => "Return notice",
        (_, true) => "通知書",
        (_, false) => "Letter",
    }
}

impl InboxScreen {
    /// What an inbox ask did: the status line says so and the case is read again.
    pub(in crate::tui::screens::inbox) fn on_work(
        &mut self,
        done: InboxDone,
        sh: &mut Shell,
    ) -> Fx {
        let l = sh.lang();
        match done {
            InboxDone::Staff(staff) => {
                self.staff = staff;
                return Vec::new();
            }
            InboxDone::Noted { id } => sh.info(format!(
                "{} {id}",
                l.t("メモを追加しました: 案件", "note added: case")
            )),
            InboxDone::Document { code, on, .. } => {
                let name = self
                    .case
                    .as_ref()
                    .and_then(|c| c.documents.iter().find(|d| d.document.code == code))
                    .map(|d| l.t(d.document.name_ja, d.document.name_en).to_string())
                    .unwrap_or(code);
                sh.info(match on {
                    Some(on) => format!(
                        "{} {name} ({on})",
                        l.t("受領済みにしました:", "marked received:")
                    ),
                    None => format!("{} {name}", l.t("未着に戻しました:", "marked missing:")),
                });
            }
            InboxDone::Letter { html, .. } => sh.info(format!(
                "{} {}",
                l.t("通知書を書き出しました:", "letter written:"),
                html.display()
            )),
            InboxDone::Intaken { id } => {
                self.intake = None;
                self.opening = Some(id);
                self.case_scroll = 0;
                sh.info(format!(
                    "{} {id}",
                    l.t(
                        "紙の申請を受付けました: 案件",
                        "paper case registered: case"
                    )
                ));
            }
            InboxDone::IntakeInvalid(errors) => {
                if let Some(f) = self.intake.as_mut() {
                    f.set_errors(&errors, l);
                }
                sh.dirty = true;
                return Vec::new();
            }
            // The list was closed before it arrived.
            InboxDone::Renewals { .. } => return Vec::new(),
            InboxDone::RenewalsSent { count, first } => {
                if let Some(r) = self.renewals.as_mut() {
                    r.picked.clear();
                }
                sh.info(if l.is_ja() {
                    format!("更新案内を{count}件書き出しました: {}", first.display())
                } else {
                    format!("{count} renewal letters written: {}", first.display())
                })
            }
            InboxDone::PublicNotices { csv, html, rows } => sh.info(if l.is_ja() {
                format!(
                    "公示{rows}件を書き出しました: {} と {}",
                    csv.display(),
                    html.display()
                )
            } else {
                format!(
                    "{rows} public notices written: {} and {}",
                    csv.display(),
                    html.display()
                )
            }),
        }
        sh.dirty = true;
        self.reload()
    }
}
