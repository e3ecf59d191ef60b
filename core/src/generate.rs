//! Realistic data of any size, for `cargo xtask generate` and `cargo xtask
//! bench`: holders with a plan each, a new version at every annual review
//! (and a mid-year change in some years), 4-weekly funding and the money
//! in for each instalment, two personal assistants paid every 4 weeks,
//! monthly employer's costs, therapy, respite, a gym fee confirmed as a
//! regular payment, ad hoc taxis, care supplies and equipment, and their
//! evidence: phone photos of receipts and PDF payslips and invoices.
//!
//! Everything is made from a seed, so the same [`Spec`] always gives the
//! same data, and goes in through the same checks as what a person types
//! (`Records`, `check_evidence`, `confirm_due`), so the data holds nothing
//! a person could not have entered.
//!
//! A holder has one plan, so "a plan a year" is one plan over the years,
//! with a version from each plan year's first day (as at an annual
//! review). Every plan ends by [`Spec::today`]: nothing is in the future.

use std::io::Cursor;

use chrono::{Datelike, Days, Months, NaiveDate};

use crate::error::Result;
use crate::evidence::{check_evidence, CheckedEvidence, EvidenceKind};
use crate::ledger::{HowPaid, LineKey, MoneyInDraft, MoneyInKind, PaymentDraft, SplitDraft};
use crate::model::{HolderId, NewHolder, NewPerson, PersonId, PlanId};
use crate::money::Money;
use crate::plan::*;
use crate::plan_forms::{
    ContentDraft, LineDraft, NewPlanDraft, ReviewDraft, RevisionDraft, StreamDraft,
};
use crate::records::Records;
use crate::recurring::{RecurringDraft, RecurringId};
use crate::store::Store;

/// How much to make.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spec {
    /// Budget holders, each with one plan.
    pub holders: u32,
    /// Plan years each plan runs for, ending by `today`.
    pub years: u32,
    /// Payments over all the holders, exactly (at least the regular ones a
    /// plan's years need; the rest are ad hoc spending).
    pub payments: u32,
    /// Phone photos of receipts, all on the first holder's latest card
    /// payments (a carer who photographs every receipt), so one year's
    /// statement can carry them all.
    pub photos: u32,
    /// PDF payslips and invoices, spread over every holder's wages,
    /// respite and therapy.
    pub pdfs: u32,
    /// Width and height of each photo in pixels (a phone's 4000 × 3000).
    pub photo_size: (u32, u32),
    /// Everything else follows from this.
    pub seed: u64,
    /// No plan ends, and nothing happens, after this day.
    pub today: NaiveDate,
}

/// A phone's 12-megapixel photo.
pub const PHONE_PHOTO: (u32, u32) = (4000, 3000);

impl Spec {
    /// One holder, one year: about what a real holder keeps.
    pub fn small(today: NaiveDate) -> Spec {
        Spec {
            holders: 1,
            years: 1,
            payments: 400,
            photos: 12,
            pdfs: 30,
            photo_size: PHONE_PHOTO,
            seed: 15,
            today,
        }
    }

    /// Ten holders over ten years: 100,000 payments and 3,000 receipts,
    /// 300 of them phone photos.
    pub fn large(today: NaiveDate) -> Spec {
        Spec {
            holders: 10,
            years: 10,
            payments: 100_000,
            photos: 300,
            pdfs: 2_700,
            photo_size: PHONE_PHOTO,
            seed: 15,
            today,
        }
    }

    /// The worst case for one screen: one plan year with 100,000 payments.
    pub fn worst(today: NaiveDate) -> Spec {
        Spec {
            holders: 1,
            years: 1,
            payments: 100_000,
            photos: 0,
            pdfs: 0,
            photo_size: PHONE_PHOTO,
            seed: 15,
            today,
        }
    }

    /// The spec named `small`, `large` or `worst`.
    pub fn named(name: &str, today: NaiveDate) -> Option<Spec> {
        match name {
            "small" => Some(Spec::small(today)),
            "large" => Some(Spec::large(today)),
            "worst" => Some(Spec::worst(today)),
            _ => None,
        }
    }

    /// The plan period every holder's plan has: whole years ending on the
    /// last day of the month before `today`'s.
    pub fn plan_period(&self) -> (NaiveDate, NaiveDate) {
        let this_month = self.today.with_day(1).unwrap_or(self.today);
        let end = this_month.pred_opt().unwrap_or(this_month);
        let start = this_month - Months::new(12 * self.years.max(1));
        (start, end)
    }
}

/// What [`generate`] made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generated {
    /// Each holder with their plan.
    pub plans: Vec<(HolderId, PlanId)>,
    /// Payments recorded (regular and ad hoc).
    pub payments: u32,
    /// Entries of money in.
    pub money_in: u32,
    /// Plan versions after the first.
    pub revisions: u32,
    /// Photos attached.
    pub photos: u32,
    /// PDFs attached.
    pub pdfs: u32,
}

/// Fills `store` as `spec` says. Each holder's set-up is one transaction
/// and their payments go in in batches, so a failure part-way leaves whole
/// holders and whole batches.
pub fn generate(store: &mut Store, spec: &Spec) -> Result<Generated> {
    let mut made = Generated {
        plans: Vec::new(),
        payments: 0,
        money_in: 0,
        revisions: 0,
        photos: 0,
        pdfs: 0,
    };
    let photos = PhotoMaker::new(spec);
    for index in 0..spec.holders {
        let holder = set_up_holder(store, spec, index)?;
        made.revisions += holder.revisions;
        made.money_in += holder.money_in;
        let entries = holder_entries(spec, index, &holder);
        for batch in batches(&entries) {
            let saved = save_batch(store, &holder, batch, &photos, spec.today)?;
            made.payments += saved.payments;
            made.photos += saved.photos;
            made.pdfs += saved.pdfs;
        }
        made.plans.push((holder.holder, holder.plan));
    }
    Ok(made)
}

