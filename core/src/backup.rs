//! Backups: copies of the data file that can be opened on their own.
//!
//! Every backup is made by [`Store::backup_to`], so every one is checked
//! before it gets its final name. There are three kinds:
//!
//! - a daily copy in the backups folder, thinned out as it ages: the last
//!   7 days, 4 weeks before those, and 12 months before those
//!   ([`automatic_backup`], [`backups_to_keep`]);
//! - a copy made before each update of the data to a newer schema, named
//!   `careledger-before-v{version}-{time}.backup.sqlite3` and never
//!   deleted by Careledger;
//! - a copy a person asks for, saved wherever they choose.
//!
//! [`inspect`] says what a backup holds without changing it, and
//! [`restore`] puts one back, keeping a copy of the data it replaces.
//!
//! Files are never written in place: work happens in a hidden folder
//! beside the destination, and a finished, flushed file is renamed into
//! place, so a half-written file never has a name a person would choose.

use std::collections::BTreeSet;
use std::fs::{self, File};
use std::io::Read;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::Serialize;
use tempfile::TempDir;
use ts_rs::TS;

use crate::disk::{
    copy_file_safely, file_error, folder_of, publish, staging_beside, stamp, unused_path,
    with_suffix,
};
pub use crate::disk::{BACKUPS_FOLDER, BACKUP_SUFFIX};
use crate::error::{Error, Result};
use crate::files::EvidenceFiles;
use crate::progress::Progress;
pub use crate::store::{BackupFiles, BackupSummary};
use crate::store::{Store, SCHEMA_VERSION};

/// How many of the newest days keep their daily backup.
pub const KEEP_DAILY: usize = 7;
/// How many ISO weeks, older than the daily ones, keep their newest backup.
pub const KEEP_WEEKLY: usize = 4;
/// How many months, older than the weekly ones, keep their newest backup.
pub const KEEP_MONTHLY: usize = 12;

/// Daily backups are named `careledger-YYYY-MM-DD.backup.sqlite3`.
const DAILY_PREFIX: &str = "careledger-";

/// What a backup file holds, read without changing it, so a person can be
/// sure it is the one they mean before restoring it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BackupPreview {
    /// The file.
    pub path: String,
    /// Its name, without the folders.
    pub file_name: String,
    /// Its size in bytes.
    pub size_bytes: u64,
    /// The data version it was saved with.
    pub schema_version: i64,
    /// Whether it is from an older version of Careledger, and so will be
    /// updated when restored.
    pub needs_update: bool,
    /// The budget holders' names.
    pub holders: Vec<String>,
    /// How many plans.
    pub plan_count: u32,
    /// How many payments (removed ones left out).
    pub payment_count: u32,
    /// How many entries of money in (removed ones left out).
    pub money_in_count: u32,
    /// The earliest day of a payment or money in, if there are any.
    pub first_entry: Option<NaiveDate>,
    /// The latest day of a payment or money in, if there are any.
    pub last_entry: Option<NaiveDate>,
}

/// What a restore did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RestoreOutcome {
    /// The backup that was put back.
    pub restored: BackupPreview,
    /// Where the data it replaced was kept, if there was any.
    pub safety_backup: Option<String>,
    /// False when the data it replaced could not be read (damaged, or not
    /// Careledger's): it was kept as a plain copy of the file, unchecked.
    pub replaced_data_was_readable: bool,
}

/// Where the data and its backups are, and the newest automatic backup,
/// for the "Your data" screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DataFolders {
    /// The data folder.
    pub data_folder: String,
    /// Where the automatic backups are.
    pub backups_folder: String,
    /// How many automatic backups there are.
    pub automatic_backups: u32,
    /// The day of the newest one.
    pub latest_automatic_backup: Option<NaiveDate>,
}

