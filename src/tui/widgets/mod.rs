//! Reusable widgets
pub mod clear;
pub mod text;
pub mod highlight;
