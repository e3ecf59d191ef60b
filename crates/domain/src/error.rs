//! Errors from core, and the report the UI shows for them.

use serde::Serialize;
use ts_rs::TS;

use crate::money::MoneyParseError;

/// Everything that can go wrong in core. Each variant's text is written for
/// the person using the app: plain English that says what to do.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Something typed into a form cannot be used. `field` names the form
    /// field (as the UI names it) so the screen can point at it.
    #[error("{message}")]
    Invalid {
        /// The form field at fault, in the UI's camelCase naming; items of
        /// a list are named with their position: "lines.2.rate".
        field: String,
        /// What is wrong and what to do, in plain English.
        message: String,
    },
    /// Several fields of one form cannot be used: each is named, so the
    /// person sees every field at fault at once instead of one per try.
    /// Never empty; a single problem is [`Error::Invalid`].
    #[error("{}", invalid_fields_message(.0))]
    InvalidFields(Vec<FieldProblem>),
    /// A save that is allowed but looks like a mistake (a payment of more
    /// than is left in the whole plan, say), so the person is asked "Are you
    /// sure?" first. Nothing has been written; saving again with their
    /// confirmation goes ahead.
    #[error("{message}")]
    NeedsConfirmation {
        /// The form field the question is about ("amount", or a split's
        /// "splits.1.amount"), where the person goes to change it.
        field: String,
        /// Why it looks wrong, ending with the question, in plain English.
        message: String,
    },
    /// A record the request refers to does not exist (or was asked for with
    /// the wrong holder).
    #[error("That {what} could not be found. It may have been removed; reload and try again.")]
    NotFound {
        /// What was looked for, in words: "person", "plan".
        what: &'static str,
    },
    /// The database was written by a newer Careledger than this one.
    #[error(
        "This data was saved by a newer version of Careledger (data version {found}; this \
         version reads up to {supported}). Install the newer version to open it. Nothing has \
         been changed."
    )]
    NewerDatabase {
        /// The schema version found in the file.
        found: i64,
        /// The newest schema version this build understands.
        supported: usize,
    },
    /// The file at the data path is not a Careledger database at all.
    #[error(
        "The file at {path} is not a Careledger data file, or it is damaged. Nothing has been \
         changed. Choose another data folder, or restore a backup."
    )]
    NotADatabase {
        /// The path that was opened.
        path: String,
    },
    /// Another program holds the database open for writing.
    #[error("Your data is busy in another copy of Careledger. Close it and try again.")]
    Busy,
    /// Another Careledger process holds the data folder's lock (see
    /// [`crate::lock::DataLock`]).
    #[error(
        "Your Careledger data is already open in another Careledger window. Use that window, \
         or close it and try again."
    )]
    AlreadyOpen,
    /// The data folder cannot be used: missing, not a folder, or read-only.
    #[error(
        "Careledger cannot keep your data in {path}: {reason}. Choose another data folder, or \
         check that you can change files in this one."
    )]
    DataFolderUnusable {
        /// The data folder.
        path: String,
        /// What is wrong with it, in plain words.
        reason: String,
    },
    /// A total went past what can be counted. Only reachable with absurd
    /// data, but it must be an error, never a wrapped number.
    #[error("A total is too large to count. Check the amounts for a typing mistake.")]
    Overflow,
    /// The person stopped long work part-way; nothing was written.
    #[error("Stopped, as you asked. Nothing was saved or changed.")]
    Cancelled,
    /// A schema migration failed.
    #[error(
        "Careledger could not update your data to this version: {}. Nothing has been changed.",
        plain_migration_problem(.0)
    )]
    Migration(#[from] rusqlite_migration::Error),
    /// Any other storage failure.
    #[error(
        "Careledger could not read or save your data: {}.",
        plain_storage_problem(.0)
    )]
    Storage(#[source] rusqlite::Error),
    /// Stored data broke a rule core relies on (for example a date that does
    /// not parse). Means the file was changed outside the app.
    #[error("Some saved data could not be read ({0}). The data file may have been changed outside Careledger.")]
    Corrupt(String),
    /// A file offered as a backup is not one: not SQLite at all, or another
    /// program's database.
    #[error(
        "The file {path} is not a Careledger backup. Choose the file whose name ends in \
         .backup.sqlite3. Nothing has been changed."
    )]
    NotABackup {
        /// The file that was chosen.
        path: String,
    },
    /// A backup file is Careledger's but damaged: cut short, or changed on
    /// the disk since it was made.
    #[error(
        "The backup {path} is damaged, so it cannot be used. Try another backup, for example \
         an earlier one. Nothing has been changed."
    )]
    DamagedBackup {
        /// The file that was chosen.
        path: String,
    },
    /// A backup made by a newer Careledger than this one.
    #[error(
        "This backup was made by a newer version of Careledger (data version {found}; this \
         version reads up to {supported}). Install the newer version to use it. Nothing has \
         been changed."
    )]
    NewerBackup {
        /// The schema version found in the backup.
        found: i64,
        /// The newest schema version this build understands.
        supported: usize,
    },
    /// A file offered as an export is not one.
    #[error(
        "The file {path} is not a Careledger export. Choose the .zip file that Careledger made \
         with \"Export everything\". Nothing has been changed."
    )]
    NotAnExport {
        /// The file that was chosen.
        path: String,
    },
    /// An export whose contents do not match its own list of checks: damaged
    /// on the disk, changed by hand, or built to cause harm.
    #[error(
        "The export {path} is damaged or has been changed since Careledger made it, so it \
         cannot be trusted. Use another copy of the export. Nothing has been changed."
    )]
    DamagedExport {
        /// The file that was chosen.
        path: String,
        /// What did not match, for the log; the person sees only the
        /// message above.
        detail: String,
    },
    /// An export whose files are whole and match its checks, but which
    /// holds a value Careledger never writes: a date that is not a real
    /// date, a choice it does not know, an amount out of range, text with
    /// hidden characters, a reference to a row that is not there. It was
    /// made or changed outside Careledger.
    #[error(
        "This export cannot be brought back: in the {table} table, row {row}, {problem}. \
         Nothing has been changed."
    )]
    UnusableExport {
        /// The file that was chosen.
        path: String,
        /// The table, in plain words: "payments".
        table: String,
        /// The row, counted from 1 in the order of the table's file.
        row: u64,
        /// What is wrong with it, in plain words that follow the row:
        /// "the date \"2026-02-31\" in paid_on is not a real date".
        problem: String,
    },
    /// An export made by a newer Careledger than this one.
    #[error(
        "This export was made by a newer version of Careledger. Install the newer version to \
         open it. Nothing has been changed."
    )]
    NewerExport {
        /// What was newer, for the log: "format 2" or "data version 7".
        found: String,
    },
    /// Careledger was asked to write where it must not: over the data file
    /// it is using, or over a file that is already there.
    #[error("{message}")]
    WouldOverwrite {
        /// The file that would have been written over.
        path: String,
        /// What is wrong and what to do, in plain English.
        message: String,
    },
    /// Reading or writing a file (not the database) failed. The message
    /// gives the reason in plain words ([`plain_io_problem`]), never the
    /// operating system's own text or error number.
    #[error(
        "Careledger could not {action}: {}. Nothing has been changed. {}",
        file_problem(action, source),
        io_advice(action, source)
    )]
    File {
        /// What was being done, in words that follow "could not":
        /// "save the backup in /media/usb".
        action: String,
        /// The failure the operating system gave.
        #[source]
        source: std::io::Error,
    },
    /// An evidence file whose contents are not the ones its name (their
    /// SHA-256) says: damaged on the disk, or changed by hand.
    #[error(
        "The evidence file {path} is damaged: it is not the file Careledger saved. Restoring a \
         backup brings it back. Nothing has been changed."
    )]
    DamagedEvidenceFile {
        /// The file.
        path: String,
    },
    /// Evidence the data has a record of, but whose file is nowhere to be
    /// found.
    #[error(
        "An evidence file ({sha256}) is missing from {folder}. Restoring a backup brings it \
         back. Nothing has been changed."
    )]
    MissingEvidenceFile {
        /// The file's SHA-256 (its name).
        sha256: String,
        /// The folder it should be in.
        folder: String,
    },
    /// A backup that shares its receipts with the other backups in its
    /// folder, without the receipts folder beside it.
    #[error(
        "This backup keeps its receipts in the receipts folder beside it, and {missing} of the \
         {needed} files it needs are not in {folder}. Keep the backup together with that \
         folder (copy the whole folder the backups are in), or choose another backup. Nothing \
         has been changed."
    )]
    BackupReceiptsMissing {
        /// The receipts folder looked in.
        folder: String,
        /// How many files are missing.
        missing: usize,
        /// How many files the backup needs.
        needed: usize,
    },
}