/// The folders of the data in `data_dir`, and its automatic backups.
pub fn data_folders(data_dir: &Path) -> DataFolders {
    let backups_dir = data_dir.join(BACKUPS_FOLDER);
    let dates: Vec<NaiveDate> = daily_backups(&backups_dir)
        .into_iter()
        .map(|(date, _)| date)
        .collect();
    DataFolders {
        data_folder: data_dir.display().to_string(),
        backups_folder: backups_dir.display().to_string(),
        automatic_backups: u32::try_from(dates.len()).unwrap_or(u32::MAX),
        latest_automatic_backup: dates.into_iter().max(),
    }
}

/// Makes today's backup in `backups_dir` unless there is one already, then
/// deletes the daily backups that [`backups_to_keep`] does not keep.
/// Returns the new backup's path, or `None` if today's was already made.
///
/// Only files named exactly like a daily backup are ever deleted; backups
/// made before an update or by hand are left alone. A backup that cannot
/// be deleted is left for next time: tidying up never stops a backup.
pub fn automatic_backup(
    store: &Store,
    backups_dir: &Path,
    today: NaiveDate,
) -> Result<Option<PathBuf>> {
    automatic_backup_by(
        |dest| store.backup_to(dest, BackupFiles::Shared),
        backups_dir,
        today,
    )
}

/// [`automatic_backup`] of the data file at `database`, read through a
/// connection of its own ([`Store::backup_file_to`]), so the store open on
/// it stays free while a large copy is made.
pub fn automatic_backup_of_file(
    database: &Path,
    backups_dir: &Path,
    today: NaiveDate,
) -> Result<Option<PathBuf>> {
    automatic_backup_by(
        |dest| Store::backup_file_to(database, dest),
        backups_dir,
        today,
    )
}

fn automatic_backup_by(
    copy: impl FnOnce(&Path) -> Result<BackupSummary>,
    backups_dir: &Path,
    today: NaiveDate,
) -> Result<Option<PathBuf>> {
    let todays = backups_dir.join(daily_backup_name(today));
    if todays.exists() {
        remove_old_daily_backups(backups_dir, today);
        return Ok(None);
    }
    refresh_todays_backup_by(copy, backups_dir, today).map(Some)
}

/// Makes today's backup again, replacing the one made earlier today: for
/// the backups made through the day (after a burst of changes, and when
/// the app closes). Financial records are only ever added, never deleted,
/// so a later backup holds everything an earlier one of the same day did.
/// The new copy is checked before it replaces the earlier one, so damaged
/// data never takes the place of a good backup.
pub fn refresh_todays_backup(
    store: &Store,
    backups_dir: &Path,
    today: NaiveDate,
) -> Result<PathBuf> {
    refresh_todays_backup_by(
        |dest| store.backup_to(dest, BackupFiles::Shared),
        backups_dir,
        today,
    )
}

fn refresh_todays_backup_by(
    copy: impl FnOnce(&Path) -> Result<BackupSummary>,
    backups_dir: &Path,
    today: NaiveDate,
) -> Result<PathBuf> {
    fs::create_dir_all(backups_dir).map_err(|error| {
        file_error(
            format!("make the backups folder {}", backups_dir.display()),
            error,
        )
    })?;
    crate::private::make_folder_private(backups_dir);
    let todays = backups_dir.join(daily_backup_name(today));
    copy(&todays)?;
    remove_old_daily_backups(backups_dir, today);
    Ok(todays)
}

/// A backup a person can pick on the recovery screen: its file, when it
/// was made, and what it holds (or why it cannot be used).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BackupListing {
    /// The file's name, which identifies it within its folder.
    pub file_name: String,
    /// The folder it is in.
    pub folder: String,
    /// Whether it is in the second place (a USB stick, say) rather than the
    /// data folder's own backups.
    pub in_second_place: bool,
    /// What kind of backup it is, in words: "Daily backup", "Made before
    /// an update", "Made before a restore", "Saved by hand".
    pub kind: String,
    /// When it was made, as the file system last saw it written (UTC).
    pub made_at: Option<DateTime<Utc>>,
    /// What it holds, when it can be read.
    pub preview: Option<BackupPreview>,
    /// Why it cannot be restored, when it cannot.
    pub problem: Option<String>,
}

