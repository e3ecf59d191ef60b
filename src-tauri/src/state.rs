//! The app's state: the data folder, its lock, and the open store or why
//! it could not be opened; and the backups made through the day.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use careledger_core::backup::{automatic_backup_of_file, refresh_todays_backup, BACKUPS_FOLDER};
use careledger_core::lock::DataLock;
use careledger_core::output::Protected;
use careledger_core::second_place::{copy_to_second_place, DataSettings};
use careledger_core::store::DATABASE_FILE_NAME;
use careledger_core::{demo, private, AppInfo, Error, ErrorCode, ErrorReport, Store};
use chrono::{Local, NaiveDate};

/// While the app is open and changes keep coming, a backup is made at
/// least this often.
pub const BACKUP_EVERY: Duration = Duration::from_secs(60 * 60);

/// A burst of changes is backed up once this long has passed with no
/// further change.
pub const QUIET_AFTER_CHANGES: Duration = Duration::from_secs(10 * 60);

/// Shared by every command. A store that failed to open is kept as the
/// error, so the window still opens and tells the person what is wrong.
pub struct AppState {
    /// Behind one mutex, so a restore can swap the store and choosing
    /// another data folder can swap everything.
    session: Mutex<Session>,
    /// Held while the day's first backup is copied off the session's lock
    /// (it reads the data file through its own connection): a restore or
    /// another data folder waits for it, so a copy of data about to be
    /// replaced never becomes the day's backup after the replacement.
    /// Taken before `session` when both are.
    first_backup: Mutex<()>,
}

/// One data folder, open.
struct Session {
    data_dir: PathBuf,
    /// Held for as long as the data is open, so a second copy of the app
    /// is told the data is already open instead of writing beside this
    /// one. Kept even when the data file is damaged, so that the recovery
    /// screen's restore is this window's alone.
    _lock: Option<DataLock>,
    store: Result<Store, ErrorReport>,
    /// Why the store could not be opened, for the window to say.
    startup_problem: Option<ErrorReport>,
    backups: BackupTracker,
}

/// What the backups through the day need to know.
struct BackupTracker {
    /// The store's change count at the last backup.
    changes_at_backup: u64,
    /// When the last backup was made (or tried).
    at: Instant,
    /// The change count when the timer last looked, and when it first saw
    /// that count: the time of the latest change, to within one look.
    changes_seen: u64,
    changed_at: Instant,
    /// Why the last automatic backup failed, if it did, for the window.
    problem: Option<String>,
}

/// When an automatic backup is being considered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BackupMoment {
    /// The app is closing: back up any change.
    Closing,
    /// The timer's look at `now`: back up changes once `quiet` has passed
    /// without another, or once the last backup is [`BACKUP_EVERY`] old.
    Timer { now: Instant, quiet: Duration },
}

impl AppState {
    /// Opens (creating if need be) the data in `data_dir`, and makes the
    /// day's automatic backup if there is none yet. With `demo`, an empty
    /// store is filled with the sample holder.
    pub fn open(data_dir: PathBuf, demo: bool) -> AppState {
        AppState {
            session: Mutex::new(Session::open(data_dir, demo)),
            first_backup: Mutex::new(()),
        }
    }

    /// Makes the day's automatic backup unless there is one (and copies it
    /// to the second place), reading the data file through a connection of
    /// its own: the window opens and works while ten years of data and
    /// receipts are copied. Run once the data is open; a failure is kept
    /// for the window to show and never stops the app.
    pub fn make_days_backup(&self) {
        let _first = self.first_backup.lock().unwrap_or_else(|p| p.into_inner());
        let data_dir = {
            let session = self.lock_session();
            if session.store.is_err() {
                return;
            }
            session.data_dir.clone()
        };
        let problem = daily_backup(&data_dir).err();
        let mut session = self.lock_session();
        if session.data_dir == data_dir && problem.is_some() {
            session.backups.problem = problem;
        }
    }

    /// The data folder.
    pub fn data_dir(&self) -> PathBuf {
        self.lock_session().data_dir.clone()
    }

    /// Where the automatic backups and safety copies are kept.
    pub fn backups_dir(&self) -> PathBuf {
        self.data_dir().join(BACKUPS_FOLDER)
    }

