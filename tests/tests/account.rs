//! The account's own statement in the real window: import a bank's CSV
//! file, confirm its columns, accept the match found, make two payments
//! from lines not recorded, check the records against the closing balance,
//! and see that check on the review statement.

mod common;

use careledger_core::account_import::AccountImport;
use careledger_core::records::Records;
use careledger_core::views::Views;
use careledger_e2e::Driver;
use chrono::{Days, NaiveDate};
use common::*;
use thirtyfour::prelude::*;

/// A Lloyds-style export: paid in and paid out in their own columns, a
/// running balance, dates as 25/11/2026.
fn lloyds_file(lines: &[(NaiveDate, &str, &str, &str, &str)]) -> String {
    let mut text = String::from(
        "Transaction Date,Transaction Type,Sort Code,Account Number,Transaction Description,Debit Amount,Credit Amount,Balance\r\n",
    );
    for (on, kind, words, out, into) in lines {
        text.push_str(&format!(
            "{},{kind},'30-94-57,12345678,{words},{out},{into},\r\n",
            on.format("%d/%m/%Y")
        ));
    }
    text
}

/// The file's lines with the balance after each worked out, as a bank
/// prints it.
fn with_balances(file: &str) -> String {
    let mut balance = 0i64;
    file.lines()
        .enumerate()
        .map(|(i, line)| {
            if i == 0 {
                return format!("{line}\r\n");
            }
            let cells: Vec<&str> = line.split(',').collect();
            let pence = |cell: &str| -> i64 {
                if cell.is_empty() {
                    0
                } else {
                    (cell.parse::<f64>().unwrap() * 100.0).round() as i64
                }
            };
            balance += pence(cells[6]) - pence(cells[5]);
            format!("{}{}.{:02}\r\n", line, balance / 100, balance % 100)
        })
        .collect()
}

