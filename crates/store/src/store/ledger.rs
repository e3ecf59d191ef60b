//! Payments, their evidence and history, and money in, in the database.

use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::types::Value;
use rusqlite::{params, params_from_iter, Connection, OptionalExtension, Row};

use super::{now_utc, require_person, Store};
use crate::dashboard::LedgerTotals;
use crate::error::{Error, Result};
use crate::evidence::{CheckedEvidence, EvidenceKind, MediaType};
use crate::exclusions::check_exclusions;
use crate::ledger::due_payments;
use crate::ledger::*;
use crate::model::{PersonId, PlanId};
use crate::money::Money;
use crate::plan::PlanHistory;

/// Current, not voided payments of the plan bound to ?1.
const LIVE: &str = "s.plan_id = ?1 AND s.superseded_by IS NULL AND s.voided_at IS NULL";

/// The one rule for a payment that lacks evidence: no evidence on the
/// entry and no reason given. A macro, so the payment columns below can
/// include it as text; every count, search and payment uses it.
macro_rules! lacks_evidence {
    () => {
        "(s.no_evidence_reason = '' AND NOT EXISTS (
    SELECT 1 FROM spending_evidence e WHERE e.entry_key = s.entry_key AND e.removed_at IS NULL))"
    };
}
const LACKS_EVIDENCE: &str = lacks_evidence!();

