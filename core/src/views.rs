//! What a person sees, put together from the store's records and core's
//! rules and figures: the main screen's overview and the review statement,
//! ready to show or to print.
//!
//! This is the operations layer: it reads through the store's methods and
//! calls the domain's pure functions. The store itself only reads and
//! writes records, so it depends on neither the figures' composition nor
//! printing. The methods are a trait on [`Store`], so callers write
//! `store.overview(…)` with `use careledger_core::views::Views;`.

use chrono::NaiveDate;

use crate::account_import::{agreement_of, AccountImport};

use crate::dashboard::dashboard;
use crate::error::{Error, Result};
use crate::model::HolderId;
use crate::overview::HolderOverview;
use crate::store::Store;
use crate::summary::summarise;

/// The overview, the payments found, and the statement, made from a store.
pub trait Views {
    /// One page of the plan's payments that match `filter` (as typed),
    /// newest first.
    fn find_payments(
        &self,
        plan: crate::model::PlanId,
        filter: &crate::ledger::PaymentFilter,
    ) -> Result<crate::ledger::PaymentPage>;

    /// Everything the main screens show for `holder`, with figures as of
    /// `today`.
    fn overview(&self, holder: HolderId, today: NaiveDate) -> Result<HolderOverview>;

    /// The review statement for `holder` over `from`..`to` (as typed).
    fn statement(
        &self,
        holder: crate::model::HolderId,
        from: &str,
        to: &str,
    ) -> Result<crate::statement::Statement>;

    /// The ready-made periods for `holder`'s statement on `today`.
    fn statement_periods(
        &self,
        holder: crate::model::HolderId,
        today: NaiveDate,
    ) -> Result<Vec<crate::statement::PeriodChoice>>;

    /// The statement for `holder` over `from`..`to`, with what printing it
    /// as `options` ask needs: the one way the app and the command line make
    /// a PDF. Quick: it reads the statement and which receipts to print, not
    /// their files. [Drawing](crate::statement_pdf::StatementToPrint::render)
    /// is the slow part, done after the store is let go, and it reads each
    /// receipt's file with [`Store::evidence_content`] as it needs it.
    fn statement_to_print(
        &self,
        holder: crate::model::HolderId,
        from: &str,
        to: &str,
        options: &crate::statement_pdf::PrintOptions,
    ) -> Result<crate::statement_pdf::StatementToPrint>;

    /// The evidence files behind a statement's payments, in date order, for
    /// its receipts appendix, each named by its SHA-256 (its contents are
    /// read as it is printed). Removed payments and removed files are left
    /// out, as they are from the statement.
    fn statement_receipts(
        &self,
        statement: &crate::statement::Statement,
    ) -> Result<Vec<crate::statement_pdf::ReceiptFile>>;

    /// The outcomes `holder`'s statement ending on `to` (as typed) asks
    /// about: see [`crate::statement::outcomes_for_period_end`].
    fn statement_outcomes(&self, holder: HolderId, to: &str) -> Result<Vec<String>>;
}

impl Views for Store {
    fn find_payments(
        &self,
        plan: crate::model::PlanId,
        filter: &crate::ledger::PaymentFilter,
    ) -> Result<crate::ledger::PaymentPage> {
        self.find_checked_payments(plan, &filter.check()?)
    }

    /// Everything the main screens show for `holder`, with figures as of
    /// `today`.
    fn overview(&self, holder: HolderId, today: NaiveDate) -> Result<HolderOverview> {
        let holder = self.holder(holder)?;
        let acting = self.acting_for(holder.id)?;
        let plan = self.plan_of(holder.id)?;
        let Some(plan_record) = plan.clone() else {
            return Ok(HolderOverview {
                holder,
                acting,
                plan,
                version_count: 0,
                summary: None,
                dashboard: None,
                money_in: Vec::new(),
                expected: Vec::new(),
                recurring: Vec::new(),
                due: Vec::new(),
            });
        };
        let history = self.plan_history(plan_record.id)?;
        let totals = self.ledger_totals(plan_record.id)?;
        let summary = summarise(&history, totals.spent, totals.payment_count, today)?;
        let limit = self.surplus_limit_weeks(holder.id)?;
        let dashboard = dashboard(&history, &summary, &totals, limit, today)?;
        let money_in = self.money_in(plan_record.id)?;
        Ok(HolderOverview {
            version_count: u32::try_from(history.versions.len()).map_err(|_| Error::Overflow)?,
            expected: self.expected_payments(plan_record.id, today)?,
            recurring: self.recurring(plan_record.id)?,
            due: self.due_proposals(plan_record.id, today)?,
            holder,
            acting,
            plan,
            summary: Some(summary),
            dashboard: Some(dashboard),
            money_in,
        })
    }

