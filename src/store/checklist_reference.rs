//! The checklist as the committee approved it (fixtures/checklist_*.csv): the 16 items
//! with each list's wording, the connections with their periods, the planned value per
//! connection, side and item, and each connection's data items.

use super::{Result, StoreError, date_opt};
use crate::domain::checklist::{
    self as dc, Category, Connection, DataItem, Item, Mark, Side, parse_planned,
};
use rusqlite::{Connection as Db, params};

fn invalid(file: &str, line: usize, what: &str) -> StoreError {
    StoreError::Invalid(format!("fixtures/{file} line {}: {what}", line + 2))
}

/// Replaces the checklist reference rows with the fixture rows (inside the caller's
/// transaction). Item and connection rows are updated in place: audits refer to them.
pub fn load(
    tx: &Db,
    items: &[csv::StringRecord],
    connections: &[csv::StringRecord],
    planned: &[csv::StringRecord],
    data_items: &[csv::StringRecord],
) -> Result<()> {
    let field = |r: &csv::StringRecord, i: usize| r.get(i).unwrap_or("").to_string();
    for (line, r) in items.iter().enumerate() {
        let no: i64 = field(r, 0)
            .parse()
            .ok()
            .filter(|n| (1..=dc::ITEMS).contains(n))
            .ok_or_else(|| invalid("checklist_items.csv", line, "item number is not 1–16"))?;
        tx.execute(
            "INSERT INTO checklist_item(no, category, text_ja, text_en, ward_text_ja, partner_text_ja)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT(no) DO UPDATE SET category = excluded.category, text_ja = excluded.text_ja,
               text_en = excluded.text_en, ward_text_ja = excluded.ward_text_ja,
               partner_text_ja = excluded.partner_text_ja",
            params![no, field(r, 1), field(r, 2), field(r, 3), field(r, 4), field(r, 5)],
        )?;
    }
    for r in connections {
        tx.execute(
            "INSERT INTO checklist_connection(code, name_ja, name_en, partner, period_from, period_to, renews_yearly, source)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
             ON CONFLICT(code) DO UPDATE SET name_ja = excluded.name_ja, name_en = excluded.name_en,
               partner = excluded.partner, period_from = excluded.period_from,
               period_to = excluded.period_to, renews_yearly = excluded.renews_yearly,
               source = excluded.source",
            params![
                field(r, 0),
                field(r, 1),
                field(r, 2),
                field(r, 3),
                field(r, 4),
                field(r, 5),
                field(r, 6) != "0",
                field(r, 7)
            ],
        )?;
    }
    tx.execute("DELETE FROM checklist_planned", [])?;
    for (line, r) in planned.iter().enumerate() {
        let side = Side::from_code(&field(r, 1))
            .ok_or_else(|| invalid("checklist_planned.csv", line, "side is not ward/partner"))?;
        let mark = parse_planned(&field(r, 3))
            .ok_or_else(|| invalid("checklist_planned.csv", line, "planned is not ○ or ー"))?;
        tx.execute(
            "INSERT INTO checklist_planned(connection_code, side, item_no, planned) VALUES (?1, ?2, ?3, ?4)",
            params![field(r, 0), side.code(), field(r, 2).parse::<i64>().unwrap_or(0), mark.code()],
        )?;
    }
    tx.execute("DELETE FROM checklist_data_item", [])?;
    for (seq, r) in data_items.iter().enumerate() {
        tx.execute(
            "INSERT INTO checklist_data_item(connection_code, seq, subject, item) VALUES (?1, ?2, ?3, ?4)",
            params![field(r, 0), seq as i64, field(r, 1), field(r, 2)],
        )?;
    }
    Ok(())
}

