//! `daicho audit verify` and `daicho audit report --month YYYY-MM`.

use super::Cli;
use crate::domain::text::{escape_for_terminal, pad_to_width};
use crate::i18n::Lang;
use crate::store::audit::{self, witness};
use crate::store::{self, Store};
use anyhow::{Context, anyhow, bail};
use chrono::{Local, NaiveDate, TimeZone, Utc};
use clap::Subcommand;
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Recompute the hash chain and compare its head with the anchor file (and a
    /// witness); exit 1 if broken, or if the anchor is missing or zeroed.
    Verify {
        /// Anchor file (default: <db>.audit-head).
        #[arg(long)]
        anchor: Option<PathBuf>,
        /// Pass without an anchor file (a new database before its first audited write).
        #[arg(long)]
        allow_missing_anchor: bool,
        /// Witness file or syslog extract: every witnessed (seq, hash) must be in the chain.
        #[arg(long)]
        witness: Option<PathBuf>,
    },
    /// Plain-text summary of one month for the monthly log review.
    Report {
        /// Month, YYYY-MM (local time).
        #[arg(long)]
        month: String,
        /// Record that you reviewed this report (approver or admin; needs --staff and
        /// your password). The checklist's self-check for item 13 looks for it.
        #[arg(long)]
        reviewed: bool,
        /// A remark stored with the review record.
        #[arg(long, default_value = "", requires = "reviewed")]
        note: String,
    },
}

/// How `audit verify` checks, beyond the chain itself.
#[derive(Debug, Clone, Default)]
pub struct VerifyOptions {
    pub anchor: Option<PathBuf>,
    pub allow_missing_anchor: bool,
    pub witness: Option<PathBuf>,
}

fn open_existing(cli: &Cli) -> anyhow::Result<(PathBuf, Store)> {
    // Store refuses a missing, foreign or newer file with its own message.
    let path = store::resolve_db_path(cli.db.as_deref(), None);
    let store = Store::open_read_only(&path)?;
    Ok((path, store))
}

