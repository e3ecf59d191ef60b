//! A sample holder with a year of realistic spending, for `cargo xtask run
//! --demo`, screenshots and benchmarks. Every entry goes through the same
//! checks as one typed in by a person.

use chrono::{Datelike, Days, Months, NaiveDate};

use crate::error::Result;
use crate::model::{Holder, NewHolder, NewPlan, NewSpending};
use crate::money::Money;
use crate::store::Store;

/// The demo holder's name.
pub const DEMO_HOLDER: &str = "Margaret Ellis";

/// Adds the demo holder, a plan that started eleven months before `today`
/// and runs for a year, and the spending a careful carer would have logged
/// up to `today`. Returns the holder.
pub fn populate(store: &mut Store, today: NaiveDate) -> Result<Holder> {
    let holder = store.add_holder(&NewHolder {
        name: DEMO_HOLDER.into(),
    })?;
    let start = first_of_month(today - Months::new(11));
    let end = start + Months::new(12) - Days::new(1);
    let plan = store.add_plan(
        holder.id,
        &NewPlan {
            name: format!(
                "Personal health budget {}–{}",
                start.year(),
                end.year() % 100
            ),
            start_date: start.to_string(),
            end_date: end.to_string(),
            total_budget: "£38,500.00".into(),
        },
    )?;
    for payment in demo_payments(start, today) {
        store.add_spending(plan.id, &payment, today)?;
    }
    Ok(holder)
}

fn first_of_month(date: NaiveDate) -> NaiveDate {
    date.with_day(1).unwrap_or(date)
}

fn payment(on: NaiveDate, payee: &str, pence: i64, note: &str, by: &str) -> NewSpending {
    NewSpending {
        paid_on: on.to_string(),
        payee: payee.into(),
        amount: Money::from_pence(pence).to_string(),
        note: note.into(),
        recorded_by: by.into(),
    }
}

/// The year's payments, oldest first, none after `today`.
fn demo_payments(start: NaiveDate, today: NaiveDate) -> Vec<NewSpending> {
    let mut payments = Vec::new();
    // Two personal assistants at £14.50 an hour (20 and 16 hours a week),
    // paid every 4 weeks, with the payroll bureau's fee each time.
    let mut payday = start + Days::new(27);
    while payday <= today {
        payments.push(payment(
            payday,
            "Joanne Pike (personal assistant)",
            116_000,
            "80 hours at £14.50",
            "David Ellis",
        ));
        payments.push(payment(
            payday,
            "Sam Okafor (personal assistant)",
            92_800,
            "64 hours at £14.50",
            "David Ellis",
        ));
        payments.push(payment(
            payday,
            "Carefree Payroll Ltd",
            1_800,
            "Payroll service, 4 weeks",
            "David Ellis",
        ));
        payday = payday + Days::new(28);
    }
    // Monthly: gym membership, and HMRC for the employer's tax and NI.
    for month in 0..12 {
        let first = start + Months::new(month);
        let gym = first + Days::new(2);
        if gym <= today {
            payments.push(payment(
                gym,
                "Riverside Leisure Centre",
                3_200,
                "Gym membership",
                "Margaret Ellis",
            ));
        }
        let hmrc = first + Days::new(21);
        if hmrc <= today && month > 0 {
            payments.push(payment(
                hmrc,
                "HMRC",
                18_520,
                "Employer's PAYE and NI",
                "David Ellis",
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
            "One session",
            "Margaret Ellis",
        ));
        session = session + Days::new(14);
    }
    // One-off and occasional costs.
    let occasional = [
        (
            20,
            "Safe Hands Insurance",
            14_900,
            "Employer's liability insurance, one year",
            "David Ellis",
        ),
        (
            75,
            "Mobility Direct",
            38_999,
            "Riser recliner chair",
            "David Ellis",
        ),
        (
            140,
            "Seaview Respite Care",
            64_000,
            "Four nights' respite",
            "David Ellis",
        ),
        (
            200,
            "Cash withdrawal",
            4_000,
            "Taxi fares to hydrotherapy; receipts kept",
            "Margaret Ellis",
        ),
        (
            260,
            "Seaview Respite Care",
            64_000,
            "Four nights' respite",
            "David Ellis",
        ),
        (
            300,
            "Mobility Direct",
            12_450,
            "Shower stool and grab rails",
            "David Ellis",
        ),
    ];
    for (day, payee, pence, note, by) in occasional {
        let on = start + Days::new(day);
        if on <= today {
            payments.push(payment(on, payee, pence, note, by));
        }
    }
    payments.sort_by(|a, b| a.paid_on.cmp(&b.paid_on));
    payments
}

#[cfg(test)]
mod tests {
    use super::*;

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
    }
}
