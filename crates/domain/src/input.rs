//! Reading what people type: dates and short pieces of text.
//!
//! Every form value arrives as text and is checked here, so the UI, the
//! command line and any import get the same rules and the same messages.

use chrono::{Datelike, NaiveDate};

use crate::error::{Error, Result};

/// The earliest and latest years a date may have. Anything outside is a
/// typing slip ("2062" for "2026"), not a real plan date.
pub const YEARS: std::ops::RangeInclusive<i32> = 1900..=2200;

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

/// A label as it reads mid-sentence: "Direct payment" as "direct
/// payment", "Nominee (…)" as "nominee (…)"; only the first letter changes,
/// so "the NHS" stays "the NHS".
pub fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_lowercase().chain(chars).collect()
    })
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
    match text_fault(&text, max_chars, multiline) {
        None => Ok(text),
        Some(TextFault::TooLong { length }) => Err(Error::invalid(
            field,
            format!(
                "{} is too long: {length} characters. Keep it to {max_chars} or fewer.",
                capitalise(label)
            ),
        )),
        Some(TextFault::LineBreak) => Err(Error::invalid(
            field,
            format!(
                "{} must be on one line. Take out the line break and try again.",
                subject(label)
            ),
        )),
        Some(TextFault::Hidden) => Err(Error::invalid(
            field,
            format!(
                "{} has a hidden character in it, such as a zero-width space or a right-to-left \
                 mark, which would make it look different from what it really is. Type it in \
                 again rather than copying and pasting it.",
                subject(label)
            ),
        )),
    }
}

/// What is wrong with a piece of text by the rules typed text is held to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextFault {
    /// More than the most characters allowed.
    TooLong {
        /// How many characters it has.
        length: usize,
    },
    /// A line break in text that must be on one line.
    LineBreak,
    /// A character that cannot be seen ([`is_hidden`]), or a control
    /// character other than a line break or tab in multi-line text.
    Hidden,
}

/// The first rule `text` breaks, if any, of those every piece of typed
/// text is held to: at most `max_chars` characters, and nothing hidden.
/// `multiline` allows line breaks and tabs. (Trimming is the caller's.)
pub fn text_fault(text: &str, max_chars: usize, multiline: bool) -> Option<TextFault> {
    let length = text.chars().count();
    if length > max_chars {
        return Some(TextFault::TooLong { length });
    }
    if !multiline && text.contains(['\n', '\r']) {
        return Some(TextFault::LineBreak);
    }
    let chars: Vec<char> = text.chars().collect();
    let allowed = |at: usize| {
        let c = chars[at];
        !(c.is_control() || is_hidden(c))
            || (multiline && (c == '\n' || c == '\t'))
            || joins_where_needed(&chars, at)
    };
    if !(0..chars.len()).all(allowed) {
        return Some(TextFault::Hidden);
    }
    None
}

/// Whether the format character at `at` is one a script or an emoji needs
/// to be written at all, where it stands: the zero-width joiner and
/// non-joiner between letters of Arabic or Indic scripts (Persian and Urdu
/// words need them) or inside an emoji sequence (a family, a rainbow flag),
/// and the tag characters of the England, Scotland and Wales flags. There
/// they change nothing a search or a reader relies on; between Latin
/// letters they would hide a difference, so they are refused there.
fn joins_where_needed(chars: &[char], at: usize) -> bool {
    let before = at.checked_sub(1).map(|i| chars[i]);
    let after = chars.get(at + 1).copied();
    match chars[at] {
        '\u{200C}' | '\u{200D}' => {
            before.is_some_and(joining_script_or_emoji)
                && after.is_some_and(joining_script_or_emoji)
        }
        // Tags follow a black flag, one after another.
        '\u{E0020}'..='\u{E007F}' => {
            before.is_some_and(|c| c == '\u{1F3F4}' || ('\u{E0020}'..='\u{E007F}').contains(&c))
        }
        _ => false,
    }
}

/// Letters of the scripts that join (Arabic, Syriac, Thaana, N'Ko and the
/// Indic scripts) and emoji, with the variation selector that asks for an
/// emoji's picture form.
fn joining_script_or_emoji(c: char) -> bool {
    matches!(c,
        '\u{0600}'..='\u{08FF}'
        | '\u{0900}'..='\u{0DFF}'
        | '\u{FB50}'..='\u{FDFF}'
        | '\u{FE70}'..='\u{FEFC}'
        | '\u{2600}'..='\u{27BF}'
        | '\u{FE0F}'
        | '\u{1F000}'..='\u{1FAFF}')
        && !is_hidden(c)
}

