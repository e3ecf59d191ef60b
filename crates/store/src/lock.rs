//! One copy of Careledger per data folder.
//!
//! SQLite's own locking already keeps the file whole when two programs
//! write to it, but two windows on the same data would each show figures
//! the other has changed behind its back, and the second would fail later
//! with "busy" in the middle of someone's work. So the shell takes a
//! [`DataLock`] before it opens the database, and a second window is told
//! plainly, at once, to use the first.
//!
//! The lock is an operating-system advisory lock on a small file beside the
//! database (`flock` on Unix, `LockFileEx` on Windows). The system lets go
//! of it when the process ends however it ends, so a crash or a power cut
//! never leaves a stale lock that would keep the person out of their data.

use std::fs::{File, OpenOptions, TryLockError};
use std::io;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// The lock file's name inside the data folder. It holds nothing; only the
/// lock on it matters, so it is never deleted (deleting it could let two
/// windows lock two different files of the same name).
pub const LOCK_FILE_NAME: &str = "careledger.lock";

/// Proof that this process alone has the data folder open. Held for as
/// long as the data is open; dropping it lets another window open it.
#[derive(Debug)]
pub struct DataLock {
    /// The open lock file: the lock lives as long as this handle.
    file: File,
    /// Where the lock file is, for messages.
    path: PathBuf,
}

impl DataLock {
    /// Takes the lock on `data_dir`, which must be an existing folder that
    /// this user can write to. Fails with [`Error::AlreadyOpen`] when
    /// another Careledger process holds it, and with
    /// [`Error::DataFolderUnusable`] when the folder is missing, is not a
    /// folder, or is read-only. Never waits.
    pub fn acquire(data_dir: &Path) -> Result<DataLock> {
        let path = data_dir.join(LOCK_FILE_NAME);
        let unusable = |reason: String| Error::DataFolderUnusable {
            path: data_dir.display().to_string(),
            reason,
        };
        match std::fs::metadata(data_dir) {
            Ok(metadata) if !metadata.is_dir() => {
                return Err(unusable("it is a file, not a folder".into()))
            }
            Ok(_) => {}
            Err(error) => return Err(unusable(folder_problem(&error))),
        }
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|error| unusable(folder_problem(&error)))?;
        // std's `File::try_lock` (Rust 1.89) saves a dependency on a
        // locking crate.
        let locked = file.try_lock();
        match locked {
            Ok(()) => Ok(DataLock { file, path }),
            Err(TryLockError::WouldBlock) => Err(Error::AlreadyOpen),
            // A file system without locks (some network shares) must not
            // keep the person out of their data: SQLite's own locking still
            // keeps the file whole, and only the early message is lost.
            Err(TryLockError::Error(error)) if lock_unsupported(&error) => {
                Ok(DataLock { file, path })
            }
            Err(TryLockError::Error(error)) => Err(unusable(format!(
                "{} could not be locked, because {}",
                path.display(),
                crate::error::plain_io_problem(&error)
            ))),
        }
    }

    /// The lock file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for DataLock {
    fn drop(&mut self) {
        // Closing the file releases the lock anyway; unlocking first makes
        // the release immediate and independent of when the handle closes.
        // A failure here changes nothing: the close that follows releases it.
        let _ = self.file.unlock();
    }
}

/// Why the folder cannot be used, in words for the person using the app.
fn folder_problem(error: &io::Error) -> String {
    match error.kind() {
        io::ErrorKind::NotFound => "the folder does not exist".into(),
        io::ErrorKind::PermissionDenied | io::ErrorKind::ReadOnlyFilesystem => {
            "the folder is read-only, or you do not have permission to change files in it".into()
        }
        io::ErrorKind::NotADirectory => "part of the path is a file, not a folder".into(),
        _ => crate::error::plain_io_problem(error),
    }
}

/// Whether locking failed only because the file system cannot lock.
fn lock_unsupported(error: &io::Error) -> bool {
    // ENOLCK (37 on Linux) is what Linux gives for a share without locks.
    error.kind() == io::ErrorKind::Unsupported
        || (cfg!(target_os = "linux") && error.raw_os_error() == Some(37))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;

    #[test]
    fn a_second_lock_on_the_same_folder_is_refused_until_the_first_is_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let first = DataLock::acquire(dir.path()).unwrap();
        assert_eq!(first.path(), dir.path().join(LOCK_FILE_NAME));
        // A second open file description conflicts even within one
        // process, exactly as a second window's would.
        let error = DataLock::acquire(dir.path()).unwrap_err();
        assert!(matches!(error, Error::AlreadyOpen), "{error:?}");
        assert_eq!(
            error.to_string(),
            "Your Careledger data is already open in another Careledger window. Use that \
             window, or close it and try again."
        );
        assert_eq!(error.code(), ErrorCode::Busy);
        drop(first);
        let again = DataLock::acquire(dir.path()).unwrap();
        drop(again);
    }

    #[test]
    fn different_folders_do_not_block_each_other() {
        let one = tempfile::tempdir().unwrap();
        let two = tempfile::tempdir().unwrap();
        let _first = DataLock::acquire(one.path()).unwrap();
        let _second = DataLock::acquire(two.path()).unwrap();
    }

    #[test]
    fn a_missing_folder_or_a_file_gets_a_plain_message() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("not here");
        let error = DataLock::acquire(&missing).unwrap_err();
        assert_eq!(error.code(), ErrorCode::App);
        assert!(
            error.to_string().contains("the folder does not exist"),
            "{error}"
        );
        let file = dir.path().join("a file");
        std::fs::write(&file, b"").unwrap();
        let error = DataLock::acquire(&file).unwrap_err();
        assert!(error.to_string().contains("not a folder"), "{error}");
    }

    #[cfg(unix)]
    #[test]
    fn a_read_only_folder_gets_a_plain_message() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let read_only = dir.path().join("read-only");
        std::fs::create_dir(&read_only).unwrap();
        std::fs::set_permissions(&read_only, std::fs::Permissions::from_mode(0o555)).unwrap();
        // Permissions do not stop root (CI often runs as root); /sys is
        // read-only even for root on Linux.
        let probe = read_only.join("probe");
        let folder = if std::fs::write(&probe, b"").is_ok() && cfg!(target_os = "linux") {
            PathBuf::from("/sys")
        } else {
            read_only.clone()
        };
        let error = DataLock::acquire(&folder).unwrap_err();
        assert!(
            matches!(error, Error::DataFolderUnusable { .. }),
            "{error:?}"
        );
        let message = error.to_string();
        assert!(message.contains("read-only"), "{message}");
        assert!(message.contains(&folder.display().to_string()), "{message}");
        std::fs::set_permissions(&read_only, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
}
