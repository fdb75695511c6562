//! The overview's commands: each opens the list behind one block.

use crate::tui::command::{Command, Reason, Scope};
use crate::tui::msg::Effect;
use crate::tui::screen::Host;
use crate::tui::screens::ledger::LedgerScreen;
use crate::tui::ui::ScreenId;

fn always(_: &dyn Host) -> Result<(), Reason> {
    Ok(())
}

/// How many months the expiry chart covers (the ledger filter it opens).
pub const CHART_MONTHS: u32 = 12;

macro_rules! open {
    ($name:ident, $id:literal, $run:expr, $tja:literal, $ten:literal, $dja:literal, $den:literal) => {
        pub static $name: Command = Command {
            id: $id,
            scope: Scope::Screen(ScreenId::Overview),
            enabled: always,
            run: $run,
            flags: 0,
            title_ja: $tja,
            title_en: $ten,
            desc_ja: $dja,
            desc_en: $den,
        };
    };
}

open!(
    OVERVIEW_EXPIRING,
    "overview.expiring",
    |h| ledger(h, |l| l.filter_expiring(CHART_MONTHS)),
    "期限の一覧",
    "Expiring list",
    "指定の有効期限が12か月以内の事業所を台帳で開く",
    "Open the ledger filtered to designations ending within 12 months"
);
open!(
    OVERVIEW_INBOX,
    "overview.inbox",
    |h| h.switch_screen(ScreenId::Inbox),
    "申請の一覧",
    "Inbox list",
    "申請受付の一覧を開く",
    "Open the application inbox"
);
open!(
    OVERVIEW_MEETINGS,
    "overview.meetings",
    |h| ledger(h, |l| l.filter_meeting_overdue()),
    "会議超過の一覧",
    "Overdue meetings",
    "運営推進会議の期限を過ぎた事業所を台帳で開く",
    "Open the ledger filtered to facilities with an overdue meeting"
);
open!(
    OVERVIEW_CONSENT,
    "overview.consent",
    |h| h.switch_screen(ScreenId::Consent),
    "同意の一覧",
    "Consent list",
    "区外指定同意の一覧を開く",
    "Open the consent queue"
);
open!(
    OVERVIEW_CHECKLIST,
    "overview.checklist",
    |h| h.switch_screen(ScreenId::Checklist),
    "チェックの一覧",
    "Checklist",
    "個人情報保護対策チェックリストの状況を開く",
    "Open the privacy checklist status"
);
open!(
    OVERVIEW_JOBS,
    "overview.jobs",
    |h| h.switch_screen(ScreenId::Jobs),
    "ジョブの一覧",
    "Job list",
    "連携ジョブの実行履歴を開く",
    "Open the sync job history"
);

/// Switches to the ledger and applies a filter there.
fn ledger(
    h: &mut dyn Host,
    filter: impl FnOnce(&mut LedgerScreen) -> Vec<crate::query::Request>,
) -> Vec<Effect> {
    let mut fx = h.switch_screen(ScreenId::Ledger);
    if let Some((_, l)) = h.parts::<LedgerScreen>() {
        fx.extend(filter(l).into_iter().map(Effect::Request));
    }
    fx
}

pub static COMMANDS: &[&Command] = &[
    &OVERVIEW_EXPIRING,
    &OVERVIEW_INBOX,
    &OVERVIEW_MEETINGS,
    &OVERVIEW_CONSENT,
    &OVERVIEW_CHECKLIST,
    &OVERVIEW_JOBS,
];
