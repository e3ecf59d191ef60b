//! Writing a file the person chose (a statement, a backup) so that it is
//! whole or not there at all, with a plain-English reason when it cannot be.

use std::io::{ErrorKind, Write};
use std::path::Path;

/// Writes `bytes` to `path`: first to a hidden file beside it, flushed to
/// the disk, then renamed over it, so a full disk or a pulled-out USB stick
/// never leaves half a file with the real name.
pub fn write_whole_file(path: &Path, bytes: &[u8]) -> Result<(), String> {
    let folder = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .ok_or_else(|| format!("{} is a folder, not a file name.", path.display()))?;
    let partial = folder.join(format!(".{}.part", name.to_string_lossy()));
    let written = std::fs::File::create(&partial).and_then(|mut file| {
        file.write_all(bytes)?;
        file.sync_all()
    });
    let result = written.and_then(|()| std::fs::rename(&partial, path));
    result.map_err(|error| {
        let _ = std::fs::remove_file(&partial);
        explain(path, &error)
    })
}

/// Why a file could not be written, in words a person can act on.
fn explain(path: &Path, error: &std::io::Error) -> String {
    let folder = path
        .parent()
        .map_or_else(|| ".".into(), |p| p.display().to_string());
    match error.kind() {
        ErrorKind::NotFound => format!(
            "Careledger could not save {}: the folder {folder} does not exist. Choose another folder.",
            path.display()
        ),
        ErrorKind::PermissionDenied | ErrorKind::ReadOnlyFilesystem => format!(
            "Careledger could not save {}: that folder cannot be written to. Choose another folder.",
            path.display()
        ),
        ErrorKind::StorageFull | ErrorKind::QuotaExceeded => format!(
            "Careledger could not save {}: the disk is full. Make some room, or choose another disk. Nothing was saved.",
            path.display()
        ),
        _ => format!(
            "Careledger could not save {}: {error}. Check the folder exists and can be written to.",
            path.display()
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_the_whole_file_and_leaves_nothing_beside_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("statement.pdf");
        write_whole_file(&path, b"first").unwrap();
        write_whole_file(&path, b"second, longer").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"second, longer");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["statement.pdf"]);
    }

    #[test]
    fn a_missing_folder_is_explained_and_nothing_is_written() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("no such folder").join("statement.pdf");
        let message = write_whole_file(&path, b"x").unwrap_err();
        assert!(message.contains("does not exist"), "{message}");
        assert!(!path.exists());
    }
}
