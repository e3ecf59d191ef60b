//! A bank statement's lines, kept once each, and payee rules.

mod common;

use careledger_core::records::Records;

use careledger_core::account::{NewAccountLine, PairedWith};
use careledger_core::ledger::LineKey;
use careledger_core::Money;
use common::*;

fn line(print: &str, day: u32, pence: i64) -> NewAccountLine {
    NewAccountLine {
        fingerprint: print.into(),
        date: date(2026, 11, day),
        description: format!("Line {print}"),
        amount: Money::from_pence(pence),
        balance: None,
        paired_with: None,
    }
}

#[test]
fn a_statement_imported_twice_or_overlapping_adds_only_what_is_new() {
    let (mut store, david, _, plan) = store_with(&chc_plan());
    let first = [
        line("a", 3, -4_500),
        line("b", 4, 296_154),
        line("c", 5, -250),
    ];
    assert_eq!(
        store
            .keep_account_lines(plan, &first, "nov.csv", david)
            .unwrap(),
        3
    );
    assert_eq!(
        store
            .keep_account_lines(plan, &first, "nov.csv", david)
            .unwrap(),
        0
    );
    let overlapping = [line("c", 5, -250), line("d", 12, -250)];
    assert_eq!(
        store
            .keep_account_lines(plan, &overlapping, "nov-dec.csv", david)
            .unwrap(),
        1
    );
    let kept = store.account_lines(plan).unwrap();
    let prints: Vec<&str> = kept.iter().map(|l| l.fingerprint.as_str()).collect();
    assert_eq!(prints, ["a", "b", "c", "d"]);
    assert_eq!(kept[3].file_name, "nov-dec.csv");
    assert_eq!(kept[0].imported_by, "David Ellis");
}

#[test]
fn a_file_is_kept_whole_or_not_at_all() {
    let (mut store, david, _, plan) = store_with(&chc_plan());
    let lines = [line("a", 3, -4_500), line("zero", 4, 0), line("c", 5, -250)];
    assert!(store
        .keep_account_lines(plan, &lines, "bad.csv", david)
        .is_err());
    assert!(
        store.account_lines(plan).unwrap().is_empty(),
        "nothing kept"
    );
}

#[test]
fn paired_lines_say_which_record_they_are_and_rules_are_learnt() {
    let (mut store, david, _, plan) = store_with(&chc_plan());
    let payment = store
        .record_payment(
            plan,
            &spending("3/11/2026", "Aqua Physio", "£45", david),
            today(),
        )
        .unwrap();
    let mut paired = line("a", 3, -4_500);
    paired.paired_with = Some(PairedWith::Payment {
        entry_key: payment.key,
    });
    store
        .keep_account_lines(plan, &[paired, line("b", 4, -1_800)], "nov.csv", david)
        .unwrap();
    let (prints, matched) = store.account_line_marks(plan).unwrap();
    assert_eq!(prints.len(), 2);
    assert_eq!(
        matched.into_iter().collect::<Vec<PairedWith>>(),
        [PairedWith::Payment {
            entry_key: payment.key
        }]
    );
    assert_eq!(
        store.account_lines(plan).unwrap()[0].paired_with,
        Some(PairedWith::Payment {
            entry_key: payment.key
        })
    );
    store
        .learn_payee_rule(plan, "carefree payroll", LineKey(5))
        .unwrap();
    store
        .learn_payee_rule(plan, "carefree payroll", LineKey(3))
        .unwrap();
    assert_eq!(
        store.payee_rules(plan).unwrap(),
        [("carefree payroll".to_owned(), LineKey(3))],
        "a later choice replaces the earlier"
    );
    assert!(store.learn_payee_rule(plan, "  ", LineKey(3)).is_err());
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../crates/import/tests/fixtures")
            .join(name),
    )
    .unwrap()
}

#[test]
fn a_bank_statement_is_matched_kept_once_and_reconciled() {
    use careledger_core::account_import::AccountImport;
    use careledger_import::LineMatch;
    let (mut store, david, _, plan) = store_with(&chc_plan());
    for (on, payee, amount) in [
        ("2/11/2026", "Aqua Physio", "£45"),
        ("5/11/2026", "Joanne Pike", "£1,160"),
    ] {
        store
            .record_payment(plan, &spending(on, payee, amount, david), today())
            .unwrap();
    }
    store
        .record_money_in(
            plan,
            &careledger_core::ledger::MoneyInDraft {
                received_on: "4/11/2026".into(),
                kind: careledger_core::ledger::MoneyInKind::Funding,
                source: "NHS Humber and North Yorkshire ICB".into(),
                amount: "£2,961.54".into(),
                reference: String::new(),
                note: String::new(),
                recorded_by: david,
            },
            today(),
        )
        .unwrap();
    store
        .learn_payee_rule(plan, "carefree payroll", LineKey(5))
        .unwrap();
    let bytes = fixture("barclays.csv");
    let preview = store
        .preview_statement_file(plan, &bytes, None, today())
        .unwrap();
    let kinds: Vec<&str> = preview
        .lines
        .iter()
        .map(|p| match &p.proposal {
            LineMatch::Payment { .. } => "payment",
            LineMatch::MoneyIn { .. } => "money in",
            LineMatch::NeedsLine {
                suggested: Some(LineKey(5)),
            } => "line 5",
            LineMatch::NeedsLine { .. } => "needs a line",
            _ => "other",
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "payment",
            "money in",
            "payment",
            "line 5",
            "needs a line",
            "needs a line"
        ]
    );
    assert!(
        store.account_lines(plan).unwrap().is_empty(),
        "a preview writes nothing"
    );

    let added = store
        .import_statement_file(plan, &bytes, None, "barclays.csv", david, today())
        .unwrap();
    assert_eq!(added, 6);
    let again = store
        .import_statement_file(plan, &bytes, None, "barclays.csv", david, today())
        .unwrap();
    assert_eq!(again, 0, "the same file twice adds nothing");
    assert!(store
        .preview_statement_file(plan, &bytes, None, today())
        .unwrap()
        .lines
        .iter()
        .all(|p| p.proposal == LineMatch::AlreadyImported));

    // The account ends the month on £1,733.54; the records, missing the
    // payroll fee and two bus fares, on £1,756.54.
    let result = store
        .reconcile_account(plan, "30/11/2026", "£1,733.54")
        .unwrap();
    assert!(!result.agrees);
    assert_eq!(result.records_balance, Money::from_pence(175_654));
    let missing: Vec<&str> = result
        .not_recorded
        .iter()
        .map(|l| l.description.as_str())
        .collect();
    assert_eq!(
        missing,
        [
            "CAREFREE PAYROLL LTD",
            "FIRST BUS ON 11 NOV CLP",
            "FIRST BUS ON 11 NOV CLP"
        ]
    );
    assert!(result.not_in_account.is_empty());
    // Bad input changes nothing and says what is wrong.
    assert!(store.reconcile_account(plan, "someday", "£1").is_err());
    assert!(store
        .import_statement_file(
            plan,
            &fixture("bad-date.csv"),
            None,
            "bad.csv",
            david,
            today()
        )
        .unwrap_err()
        .to_string()
        .starts_with("Line 3 of the file"));
    assert_eq!(store.account_lines(plan).unwrap().len(), 6);
}
