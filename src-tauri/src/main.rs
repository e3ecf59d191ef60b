// No console window behind the app on Windows release builds (the command
// line attaches to the console it was started from instead).
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use careledger::cli::Command;

fn main() {
    match Command::from_args(std::env::args().skip(1).collect()) {
        Command::Window => careledger::run(),
        // `careledger statement …`, `--version` and `--help` open no window.
        command => {
            careledger::cli::attach_to_parent_console();
            let said = command.run();
            if said.code == 0 {
                println!("{}", said.text);
            } else {
                eprintln!("{}", said.text);
            }
            std::process::exit(said.code);
        }
    }
}
