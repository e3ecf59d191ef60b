//! A statement's entries as CSV, for a spreadsheet: printing, like the
//! PDF, only lays out a [`Statement`] the domain has worked out.

use crate::error::{Error, Result};
use crate::money::Money;
use crate::statement::Statement;
use careledger_domain::ids::LineKey;

/// The columns, in order. Money in and money out have a column each, and a
/// removed payment's amount goes in a column of its own, so that a plain
/// sum of "Money in" or "Money out" is the statement's total.
pub const CSV_COLUMNS: [&str; 16] = [
    "Type",
    "Date",
    "Who",
    "Money in",
    "Money out",
    "Removed amount",
    "Status",
    "Budget line",
    "How paid",
    "Kind of money in",
    "Reference",
    "Evidence count",
    "Evidence",
    "Why no evidence",
    "Note",
    "Recorded by",
];

/// The statement's money in and out as CSV, one row per entry, for a
/// spreadsheet: UTF-8 with a byte-order mark (so Excel reads £ and accents
/// right), dates as 25/11/2026, amounts as plain decimals, and text made
/// [safe for a spreadsheet](spreadsheet_text). Each row says who recorded
/// it, its status, how many evidence files it has and, where it has none,
/// the reason given, so the real gaps can be told from the explained ones.
pub fn to_csv(statement: &Statement) -> Result<Vec<u8>> {
    let mut out = Vec::from("\u{feff}".as_bytes());
    {
        let mut writer = csv::Writer::from_writer(&mut out);
        // Writing to memory cannot fail; if it ever did, the csv crate's
        // own words would mean nothing to the person reading the message.
        let csv_error = |_: csv::Error| Error::Corrupt("the CSV could not be made".into());
        writer.write_record(CSV_COLUMNS).map_err(csv_error)?;
        let line_name = |key: LineKey| {
            statement
                .lines
                .iter()
                .find(|line| line.key == key)
                .map_or_else(
                    || format!("Line {}", key.0),
                    |line| line.description.clone(),
                )
        };
        for group in &statement.money_in {
            for entry in &group.entries {
                writer
                    .write_record([
                        "Money in",
                        &entry.received_on.format("%d/%m/%Y").to_string(),
                        &spreadsheet_text(&entry.source),
                        &plain(entry.amount),
                        "",
                        "",
                        "Received",
                        "",
                        "",
                        entry.kind.label(),
                        &spreadsheet_text(&entry.reference),
                        "",
                        "",
                        "",
                        &spreadsheet_text(&entry.note),
                        &spreadsheet_text(&entry.recorded_by),
                    ])
                    .map_err(csv_error)?;
            }
        }
        for payment in &statement.payments {
            let lines = payment
                .splits
                .iter()
                .map(|split| {
                    if payment.splits.len() > 1 {
                        format!("{} {}", line_name(split.line_key), plain(split.amount))
                    } else {
                        line_name(split.line_key)
                    }
                })
                .collect::<Vec<_>>()
                .join("; ");
            let evidence = payment
                .evidence
                .iter()
                .map(|e| e.file_name.as_str())
                .collect::<Vec<_>>()
                .join("; ");
            let (money_out, removed, status) = match &payment.voided {
                Some(void) => (
                    String::new(),
                    plain(payment.amount),
                    format!("Removed: {}", void.reason),
                ),
                None if payment.lacks_evidence => (
                    plain(payment.amount),
                    String::new(),
                    "Counted; no evidence and no reason".to_owned(),
                ),
                None => (plain(payment.amount), String::new(), "Counted".to_owned()),
            };
            writer
                .write_record([
                    if payment.cash_withdrawal {
                        "Cash taken out"
                    } else {
                        "Money out"
                    },
                    &payment.paid_on.format("%d/%m/%Y").to_string(),
                    &spreadsheet_text(&payment.payee),
                    "",
                    &money_out,
                    &removed,
                    &spreadsheet_text(&status),
                    &spreadsheet_text(&lines),
                    payment.how_paid.map_or("", |how| how.label()),
                    "",
                    &spreadsheet_text(&payment.reference),
                    &payment.evidence.len().to_string(),
                    &spreadsheet_text(&evidence),
                    &spreadsheet_text(&payment.no_evidence_reason),
                    &spreadsheet_text(&payment.note),
                    &spreadsheet_text(&payment.recorded_by),
                ])
                .map_err(csv_error)?;
        }
        writer
            .flush()
            .map_err(|_| Error::Corrupt("the CSV could not be made".into()))?;
    }
    Ok(out)
}

/// Text as a spreadsheet should show it. A cell that starts with `=`, `+`,
/// `-`, `@`, a tab or a carriage return is taken by Excel and LibreOffice
/// as a formula, which a payee or note typed as "=HYPERLINK(…)" could
/// abuse; a leading apostrophe makes the spreadsheet show it as text.
pub fn spreadsheet_text(text: &str) -> std::borrow::Cow<'_, str> {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}").into()
    } else {
        text.into()
    }
}

/// An amount as a spreadsheet reads it: "1234.56", "-12.00".
pub fn plain(amount: Money) -> String {
    let pence = amount.pence();
    let sign = if pence < 0 { "-" } else { "" };
    let abs = pence.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_amounts_have_no_symbols_or_commas() {
        assert_eq!(plain(Money::from_pence(123_456)), "1234.56");
        assert_eq!(plain(Money::from_pence(5)), "0.05");
        assert_eq!(plain(Money::from_pence(-1_200)), "-12.00");
    }

    #[test]
    fn text_a_spreadsheet_would_run_as_a_formula_is_shown_as_text() {
        assert_eq!(spreadsheet_text("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(spreadsheet_text("+44 1234"), "'+44 1234");
        assert_eq!(spreadsheet_text("-1"), "'-1");
        assert_eq!(spreadsheet_text("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(spreadsheet_text("Tesco = groceries"), "Tesco = groceries");
        assert_eq!(spreadsheet_text(""), "");
    }
}
