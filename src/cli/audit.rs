//! `daicho audit verify` and `daicho audit report --month YYYY-MM`.

use super::Cli;
use crate::store::{self, Store, audit};
use anyhow::{Context, bail};
use chrono::{Local, NaiveDate, TimeZone, Utc};
use clap::Subcommand;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Recompute the hash chain and compare its head with the anchor file; exit 1 if broken.
    Verify {
        /// Anchor file (default: <db>.audit-head).
        #[arg(long)]
        anchor: Option<PathBuf>,
    },
    /// Plain-text summary of one month for the monthly log review.
    Report {
        /// Month, YYYY-MM (local time).
        #[arg(long)]
        month: String,
    },
}

fn open_existing(cli: &Cli) -> anyhow::Result<(PathBuf, Store)> {
    let path = store::resolve_db_path(cli.db.as_deref(), None);
    if !path.exists() {
        bail!("no database at {}", path.display());
    }
    let store =
        Store::open_read_only(&path).with_context(|| format!("opening {}", path.display()))?;
    Ok((path, store))
}

/// Verifies the chain; Ok(text) when intact, Err naming the first broken link.
pub fn verify_text(store: &Store, db: &Path, anchor: Option<&Path>) -> anyhow::Result<String> {
    let anchor_path = anchor.map_or_else(|| audit::anchor_path(db), Path::to_path_buf);
    let anchor = audit::read_anchor(&anchor_path)?;
    let v = audit::verify(store.conn(), anchor.as_ref())?;
    if let Some(b) = &v.broken {
        bail!(
            "audit log of {} is BROKEN: {b} (checked {} records; anchor {})",
            db.display(),
            v.records,
            anchor_path.display()
        );
    }
    let mut out = format!(
        "audit log of {} OK: {} records, head seq {} {}",
        db.display(),
        v.records,
        v.head.0,
        &v.head.1[..16.min(v.head.1.len())]
    );
    match anchor {
        Some(a) => {
            let _ = write!(out, "; anchor {} at seq {}", anchor_path.display(), a.seq);
        }
        None => {
            let _ = write!(
                out,
                "\nwarning: no anchor file {} — deletion of the newest records cannot be detected",
                anchor_path.display()
            );
        }
    }
    Ok(out)
}

/// `[from, to)` of a local calendar month as stored UTC strings.
fn month_range(month: &str) -> anyhow::Result<(String, String)> {
    let first = NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d")
        .with_context(|| format!("--month {month:?}: expected YYYY-MM"))?;
    let next = first
        .checked_add_months(chrono::Months::new(1))
        .context("month out of range")?;
    let utc = |d: NaiveDate| -> anyhow::Result<String> {
        let local = Local
            .from_local_datetime(&d.and_time(chrono::NaiveTime::MIN))
            .earliest()
            .context("local midnight does not exist")?;
        Ok(local
            .with_timezone(&Utc)
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
    };
    Ok((utc(first)?, utc(next)?))
}

fn local_time(at: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(at)
        .map(|t| t.with_timezone(&Local).format("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_else(|_| at.to_string())
}

/// The monthly review text.
pub fn report_text(store: &Store, db: &Path, month: &str) -> anyhow::Result<String> {
    let (from, to) = month_range(month)?;
    let records = audit::between(store.conn(), &from, &to)?;
    let chain = match verify_text(store, db, None) {
        Ok(_) => "OK".to_string(),
        Err(e) => format!("{e:#}"),
    };
    let mut out = String::new();
    let _ = writeln!(out, "# daicho 監査ログ月次報告 / audit log report {month}");
    let _ = writeln!(out, "database: {}", db.display());
    let _ = writeln!(
        out,
        "period: {from} .. {to} (UTC; the local calendar month)"
    );
    let _ = writeln!(out, "hash chain: {chain}");
    let _ = writeln!(out, "records in period: {}\n", records.len());

    let mut counts: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for r in &records {
        *counts.entry((&r.entry.actor, &r.entry.action)).or_default() += 1;
    }
    let _ = writeln!(out, "## 職員別操作件数 / actions per staff id");
    for ((actor, action), n) in &counts {
        let _ = writeln!(out, "{actor:<16} {action:<20} {n:>6}");
    }
    let section = |out: &mut String, title: &str, pred: &dyn Fn(&str) -> bool| {
        let _ = writeln!(out, "\n## {title}");
        let mut any = false;
        for r in records.iter().filter(|r| pred(&r.entry.action)) {
            any = true;
            let _ = writeln!(
                out,
                "{}  seq {:<6} {:<16} {:<14} {} {}  {}",
                local_time(&r.at),
                r.seq,
                r.entry.actor,
                r.entry.action,
                r.entry.object_type,
                r.entry.object_id,
                r.entry.reason
            );
        }
        if !any {
            let _ = writeln!(out, "(none / なし)");
        }
    };
    section(
        &mut out,
        "個人情報の表示 / personal data revealed (with reason)",
        &|a| a == "pii.reveal",
    );
    section(
        &mut out,
        "個人情報の出力 / personal data exported",
        &|a| a == "pii.export",
    );
    section(
        &mut out,
        "ログイン失敗・ロック / failed and locked logins",
        &|a| matches!(a, "login.failed" | "login.locked" | "login.refused"),
    );
    section(
        &mut out,
        "ユーザー管理・復元・消去 / users, restore, purge",
        &|a| a.starts_with("user.") || a.starts_with("db.") || a.starts_with("purge"),
    );
    Ok(out)
}

pub fn run(cli: &Cli, cmd: &AuditCommand) -> anyhow::Result<()> {
    let (path, store) = open_existing(cli)?;
    match cmd {
        AuditCommand::Verify { anchor } => {
            println!("{}", verify_text(&store, &path, anchor.as_deref())?)
        }
        AuditCommand::Report { month } => print!("{}", report_text(&store, &path, month)?),
    }
    Ok(())
}
