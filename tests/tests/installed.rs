//! The installed app, opened as from the menu on data an earlier release
//! left: it updates the data, keeping a copy of it as it was first, and
//! shows what was there.
//!
//! Run only by `cargo xtask install-test`, after it has installed the
//! package (`CARELEDGER_APP` is the installed program) and before it
//! removes it; `CARELEDGER_INSTALL_TEST_HOME` is a fresh folder that stands
//! for the person's home, where the xtask then checks that removing the
//! package leaves the data alone.

mod common;

use std::path::{Path, PathBuf};

use careledger_core::store::DATABASE_FILE_NAME;
use careledger_e2e::Driver;
use common::*;
use rusqlite::{Connection, OpenFlags};

/// The app's folder in the platform's data folder (its identifier in
/// tauri.conf.json).
const APP_FOLDER: &str = "org.careledger.desktop";

/// "CLDG", as Careledger marks its data files.
const APPLICATION_ID: i32 = 0x434C_4447;

fn home() -> PathBuf {
    std::env::var_os("CARELEDGER_INSTALL_TEST_HOME")
        .map(PathBuf::from)
        .expect(
            "CARELEDGER_INSTALL_TEST_HOME is not set: this test opens the installed app, \
             and runs from `cargo xtask install-test`, which installs it first",
        )
}

/// Writes the data file Careledger's first release (schema version 1)
/// left: one holder, her plan and two payments.
fn write_first_release_data(database: &Path) {
    let conn = Connection::open(database).unwrap();
    conn.execute_batch(include_str!(
        "../../crates/store/src/migrations/0001_initial.sql"
    ))
    .unwrap();
    conn.pragma_update(None, "application_id", APPLICATION_ID)
        .unwrap();
    conn.pragma_update(None, "user_version", 1).unwrap();
    conn.execute_batch(
        "INSERT INTO holder (id, name, created_at) VALUES (1, 'Arthur Ames', '2026-04-01T09:00:00Z');
         INSERT INTO plan (id, holder_id, name, start_date, end_date, total_budget_pence, created_at)
             VALUES (1, 1, 'Arthur''s budget 2026-27', '2026-04-01', '2027-03-31', 1200000, '2026-04-01T09:00:00Z');
         INSERT INTO spending (plan_id, paid_on, payee, amount_pence, note, recorded_by, recorded_at)
             VALUES (1, '2026-04-10', 'Sunrise Care Agency', 45000, 'Two weeks of visits', 'Arthur Ames', '2026-04-10T09:00:00Z'),
                    (1, '2026-05-02', 'Lunch Club', 1250, '', 'Arthur Ames', '2026-05-02T09:00:00Z');",
    )
    .unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn the_installed_app_updates_an_earlier_releases_data_and_shows_it() -> TestResult {
    let home = home();
    let (data_home, config_home) = (home.join("data"), home.join("config"));
    let data_dir = data_home.join(APP_FOLDER);
    std::fs::create_dir_all(&data_dir)?;
    write_first_release_data(&data_dir.join(DATABASE_FILE_NAME));

    let cache_home = home.join("cache");
    let driver = Driver::start_with_env(
        "installed",
        &[
            ("XDG_DATA_HOME", data_home.as_path()),
            ("XDG_CONFIG_HOME", config_home.as_path()),
            ("XDG_CACHE_HOME", cache_home.as_path()),
        ],
    );
    let app = driver.launch_as_from_the_menu().await?;

    // What the app says about itself, and the data folder it found.
    app.wait_for_text(
        "about-version",
        &format!(
            "Careledger {}. Your data is kept on this computer in {}.",
            env!("CARGO_PKG_VERSION"),
            data_dir.display()
        ),
    )
    .await?;
    app.wait_for_text(
        "about-licence",
        "under the GNU Affero General Public License, version 3 or later. To report a problem, go to https://",
    )
    .await?;

    // The first release knew no one by name: say who is using it, and the
    // holder's budget is there with what was spent.
    continue_as(&app, "Arthur Ames").await?;
    app.wait_for_text("main-heading", "Arthur Ames's budget")
        .await?;
    app.wait_for_text("figure-spent", "£462.50").await?;
    assert_screen_matches_core(&app, &data_dir).await?;
    open_tab(&app, "tab-budget").await?;
    app.assert_accessible("installed app, where it stands")
        .await?;
    let picture = app.screenshot("installed-app").await?;
    println!("The installed app: {}", picture.display());
    app.quit().await?;
    drop(driver);

    // The data was kept as it was before it was updated.
    let backups: Vec<PathBuf> = std::fs::read_dir(data_dir.join("backups"))?
        .map(|entry| entry.map(|entry| entry.path()))
        .collect::<Result<_, _>>()?;
    let before_update = backups
        .iter()
        .find(|path| {
            path.file_name()
                .and_then(|name| name.to_str())
                .is_some_and(|name| name.starts_with("careledger-before-v1-"))
        })
        .unwrap_or_else(|| panic!("no copy from before the update among {backups:?}"));
    let copy = Connection::open_with_flags(before_update, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let version: i64 = copy.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    let spent: i64 = copy.query_row("SELECT sum(amount_pence) FROM spending", [], |row| {
        row.get(0)
    })?;
    assert_eq!(
        (version, spent),
        (1, 46_250),
        "the copy is the data as it was"
    );
    println!(
        "The data as the first release left it: {}",
        before_update.display()
    );
    Ok(())
}
