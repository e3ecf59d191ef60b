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
    choose_statement_period(&app, "other").await?;
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
    choose_statement_period(&app, "0").await?;
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
    // Clicked as a person would, scrolled into the middle of the window:
    // the form is taller than the window, and the period is above the notes.
    choose_statement_period(&app, "other").await?;
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

/// Presses Shift+Tab, holding Shift down as a person does.
async fn shift_tab(app: &careledger_e2e::App) -> WebDriverResult<()> {
    app.driver
        .action_chain()
        .key_down(Key::Shift)
        .send_keys(Key::Tab)
        .key_up(Key::Shift)
        .perform()
        .await
}

/// Waits for the page counter to say `page` of `pages`, then checks that the
/// keyboard focus is on `focused` (the button pressed, or the other one when
/// the one pressed has just been disabled at the first or last page).
async fn turned_to(
    app: &careledger_e2e::App,
    page: usize,
    pages: usize,
    focused: &str,
) -> TestResult {
    app.wait_for_text("statement-page-number", &format!("Page {page} of {pages}"))
        .await?;
    wait_for_focus(app, focused).await?;
    assert_eq!(
        app.focused_id().await?,
        focused,
        "focus after turning to page {page}"
    );
    let label = app
        .element("statement-page")
        .await?
        .attr("aria-label")
        .await?
        .unwrap_or_default();
    assert!(
        label.contains(&format!("Page {page} of {pages} of the statement"))
            && label.contains("'The statement as text'"),
        "the page picture says which page it is and where its text is: {label:?}"
    );
    Ok(())
}

/// Scrolls the window so the element `id` is at its top, for a picture.
async fn scroll_to(app: &careledger_e2e::App, id: &str) -> WebDriverResult<()> {
    let element = app.element(id).await?;
    app.driver
        .execute(
            "arguments[0].scrollIntoView({ block: 'start' });",
            vec![element.to_json()?],
        )
        .await?;
    Ok(())
}

/// The text of each cell (not the row's heading) in the row matched by `css`.
async fn cells(app: &careledger_e2e::App, css: &str) -> WebDriverResult<Vec<String>> {
    let mut texts = Vec::new();
    for cell in app.driver.find_all(By::Css(format!("{css} > td"))).await? {
        texts.push(cell.text().await?.trim().to_owned());
    }
    Ok(texts)
}

