//! The checklist screen's requests and answers (issue 16): the status matrix, one
//! audit's items, an item's history, and the audit writes (start, mark, sign) through
//! `service::checklist`. One `Request`/`Reply` variant carries them all.

use super::DataContext;
use crate::domain::checklist::{
    AuditDetail, AuditHeader, Event, EventKind, HistoryEntry, MarkInput, MatrixRow, OpenGap, Side,
};
pub use crate::service::selfcheck::SelfCheck;
use crate::service::{self, ServiceError, selfcheck};
use crate::store::{StoreError, checklist_audit as ca, is_interrupted};
use chrono::NaiveDate;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone)]
pub enum ChecklistAsk {
    /// Connections × side, the open gaps and the audit interval.
    Matrix,
    /// The open audit of a connection and side, else its latest signed one.
    Audit {
        code: String,
        side: Side,
    },
    History {
        code: String,
        side: Side,
        item: i64,
    },
    Start {
        code: String,
        side: Side,
    },
    Mark {
        audit_id: i64,
        item: i64,
        /// The row version shown (0 = it had no mark).
        version: i64,
        input: MarkInput,
    },
    Sign {
        audit_id: i64,
        version: i64,
    },
    /// The self-checks (files, backups, audit chain, reviews, retention, exports).
    SelfChecks,
    /// A new note or evidence for an item that keeps its mark.
    Note {
        audit_id: i64,
        item: i64,
        version: i64,
        input: MarkInput,
    },
    /// The events recorded for a connection (items 2–5).
    Events {
        code: String,
    },
    RecordEvent {
        code: String,
        kind: EventKind,
        date: NaiveDate,
        document: String,
        note: String,
    },
    SetInterval {
        months: u32,
    },
    /// The committee's table of a connection and side into `dir` (HTML, text, CSV).
    Report {
        code: String,
        side: Side,
        dir: PathBuf,
    },
}

#[derive(Debug, Clone)]
pub enum ChecklistAnswer {
    Matrix {
        rows: Vec<MatrixRow>,
        gaps: Vec<OpenGap>,
        interval_months: u32,
    },
    Audit {
        code: String,
        side: Side,
        detail: Option<Box<AuditDetail>>,
    },
    History {
        item: i64,
        entries: Vec<HistoryEntry>,
    },
    Started(Box<AuditDetail>),
    Marked {
        item: i64,
        detail: Box<AuditDetail>,
    },
    /// Someone saved first: the audit as stored now; `item` when a mark lost.
    Conflict {
        item: Option<i64>,
        detail: Box<AuditDetail>,
    },
    Signed(Box<AuditHeader>),
    SelfChecks(Vec<SelfCheck>),
    Noted {
        item: i64,
        detail: Box<AuditDetail>,
    },
    Events {
        code: String,
        events: Vec<Event>,
    },
    EventRecorded {
        code: String,
        kind: EventKind,
    },
    IntervalSet(u32),
    /// The report's files (HTML, text, CSV).
    Reported(Vec<PathBuf>),
    /// The list has no audit to report on.
    NothingToReport,
    Refused {
        ja: String,
        en: String,
    },
}

impl ChecklistAsk {
    /// Reads replace each other when they queue up; writes never do.
    pub fn coalesce_key(&self) -> Option<&'static str> {
        match self {
            ChecklistAsk::Matrix => Some("checklist.matrix"),
            ChecklistAsk::Audit { .. } => Some("checklist.audit"),
            ChecklistAsk::History { .. } => Some("checklist.history"),
            ChecklistAsk::SelfChecks => Some("checklist.selfchecks"),
            ChecklistAsk::Events { .. } => Some("checklist.events"),
            _ => None,
        }
    }

    pub fn is_write(&self) -> bool {
        self.coalesce_key().is_none()
    }
}

type Answer = Option<ChecklistAnswer>;

/// Answers one checklist request; `None` when a read was interrupted.
pub(crate) fn answer(
    ctx: &mut DataContext,
    ask: ChecklistAsk,
) -> Option<Result<ChecklistAnswer, String>> {
    match ask {
        ChecklistAsk::Matrix => read(matrix(ctx)),
        ChecklistAsk::Audit { code, side } => {
            read(
                audit(ctx, &code, side).map(|detail| ChecklistAnswer::Audit {
                    code,
                    side,
                    detail: detail.map(Box::new),
                }),
            )
        }
        ChecklistAsk::History { code, side, item } => read(
            ca::item_history(ctx.store.conn(), &code, side, item)
                .map(|entries| ChecklistAnswer::History { item, entries }),
        ),
        ChecklistAsk::Start { code, side } => write(
            service::checklist::start_audit(&mut ctx.store, &ctx.actor, &code, side)
                .map(|d| Some(ChecklistAnswer::Started(Box::new(d)))),
        ),
        ChecklistAsk::Mark {
            audit_id,
            item,
            version,
            input,
        } => write(
            service::checklist::mark_item(
                &mut ctx.store,
                &ctx.actor,
                audit_id,
                item,
                version,
                &input,
            )
            .map(|r| {
                Some(match r {
                    Ok(d) => ChecklistAnswer::Marked {
                        item,
                        detail: Box::new(d),
                    },
                    Err(c) => ChecklistAnswer::Conflict {
                        item: Some(item),
                        detail: Box::new(c.current),
                    },
                })
            }),
        ),
        ChecklistAsk::Sign { audit_id, version } => write(
            service::checklist::sign_audit(&mut ctx.store, &ctx.actor, audit_id, version).map(
                |r| {
                    Some(match r {
                        Ok(h) => ChecklistAnswer::Signed(Box::new(h)),
                        Err(c) => ChecklistAnswer::Conflict {
                            item: None,
                            detail: Box::new(c.current),
                        },
                    })
                },
            ),
        ),
        ChecklistAsk::SelfChecks => Some(Ok(ChecklistAnswer::SelfChecks(self_checks(ctx)))),
        ChecklistAsk::Note {
            audit_id,
            item,
            version,
            input,
        } => write(
            service::checklist::mark_item(
                &mut ctx.store,
                &ctx.actor,
                audit_id,
                item,
                version,
                &input,
            )
            .map(|r| {
                Some(match r {
                    Ok(d) => ChecklistAnswer::Noted {
                        item,
                        detail: Box::new(d),
                    },
                    Err(c) => ChecklistAnswer::Conflict {
                        item: Some(item),
                        detail: Box::new(c.current),
                    },
                })
            }),
        ),
        ChecklistAsk::Events { code } => read(
            ca::events(ctx.store.conn(), &code, None)
                .map(|events| ChecklistAnswer::Events { code, events }),
        ),
        ChecklistAsk::RecordEvent {
            code,
            kind,
            date,
            document,
            note,
        } => write(
            service::checklist::record_event(
                &mut ctx.store,
                &ctx.actor,
                &code,
                kind,
                date,
                &document,
                &note,
            )
            .map(|_| Some(ChecklistAnswer::EventRecorded { code, kind })),
        ),
        ChecklistAsk::SetInterval { months } => write(
            service::checklist::set_audit_interval(&mut ctx.store, &ctx.actor, months)
                .map(|()| Some(ChecklistAnswer::IntervalSet(months))),
        ),
        ChecklistAsk::Report { code, side, dir } => report(ctx, &code, side, &dir),
    }
}

