//! Money in and money out, as the ledger keeps them: each payment with the
//! budget lines it was spent on, how it was paid, its evidence, and its
//! history of edits and voids.
//!
//! Entries are never overwritten or deleted. An edit adds a new revision of
//! the entry and keeps the earlier one; a removal is a void with a reason.
//! Both record who did it and when.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::evidence::{EvidenceKind, MediaType};
use crate::exclusions::ExclusionWarning;
use crate::model::PersonId;
use crate::money::Money;

/// Identifies an entry across its revisions (the id of its first revision).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[ts(type = "number")]
pub struct EntryKey(pub i64);

/// Identifies a stored evidence file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[ts(type = "number")]
pub struct AttachmentId(pub i64);

pub use crate::ids::LineKey;

/// How a payment was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum HowPaid {
    /// Bank transfer.
    BankTransfer,
    /// Debit or prepaid card.
    Card,
    /// Direct debit.
    DirectDebit,
    /// Standing order.
    StandingOrder,
    /// Cash.
    Cash,
    /// Cheque.
    Cheque,
}

/// What kind of money came in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum MoneyInKind {
    /// A payment from a funder, as the plan says.
    Funding,
    /// An extra payment from a funder.
    TopUp,
    /// Money paid back by a supplier.
    Refund,
    /// The holder's own contribution.
    Contribution,
}

/// Part of a payment charged to one budget line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Split {
    /// The line.
    pub line_key: LineKey,
    /// How much of the payment.
    pub amount: Money,
}

/// Part of a payment as typed: the line, and the amount (which may be left
/// empty when the whole payment goes to one line).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SplitDraft {
    /// The line.
    pub line_key: LineKey,
    /// How much, as typed; empty for "all of it" when there is one line.
    pub amount: String,
}

/// A payment out, as typed.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PaymentDraft {
    /// The day it was paid.
    pub paid_on: String,
    /// Who was paid.
    pub payee: String,
    /// How much.
    pub amount: String,
    /// How it was paid.
    pub how_paid: HowPaid,
    /// A reference: invoice number, cheque number…
    pub reference: String,
    /// Whether this is cash taken out, to be spent on what the lines say.
    pub cash_withdrawal: bool,
    /// The budget lines it was spent on.
    pub splits: Vec<SplitDraft>,
    /// Anything worth remembering.
    pub note: String,
    /// Why there is no receipt, if there is none.
    pub no_evidence_reason: String,
    /// Who is recording it.
    pub recorded_by: PersonId,
}

/// A piece of evidence attached to an entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct EvidenceRef {
    /// The stored file.
    pub attachment_id: AttachmentId,
    /// Receipt, invoice…
    pub kind: EvidenceKind,
    /// The file's name when it was added.
    pub file_name: String,
    /// PNG, JPEG or PDF.
    pub media_type: MediaType,
    /// Its size.
    pub size_bytes: u32,
    /// Whether a thumbnail can be shown.
    pub has_thumbnail: bool,
    /// Who added it.
    pub added_by: String,
}

/// A void: an entry taken out of the figures, with why, by whom and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct VoidInfo {
    /// Why.
    pub reason: String,
    /// Who.
    pub by: String,
    /// When (UTC, RFC 3339).
    pub at: String,
}

/// A payment out as it stands now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Payment {
    /// The entry, across its revisions.
    pub key: EntryKey,
    /// The day it was paid.
    pub paid_on: NaiveDate,
    /// Who was paid.
    pub payee: String,
    /// How much.
    pub amount: Money,
    /// How it was paid (none for entries from before this was asked).
    pub how_paid: Option<HowPaid>,
    /// A reference.
    pub reference: String,
    /// Cash taken out.
    pub cash_withdrawal: bool,
    /// The lines it was spent on; empty for entries from before lines.
    pub splits: Vec<Split>,
    /// A note.
    pub note: String,
    /// Why there is no evidence.
    pub no_evidence_reason: String,
    /// The evidence attached.
    pub evidence: Vec<EvidenceRef>,
    /// No evidence and no reason given: a reviewer will ask.
    pub lacks_evidence: bool,
    /// Who recorded this revision.
    pub recorded_by: String,
    /// When (UTC, RFC 3339).
    pub recorded_at: String,
    /// How many revisions it has had (1 if never edited).
    pub revision_count: u32,
    /// Set when it has been voided.
    pub voided: Option<VoidInfo>,
    /// The plan version in force on the day it was paid.
    pub version_number: u32,
    /// Set when it looks like spending a PHB cannot be used for.
    pub warning: Option<ExclusionWarning>,
    /// The day the account's own statement shows it, when a line of an
    /// imported statement was paired with it.
    pub in_account_on: Option<NaiveDate>,
}