impl From<rusqlite::Error> for Error {
    fn from(error: rusqlite::Error) -> Self {
        use rusqlite::ffi::ErrorCode;
        match error.sqlite_error_code() {
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => Error::Busy,
            _ => Error::Storage(error),
        }
    }
}

/// Why a file could not be read or written, in plain words that follow
/// "because" (or a colon): "the disk is full", "that is a folder, not a
/// file name". Never the operating system's own text or an error number,
/// which mean nothing to the person using the app. Worded for saving a
/// file; [`Error::File`] words a missing file it was reading its own way.
pub fn plain_io_problem(error: &std::io::Error) -> String {
    io_problem(error, false)
}

/// A reason made in Careledger, in plain words, carried as an
/// [`std::io::Error`] so that it can go where the operating system's
/// errors go. [`plain_io_problem`] gives its words back as they are.
pub fn plain_io_error(reason: impl Into<String>) -> std::io::Error {
    std::io::Error::other(PlainReason(reason.into()))
}

/// The words of a reason made by [`plain_io_error`].
#[derive(Debug)]
struct PlainReason(String);

impl std::fmt::Display for PlainReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for PlainReason {}

/// [`plain_io_problem`], or for a file being read (`reading`), a missing
/// file rather than a missing folder.
fn io_problem(error: &std::io::Error, reading: bool) -> String {
    use std::io::ErrorKind as Kind;
    if let Some(inner) = error.get_ref() {
        if let Some(PlainReason(reason)) = inner.downcast_ref::<PlainReason>() {
            return reason.clone();
        }
        if let Some(error) = inner.downcast_ref::<rusqlite::Error>() {
            return plain_storage_problem(error);
        }
        if let Some(error) = inner.downcast_ref::<std::io::Error>() {
            return io_problem(error, reading);
        }
    }
    if is_device_failure(error) {
        return "the disk could not be read or written (it may have been removed, or be failing)"
            .into();
    }
    match error.kind() {
        Kind::NotFound if reading => {
            "that file is not there (it may have been moved, renamed or deleted)".into()
        }
        Kind::NotFound => "the folder does not exist".into(),
        Kind::PermissionDenied if reading => "you do not have permission to open it".into(),
        Kind::PermissionDenied | Kind::ReadOnlyFilesystem => {
            "that place cannot be written to (it is read-only or you do not have permission)".into()
        }
        Kind::IsADirectory => "that is a folder, not a file name".into(),
        Kind::NotADirectory => "part of the path is a file, not a folder".into(),
        Kind::StorageFull | Kind::QuotaExceeded => "the disk is full".into(),
        Kind::FileTooLarge => {
            "the file is too large for that disk (some USB sticks cannot hold files over 4 GB)"
                .into()
        }
        Kind::AlreadyExists => "a file with that name is already there".into(),
        Kind::InvalidFilename | Kind::InvalidInput => {
            "the name has characters that cannot be used".into()
        }
        Kind::CrossesDevices => {
            "the file would have to move between two disks, which cannot be done in one step".into()
        }
        Kind::DirectoryNotEmpty => "the folder is not empty".into(),
        Kind::ResourceBusy | Kind::ExecutableFileBusy => "another program is using it".into(),
        Kind::TimedOut
        | Kind::StaleNetworkFileHandle
        | Kind::NetworkDown
        | Kind::NetworkUnreachable
        | Kind::HostUnreachable
        | Kind::ConnectionReset
        | Kind::ConnectionAborted => "the disk or network drive stopped answering".into(),
        Kind::WriteZero => "the disk stopped taking data (it may be full, or removed)".into(),
        Kind::UnexpectedEof => "the file ends sooner than it should (it may be cut short)".into(),
        Kind::OutOfMemory => "the computer ran out of memory".into(),
        Kind::Unsupported => "that disk does not allow it".into(),
        _ => "the computer would not allow it".into(),
    }
}

