//! Whether the records agree with the account, on a day the account's
//! balance is known, and if not, what does not.

use std::collections::HashSet;

use chrono::NaiveDate;
use serde::Serialize;
use ts_rs::TS;

use crate::matching::{telling_words, MATCH_WINDOW_DAYS};
use crate::AccountLine;
use careledger_domain::account::PairedWith;
use careledger_domain::error::{Error, Result};
use careledger_domain::ledger::{MoneyIn, Payment};
use careledger_domain::money::Money;

/// A record (a payment or money in) as the reconciliation lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RecordedEntry {
    /// The record.
    pub record: PairedWith,
    /// The day recorded.
    pub date: NaiveDate,
    /// Who was paid, or who it came from.
    pub who: String,
    /// Paid in (positive) or out (negative).
    pub amount: Money,
}

/// A statement line and a record that look like the same money but whose
/// amounts differ.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AmountDiffers {
    /// What the account says.
    pub line: AccountLine,
    /// What was recorded.
    pub record: RecordedEntry,
}

/// The records against the account on one day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Reconciliation {
    /// The day.
    pub on: NaiveDate,
    /// The account's balance that day, as its statement says.
    pub account_balance: Money,
    /// Money in less money out, as recorded, up to that day.
    pub records_balance: Money,
    /// Whether they agree and nothing below is listed.
    pub agrees: bool,
    /// In the account but not recorded.
    pub not_recorded: Vec<AccountLine>,
    /// Recorded but not in the account.
    pub not_in_account: Vec<RecordedEntry>,
    /// The same money with different amounts.
    pub amounts_differ: Vec<AmountDiffers>,
}

/// Reconciles the records with the account on `on`, when its balance was
/// `account_balance`. `lines` are the account's lines imported so far,
/// each with the record it was paired with; only those up to `on`, and
/// records up to `on`, are counted. Removed records are left out.
pub fn reconcile(
    on: NaiveDate,
    account_balance: Money,
    lines: &[(AccountLine, Option<PairedWith>)],
    payments: &[Payment],
    money_in: &[MoneyIn],
) -> Result<Reconciliation> {
    let mut recorded: Vec<RecordedEntry> = payments
        .iter()
        .filter(|p| p.voided.is_none() && p.paid_on <= on)
        .map(|p| RecordedEntry {
            record: PairedWith::Payment { entry_key: p.key },
            date: p.paid_on,
            who: p.payee.clone(),
            amount: Money::from_pence(-p.amount.pence()),
        })
        .chain(
            money_in
                .iter()
                .filter(|m| m.voided.is_none() && m.received_on <= on)
                .map(|m| RecordedEntry {
                    record: PairedWith::MoneyIn { entry_key: m.key },
                    date: m.received_on,
                    who: m.source.clone(),
                    amount: m.amount,
                }),
        )
        .collect();
    recorded.sort_by_key(|entry| entry.date);
    let records_balance =
        Money::checked_sum(recorded.iter().map(|entry| entry.amount)).ok_or(Error::Overflow)?;
    let paired: HashSet<PairedWith> = lines
        .iter()
        .filter(|(line, _)| line.date <= on)
        .filter_map(|(_, key)| *key)
        .collect();
    let mut not_recorded: Vec<AccountLine> = lines
        .iter()
        .filter(|(line, key)| {
            line.date <= on && key.is_none_or(|key| !recorded.iter().any(|r| r.record == key))
        })
        .map(|(line, _)| line.clone())
        .collect();
    let mut not_in_account: Vec<RecordedEntry> = recorded
        .iter()
        .filter(|entry| !paired.contains(&entry.record))
        .cloned()
        .collect();
    // A line and a record of the same money, left unpaired (a payment
    // typed in after its line was imported), are no difference at all.
    not_recorded.retain(|line| {
        let same = not_in_account.iter().position(|entry| {
            entry.amount == line.amount
                && (entry.date - line.date).num_days().abs() <= MATCH_WINDOW_DAYS
        });
        match same {
            Some(at) => {
                not_in_account.remove(at);
                false
            }
            None => true,
        }
    });
    // A line and a record alike in all but amount are one difference, not
    // two gaps.
    let mut amounts_differ = Vec::new();
    not_recorded.retain(|line| {
        let words = telling_words(&line.description);
        let alike = not_in_account.iter().position(|entry| {
            (entry.date - line.date).num_days().abs() <= MATCH_WINDOW_DAYS
                && (entry.amount.pence() < 0) == (line.amount.pence() < 0)
                && telling_words(&entry.who)
                    .iter()
                    .any(|word| words.contains(word))
        });
        match alike {
            Some(at) => {
                amounts_differ.push(AmountDiffers {
                    line: line.clone(),
                    record: not_in_account.remove(at),
                });
                false
            }
            None => true,
        }
    });
    let agrees = records_balance == account_balance
        && not_recorded.is_empty()
        && not_in_account.is_empty()
        && amounts_differ.is_empty();
    Ok(Reconciliation {
        on,
        account_balance,
        records_balance,
        agrees,
        not_recorded,
        not_in_account,
        amounts_differ,
    })
}