    /// The places no output the person asks for may be written: the data
    /// folder and all in it, and the second place's backups.
    pub fn protected(&self) -> Protected {
        let data_dir = self.data_dir();
        let protected = Protected::data_folder(&data_dir);
        match DataSettings::read(&data_dir).second_place_folder() {
            Some(folder) => protected.with_backup_folder(&folder),
            None => protected,
        }
    }

    /// What the UI shows about the app itself.
    pub fn info(&self) -> AppInfo {
        let session = self.lock_session();
        AppInfo {
            version: crate::about::VERSION.to_owned(),
            data_dir: session.data_dir.display().to_string(),
            licence: crate::about::LICENCE.to_owned(),
            report_a_problem: crate::about::REPORT_A_PROBLEM.to_owned(),
            today: today(),
            startup_problem: session.startup_problem.clone(),
        }
    }

    /// Why the last automatic backup failed, if it did.
    pub fn backup_problem(&self) -> Option<String> {
        self.lock_session().backups.problem.clone()
    }

    /// Runs `action` on the store and turns its error into the UI's report.
    pub fn with_store<T>(
        &self,
        action: impl FnOnce(&mut Store) -> careledger_core::Result<T>,
    ) -> Result<T, ErrorReport> {
        let mut session = self.lock_session();
        let store = session.store.as_mut().map_err(|problem| problem.clone())?;
        action(store).map_err(ErrorReport::from)
    }

    /// Closes the store, runs `replace` on the data file (a restore), and
    /// puts back the store it returns. If `replace` fails the data file was
    /// not changed, so the same data is opened again (or the same problem
    /// shown).
    pub fn replace_store<T>(
        &self,
        replace: impl FnOnce(&Path) -> careledger_core::Result<(Store, T)>,
    ) -> Result<T, ErrorReport> {
        let _first = self.first_backup.lock().unwrap_or_else(|p| p.into_inner());
        let mut session = self.lock_session();
        let database = session.data_dir.join(DATABASE_FILE_NAME);
        // SQLite's file must be closed before it is swapped.
        session.store = Err(ErrorReport {
            code: ErrorCode::Busy,
            message: "Your data is being restored. Wait a moment and try again.".into(),
            field: None,
            problems: Vec::new(),
        });
        match replace(&database) {
            Ok((store, value)) => {
                session.backups = BackupTracker::after_backup(&store);
                session.store = Ok(store);
                session.startup_problem = None;
                private::make_data_folder_private(&session.data_dir);
                Ok(value)
            }
            Err(error) => {
                session.store = match &session.startup_problem {
                    Some(problem) => Err(problem.clone()),
                    None => Store::open(&database).map_err(ErrorReport::from),
                };
                Err(ErrorReport::from(error))
            }
        }
    }

    /// Opens the data in `data_dir` in place of the data open now. If it
    /// cannot be opened, the data open now stays open and the reason is
    /// returned; nothing is changed in either folder.
    pub fn switch_data_folder(&self, data_dir: PathBuf) -> Result<AppInfo, ErrorReport> {
        let first = self.first_backup.lock().unwrap_or_else(|p| p.into_inner());
        let mut session = self.lock_session();
        if session.data_dir == data_dir {
            drop(session);
            return Ok(self.info());
        }
        let next = Session::open(data_dir, false);
        if let Some(problem) = &next.startup_problem {
            return Err(problem.clone());
        }
        // The data open now gets its backup before it is closed.
        session.back_up_if_changed(BackupMoment::Closing);
        *session = next;
        drop(session);
        drop(first);
        self.make_days_backup();
        Ok(self.info())
    }

    /// Makes an automatic backup if the data changed since the last one and
    /// `moment` calls for it; copies it to the second place if one is set.
    /// A failure is kept for the window to show and never stops the app.
    pub fn back_up_if_changed(&self, moment: BackupMoment) {
        // The day's first backup still being copied is this moment's
        // backup; closing waits for it to finish, so it is never cut off
        // half-made when the app ends.
        let _first = match moment {
            BackupMoment::Closing => {
                Some(self.first_backup.lock().unwrap_or_else(|p| p.into_inner()))
            }
            BackupMoment::Timer { .. } => match self.first_backup.try_lock() {
                Ok(guard) => Some(guard),
                Err(std::sync::TryLockError::Poisoned(poisoned)) => Some(poisoned.into_inner()),
                Err(std::sync::TryLockError::WouldBlock) => return,
            },
        };
        self.lock_session().back_up_if_changed(moment);
    }