/// A holder as set up: who acts for them, their plan and regular payment.
#[derive(Debug, Clone)]
pub struct HolderSetUp {
    /// The holder.
    pub holder: HolderId,
    /// Their one plan.
    pub plan: PlanId,
    /// The person who records everything for them.
    pub carer: PersonId,
    /// The gym fee, a regular payment confirmed each month.
    pub gym: RecurringId,
    /// What the holder's years look like.
    pub profile: Profile,
    /// Versions added after the first.
    pub revisions: u32,
    /// Entries of money in recorded.
    pub money_in: u32,
}

/// One holder's circumstances, drawn from the seed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    /// The holder's name.
    pub name: String,
    /// The carer's name.
    pub carer: String,
    /// The two personal assistants.
    pub assistants: [String; 2],
    /// Their hours a week, in the first year.
    pub hours: [u32; 2],
    /// The hourly rate in the first year, in pence.
    pub rate: i64,
    /// Plan years (counted from 0) with a mid-year change of hours.
    pub mid_year_changes: Vec<u32>,
    /// Ad hoc payments (taxis and care supplies) a week, on average, which
    /// the plan's lines are sized to.
    pub ad_hoc_per_week: u32,
}

/// Adds the holder numbered `index`, the person acting for them, their
/// plan with a version per plan year, the gym fee as a regular payment,
/// and the money in for every funding instalment: all in one transaction.
pub fn set_up_holder(store: &mut Store, spec: &Spec, index: u32) -> Result<HolderSetUp> {
    let mut rng = Rng::for_holder(spec.seed, index);
    let (start, end) = spec.plan_period();
    let regular = regular_count(spec);
    let ad_hoc = holder_payment_target(spec, index).saturating_sub(regular);
    let weeks = u32::try_from(whole_weeks(start, end).max(1)).unwrap_or(1);
    let profile = Profile::draw(&mut rng, spec, index, ad_hoc.div_ceil(weeks));
    store.atomically(|store| {
        let carer = store.add_person(&NewPerson {
            name: profile.carer.clone(),
        })?;
        let holder = store.add_holder(
            &NewHolder {
                name: profile.name.clone(),
                date_of_birth: format!(
                    "{:02}/{:02}/{}",
                    rng.below(28) + 1,
                    rng.below(12) + 1,
                    1940 + rng.below(60)
                ),
                nhs_number: nhs_number(&mut rng),
                acting_person: carer.id,
                acting_role: if index.is_multiple_of(3) {
                    ActingRole::Nominee
                } else {
                    ActingRole::Carer
                },
            },
            spec.today,
        )?;
        let first = store.create_plan(
            holder.id,
            &NewPlanDraft {
                name: format!(
                    "Personal health budget {}",
                    crate::demo::plan_years(start, end)
                ),
                start_date: start.to_string(),
                end_date: end.to_string(),
                content: content(&profile, 0, false, start, end),
            },
            carer.id,
        )?;
        let plan = first.plan_id;
        let mut revisions = 0;
        for year in 0..spec.years {
            let year_start = start + Months::new(12 * year);
            if year > 0 {
                store.revise_plan(
                    plan,
                    &RevisionDraft {
                        effective_from: year_start.to_string(),
                        reason: "Annual review: rates uprated by 3%".into(),
                        content: content(&profile, year, false, start, end),
                    },
                    carer.id,
                )?;
                revisions += 1;
            }
            if profile.mid_year_changes.contains(&year) {
                store.revise_plan(
                    plan,
                    &RevisionDraft {
                        effective_from: (year_start + Months::new(6)).to_string(),
                        reason: "Two more hours a week from the first assistant after a stay in hospital".into(),
                        content: content(&profile, year, true, start, end),
                    },
                    carer.id,
                )?;
                revisions += 1;
            }
        }
        let gym = store.add_recurring(
            plan,
            &RecurringDraft {
                payee: "Riverside Leisure Centre".into(),
                amount: Money::from_pence(GYM_PENCE).to_string(),
                line_key: LineKey(7),
                how_paid: HowPaid::Card,
                every: Frequency::Monthly,
                first_due: (start + Days::new(2)).to_string(),
                note: "Gym membership".into(),
                no_evidence_reason: "Monthly card payment; shown on the bank statement".into(),
                recorded_by: carer.id,
            },
        )?;
        let history = store.plan_history(plan)?;
        let mut money_in = 0;
        for due in crate::store::due_payments(&history) {
            // Funding arrives a couple of days after it is due.
            let arrived = due.due_on + Days::new(2);
            if arrived > spec.today {
                continue;
            }
            store.record_money_in(
                plan,
                &MoneyInDraft {
                    received_on: arrived.to_string(),
                    kind: MoneyInKind::Funding,
                    source: due.source,
                    amount: due.amount.to_string(),
                    reference: format!("PHB {}", arrived.format("%d%m%y")),
                    note: String::new(),
                    recorded_by: carer.id,
                },
                spec.today,
            )?;
            money_in += 1;
        }
        Ok(HolderSetUp {
            holder: holder.id,
            plan,
            carer: carer.id,
            gym: gym.id,
            profile: profile.clone(),
            revisions,
            money_in,
        })
    })
}

const GYM_PENCE: i64 = 3_200;
/// Taxis cost this much on average in the first year, in pence.
const TAXI_PENCE: i64 = 1_700;
/// Care supplies cost this much on average in the first year, in pence.
const SUPPLIES_PENCE: i64 = 1_900;
/// In every 20 ad hoc payments, this many are taxis (the rest supplies).
const TAXIS_IN_20: u32 = 9;

