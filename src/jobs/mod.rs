//! Background sync jobs and the file formats they read and write.

pub mod formats;
