//! The Careledger desktop app: a thin Tauri shell around careledger-core.
//!
//! The shell finds the data folder, opens the store, and exposes core's
//! functions to the UI as commands. It holds no business rules and no SQL.

mod about;
mod account_statements;
pub mod cli;
mod commands;
mod data_safety;
mod dialogs;
mod launch;
mod long_work;
mod state;
mod statements;
mod upload;
#[cfg(target_os = "linux")]
mod webview;

pub use launch::{LaunchOptions, DATA_DIR_ENV};
pub use state::AppState;

use tauri::Manager;

/// How long after opening the app starts making older receipts' photos
/// ready to print: the person's first minute is theirs alone.
const PREPARE_RECEIPTS_AFTER: std::time::Duration = std::time::Duration::from_secs(60);

/// Starts the app: parses the command line, opens the data, shows the window.
pub fn run() {
    let options = LaunchOptions::from_args(std::env::args().skip(1));
    tauri::Builder::default()
        // The save dialog, used from Rust only: the UI is granted none of
        // the plugin's own commands.
        .plugin(tauri_plugin_dialog::init())
        .setup(move |app| {
            // Drawn without GPU compositing, which took most of the web
            // view's memory (webview.rs).
            #[cfg(target_os = "linux")]
            if let Some(window) = app.get_webview_window("main") {
                webview::draw_without_compositing(&window);
            }
            // A folder chosen in the app comes before the platform's own.
            let data_dir = options.data_dir(launch::platform_data_dir);
            app.manage(AppState::open(data_dir, options.demo));
            // The day's first backup is copied while the window opens;
            // then receipts' photos not yet made ready to print are, a
            // while later and one at a time.
            let handle = app.handle().clone();
            std::thread::spawn(move || {
                let state = handle.state::<AppState>();
                state.make_days_backup();
                std::thread::sleep(PREPARE_RECEIPTS_AFTER);
                if let Some(cache) = statements::print_cache(&handle) {
                    let photos = state
                        .with_store(|store| store.photo_sha256s())
                        .unwrap_or_default();
                    cache.prepare(
                        &photos,
                        |sha256| state.with_store(|store| store.evidence_content(sha256)),
                        std::time::Duration::from_millis(100),
                    );
                }
            });
            app.manage(data_safety::ChosenRestore::default());
            app.manage(account_statements::ChosenStatement::default());
            app.manage(long_work::LongWork::default());
            start_hourly_backups(app.handle().clone());
            Ok(())
        })
        // Every command in build.rs's COMMANDS, which also makes the
        // permission for each and the set the capability grants.
        .invoke_handler(include!(concat!(env!("OUT_DIR"), "/invoke_handler.rs")))
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
