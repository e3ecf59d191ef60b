//! The ids that records refer to each other by. They depend on nothing
//! else in core, so every module can name a record without depending on
//! the module that works with it (no import cycles).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
                #[ts(type = "number")]
        pub struct $name(pub i64);
    };
}

id_type!(
    /// Identifies a budget holder.
    HolderId
);
id_type!(
    /// Identifies a plan.
    PlanId
);
id_type!(
    /// Identifies a person who uses the app (the holder, a representative,
    /// a nominee or a carer).
    PersonId
);

/// Identifies a budget line across plan versions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[ts(type = "number")]
pub struct LineKey(pub i64);
