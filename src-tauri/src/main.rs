// No console window behind the app on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    let mut args = std::env::args().skip(1);
    // `careledger statement …` makes a statement without opening a window.
    if args.next().as_deref() == Some("statement") {
        let result =
            careledger::cli::StatementArgs::parse(args).and_then(careledger::cli::run_statement);
        match result {
            Ok(lines) => {
                for line in lines {
                    println!("{line}");
                }
                return;
            }
            Err(message) => {
                eprintln!("{message}");
                std::process::exit(2);
            }
        }
    }
    careledger::run();
}
