//! The ledger's commands: open, sort, filter, export, alerts, edit, detail tabs and
//! the edit form, each with its handler and the check that says why not now.

use super::{LedgerMode, LedgerScreen};
use crate::domain::model::FacilityStatus;
use crate::domain::permission::{Action, Provenance, authorize};
use crate::jobs::formats::csv_out::CsvEncoding;
use crate::query::Request;
use crate::tui::command::{Command, Reason, Scope};
use crate::tui::msg::Effect;
use crate::tui::overlay::confirm::Confirm;
use crate::tui::overlay::menu::Menu;
use crate::tui::overlay::prompt::ReasonPrompt;
use crate::tui::screen::Host;
use crate::tui::shell::Shell;
use crate::tui::ui::ScreenId::Ledger;

type Fx = Vec<Effect>;

macro_rules! ledger_commands {
    ($( $name:ident = $id:literal, $scope:expr, $enabled:expr, $run:expr,
        $tja:literal, $ten:literal, $dja:literal, $den:literal; )*) => {
        $( pub static $name: Command = Command {
            id: $id, scope: $scope, enabled: $enabled, run: $run, flags: 0,
            title_ja: $tja, title_en: $ten, desc_ja: $dja, desc_en: $den,
        }; )*
        /// The ledger's commands in registry order.
        pub static COMMANDS: &[&Command] = &[ $( &$name, )* ];
    };
}

const HERE: Scope = Scope::Screen(Ledger);

ledger_commands! {
    LIST_OPEN = "list.open", HERE, row_selected, |h| with(h, |_, l| reqs(l.open_selected())),
        "開く", "Open", "選択した事業所の詳細を開く", "Open the selected facility";
    LIST_SORT_NEXT = "list.sort_next", HERE, in_list, |h| with(h, |_, l| reqs(l.next_sort())),
        "並べ替え列", "Sort column", "並べ替えの列を切り替える", "Sort by the next column";
    LIST_SORT_REVERSE = "list.sort_reverse", HERE, in_list, |h| with(h, |_, l| reqs(l.reverse_sort())),
        "昇順/降順", "Reverse sort", "並び順を反転する", "Reverse the sort order";
    LIST_FILTER = "list.filter", HERE, in_list, filter,
        "絞り込み", "Filter", "サービス種類・状態・期限で絞り込む", "Filter by service, status, deadlines";
    LIST_CLEAR_FILTER = "list.clear_filter", HERE, in_list, |h| with(h, |_, l| reqs(l.clear_filters())),
        "絞り込み解除", "Clear filter", "検索と絞り込みをすべて解除する", "Clear search and filters";
    LIST_EXPORT_CSV = "list.export_csv", HERE, in_list, export_csv,
        "CSV出力", "Export CSV", "表示中の一覧をCSVに書き出す（Excel用UTF-8 / Shift_JIS）", "Write the filtered list as CSV (UTF-8 for Excel, or Shift_JIS)";
    LEDGER_ALERTS = "ledger.alerts", HERE, in_list, |h| with(h, |_, l| reqs(l.cycle_alert())),
        "要対応", "Alerts", "期限3か月以内・会議期限超過・全件 を順に切り替える", "Cycle: expiring in 3 months, meeting overdue, all";
    LEDGER_EDIT = "ledger.edit", HERE, can_edit, |h| with(h, edit),
        "編集", "Edit", "事業所の基本情報を編集する", "Edit the facility's basic information";
    LEDGER_TAB_NEXT = "ledger.tab_next", HERE, in_detail, |h| with(h, |_, l| { l.next_tab(true); Vec::new() }),
        "次のタブ", "Next tab", "詳細の次のタブへ", "Next detail tab";
    LEDGER_TAB_PREV = "ledger.tab_prev", HERE, in_detail, |h| with(h, |_, l| { l.next_tab(false); Vec::new() }),
        "前のタブ", "Previous tab", "詳細の前のタブへ", "Previous detail tab";
    FORM_NEXT_FIELD = "form.next_field", Scope::Form, in_form, |h| with(h, |_, l| { l.form_step(true); Vec::new() }),
        "次の項目", "Next field", "次の入力項目へ", "Next field";
    FORM_PREV_FIELD = "form.prev_field", Scope::Form, in_form, |h| with(h, |_, l| { l.form_step(false); Vec::new() }),
        "前の項目", "Previous field", "前の入力項目へ", "Previous field";
    FORM_SAVE = "form.save", Scope::Form, in_form, save,
        "保存", "Save", "入力を検証して保存する", "Validate and save";
    FORM_CANCEL = "form.cancel", Scope::Form, in_form, cancel_edit,
        "編集をやめる", "Cancel edit", "編集を破棄する（変更があれば確認）", "Discard the edit (asks first if changed)";
    MEETING_RECORD = "meeting.record", HERE, can_record_meeting, |h| with(h, |sh, l| { l.start_meeting(sh); Vec::new() }),
        "会議の開催を記録", "Record a meeting", "運営推進会議の開催を記録し、次回期限を更新する", "Record a meeting held; the next due date follows";
    GUIDANCE_PLAN = "guidance.plan", Scope::Global, super::plan_view::can_open, super::plan_view::open,
        "運営指導計画", "Guidance plan", "今年度の運営指導の対象事業所を月別に表示する", "Facilities due for 運営指導 this fiscal year, by month";
    PERSON_ADD = "person.add", HERE, super::person_commands::can_add, super::person_commands::add,
        "追加", "Add", "従事者・構成員・運営指導を追加する", "Add a staff or council member, or 運営指導 (Designations tab)";
    PERSON_CHANGE = "person.change", HERE, super::person_commands::can_change, super::person_commands::change,
        "変更", "Change", "選んだ従事者・構成員・会議・運営指導の記録、または法人情報を変更する", "Change the selected staff or council member, meeting or guidance record, or the corporation";
    PERSON_END = "person.end", HERE, super::person_commands::can_end, super::person_commands::end,
        "終了/取消", "End / undo", "選んだ従事者・構成員を今日付で終了する（終了済みなら取り消す）", "End the selected staff or council member today (or take an end back)";
}