/// Every backup in `folder` (files ending in [`BACKUP_SUFFIX`]), newest
/// first, each read as [`inspect`] reads it: nothing is changed.
pub fn list_backups(folder: &Path, in_second_place: bool) -> Vec<BackupListing> {
    let Ok(entries) = fs::read_dir(folder) else {
        return Vec::new();
    };
    let mut listed: Vec<BackupListing> = entries
        .flatten()
        .filter(|entry| entry.file_type().is_ok_and(|kind| kind.is_file()))
        .filter_map(|entry| {
            let file_name = entry.file_name().into_string().ok()?;
            if !file_name.ends_with(BACKUP_SUFFIX) {
                return None;
            }
            let path = entry.path();
            let made_at = entry
                .metadata()
                .and_then(|metadata| metadata.modified())
                .ok()
                .map(DateTime::<Utc>::from);
            let (preview, problem) = match inspect(&path) {
                Ok(preview) => (Some(preview), None),
                Err(error) => (None, Some(error.to_string())),
            };
            Some(BackupListing {
                kind: backup_kind(&file_name).into(),
                folder: folder.display().to_string(),
                in_second_place,
                file_name,
                made_at,
                preview,
                problem,
            })
        })
        .collect();
    listed.sort_by(|a, b| {
        b.made_at
            .cmp(&a.made_at)
            .then(b.file_name.cmp(&a.file_name))
    });
    listed
}

/// The backup called `file_name` in `folder`, if there is one: only a
/// plain name (no folders, no `..`) of a backup file is found, so a name
/// sent from the screen can never reach anything else.
pub fn listed_backup(folder: &Path, file_name: &str) -> Result<PathBuf> {
    let plain = Path::new(file_name)
        .file_name()
        .is_some_and(|name| name == file_name);
    let path = folder.join(file_name);
    let is_backup = plain
        && file_name.ends_with(BACKUP_SUFFIX)
        && fs::symlink_metadata(&path).is_ok_and(|metadata| metadata.is_file());
    if is_backup {
        Ok(path)
    } else {
        Err(Error::NotFound { what: "backup" })
    }
}

fn backup_kind(file_name: &str) -> &'static str {
    if daily_backup_date(file_name).is_some() {
        "Daily backup"
    } else if file_name.starts_with("careledger-before-restore-") {
        "Your data as it was before a restore"
    } else if file_name.starts_with("careledger-before-v") {
        "Made before Careledger was updated"
    } else {
        "Saved by hand"
    }
}

/// What is wrong with a data file that would not open, for the recovery
/// screen to say.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum DataFileProblem {
    /// Careledger's file, but damaged.
    Damaged,
    /// Not a Careledger data file at all (or damaged past recognising).
    NotCareledger,
    /// Made by a newer version of Careledger.
    Newer,
    /// It could not be read for another reason (permissions, a disk error).
    Unreadable,
}

/// What the recovery screen shows when the data would not open: what is
/// wrong, where the file is, and the backups that could take its place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RecoveryInfo {
    /// What is wrong with the data file.
    pub problem: DataFileProblem,
    /// The data file.
    pub data_file: String,
    /// Every backup found, on this computer and in the second place,
    /// newest first.
    pub backups: Vec<BackupListing>,
}

/// Works out why the data file at `database` would not open, by reading a
/// private copy of it: the file itself is not changed.
pub fn diagnose_data_file(database: &Path) -> DataFileProblem {
    match inspect(database) {
        Err(Error::NotABackup { .. }) => DataFileProblem::NotCareledger,
        Err(Error::DamagedBackup { .. }) => DataFileProblem::Damaged,
        Err(Error::NewerBackup { .. }) => DataFileProblem::Newer,
        _ => DataFileProblem::Unreadable,
    }
}

