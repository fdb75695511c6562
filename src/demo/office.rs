//! The ward's own records in the demo: prior-consent agreements, privacy checklist
//! audits for the four external connections, and the demo logins.

use super::rng::{self, DemoRng, chance, days, pick};
use crate::domain::checklist::{EventKind, Mark, MarkInput, Side};
use crate::store::Result;
use crate::store::checklist_audit::{self as ca, NewEvent};
use crate::store::seed::{self, NewChecklistAudit, NewPriorConsent};
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

/// One signed audit per connection and side (2–11 months old), 1–3 gaps in all (each
/// with an owner and a due date), one older audit that the current 電子申請 ward audit
/// superseded, and one audit in progress. Audits are walked and signed the way the
/// service does it (unsigned, marked, then signed by the approver), because a signed
/// audit refuses new marks. Returns the number of audits.
pub fn checklist(conn: &Connection, rng: &mut DemoRng, today: NaiveDate) -> Result<usize> {
    let audits = CONNECTIONS.len() * 2;
    let gap_count = rng.random_range(1..=3);
    let gaps: Vec<(usize, i64)> = (0..gap_count)
        .map(|_| (rng.random_range(0..audits), rng.random_range(6..=ITEMS)))
        .collect();
    let mut n = 0;
    for (ci, code) in CONNECTIONS.iter().enumerate() {
        for (si, side) in [Side::Ward, Side::Partner].into_iter().enumerate() {
            let started = today - days(rng.random_range(62..=330));
            let signed = started + days(rng.random_range(1..=10));
            let started_at = rng::office_time(rng, started);
            let signed_at = rng::office_time(rng, signed);
            if ci == 0 && si == 0 {
                n += superseded_audit(conn, code, started - days(365))?;
            }
            let id = open_audit(conn, code, side, &started_at)?;
            let index = ci * 2 + si;
            for item in 1..=ITEMS {
                let mark = if gaps.contains(&(index, item)) {
                    Mark::Gap
                } else if item >= 14 && chance(rng, 0.25) {
                    // The ward only uses the partner's system through a browser: no
                    // server or server room of its own. The partner runs the servers.
                    if side == Side::Ward {
                        Mark::NotNeeded
                    } else {
                        let input = ok_with(EVIDENCE[item as usize % EVIDENCE.len()], started);
                        mark_row(conn, id, item, &input, &started_at)?;
                        continue;
                    }
                } else {
                    Mark::Ok
                };
                mark_item(conn, rng, id, item, mark, started)?;
            }
            sign(conn, id, &signed_at)?;
            n += 1;
        }
    }
    let started = rng::office_time(rng, today - days(3));
    let id = open_audit(conn, "lemscare", Side::Ward, &started)?;
    for item in 1..=8 {
        mark_item(conn, rng, id, item, Mark::Ok, today - days(3))?;
    }
    events(conn, today)?;
    access_reviews(conn, today)?;
    Ok(n + 1)
}

const EVIDENCE: [&str; 4] = [
    "契約書 第12条",
    "運用手順書 3.2",
    "委託先報告書（年次）",
    "設定画面の写し",
];

/// Who fixes a gap in item `item`.
fn gap_owner(item: i64) -> &'static str {
    match item {
        1..=5 => "介護保険課 事業者指定係長",
        6..=9 | 14 | 16 => "情報政策課 基盤担当",
        _ => "介護保険課 庶務係長",
    }
}

fn ok_with(evidence: &str, on: NaiveDate) -> MarkInput {
    MarkInput {
        mark: Some(Mark::Ok),
        evidence: evidence.to_string(),
        evidence_date: Some(on - days(30)),
        ..Default::default()
    }
}

fn open_audit(conn: &Connection, code: &str, side: Side, started_at: &str) -> Result<i64> {
    seed::insert_checklist_audit(
        conn,
        &NewChecklistAudit {
            connection_code: code,
            side: side.code(),
            started_at,
            started_by: "demo-reviewer",
            signed_at: None,
            signed_by: None,
        },
    )
}

fn mark_row(conn: &Connection, id: i64, item: i64, input: &MarkInput, at: &str) -> Result<()> {
    ca::set_mark(conn, id, item, input, 0, at, "demo-reviewer").map(|_| ())
}

