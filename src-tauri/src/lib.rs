//! The Careledger desktop app: a thin Tauri shell around careledger-core.
//!
//! The shell finds the data folder, opens the store, and exposes core's
//! functions to the UI as commands. It holds no business rules and no SQL.

pub mod cli;
mod commands;
mod data_safety;
mod dialogs;
mod launch;
mod state;
mod statements;
mod upload;

pub use launch::{LaunchOptions, DATA_DIR_ENV};
pub use state::AppState;

use tauri::Manager;

/// Starts the app: parses the command line, opens the data, shows the window.
pub fn run() {
    let options = LaunchOptions::from_args(std::env::args().skip(1));
    tauri::Builder::default()
        // The save dialog, used from Rust only: the UI is granted none of
        // the plugin's own commands.
        .plugin(tauri_plugin_dialog::init())
        .setup(move |app| {
            // A folder chosen in the app comes before the platform's own.
            let remembered = app
                .path()
                .app_config_dir()
                .ok()
                .and_then(|dir| launch::remembered_data_dir(&dir));
            let data_dir =
                options.data_dir(|| remembered.or_else(|| app.path().app_data_dir().ok()));
            app.manage(AppState::open(data_dir, options.demo));
            app.manage(data_safety::ChosenRestore::default());
            start_hourly_backups(app.handle().clone());
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::app_info,
            commands::plan_options,
            commands::list_people,
            commands::add_person,
            commands::list_holders,
            commands::add_holder,
            commands::holder_overview,
            commands::preview_new_plan,
            commands::create_plan,
            commands::plan_details,
            commands::preview_revision,
            commands::revise_plan,
            commands::record_payment,
            commands::edit_payment,
            commands::void_payment,
            commands::find_payments,
            commands::payment_detail,
            commands::payment_history,
            commands::attach_evidence,
            commands::remove_evidence,
            commands::evidence_thumbnail,
            commands::record_money_in,
            commands::void_money_in,
            commands::set_surplus_limit,
            commands::add_recurring,
            commands::stop_recurring,
            commands::confirm_due,
            commands::skip_due,
            statements::statement_periods,
            statements::statement_preview,
            statements::save_statement,
            statements::open_statement,
            data_safety::data_folders,
            data_safety::back_up_now,
            data_safety::export_everything,
            data_safety::choose_backup,
            data_safety::choose_export,
            data_safety::restore_chosen,
            data_safety::cancel_restore,
            data_safety::backup_health,
            data_safety::choose_second_place,
            data_safety::recovery_info,
            data_safety::restore_listed,
            data_safety::choose_data_folder,
        ])
        .build(tauri::generate_context!())
        .unwrap_or_else(|error| {
            eprintln!("Careledger could not start its window: {error}");
            std::process::exit(1);
        })
        .run(|app, event| {
            // Closing the window and the app ending both back up the day's
            // changes (once: with none left, the second does nothing).
            let closing = matches!(
                event,
                tauri::RunEvent::Exit
                    | tauri::RunEvent::ExitRequested { .. }
                    | tauri::RunEvent::WindowEvent {
                        event: tauri::WindowEvent::CloseRequested { .. }
                            | tauri::WindowEvent::Destroyed,
                        ..
                    }
            );
            if closing {
                data_safety::back_up_on_close(&app.state::<AppState>());
            }
        });
}

/// Looks every minute whether the data has changed since the last
/// automatic backup, and makes one when the changes have stopped for a
/// while or an hour has passed: a day's entries are then in a backup long
/// before the app is closed, and even if it never closes cleanly.
/// `CARELEDGER_TEST_BACKUP_SECONDS` shortens both waits, for the
/// end-to-end tests.
fn start_hourly_backups(app: tauri::AppHandle) {
    let test_seconds = std::env::var(TEST_BACKUP_SECONDS_ENV)
        .ok()
        .and_then(|seconds| seconds.parse().ok())
        .map(std::time::Duration::from_secs);
    let look_every = test_seconds.unwrap_or(std::time::Duration::from_secs(60));
    let quiet = test_seconds.unwrap_or(state::QUIET_AFTER_CHANGES);
    std::thread::spawn(move || loop {
        std::thread::sleep(look_every);
        app.state::<AppState>()
            .back_up_if_changed(state::BackupMoment::Timer {
                now: std::time::Instant::now(),
                quiet,
            });
    });
}

/// Shortens the waits before a backup through the day, in seconds.
const TEST_BACKUP_SECONDS_ENV: &str = "CARELEDGER_TEST_BACKUP_SECONDS";
