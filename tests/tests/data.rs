//! Data safety in the real window: save a backup, change the data, restore
//! the backup and see the earlier data again; a file that is not a backup
//! is refused with a clear message and changes nothing.

mod common;

use careledger_core::backup::inspect;
use careledger_e2e::Driver;
use chrono::Days;
use common::*;
use thirtyfour::prelude::*;

#[tokio::test(flavor = "multi_thread")]
async fn a_backup_made_then_restored_brings_back_the_earlier_data() -> TestResult {
    let saved = tempfile::tempdir()?;
    // The app's save dialog puts files in `saved`; its open dialog picks
    // the backup it will have saved there.
    let backup = saved
        .path()
        .join(format!("Careledger backup {}.backup.sqlite3", today()));
    let driver = Driver::start_with_env(
        "data_restore",
        &[
            ("CARELEDGER_TEST_SAVE_DIR", saved.path()),
            ("CARELEDGER_TEST_OPEN_FILE", &backup),
        ],
    );
    let data = tempfile::tempdir()?;
    seed(data.path(), &["Margaret Ellis"]);
    let app = driver.launch(data.path()).await?;
    continue_as(&app, "David Ellis").await?;
    log_payment(&app, today() - Days::new(3), "Joanne Pike", "£116.00").await?;

    // Today's automatic backup was made when the app opened.
    let backups = data.path().join("backups");
    assert_eq!(
        std::fs::read_dir(&backups)?.count(),
        1,
        "one automatic backup"
    );

    app.element("data-button").await?.click().await?;
    app.wait_for_text("main-heading", "Backups and export")
        .await?;
    app.assert_accessible("backups and export").await?;
    app.press("Save a backup…").await?;
    app.wait_for_text("status-message", "Saved a backup as")
        .await?;
    assert!(backup.is_file(), "the backup is where it was saved");
    assert_eq!(inspect(&backup)?.payment_count, 1);

    // A change after the backup.
    open_tab(&app, "tab-spending").await?;
    log_payment(&app, today() - Days::new(1), "Tesco", "£12.34").await?;
    assert_eq!(rows_in_spending_table(&app).await?, 2);

    // Restore: first a look at what the backup holds, then the restore.
    app.element("data-button").await?.click().await?;
    app.press("Choose a backup…").await?;
    app.wait_for_text("restore-heading", "This backup holds")
        .await?;
    let holds = app.text_of("restore-preview").await?;
    assert!(holds.contains("Margaret Ellis"), "{holds}");
    assert!(holds.contains("Payments 1 "), "{holds}");
    app.screenshot("data-restore-preview").await?;
    app.assert_accessible("restore preview").await?;
    app.press("Restore this data").await?;
    app.wait_for_text("status-message", "Restored Careledger backup")
        .await?;
    app.wait_for_text("status-message", "Your data as it was is kept as")
        .await?;

    // The earlier data is back on screen and in the file.
    open_tab(&app, "tab-spending").await?;
    assert_eq!(rows_in_spending_table(&app).await?, 1);
    let table = app
        .element("spending-table")
        .await?
        .prop("textContent")
        .await?
        .unwrap_or_default();
    assert!(
        table.contains("Joanne Pike") && !table.contains("Tesco"),
        "{table}"
    );
    assert_eq!(core_payments(data.path()).len(), 1);
    // ...and the data as it was before the restore is kept.
    let safety: Vec<_> = std::fs::read_dir(&backups)?
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains("before-restore"))
        .collect();
    assert_eq!(safety.len(), 1, "one safety backup");
    assert_eq!(inspect(&safety[0].path())?.payment_count, 2);

    // Writing still works after the swap.
    log_payment(&app, today(), "Boots", "£8.40").await?;
    assert_eq!(core_payments(data.path()).len(), 2);
    app.quit().await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn a_file_that_is_not_a_backup_is_refused_and_nothing_changes() -> TestResult {
    let files = tempfile::tempdir()?;
    let not_a_backup = files.path().join("holiday photo.backup.sqlite3");
    std::fs::write(&not_a_backup, b"This is not a database at all.".repeat(100))?;
    let driver = Driver::start_with_env(
        "data_refused",
        &[("CARELEDGER_TEST_OPEN_FILE", &not_a_backup)],
    );
    let data = tempfile::tempdir()?;
    seed(data.path(), &["Margaret Ellis"]);
    let app = driver.launch(data.path()).await?;
    continue_as(&app, "David Ellis").await?;
    log_payment(&app, today(), "Joanne Pike", "£116.00").await?;
    app.element("data-button").await?.click().await?;
    app.press("Choose a backup…").await?;
    app.wait_for_text("data-problem", "is not a Careledger backup")
        .await?;
    app.wait_for_text("data-problem", "Nothing has been changed")
        .await?;
    assert!(app
        .driver
        .find_all(By::Id("restore-preview"))
        .await?
        .is_empty());
    assert_eq!(core_payments(data.path()).len(), 1);
    app.screenshot("data-not-a-backup").await?;
    app.quit().await?;
    Ok(())
}
