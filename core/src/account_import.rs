//! Bringing in the account's own statement: what a file would add, adding
//! it with what the person decided for each line, and whether the records
//! agree with the account. The reading and matching are
//! `careledger_import`'s; this puts them together with the store's records.

use chrono::NaiveDate;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::account::{
    AccountAgreement, AccountCheck, AccountDifference, DifferenceKind, NewAccountLine, NewRecord,
    PairedWith,
};
use crate::error::{Error, Result};
use crate::input::{parse_date, shorten};
use crate::ledger::{HowPaid, LineKey, MoneyInDraft, MoneyInKind, PaymentDraft, SplitDraft};
use crate::model::{PersonId, PlanId};
use crate::money::Money;
use crate::plan::PlanHistory;
use crate::store::{LearntFromFile, Store};
use careledger_import::{
    file_kind, propose, read_csv, read_ofx, reconcile, sniff_csv, AccountLine, DateFormat,
    FileKind, LineMatch, PayeeRule, ProposedLine, Records,
};
pub use careledger_import::{CsvLayout, Reconciliation};

/// What a statement file would add, line by line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct StatementFilePreview {
    /// CSV or OFX.
    pub kind: FileKind,
    /// For a CSV file, its layout: as given, as last confirmed for this
    /// holder's files, or as worked out.
    pub layout: Option<CsvLayout>,
    /// Where the layout came from.
    pub layout_from: LayoutFrom,
    /// For a CSV file, its first rows as written, cell by cell.
    pub sample: Vec<Vec<String>>,
    /// Each line and what importing it would do.
    pub lines: Vec<ProposedLine>,
    /// The ways of writing dates a CSV file's layout can say, each shown
    /// by an example.
    pub date_formats: Vec<crate::labels::Choice<DateFormat>>,
}

/// Where a CSV file's layout came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum LayoutFrom {
    /// The file is not CSV.
    NotCsv,
    /// The person gave it.
    Given,
    /// The layout last confirmed for this holder's files, which have the
    /// same columns.
    Saved,
    /// Worked out from the file.
    Found,
}

/// What the person decided for one line of a file, where it is not what
/// was proposed.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
#[serde(
    tag = "choice",
    rename_all = "snake_case",
    rename_all_fields = "camelCase"
)]
pub enum LineChoice {
    /// As proposed: a match is kept, expected funding is recorded, and a
    /// line with nothing proposed is kept unrecorded.
    AsProposed,
    /// Kept with no record: the match proposed is not this money, or the
    /// person will record it later.
    Unrecorded,
    /// It is this recorded payment or money in.
    Pair {
        /// The record.
        record: PairedWith,
    },
    /// Money out: record a payment on this budget line, paid this way.
    Payment {
        /// The budget line.
        line_key: LineKey,
        /// How it was paid.
        how_paid: HowPaid,
    },
    /// Money in: record it as this kind of money in.
    MoneyIn {
        /// Funding, top-up, refund or contribution.
        kind: MoneyInKind,
    },
}

/// A line of the file, by its fingerprint, and what the person decided.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ChosenLine {
    /// The line's fingerprint, as the preview gave it.
    pub fingerprint: String,
    /// What to do with it.
    pub decision: LineChoice,
}

/// What importing a file did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ImportSummary {
    /// Lines new to Careledger, now kept.
    pub added: u32,
    /// Lines kept before, left as they were.
    pub already_imported: u32,
    /// New lines found to be records already made.
    pub paired: u32,
    /// Payments made from new lines.
    pub payments_made: u32,
    /// Money in recorded from new lines.
    pub money_in_made: u32,
    /// New lines kept with no record.
    pub unrecorded: u32,
}

/// Bringing in and checking the account's own statements.
pub trait AccountImport {
    /// What importing `bytes` into `plan` would do, line by line; a CSV
    /// file is read as `layout` says, or as worked out. Writes nothing.
    fn preview_statement_file(
        &self,
        plan: PlanId,
        bytes: &[u8],
        layout: Option<&CsvLayout>,
        today: NaiveDate,
    ) -> Result<StatementFilePreview>;

