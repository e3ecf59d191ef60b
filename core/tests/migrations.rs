//! Every earlier schema version, with data in it, opens in this build with
//! nothing lost.
//!
//! For each version N before the current one, the test builds a database
//! as the releases up to N left it: it applies the SQL files in
//! `crates/store/src/migrations/` one at a time, and after each, writes the rows that
//! release's app wrote (with that version's SQL, since its code is gone).
//! Then `Store::open` migrates it, and every row is read back through the
//! public API.
//!
//! Adding a migration without adding a builder here for the version before
//! it fails `there_is_a_builder_for_every_earlier_version`.

use careledger_core::records::Records;
use careledger_core::views::Views;
use std::path::{Path, PathBuf};

use careledger_core::evidence::EvidenceKind;
use careledger_core::ledger::{EntryKey, HowPaid, LineKey, MoneyInKind, Payment, SplitDraft};
use careledger_core::plan::*;
use careledger_core::store::SCHEMA_VERSION;
use careledger_core::{Money, PlanId, Store};
use chrono::NaiveDate;
use rusqlite::{params, Connection};
use sha2::{Digest, Sha256};

/// "CLDG", as `Store` marks its files.
const APPLICATION_ID: i32 = 0x434C_4447;

/// When the old rows say they were made.
const LONG_AGO: &str = "2026-04-01T09:00:00Z";

/// One earlier release: the version its schema had, the rows it wrote, and
/// how to find them again after migration.
struct OldRelease {
    version: usize,
    /// Writes representative rows with that version's SQL.
    fill: fn(&Connection),
    /// Reads them back through the public API of this build.
    check: fn(&mut Store),
}

/// A builder for every version before the current one, oldest first.
const OLD_RELEASES: &[OldRelease] = &[
    OldRelease {
        version: 1,
        fill: fill_version_1,
        check: check_version_1,
    },
    OldRelease {
        version: 2,
        fill: fill_version_2,
        check: check_version_2,
    },
    OldRelease {
        version: 3,
        fill: fill_version_3,
        check: check_version_3,
    },
    OldRelease {
        version: 4,
        fill: fill_version_4,
        check: check_version_4,
    },
    OldRelease {
        version: 5,
        fill: fill_version_5,
        check: check_version_5,
    },
    OldRelease {
        version: 6,
        fill: fill_version_6,
        check: check_version_6,
    },
    OldRelease {
        version: 7,
        fill: fill_version_7,
        check: check_version_7,
    },
    OldRelease {
        version: 8,
        fill: fill_version_8,
        check: check_version_8,
    },
];

#[test]
fn there_is_a_builder_for_every_earlier_version() {
    let files = migration_files();
    assert_eq!(
        files.len(),
        SCHEMA_VERSION,
        "crates/store/src/migrations has {} files but the store applies {SCHEMA_VERSION} steps",
        files.len()
    );
    let built: Vec<usize> = OLD_RELEASES.iter().map(|release| release.version).collect();
    let needed: Vec<usize> = (1..SCHEMA_VERSION).collect();
    assert_eq!(
        built, needed,
        "tests/migrations.rs needs an OldRelease for every version before {SCHEMA_VERSION}: \
         when a migration is added, add a builder for the version it migrates from"
    );
}

#[test]
fn every_earlier_version_opens_with_nothing_lost() {
    for target in 1..SCHEMA_VERSION {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("careledger.sqlite3");
        build_old_database(&path, target);
        let mut store = Store::open(&path)
            .unwrap_or_else(|error| panic!("a version {target} database did not open: {error}"));
        assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION as i64);
        for release in OLD_RELEASES.iter().filter(|r| r.version <= target) {
            (release.check)(&mut store);
        }
        drop(store);
        check_sqlite_is_content(&path, target);
        // A second open finds nothing to do and changes nothing.
        let mut store = Store::open(&path).unwrap();
        for release in OLD_RELEASES.iter().filter(|r| r.version <= target) {
            (release.check)(&mut store);
        }
    }
}

/// The migration files, in order, checked to be numbered 1, 2, 3…
fn migration_files() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../crates/store/src/migrations");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "sql"))
        .collect();
    files.sort();
    for (index, file) in files.iter().enumerate() {
        let name = file.file_name().unwrap().to_string_lossy();
        assert!(
            name.starts_with(&format!("{:04}_", index + 1)),
            "{name} should be numbered {:04}",
            index + 1
        );
    }
    files
}

/// A database as the releases up to `version` left it.
fn build_old_database(path: &Path, version: usize) {
    let mut conn = Connection::open(path).unwrap();
    conn.pragma_update(None, "journal_mode", "WAL").unwrap();
    conn.pragma_update(None, "foreign_keys", true).unwrap();
    for (index, file) in migration_files()[..version].iter().enumerate() {
        let step = index + 1;
        let tx = conn.transaction().unwrap();
        tx.execute_batch(&std::fs::read_to_string(file).unwrap())
            .unwrap();
        tx.pragma_update(None, "user_version", step as i64).unwrap();
        tx.commit().unwrap();
        if step == 1 {
            conn.pragma_update(None, "application_id", APPLICATION_ID)
                .unwrap();
        }
        let release = &OLD_RELEASES[index];
        assert_eq!(release.version, step);
        (release.fill)(&conn);
    }
}

/// SQLite's own checks after the migration.
fn check_sqlite_is_content(path: &Path, version: usize) {
    let conn = Connection::open(path).unwrap();
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |row| row.get(0))
        .unwrap();
    assert_eq!(integrity, "ok", "from version {version}");
    let broken_links: i64 = conn
        .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |row| {
            row.get(0)
        })
        .unwrap();
    assert_eq!(broken_links, 0, "from version {version}");
    let id: i32 = conn
        .query_row("PRAGMA application_id", [], |row| row.get(0))
        .unwrap();
    assert_eq!(id, APPLICATION_ID);
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn today() -> NaiveDate {
    date(2026, 11, 25)
}

