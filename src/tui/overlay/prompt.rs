//! A one-line reason asked before an action that must say why: revealing personal data,
//! returning or rejecting an application. Up/Down offer common reasons; free text works.

use super::{Env, Outcome, Overlay, boxed, centered};
use crate::domain::application::ApplicationStatus;
use crate::domain::view::ListQuery;
use crate::jobs::formats::csv_out::CsvEncoding;
use crate::query::Request;
use crate::tui::i18n::Lang;
use crate::tui::input::LineInput;
use crate::tui::msg::Effect;
use crate::tui::nav::Move;
use crate::tui::widgets::clear::clear_area;
use crate::tui::widgets::text::width;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;
use std::any::Any;
use std::path::PathBuf;

/// How long a reveal lasts.
pub const REVEAL_MINUTES: i64 = 15;

pub const REVEAL_REASONS: &[&str] = &[
    "指定・変更の審査のため",
    "事業所からの問い合わせ対応",
    "運営指導・監査の準備",
    "区外指定の同意手続のため",
];

const RETURN_REASONS: &[&str] = &[
    "添付書類が不足しています",
    "記載内容に不備があります",
    "人員基準の確認資料を添付してください",
];

const REJECT_REASONS: &[&str] = &["指定基準を満たしていません", "提出期限を過ぎています"];

const REFUSE_REASONS: &[&str] = &[
    "当該サービスは事前同意の対象外であり、個別の同意もいたしかねます",
    "事業所の指定内容と申出の内容が一致しません",
];

const CONSENT_WITHDRAW_REASONS: &[&str] = &["利用者が利用を取りやめました"];

const NOTE_REASONS: &[&str] = &[
    "公表データの更新待ち（届出済み）",
    "公表データの表記の違いで、実態は同じ",
];

const WITHDRAW_REASONS: &[&str] = &["申請者から取下げの申出がありました"];

/// What the field is for: only its label, notes and the empty-field message depend on
/// it. What confirming does is the action the prompt carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Reveal,
    Transition(ApplicationStatus),
    /// The field holds a full file path.
    ExportPath,
    /// A consent case's step that needs a reason (不同意, 取下げ).
    ConsentStep(crate::domain::consent::ConsentStatus),
    /// Search words.
    Search,
    /// A note on a decision (open data: why a difference is known).
    Note,
    /// A 定員 (capacity): a whole number.
    Capacity,
}

/// What Enter does with the (non-empty) text.
pub type OnConfirm<T> = Box<dyn FnOnce(&mut T, String) -> Vec<Effect>>;

pub struct ReasonPrompt<T: ?Sized> {
    pub input: LineInput,
    pub title: String,
    pub kind: Kind,
    presets: &'static [&'static str],
    preset: Option<usize>,
    /// What confirming does, when it cannot be taken back (却下).
    pub outcome: Option<String>,
    /// Why the last Enter was refused; the prompt stays open with it.
    pub error: Option<String>,
    on_confirm: Option<OnConfirm<T>>,
}

fn request<T: ?Sized + 'static>(f: impl FnOnce(String) -> Request + 'static) -> OnConfirm<T> {
    Box::new(move |_, text| vec![Effect::Request(f(text))])
}

