//! The review statement in the real window: choose a period, page through
//! the preview, write how it is working, save the PDF and CSV, and check
//! what was saved against core's own statement.

mod common;

use careledger_core::records::Records;
use careledger_core::views::Views;
use std::path::Path;
use std::process::Command;

use careledger_core::evidence::{check_evidence, EvidenceKind};
use careledger_core::statement_pdf::PrintOptions;
use careledger_e2e::{workspace_root, Driver};
use common::*;
use thirtyfour::prelude::*;

/// The demo's year of spending, with a photographed receipt on one payment.
fn seed_demo(data: &Path) -> (careledger_core::HolderId, String) {
    let mut store = open_store(data);
    let holder = careledger_core::demo::populate(&mut store, today()).expect("demo data");
    let plan = store.plan_of(holder.id).expect("plan").expect("a plan").id;
    let payment = store
        .payments(plan)
        .expect("payments")
        .into_iter()
        .filter(|p| p.voided.is_none() && p.paid_on <= today())
        .max_by_key(|p| p.paid_on)
        .expect("a payment");
    let photo = std::fs::read(workspace_root().join("tests/fixtures/receipt.png")).expect("photo");
    let david = store.people().expect("people")[0].id;
    store
        .attach_evidence(
            plan,
            payment.key,
            EvidenceKind::Receipt,
            &check_evidence("IMG_2041.png", photo).expect("a photo"),
            david,
        )
        .expect("receipt");
    (holder.id, payment.payee)
}

