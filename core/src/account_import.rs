//! Bringing in the account's own statement: what a file would add, adding
//! it, and whether the records agree with the account (issue 14; the
//! screens are still to come). The reading and matching are
//! `careledger_import`'s; this puts them together with the store's records.

use chrono::NaiveDate;

use crate::account::{NewAccountLine, PairedWith};
use crate::error::Result;
use crate::input::parse_date;
use crate::model::{PersonId, PlanId};
use crate::money::Money;
use crate::store::Store;
use careledger_import::{
    file_kind, propose, read_csv, read_ofx, reconcile, sniff_csv, AccountLine, CsvLayout, FileKind,
    LineMatch, PayeeRule, ProposedLine, Reconciliation, Records,
};

/// What a statement file would add, line by line.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct StatementFilePreview {
    /// CSV or OFX.
    pub kind: FileKind,
    /// For a CSV file, its layout: as worked out, or as given.
    pub layout: Option<CsvLayout>,
    /// Each line and what importing it would do.
    pub lines: Vec<ProposedLine>,
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

    /// Keeps the file's lines, each paired with the record it was found to
    /// be: all of them or none, and a line kept before is left as it is,
    /// so importing the same file twice adds nothing. Returns how many
    /// lines were new.
    fn import_statement_file(
        &mut self,
        plan: PlanId,
        bytes: &[u8],
        layout: Option<&CsvLayout>,
        file_name: &str,
        person: PersonId,
        today: NaiveDate,
    ) -> Result<usize>;

    /// The records against the account on `on`, when its statement gave
    /// the balance `balance` (both as typed).
    fn reconcile_account(&self, plan: PlanId, on: &str, balance: &str) -> Result<Reconciliation>;
}

fn read_lines(
    bytes: &[u8],
    layout: Option<&CsvLayout>,
) -> Result<(FileKind, Option<CsvLayout>, Vec<AccountLine>)> {
    match file_kind(bytes)? {
        FileKind::Ofx => Ok((FileKind::Ofx, None, read_ofx(bytes)?)),
        FileKind::Csv => {
            let layout = match layout {
                Some(layout) => layout.clone(),
                None => sniff_csv(bytes)?.layout,
            };
            let lines = read_csv(bytes, &layout)?;
            Ok((FileKind::Csv, Some(layout), lines))
        }
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
        let (kind, layout, lines) = read_lines(bytes, layout)?;
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
            &lines,
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
            kind,
            layout,
            lines,
        })
    }

    fn import_statement_file(
        &mut self,
        plan: PlanId,
        bytes: &[u8],
        layout: Option<&CsvLayout>,
        file_name: &str,
        person: PersonId,
        today: NaiveDate,
    ) -> Result<usize> {
        let preview = self.preview_statement_file(plan, bytes, layout, today)?;
        let lines: Vec<NewAccountLine> = preview
            .lines
            .into_iter()
            .filter(|proposed| proposed.proposal != LineMatch::AlreadyImported)
            .map(|proposed| NewAccountLine {
                paired_with: match proposed.proposal {
                    LineMatch::Payment { entry_key, .. } => Some(PairedWith::Payment { entry_key }),
                    LineMatch::MoneyIn { entry_key, .. } => Some(PairedWith::MoneyIn { entry_key }),
                    _ => None,
                },
                fingerprint: proposed.fingerprint,
                date: proposed.line.date,
                description: proposed.line.description,
                amount: proposed.line.amount,
                balance: proposed.line.balance,
            })
            .collect();
        let name = file_name.trim();
        let name = if name.is_empty() { "statement" } else { name };
        self.keep_account_lines(plan, &lines, name, person)
    }

    fn reconcile_account(&self, plan: PlanId, on: &str, balance: &str) -> Result<Reconciliation> {
        let on = parse_date("on", on)?;
        let balance = Money::parse(balance)
            .map_err(|error| crate::error::Error::invalid_money("balance", error))?;
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
