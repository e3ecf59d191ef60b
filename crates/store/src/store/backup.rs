//! The SQL side of backups and exports: copying the database, checking a
//! copy, counting what a backup holds, and reading and writing every table
//! for an export. The file handling around these (temporary folders,
//! renaming into place, rotation, archives) is in careledger-core's
//! `backup` and `export` modules, which reach this module only through the
//! methods and traits here.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use chrono::{NaiveDate, Utc};
use rusqlite::ffi::ErrorCode;
use rusqlite::types::Value;
use rusqlite::{Connection, OpenFlags, OptionalExtension};
use serde::Serialize;
use ts_rs::TS;

use super::derived::{clear_derived, rebuild_derived, DERIVED_TABLES};
use super::{migrations, Store, APPLICATION_ID, SCHEMA_VERSION};
use crate::disk::{before_migration_path, file_error, publish, staging_beside, with_suffix};
use crate::error::{Error, Result};
use crate::files::EvidenceFiles;

/// A backup just saved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BackupSummary {
    /// Where it was saved.
    pub path: String,
    /// Its size in bytes.
    pub size_bytes: u64,
    /// The data version it holds.
    pub schema_version: i64,
}

/// What a database holds, counted as [`BackupPreview`] shows it.
pub struct BackupContents {
    pub holders: Vec<String>,
    pub plan_count: u32,
    pub payment_count: u32,
    pub money_in_count: u32,
    pub first_entry: Option<NaiveDate>,
    pub last_entry: Option<NaiveDate>,
}

/// Why a file cannot be used as a backup.
pub enum CopyProblem {
    /// It is not SQLite at all.
    NotSqlite,
    /// It is SQLite, but not Careledger's.
    NotCareledger,
    /// It is Careledger's, but damaged.
    Damaged,
    /// Reading it failed for another reason (a disk error, say).
    Failed(Error),
}

impl CopyProblem {
    pub fn into_error(self, path: &Path) -> Error {
        let path = path.display().to_string();
        match self {
            CopyProblem::NotSqlite | CopyProblem::NotCareledger => Error::NotABackup { path },
            CopyProblem::Damaged => Error::DamagedBackup { path },
            CopyProblem::Failed(error) => error,
        }
    }
}

/// Called with the column names and values of each row of a table.
pub type RowVisitor<'a> = dyn FnMut(&[String], Vec<Value>) -> Result<()> + 'a;

/// What an export reads from the store: one unchanging view of every
/// table. Implemented in the store, where the SQL lives.
pub trait SnapshotReader {
    /// The data version.
    fn schema_version(&self) -> Result<i64>;
    /// The tables that hold data, by name.
    fn tables(&self) -> Result<Vec<String>>;
    /// Calls `visit` with the column names and values of each row of
    /// `table`, in key order. Returns how many rows there were.
    fn each_row(&self, table: &str, visit: &mut RowVisitor<'_>) -> Result<u64>;
    /// For each evidence file's SHA-256, the name it was first added
    /// under.
    fn evidence_file_names(&self) -> Result<HashMap<String, String>>;
}

/// What an import writes to the new database. Implemented in the store.
pub trait TableWriter {
    /// The tables the new database has at the export's data version.
    fn tables(&self) -> BTreeSet<String>;
    /// Adds one row, exactly as given (ids included).
    fn insert(&mut self, table: &str, row: Vec<(String, Value)>) -> Result<()>;
}

impl Store {
    /// Saves a consistent copy of all the data to `dest`, checked before it
    /// gets its final name: it is first written beside `dest` under a
    /// temporary name, opened again and checked (SQLite's integrity check,
    /// Careledger's mark, the data version), flushed to the disk, and only
    /// then renamed to `dest`. A file already at `dest` is replaced; the
    /// data file this store has open never is.
    ///
    /// The copy is a single file (no `-wal` file beside it). `files` says
    /// where its evidence files go: inside it, so it can be moved, emailed
    /// or kept on a USB stick as it is; or into the receipts folder beside
    /// it, shared with the other backups there.
    pub fn backup_to(&self, dest: &Path, files: BackupFiles) -> Result<BackupSummary> {
        self.refuse_overwriting_data(dest)?;
        write_verified_copy(&self.conn, self.files.as_ref(), dest, files)
    }

    /// Saves a checked copy of the data file at `database` to `dest`, as
    /// [`Store::backup_to`] does with [`BackupFiles::Shared`], through a
    /// connection of its own that only reads: the store open on that file
    /// is not needed, so the app can go on using it while the copy is made
    /// (SQLite gives the copy one consistent moment of the data).
    pub fn backup_file_to(database: &Path, dest: &Path) -> Result<BackupSummary> {
        refuse_live_file(database, dest)?;
        let conn = Connection::open_with_flags(
            database,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        let files = EvidenceFiles::beside(database);
        write_verified_copy(&conn, Some(&files), dest, BackupFiles::Shared)
    }

    /// The evidence files the backup at `backup` needs beside it (those
    /// it does not carry inside), by SHA-256: none for a backup from
    /// before version 9, which carries all of its own. The file is only
    /// read.
    pub fn files_needed_by_backup(backup: &Path) -> Result<Vec<String>> {
        let conn = Connection::open_with_flags(backup, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
        files_needed(&conn)
    }

    /// Refuses `dest` if it is this store's data file, or one of SQLite's
    /// files beside it: writing there would destroy the data being saved.
    pub fn refuse_overwriting_data(&self, dest: &Path) -> Result<()> {
        match self.conn.path().filter(|live| !live.is_empty()) {
            Some(live) => refuse_live_file(Path::new(live), dest),
            None => Ok(()),
        }
    }

    /// Checks a private copy of a file offered as a backup, and returns its
    /// data version. The copy may be changed: any `-wal` file beside it is
    /// folded into it, so that it is one file that can be renamed.
    pub fn check_copy(path: &Path) -> std::result::Result<i64, CopyProblem> {
        let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_WRITE)
            .map_err(classify)?;
        let version = check_database(&conn)?;
        if version <= SCHEMA_VERSION as i64 {
            // Not for a newer file: changing its journal is writing to it,
            // and this version does not know its rules.
            conn.pragma_update(None, "journal_mode", "DELETE")
                .map_err(classify)?;
        }
        Ok(version)
    }

    /// Opens a private, checked copy of a backup, bringing its schema up to
    /// date.
    pub fn open_copy(path: &Path) -> Result<Store> {
        Store::prepare(Connection::open(path)?, None)
    }

    /// Closes the store with everything in its main file (no `-wal` file
    /// left beside it), so the file can be renamed or moved on its own.
    pub fn close_as_single_file(self) -> Result<()> {
        self.conn.pragma_update(None, "journal_mode", "DELETE")?;
        self.conn.close().map_err(|(_, error)| Error::from(error))
    }

    /// What the data holds, in words a person recognises: who, how many
    /// plans, payments and money-in entries (leaving out removed ones and
    /// earlier versions of edited ones), and the dates they span.
    pub fn contents(&self) -> Result<BackupContents> {
        let mut statement = self
            .conn
            .prepare("SELECT name FROM holder ORDER BY name COLLATE NOCASE, id")?;
        let holders = statement
            .query_map([], |row| row.get(0))?
            .collect::<rusqlite::Result<Vec<String>>>()?;
        let count = |sql: &str| -> Result<u32> {
            let count: i64 = self.conn.query_row(sql, [], |row| row.get(0))?;
            u32::try_from(count).map_err(|_| Error::Overflow)
        };
        let (first_entry, last_entry): (Option<NaiveDate>, Option<NaiveDate>) =
            self.conn.query_row(
                "SELECT min(day), max(day) FROM (
                    SELECT paid_on AS day FROM spending WHERE superseded_by IS NULL AND voided_at IS NULL
                    UNION ALL
                    SELECT received_on FROM money_in WHERE voided_at IS NULL)",
                [],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )?;
        Ok(BackupContents {
            holders,
            plan_count: count("SELECT count(*) FROM plan")?,
            payment_count: count(
                "SELECT count(*) FROM spending WHERE superseded_by IS NULL AND voided_at IS NULL",
            )?,
            money_in_count: count("SELECT count(*) FROM money_in WHERE voided_at IS NULL")?,
            first_entry,
            last_entry,
        })
    }

