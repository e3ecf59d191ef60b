//! What the main screen shows for one holder, put together from the plan,
//! the ledger, the dashboard and the regular payments. It sits above those
//! modules, so none of them depends on it.

use serde::Serialize;
use ts_rs::TS;

use crate::model::{Holder, Plan, PlanSummary};

/// Everything the main screen shows for one holder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct HolderOverview {
    /// The holder.
    pub holder: Holder,
    /// The people who act for them, and how.
    pub acting: Vec<crate::plan::ActingPerson>,
    /// Their plan, once set up.
    pub plan: Option<Plan>,
    /// The plan's number of versions (1 until it is revised).
    pub version_count: u32,
    /// Where the plan stands today, once there is a plan.
    pub summary: Option<PlanSummary>,
    /// Line by line, warnings, forecast and charts, once there is a plan.
    pub dashboard: Option<crate::dashboard::Dashboard>,
    /// Money in, newest first, voided ones included.
    pub money_in: Vec<crate::ledger::MoneyIn>,
    /// Funders' payments due up to four weeks ahead, and whether each came.
    pub expected: Vec<crate::ledger::ExpectedPayment>,
    /// Regular payments, running ones first.
    pub recurring: Vec<crate::recurring::Recurring>,
    /// Payments the regular ones say are due, waiting for a person.
    pub due: Vec<crate::recurring::DueProposal>,
}
