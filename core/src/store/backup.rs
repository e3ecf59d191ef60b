//! The SQL side of backups and exports: copying the database, checking a
//! copy, counting what a backup holds, and reading and writing every table
//! for an export. The file handling around these (temporary folders,
//! renaming into place, rotation, archives) is in [`crate::backup`] and
//! [`crate::export`], which reach this module only through the methods
//! here.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use chrono::{NaiveDate, Utc};
use rusqlite::ffi::ErrorCode;
use rusqlite::types::Value;
use rusqlite::{Connection, OpenFlags};
use rusqlite_migration::Migrations;

use super::{Store, APPLICATION_ID, MIGRATION_STEPS, SCHEMA_VERSION};
use crate::backup::{
    before_migration_path, file_error, publish, staging_beside, with_suffix, BackupContents,
    BackupSummary, CopyProblem,
};
use crate::error::{Error, Result};
use crate::export::{RowVisitor, SnapshotReader, TableWriter};

impl Store {
    /// Saves a consistent copy of all the data to `dest`, checked before it
    /// gets its final name: it is first written beside `dest` under a
    /// temporary name, opened again and checked (SQLite's integrity check,
    /// Careledger's mark, the data version), flushed to the disk, and only
    /// then renamed to `dest`. A file already at `dest` is replaced; the
    /// data file this store has open never is.
    ///
    /// The copy is a single file (no `-wal` file beside it), so it can be
    /// moved, emailed or kept on a USB stick as it is.
    pub fn backup_to(&self, dest: &Path) -> Result<BackupSummary> {
        self.refuse_overwriting_data(dest)?;
        write_verified_copy(&self.conn, dest)
    }

    /// Refuses `dest` if it is this store's data file, or one of SQLite's
    /// files beside it: writing there would destroy the data being saved.
    pub(crate) fn refuse_overwriting_data(&self, dest: &Path) -> Result<()> {
        match self.conn.path().filter(|live| !live.is_empty()) {
            Some(live) => refuse_live_file(Path::new(live), dest),
            None => Ok(()),
        }
    }

