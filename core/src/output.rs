//! Files a person asks for (a statement, its CSV, a backup, an export),
//! written only where they cannot harm the data, and whole or not at all.
//!
//! A person choosing where to save can pick anything: the data file
//! itself, a link to it, a path with `..` that walks back into the data
//! folder, the very file being read, or the same name twice. [`Protected`]
//! says which places are off limits and [`Protected::check`] refuses them,
//! comparing by resolved path (so links and `..` do not get round it) and
//! by file identity (so a hard link does not either). Every output the
//! person chooses goes through it: the window's saves and the command
//! line alike.

use std::fs;
use std::path::{Component, Path, PathBuf};

use crate::disk::{file_error, publish, staging_beside, with_suffix};
use crate::error::{Error, Result};
use crate::lock::LOCK_FILE_NAME;
use crate::private;
use crate::store::DATABASE_FILE_NAME;

/// The places an output must never be written: the data folder and all
/// that is in it (the data file, SQLite's `-wal` and `-shm`, the lock
/// file, the automatic backups), any other folder of backups, and the
/// files being read to make the output.
#[derive(Debug, Clone)]
pub struct Protected {
    data_folder: PathBuf,
    backup_folders: Vec<PathBuf>,
    reading: Vec<PathBuf>,
}

impl Protected {
    /// The data folder `data_dir` and everything in it.
    pub fn data_folder(data_dir: &Path) -> Protected {
        Protected {
            data_folder: data_dir.to_owned(),
            backup_folders: Vec::new(),
            reading: Vec::new(),
        }
    }

    /// Also protects `folder`, which holds backups (a second place on a
    /// USB stick, say).
    pub fn with_backup_folder(mut self, folder: &Path) -> Protected {
        self.backup_folders.push(folder.to_owned());
        self
    }

    /// Also protects `file`, which is being read to make the output.
    pub fn with_file_being_read(mut self, file: &Path) -> Protected {
        self.reading.push(file.to_owned());
        self
    }

    /// The data file and SQLite's and Careledger's files beside it: the
    /// files whose identity is compared, whatever they are called.
    fn live_files(&self) -> Vec<PathBuf> {
        let database = self.data_folder.join(DATABASE_FILE_NAME);
        let mut files: Vec<PathBuf> = ["", "-wal", "-shm", "-journal"]
            .iter()
            .map(|suffix| with_suffix(&database, suffix))
            .collect();
        files.push(self.data_folder.join(LOCK_FILE_NAME));
        files
    }

    /// Refuses `target` if writing it could harm the data or the files
    /// being read; says why in words a person can act on. Nothing is
    /// written either way.
    pub fn check(&self, target: &Path) -> Result<()> {
        let refuse = |why: String| {
            Err(Error::WouldOverwrite {
                path: target.display().to_string(),
                message: format!("{why} Nothing has been changed."),
            })
        };
        let shown = target.display();
        if target.as_os_str().is_empty() || target.file_name().is_none() {
            return refuse(format!(
                "Careledger cannot save to \u{201c}{shown}\u{201d}: it is not a file name. Choose a folder and type a name for the file."
            ));
        }
        if fs::metadata(target).is_ok_and(|metadata| metadata.is_dir()) {
            return refuse(format!(
                "Careledger cannot save to {shown}: that is a folder, not a file name. Choose the folder, then type a name for the file."
            ));
        }
        let resolved = resolve(target);
        if self
            .live_files()
            .iter()
            .any(|file| same_place(&resolved, target, file))
        {
            return refuse(format!(
                "Careledger will not save to {shown}: that is your Careledger data itself, and saving there would destroy it. Choose another folder, such as Documents or a USB stick."
            ));
        }
        for file in &self.reading {
            if same_place(&resolved, target, file) {
                return refuse(format!(
                    "Careledger cannot save to {shown}: that is the file it is reading from. Choose another name."
                ));
            }
        }
        let data_folder = resolve(&self.data_folder);
        if resolved.starts_with(&data_folder) {
            return refuse(format!(
                "Careledger will not save to {shown}: that is inside Careledger's own data folder ({}), which only Careledger should change. Choose another folder, such as Documents or a USB stick.",
                self.data_folder.display()
            ));
        }
        for folder in &self.backup_folders {
            if resolved.starts_with(resolve(folder)) {
                return refuse(format!(
                    "Careledger will not save to {shown}: that is inside the folder that keeps your backups ({}). Choose another folder.",
                    folder.display()
                ));
            }
        }
        Ok(())
    }

    /// Writes `bytes` to `path` whole or not at all, after [`Self::check`].
    pub fn write(&self, path: &Path, bytes: &[u8]) -> Result<()> {
        self.write_together(&[(path, bytes)])
    }

