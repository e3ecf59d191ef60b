//! Money as whole pence.
//!
//! Amounts are held in an `i64` count of pence so that every sum is exact;
//! floats never touch money (see `ARCHITECTURE.md`, "Money is integer pence").

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The largest amount a person may type in: £10,000,000.00.
///
/// No personal health budget comes near this; anything larger is a typing
/// slip (an extra zero or two), so it is refused rather than stored.
pub const MAX_ENTERED_PENCE: i64 = 10_000_000 * 100;

/// An amount of money in pence. Arithmetic is checked: an overflow is an
/// error, never a wrapped number.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize, TS,
)]
#[ts(type = "number")]
pub struct Money(i64);

/// Why a typed amount could not be read. Each message tells the person what
/// to type instead.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyParseError {
    /// Nothing was typed.
    #[error("Enter an amount, for example £12.50.")]
    Empty,
    /// The text is not a number of pounds and pence.
    #[error("Enter the amount as a number of pounds and pence, for example £12.50.")]
    NotANumber,
    /// A minus sign: amounts are entered as positive sums.
    #[error("Enter the amount without a minus sign.")]
    Negative,
    /// More than two digits after the decimal point.
    #[error("Use no more than two digits after the decimal point, for example £12.35.")]
    TooManyDecimals,
    /// Commas that do not separate thousands, such as "1,2,3".
    #[error("Commas may only separate thousands, for example £1,234.56.")]
    BadGrouping,
    /// More than [`MAX_ENTERED_PENCE`].
    #[error("That amount is over £10,000,000. Check for an extra zero.")]
    TooLarge,
}

impl Money {
    /// Zero pounds.
    pub const ZERO: Money = Money(0);

    /// An amount from a count of pence.
    pub const fn from_pence(pence: i64) -> Self {
        Money(pence)
    }

    /// The amount as a count of pence.
    pub const fn pence(self) -> i64 {
        self.0
    }

    /// `self + other`, or `None` on overflow.
    pub fn checked_add(self, other: Money) -> Option<Money> {
        self.0.checked_add(other.0).map(Money)
    }

    /// `self - other`, or `None` on overflow.
    pub fn checked_sub(self, other: Money) -> Option<Money> {
        self.0.checked_sub(other.0).map(Money)
    }

    /// Whether the amount is below zero.
    pub const fn is_negative(self) -> bool {
        self.0 < 0
    }

    /// The sum of the amounts, or `None` on overflow.
    pub fn checked_sum<I: IntoIterator<Item = Money>>(amounts: I) -> Option<Money> {
        amounts
            .into_iter()
            .try_fold(Money::ZERO, |total, amount| total.checked_add(amount))
    }

    /// Reads an amount as people type it: "£1,234.56", "1234.5", "1,234",
    /// ".50". Surrounding spaces and a leading "£" are allowed. Negative
    /// amounts, more than two decimals, misplaced commas and amounts over
    /// £10,000,000 are refused with a message that says what to type.
    pub fn parse(text: &str) -> Result<Money, MoneyParseError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(MoneyParseError::Empty);
        }
        if text.starts_with(['-', '−']) {
            return Err(MoneyParseError::Negative);
        }
        let text = text.strip_prefix('£').unwrap_or(text).trim_start();
        if text.starts_with(['-', '−']) {
            return Err(MoneyParseError::Negative);
        }
        if text.is_empty() {
            return Err(MoneyParseError::Empty);
        }
        let (whole, fraction) = match text.split_once('.') {
            Some((whole, fraction)) => (whole, Some(fraction)),
            None => (text, None),
        };
        let pounds = parse_pounds(whole)?;
        let pence = match fraction {
            None => 0,
            Some(fraction) => parse_pence(fraction)?,
        };
        if whole.is_empty() && fraction.is_none_or(str::is_empty) {
            return Err(MoneyParseError::NotANumber);
        }
        let total = pounds
            .checked_mul(100)
            .and_then(|p| p.checked_add(pence))
            .ok_or(MoneyParseError::TooLarge)?;
        if total > MAX_ENTERED_PENCE {
            return Err(MoneyParseError::TooLarge);
        }
        Ok(Money(total))
    }
}

/// The pounds before the decimal point: plain digits, or digits grouped in
/// threes by commas ("1,234,567").
fn parse_pounds(whole: &str) -> Result<i64, MoneyParseError> {
    if whole.is_empty() {
        return Ok(0);
    }
    if !whole.chars().all(|c| c.is_ascii_digit() || c == ',') {
        return Err(MoneyParseError::NotANumber);
    }
    if whole.contains(',') {
        let mut groups = whole.split(',');
        let first = groups.next().unwrap_or_default();
        let first_ok = (1..=3).contains(&first.len());
        if !first_ok || groups.any(|group| group.len() != 3) {
            return Err(MoneyParseError::BadGrouping);
        }
    }
    let digits: String = whole.chars().filter(char::is_ascii_digit).collect();
    // Leading zeros are harmless ("0012"); only the length can overflow.
    let significant = digits.trim_start_matches('0');
    if significant.len() > 12 {
        return Err(MoneyParseError::TooLarge);
    }
    Ok(significant.parse::<i64>().unwrap_or(0))
}

