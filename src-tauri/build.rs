/// The commands the UI may call. Listing them here makes Tauri generate one
/// permission per command, so the capability file grants exactly these.
const COMMANDS: &[&str] = &[
    "app_info",
    "plan_options",
    "list_people",
    "add_person",
    "list_holders",
    "add_holder",
    "holder_overview",
    "preview_new_plan",
    "create_plan",
    "plan_details",
    "preview_revision",
    "revise_plan",
    "record_payment",
    "edit_payment",
    "void_payment",
    "find_payments",
    "payment_detail",
    "payment_history",
    "attach_evidence",
    "remove_evidence",
    "evidence_thumbnail",
    "record_money_in",
    "void_money_in",
    "set_surplus_limit",
    "add_recurring",
    "stop_recurring",
    "confirm_due",
    "skip_due",
    "statement_periods",
    "statement_preview",
    "save_statement",
    "open_statement",
    "data_folders",
    "back_up_now",
    "export_everything",
    "choose_backup",
    "choose_export",
    "restore_chosen",
    "cancel_restore",
    "backup_health",
    "choose_second_place",
    "recovery_info",
    "restore_listed",
    "choose_data_folder",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("failed to run the Tauri build script");
}
