//! Evidence files kept as files, each named by its SHA-256: the receipts
//! folder beside the data file, and the one beside each place backups go.
//!
//! A file's name is its contents' SHA-256, so the same receipt is kept
//! once however many payments and backups use it, a file once written never
//! changes, and anyone can check a file with `sha256sum`. Every read checks
//! the contents against the name: a file damaged on the disk is never
//! taken for the receipt. A file gets its name only once it is whole
//! (`publish`), so a power cut leaves it whole or absent.

use std::fs;
use std::path::{Path, PathBuf};

use crate::disk::{file_error, folder_of, publish, staging_beside};
use crate::error::{Error, Result};
use crate::evidence::sha256_hex;

/// The folder of evidence files, beside the data file and beside the
/// backups that share them.
pub const RECEIPTS_FOLDER: &str = "receipts";

/// A folder of evidence files, each at `<first two hex digits>/<sha256>`
/// (two levels, so no one folder holds thousands of files).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvidenceFiles {
    root: PathBuf,
}

/// Whether `text` is a SHA-256 as Careledger writes one: 64 lowercase hex
/// digits. Only such a name is ever turned into a path, so nothing read
/// from a file can reach outside the folder.
pub fn is_sha256(text: &str) -> bool {
    text.len() == 64
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

impl EvidenceFiles {
    /// The receipts folder beside `file` (the data file, or a backup).
    pub fn beside(file: &Path) -> EvidenceFiles {
        EvidenceFiles {
            root: folder_of(file).join(RECEIPTS_FOLDER),
        }
    }

    /// The folder itself.
    pub fn folder(&self) -> &Path {
        &self.root
    }

    fn path_of(&self, sha256: &str) -> Option<PathBuf> {
        is_sha256(sha256).then(|| self.root.join(&sha256[..2]).join(sha256))
    }

    /// Whether a file of this name is here (its contents are checked when
    /// it is read).
    pub fn has(&self, sha256: &str) -> bool {
        self.path_of(sha256)
            .is_some_and(|path| fs::symlink_metadata(path).is_ok_and(|meta| meta.is_file()))
    }

    /// The file's contents, checked against its name. `Ok(None)` when it is
    /// not here; an error when it is here but its contents are not the ones
    /// its name says (damaged on the disk, or changed by hand).
    pub fn read(&self, sha256: &str) -> Result<Option<Vec<u8>>> {
        let Some(path) = self.path_of(sha256).filter(|_| self.has(sha256)) else {
            return Ok(None);
        };
        let bytes = fs::read(&path)
            .map_err(|error| file_error(format!("read {}", path.display()), error))?;
        if sha256_hex(&bytes) != sha256 {
            return Err(Error::DamagedEvidenceFile {
                path: path.display().to_string(),
            });
        }
        Ok(Some(bytes))
    }

    /// Keeps `bytes` here under their SHA-256, which must be `sha256`. A
    /// file already here whose contents check is left as it is; one that
    /// does not check is replaced. Returns whether a file was written.
    pub fn keep(&self, sha256: &str, bytes: &[u8]) -> Result<bool> {
        let path = self
            .path_of(sha256)
            .filter(|_| sha256_hex(bytes) == sha256)
            .ok_or_else(|| Error::Corrupt(format!("evidence file {sha256}")))?;
        if matches!(self.read(sha256), Ok(Some(_))) {
            return Ok(false);
        }
        let folder = folder_of(&path);
        fs::create_dir_all(folder)
            .map_err(|error| file_error(format!("make the folder {}", folder.display()), error))?;
        crate::private::make_folder_private(&self.root);
        crate::private::make_folder_private(folder);
        let staging = staging_beside(&path)?;
        let temporary = staging.path().join("file");
        fs::write(&temporary, bytes)
            .map_err(|error| file_error(format!("save {}", path.display()), error))?;
        publish(&temporary, &path)?;
        Ok(true)
    }

    /// Copies the file named `sha256` from here to `other`, unless `other`
    /// has it already: how a backup place gets each receipt once. The
    /// contents are checked as they are read. Returns whether a file was
    /// copied; `Ok(false)` too when this folder does not have it.
    pub fn share_with(&self, other: &EvidenceFiles, sha256: &str) -> Result<bool> {
        if other.has(sha256) {
            return Ok(false);
        }
        match self.read(sha256)? {
            Some(bytes) => other.keep(sha256, &bytes),
            None => Ok(false),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_kept_once_by_their_contents_and_checked_when_read() {
        let folder = tempfile::tempdir().unwrap();
        let files = EvidenceFiles::beside(&folder.path().join("careledger.sqlite3"));
        let bytes = b"%PDF-1.4 a receipt".to_vec();
        let sha = sha256_hex(&bytes);
        assert_eq!(files.read(&sha).unwrap(), None);
        assert!(files.keep(&sha, &bytes).unwrap());
        assert!(!files.keep(&sha, &bytes).unwrap(), "kept once");
        assert_eq!(files.read(&sha).unwrap(), Some(bytes.clone()));
        let path = folder.path().join("receipts").join(&sha[..2]).join(&sha);
        assert!(path.is_file());

        // Bytes that are not what the name says are never kept under it.
        assert!(files.keep(&sha256_hex(b"other"), &bytes).is_err());
        // A name that is not a SHA-256 never becomes a path.
        assert_eq!(files.read("../../etc/passwd").unwrap(), None);

        // Damaged on the disk: refused when read, and put right when kept again.
        fs::write(&path, b"changed").unwrap();
        assert!(matches!(
            files.read(&sha),
            Err(Error::DamagedEvidenceFile { .. })
        ));
        assert!(files.keep(&sha, &bytes).unwrap());
        assert_eq!(files.read(&sha).unwrap(), Some(bytes.clone()));

        // Shared with another folder once.
        let other_folder = tempfile::tempdir().unwrap();
        let other = EvidenceFiles::beside(&other_folder.path().join("backup.sqlite3"));
        assert!(files.share_with(&other, &sha).unwrap());
        assert!(!files.share_with(&other, &sha).unwrap());
        assert_eq!(other.read(&sha).unwrap(), Some(bytes));
    }
}
