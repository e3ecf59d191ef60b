//! Reading a bank's or a prepaid card's statement file into account lines.
//!
//! Direct-payment holders have their account's own export: CSV from a UK
//! bank or the prepaid-card services councils and ICBs use, or OFX/QFX.
//! This crate turns the file's bytes into [`AccountLine`]s and nothing
//! more: no database, no matching. It works out what it can (the text
//! encoding, the delimiter, the header row, the date format, which columns
//! hold what), says what it found as a [`CsvLayout`] that a person can
//! confirm or change, and refuses a file it cannot read with the row and
//! what is wrong.

mod amounts;
mod csv_file;
mod dates;
mod matching;
mod ofx;
mod reconcile;
mod text;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub use amounts::parse_amount;
pub use csv_file::{read_csv, sniff_csv, AmountColumns, CsvLayout, SniffedCsv};
pub use dates::DateFormat;
pub use matching::{
    propose, telling_words, LineMatch, PayeeRule, ProposedLine, Records, MATCH_WINDOW_DAYS,
};
pub use ofx::read_ofx;
pub use reconcile::{reconcile, AmountDiffers, Reconciliation, RecordedEntry};
pub use text::{decode, TextEncoding};

use careledger_domain::error::{Error, Result};
use careledger_domain::money::Money;

/// The largest statement file read: a year of daily card payments is well
/// under a megabyte, so anything near this is not a statement.
pub const MAX_FILE_BYTES: usize = 20 * 1024 * 1024;

/// One line of an account statement: money in (positive) or out (negative).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AccountLine {
    /// Where it was in the file: the line number of a CSV row (1 for the
    /// first line), or the position of an OFX transaction (1 for the first).
    pub row: u32,
    /// The day it went through the account.
    pub date: NaiveDate,
    /// The bank's words for it: the payee and any reference.
    pub description: String,
    /// Paid in (positive) or paid out (negative).
    pub amount: Money,
    /// The balance after it, where the file gives one.
    pub balance: Option<Money>,
    /// The bank's own id for it (OFX `FITID`), where there is one.
    pub bank_id: Option<String>,
}

/// What kind of statement file the bytes are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum FileKind {
    /// Comma-, semicolon- or tab-separated rows.
    Csv,
    /// Open Financial Exchange (also Quicken's QFX).
    Ofx,
}

/// Refuses what cannot be a statement before anything else looks at it:
/// an empty file, one too big, or one with the zero bytes only a binary
/// file (a photo, a spreadsheet, a PDF) has. Then says which kind it is.
pub fn file_kind(bytes: &[u8]) -> Result<FileKind> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(not_readable("The file is empty."));
    }
    if bytes.len() > MAX_FILE_BYTES {
        return Err(not_readable(format!(
            "The file is {} MB; a statement is much smaller. Choose the statement file your bank or card service gave you.",
            bytes.len() / (1024 * 1024)
        )));
    }
    if bytes.contains(&0) {
        return Err(not_readable(
            "This is not a statement file Careledger can read: it is not text. Save the statement from your bank or card service as CSV or OFX.",
        ));
    }
    let start = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]).to_ascii_uppercase();
    if start.contains("OFXHEADER") || start.contains("<OFX>") {
        Ok(FileKind::Ofx)
    } else {
        Ok(FileKind::Csv)
    }
}

/// An account line's fingerprint, for files without the bank's own ids:
/// its date, amount and description (spaces and case tidied), and which of
/// the identical lines in the file it is (two £2.50 bus fares on one day
/// are two lines). Importing the same lines again gives the same prints.
pub fn fingerprints(lines: &[AccountLine]) -> Vec<String> {
    let mut seen: std::collections::HashMap<String, u32> = std::collections::HashMap::new();
    lines
        .iter()
        .map(|line| {
            if let Some(id) = &line.bank_id {
                return format!("id:{id}");
            }
            let words = line
                .description
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase();
            let base = format!("{}|{}|{words}", line.date, line.amount.pence());
            let count = seen.entry(base.clone()).or_insert(0);
            *count += 1;
            format!("{base}|{count}")
        })
        .collect()
}

fn not_readable(message: impl Into<String>) -> Error {
    Error::invalid("file", message)
}

/// A problem on one row of the file, said with its line number.
fn row_problem(row: u32, message: impl std::fmt::Display) -> Error {
    not_readable(format!("Line {row} of the file: {message}"))
}
