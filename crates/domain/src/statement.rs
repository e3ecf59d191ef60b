//! The review statement: everything a reviewer needs for a period, worked
//! out once here so that the printed statement, the CSV and the screen can
//! never disagree. `statement_pdf` lays it out for print.
//!
//! Sections follow `domain.md`: header, the plan, money in by stream, money
//! out by budget line, the reconciliation, the surplus, exceptions and the
//! evidence index.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;
use ts_rs::TS;

use crate::dashboard::DEFAULT_SURPLUS_WEEKS;
use crate::error::{Error, Result};
use crate::figures::{over_surplus_limit, weeks_in_hand, LedgerTotals, WeeksInHand};
use crate::input::{format_date, lower_first, parse_date};
use crate::ledger::{LineKey, MoneyIn, Payment};
use crate::model::Holder;
use crate::money::Money;
use crate::plan::{
    content_allocation, content_funding, line_cost, line_working, stream_total, stream_working,
    ActingPerson, Category, PlanContent, PlanHistory, PlanStatus, PlanVersion, SpendingPattern,
};

/// One budget line over the statement's period, and over the plan year to
/// the period's end.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct StatementLine {
    /// The line.
    pub key: LineKey,
    /// Its description.
    pub description: String,
    /// Its kind.
    pub category: Category,
    /// How its money is expected to go, as the plan in force at the end of
    /// the period says.
    pub pattern: SpendingPattern,
    /// How its yearly amount is worked out, as that plan says: "20 hours a
    /// week at £14.50 for 52 weeks".
    pub working: String,
    /// Its allocation for the plan year: each version's cost for the share
    /// of the year it is in force (the dashboard's figure).
    pub for_year: Money,
    /// Due by the period's last day, from the plan's first: by the day for
    /// a line spread evenly or spent as needed, in full from the start for
    /// a one-off.
    pub due_to_date: Money,
    /// Due in the period: due by its last day less due before its first.
    pub allocated: Money,
    /// Spent on it in the period.
    pub spent: Money,
    /// Spent on it from the plan's first day to the period's last.
    pub spent_to_date: Money,
    /// The year's allocation less what is spent to date.
    pub left_for_year: Money,
    /// A plain word where a figure is expected to be uneven, or is ahead
    /// of what is due; empty otherwise.
    pub note: String,
}

/// The money-out table's totals: every line, plus what was spent on no
/// line, so spent in the period and to date are all money out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LineTotals {
    /// The lines' allocations for the year.
    pub for_year: Money,
    /// Due by the period's last day, all lines.
    pub due_to_date: Money,
    /// All money out in the period.
    pub spent: Money,
    /// Spent on no line from the plan's first day to the period's last.
    pub unassigned_to_date: Money,
    /// All money out from the plan's first day to the period's last.
    pub spent_to_date: Money,
    /// The year's allocations less all money out to date.
    pub left_for_year: Money,
}

/// One funder's money: what the plan schedules for the year and the
/// period, and what came in the period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct StatementFunding {
    /// The funder, by name.
    pub source: String,
    /// Who pays and how it is held, in words: "NHS (integrated care
    /// board), direct payment".
    pub kind: String,
    /// How its money comes, as the plan in force at the end says.
    pub working: String,
    /// Every instalment the plan's versions schedule over the plan year.
    pub for_year: Money,
    /// The instalments due in the period.
    pub due_in_period: Money,
    /// Money in from this funder recorded in the period.
    pub received_in_period: Money,
}

/// Every funder's money together.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FundingTotals {
    /// Scheduled over the plan year.
    pub for_year: Money,
    /// Due in the period.
    pub due_in_period: Money,
    /// Received in the period from the plan's funders.
    pub received_in_period: Money,
}

/// One thing a revision changed: what, and how it read before and after.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PlanChange {
    /// What changed: a funder, a line, an outcome, or a total.
    pub what: String,
    /// How it read in the version before ("Not in the plan" if new).
    pub before: String,
    /// How it reads in this version ("Taken out" if gone).
    pub after: String,
}

/// What one revision of the plan changed, from which day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RevisionSummary {
    /// The version it made.
    pub number: u32,
    /// The day it came into force.
    pub effective_from: NaiveDate,
    /// Why, in the words it was saved with.
    pub reason: String,
    /// Whether and when it was agreed, in words.
    pub agreement: String,
    /// Each change, funding first, then lines, outcomes and totals.
    pub changes: Vec<PlanChange>,
}

/// Money in from one source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MoneyInGroup {
    /// Who it came from.
    pub source: String,
    /// Each payment received in the period (removed ones left out).
    pub entries: Vec<MoneyIn>,
    /// Their total.
    pub total: Money,
}

