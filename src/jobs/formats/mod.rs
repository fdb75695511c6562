//! File codecs for what daicho writes and reads. Each format is documented in
//! `docs/formats.md`.

pub mod csv_out;
pub mod ledger_csv;
pub mod private_file;
