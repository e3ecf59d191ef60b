//! The ledger as a carer keeps it: money in and out, with evidence, edits
//! and voids, and the dashboard's figures.

mod common;

use careledger_core::dashboard::{LineState, WarningKind};
use careledger_core::evidence::{check_evidence, EvidenceKind};
use careledger_core::ledger::*;
use careledger_core::records::Records;
use careledger_core::statement_pdf::{render_pdf, PrintOptions};
use careledger_core::views::Views;
use careledger_core::{Error, Money, PersonId, PlanId, Store};
use chrono::NaiveDate;
use common::*;
use proptest::prelude::*;

fn pence(p: i64) -> Money {
    Money::from_pence(p)
}

/// A photo of a receipt (a small real PNG).
fn photo() -> Vec<u8> {
    include_bytes!("fixtures/receipt.png").to_vec()
}

/// A one-page PDF invoice.
fn invoice_pdf() -> Vec<u8> {
    include_bytes!("fixtures/invoice.pdf").to_vec()
}

fn pay(
    on: &str,
    payee: &str,
    amount: &str,
    how: HowPaid,
    splits: &[(i64, &str)],
    by: PersonId,
) -> PaymentDraft {
    PaymentDraft {
        paid_on: on.into(),
        payee: payee.into(),
        amount: amount.into(),
        how_paid: how,
        reference: String::new(),
        cash_withdrawal: false,
        splits: splits
            .iter()
            .map(|(key, amount)| SplitDraft {
                line_key: LineKey(*key),
                amount: (*amount).into(),
            })
            .collect(),
        note: String::new(),
        no_evidence_reason: String::new(),
        recorded_by: by,
    }
}

fn funding(on: &str, amount: &str, by: PersonId) -> MoneyInDraft {
    MoneyInDraft {
        received_on: on.into(),
        kind: MoneyInKind::Funding,
        source: "NHS Humber and North Yorkshire ICB".into(),
        amount: amount.into(),
        reference: "PHB".into(),
        note: String::new(),
        recorded_by: by,
    }
}

/// The CHC plan paid 4-weekly instead of yearly: 13 × £2,961.54.
fn four_weekly_chc() -> careledger_core::plan_forms::NewPlanDraft {
    let mut plan = chc_plan();
    plan.content.streams[0].amount = "£2,961.54".into();
    plan.content.streams[0].frequency = careledger_core::plan::Frequency::FourWeekly;
    plan.content.lines[9].amount = "£3,043.02".into();
    plan
}

struct Quarter {
    store: Store,
    david: PersonId,
    holder: careledger_core::HolderId,
    plan: PlanId,
}

/// A quarter of realistic activity on the CHC plan (lines: 1 PA, 2 tax and
/// NI, 3 pension, 4 insurance, 5 payroll, 6 respite, 7 hydrotherapy, 8
/// equipment, 9 gym, 10 contingency).
fn quarter() -> Quarter {
    let (mut store, david, holder, plan) = store_with(&four_weekly_chc());
    for on in ["1/4/2026", "29/4/2026", "27/5/2026", "24/6/2026"] {
        store
            .record_money_in(plan, &funding(on, "£2,961.54", david), today())
            .unwrap();
    }
    use HowPaid::*;
    for on in ["28/4/2026", "26/5/2026", "23/6/2026"] {
        store
            .record_payment(
                plan,
                &pay(on, "Joanne Pike", "£1,160", BankTransfer, &[(1, "")], david),
                today(),
            )
            .unwrap();
        store
            .record_payment(
                plan,
                &pay(
                    on,
                    "Carefree Payroll Ltd",
                    "£18",
                    DirectDebit,
                    &[(5, "")],
                    david,
                ),
                today(),
            )
            .unwrap();
    }
    store
        .record_payment(
            plan,
            &pay(
                "22/5/2026",
                "HMRC",
                "£185.20",
                BankTransfer,
                &[(2, "")],
                david,
            ),
            today(),
        )
        .unwrap();
    for on in [
        "10/4/2026",
        "24/4/2026",
        "8/5/2026",
        "22/5/2026",
        "5/6/2026",
        "19/6/2026",
    ] {
        store
            .record_payment(
                plan,
                &pay(on, "Aqua Physio", "£45", Card, &[(7, "")], david),
                today(),
            )
            .unwrap();
    }
    let mut cash = pay(
        "2/6/2026",
        "Cash withdrawal",
        "£60",
        Cash,
        &[(7, "£40"), (9, "£20")],
        david,
    );
    cash.cash_withdrawal = true;
    cash.note = "Taxis to hydrotherapy, and a gym day pass".into();
    store.record_payment(plan, &cash, today()).unwrap();
    let chair = store
        .record_payment(
            plan,
            &pay(
                "15/6/2026",
                "Mobility Direct",
                "£389.99",
                Card,
                &[(8, "")],
                david,
            ),
            today(),
        )
        .unwrap();
    store
        .attach_evidence(
            plan,
            chair.key,
            EvidenceKind::Invoice,
            &check_evidence("Invoice 4471.pdf", invoice_pdf()).unwrap(),
            david,
        )
        .unwrap();
    Quarter {
        store,
        david,
        holder,
        plan,
    }
}

#[test]
fn a_quarter_adds_up_line_by_line_and_overall() {
    let Quarter { store, holder, .. } = quarter();
    let overview = store.overview(holder, date(2026, 6, 30)).unwrap();
    let summary = overview.summary.unwrap();
    let dashboard = overview.dashboard.unwrap();
    let spent = 3 * 116_000 + 3 * 1_800 + 18_520 + 6 * 4_500 + 6_000 + 38_999;
    assert_eq!(summary.spent, pence(spent));
    assert_eq!(dashboard.money_in, pence(4 * 296_154));
    assert_eq!(dashboard.balance, pence(4 * 296_154 - spent));
    let line = |key: i64| {
        dashboard
            .lines
            .iter()
            .find(|line| line.key == LineKey(key))
            .unwrap()
    };
    assert_eq!(line(1).spent, pence(348_000));
    assert_eq!(line(1).allocated, pence(1_508_000));
    assert_eq!(
        line(7).spent,
        pence(27_000 + 4_000),
        "six sessions and the taxis"
    );
    assert_eq!(line(9).spent, pence(2_000));
    assert_eq!(
        dashboard.unassigned_spent,
        Money::ZERO,
        "every payment is on a line"
    );
    let lines_total: i64 = dashboard.lines.iter().map(|line| line.spent.pence()).sum();
    assert_eq!(
        lines_total + dashboard.unassigned_spent.pence(),
        summary.spent.pence()
    );
    // A week's funding is the budget over 52 weeks: £740.39.
    assert_eq!(dashboard.weekly_funding, pence(296_154 * 13 / 52));
    assert_eq!(
        dashboard.weeks_in_hand_tenths,
        Some(((4 * 296_154 - spent) as i128 * 10 / (296_154 * 13 / 52) as i128) as i64)
    );
    // Only the chair has evidence; no other payment gives a reason.
    let missing = dashboard
        .warnings
        .iter()
        .find(|w| w.kind == WarningKind::MissingEvidence)
        .unwrap();
    assert!(
        missing.message.starts_with("14 payments have no receipt"),
        "{}",
        missing.message
    );
}

#[test]
fn an_edit_keeps_the_earlier_version_and_a_void_keeps_the_payment_out_of_the_figures() {
    let Quarter {
        mut store,
        david,
        holder,
        plan,
    } = quarter();
    let before = store
        .overview(holder, date(2026, 6, 30))
        .unwrap()
        .summary
        .unwrap()
        .spent;
    let hmrc = store
        .payments(plan)
        .unwrap()
        .into_iter()
        .find(|p| p.payee == "HMRC")
        .unwrap();
    let mut corrected = pay(
        "22/5/2026",
        "HMRC",
        "£158.20",
        HowPaid::BankTransfer,
        &[(2, "")],
        david,
    );
    corrected.reference = "120PA00012345".into();
    let edited = store
        .edit_payment(
            plan,
            hmrc.key,
            &corrected,
            "Typed £185.20 for £158.20",
            today(),
        )
        .unwrap();
    assert_eq!((edited.amount, edited.revision_count), (pence(15_820), 2));
    let history = store.payment_history(plan, hmrc.key).unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(
        (history[0].amount, history[1].amount),
        (pence(18_520), pence(15_820))
    );
    assert_eq!(history[1].change_reason, "Typed £185.20 for £158.20");
    assert_eq!(history[1].recorded_by, "David Ellis");

    let session = store
        .payments(plan)
        .unwrap()
        .into_iter()
        .find(|p| p.payee == "Aqua Physio")
        .unwrap();
    let voided = store
        .void_payment(
            plan,
            session.key,
            "Session cancelled; refunded to card",
            david,
        )
        .unwrap();
    assert_eq!(
        voided.voided.as_ref().unwrap().reason,
        "Session cancelled; refunded to card"
    );
    assert_invalid(
        store.void_payment(plan, session.key, "again", david),
        "reason",
        "already been removed",
    );
    assert_invalid(
        store.edit_payment(plan, session.key, &corrected, "x", today()),
        "reason",
        "has been removed",
    );

    let after = store.overview(holder, date(2026, 6, 30)).unwrap();
    assert_eq!(
        after.summary.unwrap().spent,
        pence(before.pence() - 2_700 - 4_500)
    );
    let listed = store
        .find_payments(plan, &PaymentFilter::default())
        .unwrap();
    assert!(
        listed
            .payments
            .iter()
            .any(|p| p.key == session.key && p.voided.is_some()),
        "still listed"
    );
    assert_eq!(
        listed.total_count as usize,
        store.payments(plan).unwrap().len()
    );
    assert_eq!(
        listed.total_amount,
        pence(before.pence() - 2_700 - 4_500),
        "removed ones left out of the total"
    );
}

