//! The account's own statement lines as Careledger keeps them once
//! imported: what the bank said, and which record each line is.

use chrono::NaiveDate;
use serde::Serialize;
use ts_rs::TS;

use crate::ledger::{CheckedMoneyIn, CheckedPayment, EntryKey};
use crate::money::Money;

/// Which record a statement line is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize, TS)]
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
    /// The record to make of it, when none was found and the person said
    /// what it is: kept with the line, and the line paired with it.
    pub makes: Option<NewRecord>,
}

/// A record made from a statement line as it is kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NewRecord {
    /// A payment, checked against the plan.
    Payment(CheckedPayment),
    /// Money in, checked against the plan.
    MoneyIn(CheckedMoneyIn),
}

/// A check of the records against the account: the account's balance on a
/// day, as its statement gave it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AccountCheck {
    /// The day.
    pub on: NaiveDate,
    /// The balance the account's statement gave that day.
    pub balance: Money,
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

/// What the records and the account's own statement disagree on, as a
/// review statement lists it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum DifferenceKind {
    /// In the account but not recorded.
    NotRecorded,
    /// Recorded but not in the account.
    NotInAccount,
    /// The same money with different amounts.
    AmountDiffers,
}

impl DifferenceKind {
    /// The words a statement uses for it.
    pub fn words(self) -> &'static str {
        match self {
            DifferenceKind::NotRecorded => "In the account, not recorded",
            DifferenceKind::NotInAccount => "Recorded, not in the account",
            DifferenceKind::AmountDiffers => "Amounts differ",
        }
    }
}

/// One difference between the records and the account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AccountDifference {
    /// What kind of difference.
    pub kind: DifferenceKind,
    /// The kind in the statement's words.
    pub what: String,
    /// The day (the account's, where the account has it).
    pub date: NaiveDate,
    /// The account's words, or who the record says.
    pub description: String,
    /// What the account says, paid in (positive) or out (negative).
    pub in_account: Option<Money>,
    /// What the records say, paid in (positive) or out (negative).
    pub recorded: Option<Money>,
}

/// How the records stood against the account's own statement, on the
/// latest day they were checked, for a review statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AccountAgreement {
    /// The day of the account's statement.
    pub on: NaiveDate,
    /// The balance the account's statement gave that day.
    pub account_balance: Money,
    /// Money in less money out, as recorded, up to that day.
    pub records_balance: Money,
    /// Whether they agree, with nothing listed below.
    pub agrees: bool,
    /// What does not agree, in date order.
    pub differences: Vec<AccountDifference>,
    /// The statement's sentence: "Agrees with the account statement of
    /// 30 Nov 2026: £1,733.54." or what the two balances are.
    pub sentence: String,
}

impl AccountAgreement {
    /// The check of `on` with its sentence; they agree when the balances
    /// do and nothing differs.
    pub fn new(
        on: NaiveDate,
        account_balance: Money,
        records_balance: Money,
        differences: Vec<AccountDifference>,
    ) -> AccountAgreement {
        let agrees = account_balance == records_balance && differences.is_empty();
        let day = crate::input::format_date(on);
        let sentence = if agrees {
            format!("Agrees with the account statement of {day}: {account_balance}.")
        } else {
            format!(
                "Does not agree with the account statement of {day}: the account says {account_balance} and the records say {records_balance}."
            )
        };
        AccountAgreement {
            on,
            account_balance,
            records_balance,
            agrees,
            differences,
            sentence,
        }
    }
}
