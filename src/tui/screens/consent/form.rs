//! The form that creates a consent case: an outgoing request (資料14-2, our resident, a
//! facility in another municipality) or an incoming one keyed in (資料14-3, their
//! resident, a ward facility). Dates are read here; the domain and the service check
//! the rest and their refusals come back under the fields. A municipality code with no
//! name on file adds two fields for its name, typed once.

use crate::domain::consent::{Direction, InsuredPerson};
use crate::domain::validate::FieldError;
use crate::query::consent::write::CaseDraft;
use crate::tui::i18n::Lang;
use crate::tui::input::LineInput;
use crate::tui::ui::Ui;
use crate::tui::widgets::text::fit;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// One field: its name (as the service names refusals), labels and a hint.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    pub name: &'static str,
    ja: &'static str,
    en: &'static str,
    hint_ja: &'static str,
    hint_en: &'static str,
}

pub const fn f(
    name: &'static str,
    ja: &'static str,
    en: &'static str,
    hint_ja: &'static str,
    hint_en: &'static str,
) -> Field {
    Field {
        name,
        ja,
        en,
        hint_ja,
        hint_en,
    }
}

const MUNI_NAME: Field = f(
    "municipality_name",
    "市区町村名",
    "Municipality",
    "例 横浜市",
    "e.g. 横浜市",
);
const MUNI_KANA: Field = f(
    "municipality_kana",
    "市区町村名カナ",
    "Its reading",
    "空欄可",
    "optional",
);

const OUTGOING: &[Field] = &[
    f(
        "application_id",
        "申請番号",
        "Application",
        "受付の番号・空欄可",
        "optional",
    ),
    f(
        "provider_number",
        "事業所番号",
        "Provider no.",
        "区外の事業所",
        "outside the ward",
    ),
    f(
        "facility_name",
        "事業所名",
        "Facility name",
        "台帳にないとき",
        "if not in the ledger",
    ),
    f(
        "municipality_code",
        "相手先コード",
        "Municipality",
        "空欄: 事業所の所在地",
        "blank: the facility's",
    ),
    f(
        "service_code",
        "サービス種類",
        "Service code",
        "例 32, 78",
        "e.g. 32, 78",
    ),
    f("person_name", "被保険者氏名", "Insured name", "", ""),
    f("person_kana", "フリガナ", "Reading", "", ""),
    f(
        "insured_number",
        "被保険者番号",
        "Insured no.",
        "10桁",
        "10 digits",
    ),
    f("dob", "生年月日", "Born", "例 S20.4.1", "e.g. 1945-04-01"),
    f(
        "service_start_on",
        "利用開始希望日",
        "Wanted start",
        "例 R8.12.1",
        "e.g. 2026-12-01",
    ),
    f(
        "reason",
        "理由書",
        "Reason",
        "事業所を選ぶ理由",
        "why this facility",
    ),
    f(
        "document_ref",
        "文書番号",
        "Document no.",
        "空欄可",
        "optional",
    ),
];

const INCOMING: &[Field] = &[
    f(
        "municipality_code",
        "依頼元コード",
        "Municipality",
        "6桁のコード",
        "6-digit code",
    ),
    f(
        "provider_number",
        "事業所番号",
        "Provider no.",
        "区内の事業所",
        "the ward facility",
    ),
    f(
        "service_code",
        "サービス種類",
        "Service code",
        "例 32, 78",
        "e.g. 32, 78",
    ),
    f("person_name", "被保険者氏名", "Insured name", "", ""),
    f("person_kana", "フリガナ", "Reading", "", ""),
    f(
        "insured_number",
        "被保険者番号",
        "Insured no.",
        "10桁",
        "10 digits",
    ),
    f("dob", "生年月日", "Born", "例 S20.4.1", "e.g. 1945-04-01"),
    f(
        "document_ref",
        "文書番号",
        "Document no.",
        "依頼文書の番号",
        "their letter's number",
    ),
];

#[derive(Debug, Clone)]
pub struct CaseForm {
    pub direction: Direction,
    pub fields: Vec<Field>,
    pub inputs: Vec<LineInput>,
    pub focus: usize,
    pub errors: Vec<FieldError>,
    pub saving: bool,
    /// The code whose name is asked (the two fields at the top).
    pub new_code: Option<String>,
    /// A 事前同意 form (`prior.rs`) instead of a case.
    pub prior: Option<super::prior::PriorTarget>,
    /// A one-field form asking an application number (`link.rs`).
    pub single: Option<super::link::Single>,
}

impl CaseForm {
    pub fn new(direction: Direction) -> Self {
        let fields: Vec<Field> = match direction {
            Direction::Outgoing => OUTGOING,
            Direction::Incoming => INCOMING,
        }
        .to_vec();
        let inputs = fields.iter().map(|_| LineInput::new("")).collect();
        Self {
            direction,
            fields,
            inputs,
            focus: 0,
            errors: Vec::new(),
            saving: false,
            new_code: None,
            prior: None,
            single: None,
        }
    }

