//! A sample holder with a year of realistic spending, for `cargo xtask run
//! --demo`, screenshots and benchmarks. Every entry goes through the same
//! checks as one typed in by a person.

use crate::records::Records;
use chrono::{Datelike, Days, Months, NaiveDate};

use crate::error::Result;
use crate::ledger::{HowPaid, LineKey, MoneyInDraft, MoneyInKind, PaymentDraft, SplitDraft};
use crate::model::{Holder, NewHolder, NewPerson, PersonId};
use crate::money::Money;
use crate::plan::*;
use crate::plan_forms::{ContentDraft, LineDraft, NewPlanDraft, ReviewDraft, StreamDraft};
use crate::store::Store;

/// The demo holder's name.
pub const DEMO_HOLDER: &str = "Margaret Ellis";

/// Adds the demo holder, her son David who acts as her nominee, a plan that
/// started eleven months before `today` and runs for a year, and the
/// spending a careful carer would have logged up to `today`. Returns the
/// holder.
pub fn populate(store: &mut Store, today: NaiveDate) -> Result<Holder> {
    // All or nothing: a half-made sample would never be finished, since
    // the demo only fills an empty store.
    store.atomically(|store| populate_now(store, today))
}

fn populate_now(store: &mut Store, today: NaiveDate) -> Result<Holder> {
    let david = store.add_person(&NewPerson {
        name: "David Ellis".into(),
    })?;
    let margaret = store.add_person(&NewPerson {
        name: DEMO_HOLDER.into(),
    })?;
    let holder = store.add_holder(
        &NewHolder {
            name: DEMO_HOLDER.into(),
            date_of_birth: "14/03/1951".into(),
            nhs_number: "943 476 5919".into(),
            acting_person: david.id,
            acting_role: ActingRole::Nominee,
        },
        today,
    )?;
    store.add_acting(holder.id, margaret.id, ActingRole::Holder)?;
    let start = first_of_month(today - Months::new(11));
    let end = start + Months::new(12) - Days::new(1);
    let plan = store.create_plan(holder.id, &demo_plan(start, end), david.id)?;
    for money in demo_money_in(&plan, today, david.id) {
        store.record_money_in(plan.plan_id, &money, today)?;
    }
    store.record_payments(
        plan.plan_id,
        &demo_payments(start, today, david.id, margaret.id),
        today,
    )?;
    Ok(holder)
}

/// Margaret's NHS Continuing Healthcare plan: £38,500 a year, paid in
/// 4-weekly instalments as a direct payment, for two personal assistants and what goes with
/// employing them, therapy, respite and equipment.
pub fn demo_plan(start: NaiveDate, end: NaiveDate) -> NewPlanDraft {
    use Category::*;
    let mut lines = vec![
        LineDraft::units(
            PersonalAssistants,
            "Personal assistant: Joanne",
            ("20", Unit::Hour, Per::Week, "£14.50"),
        )
        .by("Joanne Pike")
        .serving(&[0, 2]),
        LineDraft::units(
            PersonalAssistants,
            "Personal assistant: Sam",
            ("16", Unit::Hour, Per::Week, "£14.50"),
        )
        .by("Sam Okafor")
        .serving(&[0, 2]),
        LineDraft::sum(
            PayrollAndEmployerCosts,
            "Employer's tax and National Insurance",
            "£2,222.40",
        )
        .by("HMRC")
        .serving(&[]),
        LineDraft::sum(PayrollAndEmployerCosts, "Workplace pension", "£650.00")
            .by("NEST")
            .serving(&[]),
        LineDraft::sum(PayrollAndEmployerCosts, "Payroll service", "£234.00")
            .by("Carefree Payroll Ltd")
            .serving(&[]),
        LineDraft::sum(Insurance, "Employer's liability insurance", "£149.00")
            .by("Safe Hands Insurance")
            .spent(SpendingPattern::OneOff)
            .serving(&[]),
        LineDraft::units(
            Therapies,
            "Hydrotherapy",
            ("26", Unit::Session, Per::Plan, "£45.00"),
        )
        .by("Aqua Physio Hydrotherapy")
        .serving(&[0, 1]),
        LineDraft::units(
            ActivitiesAndWellbeing,
            "Gym membership",
            ("12", Unit::Month, Per::Plan, "£32.00"),
        )
        .by("Riverside Leisure Centre")
        .serving(&[0]),
        LineDraft::sum(
            Equipment,
            "Riser recliner chair, shower stool and grab rails",
            "£1,200.00",
        )
        .by("Mobility Direct")
        .spent(SpendingPattern::OneOff)
        .serving(&[1, 2]),
        LineDraft::units(
            Respite,
            "Respite breaks",
            ("8", Unit::Night, Per::Plan, "£160.00"),
        )
        .by("Seaview Respite Care")
        .spent(SpendingPattern::AsNeeded)
        .serving(&[2]),
        LineDraft::units(
            Transport,
            "Taxis to hydrotherapy",
            ("20", Unit::Trip, Per::Plan, "£20.00"),
        )
        .by("")
        .serving(&[0]),
        LineDraft::sum(Contingency, "Contingency", "£3,666.60")
            .by("")
            .spent(SpendingPattern::AsNeeded)
            .serving(&[]),
    ];
    lines[2].flexibility = Flexibility::Stated;
    NewPlanDraft {
        name: format!("Personal health budget {}", plan_years(start, end)),
        start_date: start.to_string(),
        end_date: end.to_string(),
        content: ContentDraft {
            streams: vec![StreamDraft {
                funder: Funder::Nhs,
                funder_name: "NHS Humber and North Yorkshire ICB".into(),
                management: Management::DirectPayment,
                amount: "£38,500.00".into(),
                amount_is: AmountIs::WholePeriod,
                frequency: Frequency::FourWeekly,
            }],
            outcomes: vec![
                "Get back to walking the dog every day".into(),
                "Fewer stays in hospital".into(),
                "Keep living in my own home".into(),
            ],
            lines,
            reviews: default_reviews(start, end)
                .into_iter()
                .map(|review| ReviewDraft {
                    kind: review.kind,
                    due_on: review.due_on.to_string(),
                })
                .collect(),
            status: PlanStatus::Agreed,
            agreed_on: (start - Days::new(16)).to_string(),
            agreed_by: "Jo Patel, CHC case manager, NHS Humber and North Yorkshire ICB".into(),
        },
    }
}

