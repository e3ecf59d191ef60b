//! Pairing statement lines with records, and reconciling.

use std::collections::HashSet;

use careledger_domain::account::PairedWith;
use careledger_domain::ids::LineKey;
use careledger_domain::ledger::{EntryKey, ExpectedPayment, MoneyIn, MoneyInKind, Payment};
use careledger_domain::money::Money;
use careledger_import::*;
use chrono::{Days, NaiveDate};
use proptest::prelude::*;

fn day(d: u64) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 1).unwrap() + Days::new(d)
}

fn line(row: u32, on: u64, words: &str, pence: i64) -> AccountLine {
    AccountLine {
        row,
        date: day(on),
        description: words.into(),
        amount: Money::from_pence(pence),
        balance: None,
        bank_id: None,
    }
}

fn payment(key: i64, on: u64, payee: &str, pence: i64) -> Payment {
    Payment {
        key: EntryKey(key),
        paid_on: day(on),
        payee: payee.into(),
        amount: Money::from_pence(pence),
        how_paid: None,
        reference: String::new(),
        cash_withdrawal: false,
        splits: Vec::new(),
        note: String::new(),
        no_evidence_reason: String::new(),
        evidence: Vec::new(),
        lacks_evidence: false,
        recorded_by: "David Ellis".into(),
        recorded_at: String::new(),
        revision_count: 1,
        voided: None,
        version_number: 1,
        warning: None,
        in_account_on: None,
    }
}

fn money_in(key: i64, on: u64, source: &str, pence: i64) -> MoneyIn {
    MoneyIn {
        key: EntryKey(key),
        received_on: day(on),
        kind: MoneyInKind::Funding,
        source: source.into(),
        amount: Money::from_pence(pence),
        reference: String::new(),
        note: String::new(),
        recorded_by: "David Ellis".into(),
        recorded_at: String::new(),
        voided: None,
    }
}

struct Ledger {
    payments: Vec<Payment>,
    money_in: Vec<MoneyIn>,
    expected: Vec<ExpectedPayment>,
    matched: HashSet<PairedWith>,
    imported: HashSet<String>,
    rules: Vec<PayeeRule>,
}

impl Ledger {
    fn records(&self) -> Records<'_> {
        Records {
            payments: &self.payments,
            money_in: &self.money_in,
            expected: &self.expected,
            already_matched: &self.matched,
            imported: &self.imported,
            rules: &self.rules,
        }
    }
}

#[test]
fn each_line_is_paired_with_the_closest_record_alike_and_the_rest_say_what_they_need() {
    let ledger = Ledger {
        payments: vec![
            payment(1, 2, "Aqua Physio", 4_500),
            payment(2, 4, "Joanne Pike", 116_000),
            // Two £2.50 fares: each statement line takes one.
            payment(3, 11, "First Bus", 250),
            payment(4, 11, "First Bus", 250),
            // Another £45.00, further away and unlike: not chosen.
            payment(5, 8, "Riverside Leisure", 4_500),
        ],
        money_in: vec![money_in(
            6,
            3,
            "NHS Humber and North Yorkshire ICB",
            296_154,
        )],
        expected: vec![ExpectedPayment {
            due_on: day(29),
            source: "NHS Humber and North Yorkshire ICB".into(),
            amount: Money::from_pence(296_153),
            received: false,
        }],
        matched: HashSet::new(),
        imported: HashSet::new(),
        rules: vec![PayeeRule {
            words: "carefree payroll".into(),
            line_key: LineKey(5),
        }],
    };
    let lines = [
        line(2, 3, "AQUA PHYSIO HYDROTHE ON 02 NOV", -4_500),
        line(3, 4, "NHS HUMBER AND NORT PHB 1126", 296_154),
        line(4, 5, "JOANNE PIKE WAGES OCT", -116_000),
        line(5, 5, "CAREFREE PAYROLL LTD DD", -1_800),
        line(6, 12, "FIRST BUS", -250),
        line(7, 12, "FIRST BUS", -250),
        line(8, 30, "NHS HUMBER AND NORT PHB 1226", 296_153),
        line(9, 20, "REFUND AMAZON", 1_299),
    ];
    let proposals = propose(&lines, &ledger.records());
    let kinds: Vec<LineMatch> = proposals.iter().map(|p| p.proposal.clone()).collect();
    assert_eq!(
        kinds,
        [
            LineMatch::Payment {
                entry_key: EntryKey(1),
                payee: "Aqua Physio".into(),
                paid_on: day(2)
            },
            LineMatch::MoneyIn {
                entry_key: EntryKey(6),
                source: "NHS Humber and North Yorkshire ICB".into(),
                received_on: day(3)
            },
            LineMatch::Payment {
                entry_key: EntryKey(2),
                payee: "Joanne Pike".into(),
                paid_on: day(4)
            },
            LineMatch::NeedsLine {
                suggested: Some(LineKey(5))
            },
            LineMatch::Payment {
                entry_key: EntryKey(3),
                payee: "First Bus".into(),
                paid_on: day(11)
            },
            LineMatch::Payment {
                entry_key: EntryKey(4),
                payee: "First Bus".into(),
                paid_on: day(11)
            },
            LineMatch::ExpectedFunding {
                source: "NHS Humber and North Yorkshire ICB".into(),
                due_on: day(29)
            },
            LineMatch::NewMoneyIn,
        ]
    );
    // Imported before: nothing happens, whatever it would match.
    let mut again = ledger;
    again.imported = proposals.iter().map(|p| p.fingerprint.clone()).collect();
    assert!(propose(&lines, &again.records())
        .iter()
        .all(|p| p.proposal == LineMatch::AlreadyImported));
}