fn pence(p: i64) -> Money {
    Money::from_pence(p)
}

fn insert(conn: &Connection, sql: &str, values: impl rusqlite::Params) -> i64 {
    conn.execute(sql, values)
        .unwrap_or_else(|error| panic!("{error}: {sql}"));
    conn.last_insert_rowid()
}

/// The plan of the holder called `name`.
fn plan_of(store: &Store, name: &str) -> PlanId {
    let holder = store.holder_named(name).unwrap();
    store.plan_of(holder.id).unwrap().unwrap().id
}

/// The payee of the payments [`still_takes_a_payment`] makes.
const NEW_PAYEE: &str = "New payment after the update";

/// The plan's payments, apart from those made since the update.
fn old_payments(store: &Store, plan: PlanId) -> Vec<Payment> {
    let mut payments = store.payments(plan).unwrap();
    payments.retain(|payment| payment.payee != NEW_PAYEE);
    payments
}

fn payment_to<'a>(payments: &'a [Payment], payee: &str) -> &'a Payment {
    payments
        .iter()
        .find(|payment| payment.payee == payee)
        .unwrap_or_else(|| panic!("no payment to {payee} in {payments:#?}"))
}

/// A new payment on a migrated plan, to show it still takes writes. Voided
/// at once so the figures the checks expect stay as they were.
fn still_takes_a_payment(store: &mut Store, plan: PlanId, on: &str, line: i64) {
    let person = store.people().unwrap()[0].id;
    let draft = careledger_core::ledger::PaymentDraft {
        paid_on: on.into(),
        payee: NEW_PAYEE.into(),
        amount: "£1.00".into(),
        how_paid: HowPaid::Card,
        reference: String::new(),
        cash_withdrawal: false,
        splits: vec![SplitDraft {
            line_key: LineKey(line),
            amount: String::new(),
        }],
        note: String::new(),
        no_evidence_reason: "A test".into(),
        recorded_by: person,
    };
    let made = store.record_payment(plan, &draft, today()).unwrap();
    store
        .void_payment(plan, made.key, "Only a test", person)
        .unwrap();
}

// ---------------------------------------------------------------------
// Version 1: the walking skeleton. Holders, one plan each, and spending
// recorded by a name typed in.

fn fill_version_1(conn: &Connection) {
    let holder = insert(
        conn,
        "INSERT INTO holder (name, created_at) VALUES ('Arthur Ames', ?1)",
        [LONG_AGO],
    );
    let plan = insert(
        conn,
        "INSERT INTO plan (holder_id, name, start_date, end_date, total_budget_pence, created_at)
         VALUES (?1, 'Arthur’s budget 2026–27', '2026-04-01', '2027-03-31', 1200000, ?2)",
        params![holder, LONG_AGO],
    );
    for (paid_on, payee, amount, note) in [
        (
            "2026-04-10",
            "Sunrise Care Agency",
            45_000,
            "Two weeks of visits",
        ),
        ("2026-05-02", "Café Lunch Club", 1_250, ""),
    ] {
        insert(
            conn,
            "INSERT INTO spending (plan_id, paid_on, payee, amount_pence, note, recorded_by, recorded_at)
             VALUES (?1, ?2, ?3, ?4, ?5, 'Arthur Ames', ?6)",
            params![plan, paid_on, payee, amount, note, LONG_AGO],
        );
    }
}

fn check_version_1(store: &mut Store) {
    let holder = store.holder_named("Arthur Ames").unwrap();
    assert_eq!(holder.date_of_birth, None);
    assert_eq!(holder.nhs_number, None);
    let plan = plan_of(store, "Arthur Ames");
    let history = store.plan_history(plan).unwrap();
    assert_eq!(history.name, "Arthur’s budget 2026–27");
    assert_eq!(
        (history.start_date, history.end_date),
        (date(2026, 4, 1), date(2027, 3, 31))
    );
    // Version 2 turned each plan into its version 1, funded by one NHS
    // payment of the budget it had.
    assert_eq!(history.versions.len(), 1);
    let version = &history.versions[0];
    assert_eq!(version.number, 1);
    assert_eq!(version.effective_from, date(2026, 4, 1));
    assert_eq!(version.content.status, PlanStatus::Agreed);
    assert_eq!(
        version.content.streams,
        [FundingStream {
            funder: Funder::Nhs,
            funder_name: "NHS".into(),
            management: Management::DirectPayment,
            amount: pence(1_200_000),
            amount_is: AmountIs::EachPayment,
            frequency: Frequency::OneOff,
        }]
    );
    let payments = old_payments(store, plan);
    assert_eq!(payments.len(), 2);
    let visits = payment_to(&payments, "Sunrise Care Agency");
    assert_eq!(visits.amount, pence(45_000));
    assert_eq!(visits.paid_on, date(2026, 4, 10));
    assert_eq!(visits.note, "Two weeks of visits");
    assert_eq!(visits.recorded_by, "Arthur Ames");
    assert_eq!(visits.how_paid, None);
    assert!(visits.splits.is_empty());
    assert_eq!(visits.revision_count, 1);
    assert_eq!(visits.voided, None);
    let lunch = payment_to(&payments, "Café Lunch Club");
    assert_eq!(lunch.amount, pence(1_250));
    assert_eq!(
        store.payment_history(plan, lunch.key).unwrap()[0].amount,
        pence(1_250)
    );
    let overview = store.overview(holder.id, today()).unwrap();
    assert_eq!(overview.summary.unwrap().spent, pence(46_250));
    let statement = store.statement(holder.id, "1/4/2026", "31/3/2027").unwrap();
    assert_eq!(statement.money_out_total, pence(46_250));
    assert_eq!(statement.unassigned_spent, pence(46_250));
}