    fn lock_session(&self) -> MutexGuard<'_, Session> {
        // A panic while holding the lock cannot leave SQLite half-written
        // (writes are transactions), but it may leave one open: roll that
        // back, so later writes are not held inside it, then carry on.
        self.session.lock().unwrap_or_else(|poisoned| {
            let mut guard = poisoned.into_inner();
            if let Ok(store) = guard.store.as_mut() {
                store.end_unfinished_transaction();
            }
            guard
        })
    }
}

impl Session {
    fn open(data_dir: PathBuf, demo: bool) -> Session {
        let lock = make_data_dir(&data_dir).and_then(|()| Ok(DataLock::acquire(&data_dir)?));
        let store = lock
            .as_ref()
            .map_err(Clone::clone)
            .and_then(|_| open_store(&data_dir, demo));
        let mut backups = BackupTracker {
            changes_at_backup: 0,
            at: Instant::now(),
            changes_seen: 0,
            changed_at: Instant::now(),
            problem: None,
        };
        match &store {
            Ok(store) => {
                // The day's first backup is made next, off this lock
                // (AppState::make_days_backup), of the data as it is now.
                backups = BackupTracker::after_backup(store);
                private::make_data_folder_private(&data_dir);
            }
            Err(problem) => {
                eprintln!("Careledger could not open its data: {}", problem.message);
            }
        }
        Session {
            data_dir,
            _lock: lock.ok(),
            startup_problem: store.as_ref().err().cloned(),
            store,
            backups,
        }
    }

    fn back_up_if_changed(&mut self, moment: BackupMoment) {
        let Ok(store) = &self.store else {
            return;
        };
        let changes = store.changes_made();
        let changed = changes != self.backups.changes_at_backup;
        let due = match moment {
            BackupMoment::Closing => true,
            BackupMoment::Timer { now, quiet } => {
                if changes != self.backups.changes_seen {
                    self.backups.changes_seen = changes;
                    self.backups.changed_at = now;
                }
                now.saturating_duration_since(self.backups.changed_at) >= quiet
                    || now.saturating_duration_since(self.backups.at) >= BACKUP_EVERY
            }
        };
        if !changed || !due {
            return;
        }
        let result = refresh_todays_backup(store, &self.data_dir.join(BACKUPS_FOLDER), today())
            .map_err(|error| backup_failed(&error))
            .map(|backup| copy_off_this_computer(&backup, &self.data_dir));
        self.backups.at = match moment {
            BackupMoment::Timer { now, .. } => now,
            BackupMoment::Closing => Instant::now(),
        };
        match result {
            Ok(()) => {
                self.backups.changes_at_backup = store.changes_made();
                self.backups.problem = None;
            }
            Err(problem) => {
                eprintln!("{problem}");
                self.backups.problem = Some(problem);
            }
        }
    }
}

impl BackupTracker {
    /// Nothing to back up: the store as it is now is in a backup.
    fn after_backup(store: &Store) -> BackupTracker {
        BackupTracker {
            changes_at_backup: store.changes_made(),
            at: Instant::now(),
            changes_seen: store.changes_made(),
            changed_at: Instant::now(),
            problem: None,
        }
    }
}

/// The day's automatic backup, and its copy in the second place. A failure
/// is returned for the window to show, but never stops the app: the data
/// itself is untouched by it.
fn daily_backup(data_dir: &Path) -> Result<(), String> {
    let database = data_dir.join(DATABASE_FILE_NAME);
    match automatic_backup_of_file(&database, &data_dir.join(BACKUPS_FOLDER), today()) {
        Ok(Some(made)) => {
            copy_off_this_computer(&made, data_dir);
            Ok(())
        }
        Ok(None) => Ok(()),
        Err(error) => {
            let problem = backup_failed(&error);
            eprintln!("{problem}");
            Err(problem)
        }
    }
}

/// Copies a new automatic backup to the second place, if one is chosen and
/// can be found. The screen warns of a missing place or an old copy, from
/// what is there, so a failure here needs no message of its own.
fn copy_off_this_computer(backup: &Path, data_dir: &Path) {
    if let Some(folder) = DataSettings::read(data_dir).second_place_folder() {
        if let Err(error) = copy_to_second_place(backup, &folder, today()) {
            eprintln!("Careledger could not copy the backup off this computer: {error}");
        }
    }
}

