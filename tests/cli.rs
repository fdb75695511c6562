//! The command-line surface as an operator meets it: paths that do not exist, files
//! that are not daicho's, a bad DAICHO_TODAY, messages in the UI language, `--help`.

#![allow(clippy::unwrap_used)] // a test binary: helpers outside #[test] may unwrap too

mod common;

use std::path::Path;
use std::process::{Command, Output};

fn daicho(dir: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_daicho"));
    c.args(args)
        .current_dir(dir)
        .env_remove("DAICHO_DB")
        .env_remove("DAICHO_TODAY")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", "C.UTF-8")
        .env("XDG_DATA_HOME", dir.join("data"))
        .env("XDG_STATE_HOME", dir.join("state"))
        .env("XDG_CONFIG_HOME", dir.join("config"))
        .stdin(std::process::Stdio::null());
    c
}

fn run(dir: &Path, args: &[&str]) -> Output {
    daicho(dir, args).output().unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Every command that reads or writes an existing database, with `--db PATH` first.
fn commands_on(path: &str) -> Vec<Vec<&str>> {
    [
        vec!["export", "ledger"],
        vec!["audit", "verify"],
        vec!["audit", "report", "--month", "2026-11"],
        vec!["backup"],
        vec!["purge", "--dry-run"],
        vec!["guidance", "plan"],
        vec!["--staff", "a001", "user", "list"],
        vec!["--staff", "a001"], // the TUI
    ]
    .into_iter()
    .map(|rest| {
        let mut args = vec!["--db", path];
        args.extend(rest);
        args
    })
    .collect()
}

#[test]
fn a_mistyped_path_is_refused_and_nothing_is_created() {
    let dir = tempfile::tempdir().unwrap();
    let typo = dir.path().join("typo.db");
    for args in commands_on("typo.db") {
        let out = run(dir.path(), &args);
        assert!(
            !out.status.success(),
            "{args:?} succeeded on a missing file"
        );
        assert!(!typo.exists(), "{args:?} created {}", typo.display());
        let err = stderr(&out);
        assert!(err.contains("typo.db"), "{args:?}: {err}");
    }
    // The store's own message: the full path and how to create a database.
    let out = run(dir.path(), &["--db", "typo.db", "export", "ledger"]);
    let err = stderr(&out);
    assert!(
        err.contains(&typo.display().to_string()) && err.contains("daicho demo --out"),
        "{err}"
    );
    assert!(err.contains("ありません"), "Japanese by default: {err}");
    let out = run(dir.path(), &["--lang", "en", "--db", "typo.db", "doctor"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("does not exist"), "{}", stdout(&out));
    assert!(!typo.exists(), "doctor created {}", typo.display());
}

#[test]
fn another_programs_sqlite_file_is_left_byte_for_byte_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("other.sqlite");
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch("CREATE TABLE notes(body TEXT); INSERT INTO notes VALUES ('x');")
            .unwrap();
    }
    let before = std::fs::read(&path).unwrap();
    let mut all = commands_on("other.sqlite");
    all.push(vec!["--db", "other.sqlite", "doctor"]);
    for args in all {
        let mut with_lang = vec!["--lang", "en"];
        with_lang.extend(&args);
        let out = run(dir.path(), &with_lang);
        assert_eq!(
            std::fs::read(&path).unwrap(),
            before,
            "{args:?} changed the file"
        );
        let text = stderr(&out) + &stdout(&out);
        if args.contains(&"doctor") {
            assert!(text.contains("not a daicho database"), "{args:?}: {text}");
        } else {
            assert!(!out.status.success(), "{args:?} accepted a foreign file");
        }
    }
    let out = run(dir.path(), &["--db", "other.sqlite", "export", "ledger"]);
    let err = stderr(&out);
    assert!(
        err.contains(&path.display().to_string()) && err.contains("daicho のデータベースではない"),
        "{err}"
    );
}

#[test]
fn a_file_that_is_not_sqlite_and_a_newer_schema_are_named() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notes.txt"), "just some text, long enough").unwrap();
    let out = run(
        dir.path(),
        &["--lang", "en", "--db", "notes.txt", "export", "ledger"],
    );
    let err = stderr(&out);
    assert!(
        err.contains("notes.txt") && err.contains("not an SQLite database file"),
        "{err}"
    );
    let db = common::fresh_db();
    rusqlite::Connection::open(&db.path)
        .unwrap()
        .pragma_update(None, "user_version", 99)
        .unwrap();
    let path = db.path.display().to_string();
    let out = run(
        dir.path(),
        &["--lang", "en", "--db", &path, "export", "ledger"],
    );
    let err = stderr(&out);
    assert!(
        err.contains(&path) && err.contains("newer daicho") && err.contains("99"),
        "{err}"
    );
}

#[test]
fn read_only_commands_do_not_migrate_an_old_database() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    {
        let mut conn = rusqlite::Connection::open(&path).unwrap();
        daicho::store::migrations::migrate_to(&mut conn, 1).unwrap();
    }
    let before = std::fs::read(&path).unwrap();
    let out = run(
        dir.path(),
        &["--lang", "en", "--db", "old.db", "export", "ledger"],
    );
    assert!(!out.status.success());
    assert!(stderr(&out).contains("older schema 1"), "{}", stderr(&out));
    assert_eq!(std::fs::read(&path).unwrap(), before, "export migrated");
}

