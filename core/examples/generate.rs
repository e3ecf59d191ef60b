//! `cargo xtask generate <small|large|worst> [--out DIR] [--today DATE]
//! [--seed N] [--journal FILE]`: makes a data folder the app opens with
//! `--data-dir DIR`, filled by `careledger_core::generate`, and optionally
//! the same ledger as an hledger journal.

use std::path::PathBuf;
use std::time::Instant;

use careledger_core::generate::{generate, Spec};
use careledger_core::store::DATABASE_FILE_NAME;
use careledger_core::Store;
use chrono::NaiveDate;

const USAGE: &str = "usage: generate <small|large|worst> [--out DIR] [--today YYYY-MM-DD] [--seed N] [--journal FILE]";

fn main() {
    if let Err(message) = run(std::env::args().skip(1).collect()) {
        eprintln!("generate: {message}\n{USAGE}");
        std::process::exit(1);
    }
}

fn run(args: Vec<String>) -> Result<(), String> {
    let mut args = args.into_iter();
    let size = args.next().ok_or("say which size")?;
    let (mut out, mut today, mut seed, mut journal) = (None, None, None, None);
    while let Some(flag) = args.next() {
        let value = args.next().ok_or(format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--out" => out = Some(PathBuf::from(value)),
            "--today" => {
                today =
                    Some(NaiveDate::parse_from_str(&value, "%Y-%m-%d").map_err(|_| {
                        format!("--today takes a date like 2026-12-01, not {value:?}")
                    })?)
            }
            "--seed" => {
                seed = Some(
                    value
                        .parse::<u64>()
                        .map_err(|_| format!("--seed takes a whole number, not {value:?}"))?,
                )
            }
            "--journal" => journal = Some(PathBuf::from(value)),
            _ => return Err(format!("unknown option {flag:?}")),
        }
    }
    let today = today.unwrap_or_else(|| chrono::Local::now().date_naive());
    let mut spec = Spec::named(&size, today).ok_or(format!("no size called {size:?}"))?;
    if let Some(seed) = seed {
        spec.seed = seed;
    }
    let out = out.unwrap_or_else(|| PathBuf::from(format!("careledger-{size}")));
    let database = out.join(DATABASE_FILE_NAME);
    if database.exists() {
        // Never add to, or write over, data that is already there.
        return Err(format!(
            "{} already holds data; choose an empty folder",
            out.display()
        ));
    }
    std::fs::create_dir_all(&out)
        .map_err(|error| format!("could not make {}: {error}", out.display()))?;
    let began = Instant::now();
    let mut store = Store::open(&database).map_err(|error| error.to_string())?;
    let made = generate(&mut store, &spec).map_err(|error| error.to_string())?;
    println!(
        "{size}: {} holders, {} payments, {} money in, {} revisions, {} photos and {} PDFs, plans {} to {}, in {:.1} s",
        made.plans.len(),
        made.payments,
        made.money_in,
        made.revisions,
        made.photos,
        made.pdfs,
        spec.plan_period().0,
        spec.plan_period().1,
        began.elapsed().as_secs_f64()
    );
    if let Some(journal) = journal {
        let text = careledger_core::journal::journal(&store).map_err(|error| error.to_string())?;
        std::fs::write(&journal, text)
            .map_err(|error| format!("could not write {}: {error}", journal.display()))?;
        println!("journal: {}", journal.display());
    }
    println!("open it with: cargo xtask run --data-dir {}", out.display());
    Ok(())
}
