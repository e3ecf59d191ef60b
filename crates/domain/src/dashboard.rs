//! Where the budget stands, line by line: what the dashboard shows and what
//! a statement repeats. Every figure is worked out here, once.

use chrono::{Datelike, Days, Months, NaiveDate};
use serde::Serialize;
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::figures::{over_surplus_limit, weeks_in_hand, WeeksInHand};
use crate::ids::LineKey;
use crate::input::format_date;
use crate::model::PlanSummary;
use crate::money::Money;
use crate::plan::{
    content_allocation, content_funding, days_between, share, Category, PlanHistory, ReviewKind,
};

/// A line is "nearly used" from this share of its allocation.
pub const NEARLY_PERCENT: u32 = 85;
/// How far ahead a review counts as coming up.
pub const REVIEW_NOTICE_DAYS: i64 = 30;
/// The surplus limit when the holder has not set one: 8 weeks of funding.
pub const DEFAULT_SURPLUS_WEEKS: u32 = 8;

/// How a line is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum LineState {
    /// Under 85% used.
    Within,
    /// 85% or more used, with something still left.
    Nearly,
    /// Exactly all of it used: nothing left, nothing over.
    AllUsed,
    /// More spent than allocated.
    Over,
}

/// One budget line's money.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LineStanding {
    /// The line.
    pub key: LineKey,
    /// Its description, as the latest version that has it says.
    pub description: String,
    /// Its kind.
    pub category: Category,
    /// Allocated over the plan period (each version for its share).
    pub allocated: Money,
    /// Spent on it (voided payments left out).
    pub spent: Money,
    /// Allocated minus spent.
    pub left: Money,
    /// Spent as whole percent of allocated; `None` when nothing is allocated.
    pub spent_percent: Option<u32>,
    /// Within, nearly used, all used, or over.
    pub state: LineState,
    /// Whether the version in force today still has the line.
    pub in_current_version: bool,
}

/// At the rate spent so far, where the money will be at the plan's end.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Forecast {
    /// Spending over the whole period at today's rate.
    pub projected_spend: Money,
    /// The budget left at the end at that rate (negative if it runs out).
    pub left_at_end: Money,
    /// The day the money runs out at that rate, if before the end. Always
    /// a day still to come: when the money has already run out, this is
    /// empty and the next figure says by how much.
    pub runs_out_on: Option<NaiveDate>,
    /// Set when the money has already run out (all of the budget has been
    /// spent): how much more than the budget has been spent, £0.00 when
    /// exactly all of it.
    pub already_run_out: Option<Money>,
}

/// What kind of warning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum WarningKind {
    /// A line has gone over its allocation.
    LineOver,
    /// A line has used 85% or more.
    LineNearly,
    /// Payments have no evidence and no reason.
    MissingEvidence,
    /// A review is due within 30 days.
    ReviewDue,
    /// More funding is in hand than the surplus limit.
    Surplus,
    /// At this rate the money runs out before the plan ends.
    RunsOut,
    /// A version's budget lines come to more than its funding.
    LinesOverFunding,
}

/// A warning, in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Warning {
    /// What kind.
    pub kind: WarningKind,
    /// What it means and what to do.
    pub message: String,
}

/// One point of the spending-over-time chart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BurnPoint {
    /// The day (the end of a month, or the plan's last day).
    pub date: NaiveDate,
    /// Days from the plan's first day to `date` (0 on the first day): where
    /// the point sits along the chart, so a part-month is drawn narrower.
    pub day: u32,
    /// Spending by then if it ran evenly over the period.
    pub even: Money,
    /// Spent by then; `None` for days still to come.
    pub spent: Option<Money>,
}

pub use crate::figures::LedgerTotals;