/// The years a plan covers, as people write them: "2026" within one year,
/// "2025–26" across two.
pub fn plan_years(start: NaiveDate, end: NaiveDate) -> String {
    if start.year() == end.year() {
        start.year().to_string()
    } else {
        format!("{}–{:02}", start.year(), end.year() % 100)
    }
}

fn first_of_month(date: NaiveDate) -> NaiveDate {
    date.with_day(1).unwrap_or(date)
}

/// A payment by `by`, all of it charged to line `line` (the demo plan's
/// lines are keyed 1 to 12 in order).
fn payment(
    on: NaiveDate,
    payee: &str,
    pence: i64,
    line: i64,
    how_paid: HowPaid,
    note: &str,
    by: PersonId,
) -> PaymentDraft {
    PaymentDraft {
        paid_on: on.to_string(),
        payee: payee.into(),
        amount: Money::from_pence(pence).to_string(),
        how_paid,
        reference: String::new(),
        cash_withdrawal: false,
        splits: vec![SplitDraft {
            line_key: LineKey(line),
            amount: String::new(),
        }],
        note: note.into(),
        // Transfers show on the bank statement; card and cash spending
        // needs its receipt, and a few here are still to be added.
        no_evidence_reason: if matches!(how_paid, HowPaid::BankTransfer | HowPaid::DirectDebit) {
            "Paid from the PHB account; shown on the bank statement".into()
        } else {
            String::new()
        },
        recorded_by: by,
    }
}

