//! The facility edit form (ratatui-textarea per field) and the conflict view shown when
//! someone else saved the same facility first.

use crate::domain::mask;
use crate::domain::model::{Facility, FacilityFields};
use crate::domain::validate::FieldError;
use crate::query::Request;
use crate::tui::i18n::Lang;
use crate::tui::input::LineInput;
use crate::tui::ui::Ui;
use crate::tui::widgets::text::fit;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// Editable fields, in form order: every facility field but two, shown above and below
/// the fields without an input. The 事業所番号 (first in `NAMES`) is the facility's key in
/// every outside system and is fixed at designation; the manager's name (last) is
/// personal data and stays out of the form (shown masked).
pub const FORM_FIELDS: &[&str] = FacilityFields::NAMES
    .split_at(FacilityFields::NAMES.len() - 1)
    .0
    .split_at(1)
    .1;

pub fn field_label(lang: Lang, field: &str) -> &'static str {
    match field {
        "provider_number" => lang.t("事業所番号", "Provider no."),
        "name" => lang.t("事業所名", "Name"),
        "name_kana" => lang.t("事業所名カナ", "Name (kana)"),
        "postal_code" => lang.t("郵便番号", "Postal code"),
        "address" => lang.t("所在地", "Address"),
        "town" => lang.t("町名", "Town"),
        "phone" => lang.t("電話番号", "Phone"),
        "fax" => lang.t("FAX番号", "Fax"),
        "email" => lang.t("メール", "E-mail"),
        "manager_name" => lang.t("管理者", "Manager"),
        _ => "",
    }
}

#[derive(Debug, Clone)]
pub struct EditState {
    pub id: i64,
    /// The version the edit started from; the save is refused if the row moved on.
    pub version: i64,
    pub original: FacilityFields,
    pub inputs: Vec<LineInput>,
    pub focus: usize,
    pub errors: Vec<FieldError>,
    pub saving: bool,
}

impl EditState {
    pub fn new(f: &Facility) -> Self {
        Self {
            id: f.id,
            version: f.version,
            original: f.fields.clone(),
            inputs: FORM_FIELDS
                .iter()
                .map(|name| LineInput::new(f.fields.get(name)))
                .collect(),
            focus: 0,
            errors: Vec::new(),
            saving: false,
        }
    }

    pub fn fields(&self) -> FacilityFields {
        let mut out = self.original.clone();
        for (name, input) in FORM_FIELDS.iter().zip(&self.inputs) {
            out.set(name, input.text().to_string());
        }
        out
    }

    pub fn is_dirty(&self) -> bool {
        self.fields() != self.original
    }

    pub fn next_field(&mut self) {
        self.focus = (self.focus + 1) % self.inputs.len();
    }

    pub fn prev_field(&mut self) {
        self.focus = (self.focus + self.inputs.len() - 1) % self.inputs.len();
    }

    fn clear_focused_error(&mut self) {
        let name = FORM_FIELDS[self.focus];
        self.errors.retain(|e| e.field != name);
    }

    /// True when something is to be drawn: the text changed or the caret moved.
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

    pub fn save_request(&mut self) -> Request {
        self.saving = true;
        Request::SaveFacility {
            id: self.id,
            version: self.version,
            fields: self.fields(),
        }
    }

    /// After a conflict, keep my values but build on the version now stored.
    /// After a conflict: build on the version stored now. Fields this user changed keep
    /// the user's text; fields the user did not touch take the colleague's stored value,
    /// so reapplying never puts back what the colleague replaced.
    pub fn rebase(&mut self, current: &Facility) {
        for (name, input) in FORM_FIELDS.iter().zip(self.inputs.iter_mut()) {
            if input.text() == self.original.get(name) {
                input.set_text(current.fields.get(name));
            }
        }
        self.version = current.version;
        self.original = current.fields.clone();
        self.saving = false;
    }

    /// Fields this user changed since the edit started.
    pub fn changed_by_me(&self) -> Vec<&'static str> {
        FORM_FIELDS
            .iter()
            .zip(&self.inputs)
            .filter(|(n, i)| i.text() != self.original.get(n))
            .map(|(n, _)| *n)
            .collect()
    }

    pub fn set_errors(&mut self, errors: Vec<FieldError>) {
        if let Some(i) = errors
            .first()
            .and_then(|e| FORM_FIELDS.iter().position(|f| *f == e.field))
        {
            self.focus = i;
        }
        self.errors = errors;
        self.saving = false;
    }
}

