//! Amounts as banks write them: "-12.34", "£1,234.56", "(12.34)",
//! "12.34 DR", or "1.234,56" where a comma marks the pence.

/// The amount in signed pence, or `None` if the text is not an amount.
/// An empty cell is `Some(None)`: a blank paid-in or paid-out column.
pub fn parse_amount(text: &str, decimal_comma: bool) -> Option<Option<i64>> {
    let mut text = text.trim().to_owned();
    if text.is_empty() {
        return Some(None);
    }
    let mut negative = false;
    for (suffix, is_negative) in [(" DR", true), ("DR", true), (" CR", false), ("CR", false)] {
        if text.to_ascii_uppercase().ends_with(suffix) {
            text.truncate(text.len() - suffix.len());
            negative = is_negative;
            break;
        }
    }
    let mut text = text.trim().to_owned();
    if text.starts_with('(') && text.ends_with(')') {
        negative = true;
        text = text[1..text.len() - 1].to_owned();
    }
    if let Some(rest) = text.strip_suffix('-') {
        negative = true;
        text = rest.to_owned();
    }
    for sign in ['-', '\u{2212}'] {
        if let Some(rest) = text.strip_prefix(sign) {
            negative = !negative;
            text = rest.to_owned();
        }
    }
    if let Some(rest) = text.strip_prefix('+') {
        text = rest.to_owned();
    }
    let text = text.trim().trim_start_matches('£');
    let text = text.strip_prefix("GBP").unwrap_or(text).trim();
    let text = text.strip_suffix("GBP").unwrap_or(text).trim();
    // "-£12.34" and "£-12.34" both happen.
    let (text, negative) = match text.strip_prefix('-') {
        Some(rest) => (rest, !negative),
        None => (text, negative),
    };
    let (thousands, point) = if decimal_comma {
        (['.', ' ', '\u{a0}'], ',')
    } else {
        ([',', ' ', '\u{a0}'], '.')
    };
    let digits: String = text.chars().filter(|c| !thousands.contains(c)).collect();
    let (whole, pence) = match digits.split_once(point) {
        Some((whole, fraction)) => (whole, fraction),
        None => (digits.as_str(), ""),
    };
    if whole.is_empty() && pence.is_empty()
        || !whole.chars().all(|c| c.is_ascii_digit())
        || !pence.chars().all(|c| c.is_ascii_digit())
        || pence.len() > 2
    {
        return None;
    }
    let whole: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    let pence: i64 = match pence.len() {
        0 => 0,
        1 => pence.parse::<i64>().ok()? * 10,
        _ => pence.parse().ok()?,
    };
    let total = whole.checked_mul(100)?.checked_add(pence)?;
    Some(Some(if negative { -total } else { total }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_read_as_banks_write_them() {
        for (text, pence) in [
            ("-12.34", -1234),
            ("12.34", 1234),
            ("£1,234.56", 123_456),
            ("-£1,234.56", -123_456),
            ("£-5.00", -500),
            ("(12.34)", -1234),
            ("12.34 DR", -1234),
            ("12.34CR", 1234),
            ("+7", 700),
            ("0.5", 50),
            ("12.34-", -1234),
            ("GBP 10.00", 1000),
            ("\u{2212}3.10", -310),
        ] {
            assert_eq!(parse_amount(text, false), Some(Some(pence)), "{text}");
        }
        assert_eq!(parse_amount("1.234,56", true), Some(Some(123_456)));
        assert_eq!(parse_amount("-12,34", true), Some(Some(-1234)));
        assert_eq!(parse_amount("  ", false), Some(None));
        for bad in ["12.345", "abc", "1.2.3", "£", "12,34.5.6", "$12.00"] {
            assert_eq!(parse_amount(bad, false), None, "{bad}");
        }
    }
}
