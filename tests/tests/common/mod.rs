//! Scenario helpers shared by the end-to-end tests.
#![allow(dead_code)]

use careledger_core::records::Records;
use careledger_core::views::Views;
use std::path::Path;

use careledger_core::plan::*;
use careledger_core::plan_forms::{ContentDraft, LineDraft, NewPlanDraft, StreamDraft};
use careledger_core::store::DATABASE_FILE_NAME;
use careledger_core::{HolderId, HolderOverview, NewHolder, NewPerson, PersonId, PlanId, Store};
use careledger_e2e::{xpath_literal, App};
use chrono::{Days, Local, Months, NaiveDate};
use thirtyfour::prelude::*;

pub type TestResult = Result<(), Box<dyn std::error::Error>>;

pub fn today() -> NaiveDate {
    Local::now().date_naive()
}

/// A date the way a person types it: 25/11/2026.
pub fn typed(date: NaiveDate) -> String {
    date.format("%d/%m/%Y").to_string()
}

/// A plan that started 60 days ago and runs for a year.
pub fn plan_dates() -> (NaiveDate, NaiveDate) {
    let start = today() - Days::new(60);
    (start, start + Months::new(12) - Days::new(1))
}

pub fn open_store(data_dir: &Path) -> Store {
    Store::open(&data_dir.join(DATABASE_FILE_NAME)).expect("open the app's data with core")
}

/// What core computes for the first holder in the data folder.
pub fn core_overview(data_dir: &Path) -> HolderOverview {
    let store = open_store(data_dir);
    let holder = store.holders().expect("holders")[0].id;
    store.overview(holder, today()).expect("overview")
}

/// Every payment of the first holder's plan, as core has them, newest first.
pub fn core_payments(data_dir: &Path) -> Vec<careledger_core::ledger::Payment> {
    let store = open_store(data_dir);
    let holder = store.holders().expect("holders")[0].id;
    let plan = store.plan_of(holder).expect("plan").expect("a plan").id;
    store.payments(plan).expect("payments")
}

/// A plan over `plan_dates()` funded by one yearly NHS payment of `budget`,
/// all of it on one line.
pub fn simple_plan(budget: &str) -> NewPlanDraft {
    let (start, end) = plan_dates();
    NewPlanDraft {
        name: "Personal health budget".into(),
        start_date: start.to_string(),
        end_date: end.to_string(),
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
            lines: vec![LineDraft::sum(
                Category::PersonalAssistants,
                "Personal assistant support",
                budget,
            )
            .serving(&[0])],
            reviews: vec![],
            status: PlanStatus::Agreed,
            agreed_on: "20/3/2026".into(),
            agreed_by: String::new(),
        },
    }
}

/// On the statement screen, chooses a period: one of the ready-made ones by
/// its place ("0" for the first), or "other" for dates of one's own.
pub async fn choose_statement_period(app: &App, value: &str) -> WebDriverResult<()> {
    let choice = app
        .driver
        .find(By::XPath(format!(
            "//input[@name='statement-period' and @value={}]",
            xpath_literal(value)
        )))
        .await?;
    app.click(&choice).await
}

