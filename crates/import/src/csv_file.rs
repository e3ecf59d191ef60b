//! CSV statements: working out their layout, then reading their rows.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::amounts::parse_amount;
use crate::dates::DateFormat;
use crate::text::{decode, TextEncoding};
use crate::{not_readable, row_problem, AccountLine};
use careledger_domain::error::Result;
use careledger_domain::money::Money;

/// Where a statement's amounts are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(
    tag = "kind",
    rename_all = "snake_case",
    rename_all_fields = "camelCase"
)]
pub enum AmountColumns {
    /// One column: paid in positive, paid out negative.
    Signed {
        /// The column, counting from 0.
        column: usize,
    },
    /// A column for money paid in and one for money paid out.
    InOut {
        /// Paid in, counting from 0.
        paid_in: usize,
        /// Paid out, counting from 0.
        paid_out: usize,
    },
}

/// How a CSV statement is laid out: what Careledger worked out, for the
/// person to confirm or change, and to keep for the account's next file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CsvLayout {
    /// How the text was written.
    pub encoding: TextEncoding,
    /// What separates the columns: a comma, semicolon, tab or bar.
    pub delimiter: char,
    /// The line of the column names, if the file has one (1 for the first).
    pub header_line: Option<u32>,
    /// The columns' names: the file's own, or "Column 1", "Column 2"….
    pub columns: Vec<String>,
    /// The date's column, counting from 0.
    pub date_column: usize,
    /// How the dates are written.
    pub date_format: DateFormat,
    /// The columns whose words make up the description, in order.
    pub description_columns: Vec<usize>,
    /// Where the amounts are.
    pub amount: AmountColumns,
    /// The balance's column, if there is one.
    pub balance_column: Option<usize>,
    /// Whether a comma marks the pence ("12,34"), as in Europe.
    pub decimal_comma: bool,
}

/// A CSV statement as first read: its layout and its first rows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SniffedCsv {
    /// The layout worked out.
    pub layout: CsvLayout,
    /// The first data rows, cell by cell, as in the file.
    pub sample: Vec<Vec<String>>,
}

/// One CSV record with the line it starts on.
struct Record {
    line: u32,
    cells: Vec<String>,
}

fn records(text: &str, delimiter: char) -> Vec<Record> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter as u8)
        .from_reader(text.as_bytes());
    let mut lines = LineCounter::new(text);
    reader
        .records()
        // A row the csv crate cannot read at all (never seen with
        // flexible rows) is left out; its neighbours still are read.
        .filter_map(std::result::Result::ok)
        .filter(|record| record.iter().any(|cell| !cell.trim().is_empty()))
        .map(|record| Record {
            line: record
                .position()
                .map_or(0, |position| lines.line_at(position.byte())),
            cells: record.iter().map(|cell| cell.trim().to_owned()).collect(),
        })
        .collect()
}

/// The line (1 for the first) a record starting at a byte offset is on.
/// The csv crate's own line count runs a line behind after a CRLF file's
/// blank lines, and people are told line numbers, so they are counted
/// here: records come in order, so only the bytes since the last one are
/// looked at (counting from the start each time made 10,000 lines take
/// seconds). A record's offset may point at the line break before it.
struct LineCounter<'a> {
    bytes: &'a [u8],
    at: usize,
    line: u32,
}

impl<'a> LineCounter<'a> {
    fn new(text: &'a str) -> Self {
        LineCounter {
            bytes: text.as_bytes(),
            at: 0,
            line: 1,
        }
    }

    fn line_at(&mut self, offset: u64) -> u32 {
        let mut target = usize::try_from(offset)
            .unwrap_or(self.bytes.len())
            .min(self.bytes.len());
        while matches!(self.bytes.get(target), Some(b'\r' | b'\n')) {
            target += 1;
        }
        if target < self.at {
            // Records come in order; should one not, count from the start.
            self.at = 0;
            self.line = 1;
        }
        let breaks = self.bytes[self.at..target]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        self.line = self
            .line
            .saturating_add(u32::try_from(breaks).unwrap_or(u32::MAX));
        self.at = target;
        self.line
    }
}

