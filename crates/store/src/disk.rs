//! Writing Careledger's own files safely, and where they go: the lowest
//! layer for files, below both the store and the backups that use it.
//!
//! Files are never written in place: work happens in a hidden folder
//! beside the destination, and a finished, flushed file is renamed into
//! place, so a half-written file never has a name a person would choose.

use std::fs::{self, File, OpenOptions};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use tempfile::TempDir;

use crate::error::{Error, Result};

/// How every backup's file name ends.
pub const BACKUP_SUFFIX: &str = ".backup.sqlite3";

/// The folder, beside the data file, that automatic and before-update
/// backups go in.
pub const BACKUPS_FOLDER: &str = "backups";

/// Where [`crate::store::Store::open`] keeps a copy of a file at data version `found`
/// before updating it: in the backups folder beside it.
pub fn before_migration_path(database: &Path, found: i64, now: DateTime<Utc>) -> Result<PathBuf> {
    let folder = folder_of(database).join(BACKUPS_FOLDER);
    fs::create_dir_all(&folder).map_err(|error| {
        file_error(
            format!("make the backups folder {}", folder.display()),
            error,
        )
    })?;
    Ok(unused_path(
        &folder,
        &format!("careledger-before-v{found}-{}", stamp(now)),
        BACKUP_SUFFIX,
    ))
}

/// A hidden folder beside `dest` to build a file in. It and whatever is
/// left in it are removed when it is dropped, so work that fails part-way
/// leaves nothing behind. Being in the same folder as `dest` makes the
/// final rename a single step on the same disk.
pub fn staging_beside(dest: &Path) -> Result<TempDir> {
    let folder = folder_of(dest);
    tempfile::Builder::new()
        .prefix(".careledger-partial-")
        .tempdir_in(folder)
        .map_err(|error| file_error(format!("save in {}", folder.display()), error))
}

/// Flushes a finished file to the disk, then renames it to `dest` (which it
/// replaces) and flushes the folder, so that after a power cut `dest` is
/// either the old file or the whole new one.
pub fn publish(finished: &Path, dest: &Path) -> Result<()> {
    let action = || format!("save {}", dest.display());
    // Write access: Windows will not flush a file opened only to read.
    OpenOptions::new()
        .read(true)
        .write(true)
        .open(finished)
        .and_then(|file| file.sync_all())
        .map_err(|error| file_error(action(), error))?;
    crate::private::make_file_private(finished);
    fs::rename(finished, dest).map_err(|error| file_error(action(), error))?;
    // Makes the rename itself durable on Unix. Windows cannot open a folder
    // like this, and commits renames itself.
    if let Ok(folder) = File::open(folder_of(dest)) {
        let _ = folder.sync_all();
    }
    Ok(())
}

/// Copies `source` to `dest` by way of a temporary file beside it, so
/// `dest` is the old file or the whole copy. `action` follows "could not"
/// in the message if it fails.
pub fn copy_file_safely(source: &Path, dest: &Path, action: &str) -> Result<()> {
    let staging = staging_beside(dest)?;
    let temporary = staging.path().join("copy");
    fs::copy(source, &temporary).map_err(|error| file_error(action.to_owned(), error))?;
    publish(&temporary, dest)
}

/// Writes `bytes` to `dest` by way of a temporary file beside it, so
/// `dest` is the old file or the whole new one. `action` follows "could
/// not" in the message if it fails.
pub fn write_file_safely(dest: &Path, bytes: &[u8], action: &str) -> Result<()> {
    let staging = staging_beside(dest)?;
    let temporary = staging.path().join("file");
    fs::write(&temporary, bytes).map_err(|error| file_error(action.to_owned(), error))?;
    publish(&temporary, dest)
}

/// A plain-English error for a failed file operation; `action` follows
/// "Careledger could not".
pub fn file_error(action: String, source: std::io::Error) -> Error {
    Error::File { action, source }
}

/// The folder `path` is in ("." for a bare file name).
pub fn folder_of(path: &Path) -> &Path {
    path.parent()
        .filter(|folder| !folder.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// `path` with `suffix` added to its name: `data.sqlite3-wal`.
pub fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// `stem` + `suffix` in `folder`, or with "-2", "-3"… added to the stem if
/// that is taken: two backups in the same second must not replace each
/// other.
pub fn unused_path(folder: &Path, stem: &str, suffix: &str) -> PathBuf {
    let first = folder.join(format!("{stem}{suffix}"));
    if fs::symlink_metadata(&first).is_err() {
        return first;
    }
    (2u32..10_000)
        .map(|number| folder.join(format!("{stem}-{number}{suffix}")))
        .find(|path| fs::symlink_metadata(path).is_err())
        .unwrap_or(first)
}

/// A time for a file name: `20261125T143000Z`.
pub fn stamp(now: DateTime<Utc>) -> String {
    now.format("%Y%m%dT%H%M%SZ").to_string()
}