/// A card payment on the plan's first line, on `on`, to record through
/// core: what the scenarios seed before the window opens.
pub fn card_payment(
    on: NaiveDate,
    payee: &str,
    amount: &str,
    by: PersonId,
) -> careledger_core::ledger::PaymentDraft {
    use careledger_core::ledger::{HowPaid, LineKey, PaymentDraft, SplitDraft};
    PaymentDraft {
        paid_on: typed(on),
        payee: payee.into(),
        amount: amount.into(),
        how_paid: HowPaid::Card,
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

/// Puts David Ellis (who uses the app) and holders with simple plans
/// straight into the data folder through core.
pub fn seed(data_dir: &Path, holders: &[&str]) -> (PersonId, Vec<PlanId>) {
    let (mut store, david, ids) = seed_holders(data_dir, holders);
    let plans = ids
        .into_iter()
        .map(|holder| {
            store
                .create_plan(holder, &simple_plan("£38,500"), david)
                .unwrap()
                .plan_id
        })
        .collect();
    (david, plans)
}

/// Puts David Ellis and holders without plans into the data folder.
pub fn seed_holders(data_dir: &Path, holders: &[&str]) -> (Store, PersonId, Vec<HolderId>) {
    let mut store = open_store(data_dir);
    let david = store
        .add_person(&NewPerson {
            name: "David Ellis".into(),
        })
        .unwrap()
        .id;
    let ids = holders
        .iter()
        .map(|name| {
            let form = NewHolder {
                name: (*name).into(),
                date_of_birth: String::new(),
                nhs_number: String::new(),
                acting_person: david,
                acting_role: ActingRole::Representative,
            };
            store.add_holder(&form, today()).unwrap().id
        })
        .collect();
    (store, david, ids)
}

/// On the "who is using Careledger" screen: choose `name` if listed, or
/// add them as someone new, and continue.
pub async fn continue_as(app: &App, name: &str) -> WebDriverResult<()> {
    app.element("person-heading").await?;
    let listed = app
        .driver
        .find_all(By::XPath(format!(
            "//label[normalize-space(.)={}]/input",
            xpath_literal(name)
        )))
        .await?;
    match listed.first() {
        Some(radio) => app.click(radio).await?,
        None => {
            if let Ok(new) = app.driver.find(By::Id("person-new")).await {
                app.click(&new).await?;
            }
            app.fill("person-name", name).await?;
        }
    }
    app.press("Continue").await?;
    app.wait_for_text("current-person", name).await
}

/// Adds a holder on the holder form, acting for them as `role_label`.
pub async fn add_holder(app: &App, name: &str, role_label: &str) -> WebDriverResult<()> {
    app.fill("holder-name", name).await?;
    app.driver
        .find(By::XPath(format!(
            "//fieldset[@id='holder-actingRole']//label[normalize-space(.)={}]/input",
            xpath_literal(role_label)
        )))
        .await?
        .click()
        .await?;
    app.press("Add this person").await?;
    app.wait_for_text("main-heading", &format!("{name}'s budget"))
        .await
}

/// Waits for the set-up step headed `title`.
pub async fn at_step(app: &App, title: &str) -> WebDriverResult<()> {
    app.wait_for_text("wizard-step-heading", title).await
}

/// Clicks the radio button `value` of the group `name`.
pub async fn pick(app: &App, name: &str, value: &str) -> WebDriverResult<()> {
    let choice = app
        .driver
        .find(By::Css(format!(
            "input[name=\"{name}\"][value=\"{value}\"]"
        )))
        .await?;
    app.click(&choice).await
}

pub async fn rows_in_spending_table(app: &App) -> WebDriverResult<usize> {
    Ok(app
        .driver
        .find_all(By::Css("#spending-table tbody tr"))
        .await?
        .len())
}

/// Goes to a section by its tab: "tab-budget", "tab-spending",
/// "tab-money-in" or "tab-plan".
pub async fn open_tab(app: &App, tab: &str) -> WebDriverResult<()> {
    app.click(&app.element(tab).await?).await?;
    app.element("main-heading").await?;
    Ok(())
}

/// Logs a payment on the "Money spent" section, charged to the line chosen
/// by default (the plan's first).
pub async fn log_payment(
    app: &App,
    on: NaiveDate,
    payee: &str,
    amount: &str,
) -> WebDriverResult<()> {
    if app.driver.find(By::Id("spending-paidOn")).await.is_err() {
        open_tab(app, "tab-spending").await?;
    }
    let rows_before = rows_in_spending_table(app).await?;
    app.fill("spending-paidOn", &typed(on)).await?;
    app.fill("spending-amount", amount).await?;
    app.fill("spending-payee", payee).await?;
    app.press("Save").await?;
    // The whole message, date included: the one before may name the same payee.
    let saved = format!("to {payee} on {}.", on.format("%-d %b %Y"));
    app.wait_for_text("status-message", &saved).await?;
    // The message comes as soon as the payment is saved; the list below
    // reloads just after. Wait for it, so what a test reads next is current.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while rows_in_spending_table(app).await? <= rows_before && std::time::Instant::now() < deadline
    {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    Ok(())
}

/// The screen shows exactly core's figures for the data: the summary on
/// "Where it stands", and every payment on "Money spent".
pub async fn assert_screen_matches_core(app: &App, data_dir: &Path) -> TestResult {
    let overview = core_overview(data_dir);
    let summary = overview.summary.expect("a plan");
    open_tab(app, "tab-budget").await?;
    assert_eq!(
        app.text_of("figure-budget").await?,
        summary.budget.to_string()
    );
    assert_eq!(
        app.text_of("figure-spent").await?,
        summary.spent.to_string()
    );
    assert_eq!(app.text_of("figure-left").await?, summary.left.to_string());
    let dashboard = overview.dashboard.expect("a plan");
    assert_eq!(
        app.text_of("figure-balance").await?,
        dashboard.balance.to_string()
    );
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
    // Every line's figures, row by row.
    let rows = app.driver.find_all(By::Css("#line-table tbody tr")).await?;
    let unassigned_row = usize::from(dashboard.unassigned_spent.pence() > 0);
    assert_eq!(
        rows.len(),
        dashboard.lines.len() + unassigned_row,
        "a row for every line"
    );
    for (row, line) in rows.iter().zip(&dashboard.lines) {
        let text = row.text().await?;
        for figure in [line.allocated, line.spent, line.left] {
            assert!(
                text.contains(&figure.to_string()),
                "{} should show {figure}: {text:?}",
                line.description
            );
        }
    }
    open_tab(app, "tab-spending").await?;
    assert_eq!(
        rows_in_spending_table(app).await?,
        core_payments(data_dir).len()
    );
    Ok(())
}

/// What the status line says now (it may be empty, and so not shown).
pub async fn status_now(app: &App) -> WebDriverResult<String> {
    app.driver
        .find(By::Id("status-message"))
        .await?
        .prop("textContent")
        .await
        .map(|text| text.unwrap_or_default().trim().to_owned())
}

/// Waits (a little) for the keyboard focus to land on `id`.
pub async fn wait_for_focus(app: &App, id: &str) -> WebDriverResult<()> {
    for _ in 0..50 {
        if app.focused_id().await? == id {
            return Ok(());
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(app.focused_id().await?, id, "the focus never moved there");
    Ok(())
}
