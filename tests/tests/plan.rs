//! The agreed plan, set up and revised in the real window.

mod common;

use careledger_core::store::DATABASE_FILE_NAME;
use careledger_core::Store;
use careledger_e2e::{App, Driver};
use chrono::{Datelike, Days, Months, NaiveDate};
use common::*;
use thirtyfour::prelude::*;

/// A plan that started on the first of the month five months ago, so that
/// its 3-month review has passed.
fn chc_dates() -> (NaiveDate, NaiveDate) {
    let start = (today() - Months::new(5))
        .with_day(1)
        .expect("first of the month");
    (start, start + Months::new(12) - Days::new(1))
}

struct Line<'a> {
    category: &'a str,
    description: &'a str,
    provider: &'a str,
    /// A sum, or (quantity, unit, per, rate).
    cost: Cost<'a>,
    outcomes: &'a [u32],
    stated: bool,
}

enum Cost<'a> {
    Sum(&'a str),
    Units(&'a str, &'a str, &'a str, &'a str),
}

const CHC_LINES: &[Line<'static>] = &[
    Line {
        category: "Personal assistants",
        description: "Personal assistant support",
        provider: "Joanne Pike",
        cost: Cost::Units("20", "hours", "a week", "£14.50"),
        outcomes: &[0, 1],
        stated: false,
    },
    Line {
        category: "Payroll and employer costs",
        description: "Employer's tax and National Insurance",
        provider: "HMRC",
        cost: Cost::Sum("£1,850"),
        outcomes: &[],
        stated: true,
    },
    Line {
        category: "Payroll and employer costs",
        description: "Workplace pension",
        provider: "NEST",
        cost: Cost::Sum("£600"),
        outcomes: &[],
        stated: false,
    },
    Line {
        category: "Insurance",
        description: "Employer's liability insurance",
        provider: "",
        cost: Cost::Sum("£149"),
        outcomes: &[],
        stated: false,
    },
    Line {
        category: "Payroll and employer costs",
        description: "Payroll service fees",
        provider: "Carefree Payroll Ltd",
        cost: Cost::Sum("£234"),
        outcomes: &[],
        stated: false,
    },
    Line {
        category: "Respite and short breaks",
        description: "Respite care",
        provider: "",
        cost: Cost::Sum("£12,000"),
        outcomes: &[1],
        stated: false,
    },
    Line {
        category: "Therapies",
        description: "Hydrotherapy",
        provider: "Aqua Physio",
        cost: Cost::Units("48", "sessions", "for the whole plan", "£45"),
        outcomes: &[0],
        stated: false,
    },
    Line {
        category: "Equipment",
        description: "Equipment",
        provider: "",
        cost: Cost::Sum("£3,000"),
        outcomes: &[1],
        stated: false,
    },
    Line {
        category: "Activities and wellbeing",
        description: "Gym membership",
        provider: "Riverside Leisure Centre",
        cost: Cost::Units("12", "months", "for the whole plan", "£32"),
        outcomes: &[0],
        stated: false,
    },
    Line {
        category: "Contingency",
        description: "Contingency",
        provider: "",
        cost: Cost::Sum("£3,043"),
        outcomes: &[],
        stated: false,
    },
];

async fn fill_line(app: &App, i: usize, line: &Line<'_>) -> WebDriverResult<()> {
    let id = |name: &str| format!("plan-lines.{i}.{name}");
    app.choose(&id("category"), line.category).await?;
    app.fill(&id("description"), line.description).await?;
    app.fill(&id("provider"), line.provider).await?;
    match line.cost {
        Cost::Sum(amount) => app.fill(&id("amount"), amount).await?,
        Cost::Units(quantity, unit, per, rate) => {
            pick(app, &id("costing"), "units").await?;
            app.fill(&id("quantity"), quantity).await?;
            app.choose(&id("unit"), unit).await?;
            app.choose(&id("per"), per).await?;
            app.fill(&id("rate"), rate).await?;
        }
    }
    if line.stated {
        pick(app, &id("flexibility"), "stated").await?;
    }
    for outcome in line.outcomes {
        let checkbox = app
            .driver
            .find(By::Css(format!(
                "[id=\"{}\"] input[value=\"{outcome}\"]",
                id("outcomes")
            )))
            .await?;
        app.click(&checkbox).await?;
    }
    Ok(())
}

