//! The command line: `careledger statement …` makes statements, for people
//! who print them for many holders and for scripted checks; `careledger
//! --version` says which Careledger this is and where its data is. Neither
//! opens a window; core does the work.

use careledger_core::views::Views;
use std::path::PathBuf;

use crate::launch::{platform_data_dir, LaunchOptions};

use careledger_core::output::Protected;
use careledger_core::statement_csv::to_csv;
use careledger_core::statement_pdf::PrintOptions;
use careledger_core::store::DATABASE_FILE_NAME;
use careledger_core::Store;

const USAGE: &str = "Usage: careledger statement --data-dir DIR --holder NAME --from DATE --to DATE --out FILE.pdf [--csv FILE.csv] [--large-print] [--receipts] [--easy-read]

--large-print prints body text at 16 pt. --receipts adds the receipts' pictures after the statement.
--easy-read starts with an easy-read page: the money in short sentences, large type and pictures.
Dates are day/month/year, for example 1/4/2026.";

const HELP: &str = "Usage: careledger [--data-dir DIR] [--demo]
       careledger statement --help
       careledger --version [--data-dir DIR]

With no command, careledger opens its window on the data in DIR (or in
CARELEDGER_DATA_DIR, or in the usual folder: careledger --version says which).
--demo fills empty data with a sample holder and a year of spending.
statement makes a review statement as a PDF (and CSV) without opening the window.";

/// What the command line asks for.
#[derive(Debug, PartialEq, Eq)]
pub enum Command {
    /// Open the window. Its options (`--data-dir`, `--demo`) are read by
    /// `LaunchOptions`, which ignores what it does not know.
    Window,
    /// `careledger statement …`, with the arguments after `statement`.
    Statement(Vec<String>),
    /// `careledger --version` (or `-V`), with the window's options, so a
    /// `--data-dir` names the folder it would open.
    Version(LaunchOptions),
    /// `careledger --help` (or `-h`).
    Help,
}

/// What a command said, and the exit code: 0 when it did what was asked
/// (printed on standard output), 2 when it could not (on standard error).
#[derive(Debug, PartialEq, Eq)]
pub struct Said {
    pub code: i32,
    pub text: String,
}

impl Command {
    /// Reads the arguments after the program's name.
    pub fn from_args(args: Vec<String>) -> Command {
        let asked = |short: &str, long: &str| args.iter().any(|arg| arg == short || arg == long);
        if args.first().map(String::as_str) == Some("statement") {
            Command::Statement(args[1..].to_vec())
        } else if asked("-V", "--version") {
            Command::Version(LaunchOptions::from_args(args))
        } else if asked("-h", "--help") {
            Command::Help
        } else {
            Command::Window
        }
    }

    /// Runs a command that opens no window. (`Window` is `careledger::run`.)
    pub fn run(self) -> Said {
        let done = |text: String| Said { code: 0, text };
        match self {
            Command::Window | Command::Help => done(HELP.to_owned()),
            Command::Version(options) => done(crate::about::version_text(
                &options.data_dir(platform_data_dir),
            )),
            Command::Statement(args) if args.iter().any(|arg| arg == "-h" || arg == "--help") => {
                done(USAGE.to_owned())
            }
            Command::Statement(args) => match StatementArgs::parse(args).and_then(run_statement) {
                Ok(lines) => done(lines.join("\n")),
                Err(message) => Said {
                    code: 2,
                    text: message,
                },
            },
        }
    }
}

/// Lets a command's words reach the terminal it was typed in. On Windows a
/// release build has no console of its own (it is a windowed program, so
/// that opening it from the Start menu shows no black window), and what it
/// printed would go nowhere: this attaches it to the console of the Command
/// Prompt or PowerShell it was started from. Call it before printing. Output that already
/// goes somewhere (a pipe, a file) is left there; opened from Explorer there
/// is no console to attach to, and nothing is shown.
pub fn attach_to_parent_console() {
    #[cfg(windows)]
    {
        use std::os::windows::io::AsRawHandle;
        if std::io::stdout().as_raw_handle().is_null() {
            let _ = winsafe::AttachConsole(winsafe::PidParent::Parent);
        }
    }
}

