//! 区外指定の同意 (介護保険法 78条の2 第4項第4号; 予防 115条の12 第2項第4号).
//!
//! Outgoing: a Shinjuku resident wants a facility elsewhere; we ask that municipality.
//! Incoming: another municipality's resident wants a Shinjuku facility; they ask us.
//! A 事前同意 (blanket prior consent) waives the per-resident request, except for the
//! service types the agreement excludes (often GH 32, 小多機 73, 看多機 77).

use super::validate::FieldError;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    Outgoing,
    Incoming,
}

impl Direction {
    pub fn code(self) -> &'static str {
        match self {
            Self::Outgoing => "outgoing",
            Self::Incoming => "incoming",
        }
    }
    pub fn from_code(s: &str) -> Option<Self> {
        [Self::Outgoing, Self::Incoming]
            .into_iter()
            .find(|d| d.code() == s)
    }
    pub fn label_ja(self) -> &'static str {
        match self {
            Self::Outgoing => "区外へ依頼",
            Self::Incoming => "区外から依頼",
        }
    }
    pub fn label_en(self) -> &'static str {
        match self {
            Self::Outgoing => "Outgoing",
            Self::Incoming => "Incoming",
        }
    }
}

/// 作成中 → 依頼済 → 受付 → 同意 / 不同意 / 事前同意 → 完了, and 取下げ while open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsentStatus {
    Draft,
    Requested,
    Received,
    Consented,
    Refused,
    Waived,
    Closed,
    Withdrawn,
}

impl ConsentStatus {
    pub const ALL: [ConsentStatus; 8] = [
        Self::Draft,
        Self::Requested,
        Self::Received,
        Self::Consented,
        Self::Refused,
        Self::Waived,
        Self::Closed,
        Self::Withdrawn,
    ];
    pub fn code(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Requested => "requested",
            Self::Received => "received",
            Self::Consented => "consented",
            Self::Refused => "refused",
            Self::Waived => "waived",
            Self::Closed => "closed",
            Self::Withdrawn => "withdrawn",
        }
    }
    pub fn from_code(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|d| d.code() == s)
    }
    pub fn label_ja(self) -> &'static str {
        match self {
            Self::Draft => "作成中",
            Self::Requested => "依頼済",
            Self::Received => "受付",
            Self::Consented => "同意",
            Self::Refused => "不同意",
            Self::Waived => "事前同意",
            Self::Closed => "完了",
            Self::Withdrawn => "取下げ",
        }
    }
    pub fn label_en(self) -> &'static str {
        match self {
            Self::Draft => "Draft",
            Self::Requested => "Requested",
            Self::Received => "Received",
            Self::Consented => "Consented",
            Self::Refused => "Refused",
            Self::Waived => "Prior consent",
            Self::Closed => "Closed",
            Self::Withdrawn => "Withdrawn",
        }
    }
    pub fn is_open(self) -> bool {
        matches!(self, Self::Draft | Self::Requested | Self::Received)
    }

    /// An answer: the outcome it records (kept when the case is closed later).
    pub fn outcome(self) -> Option<Outcome> {
        match self {
            Self::Consented => Some(Outcome::Consented),
            Self::Refused => Some(Outcome::Refused),
            Self::Waived => Some(Outcome::Waived),
            _ => None,
        }
    }

    /// The statuses reachable from this one in `direction`. Outgoing cases are drafted,
    /// sent (依頼済) and acknowledged (受付) by the other side; incoming cases arrive as 受付.
    pub fn next(self, direction: Direction) -> &'static [ConsentStatus] {
        use ConsentStatus::*;
        match (self, direction) {
            (Draft, Direction::Outgoing) => &[Requested, Waived, Withdrawn],
            (Draft, Direction::Incoming) => &[Received, Withdrawn],
            (Requested, _) => &[Received, Consented, Refused, Waived, Withdrawn],
            (Received, _) => &[Consented, Refused, Waived, Withdrawn],
            (Consented | Refused | Waived, _) => &[Closed],
            (Closed | Withdrawn, _) => &[],
        }
    }

    /// 不同意 and 取下げ must say why (the reason goes into the reply letter and history).
    pub fn needs_reason(self) -> bool {
        matches!(self, Self::Refused | Self::Withdrawn)
    }
}

