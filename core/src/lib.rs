//! careledger-core: Careledger's operations, over its domain, store and print layers.
//!
//! Careledger helps a person who holds an NHS personal health budget, or a
//! carer acting for them, keep the agreed plan, log money spent, and see
//! what is left. This crate holds every rule and figure; the desktop shell
//! and the UI only call it and show what it returns. It knows nothing of
//! Tauri or windows.

// The operations layer: loads, checks, writes and composes.
pub mod account_import;
pub mod backup;
pub mod demo;
pub mod export;
pub mod generate;
pub mod journal;
pub mod output;
pub mod print_cache;
pub mod progress;
pub mod records;
pub mod second_place;
pub mod views;

#[cfg(test)]
mod bindings;

// The layers below, under the names they have always had here, so that
// `careledger_core::money::Money` and the like keep working for the app,
// the tests and the tools.
pub use careledger_domain::{
    account, dashboard, enums, error, evidence, exclusions, figures, forms, ids, input, labels,
    ledger, model, money, overview, plan, plan_forms, recurring, statement, summary,
};
pub use careledger_print::{statement_csv, statement_pdf};
pub use careledger_store::{disk, files, lock, private, store};

pub use error::{Error, ErrorCode, ErrorReport, Result};
pub use model::*;
pub use money::Money;
pub use overview::HolderOverview;
pub use store::Store;
