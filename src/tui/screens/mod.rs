//! The five screens. Each owns its state, turns commands into data requests, applies
//! replies, and draws itself. None of them knows SQL.

pub mod cases;
pub mod checklist;
pub mod jobs;
pub mod ledger;
