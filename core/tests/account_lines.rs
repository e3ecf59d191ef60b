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
        makes: None,
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

/// Records the physio, the wages and the funding that `barclays.csv` shows,
/// as a carer would have typed them; not the payroll fee or the bus fares.
fn record_what_barclays_shows_but_the_fee_and_fares(
    store: &mut careledger_core::Store,
    plan: careledger_core::PlanId,
    david: careledger_core::PersonId,
) {
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
}

#[test]
fn a_bank_statement_is_matched_kept_once_and_reconciled() {
    use careledger_core::account_import::AccountImport;
    use careledger_import::LineMatch;
    let (mut store, david, _, plan) = store_with(&chc_plan());
    record_what_barclays_shows_but_the_fee_and_fares(&mut store, plan, david);
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

/// The fingerprint of the file's line whose words start with `words`
/// (the `nth` such line, from 0).
fn print_of(
    preview: &careledger_core::account_import::StatementFilePreview,
    words: &str,
    nth: usize,
) -> String {
    preview
        .lines
        .iter()
        .filter(|p| p.line.description.starts_with(words))
        .nth(nth)
        .unwrap()
        .fingerprint
        .clone()
}

#[test]
fn choices_make_payments_learn_payees_keep_the_layout_and_reach_the_statement() {
    use careledger_core::account::DifferenceKind;
    use careledger_core::account_import::{
        AccountImport, ChosenLine, LayoutFrom, LineChoice, StatementFile,
    };
    use careledger_core::ledger::HowPaid;
    use careledger_core::views::Views;
    use careledger_import::LineMatch;
    let (mut store, david, holder, plan) = store_with(&chc_plan());
    record_what_barclays_shows_but_the_fee_and_fares(&mut store, plan, david);
    let bytes = fixture("barclays.csv");
    let preview = store
        .preview_statement_file(plan, &bytes, None, today())
        .unwrap();
    assert_eq!(preview.layout_from, LayoutFrom::Found);
    assert_eq!(
        preview.sample.len(),
        5,
        "the first rows, for the person to see"
    );
    let file = StatementFile {
        bytes: &bytes,
        layout: None,
        file_name: "barclays.csv",
    };
    let chosen = |words: &str, nth: usize, decision: LineChoice| ChosenLine {
        fingerprint: print_of(&preview, words, nth),
        decision,
    };
    // A choice that cannot be: a payment from money paid in. Nothing is
    // written, and the message says which line.
    let wrong = store
        .import_statement_choosing(
            plan,
            &file,
            &[chosen(
                "NHS",
                0,
                LineChoice::Payment {
                    line_key: LineKey(1),
                    how_paid: HowPaid::BankTransfer,
                },
            )],
            david,
            today(),
        )
        .unwrap_err()
        .to_string();
    assert!(wrong.starts_with("Line 3 of the file"), "{wrong}");
    assert!(store.account_lines(plan).unwrap().is_empty());
    assert_eq!(store.statement_layout(plan).unwrap(), None);

    let summary = store
        .import_statement_choosing(
            plan,
            &file,
            &[
                chosen(
                    "CAREFREE",
                    0,
                    LineChoice::Payment {
                        line_key: LineKey(1),
                        how_paid: HowPaid::DirectDebit,
                    },
                ),
                chosen(
                    "FIRST BUS",
                    0,
                    LineChoice::Payment {
                        line_key: LineKey(1),
                        how_paid: HowPaid::Card,
                    },
                ),
                chosen("AQUA", 0, LineChoice::Unrecorded),
            ],
            david,
            today(),
        )
        .unwrap();
    assert_eq!(
        (
            summary.added,
            summary.paired,
            summary.payments_made,
            summary.unrecorded
        ),
        (6, 2, 2, 2)
    );
    let payments = store.payments(plan).unwrap();
    let new_payments: Vec<_> = payments
        .iter()
        .filter(|p| {
            p.note
                == format!(
                    "From the account statement barclays.csv, line {}.",
                    if p.payee.starts_with("CARE") { 5 } else { 6 }
                )
        })
        .collect();
    let mut made: Vec<(&str, String, Option<HowPaid>)> = new_payments
        .iter()
        .map(|p| (p.payee.as_str(), p.amount.to_string(), p.how_paid))
        .collect();
    made.sort_by_key(|(payee, ..)| *payee);
    assert_eq!(
        made,
        [
            (
                "CAREFREE PAYROLL LTD",
                "£18.00".into(),
                Some(HowPaid::DirectDebit)
            ),
            (
                "FIRST BUS ON 11 NOV CLP",
                "£2.50".into(),
                Some(HowPaid::Card)
            )
        ]
    );
    let lines = store.account_lines(plan).unwrap();
    let paired_to_new = lines
        .iter()
        .filter(|l| {
            new_payments.iter().any(|p| {
                l.paired_with
                    == Some(careledger_core::account::PairedWith::Payment { entry_key: p.key })
            })
        })
        .count();
    assert_eq!(paired_to_new, 2, "each new payment is paired with its line");
    // The payments list marks what the account's statement shows.
    let marked: Vec<(&str, Option<chrono::NaiveDate>)> = payments
        .iter()
        .map(|p| (p.payee.as_str(), p.in_account_on))
        .collect();
    assert!(
        marked.contains(&("CAREFREE PAYROLL LTD", Some(date(2026, 11, 5)))),
        "{marked:?}"
    );
    assert!(
        marked.contains(&("Joanne Pike", Some(date(2026, 11, 5)))),
        "{marked:?}"
    );
    assert!(
        marked.contains(&("Aqua Physio", None)),
        "the match turned down is not marked: {marked:?}"
    );
    let rules = store.payee_rules(plan).unwrap();
    assert!(
        rules
            .iter()
            .any(|(words, line)| words.contains("carefree") && *line == LineKey(1)),
        "{rules:?}"
    );

    // The next file from the same account: the layout is the one kept, the
    // lines kept are not offered again, and the rule proposes the line.
    let next = store
        .preview_statement_file(plan, &bytes, None, today())
        .unwrap();
    assert_eq!(next.layout_from, LayoutFrom::Saved);
    assert!(next
        .lines
        .iter()
        .all(|p| p.proposal == LineMatch::AlreadyImported));

    // Checked against the account's closing balance, kept, and on the
    // review statement with what differs.
    let checked = store
        .check_against_account(plan, "25/11/2026", "£1,733.54", david, today())
        .unwrap();
    assert!(!checked.agrees);
    let statement = store.statement(holder, "1/11/2026", "30/11/2026").unwrap();
    let account = statement.account.expect("the check is on the statement");
    assert_eq!(account.on, date(2026, 11, 25));
    assert_eq!(account.account_balance, Money::from_pence(173_354));
    assert!(account
        .differences
        .iter()
        .any(|d| d.kind == DifferenceKind::NotRecorded && d.description.starts_with("FIRST BUS")));
    assert!(account
        .sentence
        .starts_with("Does not agree with the account statement of 25 Nov 2026"));
    let before = store.statement(holder, "1/10/2026", "31/10/2026").unwrap();
    assert_eq!(
        before.account, None,
        "a check after the period is not on it"
    );
    assert!(store
        .check_against_account(plan, "25/11/2026", "lots", david, today())
        .is_err());
    assert!(store
        .check_against_account(plan, "1/1/2020", "£1", david, today())
        .is_err());
    assert!(
        store
            .check_against_account(plan, "26/11/2026", "£1", david, today())
            .is_err(),
        "a day to come"
    );
}

mod random_statements {
    use super::*;
    use careledger_core::account_import::{AccountImport, ChosenLine, LineChoice, StatementFile};
    use careledger_core::ledger::{HowPaid, MoneyInKind};
    use chrono::Days;
    use proptest::prelude::*;

    /// A CSV statement of `lines` (days after the plan's start, pence in
    /// or out, payee), with nothing in the account before the first.
    fn csv_of(lines: &[(u64, i64, String)]) -> String {
        let start = date(2026, 4, 1);
        let mut text = String::from("Date,Description,Amount\n");
        for (day, pence, words) in lines {
            let sign = if *pence < 0 { "-" } else { "" };
            let abs = pence.unsigned_abs();
            text.push_str(&format!(
                "{},{words},{sign}{}.{:02}\n",
                (start + Days::new(*day)).format("%d/%m/%Y"),
                abs / 100,
                abs % 100
            ));
        }
        text
    }

    fn statement_lines() -> impl Strategy<Value = Vec<(u64, i64, String)>> {
        proptest::collection::vec(
            (
                0u64..230,
                prop_oneof![-50_000i64..-1, 1i64..200_000],
                "[A-Z]{3,8}( [A-Z]{2,6})?",
            ),
            1..25,
        )
        .prop_map(|mut lines| {
            lines.sort_by_key(|(day, ..)| *day);
            lines
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]

        /// Whatever a statement holds, importing it twice adds nothing the
        /// second time; and when every line is recorded from it, the
        /// records agree with the account's balance on its last day.
        #[test]
        fn a_statement_imports_once_and_its_ledger_reconciles(lines in statement_lines()) {
            let (mut store, david, _, plan) = store_with(&chc_plan());
            let bytes = csv_of(&lines).into_bytes();
            let preview = store.preview_statement_file(plan, &bytes, None, today()).unwrap();
            let choices: Vec<ChosenLine> = preview
                .lines
                .iter()
                .map(|proposed| ChosenLine {
                    fingerprint: proposed.fingerprint.clone(),
                    decision: if proposed.line.amount.is_negative() {
                        LineChoice::Payment { line_key: LineKey(1), how_paid: HowPaid::Card }
                    } else {
                        LineChoice::MoneyIn { kind: MoneyInKind::TopUp }
                    },
                })
                .collect();
            let file = StatementFile { bytes: &bytes, layout: None, file_name: "random.csv" };
            let first = store
                .import_statement_choosing(plan, &file, &choices, david, today())
                .unwrap();
            prop_assert_eq!(first.added as usize, lines.len());
            let again = store
                .import_statement_choosing(plan, &file, &choices, david, today())
                .unwrap();
            prop_assert_eq!(again.added, 0);
            prop_assert_eq!(again.already_imported as usize, lines.len());
            prop_assert_eq!(store.payments(plan).unwrap().len() + store.money_in(plan).unwrap().len(), lines.len());

            let balance: i64 = lines.iter().map(|(_, pence, _)| pence).sum();
            let last = date(2026, 4, 1) + Days::new(lines.last().unwrap().0);
            let result = store
                .reconcile_account(plan, &last.to_string(), &Money::from_pence(balance).to_string())
                .unwrap();
            prop_assert!(result.agrees, "{:?}", result);
            prop_assert_eq!(result.records_balance, Money::from_pence(balance));
        }
    }
}

#[test]
fn a_line_left_unrecorded_is_recorded_from_the_check_and_then_agrees() {
    use careledger_core::account_import::{AccountImport, LineChoice};
    use careledger_core::ledger::HowPaid;
    let (mut store, david, _, plan) = store_with(&chc_plan());
    record_what_barclays_shows_but_the_fee_and_fares(&mut store, plan, david);
    store
        .import_statement_file(
            plan,
            &fixture("barclays.csv"),
            None,
            "barclays.csv",
            david,
            today(),
        )
        .unwrap();
    let check = store
        .check_against_account(plan, "25/11/2026", "£1,733.54", david, today())
        .unwrap();
    let view = store.account_check_view(plan, check).unwrap();
    assert_eq!(view.reconciliation.not_recorded.len(), 3);
    let prints = view.not_recorded_prints.clone();
    assert!(prints.iter().all(|print| !print.is_empty()));
    assert_ne!(
        prints[1], prints[2],
        "the two identical bus fares are two lines"
    );

    // Nothing chosen: refused, nothing written.
    let before = store.payments(plan).unwrap().len();
    let refused = store
        .record_account_line(plan, &prints[0], &LineChoice::AsProposed, david, today())
        .unwrap_err()
        .to_string();
    assert!(refused.contains("Choose a budget line"), "{refused}");
    assert_eq!(store.payments(plan).unwrap().len(), before);

    let payment = LineChoice::Payment {
        line_key: LineKey(1),
        how_paid: HowPaid::Card,
    };
    for print in &prints {
        store
            .record_account_line(plan, print, &payment, david, today())
            .unwrap();
    }
    assert_eq!(store.payments(plan).unwrap().len(), before + 3);
    let again = store
        .record_account_line(plan, &prints[0], &payment, david, today())
        .unwrap_err()
        .to_string();
    assert!(again.contains("already recorded"), "{again}");
    assert_eq!(store.payments(plan).unwrap().len(), before + 3);
    let check = store
        .check_against_account(plan, "25/11/2026", "£1,733.54", david, today())
        .unwrap();
    assert!(check.agrees, "{check:?}");
    assert!(store
        .payee_rules(plan)
        .unwrap()
        .iter()
        .any(|(words, line)| words.contains("bus") && *line == LineKey(1)));
}
