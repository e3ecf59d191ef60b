//! The "Are you sure?" before a payment bigger than the plan has left or
//! its line's whole allocation (`ledger::check_size`), asked through the
//! store, which knows what has been spent.

use careledger_core::error::{Error, Result};
use careledger_core::ledger::*;
use careledger_core::model::PersonId;
use careledger_core::model::{NewHolder, NewPerson, PlanId};
use careledger_core::money::Money;
use careledger_core::plan::{
    ActingRole, AmountIs, Category, Frequency, Funder, Management, PlanStatus,
};
use careledger_core::plan_forms::{ContentDraft, LineDraft, NewPlanDraft, StreamDraft};
use careledger_core::records::Records;
use careledger_core::recurring::RecurringDraft;
use careledger_core::store::Store;
use chrono::NaiveDate;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn today() -> NaiveDate {
    date(2026, 11, 25)
}

/// A year's plan of £38,500: £7,540 for a personal assistant and the
/// rest for respite care.
struct Fixture {
    store: Store,
    plan: PlanId,
    by: PersonId,
    pa: LineKey,
    respite: LineKey,
}

fn fixture() -> Fixture {
    let mut store = Store::open_in_memory().unwrap();
    let by = store
        .add_person(&NewPerson {
            name: "David Ellis".into(),
        })
        .unwrap()
        .id;
    let holder = store
        .add_holder(
            &NewHolder {
                name: "Margaret Ellis".into(),
                date_of_birth: String::new(),
                nhs_number: String::new(),
                acting_person: by,
                acting_role: ActingRole::Representative,
            },
            today(),
        )
        .unwrap();
    let draft = NewPlanDraft {
        name: "Personal health budget".into(),
        start_date: "1/4/2026".into(),
        end_date: "31/3/2027".into(),
        content: ContentDraft {
            streams: vec![StreamDraft {
                funder: Funder::Nhs,
                funder_name: "NHS Humber and North Yorkshire ICB".into(),
                management: Management::DirectPayment,
                amount: "£38,500".into(),
                frequency: Frequency::Yearly,
                amount_is: AmountIs::EachPayment,
            }],
            outcomes: vec!["Stay well at home".into()],
            lines: vec![
                LineDraft::sum(Category::PersonalAssistants, "Personal assistant", "£7,540"),
                LineDraft::sum(Category::Respite, "Respite care", "£30,960"),
            ],
            reviews: vec![],
            status: PlanStatus::Agreed,
            agreed_on: "20/3/2026".into(),
            agreed_by: String::new(),
        },
    };
    let history = store.create_plan(holder.id, &draft, by).unwrap();
    let keys: Vec<LineKey> = history.versions[0]
        .content
        .lines
        .iter()
        .map(|line| line.key.unwrap())
        .collect();
    Fixture {
        store,
        plan: history.plan_id,
        by,
        pa: keys[0],
        respite: keys[1],
    }
}

fn pay(amount: &str, splits: &[(LineKey, &str)], by: PersonId) -> PaymentDraft {
    PaymentDraft {
        paid_on: "20/11/2026".into(),
        payee: "Joanne Pike".into(),
        amount: amount.into(),
        how_paid: HowPaid::BankTransfer,
        reference: String::new(),
        cash_withdrawal: false,
        splits: splits
            .iter()
            .map(|(line_key, amount)| SplitDraft {
                line_key: *line_key,
                amount: (*amount).into(),
            })
            .collect(),
        note: String::new(),
        no_evidence_reason: String::new(),
        recorded_by: by,
    }
}

/// The question asked, or a panic if there was none.
fn question<T: std::fmt::Debug>(result: Result<T>) -> (String, String) {
    match result {
        Err(Error::NeedsConfirmation { field, message }) => (field, message),
        other => panic!("expected to be asked to confirm, got {other:?}"),
    }
}

