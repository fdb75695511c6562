//! What the app shares with its screens: who is signed in, the day, the language and
//! look, the reveals in force, and the status line. Screens read and write it; they
//! never see the app itself.

use super::i18n::Lang;
use super::ui::{Status, StatusKind, Ui};
use crate::domain::permission::Actor;
use chrono::NaiveDate;

/// An active reveal: this object's personal data is shown until `until`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revealed {
    pub object_type: String,
    pub object_id: String,
    pub until: chrono::DateTime<chrono::Utc>,
}

pub struct Shell {
    pub ui: Ui,
    pub actor: Actor,
    /// "Today" for deadlines (follows the clock unless pinned).
    pub today: NaiveDate,
    pub revealed: Vec<Revealed>,
    pub status: Option<Status>,
    /// Set when something visible changed; the loop draws only then.
    pub dirty: bool,
}

impl Shell {
    pub fn lang(&self) -> Lang {
        self.ui.lang
    }

    fn say(&mut self, kind: StatusKind, text: String) {
        self.status = Some(Status { kind, text });
        self.dirty = true;
    }

    pub fn info(&mut self, text: impl Into<String>) {
        self.say(StatusKind::Info, text.into());
    }

    pub fn warn(&mut self, text: impl Into<String>) {
        self.say(StatusKind::Warning, text.into());
    }

    pub fn error(&mut self, text: impl Into<String>) {
        self.say(StatusKind::Error, text.into());
    }

    pub fn is_revealed(&self, object_type: &str, object_id: &str) -> bool {
        self.revealed
            .iter()
            .any(|r| r.object_type == object_type && r.object_id == object_id)
    }
}
