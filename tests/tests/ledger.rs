//! Money in and out in the real window: a quarter of activity with its
//! evidence, an edit and a void, and every dashboard figure against core's.

mod common;

use careledger_core::records::Records;
use std::path::PathBuf;

use careledger_e2e::{workspace_root, App, Driver};
use chrono::{Datelike, Days, Months, NaiveDate};
use common::*;
use thirtyfour::prelude::*;

fn fixture(name: &str) -> PathBuf {
    workspace_root().join("tests/fixtures").join(name)
}

/// The plan issue's CHC plan, paid every 4 weeks, started on the first of
/// the month five months ago; set up through core.
fn seed_chc(data: &std::path::Path) -> NaiveDate {
    let start = (today() - Months::new(5))
        .with_day(1)
        .expect("first of the month");
    let (mut store, david, holders) = seed_holders(data, &["Margaret Ellis"]);
    let mut plan = simple_plan("£2,961.54");
    plan.start_date = start.to_string();
    plan.end_date = (start + Months::new(12) - Days::new(1)).to_string();
    plan.content.streams[0].frequency = careledger_core::plan::Frequency::FourWeekly;
    use careledger_core::plan::{Category::*, Per, Unit};
    use careledger_core::plan_forms::LineDraft;
    plan.content.lines = vec![
        LineDraft::units(
            PersonalAssistants,
            "Personal assistant support",
            ("20", Unit::Hour, Per::Week, "£14.50"),
        ),
        LineDraft::sum(PayrollAndEmployerCosts, "Employer's tax and NI", "£1,850"),
        LineDraft::sum(PayrollAndEmployerCosts, "Payroll service fees", "£234"),
        LineDraft::units(
            Therapies,
            "Hydrotherapy",
            ("48", Unit::Session, Per::Plan, "£45"),
        ),
        LineDraft::sum(Equipment, "Equipment", "£3,000"),
        LineDraft::sum(Transport, "Taxis", "£400"),
        LineDraft::sum(Respite, "Respite care", "£12,464"),
        LineDraft::sum(Contingency, "Contingency", "£3,312.02"),
    ];
    store.create_plan(holders[0], &plan, david).expect("plan");
    start
}

async fn pay(
    app: &App,
    on: NaiveDate,
    payee: &str,
    amount: &str,
    line: &str,
    how: &str,
) -> WebDriverResult<()> {
    app.fill("spending-paidOn", &typed(on)).await?;
    app.fill("spending-amount", amount).await?;
    app.fill("spending-payee", payee).await?;
    app.choose("spending-howPaid", how).await?;
    app.choose("spending-splits.0.lineKey", line).await?;
    let shown = app
        .driver
        .execute("const s = document.getElementById('spending-splits.0.lineKey'); return s.options[s.selectedIndex].text;", vec![])
        .await?;
    assert_eq!(
        shown.json().as_str(),
        Some(line),
        "the line shown is the one chosen"
    );
    app.press("Save and add another").await?;
    // The whole message, date included: the one before may name the same payee.
    let saved = format!("to {payee} on {}.", on.format("%-d %b %Y"));
    app.wait_for_text("status-message", &saved).await?;
    // Ready for the next: who was paid is the first thing that changes.
    wait_for_focus(app, "spending-payee").await
}

/// The text of the spending table's row for the payment to `payee` on
/// `on`, words kept for screen readers included.
async fn row_of(app: &App, payee: &str, on: NaiveDate) -> WebDriverResult<WebElement> {
    let date = on.format("%-d %b %Y").to_string();
    for row in app
        .driver
        .find_all(By::Css("#spending-table tbody tr"))
        .await?
    {
        let words = row.prop("textContent").await?.unwrap_or_default();
        if words.contains(payee) && words.contains(&date) {
            return Ok(row);
        }
    }
    panic!("no row for {payee} on {date}");
}

/// What is typed in the field `id`.
async fn value_of(app: &App, id: &str) -> WebDriverResult<String> {
    Ok(app.element(id).await?.value().await?.unwrap_or_default())
}

/// The text shown in a drop-down's chosen option.
async fn chosen(app: &App, id: &str) -> WebDriverResult<String> {
    let shown = app
        .driver
        .execute(
            "const s = document.getElementById(arguments[0]); return s.options[s.selectedIndex].text;",
            vec![serde_json::Value::from(id)],
        )
        .await?;
    Ok(shown.json().as_str().unwrap_or_default().to_owned())
}