/// `text` with LIKE's wildcards escaped, so "50%" finds "50%".
fn like_escape(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

const PAYMENT_COLUMNS: &str = concat!(
    "SELECT s.id, s.entry_key, s.paid_on, s.payee, s.amount_pence, s.how_paid, s.reference,
        s.cash_withdrawal, s.note, s.no_evidence_reason, s.recorded_by, s.recorded_at,
        s.voided_at, s.void_reason, s.voided_by,
        (SELECT count(*) FROM spending r WHERE r.entry_key = s.entry_key), ",
    lacks_evidence!(),
    " FROM spending s"
);

/// What the whole plan has left: its budget less everything spent (voided
/// payments and earlier revisions left out), leaving out the row `except`
/// too (a payment being changed).
fn left_in_plan(conn: &Connection, plan: &PlanHistory, except: Option<i64>) -> Result<Money> {
    let spent: i64 = conn.query_row(
        &format!(
            "SELECT COALESCE(sum(amount_pence), 0) FROM spending s WHERE {LIVE} AND s.id IS NOT ?2"
        ),
        params![plan.plan_id.0, except],
        |row| row.get(0),
    )?;
    plan.funding_total()?
        .checked_sub(Money::from_pence(spent))
        .ok_or(Error::Overflow)
}

/// (`+s.plan_id` in lookups by entry keeps SQLite on the entry index rather
/// than scanning the plan's rows.)
///
/// A payment row before its splits, evidence and plan version are added.
struct PaymentRow {
    id: i64,
    payment: Payment,
}

fn payment_from_row(row: &Row<'_>) -> rusqlite::Result<PaymentRow> {
    let voided_at: Option<String> = row.get(12)?;
    Ok(PaymentRow {
        id: row.get(0)?,
        payment: Payment {
            key: EntryKey(row.get(1)?),
            paid_on: row.get(2)?,
            payee: row.get(3)?,
            amount: Money::from_pence(row.get(4)?),
            how_paid: row.get(5)?,
            reference: row.get(6)?,
            cash_withdrawal: row.get(7)?,
            splits: Vec::new(),
            note: row.get(8)?,
            no_evidence_reason: row.get(9)?,
            evidence: Vec::new(),
            lacks_evidence: row.get(16)?,
            recorded_by: row.get(10)?,
            recorded_at: row.get(11)?,
            revision_count: row.get(15)?,
            in_account_on: None,
            voided: match voided_at {
                Some(at) => Some(VoidInfo {
                    at,
                    reason: row.get::<_, Option<String>>(13)?.unwrap_or_default(),
                    by: row.get::<_, Option<String>>(14)?.unwrap_or_default(),
                }),
                None => None,
            },
            version_number: 0,
            warning: None,
        },
    })
}

impl Store {
    /// Records a payment already checked against `history` (by
    /// [`PaymentDraft::check`] or [`Recurring::payment_due_on`]), made by
    /// `person`. Unless `confirmed`, a payment bigger than seems likely
    /// (see [`check_size`]) is not recorded: the answer is
    /// [`Error::NeedsConfirmation`] with the question to ask.
    ///
    /// [`Recurring::payment_due_on`]: crate::recurring::Recurring::payment_due_on
    pub fn record_checked_payment(
        &mut self,
        history: &PlanHistory,
        checked: &CheckedPayment,
        person: PersonId,
        confirmed: bool,
    ) -> Result<Payment> {
        let plan = history.plan_id;
        let tx = self.conn.savepoint()?;
        let recorded_by = require_person(&tx, person, "recordedBy")?;
        if !confirmed {
            check_size(checked, history, left_in_plan(&tx, history, None)?)?;
        }
        let id = insert_payment(&tx, plan, None, checked, &recorded_by, person, "")?;
        tx.commit()?;
        self.payment_in(history, EntryKey(id))
    }

    /// Changes payment `key` to `checked` (already checked against
    /// `history`), made by `person` with the checked `reason`: the change
    /// becomes a new revision and the earlier one is kept. Unless
    /// `confirmed`, a change that makes it bigger than seems likely (see
    /// [`check_size`]: what is left counts without the payment's earlier
    /// amount) is not saved: the answer is [`Error::NeedsConfirmation`].
    pub fn edit_checked_payment(
        &mut self,
        history: &PlanHistory,
        key: EntryKey,
        checked: &CheckedPayment,
        person: PersonId,
        reason: &str,
        confirmed: bool,
    ) -> Result<Payment> {
        let plan = history.plan_id;
        let current = self.current_payment_row(plan, key)?;
        if current.payment.voided.is_some() {
            return Err(Error::invalid(
                "reason",
                "This payment has been removed, so it cannot be changed.",
            ));
        }
        let tx = self.conn.savepoint()?;
        let recorded_by = require_person(&tx, person, "recordedBy")?;
        if !confirmed {
            let left = left_in_plan(&tx, history, Some(current.id))?;
            check_size(checked, history, left)?;
        }
        let new_id = insert_payment(&tx, plan, Some(key), checked, &recorded_by, person, reason)?;
        tx.execute(
            "UPDATE spending SET superseded_by = ?1 WHERE id = ?2",
            params![new_id, current.id],
        )?;
        tx.commit()?;
        self.payment_in(history, key)
    }

    /// Removes a payment from the figures: a void, with the checked
    /// `reason` ([`check_reason`]), kept in its history.
    pub fn void_checked_payment(
        &mut self,
        plan: PlanId,
        key: EntryKey,
        reason: &str,
        person: PersonId,
    ) -> Result<Payment> {
        let current = self.current_payment_row(plan, key)?;
        if current.payment.voided.is_some() {
            return Err(Error::invalid(
                "reason",
                "This payment has already been removed.",
            ));
        }
        let tx = self.conn.savepoint()?;
        let by = require_person(&tx, person, "recordedBy")?;
        tx.execute(
            "UPDATE spending SET voided_at = ?1, void_reason = ?2, voided_by = ?3 WHERE id = ?4",
            params![now_utc(), reason, by, current.id],
        )?;
        tx.commit()?;
        self.payment(plan, key)
    }

    /// One payment as it stands now.
    pub fn payment(&self, plan: PlanId, key: EntryKey) -> Result<Payment> {
        self.payment_in(&self.plan_history(plan)?, key)
    }

    fn payment_in(&self, history: &PlanHistory, key: EntryKey) -> Result<Payment> {
        let row = self.current_payment_row(history.plan_id, key)?;
        let mut payments = self.complete_payments(vec![row], history)?;
        payments.pop().ok_or(Error::NotFound { what: "payment" })
    }

    /// Every payment of `plan` as it stands now (voided ones included),
    /// newest first.
    pub fn payments(&self, plan: PlanId) -> Result<Vec<Payment>> {
        let history = self.plan_history(plan)?;
        let rows = self
            .conn
            .prepare(&format!(
                "{PAYMENT_COLUMNS} WHERE s.plan_id = ?1 AND s.superseded_by IS NULL ORDER BY s.paid_on DESC, s.entry_key DESC"
            ))?
            .query_map([plan.0], payment_from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        self.complete_payments(rows, &history)
    }

    /// The plan's totals over its whole ledger, for the dashboard.
    pub fn ledger_totals(&self, plan: PlanId) -> Result<LedgerTotals> {
        self.ledger_totals_between(plan, None, None)
    }

    /// The plan's totals for payments and money in dated `from` to `to`
    /// (either end open when `None`), worked out in the database: the one
    /// place these sums are made, for the dashboard and statements alike.
    pub fn ledger_totals_between(
        &self,
        plan: PlanId,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
    ) -> Result<LedgerTotals> {
        // Open ends as dates no plan reaches: dates are kept as ISO text,
        // which sorts as dates do.
        let from = from.map_or("0000-01-01".to_owned(), |date| date.to_string());
        let to = to.map_or("9999-12-31".to_owned(), |date| date.to_string());
        let spending = format!("{LIVE} AND s.paid_on BETWEEN ?2 AND ?3");
        let (spent, count, lacking_evidence): (i64, u32, u32) = self.conn.query_row(
            &format!(
                "SELECT COALESCE(sum(amount_pence), 0), count(*), COALESCE(sum({LACKS_EVIDENCE}), 0)
                 FROM spending s WHERE {spending}"
            ),
            params![plan.0, from, to],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
        )?;
        let spent_by_line = self
            .conn
            .prepare_cached(&format!(
                "SELECT ss.line_key, sum(ss.amount_pence) FROM spending_split ss JOIN spending s ON s.id = ss.spending_id
                 WHERE {spending} GROUP BY ss.line_key"
            ))?
            .query_map(params![plan.0, from, to], |row| Ok((LineKey(row.get(0)?), Money::from_pence(row.get(1)?))))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let spent_by_day = self
            .conn
            .prepare_cached(&format!("SELECT paid_on, sum(amount_pence) FROM spending s WHERE {spending} GROUP BY paid_on ORDER BY paid_on"))?
            .query_map(params![plan.0, from, to], |row| Ok((row.get::<_, NaiveDate>(0)?, Money::from_pence(row.get(1)?))))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let money_in: i64 = self.conn.query_row(
            "SELECT COALESCE(sum(amount_pence), 0) FROM money_in
             WHERE plan_id = ?1 AND voided_at IS NULL AND received_on BETWEEN ?2 AND ?3",
            params![plan.0, from, to],
            |row| row.get(0),
        )?;
        Ok(LedgerTotals {
            spent: Money::from_pence(spent),
            payment_count: count,
            spent_by_line,
            lacking_evidence,
            spent_by_day,
            money_in: Money::from_pence(money_in),
        })
    }

    /// One page of the plan's payments that match the checked `filter`,
    /// newest first.
    pub fn find_checked_payments(
        &self,
        plan: PlanId,
        filter: &CheckedFilter,
    ) -> Result<PaymentPage> {
        let history = self.plan_history(plan)?;
        let mut conditions = vec![
            "s.plan_id = ?".to_owned(),
            "s.superseded_by IS NULL".to_owned(),
        ];
        let mut values: Vec<Value> = vec![Value::Integer(plan.0)];
        if let Some(from) = filter.from {
            conditions.push("s.paid_on >= ?".into());
            values.push(Value::Text(from.to_string()));
        }
        if let Some(to) = filter.to {
            conditions.push("s.paid_on <= ?".into());
            values.push(Value::Text(to.to_string()));
        }
        if let Some(line) = filter.line_key {
            conditions.push("EXISTS (SELECT 1 FROM spending_split f WHERE f.spending_id = s.id AND f.line_key = ?)".into());
            values.push(Value::Integer(line.0));
        }
        if let Some(min) = filter.min_amount {
            conditions.push("s.amount_pence >= ?".into());
            values.push(Value::Integer(min.pence()));
        }
        if let Some(max) = filter.max_amount {
            conditions.push("s.amount_pence <= ?".into());
            values.push(Value::Integer(max.pence()));
        }
        if filter.no_receipt {
            conditions.push(format!("s.voided_at IS NULL AND {LACKS_EVIDENCE}"));
        }
        if !filter.text.is_empty() {
            conditions.push("(s.payee LIKE ? ESCAPE '\\' OR s.note LIKE ? ESCAPE '\\' OR s.reference LIKE ? ESCAPE '\\')".into());
            let pattern = format!("%{}%", like_escape(&filter.text));
            values.extend(std::iter::repeat_n(Value::Text(pattern), 3));
        }
        let condition = conditions.join(" AND ");
        // Filtered by a line, the total is what went on that line: a payment
        // split across lines counts only its part.
        let amount = match filter.line_key {
            Some(line) => format!(
                "(SELECT amount_pence FROM spending_split t WHERE t.spending_id = s.id AND t.line_key = {})",
                line.0
            ),
            None => "s.amount_pence".to_owned(),
        };
        let (total_count, removed_count, total_amount): (u32, u32, i64) = self.conn.query_row(
            &format!(
                "SELECT count(*), count(s.voided_at), COALESCE(sum(CASE WHEN s.voided_at IS NULL THEN {amount} END), 0)
                 FROM spending s WHERE {condition}"
            ),
            params_from_iter(values.iter()),
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
        )?;
        let page_count = total_count.div_ceil(PAGE_SIZE).max(1);
        let page = filter.page.min(page_count - 1);
        let mut page_values = values.clone();
        page_values.push(Value::Integer(i64::from(PAGE_SIZE)));
        page_values.push(Value::Integer(i64::from(page) * i64::from(PAGE_SIZE)));
        let rows = self
            .conn
            .prepare(&format!(
                "{PAYMENT_COLUMNS} WHERE {condition} ORDER BY s.paid_on DESC, s.entry_key DESC LIMIT ? OFFSET ?"
            ))?
            .query_map(params_from_iter(page_values.iter()), payment_from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(PaymentPage {
            payments: self.complete_payments(rows, &history)?,
            total_count,
            removed_count,
            total_amount: Money::from_pence(total_amount),
            page,
            page_count,
        })
    }

    /// Every revision of a payment, first first.
    pub fn payment_history(&self, plan: PlanId, key: EntryKey) -> Result<Vec<PaymentRevision>> {
        let rows = self
            .conn
            .prepare(
                "SELECT id, paid_on, payee, amount_pence, note, recorded_by, recorded_at, change_reason
                 FROM spending WHERE plan_id = ?1 AND entry_key = ?2 ORDER BY id",
            )?
            .query_map(params![plan.0, key.0], |row| {
                Ok((
                    row.get::<_, i64>(0)?,
                    PaymentRevision {
                        number: 0,
                        paid_on: row.get(1)?,
                        payee: row.get(2)?,
                        amount: Money::from_pence(row.get(3)?),
                        splits: Vec::new(),
                        note: row.get(4)?,
                        recorded_by: row.get(5)?,
                        recorded_at: row.get(6)?,
                        change_reason: row.get(7)?,
                    },
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        if rows.is_empty() {
            return Err(Error::NotFound { what: "payment" });
        }
        rows.into_iter()
            .zip(1..)
            .map(|((id, mut revision), number)| {
                revision.number = number;
                revision.splits = splits_of(&self.conn, id)?;
                Ok(revision)
            })
            .collect()
    }

    /// Attaches an evidence file, checked by
    /// [`check_evidence`](crate::evidence::check_evidence) beforehand, to a
    /// payment. A file already stored (for any payment) is not stored again.
    /// Only SQL happens here: the slow work of checking a photo is done.
    pub fn attach_evidence(
        &mut self,
        plan: PlanId,
        key: EntryKey,
        kind: EvidenceKind,
        file: &CheckedEvidence,
        person: PersonId,
    ) -> Result<EvidenceRef> {
        let current = self.current_payment_row(plan, key)?;
        if current.payment.voided.is_some() {
            return Err(Error::invalid(
                "evidence",
                "This payment has been removed, so evidence cannot be added to it.",
            ));
        }
        let file_name = file.file_name(kind);
        let tx = self.conn.savepoint()?;
        let by = require_person(&tx, person, "recordedBy")?;
        let size = i64::try_from(file.bytes().len()).map_err(|_| Error::Overflow)?;
        tx.execute(
            "INSERT INTO attachment (sha256, media_type, size_bytes, content, thumbnail, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (sha256) DO NOTHING",
            params![
                file.sha256(),
                file.media_type().mime(),
                size,
                file.bytes(),
                file.thumbnail(),
                now_utc()
            ],
        )?;
        let attachment: i64 = tx.query_row(
            "SELECT id FROM attachment WHERE sha256 = ?1",
            [file.sha256()],
            |row| row.get(0),
        )?;
        let attached: Option<Option<String>> = tx
            .query_row(
                "SELECT removed_at FROM spending_evidence WHERE entry_key = ?1 AND attachment_id = ?2",
                params![key.0, attachment],
                |row| row.get(0),
            )
            .optional()?;
        match attached {
            Some(None) => {
                return Err(Error::invalid(
                    "evidence",
                    format!("{file_name} is already attached to this payment."),
                ));
            }
            Some(Some(_)) => {
                tx.execute(
                    "UPDATE spending_evidence SET removed_at = NULL, removed_by = NULL, kind = ?1, file_name = ?2,
                            added_at = ?3, added_by = ?4
                     WHERE entry_key = ?5 AND attachment_id = ?6",
                    params![kind, file_name, now_utc(), by, key.0, attachment],
                )?;
            }
            None => {
                tx.execute(
                    "INSERT INTO spending_evidence (entry_key, attachment_id, kind, file_name, added_at, added_by)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                    params![key.0, attachment, kind, file_name, now_utc(), by],
                )?;
            }
        }
        tx.commit()?;
        let payment = self.payment(plan, key)?;
        payment
            .evidence
            .into_iter()
            .find(|evidence| evidence.attachment_id == AttachmentId(attachment))
            .ok_or(Error::NotFound { what: "evidence" })
    }

    /// Takes evidence off a payment; the record of it stays.
    pub fn remove_evidence(
        &mut self,
        plan: PlanId,
        key: EntryKey,
        attachment: AttachmentId,
        person: PersonId,
    ) -> Result<()> {
        if self
            .current_payment_row(plan, key)?
            .payment
            .voided
            .is_some()
        {
            return Err(Error::invalid(
                "evidence",
                "This payment has been removed, so its evidence stays as it was.",
            ));
        }
        let tx = self.conn.savepoint()?;
        let by = require_person(&tx, person, "recordedBy")?;
        let changed = tx.execute(
            "UPDATE spending_evidence SET removed_at = ?1, removed_by = ?2
             WHERE entry_key = ?3 AND attachment_id = ?4 AND removed_at IS NULL",
            params![now_utc(), by, key.0, attachment.0],
        )?;
        if changed == 0 {
            return Err(Error::NotFound { what: "evidence" });
        }
        tx.commit()?;
        Ok(())
    }

    /// An evidence file's type and contents.
    pub fn evidence_file(&self, attachment: AttachmentId) -> Result<(MediaType, Vec<u8>)> {
        let (mime, content): (String, Vec<u8>) = self
            .conn
            .query_row(
                "SELECT media_type, content FROM attachment WHERE id = ?1",
                [attachment.0],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .optional()?
            .ok_or(Error::NotFound { what: "evidence" })?;
        let media_type = MediaType::from_mime(&mime)
            .ok_or_else(|| Error::Corrupt(format!("attachment type {mime}")))?;
        Ok((media_type, content))
    }

    /// An evidence file's contents, found by their SHA-256: how a
    /// statement's receipts are read one at a time as they are printed.
    /// Files are kept by their contents, so whatever data is open, the
    /// contents found are the ones asked for.
    pub fn evidence_content(&self, sha256: &str) -> Result<Vec<u8>> {
        self.conn
            .query_row(
                "SELECT content FROM attachment WHERE sha256 = ?1",
                [sha256],
                |row| row.get(0),
            )
            .optional()?
            .ok_or(Error::NotFound { what: "evidence" })
    }

    /// The SHA-256 an evidence file is stored under, which names its
    /// contents for as long as they are kept.
    pub fn attachment_sha256(&self, attachment: AttachmentId) -> Result<String> {
        self.conn
            .query_row(
                "SELECT sha256 FROM attachment WHERE id = ?1",
                [attachment.0],
                |row| row.get(0),
            )
            .optional()?
            .ok_or(Error::NotFound { what: "evidence" })
    }

    /// A photo's PNG thumbnail, if it has one. Only evidence that is (or
    /// was) on entry `key` of `plan` is found: a receipt is never shown
    /// for a plan, or a holder, it does not belong to.
    pub fn evidence_thumbnail(
        &self,
        plan: PlanId,
        key: EntryKey,
        attachment: AttachmentId,
    ) -> Result<Option<Vec<u8>>> {
        self.conn
            .query_row(
                "SELECT a.thumbnail FROM attachment a
                 JOIN spending_evidence e ON e.attachment_id = a.id
                 WHERE a.id = ?1 AND e.entry_key = ?2
                   AND EXISTS (SELECT 1 FROM spending s WHERE s.entry_key = e.entry_key AND s.plan_id = ?3)",
                params![attachment.0, key.0, plan.0],
                |row| row.get(0),
            )
            .optional()?
            .ok_or(Error::NotFound { what: "evidence" })
    }

    /// Records money received for `plan`, already checked against it, as
    /// recorded by `person`.
    pub fn record_checked_money_in(
        &mut self,
        plan: PlanId,
        checked: &CheckedMoneyIn,
        person: PersonId,
    ) -> Result<MoneyIn> {
        let tx = self.conn.savepoint()?;
        let by = require_person(&tx, person, "recordedBy")?;
        let id = insert_money_in(&tx, plan, checked, &by, person)?;
        tx.commit()?;
        self.money_in_entry(plan, EntryKey(id))
    }

    /// Takes money in out of the figures, with the checked `reason`
    /// ([`check_reason`]).
    pub fn void_checked_money_in(
        &mut self,
        plan: PlanId,
        key: EntryKey,
        reason: &str,
        person: PersonId,
    ) -> Result<MoneyIn> {
        let entry = self.money_in_entry(plan, key)?;
        if entry.voided.is_some() {
            return Err(Error::invalid("reason", "This has already been removed."));
        }
        let tx = self.conn.savepoint()?;
        let by = require_person(&tx, person, "recordedBy")?;
        tx.execute(
            "UPDATE money_in SET voided_at = ?1, void_reason = ?2, voided_by = ?3 WHERE id = ?4",
            params![now_utc(), reason, by, key.0],
        )?;
        tx.commit()?;
        self.money_in_entry(plan, key)
    }

    /// Every money in for `plan` (voided included), newest first.
    pub fn money_in(&self, plan: PlanId) -> Result<Vec<MoneyIn>> {
        let entries = self
            .conn
            .prepare(&format!(
                "{MONEY_IN_COLUMNS} WHERE plan_id = ?1 ORDER BY received_on DESC, id DESC"
            ))?
            .query_map([plan.0], money_in_from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(entries)
    }

    /// One entry of money in, as it stands.
    pub fn money_in_entry(&self, plan: PlanId, key: EntryKey) -> Result<MoneyIn> {
        self.conn
            .query_row(
                &format!("{MONEY_IN_COLUMNS} WHERE plan_id = ?1 AND id = ?2"),
                params![plan.0, key.0],
                money_in_from_row,
            )
            .optional()?
            .ok_or(Error::NotFound { what: "money in" })
    }

    /// The funders' payments the plan says are due up to four weeks after
    /// `today`, each marked as received when a funding payment from that
    /// source for that amount was recorded within two weeks of its date.
    pub fn expected_payments(
        &self,
        plan: PlanId,
        today: NaiveDate,
    ) -> Result<Vec<ExpectedPayment>> {
        let history = self.plan_history(plan)?;
        let mut received: Vec<MoneyIn> = self
            .money_in(plan)?
            .into_iter()
            .filter(|entry| entry.voided.is_none() && entry.kind == MoneyInKind::Funding)
            .collect();
        received.sort_by_key(|entry| entry.received_on);
        let horizon = today + chrono::Days::new(28);
        let mut expected = due_payments(&history)
            .into_iter()
            .filter(|payment| payment.due_on <= horizon)
            .collect::<Vec<_>>();
        for payment in &mut expected {
            let matching = received.iter().position(|entry| {
                entry.source.eq_ignore_ascii_case(&payment.source)
                    && entry.amount == payment.amount
                    && (entry.received_on - payment.due_on).num_days().abs() <= 14
            });
            if let Some(index) = matching {
                received.remove(index);
                payment.received = true;
            }
        }
        Ok(expected)
    }

    fn current_payment_row(&self, plan: PlanId, key: EntryKey) -> Result<PaymentRow> {
        self.conn
            .query_row(
                &format!("{PAYMENT_COLUMNS} WHERE s.entry_key = ?2 AND +s.plan_id = ?1 AND s.superseded_by IS NULL"),
                params![plan.0, key.0],
                payment_from_row,
            )
            .optional()?
            .ok_or(Error::NotFound { what: "payment" })
    }

    /// Adds splits, evidence, plan version and warnings to payment rows.
    fn complete_payments(
        &self,
        rows: Vec<PaymentRow>,
        history: &PlanHistory,
    ) -> Result<Vec<Payment>> {
        let keys: Vec<i64> = rows.iter().map(|row| row.payment.key.0).collect();
        let mut evidence = evidence_of(&self.conn, history.plan_id, &keys)?;
        let in_account = in_account_of(&self.conn, history.plan_id, &keys)?;
        rows.into_iter()
            .map(|row| {
                let mut payment = row.payment;
                payment.splits = splits_of(&self.conn, row.id)?;
                payment.evidence = evidence.remove(&payment.key.0).unwrap_or_default();
                payment.in_account_on = in_account.get(&payment.key.0).copied();
                payment.version_number = history.version_on(payment.paid_on).number;
                payment.warning = check_exclusions([payment.payee.as_str(), payment.note.as_str()]);
                Ok(payment)
            })
            .collect()
    }
}

pub(super) fn insert_payment(
    conn: &Connection,
    plan: PlanId,
    replaces: Option<EntryKey>,
    checked: &CheckedPayment,
    recorded_by: &str,
    person: PersonId,
    change_reason: &str,
) -> Result<i64> {
    conn.execute(
        "INSERT INTO spending (plan_id, entry_key, paid_on, payee, amount_pence, how_paid, reference,
                               cash_withdrawal, note, no_evidence_reason, recorded_by, recorded_by_person,
                               recorded_at, change_reason)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
        params![
            plan.0,
            replaces.map_or(0, |key| key.0),
            checked.paid_on,
            checked.payee,
            checked.amount.pence(),
            checked.how_paid,
            checked.reference,
            checked.cash_withdrawal,
            checked.note,
            checked.no_evidence_reason,
            recorded_by,
            person.0,
            now_utc(),
            change_reason
        ],
    )?;
    let id = conn.last_insert_rowid();
    if replaces.is_none() {
        conn.execute("UPDATE spending SET entry_key = id WHERE id = ?1", [id])?;
    }
    for split in &checked.splits {
        conn.execute(
            "INSERT INTO spending_split (spending_id, line_key, amount_pence) VALUES (?1, ?2, ?3)",
            params![id, split.line_key.0, split.amount.pence()],
        )?;
    }
    Ok(id)
}

pub(super) fn insert_money_in(
    conn: &Connection,
    plan: PlanId,
    checked: &CheckedMoneyIn,
    recorded_by: &str,
    person: PersonId,
) -> Result<i64> {
    conn.execute(
        "INSERT INTO money_in (plan_id, received_on, kind, source, amount_pence, reference, note,
                               recorded_by, recorded_by_person, recorded_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            plan.0,
            checked.received_on,
            checked.kind,
            checked.source,
            checked.amount.pence(),
            checked.reference,
            checked.note,
            recorded_by,
            person.0,
            now_utc()
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

/// The day of the statement line paired with each of the given payments of
/// a plan, where one is: a page of the list asks for each of its few; a
/// whole ledger is read in one pass.
fn in_account_of(conn: &Connection, plan: PlanId, keys: &[i64]) -> Result<HashMap<i64, NaiveDate>> {
    let mut found = HashMap::new();
    if keys.len() <= 200 {
        let mut one = conn.prepare_cached(
            "SELECT on_date FROM account_line WHERE plan_id = ?1 AND payment_key = ?2 LIMIT 1",
        )?;
        for key in keys {
            if let Some(on) = one
                .query_row(params![plan.0, key], |row| row.get(0))
                .optional()?
            {
                found.insert(*key, on);
            }
        }
    } else {
        let mut all = conn.prepare_cached(
            "SELECT payment_key, on_date FROM account_line
             WHERE plan_id = ?1 AND payment_key IS NOT NULL",
        )?;
        let rows = all.query_map([plan.0], |row| Ok((row.get(0)?, row.get(1)?)))?;
        for row in rows {
            let (key, on) = row?;
            found.insert(key, on);
        }
    }
    Ok(found)
}

fn splits_of(conn: &Connection, spending_id: i64) -> Result<Vec<Split>> {
    let splits = conn
        .prepare_cached("SELECT line_key, amount_pence FROM spending_split WHERE spending_id = ?1 ORDER BY rowid")?
        .query_map([spending_id], |row| {
            Ok(Split { line_key: LineKey(row.get(0)?), amount: Money::from_pence(row.get(1)?) })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(splits)
}

/// The evidence on the given entries of a plan, by entry key. A page of
/// the list asks for a few entries, one at a time; a whole ledger is read
/// in one pass.
fn evidence_of(
    conn: &Connection,
    plan: PlanId,
    keys: &[i64],
) -> Result<HashMap<i64, Vec<EvidenceRef>>> {
    // Every photo is given a thumbnail when it is checked, and no PDF is,
    // so the type says whether there is one. Asking the thumbnail column
    // itself would make SQLite read through the whole file stored before
    // it in the row: 0.85 ms a payment with a phone photo.
    const COLUMNS: &str =
        "SELECT e.entry_key, e.attachment_id, e.kind, e.file_name, a.media_type, a.size_bytes,
                a.media_type <> 'application/pdf', e.added_by
         FROM spending_evidence e JOIN attachment a ON a.id = e.attachment_id
         WHERE e.removed_at IS NULL";
    let read = |row: &Row<'_>| -> rusqlite::Result<(i64, EvidenceRef)> {
        let mime: String = row.get(4)?;
        Ok((
            row.get(0)?,
            EvidenceRef {
                attachment_id: AttachmentId(row.get(1)?),
                kind: row.get(2)?,
                file_name: row.get(3)?,
                media_type: MediaType::from_mime(&mime).unwrap_or(MediaType::Pdf),
                size_bytes: row.get(5)?,
                has_thumbnail: row.get(6)?,
                added_by: row.get(7)?,
            },
        ))
    };
    let rows = if keys.len() <= 200 {
        let mut statement = conn.prepare_cached(&format!(
            "{COLUMNS} AND e.entry_key = ?1 ORDER BY e.added_at, e.attachment_id"
        ))?;
        let mut rows = Vec::new();
        for key in keys {
            for row in statement.query_map([key], read)? {
                rows.push(row?);
            }
        }
        rows
    } else {
        conn.prepare(&format!(
            "{COLUMNS} AND e.entry_key IN (SELECT entry_key FROM spending WHERE plan_id = ?1) ORDER BY e.added_at, e.attachment_id"
        ))?
        .query_map([plan.0], read)?
        .collect::<rusqlite::Result<Vec<_>>>()?
    };
    let mut by_entry: HashMap<i64, Vec<EvidenceRef>> = HashMap::new();
    for (entry, evidence) in rows {
        by_entry.entry(entry).or_default().push(evidence);
    }
    Ok(by_entry)
}

const MONEY_IN_COLUMNS: &str =
    "SELECT id, received_on, kind, source, amount_pence, reference, note, recorded_by,
        recorded_at, voided_at, void_reason, voided_by FROM money_in";

fn money_in_from_row(row: &Row<'_>) -> rusqlite::Result<MoneyIn> {
    let voided_at: Option<String> = row.get(9)?;
    Ok(MoneyIn {
        key: EntryKey(row.get(0)?),
        received_on: row.get(1)?,
        kind: row.get(2)?,
        source: row.get(3)?,
        amount: Money::from_pence(row.get(4)?),
        reference: row.get(5)?,
        note: row.get(6)?,
        recorded_by: row.get(7)?,
        recorded_at: row.get(8)?,
        voided: match voided_at {
            Some(at) => Some(VoidInfo {
                at,
                reason: row.get::<_, Option<String>>(10)?.unwrap_or_default(),
                by: row.get::<_, Option<String>>(11)?.unwrap_or_default(),
            }),
            None => None,
        },
    })
}
