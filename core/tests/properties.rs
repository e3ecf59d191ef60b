//! Property tests: every reader of outside input, fed random and
//! nearly-right input, never panics, and either accepts it or refuses it
//! with a plain message. Readers of files (the data file, a backup, an
//! export) also leave the file they were given exactly as it was.
//!
//! Each property runs `PROPTEST_CASES` cases (256 by default; the costly
//! ones a share of that) and prints how many inputs it tried.
//! `cargo xtask fuzz` runs the same properties with many more cases.

mod common;

use careledger_core::export::Exports;
use careledger_core::records::Records;
use careledger_core::views::Views;
use std::cell::Cell;
use std::fmt::Debug;
use std::path::Path;
use std::sync::OnceLock;

use careledger_core::backup::inspect;
use careledger_core::evidence::{check_evidence, EvidenceKind};
use careledger_core::input::{
    format_date, optional_text, parse_date, parse_nhs_number, parse_quantity, required_text,
};
use careledger_core::ledger::{
    HowPaid, LineKey, MoneyInDraft, MoneyInKind, PaymentDraft, SplitDraft,
};
use careledger_core::money::MAX_ENTERED_PENCE;
use careledger_core::plan::{Category, Hundredths, MAX_QUANTITY};
use careledger_core::plan_forms::format_quantity;
use careledger_core::statement_csv::{plain, spreadsheet_text, to_csv};
use careledger_core::store::{BackupFiles, SCHEMA_VERSION};
use careledger_core::{Error, ErrorCode, Money, Store};
use chrono::{Datelike, Days, NaiveDate};
use common::*;
use proptest::prelude::*;
use proptest::test_runner::{
    Config, FileFailurePersistence, TestCaseResult, TestError, TestRunner,
};

/// Runs `property` on inputs from `strategy`: `PROPTEST_CASES` of them
/// (default 256), divided by `cost` for properties that are slow per case.
/// Prints how many inputs were tried; on failure, panics with the smallest
/// failing input proptest could find.
fn check<S>(name: &str, cost: u32, strategy: S, property: impl Fn(S::Value) -> TestCaseResult)
where
    S: Strategy,
    S::Value: Debug,
{
    let defaults = Config::default();
    let config = Config {
        cases: (defaults.cases / cost).max(1),
        // A failure is saved beside this file, in properties.proptest-regressions,
        // and tried first next time. (The default place is found from lib.rs,
        // which an integration test does not have.)
        source_file: Some(file!()),
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource(
            "proptest-regressions",
        ))),
        ..defaults
    };
    let mut runner = TestRunner::new(config);
    let tried = Cell::new(0_u64);
    let result = runner.run(&strategy, |value| {
        tried.set(tried.get() + 1);
        property(value)
    });
    match result {
        Ok(()) => report(&format!(
            "properties: {name}: {} inputs tried, none failed",
            tried.get()
        )),
        Err(TestError::Fail(reason, input)) => {
            panic!("{name} failed: {reason}\nsmallest failing input: {input:#?}")
        }
        Err(TestError::Abort(reason)) => panic!("{name} gave up: {reason}"),
    }
}

/// Writes straight to stderr: libtest captures `eprintln!` in passing
/// tests, and these counts are meant to be seen in every run.
fn report(line: &str) {
    use std::io::Write;
    let mut stderr = std::io::stderr().lock();
    let _ = writeln!(stderr, "{line}");
}

/// Any text at all, control characters and all.
fn any_text() -> impl Strategy<Value = String> {
    proptest::collection::vec(any::<char>(), 0..40).prop_map(String::from_iter)
}

/// Random text half the time; otherwise text from `alphabet`, which is
/// close to what the parser accepts and so reaches its deeper branches.
fn text_near(alphabet: &'static str) -> impl Strategy<Value = String> {
    prop_oneof![any_text(), alphabet]
}

/// Fails unless `message` reads as a sentence for a person: something
/// said, with no stray spaces, ending in a full stop.
fn assert_plain(message: &str) -> TestCaseResult {
    prop_assert!(!message.is_empty(), "empty message");
    prop_assert_eq!(message, message.trim(), "stray spaces");
    prop_assert!(message.ends_with('.'), "no full stop: {:?}", message);
    Ok(())
}

