//! Backups as the app makes and uses them: checked copies, daily rotation,
//! a copy before each update, looking inside a backup, and restoring one.

mod common;

use careledger_core::records::Records;
use std::fs;
use std::path::{Path, PathBuf};

use careledger_core::backup::{
    automatic_backup, backups_to_keep, daily_backup_date, daily_backup_name, diagnose_data_file,
    inspect, list_backups, restore, DataFileProblem, BACKUPS_FOLDER, KEEP_DAILY, KEEP_MONTHLY,
    KEEP_WEEKLY,
};
use careledger_core::store::{BackupFiles, DATABASE_FILE_NAME, SCHEMA_VERSION};
use careledger_core::{Error, ErrorCode, PlanId, Store};
use chrono::{DateTime, Datelike, Days, NaiveDate, TimeZone, Utc, Weekday};
use common::*;
use proptest::prelude::*;
use rusqlite::Connection;

/// The moment the tests "run" at.
fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 25, 14, 30, 0).unwrap()
}

/// A data file in its own folder, with the demo holder's year of spending.
struct Live {
    dir: tempfile::TempDir,
    path: PathBuf,
}

impl Live {
    fn with_demo() -> (Live, Store) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(DATABASE_FILE_NAME);
        let mut store = Store::open(&path).unwrap();
        careledger_core::demo::populate(&mut store, today()).unwrap();
        (Live { dir, path }, store)
    }

    fn backups(&self) -> PathBuf {
        self.dir.path().join(BACKUPS_FOLDER)
    }
}

fn the_plan(store: &Store) -> PlanId {
    let holder = store.holders().unwrap()[0].id;
    store.plan_of(holder).unwrap().unwrap().id
}

fn payment_count(store: &Store) -> usize {
    store.payments(the_plan(store)).unwrap().len()
}

