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

/// Findings that fit checklist item `item` (fixtures/checklist_items.csv); two each, so
/// the draw is the same whichever item has the gap.
pub fn gap_notes(item: i64) -> &'static [&'static str; 2] {
    match item {
        1 => &[
            "クラウド利用時の総務省ガイドラインへの適合確認が未実施",
            "区の規程の改正が委託先の手順書に未反映",
        ],
        2 => &[
            "今年度の実地調査が未実施",
            "状況報告が期限までに提出されていない",
        ],
        3 => &[
            "消去報告書の提出が遅延している",
            "不要データの消去手順が文書化されていない",
        ],
        4 => &[
            "事故・災害時の連絡先一覧が更新されていない",
            "災害時の手順が開始前に取り決められていない",
        ],
        5 => &[
            "システム変更時の協議記録がない",
            "事故発生時の協議体制が明文化されていない",
        ],
        6 => &[
            "結合先以外との通信を遮断する設定が確認できない",
            "通信先の一覧が最新の構成と一致しない",
        ],
        7 => &[
            "通信できるシステムの制限設定が一部未実施",
            "サーバの通信許可リストに不要な項目が残っている",
        ],
        8 => &[
            "一部の通信経路で暗号化が確認できない",
            "暗号化方式が古い設定のまま（TLS 1.0 を許可）",
        ],
        9 => &[
            "修正プログラムの適用が3か月遅れている",
            "侵入検知の警報の確認手順がない",
        ],
        10 => &[
            "パターンファイルが最新でない端末がある",
            "ウイルス対策ソフト未導入のサーバがある",
        ],
        11 => &[
            "共用IDが使われており個人を特定できない",
            "パスワードの定期変更・複雑さの設定が未実施",
        ],
        12 => &[
            "共有フォルダのアクセス権限が課全体に開いている",
            "受渡しファイルのパスワード設定が徹底されていない",
        ],
        13 => &[
            "アクセスログの定期分析が未実施。次回監査までに手順化する",
            "ログの保存期間が規程の期間に満たない",
        ],
        14 => &[
            "バックアップからの復元試験が未実施",
            "サーバが冗長化されておらず単一障害点がある",
        ],
        15 => &[
            "サーバ室の入退室記録が残されていない",
            "入退室カードの貸与管理が不十分",
        ],
        _ => &[
            "データ保管場所（国内外）の確認書類がない",
            "再委託先のサーバ所在地が確認できない",
        ],
    }
}

fn mark_item(
    conn: &Connection,
    rng: &mut DemoRng,
    audit_id: i64,
    item: i64,
    mark: &str,
) -> Result<()> {
    let (note, evidence) = match mark {
        "gap" => (pick(rng, gap_notes(item)), ""),
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
