//! The account's statement lines, and the rules learnt for their payees.

use std::collections::HashSet;

use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension};

use super::ledger::{index_words_since, insert_money_in, insert_payment};
use super::{now_utc, require_person, Store};
use crate::account::{AccountCheck, KeptAccountLine, NewAccountLine, NewRecord, PairedWith};
use crate::error::{Error, Result};
use crate::ledger::EntryKey;
use crate::ledger::LineKey;
use crate::model::{PersonId, PlanId};
use crate::money::Money;

/// What else is kept with a statement file's lines, in the same
/// transaction: what was learnt from the person's choices.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LearntFromFile {
    /// "Payee words are this line", from the lines given a budget line.
    pub payee_rules: Vec<(String, LineKey)>,
    /// The file's layout as the person confirmed it, for the holder's next
    /// file (as the importer writes it).
    pub layout: Option<String>,
}

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
        self.import_account_lines(plan, lines, &LearntFromFile::default(), file_name, person)
    }

    /// Keeps the lines of one statement file as [`Store::keep_account_lines`]
    /// does, and in the same transaction makes the records the person asked
    /// for (each paired with its line), learns the payee rules and keeps
    /// the layout. A line kept before makes nothing. Returns how many lines
    /// were new.
    pub fn import_account_lines(
        &mut self,
        plan: PlanId,
        lines: &[NewAccountLine],
        learnt: &LearntFromFile,
        file_name: &str,
        person: PersonId,
    ) -> Result<usize> {
        let tx = self.conn.savepoint()?;
        let by = require_person(&tx, person, "recordedBy")?;
        let at = now_utc();
        let mut added = 0;
        let mut first_payment = None;
        {
            let mut known =
                tx.prepare("SELECT 1 FROM account_line WHERE plan_id = ?1 AND fingerprint = ?2")?;
            let mut insert = tx.prepare(
                "INSERT INTO account_line (plan_id, fingerprint, on_date, description, amount_pence,
                                           balance_pence, payment_key, money_in_id, file_name,
                                           imported_at, imported_by)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            )?;
            for line in lines {
                if line.amount == Money::ZERO {
                    return Err(Error::invalid("file", "A line of no money cannot be kept."));
                }
                if known.exists(params![plan.0, line.fingerprint])? {
                    continue;
                }
                let paired_with = match &line.makes {
                    None => line.paired_with,
                    Some(NewRecord::Payment(payment)) => {
                        let id = insert_payment(&tx, plan, None, payment, &by, person, "")?;
                        first_payment.get_or_insert(id);
                        Some(PairedWith::Payment {
                            entry_key: EntryKey(id),
                        })
                    }
                    Some(NewRecord::MoneyIn(money_in)) => Some(PairedWith::MoneyIn {
                        entry_key: EntryKey(insert_money_in(&tx, plan, money_in, &by, person)?),
                    }),
                };
                let (payment, money_in) = match paired_with {
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
        if let Some(first) = first_payment {
            index_words_since(&tx, first)?;
        }
        for (words, line) in &learnt.payee_rules {
            learn_payee_rule(&tx, plan, words, *line)?;
        }
        if let Some(layout) = &learnt.layout {
            tx.execute(
                "INSERT INTO statement_layout (holder_id, layout, saved_at)
                 SELECT holder_id, ?2, ?3 FROM plan WHERE id = ?1
                 ON CONFLICT (holder_id) DO UPDATE SET layout = excluded.layout,
                                                       saved_at = excluded.saved_at",
                params![plan.0, layout, at],
            )?;
        }
        tx.commit()?;
        Ok(added)
    }

    /// Records `record` from the statement line `fingerprint` of a plan,
    /// kept unrecorded at its import, and pairs the two; with the payee
    /// rule learnt, if any. All or nothing: a line already recorded (or not
    /// kept) is refused and nothing is written.
    pub fn record_account_line_as(
        &mut self,
        plan: PlanId,
        fingerprint: &str,
        record: &NewRecord,
        rule: Option<(&str, LineKey)>,
        person: PersonId,
    ) -> Result<()> {
        let tx = self.conn.savepoint()?;
        let by = require_person(&tx, person, "recordedBy")?;
        let (payment, money_in) = match record {
            NewRecord::Payment(payment) => {
                let id = insert_payment(&tx, plan, None, payment, &by, person, "")?;
                index_words_since(&tx, id)?;
                (Some(id), None)
            }
            NewRecord::MoneyIn(money_in) => (
                None,
                Some(insert_money_in(&tx, plan, money_in, &by, person)?),
            ),
        };
        let paired = tx.execute(
            "UPDATE account_line SET payment_key = ?3, money_in_id = ?4
             WHERE plan_id = ?1 AND fingerprint = ?2
               AND payment_key IS NULL AND money_in_id IS NULL",
            params![plan.0, fingerprint, payment, money_in],
        )?;
        if paired != 1 {
            return Err(Error::invalid(
                "file",
                "This line of the account's statement is already recorded, so nothing was changed.",
            ));
        }
        if let Some((words, line)) = rule {
            learn_payee_rule(&tx, plan, words, line)?;
        }
        tx.commit()?;
        Ok(())
    }

    /// The layout last confirmed for the statement files of the holder
    /// whose plan this is, as the importer wrote it.
    pub fn statement_layout(&self, plan: PlanId) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row(
                "SELECT s.layout FROM statement_layout s JOIN plan p ON p.holder_id = s.holder_id
                 WHERE p.id = ?1",
                [plan.0],
                |row| row.get(0),
            )
            .optional()?)
    }

    /// Keeps a check of the plan's records against the account's balance
    /// on a day, made by `person`; a later check of the same day replaces it.
    pub fn keep_account_check(
        &mut self,
        plan: PlanId,
        check: AccountCheck,
        person: PersonId,
    ) -> Result<()> {
        let tx = self.conn.savepoint()?;
        let by = require_person(&tx, person, "checkedBy")?;
        tx.execute(
            "INSERT INTO account_check (plan_id, on_date, balance_pence, checked_at, checked_by)
             VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (plan_id, on_date) DO UPDATE SET balance_pence = excluded.balance_pence,
                 checked_at = excluded.checked_at, checked_by = excluded.checked_by",
            params![plan.0, check.on, check.balance.pence(), now_utc(), by],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// The latest check of the plan's records against the account on or
    /// before `by`.
    pub fn latest_account_check(
        &self,
        plan: PlanId,
        by: NaiveDate,
    ) -> Result<Option<AccountCheck>> {
        Ok(self
            .conn
            .query_row(
                "SELECT on_date, balance_pence FROM account_check
                 WHERE plan_id = ?1 AND on_date <= ?2 ORDER BY on_date DESC LIMIT 1",
                params![plan.0, by],
                |row| {
                    Ok(AccountCheck {
                        on: row.get(0)?,
                        balance: Money::from_pence(row.get(1)?),
                    })
                },
            )
            .optional()?)
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
        learn_payee_rule(&self.conn, plan, words, line)
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

fn learn_payee_rule(conn: &Connection, plan: PlanId, words: &str, line: LineKey) -> Result<()> {
    if words.trim().is_empty() || words.chars().count() > 200 {
        return Err(Error::invalid(
            "words",
            "A payee rule needs the payee's words, at most 200 characters.",
        ));
    }
    conn.execute(
        "INSERT INTO payee_rule (plan_id, words, line_key) VALUES (?1, ?2, ?3)
         ON CONFLICT (plan_id, words) DO UPDATE SET line_key = excluded.line_key",
        params![plan.0, words.trim(), line.0],
    )?;
    Ok(())
}
