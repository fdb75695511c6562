//! A test transport for the query layer: the worker answers late and out of order.
//!
//! Requests are held instead of sent; `answer_*` answers them all at once — coalesced
//! as the worker thread would, or each one as if it had been answered before the next
//! arrived — and hands the replies back in the order the test picks. The UI must end up
//! showing the latest request's answer whatever the order.

use super::answer::answer;
use super::{DataContext, Reply, Request, coalesce};

/// In which order late replies arrive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    AsAsked,
    /// Newest first: every stale reply arrives after the one that replaced it.
    Reversed,
    /// A fixed permutation from the seed (odd positions first, then even, rotated).
    Shuffled(u64),
}

#[derive(Debug, Default)]
pub struct LateTransport {
    held: Vec<Request>,
    /// Requests sent so far.
    pub sent: usize,
    /// Requests answered so far (after coalescing).
    pub answered: usize,
}

impl LateTransport {
    pub fn send(&mut self, req: Request) {
        self.sent += 1;
        self.held.push(req);
    }

    pub fn held(&self) -> &[Request] {
        &self.held
    }

    /// Answers the held requests as one burst, coalesced like the worker thread.
    pub fn answer_coalesced(&mut self, ctx: &mut DataContext, order: Order) -> Vec<Reply> {
        let batch = coalesce(std::mem::take(&mut self.held));
        self.answer_all(ctx, batch, order)
    }

    /// Answers every held request (none coalesced): the replies a slow worker would
    /// send if each request had reached it before the next.
    pub fn answer_each(&mut self, ctx: &mut DataContext, order: Order) -> Vec<Reply> {
        let batch = std::mem::take(&mut self.held);
        self.answer_all(ctx, batch, order)
    }

    fn answer_all(
        &mut self,
        ctx: &mut DataContext,
        batch: Vec<Request>,
        order: Order,
    ) -> Vec<Reply> {
        let mut replies: Vec<Reply> = batch
            .into_iter()
            .filter_map(|r| {
                self.answered += 1;
                answer(ctx, r)
            })
            .collect();
        match order {
            Order::AsAsked => {}
            Order::Reversed => replies.reverse(),
            Order::Shuffled(seed) => {
                let mut odd_even: Vec<Reply> = Vec::with_capacity(replies.len());
                let (mut odd, mut even) = (Vec::new(), Vec::new());
                for (i, r) in replies.into_iter().enumerate() {
                    if i % 2 == 1 {
                        odd.push(r)
                    } else {
                        even.push(r)
                    }
                }
                odd_even.extend(odd);
                odd_even.extend(even);
                if !odd_even.is_empty() {
                    let k = (seed as usize) % odd_even.len();
                    odd_even.rotate_left(k);
                }
                replies = odd_even;
            }
        }
        replies
    }
}
