//! Plans and their versions in the database.

use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension, Row};

use super::{now_utc, Store};
use crate::error::{Error, Result};

use crate::model::{HolderId, PersonId, Plan, PlanId};
use crate::money::Money;
use crate::plan::*;
use crate::plan_forms::{preview, CheckedNewPlan, CheckedRevision, PlanDetails};

pub use crate::plan_forms::MAX_REASON_CHARS;

const PLAN_COLUMNS: &str = "SELECT id, holder_id, name, start_date, end_date FROM plan";

fn plan_from_row(row: &Row<'_>) -> rusqlite::Result<Plan> {
    Ok(Plan {
        id: PlanId(row.get(0)?),
        holder_id: HolderId(row.get(1)?),
        name: row.get(2)?,
        start_date: row.get(3)?,
        end_date: row.get(4)?,
    })
}

impl Store {
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

    /// Sets up the holder's plan as version 1 from the checked `plan`,
    /// recorded as made by `person`. A holder has one plan; changing it at a
    /// review makes a new version ([`Store::insert_revision`]).
    pub fn insert_plan(
        &mut self,
        holder: HolderId,
        plan: &CheckedNewPlan,
        person: PersonId,
    ) -> Result<PlanHistory> {
        let CheckedNewPlan {
            name,
            start,
            end,
            content,
            budget,
        } = plan;
        self.forget_plans();
        let tx = self.conn.savepoint()?;
        super::require_holder(&tx, holder)?;
        super::require_person(&tx, person, "recordedBy")?;
        let has_plan: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM plan WHERE holder_id = ?1)",
            [holder.0],
            |row| row.get(0),
        )?;
        if has_plan {
            return Err(Error::invalid(
                "name",
                "This person already has a plan. Revise it at a review instead.",
            ));
        }
        // total_budget_pence is the budget as first set up, kept for the
        // record; every figure comes from the versions.
        tx.execute(
            "INSERT INTO plan (holder_id, name, start_date, end_date, total_budget_pence, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![holder.0, name, start, end, budget.pence(), now_utc()],
        )?;
        let plan = PlanId(tx.last_insert_rowid());
        insert_version(
            &tx,
            plan,
            1,
            *start,
            "The plan as first set up",
            person,
            content,
        )?;
        tx.commit()?;
        self.plan_history(plan)
    }

    /// Makes a new version of the plan `history` is of, from the checked
    /// `revision`, recorded as made by `person`. Earlier versions stay as
    /// they were.
    pub fn insert_revision(
        &mut self,
        history: &PlanHistory,
        revision: &CheckedRevision,
        person: PersonId,
    ) -> Result<PlanHistory> {
        let plan = history.plan_id;
        let next_number = history.current().number + 1;
        self.forget_plans();
        let tx = self.conn.savepoint()?;
        super::require_person(&tx, person, "recordedBy")?;
        insert_version(
            &tx,
            plan,
            next_number,
            revision.effective_from,
            &revision.reason,
            person,
            &revision.content,
        )?;
        tx.commit()?;
        self.plan_history(plan)
    }

    /// The plan, every version and each version's figures, for the plan
    /// page, with the version in force on `today` marked.
    pub fn plan_details(&self, plan: PlanId, today: NaiveDate) -> Result<PlanDetails> {
        let history = self.plan_history(plan)?;
        let figures = history
            .versions
            .iter()
            .map(|version| {
                preview(
                    version.content.clone(),
                    history.start_date,
                    history.end_date,
                )
            })
            .collect::<Result<Vec<_>>>()?;
        let in_force = history.version_on(today).number;
        let current_index = history
            .versions
            .iter()
            .position(|v| v.number == in_force)
            .unwrap_or(0);
        Ok(PlanDetails {
            revision_start: history.current().content.revision_start(),
            current_index: u32::try_from(current_index).map_err(|_| Error::Overflow)?,
            figures,
            history,
        })
    }

    /// The plan with every version, oldest first. Read once and kept until
    /// a plan changes (outside a transaction; inside one it is always read
    /// afresh, as the transaction sees it).
    pub fn plan_history(&self, plan: PlanId) -> Result<PlanHistory> {
        let cacheable = self.conn.is_autocommit();
        if cacheable {
            if let Some(history) = self.plan_cache.borrow().get(&plan) {
                return Ok(history.clone());
            }
        }
        let history = self.read_plan_history(plan)?;
        if cacheable {
            self.plan_cache.borrow_mut().insert(plan, history.clone());
        }
        Ok(history)
    }

    fn read_plan_history(&self, plan: PlanId) -> Result<PlanHistory> {
        self.plan_history_loads
            .set(self.plan_history_loads.get() + 1);
        let plan = self.plan(plan)?;
        let mut statement = self.conn.prepare(
            "SELECT v.id, v.number, v.effective_from, v.reason, p.name, v.created_at, v.status,
                    v.agreed_on, v.agreed_by
             FROM plan_version v LEFT JOIN person p ON p.id = v.created_by_person
             WHERE v.plan_id = ?1 ORDER BY v.number",
        )?;
        let rows = statement
            .query_map([plan.id.0], |row| {
                Ok((
                    VersionId(row.get(0)?),
                    row.get::<_, u32>(1)?,
                    row.get::<_, NaiveDate>(2)?,
                    row.get::<_, String>(3)?,
                    row.get::<_, Option<String>>(4)?,
                    row.get::<_, String>(5)?,
                    (
                        row.get::<_, PlanStatus>(6)?,
                        row.get::<_, Option<NaiveDate>>(7)?,
                        row.get::<_, String>(8)?,
                    ),
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        if rows.is_empty() {
            return Err(Error::Corrupt(format!(
                "plan {} has no versions",
                plan.id.0
            )));
        }
        let starts: Vec<NaiveDate> = rows.iter().map(|row| row.2).collect();
        let versions = rows
            .into_iter()
            .enumerate()
            .map(
                |(index, (id, number, effective_from, reason, created_by, created_at, status))| {
                    let effective_to = starts
                        .get(index + 1)
                        .and_then(|next| next.pred_opt())
                        .unwrap_or(plan.end_date);
                    Ok(PlanVersion {
                        id,
                        number,
                        effective_from,
                        effective_to,
                        reason,
                        created_by,
                        created_at,
                        content: load_content(&self.conn, id, status)?,
                    })
                },
            )
            .collect::<Result<Vec<_>>>()?;
        Ok(PlanHistory {
            plan_id: plan.id,
            holder_id: plan.holder_id,
            name: plan.name,
            start_date: plan.start_date,
            end_date: plan.end_date,
            versions,
        })
    }
}

fn insert_version(
    tx: &Connection,
    plan: PlanId,
    number: u32,
    effective_from: NaiveDate,
    reason: &str,
    person: PersonId,
    content: &PlanContent,
) -> Result<()> {
    tx.execute(
        "INSERT INTO plan_version (plan_id, number, effective_from, status, reason, created_at, created_by_person,
                                   agreed_on, agreed_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![plan.0, number, effective_from, content.status, reason, now_utc(), person.0,
                content.agreed_on, content.agreed_by],
    )?;
    let version = tx.last_insert_rowid();
    for (position, stream) in (0_i64..).zip(&content.streams) {
        tx.execute(
            "INSERT INTO funding_stream (version_id, position, funder, funder_name, management, amount_pence, frequency, amount_is)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![version, position, stream.funder, stream.funder_name, stream.management, stream.amount.pence(), stream.frequency, stream.amount_is],
        )?;
    }
    let (known_keys, mut next_key) = line_keys_of(tx, plan)?;
    let mut outcome_ids = Vec::with_capacity(content.outcomes.len());
    for (position, text) in (0_i64..).zip(&content.outcomes) {
        tx.execute(
            "INSERT INTO outcome (version_id, position, text) VALUES (?1, ?2, ?3)",
            params![version, position, text],
        )?;
        outcome_ids.push(tx.last_insert_rowid());
    }
    for (position, line) in (0_i64..).zip(&content.lines) {
        let key = match line.key {
            Some(key) if known_keys.contains(&key.0) => key.0,
            Some(_) => {
                return Err(Error::invalid(
                    format!("lines.{position}.description"),
                    "This line is not from this plan. Remove it and add it again.",
                ))
            }
            None => {
                next_key += 1;
                next_key
            }
        };
        let (amount, quantity, unit, per, rate) = match line.costing {
            Costing::Amount { amount } => (Some(amount.pence()), None, None, None, None),
            Costing::Units {
                quantity,
                unit,
                per,
                rate,
            } => (
                None,
                Some(quantity.0),
                Some(unit),
                Some(per),
                Some(rate.pence()),
            ),
        };
        tx.execute(
            "INSERT INTO budget_line (version_id, position, category, description, provider, flexibility,
                                      amount_pence, quantity_hundredths, unit, per, rate_pence, line_key, pattern)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
            params![
                version,
                position,
                line.category,
                line.description,
                line.provider,
                line.flexibility,
                amount,
                quantity,
                unit,
                per,
                rate,
                key,
                line.pattern
            ],
        )?;
        let line_id = tx.last_insert_rowid();
        for &outcome in &line.outcomes {
            let outcome_id = outcome_ids
                .get(outcome as usize)
                .ok_or_else(|| Error::invalid("lines", "Choose outcomes from the plan's list."))?;
            tx.execute(
                "INSERT INTO line_outcome (line_id, outcome_id) VALUES (?1, ?2)",
                params![line_id, outcome_id],
            )?;
        }
    }
    for review in &content.reviews {
        tx.execute(
            "INSERT INTO review (version_id, kind, due_on) VALUES (?1, ?2, ?3)",
            params![version, review.kind, review.due_on],
        )?;
    }
    Ok(())
}

/// The line keys a plan's versions already use, and the largest.
fn line_keys_of(conn: &Connection, plan: PlanId) -> Result<(std::collections::HashSet<i64>, i64)> {
    let keys = conn
        .prepare(
            "SELECT DISTINCT l.line_key FROM budget_line l JOIN plan_version v ON v.id = l.version_id
             WHERE v.plan_id = ?1",
        )?
        .query_map([plan.0], |row| row.get::<_, i64>(0))?
        .collect::<rusqlite::Result<std::collections::HashSet<_>>>()?;
    let largest = keys.iter().copied().max().unwrap_or(0);
    Ok((keys, largest))
}

fn load_content(
    conn: &Connection,
    version: VersionId,
    (status, agreed_on, agreed_by): (PlanStatus, Option<NaiveDate>, String),
) -> Result<PlanContent> {
    let streams = conn
        .prepare(
            "SELECT funder, funder_name, management, amount_pence, frequency, amount_is
             FROM funding_stream WHERE version_id = ?1 ORDER BY position",
        )?
        .query_map([version.0], |row| {
            Ok(FundingStream {
                funder: row.get(0)?,
                funder_name: row.get(1)?,
                management: row.get(2)?,
                amount: Money::from_pence(row.get(3)?),
                amount_is: row.get(5)?,
                frequency: row.get(4)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let outcome_rows = conn
        .prepare("SELECT id, text FROM outcome WHERE version_id = ?1 ORDER BY position")?
        .query_map([version.0], |row| {
            Ok((row.get::<_, i64>(0)?, row.get::<_, String>(1)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut lines = conn
        .prepare(
            "SELECT id, category, description, provider, flexibility, amount_pence,
                    quantity_hundredths, unit, per, rate_pence, line_key, pattern
             FROM budget_line WHERE version_id = ?1 ORDER BY position",
        )?
        .query_map([version.0], |row| {
            let costing = match row.get::<_, Option<i64>>(5)? {
                Some(amount) => Costing::Amount {
                    amount: Money::from_pence(amount),
                },
                None => Costing::Units {
                    quantity: Hundredths(row.get(6)?),
                    unit: row.get(7)?,
                    per: row.get(8)?,
                    rate: Money::from_pence(row.get(9)?),
                },
            };
            Ok((
                row.get::<_, i64>(0)?,
                BudgetLine {
                    key: Some(crate::ledger::LineKey(row.get(10)?)),
                    category: row.get(1)?,
                    description: row.get(2)?,
                    provider: row.get(3)?,
                    costing,
                    flexibility: row.get(4)?,
                    pattern: row.get(11)?,
                    outcomes: Vec::new(),
                },
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut links = conn.prepare(
        "SELECT lo.outcome_id FROM line_outcome lo JOIN outcome o ON o.id = lo.outcome_id
         WHERE lo.line_id = ?1 ORDER BY o.position",
    )?;
    for (line_id, line) in &mut lines {
        for outcome_id in links.query_map([*line_id], |row| row.get::<_, i64>(0))? {
            let outcome_id = outcome_id?;
            let position = outcome_rows
                .iter()
                .position(|(id, _)| *id == outcome_id)
                .ok_or_else(|| {
                    Error::Corrupt(format!(
                        "budget line {line_id} serves an outcome of another version"
                    ))
                })?;
            line.outcomes.push(position as u32);
        }
    }
    let reviews = conn
        .prepare("SELECT kind, due_on FROM review WHERE version_id = ?1 ORDER BY due_on, id")?
        .query_map([version.0], |row| {
            Ok(Review {
                kind: row.get(0)?,
                due_on: row.get(1)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(PlanContent {
        streams,
        outcomes: outcome_rows.into_iter().map(|(_, text)| text).collect(),
        lines: lines.into_iter().map(|(_, line)| line).collect(),
        reviews,
        status,
        agreed_on,
        agreed_by,
    })
}