/// The delimiter that gives the most rows of the same width (two or more
/// columns); a comma when nothing does better.
fn detect_delimiter(text: &str) -> (char, Vec<Record>) {
    let mut best: Option<(usize, char, Vec<Record>)> = None;
    for delimiter in [',', ';', '\t', '|'] {
        let rows = records(text, delimiter);
        let mut widths: std::collections::HashMap<usize, usize> = Default::default();
        for row in &rows {
            if row.cells.len() >= 2 {
                *widths.entry(row.cells.len()).or_default() += 1;
            }
        }
        let score = widths.values().copied().max().unwrap_or(0);
        if best.as_ref().is_none_or(|(top, _, _)| score > *top) {
            best = Some((score, delimiter, rows));
        }
    }
    best.map_or((',', Vec::new()), |(_, delimiter, rows)| (delimiter, rows))
}

/// Words a column name has when it holds each thing, most telling first.
const DESCRIPTION_NAMES: [&str; 10] = [
    "transaction description",
    "counter party",
    "name",
    "payee",
    "description",
    "details",
    "narrative",
    "merchant",
    "memo",
    "transaction",
];
/// Words that say more about a line than its payee: kept after it.
const MORE_WORDS_NAMES: [&str; 3] = ["reference", "description", "memo"];
const PAID_IN_NAMES: [&str; 5] = ["paid in", "money in", "credit", "deposit", "receipts"];
const PAID_OUT_NAMES: [&str; 5] = ["paid out", "money out", "debit", "withdrawal", "payments"];

fn find(columns: &[String], names: &[&str], taken: &[usize]) -> Option<usize> {
    names.iter().find_map(|name| {
        columns
            .iter()
            .enumerate()
            .find(|(i, column)| !taken.contains(i) && column.to_lowercase().contains(name))
            .map(|(i, _)| i)
    })
}

fn looks_like_header(cells: &[String]) -> bool {
    let lower: Vec<String> = cells.iter().map(|c| c.to_lowercase()).collect();
    let has = |names: &[&str]| lower.iter().any(|c| names.iter().any(|n| c.contains(n)));
    let kinds = [
        has(&["date"]),
        has(&DESCRIPTION_NAMES),
        has(&["amount", "value"]) || has(&PAID_IN_NAMES) || has(&PAID_OUT_NAMES),
        has(&["balance"]),
    ];
    kinds.iter().filter(|&&k| k).count() >= 2
        && lower
            .iter()
            .all(|c| DateFormat::detect([c.as_str()]).is_none())
}