// ---------------------------------------------------------------------
// Version 2: the full plan. People who act for holders, and plan versions
// with funding streams, outcomes, budget lines and reviews.

fn fill_version_2(conn: &Connection) {
    let beth = insert(
        conn,
        "INSERT INTO person (name, created_at) VALUES ('Beth Bowen', ?1)",
        [LONG_AGO],
    );
    let colin = insert(
        conn,
        "INSERT INTO holder (name, date_of_birth, nhs_number, created_at)
         VALUES ('Colin Cole', '1950-02-03', '943 476 5919', ?1)",
        [LONG_AGO],
    );
    insert(
        conn,
        "INSERT INTO acting_for (person_id, holder_id, role, since) VALUES (?1, ?2, 'representative', ?3)",
        params![beth, colin, LONG_AGO],
    );
    let plan = insert(
        conn,
        "INSERT INTO plan (holder_id, name, start_date, end_date, total_budget_pence, created_at)
         VALUES (?1, 'Colin’s plan', '2026-04-01', '2027-03-31', 2400000, ?2)",
        params![colin, LONG_AGO],
    );
    let versions = [
        ("2026-04-01", "The plan as first set up", 1_000),
        ("2026-10-01", "More hours after the review", 1_200),
    ];
    for (number, (from, reason, pa_hours)) in (1..).zip(versions) {
        let version = insert(
            conn,
            "INSERT INTO plan_version (plan_id, number, effective_from, status, reason, created_at, created_by_person)
             VALUES (?1, ?2, ?3, 'agreed', ?4, ?5, ?6)",
            params![plan, number, from, reason, LONG_AGO, beth],
        );
        insert(
            conn,
            "INSERT INTO funding_stream (version_id, position, funder, funder_name, management, amount_pence, frequency)
             VALUES (?1, 0, 'nhs', 'NHS Humber and North Yorkshire ICB', 'direct_payment', 200000, 'monthly')",
            [version],
        );
        let outcomes = [
            "Get out to the allotment every week",
            "Sleep through the night",
        ]
        .iter()
        .zip(0..)
        .map(|(text, position)| {
            insert(
                conn,
                "INSERT INTO outcome (version_id, position, text) VALUES (?1, ?2, ?3)",
                params![version, position, text],
            )
        })
        .collect::<Vec<_>>();
        let pa = insert(
            conn,
            "INSERT INTO budget_line (version_id, position, category, description, provider, flexibility,
                                      quantity_hundredths, unit, per, rate_pence)
             VALUES (?1, 0, 'personal_assistants', 'PA support', 'Jo Pike', 'flexible', ?2, 'hour', 'week', 1450)",
            params![version, pa_hours],
        );
        let chair = insert(
            conn,
            "INSERT INTO budget_line (version_id, position, category, description, provider, flexibility, amount_pence)
             VALUES (?1, 1, 'equipment', 'Riser chair', '', 'stated', 90000)",
            [version],
        );
        for (line, outcome) in [(pa, outcomes[0]), (pa, outcomes[1]), (chair, outcomes[1])] {
            insert(
                conn,
                "INSERT INTO line_outcome (line_id, outcome_id) VALUES (?1, ?2)",
                [line, outcome],
            );
        }
        if number == 2 {
            insert(
                conn,
                "INSERT INTO budget_line (version_id, position, category, description, provider, flexibility, amount_pence)
                 VALUES (?1, 2, 'activities_and_wellbeing', 'Gym', 'Leisure Centre', 'flexible', 30000)",
                [version],
            );
        }
        insert(
            conn,
            "INSERT INTO review (version_id, kind, due_on) VALUES (?1, 'annual', '2027-03-01')",
            [version],
        );
    }
    insert(
        conn,
        "INSERT INTO spending (plan_id, paid_on, payee, amount_pence, note, recorded_by, recorded_at, recorded_by_person)
         VALUES (?1, '2026-05-01', 'Jo Pike', 58000, 'April hours', 'Beth Bowen', ?2, ?3)",
        params![plan, LONG_AGO, beth],
    );
}

