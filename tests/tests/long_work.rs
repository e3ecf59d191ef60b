//! Long work in the real window: a statement with many photos of receipts
//! shows how far it has gone and stops when asked, with nothing made.

mod common;

use careledger_core::evidence::{check_evidence, EvidenceKind};
use careledger_core::records::Records;
use careledger_e2e::Driver;
use chrono::Days;
use common::*;
use thirtyfour::prelude::*;

#[tokio::test(flavor = "multi_thread")]
async fn a_statement_with_many_receipts_shows_its_progress_and_stops_when_asked() -> TestResult {
    let driver = Driver::start("long_work_statement");
    let data = tempfile::tempdir()?;
    let (david, plans) = seed(data.path(), &["Margaret Ellis"]);
    {
        let mut store = open_store(data.path());
        // Eight photos of phone size, on three payments each. Photos are
        // made ready to print once and kept in the app's cache folder, so
        // each run makes new ones (the seed from the clock): a photo kept
        // from an earlier run would print at once.
        let seed = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)?
            .subsec_nanos();
        let photos = (0..8u32)
            .map(|i| {
                check_evidence(
                    &format!("receipt {i}.jpg"),
                    careledger_core::generate::phone_photo(3000, 2250, seed.wrapping_add(i)),
                )
            })
            .collect::<Result<Vec<_>, _>>()?;
        for n in 0..24u64 {
            let photo = &photos[n as usize % photos.len()];
            let payment = store.record_payment(
                plans[0],
                &card_payment(
                    today() - Days::new(1 + n),
                    &format!("Shop {n}"),
                    "£12.50",
                    david,
                ),
                today(),
            )?;
            store.attach_evidence(plans[0], payment.key, EvidenceKind::Receipt, photo, david)?;
        }
    }
    let app = driver.launch(data.path()).await?;
    continue_as(&app, "David Ellis").await?;
    open_tab(&app, "tab-statement").await?;
    choose_statement_period(&app, "0").await?;
    app.click(&app.element("statement-receiptImages").await?)
        .await?;
    app.press("Show the statement").await?;

    // The bar shows the receipts being drawn, counted.
    app.wait_for_text("work-progress-what", "drawing the receipts")
        .await?;
    let count = app.text_of("work-progress-count").await?;
    assert!(count.ends_with("of 24"), "{count}");
    app.screenshot("long-work-progress").await?;
    app.assert_accessible("statement being made").await?;
    app.click(&app.element("work-stop").await?).await?;
    app.wait_for_text(
        "status-message",
        "Stopped, as you asked. Nothing was saved or changed.",
    )
    .await?;
    assert!(
        app.driver.find(By::Id("preview-heading")).await.is_err(),
        "no statement was made"
    );
    assert!(app.driver.find(By::Id("work-progress")).await.is_err());
    app.quit().await?;
    Ok(())
}
