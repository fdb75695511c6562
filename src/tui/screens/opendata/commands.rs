//! The reconciliation view's commands: open it (palette, jobs screen `r`), accept a
//! difference into a 変更 case (asks first), mark a finding known with a note.

use super::OpenDataScreen;
use crate::domain::opendata::has_capacity;
use crate::domain::opendata::{Field, Finding};
use crate::query::Request;
use crate::tui::command::{Command, Reason, Scope};
use crate::tui::msg::Effect;
use crate::tui::overlay::confirm::Confirm;
use crate::tui::overlay::menu::Menu;
use crate::tui::overlay::prompt::ReasonPrompt;
use crate::tui::screen::Host;
use crate::tui::screens::ledger::LedgerScreen;
use crate::tui::ui::ScreenId;

type Fx = Vec<Effect>;

pub static SCREEN_OPENDATA: Command = Command {
    id: "screen.opendata",
    scope: Scope::Global,
    enabled: |_| Ok(()),
    run: |h| h.switch_screen(ScreenId::OpenData),
    flags: 0,
    title_ja: "公表データ照合",
    title_en: "Open data reconciliation",
    desc_ja: "公表データと台帳の照合結果（相違・台帳のみ・公表のみ）を開く",
    desc_en: "Open the reconciliation of the ledger with the open data",
};

pub static OPENDATA_ACCEPT: Command = Command {
    id: "opendata.accept",
    scope: Scope::Screen(ScreenId::OpenData),
    enabled: |h| acceptable(h).map(|_| ()),
    run: accept,
    flags: 0,
    title_ja: "変更として受付",
    title_en: "Accept as change",
    desc_ja: "選んだ相違を公表の値への変更届出として受け付ける（受付箱で審査）",
    desc_en: "Take the selected difference in as a change case (reviewed in the inbox)",
};

pub static OPENDATA_KNOWN: Command = Command {
    id: "opendata.known",
    scope: Scope::Screen(ScreenId::OpenData),
    enabled: |h| open_finding(h).map(|_| ()),
    run: known,
    flags: 0,
    title_ja: "既知とする",
    title_en: "Mark known",
    desc_ja: "選んだ相違・不一致を理由のメモ付きで既知として記録する（台帳は変えない）",
    desc_en: "Record the selected finding as known, with a note (the ledger is not changed)",
};

/// On the ledger's facility detail: set the 定員 of one of its designated services.
pub static LEDGER_CAPACITY: Command = Command {
    id: "ledger.capacity",
    scope: Scope::Screen(ScreenId::Ledger),
    enabled: |h| capacity_services(h).map(|_| ()),
    run: capacity,
    flags: 0,
    title_ja: "定員の変更",
    title_en: "Set capacity",
    desc_ja: "表示中の事業所の、定員のあるサービスの定員を変える（1〜999 の整数）",
    desc_en: "Set the capacity of a service of the facility shown (a whole number, 1 to 999)",
};

pub static COMMANDS: &[&Command] = &[
    &SCREEN_OPENDATA,
    &OPENDATA_ACCEPT,
    &OPENDATA_KNOWN,
    &LEDGER_CAPACITY,
];

/// The facility shown (id, name) and its active designations that have a 定員 (code,
/// service name, current 定員).
type CapacityServices = (i64, String, Vec<(String, String, Option<i64>)>);

fn capacity_services(h: &dyn Host) -> Result<CapacityServices, Reason> {
    let d = h
        .screen::<LedgerScreen>()
        .and_then(|l| l.detail.as_deref())
        .ok_or_else(|| Reason::new("事業所を開いてください", "open a facility first"))?;
    let services: Vec<(String, String, Option<i64>)> = d
        .designations
        .iter()
        .filter(|x| x.active && has_capacity(&x.service_code))
        .map(|x| (x.service_code.clone(), x.service_name.clone(), x.capacity))
        .collect();
    if services.is_empty() {
        return Err(Reason::new(
            "この事業所には定員のあるサービスの指定がありません",
            "this facility has no designated service with a capacity",
        ));
    }
    Ok((d.facility.id, d.facility.fields.name.clone(), services))
}

