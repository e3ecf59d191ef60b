//! `cargo xtask bench`: how long core takes on the generated data sets
//! (`careledger_core::generate`), printed as one table: each row's median
//! of several runs, the fastest and slowest, and its goal. Careledger's
//! per-line balance is set beside `hledger balance` on the same payments
//! exported as a journal, with both totals printed and compared. Prints
//! figures; it passes or fails nothing.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use careledger_core::generate::{self, PhotoMaker, Spec};
use careledger_core::journal::{journal, line_account, read_gbp};
use careledger_core::ledger::PaymentFilter;
use careledger_core::print_cache::PrintCache;
use careledger_core::statement_pdf::PrintOptions;
use careledger_core::store::DATABASE_FILE_NAME;
use careledger_core::views::Views;
use careledger_core::{Money, Store};
use chrono::NaiveDate;

/// Runs of each quick row; the median is shown.
const RUNS: usize = 5;

/// One line of the table.
struct Row {
    what: String,
    data: &'static str,
    times: Vec<Duration>,
    goal: String,
    note: String,
}

impl Row {
    fn median(&self) -> Duration {
        let mut times = self.times.clone();
        times.sort();
        times[times.len() / 2]
    }
}

/// Runs `work` `runs` times and keeps each time and the last result.
fn measure<T>(runs: usize, mut work: impl FnMut() -> T) -> (Vec<Duration>, T) {
    let mut times = Vec::new();
    let mut last = None;
    for _ in 0..runs.max(1) {
        let began = Instant::now();
        last = Some(work());
        times.push(began.elapsed());
    }
    (times, last.expect("at least one run"))
}

fn show(time: Duration) -> String {
    let ms = time.as_secs_f64() * 1000.0;
    if ms < 1.0 {
        format!("{ms:.2} ms")
    } else if ms < 1000.0 {
        format!("{ms:.1} ms")
    } else {
        format!("{:.2} s", ms / 1000.0)
    }
}

fn main() {
    // A fixed day, so every run makes the same data.
    let today = NaiveDate::from_ymd_opt(2026, 12, 1).expect("date");
    let mut rows = Vec::new();
    let folder = tempfile::tempdir().expect("temporary folder");

    println!("== worst: one plan year with 100,000 payments");
    let worst = save_worst(&Spec::worst(today), folder.path(), &mut rows);
    screens_rows(&worst, today, &mut rows);
    bench_statement_import(&worst, &mut rows);
    balance_rows(&worst, "worst", folder.path(), &mut rows);
    drop(worst);

    println!("== large: 10 holders × 10 years, 100,000 payments, 3,000 receipts");
    let spec = Spec::large(today);
    let path = folder.path().join("large").join(DATABASE_FILE_NAME);
    std::fs::create_dir_all(path.parent().expect("folder")).expect("folder");
    let began = Instant::now();
    let mut large = Store::open(&path).expect("open");
    let made = generate::generate(&mut large, &spec).expect("large");
    println!(
        "  made in {} ({} payments, {} photos, {} PDFs, {} MB on disk)",
        show(began.elapsed()),
        made.payments,
        made.photos,
        made.pdfs,
        std::fs::metadata(&path).map_or(0, |m| m.len() / 1_000_000)
    );
    balance_rows(&large, "large", folder.path(), &mut rows);
    backup_row(&large, today, folder.path(), &mut rows);
    receipts_row(&large, &made, &mut rows);

    print_table(&rows);
}