/// The pence after the decimal point: one or two digits ("5" is 50p).
fn parse_pence(fraction: &str) -> Result<i64, MoneyParseError> {
    if !fraction.chars().all(|c| c.is_ascii_digit()) {
        return Err(MoneyParseError::NotANumber);
    }
    match fraction.len() {
        0 => Ok(0),
        1 => Ok(i64::from(fraction.as_bytes()[0] - b'0') * 10),
        2 => Ok(i64::from(fraction.as_bytes()[0] - b'0') * 10
            + i64::from(fraction.as_bytes()[1] - b'0')),
        _ => Err(MoneyParseError::TooManyDecimals),
    }
}

impl FromStr for Money {
    type Err = MoneyParseError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Money::parse(text)
    }
}

/// Formats as en-GB currency: "£1,234.56", "-£12.00".
impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        let pounds = abs / 100;
        let pence = abs % 100;
        let digits = pounds.to_string();
        let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
        for (i, digit) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                grouped.push(',');
            }
            grouped.push(digit);
        }
        write!(f, "{sign}£{grouped}.{pence:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn pence(text: &str) -> i64 {
        Money::parse(text)
            .unwrap_or_else(|e| panic!("{text:?}: {e}"))
            .pence()
    }

    #[test]
    fn reads_the_ways_people_type_amounts() {
        assert_eq!(pence("£1,234.56"), 123_456);
        assert_eq!(pence("1234.5"), 123_450);
        assert_eq!(pence("1,234"), 123_400);
        assert_eq!(pence("  £ 12 "), 1_200);
        assert_eq!(pence(".5"), 50);
        assert_eq!(pence("0.07"), 7);
        assert_eq!(pence("12."), 1_200);
        assert_eq!(pence("1,000,000"), 100_000_000);
        assert_eq!(pence("£10,000,000.00"), MAX_ENTERED_PENCE);
    }

    #[test]
    fn refuses_what_is_not_an_amount_with_a_reason() {
        use MoneyParseError::*;
        let cases = [
            ("12.345", TooManyDecimals),
            ("1,2,3", BadGrouping),
            ("12,34", BadGrouping),
            (",123", BadGrouping),
            ("abc", NotANumber),
            ("NaN", NotANumber),
            ("inf", NotANumber),
            ("1e5", NotANumber),
            ("12.3.4", NotANumber),
            ("£", Empty),
            ("", Empty),
            ("   ", Empty),
            (".", NotANumber),
            ("-5", Negative),
            ("£-5", Negative),
            ("−5", Negative),
            ("10,000,000.01", TooLarge),
            ("99999999999999999999999", TooLarge),
            ("१२३", NotANumber),
        ];
        for (text, expected) in cases {
            assert_eq!(Money::parse(text), Err(expected), "{text:?}");
        }
    }

    #[test]
    fn formats_en_gb() {
        assert_eq!(Money::from_pence(0).to_string(), "£0.00");
        assert_eq!(Money::from_pence(5).to_string(), "£0.05");
        assert_eq!(Money::from_pence(123_456).to_string(), "£1,234.56");
        assert_eq!(Money::from_pence(100_000_000).to_string(), "£1,000,000.00");
        assert_eq!(Money::from_pence(-1_200).to_string(), "-£12.00");
        assert_eq!(
            Money::from_pence(i64::MIN).to_string(),
            "-£92,233,720,368,547,758.08"
        );
    }

    #[test]
    fn checked_arithmetic_reports_overflow() {
        assert_eq!(
            Money::from_pence(i64::MAX).checked_add(Money::from_pence(1)),
            None
        );
        assert_eq!(
            Money::from_pence(i64::MIN).checked_sub(Money::from_pence(1)),
            None
        );
        assert_eq!(
            Money::checked_sum([1, 2, 3].map(Money::from_pence)),
            Some(Money::from_pence(6))
        );
    }

    proptest! {
        #[test]
        fn formatting_then_parsing_gives_the_same_amount(p in 0..=MAX_ENTERED_PENCE) {
            let money = Money::from_pence(p);
            prop_assert_eq!(Money::parse(&money.to_string()), Ok(money));
        }

        #[test]
        fn parsing_never_panics(text in "\\PC{0,24}") {
            let _ = Money::parse(&text);
        }

        #[test]
        fn accepted_amounts_are_in_range(text in "[£ ,.0-9-]{0,16}") {
            if let Ok(money) = Money::parse(&text) {
                prop_assert!((0..=MAX_ENTERED_PENCE).contains(&money.pence()));
            }
        }
    }
}