/// What the window says when an automatic backup fails.
fn backup_failed(error: &Error) -> String {
    format!(
        "Careledger could not make its automatic backup. {error} Your data itself is safe. \
         Check there is space on the disk, then save a backup by hand from \u{201c}Backups and \
         export\u{201d}; Careledger will also try again within the hour."
    )
}

/// A failure of the app itself (not of core), in words for the screen.
pub fn app_error(message: String) -> ErrorReport {
    ErrorReport {
        code: ErrorCode::App,
        message,
        field: None,
        problems: Vec::new(),
    }
}

/// Runs slow work (checking a photo, drawing a statement) on a thread kept
/// for blocking work, so that neither the store's lock nor the async
/// workers wait for it. `work` must only compute and read, never write: if
/// it fails part-way, nothing has changed.
pub async fn off_the_lock<T: Send + 'static, E: Into<ErrorReport> + Send + 'static>(
    work: impl FnOnce() -> Result<T, E> + Send + 'static,
) -> Result<T, ErrorReport> {
    tauri::async_runtime::spawn_blocking(work)
        .await
        .map_err(|_| {
            app_error(
                "Careledger stopped part-way through this, and nothing was changed. Try again."
                    .into(),
            )
        })?
        .map_err(Into::into)
}

/// Today's date on this computer's clock: what "today" means to the person.
pub fn today() -> NaiveDate {
    Local::now().date_naive()
}

