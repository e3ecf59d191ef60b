//! Shared helpers for core's integration tests.
#![allow(dead_code)]

use careledger_core::ledger::{HowPaid, LineKey, PaymentDraft, SplitDraft};
use careledger_core::plan::*;
use careledger_core::plan_forms::{
    ContentDraft, LineDraft, NewPlanDraft, ReviewDraft, StreamDraft,
};
use careledger_core::records::Records;
use careledger_core::{Error, HolderId, NewHolder, NewPerson, PersonId, PlanId, Store};
use chrono::NaiveDate;

pub fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// The day the tests are "run" on.
pub fn today() -> NaiveDate {
    date(2026, 11, 25)
}

pub fn sum_line(category: Category, description: &str, amount: &str) -> LineDraft {
    LineDraft::sum(category, description, amount)
}

pub fn unit_line(
    category: Category,
    description: &str,
    quantity: &str,
    unit: Unit,
    per: Per,
    rate: &str,
) -> LineDraft {
    LineDraft::units(category, description, (quantity, unit, per, rate))
}

/// A plan from 1 Apr 2026 to 31 Mar 2027 funded by one NHS payment of
/// `budget`, with one line for all of it.
pub fn simple_plan(budget: &str) -> NewPlanDraft {
    NewPlanDraft {
        name: "Personal health budget 2026–27".into(),
        start_date: "1/4/2026".into(),
        end_date: "31/3/2027".into(),
        content: ContentDraft {
            streams: vec![StreamDraft {
                funder: Funder::Nhs,
                funder_name: "NHS Humber and North Yorkshire ICB".into(),
                management: Management::DirectPayment,
                amount: budget.into(),
                frequency: Frequency::Yearly,
                amount_is: AmountIs::EachPayment,
            }],
            outcomes: vec!["Stay well at home".into()],
            lines: vec![sum_line(Category::Other, "Support", budget)],
            reviews: vec![],
            status: PlanStatus::Agreed,
            agreed_on: "20/3/2026".into(),
            agreed_by: String::new(),
        },
    }
}

/// The acceptance plan: NHS Continuing Healthcare, £38,500 a year as a
/// direct payment, 20 hours a week of PA support at £14.50, employer costs,
/// respite, hydrotherapy, equipment, gym and a contingency; two outcomes.
pub fn chc_plan() -> NewPlanDraft {
    use Category::*;
    let mut pa = unit_line(
        PersonalAssistants,
        "Personal assistant support",
        "20",
        Unit::Hour,
        Per::Week,
        "£14.50",
    );
    pa.outcomes = vec![0, 1];
    let mut hydro = unit_line(
        Therapies,
        "Hydrotherapy",
        "48",
        Unit::Session,
        Per::Plan,
        "£45",
    );
    hydro.outcomes = vec![0];
    let mut gym = unit_line(
        ActivitiesAndWellbeing,
        "Gym membership",
        "12",
        Unit::Month,
        Per::Plan,
        "£32",
    );
    gym.outcomes = vec![0];
    let mut tax = sum_line(
        PayrollAndEmployerCosts,
        "Employer's tax and National Insurance",
        "£1,850",
    );
    tax.flexibility = Flexibility::Stated;
    NewPlanDraft {
        content: ContentDraft {
            outcomes: vec![
                "Get back to walking the dog".into(),
                "Fewer hospital stays".into(),
            ],
            lines: vec![
                pa,
                tax,
                sum_line(PayrollAndEmployerCosts, "Workplace pension", "£600"),
                sum_line(Insurance, "Employer's liability insurance", "£149"),
                sum_line(PayrollAndEmployerCosts, "Payroll service fees", "£234"),
                sum_line(Respite, "Respite care", "£12,000"),
                hydro,
                sum_line(Equipment, "Equipment", "£3,000"),
                gym,
                sum_line(Contingency, "Contingency", "£3,043"),
            ],
            reviews: default_reviews(date(2026, 4, 1), date(2027, 3, 31))
                .into_iter()
                .map(|review| ReviewDraft {
                    kind: review.kind,
                    due_on: review.due_on.to_string(),
                })
                .collect(),
            ..simple_plan("£38,500").content
        },
        ..simple_plan("£38,500")
    }
}

