//! Storage as the app uses it: a real file, reopened, with bad input refused.

use careledger_core::store::{DATABASE_FILE_NAME, SCHEMA_VERSION};
use careledger_core::{
    Error, ErrorCode, ErrorReport, HolderId, Money, NewHolder, NewPlan, NewSpending, Store,
};
use chrono::NaiveDate;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

const TODAY: (i32, u32, u32) = (2026, 11, 25);

fn today() -> NaiveDate {
    date(TODAY.0, TODAY.1, TODAY.2)
}

fn plan_form() -> NewPlan {
    NewPlan {
        name: "Personal health budget 2026–27".into(),
        start_date: "1/4/2026".into(),
        end_date: "31/3/2027".into(),
        total_budget: "£38,500".into(),
    }
}

fn spending(on: &str, payee: &str, amount: &str) -> NewSpending {
    NewSpending {
        paid_on: on.into(),
        payee: payee.into(),
        amount: amount.into(),
        note: String::new(),
        recorded_by: "David Ellis".into(),
    }
}

fn store_with_plan() -> (Store, HolderId, careledger_core::PlanId) {
    let mut store = Store::open_in_memory().unwrap();
    let holder = store
        .add_holder(&NewHolder {
            name: "Margaret Ellis".into(),
        })
        .unwrap();
    let plan = store.add_plan(holder.id, &plan_form()).unwrap();
    (store, holder.id, plan.id)
}

#[test]
fn data_survives_closing_and_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(DATABASE_FILE_NAME);
    let holder_id = {
        let mut store = Store::open(&path).unwrap();
        let holder = store
            .add_holder(&NewHolder {
                name: "Margaret Ellis".into(),
            })
            .unwrap();
        let plan = store.add_plan(holder.id, &plan_form()).unwrap();
        for (on, payee, amount) in [
            ("3/4/2026", "Gym", "£32"),
            ("28/4/2026", "Joanne Pike", "1,160.00"),
            ("10/5/2026", "Aqua Physio", "45.5"),
        ] {
            store
                .add_spending(plan.id, &spending(on, payee, amount), today())
                .unwrap();
        }
        holder.id
    };
    let store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION as i64);
    let overview = store.overview(holder_id, today()).unwrap();
    let summary = overview.summary.unwrap();
    assert_eq!(summary.spent, Money::from_pence(3_200 + 116_000 + 4_550));
    assert_eq!(summary.left, Money::from_pence(3_850_000 - 123_750));
    assert_eq!(overview.spending.len(), 3);
    assert_eq!(overview.spending[0].payee, "Aqua Physio", "newest first");
    assert_eq!(overview.spending[0].recorded_by, "David Ellis");
}

fn spending_count(store: &Store, plan: careledger_core::PlanId) -> usize {
    store.spending(plan).unwrap().len()
}

fn assert_invalid(result: Result<impl std::fmt::Debug, Error>, field: &str, words: &str) {
    match result {
        Err(Error::Invalid {
            field: got,
            message,
        }) => {
            assert_eq!(got, field, "{message}");
            assert!(
                message.contains(words),
                "{message:?} should mention {words:?}"
            );
        }
        other => panic!("expected an invalid-input error for {field}, got {other:?}"),
    }
}

#[test]
fn a_bad_amount_is_refused_and_nothing_is_written() {
    let (mut store, _, plan) = store_with_plan();
    for (amount, words) in [
        ("12.345", "two digits"),
        ("abc", "pounds and pence"),
        ("0", "more than £0.00"),
        ("-5", "minus"),
        ("£20,000,000", "over £10,000,000"),
    ] {
        assert_invalid(
            store.add_spending(plan, &spending("1/5/2026", "Gym", amount), today()),
            "amount",
            words,
        );
    }
    assert_eq!(spending_count(&store, plan), 0);
}

#[test]
fn an_empty_payee_is_refused_and_nothing_is_written() {
    let (mut store, _, plan) = store_with_plan();
    assert_invalid(
        store.add_spending(plan, &spending("1/5/2026", "   ", "£10"), today()),
        "payee",
        "Enter who was paid",
    );
    assert_eq!(spending_count(&store, plan), 0);
}

