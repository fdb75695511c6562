//! Background jobs (the runner, one file per job) and the file formats they read and
//! write.

pub mod formats;
pub mod integrity_check;
pub mod runner;
pub mod verify_audit;

use crate::domain::job::JobKind;
use runner::Job;

/// The job that does `kind`.
pub fn job_for(kind: JobKind) -> Box<dyn Job> {
    match kind {
        JobKind::VerifyAudit => Box::new(verify_audit::VerifyAudit),
        JobKind::IntegrityCheck => Box::new(integrity_check::IntegrityCheck),
    }
}
