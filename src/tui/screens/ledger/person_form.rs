//! The form that adds or changes a 従事者 or 構成員, or changes the corporation (issue
//! 13). Personal fields read while the facility was not revealed arrive masked: they
//! are shown masked and locked, and saving keeps their stored values (the query layer
//! fills them in), so a masked value is never written back.

use crate::domain::validate::{FieldError, label};
use crate::query::Request;
use crate::query::upkeep::{PersonKind, PersonTarget, PersonWrite};
use crate::tui::i18n::Lang;
use crate::tui::input::LineInput;
use crate::tui::ui::Ui;
use crate::tui::widgets::text::fit;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

#[derive(Debug, Clone)]
pub struct PersonForm {
    pub kind: PersonKind,
    pub facility_id: i64,
    pub facility_name: String,
    /// `Add` or `Update` (ending is a confirmation, not a form).
    pub target: PersonTarget,
    pub inputs: Vec<LineInput>,
    initial: Vec<String>,
    /// Masked personal fields: shown, not editable, kept as stored.
    pub locked: Vec<bool>,
    pub focus: usize,
    pub errors: Vec<FieldError>,
    pub saving: bool,
}

impl PersonForm {
    /// `values` follow `kind.names()` (blank for a new record); `masked` says they were
    /// read unrevealed, which locks the personal ones.
    pub fn new(
        kind: PersonKind,
        facility_id: i64,
        facility_name: &str,
        target: PersonTarget,
        values: Vec<String>,
        masked: bool,
    ) -> Self {
        let names = kind.names();
        let locked: Vec<bool> = names
            .iter()
            .map(|n| masked && crate::domain::history::is_personal(n))
            .collect();
        let focus = locked.iter().position(|l| !l).unwrap_or(0);
        Self {
            kind,
            facility_id,
            facility_name: facility_name.to_string(),
            target,
            inputs: values.iter().map(|v| LineInput::new(v)).collect(),
            initial: values,
            locked,
            focus,
            errors: Vec::new(),
            saving: false,
        }
    }

    pub fn values(&self) -> Vec<String> {
        self.inputs.iter().map(|i| i.text().to_string()).collect()
    }

    pub fn is_dirty(&self) -> bool {
        self.values() != self.initial
    }

    /// The names of the locked fields (kept as stored).
    fn keep(&self) -> Vec<&'static str> {
        self.kind
            .names()
            .iter()
            .zip(&self.locked)
            .filter(|(_, l)| **l)
            .map(|(n, _)| *n)
            .collect()
    }

    pub fn step(&mut self, forward: bool) {
        let n = self.inputs.len();
        for _ in 0..n {
            self.focus = if forward {
                (self.focus + 1) % n
            } else {
                (self.focus + n - 1) % n
            };
            if !self.locked[self.focus] {
                break;
            }
        }
    }

    fn clear_focused_error(&mut self) {
        let name = self.kind.names()[self.focus];
        self.errors.retain(|e| e.field != name);
    }

    /// True when something is to be drawn. Locked fields take no typing.
    pub fn key(&mut self, key: crossterm::event::KeyEvent) -> bool {
        if self.locked.get(self.focus).copied().unwrap_or(true) {
            return false;
        }
        let (draw, text) = self.inputs[self.focus].edit(key);
        if text {
            self.clear_focused_error();
        }
        draw
    }

    pub fn paste(&mut self, text: &str) -> bool {
        if self.locked.get(self.focus).copied().unwrap_or(true) {
            return false;
        }
        let changed = self.inputs[self.focus].paste(text);
        if changed {
            self.clear_focused_error();
        }
        changed
    }

    /// The domain's checks on what can be seen (locked fields are checked by the
    /// service with their stored values); refusals go under their fields.
    pub fn check(&mut self, today: chrono::NaiveDate) -> bool {
        let keep = self.keep();
        match self.kind.validate(&self.values(), today) {
            Ok(()) => true,
            Err(errors) => {
                let errors: Vec<FieldError> = errors
                    .into_iter()
                    .filter(|e| !keep.contains(&e.field))
                    .collect();
                if errors.is_empty() {
                    return true;
                }
                self.set_errors(errors);
                false
            }
        }
    }

    pub fn set_errors(&mut self, errors: Vec<FieldError>) {
        if let Some(i) = errors
            .first()
            .and_then(|e| self.kind.names().iter().position(|f| *f == e.field))
        {
            self.focus = i;
        }
        self.errors = errors;
        self.saving = false;
    }

    pub fn save_request(&mut self) -> Request {
        self.saving = true;
        Request::SavePerson(Box::new(PersonWrite {
            kind: self.kind,
            facility_id: self.facility_id,
            target: self.target.clone(),
            values: self.values(),
            keep: self.keep(),
        }))
    }

    pub fn title(&self, l: Lang) -> &'static str {
        let add = self.target == PersonTarget::Add;
        match self.kind {
            PersonKind::Staff if add => l.t("従事者を追加", "Add a staff member"),
            PersonKind::Staff => l.t("従事者を変更", "Change a staff member"),
            PersonKind::Council if add => l.t("構成員を追加", "Add a council member"),
            PersonKind::Council => l.t("構成員を変更", "Change a council member"),
            PersonKind::Corporation => l.t("法人情報を変更", "Change the corporation"),
            PersonKind::Guidance if add => l.t(
                "運営指導を記録（予定日だけなら予定）",
                "Record 運営指導 (a planned date alone makes a plan)",
            ),
            PersonKind::Guidance => l.t("運営指導の記録を訂正", "Correct a 運営指導 record"),
        }
    }
}