/// Everything the dashboard shows beyond the summary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Dashboard {
    /// Each line, in the order of the latest version, then any older ones.
    pub lines: Vec<LineStanding>,
    /// Spent with no line (entries from before lines were kept).
    pub unassigned_spent: Money,
    /// Money in recorded (voided left out).
    pub money_in: Money,
    /// Money in minus money spent: what should be in the account.
    pub balance: Money,
    /// A week's funding: the budget over the plan's whole weeks.
    pub weekly_funding: Money,
    /// The balance in weeks of funding, in tenths (42 is 4.2 weeks); `None`
    /// until money in is recorded.
    pub weeks_in_hand_tenths: Option<i64>,
    /// The surplus limit in weeks.
    pub surplus_limit_weeks: u32,
    /// Where the money will be at the end at this rate; `None` until
    /// something is spent.
    pub forecast: Option<Forecast>,
    /// Anything that needs attention.
    pub warnings: Vec<Warning>,
    /// Spending over time against an even spread, month by month.
    pub burn: Vec<BurnPoint>,
    /// What would have been spent by today if the budget were spent evenly
    /// over the period: the chart's dashed line today, for its words.
    pub even_so_far: Money,
}

/// A warning for the version in force on `today`, and for a later one
/// already saved, whose budget lines come to more than its funding: a
/// revision can be saved that way, and the plan then cannot balance.
fn lines_over_funding(plan: &PlanHistory, today: NaiveDate) -> Result<Vec<Warning>> {
    let in_force = plan.version_on(today);
    let mut versions = vec![in_force];
    versions.extend(plan.versions.iter().filter(|v| v.number > in_force.number));
    let mut warnings = Vec::new();
    for version in versions {
        let funding = content_funding(&version.content, plan.start_date, plan.end_date)?;
        let allocated = content_allocation(&version.content, plan.start_date, plan.end_date)?;
        if allocated > funding {
            let over = allocated.checked_sub(funding).ok_or(Error::Overflow)?;
            warnings.push(Warning {
                kind: WarningKind::LinesOverFunding,
                message: format!(
                    "Version {} of the plan (from {}) gives its budget lines {over} more than its funding: {allocated} against {funding} for the plan period. Check the figures against the agreed plan, and correct them with a revision.",
                    version.number,
                    format_date(version.effective_from)
                ),
            });
        }
    }
    Ok(warnings)
}