#[test]
fn the_first_admin_can_still_create_a_database() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = daicho(
        dir.path(),
        &[
            "--db",
            "new.db",
            "user",
            "add",
            "a001",
            "--name",
            "管理 一郎",
            "--role",
            "admin",
        ],
    )
    .stdin(std::process::Stdio::piped())
    .stdout(std::process::Stdio::piped())
    .stderr(std::process::Stdio::piped())
    .spawn()
    .unwrap();
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().unwrap();
        let _ = stdin.write_all(b"correct horse battery\ncorrect horse battery\n");
    }
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(dir.path().join("new.db").exists());
    let out = run(dir.path(), &["--db", "new.db", "export", "ledger"]);
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn an_unreadable_daicho_today_is_refused_by_every_command() {
    let dir = tempfile::tempdir().unwrap();
    let db = common::fresh_db();
    let path = db.path.display().to_string();
    for args in [
        vec!["--db", path.as_str(), "export", "ledger"],
        vec!["--db", path.as_str(), "doctor"],
        vec!["--db", path.as_str()],
        vec!["--db", path.as_str(), "purge", "--dry-run"],
    ] {
        let out = daicho(dir.path(), &args)
            .env("DAICHO_TODAY", "2027-13-45")
            .output()
            .unwrap();
        assert!(!out.status.success(), "{args:?} ignored DAICHO_TODAY");
        let err = stderr(&out);
        assert!(
            err.contains("DAICHO_TODAY")
                && err.contains("2027-13-45")
                && err.contains("YYYY-MM-DD"),
            "{args:?}: {err}"
        );
    }
    let out = daicho(dir.path(), &["--db", &path, "export", "ledger"])
        .env("DAICHO_TODAY", "2026-11-25")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn messages_follow_the_ui_language_and_name_each_cause_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = common::fresh_db();
    let path = db.path.display().to_string();
    let out = run(dir.path(), &["--db", &path, "export", "ledger"]);
    assert!(stderr(&out).contains("件"), "{}", stderr(&out));
    let out = run(
        dir.path(),
        &["--lang", "en", "--db", &path, "export", "ledger"],
    );
    assert!(stderr(&out).contains("rows written"), "{}", stderr(&out));

    // A directory that cannot be made: the OS reason once, with the path.
    std::fs::write(dir.path().join("plain"), "").unwrap();
    let out = run(
        dir.path(),
        &["--lang", "en", "demo", "--out", "plain/sub/x.db"],
    );
    let err = stderr(&out);
    assert!(!out.status.success());
    assert_eq!(err.matches("os error").count(), 1, "{err}");
    assert!(err.contains("plain/sub"), "{err}");

    let out = run(
        dir.path(),
        &["--lang", "en", "admin", "ssh-key", "--key", "k.pub"],
    );
    assert!(stderr(&out).contains("--staff ID is required"));
    let out = run(dir.path(), &["admin", "ssh-key", "--key", "k.pub"]);
    assert!(stderr(&out).contains("職員ID"), "{}", stderr(&out));
}

#[test]
fn tui_only_options_are_not_offered_by_subcommands() {
    let dir = tempfile::tempdir().unwrap();
    let top = stdout(&run(dir.path(), &["--help"]));
    for opt in [
        "--vim",
        "--keymap",
        "--ambiguous",
        "--db",
        "--lang",
        "--staff",
    ] {
        assert!(top.contains(opt), "top-level --help lacks {opt}");
    }
    for sub in [
        vec!["doctor"],
        vec!["export"],
        vec!["user", "list"],
        vec!["backup"],
    ] {
        let mut args = sub.clone();
        args.push("--help");
        let help = stdout(&run(dir.path(), &args));
        for opt in ["--vim", "--keymap", "--ambiguous"] {
            assert!(!help.contains(opt), "{sub:?} --help offers {opt}:\n{help}");
        }
        for opt in ["--db", "--lang", "--staff", "--db-key-file"] {
            assert!(help.contains(opt), "{sub:?} --help lacks {opt}");
        }
    }
}

#[test]
fn doctor_shows_the_given_keymap_and_all_its_problems() {
    let dir = tempfile::tempdir().unwrap();
    let keymap = dir.path().join("mine.toml");
    std::fs::write(
        &keymap,
        "[list]\nbindings = [\n  { keys = [\"x\"], command = \"no-such-command-one\" },\n  { keys = [\"y\"], command = \"no-such-command-two\" },\n]\n",
    )
    .unwrap();
    let out = run(
        dir.path(),
        &["--lang", "en", "--keymap", "mine.toml", "doctor"],
    );
    let text = stdout(&out);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        text.contains(&keymap.display().to_string()) && !text.contains("(none)"),
        "{text}"
    );
    assert!(
        text.contains("no-such-command-one") && text.contains("no-such-command-two"),
        "{text}"
    );
    assert!(text.lines().all(|l| l.chars().count() <= 80), "{text}");
    // The same problems in Japanese when the UI is.
    let out = run(
        dir.path(),
        &["--lang", "ja", "--keymap", "mine.toml", "doctor"],
    );
    let text = stdout(&out);
    assert!(
        text.contains("というコマンドはありません") && !text.contains("unknown command"),
        "{text}"
    );
}