fn reqs(r: Vec<Request>) -> Fx {
    r.into_iter().map(Effect::Request).collect()
}

/// Runs `f` on the shell and the ledger.
fn with(h: &mut dyn Host, f: impl FnOnce(&mut Shell, &mut LedgerScreen) -> Fx) -> Fx {
    h.parts::<LedgerScreen>()
        .map(|(sh, l)| f(sh, l))
        .unwrap_or_default()
}

fn ledger(h: &dyn Host) -> Result<&LedgerScreen, Reason> {
    match h.screen::<LedgerScreen>() {
        Some(l) if h.active() == Ledger => Ok(l),
        _ => Err(Reason::new(
            "台帳画面で使えます",
            "available on the ledger screen",
        )),
    }
}

pub fn in_list(h: &dyn Host) -> Result<(), Reason> {
    match ledger(h)?.mode {
        LedgerMode::List => Ok(()),
        _ => Err(Reason::new(
            "一覧表示のときに使えます",
            "available in the list view",
        )),
    }
}

fn row_selected(h: &dyn Host) -> Result<(), Reason> {
    let l = ledger(h)?;
    match l.mode {
        LedgerMode::List if l.selected_row().is_none() => Err(Reason::new(
            "事業所が選択されていません",
            "no facility selected",
        )),
        LedgerMode::Edit | LedgerMode::Conflict => {
            Err(Reason::new("編集中です", "an edit is open"))
        }
        LedgerMode::Plan => Err(Reason::new(
            "運営指導計画の表示中です（Esc で一覧へ）",
            "the 運営指導 plan is shown (Esc: back to the list)",
        )),
        _ => Ok(()),
    }
}

fn in_detail(h: &dyn Host) -> Result<(), Reason> {
    match h.screen::<LedgerScreen>() {
        Some(l) if h.active() == Ledger && l.mode == LedgerMode::Detail => Ok(()),
        _ => Err(Reason::new(
            "事業所の詳細表示で使えます",
            "available in a facility's detail view",
        )),
    }
}

fn can_edit(h: &dyn Host) -> Result<(), Reason> {
    row_selected(h)?;
    authorize(&h.shell().actor, Action::EditLedger, &Provenance::default())
        .map_err(|d| Reason::new(d.ja, d.en))
}

fn in_form(h: &dyn Host) -> Result<(), Reason> {
    match h.screen::<LedgerScreen>() {
        Some(l)
            if h.active() == Ledger
                && matches!(
                    l.mode,
                    LedgerMode::Edit | LedgerMode::Meeting | LedgerMode::Person
                ) =>
        {
            Ok(())
        }
        _ => Err(Reason::new(
            "編集フォームで使えます",
            "available in an edit form",
        )),
    }
}

fn edit(sh: &mut Shell, l: &mut LedgerScreen) -> Fx {
    if l.mode != LedgerMode::List {
        l.start_edit(sh);
        return Vec::new();
    }
    let r = l.open_selected();
    l.mode = LedgerMode::Detail;
    // Edit opens as soon as the detail arrives (see start_edit in the replies).
    l.edit = None;
    l.pending_edit = true;
    reqs(r)
}

fn save(h: &mut dyn Host) -> Fx {
    if h.screen::<LedgerScreen>()
        .is_some_and(|l| l.mode == LedgerMode::Meeting)
    {
        return super::meeting_commands::save_meeting(h);
    }
    if h.screen::<LedgerScreen>()
        .is_some_and(|l| l.mode == LedgerMode::Person)
    {
        return super::person_commands::save(h);
    }
    with(h, |_, l| match l.edit.as_mut() {
        Some(e) if !e.saving => vec![Effect::Request(e.save_request())],
        _ => Vec::new(),
    })
}