/// Works out the dashboard for a plan on `today`.
pub fn dashboard(
    plan: &PlanHistory,
    summary: &PlanSummary,
    totals: &LedgerTotals,
    surplus_limit_weeks: u32,
    today: NaiveDate,
) -> Result<Dashboard> {
    let lines = line_standings(plan, totals, today)?;
    let assigned =
        Money::checked_sum(lines.iter().map(|line| line.spent)).ok_or(Error::Overflow)?;
    let unassigned_spent = summary.spent.checked_sub(assigned).ok_or(Error::Overflow)?;
    let money_in = totals.money_in;
    let balance = totals.balance()?;
    let WeeksInHand {
        weekly_funding,
        tenths: weeks_in_hand_tenths,
    } = weeks_in_hand(plan, balance, money_in)?;
    let forecast = forecast(plan, summary)?;
    let mut warnings = Vec::new();
    for line in &lines {
        match line.state {
            LineState::Over => warnings.push(Warning {
                kind: WarningKind::LineOver,
                message: format!(
                    "{} has gone over its allocation by {}. Check the plan allows it, or move money from a flexible line at the next review.",
                    line.description,
                    Money::from_pence(-line.left.pence())
                ),
            }),
            LineState::Nearly => warnings.push(Warning {
                kind: WarningKind::LineNearly,
                message: format!(
                    "{} has used {}% of its allocation; {} is left.",
                    line.description,
                    line.spent_percent.unwrap_or(100),
                    line.left
                ),
            }),
            LineState::AllUsed => warnings.push(Warning {
                kind: WarningKind::LineNearly,
                message: format!(
                    "{} has used all of its allocation; nothing is left.",
                    line.description
                ),
            }),
            LineState::Within => {}
        }
    }
    warnings.extend(lines_over_funding(plan, today)?);
    let missing = totals.lacking_evidence;
    if missing > 0 {
        warnings.push(Warning {
            kind: WarningKind::MissingEvidence,
            message: format!(
                "{} {} no receipt or other evidence, and no reason why. Add the evidence, or say why there is none.",
                missing,
                if missing == 1 { "payment has" } else { "payments have" }
            ),
        });
    }
    for review in &plan.version_on(today).content.reviews {
        let days = (review.due_on - today).num_days();
        if (0..=REVIEW_NOTICE_DAYS).contains(&days) {
            let which = match review.kind {
                ReviewKind::ThreeMonth => "The 3-month review",
                ReviewKind::Annual => "The annual review",
                ReviewKind::Other => "A review",
            };
            warnings.push(Warning {
                kind: WarningKind::ReviewDue,
                message: format!(
                    "{which} is due on {} ({}). Print a statement to take to it.",
                    format_date(review.due_on),
                    match days {
                        0 => "today".to_owned(),
                        1 => "tomorrow".to_owned(),
                        n => format!("in {n} days"),
                    }
                ),
            });
        }
    }
    if let Some(tenths) = weeks_in_hand_tenths {
        if over_surplus_limit(tenths, surplus_limit_weeks) {
            warnings.push(Warning {
                kind: WarningKind::Surplus,
                message: format!(
                    "{balance} in hand is {}.{} weeks of funding, more than the {surplus_limit_weeks}-week limit. Money that builds up unspent can be taken back; talk to your care coordinator about it.",
                    tenths / 10,
                    tenths % 10
                ),
            });
        }
    }
    let runs_out = forecast.as_ref().and_then(|forecast| {
        match (forecast.already_run_out, forecast.runs_out_on) {
            (Some(over), _) => Some(format!(
                "{} Check the payments for a mistake, and talk to your care coordinator.",
                already_run_out_words(over)
            )),
            (None, Some(date)) => Some(format!(
                "At the rate spent so far, the budget runs out on {}, before the plan ends on {}.",
                format_date(date),
                format_date(plan.end_date)
            )),
            (None, None) => None,
        }
    });
    if let Some(message) = runs_out {
        warnings.push(Warning {
            kind: WarningKind::RunsOut,
            message,
        });
    }
    Ok(Dashboard {
        lines,
        unassigned_spent,
        money_in,
        balance,
        weekly_funding,
        weeks_in_hand_tenths,
        surplus_limit_weeks,
        forecast,
        warnings,
        burn: burn(plan, summary, totals, today)?,
        even_so_far: share(
            summary.budget,
            i64::from(summary.days_gone),
            i64::from(summary.days_in_period),
        )?,
    })
}

fn line_standings(
    plan: &PlanHistory,
    totals: &LedgerTotals,
    today: NaiveDate,
) -> Result<Vec<LineStanding>> {
    let current = plan.version_on(today);
    // Lines in the order of the latest version, then lines only older
    // versions had (newest first).
    let mut order: Vec<(LineKey, String, Category)> = Vec::new();
    for version in plan.versions.iter().rev() {
        for line in &version.content.lines {
            if let Some(key) = line.key {
                if !order.iter().any(|(k, _, _)| *k == key) {
                    order.push((key, line.description.clone(), line.category));
                }
            }
        }
    }
    order
        .into_iter()
        .map(|(key, description, category)| {
            let allocated = plan.line_allocation(key)?;
            let spent = totals.spent_on(key);
            let left = allocated.checked_sub(spent).ok_or(Error::Overflow)?;
            let spent_percent = (allocated != Money::ZERO).then(|| {
                u32::try_from(i128::from(spent.pence()) * 100 / i128::from(allocated.pence()))
                    .unwrap_or(u32::MAX)
            });
            let state = if left.is_negative() {
                LineState::Over
            } else if left == Money::ZERO && allocated != Money::ZERO {
                LineState::AllUsed
            } else if spent_percent.is_some_and(|percent| percent >= NEARLY_PERCENT) {
                LineState::Nearly
            } else {
                LineState::Within
            };
            Ok(LineStanding {
                key,
                description,
                category,
                allocated,
                spent,
                left,
                spent_percent,
                state,
                in_current_version: current
                    .content
                    .lines
                    .iter()
                    .any(|line| line.key == Some(key)),
            })
        })
        .collect()
}

