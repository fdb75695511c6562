//! The store's read operations, as methods: what the query layer and the commands ask
//! for, without a connection in their hands. A server database implements the same
//! list; the free functions they call stay the store's own vocabulary.

use super::{Result, Store, StoreError, audit, cases, checklist, dashboard, facilities, jobs};
use super::{reference, users};
use crate::domain::model::{ApplicationRow, ConsentRow, Facility, FacilityRow, ServiceType};
use crate::domain::view::{
    ConnectionStatus, Cursor, Direction, DueCounts, FacilityDetail, JobRow, ListQuery, Record,
};
use chrono::NaiveDate;

/// Stops a query running on a store's connection from another thread; the query fails
/// with "interrupted" (see [`is_interrupted`]). Interrupting an idle store does nothing.
pub struct Interrupt(rusqlite::InterruptHandle);

impl Interrupt {
    pub fn interrupt(&self) {
        self.0.interrupt();
    }
}

/// True if `e` is a query stopped by [`Interrupt::interrupt`].
pub fn is_interrupted(e: &StoreError) -> bool {
    matches!(
        e,
        StoreError::Sqlite(rusqlite::Error::SqliteFailure(f, _))
            if f.code == rusqlite::ErrorCode::OperationInterrupted
    )
}

impl Store {
    pub fn interrupt_handle(&self) -> Interrupt {
        Interrupt(self.conn.get_interrupt_handle())
    }

    /// Up to `limit` ledger rows after (or before) `from`, in list order.
    pub fn ledger_page(
        &self,
        q: &ListQuery,
        from: Option<&Cursor>,
        dir: Direction,
        limit: usize,
    ) -> Result<Vec<(Cursor, FacilityRow)>> {
        facilities::page(&self.conn, q, from, dir, limit)
    }

    /// Rows matching `q`, counted up to `cap`.
    pub fn ledger_count(&self, q: &ListQuery, cap: usize) -> Result<usize> {
        facilities::count(&self.conn, q, cap)
    }

    pub fn facility(&self, id: i64) -> Result<Option<Facility>> {
        facilities::get(&self.conn, id)
    }

    /// Everything the detail view shows about one facility.
    pub fn facility_detail(&self, id: i64) -> Result<FacilityDetail> {
        let conn = &self.conn;
        let facility = facilities::get(conn, id)?
            .ok_or_else(|| StoreError::NotFound(format!("facility {id}")))?;
        let corporation = match facility.corporation_id {
            Some(cid) => cases::corporation(conn, cid)?,
            None => None,
        };
        Ok(FacilityDetail {
            designations: facilities::designations(conn, id)?,
            staff: facilities::staff(conn, id)?,
            council_members: facilities::council_members(conn, id)?,
            meetings: facilities::meetings(conn, id)?,
            history: audit::for_object(conn, "facility", &id.to_string(), 100)?,
            applications: cases::applications_for_facility(conn, id)?,
            consents: cases::consents_for_facility(conn, id)?,
            summary: facilities::row(conn, id)?,
            corporation,
            facility,
        })
    }

    pub fn due_counts(&self, today: NaiveDate, expiring_months: u32) -> Result<DueCounts> {
        dashboard::due_counts(&self.conn, today, expiring_months)
    }

    /// Applications, open ones first by due date, at most `limit`; closed ones too
    /// with `include_closed`.
    pub fn applications(&self, include_closed: bool, limit: usize) -> Result<Vec<ApplicationRow>> {
        cases::applications(&self.conn, include_closed, limit)
    }

    pub fn application(&self, id: i64) -> Result<Option<ApplicationRow>> {
        cases::application(&self.conn, id)
    }

    pub fn consents(&self, limit: usize) -> Result<Vec<ConsentRow>> {
        cases::consents(&self.conn, limit)
    }

    pub fn checklist_status(&self) -> Result<Vec<ConnectionStatus>> {
        checklist::status(&self.conn)
    }

    pub fn recent_jobs(&self, limit: usize) -> Result<Vec<JobRow>> {
        jobs::recent_jobs(&self.conn, limit)
    }

    /// The newest `limit` audit records about one object, newest first.
    pub fn audit_for_object(
        &self,
        object_type: &str,
        object_id: &str,
        limit: usize,
    ) -> Result<Vec<Record>> {
        audit::for_object(&self.conn, object_type, object_id, limit)
    }

    pub fn user(&self, staff_id: &str) -> Result<Option<users::User>> {
        users::get(&self.conn, staff_id)
    }

    pub fn service_types(&self) -> Result<Vec<ServiceType>> {
        reference::service_types(&self.conn)
    }
}
