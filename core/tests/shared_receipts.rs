//! Evidence files kept once, by their SHA-256: in the receipts folder beside
//! the data, shared by the automatic backups in their own receipts folder,
//! carried inside a backup saved by hand, and checked when a backup is put
//! back.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use careledger_core::backup::{automatic_backup, inspect, restore, restore_with, BACKUPS_FOLDER};
use careledger_core::evidence::{check_evidence, EvidenceKind};
use careledger_core::files::EvidenceFiles;
use careledger_core::progress::Progress;
use careledger_core::second_place::{copy_to_second_place, copy_to_second_place_with};
use careledger_core::store::{BackupFiles, DATABASE_FILE_NAME};
use careledger_core::{Error, ErrorCode, PlanId, Store};
use chrono::{DateTime, TimeZone, Utc};
use common::*;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 25, 14, 30, 0).unwrap()
}

/// A data folder with the demo holder's year and three evidence files: a
/// photo from a phone, a small PNG and a PDF.
struct Data {
    dir: tempfile::TempDir,
    path: PathBuf,
    /// Each file's bytes, in the order they were attached.
    files: Vec<Vec<u8>>,
}

impl Data {
    fn new() -> (Data, Store) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(DATABASE_FILE_NAME);
        let mut store = Store::open(&path).unwrap();
        careledger_core::demo::populate(&mut store, today()).unwrap();
        let plan = the_plan(&store);
        let david = store.people().unwrap()[0].id;
        let payments = store.payments(plan).unwrap();
        let files = vec![
            careledger_core::generate::phone_photo(1200, 900, 7),
            include_bytes!("fixtures/receipt.png").to_vec(),
            include_bytes!("fixtures/invoice.pdf").to_vec(),
        ];
        for ((name, bytes), payment) in ["photo.jpg", "receipt.png", "invoice.pdf"]
            .into_iter()
            .zip(&files)
            .zip(&payments)
        {
            let checked = check_evidence(name, bytes.clone()).unwrap();
            store
                .attach_evidence(plan, payment.key, EvidenceKind::Receipt, &checked, david)
                .unwrap();
        }
        (Data { dir, path, files }, store)
    }

    fn backups(&self) -> PathBuf {
        self.dir.path().join(BACKUPS_FOLDER)
    }

    /// Today's automatic backup of `store`, made now.
    fn days_backup(&self, store: &Store) -> PathBuf {
        automatic_backup(store, &self.backups(), today())
            .unwrap()
            .unwrap()
    }
}

fn the_plan(store: &Store) -> PlanId {
    let holder = store.holders().unwrap()[0].id;
    store.plan_of(holder).unwrap().unwrap().id
}

/// Every evidence file the store's payments have, read through the store.
fn evidence_bytes(store: &Store) -> Vec<Vec<u8>> {
    store
        .payments(the_plan(store))
        .unwrap()
        .iter()
        .flat_map(|payment| payment.evidence.clone())
        .map(|evidence| store.evidence_file(evidence.attachment_id).unwrap().1)
        .collect()
}

