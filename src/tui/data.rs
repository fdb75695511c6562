//! Moved to [`crate::query`] (the application query layer); these re-exports keep the
//! old paths compiling while screens move to the new ones.

pub use crate::query::{
    CASE_LIST_CAP, COUNT_CAP, DataContext, FacilityDetail, PageMerge, Reply, Request, coalesce,
    handle,
};