/// Saves the worst case's payments as a person and an import would: the
/// first 1,000 one at a time, each durable, then 99,000 in batches of
/// 10,000. Fresh data each run; the last run's is kept for the other rows.
fn save_worst(spec: &Spec, folder: &Path, rows: &mut Vec<Row>) -> Store {
    const SINGLE: usize = 1_000;
    // Each run saves 100,000 payments into a new file, so fewer runs.
    const SAVE_RUNS: usize = 3;
    let photos = PhotoMaker::new(spec);
    let (mut single, mut batched) = (Vec::new(), Vec::new());
    let mut kept = None;
    for run in 0..SAVE_RUNS {
        let path = folder.join(format!("worst-{run}")).join(DATABASE_FILE_NAME);
        std::fs::create_dir_all(path.parent().expect("folder")).expect("folder");
        // The last run's file is the one kept; the others are let go.
        drop(kept.take());
        let mut store = Store::open(&path).expect("open");
        let holder = generate::set_up_holder(&mut store, spec, 0).expect("holder");
        let entries = generate::holder_entries(spec, 0, &holder);
        let began = Instant::now();
        for entry in &entries[..SINGLE] {
            generate::save_batch(
                &mut store,
                &holder,
                std::slice::from_ref(entry),
                &photos,
                spec.today,
            )
            .expect("one payment");
        }
        single.push(began.elapsed());
        let began = Instant::now();
        for batch in generate::batches(&entries[SINGLE..]) {
            generate::save_batch(&mut store, &holder, batch, &photos, spec.today).expect("batch");
        }
        batched.push(began.elapsed());
        println!(
            "  run {}: 1,000 one at a time {}, 99,000 in batches {}",
            run + 1,
            show(single[run]),
            show(batched[run])
        );
        kept = Some(store);
    }
    rows.push(Row {
        what: "save 1,000 payments one at a time, each durable".into(),
        data: "worst",
        times: single,
        goal: "—".into(),
        note: "as a person saves them".into(),
    });
    rows.push(Row {
        what: "save 99,000 payments in batches of 10,000".into(),
        data: "worst",
        times: batched,
        goal: "under 2 s".into(),
        note: String::new(),
    });
    kept.expect("a run")
}

/// What the screens ask of one plan with 100,000 payments.
fn screens_rows(store: &Store, today: NaiveDate, rows: &mut Vec<Row>) {
    let holder = store.holders().expect("holders")[0].id;
    let plan = store.plan_of(holder).expect("plan").expect("a plan").id;
    let mut row = |what: &str, goal: &str, work: &dyn Fn() -> String| {
        let (times, note) = measure(RUNS, work);
        rows.push(Row {
            what: what.into(),
            data: "worst",
            times,
            goal: goal.into(),
            note,
        });
    };
    row("dashboard over 100,000 payments", "under 20 ms", &|| {
        let overview = store.overview(holder, today).expect("overview");
        format!(
            "{} payments",
            overview.summary.expect("summary").payment_count
        )
    });
    let page = |filter: PaymentFilter| {
        let page = store.find_payments(plan, &filter).expect("page");
        format!("{} of {}", page.payments.len(), page.total_count)
    };
    row("a page of the list: the first", "under 10 ms", &|| {
        page(PaymentFilter::default())
    });
    row("a page of the list: the last", "under 10 ms", &|| {
        page(PaymentFilter {
            page: u32::MAX,
            ..Default::default()
        })
    });
    row("find by words (\"continence\")", "under 20 ms", &|| {
        page(PaymentFilter {
            text: "continence".into(),
            ..Default::default()
        })
    });
    row("find \"no receipt\"", "under 20 ms", &|| {
        page(PaymentFilter {
            no_receipt: true,
            ..Default::default()
        })
    });
}

/// Careledger's spent per budget line (the dashboard's figure, from the
/// store's SQL sums) for every plan, by the journal's account names.
fn careledger_balance(store: &Store) -> BTreeMap<String, Money> {
    let mut balance = BTreeMap::new();
    for holder in store.holders().expect("holders") {
        let Some(plan) = store.plan_of(holder.id).expect("plan") else {
            continue;
        };
        let history = store.plan_history(plan.id).expect("history");
        for (line, spent) in store.ledger_totals(plan.id).expect("totals").spent_by_line {
            balance.insert(line_account(&holder.name, &history, line), spent);
        }
    }
    balance
}

/// `hledger balance` of the journal's expenses, by account.
fn hledger_balance(journal: &Path) -> Result<BTreeMap<String, Money>, String> {
    let output = Command::new("hledger")
        .arg("-f")
        .arg(journal)
        .args(["balance", "expenses", "--flat", "--no-total", "-O", "csv"])
        .output()
        .map_err(|error| format!("could not run hledger ({error}): apt-get install hledger"))?;
    if !output.status.success() {
        return Err(String::from_utf8_lossy(&output.stderr).into_owned());
    }
    let mut balance = BTreeMap::new();
    let mut reader = csv::Reader::from_reader(output.stdout.as_slice());
    for record in reader.records() {
        let record = record.map_err(|error| error.to_string())?;
        let amount = read_gbp(&record[1]).ok_or(format!("hledger printed {:?}", &record[1]))?;
        balance.insert(record[0].to_owned(), amount);
    }
    Ok(balance)
}