/// What the counterpart (or we) answered; kept on the case after it is closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Consented,
    Refused,
    Waived,
}

impl Outcome {
    pub fn code(self) -> &'static str {
        match self {
            Self::Consented => "consented",
            Self::Refused => "refused",
            Self::Waived => "waived",
        }
    }
    pub fn from_code(s: &str) -> Option<Self> {
        [Self::Consented, Self::Refused, Self::Waived]
            .into_iter()
            .find(|o| o.code() == s)
    }
    /// Consent given, individually or by a prior consent: the designation may go ahead.
    pub fn grants(self) -> bool {
        matches!(self, Self::Consented | Self::Waived)
    }
}

/// Longest reason (不同意, 取下げ, 理由書), in characters.
pub const MAX_REASON_CHARS: usize = 500;

/// A refused status change, in both languages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConsentTransitionError {
    NotAllowed {
        from: ConsentStatus,
        to: ConsentStatus,
    },
    ReasonRequired {
        to: ConsentStatus,
    },
}

impl ConsentTransitionError {
    pub fn message(&self, ja: bool) -> String {
        match (self, ja) {
            (Self::NotAllowed { from, to }, true) => format!(
                "同意案件を「{}」から「{}」にはできません",
                from.label_ja(),
                to.label_ja()
            ),
            (Self::NotAllowed { from, to }, false) => format!(
                "a consent case cannot go from {} to {}",
                from.label_en(),
                to.label_en()
            ),
            (Self::ReasonRequired { to }, true) => {
                format!("「{}」にするには理由を入力してください", to.label_ja())
            }
            (Self::ReasonRequired { to }, false) => {
                format!("enter the reason for {}", to.label_en())
            }
        }
    }
}

pub fn check_transition(
    direction: Direction,
    from: ConsentStatus,
    to: ConsentStatus,
    reason: &str,
) -> Result<(), ConsentTransitionError> {
    if !from.next(direction).contains(&to) {
        return Err(ConsentTransitionError::NotAllowed { from, to });
    }
    if to.needs_reason() && reason.trim().is_empty() {
        return Err(ConsentTransitionError::ReasonRequired { to });
    }
    Ok(())
}

/// Our own 地方公共団体コード (新宿区): a facility with another code is 区外.
pub const WARD_CODE: &str = "131041";

/// Days after the request with no answer before a reminder is due (configurable).
pub const DEFAULT_REMINDER_DAYS: u32 = 14;

/// The reminder date of a request sent on `requested_on`.
pub fn reminder_on(requested_on: NaiveDate, reminder_days: u32) -> NaiveDate {
    requested_on + chrono::Duration::days(i64::from(reminder_days))
}

/// Waiting for the counterpart's answer past the reminder date.
pub fn is_overdue(status: ConsentStatus, due_on: Option<NaiveDate>, today: NaiveDate) -> bool {
    matches!(status, ConsentStatus::Requested | ConsentStatus::Received)
        && due_on.is_some_and(|d| d < today)
}

/// A blanket prior consent (事前同意) between us and one municipality. `direction` is the
/// request direction it waives: `Outgoing` = given to us by that municipality (our
/// residents may use its facilities), `Incoming` = given by us (its residents, ours).
#[derive(Debug, Clone, PartialEq)]
pub struct PriorConsent {
    pub municipality_code: String,
    pub direction: Direction,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
    pub excluded_services: Vec<String>,
}

impl PriorConsent {
    pub fn covers(
        &self,
        direction: Direction,
        municipality_code: &str,
        service_code: &str,
        on: NaiveDate,
    ) -> bool {
        self.direction == direction
            && self.municipality_code == municipality_code
            && on >= self.valid_from
            && self.valid_to.is_none_or(|to| on <= to)
            && !self.excluded_services.iter().any(|s| s == service_code)
    }
}

/// Whether a per-resident consent request is needed, given the prior consents on file.
pub fn request_needed(
    prior: &[PriorConsent],
    direction: Direction,
    municipality_code: &str,
    service_code: &str,
    on: NaiveDate,
) -> bool {
    !prior
        .iter()
        .any(|p| p.covers(direction, municipality_code, service_code, on))
}

