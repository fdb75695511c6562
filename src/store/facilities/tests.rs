use super::*;
use crate::domain::ids::provider_check_digit;
use crate::store::Store;

fn number(serial: u32) -> String {
    let head = format!("1391{serial:05}");
    format!("{head}{}", provider_check_digit(&head).unwrap())
}

fn fields(serial: u32, name: &str, kana: &str) -> FacilityFields {
    FacilityFields {
        provider_number: number(serial),
        name: name.into(),
        name_kana: kana.into(),
        address: format!("東京都新宿区西新宿{serial}-1"),
        town: "西新宿".into(),
        phone: "03-1234-5678".into(),
        ..Default::default()
    }
}

fn seeded() -> Store {
    let mut store = Store::open_in_memory().unwrap();
    store
        .write(|tx| {
            for (i, (n, k)) in [
                ("ケアホーム新宿", "ケアホームシンジュク"),
                ("さくらデイサービス", "サクラデイサービス"),
                ("グループホームひまわり", "グループホームヒマワリ"),
                ("新宿ケアセンター", "シンジュクケアセンター"),
                ("ﾂﾙｶﾒ訪問介護", "ツルカメホウモンカイゴ"),
            ]
            .iter()
            .enumerate()
            {
                insert(
                    tx,
                    &NewFacility {
                        fields: fields(i as u32 + 1, n, k),
                        ..Default::default()
                    },
                    "t",
                )?;
            }
            Ok(())
        })
        .unwrap();
    store
}

fn names(rows: &[(Cursor, FacilityRow)]) -> Vec<String> {
    rows.iter().map(|(_, r)| r.name.clone()).collect()
}

#[test]
fn keyset_pages_forward_and_backward() {
    let store = seeded();
    let q = ListQuery {
        sort: SortKey::NameKana,
        ..Default::default()
    };
    let first = page(store.conn(), &q, None, Direction::Forward, 2).unwrap();
    assert_eq!(names(&first), ["グループホームひまわり", "ケアホーム新宿"]);
    let next = page(store.conn(), &q, Some(&first[1].0), Direction::Forward, 2).unwrap();
    assert_eq!(names(&next), ["さくらデイサービス", "新宿ケアセンター"]);
    let back = page(store.conn(), &q, Some(&next[0].0), Direction::Backward, 2).unwrap();
    assert_eq!(names(&back), names(&first));
    let last = page(store.conn(), &q, None, Direction::Backward, 1).unwrap();
    assert_eq!(names(&last), ["ﾂﾙｶﾒ訪問介護"]);
    assert_eq!(position(store.conn(), &q, &next[0].0).unwrap(), 2);
    let desc = ListQuery {
        descending: true,
        ..q
    };
    let top = page(store.conn(), &desc, None, Direction::Forward, 1).unwrap();
    assert_eq!(names(&top), ["ﾂﾙｶﾒ訪問介護"]);
}

#[test]
fn search_short_and_long_terms_with_width_and_kana_folding() {
    let store = seeded();
    let find = |s: &str| {
        let q = ListQuery {
            search: s.into(),
            sort: SortKey::NameKana,
            ..Default::default()
        };
        let mut v = names(&page(store.conn(), &q, None, Direction::Forward, 50).unwrap());
        v.sort();
        (v, count(store.conn(), &q, 1000).unwrap())
    };
    // Two characters: trigram cannot answer, the LIKE fallback does.
    assert_eq!(find("ケア").1, 2);
    assert_eq!(find("ｹｱ").0, find("けあ").0);
    // Every address is in 新宿区, so all five match.
    assert_eq!(find("新宿").1, 5);
    // Three or more: the trigram index.
    assert_eq!(find("ケアセンター").0, ["新宿ケアセンター"]);
    assert_eq!(find("つるかめ").0, ["ﾂﾙｶﾒ訪問介護"]);
    assert_eq!(find(&number(3)).0, ["グループホームひまわり"]);
    assert_eq!(find("存在しない名前").1, 0);
    // Hostile input is just text.
    assert_eq!(find("\"; DROP TABLE facility; --").1, 0);
    assert_eq!(find("%_").1, 0);
}

#[test]
fn optimistic_lock_conflict_keeps_first_value() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("d.db");
    let mut a = Store::create(&path).unwrap();
    let mut b = Store::open(&path).unwrap();
    let id = a
        .write(|tx| {
            insert(
                tx,
                &NewFacility {
                    fields: fields(1, "A", "エー"),
                    ..Default::default()
                },
                "t",
            )
        })
        .unwrap();
    let seen_by_a = get(a.conn(), id).unwrap().unwrap();
    let seen_by_b = get(b.conn(), id).unwrap().unwrap();
    let mut fa = seen_by_a.fields.clone();
    fa.phone = "03-1111-1111".into();
    a.write(|tx| update_fields(tx, id, seen_by_a.version, &fa, "alice"))
        .unwrap();
    let mut fb = seen_by_b.fields.clone();
    fb.phone = "03-2222-2222".into();
    let err = b
        .write(|tx| update_fields(tx, id, seen_by_b.version, &fb, "bob"))
        .unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::Conflict {
                expected: 1,
                current: 2,
                ..
            }
        ),
        "{err}"
    );
    let now = get(b.conn(), id).unwrap().unwrap();
    assert_eq!(now.fields.phone, "03-1111-1111");
    assert_eq!(now.version, 2);
    assert_eq!(now.updated_by, "alice");
}

