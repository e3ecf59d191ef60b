//! Storage: one SQLite file per installation.
//!
//! All SQL lives in this module. The database runs in WAL mode with foreign
//! keys on and `synchronous = FULL`, so a write that returned `Ok` survives a
//! crash or power cut; every write is one transaction.

use std::path::Path;

use chrono::{NaiveDate, SecondsFormat, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row};
use rusqlite_migration::{Migrations, M};

use crate::error::{Error, Result};
use crate::model::{
    Holder, HolderId, HolderOverview, NewHolder, NewPlan, NewSpending, Plan, PlanId, SpendingEntry,
    SpendingId,
};
use crate::money::Money;
use crate::summary::summarise;

/// Marks a SQLite file as Careledger's ("CLDG"), so that another program's
/// database is refused rather than written into.
const APPLICATION_ID: i32 = 0x434C_4447;

/// The schema, one step per release that changed it. Append only: a
/// released step is never edited.
const MIGRATION_STEPS: &[M<'static>] = &[M::up(include_str!("migrations/0001_initial.sql"))];

/// The newest schema version this build reads and writes.
pub const SCHEMA_VERSION: usize = MIGRATION_STEPS.len();

/// The data file's name inside the data folder.
pub const DATABASE_FILE_NAME: &str = "careledger.sqlite3";

/// An open Careledger database.
pub struct Store {
    conn: Connection,
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
        Store::prepare(conn).map_err(|error| match error {
            Error::Storage(inner) => classify_open_error(inner, &not_a_database),
            other => other,
        })
    }

    /// A fresh database in memory, for tests and previews.
    pub fn open_in_memory() -> Result<Store> {
        Store::prepare(Connection::open_in_memory()?)
    }

    fn prepare(mut conn: Connection) -> Result<Store> {
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
        Migrations::from_slice(MIGRATION_STEPS).to_latest(&mut conn)?;
        if is_new {
            conn.pragma_update(None, "application_id", APPLICATION_ID)?;
        }
        Ok(Store { conn })
    }

    /// The schema version of the open database.
    pub fn schema_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("PRAGMA user_version", [], |row| row.get(0))?)
    }

    /// Every holder, by name.
    pub fn holders(&self) -> Result<Vec<Holder>> {
        let mut statement = self
            .conn
            .prepare("SELECT id, name FROM holder ORDER BY name COLLATE NOCASE, id")?;
        let holders = statement
            .query_map([], holder_from_row)?
            .collect::<Result<_, _>>()?;
        Ok(holders)
    }

    /// One holder.
    pub fn holder(&self, id: HolderId) -> Result<Holder> {
        self.conn
            .query_row(
                "SELECT id, name FROM holder WHERE id = ?1",
                [id.0],
                holder_from_row,
            )
            .optional()?
            .ok_or(Error::NotFound { what: "person" })
    }

    /// Adds a budget holder. Refuses a name already in use (ignoring case),
    /// which is almost always the same person added twice.
    pub fn add_holder(&mut self, form: &NewHolder) -> Result<Holder> {
        let checked = form.check()?;
        let tx = self.conn.transaction()?;
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
        tx.execute(
            "INSERT INTO holder (name, created_at) VALUES (?1, ?2)",
            params![checked.name, now_utc()],
        )?;
        let id = HolderId(tx.last_insert_rowid());
        tx.commit()?;
        Ok(Holder {
            id,
            name: checked.name,
        })
    }

    /// The holder's plan, if one has been set up.
    pub fn plan_of(&self, holder: HolderId) -> Result<Option<Plan>> {
        Ok(self
            .conn
            .query_row(
                &format!("{PLAN_COLUMNS} WHERE holder_id = ?1 ORDER BY id LIMIT 1"),
                [holder.0],
                plan_from_row,
            )
            .optional()?)
    }

    /// One plan.
    pub fn plan(&self, id: PlanId) -> Result<Plan> {
        self.conn
            .query_row(
                &format!("{PLAN_COLUMNS} WHERE id = ?1"),
                [id.0],
                plan_from_row,
            )
            .optional()?
            .ok_or(Error::NotFound { what: "plan" })
    }

    /// Sets up the holder's plan. A holder has one plan for now; changing
    /// it at review will make a new version rather than a second plan.
    pub fn add_plan(&mut self, holder: HolderId, form: &NewPlan) -> Result<Plan> {
        let checked = form.check()?;
        let tx = self.conn.transaction()?;
        let holder_exists: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM holder WHERE id = ?1)",
            [holder.0],
            |row| row.get(0),
        )?;
        if !holder_exists {
            return Err(Error::NotFound { what: "person" });
        }
        let has_plan: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM plan WHERE holder_id = ?1)",
            [holder.0],
            |row| row.get(0),
        )?;
        if has_plan {
            return Err(Error::invalid("name", "This person already has a plan."));
        }
        tx.execute(
            "INSERT INTO plan (holder_id, name, start_date, end_date, total_budget_pence, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                holder.0,
                checked.name,
                checked.start_date,
                checked.end_date,
                checked.total_budget.pence(),
                now_utc()
            ],
        )?;
        let id = PlanId(tx.last_insert_rowid());
        tx.commit()?;
        Ok(Plan {
            id,
            holder_id: holder,
            name: checked.name,
            start_date: checked.start_date,
            end_date: checked.end_date,
            total_budget: checked.total_budget,
        })
    }

    /// Records money spent against `plan`. `today` bounds the date: a
    /// payment cannot be recorded before it is made.
    pub fn add_spending(
        &mut self,
        plan: PlanId,
        form: &NewSpending,
        today: NaiveDate,
    ) -> Result<SpendingEntry> {
        let plan = self.plan(plan)?;
        let checked = form.check(&plan, today)?;
        let recorded_at = now_utc();
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO spending (plan_id, paid_on, payee, amount_pence, note, recorded_by, recorded_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                plan.id.0,
                checked.paid_on,
                checked.payee,
                checked.amount.pence(),
                checked.note,
                checked.recorded_by,
                recorded_at
            ],
        )?;
        let id = SpendingId(tx.last_insert_rowid());
        tx.commit()?;
        Ok(SpendingEntry {
            id,
            plan_id: plan.id,
            paid_on: checked.paid_on,
            payee: checked.payee,
            amount: checked.amount,
            note: checked.note,
            recorded_by: checked.recorded_by,
            recorded_at,
        })
    }

    /// Money spent against `plan`, newest first.
    pub fn spending(&self, plan: PlanId) -> Result<Vec<SpendingEntry>> {
        let mut statement = self.conn.prepare(
            "SELECT id, plan_id, paid_on, payee, amount_pence, note, recorded_by, recorded_at
             FROM spending WHERE plan_id = ?1 ORDER BY paid_on DESC, id DESC",
        )?;
        let entries = statement
            .query_map([plan.0], spending_from_row)?
            .collect::<Result<_, _>>()?;
        Ok(entries)
    }

    /// Everything the main screen shows for `holder`, with figures as of `today`.
    pub fn overview(&self, holder: HolderId, today: NaiveDate) -> Result<HolderOverview> {
        let holder = self.holder(holder)?;
        let plan = self.plan_of(holder.id)?;
        let (summary, spending) = match &plan {
            Some(plan) => {
                let spending = self.spending(plan.id)?;
                (Some(summarise(plan, &spending, today)?), spending)
            }
            None => (None, Vec::new()),
        };
        Ok(HolderOverview {
            holder,
            plan,
            summary,
            spending,
        })
    }
}

const PLAN_COLUMNS: &str =
    "SELECT id, holder_id, name, start_date, end_date, total_budget_pence FROM plan";

fn holder_from_row(row: &Row<'_>) -> rusqlite::Result<Holder> {
    Ok(Holder {
        id: HolderId(row.get(0)?),
        name: row.get(1)?,
    })
}

fn plan_from_row(row: &Row<'_>) -> rusqlite::Result<Plan> {
    Ok(Plan {
        id: PlanId(row.get(0)?),
        holder_id: HolderId(row.get(1)?),
        name: row.get(2)?,
        start_date: row.get(3)?,
        end_date: row.get(4)?,
        total_budget: Money::from_pence(row.get(5)?),
    })
}

fn spending_from_row(row: &Row<'_>) -> rusqlite::Result<SpendingEntry> {
    Ok(SpendingEntry {
        id: SpendingId(row.get(0)?),
        plan_id: PlanId(row.get(1)?),
        paid_on: row.get(2)?,
        payee: row.get(3)?,
        amount: Money::from_pence(row.get(4)?),
        note: row.get(5)?,
        recorded_by: row.get(6)?,
        recorded_at: row.get(7)?,
    })
}

fn now_utc() -> String {
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
