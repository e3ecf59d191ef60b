//! The ledger as a plain-text journal that hledger (and Ledger) read, so
//! `cargo xtask bench` can hold Careledger's per-line balance against
//! `hledger balance` on the same payments and money in.
//!
//! Each holder's money is under their own name: payments post to
//! `expenses:<holder>:<line>` (one posting per split) and money in to
//! `income:<holder>:<source>`, both against `assets:<holder>:PHB account`.
//! Amounts are in `GBP`, an ASCII commodity, so no reader has to parse
//! "£". Removed payments, removed money in and earlier revisions are left
//! out, as Careledger's figures leave them out.

use std::fmt::Write;

use crate::error::Result;
use crate::ledger::LineKey;
use crate::money::Money;
use crate::plan::PlanHistory;
use crate::store::Store;

/// Every holder's payments and money in, as an hledger journal.
pub fn journal(store: &Store) -> Result<String> {
    let mut out = String::from("; Careledger's ledger, for hledger and Ledger\n\n");
    for holder in store.holders()? {
        let Some(plan) = store.plan_of(holder.id)? else {
            continue;
        };
        let history = store.plan_history(plan.id)?;
        let account = format!("assets:{}:PHB account", name(&holder.name));
        for money in store.money_in(plan.id)? {
            if money.voided.is_some() {
                continue;
            }
            let _ = write!(
                out,
                "{} {}\n    {account}  {}\n    income:{}:{}  {}\n\n",
                money.received_on,
                name(&money.source),
                gbp(money.amount.pence()),
                name(&holder.name),
                name(&money.source),
                gbp(-money.amount.pence()),
            );
        }
        let mut payments = store.payments(plan.id)?;
        // Oldest first, as a journal is read.
        payments.reverse();
        for payment in payments.iter().filter(|p| p.voided.is_none()) {
            let _ = writeln!(out, "{} {}", payment.paid_on, name(&payment.payee));
            for split in &payment.splits {
                let _ = writeln!(
                    out,
                    "    {}  {}",
                    line_account(&holder.name, &history, split.line_key),
                    gbp(split.amount.pence())
                );
            }
            let _ = writeln!(out, "    {account}  {}\n", gbp(-payment.amount.pence()));
        }
    }
    Ok(out)
}

/// The account a budget line's spending posts to: its key first, so two
/// lines described alike stay apart.
pub fn line_account(holder: &str, history: &PlanHistory, key: LineKey) -> String {
    let description = history.line_description(key).unwrap_or("Line");
    format!(
        "expenses:{}:{:02} {}",
        name(holder),
        key.0,
        name(description)
    )
}

/// Pence as hledger reads them: `GBP -12.34`.
pub fn gbp(pence: i64) -> String {
    let sign = if pence < 0 { "-" } else { "" };
    let pence = pence.unsigned_abs();
    format!("GBP {sign}{}.{:02}", pence / 100, pence % 100)
}

/// Reads an amount hledger printed (`GBP 1234.56`, `GBP -0.50`,
/// `GBP 1,234.56`) as pence.
pub fn read_gbp(text: &str) -> Option<Money> {
    let number = text.trim().strip_prefix("GBP")?.trim().replace(',', "");
    let (negative, number) = match number.strip_prefix('-') {
        Some(rest) => (true, rest.to_owned()),
        None => (false, number),
    };
    let (pounds, pence) = number.split_once('.').unwrap_or((&number, "0"));
    let pence = format!("{pence:0<2}");
    let value = pounds.parse::<i64>().ok()? * 100 + pence.get(..2)?.parse::<i64>().ok()?;
    Some(Money::from_pence(if negative { -value } else { value }))
}