/// The names in a folder, sorted.
fn names_in(folder: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(folder)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn a_backup_is_checked_and_holds_exactly_the_same_data() {
    let (live, store) = Live::with_demo();
    let usb = tempfile::tempdir().unwrap();
    let dest = usb.path().join("careledger-by-hand.backup.sqlite3");
    let summary = store.backup_to(&dest, BackupFiles::Carried).unwrap();
    assert_eq!(summary.path, dest.display().to_string());
    assert_eq!(summary.schema_version, SCHEMA_VERSION as i64);
    assert_eq!(summary.size_bytes, fs::metadata(&dest).unwrap().len());
    assert_eq!(
        names_in(usb.path()),
        ["careledger-by-hand.backup.sqlite3"],
        "no temporary files or -wal left beside it"
    );
    // One file on its own: a rollback-journal database, not WAL.
    let header = fs::read(&dest).unwrap();
    assert_eq!((header[18], header[19]), (1, 1));

    let expected_payments = payment_count(&store);
    drop(store);
    assert_eq!(dump(&dest), dump(&live.path));
    let copy = Store::open(&dest).unwrap();
    assert_eq!(payment_count(&copy), expected_payments);
    assert_eq!(copy.holders().unwrap()[0].name, "Margaret Ellis");
}

#[test]
fn a_backup_can_replace_an_older_one_but_never_the_live_data() {
    let (live, store) = Live::with_demo();
    let before = dump(&live.path);
    for target in [
        live.path.clone(),
        PathBuf::from(format!("{}-wal", live.path.display())),
    ] {
        let (code, message) = code_of(store.backup_to(&target, BackupFiles::Carried));
        assert_eq!(code, ErrorCode::WouldOverwrite);
        assert!(message.contains("Nothing has been changed"), "{message}");
    }
    // The same file by another name (a path through "..") is still refused.
    let roundabout = live
        .dir
        .path()
        .join("..")
        .join(live.dir.path().file_name().unwrap())
        .join(DATABASE_FILE_NAME);
    assert!(matches!(
        store.backup_to(&roundabout, BackupFiles::Carried),
        Err(Error::WouldOverwrite { .. })
    ));
    // A file already at the destination is replaced by the new backup.
    let dest = live.dir.path().join("old.backup.sqlite3");
    fs::write(&dest, b"an old backup").unwrap();
    store.backup_to(&dest, BackupFiles::Carried).unwrap();
    drop(store);
    assert_eq!(dump(&dest), before);
    assert_eq!(dump(&live.path), before);
}

#[test]
fn the_days_backup_is_read_through_its_own_connection_while_the_store_is_in_use() {
    use careledger_core::backup::automatic_backup_of_file;
    let (live, mut store) = Live::with_demo();
    // A write made in the store, committed, is in the copy made beside it;
    // the store stays open and usable throughout.
    let plan = the_plan(&store);
    let david = store.people().unwrap()[0].id;
    store
        .record_payment(
            plan,
            &spending("1/11/2026", "Wilko", "£3.20", david),
            today(),
        )
        .unwrap();
    let made = automatic_backup_of_file(&live.path, &live.backups(), today())
        .unwrap()
        .expect("the day's first backup");
    assert_eq!(dump(&made), dump(&live.path));
    assert_eq!(
        automatic_backup_of_file(&live.path, &live.backups(), today()).unwrap(),
        None,
        "one a day"
    );
    store
        .record_payment(
            plan,
            &spending("2/11/2026", "Boots", "£4.10", david),
            today(),
        )
        .unwrap();
    assert_eq!(
        payment_count(&store),
        payment_count(&Store::open(&made).unwrap()) + 1
    );
    // Never over the data file itself.
    let (code, _) = code_of(Store::backup_file_to(&live.path, &live.path));
    assert_eq!(code, ErrorCode::WouldOverwrite);
}

#[test]
fn daily_backup_names_are_exact() {
    let day = date(2026, 11, 25);
    assert_eq!(
        daily_backup_name(day),
        "careledger-2026-11-25.backup.sqlite3"
    );
    assert_eq!(daily_backup_date(&daily_backup_name(day)), Some(day));
    for other in [
        "careledger-2026-1-5.backup.sqlite3",
        "careledger-2026-11-25.backup.sqlite3.txt",
        "careledger-before-v3-20261125T143000Z.backup.sqlite3",
        "careledger-2026-02-30.backup.sqlite3",
        "Careledger-2026-11-25.backup.sqlite3",
        "notes.txt",
    ] {
        assert_eq!(daily_backup_date(other), None, "{other}");
    }
}

/// Runs the rotation once a day, as the app does, deleting what it does
/// not keep.
fn simulate_daily_use(first: NaiveDate, days: u64) -> (NaiveDate, Vec<NaiveDate>) {
    let mut kept = Vec::new();
    let mut today = first;
    for offset in 0..days {
        today = first + Days::new(offset);
        kept.push(today);
        let keep = backups_to_keep(&kept, today);
        kept.retain(|day| keep.contains(day));
    }
    (today, kept)
}

#[test]
fn two_years_of_daily_use_keep_7_days_4_weeks_and_12_months() {
    let (today, kept) = simulate_daily_use(date(2025, 1, 1), 730);
    assert_eq!(today, date(2026, 12, 31));
    assert_eq!(kept.len(), KEEP_DAILY + KEEP_WEEKLY + KEEP_MONTHLY);
    let newest_first: Vec<NaiveDate> = kept.iter().rev().copied().collect();
    let dailies: Vec<NaiveDate> = (0..7).map(|back| today - Days::new(back)).collect();
    assert_eq!(newest_first[..7], dailies[..]);
    // Then the newest backup of each of 4 earlier weeks (their Sundays; the
    // week of 25 December has its newest among the dailies, so it does not
    // count).
    let weeklies = [
        date(2026, 12, 20),
        date(2026, 12, 13),
        date(2026, 12, 6),
        date(2026, 11, 29),
    ];
    assert!(weeklies.iter().all(|day| day.weekday() == Weekday::Sun));
    // Then the newest of each of 12 earlier months: their last days
    // (December's newest is today).
    let monthlies = [
        date(2026, 11, 30),
        date(2026, 10, 31),
        date(2026, 9, 30),
        date(2026, 8, 31),
        date(2026, 7, 31),
        date(2026, 6, 30),
        date(2026, 5, 31),
        date(2026, 4, 30),
        date(2026, 3, 31),
        date(2026, 2, 28),
        date(2026, 1, 31),
        date(2025, 12, 31),
    ];
    let mut expected: Vec<NaiveDate> = dailies
        .into_iter()
        .chain(weeklies)
        .chain(monthlies)
        .collect();
    expected.sort_unstable_by(|a, b| b.cmp(a));
    assert_eq!(newest_first, expected);
}

#[test]
fn backups_dated_after_today_are_never_deleted() {
    let today = date(2026, 11, 25);
    let future = date(2030, 1, 1);
    let mut dates: Vec<NaiveDate> = (0..100).map(|back| today - Days::new(back)).collect();
    dates.push(future);
    let keep = backups_to_keep(&dates, today);
    assert!(keep.contains(&future) && keep.contains(&today));
}

proptest! {
    #[test]
    fn rotation_keeps_at_most_23_including_today_and_the_newest(
        offsets in proptest::collection::vec(0u64..1_100, 0..300),
        made_today in any::<bool>(),
    ) {
        let today = date(2026, 11, 25);
        let mut dates: Vec<NaiveDate> = offsets.iter().map(|back| today - Days::new(*back)).collect();
        if made_today {
            dates.push(today);
        }
        let keep = backups_to_keep(&dates, today);
        prop_assert!(keep.len() <= 23);
        prop_assert!(keep.iter().all(|day| dates.contains(day)), "keeps only what exists");
        if let Some(newest) = dates.iter().max() {
            prop_assert!(keep.contains(newest));
        }
        if made_today {
            prop_assert!(keep.contains(&today));
        }
        // The 7 newest days are all kept.
        let mut distinct: Vec<NaiveDate> = dates.clone();
        distinct.sort_unstable_by(|a, b| b.cmp(a));
        distinct.dedup();
        prop_assert!(distinct.iter().take(7).all(|day| keep.contains(day)));
        // Running it again the same day deletes nothing more.
        let kept: Vec<NaiveDate> = keep.iter().copied().collect();
        prop_assert_eq!(backups_to_keep(&kept, today), keep);
    }
}

#[test]
fn automatic_backups_are_daily_and_delete_only_their_own_old_files() {
    let (live, store) = Live::with_demo();
    let folder = live.backups();
    fs::create_dir_all(&folder).unwrap();
    let others = [
        "careledger-before-v3-20250101T090000Z.backup.sqlite3",
        "careledger-2026-1-5.backup.sqlite3",
        "my notes.txt",
    ];
    for name in others {
        fs::write(folder.join(name), b"not to be deleted").unwrap();
    }
    // An old daily backup that is a folder, not a file: left alone too.
    fs::create_dir(folder.join(daily_backup_name(date(2020, 1, 1)))).unwrap();

    let first = date(2026, 9, 1);
    let mut made = Vec::new();
    for offset in 0..60 {
        let today = first + Days::new(offset);
        let path = automatic_backup(&store, &folder, today).unwrap().unwrap();
        assert_eq!(path, folder.join(daily_backup_name(today)));
        assert!(path.exists(), "the one just made is kept");
        assert_eq!(
            automatic_backup(&store, &folder, today).unwrap(),
            None,
            "one a day"
        );
        made.push(today);
    }
    let today = first + Days::new(59);
    let expected: Vec<String> = backups_to_keep(&made, today)
        .into_iter()
        .map(daily_backup_name)
        .collect();
    let mut daily: Vec<String> = names_in(&folder)
        .into_iter()
        .filter(|name| daily_backup_date(name).is_some_and(|day| day >= first))
        .collect();
    daily.sort();
    assert_eq!(daily, expected);
    assert!(expected.len() < 60 && expected.len() > 7);
    for name in others {
        assert_eq!(fs::read(folder.join(name)).unwrap(), b"not to be deleted");
    }
    assert!(folder.join(daily_backup_name(date(2020, 1, 1))).is_dir());
    // Each backup is whole.
    drop(store);
    assert_eq!(
        dump(&folder.join(daily_backup_name(today))),
        dump(&live.path)
    );
}

/// A data file as the first release wrote it (schema version 1), with a
/// holder, a plan and two payments.
fn version_1_file(path: &Path) {
    let conn = Connection::open(path).unwrap();
    conn.execute_batch(include_str!(
        "../../crates/store/src/migrations/0001_initial.sql"
    ))
    .unwrap();
    conn.execute_batch(
        "INSERT INTO holder (id, name, created_at) VALUES (1, 'Arthur Pike', '2025-01-02T10:00:00Z');
         INSERT INTO plan (id, holder_id, name, start_date, end_date, total_budget_pence, created_at)
             VALUES (1, 1, 'PHB 2025', '2025-04-01', '2026-03-31', 2000000, '2025-01-02T10:00:00Z');
         INSERT INTO spending (plan_id, paid_on, payee, amount_pence, note, recorded_by, recorded_at)
             VALUES (1, '2025-04-03', 'Gym', 3200, '', 'Joan', '2025-04-03T10:00:00Z'),
                    (1, '2025-05-10', 'Aqua Physio', 4550, '', 'Joan', '2025-05-10T10:00:00Z');
         PRAGMA application_id = 1129071687;
         PRAGMA user_version = 1;",
    )
    .unwrap();
}

#[test]
fn opening_data_from_an_older_version_keeps_a_copy_first() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(DATABASE_FILE_NAME);
    version_1_file(&path);
    let before = dump(&path);

    let store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION as i64);
    assert_eq!(payment_count(&store), 2);
    let backups = names_in(&dir.path().join(BACKUPS_FOLDER));
    assert_eq!(backups.len(), 1, "{backups:?}");
    assert!(
        backups[0].starts_with("careledger-before-v1-") && backups[0].ends_with(".backup.sqlite3"),
        "{backups:?}"
    );
    let copy = dir.path().join(BACKUPS_FOLDER).join(&backups[0]);
    assert_eq!(dump(&copy), before, "the copy is the data as it was");
    let preview = inspect(&copy).unwrap();
    assert_eq!((preview.schema_version, preview.needs_update), (1, true));

    // Up to date now: opening again makes no more copies.
    drop(store);
    drop(Store::open(&path).unwrap());
    assert_eq!(names_in(&dir.path().join(BACKUPS_FOLDER)).len(), 1);
}