/// The file name of the daily backup for `date`.
pub fn daily_backup_name(date: NaiveDate) -> String {
    format!("{DAILY_PREFIX}{}{BACKUP_SUFFIX}", date.format("%Y-%m-%d"))
}

/// The day a daily backup's file name is for, or `None` if the name is not
/// exactly one [`daily_backup_name`] makes.
pub fn daily_backup_date(file_name: &str) -> Option<NaiveDate> {
    let date = file_name
        .strip_prefix(DAILY_PREFIX)?
        .strip_suffix(BACKUP_SUFFIX)?;
    let date = NaiveDate::parse_from_str(date, "%Y-%m-%d").ok()?;
    // "2026-1-5" parses too; only the name Careledger writes counts.
    (daily_backup_name(date) == file_name).then_some(date)
}

/// Which daily backups to keep, given the days they were made: the newest
/// [`KEEP_DAILY`] days; then the newest backup of each of the
/// [`KEEP_WEEKLY`] ISO weeks before those; then the newest of each of the
/// [`KEEP_MONTHLY`] months before those. A week or month whose newest
/// backup is already kept does not count towards its rule, so at most 23
/// are kept, and the newest always is.
///
/// Days after `today` (from a clock that was wrong) are all kept: deleting
/// what cannot be placed in time is not safe.
pub fn backups_to_keep(dates: &[NaiveDate], today: NaiveDate) -> BTreeSet<NaiveDate> {
    let mut keep: BTreeSet<NaiveDate> = dates.iter().copied().filter(|&d| d > today).collect();
    let past: BTreeSet<NaiveDate> = dates.iter().copied().filter(|&d| d <= today).collect();
    let newest_first: Vec<NaiveDate> = past.into_iter().rev().collect();
    keep_newest_of_each(&newest_first, KEEP_DAILY, &mut keep, |day| {
        (day.year(), day.ordinal())
    });
    keep_newest_of_each(&newest_first, KEEP_WEEKLY, &mut keep, |day| {
        let week = day.iso_week();
        (week.year(), week.week())
    });
    keep_newest_of_each(&newest_first, KEEP_MONTHLY, &mut keep, |day| {
        (day.year(), day.month())
    });
    keep
}

/// Keeps the newest backup of each of the newest `count` periods whose
/// newest backup is not kept already.
fn keep_newest_of_each(
    newest_first: &[NaiveDate],
    count: usize,
    keep: &mut BTreeSet<NaiveDate>,
    period_of: impl Fn(NaiveDate) -> (i32, u32),
) {
    let mut last_period = None;
    let mut kept = 0;
    for &day in newest_first {
        if kept == count {
            break;
        }
        let period = period_of(day);
        if last_period == Some(period) {
            continue;
        }
        last_period = Some(period);
        if keep.insert(day) {
            kept += 1;
        }
    }
}

/// The daily backups in `backups_dir`, with their days: regular files
/// named exactly as [`daily_backup_name`] names them, nothing else.
fn daily_backups(backups_dir: &Path) -> Vec<(NaiveDate, PathBuf)> {
    let Ok(entries) = fs::read_dir(backups_dir) else {
        return Vec::new();
    };
    entries
        .flatten()
        // Regular files only: never a folder or a link someone made.
        .filter(|entry| entry.file_type().is_ok_and(|kind| kind.is_file()))
        .filter_map(|entry| {
            let date = daily_backup_date(entry.file_name().to_str()?)?;
            Some((date, entry.path()))
        })
        .collect()
}

pub(crate) fn remove_old_daily_backups(backups_dir: &Path, today: NaiveDate) {
    let found = daily_backups(backups_dir);
    let dates: Vec<NaiveDate> = found.iter().map(|(date, _)| *date).collect();
    let keep = backups_to_keep(&dates, today);
    for (date, path) in found {
        if !keep.contains(&date) {
            let _ = fs::remove_file(path);
        }
    }
}

