//! The ward's own records in the demo: prior-consent agreements, privacy checklist
//! audits for the four external connections, and the demo logins.

use super::rng::{self, DemoRng, chance, days, pick};
use crate::store::Result;
use crate::store::seed::{self, NewChecklistAudit, NewChecklistMark, NewPriorConsent};
use chrono::{Datelike, NaiveDate};
use rand::Rng;
use rusqlite::Connection;

/// `checklist_connection.code` values (fixtures/checklist_connections.csv).
pub const CONNECTIONS: [&str; 4] = ["e_application", "lemscare", "kokuhoren", "municipalities"];

/// Items per audit (fixtures/checklist_items.csv).
pub const ITEMS: i64 = 16;

/// Demo logins: (staff id, display name, role code). Each password is
/// [`demo_password`] of the id (printed by `daicho demo`), e.g. `demo-viewer` / `viewer-demo`.
pub const USERS: [(&str, &str, &str); 5] = [
    ("demo-viewer", "閲覧 デモ", "viewer"),
    ("demo-reviewer", "審査 デモ1", "reviewer"),
    ("demo-reviewer2", "審査 デモ2", "reviewer"),
    ("demo-approver", "決裁 デモ", "approver"),
    ("demo-admin", "管理 デモ", "admin"),
];

/// The documented demo password of a demo staff id: `demo-X` → `X-demo`.
pub fn demo_password(staff_id: &str) -> String {
    format!("{}-demo", staff_id.trim_start_matches("demo-"))
}

pub fn users(conn: &Connection, today: NaiveDate) -> Result<usize> {
    let created = rng::stamp(today - days(30));
    for (id, name, role) in USERS {
        // Real argon2id hashes (salt derived from the id, so the demo stays reproducible).
        let hash = crate::service::session::hash_password_deterministic(&demo_password(id), id)
            .map_err(|e| crate::store::StoreError::Invalid(e.to_string()))?;
        seed::insert_user_at(conn, id, name, role, &hash, &created)?;
    }
    Ok(USERS.len())
}

/// Three blanket agreements; 渋谷区 excludes GH, 小多機 and 看多機 as many wards do.
pub fn prior_consents(conn: &Connection, today: NaiveDate) -> Result<usize> {
    let april = |y: i32| NaiveDate::from_ymd_opt(y, 4, 1).unwrap_or(today);
    let year = if today.month() >= 4 {
        today.year()
    } else {
        today.year() - 1
    };
    let rows = [
        (
            "131130",
            april(year - 1),
            Some(april(year + 2) - days(1)),
            "32,73,77",
            "令和の協定（3年ごと更新）",
        ),
        (
            "131148",
            april(year - 2),
            None,
            "",
            "相互の事前同意（期限なし）",
        ),
        (
            "131164",
            april(year),
            Some(april(year + 3) - days(1)),
            "32",
            "GHを除く事前同意",
        ),
    ];
    for (code, from, to, excluded, note) in rows {
        seed::insert_prior_consent(
            conn,
            &NewPriorConsent {
                municipality_code: code,
                valid_from: from,
                valid_to: to,
                excluded_services: excluded,
                note,
            },
        )?;
    }
    Ok(rows.len())
}

/// One signed audit per connection and side (2–11 months old), 1–3 gaps in all, and
/// one audit in progress. Returns the number of audits.
pub fn checklist(conn: &Connection, rng: &mut DemoRng, today: NaiveDate) -> Result<usize> {
    let audits = CONNECTIONS.len() * 2;
    let gap_count = rng.random_range(1..=3);
    let gaps: Vec<(usize, i64)> = (0..gap_count)
        .map(|_| (rng.random_range(0..audits), rng.random_range(6..=ITEMS)))
        .collect();
    let mut n = 0;
    for (ci, code) in CONNECTIONS.iter().enumerate() {
        for (si, side) in ["ward", "partner"].into_iter().enumerate() {
            let started = today - days(rng.random_range(62..=330));
            let signed = started + days(rng.random_range(1..=10));
            let started_at = rng::office_time(rng, started);
            let signed_at = rng::office_time(rng, signed);
            let signer = if side == "ward" {
                "demo-approver"
            } else {
                "demo-reviewer2"
            };
            let id = seed::insert_checklist_audit(
                conn,
                &NewChecklistAudit {
                    connection_code: code,
                    side,
                    started_at: &started_at,
                    started_by: "demo-reviewer",
                    signed_at: Some(&signed_at),
                    signed_by: Some(signer),
                },
            )?;
            let index = ci * 2 + si;
            for item in 1..=ITEMS {
                let mark = if gaps.contains(&(index, item)) {
                    "gap"
                } else if item >= 14 && chance(rng, 0.25) {
                    "na"
                } else {
                    "ok"
                };
                mark_item(conn, rng, id, item, mark)?;
            }
            n += 1;
        }
    }
    let started = rng::office_time(rng, today - days(3));
    let id = seed::insert_checklist_audit(
        conn,
        &NewChecklistAudit {
            connection_code: "lemscare",
            side: "ward",
            started_at: &started,
            started_by: "demo-reviewer",
            signed_at: None,
            signed_by: None,
        },
    )?;
    for item in 1..=8 {
        mark_item(conn, rng, id, item, "ok")?;
    }
    Ok(n + 1)
}

fn mark_item(
    conn: &Connection,
    rng: &mut DemoRng,
    audit_id: i64,
    item: i64,
    mark: &str,
) -> Result<()> {
    let (note, evidence) = match mark {
        "gap" => (
            pick(
                rng,
                &[
                    "アクセスログの定期分析が未実施。次回監査までに手順化する",
                    "消去報告書の提出が遅延している",
                ],
            ),
            "",
        ),
        "na" => ("紙媒体での受渡しのため該当なし", ""),
        _ => (
            "",
            pick(
                rng,
                &[
                    "契約書 第12条",
                    "運用手順書 3.2",
                    "委託先報告書（年次）",
                    "設定画面の写し",
                ],
            ),
        ),
    };
    seed::insert_checklist_mark(
        conn,
        &NewChecklistMark {
            audit_id,
            item_no: item,
            mark,
            note,
            evidence,
        },
    )
}