fn check_version_2(store: &mut Store) {
    let holder = store.holder_named("Colin Cole").unwrap();
    assert_eq!(holder.date_of_birth, Some(date(1950, 2, 3)));
    assert_eq!(holder.nhs_number.as_deref(), Some("943 476 5919"));
    let acting = store.acting_for(holder.id).unwrap();
    assert_eq!(acting.len(), 1);
    assert_eq!(acting[0].name, "Beth Bowen");
    assert_eq!(acting[0].role, ActingRole::Representative);
    assert!(store
        .people()
        .unwrap()
        .iter()
        .any(|p| p.name == "Beth Bowen"));

    let plan = plan_of(store, "Colin Cole");
    let history = store.plan_history(plan).unwrap();
    assert_eq!(history.versions.len(), 2);
    let (first, second) = (&history.versions[0], &history.versions[1]);
    assert_eq!(first.effective_to, date(2026, 9, 30));
    assert_eq!(second.effective_from, date(2026, 10, 1));
    assert_eq!(second.reason, "More hours after the review");
    assert_eq!(second.created_by.as_deref(), Some("Beth Bowen"));
    assert_eq!(
        first.content.outcomes,
        [
            "Get out to the allotment every week",
            "Sleep through the night"
        ]
    );
    assert_eq!(first.content.streams[0].amount, pence(200_000));
    assert_eq!(first.content.streams[0].frequency, Frequency::Monthly);
    // Version 3 gave each line a key from its position, the same in every
    // version, so a line keeps its identity across revisions.
    let pa = &first.content.lines[0];
    assert_eq!(pa.key, Some(LineKey(1)));
    assert_eq!(pa.description, "PA support");
    assert_eq!(pa.provider, "Jo Pike");
    assert_eq!(pa.outcomes, [0, 1]);
    assert_eq!(
        pa.costing,
        Costing::Units {
            quantity: Hundredths(1_000),
            unit: Unit::Hour,
            per: Per::Week,
            rate: pence(1_450),
        }
    );
    let chair = &first.content.lines[1];
    assert_eq!(chair.key, Some(LineKey(2)));
    assert_eq!(chair.flexibility, Flexibility::Stated);
    assert_eq!(chair.outcomes, [1]);
    assert_eq!(
        chair.costing,
        Costing::Amount {
            amount: pence(90_000)
        }
    );
    let keys: Vec<_> = second.content.lines.iter().map(|line| line.key).collect();
    assert_eq!(keys, [Some(LineKey(1)), Some(LineKey(2)), Some(LineKey(3))]);
    assert_eq!(
        second.content.lines[0].costing,
        Costing::Units {
            quantity: Hundredths(1_200),
            unit: Unit::Hour,
            per: Per::Week,
            rate: pence(1_450),
        }
    );
    assert_eq!(
        second.content.reviews,
        [Review {
            kind: ReviewKind::Annual,
            due_on: date(2027, 3, 1)
        }]
    );

    let payments = old_payments(store, plan);
    let hours = payment_to(&payments, "Jo Pike");
    assert_eq!(hours.amount, pence(58_000));
    assert_eq!(hours.recorded_by, "Beth Bowen");
    assert_eq!(hours.version_number, 1);
    store.overview(holder.id, today()).unwrap();
    still_takes_a_payment(store, plan, "5/10/2026", 3);
}

// ---------------------------------------------------------------------
// Version 3: the ledger. Payments split across lines, with how they were
// paid, evidence, edits kept as revisions, voids, money in, and each
// holder's surplus limit.

fn receipt_png() -> Vec<u8> {
    include_bytes!("fixtures/receipt.png").to_vec()
}