/// The 16 items in order.
pub fn items(conn: &Db) -> Result<Vec<Item>> {
    let mut st = conn.prepare_cached(
        "SELECT no, text_ja, text_en, ward_text_ja, partner_text_ja FROM checklist_item ORDER BY no",
    )?;
    let rows = st.query_map([], |r| {
        let no: i64 = r.get(0)?;
        Ok(Item {
            no,
            category: Category::of(no),
            label_ja: r.get(1)?,
            label_en: r.get(2)?,
            ward_ja: r.get(3)?,
            partner_ja: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn connection_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Connection> {
    Ok(Connection {
        code: r.get(0)?,
        name_ja: r.get(1)?,
        name_en: r.get(2)?,
        partner: r.get(3)?,
        period_from: date_opt(r.get::<_, Option<String>>(4)?.filter(|s| !s.is_empty())),
        period_to: date_opt(r.get::<_, Option<String>>(5)?.filter(|s| !s.is_empty())),
        renews_yearly: r.get(6)?,
        source: r.get(7)?,
    })
}

const CONNECTION_COLUMNS: &str =
    "code, name_ja, name_en, partner, period_from, period_to, renews_yearly, source";

/// The connections in fixture order.
pub fn connections(conn: &Db) -> Result<Vec<Connection>> {
    let mut st = conn.prepare_cached(&format!(
        "SELECT {CONNECTION_COLUMNS} FROM checklist_connection ORDER BY rowid"
    ))?;
    let rows = st.query_map([], connection_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub fn connection(conn: &Db, code: &str) -> Result<Option<Connection>> {
    use rusqlite::OptionalExtension;
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {CONNECTION_COLUMNS} FROM checklist_connection WHERE code = ?1"
        ))?
        .query_row([code], connection_row)
        .optional()?)
}

/// The committee's planned value per item (index 0 = item 1) for a connection and side.
pub fn planned(conn: &Db, code: &str, side: Side) -> Result<Vec<(i64, Mark)>> {
    let mut st = conn.prepare_cached(
        "SELECT item_no, planned FROM checklist_planned WHERE connection_code = ?1 AND side = ?2 ORDER BY item_no",
    )?;
    let rows = st.query_map(params![code, side.code()], |r| {
        Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (no, code) = row?;
        if let Some(m) = Mark::from_code(&code) {
            out.push((no, m));
        }
    }
    Ok(out)
}

/// 結合される情報項目 of a connection, in the paper's order.
pub fn data_items(conn: &Db, code: &str) -> Result<Vec<DataItem>> {
    let mut st = conn.prepare_cached(
        "SELECT subject, item FROM checklist_data_item WHERE connection_code = ?1 ORDER BY seq",
    )?;
    let rows = st.query_map([code], |r| {
        Ok(DataItem {
            subject: r.get(0)?,
            item: r.get(1)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    #[test]
    fn fixtures_load_with_both_wordings_periods_plans_and_data_items() {
        let store = Store::open_in_memory().unwrap();
        let c = store.conn();
        let items = items(c).unwrap();
        assert_eq!(items.len(), 16);
        assert!(items[0].ward_ja.contains("遵守するよう指導する"));
        assert!(items[0].partner_ja.contains("遵守させる"));
        assert_eq!(items[5].category, Category::System);
        let conns = connections(c).unwrap();
        let codes: Vec<_> = conns.iter().map(|c| c.code.as_str()).collect();
        assert_eq!(
            codes,
            ["e_application", "lemscare", "kokuhoren", "municipalities"]
        );
        let lems = &conns[1];
        assert!(
            lems.partner.contains("佐賀電算センター"),
            "{}",
            lems.partner
        );
        assert_eq!(lems.period_from.unwrap().to_string(), "2024-07-01");
        assert_eq!(lems.period_to.unwrap().to_string(), "2025-03-31");
        assert!(lems.renews_yearly);
        for conn in &conns {
            for side in Side::ALL {
                assert_eq!(planned(c, &conn.code, side).unwrap().len(), 16);
            }
        }
        let e = data_items(c, "e_application").unwrap();
        assert!(e.iter().any(|d| d.item == "保険証書"));
        let l = data_items(c, "lemscare").unwrap();
        assert!(!l.iter().any(|d| d.item == "保険証書"));
        assert!(!l.iter().any(|d| d.subject.contains("運営推進会議")));
    }
}
