//! Checking a plan as typed into the set-up steps or a revision.
//!
//! The UI sends text exactly as typed, with choices (funder, category, …)
//! as the enums in [`crate::plan`]. Core checks it step by step, so the
//! set-up flow can stop at the first step with a problem, and names the
//! field at fault: `"streams.0.amount"`, `"lines.2.rate"`.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::exclusions::{check_exclusions, ExclusionWarning};
use crate::input::{
    format_date, optional_text, parse_date, parse_quantity, required_multiline_text, required_text,
};
use crate::money::Money;
use crate::plan::*;

/// Longest outcome, in characters.
pub const MAX_OUTCOME_CHARS: usize = 500;
/// Longest line description or provider, in characters.
pub const MAX_LINE_TEXT_CHARS: usize = 200;
/// Most streams, outcomes, lines or reviews a version may have.
pub const MAX_ITEMS: usize = 100;

/// The steps of setting up a plan, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum PlanStep {
    /// Name and period.
    Basics,
    /// Where the money comes from.
    Funding,
    /// What matters to the person.
    Outcomes,
    /// The agreed support and its cost.
    Lines,
    /// Review dates and whether it is agreed.
    Reviews,
}

/// A funding stream as typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct StreamDraft {
    /// Who pays.
    pub funder: Funder,
    /// The funder's name.
    pub funder_name: String,
    /// How it is held.
    pub management: Management,
    /// The amount, as typed: each payment, or the whole period.
    pub amount: String,
    /// What the amount stands for.
    pub amount_is: AmountIs,
    /// How often.
    pub frequency: Frequency,
}

/// How a line's cost is given in the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum CostingKind {
    /// One sum for the plan.
    Amount,
    /// Units at a rate.
    Units,
}

/// A budget line as typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LineDraft {
    /// The line's identity, for a line carried over from an earlier
    /// version; `None` for a new line.
    pub key: Option<crate::ledger::LineKey>,
    /// What kind of support.
    pub category: Category,
    /// What it is.
    pub description: String,
    /// Who provides it; may be empty.
    pub provider: String,
    /// A sum, or units at a rate.
    pub costing: CostingKind,
    /// The sum, as typed (for `Amount`).
    pub amount: String,
    /// How many units, as typed (for `Units`).
    pub quantity: String,
    /// What is counted (for `Units`).
    pub unit: Unit,
    /// Per week or for the plan (for `Units`).
    pub per: Per,
    /// The price of one unit, as typed (for `Units`).
    pub rate: String,
    /// Flexible or stated.
    pub flexibility: Flexibility,
    /// How its money is expected to go.
    pub pattern: SpendingPattern,
    /// Positions of the outcomes it serves.
    pub outcomes: Vec<u32>,
}

impl LineDraft {
    /// A flexible line costing `amount` for the plan, serving no outcome yet.
    pub fn sum(category: Category, description: &str, amount: &str) -> LineDraft {
        LineDraft {
            key: None,
            category,
            description: description.into(),
            provider: String::new(),
            costing: CostingKind::Amount,
            amount: amount.into(),
            quantity: String::new(),
            unit: Unit::Item,
            per: Per::Plan,
            rate: String::new(),
            flexibility: Flexibility::Flexible,
            pattern: SpendingPattern::Even,
            outcomes: Vec::new(),
        }
    }

    /// A flexible line costed as units at a rate: `(quantity, unit, per,
    /// rate)`, such as `("20", Unit::Hour, Per::Week, "£14.50")`.
    pub fn units(
        category: Category,
        description: &str,
        (quantity, unit, per, rate): (&str, Unit, Per, &str),
    ) -> LineDraft {
        LineDraft {
            costing: CostingKind::Units,
            quantity: quantity.into(),
            unit,
            per,
            rate: rate.into(),
            ..LineDraft::sum(category, description, "")
        }
    }

    /// The same line with its provider.
    pub fn by(self, provider: &str) -> LineDraft {
        LineDraft {
            provider: provider.into(),
            ..self
        }
    }

    /// The same line with its spending pattern.
    pub fn spent(self, pattern: SpendingPattern) -> LineDraft {
        LineDraft { pattern, ..self }
    }

