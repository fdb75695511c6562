//! A one-line reason asked before an action that must say why: revealing personal data,
//! returning or rejecting an application. Up/Down offer common reasons; free text works.

use super::i18n::Lang;
use super::input::LineInput;
use crate::domain::application::ApplicationStatus;
use crate::domain::view::ListQuery;
use crate::jobs::formats::csv_out::CsvEncoding;
use crate::query::Request;
use std::path::PathBuf;

/// How long a reveal lasts.
pub const REVEAL_MINUTES: i64 = 15;

pub const REVEAL_REASONS: &[&str] = &[
    "指定・変更の審査のため",
    "事業所からの問い合わせ対応",
    "運営指導・監査の準備",
    "区外指定の同意手続のため",
];

const RETURN_REASONS: &[&str] = &[
    "添付書類が不足しています",
    "記載内容に不備があります",
    "人員基準の確認資料を添付してください",
];

const REJECT_REASONS: &[&str] = &["指定基準を満たしていません", "提出期限を過ぎています"];

const WITHDRAW_REASONS: &[&str] = &["申請者から取下げの申出がありました"];

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Purpose {
    Reveal {
        object_type: String,
        object_id: String,
    },
    Transition {
        application_id: i64,
        version: i64,
        to: ApplicationStatus,
    },
    /// Where to write the listed rows as CSV; the field holds the full path.
    ExportPath {
        query: Box<ListQuery>,
        encoding: CsvEncoding,
    },
}

pub struct ReasonPrompt {
    pub input: LineInput,
    pub title: String,
    pub purpose: Purpose,
    presets: &'static [&'static str],
    preset: Option<usize>,
    /// What confirming does, when it cannot be taken back (却下).
    pub outcome: Option<String>,
    /// Why the last Enter was refused; the prompt stays open with it.
    pub error: Option<String>,
}

impl ReasonPrompt {
    pub fn reveal(object_type: &str, object_id: &str, title: String) -> Self {
        let purpose = Purpose::Reveal {
            object_type: object_type.into(),
            object_id: object_id.into(),
        };
        Self {
            input: LineInput::default(),
            title,
            purpose,
            presets: REVEAL_REASONS,
            preset: None,
            outcome: None,
            error: None,
        }
    }

    pub fn transition(
        application_id: i64,
        version: i64,
        to: ApplicationStatus,
        title: String,
    ) -> Self {
        let presets = match to {
            ApplicationStatus::Returned => RETURN_REASONS,
            ApplicationStatus::Rejected => REJECT_REASONS,
            _ => WITHDRAW_REASONS,
        };
        let purpose = Purpose::Transition {
            application_id,
            version,
            to,
        };
        Self {
            input: LineInput::default(),
            title,
            purpose,
            presets,
            preset: None,
            outcome: None,
            error: None,
        }
    }

    /// The export destination, prefilled with `default` in full and editable.
    pub fn export_path(
        default: &std::path::Path,
        query: ListQuery,
        encoding: CsvEncoding,
        title: String,
    ) -> Self {
        Self {
            input: LineInput::new(&default.display().to_string()),
            title,
            purpose: Purpose::ExportPath {
                query: Box::new(query),
                encoding,
            },
            presets: &[],
            preset: None,
            outcome: None,
            error: None,
        }
    }

    /// The label before the field.
    pub fn label(&self, lang: Lang) -> &'static str {
        match self.purpose {
            Purpose::ExportPath { .. } => lang.t("保存先:", "Save to:"),
            _ => lang.t("理由:", "Reason:"),
        }
    }

    pub fn cycle(&mut self, forward: bool) {
        let n = self.presets.len();
        if n == 0 {
            return;
        }
        let next = match (self.preset, forward) {
            (None, true) => 0,
            (None, false) => n - 1,
            (Some(i), true) => (i + 1) % n,
            (Some(i), false) => (i + n - 1) % n,
        };
        self.preset = Some(next);
        self.input.set_text(self.presets[next]);
    }

    pub fn request(&self) -> Request {
        let reason = self.input.text().to_string();
        match &self.purpose {
            Purpose::Reveal {
                object_type,
                object_id,
            } => Request::Reveal {
                object_type: object_type.clone(),
                object_id: object_id.clone(),
                reason,
                minutes: REVEAL_MINUTES,
            },
            Purpose::Transition {
                application_id,
                version,
                to,
            } => Request::Transition {
                id: *application_id,
                version: *version,
                to: *to,
                reason,
            },
            Purpose::ExportPath { query, encoding } => Request::ExportLedger {
                query: (**query).clone(),
                path: expand_home(reason.trim()),
                encoding: *encoding,
                overwrite: false,
            },
        }
    }

    /// Enter: the request, or `None` with the prompt keeping an error to show when the
    /// reason is empty (every purpose here must say why).
    pub fn submit(&mut self, lang: Lang) -> Option<Request> {
        if !self.input.text().trim().is_empty() {
            return Some(self.request());
        }
        self.error = Some(match &self.purpose {
            Purpose::Reveal { .. } => lang
                .t(
                    "表示する理由を入力してください（Up/Down でよく使う理由を選べます）",
                    "Enter why you reveal it (Up/Down offers common reasons)",
                )
                .to_string(),
            Purpose::ExportPath { .. } => lang
                .t(
                    "保存先のファイルを入力してください",
                    "Enter the file to write",
                )
                .to_string(),
            Purpose::Transition { to, .. } => {
                if lang.is_ja() {
                    format!(
                        "{}の理由を入力してください（Up/Down でよく使う理由を選べます）",
                        to.label_ja()
                    )
                } else {
                    format!(
                        "Enter the reason for {} (Up/Down offers common reasons)",
                        to.label_en()
                    )
                }
            }
        });
        None
    }

    /// The explanation under the field: the refusal of the last Enter, what confirming
    /// does, then how to fill it in.
    pub fn notes(&self, lang: Lang) -> Vec<String> {
        let mut notes: Vec<String> = self.error.iter().cloned().collect();
        if let Some(outcome) = &self.outcome {
            notes.extend(outcome.lines().map(str::to_string));
        }
        if let Purpose::ExportPath { .. } = self.purpose {
            notes.push(
                lang.t(
                    "ファイル名・フォルダは変更できます（無いフォルダは作成します）",
                    "Edit the name or folder as you like (a missing folder is created)",
                )
                .to_string(),
            );
            notes.push(
                lang.t(
                    "同じ名前のファイルがあるときは上書きする前に確認します",
                    "An existing file is never replaced without asking",
                )
                .to_string(),
            );
            return notes;
        }
        notes.push(
            lang.t(
                "Up/Down: よく使う理由を選ぶ（自由入力も可）",
                "Up/Down: pick a common reason (or type your own)",
            )
            .to_string(),
        );
        match &self.purpose {
            Purpose::Reveal { .. } => notes.push(format!(
                "{} {REVEAL_MINUTES}{}",
                lang.t("表示は記録され、", "The reveal is logged and lasts"),
                lang.t("分で伏せ字に戻ります", " minutes")
            )),
            Purpose::ExportPath { .. } => {}
            Purpose::Transition { .. } => notes.push(
                lang.t(
                    "理由は申請の履歴と監査記録に残ります",
                    "The reason is kept in the case history and the audit log",
                )
                .to_string(),
            ),
        }
        notes
    }
}

/// `~/x` → `$HOME/x`: people type paths the way the shell takes them.
fn expand_home(path: &str) -> PathBuf {
    match (path.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => PathBuf::from(home).join(rest),
        _ => PathBuf::from(path),
    }
}