fn pdf_text(path: &Path) -> String {
    let out = Command::new("pdftotext")
        .args(["-layout"])
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The page count of the PDF core makes with these options.
fn core_pages(data: &Path, holder: careledger_core::HolderId, options: &PrintOptions) -> usize {
    let store = open_store(data);
    let periods = store.statement_periods(holder, today()).expect("periods");
    let (from, to) = (periods[0].from.to_string(), periods[0].to.to_string());
    let (_, pdf) = store
        .statement_to_print(holder, &from, &to, options)
        .and_then(|statement| statement.render(|receipt| store.evidence_content(&receipt.sha256)))
        .expect("statement");
    let file = tempfile::NamedTempFile::new().expect("temp file");
    std::fs::write(file.path(), pdf).expect("write");
    let text = pdf_text(file.path());
    text.matches("Page ").count()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_statement_is_previewed_page_by_page_and_saved_as_pdf_and_csv() -> TestResult {
    let saved = tempfile::tempdir()?;
    let driver = Driver::start_with_env("statement", &[("CARELEDGER_TEST_SAVE_DIR", saved.path())]);
    let data = tempfile::tempdir()?;
    let (holder, receipt_payee) = seed_demo(data.path());
    let app = driver.launch(data.path()).await?;
    continue_as(&app, "David Ellis").await?;
    open_tab(&app, "tab-statement").await?;
    app.element("statement-heading").await?;
    app.assert_accessible("statement").await?;
    app.screenshot("statement-form").await?;

    // A period the wrong way round is refused, in words, at the field.
    let other = app
        .driver
        .find(By::XPath(
            "//input[@name='statement-period' and @value='other']",
        ))
        .await?;
    app.click(&other).await?;
    app.fill("statement-from", "30/6/2026").await?;
    app.fill("statement-to", "1/6/2026").await?;
    app.press("Show the statement").await?;
    app.wait_for_text(
        "statement-problem",
        "must end on or after the day it starts",
    )
    .await?;
    assert_eq!(app.focused_id().await?, "statement-to");

    // The last 3 months, with the receipts, as the reviewer would get it.
    let first = app
        .driver
        .find(By::XPath(
            "//input[@name='statement-period' and @value='0']",
        ))
        .await?;
    app.click(&first).await?;
    app.element("statement-receiptImages")
        .await?
        .click()
        .await?;
    app.paste(
        "statement-generalNote",
        "The PA hours work well; we ask for more respite in winter.",
    )
    .await?;
    app.press("Show the statement").await?;
    let expected_pages = core_pages(
        data.path(),
        holder,
        &PrintOptions {
            receipt_images: true,
            general_note: "The PA hours work well; we ask for more respite in winter.".into(),
            ..PrintOptions::default()
        },
    );
    app.wait_for_text(
        "statement-page-number",
        &format!("Page 1 of {expected_pages}"),
    )
    .await?;
    assert!(expected_pages >= 3, "{expected_pages} pages");
    // The page is drawn: the canvas is painted with text, not left blank.
    // pdf.js draws after the page count shows, so give it a moment.
    let mut dark = 0;
    for _ in 0..50 {
        let counted = app
            .driver
            .execute(
                "const c = document.querySelector('#statement-page canvas'); \
                 if (!c || c.width === 0) return 0; \
                 const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; \
                 let dark = 0; for (let i = 0; i < d.length; i += 4) { if (d[i] < 128 && d[i + 3] > 0) dark++; } return dark;",
                vec![],
            )
            .await?;
        dark = counted.json().as_u64().unwrap_or(0);
        if dark > 1000 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    app.screenshot("statement-preview-page-1").await?;
    assert!(
        dark > 1000,
        "the first page shows text ({dark} dark pixels)"
    );
    app.press("Next page").await?;
    app.wait_for_text(
        "statement-page-number",
        &format!("Page 2 of {expected_pages}"),
    )
    .await?;
    app.screenshot("statement-preview-page-2").await?;
    app.assert_accessible("statement preview").await?;

    // Saved where the dialog would put it, under a name that says what it is.
    app.press("Save as PDF…").await?;
    app.wait_for_text("status-message", "Saved the statement as")
        .await?;
    let pdfs: Vec<_> = std::fs::read_dir(saved.path())?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()?;
    assert_eq!(pdfs.len(), 1, "{pdfs:?}");
    let pdf = &pdfs[0];
    let name = pdf.file_name().unwrap_or_default().to_string_lossy();
    assert!(
        name.starts_with("Statement for Margaret Ellis, ") && name.ends_with(".pdf"),
        "{name}"
    );
    let text = pdf_text(pdf);
    let store = open_store(data.path());
    let periods = store.statement_periods(holder, today())?;
    let statement = store.statement(
        holder,
        &periods[0].from.to_string(),
        &periods[0].to.to_string(),
    )?;
    for figure in [
        statement.opening_balance,
        statement.money_in_total,
        statement.money_out_total,
        statement.closing_balance,
    ] {
        assert!(text.contains(&figure.to_string()), "{figure} is in the PDF");
    }
    assert!(text.contains("we ask for more respite in winter."));
    let appendix = &text[text
        .find("Appendix: receipts")
        .expect("the receipts appendix")..];
    assert!(appendix.contains(&receipt_payee) && appendix.contains("IMG_2041.png"));

    app.press("Save the entries as CSV…").await?;
    app.wait_for_text("status-message", "Saved the CSV file as")
        .await?;
    let csv_path = pdf.with_extension("csv");
    let csv = std::fs::read(&csv_path)?;
    assert!(csv.starts_with(b"\xEF\xBB\xBF"), "UTF-8 with a BOM");
    // One row per entry under the heading row (core's tests read it back
    // with the csv crate; here it is enough that every entry is there).
    let rows = String::from_utf8_lossy(&csv).lines().count() - 1;
    assert!(
        rows >= statement.payments.len(),
        "{rows} rows for {} payments",
        statement.payments.len()
    );

    // Changing what the statement says takes the old preview away, so what
    // is on screen is always what would be saved.
    app.click(&app.element("statement-largePrint").await?)
        .await?;
    let gone = app.driver.find_all(By::Id("statement-page")).await?;
    assert!(gone.is_empty(), "the preview is cleared after a change");
    app.quit().await?;
    Ok(())
}

/// The text of the label for the field `id`, if it is on screen.
async fn outcome_label(app: &careledger_e2e::App, id: &str) -> WebDriverResult<Option<String>> {
    match app
        .driver
        .find(By::XPath(format!("//label[@for='{id}']")))
        .await
    {
        Ok(el) => Ok(Some(el.text().await?)),
        Err(_) => Ok(None),
    }
}

/// Waits until the label for `id` says `want` (or is gone, for `None`).
async fn wait_label(app: &careledger_e2e::App, id: &str, want: Option<&str>) -> TestResult {
    for _ in 0..100 {
        let got = outcome_label(app, id).await?;
        match (want, got.as_deref()) {
            (None, None) => return Ok(()),
            (Some(w), Some(g)) if g.contains(w) => return Ok(()),
            _ => tokio::time::sleep(std::time::Duration::from_millis(100)).await,
        }
    }
    panic!(
        "{id}: wanted {want:?}, got {:?}",
        outcome_label(app, id).await?
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_outcomes_offered_are_those_of_the_version_in_force_at_the_periods_end() -> TestResult {
    use careledger_core::plan_forms::RevisionDraft;
    use chrono::Days;

    let driver = Driver::start("statement_outcomes");
    let data = tempfile::tempdir()?;
    {
        let (mut store, david, plans) = {
            let (david, plans) = seed(data.path(), &["Margaret Ellis"]);
            (open_store(data.path()), david, plans)
        };
        let mut content = simple_plan("£38,500").content;
        content.outcomes.push("See friends every week".into());
        store.revise_plan(
            plans[0],
            &RevisionDraft {
                effective_from: typed(today() - Days::new(10)),
                reason: "Review".into(),
                content,
            },
            david,
        )?;
    }
    let app = driver.launch(data.path()).await?;
    continue_as(&app, "David Ellis").await?;
    open_tab(&app, "tab-statement").await?;
    wait_label(
        &app,
        "statement-outcomeNotes.1",
        Some("See friends every week"),
    )
    .await?;
    app.fill("statement-outcomeNotes.0", "Walking daily")
        .await?;
    app.driver
        .find(By::XPath(
            "//input[@name='statement-period' and @value='other']",
        ))
        .await?
        .click()
        .await?;
    app.fill("statement-from", &typed(plan_dates().0)).await?;
    app.fill("statement-to", &typed(today() - Days::new(20)))
        .await?;
    wait_label(&app, "statement-outcomeNotes.1", None).await?;
    wait_label(&app, "statement-outcomeNotes.0", Some("Stay well at home")).await?;
    let kept = app
        .element("statement-outcomeNotes.0")
        .await?
        .prop("value")
        .await?;
    assert_eq!(kept.as_deref(), Some("Walking daily"));
    app.screenshot("statement-outcomes-version-1").await?;
    app.press("Show the statement").await?;
    app.element("preview-heading").await?;
    // Back to a period ending today: version 2's outcomes again.
    app.fill("statement-to", &typed(today())).await?;
    wait_label(
        &app,
        "statement-outcomeNotes.1",
        Some("See friends every week"),
    )
    .await?;
    app.press("Show the statement").await?;
    app.element("preview-heading").await?;
    app.screenshot("statement-outcomes-version-2").await?;
    app.quit().await?;
    Ok(())
}