    /// Backs up the data file at `database`, which no store in this
    /// process has open, to `dest`, sharing what it can of its receipts
    /// ([`BackupFiles::SharedAsFound`]: the copy before a restore, which
    /// may be the way back to a lost receipt). `Ok(None)` means the file is
    /// not a readable Careledger database (it is damaged, or another
    /// program's), so no checked copy can be made of it.
    pub fn back_up_closed_file(database: &Path, dest: &Path) -> Result<Option<BackupSummary>> {
        // Read-write without create: a missing file is not made, and
        // SQLite needs write access to read a file in WAL mode. Nothing
        // here writes to it.
        let conn = Connection::open_with_flags(database, OpenFlags::SQLITE_OPEN_READ_WRITE)?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        match check_database(&conn) {
            Ok(_) => write_verified_copy(
                &conn,
                Some(&EvidenceFiles::beside(database)),
                dest,
                BackupFiles::SharedAsFound,
            )
            .map(Some),
            Err(CopyProblem::Failed(error)) => Err(error),
            Err(_) => Ok(None),
        }
    }

    /// Runs `read` against one unchanging view of all the data, for an
    /// export: writes made meanwhile (by another connection) are not seen
    /// half-way through.
    pub fn read_snapshot<T>(
        &self,
        read: impl FnOnce(&dyn SnapshotReader) -> Result<T>,
    ) -> Result<T> {
        // Outside a transaction a savepoint begins one, so every read below
        // sees the same committed state; inside one it simply nests.
        self.conn.execute_batch("SAVEPOINT export_snapshot")?;
        let result = read(&Snapshot {
            conn: &self.conn,
            files: self.files.as_ref(),
        });
        // Only reads were made: releasing cannot lose anything, and a
        // failure to release must not hide the export's own result.
        let _ = self.conn.execute_batch("RELEASE export_snapshot");
        result
    }

    /// Builds a new database at `path` (which must not exist yet) from an
    /// export: the schema as it was at `schema_version`, then every row
    /// `fill` writes, then the schema brought up to date. `archive` names
    /// the export in errors. The file is closed when this returns, as one
    /// file with no `-wal` beside it.
    ///
    /// Every value is checked as it is written, by the rules typed input
    /// is held to (see [`column_rule`]), and every reference once all rows
    /// are in. The first value that breaks a rule is refused with
    /// [`Error::UnusableExport`], which names the table and row; the
    /// caller then throws the half-built file away.
    pub fn build_from_export(
        path: &Path,
        schema_version: usize,
        archive: &str,
        fill: impl FnOnce(&mut dyn TableWriter) -> Result<()>,
    ) -> Result<()> {
        let mut conn = Connection::open(path)?;
        conn.pragma_update(None, "application_id", APPLICATION_ID)?;
        migrations(None).to_version(&mut conn, schema_version)?;
        // Rows arrive a table at a time, so a reference may point at a row
        // not written yet; every reference is checked once all are in.
        conn.pragma_update(None, "foreign_keys", false)?;
        conn.execute_batch("BEGIN")?;
        let mut writer = Writer::new(&conn, archive)?;
        fill(&mut writer)?;
        let written = writer.written;
        conn.execute_batch("COMMIT")?;
        let places = Places {
            archive,
            written: &written,
        };
        places.check_foreign_keys(&conn)?;
        let integrity = integrity_problems(&conn)?;
        if !integrity.is_empty() {
            return Err(places.damaged(integrity.join("; ")));
        }
        let store = Store::prepare(conn, None)?;
        places.check_other_references(&store.conn)?;
        // The rows went in a table at a time, in the order the export
        // lists them, which need not put a payment before its parts: the
        // derived data is made afresh from the ledger as it now stands.
        rebuild_derived(&store.conn)?;
        store.close_as_single_file()
    }
}

/// Before [`Store::open`] brings an older file up to date, keep a checked
/// copy of it as it was, in the `backups` folder beside it. A new, empty
/// file, one already up to date, and anything [`Store::prepare`] will
/// refuse need no copy.
pub(super) fn keep_copy_before_migration(conn: &Connection, database: &Path) -> Result<()> {
    let application_id: i32 = conn.query_row("PRAGMA application_id", [], |row| row.get(0))?;
    let found: i64 = conn.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    let older = usize::try_from(found).is_ok_and(|found| found > 0 && found < SCHEMA_VERSION);
    if application_id != APPLICATION_ID || !older {
        return Ok(());
    }
    let dest = before_migration_path(database, found, Utc::now())?;
    let files = EvidenceFiles::beside(database);
    write_verified_copy(conn, Some(&files), &dest, BackupFiles::SharedAsFound).map(|_| ())
}

/// Refuses a destination that is the data file `live` itself, or one of
/// SQLite's files beside it.
fn refuse_live_file(live: &Path, dest: &Path) -> Result<()> {
    let same = |a: &Path, b: &Path| match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    };
    let companions = ["", "-wal", "-shm", "-journal"].map(|suffix| with_suffix(live, suffix));
    if companions.iter().any(|file| same(file, dest)) {
        return Err(Error::WouldOverwrite {
            path: dest.display().to_string(),
            message: "Careledger will not save over the data file it is using. Choose another \
                      folder, such as a USB stick. Nothing has been changed."
                .into(),
        });
    }
    Ok(())
}

/// Where a backup's evidence files go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BackupFiles {
    /// Into the receipts folder beside the backup, each file once, shared
    /// with every other backup there: the automatic backups, which would
    /// otherwise copy every receipt every day. The backup and that folder
    /// together are what to carry.
    Shared,
    /// Inside the backup, so that it is one file to carry: a backup saved
    /// by hand.
    Carried,
    /// As `Shared`, but a file the data itself has lost (missing, or
    /// damaged) is left out rather than stopping the copy: for the copies
    /// kept before a restore or an update, which must never stand in the
    /// way of putting things right. Such a copy names files its folder may
    /// not have, as the data did, and says so when it is looked at.
    SharedAsFound,
}

/// The SHA-256 of every evidence file the database on `conn` names but
/// does not carry inside. Before version 9 a database carries every file
/// inside its attachment table, and needs none.
pub(super) fn files_needed(conn: &Connection) -> Result<Vec<String>> {
    let version: i64 = conn.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    if version < 9 {
        return Ok(Vec::new());
    }
    let mut statement = conn.prepare(
        "SELECT sha256 FROM attachment
         UNION SELECT thumbnail_sha256 FROM attachment WHERE thumbnail_sha256 IS NOT NULL
         EXCEPT SELECT sha256 FROM carried_file
         ORDER BY 1",
    )?;
    let needed = statement
        .query_map([], |row| row.get(0))?
        .collect::<rusqlite::Result<Vec<String>>>()?;
    Ok(needed)
}

