//! Writing what a person typed: each draft is checked here, by the
//! domain's rules, against the plan as the store holds it, and only the
//! checked value is handed to the store, which runs the SQL (and the
//! checks that need what is stored: a name already taken, a payment
//! already removed). The methods
//! are a trait on [`Store`] (`use careledger_core::records::Records;`), so
//! callers write `store.record_payment(…)` as before.

use chrono::NaiveDate;

use crate::error::Result;
use crate::forms::check_surplus_limit_weeks;
use crate::ledger::{check_reason, EntryKey, MoneyIn, MoneyInDraft, Payment, PaymentDraft};
use crate::model::{Holder, HolderId, NewHolder, NewPerson, Person, PersonId, PlanId};
use crate::plan::PlanHistory;
use crate::plan_forms::{NewPlanDraft, PlanPreview, PlanStep, RevisionDraft};
use crate::recurring::{Recurring, RecurringDraft};
use crate::store::Store;

/// People, holders, plans, regular payments, money in and out: from what
/// was typed.
pub trait Records {
    /// Adds a person who uses the app.
    fn add_person(&mut self, form: &NewPerson) -> Result<Person>;

    /// Adds a budget holder, with the person acting for them, on `today`.
    fn add_holder(&mut self, form: &NewHolder, today: NaiveDate) -> Result<Holder>;

    /// Sets the surplus limit for `holder`, as typed: whole weeks, 1 to 52.
    fn set_surplus_limit_weeks(&mut self, holder: HolderId, weeks: &str) -> Result<u32>;

    /// Sets up the holder's plan as version 1, recorded as made by
    /// `person`.
    fn create_plan(
        &mut self,
        holder: HolderId,
        draft: &NewPlanDraft,
        person: PersonId,
    ) -> Result<PlanHistory>;

    /// Makes a new version of the plan from the draft's date, recorded as
    /// made by `person`. Earlier versions stay as they were.
    fn revise_plan(
        &mut self,
        plan: PlanId,
        draft: &RevisionDraft,
        person: PersonId,
    ) -> Result<PlanHistory>;

    /// Checks a new plan as far as `step` and works out its figures, for
    /// the set-up steps. Writes nothing.
    fn preview_new_plan(draft: &NewPlanDraft, step: PlanStep) -> Result<PlanPreview>
    where
        Self: Sized;

    /// Checks a revision as far as `step` and works out the new version's
    /// figures, for the revision steps. Writes nothing.
    fn preview_revision(
        &self,
        plan: PlanId,
        draft: &RevisionDraft,
        step: PlanStep,
    ) -> Result<PlanPreview>;

    /// Sets up a regular payment for `plan`.
    fn add_recurring(&mut self, plan: PlanId, draft: &RecurringDraft) -> Result<Recurring>;

    /// Records a payment out of `plan`, charged to its lines, without
    /// asking about its size: for callers with nobody to ask (the sample
    /// data, tests). What a person saves goes through
    /// [`Records::record_payment_asking`].
    fn record_payment(
        &mut self,
        plan: PlanId,
        draft: &PaymentDraft,
        today: NaiveDate,
    ) -> Result<Payment>;

    /// Records many payments out of `plan` in one transaction: all of
    /// them, or none if any fails its checks (the error is the first
    /// failure's). Each is checked exactly as [`Records::record_payment`]
    /// checks one, and, as there, nothing is asked about its size: for
    /// callers with nobody to ask (the sample data, the bench). The plan is
    /// read once and nothing is read back, so a large batch is quick.
    /// Returns how many were recorded.
    fn record_payments(
        &mut self,
        plan: PlanId,
        drafts: &[PaymentDraft],
        today: NaiveDate,
    ) -> Result<usize>;

    /// Records a payment out of `plan`, charged to its lines. Unless
    /// `confirmed`, a payment bigger than seems likely is not recorded:
    /// the answer is `Error::NeedsConfirmation` with the question to ask,
    /// and recording it again confirmed goes ahead.
    fn record_payment_asking(
        &mut self,
        plan: PlanId,
        draft: &PaymentDraft,
        confirmed: bool,
        today: NaiveDate,
    ) -> Result<Payment>;

    /// Changes a payment: the change becomes a new revision and the earlier
    /// one is kept, with `reason`. Does not ask about its size.
    fn edit_payment(
        &mut self,
        plan: PlanId,
        key: EntryKey,
        draft: &PaymentDraft,
        reason: &str,
        today: NaiveDate,
    ) -> Result<Payment>;

    /// Changes a payment, as [`Records::edit_payment`] does; but unless
    /// `confirmed`, a change that makes it bigger than seems likely (what
    /// is left counts without the payment's earlier amount) is not saved.
    fn edit_payment_asking(
        &mut self,
        plan: PlanId,
        key: EntryKey,
        draft: &PaymentDraft,
        reason: &str,
        confirmed: bool,
        today: NaiveDate,
    ) -> Result<Payment>;

    /// Removes a payment from the figures: a void, with `reason`, kept in
    /// its history.
    fn void_payment(
        &mut self,
        plan: PlanId,
        key: EntryKey,
        reason: &str,
        person: PersonId,
    ) -> Result<Payment>;