    /// The review statement for `holder` over `from`..`to` (as typed).
    fn statement(
        &self,
        holder: crate::model::HolderId,
        from: &str,
        to: &str,
    ) -> Result<crate::statement::Statement> {
        let holder = self.holder(holder)?;
        let history = plan_for_statement(self, holder.id, "from")?;
        let plan = history.plan_id;
        let (from, to) = crate::statement::check_period(from, to, &history)?;
        let totals = crate::statement::PeriodTotals {
            before: match from.pred_opt() {
                Some(day_before) => self.ledger_totals_between(plan, None, Some(day_before))?,
                None => crate::figures::LedgerTotals::default(),
            },
            during: self.ledger_totals_between(plan, Some(from), Some(to))?,
        };
        let mut statement = crate::statement::assemble(
            holder.clone(),
            self.acting_for(holder.id)?,
            &history,
            self.payments(plan)?,
            self.money_in(plan)?,
            &totals,
            from,
            to,
            Some(self.surplus_limit_weeks(holder.id)?),
        )?;
        statement.account = self
            .latest_reconciliation(plan, to)?
            .map(|reconciliation| agreement_of(&reconciliation));
        Ok(statement)
    }

    /// The ready-made periods for `holder`'s statement on `today`.
    fn statement_periods(
        &self,
        holder: crate::model::HolderId,
        today: NaiveDate,
    ) -> Result<Vec<crate::statement::PeriodChoice>> {
        let history = plan_for_statement(self, holder, "from")?;
        Ok(crate::statement::period_choices(&history, today))
    }

    /// The statement for `holder` over `from`..`to`, with what printing it
    /// as `options` ask needs: the one way the app and the command line make
    /// a PDF. Quick: it reads the statement and which receipts to print, not
    /// their files. [Drawing](crate::statement_pdf::StatementToPrint::render)
    /// is the slow part, done after the store is let go, and it reads each
    /// receipt's file with [`Store::evidence_content`] as it needs it.
    fn statement_to_print(
        &self,
        holder: crate::model::HolderId,
        from: &str,
        to: &str,
        options: &crate::statement_pdf::PrintOptions,
    ) -> Result<crate::statement_pdf::StatementToPrint> {
        let statement = self.statement(holder, from, to)?;
        let options = options.checked(statement.version.content.outcomes.len())?;
        let receipts = if options.receipt_images {
            self.statement_receipts(&statement)?
        } else {
            Vec::new()
        };
        Ok(crate::statement_pdf::StatementToPrint::new(
            statement, options, receipts,
        ))
    }

    /// The evidence files behind a statement's payments, in date order, for
    /// its receipts appendix, each named by its SHA-256 (its contents are
    /// read as it is printed). Removed payments and removed files are left
    /// out, as they are from the statement.
    fn statement_receipts(
        &self,
        statement: &crate::statement::Statement,
    ) -> Result<Vec<crate::statement_pdf::ReceiptFile>> {
        let mut receipts = Vec::new();
        for payment in statement.payments.iter().filter(|p| p.voided.is_none()) {
            for evidence in &payment.evidence {
                let sha256 = self.attachment_sha256(evidence.attachment_id)?;
                receipts.push(crate::statement_pdf::ReceiptFile {
                    paid_on: payment.paid_on,
                    payee: payment.payee.clone(),
                    amount: payment.amount,
                    label: format!("{}: {}", evidence.kind.label(), evidence.file_name),
                    media_type: evidence.media_type,
                    sha256,
                });
            }
        }
        Ok(receipts)
    }

    /// The outcomes `holder`'s statement ending on `to` (as typed) asks
    /// about: see [`crate::statement::outcomes_for_period_end`].
    fn statement_outcomes(&self, holder: HolderId, to: &str) -> Result<Vec<String>> {
        let history = plan_for_statement(self, holder, "to")?;
        crate::statement::outcomes_for_period_end(&history, to)
    }
}

/// The plan a statement for `holder` is made from, or, when there is none
/// yet, a message at `field` saying to set it up first.
fn plan_for_statement(
    store: &Store,
    holder: HolderId,
    field: &str,
) -> Result<crate::plan::PlanHistory> {
    let plan = store
        .plan_of(holder)?
        .ok_or_else(|| Error::invalid(field, "Set up the plan before making a statement."))?;
    store.plan_history(plan.id)
}