impl Profile {
    fn draw(rng: &mut Rng, spec: &Spec, index: u32, ad_hoc_per_week: u32) -> Profile {
        // Holders' surnames differ (up to as many as there are), so no
        // two share a name; past that a number tells them apart.
        let offset = (spec.seed % SURNAMES.len() as u64) as usize;
        let surname = SURNAMES[(offset + index as usize) % SURNAMES.len()];
        let number = if (index as usize) < SURNAMES.len() {
            String::new()
        } else {
            format!(" {}", index + 1)
        };
        let mut mid_year_changes: Vec<u32> =
            (0..spec.years).filter(|_| rng.below(10) < 3).collect();
        mid_year_changes.sort_unstable();
        Profile {
            name: format!("{} {surname}{number}", rng.pick(FIRST_NAMES)),
            carer: format!("{} {surname}{number}", rng.pick(FIRST_NAMES)),
            assistants: [
                format!("{} {}", rng.pick(FIRST_NAMES), rng.pick(SURNAMES)),
                format!("{} {}", rng.pick(FIRST_NAMES), rng.pick(SURNAMES)),
            ],
            hours: [15 + rng.below(11), 10 + rng.below(9)],
            rate: 1_250 + i64::from(rng.below(300)),
            mid_year_changes,
            ad_hoc_per_week,
        }
    }

    /// `pence` in the first year, uprated by 3% a year to plan year `year`.
    fn uprated(pence: i64, year: u32) -> i64 {
        (0..year).fold(pence, |p, _| (p * 103 + 50) / 100)
    }

    /// The assistants' hours a week in plan year `year`, after any
    /// mid-year change when `changed`.
    fn hours_in(&self, year: u32, changed: bool) -> [u32; 2] {
        let extra = self
            .mid_year_changes
            .iter()
            .filter(|&&y| y < year || (y == year && changed))
            .count() as u32
            * 2;
        [self.hours[0] + extra, self.hours[1]]
    }
}

fn pounds(pence: i64) -> String {
    Money::from_pence(pence).to_string()
}

/// A version's content for plan year `year`: every line as a rate a week
/// or a month (a plan of several years counts each version for its days),
/// and 4-weekly funding that covers a year's lines.
fn content(
    profile: &Profile,
    year: u32,
    changed: bool,
    start: NaiveDate,
    end: NaiveDate,
) -> ContentDraft {
    use Category::*;
    let up = |pence| Profile::uprated(pence, year);
    let rate = up(profile.rate);
    let hours = profile.hours_in(year, changed);
    let wages_a_month = wages_a_month(hours, rate);
    let taxis_a_week = i64::from((profile.ad_hoc_per_week * TAXIS_IN_20).div_ceil(20) + 1);
    let supplies_a_week =
        i64::from((profile.ad_hoc_per_week * (20 - TAXIS_IN_20)).div_ceil(20)) * up(SUPPLIES_PENCE);
    // Each line with what a year of it comes to, for sizing the funding.
    let units = |category, description: &str, hundredths: i64, unit, per, pence: i64| {
        let quantity = format!("{}.{:02}", hundredths / 100, hundredths % 100);
        let times = if per == Per::Week { 52 } else { 12 };
        (
            LineDraft::units(
                category,
                description,
                (&quantity, unit, per, &pounds(pence)),
            ),
            pence * hundredths * times / 100,
        )
    };
    let monthly = |category, description: &str, pence: i64| {
        units(category, description, 100, Unit::Month, Per::Month, pence)
    };
    let assistant = |n: usize| {
        let (line, year) = units(
            PersonalAssistants,
            &format!("Personal assistant: {}", profile.assistants[n]),
            i64::from(hours[n]) * 100,
            Unit::Hour,
            Per::Week,
            rate,
        );
        (line.by(&profile.assistants[n]).serving(&[0, 2]), year)
    };
    let with = |(line, year): (LineDraft, i64), change: &dyn Fn(LineDraft) -> LineDraft| {
        (change(line), year)
    };
    let mut lines = vec![
        assistant(0),
        assistant(1),
        with(
            monthly(
                PayrollAndEmployerCosts,
                "Employer's tax and National Insurance",
                wages_a_month * 8 / 100 + 500,
            ),
            &|line| LineDraft {
                flexibility: Flexibility::Stated,
                ..line.by("HMRC")
            },
        ),
        with(
            monthly(
                PayrollAndEmployerCosts,
                "Workplace pension",
                wages_a_month * 3 / 100 + 300,
            ),
            &|line| line.by("NEST"),
        ),
        with(
            monthly(PayrollAndEmployerCosts, "Payroll service", up(1_950)),
            &|line| line.by("Carefree Payroll Ltd"),
        ),
        with(
            units(
                Therapies,
                "Hydrotherapy",
                200,
                Unit::Session,
                Per::Month,
                up(4_500),
            ),
            &|line| line.by("Aqua Physio Hydrotherapy").serving(&[0, 1]),
        ),
        with(
            monthly(ActivitiesAndWellbeing, "Gym membership", GYM_PENCE),
            &|line| line.by("Riverside Leisure Centre").serving(&[0]),
        ),
        with(
            units(
                Respite,
                "Respite breaks",
                75,
                Unit::Night,
                Per::Month,
                up(16_000),
            ),
            &|line| {
                line.by("Seaview Respite Care")
                    .spent(SpendingPattern::AsNeeded)
                    .serving(&[2])
            },
        ),
        with(
            monthly(Equipment, "Equipment and small aids", up(6_000)),
            &|line| line.spent(SpendingPattern::AsNeeded).serving(&[1, 2]),
        ),
        with(
            units(
                Transport,
                "Taxis",
                taxis_a_week * 100,
                Unit::Trip,
                Per::Week,
                up(TAXI_PENCE),
            ),
            &|line| line.serving(&[0]),
        ),
        with(
            units(
                Other,
                "Care supplies",
                100,
                Unit::Week,
                Per::Week,
                supplies_a_week,
            ),
            &|line| line.serving(&[2]),
        ),
        with(monthly(Contingency, "Contingency", up(5_000)), &|line| {
            line.spent(SpendingPattern::AsNeeded)
        }),
    ];
    if year > 0 || changed {
        // Lines carried over keep their keys, so spending stays on them.
        for (i, (line, _)) in lines.iter_mut().enumerate() {
            line.key = Some(LineKey(i as i64 + 1));
        }
    }
    let a_year: i64 = lines.iter().map(|(_, year)| year).sum();
    ContentDraft {
        streams: vec![StreamDraft {
            funder: Funder::Nhs,
            funder_name: "NHS Humber and North Yorkshire ICB".into(),
            management: Management::DirectPayment,
            // A year's lines over 13 instalments, rounded up to the pound.
            amount: pounds((a_year / 13 + 99) / 100 * 100),
            amount_is: AmountIs::EachPayment,
            frequency: Frequency::FourWeekly,
        }],
        outcomes: vec![
            "Get out of the house every day".into(),
            "Fewer stays in hospital".into(),
            "Keep living in my own home".into(),
        ],
        lines: lines.into_iter().map(|(line, _)| line).collect(),
        reviews: reviews(start, end, year),
        status: PlanStatus::Agreed,
        agreed_on: (start + Months::new(12 * year) - Days::new(14)).to_string(),
        agreed_by: "Jo Patel, CHC case manager, NHS Humber and North Yorkshire ICB".into(),
    }
}

