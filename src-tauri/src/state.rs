//! The app's state: the open store, or why it could not be opened.

use std::path::PathBuf;
use std::sync::Mutex;

use careledger_core::store::DATABASE_FILE_NAME;
use careledger_core::{demo, AppInfo, ErrorCode, ErrorReport, Store};
use chrono::{Local, NaiveDate};

/// Shared by every command. A store that failed to open is kept as the
/// error, so the window still opens and tells the person what is wrong.
pub struct AppState {
    data_dir: PathBuf,
    store: Result<Mutex<Store>, ErrorReport>,
}

impl AppState {
    /// Opens (creating if need be) the data in `data_dir`. With `demo`, an
    /// empty store is filled with the sample holder.
    pub fn open(data_dir: PathBuf, demo: bool) -> AppState {
        let store = open_store(&data_dir, demo).map(Mutex::new);
        if let Err(problem) = &store {
            eprintln!("Careledger could not open its data: {}", problem.message);
        }
        AppState { data_dir, store }
    }

    /// What the UI shows about the app itself.
    pub fn info(&self) -> AppInfo {
        AppInfo {
            version: env!("CARGO_PKG_VERSION").to_owned(),
            data_dir: self.data_dir.display().to_string(),
            today: today(),
            startup_problem: self.store.as_ref().err().cloned(),
        }
    }

    /// Runs `action` on the store and turns its error into the UI's report.
    pub fn with_store<T>(
        &self,
        action: impl FnOnce(&mut Store) -> careledger_core::Result<T>,
    ) -> Result<T, ErrorReport> {
        let store = self.store.as_ref().map_err(Clone::clone)?;
        // A panic while holding the lock cannot leave SQLite half-written
        // (writes are transactions), but it may leave one open: roll that
        // back, so later writes are not held inside it, then carry on.
        let mut store = store.lock().unwrap_or_else(|poisoned| {
            let mut store = poisoned.into_inner();
            store.end_unfinished_transaction();
            store
        });
        action(&mut store).map_err(ErrorReport::from)
    }
}

/// Today's date on this computer's clock: what "today" means to the person.
pub fn today() -> NaiveDate {
    Local::now().date_naive()
}

fn open_store(data_dir: &std::path::Path, demo: bool) -> Result<Store, ErrorReport> {
    std::fs::create_dir_all(data_dir).map_err(|error| ErrorReport {
        code: ErrorCode::App,
        message: format!(
            "Careledger could not make its data folder at {}: {error}. Check that the folder can be written to.",
            data_dir.display()
        ),
        field: None,
    })?;
    let mut store = Store::open(&data_dir.join(DATABASE_FILE_NAME))?;
    if demo && store.holders()?.is_empty() {
        demo::populate(&mut store, today())?;
    }
    Ok(store)
}

#[cfg(test)]
mod tests {
    use super::*;
    use careledger_core::plan::ActingRole;
    use careledger_core::{NewHolder, NewPerson};

    fn new_holder(
        store: &mut Store,
        name: &str,
    ) -> careledger_core::Result<careledger_core::Holder> {
        let carer = match store.people()?.into_iter().next() {
            Some(person) => person,
            None => store.add_person(&NewPerson {
                name: "Sam Carer".into(),
            })?,
        };
        let form = NewHolder {
            name: name.into(),
            date_of_birth: String::new(),
            nhs_number: String::new(),
            acting_person: carer.id,
            acting_role: ActingRole::Carer,
        };
        store.add_holder(&form, today())
    }

    #[test]
    fn opens_a_new_data_folder_and_keeps_what_is_written() {
        let dir = tempfile::tempdir().unwrap();
        let data_dir = dir.path().join("nested").join("careledger");
        let state = AppState::open(data_dir.clone(), false);
        assert_eq!(state.info().startup_problem, None);
        state.with_store(|store| new_holder(store, "Ann")).unwrap();
        drop(state);
        let again = AppState::open(data_dir, false);
        let holders = again.with_store(|store| store.holders()).unwrap();
        assert_eq!(holders.len(), 1);
    }

    #[test]
    fn demo_fills_only_an_empty_store() {
        let dir = tempfile::tempdir().unwrap();
        let state = AppState::open(dir.path().to_owned(), true);
        let holders = state.with_store(|store| store.holders()).unwrap();
        assert_eq!(holders.len(), 1);
        drop(state);
        let again = AppState::open(dir.path().to_owned(), true);
        assert_eq!(again.with_store(|store| store.holders()).unwrap().len(), 1);
    }

    #[test]
    fn bad_input_comes_back_as_a_report_naming_the_field() {
        let dir = tempfile::tempdir().unwrap();
        let state = AppState::open(dir.path().to_owned(), false);
        let report = state.with_store(|store| new_holder(store, "")).unwrap_err();
        assert_eq!(report.code, ErrorCode::InvalidInput);
        assert_eq!(report.field.as_deref(), Some("name"));
        assert_eq!(report.message, "Enter the person's name.");
    }

    #[test]
    fn a_data_file_that_cannot_be_opened_is_reported_not_a_crash() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(DATABASE_FILE_NAME),
            b"not a database at all, just text".repeat(64),
        )
        .unwrap();
        let state = AppState::open(dir.path().to_owned(), false);
        let problem = state.info().startup_problem.expect("a problem is reported");
        assert_eq!(problem.code, ErrorCode::NotADatabase);
        let report = state.with_store(|store| store.holders()).unwrap_err();
        assert_eq!(report, problem);
    }

    #[test]
    fn a_data_folder_that_cannot_be_made_is_reported() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a-file");
        std::fs::write(&file, b"x").unwrap();
        let state = AppState::open(file.join("careledger"), false);
        let problem = state.info().startup_problem.expect("a problem is reported");
        assert_eq!(problem.code, ErrorCode::App);
        assert!(
            problem.message.contains("could not make its data folder"),
            "{}",
            problem.message
        );
    }
}