/// Fails unless `error` is a form error on `field` with a plain message.
fn assert_refused(error: &Error, field: &str) -> TestCaseResult {
    match error {
        Error::Invalid {
            field: got,
            message,
        } => {
            prop_assert_eq!(got, field);
            prop_assert_eq!(error.code(), ErrorCode::InvalidInput);
            assert_plain(message)
        }
        other => Err(TestCaseError::fail(format!(
            "expected a form error, got {other:?}"
        ))),
    }
}

// ---------------------------------------------------------------------
// Money.

#[test]
fn amounts_are_read_or_refused_plainly() {
    check(
        "money: parse",
        1,
        text_near("[£ ,.0-9−-]{0,16}"),
        |text| match Money::parse(&text) {
            Ok(money) => {
                prop_assert!((0..=MAX_ENTERED_PENCE).contains(&money.pence()));
                // What it shows is what it read.
                prop_assert_eq!(Money::parse(&money.to_string()), Ok(money));
                Ok(())
            }
            Err(error) => {
                assert_plain(&error.to_string())?;
                assert_refused(&Error::invalid_money("amount", error), "amount")
            }
        },
    );
}

#[test]
fn amounts_round_trip_through_display_and_csv() {
    check("money: display, parse", 1, 0..=MAX_ENTERED_PENCE, |pence| {
        let money = Money::from_pence(pence);
        prop_assert_eq!(Money::parse(&money.to_string()), Ok(money));
        prop_assert_eq!(Money::parse(&plain(money)), Ok(money));
        Ok(())
    });
}

// ---------------------------------------------------------------------
// Dates.

#[test]
fn dates_are_read_or_refused_plainly() {
    check(
        "dates: parse",
        1,
        text_near("[0-9]{1,4}[/ .-]{1,2}([0-9]{1,2}|[A-Za-z]{3,9})[/ .-]{1,2}[0-9]{1,4}"),
        |text| match parse_date("date", &text) {
            Ok(date) => {
                prop_assert!((1900..=2200).contains(&date.year()));
                prop_assert_eq!(parse_date("date", &format_date(date)).ok(), Some(date));
                Ok(())
            }
            Err(error) => assert_refused(&error, "date"),
        },
    );
}

#[test]
fn every_likely_date_reads_in_every_uk_form() {
    let first = NaiveDate::from_ymd_opt(1900, 1, 1).unwrap();
    let last = NaiveDate::from_ymd_opt(2200, 12, 31).unwrap();
    let span = (last - first).num_days() as u64;
    check("dates: every form", 1, 0..=span, |offset| {
        let date = first + Days::new(offset);
        for format in [
            "%d/%m/%Y",
            "%-d/%-m/%Y",
            "%d-%m-%Y",
            "%d.%m.%Y",
            "%d %b %Y",
            "%-d %B %Y",
            "%Y-%m-%d",
        ] {
            let text = date.format(format).to_string();
            prop_assert_eq!(parse_date("date", &text).ok(), Some(date), "{}", text);
        }
        prop_assert_eq!(parse_date("date", &format_date(date)).ok(), Some(date));
        Ok(())
    });
}

// ---------------------------------------------------------------------
// NHS numbers.

/// Nine digits and their check digit, when they have one (a remainder
/// that gives 10 means no valid number starts with these nine).
fn with_check_digit(nine: &[u32]) -> Option<Vec<u32>> {
    let sum: u32 = nine.iter().zip((2..=10).rev()).map(|(d, w)| d * w).sum();
    let check = match 11 - sum % 11 {
        11 => 0,
        10 => return None,
        check => check,
    };
    let mut digits = nine.to_vec();
    digits.push(check);
    Some(digits)
}

fn digits_text(digits: &[u32]) -> String {
    digits
        .iter()
        .map(|d| char::from_digit(*d, 10).unwrap())
        .collect()
}

#[test]
fn nhs_numbers_are_read_or_refused_plainly() {
    check(
        "NHS numbers: parse",
        1,
        text_near("[0-9 -]{8,14}"),
        |text| match parse_nhs_number("nhsNumber", &text) {
            Ok(number) => {
                let shape = number.chars().enumerate().all(|(i, c)| {
                    if i == 3 || i == 7 {
                        c == ' '
                    } else {
                        c.is_ascii_digit()
                    }
                });
                prop_assert!(shape && number.len() == 12, "{:?}", number);
                prop_assert_eq!(parse_nhs_number("nhsNumber", &number).ok(), Some(number));
                Ok(())
            }
            Err(error) => assert_refused(&error, "nhsNumber"),
        },
    );
}