    /// The same line serving these outcomes.
    pub fn serving(self, outcomes: &[u32]) -> LineDraft {
        LineDraft {
            outcomes: outcomes.to_vec(),
            ..self
        }
    }
}

/// A review date as typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReviewDraft {
    /// Which review.
    pub kind: ReviewKind,
    /// When, as typed.
    pub due_on: String,
}

/// A version's content as typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ContentDraft {
    /// Funding streams.
    pub streams: Vec<StreamDraft>,
    /// Outcomes, in the person's words.
    pub outcomes: Vec<String>,
    /// Budget lines.
    pub lines: Vec<LineDraft>,
    /// Review dates.
    pub reviews: Vec<ReviewDraft>,
    /// Draft or agreed.
    pub status: PlanStatus,
    /// The day it was agreed, as typed (asked for when agreed).
    pub agreed_on: String,
    /// Who agreed it, as typed; may be empty.
    pub agreed_by: String,
}

/// A new plan as typed in the set-up steps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct NewPlanDraft {
    /// What to call it.
    pub name: String,
    /// First day, as typed.
    pub start_date: String,
    /// Last day, as typed.
    pub end_date: String,
    /// What it says.
    pub content: ContentDraft,
}

/// A revision as typed: the new content and from when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RevisionDraft {
    /// The first day the new version is in force, as typed.
    pub effective_from: String,
    /// Why the plan changed.
    pub reason: String,
    /// The whole new content.
    pub content: ContentDraft,
}

/// One checked line with its money worked out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LinePreview {
    /// What it allocates over the whole plan period.
    pub allocation: Money,
    /// How that was worked out, in words.
    pub working: String,
    /// Set when it looks like spending a PHB cannot be used for.
    pub warning: Option<ExclusionWarning>,
}

/// A checked plan, with its figures over a full plan period, for the
/// set-up steps and the plan page to show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PlanPreview {
    /// The plan's first day, as core read it.
    pub start_date: NaiveDate,
    /// The plan's last day, as core read it.
    pub end_date: NaiveDate,
    /// For a revision, the day the new version starts, as core read it.
    pub effective_from: Option<NaiveDate>,
    /// The checked content (complete up to the step asked for).
    pub content: PlanContent,
    /// What each stream pays over a full plan period.
    pub stream_totals: Vec<Money>,
    /// How each stream's money comes, in words: "£5,000.00 for the plan in
    /// 12 monthly payments: 11 of £416.66 and a last of £416.74".
    pub stream_workings: Vec<String>,
    /// The funding over the whole period.
    pub funding_total: Money,
    /// Each line's allocation and working.
    pub lines: Vec<LinePreview>,
    /// What the lines allocate over the whole period.
    pub allocated_total: Money,
    /// Funding minus allocated: positive means money not yet given to a
    /// line, negative means the lines come to more than the funding.
    pub unallocated: Money,
    /// The usual review dates for this period.
    pub default_reviews: Vec<Review>,
}

/// A stored plan with each version's figures, for the plan page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PlanDetails {
    /// The plan and every version, oldest first.
    pub history: PlanHistory,
    /// Each version's figures as it states them: its funding and lines for
    /// a full plan period (same order as the versions). The summary counts
    /// each version for the share of the period it is in force.
    pub figures: Vec<PlanPreview>,
    /// The version in force today, as its position in `history.versions`.
    pub current_index: u32,
    /// The current version's content as the revision forms start from it.
    pub revision_start: ContentDraft,
}

/// Reads the name and period.
pub fn check_basics(name: &str, start: &str, end: &str) -> Result<(String, NaiveDate, NaiveDate)> {
    let name = required_text(
        "name",
        "a name for the plan",
        name,
        crate::forms::MAX_NAME_CHARS,
    )?;
    let start_date = parse_date("startDate", start)?;
    let end_date = parse_date("endDate", end)?;
    if end_date <= start_date {
        return Err(Error::invalid(
            "endDate",
            format!(
                "The plan must end after it starts. It starts on {}; enter a later end date.",
                format_date(start_date)
            ),
        ));
    }
    Ok((name, start_date, end_date))
}