    /// Writes every file in `files` or none of them: each is checked, then
    /// written in full to a hidden file beside its place and flushed, and
    /// only when all are ready are they renamed into place. A file that was
    /// already there is kept aside until every rename has worked, and put
    /// back if one fails.
    pub fn write_together(&self, files: &[(&Path, &[u8])]) -> Result<()> {
        for (index, (path, _)) in files.iter().enumerate() {
            self.check(path)?;
            if files[..index]
                .iter()
                .any(|(earlier, _)| same_place(&resolve(path), path, earlier))
            {
                return Err(Error::WouldOverwrite {
                    path: path.display().to_string(),
                    message: format!(
                        "Careledger cannot save two files as {}: give each its own name. Nothing has been changed.",
                        path.display()
                    ),
                });
            }
        }
        let mut staged = Vec::with_capacity(files.len());
        for (path, bytes) in files {
            let staging = staging_beside(path).map_err(|error| folder_problem(path, error))?;
            let temporary = staging.path().join("output");
            fs::write(&temporary, bytes)
                .map_err(|error| file_error(format!("save {}", path.display()), error))?;
            private::make_file_private(&temporary);
            staged.push((staging, temporary, *path));
        }
        let mut published: Vec<(&Path, Option<PathBuf>)> = Vec::new();
        for (staging, temporary, path) in &staged {
            // An older file of the same name waits in the staging folder
            // until every new file is in place.
            let earlier = staging.path().join("earlier");
            let kept = fs::rename(path, &earlier).is_ok().then_some(earlier);
            if let Err(error) = publish(temporary, path) {
                if let Some(kept) = &kept {
                    let _ = fs::rename(kept, path);
                }
                for (done, earlier) in published.into_iter().rev() {
                    match earlier {
                        Some(earlier) => {
                            let _ = fs::rename(earlier, done);
                        }
                        None => {
                            let _ = fs::remove_file(done);
                        }
                    }
                }
                return Err(error);
            }
            published.push((path, kept));
        }
        Ok(())
    }
}