/// Side labels for the 事前同意 registry.
pub fn prior_direction_label(direction: Direction, ja: bool) -> &'static str {
    match (direction, ja) {
        (Direction::Outgoing, true) => "相手から受けた事前同意",
        (Direction::Outgoing, false) => "Given to us",
        (Direction::Incoming, true) => "当区が与えた事前同意",
        (Direction::Incoming, false) => "Given by us",
    }
}

/// Parses a list of サービス種類コード (`32,73,77`; full-width digits, 、 and spaces allowed)
/// into sorted, distinct codes. A code that is not two ASCII alphanumerics is refused.
pub fn parse_service_list(s: &str) -> Result<Vec<String>, FieldError> {
    let folded = super::text::nfkc(s);
    let mut out: Vec<String> = Vec::new();
    for part in folded.split([',', '、', ' ', '/']) {
        let code = part.trim().to_ascii_uppercase();
        if code.is_empty() {
            continue;
        }
        if code.chars().count() != 2 || !code.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(FieldError::new(
                "excluded_services",
                format!(
                    "除外サービス「{code}」はサービス種類コード（2桁、例 32,73,77）ではありません"
                ),
                format!(
                    "excluded service '{code}' is not a service type code (two characters, e.g. 32,73,77)"
                ),
            ));
        }
        if !out.contains(&code) {
            out.push(code);
        }
    }
    out.sort();
    Ok(out)
}

/// The stored form of a service list: `32,73,77`.
pub fn format_service_list(codes: &[String]) -> String {
    codes.join(",")
}

/// A municipality name as typed: 2–20 characters ending in 都/道/府/県/市/区/町/村
/// (e.g. 札幌市, 北海道, 檜原村). Returns the trimmed, NFKC-normalised name.
pub fn validate_municipality_name(name: &str) -> Result<String, FieldError> {
    let name = super::text::nfkc(name.trim());
    super::text::check_free_text("municipality_name", &name, 20, false)?;
    let n = name.chars().count();
    let suffix_ok = name.ends_with(['都', '道', '府', '県', '市', '区', '町', '村']);
    if n < 2 || !suffix_ok || name.chars().any(|c| c.is_whitespace() || c.is_ascii()) {
        return Err(FieldError::new(
            "municipality_name",
            format!(
                "市区町村名「{name}」は都・道・府・県・市・区・町・村で終わる名称を入力してください（例 札幌市）"
            ),
            format!(
                "municipality name '{name}' must be a Japanese name ending in 都/道/府/県/市/区/町/村 (e.g. 札幌市)"
            ),
        ));
    }
    Ok(name)
}

/// Why an application cannot be decided yet because of 区外指定 consent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Blocker {
    /// Out-of-ward facility, no prior consent covers it, and no request is linked.
    NoRequest { municipality_code: String },
    /// A linked request is still open (作成中/依頼済/受付).
    Pending {
        consent_id: i64,
        status: ConsentStatus,
    },
    /// The municipality refused.
    Refused { consent_id: i64 },
}

impl Blocker {
    pub fn message(&self, ja: bool) -> String {
        match (self, ja) {
            (Self::NoRequest { municipality_code }, true) => format!(
                "区外の事業所です（地方公共団体コード {municipality_code}）。同意依頼を作成し、同意を記録してから決定してください"
            ),
            (Self::NoRequest { municipality_code }, false) => format!(
                "the facility is outside the ward (municipality {municipality_code}); create a consent request and record the consent before deciding"
            ),
            (Self::Pending { status, .. }, true) => format!(
                "区外指定の同意がまだありません（同意依頼は「{}」）。同意を記録してから決定してください",
                status.label_ja()
            ),
            (Self::Pending { status, .. }, false) => format!(
                "the out-of-ward consent is not recorded yet (request: {}); record the consent before deciding",
                status.label_en()
            ),
            (Self::Refused { .. }, true) => {
                "区外指定の同意依頼は不同意でした。指定はできません（却下または取下げにしてください）"
                    .into()
            }
            (Self::Refused { .. }, false) => {
                "the municipality refused consent; the designation cannot be decided (reject or withdraw it)"
                    .into()
            }
        }
    }
}

/// One consent linked to an application, as the gate sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkedConsent {
    pub id: i64,
    pub status: ConsentStatus,
    pub outcome: Option<Outcome>,
}

