//! Storage as the app uses it: a real file, reopened, with bad input refused.

mod common;

use careledger_core::records::Records;
use careledger_core::store::{DATABASE_FILE_NAME, SCHEMA_VERSION};
use careledger_core::views::Views;
use careledger_core::{
    ErrorCode, ErrorReport, HolderId, Money, NewPerson, PersonId, PlanId, Store,
};
use common::*;

fn store_with_plan() -> (Store, PersonId, PlanId) {
    let (store, david, _, plan) = store_with(&simple_plan("£38,500"));
    (store, david, plan)
}

fn spending_count(store: &Store, plan: PlanId) -> usize {
    store.payments(plan).unwrap().len()
}

#[test]
fn data_survives_closing_and_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(DATABASE_FILE_NAME);
    let holder_id = {
        let mut store = Store::open(&path).unwrap();
        let david = person(&mut store, "David Ellis");
        let holder = store
            .add_holder(&new_holder("Margaret Ellis", david), today())
            .unwrap();
        let plan = store
            .create_plan(holder.id, &simple_plan("£38,500"), david)
            .unwrap()
            .plan_id;
        for (on, payee, amount) in [
            ("3/4/2026", "Gym", "£32"),
            ("28/4/2026", "Joanne Pike", "1,160.00"),
            ("10/5/2026", "Aqua Physio", "45.5"),
        ] {
            store
                .record_payment(plan, &spending(on, payee, amount, david), today())
                .unwrap();
        }
        holder.id
    };
    let store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION as i64);
    let overview = store.overview(holder_id, today()).unwrap();
    let summary = overview.summary.unwrap();
    assert_eq!(summary.budget, Money::from_pence(3_850_000));
    assert_eq!(summary.spent, Money::from_pence(3_200 + 116_000 + 4_550));
    assert_eq!(summary.left, Money::from_pence(3_850_000 - 123_750));
    let plan = store.plan_of(holder_id).unwrap().unwrap().id;
    let payments = store.payments(plan).unwrap();
    assert_eq!(payments.len(), 3);
    assert_eq!(payments[0].payee, "Aqua Physio", "newest first");
    assert_eq!(payments[0].recorded_by, "David Ellis");
    assert_eq!(overview.acting[0].name, "David Ellis");
}

#[test]
fn a_bad_amount_is_refused_and_nothing_is_written() {
    let (mut store, david, plan) = store_with_plan();
    for (amount, words) in [
        ("12.345", "two digits"),
        ("abc", "pounds and pence"),
        ("0", "more than £0.00"),
        ("-5", "minus"),
        ("£20,000,000", "over £10,000,000"),
    ] {
        assert_invalid(
            store.record_payment(plan, &spending("1/5/2026", "Gym", amount, david), today()),
            "amount",
            words,
        );
    }
    assert_eq!(spending_count(&store, plan), 0);
}

#[test]
fn an_empty_payee_is_refused_and_nothing_is_written() {
    let (mut store, david, plan) = store_with_plan();
    assert_invalid(
        store.record_payment(plan, &spending("1/5/2026", "   ", "£10", david), today()),
        "payee",
        "Enter who was paid",
    );
    assert_eq!(spending_count(&store, plan), 0);
}

#[test]
fn a_payment_by_someone_unknown_is_refused() {
    let (mut store, _, plan) = store_with_plan();
    assert_invalid(
        store.record_payment(
            plan,
            &spending("1/5/2026", "Gym", "£10", PersonId(999)),
            today(),
        ),
        "recordedBy",
        "Choose who is using Careledger",
    );
    assert_eq!(spending_count(&store, plan), 0);
}