/// A name as a journal can hold it: a colon would start a sub-account, a
/// semicolon a comment and two spaces the amount, so each becomes
/// harmless.
fn name(text: &str) -> String {
    let cleaned: String = text
        .chars()
        .map(|c| match c {
            ':' => " -".to_owned(),
            ';' => ",".to_owned(),
            c if c.is_whitespace() => " ".to_owned(),
            c => c.to_string(),
        })
        .collect();
    cleaned.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_written_and_read_back_in_gbp() {
        assert_eq!(gbp(123_456), "GBP 1234.56");
        assert_eq!(gbp(-5), "GBP -0.05");
        assert_eq!(gbp(0), "GBP 0.00");
        assert_eq!(read_gbp("GBP 1234.56"), Some(Money::from_pence(123_456)));
        assert_eq!(read_gbp("GBP -0.5"), Some(Money::from_pence(-50)));
        assert_eq!(read_gbp("GBP 1,234"), Some(Money::from_pence(123_400)));
        assert_eq!(read_gbp("£12"), None);
    }

    #[test]
    fn names_lose_what_the_journal_would_read_as_syntax() {
        assert_eq!(
            name("Personal assistant:  Jo;  Pike"),
            "Personal assistant - Jo, Pike"
        );
    }

    #[test]
    fn a_tiny_ledger_becomes_this_journal() {
        use crate::ledger::{HowPaid, MoneyInDraft, MoneyInKind, PaymentDraft, SplitDraft};
        use crate::plan::ActingRole;
        use crate::records::Records;
        use crate::{NewHolder, NewPerson};
        let day = |d| chrono::NaiveDate::from_ymd_opt(2026, 4, d).unwrap();
        let mut store = Store::open_in_memory().unwrap();
        let carer = store
            .add_person(&NewPerson {
                name: "Jo Pike".into(),
            })
            .unwrap();
        let holder = store
            .add_holder(
                &NewHolder {
                    name: "Ann Lee".into(),
                    date_of_birth: String::new(),
                    nhs_number: String::new(),
                    acting_person: carer.id,
                    acting_role: ActingRole::Carer,
                },
                day(30),
            )
            .unwrap();
        let plan = store
            .create_plan(
                holder.id,
                &crate::demo::demo_plan(
                    day(1),
                    day(1) + chrono::Months::new(12) - chrono::Days::new(1),
                ),
                carer.id,
            )
            .unwrap()
            .plan_id;
        store
            .record_money_in(
                plan,
                &MoneyInDraft {
                    received_on: "3/4/2026".into(),
                    kind: MoneyInKind::Funding,
                    source: "NHS; ICB".into(),
                    amount: "£2,961.54".into(),
                    reference: String::new(),
                    note: String::new(),
                    recorded_by: carer.id,
                },
                day(30),
            )
            .unwrap();
        let payment = |payee: &str, amount: &str, splits: Vec<SplitDraft>| PaymentDraft {
            paid_on: "10/4/2026".into(),
            payee: payee.into(),
            amount: amount.into(),
            how_paid: HowPaid::Card,
            reference: String::new(),
            cash_withdrawal: false,
            splits,
            note: String::new(),
            no_evidence_reason: String::new(),
            recorded_by: carer.id,
        };
        let split = |line, amount: &str| SplitDraft {
            line_key: LineKey(line),
            amount: amount.into(),
        };
        store
            .record_payment(
                plan,
                &payment(
                    "Aqua Physio",
                    "£60.00",
                    vec![split(7, "£45.00"), split(11, "£15.00")],
                ),
                day(30),
            )
            .unwrap();
        let removed = store
            .record_payment(
                plan,
                &payment("Boots", "£3.10", vec![split(12, "")]),
                day(30),
            )
            .unwrap();
        store
            .void_payment(plan, removed.key, "Entered twice", carer.id)
            .unwrap();
        assert_eq!(
            journal(&store).unwrap(),
            "; Careledger's ledger, for hledger and Ledger\n\n\
             2026-04-03 NHS, ICB\n    \
             assets:Ann Lee:PHB account  GBP 2961.54\n    \
             income:Ann Lee:NHS, ICB  GBP -2961.54\n\n\
             2026-04-10 Aqua Physio\n    \
             expenses:Ann Lee:07 Hydrotherapy  GBP 45.00\n    \
             expenses:Ann Lee:11 Taxis to hydrotherapy  GBP 15.00\n    \
             assets:Ann Lee:PHB account  GBP -60.00\n\n"
        );
    }
}
