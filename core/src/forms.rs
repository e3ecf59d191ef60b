//! Checking forms: text as typed in, values core can store out.
//!
//! A form that fails its checks produces an [`Error::Invalid`] naming the
//! field and saying, in plain English, what to do; nothing is written.

use chrono::NaiveDate;

use crate::error::{Error, Result};
use crate::input::{format_date, optional_text, parse_date, required_text};
use crate::model::{NewHolder, NewPlan, NewSpending, Plan};
use crate::money::Money;

/// Longest name for a person or plan.
pub const MAX_NAME_CHARS: usize = 100;
/// Longest payee.
pub const MAX_PAYEE_CHARS: usize = 200;
/// Longest note on a payment.
pub const MAX_NOTE_CHARS: usize = 2_000;

/// A holder ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedHolder {
    /// The trimmed name.
    pub name: String,
}

/// A plan ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedPlan {
    /// The trimmed name.
    pub name: String,
    /// First day.
    pub start_date: NaiveDate,
    /// Last day, after the first.
    pub end_date: NaiveDate,
    /// The budget, zero or more.
    pub total_budget: Money,
}

/// A payment ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedSpending {
    /// A day inside the plan period and not in the future.
    pub paid_on: NaiveDate,
    /// Who was paid.
    pub payee: String,
    /// More than zero.
    pub amount: Money,
    /// Possibly empty.
    pub note: String,
    /// Who recorded it.
    pub recorded_by: String,
}

impl NewHolder {
    /// Checks the form.
    pub fn check(&self) -> Result<CheckedHolder> {
        Ok(CheckedHolder {
            name: required_text("name", "the person's name", &self.name, MAX_NAME_CHARS)?,
        })
    }
}

impl NewPlan {
    /// Checks the form.
    pub fn check(&self) -> Result<CheckedPlan> {
        let name = required_text("name", "a name for the plan", &self.name, MAX_NAME_CHARS)?;
        let start_date = parse_date("startDate", &self.start_date)?;
        let end_date = parse_date("endDate", &self.end_date)?;
        if end_date <= start_date {
            return Err(Error::invalid(
                "endDate",
                format!(
                    "The plan must end after it starts. It starts on {}; enter a later end date.",
                    format_date(start_date)
                ),
            ));
        }
        let total_budget = Money::parse(&self.total_budget)
            .map_err(|error| Error::invalid_money("totalBudget", error))?;
        Ok(CheckedPlan {
            name,
            start_date,
            end_date,
            total_budget,
        })
    }
}

impl NewSpending {
    /// Checks the form for a payment against `plan`, on `today`.
    pub fn check(&self, plan: &Plan, today: NaiveDate) -> Result<CheckedSpending> {
        let paid_on = parse_date("paidOn", &self.paid_on)?;
        if paid_on < plan.start_date || paid_on > plan.end_date {
            return Err(Error::invalid(
                "paidOn",
                format!(
                    "{} is outside the plan, which runs from {} to {}. Enter a date inside the plan.",
                    format_date(paid_on),
                    format_date(plan.start_date),
                    format_date(plan.end_date)
                ),
            ));
        }
        if paid_on > today {
            return Err(Error::invalid(
                "paidOn",
                format!(
                    "{} is in the future. Record a payment on or after the day it is made.",
                    format_date(paid_on)
                ),
            ));
        }
        let payee = required_text("payee", "who was paid", &self.payee, MAX_PAYEE_CHARS)?;
        let amount =
            Money::parse(&self.amount).map_err(|error| Error::invalid_money("amount", error))?;
        if amount == Money::ZERO {
            return Err(Error::invalid(
                "amount",
                "Enter an amount of more than £0.00.",
            ));
        }
        let note = optional_text("note", "the note", &self.note, MAX_NOTE_CHARS, true)?;
        let recorded_by =
            required_text("recordedBy", "your name", &self.recorded_by, MAX_NAME_CHARS)?;
        Ok(CheckedSpending {
            paid_on,
            payee,
            amount,
            note,
            recorded_by,
        })
    }
}
