//! The Careledger desktop app: a thin Tauri shell around careledger-core.
//!
//! The shell finds the data folder, opens the store, and exposes core's
//! functions to the UI as commands. It holds no business rules and no SQL.

pub mod cli;
mod commands;
mod data_safety;
mod dialogs;
mod files;
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
            let data_dir = options.data_dir(|| app.path().app_data_dir().ok());
            app.manage(AppState::open(data_dir, options.demo));
            app.manage(data_safety::ChosenRestore::default());
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
        ])
        .run(tauri::generate_context!())
        .unwrap_or_else(|error| {
            eprintln!("Careledger could not start its window: {error}");
            std::process::exit(1);
        });
}
