//! Domain rules: identifiers, validation, workflow, calendar and masking.
//! Nothing here does I/O or knows about the terminal or SQL.

pub mod application;
pub mod checklist;
pub mod consent;
pub mod consent_view;
pub mod decision;
pub mod designation;
pub mod exchange;
pub mod guidance;
pub mod history;
pub mod ids;
pub mod inbox;
pub mod job;
pub mod mask;
pub mod meeting;
pub mod model;
pub mod opendata;
pub mod overview;
pub mod payload;
pub mod people;
pub mod permission;
pub mod review;
pub mod search;
pub mod text;
pub mod validate;
pub mod view;
pub mod wareki;