    /// A form of these fields (the 事前同意 editor).
    pub fn with_fields(direction: Direction, fields: &[Field]) -> Self {
        let mut f = Self::new(direction);
        f.fields = fields.to_vec();
        f.inputs = fields.iter().map(|_| LineInput::new("")).collect();
        f
    }

    pub fn value(&self, name: &str) -> String {
        self.fields
            .iter()
            .position(|f| f.name == name)
            .map(|i| self.inputs[i].text().trim().to_string())
            .unwrap_or_default()
    }

    pub fn set(&mut self, name: &str, text: &str) {
        if let Some(i) = self.fields.iter().position(|f| f.name == name) {
            self.inputs[i].set_text(text);
        }
    }

    pub fn is_dirty(&self) -> bool {
        self.inputs.iter().any(|i| !i.text().trim().is_empty())
    }

    pub fn step(&mut self, forward: bool) {
        let n = self.inputs.len();
        self.focus = if forward {
            (self.focus + 1) % n
        } else {
            (self.focus + n - 1) % n
        };
    }

    /// A typed key; true when something is to be drawn.
    pub fn key(&mut self, key: crossterm::event::KeyEvent) -> bool {
        use crossterm::event::KeyCode;
        match key.code {
            KeyCode::Tab => {
                self.step(true);
                return true;
            }
            KeyCode::BackTab => {
                self.step(false);
                return true;
            }
            _ => {}
        }
        let (draw, text) = self.inputs[self.focus].edit(key);
        if text {
            let name = self.fields[self.focus].name;
            self.errors.retain(|e| e.field != name);
        }
        draw
    }

    pub fn paste(&mut self, text: &str) -> bool {
        self.inputs[self.focus].paste(text)
    }

    /// The code typed has no name on file: ask for it at the top of the form.
    pub fn ask_municipality(&mut self, code: String) {
        if self.new_code.is_none() {
            self.fields.insert(0, MUNI_KANA);
            self.fields.insert(0, MUNI_NAME);
            self.inputs.insert(0, LineInput::new(""));
            self.inputs.insert(0, LineInput::new(""));
        }
        self.new_code = Some(code);
        self.focus = 0;
        self.saving = false;
        self.errors.clear();
    }

    pub fn set_errors(&mut self, errors: Vec<FieldError>) {
        if let Some(i) = errors
            .iter()
            .find_map(|e| self.fields.iter().position(|f| f.name == e.field))
        {
            self.focus = i;
        }
        self.errors = errors;
        self.saving = false;
    }

    fn date(&self, name: &'static str, errs: &mut Vec<FieldError>) -> Option<chrono::NaiveDate> {
        let text = self.value(name);
        if text.is_empty() {
            return None;
        }
        let d = crate::domain::wareki::parse(&text);
        if d.is_none() {
            errs.push(FieldError::new(
                name,
                format!("日付「{text}」が読めません。例 R8.12.1 または 2026-12-01 の形で入力してください"),
                format!("cannot read the date '{text}'; type it like 2026-12-01"),
            ));
        }
        d
    }

    /// What to send, or `None` with the refusals under their fields.
    pub fn draft(&mut self) -> Option<CaseDraft> {
        let mut errs = Vec::new();
        let dob = self.date("dob", &mut errs);
        let start = self.date("service_start_on", &mut errs);
        let app = self.value("application_id");
        let application_id = if app.is_empty() {
            None
        } else {
            let n = crate::domain::text::nfkc(&app)
                .trim_start_matches('#')
                .parse()
                .ok();
            if n.is_none() {
                errs.push(FieldError::new(
                    "application_id",
                    "申請番号は数字で入力してください（受付一覧の番号）",
                    "the application number is a number (as in the inbox)",
                ));
            }
            n
        };
        let person = InsuredPerson {
            name: self.value("person_name"),
            name_kana: self.value("person_kana"),
            insured_number: self.value("insured_number"),
            dob,
            service_start_on: start,
            reason: self.value("reason"),
            ..Default::default()
        };
        if let Err(e) = person.validated() {
            errs.extend(e);
        }
        if self.new_code.is_some() && self.value("municipality_name").is_empty() {
            errs.push(FieldError::new(
                "municipality_name",
                "市区町村名を入力してください（次回からは入力不要です）",
                "enter the municipality's name (asked only once)",
            ));
        }
        if !errs.is_empty() {
            self.set_errors(errs);
            return None;
        }
        Some(CaseDraft {
            direction: self.direction,
            application_id,
            provider_number: self.value("provider_number"),
            facility_name: self.value("facility_name"),
            municipality_code: self.value("municipality_code"),
            service_code: self.value("service_code"),
            document_ref: self.value("document_ref"),
            person,
            new_municipality: self.new_code.as_ref().map(|_| {
                (
                    self.value("municipality_name"),
                    self.value("municipality_kana"),
                )
            }),
        })
    }