/// What `careledger statement` was asked for.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct StatementArgs {
    data_dir: Option<PathBuf>,
    holder: Option<String>,
    from: Option<String>,
    to: Option<String>,
    out: Option<PathBuf>,
    csv: Option<PathBuf>,
    large_print: bool,
    receipts: bool,
    easy_read: bool,
}

impl StatementArgs {
    /// Reads the arguments after `statement`.
    pub fn parse(args: impl IntoIterator<Item = String>) -> Result<StatementArgs, String> {
        let mut parsed = StatementArgs::default();
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            let mut value = |name: &str| {
                args.next()
                    .ok_or_else(|| format!("{name} needs a value.\n\n{USAGE}"))
            };
            match arg.as_str() {
                "--data-dir" => parsed.data_dir = Some(PathBuf::from(value("--data-dir")?)),
                "--holder" => parsed.holder = Some(value("--holder")?),
                "--from" => parsed.from = Some(value("--from")?),
                "--to" => parsed.to = Some(value("--to")?),
                "--out" => parsed.out = Some(PathBuf::from(value("--out")?)),
                "--csv" => parsed.csv = Some(PathBuf::from(value("--csv")?)),
                "--large-print" => parsed.large_print = true,
                "--receipts" => parsed.receipts = true,
                "--easy-read" => parsed.easy_read = true,
                other => return Err(format!("Careledger does not know {other:?}.\n\n{USAGE}")),
            }
        }
        Ok(parsed)
    }
}