/// Verifies the chain; Ok(text) when intact, Err naming the first broken link. A missing
/// or zeroed anchor is an error unless `allow_missing_anchor`.
pub fn verify_text(
    store: &Store,
    db: &Path,
    opts: &VerifyOptions,
    lang: Lang,
) -> anyhow::Result<String> {
    let anchor_path = opts
        .anchor
        .clone()
        .unwrap_or_else(|| audit::anchor_path(db));
    let anchor = audit::read_anchor(&anchor_path).map_err(|e| {
        anyhow!(match lang {
            Lang::Ja => format!(
                "監査アンカー {} が \"<seq> <sha256>\" の形式ではありません（{e}）",
                anchor_path.display()
            ),
            Lang::En => format!("{e}"),
        })
    })?;
    // "0 000…0" is what an anchor looks like before any record: after the whole log
    // was deleted it would vouch for the empty chain.
    let anchor = anchor.filter(|a| a.seq > 0 && a.hash != audit::GENESIS);
    let mut warnings = Vec::new();
    if anchor.is_none() {
        if !opts.allow_missing_anchor {
            bail!(
                "{}",
                match lang {
                    Lang::Ja => format!(
                        "{} の監査ログを確認できません: アンカー {} がないか、空（seq 0）です。末尾の削除やログ全体の削除を検出できないため失敗とします（新しいデータベースでは --allow-missing-anchor）",
                        db.display(),
                        anchor_path.display()
                    ),
                    Lang::En => format!(
                        "audit log of {} cannot be verified: the anchor {} is missing or zeroed (seq 0), so deleted records would go unnoticed; use --allow-missing-anchor only for a new database",
                        db.display(),
                        anchor_path.display()
                    ),
                }
            );
        }
        warnings.push(match lang {
            Lang::Ja => format!(
                "警告: アンカー {} がありません。末尾の記録の削除は検出できません",
                anchor_path.display()
            ),
            Lang::En => format!(
                "warning: no anchor {}; deletion of the newest records cannot be detected",
                anchor_path.display()
            ),
        });
    }
    let v = audit::verify(store.conn(), anchor.as_ref())?;
    let witnessed = match &opts.witness {
        Some(path) => {
            let text = std::fs::read_to_string(path).with_context(|| match lang {
                Lang::Ja => format!("証跡ファイル {} を読めません", path.display()),
                Lang::En => format!("cannot read the witness file {}", path.display()),
            })?;
            Some((path, witness::parse(&text, db)))
        }
        None => None,
    };
    let broken = match (&v.broken, &witnessed) {
        (Some(b), _) => Some(b.clone()),
        (None, Some((_, w))) => audit::check_witness(store.conn(), w)?,
        (None, None) => None,
    };
    if let Some(b) = &broken {
        bail!(
            "{}",
            match lang {
                Lang::Ja => format!(
                    "{} の監査ログが壊れています: {}（{}件を確認、アンカー {}）",
                    db.display(),
                    b.message(lang),
                    v.records,
                    anchor_path.display()
                ),
                Lang::En => format!(
                    "audit log of {} is BROKEN: {b} (checked {} records; anchor {})",
                    db.display(),
                    v.records,
                    anchor_path.display()
                ),
            }
        );
    }
    let mut out = match lang {
        Lang::Ja => format!(
            "{} の監査ログは正常です: {}件、先頭 seq {} {}",
            db.display(),
            v.records,
            v.head.0,
            &v.head.1[..16.min(v.head.1.len())]
        ),
        Lang::En => format!(
            "audit log of {} OK: {} records, head seq {} {}",
            db.display(),
            v.records,
            v.head.0,
            &v.head.1[..16.min(v.head.1.len())]
        ),
    };
    if let Some(a) = &anchor {
        let _ = match lang {
            Lang::Ja => write!(out, "、アンカー {} は seq {}", anchor_path.display(), a.seq),
            Lang::En => write!(out, "; anchor {} at seq {}", anchor_path.display(), a.seq),
        };
        if a.seq < v.head.0 {
            let behind = v.head.0 - a.seq;
            warnings.push(match lang {
                Lang::Ja => format!(
                    "警告: アンカー {} が先頭より{behind}件遅れています（アンカーの更新に失敗した書き込みがあります）。アンカーのファイルを書き込めるようにしてください",
                    anchor_path.display()
                ),
                Lang::En => format!(
                    "warning: the anchor {} is {behind} records behind the head (an anchor update failed); make the anchor file writable",
                    anchor_path.display()
                ),
            });
        }
    }
    if let Some((path, w)) = &witnessed {
        let _ = match lang {
            Lang::Ja => write!(out, "、証跡 {} の{}件と一致", path.display(), w.heads.len()),
            Lang::En => write!(
                out,
                "; {} witnessed heads in {} match",
                w.heads.len(),
                path.display()
            ),
        };
        for seq in &w.resets {
            warnings.push(match lang {
                Lang::Ja => format!(
                    "注意: 証跡には seq {seq} での復元が記録されています。復元訓練・作業の記録と照合してください"
                ),
                Lang::En => format!(
                    "note: the witness records a restore at seq {seq}; check it against the restore log"
                ),
            });
        }
    }
    for w in warnings {
        out.push('\n');
        out.push_str(&w);
    }
    Ok(out)
}