/// Where `daicho backup` writes by default: `<db dir>/backups`.
fn backup_dir(db: &Path) -> PathBuf {
    db.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .join("backups")
}

fn self_checks(ctx: &DataContext) -> Vec<SelfCheck> {
    let db = ctx.store.path().to_path_buf();
    let opts = selfcheck::Options {
        backup_dir: backup_dir(&db),
        max_backup_age_hours: selfcheck::DEFAULT_MAX_BACKUP_AGE_HOURS,
        today: ctx.today,
        now: chrono::Utc::now(),
    };
    selfcheck::run_all(&ctx.store, &db, &opts)
}

/// Writes the committee's table (as `daicho checklist report` does) and logs the export.
fn report(
    ctx: &mut DataContext,
    code: &str,
    side: Side,
    dir: &Path,
) -> Option<Result<ChecklistAnswer, String>> {
    use crate::letters::checklist_report as cr;
    let mut data = match cr::load(ctx.store.conn(), code, side, None) {
        Ok(Some(d)) => d,
        Ok(None) => return Some(Ok(ChecklistAnswer::NothingToReport)),
        Err(e) => return Some(Err(e.to_string())),
    };
    data.checks = self_checks(ctx);
    let written = match cr::write(dir, &data, ctx.today) {
        Ok(w) => w,
        Err(e) => {
            return Some(Ok(ChecklistAnswer::Refused {
                ja: e.message(crate::i18n::Lang::Ja),
                en: e.message(crate::i18n::Lang::En),
            }));
        }
    };
    let rows = data.audit.rows.len();
    write(
        service::privacy::record_export(
            &mut ctx.store,
            &ctx.actor,
            "checklist",
            &written.html,
            rows,
        )
        .map(|()| {
            Some(ChecklistAnswer::Reported(vec![
                written.html,
                written.text,
                written.csv,
            ]))
        }),
    )
}

fn matrix(ctx: &DataContext) -> crate::store::Result<ChecklistAnswer> {
    let conn = ctx.store.conn();
    let interval_months = ca::interval_months(conn)?;
    Ok(ChecklistAnswer::Matrix {
        rows: ca::matrix(conn, ctx.today, interval_months)?,
        gaps: ca::open_gaps(conn)?,
        interval_months,
    })
}

fn audit(ctx: &DataContext, code: &str, side: Side) -> crate::store::Result<Option<AuditDetail>> {
    let conn = ctx.store.conn();
    let header = match ca::open_audit(conn, code, side)? {
        Some(h) => Some(h),
        None => ca::latest_signed(conn, code, side)?,
    };
    match header {
        Some(h) => ca::detail(conn, h.id),
        None => Ok(None),
    }
}

/// A read's answer; an interrupted read has none, a failed one says why.
fn read(r: crate::store::Result<ChecklistAnswer>) -> Option<Result<ChecklistAnswer, String>> {
    match r {
        Ok(a) => Some(Ok(a)),
        Err(e) if is_interrupted(&e) => None,
        Err(e) => Some(Err(e.to_string())),
    }
}

/// A write's answer: refusals (rules, roles, a signed audit) in both languages.
fn write(r: service::Result<Answer>) -> Option<Result<ChecklistAnswer, String>> {
    Some(match r {
        Ok(Some(a)) => Ok(a),
        Ok(None) => Err("no answer".into()),
        Err(
            e @ (ServiceError::Invalid(_) | ServiceError::Denied(_) | ServiceError::Anchor { .. }),
        ) => Ok(ChecklistAnswer::Refused {
            ja: e.message(true),
            en: e.message(false),
        }),
        Err(ServiceError::Store(StoreError::NotFound(_))) => Ok(ChecklistAnswer::Refused {
            ja: "この点検は見つかりません。一覧を更新してください".into(),
            en: "this audit no longer exists; refresh the list".into(),
        }),
        Err(e) => Err(e.to_string()),
    })
}
