//! The session lock: after a while without input (or C-l) the screen shows nothing but
//! the password prompt; leaving is always allowed.

use super::App;
use crate::query::Request;
use crate::tui::input::LineInput;
use crate::tui::msg::Effect;
use crossterm::event::KeyEvent;

/// The session lock: the screen shows nothing but the password prompt.
pub struct Lock {
    pub input: LineInput,
    pub error: Option<String>,
    pub checking: bool,
    /// Locked by the user (C-l) rather than by the idle timer.
    pub manual: bool,
}

impl App {
    pub(crate) fn lock_session(&mut self, manual: bool) {
        let mut input = LineInput::default();
        input.mask('*');
        self.lock = Some(Lock {
            input,
            error: None,
            checking: false,
            manual,
        });
        self.overlays.clear();
        self.shell.dirty = true;
    }

    /// While locked only the password field takes keys; Enter checks it.
    pub(super) fn lock_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        use crossterm::event::KeyCode;
        let Some(lock) = self.lock.as_mut() else {
            return Vec::new();
        };
        self.shell.dirty = true;
        match key.code {
            KeyCode::Enter if !lock.checking => {
                lock.checking = true;
                let password = lock.input.text().to_string();
                lock.input.set_text("");
                lock.input.mask('*');
                vec![Effect::Request(Request::Unlock { password })]
            }
            KeyCode::Esc => {
                lock.input.set_text("");
                lock.input.mask('*');
                Vec::new()
            }
            // Leaving is always allowed: nothing is shown, nothing half-saved.
            KeyCode::Char('c' | 'q')
                if key
                    .modifiers
                    .contains(crossterm::event::KeyModifiers::CONTROL) =>
            {
                self.quit = true;
                vec![Effect::Quit]
            }
            _ => {
                lock.input.key(key);
                Vec::new()
            }
        }
    }

    pub(super) fn unlocked(&mut self) -> bool {
        self.lock = None;
        self.last_input = std::time::Instant::now();
        self.info(self.lang().t("ロックを解除しました", "unlocked"));
        true
    }

    pub(super) fn unlock_failed(&mut self, message: String) -> bool {
        if let Some(lock) = self.lock.as_mut() {
            lock.checking = false;
            lock.error = Some(message);
        }
        true
    }
}
