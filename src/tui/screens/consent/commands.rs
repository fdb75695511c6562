//! The consent queue's commands: open a case, switch tabs, filter and search, and the
//! workflow step, each with the check that says why it cannot run now.

use super::{ConsentScreen, Filters, Tab};
use crate::domain::consent::{ConsentStatus, Direction};
use crate::domain::consent_view::ConsentListRow;
use crate::domain::permission::{Action, Provenance, authorize};
use crate::query::Request;
use crate::tui::command::{Command, Reason, Scope};
use crate::tui::msg::Effect;
use crate::tui::overlay::confirm::Confirm;
use crate::tui::overlay::menu::Menu;
use crate::tui::overlay::prompt::ReasonPrompt;
use crate::tui::screen::Host;
use crate::tui::ui::ScreenId::Consent;

use super::words::step_outcome;
pub use super::words::{conflict, transitioned};

type Fx = Vec<Effect>;

macro_rules! command {
    ($name:ident, $id:literal, $enabled:expr, $run:expr, $tja:literal, $ten:literal, $dja:literal, $den:literal) => {
        pub static $name: Command = Command {
            id: $id,
            scope: Scope::Screen(Consent),
            enabled: $enabled,
            run: $run,
            flags: 0,
            title_ja: $tja,
            title_en: $ten,
            desc_ja: $dja,
            desc_en: $den,
        };
    };
}

command!(
    CONSENT_OPEN,
    "consent.open",
    |h| case_selected(h, false),
    open,
    "案件を開く",
    "Open case",
    "選択した同意案件の詳細（被保険者・申請・履歴・文書）を表示する",
    "Show the selected case: insured person, application, history, letters"
);
command!(
    CONSENT_TAB_NEXT,
    "consent.tab_next",
    on_list,
    |h| tab(h, 1),
    "次のタブ",
    "Next tab",
    "区外へ依頼・区外から依頼・事前同意を切り替える",
    "Switch between outgoing, incoming and prior consents"
);
command!(
    CONSENT_TAB_PREV,
    "consent.tab_prev",
    on_list,
    |h| tab(h, 2),
    "前のタブ",
    "Previous tab",
    "前のタブへ戻る",
    "Go to the previous tab"
);
command!(
    CONSENT_FILTER,
    "consent.filter",
    on_case_tab,
    filter_menu,
    "絞込",
    "Filter",
    "状態・未完了・回答期限超過で絞り込む",
    "Filter by status, open cases or overdue answers"
);
command!(
    CONSENT_CLEAR_FILTER,
    "consent.clear_filter",
    has_filters,
    clear_filters,
    "絞込解除",
    "Clear filter",
    "絞込と検索を解除する",
    "Clear filters and search"
);
command!(
    CONSENT_SEARCH,
    "consent.search",
    on_case_tab,
    search,
    "検索",
    "Search",
    "事業所名・番号・相手先・文書番号で探す",
    "Search by facility, number, municipality or document number"
);
command!(
    CONSENT_STEP,
    "consent.step",
    |h| case_selected(h, true),
    step_menu,
    "状態を進める",
    "Next step",
    "同意・不同意・取下げなど次の状態を記録する（確認あり）",
    "Record the next status (consent, refusal, withdrawal…), after a confirmation"
);

command!(
    CONSENT_NEW_OUTGOING,
    "consent.new_outgoing",
    |h| super::create::can_create(h, Direction::Outgoing),
    |h| super::create::new_case(h, Direction::Outgoing),
    "同意依頼を作成",
    "New outgoing request",
    "区外の事業所を使う当区の被保険者について、相手先への同意依頼（資料14-2）を作る",
    "Ask another municipality to consent for our resident (14-2)"
);
command!(
    CONSENT_NEW_INCOMING,
    "consent.new_incoming",
    |h| super::create::can_create(h, Direction::Incoming),
    |h| super::create::new_case(h, Direction::Incoming),
    "区外からの依頼を記録",
    "Record incoming request",
    "他の市区町村から届いた同意依頼（資料14-3）を入力する",
    "Key in another municipality's request for a ward facility (14-3)"
);
command!(
    CONSENT_LETTER,
    "consent.letter",
    super::create::letter_available,
    super::create::write_letter,
    "文書を作成",
    "Write letter",
    "同意依頼書・同意書・不同意回答書を書き出し、案件に記録する",
    "Write the request, consent or refusal letter and list it on the case"
);

command!(
    CONSENT_PRIOR_ADD,
    "consent.prior_add",
    |h| super::prior::can_edit(h, false),
    |h| super::prior::open(h, false),
    "事前同意を登録",
    "Add prior consent",
    "相手先・向き・有効期間・対象外サービスを入力して事前同意を登録する（決裁者）",
    "Add a prior consent: municipality, direction, validity, excluded services (approver)"
);
command!(
    CONSENT_PRIOR_EDIT,
    "consent.prior_edit",
    |h| super::prior::can_edit(h, true),
    |h| super::prior::open(h, true),
    "事前同意を修正",
    "Edit prior consent",
    "選択した事前同意を修正する（決裁者・保存前に確認）",
    "Edit the selected prior consent (approver; asks before saving)"
);

