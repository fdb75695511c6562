//! The paper intake form (紙): one field per line for the chosen kind, each field's
//! error under it (the ledger editor's messages), Tab/Down to move, Ctrl-S to register
//! after a confirmation.

use crate::domain::application::{ApplicationKind, ApplicationSource};
use crate::domain::model::FacilityFields;
use crate::domain::payload::{
    AdditionPayload, CHANGEABLE_FIELDS, ChangePayload, ClosurePayload, ClosureType, FieldChange,
    NewPayload, Payload, Period, RenewalPayload, ResumptionPayload, WithdrawalPayload,
};
use crate::domain::validate::FieldError;
use crate::i18n::Lang;
use crate::service::intake::Intake;
use crate::tui::input::LineInput;
use crate::tui::shell::Shell;
use chrono::{Datelike, NaiveDate};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

/// What the form keys in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    Change,
    New,
    Renewal,
    Closure,
    Suspension,
    Resumption,
    Addition,
    Withdrawal,
}

impl Form {
    pub const ALL: [Form; 8] = [
        Form::Change,
        Form::New,
        Form::Renewal,
        Form::Addition,
        Form::Closure,
        Form::Suspension,
        Form::Resumption,
        Form::Withdrawal,
    ];

    pub fn label(self, l: Lang) -> &'static str {
        match self {
            Form::Change => l.t("変更届出", "Change notice"),
            Form::New => l.t("新規指定申請", "New designation"),
            Form::Renewal => l.t("指定更新申請", "Renewal"),
            Form::Closure => l.t("廃止届", "Closure notice"),
            Form::Suspension => l.t("休止届", "Suspension notice"),
            Form::Resumption => l.t("再開届", "Resumption notice"),
            Form::Addition => l.t("加算届（体制等に関する届出）", "Addition notice (体制)"),
            Form::Withdrawal => l.t("指定辞退届出", "Withdrawal of a designation"),
        }
    }

    /// The kind's own fields: (key, Japanese, English).
    fn own(self) -> Vec<(&'static str, &'static str, &'static str)> {
        let facility = |v: &mut Vec<_>| {
            for f in CHANGEABLE_FIELDS {
                let (ja, en) = crate::domain::payload::field_label(f);
                v.push((f, ja, en));
            }
        };
        let mut v = Vec::new();
        match self {
            Form::Change => {
                v.push(("changed_on", "変更日", "Changed on"));
                facility(&mut v);
            }
            Form::New => {
                facility(&mut v);
                v.push(("service_code", "サービス種類コード", "Service code"));
                v.push(("effective_on", "指定予定日", "Designation from"));
                v.push(("prefecture_notified_on", "都への届出日", "Told the 都 on"));
            }
            Form::Renewal => {
                v.push(("service_code", "サービス種類コード", "Service code"));
                v.push(("current_expiry", "現在の満了日", "Current expiry"));
                v.push(("new_from", "更新後の開始日", "New period from"));
                v.push(("new_to", "更新後の満了日", "New period to"));
            }
            Form::Closure | Form::Suspension => {
                v.push(("on", "年月日", "On"));
                v.push(("reason", "理由", "Reason"));
            }
            Form::Resumption => v.push(("resume_on", "再開日", "Resumes on")),
            Form::Addition => {
                v.push(("service_code", "サービス種類コード", "Service code"));
                v.push((
                    "effective_month",
                    "適用月（2026-12）",
                    "From month (2026-12)",
                ));
                v.push(("items", "体制の項目（、区切り）", "Items (comma-separated)"));
            }
            Form::Withdrawal => {
                v.push(("service_code", "サービス種類コード", "Service code"));
                v.push(("on", "辞退の年月日", "Withdrawn on"));
                v.push(("reason", "理由", "Reason"));
            }
        }
        v
    }
}

pub struct Field {
    pub key: &'static str,
    pub ja: &'static str,
    pub en: &'static str,
    pub input: LineInput,
    pub error: Option<String>,
}

