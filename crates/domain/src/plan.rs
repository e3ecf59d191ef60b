//! The agreed plan in full: funding streams, outcomes, budget lines and
//! reviews, kept as numbered versions; and the arithmetic that turns them
//! into money for a stretch of the plan period.
//!
//! A plan has one period (first to last day). Its content lives in
//! versions: version 1 from the first day, and a new version from the date
//! of each review that changed it. Each version is in force from its date
//! until the next one starts, and figures for any day use the version in
//! force that day.

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::ids::{HolderId, LineKey, PersonId, PlanId};
use crate::money::Money;

/// Identifies one version of a plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[ts(type = "number")]
pub struct VersionId(pub i64);

/// Who pays into a funding stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Funder {
    /// NHS money, through the integrated care board (ICB).
    Nhs,
    /// Council social care (a personal budget).
    Council,
    /// Education (an EHC plan).
    Education,
    /// Anyone else, such as the Independent Living Fund.
    Other,
}

/// How a stream's money is held.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Management {
    /// Paid to the person (or their representative or nominee).
    DirectPayment,
    /// Held by an organisation for the person.
    ThirdParty,
    /// Held by the NHS, which buys the agreed services.
    Notional,
}

/// How often a stream pays.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Frequency {
    /// Every 7 days from the plan's first day.
    Weekly,
    /// Every 28 days from the plan's first day.
    FourWeekly,
    /// On the same day each month.
    Monthly,
    /// Every three months.
    Quarterly,
    /// Once a year, on the plan's first day and each anniversary.
    Yearly,
    /// Once, on the plan's first day.
    OneOff,
}

impl Frequency {
    /// The `n`th day from `first` at this frequency (the 0th is `first`):
    /// the one way dates are stepped, for funding and regular payments
    /// alike. A monthly step from the 31st lands on the month's last day.
    /// A one-off has only its 0th; past the calendar's end there is none.
    pub fn nth_from(self, first: NaiveDate, n: u32) -> Option<NaiveDate> {
        match self {
            Frequency::Weekly => first.checked_add_days(chrono::Days::new(7 * u64::from(n))),
            Frequency::FourWeekly => first.checked_add_days(chrono::Days::new(28 * u64::from(n))),
            Frequency::Monthly => first.checked_add_months(Months::new(n)),
            Frequency::Quarterly => first.checked_add_months(Months::new(3 * n)),
            Frequency::Yearly => first.checked_add_months(Months::new(12 * n)),
            Frequency::OneOff => (n == 0).then_some(first),
        }
    }

    /// The frequency as a word before "payments": "monthly".
    pub fn adjective(self) -> &'static str {
        match self {
            Frequency::Weekly => "weekly",
            Frequency::FourWeekly => "four-weekly",
            Frequency::Monthly => "monthly",
            Frequency::Quarterly => "quarterly",
            Frequency::Yearly => "yearly",
            Frequency::OneOff => "one-off",
        }
    }
}

/// What a budget line pays for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// Wages of personal assistants.
    PersonalAssistants,
    /// Care from an agency.
    AgencyCare,
    /// Therapies, such as hydrotherapy or physiotherapy.
    Therapies,
    /// Equipment.
    Equipment,
    /// Respite and short breaks.
    Respite,
    /// Transport.
    Transport,
    /// Activities and wellbeing.
    ActivitiesAndWellbeing,
    /// Training.
    Training,
    /// Payroll and employer costs: tax, NI, pension, payroll fees.
    PayrollAndEmployerCosts,
    /// Insurance, such as employer's liability.
    Insurance,
    /// The reserve for the unexpected.
    Contingency,
    /// Anything else in the plan.
    Other,
}

/// Whether money may move between this line and others.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Flexibility {
    /// Money can move to and from other flexible lines.
    Flexible,
    /// Money is locked to this purpose.
    Stated,
}

/// What a unit-costed line counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// Hours of support.
    Hour,
    /// Sessions, such as therapy.
    Session,
    /// Visits.
    Visit,
    /// Days.
    Day,
    /// Nights.
    Night,
    /// Items.
    Item,
    /// Months, such as a membership.
    Month,
    /// Weeks, such as a care home's respite weeks.
    Week,
    /// Trips, such as taxi journeys to therapy.
    Trip,
}

