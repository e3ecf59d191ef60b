//! A second place for the automatic backups: a folder on another drive (a
//! USB stick, a synced folder) that receives a copy of each one, so that a
//! lost or broken computer does not take every copy of the records with
//! it.
//!
//! The choice is kept in a small settings file in the data folder, beside
//! the data it protects. The copies go in a folder of their own inside the
//! chosen one ([`SECOND_PLACE_FOLDER`]), thinned out like the backups on
//! this computer.

use std::fs;
use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::backup::daily_backup_date;
use crate::disk::{copy_file_safely, file_error, write_file_safely};
use crate::error::{Error, Result};
use crate::files::EvidenceFiles;
use crate::output::resolve;
use crate::progress::Progress;
use crate::store::Store;

/// The settings file in the data folder.
pub const SETTINGS_FILE: &str = "careledger-settings.json";

/// The folder made inside the chosen place to hold the copies.
pub const SECOND_PLACE_FOLDER: &str = "Careledger backups";

/// After this many days without a copy, the person is warned.
pub const STALE_AFTER_DAYS: i64 = 30;

/// What is kept in the settings file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DataSettings {
    /// The folder the person chose for the second copies.
    #[serde(default)]
    pub second_place: Option<PathBuf>,
}

impl DataSettings {
    /// Reads the settings of the data in `data_dir`. A missing or unreadable
    /// file means no settings: it must never keep the person from their
    /// data.
    pub fn read(data_dir: &Path) -> DataSettings {
        fs::read(data_dir.join(SETTINGS_FILE))
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default()
    }

    /// Saves the settings whole or not at all.
    pub fn write(&self, data_dir: &Path) -> Result<()> {
        let path = data_dir.join(SETTINGS_FILE);
        let saving = || "save Careledger's settings".to_owned();
        let bytes =
            serde_json::to_vec_pretty(self).map_err(|error| file_error(saving(), error.into()))?;
        write_file_safely(&path, &bytes, &saving())
    }

    /// Where the copies go: the folder inside the chosen place.
    pub fn second_place_folder(&self) -> Option<PathBuf> {
        self.second_place
            .as_ref()
            .map(|chosen| chosen.join(SECOND_PLACE_FOLDER))
    }
}

/// Checks `chosen` as a second place for the data in `data_dir`: it must
/// be a folder that exists and is not inside the data folder (a copy there
/// is lost with the data).
pub fn check_second_place(data_dir: &Path, chosen: &Path) -> Result<()> {
    let refuse = |message: String| {
        Err(Error::invalid(
            "secondPlace",
            format!("{message} Nothing has been changed."),
        ))
    };
    if !chosen.is_dir() {
        return refuse(format!(
            "{} is not a folder Careledger can find. Plug in the USB stick or drive, then choose the folder again.",
            chosen.display()
        ));
    }
    let (data, chosen_resolved) = (resolve(data_dir), resolve(chosen));
    if chosen_resolved.starts_with(&data) || data.starts_with(&chosen_resolved) {
        return refuse(format!(
            "{} is where Careledger keeps your data, so a copy there would be lost with it. Choose a folder on another drive, such as a USB stick.",
            chosen.display()
        ));
    }
    Ok(())
}

/// Copies the backup at `backup` into the second place `folder` (the
/// folder inside the chosen place, made if need be), then thins out the
/// daily copies there as on this computer. Returns the copy's path.
pub fn copy_to_second_place(backup: &Path, folder: &Path, today: NaiveDate) -> Result<PathBuf> {
    copy_to_second_place_with(backup, folder, today, &Progress::new("Copying the backup"))
}

/// [`copy_to_second_place`], stepping `progress` through the receipts it
/// copies: the first copy to a new place takes every receipt. Stopped, it
/// ends with [`Error::Cancelled`] before the backup itself is copied; the
/// receipts copied by then stay, ready for next time (each is named by its
/// contents, so an extra one harms nothing).
pub fn copy_to_second_place_with(
    backup: &Path,
    folder: &Path,
    today: NaiveDate,
    progress: &Progress,
) -> Result<PathBuf> {
    let place = folder.parent().unwrap_or(folder);
    if !place.is_dir() {
        return Err(Error::File {
            action: format!("copy the backup to {}", place.display()),
            source: std::io::Error::new(std::io::ErrorKind::NotFound, "the folder cannot be found"),
        });
    }
    fs::create_dir_all(folder)
        .map_err(|error| file_error(format!("make the folder {}", folder.display()), error))?;
    crate::private::make_folder_private(folder);
    let name = backup
        .file_name()
        .ok_or(Error::NotFound { what: "backup" })?;
    let dest = folder.join(name);
    // The evidence files it shares with the backups beside it first, each
    // once, so the copy there never names a file its folder lacks.
    let from = EvidenceFiles::beside(backup);
    let to = EvidenceFiles::beside(&dest);
    let needed = Store::files_needed_by_backup(backup)?;
    progress.stage("Copying receipts to the second place", needed.len() as u64);
    for sha256 in needed {
        progress.check()?;
        if !from.share_with(&to, &sha256)? && !to.has(&sha256) {
            return Err(Error::MissingEvidenceFile {
                sha256,
                folder: from.folder().display().to_string(),
            });
        }
        progress.step()?;
    }
    copy_file_safely(
        backup,
        &dest,
        &format!("copy the backup to {}", folder.display()),
    )?;
    crate::backup::remove_old_daily_backups(folder, today);
    Ok(dest)
}

