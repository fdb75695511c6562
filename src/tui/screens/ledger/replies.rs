//! How the ledger applies the data worker's replies: pages, counts, the detail, and
//! the outcomes of a save (saved, invalid, conflict, failed).

use super::{LedgerMode, LedgerScreen, TAB_COUNT};
use crate::query::{Reply, Request};
use crate::tui::msg::Effect;
use crate::tui::screens::ledger::EditState;
use crate::tui::shell::Shell;

fn requests(reqs: Vec<Request>) -> Vec<Effect> {
    reqs.into_iter().map(Effect::Request).collect()
}

impl LedgerScreen {
    /// Applies a reply of the ledger's; gives back the others (and the refusals the
    /// app reports, after clearing the form's saving mark).
    pub(super) fn apply_reply(
        &mut self,
        reply: Reply,
        sh: &mut Shell,
    ) -> Result<Vec<Effect>, Reply> {
        let lang = sh.lang();
        let changed = match reply {
            Reply::LedgerPage {
                generation,
                merge,
                rows,
                limit,
            } => self.apply_page(generation, merge, rows, limit),
            Reply::LedgerCount { generation, count } => self.apply_count(generation, count),
            Reply::FacilityDetail(d) => {
                let id = d.facility.id;
                let applied = self.apply_detail(d);
                if applied
                    && std::mem::take(&mut self.pending_edit)
                    && self.mode == LedgerMode::Detail
                {
                    self.start_edit(sh);
                }
                sh.dirty |= applied;
                // The meeting duties and the history with values come with every detail.
                return Ok(if applied {
                    requests(vec![Request::FacilityUpkeep { id }])
                } else {
                    Vec::new()
                });
            }
            Reply::FacilityUpkeep(u) => {
                let mine = self.detail_id == Some(u.facility_id);
                if mine {
                    self.upkeep = Some(u);
                }
                mine
            }
            Reply::MeetingRecorded {
                facility_id,
                held_on,
                warning,
            } => return Ok(self.meeting_recorded(facility_id, &held_on, warning, sh)),
            Reply::PersonSaved {
                facility_id,
                kind,
                warning,
            } => return Ok(self.person_saved(facility_id, kind, warning, sh)),
            Reply::GuidancePlan(p) => {
                self.plan = Some(p);
                true
            }
            Reply::PersonConflict { facility_id, kind } => {
                return Ok(self.person_conflict(facility_id, kind, sh));
            }
            Reply::Saved { facility, warning } => return Ok(self.saved(&facility, warning, sh)),
            Reply::SaveInvalid(errors) => self.invalid(errors, sh),
            Reply::SaveConflict(current) => self.conflicted(current, sh),
            Reply::SaveFailed { ja, en } => {
                if let Some(e) = self.edit.as_mut() {
                    e.saving = false;
                }
                if let Some(m) = self.meeting.as_mut() {
                    m.saving = false;
                }
                if let Some(p) = self.person.as_mut() {
                    p.saving = false;
                }
                sh.error(if lang.is_ja() { ja } else { en });
                true
            }
            Reply::SaveRefused { .. } => {
                if let Some(e) = self.edit.as_mut() {
                    e.saving = false;
                }
                if let Some(m) = self.meeting.as_mut() {
                    m.saving = false;
                }
                if let Some(p) = self.person.as_mut() {
                    p.saving = false;
                }
                return Err(reply);
            }
            Reply::Failed { .. } => {
                self.pending_edit = false;
                return Err(reply);
            }
            other => return Err(other),
        };
        sh.dirty |= changed;
        Ok(Vec::new())
    }

    /// Saved: back to the detail, reloaded, with the list and the counts.
    fn saved(
        &mut self,
        facility: &crate::domain::model::Facility,
        warning: Option<String>,
        sh: &mut Shell,
    ) -> Vec<Effect> {
        let lang = sh.lang();
        self.edit = None;
        self.conflict = None;
        self.mode = LedgerMode::Detail;
        match warning {
            None => sh.info(format!(
                "{} {}",
                lang.t("保存しました:", "Saved:"),
                facility.fields.name
            )),
            Some(w) => sh.warn(format!(
                "{} {} ({w})",
                lang.t(
                    "保存しました。ただし監査の控えを書けません:",
                    "Saved, but the audit anchor could not be written:"
                ),
                facility.fields.name
            )),
        }
        let id = facility.id;
        let mut reqs = vec![Request::FacilityDetail { id }, Request::DueCounts];
        reqs.extend(self.refresh());
        requests(reqs)
    }

