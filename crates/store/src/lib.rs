//! careledger-store: the SQLite file and the SQL, below the operations
//! layer and above the domain. It reads and writes records; the domain's
//! rules and figures, and printing, are not its business.
//!
//! It also holds the lowest layer for files (`disk`, `private`, `lock`):
//! writing Careledger's own files whole or not at all, privately, and one
//! copy of the app per data folder.

pub mod disk;
pub mod files;
pub mod lock;
pub mod private;
pub mod store;

// The domain's modules under their own names, so `crate::money::Money`
// reads the same here as it does in the domain.
use careledger_domain::{
    account, dashboard, error, evidence, exclusions, forms, input, ledger, model, money, plan,
    plan_forms, recurring,
};

pub use store::{LearntFromFile, Store};
