//! Keeping the data private to the person whose computer it is on.
//!
//! Health and money records must not be readable by other accounts on a
//! shared computer. On Unix the data folder and every folder of backups
//! are `0700` and every file Careledger writes is `0600`. Windows and
//! macOS home folders are private to their user already; there these do
//! nothing.

use std::path::Path;

/// Makes `file` readable and writable by its owner only. A failure is
/// ignored: it must never stop data being saved.
pub fn make_file_private(file: &Path) {
    set_mode(file, 0o600);
}

/// Makes `folder` usable by its owner only.
pub fn make_folder_private(folder: &Path) {
    set_mode(folder, 0o700);
}

/// Makes the data folder `data_dir` private, with every file in it and in
/// its folders (the backups), for data made before Careledger did this.
/// Links are left alone: they may point anywhere.
pub fn make_data_folder_private(data_dir: &Path) {
    make_folder_private(data_dir);
    let Ok(entries) = std::fs::read_dir(data_dir) else {
        return;
    };
    for entry in entries.flatten() {
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            make_data_folder_private(&entry.path());
        } else if kind.is_file() {
            make_file_private(&entry.path());
        }
    }
}

#[cfg(unix)]
fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode));
}

#[cfg(not(unix))]
fn set_mode(_path: &Path, _mode: u32) {}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn the_data_folder_and_all_in_it_become_private() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        std::fs::create_dir_all(data.join("backups")).unwrap();
        std::fs::write(data.join("careledger.sqlite3"), b"x").unwrap();
        std::fs::write(data.join("backups").join("b.sqlite3"), b"x").unwrap();
        for path in [&data, &data.join("backups")] {
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
        make_data_folder_private(&data);
        assert_eq!(mode(&data), 0o700);
        assert_eq!(mode(&data.join("backups")), 0o700);
        assert_eq!(mode(&data.join("careledger.sqlite3")), 0o600);
        assert_eq!(mode(&data.join("backups").join("b.sqlite3")), 0o600);
    }
}
