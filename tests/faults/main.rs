//! The fault matrix (issue 11): every attack and fault that once broke daicho, replayed
//! against the current build. Each case returns `Ok` when daicho held. The run prints one
//! line per case and then "N held / M tried", so the figure can be watched from stage to
//! stage; any case that breaks fails the run.
//!
//! `cargo test --test faults [FILTER]` runs the cases whose id or title contains FILTER.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

#[path = "../common/mod.rs"]
mod common;

mod audit;
mod cli;
mod files;
mod forms;
mod input;

/// One attack or fault, and what holding means.
pub struct Case {
    /// Where it was reported, e.g. "11.13".
    pub id: &'static str,
    /// What is tried, in a few words.
    pub what: &'static str,
    /// `Ok(())` when daicho held; `Err(what broke)` otherwise.
    pub run: fn() -> Result<(), String>,
}

/// Turns a failed check into the case's error.
#[macro_export]
macro_rules! ensure {
    ($cond:expr, $($msg:tt)+) => {
        if !$cond {
            return Err(format!($($msg)+));
        }
    };
}

fn main() {
    let filters: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let all: Vec<Case> = [
        files::cases(),
        audit::cases(),
        cli::cases(),
        input::cases(),
        forms::cases(),
    ]
    .into_iter()
    .flatten()
    .collect();
    let chosen: Vec<&Case> = all
        .iter()
        .filter(|c| {
            filters.is_empty()
                || filters
                    .iter()
                    .any(|f| c.id.contains(f.as_str()) || c.what.contains(f.as_str()))
        })
        .collect();
    let mut held = 0;
    let mut broke = Vec::new();
    for case in &chosen {
        let outcome = std::panic::catch_unwind(case.run).unwrap_or_else(|panic| {
            let text = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            Err(format!("panicked: {text}"))
        });
        match outcome {
            Ok(()) => {
                held += 1;
                println!("held   {:<6} {}", case.id, case.what);
            }
            Err(why) => {
                println!("BROKE  {:<6} {}: {why}", case.id, case.what);
                broke.push(case.id);
            }
        }
    }
    println!();
    println!("fault matrix: {held} held / {} tried", chosen.len());
    println!("{held} passed, {} failed", broke.len());
    if !broke.is_empty() {
        std::process::exit(1);
    }
}