/// Whether the operating system said the disk itself failed: an I/O
/// error, or a device that has gone (a USB stick pulled out). These have
/// no `ErrorKind` of their own.
fn is_device_failure(error: &std::io::Error) -> bool {
    let Some(code) = error.raw_os_error() else {
        return false;
    };
    if cfg!(windows) {
        // ERROR_NOT_READY, ERROR_CRC, ERROR_DEV_NOT_EXIST, ERROR_IO_DEVICE.
        matches!(code, 21 | 23 | 55 | 1117)
    } else if cfg!(unix) {
        // EIO, ENXIO, ENODEV: the same numbers on Linux and macOS.
        matches!(code, 5 | 6 | 19)
    } else {
        false
    }
}

/// [`Error::File`]'s reason: a missing file it was reading (its action is
/// "open …", "read …", "copy …") is named as a file, not a folder.
fn file_problem(action: &str, error: &std::io::Error) -> String {
    io_problem(error, is_reading(action))
}

/// Whether [`Error::File`]'s action reads a file the person chose rather
/// than writing one.
fn is_reading(action: &str) -> bool {
    ["open ", "read ", "copy ", "inspect "]
        .iter()
        .any(|verb| action.starts_with(verb))
}

/// What to do about a file that could not be read or written, after
/// "Nothing has been changed.".
fn io_advice(action: &str, error: &std::io::Error) -> &'static str {
    use std::io::ErrorKind as Kind;
    if error
        .get_ref()
        .is_some_and(|inner| inner.is::<PlainReason>())
    {
        return "Check that the disk or USB stick is still connected and has space, then try \
                again.";
    }
    match error.kind() {
        Kind::NotFound => "Check where it is, or choose another place.",
        Kind::PermissionDenied if is_reading(action) => {
            "Choose another file, or ask whoever looks after this computer for permission."
        }
        Kind::PermissionDenied | Kind::ReadOnlyFilesystem => {
            "Choose another folder, or check that you can change files in this one."
        }
        Kind::IsADirectory => "Choose a file, or type a name for a new one.",
        Kind::StorageFull | Kind::QuotaExceeded | Kind::FileTooLarge => {
            "Make some room on the disk, or choose another one."
        }
        Kind::AlreadyExists => "Choose another name.",
        Kind::InvalidFilename | Kind::InvalidInput => {
            "Choose a name with only letters, numbers, spaces and simple punctuation."
        }
        _ => "Check that the disk or USB stick is still connected and has space, then try again.",
    }
}