/// The year's payments, oldest first, none after `today`.
fn demo_payments(
    start: NaiveDate,
    today: NaiveDate,
    david: PersonId,
    margaret: PersonId,
) -> Vec<PaymentDraft> {
    use HowPaid::*;
    let mut payments = Vec::new();
    // Two personal assistants at £14.50 an hour (20 and 16 hours a week),
    // paid every 4 weeks, with the payroll bureau's fee each time.
    let mut payday = start + Days::new(27);
    while payday <= today {
        payments.push(payment(
            payday,
            "Joanne Pike (personal assistant)",
            116_000,
            1,
            BankTransfer,
            "80 hours at £14.50",
            david,
        ));
        payments.push(payment(
            payday,
            "Sam Okafor (personal assistant)",
            92_800,
            2,
            BankTransfer,
            "64 hours at £14.50",
            david,
        ));
        payments.push(payment(
            payday,
            "Carefree Payroll Ltd",
            1_800,
            5,
            DirectDebit,
            "Payroll service, 4 weeks",
            david,
        ));
        payday = payday + Days::new(28);
    }
    // Monthly: gym membership, HMRC and the pension.
    for month in 0..12 {
        let first = start + Months::new(month);
        let gym = first + Days::new(2);
        if gym <= today {
            payments.push(payment(
                gym,
                "Riverside Leisure Centre",
                3_200,
                8,
                Card,
                "Gym membership",
                margaret,
            ));
        }
        let hmrc = first + Days::new(21);
        if hmrc <= today && month > 0 {
            payments.push(payment(
                hmrc,
                "HMRC",
                18_520,
                3,
                BankTransfer,
                "Employer's PAYE and NI",
                david,
            ));
            payments.push(payment(
                hmrc,
                "NEST Pensions",
                5_400,
                4,
                DirectDebit,
                "Workplace pension",
                david,
            ));
        }
    }
    // Hydrotherapy every fortnight.
    let mut session = start + Days::new(9);
    while session <= today {
        payments.push(payment(
            session,
            "Aqua Physio Hydrotherapy",
            4_500,
            7,
            Card,
            "One session",
            margaret,
        ));
        session = session + Days::new(14);
    }
    // One-off and occasional costs.
    let occasional = [
        (
            20,
            "Safe Hands Insurance",
            14_900,
            6,
            BankTransfer,
            "Employer's liability insurance, one year",
            david,
        ),
        (
            75,
            "Mobility Direct",
            38_999,
            9,
            Card,
            "Riser recliner chair",
            david,
        ),
        (
            140,
            "Seaview Respite Care",
            64_000,
            10,
            BankTransfer,
            "Four nights' respite",
            david,
        ),
        (
            260,
            "Seaview Respite Care",
            64_000,
            10,
            BankTransfer,
            "Four nights' respite",
            david,
        ),
        (
            300,
            "Mobility Direct",
            12_450,
            9,
            Card,
            "Shower stool and grab rails",
            david,
        ),
    ];
    for (day, payee, pence, line, how, note, by) in occasional {
        let on = start + Days::new(day);
        if on <= today {
            payments.push(payment(on, payee, pence, line, how, note, by));
        }
    }
    // Cash taken out for taxis to hydrotherapy.
    let cash_day = start + Days::new(200);
    if cash_day <= today {
        let mut cash = payment(
            cash_day,
            "Cash withdrawal",
            4_000,
            11,
            Cash,
            "Taxis to hydrotherapy; receipts kept",
            margaret,
        );
        cash.cash_withdrawal = true;
        payments.push(cash);
    }
    payments.sort_by(|a, b| a.paid_on.cmp(&b.paid_on));
    payments
}

/// The NHS's 4-weekly payments, each arriving two days after it is due.
fn demo_money_in(
    plan: &crate::plan::PlanHistory,
    today: NaiveDate,
    david: PersonId,
) -> Vec<MoneyInDraft> {
    crate::store::due_payments(plan)
        .into_iter()
        .map(|due| (due.due_on + Days::new(2), due))
        .filter(|(arrived, _)| *arrived <= today)
        .map(|(arrived, due)| MoneyInDraft {
            received_on: arrived.to_string(),
            kind: MoneyInKind::Funding,
            source: due.source,
            amount: due.amount.to_string(),
            reference: format!("PHB {}", arrived.format("%m%y")),
            note: String::new(),
            recorded_by: david,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_plan_in_one_year_is_named_by_that_year_and_across_two_by_both() {
        let day = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(
            super::plan_years(day(2026, 1, 1), day(2026, 12, 31)),
            "2026"
        );
        assert_eq!(
            super::plan_years(day(2025, 4, 1), day(2026, 3, 31)),
            "2025–26"
        );
        assert_eq!(
            super::plan_years(day(2099, 4, 1), day(2100, 3, 31)),
            "2099–00"
        );
    }

    use super::*;
    use crate::views::Views;

    #[test]
    fn demo_data_is_a_realistic_year_inside_the_budget() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
        let mut store = Store::open_in_memory().unwrap();
        let holder = populate(&mut store, today).unwrap();
        let overview = store.overview(holder.id, today).unwrap();
        let summary = overview.summary.unwrap();
        assert!(summary.payment_count > 60, "{}", summary.payment_count);
        // A careful year: most of the budget used, a little in hand.
        assert!(summary.budget_spent_percent.unwrap() > 70, "{summary:?}");
        assert!(summary.left > Money::ZERO);
        assert!(summary.period_gone_percent > 80);
        assert_eq!(
            summary.allocated, summary.budget,
            "every pound of the plan is given to a line"
        );
        assert_eq!(summary.budget, Money::from_pence(3_850_000));
        assert_eq!(overview.acting.len(), 2);
    }
}