/// The width probe writes on row 2 and erases it; doctor's own "database" line is on
/// row 2 of a fresh pane, so it must survive the probe (run on the alternate screen).
#[test]
fn doctor_in_a_terminal_keeps_every_line() {
    if !common::tmux::available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().display();
    let t = common::tmux::Tmux::start(
        "doctor",
        100,
        30,
        &format!(
            "cd {d} && env XDG_STATE_HOME={d}/state XDG_CONFIG_HOME={d}/config {} --lang en --db {d}/none.db doctor; echo DOCTOR-DONE; sleep 600",
            env!("CARGO_BIN_EXE_daicho")
        ),
    );
    let screen = t.wait_for("DOCTOR-DONE", std::time::Duration::from_secs(30));
    for label in [
        "daicho ",
        "database ",
        "log file",
        "locale",
        "terminal size",
        "ambiguous width",
        "in effect",
        "keymaps",
    ] {
        assert!(
            screen
                .lines()
                .any(|l| l.starts_with(label) || l.trim_start().starts_with(label.trim_start())),
            "the {label:?} line is gone:\n{screen}"
        );
    }
    assert!(screen.contains("none.db"), "{screen}");
}

#[test]
fn the_guidance_plan_prints_and_writes_the_year_by_month() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let db = db.to_str().unwrap();
    let made = daicho(dir.path(), &["demo", "--out", db])
        .env("DAICHO_TODAY", "2025-06-15")
        .output()
        .unwrap();
    assert!(made.status.success(), "{}", stderr(&made));
    let printed = daicho(dir.path(), &["--db", db, "guidance", "plan"])
        .env("DAICHO_TODAY", "2025-06-15")
        .output()
        .unwrap();
    assert!(printed.status.success(), "{}", stderr(&printed));
    let text = stdout(&printed);
    assert!(text.starts_with("令和7年度 運営指導 年間計画"), "{text}");
    for month in ["令和7年4月（", "令和7年9月（", "令和8年3月（"] {
        assert!(text.contains(month), "{month}: {text}");
    }
    assert!(text.contains("（期限超過）"), "{text}");
    let out = dir.path().join("plans");
    let wrote = daicho(
        dir.path(),
        &[
            "--db",
            db,
            "--lang",
            "en",
            "guidance",
            "plan",
            "--year",
            "2026",
            "--out",
            out.to_str().unwrap(),
        ],
    )
    .env("DAICHO_TODAY", "2025-06-15")
    .output()
    .unwrap();
    assert!(wrote.status.success(), "{}", stderr(&wrote));
    assert!(stdout(&wrote).starts_with("wrote "), "{}", stdout(&wrote));
    let html = std::fs::read_to_string(out.join("運営指導計画-2026.html")).unwrap();
    assert!(html.contains("On-site guidance plan FY2026"), "{html}");
    assert!(out.join("運営指導計画-2026.txt").exists());
    let bad = run(
        dir.path(),
        &["--db", db, "guidance", "plan", "--year", "26"],
    );
    assert!(!bad.status.success());
    assert!(stderr(&bad).contains("--year"), "{}", stderr(&bad));
}

#[test]
fn the_kokuhoren_settings_are_shown_validated_and_set() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let db = db.to_str().unwrap();
    let made = run(dir.path(), &["demo", "--out", db]);
    assert!(made.status.success(), "{}", stderr(&made));
    let shown = run(dir.path(), &["--db", db, "sync", "settings"]);
    assert!(shown.status.success(), "{}", stderr(&shown));
    assert!(stdout(&shown).contains("（未設定）"), "{}", stdout(&shown));
    let bad = run(
        dir.path(),
        &["--db", db, "sync", "settings", "--insurer-number", "13104"],
    );
    assert!(!bad.status.success());
    assert!(stderr(&bad).contains("保険者番号は"), "{}", stderr(&bad));
    let set = run(
        dir.path(),
        &[
            "--db",
            db,
            "sync",
            "settings",
            "--insurer-number",
            "131045",
            "--data-kind",
            "12",
        ],
    );
    assert!(set.status.success(), "{}", stderr(&set));
    let text = stdout(&set);
    assert!(text.contains("131045") && text.contains("12"), "{text}");
    let audit = run(
        dir.path(),
        &["--db", db, "audit", "verify", "--allow-missing-anchor"],
    );
    assert!(audit.status.success(), "{}", stderr(&audit));
}

#[test]
fn an_unknown_first_screen_is_refused_with_the_names() {
    let dir = tempfile::tempdir().unwrap();
    let o = run(dir.path(), &["--screen", "nowhere", "--demo"]);
    assert!(!o.status.success());
    let e = stderr(&o);
    assert!(
        e.contains("overview, ledger, inbox, consent, checklist, jobs"),
        "{e}"
    );
}