#[test]
fn a_payment_over_what_is_left_and_its_lines_allocation_asks_first() {
    let Fixture {
        mut store,
        plan,
        by,
        pa,
        respite,
    } = fixture();
    let spent = pay("£4,261.17", &[(respite, "")], by);
    store
        .record_payment_asking(plan, &spent, false, today())
        .unwrap();

    let big = pay("£116,000", &[(pa, "")], by);
    let (field, message) = question(store.record_payment_asking(plan, &big, false, today()));
    assert_eq!(field, "amount");
    assert_eq!(
        message,
        "£116,000.00 is more than the £34,238.83 left in the whole plan, and more than the \
             £7,540.00 allocated to Personal assistant for the year. Check the amount. Save it \
             anyway?"
    );
    assert_eq!(
        store.payments(plan).unwrap().len(),
        1,
        "nothing was written"
    );
    assert_eq!(
        careledger_core::error::ErrorReport::from(Error::NeedsConfirmation {
            field: field.clone(),
            message: message.clone()
        })
        .code,
        careledger_core::error::ErrorCode::NeedsConfirmation
    );

    // Said "Save it anyway": saved as typed.
    let saved = store
        .record_payment_asking(plan, &big, true, today())
        .unwrap();
    assert_eq!(saved.amount, Money::from_pence(11_600_000));
    assert_eq!(store.payments(plan).unwrap().len(), 2);
}

#[test]
fn an_ordinary_payment_asks_nothing() {
    let Fixture {
        mut store,
        plan,
        by,
        pa,
        respite,
    } = fixture();
    store
        .record_payment_asking(plan, &pay("£116", &[(pa, "")], by), false, today())
        .unwrap();
    // Exactly a line's whole allocation is not more than it.
    store
        .record_payment_asking(plan, &pay("£7,540", &[(pa, "")], by), false, today())
        .unwrap();
    store
        .record_payment_asking(
            plan,
            &pay("£100", &[(pa, "£40"), (respite, "£60")], by),
            false,
            today(),
        )
        .unwrap();
}

#[test]
fn a_payment_over_its_lines_allocation_only_says_so() {
    let Fixture {
        mut store,
        plan,
        by,
        pa,
        ..
    } = fixture();
    let (field, message) = question(store.record_payment_asking(
        plan,
        &pay("£8,000", &[(pa, "")], by),
        false,
        today(),
    ));
    assert_eq!(field, "amount");
    assert_eq!(
        message,
        "£8,000.00 is more than the £7,540.00 allocated to Personal assistant for the year. \
             Check the amount. Save it anyway?"
    );
}

#[test]
fn a_split_names_the_part_over_its_lines_allocation() {
    let Fixture {
        mut store,
        plan,
        by,
        pa,
        respite,
    } = fixture();
    let (field, message) = question(store.record_payment_asking(
        plan,
        &pay("£9,000", &[(respite, "£1,000"), (pa, "£8,000")], by),
        false,
        today(),
    ));
    assert_eq!(field, "splits.1.amount", "the part to change");
    assert_eq!(
        message,
        "The £8,000.00 on Personal assistant is more than the £7,540.00 allocated to it for \
             the year. Check the amount. Save it anyway?"
    );
}

#[test]
fn once_the_plan_is_overspent_every_payment_says_so() {
    let Fixture {
        mut store,
        plan,
        by,
        respite,
        ..
    } = fixture();
    store
        .record_payment_asking(plan, &pay("£38,500", &[(respite, "")], by), true, today())
        .unwrap();
    let (_, message) = question(store.record_payment_asking(
        plan,
        &pay("£10", &[(respite, "")], by),
        false,
        today(),
    ));
    assert_eq!(
        message,
        "Nothing is left in the whole plan: all of the budget has been spent. Check the \
             amount. Save it anyway?"
    );
    store
        .record_payment_asking(plan, &pay("£10", &[(respite, "")], by), true, today())
        .unwrap();
    let (_, message) = question(store.record_payment_asking(
        plan,
        &pay("£10", &[(respite, "")], by),
        false,
        today(),
    ));
    assert_eq!(
        message,
        "Nothing is left in the whole plan: £10.00 more than the budget has been spent \
             already. Check the amount. Save it anyway?"
    );
}

