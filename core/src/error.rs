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
    /// A schema migration failed.
    #[error(
        "Careledger could not update your data to this version: {0}. Nothing has been changed."
    )]
    Migration(#[from] rusqlite_migration::Error),
    /// Any other storage failure.
    #[error("Careledger could not read or save your data: {0}.")]
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
    /// Reading or writing a file (not the database) failed.
    #[error(
        "Careledger could not {action} ({source}). Nothing has been changed. Check that the \
         disk or USB stick is still connected and has space, then try again."
    )]
    File {
        /// What was being done, in words that follow "could not":
        /// "save the backup in /media/usb".
        action: String,
        /// The failure the operating system gave.
        #[source]
        source: std::io::Error,
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
            Error::Invalid { .. } => ErrorCode::InvalidInput,
            Error::NotFound { .. } => ErrorCode::NotFound,
            Error::NewerDatabase { .. } => ErrorCode::NewerDatabase,
            Error::NotADatabase { .. } => ErrorCode::NotADatabase,
            Error::Busy | Error::AlreadyOpen => ErrorCode::Busy,
            Error::DataFolderUnusable { .. } => ErrorCode::App,
            Error::Overflow => ErrorCode::Overflow,
            Error::Migration(_) => ErrorCode::Migration,
            Error::Storage(_) => ErrorCode::Storage,
            Error::Corrupt(_) => ErrorCode::Corrupt,
            Error::NotABackup { .. } => ErrorCode::NotABackup,
            Error::DamagedBackup { .. } => ErrorCode::DamagedBackup,
            Error::NewerBackup { .. } => ErrorCode::NewerBackup,
            Error::NotAnExport { .. } => ErrorCode::NotAnExport,
            Error::DamagedExport { .. } => ErrorCode::DamagedExport,
            Error::NewerExport { .. } => ErrorCode::NewerExport,
            Error::WouldOverwrite { .. } => ErrorCode::WouldOverwrite,
            Error::File { .. } => ErrorCode::File,
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
    /// The form field at fault, when one is.
    pub field: Option<String>,
}

impl From<&Error> for ErrorReport {
    fn from(error: &Error) -> Self {
        let field = match error {
            Error::Invalid { field, .. } => Some(field.clone()),
            _ => None,
        };
        ErrorReport {
            code: error.code(),
            message: error.to_string(),
            field,
        }
    }
}

impl From<Error> for ErrorReport {
    fn from(error: Error) -> Self {
        ErrorReport::from(&error)
    }
}