/// The gate on deciding an application. `facility_municipality` is the facility's code;
/// only an out-of-ward facility needs consent. Covered by a prior consent (given to us,
/// valid `on`, service not excluded): no blocker. Otherwise every linked request that was
/// not withdrawn must have granted consent, and there must be at least one.
pub fn decision_blocker(
    facility_municipality: &str,
    service_code: &str,
    on: NaiveDate,
    prior: &[PriorConsent],
    linked: &[LinkedConsent],
) -> Option<Blocker> {
    if facility_municipality == WARD_CODE || facility_municipality.is_empty() {
        return None;
    }
    if !request_needed(
        prior,
        Direction::Outgoing,
        facility_municipality,
        service_code,
        on,
    ) {
        return None;
    }
    let live: Vec<&LinkedConsent> = linked
        .iter()
        .filter(|c| c.status != ConsentStatus::Withdrawn)
        .collect();
    if let Some(r) = live
        .iter()
        .find(|c| c.outcome == Some(Outcome::Refused) || c.status == ConsentStatus::Refused)
    {
        return Some(Blocker::Refused { consent_id: r.id });
    }
    if let Some(p) = live
        .iter()
        .find(|c| !c.outcome.is_some_and(Outcome::grants))
    {
        return Some(Blocker::Pending {
            consent_id: p.id,
            status: p.status,
        });
    }
    if live.is_empty() {
        return Some(Blocker::NoRequest {
            municipality_code: facility_municipality.to_string(),
        });
    }
    None
}

/// The three letters of a consent case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LetterKind {
    /// 同意依頼書: we ask the facility's municipality (outgoing).
    Request,
    /// 同意書: we consent to another municipality's request (incoming).
    Consent,
    /// 不同意の回答: we refuse another municipality's request (incoming).
    Refusal,
}

impl LetterKind {
    pub const ALL: [LetterKind; 3] = [Self::Request, Self::Consent, Self::Refusal];
    pub fn code(self) -> &'static str {
        match self {
            Self::Request => "request",
            Self::Consent => "consent",
            Self::Refusal => "refusal",
        }
    }
    pub fn from_code(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == s)
    }
    pub fn label_ja(self) -> &'static str {
        match self {
            Self::Request => "同意依頼書",
            Self::Consent => "同意書",
            Self::Refusal => "不同意回答書",
        }
    }
    pub fn label_en(self) -> &'static str {
        match self {
            Self::Request => "Consent request letter",
            Self::Consent => "Letter of consent",
            Self::Refusal => "Letter of refusal",
        }
    }
    /// Which letter a case can produce now, if any: the request once drafted (outgoing),
    /// the reply once answered (incoming).
    pub fn for_case(
        direction: Direction,
        status: ConsentStatus,
        outcome: Option<Outcome>,
    ) -> Option<Self> {
        match direction {
            Direction::Outgoing => (status != ConsentStatus::Withdrawn).then_some(Self::Request),
            Direction::Incoming => match outcome {
                Some(Outcome::Consented) => Some(Self::Consent),
                Some(Outcome::Refused) => Some(Self::Refusal),
                _ => None,
            },
        }
    }
}

/// The insured person of a case (all personal data, DESIGN.md §3).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InsuredPerson {
    pub name: String,
    pub name_kana: String,
    pub sex: String,
    pub care_level: String,
    pub insured_number: String,
    pub dob: Option<NaiveDate>,
    pub address: String,
    pub phone: String,
    pub family_relation: String,
    pub family_name: String,
    pub care_manager_name: String,
    pub service_start_on: Option<NaiveDate>,
    pub cert_from: Option<NaiveDate>,
    pub cert_to: Option<NaiveDate>,
    pub insurer_number: String,
    /// 理由書: why this facility.
    pub reason: String,
}

/// How a masked field is shown: the birth date keeps its year only.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MaskedPerson {
    pub name: String,
    pub name_kana: String,
    pub sex: String,
    pub care_level: String,
    pub insured_number: String,
    /// `1941-**-**`, or the full date when revealed.
    pub dob: String,
    pub address: String,
    pub phone: String,
    pub family_relation: String,
    pub family_name: String,
    pub care_manager_name: String,
    pub service_start_on: Option<NaiveDate>,
    pub cert_from: Option<NaiveDate>,
    pub cert_to: Option<NaiveDate>,
    pub insurer_number: String,
    pub reason: String,
    pub revealed: bool,
}