impl<T: ?Sized + 'static> ReasonPrompt<T> {
    fn with(kind: Kind, title: String, text: &str, on_confirm: OnConfirm<T>) -> Self {
        let presets = match kind {
            Kind::Reveal => REVEAL_REASONS,
            Kind::Transition(ApplicationStatus::Returned) => RETURN_REASONS,
            Kind::Transition(ApplicationStatus::Rejected) => REJECT_REASONS,
            Kind::Transition(_) => WITHDRAW_REASONS,
            Kind::ExportPath | Kind::Search => &[],
            Kind::Note => NOTE_REASONS,
            Kind::Capacity => &[],
            Kind::ConsentStep(crate::domain::consent::ConsentStatus::Refused) => REFUSE_REASONS,
            Kind::ConsentStep(_) => CONSENT_WITHDRAW_REASONS,
        };
        Self {
            input: LineInput::new(text),
            title,
            kind,
            presets,
            preset: None,
            outcome: None,
            error: None,
            on_confirm: Some(on_confirm),
        }
    }

    pub fn reveal(object_type: &str, object_id: &str, title: String) -> Self {
        let (object_type, object_id) = (object_type.to_string(), object_id.to_string());
        let on = request(move |reason| Request::Reveal {
            object_type,
            object_id,
            reason,
            minutes: REVEAL_MINUTES,
        });
        Self::with(Kind::Reveal, title, "", on)
    }

    /// [`Self::reveal`], then `then`: re-reading what the query layer masked.
    pub fn reveal_then(
        object_type: &str,
        object_id: &str,
        title: String,
        then: Vec<Request>,
    ) -> Self {
        let mut prompt = Self::reveal(object_type, object_id, title);
        if let Some(on) = prompt.on_confirm.take() {
            prompt.on_confirm = Some(Box::new(move |t: &mut T, text| {
                let mut fx = on(t, text);
                fx.extend(then.into_iter().map(Effect::Request));
                fx
            }));
        }
        prompt
    }

    /// A consent case's step that must say why (不同意, 取下げ): Enter sends `request`
    /// with the typed reason.
    pub fn consent_step(
        to: crate::domain::consent::ConsentStatus,
        title: String,
        make: impl FnOnce(String) -> Request + 'static,
    ) -> Self {
        Self::with(Kind::ConsentStep(to), title, "", request(make))
    }

    /// A line of search text (the consent queue), prefilled with `text`.
    pub fn search(
        title: String,
        text: &str,
        on: impl FnOnce(&mut T, String) -> Vec<Effect> + 'static,
    ) -> Self {
        Self::with(Kind::Search, title, text, Box::new(on))
    }

    /// A note (its text is required).
    pub fn note(title: String, on: impl FnOnce(&mut T, String) -> Vec<Effect> + 'static) -> Self {
        Self::with(Kind::Note, title, "", Box::new(on))
    }

    /// A 定員 for a designated service, starting from the current one (checked by the
    /// service when saved).
    pub fn capacity(
        title: String,
        current: &str,
        on: impl FnOnce(&mut T, String) -> Vec<Effect> + 'static,
    ) -> Self {
        Self::with(Kind::Capacity, title, current, Box::new(on))
    }

    pub fn transition(
        application_id: i64,
        version: i64,
        to: ApplicationStatus,
        title: String,
    ) -> Self {
        let on = request(move |reason| Request::Transition {
            id: application_id,
            version,
            to,
            reason,
        });
        Self::with(Kind::Transition(to), title, "", on)
    }

    /// The export destination, prefilled with `default` in full and editable.
    pub fn export_path(
        default: &std::path::Path,
        query: ListQuery,
        encoding: CsvEncoding,
        title: String,
    ) -> Self {
        let on = request(move |path| Request::ExportLedger {
            query,
            path: expand_home(path.trim()),
            encoding,
            overwrite: false,
        });
        Self::with(Kind::ExportPath, title, &default.display().to_string(), on)
    }

    /// The label before the field.
    pub fn label(&self, lang: Lang) -> &'static str {
        match self.kind {
            Kind::ExportPath => lang.t("保存先:", "Save to:"),
            Kind::Search => lang.t("検索:", "Search:"),
            Kind::Note => lang.t("メモ:", "Note:"),
            Kind::Capacity => lang.t("定員:", "Capacity:"),
            _ => lang.t("理由:", "Reason:"),
        }
    }

    pub fn cycle(&mut self, forward: bool) {
        let n = self.presets.len();
        if n == 0 {
            return;
        }
        let next = match (self.preset, forward) {
            (None, true) => 0,
            (None, false) => n - 1,
            (Some(i), true) => (i + 1) % n,
            (Some(i), false) => (i + n - 1) % n,
        };
        self.preset = Some(next);
        self.input.set_text(self.presets[next]);
    }

    /// Enter: what the prompt carries, or `None` with the prompt keeping an error to
    /// show when the field is empty (every prompt here must say why, or where).
    pub fn submit(&mut self, lang: Lang) -> Option<super::Action<T>> {
        if !self.input.text().trim().is_empty() {
            let text = self.input.text().to_string();
            let on = self.on_confirm.take()?;
            return Some(Box::new(move |t: &mut T| on(t, text)));
        }
        self.error = Some(match &self.kind {
            Kind::Reveal => lang
                .t(
                    "表示する理由を入力してください（Up/Down でよく使う理由を選べます）",
                    "Enter why you reveal it (Up/Down offers common reasons)",
                )
                .to_string(),
            Kind::ExportPath => lang
                .t(
                    "保存先のファイルを入力してください",
                    "Enter the file to write",
                )
                .to_string(),
            Kind::Search => lang
                .t(
                    "検索する語を入力してください（F で絞込と検索を解除します）",
                    "Enter words to search for (F clears filters and search)",
                )
                .to_string(),
            Kind::Capacity => lang
                .t(
                    "定員を1〜999の整数で入力してください",
                    "Enter the capacity as a whole number from 1 to 999",
                )
                .to_string(),
            Kind::Note => lang
                .t(
                    "メモを入力してください（Up/Down でよく使う文を選べます）",
                    "Enter a note (Up/Down offers common ones)",
                )
                .to_string(),
            Kind::ConsentStep(to) => {
                if lang.is_ja() {
                    format!(
                        "{}の理由を入力してください（Up/Down でよく使う理由を選べます）",
                        to.label_ja()
                    )
                } else {
                    format!(
                        "Enter the reason for {} (Up/Down offers common reasons)",
                        to.label_en()
                    )
                }
            }
            Kind::Transition(to) => {
                if lang.is_ja() {
                    format!(
                        "{}の理由を入力してください（Up/Down でよく使う理由を選べます）",
                        to.label_ja()
                    )
                } else {
                    format!(
                        "Enter the reason for {} (Up/Down offers common reasons)",
                        to.label_en()
                    )
                }
            }
        });
        None
    }

    /// The explanation under the field: the refusal of the last Enter, what confirming
    /// does, then how to fill it in.
    pub fn notes(&self, lang: Lang) -> Vec<String> {
        let mut notes: Vec<String> = self.error.iter().cloned().collect();
        if let Some(outcome) = &self.outcome {
            notes.extend(outcome.lines().map(str::to_string));
        }
        if self.kind == Kind::ExportPath {
            notes.push(
                lang.t(
                    "ファイル名・フォルダは変更できます（無いフォルダは作成します）",
                    "Edit the name or folder as you like (a missing folder is created)",
                )
                .to_string(),
            );
            notes.push(
                lang.t(
                    "同じ名前のファイルがあるときは上書きする前に確認します",
                    "An existing file is never replaced without asking",
                )
                .to_string(),
            );
            return notes;
        }
        if self.kind == Kind::Search {
            notes.push(
                lang.t(
                    "事業所名・事業所番号・相手先・文書番号で探します（個人情報は対象外）",
                    "Matches facility, number, municipality and document number (never personal data)",
                )
                .to_string(),
            );
            return notes;
        }
        if self.kind != Kind::Capacity {
            notes.push(
                lang.t(
                    "Up/Down: よく使う理由を選ぶ（自由入力も可）",
                    "Up/Down: pick a common reason (or type your own)",
                )
                .to_string(),
            );
        }
        match self.kind {
            Kind::Reveal => notes.push(format!(
                "{} {REVEAL_MINUTES}{}",
                lang.t("表示は記録され、", "The reveal is logged and lasts"),
                lang.t("分で伏せ字に戻ります", " minutes")
            )),
            Kind::ExportPath | Kind::Search => {}
            Kind::Capacity => {
                notes.push(
                    lang.t(
                        "1〜999 の数字で入力します（空にすると定員なし）",
                        "A whole number from 1 to 999 (empty: no capacity)",
                    )
                    .to_string(),
                );
                notes.push(
                    lang.t(
                        "定員は台帳に記録され、オープンデータの書出と照合に使われます（監査記録に残ります）",
                        "Kept in the ledger, used by the open data export and reconciliation (audited)",
                    )
                    .to_string(),
                );
            }
            Kind::Note => notes.push(
                lang.t(
                    "メモは照合結果と監査記録に残ります",
                    "The note is kept with the finding and in the audit log",
                )
                .to_string(),
            ),
            Kind::ConsentStep(_) => notes.push(
                lang.t(
                    "理由は案件の履歴・回答書と監査記録に残ります",
                    "The reason is kept in the case history, the letter and the audit log",
                )
                .to_string(),
            ),
            Kind::Transition(_) => notes.push(
                lang.t(
                    "理由は申請の履歴と監査記録に残ります",
                    "The reason is kept in the case history and the audit log",
                )
                .to_string(),
            ),
        }
        notes
    }
}