fn sign(conn: &Connection, id: i64, signed_at: &str) -> Result<()> {
    let header = ca::header(conn, id)?
        .ok_or_else(|| crate::store::StoreError::NotFound(format!("checklist audit {id}")))?;
    ca::sign(conn, &header, header.version, signed_at, "demo-approver").map(|_| ())
}

/// The 電子申請 ward audit of the year before: access logs were not yet analysed
/// (item 13), fixed since; the current audit supersedes it.
fn superseded_audit(conn: &Connection, code: &str, started: NaiveDate) -> Result<usize> {
    let at = rng::stamp(started);
    let id = open_audit(conn, code, Side::Ward, &at)?;
    for item in 1..=ITEMS {
        let input = if item == 13 {
            MarkInput {
                mark: Some(Mark::Gap),
                note: gap_notes(13)[0].to_string(),
                owner: gap_owner(13).to_string(),
                due_on: Some(started + days(90)),
                ..Default::default()
            }
        } else {
            ok_with(EVIDENCE[item as usize % EVIDENCE.len()], started)
        };
        mark_row(conn, id, item, &input, &at)?;
    }
    sign(conn, id, &rng::stamp(started + days(5)))?;
    Ok(1)
}

/// The measures that are events (items 2–5) for each connection, within the last year.
fn events(conn: &Connection, today: NaiveDate) -> Result<()> {
    let rows = [
        (
            "e_application",
            EventKind::ContactsAgreed,
            300,
            "緊急連絡体制表（国・区）",
            "",
        ),
        (
            "lemscare",
            EventKind::Inspection,
            200,
            "立入り調査記録票",
            "データセンターの入退室記録を確認",
        ),
        (
            "lemscare",
            EventKind::StatusReport,
            120,
            "委託先状況報告書（半期）",
            "",
        ),
        (
            "lemscare",
            EventKind::DeletionReport,
            60,
            "電子データ消去報告書",
            "前年度分の事業所データを消去",
        ),
        (
            "kokuhoren",
            EventKind::ContactsAgreed,
            280,
            "緊急連絡先一覧（国保連）",
            "",
        ),
        (
            "municipalities",
            EventKind::IncidentConsultation,
            40,
            "協議記録（区外指定の誤送付）",
            "送付先確認の手順を追加",
        ),
    ];
    for (code, kind, ago, document, note) in rows {
        let on = today - days(ago);
        ca::insert_event(
            conn,
            &NewEvent {
                connection_code: code,
                kind,
                occurred_on: on,
                document,
                note,
            },
            &rng::stamp(on),
            "demo-reviewer",
        )?;
    }
    Ok(())
}

/// The monthly access-log review, recorded for each of the last six months.
fn access_reviews(conn: &Connection, today: NaiveDate) -> Result<()> {
    for back in 1..=6 {
        let month = rng::sub_months(today, back);
        let at = rng::stamp(rng::add_months(month.with_day(1).unwrap_or(month), 1) + days(4));
        ca::upsert_access_review(
            conn,
            &month.format("%Y-%m").to_string(),
            &at,
            "demo-approver",
            "月次報告を確認。不審な操作なし",
        )?;
    }
    Ok(())
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
    mark: Mark,
    on: NaiveDate,
) -> Result<()> {
    let input = match mark {
        Mark::Gap => MarkInput {
            mark: Some(Mark::Gap),
            note: pick(rng, gap_notes(item)).to_string(),
            owner: gap_owner(item).to_string(),
            due_on: Some(on + days(90)),
            ..Default::default()
        },
        Mark::NotNeeded => MarkInput {
            mark: Some(Mark::NotNeeded),
            note: not_needed_note(item).to_string(),
            ..Default::default()
        },
        Mark::Ok => ok_with(pick(rng, &EVIDENCE), on),
    };
    mark_row(conn, audit_id, item, &input, &rng::stamp(on))
}

/// Why the ward's own list does not need item 14–16 (it has no server of its own).
pub fn not_needed_note(item: i64) -> &'static str {
    match item {
        14 => "区はサーバを持たずウェブブラウザで利用するため、冗長化・バックアップは結合先が行う",
        15 => "区側にサーバ室はなく、端末は執務室内のみで使用",
        _ => "区はサーバを設置せず、結合先のサーバをウェブブラウザで利用する",
    }
}
