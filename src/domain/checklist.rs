//! The privacy checklist (外部結合に係る個人情報保護対策チェックリスト, DESIGN.md §4):
//! sides, marks, the 16 items, audit rules (resume, sign, supersede), the next-due rule
//! and the view types the store returns. No I/O.

use super::validate::FieldError;
use crate::i18n::Lang;
use chrono::{Months, NaiveDate};

/// Number of measures on each list.
pub const ITEMS: i64 = 16;
/// Items 1–5 are 【運用上の対策】, 6–16 【システム上の対策】.
pub const LAST_OPERATIONAL_ITEM: i64 = 5;
/// Default audit interval when the database holds none (`checklist.audit_interval_months`).
pub const DEFAULT_INTERVAL_MONTHS: u32 = 12;
/// `app_meta` key of the audit interval.
pub const META_INTERVAL_MONTHS: &str = "checklist.audit_interval_months";

pub const MAX_NOTE_CHARS: usize = 500;
pub const MAX_EVIDENCE_CHARS: usize = 200;
pub const MAX_OWNER_CHARS: usize = 60;

/// Which of the two lists: what the ward does, or what the partner is made to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Side {
    Ward,
    Partner,
}

impl Side {
    pub const ALL: [Side; 2] = [Side::Ward, Side::Partner];
    pub fn code(self) -> &'static str {
        match self {
            Side::Ward => "ward",
            Side::Partner => "partner",
        }
    }
    pub fn from_code(s: &str) -> Option<Side> {
        Side::ALL.into_iter().find(|x| x.code() == s)
    }
    /// The list's title as the committee paper words it.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Side::Ward => lang.t("区が行う情報保護対策", "measures the ward takes"),
            Side::Partner => lang.t(
                "結合先に行わせる情報保護対策",
                "measures the partner is made to take",
            ),
        }
    }
}

/// ○ in place, ー not needed, ✗ a gap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mark {
    Ok,
    NotNeeded,
    Gap,
}

impl Mark {
    pub const ALL: [Mark; 3] = [Mark::Ok, Mark::NotNeeded, Mark::Gap];
    /// The stored code (`checklist_mark.mark`, `checklist_planned.planned`).
    pub fn code(self) -> &'static str {
        match self {
            Mark::Ok => "ok",
            Mark::NotNeeded => "na",
            Mark::Gap => "gap",
        }
    }
    pub fn from_code(s: &str) -> Option<Mark> {
        Mark::ALL.into_iter().find(|m| m.code() == s)
    }
    /// The paper's symbol.
    pub fn symbol(self) -> &'static str {
        match self {
            Mark::Ok => "○",
            Mark::NotNeeded => "ー",
            Mark::Gap => "✗",
        }
    }
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Mark::Ok => lang.t("実施", "in place"),
            Mark::NotNeeded => lang.t("不要", "not needed"),
            Mark::Gap => lang.t("未対応", "gap"),
        }
    }
}

/// A planned value as the committee paper writes it: `○` or `ー` (also the long-vowel
/// look-alikes `－`, `-`, `―` that PDF extraction produces). A plan never says ✗.
pub fn parse_planned(s: &str) -> Option<Mark> {
    match s.trim() {
        "○" | "〇" | "◯" => Some(Mark::Ok),
        "ー" | "－" | "-" | "―" | "‐" => Some(Mark::NotNeeded),
        _ => None,
    }
}

/// 【運用上の対策】 or 【システム上の対策】.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Category {
    Operational,
    System,
}

impl Category {
    pub fn of(item_no: i64) -> Category {
        if item_no <= LAST_OPERATIONAL_ITEM {
            Category::Operational
        } else {
            Category::System
        }
    }
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Category::Operational => lang.t("運用上の対策", "operational measures"),
            Category::System => lang.t("システム上の対策", "system measures"),
        }
    }
}

/// An item number 1–16, or the field error naming it.
pub fn item_no(n: i64) -> Result<i64, FieldError> {
    if (1..=ITEMS).contains(&n) {
        Ok(n)
    } else {
        Err(FieldError::new(
            "item",
            format!("項目番号 {n} はありません。1〜{ITEMS} の番号を指定してください"),
            format!("there is no item {n}; give a number from 1 to {ITEMS}"),
        ))
    }
}

