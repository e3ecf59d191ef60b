//! The figures a person sees in more than one place (the dashboard, the
//! printed statement, its CSV), each worked out by one function here, so
//! the screen and the paper can never disagree.
//!
//! Sums over the ledger are made by the store in SQL, one query per figure
//! whatever the period ([`LedgerTotals`], from `Store::ledger_totals` and
//! `Store::ledger_totals_between`); what is worked out from those sums and
//! the plan is here. A line's allocation is
//! [`PlanHistory::line_allocation_between`]; whether a payment lacks
//! evidence is one rule in the store's SQL, which the store also uses to
//! mark each payment it loads.

use chrono::NaiveDate;

use crate::error::{Error, Result};
use crate::ids::LineKey;
use crate::money::Money;
use crate::plan::{whole_weeks, PlanHistory};

/// The ledger's totals for a plan over some days, worked out by the store
/// in one pass over its rows (removed payments, earlier versions of changed
/// ones, and removed money in left out).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LedgerTotals {
    /// Everything spent.
    pub spent: Money,
    /// How many payments.
    pub payment_count: u32,
    /// Spent on each line.
    pub spent_by_line: Vec<(LineKey, Money)>,
    /// Payments with no evidence and no reason.
    pub lacking_evidence: u32,
    /// Spent on each day that had spending, oldest first.
    pub spent_by_day: Vec<(NaiveDate, Money)>,
    /// Money in.
    pub money_in: Money,
}

impl LedgerTotals {
    /// What was spent on `line` (nothing if nothing was).
    pub fn spent_on(&self, line: LineKey) -> Money {
        self.spent_by_line
            .iter()
            .find(|(key, _)| *key == line)
            .map_or(Money::ZERO, |(_, spent)| *spent)
    }

    /// Money in less money spent.
    pub fn balance(&self) -> Result<Money> {
        self.money_in.checked_sub(self.spent).ok_or(Error::Overflow)
    }
}

/// How long the money in hand would last at the plan's rate of funding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WeeksInHand {
    /// A week's funding: the plan's budget over its whole weeks.
    pub weekly_funding: Money,
    /// The balance in weeks of funding, in tenths (42 is 4.2 weeks);
    /// `None` when no money has come in yet, or the plan has no funding.
    pub tenths: Option<i64>,
}

/// Whether `tenths` weeks of funding in hand (as [`weeks_in_hand`] counts
/// them) is more than the surplus limit of `limit_weeks`: the one test the
/// dashboard's warning and the statement share.
pub fn over_surplus_limit(tenths: i64, limit_weeks: u32) -> bool {
    tenths > i64::from(limit_weeks) * 10
}

/// The balance `balance` in weeks of `plan`'s funding, once any money has
/// come in (`money_in_so_far`, everything received up to the day the
/// balance is for): the one way the dashboard and the statement say how
/// many weeks are in hand, and so whether there is a surplus.
pub fn weeks_in_hand(
    plan: &PlanHistory,
    balance: Money,
    money_in_so_far: Money,
) -> Result<WeeksInHand> {
    let weeks = whole_weeks(plan.start_date, plan.end_date).max(1);
    let weekly_funding = Money::from_pence(plan.funding_total()?.pence() / weeks);
    let tenths = (money_in_so_far != Money::ZERO && weekly_funding != Money::ZERO).then(|| {
        i64::try_from(i128::from(balance.pence()) * 10 / i128::from(weekly_funding.pence()))
            .unwrap_or(i64::MAX)
    });
    Ok(WeeksInHand {
        weekly_funding,
        tenths,
    })
}