pub fn render(frame: &mut Frame<'_>, area: Rect, e: &EditState, ui: &Ui) {
    let l = ui.lang;
    let label_w = 16u16;
    let mut y = area.y;
    let bottom = area.y + area.height;
    let title = format!(
        "{}: {}",
        l.t("事業所の編集", "Edit facility"),
        e.original.name
    );
    frame.render_widget(
        Paragraph::new(Line::styled(title, ui.theme.title)),
        Rect::new(area.x, y, area.width, 1),
    );
    y += 1;
    if y < bottom {
        let number = format!(
            "{}{}  {}",
            fit(
                &format!("  {}", field_label(l, "provider_number")),
                label_w as usize,
                ""
            ),
            e.original.provider_number,
            l.t(
                "（指定で決まる番号のため、ここでは変えられません）",
                "(fixed at designation: not editable here)"
            )
        );
        frame.render_widget(
            Paragraph::new(Line::styled(number, ui.theme.dim)),
            Rect::new(area.x, y, area.width, 1),
        );
        y += 1;
    }
    for (i, name) in FORM_FIELDS.iter().enumerate() {
        if y >= bottom {
            break;
        }
        let focused = i == e.focus;
        let marker = if focused { ui.glyphs.cursor } else { " " };
        let label = format!(
            "{}{}",
            fit(marker, 2, ""),
            fit(field_label(l, name), label_w as usize - 2, "")
        );
        frame.render_widget(
            Paragraph::new(Span::styled(
                label,
                if focused {
                    ui.theme.selected
                } else {
                    ui.theme.dim
                },
            )),
            Rect::new(area.x, y, label_w.min(area.width), 1),
        );
        let input_area = Rect::new(area.x + label_w, y, area.width.saturating_sub(label_w), 1);
        if input_area.width > 0 {
            e.inputs[i].render(frame, input_area, focused);
        }
        y += 1;
        if let Some(err) = e.errors.iter().find(|x| x.field == *name)
            && y < bottom
        {
            let text = format!(
                "{}{}",
                " ".repeat(label_w as usize),
                if l.is_ja() { &err.ja } else { &err.en }
            );
            frame.render_widget(
                Paragraph::new(Line::styled(text, ui.theme.error)),
                Rect::new(area.x, y, area.width, 1),
            );
            y += 1;
        }
    }
    if y < bottom {
        let manager = format!(
            "{}{}",
            fit(
                &format!("  {}", field_label(l, "manager_name")),
                label_w as usize,
                ""
            ),
            mask::name(&e.original.manager_name)
        );
        frame.render_widget(
            Paragraph::new(Line::styled(manager, ui.theme.masked)),
            Rect::new(area.x, y, area.width, 1),
        );
        y += 1;
    }
    if y < bottom {
        let hint = if e.saving {
            l.t("保存中", "Saving...")
        } else {
            l.t(
                "C-s 保存  Tab 次の項目  Esc やめる",
                "C-s save  Tab next field  Esc cancel",
            )
        };
        frame.render_widget(
            Paragraph::new(Line::styled(hint, ui.theme.dim)),
            Rect::new(area.x, y, area.width, 1),
        );
    }
}

/// Both versions side by side; the user decides. Nothing was written.
pub fn render_conflict(
    frame: &mut Frame<'_>,
    area: Rect,
    mine: &EditState,
    theirs: &Facility,
    me: &str,
    ui: &Ui,
) {
    let l = ui.lang;
    let w = area.width as usize;
    let col = w.saturating_sub(16) / 2;
    // The same staff id in another window is not "someone else".
    let headline = if theirs.updated_by == me {
        l.t(
            "保存できませんでした: あなたが別の画面で先にこの事業所を保存しています",
            "Not saved: you saved this facility in another window first",
        )
    } else {
        l.t(
            "保存できませんでした: 他の職員が先にこの事業所を保存しました",
            "Not saved: someone else saved this facility first",
        )
    };
    let mut lines = vec![
        Line::styled(headline, ui.theme.error),
        Line::styled(
            format!(
                "{} {} ({})",
                l.t("保存者", "Saved by"),
                theirs.updated_by,
                crate::tui::screens::cases::timestamp(ui, &theirs.updated_at)
                    .unwrap_or_else(|| theirs.updated_at.clone())
            ),
            ui.theme.dim,
        ),
        Line::styled(
            format!(
                "{}{} {}",
                fit(l.t("項目", "Field"), 16, ""),
                fit(l.t("あなたの入力", "Yours"), col, ""),
                l.t("現在の保存内容", "Stored now")
            ),
            ui.theme.title,
        ),
    ];
    let my = mine.fields();
    let mine_changed = mine.changed_by_me();
    for name in FORM_FIELDS {
        let (a, b) = (my.get(name), theirs.fields.get(name));
        let style = if a != b {
            ui.theme.warning
        } else {
            ui.theme.base
        };
        // ＊ marks the fields you changed; the others take the stored value on reapply.
        let marker = if mine_changed.contains(name) {
            "＊"
        } else {
            "  "
        };
        lines.push(Line::styled(
            format!(
                "{marker}{}{} {}",
                fit(field_label(l, name), 14, ""),
                fit(a, col, ui.glyphs.ellipsis),
                b
            ),
            style,
        ));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        l.t(
            "Enter: ＊の項目だけ自分の入力を現在の版に重ねて編集へ   Esc: 自分の変更を捨てる",
            "Enter: reapply yours onto the stored version   Esc: discard yours",
        ),
        ui.theme.footer_key,
    ));
    frame.render_widget(Paragraph::new(lines), area);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_never_edits_the_manager_s_name() {
        assert!(!FORM_FIELDS.contains(&"manager_name"));
        assert_eq!(FORM_FIELDS.len(), FacilityFields::NAMES.len() - 2);
        assert!(!FORM_FIELDS.contains(&"provider_number"));
    }
}