/// Whether a unit count is per week, per month or for the whole plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Per {
    /// So many units each week.
    Week,
    /// So many units each month.
    Month,
    /// So many units over the whole plan period.
    Plan,
}

/// How a budget line's money is expected to go over the plan period, so
/// that a statement part-way through can say whether a figure is on track.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SpendingPattern {
    /// About the same each week, such as wages: due by the day.
    Even,
    /// All at once, such as equipment: due in full from the line's start.
    OneOff,
    /// Whenever it is needed, such as respite or a contingency: spent
    /// unevenly, so a part-way difference is expected.
    AsNeeded,
}

/// What a funding stream's amount stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum AmountIs {
    /// The amount of each payment.
    EachPayment,
    /// The sum for the whole plan period, paid in instalments at the
    /// stream's frequency, any rounding going in the last one.
    WholePeriod,
}

/// Whether a version is agreed with the funder yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum PlanStatus {
    /// Still being worked out.
    Draft,
    /// Agreed with the NHS (and any other funder).
    Agreed,
}

/// Which review a date is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ReviewKind {
    /// The first review, three months in.
    ThreeMonth,
    /// The yearly review.
    Annual,
    /// Any other review.
    Other,
}

/// A count of units in hundredths, so that "7.5 hours" is exact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[ts(type = "number")]
pub struct Hundredths(pub i64);

/// The largest unit count a line may have: no plan has more.
pub const MAX_QUANTITY: Hundredths = Hundredths(10_000 * 100);

/// How a line's money is worked out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(
    tag = "kind",
    rename_all = "snake_case",
    rename_all_fields = "camelCase"
)]
pub enum Costing {
    /// A sum for the whole plan period.
    Amount {
        /// The sum.
        amount: Money,
    },
    /// Units at a rate: "20 hours a week at £14.50".
    Units {
        /// How many units (in hundredths).
        quantity: Hundredths,
        /// What is counted.
        unit: Unit,
        /// Per week or for the whole plan.
        per: Per,
        /// The price of one unit.
        rate: Money,
    },
}

/// One source of money for the plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FundingStream {
    /// Who pays.
    pub funder: Funder,
    /// The funder's name, such as "NHS Humber and North Yorkshire ICB".
    pub funder_name: String,
    /// How the money is held.
    pub management: Management,
    /// How much: each payment, or the whole period, as `amount_is` says.
    pub amount: Money,
    /// What `amount` stands for.
    pub amount_is: AmountIs,
    /// How often it is paid.
    pub frequency: Frequency,
}

/// One agreed piece of support and its cost.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BudgetLine {
    /// The line's identity across versions; `None` until it is first saved.
    pub key: Option<LineKey>,
    /// What kind of support.
    pub category: Category,
    /// What it is, in the plan's words.
    pub description: String,
    /// Who provides it, where known.
    pub provider: String,
    /// How its money is worked out.
    pub costing: Costing,
    /// Whether money can move to or from it.
    pub flexibility: Flexibility,
    /// How its money is expected to go over the period.
    pub pattern: SpendingPattern,
    /// The outcomes it serves, as positions in the version's outcome list.
    pub outcomes: Vec<u32>,
}

/// A review date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Review {
    /// Which review.
    pub kind: ReviewKind,
    /// When it is due.
    pub due_on: NaiveDate,
}

/// Everything one version of a plan says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PlanContent {
    /// Where the money comes from.
    pub streams: Vec<FundingStream>,
    /// What matters to the person, in their words.
    pub outcomes: Vec<String>,
    /// The agreed support and its cost.
    pub lines: Vec<BudgetLine>,
    /// When the plan is reviewed.
    pub reviews: Vec<Review>,
    /// Agreed yet, or still a draft.
    pub status: PlanStatus,
    /// The day it was agreed (for an agreed version, where known).
    pub agreed_on: Option<NaiveDate>,
    /// Who agreed it, in words ("Jo Patel, ICB case manager"); may be empty.
    pub agreed_by: String,
}