/// The assistants' wages a month, in pence.
fn wages_a_month(hours: [u32; 2], rate: i64) -> i64 {
    i64::from(hours[0] + hours[1]) * rate * 52 / 12
}

/// The 3-month review in the first year and the annual review at the end
/// of plan year `year`, inside the plan.
fn reviews(start: NaiveDate, end: NaiveDate, year: u32) -> Vec<ReviewDraft> {
    let mut reviews = Vec::new();
    if year == 0 {
        reviews.push(ReviewDraft {
            kind: ReviewKind::ThreeMonth,
            due_on: (start + Months::new(3)).min(end).to_string(),
        });
    }
    reviews.push(ReviewDraft {
        kind: ReviewKind::Annual,
        due_on: (start + Months::new(12 * (year + 1)) - Days::new(1))
            .min(end)
            .to_string(),
    });
    reviews
}

/// How many payments the holder numbered `index` makes: an even share of
/// the spec's, the first holders taking what does not divide.
fn holder_payment_target(spec: &Spec, index: u32) -> u32 {
    let holders = spec.holders.max(1);
    spec.payments / holders + u32::from(index < spec.payments % holders)
}

/// One payment to make, with the evidence it has.
#[derive(Debug, Clone)]
pub enum Entry {
    /// A payment typed in.
    Payment(PaymentDraft, Option<Evidence>),
    /// A due day of the holder's gym fee, confirmed.
    Gym(NaiveDate),
}

impl Entry {
    fn date(&self) -> String {
        match self {
            Entry::Payment(draft, _) => draft.paid_on.clone(),
            Entry::Gym(day) => day.to_string(),
        }
    }
}

/// Evidence to make for a payment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Evidence {
    /// A phone photo of the receipt, the `n`th made.
    Photo(u32),
    /// A PDF of this kind, the `n`th made.
    Pdf(EvidenceKind, u32),
}

/// How many regular payments (wages, payroll, employer's costs, therapy,
/// respite, equipment, gym) every holder makes: the same for each, as only
/// their amounts differ.
fn regular_count(spec: &Spec) -> u32 {
    let blank = Profile {
        name: String::new(),
        carer: String::new(),
        assistants: [String::new(), String::new()],
        hours: [0, 0],
        rate: 0,
        mid_year_changes: Vec::new(),
        ad_hoc_per_week: 0,
    };
    u32::try_from(regular_entries(spec, &blank, PersonId(0)).len()).unwrap_or(u32::MAX)
}

/// The holder's regular payments, by date.
fn regular_entries(spec: &Spec, profile: &Profile, by: PersonId) -> Vec<Entry> {
    use HowPaid::*;
    let (start, end) = spec.plan_period();
    let year_of = |day: NaiveDate| -> (u32, bool) {
        let months = (day.year() - start.year()) * 12 + day.month() as i32 - start.month() as i32;
        let year = (months / 12).max(0) as u32;
        (year, months % 12 >= 6)
    };
    let shown_on_statement = "Paid from the PHB account; shown on the bank statement";
    let mut entries = Vec::new();
    let mut gym_days = Vec::new();
    let mut push = |day: NaiveDate,
                    payee: &str,
                    pence: i64,
                    line: i64,
                    how: HowPaid,
                    note: &str,
                    evidence: Option<Evidence>| {
        entries.push(Entry::Payment(
            PaymentDraft {
                paid_on: day.to_string(),
                payee: payee.into(),
                amount: pounds(pence),
                how_paid: how,
                reference: String::new(),
                cash_withdrawal: false,
                splits: vec![SplitDraft {
                    line_key: LineKey(line),
                    amount: String::new(),
                }],
                note: note.into(),
                no_evidence_reason: if matches!(how, BankTransfer | DirectDebit) {
                    shown_on_statement.into()
                } else {
                    String::new()
                },
                recorded_by: by,
            },
            evidence,
        ));
    };
    // Wages every 4 weeks, paid for the 4 weeks just gone.
    let mut payday = start + Days::new(27);
    while payday <= end {
        let (year, changed) = year_of(payday);
        let rate = Profile::uprated(profile.rate, year);
        let hours = profile.hours_in(year, changed);
        for (n, assistant) in profile.assistants.iter().enumerate() {
            push(
                payday,
                &format!("{assistant} (personal assistant)"),
                i64::from(hours[n] * 4) * rate,
                n as i64 + 1,
                BankTransfer,
                &format!("{} hours at {}", hours[n] * 4, pounds(rate)),
                None,
            );
        }
        payday = payday + Days::new(28);
    }
    for month in 0..(12 * spec.years) {
        let first = start + Months::new(month);
        let (year, changed) = year_of(first);
        let wages_a_month = wages_a_month(
            profile.hours_in(year, changed),
            Profile::uprated(profile.rate, year),
        );
        let up = |pence| Profile::uprated(pence, year);
        push(
            first + Days::new(4),
            "Carefree Payroll Ltd",
            up(1_950),
            5,
            DirectDebit,
            "Payroll service, one month",
            None,
        );
        if month > 0 {
            push(
                first + Days::new(21),
                "HMRC",
                wages_a_month * 8 / 100,
                3,
                BankTransfer,
                "Employer's PAYE and NI",
                None,
            );
            push(
                first + Days::new(21),
                "NEST Pensions",
                wages_a_month * 3 / 100,
                4,
                DirectDebit,
                "Workplace pension",
                None,
            );
        }
        for day in [9, 23] {
            push(
                first + Days::new(day),
                "Aqua Physio Hydrotherapy",
                up(4_500),
                6,
                Card,
                "One session",
                None,
            );
        }
        if month % 4 == 2 {
            push(
                first + Days::new(12),
                "Seaview Respite Care",
                up(16_000) * 2,
                8,
                BankTransfer,
                "Two nights' respite",
                None,
            );
        }
        if month % 2 == 1 {
            push(
                first + Days::new(17),
                "Mobility Direct",
                up(5_999) + i64::from(month % 5) * 1_250,
                9,
                Card,
                "Bath seat and grab rails",
                None,
            );
        }
        gym_days.push(first + Days::new(2));
    }
    entries.extend(gym_days.into_iter().map(Entry::Gym));
    entries.retain(|entry| entry.date() <= end.to_string());
    entries.sort_by_key(Entry::date);
    entries
}

