//! `cargo xtask bench`: how long core takes over a large ledger. Prints
//! figures; it passes or fails nothing.

use careledger_core::records::Records;
use careledger_core::views::Views;
use std::time::Instant;

use careledger_core::evidence::{check_evidence, EvidenceKind};
use careledger_core::ledger::{HowPaid, LineKey, PaymentDraft, PaymentFilter, SplitDraft};
use careledger_core::plan::ActingRole;
use careledger_core::store::DATABASE_FILE_NAME;
use careledger_core::{demo, Holder, Money, NewHolder, NewPerson, Person, PersonId, PlanId, Store};
use chrono::{Days, NaiveDate};

#[path = "support/phone_photo.rs"]
mod phone_photo;

/// A year with this many payments: far more than any holder makes.
const PAYMENTS: u32 = 100_000;
/// Payments saved one at a time, each its own durable transaction.
const SINGLE: u32 = 1_000;
/// Payments with a phone photo of their receipt, printed in a statement
/// (each photo takes about a fifth of a second to print, so 200 keep this
/// under a minute).
const RECEIPTS: u32 = 200;
/// Different photos among them (each is on several payments, as making
/// and checking a photo takes a while; printing treats each copy anew).
const DISTINCT_PHOTOS: u32 = 10;

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

/// A carer, a holder and the demo plan, for the figures to be worked over.
fn holder_with_plan(
    store: &mut Store,
    start: NaiveDate,
    today: NaiveDate,
) -> (Person, Holder, PlanId) {
    let person = store
        .add_person(&NewPerson {
            name: "Bench Carer".into(),
        })
        .expect("person");
    let form = NewHolder {
        name: "Bench Holder".into(),
        date_of_birth: String::new(),
        nhs_number: String::new(),
        acting_person: person.id,
        acting_role: ActingRole::Carer,
    };
    let holder = store.add_holder(&form, today).expect("holder");
    let plan = store
        .create_plan(holder.id, &demo::demo_plan(start, today), person.id)
        .expect("plan")
        .plan_id;
    (person, holder, plan)
}

fn timed<T>(what: &str, work: impl FnOnce() -> T) -> T {
    let began = Instant::now();
    let result = work();
    println!("{what}: {:.1} ms", began.elapsed().as_secs_f64() * 1000.0);
    result
}

fn main() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let path = dir.path().join(DATABASE_FILE_NAME);
    let mut store = Store::open(&path).expect("open");
    let start = NaiveDate::from_ymd_opt(2026, 4, 1).expect("date");
    let today = NaiveDate::from_ymd_opt(2027, 3, 31).expect("date");
    let (person, holder, plan) = holder_with_plan(&mut store, start, today);

    let began = Instant::now();
    for i in 0..SINGLE {
        store
            .record_payment(plan, &payment(i, start, person.id), today)
            .expect("payment");
    }
    let single = began.elapsed();
    println!(
        "save {SINGLE} payments one at a time, each durable: {:.2} s ({:.2} ms a payment)",
        single.as_secs_f64(),
        single.as_secs_f64() * 1000.0 / f64::from(SINGLE)
    );

    let began = Instant::now();
    for batch in (SINGLE..PAYMENTS).step_by(10_000) {
        let drafts: Vec<PaymentDraft> = (batch..(batch + 10_000).min(PAYMENTS))
            .map(|i| payment(i, start, person.id))
            .collect();
        store.record_payments(plan, &drafts, today).expect("batch");
    }
    println!(
        "save the other {} in batches of 10,000: {:.2} s",
        PAYMENTS - SINGLE,
        began.elapsed().as_secs_f64()
    );

    let overview = timed(&format!("dashboard over {PAYMENTS} payments"), || {
        store.overview(holder.id, today).expect("overview")
    });
    println!(
        "  (spent {}, {} payments)",
        overview.summary.expect("summary").spent,
        PAYMENTS
    );
    timed("first page of the list", || {
        store
            .find_payments(plan, &PaymentFilter::default())
            .expect("page")
    });
    timed("last page of the list", || {
        store
            .find_payments(
                plan,
                &PaymentFilter {
                    page: u32::MAX,
                    ..Default::default()
                },
            )
            .expect("page")
    });
    let found = timed("find by words (\"Payee 42\")", || {
        store
            .find_payments(
                plan,
                &PaymentFilter {
                    text: "Payee 42".into(),
                    ..Default::default()
                },
            )
            .expect("find")
    });
    println!("  ({} found)", found.total_count);
    timed("find one line's payments in a month", || {
        store
            .find_payments(
                plan,
                &PaymentFilter {
                    from: "1/6/2026".into(),
                    to: "30/6/2026".into(),
                    line_key: Some(LineKey(7)),
                    ..Default::default()
                },
            )
            .expect("find")
    });
    let lacking = timed("find payments with no receipt", || {
        store
            .find_payments(
                plan,
                &PaymentFilter {
                    no_receipt: true,
                    ..Default::default()
                },
            )
            .expect("find")
    });
    println!("  ({} found)", lacking.total_count);
    bench_statement_import(&store, plan);
    drop(store);
    timed("reopen the database", || {
        Store::open(&path).expect("reopen")
    });
    statement_bench(start, today);
    receipts_bench(start, today);
}

