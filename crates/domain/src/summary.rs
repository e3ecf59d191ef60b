//! Where a plan stands: the figures every screen, statement and export use.

use chrono::NaiveDate;

use crate::error::{Error, Result};
use crate::model::PlanSummary;
use crate::money::Money;
use crate::plan::PlanHistory;

/// Computes a plan's figures as of `as_of` from its versions and what has
/// been spent: `spent` over `payment_count` payments, voided ones left out.
///
/// The budget is the funding every version brings in while it is in force.
/// All of the plan's spending counts, whatever its date: payments are only
/// accepted inside the plan period and not in the future, so there is none
/// to leave out.
pub fn summarise(
    plan: &PlanHistory,
    spent: Money,
    payment_count: u32,
    as_of: NaiveDate,
) -> Result<PlanSummary> {
    let budget = plan.funding_total()?;
    let left = budget.checked_sub(spent).ok_or(Error::Overflow)?;
    let days_in_period = whole_days(plan.start_date, plan.end_date) + 1;
    let days_gone = if as_of < plan.start_date {
        0
    } else {
        (whole_days(plan.start_date, as_of) + 1).min(days_in_period)
    };
    Ok(PlanSummary {
        as_of,
        budget,
        allocated: plan.allocated_total()?,
        spent,
        left,
        payment_count,
        days_in_period,
        days_gone,
        period_gone_percent: percent_floor(i128::from(days_gone), i128::from(days_in_period))
            .unwrap_or(0),
        budget_spent_percent: percent_floor(i128::from(spent.pence()), i128::from(budget.pence())),
    })
}

/// Days from `from` to `to` (0 when equal); plan periods are at most a few
/// years, so this always fits.
fn whole_days(from: NaiveDate, to: NaiveDate) -> u32 {
    u32::try_from((to - from).num_days()).unwrap_or(u32::MAX)
}

/// `part / whole` as whole percent, rounded down; `None` when `whole` is 0.
fn percent_floor(part: i128, whole: i128) -> Option<u32> {
    if whole == 0 {
        return None;
    }
    u32::try_from((part * 100).div_euclid(whole)).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{HolderId, PlanId};
    use crate::plan::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    /// A year's plan funded by one payment of `budget_pence` on its first day.
    fn plan(budget_pence: i64) -> PlanHistory {
        let streams = (budget_pence > 0)
            .then(|| FundingStream {
                funder: Funder::Nhs,
                funder_name: "ICB".into(),
                management: Management::DirectPayment,
                amount: Money::from_pence(budget_pence),
                frequency: Frequency::OneOff,
                amount_is: AmountIs::EachPayment,
            })
            .into_iter()
            .collect();
        PlanHistory {
            plan_id: PlanId(1),
            holder_id: HolderId(1),
            name: "Plan".into(),
            start_date: date(2026, 4, 1),
            end_date: date(2027, 3, 31),
            versions: vec![PlanVersion {
                id: VersionId(1),
                number: 1,
                effective_from: date(2026, 4, 1),
                effective_to: date(2027, 3, 31),
                reason: String::new(),
                created_by: None,
                created_at: String::new(),
                content: PlanContent {
                    streams,
                    outcomes: vec![],
                    lines: vec![],
                    reviews: vec![],
                    status: PlanStatus::Agreed,
                    agreed_on: None,
                    agreed_by: String::new(),
                },
            }],
        }
    }

    /// The summary for payments of these amounts.
    fn summarise_payments(
        plan: &PlanHistory,
        pence: &[i64],
        as_of: NaiveDate,
    ) -> Result<PlanSummary> {
        let spent = Money::checked_sum(pence.iter().map(|&p| Money::from_pence(p)))
            .ok_or(Error::Overflow)?;
        summarise(plan, spent, pence.len() as u32, as_of)
    }
    #[test]
    fn budget_spent_and_left() {
        let summary =
            summarise_payments(&plan(3_850_000), &[29_000, 4_500], date(2026, 6, 30)).unwrap();
        assert_eq!(summary.spent, Money::from_pence(33_500));
        assert_eq!(summary.left, Money::from_pence(3_816_500));
        assert_eq!(summary.payment_count, 2);
        assert_eq!(summary.budget_spent_percent, Some(0));
    }

    #[test]
    fn share_of_period_counts_first_and_last_day() {
        let p = plan(100);
        assert_eq!(
            summarise_payments(&p, &[], date(2026, 3, 31))
                .unwrap()
                .days_gone,
            0
        );
        let first = summarise_payments(&p, &[], date(2026, 4, 1)).unwrap();
        assert_eq!((first.days_gone, first.days_in_period), (1, 365));
        let half = summarise_payments(&p, &[], date(2026, 9, 30)).unwrap();
        assert_eq!((half.days_gone, half.period_gone_percent), (183, 50));
        let after = summarise_payments(&p, &[], date(2028, 1, 1)).unwrap();
        assert_eq!((after.days_gone, after.period_gone_percent), (365, 100));
    }

    #[test]
    fn overspending_shows_as_negative_left() {
        let summary = summarise_payments(&plan(10_000), &[12_500], date(2026, 5, 1)).unwrap();
        assert_eq!(summary.left, Money::from_pence(-2_500));
        assert_eq!(summary.budget_spent_percent, Some(125));
    }

    #[test]
    fn zero_budget_has_no_spent_share() {
        assert_eq!(
            summarise_payments(&plan(0), &[], date(2026, 5, 1))
                .unwrap()
                .budget_spent_percent,
            None
        );
    }

    #[test]
    fn overflow_is_an_error_not_a_wrapped_number() {
        let result = summarise_payments(&plan(0), &[i64::MAX, 1], date(2026, 5, 1));
        assert!(matches!(result, Err(Error::Overflow)));
    }
}