fn fill_version_3(conn: &Connection) {
    let esme = insert(
        conn,
        "INSERT INTO person (name, created_at) VALUES ('Esme Evans', ?1)",
        [LONG_AGO],
    );
    let dora = insert(
        conn,
        "INSERT INTO holder (name, created_at) VALUES ('Dora Dale', ?1)",
        [LONG_AGO],
    );
    insert(
        conn,
        "INSERT INTO acting_for (person_id, holder_id, role, since) VALUES (?1, ?2, 'carer', ?3)",
        params![esme, dora, LONG_AGO],
    );
    insert(
        conn,
        "INSERT INTO holder_setting (holder_id, surplus_limit_weeks) VALUES (?1, 6)",
        [dora],
    );
    let plan = insert(
        conn,
        "INSERT INTO plan (holder_id, name, start_date, end_date, total_budget_pence, created_at)
         VALUES (?1, 'Dora’s plan', '2026-04-01', '2027-03-31', 1000000, ?2)",
        params![dora, LONG_AGO],
    );
    let version = insert(
        conn,
        "INSERT INTO plan_version (plan_id, number, effective_from, status, reason, created_at, created_by_person)
         VALUES (?1, 1, '2026-04-01', 'agreed', 'The plan as first set up', ?2, ?3)",
        params![plan, LONG_AGO, esme],
    );
    insert(
        conn,
        "INSERT INTO funding_stream (version_id, position, funder, funder_name, management, amount_pence, frequency)
         VALUES (?1, 0, 'council', 'Leeds City Council', 'third_party', 250000, 'quarterly')",
        [version],
    );
    let outcome = insert(
        conn,
        "INSERT INTO outcome (version_id, position, text) VALUES (?1, 0, 'Stay in touch with friends')",
        [version],
    );
    let taxis = insert(
        conn,
        "INSERT INTO budget_line (version_id, position, category, description, provider, flexibility,
                                  amount_pence, line_key)
         VALUES (?1, 0, 'transport', 'Taxis', '', 'flexible', 200000, 1)",
        [version],
    );
    let centre = insert(
        conn,
        "INSERT INTO budget_line (version_id, position, category, description, provider, flexibility,
                                  quantity_hundredths, unit, per, rate_pence, line_key)
         VALUES (?1, 1, 'activities_and_wellbeing', 'Day centre', 'Hope Centre', 'flexible', 4000, 'session', 'plan', 5000, 2)",
        [version],
    );
    for line in [taxis, centre] {
        insert(
            conn,
            "INSERT INTO line_outcome (line_id, outcome_id) VALUES (?1, ?2)",
            [line, outcome],
        );
    }

    let payment = |paid_on: &str,
                   payee: &str,
                   amount: i64,
                   how: &str,
                   splits: &[(i64, i64)],
                   entry_key: Option<i64>,
                   change_reason: &str| {
        let id = insert(
            conn,
            "INSERT INTO spending (plan_id, entry_key, paid_on, payee, amount_pence, how_paid, reference,
                                   note, recorded_by, recorded_by_person, recorded_at, change_reason)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, '', 'Esme Evans', ?8, ?9, ?10)",
            params![
                plan,
                entry_key.unwrap_or(0),
                paid_on,
                payee,
                amount,
                how,
                format!("REF-{payee}"),
                esme,
                LONG_AGO,
                change_reason
            ],
        );
        if entry_key.is_none() {
            conn.execute("UPDATE spending SET entry_key = id WHERE id = ?1", [id])
                .unwrap();
        }
        for (line, part) in splits {
            insert(
                conn,
                "INSERT INTO spending_split (spending_id, line_key, amount_pence) VALUES (?1, ?2, ?3)",
                [id, *line, *part],
            );
        }
        id
    };
    let split = payment(
        "2026-05-03",
        "Hope Centre",
        12_000,
        "card",
        &[(1, 2_000), (2, 10_000)],
        None,
        "",
    );
    let first = payment(
        "2026-06-01",
        "City Taxis",
        3_500,
        "bank_transfer",
        &[(1, 3_500)],
        None,
        "",
    );
    let second = payment(
        "2026-06-01",
        "City Taxis",
        3_800,
        "bank_transfer",
        &[(1, 3_800)],
        Some(first),
        "The driver’s tip was missed",
    );
    conn.execute(
        "UPDATE spending SET superseded_by = ?1 WHERE id = ?2",
        [second, first],
    )
    .unwrap();
    let twice = payment(
        "2026-06-15",
        "Hope Centre (again)",
        5_000,
        "card",
        &[(2, 5_000)],
        None,
        "",
    );
    conn.execute(
        "UPDATE spending SET voided_at = ?1, void_reason = 'Paid twice by mistake', voided_by = 'Esme Evans'
         WHERE id = ?2",
        params![LONG_AGO, twice],
    )
    .unwrap();
    let cash = payment(
        "2026-07-01",
        "Cash withdrawal",
        6_000,
        "cash",
        &[(1, 6_000)],
        None,
        "",
    );
    conn.execute(
        "UPDATE spending SET cash_withdrawal = 1, no_evidence_reason = 'Bus fares; no tickets kept',
                             note = 'For the month' WHERE id = ?1",
        [cash],
    )
    .unwrap();

    let png = receipt_png();
    let sha: String = Sha256::digest(&png)
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect();
    let attachment = insert(
        conn,
        "INSERT INTO attachment (sha256, media_type, size_bytes, content, created_at)
         VALUES (?1, 'image/png', ?2, ?3, ?4)",
        params![sha, png.len() as i64, png, LONG_AGO],
    );
    insert(
        conn,
        "INSERT INTO spending_evidence (entry_key, attachment_id, kind, file_name, added_at, added_by)
         VALUES (?1, ?2, 'receipt', 'IMG_2041.png', ?3, 'Esme Evans')",
        params![split, attachment, LONG_AGO],
    );
    // Evidence taken off an entry is recorded, not deleted.
    insert(
        conn,
        "INSERT INTO spending_evidence (entry_key, attachment_id, kind, file_name, added_at, added_by,
                                        removed_at, removed_by)
         VALUES (?1, ?2, 'invoice', 'wrong.png', ?3, 'Esme Evans', ?3, 'Esme Evans')",
        params![first, attachment, LONG_AGO],
    );

    for (received_on, kind, amount, voided) in [
        ("2026-04-01", "funding", 250_000, false),
        ("2026-04-02", "top_up", 1_000, true),
    ] {
        let id = insert(
            conn,
            "INSERT INTO money_in (plan_id, received_on, kind, source, amount_pence, reference, note,
                                   recorded_by, recorded_by_person, recorded_at)
             VALUES (?1, ?2, ?3, 'Leeds City Council', ?4, 'Q1', '', 'Esme Evans', ?5, ?6)",
            params![plan, received_on, kind, amount, esme, LONG_AGO],
        );
        if voided {
            conn.execute(
                "UPDATE money_in SET voided_at = ?1, void_reason = 'Not received', voided_by = 'Esme Evans'
                 WHERE id = ?2",
                params![LONG_AGO, id],
            )
            .unwrap();
        }
    }
}

