//! Storage: one SQLite file per installation.
//!
//! All SQL lives in this module. The database runs in WAL mode with foreign
//! keys on and `synchronous = FULL`, so a write that returned `Ok` survives a
//! crash or power cut. Every write is one savepoint: a transaction of its
//! own, or part of an enclosing [`Store::atomically`].

use std::path::Path;

use chrono::{SecondsFormat, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row};
use rusqlite_migration::{Migrations, M};

mod account;
mod backup;
mod derived;
mod files;
pub use account::LearntFromFile;
pub use backup::{BackupFiles, BackupSummary};
pub use backup::{RowVisitor, SnapshotReader, TableWriter};
mod ledger;
mod plans;
mod recurring;

pub use crate::ledger::due_payments;

pub use plans::MAX_REASON_CHARS;

use crate::dashboard::DEFAULT_SURPLUS_WEEKS;
use crate::error::{Error, Result};
use crate::files::EvidenceFiles;
use crate::forms::CheckedHolder;
use crate::model::{Holder, HolderId, Person, PersonId};
use crate::plan::{ActingPerson, ActingRole};

/// Marks a SQLite file as Careledger's ("CLDG"), so that another program's
/// database is refused rather than written into.
const APPLICATION_ID: i32 = 0x434C_4447;

/// The schema, one step per release that changed it. Append only: a
/// released step is never edited.
fn migration_steps(files: Option<EvidenceFiles>) -> Vec<M<'static>> {
    vec![
        M::up(include_str!("../migrations/0001_initial.sql")),
        M::up(include_str!("../migrations/0002_full_plan.sql")),
        M::up(include_str!("../migrations/0003_ledger.sql")),
        M::up(include_str!("../migrations/0004_recurring.sql")),
        M::up(include_str!("../migrations/0005_plan_as_written.sql")).foreign_key_check(),
        M::up(include_str!("../migrations/0006_account_lines.sql")),
        M::up(include_str!("../migrations/0007_account_checks.sql")),
        M::up(include_str!("../migrations/0008_large_ledger.sql")),
        M::up_with_hook(
            include_str!("../migrations/0009_evidence_files.sql"),
            move |tx: &rusqlite::Transaction| files_out_of_attachments(tx, files.as_ref()),
        ),
    ]
}

/// The steps as `Migrations`, to bring a file to a version. `files` is the
/// receipts folder beside the data file, if it has one (see
/// [`files_out_of_attachments`]).
fn migrations(files: Option<EvidenceFiles>) -> Migrations<'static> {
    Migrations::new(migration_steps(files))
}