command!(
    CONSENT_LINK,
    "consent.link",
    super::link::can_link,
    super::link::open_link,
    "申請に紐づける",
    "Link application",
    "区外への同意依頼を申請に紐づける（紐づけると同意まで決定不可）",
    "Link an outgoing request to its application (not decidable until consent)"
);
command!(
    CONSENT_END_USE,
    "consent.end_use",
    super::link::can_end_use,
    super::link::end_use,
    "利用終了を記録",
    "End of use",
    "同意を得た事業所の利用をやめたことを記録する（更新時の依頼対象から外れる）",
    "Record that the resident stopped using the facility (left out at renewal)"
);
command!(
    CONSENT_RENEWAL,
    "consent.renewal",
    super::link::can_renew,
    super::link::open_renewal,
    "指定更新の同意依頼",
    "Renewal follow-ups",
    "指定更新申請の事業所を今使っている被保険者ごとに同意依頼を作る",
    "Create consent requests for the residents still using a renewed facility"
);

command!(
    CONSENT_SORT,
    "consent.sort",
    super::settings::on_case_list,
    super::settings::next_sort,
    "並べ替え",
    "Sort",
    "督促日順・新しい依頼順・相手先順を切り替える",
    "Sort by reminder date, newest request or municipality"
);
command!(
    CONSENT_MUNICIPALITY,
    "consent.municipality",
    super::settings::on_case_list,
    super::settings::municipality_menu,
    "相手先で絞込",
    "By municipality",
    "一覧の相手先（市区町村）から選んで絞り込む",
    "Filter by one of the municipalities listed"
);
command!(
    CONSENT_REMINDER_DAYS,
    "consent.reminder_days",
    super::settings::can_set_days,
    super::settings::open_days,
    "督促日数の設定",
    "Reminder days",
    "回答がないとき督促するまでの日数を設定する（決裁者）",
    "Set how many days without an answer before a reminder (approver)"
);

/// The consent screen's commands in registry order.
pub static COMMANDS: &[&Command] = &[
    &CONSENT_OPEN,
    &CONSENT_TAB_NEXT,
    &CONSENT_TAB_PREV,
    &CONSENT_FILTER,
    &CONSENT_CLEAR_FILTER,
    &CONSENT_SEARCH,
    &CONSENT_STEP,
    &CONSENT_NEW_OUTGOING,
    &CONSENT_NEW_INCOMING,
    &CONSENT_LETTER,
    &CONSENT_PRIOR_ADD,
    &CONSENT_PRIOR_EDIT,
    &CONSENT_LINK,
    &CONSENT_END_USE,
    &CONSENT_RENEWAL,
    &CONSENT_SORT,
    &CONSENT_MUNICIPALITY,
    &CONSENT_REMINDER_DAYS,
];

pub(super) fn screen(h: &dyn Host) -> Result<&ConsentScreen, Reason> {
    if h.active() != Consent {
        return Err(Reason::new(
            "区外同意の画面で使えます",
            "available on the consent screen",
        ));
    }
    h.screen::<ConsentScreen>()
        .ok_or_else(|| Reason::new("区外同意の画面がありません", "no consent screen"))
}

pub(super) fn on_list(h: &dyn Host) -> Result<(), Reason> {
    match screen(h)?.case {
        Some(_) => Err(Reason::new(
            "一覧で使えます（Esc で一覧へ戻る）",
            "available in the list (Esc goes back)",
        )),
        None => Ok(()),
    }
}

/// The screen, when its list (not a case) is on display.
pub(super) fn on_list_screen(h: &dyn Host) -> Result<&ConsentScreen, Reason> {
    on_list(h)?;
    screen(h)
}

fn on_case_tab(h: &dyn Host) -> Result<(), Reason> {
    on_list(h)?;
    match screen(h)?.tab {
        Tab::Prior => Err(Reason::new(
            "依頼のタブで使えます",
            "available on the request tabs",
        )),
        _ => Ok(()),
    }
}

fn has_filters(h: &dyn Host) -> Result<(), Reason> {
    on_case_tab(h)?;
    if screen(h)?.filters.is_empty() {
        return Err(Reason::new("絞込していません", "no filter set"));
    }
    Ok(())
}

/// A case selected (or open); `step`: one this user may move on, with a next status.
pub(super) fn case_selected(h: &dyn Host, step: bool) -> Result<(), Reason> {
    let s = screen(h)?;
    if !step && s.case.is_some() {
        return Err(Reason::new("案件を表示中です", "the case is open"));
    }
    let Some(row) = s.current() else {
        return Err(Reason::new(
            "同意案件が選択されていません",
            "no consent case selected",
        ));
    };
    if !step {
        return Ok(());
    }
    authorize(
        &h.shell().actor,
        Action::HandleConsent,
        &Provenance::default(),
    )
    .map_err(|d| Reason::new(d.ja, d.en))?;
    if row.status.next(row.direction).is_empty() {
        return Err(Reason::new(
            "この案件は終わっています",
            "this case is finished",
        ));
    }
    Ok(())
}

