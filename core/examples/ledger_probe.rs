//! A quick look at where the time goes over a large ledger, part by part:
//! each piece of the dashboard and of the payments list, timed on its own.
//! Prints figures; it passes or fails nothing. (`cargo xtask bench` is the
//! full benchmark; this one is for finding what to make faster.)
//!
//! `cargo run --release -p careledger-core --example ledger_probe [folder]`
//! keeps the 100,000-payment database in `folder` (a temporary one if not
//! given), so that a second run skips making it.

use std::path::PathBuf;
use std::time::Instant;

use careledger_core::ledger::{HowPaid, LineKey, PaymentDraft, PaymentFilter, SplitDraft};
use careledger_core::plan::ActingRole;
use careledger_core::records::Records;
use careledger_core::store::DATABASE_FILE_NAME;
use careledger_core::views::Views;
use careledger_core::{demo, Money, NewHolder, NewPerson, PersonId, Store};
use chrono::{Days, NaiveDate};

const PAYMENTS: u32 = 100_000;

fn payment(i: u32, start: NaiveDate, person: PersonId) -> PaymentDraft {
    PaymentDraft {
        paid_on: (start + Days::new(u64::from(i % 365))).to_string(),
        payee: format!("Payee {}", i % 500),
        amount: Money::from_pence(i64::from(1 + i % 50_000)).to_string(),
        how_paid: HowPaid::Card,
        reference: format!("REF{i}"),
        cash_withdrawal: false,
        splits: vec![SplitDraft {
            line_key: LineKey(i64::from(1 + i % 12)),
            amount: String::new(),
        }],
        note: "Benchmark payment".into(),
        no_evidence_reason: if i.is_multiple_of(3) {
            String::new()
        } else {
            "On the statement".into()
        },
        recorded_by: person,
    }
}

/// Runs `work` five times and prints the first and the best time.
fn timed<T>(what: &str, mut work: impl FnMut() -> T) -> T {
    let mut times = Vec::new();
    let mut result = None;
    for _ in 0..5 {
        let began = Instant::now();
        result = Some(work());
        times.push(began.elapsed().as_secs_f64() * 1000.0);
    }
    let best = times.iter().copied().fold(f64::INFINITY, f64::min);
    println!("{what}: first {:.2} ms, best {best:.2} ms", times[0]);
    result.expect("ran")
}

fn main() {
    let start = NaiveDate::from_ymd_opt(2026, 4, 1).expect("date");
    let today = NaiveDate::from_ymd_opt(2027, 3, 31).expect("date");
    let temporary = tempfile::tempdir().expect("temporary folder");
    let folder = std::env::args()
        .nth(1)
        .map_or_else(|| temporary.path().to_owned(), PathBuf::from);
    std::fs::create_dir_all(&folder).expect("folder");
    let path = folder.join(DATABASE_FILE_NAME);
    let fresh = !path.exists();
    let mut store = Store::open(&path).expect("open");
    if fresh {
        let person = store
            .add_person(&NewPerson {
                name: "Probe Carer".into(),
            })
            .expect("person");
        let holder = store
            .add_holder(
                &NewHolder {
                    name: "Probe Holder".into(),
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
        let drafts: Vec<PaymentDraft> = (0..PAYMENTS)
            .map(|i| payment(i, start, person.id))
            .collect();
        let history = store.plan_history(plan).expect("history");
        let began = Instant::now();
        for draft in &drafts {
            draft.check(&history, today).expect("checked");
        }
        println!(
            "check {PAYMENTS} drafts: {:.2} s",
            began.elapsed().as_secs_f64()
        );
        let began = Instant::now();
        for batch in drafts.chunks(10_000) {
            store.record_payments(plan, batch, today).expect("batch");
        }
        println!(
            "save {PAYMENTS} payments in batches of 10,000: {:.2} s",
            began.elapsed().as_secs_f64()
        );
    }
    let holder = store.holders().expect("holders")[0].id;
    let plan = store.plan_of(holder).expect("plan").expect("a plan").id;

    println!("-- the dashboard, part by part");
    timed("overview (whole)", || {
        store.overview(holder, today).expect("overview")
    });
    timed("plan_history", || {
        store.plan_history(plan).expect("history")
    });
    timed("ledger_totals", || {
        store.ledger_totals(plan).expect("totals")
    });
    timed("money_in", || store.money_in(plan).expect("money in"));
    timed("expected_payments", || {
        store.expected_payments(plan, today).expect("expected")
    });
    timed("recurring", || store.recurring(plan).expect("recurring"));
    timed("due_proposals", || {
        store.due_proposals(plan, today).expect("due")
    });

    println!("-- the payments list");
    let store = &store;
    let find = |filter: PaymentFilter| move || store.find_payments(plan, &filter).expect("find");
    timed("first page", find(PaymentFilter::default()));
    timed(
        "second page",
        find(PaymentFilter {
            page: 1,
            ..Default::default()
        }),
    );
    timed(
        "middle page",
        find(PaymentFilter {
            page: 1_000,
            ..Default::default()
        }),
    );
    timed(
        "last page",
        find(PaymentFilter {
            page: u32::MAX,
            ..Default::default()
        }),
    );
    let found = timed(
        "words \"Payee 42\"",
        find(PaymentFilter {
            text: "Payee 42".into(),
            ..Default::default()
        }),
    );
    println!("  ({} found)", found.total_count);
    timed(
        "words \"Payee 42\", last page",
        find(PaymentFilter {
            text: "Payee 42".into(),
            page: u32::MAX,
            ..Default::default()
        }),
    );
    let found = timed(
        "words \"REF99999\"",
        find(PaymentFilter {
            text: "REF99999".into(),
            ..Default::default()
        }),
    );
    println!("  ({} found)", found.total_count);
    let found = timed(
        "no receipt",
        find(PaymentFilter {
            no_receipt: true,
            ..Default::default()
        }),
    );
    println!("  ({} found)", found.total_count);
    timed(
        "no receipt, last page",
        find(PaymentFilter {
            no_receipt: true,
            page: u32::MAX,
            ..Default::default()
        }),
    );
    timed(
        "one line in a month",
        find(PaymentFilter {
            from: "1/6/2026".into(),
            to: "30/6/2026".into(),
            line_key: Some(LineKey(7)),
            ..Default::default()
        }),
    );
    timed(
        "one line, last page",
        find(PaymentFilter {
            line_key: Some(LineKey(7)),
            page: u32::MAX,
            ..Default::default()
        }),
    );
    timed(
        "amounts £100 to £200",
        find(PaymentFilter {
            min_amount: "100".into(),
            max_amount: "200".into(),
            ..Default::default()
        }),
    );
}