#[test]
fn a_date_outside_the_plan_is_refused_and_nothing_is_written() {
    let (mut store, _, plan) = store_with_plan();
    assert_invalid(
        store.add_spending(plan, &spending("31/3/2026", "Gym", "£10"), today()),
        "paidOn",
        "outside the plan, which runs from 1 Apr 2026 to 31 Mar 2027",
    );
    assert_invalid(
        store.add_spending(plan, &spending("1/4/2027", "Gym", "£10"), today()),
        "paidOn",
        "outside the plan",
    );
    assert_invalid(
        store.add_spending(plan, &spending("26/11/2026", "Gym", "£10"), today()),
        "paidOn",
        "in the future",
    );
    assert_invalid(
        store.add_spending(plan, &spending("31/11/2026", "Gym", "£10"), today()),
        "paidOn",
        "is not a date",
    );
    assert_eq!(spending_count(&store, plan), 0);
    // The first and last days of the plan are inside it.
    store
        .add_spending(plan, &spending("1/4/2026", "Gym", "£10"), date(2027, 3, 31))
        .unwrap();
    store
        .add_spending(
            plan,
            &spending("31/3/2027", "Gym", "£10"),
            date(2027, 3, 31),
        )
        .unwrap();
    assert_eq!(spending_count(&store, plan), 2);
}

#[test]
fn bad_plans_and_holders_are_refused() {
    let mut store = Store::open_in_memory().unwrap();
    assert_invalid(
        store.add_holder(&NewHolder { name: " ".into() }),
        "name",
        "Enter the person's name",
    );
    assert_invalid(
        store.add_holder(&NewHolder {
            name: "x".repeat(101),
        }),
        "name",
        "too long",
    );
    let holder = store
        .add_holder(&NewHolder {
            name: "Ann Smith".into(),
        })
        .unwrap();
    assert_invalid(
        store.add_holder(&NewHolder {
            name: "ann smith".into(),
        }),
        "name",
        "already a person called",
    );

    let with = |f: fn(&mut NewPlan)| {
        let mut form = plan_form();
        f(&mut form);
        form
    };
    assert_invalid(
        store.add_plan(holder.id, &with(|f| f.end_date = "1/3/2026".into())),
        "endDate",
        "must end after it starts",
    );
    assert_invalid(
        store.add_plan(holder.id, &with(|f| f.start_date = "someday".into())),
        "startDate",
        "not a date",
    );
    assert_invalid(
        store.add_plan(holder.id, &with(|f| f.total_budget = "lots".into())),
        "totalBudget",
        "pounds and pence",
    );
    assert_invalid(
        store.add_plan(holder.id, &with(|f| f.name = String::new())),
        "name",
        "Enter a name for the plan",
    );
    assert!(
        store.plan_of(holder.id).unwrap().is_none(),
        "nothing written"
    );

    assert!(matches!(
        store.add_plan(HolderId(999), &plan_form()),
        Err(Error::NotFound { .. })
    ));
    store.add_plan(holder.id, &plan_form()).unwrap();
    assert_invalid(
        store.add_plan(holder.id, &plan_form()),
        "name",
        "already has a plan",
    );
}

#[test]
fn holders_records_are_kept_apart() {
    let (mut store, first, first_plan) = store_with_plan();
    let second = store
        .add_holder(&NewHolder {
            name: "Tom Ellis".into(),
        })
        .unwrap();
    let second_plan = store.add_plan(second.id, &plan_form()).unwrap();
    store
        .add_spending(
            first_plan,
            &spending("1/5/2026", "For Margaret", "£10"),
            today(),
        )
        .unwrap();
    store
        .add_spending(
            second_plan.id,
            &spending("1/5/2026", "For Tom", "£20"),
            today(),
        )
        .unwrap();
    let overview = store.overview(first, today()).unwrap();
    assert!(overview
        .spending
        .iter()
        .all(|entry| entry.payee == "For Margaret"));
    assert_eq!(overview.summary.unwrap().spent, Money::from_pence(1_000));
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
        matches!(error, Error::NewerDatabase { found: 99, .. }),
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
fn the_database_runs_in_wal_mode_with_foreign_keys() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(DATABASE_FILE_NAME);
    drop(Store::open(&path).unwrap());
    let conn = rusqlite::Connection::open(&path).unwrap();
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |row| row.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    let strict: i64 = conn
        .query_row("SELECT count(*) FROM pragma_table_list WHERE strict = 1 AND name IN ('holder', 'plan', 'spending')", [], |row| row.get(0))
        .unwrap();
    assert_eq!(strict, 3);
}
