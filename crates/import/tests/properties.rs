//! Random statements and random bytes.

use careledger_domain::money::Money;
use careledger_import::*;
use chrono::{Days, NaiveDate};
use proptest::prelude::*;

fn csv_of(lines: &[(u64, i64, String)]) -> String {
    let start = NaiveDate::from_ymd_opt(2026, 4, 1).unwrap();
    let mut text = String::from("Date,Description,Amount\n");
    for (day, pence, words) in lines {
        let date = start + Days::new(*day);
        let sign = if *pence < 0 { "-" } else { "" };
        let abs = pence.unsigned_abs();
        text.push_str(&format!(
            "{},\"{}\",{sign}{}.{:02}\n",
            date.format("%d/%m/%Y"),
            words.replace('"', "\"\""),
            abs / 100,
            abs % 100
        ));
    }
    text
}

proptest! {
    /// A statement read twice gives the same lines and the same prints, so
    /// the second import finds every line already there; and no two lines
    /// of one file share a print, so none is lost as a duplicate.
    #[test]
    fn a_statement_read_twice_is_the_same_lines_with_the_same_prints(
        lines in proptest::collection::vec(
            (0u64..365, prop_oneof![-500_000i64..-1, 1i64..500_000], "[A-Za-z0-9 &,.'\"-]{1,30}"),
            1..60,
        )
    ) {
        let bytes = csv_of(&lines).into_bytes();
        let sniffed = sniff_csv(&bytes).unwrap();
        let first = read_csv(&bytes, &sniffed.layout).unwrap();
        let again = read_csv(&bytes, &sniff_csv(&bytes).unwrap().layout).unwrap();
        prop_assert_eq!(&first, &again);
        prop_assert_eq!(fingerprints(&first), fingerprints(&again));
        let prints = fingerprints(&first);
        let unique: std::collections::HashSet<&String> = prints.iter().collect();
        prop_assert_eq!(unique.len(), prints.len());
        let total: i64 = first.iter().map(|l| l.amount.pence()).sum();
        prop_assert_eq!(total, lines.iter().map(|(_, p, _)| p).sum::<i64>());
        prop_assert!(first.iter().all(|l| l.amount != Money::ZERO));
    }

    /// Anything at all is read or refused in words; never a panic.
    #[test]
    fn any_bytes_are_read_or_refused(bytes in proptest::collection::vec(any::<u8>(), 0..2_000)) {
        if let Ok(kind) = file_kind(&bytes) {
            let _ = match kind {
                FileKind::Ofx => read_ofx(&bytes).map(|_| ()),
                FileKind::Csv => sniff_csv(&bytes).and_then(|s| read_csv(&bytes, &s.layout).map(|_| ())),
            };
        }
    }

    /// Text that looks like a statement, cut and shuffled, is still read or
    /// refused, never a panic.
    #[test]
    fn damaged_statements_are_read_or_refused(cut in 0usize..400, extra in "[0-9,;/\\-\\n£.\"a-z ]{0,80}") {
        let mut text = csv_of(&[(1, -4500, "Aqua".into()), (2, 296_154, "NHS".into())]);
        text.truncate(cut.min(text.len()));
        text.push_str(&extra);
        let bytes = text.into_bytes();
        if file_kind(&bytes).is_ok() {
            let _ = sniff_csv(&bytes).and_then(|s| read_csv(&bytes, &s.layout));
            let _ = read_ofx(&bytes);
        }
    }
}
