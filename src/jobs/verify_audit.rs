//! `verify-audit`: the audit hash chain recomputed a batch at a time, then compared with
//! the anchor file. Always walks from the first record — a check of tampering cannot
//! trust where an earlier run stopped — so it records a cursor but does not resume.

use super::runner::{Job, JobContext, JobError};
use crate::domain::job::JobKind;
use crate::i18n::Lang;
use crate::store::audit::{self, Break, ChainWalk};

pub struct VerifyAudit;

fn break_text(b: &Break, lang: Lang) -> String {
    match (b, lang) {
        (Break::HashMismatch { seq }, Lang::Ja) => format!("記録 {seq} のハッシュが一致しません"),
        (Break::PrevMismatch { seq }, Lang::Ja) => {
            format!("記録 {seq} の前ハッシュが記録 {} と一致しません", seq - 1)
        }
        (Break::Gap { after }, Lang::Ja) => format!("記録 {after} の後が欠けています"),
        (Break::Truncated { db_seq, anchor_seq }, Lang::Ja) => format!(
            "データベースは記録 {db_seq} で終わっていますが、アンカーは記録 {anchor_seq} を指しています（末尾が削除されています）"
        ),
        (Break::AnchorMismatch { seq }, Lang::Ja) => {
            format!("記録 {seq} のハッシュがアンカーと異なります（書き換えられています）")
        }
        (b, Lang::En) => b.to_string(),
    }
}

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
            .map_err(|e| JobError::Failed(format!("{}: {e}", anchor_path.display())))?;
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
                break_text(b, lang),
                v.records,
                lang.t(
                    "件を確認。管理者に連絡し、バックアップと照合してください",
                    "records checked; tell the administrator and compare with a backup"
                ),
            )));
        }
        let mut message = format!(
            "{} {}: {} {}",
            lang.t("監査ログは正常です", "the audit log is intact"),
            db.display(),
            v.records,
            lang.t("件", "records"),
        );
        if anchor.is_none() {
            message.push_str(&format!(
                " ({} {})",
                lang.t(
                    "アンカーファイルがないため末尾の削除は検出できません:",
                    "no anchor file, so deleting the newest records cannot be detected:"
                ),
                anchor_path.display()
            ));
        }
        Ok(message)
    }
}
