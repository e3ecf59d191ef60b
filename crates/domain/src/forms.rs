//! Checking forms: text as typed in, values core can store out.
//!
//! A form that fails its checks produces an [`Error::Invalid`] naming the
//! field and saying, in plain English, what to do; nothing is written.

use chrono::NaiveDate;

use crate::error::{Error, Result};
use crate::input::{format_date, parse_date, parse_nhs_number, required_text};
use crate::model::{NewHolder, NewPerson};
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

/// Reads a date that must fall inside the plan and not after `today`:
/// the day a payment was made or money arrived.
pub fn date_in_plan(
    field: &str,
    text: &str,
    plan_start: NaiveDate,
    plan_end: NaiveDate,
    today: NaiveDate,
) -> Result<NaiveDate> {
    let date = parse_date(field, text)?;
    if date < plan_start || date > plan_end {
        return Err(Error::invalid(
            field,
            format!(
                "{} is outside the plan, which runs from {} to {}. Enter a date inside the plan.",
                format_date(date),
                format_date(plan_start),
                format_date(plan_end)
            ),
        ));
    }
    if date > today {
        return Err(Error::invalid(
            field,
            format!(
                "{} is in the future. Record it on or after the day it happens.",
                format_date(date)
            ),
        ));
    }
    Ok(date)
}

/// Reads an amount that must be more than £0.00.
pub fn positive_money(field: &str, text: &str) -> Result<Money> {
    let amount = Money::parse(text).map_err(|error| Error::invalid_money(field, error))?;
    if amount == Money::ZERO {
        return Err(Error::invalid(field, "Enter an amount of more than £0.00."));
    }
    Ok(amount)
}
/// Reads a surplus limit as typed: whole weeks, 1 to 52.
pub fn check_surplus_limit_weeks(text: &str) -> Result<u32> {
    text.trim()
        .parse()
        .ok()
        .filter(|weeks| (1..=52).contains(weeks))
        .ok_or_else(|| {
            Error::invalid(
                "surplusLimitWeeks",
                "Enter a whole number of weeks from 1 to 52, for example 8.",
            )
        })
}
