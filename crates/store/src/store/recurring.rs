//! Regular payments in the database.

use chrono::NaiveDate;
use rusqlite::{params, OptionalExtension, Row};

use super::{now_utc, require_person, Store};
use crate::error::{Error, Result};
use crate::input::format_date;
use crate::ledger::{EntryKey, LineKey, Payment};
use crate::model::{PersonId, PlanId};
use crate::money::Money;
use crate::recurring::*;

const RECURRING_COLUMNS: &str =
    "SELECT id, payee, amount_pence, line_key, how_paid, every, first_due, note,
        created_by, stopped_at IS NOT NULL, no_evidence_reason FROM recurring";

fn recurring_from_row(row: &Row<'_>) -> rusqlite::Result<Recurring> {
    Ok(Recurring {
        id: RecurringId(row.get(0)?),
        payee: row.get(1)?,
        amount: Money::from_pence(row.get(2)?),
        line_key: LineKey(row.get(3)?),
        how_paid: row.get(4)?,
        every: row.get(5)?,
        first_due: row.get(6)?,
        note: row.get(7)?,
        no_evidence_reason: row.get(10)?,
        created_by: row.get(8)?,
        stopped: row.get(9)?,
    })
}

impl Store {
    /// Sets up a regular payment.
    pub fn insert_recurring(
        &mut self,
        plan: PlanId,
        checked: &CheckedRecurring,
        person: PersonId,
    ) -> Result<Recurring> {
        let tx = self.conn.savepoint()?;
        let by = require_person(&tx, person, "recordedBy")?;
        tx.execute(
            "INSERT INTO recurring (plan_id, payee, amount_pence, line_key, how_paid, every, first_due, note, created_at, created_by,
                                    no_evidence_reason)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            params![
                plan.0,
                checked.payee,
                checked.amount.pence(),
                checked.line_key.0,
                checked.how_paid,
                checked.every,
                checked.first_due,
                checked.note,
                now_utc(),
                by,
                checked.no_evidence_reason
            ],
        )?;
        let id = RecurringId(tx.last_insert_rowid());
        tx.commit()?;
        self.recurring_one(plan, id)
    }

    /// Stops a regular payment: nothing more is proposed. What it made stays.
    pub fn stop_recurring(
        &mut self,
        plan: PlanId,
        id: RecurringId,
        person: PersonId,
    ) -> Result<()> {
        let recurring = self.recurring_one(plan, id)?;
        if recurring.stopped {
            return Err(Error::invalid(
                "recurring",
                "That regular payment has already been stopped.",
            ));
        }
        let tx = self.conn.savepoint()?;
        let by = require_person(&tx, person, "recordedBy")?;
        tx.execute(
            "UPDATE recurring SET stopped_at = ?1, stopped_by = ?2 WHERE id = ?3",
            params![now_utc(), by, id.0],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// The plan's regular payments, running ones first.
    pub fn recurring(&self, plan: PlanId) -> Result<Vec<Recurring>> {
        let list = self
            .conn
            .prepare(&format!(
                "{RECURRING_COLUMNS} WHERE plan_id = ?1 ORDER BY stopped_at IS NOT NULL, payee, id"
            ))?
            .query_map([plan.0], recurring_from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(list)
    }

    fn recurring_one(&self, plan: PlanId, id: RecurringId) -> Result<Recurring> {
        self.conn
            .query_row(
                &format!("{RECURRING_COLUMNS} WHERE plan_id = ?1 AND id = ?2"),
                params![plan.0, id.0],
                recurring_from_row,
            )
            .optional()?
            .ok_or(Error::NotFound {
                what: "regular payment",
            })
    }

    /// Payments the running regular payments say are due by `today` (and
    /// inside the plan) that no one has confirmed or skipped, oldest first.
    pub fn due_proposals(&self, plan: PlanId, today: NaiveDate) -> Result<Vec<DueProposal>> {
        let history = self.plan_history(plan)?;
        let until = today.min(history.end_date);
        let mut decided = self
            .conn
            .prepare("SELECT 1 FROM recurring_due WHERE recurring_id = ?1 AND due_on = ?2")?;
        let mut proposals = Vec::new();
        for recurring in self.recurring(plan)?.into_iter().filter(|r| !r.stopped) {
            for due_on in due_dates(recurring.first_due, recurring.every, until) {
                if !decided.exists(params![recurring.id.0, due_on])? {
                    proposals.push(DueProposal {
                        recurring_id: recurring.id,
                        due_on,
                        payee: recurring.payee.clone(),
                        amount: recurring.amount,
                        line_key: recurring.line_key,
                    });
                }
            }
        }
        proposals.sort_by_key(|proposal| (proposal.due_on, proposal.recurring_id));
        Ok(proposals)
    }

    /// Confirms a due payment: records it as money spent, on its due day,
    /// and marks the due date done, together. Does not ask about its size:
    /// what a person confirms goes through [`Store::confirm_due_asking`].
    pub fn confirm_due(
        &mut self,
        plan: PlanId,
        id: RecurringId,
        due_on: NaiveDate,
        person: PersonId,
        today: NaiveDate,
    ) -> Result<Payment> {
        self.confirm_due_asking(plan, id, due_on, person, true, today)
    }

    /// Confirms a due payment, as [`Store::confirm_due`] does; but unless
    /// `confirmed`, one bigger than seems likely (more than the plan has
    /// left, say: see [`crate::ledger::check_size`]) is not recorded: the
    /// answer is [`Error::NeedsConfirmation`] and the day stays due.
    pub fn confirm_due_asking(
        &mut self,
        plan: PlanId,
        id: RecurringId,
        due_on: NaiveDate,
        person: PersonId,
        confirmed: bool,
        today: NaiveDate,
    ) -> Result<Payment> {
        let recurring = self.due_recurring(plan, id, due_on, today)?;
        let history = self.plan_history(plan)?;
        let checked = recurring.payment_due_on(due_on, &history)?;
        self.atomically(|store| {
            let payment = store.record_checked_payment(&history, &checked, person, confirmed)?;
            store.decide_due(id, due_on, Some(payment.key), person)?;
            Ok(payment)
        })
    }

    /// Skips a due payment: it was not paid (or was paid another way).
    pub fn skip_due(
        &mut self,
        plan: PlanId,
        id: RecurringId,
        due_on: NaiveDate,
        person: PersonId,
        today: NaiveDate,
    ) -> Result<()> {
        self.due_recurring(plan, id, due_on, today)?;
        self.decide_due(id, due_on, None, person)
    }

    /// The regular payment, if `due_on` is one of its undecided due days.
    fn due_recurring(
        &self,
        plan: PlanId,
        id: RecurringId,
        due_on: NaiveDate,
        today: NaiveDate,
    ) -> Result<Recurring> {
        let recurring = self.recurring_one(plan, id)?;
        let proposed = self
            .due_proposals(plan, today)?
            .iter()
            .any(|p| p.recurring_id == id && p.due_on == due_on);
        if !proposed {
            return Err(Error::invalid(
                "recurring",
                format!("The payment to {} due on {} is not waiting to be confirmed. Reload and try again.", recurring.payee, format_date(due_on)),
            ));
        }
        Ok(recurring)
    }

    fn decide_due(
        &mut self,
        id: RecurringId,
        due_on: NaiveDate,
        entry: Option<EntryKey>,
        person: PersonId,
    ) -> Result<()> {
        let tx = self.conn.savepoint()?;
        let by = require_person(&tx, person, "recordedBy")?;
        tx.execute(
            "INSERT INTO recurring_due (recurring_id, due_on, entry_key, decided_at, decided_by) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![id.0, due_on, entry.map(|key| key.0), now_utc(), by],
        )?;
        tx.commit()?;
        Ok(())
    }
}