/// Reads a backup file and says what it holds, without changing it.
///
/// The file is copied to a private temporary folder first and only the
/// copy is opened, so no journal or `-wal` file is ever made beside the
/// original (which may be on a USB stick, or read-only). A file that is not
/// a backup, is damaged, or is from a newer Careledger is refused with an
/// error that says so. One from an older version is fine: restoring it
/// updates it.
pub fn inspect(path: &Path) -> Result<BackupPreview> {
    let folder = tempfile::Builder::new()
        .prefix("careledger-inspect-")
        .tempdir()
        .map_err(|error| file_error("make a temporary folder".into(), error))?;
    let staged = stage_copy(path, folder)?;
    let preview = staged.preview(path)?;
    staged.files_beside(path, None)?;
    Ok(preview)
}

/// Puts the backup at `backup_path` back as the data at `database_path`.
///
/// The caller must have closed its [`Store`] on `database_path` first (the
/// app drops it, and uses the store this returns). In order:
///
/// 1. The backup is copied beside the data file, checked as [`inspect`]
///    checks it, and brought up to date if it is from an older version. A
///    bad backup is refused here, with nothing changed.
/// 2. The current data is backed up into `backups_dir`, checked, as
///    `careledger-before-restore-{time}.backup.sqlite3`. If it cannot be
///    read at all (it is damaged), a plain copy of the file is kept
///    instead, so nothing is ever lost.
/// 3. The prepared copy is renamed over the data file, in one step.
///
/// If anything fails before step 3, the data file is as it was.
pub fn restore(
    database_path: &Path,
    backup_path: &Path,
    backups_dir: &Path,
    now: DateTime<Utc>,
) -> Result<(Store, RestoreOutcome)> {
    restore_with(
        database_path,
        backup_path,
        backups_dir,
        now,
        &Progress::new("Restoring"),
    )
}

/// [`restore`], stepping `progress` through the receipts it checks (the
/// slow part with many photos). Stopped before the data is replaced, it
/// ends with [`Error::Cancelled`] and the data as it was.
pub fn restore_with(
    database_path: &Path,
    backup_path: &Path,
    backups_dir: &Path,
    now: DateTime<Utc>,
    progress: &Progress,
) -> Result<(Store, RestoreOutcome)> {
    if same_file(database_path, backup_path) {
        return Err(Error::WouldOverwrite {
            path: backup_path.display().to_string(),
            message: "That file is the data Careledger is using now, not a backup. Choose a \
                      file whose name ends in .backup.sqlite3. Nothing has been changed."
                .into(),
        });
    }
    let data_folder = folder_of(database_path);
    fs::create_dir_all(data_folder).map_err(|error| {
        file_error(
            format!("make the data folder {}", data_folder.display()),
            error,
        )
    })?;
    let staging = staging_beside(database_path)?;
    let staged = stage_copy(backup_path, staging)?;
    let restored = staged.preview(backup_path)?;
    bring_files_back(
        &staged,
        backup_path,
        &EvidenceFiles::beside(database_path),
        progress,
    )?;
    progress.check()?;
    let (safety_backup, replaced_data_was_readable) =
        keep_current_data(database_path, backups_dir, now)?;
    replace_data_file(&staged.path, database_path)?;
    let store = Store::open(database_path)?;
    Ok((
        store,
        RestoreOutcome {
            restored,
            safety_backup: safety_backup.map(|path| path.display().to_string()),
            replaced_data_was_readable,
        },
    ))
}

/// A private copy of a file offered as a backup, checked. The folder it is
/// in is removed when this is dropped.
struct StagedCopy {
    _folder: TempDir,
    path: PathBuf,
    version: i64,
}

