//! careledger-core: the domain, rules and storage of Careledger.
//!
//! Careledger helps a person who holds an NHS personal health budget, or a
//! carer acting for them, keep the agreed plan, log money spent, and see
//! what is left. This crate holds every rule and figure; the desktop shell
//! and the UI only call it and show what it returns. It knows nothing of
//! Tauri or windows.

pub mod backup;
pub mod dashboard;
pub mod demo;
mod disk;
pub mod error;
pub mod evidence;
pub mod exclusions;
pub mod export;
pub mod figures;
pub mod forms;
pub mod ids;
pub mod input;
pub mod labels;
pub mod ledger;
pub mod lock;
pub mod model;
pub mod money;
pub mod output;
pub mod overview;
pub mod plan;
pub mod plan_forms;
pub mod private;
pub mod recurring;
pub mod second_place;
pub mod statement;
pub mod statement_pdf;
pub mod store;
pub mod summary;
pub mod views;

#[cfg(test)]
mod bindings;

pub use error::{Error, ErrorCode, ErrorReport, Result};
pub use model::*;
pub use money::Money;
pub use overview::HolderOverview;
pub use store::Store;