/// Unicode's format characters (general category Cf), from
/// DerivedGeneralCategory.txt of Unicode 16.0
/// (<https://www.unicode.org/Public/16.0.0/ucd/extracted/DerivedGeneralCategory.txt>).
/// They take no space on the screen but change how the text around them
/// shows, or hide a difference: a zero-width space makes "Tesco" another
/// word that searching for Tesco does not find, and a right-to-left
/// override makes "Invoice fdp.exe" show as "Invoice exe.pdf".
const FORMAT_CHARACTERS: &[(char, char)] = &[
    ('\u{00AD}', '\u{00AD}'),   // soft hyphen
    ('\u{0600}', '\u{0605}'),   // Arabic number signs
    ('\u{061C}', '\u{061C}'),   // Arabic letter mark
    ('\u{06DD}', '\u{06DD}'),   // Arabic end of ayah
    ('\u{070F}', '\u{070F}'),   // Syriac abbreviation mark
    ('\u{0890}', '\u{0891}'),   // Arabic pound and piastre marks above
    ('\u{08E2}', '\u{08E2}'),   // Arabic disputed end of ayah
    ('\u{180E}', '\u{180E}'),   // Mongolian vowel separator
    ('\u{200B}', '\u{200F}'),   // zero-width space, non-joiner, joiner; LRM, RLM
    ('\u{202A}', '\u{202E}'),   // bidi embeddings and overrides
    ('\u{2060}', '\u{2064}'),   // word joiner, invisible operators
    ('\u{2066}', '\u{206F}'),   // bidi isolates, deprecated format characters
    ('\u{FEFF}', '\u{FEFF}'),   // zero-width no-break space (byte order mark)
    ('\u{FFF9}', '\u{FFFB}'),   // interlinear annotation
    ('\u{110BD}', '\u{110BD}'), // Kaithi number sign
    ('\u{110CD}', '\u{110CD}'), // Kaithi number sign above
    ('\u{13430}', '\u{1343F}'), // Egyptian hieroglyph format controls
    ('\u{1BCA0}', '\u{1BCA3}'), // shorthand format controls
    ('\u{1D173}', '\u{1D17A}'), // musical symbol format controls
    ('\u{E0001}', '\u{E0001}'), // language tag
    ('\u{E0020}', '\u{E007F}'), // tag characters
];

/// Characters outside Cf that show as nothing at all, and so hide a
/// difference the same way: the line and paragraph separators (which break
/// a line without looking like a line break in most places) and the Hangul
/// fillers, which are letters with no shape.
const OTHER_INVISIBLE: &[char] = &[
    '\u{2028}', '\u{2029}', '\u{115F}', '\u{1160}', '\u{3164}', '\u{FFA0}',
];