/// Recording a meeting: in a facility's detail, for a role that may edit the ledger.
fn can_record_meeting(h: &dyn Host) -> Result<(), Reason> {
    in_detail(h)?;
    authorize(&h.shell().actor, Action::EditLedger, &Provenance::default())
        .map_err(|d| Reason::new(d.ja, d.en))
}

fn cancel_edit(h: &mut dyn Host) -> Fx {
    if h.screen::<LedgerScreen>()
        .is_some_and(|l| l.mode == LedgerMode::Meeting)
    {
        return super::meeting_commands::cancel_meeting(h);
    }
    if h.screen::<LedgerScreen>()
        .is_some_and(|l| l.mode == LedgerMode::Person)
    {
        return super::person_commands::cancel(h);
    }
    let Some((sh, l)) = h.parts::<LedgerScreen>() else {
        return Vec::new();
    };
    if !l.has_unsaved_edit() {
        l.edit = None;
        l.mode = LedgerMode::Detail;
        return Vec::new();
    }
    let message = sh.lang().t("変更を破棄しますか？", "Discard your changes?");
    let discard = |h: &mut dyn Host| {
        with(h, |_, l| {
            l.edit = None;
            l.mode = LedgerMode::Detail;
            Vec::new()
        })
    };
    h.push_overlay(Confirm::new(message, Box::new(discard)));
    Vec::new()
}

fn export_csv(h: &mut dyn Host) -> Fx {
    let lang = h.shell().lang();
    let mut menu = Menu::new(lang.t("CSV出力（表示中の一覧）", "Export the listed rows as CSV"));
    for (label, encoding) in [
        (
            lang.t("UTF-8（BOM付き・Excel用）", "UTF-8 with BOM (Excel)"),
            CsvEncoding::Utf8Bom,
        ),
        (
            lang.t("Shift_JIS（CP932）", "Shift_JIS (CP932)"),
            CsvEncoding::Cp932,
        ),
    ] {
        menu.item(label, move |h: &mut dyn Host| ask_export_path(h, encoding));
    }
    h.push_overlay(menu);
    Vec::new()
}

/// Asks where, with the default shown in full and editable.
fn ask_export_path(h: &mut dyn Host, encoding: CsvEncoding) -> Fx {
    let Some(l) = h.screen::<LedgerScreen>() else {
        return Vec::new();
    };
    let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S");
    let default = l.export_dir.join(format!("daicho-ledger-{stamp}.csv"));
    let title = h
        .shell()
        .lang()
        .t("CSVの保存先", "Where to write the CSV")
        .into();
    let prompt = ReasonPrompt::export_path(&default, l.query.clone(), encoding, title);
    h.push_overlay(prompt);
    Vec::new()
}

fn filter(h: &mut dyn Host) -> Fx {
    let Some(l) = h.screen::<LedgerScreen>() else {
        return Vec::new();
    };
    let menu = filter_menu(h.shell(), l);
    h.push_overlay(menu);
    Vec::new()
}

fn filter_item(
    menu: &mut Menu<dyn Host>,
    label: impl Into<String>,
    f: impl FnOnce(&mut LedgerScreen) -> Vec<Request> + 'static,
) {
    menu.item(label, move |h: &mut dyn Host| with(h, |_, l| reqs(f(l))));
}

fn filter_menu(sh: &Shell, l: &LedgerScreen) -> Menu<dyn Host> {
    let lang = sh.lang();
    let mut menu = Menu::new(lang.t("絞り込み", "Filter"));
    filter_item(
        &mut menu,
        lang.t("サービス種類: すべて", "Service: all"),
        |l| l.filter_service(None),
    );
    for s in &l.service_types {
        let label = format!(
            "{}: {} {}",
            lang.t("サービス種類", "Service"),
            s.code,
            s.name
        );
        let code = s.code.clone();
        filter_item(&mut menu, label, move |l| l.filter_service(Some(code)));
    }
    filter_item(&mut menu, lang.t("状態: すべて", "Status: all"), |l| {
        l.filter_status(None)
    });
    for s in FacilityStatus::ALL {
        let name = if lang.is_ja() {
            s.label_ja()
        } else {
            s.label_en()
        };
        let label = format!("{}: {name}", lang.t("状態", "Status"));
        filter_item(&mut menu, label, move |l| l.filter_status(Some(s)));
    }
    for months in [1, 3, 6, 12] {
        let label = format!(
            "{} {months}{}",
            lang.t("有効期限:", "Expiring within"),
            lang.t("か月以内", " months")
        );
        filter_item(&mut menu, label, move |l| l.filter_expiring(months));
    }
    filter_item(
        &mut menu,
        lang.t("有効期限: 条件なし", "Expiry: any"),
        |l| l.filter_expiring(0),
    );
    filter_item(
        &mut menu,
        lang.t("運営推進会議: 期限超過", "Council meeting overdue"),
        |l| l.filter_meeting_overdue(),
    );
    menu
}
