//! Real 新宿区 town names (町名) with their postal codes, and synthetic addresses in them.
//!
//! Town names and postal codes are public (日本郵便 郵便番号データ). The chome, banchi and
//! go numbers are random, so addresses are plausible but belong to nobody. Other Tokyo
//! municipalities come from `fixtures/tokyo-municipalities.csv`.

use super::rng::{DemoRng, chance, pick};
use rand::Rng;

/// One 町: name, katakana reading, postal code, highest 丁目 (0 = no 丁目).
#[derive(Debug, Clone, Copy)]
pub struct Town {
    pub name: &'static str,
    pub kana: &'static str,
    pub postal: &'static str,
    pub max_chome: u32,
    /// Relative share of facilities (large residential areas get more).
    pub weight: u32,
}

const fn t(
    name: &'static str,
    kana: &'static str,
    postal: &'static str,
    max_chome: u32,
    weight: u32,
) -> Town {
    Town {
        name,
        kana,
        postal,
        max_chome,
        weight,
    }
}

pub const TOWNS: [Town; 40] = [
    t("西新宿", "ニシシンジュク", "160-0023", 8, 8),
    t("新宿", "シンジュク", "160-0022", 7, 6),
    t("歌舞伎町", "カブキチョウ", "160-0021", 2, 2),
    t("百人町", "ヒャクニンチョウ", "169-0073", 4, 6),
    t("大久保", "オオクボ", "169-0072", 3, 6),
    t("北新宿", "キタシンジュク", "169-0074", 4, 6),
    t("高田馬場", "タカダノババ", "169-0075", 4, 7),
    t("西早稲田", "ニシワセダ", "169-0051", 3, 4),
    t("早稲田鶴巻町", "ワセダツルマキチョウ", "162-0041", 0, 2),
    t("早稲田町", "ワセダマチ", "162-0042", 0, 1),
    t("喜久井町", "キクイチョウ", "162-0044", 0, 1),
    t("戸山", "トヤマ", "162-0052", 3, 4),
    t("下落合", "シモオチアイ", "161-0033", 4, 6),
    t("中落合", "ナカオチアイ", "161-0032", 4, 5),
    t("上落合", "カミオチアイ", "161-0034", 3, 4),
    t("西落合", "ニシオチアイ", "161-0031", 4, 4),
    t("中井", "ナカイ", "161-0035", 2, 2),
    t("四谷", "ヨツヤ", "160-0004", 4, 3),
    t("愛住町", "アイズミチョウ", "160-0005", 0, 1),
    t("荒木町", "アラキチョウ", "160-0007", 0, 1),
    t("左門町", "サモンチョウ", "160-0017", 0, 1),
    t("信濃町", "シナノマチ", "160-0016", 0, 1),
    t("大京町", "ダイキョウチョウ", "160-0015", 0, 1),
    t("内藤町", "ナイトウマチ", "160-0014", 0, 1),
    t("霞ヶ丘町", "カスミガオカマチ", "160-0013", 0, 1),
    t("富久町", "トミヒサチョウ", "162-0067", 0, 2),
    t("余丁町", "ヨチョウマチ", "162-0055", 0, 2),
    t("河田町", "カワダチョウ", "162-0054", 0, 1),
    t("若松町", "ワカマツチョウ", "162-0056", 0, 2),
    t("原町", "ハラマチ", "162-0053", 3, 2),
    t("弁天町", "ベンテンチョウ", "162-0851", 0, 1),
    t("市谷柳町", "イチガヤヤナギチョウ", "162-0061", 0, 1),
    t("市谷加賀町", "イチガヤカガチョウ", "162-0062", 2, 1),
    t("市谷薬王寺町", "イチガヤヤクオウジマチ", "162-0063", 0, 1),
    t("市谷田町", "イチガヤタマチ", "162-0843", 3, 1),
    t("神楽坂", "カグラザカ", "162-0825", 6, 2),
    t("新小川町", "シンオガワマチ", "162-0814", 0, 1),
    t("水道町", "スイドウチョウ", "162-0811", 0, 1),
    t("山吹町", "ヤマブキチョウ", "162-0801", 0, 1),
    t("矢来町", "ヤライチョウ", "162-0805", 0, 1),
];

/// A town, weighted by its share.
pub fn town(rng: &mut DemoRng) -> &'static Town {
    let total: u32 = TOWNS.iter().map(|t| t.weight).sum();
    let mut x = rng.random_range(0..total);
    for t in &TOWNS {
        if x < t.weight {
            return t;
        }
        x -= t.weight;
    }
    &TOWNS[0]
}

const BUILDINGS: [&str; 8] = [
    "ビル",
    "ハイツ",
    "メゾン",
    "コート",
    "レジデンス",
    "プラザ",
    "会館",
    "ハイム",
];

/// The street part of an address in `town`, e.g. `西新宿3-5-12` (with a building at times).
pub fn street(rng: &mut DemoRng, town: &Town) -> String {
    let banchi = rng.random_range(1..=30);
    let go = rng.random_range(1..=25);
    let mut s = if town.max_chome > 0 {
        let chome = rng.random_range(1..=town.max_chome);
        format!("{}{chome}-{banchi}-{go}", town.name)
    } else {
        format!("{}{}-{go}", town.name, banchi * 3)
    };
    if chance(rng, 0.35) {
        let b = pick(rng, &BUILDINGS);
        let floor = rng.random_range(1..=6);
        s.push_str(&format!(" {}{b}{floor}階", town.kana));
    }
    s
}

/// Full address in Shinjuku: `東京都新宿区西新宿3-5-12`.
pub fn address(rng: &mut DemoRng, town: &Town) -> String {
    format!("東京都新宿区{}", street(rng, town))
}

/// A Shinjuku address in a random town.
pub fn any_address(rng: &mut DemoRng) -> String {
    let t = town(rng);
    address(rng, t)
}

/// Another Tokyo municipality (never 新宿区 itself).
#[derive(Debug, Clone)]
pub struct Municipality {
    pub code: String,
    pub name: String,
    /// Reading in katakana.
    pub kana: String,
}

fn katakana(hiragana: &str) -> String {
    hiragana
        .chars()
        .map(|c| match c {
            'ぁ'..='ゖ' => char::from_u32(u32::from(c) + 0x60).unwrap_or(c),
            _ => c,
        })
        .collect()
}

const MUNICIPALITIES_CSV: &str = include_str!("../../fixtures/tokyo-municipalities.csv");

/// Municipalities that commonly exchange consents with Shinjuku: the 23 wards and the
/// nearer cities (`fixtures/tokyo-municipalities.csv` minus Shinjuku and the islands).
pub fn partner_municipalities() -> Vec<Municipality> {
    csv::Reader::from_reader(MUNICIPALITIES_CSV.as_bytes())
        .records()
        .filter_map(std::result::Result::ok)
        .filter(|r| &r[0] != "131041" && !r[0].starts_with("133"))
        .map(|r| Municipality {
            code: r[0].to_string(),
            name: r[1].to_string(),
            kana: katakana(&r[2]),
        })
        .collect()
}

/// An address in another municipality (town part generic: `本町2-3-4`).
pub fn address_in(rng: &mut DemoRng, m: &Municipality) -> String {
    const PARTS: [&str; 8] = [
        "本町", "中央", "東町", "南町", "北町", "栄町", "緑町", "旭町",
    ];
    let part = pick(rng, &PARTS);
    format!(
        "東京都{}{part}{}-{}-{}",
        m.name,
        rng.random_range(1..=5),
        rng.random_range(1..=30),
        rng.random_range(1..=20)
    )
}