/// Works out a CSV statement's layout from its bytes.
pub fn sniff_csv(bytes: &[u8]) -> Result<SniffedCsv> {
    crate::file_kind(bytes)?;
    let (text, encoding) = decode(bytes);
    let (delimiter, rows) = detect_delimiter(&text);
    let header_at = rows
        .iter()
        .take(30)
        .position(|row| looks_like_header(&row.cells));
    let (header_line, columns, data): (Option<u32>, Vec<String>, &[Record]) = match header_at {
        Some(at) => (Some(rows[at].line), rows[at].cells.clone(), &rows[at + 1..]),
        None => {
            let width = rows.iter().map(|r| r.cells.len()).max().unwrap_or(0);
            (
                (None),
                (1..=width).map(|n| format!("Column {n}")).collect(),
                &rows[..],
            )
        }
    };
    if header_at.is_some() && data.is_empty() {
        return Err(not_readable(
            "There are no payments in this file: it has only its column names.",
        ));
    }
    if columns.len() < 2 {
        return Err(not_readable(
            "Careledger cannot find the columns in this file. Save the statement from your bank or card service as CSV, with a column for the date, the description and the amount.",
        ));
    }
    // The rows that have a date somewhere: the statement's lines, not its
    // preamble or its totals.
    let dated = |column: usize| -> Vec<&str> {
        data.iter()
            .filter_map(|row| row.cells.get(column).map(String::as_str))
            .filter(|cell| DateFormat::detect([*cell]).is_some())
            .collect()
    };
    let date_column = match header_at {
        Some(_) => find(&columns, &["transaction date", "date"], &[]),
        None => (0..columns.len()).max_by_key(|&c| (dated(c).len(), std::cmp::Reverse(c))),
    }
    .filter(|&c| !dated(c).is_empty())
    .ok_or_else(|| {
        not_readable("Careledger cannot find a column of dates in this file. Check it is a statement of the account's payments.")
    })?;
    let date_format = DateFormat::detect(dated(date_column)).ok_or_else(|| {
        not_readable("The dates in this file are written in more than one way. Save the statement again from your bank.")
    })?;
    let body: Vec<&Record> = data
        .iter()
        .filter(|row| {
            row.cells
                .get(date_column)
                .is_some_and(|cell| date_format.parse(cell).is_some())
        })
        .collect();
    let numeric = |column: usize, comma: bool| {
        let cells: Vec<&str> = body
            .iter()
            .filter_map(|row| row.cells.get(column).map(String::as_str))
            .collect();
        cells.iter().any(|c| !c.is_empty())
            && cells.iter().all(|cell| parse_amount(cell, comma).is_some())
    };
    let decimal_comma = delimiter != ','
        && body.iter().any(|row| {
            row.cells.iter().any(|cell| {
                let cell = cell.trim_start_matches(['-', '£']);
                cell.rsplit_once(',').is_some_and(|(whole, pence)| {
                    pence.len() == 2
                        && pence.chars().all(|c| c.is_ascii_digit())
                        && whole.chars().all(|c| c.is_ascii_digit() || c == '.')
                        && !whole.is_empty()
                })
            })
        });
    let mut taken = vec![date_column];
    let (amount, balance_column) = match header_at {
        Some(_) => {
            let balance = find(&columns, &["balance"], &taken);
            taken.extend(balance);
            let signed = columns
                .iter()
                .enumerate()
                .find(|(i, c)| {
                    let c = c.to_lowercase();
                    !taken.contains(i) && (c == "amount" || c.starts_with("amount") || c == "value")
                })
                .map(|(i, _)| i);
            let paid_in = find(&columns, &PAID_IN_NAMES, &taken);
            let paid_out = find(&columns, &PAID_OUT_NAMES, &taken);
            let amount = match (signed, paid_in, paid_out) {
                (Some(column), _, _) => AmountColumns::Signed { column },
                (None, Some(paid_in), Some(paid_out)) => AmountColumns::InOut { paid_in, paid_out },
                _ => {
                    return Err(not_readable(
                        "Careledger cannot find the amounts in this file: no column is called Amount, or Paid in and Paid out.",
                    ))
                }
            };
            (amount, balance)
        }
        None => {
            let numbers: Vec<usize> = (0..columns.len())
                .filter(|&c| c != date_column && numeric(c, decimal_comma))
                .collect();
            match numbers.as_slice() {
                [] => {
                    return Err(not_readable(
                        "Careledger cannot find a column of amounts in this file.",
                    ))
                }
                [amount] => (AmountColumns::Signed { column: *amount }, None),
                [amount, balance, ..] => {
                    (AmountColumns::Signed { column: *amount }, Some(*balance))
                }
            }
        }
    };
    match amount {
        AmountColumns::Signed { column } => taken.push(column),
        AmountColumns::InOut { paid_in, paid_out } => taken.extend([paid_in, paid_out]),
    }
    let description_columns = match header_at {
        Some(_) => {
            let main = find(&columns, &DESCRIPTION_NAMES, &taken);
            let mut chosen: Vec<usize> = main.into_iter().collect();
            taken.extend(main);
            if let Some(more) = find(&columns, &MORE_WORDS_NAMES, &taken) {
                chosen.push(more);
            }
            chosen
        }
        None => (0..columns.len())
            .filter(|c| !taken.contains(c))
            .max_by_key(|&c| {
                body.iter()
                    .map(|row| row.cells.get(c).map_or(0, String::len))
                    .sum::<usize>()
            })
            .into_iter()
            .collect(),
    };
    let layout = CsvLayout {
        encoding,
        delimiter,
        header_line,
        columns,
        date_column,
        date_format,
        description_columns,
        amount,
        balance_column,
        decimal_comma,
    };
    let sample = body.iter().take(5).map(|row| row.cells.clone()).collect();
    Ok(SniffedCsv { layout, sample })
}

