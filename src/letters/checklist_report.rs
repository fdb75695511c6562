//! The committee's checklist table for one connection and side — wording, planned value,
//! mark, note, evidence, gap owner and due date, self-checks, signer — as printable A4
//! HTML, plain text and CSV (`daicho checklist report`).

use super::{LetterError, Rendered, Template};
use crate::domain::checklist::{AuditDetail, Category, Connection, Counts, DataItem, Side};
use crate::domain::wareki;
use crate::jobs::formats::csv_out::{CsvEncoding, SheetWriter};
use crate::jobs::formats::private_file::PartialFile;
use crate::service::selfcheck::SelfCheck;
use crate::store::{Result as StoreResult, checklist_audit as ca, checklist_reference as cr};
use chrono::NaiveDate;
use serde::Serialize;
use std::io::Write;
use std::path::{Path, PathBuf};

pub const TEMPLATE: Template = Template {
    name: "checklist_report",
    html: include_str!("../../fixtures/templates/checklist_report.html.j2"),
    text: include_str!("../../fixtures/templates/checklist_report.txt.j2"),
};

/// CSV header (Japanese, as the committee's table).
pub const CSV_HEADER: [&str; 12] = [
    "番号",
    "区分",
    "情報保護対策",
    "予定",
    "結果",
    "予定との相違",
    "備考",
    "根拠資料",
    "資料の日付",
    "担当者",
    "対応期限",
    "自動点検",
];

/// Everything the report shows.
#[derive(Debug, Clone)]
pub struct ReportData {
    pub connection: Connection,
    pub side: Side,
    pub audit: AuditDetail,
    pub counts: Counts,
    pub data_items: Vec<DataItem>,
    /// Self-check results (shown beside their item); may be empty.
    pub checks: Vec<SelfCheck>,
}

/// The report of `audit_id`, or of the connection and side's latest signed audit (the
/// one in progress if none is signed). `None` when there is no audit at all.
pub fn load(
    conn: &rusqlite::Connection,
    code: &str,
    side: Side,
    audit_id: Option<i64>,
) -> StoreResult<Option<ReportData>> {
    let Some(connection) = cr::connection(conn, code)? else {
        return Ok(None);
    };
    let header = match audit_id {
        Some(id) => ca::header(conn, id)?.filter(|h| h.connection_code == code && h.side == side),
        None => match ca::latest_signed(conn, code, side)? {
            Some(h) => Some(h),
            None => ca::open_audit(conn, code, side)?,
        },
    };
    let Some(header) = header else {
        return Ok(None);
    };
    let Some(audit) = ca::detail(conn, header.id)? else {
        return Ok(None);
    };
    Ok(Some(ReportData {
        counts: ca::counts(conn, &header)?,
        data_items: cr::data_items(conn, code)?,
        connection,
        side,
        audit,
        checks: Vec::new(),
    }))
}

fn date(d: Option<NaiveDate>) -> String {
    d.map(wareki::format_long).unwrap_or_default()
}

fn time(at: &str) -> String {
    ca::signed_date(at)
        .map(wareki::format_long)
        .unwrap_or_else(|| at.to_string())
}

#[derive(Serialize)]
struct Row {
    no: i64,
    category: &'static str,
    wording: String,
    planned: &'static str,
    mark: &'static str,
    differs: bool,
    note: String,
    evidence: String,
    evidence_date: String,
    owner: String,
    due_on: String,
    checks: Vec<String>,
}

#[derive(Serialize)]
struct Group {
    title: &'static str,
    rows: Vec<Row>,
}

#[derive(Serialize)]
struct SubjectItems {
    subject: String,
    items: String,
}

#[derive(Serialize)]
struct CountsCtx {
    ok: usize,
    not_needed: usize,
    gap: usize,
    differs: usize,
}

#[derive(Serialize)]
struct Ctx {
    title: String,
    connection: String,
    partner: String,
    period: String,
    side: &'static str,
    status: &'static str,
    started: String,
    started_by: String,
    signed: String,
    signed_by: String,
    counts: CountsCtx,
    groups: Vec<Group>,
    data_items: Vec<SubjectItems>,
    generated: String,
}