/// The work of migration 9 that SQL cannot do: each evidence file and each
/// photo's thumbnail (named by its SHA-256, worked out here) goes to the
/// receipts folder `files`, or, with none, into `carried_file`; then the
/// columns that held them inside the attachment table go.
///
/// Files go straight to the folder, one at a time, rather than through
/// the database: a large file from before this version is updated in
/// about half the time. They are written before the update commits; if it
/// does not, they are only files named by their contents, found again
/// next time. A file whose contents do not match its SHA-256 (damaged) is
/// carried, never written under a name that is not its own.
fn files_out_of_attachments(
    tx: &rusqlite::Transaction,
    files: Option<&EvidenceFiles>,
) -> rusqlite_migration::HookResult {
    let ids: Vec<i64> = {
        let mut statement = tx.prepare("SELECT id FROM attachment ORDER BY id")?;
        let rows = statement
            .query_map([], |row| row.get(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows
    };
    let keep = |sha256: &str, bytes: &[u8]| -> rusqlite_migration::HookResult {
        match files.filter(|_| crate::evidence::sha256_hex(bytes) == sha256) {
            Some(files) => files.keep(sha256, bytes).map(|_| ()).map_err(|_| {
                rusqlite_migration::HookError::Hook(format!(
                    "the receipts could not be saved in {}. Check there is space on the disk \
                     and that the folder can be written to, then open Careledger again",
                    files.folder().display()
                ))
            }),
            None => tx
                .execute(
                    "INSERT INTO carried_file (sha256, content) VALUES (?1, ?2)
                     ON CONFLICT DO NOTHING",
                    params![sha256, bytes],
                )
                .map(|_| ())
                .map_err(Into::into),
        }
    };
    for id in ids {
        // One file in memory at a time.
        let (sha256, content, thumbnail): (String, Vec<u8>, Option<Vec<u8>>) = tx.query_row(
            "SELECT sha256, content, thumbnail FROM attachment WHERE id = ?1",
            [id],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
        )?;
        keep(&sha256, &content)?;
        let thumbnail_sha256 = match thumbnail {
            Some(thumbnail) => {
                let thumbnail_sha256 = crate::evidence::sha256_hex(&thumbnail);
                keep(&thumbnail_sha256, &thumbnail)?;
                Some(thumbnail_sha256)
            }
            None => None,
        };
        // Emptied here, while the row is at hand, so that dropping the
        // columns below rewrites small rows, not every file again.
        tx.execute(
            "UPDATE attachment SET thumbnail_sha256 = ?1, content = x'', thumbnail = NULL
             WHERE id = ?2",
            params![thumbnail_sha256, id],
        )?;
    }
    tx.execute_batch(
        "ALTER TABLE attachment DROP COLUMN content;
         ALTER TABLE attachment DROP COLUMN thumbnail;",
    )?;
    Ok(())
}

/// The newest schema version this build reads and writes: one for each
/// of [`migration_steps`] (a test checks they agree).
pub const SCHEMA_VERSION: usize = 9;

/// The data file's name inside the data folder.
pub const DATABASE_FILE_NAME: &str = "careledger.sqlite3";

/// An open Careledger database.
pub struct Store {
    conn: Connection,
    /// Plan histories read since the last change to any plan, so that a
    /// request (and the requests after it) reads each plan once. Used and
    /// filled only outside transactions, so nothing a rollback undoes is
    /// ever kept; emptied by every write to a plan.
    plan_cache: std::cell::RefCell<
        std::collections::HashMap<crate::model::PlanId, crate::plan::PlanHistory>,
    >,
    /// How many times a plan history was read from the database: for the
    /// tests and the bench, which check that requests read it once.
    plan_history_loads: std::cell::Cell<u64>,
    /// The receipts folder beside the data file, where evidence files are
    /// kept; `None` for a database in memory or a private copy of a
    /// backup, which keep theirs inside (`carried_file`).
    files: Option<EvidenceFiles>,
}

impl Store {
    /// Opens (creating if need be) the database at `path` and brings its
    /// schema up to date. A file from a newer app, or one that is not a
    /// Careledger database, is refused unchanged.
    pub fn open(path: &Path) -> Result<Store> {
        let not_a_database = || Error::NotADatabase {
            path: path.display().to_string(),
        };
        let conn =
            Connection::open(path).map_err(|error| classify_open_error(error, &not_a_database))?;
        // Before anything is written: SQLite gives its -wal and -shm files
        // the data file's permissions.
        crate::private::make_file_private(path);
        // Keep a copy of data from an older version before updating it.
        let mut store = backup::keep_copy_before_migration(&conn, path)
            .and_then(|()| Store::prepare(conn, Some(EvidenceFiles::beside(path))))
            .map_err(|error| match error {
                Error::Storage(inner) => classify_open_error(inner, &not_a_database),
                other => other,
            })?;
        // Files the data carries inside (all of them, the first time a file
        // from before version 9 opens; those of a restored backup saved by
        // hand) go out to the receipts folder, and a backup's derived data,
        // which backups leave out, is made again.
        // Best done now, but not a reason to keep the person from their
        // data: files not written out stay carried, are read from there,
        // and go out the next time it opens.
        let _ = store.write_out_carried_files();
        derived::rebuild_derived_if_missing(&store.conn)?;
        store.give_back_free_space()?;
        Ok(store)
    }

    /// The data file, for a store open on one (not one in memory).
    pub fn path(&self) -> Option<std::path::PathBuf> {
        self.conn
            .path()
            .filter(|path| !path.is_empty())
            .map(std::path::PathBuf::from)
    }

    /// How many rows this store has changed since it was opened: the app
    /// compares it with the count at its last backup to know whether a new
    /// one is worth making.
    pub fn changes_made(&self) -> u64 {
        self.conn.total_changes()
    }

    /// A fresh database in memory, for tests and previews.
    pub fn open_in_memory() -> Result<Store> {
        Store::prepare(Connection::open_in_memory()?, None)
    }

    /// Checks and brings up to date the database on `conn`, whose evidence
    /// files are kept in `files` (`None`: inside it, in `carried_file`).
    fn prepare(mut conn: Connection, files: Option<EvidenceFiles>) -> Result<Store> {
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        // Reading the header first: a file that is not SQLite fails here,
        // before anything is written to it.
        let application_id: i32 = conn.query_row("PRAGMA application_id", [], |row| row.get(0))?;
        let found_version: i64 = conn.query_row("PRAGMA user_version", [], |row| row.get(0))?;
        let has_tables: bool = conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM sqlite_schema WHERE type = 'table')",
            [],
            |row| row.get(0),
        )?;
        let is_new = application_id == 0 && found_version == 0 && !has_tables;
        if application_id != APPLICATION_ID && !is_new {
            return Err(Error::NotADatabase {
                path: conn.path().unwrap_or("the data file").to_owned(),
            });
        }
        if usize::try_from(found_version).map_or(true, |found| found > SCHEMA_VERSION) {
            return Err(Error::NewerDatabase {
                found: found_version,
                supported: SCHEMA_VERSION,
            });
        }
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", true)?;
        // Up to 32 MiB of pages kept in memory (SQLite's default is 2 MiB):
        // a large ledger's indexes stay read, so a search or a page of the
        // list does not read them from the file again. Taken only as used.
        conn.pragma_update(None, "cache_size", -32_768)?;
        // A write with triggers (every payment: migration 0008) keeps a
        // journal of that one statement, to undo it alone on error: in
        // memory rather than a temporary file, which made saves slower.
        conn.pragma_update(None, "temp_store", "MEMORY")?;
        migrations(files.clone()).to_latest(&mut conn)?;
        if is_new {
            conn.pragma_update(None, "application_id", APPLICATION_ID)?;
        }
        Ok(Store {
            conn,
            plan_cache: Default::default(),
            plan_history_loads: Default::default(),
            files,
        })
    }

    /// Runs `work` so that all of its writes land together or not at all.
    ///
    /// Every write method saves through a SQLite savepoint, which nests, so
    /// the writes `work` makes join this one transaction.
    pub fn atomically<T>(&mut self, work: impl FnOnce(&mut Store) -> Result<T>) -> Result<T> {
        self.conn.execute_batch("SAVEPOINT atomically")?;
        match work(self) {
            Ok(value) => match self.conn.execute_batch("RELEASE atomically") {
                Ok(()) => Ok(value),
                Err(error) => {
                    let _ = self
                        .conn
                        .execute_batch("ROLLBACK TO atomically; RELEASE atomically");
                    Err(error.into())
                }
            },
            Err(error) => {
                // Undo, then end the savepoint; the first error is the one to report.
                let _ = self
                    .conn
                    .execute_batch("ROLLBACK TO atomically; RELEASE atomically");
                self.forget_plans();
                Err(error)
            }
        }
    }

    /// Empties the plan cache: after any write to a plan, and any rollback.
    pub fn forget_plans(&self) {
        self.plan_cache.borrow_mut().clear();
    }

    /// How many times this store has read a plan history from the
    /// database since it was opened.
    pub fn plan_history_loads(&self) -> u64 {
        self.plan_history_loads.get()
    }

    /// Rolls back a transaction left open by work that never finished (a
    /// panic part-way through), so later writes are not held inside it and
    /// lost. Returns whether there was one.
    pub fn end_unfinished_transaction(&mut self) -> bool {
        if self.conn.is_autocommit() {
            return false;
        }
        let _ = self.conn.execute_batch("ROLLBACK");
        self.forget_plans();
        true
    }

    /// The schema version of the open database.
    pub fn schema_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("PRAGMA user_version", [], |row| row.get(0))?)
    }

    /// Every holder, by name.
    pub fn holders(&self) -> Result<Vec<Holder>> {
        let mut statement = self.conn.prepare(&format!(
            "{HOLDER_COLUMNS} ORDER BY name COLLATE NOCASE, id"
        ))?;
        let holders = statement
            .query_map([], holder_from_row)?
            .collect::<Result<_, _>>()?;
        Ok(holders)
    }

    /// One holder.
    pub fn holder(&self, id: HolderId) -> Result<Holder> {
        self.conn
            .query_row(
                &format!("{HOLDER_COLUMNS} WHERE id = ?1"),
                [id.0],
                holder_from_row,
            )
            .optional()?
            .ok_or(Error::NotFound { what: "person" })
    }

    /// The holder with this name (ignoring case and surrounding spaces).
    pub fn holder_named(&self, name: &str) -> Result<Holder> {
        let wanted = name.trim();
        self.holders()?
            .into_iter()
            .find(|holder| holder.name.to_lowercase() == wanted.to_lowercase())
            .ok_or_else(|| {
                let names: Vec<String> = self.holders().unwrap_or_default().into_iter().map(|h| h.name).collect();
                Error::invalid(
                    "holder",
                    if names.is_empty() {
                        format!("There is no one called {wanted}: no budget holders have been added yet.")
                    } else {
                        format!("There is no one called {wanted}. The budget holders are: {}.", names.join(", "))
                    },
                )
            })
    }

    /// Adds a budget holder, and records how the person adding them acts
    /// for them. Refuses a name already in use (ignoring case), which is
    /// almost always the same person added twice.
    pub fn insert_holder(
        &mut self,
        checked: &CheckedHolder,
        acting_person: PersonId,
        acting_role: ActingRole,
    ) -> Result<Holder> {
        let tx = self.conn.savepoint()?;
        require_person(&tx, acting_person, "actingPerson")?;
        let taken: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM holder WHERE name = ?1 COLLATE NOCASE)",
            [&checked.name],
            |row| row.get(0),
        )?;
        if taken {
            return Err(Error::invalid(
                "name",
                format!(
                    "There is already a person called {}. Choose them from the list, or add a \
                     surname or initial to tell them apart.",
                    checked.name
                ),
            ));
        }
        let now = now_utc();
        tx.execute(
            "INSERT INTO holder (name, date_of_birth, nhs_number, created_at) VALUES (?1, ?2, ?3, ?4)",
            params![checked.name, checked.date_of_birth, checked.nhs_number, now],
        )?;
        let id = HolderId(tx.last_insert_rowid());
        tx.execute(
            "INSERT INTO acting_for (person_id, holder_id, role, since) VALUES (?1, ?2, ?3, ?4)",
            params![acting_person.0, id.0, acting_role, now],
        )?;
        tx.commit()?;
        Ok(Holder {
            id,
            name: checked.name.clone(),
            date_of_birth: checked.date_of_birth,
            nhs_number: checked.nhs_number.clone(),
        })
    }

    /// Everyone who uses the app, by name.
    pub fn people(&self) -> Result<Vec<Person>> {
        let mut statement = self
            .conn
            .prepare("SELECT id, name FROM person ORDER BY name COLLATE NOCASE, id")?;
        let people = statement
            .query_map([], |row| {
                Ok(Person {
                    id: PersonId(row.get(0)?),
                    name: row.get(1)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        Ok(people)
    }

    /// Adds someone who uses the app. A name already in use is refused.
    pub fn insert_person(&mut self, name: &str) -> Result<Person> {
        let name = name.to_owned();
        let tx = self.conn.savepoint()?;
        let taken: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM person WHERE name = ?1 COLLATE NOCASE)",
            [&name],
            |row| row.get(0),
        )?;
        if taken {
            return Err(Error::invalid(
                "name",
                format!("{name} is already in the list. Choose them there."),
            ));
        }
        tx.execute(
            "INSERT INTO person (name, created_at) VALUES (?1, ?2)",
            params![name, now_utc()],
        )?;
        let id = PersonId(tx.last_insert_rowid());
        tx.commit()?;
        Ok(Person { id, name })
    }

    /// The people who act for `holder`, and how.
    pub fn acting_for(&self, holder: HolderId) -> Result<Vec<ActingPerson>> {
        let mut statement = self.conn.prepare(
            "SELECT p.id, p.name, a.role FROM acting_for a JOIN person p ON p.id = a.person_id
             WHERE a.holder_id = ?1 ORDER BY a.since, p.name",
        )?;
        let acting = statement
            .query_map([holder.0], |row| {
                Ok(ActingPerson {
                    person_id: PersonId(row.get(0)?),
                    name: row.get(1)?,
                    role: row.get(2)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        Ok(acting)
    }

    /// Records that `person` acts for `holder` in `role` (replacing any
    /// role they had for them).
    pub fn add_acting(
        &mut self,
        holder: HolderId,
        person: PersonId,
        role: ActingRole,
    ) -> Result<()> {
        let tx = self.conn.savepoint()?;
        require_holder(&tx, holder)?;
        require_person(&tx, person, "actingPerson")?;
        tx.execute(
            "INSERT INTO acting_for (person_id, holder_id, role, since) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (person_id, holder_id) DO UPDATE SET role = excluded.role",
            params![person.0, holder.0, role, now_utc()],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// How many weeks of funding in hand count as a surplus for `holder`.
    pub fn surplus_limit_weeks(&self, holder: HolderId) -> Result<u32> {
        Ok(self
            .conn
            .query_row(
                "SELECT surplus_limit_weeks FROM holder_setting WHERE holder_id = ?1",
                [holder.0],
                |row| row.get(0),
            )
            .optional()?
            .unwrap_or(DEFAULT_SURPLUS_WEEKS))
    }

    /// Sets the surplus limit for `holder`: whole weeks, checked
    /// ([`crate::forms::check_surplus_limit_weeks`]).
    pub fn put_surplus_limit_weeks(&mut self, holder: HolderId, weeks: u32) -> Result<u32> {
        let tx = self.conn.savepoint()?;
        require_holder(&tx, holder)?;
        tx.execute(
            "INSERT INTO holder_setting (holder_id, surplus_limit_weeks) VALUES (?1, ?2)
             ON CONFLICT (holder_id) DO UPDATE SET surplus_limit_weeks = excluded.surplus_limit_weeks",
            params![holder.0, weeks],
        )?;
        tx.commit()?;
        Ok(weeks)
    }
}

/// Fails with "not found" unless `holder` exists.
pub fn require_holder(conn: &Connection, holder: HolderId) -> Result<()> {
    let exists: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM holder WHERE id = ?1)",
        [holder.0],
        |row| row.get(0),
    )?;
    if exists {
        Ok(())
    } else {
        Err(Error::NotFound { what: "person" })
    }
}

/// The name of `person`, or an error on `field` asking who is using the app.
pub fn require_person(conn: &Connection, person: PersonId, field: &str) -> Result<String> {
    conn.query_row("SELECT name FROM person WHERE id = ?1", [person.0], |row| {
        row.get(0)
    })
    .optional()?
    .ok_or_else(|| {
        Error::invalid(
            field,
            "Choose who is using Careledger, at the top of the screen, and try again.",
        )
    })
}

const HOLDER_COLUMNS: &str = "SELECT id, name, date_of_birth, nhs_number FROM holder";

fn holder_from_row(row: &Row<'_>) -> rusqlite::Result<Holder> {
    Ok(Holder {
        id: HolderId(row.get(0)?),
        name: row.get(1)?,
        date_of_birth: row.get(2)?,
        nhs_number: row.get(3)?,
    })
}

pub fn now_utc() -> String {
    Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// SQLite says "not a database" for a file that is not SQLite at all; turn
/// that into the plain-English error that names the path.
fn classify_open_error(error: rusqlite::Error, not_a_database: &dyn Fn() -> Error) -> Error {
    match error.sqlite_error_code() {
        Some(rusqlite::ffi::ErrorCode::NotADatabase) => not_a_database(),
        _ => Error::from(error),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_schema_version_counts_the_steps() {
        assert_eq!(SCHEMA_VERSION, migration_steps(None).len());
    }
}
