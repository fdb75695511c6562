//! The one write path: authorize → validate → write + audit, in one transaction.
//!
//! Screens and CLI commands never write through `store` directly. Every function here
//! checks the actor's role with `domain::permission::authorize`, validates with the
//! domain validators, and appends the audit record inside the same `BEGIN IMMEDIATE`
//! transaction as the change, so a failed audit insert rolls the change back.

pub mod ledger;

use crate::domain::application::TransitionError;
use crate::domain::permission::Denied;
use crate::domain::validate::FieldError;
use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error("{0}")]
    Denied(#[from] Denied),
    #[error("invalid input: {}", .0.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("; "))]
    Invalid(Vec<FieldError>),
    #[error("{0}")]
    Transition(#[from] TransitionError),
    #[error("{0}")]
    Store(#[from] StoreError),
}

impl ServiceError {
    /// A message for the status line, in the UI language.
    pub fn message(&self, ja: bool) -> String {
        match self {
            ServiceError::Denied(d) if ja => d.ja.clone(),
            ServiceError::Invalid(errs) if ja => errs
                .iter()
                .map(|e| format!("{}: {}", e.field, e.ja))
                .collect::<Vec<_>>()
                .join(" / "),
            ServiceError::Store(StoreError::Conflict { .. }) if ja => {
                "他の職員が先に保存しました。差分を確認してください".into()
            }
            other => other.to_string(),
        }
    }
}

pub type Result<T> = std::result::Result<T, ServiceError>;
