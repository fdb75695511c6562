//! Shared fixtures for integration tests.
#![allow(dead_code, clippy::unwrap_used)]

pub mod tmux;

use daicho::tui::testing::{Harness, HarnessOptions, demo_db};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// One demo database per test binary, copied for each test so tests can write.
fn template() -> &'static Path {
    static TEMPLATE: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    let (_, path) = TEMPLATE.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("template.db");
        demo_db(&path);
        (dir, path)
    });
    path
}

pub struct TestDb {
    pub dir: tempfile::TempDir,
    pub path: PathBuf,
}

/// A copy of the demo database in a folder of its own, 0700 with the file 0600 as a
/// deployment has them — whatever the umask, so the checklist's permission self-check
/// (and its snapshots) read the same on every machine.
pub fn fresh_db() -> TestDb {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demo.db");
    std::fs::copy(template(), &path).unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o700)).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    TestDb { dir, path }
}

pub fn harness(db: &TestDb, opts: HarnessOptions) -> Harness {
    Harness::open(&db.path, opts)
}

/// A harness signed in as the demo user of `role`.
pub fn harness_as(db: &TestDb, role: daicho::domain::permission::Role) -> Harness {
    harness(
        db,
        HarnessOptions {
            role,
            ..Default::default()
        },
    )
}
