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

/// The same rule, counted over a plan's live payments dated `from` to `to`
/// (ISO dates; ?1 is the plan): those given no reason, which `ledger_day`
/// counts day by day, less those of them that have evidence on, found from
/// the evidence's side (`+` keeps SQLite on the entry index, so this costs
/// one look-up per piece of evidence, not one per payment). Returns how
/// many lack evidence and what they add up to.
fn lacking_evidence(conn: &Connection, plan: PlanId, from: &str, to: &str) -> Result<(u32, i64)> {
    let (unexplained, unexplained_pence): (i64, i64) = conn
        .prepare_cached(
            "SELECT COALESCE(sum(unexplained), 0), COALESCE(sum(unexplained_pence), 0)
             FROM ledger_day WHERE plan_id = ?1 AND paid_on BETWEEN ?2 AND ?3",
        )?
        .query_row(params![plan.0, from, to], |row| {
            Ok((row.get(0)?, row.get(1)?))
        })?;
    let (explained, explained_pence): (i64, i64) = conn
        .prepare_cached(
            "SELECT count(*), COALESCE(sum(s.amount_pence), 0)
             FROM (SELECT DISTINCT entry_key FROM spending_evidence WHERE removed_at IS NULL) e
             CROSS JOIN spending s ON s.entry_key = e.entry_key
             WHERE +s.plan_id = ?1 AND s.superseded_by IS NULL AND s.voided_at IS NULL
               AND s.no_evidence_reason = '' AND +s.paid_on BETWEEN ?2 AND ?3",
        )?
        .query_row(params![plan.0, from, to], |row| {
            Ok((row.get(0)?, row.get(1)?))
        })?;
    let count = u32::try_from(unexplained - explained).map_err(|_| Error::Overflow)?;
    Ok((count, unexplained_pence - explained_pence))
}

/// A period's ends as the ISO text dates are kept in: an open end as a day
/// no plan reaches (ISO text sorts as dates do).
fn period_ends(from: Option<NaiveDate>, to: Option<NaiveDate>) -> (String, String) {
    (
        from.map_or("0000-01-01".to_owned(), |date| date.to_string()),
        to.map_or("9999-12-31".to_owned(), |date| date.to_string()),
    )
}

/// An FTS5 query for the payments whose words hold every three characters
/// in a row of `text` (which has at least three): each one a term in
/// double quotes (a quote inside doubled), so whatever a person types is
/// only ever text to find. Every payment that holds `text` matches; a few
/// that hold its pieces apart may too, and the caller's exact test drops
/// them.
fn fts_trigrams(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut terms: Vec<String> = chars
        .windows(3)
        .map(|three| {
            format!(
                "\"{}\"",
                three.iter().collect::<String>().replace('"', "\"\"")
            )
        })
        .collect();
    terms.sort_unstable();
    terms.dedup();
    terms.join(" AND ")
}

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
    // The daily totals, less the row left out if it counts in them.
    let spent: i64 = conn.query_row(
        &format!(
            "SELECT (SELECT COALESCE(sum(amount_pence), 0) FROM ledger_day WHERE plan_id = ?1)
                  - (SELECT COALESCE(sum(amount_pence), 0) FROM spending s WHERE s.id IS ?2 AND {LIVE})"
        ),
        params![plan.plan_id.0, except],
        |row| row.get(0),
    )?;
    plan.funding_total()?
        .checked_sub(Money::from_pence(spent))
        .ok_or(Error::Overflow)
}