/// The copy behind every backup: `VACUUM INTO` a temporary file beside
/// `dest`, without the data derived from the ledger (rebuilt when it is
/// restored), with its evidence files put where `how` says (from
/// `source`, the data's receipts folder), checked, flushed, and renamed
/// to `dest`. Shared files are in place before the backup has its name, so
/// a backup never names a file its folder does not have.
fn write_verified_copy(
    conn: &Connection,
    source: Option<&EvidenceFiles>,
    dest: &Path,
    how: BackupFiles,
) -> Result<BackupSummary> {
    let version: i64 = conn.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    let folder = dest.parent().unwrap_or(Path::new("."));
    let saving = || format!("save the backup in {}", folder.display());
    let staging = staging_beside(dest)?;
    let temporary = staging.path().join("backup.sqlite3");
    let temporary_text = temporary.to_str().ok_or_else(|| {
        file_error(
            saving(),
            std::io::Error::other("the folder's name has characters Careledger cannot use"),
        )
    })?;
    let as_file_error = |error: rusqlite::Error| match Error::from(error) {
        Error::Storage(error) => file_error(saving(), std::io::Error::other(error)),
        other => other,
    };
    conn.execute("VACUUM INTO ?1", [temporary_text])
        .map_err(as_file_error)?;
    let needed = files_needed(conn)?;
    let missing = |sha256: &str, folder: String| Error::MissingEvidenceFile {
        sha256: sha256.to_owned(),
        folder,
    };
    {
        let copy = Connection::open(&temporary).map_err(as_file_error)?;
        if version >= 8 {
            clear_derived(&copy)?;
            copy.execute_batch("VACUUM").map_err(as_file_error)?;
        }
        match how {
            BackupFiles::Shared | BackupFiles::SharedAsFound => {
                let beside = EvidenceFiles::beside(dest);
                for sha256 in &needed {
                    let shared = match source.map(|source| source.share_with(&beside, sha256)) {
                        Some(Ok(copied)) => copied || beside.has(sha256),
                        Some(Err(_)) | None if how == BackupFiles::SharedAsFound => true,
                        Some(Err(error)) => return Err(error),
                        None => beside.has(sha256),
                    };
                    if !shared && how == BackupFiles::Shared {
                        let folder = source.map_or("this data".into(), |source| {
                            source.folder().display().to_string()
                        });
                        return Err(missing(sha256, folder));
                    }
                }
            }
            BackupFiles::Carried => {
                let mut insert = copy
                    .prepare("INSERT INTO carried_file (sha256, content) VALUES (?1, ?2)")
                    .map_err(as_file_error)?;
                for sha256 in &needed {
                    let content = match source {
                        Some(source) => source.read(sha256)?,
                        None => None,
                    }
                    .ok_or_else(|| {
                        missing(
                            sha256,
                            source.map_or("this data".into(), |source| {
                                source.folder().display().to_string()
                            }),
                        )
                    })?;
                    insert
                        .execute(rusqlite::params![sha256, content])
                        .map_err(as_file_error)?;
                }
            }
        }
    }
    let checked = match Store::check_copy(&temporary) {
        Ok(found) if found == version => verify_read_only(&temporary, version),
        _ => false,
    };
    if !checked {
        return Err(file_error(
            saving(),
            std::io::Error::other("the copy could not be read back correctly"),
        ));
    }
    publish(&temporary, dest)?;
    let size_bytes = std::fs::metadata(dest)
        .map_err(|error| file_error(saving(), error))?
        .len();
    Ok(BackupSummary {
        path: dest.display().to_string(),
        size_bytes,
        schema_version: version,
    })
}

/// Opens a finished copy read-only, as anyone restoring it later would,
/// and checks it again.
fn verify_read_only(path: &Path, version: i64) -> bool {
    Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(classify)
        .and_then(|conn| check_database(&conn))
        .is_ok_and(|found| found == version)
}

/// Whether the open file is a whole Careledger database; its data version
/// if so. A newer version is not a problem here: callers decide.
fn check_database(conn: &Connection) -> std::result::Result<i64, CopyProblem> {
    let application_id: i32 = conn
        .query_row("PRAGMA application_id", [], |row| row.get(0))
        .map_err(classify)?;
    if application_id != APPLICATION_ID {
        return Err(CopyProblem::NotCareledger);
    }
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |row| row.get(0))
        .map_err(classify)?;
    if version <= 0 {
        // Careledger marks a file as its own only after making its tables.
        return Err(CopyProblem::Damaged);
    }
    let problems = integrity_problems(conn).map_err(|error| match error {
        Error::Storage(error) => classify(error),
        other => CopyProblem::Failed(other),
    })?;
    if !problems.is_empty() {
        return Err(CopyProblem::Damaged);
    }
    Ok(version)
}

/// What SQLite's full integrity check finds wrong; empty when all is well.
fn integrity_problems(conn: &Connection) -> Result<Vec<String>> {
    let mut statement = conn.prepare("PRAGMA integrity_check")?;
    let lines = statement
        .query_map([], |row| row.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(if lines == ["ok"] { Vec::new() } else { lines })
}

/// Sorts SQLite's complaint about a file into what it means for a backup.
fn classify(error: rusqlite::Error) -> CopyProblem {
    match error.sqlite_error_code() {
        Some(ErrorCode::NotADatabase) => CopyProblem::NotSqlite,
        Some(ErrorCode::DatabaseCorrupt | ErrorCode::SystemIoFailure) => CopyProblem::Damaged,
        _ => CopyProblem::Failed(error.into()),
    }
}

/// `name` quoted as an SQL identifier. Names come from the database's own
/// schema, or are checked against it, but quoting keeps any name safe.
fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// The tables that hold Careledger's data: every table but SQLite's own
/// and those derived from the ledger (see `derived.rs`: the daily totals by
/// name, and the word index's virtual and shadow tables by their kind),
/// which an export leaves out and an import rebuilds. (Migrations keep
/// their place in `user_version`, not in a table.)
fn data_tables(conn: &Connection) -> Result<Vec<String>> {
    let mut statement = conn.prepare(
        "SELECT name FROM pragma_table_list
         WHERE schema = 'main' AND type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'
         ORDER BY name",
    )?;
    let mut names = statement
        .query_map([], |row| row.get(0))?
        .collect::<rusqlite::Result<Vec<String>>>()?;
    names.retain(|name| !DERIVED_TABLES.contains(&name.as_str()));
    Ok(names)
}

/// A table's columns in order, each with its place in the primary key (0
/// when not part of it).
fn columns_of(conn: &Connection, table: &str) -> Result<Vec<(String, i64)>> {
    let mut statement = conn.prepare("SELECT name, pk FROM pragma_table_info(?1) ORDER BY cid")?;
    let columns = statement
        .query_map([table], |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(columns)
}

/// One read transaction over the store, as an export sees it.
struct Snapshot<'a> {
    conn: &'a Connection,
    /// The receipts folder, whose files an export reads as the rows of
    /// `carried_file`.
    files: Option<&'a EvidenceFiles>,
}

impl Snapshot<'_> {
    /// Every evidence file the data names, as rows of `carried_file`
    /// (`sha256`, `content`), whether carried inside or kept in the
    /// receipts folder: an export holds every file, and an import carries
    /// them into the new data until it first opens. In SHA-256 order, one
    /// file in memory at a time, each checked as it is read.
    fn each_file(&self, visit: &mut RowVisitor<'_>) -> Result<u64> {
        let names = ["sha256".to_owned(), "content".to_owned()];
        let mut statement = self.conn.prepare(
            "SELECT sha256 FROM attachment
             UNION SELECT thumbnail_sha256 FROM attachment WHERE thumbnail_sha256 IS NOT NULL
             UNION SELECT sha256 FROM carried_file
             ORDER BY 1",
        )?;
        let all = statement
            .query_map([], |row| row.get(0))?
            .collect::<rusqlite::Result<Vec<String>>>()?;
        let mut count = 0u64;
        for sha256 in all {
            let carried: Option<Vec<u8>> = self
                .conn
                .query_row(
                    "SELECT content FROM carried_file WHERE sha256 = ?1",
                    [&sha256],
                    |row| row.get(0),
                )
                .optional()?;
            let content = match (carried, self.files) {
                (Some(content), _) => content,
                (None, Some(files)) => {
                    files
                        .read(&sha256)?
                        .ok_or_else(|| Error::MissingEvidenceFile {
                            sha256: sha256.clone(),
                            folder: files.folder().display().to_string(),
                        })?
                }
                (None, None) => {
                    return Err(Error::MissingEvidenceFile {
                        sha256,
                        folder: "this data".into(),
                    })
                }
            };
            visit(&names, vec![Value::Text(sha256), Value::Blob(content)])?;
            count += 1;
        }
        Ok(count)
    }
}

