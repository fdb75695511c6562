//! What every part of the UI shares: the screens' names, the language, colours and
//! glyphs drawing uses, and the status line's message.

use super::glyphs::Glyphs;
use super::i18n::Lang;
use super::theme::Theme;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScreenId {
    Overview,
    Ledger,
    Inbox,
    Consent,
    Checklist,
    Jobs,
    /// The open data reconciliation: not a tab; opened from the palette or the jobs
    /// screen (so it is not in `ALL`).
    OpenData,
}

impl ScreenId {
    pub const ALL: [ScreenId; 6] = [
        Self::Overview,
        Self::Ledger,
        Self::Inbox,
        Self::Consent,
        Self::Checklist,
        Self::Jobs,
    ];

    pub fn context(self) -> &'static str {
        match self {
            Self::Overview => "overview",
            Self::Ledger => "ledger",
            Self::Inbox => "inbox",
            Self::Consent => "consent",
            Self::Checklist => "checklist",
            Self::Jobs => "jobs",
            Self::OpenData => "opendata",
        }
    }

    pub fn title(self, lang: Lang) -> &'static str {
        match self {
            Self::Overview => lang.t("概況", "Overview"),
            Self::Ledger => lang.t("事業所台帳", "Ledger"),
            Self::Inbox => lang.t("申請受付", "Inbox"),
            Self::Consent => lang.t("区外同意", "Consent"),
            Self::Checklist => lang.t("チェック", "Checklist"),
            Self::Jobs => lang.t("連携ジョブ", "Jobs"),
            Self::OpenData => lang.t("公表データ照合", "Open data"),
        }
    }

    pub fn index(self) -> usize {
        Self::ALL.iter().position(|s| *s == self).unwrap_or(0)
    }
}

/// What draws need besides the state: language, colours, glyphs.
pub struct Ui {
    pub lang: Lang,
    pub theme: Theme,
    pub glyphs: Glyphs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusKind {
    Info,
    Warning,
    Error,
}

#[derive(Debug, Clone)]
pub struct Status {
    pub kind: StatusKind,
    pub text: String,
}
