//! `cargo xtask bench`: how long core takes over a large ledger. Prints
//! figures; it passes or fails nothing.

use std::time::Instant;

use careledger_core::ledger::{HowPaid, LineKey, PaymentDraft, SplitDraft};
use careledger_core::plan::ActingRole;
use careledger_core::store::DATABASE_FILE_NAME;
use careledger_core::{demo, Money, NewHolder, NewPerson, Store};
use chrono::{Days, NaiveDate};

const PAYMENTS: u32 = 10_000;

fn main() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let path = dir.path().join(DATABASE_FILE_NAME);
    let mut store = Store::open(&path).expect("open");
    let start = NaiveDate::from_ymd_opt(2026, 4, 1).expect("date");
    let today = NaiveDate::from_ymd_opt(2027, 3, 31).expect("date");
    let person = store
        .add_person(&NewPerson {
            name: "Bench Carer".into(),
        })
        .expect("person");
    let holder = store
        .add_holder(
            &NewHolder {
                name: "Bench Holder".into(),
                date_of_birth: String::new(),
                nhs_number: String::new(),
                acting_person: person.id,
                acting_role: ActingRole::Carer,
            },
            today,
        )
        .expect("holder");
    let plan = store
        .create_plan(holder.id, &demo::demo_plan(start, today), person.id)
        .expect("plan")
        .plan_id;

    let began = Instant::now();
    for i in 0..PAYMENTS {
        let form = PaymentDraft {
            paid_on: (start + Days::new(u64::from(i % 365))).to_string(),
            payee: format!("Payee {}", i % 50),
            amount: Money::from_pence(i64::from(1 + i % 50_000)).to_string(),
            how_paid: HowPaid::Card,
            reference: String::new(),
            cash_withdrawal: false,
            splits: vec![SplitDraft {
                line_key: LineKey(i64::from(1 + i % 12)),
                amount: String::new(),
            }],
            note: "Benchmark payment".into(),
            no_evidence_reason: String::new(),
            recorded_by: person.id,
        };
        store.record_payment(plan, &form, today).expect("payment");
    }
    let adding = began.elapsed();
    println!(
        "add {PAYMENTS} payments, one durable transaction each: {:.2} s ({:.2} ms a payment)",
        adding.as_secs_f64(),
        adding.as_secs_f64() * 1000.0 / f64::from(PAYMENTS)
    );

    let began = Instant::now();
    let overview = store.overview(holder.id, today).expect("overview");
    println!(
        "load the overview over {} payments (spent {}): {:.1} ms",
        overview.payments.len(),
        overview.summary.expect("summary").spent,
        began.elapsed().as_secs_f64() * 1000.0
    );

    let began = Instant::now();
    drop(store);
    let store = Store::open(&path).expect("reopen");
    println!(
        "reopen the database: {:.1} ms",
        began.elapsed().as_secs_f64() * 1000.0
    );
    drop(store);
}
