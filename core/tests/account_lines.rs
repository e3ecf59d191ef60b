//! A bank statement's lines, kept once each, and payee rules.

mod common;

use careledger_core::records::Records;

use careledger_core::account::{NewAccountLine, PairedWith};
use careledger_core::ledger::{EntryKey, LineKey};
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
        matched.into_iter().collect::<Vec<EntryKey>>(),
        [payment.key]
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
