//! The app as a person uses it: in its real window, over WebDriver.
//!
//! Each test starts its own tauri-driver and app on a fresh data folder.
//! `cargo xtask test` runs them one at a time under Xvfb.

use std::error::Error;
use std::path::Path;

use careledger_core::store::DATABASE_FILE_NAME;
use careledger_core::{HolderOverview, NewHolder, NewPlan, NewSpending, Store};
use careledger_e2e::{App, Driver};
use chrono::{Days, Local, Months, NaiveDate};
use thirtyfour::prelude::*;

type TestResult = Result<(), Box<dyn Error>>;

fn today() -> NaiveDate {
    Local::now().date_naive()
}

/// A date the way a person types it: 25/11/2026.
fn typed(date: NaiveDate) -> String {
    date.format("%d/%m/%Y").to_string()
}

/// A plan that started 60 days ago and runs for a year.
fn plan_dates() -> (NaiveDate, NaiveDate) {
    let start = today() - Days::new(60);
    (start, start + Months::new(12) - Days::new(1))
}

fn open_store(data_dir: &Path) -> Store {
    Store::open(&data_dir.join(DATABASE_FILE_NAME)).expect("open the app's data with core")
}

/// What core computes for the only (or first) holder in the data folder.
fn core_overview(data_dir: &Path) -> HolderOverview {
    let store = open_store(data_dir);
    let holder = store.holders().expect("holders")[0].id;
    store.overview(holder, today()).expect("overview")
}

/// Puts a holder with a plan straight into the data folder through core.
fn seed_holder(store: &mut Store, name: &str) -> careledger_core::Plan {
    let holder = store.add_holder(&NewHolder { name: name.into() }).unwrap();
    let (start, end) = plan_dates();
    store
        .add_plan(
            holder.id,
            &NewPlan {
                name: "Personal health budget".into(),
                start_date: start.to_string(),
                end_date: end.to_string(),
                total_budget: "£38,500".into(),
            },
        )
        .unwrap()
}

async fn rows_in_spending_table(app: &App) -> WebDriverResult<usize> {
    Ok(app
        .driver
        .find_all(By::Css("#spending-table tbody tr"))
        .await?
        .len())
}

async fn log_payment(app: &App, on: NaiveDate, payee: &str, amount: &str) -> WebDriverResult<()> {
    app.fill("spending-paidOn", &typed(on)).await?;
    app.fill("spending-amount", amount).await?;
    app.fill("spending-payee", payee).await?;
    app.fill("spending-recordedBy", "David Ellis").await?;
    app.press("Save payment").await?;
    app.wait_for_text("status-message", &format!("paid to {payee}"))
        .await
}

