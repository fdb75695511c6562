//! 公示 (public notices of designations, closures, cancellations, suspensions) and
//! 更新案内 (renewal guidance for designations about to expire).

use super::{Result, date_opt};
use crate::domain::decision::NoticeKind;
use chrono::{Months, NaiveDate};
use rusqlite::{Connection, params};

/// One 公示 entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicNotice {
    pub id: i64,
    pub kind: NoticeKind,
    pub facility_id: i64,
    pub provider_number: String,
    pub name: String,
    pub address: String,
    pub service_code: String,
    pub service_name: String,
    pub effective_on: Option<NaiveDate>,
    pub application_id: Option<i64>,
}

/// The 公示 entries whose date falls in `month` (any day of it), by date.
pub fn public_notices(conn: &Connection, month: NaiveDate) -> Result<Vec<PublicNotice>> {
    let ym = month.format("%Y-%m").to_string();
    let mut st = conn.prepare_cached(
        "SELECT n.id, n.kind, n.facility_id, n.provider_number, n.name, n.address, n.service_code,
                coalesce(t.name, ''), n.effective_on, n.application_id
         FROM public_notice n LEFT JOIN ref_service_type t ON t.code = n.service_code
         WHERE substr(n.effective_on, 1, 7) = ?1 ORDER BY n.effective_on, n.id",
    )?;
    let rows = st.query_map([ym], |r| {
        let kind: String = r.get(1)?;
        Ok(PublicNotice {
            id: r.get(0)?,
            kind: NoticeKind::from_code(&kind).unwrap_or(NoticeKind::Designation),
            facility_id: r.get(2)?,
            provider_number: r.get(3)?,
            name: r.get(4)?,
            address: r.get(5)?,
            service_code: r.get(6)?,
            service_name: r.get(7)?,
            effective_on: date_opt(r.get(8)?),
            application_id: r.get(9)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// A designation whose period ends soon, for 更新案内.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenewalDue {
    pub designation_id: i64,
    pub facility_id: i64,
    pub provider_number: String,
    pub facility_name: String,
    pub postal_code: String,
    pub address: String,
    pub service_code: String,
    pub service_name: String,
    pub expires_on: NaiveDate,
    /// The day the notice should go out (`CalendarRules::renewal_notice_date`).
    pub notice_due_on: NaiveDate,
    /// When a notice for this period was recorded as sent.
    pub sent_on: Option<NaiveDate>,
}

/// Active designations of facilities in business that end between `today` and `months`
/// months later, soonest first, with the notice date `notice_months` before the end.
pub fn renewals_due(
    conn: &Connection,
    today: NaiveDate,
    months: u32,
    notice_months: u32,
) -> Result<Vec<RenewalDue>> {
    let horizon = today
        .checked_add_months(Months::new(months))
        .unwrap_or(today);
    let mut st = conn.prepare_cached(
        "SELECT d.id, f.id, f.provider_number, f.name, f.postal_code, f.address, d.service_code,
                coalesce(t.name, ''), d.expires_on,
                (SELECT max(sent_on) FROM renewal_notice r WHERE r.designation_id = d.id AND r.expires_on = d.expires_on)
         FROM designation d JOIN facility f ON f.id = d.facility_id
         LEFT JOIN ref_service_type t ON t.code = d.service_code
         WHERE d.status = 'active' AND f.status IN ('active', 'suspended')
           AND d.expires_on >= ?1 AND d.expires_on <= ?2
         ORDER BY d.expires_on, f.provider_number, d.service_code",
    )?;
    let rows = st.query_map(params![today.to_string(), horizon.to_string()], |r| {
        let expires_on = date_opt(r.get(8)?).unwrap_or(today);
        Ok(RenewalDue {
            designation_id: r.get(0)?,
            facility_id: r.get(1)?,
            provider_number: r.get(2)?,
            facility_name: r.get(3)?,
            postal_code: r.get(4)?,
            address: r.get(5)?,
            service_code: r.get(6)?,
            service_name: r.get(7)?,
            notice_due_on: expires_on
                .checked_sub_months(Months::new(notice_months))
                .unwrap_or(expires_on),
            expires_on,
            sent_on: date_opt(r.get(9)?),
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Records that the renewal notice for a designation's current period went out.
pub fn record_renewal_notice(
    conn: &Connection,
    due: &RenewalDue,
    sent_on: NaiveDate,
    actor: &str,
    html_path: &str,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO renewal_notice(designation_id, facility_id, expires_on, sent_on, actor, html_path)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT(designation_id, expires_on) DO UPDATE SET sent_on = excluded.sent_on,
            actor = excluded.actor, html_path = excluded.html_path",
    )?
    .execute(params![
        due.designation_id,
        due.facility_id,
        due.expires_on.to_string(),
        sent_on.to_string(),
        actor,
        html_path
    ])?;
    Ok(())
}