/// A stored version of a plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PlanVersion {
    /// The version's id.
    pub id: VersionId,
    /// 1 for the plan as first set up, then 2, 3, … for each revision.
    pub number: u32,
    /// The day it comes into force.
    pub effective_from: NaiveDate,
    /// The last day it is in force: the day before the next version starts,
    /// or the plan's last day.
    pub effective_to: NaiveDate,
    /// Why it was made ("3-month review: PA hours up to 24 a week").
    pub reason: String,
    /// Who made it, when known.
    pub created_by: Option<String>,
    /// When it was saved (UTC, RFC 3339).
    pub created_at: String,
    /// What it says.
    pub content: PlanContent,
}

/// A whole plan with every version, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PlanHistory {
    /// The plan's id.
    pub plan_id: PlanId,
    /// Whose plan.
    pub holder_id: HolderId,
    /// What it is called.
    pub name: String,
    /// The first day.
    pub start_date: NaiveDate,
    /// The last day.
    pub end_date: NaiveDate,
    /// Every version, oldest first; never empty.
    pub versions: Vec<PlanVersion>,
}

impl PlanHistory {
    /// The version in force on `date`: the latest one that started on or
    /// before it (the first version for a date before the plan starts).
    pub fn version_on(&self, date: NaiveDate) -> &PlanVersion {
        self.versions
            .iter()
            .rev()
            .find(|version| version.effective_from <= date)
            .unwrap_or(&self.versions[0])
    }

    /// The latest version.
    pub fn current(&self) -> &PlanVersion {
        self.versions.last().expect("a plan always has a version")
    }

    /// Days in the plan period, first and last included.
    pub fn days(&self) -> i64 {
        days_between(self.start_date, self.end_date)
    }

    /// The funding for the plan period: each version's funding for a full
    /// period, counted for the share of the period it is in force.
    pub fn funding_total(&self) -> Result<Money> {
        self.sum_over_versions(|content| content_funding(content, self.start_date, self.end_date))
    }

    /// What the budget lines allocate over the plan period: each version's
    /// lines for a full period, counted for the share it is in force.
    pub fn allocated_total(&self) -> Result<Money> {
        self.sum_over_versions(|content| {
            content_allocation(content, self.start_date, self.end_date)
        })
    }

    /// What one budget line allocates over the plan period: each version
    /// that has it, for the share of the period it is in force.
    pub fn line_allocation(&self, key: LineKey) -> Result<Money> {
        self.line_allocation_between(key, self.start_date, self.end_date)
    }

