//! 運営指導 年間計画: the fiscal year's plan (which facilities are due, by month) as a
//! printable A4 page and plain text. It names facilities only, no personal data.

use super::{LetterError, Rendered, Template};
use crate::domain::guidance::{YearPlan, fiscal_year_label};
use crate::domain::text::pad_to_width;
use crate::domain::wareki;
use crate::i18n::Lang;
use chrono::{Datelike, NaiveDate};
use serde::Serialize;

pub const TEMPLATE: Template = Template {
    name: "guidance_plan",
    html: include_str!("../../fixtures/templates/guidance_plan.html.j2"),
    text: include_str!("../../fixtures/templates/guidance_plan.txt.j2"),
};

#[derive(Serialize)]
struct Entry {
    number: String,
    name: String,
    services: String,
    last: String,
    due: String,
    planned: String,
    overdue: bool,
    /// The whole row for the text version, aligned by display width.
    line: String,
}

#[derive(Serialize)]
struct Month {
    /// `令和7年9月（3件）` / `2025-09 (3)`.
    heading: String,
    entries: Vec<Entry>,
}

#[derive(Serialize)]
struct Context {
    title: String,
    as_of: String,
    summary: String,
    h_number: &'static str,
    h_name: &'static str,
    h_services: &'static str,
    h_last: &'static str,
    h_due: &'static str,
    h_planned: &'static str,
    overdue_mark: &'static str,
    footnote: &'static str,
    months: Vec<Month>,
}

fn day(lang: Lang, d: Option<NaiveDate>) -> String {
    match d {
        Some(d) if lang.is_ja() => wareki::format_long(d),
        Some(d) => d.to_string(),
        None => "-".into(),
    }
}

/// Renders the plan as of `today` in the UI language.
pub fn render(plan: &YearPlan, today: NaiveDate, lang: Lang) -> Result<Rendered, LetterError> {
    let ja = lang.is_ja();
    let overdue_mark = lang.t("（期限超過）", "(overdue)");
    let months = plan
        .months
        .iter()
        .map(|(m, entries)| Month {
            heading: if ja {
                let long = wareki::format_long(*m);
                let month = long
                    .split_once('月')
                    .map_or(long.clone(), |(ym, _)| format!("{ym}月"));
                format!("{month}（{}件）", entries.len())
            } else {
                format!("{}-{:02} ({})", m.year(), m.month(), entries.len())
            },
            entries: entries
                .iter()
                .map(|e| {
                    let due = day(lang, e.next_due);
                    let planned = day(lang, e.planned_on);
                    let last = day(lang, e.last_held);
                    let line = format!(
                        "{} {} {} {}{} {} {}",
                        e.provider_number,
                        pad_to_width(&e.name, 36),
                        pad_to_width(&e.services, 20),
                        lang.t("期限 ", "due "),
                        pad_to_width(&due, 16),
                        lang.t("予定", "planned"),
                        planned,
                    ) + if e.overdue { overdue_mark } else { "" };
                    Entry {
                        number: e.provider_number.clone(),
                        name: e.name.clone(),
                        services: e.services.clone(),
                        last,
                        due,
                        planned,
                        overdue: e.overdue,
                        line: line.trim_end().to_string(),
                    }
                })
                .collect(),
        })
        .collect();
    let fy = fiscal_year_label(plan.fiscal_year, ja);
    let ctx = Context {
        title: if ja {
            format!("{fy} 運営指導 年間計画")
        } else {
            format!("On-site guidance plan {fy}")
        },
        as_of: if ja {
            format!("{}現在", wareki::format_long(today))
        } else {
            format!("as of {today}")
        },
        summary: if ja {
            format!(
                "対象 {} 事業所（うち期限超過 {} 事業所）",
                plan.total, plan.overdue
            )
        } else {
            format!(
                "{} facilities due ({} overdue)",
                plan.total, plan.overdue
            )
        },
        h_number: lang.t("事業所番号", "Provider no."),
        h_name: lang.t("事業所名", "Facility"),
        h_services: lang.t("サービス", "Services"),
        h_last: lang.t("前回実施", "Last"),
        h_due: lang.t("実施期限", "Due by"),
        h_planned: lang.t("予定日", "Planned"),
        overdue_mark,
        footnote: lang.t(
            "期限は前回の運営指導（未実施なら指定日）からサービスごとの間隔（fixtures/service_types.csv）で求めています。予定日のある事業所はその月に、期限が年度の始まる前に過ぎた事業所は4月に載せています。",
            "Due dates follow the last guidance (or the designation) by each service's interval (fixtures/service_types.csv). Facilities with a planned date are listed in that month; those due before the year began, in April.",
        ),
        months,
    };
    super::render(&TEMPLATE, &ctx)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::guidance::{PlanEntry, plan_month};

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn plan_renders_every_month_escaped_and_aligned() {
        let entry = |id: i64, name: &str, due: NaiveDate, overdue: bool| PlanEntry {
            facility_id: id,
            provider_number: format!("139000000{id}"),
            name: name.into(),
            services: "GH".into(),
            last_held: None,
            next_due: Some(due),
            planned_on: None,
            month: plan_month(2025, Some(due), None).unwrap(),
            overdue,
        };
        let plan = YearPlan::new(
            2025,
            vec![
                entry(1, "グループホーム<戸山>", d(2024, 3, 31), true),
                entry(2, "ケアホーム若松", d(2025, 9, 30), false),
            ],
        );
        let r = render(&plan, d(2025, 6, 15), Lang::Ja).unwrap();
        assert!(r.html.contains("令和7年度 運営指導 年間計画"), "{}", r.html);
        assert!(r.html.contains("グループホーム&lt;戸山&gt;"));
        assert!(r.html.contains("令和7年9月（1件）"));
        assert!(r.html.contains("令和8年3月（0件）"));
        assert!(r.text.contains("対象 2 事業所（うち期限超過 1 事業所）"));
        let line = r
            .text
            .lines()
            .find(|l| l.contains("ケアホーム若松"))
            .unwrap();
        assert!(line.contains("期限 令和7年9月30日"), "{line}");
        assert!(r.text.contains("（期限超過）"));
        let en = render(&plan, d(2025, 6, 15), Lang::En).unwrap();
        assert!(
            en.text.contains("On-site guidance plan FY2025 (Reiwa 7)"),
            "{}",
            en.text
        );
        assert!(en.text.contains("2025-09 (1)"), "{}", en.text);
    }
}
