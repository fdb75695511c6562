//! 更新案内 and 公示 from the inbox (and from the palette on any screen): the renewal
//! list (G), picking (Space), the months (t), writing the letters (W, asked first), and
//! the month's 公示 export (P).

use super::super::InboxScreen;
use super::view::{DEFAULT_MONTHS, Renewals};
use crate::domain::permission::{Action, Provenance, authorize};
use crate::query::{InboxAsk, Request};
use crate::tui::command::{Command, Reason, Scope};
use crate::tui::msg::Effect;
use crate::tui::overlay::confirm::Confirm;
use crate::tui::screen::Host;
use crate::tui::screens::inbox::work::entry::TextEntry;
use crate::tui::screens::ledger::LedgerScreen;
use crate::tui::ui::ScreenId::Inbox;

type Fx = Vec<Effect>;

macro_rules! notice_commands {
    ($( $name:ident = $id:literal, $enabled:expr, $run:expr,
        $tja:literal, $ten:literal, $dja:literal, $den:literal; )*) => {
        $( pub static $name: Command = Command {
            id: $id, scope: Scope::Screen(Inbox), enabled: $enabled, run: $run, flags: 0,
            title_ja: $tja, title_en: $ten, desc_ja: $dja, desc_en: $den,
        }; )*
    };
}

notice_commands! {
    INBOX_RENEWALS = "inbox.renewal_list", not_typing, open_renewals,
        "更新案内", "Renewal guidance", "満了が近い指定の一覧（案内期日・送付済か）を開く", "List designations ending soon, with the notice date and whether it was sent";
    INBOX_RENEWAL_PICK = "inbox.renewal_pick", in_renewals, |h| with(h, Renewals::toggle),
        "選択", "Pick", "カーソルの指定を選ぶ／外す", "Pick or unpick the designation under the cursor";
    INBOX_RENEWAL_MONTHS = "inbox.renewal_months", |h| renewals(h).map(|_| ()), ask_months,
        "月数", "Months", "何か月先までの満了を表示するか変える", "Change how many months ahead the list looks";
    INBOX_RENEWAL_SEND = "inbox.renewal_send", picked, send,
        "案内を作成", "Write guidance", "選んだ指定の更新案内を書き出し、送付済として記録する", "Write the renewal guidance for the picked designations and record it as sent";
    INBOX_PUBLIC_NOTICES = "inbox.public_notices", reviewer, ask_month,
        "公示出力", "Public notices", "指定・廃止・取消・休止の公示（月ごと）をCSVとHTMLで書き出す", "Write a month's public notices (designations, closures…) as CSV and HTML";
}

/// The commands in registry order.
pub static COMMANDS: &[&Command] = &[
    &INBOX_RENEWALS,
    &INBOX_RENEWAL_PICK,
    &INBOX_RENEWAL_MONTHS,
    &INBOX_RENEWAL_SEND,
    &INBOX_PUBLIC_NOTICES,
];

/// A reviewer or approver, on any screen (the palette and the header reach these).
fn reviewer(h: &dyn Host) -> Result<(), Reason> {
    authorize(
        &h.shell().actor,
        Action::ReviewApplication,
        &Provenance::default(),
    )
    .map_err(|d| Reason::new(d.ja, d.en))
}

/// A reviewer, and not in the middle of the intake form.
fn not_typing(h: &dyn Host) -> Result<(), Reason> {
    reviewer(h)?;
    if h.screen::<InboxScreen>()
        .is_some_and(|s| s.intake.is_some())
    {
        return Err(Reason::new(
            "紙の受付の入力を終える（Ctrl-S か Esc）と使えます",
            "finish the paper intake form (Ctrl-S or Esc) first",
        ));
    }
    Ok(())
}

fn renewals(h: &dyn Host) -> Result<&Renewals, Reason> {
    reviewer(h)?;
    let list = (h.active() == Inbox)
        .then(|| h.screen::<InboxScreen>())
        .flatten()
        .and_then(|s| s.renewals.as_ref());
    list.ok_or_else(|| {
        Reason::new(
            "更新案内の一覧（G）で使えます",
            "available in the renewal guidance list (G)",
        )
    })
}

fn in_renewals(h: &dyn Host) -> Result<(), Reason> {
    let r = renewals(h)?;
    if r.rows.is_empty() {
        return Err(Reason::new(
            "一覧に指定がありません",
            "the list has no designation",
        ));
    }
    Ok(())
}

fn picked(h: &dyn Host) -> Result<(), Reason> {
    if renewals(h)?.picked.is_empty() {
        return Err(Reason::new(
            "Space で案内を送る指定を選んでください",
            "pick the designations to write to with Space",
        ));
    }
    Ok(())
}

fn with(h: &mut dyn Host, f: fn(&mut Renewals)) -> Fx {
    if let Some((sh, s)) = h.parts::<InboxScreen>()
        && let Some(r) = s.renewals.as_mut()
    {
        f(r);
        sh.dirty = true;
    }
    Vec::new()
}

fn ask(a: InboxAsk) -> Effect {
    Effect::Request(Request::InboxWork(a))
}

fn export_dir(h: &dyn Host) -> std::path::PathBuf {
    h.screen::<LedgerScreen>()
        .map(|l| l.export_dir.clone())
        .unwrap_or_else(|| std::path::PathBuf::from("."))
}