fn hint(l: Lang, name: &str) -> &'static str {
    match name {
        "staff.name_kana" | "corporation.name_kana" => l.t(
            "カタカナ（半角は全角に）",
            "katakana (half-width is widened)",
        ),
        "staff.dob" | "corporation.representative_dob" => l.t(
            "例 1985-04-12 または S60.4.12",
            "e.g. 1985-04-12 or S60.4.12",
        ),
        "staff.care_manager_number" => l.t(
            "8桁（資格が介護支援専門員なら必須）",
            "8 digits (required for a 介護支援専門員)",
        ),
        "guidance.planned_on" => l.t(
            "予定日（実施したら実施日を入力）",
            "planned date (enter the held date once done)",
        ),
        "guidance.held_on" | "guidance.improvement_due_on" | "guidance.improvement_received_on" => {
            l.t(
                "例 2026-11-30 または R8.11.30",
                "e.g. 2026-11-30 or R8.11.30",
            )
        }
        "guidance.findings" => l.t("指摘事項（なければ空欄）", "findings (blank if none)"),
        "corporation.corporate_number" => l.t("13桁（検査数字つき）", "13 digits (check digit)"),
        "corporation.phone" | "corporation.fax" => l.t("例 03-1234-5678", "e.g. 03-1234-5678"),
        _ => "",
    }
}

fn error_text(l: Lang, e: &FieldError) -> String {
    if l.is_ja() {
        e.ja.clone()
    } else {
        e.en.clone()
    }
}

pub fn render(frame: &mut Frame<'_>, area: Rect, f: &PersonForm, ui: &Ui) {
    let l = ui.lang;
    let label_w: u16 = if l.is_ja() { 22 } else { 34 };
    let bottom = area.y + area.height;
    let mut y = area.y;
    let put = |frame: &mut Frame<'_>, y: &mut u16, x: u16, content: Line<'static>| {
        if *y < bottom {
            let r = Rect::new(area.x + x, *y, area.width.saturating_sub(x), 1);
            frame.render_widget(Paragraph::new(content), r);
            *y += 1;
        }
    };
    let title = format!("{}: {}", f.title(l), f.facility_name);
    put(frame, &mut y, 0, Line::styled(title, ui.theme.title));
    for (i, name) in f.kind.names().iter().enumerate() {
        let focused = i == f.focus;
        let marker = if focused { ui.glyphs.cursor } else { " " };
        let (ja, en) = label(name);
        let text = format!(
            "{}{}",
            fit(marker, 2, ""),
            fit(
                if l.is_ja() { ja } else { en },
                usize::from(label_w) - 2,
                ""
            )
        );
        let style = if focused {
            ui.theme.selected
        } else {
            ui.theme.dim
        };
        let row = Line::from(Span::styled(text, style));
        let at = y;
        put(frame, &mut y, 0, row);
        if at >= bottom {
            break;
        }
        let input = Rect::new(area.x + label_w, at, area.width.saturating_sub(label_w), 1);
        if f.locked[i] {
            let shown = Span::styled(f.inputs[i].text().to_string(), ui.theme.masked);
            frame.render_widget(Paragraph::new(shown), input);
        } else if input.width > 0 {
            f.inputs[i].render(frame, input, focused);
        }
        if let Some(err) = f.errors.iter().find(|x| x.field == *name) {
            // A long refusal starts further left rather than being cut off.
            let text = error_text(l, err);
            let room = usize::from(area.width.saturating_sub(label_w));
            let x = if crate::tui::widgets::text::width(&text) > room {
                2
            } else {
                label_w
            };
            put(frame, &mut y, x, Line::styled(text, ui.theme.error));
        }
    }
    let name = f.kind.names()[f.focus];
    let about = if f.locked.iter().any(|x| *x) {
        l.t(
            "＊ 伏せ字の項目は保存しても変わりません（変えるには Esc で戻り r で表示）",
            "＊ masked fields stay as stored (to change them: Esc, then r to reveal)",
        )
    } else {
        hint(l, name)
    };
    put(frame, &mut y, 0, Line::raw(""));
    put(frame, &mut y, 0, Line::styled(about, ui.theme.dim));
    let help = if f.saving {
        l.t("保存中", "Saving...")
    } else {
        l.t(
            "C-s 確認して保存  Tab 次の項目  Esc やめる",
            "C-s check and save  Tab next  Esc cancel",
        )
    };
    put(frame, &mut y, 0, Line::styled(help, ui.theme.dim));
}