/// Measures that are events, not states: what was recorded and which item it backs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    /// Item 2: an on-site inspection of the partner.
    Inspection,
    /// Item 2: a status report the partner sent.
    StatusReport,
    /// Item 3: the partner's report that data was deleted.
    DeletionReport,
    /// Item 4: emergency contacts and procedures agreed.
    ContactsAgreed,
    /// Item 5: a consultation after an incident or a change of measures.
    IncidentConsultation,
}

impl EventKind {
    pub const ALL: [EventKind; 5] = [
        Self::Inspection,
        Self::StatusReport,
        Self::DeletionReport,
        Self::ContactsAgreed,
        Self::IncidentConsultation,
    ];
    pub fn code(self) -> &'static str {
        match self {
            Self::Inspection => "inspection",
            Self::StatusReport => "status_report",
            Self::DeletionReport => "deletion_report",
            Self::ContactsAgreed => "contacts_agreed",
            Self::IncidentConsultation => "incident_consultation",
        }
    }
    pub fn from_code(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == s)
    }
    pub fn item(self) -> i64 {
        match self {
            Self::Inspection | Self::StatusReport => 2,
            Self::DeletionReport => 3,
            Self::ContactsAgreed => 4,
            Self::IncidentConsultation => 5,
        }
    }
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Self::Inspection => lang.t("立入り調査", "on-site inspection"),
            Self::StatusReport => lang.t("状況報告", "status report"),
            Self::DeletionReport => lang.t("消去報告書の受領", "deletion report received"),
            Self::ContactsAgreed => lang.t("緊急連絡体制の確認", "emergency contacts agreed"),
            Self::IncidentConsultation => lang.t("事故・変更時の協議", "incident consultation"),
        }
    }
}

/// What staff enter for one item.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MarkInput {
    pub mark: Option<Mark>,
    pub note: String,
    /// Evidence: the document (契約書 第12条, 委託先報告書 …) and its date.
    pub evidence: String,
    pub evidence_date: Option<NaiveDate>,
    /// For a gap: who fixes it, and by when.
    pub owner: String,
    pub due_on: Option<NaiveDate>,
}

impl MarkInput {
    pub fn new(mark: Mark) -> Self {
        MarkInput {
            mark: Some(mark),
            ..Default::default()
        }
    }

    /// Checks the input: a mark is given; a gap has an owner and a due date; owner and
    /// due date belong to gaps only; an evidence date needs the document it dates.
    /// Text is trimmed; the free-text rule (length, control characters) is the service's.
    pub fn validated(&self) -> Result<MarkInput, Vec<FieldError>> {
        let mut errs = Vec::new();
        let clean = MarkInput {
            mark: self.mark,
            note: self.note.trim().to_string(),
            evidence: self.evidence.trim().to_string(),
            evidence_date: self.evidence_date,
            owner: self.owner.trim().to_string(),
            due_on: self.due_on,
        };
        match clean.mark {
            None => errs.push(FieldError::new(
                "mark",
                "〇（実施）・ー（不要）・✗（未対応）のいずれかを選んでください",
                "choose ○ (in place), ー (not needed) or ✗ (gap)",
            )),
            Some(Mark::Gap) => {
                if clean.owner.is_empty() {
                    errs.push(FieldError::new(
                        "owner",
                        "未対応の項目には担当者を入力してください",
                        "a gap needs an owner: enter who will fix it",
                    ));
                }
                if clean.due_on.is_none() {
                    errs.push(FieldError::new(
                        "due_on",
                        "未対応の項目には対応期限を入力してください",
                        "a gap needs a due date: enter by when it will be fixed",
                    ));
                }
            }
            Some(_) => {
                if !clean.owner.is_empty() || clean.due_on.is_some() {
                    errs.push(FieldError::new(
                        "owner",
                        "担当者と対応期限は未対応（✗）の項目にだけ入力します",
                        "owner and due date belong to gaps (✗) only; clear them or mark the item ✗",
                    ));
                }
            }
        }
        if clean.evidence_date.is_some() && clean.evidence.is_empty() {
            errs.push(FieldError::new(
                "evidence",
                "根拠資料の日付に対応する資料名を入力してください",
                "an evidence date needs the document it dates: enter the document",
            ));
        }
        if errs.is_empty() {
            Ok(clean)
        } else {
            Err(errs)
        }
    }
}

/// Where an interrupted audit resumes: the first item without a mark (1-based), or
/// `None` when every item is marked.
pub fn resume_at(marked: &[i64]) -> Option<i64> {
    (1..=ITEMS).find(|n| !marked.contains(n))
}

