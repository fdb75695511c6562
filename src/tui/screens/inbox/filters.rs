//! The inbox list's filters and sort: toggles and cycles that each reload the list, and
//! the one line that says which are on.

use super::InboxScreen;
use crate::domain::application::{ApplicationKind, ApplicationSource, ApplicationStatus};
use crate::domain::inbox::InboxSort;
use crate::i18n::Lang;
use crate::query::Request;

/// The next item of `all` after `now` (None = all), wrapping through None.
fn cycle<T: Copy + PartialEq>(all: &[T], now: Option<T>, forward: bool) -> Option<T> {
    let n = all.len();
    let at = now.and_then(|v| all.iter().position(|x| *x == v));
    let next = match (at, forward) {
        (None, true) => Some(0),
        (None, false) => Some(n - 1),
        (Some(i), true) if i + 1 < n => Some(i + 1),
        (Some(i), false) if i > 0 => Some(i - 1),
        _ => None,
    };
    next.map(|i| all[i])
}

impl InboxScreen {
    fn refetch(&mut self) -> Vec<Request> {
        self.list.selected = 0;
        self.list.offset = 0;
        vec![self.list_request()]
    }

    pub fn toggle_overdue(&mut self) -> Vec<Request> {
        self.query.overdue_only = !self.query.overdue_only;
        self.refetch()
    }

    /// "Mine": only the cases assigned to `me`.
    pub fn toggle_mine(&mut self, me: &str) -> Vec<Request> {
        self.query.assignee = match self.query.assignee {
            Some(_) => None,
            None => Some(me.to_string()),
        };
        self.refetch()
    }

    pub fn toggle_open(&mut self) -> Vec<Request> {
        self.query.open_only = !self.query.open_only;
        self.refetch()
    }

    /// The status tab: all, then each status in workflow order.
    pub fn next_status(&mut self, forward: bool) -> Vec<Request> {
        self.query.status = cycle(&ApplicationStatus::ALL, self.query.status, forward);
        self.refetch()
    }

    pub fn next_kind(&mut self) -> Vec<Request> {
        self.query.kind = cycle(&ApplicationKind::ALL, self.query.kind, true);
        self.refetch()
    }

    pub fn next_source(&mut self) -> Vec<Request> {
        self.query.source = cycle(&ApplicationSource::ALL, self.query.source, true);
        self.refetch()
    }

    pub fn next_sort(&mut self) -> Vec<Request> {
        let all = InboxSort::ALL;
        let at = all.iter().position(|s| *s == self.query.sort).unwrap_or(0);
        self.query.sort = all[(at + 1) % all.len()];
        self.refetch()
    }

    pub fn reverse_sort(&mut self) -> Vec<Request> {
        self.query.descending = !self.query.descending;
        self.refetch()
    }

    /// The search text (trimmed; empty shows every case again).
    pub fn set_search(&mut self, text: String) -> Vec<Request> {
        self.query.search = text.trim().to_string();
        self.refetch()
    }

    pub fn clear_filters(&mut self) -> Vec<Request> {
        let (sort, descending) = (self.query.sort, self.query.descending);
        self.query = Default::default();
        self.query.sort = sort;
        self.query.descending = descending;
        self.refetch()
    }

    /// "絞込: 処理期限超過、自分の担当  並び: 処理期限^" (the glyphs' sort marks).
    pub fn filter_line(&self, l: Lang, g: &crate::tui::glyphs::Glyphs) -> String {
        let q = &self.query;
        let pick = |ja: &'static str, en: &'static str| if l.is_ja() { ja } else { en };
        let mut on: Vec<String> = Vec::new();
        if q.overdue_only {
            on.push(l.t("処理期限超過", "overdue").into());
        }
        if q.assignee.is_some() {
            on.push(l.t("自分の担当", "mine").into());
        }
        if q.open_only {
            on.push(l.t("未完了", "open").into());
        }
        if let Some(k) = q.kind {
            on.push(pick(k.label_ja(), k.label_en()).into());
        }
        if let Some(s) = q.source {
            on.push(pick(s.label_ja(), s.label_en()).into());
        }
        if !q.search.is_empty() {
            on.push(format!("{}「{}」", l.t("検索", "search "), q.search));
        }
        let filters = if on.is_empty() {
            l.t("なし", "none").to_string()
        } else {
            on.join(l.t("、", ", "))
        };
        let arrow = if q.descending {
            g.sort_desc
        } else {
            g.sort_asc
        };
        format!(
            "{} {filters}  {} {}{arrow}",
            l.t("絞込:", "Filter:"),
            l.t("並び:", "Sort:"),
            pick(q.sort.label_ja(), q.sort.label_en()),
        )
    }
}