#[test]
fn a_change_counts_what_is_left_without_its_own_earlier_amount() {
    let Fixture {
        mut store,
        plan,
        by,
        respite,
        ..
    } = fixture();
    store
        .record_payment_asking(
            plan,
            &pay("£4,261.17", &[(respite, "")], by),
            false,
            today(),
        )
        .unwrap();
    let payment = store
        .record_payment_asking(plan, &pay("£30,000", &[(respite, "")], by), false, today())
        .unwrap();
    // £4,238.83 is left, but £30,500 replaces £30,000: nothing to ask.
    store
        .edit_payment_asking(
            plan,
            payment.key,
            &pay("£30,500", &[(respite, "")], by),
            "Invoice corrected",
            false,
            today(),
        )
        .unwrap();
    // A reason is checked before the question is asked.
    let missing_reason = store.edit_payment_asking(
        plan,
        payment.key,
        &pay("£31,000", &[(respite, "")], by),
        "",
        false,
        today(),
    );
    assert!(
        matches!(missing_reason, Err(Error::Invalid { ref field, .. }) if field == "reason"),
        "{missing_reason:?}"
    );
    let (field, message) = question(store.edit_payment_asking(
        plan,
        payment.key,
        &pay("£31,000", &[(respite, "")], by),
        "Invoice corrected again",
        false,
        today(),
    ));
    assert_eq!(field, "amount");
    assert_eq!(
        message,
        "£31,000.00 is more than the £30,960.00 allocated to Respite care for the year. Check \
             the amount. Save it anyway?"
    );
    let unchanged = store.payment(plan, payment.key).unwrap();
    assert_eq!(
        (unchanged.amount, unchanged.revision_count),
        (Money::from_pence(3_050_000), 2),
        "nothing was written"
    );
    let changed = store
        .edit_payment_asking(
            plan,
            payment.key,
            &pay("£31,000", &[(respite, "")], by),
            "Invoice corrected again",
            true,
            today(),
        )
        .unwrap();
    assert_eq!(changed.amount, Money::from_pence(3_100_000));
}

#[test]
fn form_mistakes_are_reported_before_the_question() {
    let Fixture {
        mut store,
        plan,
        by,
        pa,
        ..
    } = fixture();
    let mut draft = pay("£116,000", &[(pa, "")], by);
    draft.payee = "  ".into();
    let result = store.record_payment_asking(plan, &draft, false, today());
    assert!(
        matches!(result, Err(Error::Invalid { ref field, .. }) if field == "payee"),
        "{result:?}"
    );
}

#[test]
fn a_regular_payment_over_its_lines_allocation_asks_before_it_is_logged() {
    let Fixture {
        mut store,
        plan,
        by,
        pa,
        ..
    } = fixture();
    let regular = store
        .add_recurring(
            plan,
            &RecurringDraft {
                payee: "Joanne Pike".into(),
                amount: "£8,000".into(),
                line_key: pa,
                how_paid: HowPaid::StandingOrder,
                every: Frequency::Monthly,
                first_due: "1/11/2026".into(),
                note: String::new(),
                no_evidence_reason: String::new(),
                recorded_by: by,
            },
        )
        .unwrap();
    let due_on = date(2026, 11, 1);
    let (_, message) =
        question(store.confirm_due_asking(plan, regular.id, due_on, by, false, today()));
    assert!(
        message.starts_with("£8,000.00 is more than the £7,540.00 allocated"),
        "{message}"
    );
    assert!(
        store.payments(plan).unwrap().is_empty(),
        "nothing was written"
    );
    assert_eq!(
        store.due_proposals(plan, today()).unwrap().len(),
        1,
        "still waiting to be confirmed"
    );
    store
        .confirm_due_asking(plan, regular.id, due_on, by, true, today())
        .unwrap();
    assert_eq!(store.payments(plan).unwrap().len(), 1);
    assert!(store.due_proposals(plan, today()).unwrap().is_empty());
}