    /// The first problem as one sentence (it names its field); each one is also shown
    /// under its field.
    fn invalid(
        &mut self,
        errors: Vec<crate::domain::validate::FieldError>,
        sh: &mut Shell,
    ) -> bool {
        let lang = sh.lang();
        // The first problem as one sentence (it names its field); each one is
        // also shown under its field.
        let mut text = errors
            .first()
            .map(|e| {
                if lang.is_ja() {
                    e.ja.clone()
                } else {
                    e.en.clone()
                }
            })
            .unwrap_or_default();
        if errors.len() > 1 {
            let more = errors.len() - 1;
            text.push_str(&if lang.is_ja() {
                format!("（ほか{more}項目も確認してください）")
            } else {
                format!(" (and {more} more field(s) to check)")
            });
        }
        if self.mode == LedgerMode::Meeting
            && let Some(m) = self.meeting.as_mut()
        {
            m.set_errors(errors);
        } else if self.mode == LedgerMode::Person
            && let Some(p) = self.person.as_mut()
        {
            p.set_errors(errors);
        } else if let Some(e) = self.edit.as_mut() {
            e.set_errors(errors);
        }
        sh.error(text);
        true
    }

    /// Someone saved first: show both versions side by side.
    fn conflicted(&mut self, current: Box<crate::domain::model::Facility>, sh: &mut Shell) -> bool {
        let lang = sh.lang();
        let text = if current.updated_by == sh.actor.staff_id {
            lang.t(
                "あなたが別の画面で先に保存しています。両方の内容を確認してください",
                "you saved this facility in another window first: compare and choose",
            )
            .to_string()
        } else if lang.is_ja() {
            format!(
                "{} が先に保存しました。両方の内容を確認してください",
                current.updated_by
            )
        } else {
            format!("{} saved first: compare and choose", current.updated_by)
        };
        self.conflict = Some(current);
        self.mode = LedgerMode::Conflict;
        if let Some(e) = self.edit.as_mut() {
            e.saving = false;
        }
        sh.error(text);
        true
    }

    /// Opens the edit form on the facility shown (keeping input typed before).
    pub fn start_edit(&mut self, sh: &mut Shell) {
        if let Some(d) = &self.detail {
            if self.edit.as_ref().is_none_or(|e| e.id != d.facility.id) {
                self.edit = Some(EditState::new(&d.facility));
            }
            self.mode = LedgerMode::Edit;
        } else if self.selected_row().is_some() {
            sh.warn(sh.lang().t(
                "詳細を読み込んでから編集します（Enter）",
                "open the facility first (Enter)",
            ));
        }
    }

    pub fn next_tab(&mut self, forward: bool) {
        self.tab = if forward {
            (self.tab + 1) % TAB_COUNT
        } else {
            (self.tab + TAB_COUNT - 1) % TAB_COUNT
        };
        self.detail_scroll = 0;
        self.person_sel = 0;
    }
}

impl LedgerScreen {
    /// A meeting was recorded: back to the detail, reloaded (next due date, history),
    /// with the list and the header counts.
    fn meeting_recorded(
        &mut self,
        facility_id: i64,
        held_on: &str,
        warning: Option<String>,
        sh: &mut Shell,
    ) -> Vec<Effect> {
        let lang = sh.lang();
        let corrected = self.meeting.take().is_some_and(|m| m.correcting.is_some());
        if self.mode == LedgerMode::Meeting {
            self.mode = LedgerMode::Detail;
        }
        match warning {
            None if corrected => sh.info(format!(
                "{} {held_on}",
                lang.t(
                    "会議の記録を訂正しました。次回期限を計算し直しました: 開催日",
                    "Meeting record corrected; the next due date follows it: held on"
                )
            )),
            None => sh.info(format!(
                "{} {held_on}",
                lang.t(
                    "会議の開催を記録しました。次回期限を更新しました: 開催日",
                    "Meeting recorded; the next due date follows it: held on"
                )
            )),
            Some(w) => sh.warn(format!(
                "{} ({w})",
                lang.t(
                    "会議を記録しました。ただし監査の控えを書けません",
                    "Meeting recorded, but the audit anchor could not be written"
                )
            )),
        }
        let mut reqs = vec![
            Request::FacilityDetail { id: facility_id },
            Request::DueCounts,
        ];
        reqs.extend(self.refresh());
        requests(reqs)
    }

    /// Opens the meeting form on the facility shown.
    pub fn start_meeting(&mut self, sh: &mut Shell) {
        let Some(d) = &self.detail else {
            sh.warn(sh.lang().t(
                "詳細を読み込んでから記録します",
                "wait for the facility's detail to load",
            ));
            return;
        };
        let kind = self
            .upkeep
            .as_ref()
            .and_then(|u| u.duties.first())
            .map(|x| x.kind);
        let id = d.facility.id;
        if self.meeting.as_ref().is_none_or(|m| m.facility_id != id) {
            self.meeting = Some(super::MeetingForm::new(
                id,
                &d.facility.fields.name,
                kind,
                sh.lang(),
            ));
        }
        self.mode = LedgerMode::Meeting;
    }
}