fn capacity(h: &mut dyn Host) -> Fx {
    let Ok((facility_id, name, services)) = capacity_services(h) else {
        return Vec::new();
    };
    let lang = h.shell().lang();
    let mut menu: Menu<dyn Host> = Menu::new(format!(
        "{} {name}",
        lang.t("定員を変えるサービス:", "Capacity of which service:")
    ));
    for (code, service, current) in services {
        let title = format!("{name} {service} — {}", lang.t("定員", "capacity"));
        let label = match current {
            Some(n) => format!("{service}（{}{n}）", lang.t("現在 ", "now ")),
            None => service,
        };
        let current = current.map(|n| n.to_string()).unwrap_or_default();
        menu.item(label, move |h: &mut dyn Host| {
            h.push_overlay(ReasonPrompt::capacity(
                title,
                &current,
                move |_: &mut dyn Host, text| {
                    vec![Effect::Request(Request::SetCapacity {
                        facility_id,
                        service_code: code,
                        capacity: text,
                    })]
                },
            ));
            Vec::new()
        });
    }
    h.push_overlay(menu);
    Vec::new()
}

fn open_finding(h: &dyn Host) -> Result<Finding, Reason> {
    let f = h
        .screen::<OpenDataScreen>()
        .and_then(|s| s.selected().cloned())
        .ok_or_else(|| Reason::new("照合結果がありません", "no finding is selected"))?;
    if f.status != "open" {
        return Err(Reason::new(
            "この項目は処理済みです",
            "this finding has already been decided",
        ));
    }
    Ok(f)
}

fn acceptable(h: &dyn Host) -> Result<(Finding, Field), Reason> {
    let f = open_finding(h)?;
    match Field::from_code(&f.field).filter(|_| f.kind == "difference") {
        Some(field) if field.changeable() => Ok((f, field)),
        Some(_) => Err(Reason::new(
            "この項目は変更届出で変えられません（既知とするか所定の手続で直してください）",
            "this item is not changed by a change notice (mark it known or use its own procedure)",
        )),
        None => Err(Reason::new(
            "受け付けられるのは項目の相違だけです",
            "only a field difference can be accepted",
        )),
    }
}

fn accept(h: &mut dyn Host) -> Fx {
    let Ok((f, field)) = acceptable(h) else {
        return Vec::new();
    };
    let lang = h.shell().lang();
    let message = if lang.is_ja() {
        format!(
            "{} {} の{}を「{}」から「{}」へ変える変更届出を受け付けます（台帳は審査・決定まで変わりません）。\nよろしいですか？",
            f.provider_number,
            f.name,
            field.label(true),
            f.ledger_value,
            f.opendata_value
        )
    } else {
        format!(
            "Take in a change case for {} {}: {} from \"{}\" to \"{}\" (the ledger changes only when it is decided).\nGo ahead?",
            f.provider_number,
            f.name,
            field.label(false),
            f.ledger_value,
            f.opendata_value
        )
    };
    let id = f.id;
    let on_yes = move |_: &mut dyn Host| {
        vec![Effect::Request(Request::OpenDataDecide {
            id,
            accept: true,
            note: String::new(),
        })]
    };
    h.push_overlay(Confirm::new(message, Box::new(on_yes)));
    Vec::new()
}

fn known(h: &mut dyn Host) -> Fx {
    let Ok(f) = open_finding(h) else {
        return Vec::new();
    };
    let lang = h.shell().lang();
    let title = format!(
        "{} {} — {}",
        f.provider_number,
        f.name,
        lang.t("既知とする理由", "why this is known")
    );
    let id = f.id;
    h.push_overlay(ReasonPrompt::note(title, move |_: &mut dyn Host, note| {
        vec![Effect::Request(Request::OpenDataDecide {
            id,
            accept: false,
            note,
        })]
    }));
    Vec::new()
}