/// Why a payment is listed as an exception.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ExceptionKind {
    /// No evidence, and no reason given.
    NoEvidence,
    /// Cash taken out.
    Cash,
    /// Removed, with a reason.
    Removed,
    /// Looks like spending a PHB cannot be used for.
    OutsideThePlan,
}

/// A payment a reviewer should look at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Exception {
    /// Why.
    pub kind: ExceptionKind,
    /// The day paid.
    pub paid_on: NaiveDate,
    /// Who was paid.
    pub payee: String,
    /// How much.
    pub amount: Money,
    /// More about it, in words.
    pub detail: String,
}

/// The evidence behind one payment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct EvidenceEntry {
    /// The day paid.
    pub paid_on: NaiveDate,
    /// Who was paid.
    pub payee: String,
    /// How much.
    pub amount: Money,
    /// The files, as "Receipt: IMG_2041.jpg".
    pub files: Vec<String>,
    /// Why there is none, if a reason was given.
    pub no_evidence_reason: String,
}

/// The evidence behind one budget line's spending, as `domain.md` asks:
/// "which receipts, invoices, timesheets, statements back each line".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct EvidenceGroup {
    /// The line's description, or "Split across budget lines" or "Not on a
    /// budget line".
    pub heading: String,
    /// Payments with a file, or with a reason for having none.
    pub entries: Vec<EvidenceEntry>,
    /// How many payments have neither; each is listed under exceptions, so
    /// the index only counts them rather than listing them twice.
    pub without_evidence: u32,
}

/// Everything a review statement says, for a holder and a period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Statement {
    /// Whose statement.
    pub holder: Holder,
    /// Who acts for them.
    pub acting: Vec<ActingPerson>,
    /// The plan's name.
    pub plan_name: String,
    /// The plan's period.
    pub plan_start: NaiveDate,
    /// The plan's period.
    pub plan_end: NaiveDate,
    /// The statement's first day.
    pub from: NaiveDate,
    /// The statement's last day.
    pub to: NaiveDate,
    /// The plan as it stood on the last day.
    pub version: PlanVersion,
    /// Whether and when that version was agreed, in words.
    pub agreement: String,
    /// The plan's money, funder by funder, for the year and the period.
    pub funding: Vec<StatementFunding>,
    /// All funders together.
    pub funding_totals: FundingTotals,
    /// What each revision in force by the period's end changed.
    pub revisions: Vec<RevisionSummary>,
    /// Money in, by source.
    pub money_in: Vec<MoneyInGroup>,
    /// All money in during the period.
    pub money_in_total: Money,
    /// Money out, line by line.
    pub lines: Vec<StatementLine>,
    /// Money out on no line (entries from before lines).
    pub unassigned_spent: Money,
    /// The money-out table's totals, for the year and to date.
    pub line_totals: LineTotals,
    /// What the lines allocate for the period, all together.
    pub allocated_total: Money,
    /// All money out during the period.
    pub money_out_total: Money,
    /// Money in before the period minus money out before it.
    pub opening_balance: Money,
    /// Opening balance plus money in minus money out.
    pub closing_balance: Money,
    /// A week's funding.
    pub weekly_funding: Money,
    /// The closing balance in weeks of funding, in tenths.
    pub weeks_in_hand_tenths: Option<i64>,
    /// The local surplus limit, in weeks.
    pub surplus_limit_weeks: u32,
    /// Payments to look at.
    pub exceptions: Vec<Exception>,
    /// The evidence behind each line's payments, line by line in the
    /// plan's order, each in date order.
    pub evidence: Vec<EvidenceGroup>,
    /// Every payment in the period as it stands, removed ones included.
    pub payments: Vec<Payment>,
    /// The records against the account's own statement, on the latest day
    /// they were checked by the period's end, if they were.
    pub account: Option<crate::account::AccountAgreement>,
}

/// A ready-made statement period to choose from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PeriodChoice {
    /// What the choice is called: "The last 3 months".
    pub label: String,
    /// Its first day.
    pub from: NaiveDate,
    /// Its last day.
    pub to: NaiveDate,
}