impl SnapshotReader for Snapshot<'_> {
    fn schema_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("PRAGMA user_version", [], |row| row.get(0))?)
    }

    fn tables(&self) -> Result<Vec<String>> {
        data_tables(self.conn)
    }

    fn each_row(&self, table: &str, visit: &mut RowVisitor<'_>) -> Result<u64> {
        if table == "carried_file" {
            return self.each_file(visit);
        }
        let columns = columns_of(self.conn, table)?;
        let names: Vec<String> = columns.iter().map(|(name, _)| name.clone()).collect();
        // Rows in the order they were added, so that an import adds them in
        // the same order and they get the same hidden row numbers too. A
        // table without row numbers goes in key order.
        let without_rowid: bool = self.conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM pragma_table_list WHERE schema = 'main' AND name = ?1 AND wr)",
            [table],
            |row| row.get(0),
        )?;
        let mut key: Vec<&(String, i64)> = columns.iter().filter(|(_, pk)| *pk > 0).collect();
        key.sort_by_key(|(_, pk)| *pk);
        let order = if without_rowid {
            key.iter()
                .map(|(name, _)| quoted(name))
                .collect::<Vec<_>>()
                .join(", ")
        } else {
            "rowid".to_owned()
        };
        let select = names.iter().map(|name| quoted(name)).collect::<Vec<_>>();
        let mut statement = self.conn.prepare(&format!(
            "SELECT {} FROM {} ORDER BY {order}",
            select.join(", "),
            quoted(table)
        ))?;
        let mut rows = statement.query([])?;
        let mut count = 0u64;
        while let Some(row) = rows.next()? {
            let values = (0..names.len())
                .map(|index| row.get::<_, Value>(index))
                .collect::<rusqlite::Result<Vec<_>>>()?;
            visit(&names, values)?;
            count += 1;
        }
        Ok(count)
    }

    fn evidence_file_names(&self) -> Result<HashMap<String, String>> {
        // The name each file was first added under: the one a person would
        // recognise. Later uses of the same file may have other names.
        // Newest first, so the first-added one is the last one collected.
        let mut statement = self.conn.prepare(
            "SELECT a.sha256, e.file_name FROM spending_evidence e
             JOIN attachment a ON a.id = e.attachment_id
             ORDER BY e.rowid DESC",
        )?;
        let names = statement
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
            .collect::<rusqlite::Result<HashMap<String, String>>>()?;
        Ok(names)
    }
}

/// Writes an export's rows into a new database, refusing any table or
/// column the schema does not have and any value its column's rule
/// refuses.
struct Writer<'a> {
    conn: &'a Connection,
    archive: &'a str,
    /// Each table's columns and the rule for each.
    columns: BTreeMap<String, BTreeMap<String, Rule>>,
    /// The row ids written to each table, in the order of its file.
    written: HashMap<String, Vec<i64>>,
}

impl<'a> Writer<'a> {
    fn new(conn: &'a Connection, archive: &'a str) -> Result<Writer<'a>> {
        let mut columns = BTreeMap::new();
        for table in data_tables(conn)? {
            let mut rules = BTreeMap::new();
            for (column, _) in columns_of(conn, &table)? {
                let Some(rule) = column_rule(&table, &column) else {
                    // Only a new column without a rule gets here, and a
                    // test makes sure there is none.
                    return Err(Error::DamagedExport {
                        path: archive.to_owned(),
                        detail: format!("Careledger has no rule for {table}.{column}"),
                    });
                };
                rules.insert(column, rule);
            }
            columns.insert(table, rules);
        }
        Ok(Writer {
            conn,
            archive,
            columns,
            written: HashMap::new(),
        })
    }

    fn damaged(&self, detail: String) -> Error {
        Error::DamagedExport {
            path: self.archive.to_owned(),
            detail,
        }
    }

    fn unusable(&self, table: &str, row: u64, problem: String) -> Error {
        Error::UnusableExport {
            path: self.archive.to_owned(),
            table: plain_table_name(table),
            row,
            problem,
        }
    }
}

impl TableWriter for Writer<'_> {
    fn tables(&self) -> BTreeSet<String> {
        self.columns.keys().cloned().collect()
    }

    fn insert(&mut self, table: &str, row: Vec<(String, Value)>) -> Result<()> {
        let Some(rules) = self.columns.get(table) else {
            return Err(self.damaged(format!("there is no table called {table}")));
        };
        if let Some((unknown, _)) = row.iter().find(|(column, _)| !rules.contains_key(column)) {
            return Err(self.damaged(format!("{table} has no column called {unknown}")));
        }
        let number = self.written.get(table).map_or(0, Vec::len) as u64 + 1;
        // Careledger writes every column of every row; one left out would
        // take the schema's default, which is not what was exported.
        if let Some(missing) = rules
            .keys()
            .find(|column| !row.iter().any(|(name, _)| name == *column))
        {
            return Err(self.unusable(table, number, format!("there is no {missing}")));
        }
        for (column, value) in &row {
            if let Some(problem) = rules[column].problem(column, value) {
                return Err(self.unusable(table, number, problem));
            }
        }
        if let Some(problem) = row_problem(table, &row) {
            return Err(self.unusable(table, number, problem));
        }
        let names: Vec<String> = row.iter().map(|(column, _)| quoted(column)).collect();
        let places: Vec<String> = (1..=row.len()).map(|place| format!("?{place}")).collect();
        let sql = if row.is_empty() {
            format!("INSERT INTO {} DEFAULT VALUES", quoted(table))
        } else {
            format!(
                "INSERT INTO {} ({}) VALUES ({})",
                quoted(table),
                names.join(", "),
                places.join(", ")
            )
        };
        let mut statement = self.conn.prepare_cached(&sql)?;
        let values = row.into_iter().map(|(_, value)| value);
        statement
            .execute(rusqlite::params_from_iter(values))
            .map_err(|error| match error.sqlite_error_code() {
                // The row breaks a rule of the schema that no one value
                // does (two rows the same where they must differ, a plan
                // that ends before it starts): the export was changed, or
                // was never Careledger's.
                Some(
                    ErrorCode::ConstraintViolation | ErrorCode::TypeMismatch | ErrorCode::TooBig,
                ) => self.unusable(
                    table,
                    number,
                    "the row breaks one of Careledger's rules for this table (for example, \
                     it repeats another row, or it ends before it starts)"
                        .into(),
                ),
                _ => Error::from(error),
            })?;
        let id = self.conn.last_insert_rowid();
        self.written.entry(table.to_owned()).or_default().push(id);
        Ok(())
    }
}

/// Where the rows of an import came from, to name a row in a message once
/// all are in.
struct Places<'a> {
    archive: &'a str,
    /// The row ids written to each table, in the order of its file.
    written: &'a HashMap<String, Vec<i64>>,
}

