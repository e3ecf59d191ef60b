//! Checking forms: text as typed in, values core can store out.
//!
//! A form that fails its checks produces an [`Error::Invalid`] naming the
//! field and saying, in plain English, what to do; nothing is written.

use chrono::NaiveDate;

use crate::error::{Error, Result};
use crate::input::{format_date, optional_text, parse_date, parse_nhs_number, required_text};
use crate::model::{NewHolder, NewPerson, NewSpending, Plan};
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
    /// Date of birth, not in the future.
    pub date_of_birth: Option<NaiveDate>,
    /// A valid NHS number, written "943 476 5919".
    pub nhs_number: Option<String>,
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
}

impl NewPerson {
    /// Checks the form, giving the trimmed name.
    pub fn check(&self) -> Result<String> {
        required_text("name", "your name", &self.name, MAX_NAME_CHARS)
    }
}

impl NewHolder {
    /// Checks the form on `today` (a date of birth cannot be after it).
    pub fn check(&self, today: NaiveDate) -> Result<CheckedHolder> {
        let name = required_text("name", "the person's name", &self.name, MAX_NAME_CHARS)?;
        let date_of_birth = if self.date_of_birth.trim().is_empty() {
            None
        } else {
            let date = parse_date("dateOfBirth", &self.date_of_birth)?;
            if date > today {
                return Err(Error::invalid(
                    "dateOfBirth",
                    format!(
                        "{} is in the future. Check the date of birth.",
                        format_date(date)
                    ),
                ));
            }
            Some(date)
        };
        let nhs_number = if self.nhs_number.trim().is_empty() {
            None
        } else {
            Some(parse_nhs_number("nhsNumber", &self.nhs_number)?)
        };
        Ok(CheckedHolder {
            name,
            date_of_birth,
            nhs_number,
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
        Ok(CheckedSpending {
            paid_on,
            payee,
            amount,
            note,
        })
    }
}
