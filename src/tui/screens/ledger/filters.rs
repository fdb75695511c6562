//! What the ledger list shows: sort order, search, the alert filters and the filter
//! menu's choices. Each change reloads the list.

use super::{AlertFilter, LedgerScreen, Replace};
use crate::domain::view::ListQuery;
use crate::query::Request;
use chrono::{Months, NaiveDate};

impl LedgerScreen {
    pub fn next_sort(&mut self) -> Vec<Request> {
        self.query.sort = self.query.sort.next();
        self.reload_keeping_cursor()
    }

    pub fn reverse_sort(&mut self) -> Vec<Request> {
        self.query.descending = !self.query.descending;
        self.reload_keeping_cursor()
    }

    /// The same rows in a new order, shown from its top: someone who sorts by expiry
    /// wants the soonest first. The cursor stays on the facility it was on when that
    /// row is on the first page, else it goes to the first row.
    fn reload_keeping_cursor(&mut self) -> Vec<Request> {
        let keep = self.selected_row().map(|r| r.id);
        let reqs = self.reload();
        if let Some(keep_id) = keep {
            self.replace = Some(Replace::Sorted { keep_id });
        }
        reqs
    }

    pub fn set_search(&mut self, text: &str) -> Vec<Request> {
        if self.query.search == text {
            return Vec::new();
        }
        self.query.search = text.to_string();
        self.reload()
    }

    pub fn cycle_alert(&mut self) -> Vec<Request> {
        self.alert = match self.alert {
            AlertFilter::None => AlertFilter::Expiring,
            AlertFilter::Expiring => AlertFilter::MeetingOverdue,
            AlertFilter::MeetingOverdue => AlertFilter::None,
        };
        self.apply_alert();
        self.reload()
    }

    /// The date rolled over (midnight): deadlines and alert filters count from `today`.
    pub fn set_today(&mut self, today: NaiveDate) -> Vec<Request> {
        self.today = today;
        self.query.today = Some(today);
        if self.alert != AlertFilter::None {
            self.apply_alert();
        }
        self.reload()
    }

    fn apply_alert(&mut self) {
        self.query.expiring_by = None;
        self.query.meeting_overdue_on = None;
        match self.alert {
            AlertFilter::None => {}
            AlertFilter::Expiring => self.query.expiring_by = Some(self.expiring_horizon()),
            AlertFilter::MeetingOverdue => self.query.meeting_overdue_on = Some(self.today),
        }
    }

    pub fn clear_filters(&mut self) -> Vec<Request> {
        self.alert = AlertFilter::None;
        self.search = None;
        self.query = ListQuery {
            sort: self.query.sort,
            descending: self.query.descending,
            today: Some(self.today),
            ..Default::default()
        };
        self.reload()
    }

    pub fn filter_service(&mut self, code: Option<String>) -> Vec<Request> {
        self.query.service_code = code;
        self.reload()
    }

    /// Designations expiring within `months` (0: no expiry condition).
    pub fn filter_expiring(&mut self, months: u32) -> Vec<Request> {
        self.alert = AlertFilter::None;
        self.query.meeting_overdue_on = None;
        self.query.expiring_by = (months > 0)
            .then(|| self.today.checked_add_months(Months::new(months)))
            .flatten();
        self.reload()
    }

    pub fn filter_meeting_overdue(&mut self) -> Vec<Request> {
        self.alert = AlertFilter::MeetingOverdue;
        self.apply_alert();
        self.reload()
    }

    pub fn filter_status(
        &mut self,
        status: Option<crate::domain::model::FacilityStatus>,
    ) -> Vec<Request> {
        self.query.status = status;
        self.reload()
    }
}
