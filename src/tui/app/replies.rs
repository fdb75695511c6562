//! The replies the app itself answers (the screens are offered every reply first):
//! the header counts, the account, exports, reveals, the lock, refusals and failures.

use super::{App, Revealed};
use crate::domain::view::ListQuery;
use crate::i18n::Lang;
use crate::jobs::formats::csv_out::CsvEncoding;
use crate::query::{Reply, Request};
use crate::tui::msg::Effect;
use crate::tui::overlay::confirm::Confirm;
use crate::tui::screen::Host;
use std::path::{Path, PathBuf};

impl App {
    pub(super) fn reply(&mut self, mut reply: Reply) -> Vec<Effect> {
        // The screens' own replies first; the rest are the app's and the ledger's.
        for screen in &mut self.screens {
            match screen.on_reply(reply, &mut self.shell) {
                Ok(fx) => return fx,
                Err(back) => reply = back,
            }
        }
        let lang = self.lang();
        let changed = match reply {
            Reply::SaveRefused { ja, en } => {
                self.error(if lang.is_ja() { ja } else { en });
                // A refusal may come from a role changed meanwhile: show the new one.
                self.shell.dirty = true;
                return vec![Effect::Request(Request::Account)];
            }
            Reply::Account { role, disabled } => self.account(role, disabled),
            Reply::DueCounts(c) => {
                let changed = self.due != c;
                self.due = c;
                changed
            }
            // Offered to every screen above; nobody took it.
            Reply::LedgerPage { .. }
            | Reply::LedgerCount { .. }
            | Reply::FacilityDetail(_)
            | Reply::Saved { .. }
            | Reply::SaveInvalid(_)
            | Reply::SaveConflict(_)
            | Reply::SaveFailed { .. }
            | Reply::Applications(_)
            | Reply::Consents(_)
            | Reply::Checklist(_)
            | Reply::Jobs(_)
            | Reply::Quarantine { .. }
            | Reply::Transitioned(_)
            | Reply::TransitionConflict { .. }
            | Reply::ChecklistAudit(_)
            | Reply::FacilityUpkeep(_)
            | Reply::MeetingRecorded { .. }
            | Reply::PersonSaved { .. }
            | Reply::PersonConflict { .. }
            | Reply::GuidancePlan(_)
            | Reply::InboxPage { .. }
            | Reply::CaseDetail(_)
            | Reply::ConsentQueue(_)
            | Reply::ConsentPriors(_)
            | Reply::ConsentCase(_)
            | Reply::ConsentTransitioned(_)
            | Reply::ConsentConflict { .. }
            | Reply::Overview(_)
            | Reply::ConsentDone(_)
            | Reply::InboxWork(_) => false,
            Reply::OpenDataFindings(_) | Reply::OpenDataDecided { .. } => false,
            Reply::OpenDataRefused { ja, en } => {
                self.error(if lang.is_ja() { ja } else { en });
                true
            }
            Reply::ExportExists {
                query,
                path,
                encoding,
            } => self.export_exists(*query, path, encoding),
            Reply::InboxExportExists {
                query,
                path,
                encoding,
            } => {
                let overwrite = Request::ExportInbox {
                    query: *query,
                    path: path.clone(),
                    encoding,
                    overwrite: true,
                };
                self.ask_overwrite(&path, overwrite)
            }
            Reply::Exported {
                path,
                rows,
                unmappable,
                backup,
            } => self.exported(&path, rows, unmappable, backup),
            Reply::Revealed {
                object_type,
                object_id,
                expires_at,
            } => self.revealed(object_type, object_id, expires_at),
            Reply::Unlocked => self.unlocked(),
            Reply::UnlockFailed { ja, en } => {
                self.unlock_failed(if lang.is_ja() { ja } else { en })
            }
            Reply::Failed { what, message } => {
                let what = failed_what(lang, what);
                self.error(if lang.is_ja() {
                    format!("{what}（{message}）")
                } else {
                    format!("{what} ({message})")
                });
                true
            }
        };
        self.shell.dirty |= changed;
        Vec::new()
    }

