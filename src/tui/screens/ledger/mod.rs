//! 事業所台帳: the facility list (virtualised, keyset-paged), detail tabs, edit form and
//! conflict view.

pub mod commands;
mod detail;
mod edit;
mod filters;
mod guidance_view;
mod list;
mod meeting_commands;
mod meeting_form;
mod people_view;
mod person_commands;
mod person_form;
mod plan_view;
mod replies;
mod screen;
mod upkeep_view;

pub use detail::{Pii, TAB_COUNT, max_scroll as detail_max_scroll, tab_title};
pub use edit::{EditState, field_label};
pub use meeting_form::MeetingForm;
pub use person_form::PersonForm;

use crate::domain::model::{Facility, FacilityRow};
use crate::domain::view::{Cursor, Direction, ListQuery, SortKey};
use crate::query::{FacilityDetail, PageMerge, Request};
use crate::tui::input::LineInput;
use chrono::{Months, NaiveDate};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LedgerMode {
    List,
    Detail,
    Edit,
    Conflict,
    /// Recording a meeting held (issue 13).
    Meeting,
    /// Adding or changing a 従事者 or 構成員, or changing the corporation.
    Person,
    /// The 運営指導 plan of the fiscal year.
    Plan,
}

/// The alert key cycles through these list filters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AlertFilter {
    #[default]
    None,
    Expiring,
    MeetingOverdue,
}

/// What a pending whole-window fetch is for.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Replace {
    Top,
    Bottom,
    /// A new order (sort change): the list shows the top of the new order; the cursor
    /// stays on this facility if it is on that first page.
    Sorted {
        keep_id: i64,
    },
    /// Reload in place after another process wrote; keep the cursor on this facility.
    Refresh {
        keep_id: i64,
        keep_index: usize,
        was_at_start: bool,
    },
}

pub struct LedgerScreen {
    pub mode: LedgerMode,
    pub query: ListQuery,
    pub alert: AlertFilter,
    generation: u64,
    /// Separate from `generation`: jumping to the top or bottom re-fetches rows but
    /// keeps the count of the same query.
    count_generation: u64,
    pub rows: Vec<(Cursor, FacilityRow)>,
    pub selected: usize,
    pub offset: usize,
    at_start: bool,
    at_end: bool,
    replace: Option<Replace>,
    fetching_more: bool,
    pub total: Option<usize>,
    pub loaded_once: bool,
    /// Some while the search line has focus.
    pub search: Option<LineInput>,
    /// Visible rows in the list body; set from the terminal size.
    pub viewport: usize,
    pub detail: Option<Box<FacilityDetail>>,
    pub detail_id: Option<i64>,
    pub tab: usize,
    pub detail_scroll: u16,
    pub edit: Option<EditState>,
    pub conflict: Option<Box<Facility>>,
    pub today: NaiveDate,
    pub expiring_months: u32,
    /// `e` on a list row: open the edit form once the detail has arrived.
    pub pending_edit: bool,
    /// The first page has been asked for.
    started: bool,
    /// The filter menu's service types.
    pub service_types: Vec<crate::domain::model::ServiceType>,
    /// Where exports go by default (`~/daicho-exports`).
    pub export_dir: std::path::PathBuf,
    /// Meeting duties and records and the history with values of the facility shown.
    pub upkeep: Option<Box<crate::query::upkeep::Upkeep>>,
    /// The meeting form, while recording one.
    pub meeting: Option<MeetingForm>,
    /// The person form, while adding or changing one.
    pub person: Option<PersonForm>,
    /// The cursor on the Staff and Council tabs.
    pub person_sel: usize,
    /// The 運営指導 plan shown in `LedgerMode::Plan`.
    pub plan: Option<Box<crate::domain::guidance::YearPlan>>,
}

const MIN_FETCH: usize = 40;

impl LedgerScreen {
    pub fn new(today: NaiveDate, expiring_months: u32) -> Self {
        Self {
            mode: LedgerMode::List,
            query: ListQuery {
                today: Some(today),
                ..Default::default()
            },
            alert: AlertFilter::None,
            generation: 0,
            count_generation: 0,
            rows: Vec::new(),
            selected: 0,
            offset: 0,
            at_start: true,
            at_end: true,
            replace: None,
            fetching_more: false,
            total: None,
            loaded_once: false,
            search: None,
            viewport: 18,
            detail: None,
            detail_id: None,
            tab: 0,
            detail_scroll: 0,
            edit: None,
            conflict: None,
            today,
            expiring_months,
            pending_edit: false,
            started: false,
            service_types: Vec::new(),
            export_dir: std::path::PathBuf::from("."),
            upkeep: None,
            meeting: None,
            person: None,
            person_sel: 0,
            plan: None,
        }
    }

