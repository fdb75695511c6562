//! daicho — 事業所台帳 (facility ledger) and designation workflow for a ward's
//! long-term-care section.
//!
//! The folders say the architecture:
//! - `domain`  — types, validators, workflow and calendar rules. No I/O, no terminal.
//! - `store`   — the only place that speaks SQL (SQLite today, a server DB later).
//! - `service` — the one write path: authorize → validate → write + audit, one transaction.
//! - `jobs`    — background sync jobs and their file formats.
//! - `letters` — letters and printable reports from templates (HTML for A4 and text).
//! - `demo`    — deterministic synthetic data for demos and benchmarks.
//! - `query`   — the application query layer: requests, replies, the data workers.
//! - `tui`     — the terminal UI; knows nothing of SQL or the store.
//! - `cli`     — headless subcommands (demo, doctor, sync, audit, backup, …).
//! - `i18n`    — the UI language (Japanese by default), shared by CLI and screens.
//! - `private_fs` — owner-only files and directories, shared by backups, exports, logs.

pub mod cli;
pub mod clock;
pub mod demo;
pub mod domain;
pub mod i18n;
pub mod jobs;
pub mod letters;
pub mod private_fs;
pub mod query;
pub mod service;
pub mod store;
pub mod tui;
