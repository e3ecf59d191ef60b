//! The account's own statement lines as Careledger keeps them once
//! imported: what the bank said, and which record each line is.

use chrono::NaiveDate;
use serde::Serialize;
use ts_rs::TS;

use crate::ledger::EntryKey;
use crate::money::Money;

/// Which record a statement line is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, TS)]
#[serde(
    tag = "kind",
    rename_all = "snake_case",
    rename_all_fields = "camelCase"
)]
pub enum PairedWith {
    /// A recorded payment, by its entry key.
    Payment {
        /// The payment.
        entry_key: EntryKey,
    },
    /// Recorded money in.
    MoneyIn {
        /// The money in.
        entry_key: EntryKey,
    },
}

/// A statement line to keep: checked and fingerprinted by the importer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAccountLine {
    /// What tells it from every other line of the account, so it is never
    /// kept twice.
    pub fingerprint: String,
    /// The day it went through the account.
    pub date: NaiveDate,
    /// The bank's words for it.
    pub description: String,
    /// Paid in (positive) or out (negative); never zero.
    pub amount: Money,
    /// The balance after it, where the bank gave one.
    pub balance: Option<Money>,
    /// The record it is, if one was found.
    pub paired_with: Option<PairedWith>,
}

/// A statement line as kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct KeptAccountLine {
    /// Its fingerprint.
    pub fingerprint: String,
    /// The day it went through the account.
    pub date: NaiveDate,
    /// The bank's words for it.
    pub description: String,
    /// Paid in (positive) or out (negative).
    pub amount: Money,
    /// The balance after it, where the bank gave one.
    pub balance: Option<Money>,
    /// The record it is, if one was found.
    pub paired_with: Option<PairedWith>,
    /// The file it came from.
    pub file_name: String,
    /// Who imported it.
    pub imported_by: String,
}