#[test]
fn new_and_in_memory_stores_need_no_copy() {
    let dir = tempfile::tempdir().unwrap();
    drop(Store::open(&dir.path().join(DATABASE_FILE_NAME)).unwrap());
    assert!(!dir.path().join(BACKUPS_FOLDER).exists());
    drop(Store::open(&dir.path().join(DATABASE_FILE_NAME)).unwrap());
    assert!(!dir.path().join(BACKUPS_FOLDER).exists());
    Store::open_in_memory().unwrap();
}

#[test]
fn inspect_says_what_a_backup_holds_and_changes_nothing() {
    let (live, store) = Live::with_demo();
    let usb = tempfile::tempdir().unwrap();
    let backup = usb.path().join("careledger-2026-11-25.backup.sqlite3");
    store.backup_to(&backup, BackupFiles::Carried).unwrap();
    let bytes = fs::read(&backup).unwrap();

    let preview = inspect(&backup).unwrap();
    assert_eq!(fs::read(&backup).unwrap(), bytes, "not changed");
    assert_eq!(
        names_in(usb.path()),
        ["careledger-2026-11-25.backup.sqlite3"],
        "no journal or -wal made beside it"
    );
    assert_eq!(preview.file_name, "careledger-2026-11-25.backup.sqlite3");
    assert_eq!(preview.size_bytes, bytes.len() as u64);
    assert_eq!(preview.holders, ["Margaret Ellis"]);
    assert_eq!(preview.plan_count, 1);
    let plan = the_plan(&store);
    assert_eq!(
        preview.payment_count as usize,
        store.payments(plan).unwrap().len()
    );
    assert_eq!(
        preview.money_in_count as usize,
        store.money_in(plan).unwrap().len()
    );
    assert!(preview.payment_count > 50 && preview.money_in_count > 5);
    let first = preview.first_entry.unwrap();
    let last = preview.last_entry.unwrap();
    assert!(first < last && last <= today(), "{first} to {last}");
    assert_eq!(
        (preview.schema_version, preview.needs_update),
        (SCHEMA_VERSION as i64, false)
    );
    drop(live);
}