impl Places<'_> {
    fn damaged(&self, detail: String) -> Error {
        Error::DamagedExport {
            path: self.archive.to_owned(),
            detail,
        }
    }

    /// The error for the row with id `rowid` of `table`, named by its place
    /// in the table's file. A row the import did not write (one a schema
    /// update added) has no place, and gets the general message.
    fn unusable(&self, table: &str, rowid: i64, problem: String) -> Error {
        let place = self
            .written
            .get(table)
            .and_then(|ids| ids.iter().position(|&id| id == rowid));
        match place {
            Some(index) => Error::UnusableExport {
                path: self.archive.to_owned(),
                table: plain_table_name(table),
                row: index as u64 + 1,
                problem,
            },
            None => self.damaged(format!("{table} row {rowid}: {problem}")),
        }
    }

    /// Refuses the first row that refers to a row that is not there, by a
    /// reference the schema declares.
    fn check_foreign_keys(&self, conn: &Connection) -> Result<()> {
        let broken: Option<(String, Option<i64>, String, i64)> = conn
            .query_row("PRAGMA foreign_key_check", [], |row| {
                Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
            })
            .optional()?;
        let Some((table, rowid, parent, key)) = broken else {
            return Ok(());
        };
        let Some(rowid) = rowid else {
            return Err(self.damaged(format!("a row of {table} refers to a missing {parent}")));
        };
        let column: String = conn.query_row(
            "SELECT \"from\" FROM pragma_foreign_key_list(?1) WHERE id = ?2 ORDER BY seq",
            rusqlite::params![table, key],
            |row| row.get(0),
        )?;
        let value: Value = conn.query_row(
            &format!(
                "SELECT {} FROM {} WHERE rowid = ?1",
                quoted(&column),
                quoted(&table)
            ),
            [rowid],
            |row| row.get(0),
        )?;
        Err(self.unusable(&table, rowid, missing_row(&column, &value, &parent)))
    }

    /// Refuses the first row that refers to a row that is not there by a
    /// reference the schema cannot declare: an entry's key, a budget line's
    /// key. Run on the schema brought up to date.
    fn check_other_references(&self, conn: &Connection) -> Result<()> {
        // (table, SQL giving the rowid and the column's value of the first
        // row whose reference finds nothing, the column, what it refers to)
        let checks: [(&str, &str, &str, &str); 10] = [
            (
                "spending",
                "SELECT s.rowid, s.entry_key FROM spending s WHERE NOT EXISTS (
                     SELECT 1 FROM spending f
                     WHERE f.id = s.entry_key AND f.entry_key = f.id AND f.plan_id = s.plan_id)
                 ORDER BY s.rowid LIMIT 1",
                "entry_key",
                "a first version of a payment in the same plan",
            ),
            (
                "spending_split",
                "SELECT sp.rowid, sp.line_key FROM spending_split sp
                 JOIN spending s ON s.id = sp.spending_id
                 WHERE NOT EXISTS (
                     SELECT 1 FROM budget_line l JOIN plan_version v ON v.id = l.version_id
                     WHERE v.plan_id = s.plan_id AND l.line_key = sp.line_key)
                 ORDER BY sp.rowid LIMIT 1",
                "line_key",
                "a budget line of the payment's plan",
            ),
            (
                "recurring",
                "SELECT r.rowid, r.line_key FROM recurring r
                 WHERE NOT EXISTS (
                     SELECT 1 FROM budget_line l JOIN plan_version v ON v.id = l.version_id
                     WHERE v.plan_id = r.plan_id AND l.line_key = r.line_key)
                 ORDER BY r.rowid LIMIT 1",
                "line_key",
                "a budget line of its plan",
            ),
            (
                "spending_evidence",
                "SELECT e.rowid, e.entry_key FROM spending_evidence e
                 WHERE NOT EXISTS (SELECT 1 FROM spending s WHERE s.entry_key = e.entry_key)
                 ORDER BY e.rowid LIMIT 1",
                "entry_key",
                "a payment",
            ),
            (
                "recurring_due",
                "SELECT d.rowid, d.entry_key FROM recurring_due d
                 WHERE d.entry_key IS NOT NULL
                   AND NOT EXISTS (SELECT 1 FROM spending s WHERE s.entry_key = d.entry_key)
                 ORDER BY d.rowid LIMIT 1",
                "entry_key",
                "a payment",
            ),
            (
                "account_line",
                "SELECT a.rowid, a.payment_key FROM account_line a
                 WHERE a.payment_key IS NOT NULL AND NOT EXISTS (
                     SELECT 1 FROM spending s WHERE s.entry_key = a.payment_key AND s.plan_id = a.plan_id)
                 ORDER BY a.rowid LIMIT 1",
                "payment_key",
                "a payment of its plan",
            ),
            (
                "payee_rule",
                "SELECT r.rowid, r.line_key FROM payee_rule r
                 WHERE NOT EXISTS (
                     SELECT 1 FROM budget_line l JOIN plan_version v ON v.id = l.version_id
                     WHERE v.plan_id = r.plan_id AND l.line_key = r.line_key)
                 ORDER BY r.rowid LIMIT 1",
                "line_key",
                "a budget line of its plan",
            ),
            (
                "attachment",
                "SELECT a.rowid, a.sha256 FROM attachment a
                 WHERE NOT EXISTS (SELECT 1 FROM carried_file f WHERE f.sha256 = a.sha256)
                 ORDER BY a.rowid LIMIT 1",
                "sha256",
                "a file in the export",
            ),
            (
                "attachment",
                "SELECT a.rowid, a.thumbnail_sha256 FROM attachment a
                 WHERE a.thumbnail_sha256 IS NOT NULL
                   AND NOT EXISTS (SELECT 1 FROM carried_file f WHERE f.sha256 = a.thumbnail_sha256)
                 ORDER BY a.rowid LIMIT 1",
                "thumbnail_sha256",
                "a file in the export",
            ),
            (
                "attachment",
                "SELECT a.rowid, a.size_bytes FROM attachment a
                 JOIN carried_file f ON f.sha256 = a.sha256
                 WHERE length(f.content) <> a.size_bytes
                 ORDER BY a.rowid LIMIT 1",
                "size_bytes",
                "the size of its file",
            ),
        ];
        for (table, sql, column, target) in checks {
            let broken: Option<(i64, Value)> = conn
                .query_row(sql, [], |row| Ok((row.get(0)?, row.get(1)?)))
                .optional()?;
            if let Some((rowid, value)) = broken {
                let problem = format!("{column} is {}, which is not {target}", shown_value(&value));
                return Err(self.unusable(table, rowid, problem));
            }
        }
        // Each file is the kind its row says, by its first bytes.
        let mut statement = conn.prepare(
            "SELECT a.rowid, a.media_type, substr(f.content, 1, 64) FROM attachment a
             JOIN carried_file f ON f.sha256 = a.sha256 ORDER BY a.rowid",
        )?;
        let mut rows = statement.query([])?;
        while let Some(row) = rows.next()? {
            let (rowid, media_type, start): (i64, String, Vec<u8>) =
                (row.get(0)?, row.get(1)?, row.get(2)?);
            if crate::evidence::sniff(&start).map(crate::evidence::MediaType::mime)
                != Some(media_type.as_str())
            {
                let problem = "the file is not the kind media_type says it is".to_owned();
                return Err(self.unusable("attachment", rowid, problem));
            }
        }
        Ok(())
    }
}

/// "plan_id is 7, but there is no plan with that id".
fn missing_row(column: &str, value: &Value, parent: &str) -> String {
    format!(
        "{column} is {}, but the {} table has no row with that id",
        shown_value(value),
        plain_table_name(parent)
    )
}

/// A value as a message shows it: a number as it is, text in quotes, cut
/// short and with anything that cannot be seen taken out.
fn shown_value(value: &Value) -> String {
    match value {
        Value::Null => "empty".into(),
        Value::Integer(number) => number.to_string(),
        Value::Real(number) => number.to_string(),
        Value::Text(text) => format!(
            "\u{201c}{}\u{201d}",
            crate::input::shorten(&crate::input::without_hidden(text), 40)
        ),
        Value::Blob(_) => "some binary data".into(),
    }
}

