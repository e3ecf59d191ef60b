//! careledger-domain: the rules and figures of a personal health budget.
//!
//! Money, plans and their versions, the ledger's rules, every figure the
//! screens and the statement show, and the statement's content. Pure
//! functions on plain types: no SQL, no files, no PDF. The store, printing
//! and the operations layer build on it; it depends on none of them.

pub mod account;
pub mod dashboard;
pub mod enums;
pub mod error;
pub mod evidence;
pub mod exclusions;
pub mod figures;
pub mod forms;
pub mod ids;
pub mod input;
pub mod labels;
pub mod ledger;
pub mod model;
pub mod money;
pub mod overview;
pub mod plan;
pub mod plan_forms;
pub mod recurring;
pub mod statement;
pub mod summary;

pub use error::{Error, ErrorCode, ErrorReport, Result};
pub use model::*;
pub use money::Money;
pub use overview::HolderOverview;