/// The periods a statement is usually for, kept inside the plan: since the
/// last review the plan lists, the last 3 months, each quarter of the plan
/// begun by `today`, the plan year so far, and the whole plan year.
/// Choices that would be empty or repeat another are left out.
pub fn period_choices(plan: &PlanHistory, today: NaiveDate) -> Vec<PeriodChoice> {
    let end_so_far = today.min(plan.end_date);
    let mut choices = Vec::new();
    // The latest review on or before today, from the version in force now.
    let last_review = plan
        .version_on(end_so_far)
        .content
        .reviews
        .iter()
        .filter(|review| review.due_on >= plan.start_date && review.due_on <= end_so_far)
        .max_by_key(|review| review.due_on);
    if let Some(review) = last_review {
        choices.push(PeriodChoice {
            label: format!(
                "Since the {} on {}",
                review.kind.label().to_lowercase(),
                format_date(review.due_on)
            ),
            from: review.due_on,
            to: end_so_far,
        });
    }
    if end_so_far >= plan.start_date {
        let three_months_back = end_so_far
            .checked_sub_months(chrono::Months::new(3))
            .and_then(|d| d.succ_opt())
            .unwrap_or(plan.start_date)
            .max(plan.start_date);
        choices.push(PeriodChoice {
            label: "The last 3 months".into(),
            from: three_months_back,
            to: end_so_far,
        });
        choices.push(PeriodChoice {
            label: "The plan year so far".into(),
            from: plan.start_date,
            to: end_so_far,
        });
    }
    // The plan's quarters, as its reviews count them: three months each
    // from its first day, the last ending with the plan.
    for quarter in 0..4u32 {
        let Some(from) = plan
            .start_date
            .checked_add_months(chrono::Months::new(3 * quarter))
        else {
            break;
        };
        if from > end_so_far || from > plan.end_date {
            break;
        }
        let to = if quarter == 3 {
            plan.end_date
        } else {
            plan.start_date
                .checked_add_months(chrono::Months::new(3 * (quarter + 1)))
                .and_then(|next| next.pred_opt())
                .map_or(plan.end_date, |end| end.min(plan.end_date))
        };
        choices.push(PeriodChoice {
            label: format!("Quarter {} of the plan", quarter + 1),
            from,
            to,
        });
    }
    choices.push(PeriodChoice {
        label: "The whole plan year".into(),
        from: plan.start_date,
        to: plan.end_date,
    });
    let mut unique: Vec<PeriodChoice> = Vec::new();
    for choice in choices {
        if !unique
            .iter()
            .any(|c| c.from == choice.from && c.to == choice.to)
        {
            unique.push(choice);
        }
    }
    unique
}

/// The outcomes a statement ending on `to` (as typed) asks "How it is
/// working" about: those of the plan version in force on its last day, kept
/// inside the plan as [`check_period`] keeps it. The statement screen asks
/// for a note on each of these, so it offers the outcomes the statement
/// prints.
pub fn outcomes_for_period_end(plan: &PlanHistory, to: &str) -> Result<Vec<String>> {
    let to = parse_date("to", to)?;
    Ok(statement_version(plan, to).content.outcomes.clone())
}

/// The version a statement ending on `to` prints: the one in force on its
/// last day inside the plan.
fn statement_version(plan: &PlanHistory, to: NaiveDate) -> &PlanVersion {
    plan.version_on(to.min(plan.end_date))
}

/// The kinds of file a statement is saved as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum StatementFormat {
    /// The printed statement.
    Pdf,
    /// The period's entries, for a spreadsheet.
    Csv,
}

impl StatementFormat {
    /// The file name extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            StatementFormat::Pdf => "pdf",
            StatementFormat::Csv => "csv",
        }
    }
}

impl Statement {
    /// How many payments in the period are listed as exceptions of `kind`:
    /// with `NoEvidence`, the payments with no receipt or other evidence
    /// and no reason why.
    pub fn exceptions_of(&self, kind: ExceptionKind) -> usize {
        self.exceptions.iter().filter(|e| e.kind == kind).count()
    }

    /// Whether the money in hand at the period's end is more weeks of
    /// funding than the surplus limit (the dashboard's surplus warning).
    pub fn over_surplus_limit(&self) -> bool {
        self.weeks_in_hand_tenths
            .is_some_and(|tenths| over_surplus_limit(tenths, self.surplus_limit_weeks))
    }

    /// The lines that have gone over their allocation for the year: more
    /// spent on them from the plan's first day to the period's last than
    /// the year allows.
    pub fn lines_over(&self) -> impl Iterator<Item = &StatementLine> {
        self.lines
            .iter()
            .filter(|line| line.left_for_year < Money::ZERO)
    }