#[test]
fn a_date_outside_the_plan_is_refused_and_nothing_is_written() {
    let (mut store, david, plan) = store_with_plan();
    assert_invalid(
        store.record_payment(plan, &spending("31/3/2026", "Gym", "£10", david), today()),
        "paidOn",
        "outside the plan, which runs from 1 Apr 2026 to 31 Mar 2027",
    );
    assert_invalid(
        store.record_payment(plan, &spending("1/4/2027", "Gym", "£10", david), today()),
        "paidOn",
        "outside the plan",
    );
    assert_invalid(
        store.record_payment(plan, &spending("26/11/2026", "Gym", "£10", david), today()),
        "paidOn",
        "in the future",
    );
    assert_invalid(
        store.record_payment(plan, &spending("31/11/2026", "Gym", "£10", david), today()),
        "paidOn",
        "is not a date",
    );
    assert_eq!(spending_count(&store, plan), 0);
    // The first and last days of the plan are inside it.
    store
        .record_payment(
            plan,
            &spending("1/4/2026", "Gym", "£10", david),
            date(2027, 3, 31),
        )
        .unwrap();
    store
        .record_payment(
            plan,
            &spending("31/3/2027", "Gym", "£10", david),
            date(2027, 3, 31),
        )
        .unwrap();
    assert_eq!(spending_count(&store, plan), 2);
}

#[test]
fn bad_holders_and_people_are_refused() {
    let mut store = Store::open_in_memory().unwrap();
    assert_invalid(
        store.add_person(&NewPerson { name: "  ".into() }),
        "name",
        "Enter your name",
    );
    let david = person(&mut store, "David Ellis");
    assert_invalid(
        store.add_person(&NewPerson {
            name: "david ellis".into(),
        }),
        "name",
        "already in the list",
    );
    assert_invalid(
        store.add_holder(&new_holder(" ", david), today()),
        "name",
        "Enter the person's name",
    );
    assert_invalid(
        store.add_holder(&new_holder(&"x".repeat(101), david), today()),
        "name",
        "too long",
    );
    let mut form = new_holder("Ann Smith", david);
    form.nhs_number = "943 476 5918".into();
    assert_invalid(
        store.add_holder(&form, today()),
        "nhsNumber",
        "not a valid NHS number",
    );
    form.nhs_number = "943 476 59".into();
    assert_invalid(
        store.add_holder(&form, today()),
        "nhsNumber",
        "has 10 digits; this has 8",
    );
    form.nhs_number = String::new();
    form.date_of_birth = "1/1/2027".into();
    assert_invalid(
        store.add_holder(&form, today()),
        "dateOfBirth",
        "in the future",
    );
    form.date_of_birth = String::new();
    form.acting_person = PersonId(42);
    assert_invalid(
        store.add_holder(&form, today()),
        "actingPerson",
        "Choose who is using Careledger",
    );
    assert!(store.holders().unwrap().is_empty(), "nothing written");

    let mut form = new_holder("Ann Smith", david);
    form.nhs_number = "9434765919".into();
    form.date_of_birth = "14 March 1951".into();
    let ann = store.add_holder(&form, today()).unwrap();
    assert_eq!(ann.nhs_number.as_deref(), Some("943 476 5919"));
    assert_eq!(ann.date_of_birth, Some(date(1951, 3, 14)));
    assert_invalid(
        store.add_holder(&new_holder("ann smith", david), today()),
        "name",
        "already a person called",
    );
    assert!(matches!(
        store.create_plan(HolderId(999), &simple_plan("£10"), david),
        Err(careledger_core::Error::NotFound { .. })
    ));
}

#[test]
fn work_done_atomically_lands_whole_or_not_at_all() {
    let mut store = Store::open_in_memory().unwrap();
    let failed: Result<(), careledger_core::Error> = store.atomically(|store| {
        let david = person(store, "David Ellis");
        store.add_holder(&new_holder("Margaret Ellis", david), today())?;
        store.add_holder(&new_holder("", david), today())?;
        Ok(())
    });
    assert!(failed.is_err());
    assert!(
        store.people().unwrap().is_empty(),
        "the person added first was undone"
    );
    assert!(store.holders().unwrap().is_empty());
    store
        .atomically(|store| {
            let david = person(store, "David Ellis");
            store
                .add_holder(&new_holder("Margaret Ellis", david), today())
                .map(|_| ())
        })
        .unwrap();
    assert_eq!(store.holders().unwrap().len(), 1);
}