    /// Records money received for `plan`.
    fn record_money_in(
        &mut self,
        plan: PlanId,
        draft: &MoneyInDraft,
        today: NaiveDate,
    ) -> Result<MoneyIn>;

    /// Takes money in out of the figures, with `reason`.
    fn void_money_in(
        &mut self,
        plan: PlanId,
        key: EntryKey,
        reason: &str,
        person: PersonId,
    ) -> Result<MoneyIn>;
}

impl Records for Store {
    fn add_person(&mut self, form: &NewPerson) -> Result<Person> {
        let name = form.check()?;
        self.insert_person(&name)
    }

    fn add_holder(&mut self, form: &NewHolder, today: NaiveDate) -> Result<Holder> {
        let checked = form.check(today)?;
        self.insert_holder(&checked, form.acting_person, form.acting_role)
    }

    fn set_surplus_limit_weeks(&mut self, holder: HolderId, weeks: &str) -> Result<u32> {
        let weeks = check_surplus_limit_weeks(weeks)?;
        self.put_surplus_limit_weeks(holder, weeks)
    }

    fn create_plan(
        &mut self,
        holder: HolderId,
        draft: &NewPlanDraft,
        person: PersonId,
    ) -> Result<PlanHistory> {
        let checked = draft.check()?;
        self.insert_plan(holder, &checked, person)
    }

    fn revise_plan(
        &mut self,
        plan: PlanId,
        draft: &RevisionDraft,
        person: PersonId,
    ) -> Result<PlanHistory> {
        let history = self.plan_history(plan)?;
        let checked = draft.check(&history)?;
        self.insert_revision(&history, &checked, person)
    }

    fn preview_new_plan(draft: &NewPlanDraft, step: PlanStep) -> Result<PlanPreview> {
        crate::plan_forms::preview_new_plan(draft, step)
    }

    fn preview_revision(
        &self,
        plan: PlanId,
        draft: &RevisionDraft,
        step: PlanStep,
    ) -> Result<PlanPreview> {
        crate::plan_forms::preview_revision(&self.plan_history(plan)?, draft, step)
    }

    fn add_recurring(&mut self, plan: PlanId, draft: &RecurringDraft) -> Result<Recurring> {
        let history = self.plan_history(plan)?;
        let checked = draft.check(&history)?;
        self.insert_recurring(plan, &checked, draft.recorded_by)
    }

    fn record_payment(
        &mut self,
        plan: PlanId,
        draft: &PaymentDraft,
        today: NaiveDate,
    ) -> Result<Payment> {
        self.record_payment_asking(plan, draft, true, today)
    }

    fn record_payments(
        &mut self,
        plan: PlanId,
        drafts: &[PaymentDraft],
        today: NaiveDate,
    ) -> Result<usize> {
        let history = self.plan_history(plan)?;
        let checked = drafts
            .iter()
            .map(|draft| Ok((draft.check(&history, today)?, draft.recorded_by)))
            .collect::<Result<Vec<_>>>()?;
        self.record_checked_payments(&history, &checked)
    }

    fn record_payment_asking(
        &mut self,
        plan: PlanId,
        draft: &PaymentDraft,
        confirmed: bool,
        today: NaiveDate,
    ) -> Result<Payment> {
        let history = self.plan_history(plan)?;
        let checked = draft.check(&history, today)?;
        self.record_checked_payment(&history, &checked, draft.recorded_by, confirmed)
    }

    fn edit_payment(
        &mut self,
        plan: PlanId,
        key: EntryKey,
        draft: &PaymentDraft,
        reason: &str,
        today: NaiveDate,
    ) -> Result<Payment> {
        self.edit_payment_asking(plan, key, draft, reason, true, today)
    }

    fn edit_payment_asking(
        &mut self,
        plan: PlanId,
        key: EntryKey,
        draft: &PaymentDraft,
        reason: &str,
        confirmed: bool,
        today: NaiveDate,
    ) -> Result<Payment> {
        let history = self.plan_history(plan)?;
        let checked = draft.check(&history, today)?;
        let reason = check_reason(reason, "it changed")?;
        self.edit_checked_payment(
            &history,
            key,
            &checked,
            draft.recorded_by,
            &reason,
            confirmed,
        )
    }

    fn void_payment(
        &mut self,
        plan: PlanId,
        key: EntryKey,
        reason: &str,
        person: PersonId,
    ) -> Result<Payment> {
        let reason = check_reason(reason, "it is being removed")?;
        self.void_checked_payment(plan, key, &reason, person)
    }

    fn record_money_in(
        &mut self,
        plan: PlanId,
        draft: &MoneyInDraft,
        today: NaiveDate,
    ) -> Result<MoneyIn> {
        let history = self.plan_history(plan)?;
        let checked = draft.check(&history, today)?;
        self.record_checked_money_in(plan, &checked, draft.recorded_by)
    }

    fn void_money_in(
        &mut self,
        plan: PlanId,
        key: EntryKey,
        reason: &str,
        person: PersonId,
    ) -> Result<MoneyIn> {
        let reason = check_reason(reason, "it is being removed")?;
        self.void_checked_money_in(plan, key, &reason, person)
    }
}
