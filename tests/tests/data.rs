//! Data safety in the real window: save a backup, change the data, restore
//! the backup and see the earlier data again; a file that is not a backup
//! is refused with a clear message and changes nothing.

mod common;

use careledger_core::backup::inspect;
use careledger_core::store::BackupFiles;
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

    // Today's automatic backup is made as the app opens, beside the window.
    let backups = data.path().join("backups");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while std::fs::read_dir(&backups).map_or(0, |found| found.count()) == 0
        && std::time::Instant::now() < deadline
    {
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert_eq!(
        std::fs::read_dir(&backups)?.count(),
        1,
        "one automatic backup"
    );

    app.click(&app.element("data-button").await?).await?;
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
    app.click(&app.element("data-button").await?).await?;
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
    let driver = Driver::start_with_env(
        "data_refused",
        &[("CARELEDGER_TEST_OPEN_FILE", &not_a_backup)],
    );
    let data = tempfile::tempdir()?;
    seed(data.path(), &["Margaret Ellis"]);
    // First the same name holds a good backup, which is previewed...
    open_store(data.path()).backup_to(&not_a_backup, BackupFiles::Carried)?;
    let app = driver.launch(data.path()).await?;
    continue_as(&app, "David Ellis").await?;
    log_payment(&app, today(), "Joanne Pike", "£116.00").await?;
    app.click(&app.element("data-button").await?).await?;
    app.press("Choose a backup…").await?;
    app.wait_for_text("restore-heading", "This backup holds")
        .await?;
    // ...then it is replaced by something else and chosen again.
    std::fs::write(&not_a_backup, b"This is not a database at all.".repeat(100))?;
    app.press("Choose a backup…").await?;
    app.wait_for_text("data-problem", "is not a Careledger backup")
        .await?;
    app.wait_for_text("data-problem", "Nothing has been changed")
        .await?;
    // The earlier preview and its button went with the failed choice, and
    // the app forgot the earlier file too.
    assert!(app
        .driver
        .find_all(By::Id("restore-preview"))
        .await?
        .is_empty());
    assert!(app
        .driver
        .find_all(By::Id("data-restore-confirm"))
        .await?
        .is_empty());
    let restored = app
        .driver
        .execute_async(
            "const done = arguments[0]; \
             window.__TAURI_INTERNALS__.invoke('restore_chosen', {}) \
               .then(() => done('restored'), (error) => done(error.message));",
            vec![],
        )
        .await?;
    assert_eq!(
        restored.json().as_str(),
        Some("Choose the backup to restore first."),
        "nothing left to restore"
    );
    assert_eq!(core_payments(data.path()).len(), 1);
    app.screenshot("data-not-a-backup").await?;
    app.quit().await?;
    Ok(())
}

/// Every file the window saves, aimed at the data folder itself (as a save
/// dialog left on the wrong folder would aim it): each is refused in plain
/// words, and the data is byte for byte as it was and still opens.
#[tokio::test(flavor = "multi_thread")]
async fn nothing_the_window_saves_can_land_on_the_data() -> TestResult {
    let data = tempfile::tempdir()?;
    seed(data.path(), &["Margaret Ellis"]);
    let driver = Driver::start_with_env(
        "data_outputs_refused",
        &[("CARELEDGER_TEST_SAVE_DIR", data.path())],
    );
    let app = driver.launch(data.path()).await?;
    continue_as(&app, "David Ellis").await?;
    log_payment(&app, today(), "Joanne Pike", "£116.00").await?;
    let database = data.path().join(careledger_core::store::DATABASE_FILE_NAME);
    let wal = data.path().join("careledger.sqlite3-wal");
    let before = (std::fs::read(&database)?, std::fs::read(&wal)?);
    let files_before = std::fs::read_dir(data.path())?.count();

    app.click(&app.element("data-button").await?).await?;
    for button in ["Save a backup…", "Export everything…"] {
        app.press(button).await?;
        app.wait_for_text("data-problem", "inside Careledger's own data folder")
            .await?;
        app.wait_for_text("data-problem", "Nothing has been changed")
            .await?;
    }
    app.screenshot("data-save-refused").await?;
    open_tab(&app, "tab-statement").await?;
    app.press("Show the statement").await?;
    for button in ["Save as PDF…", "Save the entries as CSV…"] {
        app.press(button).await?;
        app.wait_for_text("statement-problem", "inside Careledger's own data folder")
            .await?;
    }

    assert_eq!(
        (std::fs::read(&database)?, std::fs::read(&wal)?),
        before,
        "the data, byte for byte"
    );
    assert_eq!(
        std::fs::read_dir(data.path())?.count(),
        files_before,
        "nothing new in the data folder"
    );
    app.quit().await?;
    assert_eq!(core_payments(data.path()).len(), 1, "and it still opens");
    Ok(())
}
