//! Real layouts of UK bank and prepaid-card statements, and bad files.
//!
//! Each good fixture holds the same six lines of November 2026, laid out
//! as that bank lays out its export: Barclays (signed amount, memo),
//! Lloyds (debit and credit columns, newest first), Nationwide (a preamble,
//! Windows-1252 £ signs, "03 Nov 2026"), Monzo (many columns), Starling
//! (counter party and reference), a council's prepaid card ("03-Nov-26",
//! a closing-balance row), HSBC (no header row), a UTF-8 file with a
//! byte-order mark and an empty line, a semicolon file with decimal
//! commas, and Santander's OFX.

use careledger_domain::money::Money;
use careledger_import::*;
use chrono::NaiveDate;

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name),
    )
    .unwrap()
}

fn read(name: &str) -> Vec<AccountLine> {
    let bytes = fixture(name);
    match file_kind(&bytes).unwrap() {
        FileKind::Ofx => read_ofx(&bytes).unwrap(),
        FileKind::Csv => {
            let sniffed = sniff_csv(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
            read_csv(&bytes, &sniffed.layout).unwrap_or_else(|e| panic!("{name}: {e}"))
        }
    }
}

fn date(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
}

/// The six lines every good fixture holds, oldest first: day, pence, a
/// word of the description.
const NOVEMBER: [(u32, i64, &str); 6] = [
    (3, -4_500, "aqua physio"),
    (4, 296_154, "nhs humber"),
    (5, -116_000, "joanne pike"),
    (5, -1_800, "carefree payroll"),
    (12, -250, "first bus"),
    (12, -250, "first bus"),
];

#[test]
fn every_researched_layout_reads_the_same_six_lines() {
    for name in [
        "barclays.csv",
        "lloyds.csv",
        "nationwide.csv",
        "monzo.csv",
        "starling.csv",
        "prepaid-card.csv",
        "hsbc-no-header.csv",
        "utf8-bom-empty-line.csv",
        "semicolon-decimal-comma.csv",
        "santander.ofx",
    ] {
        let mut lines = read(name);
        lines.sort_by_key(|line| (line.date, line.amount.pence()));
        let mut expected = NOVEMBER.to_vec();
        expected.sort_by_key(|(day, pence, _)| (*day, *pence));
        assert_eq!(lines.len(), 6, "{name}: {lines:#?}");
        for (line, (day, pence, words)) in lines.iter().zip(&expected) {
            assert_eq!(line.date, date(*day), "{name}: {line:?}");
            assert_eq!(line.amount, Money::from_pence(*pence), "{name}: {line:?}");
            assert!(
                line.description.to_lowercase().contains(words),
                "{name}: {:?} should mention {words}",
                line.description
            );
        }
        // The two bus fares are two lines, told apart.
        let prints = fingerprints(&lines);
        let unique: std::collections::HashSet<&String> = prints.iter().collect();
        assert_eq!(unique.len(), 6, "{name}: {prints:?}");
    }
}

#[test]
fn the_layout_found_is_what_a_person_would_say() {
    let nationwide = sniff_csv(&fixture("nationwide.csv")).unwrap().layout;
    assert_eq!(nationwide.encoding, TextEncoding::Windows1252);
    assert_eq!(
        nationwide.header_line,
        Some(5),
        "after the preamble and its blank line"
    );
    assert_eq!(nationwide.date_format, DateFormat::DayMonthNameYear);
    assert_eq!(
        nationwide.amount,
        AmountColumns::InOut {
            paid_in: 4,
            paid_out: 3
        }
    );
    assert_eq!(nationwide.balance_column, Some(5));
    assert_eq!(nationwide.description_columns, [2]);

    let lloyds = sniff_csv(&fixture("lloyds.csv")).unwrap().layout;
    assert_eq!(
        lloyds.amount,
        AmountColumns::InOut {
            paid_in: 6,
            paid_out: 5
        }
    );
    assert_eq!(lloyds.description_columns, [4]);

    let semicolons = sniff_csv(&fixture("semicolon-decimal-comma.csv"))
        .unwrap()
        .layout;
    assert_eq!(
        (semicolons.delimiter, semicolons.decimal_comma),
        (';', true)
    );
    assert_eq!(semicolons.date_format, DateFormat::Iso);

    let hsbc = sniff_csv(&fixture("hsbc-no-header.csv")).unwrap().layout;
    assert_eq!(hsbc.header_line, None);
    assert_eq!(hsbc.columns, ["Column 1", "Column 2", "Column 3"]);
    assert_eq!(hsbc.amount, AmountColumns::Signed { column: 2 });

    let starling = sniff_csv(&fixture("starling.csv")).unwrap().layout;
    assert_eq!(
        starling.description_columns,
        [1, 2],
        "counter party, then reference"
    );

    let card = sniff_csv(&fixture("prepaid-card.csv")).unwrap().layout;
    assert_eq!(card.date_format, DateFormat::DayDashMonthNameDashShortYear);
    // Balances are kept where the file gives them.
    let lines = read("lloyds.csv");
    assert_eq!(lines[0].balance, Some(Money::from_pence(423_104)));
    // The bank's own ids, where there are some.
    let ofx = read("santander.ofx");
    assert_eq!(ofx[0].bank_id.as_deref(), Some("20261103-0001"));
    assert_eq!(ofx[1].description, "NHS HUMBER & NORTH PHB 1126");
}

fn refusal(name: &str) -> String {
    let bytes = fixture(name);
    let error = match file_kind(&bytes) {
        Err(error) => error,
        Ok(_) => match sniff_csv(&bytes) {
            Err(error) => error,
            Ok(sniffed) => read_csv(&bytes, &sniffed.layout).unwrap_err(),
        },
    };
    error.to_string()
}

#[test]
fn bad_files_are_refused_with_the_line_and_what_is_wrong() {
    assert!(
        refusal("empty.csv").contains("empty"),
        "{}",
        refusal("empty.csv")
    );
    assert!(
        refusal("photo.png").contains("not text"),
        "{}",
        refusal("photo.png")
    );
    assert!(
        refusal("header-only.csv").contains("no payments"),
        "{}",
        refusal("header-only.csv")
    );
    let changed = refusal("columns-change.csv");
    assert!(
        changed.starts_with("Line 3 of the file: it has 4 columns"),
        "{changed}"
    );
    let bad_date = refusal("bad-date.csv");
    assert!(
        bad_date.starts_with("Line 3 of the file: \"31/02/2026\" is not a date"),
        "{bad_date}"
    );
    let bad_amount = refusal("bad-amount.csv");
    assert!(
        bad_amount.starts_with("Line 3 of the file: \"2961.5.4\" is not an amount"),
        "{bad_amount}"
    );
    let huge = vec![b'a'; MAX_FILE_BYTES + 1];
    assert!(file_kind(&huge).unwrap_err().to_string().contains("MB"));
}