/// Opens the details of the payment to `payee` on `on`.
async fn open_payment(app: &App, payee: &str, on: NaiveDate) -> WebDriverResult<()> {
    let label = format!("to {payee} on {}", on.format("%-d %b %Y"));
    let buttons = app
        .driver
        .find_all(By::Css("#spending-table button"))
        .await?;
    for button in buttons {
        // The payee and date are in text kept for screen readers, which
        // WebDriver's visible text leaves out.
        let words = button.prop("textContent").await?.unwrap_or_default();
        if words.contains(&label) {
            app.click(&button).await?;
            return app.element("payment-detail-heading").await.map(|_| ());
        }
    }
    panic!("no payment {label}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_quarter_of_activity_with_evidence_edits_and_voids_matches_core() -> TestResult {
    let driver = Driver::start("ledger_quarter");
    let data = tempfile::tempdir()?;
    let start = seed_chc(data.path());
    let day = |n: u64| start + Days::new(n);
    let app = driver.launch(data.path()).await?;
    continue_as(&app, "David Ellis").await?;

    // Money in: the first four 4-weekly payments, each from "Record it".
    open_tab(&app, "tab-money-in").await?;
    app.assert_accessible("money in").await?;
    for _ in 0..4 {
        let record = app.driver.find(By::XPath("//table[@id='expected-table']//button[starts-with(normalize-space(.), 'Record it')]")).await?;
        app.click(&record).await?;
        app.press("Save money in").await?;
        app.wait_for_text(
            "status-message",
            "Saved: £2,961.54 from NHS Humber and North Yorkshire ICB",
        )
        .await?;
    }
    app.screenshot("30-money-in").await?;

    // Money out over the quarter.
    open_tab(&app, "tab-spending").await?;
    for n in [27, 55, 83] {
        pay(
            &app,
            day(n),
            "Joanne Pike",
            "£1,160",
            "Personal assistant support",
            "Bank transfer",
        )
        .await?;
    }
    pay(
        &app,
        day(51),
        "HMRC",
        "£185.20",
        "Employer's tax and NI",
        "Bank transfer",
    )
    .await?;
    pay(
        &app,
        day(27),
        "Carefree Payroll Ltd",
        "£18",
        "Payroll service fees",
        "Direct debit",
    )
    .await?;
    for n in [9, 23, 37] {
        pay(&app, day(n), "Aqua Physio", "£45", "Hydrotherapy", "Card").await?;
    }
    // A hydrotherapy session with a photo of its receipt.
    app.element("spending-evidence")
        .await?
        .send_keys(fixture("receipt.png").display().to_string())
        .await?;
    pay(&app, day(51), "Aqua Physio", "£45", "Hydrotherapy", "Card").await?;
    // The equipment with its PDF invoice.
    app.choose("spending-evidence-kind", "Invoice").await?;
    app.element("spending-evidence")
        .await?
        .send_keys(fixture("invoice.pdf").display().to_string())
        .await?;
    pay(
        &app,
        day(45),
        "Mobility Direct",
        "£389.99",
        "Equipment",
        "Card",
    )
    .await?;
    // Cash taken out for taxis and a session, split across the two lines.
    app.fill("spending-paidOn", &typed(day(60))).await?;
    app.fill("spending-amount", "£80").await?;
    app.fill("spending-payee", "Cash withdrawal").await?;
    app.choose("spending-howPaid", "Cash").await?;
    app.element("spending-cashWithdrawal")
        .await?
        .click()
        .await?;
    app.click(&app.element("spending-split").await?).await?;
    app.choose("spending-splits.0.lineKey", "Taxis").await?;
    app.fill("spending-splits.0.amount", "£35").await?;
    app.choose("spending-splits.1.lineKey", "Hydrotherapy")
        .await?;
    app.fill("spending-splits.1.amount", "£45").await?;
    app.fill(
        "spending-note",
        "Taxis to hydrotherapy, and one session paid in cash",
    )
    .await?;
    app.press("Save and add another").await?;
    app.wait_for_text("status-message", "to Cash withdrawal on")
        .await?;
    // After a split payment the form starts again from the plan's first line,
    // and shows it.
    let shown = app
        .driver
        .execute("const s = document.getElementById('spending-splits.0.lineKey'); return s.options[s.selectedIndex].text;", vec![])
        .await?;
    assert_eq!(shown.json().as_str(), Some("Personal assistant support"));
    app.assert_accessible("money spent").await?;
    app.screenshot("31-money-spent").await?;

    // Edit one payment: HMRC was £158.20, not £185.20.
    open_payment(&app, "HMRC", day(51)).await?;
    app.click(&app.element("change-payment").await?).await?;
    app.fill("edit-payment-amount", "£158.20").await?;
    app.fill("edit-payment-reason", "Typed £185.20 for £158.20")
        .await?;
    app.press("Save the change").await?;
    app.wait_for_text("status-message", "The earlier version is kept")
        .await?;
    app.wait_for_text("payment-history", "Why: Typed £185.20 for £158.20")
        .await?;
    app.assert_accessible("payment details").await?;
    app.screenshot("32-payment-history").await?;

    // Void another: a session that was cancelled.
    open_payment(&app, "Aqua Physio", day(37)).await?;
    app.click(&app.element("remove-payment").await?).await?;
    app.fill(
        "void-payment-reason",
        "Session cancelled; refunded to the card",
    )
    .await?;
    app.click(&app.element("void-payment-save").await?).await?;
    app.wait_for_text("status-message", "removed from the figures")
        .await?;
    app.wait_for_text("payment-removed", "Session cancelled; refunded to the card")
        .await?;
    // In the list it says Removed, struck through, and never "No receipt":
    // a removed payment needs no evidence.
    let mut removed = String::new();
    for _ in 0..50 {
        let row = row_of(&app, "Aqua Physio", day(37)).await?;
        removed = row.find(By::Css("td.evidence")).await?.text().await?;
        if removed.contains("Removed") {
            assert!(
                row.find(By::Css("td.amount s")).await.is_ok(),
                "amount struck through"
            );
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(removed.contains("Removed"), "{removed:?}");
    let row = row_of(&app, "Aqua Physio", day(37)).await?;
    let words = row.prop("textContent").await?.unwrap_or_default();
    assert!(!words.contains("No receipt"), "{words:?}");
    assert!(words.contains("(removed, not counted)"), "{words:?}");
    // A session still owed its receipt does say so.
    let owed = row_of(&app, "Aqua Physio", day(23)).await?;
    assert!(owed.text().await?.contains("No receipt"));
    owed.scroll_into_view().await?;
    app.screenshot("32b-payment-removed").await?;

    // Find the sessions by a word.
    app.driver
        .find(By::Css("details.finder summary"))
        .await?
        .click()
        .await?;
    app.fill("find-text", "aqua").await?;
    app.click(&app.element("find-show").await?).await?;
    app.wait_for_text(
        "find-summary",
        "4 payments match (1 removed, not counted in the total), adding up to £135.00",
    )
    .await?;
    assert_eq!(rows_in_spending_table(&app).await?, 4);
    app.assert_accessible("finding payments").await?;
    app.press("Show all").await?;
    app.wait_for_text(
        "find-summary",
        "11 payments (1 removed, not counted in the total), adding up to",
    )
    .await?;

    // The evidence is there, by its contents.
    open_payment(&app, "Mobility Direct", day(45)).await?;
    app.wait_for_text("evidence-list", "Invoice: invoice.pdf")
        .await?;
    open_payment(&app, "Aqua Physio", day(51)).await?;
    app.wait_for_text("evidence-list", "Receipt: receipt.png")
        .await?;
    let thumbnail = app
        .driver
        .query(By::Css("#evidence-list img"))
        .wait(
            careledger_e2e::PATIENCE,
            std::time::Duration::from_millis(100),
        )
        .first()
        .await?;
    assert_eq!(
        thumbnail.attr("alt").await?.as_deref(),
        Some("Receipt: receipt.png")
    );
    app.screenshot("33-evidence").await?;

    // Core agrees with what was typed…
    let overview = core_overview(data.path());
    let summary = overview.summary.clone().expect("a plan");
    let dashboard = overview.dashboard.clone().expect("a plan");
    let spent = 3 * 116_000 + 15_820 + 1_800 + 3 * 4_500 + 38_999 + 8_000;
    assert_eq!(
        summary.spent.pence(),
        spent,
        "voided session left out, edit counted"
    );
    assert_eq!(dashboard.money_in.pence(), 4 * 296_154);
    assert_eq!(
        core_payments(data.path())
            .iter()
            .filter(|p| p.voided.is_some())
            .count(),
        1
    );
    let line = |name: &str| {
        dashboard
            .lines
            .iter()
            .find(|line| line.description == name)
            .expect("line")
            .spent
            .pence()
    };
    assert_eq!(
        line("Hydrotherapy"),
        4 * 4_500,
        "three sessions and the one paid in cash"
    );
    assert_eq!(line("Taxis"), 3_500);
    assert_eq!(line("Personal assistant support"), 3 * 116_000);
    // …and every figure on screen is core's.
    assert_screen_matches_core(&app, data.path()).await?;
    open_tab(&app, "tab-budget").await?;
    let weeks = app.text_of("figure-weeks").await?;
    let tenths = dashboard.weeks_in_hand_tenths.expect("money in recorded");
    assert!(
        weeks.starts_with(&format!("{}.{} weeks", tenths / 10, tenths % 10)),
        "{weeks:?}"
    );
    let warnings = app.text_of("warnings").await?;
    for warning in &dashboard.warnings {
        assert!(
            warnings.contains(&warning.message),
            "{warnings:?} should say {:?}",
            warning.message
        );
    }
    app.assert_accessible("where it stands").await?;
    app.screenshot("34-where-it-stands").await?;
    app.quit().await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_evidence_files_get_a_clear_message_and_nothing_is_attached() -> TestResult {
    let driver = Driver::start("bad_evidence");
    let data = tempfile::tempdir()?;
    let start = seed_chc(data.path());
    let files = tempfile::tempdir()?;
    let big = files.path().join("scan.jpg");
    let mut bytes = vec![0xFF, 0xD8, 0xFF, 0xE0];
    bytes.resize(25 * 1024 * 1024, 0);
    std::fs::write(&big, bytes)?;
    let fake = files.path().join("invoice.pdf");
    std::fs::write(&fake, "This is a text file, not a PDF.")?;
    let program = files.path().join("receipt.jpg");
    std::fs::write(
        &program,
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00 This program cannot be run in DOS mode.",
    )?;

    let app = driver.launch(data.path()).await?;
    continue_as(&app, "David Ellis").await?;
    open_tab(&app, "tab-spending").await?;
    pay(
        &app,
        start + Days::new(3),
        "Mobility Direct",
        "£20",
        "Equipment",
        "Card",
    )
    .await?;
    open_payment(&app, "Mobility Direct", start + Days::new(3)).await?;
    let cases = [
        (&big, "the most Careledger keeps is 20 MB"),
        (&fake, "is not a photo (PNG or JPEG) or a PDF"),
        (&program, "is not a photo (PNG or JPEG) or a PDF"),
    ];
    for (index, (path, message)) in cases.into_iter().enumerate() {
        app.element("add-evidence-evidence")
            .await?
            .send_keys(path.display().to_string())
            .await?;
        app.click(&app.element("add-evidence-save").await?).await?;
        app.wait_for_text("add-evidence-problem", message).await?;
        if index == 0 {
            app.assert_accessible("evidence refused").await?;
            app.screenshot("35-evidence-refused").await?;
        }
        // Clear the refused file before trying the next.
        app.press(&format!(
            "Remove {}",
            path.file_name().unwrap().to_string_lossy()
        ))
        .await?;
    }
    app.element("no-evidence").await?;
    assert!(
        core_payments(data.path())[0].evidence.is_empty(),
        "nothing attached"
    );
    app.quit().await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn a_regular_payment_is_proposed_confirmed_and_skipped() -> TestResult {
    let driver = Driver::start("regular_payments");
    let data = tempfile::tempdir()?;
    let start = seed_chc(data.path());
    let app = driver.launch(data.path()).await?;
    continue_as(&app, "David Ellis").await?;
    open_tab(&app, "tab-spending").await?;
    app.click(&app.element("regular-add").await?).await?;
    app.fill("regular-payee", "Joanne Pike").await?;
    app.fill("regular-amount", "£1,160").await?;
    app.fill("regular-firstDue", &typed(start + Days::new(27)))
        .await?;
    app.choose("regular-lineKey", "Personal assistant support")
        .await?;
    app.click(&app.element("regular-save").await?).await?;
    app.wait_for_text("status-message", "is set up as a regular payment")
        .await?;
    app.assert_accessible("regular payments").await?;
    app.screenshot("36-regular-payments").await?;

    let first = start + Days::new(27);
    let second = start + Days::new(55);
    let confirm = format!(
        "Confirm it was paid: Joanne Pike, {}",
        first.format("%-d %b %Y")
    );
    let skip = format!("Skip: Joanne Pike, {}", second.format("%-d %b %Y"));
    for (label, expected) in [
        (confirm, "Saved £1,160.00 to Joanne Pike on"),
        (skip, "Skipped: Joanne Pike"),
    ] {
        let buttons = app.driver.find_all(By::Css("#due-list button")).await?;
        let mut pressed = false;
        for button in buttons {
            if button
                .prop("textContent")
                .await?
                .unwrap_or_default()
                .contains(&label)
            {
                app.click(&button).await?;
                pressed = true;
                break;
            }
        }
        assert!(pressed, "no button {label:?}");
        app.wait_for_text("status-message", expected).await?;
    }
    let payments = core_payments(data.path());
    assert_eq!(payments.len(), 1, "only the confirmed one was paid");
    assert_eq!(
        (payments[0].paid_on, payments[0].amount.pence()),
        (first, 116_000)
    );
    let due = app.text_of("due-list").await?;
    assert!(
        !due.contains(&first.format("%-d %b %Y").to_string())
            && !due.contains(&second.format("%-d %b %Y").to_string()),
        "{due}"
    );
    app.quit().await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn a_payment_bigger_than_the_plan_asks_first_and_the_forecast_stays_true() -> TestResult {
    let driver = Driver::start("big_amounts");
    let data = tempfile::tempdir()?;
    seed(data.path(), &["Margaret Ellis"]);
    let app = driver.launch(data.path()).await?;
    continue_as(&app, "David Ellis").await?;
    let on = today();
    log_payment(&app, on, "Joanne Pike", "£116.00").await?;

    // £116,000 typed for £116.00: core asks first, and nothing is written.
    app.fill("spending-amount", "£116,000").await?;
    app.fill("spending-payee", "Joanne Pike").await?;
    app.press("Save").await?;
    app.wait_for_text(
        "spending-question",
        "£116,000.00 is more than the £38,384.00 left in the whole plan, and more than the \
         £38,500.00 allocated to Personal assistant support for the year. Check the amount. \
         Save it anyway?",
    )
    .await?;
    wait_for_focus(&app, "spending-question").await?;
    assert_eq!(
        status_now(&app).await?,
        "",
        "the earlier \"Saved\" is not the news any more"
    );
    assert_eq!(core_payments(data.path()).len(), 1, "nothing was written");
    app.assert_accessible("are you sure").await?;
    app.screenshot("38-are-you-sure").await?;

    // "Change the amount": nothing saved, back to the amount.
    app.press("Change the amount").await?;
    wait_for_focus(&app, "spending-amount").await?;
    let question = app.driver.find(By::Id("spending-question")).await?;
    assert!(!question.is_displayed().await?, "the question is put away");
    assert_eq!(core_payments(data.path()).len(), 1);

    // Asked again, and answered by keyboard: "Save it anyway".
    app.press("Save").await?;
    app.wait_for_text("spending-question", "Save it anyway?")
        .await?;
    app.tab_to("spending-confirm", 4).await?;
    app.keys(Key::Enter).await?;
    app.wait_for_text(
        "status-message",
        &format!(
            "Saved £116,000.00 to Joanne Pike on {}.",
            on.format("%-d %b %Y")
        ),
    )
    .await?;
    assert_eq!(core_payments(data.path()).len(), 2);

    // A new problem takes the "Saved" message away.
    app.fill("spending-payee", "").await?;
    app.fill("spending-amount", "£10").await?;
    app.press("Save").await?;
    app.wait_for_text("spending-problem", "who was paid")
        .await?;
    assert_eq!(status_now(&app).await?, "");

    // Spent past the budget: said plainly, never a day gone by.
    open_tab(&app, "tab-budget").await?;
    let forecast = app.text_of("forecast").await?;
    assert_eq!(
        forecast,
        "The money has already run out: £77,616.00 more has been spent than the budget."
    );
    app.wait_for_text("warnings", "The money has already run out: £77,616.00 more")
        .await?;
    app.quit().await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn save_and_add_another_keeps_the_date_line_and_how_paid_for_the_next() -> TestResult {
    let driver = Driver::start("save_and_add_another");
    let data = tempfile::tempdir()?;
    let start = seed_chc(data.path());
    let on = start + Days::new(9);
    let app = driver.launch(data.path()).await?;
    continue_as(&app, "David Ellis").await?;
    open_tab(&app, "tab-spending").await?;

    // The form comes first on the page, before the list and regular payments.
    let above = app
        .driver
        .execute(
            "const y = (id) => document.getElementById(id).getBoundingClientRect().top; \
             return y('spending-paidOn') < y('history-heading') && y('history-heading') < y('regular-heading');",
            vec![],
        )
        .await?;
    assert_eq!(
        above.json().as_bool(),
        Some(true),
        "form, then list, then regular payments"
    );

    // Enter in a box does the common thing: save and add another.
    app.fill("spending-paidOn", &typed(on)).await?;
    app.fill("spending-payee", "Aqua Physio").await?;
    app.fill("spending-amount", "£45").await?;
    app.choose("spending-howPaid", "Card").await?;
    app.choose("spending-splits.0.lineKey", "Hydrotherapy")
        .await?;
    app.fill("spending-note", "Session 1").await?;
    app.click(&app.element("spending-amount").await?).await?;
    app.keys(Key::Enter).await?;
    let date = on.format("%-d %b %Y");
    app.wait_for_text(
        "status-message",
        &format!("Saved £45.00 to Aqua Physio on {date}."),
    )
    .await?;
    wait_for_focus(&app, "spending-payee").await?;
    assert_eq!(
        value_of(&app, "spending-paidOn").await?,
        typed(on),
        "the date stays"
    );
    assert_eq!(
        chosen(&app, "spending-howPaid").await?,
        "Card",
        "how paid stays"
    );
    assert_eq!(
        chosen(&app, "spending-splits.0.lineKey").await?,
        "Hydrotherapy",
        "the line stays"
    );
    for cleared in ["spending-payee", "spending-amount", "spending-note"] {
        assert_eq!(value_of(&app, cleared).await?, "", "{cleared} is cleared");
    }
    app.assert_accessible("after save and add another").await?;
    app.screenshot("37-save-and-add-another").await?;

    // The next one by keyboard alone: type, Tab, type, Enter.
    app.keys("Riverside Leisure Centre").await?;
    app.keys(Key::Tab).await?;
    assert_eq!(app.focused_id().await?, "spending-amount");
    app.keys("£32").await?;
    app.keys(Key::Enter).await?;
    app.wait_for_text(
        "status-message",
        &format!("Saved £32.00 to Riverside Leisure Centre on {date}."),
    )
    .await?;
    wait_for_focus(&app, "spending-payee").await?;

    // The button does the same.
    app.keys("Aqua Physio").await?;
    app.fill("spending-amount", "£45").await?;
    app.press("Save and add another").await?;
    app.wait_for_text("status-message", "Saved £45.00 to Aqua Physio on")
        .await?;
    wait_for_focus(&app, "spending-payee").await?;

    // "Save" starts afresh: today's date, the first line, bank transfer.
    app.fill("spending-payee", "Mobility Direct").await?;
    app.fill("spending-amount", "£20").await?;
    app.choose("spending-splits.0.lineKey", "Equipment").await?;
    app.press("Save").await?;
    app.wait_for_text(
        "status-message",
        &format!("Saved £20.00 to Mobility Direct on {date}."),
    )
    .await?;
    wait_for_focus(&app, "status-message").await?;
    assert_eq!(value_of(&app, "spending-paidOn").await?, typed(today()));
    assert_eq!(chosen(&app, "spending-howPaid").await?, "Bank transfer");
    assert_eq!(
        chosen(&app, "spending-splits.0.lineKey").await?,
        "Personal assistant support"
    );

    // Core has them all, each on the day, line and way kept.
    let payments = core_payments(data.path());
    assert_eq!(payments.len(), 4);
    for payment in &payments {
        assert_eq!(payment.paid_on, on, "{}", payment.payee);
        assert_eq!(
            payment.how_paid,
            Some(careledger_core::ledger::HowPaid::Card),
            "{}",
            payment.payee
        );
    }
    let mut lines: Vec<_> = payments
        .iter()
        .map(|p| (p.payee.as_str(), p.splits[0].line_key.0))
        .collect();
    lines.sort();
    assert_eq!(
        lines,
        [
            ("Aqua Physio", 4),
            ("Aqua Physio", 4),
            ("Mobility Direct", 5),
            ("Riverside Leisure Centre", 4)
        ],
        "hydrotherapy kept for the three added one after another; equipment chosen for the last"
    );
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while rows_in_spending_table(&app).await? < 4 && std::time::Instant::now() < deadline {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(rows_in_spending_table(&app).await?, 4);
    app.screenshot("37b-after-save").await?;

    // At 200% text the form and list still fit the window: nothing spills
    // sideways off the page (a wide table scrolls in its own region).
    app.text_size(200).await?;
    assert_eq!(
        app.sideways().await?,
        "",
        "nothing makes the page scroll sideways at 200% text"
    );
    app.screenshot("37c-200-percent-text").await?;
    app.quit().await?;
    Ok(())
}
