//! File codecs for what daicho writes and reads. Each format is documented in
//! `docs/formats.md`.

pub mod consent_exchange;
pub mod csv_out;
pub mod eapp;
pub mod fields;
pub mod input;
pub mod kokuhoren;
pub mod ledger_csv;
pub mod lemscare;
pub mod opendata;
pub mod private_file;
