//! The records Careledger keeps, and the forms that create them.
//!
//! Records (`Person`, `Holder`, `Plan`) are what storage returns. Forms
//! (`NewPerson`, `NewHolder`) carry text exactly as it was typed; core
//! checks and converts it, so every front end gets the same rules and
//! messages. The ids are in [`crate::ids`], re-exported here.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::money::Money;

pub use crate::ids::{HolderId, PersonId, PlanId};

/// Someone who uses Careledger and records entries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Person {
    /// The person's id.
    pub id: PersonId,
    /// Their name.
    pub name: String,
}

/// The form for adding a person who uses the app.
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct NewPerson {
    /// Their name.
    pub name: String,
}

/// A person whose personal health budget this is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Holder {
    /// The holder's id.
    pub id: HolderId,
    /// The holder's name as they like it written.
    pub name: String,
    /// Their date of birth, when given.
    pub date_of_birth: Option<NaiveDate>,
    /// Their NHS number, written "943 476 5919", when given.
    pub nhs_number: Option<String>,
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
}

/// The form for adding a budget holder.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct NewHolder {
    /// The holder's name.
    pub name: String,
    /// Date of birth as typed; may be empty.
    pub date_of_birth: String,
    /// NHS number as typed; may be empty.
    pub nhs_number: String,
    /// The person adding them, who acts for them.
    pub acting_person: PersonId,
    /// How that person acts for them.
    pub acting_role: crate::plan::ActingRole,
}

/// Where a plan stands on a given day: the figures the dashboard shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PlanSummary {
    /// The day the figures are for.
    pub as_of: NaiveDate,
    /// The funding the plan brings in over its whole period.
    pub budget: Money,
    /// What the budget lines allocate over the plan period.
    pub allocated: Money,
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

/// Facts about the running app that the UI shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AppInfo {
    /// The app's version.
    pub version: String,
    /// The folder the data is kept in.
    pub data_dir: String,
    /// The licence Careledger is shared under, in words.
    pub licence: String,
    /// Where to report a problem: a web address.
    pub report_a_problem: String,
    /// Today's date, as the app counts it.
    pub today: NaiveDate,
    /// Why the data could not be opened at start, if it could not. The UI
    /// shows this instead of the screens that need data.
    pub startup_problem: Option<crate::error::ErrorReport>,
}
