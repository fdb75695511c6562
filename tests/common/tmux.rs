//! Drives the real `daicho` binary inside tmux at a given size with a UTF-8 locale:
//! send keys, wait for text on the screen (polling, with a deadline), read the pane.
#![allow(dead_code, clippy::unwrap_used)]

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

pub struct Tmux {
    socket: String,
    pub session: String,
}

pub fn available() -> bool {
    let ok = Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok && std::env::var_os("CI").is_some() {
        panic!("tmux is required for the end-to-end tests (.ci/run installs it)");
    }
    if !ok {
        eprintln!("SKIPPED: tmux not installed");
    }
    ok
}

impl Tmux {
    /// Starts `shell_command` in a fresh tmux server (its own socket) at `w`×`h`.
    pub fn start(name: &str, w: u16, h: u16, shell_command: &str) -> Tmux {
        let socket = format!("daicho-test-{}-{name}", std::process::id());
        let t = Tmux {
            socket,
            session: name.to_string(),
        };
        let status = Command::new("tmux")
            .args([
                "-L",
                &t.socket,
                "-f",
                "/dev/null",
                "new-session",
                "-d",
                "-s",
                name,
            ])
            .args(["-x", &w.to_string(), "-y", &h.to_string()])
            .arg(shell_command)
            .env("LANG", "C.UTF-8")
            .env("LC_ALL", "C.UTF-8")
            .env("TERM", "xterm-256color")
            .status()
            .unwrap();
        assert!(status.success(), "tmux new-session failed");
        // Keep the pane after the program exits so its last screen can be read.
        t.tmux(&["set-option", "-t", name, "remain-on-exit", "on"]);
        t
    }

    fn tmux(&self, args: &[&str]) -> std::process::Output {
        Command::new("tmux")
            .args(["-L", &self.socket])
            .args(args)
            .output()
            .unwrap()
    }

    pub fn screen(&self) -> String {
        String::from_utf8_lossy(
            &self
                .tmux(&["capture-pane", "-p", "-t", &self.session])
                .stdout,
        )
        .into_owned()
    }

    /// Named keys in tmux syntax: `Enter`, `Escape`, `Down`, `C-s`, `BSpace`, `Tab`.
    pub fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", self.session.as_str()];
        args.extend_from_slice(keys);
        self.tmux(&args);
    }

    /// Literal text (Japanese included), as if typed or committed by an IME.
    pub fn type_text(&self, text: &str) {
        self.tmux(&["send-keys", "-t", &self.session, "-l", text]);
    }

    pub fn wait_for(&self, needle: &str, timeout: Duration) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if s.contains(needle) {
                return s;
            }
            if start.elapsed() > timeout {
                panic!("timed out after {timeout:?} waiting for {needle:?}; screen:\n{s}");
            }
            std::thread::sleep(Duration::from_millis(30));
        }
    }

    /// Copies everything the program writes to the terminal into `file` from now on.
    pub fn record_output(&self, file: &Path) {
        self.tmux(&[
            "pipe-pane",
            "-o",
            "-t",
            &self.session,
            &format!("cat >> {}", file.display()),
        ]);
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["-L", &self.socket, "kill-server"])
            .output();
    }
}