/// Why an audit cannot be signed yet, if it cannot.
pub fn sign_blocker(marked: &[i64]) -> Option<FieldError> {
    let missing: Vec<String> = (1..=ITEMS)
        .filter(|n| !marked.contains(n))
        .map(|n| n.to_string())
        .collect();
    if missing.is_empty() {
        return None;
    }
    let list = missing.join(", ");
    Some(FieldError::new(
        "items",
        format!("未記入の項目（{list}）があるため署名できません。すべての項目に印を付けてください"),
        format!("items {list} have no mark yet; mark every item before signing"),
    ))
}

/// When the next audit is due: `interval_months` after the last signature; `None` when
/// never audited (due now).
pub fn next_due(last_signed: Option<NaiveDate>, interval_months: u32) -> Option<NaiveDate> {
    last_signed.and_then(|d| d.checked_add_months(Months::new(interval_months)))
}

/// Overdue when never signed, or when `today` is past the next due date.
pub fn is_overdue(last_signed: Option<NaiveDate>, interval_months: u32, today: NaiveDate) -> bool {
    next_due(last_signed, interval_months).is_none_or(|due| today > due)
}

/// An audit interval as typed (months, 1–60).
pub fn parse_interval(s: &str) -> Result<u32, FieldError> {
    let bad = || {
        FieldError::new(
            "interval",
            format!("点検の間隔「{s}」は 1〜60 の月数で入力してください"),
            format!("audit interval {s:?}: give a number of months from 1 to 60"),
        )
    };
    let n: u32 = super::text::nfkc(s.trim()).parse().map_err(|_| bad())?;
    if (1..=60).contains(&n) {
        Ok(n)
    } else {
        Err(bad())
    }
}

/// A month as `YYYY-MM` (the monthly access review).
pub fn parse_month(s: &str) -> Result<NaiveDate, FieldError> {
    let t = s.trim();
    let ok = t.len() == 7 && t.as_bytes()[4] == b'-';
    ok.then(|| NaiveDate::parse_from_str(&format!("{t}-01"), "%Y-%m-%d").ok())
        .flatten()
        .ok_or_else(|| {
            FieldError::new(
                "month",
                format!("年月「{s}」は YYYY-MM の形で指定してください（例 2024-03）"),
                format!("month {s:?}: give it as YYYY-MM (e.g. 2024-03)"),
            )
        })
}

/// The month whose access log should have been reviewed by `today`: the previous one.
pub fn month_due_for_review(today: NaiveDate) -> String {
    today
        .checked_sub_months(Months::new(1))
        .unwrap_or(today)
        .format("%Y-%m")
        .to_string()
}

// ---- view types (returned by `store::checklist_audit`) ----

/// One of the 16 measures with both lists' wording.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub no: i64,
    pub category: Category,
    /// Short label for narrow screens.
    pub label_ja: String,
    pub label_en: String,
    /// The committee paper's wording on the ward's list (区が行う).
    pub ward_ja: String,
    /// … and on the partner's list (結合先に行わせる).
    pub partner_ja: String,
}

impl Item {
    pub fn wording(&self, side: Side) -> &str {
        match side {
            Side::Ward => &self.ward_ja,
            Side::Partner => &self.partner_ja,
        }
    }
}

/// An external connection with its period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Connection {
    pub code: String,
    pub name_ja: String,
    pub name_en: String,
    pub partner: String,
    pub period_from: Option<NaiveDate>,
    pub period_to: Option<NaiveDate>,
    pub renews_yearly: bool,
    /// `seed` (the committee paper) or `ward` (the ward's own extension).
    pub source: String,
}

impl Connection {
    pub fn name(&self, lang: Lang) -> &str {
        if lang.is_ja() {
            &self.name_ja
        } else {
            &self.name_en
        }
    }
}

/// One 結合される情報項目: whose data and which item (`*` = the whole subject).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataItem {
    pub subject: String,
    pub item: String,
}

/// Whether `(subject, item)` is among `allowed`.
pub fn data_item_allowed(allowed: &[DataItem], subject: &str, item: &str) -> bool {
    allowed
        .iter()
        .any(|d| d.subject == subject && (d.item == "*" || d.item == item))
}

/// An audit's header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditHeader {
    pub id: i64,
    pub connection_code: String,
    pub side: Side,
    pub started_at: String,
    pub started_by: String,
    pub signed_at: Option<String>,
    pub signed_by: Option<String>,
    /// The signed audit this one replaced when it was signed.
    pub supersedes: Option<i64>,
    pub version: i64,
    /// Items marked so far.
    pub marked: i64,
}