/// One revision of a payment, for its history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PaymentRevision {
    /// 1 for the entry as first recorded.
    pub number: u32,
    /// The day paid, in this revision.
    pub paid_on: NaiveDate,
    /// Payee, in this revision.
    pub payee: String,
    /// Amount, in this revision.
    pub amount: Money,
    /// The lines, in this revision.
    pub splits: Vec<Split>,
    /// Note, in this revision.
    pub note: String,
    /// Who recorded it.
    pub recorded_by: String,
    /// When.
    pub recorded_at: String,
    /// Why it was changed (empty for the first).
    pub change_reason: String,
}

/// Money in, as typed.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MoneyInDraft {
    /// The day it arrived.
    pub received_on: String,
    /// Funding, top-up, refund or contribution.
    pub kind: MoneyInKind,
    /// Who it came from.
    pub source: String,
    /// How much.
    pub amount: String,
    /// A reference, as on the statement.
    pub reference: String,
    /// A note.
    pub note: String,
    /// Who is recording it.
    pub recorded_by: PersonId,
}

/// Money in as it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MoneyIn {
    /// The entry.
    pub key: EntryKey,
    /// The day it arrived.
    pub received_on: NaiveDate,
    /// What kind.
    pub kind: MoneyInKind,
    /// Who it came from.
    pub source: String,
    /// How much.
    pub amount: Money,
    /// A reference.
    pub reference: String,
    /// A note.
    pub note: String,
    /// Who recorded it.
    pub recorded_by: String,
    /// When.
    pub recorded_at: String,
    /// Set when it has been voided.
    pub voided: Option<VoidInfo>,
}

/// A payment the plan says is due from a funder, and whether it has come.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ExpectedPayment {
    /// When it is due.
    pub due_on: NaiveDate,
    /// From whom (the stream's funder name).
    pub source: String,
    /// How much.
    pub amount: Money,
    /// Whether a funding payment from that source has been recorded near
    /// that date.
    pub received: bool,
}

/// Every funder payment the plan's versions schedule, oldest first: each
/// stream's instalments that fall while its version is in force.
pub fn due_payments(history: &crate::plan::PlanHistory) -> Vec<ExpectedPayment> {
    let mut due: Vec<ExpectedPayment> = history
        .versions
        .iter()
        .flat_map(|version| {
            version.content.streams.iter().flat_map(move |stream| {
                // A stream's instalments were checked when it was saved.
                crate::plan::stream_instalments(stream, history.start_date, history.end_date)
                    .unwrap_or_default()
                    .into_iter()
                    .filter(move |(date, _)| {
                        (version.effective_from..=version.effective_to).contains(date)
                    })
                    .map(move |(due_on, amount)| ExpectedPayment {
                        due_on,
                        source: stream.funder_name.clone(),
                        amount,
                        received: false,
                    })
            })
        })
        .collect();
    due.sort_by_key(|payment| payment.due_on);
    due
}

use crate::error::{Error, FormCheck, Result};
use crate::forms::{date_in_plan, positive_money, MAX_NOTE_CHARS, MAX_PAYEE_CHARS};
use crate::input::{format_date, optional_text, required_text};
use crate::plan::PlanHistory;

/// Longest reference.
pub const MAX_REFERENCE_CHARS: usize = 100;
/// Longest reason (for no evidence, an edit or a void).
pub const MAX_REASON_CHARS: usize = 500;
/// Most lines one payment can be split across.
pub const MAX_SPLITS: usize = 20;