/// Every payment the holder numbered `index` makes, by date, with its
/// evidence: the regular ones, then ad hoc spending to the holder's share
/// of [`Spec::payments`].
pub fn holder_entries(spec: &Spec, index: u32, holder: &HolderSetUp) -> Vec<Entry> {
    let mut rng = Rng::for_holder(spec.seed ^ 0x5eed, index);
    let (start, end) = spec.plan_period();
    let profile = &holder.profile;
    let mut entries = regular_entries(spec, profile, holder.carer);
    let target = holder_payment_target(spec, index) as usize;
    entries.truncate(target);
    let days = (end - start).num_days() as u32 + 1;
    let ad_hoc = target - entries.len();
    let mut ad_hoc_days: Vec<u32> = (0..ad_hoc).map(|_| rng.below(days)).collect();
    ad_hoc_days.sort_unstable();
    for (n, day) in ad_hoc_days.into_iter().enumerate() {
        let on = start + Days::new(u64::from(day));
        let year = u32::try_from((on - start).num_days() / 365)
            .unwrap_or(0)
            .min(spec.years.saturating_sub(1));
        let taxi = rng.below(20) < TAXIS_IN_20;
        let (mean, line) = if taxi {
            (TAXI_PENCE, 10)
        } else {
            (SUPPLIES_PENCE, 11)
        };
        // From 40% to 160% of the mean, with pennies.
        let pence = Profile::uprated(mean, year) * i64::from(40 + rng.below(121)) / 100
            + i64::from(rng.below(100));
        let (payee, note, how) = if taxi {
            (
                rng.pick(TAXI_FIRMS),
                "Taxi to an appointment",
                if rng.below(4) == 0 {
                    HowPaid::Cash
                } else {
                    HowPaid::Card
                },
            )
        } else {
            (rng.pick(SHOPS), rng.pick(SUPPLIES), HowPaid::Card)
        };
        // Receipts lost or never given: some say why, some not yet.
        let no_evidence_reason = match rng.below(6) {
            0 => "The driver had no receipts".into(),
            1 => "Receipt lost".into(),
            2 | 3 => "Shown on the card statement".into(),
            _ => String::new(),
        };
        entries.push(Entry::Payment(
            PaymentDraft {
                paid_on: on.to_string(),
                payee: payee.into(),
                amount: pounds(pence.max(1)),
                how_paid: how,
                reference: format!("{}{:05}", if taxi { "TX" } else { "CS" }, n),
                cash_withdrawal: false,
                splits: vec![SplitDraft {
                    line_key: LineKey(line),
                    amount: String::new(),
                }],
                note: note.into(),
                no_evidence_reason,
                recorded_by: holder.carer,
            },
            None,
        ));
    }
    entries.sort_by_key(Entry::date);
    give_evidence(spec, index, &mut entries);
    entries
}

/// Puts the spec's photos on the first holder's latest card payments, and
/// this holder's share of the PDFs on their wages (payslips), respite and
/// therapy (invoices), spread evenly over the years.
fn give_evidence(spec: &Spec, index: u32, entries: &mut [Entry]) {
    let holders = spec.holders.max(1);
    let pdfs = spec.pdfs / holders + u32::from(index < spec.pdfs % holders);
    let mut pdf_first = 0;
    for earlier in 0..index {
        pdf_first += spec.pdfs / holders + u32::from(earlier < spec.pdfs % holders);
    }
    let documented: Vec<usize> = entries
        .iter()
        .enumerate()
        .filter(|(_, entry)| matches!(entry, Entry::Payment(d, _) if d.payee.ends_with("(personal assistant)") || INVOICED.contains(&d.payee.as_str())))
        .map(|(i, _)| i)
        .collect();
    let pdfs = pdfs.min(documented.len() as u32);
    for n in 0..pdfs {
        let at = documented[(n as usize * documented.len()) / pdfs.max(1) as usize];
        if let Entry::Payment(draft, evidence) = &mut entries[at] {
            let kind = if draft.payee.ends_with("(personal assistant)") {
                EvidenceKind::Payslip
            } else {
                EvidenceKind::Invoice
            };
            *evidence = Some(Evidence::Pdf(kind, pdf_first + n));
        }
    }
    if index == 0 {
        let mut photo = 0;
        for entry in entries.iter_mut().rev() {
            if photo == spec.photos {
                break;
            }
            if let Entry::Payment(draft, evidence) = entry {
                if draft.how_paid == HowPaid::Card && evidence.is_none() {
                    draft.no_evidence_reason.clear();
                    *evidence = Some(Evidence::Photo(photo));
                    photo += 1;
                }
            }
        }
    }
}

