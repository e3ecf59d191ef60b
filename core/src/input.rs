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
pub fn parse_date(field: &'static str, text: &str) -> Result<NaiveDate> {
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
pub fn required_text(
    field: &'static str,
    label: &str,
    text: &str,
    max_chars: usize,
) -> Result<String> {
    let text = optional_text(field, label, text, max_chars, false)?;
    if text.is_empty() {
        return Err(Error::invalid(field, format!("Enter {label}.")));
    }
    Ok(text)
}

/// Checks a piece of text that may be left empty. `multiline` allows line
/// breaks (for notes).
pub fn optional_text(
    field: &'static str,
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
                matches!(error, Error::Invalid { field: "date", .. }),
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