    /// What one budget line allocates for the days `from` to `to`: each
    /// version that has it, for the days of those it is in force. The one
    /// way a line's allocation is worked out, for the dashboard (the whole
    /// plan) and a statement (its period) alike.
    pub fn line_allocation_between(
        &self,
        key: LineKey,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Money> {
        self.sum_over_line(key, |version, _| {
            Some(days_between(
                version.effective_from.max(from),
                version.effective_to.min(to),
            ))
        })
    }

    /// What one budget line has due by the end of `day`, from the plan's
    /// first day, as its spending pattern expects: an even or as-needed
    /// line by the day (as [`Self::line_allocation_between`]), a one-off
    /// line in full from the first day of each version that has it. By the
    /// plan's last day every pattern has its whole allocation due.
    pub fn line_due_by(&self, key: LineKey, day: NaiveDate) -> Result<Money> {
        self.sum_over_line(key, |version, line| {
            let last_counted = match line.pattern {
                SpendingPattern::OneOff => version.effective_to,
                SpendingPattern::Even | SpendingPattern::AsNeeded => version.effective_to.min(day),
            };
            (version.effective_from <= day)
                .then(|| days_between(version.effective_from, last_counted))
        })
    }

    /// A line's cost over each version that has it, for the days `days`
    /// counts of that version (none for `None`), shared by days of the plan.
    fn sum_over_line(
        &self,
        key: LineKey,
        days: impl Fn(&PlanVersion, &BudgetLine) -> Option<i64>,
    ) -> Result<Money> {
        let period_days = self.days();
        sum_results(self.versions.iter().map(|version| {
            let line = version
                .content
                .lines
                .iter()
                .find(|line| line.key == Some(key));
            match line.and_then(|line| Some((line, days(version, line)?))) {
                Some((line, days)) => share(
                    line_cost(&line.costing, self.start_date, self.end_date)?,
                    days,
                    period_days,
                ),
                None => Ok(Money::ZERO),
            }
        }))
    }

    /// A budget line's description, as the latest version that has it says.
    pub fn line_description(&self, key: LineKey) -> Option<&str> {
        self.versions.iter().rev().find_map(|version| {
            version
                .content
                .lines
                .iter()
                .find(|line| line.key == Some(key))
                .map(|line| line.description.as_str())
        })
    }

    fn sum_over_versions(
        &self,
        full_period: impl Fn(&PlanContent) -> Result<Money>,
    ) -> Result<Money> {
        let period_days = self.days();
        sum_results(self.versions.iter().map(|version| {
            let days = days_between(version.effective_from, version.effective_to);
            share(full_period(&version.content)?, days, period_days)
        }))
    }
}

/// Days from `from` to `to`, both included (0 if `to` is before `from`).
pub fn days_between(from: NaiveDate, to: NaiveDate) -> i64 {
    ((to - from).num_days() + 1).max(0)
}

fn sum_results(mut parts: impl Iterator<Item = Result<Money>>) -> Result<Money> {
    parts.try_fold(Money::ZERO, |total, part| {
        total.checked_add(part?).ok_or(Error::Overflow)
    })
}

/// `numerator / denominator` rounded to the nearest penny, halves up.
fn divide_rounding(numerator: i128, denominator: i128) -> Result<Money> {
    if denominator <= 0 {
        return Ok(Money::ZERO);
    }
    let pence = (2 * numerator + denominator).div_euclid(2 * denominator);
    i64::try_from(pence)
        .map(Money::from_pence)
        .map_err(|_| Error::Overflow)
}

/// The part of a full-period figure that falls in `days` of a
/// `period_days` period, to the nearest penny.
///
/// Every version's figures are stated for a full plan period (as plans are
/// written: "£38,500 a year"); a version in force for part of the period
/// counts for that share of the days. A split can differ from the whole by
/// a penny a part.
pub fn share(full_period: Money, days: i64, period_days: i64) -> Result<Money> {
    divide_rounding(
        i128::from(full_period.pence()) * i128::from(days),
        i128::from(period_days),
    )
}

/// Whole weeks in the plan period. Weekly costs, like weekly and 4-weekly
/// payments, count whole weeks: a 365-day year has 52, as plans reckon it.
pub fn whole_weeks(plan_start: NaiveDate, plan_end: NaiveDate) -> i64 {
    days_between(plan_start, plan_end) / 7
}

/// Whole months in the plan period, counted from its first day: a year
/// from 1 April has 12, and so does one from 31 January (a month from the
/// 31st ends on the month's last day).
pub fn whole_months(plan_start: NaiveDate, plan_end: NaiveDate) -> i64 {
    let count = payment_dates(Frequency::Monthly, plan_start, plan_end).len();
    i64::try_from(count).unwrap_or(i64::MAX)
}

/// How many times a unit count is taken over the plan period.
pub fn times_in_plan(per: Per, plan_start: NaiveDate, plan_end: NaiveDate) -> i64 {
    match per {
        Per::Week => whole_weeks(plan_start, plan_end),
        Per::Month => whole_months(plan_start, plan_end),
        Per::Plan => 1,
    }
}

/// What one line costs over a full plan period.
pub fn line_cost(costing: &Costing, plan_start: NaiveDate, plan_end: NaiveDate) -> Result<Money> {
    match *costing {
        Costing::Amount { amount } => Ok(amount),
        Costing::Units {
            quantity,
            per,
            rate,
            ..
        } => {
            let units_cost = i128::from(quantity.0) * i128::from(rate.pence());
            let times = i128::from(times_in_plan(per, plan_start, plan_end));
            divide_rounding(units_cost * times, 100)
        }
    }
}

/// The payments a stream makes over a full plan period, each with its day
/// and amount, oldest first.
///
/// A stream given per payment pays that amount each time. A stream given
/// as a sum for the whole period pays it in equal instalments of whole
/// pence, rounded down, with the pennies left over in the last: £5,000 a
/// year monthly is 11 × £416.66 and £416.74, exactly £5,000.00. A sum too
/// small to give every instalment a penny is an error.
pub fn stream_instalments(
    stream: &FundingStream,
    plan_start: NaiveDate,
    plan_end: NaiveDate,
) -> Result<Vec<(NaiveDate, Money)>> {
    let dates = payment_dates(stream.frequency, plan_start, plan_end);
    let count = i64::try_from(dates.len()).map_err(|_| Error::Overflow)?;
    match stream.amount_is {
        AmountIs::EachPayment => Ok(dates
            .into_iter()
            .map(|date| (date, stream.amount))
            .collect()),
        AmountIs::WholePeriod => {
            if count == 0 {
                return Ok(Vec::new());
            }
            let each = stream.amount.pence() / count;
            if each == 0 {
                return Err(Error::invalid(
                    "amount",
                    format!(
                        "{} cannot be split into {count} payments. Give a larger amount or pay less often.",
                        stream.amount
                    ),
                ));
            }
            let last = stream.amount.pence() - each * (count - 1);
            let last_index = dates.len() - 1;
            Ok(dates
                .into_iter()
                .enumerate()
                .map(|(index, date)| {
                    let pence = if index == last_index { last } else { each };
                    (date, Money::from_pence(pence))
                })
                .collect())
        }
    }
}

/// How a line's yearly (full-period) amount is worked out, in words:
/// "20 hours a week at £14.50 for 52 weeks", "£600.00 for the plan".
pub fn line_working(costing: &Costing, plan_start: NaiveDate, plan_end: NaiveDate) -> String {
    match *costing {
        Costing::Amount { amount } => format!("{amount} for the plan"),
        Costing::Units {
            quantity,
            unit,
            per,
            rate,
        } => {
            let count = crate::plan_forms::format_quantity(quantity);
            let noun = unit.noun(quantity != Hundredths(100));
            let times = times_in_plan(per, plan_start, plan_end);
            match per {
                Per::Week => format!("{count} {noun} a week at {rate} for {times} weeks"),
                Per::Month => format!("{count} {noun} a month at {rate} for {times} months"),
                Per::Plan => format!("{count} {noun} at {rate}"),
            }
        }
    }
}

/// How a stream's money comes, in words: "£1,160.00 every 4 weeks, 13
/// payments", or for a sum given for the period "£5,000.00 for the plan in
/// 12 monthly payments: 11 of £416.66 and a last of £416.74".
pub fn stream_working(
    stream: &FundingStream,
    plan_start: NaiveDate,
    plan_end: NaiveDate,
) -> Result<String> {
    let instalments = stream_instalments(stream, plan_start, plan_end)?;
    let count = instalments.len();
    let often = stream.frequency.adjective();
    let payments = if count == 1 { "payment" } else { "payments" };
    Ok(match (stream.amount_is, instalments.as_slice()) {
        (AmountIs::EachPayment, _) => format!(
            "{} {}, {count} {payments}",
            stream.amount,
            stream.frequency.label().to_lowercase()
        ),
        (AmountIs::WholePeriod, [.., (_, last)]) if count > 1 && *last != instalments[0].1 => {
            format!(
                "{} for the plan in {count} {often} payments: {} of {} and a last of {last}",
                stream.amount,
                count - 1,
                instalments[0].1
            )
        }
        (AmountIs::WholePeriod, [(_, each), ..]) if count > 1 => {
            format!(
                "{} for the plan in {count} {often} payments of {each}",
                stream.amount
            )
        }
        (AmountIs::WholePeriod, _) if stream.frequency == Frequency::OneOff => {
            format!("{} for the plan, paid once", stream.amount)
        }
        (AmountIs::WholePeriod, _) => {
            format!("{} for the plan in one {often} payment", stream.amount)
        }
    })
}

/// What a stream pays over a full plan period: each payment due for a
/// whole period inside the plan.
pub fn stream_total(
    stream: &FundingStream,
    plan_start: NaiveDate,
    plan_end: NaiveDate,
) -> Result<Money> {
    sum_results(
        stream_instalments(stream, plan_start, plan_end)?
            .into_iter()
            .map(|(_, amount)| Ok(amount)),
    )
}

/// A version's funding over a full plan period.
pub fn content_funding(
    content: &PlanContent,
    plan_start: NaiveDate,
    plan_end: NaiveDate,
) -> Result<Money> {
    sum_results(
        content
            .streams
            .iter()
            .map(|stream| stream_total(stream, plan_start, plan_end)),
    )
}

/// A version's budget lines over a full plan period.
pub fn content_allocation(
    content: &PlanContent,
    plan_start: NaiveDate,
    plan_end: NaiveDate,
) -> Result<Money> {
    sum_results(
        content
            .lines
            .iter()
            .map(|line| line_cost(&line.costing, plan_start, plan_end)),
    )
}

/// The days a stream pays on. Payments fall every period from the plan's
/// first day, and each pays for the period it starts; only payments whose
/// whole period lies inside the plan count (so a 4-weekly stream pays 13
/// times in a 365-day year, not 14 with the last one for next year).
pub fn payment_dates(
    frequency: Frequency,
    plan_start: NaiveDate,
    plan_end: NaiveDate,
) -> Vec<NaiveDate> {
    let nth = |n: u32| frequency.nth_from(plan_start, n);
    // A one-off pays once, on the first day, for the whole plan.
    if frequency == Frequency::OneOff {
        return vec![plan_start];
    }
    (0..)
        .map_while(|n| {
            let due = nth(n)?;
            let period_end = nth(n + 1)?.pred_opt()?;
            (period_end <= plan_end).then_some(due)
        })
        .collect()
}

/// The usual review dates for a plan starting on `start` and ending on
/// `end`: three months in, and a year in (or the last day, if sooner).
pub fn default_reviews(start: NaiveDate, end: NaiveDate) -> Vec<Review> {
    let three_month = start
        .checked_add_months(Months::new(3))
        .unwrap_or(end)
        .min(end);
    let annual = start
        .checked_add_months(Months::new(12))
        .unwrap_or(end)
        .min(end);
    vec![
        Review {
            kind: ReviewKind::ThreeMonth,
            due_on: three_month,
        },
        Review {
            kind: ReviewKind::Annual,
            due_on: annual,
        },
    ]
}

/// Who is using the app, and how they act for a holder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ActingRole {
    /// The budget holder themselves.
    #[serde(rename = "self")]
    Holder,
    /// Acts for a child or a person who lacks capacity (regs 4–5).
    Representative,
    /// Chosen by the holder to receive and manage the money (reg 6).
    Nominee,
    /// A family member or friend who helps.
    Carer,
}