#[test]
fn summary_follows_designations_and_meetings() {
    let mut store = seeded();
    let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    store
        .write(|tx| {
            tx.execute(
                "INSERT INTO designation(facility_id, service_code, designated_on, expires_on) VALUES
                 (1, '32', '2020-04-01', '2026-03-31'), (1, '37', '2021-04-01', '2027-03-31')",
                [],
            )?;
            tx.execute("INSERT INTO council_meeting(facility_id, held_on) VALUES (1, '2026-09-10')", [])?;
            refresh_summary(tx, 1)
        })
        .unwrap();
    let q = ListQuery {
        service_code: Some("37".into()),
        ..Default::default()
    };
    let rows = page(store.conn(), &q, None, Direction::Forward, 10).unwrap();
    assert_eq!(rows.len(), 1);
    let row = &rows[0].1;
    assert_eq!(row.services, "GH・予防GH");
    assert_eq!(row.next_expiry, Some(d("2026-03-31")));
    assert_eq!(row.next_meeting_due, Some(d("2026-11-10")));
    let overdue = ListQuery {
        meeting_overdue_on: Some(d("2026-11-25")),
        ..Default::default()
    };
    assert_eq!(count(store.conn(), &overdue, 100).unwrap(), 1);
    let expiring = ListQuery {
        expiring_by: Some(d("2026-06-30")),
        today: Some(d("2026-01-01")),
        ..Default::default()
    };
    assert_eq!(count(store.conn(), &expiring, 100).unwrap(), 1);
}

#[test]
fn several_words_mean_all_of_them_in_list_count_and_export() {
    let mut store = Store::open_in_memory().unwrap();
    store
        .write(|tx| {
            for (i, (n, k, addr)) in [
                ("ケアホーム戸山", "ケアホームトヤマ", "東京都新宿区戸山2-1"),
                (
                    "ケアプラン大久保",
                    "ケアプランオオクボ",
                    "東京都新宿区大久保1-1",
                ),
                (
                    "戸山デイサービス",
                    "トヤマデイサービス",
                    "東京都新宿区戸山3-1",
                ),
                ("ﾂﾙｶﾒｹｱ", "ツルカメケア", "東京都新宿区戸山1-5"),
                ("新宿ホーム", "シンジュクホーム", "東京都新宿区西新宿1-1"),
            ]
            .iter()
            .enumerate()
            {
                let mut f = fields(i as u32 + 1, n, k);
                f.address = (*addr).into();
                insert(
                    tx,
                    &NewFacility {
                        fields: f,
                        ..Default::default()
                    },
                    "t",
                )?;
            }
            Ok(())
        })
        .unwrap();
    let c = store.conn();
    let found = |search: &str| {
        let q = ListQuery {
            search: search.into(),
            ..Default::default()
        };
        let rows = page(c, &q, None, Direction::Forward, 50).unwrap();
        let mut exported = 0;
        for_each_row(c, &q, |_, _, _| {
            exported += 1;
            true
        })
        .unwrap();
        let n = count(c, &q, 1000).unwrap();
        assert_eq!(n, rows.len(), "count of {search}");
        assert_eq!(exported, rows.len(), "export of {search}");
        names(&rows)
    };
    // Each word alone matches; both together only where the text has both.
    assert_eq!(found("ケア").len(), 3);
    assert_eq!(found("戸山").len(), 3);
    assert_eq!(found("ケア 戸山"), ["ケアホーム戸山", "ﾂﾙｶﾒｹｱ"]);
    // Widths and kana fold per word: only one has both ケア and the reading トヤマ.
    assert_eq!(found("ｹｱ　とやま"), ["ケアホーム戸山"]);
    // A long and a short term (the trigram and the n-gram index) intersect too.
    assert_eq!(found("ケアホーム 戸山"), ["ケアホーム戸山"]);
    assert_eq!(found("ケアホーム トヤマ"), ["ケアホーム戸山"]);
    // A quoted phrase is one term: its words side by side.
    assert_eq!(found("\"ケアホーム 戸山\""), ["ケアホーム戸山"]);
    assert!(found("\"戸山 ケア\"").is_empty());
    assert!(found("ケア 西新宿").is_empty());
    // The 2-character path alone still works.
    assert_eq!(found("新宿").len(), 5);
}
