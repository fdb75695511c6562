//! What a command is: an id bound to the function that runs it, the check that says
//! why it cannot run now, its titles, and flags for the footer and the palette. The
//! registry of all of them is `commands`; screens declare their own.

use super::msg::Effect;
use super::screen::Host;
use super::ui::ScreenId;

/// Why a command cannot run now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reason {
    pub ja: String,
    pub en: String,
}

impl Reason {
    pub fn new(ja: impl Into<String>, en: impl Into<String>) -> Self {
        Self {
            ja: ja.into(),
            en: en.into(),
        }
    }
}

pub type Enabled = fn(&dyn Host) -> Result<(), Reason>;

/// Where a command belongs (its keymap context and its group in help).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Global,
    List,
    Form,
    Dialog,
    Screen(ScreenId),
}

impl Scope {
    /// Whether a command of this scope can do anything on `screen`: help and the
    /// footer list only those (a key bound in a shared context such as [list] may
    /// still run a ledger command elsewhere, and be refused with the reason).
    pub fn applies_to(self, screen: ScreenId) -> bool {
        match self {
            Scope::Global | Scope::List | Scope::Dialog => true,
            Scope::Form => screen == ScreenId::Ledger,
            Scope::Screen(s) => s == screen,
        }
    }

    pub fn context(self) -> &'static str {
        match self {
            Scope::Global => "global",
            Scope::List => "list",
            Scope::Form => "form",
            Scope::Dialog => "dialog",
            Scope::Screen(s) => s.context(),
        }
    }
}

pub struct Command {
    pub id: &'static str,
    pub title_ja: &'static str,
    pub title_en: &'static str,
    pub desc_ja: &'static str,
    pub desc_en: &'static str,
    pub scope: Scope,
    pub enabled: Enabled,
    pub run: Run,
    /// [`flags`]: footer and palette treatment.
    pub flags: u8,
}

/// What a command does; `App::run` has already checked `enabled`.
pub type Run = fn(&mut dyn Host) -> Vec<Effect>;

/// Registry flags: how the footer, the palette and the recent list treat a command.
pub mod flags {
    /// Never a footer hint (cursor keys, the screen numbers: shown elsewhere).
    pub const NO_HINT: u8 = 1;
    /// Always the last footer hints, so nobody is ever stuck (help, palette, quit).
    pub const PINNED: u8 = 2;
    /// Not remembered as a recent command in the palette.
    pub const NOT_RECENT: u8 = 4;
    /// Its Ctrl/function key works from any focus, even a dialog or a text field.
    pub const ANYWHERE: u8 = 8;
}

impl std::fmt::Debug for Command {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Command({})", self.id)
    }
}

impl PartialEq for Command {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
    }
}

impl Command {
    pub fn has(&self, flag: u8) -> bool {
        self.flags & flag != 0
    }
    pub fn title(&self, ja: bool) -> &'static str {
        if ja { self.title_ja } else { self.title_en }
    }
    pub fn desc(&self, ja: bool) -> &'static str {
        if ja { self.desc_ja } else { self.desc_en }
    }
}
