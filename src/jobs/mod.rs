//! Background jobs (the runner, one file per job) and the file formats they read and
//! write.

pub mod consent_exchange;
pub mod export;
pub mod formats;
pub mod import_applications;
pub mod integrity_check;
pub mod opendata_export;
pub mod opendata_import;
pub mod runner;
pub mod spool;
pub mod verify_audit;

use crate::domain::job::JobKind;
use runner::Job;

/// How a run of an exchange job is asked for (`--spool`, `--dry-run`, `--encoding`).
#[derive(Debug, Clone, Default)]
pub struct JobOptions {
    pub spool: Option<std::path::PathBuf>,
    pub dry_run: bool,
    pub encoding: formats::input::EncodingChoice,
    /// A past export batch to write again.
    pub resend: Option<String>,
    /// Input files named on the command line (import-opendata).
    pub files: Vec<std::path::PathBuf>,
}

/// The job that does `kind`, with the default spool.
pub fn job_for(kind: JobKind) -> Box<dyn Job> {
    job_with(kind, &JobOptions::default())
}

/// The job that does `kind` as `opts` ask.
pub fn job_with(kind: JobKind, opts: &JobOptions) -> Box<dyn Job> {
    match kind {
        JobKind::VerifyAudit => Box::new(verify_audit::VerifyAudit),
        JobKind::IntegrityCheck => Box::new(integrity_check::IntegrityCheck),
        JobKind::ImportApplications => Box::new(import_applications::ImportApplications {
            spool: opts.spool.clone(),
            dry_run: opts.dry_run,
            encoding: opts.encoding,
        }),
        JobKind::ExportLemscare | JobKind::ExportKokuhoren => Box::new(export::Export {
            target: if kind == JobKind::ExportLemscare {
                export::Target::Lemscare
            } else {
                export::Target::Kokuhoren
            },
            spool: opts.spool.clone(),
            dry_run: opts.dry_run,
            resend: opts.resend.clone(),
        }),
        JobKind::ConsentExchange => Box::new(consent_exchange::ConsentExchange {
            spool: opts.spool.clone(),
            dry_run: opts.dry_run,
            encoding: opts.encoding,
        }),
        JobKind::ImportOpenData => Box::new(opendata_import::ImportOpenData {
            files: opts.files.clone(),
            spool: opts.spool.clone(),
            dry_run: opts.dry_run,
            encoding: opts.encoding,
        }),
        JobKind::ExportOpenData => Box::new(opendata_export::ExportOpenData {
            spool: opts.spool.clone(),
            dry_run: opts.dry_run,
        }),
    }
}