/// A payment checked against its plan, ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedPayment {
    /// Inside the plan, not in the future.
    pub paid_on: NaiveDate,
    /// Who was paid.
    pub payee: String,
    /// More than zero.
    pub amount: Money,
    /// How.
    pub how_paid: HowPaid,
    /// Possibly empty.
    pub reference: String,
    /// Cash taken out.
    pub cash_withdrawal: bool,
    /// Lines of the version in force on `paid_on`, adding up to `amount`.
    pub splits: Vec<Split>,
    /// Possibly empty.
    pub note: String,
    /// Possibly empty.
    pub no_evidence_reason: String,
}

impl PaymentDraft {
    /// Checks the payment against the plan, on `today`.
    /// Every field is checked, and a failure names each one at fault.
    pub fn check(&self, plan: &PlanHistory, today: NaiveDate) -> Result<CheckedPayment> {
        let mut form = FormCheck::default();
        let paid_on = form.field(date_in_plan(
            "paidOn",
            &self.paid_on,
            plan.start_date,
            plan.end_date,
            today,
        ))?;
        let payee = form.field(required_text(
            "payee",
            "who was paid",
            &self.payee,
            MAX_PAYEE_CHARS,
        ))?;
        let amount = form.field(positive_money("amount", &self.amount))?;
        let reference = form.field(optional_text(
            "reference",
            "the reference",
            &self.reference,
            MAX_REFERENCE_CHARS,
            false,
        ))?;
        // The lines are checked against the plan in force on the day, and
        // their parts against the amount: only once both are known.
        let splits = match (paid_on, amount) {
            (Some(paid_on), Some(amount)) => {
                form.field(self.check_splits(plan, paid_on, amount))?
            }
            _ => None,
        };
        let note = form.field(optional_text(
            "note",
            "the note",
            &self.note,
            MAX_NOTE_CHARS,
            true,
        ))?;
        let no_evidence_reason = form.field(optional_text(
            "noEvidenceReason",
            "the reason there is no receipt",
            &self.no_evidence_reason,
            MAX_REASON_CHARS,
            true,
        ))?;
        form.finish()?;
        let (
            Some(paid_on),
            Some(payee),
            Some(amount),
            Some(reference),
            Some(splits),
            Some(note),
            Some(no_evidence_reason),
        ) = (
            paid_on,
            payee,
            amount,
            reference,
            splits,
            note,
            no_evidence_reason,
        )
        else {
            return Err(Error::Corrupt("a checked payment lost a field".into()));
        };
        Ok(CheckedPayment {
            paid_on,
            payee,
            amount,
            how_paid: self.how_paid,
            reference,
            cash_withdrawal: self.cash_withdrawal,
            splits,
            note,
            no_evidence_reason,
        })
    }

    fn check_splits(
        &self,
        plan: &PlanHistory,
        paid_on: NaiveDate,
        amount: Money,
    ) -> Result<Vec<Split>> {
        if self.splits.is_empty() {
            return Err(Error::invalid(
                "splits",
                "Choose the budget line this was spent on.",
            ));
        }
        if self.splits.len() > MAX_SPLITS {
            return Err(Error::invalid(
                "splits",
                format!("A payment can be split across at most {MAX_SPLITS} lines."),
            ));
        }
        let version = plan.version_on(paid_on);
        let mut splits = Vec::with_capacity(self.splits.len());
        for (i, split) in self.splits.iter().enumerate() {
            let in_force = version
                .content
                .lines
                .iter()
                .any(|line| line.key == Some(split.line_key));
            if !in_force {
                return Err(Error::invalid(
                    format!("splits.{i}.lineKey"),
                    format!(
                        "That line is not in the plan in force on {} (version {}). Choose one of its lines.",
                        format_date(paid_on),
                        version.number
                    ),
                ));
            }
            if splits
                .iter()
                .any(|earlier: &Split| earlier.line_key == split.line_key)
            {
                return Err(Error::invalid(
                    format!("splits.{i}.lineKey"),
                    "That line is chosen twice. Put its parts together.",
                ));
            }
            let part = if self.splits.len() == 1 && split.amount.trim().is_empty() {
                amount
            } else {
                positive_money(&format!("splits.{i}.amount"), &split.amount)?
            };
            splits.push(Split {
                line_key: split.line_key,
                amount: part,
            });
        }
        let total =
            Money::checked_sum(splits.iter().map(|split| split.amount)).ok_or(Error::Overflow)?;
        if total != amount {
            return Err(Error::invalid(
                "splits",
                format!("The parts come to {total}, but the payment is {amount}. Make them add up to the payment."),
            ));
        }
        Ok(splits)
    }
}

