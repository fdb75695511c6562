//! Moving a cursor or a scroll position: what the `list.*` commands mean to whatever
//! has focus (a list, a menu, the palette, help).

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Move {
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
}

impl Move {
    /// Rows to move by, `page` for the page keys; 0 for Top/Bottom.
    pub fn delta(self, page: isize) -> isize {
        match self {
            Move::Up => -1,
            Move::Down => 1,
            Move::PageUp => -page,
            Move::PageDown => page,
            Move::Top | Move::Bottom => 0,
        }
    }

    /// The new index in a list of `len`, stopping at the ends.
    pub fn clamp(self, selected: usize, len: usize, page: usize) -> usize {
        let last = len.saturating_sub(1);
        match self {
            Move::Up => selected.saturating_sub(1),
            Move::Down => (selected + 1).min(last),
            Move::PageUp => selected.saturating_sub(page),
            Move::PageDown => (selected + page).min(last),
            Move::Top => 0,
            Move::Bottom => last,
        }
    }

    /// As [`Move::clamp`], but Up and Down wrap around (menus).
    pub fn wrap(self, selected: usize, len: usize, page: usize) -> usize {
        let last = len.saturating_sub(1);
        match self {
            Move::Up if selected == 0 => last,
            Move::Down if selected >= last => 0,
            _ => self.clamp(selected, len, page),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Move;

    #[test]
    fn menus_wrap_and_pages_stop_at_the_ends() {
        assert_eq!(Move::Up.wrap(0, 5, 2), 4);
        assert_eq!(Move::Down.wrap(4, 5, 2), 0);
        assert_eq!(Move::PageDown.wrap(4, 5, 2), 4);
        assert_eq!(Move::PageUp.clamp(1, 5, 3), 0);
        assert_eq!(Move::Up.clamp(0, 5, 3), 0);
        assert_eq!(Move::Bottom.clamp(0, 5, 3), 4);
    }
}