/// A year with 1,500 payments, printed as a statement.
fn statement_bench(start: NaiveDate, today: NaiveDate) {
    let mut store = Store::open_in_memory().expect("open");
    let (person, holder, plan) = holder_with_plan(&mut store, start, today);
    store
        .atomically(|store| {
            for i in 0..1_500 {
                store.record_payment(plan, &payment(i, start, person.id), today)?;
            }
            Ok(())
        })
        .expect("payments");
    let statement = timed("work out a year's statement over 1,500 payments", || {
        store
            .statement(holder.id, &start.to_string(), &today.to_string())
            .expect("statement")
    });
    let pdf = timed("print it as a PDF", || {
        careledger_core::statement_pdf::render_pdf(
            &statement,
            &careledger_core::statement_pdf::PrintOptions::default(),
        )
        .expect("pdf")
    });
    println!("  ({} KB)", pdf.len() / 1024);
    timed("print it in large print", || {
        careledger_core::statement_pdf::render_pdf(
            &statement,
            &careledger_core::statement_pdf::PrintOptions {
                large_print: true,
                ..Default::default()
            },
        )
        .expect("pdf")
    });
    timed("write its CSV", || {
        careledger_core::statement_csv::to_csv(&statement).expect("csv")
    });
    let dir = std::env::temp_dir().join("careledger-bench-statement.pdf");
    if std::fs::write(&dir, &pdf).is_ok() {
        println!(
            "  (the statement is in {}; pdfinfo shows its pages)",
            dir.display()
        );
    }
}

/// Phone photos checked as evidence, and a statement with 200 of them as
/// its receipts appendix: the part done while the store is held (reading)
/// and the part done after (drawing), and the most memory it took.
fn receipts_bench(start: NaiveDate, today: NaiveDate) {
    let photos = timed(
        &format!("make {DISTINCT_PHOTOS} 12-megapixel phone photos (4000 × 3000 JPEG)"),
        || {
            (0..DISTINCT_PHOTOS)
                .map(|seed| phone_photo::phone_photo(4000, 3000, seed))
                .collect::<Vec<_>>()
        },
    );
    println!(
        "  ({:.1} MB each)",
        photos[0].len() as f64 / (1024.0 * 1024.0)
    );
    let checked = timed("check a 12 MP phone photo as evidence", || {
        check_evidence("IMG_2041.jpg", photos[0].as_slice()).expect("a photo")
    });
    let mut checked = vec![checked];
    checked.extend(
        photos[1..]
            .iter()
            .map(|photo| check_evidence("IMG_2042.jpg", photo.as_slice()).expect("a photo")),
    );
    drop(photos);

    let dir = tempfile::tempdir().expect("temporary folder");
    let mut store = Store::open(&dir.path().join(DATABASE_FILE_NAME)).expect("open");
    let (person, holder, plan) = holder_with_plan(&mut store, start, today);
    store
        .atomically(|store| {
            for i in 0..RECEIPTS {
                let mut draft = payment(i, start, person.id);
                draft.no_evidence_reason = String::new();
                let key = store.record_payment(plan, &draft, today)?.key;
                let photo = &checked[(i % DISTINCT_PHOTOS) as usize];
                store.attach_evidence(plan, key, EvidenceKind::Receipt, photo, person.id)?;
            }
            Ok(())
        })
        .expect("payments with receipts");
    drop(checked);

    let options = careledger_core::statement_pdf::PrintOptions {
        receipt_images: true,
        ..Default::default()
    };
    reset_peak_memory();
    let to_print = timed(
        &format!("read a statement with {RECEIPTS} phone photos (the store held)"),
        || {
            store
                .statement_to_print(holder.id, &start.to_string(), &today.to_string(), &options)
                .expect("statement")
        },
    );
    let (_, pdf) = timed("draw it, reading each photo from the store in turn", || {
        to_print
            .render(|receipt| store.evidence_content(&receipt.sha256))
            .expect("pdf")
    });
    println!("  ({:.1} MB)", pdf.len() as f64 / (1024.0 * 1024.0));
    if let Some(peak) = peak_memory_mb() {
        println!("  (at most {peak:.0} MB of memory in use while reading and drawing it)");
    }
}

/// Reading a bank statement of 10,000 lines and pairing each with one of
/// 10,000 recorded payments (issue 14's goal: under 2 s in release).
fn bench_statement_import(store: &Store, plan: careledger_core::PlanId) {
    use careledger_import::{propose, read_csv, sniff_csv, Records};
    use std::collections::HashSet;
    const LINES: usize = 10_000;
    let payments: Vec<_> = store
        .payments(plan)
        .expect("payments")
        .into_iter()
        .take(LINES)
        .collect();
    // The bank shows each payment a day after it was recorded.
    let mut csv = String::from("Date,Description,Amount,Balance\n");
    for payment in &payments {
        let shown = payment.paid_on + chrono::Days::new(1);
        csv.push_str(&format!(
            "{},\"{} CARD PAYMENT\",-{}.{:02},0.00\n",
            shown.format("%d/%m/%Y"),
            payment.payee.to_uppercase(),
            payment.amount.pence() / 100,
            payment.amount.pence() % 100
        ));
    }
    let bytes = csv.into_bytes();
    let (none, imported) = (HashSet::new(), HashSet::new());
    let proposals = timed(
        &format!(
            "read a {LINES}-line bank statement and pair it with {} payments",
            payments.len()
        ),
        || {
            let layout = sniff_csv(&bytes).expect("layout").layout;
            let lines = read_csv(&bytes, &layout).expect("lines");
            propose(
                &lines,
                &Records {
                    payments: &payments,
                    money_in: &[],
                    expected: &[],
                    already_matched: &none,
                    imported: &imported,
                    rules: &[],
                },
            )
        },
    );
    let paired = proposals
        .iter()
        .filter(|p| matches!(p.proposal, careledger_import::LineMatch::Payment { .. }))
        .count();
    println!(
        "  ({paired} of {} lines paired with a payment)",
        proposals.len()
    );
}

/// Starts counting the most memory in use afresh (Linux only).
fn reset_peak_memory() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// The most memory this process has had in use, in MB (Linux only).
fn peak_memory_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}