/// Reads every line of a CSV statement laid out as `layout` says. Rows
/// before the first dated row (the bank's preamble) and after the last
/// (its totals) are left out; a row in between that cannot be read stops
/// the whole file, with its line and what is wrong.
pub fn read_csv(bytes: &[u8], layout: &CsvLayout) -> Result<Vec<AccountLine>> {
    crate::file_kind(bytes)?;
    let (text, _) = decode(bytes);
    let rows = records(&text, layout.delimiter);
    let start = layout.header_line.unwrap_or(0);
    let rows: Vec<&Record> = rows.iter().filter(|row| row.line > start).collect();
    let is_dated = |row: &Record| {
        row.cells
            .get(layout.date_column)
            .is_some_and(|cell| layout.date_format.parse(cell).is_some())
    };
    let (Some(first), Some(last)) = (
        rows.iter().position(|row| is_dated(row)),
        rows.iter().rposition(|row| is_dated(row)),
    ) else {
        return Err(not_readable(format!(
            "There are no payments in this file: no row has a date written like {}.",
            layout.date_format.example()
        )));
    };
    let width = layout.columns.len();
    let mut lines = Vec::new();
    for row in &rows[first..=last] {
        if layout.header_line.is_some() && row.cells.len() != width {
            return Err(row_problem(
                row.line,
                format!(
                    "it has {} columns where the file's header has {width}. The file's columns change part way; save the statement again from your bank.",
                    row.cells.len()
                ),
            ));
        }
        let cell = |column: usize| row.cells.get(column).map_or("", String::as_str);
        let date_text = cell(layout.date_column);
        let date = layout.date_format.parse(date_text).ok_or_else(|| {
            row_problem(
                row.line,
                format!(
                    "\"{date_text}\" is not a date written like {}.",
                    layout.date_format.example()
                ),
            )
        })?;
        let amount_in = |column: usize| -> Result<Option<i64>> {
            parse_amount(cell(column), layout.decimal_comma).ok_or_else(|| {
                row_problem(
                    row.line,
                    format!("\"{}\" is not an amount of money.", cell(column)),
                )
            })
        };
        let pence = match layout.amount {
            AmountColumns::Signed { column } => amount_in(column)?,
            AmountColumns::InOut { paid_in, paid_out } => {
                match (amount_in(paid_in)?, amount_in(paid_out)?) {
                    (None, None) => None,
                    (paid_in, paid_out) => {
                        Some(paid_in.unwrap_or(0).abs() - paid_out.unwrap_or(0).abs())
                    }
                }
            }
        };
        let Some(pence) = pence else {
            return Err(row_problem(row.line, "it has no amount."));
        };
        if pence == 0 {
            // A line of information ("Interest rate changed"), not money.
            continue;
        }
        let balance = match layout.balance_column {
            Some(column) => amount_in(column)?.map(Money::from_pence),
            None => None,
        };
        let description = layout
            .description_columns
            .iter()
            .map(|&column| cell(column))
            .filter(|words| !words.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        lines.push(AccountLine {
            row: row.line,
            date,
            description,
            amount: Money::from_pence(pence),
            balance,
            bank_id: None,
        });
    }
    Ok(lines)
}
