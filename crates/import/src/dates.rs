//! Dates as UK banks write them. Day before month always: a UK statement's
//! 03/04/2026 is 3 April.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A way of writing dates, as a chrono format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum DateFormat {
    /// 25/11/2026
    DaySlashMonthSlashYear,
    /// 25/11/26
    DaySlashMonthSlashShortYear,
    /// 2026-11-25
    Iso,
    /// 25 Nov 2026
    DayMonthNameYear,
    /// 25-Nov-26
    DayDashMonthNameDashShortYear,
    /// 25-Nov-2026
    DayDashMonthNameDashYear,
    /// 25-11-2026
    DayDashMonthDashYear,
    /// 25.11.2026
    DayDotMonthDotYear,
}

impl DateFormat {
    /// Every format, in the order they are tried.
    pub const ALL: [DateFormat; 8] = [
        DateFormat::DaySlashMonthSlashYear,
        DateFormat::Iso,
        DateFormat::DayMonthNameYear,
        DateFormat::DayDashMonthNameDashShortYear,
        DateFormat::DayDashMonthNameDashYear,
        DateFormat::DayDashMonthDashYear,
        DateFormat::DayDotMonthDotYear,
        DateFormat::DaySlashMonthSlashShortYear,
    ];

    fn pattern(self) -> &'static str {
        match self {
            DateFormat::DaySlashMonthSlashYear => "%d/%m/%Y",
            DateFormat::DaySlashMonthSlashShortYear => "%d/%m/%y",
            DateFormat::Iso => "%Y-%m-%d",
            DateFormat::DayMonthNameYear => "%d %b %Y",
            DateFormat::DayDashMonthNameDashShortYear => "%d-%b-%y",
            DateFormat::DayDashMonthNameDashYear => "%d-%b-%Y",
            DateFormat::DayDashMonthDashYear => "%d-%m-%Y",
            DateFormat::DayDotMonthDotYear => "%d.%m.%Y",
        }
    }

    /// An example, to show a person which format was taken.
    pub fn example(self) -> &'static str {
        match self {
            DateFormat::DaySlashMonthSlashYear => "25/11/2026",
            DateFormat::DaySlashMonthSlashShortYear => "25/11/26",
            DateFormat::Iso => "2026-11-25",
            DateFormat::DayMonthNameYear => "25 Nov 2026",
            DateFormat::DayDashMonthNameDashShortYear => "25-Nov-26",
            DateFormat::DayDashMonthNameDashYear => "25-Nov-2026",
            DateFormat::DayDashMonthDashYear => "25-11-2026",
            DateFormat::DayDotMonthDotYear => "25.11.2026",
        }
    }

    /// The date in `text`, if it is written this way. A time after the
    /// date ("25/11/2026 14:03") is allowed and ignored; full month names
    /// ("25 November 2026") read as the short ones do.
    pub fn parse(self, text: &str) -> Option<NaiveDate> {
        let text = text.trim();
        let date_part = match self {
            // A date written with spaces keeps its first three words.
            DateFormat::DayMonthNameYear => text
                .split_whitespace()
                .take(3)
                .collect::<Vec<_>>()
                .join(" "),
            _ => text.split([' ', 'T']).next().unwrap_or("").to_owned(),
        };
        let parsed = NaiveDate::parse_from_str(&date_part, self.pattern()).ok();
        parsed
            .or_else(|| match self {
                DateFormat::DayMonthNameYear => {
                    NaiveDate::parse_from_str(&date_part, "%d %B %Y").ok()
                }
                _ => None,
            })
            // chrono reads "26" as the year 26 for a four-digit year.
            .filter(|date| (1990..=2100).contains(&chrono::Datelike::year(date)))
    }

    /// The first format that reads every one of `samples` (at least one).
    pub fn detect<'a>(samples: impl IntoIterator<Item = &'a str> + Clone) -> Option<DateFormat> {
        let mut samples = samples.into_iter().peekable();
        samples.peek()?;
        let samples: Vec<&str> = samples.collect();
        DateFormat::ALL
            .into_iter()
            .find(|format| samples.iter().all(|sample| format.parse(sample).is_some()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn uk_statement_dates_read_day_first() {
        for (text, format) in [
            ("25/11/2026", DateFormat::DaySlashMonthSlashYear),
            ("2026-11-25", DateFormat::Iso),
            ("25 Nov 2026", DateFormat::DayMonthNameYear),
            ("25 November 2026", DateFormat::DayMonthNameYear),
            ("25-Nov-26", DateFormat::DayDashMonthNameDashShortYear),
            ("25-Nov-2026", DateFormat::DayDashMonthNameDashYear),
            ("25-11-2026", DateFormat::DayDashMonthDashYear),
            ("25.11.2026", DateFormat::DayDotMonthDotYear),
            ("25/11/26", DateFormat::DaySlashMonthSlashShortYear),
            ("25/11/2026 14:03", DateFormat::DaySlashMonthSlashYear),
        ] {
            assert_eq!(DateFormat::detect([text]), Some(format), "{text}");
            assert_eq!(format.parse(text), Some(date(2026, 11, 25)), "{text}");
        }
        assert_eq!(
            DateFormat::DaySlashMonthSlashYear.parse("03/04/2026"),
            Some(date(2026, 4, 3)),
            "3 April, not 4 March"
        );
        assert_eq!(DateFormat::detect(["31/02/2026"]), None);
        assert_eq!(DateFormat::detect(["Total"]), None);
    }
}
