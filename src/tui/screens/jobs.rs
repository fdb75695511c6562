//! Sync jobs: the recent runs and what can be started (from the palette or the keys
//! shown in the footer).

use super::cases::CaseList;
use crate::store::jobs::JobRow;
use crate::tui::ui::Ui;
use crate::tui::widgets::text::fit;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

pub fn render(frame: &mut Frame<'_>, area: Rect, list: &CaseList<JobRow>, ui: &Ui) {
    let l = ui.lang;
    let mut lines = vec![Line::styled(
        format!(
            "{} {} {} {} {}",
            fit("#", 5, ""),
            fit(l.t("種類", "Kind"), 24, ""),
            fit(l.t("状態", "Status"), 10, ""),
            fit(l.t("開始", "Started"), 20, ""),
            l.t("進捗", "Progress")
        ),
        ui.theme.title,
    )];
    for j in &list.rows {
        lines.push(Line::raw(format!(
            "{} {} {} {} {}/{} {}",
            fit(&j.id.to_string(), 5, ""),
            fit(&j.kind, 24, ""),
            fit(&j.status, 10, ""),
            fit(&j.started_at, 20, ""),
            j.progress,
            j.total,
            j.message
        )));
    }
    if list.rows.is_empty() {
        lines.push(Line::styled(
            l.t("  実行履歴はありません", "  No job has run yet"),
            ui.theme.dim,
        ));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        l.t(
            "電子申請取込・LEMSCARE出力・国保連出力・同意ファイル交換はこの版ではまだ使えません",
            "Import, LEMSCARE export, Kokuhoren export and consent exchange are not available in this build yet",
        ),
        ui.theme.dim,
    ));
    frame.render_widget(Paragraph::new(lines), area);
}