/// `[from, to)` of a local calendar month as stored UTC strings.
fn month_range(month: &str, lang: Lang) -> anyhow::Result<(String, String)> {
    let bad = || match lang {
        Lang::Ja => format!("--month {month}: 年月は YYYY-MM の形で指定してください（例 2024-03）"),
        Lang::En => format!("--month {month}: give the month as YYYY-MM (e.g. 2024-03)"),
    };
    let first = NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d")
        .map_err(|_| anyhow!(bad()))?;
    let next = first
        .checked_add_months(chrono::Months::new(1))
        .ok_or_else(|| anyhow!(bad()))?;
    let utc = |d: NaiveDate| -> anyhow::Result<String> {
        let local = Local
            .from_local_datetime(&d.and_time(chrono::NaiveTime::MIN))
            .earliest()
            .ok_or_else(|| anyhow!(bad()))?;
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

/// What staff call the object: 事業所番号 and the case's own reference, never a row id.
fn object_label(store: &Store, r: &audit::Record, lang: Lang) -> String {
    let e = &r.entry;
    let known = audit::object_ref(store.conn(), &e.object_type, &e.object_id)
        .ok()
        .flatten();
    let number = |o: &audit::ObjectRef| {
        format!("{} {}", lang.t("事業所番号", "provider"), o.provider_number)
    };
    let label = match (e.object_type.as_str(), known) {
        ("facility", Some(o)) => format!("{} {}", lang.t("事業所", "facility"), number(&o)),
        ("application", Some(o)) => {
            let mut s = format!("{} {}", lang.t("申請", "application"), number(&o));
            if let Some(x) = o.case_ref.filter(|x| !x.is_empty()) {
                let _ = write!(s, " {} {x}", lang.t("受付番号", "ref"));
            }
            if let Some(d) = o.date {
                let _ = write!(s, " {} {d}", lang.t("受付日", "received"));
            }
            s
        }
        ("consent" | "insured_person", Some(o)) => {
            let mut s = format!("{} {}", lang.t("同意依頼", "consent request"), number(&o));
            if let Some(m) = o.case_ref {
                let _ = write!(s, " {} {m}", lang.t("相手先", "with"));
            }
            if let Some(d) = o.date {
                let _ = write!(s, " {} {d}", lang.t("依頼日", "requested"));
            }
            s
        }
        ("facility" | "application" | "consent" | "insured_person", None) => format!(
            "{} ({})",
            match e.object_type.as_str() {
                "facility" => lang.t("事業所", "facility"),
                "application" => lang.t("申請", "application"),
                _ => lang.t("同意依頼", "consent request"),
            },
            lang.t("消去済み", "purged")
        ),
        ("user", None) => format!("{} {}", lang.t("職員", "staff"), e.object_id),
        (t, _) if e.object_id.is_empty() => t.to_string(),
        (t, _) => format!("{t} {}", e.object_id),
    };
    escape_for_terminal(&label).into_owned()
}

/// The monthly review text, in the UI language. Everything stored is escaped: a reason
/// holding terminal commands prints as visible `\u{1b}…`, not as the command.
pub fn report_text(store: &Store, db: &Path, month: &str, lang: Lang) -> anyhow::Result<String> {
    let (from, to) = month_range(month, lang)?;
    let records = audit::between(store.conn(), &from, &to)?;
    let chain = match verify_text(store, db, &VerifyOptions::default(), lang) {
        Ok(_) => "OK".to_string(),
        Err(e) => format!("{e:#}"),
    };
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# {} {month}",
        lang.t("daicho 監査ログ月次報告", "daicho audit log report")
    );
    let _ = writeln!(
        out,
        "{}: {}",
        lang.t("データベース", "database"),
        db.display()
    );
    let _ = writeln!(
        out,
        "{}: {from} .. {to} ({})",
        lang.t("期間", "period"),
        lang.t("UTC、この地域の暦月", "UTC; the local calendar month")
    );
    let _ = writeln!(out, "{}: {chain}", lang.t("ハッシュチェーン", "hash chain"));
    let _ = writeln!(
        out,
        "{}: {}\n",
        lang.t("期間内の記録", "records in period"),
        records.len()
    );

    let mut counts: BTreeMap<(String, String), usize> = BTreeMap::new();
    for r in &records {
        *counts
            .entry((
                escape_for_terminal(&r.entry.actor).into_owned(),
                escape_for_terminal(&r.entry.action).into_owned(),
            ))
            .or_default() += 1;
    }
    let _ = writeln!(
        out,
        "## {}",
        lang.t("職員別操作件数", "actions per staff id")
    );
    for ((actor, action), n) in &counts {
        let _ = writeln!(
            out,
            "{} {} {n:>6}",
            pad_to_width(actor, 16),
            pad_to_width(action, 20)
        );
    }
    let mut labels: HashMap<(String, String), String> = HashMap::new();
    let mut section = |out: &mut String, title: &str, pred: &dyn Fn(&str) -> bool| {
        let _ = writeln!(out, "\n## {title}");
        let mut any = false;
        for r in records.iter().filter(|r| pred(&r.entry.action)) {
            any = true;
            let key = (r.entry.object_type.clone(), r.entry.object_id.clone());
            let label = labels
                .entry(key)
                .or_insert_with(|| object_label(store, r, lang))
                .clone();
            let _ = writeln!(
                out,
                "{}  seq {} {} {} {}  {}",
                local_time(&r.at),
                pad_to_width(&r.seq.to_string(), 6),
                pad_to_width(&escape_for_terminal(&r.entry.actor), 16),
                pad_to_width(&escape_for_terminal(&r.entry.action), 14),
                pad_to_width(&label, 28),
                escape_for_terminal(&r.entry.reason)
            );
        }
        if !any {
            let _ = writeln!(out, "({})", lang.t("なし", "none"));
        }
    };
    section(
        &mut out,
        lang.t(
            "個人情報の表示（理由つき）",
            "personal data revealed (with reason)",
        ),
        &|a| a == "pii.reveal",
    );
    section(
        &mut out,
        lang.t(
            "個人情報・データの出力とバックアップ",
            "exports and backups",
        ),
        &|a| matches!(a, "pii.export" | "data.export" | "db.backup"),
    );
    section(
        &mut out,
        lang.t("ログイン失敗・ロック", "failed and locked logins"),
        &|a| matches!(a, "login.failed" | "login.locked" | "login.refused"),
    );
    section(
        &mut out,
        lang.t("ユーザー管理・復元・消去", "users, restore, purge"),
        &|a| a.starts_with("user.") || a == "db.restore" || a.starts_with("purge"),
    );
    Ok(out)
}

pub fn run(cli: &Cli, cmd: &AuditCommand) -> anyhow::Result<()> {
    let lang = cli.lang();
    let (path, store) = open_existing(cli)?;
    match cmd {
        AuditCommand::Verify {
            anchor,
            allow_missing_anchor,
            witness,
        } => {
            let opts = VerifyOptions {
                anchor: anchor.clone(),
                allow_missing_anchor: *allow_missing_anchor,
                witness: witness.clone(),
            };
            println!("{}", verify_text(&store, &path, &opts, lang)?)
        }
        AuditCommand::Report {
            month,
            reviewed,
            note,
        } => {
            print!("{}", report_text(&store, &path, month, lang)?);
            if *reviewed {
                drop(store);
                println!("{}", record_review(cli, &path, month, note, lang)?);
            }
        }
    }
    Ok(())
}

/// `--reviewed`: the logged-in approver or admin records the review (audited).
fn record_review(
    cli: &Cli,
    db: &Path,
    month: &str,
    note: &str,
    lang: Lang,
) -> anyhow::Result<String> {
    let id = cli.staff.as_deref().with_context(|| {
        lang.t(
            "--reviewed には --staff で職員IDを指定してください（決裁者または管理者）",
            "--reviewed needs your staff id with --staff (an approver or admin)",
        )
    })?;
    let mut store = Store::open(db)?;
    let actor = super::login::authenticate_in(&mut store, id, lang)?;
    crate::service::checklist::record_access_review(&mut store, &actor, month, note)?;
    Ok(match lang {
        Lang::Ja => format!(
            "{month} の月次報告を {} が確認したことを記録しました",
            actor.staff_id
        ),
        Lang::En => format!(
            "recorded that {} reviewed the {month} report",
            actor.staff_id
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::text::width;

    #[test]
    fn report_rows_align_by_display_width_and_escape_reasons() {
        let mut store = Store::open_in_memory().unwrap();
        for (actor, object_type, reason) in [
            ("k001", "consent", "電話で本人確認"),
            ("k-longer-id", "facility", "確認\u{1b}[2J"),
        ] {
            store
                .write(|tx| {
                    audit::append(
                        tx,
                        &audit::Entry {
                            actor: actor.into(),
                            action: "pii.reveal".into(),
                            object_type: object_type.into(),
                            object_id: "99".into(),
                            fields: vec![],
                            reason: reason.into(),
                        },
                    )
                })
                .unwrap();
        }
        let month = Local::now().format("%Y-%m").to_string();
        let text = report_text(&store, Path::new(":memory:"), &month, Lang::Ja).unwrap();
        let rows: Vec<&str> = text.lines().filter(|l| l.contains("  seq ")).collect();
        assert_eq!(rows.len(), 2, "{text}");
        // The reason starts in the same terminal column on every row.
        let col = |row: &str, reason: &str| width(&row[..row.find(reason).unwrap()]);
        assert_eq!(col(rows[0], "電話"), col(rows[1], "確認"), "{text}");
        assert!(rows[1].contains("確認\\u{1b}[2J"), "{text}");
        assert!(rows[0].contains("同意依頼 (消去済み)"), "{text}");
        assert!(!text.contains("consent 99"), "{text}");
    }
}