/// The name of a field in a list item: "lines.2.rate".
fn field(prefix: &str, index: usize, name: &str) -> String {
    format!("{prefix}.{index}.{name}")
}

fn too_many(what: &'static str) -> Error {
    Error::invalid(
        what,
        format!("A plan can have at most {MAX_ITEMS} of these."),
    )
}

fn money(field_name: &str, text: &str) -> Result<Money> {
    let amount = Money::parse(text).map_err(|error| Error::invalid_money(field_name, error))?;
    if amount == Money::ZERO {
        return Err(Error::invalid(
            field_name,
            "Enter an amount of more than £0.00.",
        ));
    }
    Ok(amount)
}

impl ContentDraft {
    /// Checks the content up to and including `step`, for a plan running
    /// from `start` to `end`.
    pub fn check(&self, step: PlanStep, start: NaiveDate, end: NaiveDate) -> Result<PlanContent> {
        let mut content = PlanContent {
            streams: Vec::new(),
            outcomes: Vec::new(),
            lines: Vec::new(),
            reviews: Vec::new(),
            status: self.status,
            agreed_on: None,
            agreed_by: String::new(),
        };
        if step >= PlanStep::Funding {
            content.streams = self.check_streams(start, end)?;
        }
        if step >= PlanStep::Outcomes {
            content.outcomes = self.check_outcomes()?;
        }
        if step >= PlanStep::Lines {
            content.lines = self.check_lines(content.outcomes.len())?;
            Self::check_line_keys(&content.lines)?;
        }
        if step >= PlanStep::Reviews {
            content.reviews = self.check_reviews(start, end)?;
            (content.agreed_on, content.agreed_by) = self.check_agreement()?;
        }
        Ok(content)
    }

    fn check_streams(&self, start: NaiveDate, end: NaiveDate) -> Result<Vec<FundingStream>> {
        if self.streams.is_empty() {
            return Err(Error::invalid(
                "streams",
                "Add where the money comes from: at least one funding stream, such as the NHS.",
            ));
        }
        if self.streams.len() > MAX_ITEMS {
            return Err(too_many("streams"));
        }
        self.streams
            .iter()
            .enumerate()
            .map(|(i, stream)| {
                if payment_dates(stream.frequency, start, end).is_empty() {
                    return Err(Error::invalid(
                        field("streams", i, "frequency"),
                        "The plan is too short for a whole period of this payment. Choose a shorter period, or one-off for a single payment.",
                    ));
                }
                let checked = FundingStream {
                    funder: stream.funder,
                    funder_name: required_text(&field("streams", i, "funderName"), "the funder's name", &stream.funder_name, crate::forms::MAX_NAME_CHARS)?,
                    management: stream.management,
                    amount: money(&field("streams", i, "amount"), &stream.amount)?,
                    amount_is: stream.amount_is,
                    frequency: stream.frequency,
                };
                // A sum for the period must split into instalments of a
                // penny or more; the message names this stream's field.
                stream_instalments(&checked, start, end).map_err(|error| match error {
                    Error::Invalid { message, .. } => {
                        Error::invalid(field("streams", i, "amount"), message)
                    }
                    other => other,
                })?;
                Ok(checked)
            })
            .collect()
    }

    fn check_outcomes(&self) -> Result<Vec<String>> {
        if self
            .outcomes
            .iter()
            .all(|outcome| outcome.trim().is_empty())
        {
            return Err(Error::invalid(
                "outcomes",
                "Add at least one outcome: something that matters to the person, in their words.",
            ));
        }
        if self.outcomes.len() > MAX_ITEMS {
            return Err(too_many("outcomes"));
        }
        self.outcomes
            .iter()
            .enumerate()
            .map(|(i, outcome)| {
                required_multiline_text(
                    &field("outcomes", i, "text"),
                    "the outcome",
                    outcome,
                    MAX_OUTCOME_CHARS,
                )
            })
            .collect()
    }