/// A table's name in the words of the screens, for messages.
fn plain_table_name(table: &str) -> String {
    match table {
        "holder" => "budget holders",
        "person" => "people using Careledger",
        "acting_for" => "who acts for whom",
        "holder_setting" => "settings",
        "plan" => "plans",
        "plan_version" => "plan versions",
        "funding_stream" => "funding",
        "outcome" => "outcomes",
        "budget_line" => "budget lines",
        "line_outcome" => "budget lines' outcomes",
        "review" => "reviews",
        "spending" => "payments",
        "spending_split" => "payments' budget lines",
        "attachment" => "evidence files",
        "carried_file" => "evidence files' contents",
        "spending_evidence" => "payments' evidence",
        "money_in" => "money in",
        "recurring" => "regular payments",
        "recurring_due" => "regular payments' due days",
        "account_line" => "bank statement lines",
        "payee_rule" => "payee rules",
        "statement_layout" => "statement file layouts",
        "account_check" => "checks against the account",
        other => other,
    }
    .to_owned()
}

/// What a column holds, and so which values it may have: the same rules
/// typed input is held to, or for values Careledger makes itself, the form
/// it makes them in.
#[derive(Debug, Clone, Copy)]
enum Meaning {
    /// A row's id, or a reference to one: a whole number from 1.
    Id,
    /// A day, "2026-11-25", in the years [`crate::input::parse_date`]
    /// accepts.
    Date,
    /// A moment, as Careledger stamps it: "2026-11-25T10:30:00Z".
    Time,
    /// An amount as typed: whole pence, more than 0 and at most
    /// [`MAX_ENTERED_PENCE`].
    Amount,
    /// A plan's budget as first set up: whole pence, from 0.
    Total,
    /// A number of units in hundredths, as typed: up to [`MAX_QUANTITY`].
    Quantity,
    /// A whole number from `min` to `max`.
    Number { min: i64, max: i64 },
    /// One of the choices `known` accepts: those of `store/enums.rs`.
    Choice(fn(&str) -> bool),
    /// Text as [`crate::input::optional_text`] keeps it: trimmed, at most
    /// `max` characters, nothing hidden, line breaks only if `multiline`;
    /// not empty if `required`.
    Text {
        max: usize,
        multiline: bool,
        required: bool,
    },
    /// An NHS number as [`crate::input::parse_nhs_number`] writes it.
    NhsNumber,
    /// An evidence file's name as [`crate::evidence::clean_file_name`]
    /// keeps it.
    FileName,
    /// A SHA-256, as 64 lower-case hex digits.
    Sha256,
    /// An evidence file's type, as its MIME type.
    MediaType,
    /// Binary data.
    Bytes,
}

/// A column's rule: what it holds, and whether it may be empty (NULL).
#[derive(Debug, Clone, Copy)]
struct Rule {
    meaning: Meaning,
    optional: bool,
}

/// Whether `text` is one of the strings `store/enums.rs` writes for `T`.
fn is_choice<T: rusqlite::types::FromSql>(text: &str) -> bool {
    T::column_result(rusqlite::types::ValueRef::Text(text.as_bytes())).is_ok()
}

/// The rule for each column of each table Careledger has had, in one
/// place. A column added by a migration needs a rule here: the test
/// `every_column_has_a_rule` fails until it has one.
fn column_rule(table: &str, column: &str) -> Option<Rule> {
    use crate::evidence::EvidenceKind;
    use crate::forms::{MAX_NAME_CHARS, MAX_NOTE_CHARS, MAX_PAYEE_CHARS};
    use crate::ledger::{HowPaid, MoneyInKind, MAX_REFERENCE_CHARS};
    use crate::plan::*;
    use crate::plan_forms::{MAX_ITEMS, MAX_LINE_TEXT_CHARS, MAX_OUTCOME_CHARS};
    use Meaning::*;

    let text = |max, multiline, required| Text {
        max,
        multiline,
        required,
    };
    // A person's name, and who did something (a person's name as it was).
    let name = text(MAX_NAME_CHARS, false, true);
    let reason = text(crate::ledger::MAX_REASON_CHARS, true, true);
    let note = text(MAX_NOTE_CHARS, true, false);
    let reference = text(MAX_REFERENCE_CHARS, false, false);
    let payee = text(MAX_PAYEE_CHARS, false, true);
    let position = Number {
        min: 0,
        max: MAX_ITEMS as i64 - 1,
    };
    let required = |meaning| {
        Some(Rule {
            meaning,
            optional: false,
        })
    };
    let optional = |meaning| {
        Some(Rule {
            meaning,
            optional: true,
        })
    };
    match (table, column) {
        (_, "id") => required(Id),
        ("holder", "name") | ("person", "name") | ("plan", "name") => required(name),
        ("holder", "date_of_birth") => optional(Date),
        ("holder", "nhs_number") => optional(NhsNumber),
        (
            "holder" | "person" | "plan" | "plan_version" | "attachment" | "recurring",
            "created_at",
        ) => required(Time),
        ("holder_setting", "holder_id") => required(Id),
        ("holder_setting", "surplus_limit_weeks") => required(Number { min: 1, max: 52 }),
        ("acting_for", "person_id" | "holder_id") => required(Id),
        ("acting_for", "role") => required(Choice(is_choice::<ActingRole>)),
        ("acting_for", "since") => required(Time),
        ("plan", "holder_id") => required(Id),
        ("plan", "start_date" | "end_date") => required(Date),
        ("plan", "total_budget_pence") => required(Total),
        ("plan_version", "plan_id") => required(Id),
        ("plan_version", "number") => required(Number {
            min: 1,
            max: i64::MAX,
        }),
        ("plan_version", "effective_from") => required(Date),
        ("plan_version", "status") => required(Choice(is_choice::<PlanStatus>)),
        ("plan_version", "reason") => required(text(crate::store::MAX_REASON_CHARS, true, true)),
        ("plan_version", "created_by_person") => optional(Id),
        ("plan_version", "agreed_on") => optional(Date),
        ("plan_version", "agreed_by") => required(text(MAX_NAME_CHARS, false, false)),
        ("funding_stream" | "outcome" | "budget_line" | "review", "version_id") => required(Id),
        ("funding_stream" | "outcome" | "budget_line", "position") => required(position),
        ("funding_stream", "funder") => required(Choice(is_choice::<Funder>)),
        ("funding_stream", "funder_name") => required(name),
        ("funding_stream", "management") => required(Choice(is_choice::<Management>)),
        ("funding_stream", "amount_pence") => required(Amount),
        ("funding_stream", "frequency") => required(Choice(is_choice::<Frequency>)),
        ("funding_stream", "amount_is") => required(Choice(is_choice::<AmountIs>)),
        ("outcome", "text") => required(text(MAX_OUTCOME_CHARS, true, true)),
        ("budget_line", "category") => required(Choice(is_choice::<Category>)),
        ("budget_line", "description") => required(text(MAX_LINE_TEXT_CHARS, false, true)),
        ("budget_line", "provider") => required(text(MAX_LINE_TEXT_CHARS, false, false)),
        ("budget_line", "flexibility") => required(Choice(is_choice::<Flexibility>)),
        ("budget_line", "amount_pence" | "rate_pence") => optional(Amount),
        ("budget_line", "quantity_hundredths") => optional(Quantity),
        ("budget_line", "unit") => optional(Choice(is_choice::<Unit>)),
        ("budget_line", "per") => optional(Choice(is_choice::<Per>)),
        ("budget_line", "pattern") => required(Choice(is_choice::<SpendingPattern>)),
        ("budget_line" | "spending_split" | "recurring", "line_key") => required(Id),
        ("line_outcome", "line_id" | "outcome_id") => required(Id),
        ("review", "kind") => required(Choice(is_choice::<ReviewKind>)),
        ("review", "due_on") => required(Date),
        ("spending" | "money_in" | "recurring", "plan_id") => required(Id),
        ("spending", "paid_on") | ("money_in", "received_on") => required(Date),
        ("spending" | "recurring", "payee") => required(payee),
        ("money_in", "source") => required(payee),
        ("spending" | "money_in" | "recurring" | "spending_split", "amount_pence") => {
            required(Amount)
        }
        ("spending" | "money_in" | "recurring", "note") => required(note),
        ("spending" | "money_in", "recorded_by") => required(name),
        ("spending" | "money_in", "recorded_at") => required(Time),
        ("spending" | "money_in", "recorded_by_person") => optional(Id),
        ("spending" | "spending_evidence", "entry_key") => required(Id),
        ("spending", "how_paid") => optional(Choice(is_choice::<HowPaid>)),
        ("recurring", "how_paid") => required(Choice(is_choice::<HowPaid>)),
        ("spending" | "money_in", "reference") => required(reference),
        ("spending", "cash_withdrawal") => required(Number { min: 0, max: 1 }),
        ("spending" | "recurring", "no_evidence_reason") | ("spending", "change_reason") => {
            required(text(crate::ledger::MAX_REASON_CHARS, true, false))
        }
        ("spending", "superseded_by") => optional(Id),
        ("spending" | "money_in", "voided_at") => optional(Time),
        ("spending" | "money_in", "void_reason") => optional(reason),
        ("spending" | "money_in", "voided_by") => optional(name),
        ("spending_split", "spending_id") => required(Id),
        ("attachment", "sha256") => required(Sha256),
        ("attachment", "media_type") => required(MediaType),
        ("attachment", "size_bytes") => required(Number {
            min: 1,
            max: crate::evidence::MAX_EVIDENCE_BYTES as i64,
        }),
        ("attachment", "content") => required(Bytes),
        ("attachment", "thumbnail") => optional(Bytes),
        ("attachment", "thumbnail_sha256") => optional(Sha256),
        ("carried_file", "sha256") => required(Sha256),
        ("carried_file", "content") => required(Bytes),
        ("spending_evidence", "attachment_id") => required(Id),
        ("spending_evidence", "kind") => required(Choice(is_choice::<EvidenceKind>)),
        ("spending_evidence", "file_name") => required(FileName),
        ("spending_evidence", "added_at") => required(Time),
        ("spending_evidence", "added_by") => required(name),
        ("spending_evidence", "removed_at") => optional(Time),
        ("spending_evidence", "removed_by") => optional(name),
        ("money_in", "kind") => required(Choice(is_choice::<MoneyInKind>)),
        ("recurring", "every") => required(Choice(|text| {
            is_choice::<Frequency>(text) && text != "one_off"
        })),
        ("recurring", "first_due") | ("recurring_due", "due_on") => required(Date),
        ("recurring", "created_by") | ("recurring_due", "decided_by") => required(name),
        ("recurring", "stopped_at") => optional(Time),
        ("recurring", "stopped_by") => optional(name),
        ("recurring_due", "recurring_id") => required(Id),
        ("recurring_due", "entry_key") => optional(Id),
        ("recurring_due", "decided_at") => required(Time),
        ("account_line" | "payee_rule", "plan_id") => required(Id),
        ("account_line", "fingerprint") => required(text(1000, false, true)),
        ("account_line", "on_date") => required(Date),
        ("account_line", "description") => required(text(1000, false, false)),
        // Money in or out of the account, so either sign; never more than
        // Careledger keeps in a total.
        ("account_line", "amount_pence") => required(Number {
            min: -MAX_TOTAL_PENCE,
            max: MAX_TOTAL_PENCE,
        }),
        ("account_line", "balance_pence") => optional(Number {
            min: -MAX_TOTAL_PENCE,
            max: MAX_TOTAL_PENCE,
        }),
        ("account_line", "payment_key" | "money_in_id") => optional(Id),
        ("account_line", "file_name") => required(FileName),
        ("account_line", "imported_at") => required(Time),
        ("account_line", "imported_by") => required(name),
        ("payee_rule", "words") => required(text(200, false, true)),
        ("payee_rule", "line_key") => required(Id),
        ("statement_layout", "holder_id") | ("account_check", "plan_id") => required(Id),
        ("statement_layout", "layout") => required(text(20000, false, true)),
        ("statement_layout", "saved_at") | ("account_check", "checked_at") => required(Time),
        ("account_check", "on_date") => required(Date),
        ("account_check", "balance_pence") => required(Number {
            min: -MAX_TOTAL_PENCE,
            max: MAX_TOTAL_PENCE,
        }),
        ("account_check", "checked_by") => required(name),
        _ => None,
    }
}