impl InsuredPerson {
    /// Masked as DESIGN.md §3 asks: `山田 ＊＊`, 被保険者番号 with its last 4 digits,
    /// birth year only, address to the 町名; phone, family and kana hidden. Dates of
    /// service and certification are not identifying and stay.
    pub fn masked(&self) -> MaskedPerson {
        use super::mask;
        let hide = |s: &str| {
            if s.is_empty() {
                String::new()
            } else {
                mask::MASK.to_string().repeat(3)
            }
        };
        MaskedPerson {
            name: mask::name(&self.name),
            name_kana: hide(&self.name_kana),
            sex: self.sex.clone(),
            care_level: self.care_level.clone(),
            insured_number: mask::tail(&self.insured_number, 4),
            dob: self
                .dob
                .map(|d| mask::date_of_birth(&d.to_string()))
                .unwrap_or_default(),
            address: mask::address(&self.address),
            phone: if self.phone.is_empty() {
                String::new()
            } else {
                mask::tail(&self.phone, 4)
            },
            family_relation: self.family_relation.clone(),
            family_name: if self.family_name.is_empty() {
                String::new()
            } else {
                mask::name(&self.family_name)
            },
            care_manager_name: if self.care_manager_name.is_empty() {
                String::new()
            } else {
                mask::name(&self.care_manager_name)
            },
            service_start_on: self.service_start_on,
            cert_from: self.cert_from,
            cert_to: self.cert_to,
            insurer_number: self.insurer_number.clone(),
            reason: hide(&self.reason),
            revealed: false,
        }
    }

    /// Everything shown, after a reveal.
    pub fn shown(&self) -> MaskedPerson {
        MaskedPerson {
            name: self.name.clone(),
            name_kana: self.name_kana.clone(),
            sex: self.sex.clone(),
            care_level: self.care_level.clone(),
            insured_number: self.insured_number.clone(),
            dob: self.dob.map(|d| d.to_string()).unwrap_or_default(),
            address: self.address.clone(),
            phone: self.phone.clone(),
            family_relation: self.family_relation.clone(),
            family_name: self.family_name.clone(),
            care_manager_name: self.care_manager_name.clone(),
            service_start_on: self.service_start_on,
            cert_from: self.cert_from,
            cert_to: self.cert_to,
            insurer_number: self.insurer_number.clone(),
            reason: self.reason.clone(),
            revealed: true,
        }
    }

    /// Field rules for keyed data: name required; every text through the free-text rule;
    /// 被保険者番号 10 digits when given; care level a known code.
    pub fn validated(&self) -> Result<InsuredPerson, Vec<FieldError>> {
        use super::text::{check_free_text, nfkc};
        let mut p = self.clone();
        let mut errs = Vec::new();
        p.name = p.name.trim().to_string();
        p.insured_number = nfkc(p.insured_number.trim());
        if p.name.is_empty() {
            errs.push(FieldError::new(
                "person_name",
                "被保険者の氏名を入力してください",
                "enter the insured person's name",
            ));
        }
        for (field, value, max, multi) in [
            ("person_name", &p.name, 60, false),
            ("person_kana", &p.name_kana, 60, false),
            ("address", &p.address, 200, false),
            ("phone", &p.phone, 30, false),
            ("family_relation", &p.family_relation, 20, false),
            ("family_name", &p.family_name, 60, false),
            ("care_manager_name", &p.care_manager_name, 60, false),
            ("reason", &p.reason, MAX_REASON_CHARS, true),
        ] {
            if let Err(e) = check_free_text(field, value, max, multi) {
                errs.push(e);
            }
        }
        // Kana as every kana field takes it: hiragana and half-width turned to katakana.
        if !p.name_kana.trim().is_empty() {
            match super::validate::kana("person_kana", &p.name_kana) {
                Ok(k) => p.name_kana = k,
                Err(e) => errs.push(e),
            }
        }
        if !p.insured_number.is_empty()
            && (p.insured_number.len() != 10
                || !p.insured_number.chars().all(|c| c.is_ascii_digit()))
        {
            errs.push(FieldError::new(
                "insured_number",
                "被保険者番号は10桁の数字です",
                "the insured number has 10 digits",
            ));
        }
        const LEVELS: [&str; 10] = ["", "01", "06", "12", "13", "21", "22", "23", "24", "25"];
        if !LEVELS.contains(&p.care_level.as_str()) {
            errs.push(FieldError::new(
                "care_level",
                "要介護状態区分は 01, 06, 12, 13, 21〜25 のいずれかです",
                "the care level is one of 01, 06, 12, 13, 21–25",
            ));
        }
        if !matches!(p.sex.as_str(), "" | "男" | "女") {
            errs.push(FieldError::new(
                "sex",
                "性別は「男」か「女」です",
                "sex is 男 or 女",
            ));
        }
        if let (Some(from), Some(to)) = (p.cert_from, p.cert_to)
            && from > to
        {
            errs.push(FieldError::new(
                "cert_to",
                "認定有効期間の終わりが始まりより前です",
                "the certification period ends before it starts",
            ));
        }
        if errs.is_empty() { Ok(p) } else { Err(errs) }
    }
}