    /// Checks a private copy of a file offered as a backup, and returns its
    /// data version. The copy may be changed: any `-wal` file beside it is
    /// folded into it, so that it is one file that can be renamed.
    pub(crate) fn check_copy(path: &Path) -> std::result::Result<i64, CopyProblem> {
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
    pub(crate) fn open_copy(path: &Path) -> Result<Store> {
        Store::prepare(Connection::open(path)?)
    }

    /// Closes the store with everything in its main file (no `-wal` file
    /// left beside it), so the file can be renamed or moved on its own.
    pub(crate) fn close_as_single_file(self) -> Result<()> {
        self.conn.pragma_update(None, "journal_mode", "DELETE")?;
        self.conn.close().map_err(|(_, error)| Error::from(error))
    }

    /// What the data holds, in words a person recognises: who, how many
    /// plans, payments and money-in entries (leaving out removed ones and
    /// earlier versions of edited ones), and the dates they span.
    pub(crate) fn contents(&self) -> Result<BackupContents> {
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
    /// process has open, to `dest`. `Ok(None)` means the file is not a
    /// readable Careledger database (it is damaged, or another program's),
    /// so no checked copy can be made of it.
    pub(crate) fn back_up_closed_file(
        database: &Path,
        dest: &Path,
    ) -> Result<Option<BackupSummary>> {
        // Read-write without create: a missing file is not made, and
        // SQLite needs write access to read a file in WAL mode. Nothing
        // here writes to it.
        let conn = Connection::open_with_flags(database, OpenFlags::SQLITE_OPEN_READ_WRITE)?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        match check_database(&conn) {
            Ok(_) => write_verified_copy(&conn, dest).map(Some),
            Err(CopyProblem::Failed(error)) => Err(error),
            Err(_) => Ok(None),
        }
    }

    /// Runs `read` against one unchanging view of all the data, for an
    /// export: writes made meanwhile (by another connection) are not seen
    /// half-way through.
    pub(crate) fn read_snapshot<T>(
        &self,
        read: impl FnOnce(&dyn SnapshotReader) -> Result<T>,
    ) -> Result<T> {
        // Outside a transaction a savepoint begins one, so every read below
        // sees the same committed state; inside one it simply nests.
        self.conn.execute_batch("SAVEPOINT export_snapshot")?;
        let result = read(&Snapshot { conn: &self.conn });
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
    pub(crate) fn build_from_export(
        path: &Path,
        schema_version: usize,
        archive: &str,
        fill: impl FnOnce(&mut dyn TableWriter) -> Result<()>,
    ) -> Result<()> {
        let mut conn = Connection::open(path)?;
        conn.pragma_update(None, "application_id", APPLICATION_ID)?;
        Migrations::from_slice(MIGRATION_STEPS).to_version(&mut conn, schema_version)?;
        // Rows arrive a table at a time, so a reference may point at a row
        // not written yet; every reference is checked once all are in.
        conn.pragma_update(None, "foreign_keys", false)?;
        conn.execute_batch("BEGIN")?;
        let mut writer = Writer::new(&conn, archive)?;
        fill(&mut writer)?;
        drop(writer);
        conn.execute_batch("COMMIT")?;
        let damaged = |detail: String| Error::DamagedExport {
            path: archive.to_owned(),
            detail,
        };
        let broken_reference: Option<String> = conn
            .prepare("PRAGMA foreign_key_check")?
            .query_map([], |row| row.get(0))?
            .next()
            .transpose()?;
        if let Some(table) = broken_reference {
            return Err(damaged(format!(
                "a row of {table} refers to a row that is not there"
            )));
        }
        let integrity = integrity_problems(&conn)?;
        if !integrity.is_empty() {
            return Err(damaged(integrity.join("; ")));
        }
        Store::prepare(conn)?.close_as_single_file()
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
    write_verified_copy(conn, &dest).map(|_| ())
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

/// The copy behind every backup: `VACUUM INTO` a temporary file beside
/// `dest`, check it, flush it, rename it to `dest`.
fn write_verified_copy(conn: &Connection, dest: &Path) -> Result<BackupSummary> {
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
    conn.execute("VACUUM INTO ?1", [temporary_text])
        .map_err(|error| match Error::from(error) {
            Error::Storage(error) => file_error(saving(), std::io::Error::other(error)),
            other => other,
        })?;
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

/// The tables that hold Careledger's data: every table but SQLite's own.
/// (Migrations keep their place in `user_version`, not in a table.)
fn data_tables(conn: &Connection) -> Result<Vec<String>> {
    let mut statement = conn.prepare(
        "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'
         ORDER BY name",
    )?;
    let names = statement
        .query_map([], |row| row.get(0))?
        .collect::<rusqlite::Result<Vec<String>>>()?;
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

    fn evidence_file_names(&self) -> Result<HashMap<i64, String>> {
        // The name each file was first added under: the one a person would
        // recognise. Later uses of the same file may have other names.
        // Newest first, so the first-added one is the last one collected.
        let mut statement = self.conn.prepare(
            "SELECT attachment_id, file_name FROM spending_evidence ORDER BY rowid DESC",
        )?;
        let names = statement
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
            .collect::<rusqlite::Result<HashMap<i64, String>>>()?;
        Ok(names)
    }
}

/// Writes an export's rows into a new database, refusing any table or
/// column the schema does not have.
struct Writer<'a> {
    conn: &'a Connection,
    archive: &'a str,
    columns: BTreeMap<String, BTreeSet<String>>,
}

impl<'a> Writer<'a> {
    fn new(conn: &'a Connection, archive: &'a str) -> Result<Writer<'a>> {
        let mut columns = BTreeMap::new();
        for table in data_tables(conn)? {
            let names = columns_of(conn, &table)?
                .into_iter()
                .map(|(name, _)| name)
                .collect();
            columns.insert(table, names);
        }
        Ok(Writer {
            conn,
            archive,
            columns,
        })
    }

    fn damaged(&self, detail: String) -> Error {
        Error::DamagedExport {
            path: self.archive.to_owned(),
            detail,
        }
    }
}

impl TableWriter for Writer<'_> {
    fn tables(&self) -> BTreeSet<String> {
        self.columns.keys().cloned().collect()
    }

    fn insert(&mut self, table: &str, row: Vec<(String, Value)>) -> Result<()> {
        let Some(known) = self.columns.get(table) else {
            return Err(self.damaged(format!("there is no table called {table}")));
        };
        if let Some((unknown, _)) = row.iter().find(|(column, _)| !known.contains(column)) {
            return Err(self.damaged(format!("{table} has no column called {unknown}")));
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
            .map(|_| ())
            .map_err(|error| match error.sqlite_error_code() {
                // The row breaks a rule of the schema: the export was
                // changed, or was never Careledger's.
                Some(
                    ErrorCode::ConstraintViolation | ErrorCode::TypeMismatch | ErrorCode::TooBig,
                ) => self.damaged(format!("a row of {table} breaks a rule: {error}")),
                _ => Error::from(error),
            })
    }
}
