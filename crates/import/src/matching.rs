//! Pairing a statement's lines with what was recorded, and saying for each
//! line what importing it would do.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use serde::Serialize;
use ts_rs::TS;

use crate::AccountLine;
use careledger_domain::account::PairedWith;
use careledger_domain::ids::LineKey;
use careledger_domain::ledger::{EntryKey, ExpectedPayment, MoneyIn, Payment};

/// How many days apart a statement line and a record may be and still be
/// the same money: a card payment takes a day or two to show, a bank
/// holiday weekend adds three.
pub const MATCH_WINDOW_DAYS: i64 = 5;

/// What importing one statement line would do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(
    tag = "kind",
    rename_all = "snake_case",
    rename_all_fields = "camelCase"
)]
pub enum LineMatch {
    /// It was imported before: nothing happens.
    AlreadyImported,
    /// It is a payment already recorded: they are marked as one.
    Payment {
        /// The payment.
        entry_key: EntryKey,
        /// Who the record says was paid.
        payee: String,
        /// The day the record says.
        paid_on: NaiveDate,
    },
    /// It is money in already recorded: they are marked as one.
    MoneyIn {
        /// The money in.
        entry_key: EntryKey,
        /// Who the record says it came from.
        source: String,
        /// The day the record says.
        received_on: NaiveDate,
    },
    /// Money in the plan expects from a funder, not yet recorded: it is
    /// recorded as that funding.
    ExpectedFunding {
        /// The funder.
        source: String,
        /// The day it was due.
        due_on: NaiveDate,
    },
    /// Money out not recorded: it becomes a payment once it has a budget
    /// line; the line a rule learnt from earlier choices suggests, if any.
    NeedsLine {
        /// The suggested line.
        suggested: Option<LineKey>,
    },
    /// Money in from no expected funder, not recorded: it is recorded as
    /// money in (a refund, say) once the person says what it is.
    NewMoneyIn,
}

/// A statement line, its fingerprint, and what importing it would do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ProposedLine {
    /// The line as the file has it.
    pub line: AccountLine,
    /// Its fingerprint ([`crate::fingerprints`]).
    pub fingerprint: String,
    /// What would happen.
    pub proposal: LineMatch,
}

/// "Payee X is line Y", learnt when a person gives an imported line its
/// budget line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PayeeRule {
    /// The telling words of the payee, as [`telling_words`] gives them.
    pub words: String,
    /// The line it goes to.
    pub line_key: LineKey,
}

/// What has been recorded, for matching against.
pub struct Records<'a> {
    /// Every payment (removed ones are never matched).
    pub payments: &'a [Payment],
    /// Every money in (removed ones are never matched).
    pub money_in: &'a [MoneyIn],
    /// The funders' payments the plan expects.
    pub expected: &'a [ExpectedPayment],
    /// Records already paired with a statement line.
    pub already_matched: &'a HashSet<PairedWith>,
    /// Fingerprints of lines imported before.
    pub imported: &'a HashSet<String>,
    /// Rules learnt so far.
    pub rules: &'a [PayeeRule],
}

/// Words that say nothing about who was paid.
const EMPTY_WORDS: [&str; 16] = [
    "ltd",
    "limited",
    "plc",
    "the",
    "and",
    "payment",
    "card",
    "contactless",
    "ref",
    "to",
    "from",
    "for",
    "bank",
    "transfer",
    "faster",
    "direct",
];

/// The telling words of a payee or a statement's description: lower case,
/// letters and digits only, without the words every line has ("card",
/// "payment", "ltd") or short ones; in order, once each.
pub fn telling_words(text: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    for word in text
        .split(|c: char| !c.is_alphanumeric())
        .map(str::to_lowercase)
        .filter(|w| w.chars().count() >= 3 && !EMPTY_WORDS.contains(&w.as_str()))
        .filter(|w| !w.chars().all(|c| c.is_ascii_digit()))
    {
        if !words.contains(&word) {
            words.push(word);
        }
    }
    words
}

fn words_shared(a: &[String], b: &[String]) -> usize {
    a.iter()
        .filter(|word| {
            b.iter().any(|other| {
                other == *word
                    || other.starts_with(word.as_str())
                    || word.starts_with(other.as_str())
            })
        })
        .count()
}

/// How good a pairing is: lower is better. Days apart count against it,
/// words in common for it.
fn score(days_apart: i64, shared: usize) -> i64 {
    days_apart * 10 - i64::try_from(shared).unwrap_or(i64::MAX / 20) * 15
}

/// A record that a statement line might be.
struct Candidate<'a> {
    key: EntryKey,
    date: NaiveDate,
    pence: i64,
    who: &'a str,
}

/// Records by amount, each amount's in date order, with their telling
/// words worked out once.
type Index<'a> = HashMap<i64, Vec<(Candidate<'a>, Vec<String>)>>;

fn index<'a>(candidates: impl Iterator<Item = Candidate<'a>>) -> Index<'a> {
    let mut by_amount: Index<'a> = HashMap::new();
    for candidate in candidates {
        let words = telling_words(candidate.who);
        by_amount
            .entry(candidate.pence)
            .or_default()
            .push((candidate, words));
    }
    for list in by_amount.values_mut() {
        list.sort_by_key(|(candidate, _)| (candidate.date, candidate.key));
    }
    by_amount
}