/// Every file under `folder`, however deep.
fn files_under(folder: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    if let Ok(entries) = fs::read_dir(folder) {
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                found.extend(files_under(&path));
            } else {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

fn sha_of(bytes: &[u8]) -> String {
    careledger_core::evidence::sha256_hex(bytes)
}

#[test]
fn evidence_is_kept_beside_the_data_once_and_read_back_checked() {
    let (data, store) = Data::new();
    let kept = files_under(&data.dir.path().join("receipts"));
    // Three files, and the photo's thumbnail (the PNG has one too).
    assert_eq!(kept.len(), 5, "{kept:?}");
    for bytes in &data.files {
        let sha = sha_of(bytes);
        assert!(kept
            .iter()
            .any(|path| path.ends_with(format!("{}/{sha}", &sha[..2]))));
    }
    assert_eq!(evidence_bytes(&store), data.files);
    // The data file itself holds no file: it stays small.
    let size = fs::metadata(&data.path).unwrap().len();
    assert!(size < 2_000_000, "the data file is {size} bytes");

    // A file damaged on the disk is never taken for the receipt.
    let photo = EvidenceFiles::beside(&data.path);
    let sha = sha_of(&data.files[0]);
    let path = data.dir.path().join("receipts").join(&sha[..2]).join(&sha);
    fs::write(&path, b"not the photo").unwrap();
    let evidence = &store.payments(the_plan(&store)).unwrap()[0].evidence[0];
    let (code, message) = code_of(store.evidence_file(evidence.attachment_id));
    assert_eq!(code, ErrorCode::Corrupt);
    assert!(message.contains("is damaged"), "{message}");
    // Gone altogether: said so, in words.
    fs::remove_file(&path).unwrap();
    let (_, message) = code_of(store.evidence_file(evidence.attachment_id));
    assert!(message.contains("is missing from"), "{message}");
    assert!(photo.read(&sha).unwrap().is_none());
}

#[test]
fn daily_backups_share_each_receipt_and_leave_out_what_can_be_worked_out() {
    let (data, mut store) = Data::new();
    let first = automatic_backup(&store, &data.backups(), date(2026, 11, 24))
        .unwrap()
        .unwrap();
    let shared = data.backups().join("receipts");
    assert_eq!(files_under(&shared).len(), 5);
    // A second day, one more receipt: only that one is copied.
    let plan = the_plan(&store);
    let david = store.people().unwrap()[0].id;
    let payment = store.payments(plan).unwrap()[3].key;
    let more = careledger_core::generate::phone_photo(800, 600, 8);
    store
        .attach_evidence(
            plan,
            payment,
            EvidenceKind::Receipt,
            &check_evidence("more.jpg", more.clone()).unwrap(),
            david,
        )
        .unwrap();
    let before: Vec<_> = files_under(&shared)
        .into_iter()
        .map(|path| {
            (
                path.clone(),
                fs::metadata(&path).unwrap().modified().unwrap(),
            )
        })
        .collect();
    let second = automatic_backup(&store, &data.backups(), date(2026, 11, 25))
        .unwrap()
        .unwrap();
    let after = files_under(&shared);
    assert_eq!(after.len(), 7, "the new photo and its thumbnail");
    for (path, modified) in before {
        assert_eq!(
            fs::metadata(&path).unwrap().modified().unwrap(),
            modified,
            "{} was not copied again",
            path.display()
        );
    }
    // Each backup is small: records only, without the daily totals and
    // word index, which are made again when it is put back.
    for backup in [&first, &second] {
        let size = fs::metadata(backup).unwrap().len();
        assert!(size < 1_000_000, "{} is {size} bytes", backup.display());
        let conn = rusqlite::Connection::open(backup).unwrap();
        let (carried, days): (i64, i64) = conn
            .query_row(
                "SELECT (SELECT count(*) FROM carried_file), (SELECT count(*) FROM ledger_day)",
                [],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .unwrap();
        assert_eq!((carried, days), (0, 0));
    }

    // Put back, the backup's data is whole: the files are read and the
    // figures agree with the ledger again.
    let totals = store.ledger_totals(plan).unwrap();
    let evidence = evidence_bytes(&store);
    drop(store);
    let (store, _) = restore(&data.path, &second, &data.backups(), now()).unwrap();
    assert_eq!(evidence_bytes(&store), evidence);
    assert_eq!(store.ledger_totals(plan).unwrap(), totals);
    assert!(store.derived_data_agrees().unwrap());
}

#[test]
fn a_backup_folder_carried_to_a_new_computer_restores_with_every_receipt() {
    let (data, store) = Data::new();
    let backup = data.days_backup(&store);
    let second_place = tempfile::tempdir().unwrap();
    let usb = second_place.path().join("Careledger backups");
    let copy = copy_to_second_place(&backup, &usb, today()).unwrap();
    assert_eq!(files_under(&usb.join("receipts")).len(), 5);
    let evidence = evidence_bytes(&store);
    drop(store);
    // The computer is lost: the data folder goes.
    drop(data);

    let new_computer = tempfile::tempdir().unwrap();
    let path = new_computer.path().join(DATABASE_FILE_NAME);
    let preview = inspect(&copy).unwrap();
    assert_eq!(preview.holders, ["Margaret Ellis"]);
    let (store, outcome) = restore(
        &path,
        &copy,
        &new_computer.path().join(BACKUPS_FOLDER),
        now(),
    )
    .unwrap();
    assert_eq!(outcome.safety_backup, None);
    assert_eq!(evidence_bytes(&store), evidence);
    assert_eq!(
        files_under(&new_computer.path().join("receipts")).len(),
        5,
        "every receipt is beside the restored data"
    );
}

#[test]
fn a_backup_without_its_receipts_folder_is_refused_and_nothing_changes() {
    let (data, store) = Data::new();
    let backup = data.days_backup(&store);
    drop(store);
    // Copied on its own, away from its receipts folder.
    let elsewhere = tempfile::tempdir().unwrap();
    let alone = elsewhere.path().join(backup.file_name().unwrap());
    fs::copy(&backup, &alone).unwrap();
    let (code, message) = code_of(inspect(&alone));
    assert_eq!(code, ErrorCode::DamagedBackup);
    assert!(
        message.contains("5 files it needs are not in")
            && message.contains("Nothing has been changed"),
        "{message}"
    );
    // On a new computer it cannot be restored: nothing is written.
    let new_computer = tempfile::tempdir().unwrap();
    let path = new_computer.path().join(DATABASE_FILE_NAME);
    let refused = restore(
        &path,
        &alone,
        &new_computer.path().join(BACKUPS_FOLDER),
        now(),
    );
    assert!(matches!(refused, Err(Error::BackupReceiptsMissing { .. })));
    assert!(!path.exists());
    // On the computer that has the receipts it can: they are found there.
    let data_before = fs::read(&data.path).unwrap();
    assert!(!data_before.is_empty());
    let (store, _) = restore(&data.path, &alone, &data.backups(), now()).unwrap();
    assert_eq!(evidence_bytes(&store), data.files);
}

#[test]
fn a_damaged_shared_receipt_is_caught_on_restore() {
    let (data, store) = Data::new();
    let backup = data.days_backup(&store);
    drop(store);
    let sha = sha_of(&data.files[0]);
    let in_backups = data.backups().join("receipts").join(&sha[..2]).join(&sha);
    fs::write(&in_backups, b"damaged on the USB stick").unwrap();

    // The data still has the photo whole: it is used, and the restore goes
    // ahead.
    let (store, _) = restore(&data.path, &backup, &data.backups(), now()).unwrap();
    assert_eq!(evidence_bytes(&store), data.files);
    drop(store);

    // Lost from the data too: the damaged copy is refused, with nothing
    // changed.
    let live = data.dir.path().join("receipts").join(&sha[..2]).join(&sha);
    fs::remove_file(&live).unwrap();
    let before = fs::read(&data.path).unwrap();
    let (code, message) = code_of(restore(&data.path, &backup, &data.backups(), now()));
    assert_eq!(code, ErrorCode::Corrupt);
    assert!(message.contains("is damaged"), "{message}");
    assert_eq!(fs::read(&data.path).unwrap(), before);
    assert!(!live.exists());
}

#[test]
fn a_backup_saved_by_hand_is_one_file_that_carries_its_receipts() {
    let (data, store) = Data::new();
    let usb = tempfile::tempdir().unwrap();
    let backup = usb.path().join("Careledger backup.backup.sqlite3");
    store.backup_to(&backup, BackupFiles::Carried).unwrap();
    assert_eq!(
        fs::read_dir(usb.path()).unwrap().count(),
        1,
        "one file, nothing beside it"
    );
    let size = fs::metadata(&backup).unwrap().len() as usize;
    let files: usize = data.files.iter().map(Vec::len).sum();
    assert!(size > files, "{size} bytes carry {files} bytes of files");
    let evidence = evidence_bytes(&store);
    drop(store);

    let new_computer = tempfile::tempdir().unwrap();
    let path = new_computer.path().join(DATABASE_FILE_NAME);
    let (store, _) = restore(
        &path,
        &backup,
        &new_computer.path().join(BACKUPS_FOLDER),
        now(),
    )
    .unwrap();
    assert_eq!(evidence_bytes(&store), evidence);
    // Written out beside the data, and the data file carries them no more.
    assert_eq!(files_under(&new_computer.path().join("receipts")).len(), 5);
    assert_eq!(store.evidence_files_needed().unwrap().len(), 5);
    let data_size = fs::metadata(&path).unwrap().len();
    assert!(data_size < size as u64 / 2, "{data_size} of {size} bytes");
}

#[test]
fn a_restore_stopped_while_its_receipts_are_checked_changes_nothing() {
    let (data, store) = Data::new();
    let backup = data.days_backup(&store);
    drop(store);
    let before = fs::read(&data.path).unwrap();
    let backups_before = files_under(&data.backups());
    let progress = Progress::new("Restoring");
    progress.stop();
    let (code, message) = code_of(restore_with(
        &data.path,
        &backup,
        &data.backups(),
        now(),
        &progress,
    ));
    assert_eq!(code, ErrorCode::Cancelled, "{message}");
    assert_eq!(fs::read(&data.path).unwrap(), before);
    assert_eq!(
        files_under(&data.backups()),
        backups_before,
        "no safety copy"
    );
}

#[test]
fn a_copy_to_the_second_place_stopped_part_way_leaves_no_backup_there() {
    let (data, store) = Data::new();
    let backup = data.days_backup(&store);
    let second_place = tempfile::tempdir().unwrap();
    let usb = second_place.path().join("Careledger backups");
    let progress = Progress::new("Copying");
    progress.stop();
    let refused = copy_to_second_place_with(&backup, &usb, today(), &progress);
    assert!(matches!(refused, Err(Error::Cancelled)));
    assert!(!usb.join(backup.file_name().unwrap()).exists());
    // The next copy finishes the job, each receipt once.
    let copy = copy_to_second_place(&backup, &usb, today()).unwrap();
    assert_eq!(inspect(&copy).unwrap().holders, ["Margaret Ellis"]);
    assert_eq!(files_under(&usb.join("receipts")).len(), 5);
}

#[test]
fn a_receipt_lost_from_the_data_is_brought_back_by_a_restore() {
    let (data, store) = Data::new();
    let usb = tempfile::tempdir().unwrap();
    let backup = usb.path().join("Careledger backup.backup.sqlite3");
    store.backup_to(&backup, BackupFiles::Carried).unwrap();
    drop(store);
    // The photo is lost from the data, and no automatic backup has it.
    let sha = sha_of(&data.files[0]);
    let live = data.dir.path().join("receipts").join(&sha[..2]).join(&sha);
    fs::remove_file(&live).unwrap();
    // The copy kept before the restore is made all the same (without the
    // lost file), and the restore brings the photo back.
    let (store, outcome) = restore(&data.path, &backup, &data.backups(), now()).unwrap();
    assert_eq!(evidence_bytes(&store), data.files);
    let safety = PathBuf::from(outcome.safety_backup.unwrap());
    assert!(safety.is_file());
    // That copy says what it lacks when looked at: the photo is not
    // beside it.
    assert!(matches!(
        inspect(&safety),
        Err(Error::BackupReceiptsMissing { missing: 1, .. })
    ));
}

#[test]
fn a_statement_is_still_made_when_a_receipt_file_is_lost() {
    use careledger_core::statement_pdf::PrintOptions;
    use careledger_core::views::Views;
    let (data, store) = Data::new();
    let sha = sha_of(&data.files[0]);
    fs::remove_file(data.dir.path().join("receipts").join(&sha[..2]).join(&sha)).unwrap();
    let holder = store.holders().unwrap()[0].id;
    let history = store.plan_history(the_plan(&store)).unwrap();
    let options = PrintOptions {
        receipt_images: true,
        ..Default::default()
    };
    let to_print = store
        .statement_to_print(
            holder,
            &history.start_date.to_string(),
            &history.end_date.to_string(),
            &options,
        )
        .unwrap();
    let (_, pdf) = to_print
        .render(|receipt| store.evidence_content_to_print(&receipt.sha256))
        .unwrap();
    let text = pdf_text(&pdf);
    assert!(
        text.contains("This picture could not be read"),
        "the lost photo is named, not dropped"
    );
    // The photo still there is drawn: only one is marked.
    assert_eq!(text.matches("could not be read").count(), 1);
}