#[test]
fn evidence_is_checked_by_its_contents_stored_once_and_kept_with_the_payment() {
    let Quarter {
        mut store,
        david,
        plan,
        ..
    } = quarter();
    let sessions: Vec<_> = store
        .payments(plan)
        .unwrap()
        .into_iter()
        .filter(|p| p.payee == "Aqua Physio")
        .collect();
    let first = store
        .attach_evidence(
            plan,
            sessions[0].key,
            EvidenceKind::Receipt,
            &check_evidence("IMG_2041.png", photo()).unwrap(),
            david,
        )
        .unwrap();
    assert!(first.has_thumbnail);
    // The same photo on another payment is not stored twice.
    let second = store
        .attach_evidence(
            plan,
            sessions[1].key,
            EvidenceKind::Receipt,
            &check_evidence("/home/david/Pictures/copy.png", photo()).unwrap(),
            david,
        )
        .unwrap();
    assert_eq!(first.attachment_id, second.attachment_id);
    assert_eq!(second.file_name, "copy.png", "folders are not kept");
    assert_invalid(
        store.attach_evidence(
            plan,
            sessions[0].key,
            EvidenceKind::Receipt,
            &check_evidence("again.png", photo()).unwrap(),
            david,
        ),
        "evidence",
        "already attached",
    );
    let (media, bytes) = store.evidence_file(first.attachment_id).unwrap();
    assert_eq!((media.mime(), bytes), ("image/png", photo()));
    assert!(store
        .evidence_thumbnail(plan, sessions[0].key, first.attachment_id)
        .unwrap()
        .unwrap()
        .starts_with(b"\x89PNG"));
    // Only asked for through the entry and plan it is on.
    for (other_plan, other_key) in [
        (plan, sessions[2].key),
        (PlanId(plan.0 + 1000), sessions[0].key),
    ] {
        assert!(matches!(
            store.evidence_thumbnail(other_plan, other_key, first.attachment_id),
            Err(Error::NotFound { .. })
        ));
    }
    let payment = store.payment(plan, sessions[0].key).unwrap();
    assert!(!payment.lacks_evidence);

    // An edit keeps the evidence; taking it off is recorded, not deleted.
    store
        .remove_evidence(plan, sessions[0].key, first.attachment_id, david)
        .unwrap();
    assert!(store.payment(plan, sessions[0].key).unwrap().lacks_evidence);
    assert!(
        store.evidence_file(first.attachment_id).is_ok(),
        "the file itself is kept"
    );
}

/// The store takes only files `check_evidence` has passed, so a bad file
/// is refused before the store is touched.
#[test]
fn bad_evidence_is_refused_before_it_reaches_the_store() {
    let cases: [(&str, Vec<u8>, &str); 4] = [
        (
            "scan.jpg",
            vec![0xFF; 25 * 1024 * 1024],
            "the most Careledger keeps is 20 MB",
        ),
        (
            "invoice.pdf",
            b"<html>not really a pdf</html>".to_vec(),
            "is not a photo (PNG or JPEG) or a PDF",
        ),
        (
            "receipt.jpg",
            b"MZ\x90\x00\x03\x00\x00\x00\x04\x00 This program cannot be run in DOS mode".to_vec(),
            "is not a photo",
        ),
        (
            "half.pdf",
            invoice_pdf()[..40].to_vec(),
            "damaged or cut short",
        ),
    ];
    for (name, bytes, words) in cases {
        assert_invalid(check_evidence(name, bytes), "evidence", words);
    }
}

#[test]
fn a_payment_with_several_fields_wrong_names_every_one() {
    let (mut store, david, _, plan) = store_with(&chc_plan());
    let mut draft = pay(
        "31/2/2026",
        "  ",
        "£12.345",
        HowPaid::Card,
        &[(1, "")],
        david,
    );
    draft.note = "x".repeat(5_000);
    let error = store.record_payment(plan, &draft, today()).unwrap_err();
    let careledger_core::Error::InvalidFields(problems) = &error else {
        panic!("expected every field at fault, got {error:?}");
    };
    let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
    assert_eq!(
        fields,
        ["paidOn", "payee", "amount", "note"],
        "in the form's order"
    );
    assert!(error
        .to_string()
        .starts_with("4 things need changing. The first: "));
    let report = careledger_core::error::ErrorReport::from(&error);
    assert_eq!(report.field.as_deref(), Some("paidOn"));
    assert_eq!(report.problems.len(), 4);
    assert!(store.payments(plan).unwrap().is_empty(), "nothing written");
    // One field wrong is one problem, as before.
    let mut one = pay("1/5/2026", "", "£12.34", HowPaid::Card, &[(1, "")], david);
    assert_invalid(
        store.record_payment(plan, &one, today()),
        "payee",
        "who was paid",
    );
    // Money in too.
    one.payee = "Tesco".into();
    let bad_in = careledger_core::ledger::MoneyInDraft {
        received_on: "someday".into(),
        kind: careledger_core::ledger::MoneyInKind::Funding,
        source: String::new(),
        amount: "-£5".into(),
        reference: String::new(),
        note: String::new(),
        recorded_by: david,
    };
    let error = store.record_money_in(plan, &bad_in, today()).unwrap_err();
    let careledger_core::Error::InvalidFields(problems) = &error else {
        panic!("expected every field at fault, got {error:?}");
    };
    let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
    assert_eq!(fields, ["receivedOn", "source", "amount"]);
}

#[test]
fn bad_payments_are_refused_and_nothing_is_written() {
    let Quarter {
        mut store,
        david,
        plan,
        ..
    } = quarter();
    let count = store.payments(plan).unwrap().len();
    use HowPaid::Card;
    assert_invalid(
        store.record_payment(
            plan,
            &pay("1/4/2027", "Gym", "£10", Card, &[(9, "")], david),
            today(),
        ),
        "paidOn",
        "outside the plan",
    );
    assert_invalid(
        store.record_payment(
            plan,
            &pay("1/5/2026", "Gym", "£0", Card, &[(9, "")], david),
            today(),
        ),
        "amount",
        "more than £0.00",
    );
    assert_invalid(
        store.record_payment(
            plan,
            &pay("1/5/2026", "Gym", "£10", Card, &[], david),
            today(),
        ),
        "splits",
        "Choose the budget line",
    );
    assert_invalid(
        store.record_payment(
            plan,
            &pay("1/5/2026", "Gym", "£10", Card, &[(42, "")], david),
            today(),
        ),
        "splits.0.lineKey",
        "not in the plan in force on 1 May 2026",
    );
    assert_invalid(
        store.record_payment(
            plan,
            &pay(
                "1/5/2026",
                "Gym",
                "£10",
                Card,
                &[(9, "£6"), (7, "£3")],
                david,
            ),
            today(),
        ),
        "splits",
        "The parts come to £9.00, but the payment is £10.00",
    );
    assert_invalid(
        store.record_payment(
            plan,
            &pay(
                "1/5/2026",
                "Gym",
                "£10",
                Card,
                &[(9, "£5"), (9, "£5")],
                david,
            ),
            today(),
        ),
        "splits.1.lineKey",
        "chosen twice",
    );
    let mut in_bad = funding("1/5/2026", "£0", david);
    assert_invalid(
        store.record_money_in(plan, &in_bad, today()),
        "amount",
        "more than £0.00",
    );
    in_bad = funding("1/1/2020", "£10", david);
    assert_invalid(
        store.record_money_in(plan, &in_bad, today()),
        "receivedOn",
        "outside the plan",
    );
    assert_eq!(store.payments(plan).unwrap().len(), count);
}