#[test]
fn nhs_check_digit_catches_one_wrong_digit_and_swaps() {
    let nine = proptest::collection::vec(0..10_u32, 9);
    check(
        "NHS numbers: check digit",
        1,
        (nine, 0..10_usize, 1..10_u32),
        |(nine, position, change)| {
            let Some(digits) = with_check_digit(&nine) else {
                return Ok(());
            };
            prop_assert!(parse_nhs_number("nhsNumber", &digits_text(&digits)).is_ok());
            let mut wrong = digits.clone();
            wrong[position] = (wrong[position] + change) % 10;
            prop_assert!(parse_nhs_number("nhsNumber", &digits_text(&wrong)).is_err());
            if position < 9 && digits[position] != digits[position + 1] {
                let mut swapped = digits.clone();
                swapped.swap(position, position + 1);
                prop_assert!(parse_nhs_number("nhsNumber", &digits_text(&swapped)).is_err());
            }
            Ok(())
        },
    );
}

// ---------------------------------------------------------------------
// Quantities.

#[test]
fn quantities_are_read_or_refused_plainly() {
    check(
        "quantities: parse",
        1,
        text_near("[0-9. -]{0,10}"),
        |text| match parse_quantity("quantity", &text) {
            Ok(quantity) => {
                prop_assert!(Hundredths(0) < quantity && quantity <= MAX_QUANTITY);
                prop_assert_eq!(
                    parse_quantity("quantity", &format_quantity(quantity)).ok(),
                    Some(quantity)
                );
                Ok(())
            }
            Err(error) => assert_refused(&error, "quantity"),
        },
    );
}

#[test]
fn quantities_round_trip_through_display() {
    check(
        "quantities: display, parse",
        1,
        1..=MAX_QUANTITY.0,
        |hundredths| {
            let quantity = Hundredths(hundredths);
            prop_assert_eq!(
                parse_quantity("quantity", &format_quantity(quantity)).ok(),
                Some(quantity)
            );
            Ok(())
        },
    );
}

// ---------------------------------------------------------------------
// Text.

#[test]
fn text_is_kept_clean_or_refused_plainly() {
    let text = prop_oneof![any_text(), "[ a-zé\\t\\r\\n\\x00\\x7f\\x{202e}]{0,30}"];
    check(
        "text checks",
        1,
        (text, 1..40_usize, any::<bool>()),
        |(text, max, multiline)| {
            match optional_text("note", "the note", &text, max, multiline) {
                Ok(clean) => {
                    prop_assert!(clean.chars().count() <= max);
                    prop_assert_eq!(clean.as_str(), clean.trim());
                    prop_assert!(!clean.contains('\r'));
                    let allowed =
                        |c: char| !c.is_control() || (multiline && matches!(c, '\n' | '\t'));
                    prop_assert!(clean.chars().all(allowed), "{:?}", clean);
                }
                Err(error) => assert_refused(&error, "note")?,
            }
            match required_text("payee", "who was paid", &text, max) {
                Ok(clean) => prop_assert!(!clean.is_empty() && !clean.contains('\n')),
                Err(error) => assert_refused(&error, "payee")?,
            }
            Ok(())
        },
    );
}

/// Unicode 16.0's format characters (general category Cf), written out
/// here from the Unicode Character Database rather than taken from core,
/// so that the property checks core's list against an independent one.
const FORMAT_CHARACTERS: &[(u32, u32)] = &[
    (0x00AD, 0x00AD),
    (0x0600, 0x0605),
    (0x061C, 0x061C),
    (0x06DD, 0x06DD),
    (0x070F, 0x070F),
    (0x0890, 0x0891),
    (0x08E2, 0x08E2),
    (0x180E, 0x180E),
    (0x200B, 0x200F),
    (0x202A, 0x202E),
    (0x2060, 0x2064),
    (0x2066, 0x206F),
    (0xFEFF, 0xFEFF),
    (0xFFF9, 0xFFFB),
    (0x110BD, 0x110BD),
    (0x110CD, 0x110CD),
    (0x13430, 0x1343F),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0001, 0xE0001),
    (0xE0020, 0xE007F),
];

