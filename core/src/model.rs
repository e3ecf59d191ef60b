//! The records Careledger keeps, and the forms that create them.
//!
//! Records (`Holder`, `Plan`, `SpendingEntry`) are what storage returns.
//! Forms (`NewHolder`, `NewPlan`, `NewSpending`) carry text exactly as it
//! was typed; core checks and converts it, so every front end gets the same
//! rules and messages.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::money::Money;

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
    /// Identifies a spending entry.
    SpendingId
);

/// A person whose personal health budget this is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Holder {
    /// The holder's id.
    pub id: HolderId,
    /// The holder's name as they like it written.
    pub name: String,
}

/// The agreed plan: what the budget is and the period it covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Plan {
    /// The plan's id.
    pub id: PlanId,
    /// Whose plan it is.
    pub holder_id: HolderId,
    /// What the holder calls it, for example "Personal health budget 2026".
    pub name: String,
    /// The first day the plan covers.
    pub start_date: NaiveDate,
    /// The last day the plan covers.
    pub end_date: NaiveDate,
    /// The total agreed budget for the whole period.
    pub total_budget: Money,
}

/// One payment out of the budget.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SpendingEntry {
    /// The entry's id.
    pub id: SpendingId,
    /// The plan it is spent against.
    pub plan_id: PlanId,
    /// The day the money was paid.
    pub paid_on: NaiveDate,
    /// Who was paid.
    pub payee: String,
    /// How much was paid.
    pub amount: Money,
    /// Anything worth remembering about it.
    pub note: String,
    /// The name of the person who recorded it.
    pub recorded_by: String,
    /// When it was recorded (UTC, RFC 3339).
    pub recorded_at: String,
}

/// The form for adding a budget holder.
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct NewHolder {
    /// The holder's name.
    pub name: String,
}

/// The form for setting up a plan, as typed.
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct NewPlan {
    /// What to call the plan.
    pub name: String,
    /// First day, as typed ("1/4/2026").
    pub start_date: String,
    /// Last day, as typed.
    pub end_date: String,
    /// The total budget, as typed ("£38,500").
    pub total_budget: String,
}

/// The form for logging money spent, as typed.
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct NewSpending {
    /// The day it was paid, as typed.
    pub paid_on: String,
    /// Who was paid.
    pub payee: String,
    /// How much, as typed ("£290.00").
    pub amount: String,
    /// An optional note.
    pub note: String,
    /// The name of the person recording it.
    pub recorded_by: String,
}

/// Where a plan stands on a given day: the figures the dashboard shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PlanSummary {
    /// The day the figures are for.
    pub as_of: NaiveDate,
    /// The total agreed budget.
    pub budget: Money,
    /// Everything spent so far.
    pub spent: Money,
    /// Budget minus spent; negative when overspent.
    pub left: Money,
    /// How many payments make up `spent`.
    pub payment_count: u32,
    /// Days in the plan period, first and last day included.
    pub days_in_period: u32,
    /// Days of the period gone by `as_of` (0 before it starts).
    pub days_gone: u32,
    /// Share of the period gone, in whole percent, rounded down.
    pub period_gone_percent: u32,
    /// Share of the budget spent, in whole percent, rounded down; `None`
    /// when the budget is zero.
    pub budget_spent_percent: Option<u32>,
}

/// Everything the main screen shows for one holder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct HolderOverview {
    /// The holder.
    pub holder: Holder,
    /// Their plan, once set up.
    pub plan: Option<Plan>,
    /// Where the plan stands today, once there is a plan.
    pub summary: Option<PlanSummary>,
    /// Money spent, newest first.
    pub spending: Vec<SpendingEntry>,
}

/// Facts about the running app that the UI shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AppInfo {
    /// The app's version.
    pub version: String,
    /// The folder the data is kept in.
    pub data_dir: String,
    /// Today's date, as the app counts it.
    pub today: NaiveDate,
    /// Why the data could not be opened at start, if it could not. The UI
    /// shows this instead of the screens that need data.
    pub startup_problem: Option<crate::error::ErrorReport>,
}