/// What went wrong with the data file, in plain words that follow
/// "because" (or a colon): "the disk is full". Never SQLite's own text.
pub fn plain_storage_problem(error: &rusqlite::Error) -> String {
    use rusqlite::ffi::ErrorCode as Code;
    match error {
        rusqlite::Error::SqliteFailure(failure, _) => match failure.code {
            Code::DiskFull => "the disk is full".into(),
            Code::ReadOnly => {
                "the data file cannot be changed (it is read-only, or you do not have permission)"
                    .into()
            }
            Code::PermissionDenied | Code::CannotOpen => {
                "the data file cannot be opened (it may have been moved, or you may not have \
                 permission)"
                    .into()
            }
            Code::DatabaseBusy | Code::DatabaseLocked => {
                "another copy of Careledger is using it".into()
            }
            Code::NotADatabase => "the file is not a Careledger data file, or it is damaged".into(),
            Code::DatabaseCorrupt => "the data file is damaged".into(),
            Code::SystemIoFailure => {
                "the disk could not be read or written (it may have been removed, or be failing)"
                    .into()
            }
            Code::OutOfMemory => "the computer ran out of memory".into(),
            Code::FileLockingProtocolFailed => "that disk does not allow files to be locked".into(),
            Code::TooBig => "a piece of it is too large".into(),
            Code::ConstraintViolation => {
                "the change would break one of Careledger's rules for the data, so it was not made"
                    .into()
            }
            _ => "something unexpected went wrong with the data file".into(),
        },
        rusqlite::Error::FromSqlConversionFailure(..)
        | rusqlite::Error::IntegralValueOutOfRange(..)
        | rusqlite::Error::InvalidColumnType(..) => {
            "some saved data is not in the form Careledger keeps it (the data file may have been \
             changed outside Careledger)"
                .into()
        }
        _ => "something unexpected went wrong with the data file".into(),
    }
}