/// Any format character.
fn format_character() -> impl Strategy<Value = char> {
    proptest::sample::select(FORMAT_CHARACTERS).prop_flat_map(|(first, last)| {
        (first..=last).prop_map(|code| char::from_u32(code).unwrap())
    })
}

fn is_hidden_message(error: &Error) -> bool {
    error.to_string().contains("has a hidden character in it")
}

#[test]
fn text_with_a_hidden_character_is_always_refused() {
    // Text people type, with one format character put in anywhere: at the
    // start, the end, or between letters.
    let strategy = (
        "[ a-zA-Z0-9éß’£.,-]{0,30}",
        format_character(),
        0..=30_usize,
    );
    check("hidden characters", 1, strategy, |(text, hidden, at)| {
        let mut chars: Vec<char> = text.chars().collect();
        chars.insert(at.min(chars.len()), hidden);
        let text: String = chars.into_iter().collect();
        for result in [
            required_text("payee", "who was paid", &text, 200),
            optional_text("note", "the note", &text, 200, true),
        ] {
            match result {
                Ok(clean) => return Err(TestCaseError::fail(format!("{clean:?} was let in"))),
                Err(error) => {
                    prop_assert!(is_hidden_message(&error), "{}", error);
                    assert_plain(&error.to_string())?;
                }
            }
        }
        Ok(())
    });
}

#[test]
fn text_with_nothing_hidden_is_never_refused_as_hidden() {
    // Any printable text (no control or format characters: \PC) of any
    // script, within the length allowed.
    check(
        "text without hidden characters",
        1,
        ("\\PC{0,30}", any::<bool>()),
        |(text, multiline)| {
            let hidden = text.chars().any(careledger_core::input::is_hidden);
            for result in [
                required_text("payee", "who was paid", &text, 200).map(|_| ()),
                optional_text("note", "the note", &text, 200, multiline).map(|_| ()),
            ] {
                if let Err(error) = result {
                    prop_assert!(
                        hidden || !is_hidden_message(&error),
                        "{:?} refused as hidden: {}",
                        text,
                        error
                    );
                }
            }
            Ok(())
        },
    );
}

// ---------------------------------------------------------------------
// The statement's CSV.

/// A payment for the CSV property: how much, when, on which line (or split
/// across two), and whether it is then removed.
#[derive(Debug, Clone)]
struct RandomPayment {
    pence: i64,
    day: u64,
    line: i64,
    split: bool,
    voided: bool,
    payee: &'static str,
    note: &'static str,
}

/// Text that a CSV writer must quote or escape to get right.
const AWKWARD_PAYEES: &[&str] = &[
    "Jo Pike",
    "Pike, Jo",
    "\"Best\" Taxis",
    "Café Ünïcode ☕",
    " ",
    "=HYPERLINK(\"http://example.com\")",
];
const AWKWARD_NOTES: &[&str] = &[
    "",
    "Two lines\nof note",
    "a;b;c",
    "\"quoted\", and comma",
    "+44 7700 900123",
];

fn random_payment() -> impl Strategy<Value = RandomPayment> {
    (
        1..=500_000_i64,
        0..=238_u64,
        1..=3_i64,
        any::<bool>(),
        prop::bool::weighted(0.2),
        prop::sample::select(AWKWARD_PAYEES),
        prop::sample::select(AWKWARD_NOTES),
    )
        .prop_map(
            |(pence, day, line, split, voided, payee, note)| RandomPayment {
                pence,
                day,
                line,
                // A payment of 1p cannot be split into two parts of at least 1p.
                split: split && pence > 1,
                voided,
                payee,
                note,
            },
        )
}