/// Asks "Are you sure?" about a payment bigger than seems likely: more than
/// the plan has left, or with a part more than its budget line's whole
/// allocation. Such a payment is allowed (a plan can be overspent and a
/// line can go over), but it is most often a slip of the keyboard (£116,000
/// for £116.00), and once saved it makes every figure on the screen wrong.
///
/// `left` is what the whole plan has left without this payment (for a
/// change, without the payment's earlier amount). Returns `Ok(())` when
/// there is nothing to ask, or an [`Error::NeedsConfirmation`] naming the
/// field to change and saying why, ending "Save it anyway?".
pub fn check_size(payment: &CheckedPayment, plan: &PlanHistory, left: Money) -> Result<()> {
    let period = if matches!(plan.days(), 365 | 366) {
        "for the year"
    } else {
        "for the whole plan"
    };
    let mut sentences = Vec::new();
    let mut field = None;
    // What the whole amount is more than.
    let mut more_than = Vec::new();
    if payment.amount > left {
        field = Some("amount".to_owned());
        if left > Money::ZERO {
            more_than.push(format!("more than the {left} left in the whole plan"));
        } else {
            let over = Money::ZERO.checked_sub(left).ok_or(Error::Overflow)?;
            sentences.push(format!(
                "Nothing is left in the whole plan: {}.",
                if over == Money::ZERO {
                    "all of the budget has been spent".to_owned()
                } else {
                    format!("{over} more than the budget has been spent already")
                }
            ));
        }
    }
    let single = payment.splits.len() == 1;
    let mut parts = Vec::new();
    for (i, split) in payment.splits.iter().enumerate() {
        let allocated = plan.line_allocation(split.line_key)?;
        if split.amount <= allocated {
            continue;
        }
        let line = plan.line_description(split.line_key).unwrap_or("its line");
        if single {
            field.get_or_insert_with(|| "amount".to_owned());
            more_than.push(format!(
                "more than the {allocated} allocated to {line} {period}"
            ));
        } else {
            field.get_or_insert_with(|| format!("splits.{i}.amount"));
            parts.push(format!(
                "The {} on {line} is more than the {allocated} allocated to it {period}.",
                split.amount
            ));
        }
    }
    let Some(field) = field else {
        return Ok(());
    };
    if !more_than.is_empty() {
        sentences.push(format!(
            "{} is {}.",
            payment.amount,
            more_than.join(", and ")
        ));
    }
    sentences.extend(parts);
    sentences.push("Check the amount. Save it anyway?".to_owned());
    Err(Error::NeedsConfirmation {
        field,
        message: sentences.join(" "),
    })
}

/// Money in checked against its plan, ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedMoneyIn {
    /// Inside the plan, not in the future.
    pub received_on: NaiveDate,
    /// What kind.
    pub kind: MoneyInKind,
    /// Who from.
    pub source: String,
    /// More than zero.
    pub amount: Money,
    /// Possibly empty.
    pub reference: String,
    /// Possibly empty.
    pub note: String,
}

impl MoneyInDraft {
    /// Checks the money in against the plan, on `today`; a failure names
    /// every field at fault.
    pub fn check(&self, plan: &PlanHistory, today: NaiveDate) -> Result<CheckedMoneyIn> {
        let mut form = FormCheck::default();
        let received_on = form.field(date_in_plan(
            "receivedOn",
            &self.received_on,
            plan.start_date,
            plan.end_date,
            today,
        ))?;
        let source = form.field(required_text(
            "source",
            "who the money came from",
            &self.source,
            MAX_PAYEE_CHARS,
        ))?;
        let amount = form.field(positive_money("amount", &self.amount))?;
        let reference = form.field(optional_text(
            "reference",
            "the reference",
            &self.reference,
            MAX_REFERENCE_CHARS,
            false,
        ))?;
        let note = form.field(optional_text(
            "note",
            "the note",
            &self.note,
            MAX_NOTE_CHARS,
            true,
        ))?;
        form.finish()?;
        let (Some(received_on), Some(source), Some(amount), Some(reference), Some(note)) =
            (received_on, source, amount, reference, note)
        else {
            return Err(Error::Corrupt("a checked money in lost a field".into()));
        };
        Ok(CheckedMoneyIn {
            received_on,
            kind: self.kind,
            source,
            amount,
            reference,
            note,
        })
    }
}