pub struct IntakeForm {
    pub form: Form,
    pub fields: Vec<Field>,
    pub at: usize,
    /// An error that names no field of the form.
    pub message: Option<String>,
    pub top: usize,
}

/// Fields every kind has; the 事業所番号 only for a facility in the ledger.
fn common(form: Form) -> Vec<(&'static str, &'static str, &'static str)> {
    let mut v = Vec::new();
    if form != Form::New {
        v.push(("provider_number", "事業所番号", "Provider number"));
    }
    v.push(("applicant_name", "申請者（法人名）", "Applicant"));
    v.push(("received_on", "受付日", "Received on"));
    v
}

impl IntakeForm {
    pub fn new(form: Form, today: NaiveDate) -> Self {
        let fields = common(form)
            .into_iter()
            .chain(form.own())
            .map(|(key, ja, en)| {
                let text = if key == "received_on" {
                    today.to_string()
                } else {
                    String::new()
                };
                Field {
                    key,
                    ja,
                    en,
                    input: LineInput::new(&text),
                    error: None,
                }
            })
            .collect();
        Self {
            form,
            fields,
            at: 0,
            message: None,
            top: 0,
        }
    }

    pub fn step(&mut self, forward: bool) {
        let n = self.fields.len();
        self.at = if forward {
            (self.at + 1) % n
        } else {
            (self.at + n - 1) % n
        };
    }

    pub fn key(&mut self, key: crossterm::event::KeyEvent) -> bool {
        let f = &mut self.fields[self.at];
        let (draw, text) = f.input.edit(key);
        if text {
            f.error = None;
        }
        draw
    }

    pub fn paste(&mut self, text: &str) -> bool {
        self.fields[self.at].input.paste(text)
    }

    /// Something was typed besides the received date filled in.
    pub fn is_dirty(&self) -> bool {
        self.fields
            .iter()
            .any(|f| f.key != "received_on" && !f.input.text().trim().is_empty())
    }

    pub fn value(&self, key: &str) -> &str {
        self.fields
            .iter()
            .find(|f| f.key == key)
            .map_or("", |f| f.input.text().trim())
    }

    /// Puts each error under its field (the first such field gets the cursor); the
    /// others in the message line.
    pub fn set_errors(&mut self, errors: &[FieldError], l: Lang) {
        self.message = None;
        let mut first = None;
        for e in errors {
            let text = if l.is_ja() {
                e.ja.clone()
            } else {
                e.en.clone()
            };
            match self.fields.iter().position(|f| f.key == e.field) {
                Some(i) => {
                    self.fields[i].error.get_or_insert(text);
                    first.get_or_insert(i);
                }
                None => {
                    self.message.get_or_insert(text);
                }
            }
        }
        if let Some(i) = first {
            self.at = i;
        }
    }

    fn date(&self, key: &'static str, errors: &mut Vec<FieldError>) -> NaiveDate {
        let text = self.value(key);
        crate::domain::wareki::parse(text).unwrap_or_else(|| {
            let label = self.fields.iter().find(|f| f.key == key);
            let (ja, en) = label.map_or(("日付", "date"), |f| (f.ja, f.en));
            errors.push(FieldError::new(
                key,
                format!(
                    "{ja}が日付として読めません。2026-11-25 や R8.11.25 の形で入力してください"
                ),
                format!("{en} is not a date; type it like 2026-11-25 or R8.11.25"),
            ));
            NaiveDate::default()
        })
    }