/// A payment the list's filter found: enough to count it, add it up and
/// put it in the list's order (newest first), before its page is read.
struct Match {
    id: i64,
    /// As kept: ISO text, which sorts as dates do.
    paid_on: String,
    entry_key: i64,
    removed: bool,
    amount: i64,
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
        index_words_since(&tx, id)?;
        tx.commit()?;
        self.payment_in(history, EntryKey(id))
    }

    /// Records many payments at once, each already checked against
    /// `history` and paired with the person who made it: all of them or,
    /// on any error, none. Nothing is asked about their size (for callers
    /// with nobody to ask: the sample data, the bench), and nothing is read
    /// back, so a large batch costs little more than its inserts. Returns
    /// how many were recorded.
    pub fn record_checked_payments(
        &mut self,
        history: &PlanHistory,
        payments: &[(CheckedPayment, PersonId)],
    ) -> Result<usize> {
        let plan = history.plan_id;
        let tx = self.conn.savepoint()?;
        // Each person's name is looked up once, not once a payment.
        let mut names: HashMap<PersonId, String> = HashMap::new();
        let mut first = None;
        for (checked, person) in payments {
            let recorded_by = match names.entry(*person) {
                std::collections::hash_map::Entry::Occupied(known) => known.into_mut(),
                std::collections::hash_map::Entry::Vacant(new) => {
                    new.insert(require_person(&tx, *person, "recordedBy")?)
                }
            };
            let id = insert_payment(&tx, plan, None, checked, recorded_by, *person, "")?;
            first.get_or_insert(id);
        }
        if let Some(first) = first {
            index_words_since(&tx, first)?;
        }
        tx.commit()?;
        Ok(payments.len())
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
        index_words_since(&tx, new_id)?;
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
    /// The payments' sums add up the days of `ledger_day` and
    /// `ledger_day_line`, which the triggers keep equal to the ledger's.
    pub fn ledger_totals_between(
        &self,
        plan: PlanId,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
    ) -> Result<LedgerTotals> {
        let (from, to) = period_ends(from, to);
        let (count, spent): (u32, i64) = self
            .conn
            .prepare_cached(
                "SELECT COALESCE(sum(payments), 0), COALESCE(sum(amount_pence), 0)
                 FROM ledger_day WHERE plan_id = ?1 AND paid_on BETWEEN ?2 AND ?3",
            )?
            .query_row(params![plan.0, from, to], |row| {
                Ok((row.get(0)?, row.get(1)?))
            })?;
        let (lacking_evidence, _) = lacking_evidence(&self.conn, plan, &from, &to)?;
        let spent_by_line = self
            .conn
            .prepare_cached(
                "SELECT line_key, sum(amount_pence) FROM ledger_day_line
                 WHERE plan_id = ?1 AND paid_on BETWEEN ?2 AND ?3 GROUP BY line_key ORDER BY line_key",
            )?
            .query_map(params![plan.0, from, to], |row| Ok((LineKey(row.get(0)?), Money::from_pence(row.get(1)?))))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let spent_by_day = self
            .conn
            .prepare_cached(
                "SELECT paid_on, amount_pence FROM ledger_day
                 WHERE plan_id = ?1 AND paid_on BETWEEN ?2 AND ?3 ORDER BY paid_on",
            )?
            .query_map(params![plan.0, from, to], |row| {
                Ok((row.get::<_, NaiveDate>(0)?, Money::from_pence(row.get(1)?)))
            })?
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
    ///
    /// Filtered by dates, a line or "no receipt" alone, the totals come
    /// from the daily totals and the page from an index in the list's
    /// order. Filtered by words or amounts, the matches are found in one
    /// pass (by words, through the word index) and the page taken from
    /// them.
    pub fn find_checked_payments(
        &self,
        plan: PlanId,
        filter: &CheckedFilter,
    ) -> Result<PaymentPage> {
        let history = self.plan_history(plan)?;
        let (from, to) = period_ends(filter.from, filter.to);
        let mut conditions = vec![
            "s.plan_id = ?".to_owned(),
            "s.superseded_by IS NULL".to_owned(),
            "s.paid_on BETWEEN ? AND ?".to_owned(),
        ];
        let mut values: Vec<Value> = vec![
            Value::Integer(plan.0),
            Value::Text(from.clone()),
            Value::Text(to.clone()),
        ];
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
        let by_date_and_line_only =
            filter.text.is_empty() && filter.min_amount.is_none() && filter.max_amount.is_none();
        let summed = if by_date_and_line_only && !filter.no_receipt {
            Some(self.listed_totals(plan, filter.line_key, &from, &to)?)
        } else if by_date_and_line_only && filter.line_key.is_none() {
            // Only payments that are not removed can lack evidence.
            let (count, amount) = lacking_evidence(&self.conn, plan, &from, &to)?;
            Some((count, 0, amount))
        } else {
            None
        };
        let (total_count, removed_count, total_amount, matches) = match summed {
            Some((count, removed, amount)) => (count, removed, amount, None),
            None => {
                let matches = self.matching_payments(filter, &condition, &values)?;
                let count = u32::try_from(matches.len()).map_err(|_| Error::Overflow)?;
                let removed = matches.iter().filter(|found| found.removed).count();
                let removed = u32::try_from(removed).map_err(|_| Error::Overflow)?;
                let amount = matches
                    .iter()
                    .filter(|found| !found.removed)
                    .try_fold(0i64, |sum, found| sum.checked_add(found.amount))
                    .ok_or(Error::Overflow)?;
                (count, removed, amount, Some(matches))
            }
        };
        let page_count = total_count.div_ceil(PAGE_SIZE).max(1);
        let page = filter.page.min(page_count - 1);
        // The page's place, counted from the newest.
        let first = page * PAGE_SIZE;
        let end = (first + PAGE_SIZE).min(total_count);
        let rows = match matches {
            Some(matches) => {
                let mut one = self
                    .conn
                    .prepare_cached(&format!("{PAYMENT_COLUMNS} WHERE s.id = ?1"))?;
                matches[first as usize..end as usize]
                    .iter()
                    .map(|found| one.query_row([found.id], payment_from_row))
                    .collect::<rusqlite::Result<Vec<_>>>()?
            }
            None => {
                // OFFSET steps past every row before the page, so a page
                // nearer the oldest end is read from that end, oldest
                // first, and turned round: either end of a long list is as
                // quick to show.
                let from_oldest = total_count - end < first;
                let (order, offset) = if from_oldest {
                    ("ASC", total_count - end)
                } else {
                    ("DESC", first)
                };
                // The index in the list's order, named so that SQLite
                // never sorts the whole plan instead: for "no receipt",
                // the one of only the payments given no reason.
                let index = if filter.no_receipt {
                    "spending_unexplained"
                } else {
                    "spending_listed"
                };
                let mut page_values = values;
                page_values.push(Value::Integer(i64::from(end - first)));
                page_values.push(Value::Integer(i64::from(offset)));
                let mut rows = self
                    .conn
                    .prepare(&format!(
                        "{PAYMENT_COLUMNS} INDEXED BY {index} WHERE {condition}
                         ORDER BY s.paid_on {order}, s.entry_key {order} LIMIT ? OFFSET ?"
                    ))?
                    .query_map(params_from_iter(page_values.iter()), payment_from_row)?
                    .collect::<rusqlite::Result<Vec<_>>>()?;
                if from_oldest {
                    rows.reverse();
                }
                rows
            }
        };
        Ok(PaymentPage {
            payments: self.complete_payments(rows, &history)?,
            total_count,
            removed_count,
            total_amount: Money::from_pence(total_amount),
            page,
            page_count,
        })
    }

    /// Every payment that meets `condition` (with its `values`), in the
    /// list's order, with whether it is removed and what it adds to the
    /// total (on the filter's line, if it has one). Words of three
    /// characters or more are first looked up in the word index, which
    /// finds every payment LIKE would (it folds case as LIKE does, and
    /// more) and few others; the condition's LIKE then keeps exactly
    /// those LIKE finds. Fewer characters are looked for by LIKE alone.
    fn matching_payments(
        &self,
        filter: &CheckedFilter,
        condition: &str,
        values: &[Value],
    ) -> Result<Vec<Match>> {
        let amount = match filter.line_key {
            // Filtered by a line, the total is what went on that line: a
            // payment split across lines counts only its part.
            Some(line) => format!(
                "(SELECT amount_pence FROM spending_split t WHERE t.spending_id = s.id AND t.line_key = {})",
                line.0
            ),
            None => "s.amount_pence".to_owned(),
        };
        let mut all_values = Vec::with_capacity(values.len() + 1);
        // CROSS JOIN: SQLite goes from the word index's matches to the
        // payments, never the other way round.
        let source = if filter.text.chars().count() >= 3 {
            all_values.push(Value::Text(fts_trigrams(&filter.text)));
            "(SELECT rowid AS id FROM spending_words WHERE spending_words MATCH ?) w
             CROSS JOIN spending s ON s.id = w.id"
        } else {
            "spending s"
        };
        all_values.extend(values.iter().cloned());
        let mut matches = self
            .conn
            .prepare(&format!(
                "SELECT s.id, s.paid_on, s.entry_key, s.voided_at IS NOT NULL, COALESCE({amount}, 0)
                 FROM {source} WHERE {condition}"
            ))?
            .query_map(params_from_iter(all_values.iter()), |row| {
                Ok(Match {
                    id: row.get(0)?,
                    paid_on: row.get(1)?,
                    entry_key: row.get(2)?,
                    removed: row.get(3)?,
                    amount: row.get(4)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        // The list's order: newest first, then the latest entered.
        matches.sort_unstable_by(|a, b| (&b.paid_on, b.entry_key).cmp(&(&a.paid_on, a.entry_key)));
        Ok(matches)
    }

    /// How many payments the list shows for `from`..`to` (ISO dates),
    /// charged to `line` if given, how many of them are removed, and what
    /// the others add up to (on that line). The live ones come from the
    /// daily totals; the removed ones, few, are counted.
    fn listed_totals(
        &self,
        plan: PlanId,
        line: Option<LineKey>,
        from: &str,
        to: &str,
    ) -> Result<(u32, u32, i64)> {
        let (live, amount): (i64, i64) = match line {
            Some(line) => self
                .conn
                .prepare_cached(
                    "SELECT COALESCE(sum(payments), 0), COALESCE(sum(amount_pence), 0)
                     FROM ledger_day_line WHERE plan_id = ?1 AND line_key = ?4 AND paid_on BETWEEN ?2 AND ?3",
                )?
                .query_row(params![plan.0, from, to, line.0], |row| Ok((row.get(0)?, row.get(1)?)))?,
            None => self
                .conn
                .prepare_cached(
                    "SELECT COALESCE(sum(payments), 0), COALESCE(sum(amount_pence), 0)
                     FROM ledger_day WHERE plan_id = ?1 AND paid_on BETWEEN ?2 AND ?3",
                )?
                .query_row(params![plan.0, from, to], |row| Ok((row.get(0)?, row.get(1)?)))?,
        };
        // Named, as SQLite would otherwise walk every current row of the
        // plan to find the few removed ones.
        let removed: i64 = self
            .conn
            .prepare_cached(
                "SELECT count(*) FROM spending s INDEXED BY spending_removed
                 WHERE s.plan_id = ?1 AND s.superseded_by IS NULL AND s.voided_at IS NOT NULL
                   AND s.paid_on BETWEEN ?2 AND ?3
                   AND (?4 IS NULL OR EXISTS (
                       SELECT 1 FROM spending_split f WHERE f.spending_id = s.id AND f.line_key = ?4))",
            )?
            .query_row(params![plan.0, from, to, line.map(|line| line.0)], |row| row.get(0))?;
        let count = |number: i64| u32::try_from(number).map_err(|_| Error::Overflow);
        Ok((count(live + removed)?, count(removed)?, amount))
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
        let size = i64::try_from(file.bytes().len()).map_err(|_| Error::Overflow)?;
        // The files first, so the rows below never name one not kept. (A
        // file kept for a write that then fails is harmless: it is named
        // by its contents, and the next attempt finds it.)
        self.keep_file(file.sha256(), file.bytes())?;
        let thumbnail_sha256 = match file.thumbnail() {
            Some(thumbnail) => {
                let sha256 = crate::evidence::sha256_hex(thumbnail);
                self.keep_file(&sha256, thumbnail)?;
                Some(sha256)
            }
            None => None,
        };
        let tx = self.conn.savepoint()?;
        let by = require_person(&tx, person, "recordedBy")?;
        tx.execute(
            "INSERT INTO attachment (sha256, media_type, size_bytes, thumbnail_sha256, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (sha256) DO NOTHING",
            params![
                file.sha256(),
                file.media_type().mime(),
                size,
                thumbnail_sha256,
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
        let (mime, sha256): (String, String) = self
            .conn
            .query_row(
                "SELECT media_type, sha256 FROM attachment WHERE id = ?1",
                [attachment.0],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .optional()?
            .ok_or(Error::NotFound { what: "evidence" })?;
        let media_type = MediaType::from_mime(&mime)
            .ok_or_else(|| Error::Corrupt(format!("attachment type {mime}")))?;
        Ok((media_type, self.file_content(&sha256)?))
    }

    /// An evidence file's contents, found by their SHA-256: how a
    /// statement's receipts are read one at a time as they are printed.
    /// Files are kept by their contents, so whatever data is open, the
    /// contents found are the ones asked for.
    pub fn evidence_content(&self, sha256: &str) -> Result<Vec<u8>> {
        let known: bool = self.conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM attachment WHERE sha256 = ?1)",
            [sha256],
            |row| row.get(0),
        )?;
        if !known {
            return Err(Error::NotFound { what: "evidence" });
        }
        self.file_content(sha256)
    }

    /// A receipt's contents for a printed statement: as
    /// [`Store::evidence_content`], but a file lost or damaged on the disk
    /// gives no bytes, which the statement prints as a picture that could
    /// not be read, naming the payment. The statement is still made; one
    /// lost file does not keep a person from their review.
    pub fn evidence_content_to_print(&self, sha256: &str) -> Result<Vec<u8>> {
        match self.evidence_content(sha256) {
            Err(Error::MissingEvidenceFile { .. } | Error::DamagedEvidenceFile { .. }) => {
                Ok(Vec::new())
            }
            other => other,
        }
    }

    /// The SHA-256 of every photo kept as evidence, oldest first: the
    /// files a statement may print as pictures.
    pub fn photo_sha256s(&self) -> Result<Vec<String>> {
        let mut statement = self.conn.prepare(
            "SELECT sha256 FROM attachment WHERE media_type <> 'application/pdf' ORDER BY id",
        )?;
        let found = statement
            .query_map([], |row| row.get(0))?
            .collect::<rusqlite::Result<Vec<String>>>()?;
        Ok(found)
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
        let thumbnail: Option<String> = self
            .conn
            .query_row(
                "SELECT a.thumbnail_sha256 FROM attachment a
                 JOIN spending_evidence e ON e.attachment_id = a.id
                 WHERE a.id = ?1 AND e.entry_key = ?2
                   AND EXISTS (SELECT 1 FROM spending s WHERE s.entry_key = e.entry_key AND s.plan_id = ?3)",
                params![attachment.0, key.0, plan.0],
                |row| row.get(0),
            )
            .optional()?
            .ok_or(Error::NotFound { what: "evidence" })?;
        thumbnail
            .map(|sha256| self.file_content(&sha256))
            .transpose()
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

/// Adds the words of every payment row from `first` on (those inserted
/// since, as SQLite numbers new rows upwards) to the word index, in one
/// statement. Every caller of [`insert_payment`] runs it once its rows are
/// in: FTS5 writes out what it holds whenever a statement with triggers
/// begins, so words added row by row between payments were written out
/// row by row, and saving many payments took three times as long.
pub(super) fn index_words_since(conn: &Connection, first: i64) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO spending_words (rowid, payee, note, reference)
         SELECT id, payee, note, reference FROM spending WHERE id >= ?1",
    )?
    .execute([first])?;
    Ok(())
}

/// Inserts a payment row and its parts on lines (the triggers of migration
/// 0008 add it to the daily totals); the caller then adds its words with
/// [`index_words_since`].
pub(super) fn insert_payment(
    conn: &Connection,
    plan: PlanId,
    replaces: Option<EntryKey>,
    checked: &CheckedPayment,
    recorded_by: &str,
    person: PersonId,
    change_reason: &str,
) -> Result<i64> {
    // The row's id is chosen here, so that a new entry's key (the id of
    // its first revision) is written with it rather than by an update,
    // which would rewrite the row's place in three indexes. Inside this
    // write transaction no one else adds rows. (Statements are cached: a
    // batch of payments prepares each once.)
    let id = conn
        .prepare_cached("SELECT max(id) FROM spending")?
        .query_row([], |row| row.get::<_, Option<i64>>(0))?
        .unwrap_or(0)
        .checked_add(1)
        .ok_or(Error::Overflow)?;
    conn.prepare_cached(
        "INSERT INTO spending (id, plan_id, entry_key, paid_on, payee, amount_pence, how_paid, reference,
                               cash_withdrawal, note, no_evidence_reason, recorded_by, recorded_by_person,
                               recorded_at, change_reason)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
    )?
    .execute(params![
        id,
        plan.0,
        replaces.map_or(id, |key| key.0),
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
    ])?;
    let mut insert_split = conn.prepare_cached(
        "INSERT INTO spending_split (spending_id, line_key, amount_pence) VALUES (?1, ?2, ?3)",
    )?;
    for split in &checked.splits {
        insert_split.execute(params![id, split.line_key.0, split.amount.pence()])?;
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