#[test]
fn the_statement_csv_adds_up_to_the_statement() {
    let money_in = proptest::collection::vec(
        (1..=2_000_000_i64, 0..=238_u64, prop::bool::weighted(0.2)),
        0..4,
    );
    let payments = proptest::collection::vec(random_payment(), 0..12);
    check(
        "statement CSV: totals",
        4,
        (payments, money_in),
        |(payments, money_in)| {
            let mut plan = simple_plan("£30,000");
            plan.content.lines = vec![
                sum_line(Category::PersonalAssistants, "Support", "£10,000"),
                sum_line(Category::Equipment, "Equipment, \"large\"", "£10,000"),
                sum_line(Category::Transport, "Transport", "£10,000"),
            ];
            let (mut store, by, holder, plan) = store_with(&plan);
            let start = date(2026, 4, 1);
            let mut recorded_payees = Vec::new();
            for payment in &payments {
                let splits = if payment.split {
                    let first = payment.pence / 2;
                    vec![
                        (payment.line, first),
                        (payment.line % 3 + 1, payment.pence - first),
                    ]
                } else {
                    vec![(payment.line, payment.pence)]
                };
                let draft = PaymentDraft {
                    paid_on: (start + Days::new(payment.day)).to_string(),
                    payee: payment.payee.into(),
                    amount: Money::from_pence(payment.pence).to_string(),
                    how_paid: HowPaid::Card,
                    reference: String::new(),
                    cash_withdrawal: false,
                    splits: splits
                        .iter()
                        .map(|&(line, pence)| SplitDraft {
                            line_key: LineKey(line),
                            amount: Money::from_pence(pence).to_string(),
                        })
                        .collect(),
                    note: payment.note.into(),
                    no_evidence_reason: String::new(),
                    recorded_by: by,
                };
                match store.record_payment(plan, &draft, today()) {
                    Ok(made) => {
                        recorded_payees.push(made.payee.clone());
                        if payment.voided {
                            store
                                .void_payment(plan, made.key, "Entered twice", by)
                                .unwrap();
                        }
                    }
                    // A payee of only spaces is refused, as it should be.
                    Err(error) => assert_refused(&error, "payee")?,
                }
            }
            for &(pence, day, voided) in &money_in {
                let draft = MoneyInDraft {
                    received_on: (start + Days::new(day)).to_string(),
                    kind: MoneyInKind::Funding,
                    source: "NHS, \"ICB\"".into(),
                    amount: Money::from_pence(pence).to_string(),
                    reference: String::new(),
                    note: String::new(),
                    recorded_by: by,
                };
                let made = store.record_money_in(plan, &draft, today()).unwrap();
                if voided {
                    store
                        .void_money_in(plan, made.key, "Not received", by)
                        .unwrap();
                }
            }
            let statement = store.statement(holder, "1/4/2026", "31/3/2027").unwrap();
            let bytes = to_csv(&statement).unwrap();
            let body = bytes
                .strip_prefix("\u{feff}".as_bytes())
                .ok_or_else(|| TestCaseError::fail("the CSV has no byte-order mark"))?;
            let mut reader = csv::Reader::from_reader(body);
            let headers = reader.headers().unwrap().clone();
            prop_assert_eq!(headers.len(), 16);
            let column = |name: &str| headers.iter().position(|h| h == name).unwrap();
            let (kind, who, note, status) = (
                column("Type"),
                column("Who"),
                column("Note"),
                column("Status"),
            );
            let amount_in = |record: &csv::StringRecord, name: &str| {
                let text = &record[column(name)];
                if text.is_empty() {
                    return Ok(Money::ZERO);
                }
                Money::parse(text).map_err(|e| TestCaseError::fail(format!("{text:?}: {e}")))
            };
            let mut money_in_total = Money::ZERO;
            let mut money_out_total = Money::ZERO;
            let mut out_rows = Vec::new();
            for record in reader.records() {
                let record = record.unwrap();
                prop_assert_eq!(record.len(), 16);
                // A plain sum of each money column: removed rows keep
                // their amount in a column of their own.
                money_in_total = money_in_total
                    .checked_add(amount_in(&record, "Money in")?)
                    .unwrap();
                money_out_total = money_out_total
                    .checked_add(amount_in(&record, "Money out")?)
                    .unwrap();
                let removed = amount_in(&record, "Removed amount")?;
                match &record[kind] {
                    "Money in" => prop_assert_eq!(&record[status], "Received"),
                    "Money out" | "Cash taken out" => {
                        prop_assert_eq!(
                            record[status].starts_with("Removed: "),
                            removed != Money::ZERO
                        );
                        out_rows.push((record[who].to_owned(), record[note].to_owned()));
                    }
                    other => return Err(TestCaseError::fail(format!("row type {other:?}"))),
                }
            }
            prop_assert_eq!(money_in_total, statement.money_in_total);
            prop_assert_eq!(money_out_total, statement.money_out_total);
            // Awkward text comes back exactly, row for row.
            let expected: Vec<(String, String)> = statement
                .payments
                .iter()
                .map(|p| {
                    (
                        spreadsheet_text(&p.payee).into_owned(),
                        spreadsheet_text(&p.note).into_owned(),
                    )
                })
                .collect();
            prop_assert_eq!(out_rows, expected);
            prop_assert_eq!(statement.payments.len(), recorded_payees.len());
            Ok(())
        },
    );
}

