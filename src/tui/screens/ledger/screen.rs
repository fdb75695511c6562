//! The ledger as a [`Screen`]: its focus contexts by mode, the keys its text fields
//! take, its own dialogs (the search line, the conflict view), drawing and status.

use super::{AlertFilter, LedgerMode, LedgerScreen, Pii};
use crate::query::{Reply, Request};
use crate::tui::command::Reason;
use crate::tui::input::LineInput;
use crate::tui::msg::Effect;
use crate::tui::nav::Move;
use crate::tui::overlay::prompt::ReasonPrompt;
use crate::tui::screen::{Host, Screen, Verb};
use crate::tui::shell::Shell;
use crate::tui::ui::ScreenId;
use crate::tui::widgets::text::width;
use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Span;
use ratatui::widgets::Paragraph;
use std::any::Any;

fn requests(reqs: Vec<Request>) -> Vec<Effect> {
    reqs.into_iter().map(Effect::Request).collect()
}

impl LedgerScreen {
    /// Esc in the form or on the conflict view: drop the user's input, show the
    /// stored version.
    pub fn discard_conflict(&mut self) -> Vec<Effect> {
        self.edit = None;
        self.mode = LedgerMode::Detail;
        let id = self.conflict.take().map(|c| c.id).or(self.detail_id);
        id.map(|id| vec![Effect::Request(Request::FacilityDetail { id })])
            .unwrap_or_default()
    }

    pub fn start_search(&mut self) {
        self.search = Some(LineInput::new(&self.query.search));
    }

    fn search_line(&self) -> Option<&LineInput> {
        self.search
            .as_ref()
            .filter(|_| self.mode == LedgerMode::List)
    }
}

impl Screen for LedgerScreen {
    fn id(&self) -> ScreenId {
        ScreenId::Ledger
    }

