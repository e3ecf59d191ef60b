//! `careledger statement …`: statements from the command line, for people
//! who print them for many holders and for scripted checks. It opens no
//! window; core does the work.

use std::path::PathBuf;

use careledger_core::statement::to_csv;
use careledger_core::statement_pdf::PrintOptions;
use careledger_core::store::DATABASE_FILE_NAME;
use careledger_core::Store;

use crate::files::write_whole_file;

const USAGE: &str = "Usage: careledger statement --data-dir DIR --holder NAME --from DATE --to DATE --out FILE.pdf [--csv FILE.csv] [--large-print] [--receipts]

--large-print prints body text at 16 pt. --receipts adds the receipts' pictures after the statement.
Dates are day/month/year, for example 1/4/2026.";

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
                "-h" | "--help" => return Err(USAGE.to_owned()),
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
    let store = Store::open(&database).map_err(|error| error.to_string())?;
    let holder = store
        .holder_named(&holder)
        .map_err(|error| error.to_string())?;
    let options = PrintOptions {
        large_print: args.large_print,
        receipt_images: args.receipts,
        ..PrintOptions::default()
    };
    let (statement, pdf) = store
        .statement_pdf(holder.id, &from, &to, &options)
        .map_err(|error| error.to_string())?;
    let write = |path: &PathBuf, bytes: &[u8]| write_whole_file(path, bytes);
    write(&out, &pdf)?;
    let mut written = vec![format!("Wrote the statement to {}", out.display())];
    if let Some(csv) = args.csv {
        write(
            &csv,
            &to_csv(&statement).map_err(|error| error.to_string())?,
        )?;
        written.push(format!("Wrote the CSV to {}", csv.display()));
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;
    use careledger_core::demo;

    fn args(list: &[&str]) -> StatementArgs {
        StatementArgs::parse(list.iter().map(|s| s.to_string())).unwrap()
    }

    fn demo_folder() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join(DATABASE_FILE_NAME)).unwrap();
        demo::populate(
            &mut store,
            chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(),
        )
        .unwrap();
        dir
    }

    #[test]
    fn writes_the_pdf_and_csv() {
        let dir = demo_folder();
        let out = dir.path().join("statement.pdf");
        let csv = dir.path().join("statement.csv");
        let data = dir.path().to_str().unwrap();
        let written = run_statement(args(&[
            "--data-dir",
            data,
            "--holder",
            "margaret ellis",
            "--from",
            "1/12/2025",
            "--to",
            "28/2/2026",
            "--out",
            out.to_str().unwrap(),
            "--csv",
            csv.to_str().unwrap(),
            "--large-print",
        ]))
        .unwrap();
        assert_eq!(written.len(), 2);
        assert!(std::fs::read(&out).unwrap().starts_with(b"%PDF-"));
        assert!(std::fs::read(&csv)
            .unwrap()
            .starts_with("\u{feff}Type,Date".as_bytes()));
    }

    #[test]
    fn says_clearly_what_is_wrong() {
        let dir = demo_folder();
        let data = dir.path().to_str().unwrap();
        let out = dir.path().join("s.pdf");
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
        assert!(error(&[
            "--data-dir",
            data,
            "--holder",
            "Margaret Ellis",
            "--from",
            "1/12/2025",
            "--to",
            "1/1/2026",
            "--out",
            "/nonexistent/folder/s.pdf"
        ])
        .contains("could not save /nonexistent/folder/s.pdf: the folder /nonexistent/folder does not exist"));
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
}