impl Rule {
    /// What is wrong with `value` in `column`, in words that follow "in
    /// the … table, row N,"; `None` if it is as Careledger would write it.
    fn problem(&self, column: &str, value: &Value) -> Option<String> {
        use Meaning::*;
        let what = match self.meaning {
            Id | Amount | Total | Quantity | Number { .. } => "a whole number",
            Date => "a date",
            Time => "a date and time",
            Choice(_) | MediaType => "one of Careledger's choices",
            Text { .. } | NhsNumber | FileName | Sha256 => "text",
            Bytes => "a file's contents",
        };
        let wrong_kind = || {
            Some(format!(
                "{column} should be {what} but is {}",
                kind_of(value)
            ))
        };
        match (value, self.meaning) {
            (Value::Null, _) if self.optional => None,
            (Value::Null, _) => Some(format!("there is nothing in {column}")),
            (Value::Integer(number), Id | Amount | Total | Quantity | Number { .. }) => {
                number_problem(column, *number, self.meaning)
            }
            (Value::Text(text), Date) => date_problem(column, text),
            (Value::Text(text), Time) => time_problem(column, text),
            (Value::Text(text), Choice(known)) => (!known(text)).then(|| {
                format!(
                    "{} in {column} is not one of the choices Careledger knows",
                    shown_value(value)
                )
            }),
            (Value::Text(text), MediaType) => crate::evidence::MediaType::from_mime(text)
                .is_none()
                .then(|| {
                    format!(
                        "{} in {column} is not a kind of file Careledger keeps",
                        shown_value(value)
                    )
                }),
            (
                Value::Text(text),
                Text {
                    max,
                    multiline,
                    required,
                },
            ) => text_problem(column, text, max, multiline, required),
            (Value::Text(text), NhsNumber) => crate::input::parse_nhs_number(column, text)
                .ok()
                .filter(|number| number == text)
                .is_none()
                .then(|| {
                    format!(
                        "{} in {column} is not a valid NHS number",
                        shown_value(value)
                    )
                }),
            (Value::Text(text), FileName) => {
                if crate::evidence::clean_file_name(text).as_deref() == Some(text.as_str()) {
                    None
                } else {
                    Some(format!(
                        "the file name in {column} is empty, too long, or has hidden characters \
                         or folders in it"
                    ))
                }
            }
            (Value::Text(text), Sha256) => (text.len() != 64
                || !text
                    .bytes()
                    .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)))
            .then(|| format!("{column} is not a SHA-256 check")),
            (Value::Blob(_), Bytes) => None,
            _ => wrong_kind(),
        }
    }
}

/// "a number", "text": what a value is, for a message.
fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "empty",
        Value::Integer(_) => "a whole number",
        Value::Real(_) => "a number with a fraction",
        Value::Text(_) => "text",
        Value::Blob(_) => "binary data",
    }
}

fn number_problem(column: &str, number: i64, meaning: Meaning) -> Option<String> {
    use crate::money::{Money, MAX_ENTERED_PENCE};
    use crate::plan::MAX_QUANTITY;
    let pounds = |pence: i64| Money::from_pence(pence).to_string();
    let (range, words) = match meaning {
        Meaning::Id => (
            1..=i64::MAX,
            "a row's id (a whole number from 1)".to_owned(),
        ),
        Meaning::Amount => (
            1..=MAX_ENTERED_PENCE,
            format!(
                "an amount Careledger keeps (whole pence, from 1 to {MAX_ENTERED_PENCE}, which \
                 is {})",
                pounds(MAX_ENTERED_PENCE)
            ),
        ),
        Meaning::Total => (
            0..=MAX_TOTAL_PENCE,
            format!("a budget Careledger keeps (whole pence, from 0 to {MAX_TOTAL_PENCE})"),
        ),
        Meaning::Quantity => (
            1..=MAX_QUANTITY.0,
            format!(
                "a number of units Careledger keeps (in hundredths, from 1 to {})",
                MAX_QUANTITY.0
            ),
        ),
        Meaning::Number { min, max } => (min..=max, format!("from {min} to {max}")),
        _ => return None,
    };
    (!range.contains(&number)).then(|| format!("{column} is {number}, which is not {words}"))
}