impl AuditHeader {
    pub fn is_signed(&self) -> bool {
        self.signed_at.is_some()
    }
}

/// One row of an audit: the item, its plan and what was marked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemRow {
    pub no: i64,
    pub category: Category,
    pub label_ja: String,
    pub label_en: String,
    /// The wording on this side's list.
    pub wording: String,
    pub planned: Option<Mark>,
    pub mark: Option<Mark>,
    pub note: String,
    pub evidence: String,
    pub evidence_date: Option<NaiveDate>,
    pub owner: String,
    pub due_on: Option<NaiveDate>,
    pub marked_at: String,
    pub marked_by: String,
    /// Row version for optimistic locking (0 = not marked yet).
    pub version: i64,
}

impl ItemRow {
    /// Marked differently from the committee's plan (a gap always differs).
    pub fn differs_from_plan(&self) -> bool {
        matches!((self.planned, self.mark), (Some(p), Some(m)) if p != m)
    }
}

/// An audit with its 16 rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditDetail {
    pub header: AuditHeader,
    pub rows: Vec<ItemRow>,
}

impl AuditDetail {
    pub fn resume_at(&self) -> Option<i64> {
        let marked: Vec<i64> = self
            .rows
            .iter()
            .filter(|r| r.mark.is_some())
            .map(|r| r.no)
            .collect();
        resume_at(&marked)
    }
}

/// Counts of marks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub ok: usize,
    pub not_needed: usize,
    pub gap: usize,
    /// Items whose mark differs from the plan.
    pub differs: usize,
}

/// One cell of the status matrix: a connection and side.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatrixRow {
    pub connection: Connection,
    pub side: Side,
    /// The latest signed audit and its counts.
    pub last: Option<AuditHeader>,
    pub counts: Counts,
    pub next_due: Option<NaiveDate>,
    pub overdue: bool,
    /// The audit in progress, if any.
    pub open: Option<AuditHeader>,
}

/// A gap of a latest signed audit, for the open-gaps list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenGap {
    pub audit_id: i64,
    pub connection_code: String,
    pub connection_name_ja: String,
    pub side: Side,
    pub item_no: i64,
    pub label_ja: String,
    pub note: String,
    pub owner: String,
    pub due_on: Option<NaiveDate>,
}

/// One item in one audit, for an item's history across audits (newest first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryEntry {
    pub audit_id: i64,
    pub signed_at: Option<String>,
    pub signed_by: Option<String>,
    pub mark: Mark,
    pub note: String,
    pub evidence: String,
    pub evidence_date: Option<NaiveDate>,
    pub owner: String,
    pub due_on: Option<NaiveDate>,
    pub marked_by: String,
}