    fn payload(&self, errors: &mut Vec<FieldError>) -> Payload {
        match self.form {
            Form::Change => Payload::Change(ChangePayload {
                changed_on: self.date("changed_on", errors),
                changes: CHANGEABLE_FIELDS
                    .iter()
                    .filter(|f| !self.value(f).is_empty())
                    .map(|f| FieldChange {
                        field: f.to_string(),
                        before: String::new(),
                        after: self.value(f).to_string(),
                    })
                    .collect(),
            }),
            Form::New => {
                let mut facility = FacilityFields::default();
                for f in CHANGEABLE_FIELDS {
                    facility.set(f, self.value(f).to_string());
                }
                let told = self.value("prefecture_notified_on");
                Payload::New(NewPayload {
                    facility,
                    service_code: self.value("service_code").to_string(),
                    effective_on: self.date("effective_on", errors),
                    prefecture_notified_on: if told.is_empty() {
                        None
                    } else {
                        Some(self.date("prefecture_notified_on", errors))
                    },
                })
            }
            Form::Renewal => Payload::Renewal(RenewalPayload {
                service_code: self.value("service_code").to_string(),
                current_expiry: self.date("current_expiry", errors),
                new_period: Period {
                    from: self.date("new_from", errors),
                    to: self.date("new_to", errors),
                },
            }),
            Form::Closure | Form::Suspension => Payload::Closure(ClosurePayload {
                what: if self.form == Form::Closure {
                    ClosureType::Closure
                } else {
                    ClosureType::Suspension
                },
                on: self.date("on", errors),
                reason: self.value("reason").to_string(),
            }),
            Form::Resumption => Payload::Resumption(ResumptionPayload {
                resume_on: self.date("resume_on", errors),
            }),
            Form::Addition => Payload::Addition(AdditionPayload {
                service_code: self.value("service_code").to_string(),
                effective_month: self.month("effective_month", errors),
                items: self
                    .value("items")
                    .split(['、', ',', '，'])
                    .map(str::trim)
                    .filter(|i| !i.is_empty())
                    .map(str::to_string)
                    .collect(),
            }),
            Form::Withdrawal => Payload::Withdrawal(WithdrawalPayload {
                service_code: self.value("service_code").to_string(),
                on: self.date("on", errors),
                reason: self.value("reason").to_string(),
            }),
        }
    }

    /// A month as `2026-12` (or any date in it: its first day).
    fn month(&self, key: &'static str, errors: &mut Vec<FieldError>) -> NaiveDate {
        let text = self.value(key);
        crate::domain::checklist::parse_month(text)
            .ok()
            .or_else(|| crate::domain::wareki::parse(text).and_then(|d| d.with_day(1)))
            .unwrap_or_else(|| {
                errors.push(FieldError::new(
                    key,
                    "適用月が読めません。2026-12 の形で入力してください",
                    "the month is not readable; type it like 2026-12",
                ));
                NaiveDate::default()
            })
    }

