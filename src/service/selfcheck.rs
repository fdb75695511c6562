//! Self-checks: what daicho can verify itself, shown beside the matching checklist item
//! (DESIGN.md §4). Each check reads files and the database, never writes, and says pass
//! or fail and why in both languages, naming the file it is about.

use crate::domain::checklist::{self as dc, DataItem, data_item_allowed};
use crate::i18n::Lang;
use crate::store::{Store, audit, backup, checklist_audit, checklist_reference};
use chrono::{DateTime, NaiveDate, Utc};
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

/// One check's result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SelfCheck {
    /// Stable key: `permissions`, `backup`, `audit_chain`, `access_review`, `retention`,
    /// `exports`.
    pub key: &'static str,
    /// The checklist item it backs.
    pub item_no: i64,
    pub passed: bool,
    pub why_ja: String,
    pub why_en: String,
}

impl SelfCheck {
    fn new(key: &'static str, item_no: i64, passed: bool, ja: String, en: String) -> Self {
        SelfCheck {
            key,
            item_no,
            passed,
            why_ja: ja,
            why_en: en,
        }
    }
    pub fn why(&self, lang: Lang) -> &str {
        if lang.is_ja() {
            &self.why_ja
        } else {
            &self.why_en
        }
    }
    pub fn title(&self, lang: Lang) -> &'static str {
        match self.key {
            "permissions" => lang.t("ファイルの権限と所有者", "file modes and owner"),
            "backup" => lang.t("バックアップ", "backups"),
            "audit_chain" => lang.t("監査ログの連鎖", "audit log chain"),
            "access_review" => lang.t("アクセスログの月次確認", "monthly access-log review"),
            "retention" => lang.t("保存期間を過ぎた個人情報", "personal data past retention"),
            _ => lang.t("結合先への出力項目", "exports within the data items"),
        }
    }
}

/// What the checks compare against.
#[derive(Debug, Clone)]
pub struct Options {
    /// Where `daicho backup` writes (default `<db dir>/backups`).
    pub backup_dir: PathBuf,
    /// The newest backup may be at most this old.
    pub max_backup_age_hours: i64,
    pub today: NaiveDate,
    pub now: DateTime<Utc>,
}

pub const DEFAULT_MAX_BACKUP_AGE_HOURS: i64 = 36;

/// A file daicho writes for a connection, and what each of its columns carries.
#[derive(Debug, Clone, Copy)]
pub struct ExportSpec {
    pub connection: &'static str,
    pub name: &'static str,
    /// (column header, subject, item) in the connection's 結合される情報項目 terms.
    pub columns: &'static [(&'static str, &'static str, &'static str)],
}

/// The files daicho itself sends to a connection. None yet: the ledger CSV goes to
/// staff, not to a partner. A new interchange format registers its columns here and
/// the `exports` check then holds it to the committee's data items.
pub const EXPORTS: &[ExportSpec] = &[];

fn own_uid() -> Option<u32> {
    std::fs::metadata("/proc/self").ok().map(|m| m.uid())
}