#[test]
fn inspect_reads_an_older_version_without_updating_it() {
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("old.backup.sqlite3");
    version_1_file(&old);
    let bytes = fs::read(&old).unwrap();
    let preview = inspect(&old).unwrap();
    assert_eq!(fs::read(&old).unwrap(), bytes);
    assert_eq!(names_in(dir.path()), ["old.backup.sqlite3"]);
    assert_eq!(preview.holders, ["Arthur Pike"]);
    assert_eq!(
        (
            preview.plan_count,
            preview.payment_count,
            preview.money_in_count
        ),
        (1, 2, 0)
    );
    assert_eq!(preview.first_entry, Some(date(2025, 4, 3)));
    assert_eq!(preview.last_entry, Some(date(2025, 5, 10)));
    assert_eq!((preview.schema_version, preview.needs_update), (1, true));
}

/// Bad backups of every kind, each with the error code it must get.
fn bad_backups(folder: &Path, good: &Path) -> Vec<(PathBuf, ErrorCode)> {
    let text = folder.join("shopping list.backup.sqlite3");
    fs::write(&text, "milk\nbread\neggs\n".repeat(100)).unwrap();

    let empty = folder.join("empty.backup.sqlite3");
    fs::write(&empty, b"").unwrap();

    let bytes = fs::read(good).unwrap();
    let truncated = folder.join("cut-short.backup.sqlite3");
    fs::write(&truncated, &bytes[..bytes.len() / 2]).unwrap();

    // Every page's b-tree header after the first scribbled over.
    let page_size = usize::from(u16::from_be_bytes([bytes[16], bytes[17]]));
    let mut scribbled = bytes.clone();
    for page in scribbled.chunks_mut(page_size).skip(1) {
        page[..8].fill(0xA5);
    }
    let corrupted = folder.join("corrupted.backup.sqlite3");
    fs::write(&corrupted, scribbled).unwrap();

    let newer = folder.join("from-the-future.backup.sqlite3");
    fs::copy(good, &newer).unwrap();
    Connection::open(&newer)
        .unwrap()
        .pragma_update(None, "user_version", SCHEMA_VERSION as i64 + 1)
        .unwrap();

    let foreign = folder.join("another-program.backup.sqlite3");
    Connection::open(&foreign)
        .unwrap()
        .execute_batch("CREATE TABLE recipe (name TEXT); INSERT INTO recipe VALUES ('scones');")
        .unwrap();

    vec![
        (text, ErrorCode::NotABackup),
        (empty, ErrorCode::NotABackup),
        (truncated, ErrorCode::DamagedBackup),
        (corrupted, ErrorCode::DamagedBackup),
        (newer, ErrorCode::NewerBackup),
        (foreign, ErrorCode::NotABackup),
    ]
}