    /// What saving does, in words (the confirmation).
    pub fn summary(&self, l: Lang, d: &CaseDraft) -> String {
        let code = if d.municipality_code.is_empty() {
            l.t("事業所の所在地", "the facility's municipality")
                .to_string()
        } else {
            d.municipality_code.clone()
        };
        let mut out = match d.direction {
            Direction::Outgoing => format!(
                "{} {code}",
                l.t(
                    "同意依頼（資料14-2）を作成中として作ります。相手先:",
                    "Create an outgoing request (14-2) as a draft. To:"
                )
            ),
            Direction::Incoming => format!(
                "{} {code}",
                l.t(
                    "区外からの同意依頼（資料14-3）を受付として記録します。依頼元:",
                    "Record an incoming request (14-3) as received. From:"
                )
            ),
        };
        if let (Some(code), Some((name, _))) = (&self.new_code, &d.new_municipality) {
            out.push('\n');
            out.push_str(&if l.is_ja() {
                format!("地方公共団体コード {code} を「{name}」として登録します（記録されます）。")
            } else {
                format!("Municipality {code} is registered as {name} (logged).")
            });
        }
        out.push('\n');
        out.push_str(l.t("よろしいですか？", "Go ahead?"));
        out
    }
}

/// What the form is for, as its heading and the status line say.
pub fn title(form: &CaseForm, l: Lang) -> &'static str {
    match form.direction {
        _ if form.prior.is_some() => super::prior::title(form, l),
        _ if form.single.is_some() => super::link::title(form, l),
        Direction::Outgoing => l.t(
            "新しい同意依頼（区外へ・資料14-2）",
            "New outgoing request (14-2)",
        ),
        Direction::Incoming => l.t(
            "区外からの同意依頼を記録（資料14-3）",
            "Record an incoming request (14-3)",
        ),
    }
}

pub fn render(frame: &mut Frame<'_>, area: Rect, form: &CaseForm, ui: &Ui) {
    let l = ui.lang;
    let label_w: usize = 16;
    let title = title(form, l);
    let mut lines: Vec<(Line<'static>, Option<usize>)> =
        vec![(Line::styled(title.to_string(), ui.theme.title), None)];
    if let Some(code) = &form.new_code {
        let text = if l.is_ja() {
            format!("地方公共団体コード {code} の名称が未登録です。一度だけ入力してください")
        } else {
            format!("Municipality {code} has no name on file: type it once")
        };
        lines.push((Line::styled(text, ui.theme.warning), None));
    }
    for (i, fld) in form.fields.iter().enumerate() {
        let focused = i == form.focus;
        let marker = if focused { ui.glyphs.cursor } else { " " };
        let label = format!(
            "{}{}",
            fit(marker, 2, ""),
            fit(if l.is_ja() { fld.ja } else { fld.en }, label_w - 2, "")
        );
        let style = if focused {
            ui.theme.selected
        } else {
            ui.theme.title
        };
        lines.push((Line::from(Span::styled(label, style)), Some(i)));
        for e in form.errors.iter().filter(|e| e.field == fld.name) {
            let text = if l.is_ja() { &e.ja } else { &e.en };
            lines.push((
                Line::styled(format!("{}{text}", " ".repeat(label_w)), ui.theme.error),
                None,
            ));
        }
    }
    for e in form
        .errors
        .iter()
        .filter(|e| !form.fields.iter().any(|f| f.name == e.field))
    {
        let text = if l.is_ja() { &e.ja } else { &e.en };
        lines.push((Line::styled(text.clone(), ui.theme.error), None));
    }
    lines.push((
        Line::styled(
            l.t(
                "Tab/上下: 項目移動   Enter: 保存（確認あり）   Esc: やめる",
                "Tab/Up/Down: field   Enter: save (asks first)   Esc: cancel",
            ),
            ui.theme.footer_key,
        ),
        None,
    ));
    let bottom = area.y + area.height;
    for (row, (line, input)) in lines.into_iter().enumerate() {
        let y = area.y + row as u16;
        if y >= bottom {
            break;
        }
        frame.render_widget(Paragraph::new(line), Rect::new(area.x, y, area.width, 1));
        if let Some(i) = input {
            let x = area.x + label_w as u16;
            let w = area.width.saturating_sub(label_w as u16);
            let hint_w = 22.min(w / 3);
            let input_w = w.saturating_sub(hint_w + 1);
            form.inputs[i].render(frame, Rect::new(x, y, input_w, 1), i == form.focus);
            let fld = form.fields[i];
            let hint = if l.is_ja() { fld.hint_ja } else { fld.hint_en };
            frame.render_widget(
                Paragraph::new(Span::styled(fit(hint, hint_w as usize, ""), ui.theme.dim)),
                Rect::new(x + input_w + 1, y, hint_w, 1),
            );
        }
    }
}