/// The 要介護状態区分 of a code as the 国保連 interface codes it (01 非該当, 06 事業対象者,
/// 12–13 要支援, 21–25 要介護); an unknown code as it is, an empty one as "".
pub fn care_level_label(code: &str, ja: bool) -> String {
    let (j, e) = match code {
        "01" => ("非該当", "not eligible"),
        "06" => ("事業対象者", "programme only"),
        "12" => ("要支援1", "support 1"),
        "13" => ("要支援2", "support 2"),
        "21" => ("要介護1", "care 1"),
        "22" => ("要介護2", "care 2"),
        "23" => ("要介護3", "care 3"),
        "24" => ("要介護4", "care 4"),
        "25" => ("要介護5", "care 5"),
        other => return other.to_string(),
    };
    if ja { j } else { e }.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn shibuya() -> PriorConsent {
        PriorConsent {
            municipality_code: "131130".into(),
            direction: Direction::Outgoing,
            valid_from: d(2024, 4, 1),
            valid_to: Some(d(2027, 3, 31)),
            excluded_services: vec!["32".into(), "73".into(), "77".into()],
        }
    }

    #[test]
    fn prior_consent_waives_except_excluded_services_other_direction_and_period() {
        let prior = [shibuya()];
        let out = Direction::Outgoing;
        assert!(!request_needed(&prior, out, "131130", "78", d(2025, 1, 1)));
        assert!(request_needed(&prior, out, "131130", "32", d(2025, 1, 1)));
        assert!(request_needed(&prior, out, "131016", "78", d(2025, 1, 1)));
        assert!(request_needed(&prior, out, "131130", "78", d(2027, 4, 1)));
        assert!(request_needed(&prior, out, "131130", "78", d(2024, 3, 31)));
        assert!(request_needed(
            &prior,
            Direction::Incoming,
            "131130",
            "78",
            d(2025, 1, 1)
        ));
    }

    fn linked(id: i64, status: ConsentStatus, outcome: Option<Outcome>) -> LinkedConsent {
        LinkedConsent {
            id,
            status,
            outcome,
        }
    }

    #[test]
    fn the_gate_needs_consent_only_outside_the_ward_and_without_a_covering_prior() {
        let on = d(2025, 1, 1);
        let prior = [shibuya()];
        // In-ward facility: never blocked.
        assert_eq!(decision_blocker(WARD_CODE, "78", on, &[], &[]), None);
        // Covered by the prior consent.
        assert_eq!(decision_blocker("131130", "78", on, &prior, &[]), None);
        // Excluded service, expired prior, other direction: blocked without a request.
        for (code, service, when, prior) in [
            ("131130", "32", on, vec![shibuya()]),
            ("131130", "78", d(2027, 4, 1), vec![shibuya()]),
            (
                "131130",
                "78",
                on,
                vec![PriorConsent {
                    direction: Direction::Incoming,
                    ..shibuya()
                }],
            ),
        ] {
            assert_eq!(
                decision_blocker(code, service, when, &prior, &[]),
                Some(Blocker::NoRequest {
                    municipality_code: code.into()
                }),
                "{service} {when}"
            );
        }
        let open = [linked(7, ConsentStatus::Requested, None)];
        assert_eq!(
            decision_blocker("131130", "32", on, &prior, &open),
            Some(Blocker::Pending {
                consent_id: 7,
                status: ConsentStatus::Requested
            })
        );
        let refused = [linked(8, ConsentStatus::Closed, Some(Outcome::Refused))];
        assert_eq!(
            decision_blocker("131130", "32", on, &prior, &refused),
            Some(Blocker::Refused { consent_id: 8 })
        );
        let granted = [
            linked(9, ConsentStatus::Closed, Some(Outcome::Consented)),
            linked(10, ConsentStatus::Withdrawn, None),
        ];
        assert_eq!(decision_blocker("131130", "32", on, &prior, &granted), None);
        let only_withdrawn = [linked(10, ConsentStatus::Withdrawn, None)];
        assert!(matches!(
            decision_blocker("131130", "32", on, &prior, &only_withdrawn),
            Some(Blocker::NoRequest { .. })
        ));
    }

    #[test]
    fn transitions_follow_the_direction_and_need_reasons() {
        use ConsentStatus::*;
        let out = Direction::Outgoing;
        assert!(check_transition(out, Draft, Requested, "").is_ok());
        assert!(check_transition(Direction::Incoming, Draft, Requested, "").is_err());
        assert!(check_transition(out, Requested, Consented, "").is_ok());
        assert_eq!(
            check_transition(out, Received, Refused, " "),
            Err(ConsentTransitionError::ReasonRequired { to: Refused })
        );
        assert!(check_transition(out, Received, Refused, "定員超過").is_ok());
        assert!(check_transition(out, Consented, Closed, "").is_ok());
        assert!(check_transition(out, Closed, Withdrawn, "x").is_err());
        assert!(check_transition(out, Requested, Withdrawn, "本人辞退").is_ok());
        let e = check_transition(out, Closed, Consented, "").unwrap_err();
        assert_eq!(
            e.message(true),
            "同意案件を「完了」から「同意」にはできません"
        );
        assert_eq!(
            e.message(false),
            "a consent case cannot go from Closed to Consented"
        );
        for s in ConsentStatus::ALL {
            assert_eq!(ConsentStatus::from_code(s.code()), Some(s));
        }
    }

    #[test]
    fn reminders_and_overdue() {
        assert_eq!(reminder_on(d(2024, 2, 20), 14), d(2024, 3, 5));
        let due = Some(d(2024, 3, 5));
        assert!(!is_overdue(ConsentStatus::Requested, due, d(2024, 3, 5)));
        assert!(is_overdue(ConsentStatus::Requested, due, d(2024, 3, 6)));
        assert!(is_overdue(ConsentStatus::Received, due, d(2024, 3, 6)));
        assert!(!is_overdue(ConsentStatus::Consented, due, d(2024, 3, 6)));
        assert!(!is_overdue(ConsentStatus::Draft, due, d(2024, 3, 6)));
    }

    #[test]
    fn service_lists_and_municipality_names() {
        assert_eq!(
            parse_service_list("３２、73 77,32").unwrap(),
            vec!["32", "73", "77"]
        );
        assert_eq!(parse_service_list("").unwrap(), Vec::<String>::new());
        assert_eq!(parse_service_list("a6").unwrap(), vec!["A6"]);
        let e = parse_service_list("32,GHX").unwrap_err();
        assert!(e.ja.contains("GHX"), "{}", e.ja);
        assert!(parse_service_list("321").is_err());
        assert_eq!(validate_municipality_name(" 札幌市 ").unwrap(), "札幌市");
        assert_eq!(validate_municipality_name("北海道").unwrap(), "北海道");
        for bad in [
            "",
            "市",
            "Sapporo",
            "札幌",
            "札幌 市",
            "札幌\u{202e}市",
            &"長".repeat(21),
        ] {
            assert!(validate_municipality_name(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn masking_hides_what_identifies() {
        let p = InsuredPerson {
            name: "山田 太郎".into(),
            name_kana: "ヤマダ タロウ".into(),
            insured_number: "0123456789".into(),
            dob: Some(d(1941, 5, 3)),
            address: "東京都新宿区西新宿2-8-1".into(),
            phone: "03-5555-1234".into(),
            family_name: "山田 花子".into(),
            reason: "家族の近く".into(),
            ..Default::default()
        };
        let m = p.masked();
        assert_eq!(m.name, "山田 ＊＊");
        assert_eq!(m.insured_number, "******6789");
        assert_eq!(m.dob, "1941-**-**");
        assert_eq!(m.address, "東京都新宿区西新宿＊＊＊");
        assert_eq!(m.phone, "**-****-1234");
        assert_eq!(m.name_kana, "＊＊＊");
        assert!(!m.revealed);
        let s = p.shown();
        assert_eq!(
            (s.name.as_str(), s.dob.as_str()),
            ("山田 太郎", "1941-05-03")
        );
    }

    #[test]
    fn keyed_person_is_validated() {
        let ok = InsuredPerson {
            name: " 山田 太郎 ".into(),
            name_kana: "やまだ ﾀﾛｳ".into(),
            insured_number: "０１２３４５６７８９".into(),
            care_level: "22".into(),
            sex: "男".into(),
            ..Default::default()
        }
        .validated()
        .unwrap();
        assert_eq!(
            (ok.name.as_str(), ok.insured_number.as_str()),
            ("山田 太郎", "0123456789")
        );
        assert_eq!(
            ok.name_kana, "ヤマダ タロウ",
            "hiragana and half-width become katakana"
        );
        let errs = InsuredPerson {
            name: " ".into(),
            insured_number: "12345".into(),
            care_level: "99".into(),
            address: "新宿\u{1b}[2J".into(),
            ..Default::default()
        }
        .validated()
        .unwrap_err();
        let fields: Vec<_> = errs.iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            ["person_name", "address", "insured_number", "care_level"]
        );
    }

    #[test]
    fn care_levels_read_as_words() {
        assert_eq!(care_level_label("22", true), "要介護2");
        assert_eq!(care_level_label("12", false), "support 1");
        assert_eq!(care_level_label("", true), "");
        assert_eq!(care_level_label("99", true), "99");
    }

    #[test]
    fn letters_fit_the_case() {
        use ConsentStatus::*;
        assert_eq!(
            LetterKind::for_case(Direction::Outgoing, Draft, None),
            Some(LetterKind::Request)
        );
        assert_eq!(
            LetterKind::for_case(Direction::Incoming, Received, None),
            None
        );
        assert_eq!(
            LetterKind::for_case(Direction::Incoming, Closed, Some(Outcome::Refused)),
            Some(LetterKind::Refusal)
        );
        assert_eq!(
            LetterKind::for_case(Direction::Incoming, Consented, Some(Outcome::Consented)),
            Some(LetterKind::Consent)
        );
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn service_lists_round_trip(codes in prop::collection::vec("[0-9A-Z]{2}", 0..6)) {
            let parsed = parse_service_list(&codes.join("、")).unwrap();
            prop_assert_eq!(parse_service_list(&format_service_list(&parsed)).unwrap(), parsed.clone());
            prop_assert!(parsed.windows(2).all(|w| w[0] < w[1]));
            for c in &codes { prop_assert!(parsed.contains(c)); }
        }

        #[test]
        fn parsers_never_panic_and_accepted_names_end_right(s in "\\PC{0,30}") {
            let _ = parse_service_list(&s);
            if let Ok(name) = validate_municipality_name(&s) {
                prop_assert!(name.ends_with(['都', '道', '府', '県', '市', '区', '町', '村']));
                prop_assert!(name.chars().count() <= 20);
            }
        }

        /// A prior consent never unblocks the other direction or an excluded service.
        #[test]
        fn prior_never_covers_excluded_or_other_direction(day in 0i64..4000, svc in "[0-9]{2}") {
            let on = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap() + chrono::Duration::days(day);
            let p = PriorConsent {
                municipality_code: "131130".into(),
                direction: Direction::Outgoing,
                valid_from: NaiveDate::from_ymd_opt(2020, 1, 1).unwrap(),
                valid_to: None,
                excluded_services: vec![svc.clone()],
            };
            prop_assert!(!p.covers(Direction::Outgoing, "131130", &svc, on));
            prop_assert!(!p.covers(Direction::Incoming, "131130", "99", on));
        }
    }
}
