//! Regular payments, such as a personal assistant's wages every 4 weeks or
//! a monthly gym fee: set once, then each due payment is proposed for a
//! person to confirm or skip. Nothing is paid without a person saying so.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::forms::{date_in_plan, positive_money, MAX_NOTE_CHARS, MAX_PAYEE_CHARS};
use crate::input::{format_date, optional_text, required_text};
use crate::ledger::{CheckedPayment, HowPaid, LineKey, Split};
use crate::model::PersonId;
use crate::money::Money;
use crate::plan::{Frequency, PlanHistory};

/// Identifies a regular payment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[ts(type = "number")]
pub struct RecurringId(pub i64);

/// A regular payment as typed.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RecurringDraft {
    /// Who is paid.
    pub payee: String,
    /// How much each time.
    pub amount: String,
    /// The budget line it is for.
    pub line_key: LineKey,
    /// How it is paid.
    pub how_paid: HowPaid,
    /// How often.
    pub every: Frequency,
    /// The first day it is due, as typed.
    pub first_due: String,
    /// A note for each payment.
    pub note: String,
    /// Why its payments have no receipt, if they never do (a standing
    /// order to a PA who gives none): each payment it makes carries it.
    pub no_evidence_reason: String,
    /// Who is setting it up.
    pub recorded_by: PersonId,
}

/// A regular payment as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Recurring {
    /// Its id.
    pub id: RecurringId,
    /// Who is paid.
    pub payee: String,
    /// How much each time.
    pub amount: Money,
    /// The line.
    pub line_key: LineKey,
    /// How paid.
    pub how_paid: HowPaid,
    /// How often.
    pub every: Frequency,
    /// The first due day.
    pub first_due: NaiveDate,
    /// A note.
    pub note: String,
    /// Why its payments have no receipt; may be empty.
    pub no_evidence_reason: String,
    /// Who set it up.
    pub created_by: String,
    /// Whether it has been stopped.
    pub stopped: bool,
}

/// A payment a regular payment says is due, waiting for a person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DueProposal {
    /// The regular payment.
    pub recurring_id: RecurringId,
    /// The day it is due.
    pub due_on: NaiveDate,
    /// Who is paid.
    pub payee: String,
    /// How much.
    pub amount: Money,
    /// The line.
    pub line_key: LineKey,
}

/// A regular payment checked against its plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedRecurring {
    /// Who is paid.
    pub payee: String,
    /// How much.
    pub amount: Money,
    /// A line of the version in force on `first_due`.
    pub line_key: LineKey,
    /// How paid.
    pub how_paid: HowPaid,
    /// Weekly to yearly.
    pub every: Frequency,
    /// Inside the plan.
    pub first_due: NaiveDate,
    /// Possibly empty.
    pub note: String,
    /// Possibly empty.
    pub no_evidence_reason: String,
}

/// Whether a regular payment can be made this often: any frequency but
/// "one-off", which is a single payment, logged as money spent.
pub fn can_repeat(every: Frequency) -> bool {
    every != Frequency::OneOff
}

impl RecurringDraft {
    /// Checks the regular payment against the plan. Its first due day may
    /// be in the past (catching up) but not after the plan ends.
    pub fn check(&self, plan: &PlanHistory) -> Result<CheckedRecurring> {
        let payee = required_text("payee", "who is paid", &self.payee, MAX_PAYEE_CHARS)?;
        let amount = positive_money("amount", &self.amount)?;
        if !can_repeat(self.every) {
            return Err(Error::invalid(
                "every",
                "Choose how often it is paid. For a single payment, log it as money spent.",
            ));
        }
        let first_due = date_in_plan(
            "firstDue",
            &self.first_due,
            plan.start_date,
            plan.end_date,
            plan.end_date,
        )?;
        let version = plan.version_on(first_due);
        if !version
            .content
            .lines
            .iter()
            .any(|line| line.key == Some(self.line_key))
        {
            return Err(Error::invalid(
                "lineKey",
                format!(
                    "That line is not in the plan in force on {}. Choose one of its lines.",
                    format_date(first_due)
                ),
            ));
        }
        let note = optional_text("note", "the note", &self.note, MAX_NOTE_CHARS, true)?;
        let no_evidence_reason = optional_text(
            "noEvidenceReason",
            "why there is no receipt",
            &self.no_evidence_reason,
            crate::ledger::MAX_REASON_CHARS,
            true,
        )?;
        Ok(CheckedRecurring {
            payee,
            amount,
            line_key: self.line_key,
            how_paid: self.how_paid,
            every: self.every,
            first_due,
            note,
            no_evidence_reason,
        })
    }
}