#[test]
fn holders_records_are_kept_apart() {
    let (mut store, david, plan) = store_with_plan();
    let first = store.plan(plan).unwrap().holder_id;
    let second = store
        .add_holder(&new_holder("Tom Ellis", david), today())
        .unwrap();
    let second_plan = store
        .create_plan(second.id, &simple_plan("£20,000"), david)
        .unwrap()
        .plan_id;
    store
        .record_payment(
            plan,
            &spending("1/5/2026", "For Margaret", "£10", david),
            today(),
        )
        .unwrap();
    store
        .record_payment(
            second_plan,
            &spending("1/5/2026", "For Tom", "£20", david),
            today(),
        )
        .unwrap();
    let overview = store.overview(first, today()).unwrap();
    assert!(store
        .payments(plan)
        .unwrap()
        .iter()
        .all(|entry| entry.payee == "For Margaret"));
    assert_eq!(overview.summary.unwrap().spent, Money::from_pence(1_000));
    let tom = store.overview(second.id, today()).unwrap();
    assert!(store
        .payments(second_plan)
        .unwrap()
        .iter()
        .all(|entry| entry.payee == "For Tom"));
    assert_eq!(tom.summary.unwrap().budget, Money::from_pence(2_000_000));
    let names: Vec<_> = store
        .holders()
        .unwrap()
        .into_iter()
        .map(|h| h.name)
        .collect();
    assert_eq!(names, ["Margaret Ellis", "Tom Ellis"]);
}

#[test]
fn a_database_from_a_newer_version_is_refused_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(DATABASE_FILE_NAME);
    drop(Store::open(&path).unwrap());
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", 99).unwrap();
    }
    let error = Store::open(&path).err().expect("refused");
    assert!(
        matches!(
            error,
            careledger_core::Error::NewerDatabase { found: 99, .. }
        ),
        "{error:?}"
    );
    assert!(error.to_string().contains("newer version of Careledger"));
    let report = ErrorReport::from(&error);
    assert_eq!(report.code, ErrorCode::NewerDatabase);
    let conn = rusqlite::Connection::open(&path).unwrap();
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |row| row.get(0))
        .unwrap();
    assert_eq!(version, 99, "left as it was");
}

#[test]
fn a_file_that_is_not_a_careledger_database_is_refused_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let text_file = dir.path().join("notes.sqlite3");
    std::fs::write(
        &text_file,
        "These are my shopping notes, not a database.\n".repeat(100),
    )
    .unwrap();
    let before = std::fs::read(&text_file).unwrap();
    let error = Store::open(&text_file).err().expect("refused");
    assert_eq!(error.code(), ErrorCode::NotADatabase, "{error:?}");
    assert_eq!(std::fs::read(&text_file).unwrap(), before);

    let other_app = dir.path().join("other.sqlite3");
    rusqlite::Connection::open(&other_app)
        .unwrap()
        .execute_batch("CREATE TABLE t (x)")
        .unwrap();
    let error = Store::open(&other_app).err().expect("refused");
    assert_eq!(error.code(), ErrorCode::NotADatabase, "{error:?}");
}

#[test]
fn the_database_runs_in_wal_mode_with_strict_tables() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(DATABASE_FILE_NAME);
    drop(Store::open(&path).unwrap());
    let conn = rusqlite::Connection::open(&path).unwrap();
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |row| row.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    let (tables, strict): (i64, i64) = conn
        .query_row(
            "SELECT count(*), sum(strict) FROM pragma_table_list WHERE schema = 'main' AND type = 'table' AND name NOT LIKE 'sqlite_%'",
            [],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .unwrap();
    assert!(tables >= 10, "{tables}");
    assert_eq!(strict, tables, "every table is STRICT");
}