#[test]
fn inspect_refuses_what_is_not_a_usable_backup_and_leaves_it_unchanged() {
    let (_live, store) = Live::with_demo();
    let folder = tempfile::tempdir().unwrap();
    let good = folder.path().join("good.backup.sqlite3");
    store.backup_to(&good, BackupFiles::Carried).unwrap();
    for (path, expected) in bad_backups(folder.path(), &good) {
        let bytes = fs::read(&path).unwrap();
        let listing = names_in(folder.path());
        let (code, message) = code_of(inspect(&path));
        assert_eq!(code, expected, "{}: {message}", path.display());
        assert!(message.contains("Nothing has been changed."), "{message}");
        assert_eq!(
            fs::read(&path).unwrap(),
            bytes,
            "{} unchanged",
            path.display()
        );
        assert_eq!(names_in(folder.path()), listing, "nothing made beside it");
    }
    let (code, message) = code_of(inspect(&folder.path().join("not there.backup.sqlite3")));
    assert_eq!(code, ErrorCode::File);
    assert!(message.contains("not there.backup.sqlite3"), "{message}");
    let (code, _) = code_of(inspect(folder.path()));
    assert_eq!(code, ErrorCode::NotABackup, "a folder is not a backup");
}

#[test]
fn a_data_file_that_will_not_open_is_named_for_what_is_wrong_and_left_as_it_is() {
    let (_live, store) = Live::with_demo();
    let folder = tempfile::tempdir().unwrap();
    let good = folder.path().join("good.backup.sqlite3");
    store.backup_to(&good, BackupFiles::Carried).unwrap();
    for (path, code) in bad_backups(folder.path(), &good) {
        let expected = match code {
            ErrorCode::DamagedBackup => DataFileProblem::Damaged,
            ErrorCode::NewerBackup => DataFileProblem::Newer,
            _ => DataFileProblem::NotCareledger,
        };
        let bytes = fs::read(&path).unwrap();
        assert_eq!(diagnose_data_file(&path), expected, "{}", path.display());
        assert_eq!(fs::read(&path).unwrap(), bytes, "unchanged");
    }
}