/// The largest budget a plan can have been set up with: 100 funding
/// streams of the largest amount, paid every week for the 300 years from
/// the earliest date to the latest. Far above any real budget; only a
/// number typed into the export by hand gets past it.
const MAX_TOTAL_PENCE: i64 =
    crate::money::MAX_ENTERED_PENCE * crate::plan_forms::MAX_ITEMS as i64 * 53 * 301;

fn date_problem(column: &str, text: &str) -> Option<String> {
    let shown = shown_value(&Value::Text(text.to_owned()));
    match chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        Ok(date) if date.to_string() != text => {
            Some(format!("the date {shown} in {column} is not written as Careledger writes dates (year-month-day)"))
        }
        Ok(date) if !crate::input::YEARS.contains(&chrono::Datelike::year(&date)) => Some(format!(
            "the date {shown} in {column} is not between {} and {}",
            crate::input::YEARS.start(),
            crate::input::YEARS.end()
        )),
        Ok(_) => None,
        Err(_) => Some(format!("the date {shown} in {column} is not a real date")),
    }
}

fn time_problem(column: &str, text: &str) -> Option<String> {
    match chrono::DateTime::parse_from_rfc3339(text) {
        Ok(time) if crate::input::YEARS.contains(&chrono::Datelike::year(&time)) => None,
        _ => Some(format!(
            "the time {} in {column} is not a real date and time",
            shown_value(&Value::Text(text.to_owned()))
        )),
    }
}

fn text_problem(
    column: &str,
    text: &str,
    max: usize,
    multiline: bool,
    required: bool,
) -> Option<String> {
    use crate::input::{text_fault, TextFault};
    if let Some(fault) = text_fault(text, max, multiline) {
        return Some(match fault {
            TextFault::TooLong { length } => format!(
                "the text in {column} is {length} characters long, more than the {max} \
                 Careledger allows"
            ),
            TextFault::LineBreak => {
                format!("the text in {column} has a line break, but must be on one line")
            }
            TextFault::Hidden => format!(
                "the text in {column} has a hidden character in it (such as a zero-width space \
                 or a right-to-left mark)"
            ),
        });
    }
    if text.trim() != text {
        return Some(format!("the text in {column} starts or ends with spaces"));
    }
    if required && text.is_empty() {
        return Some(format!("there is nothing in {column}"));
    }
    None
}

/// What is wrong with a row as a whole, beyond each value on its own: an
/// evidence file's check, size and type must be those of its contents.
fn row_problem(table: &str, row: &[(String, Value)]) -> Option<String> {
    if table != "attachment" && table != "carried_file" {
        return None;
    }
    let value = |name: &str| {
        row.iter()
            .find(|(column, _)| column == name)
            .map(|(_, value)| value)
    };
    let Some(Value::Blob(content)) = value("content") else {
        return None;
    };
    if value("sha256") != Some(&Value::Text(crate::evidence::sha256_hex(content))) {
        return Some("the file's SHA-256 check in sha256 does not match its contents".into());
    }
    if table == "carried_file" {
        // Its size and kind are checked against the attachment row that
        // names it, once every row is in.
        return None;
    }
    if value("size_bytes") != Some(&Value::Integer(content.len() as i64)) {
        return Some("the size in size_bytes is not the size of the file".into());
    }
    let sniffed = crate::evidence::sniff(content).map(crate::evidence::MediaType::mime);
    if value("media_type").and_then(|value| match value {
        Value::Text(text) => Some(text.as_str()),
        _ => None,
    }) != sniffed
    {
        return Some("the file is not the kind media_type says it is".into());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_column_has_a_rule() {
        let conn = Connection::open_in_memory().unwrap();
        let mut conn = conn;
        for version in 1..=SCHEMA_VERSION {
            migrations(None).to_version(&mut conn, version).unwrap();
            for table in data_tables(&conn).unwrap() {
                assert_ne!(plain_table_name(&table), table, "a plain name for {table}");
                for (column, _) in columns_of(&conn, &table).unwrap() {
                    assert!(
                        column_rule(&table, &column).is_some(),
                        "no rule for {table}.{column} at data version {version}"
                    );
                }
            }
        }
    }

    #[test]
    fn values_are_checked_by_their_column() {
        let problem = |table: &str, column: &str, value: Value| {
            column_rule(table, column).unwrap().problem(column, &value)
        };
        let text = |text: &str| Value::Text(text.into());
        assert_eq!(problem("spending", "paid_on", text("2026-02-28")), None);
        assert_eq!(
            problem("spending", "paid_on", text("2026-02-31")).unwrap(),
            "the date \u{201c}2026-02-31\u{201d} in paid_on is not a real date"
        );
        assert!(problem("spending", "paid_on", text("2026-2-28")).is_some());
        assert!(problem("spending", "paid_on", text("1850-01-01")).is_some());
        assert!(problem("spending", "paid_on", Value::Integer(20260228)).is_some());
        assert!(problem("spending", "paid_on", Value::Null).is_some());
        assert_eq!(
            problem("spending", "recorded_at", text("2026-11-25T10:30:00Z")),
            None
        );
        assert!(problem("spending", "recorded_at", text("2026-11-25 10:30")).is_some());
        assert_eq!(problem("spending", "amount_pence", Value::Integer(1)), None);
        for bad in [0, -500, crate::money::MAX_ENTERED_PENCE + 1] {
            assert!(
                problem("spending", "amount_pence", Value::Integer(bad)).is_some(),
                "{bad}"
            );
        }
        assert!(problem("spending", "amount_pence", Value::Real(1.5)).is_some());
        assert_eq!(
            problem("plan", "total_budget_pence", Value::Integer(0)),
            None
        );
        assert_eq!(problem("spending", "how_paid", text("card")), None);
        assert_eq!(problem("spending", "how_paid", Value::Null), None);
        assert_eq!(
            problem("spending", "how_paid", text("teleport")).unwrap(),
            "\u{201c}teleport\u{201d} in how_paid is not one of the choices Careledger knows"
        );
        assert!(problem("recurring", "every", text("one_off")).is_some());
        assert!(problem("budget_line", "category", text("holidays")).is_some());
        assert_eq!(problem("spending", "payee", text("Jo Pike")), None);
        assert!(problem("spending", "payee", text("Tes\u{200B}co"))
            .unwrap()
            .contains("hidden character"));
        assert!(problem("spending", "payee", text(" Jo")).is_some());
        assert!(problem("spending", "payee", text("")).is_some());
        assert!(problem("spending", "payee", text(&"a".repeat(201))).is_some());
        assert!(problem("spending", "payee", text("Jo\nPike")).is_some());
        assert_eq!(problem("spending", "note", text("")), None);
        assert_eq!(problem("spending", "note", text("Two\nlines")), None);
        assert_eq!(problem("holder", "nhs_number", text("943 476 5919")), None);
        assert!(problem("holder", "nhs_number", text("9434765919")).is_some());
        assert!(problem("holder", "nhs_number", text("943 476 5918")).is_some());
        assert_eq!(
            problem("spending_evidence", "file_name", text("Receipt.png")),
            None
        );
        assert!(problem("spending_evidence", "file_name", text("a/b.png")).is_some());
        assert!(problem("spending_evidence", "file_name", text("x\u{202E}gnp.exe")).is_some());
        assert!(problem("attachment", "sha256", text(&"A".repeat(64))).is_some());
        assert!(problem("attachment", "media_type", text("image/gif")).is_some());
    }
}
