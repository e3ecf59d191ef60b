//! Reading what people type: dates and short pieces of text.
//!
//! Every form value arrives as text and is checked here, so the UI, the
//! command line and any import get the same rules and the same messages.

use chrono::{Datelike, NaiveDate};

use crate::error::{Error, Result};

/// The earliest and latest years a date may have. Anything outside is a
/// typing slip ("2062" for "2026"), not a real plan date.
const YEARS: std::ops::RangeInclusive<i32> = 1900..=2200;

/// Formats tried in order. Day-first throughout: these are UK dates.
const DATE_FORMATS: &[&str] = &[
    "%Y-%m-%d", // 2026-11-25, as the app itself writes dates
    "%d/%m/%y", // 25/11/26 (tried before %Y, which would read "26" as AD 26)
    "%d/%m/%Y", // 25/11/2026
    "%d-%m-%Y", // 25-11-2026
    "%d.%m.%Y", // 25.11.2026
    "%d %b %Y", // 25 Nov 2026
    "%d %B %Y", // 25 November 2026
];

/// Reads a date as people in the UK write it: "25/11/2026", "25 Nov 2026",
/// "25 November 2026" or "2026-11-25". `field` names the form field for the
/// error.
pub fn parse_date(field: &str, text: &str) -> Result<NaiveDate> {
    let text = text.trim();
    if text.is_empty() {
        return Err(Error::invalid(
            field,
            "Enter a date, for example 25/11/2026.",
        ));
    }
    let normalised = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let date = DATE_FORMATS
        .iter()
        .find_map(|format| NaiveDate::parse_from_str(&normalised, format).ok())
        .ok_or_else(|| {
            Error::invalid(
                field,
                format!(
                    "\u{201c}{}\u{201d} is not a date. Enter it as day/month/year, for example 25/11/2026.",
                    shorten(text, 40)
                ),
            )
        })?;
    if !YEARS.contains(&date.year()) {
        return Err(Error::invalid(
            field,
            format!(
                "Check the year: {} is not a likely date.",
                format_date(date)
            ),
        ));
    }
    Ok(date)
}

/// Formats a date the en-GB way: "25 Nov 2026".
pub fn format_date(date: NaiveDate) -> String {
    date.format("%-d %b %Y").to_string()
}

/// Checks a required piece of text: trims it, refuses an empty one, one
/// longer than `max_chars`, and control characters (which no one types and
/// which break printed statements). `label` is how the message names it.
pub fn required_text(field: &str, label: &str, text: &str, max_chars: usize) -> Result<String> {
    let text = optional_text(field, label, text, max_chars, false)?;
    if text.is_empty() {
        return Err(Error::invalid(field, format!("Enter {label}.")));
    }
    Ok(text)
}

/// Checks a required piece of text that may run over several lines (an
/// outcome, a reason), as [`required_text`] otherwise does.
pub fn required_multiline_text(
    field: &str,
    label: &str,
    text: &str,
    max_chars: usize,
) -> Result<String> {
    let text = optional_text(field, label, text, max_chars, true)?;
    if text.is_empty() {
        return Err(Error::invalid(field, format!("Enter {label}.")));
    }
    Ok(text)
}

/// Checks a piece of text that may be left empty. `multiline` allows line
/// breaks (for notes).
pub fn optional_text(
    field: &str,
    label: &str,
    text: &str,
    max_chars: usize,
    multiline: bool,
) -> Result<String> {
    let text = text.trim().replace("\r\n", "\n");
    let length = text.chars().count();
    if length > max_chars {
        return Err(Error::invalid(
            field,
            format!(
                "{} is too long: {length} characters. Keep it to {max_chars} or fewer.",
                capitalise(label)
            ),
        ));
    }
    let allowed = |c: char| !c.is_control() || (multiline && (c == '\n' || c == '\t'));
    if !text.chars().all(allowed) {
        return Err(Error::invalid(
            field,
            format!(
                "{} contains a hidden control character. Retype it and try again.",
                capitalise(label)
            ),
        ));
    }
    Ok(text)
}

fn capitalise(label: &str) -> String {
    let label = label
        .strip_prefix("the ")
        .or_else(|| label.strip_prefix("a "))
        .unwrap_or(label);
    let mut chars = label.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The first `max` characters of `text`, with "…" if it was cut.
fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        let mut short: String = text.chars().take(max).collect();
        short.push('…');
        short
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn reads_uk_dates_in_the_usual_forms() {
        for text in [
            "25/11/2026",
            "25-11-2026",
            "25.11.2026",
            "25 Nov 2026",
            "25 November 2026",
            "2026-11-25",
            " 25  nov  2026 ",
        ] {
            assert_eq!(
                parse_date("date", text).unwrap(),
                date(2026, 11, 25),
                "{text:?}"
            );
        }
        assert_eq!(parse_date("date", "5/1/2026").unwrap(), date(2026, 1, 5));
        assert_eq!(parse_date("date", "25/11/26").unwrap(), date(2026, 11, 25));
    }

    #[test]
    fn refuses_impossible_or_unlikely_dates() {
        for text in [
            "",
            "31/02/2026",
            "2026-13-01",
            "tomorrow",
            "11/25/2026",
            "25/11/1850",
            "25/11/2262",
            "25/11/0026",
        ] {
            let error = parse_date("date", text).unwrap_err();
            assert!(
                matches!(&error, Error::Invalid { field, .. } if field == "date"),
                "{text:?}: {error}"
            );
        }
    }

    #[test]
    fn formats_dates_en_gb() {
        assert_eq!(format_date(date(2026, 11, 5)), "5 Nov 2026");
    }

    #[test]
    fn text_is_trimmed_and_checked() {
        assert_eq!(
            required_text("payee", "who was paid", "  Ann  ", 10).unwrap(),
            "Ann"
        );
        assert_eq!(
            required_text("payee", "who was paid", "   ", 10)
                .unwrap_err()
                .to_string(),
            "Enter who was paid."
        );
        assert_eq!(
            required_text("payee", "who was paid", "abcdefghijk", 10)
                .unwrap_err()
                .to_string(),
            "Who was paid is too long: 11 characters. Keep it to 10 or fewer."
        );
        assert!(required_text("payee", "who was paid", "A\u{0}B", 10).is_err());
        assert_eq!(
            optional_text("note", "the note", "a\r\nb", 10, true).unwrap(),
            "a\nb"
        );
        assert!(optional_text("note", "the note", "a\nb", 10, false).is_err());
        assert_eq!(
            required_text("name", "a name", "Zoë O’Brien", 20).unwrap(),
            "Zoë O’Brien"
        );
    }

    proptest! {
        #[test]
        fn date_parsing_never_panics(text in "\\PC{0,30}") {
            let _ = parse_date("date", &text);
        }
    }
}

