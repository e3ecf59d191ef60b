//! The account's statement lines, and the rules learnt for their payees.

use std::collections::HashSet;

use rusqlite::{params, OptionalExtension};

use super::{now_utc, require_person, Store};
use crate::account::{KeptAccountLine, NewAccountLine, PairedWith};
use crate::error::{Error, Result};
use crate::ledger::EntryKey;
use crate::ledger::LineKey;
use crate::model::{PersonId, PlanId};
use crate::money::Money;

impl Store {
    /// Keeps the lines of one statement file, all of them or none. A line
    /// kept before (the same fingerprint) is left as it is: importing the
    /// same file again, or one that overlaps it, adds only what is new.
    /// Returns how many lines were new.
    pub fn keep_account_lines(
        &mut self,
        plan: PlanId,
        lines: &[NewAccountLine],
        file_name: &str,
        person: PersonId,
    ) -> Result<usize> {
        let tx = self.conn.savepoint()?;
        let by = require_person(&tx, person, "recordedBy")?;
        let at = now_utc();
        let mut added = 0;
        {
            let mut insert = tx.prepare(
                "INSERT INTO account_line (plan_id, fingerprint, on_date, description, amount_pence,
                                           balance_pence, payment_key, money_in_id, file_name,
                                           imported_at, imported_by)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
                 ON CONFLICT (plan_id, fingerprint) DO NOTHING",
            )?;
            for line in lines {
                if line.amount == Money::ZERO {
                    return Err(Error::invalid("file", "A line of no money cannot be kept."));
                }
                let (payment, money_in) = match line.paired_with {
                    Some(PairedWith::Payment { entry_key }) => (Some(entry_key.0), None),
                    Some(PairedWith::MoneyIn { entry_key }) => (None, Some(entry_key.0)),
                    None => (None, None),
                };
                added += insert.execute(params![
                    plan.0,
                    line.fingerprint,
                    line.date,
                    line.description,
                    line.amount.pence(),
                    line.balance.map(Money::pence),
                    payment,
                    money_in,
                    file_name,
                    at,
                    by
                ])?;
            }
        }
        tx.commit()?;
        Ok(added)
    }

    /// Every statement line kept for a plan, oldest first.
    pub fn account_lines(&self, plan: PlanId) -> Result<Vec<KeptAccountLine>> {
        let mut statement = self.conn.prepare(
            "SELECT fingerprint, on_date, description, amount_pence, balance_pence, payment_key,
                    money_in_id, file_name, imported_by
             FROM account_line WHERE plan_id = ?1 ORDER BY on_date, id",
        )?;
        let lines = statement
            .query_map([plan.0], |row| {
                let payment: Option<i64> = row.get(5)?;
                let money_in: Option<i64> = row.get(6)?;
                Ok(KeptAccountLine {
                    fingerprint: row.get(0)?,
                    date: row.get(1)?,
                    description: row.get(2)?,
                    amount: Money::from_pence(row.get(3)?),
                    balance: row.get::<_, Option<i64>>(4)?.map(Money::from_pence),
                    paired_with: match (payment, money_in) {
                        (Some(key), _) => Some(PairedWith::Payment {
                            entry_key: EntryKey(key),
                        }),
                        (None, Some(key)) => Some(PairedWith::MoneyIn {
                            entry_key: EntryKey(key),
                        }),
                        (None, None) => None,
                    },
                    file_name: row.get(7)?,
                    imported_by: row.get(8)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(lines)
    }

    /// The fingerprints of every line kept for a plan, and the records
    /// already paired with one: what a new file is matched against.
    pub fn account_line_marks(
        &self,
        plan: PlanId,
    ) -> Result<(HashSet<String>, HashSet<PairedWith>)> {
        let mut prints = HashSet::new();
        let mut paired = HashSet::new();
        for line in self.account_lines(plan)? {
            paired.extend(line.paired_with);
            prints.insert(line.fingerprint);
        }
        Ok((prints, paired))
    }

    /// Learns "payee `words` is line `line`" for a plan, replacing what was
    /// learnt for those words before.
    pub fn learn_payee_rule(&mut self, plan: PlanId, words: &str, line: LineKey) -> Result<()> {
        if words.trim().is_empty() || words.chars().count() > 200 {
            return Err(Error::invalid(
                "words",
                "A payee rule needs the payee's words, at most 200 characters.",
            ));
        }
        self.conn.execute(
            "INSERT INTO payee_rule (plan_id, words, line_key) VALUES (?1, ?2, ?3)
             ON CONFLICT (plan_id, words) DO UPDATE SET line_key = excluded.line_key",
            params![plan.0, words.trim(), line.0],
        )?;
        Ok(())
    }

    /// The payee rules learnt for a plan: (words, line), in words order.
    pub fn payee_rules(&self, plan: PlanId) -> Result<Vec<(String, LineKey)>> {
        let mut statement = self
            .conn
            .prepare("SELECT words, line_key FROM payee_rule WHERE plan_id = ?1 ORDER BY words")?;
        let rules = statement
            .query_map([plan.0], |row| Ok((row.get(0)?, LineKey(row.get(1)?))))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rules)
    }

    /// The line a payee rule gives the words, if one was learnt.
    pub fn payee_rule(&self, plan: PlanId, words: &str) -> Result<Option<LineKey>> {
        Ok(self
            .conn
            .query_row(
                "SELECT line_key FROM payee_rule WHERE plan_id = ?1 AND words = ?2",
                params![plan.0, words],
                |row| row.get(0).map(LineKey),
            )
            .optional()?)
    }
}