/// The unused record of `pence` within the window of `date` most like
/// `words`: only the records of that amount and those days are looked at.
fn best_of<'i, 'a>(
    index: &'i Index<'a>,
    pence: i64,
    date: NaiveDate,
    words: &[String],
    used: &HashSet<EntryKey>,
) -> Option<&'i Candidate<'a>> {
    let list = index.get(&pence)?;
    let window = chrono::Days::new(MATCH_WINDOW_DAYS.unsigned_abs());
    let from = date.checked_sub_days(window).unwrap_or(date);
    let to = date.checked_add_days(window).unwrap_or(date);
    let start = list.partition_point(|(candidate, _)| candidate.date < from);
    list[start..]
        .iter()
        .take_while(|(candidate, _)| candidate.date <= to)
        .filter(|(candidate, _)| !used.contains(&candidate.key))
        .min_by_key(|(candidate, their_words)| {
            let days = (candidate.date - date).num_days().abs();
            (score(days, words_shared(words, their_words)), candidate.key)
        })
        .map(|(candidate, _)| candidate)
}

/// Says what importing each of `lines` would do, pairing each with at most
/// one record and each record with at most one line: same amount, within
/// [`MATCH_WINDOW_DAYS`], the closest date and the payee most alike first.
/// Work grows with the number of lines, not lines × records: records are
/// looked up by amount.
pub fn propose(lines: &[AccountLine], records: &Records<'_>) -> Vec<ProposedLine> {
    let prints = crate::fingerprints(lines);
    let payments_by_amount = index(
        records
            .payments
            .iter()
            .filter(|p| {
                p.voided.is_none()
                    && !records
                        .already_matched
                        .contains(&PairedWith::Payment { entry_key: p.key })
            })
            .map(|p| Candidate {
                key: p.key,
                date: p.paid_on,
                pence: p.amount.pence(),
                who: &p.payee,
            }),
    );
    let money_in_by_amount = index(
        records
            .money_in
            .iter()
            .filter(|m| {
                m.voided.is_none()
                    && !records
                        .already_matched
                        .contains(&PairedWith::MoneyIn { entry_key: m.key })
            })
            .map(|m| Candidate {
                key: m.key,
                date: m.received_on,
                pence: m.amount.pence(),
                who: &m.source,
            }),
    );
    let mut used_payments: HashSet<EntryKey> = HashSet::new();
    let mut used_money_in: HashSet<EntryKey> = HashSet::new();
    let mut used_expected: HashSet<(NaiveDate, &str)> = HashSet::new();
    // Oldest first, so an earlier line takes the earlier of two alike records.
    let mut order: Vec<usize> = (0..lines.len()).collect();
    order.sort_by_key(|&i| (lines[i].date, lines[i].row));
    let mut proposals: Vec<Option<LineMatch>> = vec![None; lines.len()];
    for i in order {
        let line = &lines[i];
        if records.imported.contains(&prints[i]) {
            proposals[i] = Some(LineMatch::AlreadyImported);
            continue;
        }
        let words = telling_words(&line.description);
        let pence = line.amount.pence();
        let days = |date: NaiveDate| (date - line.date).num_days().abs();
        let proposal = if pence < 0 {
            match best_of(
                &payments_by_amount,
                -pence,
                line.date,
                &words,
                &used_payments,
            ) {
                Some(payment) => {
                    used_payments.insert(payment.key);
                    LineMatch::Payment {
                        entry_key: payment.key,
                        payee: payment.who.to_owned(),
                        paid_on: payment.date,
                    }
                }
                None => LineMatch::NeedsLine {
                    suggested: records
                        .rules
                        .iter()
                        .filter(|rule| {
                            let rule_words: Vec<String> =
                                rule.words.split(' ').map(str::to_owned).collect();
                            !rule_words.is_empty()
                                && words_shared(&rule_words, &words) == rule_words.len()
                        })
                        .max_by_key(|rule| rule.words.len())
                        .map(|rule| rule.line_key),
                },
            }
        } else {
            match best_of(
                &money_in_by_amount,
                pence,
                line.date,
                &words,
                &used_money_in,
            ) {
                Some(entry) => {
                    used_money_in.insert(entry.key);
                    LineMatch::MoneyIn {
                        entry_key: entry.key,
                        source: entry.who.to_owned(),
                        received_on: entry.date,
                    }
                }
                None => {
                    let expected = records
                        .expected
                        .iter()
                        .filter(|due| {
                            due.amount.pence() == pence
                                && days(due.due_on) <= MATCH_WINDOW_DAYS
                                && !used_expected.contains(&(due.due_on, due.source.as_str()))
                        })
                        .min_by_key(|due| days(due.due_on));
                    match expected {
                        Some(due) => {
                            used_expected.insert((due.due_on, due.source.as_str()));
                            LineMatch::ExpectedFunding {
                                source: due.source.clone(),
                                due_on: due.due_on,
                            }
                        }
                        None => LineMatch::NewMoneyIn,
                    }
                }
            }
        };
        proposals[i] = Some(proposal);
    }
    lines
        .iter()
        .zip(prints)
        .zip(proposals)
        .map(|((line, fingerprint), proposal)| ProposedLine {
            line: line.clone(),
            fingerprint,
            proposal: proposal.unwrap_or(LineMatch::NewMoneyIn),
        })
        .collect()
}