#[test]
fn reconciling_lists_what_does_not_agree() {
    let payments = vec![
        payment(1, 2, "Aqua Physio", 4_500),
        payment(2, 4, "Joanne Pike", 116_000),
        payment(3, 9, "Tesco", 1_234),
    ];
    let money_in = vec![money_in(4, 3, "NHS", 296_154)];
    let lines = vec![
        (
            line(2, 3, "AQUA PHYSIO", -4_500),
            Some(PairedWith::Payment {
                entry_key: EntryKey(1),
            }),
        ),
        (
            line(3, 4, "NHS PHB", 296_154),
            Some(PairedWith::MoneyIn {
                entry_key: EntryKey(4),
            }),
        ),
        (line(4, 5, "JOANNE PIKE WAGES", -116_600), None),
        (line(5, 12, "FIRST BUS", -250), None),
    ];
    let balance = Money::from_pence(296_154 - 4_500 - 116_600 - 250);
    let result = reconcile(day(20), balance, &lines, &payments, &money_in).unwrap();
    assert!(!result.agrees);
    assert_eq!(
        result.records_balance,
        Money::from_pence(296_154 - 4_500 - 116_000 - 1_234)
    );
    assert_eq!(result.not_recorded, [lines[3].0.clone()], "the bus fare");
    assert_eq!(result.not_in_account.len(), 1);
    assert_eq!(result.not_in_account[0].who, "Tesco");
    assert_eq!(
        result.amounts_differ.len(),
        1,
        "Joanne's wages: £1,166 against £1,160"
    );
    assert_eq!(
        result.amounts_differ[0].record.record,
        PairedWith::Payment {
            entry_key: EntryKey(2)
        }
    );
}

#[test]
fn a_payment_typed_in_after_its_line_was_imported_is_no_difference() {
    // The bus fare was imported unrecorded, then typed in by hand: the two
    // are the same money though nothing pairs them.
    let payments = vec![payment(1, 11, "Bus fare", 250)];
    let lines = vec![(line(2, 12, "FIRST BUS ON 11 NOV", -250), None)];
    let result = reconcile(day(20), Money::from_pence(-250), &lines, &payments, &[]).unwrap();
    assert!(result.agrees, "{result:?}");
    // Another amount on another day is still both a gap in the records and
    // one in the account.
    let payments = vec![payment(1, 2, "Bus fare", 300)];
    let result = reconcile(day(20), Money::from_pence(-250), &lines, &payments, &[]).unwrap();
    assert_eq!(
        (result.not_recorded.len(), result.not_in_account.len()),
        (1, 1)
    );
}

proptest! {
    /// A ledger recorded from a statement pairs every line and reconciles
    /// to the statement's balance exactly, whatever the lines.
    #[test]
    fn a_ledger_built_from_a_statement_always_agrees(
        raw in proptest::collection::vec(
            (0u64..60, prop_oneof![-200_000i64..-1, 1i64..300_000], "[a-z]{3,8}( [a-z]{3,8})?"),
            1..80,
        ),
        drift in proptest::collection::vec(0u64..3, 80),
    ) {
        let lines: Vec<AccountLine> = raw
            .iter()
            .enumerate()
            .map(|(i, (on, pence, words))| line(i as u32 + 2, *on, words, *pence))
            .collect();
        let mut payments = Vec::new();
        let mut money_in_records = Vec::new();
        for (i, l) in lines.iter().enumerate() {
            // Recorded a day or two before the bank shows it.
            let on = (l.date - day(0)).num_days() as u64;
            let on = on.saturating_sub(drift[i]);
            if l.amount.pence() < 0 {
                payments.push(payment(i as i64 + 1, on, &l.description, -l.amount.pence()));
            } else {
                money_in_records.push(money_in(i as i64 + 1, on, &l.description, l.amount.pence()));
            }
        }
        let ledger = Ledger {
            payments,
            money_in: money_in_records,
            expected: Vec::new(),
            matched: HashSet::new(),
            imported: HashSet::new(),
            rules: Vec::new(),
        };
        let proposals = propose(&lines, &ledger.records());
        let paired: Vec<(AccountLine, Option<PairedWith>)> = proposals
            .iter()
            .map(|p| {
                let key = match &p.proposal {
                    LineMatch::Payment { entry_key, .. } => Some(PairedWith::Payment { entry_key: *entry_key }),
                    LineMatch::MoneyIn { entry_key, .. } => Some(PairedWith::MoneyIn { entry_key: *entry_key }),
                    _ => None,
                };
                (p.line.clone(), key)
            })
            .collect();
        prop_assert!(paired.iter().all(|(_, key)| key.is_some()), "{proposals:#?}");
        let keys: HashSet<PairedWith> = paired.iter().filter_map(|(_, k)| *k).collect();
        prop_assert_eq!(keys.len(), lines.len(), "each record once");
        let balance = Money::from_pence(lines.iter().map(|l| l.amount.pence()).sum());
        let result = reconcile(day(90), balance, &paired, &ledger.payments, &ledger.money_in).unwrap();
        prop_assert!(result.agrees, "{result:#?}");
    }
}
