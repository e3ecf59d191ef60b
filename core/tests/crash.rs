//! "A crash at any instant loses no acknowledged write": tested by killing a
//! writer hundreds of times.
//!
//! The test re-runs its own binary as a child process that writes through
//! core (payments, split payments, money in, edits, voids, and groups of
//! writes inside [`Store::atomically`]) and prints `ack <step>` after each
//! write returns `Ok`. The parent kills it with SIGKILL at a random moment,
//! reopens the database, and checks:
//!
//! - SQLite's `integrity_check` and `foreign_key_check` pass;
//! - every acknowledged write is there, exactly as written;
//! - the write in flight at the kill is either all there or not there at
//!   all (a group of four is four or none; a split payment's parts add up;
//!   an edit keeps one current revision);
//! - nothing is there that was never written.
//!
//! Every write is worked out from its run and step number, so the parent
//! knows what the child was doing without being told. The default is 200
//! kills; `CARELEDGER_CRASH_KILLS=N` asks for more.
#![cfg(unix)]

mod common;

use careledger_core::records::Records;
use careledger_core::views::Views;
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write as _};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant, SystemTime};

use careledger_core::ledger::*;
use careledger_core::plan::Category;
use careledger_core::{Money, PersonId, PlanId, Store};
use chrono::{Days, NaiveDate};
use common::*;

/// Set in the child: the database it writes to.
const WRITER_DB: &str = "CARELEDGER_CRASH_WRITER_DB";
/// Set in the child: which run it is, so its writes can be told apart.
const WRITER_RUN: &str = "CARELEDGER_CRASH_WRITER_RUN";
/// How many times to kill the writer, when not 200.
const KILLS: &str = "CARELEDGER_CRASH_KILLS";
const DEFAULT_KILLS: usize = 200;
/// The kill lands this long (at most) after the writer says it has begun.
const MOST_DELAY_MICROS: u64 = 30_000;
/// A writer that is never killed stops by itself after this many steps, so
/// a broken parent cannot leave it running for ever.
const MOST_STEPS: u64 = 20_000;

const HOLDER: &str = "Crash Test Holder";
const VOID_REASON: &str = "Entered twice";
const EDIT_REASON: &str = "The invoice was corrected";

#[test]
fn acknowledged_writes_survive_being_killed() {
    if let Some(db) = std::env::var_os(WRITER_DB) {
        let run = std::env::var(WRITER_RUN)
            .ok()
            .and_then(|run| run.parse().ok())
            .expect("the parent passes the run number");
        write_until_killed(Path::new(&db), run);
        return;
    }
    let kills = match std::env::var(KILLS) {
        Ok(text) => text
            .parse()
            .unwrap_or_else(|_| panic!("{KILLS} must be a whole number, not {text:?}")),
        Err(_) => DEFAULT_KILLS,
    };
    let started = Instant::now();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("careledger.sqlite3");
    set_up(&db);
    let mut random = SplitMix::seeded_by_clock();
    let mut acked_by_run = Vec::with_capacity(kills);
    let mut tally = Tally::default();
    for run in 0..kills as u64 {
        let delay = Duration::from_micros(random.next() % (MOST_DELAY_MICROS + 1));
        let acked = run_and_kill(&db, run, delay);
        tally.add(&check_after_kill(&db, run, acked));
        acked_by_run.push(acked);
    }
    // Later runs and crashes must not have disturbed earlier writes.
    check_every_run(&db, &acked_by_run);
    report(&format!(
        "crash test: {kills} kills, {} acknowledged writes checked ({} rows), none lost; of \
         the writes in flight at a kill, {} were there whole and {} not at all; {:.1} s",
        tally.acknowledged,
        tally.rows,
        tally.in_flight_present,
        tally.in_flight_absent,
        started.elapsed().as_secs_f64()
    ));
}

/// Writes straight to stderr: libtest captures `eprintln!` in passing
/// tests, and this count is meant to be seen in every run.
fn report(line: &str) {
    let mut stderr = std::io::stderr().lock();
    let _ = writeln!(stderr, "{line}");
}