    /// Keeps the file's lines as proposed, each paired with the record it
    /// was found to be and expected funding recorded: all of them or none,
    /// and a line kept before is left as it is, so importing the same file
    /// twice adds nothing. Returns how many lines were new.
    fn import_statement_file(
        &mut self,
        plan: PlanId,
        bytes: &[u8],
        layout: Option<&CsvLayout>,
        file_name: &str,
        person: PersonId,
        today: NaiveDate,
    ) -> Result<usize> {
        let file = StatementFile {
            bytes,
            layout,
            file_name,
        };
        self.import_statement_choosing(plan, &file, &[], person, today)
            .map(|summary| summary.added as usize)
    }

    /// Keeps the file's lines as [`AccountImport::import_statement_file`]
    /// does, doing for each line what the person chose (as proposed where
    /// they chose nothing): the records made and the rules learnt from the
    /// lines given a budget line are kept in the same transaction, and a
    /// CSV file's layout is kept for the holder's next file.
    fn import_statement_choosing(
        &mut self,
        plan: PlanId,
        file: &StatementFile<'_>,
        choices: &[ChosenLine],
        person: PersonId,
        today: NaiveDate,
    ) -> Result<ImportSummary>;

    /// The records against the account on `on`, when its statement gave
    /// the balance `balance` (both as typed).
    fn reconcile_account(&self, plan: PlanId, on: &str, balance: &str) -> Result<Reconciliation>;

    /// Reconciles as [`AccountImport::reconcile_account`] does, and keeps
    /// the check, made by `person`, for the review statement.
    fn check_against_account(
        &mut self,
        plan: PlanId,
        on: &str,
        balance: &str,
        person: PersonId,
        today: NaiveDate,
    ) -> Result<Reconciliation>;

    /// The latest kept check of the records against the account on or
    /// before `by`, reconciled again with the records as they are now.
    fn latest_reconciliation(&self, plan: PlanId, by: NaiveDate) -> Result<Option<Reconciliation>>;

    /// A reconciliation with the fingerprint of each line it lists as in
    /// the account but not recorded, so the person can record it.
    fn account_check_view(
        &self,
        plan: PlanId,
        reconciliation: Reconciliation,
    ) -> Result<AccountCheckView>;

    /// Records a line of the account's statement kept unrecorded at its
    /// import, as `decision` says (a payment on a budget line, or money
    /// in), paired with the line; a payee's line is learnt for next time.
    fn record_account_line(
        &mut self,
        plan: PlanId,
        fingerprint: &str,
        decision: &LineChoice,
        person: PersonId,
        today: NaiveDate,
    ) -> Result<()>;
}

/// A check against the account as the screen shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AccountCheckView {
    /// What agrees and what does not.
    pub reconciliation: Reconciliation,
    /// The fingerprint of each line of `reconciliation.not_recorded`, in
    /// the same order.
    pub not_recorded_prints: Vec<String>,
}

/// A statement file as the person gave it.
#[derive(Debug, Clone, Copy)]
pub struct StatementFile<'a> {
    /// Its bytes.
    pub bytes: &'a [u8],
    /// For a CSV file, the layout the person confirmed; `None` to use the
    /// holder's saved layout or work it out.
    pub layout: Option<&'a CsvLayout>,
    /// Its name, kept with its lines.
    pub file_name: &'a str,
}