/// Checks a reason for an edit or a void.
pub fn check_reason(text: &str, what: &str) -> Result<String> {
    let reason = optional_text("reason", "the reason", text, MAX_REASON_CHARS, true)?;
    if reason.is_empty() {
        return Err(Error::invalid(
            "reason",
            format!("Say why {what}, so the record shows it."),
        ));
    }
    Ok(reason)
}

/// How many payments a page of the list holds.
pub const PAGE_SIZE: u32 = 50;

/// What to look for in the list of payments, as typed. Empty means "any".
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PaymentFilter {
    /// Paid on or after, as typed.
    pub from: String,
    /// Paid on or before, as typed.
    pub to: String,
    /// Charged (at least partly) to this line.
    pub line_key: Option<LineKey>,
    /// At least this much, as typed.
    pub min_amount: String,
    /// At most this much, as typed.
    pub max_amount: String,
    /// Only payments with no evidence and no reason.
    pub no_receipt: bool,
    /// Words to find in the payee, note or reference.
    pub text: String,
    /// The page wanted, from 0.
    pub page: u32,
}

/// A checked filter, ready to turn into a query.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CheckedFilter {
    /// From this day.
    pub from: Option<NaiveDate>,
    /// Up to this day.
    pub to: Option<NaiveDate>,
    /// This line.
    pub line_key: Option<LineKey>,
    /// At least.
    pub min_amount: Option<Money>,
    /// At most.
    pub max_amount: Option<Money>,
    /// No evidence and no reason.
    pub no_receipt: bool,
    /// Words, trimmed; empty for any.
    pub text: String,
    /// The page, from 0.
    pub page: u32,
}

impl PaymentFilter {
    /// Checks the filter: dates and amounts as typed, in a sensible order.
    pub fn check(&self) -> Result<CheckedFilter> {
        let date = |field: &str, text: &str| -> Result<Option<NaiveDate>> {
            if text.trim().is_empty() {
                Ok(None)
            } else {
                crate::input::parse_date(field, text).map(Some)
            }
        };
        let money = |field: &str, text: &str| -> Result<Option<Money>> {
            if text.trim().is_empty() {
                Ok(None)
            } else {
                Money::parse(text)
                    .map(Some)
                    .map_err(|error| Error::invalid_money(field, error))
            }
        };
        let checked = CheckedFilter {
            from: date("from", &self.from)?,
            to: date("to", &self.to)?,
            line_key: self.line_key,
            min_amount: money("minAmount", &self.min_amount)?,
            max_amount: money("maxAmount", &self.max_amount)?,
            no_receipt: self.no_receipt,
            text: optional_text(
                "text",
                "the text to find",
                &self.text,
                MAX_PAYEE_CHARS,
                false,
            )?,
            page: self.page,
        };
        if let (Some(from), Some(to)) = (checked.from, checked.to) {
            if to < from {
                return Err(Error::invalid(
                    "to",
                    "The end of the dates to show is before their start. Swap them round.",
                ));
            }
        }
        if let (Some(min), Some(max)) = (checked.min_amount, checked.max_amount) {
            if max < min {
                return Err(Error::invalid(
                    "maxAmount",
                    "The largest amount is less than the smallest. Swap them round.",
                ));
            }
        }
        Ok(checked)
    }
}

/// One page of the payments that match a filter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PaymentPage {
    /// The payments on this page, newest first.
    pub payments: Vec<Payment>,
    /// How many match, on every page (removed ones included).
    pub total_count: u32,
    /// How many of those have been removed.
    pub removed_count: u32,
    /// What the matching payments add up to (removed ones left out).
    pub total_amount: Money,
    /// This page, from 0.
    pub page: u32,
    /// How many pages there are (at least 1).
    pub page_count: u32,
}