/// A holder with a three-line plan, in a database of its own.
fn set_up(db: &Path) {
    let mut store = Store::open(db).unwrap();
    let carer = person(&mut store, "Crash Test Carer");
    let holder = store
        .add_holder(&new_holder(HOLDER, carer), today())
        .unwrap();
    let mut plan = simple_plan("£30,000");
    plan.content.lines = vec![
        sum_line(Category::PersonalAssistants, "Support", "£10,000"),
        sum_line(Category::Equipment, "Equipment", "£10,000"),
        sum_line(Category::Transport, "Transport", "£10,000"),
    ];
    store.create_plan(holder.id, &plan, carer).unwrap();
}

/// Starts a writer, kills it `delay` after it begins writing, and returns
/// how many steps it acknowledged.
fn run_and_kill(db: &Path, run: u64, delay: Duration) -> u64 {
    let mut writer = Writer(
        Command::new(std::env::current_exe().unwrap())
            .args([
                "acknowledged_writes_survive_being_killed",
                "--exact",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(WRITER_DB, db)
            .env(WRITER_RUN, run.to_string())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start the writer"),
    );
    let child = &mut writer.0;
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    loop {
        line.clear();
        let read = stdout.read_line(&mut line).unwrap();
        if read == 0 {
            let mut stderr = String::new();
            let _ = child.stderr.take().unwrap().read_to_string(&mut stderr);
            let status = child.wait().unwrap();
            panic!("run {run}: the writer stopped before writing ({status}):\n{stderr}");
        }
        // libtest has already written "test … " with no line end.
        if line.ends_with("ready\n") {
            break;
        }
    }
    std::thread::sleep(delay);
    // std's kill is SIGKILL on Unix: no destructor, no flush, no goodbye.
    child.kill().unwrap();
    let status = child.wait().unwrap();
    let mut acked = 0;
    loop {
        line.clear();
        if stdout.read_line(&mut line).unwrap() == 0 {
            break;
        }
        // A line cut short by the kill was never acknowledged.
        if let Some(step) = line.strip_prefix("ack ").and_then(|l| l.strip_suffix('\n')) {
            let step: u64 = step.parse().unwrap();
            assert_eq!(step, acked, "run {run}: acknowledgements out of order");
            acked += 1;
        }
    }
    if status.code().is_some() {
        let mut stderr = String::new();
        let _ = child.stderr.take().unwrap().read_to_string(&mut stderr);
        panic!(
            "run {run}: the writer ended by itself ({status}) instead of being killed:\n{stderr}"
        );
    }
    acked
}

/// A writer process, killed if the parent stops early (a failed check must
/// not leave it writing).
struct Writer(Child);

impl Drop for Writer {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

// ---------------------------------------------------------------------
// The writes, worked out from (run, step) alone.

/// A payment as planned: its reference is unique, its amount is the sum of
/// its parts.
#[derive(Debug, Clone, PartialEq)]
struct PlannedPayment {
    reference: String,
    paid_on: NaiveDate,
    /// (line key, pence) for each part.
    parts: Vec<(i64, i64)>,
}

impl PlannedPayment {
    fn amount(&self) -> i64 {
        self.parts.iter().map(|(_, pence)| pence).sum()
    }

    fn draft(&self, by: PersonId) -> PaymentDraft {
        let single = self.parts.len() == 1;
        PaymentDraft {
            paid_on: self.paid_on.to_string(),
            payee: format!("Supplier {}", self.reference),
            amount: Money::from_pence(self.amount()).to_string(),
            how_paid: HowPaid::BankTransfer,
            reference: self.reference.clone(),
            cash_withdrawal: false,
            splits: self
                .parts
                .iter()
                .map(|&(line, pence)| SplitDraft {
                    line_key: LineKey(line),
                    // One part may be left empty for "all of it".
                    amount: if single {
                        String::new()
                    } else {
                        Money::from_pence(pence).to_string()
                    },
                })
                .collect(),
            note: String::new(),
            no_evidence_reason: String::new(),
            recorded_by: by,
        }
    }

    /// Whether `found` is this payment, as written.
    fn is(&self, found: &Payment) -> bool {
        let parts: Vec<(i64, i64)> = found
            .splits
            .iter()
            .map(|split| (split.line_key.0, split.amount.pence()))
            .collect();
        found.reference == self.reference
            && found.paid_on == self.paid_on
            && found.amount.pence() == self.amount()
            && parts == self.parts
    }

    /// The same payment with 100p more on its first part, as an edit makes it.
    fn edited(&self) -> PlannedPayment {
        let mut edited = self.clone();
        edited.parts[0].1 += 100;
        edited
    }
}

#[derive(Debug, Clone, PartialEq)]
struct PlannedMoneyIn {
    reference: String,
    received_on: NaiveDate,
    pence: i64,
}

impl PlannedMoneyIn {
    fn draft(&self, by: PersonId) -> MoneyInDraft {
        MoneyInDraft {
            received_on: self.received_on.to_string(),
            kind: MoneyInKind::TopUp,
            source: "NHS".into(),
            amount: Money::from_pence(self.pence).to_string(),
            reference: self.reference.clone(),
            note: String::new(),
            recorded_by: by,
        }
    }

    fn is(&self, found: &MoneyIn) -> bool {
        found.reference == self.reference
            && found.received_on == self.received_on
            && found.amount.pence() == self.pence
            && found.voided.is_none()
    }
}

/// One step of a writer: one call into core that returns `Ok` or not.
#[derive(Debug, Clone)]
enum PlannedWrite {
    /// Three payments and a money in, inside one `Store::atomically`.
    Group([PlannedPayment; 3], PlannedMoneyIn),
    Payment(PlannedPayment),
    MoneyIn(PlannedMoneyIn),
    /// Edit the payment made two steps before.
    Edit(PlannedPayment),
    /// Void the payment made one step before.
    Void(PlannedPayment),
}

impl PlannedWrite {
    /// Rows this write adds or changes, for the report.
    fn rows(&self) -> u64 {
        match self {
            PlannedWrite::Group(payments, _) => {
                1 + payments
                    .iter()
                    .map(|p| 1 + p.parts.len() as u64)
                    .sum::<u64>()
            }
            PlannedWrite::Payment(p) | PlannedWrite::Edit(p) => 1 + p.parts.len() as u64,
            PlannedWrite::MoneyIn(_) | PlannedWrite::Void(_) => 1,
        }
    }
}

fn reference(run: u64, step: u64) -> String {
    format!("r{run}s{step}")
}

/// A payment for (run, step) with `parts` parts on different lines.
fn planned_payment(reference: String, seed: u64, parts: usize) -> PlannedPayment {
    let mut random = SplitMix(seed);
    let first_line = (random.next() % 3) as i64;
    PlannedPayment {
        reference,
        paid_on: plan_day(&mut random),
        parts: (0..parts)
            .map(|i| {
                (
                    (first_line + i as i64) % 3 + 1,
                    1 + (random.next() % 50_000) as i64,
                )
            })
            .collect(),
    }
}

/// A day between the plan's start and the tests' "today".
fn plan_day(random: &mut SplitMix) -> NaiveDate {
    date(2026, 4, 1) + Days::new(random.next() % 200)
}

fn planned(run: u64, step: u64) -> PlannedWrite {
    let seed = (run << 32) | step;
    let here = reference(run, step);
    match step % 6 {
        0 => PlannedWrite::Group(
            [0, 1, 2].map(|i| {
                planned_payment(
                    format!("{here}g{i}"),
                    seed ^ ((i + 1) << 56),
                    1 + i as usize,
                )
            }),
            PlannedMoneyIn {
                reference: format!("{here}m"),
                received_on: plan_day(&mut SplitMix(seed ^ (7 << 56))),
                pence: 1 + (SplitMix(seed).next() % 300_000) as i64,
            },
        ),
        1 => PlannedWrite::Payment(planned_payment(here, seed, 3)),
        2 => PlannedWrite::MoneyIn(PlannedMoneyIn {
            reference: here,
            received_on: plan_day(&mut SplitMix(seed)),
            pence: 1 + (SplitMix(seed).next() % 300_000) as i64,
        }),
        3 => match planned(run, step - 2) {
            PlannedWrite::Payment(payment) => PlannedWrite::Edit(payment),
            other => unreachable!("step {step} edits a payment, not {other:?}"),
        },
        4 => PlannedWrite::Payment(planned_payment(here, seed, 1)),
        _ => match planned(run, step - 1) {
            PlannedWrite::Payment(payment) => PlannedWrite::Void(payment),
            other => unreachable!("step {step} voids a payment, not {other:?}"),
        },
    }
}

// ---------------------------------------------------------------------
// The child.

/// Makes the planned writes of `run` one after another, acknowledging each
/// on stdout once core has returned `Ok`, until killed.
fn write_until_killed(db: &Path, run: u64) {
    let mut store = Store::open(db).expect("the writer opens the database");
    let holder = store.holder_named(HOLDER).unwrap();
    let plan = store.plan_of(holder.id).unwrap().unwrap().id;
    let by = store.people().unwrap()[0].id;
    let mut keys: HashMap<String, EntryKey> = HashMap::new();
    let mut out = std::io::stdout().lock();
    // Written straight to stdout (not `println!`), so nothing sits in a
    // capture buffer: the parent sees each line as soon as it is written.
    // The first line break ends libtest's "test … " line.
    writeln!(out, "\nready").unwrap();
    out.flush().unwrap();
    for step in 0..MOST_STEPS {
        match planned(run, step) {
            PlannedWrite::Group(payments, money_in) => {
                let made = store
                    .atomically(|store| {
                        let mut made = Vec::new();
                        for payment in &payments {
                            made.push(store.record_payment(plan, &payment.draft(by), today())?);
                        }
                        store.record_money_in(plan, &money_in.draft(by), today())?;
                        Ok(made)
                    })
                    .unwrap();
                for payment in made {
                    keys.insert(payment.reference, payment.key);
                }
            }
            PlannedWrite::Payment(payment) => {
                let made = store
                    .record_payment(plan, &payment.draft(by), today())
                    .unwrap();
                keys.insert(made.reference, made.key);
            }
            PlannedWrite::MoneyIn(money_in) => {
                store
                    .record_money_in(plan, &money_in.draft(by), today())
                    .unwrap();
            }
            PlannedWrite::Edit(payment) => {
                let key = keys[&payment.reference];
                let draft = payment.edited().draft(by);
                store
                    .edit_payment(plan, key, &draft, EDIT_REASON, today())
                    .unwrap();
            }
            PlannedWrite::Void(payment) => {
                let key = keys[&payment.reference];
                store.void_payment(plan, key, VOID_REASON, by).unwrap();
            }
        }
        writeln!(out, "ack {step}").unwrap();
        out.flush().unwrap();
    }
}

// ---------------------------------------------------------------------
// The checks.

/// What a run left in the database, by reference.
#[derive(Default)]
struct Found {
    payments: HashMap<String, Payment>,
    money_in: HashMap<String, MoneyIn>,
}

impl Found {
    /// The step numbers in the references of `run`'s writes.
    fn steps(&self, run: u64) -> impl Iterator<Item = u64> + '_ {
        let prefix = format!("r{run}s");
        self.payments
            .keys()
            .chain(self.money_in.keys())
            .filter_map(move |reference| {
                let rest = reference.strip_prefix(&prefix)?;
                let digits = rest.split(|c: char| !c.is_ascii_digit()).next()?;
                digits.parse().ok()
            })
    }
}

#[derive(Default)]
struct Tally {
    acknowledged: u64,
    rows: u64,
    in_flight_present: u64,
    in_flight_absent: u64,
}

impl Tally {
    fn add(&mut self, other: &Tally) {
        self.acknowledged += other.acknowledged;
        self.rows += other.rows;
        self.in_flight_present += other.in_flight_present;
        self.in_flight_absent += other.in_flight_absent;
    }
}

/// Reopens the database as the app would after a crash, and checks it
/// whole and this run's writes as described at the top.
fn check_after_kill(db: &Path, run: u64, acked: u64) -> Tally {
    let store = Store::open(db)
        .unwrap_or_else(|error| panic!("run {run}: the data would not open after a kill: {error}"));
    check_database_whole(db, run);
    let plan = store
        .plan_of(store.holder_named(HOLDER).unwrap().id)
        .unwrap()
        .unwrap()
        .id;
    let found = found_for_run(&store, plan, run);
    check_run(run, acked, &found)
}

/// SQLite's own checks, and the rules that hold across every row.
fn check_database_whole(db: &Path, run: u64) {
    let conn = rusqlite::Connection::open(db).unwrap();
    let integrity: Vec<String> = conn
        .prepare("PRAGMA integrity_check")
        .unwrap()
        .query_map([], |row| row.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(integrity, ["ok"], "run {run}: integrity_check");
    let broken_links: i64 = conn
        .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |row| {
            row.get(0)
        })
        .unwrap();
    assert_eq!(broken_links, 0, "run {run}: foreign_key_check");
    let parts_not_adding_up: i64 = conn
        .query_row(
            "SELECT count(*) FROM spending s WHERE s.amount_pence !=
                 (SELECT sum(amount_pence) FROM spending_split WHERE spending_id = s.id)",
            [],
            |row| row.get(0),
        )
        .unwrap();
    assert_eq!(
        parts_not_adding_up, 0,
        "run {run}: split parts that do not add up"
    );
    let entries_without_one_current: i64 = conn
        .query_row(
            "SELECT count(*) FROM (SELECT entry_key FROM spending GROUP BY entry_key
                                   HAVING sum(superseded_by IS NULL) != 1)",
            [],
            |row| row.get(0),
        )
        .unwrap();
    assert_eq!(
        entries_without_one_current, 0,
        "run {run}: entries without exactly one current revision"
    );
}

/// This run's payments and money in, read through the public API.
fn found_for_run(store: &Store, plan: PlanId, run: u64) -> Found {
    let prefix = format!("r{run}s");
    let mut found = Found::default();
    let mut filter = PaymentFilter {
        text: prefix.clone(),
        ..PaymentFilter::default()
    };
    loop {
        let page = store.find_payments(plan, &filter).unwrap();
        for payment in page.payments {
            if payment.reference.starts_with(&prefix) {
                found.payments.insert(payment.reference.clone(), payment);
            }
        }
        if page.page + 1 >= page.page_count {
            break;
        }
        filter.page += 1;
    }
    for entry in store.money_in(plan).unwrap() {
        if entry.reference.starts_with(&prefix) {
            found.money_in.insert(entry.reference.clone(), entry);
        }
    }
    found
}

/// Every run again, from one read of everything.
fn check_every_run(db: &Path, acked_by_run: &[u64]) {
    let store = Store::open(db).unwrap();
    check_database_whole(db, acked_by_run.len() as u64);
    let plan = store
        .plan_of(store.holder_named(HOLDER).unwrap().id)
        .unwrap()
        .unwrap()
        .id;
    let mut by_run: HashMap<u64, Found> = HashMap::new();
    let run_of = |reference: &str| -> u64 {
        let rest = reference
            .strip_prefix('r')
            .expect("references start with r");
        rest[..rest.find('s').unwrap()].parse().unwrap()
    };
    for payment in store.payments(plan).unwrap() {
        by_run
            .entry(run_of(&payment.reference))
            .or_default()
            .payments
            .insert(payment.reference.clone(), payment);
    }
    for entry in store.money_in(plan).unwrap() {
        by_run
            .entry(run_of(&entry.reference))
            .or_default()
            .money_in
            .insert(entry.reference.clone(), entry);
    }
    for (run, &acked) in acked_by_run.iter().enumerate() {
        let run = run as u64;
        let found = by_run.remove(&run).unwrap_or_default();
        check_run(run, acked, &found);
    }
    assert!(
        by_run.is_empty(),
        "writes from runs that never happened: {:?}",
        by_run.keys().collect::<Vec<_>>()
    );
}

/// Steps before `acked` are all there; step `acked`, in flight at the kill,
/// is all there or not at all; later steps are not there.
fn check_run(run: u64, acked: u64, found: &Found) -> Tally {
    let mut tally = Tally::default();
    let last_seen = found.steps(run).max();
    assert!(
        last_seen.is_none_or(|step| step <= acked),
        "run {run}: step {last_seen:?} is in the data, but the writer had only reached step {acked}"
    );
    for step in 0..=acked + 1 {
        let write = planned(run, step);
        let present = match state(&write, found) {
            Ok(present) => present,
            Err(problem) => panic!("run {run} step {step} ({write:?}) is half-written: {problem}"),
        };
        if step < acked {
            assert!(
                present,
                "run {run}: acknowledged step {step} is missing: {write:?}"
            );
            tally.acknowledged += 1;
            tally.rows += write.rows();
        } else if step == acked {
            if present {
                tally.in_flight_present += 1;
            } else {
                tally.in_flight_absent += 1;
            }
        } else {
            assert!(
                !present,
                "run {run}: step {step} was never made but is there"
            );
        }
    }
    tally
}

/// Whether `write` is in the data (`Ok(true)`), not at all (`Ok(false)`),
/// or partly or wrongly (`Err`).
fn state(write: &PlannedWrite, found: &Found) -> Result<bool, String> {
    match write {
        PlannedWrite::Group(payments, money_in) => {
            let mut present = Vec::new();
            for payment in payments {
                present.push(payment_state(payment, found)?);
            }
            present.push(money_in_state(money_in, found)?);
            match present.iter().filter(|&&here| here).count() {
                0 => Ok(false),
                4 => Ok(true),
                some => Err(format!("{some} of the group's 4 writes are there")),
            }
        }
        PlannedWrite::Payment(payment) => payment_state(payment, found),
        PlannedWrite::MoneyIn(money_in) => money_in_state(money_in, found),
        PlannedWrite::Edit(original) => {
            let Some(current) = found.payments.get(&original.reference) else {
                return Ok(false);
            };
            match current.revision_count {
                1 if original.is(current) => Ok(false),
                2 if original.edited().is(current) => Ok(true),
                _ => Err(format!("found {current:?}")),
            }
        }
        PlannedWrite::Void(payment) => {
            let Some(current) = found.payments.get(&payment.reference) else {
                return Ok(false);
            };
            match &current.voided {
                None => Ok(false),
                Some(void) if void.reason == VOID_REASON => Ok(true),
                Some(void) => Err(format!("voided as {void:?}")),
            }
        }
    }
}

fn payment_state(payment: &PlannedPayment, found: &Found) -> Result<bool, String> {
    let Some(current) = found.payments.get(&payment.reference) else {
        return Ok(false);
    };
    let parts = Money::checked_sum(current.splits.iter().map(|split| split.amount));
    if parts != Some(current.amount) {
        return Err(format!("its parts do not add up: {current:?}"));
    }
    // A later step of the same run may have edited it.
    let as_written = match current.revision_count {
        1 => payment.is(current),
        2 => payment.edited().is(current),
        _ => false,
    };
    if as_written {
        Ok(true)
    } else {
        Err(format!("expected {payment:?}, found {current:?}"))
    }
}

fn money_in_state(money_in: &PlannedMoneyIn, found: &Found) -> Result<bool, String> {
    match found.money_in.get(&money_in.reference) {
        None => Ok(false),
        Some(entry) if money_in.is(entry) => Ok(true),
        Some(entry) => Err(format!("expected {money_in:?}, found {entry:?}")),
    }
}

/// A small, good-enough random number generator (SplitMix64), so the test
/// needs no dependency for its kill delays and amounts.
struct SplitMix(u64);

impl SplitMix {
    fn seeded_by_clock() -> SplitMix {
        let nanos = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_or(0, |since| since.as_nanos() as u64);
        SplitMix(nanos)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}