/// A file's kind, layout, first rows and lines: a CSV file read with the
/// layout given, else the holder's saved layout when the file has the same
/// columns, else the layout worked out.
fn read_lines(
    store: &Store,
    plan: PlanId,
    bytes: &[u8],
    layout: Option<&CsvLayout>,
) -> Result<ReadFile> {
    match file_kind(bytes)? {
        FileKind::Ofx => Ok(ReadFile {
            kind: FileKind::Ofx,
            layout: None,
            layout_from: LayoutFrom::NotCsv,
            sample: Vec::new(),
            lines: read_ofx(bytes)?,
        }),
        FileKind::Csv => {
            let (found, sample, problem) = match sniff_csv(bytes) {
                Ok(found) => (Some(found.layout), found.sample, None),
                Err(problem) => (None, Vec::new(), Some(problem)),
            };
            let saved = || -> Result<Option<CsvLayout>> {
                let saved = store.statement_layout(plan)?;
                // A layout that no longer reads (kept by an older version,
                // or restored from elsewhere) is worked out again.
                Ok(saved.and_then(|text| serde_json::from_str::<CsvLayout>(&text).ok()))
            };
            let (layout, layout_from) = match (layout, found) {
                (Some(given), _) => (given.clone(), LayoutFrom::Given),
                (None, Some(found)) => match saved()? {
                    Some(saved) if saved.columns == found.columns => (saved, LayoutFrom::Saved),
                    _ => (found, LayoutFrom::Found),
                },
                // A file Careledger cannot work out may still read with
                // the columns the person confirmed for this account.
                (None, None) => match (saved()?, problem) {
                    (Some(saved), _) => (saved, LayoutFrom::Saved),
                    (None, problem) => {
                        return Err(problem.unwrap_or_else(|| {
                            Error::invalid(
                                "file",
                                "Careledger cannot find the columns in this file.",
                            )
                        }))
                    }
                },
            };
            let lines = read_csv(bytes, &layout)?;
            Ok(ReadFile {
                kind: FileKind::Csv,
                layout: Some(layout),
                layout_from,
                sample,
                lines,
            })
        }
    }
}

struct ReadFile {
    kind: FileKind,
    layout: Option<CsvLayout>,
    layout_from: LayoutFrom,
    sample: Vec<Vec<String>>,
    lines: Vec<AccountLine>,
}

/// The record a line's choice makes, checked against the plan as a form
/// would be; a problem is said with the line of the file.
fn record_for(
    proposed: &ProposedLine,
    choice: &LineChoice,
    history: &PlanHistory,
    file_name: &str,
    person: PersonId,
    today: NaiveDate,
) -> Result<Option<NewRecord>> {
    let line = &proposed.line;
    // A line kept from an earlier import no longer knows its place in its
    // file (row 0): it is named by its words alone.
    let at_row = |error: Error| {
        let which = match line.row {
            0 => format!("The line \u{201c}{}\u{201d}", line.description),
            row => format!("Line {row} of the file ({})", line.description),
        };
        Error::invalid("file", format!("{which}: {error}"))
    };
    let who = shorten(line.description.trim(), 120);
    let note = match line.row {
        0 => format!("From the account statement {file_name}."),
        row => format!("From the account statement {file_name}, line {row}."),
    };
    let money_in = |kind: MoneyInKind, source: String| {
        MoneyInDraft {
            received_on: line.date.to_string(),
            kind,
            source,
            amount: line.amount.to_string(),
            reference: shorten(line.description.trim(), 100),
            note: note.clone(),
            recorded_by: person,
        }
        .check(history, today)
        .map(|checked| Some(NewRecord::MoneyIn(checked)))
        .map_err(at_row)
    };
    match (choice, &proposed.proposal) {
        (LineChoice::AsProposed, LineMatch::ExpectedFunding { source, .. }) => {
            money_in(MoneyInKind::Funding, source.clone())
        }
        (LineChoice::Payment { line_key, how_paid }, _) => {
            if !line.amount.is_negative() {
                return Err(at_row(Error::invalid(
                    "file",
                    "This is money paid in, so it cannot be a payment.",
                )));
            }
            let amount = Money::from_pence(line.amount.pence().saturating_neg());
            PaymentDraft {
                paid_on: line.date.to_string(),
                payee: who,
                amount: amount.to_string(),
                how_paid: *how_paid,
                reference: String::new(),
                cash_withdrawal: false,
                splits: vec![SplitDraft {
                    line_key: *line_key,
                    amount: amount.to_string(),
                }],
                note,
                no_evidence_reason: String::new(),
                recorded_by: person,
            }
            .check(history, today)
            .map(|checked| Some(NewRecord::Payment(checked)))
            .map_err(at_row)
        }
        (LineChoice::MoneyIn { kind }, _) => {
            if line.amount.is_negative() {
                return Err(at_row(Error::invalid(
                    "file",
                    "This is money paid out, so it cannot be money in.",
                )));
            }
            money_in(*kind, who)
        }
        _ => Ok(None),
    }
}