/// Words a "not found" failure right for a folder that exists but where
/// nothing can be made (`/proc`, say): the folder is there, it cannot be
/// written to.
fn folder_problem(path: &Path, error: Error) -> Error {
    let folder = path
        .parent()
        .filter(|folder| !folder.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    match error {
        Error::File { action, source }
            if source.kind() == std::io::ErrorKind::NotFound && folder.is_dir() =>
        {
            Error::File {
                action,
                source: crate::error::plain_io_error(
                    "that folder cannot be written to (it is there, but nothing can be saved in it)",
                ),
            }
        }
        other => other,
    }
}

/// `path` as the file system will see it: links followed and `..` taken
/// away, for as much of it as exists, with the rest added as written.
pub fn resolve(path: &Path) -> PathBuf {
    if let Ok(real) = path.canonicalize() {
        return real;
    }
    let absolute = if path.is_absolute() {
        path.to_owned()
    } else {
        std::env::current_dir()
            .map(|here| here.join(path))
            .unwrap_or_else(|_| path.to_owned())
    };
    // Part by part: each part that exists is resolved (so a link is
    // followed before a `..` after it), and a `..` takes off one part.
    let mut resolved = PathBuf::new();
    for part in absolute.components() {
        match part {
            Component::ParentDir => {
                resolved.pop();
            }
            Component::CurDir => {}
            other => {
                resolved.push(other);
                if let Ok(real) = resolved.canonicalize() {
                    resolved = real;
                }
            }
        }
    }
    resolved
}

/// Whether `target` (resolved as `resolved`) is `file`: the same path once
/// resolved, or the same file on the disk under another name.
fn same_place(resolved: &Path, target: &Path, file: &Path) -> bool {
    if *resolved == resolve(file) {
        return true;
    }
    match (
        same_file::Handle::from_path(target),
        same_file::Handle::from_path(file),
    ) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backup::BACKUPS_FOLDER;

    struct Setup {
        _dir: tempfile::TempDir,
        root: PathBuf,
        data: PathBuf,
        protected: Protected,
    }

    fn setup() -> Setup {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        let data = root.join("data");
        fs::create_dir_all(data.join(BACKUPS_FOLDER)).unwrap();
        fs::write(data.join(DATABASE_FILE_NAME), b"live data").unwrap();
        fs::write(with_suffix(&data.join(DATABASE_FILE_NAME), "-wal"), b"wal").unwrap();
        fs::write(data.join(LOCK_FILE_NAME), b"").unwrap();
        let protected = Protected::data_folder(&data);
        Setup {
            _dir: dir,
            root,
            data,
            protected,
        }
    }

    fn refused(protected: &Protected, target: &Path) -> String {
        match protected.write(target, b"%PDF-1.7 statement") {
            Err(Error::WouldOverwrite { message, .. }) => message,
            other => panic!("{} was not refused: {other:?}", target.display()),
        }
    }

    fn live_bytes(setup: &Setup) -> Vec<u8> {
        fs::read(setup.data.join(DATABASE_FILE_NAME)).unwrap()
    }

    #[test]
    fn refuses_the_data_file_its_companions_and_the_data_folder() {
        let setup = setup();
        let database = setup.data.join(DATABASE_FILE_NAME);
        for target in [
            database.clone(),
            with_suffix(&database, "-wal"),
            with_suffix(&database, "-shm"),
            setup.data.join(LOCK_FILE_NAME),
            setup.data.join("statement.pdf"),
            setup.data.join(BACKUPS_FOLDER).join("x.backup.sqlite3"),
            setup.data.join("new folder").join("statement.pdf"),
        ] {
            let message = refused(&setup.protected, &target);
            assert!(message.ends_with("Nothing has been changed."), "{message}");
        }
        assert_eq!(live_bytes(&setup), b"live data");
        assert!(!setup.data.join("statement.pdf").exists());
    }

    #[test]
    fn dot_dot_and_links_do_not_get_round_it() {
        let setup = setup();
        let elsewhere = setup.root.join("documents");
        fs::create_dir(&elsewhere).unwrap();
        let sneaky = elsewhere.join("..").join("data").join(DATABASE_FILE_NAME);
        assert!(refused(&setup.protected, &sneaky).contains("your Careledger data itself"));
        let via_missing = elsewhere
            .join("not yet")
            .join("..")
            .join("..")
            .join("data")
            .join("careledger.sqlite3");
        refused(&setup.protected, &via_missing);
        #[cfg(unix)]
        {
            let link = elsewhere.join("statement.pdf");
            std::os::unix::fs::symlink(setup.data.join(DATABASE_FILE_NAME), &link).unwrap();
            refused(&setup.protected, &link);
            let folder_link = elsewhere.join("shortcut");
            std::os::unix::fs::symlink(&setup.data, &folder_link).unwrap();
            refused(&setup.protected, &folder_link.join("statement.pdf"));
        }
        let hard = elsewhere.join("hard.pdf");
        fs::hard_link(setup.data.join(DATABASE_FILE_NAME), &hard).unwrap();
        assert!(refused(&setup.protected, &hard).contains("your Careledger data itself"));
        assert_eq!(live_bytes(&setup), b"live data");
    }

    #[test]
    fn refuses_the_file_being_read_a_folder_and_the_same_name_twice() {
        let setup = setup();
        let source = setup.root.join("export.zip");
        fs::write(&source, b"zip").unwrap();
        let protected = setup.protected.clone().with_file_being_read(&source);
        assert!(refused(&protected, &source).contains("the file it is reading from"));
        assert!(refused(&protected, &setup.root).contains("that is a folder"));
        let out = setup.root.join("same.pdf");
        let twice = protected
            .write_together(&[(&out, b"a"), (&setup.root.join(".").join("same.pdf"), b"b")]);
        assert!(
            matches!(twice, Err(Error::WouldOverwrite { .. })),
            "{twice:?}"
        );
        assert!(!out.exists());
        assert_eq!(fs::read(&source).unwrap(), b"zip");
    }

    #[test]
    fn a_backup_folder_elsewhere_is_protected_too() {
        let setup = setup();
        let usb = setup.root.join("usb");
        fs::create_dir(&usb).unwrap();
        let protected = setup.protected.clone().with_backup_folder(&usb);
        assert!(refused(&protected, &usb.join("s.pdf")).contains("keeps your backups"));
    }

    #[test]
    fn writes_both_or_neither() {
        let setup = setup();
        let pdf = setup.root.join("statement.pdf");
        let csv_folder = setup.root.join("read-only");
        fs::create_dir(&csv_folder).unwrap();
        // A CSV whose folder does not exist: the PDF must not be written.
        let missing = setup.root.join("no such folder").join("statement.csv");
        assert!(setup
            .protected
            .write_together(&[(&pdf, b"pdf"), (&missing, b"csv")])
            .is_err());
        assert!(!pdf.exists());
        // An earlier PDF stays as it was.
        fs::write(&pdf, b"old pdf").unwrap();
        assert!(setup
            .protected
            .write_together(&[(&pdf, b"new pdf"), (&missing, b"csv")])
            .is_err());
        assert_eq!(fs::read(&pdf).unwrap(), b"old pdf");
        let csv = csv_folder.join("statement.csv");
        setup
            .protected
            .write_together(&[(&pdf, b"new pdf"), (&csv, b"csv")])
            .unwrap();
        assert_eq!(fs::read(&pdf).unwrap(), b"new pdf");
        assert_eq!(fs::read(&csv).unwrap(), b"csv");
        let left: Vec<_> = fs::read_dir(&setup.root)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().into_string().unwrap())
            .filter(|name| name.starts_with('.'))
            .collect();
        assert!(left.is_empty(), "nothing left beside: {left:?}");
    }

    #[cfg(unix)]
    #[test]
    fn outputs_are_private() {
        use std::os::unix::fs::PermissionsExt;
        let setup = setup();
        let pdf = setup.root.join("statement.pdf");
        setup.protected.write(&pdf, b"pdf").unwrap();
        let mode = fs::metadata(&pdf).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
}