#[test]
fn the_recovery_list_has_every_backup_newest_first_with_what_it_holds() {
    let (live, store) = Live::with_demo();
    let backups = live.backups();
    automatic_backup(&store, &backups, today()).unwrap();
    let older = backups.join(daily_backup_name(today() - Days::new(3)));
    store.backup_to(&older, BackupFiles::Carried).unwrap();
    let past = std::time::SystemTime::now() - std::time::Duration::from_secs(3 * 24 * 3600);
    fs::File::options()
        .write(true)
        .open(&older)
        .unwrap()
        .set_modified(past)
        .unwrap();
    fs::write(backups.join("broken.backup.sqlite3"), b"not a backup").unwrap();
    fs::write(backups.join("notes.txt"), b"not listed").unwrap();
    let listed = list_backups(&backups, false);
    let names: Vec<&str> = listed.iter().map(|b| b.file_name.as_str()).collect();
    assert_eq!(names.len(), 3, "{names:?}");
    assert_eq!(
        names[2],
        daily_backup_name(today() - Days::new(3)),
        "oldest last"
    );
    let todays = listed
        .iter()
        .find(|b| b.file_name == daily_backup_name(today()))
        .unwrap();
    assert_eq!(todays.kind, "Daily backup");
    assert_eq!(
        todays.preview.as_ref().unwrap().payment_count as usize,
        payment_count(&store)
    );
    let broken = listed
        .iter()
        .find(|b| b.file_name == "broken.backup.sqlite3")
        .unwrap();
    assert!(broken.preview.is_none());
    assert!(broken
        .problem
        .as_deref()
        .unwrap()
        .contains("not a Careledger backup"));
}

#[test]
fn restore_brings_back_earlier_data_and_keeps_the_replaced_data() {
    let (live, mut store) = Live::with_demo();
    let earlier = live.dir.path().join("earlier.backup.sqlite3");
    store.backup_to(&earlier, BackupFiles::Carried).unwrap();
    let earlier_dump = dump(&earlier);
    let earlier_count = payment_count(&store);
    let plan = the_plan(&store);
    let david = store.people().unwrap()[0].id;
    store
        .record_payment(
            plan,
            &spending("20/11/2026", "Mobility Direct", "£89", david),
            today(),
        )
        .unwrap();
    let later_count = payment_count(&store);
    assert_eq!(later_count, earlier_count + 1);
    drop(store);
    let later_dump = dump(&live.path);

    let (store, outcome) = restore(&live.path, &earlier, &live.backups(), now()).unwrap();
    assert_eq!(payment_count(&store), earlier_count);
    assert_eq!(outcome.restored.payment_count as usize, earlier_count);
    assert!(outcome.replaced_data_was_readable);
    let safety = PathBuf::from(outcome.safety_backup.unwrap());
    assert_eq!(
        safety,
        live.backups()
            .join("careledger-before-restore-20261125T143000Z.backup.sqlite3")
    );
    assert_eq!(dump(&safety), later_dump, "the replaced data is kept whole");
    assert_eq!(
        inspect(&safety).unwrap().payment_count as usize,
        later_count
    );
    drop(store);
    assert_eq!(
        names_in(live.dir.path()),
        [BACKUPS_FOLDER, DATABASE_FILE_NAME, "earlier.backup.sqlite3"],
        "no temporary files left"
    );
    assert_eq!(dump(&live.path), earlier_dump);
    assert!(earlier.exists(), "the backup itself is left as it was");

    // Restoring again in the same second keeps a second safety copy.
    let (_, again) = restore(&live.path, &safety, &live.backups(), now()).unwrap();
    assert_ne!(
        again.safety_backup.as_deref(),
        Some(safety.display().to_string().as_str())
    );
    assert_eq!(names_in(&live.backups()).len(), 2);
}