/// Goes to the inbox if elsewhere and shows the list (3 months unless changed).
pub fn open_renewals(h: &mut dyn Host) -> Fx {
    let mut fx = if h.active() == Inbox {
        Vec::new()
    } else {
        h.switch_screen(Inbox)
    };
    let Some((sh, s)) = h.parts::<InboxScreen>() else {
        return fx;
    };
    let months = s.renewals.as_ref().map_or(DEFAULT_MONTHS, |r| r.months);
    s.renewals = Some(Renewals::new(months));
    sh.dirty = true;
    fx.push(ask(InboxAsk::Renewals { months }));
    fx
}

fn ask_months(h: &mut dyn Host) -> Fx {
    let lang = h.shell().lang();
    let now = h
        .screen::<InboxScreen>()
        .and_then(|s| s.renewals.as_ref())
        .map_or(DEFAULT_MONTHS, |r| r.months);
    let check = Box::new(|text: &str, lang: crate::i18n::Lang| {
        let t = crate::domain::text::nfkc(text.trim());
        match t.parse::<u32>() {
            Ok(n) if (1..=24).contains(&n) => Ok(n.to_string()),
            _ => Err(lang
                .t(
                    "月数は 1 から 24 の数字で入力してください",
                    "Type the months as a number from 1 to 24",
                )
                .to_string()),
        }
    });
    let on = Box::new(|h: &mut dyn Host, n: String| {
        let months = n.parse().unwrap_or(DEFAULT_MONTHS);
        if let Some((_, s)) = h.parts::<InboxScreen>()
            && let Some(r) = s.renewals.as_mut()
        {
            r.months = months;
        }
        vec![ask(InboxAsk::Renewals { months })]
    });
    h.push_overlay(TextEntry::new(
        lang.t("更新案内: 表示する月数", "Renewal guidance: months ahead")
            .to_string(),
        lang.t("月数:", "Months:").to_string(),
        &now.to_string(),
        vec![
            lang.t(
                "今日からこの月数以内に満了する指定を表示します",
                "Shows designations ending within this many months from today",
            )
            .to_string(),
        ],
        check,
        on,
    ));
    Vec::new()
}

/// Asks first, naming how many letters and for whom; a notice already sent is said so.
fn send(h: &mut dyn Host) -> Fx {
    let lang = h.shell().lang();
    let dir = export_dir(h);
    let Some(r) = h.screen::<InboxScreen>().and_then(|s| s.renewals.as_ref()) else {
        return Vec::new();
    };
    let rows = r.picked_rows();
    let again = rows.iter().filter(|r| r.sent_on.is_some()).count();
    let mut text = if lang.is_ja() {
        format!(
            "次の{}件の更新案内を書き出し、送付済として記録します。",
            rows.len()
        )
    } else {
        format!(
            "Write the renewal guidance for these {} and record it as sent.",
            rows.len()
        )
    };
    for row in rows.iter().take(5) {
        text.push_str(&format!(
            "\n  {} {} {}",
            row.provider_number, row.service_name, row.facility_name
        ));
    }
    if rows.len() > 5 {
        text.push_str(&format!("\n  {} {}", lang.t("ほか", "and"), rows.len() - 5));
    }
    if again > 0 {
        text.push_str(&if lang.is_ja() {
            format!("\nうち{again}件は送付済です。送付日は今日に置き換わります。")
        } else {
            format!("\n{again} of them were sent before; the sent date becomes today.")
        });
    }
    text.push_str(&format!(
        "\n{} {}\n{}",
        lang.t("保存先:", "Folder:"),
        dir.display(),
        lang.t("よろしいですか？", "Go ahead?")
    ));
    let (ids, months) = (r.picked.iter().copied().collect::<Vec<_>>(), r.months);
    let yes = move |_: &mut dyn Host| vec![ask(InboxAsk::SendRenewals { ids, months, dir })];
    h.push_overlay(Confirm::new(text, Box::new(yes)));
    Vec::new()
}

/// Which month (this one first), then the export beside the ledger's.
fn ask_month(h: &mut dyn Host) -> Fx {
    let lang = h.shell().lang();
    let this = h.shell().today.format("%Y-%m").to_string();
    let dir = export_dir(h);
    let check = Box::new(|text: &str, lang: crate::i18n::Lang| {
        let t = crate::domain::text::nfkc(text.trim());
        chrono::NaiveDate::parse_from_str(&format!("{t}-01"), "%Y-%m-%d")
            .map(|d| d.to_string())
            .map_err(|_| {
                lang.t(
                    "公示の月が読めません。2026-11 の形で入力してください",
                    "The month is not readable; type it like 2026-11",
                )
                .to_string()
            })
    });
    let folder = dir.display().to_string();
    let on = Box::new(move |_: &mut dyn Host, day: String| {
        let month = chrono::NaiveDate::parse_from_str(&day, "%Y-%m-%d").unwrap_or_default();
        vec![ask(InboxAsk::PublicNotices { month, dir })]
    });
    h.push_overlay(TextEntry::new(
        lang.t("公示の出力", "Export public notices").to_string(),
        lang.t("月:", "Month:").to_string(),
        &this,
        vec![
            format!("{} {folder}", lang.t("保存先:", "Folder:")),
            lang.t(
                "CSV と印刷用 HTML を書き出します（同名のファイルは上書きしません）",
                "Writes CSV and printable HTML (an existing file is never replaced)",
            )
            .to_string(),
        ],
        check,
        on,
    ));
    Vec::new()
}