impl StagedCopy {
    /// Updates the copy to this version's schema and counts what it holds.
    /// `source` is the file the person chose, for the preview.
    fn preview(&self, source: &Path) -> Result<BackupPreview> {
        let store = Store::open_copy(&self.path)?;
        let contents = store.contents()?;
        store.close_as_single_file()?;
        let size_bytes = fs::metadata(source)
            .map_err(|error| file_error(format!("read {}", source.display()), error))?
            .len();
        Ok(BackupPreview {
            path: source.display().to_string(),
            file_name: source
                .file_name()
                .map(|name| name.to_string_lossy().into_owned())
                .unwrap_or_default(),
            size_bytes,
            schema_version: self.version,
            needs_update: self.version < SCHEMA_VERSION as i64,
            holders: contents.holders,
            plan_count: contents.plan_count,
            payment_count: contents.payment_count,
            money_in_count: contents.money_in_count,
            first_entry: contents.first_entry,
            last_entry: contents.last_entry,
        })
    }
}

impl StagedCopy {
    /// The evidence files the backup needs beside it (those it does not
    /// carry inside), refused if any is neither in the receipts folder
    /// beside `source` nor, on a restore, in `live`. Only whether each
    /// file is there is looked at; a restore checks their contents.
    fn files_beside(&self, source: &Path, live: Option<&EvidenceFiles>) -> Result<Vec<String>> {
        let needed = Store::files_needed_by_backup(&self.path)?;
        let beside = EvidenceFiles::beside(source);
        let missing = needed
            .iter()
            .filter(|sha256| !beside.has(sha256) && !live.is_some_and(|live| live.has(sha256)))
            .count();
        if missing > 0 {
            return Err(Error::BackupReceiptsMissing {
                folder: beside.folder().display().to_string(),
                missing,
                needed: needed.len(),
            });
        }
        Ok(needed)
    }
}

/// Makes sure the receipts folder `live` has every evidence file the
/// backup needs beside it, each checked by its SHA-256: a file `live` has
/// whole is kept; one missing or damaged there is copied from beside the
/// backup, checked as it is read. A file neither place has whole refuses
/// the restore. Files are only added (each named by its contents, so an
/// extra one harms nothing), so the data is unchanged if this fails.
fn bring_files_back(
    staged: &StagedCopy,
    source: &Path,
    live: &EvidenceFiles,
    progress: &Progress,
) -> Result<()> {
    let needed = staged.files_beside(source, Some(live))?;
    let beside = EvidenceFiles::beside(source);
    progress.stage("Checking the receipts", needed.len() as u64);
    for sha256 in &needed {
        progress.check()?;
        if !matches!(live.read(sha256), Ok(Some(_))) {
            let content = beside
                .read(sha256)?
                .ok_or_else(|| Error::BackupReceiptsMissing {
                    folder: beside.folder().display().to_string(),
                    missing: 1,
                    needed: needed.len(),
                })?;
            live.keep(sha256, &content)?;
        }
        progress.step()?;
    }
    Ok(())
}

/// Copies `source` into `folder` and checks the copy. The source is only
/// ever read.
fn stage_copy(source: &Path, folder: TempDir) -> Result<StagedCopy> {
    let shown = source.display().to_string();
    let metadata =
        fs::metadata(source).map_err(|error| file_error(format!("open {shown}"), error))?;
    if !metadata.is_file() {
        return Err(Error::NotABackup { path: shown });
    }
    check_header(source, metadata.len())?;
    let path = folder.path().join("backup.sqlite3");
    fs::copy(source, &path).map_err(|error| file_error(format!("copy {shown}"), error))?;
    // A file copied out of a running Careledger may have recent changes in
    // a -wal file beside it; they belong to it.
    let wal = with_suffix(source, "-wal");
    if wal.is_file() {
        fs::copy(&wal, with_suffix(&path, "-wal"))
            .map_err(|error| file_error(format!("copy {}", wal.display()), error))?;
    }
    let version = Store::check_copy(&path).map_err(|problem| problem.into_error(source))?;
    if version > SCHEMA_VERSION as i64 {
        return Err(Error::NewerBackup {
            found: version,
            supported: SCHEMA_VERSION,
        });
    }
    Ok(StagedCopy {
        _folder: folder,
        path,
        version,
    })
}