fn rows(data: &ReportData) -> Vec<Row> {
    let lang = crate::i18n::Lang::Ja;
    data.audit
        .rows
        .iter()
        .map(|r| Row {
            no: r.no,
            category: r.category.label(lang),
            wording: r.wording.clone(),
            planned: r.planned.map(|m| m.symbol()).unwrap_or(""),
            mark: r.mark.map(|m| m.symbol()).unwrap_or("（未記入）"),
            differs: r.differs_from_plan(),
            note: r.note.clone(),
            evidence: r.evidence.clone(),
            evidence_date: date(r.evidence_date),
            owner: r.owner.clone(),
            due_on: date(r.due_on),
            checks: data
                .checks
                .iter()
                .filter(|c| c.item_no == r.no)
                .map(|c| {
                    format!(
                        "{}: {}（{}）",
                        c.title(lang),
                        if c.passed { "合格" } else { "不合格" },
                        c.why_ja
                    )
                })
                .collect(),
        })
        .collect()
}

fn context(data: &ReportData, today: NaiveDate) -> Ctx {
    let h = &data.audit.header;
    let c = &data.connection;
    let period = match (c.period_from, c.period_to) {
        (Some(f), Some(t)) => format!(
            "{}から{}まで{}",
            wareki::format_long(f),
            wareki::format_long(t),
            if c.renews_yearly {
                "（次年度以降も同様に結合）"
            } else {
                ""
            }
        ),
        _ => String::new(),
    };
    let (ops, sys): (Vec<Row>, Vec<Row>) = rows(data)
        .into_iter()
        .partition(|r| Category::of(r.no) == Category::Operational);
    let mut subjects: Vec<SubjectItems> = Vec::new();
    for d in &data.data_items {
        match subjects.last_mut() {
            Some(s) if s.subject == d.subject => {
                s.items.push('、');
                s.items.push_str(&d.item);
            }
            _ => subjects.push(SubjectItems {
                subject: d.subject.clone(),
                items: d.item.clone(),
            }),
        }
    }
    for s in &mut subjects {
        if s.items == "*" {
            s.items = "（区分のみ。個別の項目は付議資料にない）".into();
        }
    }
    Ctx {
        title: format!(
            "個人情報保護対策チェックリスト {} {}",
            c.name_ja,
            data.side.label(crate::i18n::Lang::Ja)
        ),
        connection: c.name_ja.clone(),
        partner: c.partner.clone(),
        period,
        side: data.side.label(crate::i18n::Lang::Ja),
        status: if h.is_signed() {
            "署名済み"
        } else {
            "点検中"
        },
        started: time(&h.started_at),
        started_by: h.started_by.clone(),
        signed: h.signed_at.as_deref().map(time).unwrap_or_default(),
        signed_by: h.signed_by.clone().unwrap_or_default(),
        counts: CountsCtx {
            ok: data.counts.ok,
            not_needed: data.counts.not_needed,
            gap: data.counts.gap,
            differs: data.counts.differs,
        },
        groups: vec![
            Group {
                title: "運用上の対策",
                rows: ops,
            },
            Group {
                title: "システム上の対策",
                rows: sys,
            },
        ],
        data_items: subjects,
        generated: wareki::format_long(today),
    }
}

/// The HTML (A4) and text renderings.
pub fn render(data: &ReportData, today: NaiveDate) -> Result<Rendered, LetterError> {
    super::render(&TEMPLATE, &context(data, today))
}

/// The table as CSV (UTF-8 with BOM, CRLF, formula cells neutralised).
pub fn write_csv(data: &ReportData, out: impl Write) -> std::io::Result<()> {
    let mut w = SheetWriter::new(out, CsvEncoding::Utf8Bom)?;
    w.row(CSV_HEADER)?;
    for r in rows(data) {
        let no = r.no.to_string();
        let checks = r.checks.join(" / ");
        w.row([
            no.as_str(),
            r.category,
            &r.wording,
            r.planned,
            r.mark,
            if r.differs { "相違" } else { "" },
            &r.note,
            &r.evidence,
            &r.evidence_date,
            &r.owner,
            &r.due_on,
            &checks,
        ])?;
    }
    w.finish()?;
    Ok(())
}

/// Where the report was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    pub html: PathBuf,
    pub text: PathBuf,
    pub csv: PathBuf,
}