/// Audits and photographs a set-up step.
async fn look_at(app: &App, step: &str, shot: &str) -> WebDriverResult<()> {
    at_step(app, step).await?;
    app.assert_accessible(step).await?;
    app.screenshot(shot).await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn a_chc_plan_is_set_up_revised_at_three_months_and_both_versions_read() -> TestResult {
    let driver = Driver::start("chc_plan");
    let data = tempfile::tempdir()?;
    let app = driver.launch(data.path()).await?;
    continue_as(&app, "David Ellis").await?;
    app.fill("holder-nhsNumber", "943 476 5919").await?;
    app.fill("holder-dateOfBirth", "14/3/1951").await?;
    add_holder(
        &app,
        "Margaret Ellis",
        "Representative (acts for a child or someone who lacks capacity)",
    )
    .await?;
    app.wait_for_text("status-message", "Margaret Ellis has been added.")
        .await?;
    let (start, end) = chc_dates();

    look_at(&app, "About the plan", "10-plan-about").await?;
    app.fill("plan-name", "NHS Continuing Healthcare budget")
        .await?;
    app.fill("plan-startDate", &typed(start)).await?;
    app.fill("plan-endDate", &typed(end)).await?;
    app.press("Continue").await?;

    look_at(&app, "Where the money comes from", "11-plan-funding").await?;
    // The person has moved on: the news of adding Margaret is gone.
    assert_eq!(
        status_now(&app).await?,
        "",
        "\"has been added\" goes once the set-up moves on"
    );
    app.fill(
        "plan-streams.0.funderName",
        "NHS Humber and North Yorkshire ICB",
    )
    .await?;
    app.fill("plan-streams.0.amount", "£38,500").await?;
    app.choose("plan-streams.0.frequency", "Once a year")
        .await?;
    app.press("Continue").await?;

    look_at(&app, "What matters", "12-plan-outcomes").await?;
    app.fill("plan-outcomes.0.text", "Get back to walking the dog")
        .await?;
    app.press("Add an outcome").await?;
    app.fill("plan-outcomes.1.text", "Fewer hospital stays")
        .await?;
    app.press("Continue").await?;

    at_step(&app, "The agreed support").await?;
    for (i, line) in CHC_LINES.iter().enumerate() {
        app.press("Add a budget line").await?;
        fill_line(&app, i, line).await?;
    }
    // The running total keeps up as lines are typed, with no button.
    app.wait_for_text("lines-totals", "They add up to the funding exactly.")
        .await?;
    look_at(&app, "The agreed support", "13-plan-lines").await?;
    app.press("Continue").await?;

    look_at(&app, "Review dates", "14-plan-reviews").await?;
    // An agreed plan says when it was agreed, and by whom.
    app.press("Continue").await?;
    app.wait_for_text("plan-agreedOn-error", "Enter the day the plan was agreed")
        .await?;
    app.fill("plan-agreedOn", &typed(start - Days::new(10)))
        .await?;
    app.fill("plan-agreedBy", "Jo Patel, CHC case manager")
        .await?;
    assert_eq!(
        app.element("plan-reviews.0.dueOn")
            .await?
            .value()
            .await?
            .as_deref(),
        Some(typed(start + Months::new(3)).as_str())
    );
    app.press("Continue").await?;

    look_at(&app, "Check and save", "15-plan-check").await?;
    app.wait_for_text("check-funding-total", "£38,500.00")
        .await?;
    app.wait_for_text("check-allocated-total", "£38,500.00")
        .await?;
    app.press("Save the plan").await?;
    app.wait_for_text("figure-budget", "£38,500.00").await?;

    // What core stored is what was typed.
    let store = Store::open(&data.path().join(DATABASE_FILE_NAME))?;
    let holder = store.holders()?[0].clone();
    assert_eq!(holder.nhs_number.as_deref(), Some("943 476 5919"));
    let plan_id = store.plan_of(holder.id)?.expect("a plan").id;
    let details = store.plan_details(plan_id, today())?;
    let version_1 = &details.history.versions[0];
    assert_eq!(version_1.content.lines.len(), CHC_LINES.len());
    assert_eq!(
        version_1.content.outcomes,
        ["Get back to walking the dog", "Fewer hospital stays"]
    );
    assert_eq!(details.figures[0].unallocated.pence(), 0);
    drop(store);

    // A payment in month 2.
    let month_two = start + Months::new(1) + Days::new(9);
    log_payment(&app, month_two, "Joanne Pike", "£1,160").await?;

    // The 3-month review puts the PA hours up to 24 a week.
    app.press("The plan").await?;
    app.wait_for_text("plan-page-heading", "NHS Continuing Healthcare budget")
        .await?;
    app.assert_accessible("plan").await?;
    app.screenshot("16-plan-page").await?;
    app.press("Revise the plan after a review").await?;
    look_at(&app, "The review", "17-revise-review").await?;
    let review_day = start + Months::new(3);
    app.fill("plan-effectiveFrom", &typed(review_day)).await?;
    app.fill(
        "plan-reason",
        "3-month review: personal assistant hours up to 24 a week",
    )
    .await?;
    app.press("Continue").await?;
    at_step(&app, "Where the money comes from").await?;
    app.press("Continue").await?;
    at_step(&app, "What matters").await?;
    app.press("Continue").await?;
    at_step(&app, "The agreed support").await?;
    // Lines carried over show as one row each; their details open on demand.
    app.wait_for_text("lines-table", "20 hours a week at £14.50 for 52 weeks")
        .await?;
    app.press("Change line 1").await?;
    assert_eq!(
        app.element("plan-lines.0.quantity")
            .await?
            .value()
            .await?
            .as_deref(),
        Some("20"),
        "starts from version 1"
    );
    app.fill("plan-lines.0.quantity", "24").await?;
    app.wait_for_text("line-0-allocation", "£18,096.00").await?;
    app.press("Continue").await?;
    at_step(&app, "Review dates").await?;
    app.fill("plan-agreedOn", &typed(review_day)).await?;
    app.press("Continue").await?;
    look_at(&app, "Check and save", "18-revise-check").await?;
    app.press("Save the new version").await?;
    app.wait_for_text("status-message", "Version 2 of the plan has been saved")
        .await?;

    // Both versions read back.
    app.wait_for_text("version-heading", "Version 2").await?;
    app.wait_for_text("page-lines-table", "24 hours a week at £14.50")
        .await?;
    app.choose(
        "version-select",
        &format!(
            "Version 1: {} to {}",
            start.format("%-d %b %Y"),
            (review_day - Days::new(1)).format("%-d %b %Y")
        ),
    )
    .await?;
    app.wait_for_text("version-heading", "Version 1").await?;
    app.wait_for_text("page-lines-table", "20 hours a week at £14.50")
        .await?;
    app.assert_accessible("plan, version 1").await?;
    app.screenshot("19-plan-version-1").await?;

    // The month-2 payment is measured against version 1; a later one
    // against version 2.
    log_payment(&app, review_day + Days::new(13), "Joanne Pike", "£1,392").await?;
    let rows = app
        .driver
        .find_all(By::Css("#spending-table tbody tr"))
        .await?;
    assert_eq!(rows.len(), 2);
    assert!(
        rows[0].text().await?.contains("Version 2"),
        "{}",
        rows[0].text().await?
    );
    assert!(
        rows[1].text().await?.contains("Version 1"),
        "{}",
        rows[1].text().await?
    );
    assert_eq!(
        core_payments(data.path())
            .iter()
            .map(|e| e.version_number)
            .collect::<Vec<_>>(),
        [2, 1]
    );
    assert_screen_matches_core(&app, data.path()).await?;
    app.screenshot("20-budget-after-revision").await?;
    app.quit().await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn a_plan_is_set_up_by_keyboard_alone() -> TestResult {
    let driver = Driver::start("keyboard_plan");
    let data = tempfile::tempdir()?;
    seed_holders(data.path(), &["Margaret Ellis"]);
    let app = driver.launch(data.path()).await?;
    app.element("person-heading").await?;
    app.tab_to("person-continue", 10).await?;
    app.keys(Key::Enter).await?;
    at_step(&app, "About the plan").await?;

    let (start, end) = plan_dates();
    app.tab_to("plan-name", 20).await?;
    app.keys(Key::Control + "a").await?;
    app.keys("Personal health budget").await?;
    app.keys(Key::Tab).await?;
    app.keys(typed(start)).await?;
    app.keys(Key::Tab).await?;
    app.keys(typed(end)).await?;
    app.keys(Key::Enter).await?;

    // Each Continue takes the focus to the next step's heading.
    at_step(&app, "Where the money comes from").await?;
    wait_for_focus(&app, "wizard-step-heading").await?;
    app.tab_to("plan-streams.0.funderName", 10).await?;
    app.keys("NHS Humber and North Yorkshire ICB").await?;
    // The plan gives the year's sum; core pays it in 13 four-weekly
    // instalments that come to it exactly.
    app.tab_to("plan-streams.0.amount", 8).await?;
    app.keys("£38,500").await?;
    app.keys(Key::Enter).await?;

    at_step(&app, "What matters").await?;
    wait_for_focus(&app, "wizard-step-heading").await?;
    app.tab_to("plan-outcomes.0.text", 10).await?;
    app.keys("Keep living in my own home").await?;
    // Adding one goes to its box; removing it, to the one before.
    app.tab_to("add-outcome", 10).await?;
    app.keys(Key::Enter).await?;
    wait_for_focus(&app, "plan-outcomes.1.text").await?;
    app.keys("Something to remove").await?;
    app.tab_to("remove-outcome-1", 5).await?;
    app.keys(Key::Enter).await?;
    wait_for_focus(&app, "plan-outcomes.0.text").await?;
    app.tab_to("wizard-next", 10).await?;
    app.keys(Key::Enter).await?;

    at_step(&app, "The agreed support").await?;
    wait_for_focus(&app, "wizard-step-heading").await?;
    app.tab_to("add-line", 10).await?;
    app.keys(Key::Enter).await?;
    app.tab_to("plan-lines.0.description", 5).await?;
    app.keys("Personal assistant support").await?;
    app.tab_to("plan-lines.0.amount", 5).await?;
    app.keys("£38,500").await?;
    app.tab_to("wizard-next", 20).await?;
    app.keys(Key::Enter).await?;

    at_step(&app, "Review dates").await?;
    wait_for_focus(&app, "wizard-step-heading").await?;
    app.tab_to("plan-agreedOn", 20).await?;
    app.keys(typed(start)).await?;
    app.tab_to("wizard-next", 20).await?;
    app.keys(Key::Enter).await?;
    at_step(&app, "Check and save").await?;
    wait_for_focus(&app, "wizard-step-heading").await?;
    app.wait_for_text("check-difference", "add up to the funding exactly")
        .await?;
    app.tab_to("wizard-next", 40).await?;
    app.keys(Key::Enter).await?;
    app.wait_for_text("figure-budget", "£38,500.00").await?;
    let overview = core_overview(data.path());
    assert_eq!(
        overview.summary.expect("a plan").budget.pence(),
        3_850_000,
        "13 four-weekly instalments, exactly the year's sum"
    );
    app.quit().await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_plan_input_is_refused_at_its_step_and_nothing_is_written() -> TestResult {
    let driver = Driver::start("bad_plan");
    let data = tempfile::tempdir()?;
    seed_holders(data.path(), &["Margaret Ellis"]);
    let app = driver.launch(data.path()).await?;
    continue_as(&app, "David Ellis").await?;
    let (start, end) = plan_dates();

    at_step(&app, "About the plan").await?;
    app.fill("plan-startDate", &typed(start)).await?;
    app.fill("plan-endDate", &typed(start - Days::new(1)))
        .await?;
    app.press("Continue").await?;
    app.wait_for_text("plan-endDate-error", "The plan must end after it starts")
        .await?;
    assert_eq!(app.focused_id().await?, "plan-endDate");
    app.fill("plan-endDate", &typed(end)).await?;
    app.press("Continue").await?;

    at_step(&app, "Where the money comes from").await?;
    app.fill("plan-streams.0.funderName", "NHS").await?;
    app.fill("plan-streams.0.amount", "£38,500").await?;
    app.press("Continue").await?;
    at_step(&app, "What matters").await?;
    app.fill("plan-outcomes.0.text", "Stay at home").await?;
    app.press("Continue").await?;

    at_step(&app, "The agreed support").await?;
    app.press("Add a budget line").await?;
    app.paste(
        "plan-lines.0.description",
        &"Very long description ".repeat(455),
    )
    .await?;
    app.fill("plan-lines.0.amount", "-£100").await?;
    app.press("Continue").await?;
    app.wait_for_text("plan-lines.0.description-error", "too long")
        .await?;
    app.fill("plan-lines.0.description", "Personal assistant")
        .await?;
    app.press("Continue").await?;
    app.wait_for_text(
        "plan-lines.0.amount-error",
        "Enter the amount without a minus sign.",
    )
    .await?;
    pick(&app, "plan-lines.0.costing", "units").await?;
    app.fill("plan-lines.0.quantity", "20").await?;
    app.fill("plan-lines.0.rate", "£14.505").await?;
    app.press("Continue").await?;
    app.wait_for_text(
        "plan-lines.0.rate-error",
        "Use no more than two digits after the decimal point",
    )
    .await?;
    assert_eq!(app.focused_id().await?, "plan-lines.0.rate");
    app.assert_accessible("budget line with an error").await?;
    app.screenshot("21-plan-line-error").await?;
    assert!(
        open_store(data.path())
            .plan_of(careledger_core::HolderId(1))?
            .is_none(),
        "nothing written"
    );
    app.quit().await?;
    Ok(())
}
