//! The 決定 confirmation: what deciding writes to the ledger, from the case's preview.

use crate::domain::decision::field_label;
use crate::domain::inbox::CaseDetail;
use crate::i18n::Lang;
use crate::tui::command::Reason;

/// `base` (the status change) followed by each ledger change, old -> new; personal
/// values masked (the dialog is not a reveal).
pub fn confirm_text(lang: Lang, case: &CaseDetail, base: String) -> String {
    let ja = lang.is_ja();
    let mut out = base;
    out.push('\n');
    out.push_str(lang.t("台帳の変更:", "Ledger changes:"));
    match &case.preview {
        Ok(list) if list.is_empty() => {
            out.push(' ');
            out.push_str(lang.t("なし", "none"));
        }
        Ok(list) => {
            for p in list {
                let show = |v: &Option<String>| match v {
                    None => "-".to_string(),
                    Some(v) if p.personal => crate::domain::mask::tail(v, 0),
                    Some(v) => crate::domain::payload::value_label(&p.field, v, ja),
                };
                out.push_str(&format!(
                    "\n  {}: {} -> {}",
                    field_label(&p.field, ja),
                    show(&p.old),
                    show(&p.new)
                ));
            }
        }
        Err(_) => {}
    }
    if let Some(n) = &case.proposed_provider_number {
        out.push_str(&format!(
            "\n{} {n}",
            lang.t("事業所番号:", "Provider number:")
        ));
    }
    out
}

/// Why the open case cannot be decided now (the first blocker), if anything stands in
/// the way.
pub fn blocked(case: &CaseDetail) -> Option<Reason> {
    match &case.preview {
        Err(b) if !b.is_empty() => Some(Reason::new(b[0].message(true), b[0].message(false))),
        _ => None,
    }
}