    fn fetch_size(&self) -> usize {
        (self.viewport * 2).max(MIN_FETCH)
    }

    fn buffer_cap(&self) -> usize {
        self.fetch_size() * 3
    }

    pub fn selected_row(&self) -> Option<&FacilityRow> {
        self.rows.get(self.selected).map(|(_, r)| r)
    }

    /// A new query (search, sort, filter): fetch from the top and recount.
    pub fn reload(&mut self) -> Vec<Request> {
        self.count_generation += 1;
        vec![
            self.fetch_top(),
            Request::LedgerCount {
                generation: self.count_generation,
                query: self.query.clone(),
            },
        ]
    }

    fn fetch_top(&mut self) -> Request {
        self.generation += 1;
        self.replace = Some(Replace::Top);
        self.fetching_more = false;
        Request::LedgerPage {
            generation: self.generation,
            query: self.query.clone(),
            from: None,
            dir: Direction::Forward,
            limit: self.fetch_size(),
            merge: PageMerge::Replace,
        }
    }

    fn load_bottom(&mut self) -> Vec<Request> {
        self.generation += 1;
        self.replace = Some(Replace::Bottom);
        self.fetching_more = false;
        vec![Request::LedgerPage {
            generation: self.generation,
            query: self.query.clone(),
            from: None,
            dir: Direction::Backward,
            limit: self.fetch_size(),
            merge: PageMerge::Replace,
        }]
    }

    /// Re-reads the visible window after another process committed, keeping the cursor.
    pub fn refresh(&mut self) -> Vec<Request> {
        let Some((cursor, row)) = self.rows.get(self.offset) else {
            return self.reload();
        };
        let was_at_start = self.at_start && self.offset == 0;
        // Keyset is strict (>), so step one id back to include the first visible row.
        let step = if self.query.descending { 1 } else { -1 };
        let from = Cursor {
            key: cursor.key.clone(),
            id: cursor.id + step,
        };
        let keep_id = self.selected_row().map_or(row.id, |r| r.id);
        self.generation += 1;
        self.count_generation += 1;
        self.replace = Some(Replace::Refresh {
            keep_id,
            keep_index: self.selected - self.offset,
            was_at_start,
        });
        // At the top, re-read from the top: a facility added before the first row shows.
        let from = if was_at_start { None } else { Some(from) };
        self.fetching_more = false;
        vec![
            Request::LedgerPage {
                generation: self.generation,
                query: self.query.clone(),
                from,
                dir: Direction::Forward,
                limit: self.fetch_size(),
                merge: PageMerge::Replace,
            },
            Request::LedgerCount {
                generation: self.count_generation,
                query: self.query.clone(),
            },
        ]
    }

    /// Counts answer queries, not positions: Home/End never make a count stale.
    pub fn apply_count(&mut self, generation: u64, count: usize) -> bool {
        if generation != self.count_generation {
            return false;
        }
        self.total = Some(count);
        true
    }

    pub fn apply_page(
        &mut self,
        generation: u64,
        merge: PageMerge,
        rows: Vec<(Cursor, FacilityRow)>,
        limit: usize,
    ) -> bool {
        if generation != self.generation {
            return false; // an answer to a query the user has already replaced
        }
        let complete = rows.len() < limit;
        match merge {
            PageMerge::Replace => {
                let replace = self.replace.take();
                self.loaded_once = true;
                self.rows = rows;
                self.offset = 0;
                match replace {
                    Some(Replace::Bottom) => {
                        self.at_end = true;
                        self.at_start = complete;
                        self.selected = self.rows.len().saturating_sub(1);
                    }
                    Some(Replace::Refresh {
                        keep_id,
                        keep_index,
                        was_at_start,
                    }) => {
                        self.at_start = was_at_start;
                        self.at_end = complete;
                        self.selected = self
                            .rows
                            .iter()
                            .position(|(_, r)| r.id == keep_id)
                            .unwrap_or(keep_index)
                            .min(self.rows.len().saturating_sub(1));
                    }
                    Some(Replace::Sorted { keep_id }) => {
                        self.at_start = true;
                        self.at_end = complete;
                        self.selected = self
                            .rows
                            .iter()
                            .take(self.viewport.max(1))
                            .position(|(_, r)| r.id == keep_id)
                            .unwrap_or(0);
                    }
                    Some(Replace::Top) | None => {
                        self.at_start = true;
                        self.at_end = complete;
                        self.selected = 0;
                    }
                }
            }
            PageMerge::Append => {
                self.fetching_more = false;
                self.at_end = complete;
                self.rows.extend(rows);
                let excess = self.rows.len().saturating_sub(self.buffer_cap());
                let excess = excess.min(self.offset);
                if excess > 0 {
                    self.rows.drain(..excess);
                    self.selected -= excess;
                    self.offset -= excess;
                    self.at_start = false;
                }
            }
            PageMerge::Prepend => {
                self.fetching_more = false;
                self.at_start = complete;
                let n = rows.len();
                self.rows.splice(0..0, rows);
                self.selected += n;
                self.offset += n;
                let cap = self.buffer_cap();
                let keep_to = (self.offset + self.viewport).max(cap);
                if self.rows.len() > keep_to {
                    self.rows.truncate(keep_to);
                    self.at_end = false;
                }
            }
        }
        self.scroll_into_view();
        true
    }