fn make_data_dir(data_dir: &Path) -> Result<(), ErrorReport> {
    std::fs::create_dir_all(data_dir).map_err(|error| ErrorReport {
        code: ErrorCode::App,
        message: format!(
            "Careledger could not make its data folder at {}: {}. Check that the folder can be written to.",
            data_dir.display(),
            careledger_core::error::plain_io_problem(&error)
        ),
        field: None,
        problems: Vec::new(),
    })?;
    private::make_folder_private(data_dir);
    Ok(())
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

    /// The data opened as the app opens it: the store, then the day's
    /// first backup.
    fn opened(data_dir: PathBuf, demo: bool) -> AppState {
        let state = AppState::open(data_dir, demo);
        state.make_days_backup();
        state
    }
    use careledger_core::plan::ActingRole;
    use careledger_core::records::Records;
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
    fn slow_work_leaves_the_store_free_and_reports_plainly() {
        use tauri::async_runtime::{block_on, spawn};
        let dir = tempfile::tempdir().unwrap();
        let state = opened(dir.path().to_owned(), false);
        let (go_on, wait) = std::sync::mpsc::channel::<()>();
        let slow = spawn(off_the_lock(move || {
            wait.recv().unwrap();
            Ok::<_, Error>("drawn")
        }));
        // While the slow work is still going, the store answers.
        state.with_store(|store| new_holder(store, "Ann")).unwrap();
        go_on.send(()).unwrap();
        assert_eq!(block_on(slow).unwrap().unwrap(), "drawn");

        let refused = block_on(off_the_lock(|| {
            Err::<(), _>(Error::invalid("evidence", "The file is empty."))
        }))
        .unwrap_err();
        assert_eq!(refused.field.as_deref(), Some("evidence"));
        let stopped = block_on(off_the_lock(|| -> Result<(), Error> {
            panic!("a fault in the drawing")
        }))
        .unwrap_err();
        assert_eq!(stopped.code, ErrorCode::App);
        assert!(stopped.message.contains("nothing was changed"));
    }

    #[test]
    fn opens_a_new_data_folder_and_keeps_what_is_written() {
        let dir = tempfile::tempdir().unwrap();
        let data_dir = dir.path().join("nested").join("careledger");
        let state = opened(data_dir.clone(), false);
        assert_eq!(state.info().startup_problem, None);
        state.with_store(|store| new_holder(store, "Ann")).unwrap();
        drop(state);
        let again = opened(data_dir, false);
        let holders = again.with_store(|store| store.holders()).unwrap();
        assert_eq!(holders.len(), 1);
    }

    #[test]
    fn demo_fills_only_an_empty_store() {
        let dir = tempfile::tempdir().unwrap();
        let state = opened(dir.path().to_owned(), true);
        let holders = state.with_store(|store| store.holders()).unwrap();
        assert_eq!(holders.len(), 1);
        drop(state);
        let again = opened(dir.path().to_owned(), true);
        assert_eq!(again.with_store(|store| store.holders()).unwrap().len(), 1);
    }

    #[test]
    fn bad_input_comes_back_as_a_report_naming_the_field() {
        let dir = tempfile::tempdir().unwrap();
        let state = opened(dir.path().to_owned(), false);
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
        let state = opened(dir.path().to_owned(), false);
        let problem = state.info().startup_problem.expect("a problem is reported");
        assert_eq!(problem.code, ErrorCode::NotADatabase);
        let report = state.with_store(|store| store.holders()).unwrap_err();
        assert_eq!(report, problem);
    }

    #[test]
    fn a_second_copy_is_told_the_data_is_already_open() {
        let dir = tempfile::tempdir().unwrap();
        let first = opened(dir.path().to_owned(), false);
        assert_eq!(first.info().startup_problem, None);
        let second = opened(dir.path().to_owned(), false);
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
        let third = opened(dir.path().to_owned(), false);
        assert_eq!(third.info().startup_problem, None, "free once closed");
    }

    #[test]
    fn opening_makes_the_days_backup_once() {
        let dir = tempfile::tempdir().unwrap();
        let state = opened(dir.path().to_owned(), true);
        let folder = state.backups_dir();
        let backups = || std::fs::read_dir(&folder).unwrap().count();
        assert_eq!(backups(), 1);
        drop(state);
        let again = opened(dir.path().to_owned(), false);
        assert_eq!(again.info().startup_problem, None);
        assert_eq!(backups(), 1, "one a day");
    }

    #[test]
    fn a_data_folder_that_cannot_be_made_is_reported() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a-file");
        std::fs::write(&file, b"x").unwrap();
        let state = opened(file.join("careledger"), false);
        let problem = state.info().startup_problem.expect("a problem is reported");
        assert_eq!(problem.code, ErrorCode::App);
        assert!(
            problem.message.contains("could not make its data folder"),
            "{}",
            problem.message
        );
    }

    #[test]
    fn changes_are_backed_up_through_the_day_and_on_closing() {
        let dir = tempfile::tempdir().unwrap();
        let state = opened(dir.path().to_owned(), false);
        let todays = state
            .backups_dir()
            .join(careledger_core::backup::daily_backup_name(today()));
        let holders_in_backup = || {
            let copy = tempfile::tempdir().unwrap();
            let path = copy.path().join("b.sqlite3");
            std::fs::copy(&todays, &path).unwrap();
            Store::open(&path).unwrap().holders().unwrap().len()
        };
        assert_eq!(holders_in_backup(), 0, "the start of the day's backup");
        state.with_store(|store| new_holder(store, "Ann")).unwrap();
        let start = Instant::now();
        let look = |after: Duration| {
            state.back_up_if_changed(BackupMoment::Timer {
                now: start + after,
                quiet: QUIET_AFTER_CHANGES,
            })
        };
        // The timer sees the change; it is not yet quiet long enough.
        look(Duration::ZERO);
        assert_eq!(holders_in_backup(), 0);
        look(QUIET_AFTER_CHANGES / 2);
        assert_eq!(holders_in_backup(), 0);
        look(QUIET_AFTER_CHANGES);
        assert_eq!(holders_in_backup(), 1, "once the burst of changes is over");
        // Changes that never stop are still backed up within the hour.
        let mut minute = QUIET_AFTER_CHANGES;
        let mut names = 0;
        while holders_in_backup() == 1 {
            names += 1;
            state
                .with_store(|store| new_holder(store, &format!("Busy {names}")))
                .unwrap();
            minute += Duration::from_secs(60);
            look(minute);
            assert!(
                minute <= QUIET_AFTER_CHANGES + BACKUP_EVERY,
                "backed up within the hour"
            );
        }
        assert!(
            minute >= QUIET_AFTER_CHANGES + BACKUP_EVERY,
            "not before the hour"
        );
        state.with_store(|store| new_holder(store, "Bea")).unwrap();
        state.back_up_if_changed(BackupMoment::Closing);
        assert_eq!(holders_in_backup(), names + 2, "on closing");
        assert_eq!(state.backup_problem(), None);
    }

    #[test]
    fn a_failed_backup_is_kept_for_the_window() {
        let dir = tempfile::tempdir().unwrap();
        let state = opened(dir.path().to_owned(), false);
        state.with_store(|store| new_holder(store, "Ann")).unwrap();
        // The backups folder turned into a file: nothing can be saved there.
        let backups = state.backups_dir();
        std::fs::remove_dir_all(&backups).unwrap();
        std::fs::write(&backups, b"in the way").unwrap();
        state.back_up_if_changed(BackupMoment::Closing);
        let problem = state.backup_problem().expect("the failure is kept");
        assert!(
            problem.contains("could not make its automatic backup"),
            "{problem}"
        );
        assert!(problem.contains("Your data itself is safe"), "{problem}");
        assert!(!problem.contains("os error"), "{problem}");
    }

    #[cfg(unix)]
    #[test]
    fn the_data_folder_and_its_files_are_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        let state = opened(data.clone(), true);
        state.with_store(|store| new_holder(store, "Ann")).unwrap();
        state.back_up_if_changed(BackupMoment::Closing);
        let mode = |path: &Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&data), 0o700);
        assert_eq!(mode(&state.backups_dir()), 0o700);
        let mut files = 0;
        for folder in [data.clone(), state.backups_dir()] {
            for entry in std::fs::read_dir(folder).unwrap().flatten() {
                if entry.file_type().unwrap().is_file() {
                    assert_eq!(mode(&entry.path()), 0o600, "{}", entry.path().display());
                    files += 1;
                }
            }
        }
        // The data file, its -wal and -shm, the lock and a backup at least.
        assert!(files >= 5, "{files} files checked");
    }

    #[test]
    fn a_damaged_data_file_keeps_the_lock_and_a_listed_backup_brings_it_back() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().to_owned();
        let state = opened(data.clone(), true);
        drop(state);
        let database = data.join(DATABASE_FILE_NAME);
        let damaged = b"this is not the data any more".repeat(200);
        std::fs::write(&database, &damaged).unwrap();
        for companion in ["-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{companion}", database.display()));
        }
        let state = opened(data.clone(), false);
        assert!(state.info().startup_problem.is_some());
        // The window still holds the folder: a second copy is told so.
        let second = opened(data.clone(), false);
        assert_eq!(second.info().startup_problem.unwrap().code, ErrorCode::Busy);
        drop(second);
        let listed = careledger_core::backup::list_backups(&state.backups_dir(), false);
        let daily = listed
            .iter()
            .find(|backup| backup.kind == "Daily backup")
            .expect("the day's backup is listed");
        assert_eq!(daily.preview.as_ref().unwrap().holders, ["Margaret Ellis"]);
        let backup =
            careledger_core::backup::listed_backup(&state.backups_dir(), &daily.file_name).unwrap();
        let backups = state.backups_dir();
        let outcome = state
            .replace_store(|database| {
                careledger_core::backup::restore(database, &backup, &backups, chrono::Utc::now())
            })
            .unwrap();
        assert_eq!(state.info().startup_problem, None);
        assert_eq!(state.with_store(|store| store.holders()).unwrap().len(), 1);
        // The damaged file was moved aside, not deleted.
        let kept = outcome.safety_backup.expect("where the damaged file went");
        assert_eq!(std::fs::read(kept).unwrap(), damaged);
        // Names that are not a listed backup reach nothing.
        for name in [
            "../careledger.sqlite3",
            "careledger.lock",
            "nothing.backup.sqlite3",
        ] {
            assert!(careledger_core::backup::listed_backup(&state.backups_dir(), name).is_err());
        }
    }

    #[test]
    fn another_data_folder_is_opened_only_if_it_can_be() {
        let dir = tempfile::tempdir().unwrap();
        let first = dir.path().join("first");
        let state = opened(first.clone(), true);
        let file = dir.path().join("a-file");
        std::fs::write(&file, b"x").unwrap();
        assert!(state.switch_data_folder(file.join("data")).is_err());
        assert_eq!(state.data_dir(), first, "the data open stays open");
        let second = dir.path().join("second");
        let info = state.switch_data_folder(second.clone()).unwrap();
        assert_eq!(info.data_dir, second.display().to_string());
        assert!(state
            .with_store(|store| store.holders())
            .unwrap()
            .is_empty());
        // The first folder is free again.
        let again = opened(first, false);
        assert_eq!(again.info().startup_problem, None);
    }
}
