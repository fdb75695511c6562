//! The form that records a 運営推進会議 held (issue 13): kind, date, attendees, minutes
//! received, minutes kept at, note. Checked here with the domain's rules before asking
//! to save; the service checks again and its refusals come back under their fields.

use crate::domain::meeting::{MeetingFields, MeetingKind};
use crate::domain::validate::{FieldError, label};
use crate::query::Request;
use crate::tui::i18n::Lang;
use crate::tui::input::LineInput;
use crate::tui::ui::Ui;
use crate::tui::widgets::text::fit;
use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

#[derive(Debug, Clone)]
pub struct MeetingForm {
    pub facility_id: i64,
    pub facility_name: String,
    pub inputs: Vec<LineInput>,
    initial: MeetingFields,
    pub focus: usize,
    pub errors: Vec<FieldError>,
    pub saving: bool,
    /// The meeting corrected (id, version); None when recording a new one.
    pub correcting: Option<(i64, i64)>,
}

impl MeetingForm {
    /// A blank form whose kind is the one the facility holds (the first, if several).
    pub fn new(
        facility_id: i64,
        facility_name: &str,
        kind: Option<MeetingKind>,
        lang: Lang,
    ) -> Self {
        let initial = MeetingFields {
            kind: kind
                .map(|k| {
                    if lang.is_ja() {
                        k.label_ja()
                    } else {
                        k.label_en()
                    }
                })
                .unwrap_or_default()
                .to_string(),
            ..Default::default()
        };
        let inputs = MeetingFields::NAMES
            .iter()
            .map(|n| LineInput::new(initial.get(n)))
            .collect();
        Self {
            facility_id,
            facility_name: facility_name.to_string(),
            inputs,
            initial,
            // The date is what is always typed.
            focus: 1,
            errors: Vec::new(),
            saving: false,
            correcting: None,
        }
    }

    /// A form on a recorded meeting, to correct it.
    pub fn correct(facility_name: &str, m: &crate::domain::meeting::Meeting) -> Self {
        let inputs = MeetingFields::NAMES
            .iter()
            .map(|n| LineInput::new(m.fields.get(n)))
            .collect();
        Self {
            facility_id: m.facility_id,
            facility_name: facility_name.to_string(),
            inputs,
            initial: m.fields.clone(),
            focus: 1,
            errors: Vec::new(),
            saving: false,
            correcting: Some((m.id, m.version)),
        }
    }

    pub fn fields(&self) -> MeetingFields {
        let mut out = MeetingFields::default();
        for (name, input) in MeetingFields::NAMES.iter().zip(&self.inputs) {
            out.set(name, input.text().to_string());
        }
        out
    }

    pub fn is_dirty(&self) -> bool {
        self.fields() != self.initial
    }

    pub fn step(&mut self, forward: bool) {
        let n = self.inputs.len();
        self.focus = if forward {
            (self.focus + 1) % n
        } else {
            (self.focus + n - 1) % n
        };
    }

    fn clear_focused_error(&mut self) {
        let name = MeetingFields::NAMES[self.focus];
        self.errors.retain(|e| e.field != name);
    }

    /// True when something is to be drawn.
    pub fn key(&mut self, key: crossterm::event::KeyEvent) -> bool {
        let Some(input) = self.inputs.get_mut(self.focus) else {
            return false;
        };
        let (draw, text) = input.edit(key);
        if text {
            self.clear_focused_error();
        }
        draw
    }

    pub fn paste(&mut self, text: &str) -> bool {
        let changed = self
            .inputs
            .get_mut(self.focus)
            .is_some_and(|i| i.paste(text));
        if changed {
            self.clear_focused_error();
        }
        changed
    }

    /// The checked values, or `None` with the refusals shown under their fields (focus
    /// on the first).
    pub fn check(&mut self, today: NaiveDate) -> Option<MeetingFields> {
        match self.fields().validated(today) {
            Ok(clean) => Some(clean),
            Err(errors) => {
                self.set_errors(errors);
                None
            }
        }
    }

    pub fn set_errors(&mut self, errors: Vec<FieldError>) {
        if let Some(i) = errors
            .first()
            .and_then(|e| MeetingFields::NAMES.iter().position(|f| *f == e.field))
        {
            self.focus = i;
        }
        self.errors = errors;
        self.saving = false;
    }

    pub fn save_request(&mut self, clean: MeetingFields) -> Request {
        self.saving = true;
        match self.correcting {
            Some((id, version)) => Request::UpdateMeeting {
                facility_id: self.facility_id,
                id,
                version,
                fields: clean,
            },
            None => Request::RecordMeeting {
                facility_id: self.facility_id,
                fields: clean,
            },
        }
    }
}

fn hint(l: Lang, name: &str) -> &'static str {
    match name {
        "meeting.kind" => l.t(
            "運営推進会議／介護・医療連携推進会議",
            "either kind's Japanese or English name",
        ),
        "meeting.held_on" => l.t(
            "例 2026-11-30 または R8.11.30",
            "e.g. 2026-11-30 or R8.11.30",
        ),
        "meeting.attendees" => l.t("人数（空欄可）", "a number (optional)"),
        "meeting.minutes_received_on" => l.t("未受領なら空欄", "blank until received"),
        _ => "",
    }
}

pub fn render(frame: &mut Frame<'_>, area: Rect, f: &MeetingForm, ui: &Ui) {
    let l = ui.lang;
    // English labels are longer ("minutes received date").
    let label_w: u16 = if l.is_ja() { 18 } else { 24 };
    let mut y = area.y;
    let bottom = area.y + area.height;
    let line = |frame: &mut Frame<'_>, y: &mut u16, x: u16, content: Line<'static>| {
        if *y < bottom {
            frame.render_widget(
                Paragraph::new(content),
                Rect::new(area.x + x, *y, area.width.saturating_sub(x), 1),
            );
            *y += 1;
        }
    };
    let title = format!(
        "{}: {}",
        if f.correcting.is_some() {
            l.t("会議の記録を訂正", "Correct a meeting record")
        } else {
            l.t("会議の開催を記録", "Record a meeting held")
        },
        f.facility_name
    );
    line(frame, &mut y, 0, Line::styled(title, ui.theme.title));
    for (i, name) in MeetingFields::NAMES.iter().enumerate() {
        if y >= bottom {
            break;
        }
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
        frame.render_widget(
            Paragraph::new(Span::styled(text, style)),
            Rect::new(area.x, y, label_w.min(area.width), 1),
        );
        let input = Rect::new(area.x + label_w, y, area.width.saturating_sub(label_w), 1);
        if input.width > 0 {
            f.inputs[i].render(frame, input, focused);
        }
        y += 1;
        let under = match f.errors.iter().find(|x| x.field == *name) {
            Some(err) => Line::styled(
                if l.is_ja() {
                    err.ja.clone()
                } else {
                    err.en.clone()
                },
                ui.theme.error,
            ),
            None => Line::styled(hint(l, name), ui.theme.dim),
        };
        line(frame, &mut y, label_w, under);
    }
    let help = if f.saving {
        l.t("保存中", "Saving...")
    } else {
        l.t(
            "C-s 確認して保存（次回期限が更新されます）  Tab 次の項目  Esc やめる",
            "C-s check and save (the next due date follows)  Tab next  Esc cancel",
        )
    };
    line(frame, &mut y, 0, Line::raw(""));
    line(frame, &mut y, 0, Line::styled(help, ui.theme.dim));
}