#[test]
fn expected_funding_is_shown_until_it_arrives() {
    let Quarter { store, plan, .. } = quarter();
    let expected = store.expected_payments(plan, date(2026, 7, 10)).unwrap();
    let dates: Vec<_> = expected.iter().map(|p| (p.due_on, p.received)).collect();
    assert_eq!(
        dates,
        [
            (date(2026, 4, 1), true),
            (date(2026, 4, 29), true),
            (date(2026, 5, 27), true),
            (date(2026, 6, 24), true),
            (date(2026, 7, 22), false)
        ]
    );
}

#[test]
fn the_dashboard_warns_of_lines_running_out_reviews_and_surplus() {
    let Quarter {
        mut store,
        david,
        holder,
        plan,
    } = quarter();
    // Most of the equipment line at once: over 85%.
    store
        .record_payment(
            plan,
            &pay(
                "20/6/2026",
                "Mobility Direct",
                "£2,300",
                HowPaid::Card,
                &[(8, "")],
                david,
            ),
            today(),
        )
        .unwrap();
    let overview = store.overview(holder, date(2026, 6, 25)).unwrap();
    let dashboard = overview.dashboard.unwrap();
    let equipment = dashboard
        .lines
        .iter()
        .find(|line| line.key == LineKey(8))
        .unwrap();
    assert_eq!(
        (equipment.state, equipment.spent_percent),
        (LineState::Nearly, Some(89))
    );
    let kinds: Vec<_> = dashboard.warnings.iter().map(|w| w.kind).collect();
    assert!(kinds.contains(&WarningKind::LineNearly), "{kinds:?}");
    assert!(
        kinds.contains(&WarningKind::ReviewDue),
        "the 3-month review on 1 Jul is 6 days away: {kinds:?}"
    );
    assert!(!kinds.contains(&WarningKind::Surplus));
    // Lower the surplus limit below what is in hand.
    store.set_surplus_limit_weeks(holder, "1").unwrap();
    let dashboard = store
        .overview(holder, date(2026, 6, 25))
        .unwrap()
        .dashboard
        .unwrap();
    assert!(dashboard
        .warnings
        .iter()
        .any(|w| w.kind == WarningKind::Surplus));
    assert_invalid(
        store.set_surplus_limit_weeks(holder, "0"),
        "surplusLimitWeeks",
        "from 1 to 52",
    );
    assert_invalid(
        store.set_surplus_limit_weeks(holder, "eight"),
        "surplusLimitWeeks",
        "from 1 to 52",
    );
}

#[test]
fn the_forecast_says_when_the_money_runs_out() {
    let (mut store, david, holder, plan) = store_with(&simple_plan("£36,500"));
    // £200 a day for the first 10 days of a £36,500 year: 182.5 days' worth.
    for day in 1..=10 {
        store
            .record_payment(
                plan,
                &pay(
                    &format!("{day}/4/2026"),
                    "Agency",
                    "£200",
                    HowPaid::BankTransfer,
                    &[(1, "")],
                    david,
                ),
                today(),
            )
            .unwrap();
    }
    let dashboard = store
        .overview(holder, date(2026, 4, 10))
        .unwrap()
        .dashboard
        .unwrap();
    let forecast = dashboard.forecast.unwrap();
    assert_eq!(forecast.projected_spend, pence(20_000 * 365));
    assert_eq!(
        forecast.runs_out_on,
        Some(date(2026, 9, 30)),
        "182 days after 1 Apr"
    );
    assert!(dashboard
        .warnings
        .iter()
        .any(|w| w.kind == WarningKind::RunsOut));
}

#[derive(Debug, Clone)]
enum Step {
    Pay { day: u32, pence: i64, split: bool },
    Edit { which: usize, pence: i64 },
    Void { which: usize },
    Receive { day: u32, pence: i64 },
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        (1u32..28, 1i64..500_000, any::<bool>()).prop_map(|(day, pence, split)| Step::Pay {
            day,
            pence,
            split
        }),
        (0usize..20, 1i64..500_000).prop_map(|(which, pence)| Step::Edit { which, pence }),
        (0usize..20).prop_map(|which| Step::Void { which }),
        (1u32..28, 1i64..500_000).prop_map(|(day, pence)| Step::Receive { day, pence }),
    ]
}