/// Where the second copies stand, for the screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SecondPlaceStatus {
    /// The folder the person chose, if any.
    pub chosen: Option<String>,
    /// When the newest copy there was made.
    pub last_copy: Option<DateTime<Utc>>,
    /// Whether the chosen folder can be found now.
    pub available: bool,
    /// What the person should know, in plain words, when something needs
    /// doing: no second place yet, the folder is missing, or the newest
    /// copy is old.
    pub warning: Option<String>,
}

/// How the automatic backups are doing, for the window to show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BackupHealth {
    /// Why the last automatic backup failed, with what to do, if it did.
    pub problem: Option<String>,
    /// Where the second copies stand.
    pub second_place: SecondPlaceStatus,
}

/// Where the second copies of the data in `data_dir` stand on `now`.
pub fn second_place_status(data_dir: &Path, now: DateTime<Utc>) -> SecondPlaceStatus {
    let settings = DataSettings::read(data_dir);
    let (Some(chosen), Some(folder)) = (&settings.second_place, settings.second_place_folder())
    else {
        return SecondPlaceStatus {
            chosen: None,
            last_copy: None,
            available: false,
            warning: Some(
                "Your backups are only on this computer. If it is lost or breaks, they go with it. \
                 Choose a second place for them, such as a USB stick."
                    .into(),
            ),
        };
    };
    let available = chosen.is_dir();
    let last_copy = newest_copy(&folder);
    let warning = if !available {
        Some(format!(
            "Careledger cannot find {}, where it keeps a second copy of your backups. Plug in the USB stick or drive, or choose another place. Until then your backups are only on this computer.",
            chosen.display()
        ))
    } else {
        match last_copy {
            None => Some(format!(
                "No backup has been copied to {} yet.",
                chosen.display()
            )),
            Some(when) if now - when > chrono::Duration::days(STALE_AFTER_DAYS) => Some(format!(
                "The newest copy of your backups in {} is from {}, more than {STALE_AFTER_DAYS} days ago. Plug in the USB stick or drive while Careledger is open, so it can copy a new one.",
                chosen.display(),
                when.format("%-d %b %Y")
            )),
            Some(_) => None,
        }
    };
    SecondPlaceStatus {
        chosen: Some(chosen.display().to_string()),
        last_copy,
        available,
        warning,
    }
}

/// When the newest daily backup copy in `folder` was written.
fn newest_copy(folder: &Path) -> Option<DateTime<Utc>> {
    fs::read_dir(folder)
        .ok()?
        .flatten()
        .filter(|entry| {
            entry
                .file_name()
                .to_str()
                .is_some_and(|name| daily_backup_date(name).is_some())
        })
        .filter_map(|entry| entry.metadata().ok()?.modified().ok())
        .map(DateTime::<Utc>::from)
        .max()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backup::daily_backup_name;

    #[test]
    fn settings_round_trip_and_a_garbled_file_means_none() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(DataSettings::read(dir.path()), DataSettings::default());
        let settings = DataSettings {
            second_place: Some("/media/usb".into()),
        };
        settings.write(dir.path()).unwrap();
        assert_eq!(DataSettings::read(dir.path()), settings);
        fs::write(dir.path().join(SETTINGS_FILE), b"{not json").unwrap();
        assert_eq!(DataSettings::read(dir.path()), DataSettings::default());
    }

    #[test]
    fn a_second_place_inside_the_data_folder_or_missing_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        fs::create_dir_all(data.join("backups")).unwrap();
        let usb = dir.path().join("usb");
        fs::create_dir(&usb).unwrap();
        check_second_place(&data, &usb).unwrap();
        for bad in [data.join("backups"), data.clone(), dir.path().join("gone")] {
            assert!(matches!(
                check_second_place(&data, &bad),
                Err(Error::Invalid { .. })
            ));
        }
    }

    #[test]
    fn copies_arrive_and_a_missing_or_old_place_is_warned_of() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        fs::create_dir_all(&data).unwrap();
        let now = Utc::now();
        assert!(second_place_status(&data, now).warning.is_some());
        let usb = dir.path().join("usb");
        fs::create_dir(&usb).unwrap();
        let settings = DataSettings {
            second_place: Some(usb.clone()),
        };
        settings.write(&data).unwrap();
        let status = second_place_status(&data, now);
        assert!(status.available);
        assert!(status
            .warning
            .unwrap()
            .contains("No backup has been copied"));

        let today = now.date_naive();
        let store = Store::open(&data.join("careledger.sqlite3")).unwrap();
        let backup = crate::backup::automatic_backup(&store, &dir.path().join("backups"), today)
            .unwrap()
            .unwrap();
        assert_eq!(backup.file_name().unwrap(), &*daily_backup_name(today));
        let copy =
            copy_to_second_place(&backup, &settings.second_place_folder().unwrap(), today).unwrap();
        assert_eq!(fs::read(copy).unwrap(), fs::read(&backup).unwrap());
        let status = second_place_status(&data, now);
        assert_eq!(status.warning, None);
        assert!(status.last_copy.is_some());

        let later = now + chrono::Duration::days(STALE_AFTER_DAYS + 1);
        assert!(second_place_status(&data, later)
            .warning
            .unwrap()
            .contains("more than 30 days ago"));

        fs::remove_dir_all(&usb).unwrap();
        let status = second_place_status(&data, now);
        assert!(!status.available);
        assert!(status.warning.unwrap().contains("cannot find"));
        assert!(
            copy_to_second_place(&backup, &settings.second_place_folder().unwrap(), today).is_err()
        );
        assert!(!usb.exists(), "a missing place is not made anew");
    }
}
