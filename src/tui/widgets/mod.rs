//! Reusable widgets
pub mod clear;
