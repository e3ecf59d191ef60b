//! OFX and QFX statements: version 1 (SGML, tags left open) and version 2
//! (XML) alike, read by their tags.

use chrono::NaiveDate;

use crate::amounts::parse_amount;
use crate::text::decode;
use crate::{not_readable, AccountLine};
use careledger_domain::error::Result;
use careledger_domain::money::Money;

/// The text of `<TAG>` inside `block`, up to the next tag.
fn tag<'a>(block: &'a str, name: &str) -> Option<&'a str> {
    let open = format!("<{name}>");
    let start = block.find(&open)? + open.len();
    let rest = &block[start..];
    let end = rest.find('<').unwrap_or(rest.len());
    Some(rest[..end].trim())
}

fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// Every transaction in an OFX or QFX file, in the file's order.
pub fn read_ofx(bytes: &[u8]) -> Result<Vec<AccountLine>> {
    crate::file_kind(bytes)?;
    let (text, _) = decode(bytes);
    let upper = text.to_ascii_uppercase();
    let mut lines = Vec::new();
    let mut from = 0;
    while let Some(found) = upper[from..].find("<STMTTRN>") {
        let start = from + found;
        let end = upper[start..]
            .find("</STMTTRN>")
            .map_or(upper.len(), |end| start + end);
        // Tags are matched in upper case; the words keep the file's case.
        let block_upper = &upper[start..end];
        let block = &text[start..end];
        let position = u32::try_from(lines.len() + 1).unwrap_or(u32::MAX);
        let problem = |what: &str| {
            not_readable(format!(
                "Transaction {position} in the file: {what}. Save the statement again from your bank."
            ))
        };
        let value = |name: &str| -> Option<&str> {
            let at = block_upper.find(&format!("<{name}>"))?;
            tag(&block[at..], &block[at + 1..at + 1 + name.len()])
        };
        let posted = value("DTPOSTED").ok_or_else(|| problem("it has no date"))?;
        let date = posted
            .get(..8)
            .and_then(|day| NaiveDate::parse_from_str(day, "%Y%m%d").ok())
            .ok_or_else(|| problem(&format!("\"{posted}\" is not a date")))?;
        let amount_text = value("TRNAMT").ok_or_else(|| problem("it has no amount"))?;
        let decimal_comma = amount_text.contains(',') && !amount_text.contains('.');
        let pence = parse_amount(amount_text, decimal_comma)
            .flatten()
            .ok_or_else(|| problem(&format!("\"{amount_text}\" is not an amount of money")))?;
        let words: Vec<String> = ["NAME", "PAYEE", "MEMO"]
            .iter()
            .filter_map(|name| value(name))
            .filter(|words| !words.is_empty())
            .map(unescape)
            .collect();
        let mut description: Vec<String> = Vec::new();
        for words in words {
            if !description.iter().any(|d| d.contains(&words)) {
                description.push(words);
            }
        }
        lines.push(AccountLine {
            row: position,
            date,
            description: description.join(" "),
            amount: Money::from_pence(pence),
            balance: None,
            bank_id: value("FITID")
                .map(str::to_owned)
                .filter(|id| !id.is_empty()),
        });
        from = end.max(start + 1);
    }
    if lines.is_empty() {
        return Err(not_readable(
            "There are no transactions in this OFX file. Check the dates you asked your bank for.",
        ));
    }
    Ok(lines)
}