/// Why a schema update failed, in plain words.
fn plain_migration_problem(error: &rusqlite_migration::Error) -> String {
    match error {
        rusqlite_migration::Error::RusqliteError { err, .. } => plain_storage_problem(err),
        rusqlite_migration::Error::ForeignKeyCheck(_) => {
            "some saved records refer to others that are not there".into()
        }
        rusqlite_migration::Error::InvalidUserVersion => {
            "the file's version mark is not one Careledger writes".into()
        }
        // A step's own words, written for the person (the store's hooks).
        rusqlite_migration::Error::Hook(words) => words.clone(),
        _ => "a step of the update did not work".into(),
    }
}

/// One form field at fault and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct FieldProblem {
    /// The field, as the UI names it ("splits.1.amount").
    pub field: String,
    /// What is wrong and what to do.
    pub message: String,
}

fn invalid_fields_message(problems: &[FieldProblem]) -> String {
    let first = problems.first().map_or("", |p| p.message.as_str());
    match problems.len() {
        0 | 1 => first.to_owned(),
        n => format!("{n} things need changing. The first: {first}"),
    }
}

/// Checks a form's fields one after another and keeps every problem, so a
/// failed save names them all: `field` takes a field's check and gives its
/// value, or notes its problem; `finish` fails if any was noted.
#[derive(Debug, Default)]
pub struct FormCheck {
    problems: Vec<FieldProblem>,
}

impl FormCheck {
    /// The checked value, or `None` with the field's problem noted. Errors
    /// that are not about a field (storage, overflow) stop the check.
    pub fn field<T>(&mut self, result: Result<T>) -> Result<Option<T>> {
        match result {
            Ok(value) => Ok(Some(value)),
            Err(Error::Invalid { field, message }) => {
                self.problems.push(FieldProblem { field, message });
                Ok(None)
            }
            Err(Error::InvalidFields(problems)) => {
                self.problems.extend(problems);
                Ok(None)
            }
            Err(other) => Err(other),
        }
    }

    /// Whether a problem has been noted so far.
    pub fn has_problems(&self) -> bool {
        !self.problems.is_empty()
    }

    /// Nothing noted, or the one problem as [`Error::Invalid`], or all of
    /// them as [`Error::InvalidFields`].
    pub fn finish(mut self) -> Result<()> {
        match self.problems.len() {
            0 => Ok(()),
            1 => {
                let FieldProblem { field, message } = self.problems.remove(0);
                Err(Error::Invalid { field, message })
            }
            _ => Err(Error::InvalidFields(self.problems)),
        }
    }
}