/// "The money has already run out: …", for a plan that has spent `over`
/// more than its budget (£0.00 when exactly all of it).
pub fn already_run_out_words(over: Money) -> String {
    if over == Money::ZERO {
        "The money has already run out: all of the budget has been spent.".to_owned()
    } else {
        format!("The money has already run out: {over} more has been spent than the budget.")
    }
}

fn forecast(plan: &PlanHistory, summary: &PlanSummary) -> Result<Option<Forecast>> {
    if summary.days_gone == 0 || summary.spent == Money::ZERO {
        return Ok(None);
    }
    // Spent all of it, or more: it has run out already, whatever the rate
    // says (which would be a day gone by).
    let already_run_out = if summary.left <= Money::ZERO {
        Some(
            Money::ZERO
                .checked_sub(summary.left)
                .ok_or(Error::Overflow)?,
        )
    } else {
        None
    };
    let (spent, gone, period) = (
        i128::from(summary.spent.pence()),
        i128::from(summary.days_gone),
        i128::from(summary.days_in_period),
    );
    let projected = i64::try_from(spent * period / gone).map_err(|_| Error::Overflow)?;
    let projected_spend = Money::from_pence(projected);
    let left_at_end = summary
        .budget
        .checked_sub(projected_spend)
        .ok_or(Error::Overflow)?;
    let runs_out_on = if left_at_end.is_negative() && already_run_out.is_none() {
        // The budget lasts budget ÷ (spent per day) days from the start.
        let lasts = i128::from(summary.budget.pence()) * gone / spent;
        u64::try_from(lasts)
            .ok()
            .and_then(|days| plan.start_date.checked_add_days(Days::new(days)))
            // Money not yet all spent lasts past today; never report a day
            // gone by.
            .filter(|day| *day > summary.as_of)
    } else {
        None
    };
    Ok(Some(Forecast {
        projected_spend,
        left_at_end,
        runs_out_on,
        already_run_out,
    }))
}

fn burn(
    plan: &PlanHistory,
    summary: &PlanSummary,
    totals: &LedgerTotals,
    today: NaiveDate,
) -> Result<Vec<BurnPoint>> {
    // The chart starts from nothing on the plan's first day.
    let mut dates = vec![plan.start_date];
    let mut month_end = last_day_of_month(plan.start_date);
    while month_end < plan.end_date {
        // A plan starting on a month's last day has that day once.
        if month_end > plan.start_date {
            dates.push(month_end);
        }
        month_end = last_day_of_month(month_end + Days::new(1));
    }
    dates.push(plan.end_date);
    let period = plan.days();
    dates
        .into_iter()
        .map(|date| {
            let day = u32::try_from((date - plan.start_date).num_days()).unwrap_or(0);
            let days_done = if date == plan.start_date {
                0
            } else {
                days_between(plan.start_date, date)
            };
            let even = share(summary.budget, days_done, period)?;
            let spent = if date.min(today) < plan.start_date
                || (date > today && last_day_of_month(today) < date)
            {
                None
            } else {
                let through = date.min(today);
                if date == plan.start_date {
                    return Ok(BurnPoint {
                        date,
                        day,
                        even,
                        spent: Some(Money::ZERO),
                    });
                }
                Some(
                    Money::checked_sum(
                        totals
                            .spent_by_day
                            .iter()
                            .filter(|(day, _)| *day <= through)
                            .map(|(_, spent)| *spent),
                    )
                    .ok_or(Error::Overflow)?,
                )
            };
            Ok(BurnPoint {
                date,
                day,
                even,
                spent,
            })
        })
        .collect()
}