    /// A file name that says what the file is, safe on every system:
    /// "Statement for Margaret Ellis, 1 Apr 2026 to 30 Jun 2026.pdf".
    pub fn file_name(&self, format: StatementFormat) -> String {
        let name: String = format!(
            "Statement for {}, {} to {}",
            self.holder.name,
            format_date(self.from),
            format_date(self.to)
        )
        .chars()
        .filter(|&c| !crate::input::is_hidden(c))
        .map(|c| {
            if c.is_control() || "\\/:*?\"<>|".contains(c) {
                '-'
            } else {
                c
            }
        })
        .collect();
        format!(
            "{}.{}",
            name.trim_end_matches(['.', ' ']),
            format.extension()
        )
    }
}

/// Reads a statement's period as typed, and keeps it to the plan.
pub fn check_period(from: &str, to: &str, plan: &PlanHistory) -> Result<(NaiveDate, NaiveDate)> {
    let from = parse_date("from", from)?;
    let to = parse_date("to", to)?;
    if to < from {
        return Err(Error::invalid(
            "to",
            "The statement must end on or after the day it starts.",
        ));
    }
    if to < plan.start_date || from > plan.end_date {
        return Err(Error::invalid(
            "from",
            format!(
                "The plan runs from {} to {}. Choose dates inside it.",
                format_date(plan.start_date),
                format_date(plan.end_date)
            ),
        ));
    }
    Ok((from.max(plan.start_date), to.min(plan.end_date)))
}

/// What the ledger held before a statement's period and during it, as the
/// store adds it up ([`LedgerTotals`]): the sums every figure of the
/// statement comes from, the same sums the dashboard shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeriodTotals {
    /// Everything dated before the period.
    pub before: LedgerTotals,
    /// Everything dated in the period.
    pub during: LedgerTotals,
}