/// A shorthand for results in core.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// A form-field error.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Invalid {
            field: field.into(),
            message: message.into(),
        }
    }

    /// A form-field error from a money parse failure.
    pub fn invalid_money(field: impl Into<String>, error: MoneyParseError) -> Self {
        Error::invalid(field, error.to_string())
    }

    /// The stable code for this kind of error, which the UI may branch on.
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::Invalid { .. } | Error::InvalidFields(_) => ErrorCode::InvalidInput,
            Error::NeedsConfirmation { .. } => ErrorCode::NeedsConfirmation,
            Error::NotFound { .. } => ErrorCode::NotFound,
            Error::NewerDatabase { .. } => ErrorCode::NewerDatabase,
            Error::NotADatabase { .. } => ErrorCode::NotADatabase,
            Error::Busy | Error::AlreadyOpen => ErrorCode::Busy,
            Error::DataFolderUnusable { .. } => ErrorCode::App,
            Error::Overflow => ErrorCode::Overflow,
            Error::Cancelled => ErrorCode::Cancelled,
            Error::Migration(_) => ErrorCode::Migration,
            Error::Storage(_) => ErrorCode::Storage,
            Error::Corrupt(_) => ErrorCode::Corrupt,
            Error::NotABackup { .. } => ErrorCode::NotABackup,
            Error::DamagedBackup { .. } => ErrorCode::DamagedBackup,
            Error::NewerBackup { .. } => ErrorCode::NewerBackup,
            Error::NotAnExport { .. } => ErrorCode::NotAnExport,
            Error::DamagedExport { .. } | Error::UnusableExport { .. } => ErrorCode::DamagedExport,
            Error::NewerExport { .. } => ErrorCode::NewerExport,
            Error::WouldOverwrite { .. } => ErrorCode::WouldOverwrite,
            Error::File { .. } => ErrorCode::File,
            Error::DamagedEvidenceFile { .. } | Error::MissingEvidenceFile { .. } => {
                ErrorCode::Corrupt
            }
            Error::BackupReceiptsMissing { .. } => ErrorCode::DamagedBackup,
        }
    }
}

/// Stable error codes. Renaming one breaks the UI: add, never rename.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// A form field is wrong; `field` says which.
    InvalidInput,
    /// A referenced record does not exist.
    NotFound,
    /// The data file is from a newer app version.
    NewerDatabase,
    /// The data file is not a Careledger database.
    NotADatabase,
    /// Another copy of the app has the data open.
    Busy,
    /// A total overflowed.
    Overflow,
    /// A schema migration failed.
    Migration,
    /// Reading or writing storage failed.
    Storage,
    /// Stored data is not as core wrote it.
    Corrupt,
    /// A file chosen as a backup is not a Careledger backup.
    NotABackup,
    /// A backup file is damaged.
    DamagedBackup,
    /// A backup is from a newer app version.
    NewerBackup,
    /// A file chosen as an export is not a Careledger export.
    NotAnExport,
    /// An export is damaged or was changed after it was made.
    DamagedExport,
    /// An export is from a newer app version.
    NewerExport,
    /// Careledger refused to write over a file.
    WouldOverwrite,
    /// Reading or writing a file (a backup, an export) failed.
    File,
    /// The app shell failed (for example the data folder cannot be made).
    App,
    /// Nothing was saved: the message asks "Are you sure?", and saving
    /// again confirmed goes ahead.
    NeedsConfirmation,
    /// The person stopped long work; nothing was written.
    Cancelled,
}

/// What the UI receives when a request fails: a stable `code` to react to,
/// a plain-English `message` to show, and the form `field` at fault if any.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ErrorReport {
    /// The kind of failure.
    pub code: ErrorCode,
    /// What went wrong and what to do, for the person using the app.
    pub message: String,
    /// The form field at fault, when one is (the first, when several are).
    pub field: Option<String>,
    /// Every form field at fault, in the form's order: one for most
    /// problems, several when a form is checked whole.
    pub problems: Vec<FieldProblem>,
}