// ---------------------------------------------------------------------
// Opening a damaged or foreign file.

/// A small real Careledger database, and a backup and an export of it, as
/// bytes.
struct RealFiles {
    database: Vec<u8>,
    backup: Vec<u8>,
    export: Vec<u8>,
}

fn real_files() -> &'static RealFiles {
    static FILES: OnceLock<RealFiles> = OnceLock::new();
    FILES.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("real.sqlite3");
        let backup = dir.path().join("real.backup.sqlite3");
        let export = dir.path().join("real.zip");
        {
            let mut store = Store::open(&path).unwrap();
            let carer = person(&mut store, "David Ellis");
            let holder = store
                .add_holder(&new_holder("Margaret Ellis", carer), today())
                .unwrap();
            let plan = store
                .create_plan(holder.id, &simple_plan("£1,000"), carer)
                .unwrap()
                .plan_id;
            let paid = store
                .record_payment(
                    plan,
                    &spending("1/5/2026", "Jo Pike", "£12.50", carer),
                    today(),
                )
                .unwrap();
            store
                .attach_evidence(
                    plan,
                    paid.key,
                    EvidenceKind::Receipt,
                    &check_evidence("receipt.png", include_bytes!("fixtures/receipt.png")).unwrap(),
                    carer,
                )
                .unwrap();
            store.backup_to(&backup, BackupFiles::Carried).unwrap();
            store.export_all(&export).unwrap();
        }
        RealFiles {
            // Closing the last connection folded the WAL into the file.
            database: std::fs::read(&path).unwrap(),
            backup: std::fs::read(&backup).unwrap(),
            export: std::fs::read(&export).unwrap(),
        }
    })
}

fn real_database() -> &'static [u8] {
    &real_files().database
}

/// The names in `dir`, sorted.
fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// What to feed `Store::open`.
#[derive(Debug, Clone)]
enum Damage {
    /// Bytes from nowhere.
    Random(Vec<u8>),
    /// SQLite's magic header followed by random bytes.
    SqliteHeader(Vec<u8>),
    /// A real file with bytes changed (mostly in its first 100 bytes, a
    /// database's header, where damage matters most) and perhaps cut short.
    Mutated {
        changes: Vec<(usize, u8)>,
        keep: Option<usize>,
    },
}

impl Damage {
    /// The damaged bytes; `Mutated` changes a copy of `real`.
    fn bytes(&self, real: &[u8]) -> Vec<u8> {
        match self {
            Damage::Random(bytes) => bytes.clone(),
            Damage::SqliteHeader(rest) => [b"SQLite format 3\0".as_slice(), rest].concat(),
            Damage::Mutated { changes, keep } => {
                let mut bytes = real.to_vec();
                for &(offset, byte) in changes {
                    let offset = offset % bytes.len();
                    bytes[offset] = byte;
                }
                if let Some(keep) = keep {
                    bytes.truncate(keep % bytes.len());
                }
                bytes
            }
        }
    }
}

fn damage() -> impl Strategy<Value = Damage> {
    let offset = prop_oneof![3 => 0..100_usize, 1 => 0..1_000_000_usize];
    prop_oneof![
        1 => proptest::collection::vec(any::<u8>(), 1..2_048).prop_map(Damage::Random),
        1 => proptest::collection::vec(any::<u8>(), 0..2_048).prop_map(Damage::SqliteHeader),
        3 => (
            proptest::collection::vec((offset, any::<u8>()), 1..6),
            proptest::option::weighted(0.2, 1..1_000_000_usize),
        )
            .prop_map(|(changes, keep)| Damage::Mutated { changes, keep }),
    ]
}