impl AccountImport for Store {
    fn preview_statement_file(
        &self,
        plan: PlanId,
        bytes: &[u8],
        layout: Option<&CsvLayout>,
        today: NaiveDate,
    ) -> Result<StatementFilePreview> {
        let file = read_lines(self, plan, bytes, layout)?;
        let payments = self.payments(plan)?;
        let money_in = self.money_in(plan)?;
        let expected: Vec<_> = self
            .expected_payments(plan, today)?
            .into_iter()
            .filter(|due| !due.received)
            .collect();
        let (imported, already_matched) = self.account_line_marks(plan)?;
        let rules: Vec<PayeeRule> = self
            .payee_rules(plan)?
            .into_iter()
            .map(|(words, line_key)| PayeeRule { words, line_key })
            .collect();
        let lines = propose(
            &file.lines,
            &Records {
                payments: &payments,
                money_in: &money_in,
                expected: &expected,
                already_matched: &already_matched,
                imported: &imported,
                rules: &rules,
            },
        );
        Ok(StatementFilePreview {
            kind: file.kind,
            layout: file.layout,
            layout_from: file.layout_from,
            sample: file.sample,
            lines,
            date_formats: DateFormat::ALL
                .iter()
                .map(|format| crate::labels::Choice {
                    value: *format,
                    label: format.example(),
                })
                .collect(),
        })
    }

    fn import_statement_choosing(
        &mut self,
        plan: PlanId,
        file: &StatementFile<'_>,
        choices: &[ChosenLine],
        person: PersonId,
        today: NaiveDate,
    ) -> Result<ImportSummary> {
        let preview = self.preview_statement_file(plan, file.bytes, file.layout, today)?;
        let history = self.plan_history(plan)?;
        let name = file.file_name.trim();
        let name = if name.is_empty() {
            "statement".to_owned()
        } else {
            shorten(name, 200)
        };
        let mut summary = ImportSummary::default();
        let mut learnt = LearntFromFile {
            payee_rules: Vec::new(),
            layout: match &preview.layout {
                Some(layout) => Some(serde_json::to_string(layout).map_err(|error| {
                    Error::invalid(
                        "file",
                        format!("Careledger could not keep the file's layout: {error}"),
                    )
                })?),
                None => None,
            },
        };
        let mut lines = Vec::with_capacity(preview.lines.len());
        for proposed in &preview.lines {
            if proposed.proposal == LineMatch::AlreadyImported {
                summary.already_imported += 1;
                continue;
            }
            let choice = choices
                .iter()
                .find(|chosen| chosen.fingerprint == proposed.fingerprint)
                .map_or(&LineChoice::AsProposed, |chosen| &chosen.decision);
            let makes = record_for(proposed, choice, &history, &name, person, today)?;
            let paired_with = match (choice, &proposed.proposal) {
                (LineChoice::Pair { record }, _) => Some(*record),
                (LineChoice::AsProposed, LineMatch::Payment { entry_key, .. }) => {
                    Some(PairedWith::Payment {
                        entry_key: *entry_key,
                    })
                }
                (LineChoice::AsProposed, LineMatch::MoneyIn { entry_key, .. }) => {
                    Some(PairedWith::MoneyIn {
                        entry_key: *entry_key,
                    })
                }
                _ => None,
            };
            if let LineChoice::Payment { line_key, .. } = choice {
                let words = careledger_import::telling_words(&proposed.line.description).join(" ");
                if !words.is_empty() {
                    learnt.payee_rules.retain(|(known, _)| *known != words);
                    learnt.payee_rules.push((shorten(&words, 200), *line_key));
                }
            }
            match (&makes, paired_with) {
                (Some(NewRecord::Payment(_)), _) => summary.payments_made += 1,
                (Some(NewRecord::MoneyIn(_)), _) => summary.money_in_made += 1,
                (None, Some(_)) => summary.paired += 1,
                (None, None) => summary.unrecorded += 1,
            }
            summary.added += 1;
            lines.push(NewAccountLine {
                paired_with,
                makes,
                fingerprint: proposed.fingerprint.clone(),
                date: proposed.line.date,
                description: proposed.line.description.clone(),
                amount: proposed.line.amount,
                balance: proposed.line.balance,
            });
        }
        self.import_account_lines(plan, &lines, &learnt, &name, person)?;
        Ok(summary)
    }