fn check_version_3(store: &mut Store) {
    let holder = store.holder_named("Dora Dale").unwrap();
    assert_eq!(store.surplus_limit_weeks(holder.id).unwrap(), 6);
    assert_eq!(
        store.acting_for(holder.id).unwrap()[0].role,
        ActingRole::Carer
    );
    let plan = plan_of(store, "Dora Dale");
    let history = store.plan_history(plan).unwrap();
    let lines = &history.versions[0].content.lines;
    assert_eq!(lines[1].key, Some(LineKey(2)));
    assert_eq!(
        lines[1].costing,
        Costing::Units {
            quantity: Hundredths(4_000),
            unit: Unit::Session,
            per: Per::Plan,
            rate: pence(5_000),
        }
    );
    assert_eq!(
        history.versions[0].content.streams[0].funder,
        Funder::Council
    );

    let payments = old_payments(store, plan);
    let payees: Vec<&str> = payments.iter().map(|p| p.payee.as_str()).collect();
    assert_eq!(payments.len(), 4, "{payees:?}");

    let split = payment_to(&payments, "Hope Centre");
    assert_eq!(split.how_paid, Some(HowPaid::Card));
    assert_eq!(split.reference, "REF-Hope Centre");
    let parts: Vec<(LineKey, Money)> = split
        .splits
        .iter()
        .map(|split| (split.line_key, split.amount))
        .collect();
    assert_eq!(
        parts,
        [(LineKey(1), pence(2_000)), (LineKey(2), pence(10_000))]
    );
    assert_eq!(split.evidence.len(), 1);
    let evidence = &split.evidence[0];
    assert_eq!(evidence.kind, EvidenceKind::Receipt);
    assert_eq!(evidence.file_name, "IMG_2041.png");
    assert!(!split.lacks_evidence);
    let (_, bytes) = store.evidence_file(evidence.attachment_id).unwrap();
    assert_eq!(bytes, receipt_png());

    let taxi = payment_to(&payments, "City Taxis");
    assert_eq!(taxi.amount, pence(3_800));
    assert_eq!(taxi.revision_count, 2);
    assert!(taxi.evidence.is_empty(), "removed evidence stays removed");
    let revisions = store.payment_history(plan, taxi.key).unwrap();
    let amounts: Vec<Money> = revisions.iter().map(|r| r.amount).collect();
    assert_eq!(amounts, [pence(3_500), pence(3_800)]);
    assert_eq!(revisions[1].change_reason, "The driver’s tip was missed");

    let twice = payment_to(&payments, "Hope Centre (again)");
    let void = twice.voided.as_ref().expect("still voided");
    assert_eq!(void.reason, "Paid twice by mistake");
    assert_eq!(void.by, "Esme Evans");

    let cash = payment_to(&payments, "Cash withdrawal");
    assert!(cash.cash_withdrawal);
    assert_eq!(cash.no_evidence_reason, "Bus fares; no tickets kept");
    assert_eq!(cash.note, "For the month");
    assert_eq!(
        store.payment(plan, EntryKey(cash.key.0)).unwrap().amount,
        pence(6_000)
    );

    let money_in = store.money_in(plan).unwrap();
    assert_eq!(money_in.len(), 2);
    let funding = money_in
        .iter()
        .find(|entry| entry.kind == MoneyInKind::Funding)
        .unwrap();
    assert_eq!(funding.amount, pence(250_000));
    assert_eq!(funding.voided, None);
    let top_up = money_in
        .iter()
        .find(|entry| entry.kind == MoneyInKind::TopUp)
        .unwrap();
    assert_eq!(top_up.voided.as_ref().unwrap().reason, "Not received");

    let totals = store.ledger_totals(plan).unwrap();
    assert_eq!(totals.spent, pence(12_000 + 3_800 + 6_000));
    assert_eq!(totals.money_in, pence(250_000));
    let statement = store.statement(holder.id, "1/4/2026", "31/3/2027").unwrap();
    assert_eq!(statement.money_in_total, pence(250_000));
    assert_eq!(statement.money_out_total, pence(21_800));
    store.overview(holder.id, today()).unwrap();
    still_takes_a_payment(store, plan, "1/8/2026", 2);
}

// Version 4 added regular payments; version 5 rebuilt the budget line table
// (lines per month, spending patterns) and added funding given for the whole
// period, who agreed a version, and a regular payment's no-receipt reason.
fn fill_version_4(conn: &Connection) {
    let plan: i64 = conn
        .query_row(
            "SELECT id FROM plan WHERE name = 'Dora’s plan'",
            [],
            |row| row.get(0),
        )
        .unwrap();
    insert(
        conn,
        "INSERT INTO recurring (plan_id, payee, amount_pence, line_key, how_paid, every, first_due,
                                note, created_at, created_by)
         VALUES (?1, 'Hope Centre', 12000, 2, 'standing_order', 'monthly', '2026-04-15',
                 'Day centre', ?2, 'Esme Evans')",
        params![plan, LONG_AGO],
    );
}

fn check_version_4(store: &mut Store) {
    let plan = plan_of(store, "Dora Dale");
    let recurring = store.recurring(plan).unwrap();
    assert_eq!(recurring.len(), 1);
    assert_eq!(recurring[0].payee, "Hope Centre");
    assert_eq!(recurring[0].amount, pence(12_000));
    assert_eq!(recurring[0].note, "Day centre");
    assert_eq!(recurring[0].no_evidence_reason, "");
    // What version 5 added reads as plans were before it: lines spent
    // evenly, streams given per payment, no one recorded as agreeing.
    let history = store.plan_history(plan).unwrap();
    let content = &history.versions[0].content;
    assert!(content
        .lines
        .iter()
        .all(|line| line.pattern == SpendingPattern::Even));
    assert!(content
        .streams
        .iter()
        .all(|stream| stream.amount_is == AmountIs::EachPayment));
    assert_eq!((content.agreed_on, content.agreed_by.as_str()), (None, ""));
}

// Version 5 kept spending patterns, lines per month, funding given for the
// whole period, who agreed a version, and a regular payment's reason;
// version 6 added the account's statement lines and payee rules.
fn fill_version_5(conn: &Connection) {
    let edna = insert(
        conn,
        "INSERT INTO holder (name, created_at) VALUES ('Edna Ellery', ?1)",
        [LONG_AGO],
    );
    let plan = insert(
        conn,
        "INSERT INTO plan (holder_id, name, start_date, end_date, total_budget_pence, created_at)
         VALUES (?1, 'Edna’s plan', '2026-04-01', '2027-03-31', 500000, ?2)",
        params![edna, LONG_AGO],
    );
    let version = insert(
        conn,
        "INSERT INTO plan_version (plan_id, number, effective_from, status, reason, created_at,
                                   agreed_on, agreed_by)
         VALUES (?1, 1, '2026-04-01', 'agreed', 'The plan as first set up', ?2, '2026-03-20', 'Jo Patel')",
        params![plan, LONG_AGO],
    );
    insert(
        conn,
        "INSERT INTO funding_stream (version_id, position, funder, funder_name, management, amount_pence,
                                     frequency, amount_is)
         VALUES (?1, 0, 'nhs', 'NHS', 'direct_payment', 500000, 'monthly', 'whole_period')",
        [version],
    );
    insert(
        conn,
        "INSERT INTO budget_line (version_id, position, category, description, provider, flexibility,
                                  quantity_hundredths, unit, per, rate_pence, line_key, pattern)
         VALUES (?1, 0, 'respite', 'Respite nights', '', 'flexible', 200, 'night', 'month', 15000, 1, 'as_needed')",
        [version],
    );
    insert(
        conn,
        "INSERT INTO budget_line (version_id, position, category, description, provider, flexibility,
                                  amount_pence, line_key, pattern)
         VALUES (?1, 1, 'equipment', 'A hoist', '', 'stated', 1400000, 2, 'one_off')",
        [version],
    );
    insert(
        conn,
        "INSERT INTO recurring (plan_id, payee, amount_pence, line_key, how_paid, every, first_due,
                                note, created_at, created_by, no_evidence_reason)
         VALUES (?1, 'Seaview', 30000, 1, 'standing_order', 'monthly', '2026-04-15', '', ?2, 'Esme Evans',
                 'Standing order')",
        params![plan, LONG_AGO],
    );
}