/// Makes the statement; returns what was written, or what went wrong in
/// words for the person at the terminal.
pub fn run_statement(args: StatementArgs) -> Result<Vec<String>, String> {
    let missing = |name: &str| format!("{name} is needed.\n\n{USAGE}");
    let data_dir = args.data_dir.ok_or_else(|| missing("--data-dir"))?;
    let holder = args.holder.ok_or_else(|| missing("--holder"))?;
    let from = args.from.ok_or_else(|| missing("--from"))?;
    let to = args.to.ok_or_else(|| missing("--to"))?;
    let out = args.out.ok_or_else(|| missing("--out"))?;
    let database = data_dir.join(DATABASE_FILE_NAME);
    if !database.is_file() {
        return Err(format!(
            "There is no Careledger data in {}. Check the folder.",
            data_dir.display()
        ));
    }
    // Checked before any work, so a bad --out costs nothing and says so at
    // once; checked again as the files are written.
    let protected = Protected::data_folder(&data_dir).with_file_being_read(&database);
    let message = |error: careledger_core::Error| error.to_string();
    protected.check(&out).map_err(message)?;
    if let Some(csv) = &args.csv {
        protected.check(csv).map_err(message)?;
    }
    let store = Store::open(&database).map_err(message)?;
    let holder = store.holder_named(&holder).map_err(message)?;
    let options = PrintOptions {
        large_print: args.large_print,
        receipt_images: args.receipts,
        easy_read: args.easy_read,
        ..PrintOptions::default()
    };
    let (statement, pdf) = store
        .statement_to_print(holder.id, &from, &to, &options)
        .and_then(|to_print| {
            to_print.render(|receipt| store.evidence_content_to_print(&receipt.sha256))
        })
        .map_err(message)?;
    let mut written = vec![format!("Wrote the statement to {}", out.display())];
    match &args.csv {
        // Both or neither: a CSV that cannot be written leaves no PDF.
        Some(csv) => {
            let csv_bytes = to_csv(&statement).map_err(message)?;
            protected
                .write_together(&[(&out, &pdf), (csv, &csv_bytes)])
                .map_err(message)?;
            written.push(format!("Wrote the CSV to {}", csv.display()));
        }
        None => protected.write(&out, &pdf).map_err(message)?,
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;
    use careledger_core::demo;
    use std::path::Path;

    fn args(list: &[&str]) -> StatementArgs {
        StatementArgs::parse(list.iter().map(|s| s.to_string())).unwrap()
    }

    /// A data folder with the demo holder in it, and a folder for outputs
    /// beside it.
    struct Folders {
        _dir: tempfile::TempDir,
        data: PathBuf,
        out: PathBuf,
    }

    impl Folders {
        fn new() -> Folders {
            let dir = tempfile::tempdir().unwrap();
            let data = dir.path().join("data");
            let out = dir.path().join("out");
            std::fs::create_dir_all(&data).unwrap();
            std::fs::create_dir_all(&out).unwrap();
            let mut store = Store::open(&data.join(DATABASE_FILE_NAME)).unwrap();
            demo::populate(
                &mut store,
                chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(),
            )
            .unwrap();
            Folders {
                _dir: dir,
                data,
                out,
            }
        }

        fn database(&self) -> PathBuf {
            self.data.join(DATABASE_FILE_NAME)
        }

        /// Runs a statement for the demo holder with `--out out` and any
        /// `extra` arguments.
        fn run(&self, out: &Path, extra: &[&str]) -> Result<Vec<String>, String> {
            let mut list = vec![
                "--data-dir",
                self.data.to_str().unwrap(),
                "--holder",
                "Margaret Ellis",
                "--from",
                "1/12/2025",
                "--to",
                "28/2/2026",
                "--out",
                out.to_str().unwrap(),
            ];
            list.extend_from_slice(extra);
            run_statement(args(&list))
        }
    }

    #[test]
    fn writes_the_pdf_and_csv() {
        let folders = Folders::new();
        let out = folders.out.join("statement.pdf");
        let csv = folders.out.join("statement.csv");
        let written = folders
            .run(&out, &["--csv", csv.to_str().unwrap(), "--large-print"])
            .unwrap();
        assert_eq!(written.len(), 2);
        assert!(std::fs::read(&out).unwrap().starts_with(b"%PDF-"));
        assert!(std::fs::read(&csv)
            .unwrap()
            .starts_with("\u{feff}Type,Date".as_bytes()));
    }

    fn command(list: &[&str]) -> Command {
        Command::from_args(list.iter().map(|s| s.to_string()).collect())
    }

    #[test]
    fn tells_the_window_from_the_commands() {
        assert_eq!(command(&[]), Command::Window);
        assert_eq!(command(&["--demo", "--data-dir", "x"]), Command::Window);
        // A launcher's own arguments still open the window.
        assert_eq!(command(&["--launched-by", "gnome"]), Command::Window);
        assert_eq!(
            command(&["statement", "--help"]),
            Command::Statement(vec!["--help".into()])
        );
        assert_eq!(command(&["--help"]), Command::Help);
        assert_eq!(command(&["-h"]), Command::Help);
        assert_eq!(
            command(&["--data-dir", "/media/usb", "--version"]),
            Command::Version(LaunchOptions {
                data_dir: Some("/media/usb".into()),
                demo: false
            })
        );
        assert!(matches!(command(&["-V"]), Command::Version(_)));
    }

    #[test]
    fn version_names_the_data_folder_the_window_would_open() {
        let said = command(&["--version", "--data-dir", "/media/usb/careledger"]).run();
        assert_eq!(said.code, 0);
        assert!(said.text.starts_with("Careledger "), "{}", said.text);
        assert!(
            said.text.contains("\nData folder: /media/usb/careledger\n"),
            "{}",
            said.text
        );
        assert!(said
            .text
            .contains("Licence: GNU Affero General Public License"));
        assert!(said.text.contains("Report a problem: https://"));
    }

    #[test]
    fn help_succeeds_and_a_mistake_fails_with_words() {
        let help = command(&["statement", "--help"]).run();
        assert_eq!((help.code, help.text.as_str()), (0, USAGE));
        let wrong = command(&["statement", "--colour"]).run();
        assert_eq!(wrong.code, 2);
        assert!(wrong
            .text
            .starts_with("Careledger does not know \"--colour\"."));
        let general = command(&["--help"]).run();
        assert_eq!(general.code, 0);
        assert!(general.text.contains("careledger statement --help"));
    }

    #[test]
    fn reads_the_print_choices() {
        let all = args(&["--large-print", "--receipts", "--easy-read"]);
        assert!(all.large_print && all.receipts && all.easy_read);
        let none = args(&[]);
        assert!(!none.large_print && !none.receipts && !none.easy_read);
        assert!(USAGE.contains("[--easy-read]"));
    }

    #[test]
    fn an_easy_read_page_comes_first_when_asked_for() {
        let folders = Folders::new();
        let with = folders.out.join("with.pdf");
        let without = folders.out.join("without.pdf");
        folders.run(&with, &["--easy-read"]).unwrap();
        folders.run(&without, &[]).unwrap();
        // Each page is an object of /Type /Page (the page tree, /Pages).
        let pages = |path: &Path| {
            let pdf = std::fs::read(path).unwrap();
            let page = b"/Type/Page";
            pdf.windows(page.len() + 1)
                .filter(|window| window.starts_with(page) && window[page.len()] != b's')
                .count()
        };
        assert!(pages(&without) > 1);
        assert_eq!(pages(&with), pages(&without) + 1);
    }

    #[test]
    fn never_writes_over_the_data_whatever_the_path() {
        let folders = Folders::new();
        let database = folders.database();
        // Let SQLite make its -wal and -shm files, as a running app would.
        let open = Store::open(&database).unwrap();
        let before = std::fs::read(&database).unwrap();
        let mut targets = vec![
            database.clone(),
            PathBuf::from(format!("{}-wal", database.display())),
            PathBuf::from(format!("{}-shm", database.display())),
            folders.data.join("careledger.lock"),
            folders.data.join("statement.pdf"),
            folders.data.join("backups").join("statement.pdf"),
            folders.out.join("..").join("data").join(DATABASE_FILE_NAME),
        ];
        #[cfg(unix)]
        {
            let link = folders.out.join("link.pdf");
            std::os::unix::fs::symlink(&database, &link).unwrap();
            targets.push(link);
            let folder_link = folders.out.join("data-link");
            std::os::unix::fs::symlink(&folders.data, &folder_link).unwrap();
            targets.push(folder_link.join(DATABASE_FILE_NAME));
        }
        let hard = folders.out.join("hard.pdf");
        std::fs::hard_link(&database, &hard).unwrap();
        targets.push(hard);
        for target in &targets {
            let error = folders.run(target, &[]).unwrap_err();
            assert!(error.contains("Nothing has been changed"), "{error}");
            let as_csv = folders
                .run(
                    &folders.out.join("fine.pdf"),
                    &["--csv", target.to_str().unwrap()],
                )
                .unwrap_err();
            assert!(as_csv.contains("Nothing has been changed"), "{as_csv}");
            assert!(!folders.out.join("fine.pdf").exists(), "both or neither");
        }
        drop(open);
        assert_eq!(std::fs::read(&database).unwrap(), before, "byte for byte");
        let store = Store::open(&database).unwrap();
        assert_eq!(store.holders().unwrap().len(), 1, "and still opens");
    }

    #[test]
    fn says_clearly_what_is_wrong() {
        let folders = Folders::new();
        let data = folders.data.to_str().unwrap();
        let out = folders.out.join("s.pdf");
        let out = out.to_str().unwrap();
        let error = |list: &[&str]| run_statement(args(list)).unwrap_err();
        assert!(error(&[
            "--data-dir",
            data,
            "--holder",
            "Nobody",
            "--from",
            "1/12/2025",
            "--to",
            "1/1/2026",
            "--out",
            out
        ])
        .contains("There is no one called Nobody. The budget holders are: Margaret Ellis."));
        assert!(error(&[
            "--data-dir",
            data,
            "--holder",
            "Margaret Ellis",
            "--from",
            "31/2/2026",
            "--to",
            "1/1/2026",
            "--out",
            out
        ])
        .contains("is not a date"));
        let missing = folders
            .run(Path::new("/nonexistent/folder/s.pdf"), &[])
            .unwrap_err();
        assert!(missing.contains("does not exist"), "{missing}");
        let folder = folders.run(&folders.out, &[]).unwrap_err();
        assert!(
            folder.contains("that is a folder, not a file name"),
            "{folder}"
        );
        assert!(!folder.contains("os error"), "{folder}");
        #[cfg(target_os = "linux")]
        {
            let proc = folders.run(Path::new("/proc/x.pdf"), &[]).unwrap_err();
            assert!(!proc.contains("does not exist"), "{proc}");
            assert!(proc.contains("cannot be written to"), "{proc}");
        }
        let twice = folders.run(Path::new(out), &["--csv", out]).unwrap_err();
        assert!(twice.contains("give each its own name"), "{twice}");
        assert!(error(&[
            "--data-dir",
            "/nonexistent",
            "--holder",
            "x",
            "--from",
            "1/1/2026",
            "--to",
            "1/2/2026",
            "--out",
            out
        ])
        .contains("There is no Careledger data in /nonexistent"));
        assert!(error(&["--holder", "x"]).contains("--data-dir is needed"));
        assert!(StatementArgs::parse(["--colour".to_string()])
            .unwrap_err()
            .contains("does not know \"--colour\""));
        assert!(
            !std::path::Path::new(out).exists(),
            "nothing written on error"
        );
    }

    #[test]
    fn prints_the_receipts_after_the_statement() {
        let folders = Folders::new();
        {
            let mut store = Store::open(&folders.database()).unwrap();
            let holder = store.holder_named("Margaret Ellis").unwrap();
            let plan = store.plan_of(holder.id).unwrap().unwrap().id;
            let from = chrono::NaiveDate::from_ymd_opt(2025, 12, 1).unwrap();
            let to = chrono::NaiveDate::from_ymd_opt(2026, 2, 28).unwrap();
            let payment = store
                .payments(plan)
                .unwrap()
                .into_iter()
                .find(|payment| (from..=to).contains(&payment.paid_on) && payment.voided.is_none())
                .expect("a payment in the period");
            let photo = careledger_core::evidence::check_evidence(
                "IMG_2041.png",
                &include_bytes!("../../core/tests/fixtures/receipt.png")[..],
            )
            .unwrap();
            store
                .attach_evidence(
                    plan,
                    payment.key,
                    careledger_core::evidence::EvidenceKind::Receipt,
                    &photo,
                    payment_person(&store),
                )
                .unwrap();
        }
        let with = folders.out.join("with.pdf");
        let without = folders.out.join("without.pdf");
        folders.run(&with, &["--receipts"]).unwrap();
        folders.run(&without, &[]).unwrap();
        let images = |path: &Path| {
            let pdf = std::fs::read(path).unwrap();
            pdf.windows(b"/DCTDecode".len())
                .filter(|window| window == b"/DCTDecode")
                .count()
        };
        assert_eq!(images(&with), 1, "the photo is printed");
        assert_eq!(images(&without), 0);
    }

    /// Someone who may record changes in the demo data.
    fn payment_person(store: &Store) -> careledger_core::PersonId {
        store.people().unwrap()[0].id
    }

    #[test]
    fn a_csv_that_cannot_be_written_leaves_no_pdf() {
        let folders = Folders::new();
        let out = folders.out.join("statement.pdf");
        // A folder that exists but where nothing can be made, even by root.
        #[cfg(target_os = "linux")]
        let csv = PathBuf::from("/proc/statement.csv");
        #[cfg(not(target_os = "linux"))]
        let csv = folders.out.join("no such folder").join("statement.csv");
        let error = folders
            .run(&out, &["--csv", csv.to_str().unwrap()])
            .unwrap_err();
        assert!(!error.contains("os error"), "{error}");
        assert!(!out.exists(), "no PDF without its CSV");
    }
}