    fn reconcile_account(&self, plan: PlanId, on: &str, balance: &str) -> Result<Reconciliation> {
        let check = check_of(on, balance)?;
        self.reconcile_check(plan, check)
    }

    fn check_against_account(
        &mut self,
        plan: PlanId,
        on: &str,
        balance: &str,
        person: PersonId,
        today: NaiveDate,
    ) -> Result<Reconciliation> {
        let check = check_of(on, balance)?;
        if check.on > today {
            return Err(Error::invalid(
                "on",
                "That day has not come yet. Enter the day of the account's statement.",
            ));
        }
        let history = self.plan_history(plan)?;
        if check.on < history.start_date {
            return Err(Error::invalid(
                "on",
                format!(
                    "The plan starts on {}; choose a day from then.",
                    crate::input::format_date(history.start_date)
                ),
            ));
        }
        let reconciliation = self.reconcile_check(plan, check)?;
        self.keep_account_check(plan, check, person)?;
        Ok(reconciliation)
    }

    fn latest_reconciliation(&self, plan: PlanId, by: NaiveDate) -> Result<Option<Reconciliation>> {
        self.latest_account_check(plan, by)?
            .map(|check| self.reconcile_check(plan, check))
            .transpose()
    }

    fn account_check_view(
        &self,
        plan: PlanId,
        reconciliation: Reconciliation,
    ) -> Result<AccountCheckView> {
        // Each listed line is one kept unrecorded; identical lines (two bus
        // fares on a day) are interchangeable, so each is taken once.
        let mut unrecorded: Vec<_> = self
            .account_lines(plan)?
            .into_iter()
            .filter(|kept| kept.paired_with.is_none())
            .collect();
        let not_recorded_prints = reconciliation
            .not_recorded
            .iter()
            .map(|line| {
                let at = unrecorded.iter().position(|kept| {
                    kept.date == line.date
                        && kept.amount == line.amount
                        && kept.description == line.description
                });
                at.map(|at| unrecorded.remove(at).fingerprint)
                    .unwrap_or_default()
            })
            .collect();
        Ok(AccountCheckView {
            reconciliation,
            not_recorded_prints,
        })
    }

    fn record_account_line(
        &mut self,
        plan: PlanId,
        fingerprint: &str,
        decision: &LineChoice,
        person: PersonId,
        today: NaiveDate,
    ) -> Result<()> {
        let kept = self
            .account_lines(plan)?
            .into_iter()
            .find(|kept| kept.fingerprint == fingerprint)
            .ok_or_else(|| {
                Error::invalid(
                    "file",
                    "That line of the account's statement is not in Careledger. Check against the account again.",
                )
            })?;
        let proposed = ProposedLine {
            line: AccountLine {
                row: 0,
                date: kept.date,
                description: kept.description.clone(),
                amount: kept.amount,
                balance: kept.balance,
                bank_id: None,
            },
            fingerprint: kept.fingerprint.clone(),
            proposal: if kept.amount.is_negative() {
                LineMatch::NeedsLine { suggested: None }
            } else {
                LineMatch::NewMoneyIn
            },
        };
        let history = self.plan_history(plan)?;
        let record = record_for(
            &proposed,
            decision,
            &history,
            &kept.file_name,
            person,
            today,
        )?
        .ok_or_else(|| {
            Error::invalid(
                "file",
                "Choose a budget line for the payment, or what kind of money in it is.",
            )
        })?;
        let words = careledger_import::telling_words(&kept.description).join(" ");
        let rule = match decision {
            LineChoice::Payment { line_key, .. } if !words.is_empty() => {
                Some((shorten(&words, 200), *line_key))
            }
            _ => None,
        };
        self.record_account_line_as(
            plan,
            fingerprint,
            &record,
            rule.as_ref().map(|(words, line)| (words.as_str(), *line)),
            person,
        )
    }
}