/// The words of the option a drop-down shows.
async fn selected_text(app: &careledger_e2e::App, id: &str) -> WebDriverResult<String> {
    app.driver
        .execute(
            &format!("const s = document.getElementById('{id}'); return s.options[s.selectedIndex].text;"),
            vec![],
        )
        .await?
        .convert::<String>()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bank_statement_is_imported_matched_and_reconciled_onto_the_statement() -> TestResult {
    let (start, _) = plan_dates();
    let day = |back: u64| today() - Days::new(back);
    let folder = tempfile::tempdir()?;
    let file = folder.path().join("Statement 12345678.csv");
    std::fs::write(
        &file,
        with_balances(&lloyds_file(&[
            (
                start + Days::new(1),
                "BGC",
                "NHS HUMBER AND NORT PHB",
                "",
                "38500.00",
            ),
            (day(20), "FPO", "JOANNE PIKE WAGES", "1160.00", ""),
            (day(15), "DD", "CAREFREE PAYROLL LTD", "18.00", ""),
            (day(10), "DEB", "AQUA PHYSIO HYDROTHERAPY", "45.00", ""),
            (day(5), "DEB", "TESCO STORES 2041", "12.34", ""),
        ])),
    )?;
    let driver = Driver::start_with_env("account_import", &[("CARELEDGER_TEST_OPEN_FILE", &file)]);
    let data = tempfile::tempdir()?;
    let (david, plans) = seed(data.path(), &["Margaret Ellis"]);
    // Joanne's wages were recorded by hand the day before the bank took them.
    {
        let mut store = open_store(data.path());
        let mut wages = card_payment(day(21), "Joanne Pike", "£1,160", david);
        wages.how_paid = careledger_core::ledger::HowPaid::BankTransfer;
        wages.no_evidence_reason = "Paid by bank transfer".into();
        store.record_payment(plans[0], &wages, today())?;
    }
    let app = driver.launch(data.path()).await?;
    continue_as(&app, "David Ellis").await?;
    open_tab(&app, "tab-account").await?;
    app.wait_for_text("main-heading", "Bank statement").await?;
    app.assert_accessible("bank statement, before a file")
        .await?;

    app.press("Choose a statement file").await?;
    app.wait_for_text("status-message", "5 lines read from the file")
        .await?;
    assert_eq!(app.focused_id().await?, "account-columns-heading");

    // The columns Careledger took, for the person to confirm.
    assert_eq!(
        selected_text(&app, "layout-date").await?,
        "Transaction Date"
    );
    assert_eq!(
        selected_text(&app, "layout-description").await?,
        "Transaction Description"
    );
    assert_eq!(
        selected_text(&app, "layout-paid-in").await?,
        "Credit Amount"
    );
    assert_eq!(
        selected_text(&app, "layout-paid-out").await?,
        "Debit Amount"
    );
    assert_eq!(selected_text(&app, "layout-balance").await?, "Balance");
    assert_eq!(
        selected_text(&app, "layout-date-format").await?,
        "25/11/2026"
    );
    app.screenshot("account-columns").await?;
    app.press("Read the file with these columns").await?;
    app.wait_for_text("status-message", "read again with these columns")
        .await?;

    // What each line will do: funding, a match, two lines to give a line.
    assert!(app
        .text_of("account-line-1")
        .await?
        .contains("The funding due from NHS Humber and North Yorkshire ICB"));
    assert!(app
        .text_of("account-line-2")
        .await?
        .contains("Matches your payment to Joanne Pike"));
    assert!(app
        .text_of("account-line-3")
        .await?
        .contains("Not recorded yet."));
    assert_eq!(
        selected_text(&app, "account-line-2-choice").await?,
        "Yes, it is that payment"
    );
    // Two payments from unmatched lines: a choice each in its drop-down.
    for row in ["account-line-3-choice", "account-line-4-choice"] {
        app.choose(row, "New payment: Personal assistant support")
            .await?;
    }
    app.choose("account-how-paid", "Card").await?;
    app.screenshot("account-preview").await?;
    app.assert_accessible("bank statement, what importing will do")
        .await?;
    // At 200% text the columns and the lines stack; nothing but the file's
    // own first rows (in a region of their own) scrolls sideways.
    app.text_size(200).await?;
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert_eq!(app.sideways().await?, "", "the import screen at 200% text");
    app.screenshot("account-preview-200").await?;
    app.text_size(100).await?;
    app.press("Import 5 new lines").await?;
    app.wait_for_text(
        "status-message",
        "Imported 5 new lines: 1 matched what you recorded, 2 new payments, 1 money in recorded, 1 left unrecorded.",
    )
    .await?;

    // The two new payments are in core, on the line, paid by card.
    let payments = core_payments(data.path());
    let made: Vec<(String, String)> = payments
        .iter()
        .filter(|p| {
            p.note
                .starts_with("From the account statement Statement 12345678.csv")
        })
        .map(|p| (p.payee.clone(), p.amount.to_string()))
        .collect();
    assert_eq!(
        made,
        [
            ("AQUA PHYSIO HYDROTHERAPY".to_owned(), "£45.00".to_owned()),
            ("CAREFREE PAYROLL LTD".to_owned(), "£18.00".to_owned())
        ]
    );

    // The check starts from the file's last line: its day and balance.
    assert_eq!(
        app.element("account-check-on")
            .await?
            .prop("value")
            .await?
            .unwrap_or_default(),
        typed(day(5))
    );
    assert_eq!(
        app.element("account-check-balance")
            .await?
            .prop("value")
            .await?
            .unwrap_or_default(),
        "£37,264.66"
    );
    app.press("Check the records").await?;
    // The Tesco line was left unrecorded: the check lists it, and it is
    // recorded from there, on its budget line, in two steps.
    app.wait_for_text("account-result", "do not agree").await?;
    assert!(app
        .text_of("account-not-recorded-1")
        .await?
        .contains("TESCO STORES 2041, £12.34 out"));
    app.screenshot("account-to-record").await?;
    app.assert_accessible("bank statement, a line to record")
        .await?;
    app.choose("account-record-1", "A payment: Personal assistant support")
        .await?;
    app.click(&app.element("account-record-1-save").await?)
        .await?;
    app.wait_for_text("status-message", "Recorded £12.34 out: TESCO STORES 2041")
        .await?;
    app.wait_for_text("account-result", "The records agree with the account")
        .await?;
    app.screenshot("account-agrees").await?;

    // Money spent marks each payment the account's statement shows.
    open_tab(&app, "tab-spending").await?;
    let table = app.text_of("spending-table").await?;
    assert_eq!(table.matches("In the bank statement").count(), 4, "{table}");
    open_tab(&app, "tab-account").await?;
    // The check made is shown again.
    app.wait_for_text("account-result", "The records agree with the account")
        .await?;

    // The same file again adds nothing.
    app.press("Choose a statement file").await?;
    app.wait_for_text(
        "account-nothing-new",
        "Every line in this file was imported before",
    )
    .await?;
    assert!(app.driver.find(By::Id("account-import")).await.is_err());
    app.press("Close").await?;

    // The review statement says so, as core works it out.
    let store = open_store(data.path());
    let holder = store.holders()?[0].id;
    let check = store
        .latest_reconciliation(plans[0], today())?
        .expect("the check was kept");
    assert!(check.agrees);
    let statement = store.statement(holder, &start.to_string(), &today().to_string())?;
    let words = statement.account.expect("on the statement").sentence;
    assert_eq!(
        words,
        format!(
            "Agrees with the account statement of {}: £37,264.66.",
            day(5).format("%-d %b %Y")
        )
    );
    open_tab(&app, "tab-statement").await?;
    choose_statement_period(&app, "other").await?;
    app.fill("statement-from", &typed(start)).await?;
    app.fill("statement-to", &typed(today())).await?;
    app.press("Show the statement").await?;
    app.click(&app.element("statement-view-text").await?)
        .await?;
    app.wait_for_text("statement-text-account", &words).await?;
    app.screenshot("account-on-statement").await?;
    app.quit().await?;
    Ok(())
}

/// The careless choice: the app's own data file picked as the statement.
/// It is refused in words, and nothing changes.
#[tokio::test(flavor = "multi_thread")]
async fn the_data_file_itself_is_refused_as_a_statement() -> TestResult {
    let data = tempfile::tempdir()?;
    let own_data = data.path().join(careledger_core::store::DATABASE_FILE_NAME);
    let driver = Driver::start_with_env(
        "account_refused",
        &[("CARELEDGER_TEST_OPEN_FILE", &own_data)],
    );
    seed(data.path(), &["Margaret Ellis"]);
    let app = driver.launch(data.path()).await?;
    continue_as(&app, "David Ellis").await?;
    open_tab(&app, "tab-account").await?;
    app.press("Choose a statement file").await?;
    app.wait_for_text("account-file-problem", "it is not text")
        .await?;
    assert!(app.driver.find(By::Id("account-lines")).await.is_err());
    app.screenshot("account-refused").await?;
    let store = open_store(data.path());
    let plan = store.plan_of(store.holders()?[0].id)?.expect("a plan").id;
    assert!(store.account_lines(plan)?.is_empty());
    app.quit().await?;
    Ok(())
}