impl From<&Error> for ErrorReport {
    fn from(error: &Error) -> Self {
        let problems = match error {
            Error::Invalid { field, message } => vec![FieldProblem {
                field: field.clone(),
                message: message.clone(),
            }],
            Error::InvalidFields(problems) => problems.clone(),
            _ => Vec::new(),
        };
        let field = match error {
            Error::NeedsConfirmation { field, .. } => Some(field.clone()),
            _ => problems.first().map(|problem| problem.field.clone()),
        };
        ErrorReport {
            code: error.code(),
            message: error.to_string(),
            field,
            problems,
        }
    }
}

impl From<Error> for ErrorReport {
    fn from(error: Error) -> Self {
        ErrorReport::from(&error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Error as IoError, ErrorKind};

    /// No error number, no "os error", no operating system's text.
    fn assert_plain(message: &str) {
        assert!(!message.contains("os error"), "{message}");
        assert!(
            !message.chars().any(|c| c.is_ascii_digit()),
            "no numbers: {message}"
        );
        assert!(!message.contains("Is a directory"), "{message}");
    }

    #[test]
    fn file_problems_are_said_in_plain_words() {
        for (kind, expected) in [
            (ErrorKind::NotFound, "the folder does not exist"),
            (
                ErrorKind::PermissionDenied,
                "that place cannot be written to (it is read-only or you do not have permission)",
            ),
            (
                ErrorKind::ReadOnlyFilesystem,
                "that place cannot be written to (it is read-only or you do not have permission)",
            ),
            (ErrorKind::IsADirectory, "that is a folder, not a file name"),
            (ErrorKind::StorageFull, "the disk is full"),
            (ErrorKind::QuotaExceeded, "the disk is full"),
            (
                ErrorKind::NotADirectory,
                "part of the path is a file, not a folder",
            ),
            (
                ErrorKind::AlreadyExists,
                "a file with that name is already there",
            ),
            (
                ErrorKind::InvalidFilename,
                "the name has characters that cannot be used",
            ),
            (
                ErrorKind::InvalidInput,
                "the name has characters that cannot be used",
            ),
            (
                ErrorKind::CrossesDevices,
                "the file would have to move between two disks, which cannot be done in one step",
            ),
            (ErrorKind::Other, "the computer would not allow it"),
            (ErrorKind::Deadlock, "the computer would not allow it"),
        ] {
            let problem = plain_io_problem(&IoError::from(kind));
            assert_eq!(problem, expected, "{kind:?}");
            assert_plain(&problem);
        }
    }

    #[test]
    fn real_os_errors_lose_their_numbers() {
        // What the operating system really says for these, numbers and all.
        let dir = tempfile::tempdir().unwrap();
        let folder_as_file = std::fs::write(dir.path(), b"x").unwrap_err();
        let missing = std::fs::write(dir.path().join("no/such/folder.txt"), b"x").unwrap_err();
        assert!(folder_as_file.to_string().contains("os error"));
        for error in [folder_as_file, missing] {
            assert_plain(&plain_io_problem(&error));
            let message = Error::File {
                action: format!("save {}", dir.path().display()),
                source: error,
            }
            .to_string();
            assert!(!message.contains("os error"), "{message}");
            assert!(
                message.contains(". Nothing has been changed. "),
                "{message}"
            );
        }
        #[cfg(unix)]
        assert_eq!(
            plain_io_problem(&IoError::from_raw_os_error(21)),
            "that is a folder, not a file name"
        );
        #[cfg(unix)]
        assert_eq!(
            plain_io_problem(&IoError::from_raw_os_error(5)),
            "the disk could not be read or written (it may have been removed, or be failing)"
        );
        assert_eq!(
            plain_io_problem(&IoError::other("Something deep inside: code 0x80070057")),
            "the computer would not allow it"
        );
    }

    #[test]
    fn the_file_error_keeps_its_shape() {
        let error = Error::File {
            action: "save the backup in /media/usb".into(),
            source: IoError::from(ErrorKind::IsADirectory),
        };
        assert_eq!(
            error.to_string(),
            "Careledger could not save the backup in /media/usb: that is a folder, not a file \
             name. Nothing has been changed. Choose a file, or type a name for a new one."
        );
        let error = Error::File {
            action: "save the export in /media/usb".into(),
            source: IoError::from(ErrorKind::StorageFull),
        };
        assert_eq!(
            error.to_string(),
            "Careledger could not save the export in /media/usb: the disk is full. Nothing has \
             been changed. Make some room on the disk, or choose another one."
        );
        // A file being read that is not there is a missing file, not a
        // missing folder.
        let error = Error::File {
            action: "open /home/jo/export.zip".into(),
            source: IoError::from(ErrorKind::NotFound),
        };
        assert_eq!(
            error.to_string(),
            "Careledger could not open /home/jo/export.zip: that file is not there (it may have \
             been moved, renamed or deleted). Nothing has been changed. Check where it is, or \
             choose another place."
        );
        let error = Error::File {
            action: "read /home/jo/backup.sqlite3".into(),
            source: IoError::from(ErrorKind::PermissionDenied),
        };
        assert_eq!(
            error.to_string(),
            "Careledger could not read /home/jo/backup.sqlite3: you do not have permission to \
             open it. Nothing has been changed. Choose another file, or ask whoever looks after \
             this computer for permission."
        );
        // Careledger's own reasons are kept as they are.
        let error = Error::File {
            action: "save the backup in /media/usb".into(),
            source: plain_io_error("the copy could not be read back correctly"),
        };
        assert_eq!(
            error.to_string(),
            "Careledger could not save the backup in /media/usb: the copy could not be read back \
             correctly. Nothing has been changed. Check that the disk or USB stick is still \
             connected and has space, then try again."
        );
    }

    #[test]
    fn storage_problems_are_said_in_plain_words() {
        use rusqlite::ffi;
        let failure = |code: i32| {
            rusqlite::Error::SqliteFailure(ffi::Error::new(code), Some("SQL jargon".into()))
        };
        for (code, expected) in [
            (ffi::SQLITE_FULL, "the disk is full"),
            (
                ffi::SQLITE_READONLY,
                "the data file cannot be changed (it is read-only, or you do not have permission)",
            ),
            (
                ffi::SQLITE_NOTADB,
                "the file is not a Careledger data file, or it is damaged",
            ),
            (
                ffi::SQLITE_IOERR,
                "the disk could not be read or written (it may have been removed, or be failing)",
            ),
            (ffi::SQLITE_BUSY, "another copy of Careledger is using it"),
            (ffi::SQLITE_CORRUPT, "the data file is damaged"),
            (
                ffi::SQLITE_INTERNAL,
                "something unexpected went wrong with the data file",
            ),
        ] {
            assert_eq!(plain_storage_problem(&failure(code)), expected, "{code}");
        }
        let message = Error::Storage(failure(ffi::SQLITE_FULL)).to_string();
        assert_eq!(
            message,
            "Careledger could not read or save your data: the disk is full."
        );
        // The error behind "2026-02-31" read as a date.
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        let error = conn
            .query_row("SELECT '2026-02-31'", [], |row| {
                row.get::<_, chrono::NaiveDate>(0)
            })
            .unwrap_err();
        assert!(error.to_string().contains("Conversion error"));
        let message = Error::from(error).to_string();
        assert!(!message.contains("Conversion"), "{message}");
        assert!(message.contains("changed outside Careledger"), "{message}");
        // A storage failure carried as a file error.
        assert_eq!(
            plain_io_problem(&IoError::other(failure(ffi::SQLITE_FULL))),
            "the disk is full"
        );
    }
}