    fn scroll_into_view(&mut self) {
        let vp = self.viewport.max(1);
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + vp {
            self.offset = self.selected + 1 - vp;
        }
    }

    /// Moves the cursor by `delta` rows within what is loaded and asks for more rows
    /// before the cursor reaches the edge of the buffer.
    pub fn move_by(&mut self, delta: isize) -> Vec<Request> {
        if self.rows.is_empty() {
            return Vec::new();
        }
        let last = self.rows.len() - 1;
        self.selected = self.selected.saturating_add_signed(delta).min(last);
        self.scroll_into_view();
        self.prefetch()
    }

    fn prefetch(&mut self) -> Vec<Request> {
        if self.fetching_more || self.replace.is_some() {
            return Vec::new();
        }
        let margin = self.viewport.max(10);
        let (cursor, dir, merge) = if !self.at_end && self.selected + margin >= self.rows.len() {
            (
                self.rows.last().map(|(c, _)| c.clone()),
                Direction::Forward,
                PageMerge::Append,
            )
        } else if !self.at_start && self.selected < margin {
            (
                self.rows.first().map(|(c, _)| c.clone()),
                Direction::Backward,
                PageMerge::Prepend,
            )
        } else {
            return Vec::new();
        };
        self.fetching_more = true;
        vec![Request::LedgerPage {
            generation: self.generation,
            query: self.query.clone(),
            from: cursor,
            dir,
            limit: self.fetch_size(),
            merge,
        }]
    }

    pub fn top(&mut self) -> Vec<Request> {
        if self.at_start {
            self.selected = 0;
            self.scroll_into_view();
            return Vec::new();
        }
        vec![self.fetch_top()]
    }

    pub fn bottom(&mut self) -> Vec<Request> {
        if self.at_end && !self.rows.is_empty() {
            self.selected = self.rows.len() - 1;
            self.scroll_into_view();
            return Vec::new();
        }
        self.load_bottom()
    }

    pub fn set_viewport(&mut self, rows: usize) -> Vec<Request> {
        self.viewport = rows.max(1);
        self.scroll_into_view();
        if self.loaded_once {
            self.prefetch()
        } else {
            Vec::new()
        }
    }

    pub fn open_selected(&mut self) -> Vec<Request> {
        let Some(id) = self.selected_row().map(|r| r.id) else {
            return Vec::new();
        };
        if self.detail_id != Some(id) {
            self.detail = None;
            self.upkeep = None;
            self.tab = 0;
            self.person_sel = 0;
        }
        self.detail_id = Some(id);
        self.detail_scroll = 0;
        self.mode = LedgerMode::Detail;
        vec![Request::FacilityDetail { id }]
    }

    pub fn apply_detail(&mut self, d: Box<FacilityDetail>) -> bool {
        if self.detail_id != Some(d.facility.id) {
            return false;
        }
        // Keep the list row in step with what was just read.
        if let Some((_, row)) = self.rows.iter_mut().find(|(_, r)| r.id == d.facility.id) {
            row.name = d.facility.fields.name.clone();
            row.provider_number = d.facility.fields.provider_number.clone();
            row.town = d.facility.fields.town.clone();
        }
        self.detail = Some(d);
        true
    }

    /// Last day of the "expiring soon" window.
    pub fn expiring_horizon(&self) -> NaiveDate {
        self.today
            .checked_add_months(Months::new(self.expiring_months))
            .unwrap_or(self.today)
    }

    pub fn sort_key(&self) -> SortKey {
        self.query.sort
    }

    pub fn has_unsaved_edit(&self) -> bool {
        self.edit.as_ref().is_some_and(EditState::is_dirty)
            || self.meeting.as_ref().is_some_and(MeetingForm::is_dirty)
            || self.person.as_ref().is_some_and(PersonForm::is_dirty)
    }
}

pub use detail::render as render_detail;
pub use edit::{render as render_edit, render_conflict};
pub use list::render as render_list;
pub use meeting_form::render as render_meeting_form;
pub use person_form::render as render_person_form;
pub use plan_view::render as render_plan;