    fn contexts(&self) -> Vec<&'static str> {
        match self.mode {
            LedgerMode::Edit | LedgerMode::Meeting | LedgerMode::Person => vec!["form"],
            LedgerMode::Conflict => vec!["dialog"],
            // Text inputs use the palette context: every letter can be typed.
            _ if self.search.is_some() => vec!["palette"],
            _ => vec!["ledger", "list", "global"],
        }
    }

    fn help_contexts(&self) -> Vec<&'static str> {
        match self.mode {
            LedgerMode::Edit | LedgerMode::Meeting | LedgerMode::Person => vec!["form", "global"],
            _ => vec!["ledger", "list", "global"],
        }
    }

    /// The first time: the first page and the count.
    fn enter(&mut self) -> Vec<Request> {
        if self.started {
            return Vec::new();
        }
        self.started = true;
        self.reload()
    }

    fn leave(&mut self) {
        self.pending_edit = false;
    }

    fn refresh(&mut self) -> Vec<Request> {
        self.refresh_hidden()
    }

    /// The list reloads in place; an open edit form keeps the user's input.
    fn refresh_hidden(&mut self) -> Vec<Request> {
        let mut reqs = LedgerScreen::refresh(self);
        if self.mode == LedgerMode::Detail
            && let Some(id) = self.detail_id
        {
            reqs.push(Request::FacilityDetail { id });
        }
        reqs
    }

    fn resize(&mut self, body: usize) -> Vec<Request> {
        // Body minus the column header line.
        self.set_viewport(body.saturating_sub(1).max(1))
    }

    fn set_today(&mut self, today: chrono::NaiveDate) -> Vec<Request> {
        LedgerScreen::set_today(self, today)
    }

    fn on_reply(&mut self, reply: Reply, sh: &mut Shell) -> Result<Vec<Effect>, Reply> {
        self.apply_reply(reply, sh)
    }

    fn on_move(&mut self, m: Move, page: usize, sh: &mut Shell) -> Vec<Effect> {
        let delta = m.delta(self.viewport.max(1) as isize);
        if self.mode == LedgerMode::Plan {
            let max = self
                .plan
                .as_ref()
                .map_or(0, |p| super::plan_view::max_scroll(p, page as u16 + 1));
            let s = &mut self.detail_scroll;
            *s = match m {
                Move::Top => 0,
                Move::Bottom => max,
                _ => (*s as isize + delta).clamp(0, max as isize) as u16,
            };
            return Vec::new();
        }
        if self.mode != LedgerMode::Detail {
            return requests(match m {
                Move::Top => self.top(),
                Move::Bottom => self.bottom(),
                _ => self.move_by(delta),
            });
        }
        // On the Staff and Council tabs Up/Down move the cursor between people; the
        // page keys still scroll the tab.
        if self.people_rows() > 0 && matches!(m, Move::Up | Move::Down) {
            self.move_person(delta);
            return Vec::new();
        }
        // The detail scrolls its body: the list's rows plus the column header.
        let max = super::detail_max_scroll(self, &sh.ui, page as u16 + 1);
        let s = &mut self.detail_scroll;
        *s = match m {
            Move::Top => 0,
            Move::Bottom => max,
            _ => (*s as isize + delta).clamp(0, max as isize) as u16,
        };
        Vec::new()
    }

    fn on_key(&mut self, key: KeyEvent, sh: &mut Shell) -> Vec<Effect> {
        if let Some(p) = self
            .person
            .as_mut()
            .filter(|_| self.mode == LedgerMode::Person)
        {
            sh.dirty |= p.key(key);
            return Vec::new();
        }
        if let Some(m) = self
            .meeting
            .as_mut()
            .filter(|_| self.mode == LedgerMode::Meeting)
        {
            sh.dirty |= m.key(key);
            return Vec::new();
        }
        if let Some(edit) = self.edit.as_mut().filter(|_| self.mode == LedgerMode::Edit) {
            sh.dirty |= edit.key(key);
            return Vec::new();
        }
        let Some(search) = self.search.as_mut() else {
            return Vec::new();
        };
        let (draw, text_changed) = search.edit(key);
        sh.dirty |= draw;
        if !text_changed {
            return Vec::new();
        }
        let text = search.text().to_string();
        requests(self.set_search(&text))
    }

    fn on_paste(&mut self, text: &str, sh: &mut Shell) -> Vec<Effect> {
        if self.mode == LedgerMode::Person {
            sh.dirty |= self.person.as_mut().is_some_and(|p| p.paste(text));
            return Vec::new();
        }
        if self.mode == LedgerMode::Meeting {
            sh.dirty |= self.meeting.as_mut().is_some_and(|m| m.paste(text));
            return Vec::new();
        }
        if self.mode == LedgerMode::Edit {
            sh.dirty |= self.edit.as_mut().is_some_and(|e| e.paste(text));
            return Vec::new();
        }
        let pasted = self
            .search
            .as_mut()
            .and_then(|s| s.paste(text).then(|| s.text().to_string()));
        match pasted {
            Some(query) => {
                sh.dirty = true;
                requests(self.set_search(&query))
            }
            None => Vec::new(),
        }
    }

    fn dialog(&self) -> bool {
        self.mode == LedgerMode::Conflict || self.search.is_some()
    }

    fn on_confirm(&mut self, sh: &mut Shell) -> Verb {
        if self.mode == LedgerMode::Conflict {
            // Reapply: keep my input, now based on the stored version; save again.
            if let (Some(current), Some(edit)) = (self.conflict.take(), self.edit.as_mut()) {
                edit.rebase(&current);
            }
            self.mode = LedgerMode::Edit;
            sh.info(sh.lang().t(
                "自分の入力を現在の版に重ねました。確認して C-s で保存",
                "yours now sit on the stored version: check, then C-s",
            ));
            return Verb::Done(Vec::new());
        }
        // Enter on the search line: keep the filter, give focus back to the list.
        self.search = None;
        Verb::Done(Vec::new())
    }

    fn on_cancel(&mut self, sh: &mut Shell) -> Verb {
        if self.mode == LedgerMode::Conflict {
            // Discarding what the user typed asks first, as Esc in the form does.
            let message = sh.lang().t(
                "変更を破棄しますか？（現在の保存内容を表示します）",
                "Discard your changes? (the stored version is shown)",
            );
            let discard = |h: &mut dyn Host| {
                h.parts::<LedgerScreen>()
                    .map(|(_, l)| l.discard_conflict())
                    .unwrap_or_default()
            };
            return Verb::Ask(message.into(), Box::new(discard));
        }
        // Esc on the search line clears it.
        self.search = None;
        Verb::Done(requests(self.set_search("")))
    }

    fn on_back(&mut self, _sh: &mut Shell) -> Vec<Effect> {
        self.pending_edit = false;
        match self.mode {
            LedgerMode::Detail | LedgerMode::Plan => {
                self.mode = LedgerMode::List;
                Vec::new()
            }
            LedgerMode::List if !self.query.search.is_empty() => requests(self.set_search("")),
            _ => Vec::new(),
        }
    }

    fn form_open(&self) -> bool {
        matches!(
            self.mode,
            LedgerMode::Edit | LedgerMode::Meeting | LedgerMode::Person
        )
    }

    fn unsaved(&self) -> bool {
        self.has_unsaved_edit()
    }

    fn reveal(&self, sh: &Shell) -> Result<ReasonPrompt<dyn Host>, Reason> {
        let d = self
            .detail
            .as_ref()
            .filter(|_| self.mode == LedgerMode::Detail);
        let Some(d) = d else {
            return Err(Reason::new(
                "事業所の詳細表示で使えます",
                "available in a facility's detail view",
            ));
        };
        let title = format!(
            "{} {}",
            sh.lang().t("個人情報を表示:", "Reveal personal data:"),
            d.facility.fields.name
        );
        // The people tabs and the history come masked from the query layer: re-read.
        Ok(ReasonPrompt::reveal_then(
            "facility",
            &d.facility.id.to_string(),
            title,
            vec![Request::FacilityUpkeep { id: d.facility.id }],
        ))
    }

    fn draw(&mut self, frame: &mut Frame<'_>, area: Rect, sh: &Shell) {
        let ui = &sh.ui;
        match self.mode {
            LedgerMode::List => super::render_list(frame, area, self, ui),
            LedgerMode::Detail => {
                let show = self
                    .detail_id
                    .is_some_and(|id| sh.is_revealed("facility", &id.to_string()));
                super::render_detail(frame, area, self, ui, Pii { show });
            }
            LedgerMode::Edit => {
                if let Some(e) = &self.edit {
                    super::render_edit(frame, area, e, ui);
                }
            }
            LedgerMode::Conflict => {
                if let (Some(e), Some(c)) = (&self.edit, &self.conflict) {
                    super::render_conflict(frame, area, e, c, &sh.actor.staff_id, ui);
                }
            }
            LedgerMode::Meeting => {
                if let Some(m) = &self.meeting {
                    super::render_meeting_form(frame, area, m, ui);
                }
            }
            LedgerMode::Person => {
                if let Some(p) = &self.person {
                    super::render_person_form(frame, area, p, ui);
                }
            }
            LedgerMode::Plan => super::render_plan(frame, area, self, ui),
        }
    }

    /// The search line takes the status row (like `/` in less): opening it does not
    /// shift the list, so it costs a few bytes, not a repaint.
    fn draw_status(&self, frame: &mut Frame<'_>, area: Rect, sh: &Shell) -> bool {
        let Some(search) = self.search_line() else {
            return false;
        };
        let l = sh.lang();
        let label = format!("{} ", l.t("検索:", "Search:"));
        let lw = width(&label) as u16;
        frame.render_widget(
            Paragraph::new(Span::styled(label, sh.ui.theme.title)),
            Rect::new(area.x, area.y, lw, 1),
        );
        let count = match self.total {
            Some(n) => format!(" {n}{}", l.t("件", " found")),
            None => String::new(),
        };
        let cw = width(&count) as u16;
        let input = Rect::new(area.x + lw, area.y, area.width.saturating_sub(lw + cw), 1);
        search.render(frame, input, true);
        frame.render_widget(
            Paragraph::new(Span::styled(count, sh.ui.theme.dim)),
            Rect::new(area.x + area.width.saturating_sub(cw), area.y, cw, 1),
        );
        true
    }

    fn status(&self, sh: &Shell) -> String {
        let l = sh.lang();
        let q = &self.query;
        let mut parts = vec![match self.total {
            Some(n) => format!("{n}{}", l.t("件", " facilities")),
            None => l.t("読み込み中", "loading...").to_string(),
        }];
        if !q.search.is_empty() {
            parts.push(format!("{} {}", l.t("検索:", "search:"), q.search));
        }
        match self.alert {
            AlertFilter::Expiring => parts.push(
                l.t(
                    "絞込: 有効期限3か月以内",
                    "filter: expiring within 3 months",
                )
                .into(),
            ),
            AlertFilter::MeetingOverdue => parts.push(
                l.t("絞込: 運営推進会議の期限超過", "filter: meeting overdue")
                    .into(),
            ),
            AlertFilter::None => {
                if let Some(by) = q.expiring_by {
                    parts.push(format!(
                        "{} {by}",
                        l.t("絞込: 有効期限が次の日まで", "filter: expiring by")
                    ));
                }
            }
        }
        if let Some(code) = &q.service_code {
            parts.push(format!("{} {code}", l.t("サービス:", "service:")));
        }
        if let Some(s) = q.status {
            parts.push(format!(
                "{} {}",
                l.t("状態:", "status:"),
                if l.is_ja() {
                    s.label_ja()
                } else {
                    s.label_en()
                }
            ));
        }
        parts.join("  ")
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}