#[test]
fn restoring_a_bad_file_leaves_the_data_as_it_was() {
    let (live, store) = Live::with_demo();
    let folder = tempfile::tempdir().unwrap();
    let good = folder.path().join("good.backup.sqlite3");
    store.backup_to(&good, BackupFiles::Carried).unwrap();
    drop(store);
    let data = fs::read(&live.path).unwrap();
    let listing = names_in(live.dir.path());
    for (path, expected) in bad_backups(folder.path(), &good) {
        let (code, message) = code_of(restore(&live.path, &path, &live.backups(), now()));
        assert_eq!(code, expected, "{}: {message}", path.display());
        assert_eq!(fs::read(&live.path).unwrap(), data);
        assert_eq!(
            names_in(live.dir.path()),
            listing,
            "no safety copy, no leftovers"
        );
    }
    let (code, _) = code_of(restore(&live.path, &live.path, &live.backups(), now()));
    assert_eq!(code, ErrorCode::WouldOverwrite);
    assert_eq!(fs::read(&live.path).unwrap(), data);
}

#[test]
fn restore_over_damaged_data_keeps_a_plain_copy_of_it() {
    let (live, store) = Live::with_demo();
    let backup = live.dir.path().join("good.backup.sqlite3");
    store.backup_to(&backup, BackupFiles::Carried).unwrap();
    let count = payment_count(&store);
    drop(store);
    let damaged = b"this was a data file until the disk went wrong".repeat(50);
    fs::write(&live.path, &damaged).unwrap();

    let (store, outcome) = restore(&live.path, &backup, &live.backups(), now()).unwrap();
    assert_eq!(payment_count(&store), count);
    assert!(!outcome.replaced_data_was_readable);
    let kept = PathBuf::from(outcome.safety_backup.unwrap());
    assert!(kept.display().to_string().ends_with(".unreadable.sqlite3"));
    assert_eq!(fs::read(kept).unwrap(), damaged);
}

#[test]
fn restore_onto_a_new_computer_needs_no_safety_copy() {
    let (_live, store) = Live::with_demo();
    let usb = tempfile::tempdir().unwrap();
    let backup = usb.path().join("careledger-2026-11-25.backup.sqlite3");
    store.backup_to(&backup, BackupFiles::Carried).unwrap();
    let count = payment_count(&store);
    let fresh = tempfile::tempdir().unwrap();
    let path = fresh.path().join(DATABASE_FILE_NAME);
    let (store, outcome) =
        restore(&path, &backup, &fresh.path().join(BACKUPS_FOLDER), now()).unwrap();
    assert_eq!(payment_count(&store), count);
    assert_eq!(outcome.safety_backup, None);
}

#[test]
fn restoring_an_older_backup_updates_it() {
    let (live, store) = Live::with_demo();
    drop(store);
    let old = live.dir.path().join("old.backup.sqlite3");
    version_1_file(&old);
    let (store, outcome) = restore(&live.path, &old, &live.backups(), now()).unwrap();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION as i64);
    assert_eq!(store.holders().unwrap()[0].name, "Arthur Pike");
    assert_eq!(payment_count(&store), 2);
    assert_eq!(
        (
            outcome.restored.schema_version,
            outcome.restored.needs_update
        ),
        (1, true)
    );
    assert_eq!(
        inspect(&old).unwrap().schema_version,
        1,
        "the backup itself is not changed"
    );
}