impl Recurring {
    /// The payment this regular payment makes on `due_on`, checked against
    /// the plan: its line must be one of the version in force that day (a
    /// revision may have taken it out). Everything else was checked when
    /// the regular payment was set up, so nothing is turned back into text
    /// to be read again.
    pub fn payment_due_on(&self, due_on: NaiveDate, plan: &PlanHistory) -> Result<CheckedPayment> {
        let version = plan.version_on(due_on);
        let in_force = version
            .content
            .lines
            .iter()
            .any(|line| line.key == Some(self.line_key));
        if !in_force || due_on < plan.start_date || due_on > plan.end_date {
            return Err(Error::invalid(
                "recurring",
                format!(
                    "{} is not charged to a line of the plan in force on {} (version {}). Record it as a payment, choosing one of its lines, and skip this one.",
                    self.payee,
                    format_date(due_on),
                    version.number
                ),
            ));
        }
        Ok(CheckedPayment {
            paid_on: due_on,
            payee: self.payee.clone(),
            amount: self.amount,
            how_paid: self.how_paid,
            reference: String::new(),
            cash_withdrawal: false,
            splits: vec![Split {
                line_key: self.line_key,
                amount: self.amount,
            }],
            note: self.note.clone(),
            no_evidence_reason: self.no_evidence_reason.clone(),
        })
    }
}

/// The days a regular payment falls due, from its first up to `until`.
pub fn due_dates(first_due: NaiveDate, every: Frequency, until: NaiveDate) -> Vec<NaiveDate> {
    (0..)
        .map_while(|n| every.nth_from(first_due, n).filter(|date| *date <= until))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn due_dates_step_from_the_first() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        assert_eq!(
            due_dates(d(2026, 4, 28), Frequency::FourWeekly, d(2026, 6, 23)),
            [d(2026, 4, 28), d(2026, 5, 26), d(2026, 6, 23)]
        );
        assert_eq!(
            due_dates(d(2026, 1, 31), Frequency::Monthly, d(2026, 3, 31)),
            [d(2026, 1, 31), d(2026, 2, 28), d(2026, 3, 31)]
        );
        assert!(due_dates(d(2026, 5, 1), Frequency::Weekly, d(2026, 4, 30)).is_empty());
    }

    #[test]
    fn a_due_payment_is_checked_against_the_version_in_force_that_day() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        use crate::ids::{HolderId, PlanId};
        use crate::plan::{PlanContent, PlanHistory, PlanStatus, PlanVersion, VersionId};
        let with_lines = |keys: &[i64]| PlanContent {
            streams: vec![],
            outcomes: vec![],
            lines: keys
                .iter()
                .map(|&key| crate::plan::BudgetLine {
                    key: Some(LineKey(key)),
                    category: crate::plan::Category::Other,
                    description: format!("Line {key}"),
                    provider: String::new(),
                    costing: crate::plan::Costing::Amount {
                        amount: Money::from_pence(100_000),
                    },
                    flexibility: crate::plan::Flexibility::Flexible,
                    pattern: crate::plan::SpendingPattern::Even,
                    outcomes: vec![],
                })
                .collect(),
            reviews: vec![],
            status: PlanStatus::Agreed,
            agreed_on: None,
            agreed_by: String::new(),
        };
        let version = |number: u32, from, to, keys: &[i64]| PlanVersion {
            id: VersionId(i64::from(number)),
            number,
            effective_from: from,
            effective_to: to,
            reason: String::new(),
            created_by: None,
            created_at: String::new(),
            content: with_lines(keys),
        };
        // Line 2 is taken out from 1 October.
        let plan = PlanHistory {
            plan_id: PlanId(1),
            holder_id: HolderId(1),
            name: "Plan".into(),
            start_date: d(2026, 4, 1),
            end_date: d(2027, 3, 31),
            versions: vec![
                version(1, d(2026, 4, 1), d(2026, 9, 30), &[1, 2]),
                version(2, d(2026, 10, 1), d(2027, 3, 31), &[1]),
            ],
        };
        let wages = Recurring {
            id: RecurringId(1),
            payee: "Joanne Pike".into(),
            amount: Money::from_pence(46_400),
            line_key: LineKey(2),
            how_paid: HowPaid::BankTransfer,
            every: Frequency::FourWeekly,
            first_due: d(2026, 4, 28),
            note: "Wages".into(),
            no_evidence_reason: String::new(),
            created_by: "David Ellis".into(),
            stopped: false,
        };
        let payment = wages.payment_due_on(d(2026, 9, 22), &plan).unwrap();
        assert_eq!(payment.amount, Money::from_pence(46_400));
        assert_eq!(payment.splits[0].line_key, LineKey(2));
        assert_eq!(payment.note, "Wages");
        assert!(matches!(
            wages.payment_due_on(d(2026, 10, 20), &plan),
            Err(Error::Invalid { .. })
        ));
    }
}
