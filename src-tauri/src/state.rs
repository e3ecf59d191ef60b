//! The app's state: the open store, or why it could not be opened.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use careledger_core::backup::{automatic_backup, BACKUPS_FOLDER};
use careledger_core::lock::DataLock;
use careledger_core::store::DATABASE_FILE_NAME;
use careledger_core::{demo, AppInfo, ErrorCode, ErrorReport, Store};
use chrono::{Local, NaiveDate};

/// Shared by every command. A store that failed to open is kept as the
/// error, so the window still opens and tells the person what is wrong.
pub struct AppState {
    data_dir: PathBuf,
    /// Held for as long as the app runs, so a second copy of the app is
    /// told the data is already open instead of writing beside this one.
    _lock: Option<DataLock>,
    /// Behind one mutex with the error, so a restore can swap the store.
    store: Mutex<Result<Store, ErrorReport>>,
    /// Why the store could not be opened at start, for the window to say.
    startup_problem: Option<ErrorReport>,
}

impl AppState {
    /// Opens (creating if need be) the data in `data_dir`, and makes the
    /// day's automatic backup if there is none yet. With `demo`, an empty
    /// store is filled with the sample holder.
    pub fn open(data_dir: PathBuf, demo: bool) -> AppState {
        let opened = make_data_dir(&data_dir).and_then(|()| {
            let lock = DataLock::acquire(&data_dir)?;
            let store = open_store(&data_dir, demo)?;
            Ok((lock, store))
        });
        let (lock, store) = match opened {
            Ok((lock, store)) => {
                daily_backup(&store, &data_dir);
                (Some(lock), Ok(store))
            }
            Err(problem) => {
                eprintln!("Careledger could not open its data: {}", problem.message);
                (None, Err(problem))
            }
        };
        AppState {
            data_dir,
            _lock: lock,
            startup_problem: store.as_ref().err().cloned(),
            store: Mutex::new(store),
        }
    }

    /// The data folder.
    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// Where the automatic backups and safety copies are kept.
    pub fn backups_dir(&self) -> PathBuf {
        self.data_dir.join(BACKUPS_FOLDER)
    }

    /// The data file.
    pub fn database_path(&self) -> PathBuf {
        self.data_dir.join(DATABASE_FILE_NAME)
    }

    /// What the UI shows about the app itself.
    pub fn info(&self) -> AppInfo {
        AppInfo {
            version: env!("CARGO_PKG_VERSION").to_owned(),
            data_dir: self.data_dir.display().to_string(),
            today: today(),
            startup_problem: self.startup_problem.clone(),
        }
    }

    /// Runs `action` on the store and turns its error into the UI's report.
    pub fn with_store<T>(
        &self,
        action: impl FnOnce(&mut Store) -> careledger_core::Result<T>,
    ) -> Result<T, ErrorReport> {
        let mut guard = self.lock_store();
        let store = guard.as_mut().map_err(|problem| problem.clone())?;
        action(store).map_err(ErrorReport::from)
    }

    /// Closes the store, runs `replace` on the data file (a restore), and
    /// puts back the store it returns. If `replace` fails the data file was
    /// not changed, so the same data is opened again.
    pub fn replace_store<T>(
        &self,
        replace: impl FnOnce(&Path) -> careledger_core::Result<(Store, T)>,
    ) -> Result<T, ErrorReport> {
        let mut guard = self.lock_store();
        // SQLite's file must be closed before it is swapped.
        *guard = Err(ErrorReport {
            code: ErrorCode::Busy,
            message: "Your data is being restored. Wait a moment and try again.".into(),
            field: None,
        });
        match replace(&self.database_path()) {
            Ok((store, value)) => {
                *guard = Ok(store);
                Ok(value)
            }
            Err(error) => {
                *guard = Store::open(&self.database_path()).map_err(ErrorReport::from);
                Err(ErrorReport::from(error))
            }
        }
    }

    fn lock_store(&self) -> MutexGuard<'_, Result<Store, ErrorReport>> {
        // A panic while holding the lock cannot leave SQLite half-written
        // (writes are transactions), but it may leave one open: roll that
        // back, so later writes are not held inside it, then carry on.
        self.store.lock().unwrap_or_else(|poisoned| {
            let mut guard = poisoned.into_inner();
            if let Ok(store) = guard.as_mut() {
                store.end_unfinished_transaction();
            }
            guard
        })
    }
}

/// The day's automatic backup. A failure is reported on the terminal but
/// never stops the app: the data itself is untouched by it.
fn daily_backup(store: &Store, data_dir: &Path) {
    if let Err(error) = automatic_backup(store, &data_dir.join(BACKUPS_FOLDER), today()) {
        eprintln!("Careledger could not make today's automatic backup: {error}");
    }
}

/// A failure of the app itself (not of core), in words for the screen.
pub fn app_error(message: String) -> ErrorReport {
    ErrorReport {
        code: ErrorCode::App,
        message,
        field: None,
    }
}

/// Today's date on this computer's clock: what "today" means to the person.
pub fn today() -> NaiveDate {
    Local::now().date_naive()
}

fn make_data_dir(data_dir: &Path) -> Result<(), ErrorReport> {
    std::fs::create_dir_all(data_dir).map_err(|error| ErrorReport {
        code: ErrorCode::App,
        message: format!(
            "Careledger could not make its data folder at {}: {error}. Check that the folder can be written to.",
            data_dir.display()
        ),
        field: None,
    })
}

fn open_store(data_dir: &Path, demo: bool) -> Result<Store, ErrorReport> {
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
    fn a_second_copy_is_told_the_data_is_already_open() {
        let dir = tempfile::tempdir().unwrap();
        let first = AppState::open(dir.path().to_owned(), false);
        assert_eq!(first.info().startup_problem, None);
        let second = AppState::open(dir.path().to_owned(), false);
        let problem = second.info().startup_problem.expect("refused");
        assert_eq!(problem.code, ErrorCode::Busy);
        assert!(
            problem.message.contains("already open"),
            "{}",
            problem.message
        );
        // The first copy is unaffected and keeps working.
        first.with_store(|store| new_holder(store, "Ann")).unwrap();
        drop(second);
        drop(first);
        let third = AppState::open(dir.path().to_owned(), false);
        assert_eq!(third.info().startup_problem, None, "free once closed");
    }

    #[test]
    fn opening_makes_the_days_backup_once() {
        let dir = tempfile::tempdir().unwrap();
        let state = AppState::open(dir.path().to_owned(), true);
        let folder = state.backups_dir();
        let backups = || std::fs::read_dir(&folder).unwrap().count();
        assert_eq!(backups(), 1);
        drop(state);
        let again = AppState::open(dir.path().to_owned(), false);
        assert_eq!(again.info().startup_problem, None);
        assert_eq!(backups(), 1, "one a day");
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