    /// The case to register, or every error found without the ledger (dates, the
    /// ledger editor's field rules, required fields).
    pub fn intake(&self) -> Result<Intake, Vec<FieldError>> {
        let mut errors = Vec::new();
        let received_on = self.date("received_on", &mut errors);
        if self.form != Form::New && self.value("provider_number").is_empty() {
            errors.push(FieldError::new(
                "provider_number",
                "事業所番号を入力してください",
                "enter the provider number",
            ));
        }
        if self.value("applicant_name").is_empty() {
            errors.push(FieldError::new(
                "applicant_name",
                "申請者（法人名）を入力してください",
                "enter the applicant (the corporation's name)",
            ));
        }
        let payload = self.payload(&mut errors);
        if errors.is_empty()
            && let Err(e) = payload.validated()
        {
            errors.extend(e);
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        debug_assert_eq!(
            payload.kind() == ApplicationKind::NewDesignation,
            self.form == Form::New
        );
        Ok(Intake {
            source: ApplicationSource::Paper,
            external_id: None,
            provider_number: self.value("provider_number").to_string(),
            applicant_name: self.value("applicant_name").to_string(),
            received_on,
            payload,
            documents: Vec::new(),
        })
    }

    /// What the confirmation lists: each filled field, label and value.
    pub fn summary(&self, l: Lang) -> String {
        let mut out = if l.is_ja() {
            format!("紙の「{}」を受付として登録します。", self.form.label(l))
        } else {
            format!("Register this paper {} as received.", self.form.label(l))
        };
        for f in self
            .fields
            .iter()
            .filter(|f| !f.input.text().trim().is_empty())
        {
            out.push_str(&format!(
                "\n  {}: {}",
                l.t(f.ja, f.en),
                f.input.text().trim()
            ));
        }
        out.push('\n');
        out.push_str(l.t(
            "登録後、案件を開きます。よろしいですか？",
            "The new case opens afterwards. Go ahead?",
        ));
        out
    }
}

pub fn render(frame: &mut Frame<'_>, area: Rect, f: &mut IntakeForm, sh: &Shell) {
    let (ui, l) = (&sh.ui, sh.lang());
    let title = format!(
        "{} {}  {}",
        l.t("紙の申請を受付:", "Paper intake:"),
        f.form.label(l),
        l.t(
            "(Tab/Down 次の項目  S-Tab/Up 前の項目)",
            "(Tab/Down next field, S-Tab/Up previous)"
        )
    );
    let hint = match f.form {
        Form::Change => l.t(
            "変わる項目だけ新しい値を入力してください（空欄は変更なし）",
            "Type new values only for the fields that change (blank: unchanged)",
        ),
        Form::New => l.t(
            "事業所番号は決定のときに付番します。日付は 2026-11-25 や R8.11.25 の形で",
            "The provider number is assigned at the decision. Dates like 2026-11-25",
        ),
        _ => l.t(
            "日付は 2026-11-25 や R8.11.25 の形で入力してください",
            "Type dates like 2026-11-25 or R8.11.25",
        ),
    };
    let mut lines = vec![
        Line::styled(title, ui.theme.title),
        Line::styled(hint, ui.theme.dim),
    ];
    if let Some(m) = &f.message {
        lines.push(Line::styled(m.clone(), ui.theme.error));
    }
    let head = lines.len();
    // (field index, line) pairs: a field's row and its error row.
    let mut rows: Vec<(usize, Option<&str>)> = Vec::new();
    for (i, fld) in f.fields.iter().enumerate() {
        rows.push((i, None));
        if let Some(e) = &fld.error {
            rows.push((i, Some(e.as_str())));
        }
    }
    let height = (area.height as usize).saturating_sub(head).max(1);
    let at_row = rows.iter().position(|(i, _)| *i == f.at).unwrap_or(0);
    if at_row < f.top {
        f.top = at_row;
    } else if at_row + 1 >= f.top + height {
        f.top = (at_row + 2).saturating_sub(height);
    }
    let label_w = 22u16;
    frame.render_widget(
        Paragraph::new(lines),
        Rect::new(area.x, area.y, area.width, head as u16),
    );
    for (n, (i, err)) in rows.iter().skip(f.top).take(height).enumerate() {
        let y = area.y + (head + n) as u16;
        let fld = &f.fields[*i];
        if let Some(e) = err {
            frame.render_widget(
                Paragraph::new(Line::styled(format!("    {e}"), ui.theme.error)),
                Rect::new(area.x, y, area.width, 1),
            );
            continue;
        }
        let gutter = if *i == f.at { ui.glyphs.cursor } else { " " };
        let label = crate::tui::widgets::text::fit(
            &format!("{gutter}{}", l.t(fld.ja, fld.en)),
            label_w as usize,
            ui.glyphs.ellipsis,
        );
        let style = if *i == f.at {
            ui.theme.selected
        } else {
            ui.theme.base
        };
        frame.render_widget(
            Paragraph::new(Line::styled(label, style)),
            Rect::new(area.x, y, label_w, 1),
        );
        fld.input.render(
            frame,
            Rect::new(area.x + label_w, y, area.width.saturating_sub(label_w), 1),
            *i == f.at,
        );
    }
}