/// Works out a statement from a plan's records. `payments` and `money_in`
/// are the entries to list (any date; those outside the period are left
/// out), `totals` what the ledger adds up to before and during the period,
/// and `surplus_limit_weeks` is the holder's limit.
#[allow(clippy::too_many_arguments)]
pub fn assemble(
    holder: Holder,
    acting: Vec<ActingPerson>,
    plan: &PlanHistory,
    payments: Vec<Payment>,
    money_in: Vec<MoneyIn>,
    totals: &PeriodTotals,
    from: NaiveDate,
    to: NaiveDate,
    surplus_limit_weeks: Option<u32>,
) -> Result<Statement> {
    let sum = |amounts: &mut dyn Iterator<Item = Money>| {
        Money::checked_sum(amounts).ok_or(Error::Overflow)
    };
    let live_in = |entry: &&MoneyIn| entry.voided.is_none();
    let opening_balance = totals.before.balance()?;

    let mut groups: BTreeMap<String, Vec<MoneyIn>> = BTreeMap::new();
    for entry in money_in
        .iter()
        .filter(live_in)
        .filter(|e| (from..=to).contains(&e.received_on))
    {
        groups
            .entry(entry.source.clone())
            .or_default()
            .push(entry.clone());
    }
    let money_in_groups = groups
        .into_iter()
        .map(|(source, mut entries)| {
            entries.sort_by_key(|entry| entry.received_on);
            let total = sum(&mut entries.iter().map(|e| e.amount))?;
            Ok(MoneyInGroup {
                source,
                entries,
                total,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let money_in_total = totals.during.money_in;

    let mut in_period: Vec<Payment> = payments
        .into_iter()
        .filter(|p| (from..=to).contains(&p.paid_on))
        .collect();
    in_period.sort_by_key(|p| (p.paid_on, p.key));
    let money_out_total = totals.during.spent;
    let lines = statement_lines(plan, totals, from, to)?;
    let on_lines = sum(&mut lines.iter().map(|line| line.spent))?;
    let allocated_total = sum(&mut lines.iter().map(|line| line.allocated))?;
    let unassigned_spent = money_out_total
        .checked_sub(on_lines)
        .ok_or(Error::Overflow)?;
    let for_year = sum(&mut lines.iter().map(|line| line.for_year))?;
    let spent_to_date = totals
        .before
        .spent
        .checked_add(money_out_total)
        .ok_or(Error::Overflow)?;
    let lines_spent_to_date = sum(&mut lines.iter().map(|line| line.spent_to_date))?;
    let line_totals = LineTotals {
        for_year,
        due_to_date: sum(&mut lines.iter().map(|line| line.due_to_date))?,
        spent: money_out_total,
        unassigned_to_date: spent_to_date
            .checked_sub(lines_spent_to_date)
            .ok_or(Error::Overflow)?,
        spent_to_date,
        left_for_year: for_year.checked_sub(spent_to_date).ok_or(Error::Overflow)?,
    };
    let funding = statement_funding(plan, &money_in, from, to)?;
    let closing_balance = opening_balance
        .checked_add(money_in_total)
        .and_then(|balance| balance.checked_sub(money_out_total))
        .ok_or(Error::Overflow)?;
    let money_in_so_far = totals
        .before
        .money_in
        .checked_add(money_in_total)
        .ok_or(Error::Overflow)?;
    let WeeksInHand {
        weekly_funding,
        tenths: weeks_in_hand_tenths,
    } = weeks_in_hand(plan, closing_balance, money_in_so_far)?;

    Ok(Statement {
        exceptions: exceptions(&in_period),
        evidence: evidence_index(&in_period, &lines),
        holder,
        acting,
        plan_name: plan.name.clone(),
        plan_start: plan.start_date,
        plan_end: plan.end_date,
        from,
        to,
        version: statement_version(plan, to).clone(),
        agreement: agreement_words(&statement_version(plan, to).content),
        funding_totals: FundingTotals {
            for_year: sum(&mut funding.iter().map(|f| f.for_year))?,
            due_in_period: sum(&mut funding.iter().map(|f| f.due_in_period))?,
            received_in_period: sum(&mut funding.iter().map(|f| f.received_in_period))?,
        },
        funding,
        revisions: revision_summaries(plan, to)?,
        money_in: money_in_groups,
        money_in_total,
        lines,
        unassigned_spent,
        line_totals,
        allocated_total,
        money_out_total,
        opening_balance,
        closing_balance,
        weekly_funding,
        weeks_in_hand_tenths,
        surplus_limit_weeks: surplus_limit_weeks.unwrap_or(DEFAULT_SURPLUS_WEEKS),
        payments: in_period,
        account: None,
    })
}

/// Each line the plan had in the period, with its year, what is due and
/// spent to date, and what was due and spent in the period.
fn statement_lines(
    plan: &PlanHistory,
    totals: &PeriodTotals,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<StatementLine>> {
    let mut lines: Vec<StatementLine> = Vec::new();
    let day_before = from.pred_opt().unwrap_or(from);
    // The lines of every version in force in the period, newest first.
    for version in plan.versions.iter().rev() {
        if version.effective_to < from || version.effective_from > to {
            continue;
        }
        for line in &version.content.lines {
            let Some(key) = line.key else { continue };
            if lines.iter().any(|existing| existing.key == key) {
                continue;
            }
            let for_year = plan.line_allocation(key)?;
            let due_to_date = plan.line_due_by(key, to)?;
            let due_before = if from > plan.start_date {
                plan.line_due_by(key, day_before)?
            } else {
                Money::ZERO
            };
            let allocated = due_to_date.checked_sub(due_before).ok_or(Error::Overflow)?;
            let spent = totals.during.spent_on(key);
            let spent_to_date = totals
                .before
                .spent_on(key)
                .checked_add(spent)
                .ok_or(Error::Overflow)?;
            lines.push(StatementLine {
                key,
                description: line.description.clone(),
                category: line.category,
                pattern: line.pattern,
                working: line_working(&line.costing, plan.start_date, plan.end_date),
                for_year,
                due_to_date,
                allocated,
                spent,
                spent_to_date,
                left_for_year: for_year.checked_sub(spent_to_date).ok_or(Error::Overflow)?,
                note: line_note(line.pattern, (for_year, due_to_date, spent_to_date))?,
            });
        }
    }
    Ok(lines)
}

/// The plain word beside a line's figures: why they are uneven by
/// design, or that spending is ahead of what is due.
fn line_note(
    pattern: SpendingPattern,
    (for_year, due_to_date, spent_to_date): (Money, Money, Money),
) -> Result<String> {
    Ok(match pattern {
        SpendingPattern::OneOff if spent_to_date == Money::ZERO => {
            "One-off, not bought yet.".into()
        }
        SpendingPattern::OneOff => "One-off: due in full from the start.".into(),
        SpendingPattern::AsNeeded => "As needed: uneven by design.".into(),
        SpendingPattern::Even => {
            // Paying a little early or late is the way of bills; more than
            // a week's worth ahead is worth a reviewer's eye.
            let ahead = spent_to_date
                .checked_sub(due_to_date)
                .ok_or(Error::Overflow)?;
            if ahead.pence() * 52 > for_year.pence() {
                format!("{ahead} ahead of the even spread.")
            } else {
                String::new()
            }
        }
    })
}

/// Whether and when a version was agreed, in words.
fn agreement_words(content: &PlanContent) -> String {
    match (
        content.status,
        content.agreed_on,
        content.agreed_by.as_str(),
    ) {
        (PlanStatus::Draft, _, _) => "A draft: not agreed yet.".into(),
        (PlanStatus::Agreed, Some(on), "") => format!("Agreed on {}.", format_date(on)),
        (PlanStatus::Agreed, Some(on), by) => format!("Agreed on {} by {by}.", format_date(on)),
        (PlanStatus::Agreed, None, "") => "Agreed (the day was not recorded).".into(),
        (PlanStatus::Agreed, None, by) => format!("Agreed by {by} (the day was not recorded)."),
    }
}

/// Each funder's instalments for the year and the period, as the plan's
/// versions schedule them ([`crate::ledger::due_payments`], the same
/// schedule the money-in screen checks against), and what came in from it
/// in the period.
fn statement_funding(
    plan: &PlanHistory,
    money_in: &[MoneyIn],
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<StatementFunding>> {
    let in_force = statement_version(plan, to);
    let mut funding: Vec<StatementFunding> = Vec::new();
    for version in std::iter::once(in_force).chain(plan.versions.iter().rev()) {
        for stream in &version.content.streams {
            if funding.iter().any(|f| f.source == stream.funder_name) {
                continue;
            }
            funding.push(StatementFunding {
                source: stream.funder_name.clone(),
                kind: format!(
                    "{}, {}",
                    stream.funder.label(),
                    lower_first(stream.management.label())
                ),
                working: stream_working(stream, plan.start_date, plan.end_date)?,
                for_year: Money::ZERO,
                due_in_period: Money::ZERO,
                received_in_period: Money::ZERO,
            });
        }
    }
    let add = |total: &mut Money, amount: Money| -> Result<()> {
        *total = total.checked_add(amount).ok_or(Error::Overflow)?;
        Ok(())
    };
    for due in crate::ledger::due_payments(plan) {
        if let Some(f) = funding.iter_mut().find(|f| f.source == due.source) {
            add(&mut f.for_year, due.amount)?;
            if (from..=to).contains(&due.due_on) {
                add(&mut f.due_in_period, due.amount)?;
            }
        }
    }
    for entry in money_in
        .iter()
        .filter(|entry| entry.voided.is_none() && (from..=to).contains(&entry.received_on))
    {
        if let Some(f) = funding.iter_mut().find(|f| f.source == entry.source) {
            add(&mut f.received_in_period, entry.amount)?;
        }
    }
    Ok(funding)
}

/// What each revision in force by `to` changed from the version before.
fn revision_summaries(plan: &PlanHistory, to: NaiveDate) -> Result<Vec<RevisionSummary>> {
    plan.versions
        .windows(2)
        .filter(|pair| pair[1].effective_from <= to)
        .map(|pair| {
            Ok(RevisionSummary {
                number: pair[1].number,
                effective_from: pair[1].effective_from,
                reason: pair[1].reason.clone(),
                agreement: agreement_words(&pair[1].content),
                changes: plan_changes(plan, &pair[0].content, &pair[1].content)?,
            })
        })
        .collect()
}

const NOT_IN_PLAN: &str = "Not in the plan";
const TAKEN_OUT: &str = "Taken out";

/// The changes from `before` to `after`, line by line, each stated for a
/// full plan period as versions state their figures.
pub fn plan_changes(
    plan: &PlanHistory,
    before: &PlanContent,
    after: &PlanContent,
) -> Result<Vec<PlanChange>> {
    let (start, end) = (plan.start_date, plan.end_date);
    let mut changes = Vec::new();
    let mut change = |what: String, before: String, after: String| {
        if before != after {
            changes.push(PlanChange {
                what,
                before,
                after,
            });
        }
    };
    let stream_words = |stream: &crate::plan::FundingStream| -> Result<String> {
        Ok(format!(
            "{} for the plan ({})",
            stream_total(stream, start, end)?,
            stream_working(stream, start, end)?
        ))
    };
    for stream in &after.streams {
        let old = before
            .streams
            .iter()
            .find(|old| old.funder_name == stream.funder_name);
        let was = match old {
            Some(old) => stream_words(old)?,
            None => NOT_IN_PLAN.into(),
        };
        change(
            format!("Funding from {}", stream.funder_name),
            was,
            stream_words(stream)?,
        );
    }
    for old in &before.streams {
        if !after
            .streams
            .iter()
            .any(|s| s.funder_name == old.funder_name)
        {
            change(
                format!("Funding from {}", old.funder_name),
                stream_words(old)?,
                TAKEN_OUT.into(),
            );
        }
    }
    let line_words = |line: &crate::plan::BudgetLine| -> Result<String> {
        let working = line_working(&line.costing, start, end);
        let cost = line_cost(&line.costing, start, end)?;
        let mut words = if working == format!("{cost} for the plan") {
            working
        } else {
            format!("{working}: {cost}")
        };
        if line.pattern != SpendingPattern::Even {
            words.push_str(&format!("; {}", lower_first(line.pattern.label())));
        }
        Ok(words)
    };
    for line in &after.lines {
        let old = before
            .lines
            .iter()
            .find(|old| old.key.is_some() && old.key == line.key);
        match old {
            Some(old) => {
                if old.description != line.description {
                    change(
                        "A line renamed".into(),
                        old.description.clone(),
                        line.description.clone(),
                    );
                }
                change(
                    line.description.clone(),
                    line_words(old)?,
                    line_words(line)?,
                );
                if old.flexibility != line.flexibility {
                    change(
                        format!("{}: can money move?", line.description),
                        old.flexibility.label().into(),
                        line.flexibility.label().into(),
                    );
                }
            }
            None => change(
                line.description.clone(),
                NOT_IN_PLAN.into(),
                line_words(line)?,
            ),
        }
    }
    for old in &before.lines {
        if !after
            .lines
            .iter()
            .any(|line| line.key.is_some() && line.key == old.key)
        {
            change(old.description.clone(), line_words(old)?, TAKEN_OUT.into());
        }
    }
    for outcome in &after.outcomes {
        if !before.outcomes.contains(outcome) {
            change("An outcome".into(), NOT_IN_PLAN.into(), outcome.clone());
        }
    }
    for outcome in &before.outcomes {
        if !after.outcomes.contains(outcome) {
            change("An outcome".into(), outcome.clone(), TAKEN_OUT.into());
        }
    }
    change(
        "All funding, for the plan".into(),
        content_funding(before, start, end)?.to_string(),
        content_funding(after, start, end)?.to_string(),
    );
    change(
        "All budget lines, for the plan".into(),
        content_allocation(before, start, end)?.to_string(),
        content_allocation(after, start, end)?.to_string(),
    );
    Ok(changes)
}

fn exceptions(in_period: &[Payment]) -> Vec<Exception> {
    let mut found = Vec::new();
    for payment in in_period {
        let mut add = |kind, detail: String| {
            found.push(Exception {
                kind,
                paid_on: payment.paid_on,
                payee: payment.payee.clone(),
                amount: payment.amount,
                detail,
            });
        };
        if let Some(void) = &payment.voided {
            add(
                ExceptionKind::Removed,
                format!("Removed by {}: {}", void.by, void.reason),
            );
            continue;
        }
        if payment.lacks_evidence {
            add(
                ExceptionKind::NoEvidence,
                "No evidence, and no reason given".into(),
            );
        }
        if payment.cash_withdrawal {
            add(
                ExceptionKind::Cash,
                if payment.note.is_empty() {
                    "Cash taken out".into()
                } else {
                    format!("Cash taken out: {}", payment.note)
                },
            );
        }
        if let Some(warning) = &payment.warning {
            add(ExceptionKind::OutsideThePlan, warning.explanation.clone());
        }
    }
    found
}

/// The evidence index, grouped by budget line. A payment split across
/// lines is listed once, under "Split across budget lines".
fn evidence_index(in_period: &[Payment], lines: &[StatementLine]) -> Vec<EvidenceGroup> {
    const SPLIT: &str = "Split across budget lines";
    const NO_LINE: &str = "Not on a budget line";
    let mut groups: Vec<EvidenceGroup> = lines
        .iter()
        .map(|line| EvidenceGroup {
            heading: line.description.clone(),
            entries: Vec::new(),
            without_evidence: 0,
        })
        .collect();
    for payment in in_period.iter().filter(|p| p.voided.is_none()) {
        let heading = match payment.splits.as_slice() {
            [only] => lines
                .iter()
                .find(|line| line.key == only.line_key)
                .map_or(NO_LINE, |line| line.description.as_str()),
            [] => NO_LINE,
            _ => SPLIT,
        };
        let index = match groups.iter().position(|g| g.heading == heading) {
            Some(index) => index,
            None => {
                groups.push(EvidenceGroup {
                    heading: heading.to_owned(),
                    entries: Vec::new(),
                    without_evidence: 0,
                });
                groups.len() - 1
            }
        };
        let group = &mut groups[index];
        if payment.lacks_evidence {
            group.without_evidence += 1;
            continue;
        }
        group.entries.push(EvidenceEntry {
            paid_on: payment.paid_on,
            payee: payment.payee.clone(),
            amount: payment.amount,
            files: payment
                .evidence
                .iter()
                .map(|e| format!("{}: {}", e.kind.label(), e.file_name))
                .collect(),
            no_evidence_reason: payment.no_evidence_reason.clone(),
        });
    }
    groups.retain(|g| !g.entries.is_empty() || g.without_evidence > 0);
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    /// A year's plan revised on 1 October, when an outcome was added.
    fn revised_plan() -> PlanHistory {
        use crate::model::{HolderId, PlanId};
        use crate::plan::{PlanContent, PlanStatus, VersionId};
        let version =
            |number: u32, from: NaiveDate, to: NaiveDate, outcomes: &[&str]| PlanVersion {
                id: VersionId(i64::from(number)),
                number,
                effective_from: from,
                effective_to: to,
                reason: String::new(),
                created_by: None,
                created_at: String::new(),
                content: PlanContent {
                    streams: vec![],
                    outcomes: outcomes.iter().map(|o| o.to_string()).collect(),
                    lines: vec![],
                    reviews: vec![],
                    status: PlanStatus::Agreed,
                    agreed_on: None,
                    agreed_by: String::new(),
                },
            };
        PlanHistory {
            plan_id: PlanId(1),
            holder_id: HolderId(1),
            name: "Plan".into(),
            start_date: date(2026, 4, 1),
            end_date: date(2027, 3, 31),
            versions: vec![
                version(1, date(2026, 4, 1), date(2026, 9, 30), &["Walk the dog"]),
                version(
                    2,
                    date(2026, 10, 1),
                    date(2027, 3, 31),
                    &["Walk the dog", "See friends"],
                ),
            ],
        }
    }

    #[test]
    fn the_outcomes_offered_are_those_of_the_version_at_the_periods_end() {
        let plan = revised_plan();
        let outcomes = |to: &str| outcomes_for_period_end(&plan, to).unwrap();
        assert_eq!(outcomes("30/9/2026"), ["Walk the dog"]);
        assert_eq!(outcomes("1/10/2026"), ["Walk the dog", "See friends"]);
        // Kept inside the plan, as the statement's period is.
        assert_eq!(outcomes("1/1/2030"), ["Walk the dog", "See friends"]);
        assert_eq!(outcomes("1/1/2026"), ["Walk the dog"]);
    }

    #[test]
    fn a_period_end_that_is_not_a_date_is_refused_plainly() {
        let plan = revised_plan();
        for typed in ["", "31/13/2026", "soon"] {
            match outcomes_for_period_end(&plan, typed) {
                Err(Error::Invalid { field, message }) => {
                    assert_eq!(field, "to");
                    assert!(message.contains("date"), "{message}");
                }
                other => panic!("{typed:?}: {other:?}"),
            }
        }
    }

    #[test]
    fn the_choices_include_the_plans_quarters_and_since_its_last_review() {
        use crate::plan::{Review, ReviewKind};
        let mut plan = revised_plan();
        plan.versions[1].content.reviews = vec![
            Review {
                kind: ReviewKind::ThreeMonth,
                due_on: date(2026, 7, 1),
            },
            Review {
                kind: ReviewKind::Other,
                due_on: date(2026, 10, 15),
            },
            Review {
                kind: ReviewKind::Annual,
                due_on: date(2027, 3, 31),
            },
        ];
        let choices = period_choices(&plan, date(2026, 11, 25));
        let find = |label: &str| {
            choices
                .iter()
                .find(|choice| choice.label == label)
                .map(|choice| (choice.from, choice.to))
        };
        assert_eq!(
            find("Since the other review on 15 Oct 2026"),
            Some((date(2026, 10, 15), date(2026, 11, 25)))
        );
        assert_eq!(
            find("Quarter 1 of the plan"),
            Some((date(2026, 4, 1), date(2026, 6, 30)))
        );
        assert_eq!(
            find("Quarter 3 of the plan"),
            Some((date(2026, 10, 1), date(2026, 12, 31)))
        );
        assert_eq!(find("Quarter 4 of the plan"), None, "not begun yet");
        // At the plan's end, the last quarter ends with it (there, the
        // same days as "the last 3 months", so offered once).
        let at_end = period_choices(&plan, date(2027, 6, 1));
        assert!(at_end
            .iter()
            .any(|choice| (choice.from, choice.to) == (date(2027, 1, 1), date(2027, 3, 31))));
        assert!(at_end
            .iter()
            .any(|choice| choice.label == "Quarter 3 of the plan"));
        // No two choices cover the same days.
        for (i, a) in at_end.iter().enumerate() {
            for b in &at_end[i + 1..] {
                assert!((a.from, a.to) != (b.from, b.to), "{a:?} and {b:?}");
            }
        }
    }
}
