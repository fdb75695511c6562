//! Domain rules: identifiers, validation, workflow, calendar and masking.
//! Nothing here does I/O or knows about the terminal or SQL.

pub mod application;
pub mod consent;
pub mod decision;
pub mod designation;
pub mod ids;
pub mod inbox;
pub mod job;
pub mod mask;
pub mod meeting;
pub mod model;
pub mod payload;
pub mod permission;
pub mod review;
pub mod text;
pub mod validate;
pub mod wareki;