fn open(h: &mut dyn Host) -> Fx {
    match h.screen::<ConsentScreen>().and_then(|s| s.selected()) {
        Some(row) => vec![Effect::Request(Request::ConsentCase { id: row.id })],
        None => Vec::new(),
    }
}

/// `by` 1 = next, 2 = previous (of three).
fn tab(h: &mut dyn Host, by: usize) -> Fx {
    let Some((_, s)) = h.parts::<ConsentScreen>() else {
        return Vec::new();
    };
    let i = Tab::ALL.iter().position(|t| *t == s.tab).unwrap_or(0);
    s.set_tab(Tab::ALL[(i + by) % Tab::ALL.len()])
}

fn set_filters(h: &mut dyn Host, f: impl FnOnce(&mut Filters)) -> Fx {
    let Some((sh, s)) = h.parts::<ConsentScreen>() else {
        return Vec::new();
    };
    let mut filters = s.filters.clone();
    f(&mut filters);
    sh.dirty = true;
    s.set_filters(filters)
}

fn clear_filters(h: &mut dyn Host) -> Fx {
    set_filters(h, |f| *f = Filters::default())
}

fn filter_menu(h: &mut dyn Host) -> Fx {
    let lang = h.shell().lang();
    let today = h.shell().today;
    let mut menu: Menu<dyn Host> = Menu::new(lang.t("絞込", "Filter"));
    menu.item(
        lang.t("すべての状態", "Any status"),
        |h: &mut dyn Host| {
            set_filters(h, |f| {
                f.status = None;
                f.open_only = false;
                f.overdue = None;
            })
        },
    );
    menu.item(
        lang.t("未完了のみ", "Open cases only"),
        |h: &mut dyn Host| {
            set_filters(h, |f| {
                f.status = None;
                f.open_only = true;
            })
        },
    );
    menu.item(
        lang.t("回答期限を過ぎたもの", "Answer overdue"),
        move |h: &mut dyn Host| set_filters(h, |f| f.overdue = Some(today)),
    );
    for st in ConsentStatus::ALL {
        let label = if lang.is_ja() {
            st.label_ja()
        } else {
            st.label_en()
        };
        menu.item(label, move |h: &mut dyn Host| {
            set_filters(h, |f| {
                f.status = Some(st);
                f.open_only = false;
            })
        });
    }
    h.push_overlay(menu);
    Vec::new()
}

fn search(h: &mut dyn Host) -> Fx {
    let lang = h.shell().lang();
    let text = h
        .screen::<ConsentScreen>()
        .map(|s| s.filters.search.clone())
        .unwrap_or_default();
    let title = lang.t("同意案件を検索", "Search consent cases").to_string();
    let on = |h: &mut dyn Host, text: String| set_filters(h, |f| f.search = text);
    h.push_overlay(ReasonPrompt::search(title, &text, on));
    Vec::new()
}

/// The next statuses of the selected case, each asking first.
fn step_menu(h: &mut dyn Host) -> Fx {
    let Some(row) = h
        .screen::<ConsentScreen>()
        .and_then(|s| s.current().cloned())
    else {
        return Vec::new();
    };
    let lang = h.shell().lang();
    let mut menu: Menu<dyn Host> = Menu::new(format!(
        "{} {}",
        lang.t("次の状態:", "Next status:"),
        row.facility_name
    ));
    for &to in row.status.next(row.direction) {
        let label = if lang.is_ja() {
            to.label_ja()
        } else {
            to.label_en()
        };
        let row = row.clone();
        menu.item(label, move |h: &mut dyn Host| ask_step(h, row, to));
    }
    h.push_overlay(menu);
    Vec::new()
}

/// 不同意 and 取下げ ask for a reason; every other step asks for a yes, saying what happens.
fn ask_step(h: &mut dyn Host, row: ConsentListRow, to: ConsentStatus) -> Fx {
    let lang = h.shell().lang();
    let outcome = step_outcome(lang, &row, to);
    let (id, version) = (row.id, row.version);
    let request = move |reason: String| Request::ConsentTransition {
        id,
        version,
        to,
        reason,
    };
    if to.needs_reason() {
        let label = if lang.is_ja() {
            to.label_ja()
        } else {
            to.label_en()
        };
        let title = format!("{label}: {} {}", row.municipality_name, row.facility_name);
        let mut prompt = ReasonPrompt::consent_step(to, title, request);
        prompt.outcome = Some(outcome);
        h.push_overlay(prompt);
        return Vec::new();
    }
    let message = format!("{outcome}\n{}", lang.t("よろしいですか？", "Go ahead?"));
    let on_yes = move |_: &mut dyn Host| vec![Effect::Request(request(String::new()))];
    h.push_overlay(Confirm::new(message, Box::new(on_yes)));
    Vec::new()
}