fn with_suffix(p: &Path, suffix: &str) -> PathBuf {
    let mut s = p.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

/// Item 12: the database, its WAL/SHM, the anchor and the backups are 0600, their
/// directories 0700, all owned by the account daicho runs as.
pub fn file_permissions(db: &Path, backup_dir: &Path) -> SelfCheck {
    let mut problems_ja = Vec::new();
    let mut problems_en = Vec::new();
    let uid = own_uid();
    let mut files: Vec<(PathBuf, bool)> = vec![(db.to_path_buf(), false)];
    for s in ["-wal", "-shm", ".audit-head"] {
        files.push((with_suffix(db, s), false));
    }
    if let Some(dir) = db.parent().filter(|d| !d.as_os_str().is_empty()) {
        files.push((dir.to_path_buf(), true));
    }
    if backup_dir.is_dir() {
        files.push((backup_dir.to_path_buf(), true));
        for f in backup_files(backup_dir) {
            files.push((f, false));
        }
    }
    for (path, is_dir) in files {
        let Ok(meta) = std::fs::metadata(&path) else {
            continue; // WAL/SHM come and go; a missing database fails elsewhere
        };
        let mode = meta.permissions().mode() & 0o777;
        let want = if is_dir { 0o700 } else { 0o600 };
        let p = path.display();
        if mode & 0o077 != 0 {
            problems_ja.push(format!(
                "{p} の権限が {mode:04o}（chmod {want:04o} {p} で直してください）"
            ));
            problems_en.push(format!(
                "{p} has mode {mode:04o} (fix: chmod {want:04o} {p})"
            ));
        }
        if uid.is_some_and(|u| u != meta.uid()) {
            problems_ja.push(format!(
                "{p} の所有者がサービスアカウントではありません（uid {}）",
                meta.uid()
            ));
            problems_en.push(format!(
                "{p} is not owned by the service account (uid {})",
                meta.uid()
            ));
        }
    }
    if problems_en.is_empty() {
        SelfCheck::new(
            "permissions",
            12,
            true,
            format!(
                "{} とバックアップは 0600、フォルダは 0700 で、所有者はサービスアカウントです",
                db.display()
            ),
            format!(
                "{} and its backups are 0600, directories 0700, owned by the service account",
                db.display()
            ),
        )
    } else {
        SelfCheck::new(
            "permissions",
            12,
            false,
            problems_ja.join("。"),
            problems_en.join("; "),
        )
    }
}

/// `daicho-*.db` files in `dir`.
fn backup_files(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| {
                    p.file_name()
                        .and_then(|n| n.to_str())
                        .is_some_and(|n| n.starts_with("daicho-") && n.ends_with(".db"))
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Item 14: the newest backup is at most `max_age_hours` old and verifies (an intact
/// daicho database this build can restore).
pub fn backups(backup_dir: &Path, now: DateTime<Utc>, max_age_hours: i64) -> SelfCheck {
    let d = backup_dir.display();
    let newest = backup_files(backup_dir)
        .into_iter()
        .filter_map(|p| {
            let t: DateTime<Utc> = std::fs::metadata(&p).ok()?.modified().ok()?.into();
            Some((t, p))
        })
        .max();
    let Some((at, path)) = newest else {
        return SelfCheck::new(
            "backup",
            14,
            false,
            format!(
                "{d} にバックアップがありません。`daicho backup` を毎日実行するよう設定してください"
            ),
            format!("no backup in {d}; schedule `daicho backup` to run daily"),
        );
    };
    let p = path.display();
    let hours = (now - at).num_hours();
    if hours > max_age_hours {
        return SelfCheck::new(
            "backup",
            14,
            false,
            format!(
                "最新のバックアップ {p} は {hours} 時間前のものです（上限 {max_age_hours} 時間）。`daicho backup` が動いているか確認してください"
            ),
            format!(
                "the newest backup {p} is {hours} hours old (limit {max_age_hours}); check that `daicho backup` runs"
            ),
        );
    }
    match backup::check_daicho_file(&path) {
        Ok(_) => SelfCheck::new(
            "backup",
            14,
            true,
            format!("最新のバックアップ {p}（{hours} 時間前）は検証できました"),
            format!("the newest backup {p} ({hours} hours old) verifies"),
        ),
        Err(e) => SelfCheck::new(
            "backup",
            14,
            false,
            format!(
                "最新のバックアップ {p} を検証できません（{e}）。新しいバックアップを取り直してください"
            ),
            format!("the newest backup {p} does not verify ({e}); take a new backup"),
        ),
    }
}

/// Item 13: the audit log's hash chain is intact and matches the anchor file.
pub fn audit_chain(store: &Store, db: &Path) -> SelfCheck {
    let anchor_path = audit::anchor_path(db);
    let a = anchor_path.display();
    let anchor = match audit::read_anchor(&anchor_path) {
        Ok(a) => a.filter(|a| a.seq > 0 && a.hash != audit::GENESIS),
        Err(e) => {
            return SelfCheck::new(
                "audit_chain",
                13,
                false,
                format!("監査アンカー {a} を読めません（{e}）"),
                format!("cannot read the audit anchor {a} ({e})"),
            );
        }
    };
    let v = match audit::verify(store.conn(), anchor.as_ref()) {
        Ok(v) => v,
        Err(e) => {
            return SelfCheck::new(
                "audit_chain",
                13,
                false,
                format!(
                    "{} の監査ログを検証できません（{}）",
                    db.display(),
                    e.message(Lang::Ja)
                ),
                format!("cannot verify the audit log of {} ({e})", db.display()),
            );
        }
    };
    if let Some(b) = v.broken {
        return SelfCheck::new(
            "audit_chain",
            13,
            false,
            format!(
                "{} の監査ログが壊れています: {}",
                db.display(),
                b.message(Lang::Ja)
            ),
            format!(
                "the audit log of {} is broken: {}",
                db.display(),
                b.message(Lang::En)
            ),
        );
    }
    if anchor.is_none() && v.records > 0 {
        return SelfCheck::new(
            "audit_chain",
            13,
            false,
            format!("監査アンカー {a} がないため、末尾の記録の削除を検出できません"),
            format!(
                "the audit anchor {a} is missing, so deleted newest records would go unnoticed"
            ),
        );
    }
    SelfCheck::new(
        "audit_chain",
        13,
        true,
        format!(
            "監査ログ {} 件の連鎖とアンカー {a} を確認しました",
            v.records
        ),
        format!(
            "the chain of {} audit records and the anchor {a} verify",
            v.records
        ),
    )
}

/// Item 13: last month's access-log report was reviewed (`audit report --reviewed`).
pub fn access_review(store: &Store, today: NaiveDate) -> SelfCheck {
    let month = dc::month_due_for_review(today);
    match checklist_audit::access_reviews(store.conn(), &month) {
        Ok(r) if !r.is_empty() => {
            let who: Vec<&str> = r.iter().map(|(_, by)| by.as_str()).collect();
            let who = who.join(", ");
            SelfCheck::new(
                "access_review",
                13,
                true,
                format!("{month} のアクセスログ月次報告は {who} が確認済みです"),
                format!("the access-log report of {month} was reviewed by {who}"),
            )
        }
        Ok(_) => SelfCheck::new(
            "access_review",
            13,
            false,
            format!(
                "{month} のアクセスログ月次報告の確認記録がありません。`daicho audit report --month {month} --reviewed` で確認して記録してください"
            ),
            format!(
                "no review of the {month} access-log report is recorded; review it with `daicho audit report --month {month} --reviewed`"
            ),
        ),
        Err(e) => SelfCheck::new(
            "access_review",
            13,
            false,
            format!("確認記録を読めません（{}）", e.message(Lang::Ja)),
            format!("cannot read the review records ({e})"),
        ),
    }
}

/// Item 3: no personal data past its retention period is still in the database.
pub fn retention(store: &Store, today: NaiveDate) -> SelfCheck {
    match super::purge::dry_run(store, today) {
        Ok(cats) => {
            let due: Vec<_> = cats.iter().filter(|c| c.count > 0).collect();
            if due.is_empty() {
                return SelfCheck::new(
                    "retention",
                    3,
                    true,
                    "保存期間を過ぎたデータは残っていません".into(),
                    "no data past its retention period remains".into(),
                );
            }
            let ja: Vec<String> = due
                .iter()
                .map(|c| format!("{} {}件", c.label_ja, c.count))
                .collect();
            let en: Vec<String> = due
                .iter()
                .map(|c| format!("{} {}", c.key, c.count))
                .collect();
            SelfCheck::new(
                "retention",
                3,
                false,
                format!(
                    "保存期間を過ぎたデータが残っています（{}）。`daicho purge --dry-run` で確認し消去してください",
                    ja.join("、")
                ),
                format!(
                    "data past its retention period remains ({}); check with `daicho purge --dry-run` and purge it",
                    en.join(", ")
                ),
            )
        }
        Err(e) => SelfCheck::new(
            "retention",
            3,
            false,
            format!("消去対象を数えられません（{}）", e.message(true)),
            format!("cannot count purge candidates ({e})"),
        ),
    }
}

/// Item 1: every column of every file daicho sends to a connection is one of that
/// connection's approved data items.
pub fn exports(store: &Store, specs: &[ExportSpec]) -> SelfCheck {
    let mut bad_ja = Vec::new();
    let mut bad_en = Vec::new();
    let mut checked = 0;
    for spec in specs {
        let allowed: Vec<DataItem> =
            checklist_reference::data_items(store.conn(), spec.connection).unwrap_or_default();
        for (header, subject, item) in spec.columns {
            checked += 1;
            if !data_item_allowed(&allowed, subject, item) {
                bad_ja.push(format!("{} の列「{header}」（{subject}の{item}）は {} の結合される情報項目にありません", spec.name, spec.connection));
                bad_en.push(format!(
                    "column {header:?} of {} ({subject}: {item}) is not among the data items of {}",
                    spec.name, spec.connection
                ));
            }
        }
    }
    if !bad_en.is_empty() {
        return SelfCheck::new("exports", 1, false, bad_ja.join("。"), bad_en.join("; "));
    }
    if specs.is_empty() {
        return SelfCheck::new(
            "exports",
            1,
            true,
            "daicho が結合先へ出力するファイルはありません".into(),
            "daicho writes no file for a connection".into(),
        );
    }
    SelfCheck::new(
        "exports",
        1,
        true,
        format!(
            "結合先への出力 {} 列はすべて結合される情報項目の範囲内です",
            checked
        ),
        format!("all {checked} columns sent to connections are approved data items"),
    )
}

/// Every check, in item order.
pub fn run_all(store: &Store, db: &Path, opts: &Options) -> Vec<SelfCheck> {
    let mut all = vec![
        exports(store, EXPORTS),
        retention(store, opts.today),
        file_permissions(db, &opts.backup_dir),
        audit_chain(store, db),
        access_review(store, opts.today),
        backups(&opts.backup_dir, opts.now, opts.max_backup_age_hours),
    ];
    all.sort_by_key(|c| c.item_no);
    all
}

/// The checks shown beside item `item_no`.
pub fn for_item(checks: &[SelfCheck], item_no: i64) -> Vec<&SelfCheck> {
    checks.iter().filter(|c| c.item_no == item_no).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::permission::{Actor, Role};

    fn chmod(p: &Path, mode: u32) {
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).unwrap();
    }

    #[test]
    fn a_0644_database_fails_and_0600_passes() {
        let dir = tempfile::tempdir().unwrap();
        chmod(dir.path(), 0o700);
        let db = dir.path().join("d.db");
        drop(Store::create(&db).unwrap());
        let backups = dir.path().join("backups");
        let ok = file_permissions(&db, &backups);
        assert!(ok.passed, "{}", ok.why_en);
        chmod(&db, 0o644);
        let bad = file_permissions(&db, &backups);
        assert!(!bad.passed);
        assert!(
            bad.why_ja.contains("0644") && bad.why_ja.contains(&db.display().to_string()),
            "{}",
            bad.why_ja
        );
        assert!(bad.why_en.contains("chmod 0600"), "{}", bad.why_en);
        chmod(&db, 0o600);
        std::fs::create_dir(&backups).unwrap();
        chmod(&backups, 0o755);
        assert!(
            !file_permissions(&db, &backups).passed,
            "a loose backup directory fails too"
        );
    }

    #[test]
    fn backups_must_exist_be_recent_and_verify() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("d.db");
        let store = Store::create(&db).unwrap();
        let bdir = dir.path().join("backups");
        let now = Utc::now();
        assert!(!backups(&bdir, now, 36).passed);
        std::fs::create_dir(&bdir).unwrap();
        backup::backup_to(store.conn(), &bdir.join("daicho-20250101-000000.db")).unwrap();
        let fresh = backups(&bdir, now, 36);
        assert!(fresh.passed, "{}", fresh.why_en);
        assert!(!backups(&bdir, now + chrono::Duration::hours(48), 36).passed);
        std::fs::write(bdir.join("daicho-20990101-000000.db"), b"not sqlite").unwrap();
        let broken = backups(&bdir, now, 36);
        assert!(
            !broken.passed && broken.why_en.contains("does not verify"),
            "{}",
            broken.why_en
        );
    }

    #[test]
    fn chain_review_retention_and_exports() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("d.db");
        let mut store = Store::create(&db).unwrap();
        assert!(audit_chain(&store, &db).passed, "an empty log passes");
        let today = chrono::Local::now().date_naive();
        assert!(!access_review(&store, today).passed);
        let p = Actor {
            staff_id: "p001".into(),
            role: Role::Approver,
        };
        let month = dc::month_due_for_review(today);
        super::super::checklist::record_access_review(&mut store, &p, &month, "").unwrap();
        assert!(access_review(&store, today).passed);
        assert!(audit_chain(&store, &db).passed);
        std::fs::remove_file(audit::anchor_path(&db)).unwrap();
        assert!(
            !audit_chain(&store, &db).passed,
            "records without an anchor"
        );
        assert!(retention(&store, today).passed);
        const BAD: &[ExportSpec] = &[ExportSpec {
            connection: "lemscare",
            name: "test.csv",
            columns: &[
                ("事業所名", "事業所情報", "事業所名称"),
                ("保険証書", "事業所情報", "保険証書"),
            ],
        }];
        let r = exports(&store, BAD);
        assert!(!r.passed && r.why_ja.contains("保険証書"), "{}", r.why_ja);
        assert!(exports(&store, &BAD[..0]).passed);
        let all = run_all(
            &store,
            &db,
            &Options {
                backup_dir: dir.path().join("backups"),
                max_backup_age_hours: DEFAULT_MAX_BACKUP_AGE_HOURS,
                today,
                now: Utc::now(),
            },
        );
        assert_eq!(all.len(), 6);
        assert_eq!(for_item(&all, 13).len(), 2);
    }
}