    fn check_lines(&self, outcome_count: usize) -> Result<Vec<BudgetLine>> {
        if self.lines.is_empty() {
            return Err(Error::invalid(
                "lines",
                "Add the agreed support: at least one budget line.",
            ));
        }
        if self.lines.len() > MAX_ITEMS {
            return Err(too_many("lines"));
        }
        self.lines
            .iter()
            .enumerate()
            .map(|(i, line)| {
                let description = required_text(
                    &field("lines", i, "description"),
                    "what the line is for",
                    &line.description,
                    MAX_LINE_TEXT_CHARS,
                )?;
                let provider = optional_text(
                    &field("lines", i, "provider"),
                    "the provider",
                    &line.provider,
                    MAX_LINE_TEXT_CHARS,
                    false,
                )?;
                let costing = match line.costing {
                    CostingKind::Amount => Costing::Amount {
                        amount: money(&field("lines", i, "amount"), &line.amount)?,
                    },
                    CostingKind::Units => Costing::Units {
                        quantity: parse_quantity(&field("lines", i, "quantity"), &line.quantity)?,
                        unit: line.unit,
                        per: line.per,
                        rate: money(&field("lines", i, "rate"), &line.rate)?,
                    },
                };
                let mut outcomes = line.outcomes.clone();
                outcomes.sort_unstable();
                outcomes.dedup();
                if outcomes
                    .iter()
                    .any(|&index| index as usize >= outcome_count)
                {
                    return Err(Error::invalid(
                        field("lines", i, "outcomes"),
                        "Choose outcomes from the plan's list.",
                    ));
                }
                Ok(BudgetLine {
                    key: line.key,
                    category: line.category,
                    description,
                    provider,
                    costing,
                    flexibility: line.flexibility,
                    pattern: line.pattern,
                    outcomes,
                })
            })
            .collect()
    }

    /// Lines carried over keep their keys; the same key twice would make
    /// two lines one.
    fn check_line_keys(lines: &[BudgetLine]) -> Result<()> {
        let mut seen = std::collections::HashSet::new();
        for (i, line) in lines.iter().enumerate() {
            if let Some(key) = line.key {
                if !seen.insert(key) {
                    return Err(Error::invalid(
                        field("lines", i, "description"),
                        "This line appears twice. Remove one copy.",
                    ));
                }
            }
        }
        Ok(())
    }

    /// When an agreed version was agreed (required) and by whom (may be
    /// left empty). A draft is agreed by nobody yet, so it keeps neither.
    fn check_agreement(&self) -> Result<(Option<NaiveDate>, String)> {
        if self.status == PlanStatus::Draft {
            return Ok((None, String::new()));
        }
        if self.agreed_on.trim().is_empty() {
            return Err(Error::invalid(
                "agreedOn",
                "Enter the day the plan was agreed, for example 25/11/2026.",
            ));
        }
        let agreed_on = parse_date("agreedOn", &self.agreed_on)?;
        let agreed_by = optional_text(
            "agreedBy",
            "who agreed it",
            &self.agreed_by,
            crate::forms::MAX_NAME_CHARS,
            false,
        )?;
        Ok((Some(agreed_on), agreed_by))
    }

