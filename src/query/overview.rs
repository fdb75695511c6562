//! The overview screen (概況): every block's numbers in one read, from the same store
//! functions the other screens and the header count with.

use super::DataContext;
use super::reply::Reply;
use crate::domain::checklist::Side;
use crate::domain::guidance::{fiscal_year, fiscal_year_range};
use crate::domain::inbox::InboxQuery;
use crate::domain::job::JobKind;
use crate::domain::overview::{AgeBands, ChecklistCell, Overview, band};
use crate::store::{self, Result, is_interrupted};
use chrono::{Datelike, Months, NaiveDate};

/// The answer to `Request::Overview`; `None` when interrupted.
pub(super) fn answer(ctx: &DataContext) -> Option<Reply> {
    match read(ctx) {
        Ok(o) => Some(Reply::Overview(Box::new(o))),
        Err(e) if is_interrupted(&e) => None,
        Err(e) => Some(Reply::Failed {
            what: "overview",
            message: e.to_string(),
        }),
    }
}

fn first_of_month(d: NaiveDate) -> NaiveDate {
    d.with_day(1).unwrap_or(d)
}

/// Reads every number of the overview as of `ctx.today` for `ctx.actor`.
pub fn read(ctx: &DataContext) -> Result<Overview> {
    let conn = ctx.store.conn();
    let today = ctx.today;
    let mut o = Overview {
        today,
        ..Overview::default()
    };
    expiring(ctx, &mut o)?;
    let page = store::inbox::list(
        conn,
        &InboxQuery {
            open_only: true,
            ..InboxQuery::default()
        },
        today,
        0,
    )?;
    o.inbox_by_status = page
        .by_status
        .into_iter()
        .filter(|(s, n)| s.is_open() && *n > 0)
        .collect();
    for (due, assignee) in store::overview::open_deadlines(conn)? {
        let late = due.is_some_and(|d| d < today);
        bump(
            &mut o.inbox_age,
            late,
            due.map_or(0, |d| (d - today).num_days()),
        );
        if assignee.as_deref() == Some(ctx.actor.staff_id.as_str()) {
            o.inbox_mine += 1;
            o.inbox_mine_overdue += usize::from(late);
        }
    }
    let due = store::dashboard::due_counts(conn, today, ctx.rules.expiring_alert_months)?;
    o.meetings_overdue = due.meetings_overdue;
    o.guidance = due.guidance;
    let month_end = first_of_month(today) + Months::new(1) - chrono::Days::new(1);
    let (_, fy_end) = fiscal_year_range(fiscal_year(today));
    o.guidance_this_month = store::overview::guidance_due_by(conn, month_end.min(fy_end))?;
    for (sent, due_on) in store::overview::consents_awaiting(conn)? {
        let late = due_on.is_some_and(|d| d < today);
        bump(
            &mut o.consent_age,
            late,
            sent.map_or(0, |d| (today - d).num_days()),
        );
    }
    checklist(ctx, &mut o)?;
    for kind in JobKind::ALL {
        o.jobs
            .push((kind, store::overview::last_run(conn, kind.code())?));
    }
    o.quarantine = store::overview::quarantine_count(conn)?;
    Ok(o)
}

fn bump(b: &mut AgeBands, late: bool, days: i64) {
    if late {
        b.overdue += 1;
    } else {
        b.bands[band(days)] += 1;
    }
}

/// Designations ending in each of the next twelve months, and notices due unsent.
fn expiring(ctx: &DataContext, o: &mut Overview) -> Result<()> {
    let start = first_of_month(ctx.today);
    o.expiring = (0..12).map(|i| (start + Months::new(i), 0)).collect();
    let notice = ctx.rules.renewal_notice_months;
    for r in store::notices::renewals_due(ctx.store.conn(), ctx.today, 12, notice)? {
        if let Some(slot) = o
            .expiring
            .iter_mut()
            .find(|(m, _)| first_of_month(r.expires_on) == *m)
        {
            slot.1 += 1;
        }
        if r.sent_on.is_none() && r.notice_due_on <= ctx.today {
            o.renewal_notices_due += 1;
        }
    }
    Ok(())
}

fn checklist(ctx: &DataContext, o: &mut Overview) -> Result<()> {
    let conn = ctx.store.conn();
    let interval = store::checklist_audit::interval_months(conn)?;
    for row in store::checklist_audit::matrix(conn, ctx.today, interval)? {
        o.checklist.push(ChecklistCell {
            code: row.connection.code.clone(),
            name_ja: row.connection.name_ja.clone(),
            name_en: row.connection.name_en.clone(),
            side_ward: row.side == Side::Ward,
            gaps: row.last.as_ref().map(|_| row.counts.gap),
            overdue: row.overdue,
        });
        o.checklist_next_due = match (o.checklist_next_due, row.next_due) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
    }
    Ok(())
}