/// The file stem: `checklist-<connection>-<side>-<audit id>`.
pub fn stem(data: &ReportData) -> String {
    format!(
        "checklist-{}-{}-{}",
        data.connection.code,
        data.side.code(),
        data.audit.header.id
    )
}

/// Writes HTML, text and CSV into `dir` (0700; files 0600, never replacing a file).
pub fn write(dir: &Path, data: &ReportData, today: NaiveDate) -> Result<Written, LetterError> {
    let rendered = render(data, today)?;
    let letter = super::write(dir, &stem(data), &rendered)?;
    let stem = crate::domain::text::safe_file_stem(&stem(data));
    let mut csv = PartialFile::create(dir, &format!("{stem}.csv"))?;
    write_csv(data, csv.file())?;
    let csv = csv.persist_new(|n| match n {
        0 => format!("{stem}.csv"),
        n => format!("{stem}-{n}.csv"),
    })?;
    Ok(Written {
        html: letter.html,
        text: letter.text,
        csv,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::checklist::{Mark, MarkInput};
    use crate::domain::permission::{Actor, Role};
    use crate::service::checklist as svc;
    use crate::store::Store;
    use std::os::unix::fs::PermissionsExt;

    fn audited_store() -> Store {
        let mut store = Store::open_in_memory().unwrap();
        let r = Actor {
            staff_id: "k001".into(),
            role: Role::Reviewer,
        };
        let p = Actor {
            staff_id: "p001".into(),
            role: Role::Approver,
        };
        let a = svc::start_audit(&mut store, &r, "lemscare", Side::Partner).unwrap();
        let mut last = None;
        for n in 1..=16 {
            let input = if n == 13 {
                MarkInput {
                    mark: Some(Mark::Gap),
                    note: "ログの定期分析が未実施 <script>".into(),
                    owner: "情報係".into(),
                    due_on: NaiveDate::from_ymd_opt(2025, 3, 31),
                    ..Default::default()
                }
            } else {
                MarkInput {
                    mark: Some(Mark::Ok),
                    evidence: "=契約書 第12条".into(),
                    evidence_date: NaiveDate::from_ymd_opt(2024, 7, 1),
                    ..Default::default()
                }
            };
            last = Some(
                svc::mark_item(&mut store, &r, a.header.id, n, 0, &input)
                    .unwrap()
                    .unwrap(),
            );
        }
        let v = last.unwrap().header.version;
        svc::sign_audit(&mut store, &p, a.header.id, v)
            .unwrap()
            .unwrap();
        store
    }

    #[test]
    fn report_shows_wording_marks_gap_owner_and_signer_and_writes_private_files() {
        let store = audited_store();
        let data = load(store.conn(), "lemscare", Side::Partner, None)
            .unwrap()
            .unwrap();
        assert_eq!(data.counts.gap, 1);
        let today = NaiveDate::from_ymd_opt(2025, 1, 10).unwrap();
        let r = render(&data, today).unwrap();
        assert!(r.html.contains("size: A4"));
        assert!(r.html.contains(
            "システムを提供するサーバは日本国内の法が適用される安全性が確保された環境にさせる。"
        ));
        assert!(
            r.html.contains("情報係") && r.html.contains("p001"),
            "{}",
            r.html
        );
        assert!(r.html.contains("&lt;script&gt;") && !r.html.contains("<script>"));
        assert!(r.html.contains("佐賀電算センター"));
        assert!(r.text.contains("13. [予定 ○ / 結果 ✗＊]"), "{}", r.text);
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let w = write(&out, &data, today).unwrap();
        let again = write(&out, &data, today).unwrap();
        assert_ne!(w.csv, again.csv, "never replaces a file");
        for p in [&w.html, &w.text, &w.csv] {
            let mode = std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "{}", p.display());
        }
        let csv = std::fs::read_to_string(&w.csv).unwrap();
        assert!(
            csv.starts_with("\u{feff}番号,区分,情報保護対策,予定,結果"),
            "{csv}"
        );
        assert!(
            csv.contains("'=契約書 第12条"),
            "formula neutralised: {csv}"
        );
        assert_eq!(csv.lines().count(), 17);
        assert!(
            load(store.conn(), "kokuhoren", Side::Ward, None)
                .unwrap()
                .is_none()
        );
    }
}
