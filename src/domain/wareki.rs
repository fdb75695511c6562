//! Japanese-calendar (和暦) display of ISO dates. Storage is always ISO `YYYY-MM-DD`;
//! staff read 令和6年3月1日 on paper, so screens and notices show that.

use chrono::{Datelike, NaiveDate};

struct Era {
    name_ja: &'static str,
    name_en: &'static str,
    initial: char,
    start: (i32, u32, u32),
}

/// Start dates as proclaimed (元号). Newest first.
const ERAS: [Era; 5] = [
    Era {
        name_ja: "令和",
        name_en: "Reiwa",
        initial: 'R',
        start: (2019, 5, 1),
    },
    Era {
        name_ja: "平成",
        name_en: "Heisei",
        initial: 'H',
        start: (1989, 1, 8),
    },
    Era {
        name_ja: "昭和",
        name_en: "Showa",
        initial: 'S',
        start: (1926, 12, 25),
    },
    Era {
        name_ja: "大正",
        name_en: "Taisho",
        initial: 'T',
        start: (1912, 7, 30),
    },
    Era {
        name_ja: "明治",
        name_en: "Meiji",
        initial: 'M',
        start: (1873, 1, 1),
    },
];

fn era_of(date: NaiveDate) -> Option<(&'static Era, i32)> {
    ERAS.iter().find_map(|era| {
        let (y, m, d) = era.start;
        let start = NaiveDate::from_ymd_opt(y, m, d)?;
        (date >= start).then(|| (era, date.year() - y + 1))
    })
}

/// `令和6年3月1日`; the first year of an era is 元年. Before 1873 falls back to ISO.
pub fn format_long(date: NaiveDate) -> String {
    match era_of(date) {
        Some((era, 1)) => format!("{}元年{}月{}日", era.name_ja, date.month(), date.day()),
        Some((era, y)) => format!("{}{}年{}月{}日", era.name_ja, y, date.month(), date.day()),
        None => date.format("%Y-%m-%d").to_string(),
    }
}

/// Compact form for table cells: `R6.03.01` (fixed 8 columns).
pub fn format_short(date: NaiveDate) -> String {
    match era_of(date) {
        Some((era, y)) => format!("{}{}.{:02}.{:02}", era.initial, y, date.month(), date.day()),
        None => date.format("%Y-%m-%d").to_string(),
    }
}

/// English UI: `Reiwa 6 (2024-03-01)`.
pub fn format_en(date: NaiveDate) -> String {
    match era_of(date) {
        Some((era, y)) => format!("{} {} ({})", era.name_en, y, date.format("%Y-%m-%d")),
        None => date.format("%Y-%m-%d").to_string(),
    }
}

/// Parses ISO `2024-03-01`, and the forms staff type: `R6.3.1`, `令和6年3月1日`, `令和元年5月1日`.
pub fn parse(input: &str) -> Option<NaiveDate> {
    let s = crate::domain::text::nfkc(input.trim());
    if let Ok(d) = NaiveDate::parse_from_str(&s, "%Y-%m-%d") {
        return Some(d);
    }
    if let Ok(d) = NaiveDate::parse_from_str(&s, "%Y/%m/%d") {
        return Some(d);
    }
    let (era, rest) = ERAS.iter().find_map(|era| {
        s.strip_prefix(era.name_ja)
            .or_else(|| s.strip_prefix(era.initial))
            .or_else(|| s.strip_prefix(era.initial.to_ascii_lowercase()))
            .map(|rest| (era, rest))
    })?;
    let rest = rest.replacen("元", "1", 1);
    let parts: Vec<&str> = rest
        .split(['.', '/', '-', '年', '月', '日'])
        .filter(|p| !p.is_empty())
        .collect();
    let [y, m, d] = parts.as_slice() else {
        return None;
    };
    let (y, m, d): (i32, u32, u32) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    let date = NaiveDate::from_ymd_opt(era.start.0 + y - 1, m, d)?;
    // The date must fall inside the era it was written in (平成31年5月1日 does not exist).
    (era_of(date).map(|(e, _)| e.name_ja) == Some(era.name_ja)).then_some(date)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn era_boundaries() {
        assert_eq!(format_long(d(2024, 3, 1)), "令和6年3月1日");
        assert_eq!(format_long(d(2019, 5, 1)), "令和元年5月1日");
        assert_eq!(format_long(d(2019, 4, 30)), "平成31年4月30日");
        assert_eq!(format_long(d(1989, 1, 8)), "平成元年1月8日");
        assert_eq!(format_long(d(1989, 1, 7)), "昭和64年1月7日");
        assert_eq!(format_short(d(2024, 3, 1)), "R6.03.01");
        assert_eq!(format_en(d(2024, 3, 1)), "Reiwa 6 (2024-03-01)");
    }

    #[test]
    fn parses_what_staff_type() {
        assert_eq!(parse("2024-03-01"), Some(d(2024, 3, 1)));
        assert_eq!(parse("R6.3.1"), Some(d(2024, 3, 1)));
        assert_eq!(parse("令和6年3月1日"), Some(d(2024, 3, 1)));
        assert_eq!(parse("令和元年5月1日"), Some(d(2019, 5, 1)));
        assert_eq!(parse("Ｒ６．３．１"), Some(d(2024, 3, 1)));
        assert_eq!(parse("平成31年5月1日"), None);
        assert_eq!(parse("R6.2.30"), None);
        assert_eq!(parse("yesterday"), None);
    }

    proptest! {
        #[test]
        fn long_form_round_trips(days in 0i64..60_000) {
            let date = d(1900, 1, 1) + chrono::Duration::days(days);
            prop_assert_eq!(parse(&format_long(date)), Some(date));
            prop_assert_eq!(parse(&format_short(date)), Some(date));
        }

        #[test]
        fn parse_never_panics(s in "\\PC{0,20}") {
            let _ = parse(&s);
        }
    }
}