/// Payees who send an invoice, kept as a PDF.
const INVOICED: &[&str] = &["Seaview Respite Care", "Aqua Physio Hydrotherapy"];

/// Entries split into the batches saved together: at most 10,000, and at
/// most 32 with evidence, so few photos are in memory at once.
pub fn batches(entries: &[Entry]) -> Vec<&[Entry]> {
    const MOST: usize = 10_000;
    const MOST_EVIDENCE: usize = 32;
    let mut batches = Vec::new();
    let mut from = 0;
    let mut evidence = 0;
    for (i, entry) in entries.iter().enumerate() {
        if matches!(entry, Entry::Payment(_, Some(_))) {
            evidence += 1;
        }
        if i + 1 - from == MOST || evidence == MOST_EVIDENCE || i + 1 == entries.len() {
            batches.push(&entries[from..=i]);
            from = i + 1;
            evidence = 0;
        }
    }
    batches
}

/// What one batch saved.
#[derive(Debug, Clone, Copy, Default)]
pub struct Saved {
    /// Payments recorded.
    pub payments: u32,
    /// Photos attached.
    pub photos: u32,
    /// PDFs attached.
    pub pdfs: u32,
}

/// Saves one batch of entries for `holder` in one transaction: the one
/// place the generator writes payments, so it can move to a faster batch
/// API in one edit. The batch's evidence is made and checked first, with
/// nothing of the store held, as the app does.
pub fn save_batch(
    store: &mut Store,
    holder: &HolderSetUp,
    batch: &[Entry],
    photos: &PhotoMaker,
    today: NaiveDate,
) -> Result<Saved> {
    let checked: Vec<Option<(EvidenceKind, CheckedEvidence)>> = batch
        .iter()
        .map(|entry| match entry {
            Entry::Payment(draft, Some(evidence)) => {
                make_evidence(*evidence, draft, photos).map(Some)
            }
            _ => Ok(None),
        })
        .collect::<Result<_>>()?;
    store.atomically(|store| {
        let mut saved = Saved::default();
        // Payments with nothing to attach go in together: the batch API
        // reads the plan once and nothing back.
        let plain: Vec<PaymentDraft> = batch
            .iter()
            .filter_map(|entry| match entry {
                Entry::Payment(draft, None) => Some(draft.clone()),
                _ => None,
            })
            .collect();
        saved.payments += u32::try_from(store.record_payments(holder.plan, &plain, today)?)
            .map_err(|_| crate::error::Error::Overflow)?;
        for (entry, evidence) in batch.iter().zip(&checked) {
            let payment = match entry {
                Entry::Payment(_, None) => continue,
                Entry::Payment(draft, Some(_)) => {
                    store.record_payment(holder.plan, draft, today)?
                }
                Entry::Gym(day) => {
                    store.confirm_due(holder.plan, holder.gym, *day, holder.carer, today)?
                }
            };
            saved.payments += 1;
            if let Some((kind, file)) = evidence {
                store.attach_evidence(holder.plan, payment.key, *kind, file, holder.carer)?;
                if *kind == EvidenceKind::Receipt {
                    saved.photos += 1;
                } else {
                    saved.pdfs += 1;
                }
            }
        }
        Ok(saved)
    })
}

fn make_evidence(
    evidence: Evidence,
    draft: &PaymentDraft,
    photos: &PhotoMaker,
) -> Result<(EvidenceKind, CheckedEvidence)> {
    match evidence {
        Evidence::Photo(n) => {
            let bytes = photos.photo(
                n,
                &format!("{} {} {}", draft.paid_on, draft.payee, draft.amount),
            );
            Ok((
                EvidenceKind::Receipt,
                check_evidence(&format!("IMG_{:04}.jpg", 1000 + n), bytes)?,
            ))
        }
        Evidence::Pdf(kind, n) => {
            let title = match kind {
                EvidenceKind::Payslip => "Payslip",
                _ => "Invoice",
            };
            let pdf = small_pdf(&[
                &format!("{title} {n:05}"),
                &draft.payee,
                &format!("Date: {}", draft.paid_on),
                &format!("Amount: {}", draft.amount.replace('£', "GBP ")),
                &draft.note.replace('£', "GBP "),
            ]);
            Ok((
                kind,
                check_evidence(&format!("{}-{n:05}.pdf", title.to_lowercase()), pdf)?,
            ))
        }
    }
}

/// Makes the phone photos: a few different pictures, each copy made a
/// different file (and so kept apart, as the store keeps each distinct
/// file once) by a JPEG comment naming the payment, as a phone's own
/// details differ photo to photo. Making a 12-megapixel picture takes
/// about half a second, so only a few are drawn.
pub struct PhotoMaker {
    pictures: Vec<Vec<u8>>,
}

/// Different pictures among the photos.
const DISTINCT_PICTURES: u32 = 4;

impl PhotoMaker {
    /// The pictures `spec`'s photos are made from (none if it has none).
    pub fn new(spec: &Spec) -> PhotoMaker {
        let (width, height) = spec.photo_size;
        PhotoMaker {
            pictures: (0..spec.photos.min(DISTINCT_PICTURES))
                .map(|seed| phone_photo(width, height, seed + spec.seed as u32))
                .collect(),
        }
    }

    /// The `n`th photo, a JPEG whose comment says `about`.
    pub fn photo(&self, n: u32, about: &str) -> Vec<u8> {
        let picture = &self.pictures[n as usize % self.pictures.len().max(1)];
        with_comment(picture, &format!("Receipt {n}: {about}"))
    }
}