/// A person who uses the app.
pub fn person(store: &mut Store, name: &str) -> PersonId {
    store
        .add_person(&NewPerson { name: name.into() })
        .unwrap()
        .id
}

pub fn new_holder(name: &str, acting: PersonId) -> NewHolder {
    NewHolder {
        name: name.into(),
        date_of_birth: String::new(),
        nhs_number: String::new(),
        acting_person: acting,
        acting_role: ActingRole::Representative,
    }
}

/// A store with David Ellis acting for Margaret Ellis, who has `plan`.
pub fn store_with(plan: &NewPlanDraft) -> (Store, PersonId, HolderId, PlanId) {
    let mut store = Store::open_in_memory().unwrap();
    let david = person(&mut store, "David Ellis");
    let holder = store
        .add_holder(&new_holder("Margaret Ellis", david), today())
        .unwrap();
    let history = store.create_plan(holder.id, plan, david).unwrap();
    (store, david, holder.id, history.plan_id)
}

/// A payment by `by`, all of it on the plan's first line.
pub fn spending(on: &str, payee: &str, amount: &str, by: PersonId) -> PaymentDraft {
    PaymentDraft {
        paid_on: on.into(),
        payee: payee.into(),
        amount: amount.into(),
        how_paid: HowPaid::BankTransfer,
        reference: String::new(),
        cash_withdrawal: false,
        splits: vec![SplitDraft {
            line_key: LineKey(1),
            amount: String::new(),
        }],
        note: String::new(),
        no_evidence_reason: String::new(),
        recorded_by: by,
    }
}

/// Fails unless `result` is an invalid-input error on `field` whose
/// message contains `words`.
pub fn assert_invalid<T: std::fmt::Debug>(result: Result<T, Error>, field: &str, words: &str) {
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

/// Every row of every table, with its rowid, as SQLite holds it.
pub fn dump(
    path: &std::path::Path,
) -> std::collections::BTreeMap<String, Vec<Vec<rusqlite::types::Value>>> {
    let conn =
        rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap();
    let tables: Vec<String> = conn
        // Careledger's data: the tables derived from the ledger (its daily
        // totals, and the word index's virtual and shadow tables) are
        // rebuilt rather than copied, so may be laid out differently.
        .prepare(
            "SELECT name FROM pragma_table_list
             WHERE schema = 'main' AND type = 'table' AND name <> 'sqlite_schema'
               AND name NOT IN ('ledger_day', 'ledger_day_line')
             ORDER BY name",
        )
        .unwrap()
        .query_map([], |row| row.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    tables
        .into_iter()
        .map(|table| {
            let mut statement = conn
                .prepare(&format!("SELECT rowid, * FROM \"{table}\" ORDER BY rowid"))
                .unwrap();
            let width = statement.column_count();
            let rows = statement
                .query_map([], |row| {
                    (0..width)
                        .map(|i| row.get::<_, rusqlite::types::Value>(i))
                        .collect()
                })
                .unwrap()
                .collect::<Result<Vec<Vec<rusqlite::types::Value>>, _>>()
                .unwrap();
            (table, rows)
        })
        .collect()
}

/// The text of a PDF, as `pdftotext -layout` lays it out.
pub fn pdf_text(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("statement.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = std::process::Command::new("pdftotext")
        .args(["-layout"])
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (Debian's poppler-utils, which cargo xtask test installs)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The code and the words of a refusal; panics if it was not refused.
pub fn code_of<T>(result: careledger_core::Result<T>) -> (careledger_core::ErrorCode, String) {
    let Err(error) = result else {
        panic!("should be refused");
    };
    let report = careledger_core::ErrorReport::from(&error);
    (report.code, report.message)
}
