//! When the data file is damaged, the window offers the way back: the
//! automatic backups listed with what each holds, one restored with a
//! press, the damaged file moved aside and kept. And a second place for
//! the backups, with a warning when it goes missing.

mod common;

use careledger_core::backup::inspect;
use careledger_core::store::DATABASE_FILE_NAME;
use careledger_e2e::Driver;
use chrono::Days;
use common::*;

/// Overwrites the data file's schema page (keeping SQLite's header), so
/// SQLite knows the file but cannot read what is in it: damaged, as a bad
/// disk or a pulled-out USB stick leaves it.
fn damage(data_dir: &std::path::Path) -> std::io::Result<Vec<u8>> {
    let database = data_dir.join(DATABASE_FILE_NAME);
    for companion in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{companion}", database.display()));
    }
    let mut bytes = std::fs::read(&database)?;
    for (at, byte) in bytes.iter_mut().enumerate().take(4096).skip(100) {
        *byte = (at % 251) as u8;
    }
    std::fs::write(&database, &bytes)?;
    Ok(bytes)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_damaged_data_file_is_brought_back_from_the_recovery_screen() -> TestResult {
    // Backups through the day after a second of quiet, not ten minutes.
    let driver = Driver::start_with_env(
        "recovery",
        &[("CARELEDGER_TEST_BACKUP_SECONDS", std::path::Path::new("1"))],
    );
    let data = tempfile::tempdir()?;
    seed(data.path(), &["Margaret Ellis"]);
    let app = driver.launch(data.path()).await?;
    continue_as(&app, "David Ellis").await?;
    log_payment(&app, today() - Days::new(2), "Joanne Pike", "£116.00").await?;
    // The payment is backed up once the changes have stopped for a while,
    // while the app is still open.
    let backup = data
        .path()
        .join("backups")
        .join(careledger_core::backup::daily_backup_name(today()));
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while inspect(&backup)?.payment_count == 0 {
        assert!(
            std::time::Instant::now() < deadline,
            "no backup through the day"
        );
        std::thread::sleep(std::time::Duration::from_millis(500));
    }
    app.quit().await?;

    let damaged = damage(data.path())?;
    let app = driver.launch(data.path()).await?;
    app.wait_for_text("main-heading", "Careledger cannot open your data")
        .await?;
    app.wait_for_text("recovery-problem", "damaged").await?;
    app.wait_for_text("recovery-backups", "Daily backup")
        .await?;
    let listed = app.text_of("recovery-backups").await?;
    assert!(listed.contains("Margaret Ellis"), "{listed}");
    app.screenshot("recovery-screen").await?;
    app.assert_accessible("recovery screen").await?;

    // The newest backup is first; restore it.
    let restore = app
        .driver
        .find(thirtyfour::By::ClassName("restore-listed"))
        .await?;
    let label = restore.attr("aria-label").await?.unwrap_or_default();
    assert!(label.starts_with("Restore this backup, from "), "{label}");
    app.click(&restore).await?;
    app.wait_for_text("status-message", "Restored careledger-")
        .await?;
    app.wait_for_text("status-message", "it has not been deleted")
        .await?;
    app.screenshot("recovery-restored").await?;

    // The data is back, in the window and in the file.
    continue_as(&app, "David Ellis").await?;
    app.wait_for_text("main-heading", "Margaret Ellis's budget")
        .await?;
    let payments = core_payments(data.path());
    // The payment made after the day's first backup is there.
    assert_eq!(payments.len(), 1, "the day's last change is in the backup");
    open_tab(&app, "tab-spending").await?;
    assert_eq!(rows_in_spending_table(&app).await?, payments.len());
    // The damaged file was moved into the backups folder, not deleted.
    let kept: Vec<_> = std::fs::read_dir(data.path().join("backups"))?
        .flatten()
        .filter(|entry| entry.file_name().to_string_lossy().contains("unreadable"))
        .collect();
    assert_eq!(kept.len(), 1, "the damaged file is kept");
    assert_eq!(std::fs::read(kept[0].path())?, damaged);
    // Writing works again.
    log_payment(&app, today(), "Boots", "£8.40").await?;
    assert_eq!(core_payments(data.path()).len(), payments.len() + 1);
    app.quit().await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn a_second_place_gets_the_backups_and_its_loss_is_shown() -> TestResult {
    let usb = tempfile::tempdir()?;
    let stick = usb.path().join("USB stick");
    std::fs::create_dir(&stick)?;
    let driver = Driver::start_with_env("second_place", &[("CARELEDGER_TEST_OPEN_FOLDER", &stick)]);
    let data = tempfile::tempdir()?;
    seed(data.path(), &["Margaret Ellis"]);
    let app = driver.launch(data.path()).await?;
    continue_as(&app, "David Ellis").await?;
    log_payment(&app, today() - Days::new(1), "Joanne Pike", "£116.00").await?;

    app.click(&app.element("data-button").await?).await?;
    app.wait_for_text("second-place-warning", "only on this computer")
        .await?;
    app.press("Choose a second place…").await?;
    app.wait_for_text("status-message", "will also be copied to")
        .await?;
    app.wait_for_text("second-place-details", "USB stick")
        .await?;
    let copies: Vec<_> = std::fs::read_dir(stick.join("Careledger backups"))?
        .flatten()
        .collect();
    assert_eq!(copies.len(), 1, "one copy in the second place");
    assert_eq!(
        inspect(&copies[0].path())?.payment_count,
        1,
        "holding the payment just made"
    );
    app.screenshot("second-place-chosen").await?;
    app.assert_accessible("second place").await?;

    // The USB stick is pulled out: every screen says so.
    std::fs::remove_dir_all(&stick)?;
    open_tab(&app, "tab-spending").await?;
    app.wait_for_text("backup-warning", "cannot find").await?;
    app.screenshot("second-place-missing").await?;
    app.assert_accessible("backup warning").await?;
    app.press("Go to Backups and export").await?;
    app.wait_for_text("second-place-warning", "cannot find")
        .await?;
    app.quit().await?;
    Ok(())
}