/// `jpeg` with a comment segment (COM) after its start marker.
fn with_comment(jpeg: &[u8], comment: &str) -> Vec<u8> {
    let text = comment.as_bytes();
    let text = &text[..text.len().min(60_000)];
    let length = u16::try_from(text.len() + 2).unwrap_or(u16::MAX);
    let mut out = Vec::with_capacity(jpeg.len() + text.len() + 4);
    out.extend_from_slice(&jpeg[..2]);
    out.extend_from_slice(&[0xFF, 0xFE]);
    out.extend_from_slice(&length.to_be_bytes());
    out.extend_from_slice(text);
    out.extend_from_slice(&jpeg[2..]);
    out
}

/// A made-up phone photo: a `width` × `height` JPEG of a receipt-like
/// scene, lit unevenly, with sensor noise, so it compresses about as a real
/// photo does (a few megabytes at 4000 × 3000). `seed` varies the noise,
/// so photos made with different seeds are different files.
pub fn phone_photo(width: u32, height: u32, seed: u32) -> Vec<u8> {
    let mut state = seed.wrapping_mul(2_654_435_761).wrapping_add(1);
    let photo = image::RgbImage::from_fn(width, height, |x, y| {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        let noise = (state % 24) as i32 - 12;
        // A sheet of paper in the middle, with "lines of print" on it.
        let on_paper = x > width / 4 && x < width * 3 / 4 && y > height / 10 && y < height * 9 / 10;
        let print = on_paper && (y / 40) % 2 == 0 && (x / 13 + y / 40) % 7 != 0 && y % 40 < 22;
        let light = 160 + (80 * x / width.max(1)) as i32 - (40 * y / height.max(1)) as i32;
        let base = match (on_paper, print) {
            (true, true) => [40, 40, 45],
            (true, false) => [light + 20, light + 18, light + 10],
            _ => [light / 2, light / 3 + 20, light / 4 + 30],
        };
        image::Rgb(base.map(|channel| (channel + noise).clamp(0, 255) as u8))
    });
    let mut jpeg = Cursor::new(Vec::new());
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 90)
        .encode_image(&photo)
        .expect("encoding an RGB image in memory cannot fail");
    jpeg.into_inner()
}

/// A one-page PDF with `lines` of text in Helvetica, with a correct
/// cross-reference table, as a payroll service's payslip might be.
pub fn small_pdf(lines: &[&str]) -> Vec<u8> {
    let escape = |text: &str| -> String {
        text.chars()
            .filter(|c| c.is_ascii() && !c.is_ascii_control())
            .flat_map(|c| match c {
                '(' | ')' | '\\' => vec!['\\', c],
                _ => vec![c],
            })
            .collect()
    };
    let mut text = String::from("BT /F1 14 Tf 72 770 Td 18 TL\n");
    for line in lines {
        text.push_str(&format!("({}) '\n", escape(line)));
    }
    text.push_str("ET\n");
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>".to_owned(),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_owned(),
        format!("<< /Length {} >>\nstream\n{text}endstream", text.len()),
    ];
    let mut pdf = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, object) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend_from_slice(format!("{} 0 obj\n{object}\nendobj\n", i + 1).as_bytes());
    }
    let xref = pdf.len();
    pdf.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for offset in offsets {
        pdf.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    pdf.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    pdf
}

/// A valid NHS number: nine digits and the modulus 11 check digit.
fn nhs_number(rng: &mut Rng) -> String {
    loop {
        let digits: Vec<u32> = (0..9)
            .map(|i| {
                if i == 0 {
                    4 + rng.below(5)
                } else {
                    rng.below(10)
                }
            })
            .collect();
        let sum: u32 = digits
            .iter()
            .enumerate()
            .map(|(i, d)| d * (10 - i as u32))
            .sum();
        let check = (11 - sum % 11) % 11;
        if check == 10 {
            continue;
        }
        let all: String = digits
            .iter()
            .chain(std::iter::once(&check))
            .map(|d| d.to_string())
            .collect();
        return format!("{} {} {}", &all[..3], &all[3..6], &all[6..]);
    }
}

/// A small, fast generator (SplitMix64): the same seed gives the same
/// data on every machine, with no dependency.
#[derive(Debug, Clone)]
struct Rng(u64);

impl Rng {
    fn for_holder(seed: u64, index: u32) -> Rng {
        let mut rng = Rng(seed ^ (u64::from(index) + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15));
        rng.next();
        rng
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number from 0 to `n` - 1.
    fn below(&mut self, n: u32) -> u32 {
        (self.next() % u64::from(n.max(1))) as u32
    }

    fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        from[self.below(from.len() as u32) as usize]
    }
}