fn draft_for(day: u32, amount: Money, split: bool, by: PersonId) -> PaymentDraft {
    let on = format!("{day}/5/2026");
    if split && amount.pence() > 1 {
        let first = Money::from_pence(amount.pence() / 2);
        let second = Money::from_pence(amount.pence() - first.pence());
        pay(
            &on,
            "Supplier",
            &amount.to_string(),
            HowPaid::Card,
            &[(1, &first.to_string()), (6, &second.to_string())],
            by,
        )
    } else {
        pay(
            &on,
            "Supplier",
            &amount.to_string(),
            HowPaid::Card,
            &[(7, "")],
            by,
        )
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// For any sequence of payments, edits, voids and money in: the lines
    /// add up to the total spent, and the balance is money in minus spent.
    #[test]
    fn lines_add_up_and_the_balance_is_in_minus_out(steps in proptest::collection::vec(step(), 1..25)) {
        let (mut store, david, holder, plan) = store_with(&chc_plan());
        let mut expected_spent: Vec<(EntryKey, i64, bool)> = Vec::new();
        let mut expected_in = 0i64;
        for step in steps {
            match step {
                Step::Pay { day, pence, split } => {
                    let payment = store.record_payment(plan, &draft_for(day, Money::from_pence(pence), split, david), today()).unwrap();
                    expected_spent.push((payment.key, pence, false));
                }
                Step::Edit { which, pence } if !expected_spent.is_empty() => {
                    let index = which % expected_spent.len();
                    let (key, _, voided) = expected_spent[index];
                    let result = store.edit_payment(plan, key, &draft_for(3, Money::from_pence(pence), pence % 2 == 0, david), "Corrected", today());
                    prop_assert_eq!(result.is_ok(), !voided);
                    if !voided {
                        expected_spent[index].1 = pence;
                    }
                }
                Step::Void { which } if !expected_spent.is_empty() => {
                    let index = which % expected_spent.len();
                    let (key, _, voided) = expected_spent[index];
                    prop_assert_eq!(store.void_payment(plan, key, "Mistake", david).is_ok(), !voided);
                    expected_spent[index].2 = true;
                }
                Step::Receive { day, pence } => {
                    store.record_money_in(plan, &funding(&format!("{day}/5/2026"), &Money::from_pence(pence).to_string(), david), today()).unwrap();
                    expected_in += pence;
                }
                _ => {}
            }
        }
        let overview = store.overview(holder, date(2026, 6, 1)).unwrap();
        let summary = overview.summary.unwrap();
        let dashboard = overview.dashboard.unwrap();
        let spent: i64 = expected_spent.iter().filter(|(_, _, voided)| !voided).map(|(_, pence, _)| pence).sum();
        prop_assert_eq!(summary.spent.pence(), spent);
        let by_line: i64 = dashboard.lines.iter().map(|line| line.spent.pence()).sum();
        prop_assert_eq!(by_line + dashboard.unassigned_spent.pence(), summary.spent.pence());
        prop_assert_eq!(dashboard.unassigned_spent, Money::ZERO);
        prop_assert_eq!(dashboard.money_in.pence(), expected_in);
        prop_assert_eq!(dashboard.balance.pence(), expected_in - spent);
    }
}

#[test]
fn a_saved_payment_and_the_screens_after_it_read_the_plan_once() {
    let (mut store, david, holder, plan) = store_with(&chc_plan());
    // What the window does for one payment: save it, then show the
    // overview, the plan page and the list of payments.
    let save_and_show = |store: &mut Store| {
        let draft = spending("20/11/2026", "Joanne Pike", "£116.00", david);
        store
            .record_payment_asking(plan, &draft, false, today())
            .unwrap();
        store.overview(holder, today()).unwrap();
        store.plan_details(plan, today()).unwrap();
        store
            .find_payments(plan, &PaymentFilter::default())
            .unwrap();
    };
    let loads = |store: &Store| store.plan_history_loads();
    let start = loads(&store);
    save_and_show(&mut store);
    save_and_show(&mut store);
    assert_eq!(
        loads(&store) - start,
        0,
        "the plan was read once, when it was made"
    );

    // A revision is read afresh, once.
    let mut revision = careledger_core::plan_forms::RevisionDraft {
        effective_from: "1/10/2026".into(),
        reason: "Review".into(),
        content: store
            .plan_history(plan)
            .unwrap()
            .current()
            .content
            .to_draft(),
    };
    revision.content.lines[0].description = "Personal assistants".into();
    store.revise_plan(plan, &revision, david).unwrap();
    let after_revision = loads(&store);
    save_and_show(&mut store);
    assert_eq!(loads(&store), after_revision);
    assert_eq!(
        store.plan_history(plan).unwrap().current().content.lines[0].description,
        "Personal assistants"
    );
}

/// Plays `steps` into a new store with the CHC plan; some payments give a
/// reason for having no receipt.
fn ledger_from(steps: Vec<Step>) -> (Store, careledger_core::HolderId, PlanId) {
    let (mut store, david, holder, plan) = store_with(&chc_plan());
    let mut keys: Vec<EntryKey> = Vec::new();
    for step in steps {
        match step {
            Step::Pay { day, pence, split } => {
                let mut draft = draft_for(day, Money::from_pence(pence), split, david);
                if pence % 3 == 0 {
                    draft.no_evidence_reason = "Paid by bank transfer".into();
                }
                keys.push(store.record_payment(plan, &draft, today()).unwrap().key);
            }
            Step::Edit { which, pence } if !keys.is_empty() => {
                let key = keys[which % keys.len()];
                let draft = draft_for(3, Money::from_pence(pence), pence % 2 == 0, david);
                let _ = store.edit_payment(plan, key, &draft, "Corrected", today());
            }
            Step::Void { which } if !keys.is_empty() => {
                let _ = store.void_payment(plan, keys[which % keys.len()], "Mistake", david);
            }
            Step::Receive { day, pence } => {
                let entry = funding(
                    &format!("{day}/5/2026"),
                    &Money::from_pence(pence).to_string(),
                    david,
                );
                store.record_money_in(plan, &entry, today()).unwrap();
            }
            _ => {}
        }
    }
    (store, holder, plan)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    /// The dashboard and a statement for the same days agree on every
    /// figure they share, and statements for two halves of a period chain:
    /// one's closing balance is the next one's opening balance.
    #[test]
    fn the_dashboard_and_the_statement_agree_on_every_shared_figure(
        steps in proptest::collection::vec(step(), 1..25),
        split_day in 1u32..60,
    ) {
        let (store, holder, plan) = ledger_from(steps);
        let history = store.plan_history(plan).unwrap();
        let overview = store.overview(holder, date(2026, 6, 1)).unwrap();
        let summary = overview.summary.unwrap();
        let dashboard = overview.dashboard.unwrap();
        let whole = |from: NaiveDate, to: NaiveDate| {
            store.statement(holder, &from.to_string(), &to.to_string()).unwrap()
        };
        let statement = whole(history.start_date, history.end_date);

        prop_assert_eq!(statement.money_in_total, dashboard.money_in);
        prop_assert_eq!(statement.money_out_total, summary.spent);
        prop_assert_eq!(statement.opening_balance, Money::ZERO);
        prop_assert_eq!(statement.closing_balance, dashboard.balance);
        prop_assert_eq!(statement.weekly_funding, dashboard.weekly_funding);
        prop_assert_eq!(statement.weeks_in_hand_tenths, dashboard.weeks_in_hand_tenths);
        prop_assert_eq!(statement.unassigned_spent, dashboard.unassigned_spent);
        prop_assert_eq!(
            statement.allocated_total.pence(),
            dashboard.lines.iter().map(|line| line.allocated.pence()).sum::<i64>()
        );
        for line in &dashboard.lines {
            let printed = statement.lines.iter().find(|printed| printed.key == line.key);
            prop_assert!(printed.is_some(), "line {:?} is on the statement", line.key);
            let printed = printed.unwrap();
            prop_assert_eq!(printed.allocated, line.allocated, "allocated to {}", &line.description);
            prop_assert_eq!(printed.spent, line.spent, "spent on {}", &line.description);
        }
        let lacking = statement
            .payments
            .iter()
            .filter(|payment| payment.voided.is_none() && payment.lacks_evidence)
            .count();
        prop_assert_eq!(lacking as u32, store.ledger_totals(plan).unwrap().lacking_evidence);
        let missing_on_dashboard = dashboard
            .warnings
            .iter()
            .any(|warning| warning.kind == WarningKind::MissingEvidence);
        prop_assert_eq!(missing_on_dashboard, lacking > 0);

        // Two halves of the period, split at a day in May or June.
        let middle = date(2026, 4, 30) + chrono::Days::new(u64::from(split_day));
        let first = whole(history.start_date, middle);
        let second = whole(middle + chrono::Days::new(1), history.end_date);
        prop_assert_eq!(first.closing_balance, second.opening_balance);
        prop_assert_eq!(second.closing_balance, statement.closing_balance);
        prop_assert_eq!(
            first.money_out_total.pence() + second.money_out_total.pence(),
            statement.money_out_total.pence()
        );
        for line in &statement.lines {
            let part = |half: &careledger_core::statement::Statement| {
                half.lines.iter().find(|l| l.key == line.key).map_or(0, |l| l.spent.pence())
            };
            prop_assert_eq!(part(&first) + part(&second), line.spent.pence());
        }
    }
}

/// A change made to a ledger after its payments are saved.
#[derive(Debug, Clone)]
enum Change {
    Edit { which: usize, pence: i64, payee: u8 },
    Void { which: usize },
    Attach { which: usize, pdf: bool },
    Detach { which: usize },
}

fn change() -> impl Strategy<Value = Change> {
    prop_oneof![
        (0usize..200, 1i64..500_000, 0u8..4).prop_map(|(which, pence, payee)| Change::Edit {
            which,
            pence,
            payee
        }),
        (0usize..200).prop_map(|which| Change::Void { which }),
        (0usize..200, any::<bool>()).prop_map(|(which, pdf)| Change::Attach { which, pdf }),
        (0usize..200).prop_map(|which| Change::Detach { which }),
    ]
}

/// Payees to look for: capitals, an accent, and LIKE's own wildcards.
const PAYEES: [&str; 4] = ["Supplier", "Aqua Therapy", "Café 50% off", "Joanne_Pike"];

/// Whether LIKE '%text%' (ASCII letters in either case) finds `text` in
/// the payment's payee, note or reference: the list's rule, read plainly.
fn mentions(payment: &Payment, text: &str) -> bool {
    let text = text.to_ascii_lowercase();
    [&payment.payee, &payment.note, &payment.reference]
        .iter()
        .any(|field| field.to_ascii_lowercase().contains(&text))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    /// Whatever is saved, changed, removed or given evidence, the daily
    /// totals and the word index the store keeps are exactly what the
    /// ledger gives; and the totals, and the list's pages (newest first,
    /// every page turned) for any filter, are those a plain reading of
    /// every payment gives.
    #[test]
    fn the_kept_totals_and_the_list_are_those_of_the_ledger(
        saved in proptest::collection::vec((1u32..28, 1i64..500_000, any::<bool>(), 0u8..8), 51..130),
        changes in proptest::collection::vec(change(), 0..40),
    ) {
        let (mut store, david, _holder, plan) = store_with(&chc_plan());
        let drafts: Vec<PaymentDraft> = saved
            .iter()
            .map(|&(day, pence, split, kind)| {
                let mut draft = draft_for(day, Money::from_pence(pence), split, david);
                draft.payee = PAYEES[usize::from(kind % 4)].into();
                if kind >= 4 {
                    draft.no_evidence_reason = "Paid by bank transfer".into();
                }
                draft
            })
            .collect();
        // Half saved at once, half one by one: both ways keep the totals.
        let (batch, singles) = drafts.split_at(drafts.len() / 2);
        prop_assert_eq!(store.record_payments(plan, batch, today()).unwrap(), batch.len());
        for draft in singles {
            store.record_payment(plan, draft, today()).unwrap();
        }
        let keys: Vec<EntryKey> = store.payments(plan).unwrap().iter().map(|p| p.key).collect();
        let photo = check_evidence("IMG_2041.png", photo()).unwrap();
        let invoice = check_evidence("Invoice 4471.pdf", invoice_pdf()).unwrap();
        let mut attached: Vec<(EntryKey, AttachmentId)> = Vec::new();
        for change in changes {
            match change {
                Change::Edit { which, pence, payee } => {
                    let mut draft = draft_for(9, Money::from_pence(pence), pence % 2 == 0, david);
                    draft.payee = PAYEES[usize::from(payee)].into();
                    let _ = store.edit_payment(plan, keys[which % keys.len()], &draft, "Corrected", today());
                }
                Change::Void { which } => {
                    let _ = store.void_payment(plan, keys[which % keys.len()], "Mistake", david);
                }
                Change::Attach { which, pdf } => {
                    let key = keys[which % keys.len()];
                    let file = if pdf { &invoice } else { &photo };
                    if let Ok(evidence) = store.attach_evidence(plan, key, EvidenceKind::Receipt, file, david) {
                        attached.push((key, evidence.attachment_id));
                    }
                }
                Change::Detach { which } if !attached.is_empty() => {
                    let (key, attachment) = attached.remove(which % attached.len());
                    let _ = store.remove_evidence(plan, key, attachment, david);
                }
                Change::Detach { .. } => {}
            }
        }
        prop_assert!(store.derived_data_agrees().unwrap());

        // Every payment as it stands, newest first, as the list orders them.
        let everything = store.payments(plan).unwrap();
        let live = |payment: &&Payment| payment.voided.is_none();
        for (from, to) in [(None, None), (Some(date(2026, 5, 8)), Some(date(2026, 5, 19)))] {
            let within = |payment: &&Payment| {
                from.is_none_or(|from| payment.paid_on >= from) && to.is_none_or(|to| payment.paid_on <= to)
            };
            let counted: Vec<&Payment> = everything.iter().filter(live).filter(within).collect();
            let totals = store.ledger_totals_between(plan, from, to).unwrap();
            prop_assert_eq!(totals.spent.pence(), counted.iter().map(|p| p.amount.pence()).sum::<i64>());
            prop_assert_eq!(totals.payment_count as usize, counted.len());
            prop_assert_eq!(
                totals.lacking_evidence as usize,
                counted.iter().filter(|p| p.lacks_evidence).count()
            );
            let mut by_line = std::collections::BTreeMap::new();
            let mut by_day = std::collections::BTreeMap::new();
            for payment in &counted {
                for split in &payment.splits {
                    *by_line.entry(split.line_key).or_insert(0) += split.amount.pence();
                }
                *by_day.entry(payment.paid_on).or_insert(0) += payment.amount.pence();
            }
            let kept_lines: Vec<(LineKey, i64)> = totals.spent_by_line.iter().map(|(k, m)| (*k, m.pence())).collect();
            prop_assert_eq!(kept_lines, by_line.into_iter().collect::<Vec<_>>());
            let kept_days: Vec<(NaiveDate, i64)> = totals.spent_by_day.iter().map(|(d, m)| (*d, m.pence())).collect();
            prop_assert_eq!(kept_days, by_day.into_iter().collect::<Vec<_>>());
        }

        let filters = [
            PaymentFilter::default(),
            PaymentFilter { from: "8/5/2026".into(), to: "19/5/2026".into(), ..Default::default() },
            PaymentFilter { line_key: Some(LineKey(7)), ..Default::default() },
            PaymentFilter { line_key: Some(LineKey(1)), from: "8/5/2026".into(), ..Default::default() },
            PaymentFilter { no_receipt: true, ..Default::default() },
            PaymentFilter { no_receipt: true, to: "19/5/2026".into(), ..Default::default() },
            PaymentFilter { no_receipt: true, line_key: Some(LineKey(7)), ..Default::default() },
            PaymentFilter { text: "SUPP".into(), ..Default::default() },
            PaymentFilter { text: "aqua t".into(), line_key: Some(LineKey(6)), ..Default::default() },
            PaymentFilter { text: "50%".into(), ..Default::default() },
            PaymentFilter { text: "é 5".into(), ..Default::default() },
            PaymentFilter { text: "e_p".into(), ..Default::default() },
            PaymentFilter { text: "a_p".into(), ..Default::default() },
            PaymentFilter { text: "er".into(), no_receipt: true, ..Default::default() },
            PaymentFilter { min_amount: "1000".into(), max_amount: "3000".into(), ..Default::default() },
        ];
        for filter in filters {
            let checked = filter.check().unwrap();
            let on_line = |payment: &Payment| -> Option<i64> {
                match checked.line_key {
                    None => Some(payment.amount.pence()),
                    Some(line) => payment.splits.iter().find(|s| s.line_key == line).map(|s| s.amount.pence()),
                }
            };
            let expected: Vec<&Payment> = everything
                .iter()
                .filter(|p| checked.from.is_none_or(|from| p.paid_on >= from))
                .filter(|p| checked.to.is_none_or(|to| p.paid_on <= to))
                .filter(|p| on_line(p).is_some())
                .filter(|p| checked.min_amount.is_none_or(|min| p.amount >= min))
                .filter(|p| checked.max_amount.is_none_or(|max| p.amount <= max))
                .filter(|p| !checked.no_receipt || (p.voided.is_none() && p.lacks_evidence))
                .filter(|p| mentions(p, &checked.text))
                .collect();
            let first = store.find_payments(plan, &filter).unwrap();
            prop_assert_eq!(first.total_count as usize, expected.len(), "{:?}", &filter);
            prop_assert_eq!(
                first.removed_count as usize,
                expected.iter().filter(|p| p.voided.is_some()).count(),
                "{:?}", &filter
            );
            prop_assert_eq!(
                first.total_amount.pence(),
                expected.iter().filter(|p| p.voided.is_none()).filter_map(|p| on_line(p)).sum::<i64>(),
                "{:?}", &filter
            );
            let mut listed = Vec::new();
            for page in 0..first.page_count {
                let found = store.find_payments(plan, &PaymentFilter { page, ..filter.clone() }).unwrap();
                prop_assert_eq!(found.page, page);
                listed.extend(found.payments);
            }
            let listed: Vec<&Payment> = listed.iter().collect();
            prop_assert_eq!(listed, expected, "{:?}", &filter);
        }
    }
}

#[test]
fn payments_are_found_by_what_a_person_remembers_and_paged() {
    let Quarter {
        mut store,
        david,
        plan,
        ..
    } = quarter();
    let find = |store: &Store, filter: PaymentFilter| store.find_payments(plan, &filter).unwrap();
    let all = find(&store, PaymentFilter::default());
    assert_eq!((all.total_count, all.page_count), (15, 1));
    assert_eq!(all.payments[0].paid_on, date(2026, 6, 23), "newest first");
    let sessions = find(
        &store,
        PaymentFilter {
            text: "aqua".into(),
            ..Default::default()
        },
    );
    assert_eq!(
        (sessions.total_count, sessions.total_amount),
        (6, pence(27_000))
    );
    let may = find(
        &store,
        PaymentFilter {
            from: "1/5/2026".into(),
            to: "31/5/2026".into(),
            ..Default::default()
        },
    );
    assert!(may
        .payments
        .iter()
        .all(|p| p.paid_on.to_string().starts_with("2026-05")));
    assert_eq!(may.total_count, 5, "PA, payroll, HMRC and two sessions");
    let hydro_line = find(
        &store,
        PaymentFilter {
            line_key: Some(LineKey(7)),
            ..Default::default()
        },
    );
    assert_eq!(
        hydro_line.total_count, 7,
        "six sessions and the cash, which was partly for hydrotherapy"
    );
    let big = find(
        &store,
        PaymentFilter {
            min_amount: "£300".into(),
            ..Default::default()
        },
    );
    assert_eq!(big.total_count, 4);
    let no_receipt = find(
        &store,
        PaymentFilter {
            no_receipt: true,
            ..Default::default()
        },
    );
    assert_eq!(
        no_receipt.total_count, 14,
        "all but the chair, which has its invoice"
    );
    // LIKE's wildcards are taken literally.
    assert_eq!(
        find(
            &store,
            PaymentFilter {
                text: "%".into(),
                ..Default::default()
            }
        )
        .total_count,
        0
    );

    // Paging: 60 more payments make 75, two pages of 50.
    for day in 1..=30 {
        for payee in ["Corner shop", "Chemist"] {
            store
                .record_payment(
                    plan,
                    &pay(
                        &format!("{day}/4/2026"),
                        payee,
                        "£1",
                        HowPaid::Cash,
                        &[(10, "")],
                        david,
                    ),
                    today(),
                )
                .unwrap();
        }
    }
    let first = find(&store, PaymentFilter::default());
    let second = find(
        &store,
        PaymentFilter {
            page: 1,
            ..Default::default()
        },
    );
    assert_eq!(
        (
            first.page_count,
            first.payments.len(),
            second.payments.len()
        ),
        (2, 50, 25)
    );
    assert_eq!(
        find(
            &store,
            PaymentFilter {
                page: 9,
                ..Default::default()
            }
        )
        .page,
        1,
        "past the end shows the last page"
    );
    let keys: std::collections::HashSet<_> = first
        .payments
        .iter()
        .chain(&second.payments)
        .map(|p| p.key)
        .collect();
    assert_eq!(keys.len(), 75, "no payment on both pages, none missed");
}

#[test]
fn a_filter_that_makes_no_sense_is_explained() {
    let Quarter { store, plan, .. } = quarter();
    let check = |filter: PaymentFilter| store.find_payments(plan, &filter);
    assert_invalid(
        check(PaymentFilter {
            from: "31/5/2026".into(),
            to: "1/5/2026".into(),
            ..Default::default()
        }),
        "to",
        "Swap them round",
    );
    assert_invalid(
        check(PaymentFilter {
            from: "soon".into(),
            ..Default::default()
        }),
        "from",
        "is not a date",
    );
    assert_invalid(
        check(PaymentFilter {
            min_amount: "£10".into(),
            max_amount: "£5".into(),
            ..Default::default()
        }),
        "maxAmount",
        "Swap them round",
    );
    assert_invalid(
        check(PaymentFilter {
            min_amount: "12.345".into(),
            ..Default::default()
        }),
        "minAmount",
        "two digits",
    );
}

fn wages(first_due: &str, by: PersonId) -> careledger_core::recurring::RecurringDraft {
    careledger_core::recurring::RecurringDraft {
        payee: "Joanne Pike".into(),
        amount: "£1,160".into(),
        line_key: LineKey(1),
        how_paid: HowPaid::BankTransfer,
        every: careledger_core::plan::Frequency::FourWeekly,
        first_due: first_due.into(),
        note: "80 hours at £14.50".into(),
        no_evidence_reason: String::new(),
        recorded_by: by,
    }
}

#[test]
fn a_regular_payment_gives_its_payments_its_reason_for_no_receipt() {
    let (mut store, david, _, plan) = store_with(&chc_plan());
    let mut draft = wages("28/4/2026", david);
    draft.no_evidence_reason = "Standing order; the payroll service keeps the payslips".into();
    let regular = store.add_recurring(plan, &draft).unwrap();
    assert_eq!(regular.no_evidence_reason, draft.no_evidence_reason);
    let on = |d: u32, m: u32| date(2026, m, d);
    let paid = store
        .confirm_due(plan, regular.id, on(28, 4), david, on(30, 6))
        .unwrap();
    assert_eq!(paid.no_evidence_reason, draft.no_evidence_reason);
    assert!(
        !paid.lacks_evidence,
        "an explained gap is not a missing receipt"
    );
    // Without one, its payments lack evidence like any other.
    let plain = store
        .add_recurring(plan, &wages("28/4/2026", david))
        .unwrap();
    let unexplained = store
        .confirm_due(plan, plain.id, on(28, 4), david, on(30, 6))
        .unwrap();
    assert!(unexplained.lacks_evidence);
    // The reason is checked like a payment's.
    draft.no_evidence_reason = "x".repeat(501);
    assert_invalid(store.add_recurring(plan, &draft), "noEvidenceReason", "");
}

#[test]
fn regular_payments_are_proposed_and_only_paid_when_confirmed() {
    let (mut store, david, _, plan) = store_with(&chc_plan());
    let regular = store
        .add_recurring(plan, &wages("28/4/2026", david))
        .unwrap();
    let on = |d: u32, m: u32| date(2026, m, d);
    let due: Vec<_> = store
        .due_proposals(plan, on(30, 6))
        .unwrap()
        .iter()
        .map(|p| p.due_on)
        .collect();
    assert_eq!(due, [on(28, 4), on(26, 5), on(23, 6)]);
    assert!(
        store.payments(plan).unwrap().is_empty(),
        "nothing is paid until a person confirms"
    );

    let paid = store
        .confirm_due(plan, regular.id, on(28, 4), david, on(30, 6))
        .unwrap();
    assert_eq!(
        (paid.paid_on, paid.amount, paid.payee.as_str()),
        (on(28, 4), pence(116_000), "Joanne Pike")
    );
    assert_eq!(paid.splits[0].line_key, LineKey(1));
    store
        .skip_due(plan, regular.id, on(26, 5), david, on(30, 6))
        .unwrap();
    let due: Vec<_> = store
        .due_proposals(plan, on(30, 6))
        .unwrap()
        .iter()
        .map(|p| p.due_on)
        .collect();
    assert_eq!(due, [on(23, 6)]);
    assert_eq!(
        store.payments(plan).unwrap().len(),
        1,
        "the skipped one made no payment"
    );
    // Confirming twice, or a day that is not due, is refused.
    assert_invalid(
        store.confirm_due(plan, regular.id, on(28, 4), david, on(30, 6)),
        "recurring",
        "not waiting to be confirmed",
    );
    assert_invalid(
        store.confirm_due(plan, regular.id, on(1, 6), david, on(30, 6)),
        "recurring",
        "not waiting to be confirmed",
    );
    assert_eq!(store.payments(plan).unwrap().len(), 1);

    store.stop_recurring(plan, regular.id, david).unwrap();
    assert!(
        store.due_proposals(plan, on(30, 9)).unwrap().is_empty(),
        "a stopped one proposes nothing more"
    );
    assert!(store.recurring(plan).unwrap()[0].stopped);
}

#[test]
fn bad_regular_payments_are_refused_and_nothing_is_written() {
    let (mut store, david, _, plan) = store_with(&chc_plan());
    let mut draft = wages("28/4/2026", david);
    draft.every = careledger_core::plan::Frequency::OneOff;
    assert_invalid(
        store.add_recurring(plan, &draft),
        "every",
        "Choose how often",
    );
    draft = wages("28/4/2027", david);
    assert_invalid(
        store.add_recurring(plan, &draft),
        "firstDue",
        "outside the plan",
    );
    draft = wages("28/4/2026", david);
    draft.amount = "£0".into();
    assert_invalid(
        store.add_recurring(plan, &draft),
        "amount",
        "more than £0.00",
    );
    draft = wages("28/4/2026", david);
    draft.line_key = LineKey(99);
    assert_invalid(
        store.add_recurring(plan, &draft),
        "lineKey",
        "not in the plan",
    );
    assert!(store.recurring(plan).unwrap().is_empty());
}

#[test]
fn weeks_in_hand_can_be_negative_and_an_overspend_is_named() {
    let (mut store, david, holder, plan) = store_with(&simple_plan("£36,500"));
    store
        .record_money_in(plan, &funding("1/4/2026", "£1,000", david), today())
        .unwrap();
    store
        .record_payment(
            plan,
            &pay(
                "2/4/2026",
                "Agency",
                "£2,000",
                HowPaid::BankTransfer,
                &[(1, "")],
                david,
            ),
            today(),
        )
        .unwrap();
    let dashboard = store
        .overview(holder, date(2026, 4, 2))
        .unwrap()
        .dashboard
        .unwrap();
    // A week's funding is £36,500 over 52 weeks: £701.92. −£1,000 is −1.4 weeks.
    assert_eq!(dashboard.weekly_funding, pence(70_192));
    assert_eq!(dashboard.balance, pence(-100_000));
    assert_eq!(dashboard.weeks_in_hand_tenths, Some(-14));

    store
        .record_payment(
            plan,
            &pay(
                "3/4/2026",
                "Agency",
                "£40,000",
                HowPaid::BankTransfer,
                &[(1, "")],
                david,
            ),
            today(),
        )
        .unwrap();
    let dashboard = store
        .overview(holder, date(2026, 4, 3))
        .unwrap()
        .dashboard
        .unwrap();
    let runs_out = dashboard
        .warnings
        .iter()
        .find(|w| w.kind == WarningKind::RunsOut)
        .unwrap();
    assert!(
        runs_out.message.starts_with(
            "The money has already run out: £5,500.00 more has been spent than the budget."
        ),
        "{}",
        runs_out.message
    );
}

#[test]
fn the_chart_has_each_day_once_and_ends_on_the_plans_last_day() {
    let (store, _, holder, plan) = store_with(&simple_plan("£36,500"));
    let _ = plan;
    let dashboard = store
        .overview(holder, date(2026, 6, 15))
        .unwrap()
        .dashboard
        .unwrap();
    let days: Vec<_> = dashboard.burn.iter().map(|p| p.date).collect();
    assert_eq!(days[0], date(2026, 4, 1));
    assert_eq!(days[1], date(2026, 4, 30));
    assert_eq!(*days.last().unwrap(), date(2027, 3, 31));
    assert_eq!(days.len(), 13, "the first day, 11 month ends, the last day");
    let mut sorted = days.clone();
    sorted.dedup();
    assert_eq!(sorted, days, "no day twice");
    assert_eq!(dashboard.burn[0].even, Money::ZERO);
    assert_eq!(dashboard.burn.last().unwrap().even, pence(3_650_000));
    assert_eq!(
        dashboard.burn[3].spent,
        Some(Money::ZERO),
        "30 Jun, this month"
    );
    assert_eq!(dashboard.burn[4].spent, None, "31 Jul, still to come");

    // A plan starting on a month's last day.
    let mut late = simple_plan("£36,500");
    late.start_date = "30/4/2026".into();
    late.end_date = "29/4/2027".into();
    let (store, _, holder, _) = store_with(&late);
    let days: Vec<_> = store
        .overview(holder, today())
        .unwrap()
        .dashboard
        .unwrap()
        .burn
        .iter()
        .map(|p| p.date)
        .collect();
    assert_eq!(&days[..2], [date(2026, 4, 30), date(2026, 5, 31)]);
}

#[test]
fn a_lines_list_total_counts_only_its_part_of_split_payments() {
    let Quarter { store, plan, .. } = quarter();
    let hydro = store
        .find_payments(
            plan,
            &PaymentFilter {
                line_key: Some(LineKey(7)),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(
        hydro.total_amount,
        pence(6 * 4_500 + 4_000),
        "six sessions and £40 of the £60 cash"
    );
    assert_eq!(hydro.removed_count, 0);
    let totals = store.ledger_totals(plan).unwrap();
    let line_total = totals
        .spent_by_line
        .iter()
        .find(|(key, _)| *key == LineKey(7))
        .unwrap()
        .1;
    assert_eq!(
        hydro.total_amount, line_total,
        "the list and the dashboard agree"
    );
}

#[test]
fn a_statement_reconciles_to_the_penny() {
    let Quarter {
        mut store,
        david,
        holder,
        plan,
    } = quarter();
    let cancelled = store
        .payments(plan)
        .unwrap()
        .into_iter()
        .find(|p| p.payee == "Aqua Physio")
        .unwrap();
    store
        .void_payment(plan, cancelled.key, "Cancelled", david)
        .unwrap();
    // May and June only: April's money makes the opening balance.
    let statement = store.statement(holder, "1/5/2026", "30/6/2026").unwrap();
    assert_eq!(
        (statement.from, statement.to),
        (date(2026, 5, 1), date(2026, 6, 30))
    );
    let april_in = 2 * 296_154;
    let april_out = 116_000 + 1_800 + 2 * 4_500;
    assert_eq!(statement.opening_balance, pence(april_in - april_out));
    assert_eq!(statement.money_in_total, pence(2 * 296_154));
    assert_eq!(statement.money_in.len(), 1, "one stream");
    // The newest session, 19 June, was removed.
    let may_june_out = 2 * 116_000 + 2 * 1_800 + 18_520 + 3 * 4_500 + 6_000 + 38_999;
    assert_eq!(statement.money_out_total, pence(may_june_out));
    assert_eq!(
        statement.closing_balance,
        pence(
            statement.opening_balance.pence() + statement.money_in_total.pence()
                - statement.money_out_total.pence()
        )
    );
    let by_lines: i64 = statement.lines.iter().map(|line| line.spent.pence()).sum();
    assert_eq!(
        by_lines + statement.unassigned_spent.pence(),
        statement.money_out_total.pence()
    );
    assert_eq!(statement.unassigned_spent, Money::ZERO);
    // 20 hours a week for 61 of the plan's 365 days.
    let pa = statement
        .lines
        .iter()
        .find(|line| line.key == LineKey(1))
        .unwrap();
    assert_eq!(
        pa.allocated,
        pence(252_022),
        "£15,080 × 61 ÷ 365 = £2,520.219…, to the nearest penny"
    );
    assert_eq!(pa.spent, pence(232_000));
    assert_eq!(pa.spent_to_date, pence(348_000), "April's wages as well");
    // Due by 30 June: 91 of 365 days; due in the period, less April's 30.
    assert_eq!(pa.due_to_date, pence(375_967));
    assert_eq!(pa.allocated, pence(375_967 - 123_945));
    assert_eq!(pa.for_year, pence(1_508_000));
    assert_eq!(pa.left_for_year, pence(1_508_000 - 348_000));
    // Exceptions: the cash, the removed session, and payments with no evidence.
    let kinds: Vec<_> = statement.exceptions.iter().map(|e| e.kind).collect();
    use careledger_core::statement::ExceptionKind;
    assert!(kinds.contains(&ExceptionKind::Cash));
    assert!(kinds.contains(&ExceptionKind::Removed));
    assert!(kinds.contains(&ExceptionKind::NoEvidence));
    let chair = statement
        .evidence
        .iter()
        .flat_map(|group| group.entries.iter().map(move |e| (&group.heading, e)))
        .find(|(_, e)| e.payee == "Mobility Direct")
        .unwrap();
    assert_eq!(chair.1.files, ["Invoice: Invoice 4471.pdf"]);
    let chair_line = &statement
        .lines
        .iter()
        .find(|l| l.key == LineKey(8))
        .unwrap();
    assert_eq!(chair.0, &chair_line.description, "indexed under its line");
    let without: u32 = statement.evidence.iter().map(|g| g.without_evidence).sum();
    let no_evidence = kinds
        .iter()
        .filter(|k| **k == ExceptionKind::NoEvidence)
        .count();
    assert_eq!(
        without as usize, no_evidence,
        "the index counts the payments the exceptions list as having no evidence"
    );
}

#[test]
fn the_statement_csv_reads_back_to_the_same_totals() {
    let Quarter {
        mut store,
        david,
        holder,
        plan,
    } = quarter();
    let session = store
        .payments(plan)
        .unwrap()
        .into_iter()
        .find(|p| p.payee == "Aqua Physio")
        .unwrap();
    store
        .void_payment(plan, session.key, "Entered twice, \"oops\"", david)
        .unwrap();
    // A gap with its reason, to tell apart from the gaps without one.
    let mut taxi = pay(
        "12/6/2026",
        "Town Taxis",
        "£12.40",
        HowPaid::Cash,
        &[(1, "")],
        david,
    );
    taxi.no_evidence_reason = "Paid in cash; the driver gave no receipt".into();
    store.record_payment(plan, &taxi, today()).unwrap();
    let statement = store.statement(holder, "1/4/2026", "30/6/2026").unwrap();
    let bytes = careledger_core::statement_csv::to_csv(&statement).unwrap();
    assert!(
        bytes.starts_with("\u{feff}".as_bytes()),
        "a byte-order mark for spreadsheets"
    );
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    let headers = reader.headers().unwrap().clone();
    let column = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(
        records.len(),
        4 + 16,
        "one row per entry, the removed one included"
    );
    for record in &records {
        assert!(
            chrono::NaiveDate::parse_from_str(&record[column("Date")], "%d/%m/%Y").is_ok(),
            "en-GB date {:?}",
            &record[column("Date")]
        );
    }
    // A plain sum of each money column is the statement's total: the
    // removed payment's amount is in a column of its own.
    let sum = |name: &str| -> i64 {
        records
            .iter()
            .filter(|record| !record[column(name)].is_empty())
            .map(|record| Money::parse(&record[column(name)]).unwrap().pence())
            .sum()
    };
    assert_eq!(sum("Money in"), statement.money_in_total.pence());
    assert_eq!(sum("Money out"), statement.money_out_total.pence());
    assert_eq!(sum("Removed amount"), session.amount.pence());
    let removed: Vec<&csv::StringRecord> = records
        .iter()
        .filter(|record| !record[column("Removed amount")].is_empty())
        .collect();
    assert_eq!(removed.len(), 1);
    assert!(removed[0][column("Status")].starts_with("Removed: Entered twice, \"oops\""));
    assert_eq!(&removed[0][column("Money out")], "");
    // Money in says what kind it is, not how it was paid.
    for record in records.iter().filter(|r| &r[column("Type")] == "Money in") {
        assert_eq!(&record[column("How paid")], "");
        assert_eq!(&record[column("Kind of money in")], "Funding payment");
    }
    // Every payment says how much evidence it has, and why there is none
    // where a reason was given; the status tells a real gap from an
    // explained one.
    for payment in &statement.payments {
        let row = records
            .iter()
            .find(|r| {
                r[column("Who")]
                    == *careledger_core::statement_csv::spreadsheet_text(&payment.payee)
                    && r[column("Date")] == payment.paid_on.format("%d/%m/%Y").to_string()
            })
            .unwrap();
        assert_eq!(
            row[column("Evidence count")],
            payment.evidence.len().to_string()
        );
        assert_eq!(&row[column("Why no evidence")], payment.no_evidence_reason);
        assert_eq!(
            row[column("Status")].ends_with("no evidence and no reason"),
            payment.lacks_evidence && payment.voided.is_none()
        );
    }
    assert!(
        statement
            .payments
            .iter()
            .any(|p| p.evidence.is_empty() && !p.no_evidence_reason.is_empty()),
        "the quarter has an explained gap to tell apart"
    );
}

#[test]
fn a_statement_for_dates_outside_the_plan_is_refused() {
    let Quarter { store, holder, .. } = quarter();
    assert_invalid(
        store.statement(holder, "1/1/2025", "31/12/2025"),
        "from",
        "The plan runs from 1 Apr 2026 to 31 Mar 2027",
    );
    assert_invalid(
        store.statement(holder, "30/6/2026", "1/6/2026"),
        "to",
        "end on or after",
    );
    assert_invalid(
        store.statement(holder, "someday", "1/6/2026"),
        "from",
        "is not a date",
    );
}

#[test]
fn the_printed_statement_has_every_section_and_reconciles() {
    let Quarter { store, holder, .. } = quarter();
    let statement = store.statement(holder, "1/4/2026", "30/6/2026").unwrap();
    let pdf = render_pdf(&statement, &PrintOptions::default()).unwrap();
    if let Some(dir) = std::env::var_os("CARELEDGER_KEEP_PDF") {
        std::fs::write(std::path::Path::new(&dir).join("statement.pdf"), &pdf).unwrap();
    }
    let text = pdf_text(&pdf);
    let mut last = 0;
    for section in [
        "Personal health budget statement",
        "The agreed plan",
        "Money in",
        "Money out by budget line",
        "Reconciliation",
        "Money in hand",
        "Exceptions",
        "Evidence index",
        "How it is working",
        "Declaration",
    ] {
        let at = text[last..]
            .find(section)
            .unwrap_or_else(|| panic!("{section:?} missing or out of order"));
        last += at;
    }
    for figure in [
        statement.opening_balance,
        statement.money_in_total,
        statement.money_out_total,
        statement.closing_balance,
    ] {
        assert!(text.contains(&figure.to_string()), "{figure} missing");
    }
    for line in &statement.lines {
        for figure in [
            line.for_year,
            line.due_to_date,
            line.spent,
            line.spent_to_date,
            line.left_for_year,
        ] {
            assert!(
                text.contains(&figure.to_string()),
                "{} {figure} missing",
                line.description
            );
        }
    }
    assert!(text.contains("Margaret Ellis: statement for 1 Apr 2026 to 30 Jun 2026"));
    let pages = text.matches("Page ").count();
    assert!(
        text.contains(&format!("Page {pages} of {pages}")),
        "every page numbered"
    );
    assert!(text.contains("Invoice: Invoice 4471.pdf"));
    assert!((2..=8).contains(&pages), "{pages} pages");

    let large = render_pdf(
        &statement,
        &PrintOptions {
            large_print: true,
            ..PrintOptions::default()
        },
    )
    .unwrap();
    let large_pages = pdf_text(&large).matches("Page ").count();
    assert!(
        large_pages > pages,
        "large print takes more pages ({large_pages} against {pages})"
    );
}

#[test]
fn unusual_text_neither_breaks_the_statement_nor_vanishes() {
    let Quarter {
        mut store,
        david,
        holder,
        plan,
    } = quarter();
    let mut odd = pay(
        "1/6/2026",
        "Zoë O'Brien-Łukasiewicz 😀 שלום 漢字",
        "£12.34",
        HowPaid::Card,
        &[(9, "")],
        david,
    );
    odd.note = "word ".repeat(400);
    store.record_payment(plan, &odd, today()).unwrap();
    let statement = store.statement(holder, "1/4/2026", "30/6/2026").unwrap();
    let text = pdf_text(&render_pdf(&statement, &PrintOptions::default()).unwrap());
    // The name may wrap in a narrow column, but every letter prints.
    assert!(
        text.contains("Zoë") && text.contains("O'Brien-Łukasiewicz"),
        "accents and apostrophes print"
    );
    assert!(text.contains('😀'), "DejaVu draws this emoji");
    assert!(
        text.contains("שלום") || text.contains("םולש"),
        "right-to-left text prints (pdftotext may reverse it)"
    );
    assert!(
        text.contains("□□"),
        "Chinese, which the font cannot draw, shows as □, not nothing"
    );
    assert!(!text.contains("漢"));
}

#[test]
fn notes_written_for_the_statement_are_printed_in_place_of_lines() {
    let Quarter { store, holder, .. } = quarter();
    let options = PrintOptions {
        outcome_notes: vec!["Walks to the shop twice a week now.".into()],
        general_note: "The PA hours work well.\nWe ask for more respite in winter.".into(),
        ..PrintOptions::default()
    };
    let (_, pdf) = store
        .statement_to_print(holder, "1/4/2026", "30/6/2026", &options)
        .and_then(|statement| statement.render(|receipt| store.evidence_content(&receipt.sha256)))
        .unwrap();
    let text = pdf_text(&pdf);
    let working = &text[text.find("How it is working").unwrap()..];
    assert!(working.contains("Walks to the shop twice a week now."));
    assert!(working.contains("We ask for more respite in winter."));

    let too_long = PrintOptions {
        general_note: "x".repeat(careledger_core::statement_pdf::MAX_REVIEW_NOTE_CHARS + 1),
        ..PrintOptions::default()
    };
    let error = store
        .statement_to_print(holder, "1/4/2026", "30/6/2026", &too_long)
        .unwrap_err();
    assert!(error.to_string().contains("is too long"), "{error}");
    let too_many = PrintOptions {
        outcome_notes: vec!["A note".to_owned(); 40],
        ..PrintOptions::default()
    };
    assert!(store
        .statement_to_print(holder, "1/4/2026", "30/6/2026", &too_many)
        .is_err());
}

#[test]
fn the_receipts_appendix_prints_photos_and_names_pdfs() {
    let Quarter {
        mut store,
        david,
        holder,
        plan,
    } = quarter();
    let key = store
        .record_payment(
            plan,
            &pay(
                "2/6/2026",
                "Boots",
                "£8.40",
                HowPaid::Card,
                &[(9, "")],
                david,
            ),
            today(),
        )
        .unwrap()
        .key;
    store
        .attach_evidence(
            plan,
            key,
            EvidenceKind::Receipt,
            &check_evidence("IMG_2041.png", photo()).unwrap(),
            david,
        )
        .unwrap();
    let with = PrintOptions {
        receipt_images: true,
        ..PrintOptions::default()
    };
    let (_, pdf) = store
        .statement_to_print(holder, "1/4/2026", "30/6/2026", &with)
        .and_then(|statement| statement.render(|receipt| store.evidence_content(&receipt.sha256)))
        .unwrap();
    let (_, without) = store
        .statement_to_print(holder, "1/4/2026", "30/6/2026", &PrintOptions::default())
        .and_then(|statement| statement.render(|receipt| store.evidence_content(&receipt.sha256)))
        .unwrap();
    if let Some(dir) = std::env::var_os("CARELEDGER_KEEP_PDF") {
        std::fs::write(std::path::Path::new(&dir).join("receipts.pdf"), &pdf).unwrap();
    }
    let text = pdf_text(&pdf);
    let appendix = &text[text.find("Appendix: receipts").expect("an appendix")..];
    assert!(appendix.contains("2 Jun 2026, Boots, £8.40. Receipt: IMG_2041.png"));
    assert!(appendix.contains("Invoice: Invoice 4471.pdf"));
    assert!(appendix.contains("A PDF file"), "a PDF is named, not drawn");
    assert!(!pdf_text(&without).contains("Appendix"));
    // The photo is in the file as a JPEG image.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("with-receipts.pdf");
    std::fs::write(&path, &pdf).unwrap();
    let list = std::process::Command::new("pdfimages")
        .arg("-list")
        .arg(&path)
        .output()
        .expect("pdfimages (poppler-utils) is installed");
    let list = String::from_utf8_lossy(&list.stdout);
    assert_eq!(
        list.lines().filter(|line| line.contains(" jpeg ")).count(),
        1,
        "one photo, drawn as a JPEG:\n{list}"
    );
}

#[test]
fn the_declaration_and_both_signatures_are_printed_together() {
    // The demo's year, printed for periods of many lengths and in both
    // sizes, so the declaration falls at many places on the page.
    let mut store = Store::open_in_memory().unwrap();
    let holder = careledger_core::demo::populate(&mut store, today()).unwrap();
    let plan = store
        .plan_history(store.plan_of(holder.id).unwrap().unwrap().id)
        .unwrap();
    let mut checked = 0;
    for days in (20..=140).step_by(15) {
        let to = plan.start_date + chrono::Days::new(days);
        let statement = store
            .statement(holder.id, &plan.start_date.to_string(), &to.to_string())
            .unwrap();
        for large_print in [false, true] {
            let options = PrintOptions {
                large_print,
                ..PrintOptions::default()
            };
            let text = pdf_text(&render_pdf(&statement, &options).unwrap());
            let pages: Vec<&str> = text.split('\u{c}').collect();
            let page_of = |words: &str| {
                pages
                    .iter()
                    .position(|page| page.contains(words))
                    .unwrap_or_else(|| panic!("{words:?} is printed"))
            };
            let declaration = page_of("Declaration");
            assert_eq!(
                page_of("Holder or representative:"),
                declaration,
                "{days} days, large print {large_print}"
            );
            assert_eq!(
                page_of("Reviewer:"),
                declaration,
                "{days} days, large print {large_print}"
            );
            checked += 1;
        }
    }
    println!("declaration kept whole on {checked} statements");
}