#[tokio::test(flavor = "multi_thread")]
async fn the_statement_is_read_as_pages_or_as_text_by_keyboard_alone() -> TestResult {
    let saved = tempfile::tempdir()?;
    let driver = Driver::start_with_env(
        "statement_keyboard",
        &[("CARELEDGER_TEST_SAVE_DIR", saved.path())],
    );
    let data = tempfile::tempdir()?;
    let (holder, _) = seed_demo(data.path());
    let app = driver.launch(data.path()).await?;
    app.element("person-heading").await?;
    app.tab_to("person-continue", 10).await?;
    app.keys(Key::Enter).await?;
    app.wait_for_text("current-person", "David Ellis").await?;
    app.tab_to("tab-statement", 20).await?;
    app.keys(Key::Enter).await?;
    app.element("statement-heading").await?;

    // The easy-read page is asked for beside large print, and goes into
    // what is printed: the preview has the pages core makes with it.
    app.tab_to("statement-easyRead", 30).await?;
    app.keys(Key::Space).await?;
    let ticked = app
        .element("statement-easyRead")
        .await?
        .prop("checked")
        .await?;
    assert_eq!(
        ticked.as_deref(),
        Some("true"),
        "the easy-read box is ticked"
    );
    let pages = core_pages(
        data.path(),
        holder,
        &PrintOptions {
            easy_read: true,
            ..PrintOptions::default()
        },
    );
    assert!(pages >= 3, "{pages} pages");

    app.tab_to("statement-preview", 40).await?;
    app.keys(Key::Enter).await?;
    app.wait_for_text("statement-page-number", &format!("Page 1 of {pages}"))
        .await?;
    wait_for_focus(&app, "preview-heading").await?;
    app.wait_for_text(
        "status-message",
        &format!("The statement is ready below: {pages} pages"),
    )
    .await?;

    // Saving keeps the focus on the button pressed, and says where it went.
    app.tab_to("statement-save-pdf", 5).await?;
    app.keys(Key::Enter).await?;
    app.wait_for_text("status-message", "Saved the statement as")
        .await?;
    wait_for_focus(&app, "statement-save-pdf").await?;
    app.tab_to("statement-save-csv", 5).await?;
    app.keys(Key::Enter).await?;
    app.wait_for_text("status-message", "Saved the CSV file as")
        .await?;
    wait_for_focus(&app, "statement-save-csv").await?;
    assert_eq!(
        std::fs::read_dir(saved.path())?.count(),
        2,
        "the PDF and the CSV"
    );

    // Forward through every page: Enter, Enter, … with the focus kept on
    // "Next page"; at the last page it moves to "Previous page".
    app.tab_to("statement-next", 10).await?;
    turned_to(&app, 1, pages, "statement-next").await?;
    for page in 2..=pages {
        app.keys(Key::Enter).await?;
        let focused = if page == pages {
            "statement-previous"
        } else {
            "statement-next"
        };
        turned_to(&app, page, pages, focused).await?;
    }
    // And back to the first, where the focus goes to "Next page".
    for page in (1..pages).rev() {
        app.keys(Key::Enter).await?;
        let focused = if page == 1 {
            "statement-next"
        } else {
            "statement-previous"
        };
        turned_to(&app, page, pages, focused).await?;
    }

    // The text view, chosen with the arrow keys in "How to see it".
    shift_tab(&app).await?;
    assert_eq!(app.focused_id().await?, "statement-view-pages");
    app.keys(Key::Down).await?;
    assert_eq!(app.focused_id().await?, "statement-view-text");
    app.element("statement-text").await?;
    assert!(
        app.driver
            .find_all(By::Id("statement-page"))
            .await?
            .is_empty(),
        "the text view takes the place of the page pictures"
    );

    // It shows core's statement, figure for figure.
    let store = open_store(data.path());
    let periods = store.statement_periods(holder, today())?;
    let statement = store.statement(
        holder,
        &periods[0].from.to_string(),
        &periods[0].to.to_string(),
    )?;
    assert_eq!(
        app.text_of("statement-text-period").await?,
        format!(
            "{} to {}",
            statement.from.format("%-d %b %Y"),
            statement.to.format("%-d %b %Y")
        )
    );
    for (id, figure) in [
        ("statement-text-opening", statement.opening_balance),
        ("statement-text-in", statement.money_in_total),
        ("statement-text-out", statement.money_out_total),
        ("statement-text-closing", statement.closing_balance),
        ("statement-text-money-in-total", statement.money_in_total),
    ] {
        assert_eq!(app.text_of(id).await?, figure.to_string(), "#{id}");
    }
    for (i, funding) in statement.funding.iter().enumerate() {
        assert_eq!(
            cells(
                &app,
                &format!("#statement-text-funding tbody tr:nth-child({})", i + 1)
            )
            .await?,
            [
                funding.for_year.to_string(),
                funding.due_in_period.to_string(),
                funding.received_in_period.to_string(),
            ],
            "{}'s money",
            funding.source
        );
    }
    assert!(!statement.lines.is_empty());
    for line in &statement.lines {
        assert_eq!(
            cells(
                &app,
                &format!("#statement-text-money-out tr[data-line='{}']", line.key.0)
            )
            .await?,
            [
                line.for_year.to_string(),
                line.due_to_date.to_string(),
                line.spent.to_string(),
                line.spent_to_date.to_string(),
                line.left_for_year.to_string(),
                line.note.clone(),
            ],
            "money out on {}",
            line.description
        );
    }
    let totals = &statement.line_totals;
    assert_eq!(
        cells(&app, "#statement-text-money-out tr[data-line='all']").await?,
        [
            totals.for_year.to_string(),
            totals.due_to_date.to_string(),
            totals.spent.to_string(),
            totals.spent_to_date.to_string(),
            totals.left_for_year.to_string(),
            String::new(),
        ]
    );
    let in_hand = app.text_of("statement-text-in-hand").await?;
    let tenths = statement
        .weeks_in_hand_tenths
        .expect("the demo has weekly funding");
    assert!(
        in_hand.contains(&format!(
            "{} in hand is {}{}.{} weeks of funding ({} a week). The local limit is {} weeks.",
            statement.closing_balance,
            if tenths < 0 { "-" } else { "" },
            tenths.abs() / 10,
            tenths.abs() % 10,
            statement.weekly_funding,
            statement.surplus_limit_weeks
        )),
        "{in_hand}"
    );
    let exception_rows = app
        .driver
        .find_all(By::Css("#statement-text-exceptions tbody tr"))
        .await?
        .len();
    assert_eq!(exception_rows, statement.exceptions.len());
    let evidence = app.text_of("statement-text-evidence").await?;
    assert!(
        evidence.contains("IMG_2041.png"),
        "the receipt is in the evidence index"
    );

    app.assert_accessible("statement as text").await?;
    scroll_to(&app, "statement-text").await?;
    app.screenshot("statement-text-100").await?;

    // At 200% text the words grow and reflow; nothing makes the page scroll
    // sideways (a table too wide scrolls in its own region, which then takes
    // the focus so it can be scrolled by keyboard).
    app.text_size(200).await?;
    app.driver
        .execute_async(
            "const done = arguments[arguments.length - 1];
             requestAnimationFrame(() => requestAnimationFrame(() => done(true)));",
            vec![],
        )
        .await?;
    assert_eq!(
        app.sideways().await?,
        "",
        "nothing makes the page scroll sideways at 200% text"
    );
    let regions = app
        .driver
        .execute(
            "return [...document.querySelectorAll('#statement-text table')].map((t) => { \
               const box = t.parentElement; \
               if (box.scrollWidth <= box.clientWidth + 1) return 'fits'; \
               return [box.getAttribute('role'), box.getAttribute('tabindex'), box.getAttribute('aria-label') ? 'named' : 'no name'].join(' '); \
             });",
            vec![],
        )
        .await?;
    let regions: Vec<String> = serde_json::from_value(regions.json().clone())?;
    assert!(
        regions.iter().all(|r| r == "fits" || r == "region 0 named"),
        "each table fits, or scrolls in a named region the Tab key reaches: {regions:?}"
    );
    app.assert_accessible("statement as text at 200% text")
        .await?;
    scroll_to(&app, "statement-text").await?;
    app.screenshot("statement-text-200").await?;
    scroll_to(&app, "statement-text-money-out").await?;
    app.screenshot("statement-text-200-money-out").await?;
    app.quit().await?;
    Ok(())
}