    fn check_reviews(&self, start: NaiveDate, end: NaiveDate) -> Result<Vec<Review>> {
        if self.reviews.len() > MAX_ITEMS {
            return Err(too_many("reviews"));
        }
        let mut reviews = self
            .reviews
            .iter()
            .enumerate()
            .map(|(i, review)| {
                let name = field("reviews", i, "dueOn");
                let due_on = parse_date(&name, &review.due_on)?;
                if due_on < start || due_on > end {
                    return Err(Error::invalid(
                        name,
                        format!(
                            "Reviews fall inside the plan, which runs from {} to {}.",
                            format_date(start),
                            format_date(end)
                        ),
                    ));
                }
                Ok(Review {
                    kind: review.kind,
                    due_on,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        reviews.sort_by_key(|review| review.due_on);
        Ok(reviews)
    }
}

/// Works out a checked content's figures over a full plan period from
/// `start` to `end`.
pub fn preview(content: PlanContent, start: NaiveDate, end: NaiveDate) -> Result<PlanPreview> {
    let stream_totals = content
        .streams
        .iter()
        .map(|stream| stream_total(stream, start, end))
        .collect::<Result<Vec<_>>>()?;
    let funding_total = Money::checked_sum(stream_totals.iter().copied()).ok_or(Error::Overflow)?;
    let stream_workings = content
        .streams
        .iter()
        .map(|stream| stream_working(stream, start, end))
        .collect::<Result<Vec<_>>>()?;
    let lines = content
        .lines
        .iter()
        .map(|line| {
            Ok(LinePreview {
                allocation: line_cost(&line.costing, start, end)?,
                working: line_working(&line.costing, start, end),
                warning: check_exclusions([line.description.as_str(), line.provider.as_str()]),
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let allocated_total =
        Money::checked_sum(lines.iter().map(|line| line.allocation)).ok_or(Error::Overflow)?;
    let unallocated = funding_total
        .checked_sub(allocated_total)
        .ok_or(Error::Overflow)?;
    Ok(PlanPreview {
        start_date: start,
        end_date: end,
        effective_from: None,
        content,
        stream_totals,
        stream_workings,
        funding_total,
        lines,
        allocated_total,
        unallocated,
        default_reviews: default_reviews(start, end),
    })
}

/// "20", "7.5", "0.25".
pub fn format_quantity(quantity: Hundredths) -> String {
    let (whole, fraction) = (quantity.0 / 100, quantity.0 % 100);
    match fraction {
        0 => whole.to_string(),
        f if f % 10 == 0 => format!("{whole}.{}", f / 10),
        f => format!("{whole}.{f:02}"),
    }
}

impl Unit {
    /// The unit as a word: "hour" or "hours".
    pub fn noun(self, plural: bool) -> &'static str {
        let (one, many) = match self {
            Unit::Hour => ("hour", "hours"),
            Unit::Session => ("session", "sessions"),
            Unit::Visit => ("visit", "visits"),
            Unit::Day => ("day", "days"),
            Unit::Night => ("night", "nights"),
            Unit::Item => ("item", "items"),
            Unit::Month => ("month", "months"),
            Unit::Week => ("week", "weeks"),
            Unit::Trip => ("trip", "trips"),
        };
        if plural {
            many
        } else {
            one
        }
    }
}

impl PlanContent {
    /// The content as the forms show it, for starting a revision from the
    /// version in force.
    pub fn to_draft(&self) -> ContentDraft {
        ContentDraft {
            streams: self
                .streams
                .iter()
                .map(|stream| StreamDraft {
                    funder: stream.funder,
                    funder_name: stream.funder_name.clone(),
                    management: stream.management,
                    amount: stream.amount.to_string(),
                    amount_is: stream.amount_is,
                    frequency: stream.frequency,
                })
                .collect(),
            outcomes: self.outcomes.clone(),
            lines: self
                .lines
                .iter()
                .map(|line| {
                    let blank = LineDraft {
                        key: line.key,
                        category: line.category,
                        description: line.description.clone(),
                        provider: line.provider.clone(),
                        costing: CostingKind::Amount,
                        amount: String::new(),
                        quantity: String::new(),
                        unit: Unit::Hour,
                        per: Per::Week,
                        rate: String::new(),
                        flexibility: line.flexibility,
                        pattern: line.pattern,
                        outcomes: line.outcomes.clone(),
                    };
                    match line.costing {
                        Costing::Amount { amount } => LineDraft {
                            amount: amount.to_string(),
                            ..blank
                        },
                        Costing::Units {
                            quantity,
                            unit,
                            per,
                            rate,
                        } => LineDraft {
                            costing: CostingKind::Units,
                            quantity: format_quantity(quantity),
                            unit,
                            per,
                            rate: rate.to_string(),
                            ..blank
                        },
                    }
                })
                .collect(),
            reviews: self
                .reviews
                .iter()
                .map(|review| ReviewDraft {
                    kind: review.kind,
                    due_on: review.due_on.format("%d/%m/%Y").to_string(),
                })
                .collect(),
            status: self.status,
            agreed_on: self
                .agreed_on
                .map(|day| day.format("%d/%m/%Y").to_string())
                .unwrap_or_default(),
            agreed_by: self.agreed_by.clone(),
        }
    }
}

impl PlanContent {
    /// Where a revision's forms start: this content, except the day it was
    /// agreed, since a revision is agreed afresh at its review.
    pub fn revision_start(&self) -> ContentDraft {
        ContentDraft {
            agreed_on: String::new(),
            ..self.to_draft()
        }
    }
}

/// Longest reason for a revision.
pub const MAX_REASON_CHARS: usize = 500;

/// A new plan, checked whole and ready to store as its version 1.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedNewPlan {
    /// The plan's name.
    pub name: String,
    /// Its first day.
    pub start: NaiveDate,
    /// Its last day.
    pub end: NaiveDate,
    /// Version 1, every step checked.
    pub content: PlanContent,
    /// What the funding comes to, kept for the record.
    pub budget: Money,
}

impl NewPlanDraft {
    /// Checks the whole plan, every step.
    pub fn check(&self) -> Result<CheckedNewPlan> {
        let (name, start, end) = check_basics(&self.name, &self.start_date, &self.end_date)?;
        let content = self.content.check(PlanStep::Reviews, start, end)?;
        let budget = preview(content.clone(), start, end)?.funding_total;
        Ok(CheckedNewPlan {
            name,
            start,
            end,
            content,
            budget,
        })
    }
}

/// A revision, checked whole against the plan it revises.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedRevision {
    /// The day the new version is in force from.
    pub effective_from: NaiveDate,
    /// Why the plan changed.
    pub reason: String,
    /// The new version, every step checked.
    pub content: PlanContent,
}

impl RevisionDraft {
    /// Checks the whole revision against `history`.
    pub fn check(&self, history: &PlanHistory) -> Result<CheckedRevision> {
        let (effective_from, reason) = check_revision_basics(history, self)?;
        let content =
            self.content
                .check(PlanStep::Reviews, history.start_date, history.end_date)?;
        Ok(CheckedRevision {
            effective_from,
            reason,
            content,
        })
    }
}

/// Checks a new plan as far as `step` and works out its figures, for the
/// set-up steps.
pub fn preview_new_plan(draft: &NewPlanDraft, step: PlanStep) -> Result<PlanPreview> {
    let (_, start, end) = check_basics(&draft.name, &draft.start_date, &draft.end_date)?;
    preview(draft.content.check(step, start, end)?, start, end)
}

/// Checks a revision of `history` as far as `step` (its date and reason
/// first) and works out the new version's figures, for the revision steps.
pub fn preview_revision(
    history: &PlanHistory,
    draft: &RevisionDraft,
    step: PlanStep,
) -> Result<PlanPreview> {
    let (effective_from, _) = check_revision_basics(history, draft)?;
    let content = draft
        .content
        .check(step, history.start_date, history.end_date)?;
    Ok(PlanPreview {
        effective_from: Some(effective_from),
        ..preview(content, history.start_date, history.end_date)?
    })
}

/// Reads a revision's start date and reason: the new version must start
/// after the current one and by the plan's last day.
fn check_revision_basics(
    history: &PlanHistory,
    draft: &RevisionDraft,
) -> Result<(NaiveDate, String)> {
    let current = history.current();
    let effective_from = parse_date("effectiveFrom", &draft.effective_from)?;
    if effective_from <= current.effective_from || effective_from > history.end_date {
        return Err(Error::invalid(
            "effectiveFrom",
            format!(
                "The new version must start after version {} (which started on {}) and by the plan's last day, {}.",
                current.number,
                format_date(current.effective_from),
                format_date(history.end_date)
            ),
        ));
    }
    let reason = required_multiline_text(
        "reason",
        "why the plan changed",
        &draft.reason,
        MAX_REASON_CHARS,
    )?;
    Ok((effective_from, reason))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantities_are_written_as_people_write_them() {
        assert_eq!(format_quantity(Hundredths(2_000)), "20");
        assert_eq!(format_quantity(Hundredths(750)), "7.5");
        assert_eq!(format_quantity(Hundredths(25)), "0.25");
    }
}