/// Whether `c` is a character a person cannot see that changes what text
/// is or how it shows: a format character (Unicode general category Cf,
/// such as a zero-width space, a soft hyphen or a right-to-left mark), a
/// line or paragraph separator, or a Hangul filler. Typed text with one is
/// refused; an evidence file's name has them taken out.
pub fn is_hidden(c: char) -> bool {
    FORMAT_CHARACTERS
        .binary_search_by(|&(first, last)| {
            if last < c {
                std::cmp::Ordering::Less
            } else if first > c {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .is_ok()
        || OTHER_INVISIBLE.contains(&c)
}

/// `text` without control characters or [hidden](is_hidden) ones, for
/// text that was not typed and so cannot be refused (an evidence file's
/// name): what is left is what a person sees.
pub fn without_hidden(text: &str) -> String {
    text.chars()
        .filter(|&c| !c.is_control() && !is_hidden(c))
        .collect()
}

/// `label` as the subject of a sentence: "the note" becomes "The note",
/// "a name for the plan" becomes "The name for the plan".
fn subject(label: &str) -> String {
    let label = match label.strip_prefix("a ") {
        Some(rest) => format!("the {rest}"),
        None => label.to_owned(),
    };
    let mut chars = label.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
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
pub fn shorten(text: &str, max: usize) -> String {
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

    #[test]
    fn hidden_characters_are_refused_with_a_plain_message() {
        let hidden = [
            '\u{200B}',
            '\u{200C}',
            '\u{200D}',
            '\u{2060}',
            '\u{FEFF}',
            '\u{00AD}',
            '\u{200E}',
            '\u{200F}',
            '\u{202A}',
            '\u{202B}',
            '\u{202C}',
            '\u{202D}',
            '\u{202E}',
            '\u{2066}',
            '\u{2067}',
            '\u{2068}',
            '\u{2069}',
            '\u{061C}',
            '\u{180E}',
            '\u{E0001}',
            '\u{E007F}',
            '\u{2028}',
            '\u{2029}',
            '\u{3164}',
        ];
        for c in hidden {
            assert!(is_hidden(c), "{c:?}");
            let text = format!("Tes{c}co");
            let error = required_text("payee", "who was paid", &text, 200).unwrap_err();
            assert!(
                matches!(&error, Error::Invalid { field, .. } if field == "payee"),
                "{c:?}"
            );
            assert_eq!(
                error.to_string(),
                "Who was paid has a hidden character in it, such as a zero-width space or a \
                 right-to-left mark, which would make it look different from what it really \
                 is. Type it in again rather than copying and pasting it.",
                "{c:?}"
            );
            assert!(optional_text("note", "the note", &text, 200, true).is_err());
            assert!(required_multiline_text("text", "the outcome", &text, 200).is_err());
        }
        assert!(
            required_text("name", "a name for the plan", "Plan\u{202E}fdp.exe", 100)
                .unwrap_err()
                .to_string()
                .starts_with("The name for the plan has a hidden character in it")
        );
        // At the ends too, where trimming does not take them off.
        assert!(required_text("payee", "who was paid", "\u{FEFF}Tesco", 200).is_err());
        assert!(required_text("payee", "who was paid", "Tesco\u{200B}", 200).is_err());
    }

    #[test]
    fn visible_text_of_every_kind_is_kept() {
        for text in [
            "Zoë O’Brien",
            "Łódź café – £12",
            "محمد",
            "שלום",
            "山田太郎",
            "Café ☕ 🎉",
            "Jo\u{00A0}Pike",
            "e\u{0301}",
        ] {
            assert_eq!(
                required_text("payee", "who was paid", text, 200).unwrap(),
                text
            );
            assert!(text.chars().all(|c| !is_hidden(c)), "{text:?}");
        }
    }

    #[test]
    fn line_breaks_in_one_line_text_are_named() {
        assert_eq!(
            required_text("payee", "who was paid", "Jo\nPike", 200)
                .unwrap_err()
                .to_string(),
            "Who was paid must be on one line. Take out the line break and try again."
        );
        assert_eq!(
            optional_text("note", "the note", "a\n\tb", 10, true).unwrap(),
            "a\n\tb"
        );
        assert!(optional_text("note", "the note", "a\rb", 10, true).is_err());
    }

    #[test]
    fn the_format_character_table_is_sorted_and_cf() {
        for pair in FORMAT_CHARACTERS.windows(2) {
            assert!(pair[0].1 < pair[1].0, "{pair:?}");
        }
        for &(first, last) in FORMAT_CHARACTERS {
            assert!(first <= last);
            for c in [first, last] {
                assert!(is_hidden(c), "{c:?}");
            }
        }
        for c in [
            '\u{00AC}', '\u{00AE}', '\u{200A}', '\u{2010}', '\u{2065}', '\u{FEFE}',
        ] {
            assert!(!is_hidden(c), "{c:?}");
        }
    }

    #[test]
    fn file_names_lose_what_cannot_be_seen() {
        assert_eq!(without_hidden("Invoice \u{202E}fdp.exe"), "Invoice fdp.exe");
        assert_eq!(without_hidden("Re\u{200B}ceipt\u{0}.png"), "Receipt.png");
        assert_eq!(without_hidden("\u{200B}\u{FEFF}"), "");
    }

    proptest! {
        #[test]
        fn date_parsing_never_panics(text in "\\PC{0,30}") {
            let _ = parse_date("date", &text);
        }
    }

    #[test]
    fn joiners_that_scripts_and_emoji_need_are_kept_and_others_refused() {
        let note = |text: &str| optional_text("note", "the note", text, 200, true);
        for fine in [
            "\u{0645}\u{06CC}\u{200C}\u{062E}\u{0648}\u{0627}\u{0647}\u{0645}", // Persian "I want"
            "Family day \u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467}",
            "Pride \u{1F3F3}\u{FE0F}\u{200D}\u{1F308}",
            "Wales \u{1F3F4}\u{E0067}\u{E0062}\u{E0077}\u{E006C}\u{E0073}\u{E007F}",
        ] {
            assert!(note(fine).is_ok(), "{fine:?}");
        }
        for hidden in [
            "Tes\u{200D}co",
            "Tes\u{200C}co",
            "\u{200D}\u{1F468}",
            "\u{1F468}\u{200D}",
            "tag \u{E0067}",
            "\u{0645}\u{200B}\u{0645}",
        ] {
            assert!(note(hidden).is_err(), "{hidden:?}");
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