/// A check as typed: the day and the balance.
fn check_of(on: &str, balance: &str) -> Result<AccountCheck> {
    let mut problems = crate::error::FormCheck::default();
    let on = problems.field(parse_date("on", on))?;
    // An account can be overdrawn: its balance may be below zero.
    let typed = balance.trim();
    let (overdrawn, typed) = match typed.strip_prefix(['-', '−']) {
        Some(rest) => (true, rest),
        None => (false, typed),
    };
    let balance = problems.field(
        Money::parse(typed)
            .map(|amount| {
                if overdrawn {
                    Money::ZERO.checked_sub(amount).unwrap_or(amount)
                } else {
                    amount
                }
            })
            .map_err(|error| Error::invalid_money("balance", error)),
    )?;
    problems.finish()?;
    Ok(AccountCheck {
        on: on.expect("checked"),
        balance: balance.expect("checked"),
    })
}

trait ReconcileCheck {
    fn reconcile_check(&self, plan: PlanId, check: AccountCheck) -> Result<Reconciliation>;
}

impl ReconcileCheck for Store {
    fn reconcile_check(&self, plan: PlanId, check: AccountCheck) -> Result<Reconciliation> {
        let AccountCheck { on, balance } = check;
        let lines: Vec<(AccountLine, Option<PairedWith>)> = self
            .account_lines(plan)?
            .into_iter()
            .map(|kept| {
                let key = kept.paired_with;
                (
                    AccountLine {
                        row: 0,
                        date: kept.date,
                        description: kept.description,
                        amount: kept.amount,
                        balance: kept.balance,
                        bank_id: None,
                    },
                    key,
                )
            })
            .collect();
        reconcile(
            on,
            balance,
            &lines,
            &self.payments(plan)?,
            &self.money_in(plan)?,
        )
    }
}

/// A reconciliation as a review statement gives it: the balances, and each
/// difference in date order.
pub fn agreement_of(reconciliation: &Reconciliation) -> AccountAgreement {
    let mut differences: Vec<AccountDifference> = reconciliation
        .not_recorded
        .iter()
        .map(|line| AccountDifference {
            kind: DifferenceKind::NotRecorded,
            what: DifferenceKind::NotRecorded.words().to_owned(),
            date: line.date,
            description: line.description.clone(),
            in_account: Some(line.amount),
            recorded: None,
        })
        .chain(
            reconciliation
                .not_in_account
                .iter()
                .map(|entry| AccountDifference {
                    kind: DifferenceKind::NotInAccount,
                    what: DifferenceKind::NotInAccount.words().to_owned(),
                    date: entry.date,
                    description: entry.who.clone(),
                    in_account: None,
                    recorded: Some(entry.amount),
                }),
        )
        .chain(
            reconciliation
                .amounts_differ
                .iter()
                .map(|pair| AccountDifference {
                    kind: DifferenceKind::AmountDiffers,
                    what: DifferenceKind::AmountDiffers.words().to_owned(),
                    date: pair.line.date,
                    description: pair.line.description.clone(),
                    in_account: Some(pair.line.amount),
                    recorded: Some(pair.record.amount),
                }),
        )
        .collect();
    differences.sort_by_key(|difference| difference.date);
    AccountAgreement::new(
        reconciliation.on,
        reconciliation.account_balance,
        reconciliation.records_balance,
        differences,
    )
}

/// Reads a statement file the person chose, refusing one far too big to be
/// a statement before reading it, and one that cannot be read, in words.
pub fn read_statement_file(path: &std::path::Path) -> Result<Vec<u8>> {
    let refused = |message: String| Error::invalid("file", message);
    let size = std::fs::metadata(path)
        .map_err(|error| refused(format!("Careledger could not open that file: {error}.")))?
        .len();
    if size > careledger_import::MAX_FILE_BYTES as u64 {
        return Err(refused(format!(
            "The file is {} MB; a statement is much smaller. Choose the statement file your bank or card service gave you.",
            size / (1024 * 1024)
        )));
    }
    std::fs::read(path)
        .map_err(|error| refused(format!("Careledger could not read that file: {error}.")))
}