/// Removes the file and SQLite's companions left by an earlier case.
/// Removes a data file, SQLite's files beside it and the receipts folder
/// an import or a restore makes beside it.
fn clear(path: &Path) {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        let _ = std::fs::remove_file(name);
    }
    let _ = std::fs::remove_dir_all(path.with_file_name("receipts"));
}

#[test]
fn a_damaged_or_foreign_file_is_refused_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("careledger.sqlite3");
    let opened = Cell::new(0_u32);
    check("Store::open: damaged files", 1, damage(), |damage| {
        let bytes = damage.bytes(real_database());
        clear(&path);
        std::fs::write(&path, &bytes).unwrap();
        match Store::open(&path) {
            Err(error) => {
                assert_plain(&error.to_string())?;
                let after = std::fs::read(&path).unwrap();
                prop_assert!(after == bytes, "the refused file was changed");
            }
            // Damage where nothing reads it leaves a usable database; it
            // must then work like one, or fail plainly.
            Ok(store) => {
                opened.set(opened.get() + 1);
                if let Err(error) = store.holders() {
                    assert_plain(&error.to_string())?;
                }
            }
        }
        Ok(())
    });
    report(&format!(
        "properties: Store::open: {} damaged files still opened (damage in unused bytes)",
        opened.get()
    ));
}

// ---------------------------------------------------------------------
// Backups and exports offered to be read back.

#[test]
fn a_damaged_backup_is_inspected_without_a_mark_on_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("careledger-2026-11-25.backup.sqlite3");
    let read = Cell::new(0_u32);
    check("backup::inspect: damaged backups", 2, damage(), |damage| {
        let bytes = damage.bytes(&real_files().backup);
        clear(&path);
        std::fs::write(&path, &bytes).unwrap();
        match inspect(&path) {
            Ok(preview) => {
                read.set(read.get() + 1);
                prop_assert!((1..=SCHEMA_VERSION as i64).contains(&preview.schema_version));
            }
            Err(error) => assert_plain(&error.to_string())?,
        }
        // Read or refused, the file is as it was, with nothing beside it.
        prop_assert!(
            std::fs::read(&path).unwrap() == bytes,
            "the backup was changed"
        );
        prop_assert_eq!(
            listing(dir.path()),
            ["careledger-2026-11-25.backup.sqlite3"]
        );
        Ok(())
    });
    report(&format!(
        "properties: backup::inspect: {} damaged backups still read (damage in unused bytes)",
        read.get()
    ));
}

#[test]
fn a_damaged_export_is_refused_with_nothing_written() {
    let dir = tempfile::tempdir().unwrap();
    let archive = dir.path().join("careledger-export.zip");
    let into = dir.path().join("imported.sqlite3");
    let imported = Cell::new(0_u32);
    check(
        "Store::import_all: damaged exports",
        4,
        damage(),
        |damage| {
            let bytes = damage.bytes(&real_files().export);
            clear(&into);
            std::fs::write(&archive, &bytes).unwrap();
            match Store::import_all(&archive, &into) {
                // Only damage to bytes nothing checks can get here, and what
                // was imported must be exactly what was exported.
                Ok(store) => {
                    imported.set(imported.get() + 1);
                    let holder = store.holder_named("Margaret Ellis").unwrap();
                    prop_assert_eq!(store.holders().unwrap().len(), 1);
                    let plan = store.plan_of(holder.id).unwrap().unwrap().id;
                    let payments = store.payments(plan).unwrap();
                    prop_assert_eq!(payments.len(), 1);
                    prop_assert_eq!(payments[0].amount, Money::from_pence(1_250));
                    prop_assert_eq!(payments[0].payee.as_str(), "Jo Pike");
                    let receipt = store
                        .evidence_file(payments[0].evidence[0].attachment_id)
                        .unwrap()
                        .1;
                    prop_assert!(receipt == include_bytes!("fixtures/receipt.png"));
                    drop(store);
                    clear(&into);
                }
                Err(error) => assert_plain(&error.to_string())?,
            }
            prop_assert!(
                std::fs::read(&archive).unwrap() == bytes,
                "the export was changed"
            );
            // Nothing is left behind: no database, no half-built one.
            prop_assert_eq!(listing(dir.path()), ["careledger-export.zip"]);
            Ok(())
        },
    );
    report(&format!(
        "properties: Store::import_all: {} damaged exports still imported (damage in unchecked bytes)",
        imported.get()
    ));
}