/// `~/x` → `$HOME/x`: people type paths the way the shell takes them.
fn expand_home(path: &str) -> PathBuf {
    match (path.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => PathBuf::from(home).join(rest),
        _ => PathBuf::from(path),
    }
}

impl<T: ?Sized + 'static> Overlay<T> for ReasonPrompt<T> {
    // Text inputs use the palette context: only Enter, Esc and arrows are keys there,
    // so every letter (y, n, q…) can be typed.
    fn contexts(&self) -> &'static [&'static str] {
        &["palette"]
    }

    fn on_move(&mut self, m: Move, _env: &dyn Env) {
        self.cycle(m != Move::Up);
    }

    fn on_confirm(&mut self, env: &dyn Env) -> Outcome<T> {
        match self.submit(env.ui().lang) {
            Some(action) => Outcome::Then(action),
            None => Outcome::Keep,
        }
    }

    fn on_key(&mut self, key: crossterm::event::KeyEvent, _env: &dyn Env) -> bool {
        let (draw, text) = self.input.edit(key);
        if text {
            self.error = None;
        }
        draw
    }

    fn on_paste(&mut self, text: &str, _env: &dyn Env) -> bool {
        self.input.paste(text)
    }

    fn draw(&self, frame: &mut Frame<'_>, area: Rect, env: &dyn Env) {
        let ui = env.ui();
        let l = ui.lang;
        let notes = self.notes(l);
        let r = centered(area, 70, notes.len() as u16 + 7);
        clear_area(frame.buffer_mut(), r);
        let block = boxed(ui, format!(" {} ", self.title));
        let inner = block.inner(r);
        frame.render_widget(block, r);
        if inner.height < 3 {
            return;
        }
        let label = format!("{} ", self.label(l));
        let lw = width(&label) as u16;
        frame.render_widget(Paragraph::new(label), Rect::new(inner.x, inner.y, lw, 1));
        self.input.render(
            frame,
            Rect::new(inner.x + lw, inner.y, inner.width.saturating_sub(lw), 1),
            true,
        );
        let mut lines = vec![Line::raw("")];
        let error = self.error.is_some();
        lines.extend(notes.into_iter().enumerate().map(|(i, n)| {
            let style = if error && i == 0 {
                ui.theme.error
            } else {
                ui.theme.dim
            };
            Line::styled(n, style)
        }));
        lines.push(Line::raw(""));
        lines.push(Line::styled(
            l.t("Enter: 決定   Esc: やめる", "Enter: confirm   Esc: cancel"),
            ui.theme.footer_key,
        ));
        frame.render_widget(
            Paragraph::new(lines),
            Rect::new(inner.x, inner.y + 1, inner.width, inner.height - 1),
        );
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

impl<T: ?Sized + 'static> ReasonPrompt<T> {
    /// An export destination for any list: prefilled with `default` in full and
    /// editable; Enter sends `make(path)` (`~/` expanded).
    pub fn export_path_for(
        default: &std::path::Path,
        title: String,
        make: impl FnOnce(PathBuf) -> Request + 'static,
    ) -> Self {
        let on = request(move |path| make(expand_home(path.trim())));
        Self::with(Kind::ExportPath, title, &default.display().to_string(), on)
    }
}
