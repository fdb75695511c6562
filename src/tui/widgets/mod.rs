//! Reusable widgets
pub mod clear;
pub mod highlight;
pub mod text;
