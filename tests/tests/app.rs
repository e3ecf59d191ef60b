//! The walking skeleton as a person uses it: in its real window, over
//! WebDriver. Each test starts its own tauri-driver and app on a fresh data
//! folder; `cargo xtask test` runs them one at a time.

mod common;

use careledger_core::records::Records;
use careledger_e2e::{App, Driver};
use chrono::Days;
use common::*;
use thirtyfour::prelude::*;

/// Sets up a plan through the steps: one yearly NHS payment and one line.
async fn set_up_simple_plan(app: &App, budget: &str) -> WebDriverResult<()> {
    let (start, end) = plan_dates();
    at_step(app, "About the plan").await?;
    app.fill("plan-name", "Personal health budget 2026–27")
        .await?;
    app.fill("plan-startDate", &typed(start)).await?;
    app.fill("plan-endDate", &typed(end)).await?;
    app.press("Continue").await?;
    at_step(app, "Where the money comes from").await?;
    app.fill(
        "plan-streams.0.funderName",
        "NHS Humber and North Yorkshire ICB",
    )
    .await?;
    app.fill("plan-streams.0.amount", budget).await?;
    app.choose("plan-streams.0.frequency", "Once a year")
        .await?;
    app.press("Continue").await?;
    at_step(app, "What matters").await?;
    app.fill("plan-outcomes.0.text", "Get back to walking the dog")
        .await?;
    app.press("Continue").await?;
    at_step(app, "The agreed support").await?;
    app.press("Add a budget line").await?;
    app.fill("plan-lines.0.description", "Personal assistant support")
        .await?;
    app.fill("plan-lines.0.amount", budget).await?;
    app.press("Continue").await?;
    at_step(app, "Review dates").await?;
    app.fill("plan-agreedOn", &typed(start - Days::new(14)))
        .await?;
    app.press("Continue").await?;
    at_step(app, "Check and save").await?;
    app.press("Save the plan").await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_carer_sets_up_a_plan_logs_spending_and_finds_it_after_a_restart() -> TestResult {
    let driver = Driver::start("main_flow");
    let data = tempfile::tempdir()?;
    let app = driver.launch(data.path()).await?;

    app.element("person-name").await?;
    app.assert_accessible("who is using").await?;
    app.screenshot("01-who-is-using").await?;
    continue_as(&app, "David Ellis").await?;

    app.element("holder-name").await?;
    app.assert_accessible("add a holder").await?;
    app.screenshot("02-add-holder").await?;
    add_holder(
        &app,
        "Margaret Ellis",
        "Representative (acts for a child or someone who lacks capacity)",
    )
    .await?;

    set_up_simple_plan(&app, "£38,500").await?;
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
    assert!(core_payments(data.path())
        .iter()
        .all(|entry| entry.recorded_by == "David Ellis"));
    assert_eq!(overview.acting[0].name, "David Ellis");
    assert_screen_matches_core(&app, data.path()).await?;
    app.assert_accessible("budget").await?;
    app.screenshot("03-budget").await?;
    app.quit().await?;

    // Close and reopen: everything is still there, and the app offers the
    // person who used it last.
    let app = driver.launch(data.path()).await?;
    continue_as(&app, "David Ellis").await?;
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
    let (_, plans) = seed(data.path(), &["Margaret Ellis"]);
    let plan = open_store(data.path()).plan(plans[0])?;
    let app = driver.launch(data.path()).await?;
    continue_as(&app, "David Ellis").await?;
    open_tab(&app, "tab-spending").await?;
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
        app.press("Save").await?;
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
            open_store(data.path()).payments(plan.id)?.is_empty(),
            "nothing written for {amount:?}"
        );
        app.element("no-spending").await?;
    }

    // Several fields wrong at once: each says what is wrong, the summary
    // lists them all, and the focus goes to the first.
    app.fill("spending-paidOn", &typed(outside)).await?;
    app.fill("spending-amount", "12.345").await?;
    app.fill("spending-payee", "   ").await?;
    app.press("Save").await?;
    app.wait_for_text("spending-problem", "There are 3 things to change")
        .await?;
    for (field, message) in [
        ("spending-paidOn", "is outside the plan"),
        ("spending-payee", "Enter who was paid."),
        ("spending-amount", "no more than two digits"),
    ] {
        app.wait_for_text(&format!("{field}-error"), message)
            .await?;
        app.wait_for_text("spending-problem", message).await?;
    }
    assert_eq!(app.focused_id().await?, "spending-paidOn");
    app.assert_accessible("payment with three errors").await?;
    app.screenshot("04b-bad-input-three").await?;
    assert!(open_store(data.path()).payments(plan.id)?.is_empty());
    app.quit().await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn a_payment_is_logged_by_keyboard_alone_with_visible_focus() -> TestResult {
    let driver = Driver::start("keyboard_payment");
    let data = tempfile::tempdir()?;
    seed(data.path(), &["Margaret Ellis"]);
    let app = driver.launch(data.path()).await?;
    app.element("person-heading").await?;
    let window_focused = app
        .driver
        .execute("return document.hasFocus();", vec![])
        .await?;
    assert_eq!(
        window_focused.json().as_bool(),
        Some(true),
        "the app window should have keyboard focus (under Xvfb the pointer must be over it)"
    );

    // David is offered (he is the only person): Tab to Continue, press Enter.
    app.tab_to("person-continue", 10).await?;
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
        "the focused control shows where focus is"
    );
    app.keys(Key::Enter).await?;
    app.wait_for_text("current-person", "David Ellis").await?;

    app.tab_to("tab-spending", 20).await?;
    app.keys(Key::Enter).await?;
    app.tab_to("spending-paidOn", 40).await?;
    app.keys(Key::Tab).await?;
    assert_eq!(app.focused_id().await?, "spending-payee");
    app.keys("Joanne Pike").await?;
    app.keys(Key::Tab).await?;
    assert_eq!(app.focused_id().await?, "spending-amount");
    app.keys("290").await?;
    app.tab_to("spending-note", 10).await?;
    app.keys("Week 1").await?;
    app.keys(Key::Enter).await?; // a new line in the note
    app.keys("Timesheet signed").await?;
    app.tab_to("spending-save", 20).await?;
    app.keys(Key::Enter).await?;
    app.wait_for_text("status-message", "Saved £290.00 to Joanne Pike on")
        .await?;
    // "Save" (not "Save and add another") takes the focus to what was saved.
    wait_for_focus(&app, "status-message").await?;
    assert_screen_matches_core(&app, data.path()).await?;
    assert_eq!(
        core_payments(data.path())[0].note,
        "Week 1\nTimesheet signed"
    );
    app.quit().await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn each_persons_records_are_kept_apart() -> TestResult {
    let driver = Driver::start("two_holders");
    let data = tempfile::tempdir()?;
    let (david, plans) = seed(data.path(), &["Amir Khan", "Bella Khan"]);
    {
        let mut store = open_store(data.path());
        for (plan, payee) in plans.iter().zip(["Paid for Amir", "Paid for Bella"]) {
            let payment = card_payment(today(), payee, "£12.00", david);
            store.record_payment(*plan, &payment, today())?;
        }
    }
    let app = driver.launch(data.path()).await?;
    continue_as(&app, "David Ellis").await?;
    app.wait_for_text("main-heading", "Amir Khan's budget")
        .await?;
    open_tab(&app, "tab-spending").await?;
    app.wait_for_text("spending-table", "Paid for Amir").await?;
    assert!(!app.text_of("spending-table").await?.contains("Bella"));

    app.choose("holder-select", "Bella Khan").await?;
    app.wait_for_text("main-heading", "Bella Khan's budget")
        .await?;
    open_tab(&app, "tab-spending").await?;
    app.wait_for_text("spending-table", "Paid for Bella")
        .await?;
    assert!(!app.text_of("spending-table").await?.contains("Amir"));
    assert_eq!(rows_in_spending_table(&app).await?, 1);

    // The plan page, too, is Bella's alone.
    app.press("The plan").await?;
    app.wait_for_text("plan-page-heading", "Personal health budget")
        .await?;
    let page = app.text_of("main").await?;
    assert!(
        page.contains("Bella Khan") && !page.contains("Amir"),
        "{page}"
    );
    app.quit().await?;
    Ok(())
}

/// Guards the guard: if axe stopped running in the window, every audit
/// would pass without checking anything.
#[tokio::test(flavor = "multi_thread")]
async fn the_accessibility_audit_catches_a_real_fault() -> TestResult {
    let driver = Driver::start("axe_self_check");
    let data = tempfile::tempdir()?;
    let app = driver.launch(data.path()).await?;
    app.element("person-name").await?;
    app.assert_accessible("who is using").await?;
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
