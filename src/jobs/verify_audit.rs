//! `verify-audit`: the audit hash chain recomputed a batch at a time, then compared with
//! the anchor file. Always walks from the first record — a check of tampering cannot
//! trust where an earlier run stopped — so it records a cursor but does not resume.

use super::runner::{Job, JobContext, JobError};
use crate::domain::job::JobKind;
use crate::store::audit::{self, ChainWalk};

pub struct VerifyAudit;

impl Job for VerifyAudit {
    fn kind(&self) -> JobKind {
        JobKind::VerifyAudit
    }

    fn run(&mut self, ctx: &mut JobContext<'_>) -> Result<String, JobError> {
        let lang = ctx.lang();
        let db = ctx.db_path().to_path_buf();
        let anchor_path = audit::anchor_path(&db);
        // The anchor is read before the head, so a commit in between cannot look like a
        // truncation.
        let anchor = audit::read_anchor(&anchor_path)
            .map_err(|e| JobError::Failed(format!("{}: {e}", anchor_path.display())))?
            // "0 000…0" vouches for an empty chain: as good as no anchor (see `audit verify`).
            .filter(|a| a.seq > 0 && a.hash != audit::GENESIS);
        if anchor.is_none() {
            return Err(JobError::Failed(format!(
                "{} {} {}",
                lang.t("監査アンカーがないか空です:", "the audit anchor is missing or zeroed:"),
                anchor_path.display(),
                lang.t(
                    "（末尾の削除を検出できないため失敗とします。daicho audit verify --allow-missing-anchor で確認できます）",
                    "(deleted records would go unnoticed, so this fails; check with daicho audit verify --allow-missing-anchor)"
                ),
            )));
        }
        ctx.set_total(audit::head(ctx.conn())?.0);
        let mut walk = ChainWalk::default();
        while walk.step(ctx.conn(), ctx.batch_size())? > 0 {
            ctx.batch_done(walk.records(), &walk.last_seq().to_string())?;
        }
        let v = walk.finish(ctx.conn(), anchor.as_ref())?;
        if let Some(b) = &v.broken {
            return Err(JobError::Failed(format!(
                "{} {}: {} ({} {})",
                lang.t("監査ログが壊れています:", "the audit log is broken:"),
                db.display(),
                b.message(lang),
                v.records,
                lang.t(
                    "件を確認。管理者に連絡し、バックアップと照合してください",
                    "records checked; tell the administrator and compare with a backup"
                ),
            )));
        }
        Ok(format!(
            "{} {}: {} {}",
            lang.t("監査ログは正常です", "the audit log is intact"),
            db.display(),
            v.records,
            lang.t("件", "records"),
        ))
    }
}
