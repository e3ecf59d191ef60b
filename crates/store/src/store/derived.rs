//! Data derived from the ledger, so that no screen adds up or searches
//! every payment (migration 0008): each day's totals of live payments,
//! whole (`ledger_day`) and line by line (`ledger_day_line`), and the
//! trigram index of payments' words (`spending_words`).
//!
//! Triggers keep them up to date in the transaction of every write to the
//! ledger. They hold nothing the ledger does not: an export leaves them
//! out, and a database built from one rebuilds them here.

use rusqlite::Connection;

use super::Store;
use crate::error::Result;

/// The tables that hold only what the ledger gives, by name. The full-text
/// index and the tables SQLite keeps for it are virtual and shadow tables,
/// which are left out of the data by their kind.
pub(super) const DERIVED_TABLES: &[&str] = &["ledger_day", "ledger_day_line"];

/// Each day's live payments added up, worked out afresh from the ledger:
/// what `ledger_day` holds.
const LEDGER_DAYS: &str =
    "SELECT plan_id, paid_on, count(*), sum(amount_pence), sum(no_evidence_reason = ''),
            sum(iif(no_evidence_reason = '', amount_pence, 0))
     FROM spending WHERE superseded_by IS NULL AND voided_at IS NULL
     GROUP BY plan_id, paid_on";

/// Each day's live parts on each line, worked out afresh from the ledger:
/// what `ledger_day_line` holds.
const LEDGER_DAY_LINES: &str =
    "SELECT s.plan_id, ss.line_key, s.paid_on, count(*), sum(ss.amount_pence)
     FROM spending_split ss JOIN spending s ON s.id = ss.spending_id
     WHERE s.superseded_by IS NULL AND s.voided_at IS NULL
     GROUP BY s.plan_id, ss.line_key, s.paid_on";

/// Rebuilds every derived table from the ledger, whatever it held.
pub(super) fn rebuild_derived(conn: &Connection) -> Result<()> {
    conn.execute_batch(&format!(
        "DELETE FROM ledger_day;
         INSERT INTO ledger_day (plan_id, paid_on, payments, amount_pence, unexplained, unexplained_pence)
         {LEDGER_DAYS};
         DELETE FROM ledger_day_line;
         INSERT INTO ledger_day_line (plan_id, line_key, paid_on, payments, amount_pence)
         {LEDGER_DAY_LINES};
         INSERT INTO spending_words (spending_words) VALUES ('rebuild');"
    ))?;
    Ok(())
}

/// Empties every derived table: for a backup's copy, which leaves out
/// what the ledger gives (see [`rebuild_derived_if_missing`]), so the many
/// backups kept take less room.
pub(super) fn clear_derived(conn: &Connection) -> Result<()> {
    conn.execute_batch(
        "DELETE FROM ledger_day;
         DELETE FROM ledger_day_line;
         INSERT INTO spending_words (spending_words) VALUES ('delete-all');",
    )?;
    Ok(())
}

/// Rebuilds the derived data when it is missing: a data file put back from
/// a backup, which leaves it out. Live payments with no daily totals can
/// mean nothing else: every write adds both, in one transaction.
pub(super) fn rebuild_derived_if_missing(conn: &Connection) -> Result<()> {
    let missing: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM spending WHERE superseded_by IS NULL AND voided_at IS NULL)
            AND NOT EXISTS (SELECT 1 FROM ledger_day)",
        [],
        |row| row.get(0),
    )?;
    if missing {
        conn.execute_batch("BEGIN")?;
        match rebuild_derived(conn) {
            Ok(()) => conn.execute_batch("COMMIT")?,
            Err(error) => {
                let _ = conn.execute_batch("ROLLBACK");
                return Err(error);
            }
        }
    }
    Ok(())
}

impl Store {
    /// Whether the data derived from the ledger is exactly what the ledger
    /// gives now: the daily totals row for row, and the word index entry
    /// for entry. The triggers keep it so; the tests check that they do.
    pub fn derived_data_agrees(&self) -> Result<bool> {
        let same = |kept: &str, fresh: &str| -> Result<bool> {
            Ok(self.conn.query_row(
                &format!(
                    "SELECT NOT EXISTS ({kept} EXCEPT {fresh}) AND NOT EXISTS ({fresh} EXCEPT {kept})"
                ),
                [],
                |row| row.get(0),
            )?)
        };
        let days = same(
            "SELECT plan_id, paid_on, payments, amount_pence, unexplained, unexplained_pence FROM ledger_day",
            LEDGER_DAYS,
        )?;
        let lines = same(
            "SELECT plan_id, line_key, paid_on, payments, amount_pence FROM ledger_day_line",
            LEDGER_DAY_LINES,
        )?;
        // FTS5's own check, against the payments it indexes (rank 1): an
        // error means the index and the ledger differ.
        let words = self
            .conn
            .execute(
                "INSERT INTO spending_words (spending_words, rank) VALUES ('integrity-check', 1)",
                [],
            )
            .is_ok();
        Ok(days && lines && words)
    }
}