fn total(balance: &BTreeMap<String, Money>) -> Money {
    balance
        .values()
        .try_fold(Money::ZERO, |sum, spent| sum.checked_add(*spent))
        .expect("no overflow")
}

/// Careledger's per-line balance beside `hledger balance` on the same
/// payments, written out as a journal.
fn balance_rows(store: &Store, data: &'static str, folder: &Path, rows: &mut Vec<Row>) {
    let (ours_times, ours) = measure(RUNS, || careledger_balance(store));
    let file = folder.join(format!("{data}.journal"));
    std::fs::write(&file, journal(store).expect("journal")).expect("write the journal");
    let lines = ours.len();
    rows.push(Row {
        what: format!("per-line balance, Careledger ({lines} lines)"),
        data,
        times: ours_times.clone(),
        goal: "100× faster than hledger".into(),
        note: format!("total {}", total(&ours)),
    });
    match hledger_balance(&file) {
        Ok(_) => {
            let (times, theirs) = measure(RUNS, || hledger_balance(&file).expect("hledger"));
            let verdict = if theirs == ours {
                "equal, line by line".to_owned()
            } else if total(&theirs) == total(&ours) {
                "totals equal, lines differ".to_owned()
            } else {
                "NOT EQUAL".to_owned()
            };
            let row = Row {
                what: "per-line balance, `hledger balance`".into(),
                data,
                times,
                goal: String::new(),
                note: format!("total {}: {verdict}", total(&theirs)),
            };
            let speed = row.median().as_secs_f64() / ours_times_median(&ours_times);
            rows.last_mut().expect("our row").note += &format!("; {speed:.0}× faster");
            rows.push(row);
        }
        Err(problem) => {
            println!("  hledger row skipped: {problem}");
            rows.push(Row {
                what: "per-line balance, `hledger balance`: skipped, apt-get install hledger"
                    .into(),
                data,
                times: vec![Duration::ZERO],
                goal: String::new(),
                note: String::new(),
            });
        }
    }
}

fn ours_times_median(times: &[Duration]) -> f64 {
    let mut times = times.to_vec();
    times.sort();
    times[times.len() / 2].as_secs_f64()
}

/// The daily backup: the first, which copies every receipt into the
/// backups' shared receipts folder, then a day with no new receipts, which
/// copies only the records; and the room 23 kept backups take beside the
/// data (23 record files and the receipts they share).
fn backup_row(store: &Store, today: NaiveDate, folder: &Path, rows: &mut Vec<Row>) {
    let backups = folder.join("backups");
    let (first, _) = measure(1, || {
        careledger_core::backup::refresh_todays_backup(store, &backups, today).expect("backup")
    });
    let (times, made) = measure(5, || {
        careledger_core::backup::refresh_todays_backup(store, &backups, today).expect("backup")
    });
    let backup_size = std::fs::metadata(&made).map_or(0, |m| m.len());
    let shared = folder_size(&backups.join("receipts"));
    let data_file = store.path().expect("a data file");
    let data_size = std::fs::metadata(&data_file).map_or(0, |m| m.len())
        + folder_size(&data_file.with_file_name("receipts"));
    let kept = 23 * backup_size + shared;
    let gb = |bytes: u64| bytes as f64 / 1_000_000_000.0;
    rows.push(Row {
        what: "daily backup with 300 phone photos: the first".into(),
        data: "large",
        times: first,
        goal: "(copies each receipt once)".into(),
        note: format!("{:.0} MB of receipts shared", shared as f64 / 1_000_000.0),
    });
    rows.push(Row {
        what: "daily backup, a day with no new receipts".into(),
        data: "large",
        times,
        goal: "under 1 s; 23 kept under 1.5× the data".into(),
        note: format!(
            "{:.0} MB, checked; 23 kept: {:.2} GB, {:.2}× the data's {:.2} GB",
            backup_size as f64 / 1_000_000.0,
            gb(kept),
            kept as f64 / data_size as f64,
            gb(data_size)
        ),
    });
}