const FIRST_NAMES: &[&str] = &[
    "Margaret", "David", "Aisha", "Tom", "Priya", "Gareth", "Siobhan", "Kwame", "Elaine", "Joanne",
    "Sam", "Fatima", "Rhys", "Beata", "Colin", "Nadia", "Owen", "Grace", "Imran", "Heather",
];
const SURNAMES: &[&str] = &[
    "Ellis", "Okafor", "Pike", "Khan", "Davies", "Murphy", "Nowak", "Patel", "Hughes", "Mensah",
    "Campbell", "Shah", "Robinson", "Walsh", "Clarke", "Evans",
];
const TAXI_FIRMS: &[&str] = &[
    "A1 Taxis",
    "City Cabs",
    "Station Taxis",
    "Riverside Private Hire",
];
const SHOPS: &[&str] = &[
    "Boots",
    "Tesco",
    "Superdrug",
    "Amazon",
    "Care Supplies Direct",
    "Wilko",
];
const SUPPLIES: &[&str] = &[
    "Continence pads",
    "Gloves and aprons",
    "Skin cream",
    "Thickener for drinks",
    "Craft materials for the day centre",
    "Swimming session",
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::views::Views;

    /// Two holders over two years, with tiny photos so the test is quick.
    fn spec(seed: u64) -> Spec {
        Spec {
            holders: 2,
            years: 2,
            payments: 700,
            photos: 5,
            pdfs: 11,
            photo_size: (64, 48),
            seed,
            today: NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
        }
    }

    fn made(spec: &Spec) -> (Store, Generated) {
        let mut store = Store::open_in_memory().unwrap();
        let made = generate(&mut store, spec).unwrap();
        (store, made)
    }

    #[test]
    fn the_same_seed_makes_the_same_data_and_another_seed_other_data() {
        let (first, first_made) = made(&spec(7));
        let (again, again_made) = made(&spec(7));
        let (other, _) = made(&spec(8));
        assert_eq!(first_made, again_made);
        let journal = crate::journal::journal(&first).unwrap();
        assert_eq!(journal, crate::journal::journal(&again).unwrap());
        assert_ne!(journal, crate::journal::journal(&other).unwrap());
    }

    #[test]
    fn it_makes_exactly_the_counts_asked_for() {
        let spec = spec(7);
        let (store, made) = made(&spec);
        assert_eq!(made.plans.len(), 2);
        assert_eq!(made.payments, 700);
        assert_eq!((made.photos, made.pdfs), (5, 11));
        let mut payments = 0;
        let (mut photos, mut pdfs) = (0, 0);
        for (_, plan) in &made.plans {
            payments += store.ledger_totals(*plan).unwrap().payment_count;
            for payment in store.payments(*plan).unwrap() {
                for evidence in payment.evidence {
                    if evidence.kind == EvidenceKind::Receipt {
                        photos += 1;
                    } else {
                        pdfs += 1;
                    }
                }
            }
        }
        assert_eq!((payments, photos, pdfs), (700, 5, 11));
        // Each payment's receipt is a file of its own, not one shared.
        let receipts = made
            .plans
            .iter()
            .flat_map(|(_, plan)| store.payments(*plan).unwrap())
            .flat_map(|payment| payment.evidence)
            .map(|evidence| evidence.attachment_id)
            .collect::<std::collections::HashSet<_>>();
        assert_eq!(receipts.len(), 16);
    }

    #[test]
    fn every_plan_adds_up_within_its_funding_and_ends_by_today() {
        let spec = spec(7);
        let (store, made) = made(&spec);
        let (start, end) = spec.plan_period();
        assert!(end <= spec.today);
        for (holder, plan) in &made.plans {
            let history = store.plan_history(*plan).unwrap();
            assert_eq!((history.start_date, history.end_date), (start, end));
            // A version a plan year, and one for each mid-year change.
            assert!(history.versions.len() >= 2, "{}", history.versions.len());
            let overview = store.overview(*holder, spec.today).unwrap();
            let summary = overview.summary.unwrap();
            assert!(summary.allocated <= summary.budget, "{summary:?}");
            assert!(
                summary.allocated.pence() * 100 >= summary.budget.pence() * 97,
                "the funding pays for the lines with little over: {summary:?}"
            );
            assert!(summary.spent <= summary.allocated, "{summary:?}");
            assert!(
                summary.spent.pence() * 100 >= summary.allocated.pence() * 70,
                "a year's spending uses most of the plan: {summary:?}"
            );
            let totals = store.ledger_totals(*plan).unwrap();
            let by_line = totals
                .spent_by_line
                .iter()
                .try_fold(Money::ZERO, |sum, (_, spent)| sum.checked_add(*spent))
                .unwrap();
            assert_eq!(by_line, totals.spent);
            // Every funding instalment arrived, and nothing is dated after
            // the plan or today.
            let due = crate::store::due_payments(&history);
            assert_eq!(store.money_in(*plan).unwrap().len(), due.len());
            let due_total = due
                .iter()
                .try_fold(Money::ZERO, |sum, due| sum.checked_add(due.amount))
                .unwrap();
            assert_eq!(totals.money_in, due_total);
            // The budget counts each version for its days, the instalments
            // by their dates, so they differ by a part of one instalment.
            let gap = (due_total.pence() - summary.budget.pence()).abs();
            assert!(
                gap * 200 < summary.budget.pence(),
                "{due_total} against {summary:?}"
            );
            let payments = store.payments(*plan).unwrap();
            assert!(payments
                .iter()
                .all(|p| p.paid_on >= start && p.paid_on <= end));
            // Some payments lack a receipt with a reason, some without.
            assert!(totals.lacking_evidence > 0);
            assert!(payments
                .iter()
                .any(|p| p.evidence.is_empty() && !p.no_evidence_reason.is_empty()));
            // The gym fee is confirmed every month, so nothing is left due.
            assert!(overview.due.is_empty(), "{:?}", overview.due.first());
        }
    }

    #[test]
    fn the_sizes_are_as_the_issue_asks() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let large = Spec::large(today);
        assert_eq!(
            (large.holders, large.years, large.payments),
            (10, 10, 100_000)
        );
        assert_eq!(large.photos + large.pdfs, 3_000);
        assert_eq!(large.photo_size, PHONE_PHOTO);
        let worst = Spec::worst(today);
        assert_eq!((worst.holders, worst.payments), (1, 100_000));
        let small = Spec::small(today);
        assert_eq!((small.holders, small.years), (1, 1));
        assert_eq!(
            large.plan_period().1,
            NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()
        );
        assert_eq!(
            large.plan_period().0,
            NaiveDate::from_ymd_opt(2016, 12, 1).unwrap()
        );
    }

    #[test]
    fn a_made_pdf_and_a_photo_with_a_comment_pass_the_evidence_check() {
        let pdf = small_pdf(&["Payslip 00001", "Jo (Pike) \\ £"]);
        let checked = check_evidence("payslip.pdf", pdf).unwrap();
        assert_eq!(checked.media_type(), crate::evidence::MediaType::Pdf);
        let photo = with_comment(&phone_photo(40, 30, 1), "Receipt 1");
        assert!(check_evidence("IMG.jpg", photo)
            .unwrap()
            .thumbnail()
            .is_some());
    }
}