/// A recorded event (items 2–5).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub id: i64,
    pub connection_code: String,
    pub kind: EventKind,
    pub occurred_on: NaiveDate,
    pub document: String,
    pub note: String,
    pub recorded_at: String,
    pub recorded_by: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn codes_round_trip_and_categories_split_at_five() {
        for m in Mark::ALL {
            assert_eq!(Mark::from_code(m.code()), Some(m));
        }
        for s in Side::ALL {
            assert_eq!(Side::from_code(s.code()), Some(s));
        }
        for k in EventKind::ALL {
            assert_eq!(EventKind::from_code(k.code()), Some(k));
            assert!((2..=5).contains(&k.item()));
        }
        assert_eq!(Category::of(5), Category::Operational);
        assert_eq!(Category::of(6), Category::System);
        assert_eq!(Side::from_code("区"), None);
    }

    #[test]
    fn planned_symbols_as_the_paper_prints_them() {
        assert_eq!(parse_planned("○"), Some(Mark::Ok));
        assert_eq!(parse_planned(" ー "), Some(Mark::NotNeeded));
        assert_eq!(parse_planned("－"), Some(Mark::NotNeeded));
        assert_eq!(parse_planned("✗"), None);
        assert_eq!(parse_planned(""), None);
    }

    #[test]
    fn a_gap_needs_owner_and_due_date() {
        let mut gap = MarkInput::new(Mark::Gap);
        let errs = gap.validated().unwrap_err();
        let fields: Vec<_> = errs.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["owner", "due_on"]);
        gap.owner = " 情報係 山田 ".into();
        gap.due_on = Some(d("2025-03-31"));
        assert_eq!(gap.validated().unwrap().owner, "情報係 山田");
        let mut ok = MarkInput::new(Mark::Ok);
        ok.owner = "山田".into();
        assert_eq!(ok.validated().unwrap_err()[0].field, "owner");
        let mut dated = MarkInput::new(Mark::Ok);
        dated.evidence_date = Some(d("2024-07-01"));
        assert_eq!(dated.validated().unwrap_err()[0].field, "evidence");
        assert_eq!(
            MarkInput::default().validated().unwrap_err()[0].field,
            "mark"
        );
    }

    #[test]
    fn resume_and_sign_rules() {
        assert_eq!(resume_at(&[]), Some(1));
        assert_eq!(resume_at(&[1, 2, 3, 5]), Some(4));
        let all: Vec<i64> = (1..=ITEMS).collect();
        assert_eq!(resume_at(&all), None);
        assert!(sign_blocker(&all).is_none());
        let e = sign_blocker(&[1, 2]).unwrap();
        assert!(e.ja.contains("3, 4") && e.en.contains("16"), "{}", e.ja);
    }

    #[test]
    fn next_due_is_interval_months_after_signing() {
        let signed = d("2024-03-31");
        assert_eq!(next_due(Some(signed), 12), Some(d("2025-03-31")));
        assert_eq!(next_due(Some(d("2024-01-31")), 1), Some(d("2024-02-29")));
        assert!(!is_overdue(Some(signed), 12, d("2025-03-31")));
        assert!(is_overdue(Some(signed), 12, d("2025-04-01")));
        assert!(is_overdue(None, 12, d("2025-04-01")));
        assert_eq!(month_due_for_review(d("2025-01-15")), "2024-12");
    }

    #[test]
    fn interval_and_month_parsers() {
        assert_eq!(parse_interval("１２"), Ok(12));
        assert!(parse_interval("0").is_err());
        assert!(parse_interval("61").is_err());
        assert_eq!(parse_month("2024-03"), Ok(d("2024-03-01")));
        assert!(parse_month("2024-3").is_err());
        assert!(parse_month("2024-13").is_err());
    }

    #[test]
    fn data_items_match_by_subject_and_item_or_wildcard() {
        let allowed = vec![
            DataItem {
                subject: "事業所情報".into(),
                item: "事業所名称".into(),
            },
            DataItem {
                subject: "従事者情報".into(),
                item: "*".into(),
            },
        ];
        assert!(data_item_allowed(&allowed, "事業所情報", "事業所名称"));
        assert!(!data_item_allowed(&allowed, "事業所情報", "管理者生年月日"));
        assert!(data_item_allowed(&allowed, "従事者情報", "生年月日"));
        assert!(!data_item_allowed(&allowed, "申請者情報", "法人名称"));
    }

    proptest! {
        #[test]
        fn parse_interval_accepts_exactly_1_to_60(n in 0u32..200) {
            prop_assert_eq!(parse_interval(&n.to_string()).is_ok(), (1..=60).contains(&n));
        }

        #[test]
        fn parse_month_never_panics_and_round_trips(s in "\\PC{0,10}", y in 1900i32..2200, m in 1u32..=12) {
            let _ = parse_month(&s);
            let text = format!("{y:04}-{m:02}");
            prop_assert_eq!(parse_month(&text).map(|d| d.format("%Y-%m").to_string()), Ok(text));
        }

        #[test]
        fn resume_at_is_the_smallest_unmarked(marked in proptest::collection::vec(1i64..=16, 0..20)) {
            match resume_at(&marked) {
                Some(n) => {
                    prop_assert!(!marked.contains(&n));
                    prop_assert!((1..n).all(|k| marked.contains(&k)));
                }
                None => prop_assert!((1..=ITEMS).all(|k| marked.contains(&k))),
            }
            prop_assert_eq!(sign_blocker(&marked).is_none(), resume_at(&marked).is_none());
        }

        #[test]
        fn validated_gap_always_has_owner_and_due(owner in "\\PC{0,8}", due in proptest::option::of(0i64..3000)) {
            let input = MarkInput {
                mark: Some(Mark::Gap),
                owner,
                due_on: due.map(|n| d("2024-01-01") + chrono::Days::new(n as u64)),
                ..Default::default()
            };
            if let Ok(v) = input.validated() {
                prop_assert!(!v.owner.is_empty() && v.due_on.is_some());
            }
        }
    }
}
