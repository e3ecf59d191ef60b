//! Ten years of data in the real window: how long the app takes to show its
//! first screen and the dashboard, to open the list of payments and go to
//! its oldest, and how much memory the app and its web view use. Figures
//! printed for the README, not asserted: speed lives in figures, never in
//! pass or fail.
//!
//! The data is the generator's `large` set (10 holders × 10 years, 100,000
//! payments and 3,000 receipts), made in release by `cargo xtask test`
//! (it takes minutes) and named by CARELEDGER_LARGE_DATA.

mod common;

use std::time::Instant;

use careledger_core::store::DATABASE_FILE_NAME;
use careledger_e2e::Driver;
use common::*;
use thirtyfour::prelude::*;

/// The figures, printed and kept in target/e2e/scale-figures.txt, which
/// `cargo xtask test` shows at its end.
struct Figures(String);

impl Figures {
    fn say(&mut self, line: String) {
        println!("{line}");
        self.0.push_str(&line);
        self.0.push('\n');
    }
}

fn seconds(began: Instant) -> String {
    format!("{:.2} s", began.elapsed().as_secs_f64())
}

#[tokio::test(flavor = "multi_thread")]
async fn ten_years_of_data_in_the_window_figures() -> TestResult {
    let large = std::env::var_os("CARELEDGER_LARGE_DATA").ok_or(
        "CARELEDGER_LARGE_DATA names the generated large data set: run the end-to-end tests with \
         `cargo xtask test`, which makes it (or `cargo xtask generate large` and set it)",
    )?;
    let source = std::path::Path::new(&large).join(DATABASE_FILE_NAME);
    // A copy, so the set made once serves every run unchanged.
    let data = tempfile::tempdir()?;
    std::fs::copy(&source, data.path().join(DATABASE_FILE_NAME))?;
    // Its receipts, a gigabyte, are linked rather than copied: nothing here
    // adds one, and the app only ever adds files there.
    std::os::unix::fs::symlink(
        std::path::Path::new(&large).join("receipts"),
        data.path().join("receipts"),
    )?;
    let (person, holders, payments) = {
        let store = open_store(data.path());
        let holders = store.holders()?;
        let plan = store.plan_of(holders[0].id)?.expect("a plan").id;
        (
            store.people()?[0].name.clone(),
            holders.len(),
            store.payments(plan)?.len(),
        )
    };
    let size_mb = std::fs::metadata(&source)?.len() as f64 / 1_000_000.0;
    let mut figures = Figures(String::new());
    figures.say(format!(
        "large: {holders} holders, the first with {payments} payments; data file {size_mb:.0} MB"
    ));

    let driver = Driver::start("scale_large");
    let began = Instant::now();
    let app = driver.launch(data.path()).await?;
    app.element("person-heading").await?;
    figures.say(format!("start to the first screen: {}", seconds(began)));
    let chosen = Instant::now();
    continue_as(&app, &person).await?;
    app.element("figure-spent").await?;
    figures.say(format!(
        "choose who you are to the dashboard shown: {}",
        seconds(chosen)
    ));
    figures.say(format!(
        "start to the dashboard, all told: {}",
        seconds(began)
    ));

    let opened = Instant::now();
    open_tab(&app, "tab-spending").await?;
    app.driver.find(By::Css("#spending-table tbody tr")).await?;
    figures.say(format!("open the list of payments: {}", seconds(opened)));
    let turned = Instant::now();
    app.click(&app.element("page-oldest").await?).await?;
    // At the oldest page, "Oldest" has nowhere further to go.
    let deadline = Instant::now() + std::time::Duration::from_secs(120);
    while app.element("page-oldest").await?.is_enabled().await? && Instant::now() < deadline {
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let status = app.text_of("find-summary").await?;
    figures.say(format!(
        "go to its oldest payments ({status}): {}",
        seconds(turned)
    ));
    app.screenshot("scale-oldest").await?;

    let memory = driver.app_memory();
    let total: u64 = memory.iter().map(|process| process.pss_kb).sum();
    for process in &memory {
        figures.say(format!(
            "  {}: {:.0} MB",
            process.name,
            process.pss_kb as f64 / 1024.0
        ));
    }
    figures.say(format!(
        "memory of the app and its web view processes (PSS): {:.0} MB",
        total as f64 / 1024.0
    ));
    std::fs::write(
        careledger_e2e::artefacts_dir().join("scale-figures.txt"),
        &figures.0,
    )?;
    assert!(
        memory
            .iter()
            .any(|process| process.name.starts_with("careledger")),
        "the app's own process is among them: {memory:?}"
    );
    app.quit().await?;
    Ok(())
}