fn check_version_5(store: &mut Store) {
    let plan = plan_of(store, "Edna Ellery");
    let history = store.plan_history(plan).unwrap();
    let content = &history.versions[0].content;
    assert_eq!(content.lines[0].pattern, SpendingPattern::AsNeeded);
    assert_eq!(content.lines[1].pattern, SpendingPattern::OneOff);
    assert_eq!(
        content.lines[0].costing,
        Costing::Units {
            quantity: Hundredths(200),
            unit: Unit::Night,
            per: Per::Month,
            rate: pence(15_000),
        }
    );
    assert_eq!(content.streams[0].amount_is, AmountIs::WholePeriod);
    assert_eq!(
        (content.agreed_on, content.agreed_by.as_str()),
        (Some(date(2026, 3, 20)), "Jo Patel")
    );
    assert_eq!(
        store.recurring(plan).unwrap()[0].no_evidence_reason,
        "Standing order"
    );
}

/// Version 6 kept a statement's lines and the payee rules learnt from them.
fn fill_version_6(conn: &Connection) {
    let plan: i64 = conn
        .query_row(
            "SELECT p.id FROM plan p JOIN holder h ON h.id = p.holder_id WHERE h.name = 'Edna Ellery'",
            [],
            |row| row.get(0),
        )
        .unwrap();
    insert(
        conn,
        "INSERT INTO account_line (plan_id, fingerprint, on_date, description, amount_pence,
                                   balance_pence, file_name, imported_at, imported_by)
         VALUES (?1, '2026-04-03|-4500|respite care|1', '2026-04-03', 'RESPITE CARE', -4500, 495500,
                 'april.csv', ?2, 'Edna Ellery')",
        params![plan, LONG_AGO],
    );
    insert(
        conn,
        "INSERT INTO payee_rule (plan_id, words, line_key) VALUES (?1, 'respite care', 1)",
        [plan],
    );
}

fn check_version_6(store: &mut Store) {
    let plan = plan_of(store, "Edna Ellery");
    let lines = store.account_lines(plan).unwrap();
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0].description, "RESPITE CARE");
    assert_eq!(lines[0].balance, Some(pence(495_500)));
    assert_eq!(
        store.payee_rules(plan).unwrap(),
        [(
            "respite care".to_owned(),
            careledger_core::ledger::LineKey(1)
        )]
    );
    // Version 7's layout and checks start empty.
    assert_eq!(store.statement_layout(plan).unwrap(), None);
    assert_eq!(
        store.latest_account_check(plan, date(2027, 3, 31)).unwrap(),
        None
    );
}

/// Version 7 kept a holder's statement file layout and the checks against
/// the account; version 8 added indexes, each day's totals and the word
/// index, all made from the ledger as it stands.
fn fill_version_7(conn: &Connection) {
    let plan_named = |holder: &str| -> i64 {
        conn.query_row(
            "SELECT p.id FROM plan p JOIN holder h ON h.id = p.holder_id WHERE h.name = ?1",
            [holder],
            |row| row.get(0),
        )
        .unwrap()
    };
    let dora = plan_named("Dora Dale");
    insert(
        conn,
        "INSERT INTO statement_layout (holder_id, layout, saved_at)
         SELECT holder_id, '{\"delimiter\":\",\"}', ?2 FROM plan WHERE id = ?1",
        params![dora, LONG_AGO],
    );
    insert(
        conn,
        "INSERT INTO account_check (plan_id, on_date, balance_pence, checked_at, checked_by)
         VALUES (?1, '2026-06-30', 812345, ?2, 'Esme Evans')",
        params![dora, LONG_AGO],
    );
    // Edna's payments: one kept, given no reason for having no receipt,
    // and one removed.
    let edna = plan_named("Edna Ellery");
    for (payee, voided_at) in [
        ("Seaview Respite", None),
        ("Seaview Extra Night", Some(LONG_AGO)),
    ] {
        let id = insert(
            conn,
            "INSERT INTO spending (plan_id, paid_on, payee, amount_pence, note, recorded_by, recorded_at,
                                   how_paid, reference, no_evidence_reason, voided_at, void_reason, voided_by)
             VALUES (?1, '2026-04-15', ?2, 30000, 'Two nights', 'Esme Evans', ?3, 'standing_order',
                     'SO-15', '', ?4, iif(?4 IS NULL, NULL, 'Entered twice'), iif(?4 IS NULL, NULL, 'Esme Evans'))",
            params![edna, payee, LONG_AGO, voided_at],
        );
        conn.execute("UPDATE spending SET entry_key = id WHERE id = ?1", [id])
            .unwrap();
        insert(
            conn,
            "INSERT INTO spending_split (spending_id, line_key, amount_pence) VALUES (?1, 1, 30000)",
            [id],
        );
    }
}

