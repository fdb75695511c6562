//! `integrity-check`: SQLite's `quick_check`, one table per batch, so it shows progress
//! and can be cancelled between tables.

use super::runner::{Job, JobContext, JobError};
use crate::domain::job::JobKind;
use crate::store::jobs;

pub struct IntegrityCheck;

impl Job for IntegrityCheck {
    fn kind(&self) -> JobKind {
        JobKind::IntegrityCheck
    }

    fn run(&mut self, ctx: &mut JobContext<'_>) -> Result<String, JobError> {
        let lang = ctx.lang();
        let db = ctx.db_path().to_path_buf();
        let tables = jobs::table_names(ctx.conn())?;
        ctx.set_total(tables.len() as i64);
        let mut problems = Vec::new();
        for (i, table) in tables.iter().enumerate() {
            for p in jobs::quick_check_table(ctx.conn(), table)? {
                problems.push(format!("{table}: {p}"));
            }
            ctx.batch_done(i as i64 + 1, table)?;
        }
        if problems.is_empty() {
            Ok(format!(
                "{} {}: {} {}",
                lang.t("データベースは正常です", "the database is intact"),
                db.display(),
                tables.len(),
                lang.t("表を検査", "tables checked"),
            ))
        } else {
            Err(JobError::Failed(format!(
                "{} {}: {} ({})",
                lang.t(
                    "データベースに問題があります:",
                    "the database has problems:"
                ),
                db.display(),
                problems.join("; "),
                lang.t(
                    "バックアップから復元してください: daicho restore",
                    "restore from a backup: daicho restore"
                ),
            )))
        }
    }
}