/// A person acting for a holder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ActingPerson {
    /// Who.
    pub person_id: PersonId,
    /// Their name.
    pub name: String,
    /// How they act.
    pub role: ActingRole,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn units(quantity: i64, per: Per, rate: i64) -> Costing {
        Costing::Units {
            quantity: Hundredths(quantity * 100),
            unit: Unit::Hour,
            per,
            rate: Money::from_pence(rate),
        }
    }

    #[test]
    fn weekly_units_count_whole_weeks() {
        let (start, end) = (date(2026, 4, 1), date(2027, 3, 31));
        // 20 hours a week at £14.50 for the 52 weeks of a year.
        assert_eq!(
            line_cost(&units(20, Per::Week, 1450), start, end).unwrap(),
            Money::from_pence(1_508_000)
        );
        // A leap year has 366 days but still 52 whole weeks.
        assert_eq!(whole_weeks(date(2027, 4, 1), date(2028, 3, 31)), 52);
        assert_eq!(
            line_cost(&units(12, Per::Plan, 4500), start, end).unwrap(),
            Money::from_pence(54_000)
        );
        assert_eq!(
            line_cost(&units(1, Per::Plan, 333), start, end).unwrap(),
            Money::from_pence(333)
        );
    }

    #[test]
    fn four_weekly_funding_meets_a_weekly_cost_exactly() {
        // £1,160 every 4 weeks is 80 hours at £14.50: it pays for 20 hours a
        // week, to the penny, over a year.
        let (start, end) = (date(2026, 4, 1), date(2027, 3, 31));
        let stream = FundingStream {
            funder: Funder::Nhs,
            funder_name: "ICB".into(),
            management: Management::DirectPayment,
            amount: Money::from_pence(116_000),
            frequency: Frequency::FourWeekly,
            amount_is: AmountIs::EachPayment,
        };
        assert_eq!(
            stream_total(&stream, start, end).unwrap(),
            line_cost(&units(20, Per::Week, 1450), start, end).unwrap()
        );
    }

    #[test]
    fn a_share_is_counted_by_days() {
        assert_eq!(
            share(Money::from_pence(36_500), 73, 365).unwrap(),
            Money::from_pence(7_300)
        );
        let first = share(Money::from_pence(36_500), 100, 365).unwrap().pence();
        let rest = share(Money::from_pence(36_500), 265, 365).unwrap().pence();
        assert!(
            (first + rest - 36_500).abs() <= 1,
            "a split loses or gains at most a penny a part"
        );
    }

    #[test]
    fn payment_schedules_run_from_the_first_day() {
        let (start, end) = (date(2026, 4, 1), date(2027, 3, 31));
        assert_eq!(payment_dates(Frequency::FourWeekly, start, end).len(), 13);
        assert_eq!(payment_dates(Frequency::Weekly, start, end).len(), 52);
        assert_eq!(
            payment_dates(Frequency::FourWeekly, start, end)[12],
            date(2027, 3, 3)
        );
        assert_eq!(payment_dates(Frequency::Monthly, start, end).len(), 12);
        assert_eq!(payment_dates(Frequency::Quarterly, start, end).len(), 4);
        assert_eq!(payment_dates(Frequency::Yearly, start, end), vec![start]);
        assert_eq!(payment_dates(Frequency::OneOff, start, end), vec![start]);
        assert_eq!(
            payment_dates(Frequency::Monthly, date(2026, 1, 31), date(2026, 4, 30))[1],
            date(2026, 2, 28)
        );
        // A plan shorter than a year gets no yearly payment: the year it
        // would pay for is not inside the plan.
        assert!(payment_dates(Frequency::Yearly, start, date(2026, 9, 30)).is_empty());
    }

    fn stream(amount: i64, amount_is: AmountIs, frequency: Frequency) -> FundingStream {
        FundingStream {
            funder: Funder::Nhs,
            funder_name: "ICB".into(),
            management: Management::DirectPayment,
            amount: Money::from_pence(amount),
            amount_is,
            frequency,
        }
    }

    #[test]
    fn a_sum_for_the_year_is_paid_in_exact_instalments() {
        let (start, end) = (date(2026, 4, 1), date(2027, 3, 31));
        // £5,000 a year monthly: 11 × £416.66 and £416.74, not 12 × £416.67.
        let monthly = stream(500_000, AmountIs::WholePeriod, Frequency::Monthly);
        let instalments = stream_instalments(&monthly, start, end).unwrap();
        assert_eq!(instalments.len(), 12);
        assert!(instalments[..11]
            .iter()
            .all(|(_, amount)| *amount == Money::from_pence(41_666)));
        assert_eq!(
            instalments[11],
            (date(2027, 3, 1), Money::from_pence(41_674))
        );
        assert_eq!(
            stream_total(&monthly, start, end).unwrap(),
            Money::from_pence(500_000)
        );
        // £38,500 in 13 four-weekly payments, and every other frequency,
        // for awkward sums: the total is always the sum given.
        for frequency in [
            Frequency::Weekly,
            Frequency::FourWeekly,
            Frequency::Monthly,
            Frequency::Quarterly,
            Frequency::Yearly,
            Frequency::OneOff,
        ] {
            for pence in [3_850_000, 100_001, 99_999_999, 52] {
                let sum = stream(pence, AmountIs::WholePeriod, frequency);
                let parts = stream_instalments(&sum, start, end).unwrap();
                let total: i64 = parts.iter().map(|(_, amount)| amount.pence()).sum();
                assert_eq!(total, pence, "{frequency:?} {pence}");
                let first = parts[0].1.pence();
                assert!(parts[..parts.len() - 1]
                    .iter()
                    .all(|(_, a)| a.pence() == first));
                assert!(parts.last().unwrap().1.pence() >= first);
            }
        }
        assert_eq!(
            stream_working(&monthly, start, end).unwrap(),
            "£5,000.00 for the plan in 12 monthly payments: 11 of £416.66 and a last of £416.74"
        );
        let yearly = stream(3_850_000, AmountIs::WholePeriod, Frequency::Yearly);
        assert_eq!(
            stream_working(&yearly, start, end).unwrap(),
            "£38,500.00 for the plan in one yearly payment"
        );
        let once = stream(3_850_000, AmountIs::WholePeriod, Frequency::OneOff);
        assert_eq!(
            stream_working(&once, start, end).unwrap(),
            "£38,500.00 for the plan, paid once"
        );
        // Each payment, as before: £416.67 × 12 is £5,000.04.
        let each = stream(41_667, AmountIs::EachPayment, Frequency::Monthly);
        assert_eq!(
            stream_total(&each, start, end).unwrap(),
            Money::from_pence(500_004)
        );
        assert_eq!(
            stream_working(&each, start, end).unwrap(),
            "£416.67 every month, 12 payments"
        );
    }

    #[test]
    fn a_sum_too_small_to_split_is_refused() {
        let (start, end) = (date(2026, 4, 1), date(2027, 3, 31));
        let tiny = stream(51, AmountIs::WholePeriod, Frequency::Weekly);
        let error = stream_instalments(&tiny, start, end).unwrap_err();
        assert!(
            error
                .to_string()
                .contains("cannot be split into 52 payments"),
            "{error}"
        );
    }

    #[test]
    fn monthly_units_count_whole_months() {
        let (start, end) = (date(2026, 4, 1), date(2027, 3, 31));
        assert_eq!(whole_months(start, end), 12);
        assert_eq!(whole_months(date(2026, 1, 31), date(2027, 1, 30)), 12);
        assert_eq!(whole_months(start, date(2026, 9, 30)), 6);
        // 4 nights a month at £160 for 12 months.
        let nights = Costing::Units {
            quantity: Hundredths(400),
            unit: Unit::Night,
            per: Per::Month,
            rate: Money::from_pence(16_000),
        };
        assert_eq!(
            line_cost(&nights, start, end).unwrap(),
            Money::from_pence(768_000)
        );
        assert_eq!(
            line_working(&nights, start, end),
            "4 nights a month at £160.00 for 12 months"
        );
    }

    #[test]
    fn every_unit_has_its_words() {
        let (start, end) = (date(2026, 4, 1), date(2027, 3, 31));
        for (unit, one, many) in [
            (Unit::Hour, "hour", "hours"),
            (Unit::Session, "session", "sessions"),
            (Unit::Visit, "visit", "visits"),
            (Unit::Day, "day", "days"),
            (Unit::Night, "night", "nights"),
            (Unit::Week, "week", "weeks"),
            (Unit::Trip, "trip", "trips"),
            (Unit::Item, "item", "items"),
            (Unit::Month, "month", "months"),
        ] {
            assert_eq!((unit.noun(false), unit.noun(true)), (one, many));
            assert_eq!(unit.label(), many);
            let costing = |quantity| Costing::Units {
                quantity: Hundredths(quantity),
                unit,
                per: Per::Plan,
                rate: Money::from_pence(2_000),
            };
            assert_eq!(
                line_working(&costing(100), start, end),
                format!("1 {one} at £20.00")
            );
            assert_eq!(
                line_working(&costing(250), start, end),
                format!("2.5 {many} at £20.00")
            );
            assert_eq!(
                line_cost(&costing(250), start, end).unwrap(),
                Money::from_pence(5_000)
            );
        }
    }

    #[test]
    fn default_reviews_are_three_months_and_a_year_in() {
        let reviews = default_reviews(date(2026, 4, 1), date(2027, 3, 31));
        assert_eq!(reviews[0].due_on, date(2026, 7, 1));
        assert_eq!(
            reviews[1].due_on,
            date(2027, 3, 31),
            "a year in is past the end, so the last day"
        );
    }
}