/// The bytes of every file under `folder`.
fn folder_size(folder: &Path) -> u64 {
    std::fs::read_dir(folder).map_or(0, |entries| {
        entries
            .flatten()
            .map(|entry| match entry.file_type() {
                Ok(kind) if kind.is_dir() => folder_size(&entry.path()),
                _ => entry.metadata().map_or(0, |m| m.len()),
            })
            .sum()
    })
}

/// The first holder's last plan year as a statement with its receipts'
/// pictures: read with the store held, then drawn reading each photo in
/// turn, as the app does: the first time making each photo ready to print
/// (one run: it takes a while), then with the kept copies.
fn receipts_row(store: &Store, made: &generate::Generated, rows: &mut Vec<Row>) {
    let (holder, plan) = made.plans[0];
    let history = store.plan_history(plan).expect("history");
    let from = history.end_date - chrono::Months::new(12) + chrono::Days::new(1);
    let options = PrintOptions {
        receipt_images: true,
        ..Default::default()
    };
    // Receipts made ready to print are kept (in the app's cache folder):
    // the first statement makes them, later ones print the kept copies.
    let cache_dir = tempfile::tempdir().expect("cache folder");
    let cache = PrintCache::new(cache_dir.path());
    for (what, runs) in [("the first time", 1), ("again, receipts kept ready", 3)] {
        reset_peak_memory();
        let (times, (size, photos)) = measure(runs, || {
            let to_print = store
                .statement_to_print(
                    holder,
                    &from.to_string(),
                    &history.end_date.to_string(),
                    &options,
                )
                .expect("statement");
            let photos = to_print
                .receipts()
                .iter()
                .filter(|r| r.media_type == careledger_core::evidence::MediaType::Jpeg)
                .count();
            let (_, pdf) = to_print
                .render(|receipt| {
                    cache.file_to_print(receipt, || store.evidence_content(&receipt.sha256))
                })
                .expect("pdf");
            (pdf.len(), photos)
        });
        let memory = peak_memory_mb().map_or(String::new(), |mb| {
            format!(", at most {mb:.0} MB of memory")
        });
        rows.push(Row {
            what: format!("statement with receipts ({photos} photos), {what}"),
            data: "large",
            times,
            goal: "under 10 s and 300 MB".into(),
            note: format!("{:.0} MB PDF{memory}", size as f64 / 1_000_000.0),
        });
    }
}

/// Reading a bank statement of 10,000 lines and pairing each with one of
/// 10,000 recorded payments (issue 14's goal: under 2 s in release).
fn bench_statement_import(store: &Store, rows: &mut Vec<Row>) {
    use careledger_import::{propose, read_csv, sniff_csv, Records};
    use std::collections::HashSet;
    const LINES: usize = 10_000;
    let holder = store.holders().expect("holders")[0].id;
    let plan = store.plan_of(holder).expect("plan").expect("a plan").id;
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
    let (times, proposals) = measure(RUNS, || {
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
    });
    let paired = proposals
        .iter()
        .filter(|p| matches!(p.proposal, careledger_import::LineMatch::Payment { .. }))
        .count();
    rows.push(Row {
        what: format!(
            "read a {LINES}-line bank statement, pair with {} payments",
            payments.len()
        ),
        data: "worst",
        times,
        goal: "under 2 s".into(),
        note: format!("{paired} paired"),
    });
}

fn print_table(rows: &[Row]) {
    println!();
    println!("| row | data | runs | median | fastest – slowest | goal | notes |");
    println!("|---|---|--:|--:|--:|---|---|");
    for row in rows {
        let mut times = row.times.clone();
        times.sort();
        let range = if times.len() > 1 {
            format!("{} – {}", show(times[0]), show(times[times.len() - 1]))
        } else {
            String::from("—")
        };
        println!(
            "| {} | {} | {} | {} | {} | {} | {} |",
            row.what,
            row.data,
            row.times.len(),
            show(row.median()),
            range,
            if row.goal.is_empty() {
                "—"
            } else {
                &row.goal
            },
            row.note
        );
    }
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