fn check_version_7(store: &mut Store) {
    let dora = plan_of(store, "Dora Dale");
    assert_eq!(
        store.statement_layout(dora).unwrap().as_deref(),
        Some("{\"delimiter\":\",\"}")
    );
    assert_eq!(
        store.latest_account_check(dora, date(2027, 3, 31)).unwrap(),
        Some(careledger_core::account::AccountCheck {
            on: date(2026, 6, 30),
            balance: pence(812_345),
        })
    );
    // Version 8 worked out the day's totals and the word index from the
    // payments already kept.
    let edna = plan_of(store, "Edna Ellery");
    let totals = store.ledger_totals(edna).unwrap();
    assert_eq!(totals.spent, pence(30_000));
    assert_eq!(totals.payment_count, 1);
    assert_eq!(totals.lacking_evidence, 1);
    assert_eq!(totals.spent_by_line, [(LineKey(1), pence(30_000))]);
    assert_eq!(totals.spent_by_day, [(date(2026, 4, 15), pence(30_000))]);
    let found = store
        .find_payments(
            edna,
            &careledger_core::ledger::PaymentFilter {
                text: "seaview".into(),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!((found.total_count, found.removed_count), (2, 1));
    assert_eq!(found.total_amount, pence(30_000));
    assert!(store.derived_data_agrees().unwrap());
}

// ---------------------------------------------------------------------
// Version 8: evidence files inside the attachment table, with a photo's
// thumbnail beside it. Version 9 moves every file to the receipts folder
// beside the data file, each named by its SHA-256.

/// A photo as version 8 kept it: its bytes, and its thumbnail, which is
/// byte for byte the receipt version 3 kept (a thumbnail and an original
/// may be the same file, kept once).
fn version_8_photo() -> Vec<u8> {
    let mut photo = receipt_png();
    photo.extend_from_slice(b"a photo taken after version 8");
    photo
}

fn sha_of(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

fn fill_version_8(conn: &Connection) {
    let entry: i64 = conn
        .query_row(
            // The removed one: evidence on it changes no figure the
            // earlier checks expect.
            "SELECT entry_key FROM spending WHERE payee = 'Seaview Extra Night'",
            [],
            |row| row.get(0),
        )
        .unwrap();
    let photo = version_8_photo();
    let pdf = b"%PDF-1.4 the respite invoice".to_vec();
    for (bytes, media_type, thumbnail, name, kind) in [
        (
            photo,
            "image/png",
            Some(receipt_png()),
            "seaview.png",
            "receipt",
        ),
        (pdf, "application/pdf", None, "seaview.pdf", "invoice"),
    ] {
        let attachment = insert(
            conn,
            "INSERT INTO attachment (sha256, media_type, size_bytes, content, thumbnail, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![sha_of(&bytes), media_type, bytes.len() as i64, bytes, thumbnail, LONG_AGO],
        );
        insert(
            conn,
            "INSERT INTO spending_evidence (entry_key, attachment_id, kind, file_name, added_at, added_by)
             VALUES (?1, ?2, ?3, ?4, ?5, 'Esme Evans')",
            params![entry, attachment, kind, name, LONG_AGO],
        );
    }
}

fn check_version_8(store: &mut Store) {
    let edna = plan_of(store, "Edna Ellery");
    let payments = old_payments(store, edna);
    let respite = payment_to(&payments, "Seaview Extra Night");
    let names: Vec<&str> = respite
        .evidence
        .iter()
        .map(|evidence| evidence.file_name.as_str())
        .collect();
    assert_eq!(names, ["seaview.png", "seaview.pdf"]);
    let photo = &respite.evidence[0];
    assert_eq!(
        store.evidence_file(photo.attachment_id).unwrap().1,
        version_8_photo()
    );
    assert_eq!(
        store
            .evidence_thumbnail(edna, respite.key, photo.attachment_id)
            .unwrap(),
        Some(receipt_png())
    );
    let pdf = &respite.evidence[1];
    assert_eq!(
        store
            .evidence_thumbnail(edna, respite.key, pdf.attachment_id)
            .unwrap(),
        None
    );
    // Every file is now in the receipts folder, named by its SHA-256, and
    // the data file carries none of them.
    let files = store
        .evidence_files()
        .expect("a data file has a receipts folder");
    let needed = store.evidence_files_needed().unwrap();
    for bytes in [
        version_8_photo(),
        receipt_png(),
        b"%PDF-1.4 the respite invoice".to_vec(),
    ] {
        let sha = sha_of(&bytes);
        assert!(needed.contains(&sha), "{sha} is needed");
        assert_eq!(files.read(&sha).unwrap(), Some(bytes));
    }
    assert!(store.derived_data_agrees().unwrap());
}

#[test]
fn receipts_that_cannot_be_written_out_leave_the_old_data_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("careledger.sqlite3");
    build_old_database(&path, 8);
    // Something in the way of the receipts folder: a file of that name.
    let in_the_way = dir.path().join("receipts");
    std::fs::write(&in_the_way, b"not a folder").unwrap();
    let Err(error) = Store::open(&path) else {
        panic!("should not open");
    };
    let message = error.to_string();
    assert!(
        message.starts_with("Careledger could not update your data to this version: the receipts could not be saved in")
            && message.ends_with("Nothing has been changed."),
        "{message}"
    );
    let version: i64 = Connection::open(&path)
        .unwrap()
        .query_row("PRAGMA user_version", [], |row| row.get(0))
        .unwrap();
    assert_eq!(version, 8, "the data is as it was");
    // Out of the way, it opens, with every receipt.
    std::fs::remove_file(&in_the_way).unwrap();
    let mut store = Store::open(&path).unwrap();
    check_version_8(&mut store);
}