fn last_day_of_month(date: NaiveDate) -> NaiveDate {
    let first = date.with_day(1).unwrap_or(date);
    first
        .checked_add_months(Months::new(1))
        .and_then(|next| next.pred_opt())
        .unwrap_or(date)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{HolderId, PlanId};
    use crate::money::Money;
    use crate::plan::*;
    use crate::summary::summarise;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    /// A year's plan from 1 Apr 2026, funded by one payment of `budget`.
    fn plan(budget: Money) -> PlanHistory {
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
                    streams: vec![FundingStream {
                        funder: Funder::Nhs,
                        funder_name: "ICB".into(),
                        management: Management::DirectPayment,
                        amount: budget,
                        frequency: Frequency::OneOff,
                        amount_is: AmountIs::EachPayment,
                    }],
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

    /// The dashboard on `today` when `spent` was spent on the first day.
    fn dashboard_on(plan: &PlanHistory, spent: Money, today: NaiveDate) -> Dashboard {
        let totals = LedgerTotals {
            spent,
            payment_count: 1,
            spent_by_day: vec![(plan.start_date, spent)],
            ..LedgerTotals::default()
        };
        let summary = summarise(plan, spent, 1, today).unwrap();
        dashboard(plan, &summary, &totals, DEFAULT_SURPLUS_WEEKS, today).unwrap()
    }

    fn runs_out_warning(dashboard: &Dashboard) -> Option<&str> {
        dashboard
            .warnings
            .iter()
            .find(|warning| warning.kind == WarningKind::RunsOut)
            .map(|warning| warning.message.as_str())
    }

    #[test]
    fn a_revision_whose_lines_come_to_more_than_its_funding_is_warned_of() {
        let line = |pence| BudgetLine {
            key: Some(LineKey(1)),
            category: Category::Other,
            description: "Support".into(),
            provider: String::new(),
            costing: Costing::Amount {
                amount: Money::from_pence(pence),
            },
            flexibility: Flexibility::Flexible,
            pattern: SpendingPattern::Even,
            outcomes: vec![],
        };
        let mut plan = plan(Money::from_pence(3_850_000));
        plan.versions[0].content.lines = vec![line(3_850_000)];
        plan.versions[0].effective_to = date(2026, 6, 30);
        let mut revised = plan.versions[0].clone();
        revised.number = 2;
        revised.effective_from = date(2026, 7, 1);
        revised.effective_to = date(2027, 3, 31);
        revised.content.lines = vec![line(4_000_000)];
        plan.versions.push(revised);
        let over = |plan: &PlanHistory, today| {
            dashboard_on(plan, Money::ZERO, today)
                .warnings
                .into_iter()
                .filter(|warning| warning.kind == WarningKind::LinesOverFunding)
                .map(|warning| warning.message)
                .collect::<Vec<_>>()
        };
        let expected = "Version 2 of the plan (from 1 Jul 2026) gives its budget lines £1,500.00 more than its funding: £40,000.00 against £38,500.00 for the plan period. Check the figures against the agreed plan, and correct them with a revision.";
        assert_eq!(over(&plan, date(2026, 8, 1)), [expected]);
        assert_eq!(
            over(&plan, date(2026, 5, 1)),
            [expected],
            "saved ahead of its date"
        );
        plan.versions[1].content.lines = vec![line(3_850_000)];
        assert!(
            over(&plan, date(2026, 8, 1)).is_empty(),
            "lines that balance are fine"
        );
    }

    #[test]
    fn money_spent_past_the_budget_has_already_run_out_not_on_a_day_gone_by() {
        // £116,000 logged against a £38,500 plan.
        let plan = plan(Money::from_pence(3_850_000));
        let today = date(2026, 11, 25);
        let dashboard = dashboard_on(&plan, Money::from_pence(11_600_000), today);
        let forecast = dashboard.forecast.as_ref().unwrap();
        assert_eq!(forecast.runs_out_on, None, "never a day already past");
        assert_eq!(forecast.already_run_out, Some(Money::from_pence(7_750_000)));
        assert_eq!(
            runs_out_warning(&dashboard),
            Some(
                "The money has already run out: £77,500.00 more has been spent than the budget. \
                 Check the payments for a mistake, and talk to your care coordinator."
            )
        );
    }

    #[test]
    fn a_line_used_exactly_to_the_penny_is_all_used_not_nearly_used() {
        let line = BudgetLine {
            key: Some(LineKey(1)),
            category: Category::Equipment,
            description: "Equipment".into(),
            provider: String::new(),
            costing: Costing::Amount {
                amount: Money::from_pence(100_000),
            },
            flexibility: Flexibility::Flexible,
            pattern: SpendingPattern::OneOff,
            outcomes: vec![],
        };
        let mut plan = plan(Money::from_pence(100_000));
        plan.versions[0].content.lines = vec![line];
        let on_line = |pence| {
            let totals = LedgerTotals {
                spent: Money::from_pence(pence),
                payment_count: 1,
                spent_by_day: vec![(plan.start_date, Money::from_pence(pence))],
                spent_by_line: vec![(LineKey(1), Money::from_pence(pence))],
                ..LedgerTotals::default()
            };
            let today = date(2026, 6, 1);
            let summary = summarise(&plan, Money::from_pence(pence), 1, today).unwrap();
            dashboard(&plan, &summary, &totals, DEFAULT_SURPLUS_WEEKS, today).unwrap()
        };
        let state = |pence| {
            let board = on_line(pence);
            (board.lines[0].state, board.lines[0].spent_percent)
        };
        assert_eq!(state(99_999), (LineState::Nearly, Some(99)));
        assert_eq!(state(100_000), (LineState::AllUsed, Some(100)));
        assert_eq!(state(100_001), (LineState::Over, Some(100)));
        assert_eq!(LineState::AllUsed.label(), "All used");
        let all_used = on_line(100_000);
        assert!(
            all_used
                .warnings
                .iter()
                .any(|w| w.message == "Equipment has used all of its allocation; nothing is left."),
            "{:?}",
            all_used.warnings
        );
    }

    #[test]
    fn all_of_the_budget_spent_has_run_out_too() {
        let plan = plan(Money::from_pence(3_850_000));
        let dashboard = dashboard_on(&plan, Money::from_pence(3_850_000), date(2026, 6, 1));
        let forecast = dashboard.forecast.as_ref().unwrap();
        assert_eq!(
            (forecast.runs_out_on, forecast.already_run_out),
            (None, Some(Money::ZERO))
        );
        assert_eq!(
            runs_out_warning(&dashboard),
            Some(
                "The money has already run out: all of the budget has been spent. Check the \
                 payments for a mistake, and talk to your care coordinator."
            )
        );
    }

    #[test]
    fn the_day_the_money_runs_out_is_always_still_to_come() {
        let budget = Money::from_pence(3_650_000);
        let plan = plan(budget);
        let mut today = plan.start_date;
        while today <= plan.end_date + Days::new(10) {
            // From a penny to twice the budget.
            for tenths in 0..=20 {
                let spent = Money::from_pence((budget.pence() * tenths / 10).max(1));
                let forecast = dashboard_on(&plan, spent, today).forecast.unwrap();
                if spent >= budget {
                    assert_eq!(forecast.runs_out_on, None, "{today} {spent}");
                    assert!(forecast.already_run_out.is_some(), "{today} {spent}");
                } else {
                    assert_eq!(forecast.already_run_out, None, "{today} {spent}");
                }
                if let Some(day) = forecast.runs_out_on {
                    assert!(day > today, "{day} is not after {today} ({spent})");
                    assert!(day <= plan.end_date, "{day} {spent}");
                }
            }
            today = today + Days::new(3);
        }
    }

    #[test]
    fn spending_fast_says_the_day_it_runs_out() {
        let plan = plan(Money::from_pence(3_650_000));
        // £200 a day for the first 10 days: the budget lasts 182 days.
        let dashboard = dashboard_on(&plan, Money::from_pence(200_000), date(2026, 4, 10));
        let forecast = dashboard.forecast.as_ref().unwrap();
        assert_eq!(forecast.runs_out_on, Some(date(2026, 9, 30)));
        assert_eq!(forecast.already_run_out, None);
        assert_eq!(
            runs_out_warning(&dashboard),
            Some(
                "At the rate spent so far, the budget runs out on 30 Sep 2026, before the plan \
                 ends on 31 Mar 2027."
            )
        );
    }
}