/// Reads an NHS number: ten digits, spaces or hyphens allowed between them,
/// whose last digit is the modulus 11 check digit of the first nine. Returns
/// it written the usual way, "943 476 5919".
pub fn parse_nhs_number(field: &str, text: &str) -> Result<String> {
    let digits: Vec<u32> = text
        .chars()
        .filter(|c| !matches!(c, ' ' | '-'))
        .map(|c| c.to_digit(10).filter(|_| c.is_ascii_digit()))
        .collect::<Option<_>>()
        .ok_or_else(|| {
            Error::invalid(
                field,
                "An NHS number is 10 digits, for example 943 476 5919.",
            )
        })?;
    if digits.len() != 10 {
        return Err(Error::invalid(
            field,
            format!(
                "An NHS number has 10 digits; this has {}. Check it against a letter from the NHS.",
                digits.len()
            ),
        ));
    }
    // NHS Data Dictionary: weights 10 down to 2 on the first nine digits;
    // the check digit is 11 minus the remainder mod 11 (11 becomes 0, and 10
    // means the number is not valid).
    let sum: u32 = digits[..9]
        .iter()
        .zip((2..=10).rev())
        .map(|(digit, weight)| digit * weight)
        .sum();
    let check = match 11 - sum % 11 {
        11 => 0,
        check => check,
    };
    if check == 10 || check != digits[9] {
        return Err(Error::invalid(
            field,
            "That is not a valid NHS number: a digit may be wrong or two swapped. Check it against a letter from the NHS.",
        ));
    }
    let text: String = digits
        .iter()
        .map(|digit| char::from_digit(*digit, 10).unwrap_or('0'))
        .collect();
    Ok(format!("{} {} {}", &text[..3], &text[3..6], &text[6..]))
}

/// Reads a quantity of units as typed ("20", "7.5"): more than zero, at
/// most two decimals, and no more than [`crate::plan::MAX_QUANTITY`].
pub fn parse_quantity(field: &str, text: &str) -> Result<crate::plan::Hundredths> {
    use crate::plan::{Hundredths, MAX_QUANTITY};
    let text = text.trim();
    let bad = || Error::invalid(field, "Enter how many, as a number such as 20 or 7.5.");
    if text.is_empty() {
        return Err(Error::invalid(field, "Enter how many, for example 20."));
    }
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    if whole.is_empty() && fraction.is_empty()
        || !whole
            .chars()
            .chain(fraction.chars())
            .all(|c| c.is_ascii_digit())
    {
        return Err(bad());
    }
    if fraction.len() > 2 {
        return Err(Error::invalid(
            field,
            "Use no more than two digits after the decimal point, for example 7.25.",
        ));
    }
    if whole.trim_start_matches('0').len() > 6 {
        return Err(Error::invalid(
            field,
            "That is more than any plan needs. Check the number.",
        ));
    }
    let whole: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().map_err(|_| bad())?
    };
    let fraction: i64 = format!("{fraction:0<2}").parse().map_err(|_| bad())?;
    let quantity = Hundredths(whole * 100 + fraction);
    if quantity.0 == 0 {
        return Err(Error::invalid(field, "Enter a number more than 0."));
    }
    if quantity > MAX_QUANTITY {
        return Err(Error::invalid(
            field,
            "That is more than any plan needs. Check the number.",
        ));
    }
    Ok(quantity)
}

#[cfg(test)]
mod nhs_and_quantity_tests {
    use super::*;

    #[test]
    fn nhs_numbers_are_checked_by_their_check_digit() {
        assert_eq!(
            parse_nhs_number("nhsNumber", "9434765919").unwrap(),
            "943 476 5919"
        );
        assert_eq!(
            parse_nhs_number("nhsNumber", "943-476-5919").unwrap(),
            "943 476 5919"
        );
        assert_eq!(
            parse_nhs_number("nhsNumber", "401 023 2137").unwrap(),
            "401 023 2137"
        );
        for bad in [
            "9434765918",
            "9434765991",
            "943476591",
            "94347659190",
            "943 476 591X",
            "",
            "١٢٣٤٥٦٧٨٩٠",
        ] {
            assert!(parse_nhs_number("nhsNumber", bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn quantities_allow_two_decimals() {
        assert_eq!(parse_quantity("q", "20").unwrap().0, 2_000);
        assert_eq!(parse_quantity("q", "7.5").unwrap().0, 750);
        assert_eq!(parse_quantity("q", " 0.25 ").unwrap().0, 25);
        for bad in [
            "",
            "0",
            "-1",
            "1.234",
            "abc",
            "1e3",
            ".",
            "10001",
            "99999999999999999999",
        ] {
            assert!(parse_quantity("q", bad).is_err(), "{bad:?}");
        }
    }
}