/// The screen shows exactly core's figures for the data.
async fn assert_screen_matches_core(app: &App, data_dir: &Path) -> TestResult {
    let overview = core_overview(data_dir);
    let summary = overview.summary.expect("a plan");
    assert_eq!(
        app.text_of("figure-budget").await?,
        summary.budget.to_string()
    );
    assert_eq!(
        app.text_of("figure-spent").await?,
        summary.spent.to_string()
    );
    assert_eq!(app.text_of("figure-left").await?, summary.left.to_string());
    let time = app.text_of("progress-time").await?;
    assert!(
        time.contains(&format!(
            "{}% of the plan period has gone ({} of {} days)",
            summary.period_gone_percent, summary.days_gone, summary.days_in_period
        )),
        "{time:?}"
    );
    let money = app.text_of("progress-money").await?;
    assert!(
        money.contains(&format!(
            "{}% of the budget has been spent",
            summary.budget_spent_percent.unwrap()
        )),
        "{money:?}"
    );
    assert_eq!(rows_in_spending_table(app).await?, overview.spending.len());
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn a_carer_sets_up_a_plan_logs_spending_and_finds_it_after_a_restart() -> TestResult {
    let driver = Driver::start("main_flow");
    let data = tempfile::tempdir()?;
    let app = driver.launch(data.path()).await?;

    app.element("holder-name").await?;
    app.assert_accessible("welcome").await?;
    app.screenshot("01-welcome").await?;
    app.fill("holder-name", "Margaret Ellis").await?;
    app.press("Add this person").await?;
    app.wait_for_text("main-heading", "Margaret Ellis's budget")
        .await?;

    app.assert_accessible("plan set-up").await?;
    app.screenshot("02-plan-set-up").await?;
    let (start, end) = plan_dates();
    app.fill("plan-name", "Personal health budget 2026–27")
        .await?;
    app.fill("plan-startDate", &typed(start)).await?;
    app.fill("plan-endDate", &typed(end)).await?;
    app.fill("plan-totalBudget", "£38,500").await?;
    app.press("Save the plan").await?;
    app.wait_for_text("figure-budget", "£38,500.00").await?;
    assert_eq!(app.text_of("figure-spent").await?, "£0.00");

    log_payment(
        &app,
        today() - Days::new(50),
        "Joanne Pike (personal assistant)",
        "£1,160.00",
    )
    .await?;
    log_payment(
        &app,
        today() - Days::new(20),
        "Aqua Physio Hydrotherapy",
        "45.5",
    )
    .await?;
    log_payment(&app, today(), "Riverside Leisure Centre", "32").await?;

    let overview = core_overview(data.path());
    let summary = overview.summary.clone().expect("a plan");
    assert_eq!(
        summary.spent.pence(),
        116_000 + 4_550 + 3_200,
        "core stored what was typed"
    );
    assert_eq!(summary.payment_count, 3);
    assert!(overview
        .spending
        .iter()
        .all(|entry| entry.recorded_by == "David Ellis"));
    assert_screen_matches_core(&app, data.path()).await?;
    app.assert_accessible("budget").await?;
    app.screenshot("03-budget").await?;
    app.quit().await?;

    // Close and reopen: everything is still there.
    let app = driver.launch(data.path()).await?;
    app.wait_for_text("main-heading", "Margaret Ellis's budget")
        .await?;
    app.wait_for_text("figure-spent", &summary.spent.to_string())
        .await?;
    assert_screen_matches_core(&app, data.path()).await?;
    app.quit().await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_input_gets_a_clear_message_and_nothing_is_written() -> TestResult {
    let driver = Driver::start("bad_input");
    let data = tempfile::tempdir()?;
    let plan = seed_holder(&mut open_store(data.path()), "Margaret Ellis");
    let app = driver.launch(data.path()).await?;
    app.element("spending-amount").await?;

    let outside = plan.start_date - Days::new(1);
    let cases = [
        (
            "spending-amount",
            today(),
            "Gym",
            "12.345",
            "Use no more than two digits after the decimal point",
        ),
        (
            "spending-amount",
            today(),
            "Gym",
            "0",
            "Enter an amount of more than £0.00.",
        ),
        (
            "spending-payee",
            today(),
            "   ",
            "£10",
            "Enter who was paid.",
        ),
        (
            "spending-paidOn",
            outside,
            "Gym",
            "£10",
            "is outside the plan, which runs from",
        ),
    ];
    for (index, (field, on, payee, amount, message)) in cases.into_iter().enumerate() {
        app.fill("spending-paidOn", &typed(on)).await?;
        app.fill("spending-amount", amount).await?;
        app.fill("spending-payee", payee).await?;
        app.fill("spending-recordedBy", "David Ellis").await?;
        app.press("Save payment").await?;
        app.wait_for_text("spending-problem", message).await?;
        app.wait_for_text(&format!("{field}-error"), message)
            .await?;
        let input = app.element(field).await?;
        assert_eq!(
            input.attr("aria-invalid").await?.as_deref(),
            Some("true"),
            "{field} is marked invalid"
        );
        assert_eq!(
            app.focused_id().await?,
            field,
            "focus moves to the field at fault"
        );
        if index == 0 {
            app.assert_accessible("payment with an error").await?;
            app.screenshot("04-bad-input").await?;
        }
        assert!(
            open_store(data.path()).spending(plan.id)?.is_empty(),
            "nothing written for {amount:?}"
        );
        app.element("no-spending").await?;
    }
    app.quit().await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn everything_works_by_keyboard_alone_with_visible_focus() -> TestResult {
    let driver = Driver::start("keyboard");
    let data = tempfile::tempdir()?;
    let app = driver.launch(data.path()).await?;
    app.element("holder-name").await?;

    // Tab from the top: the skip link, then the name field.
    app.keys(Key::Tab).await?;
    app.keys(Key::Tab).await?;
    assert_eq!(app.focused_id().await?, "holder-name");
    let window_focused = app
        .driver
        .execute("return document.hasFocus();", vec![])
        .await?;
    assert_eq!(
        window_focused.json().as_bool(),
        Some(true),
        "the app window should have keyboard focus (under Xvfb the pointer must be over it)"
    );
    let outline = app
        .driver
        .execute(
            "return getComputedStyle(document.activeElement).outlineStyle;",
            vec![],
        )
        .await?;
    assert_ne!(
        outline.json().as_str(),
        Some("none"),
        "the focused field shows where focus is"
    );
    app.keys("Margaret Ellis").await?;
    app.keys(Key::Enter).await?;
    app.wait_for_text("main-heading", "Margaret Ellis's budget")
        .await?;

    let (start, end) = plan_dates();
    app.keys(Key::Tab).await?;
    assert_eq!(app.focused_id().await?, "plan-name");
    app.keys(Key::Tab).await?;
    app.keys(typed(start)).await?;
    app.keys(Key::Tab).await?;
    app.keys(typed(end)).await?;
    app.keys(Key::Tab).await?;
    app.keys("38500").await?;
    app.keys(Key::Enter).await?;
    app.wait_for_text("figure-budget", "£38,500.00").await?;

    // After saving the plan, focus waits in the first payment field, which
    // already holds today's date.
    assert_eq!(app.focused_id().await?, "spending-paidOn");
    app.keys(Key::Tab).await?;
    app.keys("290").await?;
    app.keys(Key::Tab).await?;
    app.keys("Joanne Pike").await?;
    app.keys(Key::Tab).await?;
    app.keys("Week 1").await?;
    app.keys(Key::Tab).await?;
    app.keys("David Ellis").await?;
    app.keys(Key::Enter).await?;
    app.wait_for_text("status-message", "Saved: £290.00 paid to Joanne Pike")
        .await?;
    assert_screen_matches_core(&app, data.path()).await?;
    assert_eq!(core_overview(data.path()).spending[0].note, "Week 1");
    app.quit().await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn each_persons_records_are_kept_apart() -> TestResult {
    let driver = Driver::start("two_holders");
    let data = tempfile::tempdir()?;
    {
        let mut store = open_store(data.path());
        for (name, payee) in [
            ("Amir Khan", "Paid for Amir"),
            ("Bella Khan", "Paid for Bella"),
        ] {
            let plan = seed_holder(&mut store, name);
            let payment = NewSpending {
                paid_on: today().to_string(),
                payee: payee.into(),
                amount: "£12.00".into(),
                note: String::new(),
                recorded_by: "Nadia Khan".into(),
            };
            store.add_spending(plan.id, &payment, today())?;
        }
    }
    let app = driver.launch(data.path()).await?;
    app.wait_for_text("main-heading", "Amir Khan's budget")
        .await?;
    app.wait_for_text("spending-table", "Paid for Amir").await?;
    assert!(!app.text_of("spending-table").await?.contains("Bella"));

    let picker = app.element("holder-select").await?;
    thirtyfour::components::SelectElement::new(&picker)
        .await?
        .select_by_visible_text("Bella Khan")
        .await?;
    app.wait_for_text("main-heading", "Bella Khan's budget")
        .await?;
    app.wait_for_text("spending-table", "Paid for Bella")
        .await?;
    assert!(!app.text_of("spending-table").await?.contains("Amir"));
    assert_eq!(rows_in_spending_table(&app).await?, 1);
    app.quit().await?;
    Ok(())
}

/// Guards the guard: if axe stopped running in the window, every audit
/// above would pass without checking anything.
#[tokio::test(flavor = "multi_thread")]
async fn the_accessibility_audit_catches_a_real_fault() -> TestResult {
    let driver = Driver::start("axe_self_check");
    let data = tempfile::tempdir()?;
    let app = driver.launch(data.path()).await?;
    app.element("holder-name").await?;
    app.assert_accessible("welcome").await?;
    app.driver
        .execute(
            "const main = document.querySelector('main');
             main.append(document.createElement('input'));
             main.append(document.createElement('button'));",
            vec![],
        )
        .await?;
    let violations = app.axe_violations().await?;
    let rules: Vec<&str> = violations
        .iter()
        .map(|violation| violation.id.as_str())
        .collect();
    assert!(
        rules.contains(&"label"),
        "an unlabelled field is caught: {rules:?}"
    );
    assert!(
        rules.contains(&"button-name"),
        "a button with no name is caught: {rules:?}"
    );
    app.quit().await?;
    Ok(())
}