    /// The signed-in user as stored now: the header and what may run follow.
    fn account(&mut self, role: crate::domain::permission::Role, disabled: bool) -> bool {
        let changed = self.shell.actor.role != role;
        self.shell.actor.role = role;
        if disabled {
            self.error(self.lang().t(
                "このアカウントは無効化されました。管理者に確認してください",
                "this account has been disabled: ask an administrator",
            ));
        }
        changed || disabled
    }

    /// The export file exists: ask before replacing it (the old one is kept).
    fn export_exists(&mut self, query: ListQuery, path: PathBuf, encoding: CsvEncoding) -> bool {
        let overwrite = Request::ExportLedger {
            query,
            path: path.clone(),
            encoding,
            overwrite: true,
        };
        self.ask_overwrite(&path, overwrite)
    }

    /// `path` exists: `overwrite` (the same export, replacing it) runs only on yes.
    fn ask_overwrite(&mut self, path: &Path, overwrite: Request) -> bool {
        let lang = self.lang();
        let message = if lang.is_ja() {
            format!(
                "{} は既にあります。\n上書きしますか？（元のファイルは .bak を付けて残します）",
                path.display()
            )
        } else {
            format!(
                "{} already exists.\nReplace it? (the old file is kept with .bak added)",
                path.display()
            )
        };
        let on_yes = move |_: &mut dyn Host| vec![Effect::Request(overwrite)];
        self.push(Confirm::new(message, Box::new(on_yes)));
        true
    }

    fn exported(
        &mut self,
        path: &Path,
        rows: usize,
        unmappable: usize,
        backup: Option<PathBuf>,
    ) -> bool {
        let lang = self.lang();
        let mut text = format!(
            "{} {} ({rows}{})",
            lang.t("CSVを書き出しました:", "CSV written:"),
            path.display(),
            lang.t("件", " rows")
        );
        if unmappable > 0 {
            text.push_str(&format!(
                " {unmappable}{}",
                lang.t(
                    "文字はShift_JISにないため 〓 にしました",
                    " characters not in Shift_JIS became 〓"
                )
            ));
        }
        if let Some(b) = backup {
            text.push_str(&format!(
                " {} {}",
                lang.t("元のファイル:", "old file kept as"),
                b.display()
            ));
        }
        self.info(text);
        true
    }

    fn revealed(
        &mut self,
        object_type: String,
        object_id: String,
        expires_at: chrono::DateTime<chrono::Utc>,
    ) -> bool {
        let lang = self.lang();
        let local = expires_at.with_timezone(&chrono::Local).format("%H:%M");
        self.shell
            .revealed
            .retain(|r| !(r.object_type == object_type && r.object_id == object_id));
        self.shell.revealed.push(Revealed {
            object_type,
            object_id,
            until: expires_at,
        });
        self.info(format!(
            "{} {local}",
            lang.t(
                "個人情報を表示しています（記録済み）。表示期限:",
                "personal data shown (logged) until"
            )
        ));
        true
    }
}

/// What could not be done, for a data worker's failure (no internal "inbox:" prefix).
fn failed_what(lang: Lang, what: &str) -> &'static str {
    match what {
        "ledger" => lang.t("台帳を読み込めませんでした", "Could not read the ledger"),
        "detail" => lang.t(
            "事業所の詳細を読み込めませんでした",
            "Could not read the facility",
        ),
        "save" => lang.t("保存できませんでした", "Not saved"),
        "export" => lang.t("CSVを書き出せませんでした", "Could not write the CSV"),
        "inbox" => lang.t(
            "申請を更新できませんでした",
            "Could not update the application",
        ),
        "reveal" => lang.t(
            "個人情報を表示できませんでした",
            "Could not reveal personal data",
        ),
        "account" => lang.t(
            "アカウントを確認できませんでした",
            "Could not check your account",
        ),
        "consent" => lang.t(
            "同意案件を読み込めませんでした",
            "Could not read the consent case",
        ),
        _ => lang.t("読み込めませんでした", "Could not load the data"),
    }
}
