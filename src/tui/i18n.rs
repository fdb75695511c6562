//! The UI language lives at the crate root (`crate::i18n`) so the CLI, the service
//! layer and the screens share one rule; re-exported here for the screens.
pub use crate::i18n::*;