/// The first bytes of every SQLite file.
const SQLITE_MAGIC: &[u8] = b"SQLite format 3\0";

/// Refuses a file that does not start like SQLite, and one shorter than
/// its own header says it is (cut short while being copied).
fn check_header(source: &Path, length: u64) -> Result<()> {
    let shown = || source.display().to_string();
    let mut header = Vec::with_capacity(100);
    File::open(source)
        .and_then(|file| file.take(100).read_to_end(&mut header))
        .map_err(|error| file_error(format!("read {}", shown()), error))?;
    if header.len() < 100 || !header.starts_with(SQLITE_MAGIC) {
        return Err(Error::NotABackup { path: shown() });
    }
    let word = |at: usize| {
        u32::from_be_bytes([header[at], header[at + 1], header[at + 2], header[at + 3]])
    };
    let page_size = match u16::from_be_bytes([header[16], header[17]]) {
        1 => 65_536,
        size => u64::from(size),
    };
    if !(512..=65_536).contains(&page_size) || !page_size.is_power_of_two() {
        return Err(Error::DamagedBackup { path: shown() });
    }
    // The page count in the header is only current when the change
    // counter matches the "valid for" number (SQLite's file format, 1.3.7).
    let page_count = u64::from(word(28));
    let count_is_current = word(24) == word(92);
    let cut_short = !length.is_multiple_of(page_size)
        || (count_is_current && page_count > 0 && length < page_count * page_size);
    if cut_short {
        return Err(Error::DamagedBackup { path: shown() });
    }
    Ok(())
}

/// Keeps a copy of the data about to be replaced. Returns where, and
/// whether it could be checked.
fn keep_current_data(
    database: &Path,
    backups_dir: &Path,
    now: DateTime<Utc>,
) -> Result<(Option<PathBuf>, bool)> {
    if fs::symlink_metadata(database).is_err() {
        return Ok((None, true));
    }
    fs::create_dir_all(backups_dir).map_err(|error| {
        file_error(
            format!("make the backups folder {}", backups_dir.display()),
            error,
        )
    })?;
    let stem = format!("careledger-before-restore-{}", stamp(now));
    let checked = unused_path(backups_dir, &stem, BACKUP_SUFFIX);
    if Store::back_up_closed_file(database, &checked)?.is_some() {
        return Ok((Some(checked), true));
    }
    // Unreadable: keep its bytes as they are, under a name that says so.
    let plain = unused_path(backups_dir, &stem, ".unreadable.sqlite3");
    copy_file_safely(database, &plain, &format!("copy {}", database.display()))?;
    let wal = with_suffix(database, "-wal");
    if wal.is_file() {
        copy_file_safely(
            &wal,
            &with_suffix(&plain, "-wal"),
            &format!("copy {}", wal.display()),
        )?;
    }
    Ok((Some(plain), false))
}

/// Renames the prepared copy over the data file, first removing SQLite's
/// files that belonged to the old data (a `-wal` or journal left beside it
/// would otherwise be applied to the new file).
fn replace_data_file(prepared: &Path, database: &Path) -> Result<()> {
    for suffix in ["-wal", "-shm", "-journal"] {
        let companion = with_suffix(database, suffix);
        match fs::remove_file(&companion) {
            Err(error) if error.kind() != std::io::ErrorKind::NotFound => {
                return Err(file_error(
                    "put the backup in place of your data".into(),
                    error,
                ));
            }
            _ => {}
        }
    }
    publish(prepared, database)
}

/// Whether two paths name the same existing file.
fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}
